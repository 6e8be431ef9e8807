/*
 * cmd_coverage.c - assetmap coverage: how many people (a cohort's, or the
 * population's) live within a distance of at least one asset of each
 * category, overall and per area, and how many assets each person has
 * within that distance.
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
#include "geo/geo_kd.h"
#include "geo/geo_net.h"

#define CMD	       "coverage"
#define DEFAULT_WITHIN "1mi"

/* What the command line gives. */
struct coverage_opts {
	struct cli_analysis a;
	struct cli_travel t;
	struct cli_reach within; /* metres and/or seconds, and the text */
};

#define O struct coverage_opts

const struct cli_opt cmd_coverage_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] coverage [--cohort NAME] [--areas "
	"LEVEL]\n"
	"                [--category C[,C...]] [--within D|T] [filters]\n"
	"                [--by walk|bike|drive|line] [--snap D]\n"
	"                [--units mi|km|m] [--format table|csv|json]\n"
	"\n"
	"How many people live within D of at least one asset of each "
	"category:\n"
	"the people of a cohort, or, without --cohort, the population of the\n"
	"areas (each area counted at its point: the population-weighted "
	"centroid\n"
	"of its block groups when the workspace has block-group population, "
	"else\n"
	"its geometric centroid).  Distances are straight lines in the\n"
	"workspace's analysis CRS; an asset at exactly D counts as within.\n"
	"With --by walk, bike or drive a person is covered when the nearest\n"
	"asset along the road network ('assetmap import roads'), door to "
	"door,\n"
	"is within the time or the network distance (--within 30min, 2mi,\n"
	"or 2mi|30min: either); people farther than --snap from every road\n"
	"are reported and left out.\n"
	"\n"
	"For each person it keeps, inside the workspace, the number of assets\n"
	"of each category within D (on the network: 1 when covered, 0 when\n"
	"not, -1 when not placed), never printed or exported.  Per area it\n"
	"stores the people (n), how many are covered and the share; with more\n"
	"than one category also how many are covered by every one of them\n"
	"('all').  Counts of 1 to 10 people show as <11, and a count that "
	"would\n"
	"give one away by subtraction is hidden too.\n"
	"\n"),
    CLI_OPT_CALLBACK("within", 0, "D|T", O, within, cli_reach_opt,
		     "the distance, with its unit (500m, 2mi, 3km;\n"
		     "default " DEFAULT_WITHIN "); with --by, a time (30min),\n"
		     "a network distance, or both (2mi|30min)"),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_travel_options, O, t),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_analysis_options, O, a),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap coverage --cohort asthma-kids --category "
		 "primary_care --within 2mi\n"
		 "  assetmap coverage --category food,housing --within 1km "
		 "--units km\n"
		 "  assetmap coverage --cohort asthma-kids --category "
		 "primary_care \\\n"
		 "      --by drive --within \"10mi|30min\"\n"),
    CLI_OPT_END()};

#undef O

/* One summary row for people (cohort): covered / not covered with
 * complementary suppression, into the table and the JSON summary. */
static void cohort_row(struct cli_table *t, json_object *jcats,
		       const char *label, size_t nassets, int64_t covered,
		       int64_t people)
{
	int64_t cells[2] = {covered, people - covered};
	enum core_privacy_mark marks[2];
	char assets_text[32], people_text[32], covered_text[32],
	    not_covered_text[32], share_text[32];
	int hide_total = core_privacy_row(cells, 2, 1, marks);
	json_object *jc = json_object_new_object();
	const char *row[6];

	if (nassets == (size_t)-1)
		snprintf(assets_text, sizeof(assets_text), "-");
	else
		snprintf(assets_text, sizeof(assets_text), "%zu", nassets);
	/* core_privacy_cell shows a small count as "<11" whatever its mark;
	 * a small total makes a part small too, so the share goes with it */
	core_privacy_cell(
	    people, hide_total ? CORE_PRIVACY_COMPLEMENT : CORE_PRIVACY_SHOW, 0,
	    people_text, sizeof(people_text));
	core_privacy_cell(cells[0], marks[0], 0, covered_text,
			  sizeof(covered_text));
	core_privacy_cell(cells[1], marks[1], 0, not_covered_text,
			  sizeof(not_covered_text));
	if (marks[0] != CORE_PRIVACY_SHOW || marks[1] != CORE_PRIVACY_SHOW ||
	    hide_total)
		snprintf(share_text, sizeof(share_text), "%s",
			 CORE_PRIVACY_HIDDEN_TEXT);
	else
		cli_format_share(people ? (double)covered / (double)people
					: NAN,
				 share_text, sizeof(share_text));
	row[0] = label;
	row[1] = assets_text;
	row[2] = people_text;
	row[3] = covered_text;
	row[4] = share_text;
	row[5] = not_covered_text;
	cli_table_add(t, row);
	json_object_object_add(jc, "category", json_object_new_string(label));
	json_object_object_add(jc, "people",
			       json_object_new_string(people_text));
	json_object_object_add(jc, "covered",
			       json_object_new_string(covered_text));
	json_object_object_add(jc, "share", json_object_new_string(share_text));
	json_object_object_add(jc, "not_covered",
			       json_object_new_string(not_covered_text));
	json_object_array_add(jcats, jc);
}

