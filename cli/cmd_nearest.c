/*
 * cmd_nearest.c - assetmap nearest: the distance from each person (or
 * each area) to the nearest asset of each category, kept in the
 * workspace and summarised per area and per category.
 */
#include <json-c/json.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_analysis.h"
#include "cli/cli_table.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_result.h"
#include "geo/geo_kd.h"

#define CMD	       "nearest"
#define DEFAULT_BEYOND "1mi"

const char cmd_nearest_help[] =
    "usage: assetmap [-d WORKSPACE] nearest [--cohort NAME] [--areas LEVEL]\n"
    "                [--category C[,C...]] [--beyond D] [filters]\n"
    "                [--units mi|km|m] [--format table|csv|json]\n"
    "\n"
    "The distance from each person of a cohort to the nearest asset of each\n"
    "category, and which asset that is; or, without --cohort, from each\n"
    "area's point (the population-weighted centroid of its block groups\n"
    "when the workspace has block-group population, else its geometric\n"
    "centroid; the output says which).  Distances are straight lines in the\n"
    "workspace's analysis CRS.\n"
    "\n"
    "Each person's distances stay inside the workspace (never printed or\n"
    "exported).  Per area it stores the people (n), the median distance and\n"
    "how many live beyond --beyond D, and prints per category the people,\n"
    "the median distance and the share beyond D.  Counts of 1 to 10 people\n"
    "show as <11.  The run is stored for 'assetmap results', 'map' and\n"
    "'export'.\n"
    "\n"
    "  --beyond D           the distance that counts as far, with its unit\n"
    "                       (500m, 2mi, 3km; default " DEFAULT_BEYOND
    ", the USDA's\n"
    "                       urban food-access distance)\n"
    "\n" CLI_ANALYSIS_HELP_TEXT "\n"
    "examples:\n"
    "  assetmap nearest --cohort asthma-kids --category primary_care,food\n"
    "  assetmap nearest --areas tract --category food --beyond 0.5mi\n"
    "  assetmap nearest --cohort asthma-kids --where language=es \\\n"
    "      --category behavioral_health --language es --units km\n";

enum { OPT_BEYOND = 2000 };

/* The batch queries' results for one category. */
struct ncat {
	double *dist;	/* [n] metres; NaN: no location or no asset */
	int64_t *asset; /* [n] assets.id, -1 where none */
};

/* Put the k-th smallest of v[0..n) at v[k], smaller ones before it,
 * larger after (quickselect; v holds no NaN). */
static void select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (hi > lo) {
		size_t i = lo, j = hi, mid = lo + (hi - lo) / 2;
		double a = v[lo], b = v[mid], c = v[hi], pivot;

		/* median of three */
		pivot = a < b ? (b < c ? b : (a < c ? c : a))
			      : (a < c ? a : (b < c ? c : b));
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/* The median of v[0..n) (reordered); NaN for n 0. */
static double median(double *v, size_t n)
{
	size_t i;
	double lower;

	if (n == 0)
		return NAN;
	select_kth(v, n, n / 2);
	if (n % 2)
		return v[n / 2];
	/* the largest of the lower half */
	lower = v[0];
	for (i = 1; i < n / 2; i++)
		if (v[i] > lower)
			lower = v[i];
	return (lower + v[n / 2]) / 2;
}

/* Weighted median of v with weights w (both [n], reordered together). */
struct vw {
	double v, w;
};

static int cmp_vw(const void *a, const void *b)
{
	double x = ((const struct vw *)a)->v, y = ((const struct vw *)b)->v;

	return x < y ? -1 : x > y;
}

static double weighted_median(struct vw *p, size_t n)
{
	double total = 0, acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += p[i].w;
	if (n == 0 || !(total > 0))
		return NAN;
	qsort(p, n, sizeof(*p), cmp_vw);
	for (i = 0; i < n; i++) {
		acc += p[i].w;
		if (acc >= total / 2)
			return p[i].v;
	}
	return p[n - 1].v;
}

static void fmt_dist(double m, enum core_unit u, char *buf, size_t size)
{
	if (isnan(m) || isinf(m))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.*f", u == CORE_UNIT_M ? 0 : 2,
			 core_units_from_m(m, u));
}

