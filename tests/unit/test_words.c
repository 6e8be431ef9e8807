/*
 * test_words.c - maps a funder reads without help (issue 16, words and
 * sources), on the real public data in ../shared/data: San Francisco's
 * 2010 tracts and the CDC/ATSDR SVI 2018 imported with the assetmap
 * binary, maps drawn to PDF and read back with pdftotext.
 *
 * Checked: the data dictionary (data/indicators.csv) read by core_dict;
 * 'info --indicators' names RPL_THEMES in words with its publisher; a
 * map's legend says "Social vulnerability (overall percentile)", never
 * RPL_THEMES; its sources line names CDC/ATSDR and the year and no file;
 * a cohort imported but not drawn is not mentioned at all, and a cohort
 * drawn is named without its file; an access map shows no exponent (per
 * 1,000 people); --label and --source-label round-trip through the
 * workspace; --title, --subtitle and --legend-title reach the page; a
 * bad --source-label or --label is refused with nothing written.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_dict.h"
#include "core/core_mem.h"
#include "core/core_ws.h"
#include "testlib.h"

#define COHORT_FILE "clinic_patients_2026_secret.csv"

static char ws_path[600];
static int ready_done, ready_ok;

/* The PDF's text with every run of blanks and line breaks made one
 * space, so that a wrapped legend title still reads as one phrase. */
static char *pdf_words(const char *pdf)
{
	char *t = test_sh_out("pdftotext '%s' - 2>/dev/null", pdf);
	char *o = t, *i;
	int blank = 0;

	for (i = t; *i; i++) {
		if (isspace((unsigned char)*i)) {
			blank = 1;
			continue;
		}
		if (blank && o != t)
			*o++ = ' ';
		blank = 0;
		*o++ = *i;
	}
	*o = '\0';
	return t;
}

/* A cohort of 40 people at the food sites' corners of San Francisco,
 * written under a file name that must never show. */
static const char *write_cohort(void)
{
	struct core_buf b = CORE_BUF_INIT;
	uint64_t rng = 0x9E3779B97F4A7C15ULL;
	const char *p;
	int i;

	core_buf_adds(&b, "person_id,lon,lat\n");
	for (i = 0; i < 40; i++)
		core_buf_addf(&b, "P%03d,%.6f,%.6f\n", i,
			      -122.47 + 0.08 * test_rand(&rng),
			      37.73 + 0.06 * test_rand(&rng));
	p = test_write(COHORT_FILE, b.s);
	core_buf_release(&b);
	return p;
}

/* The workspace: tracts (with a --source-label), SVI 2018 through
 * 'import svi' (publisher filled in) with a --label, the food sites,
 * a cohort, and an access run; made once. */
static int ready(void)
{
	const char *data;
	int rc = test_fixture_once(&ready_done, ready_ok);

	if (rc >= 0)
		return rc;
	data = test_need_shared_data();
	if (!data || !test_have_commands("pdftotext"))
		return 0;
	snprintf(ws_path, sizeof(ws_path), "%s/words.db", test_tmpdir());
	setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
	ready_ok =
	    test_sh("'%s' -q -d '%s' init --crs EPSG:3310", getenv("ASSETMAP"),
		    ws_path) == 0 &&
	    test_sh("'%s' -q -d '%s' import areas "
		    "'%s/sf-tracts/sf_tracts_2010.geojson' --level tract "
		    "--geoid GEOID10 --source-label 'DataSF|Census 2010 tracts "
		    "(shoreline-clipped)|2010'",
		    getenv("ASSETMAP"), ws_path, data) == 0 &&
	    test_sh("'%s' -q -d '%s' import svi "
		    "'%s/svi-2018-ca/SVI2018_SanFrancisco_tract.csv' --label "
		    "'EP_UNINSUR=Residents without health insurance (%%)'",
		    getenv("ASSETMAP"), ws_path, data) == 0 &&
	    test_sh("'%s' -q -d '%s' import assets "
		    "'%s/haarrrvest-food-bayarea/food_sites_raw.csv' "
		    "--category food",
		    getenv("ASSETMAP"), ws_path, data) == 0 &&
	    test_sh("'%s' -q -d '%s' import cohort neighbours '%s' --id "
		    "person_id",
		    getenv("ASSETMAP"), ws_path, write_cohort()) == 0 &&
	    test_sh("'%s' -q -d '%s' access --method 2sfca --category food "
		    "--catchment 1mi > /dev/null",
		    getenv("ASSETMAP"), ws_path) == 0;
	return ready_ok;
}

