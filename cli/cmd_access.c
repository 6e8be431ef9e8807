/*
 * cmd_access.c - assetmap access: floating catchment access scores per
 * area (2SFCA, E2SFCA, 3SFCA, BFCA), stored as a run.  Also the access
 * options and computation `gaps` shares (cli_access.h).
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_access.h"
#include "cli/cli_analysis.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "core/core_dict.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_result.h"
#include "core/core_units.h"
#include "geo/geo_access.h"
#include "geo/geo_gaps.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"
#include "geo/geo_median.h"
#include "geo/geo_proj.h"

/* What the command line gives. */
struct access_cmd_opts {
	struct cli_analysis a;
	struct cli_access_opts o;
	long top;
};

#define O struct access_cmd_opts

const struct cli_opt cmd_access_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] access [--method "
	"2sfca|e2sfca|3sfca|bfca]\n"
	"                [--catchment D|T] [--decay step|gaussian|gravity]\n"
	"                [--by walk|bike|drive|line] [--snap D]\n"
	"                [--category C[,C...]] [--cohort NAME | "
	"--demand-indicator "
	"NAME]\n"
	"                [--normalize] [--top N] [supply filters] [--format "
	"F]\n"
	"\n"
	"Floating catchment area access scores per area: how much of a "
	"category's\n"
	"capacity (1 per asset where unknown) each area's people can reach "
	"within\n"
	"the catchment, once shared with everyone else who can reach it.  The\n"
	"formulas are PySAL access's:\n"
	"  2sfca   R_j = S_j / sum of the demand within the catchment of asset "
	"j,\n"
	"          A_i = sum of R_j over the assets within the catchment of "
	"area "
	"i\n"
	"          (a strict cutoff; a point exactly at the catchment is "
	"inside)\n"
	"  e2sfca  the same with the catchment split in thirds weighted 1, "
	"0.68\n"
	"          and 0.22 in both steps (--weights to change them)\n"
	"  3sfca   each area's demand spread over the assets it reaches by\n"
	"          selection weights G_ij = W_ij / sum_k W_ik (Wan et al. "
	"2012)\n"
	"  bfca    balanced (Paez et al. 2019): each area's demand is split "
	"over\n"
	"          the assets it reaches, so sum of score x demand = the "
	"capacity\n"
	"          reached: scores are capacity per person\n"
	"  --decay gaussian uses Dai's Gaussian (1 at 0, 0 at the catchment),\n"
	"  gravity (d/catchment)^-beta; with 2sfca that is the generalised "
	"2SFCA.\n"
	"\n"
	"Demand is each area's population ('import indicators --population'),\n"
	"the members of --cohort NAME in it (or a counts cohort's counts), an\n"
	"indicator (--demand-indicator NAME), or the population times one\n"
	"('population*NAME'; / 100 for a percentage such as ACS's).  Each "
	"area\n"
	"is a point: the population-weighted centroid of its block groups "
	"when\n"
	"the workspace has block groups with population, else its centroid\n"
	"(said which).  Water-only and zero-population areas keep their score\n"
	"but are left out of the summary and of --top.\n"
	"\n"
	"With --by walk, bike or drive, d_ij is the trip along the road "
	"network\n"
	"('assetmap import roads') from the area's point to the asset, door "
	"to\n"
	"door, in minutes (--catchment 20min) or network miles (--catchment "
	"3mi);\n"
	"area points or assets farther than --snap from a road are reported "
	"and\n"
	"left out (their areas get no score).\n"
	"\n"
	"Stores a run (per area: score_<category>, demand) for 'results', "
	"'map'\n"
	"and 'export'.\n"
	"\n"
	"options:\n"),
    CLI_OPT_INT("top", 0, "N", O, top, 0, 1000000,
		"also list the N areas with the lowest access"),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_access_options, O, o),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_travel_options, O, o.t),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_access_analysis_options, O, a),
    CLI_OPT_TEXT(
	"\n"
	"examples:\n"
	"  assetmap access --category food\n"
	"  assetmap access --by drive --catchment 20min --category "
	"primary_care\n"
	"  assetmap access --by walk --catchment 1mi --method bfca --category "
	"food\n"
	"  assetmap access --method e2sfca --catchment 5mi --category "
	"primary_care\n"
	"  assetmap access --category behavioral_health --language es \\\n"
	"      --demand-indicator 'population*limited_english' --normalize\n"),
    CLI_OPT_END()};

#undef O

/* ---- shared options ------------------------------------------------------ */

/* --demand-indicator population*NAME: the population times indicator NAME */
#define POP_TIMES "population*"

/* The gravity floor: 100 m (geo_access_params_init), or a minute when
 * the catchment is a time. */
#define ACCESS_MIN_DIST_DEFAULT 100.0
#define ACCESS_MIN_TIME_DEFAULT 60.0

void cli_access_opts_init(struct cli_access_opts *o)
{
	memset(o, 0, sizeof(*o));
	geo_access_params_init(&o->p);
	cli_travel_init(&o->t);
}

