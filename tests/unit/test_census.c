/*
 * test_census.c - the census importers (TIGER, ACS, SVI, PLACES), area
 * flags and the population hand-over, with 'assetmap import tiger|acs|
 * svi|places'.  Fixtures are written in the published layouts; the real
 * San Francisco and California files come from ../shared/data.
 */
#include <gdal.h>
#include <ogr_api.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <spatialite/gaiaaux.h>

#include "core/core_area.h"
#include "core/core_csv.h"
#include "core/core_mem.h"
#include "core/core_ws.h"
#include "importers/imp_census.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

enum kind { TIGER, ACS, SVI, PLACES };

struct run {
	enum kind kind;
	struct imp_census_opts o;
	struct imp_source src;
	struct imp_census_stats st;
	struct core_err err;
	int rc;
};

static void run_init(struct run *r, enum kind kind, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	imp_census_opts_init(&r->o);
	r->o.path = path;
}

/* Run the import; quietly, for one that is meant to fail. */
static int run_quiet(struct core_ws *ws, struct run *r)
{
	imp_source_init(&r->src, r->kind == TIGER ? "areas" : "indicators");
	core_err_clear(&r->err);
	switch (r->kind) {
	case TIGER:
		r->rc = imp_tiger_import(ws, &r->o, &r->src, &r->st, &r->err);
		break;
	case ACS:
		r->rc = imp_acs_import(ws, &r->o, &r->src, &r->st, &r->err);
		break;
	case SVI:
		r->rc = imp_svi_import(ws, &r->o, &r->src, &r->st, &r->err);
		break;
	default:
		r->rc = imp_places_import(ws, &r->o, &r->src, &r->st, &r->err);
		break;
	}
	return r->rc;
}

/* Run the import, printing its message when it fails. */
static int run_go(struct core_ws *ws, struct run *r)
{
	return test_import_said(run_quiet(ws, r), &r->err);
}

static void run_release(struct run *r)
{
	imp_source_release(&r->src);
	imp_census_stats_release(&r->st);
}

/* An import that must be refused (see test_refusals), with its options. */
struct refusal {
	struct test_refusal t;
	enum kind kind;
	const char *columns, *population, *level, *ranking;
	long year;
};

static int refuse(struct core_ws *ws, const void *row, const char *path,
		  struct test_said *said)
{
	const struct refusal *f = row;
	struct run r;

	run_init(&r, f->kind, path);
	r.o.columns = f->columns;
	r.o.population = f->population;
	r.o.level = f->level;
	r.o.ranking = f->ranking;
	r.o.year = f->year;
	test_said_take(said, run_quiet(ws, &r), &r.err, &r.src);
	run_release(&r);
	return r.rc;
}

/* ---------------------------------------------------------------------
 * Fixtures, in the published layouts
 * ------------------------------------------------------------------ */

/* data.census.gov, 2022: two header lines, quoted, a trailing comma. */
static const char acs_b01003[] =
    "\"GEO_ID\",\"NAME\",\"B01003_001E\",\"B01003_001M\",\n"
    "\"Geography\",\"Geographic Area Name\",\"Estimate!!Total\",\"Margin of "
    "Error!!Total\",\n"
    "\"0400000US06\",\"California\",\"39356104\",\"*****\",\n"
    "\"0500000US06075\",\"San Francisco County, "
    "California\",\"851036\",\"*****\",\n"
    "\"1400000US06075010101\",\"Census Tract 101.01; San Francisco County; "
    "California\",\"2011\",\"349\",\n"
    "\"1400000US06075010102\",\"Census Tract 101.02; San Francisco County; "
    "California\",\"-666666666\",\"-222222222\",\n"
    "\"1400000US06075990100\",\"Census Tract 9901; San Francisco County; "
    "California\",\"0\",\"13\",\n"
    "\"1500000US060750101011\",\"Block Group 1; Census Tract 101.01; San "
    "Francisco County; California\",\"1200\",\"300\",\n"
    "\"860Z200US94103\",\"ZCTA5 94103\",\"34000\",\"1500\",\n"
    "\"0100000US\",\"United States\",\"331097593\",\"*****\",\n";

/* data.census.gov, 2021: annotation columns; open-ended medians. */
static const char acs_b19013[] =
    "GEO_ID,NAME,B19013_001E,B19013_001EA,B19013_001M,B19013_001MA,\n"
    "id,Geographic Area Name,Estimate!!Median household income in the past 12 "
    "months (in 2021 inflation-adjusted dollars),Annotation of "
    "Estimate!!Median household income in the past 12 months (in 2021 "
    "inflation-adjusted dollars),Margin of Error!!Median household income in "
    "the past 12 months (in 2021 inflation-adjusted dollars),Annotation of "
    "Margin of Error!!Median household income in the past 12 months (in 2021 "
    "inflation-adjusted dollars),\n"
    "1400000US06075010101,\"Census Tract 101.01, San Francisco County, "
    "California\",\"250,000+\",,***,,\n"
    "1400000US06075010102,\"Census Tract 101.02, San Francisco County, "
    "California\",98417,,18210,,\n"
    "1400000US06075010201,\"Census Tract 102.01, San Francisco County, "
    "California\",-,,**,,\n"
    "1400000US06075010202,\"Census Tract 102.02, San Francisco County, "
    "California\",(X),,(X),,\n";

/* American FactFinder, 2017. */
static const char aff_b01003[] =
    "GEO.id,GEO.id2,GEO.display-label,HD01_VD01,HD02_VD01\n"
    "Id,Id2,Geography,Estimate; Total,Margin of Error; Total\n"
    "1400000US06075010100,06075010100,\"Census Tract 101, San Francisco "
    "County, California\",3850,354\n"
    "1400000US06075010200,06075010200,\"Census Tract 102, San Francisco "
    "County, California\",4229,330\n"
    "0500000US06075,06075,\"San Francisco County, California\",864263,*****\n";

#define SVI_HDR                                                                \
	"ST,STATE,ST_ABBR,STCNTY,COUNTY,FIPS,LOCATION,AREA_SQMI,E_TOTPOP,M_"   \
	"TOTPOP,EP_POV,MP_POV,EPL_POV,SPL_THEMES,RPL_THEMES,F_TOTAL\n"

/* Five tracts of one state ranked among themselves (a state download). */
static const char svi_state[] = SVI_HDR
    "06,CALIFORNIA,CA,06075,San Francisco,06075010100,\"Census Tract 101, San "
    "Francisco County, California\",0.3,3850,354,17.3,6,0.6,2.1,0.25,0\n"
    "06,CALIFORNIA,CA,06075,San Francisco,06075010200,\"Census Tract 102, San "
    "Francisco County, California\",0.4,4229,330,5.2,2.1,0.2,1.1,0,0\n"
    "06,CALIFORNIA,CA,06075,San Francisco,06075010300,\"Census Tract 103, San "
    "Francisco County, California\",0.2,4000,300,9.9,3,0.4,3.3,0.75,1\n"
    "06,CALIFORNIA,CA,06075,San Francisco,06075010400,\"Census Tract 104, San "
    "Francisco County, California\",0.2,0,11,-999,-999,-999,-999,-999,-999\n"
    "06,CALIFORNIA,CA,06075,San Francisco,06075010500,\"Census Tract 105, San "
    "Francisco County, California\",0.2,2000,200,30.1,8,0.9,4.4,1,2\n"
    "06,CALIFORNIA,CA,06075,San Francisco,06075010600,\"Census Tract 106, San "
    "Francisco County, California\",0.2,2500,250,12,4,0.5,2.8,0.5,0\n";

/* PLACES, tract long form (2024 release schema). */
#define PLACES_LONG_HDR                                                        \
	"Year,StateAbbr,StateDesc,CountyName,CountyFIPS,LocationName,"         \
	"DataSource,Category,Measure,Data_Value_Unit,Data_Value_Type,Data_"    \
	"Value,Data_Value_Footnote_Symbol,Data_Value_Footnote,Low_Confidence_" \
	"Limit,High_Confidence_Limit,TotalPopulation,TotalPop18plus,"          \
	"LocationID,CategoryID,MeasureId,DataValueTypeID,Short_Question_Text," \
	"Geolocation\n"

static const char places_long[] = PLACES_LONG_HDR
    "2022,CA,California,San Francisco,06075,06075010101,BRFSS,Health "
    "Outcomes,Current asthma among adults,%,Crude "
    "prevalence,9.8,,,8.8,10.9,2011,1804,06075010101,HLTHOUT,CASTHMA,CrdPrv,"
    "Current Asthma,POINT (-122.4102 37.7947)\n"
    "2022,CA,California,San Francisco,06075,06075010101,BRFSS,Health "
    "Outcomes,Diagnosed diabetes among adults,%,Crude "
    "prevalence,7.1,,,6.2,8.1,2011,1804,06075010101,HLTHOUT,DIABETES,CrdPrv,"
    "Diabetes,POINT (-122.4102 37.7947)\n"
    "2021,CA,California,San Francisco,06075,06075010101,BRFSS,Health "
    "Outcomes,High blood pressure among adults,%,Crude "
    "prevalence,24.0,,,22.1,26.0,2011,1804,06075010101,HLTHOUT,BPHIGH,CrdPrv,"
    "High Blood Pressure,POINT (-122.4102 37.7947)\n"
    "2022,CA,California,San Francisco,06075,06075010102,BRFSS,Health "
    "Outcomes,Current asthma among adults,%,Crude "
    "prevalence,10.4,,,9.3,11.6,2100,1900,06075010102,HLTHOUT,CASTHMA,CrdPrv,"
    "Current Asthma,POINT (-122.41 37.79)\n"
    "2022,CA,California,San Francisco,06075,06075990100,BRFSS,Health "
    "Outcomes,Current asthma among adults,%,Crude prevalence,,*,Estimates "
    "suppressed for population less than "
    "50,,,0,0,06075990100,HLTHOUT,CASTHMA,CrdPrv,Current Asthma,POINT (-122.56 "
    "37.75)\n";

/* PLACES, county long form: crude and age-adjusted. */
static const char places_county[] =
    "Year,StateAbbr,StateDesc,LocationName,DataSource,Category,Measure,Data_"
    "Value_Unit,Data_Value_Type,Data_Value,Data_Value_Footnote_Symbol,Data_"
    "Value_Footnote,Low_Confidence_Limit,High_Confidence_Limit,TotalPopulation,"
    "TotalPop18plus,LocationID,CategoryID,MeasureId,DataValueTypeID,Short_"
    "Question_Text,Geolocation\n"
    "2022,CA,California,San Francisco,BRFSS,Health Outcomes,Current asthma "
    "among adults,%,Crude "
    "prevalence,9.5,,,8.9,10.1,808437,700000,06075,HLTHOUT,CASTHMA,CrdPrv,"
    "Current Asthma,POINT (-122.44 37.75)\n"
    "2022,CA,California,San Francisco,BRFSS,Health Outcomes,Current asthma "
    "among adults,%,Age-adjusted "
    "prevalence,9.7,,,9.1,10.3,808437,700000,06075,HLTHOUT,CASTHMA,AgeAdjPrv,"
    "Current Asthma,POINT (-122.44 37.75)\n";

