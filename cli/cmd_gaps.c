/*
 * cmd_gaps.c - assetmap gaps: need against access per area, ranked, and
 * the unmet-need ranking (for each category, how many people live beyond
 * a distance of it), stored as one run.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_access.h"
#include "cli/cli_analysis.h"
#include "cli/cli_gaps.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "cli/cli_travel.h"
#include "core/core_dict.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_result.h"
#include "core/core_units.h"
#include "geo/geo_access.h"
#include "geo/geo_gaps.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"

enum need_kind { NEED_COHORT, NEED_POPULATION, NEED_POP_TIMES };

struct gaps {
	struct cli_analysis a;
	struct cli_access_opts o;
	struct cli_access_data d;
	enum need_kind need_kind;
	const char *need_ind; /* the INDICATOR of population*INDICATOR */
	const char *need_arg;
	int need_given; /* --need was given */
	const char *access_run;
	double beyond;	 /* metres, or seconds with beyond_time */
	int beyond_time; /* --beyond was a time (a network --by) */
	const char *beyond_text;
	size_t people_unplaced; /* people not placed on the network */
	long top;
	enum cli_format fmt;
	const char *table;     /* --table categories|areas, or NULL */
	int is_counts;	       /* the cohort is a counts cohort */
	struct geo_members *m; /* point cohort members, or NULL */
	double *need;	       /* [n] */
	double *acc;	       /* [ncats * n] normalised access */
	double *unmet;	       /* [ncats * n] */
	double *gap;	       /* [n] */
	size_t *rank, *order, nranked;
	double *dist;	     /* [ncats * npeople] */
	double *people_w;    /* [n] area weights (no point cohort) */
	double *beyond_area; /* [ncats * n] people beyond, per area */
	double *cat_beyond, *cat_within; /* [ncats] */
};

static int need_is_cohort(const struct gaps *g)
{
	return g->need_kind == NEED_COHORT;
}

static int people_are_cohort(const struct gaps *g)
{
	return g->a.cohort != NULL;
}

/* ---- need ---------------------------------------------------------------- */

/*
 * Fill g->need[n] (owned by g) with each area's need: the cohort's
 * people in it (--need cohort, restricted by --where), its population,
 * or its population times indicator need_ind (scaled as
 * cli_indicator_scale says; NaN where the area has no value).  Returns
 * CORE_OK or a code with ctx->err set: the loaders' errors, CORE_EFAIL
 * if the areas changed between two reads, CORE_ENOTFOUND if no area
 * has a value of the indicator.
 */
static int load_need(struct cli_ctx *ctx, struct gaps *g)
{
	const struct geo_areas *areas = g->d.areas;
	struct geo_areas *ind = NULL;
	size_t i, n = areas->n, known = 0;
	double scale = 1;
	int rc = CORE_OK;

	g->need = xmalloc((n + 1) * sizeof(double));
	switch (g->need_kind) {
	case NEED_COHORT:
		rc = geo_demand_load(ctx->ws, areas, g->a.cohort, g->a.where,
				     g->need, &ctx->err);
		break;
	case NEED_POPULATION:
		for (i = 0; i < n; i++)
			g->need[i] = areas->population[i];
		break;
	case NEED_POP_TIMES:
		if ((rc = cli_indicator_scale(ctx->ws, g->need_ind, &scale,
					      &ctx->err)))
			break;
		rc = geo_areas_load(ctx->ws, g->a.areas, g->need_ind, NULL,
				    &ind, &ctx->err);
		if (rc)
			break;
		if (ind->n != n) {
			rc = core_err_set(
			    &ctx->err, CORE_EFAIL,
			    "gaps: the areas changed while reading them");
			break;
		}
		for (i = 0; i < n; i++) {
			g->need[i] =
			    areas->population[i] * ind->value[i] * scale;
			known += !isnan(ind->value[i]);
		}
		if (!known)
			rc = core_err_set(
			    &ctx->err, CORE_ENOTFOUND,
			    "gaps: --need: no %s has a value of indicator "
			    "'%s'; 'assetmap info' lists the indicators",
			    g->a.areas, g->need_ind);
		break;
	}
	geo_areas_free(ind);
	return rc;
}

/* ---- access from a stored run -------------------------------------------- */

/*
 * Fill g->d.score (allocated by the caller, [ncats * n]) with the
 * score_<cat> columns of the stored access run g->access_run, matched
 * to the areas by GEOID; NaN for areas the run has no row for.  Notes
 * which run was read.  Returns CORE_OK or a code with ctx->err set: the
 * run not found, CORE_EUSAGE if it is not an access run or is by
 * another area level than --areas, CORE_ENOTFOUND if it has no score
 * for one of the categories.
 */
