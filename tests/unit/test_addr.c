/*
 * test_addr.c - geo_addr, the address parser.
 *
 * Table-driven: each row is an input and every field the parse must
 * give, written as "key=value; ..." (fields not named must be empty), so
 * that a change to any field of any row fails.  Publication 28's
 * suffix table is checked entry by entry and spot-checked both ways
 * against values copied from the publication; ordinals 1 to 100 are
 * written out here independently of the parser's dictionary.  The real
 * reference files: every row of San Francisco's EAS excerpt parses
 * (ADDRESS) as its split columns do, and every TIGER FULLNAME of
 * Meagher County splits to a name, the same way alone and after a house
 * number.
 */
#include <gdal.h>
#include <ogr_api.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_csv.h"
#include "core/core_mem.h"
#include "geo/geo_addr.h"
#include "geo/geo_addr_tab.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

/* The fields of a as "key=value; ...", the empty ones left out. */
static const char *show(const struct geo_addr *a, char *buf, size_t n)
{
	size_t len = 0;
	const struct {
		const char *k, *v;
	} f[] = {
	    {"sfx", a->num_suffix}, {"pre", a->predir},	  {"name", a->name},
	    {"type", a->type},	    {"post", a->postdir}, {"unit", a->unit},
	    {"city", a->city},	    {"st", a->state},	  {"zip", a->zip},
	    {"zip4", a->zip4},	    {"box", a->box},
	};
	size_t i;

	buf[0] = 0;
	if (a->number >= 0)
		len += (size_t)snprintf(buf + len, n - len, "num=%lld; ",
					(long long)a->number);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].v[0] && len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s=%s; ",
						f[i].k, f[i].v);
	if (a->po_box && len < n)
		len += (size_t)snprintf(buf + len, n - len, "po; ");
	if (len >= 2 && len < n)
		buf[len - 2] = 0;
	return buf;
}

/* Every field holds upper-case ASCII letters, digits, single inner
 * spaces and the normal form's few marks, and ends inside its buffer. */
static int field_ok(const char *s, size_t n)
{
	size_t i, len = strnlen(s, n);

	if (len == n)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == ' ' || c == '/' || c == '-' || c == '#'))
			return 0;
		if (c == ' ' && (i == 0 || i + 1 == len || s[i + 1] == ' '))
			return 0;
	}
	return 1;
}

static int normal(const struct geo_addr *a)
{
	return field_ok(a->num_suffix, sizeof(a->num_suffix)) &&
	       field_ok(a->predir, sizeof(a->predir)) &&
	       field_ok(a->name, sizeof(a->name)) &&
	       field_ok(a->type, sizeof(a->type)) &&
	       field_ok(a->postdir, sizeof(a->postdir)) &&
	       field_ok(a->unit, sizeof(a->unit)) &&
	       field_ok(a->city, sizeof(a->city)) &&
	       field_ok(a->state, sizeof(a->state)) &&
	       field_ok(a->zip, sizeof(a->zip)) &&
	       field_ok(a->zip4, sizeof(a->zip4)) &&
	       field_ok(a->box, sizeof(a->box));
}

/*
 * The parse's street, unit, city, state and ZIP, normalised again
 * through geo_addr_street and geo_addr_parse_parts, come back the same:
 * the normal form is a fixed point.
 */
static void check_fixed_point(const struct geo_addr *a, const char *what,
			      const char *file, int line)
{
	struct geo_addr b, c;
	char zip[12], x[512], y[512];

	if (a->name[0]) {
		memset(&b, 0, sizeof(b));
		if (geo_addr_street(a->predir, a->name, a->type, a->postdir,
				    &b) != GEO_ADDR_OK ||
		    strcmp(a->predir, b.predir) || strcmp(a->name, b.name) ||
		    strcmp(a->type, b.type) || strcmp(a->postdir, b.postdir))
			test_fail(file, line,
				  "%s: street again: \"%s|%s|%s|%s\" -> "
				  "\"%s|%s|%s|%s\"",
				  what, a->predir, a->name, a->type, a->postdir,
				  b.predir, b.name, b.type, b.postdir);
	}
	snprintf(zip, sizeof(zip), "%s%s%s", a->zip, a->zip4[0] ? "-" : "",
		 a->zip4);
	geo_addr_parse_parts(NULL, NULL, a->unit, a->city, a->state, zip, &c);
	if (strcmp(a->unit, c.unit) || strcmp(a->city, c.city) ||
	    strcmp(a->state, c.state) || strcmp(a->zip, c.zip) ||
	    strcmp(a->zip4, c.zip4))
		test_fail(file, line, "%s: parts again: %s -> %s", what,
			  show(a, x, sizeof(x)), show(&c, y, sizeof(y)));
}

/* ---------------------------------------------------------------------
 * Free text
 * ------------------------------------------------------------------ */

struct row {
	const char *in;
	int rc;
	const char *want; /* show()'s output */
};

static void run_rows(const struct row *rows, size_t n, const char *file,
		     int line)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct geo_addr a;
		char buf[512];
		int before = test_failures();
		int rc = geo_addr_parse(rows[i].in, &a);
		CHECK_INT(rc, rows[i].rc);
		CHECK_STR(show(&a, buf, sizeof(buf)), rows[i].want);
		CHECK(normal(&a));
		if (rc == GEO_ADDR_OK)
			check_fixed_point(&a, rows[i].in, file, line);
		test_row_end(before, i, rows[i].in, file, line);
	}
}

#define RUN_ROWS(rows)                                                         \
	run_rows(rows, sizeof(rows) / sizeof((rows)[0]), __FILE__, __LINE__)