/* PLACES, tract GIS-friendly form. */
static const char places_wide[] =
    "StateAbbr,StateDesc,CountyName,CountyFIPS,TractFIPS,TotalPopulation,"
    "TotalPop18plus,CASTHMA_CrudePrev,CASTHMA_Crude95CI,DIABETES_CrudePrev,"
    "DIABETES_Crude95CI,Geolocation\n"
    "CA,California,San Francisco,06075,06075010101,2011,1804,9.8,\"( 8.8, "
    "10.9)\",7.1,\"( 6.2, 8.1)\",POINT (-122.4102 37.7947)\n"
    "CA,California,San Francisco,06075,6075010102,2100,1900,10.4,\"( 9.3, "
    "11.6)\",,,POINT (-122.41 37.79)\n";

/* A tiny tract polygon GeoJSON feature (lon0, lat0: south-west corner). */
static void add_square(struct core_buf *b, const char *props, double x,
		       double y, double d)
{
	const char *s = core_buf_str(b);
	size_t n = b->len;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	core_buf_addf(b,
		      "%s{\"type\":\"Feature\",\"properties\":{%s},"
		      "\"geometry\":{\"type\":\"Polygon\","
		      "\"coordinates\":[[[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%"
		      ".4f,%.4f],[%.4f,%.4f]]]}}",
		      n > 0 && s[n - 1] != '[' ? ",\n" : "", props, x, y, x + d,
		      y, x + d, y + d, x, y + d, x, y);
}

/* Tracts 06075010100..06075010600 as GeoJSON with TIGER fields. */
static const char *tracts_geojson(const char *name)
{
	struct core_buf b = CORE_BUF_INIT;
	const char *p;
	int i;

	core_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"features\":[\n");
	for (i = 1; i <= 6; i++) {
		char props[256];
		snprintf(props, sizeof(props),
			 "\"STATEFP\":\"06\",\"COUNTYFP\":\"075\",\"TRACTCE\":"
			 "\"010%d00\","
			 "\"GEOID\":\"06075010%d00\",\"NAMELSAD\":\"Census "
			 "Tract 10%d\","
			 "\"ALAND\":%d,\"AWATER\":%d",
			 i, i, i, i == 6 ? 0 : 100000 * i, i == 6 ? 5000 : 0);
		add_square(&b, props, -122.42 + 0.01 * i, 37.79, 0.005);
	}
	core_buf_adds(&b, "]}\n");
	p = test_write(name, core_buf_str(&b));
	core_buf_release(&b);
	return p;
}

/* ---------------------------------------------------------------------
 * GEO_ID, flags and populations
 * ------------------------------------------------------------------ */

static void test_geo_id(void)
{
	/* GEO_ID, its level (NULL: not ours), GEOID (NULL: not checked),
	 * the summary level seen */
	static const struct {
		const char *in, *level, *geoid, *sumlev;
	} cases[] = {
	    {"1400000US06075010100", "tract", "06075010100", "140"},
	    {"860Z200US94103", "zcta", "94103", NULL},
	    {"8600000US94103", "zcta", NULL, NULL},
	    {"0500000US06075", "county", "06075", NULL},
	    {"0400000US06", "state", NULL, NULL},
	    {"1500000US060750101001", "blockgroup", "060750101001", NULL},
	    /* not ours: a place, the nation; not a GEO_ID at all */
	    {"1600000US0667000", NULL, NULL, "160"},
	    {"0100000US", NULL, NULL, "010"},
	    {"Geography", NULL, NULL, ""},
	    /* a tract GEO_ID that lost a digit */
	    {"1400000US0607501010", NULL, NULL, "140"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int before = test_failures();
		char g[32], s[4];
		const char *level =
		    imp_census_geo_id(cases[i].in, g, sizeof(g), s);

		if (cases[i].level)
			CHECK_STR(level, cases[i].level);
		else
			CHECK(level == NULL);
		if (cases[i].geoid)
			CHECK_STR(g, cases[i].geoid);
		if (cases[i].sumlev)
			CHECK_STR(s, cases[i].sumlev);
		test_row_end(before, i, cases[i].in, __FILE__, __LINE__);
	}
}

static void test_area_flags(void)
{
	struct core_ws *ws = test_new_ws("flags.db");
	struct core_err err = CORE_ERR_INIT;
	int64_t n = -1;

	/* land 0 -> water; population 0 -> no people; bit 4 is someone
	 * else's and stays; unknown land or people set nothing */
	test_exec(
	    ws, "INSERT INTO areas(level, geoid, population, land_m2, flags, "
		"geom) VALUES"
		" ('tract', '06075000100', 10, 5, 0, "
		"GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))', 4326)),"
		" ('tract', '06075000200', 0, 5, 4, "
		"GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))', 4326)),"
		" ('tract', '06075000300', 0, 0, 0, "
		"GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))', 4326)),"
		" ('tract', '06075000400', NULL, NULL, 3, "
		"GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))', 4326)),"
		" ('county', '06075', 0, 0, 0, GeomFromText('MULTIPOLYGON(((0 "
		"0,1 0,1 1,0 0)))', 4326))");
	CHECK_INT(core_area_flags_update(ws, "tract", &n, &err), CORE_OK);
	CHECK_INT(n, 3);
	CHECK_Q(ws,
		"SELECT group_concat(flags, ',') FROM (SELECT flags FROM areas "
		"WHERE level = 'tract' ORDER BY geoid)",
		"0,6,3,0");
	/* the county was not asked for */
	CHECK_INT(
	    test_q_int(ws, "SELECT flags FROM areas WHERE level = 'county'"),
	    0);
	CHECK_INT(core_area_flags_update(ws, NULL, &n, &err), CORE_OK);
	CHECK_INT(n, 1);
	CHECK_INT(
	    test_q_int(ws, "SELECT flags FROM areas WHERE level = 'county'"),
	    3);
	/* nothing left to change */
	CHECK_INT(core_area_flags_update(ws, NULL, &n, &err), CORE_OK);
	CHECK_INT(n, 0);
	CHECK_INT(core_area_count_flagged(ws, "tract", AREA_FLAG_NO_POP, &err),
		  2);
	CHECK_INT(core_area_count_flagged(ws, NULL, AREA_FLAG_WATER, &err), 2);
	CHECK_INT(core_area_count_flagged(
		      ws, NULL, AREA_FLAG_WATER | AREA_FLAG_NO_POP, &err),
		  2);

	/* population from the "population" indicator, only where none */
	test_exec(ws, "INSERT INTO indicators(geoid, name, value) VALUES"
		      " ('06075000400', 'population', 0), ('06075000100', "
		      "'population', 99),"
		      " ('06075000500', 'population', 7)");
	CHECK_INT(core_area_population_fill(ws, "tract", &n, &err), CORE_OK);
	CHECK_INT(n, 1);
	CHECK_INT(
	    test_q_int(
		ws, "SELECT population FROM areas WHERE geoid = '06075000400'"),
	    0);
	CHECK_INT(
	    test_q_int(
		ws, "SELECT population FROM areas WHERE geoid = '06075000100'"),
	    10);
	CHECK_INT(core_area_flags_update(ws, "tract", &n, &err), CORE_OK);
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT flags FROM areas WHERE geoid = '06075000400'"),
	    2);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * SVI
 * ------------------------------------------------------------------ */

static void test_svi_sf(void)
{
	const char *d = test_need_shared_data();
	struct core_ws *ws;
	char *svi, *tracts, *real;
	struct run r;

	if (!d)
		return;
	ws = test_new_ws("svi_sf.db");
	svi = xasprintf("%s/svi-2018-ca/SVI2018_SanFrancisco_tract.csv", d);
	tracts = xasprintf("%s/sf-tracts/sf_tracts_2010.geojson", d);
	real = realpath(svi, NULL);

	run_init(&r, SVI, svi);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_read, 196);
	CHECK_INT(r.src.rows_accepted, 196);
	CHECK_INT(r.src.rows_rejected, 0);
	/* 124 columns: 8 name the tract, 35 are margins of error */
	CHECK_INT(r.st.ncolumns, 81);
	CHECK_INT(r.st.values, 196 * 81);
	CHECK_INT(r.st.missing, 55);
	CHECK_INT(r.st.year, 2018);
	CHECK_STR(r.st.level, "tract");
	CHECK_STR(r.st.what, "CDC/ATSDR SVI 2018");
	/* no areas yet: the population waits in the indicator */
	CHECK_INT(r.st.population_set, 0);
	CHECK_STR(r.src.options,
		  "--year 2018 --ranking national --population E_TOTPOP");
	CHECK_STR(r.src.format, "svi");
	run_release(&r);

	CHECK_Q(ws,
		"SELECT kind || '|' || name || '|' || rows_read || '|' || "
		"rows_accepted || '|' || options FROM sources",
		"indicators|SVI2018_SanFrancisco_tract.csv|196|196|--year 2018 "
		"--ranking national --population E_TOTPOP");
	{
		char *sql = xasprintf("SELECT path = '%s' FROM sources",
				      real ? real : "");
		CHECK_INT(test_q_int(ws, sql), 1);
		free(sql);
	}
	CHECK_INT(
	    test_q_int(
		ws,
		"SELECT count(*) FROM indicators WHERE name <> 'population'"),
	    196 * 81);
	CHECK_INT(test_q_int(ws, "SELECT count(DISTINCT name) FROM indicators"),
		  82);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM indicator_info"), 81);
	CHECK_INT(test_q_int(ws, "SELECT CAST(sum(value) AS INTEGER) FROM "
				 "indicators WHERE name = 'E_TOTPOP'"),
		  870044);
	CHECK_INT(test_q_int(ws, "SELECT CAST(sum(value) AS INTEGER) FROM "
				 "indicators WHERE name = 'population'"),
		  870044);
	/* -999 is missing: the Farallon Islands have no SVI */
	CHECK_Q(ws,
		"SELECT group_concat(geoid) FROM indicators WHERE name = "
		"'RPL_THEMES' AND value IS NULL",
		"06075980401");
	/* tract 101: E_TOTPOP 3850 +- 354, EP_POV 17.3 +- 6, RPL 0.6681 */
	CHECK_Q(ws,
		"SELECT value || '|' || moe || '|' || year FROM indicators "
		"WHERE geoid = '06075010100' AND name = 'E_TOTPOP'",
		"3850.0|354.0|2018");
	CHECK_Q(ws,
		"SELECT value || '|' || moe FROM indicators WHERE geoid = "
		"'06075010100' AND name = 'EP_POV'",
		"17.3|6.0");
	CHECK_NEAR(test_q_double(ws, "SELECT value FROM indicators WHERE geoid "
				     "= '06075010100' AND name = 'RPL_THEMES'"),
		   0.6681, 1e-12);
	CHECK_Q(ws,
		"SELECT moe FROM indicators WHERE geoid = '06075010100' AND "
		"name = 'RPL_THEMES'",
		"(null)");
	CHECK_INT(
	    test_q_int(ws, "SELECT count(*) FROM indicators WHERE name LIKE "
			   "'M\\_%' ESCAPE '\\' OR name LIKE 'MP\\_%' ESCAPE "
			   "'\\' OR name IN ('FIPS', 'LOCATION', 'AREA_SQMI')"),
	    0);
	CHECK_Q(ws,
		"SELECT label || '|' || unit || '|' || year FROM "
		"indicator_info WHERE name = 'RPL_THEMES'",
		"SVI 2018: all themes (the overall SVI), percentile ranking, "
		"ranked nationally|percentile (0-1)|2018");
	CHECK_Q(ws,
		"SELECT label || '|' || unit FROM indicator_info WHERE name = "
		"'E_TOTPOP'",
		"SVI 2018: total population, estimate; moe is the 90% margin "
		"of error|count");
	CHECK_Q(ws, "SELECT unit FROM indicator_info WHERE name = 'E_PCI'",
		"dollars");

	/* the polygons afterwards take the population; the Farallones (0
	 * people) have no polygon in this file */
	run_init(&r, TIGER, tracts);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.areas, 195);
	CHECK_INT(r.st.population_set, 195);
	CHECK_INT(r.st.no_population, 0);
	run_release(&r);
	CHECK_INT(test_q_int(
		      ws, "SELECT CAST(sum(population) AS INTEGER) FROM areas"),
		  870044);
	CHECK_INT(
	    test_q_int(
		ws, "SELECT population FROM areas WHERE geoid = '06075010100'"),
	    3850);

	/* importing the SVI again replaces it: same counts, one sources row */
	run_init(&r, SVI, svi);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.population_set, 195);
	CHECK_INT(r.st.unmatched, 1);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources"), 2);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM indicators"), 196 * 82);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM indicators WHERE "
				 "source_id = (SELECT max(id) FROM sources)"),
		  196 * 82);
	free(svi);
	free(tracts);
	free(real);
	core_ws_close(ws);
}