/* Everything one run of the command holds, from parse to print. */
struct coverage_job {
	struct coverage_opts o;
	struct cli_inputs in;
	int with_all;	    /* more than one category: also "all" */
	int64_t **count;    /* [ncats][in.n] assets within D */
	unsigned char *all; /* [in.n] 1: every category within D */
	struct cli_table *t;
	struct cli_run run;
	/* On the network (--by): */
	struct geo_net *net;   /* NULL: straight lines */
	unsigned char *placed; /* [in.n] 1: on the network */
	size_t unplaced;       /* points with a location not placed */
	double pop_unplaced;   /* their population (areas) */
	size_t *src_unplaced;  /* [ncats] assets not placed */
};

/* Whether point i is counted: it has a location and, on the network, a
 * place on it. */
static int counted(const struct coverage_job *j, size_t i)
{
	return !isnan(j->in.x[i]) && (!j->placed || j->placed[i]);
}

/* A threshold for a header: "1.00 mi", "30 min", or "2.00 mi or 30 min". */
static void reach_label(const struct cli_reach *r, enum core_unit u, char *buf,
			size_t size)
{
	char d[32] = "", t[32] = "";

	if (!isnan(r->metres))
		core_units_format(r->metres, u, d, sizeof(d));
	if (!isnan(r->seconds))
		snprintf(t, sizeof(t), "%g min", r->seconds / 60);
	snprintf(buf, size, "%s%s%s", d, d[0] && t[0] ? " or " : "", t);
}

/* Assets within D of every point, per category, on every core. */
static void count_within(struct coverage_job *j)
{
	const struct coverage_opts *o = &j->o;
	const struct cli_inputs *in = &j->in;
	uint32_t *order = NULL; /* the people are in spatial order already */
	size_t *cnt, i, c;

	j->count = xcalloc(o->a.ncats, sizeof(*j->count));
	cnt = xmalloc((in->n ? in->n : 1) * sizeof(size_t));
	j->all = xmalloc(in->n ? in->n : 1);
	memset(j->all, 1, in->n ? in->n : 1);
	for (c = 0; c < o->a.ncats; c++) {
		const struct geo_supply *s = &in->supply[c];
		struct geo_kd *kd = geo_kd_new(s->x, s->y, s->n);

		j->count[c] = xmalloc((in->n ? in->n : 1) * sizeof(int64_t));
		if (in->n)
			geo_kd_count_within_all(kd, in->x, in->y, in->n,
						o->within.metres, order, cnt);
		for (i = 0; i < in->n; i++) {
			j->count[c][i] = (int64_t)cnt[i];
			if (!cnt[i])
				j->all[i] = 0;
		}
		geo_kd_free(kd);
	}

	free(cnt);
}

/*
 * On the network: every point snapped once, each category's supply
 * snapped, and per category one multi-source search by time (limited to
 * the time given) and one by length (limited to the distance given): a
 * point is covered (1) when either finds an asset, else 0; -1 when the
 * point is not placed.
 */
