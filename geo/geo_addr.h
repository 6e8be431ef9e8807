/*
 * geo_addr.h - US street addresses, parsed and normalised.
 *
 * One parser for every place an address is read: the reference files
 * (import addresses), the matcher (geo_geocode), the batch geocoder and
 * every importer that geocodes a row.  It knows USPS Publication 28:
 * street suffixes both ways ("Street" and "St" are "ST"), directionals
 * ("North", "N."), secondary unit designators ("Apt 4", "#210", "Suite
 * 300", "Unit B"), PO boxes, state names and ZIP+4; ordinals written any
 * way ("9th", "09TH", "Ninth" are "9") and house numbers with letter or
 * fraction suffixes ("32A", "1/2").
 *
 * Everything is fixed-size and allocation-free, so the matcher parses a
 * million addresses without touching the heap, and any number of threads
 * may parse at once.  Fields too long for their buffer make the parse
 * fail (GEO_ADDR_ETOOLONG), never truncate silently.
 *
 * Normal form (what every field holds after a parse): upper-case ASCII
 * (UTF-8 Latin letters folded: "Cañada" is "CANADA"), single spaces, no
 * punctuation but '/' in fractions, '-' inside words and '#' in a unit;
 * a street name's ordinal as plain digits without leading zeros ("16",
 * not "16TH" or "016"; "Twenty-First" and "Twenty First" are "21");
 * types and directionals as Publication 28's standard abbreviations.  A
 * field not present is the empty string.  The normal form is a fixed
 * point: a parse's street given back to geo_addr_street, and its unit,
 * city, state and ZIP to geo_addr_parse_parts, come back unchanged.
 *
 * How the ambiguous cases read:
 *  - The type is the first strong suffix after the street's first word
 *    ("ST", "AVE", "RD", "DR", "LN", "CT", "PL", "WAY", "HWY", ...; a
 *    strong suffix straight after it wins: "Park Place Dr" is PARK PLACE
 *    DR, "Camas Creek Rd" CAMAS CREEK RD).  A weak one ("PARK", "CREEK",
 *    "VALLEY", "SPRING"...) is the type only as the street's last word
 *    or before a last directional: "32 Elgin Park" is ELGIN PARK, but
 *    "32 Elgin Park San Francisco" keeps all four words in the name.
 *    After a strong type, words that are not a directional or a unit
 *    are the city: "Main St Spring Valley CA" is MAIN ST, SPRING VALLEY.
 *  - A directional is a predir or postdir only when a name word is left:
 *    "North St" is name NORTH, "N St" name N, "N Main St" predir N,
 *    "South Van Ness Ave" predir S name VAN NESS.  A directional written
 *    out ("West") after the type is a postdir only at the street's end:
 *    "Main St West Hollywood" has the city WEST HOLLYWOOD.
 *  - A type word first, with no type after it, stays in the name,
 *    AVENUE spelled out: "Avenue B" and "Ave B" are name "AVENUE B",
 *    type empty; "Avenue of the Americas" AVENUE OF THE AMERICAS.
 *  - Routes are names without a type, their words in one form: "US
 *    Highway 89", "US Hwy 89" and "US 89" are "US HWY 89"; "State Hwy
 *    360" STATE HWY 360; "State Route 1" and "SR 1" STATE RTE 1; "County
 *    Road 12", "Co Rd 12" and "CR 12" COUNTY RD 12; "Highway 1" HWY 1;
 *    "I-90" and "Interstate 90" I 90; "NFS Rd 211" NFS RD 211.
 *  - House numbers: "32A", "32-A" and "32 A Elgin Park" are 32 and "A"
 *    (a lone letter only when a street follows that does not start with
 *    a type: "100 A St" is street A ST); "12 1/2" and "12-1/2" are 12 and
 *    "1/2"; Queens' "123-45" is 123 and "45".  "16th St" alone has no
 *    house number.  Number words ("Sixteen") are not numbers.
 *  - Units: Publication 28's designators in their standard form ("Suite
 *    300" is "STE 300", "Apt. 4" "APT 4", "2nd Floor" "FL 2", "Rear"
 *    "REAR"); "#210" is "# 210", as is a bare number after the type
 *    ("55 Octavia St 4B" is "# 4B").  A unit may come first ("Apt 4, 55
 *    Octavia St").  Several are kept in order ("STE 5 BLDG C").
 *  - The end: "USA" and "United States" are dropped; a ZIP ("94103",
 *    "94103-1234", "941031234") is taken from the end; a state (code,
 *    name or old abbreviation: "CA", "California", "Calif.") before the
 *    ZIP, after a comma, after the city's words, or as a bare two-letter
 *    code after the street.  The city is the words after the street and
 *    unit (the last comma-separated group of them).
 *  - PO boxes ("PO Box 12", "P.O. Box 12", "POB 12", "Post Office Box
 *    12", "Box 12"): po_box 1, box "12", no street.
 */
#ifndef GEO_ADDR_H
#define GEO_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define GEO_ADDR_NUM_MAX   16
#define GEO_ADDR_NAME_MAX  64
#define GEO_ADDR_SHORT_MAX 8
#define GEO_ADDR_UNIT_MAX  32
#define GEO_ADDR_CITY_MAX  48

