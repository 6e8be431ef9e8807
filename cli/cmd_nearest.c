/*
 * cmd_nearest.c - assetmap nearest: the distance from each person (or
 * each area) to the nearest asset of each category, kept in the
 * workspace and summarised per area and per category.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_analysis.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_result.h"
#include "geo/geo_nearest.h"

#define CMD	       "nearest"
#define DEFAULT_BEYOND "1mi"

/* What the command line gives. */
struct nearest_opts {
	struct cli_analysis a;
	struct cli_quantity beyond; /* metres, and the text given */
};

#define O struct nearest_opts

const struct cli_opt cmd_nearest_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] nearest [--cohort NAME] [--areas "
	"LEVEL]\n"
	"                [--category C[,C...]] [--beyond D] [filters]\n"
	"                [--units mi|km|m] [--format table|csv|json]\n"
	"\n"
	"The distance from each person of a cohort to the nearest asset of "
	"each\n"
	"category, and which asset that is; or, without --cohort, from each\n"
	"area's point (the population-weighted centroid of its block groups\n"
	"when the workspace has block-group population, else its geometric\n"
	"centroid; the output says which).  Distances are straight lines in "
	"the\n"
	"workspace's analysis CRS.\n"
	"\n"
	"Each person's distances stay inside the workspace (never printed or\n"
	"exported).  Per area it stores the people (n), the median distance "
	"and\n"
	"how many live beyond --beyond D, and prints per category the people,\n"
	"the median distance and the share beyond D.  Counts of 1 to 10 "
	"people\n"
	"show as <11.  The run is stored for 'assetmap results', 'map' and\n"
	"'export'.\n"
	"\n"),
    CLI_OPT_DISTANCE_TEXT("beyond", 0, "D", O, beyond,
			  "the distance that counts as far, with its unit\n"
			  "(500m, 2mi, 3km; default " DEFAULT_BEYOND
			  ", the USDA's\n"
			  "urban food-access distance)"),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_analysis_options, O, a),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap nearest --cohort asthma-kids --category "
		 "primary_care,food\n"
		 "  assetmap nearest --areas tract --category food --beyond "
		 "0.5mi\n"
		 "  assetmap nearest --cohort asthma-kids --where language=es "
		 "\\\n"
		 "      --category behavioral_health --language es --units "
		 "km\n"),
    CLI_OPT_END()};

#undef O

static void fmt_dist(double m, enum core_unit u, char *buf, size_t size)
{
	if (isnan(m) || isinf(m))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.*f", u == CORE_UNIT_M ? 0 : 2,
			 core_units_from_m(m, u));
}

/* Where a category's answers go: each person's distance and asset, as
 * member columns of the run. */
struct store_ctx {
	struct core_ws *ws;
	int64_t run_id;
	const struct cli_analysis *a;
	size_t n;
};

/* geo_nearest's callback: on its second thread, the only user of the
 * connection meanwhile. */
static int store_members(void *u, size_t c, const struct geo_nearest_cat *r,
			 struct core_err *err)
{
	const struct store_ctx *sc = u;
	char name[160];
	int rc;

