/*
 * cmd_sites.c - assetmap sites: where K new sites of a category would
 * reach the most people now farther than D from every existing one
 * (maximal covering location; geo_sites.h).
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
#include "core/core_area.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_result.h"
#include "geo/geo_net.h"
#include "geo/geo_sites.h"
#include "importers/imp_sites.h"

#define CMD "sites"

/* --method: the method and the name given, for the run's parameters. */
struct sites_method {
	enum geo_sites_method method;
	const char *name;
};

/* What the command line gives. */
struct sites_opts {
	struct cli_analysis a;
	struct cli_travel t;
	struct cli_reach within; /* a distance or (on the network) a time */
	long add;		 /* 0 until given */
	const char *cand_file;
	struct sites_method method;
};

/* --method auto|greedy|exact. */
static int method_opt(struct cli_ctx *ctx, const char *cmd,
		      const struct cli_opt *opt, const char *value,
		      void *target)
{
	struct sites_method *m = target;

	(void)opt;
	if (strcmp(value, "auto") == 0)
		m->method = GEO_SITES_AUTO;
	else if (strcmp(value, "greedy") == 0)
		m->method = GEO_SITES_GREEDY;
	else if (strcmp(value, "exact") == 0)
		m->method = GEO_SITES_EXACT;
	else
		return cli_usage(ctx, cmd,
				 "--method '%s': use auto, greedy or exact",
				 value);
	m->name = value;
	return CORE_OK;
}

#define O struct sites_opts

const struct cli_opt cmd_sites_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] sites --category C --within D|T --add "
	"K\n"
	"                [--by walk|bike|drive|line] [--snap D]\n"
	"                [--cohort NAME] [--candidates FILE] [--method M]\n"
	"                [--areas LEVEL] [filters] [--units mi|km|m]\n"
	"                [--format table|csv|json]\n"
	"\n"
	"Where would K new sites of a category reach the most people who are "
	"now\n"
	"farther than D from every existing site of it?  The people are a\n"
	"cohort's (--cohort), or without one the population of the areas, "
	"each\n"
	"area's at its point (population-weighted centroid of its block "
	"groups\n"
	"when the workspace has them, else its centroid).  A cohort of counts\n"
	"per area is placed at the area points too.  Distances are straight\n"
	"lines in the workspace's analysis CRS; a site at exactly D reaches.\n"
	"\n"
	"The candidates are the points of the areas (water-only and zero-\n"
	"population areas left out), or the places in --candidates FILE: a "
	"CSV\n"
	"with lat/lon (or latitude/longitude, y/x) columns, or any point file\n"
	"GDAL reads (GeoJSON, GPKG, SHP); a 'name' or 'id' column labels "
	"them.\n"
	"\n"
	"This is the maximal covering location problem.  With --method auto\n"
	"(default) the answer is exact when the candidates that reach anyone\n"
	"number at most K, or when their combinations of K number at most\n"
	"200,000 (every one is searched, pruned by a bound); otherwise "
	"greedy:\n"
	"each pick the site that reaches the most people not yet reached, "
	"which\n"
	"is always at least 63.2% (1 - 1/e) of the best possible, and the "
	"run\n"
	"says how much better the best could be at most.  Each pick is listed\n"
	"with how many people it newly reaches; cohort counts of 1 to 10 show\n"
	"as <11, and running totals after one are hidden.\n"
	"\n"
	"With --by walk, bike or drive, reach is door to door along the road\n"
	"network ('assetmap import roads') and --within may be a time\n"
	"(--within 20min): a person is within reach of a site when their own\n"
	"trip to it takes at most that long.  People, sites and candidates\n"
	"farther than --snap from every road are reported, not placed.\n"
	"\n"),
    CLI_OPT_CALLBACK("within", 0, "D|T", O, within, cli_reach_opt,
		     "the distance, with its unit (500m, 2mi, 3km),\n"
		     "or with --by a time (20min); required"),
    CLI_OPT_INT("add", 0, "K", O, add, 1, 1000,
		"how many sites to add, 1 to 1000; required"),
    CLI_OPT_STRING("candidates", 0, "FILE", O, cand_file,
		   "possible sites (default: the areas' points)"),
    CLI_OPT_CALLBACK("method", 0, "M", O, method, method_opt,
		     "auto (default), greedy or exact (exact whatever\n"
		     "the size: may take long)"),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_travel_options, O, t),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_analysis_options, O, a),
    CLI_OPT_TEXT("\n"
		 "The category: exactly one, with --category.\n"
		 "\n"
		 "examples:\n"
		 "  assetmap sites --category food --within 1mi --add 3\n"
		 "  assetmap sites --category primary_care --within 5km --add "
		 "2 --cohort asthma-kids\n"
		 "  assetmap sites --category food --within 1mi --add 2 "
		 "--candidates lots.csv\n"
		 "  assetmap sites --category food --by walk --within 20min "
		 "--add 2\n"),
    CLI_OPT_END()};

