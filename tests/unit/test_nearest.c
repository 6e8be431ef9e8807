/*
 * test_nearest.c - 'assetmap nearest' and 'assetmap coverage' against a
 * brute-force reference on random data in real workspaces: ties between
 * assets at the same place, an empty category, points exactly on the
 * radius, one asset, no assets; per-area values and small-cell
 * suppression; the demo county end to end through the binary.
 *
 * The reference reads the same projected coordinates (geo_input, tested
 * in test_input.c) and applies geo_kd.h's rules by hand: ties go to the
 * smaller index (assets are in ascending id), and a point at exactly r is
 * within r (dx * dx + dy * dy <= r * r).
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_result.h"
#include "core/core_taxonomy.h"
#include "core/core_ws.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"
#include "geo/geo_proj.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

static uint64_t rng = 88172645463325252ull;

/* Run the binary ($ASSETMAP) on ws's file with args; its exit status
 * (0 ok, 1 failed, 2 usage; -1 when it cannot run), its stdout in *out
 * (caller frees). */
static int run(struct core_ws *ws, char **out, const char *const *args)
{
	const char *am = getenv("ASSETMAP");
	struct core_buf cmd = CORE_BUF_INIT;
	char *path = xasprintf("%s/run.out", test_tmpdir());
	FILE *fp;
	size_t n = 0, cap = 0;
	int i, st;

	*out = NULL;
	core_buf_addf(&cmd, "'%s' -q -d '%s'", am, ws->path);
	for (i = 0; args[i]; i++)
		core_buf_addf(&cmd, " '%s'", args[i]);
	core_buf_addf(&cmd, " > '%s' 2>/dev/null", path);
	st = system(core_buf_str(&cmd));
	core_buf_release(&cmd);
	fp = fopen(path, "r");
	if (fp) {
		size_t got;
		do {
			xgrow((void **)out, &cap, n + 4096, 1);
			got = fread(*out + n, 1, cap - n - 1, fp);
			n += got;
		} while (got > 0);
		(*out)[n] = '\0';
		fclose(fp);
	} else {
		*out = xstrdup("");
	}
	free(path);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* The binary must be there; otherwise the test is skipped. */
static int have_binary(void)
{
	const char *am = getenv("ASSETMAP");

	if (am && access(am, X_OK) == 0)
		return 1;
	test_skip("ASSETMAP (the binary under test) is not set");
	return 0;
}

static int64_t last_run(struct core_ws *ws)
{
	return test_q_int(ws, "SELECT max(id) FROM runs");
}

/* A packed member column of the last run (caller frees). */
static void *column(struct core_ws *ws, const char *name, size_t *n)
{
	struct core_err err = CORE_ERR_INIT;
	const char *type;
	void *data = NULL;

	if (core_result_column_load(ws, last_run(ws), name, &type, n, &data,
				    &err)) {
		test_fail(__FILE__, __LINE__, "column %s: %s", name, err.msg);
		*n = 0;
		return xcalloc(1, 8);
	}
	return data;
}

/* A per-area value of the last run; NaN for NULL or none. */
static double area_value(struct core_ws *ws, const char *geoid,
			 const char *name)
{
	sqlite3_stmt *st;
	double v = NAN;

	sqlite3_prepare_v2(
	    ws->db,
	    "SELECT value FROM results_area WHERE run_id ="
	    " (SELECT max(id) FROM runs) AND geoid = ? AND name = ?",
	    -1, &st, NULL);
	sqlite3_bind_text(st, 1, geoid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Lon/lat box of the test county. */
#define LON0 -120.60
#define LAT0 37.00
#define SIZE 0.20

/* Four tracts in a 2 x 2 grid over the box. */
static void add_tracts(struct core_ws *ws)
{
	int i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++) {
			double x0 = LON0 + i * SIZE / 2,
			       y0 = LAT0 + j * SIZE / 2;
			char *sql = xasprintf(
			    "INSERT INTO areas(level, geoid, name, population, "
			    "geom)"
			    " VALUES('tract', '0600100%02d00', 'T%d', %d,"
			    " CastToMultiPolygon(BuildMbr(%.9f, %.9f, %.9f, "
			    "%.9f, 4326)))",
			    2 * i + j + 1, 2 * i + j + 1,
			    1000 * (2 * i + j + 1), x0, y0, x0 + SIZE / 2,
			    y0 + SIZE / 2);
			test_exec(ws, sql);
			free(sql);
		}
}

static void add_member(struct core_ws *ws, int id, double lon, double lat)
{
	char *sql = xasprintf("INSERT INTO cohort_members(id, cohort_id,"
			      " precision, geom) VALUES(%d, 1, 'point',"
			      " MakePoint(%.9f, %.9f, 4326))",
			      id, lon, lat);
	test_exec(ws, sql);
	free(sql);
}

/* A random workspace: nf food assets (with duplicates at one place),
 * one housing asset, no dental; np people, some exactly on assets. */
static struct core_ws *random_ws(const char *name, int nf, int np)
{
	struct core_ws *ws = test_new_ws_crs(name, "EPSG:3310");
	int i;

	test_exec(ws, "BEGIN");
	add_tracts(ws);
	for (i = 0; i < nf; i++)
		test_add_asset(ws, 100 + i, LON0 + test_rand(&rng) * SIZE,
			       LAT0 + test_rand(&rng) * SIZE, "food");
	/* three assets at one place: ties go to the smallest id */
	test_add_asset(ws, 90, LON0 + 0.05, LAT0 + 0.05, "food");
	test_add_asset(ws, 91, LON0 + 0.05, LAT0 + 0.05, "food");
	test_add_asset(ws, 5000, LON0 + 0.05, LAT0 + 0.05, "food");
	test_add_asset(ws, 7000, LON0 + 0.15, LAT0 + 0.12, "housing");
	test_exec(ws, "INSERT INTO cohorts(id, name, kind, created_at) VALUES"
		      " (1, 'people', 'points', 'now')");
	for (i = 0; i < np; i++) {
		double lon = LON0 + (test_rand(&rng) * 1.2 - 0.1) * SIZE;
		double lat = LAT0 + (test_rand(&rng) * 1.2 - 0.1) * SIZE;
		if (i % 50 == 0) {
			/* on top of the tied assets */
			lon = LON0 + 0.05;
			lat = LAT0 + 0.05;
		}
		add_member(ws, 1 + i * 3, lon, lat);
	}
	test_exec(ws, "COMMIT");
	return ws;
}

/* The reference inputs: members (with tracts) and supply, projected. */
struct ref {
	struct geo_proj *proj;
	struct geo_areas *areas;
	struct geo_members *m;
	struct geo_supply *s;
	size_t ncats;
};

static void ref_load(struct core_ws *ws, struct ref *r, const char *const *cats,
		     size_t ncats)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_filter f;

	memset(r, 0, sizeof(*r));
	geo_filter_init(&f);
	r->ncats = ncats;
	if (geo_proj_for_ws(ws, &r->proj, &err) ||
	    geo_areas_load(ws, "tract", NULL, r->proj, &r->areas, &err) ||
	    geo_members_load(ws, "people", NULL, r->proj, r->areas, &r->m,
			     &err) ||
	    geo_supply_load(ws, cats, ncats, &f, r->proj, &r->s, &err))
		test_fail(__FILE__, __LINE__, "reference inputs: %s", err.msg);
}

static void ref_free(struct ref *r)
{
	geo_supply_free(r->s, r->ncats);
	geo_members_free(r->m);
	geo_areas_free(r->areas);
	geo_proj_free(r->proj);
}

/* Brute force nearest: index (ties: smaller index) and distance. */
static long bf_nearest(const struct geo_supply *s, double x, double y,
		       double *d)
{
	long best = -1;
	double bd2 = INFINITY;
	size_t i;

	for (i = 0; i < s->n; i++) {
		double dx = s->x[i] - x, dy = s->y[i] - y;
		double d2 = dx * dx + dy * dy;
		if (d2 < bd2) {
			bd2 = d2;
			best = (long)i;
		}
	}
	*d = sqrt(bd2);
	return best;
}

static long bf_count(const struct geo_supply *s, double x, double y, double r)
{
	long n = 0;
	size_t i;

	for (i = 0; i < s->n; i++) {
		double dx = s->x[i] - x, dy = s->y[i] - y;
		if (dx * dx + dy * dy <= r * r)
			n++;
	}
	return n;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* ---------------------------------------------------------------------
 * nearest
 * ------------------------------------------------------------------ */

/* Where the reference (members by ascending id) holds member id; the
 * runs store their people in spatial order with a member_id column. */
static size_t ref_index(const struct geo_members *m, int64_t id)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->id[lo] == id ? lo : (size_t)-1;
}

static void test_nearest_random(void)
{
	static const char *const cats[] = {"food", "housing", "dental"};
	struct core_ws *ws;
	const char *args[] = {"nearest",
			      "--cohort",
			      "people",
			      "--category",
			      "food,housing,dental",
			      "--beyond",
			      "2km",
			      NULL};
	struct ref r;
	char *out = NULL;
	size_t n, n2, i, c, k;
	int64_t *ids;
	int bad = 0;

	if (!have_binary())
		return;
	ws = random_ws("nearest.db", 300, 2000);

	CHECK_INT(run(ws, &out, args), 0);
	free(out);
	ref_load(ws, &r, cats, 3);
	ids = column(ws, "member_id", &n);
	CHECK_INT(n, r.m->n);
	CHECK_INT(n, 2000);
	{
		/* every member once, in any order */
		unsigned char *seen = calloc(r.m->n + 1, 1);

		for (i = 0; i < n && i < r.m->n; i++) {
			size_t j = ref_index(r.m, ids[i]);

			if (j == (size_t)-1 || seen[j]++)
				bad++;
		}
		free(seen);
	}
	CHECK_INT(bad, 0);
	for (c = 0; c < 3; c++) {
		char name[64];
		double *dist;
		int64_t *asset;
		snprintf(name, sizeof(name), "dist_%s", cats[c]);
		dist = column(ws, name, &n2);
		CHECK_INT(n2, n);
		snprintf(name, sizeof(name), "asset_%s", cats[c]);
		asset = column(ws, name, &n2);
		CHECK_INT(n2, n);
		bad = 0;
		for (i = 0; i < n && i < n2; i++) {
			double d = NAN;
			size_t j = ref_index(r.m, ids[i]);
			long k2 =
			    j == (size_t)-1
				? -1
				: bf_nearest(&r.s[c], r.m->x[j], r.m->y[j], &d);
			int64_t want = k2 < 0 ? -1 : r.s[c].id[k2];
			if (asset[i] != want ||
			    (k2 < 0 ? !isnan(dist[i])
				    : fabs(dist[i] - d) > 1e-9 * (1 + d))) {
				if (bad++ < 5)
					test_fail(
					    __FILE__, __LINE__,
					    "%s member %lld: asset %lld at "
					    "%.9g, expected %lld at %.9g",
					    cats[c], (long long)ids[i],
					    (long long)asset[i], dist[i],
					    (long long)want, d);
			}
		}
		CHECK_INT(bad, 0);
		for (i = 0; i < n && i < n2; i++) {
			if (ids[i] != r.m->id[0])
				continue;
			if (c == 0) {
				/* people on the three tied assets get id 90
				 * at 0 m */
				CHECK_INT(asset[i], 90);
				CHECK(dist[i] == 0);
			}
			if (c == 2) {
				CHECK_INT(asset[i], -1);
				CHECK(isnan(dist[i]));
			}
		}
		free(dist);
		free(asset);
	}

	/* per tract: n, beyond, median and share against the reference */
	for (k = 0; k < r.areas->n; k++) {
		const char *g = r.areas->geoid[k];
		double *v = xmalloc(n * sizeof(double));
		size_t m = 0, far = 0;
		double med;
		for (i = 0; i < r.m->n; i++) {
			double d;
			if (r.m->area[i] != (int32_t)k)
				continue;
			bf_nearest(&r.s[0], r.m->x[i], r.m->y[i], &d);
			v[m++] = d;
			if (d > 2000)
				far++;
		}
		qsort(v, m, sizeof(double), cmp_d);
		med = m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
		CHECK_NEAR(area_value(ws, g, "n"), (double)m, 0);
		CHECK_NEAR(area_value(ws, g, "beyond_food"), (double)far, 0);
		CHECK_NEAR(area_value(ws, g, "median_m_food"), med, 1e-6);
		CHECK_NEAR(area_value(ws, g, "share_beyond_food"),
			   (double)far / (double)m, 1e-12);
		/* nobody is within 2 km of a dental asset: there are none */
		CHECK_NEAR(area_value(ws, g, "beyond_dental"), (double)m, 0);
		CHECK(isnan(area_value(ws, g, "median_m_dental")));
		free(v);
	}
	/* people outside every tract are in no tract's n */
	CHECK(test_q_int(ws,
			 "SELECT sum(value) FROM results_area WHERE name = 'n'"
			 " AND run_id = (SELECT max(id) FROM runs)") < 2000);
	CHECK_INT(
	    test_q_int(
		ws, "SELECT count(*) FROM results_info WHERE run_id ="
		    " (SELECT max(id) FROM runs) AND name = 'share_beyond_food'"
		    " AND kind = 'cohort_stat' AND basis = 'beyond_food,n'"),
	    1);
	free(ids);
	ref_free(&r);
	core_ws_close(ws);
}

/* --areas without a cohort: one point per tract. */
static void test_nearest_areas(void)
{
	static const char *const cats[] = {"food"};
	struct core_ws *ws;
	const char *args[] = {"nearest", "--areas",  "tract", "--category",
			      "food",	 "--format", "csv",   NULL};
	struct core_err err = CORE_ERR_INIT;
	struct ref r;
	double x[4], y[4];
	char *out = NULL;
	int weighted = -1;
	size_t k;

	if (!have_binary())
		return;
	ws = random_ws("nearest_areas.db", 40, 10);

	CHECK_INT(run(ws, &out, args), 0);
	CHECK_CONTAINS(out, "category,assets,areas,population,median (mi)");
	CHECK_CONTAINS(out, "food,43,4,10000,");
	free(out);
	ref_load(ws, &r, cats, 1);
	CHECK_INT(geo_area_points(ws, r.areas, r.proj, x, y, &weighted, &err),
		  0);
	CHECK_INT(weighted, 0);
	for (k = 0; k < 4; k++) {
		double d;
		long i = bf_nearest(&r.s[0], x[k], y[k], &d);
		CHECK_NEAR(area_value(ws, r.areas->geoid[k], "dist_m_food"), d,
			   1e-6);
		CHECK_NEAR(area_value(ws, r.areas->geoid[k], "asset_food"),
			   (double)r.s[0].id[i], 0);
		CHECK_NEAR(area_value(ws, r.areas->geoid[k], "population"),
			   1000.0 * (double)(k + 1), 0);
	}
	/* no member columns without a cohort */
	CHECK_INT(
	    test_q_int(ws, "SELECT count(*) FROM results_column WHERE run_id ="
			   " (SELECT max(id) FROM runs)"),
	    0);
	ref_free(&r);
	core_ws_close(ws);
}

/* One asset; then a workspace with none; usage errors. */
static void test_nearest_edges(void)
{
	struct core_ws *ws;
	const char *one[] = {"nearest", "--cohort", "people", NULL};
	const char *badcat[] = {"nearest",    "--cohort",  "people",
				"--category", "food,nope", NULL};
	const char *badbeyond[] = {"nearest", "--beyond", "5", NULL};
	const char *nocohort[] = {"nearest", "--cohort", "nobody", NULL};
	char *out = NULL;
	size_t n;
	int64_t *asset;
	double *dist;

	if (!have_binary())
		return;
	ws = test_new_ws_crs("edges.db", "EPSG:3310");

	test_exec(ws, "BEGIN");
	add_tracts(ws);
	test_exec(ws, "INSERT INTO cohorts(id, name, kind, created_at) VALUES"
		      " (1, 'people', 'points', 'now')");
	add_member(ws, 1, LON0 + 0.01, LAT0 + 0.01);
	add_member(ws, 2, LON0 + 0.19, LAT0 + 0.19);
	test_exec(ws, "COMMIT");
	/* no assets at all */
	CHECK_INT(run(ws, &out, one), 1);
	free(out);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM runs"), 0);

	test_add_asset(ws, 7, LON0 + 0.01, LAT0 + 0.01, "food");
	CHECK_INT(run(ws, &out, one), 0);
	/* two people: every count is suppressed */
	CHECK_CONTAINS(out, "<11");
	CHECK(strstr(out, " 2 ") == NULL);
	free(out);
	asset = column(ws, "asset_food", &n);
	dist = column(ws, "dist_food", &n);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_INT(asset[0], 7);
		CHECK_INT(asset[1], 7);
		CHECK(dist[0] == 0);
		CHECK(dist[1] > 20000);
	}
	free(asset);
	free(dist);

	CHECK_INT(run(ws, &out, badcat), 2);
	free(out);
	CHECK_INT(run(ws, &out, badbeyond), 2);
	free(out);
	CHECK_INT(run(ws, &out, nocohort), 1);
	free(out);
	/* nothing was left behind by the failures */
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM runs"), 1);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * coverage
 * ------------------------------------------------------------------ */

static void test_coverage_random(void)
{
	int64_t *cov_ids;
	size_t pos0 = 0;
	static const char *const cats[] = {"food", "housing", "dental"};
	struct core_ws *ws;
	struct ref r;
	char within[64], *out = NULL;
	double r0, dx, dy;
	size_t n, i, c, k;
	int on_edge = 0;

	if (!have_binary())
		return;
	ws = random_ws("coverage.db", 300, 2000);

	ref_load(ws, &r, cats, 3);
	/* a radius that puts member 1 exactly on the edge of asset 0 */
	dx = r.s[0].x[5] - r.m->x[1];
	dy = r.s[0].y[5] - r.m->y[1];
	r0 = sqrt(dx * dx + dy * dy);
	snprintf(within, sizeof(within), "%.17gm", r0);
	{
		const char *args[] = {"coverage",
				      "--cohort",
				      "people",
				      "--category",
				      "food,housing,dental",
				      "--within",
				      within,
				      NULL};
		CHECK_INT(run(ws, &out, args), 0);
		free(out);
	}
	/* the run keeps its people in spatial order, with their ids */
	cov_ids = column(ws, "member_id", &n);
	CHECK_INT(n, r.m->n);
	for (i = 0; i < n; i++)
		if (cov_ids[i] == r.m->id[0])
			pos0 = i;
	for (c = 0; c < 3; c++) {
		char name[64];
		int64_t *cnt;
		int bad = 0;
		snprintf(name, sizeof(name), "count_%s", cats[c]);
		cnt = column(ws, name, &n);
		CHECK_INT(n, r.m->n);
		for (i = 0; i < n && i < r.m->n; i++) {
			size_t q = ref_index(r.m, cov_ids[i]);
			long want =
			    q == (size_t)-1
				? -1
				: bf_count(&r.s[c], r.m->x[q], r.m->y[q], r0);
			if (cnt[i] != want && bad++ < 5)
				test_fail(
				    __FILE__, __LINE__,
				    "%s member %zu: %lld within, expected %ld",
				    cats[c], i, (long long)cnt[i], want);
			if (c == 0 && q != (size_t)-1) {
				size_t j;
				for (j = 0; j < r.s[0].n; j++) {
					double ex = r.s[0].x[j] - r.m->x[q];
					double ey = r.s[0].y[j] - r.m->y[q];
					if (ex * ex + ey * ey == r0 * r0)
						on_edge++;
				}
			}
		}
		CHECK_INT(bad, 0);
		if (c == 0)
			CHECK(cnt[pos0] >= 3); /* on the three tied assets */
		if (c == 2)
			CHECK_INT(cnt[pos0], 0);
		free(cnt);
	}
	free(cov_ids);
	/* the edge case was exercised */
	CHECK(on_edge >= 1);
	/* per tract: covered and share */
	for (k = 0; k < r.areas->n; k++) {
		long m = 0, cov = 0, all = 0;
		for (i = 0; i < r.m->n; i++) {
			long f, h;
			if (r.m->area[i] != (int32_t)k)
				continue;
			m++;
			f = bf_count(&r.s[0], r.m->x[i], r.m->y[i], r0);
			h = bf_count(&r.s[1], r.m->x[i], r.m->y[i], r0);
			cov += f > 0;
			all += f > 0 && h > 0 && 0; /* dental has none */
		}
		CHECK_NEAR(area_value(ws, r.areas->geoid[k], "n"), (double)m,
			   0);
		CHECK_NEAR(area_value(ws, r.areas->geoid[k], "covered_food"),
			   (double)cov, 0);
		CHECK_NEAR(area_value(ws, r.areas->geoid[k], "share_food"),
			   (double)cov / (double)m, 1e-12);
		CHECK_NEAR(area_value(ws, r.areas->geoid[k], "covered_all"),
			   (double)all, 0);
		CHECK_NEAR(area_value(ws, r.areas->geoid[k], "covered_dental"),
			   0, 0);
	}
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT count(*) FROM results_info WHERE run_id ="
		       " (SELECT max(id) FROM runs) AND name = 'covered_food'"
		       " AND kind = 'cohort_count'"),
	    1);
	ref_free(&r);

	/* the population, at the tract points */
	{
		const char *args[] = {"coverage", "--category", "food",
				      "--within", "3km",	"--format",
				      "json",	  NULL};
		CHECK_INT(run(ws, &out, args), 0);
		CHECK_CONTAINS(out, "\"category\"");
		free(out);
		CHECK(!isnan(area_value(ws, "06001000100", "count_food")));
		CHECK_NEAR(area_value(ws, "06001000100", "population"), 1000,
			   0);
	}
	core_ws_close(ws);
}

