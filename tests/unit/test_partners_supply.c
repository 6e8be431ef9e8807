/*
 * test_partners_supply.c - the supply filter --partners
 * current|prospective|any (issue 15): geo_supply_load against the
 * register on a workspace made here (hand values), then the demo county
 * through the binary, with some assets marked in the register by SQL:
 * 'coverage --partners current' never above 'coverage', per category and
 * per tract, and equal to a brute-force count; 'near --partners X' the
 * same list as 'near' filtered by hand; the run's parameters saying whose
 * assets counted; a value that is no status a usage error with "did you
 * mean".  Runs the CLI ($ASSETMAP).
 */
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_opt.h"
#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_input.h"
#include "geo/geo_proj.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * geo_supply_load on a register made by hand
 * ------------------------------------------------------------------ */

/* The ids of category cat's supply with f, as "1,4,7". */
static char *supply_ids(struct core_ws *ws, const char *cat,
			const struct geo_filter *f)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_proj *proj = NULL;
	struct geo_supply *s = NULL;
	struct core_buf b = CORE_BUF_INIT;
	const char *cats[1];
	size_t i;
	char *out;

	cats[0] = cat;
	if (geo_proj_for_ws(ws, &proj, &err) ||
	    geo_supply_load(ws, cats, 1, f, proj, &s, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		geo_proj_free(proj);
		return xstrdup("(error)");
	}
	for (i = 0; i < s[0].n; i++)
		core_buf_addf(&b, "%s%lld", i ? "," : "",
			      (long long)s[0].id[i]);
	out = xstrdup(core_buf_str(&b));
	core_buf_release(&b);
	geo_supply_free(s, 1);
	geo_proj_free(proj);
	return out;
}

static void test_supply_register(void)
{
	struct core_ws *ws = test_new_ws_crs("reg.db", "EPSG:3310");
	struct geo_filter f;
	char buf[256], *ids;
	int i;

	if (!ws)
		return;
	/* eight food assets; 1 and 5 current, 2 and 6 prospective, 3
	 * former, 4 'none', 7 and 8 not in the register; 9 is housing and
	 * current */
	for (i = 1; i <= 8; i++)
		test_add_asset(ws, i, -120.6 + 0.01 * i, 37.1, "food");
	test_add_asset(ws, 9, -120.5, 37.1, "housing");
	test_exec(ws,
		  "INSERT INTO partners(asset_id, status, updated_at) VALUES"
		  " (1, 'current', '2026-12-01'),"
		  " (2, 'prospective', '2026-12-01'),"
		  " (3, 'former', '2026-12-01'),"
		  " (4, 'none', '2026-12-01'),"
		  " (5, 'current', '2026-12-01'),"
		  " (6, 'prospective', '2026-12-01'),"
		  " (9, 'current', '2026-12-01')");

	geo_filter_init(&f);
	CHECK_INT(f.partners, GEO_PARTNERS_ALL);
	ids = supply_ids(ws, "food", &f);
	CHECK_STR(ids, "1,2,3,4,5,6,7,8");
	free(ids);
	CHECK_STR(geo_filter_describe(&f, buf, sizeof(buf)), "");

	f.partners = GEO_PARTNERS_CURRENT;
	ids = supply_ids(ws, "food", &f);
	CHECK_STR(ids, "1,5");
	free(ids);
	ids = supply_ids(ws, "housing", &f);
	CHECK_STR(ids, "9");
	free(ids);
	CHECK_STR(geo_filter_describe(&f, buf, sizeof(buf)),
		  "current partners only");

	f.partners = GEO_PARTNERS_PROSPECTIVE;
	ids = supply_ids(ws, "food", &f);
	CHECK_STR(ids, "2,6");
	free(ids);
	ids = supply_ids(ws, "housing", &f);
	CHECK_STR(ids, "");
	free(ids);
	CHECK_STR(geo_filter_describe(&f, buf, sizeof(buf)),
		  "prospective partners only");

	f.partners = GEO_PARTNERS_ANY;
	ids = supply_ids(ws, "food", &f);
	CHECK_STR(ids, "1,2,5,6");
	free(ids);
	CHECK_STR(geo_filter_describe(&f, buf, sizeof(buf)),
		  "current or prospective partners only");

	/* with the other filters, 'and' */
	f.partners = GEO_PARTNERS_CURRENT;
	f.formal = 0;
	test_exec(ws, "UPDATE assets SET formal = 0 WHERE id IN (5, 6, 7)");
	ids = supply_ids(ws, "food", &f);
	CHECK_STR(ids, "5");
	free(ids);
	CHECK_STR(geo_filter_describe(&f, buf, sizeof(buf)),
		  "informal only, current partners only");

	/* a change of status is seen by the next load */
	f.formal = -1;
	test_exec(ws, "UPDATE partners SET status = 'former' WHERE asset_id = "
		      "1; UPDATE partners SET status = 'current' WHERE "
		      "asset_id = 6");
	ids = supply_ids(ws, "food", &f);
	CHECK_STR(ids, "5,6");
	free(ids);

	CHECK(geo_partners_code(GEO_PARTNERS_ALL) == NULL);
	CHECK_STR(geo_partners_code(GEO_PARTNERS_CURRENT), "current");
	CHECK_STR(geo_partners_code(GEO_PARTNERS_PROSPECTIVE), "prospective");
	CHECK_STR(geo_partners_code(GEO_PARTNERS_ANY), "any");
	core_ws_close(ws);
}

