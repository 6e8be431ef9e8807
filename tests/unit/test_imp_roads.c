/*
 * test_imp_roads.c - import roads: the rules one way at a time (tags,
 * maxspeed, durations, access, one-way, speeds), then the real
 * OpenStreetMap extracts in ../shared/data (downtown Oakland, urban;
 * Felton, rural and in pieces) read into each mode's graph, the import
 * that stores them, re-imports, and the files it must refuse.
 *
 * Expected counts come from the file read here another way: GDAL's
 * OSM driver straight, its other_tags searched as text, a table of
 * which highway classes each mode uses written out again below, and
 * haversine lengths.  Hand-checked ways are real Oakland streets (their
 * OSM ids and tags quoted where they are used).
 */
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_net.h"
#include "importers/imp_roads.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * The rules
 * ------------------------------------------------------------------ */

static void test_tags(void)
{
	struct imp_roads_tags t = {0};

	CHECK_INT(imp_roads_tags_set(&t, "residential",
				     "\"oneway\"=>\"yes\",\"name:en\"=>"
				     "\"Say \\\"Hi\\\" \\\\ there\",\"a=>b\"=>"
				     "\"c,d\""),
		  0);
	CHECK_INT((long long)t.n, 4);
	CHECK_STR(imp_roads_tag(&t, "highway"), "residential");
	CHECK_STR(imp_roads_tag(&t, "oneway"), "yes");
	CHECK_STR(imp_roads_tag(&t, "name:en"), "Say \"Hi\" \\ there");
	CHECK_STR(imp_roads_tag(&t, "a=>b"), "c,d");
	CHECK(imp_roads_tag(&t, "name") == NULL);
	CHECK(imp_roads_tag(&t, "Oneway") == NULL);

	/* none, and an empty value */
	CHECK_INT(imp_roads_tags_set(&t, NULL, NULL), 0);
	CHECK_INT((long long)t.n, 0);
	CHECK_INT(imp_roads_tags_set(&t, NULL, "\"note\"=>\"\""), 0);
	CHECK_STR(imp_roads_tag(&t, "note"), "");

	/* malformed: an unclosed quote, no arrow, junk after a pair, a
	 * trailing backslash */
	CHECK_INT(imp_roads_tags_set(&t, "service", "\"a\"=>\"b"), -1);
	CHECK_INT(imp_roads_tags_set(&t, "service", "\"a\"=\"b\""), -1);
	CHECK_INT(imp_roads_tags_set(&t, "service", "\"a\"=>\"b\" x"), -1);
	CHECK_INT(imp_roads_tags_set(&t, "service", "\"a\"=>\"b\\"), -1);
	CHECK_INT(imp_roads_tags_set(&t, "service", "\"a\"=>\"b\",\"c\"=>"),
		  -1);
	CHECK_STR(imp_roads_tag(&t, "a"), "b"); /* what came before stays */
	imp_roads_tags_release(&t);
}

static void test_values(void)
{
	static const struct {
		const char *s;
		int rc;
		double kmh;
	} ms[] = {{"40", 1, 40},
		  {"50 km/h", 1, 50},
		  {"50 kmh", 1, 50},
		  {"50 kph", 1, 50},
		  {"25 mph", 1, 25 * 1.609344},
		  {"25mph", 1, 25 * 1.609344},
		  {"7.5", 1, 7.5},
		  {"10 knots", 1, 18.52},
		  {"none", 0, 0},
		  {"signals", 0, 0},
		  {"variable", 0, 0},
		  {"US:urban", -1, 0},
		  {"50;30", -1, 0},
		  {"fast", -1, 0},
		  {"", -1, 0},
		  {"0", -1, 0},
		  {"500", -1, 0},
		  {"25 MPH", -1, 0},
		  {"-30", -1, 0},
		  {"30 mph extra", -1, 0}};
	static const struct {
		const char *s;
		double secs;
	} du[] = {{"1:30", 5400}, {"0:45:00", 2700}, {"00:10:30", 630},
		  {"45", 2700},	  {"PT1H30M", 5400}, {"PT45M", 2700},
		  {"PT90S", 90},  {"0:00", -1},	     {"1h30", -1},
		  {"PT", -1},	  {"", -1},	     {"1:2:3:4", -1},
		  {"soon", -1}};
	size_t i;

	for (i = 0; i < sizeof ms / sizeof ms[0]; i++) {
		double kmh = -7;
		int before = test_failures();
		CHECK_INT(imp_roads_maxspeed(ms[i].s, &kmh), ms[i].rc);
		if (ms[i].rc == 1)
			CHECK_NEAR(kmh, ms[i].kmh, 1e-9);
		test_row_end(before, i, ms[i].s, __FILE__, __LINE__);
	}
	for (i = 0; i < sizeof du / sizeof du[0]; i++) {
		int before = test_failures();
		CHECK_NEAR(imp_roads_duration(du[i].s), du[i].secs, 1e-9);
		test_row_end(before, i, du[i].s, __FILE__, __LINE__);
	}
	CHECK_NEAR(imp_roads_drive_kmh("residential"), 40, 0);
	CHECK_NEAR(imp_roads_drive_kmh("motorway"), 105, 0);
	CHECK_NEAR(imp_roads_drive_kmh("footway"), 0, 0);
	CHECK_NEAR(imp_roads_drive_kmh("platform"), 0, 0);
	CHECK_NEAR(imp_roads_drive_kmh(NULL), 0, 0);
}

/*
 * One way's tags and what each mode must make of it: per mode a
 * direction code ("-": not used, "<>": both ways, ">": along, "<":
 * against) and the speed in km/h (0: not checked), or the skip reason.
 */
struct rule_case {
	const char *hw, *other;
	int skip; /* -1: used */
	const char *walk, *bike, *drive;
	double walk_kmh, bike_kmh, drive_kmh;
	int maxspeed_unread;
};

static void check_dir(const struct imp_roads_use *u, const char *want,
		      const char *mode)
{
	const char *got = !u->ok	     ? "-"
			  : u->fwd && u->bwd ? "<>"
			  : u->fwd	     ? ">"
			  : u->bwd	     ? "<"
					     : "?";
	if (strcmp(got, want) != 0)
		test_fail(__FILE__, __LINE__, "%s: '%s', want '%s'", mode, got,
			  want);
}