static int parse_num(const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return end != s && !*end && isfinite(*v);
}

/* The access options' parsers: into a struct cli_access_opts (target is
 * the record's member; ACCESS_OF finds the struct), each counting itself
 * in o->given. */
#define ACCESS_OF(target, member)                                              \
	((struct cli_access_opts *)(void *)((char *)(target)-offsetof(         \
	    struct cli_access_opts, member)))

static int method_opt(struct cli_ctx *ctx, const char *cmd,
		      const struct cli_opt *opt, const char *arg, void *target)
{
	struct cli_access_opts *o = ACCESS_OF(target, p.method);

	(void)opt;
	if (geo_access_method_parse(arg, &o->p.method))
		return cli_usage(ctx, cmd,
				 "--method: '%s' is not a method; give 2sfca, "
				 "e2sfca, 3sfca or bfca",
				 arg);
	o->given++;
	return CORE_OK;
}

static int decay_opt(struct cli_ctx *ctx, const char *cmd,
		     const struct cli_opt *opt, const char *arg, void *target)
{
	struct cli_access_opts *o = ACCESS_OF(target, p.decay);

	(void)opt;
	if (geo_access_decay_parse(arg, &o->p.decay))
		return cli_usage(ctx, cmd,
				 "--decay: '%s' is not a decay; give step, "
				 "gaussian or gravity",
				 arg);
	o->given++;
	return CORE_OK;
}

/*
 * --catchment and --min-distance: a distance above 0 into *v (metres),
 * or a time above 0 (seconds, *is_time set; whether a time fits the
 * travel mode is cli_access_check's).  A value that is neither gets the
 * distance parser's message, as before times were taken.
 */
static int positive_distance(struct cli_ctx *ctx, const char *cmd,
			     const struct cli_opt *opt, const char *arg,
			     double *v, int *is_time)
{
	struct core_err e = CORE_ERR_INIT, te = CORE_ERR_INIT;
	char name[64];

	snprintf(name, sizeof(name), "--%s", opt->name);
	*is_time = 0;
	if (core_units_parse_distance(arg, name, v, &e)) {
		if (core_units_parse_time(arg, name, v, &te))
			return cli_usage(ctx, cmd, "%s", e.msg);
		*is_time = 1;
	}
	if (!(*v > 0))
		return cli_usage(ctx, cmd, "%s must be more than 0", name);
	return CORE_OK;
}

static int catchment_opt(struct cli_ctx *ctx, const char *cmd,
			 const struct cli_opt *opt, const char *arg,
			 void *target)
{
	struct cli_access_opts *o = ACCESS_OF(target, p.catchment);
	int rc = positive_distance(ctx, cmd, opt, arg, &o->p.catchment,
				   &o->catchment_time);

	if (rc == CORE_OK) {
		o->catchment_text = arg;
		o->given++;
		/* the gravity floor's default follows the catchment's kind */
		if (!o->min_dist_given)
			o->p.min_dist = o->catchment_time
					    ? ACCESS_MIN_TIME_DEFAULT
					    : ACCESS_MIN_DIST_DEFAULT;
	}
	return rc;
}

static int min_dist_opt(struct cli_ctx *ctx, const char *cmd,
			const struct cli_opt *opt, const char *arg,
			void *target)
{
	struct cli_access_opts *o = ACCESS_OF(target, p.min_dist);
	int rc = positive_distance(ctx, cmd, opt, arg, &o->p.min_dist,
				   &o->min_dist_time);

	if (rc == CORE_OK) {
		o->min_dist_given = 1;
		o->given++;
	}
	return rc;
}

static int weights_opt(struct cli_ctx *ctx, const char *cmd,
		       const struct cli_opt *opt, const char *arg, void *target)
{
	struct cli_access_opts *o = ACCESS_OF(target, p.zone_w);
	const char *s = arg;
	char *end;
	double v;
	int k;

	(void)opt;
	for (k = 0; k < 3; k++) {
		v = strtod(s, &end);
		if (end == s || !isfinite(v) || v < 0 ||
		    (k < 2 && *end != ',') || (k == 2 && *end))
			return cli_usage(
			    ctx, cmd,
			    "--weights: '%s' is not three numbers >= 0 "
			    "separated by commas (e.g. 1,0.68,0.22)",
			    arg);
		o->p.zone_w[k] = v;
		s = end + 1;
	}
	o->weights_given = 1;
	o->given++;
	return CORE_OK;
}

static int beta_opt(struct cli_ctx *ctx, const char *cmd,
		    const struct cli_opt *opt, const char *arg, void *target)
{
	struct cli_access_opts *o = ACCESS_OF(target, p.beta);
	double v;

	(void)opt;
	if (!parse_num(arg, &v) || !(v > 0))
		return cli_usage(ctx, cmd,
				 "--beta: '%s' is not a number above 0", arg);
	o->p.beta = v;
	o->beta_given = 1;
	o->given++;
	return CORE_OK;
}