#undef O

/* One run of the command, from its options to its printed table. */
struct sites {
	struct sites_opts o;
	enum cli_format fmt;
	struct cli_inputs in;
	int cohort_people; /* the people are a cohort's members */
	int weighted;	   /* the area points are population-weighted */
	double *weight;	   /* [areas] demand at the area points, or NULL
			      when the people are members */
	struct geo_sites_cands cs;
	struct geo_net *net; /* --by walk, bike, drive */
	struct geo_sites *s;
	struct cli_run run;
	/* what may be published of a cohort's counts (NULL: no cohort) */
	enum core_privacy_mark marks_split[2]; /* already in reach, out */
	enum core_privacy_mark *marks_gain;    /* [npicks + 1] */
	int hide_people;		       /* the total */
	size_t first_hidden; /* running totals from this pick on hidden */
	struct cli_table *t;
	/* the summary's counts, as published */
	char s_unc[32], s_tot[32], s_bound[32], s_cov[32];
};

/* A count of people as printed: suppressed for a cohort. */
static void fmt_people(double v, int cohort, int hidden, char *buf, size_t size)
{
	if (hidden)
		snprintf(buf, size, "%s", CORE_PRIVACY_HIDDEN_TEXT);
	else if (cohort)
		core_privacy_count((int64_t)llround(v), buf, size);
	else
		snprintf(buf, size, "%.0f", v);
}

/* The options into x->o (release x->o.a whatever this returns);
 * --within and --add are required and --category must name one. */
static int sites_parse(struct cli_ctx *ctx, int argc, char **argv,
		       struct sites *x)
{
	int rc;

	cli_analysis_init(&x->o.a);
	cli_travel_init(&x->o.t);
	cli_reach_init(&x->o.within);
	x->o.method.method = GEO_SITES_AUTO;
	x->o.method.name = "auto";
	if ((rc = cli_opt_parse(ctx, CMD, cmd_sites_options, &x->o, argc, argv,
				NULL)))
		return rc;
	if (!cli_reach_given(&x->o.within))
		return cli_usage(ctx, CMD,
				 "--within D is required: how far a site "
				 "reaches (e.g. --within 1mi)");
	if ((rc =
		 cli_travel_check(ctx, CMD, &x->o.t, "--within", &x->o.within)))
		return rc;
	if (!isnan(x->o.within.metres) && !isnan(x->o.within.seconds))
		return cli_usage(ctx, CMD,
				 "--within %s: give a time or a distance, not "
				 "both: a site reaches by one of them",
				 x->o.within.text);
	if (x->o.add == 0)
		return cli_usage(ctx, CMD,
				 "--add K is required: how many sites to add "
				 "(e.g. --add 3)");
	return cli_analysis_one_category(ctx, CMD, &x->o.a, &x->fmt);
}

/* The people (members, or demand at the area points) and the
 * candidates (the file's, or the area points). */