static void test_rules(void)
{
	static const struct rule_case cases[] = {
	    /* classes */
	    {"residential", NULL, -1, "<>", "<>", "<>", 4.8, 15, 40, 0},
	    {"motorway", NULL, -1, "-", "-", ">", 0, 0, 105, 0},
	    {"motorway_link", NULL, -1, "-", "-", ">", 0, 0, 65, 0},
	    {"motorway", "\"oneway\"=>\"no\"", -1, "-", "-", "<>", 0, 0, 105,
	     0},
	    {"trunk", NULL, -1, "-", "-", "<>", 0, 0, 90, 0},
	    {"trunk", "\"foot\"=>\"yes\"", -1, "<>", "-", "<>", 4.8, 0, 90, 0},
	    {"trunk", "\"bicycle\"=>\"designated\"", -1, "-", "<>", "<>", 0, 15,
	     0, 0},
	    {"footway", NULL, -1, "<>", "-", "-", 4.8, 0, 0, 0},
	    {"footway", "\"bicycle\"=>\"yes\"", -1, "<>", "<>", "-", 0, 15, 0,
	     0},
	    {"footway", "\"bicycle\"=>\"designated\"", -1, "<>", "<>", "-", 0,
	     0, 0, 0},
	    {"footway", "\"bicycle\"=>\"dismount\"", -1, "<>", "-", "-", 0, 0,
	     0, 0},
	    {"pedestrian", "\"bicycle\"=>\"yes\"", -1, "<>", "<>", "-", 0, 0, 0,
	     0},
	    {"pedestrian", NULL, -1, "<>", "-", "-", 0, 0, 0, 0},
	    {"steps", NULL, -1, "<>", "-", "-", 2.4, 0, 0, 0},
	    {"steps", "\"bicycle\"=>\"yes\"", -1, "<>", "-", "-", 2.4, 0, 0, 0},
	    {"path", NULL, -1, "<>", "<>", "-", 4.8, 15, 0, 0},
	    {"cycleway", NULL, -1, "<>", "<>", "-", 4.8, 15, 0, 0},
	    {"corridor", NULL, -1, "<>", "-", "-", 4.8, 0, 0, 0},
	    {"bridleway", NULL, IMP_ROADS_SKIP_CLASS, "-", "-", "-", 0, 0, 0,
	     0},
	    {"bridleway", "\"foot\"=>\"yes\"", -1, "<>", "-", "-", 0, 0, 0, 0},
	    {"track", NULL, -1, "<>", "<>", "-", 0, 0, 0, 0},
	    {"track", "\"motor_vehicle\"=>\"yes\"", -1, "<>", "<>", "<>", 0, 0,
	     20, 0},
	    {"living_street", NULL, -1, "<>", "<>", "<>", 0, 0, 15, 0},
	    {"service", NULL, -1, "<>", "<>", "<>", 0, 0, 20, 0},
	    {"unclassified", NULL, -1, "<>", "<>", "<>", 0, 0, 40, 0},
	    {"primary_link", NULL, -1, "<>", "<>", "<>", 0, 0, 50, 0},
	    {"road", NULL, -1, "<>", "<>", "<>", 0, 0, 40, 0},
	    /* never */
	    {NULL, "\"railway\"=>\"rail\"", IMP_ROADS_SKIP_NOT_ROAD, "-", "-",
	     "-", 0, 0, 0, 0},
	    {"construction", NULL, IMP_ROADS_SKIP_BUILDING, "-", "-", "-", 0, 0,
	     0, 0},
	    {"proposed", NULL, IMP_ROADS_SKIP_BUILDING, "-", "-", "-", 0, 0, 0,
	     0},
	    {"pedestrian", "\"area\"=>\"yes\"", IMP_ROADS_SKIP_AREA, "-", "-",
	     "-", 0, 0, 0, 0},
	    {"platform", NULL, IMP_ROADS_SKIP_CLASS, "-", "-", "-", 0, 0, 0, 0},
	    {"raceway", NULL, IMP_ROADS_SKIP_CLASS, "-", "-", "-", 0, 0, 0, 0},
	    /* access */
	    {"service", "\"access\"=>\"private\"", IMP_ROADS_SKIP_ACCESS, "-",
	     "-", "-", 0, 0, 0, 0},
	    {"service", "\"access\"=>\"no\",\"foot\"=>\"yes\"", -1, "<>", "-",
	     "-", 0, 0, 0, 0},
	    {"service", "\"access\"=>\"private\",\"bicycle\"=>\"permissive\"",
	     -1, "-", "<>", "-", 0, 0, 0, 0},
	    {"residential", "\"motor_vehicle\"=>\"no\"", -1, "<>", "<>", "-", 0,
	     0, 0, 0},
	    {"residential", "\"motor_vehicle\"=>\"no\",\"motorcar\"=>\"yes\"",
	     -1, "<>", "<>", "<>", 0, 0, 0, 0},
	    {"residential", "\"vehicle\"=>\"no\"", -1, "<>", "-", "-", 0, 0, 0,
	     0},
	    {"service", "\"motor_vehicle\"=>\"emergency\"", -1, "<>", "<>", "-",
	     0, 0, 0, 0},
	    {"residential", "\"access\"=>\"destination\"", -1, "<>", "<>", "<>",
	     0, 0, 0, 0},
	    {"footway", "\"foot\"=>\"no\"", IMP_ROADS_SKIP_ACCESS, "-", "-",
	     "-", 0, 0, 0, 0},
	    {"cycleway", "\"foot\"=>\"no\"", -1, "-", "<>", "-", 0, 0, 0, 0},
	    {"primary", "\"bicycle\"=>\"use_sidepath\"", -1, "<>", "-", "<>", 0,
	     0, 0, 0},
	    /* one-way */
	    {"residential", "\"oneway\"=>\"yes\"", -1, "<>", ">", ">", 0, 0, 0,
	     0},
	    {"residential", "\"oneway\"=>\"true\"", -1, "<>", ">", ">", 0, 0, 0,
	     0},
	    {"residential", "\"oneway\"=>\"1\"", -1, "<>", ">", ">", 0, 0, 0,
	     0},
	    {"residential", "\"oneway\"=>\"-1\"", -1, "<>", "<", "<", 0, 0, 0,
	     0},
	    {"residential", "\"oneway\"=>\"no\"", -1, "<>", "<>", "<>", 0, 0, 0,
	     0},
	    {"residential", "\"oneway\"=>\"reversible\"", -1, "<>", "-", "-", 0,
	     0, 0, 0},
	    {"residential", "\"junction\"=>\"roundabout\"", -1, "<>", ">", ">",
	     0, 0, 0, 0},
	    {"residential", "\"oneway\"=>\"yes\",\"oneway:bicycle\"=>\"no\"",
	     -1, "<>", "<>", ">", 0, 0, 0, 0},
	    {"residential", "\"oneway\"=>\"yes\",\"cycleway\"=>\"opposite\"",
	     -1, "<>", "<>", ">", 0, 0, 0, 0},
	    {"residential",
	     "\"oneway\"=>\"-1\",\"cycleway:left\"=>\"opposite_lane\"", -1,
	     "<>", "<>", "<", 0, 0, 0, 0},
	    {"cycleway", "\"oneway\"=>\"yes\"", -1, "<>", ">", "-", 0, 0, 0, 0},
	    {"cycleway", "\"oneway:bicycle\"=>\"yes\"", -1, "<>", ">", "-", 0,
	     0, 0, 0},
	    /* maxspeed */
	    {"residential", "\"maxspeed\"=>\"25 mph\"", -1, "<>", "<>", "<>", 0,
	     0, 25 * 1.609344, 0},
	    {"secondary", "\"maxspeed\"=>\"50\"", -1, "<>", "<>", "<>", 0, 0,
	     50, 0},
	    {"secondary", "\"maxspeed\"=>\"none\"", -1, "<>", "<>", "<>", 0, 0,
	     55, 0},
	    {"secondary", "\"maxspeed\"=>\"signals\"", -1, "<>", "<>", "<>", 0,
	     0, 55, 0},
	    {"secondary", "\"maxspeed\"=>\"US:urban\"", -1, "<>", "<>", "<>", 0,
	     0, 55, 1},
	    {"footway", "\"maxspeed\"=>\"US:urban\"", -1, "<>", "-", "-", 0, 0,
	     0, 0},
	    /* ferries */
	    {NULL, "\"route\"=>\"ferry\"", -1, "<>", "<>", "<>", 20, 20, 20, 0},
	    {NULL, "\"route\"=>\"ferry\",\"motor_vehicle\"=>\"no\"", -1, "<>",
	     "<>", "-", 0, 0, 0, 0},
	    {NULL, "\"route\"=>\"ferry\",\"oneway\"=>\"yes\"", -1, "<>", ">",
	     ">", 0, 0, 0, 0},
	};
	struct imp_roads_tags t = {0};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct rule_case *c = &cases[i];
		struct imp_roads_use use[GEO_MODE_COUNT];
		struct imp_roads_note note;
		int before = test_failures(), why;
		char what[200];

		CHECK_INT(imp_roads_tags_set(&t, c->hw, c->other), 0);
		why = imp_roads_rule(&t, use, &note);
		CHECK_INT(why, c->skip);
		CHECK_INT(use[GEO_MODE_LINE].ok, 0);
		check_dir(&use[GEO_MODE_WALK], c->walk, "walk");
		check_dir(&use[GEO_MODE_BIKE], c->bike, "bike");
		check_dir(&use[GEO_MODE_DRIVE], c->drive, "drive");
		if (c->walk_kmh)
			CHECK_NEAR(use[GEO_MODE_WALK].mps * 3.6, c->walk_kmh,
				   1e-9);
		if (c->bike_kmh)
			CHECK_NEAR(use[GEO_MODE_BIKE].mps * 3.6, c->bike_kmh,
				   1e-9);
		if (c->drive_kmh)
			CHECK_NEAR(use[GEO_MODE_DRIVE].mps * 3.6, c->drive_kmh,
				   1e-9);
		CHECK_INT(note.maxspeed_unread, c->maxspeed_unread);
		snprintf(what, sizeof what, "%s %s", c->hw ? c->hw : "-",
			 c->other ? c->other : "");
		test_row_end(before, i, what, __FILE__, __LINE__);
	}

	/* a ferry's duration, and one that cannot be read */
	{
		struct imp_roads_use use[GEO_MODE_COUNT];
		struct imp_roads_note note;

		imp_roads_tags_set(
		    &t, NULL, "\"route\"=>\"ferry\",\"duration\"=>\"0:40\"");
		CHECK_INT(imp_roads_rule(&t, use, &note), -1);
		CHECK_NEAR(use[GEO_MODE_WALK].way_secs, 2400, 0);
		CHECK_NEAR(use[GEO_MODE_DRIVE].way_secs, 2400, 0);
		CHECK_INT(note.ferry, 1);
		CHECK_INT(note.duration_unread, 0);
		imp_roads_tags_set(
		    &t, NULL, "\"route\"=>\"ferry\",\"duration\"=>\"long\"");
		CHECK_INT(imp_roads_rule(&t, use, &note), -1);
		CHECK_NEAR(use[GEO_MODE_WALK].way_secs, 0, 0);
		CHECK_INT(note.duration_unread, 1);
		imp_roads_tags_set(&t, "residential",
				   "\"oneway\"=>\"sometimes\"");
		CHECK_INT(imp_roads_rule(&t, use, &note), -1);
		CHECK_INT(note.oneway_unread, 1);
		CHECK(use[GEO_MODE_DRIVE].fwd && use[GEO_MODE_DRIVE].bwd);
	}
	imp_roads_tags_release(&t);
}