static int normalize_opt(struct cli_ctx *ctx, const char *cmd,
			 const struct cli_opt *opt, const char *arg,
			 void *target)
{
	struct cli_access_opts *o = ACCESS_OF(target, p.normalize);

	(void)ctx;
	(void)cmd;
	(void)opt;
	(void)arg;
	o->p.normalize = 1;
	o->given++;
	return CORE_OK;
}

static int demand_opt(struct cli_ctx *ctx, const char *cmd,
		      const struct cli_opt *opt, const char *arg, void *target)
{
	struct cli_access_opts *o = ACCESS_OF(target, demand_indicator);

	(void)opt;
	if (!*arg)
		return cli_usage(
		    ctx, cmd, "--demand-indicator needs an indicator's name");
	if (strncasecmp(arg, POP_TIMES, strlen(POP_TIMES)) == 0 &&
	    !arg[strlen(POP_TIMES)])
		return cli_usage(ctx, cmd,
				 "--demand-indicator: '%s' names no indicator "
				 "after '*' (e.g. population*lep_spanish)",
				 arg);
	o->demand_indicator = arg;
	o->given++;
	return CORE_OK;
}

#define X struct cli_access_opts

const struct cli_opt cli_access_options[] = {
    CLI_OPT_TEXT("access:\n"),
    CLI_OPT_CALLBACK("method", 0, "M", X, p.method, method_opt,
		     "2sfca (default), e2sfca, 3sfca or bfca"),
    CLI_OPT_CALLBACK("catchment", 0, "D", X, p.catchment, catchment_opt,
		     "how far people go, with a unit (default 10km;\n"
		     "a time such as 20min with --by walk|bike|drive)"),
    CLI_OPT_CALLBACK("decay", 0, "F", X, p.decay, decay_opt,
		     "step (default), gaussian or gravity"),
    CLI_OPT_CALLBACK("weights", 0, "W1,W2,W3", X, p.zone_w, weights_opt,
		     "e2sfca/3sfca step weights for the nearest, middle\n"
		     "and farthest third of the catchment (default\n"
		     "1,0.68,0.22)"),
    CLI_OPT_CALLBACK("beta", 0, "B", X, p.beta, beta_opt,
		     "gravity: weight (d/catchment)^-B (default 1)"),
    CLI_OPT_CALLBACK("min-distance", 0, "D", X, p.min_dist, min_dist_opt,
		     "gravity: nearer than D counts as D (default 100m;\n"
		     "a time when the catchment is one: default 1min)"),
    CLI_OPT_FULL(CLI_OPT_KIND_CALLBACK, "normalize", 0, NULL, X, p.normalize,
		 "divide by the demand-weighted mean: 1 = average",
		 CLI_OPT_NOARG, NULL, NULL, 0, 0, 0, NULL, normalize_opt),
    CLI_OPT_CALLBACK("demand-indicator", 0, "NAME", X, demand_indicator,
		     demand_opt,
		     "demand = this indicator per area instead of the\n"
		     "population (e.g. limited-English Spanish speakers\n"
		     "imported from ACS); with --language this gives\n"
		     "language-concordant access"),
    CLI_OPT_END()};

#undef X

const struct cli_opt cli_access_analysis_options[] = {
    CLI_OPT_TEXT("who and what:\n"),
    CLI_OPT_HELP("--areas LEVEL", 0,
		 "areas: tract (default), blockgroup, county, zcta,\n"
		 "state"),
    CLI_OPT_HELP("--category C[,C...]", 0,
		 "asset categories (default: every category with\n"
		 "assets; 'assetmap categories' lists the codes)"),
    CLI_OPT_HELP("--cohort NAME", 0,
		 "a cohort as the people (a point or counts cohort)"),
    CLI_OPT_HELP("--where KEY=VALUE", 0,
		 "only cohort members whose attribute KEY is VALUE"),
    CLI_OPT_TEXT("\nwhich assets count (combined with 'and'):\n"),
    CLI_OPT_HELP("--language CODE", 0,
		 "assets listing this language (es, or Spanish)"),
    CLI_OPT_HELP("--medi-cal", 0, "assets that accept Medi-Cal"),
    CLI_OPT_HELP("--program CODE", 0,
		 "assets offering this Medi-Cal Community Support"),
    CLI_OPT_HELP("--open weekday|evening", CLI_OPT_SAMELINE,
		 "open on a weekday / at or after 17:00"),
    CLI_OPT_HELP("--min-capacity N", 0,
		 "capacity at least N (unknown does not count)"),
    CLI_OPT_HELP("--formal, --informal", 0, "imported only / hand-added only"),
    CLI_OPT_HELP("--partners current|prospective|any", 0,
		 "partners of that status in the register (any:\n"
		 "current or prospective)"),
    CLI_OPT_TEXT("\noutput:\n"),
    CLI_OPT_HELP("--units mi|km|m", 0,
		 "distances in miles (default), km or metres"),
    CLI_OPT_HELP("--format table|csv|json", 0, NULL),
    /* the group itself, at the same base (a struct cli_analysis) */
    {CLI_OPT_KIND_INCLUDE, NULL, 0, NULL, 0, NULL, CLI_OPT_HIDDEN, NULL, NULL,
     0, 0, 0, NULL, cli_analysis_options, NULL},
    CLI_OPT_END()};

