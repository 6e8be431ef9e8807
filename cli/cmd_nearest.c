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
#include "cli/cli_travel.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_result.h"
#include "geo/geo_nearest.h"

#define CMD	       "nearest"
#define DEFAULT_BEYOND "1mi"

/* What the command line gives. */
struct nearest_opts {
	struct cli_analysis a;
	struct cli_travel t;
	struct cli_reach beyond; /* metres and/or seconds, and the text */
};

#define O struct nearest_opts

const struct cli_opt cmd_nearest_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] nearest [--cohort NAME] [--areas "
	"LEVEL]\n"
	"                [--category C[,C...]] [--beyond D|T] [filters]\n"
	"                [--by walk|bike|drive|line] [--snap D]\n"
	"                [--units mi|km|m] [--format table|csv|json]\n"
	"\n"
	"The distance from each person of a cohort to the nearest asset of "
	"each\n"
	"category, and which asset that is; or, without --cohort, from each\n"
	"area's point (the population-weighted centroid of its block groups\n"
	"when the workspace has block-group population, else its geometric\n"
	"centroid; the output says which).  Distances are straight lines in "
	"the\n"
	"workspace's analysis CRS; with --by walk, bike or drive they are "
	"times\n"
	"along the road network ('assetmap import roads'), door to door, in\n"
	"minutes, with the network distance of the fastest way.\n"
	"\n"
	"Each person's distances stay inside the workspace (never printed or\n"
	"exported).  Per area it stores the people (n), the median distance "
	"and\n"
	"how many live beyond --beyond D, and prints per category the people,\n"
	"the median distance and the share beyond D.  Counts of 1 to 10 "
	"people\n"
	"show as <11.  With --by, the medians are minutes, and people farther\n"
	"than --snap from every road the mode may use are counted "
	"(not_placed)\n"
	"and left out of the figures.  The run is stored for 'assetmap\n"
	"results', 'map' and 'export'.\n"
	"\n"),
    CLI_OPT_CALLBACK("beyond", 0, "D|T", O, beyond, cli_reach_opt,
		     "the distance that counts as far, with its unit\n"
		     "(500m, 2mi, 3km; default " DEFAULT_BEYOND ", the USDA's\n"
		     "urban food-access distance); with --by, a time\n"
		     "(20min) or both (1mi|20min: far when neither is\n"
		     "met), the distance along the network"),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_travel_options, O, t),
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
		 "km\n"
		 "  assetmap nearest --cohort asthma-kids --category food "
		 "--by walk \\\n"
		 "      --beyond 20min\n"),
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

/* Seconds as minutes ("12.5"); "-" for NaN, "unreachable" for +inf. */
static void fmt_min(double secs, char *buf, size_t size)
{
	if (isnan(secs))
		snprintf(buf, size, "-");
	else if (isinf(secs))
		snprintf(buf, size, "unreachable");
	else
		snprintf(buf, size, "%.1f", secs / 60);
}

/* A threshold for a header: "1.00 mi", "20 min", or both joined by
 * conj ("1.00 mi and 20 min"). */
static void reach_label(const struct cli_reach *r, enum core_unit u,
			const char *conj, char *buf, size_t size)
{
	char d[32] = "", t[32] = "";

	if (!isnan(r->metres))
		core_units_format(r->metres, u, d, sizeof(d));
	if (!isnan(r->seconds))
		snprintf(t, sizeof(t), "%g min", r->seconds / 60);
	snprintf(buf, size, "%s%s%s", d, d[0] && t[0] ? conj : "", t);
}

/* Where a category's answers go: each person's distance and asset, as
 * member columns of the run. */