/* ---------------------------------------------------------------------
 * A small OSM XML file, every figure by hand
 * ------------------------------------------------------------------ */

/*
 * Nodes on a line of latitude 37.8 at 0.001 degree steps of longitude
 * (about 87.9 m each); way 10 (residential, oneway) runs 1-2-3, way 11
 * (footway) 3-4 and 4-4 again (a repeated vertex), way 12 a ferry 4-5
 * taking 10 minutes, way 13 steps 1-6, way 14 a railway 2-6.
 */
static const char small_osm[] =
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<osm version='0.6' generator='test'>\n"
    " <node id='1' lat='37.8' lon='-122.270'/>\n"
    " <node id='2' lat='37.8' lon='-122.269'/>\n"
    " <node id='3' lat='37.8' lon='-122.268'/>\n"
    " <node id='4' lat='37.8' lon='-122.267'/>\n"
    " <node id='5' lat='37.8' lon='-122.260'/>\n"
    " <node id='6' lat='37.801' lon='-122.270'/>\n"
    " <way id='10'><nd ref='1'/><nd ref='2'/><nd ref='3'/>"
    "<tag k='highway' v='residential'/><tag k='oneway' v='yes'/>"
    "<tag k='maxspeed' v='30 mph'/></way>\n"
    " <way id='11'><nd ref='3'/><nd ref='4'/><nd ref='4'/>"
    "<tag k='highway' v='footway'/></way>\n"
    " <way id='12'><nd ref='4'/><nd ref='5'/>"
    "<tag k='route' v='ferry'/><tag k='duration' v='00:10'/>"
    "<tag k='name' v='Say \"ferry\"'/></way>\n"
    " <way id='13'><nd ref='1'/><nd ref='6'/>"
    "<tag k='highway' v='steps'/></way>\n"
    " <way id='14'><nd ref='2'/><nd ref='6'/>"
    "<tag k='railway' v='rail'/></way>\n"
    "</osm>\n";

/* The segment of way `way` from (lon0) to (lon1) in g, or -1. */
static long seg_find(const struct imp_roads_graph *g, int64_t way, double lon0,
		     double lat0, double lon1, double lat1)
{
	size_t i;

	for (i = 0; i < g->nsegs; i++)
		if (g->way[i] == way && g->lon[g->a[i]] == lon0 &&
		    g->lat[g->a[i]] == lat0 && g->lon[g->b[i]] == lon1 &&
		    g->lat[g->b[i]] == lat1)
			return (long)i;
	return -1;
}