static int sites_load(struct cli_ctx *ctx, struct sites *x)
{
	struct cli_inputs *in = &x->in;
	double *px = NULL, *py = NULL;
	const double *ax, *ay;
	int rc, counts_cohort = 0;
	size_t i;

	if ((rc =
		 cli_inputs_load_counts(ctx, CMD, &x->o.a, in, &counts_cohort)))
		return rc;
	x->cohort_people = x->o.a.cohort && !counts_cohort;
	if (!x->cohort_people) {
		/* demand at the area points: population or counts */
		x->weight = xmalloc((in->areas->n + 1) * sizeof(double));
		if (x->o.a.cohort) {
			if ((rc = geo_demand_load(ctx->ws, in->areas,
						  x->o.a.cohort, NULL,
						  x->weight, &ctx->err)))
				return rc;
		} else {
			for (i = 0; i < in->areas->n; i++)
				x->weight[i] = in->areas->population[i];
		}
	}

	if (x->o.cand_file) {
		if ((rc = imp_sites_read(x->o.cand_file, &x->cs, &ctx->err))) {
			core_err_prefix(&ctx->err, "%s: --candidates ", CMD);
			return rc;
		}
		if ((rc = geo_sites_cands_project(&x->cs, in->proj, &ctx->err)))
			core_err_prefix(&ctx->err,
					"--candidates %s: ", x->o.cand_file);
		return rc;
	}
	if (in->areas->n == 0)
		return core_err_set(
		    &ctx->err, CORE_ENOTFOUND,
		    "%s: workspace %s has no %s areas to take candidate sites "
		    "from; import them with 'assetmap import areas' or give "
		    "--candidates FILE",
		    CMD, ctx->ws->path, x->o.a.areas);
	if (x->cohort_people) {
		px = xmalloc(in->areas->n * sizeof(double));
		py = xmalloc(in->areas->n * sizeof(double));
		rc = geo_area_points(ctx->ws, in->areas, in->proj, px, py,
				     &x->weighted, &ctx->err);
		ax = px;
		ay = py;
	} else {
		ax = in->x;
		ay = in->y;
		x->weighted = in->weighted;
	}
	if (rc == CORE_OK)
		rc = geo_sites_cands_from_areas(&x->cs, in->areas, ax, ay,
						in->proj, &ctx->err);
	free(px);
	free(py);
	return rc;
}

static int sites_solve(struct sites *x, struct core_err *err)
{
	struct geo_sites_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.ndemand = x->in.n;
	sin.dx = x->in.x;
	sin.dy = x->in.y;
	sin.dw = x->weight;
	sin.nassets = x->in.supply[0].n;
	sin.ax = x->in.supply[0].x;
	sin.ay = x->in.supply[0].y;
	sin.ncand = x->cs.n;
	sin.cx = x->cs.x;
	sin.cy = x->cs.y;
	sin.within = cli_reach_value(&x->o.within);
	sin.k = (size_t)x->o.add;
	sin.method = x->o.method.method;
	sin.net = x->net;
	sin.weight = isnan(x->o.within.seconds) ? GEO_NET_LENGTH : GEO_NET_TIME;
	sin.snap_m = x->o.t.snap_m;
	return geo_sites_solve(&sin, &x->s, err);
}

/*
 * What of a cohort's counts may be published.  Its people split twice,
 * each split published with its total: everyone = already within reach
 * + out of reach, and out of reach = the picks' gains + those still out
 * of reach.  Each split is one row of complementary suppression, and a
 * running total after a hidden gain would give it away.
 */
static void sites_marks(struct sites *x)
{
	const struct geo_sites *s = x->s;
	int64_t split[2];
	int64_t *cells;
	size_t i;

	x->marks_split[0] = x->marks_split[1] = CORE_PRIVACY_SHOW;
	x->first_hidden = s->npicks;
	if (!x->o.a.cohort)
		return;
	cells = xcalloc(s->npicks + 1, sizeof(int64_t));
	x->marks_gain = xcalloc(s->npicks + 1, sizeof(*x->marks_gain));
	split[0] = llround(s->total) - llround(s->uncovered);
	split[1] = llround(s->uncovered);
	x->hide_people = core_privacy_row(split, 2, 1, x->marks_split);
	for (i = 0; i < s->npicks; i++)
		cells[i] = llround(s->gain[i]);
	cells[s->npicks] = llround(s->uncovered) - llround(s->covered);
	if (core_privacy_row(cells, s->npicks + 1,
			     x->marks_split[1] == CORE_PRIVACY_SHOW,
			     x->marks_gain) &&
	    x->marks_split[1] == CORE_PRIVACY_SHOW)
		x->marks_split[1] = CORE_PRIVACY_COMPLEMENT;
	free(cells);
	for (i = 0; i < s->npicks; i++)
		if (x->marks_gain[i] != CORE_PRIVACY_SHOW) {
			x->first_hidden = i;
			break;
		}
}