struct store_ctx {
	struct core_ws *ws;
	int64_t run_id;
	const struct cli_analysis *a;
	enum geo_mode mode; /* GEO_MODE_LINE: straight lines */
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
	if (sc->mode != GEO_MODE_LINE) {
		/* minutes (+inf: unreachable; NaN: not placed), metres */
		double *min = xmalloc((sc->n ? sc->n : 1) * sizeof(double));
		const char *mn = geo_mode_name(sc->mode);
		size_t i;

		for (i = 0; i < sc->n; i++)
			min[i] = r->secs[i] / 60;
		snprintf(name, sizeof(name), "%s_min_%s", mn, sc->a->cats[c]);
		rc = core_result_column_put(sc->ws, sc->run_id, name, "f8",
					    sc->n, min, err);
		free(min);
		snprintf(name, sizeof(name), "%s_m_%s", mn, sc->a->cats[c]);
		if (rc ||
		    (rc = core_result_column_put(sc->ws, sc->run_id, name, "f8",
						 sc->n, r->metres, err)))
			return rc;
		snprintf(name, sizeof(name), "asset_%s", sc->a->cats[c]);
		return core_result_column_put(sc->ws, sc->run_id, name, "i8",
					      sc->n, r->asset, err);
	}
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

/* The same on the network: minutes and network metres, and the people
 * (or areas) not placed. */
static int write_info_net(struct core_ws *ws, int64_t run_id,
			  const struct cli_analysis *a, enum geo_mode mode,
			  const struct cli_reach *beyond, struct core_err *err)
{
	const char *mn = geo_mode_name(mode), *verb = geo_mode_verb(mode);
	char bs[80], l0[256];
	size_t c;
	int rc;

	reach_label(beyond, a->units, " and ", bs, sizeof(bs));
	if (a->cohort) {
		snprintf(l0, sizeof(l0), "People not placed on the %s network",
			 verb);
		if ((rc = core_result_info_add(
			 ws, run_id, "n", CORE_RK_COHORT_COUNT, NULL,
			 "People placed on the network", 0, err)) ||
		    (rc = core_result_info_add(ws, run_id, "not_placed",
					       CORE_RK_COHORT_COUNT, NULL, l0,
					       (int)(3 * a->ncats + 1), err)))
			return rc;
	} else if ((rc = core_result_info_add(ws, run_id, "population",
					      CORE_RK_POPULATION, NULL,
					      "Population", 0, err))) {
		return rc;
	}
	for (c = 0; c < a->ncats; c++) {
		char n1[160], n2[160], n3[160], l1[256], l2[256], l3[256];
		char basis[200];
		const char *cat = a->cats[c];

		if (a->cohort) {
			snprintf(n1, sizeof(n1), "median_%s_min_%s", mn, cat);
			snprintf(l1, sizeof(l1), "Median minutes %s to %s",
				 verb, cat);
			snprintf(n2, sizeof(n2), "beyond_%s", cat);
			snprintf(l2, sizeof(l2), "People beyond %s %s of %s",
				 bs, verb, cat);
			snprintf(n3, sizeof(n3), "share_beyond_%s", cat);
			snprintf(l3, sizeof(l3), "Share beyond %s %s of %s", bs,
				 verb, cat);
			snprintf(basis, sizeof(basis), "beyond_%s,n", cat);
			if ((rc = core_result_info_add(
				 ws, run_id, n1, CORE_RK_COHORT_STAT, "n", l1,
				 (int)(3 * c + 1), err)) ||
			    (rc = core_result_info_add(
				 ws, run_id, n2, CORE_RK_COHORT_COUNT, NULL, l2,
				 (int)(3 * c + 2), err)) ||
			    (rc = core_result_info_add(
				 ws, run_id, n3, CORE_RK_COHORT_STAT, basis, l3,
				 (int)(3 * c + 3), err)))
				return rc;
		} else {
			snprintf(n1, sizeof(n1), "%s_min_%s", mn, cat);
			snprintf(l1, sizeof(l1), "Minutes %s to nearest %s",
				 verb, cat);
			snprintf(n2, sizeof(n2), "asset_%s", cat);
			snprintf(l2, sizeof(l2), "Nearest %s (asset id)", cat);
			snprintf(n3, sizeof(n3), "%s_m_%s", mn, cat);
			snprintf(l3, sizeof(l3),
				 "Network distance %s to nearest %s (m)", verb,
				 cat);
			if ((rc = core_result_info_add(
				 ws, run_id, n1, CORE_RK_VALUE, NULL, l1,
				 (int)(3 * c + 1), err)) ||
			    (rc = core_result_info_add(
				 ws, run_id, n2, CORE_RK_ID, NULL, l2,
				 (int)(3 * c + 2), err)) ||
			    (rc = core_result_info_add(
				 ws, run_id, n3, CORE_RK_DISTANCE, NULL, l3,
				 (int)(3 * c + 3), err)))
				return rc;
		}
	}
	return CORE_OK;
}

/* One row of the printed summary, and its JSON. */
static void summary_row(struct cli_table *t, json_object *jcats,
			const char *cat, const struct geo_nearest_cat *r,
			int cohort, size_t nassets, enum core_unit u, int net)
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
		else if (net && nassets)
			fmt_min(r->median, s_median, sizeof(s_median));
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
		if (net && nassets)
			fmt_min(r->median, s_median, sizeof(s_median));
		else
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
		if (net)
			json_object_object_add(
			    jc, "median_min",
			    isfinite(r->median)
				? json_object_new_double(r->median / 60)
				: NULL);
		else
			json_object_object_add(
			    jc, "median_m",
			    isfinite(r->median)
				? json_object_new_double(r->median)
				: NULL);
		json_object_object_add(jc, "population_beyond",
				       json_object_new_double(r->pop_far));
	}
	if (net)
		json_object_object_add(
		    jc, "assets_not_placed",
		    json_object_new_int64((int64_t)r->src_unplaced));
	json_object_array_add(jcats, jc);
}