/* The forms issue 13 names, and the ambiguities it asks to settle. */
static void test_free_text(void)
{
	static const struct row rows[] = {
	    {"2901 16th St, San Francisco, CA 94103", 0,
	     "num=2901; name=16; type=ST; city=SAN FRANCISCO; st=CA; "
	     "zip=94103"},
	    {"2901 SIXTEENTH STREET SAN FRANCISCO CA 94103", 0,
	     "num=2901; name=16; type=ST; city=SAN FRANCISCO; st=CA; "
	     "zip=94103"},
	    {"2901 16TH ST SAN FRANCISCO CA 94103", 0,
	     "num=2901; name=16; type=ST; city=SAN FRANCISCO; st=CA; "
	     "zip=94103"},
	    {"2901 16th St Apt 4, San Francisco, CA 94103-1234", 0,
	     "num=2901; name=16; type=ST; unit=APT 4; city=SAN FRANCISCO; "
	     "st=CA; zip=94103; zip4=1234"},
	    {"2901 16th St, San Francisco, California 941031234", 0,
	     "num=2901; name=16; type=ST; city=SAN FRANCISCO; st=CA; "
	     "zip=94103; zip4=1234"},
	    {"1390 Market Street Suite 300 San Francisco 94102", 0,
	     "num=1390; name=MARKET; type=ST; unit=STE 300; "
	     "city=SAN FRANCISCO; zip=94102"},
	    {"32A Elgin Park", 0, "num=32; sfx=A; name=ELGIN; type=PARK"},
	    {"32 A Elgin Park", 0, "num=32; sfx=A; name=ELGIN; type=PARK"},
	    {"32-A Elgin Park", 0, "num=32; sfx=A; name=ELGIN; type=PARK"},
	    {"12 1/2 Main St", 0, "num=12; sfx=1/2; name=MAIN; type=ST"},
	    {"12-1/2 Main St", 0, "num=12; sfx=1/2; name=MAIN; type=ST"},
	    {"123-45 67th Ave", 0, "num=123; sfx=45; name=67; type=AVE"},
	    {"0012 Main St", 0, "num=12; name=MAIN; type=ST"},
	    {"55 Octavia St Apt 4", 0,
	     "num=55; name=OCTAVIA; type=ST; unit=APT 4"},
	    {"55 Octavia St Apt. 4", 0,
	     "num=55; name=OCTAVIA; type=ST; unit=APT 4"},
	    {"55 Octavia St Apt #4", 0,
	     "num=55; name=OCTAVIA; type=ST; unit=APT 4"},
	    {"Apt 4, 55 Octavia St", 0,
	     "num=55; name=OCTAVIA; type=ST; unit=APT 4"},
	    {"Suite 300 1390 Market St", 0,
	     "num=1390; name=MARKET; type=ST; unit=STE 300"},
	    {"55 Octavia St #210", 0,
	     "num=55; name=OCTAVIA; type=ST; unit=# 210"},
	    {"55 Octavia #210", 0, "num=55; name=OCTAVIA; unit=# 210"},
	    {"55 Octavia St Unit B", 0,
	     "num=55; name=OCTAVIA; type=ST; unit=UNIT B"},
	    {"55 Octavia St, Unit B, San Francisco", 0,
	     "num=55; name=OCTAVIA; type=ST; unit=UNIT B; "
	     "city=SAN FRANCISCO"},
	    {"55 Octavia St 4B", 0, "num=55; name=OCTAVIA; type=ST; unit=# 4B"},
	    {"123 Main St Fl 2", 0, "num=123; name=MAIN; type=ST; unit=FL 2"},
	    {"123 Main St 2nd Floor", 0,
	     "num=123; name=MAIN; type=ST; unit=FL 2"},
	    {"123 Main St Rear", 0, "num=123; name=MAIN; type=ST; unit=REAR"},
	    {"123 Main St Bsmt, Oakland", 0,
	     "num=123; name=MAIN; type=ST; unit=BSMT; city=OAKLAND"},
	    {"123 Main St Penthouse", 0,
	     "num=123; name=MAIN; type=ST; unit=PH"},
	    {"123 Main St Ste 5 Bldg C", 0,
	     "num=123; name=MAIN; type=ST; unit=STE 5 BLDG C"},
	    {"123 Main St Room 12", 0,
	     "num=123; name=MAIN; type=ST; unit=RM 12"},
	    {"123 Main St Lot 7", 0, "num=123; name=MAIN; type=ST; unit=LOT 7"},
	    {"123 Main St Space 7", 0,
	     "num=123; name=MAIN; type=ST; unit=SPC 7"},
	    {"123 Main St Trailer 7", 0,
	     "num=123; name=MAIN; type=ST; unit=TRLR 7"},
	    {"123 Main St Dept 7", 0,
	     "num=123; name=MAIN; type=ST; unit=DEPT 7"},
	    /* No type, postdir, predir, directional names. */
	    {"123 Main", 0, "num=123; name=MAIN"},
	    {"123 Main St W", 0, "num=123; name=MAIN; type=ST; post=W"},
	    {"123 Main Street West", 0, "num=123; name=MAIN; type=ST; post=W"},
	    {"123 W Main St", 0, "num=123; pre=W; name=MAIN; type=ST"},
	    {"123 W. Main St.", 0, "num=123; pre=W; name=MAIN; type=ST"},
	    {"123 West Main Street", 0, "num=123; pre=W; name=MAIN; type=ST"},
	    {"123 Northeast Main St", 0, "num=123; pre=NE; name=MAIN; type=ST"},
	    {"123 Main W", 0, "num=123; name=MAIN; post=W"},
	    {"123 North St", 0, "num=123; name=NORTH; type=ST"},
	    {"123 N St", 0, "num=123; name=N; type=ST"},
	    {"123 W Street", 0, "num=123; name=W; type=ST"},
	    {"123 N St NW", 0, "num=123; name=N; type=ST; post=NW"},
	    {"123 North", 0, "num=123; name=NORTH"},
	    {"123 E South St", 0, "num=123; pre=E; name=SOUTH; type=ST"},
	    {"123 South St E", 0, "num=123; name=SOUTH; type=ST; post=E"},
	    {"140 South Van Ness Ave", 0,
	     "num=140; pre=S; name=VAN NESS; type=AVE"},
	    {"100 A St", 0, "num=100; name=A; type=ST"},
	    {"100 B", 0, "num=100; name=B"},
	    /* A type word first. */
	    {"100 Avenue B", 0, "num=100; name=AVENUE B"},
	    {"100 Ave B", 0, "num=100; name=AVENUE B"},
	    {"100 Avenue of the Americas", 0,
	     "num=100; name=AVENUE OF THE AMERICAS"},
	    {"100 Park Ave", 0, "num=100; name=PARK; type=AVE"},
	    {"100 St James Pl", 0, "num=100; name=ST JAMES; type=PL"},
	    {"100 Park Place Dr", 0, "num=100; name=PARK PLACE; type=DR"},
	    {"1 Dr Carlton B Goodlett Pl", 0,
	     "num=1; name=DR CARLTON B GOODLETT; type=PL"},
	    /* Strong and weak types, and the city after them. */
	    {"123 Camas Creek Rd Townsend MT 59644", 0,
	     "num=123; name=CAMAS CREEK; type=RD; city=TOWNSEND; st=MT; "
	     "zip=59644"},
	    {"123 Main St Spring Valley CA", 0,
	     "num=123; name=MAIN; type=ST; city=SPRING VALLEY; st=CA"},
	    {"123 Main St West Hollywood CA", 0,
	     "num=123; name=MAIN; type=ST; city=WEST HOLLYWOOD; st=CA"},
	    {"123 Main St Washington", 0,
	     "num=123; name=MAIN; type=ST; city=WASHINGTON"},
	    {"123 Main St, Washington", 0,
	     "num=123; name=MAIN; type=ST; st=WA"},
	    {"123 Main St, Hartford CT", 0,
	     "num=123; name=MAIN; type=ST; city=HARTFORD; st=CT"},
	    {"123 Main St, New York, NY 10001", 0,
	     "num=123; name=MAIN; type=ST; city=NEW YORK; st=NY; zip=10001"},
	    {"123 Main St Raleigh North Carolina 27601", 0,
	     "num=123; name=MAIN; type=ST; city=RALEIGH; st=NC; zip=27601"},
	    {"1 Main St, Washington, District of Columbia", 0,
	     "num=1; name=MAIN; type=ST; city=WASHINGTON; st=DC"},
	    {"123 Main St, St. Louis, MO 63101, USA", 0,
	     "num=123; name=MAIN; type=ST; city=ST LOUIS; st=MO; zip=63101"},
	    {"123 Main St, Springfield, Ill. 62701 United States", 0,
	     "num=123; name=MAIN; type=ST; city=SPRINGFIELD; st=IL; "
	     "zip=62701"},
	    {"Apt 4, 55 Octavia Ct", 0,
	     "num=55; name=OCTAVIA; type=CT; unit=APT 4"},
	    {"123 Main Ct", 0, "num=123; name=MAIN; type=CT"},
	    {"123 Elgin Park, San Francisco", 0,
	     "num=123; name=ELGIN; type=PARK; city=SAN FRANCISCO"},
	    {"123 Elgin Park San Francisco", 0,
	     "num=123; name=ELGIN PARK SAN FRANCISCO"},
	    {"123 Main Springfield IL 62701", 0,
	     "num=123; name=MAIN SPRINGFIELD; st=IL; zip=62701"},
	    {"123 Goat Mountain F", 0, "num=123; name=GOAT MOUNTAIN F"},
	    {"123 Forest Rd South", 0, "num=123; name=FOREST; type=RD; post=S"},
	    {"123 Jackson Ln Rd", 0, "num=123; name=JACKSON LN; type=RD"},
	    {"123 E Smith Crk", 0, "num=123; pre=E; name=SMITH; type=CRK"},
	    /* Ordinals and numbered streets. */
	    {"100 9th St", 0, "num=100; name=9; type=ST"},
	    {"100 09TH ST", 0, "num=100; name=9; type=ST"},
	    {"100 Ninth Street", 0, "num=100; name=9; type=ST"},
	    {"100 NINETEENTH AVE", 0, "num=100; name=19; type=AVE"},
	    {"100 Twenty-First St", 0, "num=100; name=21; type=ST"},
	    {"100 Twenty First St", 0, "num=100; name=21; type=ST"},
	    {"100 101st Ave", 0, "num=100; name=101; type=AVE"},
	    {"100 16 St", 0, "num=100; name=16; type=ST"},
	    {"100 016 St", 0, "num=100; name=16; type=ST"},
	    {"16th St", 0, "name=16; type=ST"},
	    {"1st Ave NE", 0, "name=1; type=AVE; post=NE"},
	    {"100 W 3rd Ave SE", 0,
	     "num=100; pre=W; name=3; type=AVE; post=SE"},
	    {"100 One Hundredth St", 0, "num=100; name=100; type=ST"},
	    {"100 Sixteen Mile Rd", 0, "num=100; name=SIXTEEN MILE; type=RD"},
	    /* Routes. */
	    {"US Highway 89", 0, "name=US HWY 89"},
	    {"100 US Hwy 89", 0, "num=100; name=US HWY 89"},
	    {"100 US 89", 0, "num=100; name=US HWY 89"},
	    {"100 US-89 N", 0, "num=100; name=US HWY 89; post=N"},
	    {"100 U.S. Highway 12 East, Townsend MT", 0,
	     "num=100; name=US HWY 12; post=E; city=TOWNSEND; st=MT"},
	    {"123 State Hwy 360", 0, "num=123; name=STATE HWY 360"},
	    {"123 State Highway 360 White Sulphur Springs MT 59645", 0,
	     "num=123; name=STATE HWY 360; city=WHITE SULPHUR SPRINGS; st=MT; "
	     "zip=59645"},
	    {"123 State Route 1", 0, "num=123; name=STATE RTE 1"},
	    {"123 SR 1", 0, "num=123; name=STATE RTE 1"},
	    {"Highway 1", 0, "name=HWY 1"},
	    {"123 Hwy 1", 0, "num=123; name=HWY 1"},
	    {"123 County Road 12", 0, "num=123; name=COUNTY RD 12"},
	    {"123 CR 12", 0, "num=123; name=COUNTY RD 12"},
	    {"123 Co Rd 12", 0, "num=123; name=COUNTY RD 12"},
	    {"123 NFS Rd 211", 0, "num=123; name=NFS RD 211"},
	    {"123 I-90", 0, "num=123; name=I 90"},
	    {"123 Interstate 90", 0, "num=123; name=I 90"},
	    {"123 Route 66", 0, "num=123; name=RTE 66"},
	    {"123 Pacific Coast Hwy", 0,
	     "num=123; name=PACIFIC COAST; type=HWY"},
	    /* PO boxes: no street needed. */
	    {"PO Box 12", 0, "box=12; po"},
	    {"P.O. Box 12", 0, "box=12; po"},
	    {"P. O. Box 12", 0, "box=12; po"},
	    {"POB 12", 0, "box=12; po"},
	    {"Post Office Box 12", 0, "box=12; po"},
	    {"Box 12", 0, "box=12; po"},
	    {"PO Box #12", 0, "box=12; po"},
	    {"P.O. Box 12, Oakland CA 94612", 0,
	     "city=OAKLAND; st=CA; zip=94612; box=12; po"},
	    {"PO Box 12, Oakland CA", 0, "city=OAKLAND; st=CA; box=12; po"},
	    {"100 Box Canyon Rd", 0, "num=100; name=BOX CANYON; type=RD"},
	    /* Letters folded, punctuation dropped. */
	    {"123 Cañada Rd", 0, "num=123; name=CANADA; type=RD"},
	    {"123 CAÑADA RD", 0, "num=123; name=CANADA; type=RD"},
	    {"12 Ørsted Straße", 0, "num=12; name=ORSTED STRASSE"},
	    {"12 O'Farrell St", 0, "num=12; name=OFARRELL; type=ST"},
	    {"12 O\xe2\x80\x99"
	     "Farrell St",
	     0, "num=12; name=OFARRELL; type=ST"},
	    {"12  main   st ,,, san francisco", 0,
	     "num=12; name=MAIN; type=ST; city=SAN FRANCISCO"},
	    {"12 Main St\nSan Francisco\nCA 94103", 0,
	     "num=12; name=MAIN; type=ST; city=SAN FRANCISCO; st=CA; "
	     "zip=94103"},
	    {"12 Main St (rear)", 0, "num=12; name=MAIN; type=ST; unit=REAR"},
	    /* Well-known addresses, as people write them. */
	    {"1600 Pennsylvania Ave NW, Washington, DC 20500", 0,
	     "num=1600; name=PENNSYLVANIA; type=AVE; post=NW; city=WASHINGTON; "
	     "st=DC; zip=20500"},
	    {"350 5th Ave, New York, NY 10118", 0,
	     "num=350; name=5; type=AVE; city=NEW YORK; st=NY; zip=10118"},
	    {"1 Infinite Loop, Cupertino, CA 95014", 0,
	     "num=1; name=INFINITE; type=LOOP; city=CUPERTINO; st=CA; "
	     "zip=95014"},
	    {"4059 Mt Lee Dr, Hollywood, CA 90068", 0,
	     "num=4059; name=MT LEE; type=DR; city=HOLLYWOOD; st=CA; "
	     "zip=90068"},
	    {"10 Mass Ave, Cambridge, MA", 0,
	     "num=10; name=MASS; type=AVE; city=CAMBRIDGE; st=MA"},
	    {"123 Main St South San Francisco CA 94080", 0,
	     "num=123; name=MAIN; type=ST; city=SOUTH SAN FRANCISCO; st=CA; "
	     "zip=94080"},
	    {"140 S. Van Ness Ave., SF, CA", 0,
	     "num=140; pre=S; name=VAN NESS; type=AVE; city=SF; st=CA"},
	    {"55 Octavia Street Apartment 4 San Francisco California", 0,
	     "num=55; name=OCTAVIA; type=ST; unit=APT 4; city=SAN FRANCISCO; "
	     "st=CA"},
	    {"Apt 12B 77 Van Ness Ave San Francisco", 0,
	     "num=77; name=VAN NESS; type=AVE; unit=APT 12B; "
	     "city=SAN FRANCISCO"},
	    {"PO Box 123 San Francisco CA 94103", 0,
	     "city=SAN FRANCISCO; st=CA; zip=94103; box=123; po"},
	    {"55 Octavia St, Apt, # Suite", 0,
	     "num=55; name=OCTAVIA; type=ST; unit=APT STE"},
	    /* What fuzz_addr found. */
	    {"55 Octavia St ##4", 0, "num=55; name=OCTAVIA; type=ST; unit=# 4"},
	    {"123 Main St Oakland Ste 5 Piedmont", 0,
	     "num=123; name=MAIN; type=ST; unit=STE 5; city=PIEDMONT"},
	    {"100 US Twenty-First", 0, "num=100; name=US HWY 21"},
	    {"Apt, 55 Octavia St #210", 0,
	     "num=55; name=OCTAVIA; type=ST; unit=APT 210"},
	    {"55 Octavia St #, Oakland", 0,
	     "num=55; name=OCTAVIA; type=ST; unit=#; city=OAKLAND"},
	    {"# 12 Main St", 0, "num=12; name=MAIN; type=ST"},
	    {"1 Main St New York 123", GEO_ADDR_EBADZIP, ""},
	    /* Little or nothing. */
	    {"94103", 0, "zip=94103"},
	    {"94103-1234", 0, "zip=94103; zip4=1234"},
	    {"CA 94103", 0, "st=CA; zip=94103"},
	    {"asdf qwer", 0, "name=ASDF QWER"},
	    {"0P UNKNOWN", 0, "num=0; sfx=P; name=UNKNOWN"},
	    {"", GEO_ADDR_EEMPTY, ""},
	    {"!!!", GEO_ADDR_EEMPTY, ""},
	    {" , ; ", GEO_ADDR_EEMPTY, ""},
	    {"\xff\xfe", GEO_ADDR_EEMPTY, ""},
	    {"123", GEO_ADDR_ENOSTREET, "num=123"},
	    {"Apt 4", GEO_ADDR_ENOSTREET, "unit=APT 4"},
	    {"San Francisco, CA 9410", GEO_ADDR_EBADZIP, ""},
	    {"123 Main St, Oakland, CA 946123", GEO_ADDR_EBADZIP, ""},
	    {"123 Main St CA 94-12", GEO_ADDR_EBADZIP, ""},
	};

	RUN_ROWS(rows);
	{
		struct geo_addr a;
		CHECK_INT(geo_addr_parse(NULL, &a), GEO_ADDR_EEMPTY);
		CHECK_INT(a.number, -1);
	}
}

