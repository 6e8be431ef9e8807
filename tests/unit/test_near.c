/*
 * test_near.c - 'assetmap near', the referral-partner finder, against a
 * brute-force reference on a workspace made here: every asset's distance
 * computed in the analysis CRS, filtered, sorted by distance then id.
 * Ranking, ties, filters, --from leaving its own asset out, --within,
 * units, and the usage errors.  Runs the CLI ($ASSETMAP).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_input.h"
#include "geo/geo_proj.h"
#include "testlib.h"

#define NASSETS 160

static const char *ws_path;

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

static uint64_t rng = 88172645463325252ULL;

struct asset {
	int64_t id;
	double lon, lat, x, y;
	char cats[64], langs[16], hours[48];
	int medi_cal, mtm; /* medically_tailored_meals offered */
};

static struct asset assets[NASSETS];
static size_t nassets;

/* The workspace, once: NASSETS assets around Alderton, three of them at
 * one spot (ties), imported through the CLI. */
static int setup(void)
{
	static int done, ok;
	int once;
	struct core_buf csv = CORE_BUF_INIT;
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_proj *proj = NULL;
	sqlite3_stmt *st = NULL;
	char *out, *er, *args;
	size_t i;
	int rc;

	once = test_fixture_once(&done, ok);
	if (once >= 0)
		return once;
	core_buf_adds(&csv, "id,name,category,phone,hours,languages,"
			    "accepts_medi_cal,programs,lon,lat\n");
	for (i = 0; i < NASSETS; i++) {
		static const char *const cats[] = {
		    "food", "housing", "food;housing", "primary_care"};
		static const char *const hours[] = {"Mo-Fr 09:00-17:00",
						    "Mo,We 17:30-19:30", "",
						    "Sa 10:00-14:00"};
		double lon = -120.6 + (test_rand(&rng) - 0.5) * 0.2;
		double lat = 37.1 + (test_rand(&rng) - 0.5) * 0.2;
		const char *cat = cats[(size_t)(test_rand(&rng) * 4)];
		const char *hr = hours[(size_t)(test_rand(&rng) * 4)];
		const char *lang = test_rand(&rng) < 0.4 ? "en;es" : "en";
		const char *mc = test_rand(&rng) < 0.3 ? "yes" : "no";
		const char *prog =
		    test_rand(&rng) < 0.2 ? "medically_tailored_meals" : "";

		if (i >= 40 && i < 43) { /* the tie cluster */
			lon = -120.61;
			lat = 37.11;
			cat = "food";
		}
		core_buf_addf(&csv,
			      "S%03zu,Site %zu,%s,(209) 555-%04zu,\"%s\",%s,%s,"
			      "%s,%.6f,%.6f\n",
			      i, i, cat, i, hr, lang, mc, prog, lon, lat);
	}
	test_write("near_assets.csv", core_buf_str(&csv));
	core_buf_release(&csv);

	ws_path = xasprintf("%s/near.db", test_tmpdir());
	args = xasprintf(
	    "-q -d near.db init --crs EPSG:3310 && '%s' -q -d near.db "
	    "import assets near_assets.csv --id id --name name --category "
	    "category --phone phone --hours hours --languages languages "
	    "--medi-cal accepts_medi_cal --programs programs --lon lon "
	    "--lat lat",
	    getenv("ASSETMAP"));
	rc = test_run_cli(args, &out, &er);
	free(args);
	if (rc != 0)
		test_fail(__FILE__, __LINE__, "import: %s", er);
	free(out);
	free(er);
	if (rc)
		return 0;

	/* The reference's view of the assets, read back. */
	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err) ||
	    geo_proj_for_ws(ws, &proj, &err) ||
	    core_ws_prepare(ws, &err, &st,
			    "SELECT a.id, X(a.geom), Y(a.geom),"
			    " (SELECT ',' || group_concat(category, ',') || ','"
			    "  FROM asset_categories WHERE asset_id = a.id),"
			    " coalesce(a.languages, ''), coalesce(a.hours, ''),"
			    " coalesce(a.accepts_medi_cal, 0),"
			    " EXISTS (SELECT 1 FROM asset_programs p WHERE"
			    "  p.asset_id = a.id AND"
			    "  p.program = 'medically_tailored_meals')"
			    " FROM assets a ORDER BY a.id")) {
		test_fail(__FILE__, __LINE__, "reading back: %s", err.msg);
		goto cleanup;
	}
	while (sqlite3_step(st) == SQLITE_ROW && nassets < NASSETS) {
		struct asset *a = &assets[nassets++];

		a->id = sqlite3_column_int64(st, 0);
		a->lon = a->x = sqlite3_column_double(st, 1);
		a->lat = a->y = sqlite3_column_double(st, 2);
		snprintf(a->cats, sizeof(a->cats), "%s",
			 (const char *)sqlite3_column_text(st, 3));
		snprintf(a->langs, sizeof(a->langs), "%s",
			 (const char *)sqlite3_column_text(st, 4));
		snprintf(a->hours, sizeof(a->hours), "%s",
			 (const char *)sqlite3_column_text(st, 5));
		a->medi_cal = sqlite3_column_int(st, 6);
		a->mtm = sqlite3_column_int(st, 7);
		if (geo_proj_fwd(proj, &a->x, &a->y, 1, &err))
			test_fail(__FILE__, __LINE__, "%s", err.msg);
	}
	CHECK_INT(nassets, NASSETS);
	ok = nassets == NASSETS;