static void test_small(void)
{
	const char *path = test_write("small.osm", small_osm);
	struct imp_roads_graph g[GEO_MODE_COUNT];
	struct imp_roads_stats st;
	struct imp_source src;
	struct core_err err = {0};
	double step, rise, mph30 = 30 * 1.609344 / 3.6;
	long s;

	{
		/* by hand on the WGS84 ellipsoid: an arc of the parallel
		 * (N cos phi dlambda) and of the meridian (M dphi, at the
		 * middle latitude); at 100 m they are the geodesic to well
		 * under a millimetre */
		const double a = 6378137.0, f = 1 / 298.257223563,
			     e2 = f * (2 - f), d = M_PI / 180;
		double s0 = sin(37.8 * d), s1 = sin(37.8005 * d);
		step = a / sqrt(1 - e2 * s0 * s0) * cos(37.8 * d) * 0.001 * d;
		rise = a * (1 - e2) / pow(1 - e2 * s1 * s1, 1.5) * 0.001 * d;
	}
	CHECK_NEAR(step, 87.99, 0.1); /* 0.001 deg of lon at 37.8 N */
	CHECK_NEAR(rise, 111.0, 0.1);

	imp_source_init(&src, "roads");
	CHECK_INT(
	    test_import_said(imp_roads_read(path, &src, g, &st, &err), &err),
	    CORE_OK);
	CHECK_INT(st.ways, 5);
	CHECK_INT(st.used_any, 4);
	CHECK_INT(st.skipped[IMP_ROADS_SKIP_NOT_ROAD], 1);
	CHECK_INT(st.used[GEO_MODE_WALK], 4);
	CHECK_INT(st.used[GEO_MODE_BIKE], 2); /* residential, ferry */
	CHECK_INT(st.used[GEO_MODE_DRIVE], 2);
	CHECK_INT(st.ferries, 1);
	CHECK_INT(st.vertices, 6);
	CHECK_INT(src.rows_read, 5);
	CHECK_INT(src.rows_accepted, 4);
	CHECK_STR(src.format, "OSM");

	/* walk: 1-2, 2-3, 3-4 (the repeated 4 dropped), 4-5, 1-6 */
	CHECK_INT((long long)g[GEO_MODE_WALK].nsegs, 5);
	CHECK_INT((long long)g[GEO_MODE_WALK].nnodes, 6);
	CHECK_INT((long long)g[GEO_MODE_BIKE].nsegs, 3);
	CHECK_INT((long long)g[GEO_MODE_BIKE].nnodes, 5); /* 1 2 3, 4 5 */
	CHECK_INT((long long)g[GEO_MODE_DRIVE].nsegs, 3);
	CHECK_INT((long long)g[GEO_MODE_LINE].nsegs, 0);

	/* the residential street: one-way when driving and cycling */
	s = seg_find(&g[GEO_MODE_DRIVE], 10, -122.270, 37.8, -122.269, 37.8);
	CHECK(s >= 0);
	if (s >= 0) {
		CHECK_NEAR(g[GEO_MODE_DRIVE].len_m[s], step, 1e-3);
		CHECK_NEAR(g[GEO_MODE_DRIVE].secs_ab[s], step / mph30, 1e-3);
		CHECK(isinf(g[GEO_MODE_DRIVE].secs_ba[s]));
	}
	s = seg_find(&g[GEO_MODE_BIKE], 10, -122.269, 37.8, -122.268, 37.8);
	CHECK(s >= 0);
	if (s >= 0) {
		CHECK_NEAR(g[GEO_MODE_BIKE].secs_ab[s], step / (15 / 3.6),
			   1e-3);
		CHECK(isinf(g[GEO_MODE_BIKE].secs_ba[s]));
	}
	s = seg_find(&g[GEO_MODE_WALK], 10, -122.270, 37.8, -122.269, 37.8);
	CHECK(s >= 0);
	if (s >= 0) {
		CHECK_NEAR(g[GEO_MODE_WALK].secs_ab[s], step / (4.8 / 3.6),
			   1e-3);
		CHECK_NEAR(g[GEO_MODE_WALK].secs_ba[s], step / (4.8 / 3.6),
			   1e-3);
	}
	/* the steps: walking only, at half speed */
	s = seg_find(&g[GEO_MODE_WALK], 13, -122.270, 37.8, -122.270, 37.801);
	CHECK(s >= 0);
	if (s >= 0) {
		CHECK_NEAR(g[GEO_MODE_WALK].len_m[s], rise, 1e-3);
		CHECK_NEAR(g[GEO_MODE_WALK].secs_ab[s], rise / (2.4 / 3.6),
			   1e-3);
	}
	/* the ferry: ten minutes for every mode, both ways */
	s = seg_find(&g[GEO_MODE_DRIVE], 12, -122.267, 37.8, -122.260, 37.8);
	CHECK(s >= 0);
	if (s >= 0) {
		CHECK_NEAR(g[GEO_MODE_DRIVE].secs_ab[s], 600, 1e-9);
		CHECK_NEAR(g[GEO_MODE_DRIVE].secs_ba[s], 600, 1e-9);
		CHECK_NEAR(g[GEO_MODE_DRIVE].len_m[s], 7 * step, 0.05);
	}
	/* ways meet at shared nodes: the footway starts where the street
	 * ends, in the walking graph's numbering */
	{
		long r = seg_find(&g[GEO_MODE_WALK], 10, -122.269, 37.8,
				  -122.268, 37.8);
		long f = seg_find(&g[GEO_MODE_WALK], 11, -122.268, 37.8,
				  -122.267, 37.8);
		CHECK(r >= 0 && f >= 0);
		if (r >= 0 && f >= 0)
			CHECK_INT(g[GEO_MODE_WALK].b[r], g[GEO_MODE_WALK].a[f]);
	}
	/* the build input lends the arrays */
	{
		struct geo_net_build_in in;
		imp_roads_build_in(&g[GEO_MODE_BIKE], GEO_MODE_BIKE, &in);
		CHECK_INT(in.mode, GEO_MODE_BIKE);
		CHECK_INT((long long)in.nsegs, 3);
		CHECK(in.a == g[GEO_MODE_BIKE].a &&
		      in.secs_ba == g[GEO_MODE_BIKE].secs_ba);
	}
	imp_roads_graphs_release(g);
	imp_roads_stats_release(&st);
	imp_source_release(&src);
}

/* ---------------------------------------------------------------------
 * Oakland and Felton: the file read another way
 * ------------------------------------------------------------------ */

struct ref_way {
	int64_t id;
	char *hw, *other;
	int npts; /* distinct consecutive points */
	double *lon, *lat;
	double hav_m; /* haversine length */
};

struct ref {
	struct ref_way *w;
	size_t n;
};

static double haversine(double lon0, double lat0, double lon1, double lat1)
{
	const double r = 6371008.8, d = M_PI / 180;
	double dlat = (lat1 - lat0) * d, dlon = (lon1 - lon0) * d;
	double h =
	    sin(dlat / 2) * sin(dlat / 2) +
	    cos(lat0 * d) * cos(lat1 * d) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * r * asin(sqrt(h));
}