/* Fields that do not fit fail; they are never cut short. */
static void test_too_long(void)
{
	char buf[2048];
	struct geo_addr a;
	size_t i;

	/* A 63-letter name fits; 64 does not. */
	memcpy(buf, "1 ", 2);
	memset(buf + 2, 'A', 63);
	strcpy(buf + 65, " ST");
	CHECK_INT(geo_addr_parse(buf, &a), GEO_ADDR_OK);
	CHECK_INT(strlen(a.name), 63);
	memset(buf + 2, 'A', 64);
	strcpy(buf + 66, " ST");
	CHECK_INT(geo_addr_parse(buf, &a), GEO_ADDR_ETOOLONG);
	CHECK_STR(a.name, "");
	/* Words of a name add up. */
	CHECK_INT(geo_addr_parse("1 Aaaaaaaaaa Bbbbbbbbbb Cccccccccc "
				 "Dddddddddd Eeeeeeeeee Ffffffff St",
				 &a),
		  GEO_ADDR_OK);
	CHECK_INT(strlen(a.name), 63);
	CHECK_INT(geo_addr_parse("1 Aaaaaaaaaa Bbbbbbbbbb Cccccccccc "
				 "Dddddddddd Eeeeeeeeee Ffffffff G St",
				 &a),
		  GEO_ADDR_ETOOLONG);
	/* A city of 48 letters, a unit of 32, a house number of 16
	 * digits, a box of 16 digits. */
	CHECK_INT(geo_addr_parse("1 Main St, "
				 "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
				 "aaa, CA",
				 &a),
		  GEO_ADDR_ETOOLONG);
	CHECK_INT(geo_addr_parse("1 Main St, "
				 "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
				 "aa, CA",
				 &a),
		  GEO_ADDR_OK);
	CHECK_INT(
	    geo_addr_parse("1 Main St Ste 123456789012345678901234567", &a),
	    GEO_ADDR_OK);
	CHECK_STR(a.unit, "STE 123456789012345678901234567");
	CHECK_INT(
	    geo_addr_parse("1 Main St Ste 1234567890123456789012345678", &a),
	    GEO_ADDR_ETOOLONG);
	CHECK_INT(geo_addr_parse("123456789012345 Main St", &a), GEO_ADDR_OK);
	CHECK_INT(a.number, 123456789012345LL);
	CHECK_INT(geo_addr_parse("1234567890123456 Main St", &a),
		  GEO_ADDR_ETOOLONG);
	CHECK_INT(geo_addr_parse("PO Box 123456789012345", &a), GEO_ADDR_OK);
	CHECK_INT(geo_addr_parse("PO Box 1234567890123456", &a),
		  GEO_ADDR_ETOOLONG);
	CHECK_INT(geo_addr_parse("1 Main St 12345678", &a), GEO_ADDR_OK);
	CHECK_STR(a.num_suffix, "");
	CHECK_INT(geo_addr_parse("1ABCDEFGH Main St", &a), GEO_ADDR_ETOOLONG);
	CHECK_INT(geo_addr_parse("1ABCDEFG Main St", &a), GEO_ADDR_OK);
	CHECK_STR(a.num_suffix, "ABCDEFG");
	/* More words than the parser holds. */
	for (i = 0; i < 200; i++)
		memcpy(buf + 2 * i, "A ", 2);
	buf[400] = 0;
	CHECK_INT(geo_addr_parse(buf, &a), GEO_ADDR_ETOOLONG);
	/* A text longer than its buffer. */
	memset(buf, 'A', 1000);
	buf[1000] = 0;
	CHECK_INT(geo_addr_parse(buf, &a), GEO_ADDR_ETOOLONG);
}