struct geo_addr {
	int64_t number;			     /* house number, -1 when none */
	char num_suffix[GEO_ADDR_SHORT_MAX]; /* "A", "1/2", "" */
	char predir[4];			     /* "N", "SW", "" */
	char name[GEO_ADDR_NAME_MAX];	     /* "16", "MARKET", "ELGIN" */
	char type[GEO_ADDR_SHORT_MAX];	     /* "ST", "AVE", "PARK", "" */
	char postdir[4];		     /* "NE", "" */
	char unit[GEO_ADDR_UNIT_MAX];	     /* "APT 4", "# 210", "STE 300" */
	char city[GEO_ADDR_CITY_MAX];	     /* "SAN FRANCISCO" */
	char state[4];			     /* "CA" */
	char zip[6];			     /* "94110" */
	char zip4[5];			     /* "1234" */
	int po_box;		    /* 1 for a PO box (number in box) */
	char box[GEO_ADDR_NUM_MAX]; /* the box number */
};

/* Why a parse failed (0 is success).  A parse succeeds when it found a
 * street name, a PO box or a ZIP (a ZIP alone is an address the matcher
 * can place at the ZIP's centroid). */
enum geo_addr_status {
	GEO_ADDR_OK = 0,
	GEO_ADDR_EEMPTY = 1,	/* nothing but blanks and punctuation */
	GEO_ADDR_ENOSTREET = 2, /* no street name could be found */
	GEO_ADDR_ETOOLONG = 3,	/* a part is longer than its field */
	GEO_ADDR_EBADZIP = 4,	/* something in the ZIP's place is not one
				   ("CA 9410", a ZIP column "2134") */
	GEO_ADDR_EBADNUM = 5	/* a house number column that is not one
				   (geo_addr_parse_parts only) */
};

/* A short lower-case phrase for a status ("no street name"), static. */
const char *geo_addr_status_str(int status);

/*
 * Parse a single-line address ("2901 16th St Apt 4, San Francisco, CA
 * 94103-1234", "PO Box 12, Oakland CA") into out (always cleared first).
 * Commas are hints, not requirements: "2901 16TH ST SAN FRANCISCO CA
 * 94103" parses the same.  A known city may be told apart from the
 * street only by the type word or a comma; without either, trailing
 * words stay in the street name.  Returns a geo_addr_status; out keeps
 * what was found on GEO_ADDR_ENOSTREET ("Apt 4": the unit), and is
 * cleared on the other failures.  text may be NULL (GEO_ADDR_EEMPTY).
 */
int geo_addr_parse(const char *text, struct geo_addr *out);

/*
 * Parse split columns, as address files and importers hold them: any of
 * the arguments may be NULL or empty.  street is the street line, with
 * or without its house number ("16th Street", "2901 16th St #4");
 * number, when given, is the house number column ("2901", "32A",
 * "12 1/2") and wins over one in street (a street that starts with the
 * same number has it taken off; any other first word is the street's:
 * number "55", street "1 Rd" is 55 1 RD).  unit without a designator
 * is given "#" ("503" is "# 503").  A state that is not one is kept as
 * written if it fits.  Returns a geo_addr_status: GEO_ADDR_EBADNUM,
 * GEO_ADDR_EBADZIP for columns that are not a number or a ZIP (no
 * guess: "2134" is not "02134"), GEO_ADDR_EEMPTY when every column is.
 */
int geo_addr_parse_parts(const char *number, const char *street,
			 const char *unit, const char *city, const char *state,
			 const char *zip, struct geo_addr *out);

/*
 * Normalise street components as reference files hold them (EAS:
 * ST_NAME "09TH", ST_TYPE "ST"; NAD: St_PreDir, St_Name, St_PosTyp,
 * St_PosDir; TIGER: FULLNAME "3rd Ave SE", given as name alone).  Any of
 * predir, type, postdir may be NULL; name alone may hold the whole
 * street ("N Main St"), which is then split.  Fills out's predir, name,
 * type and postdir only.  The name is read as a whole street: its last
 * word is the type when it is a suffix (weak or strong) and the type is
 * not given ("Goat Mountain F" has none); a column given is never taken
 * from the name.  A type or directional column the tables do not know
 * is kept as written if it fits.  Returns a geo_addr_status.
 */
int geo_addr_street(const char *predir, const char *name, const char *type,
		    const char *postdir, struct geo_addr *out);

/* Publication 28's standard abbreviation of a street suffix in any of
 * its written forms ("Street", "STR", "st." -> "ST"), or NULL when the
 * word is not a suffix.  Static string. */
const char *geo_addr_suffix_std(const char *word);

/* The standard abbreviation of a directional ("North", "n", "N." ->
 * "N"; "Southwest", "S.W." -> "SW"), or NULL.  Static string. */
const char *geo_addr_dir_std(const char *word);

/* The number an ordinal or cardinal street name stands for ("9th",
 * "09TH", "Ninth", "NINETEENTH", "Twenty-first", "1st") or -1. */
int geo_addr_ordinal(const char *word);

/* A state's two-letter code from its code or name ("California", "ca",
 * "CALIF") or NULL.  Static string. */
const char *geo_addr_state_std(const char *word);

/*
 * The street's key as the matcher indexes it: name only ("16",
 * "MARKET"), so that a missing or wrong type or directional still finds
 * the street, and the matcher then scores them.  Writes at most n bytes
 * (NUL included) to buf; returns the key's length.
 */
size_t geo_addr_street_key(const struct geo_addr *a, char *buf, size_t n);

#endif