/* Counts of 1 to 10 people never print; a lone small cell in a row with
 * its total printed is hidden with its complement. */
static void test_coverage_suppression(void)
{
	struct core_ws *ws;
	const char *args[] = {"coverage", "--cohort", "people", "--within",
			      "1km",	  "--format", "csv",	NULL};
	char *out = NULL;
	int i;

	if (!have_binary())
		return;
	ws = test_new_ws_crs("small.db", "EPSG:3310");

	test_exec(ws, "BEGIN");
	add_tracts(ws);
	test_add_asset(ws, 1, LON0 + 0.02, LAT0 + 0.02, "food");
	test_exec(ws, "INSERT INTO cohorts(id, name, kind, created_at) VALUES"
		      " (1, 'people', 'points', 'now')");
	/* 3 people near the asset, 40 far from it */
	for (i = 0; i < 43; i++)
		add_member(ws, i + 1, i < 3 ? LON0 + 0.02 : LON0 + 0.15,
			   i < 3 ? LAT0 + 0.02 : LAT0 + 0.15);
	test_exec(ws, "COMMIT");
	CHECK_INT(run(ws, &out, args), 0);
	/* covered 3 -> "<11", and "not covered" 40 would give it away from
	 * the total 43: hidden too */
	CHECK_CONTAINS(out, "food,1,");
	CHECK_CONTAINS(out, "<11");
	CHECK(strstr(out, ",3,") == NULL);
	CHECK(strstr(out, ",40") == NULL);
	free(out);
	/* stored per tract as they are (outputs suppress them) */
	CHECK_NEAR(area_value(ws, "06001000100", "covered_food"), 3, 0);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * The demo county through the binary
 * ------------------------------------------------------------------ */

static int sh(const char *cmd)
{
	int st = system(cmd);

	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_demo_cli(void)
{
	const char *am = getenv("ASSETMAP");
	const char *d = TEST_SRCDIR "/data/demo";
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	char *db, *cmd, *outp;
	FILE *fp;
	char buf[4096];
	size_t got;

	if (!am || access(am, X_OK) != 0) {
		test_skip("ASSETMAP (the binary) is not set");
		return;
	}
	db = xasprintf("%s/demo.db", test_tmpdir());
	outp = xasprintf("%s/demo.out", test_tmpdir());
	cmd = xasprintf("set -e; A='%s'; D='%s'; W='%s'; rm -f \"$W\";"
			" $A -q -d $W init --crs EPSG:3310;"
			" $A -q -d $W import areas $D/tracts.geojson --level "
			"tract --geoid GEOID --name NAME;"
			" $A -q -d $W import indicators $D/indicators.csv "
			"--geoid GEOID --population population;"
			" $A -q -d $W import assets $D/assets.csv --lon lon "
			"--lat lat --name name --id id"
			"  --category category --hours hours --languages "
			"languages --capacity capacity"
			"  --medi-cal accepts_medi_cal --programs programs;"
			" $A -q -d $W import cohort asthma-kids $D/cohort.csv "
			"--id person_id --keep age,language;"
			" $A -d $W nearest --cohort asthma-kids --category "
			"food,primary_care > '%s' 2>&1;"
			" $A -d $W coverage --cohort asthma-kids --where "
			"language=es --category"
			"  behavioral_health --language es --within 2mi "
			"--format csv >> '%s' 2>&1;"
			" $A -d $W nearest --category food --open evening "
			"--units km >> '%s' 2>&1",
			am, d, db, outp, outp, outp);
	CHECK_INT(sh(cmd), 0);
	free(cmd);
	fp = fopen(outp, "r");
	got = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;
	buf[got] = '\0';
	if (fp)
		fclose(fp);
	CHECK_CONTAINS(buf, "food");
	CHECK_CONTAINS(buf, "primary_care");
	CHECK_CONTAINS(buf, "5000");
	CHECK_CONTAINS(buf, "run 1 stored");
	CHECK_CONTAINS(buf, "assets counted: language es");
	CHECK_CONTAINS(buf, "behavioral_health,");
	CHECK_CONTAINS(buf, "geometric centroids");
	CHECK_CONTAINS(buf, "median (km)");
	if (core_ws_open(db, CORE_WS_READ, &ws, &err) == CORE_OK) {
		/* every one of the 5,000 children is in a tract */
		CHECK_INT(test_q_int(ws, "SELECT sum(value) FROM results_area "
					 "WHERE run_id = 1 AND name = 'n'"),
			  5000);
		CHECK_INT(test_q_int(ws, "SELECT n FROM results_column WHERE "
					 "run_id = 1 AND name = 'dist_food'"),
			  5000);
		CHECK_INT(test_q_int(ws,
				     "SELECT count(*) FROM results_area WHERE "
				     "run_id = 3 AND name = 'dist_m_food'"),
			  200);
		/* the Spanish speakers are fewer than everyone */
		CHECK(test_q_int(ws, "SELECT sum(value) FROM results_area "
				     "WHERE run_id = 2 AND name = 'n'") < 5000);
		core_ws_close(ws);
	} else {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	}
	free(db);
	free(outp);
}

/* San Francisco (../shared/data): food sites against the SVI tracts,
 * per tract from its point, checked against a brute-force reference and,
 * for the distance, against SpatiaLite's own ST_Distance. */
static void test_sf(void)
{
	static const char *const cats[] = {"food"};
	const char *am = getenv("ASSETMAP");
	const char *data = test_shared_data();
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_proj *proj = NULL;
	struct geo_areas *tracts = NULL;
	struct geo_supply *s = NULL;
	struct geo_filter f;
	char *db, *cmd, *out = NULL;
	double *x = NULL, *y = NULL;
	int weighted = -1, bad = 0;
	size_t k;

	if (!data) {
		test_skip("../shared/data is absent");
		return;
	}
	if (!have_binary())
		return;
	db = xasprintf("%s/sf.db", test_tmpdir());
	cmd = xasprintf(
	    "set -e; A='%s'; W='%s'; S='%s'; rm -f \"$W\";"
	    " $A -q -d $W init --crs EPSG:3310;"
	    " $A -q -d $W import areas $S/sf-tracts/sf_tracts_2010.geojson "
	    "--level tract --geoid GEOID10;"
	    " $A -q -d $W import indicators "
	    "$S/svi-2018-ca/SVI2018_SanFrancisco_tract.csv"
	    "  --geoid FIPS --columns E_TOTPOP,RPL_THEMES --population "
	    "E_TOTPOP --year 2018;"
	    " $A -q -d $W import assets "
	    "$S/haarrrvest-food-bayarea/food_sites_raw.csv --category food",
	    am, db, data);
	CHECK_INT(sh(cmd), 0);
	free(cmd);
	if (core_ws_open(db, CORE_WS_WRITE, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		free(db);
		return;
	}
	{
		const char *args[] = {
		    "nearest",	"--areas", "tract",    "--category", "food",
		    "--beyond", "0.5mi",   "--format", "csv",	     NULL};
		CHECK_INT(run(ws, &out, args), 0);
		/* 195 tracts, 870,044 people */
		CHECK_CONTAINS(out, "food,368,195,870044,");
		free(out);
	}
	geo_filter_init(&f);
	if (geo_proj_for_ws(ws, &proj, &err) ||
	    geo_areas_load(ws, "tract", NULL, proj, &tracts, &err) ||
	    geo_supply_load(ws, cats, 1, &f, proj, &s, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto done;
	}
	x = xmalloc(tracts->n * sizeof(double));
	y = xmalloc(tracts->n * sizeof(double));
	CHECK_INT(geo_area_points(ws, tracts, proj, x, y, &weighted, &err), 0);
	CHECK_INT(weighted, 0);
	for (k = 0; k < tracts->n; k++) {
		double d, got = area_value(ws, tracts->geoid[k], "dist_m_food");
		long i = bf_nearest(&s[0], x[k], y[k], &d);
		if (fabs(got - d) > 1e-6 ||
		    area_value(ws, tracts->geoid[k], "asset_food") !=
			(double)s[0].id[i])
			bad++;
	}
	CHECK_INT(bad, 0);
	/* SpatiaLite's distance from the first tract's point to its asset */
	{
		char *sql;
		double px = x[0], py = y[0], want;
		sqlite3_stmt *st;
		sqlite3_exec(ws->db, "SELECT InsertEpsgSrid(3310)", NULL, NULL,
			     NULL);
		sql = xasprintf("SELECT ST_Distance(MakePoint(%.9f, %.9f, "
				"3310), Transform(geom, 3310))"
				" FROM assets WHERE id = %.0f",
				px, py,
				area_value(ws, tracts->geoid[0], "asset_food"));
		if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) ==
			SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW) {
			want = sqlite3_column_double(st, 0);
			CHECK_NEAR(
			    area_value(ws, tracts->geoid[0], "dist_m_food"),
			    want, 1e-3);
		} else {
			test_fail(__FILE__, __LINE__, "%s",
				  sqlite3_errmsg(ws->db));
		}
		sqlite3_finalize(st);
		free(sql);
	}
	/* coverage of the population within half a mile */
	{
		const char *args[] = {"coverage", "--category", "food",
				      "--within", "0.5mi",	"--format",
				      "csv",	  NULL};
		double pop = 0, cov = 0;
		char line[128];
		CHECK_INT(run(ws, &out, args), 0);
		for (k = 0; k < tracts->n; k++) {
			double d;
			double p = tracts->population[k];
			bf_nearest(&s[0], x[k], y[k], &d);
			if (!(p > 0))
				continue;
			pop += p;
			if (bf_count(&s[0], x[k], y[k], 0.5 * 1609.344) > 0)
				cov += p;
		}
		snprintf(line, sizeof(line), "food,368,195,%.0f,%.0f,", pop,
			 cov);
		CHECK_CONTAINS(out, line);
		free(out);
	}
done:
	free(x);
	free(y);
	geo_supply_free(s, 1);
	geo_areas_free(tracts);
	geo_proj_free(proj);
	core_ws_close(ws);
	free(db);
}

static const struct test tests[] = {TEST(test_nearest_random),
				    TEST(test_nearest_areas),
				    TEST(test_nearest_edges),
				    TEST(test_coverage_random),
				    TEST(test_coverage_suppression),
				    TEST(test_demo_cli),
				    TEST(test_sf),
				    {0}};

int main(void)
{
	int rc = test_main("nearest", tests);

	core_ws_shutdown();
	return rc;
}