/*
 * One category's results written and summarised.  Runs on its own thread
 * while the main thread queries the next category, so that SQLite's
 * single-threaded writing overlaps the queries; only one writer touches
 * the connection at a time (the main thread joins the previous one
 * before starting the next, and does not use the connection meanwhile).
 */
struct wjob {
	struct core_ws *ws;
	int64_t run_id;
	const char *cat;
	const struct cli_inputs *in;
	const struct ncat *res;
	double beyond;
	int cohort;
	const size_t *area_start, *area_items;
	double *area_val[3]; /* [areas] per-area values, written at the end
				(cohort: median, beyond, share; areas:
				distance, asset) */
	int rc;
	struct core_err err;
	/* the summary over every point with a location */
	int64_t near, far;   /* people (cohort) */
	double pop, pop_far; /* population (areas) */
	size_t nareas;
	double median;
};

static int write_cohort_cat(struct wjob *j, double *scratch)
{
	const struct cli_inputs *in = j->in;
	char name[160];
	size_t i, k, m = 0;
	int rc;

	snprintf(name, sizeof(name), "dist_%s", j->cat);
	if ((rc = core_result_column_put(j->ws, j->run_id, name, "f8", in->n,
					 j->res->dist, &j->err)))
		return rc;
	snprintf(name, sizeof(name), "asset_%s", j->cat);
	if ((rc = core_result_column_put(j->ws, j->run_id, name, "i8", in->n,
					 j->res->asset, &j->err)))
		return rc;
	for (k = 0; k < in->areas->n; k++) {
		size_t b = j->area_start[k], e = j->area_start[k + 1], far = 0;
		double med;

		m = 0;
		for (i = b; i < e; i++) {
			double d = j->res->dist[j->area_items[i]];
			if (isnan(d) || d > j->beyond)
				far++;
			scratch[m++] = isnan(d) ? INFINITY : d;
		}
		med = median(scratch, m);
		if (isinf(med))
			med = NAN;
		j->area_val[0][k] = med;
		j->area_val[1][k] = (double)far;
		j->area_val[2][k] = e > b ? (double)far / (double)(e - b) : NAN;
	}
	m = 0;
	for (i = 0; i < in->n; i++) {
		double d = j->res->dist[i];
		if (isnan(in->x[i]))
			continue;
		if (isnan(d) || d > j->beyond)
			j->far++;
		else
			j->near++;
		scratch[m++] = isnan(d) ? INFINITY : d;
	}
	j->median = median(scratch, m);
	return CORE_OK;
}

static int write_area_cat(struct wjob *j, struct vw *p)
{
	const struct cli_inputs *in = j->in;
	size_t i, m = 0;

	for (i = 0; i < in->areas->n; i++) {
		j->area_val[0][i] = j->res->dist[i];
		j->area_val[1][i] =
		    j->res->asset[i] < 0 ? NAN : (double)j->res->asset[i];
	}
	for (i = 0; i < in->n; i++) {
		double d = j->res->dist[i], wgt = in->areas->population[i];
		if (isnan(in->x[i]))
			continue;
		j->nareas++;
		if (!(wgt > 0))
			continue;
		j->pop += wgt;
		if (isnan(d) || d > j->beyond)
			j->pop_far += wgt;
		p[m].v = isnan(d) ? INFINITY : d;
		p[m].w = wgt;
		m++;
	}
	j->median = weighted_median(p, m);
	return CORE_OK;
}