/* ---------------------------------------------------------------------
 * Split columns
 * ------------------------------------------------------------------ */

static void test_parts(void)
{
	static const struct {
		const char *num, *street, *unit, *city, *state, *zip;
		int rc;
		const char *want;
	} rows[] = {
	    {"2901", "16th Street", "4", "San Francisco", "California", "94103",
	     0,
	     "num=2901; name=16; type=ST; unit=# 4; city=SAN FRANCISCO; st=CA; "
	     "zip=94103"},
	    {NULL, "2901 16th St #4", NULL, NULL, "ca", "94103-1234", 0,
	     "num=2901; name=16; type=ST; unit=# 4; st=CA; zip=94103; "
	     "zip4=1234"},
	    {"2901", "2901 16th St", NULL, NULL, NULL, "941031234", 0,
	     "num=2901; name=16; type=ST; zip=94103; zip4=1234"},
	    {"55", "1 Rd", NULL, NULL, NULL, NULL, 0,
	     "num=55; name=1; type=RD"},
	    {"32A", "Elgin Park", NULL, NULL, NULL, NULL, 0,
	     "num=32; sfx=A; name=ELGIN; type=PARK"},
	    {"12 1/2", "Main St", "Apt. 3", NULL, NULL, NULL, 0,
	     "num=12; sfx=1/2; name=MAIN; type=ST; unit=APT 3"},
	    {"12 A", "Main St", "Suite 300", NULL, NULL, NULL, 0,
	     "num=12; sfx=A; name=MAIN; type=ST; unit=STE 300"},
	    {"300", "Octavia St", "COMML", NULL, NULL, NULL, 0,
	     "num=300; name=OCTAVIA; type=ST; unit=# COMML"},
	    {"140", "South Van Ness Ave", "208 C", NULL, NULL, NULL, 0,
	     "num=140; pre=S; name=VAN NESS; type=AVE; unit=# 208 C"},
	    {NULL, "PO Box 7", NULL, "Oakland", "CA", "94612", 0,
	     "city=OAKLAND; st=CA; zip=94612; box=7; po"},
	    {NULL, NULL, NULL, NULL, NULL, "94103 1234", 0,
	     "zip=94103; zip4=1234"},
	    {NULL, NULL, NULL, "Oakland", "XY", NULL, GEO_ADDR_ENOSTREET,
	     "city=OAKLAND; st=XY"},
	    {NULL, NULL, NULL, NULL, NULL, NULL, GEO_ADDR_EEMPTY, ""},
	    {"", "", "", "", "", "", GEO_ADDR_EEMPTY, ""},
	    {"abc", "Main St", NULL, NULL, NULL, NULL, GEO_ADDR_EBADNUM, ""},
	    {"16th", "Main St", NULL, NULL, NULL, NULL, GEO_ADDR_EBADNUM, ""},
	    {"12 13", "Main St", NULL, NULL, NULL, NULL, GEO_ADDR_EBADNUM, ""},
	    {"1", "Main St", NULL, NULL, NULL, "9410", GEO_ADDR_EBADZIP, ""},
	    {"1", "Main St", NULL, NULL, NULL, "2134", GEO_ADDR_EBADZIP, ""},
	    {"1", "Main St", NULL, NULL, NULL, "94103.0", GEO_ADDR_EBADZIP, ""},
	    {"1", "Main St", NULL, NULL, "Californias", NULL, GEO_ADDR_ETOOLONG,
	     ""},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct geo_addr a;
		char buf[512];
		int before = test_failures();
		CHECK_INT(geo_addr_parse_parts(rows[i].num, rows[i].street,
					       rows[i].unit, rows[i].city,
					       rows[i].state, rows[i].zip, &a),
			  rows[i].rc);
		CHECK_STR(show(&a, buf, sizeof(buf)), rows[i].want);
		CHECK(normal(&a));
		test_row_end(before, i, rows[i].street ? rows[i].street : "-",
			     __FILE__, __LINE__);
	}
}