int cli_access_check(struct cli_ctx *ctx, const char *cmd,
		     const struct cli_access_opts *o,
		     const struct cli_analysis *a)
{
	if (o->weights_given && (o->p.decay != GEO_DECAY_STEP ||
				 (o->p.method != GEO_ACCESS_E2SFCA &&
				  o->p.method != GEO_ACCESS_3SFCA)))
		return cli_usage(ctx, cmd,
				 "--weights applies to --method e2sfca or "
				 "3sfca with the step decay");
	if ((o->beta_given || o->min_dist_given) &&
	    o->p.decay != GEO_DECAY_GRAVITY)
		return cli_usage(
		    ctx, cmd,
		    "--beta and --min-distance apply to --decay gravity");
	if (o->demand_indicator && a->cohort && !o->demand_population)
		return cli_usage(ctx, cmd,
				 "give either --cohort or --demand-indicator "
				 "as the demand, not both");
	if (a->where && !a->cohort)
		return cli_usage(ctx, cmd, "--where needs --cohort");
	if (o->catchment_time) {
		struct cli_reach r;

		cli_reach_init(&r);
		r.seconds = o->p.catchment;
		r.text = o->catchment_text;
		if (cli_travel_check(ctx, cmd, &o->t, "--catchment", &r))
			return CORE_EUSAGE;
	}
	if (o->min_dist_given && o->min_dist_time != o->catchment_time)
		return cli_usage(
		    ctx, cmd,
		    o->catchment_time
			? "--min-distance must be a time (such as "
			  "1min) when the catchment is one"
			: "--min-distance must be a distance (such "
			  "as 100m) when the catchment is one");
	return CORE_OK;
}

/* Seconds as "20 min" or "7.5 min". */
static void fmt_minutes(double s, char *buf, size_t sz)
{
	double m = s / 60.0;

	if (fabs(m - round(m)) < 1e-9)
		snprintf(buf, sz, "%.0f min", m);
	else
		snprintf(buf, sz, "%.1f min", m);
}

void cli_access_catchment_text(const struct cli_access_opts *o,
			       enum core_unit units, char *buf, size_t sz)
{
	char v[64];

	if (o->catchment_time)
		fmt_minutes(o->p.catchment, v, sizeof(v));
	else
		core_units_format(o->p.catchment, units, v, sizeof(v));
	if (o->t.mode == GEO_MODE_LINE)
		snprintf(buf, sz, "%s", v);
	else
		snprintf(buf, sz, "%s %s", v, geo_mode_verb(o->t.mode));
}

void cli_access_params_json(const struct cli_access_opts *o, void *vobj)
{
	json_object *obj = vobj, *w;
	int k;

	json_object_object_add(
	    obj, "method",
	    json_object_new_string(geo_access_method_name(o->p.method)));
	if (o->t.mode != GEO_MODE_LINE) {
		json_object_object_add(
		    obj, "by",
		    json_object_new_string(geo_mode_name(o->t.mode)));
		json_object_object_add(obj, "snap_m",
				       json_object_new_double(o->t.snap_m));
	}
	json_object_object_add(
	    obj, o->catchment_time ? "catchment_s" : "catchment_m",
	    json_object_new_double(o->p.catchment));
	json_object_object_add(
	    obj, "decay",
	    json_object_new_string(geo_access_decay_name(o->p.decay)));
	if (o->p.decay == GEO_DECAY_STEP && (o->p.method == GEO_ACCESS_E2SFCA ||
					     o->p.method == GEO_ACCESS_3SFCA)) {
		w = json_object_new_array();
		for (k = 0; k < 3; k++)
			json_object_array_add(
			    w, json_object_new_double(o->p.zone_w[k]));
		json_object_object_add(obj, "weights", w);
	}
	if (o->p.decay == GEO_DECAY_GRAVITY) {
		json_object_object_add(obj, "beta",
				       json_object_new_double(o->p.beta));
		json_object_object_add(obj,
				       o->catchment_time ? "min_distance_s"
							 : "min_distance_m",
				       json_object_new_double(o->p.min_dist));
	}
	json_object_object_add(obj, "normalize",
			       json_object_new_boolean(o->p.normalize));
	if (o->demand_indicator)
		json_object_object_add(
		    obj, "demand_indicator",
		    json_object_new_string(o->demand_indicator));
}

const char *cli_access_points_label(const struct cli_access_data *d)
{
	return d->weighted ? "population-weighted centroids of block groups"
			   : "geometric centroids (no block-group population)";
}

/* ---- the computation ------------------------------------------------------
 */

void cli_access_data_release(struct cli_access_data *d)
{
	geo_supply_free(d->sup, d->ncats);
	geo_areas_free(d->areas);
	geo_proj_free(d->proj);
	free(d->px);
	free(d->py);
	free(d->demand);
	free(d->demand_what);
	free(d->score);
	free(d->info);
	geo_net_free(d->net);
	free(d->dsnap);
	free(d->supply_unplaced);
	memset(d, 0, sizeof(*d));
}