/*
 * The run begun in the workspace, with what does not depend on the
 * queries: its results_info and, for a cohort, the member ids.  One
 * run, one transaction, committed by cli_run_commit.
 */
static int store_begin(struct cli_ctx *ctx, const struct nearest_opts *o,
		       const struct cli_inputs *in, struct cli_run *run)
{
	const struct cli_analysis *a = &o->a;
	int net = o->t.mode != GEO_MODE_LINE, rc;

	cli_analysis_cache(ctx, in->n);
	run->params = cli_analysis_params_json(a, "beyond_m", o->beyond.metres);
	if (net) {
		/* "by" says how: the maps and results say minutes walking */
		if (isnan(o->beyond.metres))
			json_object_object_del(run->params, "beyond_m");
		if (!isnan(o->beyond.seconds))
			json_object_object_add(
			    run->params, "beyond_s",
			    json_object_new_double(o->beyond.seconds));
		json_object_object_add(
		    run->params, "by",
		    json_object_new_string(geo_mode_name(o->t.mode)));
		json_object_object_add(run->params, "snap_m",
				       json_object_new_double(o->t.snap_m));
	}
	if ((rc = cli_run_begin(ctx, CMD, in->areas->n ? a->areas : NULL,
				a->cohort, run)) ||
	    (rc = core_result_writer_new(ctx->ws, run->id, &run->w,
					 &ctx->err)) ||
	    (rc = net ? write_info_net(ctx->ws, run->id, a, o->t.mode,
				       &o->beyond, &ctx->err)
		      : write_info(ctx->ws, run->id, a, o->beyond.metres,
				   &ctx->err)))
		return rc;
	if (a->cohort)
		rc = core_result_column_put(ctx->ws, run->id, "member_id", "i8",
					    in->n, in->members->id, &ctx->err);
	return rc;
}

/* The per-area values: the people (or population), then each
 * category's, in one pass in the table's key order.  On the network the
 * seconds are stored as minutes, and people not placed per area. */