static void test_dictionary(void)
{
	struct core_err err = CORE_ERR_INIT;
	const struct core_dict_entry *e;

	CHECK_INT(core_dict_load(TEST_SRCDIR "/data", &err), CORE_OK);
	e = core_dict_find("RPL_THEMES");
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->short_label,
			  "Social vulnerability (overall percentile)");
		CHECK_STR(e->publisher, "CDC/ATSDR");
		CHECK_STR(e->dataset, "SVI");
		CHECK_STR(e->unit, "percentile (0-1)");
	}
	/* case does not matter; every family the issue names is there */
	CHECK(core_dict_find("rpl_themes") == e);
	CHECK(core_dict_find("EP_POV150") != NULL);
	CHECK(core_dict_find("E_TOTPOP") != NULL);
	CHECK(core_dict_find("R_PL_THEMES") != NULL);
	CHECK(core_dict_find("B19013_001E") != NULL);
	CHECK(core_dict_find("CASTHMA_CrudePrev") != NULL);
	CHECK(core_dict_find("DIABETES_AdjPrev") != NULL);
	CHECK(core_dict_find("PLACES_OBESITY") != NULL);
	e = core_dict_find("ACCESS2_CrudePrev");
	CHECK(e && !strcmp(e->publisher, "CDC") &&
	      !strcmp(e->dataset, "PLACES") && !strcmp(e->unit, "percent"));
	CHECK(core_dict_find("NO_SUCH_COLUMN") == NULL);
	CHECK(core_dict_find("") == NULL);
}

static void test_source_label_parse(void)
{
	struct core_err err = CORE_ERR_INIT;
	char *p, *d, *y;
	char *c;

	CHECK_INT(core_source_label_parse(" DataSF | Tracts |2010 ", &p, &d, &y,
					  &err),
		  CORE_OK);
	CHECK_STR(p, "DataSF");
	CHECK_STR(d, "Tracts");
	CHECK_STR(y, "2010");
	c = core_words_credit(p, d, y);
	CHECK_STR(c, "DataSF Tracts 2010");
	free(c);
	free(p);
	free(d);
	free(y);
	CHECK_INT(core_source_label_parse("Alder 211", &p, &d, &y, &err),
		  CORE_OK);
	CHECK_STR(p, "Alder 211");
	CHECK(d == NULL && y == NULL);
	free(p);
	CHECK_INT(core_source_label_parse("A||2019-2023", &p, &d, &y, &err),
		  CORE_OK);
	CHECK(d == NULL);
	CHECK_STR(y, "2019-2023");
	free(p);
	free(y);
	CHECK_INT(core_source_label_parse("|x|2010", &p, &d, &y, &err),
		  CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "names no publisher");
	CHECK_INT(core_source_label_parse("a|b|20x0", &p, &d, &y, &err),
		  CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "not YYYY");
	CHECK_INT(core_source_label_parse("a|b|2010|d", &p, &d, &y, &err),
		  CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "more than three parts");
}

static void test_info_indicators(void)
{
	char *out;

	if (!ready())
		return;
	out = test_sh_out("'%s' -d '%s' info --indicators --format csv",
			  getenv("ASSETMAP"), ws_path);
	CHECK_CONTAINS(out, "name,label,unit,source,areas");
	/* 195 of the 196 SVI tracts have a value (Farallones: -999) */
	CHECK_CONTAINS(out,
		       "RPL_THEMES,Social vulnerability (overall percentile),"
		       "percentile (0-1),CDC/ATSDR SVI 2018,195");
	/* the user's --label wins over the dictionary */
	CHECK_CONTAINS(out, "EP_UNINSUR,Residents without health insurance "
			    "(%),percent,CDC/ATSDR SVI 2018,");
	CHECK(!strstr(out, "SVI2018_SanFrancisco_tract.csv"));
	free(out);
	/* the labels are in the workspace, where the import put them */
	out = test_sh_out("sqlite3 '%s' \"SELECT label FROM indicator_labels"
			  " WHERE name = 'EP_UNINSUR'\"",
			  ws_path);
	CHECK_STR(out, "Residents without health insurance (%)\n");
	free(out);
	out = test_sh_out("'%s' -d '%s' sources --format csv",
			  getenv("ASSETMAP"), ws_path);
	CHECK_CONTAINS(out, "DataSF Census 2010 tracts (shoreline-clipped) "
			    "2010");
	CHECK_CONTAINS(out, "CDC/ATSDR SVI 2018");
	free(out);
}

static void test_svi_map(void)
{
	char pdf[700], *t;

	if (!ready())
		return;
	snprintf(pdf, sizeof(pdf), "%s/svi.pdf", test_tmpdir());
	if (test_sh("'%s' -q -d '%s' map -o '%s' --indicator RPL_THEMES",
		    getenv("ASSETMAP"), ws_path, pdf))
		return;
	t = pdf_words(pdf);
	CHECK_CONTAINS(t, "Social vulnerability (overall percentile)");
	CHECK(!strstr(t, "RPL_THEMES"));
	CHECK(!strstr(t, "RPL_"));
	/* the sources line: publishers and years of what is drawn */
	CHECK_CONTAINS(t, "Sources: DataSF Census 2010 tracts "
			  "(shoreline-clipped) 2010; CDC/ATSDR SVI 2018;");
	CHECK(!strstr(t, ".geojson"));
	CHECK(!strstr(t, ".csv"));
	/* a cohort is in the workspace but not on this map */
	CHECK(!strstr(t, "clinic_patients"));
	CHECK(!strstr(t, "neighbours"));
	CHECK(!strstr(t, "cohort"));
	CHECK(!strstr(t, "patient"));
	free(t);
	t = test_sh_out("pdfinfo '%s'", pdf);
	CHECK(!strstr(t, "clinic_patients"));
	CHECK(!strstr(t, "RPL_THEMES"));
	free(t);
}