static int access_from_run(struct cli_ctx *ctx, struct gaps *g)
{
	struct core_result_table *t = NULL;
	size_t n = g->d.areas->n, k, r, i, c;
	int64_t id;
	int rc;

	rc = core_run_find(ctx->ws, g->access_run, &id, &ctx->err);
	if (rc)
		return rc;
	rc = core_result_table_load(ctx->ws, id, &t, &ctx->err);
	if (rc)
		return rc;
	if (!t->analysis || strcmp(t->analysis, "access") != 0) {
		rc = core_err_set(&ctx->err, CORE_EUSAGE,
				  "gaps: --access-run: run %lld is a '%s' run, "
				  "not an access run",
				  (long long)id,
				  t->analysis ? t->analysis : "?");
		goto cleanup;
	}
	if (!t->level || strcmp(t->level, g->a.areas) != 0) {
		rc = core_err_set(&ctx->err, CORE_EUSAGE,
				  "gaps: --access-run: run %lld is by %s, not "
				  "by %s (give --areas %s)",
				  (long long)id, t->level ? t->level : "?",
				  g->a.areas, t->level ? t->level : "?");
		goto cleanup;
	}
	for (k = 0; k < g->a.ncats; k++) {
		char name[256];
		double *score = g->d.score + k * n;

		snprintf(name, sizeof(name), "score_%s", g->a.cats[k]);
		for (c = 0; c < t->ncols; c++)
			if (strcmp(t->name[c], name) == 0)
				break;
		if (c == t->ncols) {
			rc = core_err_set(
			    &ctx->err, CORE_ENOTFOUND,
			    "gaps: --access-run: run %lld has no access to "
			    "'%s' (no %s); run 'assetmap access --category %s' "
			    "or leave out --access-run",
			    (long long)id, g->a.cats[k], name, g->a.cats[k]);
			goto cleanup;
		}
		/* both tables are ordered by GEOID: merge */
		for (i = 0; i < n; i++)
			score[i] = NAN;
		for (i = 0, r = 0; i < n && r < t->nrows;) {
			int cmp = strcmp(g->d.areas->geoid[i], t->geoid[r]);

			if (cmp == 0)
				score[i++] = t->v[r++ * t->ncols + c];
			else if (cmp < 0)
				i++;
			else
				r++;
		}
	}
	cli_note(ctx, "access: run %lld (%s)\n", (long long)id,
		 t->params ? t->params : "");
cleanup:
	core_result_table_free(t);
	return rc;
}

/*
 * Load what access needs without computing it: areas, points, demand and
 * supply through cli_access_run with an empty category list, then the
 * supply for the categories.
 */
static int load_access(struct cli_ctx *ctx, struct gaps *g)
{
	size_t n;
	int rc;

	if (!g->access_run)
		return cli_access_run(ctx, "gaps", &g->a, &g->o, &g->d);
	{
		struct cli_analysis none = g->a;

		none.ncats = 0;
		rc = cli_access_run(ctx, "gaps", &none, &g->o, &g->d);
		if (rc)
			return rc;
	}
	geo_supply_free(g->d.sup, 0);
	g->d.sup = NULL;
	g->d.ncats = g->a.ncats;
	rc =
	    geo_supply_load(ctx->ws, (const char *const *)g->a.cats, g->a.ncats,
			    &g->a.filter, g->d.proj, &g->d.sup, &ctx->err);
	if (rc)
		return rc;
	n = g->d.areas->n;
	free(g->d.score);
	free(g->d.info);
	g->d.score = xmalloc((g->d.ncats * n + 1) * sizeof(double));
	g->d.info = xcalloc(g->d.ncats + 1, sizeof(*g->d.info));
	return access_from_run(ctx, g);
}

/* Normalise each category's scores by the demand-weighted mean. */
static void normalise(struct gaps *g)
{
	size_t n = g->d.areas->n, k, i;

	g->acc = xmalloc((g->d.ncats * n + 1) * sizeof(double));
	for (k = 0; k < g->d.ncats; k++) {
		const double *score = g->d.score + k * n;
		double *out = g->acc + k * n, weighted_sum = 0, demand_sum = 0,
		       mean;

		for (i = 0; i < n; i++) {
			double p = g->d.demand[i];

			if (!isnan(score[i]) && p > 0) {
				weighted_sum += p * score[i];
				demand_sum += p;
			}
		}
		mean = demand_sum > 0 ? weighted_sum / demand_sum : 0;
		for (i = 0; i < n; i++)
			out[i] = mean > 0 ? score[i] / mean : score[i];
	}
}

static void compute_gaps(struct gaps *g)
{
	size_t n = g->d.areas->n, k, i, K = g->d.ncats;

	g->unmet = xmalloc((K * n + 1) * sizeof(double));
	g->gap = xmalloc((n + 1) * sizeof(double));
	g->rank = xmalloc((n + 1) * sizeof(size_t));
	g->order = xmalloc((n + 1) * sizeof(size_t));
	for (i = 0; i < n; i++) {
		double s = 0;
		size_t got = 0;

		for (k = 0; k < K; k++) {
			double u =
			    geo_gaps_shortfall(g->need[i], g->acc[k * n + i]);

			g->unmet[k * n + i] = u;
			if (!isnan(u)) {
				s += u;
				got++;
			}
		}
		g->gap[i] = got ? s / (double)got : NAN;
	}
	g->nranked =
	    geo_gaps_rank(n, g->gap, g->d.areas->flags, g->order, g->rank);
}

/* ---- people beyond ---------------------------------------------------------
 */

/*
 * dist[np]: the network cost (seconds with a time --beyond, else network
 * metres) from each of the np people (snapped: psnap) to the nearest
 * asset of category k, door to door; +inf when none is reached, NaN for
 * a person not placed.
 */