/* 8041 tiny squares, one per tract of the statewide SVI file. */
static const char *ca_squares(const char *svi)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_buf b = CORE_BUF_INIT;
	struct core_csv *c = core_csv_open(svi, &err);
	const char *p;
	int fips, i = 0;

	if (!c) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return NULL;
	}
	fips = core_csv_col(c, "FIPS");
	core_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"name\":\"ca_"
			  "tracts\",\"features\":[\n");
	while (core_csv_next(c, &err) == 1) {
		char props[64];
		snprintf(props, sizeof(props), "\"GEOID\":\"%s\"",
			 core_csv_get(c, (size_t)fips));
		add_square(&b, props, -124 + 0.01 * (i % 100),
			   32.5 + 0.01 * (i / 100), 0.005);
		i++;
	}
	core_buf_adds(&b, "]}\n");
	core_csv_free(c);
	p = test_write("ca_squares.geojson", core_buf_str(&b));
	core_buf_release(&b);
	CHECK_INT(i, 8041);
	return p;
}

static void test_svi_california(void)
{
	const char *d = test_need_shared_data(), *squares;
	struct core_ws *ws, *ws2;
	char *svi;
	struct run r;

	if (!d)
		return;
	svi = xasprintf("%s/svi-2018-ca/SVI2018_CALIFORNIA_tract.csv", d);
	squares = ca_squares(svi);
	if (!squares) {
		free(svi);
		return;
	}

	/* polygons first, then every column of the SVI */
	ws = test_new_ws("svi_ca.db");
	run_init(&r, TIGER, squares);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.areas, 8041);
	CHECK_STR(r.st.level, "tract");
	run_release(&r);
	run_init(&r, SVI, svi);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_accepted, 8041);
	CHECK_INT(r.st.values, 8041 * 81);
	CHECK_INT(r.st.missing, 2395);
	CHECK_INT(r.st.population_set, 8041);
	CHECK_INT(r.st.no_population, 29);
	CHECK_INT(r.st.unmatched, 0);
	CHECK_CONTAINS(r.src.options, "--ranking national");
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM indicators WHERE name = "
				 "'RPL_THEMES' AND value IS NULL"),
		  64);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM areas WHERE flags & 2"),
		  29);
	CHECK_INT(
	    test_q_int(ws, "SELECT count(*) FROM areas WHERE population = 0"),
	    29);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM areas WHERE flags & 1"),
		  0);
	CHECK_INT(test_q_int(
		      ws, "SELECT CAST(sum(population) AS INTEGER) FROM areas"),
		  39148760);
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT flags FROM areas WHERE geoid = '06037320000'"),
	    AREA_FLAG_NO_POP);
	core_ws_close(ws);

	/* the SVI first (two columns), the polygons after: the same flags */
	ws2 = test_new_ws("svi_ca2.db");
	run_init(&r, SVI, svi);
	r.o.columns = "RPL_THEMES";
	CHECK_INT(run_go(ws2, &r), CORE_OK);
	CHECK_INT(r.st.ncolumns, 1);
	CHECK_INT(r.st.population_set, 0);
	CHECK_STR(r.src.options, "--columns RPL_THEMES --year 2018 --ranking "
				 "national --population E_TOTPOP");
	run_release(&r);
	run_init(&r, TIGER, squares);
	CHECK_INT(run_go(ws2, &r), CORE_OK);
	CHECK_INT(r.st.population_set, 8041);
	CHECK_INT(r.st.no_population, 29);
	run_release(&r);
	CHECK_INT(test_q_int(ws2, "SELECT count(*) FROM areas WHERE flags = 2"),
		  29);
	CHECK_INT(test_q_int(ws2, "SELECT count(*) FROM indicators"), 8041 * 2);
	core_ws_close(ws2);
	free(svi);
}