static double access_demand(int times, double population, double value,
			    double scale)
{
	if (!times)
		return value;
	return population * value * scale;
}

/*
 * The scores on the road network of o->t.mode: load the graph, snap the
 * area points and each category's assets (within --snap), note how many
 * were not placed, and compute every category with
 * geo_access_compute_net (time or network metres as the catchment is).
 */
static int access_on_net(struct cli_ctx *ctx, const char *cmd,
			 const struct cli_analysis *a,
			 const struct cli_access_opts *o,
			 struct cli_access_data *d)
{
	const char *verb = geo_mode_verb(o->t.mode);
	enum geo_net_weight w =
	    o->catchment_time ? GEO_NET_TIME : GEO_NET_LENGTH;
	size_t n = d->areas->n, k;
	int rc;

	rc = cli_travel_net(ctx, &o->t, d->proj, &d->net);
	if (rc)
		return rc;
	cli_analysis_lap("road network");
	d->dsnap = xmalloc((n + 1) * sizeof(*d->dsnap));
	d->demand_unplaced =
	    geo_net_snap(d->net, d->px, d->py, n, o->t.snap_m, d->dsnap);
	if (d->demand_unplaced)
		cli_note(ctx,
			 "%s: %zu of %zu %s points not placed on the %s "
			 "network: farther than %s from a road (no score)\n",
			 cmd, d->demand_unplaced, n, a->areas, verb,
			 o->t.snap_text);
	d->supply_unplaced = xcalloc(d->ncats + 1, sizeof(size_t));
	for (k = 0; k < d->ncats; k++) {
		const struct geo_supply *s = &d->sup[k];
		struct geo_snap *ss = xmalloc((s->n + 1) * sizeof(*ss));

		d->supply_unplaced[k] =
		    geo_net_snap(d->net, s->x, s->y, s->n, o->t.snap_m, ss);
		if (d->supply_unplaced[k])
			cli_note_kind(ctx,
				      "categories with assets not placed on "
				      "the network",
				      "%s: %zu of %zu %s assets not placed on "
				      "the %s network: farther than %s from a "
				      "road (never reached)\n",
				      cmd, d->supply_unplaced[k], s->n,
				      a->cats[k], verb, o->t.snap_text);
		rc = geo_access_compute_net(
		    &o->p, d->net, w, n, d->dsnap, d->demand, s->n, ss,
		    s->capacity, d->score + k * n, &d->info[k], &ctx->err);
		free(ss);
		if (rc)
			return rc;
	}
	cli_kind_flush(ctx);
	cli_analysis_lap("access scores on the network");
	return CORE_OK;
}