static void test_nearest_word(void)
{
	static const char *const codes[] = {"current", "prospective", "any",
					    NULL};

	CHECK_STR(cli_opt_nearest_word("curent", codes), "current");
	CHECK_STR(cli_opt_nearest_word("CURRNET", codes), "current");
	CHECK_STR(cli_opt_nearest_word("prospect", codes), "prospective");
	CHECK_STR(cli_opt_nearest_word("prospectiv", codes), "prospective");
	CHECK_STR(cli_opt_nearest_word("anny", codes), "any");
	/* a swap of two neighbouring letters is one edit */
	CHECK_STR(cli_opt_nearest_word("curernt", codes), "current");
	CHECK_STR(cli_opt_nearest_word("nay", codes), "any");
	CHECK(cli_opt_nearest_word("all", codes) == NULL);
	CHECK(cli_opt_nearest_word("former", codes) == NULL);
	CHECK(cli_opt_nearest_word("c", codes) == NULL);
	CHECK(cli_opt_nearest_word("", codes) == NULL);
}

/* ---------------------------------------------------------------------
 * The demo county through the binary
 * ------------------------------------------------------------------ */

#define WITHIN_M 1609.344 /* --within 1mi */

static const char *demo_db;

/* The demo county imported, with a register: of the assets whose id is
 * not a multiple of 5, id % 4 == 0 current, 1 prospective, 2 former,
 * 3 'none'. */
static int demo_setup(void)
{
	static int done, ok;
	int once = test_fixture_once(&done, ok);

	if (once >= 0)
		return once;
	demo_db = xasprintf("%s/demo.db", test_tmpdir());
	ok = test_sh(
		 "set -e; A='%s'; D='%s/data/demo'; W='%s'; cd '%s';"
		 " $A -q -d $W init --crs EPSG:3310;"
		 " $A -q -d $W import areas $D/tracts.geojson --level tract "
		 "--geoid GEOID --name NAME;"
		 " $A -q -d $W import indicators $D/indicators.csv --geoid "
		 "GEOID --population population;"
		 " $A -q -d $W import assets $D/assets.csv --lon lon --lat lat"
		 " --name name --id id --category category --address address"
		 " --city city --zip zip;"
		 " $A -q -d $W import cohort kids $D/cohort.csv --id person_id",
		 getenv("ASSETMAP"), TEST_SRCDIR, demo_db, test_tmpdir()) == 0;
	if (ok) {
		struct core_err err = CORE_ERR_INIT;
		struct core_ws *ws = NULL;

		if (core_ws_open(demo_db, CORE_WS_WRITE, &ws, &err)) {
			test_fail(__FILE__, __LINE__, "%s", err.msg);
			return ok = 0;
		}
		test_exec(ws, "INSERT INTO partners(asset_id, status, "
			      "updated_at) SELECT id, CASE id % 4 WHEN 0 THEN "
			      "'current' WHEN 1 THEN 'prospective' WHEN 2 "
			      "THEN 'former' ELSE 'none' END, '2026-12-07' "
			      "FROM assets WHERE id % 5 <> 0");
		core_ws_close(ws);
	}
	return ok;
}