static void test_titles(void)
{
	char pdf[700], *t;

	if (!ready())
		return;
	snprintf(pdf, sizeof(pdf), "%s/titles.pdf", test_tmpdir());
	if (test_sh("'%s' -q -d '%s' map -o '%s' --indicator EP_UNINSUR "
		    "--title 'Who lacks insurance' --subtitle 'San Francisco, "
		    "2018' --legend-title 'Share uninsured'",
		    getenv("ASSETMAP"), ws_path, pdf))
		return;
	t = pdf_words(pdf);
	CHECK_CONTAINS(t, "Who lacks insurance");
	CHECK_CONTAINS(t, "San Francisco, 2018");
	CHECK_CONTAINS(t, "Share uninsured");
	CHECK(!strstr(t, "EP_UNINSUR"));
	free(t);
	/* without --legend-title the user's --label heads the legend */
	if (test_sh("'%s' -q -d '%s' map -o '%s' --indicator EP_UNINSUR",
		    getenv("ASSETMAP"), ws_path, pdf))
		return;
	t = pdf_words(pdf);
	CHECK_CONTAINS(t, "Residents without health insurance (%)");
	free(t);
}

static void test_access_map(void)
{
	char pdf[700], *t;

	if (!ready())
		return;
	snprintf(pdf, sizeof(pdf), "%s/access.pdf", test_tmpdir());
	if (test_sh("'%s' -q -d '%s' map -o '%s' --indicator "
		    "access:score_food",
		    getenv("ASSETMAP"), ws_path, pdf))
		return;
	t = pdf_words(pdf);
	CHECK_CONTAINS(t, "Food access per 1,000 people");
	CHECK(!strstr(t, "e-0"));
	CHECK(!strstr(t, "e+0"));
	CHECK(!strstr(t, "score_food"));
	CHECK(!strstr(t, "run 1 (access)"));
	CHECK(!strstr(t, "clinic_patients"));
	free(t);
}

static void test_cohort_map(void)
{
	char pdf[700], *t;

	if (!ready())
		return;
	snprintf(pdf, sizeof(pdf), "%s/cohort.pdf", test_tmpdir());
	if (test_sh("'%s' -q -d '%s' map -o '%s' --cohort neighbours",
		    getenv("ASSETMAP"), ws_path, pdf))
		return;
	t = pdf_words(pdf);
	/* drawn: named by its name, never its file */
	CHECK_CONTAINS(t, "cohort 'neighbours' (patient records, not shown)");
	CHECK(!strstr(t, "clinic_patients"));
	CHECK(!strstr(t, COHORT_FILE));
	free(t);
}

static void test_words_refused(void)
{
	char *before, *after;

	if (!ready())
		return;
	before = test_sh_out("sqlite3 '%s' 'SELECT count(*) FROM sources;"
			     " SELECT count(*) FROM indicator_labels;'",
			     ws_path);
	/* a column the import did not bring in: refused, listing them */
	{
		char *o = test_sh_out(
		    "'%s' -q -d '%s' import svi "
		    "'%s/svi-2018-ca/SVI2018_SanFrancisco_tract.csv' --label "
		    "'EP_UNINSURED=x' 2>&1; echo rc=$?",
		    getenv("ASSETMAP"), ws_path, test_shared_data());

		CHECK_CONTAINS(o, "brought in no column 'EP_UNINSURED'");
		CHECK_CONTAINS(o, "EP_UNINSUR");
		CHECK_CONTAINS(o, "rc=2");
		free(o);
		o = test_sh_out("'%s' -q -d '%s' import areas x.geojson "
				"--level tract --source-label 'a|b|c' 2>&1; "
				"echo rc=$?",
				getenv("ASSETMAP"), ws_path);
		CHECK_CONTAINS(o, "--source-label 'a|b|c': the year 'c' is "
				  "not YYYY or YYYY-YYYY");
		CHECK_CONTAINS(o, "rc=2");
		free(o);
		o = test_sh_out("'%s' -q -d '%s' import assets x.csv "
				"--label 'a=b' 2>&1; echo rc=$?",
				getenv("ASSETMAP"), ws_path);
		CHECK_CONTAINS(o, "--label names indicator columns");
		CHECK_CONTAINS(o, "rc=2");
		free(o);
	}
	after = test_sh_out("sqlite3 '%s' 'SELECT count(*) FROM sources;"
			    " SELECT count(*) FROM indicator_labels;'",
			    ws_path);
	CHECK_STR(after, before);
	free(before);
	free(after);
}

static const struct test tests[] = {TEST(test_dictionary),
				    TEST(test_source_label_parse),
				    TEST(test_info_indicators),
				    TEST(test_svi_map),
				    TEST(test_titles),
				    TEST(test_access_map),
				    TEST(test_cohort_map),
				    TEST(test_words_refused),
				    {0}};

int main(void)
{
	return test_main("words", tests);
}