static int store_areas(struct cli_ctx *ctx, const struct nearest_opts *o,
		       const struct cli_inputs *in,
		       const struct geo_nearest *res, struct cli_run *run)
{
	static const char *const cohort_pre[3] = {"median_m_", "beyond_",
						  "share_beyond_"};
	static const char *const area_pre[2] = {"dist_m_", "asset_"};
	const struct cli_analysis *a = &o->a;
	const char *mn = geo_mode_name(o->t.mode);
	int net = o->t.mode != GEO_MODE_LINE;
	size_t ncols = 1 + a->ncats * res->nper + (net && a->cohort), c, k,
	       na = in->areas->n, i;
	char **col_name = xcalloc(ncols, sizeof(char *));
	const double **col_val = xcalloc(ncols, sizeof(double *));
	double **mins = xcalloc(a->ncats ? a->ncats : 1, sizeof(double *));
	int rc;

	col_name[0] = xstrdup(a->cohort ? "n" : "population");
	col_val[0] = res->area_n;
	for (c = 0; c < a->ncats; c++)
		for (k = 0; k < res->nper; k++) {
			size_t at = 1 + c * res->nper + k;

			col_val[at] = res->cat[c].area_val[k];
			if (!net) {
				col_name[at] = xasprintf(
				    "%s%s",
				    a->cohort ? cohort_pre[k] : area_pre[k],
				    a->cats[c]);
				continue;
			}
			if (k == 0) {
				mins[c] =
				    xmalloc((na ? na : 1) * sizeof(double));
				for (i = 0; i < na; i++)
					mins[c][i] =
					    res->cat[c].area_val[0][i] / 60;
				col_val[at] = mins[c];
				col_name[at] =
				    a->cohort ? xasprintf("median_%s_min_%s",
							  mn, a->cats[c])
					      : xasprintf("%s_min_%s", mn,
							  a->cats[c]);
			} else if (a->cohort) {
				col_name[at] = xasprintf("%s%s", cohort_pre[k],
							 a->cats[c]);
			} else {
				col_name[at] =
				    k == 1
					? xasprintf("asset_%s", a->cats[c])
					: xasprintf("%s_m_%s", mn, a->cats[c]);
			}
		}
	if (net && a->cohort) {
		col_name[ncols - 1] = xstrdup("not_placed");
		col_val[ncols - 1] = res->area_unplaced;
	}
	rc = core_result_area_table_put(
	    run->w, in->areas->n, (const char *const *)in->areas->geoid, ncols,
	    (const char *const *)col_name, col_val, &ctx->err);
	for (k = 0; k < ncols; k++)
		free(col_name[k]);
	for (c = 0; c < a->ncats; c++)
		free(mins[c]);
	free(mins);
	free(col_name);
	free(col_val);
	return rc;
}

/* The summary per category: the printed table and the run's summary. */
static struct cli_table *summary_new(const struct nearest_opts *o,
				     const struct cli_inputs *in,
				     const struct geo_nearest *res,
				     struct cli_run *run)
{
	static const char *const cohort_cols[] = {
	    "category", "assets", "people", "median", "beyond", "share beyond"};
	static const char *const area_cols[] = {
	    "category",		 "assets",	"areas", "population", "median",
	    "population beyond", "share beyond"};
	const struct cli_analysis *a = &o->a;
	int net = o->t.mode != GEO_MODE_LINE;
	char h_med[64], h_beyond[128], bs[80];
	const char *cols[7];
	json_object *jcats = json_object_new_array();
	struct cli_table *t;
	size_t c;

	if (net)
		reach_label(&o->beyond, a->units, " and ", bs, sizeof(bs));
	else
		core_units_format(o->beyond.metres, a->units, bs, sizeof(bs));
	if (net)
		snprintf(h_med, sizeof(h_med), "median (min)");
	else
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
	if (!isnan(o->beyond.metres))
		json_object_object_add(
		    run->summary, "beyond_m",
		    json_object_new_double(o->beyond.metres));
	if (net) {
		char buf[24];

		if (!isnan(o->beyond.seconds))
			json_object_object_add(
			    run->summary, "beyond_s",
			    json_object_new_double(o->beyond.seconds));
		json_object_object_add(
		    run->summary, "by",
		    json_object_new_string(geo_mode_name(o->t.mode)));
		/* a count of people: suppressed as every other */
		if (a->cohort)
			json_object_object_add(
			    run->summary, "not_placed",
			    json_object_new_string(core_privacy_count(
				(int64_t)res->unplaced, buf, sizeof(buf))));
		else
			json_object_object_add(
			    run->summary, "areas_not_placed",
			    json_object_new_int64((int64_t)res->unplaced));
	}
	for (c = 0; c < a->ncats; c++)
		summary_row(t, jcats, a->cats[c], &res->cat[c],
			    a->cohort != NULL, in->supply[c].n, a->units, net);
	json_object_object_add(run->summary, "categories", jcats);
	json_object_object_add(
	    run->summary, "points",
	    json_object_new_string(cli_inputs_points_note(in)));
	return t;
}

/* On the network: say who and what was not placed on it, and how far
 * the snap reached. */