/* Does asset status s pass --partners p ("" for none)? */
static int passes(const char *status, const char *p)
{
	if (!*p)
		return 1;
	if (!status)
		return 0;
	if (strcmp(p, "any") == 0)
		return strcmp(status, "current") == 0 ||
		       strcmp(status, "prospective") == 0;
	return strcmp(status, p) == 0;
}

/* Brute force: the people of cohort kids with at least one asset of cat
 * passing --partners p within WITHIN_M, every pair measured in the
 * analysis CRS. */
static long brute_covered(const char *cat, const char *p)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_proj *proj = NULL;
	sqlite3_stmt *st = NULL;
	double *ax = NULL, *ay = NULL, *mx = NULL, *my = NULL;
	size_t na = 0, nm = 0, i, j;
	long covered = -1;

	if (core_ws_open(demo_db, CORE_WS_READ, &ws, &err) ||
	    geo_proj_for_ws(ws, &proj, &err) ||
	    core_ws_prepare(ws, &err, &st,
			    "SELECT X(a.geom), Y(a.geom), p.status FROM assets"
			    " a JOIN asset_categories c ON c.asset_id = a.id"
			    " LEFT JOIN partners p ON p.asset_id = a.id"
			    " WHERE c.category = ?1")) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	sqlite3_bind_text(st, 1, cat, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!passes((const char *)sqlite3_column_text(st, 2), p))
			continue;
		ax = xrealloc(ax, (na + 1) * sizeof(double));
		ay = xrealloc(ay, (na + 1) * sizeof(double));
		ax[na] = sqlite3_column_double(st, 0);
		ay[na] = sqlite3_column_double(st, 1);
		na++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (core_ws_prepare(ws, &err, &st,
			    "SELECT X(geom), Y(geom) FROM cohort_members"
			    " WHERE geom IS NOT NULL")) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		mx = xrealloc(mx, (nm + 1) * sizeof(double));
		my = xrealloc(my, (nm + 1) * sizeof(double));
		mx[nm] = sqlite3_column_double(st, 0);
		my[nm] = sqlite3_column_double(st, 1);
		nm++;
	}
	if (geo_proj_fwd(proj, ax, ay, na, &err) ||
	    geo_proj_fwd(proj, mx, my, nm, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	covered = 0;
	for (i = 0; i < nm; i++)
		for (j = 0; j < na; j++) {
			double dx = ax[j] - mx[i], dy = ay[j] - my[i];

			if (dx * dx + dy * dy <= WITHIN_M * WITHIN_M) {
				covered++;
				break;
			}
		}
cleanup:
	sqlite3_finalize(st);
	geo_proj_free(proj);
	core_ws_close(ws);
	free(ax);
	free(ay);
	free(mx);
	free(my);
	return covered;
}

/* From coverage's CSV summary, category cat's row: its assets and the
 * people covered ("within" column). */
static int summary_row(const char *csv, const char *cat, long *assets,
		       long *covered)
{
	char *pat = xasprintf("\n%s,", cat);
	const char *p = strstr(csv, pat);
	int found = 0;

	if (p) {
		p += strlen(pat);
		*assets = strtol(p, (char **)&p, 10);
		p = strchr(p + 1, ','); /* past the people */
		*covered = p ? strtol(p + 1, NULL, 10) : -1;
		found = 1;
	}
	free(pat);
	return found;
}

static void test_coverage_partners(void)
{
	static const char *const cats[] = {"food", "primary_care",
					   "behavioral_health"};
	static const char *const modes[] = {"", "current", "prospective",
					    "any"};
	long all_cov[3] = {0, 0, 0};
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	size_t m, c;

	if (!demo_setup())
		return;
	for (m = 0; m < 4; m++) {
		char *out = NULL, *er = NULL, *args;
		int rc;

		args = xasprintf("-d demo.db coverage --cohort kids --category "
				 "food,primary_care,behavioral_health --within "
				 "1mi --format csv%s%s",
				 *modes[m] ? " --partners " : "", modes[m]);
		rc = test_run_cli(args, &out, &er);
		if (rc != 0)
			test_fail(__FILE__, __LINE__, "%s: rc %d: %s", args, rc,
				  er ? er : "");
		for (c = 0; c < 3; c++) {
			long assets = -1, covered = -1,
			     want = brute_covered(cats[c], modes[m]);

			if (!summary_row(out ? out : "", cats[c], &assets,
					 &covered)) {
				test_fail(__FILE__, __LINE__, "%s: no row %s",
					  args, cats[c]);
				continue;
			}
			if (covered != want)
				test_fail(__FILE__, __LINE__,
					  "%s: %s covers %ld, brute force %ld",
					  args, cats[c], covered, want);
			if (m == 0)
				all_cov[c] = covered;
			else if (covered > all_cov[c])
				test_fail(__FILE__, __LINE__,
					  "%s: %s covers %ld, above %ld with "
					  "every asset",
					  args, cats[c], covered, all_cov[c]);
			/* a real comparison: partners cover fewer here */
			if (m == 1)
				CHECK(covered < all_cov[c]);
		}
		if (m == 1)
			CHECK_CONTAINS(er, "assets counted: current partners "
					   "only");
		if (m == 0)
			CHECK(strstr(er, "partners") == NULL);
		free(args);
		free(out);
		free(er);
	}
	/* per tract: the current partners' run (2) never above everyone's
	 * (1), and the union 'any' (4) at least each of its parts */
	if (core_ws_open(demo_db, CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return;
	}
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM results_area a JOIN"
				 " results_area b ON b.geoid = a.geoid AND"
				 " b.name = a.name WHERE a.run_id = 1 AND"
				 " b.run_id = 2 AND a.name LIKE 'covered_%'"
				 " AND b.value > a.value"),
		  0);
	CHECK(test_q_int(ws, "SELECT count(*) FROM results_area a JOIN"
			     " results_area b ON b.geoid = a.geoid AND"
			     " b.name = a.name WHERE a.run_id = 1 AND"
			     " b.run_id = 2 AND a.name LIKE 'covered_%'"
			     " AND b.value < a.value") > 0);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM results_area a JOIN"
				 " results_area b ON b.geoid = a.geoid AND"
				 " b.name = a.name WHERE a.run_id IN (2, 3) AND"
				 " b.run_id = 4 AND a.name LIKE 'covered_%'"
				 " AND b.value < a.value"),
		  0);
	/* the runs say whose assets counted */
	CHECK_Q(ws,
		"SELECT json_extract(params, '$.partners') FROM runs "
		"WHERE id = 2",
		"current");
	CHECK_Q(ws,
		"SELECT json_extract(params, '$.filter') FROM runs "
		"WHERE id = 2",
		"current partners only");
	CHECK_Q(ws,
		"SELECT json_extract(params, '$.partners') FROM runs "
		"WHERE id = 4",
		"any");
	CHECK_Q(ws,
		"SELECT json_extract(params, '$.partners') FROM runs "
		"WHERE id = 1",
		"(null)");
	core_ws_close(ws);
	{
		char *out = NULL, *er = NULL;

		CHECK_INT(test_run_cli("-d demo.db results 2", &out, &er), 0);
		CHECK_CONTAINS(out, "\"filter\":\"current partners only\"");
		free(out);
		free(er);
	}
}