cleanup:
	sqlite3_finalize(st);
	geo_proj_free(proj);
	core_ws_close(ws);
	return ok;
}

/* ---------------------------------------------------------------------
 * The reference
 * ------------------------------------------------------------------ */

struct query {
	double lat, lon;
	int64_t from;	      /* 0: --at */
	const char *cats;     /* "food,housing" */
	const char *language; /* NULL or "es" */
	int medi_cal, mtm, evening;
	long limit;
	double within; /* metres, NaN: none */
};

struct hit {
	int64_t id;
	double d;
};

static int by_d_id(const void *a, const void *b)
{
	const struct hit *p = a, *q = b;

	if (p->d != q->d)
		return p->d < q->d ? -1 : 1;
	return (p->id > q->id) - (p->id < q->id);
}

static int in_list(const char *list, const char *code, char sep)
{
	char *pat = xasprintf("%c%s%c", sep, code, sep);
	char *hay = xasprintf("%c%s%c", sep, list, sep);
	int r = strstr(hay, pat) != NULL;

	free(pat);
	free(hay);
	return r;
}

/* Brute force: every asset, filtered, sorted, cut. */
static size_t reference(const struct query *q, struct hit *out)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_proj *proj = NULL;
	double qx = q->lon, qy = q->lat;
	size_t i, n = 0;

	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err) ||
	    geo_proj_for_ws(ws, &proj, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		core_ws_close(ws);
		return 0;
	}
	core_ws_close(ws);
	if (q->from)
		for (i = 0; i < nassets; i++)
			if (assets[i].id == q->from) {
				qx = assets[i].lon;
				qy = assets[i].lat;
			}
	geo_proj_fwd(proj, &qx, &qy, 1, &err);
	geo_proj_free(proj);
	for (i = 0; i < nassets; i++) {
		const struct asset *a = &assets[i];
		double dx = a->x - qx, dy = a->y - qy;
		const char *c = q->cats;
		int cat = 0, wd, ev;

		while (*c) {
			size_t k = strcspn(c, ",");
			char *code = xasprintf("%.*s", (int)k, c);

			cat |= in_list(a->cats, code, ',');
			free(code);
			c += k + (c[k] ? 1 : 0);
		}
		if (!cat || a->id == q->from)
			continue;
		if (q->language && !in_list(a->langs, q->language, ','))
			continue;
		if ((q->medi_cal && !a->medi_cal) || (q->mtm && !a->mtm))
			continue;
		if (q->evening && (geo_hours_parse(a->hours, &wd, &ev) || !ev))
			continue;
		if (!isnan(q->within) &&
		    !(dx * dx + dy * dy <= q->within * q->within))
			continue;
		out[n].id = a->id;
		out[n].d = sqrt(dx * dx + dy * dy);
		n++;
	}
	qsort(out, n, sizeof(*out), by_d_id);
	return n < (size_t)q->limit ? n : (size_t)q->limit;
}

