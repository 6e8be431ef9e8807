/*
 * cmd_standards.c - assetmap standards: time-or-distance access
 * standards (Medi-Cal network adequacy, "10 miles or 30 minutes"): the
 * share of the people whose nearest asset of a category is within the
 * time OR the distance, per area and overall, with the failing areas
 * listed worst first, stored as a run 'map' can shade.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
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
#include "core/core_units.h"
#include "geo/geo_net.h"
#include "geo/geo_standards.h"

#define CMD "standards"

/* What the command line gives. */
struct standards_opts {
	struct cli_analysis a;
	struct cli_travel t;
	struct cli_reach within;
	long top;
};

#define O struct standards_opts

const struct cli_opt cmd_standards_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] standards --category C --within "
	"D|T\n"
	"                [--by walk|bike|drive|line] [--snap D] [--cohort "
	"NAME]\n"
	"                [--areas LEVEL] [--top N] [filters] [--units U]\n"
	"                [--format table|csv|json]\n"
	"\n"
	"Time-or-distance access standards, as Medi-Cal's network adequacy\n"
	"standards are written (\"10 miles or 30 minutes\" from a member to "
	"the\n"
	"nearest provider): the share of the people whose nearest asset of "
	"the\n"
	"category is within the distance OR the time, per area and overall.\n"
	"With both, the time is that of the fastest trip to any asset and the\n"
	"distance that of the shortest trip (two searches on the road "
	"network,\n"
	"door to door); a person meets the standard when either is within "
	"it,\n"
	"a trip exactly at the limit included.  A time needs --by walk, bike "
	"or\n"
	"drive ('assetmap import roads'); --by line (the default) measures a\n"
	"distance-only standard in straight lines.\n"
	"\n"
	"The people are the members of --cohort NAME at their own locations "
	"(a\n"
	"counts cohort's people, or without --cohort the population, are "
	"placed\n"
	"at each area's point and weighted by their number).  People farther\n"
	"than --snap from every road the mode may use are not placed on the\n"
	"network: they are counted as NOT meeting the standard (it cannot be\n"
	"shown that they do) and reported in their own column, not_placed.\n"
	"Members without a location are left out, as in the other analyses.\n"
	"\n"
	"An area fails when some of its people do not meet the standard; the\n"
	"failing areas are listed worst first (lowest share meeting, then "
	"most\n"
	"people failing).  Cohort counts of 1 to 10 show as <11 in every "
	"table\n"
	"and a count that would give one away is 'suppressed'; failing areas\n"
	"whose counts are hidden are not listed, only counted.  The run stores "
	"per\n"
	"area the people, meet_<category>, fail_<category>, share_<category> "
	"and\n"
	"(with a network) not_placed, for 'results', 'map' and 'export'.\n"
	"\n"
	"options:\n"),
    CLI_OPT_CALLBACK("within", 0, "D|T", O, within, cli_reach_opt,
		     "the standard: a distance (10mi), a time (30min)\n"
		     "or both, met when either is (\"10mi|30min\")"),
    CLI_OPT_INT("top", 0, "N", O, top, 0, 1000000,
		"failing areas listed (default 10; 0 lists none)"),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_travel_options, O, t),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_analysis_options, O, a),
    CLI_OPT_TEXT(
	"\n"
	"examples:\n"
	"  assetmap standards --category primary_care --within \"10mi|30min\" "
	"--by drive\n"
	"  assetmap standards --category primary_care --within \"10mi|30min\" "
	"--by drive \\\n"
	"      --cohort members --areas zcta --top 20\n"
	"  assetmap standards --category behavioral_health --within 15mi\n"
	"  assetmap map --indicator standards:share_primary_care -o "
	"adequacy.png\n"),
    CLI_OPT_END()};

#undef O