int cli_access_run(struct cli_ctx *ctx, const char *cmd,
		   const struct cli_analysis *a,
		   const struct cli_access_opts *o, struct cli_access_data *d)
{
	const char *ind = o->demand_indicator;
	size_t n, i, k, known = 0;
	double scale = 1;
	int rc, times = 0;

	memset(d, 0, sizeof(*d));
	cli_analysis_lap("start");
	rc = geo_proj_for_ws(ctx->ws, &d->proj, &ctx->err);
	if (rc)
		return rc;
	cli_analysis_lap("projection");
	if (ind && strncasecmp(ind, POP_TIMES, strlen(POP_TIMES)) == 0) {
		ind += strlen(POP_TIMES);
		times = 1;
		if ((rc = cli_indicator_scale(ctx->ws, ind, &scale, &ctx->err)))
			return rc;
	}
	rc = geo_areas_load(ctx->ws, a->areas, ind, d->proj, &d->areas,
			    &ctx->err);
	if (rc)
		return rc;
	n = d->areas->n;
	cli_analysis_lap("read the areas");
	if (n == 0)
		return core_err_set(
		    &ctx->err, CORE_ENOTFOUND,
		    "%s: the workspace has no areas of level '%s'; import them "
		    "first ('assetmap help import')",
		    cmd, a->areas);
	d->px = xmalloc(n * sizeof(double));
	d->py = xmalloc(n * sizeof(double));
	rc = geo_area_points(ctx->ws, d->areas, d->proj, d->px, d->py,
			     &d->weighted, &ctx->err);
	if (rc)
		return rc;
	cli_analysis_lap("area points");
	d->demand = xmalloc(n * sizeof(double));
	if (ind) {
		for (i = 0; i < n; i++) {
			d->demand[i] =
			    access_demand(times, d->areas->population[i],
					  d->areas->value[i], scale);
			known += !isnan(d->demand[i]);
		}
		if (!known)
			return core_err_set(
			    &ctx->err, CORE_ENOTFOUND,
			    times ? "%s: --demand-indicator: no %s has both a "
				    "population and a value of indicator '%s'; "
				    "'assetmap info' lists the indicators"
				  : "%s: --demand-indicator: no %s has a value "
				    "of indicator '%s'; 'assetmap info' lists "
				    "the indicators",
			    cmd, a->areas, ind);
		if (times) {
			d->demand_kind = CORE_RK_POPULATION;
			d->demand_what =
			    scale != 1
				? xasprintf("population x indicator '%s' / 100 "
					    "(a percentage)",
					    ind)
				: xasprintf("population x indicator '%s'", ind);
		} else {
			d->demand_kind = CORE_RK_VALUE;
			d->demand_what = xasprintf("indicator '%s'", ind);
		}
	} else {
		const char *coh = o->demand_population ? NULL : a->cohort;

		rc = geo_demand_load(ctx->ws, d->areas, coh,
				     coh ? a->where : NULL, d->demand,
				     &ctx->err);
		if (rc)
			return rc;
		for (i = 0; i < n; i++)
			known += !isnan(d->demand[i]);
		if (coh) {
			d->demand_kind = CORE_RK_COHORT_COUNT;
			d->demand_what = xasprintf("cohort '%s'", a->cohort);
		} else {
			if (!known)
				return core_err_set(
				    &ctx->err, CORE_ENOTFOUND,
				    "%s: no %s has a population; import one "
				    "('assetmap import indicators FILE "
				    "--population COLUMN') or give --cohort "
				    "NAME",
				    cmd, a->areas);
			d->demand_kind = CORE_RK_POPULATION;
			d->demand_what = xstrdup("population");
		}
	}
	d->ncats = a->ncats;
	cli_analysis_lap("demand");
	rc = geo_supply_load(ctx->ws, (const char *const *)a->cats, a->ncats,
			     &a->filter, d->proj, &d->sup, &ctx->err);
	if (rc)
		return rc;
	cli_analysis_lap("read the supply");
	d->score = xmalloc((d->ncats * n + 1) * sizeof(double));
	d->info = xcalloc(d->ncats + 1, sizeof(*d->info));
	if (o->t.mode != GEO_MODE_LINE)
		return access_on_net(ctx, cmd, a, o, d);
	for (k = 0; k < d->ncats; k++) {
		const struct geo_supply *s = &d->sup[k];

		rc = geo_access_compute(
		    &o->p, n, d->px, d->py, d->demand, s->n, s->x, s->y,
		    s->capacity, d->score + k * n, &d->info[k], &ctx->err);
		if (rc)
			return rc;
	}
	cli_analysis_lap("access scores");
	return CORE_OK;
}

/* ---- the command ------------------------------------------------------------
 */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct stats {
	size_t n, zero;
	double mean, median, min, max;
};

/* Over areas not flagged and with a score. */
static void score_stats(const struct cli_access_data *d, const double *sc,
			struct stats *st)
{
	size_t i, n = d->areas->n;
	double *v = xmalloc((n + 1) * sizeof(double)), sum = 0;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < n; i++)
		if (!d->areas->flags[i] && !isnan(sc[i])) {
			v[st->n++] = sc[i];
			sum += sc[i];
			st->zero += sc[i] == 0;
		}
	if (st->n) {
		qsort(v, st->n, sizeof(double), cmp_double);
		st->mean = sum / (double)st->n;
		st->min = v[0];
		st->max = v[st->n - 1];
		st->median = geo_median(v, st->n);
	} else {
		st->mean = st->median = st->min = st->max = NAN;
	}
	free(v);
}

static const char *fmt_score(double v, char *buf, size_t sz)
{
	if (isnan(v))
		return NULL;
	snprintf(buf, sz, "%.6g", v);
	return buf;
}

/* Demand as text: cohort counts from 1 to 10 as "<11". */
static const char *fmt_demand(const struct cli_access_data *d, double v,
			      char *buf, size_t sz)
{
	if (isnan(v))
		return NULL;
	if (strcmp(d->demand_kind, CORE_RK_COHORT_COUNT) == 0)
		return core_privacy_count((int64_t)llround(v), buf, sz);
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, sz, "%.0f", v);
	else
		snprintf(buf, sz, "%.6g", v);
	return buf;
}

/*
 * Store the result as one "access" run: the parameters (the access
 * options, categories, filters, --where), a summary with the demand,
 * the area points and per category its assets, capacity, capacity
 * reached, mean and median score, areas and zero-access areas
 * (score_stats), and per area the demand and score_<cat>.  Sets
 * *run_id to the run's id (0 if it was never made).  Returns CORE_OK
 * or a code with ctx->err set, the run rolled back.
 */