static int cover_net(struct cli_ctx *ctx, struct coverage_job *j)
{
	const struct coverage_opts *o = &j->o;
	const struct cli_inputs *in = &j->in;
	size_t n = in->n ? in->n : 1, i, c;
	struct geo_snap *snap = xmalloc(n * sizeof(*snap));
	struct geo_net_cost *cost = xmalloc(n * sizeof(*cost));
	size_t *which = xmalloc(n * sizeof(size_t));
	int rc = CORE_OK;

	j->count = xcalloc(o->a.ncats ? o->a.ncats : 1, sizeof(*j->count));
	j->src_unplaced = xcalloc(o->a.ncats ? o->a.ncats : 1, sizeof(size_t));
	j->placed = xmalloc(n);
	j->all = xmalloc(n);
	if (in->n)
		geo_net_snap(j->net, in->x, in->y, in->n, o->t.snap_m, snap);
	for (i = 0; i < in->n; i++) {
		j->placed[i] = !isnan(in->x[i]) && snap[i].seg >= 0;
		j->all[i] = j->placed[i];
		if (isnan(in->x[i]))
			snap[i].seg = -1;
		else if (!j->placed[i]) {
			j->unplaced++;
			if (!o->a.cohort && in->areas->population[i] > 0)
				j->pop_unplaced += in->areas->population[i];
		}
	}
	for (c = 0; c < o->a.ncats && rc == CORE_OK; c++) {
		const struct geo_supply *s = &in->supply[c];
		struct geo_snap *ss = xmalloc((s->n ? s->n : 1) * sizeof(*ss));
		int64_t *cov = xmalloc(n * sizeof(int64_t));
		int pass;

		j->count[c] = cov;
		j->src_unplaced[c] = s->n ? geo_net_snap(j->net, s->x, s->y,
							 s->n, o->t.snap_m, ss)
					  : 0;
		for (i = 0; i < in->n; i++)
			cov[i] = j->placed[i] ? 0 : -1;
		for (pass = 0; pass < 2 && rc == CORE_OK; pass++) {
			double lim =
			    pass ? o->within.metres : o->within.seconds;

			if (isnan(lim) || !in->n || s->n == j->src_unplaced[c])
				continue;
			rc = geo_net_nearest(
			    j->net, pass ? GEO_NET_LENGTH : GEO_NET_TIME, s->n,
			    ss, in->n, snap, lim, which, cost, &ctx->err);
			for (i = 0; i < in->n && rc == CORE_OK; i++)
				if (j->placed[i] && which[i] != (size_t)-1 &&
				    cost[i].cost <= lim)
					cov[i] = 1;
		}
		for (i = 0; i < in->n; i++)
			if (cov[i] != 1)
				j->all[i] = 0;
		free(ss);
	}
	free(snap);
	free(cost);
	free(which);
	return rc;
}

/* Begin the run; with a cohort, store each member's counts. */
static int begin(struct cli_ctx *ctx, struct coverage_job *j)
{
	const struct coverage_opts *o = &j->o;
	const struct cli_inputs *in = &j->in;
	size_t c;
	int rc;

	j->run.params =
	    cli_analysis_params_json(&o->a, "within_m", o->within.metres);
	if (j->net) {
		/* "by" says how: the maps and results say minutes walking */
		if (isnan(o->within.metres))
			json_object_object_del(j->run.params, "within_m");
		if (!isnan(o->within.seconds))
			json_object_object_add(
			    j->run.params, "within_s",
			    json_object_new_double(o->within.seconds));
		json_object_object_add(
		    j->run.params, "by",
		    json_object_new_string(geo_mode_name(o->t.mode)));
		json_object_object_add(j->run.params, "snap_m",
				       json_object_new_double(o->t.snap_m));
	}
	if ((rc = cli_run_begin(ctx, CMD, in->areas->n ? o->a.areas : NULL,
				o->a.cohort, &j->run)) ||
	    (rc = core_result_writer_new(ctx->ws, j->run.id, &j->run.w,
					 &ctx->err)))
		return rc;
	if (o->a.cohort) {
		if ((rc = core_result_column_put(ctx->ws, j->run.id,
						 "member_id", "i8", in->n,
						 in->members->id, &ctx->err)))
			return rc;
		for (c = 0; c < o->a.ncats; c++) {
			char name[160];
			snprintf(name, sizeof(name), "%s_%s",
				 j->net ? "covered" : "count", o->a.cats[c]);
			if ((rc = core_result_column_put(
				 ctx->ws, j->run.id, name, "i8", in->n,
				 j->count[c], &ctx->err)))
				return rc;
		}
		if ((rc = core_result_info_add(ctx->ws, j->run.id, "n",
					       CORE_RK_COHORT_COUNT, NULL,
					       j->net ? "People placed on the "
							"network"
						      : "People",
					       0, &ctx->err)))
			return rc;
		if (j->net) {
			char l[160];

			snprintf(l, sizeof(l),
				 "People not placed on the %s network",
				 geo_mode_verb(o->t.mode));
			if ((rc = core_result_info_add(
				 ctx->ws, j->run.id, "not_placed",
				 CORE_RK_COHORT_COUNT, NULL, l,
				 (int)(2 * (o->a.ncats + 1) + 1), &ctx->err)))
				return rc;
		}
	} else if ((rc = core_result_info_add(ctx->ws, j->run.id, "population",
					      CORE_RK_POPULATION, NULL,
					      "Population", 0, &ctx->err))) {
		return rc;
	}
	return CORE_OK;
}