static void test_svi_ranking(void)
{
	struct core_ws *ws = test_new_ws("rank.db");
	const char *state = test_write("SVI2018_CA_state.csv", svi_state);
	const char *two;
	struct run r;

	/* 0, 0.25, 0.5, 0.75, 1 over its own 5 ranked tracts: a state's */
	run_init(&r, SVI, state);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_CONTAINS(r.src.options, "--ranking state");
	CHECK_INT(r.st.ncolumns, 6);
	CHECK_INT(r.st.values, 36);
	CHECK_INT(r.st.missing, 5);
	run_release(&r);
	CHECK_Q(ws,
		"SELECT label FROM indicator_info WHERE name = 'RPL_THEMES'",
		"SVI 2018: all themes (the overall SVI), percentile ranking, "
		"ranked within the state");
	CHECK_Q(ws,
		"SELECT label || '|' || unit FROM indicator_info WHERE name = "
		"'F_TOTAL'",
		"SVI 2018: all themes, number of flags, ranked within the "
		"state|flags");
	CHECK_Q(ws, "SELECT label FROM indicator_info WHERE name = 'EP_POV'",
		"SVI 2018: persons below poverty, percent; moe is the 90% "
		"margin of error");
	CHECK_Q(ws,
		"SELECT value || '|' || moe FROM indicators WHERE geoid = "
		"'06075010300' AND name = 'EP_POV'",
		"9.9|3.0");
	/* -999 in both: no value, no moe; population 0 is a population */
	CHECK_Q(
	    ws,
	    "SELECT coalesce(value, 'null') || '|' || coalesce(moe, 'null') "
	    "FROM indicators WHERE geoid = '06075010400' AND name = 'EP_POV'",
	    "null|null");
	CHECK_Q(ws,
		"SELECT value || '|' || moe FROM indicators WHERE geoid = "
		"'06075010400' AND name = 'population'",
		"0.0|11.0");

	/* told otherwise */
	run_init(&r, SVI, state);
	r.o.ranking = "national";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_CONTAINS(r.src.options, "--ranking national");
	run_release(&r);
	{
		const struct refusal bad[] = {
		    {{state, NULL, NULL, CORE_EUSAGE,
		      .has = {"--ranking: 'county' is not a ranking; give "
			      "national"}},
		     .kind = SVI,
		     .ranking = "county"},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}

	/* tracts of two states: national */
	{
		struct core_buf b = CORE_BUF_INIT;
		core_buf_adds(&b, svi_state);
		core_buf_adds(
		    &b,
		    "32,NEVADA,NV,32003,Clark,32003000100,\"Census Tract 1, "
		    "Clark County, Nevada\",1,3000,200,10,2,0.5,2,0.9,1\n");
		two = test_write("SVI2018_two.csv", core_buf_str(&b));
		core_buf_release(&b);
	}
	run_init(&r, SVI, two);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_CONTAINS(r.src.options, "--ranking national");
	CHECK(r.st.nnotes > 1 &&
	      strstr(r.st.notes[1], "it holds tracts of 2 states"));
	run_release(&r);
	core_ws_close(ws);
}

static void test_svi_editions(void)
{
	struct core_ws *ws = test_new_ws("editions.db");
	/* 2010: GEO_ID, a numeric FIPS without its leading zero, TOTPOP */
	static const char svi2010[] =
	    "GEO_ID,STATE_FIPS,CNTY_FIPS,TRACT,CENSUSAREA,STCOFIPS,FIPS,STATE_"
	    "ABBR,STATE_NAME,COUNTY,LOCATION,TOTPOP,E_TOTPOP,M_TOTPOP,E_P_POV,"
	    "M_P_POV,E_PL_POV,P_AGE65,PL_AGE65,S_PL_THEMES,R_PL_THEMES,F_PL_"
	    "TOTAL\n"
	    "1400000US01001020100,1,1,20100,3.79,1001,1001020100,AL,Alabama,"
	    "Autauga,\"Census Tract 201, Autauga County, "
	    "Alabama\",1912,1948,203,10.1,4.2,0.3,12.1,0.4,5.5,0.2917,0\n"
	    "1400000US06075010100,6,75,10100,0.29,6075,6075010100,CA,"
	    "California,San Francisco,\"Census Tract 101, San Francisco "
	    "County, "
	    "California\",3658,3797,312,12.5,4.0,0.5,20.2,0.8,6.1,0.4012,1\n";
	/* 2020/2022 columns */
	static const char svi2020[] =
	    "ST,STATE,ST_ABBR,STCNTY,COUNTY,FIPS,LOCATION,AREA_SQMI,E_TOTPOP,M_"
	    "TOTPOP,E_POV150,M_POV150,EP_POV150,MP_POV150,EPL_POV150,RPL_"
	    "THEMES\n"
	    "06,California,CA,06075,San Francisco County,06075010101,Census "
	    "Tract 101.01; San Francisco County; "
	    "California,0.1,2011,349,300,120,15.2,5.9,0.45,0.55\n";
	/* 2000: a stale first header, the real one second */
	static const char svi2000[] =
	    "STATE_FIPS,CNTY_FIPS,STCOFIPS,TRACT,G1V1R,G1V2R,USG1TP,USTP\n"
	    "ST,COU,STCNTY,TRACT,FIPS,STATE,ST_ABBR,COUNTY,P_POV,PL_POV,RPL_"
	    "THEMES,F_POV,TOTPOP\n"
	    "06,075,06075,010100,06075010100,CALIFORNIA,CA,San "
	    "Francisco,0.12,0.55,0.61,0,3600\n";
	const char *p;
	struct run r;

	p = test_write("SVI2010_US.csv", svi2010);
	run_init(&r, SVI, p);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.year, 2010);
	CHECK_INT(r.st.ncolumns, 9);
	CHECK_STR(r.src.options,
		  "--year 2010 --ranking national --population E_TOTPOP");
	run_release(&r);
	/* the leading zero is back; M_P_POV is E_P_POV's moe */
	CHECK_Q(ws,
		"SELECT value || '|' || moe FROM indicators WHERE geoid = "
		"'01001020100' AND name = 'E_P_POV'",
		"10.1|4.2");
	CHECK_Q(ws,
		"SELECT value FROM indicators WHERE geoid = '06075010100' AND "
		"name = 'R_PL_THEMES'",
		"0.4012");
	CHECK_Q(ws,
		"SELECT value FROM indicators WHERE geoid = '06075010100' AND "
		"name = 'TOTPOP'",
		"3658.0");
	CHECK_Q(ws,
		"SELECT label FROM indicator_info WHERE name = 'R_PL_THEMES'",
		"SVI 2010: all themes (the overall SVI), percentile ranking, "
		"ranked nationally");
	CHECK_Q(ws, "SELECT label FROM indicator_info WHERE name = 'PL_AGE65'",
		"SVI 2010: persons aged 65 and older, percentile rank, ranked "
		"nationally");

	/* the edition from the columns alone */
	p = test_write("svi_us.csv", svi2010);
	run_init(&r, SVI, p);
	r.o.population = "TOTPOP";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.year, 2010);
	CHECK_STR(r.src.options,
		  "--year 2010 --ranking national --population TOTPOP");
	run_release(&r);
	CHECK_Q(ws,
		"SELECT value FROM indicators WHERE geoid = '06075010100' AND "
		"name = 'population'",
		"3658.0");

	/* 2020 or 2022: the name must say, or --year */
	{
		const struct refusal bad[] = {
		    {{"svi20.csv", svi2020, NULL, CORE_EUSAGE,
		      .has = {"svi20.csv: cannot tell which SVI edition it "
			      "is: its columns (EP_POV150) are those of "
			      "several editions, and its name does not say; "
			      "give --year (2020, 2022)"}},
		     .kind = SVI},
		    {{"svi20.csv", NULL, NULL, CORE_EUSAGE,
		      .has = {"svi20.csv: --year says the edition is 2018, "
			      "but its columns (EP_POV150) are those of the "
			      "editions 2020, 2022"}},
		     .kind = SVI,
		     .year = 2018},
		    {{"svi20.csv", NULL, NULL, CORE_EUSAGE,
		      .has = {"--year 2019 is not an SVI edition"}},
		     .kind = SVI,
		     .year = 2019},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}
	p = test_path("svi20.csv");
	run_init(&r, SVI, p);
	r.o.year = 2022;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK(r.st.nnotes > 0 &&
	      strstr(r.st.notes[0],
		     "edition 2022 (from --year); on 2020 census tracts"));
	run_release(&r);
	{
		const struct refusal bad[] = {
		    {{"SVI_2018_US_tract.csv", svi2020, NULL, CORE_EFORMAT,
		      .has = {"the file's name says the edition is 2018, but "
			      "its columns (EP_POV150) are those of the "
			      "editions 2020, 2022"}},
		     .kind = SVI},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}

	/* 2000: the second header line */
	p = test_write("SVI2000_CA.csv", svi2000);
	run_init(&r, SVI, p);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.year, 2000);
	CHECK_INT(r.st.ncolumns, 5);
	CHECK_INT(r.src.rows_read, 1);
	run_release(&r);
	CHECK_Q(ws,
		"SELECT value || '|' || year FROM indicators WHERE geoid = "
		"'06075010100' AND name = 'TOTPOP'",
		"3600.0|2000");
	CHECK_Q(
	    ws,
	    "SELECT value FROM indicators WHERE geoid = '06075010100' AND name "
	    "= 'RPL_THEMES' AND source_id = (SELECT max(id) FROM sources)",
	    "0.61");

	/* counties, with the FIPS as the CDC's CSVs write it: a number */
	p = test_write("SVI2018_US_COUNTY.csv",
		       "ST,STATE,ST_ABBR,COUNTY,FIPS,LOCATION,AREA_SQMI,E_"
		       "TOTPOP,M_TOTPOP,EP_POV,MP_POV,RPL_THEMES\n"
		       "1,ALABAMA,AL,Autauga,1001,\"Autauga County, "
		       "Alabama\",594.4,55200,0,13.8,2.1,0.4354\n"
		       "6,CALIFORNIA,CA,San Francisco,6075,\"San Francisco "
		       "County, California\",46.9,870044,0,10.9,0.6,0.4172\n");
	run_init(&r, SVI, p);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_STR(r.st.level, "county");
	CHECK_INT(r.st.ncolumns, 3);
	run_release(&r);
	CHECK_Q(ws,
		"SELECT value || '|' || moe FROM indicators WHERE geoid = "
		"'06075' AND name = 'E_TOTPOP'",
		"870044.0|0.0");
	CHECK_Q(ws,
		"SELECT value FROM indicators WHERE geoid = '01001' AND name = "
		"'RPL_THEMES'",
		"0.4354");
	core_ws_close(ws);
}

static void test_svi_bad(void)
{
	struct core_ws *ws = test_new_ws("svi_bad.db");
	const char *p;
	struct run r;
	const struct refusal bad[] = {
	    /* the wrong command */
	    {{"ACSDT5Y2022.B01003-Data.csv", acs_b01003, NULL, CORE_EFORMAT,
	      .msg =
		  "ACSDT5Y2022.B01003-Data.csv is not a CDC/ATSDR SVI table "
		  "(no RPL_THEMES, R_PL_THEMES, E_TOTPOP or TOTPOP column); it "
		  "looks like an ACS table from data.census.gov (it has GEO_ID "
		  "and B01003_001E): import it with 'assetmap import acs "
		  "ACSDT5Y2022.B01003-Data.csv'"},
	     .kind = SVI},
	    {{"places.csv", places_long, NULL, CORE_EFORMAT,
	      .has = {"it looks like CDC PLACES data (long form) (it has "
		      "MeasureId "
		      "and Data_Value): import it with 'assetmap import places "
		      "places.csv'"}},
	     .kind = SVI},
	    {{"tracts.geojson", NULL, NULL, CORE_EFORMAT,
	      .msg =
		  "tracts.geojson is not a CDC/ATSDR SVI table (a CSV table): "
		  "it is JSON (GeoJSON?); import it with 'assetmap import "
		  "tiger tracts.geojson'"},
	     .kind = SVI},
	    /* no key column */
	    {{"SVI2018_nokey.csv",
	      "ST,LOCATION,E_TOTPOP,RPL_THEMES\n06,somewhere,100,0.5\n", NULL,
	      CORE_EFORMAT,
	      .has = {"SVI2018_nokey.csv is not a CDC/ATSDR SVI table (no "
		      "FIPS, GEO_ID or STCNTY column to key its rows); the "
		      "columns are: ST, LOCATION, E_TOTPOP, RPL_THEMES"}},
	     .kind = SVI},
	    /* a bad value, refused whole (then --skip-bad, below) */
	    {{"SVI2018_bad.csv", svi_state,
	      "06,CALIFORNIA,CA,06075,San Francisco,06075010700,Tract "
	      "107,0.2,abc,11,1,1,1,1,1,1\n",
	      CORE_EFORMAT,
	      .msg =
		  "SVI2018_bad.csv line 8, field E_TOTPOP: 'abc' is not a "
		  "number; SVI values are numbers, with -999 for 'no value'\n"
		  "nothing was imported; fix that row, or give --skip-bad to "
		  "import the other 6 rows"},
	     .kind = SVI},
	};
	const struct refusal worse[] = {
	    /* a repeated tract; a FIPS of the wrong length; a negative MOE */
	    {{"SVI2018_rows.csv", svi_state,
	      "06,CALIFORNIA,CA,06075,San "
	      "Francisco,06075010100,again,0.1,1,1,1,1,1,1,1,1\n"
	      "06,CALIFORNIA,CA,06075,San "
	      "Francisco,0607501,short,0.1,1,1,1,1,1,1,1,1\n"
	      "06,CALIFORNIA,CA,06075,San "
	      "Francisco,06075010900,neg,0.1,1,-3,1,1,1,1,1,1\n",
	      CORE_EFORMAT,
	      .msg = "SVI2018_rows.csv: 3 rows rejected (the first at line 8), "
		     "nothing was imported; fix them, or give --skip-bad to "
		     "import the 6 good rows",
	      .shown =
		  {"SVI2018_rows.csv line 8, field FIPS: '06075010100' appears "
		   "more than once in the file; each tract must have one row",
		   "SVI2018_rows.csv line 9, field FIPS: '0607501' is not a "
		   "tract FIPS code; it is 11 digits, e.g. 06075010100",
		   "SVI2018_rows.csv line 10, field M_TOTPOP: '-3' is not a "
		   "margin of error; it is a number of 0 or more, or -999 for "
		   "'no value'"},
	      .rejected = 3},
	     .kind = SVI},
	    /* cut short: a row missing its last fields; a quote never
	     * closed */
	    {{"SVI2018_cut.csv", svi_state,
	      "06,CALIFORNIA,CA,06075,San Francisco,06075010800,cut,0.1,1,1",
	      CORE_EFORMAT,
	      .has = {"SVI2018_cut.csv line 8, field EP_POV: is missing: the "
		      "row has 10 fields where the header has 16; a value "
		      "holding the separator ',' must be in double quotes (is "
		      "the file cut short?)\nnothing was imported"}},
	     .kind = SVI},
	    {{"SVI2018_cut2.csv", svi_state,
	      "06,CALIFORNIA,CA,06075,San "
	      "Francisco,06075010800,\"Census Tract 108, San Fr",
	      CORE_EFORMAT,
	      .msg =
		  "SVI2018_cut2.csv line 8, field LOCATION: a quoted field is "
		  "not closed before the end of the file; is the file cut "
		  "short, or a quote missing?"},
	     .kind = SVI},
	    /* header only; empty */
	    {{"SVI2018_empty.csv", SVI_HDR, NULL, CORE_EFORMAT,
	      .msg =
		  "SVI2018_empty.csv has a header but no data rows; nothing to "
		  "import"},
	     .kind = SVI},
	    {{"SVI2018_zero.csv", "", NULL, CORE_EFORMAT,
	      .has = {"SVI2018_zero.csv is empty (0 bytes)"}},
	     .kind = SVI},
	    /* options that cannot apply */
	    {{"SVI2018_CA_state.csv", svi_state, NULL, CORE_EUSAGE,
	      .msg = "--columns: 'M_TOTPOP' in SVI2018_CA_state.csv: it is a "
		     "margin of error, stored with its estimate E_TOTPOP"},
	     .kind = SVI,
	     .columns = "M_TOTPOP"},
	    {{"SVI2018_CA_state.csv", NULL, NULL, CORE_EUSAGE,
	      .msg =
		  "--columns: 'NOPE' in SVI2018_CA_state.csv: there is no such "
		  "column"},
	     .kind = SVI,
	     .columns = "RPL_THEMES,NOPE"},
	    {{"SVI2018_CA_state.csv", NULL, NULL, CORE_EUSAGE,
	      .has =
		  {"--population: SVI2018_CA_state.csv has no column 'POP'"}},
	     .kind = SVI,
	     .population = "POP"},
	    {{"SVI2018_CA_state.csv", NULL, NULL, CORE_EUSAGE,
	      .has = {"import svi takes only"}},
	     .kind = SVI,
	     .level = "tract"},
	};

	tracts_geojson("tracts.geojson");
	TEST_REFUSALS(ws, bad, refuse);
	p = test_path("SVI2018_bad.csv");
	run_init(&r, SVI, p);
	r.o.skip_bad = 1;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_read, 7);
	CHECK_INT(r.src.rows_accepted, 6);
	CHECK_INT(r.src.rows_rejected, 1);
	run_release(&r);
	CHECK_Q(
	    ws,
	    "SELECT line || '|' || field || '|' || value FROM source_rejects",
	    "8|E_TOTPOP|abc");
	CHECK_INT(
	    test_q_int(
		ws,
		"SELECT count(*) FROM indicators WHERE geoid = '06075010700'"),
	    0);
	TEST_REFUSALS(ws, worse, refuse);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * ACS
 * ------------------------------------------------------------------ */