/* The run begun, with its parameters and the meaning of its values. */
static int store_begin(struct cli_ctx *ctx, struct sites *x)
{
	const struct cli_analysis *a = &x->o.a;
	char buf[256], ws_[64];
	int rc;

	x->run.params = json_object_new_object();
	json_object_object_add(x->run.params, "category",
			       json_object_new_string(a->cats[0]));
	if (!isnan(x->o.within.metres))
		json_object_object_add(
		    x->run.params, "within_m",
		    json_object_new_double(x->o.within.metres));
	if (!isnan(x->o.within.seconds))
		json_object_object_add(
		    x->run.params, "within_s",
		    json_object_new_double(x->o.within.seconds));
	if (x->o.t.mode != GEO_MODE_LINE) {
		/* "by" says how: the maps and results say minutes walking */
		json_object_object_add(
		    x->run.params, "by",
		    json_object_new_string(geo_mode_name(x->o.t.mode)));
		json_object_object_add(x->run.params, "snap_m",
				       json_object_new_double(x->o.t.snap_m));
	}
	json_object_object_add(x->run.params, "add",
			       json_object_new_int64(x->o.add));
	json_object_object_add(x->run.params, "method",
			       json_object_new_string(x->o.method.name));
	json_object_object_add(x->run.params, "areas",
			       json_object_new_string(a->areas));
	if (x->o.cand_file)
		json_object_object_add(x->run.params, "candidates",
				       json_object_new_string(x->o.cand_file));
	if (a->cohort)
		json_object_object_add(x->run.params, "cohort",
				       json_object_new_string(a->cohort));
	if (a->where)
		json_object_object_add(x->run.params, "where",
				       json_object_new_string(a->where));
	cli_filter_params(&a->filter, x->run.params);
	if ((rc = cli_run_begin(ctx, CMD, x->in.areas->n ? a->areas : NULL,
				a->cohort, &x->run)))
		return rc;
	cli_reach_text(&x->o.within, x->o.t.mode, x->o.a.units, ws_,
		       sizeof(ws_));
	snprintf(buf, sizeof(buf),
		 "%s farther than %s from %s that a new site here would reach",
		 a->cohort ? "People" : "Population", ws_, a->cats[0]);
	if ((rc = core_result_info_add(ctx->ws, x->run.id, "reach",
				       a->cohort ? CORE_RK_COHORT_COUNT
						 : CORE_RK_POPULATION,
				       NULL, buf, 1, &ctx->err)) ||
	    (rc = core_result_info_add(ctx->ws, x->run.id, "pick", CORE_RK_RANK,
				       NULL, "New site: order picked", 2,
				       &ctx->err)))
		return rc;
	return core_result_writer_new(ctx->ws, x->run.id, &x->run.w, &ctx->err);
}

/* Each candidate's reach alone and its pick (NaN: not picked); for
 * members, the pick that first reaches each one. */