/* Everything one run of the command holds, from parse to print. */
struct std_job {
	struct standards_opts o;
	enum cli_format fmt;
	struct cli_inputs in;
	int counts_cohort;	/* the cohort holds counts per area */
	double *counts;		/* [areas] such a cohort's counts */
	struct geo_net *net;	/* NULL with --by line */
	unsigned char *flag;	/* [in.n] GEO_STD_* per person / point */
	size_t assets_unplaced; /* assets not placed on the network */
	size_t na;		/* areas */
	double *people, *meet, *unplaced; /* [na] per area */
	double tot_people, tot_meet, tot_unplaced;
	double only_dist, only_time;	  /* met by one part only */
	struct cli_table *t_sum, *t_fail; /* printed after the commit */
	size_t nfail, nfail_hidden;	  /* failing areas listed / not */
	char std_text[160];		  /* "10.00 mi or 30 min driving" */
	struct cli_run run;
};

static int cohort_counts(const struct std_job *j)
{
	return j->o.a.cohort != NULL;
}

/* Seconds as "30 min" or "7.5 min". */
static void fmt_minutes(double s, char *buf, size_t sz)
{
	double m = s / 60.0;

	if (fabs(m - round(m)) < 1e-9)
		snprintf(buf, sz, "%.0f min", m);
	else
		snprintf(buf, sz, "%.1f min", m);
}

/* The standard as people read it: "10.00 mi or 30 min driving". */
static void standard_text(struct std_job *j)
{
	const struct cli_reach *r = &j->o.within;
	char d[64] = "", t[64] = "";

	if (!isnan(r->metres))
		core_units_format(r->metres, j->o.a.units, d, sizeof(d));
	if (!isnan(r->seconds))
		fmt_minutes(r->seconds, t, sizeof(t));
	snprintf(j->std_text, sizeof(j->std_text), "%s%s%s%s%s", d,
		 *d && *t ? " or " : "", t, j->net ? " " : "",
		 j->net ? geo_mode_verb(j->o.t.mode) : "");
}

/* Parse and check the options; --format into j->fmt. */
static int parse(struct cli_ctx *ctx, struct std_job *j, int argc, char **argv)
{
	struct standards_opts *o = &j->o;
	int rc;

	cli_analysis_init(&o->a);
	cli_travel_init(&o->t);
	cli_reach_init(&o->within);
	o->top = 10;
	if ((rc = cli_opt_parse(ctx, CMD, cmd_standards_options, o, argc, argv,
				NULL)))
		return rc;
	if (!cli_reach_given(&o->within))
		return cli_usage(ctx, CMD,
				 "--within is required: the standard, a "
				 "distance, a time or both (e.g. --within "
				 "\"10mi|30min\" --by drive)");
	if ((rc = cli_travel_check(ctx, CMD, &o->t, "--within", &o->within)))
		return rc;
	return cli_analysis_one_category(ctx, CMD, &o->a, &j->fmt);
}

/* The people, the assets and (with --by) the road network. */
static int load(struct cli_ctx *ctx, struct std_job *j)
{
	struct standards_opts *o = &j->o;
	struct cli_inputs *in = &j->in;
	int rc;

	if ((rc = cli_inputs_load_counts(ctx, CMD, &o->a, in,
					 &j->counts_cohort)))
		return rc;
	j->na = in->areas->n;
	if (j->counts_cohort) {
		j->counts = xmalloc((j->na + 1) * sizeof(double));
		if ((rc = geo_demand_load(ctx->ws, in->areas, o->a.cohort, NULL,
					  j->counts, &ctx->err)))
			return rc;
	}
	return cli_travel_net(ctx, &o->t, in->proj, &j->net);
}