static int store_run(struct cli_ctx *ctx, const struct cli_analysis *a,
		     const struct cli_access_opts *o,
		     const struct cli_access_data *d, int64_t *run_id)
{
	struct cli_run run = {0};
	json_object *cats, *arr;
	char name[256], label[512];
	size_t k, n = d->areas->n;
	int rc;

	run.params = json_object_new_object();
	run.summary = json_object_new_object();
	cli_access_params_json(o, run.params);
	cats = json_object_new_array();
	for (k = 0; k < a->ncats; k++)
		json_object_array_add(cats, json_object_new_string(a->cats[k]));
	json_object_object_add(run.params, "categories", cats);
	cli_filter_params(&a->filter, run.params);
	if (a->where)
		json_object_object_add(run.params, "where",
				       json_object_new_string(a->where));
	json_object_object_add(run.summary, "demand",
			       json_object_new_string(d->demand_what));
	json_object_object_add(
	    run.summary, "points",
	    json_object_new_string(cli_access_points_label(d)));
	if (d->net)
		json_object_object_add(
		    run.summary, "points_not_placed",
		    json_object_new_int64((int64_t)d->demand_unplaced));
	arr = json_object_new_array();
	for (k = 0; k < d->ncats; k++) {
		json_object *c = json_object_new_object();
		struct stats st;

		score_stats(d, d->score + k * n, &st);
		json_object_object_add(c, "category",
				       json_object_new_string(a->cats[k]));
		json_object_object_add(
		    c, "assets", json_object_new_int64((int64_t)d->sup[k].n));
		json_object_object_add(
		    c, "capacity",
		    json_object_new_double(d->info[k].supply_total));
		json_object_object_add(
		    c, "capacity_reached",
		    json_object_new_double(d->info[k].supply_used));
		json_object_object_add(c, "mean",
				       json_object_new_double(st.mean));
		json_object_object_add(c, "median",
				       json_object_new_double(st.median));
		json_object_object_add(c, "zero_access_areas",
				       json_object_new_int64((int64_t)st.zero));
		json_object_object_add(c, "areas",
				       json_object_new_int64((int64_t)st.n));
		if (d->net)
			json_object_object_add(
			    c, "assets_not_placed",
			    json_object_new_int64(
				(int64_t)d->supply_unplaced[k]));
		json_object_array_add(arr, c);
	}
	json_object_object_add(run.summary, "categories", arr);

	rc = cli_run_begin(ctx, "access", a->areas, a->cohort, &run);
	if (rc)
		goto cleanup;
	rc = core_result_info_add(ctx->ws, run.id, "demand", d->demand_kind,
				  NULL, d->demand_what, 0, &ctx->err);
	for (k = 0; !rc && k < d->ncats; k++) {
		char *cat = core_category_phrase(ctx->ws, a->cats[k]);

		snprintf(name, sizeof(name), "score_%s", a->cats[k]);
		if (o->t.mode != GEO_MODE_LINE) {
			char c[96];

			cli_access_catchment_text(o, a->units, c, sizeof(c));
			snprintf(label, sizeof(label),
				 "%s access to %s within %s%s",
				 geo_access_method_name(o->p.method), cat, c,
				 o->p.normalize ? " (1 = average)" : "");
		} else {
			snprintf(label, sizeof(label), "%s access to %s%s",
				 geo_access_method_name(o->p.method), cat,
				 o->p.normalize ? " (1 = average)" : "");
		}
		free(cat);
		rc = core_result_info_add(ctx->ws, run.id, name, CORE_RK_SCORE,
					  NULL, label, (int)k + 1, &ctx->err);
	}
	if (rc)
		goto cleanup;
	if (!rc)
		rc = core_result_writer_new(ctx->ws, run.id, &run.w, &ctx->err);
	if (!rc) {
		/* demand, then each category's score column */
		const char **names = xcalloc(d->ncats + 1, sizeof(char *));
		const double **vals = xcalloc(d->ncats + 1, sizeof(double *));

		names[0] = "demand";
		vals[0] = d->demand;
		for (k = 0; k < d->ncats; k++) {
			names[k + 1] = xasprintf("score_%s", a->cats[k]);
			vals[k + 1] = d->score + k * n;
		}
		rc = core_result_area_table_put(
		    run.w, n, (const char *const *)d->areas->geoid,
		    d->ncats + 1, names, vals, &ctx->err);
		for (k = 0; k < d->ncats; k++)
			free((char *)names[k + 1]);
		free(names);
		free(vals);
	}
	if (!rc)
		rc = cli_run_commit(ctx, &run);
cleanup:
	*run_id = run.id;
	cli_run_release(ctx, &run);
	return rc;
}

/*
 * Print to ctx->out in fmt one row per category: its assets, total
 * capacity, and the mean, median, min and max score and the share of
 * zero scores over the unflagged areas with a score (score_stats).
 */
static void print_summary(struct cli_ctx *ctx, const struct cli_analysis *a,
			  const struct cli_access_data *d, enum cli_format fmt)
{
	static const char *const cols[] = {
	    "category", "assets", "capacity", "mean",
	    "median",	"min",	  "max",      "zero_access_pct"};
	struct cli_table *t = cli_table_new(8, cols, "snnnnnnn");
	char b[8][64];
	size_t k, n = d->areas->n;

	for (k = 0; k < d->ncats; k++) {
		const char *v[8];
		struct stats st;

		score_stats(d, d->score + k * n, &st);
		v[0] = a->cats[k];
		snprintf(b[1], sizeof(b[1]), "%zu", d->sup[k].n);
		v[1] = b[1];
		v[2] = fmt_score(d->info[k].supply_total, b[2], sizeof(b[2]));
		v[3] = fmt_score(st.mean, b[3], sizeof(b[3]));
		v[4] = fmt_score(st.median, b[4], sizeof(b[4]));
		v[5] = fmt_score(st.min, b[5], sizeof(b[5]));
		v[6] = fmt_score(st.max, b[6], sizeof(b[6]));
		if (st.n) {
			snprintf(b[7], sizeof(b[7]), "%.1f",
				 100.0 * (double)st.zero / (double)st.n);
			v[7] = b[7];
		} else {
			v[7] = NULL;
		}
		cli_table_add(t, v);
	}
	cli_table_print(t, ctx->out, fmt);
	cli_table_free(t);
}