static void test_acs(void)
{
	struct core_ws *ws = test_new_ws("acs.db");
	const char *tracts = tracts_geojson("acs_tracts.geojson");
	const char *p;
	struct run r;

	/* tracts 06075010100..0600, as TIGER would */
	run_init(&r, TIGER, tracts);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);

	p = test_write("ACSDT5Y2022.B01003-Data.csv", acs_b01003);
	run_init(&r, ACS, p);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_read, 8);
	CHECK_INT(r.src.rows_accepted, 7);
	CHECK_INT(r.st.skipped, 1);
	CHECK_INT(r.st.values, 7);
	CHECK_INT(r.st.missing, 1);
	CHECK_INT(r.st.year, 2022);
	CHECK_STR(r.st.what, "ACS 5-year 2022 table B01003");
	CHECK_STR(r.src.options, "--year 2022 --population B01003_001E");
	CHECK(r.st.level == NULL);
	{
		size_t i;
		int seen = 0;
		for (i = 0; i < r.st.nnotes; i++) {
			if (strstr(r.st.notes[i],
				   "rows: 1 state, 1 county, 3 tracts, 1 block "
				   "group, 1 ZCTA"))
				seen |= 1;
			if (strstr(r.st.notes[i],
				   "2 margins of error '*****' or -555555555 "
				   "(a controlled estimate: no sampling error) "
				   "stored as 0"))
				seen |= 2;
			if (strstr(
				r.st.notes[i],
				"skipped 1 row of summary level 010 (nation)"))
				seen |= 4;
		}
		CHECK_INT(seen, 7);
	}
	run_release(&r);
	CHECK_Q(ws,
		"SELECT value || '|' || moe || '|' || year FROM indicators "
		"WHERE geoid = '06075010101' AND name = 'B01003_001E'",
		"2011.0|349.0|2022");
	CHECK_Q(ws,
		"SELECT value || '|' || moe FROM indicators WHERE geoid = '06' "
		"AND name = 'B01003_001E'",
		"39356104.0|0.0");
	CHECK_Q(ws,
		"SELECT value || '|' || moe FROM indicators WHERE geoid = "
		"'94103' AND name = 'B01003_001E'",
		"34000.0|1500.0");
	CHECK_Q(ws,
		"SELECT value || '|' || moe FROM indicators WHERE geoid = "
		"'060750101011' AND name = 'B01003_001E'",
		"1200.0|300.0");
	/* -666666666 / -222222222: no estimate, no moe */
	CHECK_Q(ws,
		"SELECT coalesce(value, 'null') || '|' || coalesce(moe, "
		"'null') FROM indicators WHERE geoid = '06075010102'",
		"null|null");
	CHECK_INT(
	    test_q_int(ws, "SELECT count(*) FROM indicators WHERE geoid = ''"),
	    0);
	CHECK_Q(ws,
		"SELECT label || '|' || year FROM indicator_info WHERE name = "
		"'B01003_001E'",
		"B01003: Total (ACS 5-year 2022; moe is the 90% margin of "
		"error)|2022");
	CHECK_INT(
	    test_q_int(
		ws,
		"SELECT count(*) FROM indicators WHERE name = 'population'"),
	    6);
	/* none of these GEOIDs has a polygon here: no population set */
	CHECK_INT(
	    test_q_int(
		ws, "SELECT count(*) FROM areas WHERE population IS NOT NULL"),
	    0);

	/* FactFinder: HD01_VD01 of B01003 is B01003_001E */
	p = test_write("ACS_17_5YR_B01003_with_ann.csv", aff_b01003);
	run_init(&r, ACS, p);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_accepted, 3);
	CHECK_INT(r.st.year, 2017);
	CHECK_INT(r.st.population_set, 2);
	CHECK_STR(r.src.format, "acs (American FactFinder)");
	CHECK_STR(r.src.options, "--year 2017 --population HD01_VD01");
	run_release(&r);
	CHECK_Q(ws,
		"SELECT value || '|' || moe || '|' || year FROM indicators "
		"WHERE geoid = '06075010100' AND name = 'B01003_001E'",
		"3850.0|354.0|2017");
	CHECK_Q(ws,
		"SELECT value || '|' || moe FROM indicators WHERE geoid = "
		"'06075' AND name = 'B01003_001E'",
		"864263.0|0.0");
	CHECK_Q(ws,
		"SELECT group_concat(geoid || '=' || population) FROM (SELECT "
		"geoid, population FROM areas WHERE population IS NOT NULL "
		"ORDER BY geoid)",
		"06075010100=3850.0,06075010200=4229.0");
	CHECK_Q(
	    ws, "SELECT label FROM indicator_info WHERE name = 'B01003_001E'",
	    "B01003: Total (ACS 5-year 2017; moe is the 90% margin of error)");

	/* FactFinder wrote Windows-1252: read, with a warning */
	p = test_write(
	    "ACS_17_5YR_B01003_NM.csv",
	    "GEO.id,GEO.id2,GEO.display-label,HD01_VD01,HD02_VD01\n"
	    "Id,Id2,Geography,Estimate; Total,Margin of Error; Total\n"
	    "0500000US35013,35013,\"Do\xf1"
	    "a Ana County, New Mexico\",215338,*****\n");
	run_init(&r, ACS, p);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_accepted, 1);
	CHECK_STR(r.src.encoding, "windows-1252");
	CHECK_CONTAINS(
	    r.src.warning,
	    "ACS_17_5YR_B01003_NM.csv is not UTF-8; read it as Windows-1252");
	run_release(&r);
	CHECK_Q(ws,
		"SELECT value || '|' || moe FROM indicators WHERE geoid = "
		"'35013' AND name = 'B01003_001E'",
		"215338.0|0.0");

	/* annotations, open-ended medians and a trailing empty column */
	p = test_write("ACSDT5Y2021.B19013-Data.csv", acs_b19013);
	run_init(&r, ACS, p);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_accepted, 4);
	CHECK_INT(r.st.ncolumns, 1);
	CHECK_INT(r.st.missing, 2);
	CHECK_STR(r.src.options, "--year 2021 --population ''");
	run_release(&r);
	CHECK_Q(ws,
		"SELECT value || '|' || coalesce(moe, 'null') FROM indicators "
		"WHERE geoid = '06075010101' AND name = 'B19013_001E'",
		"250000.0|null");
	CHECK_Q(ws,
		"SELECT value || '|' || moe FROM indicators WHERE geoid = "
		"'06075010102' AND name = 'B19013_001E'",
		"98417.0|18210.0");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM indicators WHERE name = "
				 "'B19013_001E' AND value IS NULL"),
		  2);
	CHECK_Q(ws,
		"SELECT label FROM indicator_info WHERE name = 'B19013_001E'",
		"B19013: Median household income in the past 12 months (in "
		"2021 inflation-adjusted dollars) (ACS 5-year 2021; moe is the "
		"90% margin of error)");
	core_ws_close(ws);
}