/* Reference files' street columns. */
static void test_street(void)
{
	static const struct {
		const char *pre, *name, *type, *post;
		int rc;
		const char *want;
	} rows[] = {
	    /* EAS */
	    {NULL, "09TH", "ST", NULL, 0, "name=9; type=ST"},
	    {NULL, "SOUTH VAN NESS", "AVE", NULL, 0,
	     "pre=S; name=VAN NESS; type=AVE"},
	    {NULL, "DR CARLTON B GOODLETT", "PL", NULL, 0,
	     "name=DR CARLTON B GOODLETT; type=PL"},
	    {NULL, "UNKNOWN", "", NULL, 0, "name=UNKNOWN"},
	    /* TIGER FULLNAME */
	    {NULL, "3rd Ave SE", NULL, NULL, 0, "name=3; type=AVE; post=SE"},
	    {NULL, "N Main St", NULL, NULL, 0, "pre=N; name=MAIN; type=ST"},
	    {NULL, "1 Rd", NULL, NULL, 0, "name=1; type=RD"},
	    {NULL, "71 Ranch Rd", NULL, NULL, 0, "name=71 RANCH; type=RD"},
	    {NULL, "US Hwy 89 N", NULL, NULL, 0, "name=US HWY 89; post=N"},
	    {NULL, "Hwy 360", NULL, NULL, 0, "name=HWY 360"},
	    {NULL, "NFS Rd 211", NULL, NULL, 0, "name=NFS RD 211"},
	    {NULL, "Goat Mountain F", NULL, NULL, 0, "name=GOAT MOUNTAIN F"},
	    {NULL, "West Roadway", NULL, NULL, 0, "pre=W; name=ROADWAY"},
	    {NULL, "Forest Rd South", NULL, NULL, 0,
	     "name=FOREST; type=RD; post=S"},
	    {NULL, "S East Rd", NULL, NULL, 0, "pre=S; name=EAST; type=RD"},
	    {NULL, "South St E", NULL, NULL, 0, "name=SOUTH; type=ST; post=E"},
	    {NULL, "Grasshopper", NULL, NULL, 0, "name=GRASSHOPPER"},
	    {NULL, "Castle Mtn Ranch Rd", NULL, NULL, 0,
	     "name=CASTLE MTN RANCH; type=RD"},
	    {NULL, "Ave B", NULL, NULL, 0, "name=AVENUE B"},
	    {NULL, "Main St Spring", NULL, NULL, 0, "name=MAIN ST; type=SPG"},
	    /* NAD */
	    {"North", "Main", "Street", NULL, 0, "pre=N; name=MAIN; type=ST"},
	    {"", "Twenty-first", "Avenue", "Southwest", 0,
	     "name=21; type=AVE; post=SW"},
	    {NULL, "N", "St", NULL, 0, "name=N; type=ST"},
	    {NULL, "Main", "Xyz", NULL, 0, "name=MAIN; type=XYZ"},
	    {NULL, "Elg N", "Park", NULL, 0, "name=ELG N; type=PARK"},
	    {"W", "Tgen Y-F Sta E", NULL, "SE", 0,
	     "pre=W; name=TGEN Y-F STA E; post=SE"},
	    {NULL, "Main # 5", NULL, NULL, 0, "name=MAIN 5"},
	    {NULL, "Main", "Boulevards", NULL, GEO_ADDR_ETOOLONG, ""},
	    {NULL, "", "St", NULL, GEO_ADDR_EEMPTY, "type=ST"},
	    {NULL, "---", NULL, NULL, GEO_ADDR_EEMPTY, ""},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct geo_addr a;
		char buf[512];
		int before = test_failures();
		memset(&a, 0, sizeof(a));
		a.number = -1;
		strcpy(a.city, "KEPT");
		CHECK_INT(geo_addr_street(rows[i].pre, rows[i].name,
					  rows[i].type, rows[i].post, &a),
			  rows[i].rc);
		CHECK_STR(a.city, "KEPT");
		a.city[0] = 0;
		CHECK_STR(show(&a, buf, sizeof(buf)), rows[i].want);
		CHECK(normal(&a));
		test_row_end(before, i, rows[i].name, __FILE__, __LINE__);
	}
}

/* ---------------------------------------------------------------------
 * The dictionary
 * ------------------------------------------------------------------ */

/* Publication 28 Appendix C1 rows copied from the publication: the
 * primary name, its common abbreviations, the standard abbreviation. */
