/*
 * test_scan.c - the environmental scan (issue 15): 'add asset --trusted
 * [N]' and 'import scan FILE.csv', through the binary ($ASSETMAP), on
 * workspaces and CSV files written here.  Each asset's trusted count is
 * checked against a count worked out by hand from the file (the table
 * want[] below); rows no asset matches are added (when their address is
 * in the reference addresses) or listed as not loaded, never guessed;
 * importing the same file again replaces its tallies; bad input (an
 * unknown category, a missing column, a negative times_named, a bad row
 * after good ones) is refused naming file, line and field with the
 * workspace unchanged, byte for byte.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "testlib.h"

static const char *ws_path;

/* Five assets of a source file (two share a name), the reference
 * addresses the geocoder places new resources by, and one asset added
 * by hand with --trusted 2 (asset 6). */
static int setup(void)
{
	static int done, ok;
	int once = test_fixture_once(&done, ok);

	if (once >= 0)
		return once;
	test_write("assets.csv",
		   "id,name,category,address,city,zip,lon,lat\n"
		   "M1,Mission Food Pantry,food,100 Valencia St,San "
		   "Francisco,94103,-122.4220,37.7700\n"
		   "C2,Clinica Popular,primary_care,200 Mission St,San "
		   "Francisco,94105,-122.3960,37.7900\n"
		   "C3,Clinica Popular,primary_care,300 Mission St,San "
		   "Francisco,94105,-122.3950,37.7910\n"
		   "S4,St. Anthony Foundation,food,150 Golden Gate Ave,San "
		   "Francisco,94102,-122.4130,37.7820\n"
		   "G5,Glide Memorial,social_connection,330 Ellis St,San "
		   "Francisco,94102,-122.4110,37.7850\n");
	test_write(
	    "addresses.csv",
	    "NUMBER,STREET,UNIT,CITY,REGION,POSTCODE,LON,LAT\n"
	    "500,Capp St,,San Francisco,CA,94110,-122.4180,37.7580\n"
	    "77,Bartlett St,,San Francisco,CA,94110,-122.4190,37.7540\n");
	ws_path = xasprintf("%s/scan.db", test_tmpdir());
	ok = test_sh("set -e; A='%s'; cd '%s';"
		     " $A -q -d scan.db init --crs EPSG:3310;"
		     " $A -q -d scan.db import assets assets.csv --id id --name"
		     " name --category category --address address --city city"
		     " --zip zip --lon lon --lat lat;"
		     " $A -q -d scan.db import addresses addresses.csv;"
		     " $A -q -d scan.db add asset --name 'Barbería Los Primos'"
		     " --category social_connection --at 37.7531,-122.4180"
		     " --trusted 2 > /dev/null",
		     getenv("ASSETMAP"), test_tmpdir()) == 0;
	return ok;
}

/* The scan file; line numbers as the comments say (the header is 1). */
static const char scan_v1[] =
    "Name,Category,Times Named,Address,City,ZIP,Interviewer\n"
    /* 2: name, and the address as another spelling: asset 1 */
    "Mission Food Pantry,food,4,100 Valencia Street,San Francisco,94103,"
    "ana\n"
    /* 3: the name alone, unique: asset 1 again */
    "mission food pantry,food,1,,,,ana\n"
    /* 4: a name two assets share, no address: not loaded */
    "Clinica Popular,primary_care,3,,,,ben\n"
    /* 5: with its address: asset 3 */
    "Clinica Popular,primary care,2,300 Mission St,San Francisco,94105,ben\n"
    /* 6: 'Saint' for 'St.', 'Inc.', 'Avenue', a suite: asset 4 */
    "\"Saint Anthony Foundation, Inc.\",Food Pantry,6,"
    "\"150 Golden Gate Avenue, Suite 2\",San Francisco,94102,ana\n"
    /* 7: the asset added by hand with --trusted 2: asset 6 */
    "Barbería Los Primos,social_connection,3,,,,ben\n"
    /* 8: new, its address a reference point: added */
    "Iglesia Misión,social_connection,5,500 Capp St,San Francisco,94110,"
    "ana\n"
    /* 9: the same resource again: counted with line 8's */
    "Iglesia Misión,social_connection,2,500 Capp Street,San "
    "Francisco,94110,ben\n"
    /* 10: new: added */
    "Promotora Rosa,health_education,1,77 Bartlett St,San Francisco,94110,"
    "ana\n"
    /* 11: new, its address not in the reference: not loaded */
    "Lost Place,food,1,999 Nowhere Rd,San Francisco,94110,ana\n"
    /* 12: new, no address: not loaded */
    "Nobody Known,food,2,,,,ben\n"
    /* 13: asset 5's name and street but another ZIP: no match, and not
     * placed: not loaded (never guessed) */
    "Glide Memorial,social_connection,1,330 Ellis St,San Francisco,94109,"
    "ana\n";