/* The ids of a near CSV listing (the third column), in order. */
static size_t near_ids(const char *csv, int64_t *ids, size_t cap)
{
	const char *p = strchr(csv, '\n');
	size_t n = 0;

	while (p && p[1] && n < cap) {
		const char *f = p + 1;
		int k;

		for (k = 0; k < 2 && f; k++) {
			f = strchr(f, ',');
			if (f)
				f++;
		}
		if (!f)
			break;
		ids[n++] = strtoll(f, NULL, 10);
		p = strchr(p + 1, '\n');
	}
	return n;
}

/* Every asset's register status, by id (NULL: not in the register). */
static char *status_of(int64_t id)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	char *sql, *s;

	if (core_ws_open(demo_db, CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return NULL;
	}
	sql = xasprintf("SELECT status FROM partners WHERE asset_id = %lld",
			(long long)id);
	s = test_q_text(ws, sql);
	free(sql);
	core_ws_close(ws);
	if (strcmp(s, "(none)") == 0) {
		free(s);
		return NULL;
	}
	return s;
}

static void test_near_partners(void)
{
	static const char *const modes[] = {"current", "prospective", "any"};
	static int64_t all[400], got[400], want[400];
	static char *status[400];
	char *out = NULL, *er = NULL;
	size_t nall, ngot, nwant, m, i;

	if (!demo_setup())
		return;
	CHECK_INT(test_run_cli("-d demo.db near --at 37.08,-120.6 --category "
			       "food,primary_care --limit 400 --format csv",
			       &out, &er),
		  0);
	nall = near_ids(out ? out : "", all, 400);
	free(out);
	free(er);
	CHECK(nall > 100);
	for (i = 0; i < nall; i++)
		status[i] = status_of(all[i]);
	for (m = 0; m < 3; m++) {
		char *args = xasprintf("-d demo.db near --at 37.08,-120.6 "
				       "--category food,primary_care --limit "
				       "400 --format csv --partners %s",
				       modes[m]);

		CHECK_INT(test_run_cli(args, &out, &er), 0);
		ngot = near_ids(out ? out : "", got, 400);
		nwant = 0;
		for (i = 0; i < nall; i++)
			if (passes(status[i], modes[m]))
				want[nwant++] = all[i];
		CHECK(nwant > 5);
		if (ngot != nwant)
			test_fail(__FILE__, __LINE__,
				  "%s: %zu rows, by hand %zu", args, ngot,
				  nwant);
		for (i = 0; i < ngot && i < nwant; i++)
			if (got[i] != want[i]) {
				test_fail(__FILE__, __LINE__,
					  "%s: row %zu is asset %lld, by "
					  "hand %lld",
					  args, i + 1, (long long)got[i],
					  (long long)want[i]);
				break;
			}
		free(args);
		free(out);
		free(er);
	}
	/* --limit counts partners, not assets passed over */
	CHECK_INT(test_run_cli("-d demo.db near --at 37.08,-120.6 --category "
			       "food --limit 3 --format csv --partners current",
			       &out, &er),
		  0);
	ngot = near_ids(out ? out : "", got, 400);
	CHECK_INT(ngot, 3);
	for (i = 0; i < ngot; i++) {
		char *s = status_of(got[i]);

		CHECK_STR(s, "current");
		free(s);
	}
	CHECK_CONTAINS(er, "current partners only");
	free(out);
	free(er);
	for (i = 0; i < nall; i++)
		free(status[i]);
}