/* Name and label the per-area columns. */
static int describe_columns(struct cli_ctx *ctx, struct coverage_job *j)
{
	const struct coverage_opts *o = &j->o;
	size_t c;
	int rc;

	for (c = 0; c < o->a.ncats + (size_t)j->with_all; c++) {
		const char *cat = c < o->a.ncats ? o->a.cats[c] : "all";
		char n1[160], n2[160], l1[256], l2[256], basis[200], ws_[96];

		if (j->net) {
			char r[64];

			reach_label(&o->within, o->a.units, r, sizeof(r));
			snprintf(ws_, sizeof(ws_), "%s %s", r,
				 geo_mode_verb(o->t.mode));
		} else {
			core_units_format(o->within.metres, o->a.units, ws_,
					  sizeof(ws_));
		}
		if (o->a.cohort) {
			snprintf(n1, sizeof(n1), "covered_%s", cat);
			snprintf(l1, sizeof(l1), "People within %s of %s%s",
				 ws_,
				 c < o->a.ncats ? "" : "every category: ", cat);
			snprintf(n2, sizeof(n2), "share_%s", cat);
			snprintf(l2, sizeof(l2), "Share within %s of %s", ws_,
				 cat);
			snprintf(basis, sizeof(basis), "covered_%s,n", cat);
			if ((rc = core_result_info_add(
				 ctx->ws, j->run.id, n1, CORE_RK_COHORT_COUNT,
				 NULL, l1, (int)(2 * c + 1), &ctx->err)) ||
			    (rc = core_result_info_add(
				 ctx->ws, j->run.id, n2, CORE_RK_COHORT_STAT,
				 basis, l2, (int)(2 * c + 2), &ctx->err)))
				return rc;
		} else {
			snprintf(n1, sizeof(n1), "count_%s", cat);
			snprintf(l1, sizeof(l1), "Assets of %s within %s", cat,
				 ws_);
			snprintf(n2, sizeof(n2), "covered_%s", cat);
			snprintf(l2, sizeof(l2), "Population within %s of %s",
				 ws_, cat);
			if ((c < o->a.ncats && !j->net &&
			     (rc = core_result_info_add(
				  ctx->ws, j->run.id, n1, CORE_RK_VALUE, NULL,
				  l1, (int)(2 * c + 1), &ctx->err))) ||
			    (rc = core_result_info_add(
				 ctx->ws, j->run.id, n2, CORE_RK_POPULATION,
				 NULL, l2, (int)(2 * c + 2), &ctx->err)))
				return rc;
		}
	}

	return CORE_OK;
}

/*
 * The values per area: with a cohort its people (n), covered and share;
 * else the population, the count of assets and the population covered.
 */