/* Every feature of layer lines, straight from GDAL. */
static int ref_read(const char *path, struct ref *ref)
{
	static const char *const drv[] = {"OSM", NULL};
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY,
				     drv, NULL, NULL);
	OGRLayerH l;
	OGRFeatureH f;
	size_t cap = 0;

	memset(ref, 0, sizeof(*ref));
	if (!ds)
		return -1;
	l = GDALDatasetGetLayerByName(ds, "lines");
	while (l && (f = OGR_L_GetNextFeature(l))) {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		int hi = OGR_F_GetFieldIndex(f, "highway"),
		    oi = OGR_F_GetFieldIndex(f, "other_tags"), i, np;
		struct ref_way *w;

		if (ref->n == cap) {
			cap = cap ? cap * 2 : 1024;
			ref->w = xrealloc(ref->w, cap * sizeof(*ref->w));
		}
		w = &ref->w[ref->n++];
		memset(w, 0, sizeof(*w));
		w->id = OGR_F_GetFieldAsInteger64(
		    f, OGR_F_GetFieldIndex(f, "osm_id"));
		w->hw = OGR_F_IsFieldSetAndNotNull(f, hi)
			    ? xstrdup(OGR_F_GetFieldAsString(f, hi))
			    : NULL;
		w->other = xstrdup(OGR_F_IsFieldSetAndNotNull(f, oi)
				       ? OGR_F_GetFieldAsString(f, oi)
				       : "");
		np = g ? OGR_G_GetPointCount(g) : 0;
		w->lon = xmalloc(((size_t)np + 1) * sizeof(double));
		w->lat = xmalloc(((size_t)np + 1) * sizeof(double));
		for (i = 0; i < np; i++) {
			double x = OGR_G_GetX(g, i), y = OGR_G_GetY(g, i);
			if (w->npts && x == w->lon[w->npts - 1] &&
			    y == w->lat[w->npts - 1])
				continue;
			if (w->npts)
				w->hav_m +=
				    haversine(w->lon[w->npts - 1],
					      w->lat[w->npts - 1], x, y);
			w->lon[w->npts] = x;
			w->lat[w->npts] = y;
			w->npts++;
		}
		OGR_F_Destroy(f);
	}
	GDALClose(ds);
	return 0;
}

static void ref_free(struct ref *ref)
{
	size_t i;

	for (i = 0; i < ref->n; i++) {
		free(ref->w[i].hw);
		free(ref->w[i].other);
		free(ref->w[i].lon);
		free(ref->w[i].lat);
	}
	free(ref->w);
}

/* Whether other_tags holds key (as text: "key"=>). */
static int has_key(const struct ref_way *w, const char *key)
{
	char pat[64];

	snprintf(pat, sizeof pat, "\"%s\"=>", key);
	return strstr(w->other, pat) != NULL;
}

/* Whether other_tags holds key=value. */
static int has_tag(const struct ref_way *w, const char *key, const char *v)
{
	char pat[128];

	snprintf(pat, sizeof pat, "\"%s\"=>\"%s\"", key, v);
	return strstr(w->other, pat) != NULL;
}

static const struct ref_way *ref_find(const struct ref *ref, int64_t id)
{
	size_t i;

	for (i = 0; i < ref->n; i++)
		if (ref->w[i].id == id)
			return &ref->w[i];
	return NULL;
}

/* How many segments of g are way id's. */
static size_t segs_of(const struct imp_roads_graph *g, int64_t id)
{
	size_t i, n = 0;

	for (i = 0; i < g->nsegs; i++)
		n += g->way[i] == id;
	return n;
}

/*
 * Which modes use a highway class when no tag says otherwise, written
 * out again from the rules in imp_roads.h (not taken from imp_roads.c).
 */
static const struct {
	const char *hw;
	int walk, bike, drive;
} plain_classes[] = {{"motorway", 0, 0, 1},
		     {"motorway_link", 0, 0, 1},
		     {"trunk", 0, 0, 1},
		     {"trunk_link", 0, 0, 1},
		     {"primary", 1, 1, 1},
		     {"primary_link", 1, 1, 1},
		     {"secondary", 1, 1, 1},
		     {"secondary_link", 1, 1, 1},
		     {"tertiary", 1, 1, 1},
		     {"tertiary_link", 1, 1, 1},
		     {"unclassified", 1, 1, 1},
		     {"residential", 1, 1, 1},
		     {"road", 1, 1, 1},
		     {"living_street", 1, 1, 1},
		     {"service", 1, 1, 1},
		     {"track", 1, 1, 0},
		     {"cycleway", 1, 1, 0},
		     {"path", 1, 1, 0},
		     {"footway", 1, 0, 0},
		     {"pedestrian", 1, 0, 0},
		     {"bridleway", 0, 0, 0},
		     {"steps", 1, 0, 0},
		     {"corridor", 1, 0, 0},
		     {"platform", 0, 0, 0},
		     {"construction", 0, 0, 0},
		     {"proposed", 0, 0, 0},
		     {"bus_stop", 0, 0, 0},
		     {"elevator", 0, 0, 0},
		     {NULL, 0, 0, 0}};

/* A way no access, mode, area, route or reversible tag touches. */
static int plain(const struct ref_way *w)
{
	static const char *const keys[] = {
	    "access",	"foot", "bicycle", "vehicle",	     "motor_vehicle",
	    "motorcar", "area", "route",   "oneway:bicycle", NULL};
	int i;

	for (i = 0; keys[i]; i++)
		if (has_key(w, keys[i]))
			return 0;
	return !has_tag(w, "oneway", "reversible") &&
	       !has_tag(w, "oneway", "alternating");
}

/*
 * The checks every extract passes: per class and mode, the plain ways
 * used are exactly those the table says; every used way has one segment
 * per pair of distinct consecutive points, forward; the totals; the
 * lengths against haversine; the access tags obeyed.
 */