static void *write_cat(void *arg)
{
	struct wjob *j = arg;
	void *scratch = xmalloc((j->in->n ? j->in->n : 1) * sizeof(struct vw));

	j->rc = j->cohort ? write_cohort_cat(j, scratch)
			  : write_area_cat(j, scratch);
	free(scratch);
	return NULL;
}

/* Describe the run's values in results_info. */
static int write_info(struct core_ws *ws, int64_t run_id,
		      const struct cli_analysis *a, double beyond,
		      struct core_err *err)
{
	char bs[32];
	size_t c;
	int rc;

	core_units_format(beyond, a->units, bs, sizeof(bs));
	if (a->cohort)
		rc = core_result_info_add(ws, run_id, "n", CORE_RK_COHORT_COUNT,
					  NULL, "People", 0, err);
	else
		rc = core_result_info_add(ws, run_id, "population",
					  CORE_RK_POPULATION, NULL,
					  "Population", 0, err);
	for (c = 0; c < a->ncats && rc == CORE_OK; c++) {
		char n1[160], n2[160], n3[160], l1[256], l2[256], l3[256];
		char basis[200];
		const char *cat = a->cats[c];

		if (a->cohort) {
			snprintf(n1, sizeof(n1), "median_m_%s", cat);
			snprintf(l1, sizeof(l1), "Median distance to %s (m)",
				 cat);
			snprintf(n2, sizeof(n2), "beyond_%s", cat);
			snprintf(l2, sizeof(l2), "People beyond %s of %s", bs,
				 cat);
			snprintf(n3, sizeof(n3), "share_beyond_%s", cat);
			snprintf(l3, sizeof(l3), "Share beyond %s of %s", bs,
				 cat);
			snprintf(basis, sizeof(basis), "beyond_%s,n", cat);
			if ((rc = core_result_info_add(
				 ws, run_id, n1, CORE_RK_COHORT_STAT, "n", l1,
				 (int)(3 * c + 1), err)) ||
			    (rc = core_result_info_add(
				 ws, run_id, n2, CORE_RK_COHORT_COUNT, NULL, l2,
				 (int)(3 * c + 2), err)))
				break;
			rc = core_result_info_add(ws, run_id, n3,
						  CORE_RK_COHORT_STAT, basis,
						  l3, (int)(3 * c + 3), err);
		} else {
			snprintf(n1, sizeof(n1), "dist_m_%s", cat);
			snprintf(l1, sizeof(l1), "Distance to nearest %s (m)",
				 cat);
			snprintf(n2, sizeof(n2), "asset_%s", cat);
			snprintf(l2, sizeof(l2), "Nearest %s (asset id)", cat);
			if ((rc = core_result_info_add(
				 ws, run_id, n1, CORE_RK_DISTANCE, NULL, l1,
				 (int)(2 * c + 1), err)))
				break;
			rc = core_result_info_add(ws, run_id, n2, CORE_RK_ID,
						  NULL, l2, (int)(2 * c + 2),
						  err);
		}
	}
	return rc;
}