static void test_pub28_suffixes(void)
{
	static const char *const rows[][8] = {
	    {"ALY", "ALLEY", "ALLEE", "ALLY", "ALY"},
	    {"AVE", "AVENUE", "AV", "AVEN", "AVENU", "AVN", "AVNUE", "AVE"},
	    {"BLVD", "BOULEVARD", "BOUL", "BOULV", "BLVD"},
	    {"CYN", "CANYON", "CANYN", "CNYN"},
	    {"CTR", "CENTER", "CEN", "CENT", "CENTR", "CENTRE", "CNTER",
	     "CNTR"},
	    {"CIR", "CIRCLE", "CIRC", "CIRCL", "CRCL", "CRCLE"},
	    {"CT", "COURT"},
	    {"XING", "CROSSING", "CRSSNG"},
	    {"DR", "DRIVE", "DRIV", "DRV"},
	    {"EXPY", "EXPRESSWAY", "EXP", "EXPR", "EXPRESS", "EXPW"},
	    {"FWY", "FREEWAY", "FREEWY", "FRWAY", "FRWY"},
	    {"HWY", "HIGHWAY", "HIGHWY", "HIWAY", "HIWY", "HWAY"},
	    {"HOLW", "HOLLOW", "HLLW", "HOLLOWS", "HOLWS"},
	    {"JCT", "JUNCTION", "JCTION", "JCTN", "JUNCTN", "JUNCTON"},
	    {"LN", "LANE"},
	    {"MTN", "MOUNTAIN", "MNTAIN", "MNTN", "MOUNTIN", "MTIN"},
	    {"PKWY", "PARKWAY", "PARKWY", "PKWAY", "PKY", "PARKWAYS", "PKWYS"},
	    {"PL", "PLACE"},
	    {"PLZ", "PLAZA", "PLZA"},
	    {"RD", "ROAD"},
	    {"SQ", "SQUARE", "SQR", "SQRE", "SQU"},
	    {"STRA", "STRAVENUE", "STRAV", "STRAVEN", "STRAVN", "STRVN",
	     "STRVNUE"},
	    {"ST", "STREET", "STRT", "STR"},
	    {"TER", "TERRACE", "TERR"},
	    {"TPKE", "TURNPIKE", "TRNPK", "TURNPK"},
	    {"TRL", "TRAIL", "TRAILS", "TRLS"},
	    {"VIA", "VIADUCT", "VDCT", "VIADCT"},
	    {"VIS", "VISTA", "VIST", "VST", "VSTA"},
	    {"WAY", "WY"},
	    {"WL", "WELL"},
	    {"WLS", "WELLS"},
	    {"PARK", "PARKS", "PRK"},
	    {"WALK", "WALKS"},
	    {"SPUR", "SPURS"},
	    {"MDWS", "MEADOWS", "MEDOWS"},
	    {"MDW", "MEADOW"},
	};
	size_t i, j;
	char low[32];

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		for (j = 0; j < 8 && rows[i][j]; j++) {
			const char *s = geo_addr_suffix_std(rows[i][j]);
			size_t k;
			if (!s || strcmp(s, rows[i][0]) != 0)
				test_fail(__FILE__, __LINE__,
					  "suffix %s -> %s, expected %s",
					  rows[i][j], s ? s : "(null)",
					  rows[i][0]);
			/* lower case with a period, as typed */
			for (k = 0; rows[i][j][k]; k++)
				low[k] = (char)(rows[i][j][k] | 0x20);
			low[k] = '.';
			low[k + 1] = 0;
			s = geo_addr_suffix_std(low);
			if (!s || strcmp(s, rows[i][0]) != 0)
				test_fail(__FILE__, __LINE__,
					  "suffix %s -> %s, expected %s", low,
					  s ? s : "(null)", rows[i][0]);
		}
	CHECK(geo_addr_suffix_std("MAIN") == NULL);
	CHECK(geo_addr_suffix_std("ST ST") == NULL);
	CHECK(geo_addr_suffix_std("") == NULL);
	CHECK(geo_addr_suffix_std(NULL) == NULL);
	CHECK(geo_addr_suffix_std("STREETS") != NULL);
	CHECK_STR(geo_addr_suffix_std("Streets"), "STS");
}

/* geo_addr_hash is the index of geo_addr_words, built here the same way
 * (linear probing from each word's FNV-1a, in table order); when it is
 * not, the right one is printed, to paste into geo_addr_tab.c. */
static void check_hash(void)
{
	static unsigned short want[GEO_ADDR_HASH_SIZE];
	size_t i, longest = 0;

	memset(want, 0, sizeof(want));
	for (i = 0; i < geo_addr_nwords; i++) {
		const struct geo_addr_word *w = &geo_addr_words[i];
		unsigned h = geo_addr_word_hash(w->w, w->len);
		size_t probe = 1;
		while (want[h & (GEO_ADDR_HASH_SIZE - 1)]) {
			h++;
			probe++;
		}
		want[h & (GEO_ADDR_HASH_SIZE - 1)] = (unsigned short)(i + 1);
		if (probe > longest)
			longest = probe;
	}
	CHECK(longest <= 8);
	if (memcmp(want, geo_addr_hash, sizeof(want)) != 0) {
		test_fail(__FILE__, __LINE__,
			  "geo_addr_hash is not the table's index; it is:");
		for (i = 0; i < GEO_ADDR_HASH_SIZE; i++)
			printf("%s%u,%s", i % 12 ? " " : "\t", want[i],
			       i % 12 == 11 ? "\n" : "");
		printf("\n");
	}
}

/* The table: sorted, lengths right, every suffix's standard form and
 * primary name known as themselves, 200-odd C1 entries. */
static void test_table(void)
{
	size_t i, nsuf = 0, nprim = 0;

	for (i = 0; i < geo_addr_nwords; i++) {
		const struct geo_addr_word *w = &geo_addr_words[i];
		if (strlen(w->w) != w->len)
			test_fail(__FILE__, __LINE__, "%s: length %u", w->w,
				  w->len);
		if (i > 0 && strcmp(geo_addr_words[i - 1].w, w->w) >= 0)
			test_fail(__FILE__, __LINE__, "%s after %s", w->w,
				  geo_addr_words[i - 1].w);
		if (geo_addr_word_find(w->w, w->len) != w)
			test_fail(__FILE__, __LINE__, "%s not found", w->w);
		if (w->suf) {
			const char *s1 = geo_addr_suffix_std(w->suf);
			const char *s2 = geo_addr_suffix_std(w->sufname);
			nsuf++;
			if (strcmp(w->w, w->sufname) == 0)
				nprim++;
			if (!s1 || strcmp(s1, w->suf) || !s2 ||
			    strcmp(s2, w->suf))
				test_fail(__FILE__, __LINE__,
					  "%s: %s and %s are not %s", w->w,
					  w->suf, w->sufname, w->suf);
		}
		if (w->dir)
			CHECK(geo_addr_dir_std(w->w) == w->dir);
	}
	CHECK_INT(nprim, 206);
	check_hash();
	CHECK(nsuf > 500);
	CHECK(geo_addr_word_find("AVEN", 3) != NULL); /* "AVE" */
	CHECK(geo_addr_word_find("ZZZZ", 4) == NULL);
	CHECK_STR(geo_addr_word_find("PKWY", 4)->sufname, "PARKWAY");
	CHECK_STR(geo_addr_word_find("PARK", 4)->sufname, "PARK");
	CHECK_STR(geo_addr_word_find("PARKS", 5)->sufname, "PARKS");
	CHECK(geo_addr_word_find("A", 1) == NULL);
}