static void check_extract(const char *path, const struct ref *ref,
			  struct imp_roads_graph g[GEO_MODE_COUNT],
			  const struct imp_roads_stats *st)
{
	int m;
	size_t i, c;

	CHECK_INT(st->ways, (long long)ref->n);
	for (m = GEO_MODE_WALK; m <= GEO_MODE_DRIVE; m++) {
		size_t want_segs = 0, used = 0, plain_bad = 0;
		double len = 0, hav = 0;
		int before = test_failures();

		for (i = 0; i < ref->n; i++) {
			const struct ref_way *w = &ref->w[i];
			size_t n = segs_of(&g[m], w->id);

			if (n) {
				used++;
				want_segs += (size_t)(w->npts - 1);
				hav += w->hav_m;
				if (n != (size_t)(w->npts - 1))
					test_fail(__FILE__, __LINE__,
						  "%s way %lld: %zu segments, "
						  "want %d",
						  geo_mode_name(m),
						  (long long)w->id, n,
						  w->npts - 1);
			}
			if (!w->hw || !plain(w) || w->npts < 2)
				continue;
			for (c = 0; plain_classes[c].hw; c++)
				if (strcmp(plain_classes[c].hw, w->hw) == 0)
					break;
			{
				int want = !plain_classes[c].hw ? 0
					   : m == GEO_MODE_WALK
					       ? plain_classes[c].walk
					   : m == GEO_MODE_BIKE
					       ? plain_classes[c].bike
					       : plain_classes[c].drive;
				if ((n > 0) != want && plain_bad++ < 5)
					test_fail(__FILE__, __LINE__,
						  "%s: plain %s way %lld %s",
						  geo_mode_name(m), w->hw,
						  (long long)w->id,
						  want ? "missing" : "used");
			}
			/* the tags that forbid, as text */
			if (n && m == GEO_MODE_WALK && has_tag(w, "foot", "no"))
				test_fail(__FILE__, __LINE__,
					  "way %lld foot=no walked",
					  (long long)w->id);
		}
		for (i = 0; i < ref->n; i++) {
			const struct ref_way *w = &ref->w[i];
			size_t n = segs_of(&g[m], w->id);
			if (!n)
				continue;
			if ((m == GEO_MODE_WALK && has_tag(w, "foot", "no")) ||
			    (m == GEO_MODE_BIKE &&
			     has_tag(w, "bicycle", "no")) ||
			    (m != GEO_MODE_DRIVE && w->hw &&
			     (!strcmp(w->hw, "motorway") ||
			      !strcmp(w->hw, "motorway_link"))) ||
			    (!has_key(w, "foot") && !has_key(w, "bicycle") &&
			     !has_key(w, "motor_vehicle") &&
			     !has_key(w, "motorcar") &&
			     !has_key(w, "vehicle") &&
			     (has_tag(w, "access", "private") ||
			      has_tag(w, "access", "no"))))
				test_fail(__FILE__, __LINE__,
					  "%s uses way %lld against its tags",
					  geo_mode_name(m), (long long)w->id);
		}
		CHECK_INT((long long)st->used[m], (long long)used);
		CHECK_INT((long long)g[m].nsegs, (long long)want_segs);
		CHECK_INT((long long)st->cand_segs[m], (long long)want_segs);
		for (i = 0; i < g[m].nsegs; i++) {
			len += g[m].len_m[i];
			CHECK(g[m].a[i] < g[m].nnodes &&
			      g[m].b[i] < g[m].nnodes &&
			      g[m].a[i] != g[m].b[i]);
			CHECK(g[m].len_m[i] > 0);
			CHECK(!isinf(g[m].secs_ab[i]) ||
			      !isinf(g[m].secs_ba[i]));
		}
		/* WGS84 against a sphere: within 0.5 % */
		CHECK_NEAR(len / hav, 1, 0.005);
		printf("    %s: %s %zu ways, %zu segments, %.1f km\n", path,
		       geo_mode_name(m), used, g[m].nsegs, len / 1000);
		if (test_failures() != before)
			printf("    (mode %s)\n", geo_mode_name(m));
	}
}

/* Check way id's segments in g: every one present (a at the way's k-th
 * point), seconds along and against (NAN: +inf; 0: not checked). */
static void check_way(const struct ref *ref, const struct imp_roads_graph *g,
		      int64_t id, double fwd_mps, double bwd_mps,
		      const char *what)
{
	const struct ref_way *w = ref_find(ref, id);
	int k, before = test_failures();

	CHECK(w != NULL);
	if (!w)
		return;
	CHECK_INT((long long)segs_of(g, id), w->npts - 1);
	for (k = 0; k + 1 < w->npts; k++) {
		long s = seg_find(g, id, w->lon[k], w->lat[k], w->lon[k + 1],
				  w->lat[k + 1]);
		double want_len = haversine(w->lon[k], w->lat[k], w->lon[k + 1],
					    w->lat[k + 1]);
		CHECK(s >= 0);
		if (s < 0)
			break;
		CHECK_NEAR(g->len_m[s], want_len, 0.005 * want_len + 0.01);
		if (isnan(fwd_mps))
			CHECK(isinf(g->secs_ab[s]));
		else if (fwd_mps > 0)
			CHECK_NEAR(g->secs_ab[s], g->len_m[s] / fwd_mps, 1e-9);
		if (isnan(bwd_mps))
			CHECK(isinf(g->secs_ba[s]));
		else if (bwd_mps > 0)
			CHECK_NEAR(g->secs_ba[s], g->len_m[s] / bwd_mps, 1e-9);
	}
	if (test_failures() != before)
		printf("    (way %lld: %s)\n", (long long)id, what);
}

static char *shared_file(const char *rel)
{
	const char *d = test_need_shared_data();

	return d ? xasprintf("%s/%s", d, rel) : NULL;
}

static void test_oakland(void)
{
	char *path = shared_file("osm-oakland/oakland.osm.pbf");
	struct imp_roads_graph g[GEO_MODE_COUNT];
	struct imp_roads_stats st;
	struct imp_source src;
	struct core_err err = {0};
	struct ref ref;
	const double walk = 4.8 / 3.6, bike = 15 / 3.6, mph = 1.609344 / 3.6;

	if (!path)
		return;
	CHECK_INT(ref_read(path, &ref), 0);
	CHECK_INT((long long)ref.n, 4557); /* SOURCE.md */
	imp_source_init(&src, "roads");
	CHECK_INT(
	    test_import_said(imp_roads_read(path, &src, g, &st, &err), &err),
	    CORE_OK);
	check_extract(path, &ref, g, &st);

	/* no way's other_tags defeated the parser, none is a ferry */
	CHECK_INT(st.skipped[IMP_ROADS_SKIP_TAGS], 0);
	CHECK_INT(st.ferries, 0);
	/* 393 maxspeed tags, all "N mph": every one read */
	CHECK_INT(st.maxspeed_unread, 0);

	/* Franklin Street (6329578, residential, oneway=yes): driven
	 * and ridden along only, walked both ways */
	check_way(&ref, &g[GEO_MODE_DRIVE], 6329578, 40 / 3.6, NAN, "Franklin");
	check_way(&ref, &g[GEO_MODE_BIKE], 6329578, bike, NAN, "Franklin");
	check_way(&ref, &g[GEO_MODE_WALK], 6329578, walk, walk, "Franklin");
	/* 22nd Street (6329775, residential, oneway=yes) */
	check_way(&ref, &g[GEO_MODE_DRIVE], 6329775, 40 / 3.6, NAN, "22nd");
	check_way(&ref, &g[GEO_MODE_WALK], 6329775, walk, walk, "22nd");
	/* Valdez Street (6397625, residential, oneway=-1): against only */
	check_way(&ref, &g[GEO_MODE_DRIVE], 6397625, NAN, 40 / 3.6, "Valdez");
	check_way(&ref, &g[GEO_MODE_WALK], 6397625, walk, walk, "Valdez");
	/* 14th Street (24501655, secondary, oneway, maxspeed 30 mph) */
	check_way(&ref, &g[GEO_MODE_DRIVE], 24501655, 30 * mph, NAN, "14th");
	/* Monte Vista Avenue (6370237, residential, maxspeed 25 mph) */
	check_way(&ref, &g[GEO_MODE_DRIVE], 6370237, 25 * mph, 25 * mph,
		  "Monte Vista");
	/* Grove Shafter Freeway (6348404, motorway, 65 mph, oneway) */
	check_way(&ref, &g[GEO_MODE_DRIVE], 6348404, 65 * mph, NAN, "CA 24");
	CHECK_INT((long long)segs_of(&g[GEO_MODE_WALK], 6348404), 0);
	CHECK_INT((long long)segs_of(&g[GEO_MODE_BIKE], 6348404), 0);
	/* Hamilton Steps (25169303): walked at half speed, nothing else */
	check_way(&ref, &g[GEO_MODE_WALK], 25169303, walk / 2, walk / 2,
		  "Hamilton Steps");
	CHECK_INT((long long)segs_of(&g[GEO_MODE_BIKE], 25169303), 0);
	CHECK_INT((long long)segs_of(&g[GEO_MODE_DRIVE], 25169303), 0);
	/* a footway with bicycle=yes (22942304) is ridden */
	check_way(&ref, &g[GEO_MODE_BIKE], 22942304, bike, bike, "footway");
	/* Kirkham Street (6406450, service, access=private): nobody */
	CHECK_INT((long long)(segs_of(&g[GEO_MODE_WALK], 6406450) +
			      segs_of(&g[GEO_MODE_BIKE], 6406450) +
			      segs_of(&g[GEO_MODE_DRIVE], 6406450)),
		  0);

	/* Franklin Street meets its cross streets: a node of its segments
	 * is also a node of another way's */
	{
		const struct imp_roads_graph *d = &g[GEO_MODE_DRIVE];
		char *mine = xcalloc(d->nnodes, 1);
		size_t i, shared = 0;
		for (i = 0; i < d->nsegs; i++)
			if (d->way[i] == 6329578)
				mine[d->a[i]] = mine[d->b[i]] = 1;
		for (i = 0; i < d->nsegs; i++)
			if (d->way[i] != 6329578 &&
			    (mine[d->a[i]] || mine[d->b[i]]))
				shared++;
		CHECK(shared >= 2);
		free(mine);
	}
	imp_roads_graphs_release(g);
	imp_roads_stats_release(&st);
	imp_source_release(&src);
	ref_free(&ref);
	free(path);
}