static int net_nearest(struct cli_ctx *ctx, struct gaps *g, size_t k, size_t np,
		       const struct geo_snap *psnap, double *dist)
{
	const struct geo_supply *s = &g->d.sup[k];
	struct geo_snap *ss = xmalloc((s->n + 1) * sizeof(*ss));
	struct geo_net_cost *c = xmalloc((np + 1) * sizeof(*c));
	size_t *which = xmalloc((np + 1) * sizeof(*which)), i;
	int rc;

	geo_net_snap(g->d.net, s->x, s->y, s->n, g->o.t.snap_m, ss);
	rc = geo_net_nearest(
	    g->d.net, g->beyond_time ? GEO_NET_TIME : GEO_NET_LENGTH, s->n, ss,
	    np, psnap, INFINITY, which, c, &ctx->err);
	for (i = 0; !rc && i < np; i++)
		dist[i] = psnap[i].seg < 0 ? NAN : c[i].cost;
	free(ss);
	free(c);
	free(which);
	return rc;
}

/*
 * For each category, the distance from each person to its nearest
 * asset (g->dist; with a network --by, the trip's minutes or network
 * metres, net_nearest), and the people farther than g->beyond: per category
 * (cat_beyond, cat_within) and per area (beyond_area).  People are the
 * members of the point cohort --cohort (g->m, loaded here; members in
 * no area count in the category totals only), the people of a counts
 * cohort (g->is_counts set) or, without --cohort, the population, both
 * placed at the area points with their count as weight (people_w).
 * All of it is owned by g and freed by gaps_release.  Returns CORE_OK
 * or a code with ctx->err set by the loaders.
 */
static int people_beyond(struct cli_ctx *ctx, struct gaps *g)
{
	size_t n = g->d.areas->n, K = g->d.ncats, k, i, np;
	const double *qx, *qy;
	struct geo_snap *psnap = NULL;
	int rc;

	if (people_are_cohort(g)) {
		rc = geo_members_load(ctx->ws, g->a.cohort, g->a.where,
				      g->d.proj, g->d.areas, &g->m, &ctx->err);
		if (rc == CORE_EUSAGE) {
			/* a counts cohort: its people at the area points */
			core_err_clear(&ctx->err);
			g->is_counts = 1;
			rc = CORE_OK;
		}
		if (rc)
			return rc;
	}
	g->beyond_area = xcalloc(K * n + 1, sizeof(double));
	g->cat_beyond = xcalloc(K + 1, sizeof(double));
	g->cat_within = xcalloc(K + 1, sizeof(double));
	if (g->m) {
		np = g->m->n;
		qx = g->m->x;
		qy = g->m->y;
	} else {
		np = n;
		qx = g->d.px;
		qy = g->d.py;
		g->people_w = xmalloc((n + 1) * sizeof(double));
		if (people_are_cohort(g)) {
			rc = geo_demand_load(ctx->ws, g->d.areas, g->a.cohort,
					     NULL, g->people_w, &ctx->err);
			if (rc)
				return rc;
		} else {
			for (i = 0; i < n; i++)
				g->people_w[i] = g->d.areas->population[i];
		}
	}
	g->dist = xmalloc((K * np + 1) * sizeof(double));
	if (g->d.net) {
		if (g->m) {
			psnap = xmalloc((np + 1) * sizeof(*psnap));
			g->people_unplaced = geo_net_snap(g->d.net, qx, qy, np,
							  g->o.t.snap_m, psnap);
		} else {
			/* the area points, snapped by cli_access_run */
			g->people_unplaced = g->d.demand_unplaced;
		}
	}
	for (k = 0; k < K; k++) {
		double *dist_k = g->dist + k * np,
		       *beyond_k = g->beyond_area + k * n;

		if (g->d.net) {
			rc = net_nearest(ctx, g, k, np,
					 psnap ? psnap : g->d.dsnap, dist_k);
			if (rc)
				goto cleanup;
		} else {
			geo_gaps_nearest(g->d.sup[k].n, g->d.sup[k].x,
					 g->d.sup[k].y, np, qx, qy, dist_k,
					 NULL);
		}
		g->cat_beyond[k] = geo_gaps_beyond(
		    np, dist_k, g->people_w, g->beyond, &g->cat_within[k]);
		for (i = 0; i < np; i++) {
			double w = g->people_w ? g->people_w[i] : 1.0;
			size_t ai = g->m ? (size_t)g->m->area[i] : i;

			if (g->m && g->m->area[i] < 0)
				continue;
			if (!isnan(dist_k[i]) && dist_k[i] > g->beyond && w > 0)
				beyond_k[ai] += w;
		}
	}
	rc = CORE_OK;
cleanup:
	free(psnap);
	return rc;
}

/* The --beyond threshold as people read it: "1.00 mi", "15 min". */
static void beyond_text(const struct gaps *g, char *buf, size_t sz)
{
	if (g->beyond_time) {
		double m = g->beyond / 60.0;

		if (fabs(m - round(m)) < 1e-9)
			snprintf(buf, sz, "%.0f min", m);
		else
			snprintf(buf, sz, "%.1f min", m);
	} else {
		core_units_format(g->beyond, g->a.units, buf, sz);
	}
}