static int store_areas(struct cli_ctx *ctx, struct coverage_job *j)
{
	const struct coverage_opts *o = &j->o;
	const struct cli_inputs *in = &j->in;
	size_t i, c;
	int rc = CORE_OK;

	/* per area */
	{
		size_t na = in->areas->n, nv = o->a.ncats + (size_t)j->with_all;
		int64_t *people = xcalloc(na + 1, sizeof(int64_t));
		int64_t *unplaced = xcalloc(na + 1, sizeof(int64_t));
		int64_t *cov = xcalloc((na + 1) * nv, sizeof(int64_t));

		if (o->a.cohort) {
			for (i = 0; i < in->n; i++) {
				int32_t k = in->area[i];
				if (k < 0 || isnan(in->x[i]))
					continue;
				if (!counted(j, i)) {
					/* not placed on the network */
					unplaced[k]++;
					continue;
				}
				people[k]++;
				for (c = 0; c < o->a.ncats; c++)
					if (j->count[c][i])
						cov[(size_t)k * nv + c]++;
				if (j->with_all && j->all[i])
					cov[(size_t)k * nv + o->a.ncats]++;
			}
		}
		for (i = 0; i < na && rc == CORE_OK; i++) {
			const char *g = in->areas->geoid[i];
			double pop = in->areas->population[i];

			if (!o->a.cohort) {
				rc = core_result_area_put(
				    j->run.w, g, "population", pop, &ctx->err);
				for (c = 0; c < nv && rc == CORE_OK; c++) {
					const char *cat = c < o->a.ncats
							      ? o->a.cats[c]
							      : "all";
					int yes = c < o->a.ncats
						      ? j->count[c][i] > 0
						      : j->all[i];
					char n1[160], n2[160];
					snprintf(n1, sizeof(n1), "count_%s",
						 cat);
					snprintf(n2, sizeof(n2), "covered_%s",
						 cat);
					if (c < o->a.ncats && j->net)
						; /* no counts on the network */
					else if (c < o->a.ncats &&
						 isnan(in->x[i]))
						rc = core_result_area_put(
						    j->run.w, g, n1, NAN,
						    &ctx->err);
					else if (c < o->a.ncats)
						rc = core_result_area_put(
						    j->run.w, g, n1,
						    (double)j->count[c][i],
						    &ctx->err);
					if (rc == CORE_OK)
						rc = core_result_area_put(
						    j->run.w, g, n2,
						    !counted(j, i) ? NAN
						    : yes	   ? pop
								   : 0,
						    &ctx->err);
				}
				continue;
			}
			rc = core_result_area_put(j->run.w, g, "n",
						  (double)people[i], &ctx->err);
			if (rc == CORE_OK && j->net)
				rc = core_result_area_put(
				    j->run.w, g, "not_placed",
				    (double)unplaced[i], &ctx->err);
			for (c = 0; c < nv && rc == CORE_OK; c++) {
				const char *cat =
				    c < o->a.ncats ? o->a.cats[c] : "all";
				char n1[160], n2[160];
				int64_t k = cov[i * nv + c];
				snprintf(n1, sizeof(n1), "covered_%s", cat);
				snprintf(n2, sizeof(n2), "share_%s", cat);
				rc = core_result_area_put(j->run.w, g, n1,
							  (double)k, &ctx->err);
				if (rc == CORE_OK)
					rc = core_result_area_put(
					    j->run.w, g, n2,
					    people[i]
						? (double)k / (double)people[i]
						: NAN,
					    &ctx->err);
			}
		}
		free(people);
		free(unplaced);
		free(cov);
		if (rc)
			return rc;
	}

	return CORE_OK;
}

/* The summary over every point with a location: j->t and
 * j->run.summary. */