static void test_acs_bad(void)
{
	struct core_ws *ws = test_new_ws("acs_bad.db");
	static const struct refusal bad[] = {
	    {{"SVI2018_CA_state.csv", svi_state, NULL, CORE_EFORMAT,
	      .msg = "SVI2018_CA_state.csv is not an ACS table as "
		     "data.census.gov writes it (no GEO_ID column); it looks "
		     "like a CDC/ATSDR SVI table (it has FIPS and RPL_THEMES): "
		     "import it with 'assetmap import svi "
		     "SVI2018_CA_state.csv'"},
	     .kind = ACS},
	    {{"plain.csv", "GEOID,poverty\n06075010100,12.5\n", NULL,
	      CORE_EFORMAT,
	      .msg = "plain.csv is not an ACS table as data.census.gov writes "
		     "it (no GEO_ID column); it looks like a table of values "
		     "keyed by GEOID (it has GEOID): import it with 'assetmap "
		     "import indicators plain.csv --geoid COL'"},
	     .kind = ACS},
	    {{"noest.csv", "GEO_ID,NAME,foo\n1400000US06075010100,x,1\n", NULL,
	      CORE_EFORMAT,
	      .msg = "noest.csv is not an ACS table (no estimate columns such "
		     "as B01003_001E); the columns are: GEO_ID, NAME, foo"},
	     .kind = ACS},
	    /* bad rows */
	    {{"ACSDT5Y2022.B01003-bad.csv",
	      "GEO_ID,NAME,B01003_001E,B01003_001M\n"
	      "Geography,Geographic Area Name,Estimate!!Total,Margin "
	      "of Error!!Total\n"
	      "1400000US06075010101,a,2011,349\n"
	      "1400000US06075010102,b,lots,349\n"
	      "1400000US06075010103,c,100,-5\n"
	      "1400000US0607501010,d,100,5\n"
	      "tract 6,e,100,5\n"
	      "1400000US06075010101,f,100,5\n"
	      "1400000US06075010104,g\n",
	      NULL, CORE_EFORMAT,
	      .msg = "ACSDT5Y2022.B01003-bad.csv: 6 rows rejected (the first "
		     "at line 4), nothing was imported; fix them, or give "
		     "--skip-bad to import the 1 good row",
	      .shown =
		  {"ACSDT5Y2022.B01003-bad.csv line 4, field B01003_001E: "
		   "'lots' is not a number or a Census annotation; an estimate "
		   "is a number, or one of (X), N, -, null, -666666666, "
		   "-999999999, -888888888",
		   "ACSDT5Y2022.B01003-bad.csv line 5, field B01003_001M: '-5' "
		   "is not a margin of error; it is a number of 0 or more, "
		   "'*****' (controlled: no sampling error), or one of (X), N, "
		   "**, ***, null, -555555555, -222222222, -333333333",
		   "ACSDT5Y2022.B01003-bad.csv line 6, field GEO_ID: "
		   "'1400000US0607501010' is not a census GEO_ID; a tract's is "
		   "e.g. 1400000US06075010100 (summary level, component, 'US', "
		   "GEOID)",
		   "ACSDT5Y2022.B01003-bad.csv line 7, field GEO_ID: 'tract 6' "
		   "is not a census GEO_ID; a tract's is e.g. "
		   "1400000US06075010100 (summary level, component, 'US', "
		   "GEOID)",
		   "ACSDT5Y2022.B01003-bad.csv line 8, field GEO_ID: "
		   "'1400000US06075010101' appears more than once in the file; "
		   "each area must have one row",
		   "ACSDT5Y2022.B01003-bad.csv line 9, field B01003_001E: is "
		   "missing: the row has 2 fields where the header has 4; a "
		   "value holding the separator ',' must be in double "
		   "quotes"}},
	     .kind = ACS},
	    /* only rows of other levels */
	    {{"ACSDT5Y2022.B01003-places.csv",
	      "GEO_ID,NAME,B01003_001E,B01003_001M\n"
	      "Geography,Geographic Area Name,Estimate!!Total,Margin "
	      "of Error!!Total\n"
	      "1600000US0667000,San Francisco city,851036,*****\n",
	      NULL, CORE_EFORMAT,
	      .msg = "ACSDT5Y2022.B01003-places.csv: none of its 1 rows is a "
		     "state, county, tract, block group or ZCTA (summary "
		     "levels 040, 050, 140, 150, 860); its GEO_IDs are of "
		     "summary level 160 (place)"},
	     .kind = ACS},
	    /* options */
	    {{"ACSDT5Y2022.B01003-Data.csv", acs_b01003, NULL, CORE_EUSAGE,
	      .msg = "--columns: ACSDT5Y2022.B01003-Data.csv has no estimate "
		     "column 'B01003_002E'; its estimates are: B01003_001E"},
	     .kind = ACS,
	     .columns = "B01003_002E"},
	    {{"ACSDT5Y2022.B01003-Data.csv", NULL, NULL, CORE_EUSAGE,
	      .has = {"--population: ACSDT5Y2022.B01003-Data.csv has no "
		      "estimate column 'B01001_001E'"}},
	     .kind = ACS,
	     .population = "B01001_001E"},
	    {{"ACSDT5Y2022.B01003-Data.csv", NULL, NULL, CORE_EUSAGE,
	      .has = {"import acs takes only"}},
	     .kind = ACS,
	     .ranking = "state"},
	};

	TEST_REFUSALS(ws, bad, refuse);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * PLACES
 * ------------------------------------------------------------------ */

static void test_places(void)
{
	struct core_ws *ws = test_new_ws("places.db");
	const char *p;
	struct run r;

	p = test_write("PLACES_tract_long.csv", places_long);
	run_init(&r, PLACES, p);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_read, 5);
	CHECK_INT(r.src.rows_accepted, 5);
	CHECK_INT(r.st.ncolumns, 3);
	CHECK_INT(r.st.values, 5);
	CHECK_INT(r.st.missing, 1);
	CHECK_INT(r.st.year, 2022);
	CHECK_STR(r.st.level, "tract");
	CHECK_STR(r.src.options, "--level tract");
	CHECK_INT(r.st.population_set, 0);
	run_release(&r);
	/* moe = (10.9 - 8.8) / 2 */
	CHECK_NEAR(test_q_double(ws,
				 "SELECT value FROM indicators WHERE geoid = "
				 "'06075010101' AND name = 'PLACES_CASTHMA'"),
		   9.8, 1e-12);
	CHECK_NEAR(test_q_double(ws,
				 "SELECT moe FROM indicators WHERE geoid = "
				 "'06075010101' AND name = 'PLACES_CASTHMA'"),
		   1.05, 1e-12);
	CHECK_NEAR(test_q_double(ws,
				 "SELECT moe FROM indicators WHERE geoid = "
				 "'06075010101' AND name = 'PLACES_BPHIGH'"),
		   1.95, 1e-12);
	CHECK_INT(test_q_int(ws, "SELECT year FROM indicators WHERE geoid = "
				 "'06075010101' AND name = 'PLACES_BPHIGH'"),
		  2021);
	CHECK_INT(test_q_int(ws, "SELECT year FROM indicators WHERE geoid = "
				 "'06075010101' AND name = 'PLACES_DIABETES'"),
		  2022);
	CHECK_Q(ws,
		"SELECT coalesce(value, 'null') || '|' || coalesce(moe, "
		"'null') FROM indicators WHERE geoid = '06075990100'",
		"null|null");
	CHECK_Q(ws,
		"SELECT label || '|' || unit FROM indicator_info WHERE name = "
		"'PLACES_CASTHMA'",
		"Current asthma among adults, crude prevalence (CDC PLACES; "
		"moe is half the width of the 95% confidence interval)|%");
	CHECK_INT(
	    test_q_int(
		ws,
		"SELECT count(*) FROM indicators WHERE name = 'population'"),
	    0);

	/* the wide form: the same names and values; TotalPopulation asked */
	p = test_write("PLACES_tract_wide.csv", places_wide);
	run_init(&r, PLACES, p);
	r.o.year = 2022;
	r.o.population = "TotalPopulation";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_accepted, 2);
	CHECK_INT(r.st.ncolumns, 2);
	CHECK_INT(r.st.values, 4);
	CHECK_INT(r.st.missing, 1);
	CHECK_STR(r.src.options,
		  "--level tract --year 2022 --population TotalPopulation");
	run_release(&r);
	CHECK_NEAR(test_q_double(ws,
				 "SELECT moe FROM indicators WHERE geoid = "
				 "'06075010101' AND name = 'PLACES_DIABETES'"),
		   0.95, 1e-12);
	/* "6075010102" got its zero back */
	CHECK_Q(ws,
		"SELECT value || '|' || year FROM indicators WHERE geoid = "
		"'06075010102' AND name = 'PLACES_CASTHMA'",
		"10.4|2022");
	CHECK_NEAR(test_q_double(ws,
				 "SELECT moe FROM indicators WHERE geoid = "
				 "'06075010102' AND name = 'PLACES_CASTHMA'"),
		   1.15, 1e-12);
	CHECK_Q(
	    ws,
	    "SELECT group_concat(geoid || '=' || value) FROM (SELECT geoid, "
	    "value FROM indicators WHERE name = 'population' ORDER BY geoid)",
	    "06075010101=2011.0,06075010102=2100.0");

	/* counties: crude and age-adjusted */
	p = test_write("PLACES_county.csv", places_county);
	run_init(&r, PLACES, p);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_STR(r.st.level, "county");
	run_release(&r);
	CHECK_Q(ws,
		"SELECT group_concat(name || '=' || value) FROM (SELECT name, "
		"value FROM indicators WHERE geoid = '06075' ORDER BY name)",
		"PLACES_CASTHMA=9.5,PLACES_CASTHMA_ADJ=9.7");
	core_ws_close(ws);
}