/* ---- output
 * ------------------------------------------------------------------ */

static const char *num(double v, char *buf, size_t sz)
{
	if (isnan(v))
		return NULL;
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, sz, "%.0f", v);
	else
		snprintf(buf, sz, "%.4g", v);
	return buf;
}

/* The unmet-need rows in print order, with their privacy marks. */
static struct cli_unmet_row *unmet_rows(const struct gaps *g)
{
	size_t K = g->d.ncats, k;
	struct cli_unmet_row *rows = xcalloc(K + 1, sizeof(*rows));

	for (k = 0; k < K; k++) {
		rows[k].k = k;
		rows[k].beyond = (int64_t)llround(g->cat_beyond[k]);
		rows[k].within = (int64_t)llround(g->cat_within[k]);
	}
	cli_unmet_rank(rows, K, people_are_cohort(g));
	return rows;
}

/*
 * Print the unmet-need table to ctx->out in g->fmt, one row per category
 * in the order of rows (cli_unmet_rank): rank, category, the people
 * beyond the distance (the column named after it), within,
 * share_beyond_pct and people.  With a cohort the counts are privacy
 * cells; a row with a hidden cell shows no rank and a hidden share.
 */
static void print_unmet(struct cli_ctx *ctx, const struct gaps *g,
			const struct cli_unmet_row *rows)
{
	char head[96];
	const char *cols[6] = {"rank",	 "category",	     NULL,
			       "within", "share_beyond_pct", "people"};
	struct cli_table *t;
	size_t r;

	{
		char b[64];

		beyond_text(g, b, sizeof(b));
		/* "beyond_1.00_mi" reads badly: name the unit only */
		snprintf(head, sizeof(head), "beyond_%s", b);
		for (r = 0; head[r]; r++)
			if (head[r] == ' ')
				head[r] = '_';
	}
	cols[2] = head;
	t = cli_table_new(6, cols, "nsnnnn");
	for (r = 0; r < g->d.ncats; r++) {
		const struct cli_unmet_row *w = &rows[r];
		int64_t tot = w->beyond + w->within;
		char b0[32], b2[32], b3[32], b4[32], b5[32];
		const char *v[6];
		int hidden =
		    w->mb != CORE_PRIVACY_SHOW || w->mw != CORE_PRIVACY_SHOW;

		snprintf(b0, sizeof(b0), "%zu", r + 1);
		v[0] = hidden ? NULL : b0;
		v[1] = g->a.cats[w->k];
		if (people_are_cohort(g)) {
			v[2] = core_privacy_cell(w->beyond, w->mb, 0, b2,
						 sizeof(b2));
			v[3] = core_privacy_cell(w->within, w->mw, 0, b3,
						 sizeof(b3));
			if (w->hide_total)
				v[5] = CORE_PRIVACY_HIDDEN_TEXT;
			else
				v[5] = core_privacy_count(tot, b5, sizeof(b5));
		} else {
			v[2] = num((double)w->beyond, b2, sizeof(b2));
			v[3] = num((double)w->within, b3, sizeof(b3));
			v[5] = num((double)tot, b5, sizeof(b5));
		}
		if (hidden || tot == 0) {
			v[4] = hidden ? CORE_PRIVACY_HIDDEN_TEXT : NULL;
		} else {
			snprintf(b4, sizeof(b4), "%.1f",
				 100.0 * (double)w->beyond / (double)tot);
			v[4] = b4;
		}
		cli_table_add(t, v);
	}
	cli_table_print(t, ctx->out, g->fmt);
	cli_table_free(t);
}

/*
 * Print the gap ranking to ctx->out in g->fmt (after a blank line in
 * table format): the first g->top ranked areas with their rank, geoid,
 * name, need, mean normalised access over the categories and gap.  A
 * cohort need is a privacy count, and the gap is hidden where that
 * count is small.
 */
static void print_ranking(struct cli_ctx *ctx, const struct gaps *g)
{
	static const char *const cols[] = {"rank", "geoid",  "name",
					   "need", "access", "gap"};
	struct cli_table *t = cli_table_new(6, cols, "nssnnn");
	size_t n = g->d.areas->n, r, k;

	for (r = 0; r < g->nranked && r < (size_t)g->top; r++) {
		size_t i = g->order[r];
		char b0[32], b3[32], b4[32], b5[32];
		const char *v[6];
		double mean_access = 0;
		int small = 0;

		for (k = 0; k < g->d.ncats; k++)
			mean_access += g->acc[k * n + i];
		mean_access /= (double)(g->d.ncats ? g->d.ncats : 1);
		snprintf(b0, sizeof(b0), "%zu", r + 1);
		v[0] = b0;
		v[1] = g->d.areas->geoid[i];
		v[2] = g->d.areas->name[i];
		if (need_is_cohort(g)) {
			int64_t c = (int64_t)llround(g->need[i]);

			small = core_privacy_is_small(c);
			v[3] = core_privacy_count(c, b3, sizeof(b3));
		} else {
			v[3] = num(g->need[i], b3, sizeof(b3));
		}
		if (isnan(mean_access)) {
			v[4] = NULL;
		} else {
			snprintf(b4, sizeof(b4), "%.3f", mean_access);
			v[4] = b4;
		}
		/* the gap is the need times a share the access column shows:
		 * hidden with a hidden need */
		v[5] = small ? CORE_PRIVACY_HIDDEN_TEXT
			     : num(round(g->gap[i] * 10) / 10, b5, sizeof(b5));
		cli_table_add(t, v);
	}
	if (g->fmt == CLI_FMT_TABLE && !g->table)
		fputc('\n', ctx->out);
	cli_table_print(t, ctx->out, g->fmt);
	cli_table_free(t);
}