	if (!sc->a->cohort)
		return CORE_OK;
	snprintf(name, sizeof(name), "dist_%s", sc->a->cats[c]);
	if ((rc = core_result_column_put(sc->ws, sc->run_id, name, "f8", sc->n,
					 r->dist, err)))
		return rc;
	snprintf(name, sizeof(name), "asset_%s", sc->a->cats[c]);
	return core_result_column_put(sc->ws, sc->run_id, name, "i8", sc->n,
				      r->asset, err);
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
			const char *cat, const struct geo_nearest_cat *r,
			int cohort, size_t nassets, enum core_unit u)
{
	char s_assets[32], s_people[32], s_median[32], s_beyond[32],
	    s_share[32], s_areas[32];
	json_object *jc = json_object_new_object();

	snprintf(s_assets, sizeof(s_assets), "%zu", nassets);
	json_object_object_add(jc, "category", json_object_new_string(cat));
	json_object_object_add(jc, "assets",
			       json_object_new_int64((int64_t)nassets));
	if (cohort) {
		int64_t cells[2] = {r->near, r->far};
		int64_t people = r->near + r->far;
		enum core_privacy_mark marks[2];
		int hide_total = core_privacy_row(cells, 2, 1, marks);
		const char *row[6];

		/* a small count shows as "<11" whatever its mark */
		core_privacy_cell(people,
				  hide_total ? CORE_PRIVACY_COMPLEMENT
					     : CORE_PRIVACY_SHOW,
				  0, s_people, sizeof(s_people));
		if (core_privacy_is_small(people) || hide_total)
			snprintf(s_median, sizeof(s_median), "%s",
				 CORE_PRIVACY_HIDDEN_TEXT);
		else
			fmt_dist(r->median, u, s_median, sizeof(s_median));
		core_privacy_cell(cells[1], marks[1], 0, s_beyond,
				  sizeof(s_beyond));
		if (marks[0] != CORE_PRIVACY_SHOW ||
		    marks[1] != CORE_PRIVACY_SHOW || hide_total)
			snprintf(s_share, sizeof(s_share), "%s",
				 CORE_PRIVACY_HIDDEN_TEXT);
		else
			cli_format_share(
			    people ? (double)r->far / (double)people : NAN,
			    s_share, sizeof(s_share));
		row[0] = cat;
		row[1] = s_assets;
		row[2] = s_people;
		row[3] = s_median;
		row[4] = s_beyond;
		row[5] = s_share;
		cli_table_add(t, row);
		json_object_object_add(jc, "people",
				       json_object_new_string(s_people));
		json_object_object_add(jc, "median",
				       json_object_new_string(s_median));
		json_object_object_add(jc, "beyond",
				       json_object_new_string(s_beyond));
		json_object_object_add(jc, "share_beyond",
				       json_object_new_string(s_share));
	} else {
		const char *row[7];

		snprintf(s_areas, sizeof(s_areas), "%zu", r->nareas);
		snprintf(s_people, sizeof(s_people), "%.0f", r->pop);
		fmt_dist(r->median, u, s_median, sizeof(s_median));
		snprintf(s_beyond, sizeof(s_beyond), "%.0f", r->pop_far);
		cli_format_share(r->pop > 0 ? r->pop_far / r->pop : NAN,
				 s_share, sizeof(s_share));
		row[0] = cat;
		row[1] = s_assets;
		row[2] = s_areas;
		row[3] = s_people;
		row[4] = s_median;
		row[5] = s_beyond;
		row[6] = s_share;
		cli_table_add(t, row);
		json_object_object_add(
		    jc, "areas", json_object_new_int64((int64_t)r->nareas));
		json_object_object_add(jc, "population",
				       json_object_new_double(r->pop));
		json_object_object_add(jc, "median_m",
				       isfinite(r->median)
					   ? json_object_new_double(r->median)
					   : NULL);
		json_object_object_add(jc, "population_beyond",
				       json_object_new_double(r->pop_far));
	}
	json_object_array_add(jcats, jc);
}

/*
 * The run begun in the workspace, with what does not depend on the
 * queries: its results_info and, for a cohort, the member ids.  One
 * run, one transaction, committed by cli_run_commit.
 */
static int store_begin(struct cli_ctx *ctx, const struct cli_analysis *a,
		       const struct cli_inputs *in, double beyond,
		       struct cli_run *run)
{
	int rc;

	cli_analysis_cache(ctx, in->n);
	run->params = cli_analysis_params_json(a, "beyond_m", beyond);
	if ((rc = cli_run_begin(ctx, CMD, in->areas->n ? a->areas : NULL,
				a->cohort, run)) ||
	    (rc = core_result_writer_new(ctx->ws, run->id, &run->w,
					 &ctx->err)) ||
	    (rc = write_info(ctx->ws, run->id, a, beyond, &ctx->err)))
		return rc;
	if (a->cohort)
		rc = core_result_column_put(ctx->ws, run->id, "member_id", "i8",
					    in->n, in->members->id, &ctx->err);
	return rc;
}

/* The per-area values: the people (or population), then each
 * category's, in one pass in the table's key order. */
static int store_areas(struct cli_ctx *ctx, const struct cli_analysis *a,
		       const struct cli_inputs *in,
		       const struct geo_nearest *res, struct cli_run *run)
{
	static const char *const cohort_pre[3] = {"median_m_", "beyond_",
						  "share_beyond_"};
	static const char *const area_pre[2] = {"dist_m_", "asset_"};
	size_t ncols = 1 + a->ncats * res->nper, c, k;
	char **col_name = xcalloc(ncols, sizeof(char *));
	const double **col_val = xcalloc(ncols, sizeof(double *));
	int rc;

	col_name[0] = xstrdup(a->cohort ? "n" : "population");
	col_val[0] = res->area_n;
	for (c = 0; c < a->ncats; c++)
		for (k = 0; k < res->nper; k++) {
			size_t at = 1 + c * res->nper + k;

			col_name[at] = xasprintf(
			    "%s%s", a->cohort ? cohort_pre[k] : area_pre[k],
			    a->cats[c]);
			col_val[at] = res->cat[c].area_val[k];
		}
	rc = core_result_area_table_put(
	    run->w, in->areas->n, (const char *const *)in->areas->geoid, ncols,
	    (const char *const *)col_name, col_val, &ctx->err);
	for (k = 0; k < ncols; k++)
		free(col_name[k]);
	free(col_name);
	free(col_val);
	return rc;
}