static void test_places_bad(void)
{
	struct core_ws *ws = test_new_ws("places_bad.db");
	static const struct refusal bad[] = {
	    {{"SVI2018_CA_state.csv", svi_state, NULL, CORE_EFORMAT,
	      .msg = "SVI2018_CA_state.csv is not CDC PLACES data (no "
		     "MeasureId and Data_Value columns, nor ..._CrudePrev "
		     "ones); it looks like a CDC/ATSDR SVI table (it has FIPS "
		     "and RPL_THEMES): import it with 'assetmap import svi "
		     "SVI2018_CA_state.csv'"},
	     .kind = PLACES},
	    {{"PLACES_bad.csv", PLACES_LONG_HDR,
	      "2022,CA,California,San Francisco,06075,06075010101,BRFSS,Health "
	      "Outcomes,Current asthma,%,Crude "
	      "prevalence,high,,,8.8,10.9,2011,1804,06075010101,HLTHOUT,"
	      "CASTHMA,CrdPrv,Current Asthma,POINT (0 0)\n"
	      "2022,CA,California,San Francisco,06075,06075010101,BRFSS,Health "
	      "Outcomes,Diabetes,%,Crude "
	      "prevalence,7.1,,,8.1,6.2,2011,1804,06075010101,HLTHOUT,DIABETES,"
	      "CrdPrv,Diabetes,POINT (0 0)\n"
	      "20x2,CA,California,San Francisco,06075,06075010101,BRFSS,Health "
	      "Outcomes,Stroke,%,Crude "
	      "prevalence,3.1,,,2.8,3.4,2011,1804,06075010101,HLTHOUT,STROKE,"
	      "CrdPrv,Stroke,POINT (0 0)\n"
	      "2022,CA,California,San Francisco,06075,06075010102,BRFSS,Health "
	      "Outcomes,Stroke,%,Crude "
	      "prevalence,3.1,,,2.8,3.4,2011,1804,06075010102,HLTHOUT,STROKE,"
	      "CrdPrv,Stroke,POINT (0 0)\n"
	      "2022,CA,California,San Francisco,06075,06075010102,BRFSS,Health "
	      "Outcomes,Stroke,%,Crude "
	      "prevalence,3.2,,,2.8,3.4,2011,1804,06075010102,HLTHOUT,STROKE,"
	      "CrdPrv,Stroke,POINT (0 0)\n",
	      CORE_EFORMAT,
	      .msg = "PLACES_bad.csv: 4 rows rejected (the first at line 2), "
		     "nothing was imported; fix them, or give --skip-bad to "
		     "import the 1 good row",
	      .shown =
		  {"PLACES_bad.csv line 2, field Data_Value: 'high' is not "
		   "a number; Data_Value is the estimate, or empty when "
		   "suppressed",
		   "PLACES_bad.csv line 3, field High_Confidence_Limit: "
		   "'6.2' is below Low_Confidence_Limit (8.1); the "
		   "interval's high end must be at least its low end",
		   "PLACES_bad.csv line 4, field Year: '20x2' is not a "
		   "year; Year is the survey year, e.g. 2022",
		   "PLACES_bad.csv line 6, field LocationID: "
		   "'06075010102' has STROKE (crude) twice; each area "
		   "has one row per measure and kind of prevalence"}},
	     .kind = PLACES},
	    {{"PLACES_wide_bad.csv",
	      "StateAbbr,CountyFIPS,TractFIPS,TotalPopulation,CASTHMA_"
	      "CrudePrev,CASTHMA_Crude95CI\n"
	      "CA,06075,06075010101,2011,9.8,8.8 to 10.9\n",
	      NULL, CORE_EFORMAT,
	      .msg =
		  "PLACES_wide_bad.csv line 2, field CASTHMA_Crude95CI: '8.8 "
		  "to 10.9' is not a confidence interval; it is written "
		  "'(low, high)', e.g. '( 8.7, 14.2)'\nnothing was "
		  "imported"},
	     .kind = PLACES},
	    {{"PLACES_nokey.csv",
	      "StateAbbr,TotalPopulation,CASTHMA_CrudePrev,CASTHMA_Crude95CI\n"
	      "CA,2011,9.8,\"( 8.8, 10.9)\"\n",
	      NULL, CORE_EFORMAT,
	      .msg = "PLACES_nokey.csv is not CDC PLACES data (no TractFIPS, "
		     "CountyFIPS or ZCTA5 column); the columns are: StateAbbr, "
		     "TotalPopulation, CASTHMA_CrudePrev, CASTHMA_Crude95CI"},
	     .kind = PLACES},
	    {{"PLACES_place.csv",
	      "StateAbbr,PlaceName,PlaceFIPS,TotalPopulation,CASTHMA_"
	      "CrudePrev,CASTHMA_Crude95CI\n"
	      "CA,San Francisco,0667000,851036,9.8,\"( 8.8, 10.9)\"\n",
	      NULL, CORE_EFORMAT,
	      .has = {"PLACES_place.csv holds PLACES data for places (cities "
		      "and towns, PlaceFIPS)"}},
	     .kind = PLACES},
	    {{"PLACES_tract_long.csv", places_long, NULL, CORE_EUSAGE,
	      .msg = "--level county, but PLACES_tract_long.csv holds tracts "
		     "(its first GEOID is 06075010101); leave --level out"},
	     .kind = PLACES,
	     .level = "county"},
	    {{"PLACES_tract_long.csv", NULL, NULL, CORE_EUSAGE,
	      .msg = "--population: PLACES_tract_long.csv has no column 'Pop' "
		     "(PLACES' is TotalPopulation)"},
	     .kind = PLACES,
	     .population = "Pop"},
	};

	TEST_REFUSALS(ws, bad, refuse);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * TIGER
 * ------------------------------------------------------------------ */

/* The extent of feature geoid in a GeoJSON file, read with OGR. */
static void extent_of(const char *path, const char *field, const char *geoid,
		      OGREnvelope *e)
{
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
	OGRLayerH l;
	OGRFeatureH f;

	memset(e, 0, sizeof(*e));
	if (!ds)
		return;
	l = GDALDatasetGetLayer(ds, 0);
	while ((f = OGR_L_GetNextFeature(l))) {
		if (!strcmp(OGR_F_GetFieldAsString(
				f, OGR_F_GetFieldIndex(f, field)),
			    geoid))
			OGR_G_GetEnvelope(OGR_F_GetGeometryRef(f), e);
		OGR_F_Destroy(f);
	}
	GDALClose(ds);
}

static void test_tiger_zip(void)
{
	const char *d = test_need_shared_data();
	struct core_ws *ws;
	char *src, *cmd, *vsi;
	const char *dir = test_path("tl"),
		   *zip = test_path("tl_2020_06_tract.zip");
	OGREnvelope e;
	struct run r;

	if (!d)
		return;
	if (!test_have_commands("ogr2ogr python3")) {
		test_skip("ogr2ogr or python3 not installed (apt-get install "
			  "gdal-bin python3)");
		return;
	}
	src = xasprintf("%s/sf-tracts/sf_tracts_2020.geojson", d);
	/* TIGER/Line fields, NAD83, and one water-only tract in the ocean */
	cmd = xasprintf(
	    "rm -rf '%s' '%s' && mkdir -p '%s' && ogr2ogr -q -f 'ESRI "
	    "Shapefile' -t_srs EPSG:4269"
	    " -nln tl_2020_06_tract -dialect SQLite -sql \""
	    "SELECT STATEFP, COUNTYFP, TRACTCE, GEOID,"
	    " CAST(CAST(substr(TRACTCE, 1, 4) AS INTEGER) AS TEXT) || CASE "
	    "WHEN substr(TRACTCE, 5, 2) <> '00' THEN '.' || substr(TRACTCE, 5, "
	    "2) ELSE '' END AS NAME,"
	    " 'Census Tract ' || CAST(CAST(substr(TRACTCE, 1, 4) AS INTEGER) "
	    "AS TEXT) || CASE WHEN substr(TRACTCE, 5, 2) <> '00' THEN '.' || "
	    "substr(TRACTCE, 5, 2) ELSE '' END AS NAMELSAD,"
	    " CAST(TRACTCE AS INTEGER) * 1000 AS ALAND, 7 AS AWATER, geometry "
	    "FROM sf_tracts_2020"
	    " UNION ALL SELECT '06', '075', '990100', '06075990100', '9901', "
	    "'Census Tract 9901', 0, 123456789,"
	    " GeomFromText('POLYGON((-122.60 37.70,-122.52 37.70,-122.52 "
	    "37.80,-122.60 37.80,-122.60 37.70))', 4326)\""
	    " '%s/tl_2020_06_tract.shp' '%s' && cd '%s' && python3 -m zipfile "
	    "-c '%s' tl_2020_06_tract.*",
	    dir, zip, dir, dir, src, dir, zip);
	CHECK_INT(system(cmd), 0);
	free(cmd);

	ws = test_new_ws("tiger.db");
	run_init(&r, TIGER, zip);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_read, 242);
	CHECK_INT(r.st.areas, 242);
	CHECK_INT(r.st.water_only, 1);
	CHECK_STR(r.st.level, "tract");
	CHECK_STR(r.src.options, "--level tract");
	CHECK_STR(r.src.format, "tiger (ESRI Shapefile)");
	CHECK_STR(r.src.layer, "tl_2020_06_tract");
	CHECK(r.st.nnotes >= 2 &&
	      strstr(r.st.notes[0], "level tract: it has the field TRACTCE"));
	CHECK(r.st.nnotes >= 2 &&
	      strstr(r.st.notes[1], "reprojected from EPSG:4269 to WGS84"));
	run_release(&r);
	CHECK_INT(
	    test_q_int(ws, "SELECT count(*) FROM areas WHERE level = 'tract'"),
	    242);
	CHECK_Q(ws,
		"SELECT name || '|' || land_m2 || '|' || water_m2 || '|' || "
		"flags FROM areas WHERE geoid = '06075023300'",
		"Census Tract 233|23300000.0|7.0|0");
	CHECK_Q(ws, "SELECT name FROM areas WHERE geoid = '06075010101'",
		"Census Tract 101.01");
	CHECK_Q(ws,
		"SELECT name || '|' || land_m2 || '|' || water_m2 || '|' || "
		"flags FROM areas WHERE geoid = '06075990100'",
		"Census Tract 9901|0.0|123456789.0|1");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM areas WHERE flags = 1"),
		  1);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM areas WHERE "
				 "ST_IsValid(geom) = 1 AND SRID(geom) = 4326"),
		  242);
	/* NAD83 there and back: the WGS84 polygon as it was */
	extent_of(src, "GEOID", "06075023300", &e);
	CHECK(e.MinX < -122);
	CHECK_NEAR(
	    test_q_double(
		ws,
		"SELECT MbrMinX(geom) FROM areas WHERE geoid = '06075023300'"),
	    e.MinX, 1e-7);
	CHECK_NEAR(
	    test_q_double(
		ws,
		"SELECT MbrMaxY(geom) FROM areas WHERE geoid = '06075023300'"),
	    e.MaxY, 1e-7);

	/* the same file through an explicit /vsizip/ path replaces it */
	vsi = xasprintf("/vsizip/%s/tl_2020_06_tract.shp", zip);
	run_init(&r, TIGER, vsi);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.areas, 242);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources"), 1);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM areas"), 242);

	/* populations given before the polygons come back (ACS, then the
	 * polygons again); the 0-people water tract is flagged twice */
	{
		const char *acs =
		    test_write("ACSDT5Y2022.B01003-Data.csv", acs_b01003);
		run_init(&r, ACS, acs);
		CHECK_INT(run_go(ws, &r), CORE_OK);
		CHECK_INT(r.st.population_set, 2);
		CHECK_INT(r.st.no_population, 1);
		run_release(&r);
		CHECK_INT(
		    test_q_int(
			ws,
			"SELECT flags FROM areas WHERE geoid = '06075990100'"),
		    3);
		CHECK_INT(test_q_int(ws, "SELECT population FROM areas WHERE "
					 "geoid = '06075010101'"),
			  2011);
	}
	run_init(&r, TIGER, zip);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.population_set, 2);
	CHECK_INT(r.st.no_population, 1);
	run_release(&r);
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT flags FROM areas WHERE geoid = '06075990100'"),
	    3);
	CHECK_INT(
	    test_q_int(
		ws, "SELECT population FROM areas WHERE geoid = '06075010101'"),
	    2011);

	/* the zip to the wrong command */
	{
		const struct refusal bad[] = {
		    {{zip, NULL, NULL, CORE_EFORMAT,
		      .msg = "tl_2020_06_tract.zip is not a CDC/ATSDR SVI "
			     "table (a CSV table): it is a zip archive (a "
			     "zipped shapefile?); import it with 'assetmap "
			     "import tiger tl_2020_06_tract.zip'"},
		     .kind = SVI},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}
	free(vsi);
	free(src);
	core_ws_close(ws);
}

static void test_tiger_shared(void)
{
	const char *d = test_need_shared_data();
	struct core_ws *ws;
	char *t10, *counties, *clipped, *svi, *food;
	struct run r;

	if (!d)
		return;
	t10 = xasprintf("%s/sf-tracts/sf_tracts_2010.geojson", d);
	counties = xasprintf("%s/ca-counties/ca_counties_2023.geojson", d);
	clipped = xasprintf("%s/sf-tracts/sf-tracts-2020-clipped.geojson", d);
	svi = xasprintf("%s/svi-2018-ca/SVI2018_SanFrancisco_tract.csv", d);
	food = xasprintf("%s/haarrrvest-food-bayarea/food_sites.geojson", d);
	ws = test_new_ws("tiger_shared.db");

	run_init(&r, TIGER, t10);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.areas, 195);
	CHECK_STR(r.st.level, "tract");
	CHECK(r.st.nnotes > 0 &&
	      strstr(r.st.notes[0], "it has the field TRACTCE10"));
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM areas WHERE level = "
				 "'tract' AND land_m2 IS NULL AND flags = 0"),
		  195);

	{
		char *t20 = xasprintf("%s/sf-tracts/sf_tracts_2020.geojson", d);
		run_init(&r, TIGER, t20);
		CHECK_INT(run_go(ws, &r), CORE_OK);
		CHECK_INT(r.st.areas, 241);
		CHECK_STR(r.src.options, "--level tract");
		run_release(&r);
		free(t20);
	}
	/* 2010 and 2020 tracts share 156 GEOIDs: those were replaced */
	CHECK_INT(
	    test_q_int(ws, "SELECT count(*) FROM areas WHERE level = 'tract'"),
	    195 + 241 - 156);

	run_init(&r, TIGER, counties);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.areas, 58);
	CHECK_STR(r.st.level, "county");
	run_release(&r);
	CHECK_Q(
	    ws,
	    "SELECT name FROM areas WHERE level = 'county' AND geoid = '06075'",
	    "San Francisco");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM areas WHERE level = "
				 "'county' AND geoid LIKE '06___'"),
		  58);

	{
		const struct refusal bad[] = {
		    {{counties, NULL, NULL, CORE_EUSAGE,
		      .msg = "--level tract, but ca_counties_2023.geojson "
			     "holds counties (it has the field COUNTYFP); "
			     "leave --level out, or give the file of tracts"},
		     .kind = TIGER,
		     .level = "tract"},
		    {{clipped, NULL, NULL, CORE_EFORMAT,
		      .msg = "sf-tracts-2020-clipped.geojson is not census "
			     "boundaries with GEOIDs (it has no GEOID, GEOID20 "
			     "or GEOID10 field, nor the code fields to build a "
			     "tract GEOID from (STATEFP, COUNTYFP, TRACTCE)); "
			     "the columns are: TRACTCE20"},
		     .kind = TIGER},
		    {{svi, NULL, NULL, CORE_EFORMAT,
		      .msg = "SVI2018_SanFrancisco_tract.csv is not census "
			     "boundaries (it has no polygons); it looks like a "
			     "CDC/ATSDR SVI table (it has FIPS and "
			     "RPL_THEMES): import it with 'assetmap import svi "
			     "SVI2018_SanFrancisco_tract.csv'"},
		     .kind = TIGER},
		    {{food, NULL, NULL, CORE_EFORMAT,
		      .has = {"food_sites.geojson is not census boundaries: "
			      "its features are points"}},
		     .kind = TIGER},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}
	free(t10);
	free(counties);
	free(clipped);
	free(svi);
	free(food);
	core_ws_close(ws);
}

