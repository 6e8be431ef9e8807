/*
 * cmd_deserts.c - assetmap deserts: the parts of the study area farther
 * than a distance from every asset of a category, as polygons stored
 * with the run, and the population and cohort inside them.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_analysis.h"
#include "cli/cli_gaps.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "cli/cli_travel.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_result.h"
#include "geo/geo_deserts.h"
#include "geo/geo_net.h"

#define CMD "deserts"

/* What the command line gives. */
struct deserts_opts {
	struct cli_analysis a;
	struct cli_travel t;
	struct cli_reach within; /* a distance or (on the network) a time */
	long top, segs;		 /* segs 0: the default of the mode */
};

#define O struct deserts_opts

const struct cli_opt cmd_deserts_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] deserts --category C --within D|T\n"
	"                [--by walk|bike|drive|line] [--snap D]\n"
	"                [--cohort NAME] [--areas LEVEL] [filters] [--top N]\n"
	"                [--units mi|km|m] [--format table|csv|json]\n"
	"\n"
	"Find the deserts of one category: the parts of the study area (the\n"
	"union of the areas of --areas, tracts by default; water-only areas "
	"left\n"
	"out) farther than D from every asset of the category that passes the\n"
	"filters.  Distances are straight lines in the workspace's analysis "
	"CRS.\n"
	"\n"
	"Each asset's reach is drawn as a polygon of 128 sides inscribed in "
	"its\n"
	"circle (99.96% of the circle's area; its edge at most 0.03% of D "
	"inside\n"
	"the circle), so desert areas are at most that much too large along "
	"the\n"
	"circles.  The population inside is found by areal weighting (each\n"
	"area's population times the share of its area in the desert).  A\n"
	"cohort of people is counted exactly: a person is in the desert when "
	"no\n"
	"asset is within D (an asset at exactly D is within); a cohort of\n"
	"counts per area is weighted like the population.\n"
	"\n"
	"Prints the whole desert and its largest connected pieces with their\n"
	"area, population, cohort and a point inside each; cohort counts of 1\n"
	"to 10 show as <11, and others are hidden where they would give one\n"
	"away.  The run stores per area desert_area_m2, desert_share,\n"
	"pop_in_desert and cohort_in_desert, and the desert polygons (WGS84)\n"
	"per area and per piece, for 'assetmap map' and 'assetmap export'.\n"
	"\n"
	"With --by walk, bike or drive the distance is door to door along the\n"
	"road network ('assetmap import roads'), and --within may be a time\n"
	"(--within 15min).  The reach is drawn from every point of the roads\n"
	"an asset can be reached from within T, widened by what is left of T\n"
	"at the access speed off the road (at most --snap), and the desert is\n"
	"the rest; people are counted by their own door-to-door time, and\n"
	"those farther than --snap from every road are reported, not placed.\n"
	"\n"),
    CLI_OPT_CALLBACK("within", 0, "D|T", O, within, cli_reach_opt,
		     "the distance, with its unit (500m, 2mi, 3km),\n"
		     "or with --by a time (15min); required"),
    CLI_OPT_INT("top", 0, "N", O, top, 0, 1000000,
		"pieces to list, largest first (default 10;\n"
		"0 lists only the total)"),
    CLI_OPT_INT("segments", 0, "N", O, segs, 2, 1024,
		"sides of a quarter circle (default 32; 8 with\n"
		"--by), 2 to 1024"),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_travel_options, O, t),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_analysis_options, O, a),
    CLI_OPT_TEXT("\n"
		 "The category: exactly one, with --category.\n"
		 "\n"
		 "examples:\n"
		 "  assetmap deserts --category food --within 1mi\n"
		 "  assetmap deserts --category primary_care --within 5km "
		 "--cohort asthma-kids --units km\n"
		 "  assetmap deserts --category food --by walk --within "
		 "15min\n"),
    CLI_OPT_END()};

#undef O

/* The options into o (defaults set here; release o->a whatever this
 * returns), --format into *fmt: usage errors. */
static int parse_opts(struct cli_ctx *ctx, int argc, char **argv,
		      struct deserts_opts *o, enum cli_format *fmt)
{
	int rc;