/* Field i of a CSV line (no quotes inside the fields read here: rank,
 * distance, id come first). */
static double field(const char *line, int i)
{
	while (i-- > 0) {
		line = strchr(line, ',');
		if (!line)
			return NAN;
		line++;
	}
	return atof(line);
}

/* Run the query through the CLI and compare with the reference. */
static void check_query(const struct query *q, const char *unit, int line)
{
	struct core_buf args = CORE_BUF_INIT;
	struct hit ref[NASSETS];
	double scale = strcmp(unit, "km") == 0	? 1000
		       : strcmp(unit, "m") == 0 ? 1
						: 1609.344;
	size_t n = reference(q, ref), got = 0;
	char *out, *err, *p;
	int rc;

	core_buf_addf(&args, "-d near.db near --format csv --units %s", unit);
	if (q->from)
		core_buf_addf(&args, " --from %lld", (long long)q->from);
	else
		core_buf_addf(&args, " --at %.7f,%.7f", q->lat, q->lon);
	core_buf_addf(&args, " --category %s --limit %ld", q->cats, q->limit);
	if (q->language)
		core_buf_addf(&args, " --language %s", q->language);
	if (q->medi_cal)
		core_buf_adds(&args, " --medi-cal");
	if (q->mtm)
		core_buf_adds(&args, " --program medically_tailored_meals");
	if (q->evening)
		core_buf_adds(&args, " --open evening");
	if (!isnan(q->within))
		core_buf_addf(&args, " --within %.3fm", q->within);
	rc = test_run_cli(core_buf_str(&args), &out, &err);
	if (rc != 0)
		test_fail(__FILE__, line, "near exited %d: %s", rc, err);
	p = strchr(out, '\n'); /* past the header */
	while (p && p[1]) {
		char *row = p + 1;
		double d = field(row, 1);
		int64_t id = (int64_t)field(row, 2);

		if (got < n) {
			if (id != ref[got].id)
				test_fail(
				    __FILE__, line,
				    "%s: rank %zu is asset %lld, expected %lld",
				    core_buf_str(&args), got + 1, (long long)id,
				    (long long)ref[got].id);
			if (fabs(d - ref[got].d / scale) >
			    (scale == 1 ? 0.51 : 0.0051))
				test_fail(
				    __FILE__, line,
				    "%s: rank %zu at %g %s, expected %.4f",
				    core_buf_str(&args), got + 1, d, unit,
				    ref[got].d / scale);
		}
		got++;
		p = strchr(row, '\n');
	}
	if (got != n)
		test_fail(__FILE__, line, "%s: %zu rows, expected %zu",
			  core_buf_str(&args), got, n);
	free(out);
	free(err);
	core_buf_release(&args);
}

static struct query q_at(double lat, double lon, const char *cats, long limit)
{
	struct query q;

	memset(&q, 0, sizeof(q));
	q.lat = lat;
	q.lon = lon;
	q.cats = cats;
	q.limit = limit;
	q.within = NAN;
	return q;
}

/* ---------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------ */

static void test_near_ranking(void)
{
	static const char *const cats[] = {"food", "food,housing",
					   "primary_care", "housing,food"};
	static const long limits[] = {7, 500};
	size_t i, c, l;

	if (!setup())
		return;
	for (i = 0; i < 4; i++) {
		double lat = 37.1 + (test_rand(&rng) - 0.5) * 0.25;
		double lon = -120.6 + (test_rand(&rng) - 0.5) * 0.25;

		if (i == 0) { /* on the tie cluster: three at distance 0 */
			lat = 37.11;
			lon = -120.61;
		}
		struct query q1 = q_at(lat, lon, "food", 1);

		check_query(&q1, "mi", __LINE__);
		for (c = 0; c < 4; c++)
			for (l = 0; l < 2; l++) {
				struct query q =
				    q_at(lat, lon, cats[c], limits[l]);
				check_query(&q, "mi", __LINE__);
			}
	}
}