/* The trusted count of the asset named name (at address when not NULL):
 * -1 when there is no such asset, 0 for NULL. */
static long trusted(const char *name, const char *address)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	char *sql;
	long v;

	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return -2;
	}
	sql = xasprintf("SELECT coalesce((SELECT coalesce(trusted_count, 0)"
			" FROM assets WHERE name = '%s'%s%s%s), -1)",
			name, address ? " AND address = '" : "",
			address ? address : "", address ? "'" : "");
	v = (long)test_q_int(ws, sql);
	free(sql);
	core_ws_close(ws);
	return v;
}

static int64_t q_int(const char *sql)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	int64_t v;

	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return -2;
	}
	v = test_q_int(ws, sql);
	core_ws_close(ws);
	return v;
}

/* test_ws_snapshot of workspace name under test_tmpdir(). */
static char *snapshot_of(const char *name)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	char *s;

	if (core_ws_open(test_path(name), CORE_WS_WRITE, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return xstrdup("(error)");
	}
	s = test_ws_snapshot(ws);
	core_ws_close(ws);
	return s;
}

/* What each asset's trusted count must be after scan_v1, by hand. */
struct want {
	const char *name, *address;
	long count;
};

static void check_counts(const struct want *w, size_t n, int line)
{
	size_t i;

	for (i = 0; i < n; i++) {
		long got = trusted(w[i].name, w[i].address);

		if (got != w[i].count)
			test_fail(__FILE__, line,
				  "%s%s%s: trusted count %ld, by hand %ld",
				  w[i].name, w[i].address ? " at " : "",
				  w[i].address ? w[i].address : "", got,
				  w[i].count);
	}
}

static void test_add_trusted(void)
{
	static const struct test_cli_case cases[] = {
	    {"-d add.db add asset --name X --category food --at 37.76,-122.42"
	     " --trusted=-2",
	     2,
	     NULL,
	     "assetmap: add: --trusted: '-2' is not a number of times named; "
	     "give a whole number from 1 to 1000000",
	     {NULL, NULL},
	     NULL},
	    {"-d add.db add asset --name X --category food --at 37.76,-122.42"
	     " --trusted 0",
	     2,
	     NULL,
	     NULL,
	     {"'0' is not a number of times named", NULL},
	     NULL},
	    {"-d add.db add asset --name X --category food --at 37.76,-122.42"
	     " --trusted many",
	     2,
	     NULL,
	     NULL,
	     {"unexpected argument 'many'", NULL},
	     NULL},
	};
	char *before, *after, *out = NULL, *er = NULL;

	if (!setup())
		return;
	/* the fixture's --trusted 2 */
	CHECK_INT(trusted("Barbería Los Primos", NULL), 2);
	CHECK_INT(q_int("SELECT formal FROM assets WHERE name = 'Barbería Los "
			"Primos'"),
		  0);
	/* the rest on a workspace of its own */
	test_sh("cd '%s' && '%s' -q -d add.db init", test_tmpdir(),
		getenv("ASSETMAP"));
	before = snapshot_of("add.db");
	TEST_CLI_CASES(cases);
	after = snapshot_of("add.db");
	CHECK_STR(after, before);
	free(before);
	free(after);
	/* --trusted alone: once; before other options too */
	CHECK_INT(test_run_cli("-d add.db add asset --trusted --name 'Tía "
			       "Lupe' --category social_connection --at "
			       "37.7530,-122.4170",
			       &out, &er),
		  0);
	CHECK_CONTAINS(er, "added informal asset 1 'Tía Lupe' at "
			   "37.753000,-122.417000; a trusted resource, named 1 "
			   "time\n");
	free(out);
	free(er);
	/* without --trusted: not named */
	CHECK_INT(test_run_cli("-d add.db add asset --name 'Tío Beto' "
			       "--category social_connection --at "
			       "37.7530,-122.4171",
			       &out, &er),
		  0);
	CHECK(strstr(er, "trusted") == NULL);
	free(out);
	free(er);
	CHECK_INT(test_run_cli("-d add.db info", &out, &er), 0);
	CHECK_CONTAINS(out, "assets_informal  2\n");
	CHECK_CONTAINS(out, "assets_trusted   1 (named 1 time)\n");
	free(out);
	free(er);
	CHECK_INT(test_run_cli("-q -d add.db add asset --name 'Tía Rosa' "
			       "--category food --at 37.7530,-122.4172 "
			       "--trusted 7",
			       &out, &er),
		  0);
	free(out);
	free(er);
	CHECK_INT(test_run_cli("-d add.db info", &out, &er), 0);
	CHECK_CONTAINS(out, "assets_trusted   2 (named 8 times)\n");
	free(out);
	free(er);
}