static void note_unplaced(struct cli_ctx *ctx, const struct nearest_opts *o,
			  const struct cli_inputs *in,
			  const struct geo_nearest *res)
{
	const char *verb = geo_mode_verb(o->t.mode);
	char buf[32];
	size_t c;

	if (res->unplaced && o->a.cohort)
		cli_note(ctx,
			 "%s: %s %s not placed on the %s network: farther "
			 "than %s from a road (left out of the figures)\n",
			 CMD,
			 core_privacy_count_grouped((int64_t)res->unplaced, buf,
						    sizeof(buf)),
			 "people", verb, o->t.snap_text);
	else if (res->unplaced)
		cli_note(ctx,
			 "%s: %zu area%s (population %.0f) not placed on the "
			 "%s network: farther than %s from a road (left out "
			 "of the figures)\n",
			 CMD, res->unplaced, res->unplaced == 1 ? "" : "s",
			 res->pop_unplaced, verb, o->t.snap_text);
	for (c = 0; c < o->a.ncats; c++)
		if (res->cat[c].src_unplaced)
			cli_note(ctx,
				 "%s: %s: %zu of %zu assets not placed on the "
				 "%s network: farther than %s from a road "
				 "(left out)\n",
				 CMD, o->a.cats[c], res->cat[c].src_unplaced,
				 in->supply[c].n, verb, o->t.snap_text);
}

/* The reach of --beyond in prose, for the note: "20min", "1mi or
 * 20min". */
static void beyond_prose(const struct cli_reach *r, char *buf, size_t size)
{
	const char *bar = strchr(r->text, '|');

	if (bar)
		snprintf(buf, size, "%.*s or %s", (int)(bar - r->text), r->text,
			 bar + 1);
	else
		snprintf(buf, size, "%s", r->text);
}

int cmd_nearest(struct cli_ctx *ctx, int argc, char **argv)
{
	struct nearest_opts o;
	struct cli_inputs in;
	struct geo_nearest_in gin;
	struct geo_nearest *res = NULL;
	struct geo_net *net = NULL;
	struct store_ctx sc;
	struct cli_run run = {0};
	struct cli_table *t = NULL;
	enum cli_format fmt = CLI_FMT_TABLE;
	int rc = CORE_OK;

	cli_analysis_init(&o.a);
	cli_travel_init(&o.t);
	cli_reach_init(&o.beyond);
	o.beyond.metres = CORE_M_PER_MI;
	o.beyond.text = DEFAULT_BEYOND;
	memset(&in, 0, sizeof(in));
	/* parse and load */
	if ((rc = cli_opt_parse(ctx, CMD, cmd_nearest_options, &o, argc, argv,
				NULL)) ||
	    (rc = cli_travel_check(ctx, CMD, &o.t, "--beyond", &o.beyond)) ||
	    (rc = cli_analysis_prepare(ctx, CMD, &o.a, &fmt, &in)) ||
	    (rc = cli_travel_net(ctx, &o.t, in.proj, &net)))
		goto cleanup;
	/* run, storing each category's answers as they come */
	if ((rc = store_begin(ctx, &o, &in, &run)))
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
	gin.beyond = o.beyond.metres;
	gin.net = net;
	gin.snap_m = o.t.snap_m;
	gin.beyond_s = o.beyond.seconds;
	sc.ws = ctx->ws;
	sc.run_id = run.id;
	sc.a = &o.a;
	sc.mode = o.t.mode;
	sc.n = in.n;
	gin.each = store_members;
	gin.ctx = &sc;
	if ((rc = geo_nearest_run(&gin, &res, &ctx->err)) ||
	    (rc = store_areas(ctx, &o, &in, res, &run)))
		goto cleanup;
	cli_analysis_lap("queries and values");
	t = summary_new(&o, &in, res, &run);
	if ((rc = cli_run_commit(ctx, &run)))
		goto cleanup;
	cli_analysis_lap("commit");

	/* print: what was measured, then the table */
	cli_inputs_note(ctx, CMD, &o.a, &in);
	if (net) {
		char prose[160];

		beyond_prose(&o.beyond, prose, sizeof(prose));
		note_unplaced(ctx, &o, &in, res);
		cli_note(ctx,
			 "times: %s along the road network, door to door; "
			 "beyond means not within %s\n",
			 geo_mode_verb(o.t.mode), prose);
	} else {
		cli_note(ctx,
			 "distances: straight lines in %s; beyond means "
			 "farther than %s\n",
			 geo_proj_label(in.proj), o.beyond.text);
	}
	cli_table_print(t, ctx->out, fmt);
	cli_run_stored_note(ctx, run.id);
cleanup:
	cli_run_release(ctx, &run);
	cli_table_free(t);
	geo_nearest_free(res);
	geo_net_free(net);
	cli_inputs_release(&in);
	cli_analysis_release(&o.a);
	return rc;
}
