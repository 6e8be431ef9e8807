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
 * Normal form (what every field holds after a parse): upper-case ASCII,
 * single spaces, no punctuation but '/' in fractions and '-' inside
 * words; a street name's ordinal as plain digits without leading zeros
 * ("16", not "16TH" or "016"); types and directionals as Publication 28's
 * standard abbreviations.  A field not present is the empty string.
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

/* Why a parse failed (0 is success). */
enum geo_addr_status {
	GEO_ADDR_OK = 0,
	GEO_ADDR_EEMPTY = 1,	/* nothing but blanks and punctuation */
	GEO_ADDR_ENOSTREET = 2, /* no street name could be found */
	GEO_ADDR_ETOOLONG = 3,	/* a part is longer than its field */
	GEO_ADDR_EBADZIP = 4,	/* something in the ZIP's place is not one */
	GEO_ADDR_EBADNUM = 5	/* a house number column that is not one */
};

/* A short lower-case phrase for a status ("no street name"), static. */
const char *geo_addr_status_str(int status);

/*
 * Parse a single-line address ("2901 16th St Apt 4, San Francisco, CA
 * 94103-1234", "PO Box 12, Oakland CA") into out (always cleared first).
 * Commas are hints, not requirements: "2901 16TH ST SAN FRANCISCO CA
 * 94103" parses the same.  A known city may be told apart from the
 * street only by the type word or a comma; without either, trailing
 * words stay in the street name.  Returns a geo_addr_status.
 */
int geo_addr_parse(const char *text, struct geo_addr *out);

/*
 * Parse split columns, as address files and importers hold them: any of
 * the arguments may be NULL or empty.  street is the street line, with
 * or without its house number ("16th Street", "2901 16th St #4");
 * number, when given, is the house number column ("2901", "32A",
 * "12 1/2") and wins over one in street.  Returns a geo_addr_status.
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
 * type and postdir only.  Returns a geo_addr_status.
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