/* The summary per category: the printed table and the run's summary. */
static struct cli_table *summary_new(const struct cli_analysis *a,
				     const struct cli_inputs *in,
				     const struct geo_nearest *res,
				     double beyond, struct cli_run *run)
{
	static const char *const cohort_cols[] = {
	    "category", "assets", "people", "median", "beyond", "share beyond"};
	static const char *const area_cols[] = {
	    "category",		 "assets",	"areas", "population", "median",
	    "population beyond", "share beyond"};
	char h_med[64], h_beyond[64], bs[32];
	const char *cols[7];
	json_object *jcats = json_object_new_array();
	struct cli_table *t;
	size_t c;

	core_units_format(beyond, a->units, bs, sizeof(bs));
	snprintf(h_med, sizeof(h_med), "median (%s)",
		 core_units_name(a->units));
	if (a->cohort) {
		memcpy(cols, cohort_cols, sizeof(cohort_cols));
		cols[3] = h_med;
		snprintf(h_beyond, sizeof(h_beyond), "beyond %s", bs);
		cols[4] = h_beyond;
		t = cli_table_new(6, cols, "snnnnn");
	} else {
		memcpy(cols, area_cols, sizeof(area_cols));
		cols[4] = h_med;
		snprintf(h_beyond, sizeof(h_beyond), "population beyond %s",
			 bs);
		cols[5] = h_beyond;
		t = cli_table_new(7, cols, "snnnnnn");
	}
	run->summary = json_object_new_object();
	json_object_object_add(run->summary, "beyond_m",
			       json_object_new_double(beyond));
	for (c = 0; c < a->ncats; c++)
		summary_row(t, jcats, a->cats[c], &res->cat[c],
			    a->cohort != NULL, in->supply[c].n, a->units);
	json_object_object_add(run->summary, "categories", jcats);
	json_object_object_add(
	    run->summary, "points",
	    json_object_new_string(cli_inputs_points_note(in)));
	return t;
}

int cmd_nearest(struct cli_ctx *ctx, int argc, char **argv)
{
	struct nearest_opts o;
	struct cli_inputs in;
	struct geo_nearest_in gin;
	struct geo_nearest *res = NULL;
	struct store_ctx sc;
	struct cli_run run = {0};
	struct cli_table *t = NULL;
	enum cli_format fmt = CLI_FMT_TABLE;
	int rc = CORE_OK;

	cli_analysis_init(&o.a);
	o.beyond.value = CORE_M_PER_MI;
	o.beyond.text = DEFAULT_BEYOND;
	memset(&in, 0, sizeof(in));
	/* parse and load */
	if ((rc = cli_opt_parse(ctx, CMD, cmd_nearest_options, &o, argc, argv,
				NULL)) ||
	    (rc = cli_analysis_prepare(ctx, CMD, &o.a, &fmt, &in)))
		goto cleanup;
	/* run, storing each category's answers as they come */
	if ((rc = store_begin(ctx, &o.a, &in, o.beyond.value, &run)))
		goto cleanup;
	cli_analysis_lap("prepare");
	memset(&gin, 0, sizeof(gin));
	gin.n = in.n;
	gin.x = in.x;
	gin.y = in.y;
	gin.area = o.a.cohort ? in.area : NULL;
	gin.population = in.areas->population;
	gin.nareas = in.areas->n;
	gin.ncats = o.a.ncats;
	gin.supply = in.supply;
	gin.beyond = o.beyond.value;
	sc.ws = ctx->ws;
	sc.run_id = run.id;
	sc.a = &o.a;
	sc.n = in.n;
	gin.each = store_members;
	gin.ctx = &sc;
	if ((rc = geo_nearest_run(&gin, &res, &ctx->err)) ||
	    (rc = store_areas(ctx, &o.a, &in, res, &run)))
		goto cleanup;
	cli_analysis_lap("queries and values");
	t = summary_new(&o.a, &in, res, o.beyond.value, &run);
	if ((rc = cli_run_commit(ctx, &run)))
		goto cleanup;
	cli_analysis_lap("commit");

	/* print: what was measured, then the table */
	cli_inputs_note(ctx, CMD, &o.a, &in);
	cli_note(
	    ctx,
	    "distances: straight lines in %s; beyond means farther than %s\n",
	    geo_proj_label(in.proj), o.beyond.text);
	cli_table_print(t, ctx->out, fmt);
	cli_run_stored_note(ctx, run.id);
cleanup:
	cli_run_release(ctx, &run);
	cli_table_free(t);
	geo_nearest_free(res);
	cli_inputs_release(&in);
	cli_analysis_release(&o.a);
	return rc;
}