/* ---- the run
 * ------------------------------------------------------------------ */

/*
 * Store the whole result as one "gaps" run: the parameters, a summary
 * with the unmet-need rows (rows, [ncats], as cli_unmet_json writes
 * them) and the number of ranked areas, per area need, gap, rank,
 * access_<cat>, unmet_<cat> and beyond_<cat>, and with point cohort
 * members their member_id and dist_<cat> columns.  Sets *run_id to the
 * run's id (0 if it was never made).  Returns CORE_OK or a code with
 * ctx->err set, the run rolled back.
 */
static int store(struct cli_ctx *ctx, struct gaps *g,
		 const struct cli_unmet_row *rows, int64_t *run_id)
{
	struct cli_run run = {0};
	json_object *arr;
	size_t n = g->d.areas->n, K = g->d.ncats, i, k;
	const char *need_rk = need_is_cohort(g) ? CORE_RK_COHORT_COUNT
			      : g->need_kind == NEED_POPULATION
				  ? CORE_RK_POPULATION
				  : CORE_RK_VALUE;
	const char *stat_rk =
	    need_is_cohort(g) ? CORE_RK_COHORT_STAT : CORE_RK_VALUE;
	const char *basis = need_is_cohort(g) ? "need" : NULL;
	const char *people_rk =
	    people_are_cohort(g) ? CORE_RK_COHORT_COUNT : CORE_RK_POPULATION;
	char name[256], label[512];
	int rc;

	run.params = json_object_new_object();
	run.summary = json_object_new_object();
	if (!g->access_run)
		cli_access_params_json(&g->o, run.params);
	else
		json_object_object_add(run.params, "access_run",
				       json_object_new_string(g->access_run));
	json_object_object_add(run.params, "need",
			       json_object_new_string(g->need_arg));
	if (g->access_run && g->o.t.mode != GEO_MODE_LINE)
		json_object_object_add(
		    run.params, "by",
		    json_object_new_string(geo_mode_name(g->o.t.mode)));
	json_object_object_add(run.params,
			       g->beyond_time ? "beyond_s" : "beyond_m",
			       json_object_new_double(g->beyond));
	arr = json_object_new_array();
	for (k = 0; k < K; k++)
		json_object_array_add(arr,
				      json_object_new_string(g->a.cats[k]));
	json_object_object_add(run.params, "categories", arr);
	cli_filter_params(&g->a.filter, run.params);
	if (g->a.where)
		json_object_object_add(run.params, "where",
				       json_object_new_string(g->a.where));
	arr = json_object_new_array();
	cli_unmet_json(rows, K, g->a.cats, people_are_cohort(g), arr);
	json_object_object_add(run.summary, "unmet", arr);
	json_object_object_add(run.summary, "ranked_areas",
			       json_object_new_int64((int64_t)g->nranked));

	rc = cli_run_begin(ctx, "gaps", g->a.areas, g->a.cohort, &run);
	if (!rc)
		rc = core_result_info_add(ctx->ws, run.id, "need", need_rk,
					  NULL, "Need", 0, &ctx->err);
	if (!rc) {
		/* in words: "mean over categories" only when there are
		 * several */
		char *cat =
		    K == 1 ? core_category_phrase(ctx->ws, g->a.cats[0]) : NULL;

		if (cat)
			snprintf(label, sizeof(label), "Unmet need for %s",
				 cat);
		else
			snprintf(label, sizeof(label),
				 "Unmet need (mean over %zu categories)", K);
		free(cat);
		rc = core_result_info_add(ctx->ws, run.id, "gap", stat_rk,
					  basis, label, 1, &ctx->err);
	}
	if (!rc)
		rc = core_result_info_add(ctx->ws, run.id, "rank", CORE_RK_RANK,
					  NULL, "Rank by unmet need", 2,
					  &ctx->err);
	for (k = 0; !rc && k < K; k++) {
		char *cat = core_category_phrase(ctx->ws, g->a.cats[k]);
		char b[64];

		snprintf(name, sizeof(name), "access_%s", g->a.cats[k]);
		snprintf(label, sizeof(label), "Access to %s (1 = average)",
			 cat);
		rc = core_result_info_add(ctx->ws, run.id, name, CORE_RK_SCORE,
					  NULL, label, 10 + (int)k * 3,
					  &ctx->err);
		if (!rc) {
			snprintf(name, sizeof(name), "unmet_%s", g->a.cats[k]);
			snprintf(label, sizeof(label), "Unmet need for %s",
				 cat);
			rc = core_result_info_add(ctx->ws, run.id, name,
						  stat_rk, basis, label,
						  11 + (int)k * 3, &ctx->err);
		}
		snprintf(name, sizeof(name), "beyond_%s", g->a.cats[k]);
		if (g->beyond_time)
			beyond_text(g, b, sizeof(b));
		else
			core_units_format_short(g->beyond, g->a.units, b,
						sizeof(b));
		if (g->o.t.mode == GEO_MODE_LINE)
			snprintf(label, sizeof(label),
				 "People farther than %s from %s", b, cat);
		else
			snprintf(label, sizeof(label),
				 "People farther than %s %s from %s", b,
				 geo_mode_verb(g->o.t.mode), cat);
		free(cat);
		if (rc)
			break;
		rc =
		    core_result_info_add(ctx->ws, run.id, name, people_rk, NULL,
					 label, 12 + (int)k * 3, &ctx->err);
	}
	if (rc)
		goto cleanup;
	rc = core_result_writer_new(ctx->ws, run.id, &run.w, &ctx->err);
	for (i = 0; !rc && i < n; i++) {
		const char *gid = g->d.areas->geoid[i];

		rc = core_result_area_put(run.w, gid, "need", g->need[i],
					  &ctx->err);
		if (!rc)
			rc = core_result_area_put(run.w, gid, "gap", g->gap[i],
						  &ctx->err);
		if (!rc)
			rc = core_result_area_put(
			    run.w, gid, "rank",
			    g->rank[i] ? (double)g->rank[i] : NAN, &ctx->err);
		for (k = 0; !rc && k < K; k++) {
			snprintf(name, sizeof(name), "access_%s", g->a.cats[k]);
			rc = core_result_area_put(run.w, gid, name,
						  g->acc[k * n + i], &ctx->err);
			snprintf(name, sizeof(name), "unmet_%s", g->a.cats[k]);
			if (!rc)
				rc = core_result_area_put(run.w, gid, name,
							  g->unmet[k * n + i],
							  &ctx->err);
			snprintf(name, sizeof(name), "beyond_%s", g->a.cats[k]);
			if (!rc)
				rc = core_result_area_put(
				    run.w, gid, name, g->beyond_area[k * n + i],
				    &ctx->err);
		}
	}
	core_result_writer_free(run.w);
	run.w = NULL;
	if (rc)
		goto cleanup;
	if (g->m) {
		rc = core_result_column_put(ctx->ws, run.id, "member_id", "i8",
					    g->m->n, g->m->id, &ctx->err);
		for (k = 0; !rc && k < K; k++) {
			snprintf(name, sizeof(name), "%s_%s",
				 g->beyond_time ? "secs" : "dist",
				 g->a.cats[k]);
			rc = core_result_column_put(
			    ctx->ws, run.id, name, "f8", g->m->n,
			    g->dist + k * g->m->n, &ctx->err);
		}
		if (rc)
			goto cleanup;
	}
	rc = cli_run_commit(ctx, &run);
cleanup:
	*run_id = run.id;
	cli_run_release(ctx, &run);
	return rc;
}

