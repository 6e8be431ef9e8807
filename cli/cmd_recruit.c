/*
 * cmd_recruit.c - assetmap recruit: which K prospective or unaffiliated
 * assets of a category, if they became partners, would cover the most
 * people that the current partners leave uncovered (maximal covering
 * with the existing assets as the candidates; geo_recruit.h).
 */
#include <json-c/json.h>
#include <math.h>
#include <sqlite3.h>
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
#include "geo/geo_net.h"
#include "geo/geo_recruit.h"

#define CMD	    "recruit"
#define DEFAULT_TOP 5

/* --method: the method and the name given, for the run's parameters. */
struct recruit_method {
	enum geo_sites_method method;
	const char *name;
};

/* What the command line gives. */
struct recruit_opts {
	struct cli_analysis a;
	struct cli_travel t;
	struct cli_reach within; /* a distance or (on the network) a time */
	long top;
	struct recruit_method method;
};

/* --method auto|greedy|exact. */
static int method_opt(struct cli_ctx *ctx, const char *cmd,
		      const struct cli_opt *opt, const char *value,
		      void *target)
{
	struct recruit_method *m = target;

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

#define O struct recruit_opts

const struct cli_opt cmd_recruit_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] recruit --category C --within D|T\n"
	"                [--top K] [--by walk|bike|drive|line] [--snap D]\n"
	"                [--cohort NAME] [--areas LEVEL] [--method M]\n"
	"                [filters] [--units mi|km|m] [--format "
	"table|csv|json]\n"
	"\n"
	"Which K assets of a category that are not yet our partners would, if\n"
	"they became partners, cover the most people our current partners\n"
	"leave uncovered?  A person is covered when some current partner of\n"
	"the category is within D (the partnership register: status\n"
	"'current').  The candidates are the category's other assets:\n"
	"prospective partners (status 'prospective') and unaffiliated ones\n"
	"(status 'former' or 'none', or not in the register at all).  The\n"
	"people are a cohort's (--cohort), or without one the population of\n"
	"the areas, each area's at its point (population-weighted centroid of\n"
	"its block groups when the workspace has them, else its centroid).\n"
	"Distances are straight lines in the workspace's analysis CRS; an\n"
	"asset at exactly D covers.  The supply filters apply to partners and\n"
	"candidates alike (--partners does not apply: the register decides).\n"
	"\n"
	"This is the maximal covering location problem with the existing\n"
	"assets as the candidates.  With --method auto (default) the answer\n"
	"is exact when the candidates that cover anyone number at most K, or\n"
	"when their combinations of K number at most 200,000 (every one is\n"
	"searched, pruned by a bound); otherwise greedy: each pick the asset\n"
	"that covers the most people not yet covered, which is always at\n"
	"least 63.2% (1 - 1/e) of the best possible, and the run says how\n"
	"much the best could cover at most.  Ties go to the lower asset id.\n"
	"Each pick is listed with how many people it newly covers and the\n"
	"share covered once it and the picks before it are partners; cohort\n"
	"counts of 1 to 10 show as <11, and figures that would give one away\n"
	"are hidden.\n"
	"\n"
	"With --by walk, bike or drive, reach is door to door along the road\n"
	"network ('assetmap import roads') and --within may be a time\n"
	"(--within 20min): a person is covered when their own trip to the\n"
	"asset takes at most that long.  People and assets farther than\n"
	"--snap from every road are reported, not placed.\n"
	"\n"),
    CLI_OPT_CALLBACK("within", 0, "D|T", O, within, cli_reach_opt,
		     "the distance, with its unit (500m, 2mi, 3km),\n"
		     "or with --by a time (20min); required"),
    CLI_OPT_INT("top", 0, "K", O, top, 1, 1000,
		"how many partners to recruit, 1 to 1000 (default 5)"),
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
		 "  assetmap recruit --category food --within 1mi\n"
		 "  assetmap recruit --category primary_care --within 5km "
		 "--top 3 --cohort asthma-kids\n"
		 "  assetmap recruit --category food --by walk --within 20min "
		 "--top 2\n"),
    CLI_OPT_END()};

#undef O