static void test_tiger_fields(void)
{
	struct core_ws *ws = test_new_ws("tiger_fields.db");
	struct core_buf b = CORE_BUF_INIT;
	const char *p;
	struct run r;

	/* no GEOID: built from STATEFP, COUNTYFP, TRACTCE */
	core_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"features\":[\n");
	add_square(&b,
		   "\"STATEFP\":\"06\",\"COUNTYFP\":\"075\",\"TRACTCE\":"
		   "\"010100\",\"NAME\":\"101\"",
		   -122.42, 37.79, 0.005);
	add_square(&b,
		   "\"STATEFP\":\"06\",\"COUNTYFP\":\"075\",\"TRACTCE\":"
		   "\"010200\",\"NAME\":\"102\"",
		   -122.41, 37.79, 0.005);
	core_buf_adds(&b, "]}\n");
	p = test_write("built.geojson", core_buf_str(&b));
	core_buf_reset(&b);
	run_init(&r, TIGER, p);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.areas, 2);
	run_release(&r);
	CHECK_Q(ws,
		"SELECT group_concat(geoid || '=' || name) FROM (SELECT geoid, "
		"name FROM areas ORDER BY geoid)",
		"06075010100=101,06075010200=102");

	/* ZCTAs by their field; GEOID20 */
	core_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"name\":\"tl_2020_"
			  "us_zcta520\",\"features\":[\n");
	add_square(&b,
		   "\"ZCTA5CE20\":\"94103\",\"GEOID20\":\"94103\",\"ALAND20\":"
		   "1000,\"AWATER20\":0",
		   -122.42, 37.77, 0.01);
	add_square(&b,
		   "\"ZCTA5CE20\":\"94129\",\"GEOID20\":\"94129\",\"ALAND20\":"
		   "0,\"AWATER20\":50",
		   -122.47, 37.79, 0.01);
	core_buf_adds(&b, "]}\n");
	p = test_write("zcta.geojson", core_buf_str(&b));
	core_buf_reset(&b);
	run_init(&r, TIGER, p);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_STR(r.st.level, "zcta");
	CHECK_INT(r.st.water_only, 1);
	run_release(&r);
	CHECK_Q(
	    ws,
	    "SELECT group_concat(geoid || ':' || land_m2 || ':' || flags) FROM "
	    "(SELECT * FROM areas WHERE level = 'zcta' ORDER BY geoid)",
	    "94103:1000.0:0,94129:0.0:1");

	/* 5-digit GEOIDs alone: county or ZCTA? */
	core_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"name\":\"areas5\","
			  "\"features\":[\n");
	add_square(&b, "\"GEOID\":\"06075\"", -122.42, 37.77, 0.01);
	core_buf_adds(&b, "]}\n");
	{
		const struct refusal bad[] = {
		    {{"five.geojson", core_buf_str(&b), NULL, CORE_EUSAGE,
		      .msg = "five.geojson: its GEOIDs have 5 digits (e.g. "
			     "06075), which counties and ZCTAs both have; say "
			     "which with --level county or --level zcta"},
		     .kind = TIGER},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}
	p = test_path("five.geojson");
	core_buf_reset(&b);
	run_init(&r, TIGER, p);
	r.o.level = "county";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);
	CHECK_INT(
	    test_q_int(ws, "SELECT count(*) FROM areas WHERE level = 'county'"),
	    1);

	/* bad features: ALAND negative, a GEOID of the wrong length, a
	 * repeat, a point among polygons */
	core_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"features\":[\n");
	add_square(
	    &b, "\"GEOID\":\"06075010100\",\"TRACTCE\":\"010100\",\"ALAND\":-5",
	    -122.42, 37.79, 0.005);
	add_square(
	    &b, "\"GEOID\":\"6075010200\",\"TRACTCE\":\"010200\",\"ALAND\":5",
	    -122.41, 37.79, 0.005);
	add_square(
	    &b, "\"GEOID\":\"06075010300\",\"TRACTCE\":\"010300\",\"ALAND\":5",
	    -122.40, 37.79, 0.005);
	add_square(
	    &b, "\"GEOID\":\"06075010300\",\"TRACTCE\":\"010300\",\"ALAND\":5",
	    -122.39, 37.79, 0.005);
	core_buf_adds(
	    &b,
	    ",\n{\"type\":\"Feature\",\"properties\":{\"GEOID\":"
	    "\"06075010500\",\"TRACTCE\":\"010500\"},"
	    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-122.4,37.7]}}");
	core_buf_adds(&b, "]}\n");
	{
		const struct refusal bad[] = {
		    {{"bad_tracts.geojson", core_buf_str(&b), NULL,
		      CORE_EFORMAT,
		      .msg = "bad_tracts.geojson: 4 rows rejected (the first "
			     "at feature 1), nothing was imported; fix them, "
			     "or give --skip-bad to import the 1 good row",
		      .shown = {"bad_tracts.geojson feature 1, field ALAND: "
				"'-5' is not a number of 0 or more; ALAND is "
				"the land area in square metres",
				"bad_tracts.geojson feature 2, field GEOID: "
				"'6075010200' is not a tract GEOID; a tract "
				"GEOID is 11 digits, e.g. 06075010100 (were "
				"leading zeros lost?)",
				"bad_tracts.geojson feature 4, field GEOID: "
				"'06075010300' appears more than once in the "
				"file; each tract must appear once",
				"bad_tracts.geojson feature 5, field geometry: "
				"is a POINT, not a polygon; census areas are "
				"polygons or multipolygons"}},
		     .kind = TIGER},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}
	core_buf_release(&b);
	p = test_path("bad_tracts.geojson");
	run_init(&r, TIGER, p);
	r.o.skip_bad = 1;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_accepted, 1);
	CHECK_INT(r.src.rows_rejected, 4);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM source_rejects"), 4);

	/* not a file GDAL reads */
	{
		static const struct refusal bad[] = {
		    {{"junk.shp", "this is not a shapefile", NULL, CORE_EFORMAT,
		      .has = {"junk.shp is not census boundaries GDAL can "
			      "read"}},
		     .kind = TIGER},
		    {{"junk.shp", NULL, NULL, CORE_EUSAGE,
		      .has = {"import tiger takes only --level, --layer and "
			      "--skip-bad"}},
		     .kind = TIGER,
		     .year = 2020},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * The command line
 * ------------------------------------------------------------------ */

static void test_cli(void)
{
	static const struct test_cli_case cases[] = {
	    {"-q -d cli.db init", .rc = 0},
	    {"-d cli.db import tiger cli_tracts.geojson", 0,
	     .err_has = {"cli_tracts.geojson: tract boundaries, using --level "
			 "tract\n"
			 "  level tract: it has the field TRACTCE\n"
			 "imported 6 tracts from cli_tracts.geojson (0 "
			 "rejected), 1 water only\n"}},
	    {"-d cli.db import svi cli_svi.csv --year 2018", 0,
	     .err_has = {"cli_svi.csv: CDC/ATSDR SVI 2018, using --year 2018 "
			 "--ranking state --population E_TOTPOP\n"
			 "  edition 2018 (from --year); on 2010 census "
			 "tracts\n",
			 "imported 6 indicators for 6 tracts from cli_svi.csv "
			 "(0 rejected), 36 values of which 5 missing; set the "
			 "population of 6 tracts\n"
			 "  1 tract in the workspace has 0 people: flagged, "
			 "and left out of analyses\n"}},
	    {"-d cli.db import acs cli_svi.csv", 1,
	     .err = "assetmap: error: cli_svi.csv is not an ACS table as "
		    "data.census.gov writes it (no GEO_ID column); it looks "
		    "like a CDC/ATSDR SVI table (it has FIPS and RPL_THEMES): "
		    "import it with 'assetmap import svi cli_svi.csv'\n"},
	    {"-d cli.db import svi cli_svi.csv --level tract", 2,
	     .err = "assetmap: import svi: --level does not apply to import "
		    "svi\n(see 'assetmap help import svi')\n"},
	    {"-d cli.db import svi cli_svi.csv --year 2019", 2,
	     .err_has = {"assetmap: import svi: --year 2019 is not an SVI "
			 "edition"}},
	    {"-d cli.db import places", 2,
	     .err_has = {"import places: which file?"}},
	    {"import tiger --help", .rc = 0},
	    {"-q -d cli.db import acs ACSDT5Y2022.B01003-Data.csv", 0,
	     .err = ""},
	};

	if (!test_have_cli())
		return;
	test_write("cli_svi.csv", svi_state);
	test_write("ACSDT5Y2022.B01003-Data.csv", acs_b01003);
	tracts_geojson("cli_tracts.geojson");
	TEST_CLI_CASES(cases);
}

static const struct test tests[] = {
    TEST(test_geo_id),	     TEST(test_area_flags),
    TEST(test_svi_sf),	     TEST(test_svi_california),
    TEST(test_svi_ranking),  TEST(test_svi_editions),
    TEST(test_svi_bad),	     TEST(test_acs),
    TEST(test_acs_bad),	     TEST(test_places),
    TEST(test_places_bad),   TEST(test_tiger_zip),
    TEST(test_tiger_shared), TEST(test_tiger_fields),
    TEST(test_cli),	     {0}};

int main(void)
{
	int rc;

	GDALAllRegister();
	rc = test_main("census", tests);
	test_libs_shutdown();
	return rc;
}