/* One row of the printed summary, and its JSON. */
static void summary_row(struct cli_table *t, json_object *jcats,
			const struct wjob *j, size_t nassets, enum core_unit u)
{
	char sa[32], sp[32], sm[32], sb[32], ss[32], sn[32];
	json_object *jc = json_object_new_object();

	snprintf(sa, sizeof(sa), "%zu", nassets);
	json_object_object_add(jc, "category", json_object_new_string(j->cat));
	json_object_object_add(jc, "assets",
			       json_object_new_int64((int64_t)nassets));
	if (j->cohort) {
		int64_t cells[2] = {j->near, j->far};
		int64_t people = j->near + j->far;
		enum core_privacy_mark marks[2];
		int hide_total = core_privacy_row(cells, 2, 1, marks);
		const char *row[6];

		/* a small count shows as "<11" whatever its mark */
		core_privacy_cell(people,
				  hide_total ? CORE_PRIVACY_COMPLEMENT
					     : CORE_PRIVACY_SHOW,
				  0, sp, sizeof(sp));
		if (core_privacy_is_small(people) || hide_total)
			snprintf(sm, sizeof(sm), "%s",
				 CORE_PRIVACY_HIDDEN_TEXT);
		else
			fmt_dist(j->median, u, sm, sizeof(sm));
		core_privacy_cell(cells[1], marks[1], 0, sb, sizeof(sb));
		if (marks[0] != CORE_PRIVACY_SHOW ||
		    marks[1] != CORE_PRIVACY_SHOW || hide_total)
			snprintf(ss, sizeof(ss), "%s",
				 CORE_PRIVACY_HIDDEN_TEXT);
		else
			cli_format_share(
			    people ? (double)j->far / (double)people : NAN, ss,
			    sizeof(ss));
		row[0] = j->cat;
		row[1] = sa;
		row[2] = sp;
		row[3] = sm;
		row[4] = sb;
		row[5] = ss;
		cli_table_add(t, row);
		json_object_object_add(jc, "people",
				       json_object_new_string(sp));
		json_object_object_add(jc, "median",
				       json_object_new_string(sm));
		json_object_object_add(jc, "beyond",
				       json_object_new_string(sb));
		json_object_object_add(jc, "share_beyond",
				       json_object_new_string(ss));
	} else {
		const char *row[7];

		snprintf(sn, sizeof(sn), "%zu", j->nareas);
		snprintf(sp, sizeof(sp), "%.0f", j->pop);
		fmt_dist(j->median, u, sm, sizeof(sm));
		snprintf(sb, sizeof(sb), "%.0f", j->pop_far);
		cli_format_share(j->pop > 0 ? j->pop_far / j->pop : NAN, ss,
				 sizeof(ss));
		row[0] = j->cat;
		row[1] = sa;
		row[2] = sn;
		row[3] = sp;
		row[4] = sm;
		row[5] = sb;
		row[6] = ss;
		cli_table_add(t, row);
		json_object_object_add(
		    jc, "areas", json_object_new_int64((int64_t)j->nareas));
		json_object_object_add(jc, "population",
				       json_object_new_double(j->pop));
		json_object_object_add(jc, "median_m",
				       isfinite(j->median)
					   ? json_object_new_double(j->median)
					   : NULL);
		json_object_object_add(jc, "population_beyond",
				       json_object_new_double(j->pop_far));
	}
	json_object_array_add(jcats, jc);
}