static void test_dirs_states(void)
{
	static const char *const dirs[][2] = {
	    {"N", "N"},		 {"n", "N"},	 {"N.", "N"},
	    {"North", "N"},	 {"SOUTH", "S"}, {"e", "E"},
	    {"West", "W"},	 {"NE", "NE"},	 {"Northeast", "NE"},
	    {"S.W.", "SW"},	 {"sw", "SW"},	 {"Southwest", "SW"},
	    {"NORTHWEST", "NW"}, {"se", "SE"},	 {"Southeast", "SE"},
	};
	static const char *const states[][2] = {
	    {"California", "CA"},
	    {"ca", "CA"},
	    {"CALIF", "CA"},
	    {"Calif.", "CA"},
	    {"New York", "NY"},
	    {"new-york", NULL},
	    {"N.Y.", "NY"},
	    {"District of Columbia", "DC"},
	    {"D.C.", "DC"},
	    {"Montana", "MT"},
	    {"Mont", "MT"},
	    {"Puerto Rico", "PR"},
	    {"Wash.", "WA"},
	    {"Tex", "TX"},
	    {"West Virginia", "WV"},
	    {"Guam", "GU"},
	    {"Cal", "CA"},
	    {"Mass", "MA"},
	    {"Massachusetts", "MA"},
	    {"Main", NULL},
	    {"", NULL},
	    {"XX", NULL},
	    {"New", NULL},
	    {"York", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		CHECK_STR(geo_addr_dir_std(dirs[i][0]), dirs[i][1]);
	CHECK(geo_addr_dir_std("Norte") == NULL);
	CHECK(geo_addr_dir_std("N E") == NULL);
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		const char *s = geo_addr_state_std(states[i][0]);
		if (states[i][1])
			CHECK_STR(s, states[i][1]);
		else if (s)
			test_fail(__FILE__, __LINE__, "state %s -> %s",
				  states[i][0], s);
	}
}

/* ---------------------------------------------------------------------
 * Ordinals
 * ------------------------------------------------------------------ */

/* n in words as an ordinal ("TWENTY-FIRST"), written here from scratch;
 * sep between tens and units. */
static void ordinal_words(int n, const char *sep, char *buf, size_t len)
{
	static const char *const ones[] = {
	    "",		 "FIRST",	"SECOND",     "THIRD",
	    "FOURTH",	 "FIFTH",	"SIXTH",      "SEVENTH",
	    "EIGHTH",	 "NINTH",	"TENTH",      "ELEVENTH",
	    "TWELFTH",	 "THIRTEENTH",	"FOURTEENTH", "FIFTEENTH",
	    "SIXTEENTH", "SEVENTEENTH", "EIGHTEENTH", "NINETEENTH"};
	static const char *const tens[] = {
	    "",	     "",      "TWENTY",	 "THIRTY", "FORTY",
	    "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY"};
	static const char *const tenths[] = {
	    "",		"",	    "TWENTIETH",  "THIRTIETH", "FORTIETH",
	    "FIFTIETH", "SIXTIETH", "SEVENTIETH", "EIGHTIETH", "NINETIETH"};

	if (n == 100)
		snprintf(buf, len, "ONE%sHUNDREDTH", sep);
	else if (n < 20)
		snprintf(buf, len, "%s", ones[n]);
	else if (n % 10 == 0)
		snprintf(buf, len, "%s", tenths[n / 10]);
	else
		snprintf(buf, len, "%s%s%s", tens[n / 10], sep, ones[n % 10]);
}

static void test_ordinals(void)
{
	static const char *const sfx[] = {"TH", "ST", "ND", "RD", "TH",
					  "TH", "TH", "TH", "TH", "TH"};
	char w[64], text[128], want[16];
	int n;

	for (n = 1; n <= 100; n++) {
		const char *s =
		    (n % 100 >= 11 && n % 100 <= 13) ? "TH" : sfx[n % 10];
		int before = test_failures();
		struct geo_addr a;
		const char *seps[] = {"-", " "};
		size_t k;

		snprintf(want, sizeof(want), "%d", n);
		snprintf(w, sizeof(w), "%d%s", n, s);
		CHECK_INT(geo_addr_ordinal(w), n);
		snprintf(w, sizeof(w), "%02d%s", n, s);
		CHECK_INT(geo_addr_ordinal(w), n);
		snprintf(w, sizeof(w), "%d%c%c", n, s[0] | 0x20, s[1] | 0x20);
		CHECK_INT(geo_addr_ordinal(w), n);
		snprintf(text, sizeof(text), "100 %s St", w);
		CHECK_INT(geo_addr_parse(text, &a), GEO_ADDR_OK);
		CHECK_STR(a.name, want);
		snprintf(text, sizeof(text), "100 %02d%s AVE", n, s);
		CHECK_INT(geo_addr_parse(text, &a), GEO_ADDR_OK);
		CHECK_STR(a.name, want);
		snprintf(text, sizeof(text), "100 %d St", n);
		CHECK_INT(geo_addr_parse(text, &a), GEO_ADDR_OK);
		CHECK_STR(a.name, want);
		for (k = 0; k < 2; k++) {
			ordinal_words(n, seps[k], w, sizeof(w));
			CHECK_INT(geo_addr_ordinal(w), n);
			snprintf(text, sizeof(text), "100 %s Street", w);
			CHECK_INT(geo_addr_parse(text, &a), GEO_ADDR_OK);
			CHECK_STR(a.name, want);
			CHECK_STR(a.type, "ST");
			/* Title case, as people type it */
			{
				size_t i;
				for (i = 1; w[i]; i++)
					if (w[i - 1] != ' ' && w[i - 1] != '-')
						w[i] = (char)(w[i] | 0x20);
			}
			CHECK_INT(geo_addr_ordinal(w), n);
		}
		test_row_end(before, (size_t)n, w, __FILE__, __LINE__);
	}
	CHECK_INT(geo_addr_ordinal("101st"), 101);
	CHECK_INT(geo_addr_ordinal("16"), 16);
	CHECK_INT(geo_addr_ordinal("016"), 16);
	CHECK_INT(geo_addr_ordinal("Main"), -1);
	CHECK_INT(geo_addr_ordinal("Twenty"), -1);
	CHECK_INT(geo_addr_ordinal("Twenty Twentieth"), -1);
	CHECK_INT(geo_addr_ordinal("Twenty Eleventh"), -1);
	CHECK_INT(geo_addr_ordinal("16TX"), -1);
	CHECK_INT(geo_addr_ordinal(""), -1);
	CHECK_INT(geo_addr_ordinal(NULL), -1);
	CHECK_INT(geo_addr_ordinal("9th St"), -1);
}

static void test_street_key(void)
{
	struct geo_addr a;
	char buf[8];

	CHECK_INT(geo_addr_parse("2901 W 16th St NE", &a), GEO_ADDR_OK);
	CHECK_INT(geo_addr_street_key(&a, buf, sizeof(buf)), 2);
	CHECK_STR(buf, "16");
	CHECK_INT(geo_addr_parse("1 Dr Carlton B Goodlett Pl", &a),
		  GEO_ADDR_OK);
	CHECK_INT(geo_addr_street_key(&a, buf, sizeof(buf)), 21);
	CHECK_STR(buf, "DR CARL");
	CHECK_INT(geo_addr_street_key(&a, buf, 0), 21);
}

/* ---------------------------------------------------------------------
 * Threads: no state is shared
 * ------------------------------------------------------------------ */

static const char *const thread_inputs[] = {
    "2901 16th St Apt 4, San Francisco, CA 94103-1234",
    "PO Box 12, Oakland CA 94612",
    "100 US Highway 89 N, White Sulphur Springs, Montana 59645",
    "32 A Elgin Park",
};

static void *thread_run(void *arg)
{
	size_t i, bad = 0;
	char want[4][512], got[512];
	struct geo_addr a;

	(void)arg;
	for (i = 0; i < 4; i++) {
		geo_addr_parse(thread_inputs[i], &a);
		show(&a, want[i], sizeof(want[i]));
	}
	for (i = 0; i < 200000; i++) {
		geo_addr_parse(thread_inputs[i % 4], &a);
		if (strcmp(show(&a, got, sizeof(got)), want[i % 4]) != 0)
			bad++;
	}
	return (void *)bad;
}

static void test_threads(void)
{
	pthread_t th[2];
	void *r[2];
	int i;

	for (i = 0; i < 2; i++)
		CHECK_INT(pthread_create(&th[i], NULL, thread_run, NULL), 0);
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], &r[i]);
		CHECK_INT((size_t)r[i], 0);
	}
}