static void test_near_ties(void)
{
	char *out, *err;
	int rc;

	if (!setup())
		return;
	/* three food sites at one spot: distance 0, in id order */
	rc = test_run_cli("-d near.db near --at 37.11,-120.61 --category food "
			  "--limit 3 --format csv --units m",
			  &out, &err);
	CHECK_INT(rc, 0);
	CHECK_CONTAINS(out, "\n1,0,41,Site 40,");
	CHECK_CONTAINS(out, "\n2,0,42,Site 41,");
	CHECK_CONTAINS(out, "\n3,0,43,Site 42,");
	free(out);
	free(err);
}

static void test_near_filters(void)
{
	struct query q;
	int i;

	if (!setup())
		return;
	for (i = 0; i < 3; i++) {
		double lat = 37.1 + (test_rand(&rng) - 0.5) * 0.2;
		double lon = -120.6 + (test_rand(&rng) - 0.5) * 0.2;

		q = q_at(lat, lon, "food,housing", 12);
		q.language = "es";
		check_query(&q, "km", __LINE__);
		q = q_at(lat, lon, "food,housing,primary_care", 12);
		q.medi_cal = 1;
		check_query(&q, "km", __LINE__);
		q = q_at(lat, lon, "food", 500);
		q.mtm = 1;
		check_query(&q, "km", __LINE__);
		q = q_at(lat, lon, "food,housing", 500);
		q.evening = 1;
		check_query(&q, "km", __LINE__);
		q = q_at(lat, lon, "food,housing", 5);
		q.language = "es";
		q.medi_cal = 1;
		q.evening = 1;
		check_query(&q, "mi", __LINE__);
	}
}

static void test_near_from(void)
{
	struct query q;
	char *out, *err;
	size_t i;
	int rc;

	if (!setup())
		return;
	/* from one of the tie cluster: the other two first, itself never */
	q = q_at(0, 0, "food", 4);
	q.from = 42;
	check_query(&q, "m", __LINE__);
	rc =
	    test_run_cli("-d near.db near --from 42 --category food --limit 500"
			 " --format csv --units m",
			 &out, &err);
	CHECK_INT(rc, 0);
	CHECK_CONTAINS(out, "\n1,0,41,Site 40,");
	CHECK_CONTAINS(out, "\n2,0,43,Site 42,");
	CHECK(!strstr(out, ",42,Site 41,"));
	CHECK_CONTAINS(err, "near asset 42");
	free(out);
	free(err);
	/* from assets of other categories than those searched */
	for (i = 0; i < nassets; i += 37) {
		q = q_at(0, 0, "housing,primary_care", 9);
		q.from = assets[i].id;
		check_query(&q, "mi", __LINE__);
	}
}

static void test_near_within(void)
{
	static const double radii[] = {500, 2000, 5000, 1e6};
	struct query q;
	size_t i;

	if (!setup())
		return;
	for (i = 0; i < 4; i++) {
		q = q_at(37.1, -120.6, "food,housing", 500);
		q.within = radii[i];
		check_query(&q, "m", __LINE__);
		q.limit = 3;
		check_query(&q, "km", __LINE__);
	}
	/* the edge: a radius of exactly an asset's distance keeps it */
	{
		struct hit ref[NASSETS];
		size_t n;

		q = q_at(37.1, -120.6, "food", 500);
		n = reference(&q, ref);
		if (n > 5) {
			q.within = ref[4].d;
			/* the command reads the radius back with 3 decimals */
			q.within = floor(q.within * 1000 + 1) / 1000;
			check_query(&q, "m", __LINE__);
		}
	}
}