static void gaps_release(struct gaps *g)
{
	cli_access_data_release(&g->d);
	cli_analysis_release(&g->a);
	geo_members_free(g->m);
	free(g->need);
	free(g->acc);
	free(g->unmet);
	free(g->gap);
	free(g->rank);
	free(g->order);
	free(g->dist);
	free(g->people_w);
	free(g->beyond_area);
	free(g->cat_beyond);
	free(g->cat_within);
}

static int parse_need(struct cli_ctx *ctx, struct gaps *g, const char *arg)
{
	static const char pre[] = "population*";

	g->need_arg = arg;
	if (strcmp(arg, "cohort") == 0)
		g->need_kind = NEED_COHORT;
	else if (strcmp(arg, "population") == 0)
		g->need_kind = NEED_POPULATION;
	else if (strncmp(arg, pre, sizeof(pre) - 1) == 0 &&
		 arg[sizeof(pre) - 1]) {
		g->need_kind = NEED_POP_TIMES;
		g->need_ind = arg + sizeof(pre) - 1;
	} else {
		return cli_usage(ctx, "gaps",
				 "--need: '%s' is not cohort, population or "
				 "population*INDICATOR (e.g. population*svi)",
				 arg);
	}
	return CORE_OK;
}

/* --need, into the gaps' need_kind, need_ind and need_arg. */
static int need_opt(struct cli_ctx *ctx, const char *cmd,
		    const struct cli_opt *opt, const char *value, void *target)
{
	struct gaps *g =
	    (void *)((char *)target - offsetof(struct gaps, need_arg));

	(void)cmd;
	(void)opt;
	g->need_given = 1;
	return parse_need(ctx, g, value);
}

/* --beyond: a distance (metres) or a time (seconds, with a network --by:
 * checked after parsing). */
static int beyond_opt(struct cli_ctx *ctx, const char *cmd,
		      const struct cli_opt *opt, const char *value,
		      void *target)
{
	struct gaps *g =
	    (void *)((char *)target - offsetof(struct gaps, beyond));
	struct core_err e = CORE_ERR_INIT, te = CORE_ERR_INIT;

	(void)opt;
	g->beyond_time = 0;
	if (core_units_parse_distance(value, "--beyond", &g->beyond, &e)) {
		if (core_units_parse_time(value, "--beyond", &g->beyond, &te))
			return cli_usage(ctx, cmd, "%s", e.msg);
		g->beyond_time = 1;
	}
	g->beyond_text = value;
	return CORE_OK;
}