/* The v1 file's hand values, before any other scan file. */
static const struct want want_v1[] = {
    {"Mission Food Pantry", NULL, 4 + 1},
    {"Clinica Popular", "200 Mission St", 0},
    {"Clinica Popular", "300 Mission St", 2},
    {"St. Anthony Foundation", NULL, 6},
    {"Glide Memorial", NULL, 0},
    {"Barbería Los Primos", NULL, 2 + 3},
    {"Iglesia Misión", NULL, 5 + 2},
    {"Promotora Rosa", NULL, 1},
    {"Lost Place", NULL, -1},
    {"Nobody Known", NULL, -1},
};

static void test_scan_import(void)
{
	char *out = NULL, *er = NULL, *want_orphan;
	int64_t assets_before, rosa;

	if (!setup())
		return;
	assets_before = q_int("SELECT count(*) FROM assets");
	test_write("scan.csv", scan_v1);
	CHECK_INT(test_run_cli("-d scan.db import scan scan.csv", &out, &er),
		  0);
	CHECK_CONTAINS(er, "imported scan scan.csv: 12 rows: 5 matched to "
			   "assets, 3 added as 2 new informal assets, 4 not "
			   "loaded; 6 assets named 24 times in all\n");
	CHECK_CONTAINS(er, "columns not read: Interviewer\n");
	/* every row no asset matched, with its line and name */
	CHECK_CONTAINS(er, "  line 4 'Clinica Popular': not loaded: its name "
			   "matches several assets (2 and 3): not guessed; "
			   "give its address\n");
	CHECK_CONTAINS(er, "  line 8 'Iglesia Misión': added as informal "
			   "asset ");
	CHECK_CONTAINS(er, "  line 9 'Iglesia Misión': counted with line 8's, "
			   "asset ");
	CHECK_CONTAINS(er, "  line 10 'Promotora Rosa': added as informal "
			   "asset ");
	CHECK_CONTAINS(er, "  line 11 'Lost Place': not loaded: no asset has "
			   "that name and address, and the address could not "
			   "be placed");
	CHECK_CONTAINS(er, "  line 12 'Nobody Known': not loaded: no asset has "
			   "that name, and the row has no address");
	CHECK_CONTAINS(er, "  line 13 'Glide Memorial': not loaded");
	CHECK(strstr(er, "line 2 ") == NULL && strstr(er, "line 7 ") == NULL);
	free(out);
	free(er);
	check_counts(want_v1, sizeof(want_v1) / sizeof(want_v1[0]), __LINE__);
	/* the total: the hand-added 2 and every loaded row's tally */
	CHECK_INT(q_int("SELECT sum(trusted_count) FROM assets"),
		  2 + 4 + 1 + 2 + 6 + 3 + 5 + 2 + 1);
	CHECK_INT(q_int("SELECT count(*) FROM assets"), assets_before + 2);
	/* the resources added: informal, at their reference points, with
	 * the row's categories, no source of their own */
	CHECK_INT(q_int("SELECT count(*) FROM assets WHERE name = 'Iglesia "
			"Misión' AND formal = 0 AND source_id IS NULL AND "
			"location_quality = 'address_point' AND "
			"abs(X(geom) + 122.4180) < 1e-6 AND "
			"abs(Y(geom) - 37.7580) < 1e-6 AND zip = '94110'"),
		  1);
	CHECK_INT(q_int("SELECT count(*) FROM asset_categories c JOIN assets a"
			" ON a.id = c.asset_id WHERE a.name = 'Promotora Rosa'"
			" AND c.category = 'health_education'"),
		  1);
	CHECK_INT(q_int("SELECT count(*) FROM sources WHERE kind = 'scan' AND "
			"rows_read = 12 AND rows_accepted = 8 AND "
			"rows_rejected = 0"),
		  1);
	CHECK_INT(test_run_cli("-d scan.db info", &out, &er), 0);
	CHECK_CONTAINS(out, "assets_trusted   6 (named 26 times)");
	free(out);
	free(er);

	/* the same file again: replaced, not added twice; the resources it
	 * added are matched now, not added again */
	CHECK_INT(test_run_cli("-d scan.db import scan scan.csv", &out, &er),
		  0);
	CHECK_CONTAINS(er, "replaced the earlier import of scan.csv (its 24 "
			   "times named taken back first)");
	CHECK_CONTAINS(er, ": 8 matched to assets, 0 added as 0 new informal "
			   "assets, 4 not loaded; 6 assets named 24 times");
	free(out);
	free(er);
	check_counts(want_v1, sizeof(want_v1) / sizeof(want_v1[0]), __LINE__);
	CHECK_INT(q_int("SELECT count(*) FROM assets"), assets_before + 2);
	CHECK_INT(q_int("SELECT count(*) FROM sources WHERE kind = 'scan'"), 1);

	/* a second scan adds to the first; importing it again replaces
	 * only its own tallies */
	test_write("scan_b.csv", "name,category,times_named\n"
				 "Mission Food Pantry,food,2\n"
				 "Promotora Rosa,health_education,3\n");
	test_sh("cd '%s' && A='%s' && $A -q -d scan.db import scan scan_b.csv"
		" && $A -q -d scan.db import scan scan_b.csv",
		test_tmpdir(), getenv("ASSETMAP"));
	CHECK_INT(trusted("Mission Food Pantry", NULL), 5 + 2);
	CHECK_INT(trusted("Promotora Rosa", NULL), 1 + 3);

	/* v2 of the first file: Mission named 10 times on line 2, Promotora
	 * Rosa (which v1 added) gone */
	{
		char *v2 = xstrdup(scan_v1), *p, *e;

		p = strstr(v2, "Mission Food Pantry,food,4,");
		p[strlen("Mission Food Pantry,food,")] = '9'; /* 4 -> 9 */
		p = strstr(v2, "Promotora Rosa,");
		e = strchr(p, '\n') + 1;
		memmove(p, e, strlen(e) + 1); /* line 10 gone */
		test_write("scan.csv", v2);
		free(v2);
	}
	rosa = q_int("SELECT id FROM assets WHERE name = 'Promotora Rosa'");
	CHECK_INT(test_run_cli("-d scan.db import scan scan.csv", &out, &er),
		  0);
	want_orphan = xasprintf("no longer named in scan.csv, kept with their "
				"count taken back: asset %lld\n",
				(long long)rosa);
	CHECK_CONTAINS(er, want_orphan);
	free(want_orphan);
	free(out);
	free(er);
	CHECK_INT(trusted("Mission Food Pantry", NULL), 9 + 1 + 2);
	CHECK_INT(trusted("Promotora Rosa", NULL), 3); /* scan_b's */
	CHECK_INT(trusted("Barbería Los Primos", NULL), 2 + 3);
	CHECK_INT(trusted("Iglesia Misión", NULL), 5 + 2);
	CHECK_INT(q_int("SELECT count(*) FROM assets"), assets_before + 2);
}