static void test_felton_read(void)
{
	char *path = shared_file("osm-felton/felton.osm.pbf");
	struct imp_roads_graph g[GEO_MODE_COUNT];
	struct imp_roads_stats st;
	struct imp_source src;
	struct core_err err = {0};
	struct ref ref;

	if (!path)
		return;
	CHECK_INT(ref_read(path, &ref), 0);
	CHECK_INT((long long)ref.n, 144); /* SOURCE.md */
	imp_source_init(&src, "roads");
	CHECK_INT(
	    test_import_said(imp_roads_read(path, &src, g, &st, &err), &err),
	    CORE_OK);
	check_extract(path, &ref, g, &st);
	imp_roads_graphs_release(g);
	imp_roads_stats_release(&st);
	imp_source_release(&src);
	ref_free(&ref);
	free(path);
}

/* ---------------------------------------------------------------------
 * The import: stored graphs, re-imports, refusals
 * ------------------------------------------------------------------ */

/* Whether geo_net.c is the engine, not the placeholder. */
static int have_engine(void)
{
	struct core_err err = {0};
	static const double lon[2] = {0, 0.001}, lat[2] = {0, 0};
	static const uint32_t a[1] = {0}, b[1] = {1};
	static const double len[1] = {111}, secs[1] = {100};
	struct geo_net_build_in in = {GEO_MODE_WALK, 2,	   lon, lat, 1, a, b,
				      len,	     secs, secs};
	struct geo_net_stats st;
	unsigned char *blob = NULL;
	size_t n = 0;
	int rc = geo_net_build(&in, &st, &blob, &n, &err);

	free(blob);
	if (rc != CORE_OK)
		test_skip("the road network engine (geo_net.c, branch t-net) "
			  "is not on this branch yet");
	return rc == CORE_OK;
}

static int import(struct core_ws *ws, const char *path,
		  struct imp_roads_stats *st, struct core_err *err)
{
	struct imp_source src;
	int rc;

	imp_source_init(&src, "roads");
	core_err_clear(err);
	rc = imp_roads_import(ws, path, &src, st, err);
	imp_source_release(&src);
	return rc;
}

static void test_import(void)
{
	char *oak = shared_file("osm-oakland/oakland.osm.pbf");
	char *fel = oak ? shared_file("osm-felton/felton.osm.pbf") : NULL;
	struct imp_roads_stats st;
	struct core_err err = {0};
	struct core_ws *ws = NULL;
	int m;

	if (!fel || !have_engine())
		goto cleanup;
	ws = test_new_ws("import.db");
	if (!ws)
		goto cleanup;

	/* Oakland: three graphs, one source */
	CHECK_INT(test_import_said(import(ws, oak, &st, &err), &err), CORE_OK);
	CHECK_Q(ws,
		"SELECT group_concat(mode) FROM (SELECT mode FROM "
		"road_graphs ORDER BY mode)",
		"bike,drive,walk");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources WHERE kind = "
				 "'roads'"),
		  1);
	for (m = GEO_MODE_WALK; m <= GEO_MODE_DRIVE; m++) {
		const struct geo_net_stats *n = &st.net[m];
		char sql[200];
		CHECK_INT(st.stored[m], 1);
		CHECK(n->nodes > 0 && n->segs > 0 && n->km > 0);
		CHECK_INT((long long)(n->nodes + n->dropped_nodes),
			  (long long)st.cand_nodes[m]);
		CHECK(n->segs + n->dropped_segs <= st.cand_segs[m]);
		snprintf(sql, sizeof sql,
			 "SELECT nodes || ' ' || segments FROM road_graphs "
			 "WHERE mode = '%s'",
			 geo_mode_name(m));
		{
			char want[64];
			snprintf(want, sizeof want, "%zu %zu", n->nodes,
				 n->segs);
			CHECK_Q(ws, sql, want);
		}
		/* the bounding box is Oakland's (SOURCE.md) */
		CHECK(n->minlon >= -122.31 && n->maxlon <= -122.23 &&
		      n->minlat >= 37.78 && n->maxlat <= 37.84);
	}
	imp_roads_stats_release(&st);

	/* Felton, rural, is in pieces: what the cut dropped is reported */
	CHECK_INT(test_import_said(import(ws, fel, &st, &err), &err), CORE_OK);
	{
		int pieces = 0;
		for (m = GEO_MODE_WALK; m <= GEO_MODE_DRIVE; m++) {
			const struct geo_net_stats *n = &st.net[m];
			if (n->pieces > 1) {
				pieces++;
				CHECK(n->dropped_nodes > 0 &&
				      n->dropped_km > 0);
			}
			CHECK_INT((long long)(n->nodes + n->dropped_nodes),
				  (long long)st.cand_nodes[m]);
		}
		CHECK(pieces >= 1);
		printf("    felton: walk %zu pieces (dropped %zu nodes, "
		       "%.1f km), bike %zu, drive %zu\n",
		       st.net[GEO_MODE_WALK].pieces,
		       st.net[GEO_MODE_WALK].dropped_nodes,
		       st.net[GEO_MODE_WALK].dropped_km,
		       st.net[GEO_MODE_BIKE].pieces,
		       st.net[GEO_MODE_DRIVE].pieces);
	}
	/* the re-import replaced all three graphs and the old source */
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources WHERE kind = "
				 "'roads'"),
		  1);
	CHECK_Q(ws, "SELECT name FROM sources WHERE kind = 'roads'",
		"felton.osm.pbf");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM road_graphs WHERE "
				 "source_id = (SELECT id FROM sources WHERE "
				 "kind = 'roads')"),
		  3);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM road_graphs WHERE "
				 "dropped_nodes > 0 AND pieces > 1"),
		  test_q_int(ws, "SELECT count(*) FROM road_graphs WHERE "
				 "pieces > 1"));
	{
		/* the stored graph loads and is Felton's */
		struct geo_net *net = NULL;
		CHECK_INT(test_import_said(geo_net_load(ws, GEO_MODE_DRIVE,
							NULL, &net, &err),
					   &err),
			  CORE_OK);
		if (net)
			CHECK_INT((long long)geo_net_nnodes(net),
				  (long long)st.net[GEO_MODE_DRIVE].nodes);
		geo_net_free(net);
	}
	imp_roads_stats_release(&st);

	/* the same file again: still one source, the same figures */
	CHECK_INT(test_import_said(import(ws, fel, &st, &err), &err), CORE_OK);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources"), 1);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM road_graphs"), 3);
	imp_roads_stats_release(&st);