/* The tables gaps prints, by --table's names. */
static const char *const gaps_tables[] = {"categories", "areas", NULL};

/* --table categories|areas; another name is a usage error, with "did you
 * mean" when one is near. */
static int table_opt(struct cli_ctx *ctx, const char *cmd,
		     const struct cli_opt *opt, const char *value, void *target)
{
	const char *near;
	size_t i;

	(void)opt;
	for (i = 0; gaps_tables[i]; i++)
		if (strcmp(value, gaps_tables[i]) == 0) {
			*(const char **)target = gaps_tables[i];
			return CORE_OK;
		}
	near = cli_opt_nearest_word(value, gaps_tables);
	if (near)
		return cli_usage(ctx, cmd,
				 "--table: '%s' is not a table; did you mean "
				 "'%s'? (categories or areas)",
				 value, near);
	return cli_usage(ctx, cmd,
			 "--table: '%s' is not a table; give categories (the "
			 "unmet-need ranking) or areas (the gap ranking)",
			 value);
}

#define G struct gaps

const struct cli_opt cmd_gaps_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] gaps [--cohort NAME] [--category "
	"C[,C...]]\n"
	"                [--need cohort|population|population*INDICATOR]\n"
	"                [--beyond D|T] [--access-run RUN | access options]\n"
	"                [--by walk|bike|drive|line] [--snap D]\n"
	"                [--top N] [--table categories|areas] [filters]\n"
	"                [--units U] [--format F]\n"
	"\n"
	"Two tables for choosing what to work on: categories, the unmet-need\n"
	"ranking, and areas, the gap ranking.  The screen shows both; "
	"--format\n"
	"csv or json writes one (categories, or the one --table names).\n"
	"\n"
	"The unmet-need ranking: for each category, how many people live "
	"farther\n"
	"than --beyond D (default 1mi) from its nearest asset, most first, so "
	"a\n"
	"coalition can pick the need that leaves the most people out.  People "
	"are\n"
	"the members of --cohort NAME (each at their own location), a counts\n"
	"cohort's people or, without --cohort, each area's population (placed "
	"at\n"
	"the area's point).  With --by walk, bike or drive both rankings use "
	"the\n"
	"road network ('assetmap import roads'): --beyond and --catchment are "
	"then\n"
	"network distances or times (--beyond 30min); people and area points\n"
	"farther than --snap from a road are left out of both and counted in "
	"a\n"
	"note.\n"
	"\n"
	"The gap ranking per area: need against access.  Need is the cohort's\n"
	"people in the area (--need cohort, the default with --cohort), its\n"
	"population (the default without), or the population times an "
	"indicator\n"
	"(--need 'population*RPL_THEMES', the SVI as CDC files name it;\n"
	"'assetmap info --indicators' lists the names; / 100 for a percentage\n"
	"such as ACS's).\n"
	"Access is computed as 'assetmap access' does (same options; demand "
	"is\n"
	"the population, or --demand-indicator), or read from a stored access\n"
	"run (--access-run RUN), and normalised so 1 is the average.  An "
	"area's\n"
	"unmet need for a category is need x max(0, 1 - access): all of it "
	"where\n"
	"there is no access, none at or above the average; its gap is the "
	"mean\n"
	"over the categories.  Areas are ranked by gap; water-only and\n"
	"zero-population areas are left out of the ranking.\n"
	"\n"
	"Cohort counts from 1 to 10 show as '<11' and a count that would give "
	"one\n"
	"away from a total shows as 'suppressed'.  The run stores per area "
	"the\n"
	"need, access_<cat>, unmet_<cat>, gap, rank and beyond_<cat>, and per\n"
	"cohort member (inside the workspace only) dist_<cat>.\n"
	"\n"
	"options:\n"),
    CLI_OPT_CALLBACK("need", 0, "N", G, need_arg, need_opt,
		     "cohort, population or population*INDICATOR"),
    CLI_OPT_CALLBACK("beyond", 0, "D|T", G, beyond, beyond_opt,
		     "the distance for the unmet-need ranking (1mi);\n"
		     "a time such as 15min with --by walk|bike|drive"),
    CLI_OPT_STRING("access-run", 0, "RUN", G, access_run,
		   "use this access run's scores (an id, 'last' or\n"
		   "'access') instead of computing them"),
    CLI_OPT_INT("top", 0, "N", G, top, 0, 1000000,
		"areas listed in the gap ranking (default 10; 0\n"
		"lists none)"),
    CLI_OPT_CALLBACK("table", 0, "NAME", G, table, table_opt,
		     "print only one of the two tables: categories (the\n"
		     "unmet-need ranking) or areas (the gap ranking).\n"
		     "--format csv and json write one table, categories\n"
		     "unless --table areas is given"),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_access_options, G, o),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_travel_options, G, o.t),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_access_analysis_options, G, a),
    CLI_OPT_TEXT(
	"\n"
	"examples:\n"
	"  assetmap gaps --cohort patients --beyond 1mi\n"
	"  assetmap gaps --need 'population*RPL_THEMES' --category "
	"food,housing\n"
	"  assetmap gaps --cohort patients --access-run last --top 20\n"
	"  assetmap gaps --cohort patients --by drive --beyond 30min "
	"--catchment 20min\n"),
    CLI_OPT_END()};