static int store_values(struct cli_ctx *ctx, struct sites *x)
{
	const struct geo_sites *s = x->s;
	double *rank = xmalloc((x->cs.n + 1) * sizeof(double));
	int64_t *col = NULL;
	size_t i;
	int rc = CORE_OK;

	for (i = 0; i < x->cs.n; i++)
		rank[i] = NAN;
	for (i = 0; i < s->npicks; i++)
		rank[s->pick[i]] = (double)(i + 1);
	for (i = 0; i < x->cs.n && rc == CORE_OK; i++) {
		rc = core_result_area_put(x->run.w, x->cs.label[i], "reach",
					  round(s->solo[i]), &ctx->err);
		if (rc == CORE_OK)
			rc = core_result_area_put(x->run.w, x->cs.label[i],
						  "pick", rank[i], &ctx->err);
	}
	free(rank);
	if (rc == CORE_OK && x->cohort_people) {
		char name[160];

		col = xmalloc((x->in.n + 1) * sizeof(int64_t));
		for (i = 0; i < x->in.n; i++)
			col[i] = s->first[i];
		snprintf(name, sizeof(name), "site_%s", x->o.a.cats[0]);
		if ((rc = core_result_column_put(
			 ctx->ws, x->run.id, "member_id", "i8", x->in.n,
			 x->in.members->id, &ctx->err)) == CORE_OK)
			rc = core_result_column_put(ctx->ws, x->run.id, name,
						    "i8", x->in.n, col,
						    &ctx->err);
	}
	free(col);
	return rc;
}

/* The picks: the table and the summary's "picks". */
static void picks_table(struct sites *x)
{
	static const char *const cols[] = {"pick",
					   "site",
					   "name",
					   "lat",
					   "lon",
					   "newly reached",
					   "reached so far",
					   "share of those out of reach"};
	const struct geo_sites *s = x->s;
	const struct geo_sites_cands *cs = &x->cs;
	int cohort = x->o.a.cohort != NULL;
	json_object *jpicks = json_object_new_array();
	size_t i;

	x->t = cli_table_new(8, cols, "nssnnnnn");
	json_object_object_add(x->run.summary, "picks", jpicks);
	json_object_object_add(
	    x->run.summary, "method",
	    json_object_new_string(s->exact ? "exact" : "greedy"));
	for (i = 0; i < s->npicks; i++) {
		size_t j = s->pick[i];
		char s_rank[24], s_lat[32], s_lon[32], s_gain[32], s_cum[32],
		    s_share[32];
		const char *row[8];
		json_object *jp = json_object_new_object();
		int hidden = i >= x->first_hidden;

		snprintf(s_rank, sizeof(s_rank), "%zu", i + 1);
		snprintf(s_lat, sizeof(s_lat), "%.5f", cs->lat[j]);
		snprintf(s_lon, sizeof(s_lon), "%.5f", cs->lon[j]);
		if (x->marks_gain)
			core_privacy_cell(llround(s->gain[i]), x->marks_gain[i],
					  0, s_gain, sizeof(s_gain));
		else
			fmt_people(s->gain[i], cohort, 0, s_gain,
				   sizeof(s_gain));
		fmt_people(s->cum[i], cohort, hidden, s_cum, sizeof(s_cum));
		/* a share of a hidden whole gives the whole away */
		if (x->marks_split[1] != CORE_PRIVACY_SHOW)
			hidden = 1;
		if (hidden || !(s->uncovered > 0))
			snprintf(s_share, sizeof(s_share), "%s",
				 hidden ? CORE_PRIVACY_HIDDEN_TEXT : "-");
		else
			snprintf(s_share, sizeof(s_share), "%.1f%%",
				 100 * s->cum[i] / s->uncovered);
		row[0] = s_rank;
		row[1] = cs->label[j];
		row[2] = cs->name[j];
		row[3] = s_lat;
		row[4] = s_lon;
		row[5] = s_gain;
		row[6] = s_cum;
		row[7] = s_share;
		cli_table_add(x->t, row);
		json_object_object_add(jp, "rank",
				       json_object_new_int64((int64_t)i + 1));
		json_object_object_add(jp, "site",
				       json_object_new_string(cs->label[j]));
		json_object_object_add(
		    jp, "lat",
		    json_object_new_double(round(cs->lat[j] * 1e5) / 1e5));
		json_object_object_add(
		    jp, "lon",
		    json_object_new_double(round(cs->lon[j] * 1e5) / 1e5));
		if (cohort) {
			json_object_object_add(jp, "newly_reached",
					       json_object_new_string(s_gain));
			json_object_object_add(jp, "reached_so_far",
					       json_object_new_string(s_cum));
		} else {
			json_object_object_add(
			    jp, "newly_reached",
			    json_object_new_double(round(s->gain[i])));
			json_object_object_add(
			    jp, "reached_so_far",
			    json_object_new_double(round(s->cum[i])));
		}
		json_object_array_add(jpicks, jp);
	}
}