/* Refused files: named file, line and field; the workspace unchanged. */
static void test_scan_refused(void)
{
	static const struct test_cli_case cases[] = {
	    {"-d scan.db import scan bad_cat.csv",
	     1,
	     "assetmap: error: bad_cat.csv line 3, field category: 'fod' is "
	     "not a category; did you mean 'food'?\n"
	     "nothing was imported; fix that row, or give --skip-bad to "
	     "import the other 1 row\n",
	     NULL,
	     {NULL, NULL},
	     NULL},
	    {"-d scan.db import scan no_col.csv",
	     1,
	     "assetmap: error: no_col.csv line 1: no column 'times_named'; a "
	     "scan file has the columns name, category and times_named (and "
	     "may have address, city and zip); its columns are name, "
	     "category, count\n",
	     NULL,
	     {NULL, NULL},
	     NULL},
	    {"-d scan.db import scan negative.csv",
	     1,
	     NULL,
	     "negative.csv line 2, field Times_Named: '-3' is not a number of "
	     "times named: how many times the resource was named, a whole "
	     "number from 1 to 1000000\n",
	     {"negative.csv line 3, field Times_Named: '2.5' is not a number",
	      "negative.csv: 2 rows rejected (the first at line 2), nothing "
	      "was imported"},
	     NULL},
	    {"-d scan.db import scan late.csv",
	     1,
	     NULL,
	     NULL,
	     {"late.csv line 5, field name: is empty", NULL},
	     NULL},
	    {"-d scan.db import scan twice.csv",
	     1,
	     NULL,
	     NULL,
	     {"twice.csv line 1: the column 'category' is given twice "
	      "(columns 2 and 4)",
	      NULL},
	     NULL},
	    {"-d scan.db import scan wide.csv",
	     1,
	     NULL,
	     NULL,
	     {"wide.csv line 2, field column 4: is not in the header", NULL},
	     NULL},
	    {"-d scan.db import scan scan.csv --geocode-worst city",
	     2,
	     NULL,
	     "assetmap: import scan: --geocode-worst: 'city' is not a level",
	     {NULL, NULL},
	     NULL},
	};
	char *before, *after;

	if (!setup())
		return;
	test_write("bad_cat.csv", "name,category,times_named\n"
				  "Mission Food Pantry,food,2\n"
				  "Someone,fod,1\n");
	test_write("no_col.csv", "name,category,count\nA,food,2\n");
	test_write("negative.csv", "name,category,Times_Named\n"
				   "Mission Food Pantry,food,-3\n"
				   "Promotora Rosa,food,2.5\n"
				   "Glide Memorial,food,1\n");
	/* good rows (one adding a resource), then a bad one */
	test_write("late.csv", "name,category,times_named,address,zip\n"
			       "Mission Food Pantry,food,2,,\n"
			       "Casa Nueva,housing,1,500 Capp St,94110\n"
			       "Glide Memorial,social_connection,1,,\n"
			       ",food,1,,\n");
	test_write("twice.csv", "name,category,times_named,Category\n"
				"A,food,1,food\n");
	test_write("wide.csv", "name,category,times_named\n"
			       "Mission Food Pantry,food,2,extra\n");
	before = snapshot_of("scan.db");
	TEST_CLI_CASES(cases);
	after = snapshot_of("scan.db");
	CHECK_STR(after, before);
	free(before);
	free(after);
	CHECK_INT(q_int("SELECT count(*) FROM assets WHERE name = 'Casa "
			"Nueva'"),
		  0);

	/* --skip-bad: the good rows of late.csv, the bad one kept */
	{
		char *out = NULL, *er = NULL;
		long mission = trusted("Mission Food Pantry", NULL);

		CHECK_INT(test_run_cli("-d scan.db import scan late.csv "
				       "--skip-bad",
				       &out, &er),
			  0);
		CHECK_CONTAINS(er, "late.csv line 5, field name: is empty");
		free(out);
		free(er);
		CHECK_INT(trusted("Mission Food Pantry", NULL), mission + 2);
		CHECK_INT(trusted("Casa Nueva", NULL), 1);
		CHECK_INT(q_int("SELECT count(*) FROM source_rejects r JOIN "
				"sources s ON s.id = r.source_id WHERE s.name "
				"= 'late.csv' AND r.line = 5 AND r.field = "
				"'name'"),
			  1);
	}
}