static void summarise(struct coverage_job *j)
{
	const struct coverage_opts *o = &j->o;
	const struct cli_inputs *in = &j->in;
	size_t i, c;

	/* The summary over every point with a location. */
	{
		static const char *const ccols[] = {
		    "category", "assets",	 "people",
		    "covered",	"share covered", "not covered"};
		static const char *const acols[] = {
		    "category",	  "assets",  "areas",
		    "population", "covered", "share covered"};
		json_object *jcats = json_object_new_array();
		char h_cov[128], ws_[96];
		const char *cols[6];

		if (j->net)
			reach_label(&o->within, o->a.units, ws_, sizeof(ws_));
		else
			core_units_format(o->within.metres, o->a.units, ws_,
					  sizeof(ws_));
		snprintf(h_cov, sizeof(h_cov), "within %s", ws_);
		memcpy(cols, o->a.cohort ? ccols : acols, sizeof(cols));
		cols[o->a.cohort ? 3 : 4] = h_cov;
		j->t = cli_table_new(6, cols, "snnnnn");
		j->run.summary = json_object_new_object();
		if (!isnan(o->within.metres))
			json_object_object_add(
			    j->run.summary, "within_m",
			    json_object_new_double(o->within.metres));
		if (j->net) {
			char buf[24];

			if (!isnan(o->within.seconds))
				json_object_object_add(
				    j->run.summary, "within_s",
				    json_object_new_double(o->within.seconds));
			json_object_object_add(
			    j->run.summary, "by",
			    json_object_new_string(geo_mode_name(o->t.mode)));
			if (o->a.cohort)
				json_object_object_add(
				    j->run.summary, "not_placed",
				    json_object_new_string(
					core_privacy_count((int64_t)j->unplaced,
							   buf, sizeof(buf))));
			else
				json_object_object_add(
				    j->run.summary, "areas_not_placed",
				    json_object_new_int64(
					(int64_t)j->unplaced));
		}
		for (c = 0; c < o->a.ncats + (size_t)j->with_all; c++) {
			const char *cat = c < o->a.ncats ? o->a.cats[c] : "all";
			size_t nassets =
			    c < o->a.ncats ? in->supply[c].n : (size_t)-1;

			if (o->a.cohort) {
				int64_t people = 0, covered = 0;
				for (i = 0; i < in->n; i++) {
					if (!counted(j, i))
						continue;
					people++;
					if (c < o->a.ncats ? j->count[c][i] > 0
							   : j->all[i])
						covered++;
				}
				cohort_row(j->t, jcats, cat, nassets, covered,
					   people);
			} else {
				double pop = 0, covered = 0;
				size_t nareas = 0;
				char assets_text[32], areas_text[32],
				    population_text[32], covered_text[32],
				    share_text[32];
				json_object *jc = json_object_new_object();
				for (i = 0; i < in->n; i++) {
					double wgt = in->areas->population[i];
					if (isnan(in->x[i]))
						continue;
					nareas++;
					if (!(wgt > 0) || !counted(j, i))
						continue;
					pop += wgt;
					if (c < o->a.ncats ? j->count[c][i] > 0
							   : j->all[i])
						covered += wgt;
				}
				if (nassets == (size_t)-1)
					snprintf(assets_text,
						 sizeof(assets_text), "-");
				else
					snprintf(assets_text,
						 sizeof(assets_text), "%zu",
						 nassets);
				snprintf(areas_text, sizeof(areas_text), "%zu",
					 nareas);
				snprintf(population_text,
					 sizeof(population_text), "%.0f", pop);
				snprintf(covered_text, sizeof(covered_text),
					 "%.0f", covered);
				cli_format_share(pop > 0 ? covered / pop : NAN,
						 share_text,
						 sizeof(share_text));
				{
					const char *row[6] = {
					    cat,	  assets_text,
					    areas_text,	  population_text,
					    covered_text, share_text};
					cli_table_add(j->t, row);
				}
				json_object_object_add(
				    jc, "category",
				    json_object_new_string(cat));
				json_object_object_add(
				    jc, "population",
				    json_object_new_double(pop));
				json_object_object_add(
				    jc, "covered",
				    json_object_new_double(covered));
				json_object_array_add(jcats, jc);
			}
		}
		json_object_object_add(j->run.summary, "categories", jcats);
		json_object_object_add(
		    j->run.summary, "points",
		    json_object_new_string(cli_inputs_points_note(in)));
	}
}

/* assetmap coverage [--within D] [analysis options]: count, for every
 * person of the cohort (or every area's point), the assets of each
 * category within D in straight lines (default 1 mile); store a run with
 * the per-area values (and, with a cohort, each member's counts) and a
 * summary; then note what was measured and print the summary table per
 * category (and over all of them, with more than one) on ctx->out.
 * Returns 0, or a code with ctx->err set (a usage error, or the error of
 * loading the inputs or storing the run, which then is not kept). */