/* The summary's counts, as published, into x->s_* and the run's
 * summary. */
static void summary_counts(struct sites *x)
{
	const struct geo_sites *s = x->s;
	json_object *sum = x->run.summary;
	int cohort = x->o.a.cohort != NULL;
	int hidden = x->first_hidden < s->npicks;

	if (cohort)
		core_privacy_cell(llround(s->uncovered), x->marks_split[1], 0,
				  x->s_unc, sizeof(x->s_unc));
	else
		fmt_people(s->uncovered, cohort, 0, x->s_unc, sizeof(x->s_unc));
	fmt_people(s->total, cohort, x->hide_people, x->s_tot,
		   sizeof(x->s_tot));
	/* "exact" says the bound is what the picks reach */
	fmt_people(s->bound, cohort, hidden, x->s_bound, sizeof(x->s_bound));
	fmt_people(s->covered, cohort, hidden, x->s_cov, sizeof(x->s_cov));
	json_object_object_add(sum, "people", json_object_new_string(x->s_tot));
	json_object_object_add(sum, "out_of_reach",
			       json_object_new_string(x->s_unc));
	json_object_object_add(sum, "reached",
			       json_object_new_string(x->s_cov));
	json_object_object_add(sum, "best_possible_at_most",
			       json_object_new_string(x->s_bound));
	json_object_object_add(sum, "candidates",
			       json_object_new_int64((int64_t)x->cs.n));
	json_object_object_add(sum, "candidates_reaching_anyone",
			       json_object_new_int64((int64_t)s->useful));
	json_object_object_add(sum, "combinations",
			       json_object_new_double(s->combinations));
	if (x->net) {
		char np[32];

		if (cohort)
			core_privacy_count(x->cohort_people
					       ? (int64_t)s->unplaced
					       : llround(s->unplaced_w),
					   np, sizeof(np));
		else
			snprintf(np, sizeof(np), "%.0f", s->unplaced_w);
		json_object_object_add(
		    sum, "by",
		    json_object_new_string(geo_mode_name(x->o.t.mode)));
		json_object_object_add(sum, "not_placed",
				       json_object_new_string(np));
		json_object_object_add(
		    sum, "assets_not_placed",
		    json_object_new_int64((int64_t)s->assets_unplaced));
		json_object_object_add(
		    sum, "candidates_not_placed",
		    json_object_new_int64((int64_t)s->cand_unplaced));
	}
}

/* The notes: who is out of reach, the candidates, how the picks were
 * found. */