/* One run of the command, from its options to its printed table. */
struct recruit {
	struct recruit_opts o;
	enum cli_format fmt;
	struct cli_inputs in;
	int cohort_people;     /* the people are a cohort's members */
	double *weight;	       /* [areas] demand at the area points, or NULL
				  when the people are members */
	unsigned char *status; /* [supply n] enum geo_partner_status */
	struct geo_net *net;   /* --by walk, bike, drive */
	struct geo_recruit *r;
	char **names; /* [npicks] the picks' names */
	struct cli_run run;
	/* what may be published of a cohort's counts (NULL: no cohort) */
	enum core_privacy_mark marks_split[2]; /* covered now, not */
	enum core_privacy_mark *marks_gain;    /* [npicks + 1] */
	int hide_people;		       /* the total */
	size_t first_hidden; /* running totals from this pick on hidden */
	struct cli_table *t;
	/* the summary's counts, as published */
	char s_tot[32], s_now[32], s_unc[32], s_after[32], s_bound[32];
	char p_now[16], p_after[16];
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

/* A share of the total as printed: hidden with either of its parts, a
 * share of a small count too ("<11" of a cohort gives no share). */
static void fmt_share(double part, double total, int cohort, int hidden,
		      char *buf, size_t size)
{
	if (hidden || (cohort && core_privacy_is_small(llround(part))))
		snprintf(buf, size, "%s", CORE_PRIVACY_HIDDEN_TEXT);
	else if (!(total > 0))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.1f%%", 100 * part / total);
}

/* The options into x->o (release x->o.a whatever this returns);
 * --within is required and --category must name one. */
static int recruit_parse(struct cli_ctx *ctx, int argc, char **argv,
			 struct recruit *x)
{
	int rc;