	cli_analysis_init(&o->a);
	cli_travel_init(&o->t);
	cli_reach_init(&o->within);
	o->top = 10;
	o->segs = 0;
	if ((rc = cli_opt_parse(ctx, CMD, cmd_deserts_options, o, argc, argv,
				NULL)))
		return rc;
	if (!cli_reach_given(&o->within))
		return cli_usage(ctx, CMD,
				 "--within D is required: the distance beyond "
				 "which a place is a desert (e.g. --within "
				 "1mi)");
	if ((rc = cli_travel_check(ctx, CMD, &o->t, "--within", &o->within)))
		return rc;
	if (!isnan(o->within.metres) && !isnan(o->within.seconds))
		return cli_usage(ctx, CMD,
				 "--within %s: give a time or a distance, not "
				 "both: a desert is beyond one of them",
				 o->within.text);
	if (o->segs == 0)
		o->segs = o->t.mode == GEO_MODE_LINE ? GEO_DESERT_QUAD_SEGS
						     : GEO_DESERT_NET_QUAD_SEGS;
	return cli_analysis_one_category(ctx, CMD, &o->a, fmt);
}

/* How many areas of the level the workspace holds (-1 on error). */
static int64_t count_areas(struct core_ws *ws, const char *level)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_prepare_v2(ws->db,
			       "SELECT count(*) FROM areas WHERE level = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, level, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Square metres in the user's unit squared. */
static double area_in(double m2, enum core_unit u)
{
	double f = core_units_from_m(1, u);

	return m2 * f * f;
}

static const char *area_unit(enum core_unit u)
{
	return u == CORE_UNIT_MI ? "sq mi" : u == CORE_UNIT_KM ? "km2" : "m2";
}

static void fmt_area(double m2, enum core_unit u, char *buf, size_t size)
{
	snprintf(buf, size, u == CORE_UNIT_M ? "%.0f" : "%.2f", area_in(m2, u));
}

static int64_t round_count(double v)
{
	return isnan(v) ? 0 : (int64_t)llround(v);
}

/* Everything one run of the command holds, from parse to print. */
struct deserts_job {
	struct deserts_opts o;
	struct cli_inputs in;
	int counts_cohort;	       /* the cohort holds counts per area */
	double *counts;		       /* [areas] such a cohort's counts */
	struct geo_deserts *d;	       /* the deserts found */
	int64_t *pc;		       /* [pieces + 1] cohort per piece */
	enum core_privacy_mark *marks; /* [pieces + 1] */
	int hide_total;		       /* the cohort total is hidden */
	struct geo_net *net;	       /* --by walk, bike, drive */
	struct cli_table *t;	       /* the summary table */
	struct cli_run run;
};

/* The study area's areas, the supply, the people (or the counts of a
 * counts cohort). */
static int load(struct cli_ctx *ctx, struct deserts_job *j)
{
	struct deserts_opts *o = &j->o;
	struct cli_inputs *in = &j->in;
	int rc;

	if (count_areas(ctx->ws, o->a.areas) == 0) {
		return core_err_set(
		    &ctx->err, CORE_ENOTFOUND,
		    "%s: workspace %s has no %s areas: the study "
		    "area is made of them; import them with "
		    "'assetmap import areas' (or choose --areas)",
		    CMD, ctx->ws->path, o->a.areas);
	}

	/* A cohort of counts per area is weighted like the population;
	 * one of people is counted person by person. */
	if ((rc = cli_inputs_load_counts(ctx, CMD, &o->a, in,
					 &j->counts_cohort)))
		return rc;
	if (in->areas->n == 0) {
		return core_err_set(
		    &ctx->err, CORE_ENOTFOUND,
		    "%s: workspace %s has no %s areas: the study area is made "
		    "of them; import them with 'assetmap import areas'",
		    CMD, ctx->ws->path, o->a.areas);
	}
	if (j->counts_cohort) {
		j->counts = xmalloc(in->areas->n * sizeof(double));
		if ((rc = geo_demand_load(ctx->ws, in->areas, o->a.cohort, NULL,
					  j->counts, &ctx->err)))
			return rc;
	}
	return CORE_OK;
}

/* The deserts, and the cohort per piece with its suppression. */
static int compute(struct cli_ctx *ctx, struct deserts_job *j)
{
	struct deserts_opts *o = &j->o;
	struct cli_inputs *in = &j->in;
	struct geo_deserts_in din;
	struct geo_deserts *d;
	size_t k;
	int rc;

	memset(&din, 0, sizeof(din));
	din.areas = in->areas;
	din.nassets = in->supply[0].n;
	din.ax = in->supply[0].x;
	din.ay = in->supply[0].y;
	din.within = cli_reach_value(&o->within);
	din.quad_segs = (int)o->segs;
	din.counts = j->counts;
	if (o->t.mode != GEO_MODE_LINE) {
		if ((rc = cli_travel_net(ctx, &o->t, in->proj, &j->net)))
			return rc;
		din.net = j->net;
		din.weight =
		    isnan(o->within.seconds) ? GEO_NET_LENGTH : GEO_NET_TIME;
		din.snap_m = o->t.snap_m;
	}
	if (in->members) {
		din.nmembers = in->members->n;
		din.mx = in->members->x;
		din.my = in->members->y;
		din.marea = in->members->area;
	}
	if ((rc = geo_deserts_compute(&din, &j->d, &ctx->err)))
		return rc;
	d = j->d;

	/* Cohort per piece, suppressed as one row with its total. */
	if (o->a.cohort) {
		j->pc = xcalloc(d->npieces + 1, sizeof(*j->pc));
		j->marks = xcalloc(d->npieces + 1, sizeof(*j->marks));
		for (k = 0; k < d->npieces; k++)
			j->pc[k] = round_count(d->pieces[k].cohort);
		j->hide_total =
		    core_privacy_row(j->pc, d->npieces, 1, j->marks);
	}

	return CORE_OK;
}

/* Begin the run and store its values per area and its polygons. */
static int store(struct cli_ctx *ctx, struct deserts_job *j)
{
	struct deserts_opts *o = &j->o;
	struct cli_inputs *in = &j->in;
	int rc;

	j->run.params = json_object_new_object();
	json_object_object_add(j->run.params, "category",
			       json_object_new_string(o->a.cats[0]));
	if (!isnan(o->within.metres))
		json_object_object_add(
		    j->run.params, "within_m",
		    json_object_new_double(o->within.metres));
	if (!isnan(o->within.seconds))
		json_object_object_add(
		    j->run.params, "within_s",
		    json_object_new_double(o->within.seconds));
	if (o->t.mode != GEO_MODE_LINE) {
		/* "by" says how: the maps and results say minutes walking */
		json_object_object_add(
		    j->run.params, "by",
		    json_object_new_string(geo_mode_name(o->t.mode)));
		json_object_object_add(j->run.params, "snap_m",
				       json_object_new_double(o->t.snap_m));
	}
	json_object_object_add(j->run.params, "areas",
			       json_object_new_string(o->a.areas));
	json_object_object_add(j->run.params, "quad_segs",
			       json_object_new_int((int)o->segs));
	if (o->a.cohort)
		json_object_object_add(j->run.params, "cohort",
				       json_object_new_string(o->a.cohort));
	cli_analysis_params(&o->a, j->run.params);
	if ((rc = cli_run_begin(ctx, CMD, o->a.areas, o->a.cohort, &j->run)))
		return rc;
	if (o->t.mode == GEO_MODE_LINE)
		return cli_deserts_store(
		    ctx, j->run.id, j->d, in->areas, in->proj, o->a.cats[0],
		    o->within.metres, o->a.units, o->a.cohort);
	{
		char rt[64];

		cli_reach_text(&o->within, o->t.mode, o->a.units, rt,
			       sizeof(rt));
		return cli_deserts_store_text(ctx, j->run.id, j->d, in->areas,
					      in->proj, o->a.cats[0], rt,
					      o->a.cohort);
	}
}

/* Piece k (0: the largest) into jpieces and, among the --top, into
 * j->t.  Fails only when its point cannot be projected back to WGS84. */
static int piece_row(struct cli_ctx *ctx, struct deserts_job *j, size_t k,
		     json_object *jpieces)
{
	const struct deserts_opts *o = &j->o;
	const struct cli_inputs *in = &j->in;
	const struct geo_deserts *d = j->d;
	const struct geo_desert_piece *p = &d->pieces[k];
	int have_cohort = o->a.cohort != NULL;
	json_object *jp;
	char s_rank[24], s_area[32], s_share[32], s_pp[32], s_c[32], s_na[24],
	    s_lat[32], s_lon[32];
	double lon = p->px, lat = p->py;
	const char *row[9];
	int c = 0;

	if (geo_proj_inv(in->proj, &lon, &lat, 1, &ctx->err))
		return ctx->err.code;
	snprintf(s_rank, sizeof(s_rank), "%zu", k + 1);
	fmt_area(p->area_m2, o->a.units, s_area, sizeof(s_area));
	cli_format_share(d->study_m2 > 0 ? p->area_m2 / d->study_m2 : NAN,
			 s_share, sizeof(s_share));
	snprintf(s_pp, sizeof(s_pp), "%.0f", p->pop);
	if (have_cohort)
		core_privacy_cell(j->pc[k], j->marks[k], 0, s_c, sizeof(s_c));
	snprintf(s_na, sizeof(s_na), "%zu", p->nareas);
	snprintf(s_lat, sizeof(s_lat), "%.5f", lat);
	snprintf(s_lon, sizeof(s_lon), "%.5f", lon);
	jp = json_object_new_object();
	json_object_object_add(jp, "rank",
			       json_object_new_int64((int64_t)k + 1));
	json_object_object_add(jp, "area_m2",
			       json_object_new_double(p->area_m2));
	json_object_object_add(jp, "population",
			       json_object_new_double(round(p->pop)));
	if (have_cohort)
		json_object_object_add(jp, "cohort",
				       json_object_new_string(s_c));
	json_object_object_add(jp, "areas",
			       json_object_new_int64((int64_t)p->nareas));
	json_object_object_add(
	    jp, "main_area",
	    json_object_new_string(in->areas->geoid[p->main_area]));
	json_object_object_add(jp, "lat",
			       json_object_new_double(round(lat * 1e5) / 1e5));
	json_object_object_add(jp, "lon",
			       json_object_new_double(round(lon * 1e5) / 1e5));
	json_object_array_add(jpieces, jp);
	if ((long)k >= o->top)
		return CORE_OK;
	row[c++] = s_rank;
	row[c++] = s_area;
	row[c++] = s_share;
	row[c++] = s_pp;
	if (have_cohort)
		row[c++] = s_c;
	row[c++] = s_na;
	row[c++] = in->areas->geoid[p->main_area];
	row[c++] = s_lat;
	row[c++] = s_lon;
	cli_table_add(j->t, row);
	return CORE_OK;
}

/*
 * The summary: j->t (the whole desert, then the --top largest pieces) and
 * j->run.summary (every piece).  Fails only when a point cannot be
 * projected back to WGS84.
 */
static int summarise(struct cli_ctx *ctx, struct deserts_job *j)
{
	struct deserts_opts *o = &j->o;
	struct cli_inputs *in = &j->in;
	struct geo_deserts *d = j->d;
	int have_cohort = o->a.cohort != NULL;
	size_t k;
	int rc;

	/* Summary: the whole desert, then its largest pieces. */
	{
		const char *cols[10];
		char h_area[32];
		int nc = 0;
		json_object *jpieces = json_object_new_array();
		char s_pop[32], s_coh[32];

		j->run.summary = json_object_new_object();
		json_object_object_add(j->run.summary, "pieces", jpieces);
		snprintf(h_area, sizeof(h_area), "area (%s)",
			 area_unit(o->a.units));
		cols[nc++] = "piece";
		cols[nc++] = h_area;
		cols[nc++] = "share of study area";
		cols[nc++] = "population";
		if (have_cohort)
			cols[nc++] = o->a.cohort;
		cols[nc++] = "areas";
		cols[nc++] = "main area";
		cols[nc++] = "lat";
		cols[nc++] = "lon";
		j->t = cli_table_new(nc, cols,
				     have_cohort ? "snnnnnsnn" : "snnnnsnn");

		json_object_object_add(j->run.summary, "category",
				       json_object_new_string(o->a.cats[0]));
		if (!isnan(o->within.metres))
			json_object_object_add(
			    j->run.summary, "within_m",
			    json_object_new_double(o->within.metres));
		if (!isnan(o->within.seconds))
			json_object_object_add(
			    j->run.summary, "within_s",
			    json_object_new_double(o->within.seconds));
		if (o->t.mode != GEO_MODE_LINE) {
			json_object_object_add(
			    j->run.summary, "by",
			    json_object_new_string(geo_mode_name(o->t.mode)));
			json_object_object_add(
			    j->run.summary, "assets_not_placed",
			    json_object_new_int64((int64_t)d->assets_unplaced));
			if (have_cohort && !j->counts) {
				char s_np[32];

				core_privacy_count((int64_t)d->members_unplaced,
						   s_np, sizeof(s_np));
				json_object_object_add(
				    j->run.summary, "cohort_not_placed",
				    json_object_new_string(s_np));
			}
		}
		json_object_object_add(
		    j->run.summary, "assets",
		    json_object_new_int64((int64_t)in->supply[0].n));
		json_object_object_add(j->run.summary, "study_area_m2",
				       json_object_new_double(d->study_m2));
		json_object_object_add(
		    j->run.summary, "desert_area_m2",
		    json_object_new_double(d->desert_total_m2));
		json_object_object_add(
		    j->run.summary, "population",
		    json_object_new_double(round(d->pop_total)));
		json_object_object_add(
		    j->run.summary, "population_in_desert",
		    json_object_new_double(round(d->pop_in_total)));
		json_object_object_add(
		    j->run.summary, "water_areas_left_out",
		    json_object_new_int64((int64_t)d->nwater));
		json_object_object_add(j->run.summary, "circle_sides",
				       json_object_new_int((int)(4 * o->segs)));
		snprintf(s_pop, sizeof(s_pop), "%.0f", d->pop_in_total);
		if (have_cohort) {
			int64_t tot = round_count(d->cohort_in_total);

			if (j->hide_total)
				snprintf(s_coh, sizeof(s_coh), "%s",
					 CORE_PRIVACY_HIDDEN_TEXT);
			else
				core_privacy_count(tot, s_coh, sizeof(s_coh));
			json_object_object_add(j->run.summary,
					       "cohort_in_desert",
					       json_object_new_string(s_coh));
		}
		{
			char s_area[32], s_share[32], s_n[32];
			const char *row[9];
			int c = 0;

			fmt_area(d->desert_total_m2, o->a.units, s_area,
				 sizeof(s_area));
			cli_format_share(d->study_m2 > 0
					     ? d->desert_total_m2 / d->study_m2
					     : NAN,
					 s_share, sizeof(s_share));
			snprintf(s_n, sizeof(s_n), "%zu", d->npieces);
			row[c++] = "all";
			row[c++] = s_area;
			row[c++] = s_share;
			row[c++] = s_pop;
			if (have_cohort)
				row[c++] = s_coh;
			row[c++] = NULL;
			row[c++] = NULL;
			row[c++] = NULL;
			row[c++] = NULL;
			cli_table_add(j->t, row);
		}
		for (k = 0; k < d->npieces; k++)
			if ((rc = piece_row(ctx, j, k, jpieces)))
				return rc;
	}
	return CORE_OK;
}

/* The notes on stderr saying what was measured and how. */
static void print_notes(struct cli_ctx *ctx, const struct deserts_job *j)
{
	const struct deserts_opts *o = &j->o;
	const struct cli_inputs *in = &j->in;
	const struct geo_deserts *d = j->d;
	int have_cohort = o->a.cohort != NULL;

	{
		char filt[256], ws_[64], s1[32], s2[32], num[32];

		cli_reach_text(&o->within, o->t.mode, o->a.units, ws_,
			       sizeof(ws_));
		geo_filter_describe(&o->a.filter, filt, sizeof(filt));
		fmt_area(d->study_m2, o->a.units, s1, sizeof(s1));
		fmt_area(d->desert_total_m2, o->a.units, s2, sizeof(s2));
		cli_note(ctx,
			 "deserts: %s %s of %s %s farther than %s from all %zu "
			 "%s assets%s%s\n",
			 s2, area_unit(o->a.units), s1, area_unit(o->a.units),
			 ws_, in->supply[0].n, o->a.cats[0],
			 filt[0] ? " with " : "", filt);
		cli_note(ctx, "study area: %zu %s areas", d->n - d->nwater,
			 o->a.areas);
		if (d->nwater)
			cli_note(ctx, " (%zu water-only left out)", d->nwater);
		cli_note(ctx,
			 "; population %.0f, of which %.0f in the desert "
			 "(areal weighting)\n",
			 d->pop_total, d->pop_in_total);
		if (have_cohort && !j->counts) {
			cli_note(
			    ctx,
			    "cohort %s: %s people in the study area; those in "
			    "the desert counted exactly by %s\n",
			    o->a.cohort,
			    core_privacy_count_grouped(
				round_count(d->cohort_total), num, sizeof(num)),
			    o->t.mode == GEO_MODE_LINE
				? "distance"
				: "their own door-to-door travel on the "
				  "network");
		} else if (have_cohort) {
			cli_note(ctx,
				 "cohort %s: counts per area, weighted by the "
				 "share of each area in the desert\n",
				 o->a.cohort);
		}
		if (o->t.mode != GEO_MODE_LINE) {
			char sn[32];

			core_units_format_short(o->t.snap_m, CORE_UNIT_KM, sn,
						sizeof(sn));
			if (d->assets_unplaced)
				cli_note(ctx,
					 "%zu %s assets not placed on the %s "
					 "network: farther than %s from a "
					 "road; left out\n",
					 d->assets_unplaced, o->a.cats[0],
					 geo_mode_verb(o->t.mode), sn);
			if (have_cohort && !j->counts && d->members_unplaced)
				cli_note(ctx,
					 "%s people not placed on the %s "
					 "network: farther than %s from a "
					 "road; in no desert count\n",
					 core_privacy_count_grouped(
					     (int64_t)d->members_unplaced, num,
					     sizeof(num)),
					 geo_mode_verb(o->t.mode), sn);
			cli_note(ctx,
				 "reach: %zu pieces of road within %s of an "
				 "asset (%zu left after pruning), each "
				 "widened by what is left of the %s off the "
				 "road (at most %s); places farther than %s "
				 "from every road are desert\n",
				 d->reach_pieces, ws_, d->reach_kept,
				 isnan(o->within.seconds) ? "distance" : "time",
				 sn, sn);
		}
		cli_note(ctx,
			 "circles drawn as %ld-sided polygons (%.2f%% of a "
			 "circle's area), in %s\n",
			 4 * o->segs,
			 100 * 4.0 * (double)o->segs *
			     sin(2 * M_PI / (4.0 * (double)o->segs)) /
			     (2 * M_PI),
			 geo_proj_label(in->proj));
	}
}

int cmd_deserts(struct cli_ctx *ctx, int argc, char **argv)
{
	struct deserts_job j;
	enum cli_format fmt = CLI_FMT_TABLE;
	int rc;

	memset(&j, 0, sizeof(j));
	if ((rc = parse_opts(ctx, argc, argv, &j.o, &fmt)) ||
	    (rc = load(ctx, &j)) || (rc = compute(ctx, &j)) ||
	    (rc = store(ctx, &j)) || (rc = summarise(ctx, &j)) ||
	    (rc = cli_run_commit(ctx, &j.run)))
		goto cleanup;
	print_notes(ctx, &j);
	cli_table_print(j.t, ctx->out, fmt);
	if ((size_t)j.o.top < j.d->npieces)
		cli_note(ctx, "%zu more pieces not listed (--top)\n",
			 j.d->npieces - (size_t)j.o.top);
	cli_run_stored_note(ctx, j.run.id);
cleanup:
	cli_run_release(ctx, &j.run);
	cli_table_free(j.t);
	geo_deserts_free(j.d);
	geo_net_free(j.net);
	free(j.counts);
	free(j.pc);
	free(j.marks);
	cli_inputs_release(&j.in);
	cli_analysis_release(&j.o.a);
	return rc;
}