#undef G

/*
 * assetmap gaps (argv[0] is "gaps"): parse the options, load access
 * (computed, or read from --access-run), need and the people's
 * distances, rank the gaps, store the run, then print the unmet-need
 * table and the gap ranking.  Returns CORE_OK, or a code with ctx->err
 * set (CORE_EUSAGE for usage errors).
 */
int cmd_gaps(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *cmd = "gaps";
	struct gaps g;
	struct cli_unmet_row *rows = NULL;
	int64_t run_id = 0;
	int rc = CORE_OK;

	memset(&g, 0, sizeof(g));
	cli_analysis_init(&g.a);
	cli_access_opts_init(&g.o);
	g.o.demand_population = 1;
	g.beyond = CORE_M_PER_MI;
	g.top = 10;
	if ((rc = cli_opt_parse(ctx, cmd, cmd_gaps_options, &g, argc, argv,
				NULL)))
		goto cleanup;
	cli_format_parse(g.a.format, &g.fmt, &ctx->err);
	/* One table in a format a program reads (two CSV headers in one
	 * file, or two JSON documents, are no file a program reads). */
	if (!g.table && g.fmt != CLI_FMT_TABLE)
		g.table = "categories";
	if (g.table && strcmp(g.table, "areas") == 0 && g.top == 0) {
		rc = cli_usage(ctx, cmd,
			       "--table areas with --top 0 lists no area; "
			       "give --top N");
		goto cleanup;
	}
	if (!g.need_given) {
		g.need_kind = g.a.cohort ? NEED_COHORT : NEED_POPULATION;
		g.need_arg = g.a.cohort ? "cohort" : "population";
	}
	if (need_is_cohort(&g) && !g.a.cohort) {
		rc = cli_usage(ctx, cmd, "--need cohort needs --cohort NAME");
		goto cleanup;
	}
	if (g.access_run && g.o.given) {
		rc = cli_usage(
		    ctx, cmd,
		    "--access-run reads the access options from the run; leave "
		    "out --method, --catchment and the like");
		goto cleanup;
	}
	rc = cli_access_check(ctx, cmd, &g.o, &g.a);
	if (rc)
		goto cleanup;
	if (g.beyond_time) {
		struct cli_reach r;

		cli_reach_init(&r);
		r.seconds = g.beyond;
		r.text = g.beyond_text;
		if ((rc = cli_travel_check(ctx, cmd, &g.o.t, "--beyond", &r)))
			goto cleanup;
	}
	rc = cli_analysis_categories(ctx, cmd, &g.a);
	if (rc)
		goto cleanup;
	if (g.a.ncats == 0) {
		rc = core_err_set(&ctx->err, CORE_ENOTFOUND,
				  "%s: the workspace has no assets; import "
				  "some first ('assetmap help import')",
				  cmd);
		goto cleanup;
	}
	rc = load_access(ctx, &g);
	if (!rc)
		rc = load_need(ctx, &g);
	if (!rc)
		rc = people_beyond(ctx, &g);
	if (rc)
		goto cleanup;
	normalise(&g);
	compute_gaps(&g);
	rows = unmet_rows(&g);
	rc = store(ctx, &g, rows, &run_id);
	if (rc)
		goto cleanup;
	{
		char b[64];

		beyond_text(&g, b, sizeof(b));
		if (g.o.t.mode != GEO_MODE_LINE) {
			size_t l = strlen(b);

			snprintf(b + l, sizeof(b) - l, " %s",
				 geo_mode_verb(g.o.t.mode));
			if (g.people_unplaced)
				cli_note(ctx,
					 "gaps: %zu %s not placed on the %s "
					 "network: farther than %s from a "
					 "road (left out of the unmet-need "
					 "counts)\n",
					 g.people_unplaced,
					 g.m ? "cohort members" : "area points",
					 geo_mode_verb(g.o.t.mode),
					 g.o.t.snap_text);
		}
		cli_note(ctx,
			 "unmet need: %s beyond %s of the nearest asset of "
			 "each category%s\n",
			 people_are_cohort(&g)
			     ? (g.is_counts
				    ? "cohort people (at their area's point)"
				    : "cohort members")
			     : "population (at each area's point)",
			 b,
			 g.a.filter.language || g.a.filter.medi_cal
			     ? " that passes the filters"
			     : "");
	}
	if (!g.table || strcmp(g.table, "categories") == 0)
		print_unmet(ctx, &g, rows);
	if (g.top > 0 && (!g.table || strcmp(g.table, "areas") == 0)) {
		cli_note(ctx,
			 "%sgap ranking: need (%s) x access shortfall, %zu of "
			 "%zu %s areas ranked; area points: %s\n",
			 g.table ? "" : "\n", g.need_arg, g.nranked,
			 g.d.areas->n, g.a.areas,
			 cli_access_points_label(&g.d));
		print_ranking(ctx, &g);
	}
	cli_run_stored_note(ctx, run_id);
cleanup:
	free(rows);
	gaps_release(&g);
	return rc;
}