/* The N unflagged areas with the lowest score, per category. */
static void print_lowest(struct cli_ctx *ctx, const struct cli_analysis *a,
			 const struct cli_access_data *d, size_t top,
			 enum cli_format fmt)
{
	static const char *const cols[] = {"category", "rank",	"geoid",
					   "name",     "score", "demand"};
	struct cli_table *t = cli_table_new(6, cols, "snssnn");
	size_t n = d->areas->n, k, r, cnt;
	size_t *order = xmalloc((n + 1) * sizeof(size_t));
	double *neg = xmalloc((n + 1) * sizeof(double));

	for (k = 0; k < d->ncats; k++) {
		const double *score = d->score + k * n;
		size_t i;

		for (i = 0; i < n; i++)
			neg[i] = -score[i];
		cnt = geo_gaps_rank(n, neg, d->areas->flags, order, NULL);
		for (r = 0; r < cnt && r < top; r++) {
			char b1[32], b4[64], b5[64];
			const char *v[6];

			i = order[r];
			snprintf(b1, sizeof(b1), "%zu", r + 1);
			v[0] = a->cats[k];
			v[1] = b1;
			v[2] = d->areas->geoid[i];
			v[3] = d->areas->name[i];
			v[4] = fmt_score(score[i], b4, sizeof(b4));
			v[5] = fmt_demand(d, d->demand[i], b5, sizeof(b5));
			cli_table_add(t, v);
		}
	}
	if (fmt == CLI_FMT_TABLE)
		fputc('\n', ctx->out);
	cli_table_print(t, ctx->out, fmt);
	cli_table_free(t);
	free(order);
	free(neg);
}

/*
 * assetmap access (argv[0] is "access"): parse the options, compute
 * access for every category (cli_access_run), store the run, then
 * print a note on the method and demand, the summary per category and,
 * with --top N, the N lowest-scoring areas per category.  Returns
 * CORE_OK, or a code with ctx->err set (CORE_EUSAGE for usage errors).
 */
int cmd_access(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *cmd = "access";
	struct access_cmd_opts opts;
	struct cli_analysis *a = &opts.a;
	struct cli_access_opts *o = &opts.o;
	struct cli_access_data d;
	enum cli_format fmt = CLI_FMT_TABLE;
	char dist[96];
	int64_t run_id = 0;
	int rc = CORE_OK;
	size_t k;

	cli_analysis_init(a);
	cli_access_opts_init(o);
	opts.top = 0;
	memset(&d, 0, sizeof(d));
	if ((rc = cli_opt_parse(ctx, cmd, cmd_access_options, &opts, argc, argv,
				NULL)))
		goto cleanup;
	cli_format_parse(a->format, &fmt, &ctx->err);
	rc = cli_access_check(ctx, cmd, o, a);
	if (rc)
		goto cleanup;
	rc = cli_analysis_categories(ctx, cmd, a);
	if (rc)
		goto cleanup;
	if (a->ncats == 0) {
		rc = core_err_set(&ctx->err, CORE_ENOTFOUND,
				  "%s: the workspace has no assets; import "
				  "some first ('assetmap help import')",
				  cmd);
		goto cleanup;
	}
	rc = cli_access_run(ctx, cmd, a, o, &d);
	if (rc)
		goto cleanup;
	rc = store_run(ctx, a, o, &d, &run_id);
	if (rc)
		goto cleanup;
	cli_analysis_lap("store the run");
	cli_access_catchment_text(o, a->units, dist, sizeof(dist));
	cli_note(ctx,
		 "%s access within %s (%s decay) for %zu %s areas; demand: %s; "
		 "area points: %s\n",
		 geo_access_method_name(o->p.method), dist,
		 geo_access_decay_name(o->p.decay), d.areas->n, a->areas,
		 d.demand_what, cli_access_points_label(&d));
	for (k = 0; k < d.ncats; k++)
		if (d.sup[k].n == 0)
			cli_note(
			    ctx,
			    "no %s assets pass the filters: every score is 0\n",
			    a->cats[k]);
	print_summary(ctx, a, &d, fmt);
	if (opts.top > 0)
		print_lowest(ctx, a, &d, (size_t)opts.top, fmt);
	cli_run_stored_note(ctx, run_id);
cleanup:
	cli_access_data_release(&d);
	cli_analysis_release(a);
	return rc;
}