	cli_analysis_init(&x->o.a);
	cli_travel_init(&x->o.t);
	cli_reach_init(&x->o.within);
	x->o.top = DEFAULT_TOP;
	x->o.method.method = GEO_SITES_AUTO;
	x->o.method.name = "auto";
	if ((rc = cli_opt_parse(ctx, CMD, cmd_recruit_options, &x->o, argc,
				argv, NULL)))
		return rc;
	if (x->o.a.filter.partners != GEO_PARTNERS_ALL)
		return cli_usage(ctx, CMD,
				 "--partners does not apply: recruit counts "
				 "the current partners as covering and every "
				 "other asset of the category as a candidate");
	if (!cli_reach_given(&x->o.within))
		return cli_usage(ctx, CMD,
				 "--within D is required: how far a partner "
				 "reaches (e.g. --within 1mi)");
	if ((rc =
		 cli_travel_check(ctx, CMD, &x->o.t, "--within", &x->o.within)))
		return rc;
	if (!isnan(x->o.within.metres) && !isnan(x->o.within.seconds))
		return cli_usage(ctx, CMD,
				 "--within %s: give a time or a distance, not "
				 "both: a partner reaches by one of them",
				 x->o.within.text);
	return cli_analysis_one_category(ctx, CMD, &x->o.a, &x->fmt);
}

/* The people (members, or demand at the area points), the category's
 * assets and their standing in the register. */
static int recruit_load(struct cli_ctx *ctx, struct recruit *x)
{
	struct cli_inputs *in = &x->in;
	const struct geo_supply *s;
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
	s = &in->supply[0];
	x->status = xmalloc(s->n + 1);
	if ((rc = geo_partner_status_load(ctx->ws, s->id, s->n, x->status,
					  &ctx->err)))
		return rc;
	for (i = 0; i < s->n; i++)
		if (x->status[i] != GEO_PARTNER_CURRENT)
			return CORE_OK;
	{
		char filt[256];

		geo_filter_describe(&x->o.a.filter, filt, sizeof(filt));
		if (s->n == 0)
			return core_err_set(
			    &ctx->err, CORE_ENOTFOUND,
			    "%s: no candidates: workspace %s has no %s "
			    "assets%s%s to recruit from",
			    CMD, ctx->ws->path, x->o.a.cats[0],
			    filt[0] ? " with " : "", filt);
		return core_err_set(
		    &ctx->err, CORE_ENOTFOUND,
		    "%s: no candidates: all %zu %s assets%s%s are current "
		    "partners already",
		    CMD, s->n, x->o.a.cats[0], filt[0] ? " with " : "", filt);
	}
}

static int recruit_solve(struct recruit *x, struct core_err *err)
{
	const struct geo_supply *s = &x->in.supply[0];
	struct geo_recruit_in rin;

	memset(&rin, 0, sizeof(rin));
	rin.ndemand = x->in.n;
	rin.dx = x->in.x;
	rin.dy = x->in.y;
	rin.dw = x->weight;
	rin.nassets = s->n;
	rin.ax = s->x;
	rin.ay = s->y;
	rin.status = x->status;
	rin.within = cli_reach_value(&x->o.within);
	rin.k = (size_t)x->o.top;
	rin.method = x->o.method.method;
	rin.net = x->net;
	rin.weight = isnan(x->o.within.seconds) ? GEO_NET_LENGTH : GEO_NET_TIME;
	rin.snap_m = x->o.t.snap_m;
	return geo_recruit_solve(&rin, &x->r, err);
}

/* The picks' names, from the assets table. */
static int load_names(struct cli_ctx *ctx, struct recruit *x)
{
	const struct geo_recruit *r = x->r;
	const struct geo_supply *s = &x->in.supply[0];
	sqlite3_stmt *st = NULL;
	size_t i;

	x->names = xcalloc(r->s->npicks + 1, sizeof(char *));
	if (core_ws_prepare(ctx->ws, &ctx->err, &st,
			    "SELECT name FROM assets WHERE id = ?"))
		return CORE_EDB;
	for (i = 0; i < r->s->npicks; i++) {
		const unsigned char *t;

		sqlite3_bind_int64(st, 1, s->id[r->pick[i]]);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    (t = sqlite3_column_text(st, 0)) != NULL)
			x->names[i] = xstrdup((const char *)t);
		else
			x->names[i] = xstrdup("");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return CORE_OK;
}

/*
 * What of a cohort's counts may be published.  Its people split twice,
 * each split published with its total: everyone = covered by current
 * partners + not, and not covered = the picks' gains + those still not
 * covered.  Each split is one row of complementary suppression, and a
 * running total after a hidden gain would give it away.
 */
static void recruit_marks(struct recruit *x)
{
	const struct geo_sites *s = x->r->s;
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
	/* covered so far = covered now + the gains: hidden with either */
	if (x->marks_split[0] != CORE_PRIVACY_SHOW || x->hide_people)
		x->first_hidden = 0;
}

/* The run begun, with its parameters and the meaning of its values. */
static int store_begin(struct cli_ctx *ctx, struct recruit *x)
{
	const struct cli_analysis *a = &x->o.a;
	const char *kind =
	    a->cohort ? CORE_RK_COHORT_COUNT : CORE_RK_POPULATION;
	const char *who = a->cohort ? "People" : "Population";
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
		json_object_object_add(
		    x->run.params, "by",
		    json_object_new_string(geo_mode_name(x->o.t.mode)));
		json_object_object_add(x->run.params, "snap_m",
				       json_object_new_double(x->o.t.snap_m));
	}
	json_object_object_add(x->run.params, "top",
			       json_object_new_int64(x->o.top));
	json_object_object_add(x->run.params, "method",
			       json_object_new_string(x->o.method.name));
	json_object_object_add(x->run.params, "areas",
			       json_object_new_string(a->areas));
	if (a->cohort)
		json_object_object_add(x->run.params, "cohort",
				       json_object_new_string(a->cohort));
	cli_analysis_params(a, x->run.params);
	if ((rc = cli_run_begin(ctx, CMD, x->in.areas->n ? a->areas : NULL,
				a->cohort, &x->run)))
		return rc;
	cli_reach_text(&x->o.within, x->o.t.mode, x->o.a.units, ws_,
		       sizeof(ws_));
	snprintf(buf, sizeof(buf), "%s", who);
	if ((rc = core_result_info_add(ctx->ws, x->run.id, "n", kind, NULL, buf,
				       1, &ctx->err)))
		return rc;
	snprintf(buf, sizeof(buf), "%s within %s of a current %s partner", who,
		 ws_, a->cats[0]);
	if ((rc = core_result_info_add(ctx->ws, x->run.id, "covered_now", kind,
				       NULL, buf, 2, &ctx->err)))
		return rc;
	snprintf(buf, sizeof(buf),
		 "%s newly within %s of a %s partner, once the picks are "
		 "recruited",
		 who, ws_, a->cats[0]);
	if ((rc = core_result_info_add(ctx->ws, x->run.id, "gain", kind, NULL,
				       buf, 3, &ctx->err)))
		return rc;
	snprintf(buf, sizeof(buf),
		 "%s within %s of a %s partner, once the picks are recruited",
		 who, ws_, a->cats[0]);
	if ((rc = core_result_info_add(ctx->ws, x->run.id, "covered_after",
				       kind, NULL, buf, 4, &ctx->err)))
		return rc;
	return core_result_writer_new(ctx->ws, x->run.id, &x->run.w, &ctx->err);
}