/* Each person's (or area point's) GEO_STD_* flags into j->flag. */
static int evaluate(struct cli_ctx *ctx, struct std_job *j)
{
	const struct cli_inputs *in = &j->in;
	const struct geo_supply *s = &in->supply[0];
	struct geo_standard st;
	struct geo_snap *ps = NULL, *as = NULL;
	int rc = CORE_OK;

	st.metres = j->o.within.metres;
	st.seconds = j->o.within.seconds;
	j->flag = xcalloc(in->n + 1, 1);
	if (!j->net) {
		geo_standards_line(&st, s->n, s->x, s->y, in->n, in->x, in->y,
				   j->flag, NULL);
		return CORE_OK;
	}
	ps = xmalloc((in->n + 1) * sizeof(*ps));
	as = xmalloc((s->n + 1) * sizeof(*as));
	geo_net_snap(j->net, in->x, in->y, in->n, j->o.t.snap_m, ps);
	j->assets_unplaced =
	    geo_net_snap(j->net, s->x, s->y, s->n, j->o.t.snap_m, as);
	rc = geo_standards_net(j->net, &st, s->n, as, in->n, ps, j->flag, NULL,
			       NULL, &ctx->err);
	free(ps);
	free(as);
	return rc;
}

/* The weight of point i (1 per member, else the area's people) and its
 * area (-1: none); 0 for a point left out (no location). */
static double weight_of(const struct std_job *j, size_t i, int32_t *area)
{
	const struct cli_inputs *in = &j->in;
	double w;

	*area = in->area ? in->area[i] : (int32_t)i;
	if (in->members) {
		/* members without a location are left out, as coverage
		 * does; those with one but off the network are not */
		return isnan(in->x[i]) || isnan(in->y[i]) ? 0 : 1;
	}
	w = j->counts_cohort ? j->counts[i] : in->areas->population[i];
	return w > 0 ? w : 0;
}

/* Per area and overall: people, meeting, not placed. */
static void tally(struct std_job *j)
{
	size_t i;

	j->people = xcalloc(j->na + 1, sizeof(double));
	j->meet = xcalloc(j->na + 1, sizeof(double));
	j->unplaced = xcalloc(j->na + 1, sizeof(double));
	for (i = 0; i < j->in.n; i++) {
		int32_t a;
		double w = weight_of(j, i, &a);
		unsigned char f = j->flag[i];
		int meets = GEO_STD_MEETS(f), off = (f & GEO_STD_UNPLACED) != 0;

		if (!(w > 0))
			continue;
		j->tot_people += w;
		j->tot_meet += meets ? w : 0;
		j->tot_unplaced += off ? w : 0;
		if (f == GEO_STD_BY_DIST && !isnan(j->o.within.seconds))
			j->only_dist += w;
		if (f == GEO_STD_BY_TIME && !isnan(j->o.within.metres))
			j->only_time += w;
		if (a < 0)
			continue;
		j->people[a] += w;
		j->meet[a] += meets ? w : 0;
		j->unplaced[a] += off ? w : 0;
	}
}

/* ---- output ---------------------------------------------------------- */

/* A count as text: a privacy cell with a cohort, a whole number else. */
static const char *count_text(const struct std_job *j, double v,
			      enum core_privacy_mark mark, char *buf, size_t sz)
{
	if (cohort_counts(j))
		return core_privacy_cell((int64_t)llround(v), mark, 0, buf, sz);
	snprintf(buf, sz, "%.0f", v);
	return buf;
}

/* The cells of one row (people, meet, share, fail, not placed) with
 * the cohort's suppression: meet and fail as one row with its total;
 * not placed on its own.  Returns 1 when every cell is shown. */
static int row_cells(const struct std_job *j, double people, double meet,
		     double unplaced, char b[5][32])
{
	int64_t cells[2] = {llround(meet), llround(people - meet)};
	enum core_privacy_mark marks[2] = {CORE_PRIVACY_SHOW,
					   CORE_PRIVACY_SHOW};
	int hide_total = 0, shown;

	if (cohort_counts(j))
		hide_total = core_privacy_row(cells, 2, 1, marks);
	shown = marks[0] == CORE_PRIVACY_SHOW &&
		marks[1] == CORE_PRIVACY_SHOW && !hide_total;
	count_text(j, people,
		   hide_total ? CORE_PRIVACY_COMPLEMENT : CORE_PRIVACY_SHOW,
		   b[0], 32);
	count_text(j, meet, marks[0], b[1], 32);
	if (shown)
		cli_format_share(people > 0 ? meet / people : NAN, b[2], 32);
	else
		snprintf(b[2], 32, "%s", CORE_PRIVACY_HIDDEN_TEXT);
	count_text(j, people - meet, marks[1], b[3], 32);
	count_text(j, unplaced, CORE_PRIVACY_SHOW, b[4], 32);
	return shown;
}