int cmd_nearest(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_ANALYSIS_OPTIONS,
	    {"beyond", required_argument, NULL, OPT_BEYOND},
	    {NULL, 0, NULL, 0}};
	struct cli_analysis a;
	struct cli_inputs in;
	struct ncat *res = NULL;
	struct wjob *jobs = NULL;
	struct cli_run run = {0};
	struct cli_table *t = NULL;
	enum cli_format fmt = CLI_FMT_TABLE;
	double beyond = 1609.344;
	const char *beyond_arg = DEFAULT_BEYOND;
	uint32_t *order = NULL;
	char **col_name = NULL;
	double **col_val = NULL, *area_n = NULL;
	size_t nper = 0, ncols = 0;
	size_t *idx = NULL, *area_start = NULL, *area_items = NULL;
	pthread_t th;
	size_t i, c;
	int rc = CORE_OK, running = 0;

	cli_analysis_init(&a);
	memset(&in, 0, sizeof(in));
	if ((rc = cli_analysis_setup(ctx, CMD, argc, argv, opts, OPT_BEYOND,
				     "--beyond", &beyond, &beyond_arg, &a, &fmt,
				     &in)))
		goto cleanup;

	/* The points of each area, grouped (counting sort by area). */
	area_start = xcalloc(in.areas->n + 1, sizeof(size_t));
	area_items = xmalloc((in.n ? in.n : 1) * sizeof(size_t));
	if (a.cohort) {
		size_t *fill = xcalloc(in.areas->n + 1, sizeof(size_t));
		for (i = 0; i < in.n; i++)
			if (in.area[i] >= 0 && !isnan(in.x[i]))
				area_start[in.area[i] + 1]++;
		for (i = 0; i < in.areas->n; i++)
			area_start[i + 1] += area_start[i];
		for (i = 0; i < in.n; i++)
			if (in.area[i] >= 0 && !isnan(in.x[i])) {
				size_t k = (size_t)in.area[i];
				area_items[area_start[k] + fill[k]++] = i;
			}
		free(fill);
	}

	cli_analysis_cache(ctx, in.n);
	/* One run, one transaction: the run and what does not depend on
	 * the queries first. */
	run.params = cli_analysis_params_new(&a, "beyond_m", beyond);
	if ((rc = cli_run_begin(ctx, CMD, in.areas->n ? a.areas : NULL,
				a.cohort, &run)) ||
	    (rc = core_result_writer_new(ctx->ws, run.id, &run.w, &ctx->err)) ||
	    (rc = write_info(ctx->ws, run.id, &a, beyond, &ctx->err)))
		goto cleanup;
	if (a.cohort &&
	    (rc = core_result_column_put(ctx->ws, run.id, "member_id", "i8",
					 in.n, in.members->id, &ctx->err)))
		goto cleanup;
	/* the per-area values: the people (or population), then each
	 * category's, filled by the jobs and written at the end in one
	 * pass in the table's key order */
	nper = a.cohort ? 3 : 2;
	ncols = 1 + a.ncats * nper;
	col_name = xcalloc(ncols, sizeof(char *));
	col_val = xcalloc(ncols, sizeof(double *));
	area_n = xmalloc((in.areas->n ? in.areas->n : 1) * sizeof(double));
	for (i = 0; i < in.areas->n; i++)
		area_n[i] = a.cohort
				? (double)(area_start[i + 1] - area_start[i])
				: in.areas->population[i];
	col_name[0] = xstrdup(a.cohort ? "n" : "population");
	col_val[0] = area_n;
	for (c = 0; c < a.ncats; c++) {
		static const char *const cohort_pre[3] = {
		    "median_m_", "beyond_", "share_beyond_"};
		static const char *const area_pre[2] = {"dist_m_", "asset_"};
		size_t k;

		for (k = 0; k < nper; k++) {
			size_t at = 1 + c * nper + k;

			col_name[at] = xasprintf(
			    "%s%s", a.cohort ? cohort_pre[k] : area_pre[k],
			    a.cats[c]);
			col_val[at] = xmalloc((in.areas->n ? in.areas->n : 1) *
					      sizeof(double));
		}
	}
	cli_analysis_lap("prepare");

	/* Nearest of every category for every point on both cores; each
	 * category's writing overlaps the next one's queries. */
	res = xcalloc(a.ncats, sizeof(*res));
	jobs = xcalloc(a.ncats, sizeof(*jobs));
	idx = xmalloc((in.n ? in.n : 1) * sizeof(size_t));
	order = NULL; /* the people are in spatial order already */
	for (c = 0; c < a.ncats; c++) {
		const struct geo_supply *s = &in.supply[c];
		struct geo_kd *kd = geo_kd_new(s->x, s->y, s->n);
		struct wjob *j = &jobs[c];

		res[c].dist = xmalloc((in.n ? in.n : 1) * sizeof(double));
		res[c].asset = xmalloc((in.n ? in.n : 1) * sizeof(int64_t));
		if (in.n)
			geo_kd_nearest_all(kd, in.x, in.y, in.n, order, idx,
					   res[c].dist);
		for (i = 0; i < in.n; i++) {
			if (idx[i] == (size_t)-1 || s->n == 0) {
				res[c].dist[i] = NAN;
				res[c].asset[i] = -1;
			} else {
				res[c].asset[i] = s->id[idx[i]];
			}
		}
		geo_kd_free(kd);
		if (running) {
			pthread_join(th, NULL);
			running = 0;
			if (jobs[c - 1].rc)
				break;
		}
		j->ws = ctx->ws;
		j->run_id = run.id;
		j->cat = a.cats[c];
		j->in = &in;
		j->res = &res[c];
		j->beyond = beyond;
		j->cohort = a.cohort != NULL;
		j->area_start = area_start;
		j->area_items = area_items;
		for (i = 0; i < nper; i++)
			j->area_val[i] = col_val[1 + c * nper + i];
		if (pthread_create(&th, NULL, write_cat, j) == 0)
			running = 1;
		else
			write_cat(j);
	}
	if (running)
		pthread_join(th, NULL);
	for (c = 0; c < a.ncats; c++)
		if (jobs[c].rc) {
			ctx->err = jobs[c].err;
			rc = jobs[c].rc;
			goto cleanup;
		}
	if ((rc = core_result_area_table_put(
		 run.w, in.areas->n, (const char *const *)in.areas->geoid,
		 ncols, (const char *const *)col_name,
		 (const double *const *)col_val, &ctx->err)))
		goto cleanup;
	cli_analysis_lap("queries and values");

	/* The summary, per category. */
	{
		static const char *const cohort_cols[] = {
		    "category", "assets", "people",
		    "median",	"beyond", "share beyond"};
		static const char *const area_cols[] = {
		    "category",	   "assets", "areas",
		    "population",  "median", "population beyond",
		    "share beyond"};
		char h_med[64], h_beyond[64], bs[32];
		const char *cols[7];
		json_object *jcats = json_object_new_array();

		core_units_format(beyond, a.units, bs, sizeof(bs));
		snprintf(h_med, sizeof(h_med), "median (%s)",
			 core_units_name(a.units));
		if (a.cohort) {
			memcpy(cols, cohort_cols, sizeof(cohort_cols));
			cols[3] = h_med;
			snprintf(h_beyond, sizeof(h_beyond), "beyond %s", bs);
			cols[4] = h_beyond;
			t = cli_table_new(6, cols, "snnnnn");
		} else {
			memcpy(cols, area_cols, sizeof(area_cols));
			cols[4] = h_med;
			snprintf(h_beyond, sizeof(h_beyond),
				 "population beyond %s", bs);
			cols[5] = h_beyond;
			t = cli_table_new(7, cols, "snnnnnn");
		}
		run.summary = json_object_new_object();
		json_object_object_add(run.summary, "beyond_m",
				       json_object_new_double(beyond));
		for (c = 0; c < a.ncats; c++)
			summary_row(t, jcats, &jobs[c], in.supply[c].n,
				    a.units);
		json_object_object_add(run.summary, "categories", jcats);
		json_object_object_add(
		    run.summary, "points",
		    json_object_new_string(cli_inputs_points_note(&in)));
	}
	if ((rc = cli_run_commit(ctx, &run)))
		goto cleanup;
	cli_analysis_lap("commit");

	/* What was measured, then the table. */
	cli_inputs_note(ctx, CMD, &a, &in);
	cli_note(
	    ctx,
	    "distances: straight lines in %s; beyond means farther than %s\n",
	    geo_proj_label(in.proj), beyond_arg);

	cli_table_print(t, ctx->out, fmt);
	cli_run_stored_note(ctx, run.id);
cleanup:
	cli_run_release(ctx, &run);
	cli_table_free(t);
	if (res)
		for (c = 0; c < a.ncats; c++) {
			free(res[c].dist);
			free(res[c].asset);
		}
	free(res);
	free(jobs);
	for (i = 0; i < ncols; i++) {
		free(col_name[i]);
		free(col_val[i]);
	}
	free(col_name);
	free(col_val);
	free(idx);
	free(order);
	free(area_start);
	free(area_items);
	cli_inputs_release(&in);
	cli_analysis_release(&a);
	return rc;
}