/* Per area: the people, those covered now, newly covered by the picks
 * and covered after; for members, the pick that first covers each one
 * (-1 a current partner, 0 none). */
static int store_values(struct cli_ctx *ctx, struct recruit *x)
{
	const struct geo_sites *s = x->r->s;
	const struct geo_areas *areas = x->in.areas;
	size_t na = areas->n, i;
	double *v[4];
	static const char *const names[4] = {"n", "covered_now", "gain",
					     "covered_after"};
	int rc = CORE_OK;

	for (i = 0; i < 4; i++)
		v[i] = xcalloc(na + 1, sizeof(double));
	for (i = 0; i < x->in.n; i++) {
		int32_t k = x->cohort_people ? x->in.area[i] : (int32_t)i;
		double w = x->weight ? x->weight[i] : 1;

		if (k < 0 || (size_t)k >= na)
			continue;
		if (isnan(w) || w < 0)
			w = 0;
		v[0][k] += w;
		if (s->first[i] < 0)
			v[1][k] += w;
		if (s->first[i] > 0)
			v[2][k] += w;
	}
	for (i = 0; i < na; i++)
		v[3][i] = v[1][i] + v[2][i];
	if (na)
		rc = core_result_area_table_put(
		    x->run.w, na, (const char *const *)areas->geoid, 4, names,
		    (const double *const *)v, &ctx->err);
	for (i = 0; i < 4; i++)
		free(v[i]);
	if (rc == CORE_OK && x->cohort_people) {
		char name[160];
		int64_t *col = xmalloc((x->in.n + 1) * sizeof(int64_t));

		for (i = 0; i < x->in.n; i++)
			col[i] = s->first[i];
		snprintf(name, sizeof(name), "recruit_%s", x->o.a.cats[0]);
		if ((rc = core_result_column_put(
			 ctx->ws, x->run.id, "member_id", "i8", x->in.n,
			 x->in.members->id, &ctx->err)) == CORE_OK)
			rc = core_result_column_put(ctx->ws, x->run.id, name,
						    "i8", x->in.n, col,
						    &ctx->err);
		free(col);
	}
	return rc;
}

/* The picks: the table and the summary's "picks". */
static void picks_table(struct recruit *x)
{
	static const char *const cols[] = {
	    "pick",	     "asset",	       "name",	       "status",
	    "newly covered", "covered so far", "share covered"};
	const struct geo_sites *s = x->r->s;
	const struct geo_supply *sup = &x->in.supply[0];
	int cohort = x->o.a.cohort != NULL;
	double now = s->total - s->uncovered;
	json_object *jpicks = json_object_new_array();
	size_t i;

	x->t = cli_table_new(7, cols, "nnssnnn");
	json_object_object_add(x->run.summary, "picks", jpicks);
	for (i = 0; i < s->npicks; i++) {
		size_t j = x->r->pick[i];
		char s_rank[24], s_id[24], s_gain[32], s_cum[32], s_share[32];
		const char *row[7];
		json_object *jp = json_object_new_object();
		int hidden = i >= x->first_hidden;
		enum geo_partner_status st = x->status[j];

		snprintf(s_rank, sizeof(s_rank), "%zu", i + 1);
		snprintf(s_id, sizeof(s_id), "%lld", (long long)sup->id[j]);
		if (x->marks_gain)
			core_privacy_cell(llround(s->gain[i]), x->marks_gain[i],
					  0, s_gain, sizeof(s_gain));
		else
			fmt_people(s->gain[i], cohort, 0, s_gain,
				   sizeof(s_gain));
		fmt_people(now + s->cum[i], cohort, hidden, s_cum,
			   sizeof(s_cum));
		fmt_share(now + s->cum[i], s->total, cohort,
			  hidden || x->hide_people, s_share, sizeof(s_share));
		row[0] = s_rank;
		row[1] = s_id;
		row[2] = x->names[i];
		row[3] = x->fmt == CLI_FMT_TABLE ? geo_partner_status_word(st)
						 : geo_partner_status_code(st);
		row[4] = s_gain;
		row[5] = s_cum;
		row[6] = s_share;
		cli_table_add(x->t, row);
		json_object_object_add(jp, "rank",
				       json_object_new_int64((int64_t)i + 1));
		json_object_object_add(jp, "asset_id",
				       json_object_new_int64(sup->id[j]));
		json_object_object_add(jp, "name",
				       json_object_new_string(x->names[i]));
		json_object_object_add(
		    jp, "status",
		    json_object_new_string(geo_partner_status_code(st)));
		if (cohort) {
			json_object_object_add(jp, "newly_covered",
					       json_object_new_string(s_gain));
			json_object_object_add(jp, "covered_so_far",
					       json_object_new_string(s_cum));
		} else {
			json_object_object_add(
			    jp, "newly_covered",
			    json_object_new_double(round(s->gain[i])));
			json_object_object_add(
			    jp, "covered_so_far",
			    json_object_new_double(round(now + s->cum[i])));
		}
		json_object_array_add(jpicks, jp);
	}
}