/* The summary table and the run's summary object. */
static void summarise(struct std_job *j)
{
	static const char *const cols[] = {
	    "category",	      "assets", "people",    "meet",
	    "share_meet_pct", "fail",	"not_placed"};
	size_t nc = j->net ? 7 : 6;
	struct cli_table *t = cli_table_new(nc, cols, "snnnnnn");
	json_object *o = j->run.summary = json_object_new_object();
	char b[5][32], assets[32];
	const char *v[7];

	row_cells(j, j->tot_people, j->tot_meet, j->tot_unplaced, b);
	snprintf(assets, sizeof(assets), "%zu", j->in.supply[0].n);
	v[0] = j->o.a.cats[0];
	v[1] = assets;
	v[2] = b[0];
	v[3] = b[1];
	v[4] = b[2];
	v[5] = b[3];
	v[6] = b[4];
	cli_table_add(t, v);
	j->t_sum = t;
	json_object_object_add(o, "standard",
			       json_object_new_string(j->std_text));
	json_object_object_add(o, "people", json_object_new_string(b[0]));
	json_object_object_add(o, "meet", json_object_new_string(b[1]));
	json_object_object_add(o, "share_meet", json_object_new_string(b[2]));
	json_object_object_add(o, "fail", json_object_new_string(b[3]));
	if (j->net) {
		json_object_object_add(o, "not_placed",
				       json_object_new_string(b[4]));
		json_object_object_add(
		    o, "assets_not_placed",
		    json_object_new_int64((int64_t)j->assets_unplaced));
	}
}

struct fail_row {
	size_t i;
	double share, fail;
};