/* A workspace without reference addresses: rows with an address that no
 * asset matches are not loaded, saying why. */
static void test_scan_no_reference(void)
{
	char *out = NULL, *er = NULL;

	if (!test_have_cli())
		return;
	test_write("small.csv", "id,name,category,lon,lat\n"
				"1,Food Bank,food,-120.58,37.02\n");
	test_write("s.csv", "name,category,times_named,address,city,zip\n"
			    "Food Bank,food,3,,,\n"
			    "Casa Nueva,housing,1,500 Capp St,San "
			    "Francisco,94110\n");
	test_sh("cd '%s' && A='%s' && $A -q -d noref.db init --crs EPSG:3310 "
		"&& $A -q -d noref.db import assets small.csv --id id --name "
		"name --category category --lon lon --lat lat",
		test_tmpdir(), getenv("ASSETMAP"));
	CHECK_INT(test_run_cli("-d noref.db import scan s.csv", &out, &er), 0);
	CHECK_CONTAINS(er, "line 3 'Casa Nueva': not loaded: no asset has that "
			   "name and address, and the workspace has no "
			   "reference addresses to place it by ('assetmap "
			   "import addresses')");
	free(out);
	free(er);
	CHECK_INT(test_run_cli("-d noref.db info", &out, &er), 0);
	CHECK_CONTAINS(out, "assets_trusted   1 (named 3 times)");
	CHECK_CONTAINS(out, "assets           1\n");
	free(out);
	free(er);
}

static const struct test tests[] = {TEST(test_add_trusted),
				    TEST(test_scan_import),
				    TEST(test_scan_refused),
				    TEST(test_scan_no_reference),
				    {0}};

int main(void)
{
	int rc = test_main("scan", tests);

	free((char *)ws_path);
	test_libs_shutdown();
	return rc;
}