static void print_notes(struct cli_ctx *ctx, const struct sites *x)
{
	const struct geo_sites *s = x->s;
	const struct cli_analysis *a = &x->o.a;
	char ws_[64], filt[256];

	cli_reach_text(&x->o.within, x->o.t.mode, x->o.a.units, ws_,
		       sizeof(ws_));
	geo_filter_describe(&a->filter, filt, sizeof(filt));
	cli_note(
	    ctx,
	    "sites: %s of %s %s farther than %s from all %zu %s "
	    "assets%s%s\n",
	    x->s_unc, x->s_tot,
	    a->cohort ? (x->cohort_people ? "people"
					  : "people (counts at area points)")
		      : "residents (population at area points)",
	    ws_, x->in.supply[0].n, a->cats[0], filt[0] ? " with " : "", filt);
	cli_note(ctx, "candidates: %zu %s; %zu reach anyone out of reach\n",
		 x->cs.n,
		 x->o.cand_file ? x->o.cand_file
		 : x->weighted	? "area points (population-weighted "
				  "centroids; water-only and unpopulated "
				  "areas left out)"
				: "area points (centroids; water-only and "
				  "unpopulated areas left out)",
		 s->useful);
	if (s->exact && s->nodes == 0)
		cli_note(ctx, "exact: the best possible (the greedy picks "
			      "reach the upper bound)\n");
	else if (s->exact)
		cli_note(ctx,
			 "exact: the best possible (%.0f combination%s of the "
			 "candidates that reach anyone, searched with "
			 "pruning: %zu looked at)\n",
			 s->combinations, s->combinations == 1 ? "" : "s",
			 s->nodes);
	else if (x->o.method.method == GEO_SITES_GREEDY)
		cli_note(ctx,
			 "greedy (--method greedy): at least 63.2%% (1 - 1/e) "
			 "of the best possible, which reaches at most %s\n",
			 x->s_bound);
	else
		cli_note(ctx,
			 "greedy: at least 63.2%% (1 - 1/e) of the best "
			 "possible, which reaches at most %s (%.0f "
			 "combinations: too many to search; --method exact "
			 "to insist)\n",
			 x->s_bound, s->combinations);
	if (x->net) {
		char sn[32], num[32];
		const char *verb = geo_mode_verb(x->o.t.mode);

		core_units_format_short(x->o.t.snap_m, CORE_UNIT_KM, sn,
					sizeof(sn));
		if (s->unplaced)
			cli_note(ctx,
				 "%s %s not placed on the %s network: farther "
				 "than %s from a road; left out\n",
				 a->cohort ? core_privacy_count_grouped(
						 x->cohort_people
						     ? (int64_t)s->unplaced
						     : llround(s->unplaced_w),
						 num, sizeof(num))
					   : (snprintf(num, sizeof(num), "%.0f",
						       s->unplaced_w),
					      num),
				 x->cohort_people ? "people"
				 : a->cohort ? "people (counts at area points)"
					     : "residents (population at area "
					       "points)",
				 verb, sn);
		if (s->assets_unplaced)
			cli_note(ctx,
				 "%zu %s assets not placed on the %s network: "
				 "farther than %s from a road; they reach no "
				 "one\n",
				 s->assets_unplaced, a->cats[0], verb, sn);
		if (s->cand_unplaced)
			cli_note(ctx,
				 "%zu candidates not placed on the %s network: "
				 "farther than %s from a road; they reach no "
				 "one\n",
				 s->cand_unplaced, verb, sn);
	}
	if (x->s->npicks < (size_t)x->o.add)
		cli_note(ctx,
			 "only %zu site%s add anyone: the rest would reach no "
			 "one new\n",
			 s->npicks, s->npicks == 1 ? "" : "s");
}

int cmd_sites(struct cli_ctx *ctx, int argc, char **argv)
{
	struct sites x;
	int rc;

	memset(&x, 0, sizeof(x));
	x.fmt = CLI_FMT_TABLE;
	if ((rc = sites_parse(ctx, argc, argv, &x)) ||
	    (rc = sites_load(ctx, &x)) ||
	    (rc = cli_travel_net(ctx, &x.o.t, x.in.proj, &x.net)) ||
	    (rc = sites_solve(&x, &ctx->err)))
		goto cleanup;
	sites_marks(&x);
	if ((rc = store_begin(ctx, &x)) || (rc = store_values(ctx, &x)))
		goto cleanup;
	x.run.summary = json_object_new_object();
	picks_table(&x);
	summary_counts(&x);
	if ((rc = cli_run_commit(ctx, &x.run)))
		goto cleanup;
	print_notes(ctx, &x);
	cli_table_print(x.t, ctx->out, x.fmt);
	cli_run_stored_note(ctx, x.run.id);
cleanup:
	free(x.marks_gain);
	cli_run_release(ctx, &x.run);
	cli_table_free(x.t);
	geo_sites_free(x.s);
	geo_net_free(x.net);
	geo_sites_cands_release(&x.cs);
	free(x.weight);
	cli_inputs_release(&x.in);
	cli_analysis_release(&x.o.a);
	return rc;
}