int cmd_coverage(struct cli_ctx *ctx, int argc, char **argv)
{
	struct coverage_job j;
	enum cli_format fmt = CLI_FMT_TABLE;
	size_t c;
	int rc;

	memset(&j, 0, sizeof(j));
	cli_analysis_init(&j.o.a);
	cli_travel_init(&j.o.t);
	cli_reach_init(&j.o.within);
	j.o.within.metres = CORE_M_PER_MI;
	j.o.within.text = DEFAULT_WITHIN;
	if ((rc = cli_opt_parse(ctx, CMD, cmd_coverage_options, &j.o, argc,
				argv, NULL)) ||
	    (rc =
		 cli_travel_check(ctx, CMD, &j.o.t, "--within", &j.o.within)) ||
	    (rc = cli_analysis_prepare(ctx, CMD, &j.o.a, &fmt, &j.in)) ||
	    (rc = cli_travel_net(ctx, &j.o.t, j.in.proj, &j.net)))
		goto cleanup;
	j.with_all = j.o.a.ncats > 1;
	if (j.net) {
		if ((rc = cover_net(ctx, &j)))
			goto cleanup;
	} else {
		count_within(&j);
	}
	cli_analysis_lap("counts within");
	cli_analysis_cache(ctx, j.in.n);
	if ((rc = begin(ctx, &j)) || (rc = describe_columns(ctx, &j)) ||
	    (rc = store_areas(ctx, &j)))
		goto cleanup;
	cli_analysis_lap("values");
	summarise(&j);
	if ((rc = cli_run_commit(ctx, &j.run)))
		goto cleanup;
	cli_analysis_lap("summary and commit");

	cli_inputs_note(ctx, CMD, &j.o.a, &j.in);
	if (j.net) {
		const char *verb = geo_mode_verb(j.o.t.mode),
			   *bar = strchr(j.o.within.text, '|');
		char buf[32];

		if (j.unplaced && j.o.a.cohort)
			cli_note(ctx,
				 "%s: %s %s not placed on the %s network: "
				 "farther than %s from a road (left out of the "
				 "figures)\n",
				 CMD,
				 core_privacy_count_grouped((int64_t)j.unplaced,
							    buf, sizeof(buf)),
				 "people", verb, j.o.t.snap_text);
		else if (j.unplaced)
			cli_note(ctx,
				 "%s: %zu area%s (population %.0f) not placed "
				 "on the %s network: farther than %s from a "
				 "road (left out of the figures)\n",
				 CMD, j.unplaced, j.unplaced == 1 ? "" : "s",
				 j.pop_unplaced, verb, j.o.t.snap_text);
		for (c = 0; c < j.o.a.ncats; c++)
			if (j.src_unplaced[c])
				cli_note_kind(
				    ctx,
				    "categories with assets not placed on the "
				    "network",
				    "%s: %s: %zu of %zu assets not placed on "
				    "the %s network: farther than %s from a "
				    "road (left out)\n",
				    CMD, j.o.a.cats[c], j.src_unplaced[c],
				    j.in.supply[c].n, verb, j.o.t.snap_text);
		cli_kind_flush(ctx);
		if (bar)
			cli_note(
			    ctx,
			    "covered: the nearest asset within %.*s or "
			    "%s, %s along the road network, door to door\n",
			    (int)(bar - j.o.within.text), j.o.within.text,
			    bar + 1, verb);
		else
			cli_note(ctx,
				 "covered: the nearest asset within %s, %s "
				 "along the road network, door to door\n",
				 j.o.within.text, verb);
	} else {
		cli_note(ctx, "covered: within %s, in straight lines in %s\n",
			 j.o.within.text, geo_proj_label(j.in.proj));
	}
	cli_table_print(j.t, ctx->out, fmt);
	cli_run_stored_note(ctx, j.run.id);
cleanup:
	cli_run_release(ctx, &j.run);
	cli_table_free(j.t);
	if (j.count)
		for (c = 0; c < j.o.a.ncats; c++)
			free(j.count[c]);
	free(j.count);
	free(j.all);
	free(j.placed);
	free(j.src_unplaced);
	geo_net_free(j.net);
	cli_inputs_release(&j.in);
	cli_analysis_release(&j.o.a);
	return rc;
}