static int fail_cmp(const void *a, const void *b)
{
	const struct fail_row *x = a, *y = b;

	if (x->share != y->share)
		return x->share < y->share ? -1 : 1;
	if (x->fail != y->fail)
		return x->fail > y->fail ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* The failing areas, worst first, up to --top, into j->t_fail; counted
 * in the summary. */
static void failing(struct std_job *j)
{
	static const char *const cols[] = {
	    "rank", "geoid",	      "name", "people",
	    "meet", "share_meet_pct", "fail", "not_placed"};
	size_t nc = j->net ? 8 : 7, i, r, nf = 0, hidden = 0;
	struct fail_row *rows = xcalloc(j->na + 1, sizeof(*rows));
	struct cli_table *t = cli_table_new(nc, cols, "nssnnnnn");
	char b[5][32], rank[32];

	for (i = 0; i < j->na; i++) {
		if (!(j->people[i] > 0) || !(j->people[i] - j->meet[i] > 0))
			continue;
		if (!row_cells(j, j->people[i], j->meet[i], j->unplaced[i],
			       b)) {
			hidden++;
			continue;
		}
		rows[nf].i = i;
		rows[nf].share = j->meet[i] / j->people[i];
		rows[nf].fail = j->people[i] - j->meet[i];
		nf++;
	}
	qsort(rows, nf, sizeof(*rows), fail_cmp);
	json_object_object_add(j->run.summary, "failing_areas",
			       json_object_new_int64((int64_t)(nf + hidden)));
	j->nfail = nf;
	j->nfail_hidden = hidden;
	for (r = 0; r < nf && r < (size_t)j->o.top; r++) {
		const char *v[8];

		i = rows[r].i;
		row_cells(j, j->people[i], j->meet[i], j->unplaced[i], b);
		snprintf(rank, sizeof(rank), "%zu", r + 1);
		v[0] = rank;
		v[1] = j->in.areas->geoid[i];
		v[2] = j->in.areas->name[i];
		v[3] = b[0];
		v[4] = b[1];
		v[5] = b[2];
		v[6] = b[3];
		v[7] = b[4];
		cli_table_add(t, v);
	}
	j->t_fail = t;
	free(rows);
}

/* ---- the run ---------------------------------------------------------- */

/* Begin the run with its parameters; describe and write the per-area
 * values.  The caller commits after the summary. */
static int store(struct cli_ctx *ctx, struct std_job *j)
{
	const struct standards_opts *o = &j->o;
	const char *cat = o->a.cats[0];
	int coh = cohort_counts(j);
	const char *cnt_rk = coh ? CORE_RK_COHORT_COUNT : CORE_RK_POPULATION;
	char n_meet[160], n_fail[160], n_share[160], l[512], basis[400];
	const char *n_people = coh ? "n" : "population";
	size_t i;
	int rc;

	j->run.params =
	    isnan(o->within.metres)
		? cli_analysis_params_json(&o->a, "within_s", o->within.seconds)
		: cli_analysis_params_json(&o->a, "within_m", o->within.metres);
	if (!isnan(o->within.seconds) && !isnan(o->within.metres))
		json_object_object_add(
		    j->run.params, "within_s",
		    json_object_new_double(o->within.seconds));
	json_object_object_add(j->run.params, "within",
			       json_object_new_string(o->within.text));
	json_object_object_add(
	    j->run.params, "by",
	    json_object_new_string(geo_mode_name(o->t.mode)));
	if (j->net)
		json_object_object_add(j->run.params, "snap_m",
				       json_object_new_double(o->t.snap_m));
	snprintf(n_meet, sizeof(n_meet), "meet_%s", cat);
	snprintf(n_fail, sizeof(n_fail), "fail_%s", cat);
	snprintf(n_share, sizeof(n_share), "share_%s", cat);
	snprintf(basis, sizeof(basis), "%s,%s", n_meet, n_fail);
	if ((rc = cli_run_begin(ctx, CMD, o->a.areas, o->a.cohort, &j->run)))
		return rc;
	rc = core_result_info_add(ctx->ws, j->run.id, n_people, cnt_rk, NULL,
				  coh ? "People" : "Population", 0, &ctx->err);
	snprintf(l, sizeof(l), "People within %s of %s", j->std_text, cat);
	if (!rc)
		rc = core_result_info_add(ctx->ws, j->run.id, n_meet, cnt_rk,
					  NULL, l, 1, &ctx->err);
	snprintf(l, sizeof(l), "People not within %s of %s", j->std_text, cat);
	if (!rc)
		rc = core_result_info_add(ctx->ws, j->run.id, n_fail, cnt_rk,
					  NULL, l, 2, &ctx->err);
	snprintf(l, sizeof(l), "Share within %s of %s", j->std_text, cat);
	if (!rc)
		rc = core_result_info_add(ctx->ws, j->run.id, n_share,
					  coh ? CORE_RK_COHORT_STAT
					      : CORE_RK_SHARE,
					  coh ? basis : NULL, l, 3, &ctx->err);
	if (!rc && j->net)
		rc = core_result_info_add(
		    ctx->ws, j->run.id, "not_placed", cnt_rk, NULL,
		    "People not placed on the network (counted as failing)", 4,
		    &ctx->err);
	if (!rc)
		rc = core_result_writer_new(ctx->ws, j->run.id, &j->run.w,
					    &ctx->err);
	for (i = 0; !rc && i < j->na; i++) {
		const char *g = j->in.areas->geoid[i];
		double p = j->people[i];

		/* an area with no people has no share (and without a
		 * cohort, an area point with no population none either) */
		rc = core_result_area_put(j->run.w, g, n_people, p, &ctx->err);
		if (!rc)
			rc = core_result_area_put(j->run.w, g, n_meet,
						  j->meet[i], &ctx->err);
		if (!rc)
			rc = core_result_area_put(j->run.w, g, n_fail,
						  p - j->meet[i], &ctx->err);
		if (!rc)
			rc = core_result_area_put(j->run.w, g, n_share,
						  p > 0 ? j->meet[i] / p : NAN,
						  &ctx->err);
		if (!rc && j->net)
			rc = core_result_area_put(j->run.w, g, "not_placed",
						  j->unplaced[i], &ctx->err);
	}
	return rc;
}

/* Notes on what was measured, on the note stream. */
static void notes(struct cli_ctx *ctx, struct std_job *j)
{
	struct cli_analysis a = j->o.a;
	char c1[32];

	if (j->counts_cohort) {
		a.cohort = NULL;
		cli_inputs_note(ctx, CMD, &a, &j->in);
		cli_note(ctx,
			 "%s: people: cohort %s (counts per area, at the "
			 "area points)\n",
			 CMD, j->o.a.cohort);
	} else {
		cli_inputs_note(ctx, CMD, &a, &j->in);
	}
	cli_note(ctx, "standard: the nearest %s within %s%s\n", j->o.a.cats[0],
		 j->std_text,
		 j->net ? ", door to door on the road network"
			: ", in straight lines");
	if (j->net && j->tot_unplaced > 0)
		cli_note(
		    ctx,
		    "%s: %s %s not placed on the %s network: farther "
		    "than %s from a road; counted as not meeting the "
		    "standard (column not_placed)\n",
		    CMD,
		    cohort_counts(j)
			? core_privacy_count_grouped(llround(j->tot_unplaced),
						     c1, sizeof(c1))
			: (snprintf(c1, sizeof(c1), "%.0f", j->tot_unplaced),
			   c1),
		    j->in.members ? "people" : "people (area points)",
		    geo_mode_verb(j->o.t.mode), j->o.t.snap_text);
	if (j->net && j->assets_unplaced)
		cli_note(ctx,
			 "%s: %zu of %zu %s assets not placed on the %s "
			 "network: farther than %s from a road (never "
			 "reached)\n",
			 CMD, j->assets_unplaced, j->in.supply[0].n,
			 j->o.a.cats[0], geo_mode_verb(j->o.t.mode),
			 j->o.t.snap_text);
}

/*
 * assetmap standards (argv[0] is "standards"): parse, load the people,
 * the category's assets and (with --by) the road network, decide for
 * every person whether the nearest asset is within the time or the
 * distance, tally per area, store the run, then print the notes, the
 * summary and the failing areas.  Returns CORE_OK, or a code with
 * ctx->err set (CORE_EUSAGE for usage errors; the run is not kept on
 * failure).
 */
int cmd_standards(struct cli_ctx *ctx, int argc, char **argv)
{
	struct std_job j;
	int rc;

	memset(&j, 0, sizeof(j));
	j.fmt = CLI_FMT_TABLE;
	if ((rc = parse(ctx, &j, argc, argv)) || (rc = load(ctx, &j)))
		goto cleanup;
	standard_text(&j);
	if ((rc = evaluate(ctx, &j)))
		goto cleanup;
	tally(&j);
	if ((rc = store(ctx, &j)))
		goto cleanup;
	summarise(&j);
	failing(&j);
	if ((rc = cli_run_commit(ctx, &j.run)))
		goto cleanup;
	notes(ctx, &j);
	cli_table_print(j.t_sum, ctx->out, j.fmt);
	cli_note(ctx, "\n%zu of %zu %s areas fail the standard",
		 j.nfail + j.nfail_hidden, j.na, j.o.a.areas);
	if (j.nfail_hidden)
		cli_note(ctx,
			 " (%zu not listed: their counts are below 11 or "
			 "would give one away)",
			 j.nfail_hidden);
	cli_note(ctx, "%s\n", j.nfail && j.o.top ? "; worst first:" : "");
	if (j.nfail && j.o.top)
		cli_table_print(j.t_fail, ctx->out, j.fmt);
	cli_run_stored_note(ctx, j.run.id);
cleanup:
	cli_run_release(ctx, &j.run);
	cli_table_free(j.t_sum);
	cli_table_free(j.t_fail);
	geo_net_free(j.net);
	free(j.flag);
	free(j.counts);
	free(j.people);
	free(j.meet);
	free(j.unplaced);
	cli_inputs_release(&j.in);
	cli_analysis_release(&j.o.a);
	return rc;
}