cleanup:
	if (ws)
		core_ws_close(ws);
	free(oak);
	free(fel);
}

static void test_bad_inputs(void)
{
	char *oak = shared_file("osm-oakland/oakland.osm.pbf");
	struct imp_roads_stats st;
	struct core_err err = {0};
	struct core_ws *ws = NULL;
	static const struct {
		const char *name, *has;
		int code;
	} bad[] = {
	    {"cut.osm.pbf", "cut.osm.pbf: it is cut short or damaged",
	     CORE_EFORMAT},
	    {"cut_late.osm.pbf", "cut_late.osm.pbf: it is cut short",
	     CORE_EFORMAT},
	    {"nohighway.osm",
	     "nohighway.osm holds no road, path or ferry any mode may use: 2 "
	     "ways read",
	     CORE_EFORMAT},
	    {"cut.osm", "cut.osm: it is cut short or damaged", CORE_EFORMAT},
	    {"empty.osm.pbf", "empty.osm.pbf is empty", CORE_EFORMAT},
	    {"garbage.osm.pbf",
	     "garbage.osm.pbf is not an OpenStreetMap file GDAL can read",
	     CORE_EFORMAT},
	    {"missing.osm.pbf", "missing.osm.pbf", CORE_EIO},
	};
	size_t i, len = 0;
	char *bytes;

	if (!oak || !have_engine())
		goto cleanup;
	ws = test_new_ws("bad.db");
	if (!ws)
		goto cleanup;
	CHECK_INT(test_import_said(import(ws, oak, &st, &err), &err), CORE_OK);
	imp_roads_stats_release(&st);

	/* the bad files, made here from the shared one */
	bytes = test_slurp(oak, &len);
	CHECK(bytes && len > 300000);
	if (bytes) {
		FILE *f = fopen(test_path("cut.osm.pbf"), "wb");
		fwrite(bytes, 1, len / 2, f);
		fclose(f);
		f = fopen(test_path("cut_late.osm.pbf"), "wb");
		fwrite(bytes, 1, len - 1000, f);
		fclose(f);
		f = fopen(test_path("garbage.osm.pbf"), "wb");
		for (i = 0; i < 4096; i++)
			fputc((int)((i * 2654435761u) >> 13) & 0xff, f);
		fclose(f);
		free(bytes);
	}
	test_write("empty.osm.pbf", "");
	test_write("nohighway.osm",
		   "<?xml version='1.0'?>\n<osm version='0.6'>\n"
		   " <node id='1' lat='37.8' lon='-122.27'/>\n"
		   " <node id='2' lat='37.81' lon='-122.27'/>\n"
		   " <way id='3'><nd ref='1'/><nd ref='2'/>"
		   "<tag k='waterway' v='stream'/></way>\n"
		   " <way id='4'><nd ref='1'/><nd ref='2'/>"
		   "<tag k='highway' v='construction'/></way>\n"
		   "</osm>\n");
	test_write("cut.osm", "<?xml version='1.0'?>\n<osm version='0.6'>\n"
			      " <node id='1' lat='37.8' lon='-122.27'/>\n"
			      " <node id='2' lat='37.81' lon='-122.27'/>\n"
			      " <way id='3'><nd ref='1'/><nd ref='2'/>"
			      "<tag k='highway' v='residential'/>\n");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *snap = test_ws_snapshot(ws);
		int before = test_failures(),
		    rc = import(ws, test_path(bad[i].name), &st, &err);
		test_failed_unchanged(ws, snap, rc, bad[i].code, err.msg,
				      __FILE__, __LINE__);
		CHECK_CONTAINS(err.msg, bad[i].has);
		imp_roads_stats_release(&st);
		test_row_end(before, i, bad[i].name, __FILE__, __LINE__);
	}
	/* Oakland's graphs are still there */
	CHECK_Q(ws, "SELECT name FROM sources", "oakland.osm.pbf");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM road_graphs"), 3);
cleanup:
	if (ws)
		core_ws_close(ws);
	free(oak);
}

static void test_cli(void)
{
	char *oak = shared_file("osm-oakland/oakland.osm.pbf");
	struct test_cli_case cases[] = {
	    {"-d cli.db import roads", 2, .err_has = {"which file?"}},
	    {"-d cli.db import roads a.osm.pbf b.osm.pbf", 2,
	     .err_has = {"unexpected argument 'b.osm.pbf'"}},
	    {"-d cli.db import roads nothere.osm.pbf", 1,
	     .err_has = {"nothere.osm.pbf"}},
	    {NULL, 0,
	     .err_has = {"imported roads from oakland.osm.pbf: 4557 ways "
			 "read",
			 "driving  "}},
	};
	char *args;

	if (!oak || !test_have_cli() || !have_engine())
		goto cleanup;
	args = xasprintf("-d cli.db import roads '%s'", oak);
	cases[3].args = args;
	{
		char *e = NULL;
		CHECK_INT(test_run_cli("-q -d cli.db init", NULL, &e), 0);
		free(e);
	}
	TEST_CLI_CASES(cases);
	free(args);
cleanup:
	free(oak);
}

static const struct test tests[] = {TEST(test_tags),	TEST(test_values),
				    TEST(test_rules),	TEST(test_small),
				    TEST(test_oakland), TEST(test_felton_read),
				    TEST(test_import),	TEST(test_bad_inputs),
				    TEST(test_cli),	{0}};

int main(void)
{
	int rc = test_main("imp_roads", tests);

	test_libs_shutdown();
	return rc;
}