/* ---------------------------------------------------------------------
 * Real reference data
 * ------------------------------------------------------------------ */

/*
 * Every row of the EAS excerpt: ADDRESS parsed as free text, with the
 * ZIP after it, gives what the split columns give through
 * geo_addr_parse_parts and geo_addr_street.
 */
static void test_eas(void)
{
	const char *d = test_need_shared_data();
	struct core_err err = CORE_ERR_INIT;
	struct core_csv *c;
	char *path;
	int ia, in, is, iname, itype, izip, iunit, r;
	long rows = 0, bad = 0, units = 0, sfx = 0;

	if (!d)
		return;
	path =
	    xasprintf("%s/sf-address-points/sf_eas_addresses_excerpt.csv", d);
	c = core_csv_open(path, &err);
	free(path);
	CHECK(c != NULL);
	if (!c)
		return;
	ia = core_csv_col(c, "ADDRESS");
	in = core_csv_col(c, "ADDR_NUM");
	is = core_csv_col(c, "ADDR_N_SFX");
	iname = core_csv_col(c, "ST_NAME");
	itype = core_csv_col(c, "ST_TYPE");
	izip = core_csv_col(c, "ZIPCODE");
	iunit = core_csv_col(c, "UNIT_NUM");
	CHECK(ia >= 0 && in >= 0 && is >= 0 && iname >= 0 && itype >= 0 &&
	      izip >= 0 && iunit >= 0);
	while ((r = core_csv_next(c, &err)) == 1) {
		struct geo_addr a, b, s;
		char text[256], num[64], x[512], y[512];
		const char *unit = core_csv_get(c, (size_t)iunit);
		rows++;
		/* A unit of one word goes along ("# 503", "# COMML"). */
		if (strchr(unit, ' '))
			unit = "";
		snprintf(text, sizeof(text), "%s%s%s, San Francisco, CA %s",
			 core_csv_get(c, (size_t)ia), unit[0] ? " # " : "",
			 unit, core_csv_get(c, (size_t)izip));
		snprintf(num, sizeof(num), "%s%s", core_csv_get(c, (size_t)in),
			 core_csv_get(c, (size_t)is));
		if (geo_addr_parse(text, &a) != GEO_ADDR_OK ||
		    geo_addr_parse_parts(num, NULL, unit, "San Francisco", "CA",
					 core_csv_get(c, (size_t)izip),
					 &b) != GEO_ADDR_OK ||
		    geo_addr_street(NULL, core_csv_get(c, (size_t)iname),
				    core_csv_get(c, (size_t)itype), NULL,
				    &b) != GEO_ADDR_OK) {
			if (bad++ < 5)
				test_fail(__FILE__, __LINE__,
					  "line %ld: %s: does not parse",
					  core_csv_line(c), text);
			continue;
		}
		/* the street alone, as the split columns give it */
		CHECK_INT(geo_addr_street(NULL, core_csv_get(c, (size_t)iname),
					  core_csv_get(c, (size_t)itype), NULL,
					  &s),
			  GEO_ADDR_OK);
		show(&a, x, sizeof(x));
		show(&b, y, sizeof(y));
		if (strcmp(x, y) != 0 && bad++ < 5)
			test_fail(__FILE__, __LINE__,
				  "line %ld: %s: %s, columns %s",
				  core_csv_line(c), text, x, y);
		units += a.unit[0] != 0;
		sfx += a.num_suffix[0] != 0;
	}
	CHECK_INT(r, 0);
	CHECK_INT(rows, 5245);
	CHECK_INT(bad, 0);
	CHECK_INT(units, 1947 - 143); /* 143 units of two words */
	CHECK_INT(sfx, 40);
	core_csv_free(c);
}

/*
 * Every FULLNAME of Meagher County's TIGER ADDRFEAT: split to a name,
 * the same alone (geo_addr_street) and after a house number
 * (geo_addr_parse "100 FULLNAME"); the split is counted by kind.
 */
static void test_tiger(void)
{
	const char *d = test_need_shared_data();
	char *path;
	GDALDatasetH ds;
	OGRLayerH lyr;
	OGRFeatureH f;
	long n = 0, bad = 0, typed = 0, pre = 0, post = 0, routes = 0, bare = 0;
	int fi;

	if (!d)
		return;
	path =
	    xasprintf("%s/tiger-addrfeat-30059/tl_2021_30059_addrfeat.dbf", d);
	GDALAllRegister();
	ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL,
			NULL);
	free(path);
	CHECK(ds != NULL);
	if (!ds)
		return;
	lyr = GDALDatasetGetLayer(ds, 0);
	fi = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(lyr), "FULLNAME");
	CHECK(fi >= 0);
	while (fi >= 0 && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
		const char *full = OGR_F_GetFieldAsString(f, fi);
		struct geo_addr s, a;
		char text[256], x[512], y[512];
		n++;
		memset(&s, 0, sizeof(s));
		s.number = -1;
		snprintf(text, sizeof(text), "100 %s", full);
		if (geo_addr_street(NULL, full, NULL, NULL, &s) !=
			GEO_ADDR_OK ||
		    geo_addr_parse(text, &a) != GEO_ADDR_OK || !s.name[0]) {
			if (bad++ < 5)
				test_fail(__FILE__, __LINE__,
					  "FULLNAME \"%s\" does not parse",
					  full);
			OGR_F_Destroy(f);
			continue;
		}
		s.number = 100;
		show(&s, x, sizeof(x));
		show(&a, y, sizeof(y));
		if (strcmp(x, y) != 0 && bad++ < 5)
			test_fail(__FILE__, __LINE__,
				  "\"%s\": alone %s, after a number %s", full,
				  x, y);
		typed += s.type[0] != 0;
		pre += s.predir[0] != 0;
		post += s.postdir[0] != 0;
		routes += strstr(s.name, "HWY ") || strstr(s.name, "RD ");
		bare += !s.type[0] && !strstr(s.name, "HWY ") &&
			!strstr(s.name, "RD ");
		OGR_F_Destroy(f);
	}
	GDALClose(ds);
	CHECK_INT(bad, 0);
	CHECK_INT(n, 677);
	printf("  TIGER 30059: %ld FULLNAMEs: %ld with a type, %ld predir, "
	       "%ld postdir, %ld routes, %ld name only\n",
	       n, typed, pre, post, routes, bare);
	CHECK(typed > n * 8 / 10);
}

static const struct test tests[] = {TEST(test_free_text),
				    TEST(test_too_long),
				    TEST(test_parts),
				    TEST(test_street),
				    TEST(test_pub28_suffixes),
				    TEST(test_table),
				    TEST(test_dirs_states),
				    TEST(test_ordinals),
				    TEST(test_street_key),
				    TEST(test_threads),
				    TEST(test_eas),
				    TEST(test_tiger),
				    {0}};

int main(void)
{
	return test_main("addr", tests);
}