static void test_near_units(void)
{
	static const char *const units[] = {"m", "km", "mi"};
	static const double scale[] = {1, 1000, 1609.344};
	double d[3];
	int i;

	if (!setup())
		return;
	for (i = 0; i < 3; i++) {
		char *args = xasprintf("-d near.db near --at 37.05,-120.55"
				       " --category food --limit 1 --format csv"
				       " --units %s",
				       units[i]);
		char *head = xasprintf("rank,distance_%s,id,", units[i]);
		char *out, *err;

		CHECK_INT(test_run_cli(args, &out, &err), 0);
		CHECK_CONTAINS(out, head);
		d[i] =
		    strchr(out, '\n') ? field(strchr(out, '\n') + 1, 1) : NAN;
		free(args);
		free(head);
		free(out);
		free(err);
	}
	CHECK(d[0] > 100);
	/* 2 decimals from a whole number of metres */
	CHECK_NEAR(d[1], d[0] / scale[1], 0.0056);
	CHECK_NEAR(d[2], d[0] / scale[2], 0.0054);
}

static void test_near_errors(void)
{
	static const struct {
		const char *args, *msg;
		int rc;
	} cases[] = {
	    {"--at 91,0", "latitude 91 is outside -90..90", 2},
	    {"--at 37.1,,-120", "--at '37.1,,-120' is not LAT,LON", 2},
	    /* not two numbers: an address, and no reference data here */
	    {"--at abc", "--at 'abc': this workspace has no reference", 1},
	    {"--address '2901 16th St'",
	     "run 'assetmap import addresses FILE' first", 1},
	    {"--address x --from 3", "give one of --at, --address and --from",
	     2},
	    {"--at 37.1", "--at '37.1' is not LAT,LON", 2},
	    {"--at 37.1,-200", "longitude -200 is outside", 2},
	    {"--at 37.1,-120,5", "is not LAT,LON", 2},
	    {"", "give --at LAT,LON, --address TEXT or --from ASSET_ID", 2},
	    {"--at 37,-120 --from 3", "give one of --at, --address and --from",
	     2},
	    {"--at 37,-120 --limit 0", "--limit", 2},
	    {"--at 37,-120 --within 3", "--within", 2},
	    {"--at 37,-120 --category nope", "'nope' is not a category", 2},
	    {"--at 37,-120 --cohort kids", "--cohort is not used here", 2},
	    {"--from 9999", "--from 9999: no asset has this id", 1},
	};
	size_t i;

	if (!setup())
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *args = xasprintf("-d near.db near %s", cases[i].args);
		char *out, *err;
		int rc = test_run_cli(args, &out, &err);

		if (rc != cases[i].rc || !strstr(err, cases[i].msg))
			test_fail(__FILE__, __LINE__,
				  "near %s: exit %d (want %d), stderr: %s",
				  cases[i].args, rc, cases[i].rc, err);
		CHECK_STR(out, "");
		free(args);
		free(out);
		free(err);
	}
}

static void test_near_empty(void)
{
	char *out, *err;
	int rc;

	if (!setup())
		return;
	/* a category with no assets: a table with no rows, not an error */
	rc = test_run_cli("-d near.db near --at 37.1,-120.6 --category legal"
			  " --format csv",
			  &out, &err);
	CHECK_INT(rc, 0);
	CHECK_STR(out, "rank,distance_mi,id,name,organization,address,phone,"
		       "hours,languages,programs,medi_cal,capacity,"
		       "categories\n");
	CHECK_CONTAINS(err, "0 assets near");
	free(out);
	free(err);
}

static const struct test tests[] = {
    TEST(test_near_ranking), TEST(test_near_ties),   TEST(test_near_filters),
    TEST(test_near_from),    TEST(test_near_within), TEST(test_near_units),
    TEST(test_near_errors),  TEST(test_near_empty),  {0}};

int main(void)
{
	int rc = test_main("near", tests);

	free((char *)ws_path);
	core_ws_shutdown();
	return rc;
}