/* The summary's counts, as published, into x->s_* and the run's
 * summary. */
static void summary_counts(struct recruit *x)
{
	const struct geo_sites *s = x->r->s;
	const struct geo_recruit *r = x->r;
	json_object *sum = x->run.summary;
	int cohort = x->o.a.cohort != NULL;
	int hidden = x->first_hidden < s->npicks;
	double now = s->total - s->uncovered;

	if (cohort) {
		core_privacy_cell(llround(now), x->marks_split[0], 0, x->s_now,
				  sizeof(x->s_now));
		core_privacy_cell(llround(s->uncovered), x->marks_split[1], 0,
				  x->s_unc, sizeof(x->s_unc));
	} else {
		fmt_people(now, 0, 0, x->s_now, sizeof(x->s_now));
		fmt_people(s->uncovered, 0, 0, x->s_unc, sizeof(x->s_unc));
	}
	fmt_people(s->total, cohort, x->hide_people, x->s_tot,
		   sizeof(x->s_tot));
	fmt_share(now, s->total, cohort,
		  x->hide_people || x->marks_split[0] != CORE_PRIVACY_SHOW,
		  x->p_now, sizeof(x->p_now));
	/* after = now + the gains = total - still not covered: hidden
	 * with any of them */
	hidden = hidden ||
		 (cohort && (x->marks_split[0] != CORE_PRIVACY_SHOW ||
			     x->marks_gain[s->npicks] != CORE_PRIVACY_SHOW));
	fmt_people(now + s->covered, cohort, hidden, x->s_after,
		   sizeof(x->s_after));
	fmt_share(now + s->covered, s->total, cohort, hidden || x->hide_people,
		  x->p_after, sizeof(x->p_after));
	/* "exact" says the bound is what the picks reach */
	fmt_people(s->bound, cohort, hidden, x->s_bound, sizeof(x->s_bound));
	json_object_object_add(sum, "people", json_object_new_string(x->s_tot));
	json_object_object_add(sum, "covered_now",
			       json_object_new_string(x->s_now));
	json_object_object_add(sum, "not_covered_now",
			       json_object_new_string(x->s_unc));
	json_object_object_add(sum, "covered_after",
			       json_object_new_string(x->s_after));
	json_object_object_add(
	    sum, "method",
	    json_object_new_string(s->exact ? "exact" : "greedy"));
	json_object_object_add(sum, "best_gain_at_most",
			       json_object_new_string(x->s_bound));
	json_object_object_add(sum, "current_partners",
			       json_object_new_int64((int64_t)r->ncurrent));
	json_object_object_add(sum, "candidates",
			       json_object_new_int64((int64_t)r->ncand));
	json_object_object_add(sum, "prospective",
			       json_object_new_int64((int64_t)r->nprospective));
	json_object_object_add(sum, "candidates_covering_anyone",
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
		    sum, "current_partners_not_placed",
		    json_object_new_int64((int64_t)s->assets_unplaced));
		json_object_object_add(
		    sum, "candidates_not_placed",
		    json_object_new_int64((int64_t)s->cand_unplaced));
	}
}

/* The notes: who is covered now and after, the candidates, how the
 * picks were found. */