static void test_partners_usage(void)
{
	static const struct test_cli_case cases[] = {
	    {"-d demo.db coverage --cohort kids --category food --within 1mi "
	     "--partners curent",
	     2,
	     "assetmap: coverage: --partners: 'curent' is not a partner "
	     "status; did you mean 'current'? (current, prospective or any)\n"
	     "(see 'assetmap help coverage')\n",
	     NULL,
	     {NULL, NULL},
	     NULL},
	    {"-d demo.db near --at 37.08,-120.6 --partners Prospectve",
	     2,
	     NULL,
	     NULL,
	     {"did you mean 'prospective'?", NULL},
	     NULL},
	    {"-d demo.db nearest --partners all",
	     2,
	     NULL,
	     NULL,
	     {"--partners: 'all' is not a partner status; give current, "
	      "prospective or any",
	      "leave it out to count every asset"},
	     "did you mean"},
	    {"-d demo.db gaps --category food --partners formr",
	     2,
	     NULL,
	     NULL,
	     {"--partners: 'formr'", NULL},
	     NULL},
	    {"-d demo.db access --category food --partners",
	     2,
	     NULL,
	     NULL,
	     {"--partners needs a value", NULL},
	     NULL},
	    /* case does not matter, as with --open */
	    {"-q -d demo.db nearest --category food --partners CURRENT",
	     0,
	     NULL,
	     NULL,
	     {NULL, NULL},
	     NULL},
	};
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	int64_t before;

	if (!demo_setup())
		return;
	if (core_ws_open(demo_db, CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return;
	}
	before = test_q_int(ws, "SELECT count(*) FROM runs");
	core_ws_close(ws);
	TEST_CLI_CASES(cases);
	if (core_ws_open(demo_db, CORE_WS_READ, &ws, &err) == CORE_OK) {
		/* only the last case stored a run */
		CHECK_INT(test_q_int(ws, "SELECT count(*) FROM runs"),
			  before + 1);
		CHECK_Q(ws,
			"SELECT json_extract(params, '$.partners') FROM "
			"runs ORDER BY id DESC LIMIT 1",
			"current");
		core_ws_close(ws);
	}
}

/* Every analysis's help lists the option. */
static void test_partners_help(void)
{
	static const char *const cmds[] = {"nearest", "coverage", "access",
					   "gaps",    "deserts",  "sites",
					   "near",    "atlas",	  "standards"};
	size_t i;

	if (!test_have_cli())
		return;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		char *args = xasprintf("help %s", cmds[i]);
		char *out = NULL, *er = NULL;

		CHECK_INT(test_run_cli(args, &out, &er), 0);
		if (!out || !strstr(out, "--partners current|prospective|any"))
			test_fail(__FILE__, __LINE__,
				  "'assetmap %s' does not list --partners",
				  args);
		free(args);
		free(out);
		free(er);
	}
}