static void print_notes(struct cli_ctx *ctx, const struct recruit *x)
{
	const struct geo_sites *s = x->r->s;
	const struct geo_recruit *r = x->r;
	const struct cli_analysis *a = &x->o.a;
	const char *who =
	    a->cohort ? (x->cohort_people ? "people"
					  : "people (counts at area points)")
		      : "residents (population at area points)";
	char ws_[64], filt[256];

	cli_reach_text(&x->o.within, x->o.t.mode, x->o.a.units, ws_,
		       sizeof(ws_));
	geo_filter_describe(&a->filter, filt, sizeof(filt));
	cli_note(ctx,
		 "recruit: %s of %s (%s) %s are within %s of the %zu current "
		 "%s partner%s%s%s\n",
		 x->s_now, x->s_tot, x->p_now, who, ws_, r->ncurrent,
		 a->cats[0], r->ncurrent == 1 ? "" : "s",
		 filt[0] ? " with " : "", filt);
	cli_note(ctx,
		 "candidates: %zu %s asset%s not current partners (%zu "
		 "prospective, %zu unaffiliated); %zu cover anyone not "
		 "covered\n",
		 r->ncand, a->cats[0], r->ncand == 1 ? "" : "s",
		 r->nprospective, r->ncand - r->nprospective, s->useful);
	if (s->exact && s->nodes == 0)
		cli_note(ctx, "exact: the best possible (the greedy picks "
			      "reach the upper bound)\n");
	else if (s->exact)
		cli_note(ctx,
			 "exact: the best possible (%.0f combination%s of the "
			 "candidates that cover anyone, searched with "
			 "pruning: %zu looked at)\n",
			 s->combinations, s->combinations == 1 ? "" : "s",
			 s->nodes);
	else {
		char pct[32];

		if (x->first_hidden < s->npicks || !(s->bound > 0))
			snprintf(pct, sizeof(pct), "at least 63.2%% (1 - 1/e)");
		else
			snprintf(pct, sizeof(pct), "%.1f%%",
				 100 * fmin(1, s->covered / s->bound));
		cli_note(
		    ctx,
		    "greedy: at least %s of the best possible, which "
		    "newly covers at most %s (%.0f combinations%s)\n",
		    pct, x->s_bound, s->combinations,
		    x->o.method.method == GEO_SITES_GREEDY
			? ": --method greedy"
			: ": too many to search; --method exact to insist");
	}
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
				 who, verb, sn);
		if (s->assets_unplaced)
			cli_note(ctx,
				 "%zu current partners not placed on the %s "
				 "network: farther than %s from a road; they "
				 "cover no one\n",
				 s->assets_unplaced, verb, sn);
		if (s->cand_unplaced)
			cli_note(ctx,
				 "%zu candidates not placed on the %s network: "
				 "farther than %s from a road; they cover no "
				 "one\n",
				 s->cand_unplaced, verb, sn);
	}
	if (!(s->uncovered > 0))
		cli_note(ctx, "nobody left to cover: the current partners "
			      "cover everyone\n");
	else if (s->npicks < (size_t)x->o.top)
		cli_note(ctx,
			 "only %zu candidate%s cover anyone new: the rest "
			 "would add no one\n",
			 s->npicks, s->npicks == 1 ? "" : "s");
	cli_note(ctx, "with the picks as partners: %s of %s (%s) %s\n",
		 x->s_after, x->s_tot, x->p_after, who);
}

int cmd_recruit(struct cli_ctx *ctx, int argc, char **argv)
{
	struct recruit x;
	size_t i;
	int rc;

	memset(&x, 0, sizeof(x));
	x.fmt = CLI_FMT_TABLE;
	if ((rc = recruit_parse(ctx, argc, argv, &x)) ||
	    (rc = recruit_load(ctx, &x)) ||
	    (rc = cli_travel_net(ctx, &x.o.t, x.in.proj, &x.net)) ||
	    (rc = recruit_solve(&x, &ctx->err)) || (rc = load_names(ctx, &x)))
		goto cleanup;
	recruit_marks(&x);
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
	if (x.names && x.r)
		for (i = 0; i < x.r->s->npicks; i++)
			free(x.names[i]);
	free(x.names);
	free(x.marks_gain);
	free(x.status);
	cli_run_release(ctx, &x.run);
	cli_table_free(x.t);
	geo_recruit_free(x.r);
	geo_net_free(x.net);
	free(x.weight);
	cli_inputs_release(&x.in);
	cli_analysis_release(&x.o.a);
	return rc;
}