/* A map drawn from runs with --partners says whose assets counted. */
static void test_map_says(void)
{
	char *out = NULL, *er = NULL, *text;

	if (!demo_setup())
		return;
	if (system("pdftotext -v >/dev/null 2>&1") != 0) {
		test_skip("poppler-utils (pdftotext) not installed");
		return;
	}
	CHECK_INT(test_run_cli("-q -d demo.db deserts --category food --within "
			       "1mi --partners current",
			       &out, &er),
		  0);
	free(out);
	free(er);
	/* run 2: coverage of current partners (test_coverage_partners) */
	CHECK_INT(test_run_cli("-q -d demo.db map -o says.pdf --indicator "
			       "2:covered_food --deserts last",
			       &out, &er),
		  0);
	free(out);
	free(er);
	text = test_sh_out("pdftotext '%s' -", test_path("says.pdf"));
	CHECK_CONTAINS(text, "coverage analysis, run 2, current partners only");
	CHECK(!strstr(text, "covered_food")); /* words, not the column */
	CHECK_CONTAINS(text,
		       "Farther than 1 mi from food (current partners only)");
	free(text);
	/* a run of every asset says nothing of partners */
	CHECK_INT(test_run_cli("-q -d demo.db map -o all.pdf --indicator "
			       "1:covered_food",
			       &out, &er),
		  0);
	free(out);
	free(er);
	text = test_sh_out("pdftotext '%s' -", test_path("all.pdf"));
	CHECK_CONTAINS(text, "coverage analysis, run 1");
	CHECK(strstr(text, "partners") == NULL);
	free(text);
}

static const struct test tests[] = {
    TEST(test_supply_register),	  TEST(test_nearest_word),
    TEST(test_coverage_partners), TEST(test_near_partners),
    TEST(test_partners_usage),	  TEST(test_partners_help),
    TEST(test_map_says),	  {0}};

int main(void)
{
	int rc = test_main("partners_supply", tests);

	free((char *)demo_db);
	test_libs_shutdown();
	return rc;
}
