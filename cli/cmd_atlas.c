/*
 * cmd_atlas.c - assetmap atlas: a map book in one PDF.  A cover, the
 * unmet-need ranking as a bar chart, then one page per chosen category:
 * the need choropleth with the category's assets and deserts, and the
 * tracts with the most people out of reach.
 *
 * The numbers are those of 'assetmap gaps' (the unmet-need ranking: people
 * farther than D from the nearest asset of each category) and 'assetmap
 * deserts' (one deserts run per page, stored so the page's map can draw
 * it by run id).  The atlas stores its own run too ("atlas": the ranking
 * in its summary, beyond_<cat> per area).  Everything is written in one
 * transaction that is committed only once the PDF is in place.
 */
#include <ctype.h>
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
#include "core/core_mem.h"
#include "core/core_out.h"
#include "core/core_privacy.h"
#include "core/core_result.h"
#include "core/core_units.h"
#include "geo/geo_deserts.h"
#include "geo/geo_gaps.h"
#include "geo/geo_kd.h"
#include "geo/geo_median.h"
#include "geo/geo_recruit.h"
#include "render/render_atlas.h"
#include "render/render_indicator.h"

#define CMD	      "atlas"
#define DEFAULT_PAGES 5
#define NETWORK_PICKS 3 /* recruitment picks per category */
#define NET_COLS      7 /* the network page's coverage table */
#define PICK_COLS     5 /* and its picks table */

/* The partner network's page: coverage by the register's current
 * partners against all assets per category, and whom to recruit. */
struct network {
	int shown;	    /* 0: no page (cover says why) */
	char *cover;	    /* the cover's paragraph on it */
	int64_t ncurrent;   /* current partners in the register */
	const char **cells; /* [nrows * NET_COLS] */
	size_t nrows;
	const char **pcells; /* [nprows * PICK_COLS] */
	size_t nprows, cap_p;
	char **owned; /* strings behind the cells */
	size_t nowned, cap_owned;
	size_t npicks; /* picks in all */
	char *caption, *pcaption, *note, *pnote;
	json_object *summary; /* the atlas run's "network", until stored */
};

/* One chosen category's page. */
struct page {
	size_t k; /* index into the ranking categories */
	int64_t deserts_run;
	double *beyond; /* [areas] people beyond D */
	double *people; /* [areas] people placed in the area */
	double *median; /* [areas] median distance (metres) */
	double median_all;
	double desert_m2, study_m2, pop_in;
	/* what the page prints */
	char *heading, *caption, *note, *map_title, *map_subtitle, *run_ref;
	const char **cells; /* [rows * 6] */
	char **owned;	    /* strings behind cells */
	size_t nowned, nrows;
	/* what the table lists, for its heading to say: areas with anyone
	 * beyond, areas listed, and of those the ones whose count is
	 * hidden (<11 or suppressed), which cannot be ranked */
	size_t nany, nlisted, nhidden;
	const char *cats[1];
};

struct atlas {
	struct cli_analysis a;	/* as given; a.cats: --category */
	struct cli_analysis la; /* as loaded: every ranking category */
	char **cats;		/* the ranking's categories (owned) */
	char **names;		/* their display names (owned) */
	size_t ncats;
	struct cli_inputs in;
	int counts; /* a cohort of counts per area */
	double *w;  /* [in.n] weights; NULL: 1 a member */
	double within;
	const char *indicator, *title, *subtitle, *author, *output;
	const char *page_name;
	int landscape;
	long top;
	double *dist;		    /* [ncats * in.n] */
	double *beyond, *inside;    /* [ncats] */
	struct cli_unmet_row *rows; /* [ncats], in print order */
	struct page *pages;
	size_t npages;
	int64_t run_id;
	struct network net;
	char *filter_words; /* the supply filters in words, for the maps'
			     * legends (cli_filter_words), or NULL */
};

/* ---- helpers --------------------------------------------------------------
 */

static int is_cohort(const struct atlas *t)
{
	return t->a.cohort != NULL;
}

/* 1 when category k has no asset (in the workspace, or none passing
 * the filters): everyone is "beyond" it, which ranks nothing, so the
 * book says "no data for this category" instead. */
static int no_assets(const struct atlas *t, size_t k)
{
	return t->in.supply[k].n == 0;
}

static void in_prose(const char *name, char *buf, size_t size);

/* Why category k has no data, in a few words for a bar (full 0) or in
 * a clause for a page and a note (the caller frees). */
static char *no_assets_why(const struct atlas *t, size_t k, int full)
{
	int filtered = geo_filter_is_set(&t->a.filter);
	char low[256];

	if (!full)
		return xstrdup(filtered ? "no asset passes the filters"
					: "no assets");
	in_prose(t->names[k], low, sizeof(low));
	return filtered ? xasprintf("no %s asset passes the filters", low)
			: xasprintf("the workspace has no %s assets", low);
}

/* n with thousands separators; population counts are never suppressed. */
static const char *grouped(int64_t n, char *buf, size_t sz)
{
	char d[32];
	size_t len, i, o = 0;
	int neg = n < 0;

	snprintf(d, sizeof(d), "%lld", (long long)(neg ? -n : n));
	len = strlen(d);
	if (neg && o + 1 < sz)
		buf[o++] = '-';
	for (i = 0; i < len && o + 2 < sz; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	buf[o] = '\0';
	return buf;
}

/* A count of people as a page prints it: suppressed for a cohort. */
static const char *people_text(const struct atlas *t, int64_t n,
			       enum core_privacy_mark mark, char *buf,
			       size_t sz)
{
	if (is_cohort(t))
		return core_privacy_cell(n, mark, 1, buf, sz);
	return grouped(n, buf, sz);
}

static int64_t count_of(double v)
{
	return isnan(v) ? 0 : (int64_t)llround(v);
}

static char *cohort_kind(struct core_ws *ws, const char *name)
{
	sqlite3_stmt *st = NULL;
	char *kind = NULL;

	if (sqlite3_prepare_v2(ws->db,
			       "SELECT kind FROM cohorts WHERE name = ?1", -1,
			       &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		kind =
		    xstrdup_or_null((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return kind;
}

/* The taxonomy's name of a category, or its code. */
static char *category_name(struct core_ws *ws, const char *code)
{
	sqlite3_stmt *st = NULL;
	char *name = NULL;

	if (sqlite3_prepare_v2(ws->db,
			       "SELECT name FROM categories WHERE code = ?1",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			name = xstrdup_or_null(
			    (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	return name && *name ? name : (free(name), xstrdup(code));
}

/* "a.csv (assets), b.geojson (areas)" for the cover, then the atlas's
 * cohort by its name (a cohort's file is never named). */
static char *source_list(struct core_ws *ws, const char *cohort)
{
	struct core_buf b = CORE_BUF_INIT;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(ws->db,
			       "SELECT name, kind FROM sources WHERE kind <> "
			       "'cohort' ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return xstrdup("none recorded");
	while (sqlite3_step(st) == SQLITE_ROW)
		core_buf_addf(&b, "%s%s (%s)", b.len ? ", " : "",
			      (const char *)sqlite3_column_text(st, 0),
			      (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	if (cohort) {
		core_buf_adds(&b, b.len ? ", " : "");
		core_buf_addf(&b, CORE_PRIVACY_COHORT_LABEL_FMT, cohort);
	}
	return b.len ? core_buf_detach(&b) : xstrdup("none recorded");
}

/* ---- the categories -------------------------------------------------------
 */

/* The ranking's categories: every category with assets, then any named
 * with --category that has none (everyone is beyond those). */
static int ranking_categories(struct cli_ctx *ctx, struct atlas *t)
{
	char **present = NULL;
	size_t np = 0, i, j;
	int rc, given = t->a.ncats > 0;

	if ((rc = geo_categories_present(ctx->ws, &present, &np, &ctx->err)))
		return rc;
	if (given && (rc = cli_analysis_categories(ctx, CMD, &t->a)))
		goto cleanup;
	t->cats = xcalloc(np + t->a.ncats + 1, sizeof(char *));
	for (i = 0; i < np; i++)
		t->cats[t->ncats++] = xstrdup(present[i]);
	for (j = 0; given && j < t->a.ncats; j++) {
		for (i = 0; i < t->ncats; i++)
			if (strcmp(t->cats[i], t->a.cats[j]) == 0)
				break;
		if (i == t->ncats)
			t->cats[t->ncats++] = xstrdup(t->a.cats[j]);
	}
	if (t->ncats == 0) {
		rc = core_err_set(&ctx->err, CORE_ENOTFOUND,
				  "%s: the workspace has no assets; import "
				  "some first ('assetmap help import')",
				  CMD);
		goto cleanup;
	}
	t->names = xcalloc(t->ncats + 1, sizeof(char *));
	for (i = 0; i < t->ncats; i++)
		t->names[i] = category_name(ctx->ws, t->cats[i]);
cleanup:
	for (i = 0; i < np; i++)
		free(present[i]);
	free(present);
	return rc;
}

/* ---- the ranking ----------------------------------------------------------
 */

/*
 * Load the areas, supply of every ranking category and the people
 * (cli_inputs_load into t->in, with t->la: a as given but with the
 * ranking's categories).  People are the members of --cohort at their
 * locations; a counts cohort (t->counts set) or, without --cohort, the
 * population, placed at the area points with weights t->w.  Returns
 * CORE_OK or a code with ctx->err set: CORE_EUSAGE for --where with a
 * counts cohort, CORE_ENOTFOUND when there are no areas, the loaders'
 * errors.
 */
static int load_people(struct cli_ctx *ctx, struct atlas *t)
{
	char *kind = NULL;
	size_t i;
	int rc;

	t->la = t->a;
	t->la.cats = t->cats;
	t->la.ncats = t->ncats;
	if (t->a.cohort) {
		kind = cohort_kind(ctx->ws, t->a.cohort);
		if (kind && strcmp(kind, "counts") == 0) {
			if (t->a.where) {
				rc = cli_usage(
				    ctx, CMD,
				    "--where needs a cohort of people; %s "
				    "holds counts per area",
				    t->a.cohort);
				goto cleanup;
			}
			t->la.cohort = NULL;
			t->counts = 1;
		}
	}
	if ((rc = cli_inputs_load(ctx, CMD, &t->la, &t->in)))
		goto cleanup;
	if (t->in.areas->n == 0) {
		rc = core_err_set(&ctx->err, CORE_ENOTFOUND,
				  "%s: workspace %s has no %s areas to map; "
				  "import them with 'assetmap import areas'",
				  CMD, ctx->ws->path, t->a.areas);
		goto cleanup;
	}
	if (!t->in.members) {
		t->w = xmalloc((t->in.n + 1) * sizeof(double));
		if (t->counts)
			rc = geo_demand_load(ctx->ws, t->in.areas, t->a.cohort,
					     NULL, t->w, &ctx->err);
		else
			for (i = 0; i < t->in.n; i++)
				t->w[i] = t->in.areas->population[i];
	}
cleanup:
	free(kind);
	return rc;
}

/*
 * A cohort spread so thin that more than a third of the areas hold 1 to
 * 10 of its people: every table of the book would be mostly "<11".  Say
 * so on stderr, with the larger areas the workspace has that --areas
 * can add the counts up into (hexagons are the map's: 'map --areas
 * hex').  Prints nothing for a population or a coarse enough level.
 */
static void thin_cohort_note(struct cli_ctx *ctx, const struct atlas *t)
{
	static const char *const coarser[] = {"zcta", "neighborhood", "county"};
	struct core_buf b = CORE_BUF_INIT;
	size_t na = t->in.areas->n, i, small = 0;
	double *n;
	sqlite3_stmt *st = NULL;

	if (!is_cohort(t) || na == 0)
		return;
	n = xcalloc(na, sizeof(double));
	if (t->in.members) {
		for (i = 0; i < t->in.n; i++)
			if (t->in.area[i] >= 0 && (size_t)t->in.area[i] < na)
				n[t->in.area[i]] += 1;
	} else if (t->w) {
		for (i = 0; i < t->in.n && i < na; i++)
			n[i] = isnan(t->w[i]) ? 0 : t->w[i];
	}
	for (i = 0; i < na; i++)
		small += core_privacy_is_small(count_of(n[i]));
	free(n);
	if (small * 3 <= na)
		return;
	if (sqlite3_prepare_v2(ctx->ws->db,
			       "SELECT 1 FROM areas WHERE level = ?1 LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		st = NULL;
	for (i = 0; st && i < sizeof(coarser) / sizeof(coarser[0]); i++) {
		if (strcmp(coarser[i], t->a.areas) == 0)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, coarser[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			core_buf_addf(&b, "%s--areas %s (%s)",
				      b.len ? ", " : "", coarser[i],
				      render_level_plural(coarser[i], 0));
	}
	sqlite3_finalize(st);
	cli_note(ctx,
		 "note: %zu of %zu %s have a count of cohort '%s' from 1 to "
		 "10, so most counts in the tables show as <11; %s%s\n",
		 small, na, render_level_plural(t->a.areas, 0), t->a.cohort,
		 b.len ? "add them up into larger areas with " : "",
		 b.len ? core_buf_str(&b)
		       : "import larger areas ('import areas FILE --level "
			 "neighborhood' for your own) and use --areas LEVEL");
	core_buf_release(&b);
}

static void rank(struct atlas *t)
{
	size_t n = t->in.n, k;

	t->dist = xmalloc((t->ncats * n + 1) * sizeof(double));
	t->beyond = xcalloc(t->ncats + 1, sizeof(double));
	t->inside = xcalloc(t->ncats + 1, sizeof(double));
	t->rows = xcalloc(t->ncats + 1, sizeof(*t->rows));
	for (k = 0; k < t->ncats; k++) {
		const struct geo_supply *s = &t->in.supply[k];
		struct cli_unmet_row *r = &t->rows[k];
		double *dist_k = t->dist + k * n;

		geo_gaps_nearest(s->n, s->x, s->y, n, t->in.x, t->in.y, dist_k,
				 NULL);
		t->beyond[k] =
		    geo_gaps_beyond(n, dist_k, t->w, t->within, &t->inside[k]);
		r->k = k;
		r->beyond = count_of(t->beyond[k]);
		r->within = count_of(t->inside[k]);
	}
	cli_unmet_rank(t->rows, t->ncats, is_cohort(t));
	/* categories with no assets after the ranked ones, in their order:
	 * "everyone beyond" is no data, not the top of the ranking */
	{
		struct cli_unmet_row *tmp =
		    xmalloc((t->ncats + 1) * sizeof(*tmp));
		size_t o = 0, r, pass;

		for (pass = 0; pass < 2; pass++)
			for (r = 0; r < t->ncats; r++)
				if (no_assets(t, t->rows[r].k) == (int)pass)
					tmp[o++] = t->rows[r];
		memcpy(t->rows, tmp, t->ncats * sizeof(*tmp));
		free(tmp);
	}
}

/* ---- per area ---------------------------------------------------------------
 */

struct ad {
	int32_t area;
	double d, w;
};

static int ad_cmp(const void *a, const void *b)
{
	const struct ad *x = a, *y = b;

	if (x->area != y->area)
		return x->area < y->area ? -1 : 1;
	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return 0;
}

/* The weighted median of v[0..n-1] (sorted by d), through scratch
 * (room for n). */
static double wmedian(const struct ad *v, size_t n,
		      struct geo_median_item *scratch)
{
	size_t i;

	for (i = 0; i < n; i++) {
		scratch[i].v = v[i].d;
		scratch[i].w = v[i].w;
	}
	return geo_median_weighted(scratch, n, GEO_MEDIAN_MEAN);
}

/* People, people beyond and median distance per area for page p. */
static void per_area(struct atlas *t, struct page *p)
{
	size_t na = t->in.areas->n, n = t->in.n, i, m = 0, j;
	const double *dist_k = t->dist + p->k * n;
	struct ad *v = xmalloc((n + 1) * sizeof(*v));
	struct geo_median_item *scratch = xmalloc((n + 1) * sizeof(*scratch));

	p->beyond = xcalloc(na + 1, sizeof(double));
	p->people = xcalloc(na + 1, sizeof(double));
	p->median = xmalloc((na + 1) * sizeof(double));
	for (i = 0; i < na; i++)
		p->median[i] = NAN;
	for (i = 0; i < n; i++) {
		double w = t->w ? t->w[i] : 1;
		int32_t a = t->in.area[i];

		if (a < 0 || isnan(dist_k[i]) || isnan(w) || w <= 0)
			continue;
		p->people[a] += w;
		if (dist_k[i] > t->within)
			p->beyond[a] += w;
		v[m].area = a;
		v[m].d = dist_k[i];
		v[m].w = w;
		m++;
	}
	qsort(v, m, sizeof(*v), ad_cmp);
	for (i = 0; i < m; i = j) {
		for (j = i; j < m && v[j].area == v[i].area; j++)
			;
		p->median[v[i].area] = wmedian(v + i, j - i, scratch);
	}
	/* all of them, by distance alone */
	for (i = 0; i < m; i++)
		v[i].area = 0;
	qsort(v, m, sizeof(*v), ad_cmp);
	p->median_all = m ? wmedian(v, m, scratch) : NAN;
	free(scratch);
	free(v);
}

/* A category's name inside a sentence: a word in title case reads in
 * lower case ("Legal Aid": "legal aid"); a word with other capitals
 * ("ECM", "Medi-Cal") stays as it is. */
static void in_prose(const char *name, char *buf, size_t size)
{
	size_t i = 0, w;

	snprintf(buf, size, "%s", name);
	while (buf[i]) {
		int title = isupper((unsigned char)buf[i]) != 0;

		for (w = i + 1; buf[w] && buf[w] != ' '; w++)
			if (isupper((unsigned char)buf[w]))
				title = 0;
		if (title)
			buf[i] = (char)tolower((unsigned char)buf[i]);
		for (i = w; buf[i] == ' '; i++)
			;
	}
}

/* ---- deserts
 * ------------------------------------------------------------------ */

/*
 * Compute the deserts of page p's category (farther than t->within from
 * all its assets) and store them as a "deserts" run as 'assetmap
 * deserts' does, made by the atlas; sets p->deserts_run and the page's
 * desert, study area and population in the desert.  Runs inside the
 * caller's transaction.  Returns CORE_OK or a code with ctx->err set.
 */
static int deserts_run(struct cli_ctx *ctx, struct atlas *t, struct page *p)
{
	const struct geo_supply *s = &t->in.supply[p->k];
	const char *cat = t->cats[p->k];
	struct geo_deserts_in din;
	struct geo_deserts *d = NULL;
	json_object *params = json_object_new_object();
	json_object *summary = json_object_new_object();
	int rc;

	memset(&din, 0, sizeof(din));
	din.areas = t->in.areas;
	din.nassets = s->n;
	din.ax = s->x;
	din.ay = s->y;
	din.within = t->within;
	if (t->in.members) {
		din.nmembers = t->in.members->n;
		din.mx = t->in.members->x;
		din.my = t->in.members->y;
		din.marea = t->in.members->area;
	} else if (t->counts) {
		din.counts = t->w;
	}
	if ((rc = geo_deserts_compute(&din, &d, &ctx->err)))
		goto cleanup;
	p->desert_m2 = d->desert_total_m2;
	p->study_m2 = d->study_m2;
	p->pop_in = d->pop_in_total;

	json_object_object_add(params, "category", json_object_new_string(cat));
	json_object_object_add(params, "within_m",
			       json_object_new_double(t->within));
	json_object_object_add(params, "areas",
			       json_object_new_string(t->a.areas));
	json_object_object_add(params, "quad_segs",
			       json_object_new_int(GEO_DESERT_QUAD_SEGS));
	json_object_object_add(params, "made_by", json_object_new_string(CMD));
	if (t->a.cohort)
		json_object_object_add(params, "cohort",
				       json_object_new_string(t->a.cohort));
	cli_analysis_params(&t->a, params);
	if ((rc = core_run_create(
		 ctx->ws, "deserts",
		 json_object_to_json_string_ext(params, JSON_C_TO_STRING_PLAIN),
		 t->a.areas, t->a.cohort, &p->deserts_run, &ctx->err)))
		goto cleanup;
	rc = cli_deserts_store(ctx, p->deserts_run, d, t->in.areas, t->in.proj,
			       cat, t->within, t->a.units, t->a.cohort);
	if (rc)
		goto cleanup;
	json_object_object_add(summary, "category",
			       json_object_new_string(cat));
	json_object_object_add(summary, "within_m",
			       json_object_new_double(t->within));
	json_object_object_add(summary, "assets",
			       json_object_new_int64((int64_t)s->n));
	json_object_object_add(summary, "study_area_m2",
			       json_object_new_double(d->study_m2));
	json_object_object_add(summary, "desert_area_m2",
			       json_object_new_double(d->desert_total_m2));
	json_object_object_add(summary, "population",
			       json_object_new_double(round(d->pop_total)));
	json_object_object_add(summary, "population_in_desert",
			       json_object_new_double(round(d->pop_in_total)));
	json_object_object_add(summary, "pieces",
			       json_object_new_int64((int64_t)d->npieces));
	rc = core_run_summary_set(
	    ctx->ws, p->deserts_run,
	    json_object_to_json_string_ext(summary, JSON_C_TO_STRING_PLAIN),
	    &ctx->err);
cleanup:
	json_object_put(params);
	json_object_put(summary);
	geo_deserts_free(d);
	return rc;
}

/* ---- the partner network -------------------------------------------------
 */

static const char *net_keep(struct network *nw, char *s)
{
	xgrow((void **)&nw->owned, &nw->cap_owned, nw->nowned + 1,
	      sizeof(char *));
	nw->owned[nw->nowned++] = s;
	return s;
}

static void network_release(struct network *nw)
{
	size_t i;

	for (i = 0; i < nw->nowned; i++)
		free(nw->owned[i]);
	free(nw->owned);
	free(nw->cells);
	free(nw->pcells);
	free(nw->cover);
	free(nw->caption);
	free(nw->pcaption);
	free(nw->note);
	free(nw->pnote);
	json_object_put(nw->summary);
}

/* For each of the n points, the number of the m assets within r, as
 * 'assetmap coverage' counts them (an asset at exactly r counts). */
static void within_count(size_t m, const double *ax, const double *ay, size_t n,
			 const double *qx, const double *qy, double r,
			 size_t *count)
{
	struct geo_kd *kd = geo_kd_new(ax, ay, m);

	if (n)
		geo_kd_count_within_all(kd, qx, qy, n, r, NULL, count);
	geo_kd_free(kd);
}

/* "1,234 (56.7%)", or the privacy cell alone when it is not shown or
 * its share would give a hidden count away (share_ok 0). */
static const char *covered_text(struct network *nw, const struct atlas *t,
				int64_t n, enum core_privacy_mark mark,
				int64_t people, int share_ok)
{
	char b[32];

	people_text(t, n, mark, b, sizeof(b));
	if (mark != CORE_PRIVACY_SHOW || !share_ok || people <= 0)
		return net_keep(nw, xstrdup(b));
	return net_keep(nw, xasprintf("%s (%.1f%%)", b,
				      100.0 * (double)n / (double)people));
}

/*
 * The coverage row of category k (people P, covered by all assets A,
 * by current partners C) into row[NET_COLS].  For a cohort, A and C are
 * published as 'coverage' and 'coverage --partners current' publish
 * them (each split covered / not covered with its total, one row of
 * complementary suppression); the gap G = A - C shows only when A and
 * C both do, and a small gap ("<11") hides C too when A shows (A - C
 * would give it away).
 */
static void network_row(struct network *nw, const struct atlas *t, size_t k,
			size_t nassets, size_t npartners, int64_t P, int64_t A,
			int64_t C, const char **row, json_object *jc)
{
	int64_t G = A - C, ra[2] = {A, P - A}, rc_[2] = {C, P - C};
	enum core_privacy_mark ma[2] = {CORE_PRIVACY_SHOW, CORE_PRIVACY_SHOW},
			       mc[2] = {CORE_PRIVACY_SHOW, CORE_PRIVACY_SHOW},
			       mg = CORE_PRIVACY_SHOW;
	int hide_p = 0, share_a = 1, share_c = 1;
	char b[32];

	if (is_cohort(t)) {
		int ha = core_privacy_row(ra, 2, 1, ma);
		int hc = core_privacy_row(rc_, 2, 1, mc);

		hide_p = ha || hc;
		share_a = !ha && ma[1] == CORE_PRIVACY_SHOW;
		share_c = !hc && mc[1] == CORE_PRIVACY_SHOW;
		if (core_privacy_is_small(G)) {
			mg = CORE_PRIVACY_SMALL;
			if (ma[0] == CORE_PRIVACY_SHOW &&
			    mc[0] == CORE_PRIVACY_SHOW)
				mc[0] = CORE_PRIVACY_COMPLEMENT;
		} else if (ma[0] != CORE_PRIVACY_SHOW ||
			   mc[0] != CORE_PRIVACY_SHOW) {
			mg = CORE_PRIVACY_COMPLEMENT;
		}
	}
	row[0] = t->names[k];
	row[1] = net_keep(nw, xasprintf("%zu", nassets));
	row[2] = net_keep(nw, xasprintf("%zu", npartners));
	row[3] = net_keep(
	    nw, xstrdup(people_text(
		    t, P, hide_p ? CORE_PRIVACY_COMPLEMENT : CORE_PRIVACY_SHOW,
		    b, sizeof(b))));
	row[4] = covered_text(nw, t, A, ma[0], P, share_a && !hide_p);
	row[5] = covered_text(nw, t, C, mc[0], P, share_c && !hide_p);
	row[6] = net_keep(nw, xstrdup(people_text(t, G, mg, b, sizeof(b))));
	json_object_object_add(jc, "category",
			       json_object_new_string(t->cats[k]));
	json_object_object_add(jc, "assets",
			       json_object_new_int64((int64_t)nassets));
	json_object_object_add(jc, "current_partners",
			       json_object_new_int64((int64_t)npartners));
	json_object_object_add(jc, "people", json_object_new_string(row[3]));
	json_object_object_add(jc, "covered_all",
			       json_object_new_string(row[4]));
	json_object_object_add(jc, "covered_partners",
			       json_object_new_string(row[5]));
	json_object_object_add(jc, "gap", json_object_new_string(row[6]));
}

/*
 * The recruitment picks of category k as 'assetmap recruit --category
 * K --within D --top NETWORK_PICKS' makes them (geo_recruit_solve on the
 * same people and assets), with their gains published as recruit
 * publishes them: for a cohort, covered now / not split with its total,
 * and the gains with those still not covered as one row of
 * complementary suppression.  Appends to nw->pcells and jpicks.
 */
static int network_picks(struct cli_ctx *ctx, struct atlas *t, size_t k,
			 const unsigned char *status, json_object *jpicks)
{
	struct network *nw = &t->net;
	const struct geo_supply *s = &t->in.supply[k];
	struct geo_recruit_in rin;
	struct geo_recruit *r = NULL;
	enum core_privacy_mark *mg = NULL, ms[2];
	sqlite3_stmt *st = NULL;
	int64_t *cells = NULL, split[2];
	size_t i;
	int rc;

	memset(&rin, 0, sizeof(rin));
	rin.ndemand = t->in.n;
	rin.dx = t->in.x;
	rin.dy = t->in.y;
	rin.dw = t->w;
	rin.nassets = s->n;
	rin.ax = s->x;
	rin.ay = s->y;
	rin.status = status;
	rin.within = t->within;
	rin.k = NETWORK_PICKS;
	rin.method = GEO_SITES_AUTO;
	if ((rc = geo_recruit_solve(&rin, &r, &ctx->err)))
		goto cleanup;
	if (!r->s->npicks)
		goto cleanup;
	mg = xcalloc(r->s->npicks + 1, sizeof(*mg));
	if (is_cohort(t)) {
		cells = xcalloc(r->s->npicks + 1, sizeof(int64_t));
		split[0] = llround(r->s->total) - llround(r->s->uncovered);
		split[1] = llround(r->s->uncovered);
		core_privacy_row(split, 2, 1, ms);
		for (i = 0; i < r->s->npicks; i++)
			cells[i] = llround(r->s->gain[i]);
		cells[r->s->npicks] =
		    llround(r->s->uncovered) - llround(r->s->covered);
		core_privacy_row(cells, r->s->npicks + 1,
				 ms[1] == CORE_PRIVACY_SHOW, mg);
	}
	if ((rc = core_ws_prepare(ctx->ws, &ctx->err, &st,
				  "SELECT name FROM assets WHERE id = ?")))
		goto cleanup;
	for (i = 0; i < r->s->npicks; i++) {
		size_t j = r->pick[i];
		const unsigned char *nm;
		const char **row;
		json_object *jp = json_object_new_object();
		char b[32];

		xgrow((void **)&nw->pcells, &nw->cap_p,
		      (nw->nprows + 1) * PICK_COLS, sizeof(char *));
		row = nw->pcells + nw->nprows * PICK_COLS;
		nw->nprows++;
		sqlite3_bind_int64(st, 1, s->id[j]);
		nm = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_text(st, 0)
						    : NULL;
		row[0] = i == 0 ? t->names[k] : NULL;
		row[1] = net_keep(nw, xasprintf("%zu", i + 1));
		row[2] = net_keep(nw, xstrdup(nm ? (const char *)nm : ""));
		row[3] =
		    geo_partner_status_word((enum geo_partner_status)status[j]);
		row[4] =
		    net_keep(nw, xstrdup(people_text(t, llround(r->s->gain[i]),
						     mg[i], b, sizeof(b))));
		sqlite3_reset(st);
		json_object_object_add(jp, "category",
				       json_object_new_string(t->cats[k]));
		json_object_object_add(jp, "rank",
				       json_object_new_int64((int64_t)i + 1));
		json_object_object_add(jp, "asset_id",
				       json_object_new_int64(s->id[j]));
		json_object_object_add(jp, "name",
				       json_object_new_string(row[2]));
		json_object_object_add(
		    jp, "status",
		    json_object_new_string(geo_partner_status_code(
			(enum geo_partner_status)status[j])));
		json_object_object_add(jp, "newly_covered",
				       json_object_new_string(row[4]));
		json_object_array_add(jpicks, jp);
		nw->npicks++;
	}
cleanup:
	sqlite3_finalize(st);
	free(cells);
	free(mg);
	geo_recruit_free(r);
	return rc;
}

/*
 * The partner network's page, when the register has current partners
 * and no --partners filter narrows the book: per ranking category (in
 * ranking order) the people, those within D of any of its assets and of
 * its current partners (as 'coverage' and 'coverage --partners
 * current' count them: the same people, assets and rule), and its
 * recruitment picks (network_picks).  Otherwise nw->shown stays 0 and
 * nw->cover says why.  Reads the workspace only.
 */
static int network_compute(struct cli_ctx *ctx, struct atlas *t)
{
	struct network *nw = &t->net;
	size_t n = t->in.n, r, i;
	size_t *ca = xmalloc((n + 1) * sizeof(size_t));
	size_t *cp = xmalloc((n + 1) * sizeof(size_t));
	json_object *jcats, *jpicks;
	char within_text[32];
	int rc = CORE_OK;

	core_units_format_short(t->within, t->a.units, within_text,
				sizeof(within_text));
	if (t->a.filter.partners != GEO_PARTNERS_ALL) {
		nw->cover = xasprintf(
		    "Partner network: no page, as --partners %s counts only "
		    "those assets throughout the book; without --partners a "
		    "page compares the current partners with all assets.",
		    geo_partners_code(t->a.filter.partners));
		goto cleanup;
	}
	if ((rc = core_ws_int(ctx->ws, &ctx->err,
			      "SELECT count(*) FROM partners WHERE status = "
			      "'current'",
			      &nw->ncurrent)))
		goto cleanup;
	if (nw->ncurrent == 0) {
		nw->cover = xstrdup(
		    "Partner network: no page, as the partnership register "
		    "has no current partners ('assetmap import partners', "
		    "'assetmap partner set').");
		goto cleanup;
	}
	nw->shown = 1;
	nw->summary = json_object_new_object();
	jcats = json_object_new_array();
	jpicks = json_object_new_array();
	json_object_object_add(nw->summary, "current_partners",
			       json_object_new_int64(nw->ncurrent));
	json_object_object_add(nw->summary, "coverage", jcats);
	json_object_object_add(nw->summary, "picks", jpicks);
	nw->cells = xcalloc(NET_COLS * t->ncats + 1, sizeof(char *));
	for (r = 0; r < t->ncats && rc == CORE_OK; r++) {
		size_t k = t->rows[r].k;
		const struct geo_supply *s = &t->in.supply[k];
		unsigned char *status = xmalloc(s->n + 1);
		double *px = xmalloc((s->n + 1) * sizeof(double));
		double *py = xmalloc((s->n + 1) * sizeof(double));
		double P = 0, A = 0, C = 0;
		size_t np = 0;
		json_object *jc = json_object_new_object();

		rc = geo_partner_status_load(ctx->ws, s->id, s->n, status,
					     &ctx->err);
		for (i = 0; rc == CORE_OK && i < s->n; i++)
			if (status[i] == GEO_PARTNER_CURRENT) {
				px[np] = s->x[i];
				py[np] = s->y[i];
				np++;
			}
		if (rc == CORE_OK) {
			within_count(s->n, s->x, s->y, n, t->in.x, t->in.y,
				     t->within, ca);
			within_count(np, px, py, n, t->in.x, t->in.y, t->within,
				     cp);
			for (i = 0; i < n; i++) {
				double w = t->w ? t->w[i] : 1;

				if (isnan(t->in.x[i]) || !(w > 0))
					continue;
				P += w;
				A += ca[i] ? w : 0;
				C += cp[i] ? w : 0;
			}
			network_row(nw, t, k, s->n, np, count_of(P),
				    count_of(A), count_of(C),
				    nw->cells + NET_COLS * nw->nrows, jc);
			nw->nrows++;
			json_object_array_add(jcats, jc);
			jc = NULL;
			rc = network_picks(ctx, t, k, status, jpicks);
		}
		json_object_put(jc);
		free(status);
		free(px);
		free(py);
	}
	if (rc)
		goto cleanup;
	{
		const char *priv =
		    is_cohort(t)
			? "Counts of 1 to 10 cohort members show as <11, and a "
			  "count that a total or another count would give away "
			  "as 'suppressed'."
			: "Each area's population is counted at its point: an "
			  "area is in or out as a whole.";

		if (nw->nprows)
			nw->cover = xasprintf(
			    "Partner network (pages %zu and %zu): what the "
			    "%lld current partner%s of the partnership "
			    "register "
			    "cover against all assets, per category, and the "
			    "assets to recruit next.",
			    t->npages + 3, t->npages + 4,
			    (long long)nw->ncurrent,
			    nw->ncurrent == 1 ? "" : "s");
		else
			nw->cover = xasprintf(
			    "Partner network (page %zu): what the %lld current "
			    "partner%s of the partnership register cover "
			    "against all assets, per category; no asset "
			    "outside "
			    "the network would cover anyone more.",
			    t->npages + 3, (long long)nw->ncurrent,
			    nw->ncurrent == 1 ? "" : "s");
		nw->caption = xasprintf(
		    "%s within %s of an asset of each category: of any of its "
		    "assets (as 'assetmap coverage' counts them) and of its "
		    "current partners only (as 'assetmap coverage --partners "
		    "current' does).  The gap: those whom only assets outside "
		    "the network reach.",
		    is_cohort(t) ? "Cohort members" : "People", within_text);
		nw->note = xasprintf("Current partners: assets whose status in "
				     "the partnership register is 'current'.  "
				     "%s",
				     priv);
		nw->pcaption = xasprintf(
		    "Per category, up to %d assets that are not current "
		    "partners (prospective or unaffiliated) which would newly "
		    "cover the most %s beyond %s of every current partner, in "
		    "the order 'assetmap recruit --top %d' picks them, each "
		    "with its gain.",
		    NETWORK_PICKS, is_cohort(t) ? "cohort members" : "people",
		    within_text, NETWORK_PICKS);
		nw->pnote = xasprintf(
		    "A category not listed has no asset outside the network "
		    "that would cover anyone more.  %s",
		    priv);
	}
cleanup:
	free(ca);
	free(cp);
	return rc;
}

/* ---- the atlas run ----------------------------------------------------------
 */

/*
 * Store the "atlas" run (t->run_id): the parameters, a summary with the
 * unmet-need ranking and each page's category, page number and deserts
 * run, and per area beyond_<cat> for each page's category.  Runs inside
 * the caller's transaction.  Returns CORE_OK or a code with ctx->err
 * set.
 */
static int atlas_run(struct cli_ctx *ctx, struct atlas *t)
{
	json_object *params = json_object_new_object();
	json_object *summary = json_object_new_object(), *arr;
	struct core_result_writer *w = NULL;
	const char *kind =
	    is_cohort(t) ? CORE_RK_COHORT_COUNT : CORE_RK_POPULATION;
	char name[256], label[512], within_text[32], low[256];
	size_t i, j;
	int rc;

	json_object_object_add(params, "within_m",
			       json_object_new_double(t->within));
	arr = json_object_new_array();
	for (j = 0; j < t->npages; j++)
		json_object_array_add(
		    arr, json_object_new_string(t->cats[t->pages[j].k]));
	json_object_object_add(params, "categories", arr);
	if (t->indicator)
		json_object_object_add(params, "indicator",
				       json_object_new_string(t->indicator));
	json_object_object_add(params, "output",
			       json_object_new_string(t->output));
	cli_analysis_params(&t->a, params);
	arr = json_object_new_array();
	cli_unmet_json(t->rows, t->ncats, t->cats, is_cohort(t), arr);
	/* a category with no assets has no counts: no data, as printed */
	for (i = 0; i < t->ncats; i++)
		if (no_assets(t, t->rows[i].k)) {
			json_object *o = json_object_array_get_idx(arr, i);

			json_object_object_add(o, "beyond", NULL);
			json_object_object_add(o, "within", NULL);
			json_object_object_add(o, "no_data",
					       json_object_new_boolean(1));
		}
	json_object_object_add(summary, "unmet", arr);
	arr = json_object_new_array();
	for (j = 0; j < t->npages; j++) {
		json_object *o = json_object_new_object();

		json_object_object_add(
		    o, "category",
		    json_object_new_string(t->cats[t->pages[j].k]));
		json_object_object_add(o, "page",
				       json_object_new_int64((int64_t)j + 3));
		json_object_object_add(
		    o, "deserts_run",
		    json_object_new_int64(t->pages[j].deserts_run));
		json_object_array_add(arr, o);
	}
	json_object_object_add(summary, "pages", arr);
	if (t->net.summary) {
		json_object_object_add(summary, "network", t->net.summary);
		t->net.summary = NULL;
	}

	rc = core_run_create(
	    ctx->ws, CMD,
	    json_object_to_json_string_ext(params, JSON_C_TO_STRING_PLAIN),
	    t->a.areas, t->a.cohort, &t->run_id, &ctx->err);
	core_units_format_short(t->within, t->a.units, within_text,
				sizeof(within_text));
	for (j = 0; !rc && j < t->npages; j++) {
		snprintf(name, sizeof(name), "beyond_%s",
			 t->cats[t->pages[j].k]);
		in_prose(t->names[t->pages[j].k], low, sizeof(low));
		snprintf(label, sizeof(label), "%s beyond %s of %s",
			 is_cohort(t) ? "People" : "Population", within_text,
			 low);
		rc = core_result_info_add(ctx->ws, t->run_id, name, kind, NULL,
					  label, (int)j + 1, &ctx->err);
	}
	if (!rc)
		rc = core_result_writer_new(ctx->ws, t->run_id, &w, &ctx->err);
	for (i = 0; !rc && i < t->in.areas->n; i++)
		for (j = 0; !rc && j < t->npages; j++) {
			snprintf(name, sizeof(name), "beyond_%s",
				 t->cats[t->pages[j].k]);
			rc = core_result_area_put(w, t->in.areas->geoid[i],
						  name, t->pages[j].beyond[i],
						  &ctx->err);
		}
	if (!rc)
		rc = core_run_summary_set(ctx->ws, t->run_id,
					  json_object_to_json_string_ext(
					      summary, JSON_C_TO_STRING_PLAIN),
					  &ctx->err);
	core_result_writer_free(w);
	json_object_put(params);
	json_object_put(summary);
	return rc;
}

/* ---- the pages' text --------------------------------------------------------
 */

static const char *keep(struct page *p, char *s)
{
	p->owned = xrealloc(p->owned, (p->nowned + 1) * sizeof(char *));
	p->owned[p->nowned++] = s;
	return s;
}

struct trow {
	size_t i;
	int64_t n;
	enum core_privacy_mark mark;
};

static int trow_cmp(const void *a, const void *b)
{
	const struct trow *x = a, *y = b;

	return cli_privacy_rank_cmp(x->mark, x->n, x->i, y->mark, y->n, y->i);
}

/* The worst-served table of page p: rank, GEOID, name, beyond, share,
 * median distance, then a total row.  The cover publishes everyone's
 * count, so the people not beyond (within reach, or in no area) are one
 * more cell of the row: "All areas" beyond is that total minus them. */
static void page_table(struct atlas *t, struct page *p)
{
	size_t na = t->in.areas->n, i, r, nr = 0;
	int64_t *cells = xcalloc(na + 2, sizeof(int64_t));
	enum core_privacy_mark *marks = xcalloc(na + 2, sizeof(*marks));
	struct trow *rows = xcalloc(na + 1, sizeof(*rows));
	int64_t tot_b = 0, tot_p = 0,
		everyone = count_of(t->beyond[0] + t->inside[0]);
	int hide_total = 0, cohort = is_cohort(t);
	char b[64];

	for (i = 0; i < na; i++) {
		cells[i] = count_of(p->beyond[i]);
		tot_b += cells[i];
		tot_p += count_of(p->people[i]);
	}
	cells[na] = everyone > tot_b ? everyone - tot_b : 0;
	/* "All areas" is hidden with the rest it would give away (a small
	 * sum of areas stays "<11") */
	if (cohort)
		hide_total = core_privacy_row(cells, na + 1, 1, marks) ||
			     (marks[na] != CORE_PRIVACY_SHOW &&
			      !core_privacy_is_small(tot_b));
	if (no_assets(t, p->k)) {
		/* no data: no table (page_text says why) */
		p->nrows = 0;
		p->cells = xcalloc(1, sizeof(char *));
		goto cleanup;
	}
	for (i = 0; i < na; i++)
		if (cells[i] > 0) {
			rows[nr].i = i;
			rows[nr].n = cells[i];
			rows[nr].mark = marks[i];
			nr++;
		}
	qsort(rows, nr, sizeof(*rows), trow_cmp);
	p->nany = nr;
	if (nr > (size_t)t->top)
		nr = (size_t)t->top;
	p->nlisted = nr;
	for (r = 0; r < nr; r++)
		p->nhidden += rows[r].mark != CORE_PRIVACY_SHOW;
	p->nrows = nr + 1;
	p->cells = xcalloc(6 * p->nrows + 1, sizeof(char *));
	for (r = 0; r < nr; r++) {
		const char **c = p->cells + 6 * r;
		size_t a = rows[r].i;
		int64_t people = count_of(p->people[a]);
		int hidden = rows[r].mark != CORE_PRIVACY_SHOW;

		/* a hidden count has no rank: its place says nothing */
		c[0] = hidden ? NULL : keep(p, xasprintf("%zu", r + 1));
		c[1] = t->in.areas->geoid[a];
		c[2] = t->in.areas->name[a] ? t->in.areas->name[a] : "";
		c[3] = keep(p, xstrdup(people_text(t, rows[r].n, rows[r].mark,
						   b, sizeof(b))));
		/* the share gives the tract's people and those within
		 * away: hidden with either */
		if (people <= 0)
			c[4] = NULL;
		else if (cohort &&
			 (hidden || core_privacy_is_small(people - rows[r].n)))
			c[4] = CORE_PRIVACY_HIDDEN_TEXT;
		else
			c[4] = keep(
			    p, xasprintf("%.1f%%", 100.0 * (double)rows[r].n /
						       (double)people));
		/* a median of a few people is nearly one person's distance */
		if (cohort && core_privacy_is_small(people))
			c[5] = CORE_PRIVACY_HIDDEN_TEXT;
		else
			c[5] = keep(p, xstrdup(core_units_format(p->median[a],
								 t->a.units, b,
								 sizeof(b))));
	}
	{
		const char **c = p->cells + 6 * nr;

		c[0] = NULL;
		c[1] = "All areas";
		c[2] = NULL;
		if (cohort && hide_total)
			c[3] = CORE_PRIVACY_HIDDEN_TEXT;
		else
			c[3] = keep(
			    p, xstrdup(people_text(t, tot_b, CORE_PRIVACY_SHOW,
						   b, sizeof(b))));
		if (tot_p <= 0)
			c[4] = NULL;
		else if (cohort &&
			 (hide_total || core_privacy_is_small(tot_b) ||
			  core_privacy_is_small(tot_p - tot_b)))
			c[4] = CORE_PRIVACY_HIDDEN_TEXT;
		else
			c[4] =
			    keep(p, xasprintf("%.1f%%", 100.0 * (double)tot_b /
							    (double)tot_p));
		if (cohort && core_privacy_is_small(tot_p))
			c[5] = CORE_PRIVACY_HIDDEN_TEXT;
		else
			c[5] = keep(p, xstrdup(core_units_format(p->median_all,
								 t->a.units, b,
								 sizeof(b))));
	}
cleanup:
	free(cells);
	free(marks);
	free(rows);
}

static double area_in(double m2, enum core_unit u)
{
	double f = core_units_from_m(1, u);

	return m2 * f * f;
}

static const char *area_unit(enum core_unit u)
{
	return u == CORE_UNIT_MI ? "sq mi" : u == CORE_UNIT_KM ? "km2" : "m2";
}

/*
 * The heading of page p's table, saying what it lists: "The 10 areas
 * with the most ..." only when it lists that many ranked ones; fewer
 * areas with anyone beyond, counts that cannot be ranked (<11 or
 * suppressed, listed after the others in GEOID order), and a category
 * with no assets (no table at all) are said as such.  who: "cohort
 * members" or "people"; low: the category in prose.
 */
static char *table_caption(const struct atlas *t, const struct page *p,
			   const char *who, const char *within_text,
			   const char *low)
{
	struct core_buf b = CORE_BUF_INIT;
	size_t ranked = p->nlisted - p->nhidden;
	/* the areas' own word: census tracts, neighborhoods, ... */
	const char *lv = render_level_plural(t->a.areas, 0);

	if (no_assets(t, p->k)) {
		char *why = no_assets_why(t, p->k, 1);

		core_buf_addf(&b,
			      "No data for this category: %s, so no one can "
			      "be ranked by the distance to one.",
			      why);
		free(why);
		return core_buf_detach(&b);
	}
	if (p->nany == 0) {
		core_buf_addf(&b, "None of the %s has %s beyond %s of %s.", lv,
			      who, within_text, low);
		return core_buf_detach(&b);
	}
	if (ranked == 0) {
		if (p->nlisted == p->nany)
			core_buf_addf(&b, "All %zu %s with %s beyond %s of %s",
				      p->nlisted, p->nlisted == 1 ? "area" : lv,
				      who, within_text, low);
		else
			core_buf_addf(
			    &b,
			    "The first %zu, in GEOID order, of the %zu "
			    "%s with %s beyond %s of %s",
			    p->nlisted, p->nany, lv, who, within_text, low);
		core_buf_addf(&b,
			      ": %s under 11 or suppressed, too few to "
			      "rank%s",
			      p->nlisted == 1 ? "its count is"
					      : "each count is",
			      p->nlisted == p->nany && p->nlisted > 1
				  ? ", so they are listed in GEOID order"
				  : "");
		return core_buf_detach(&b);
	}
	if (p->nlisted == (size_t)t->top && p->nhidden == 0) {
		core_buf_addf(&b, "The %zu %s with the most %s beyond %s of %s",
			      p->nlisted, lv, who, within_text, low);
	} else if (p->nlisted == p->nany) {
		core_buf_addf(&b,
			      "The %zu %s with %s beyond %s of %s (only "
			      "%zu of the %zu %s ha%s any)",
			      p->nlisted, p->nlisted == 1 ? "area" : lv, who,
			      within_text, low, p->nany, t->in.areas->n, lv,
			      p->nany == 1 ? "s" : "ve");
		if (p->nhidden)
			core_buf_addf(&b, ": %zu ranked, then", ranked);
	} else {
		core_buf_addf(&b, "The %zu %s with the most %s beyond %s of %s",
			      ranked, ranked == 1 ? "area" : lv, who,
			      within_text, low);
		if (p->nhidden)
			core_buf_adds(&b, "; then");
	}
	if (p->nhidden)
		core_buf_addf(&b,
			      " %zu with a count under 11 or suppressed, which "
			      "cannot be ranked, in GEOID order",
			      p->nhidden);
	return core_buf_detach(&b);
}

static void page_text(struct atlas *t, struct page *p)
{
	const char *name = t->names[p->k];
	const char *who = is_cohort(t) ? "cohort members" : "people";
	char within_text[32], pop[32], low[256];

	core_units_format_short(t->within, t->a.units, within_text,
				sizeof(within_text));
	in_prose(name, low, sizeof(low));
	p->heading = xstrdup(name);
	p->map_title =
	    xasprintf("%s: out of reach beyond %s", name, within_text);
	/* the legend counts the assets in the frame */
	if (no_assets(t, p->k)) {
		char *why = no_assets_why(t, p->k, 1);

		p->map_subtitle = xasprintf("No data: %s", why);
		free(why);
	} else {
		p->map_subtitle =
		    xasprintf("Hatched: farther than %s from every %s asset",
			      within_text, low);
	}
	p->caption = table_caption(t, p, who, within_text, low);
	p->run_ref = xasprintf("%lld", (long long)p->deserts_run);
	p->cats[0] = t->cats[p->k];
	grouped(count_of(p->pop_in), pop, sizeof(pop));
	if (no_assets(t, p->k)) {
		p->note = xasprintf(
		    "With no %s asset, every place is farther than %s from "
		    "one: the map hatches it all (deserts run %lld), and the "
		    "ranking lists this category as no data.",
		    low, within_text, (long long)p->deserts_run);
		return;
	}
	p->note = xasprintf(
	    "Beyond %s: the area's %s farther than %s from the nearest %s "
	    "asset, in a straight line.  Share of area: of all the area's %s.  "
	    "Median distance: the median, over all the area's %s (within "
	    "reach or not), of the distance to the nearest %s asset; 'All "
	    "areas': over everyone.  %s  Desert (run %lld): %.1f of %.1f %s "
	    "(%.0f%%), population %s by areal weighting.",
	    within_text, who, within_text, low, who, who, low,
	    is_cohort(t)
		? "<11: 1 to 10 cohort members, not shown; 'suppressed' hides "
		  "a count that a total would give away, and a share or a "
		  "median resting on fewer than 11 members (a median beside "
		  "<11 rests on all the area's members, who may be more)."
		: (t->in.weighted
		       ? "Each area's population is placed at its "
			 "population-weighted centroid: an area is in or out "
			 "as a whole."
		       : "Each area's population is placed at its centroid: "
			 "an area is in or out as a whole."),
	    (long long)p->deserts_run, area_in(p->desert_m2, t->a.units),
	    area_in(p->study_m2, t->a.units), area_unit(t->a.units),
	    p->study_m2 > 0 ? 100 * p->desert_m2 / p->study_m2 : 0.0, pop);
}

static void page_release(struct page *p)
{
	size_t i;

	free(p->beyond);
	free(p->people);
	free(p->median);
	free(p->heading);
	free(p->caption);
	free(p->note);
	free(p->map_title);
	free(p->map_subtitle);
	free(p->run_ref);
	for (i = 0; i < p->nowned; i++)
		free(p->owned[i]);
	free(p->owned);
	free(p->cells);
}

/* ---- the book
 * ------------------------------------------------------------------ */

/* The cover's paragraphs, in order, and the book's titles (all owned). */
enum {
	COVER_NEED,
	COVER_REACH,
	COVER_PAGES,
	COVER_NETWORK,
	COVER_SOURCES,
	COVER_PRIVACY,
	COVER_RUNS,
	COVER_N
};

struct cover {
	char *text[COVER_N];
	char *title, *subtitle, *subject;
	char *shade;   /* the maps' indicator, quoted, or NULL */
	char *sources; /* source_list's */
};

/*
 * Fill c with the cover's text: what need and out of reach mean here
 * (within_text: the distance as the book prints it; filt: the filters
 * described), what the pages show and shade by (--indicator, else the
 * workspace's default indicator, else nothing), the sources, the privacy
 * rule and the runs; and the book's title, subtitle and PDF subject.  A
 * failure to find the default indicator is not an error: ctx->err is
 * cleared.  The caller frees c with cover_release.
 */
static void cover_text(struct cli_ctx *ctx, const struct atlas *t,
		       const char *within_text, const char *filt,
		       struct cover *c)
{
	char num[32], nodata_text[160];
	int64_t total;
	size_t k, nodata = 0;

	memset(c, 0, sizeof(*c));
	for (k = 0; k < t->ncats; k++)
		nodata += no_assets(t, k) != 0;
	snprintf(nodata_text, sizeof(nodata_text),
		 "; %zu categor%s with no assets %s no data, not ranked",
		 nodata, nodata == 1 ? "y" : "ies", nodata == 1 ? "is" : "are");
	if (t->indicator)
		c->shade = xasprintf("'%s'", t->indicator);
	else if (render_default_indicator(ctx->ws, t->a.areas, &c->shade,
					  &ctx->err) == CORE_OK &&
		 c->shade) {
		char *q = xasprintf("'%s'", c->shade);

		free(c->shade);
		c->shade = q;
	}
	core_err_clear(&ctx->err);
	total = count_of(t->beyond[0] + t->inside[0]);
	if (is_cohort(t))
		c->text[COVER_NEED] = xasprintf(
		    "Need: the %s people of cohort '%s'%s%s, %s.",
		    core_privacy_count_grouped(total, num, sizeof(num)),
		    t->a.cohort, t->a.where ? " with " : "",
		    t->a.where ? t->a.where : "",
		    t->counts
			? "counted per area and placed at each area's point"
			: "each at their own location");
	else
		c->text[COVER_NEED] =
		    xasprintf("Need: population.  No cohort was given, so need "
			      "is each area's population (%s people in all), "
			      "placed at the area's %s.",
			      grouped(total, num, sizeof(num)),
			      t->in.weighted ? "population-weighted centroid"
					     : "centroid");
	c->text[COVER_REACH] = xasprintf(
	    "Out of reach: farther than %s in a straight line from the nearest "
	    "asset of a category%s%s.  The ranking counts, for each of the %zu "
	    "categories, the people out of reach of it, most first%s.",
	    within_text, *filt ? " that passes the filters: " : "", filt,
	    t->ncats, nodata ? nodata_text : "");
	c->text[COVER_PAGES] = xasprintf(
	    "Each category page maps the %s areas shaded by %s, the category's "
	    "assets, and its deserts (the places farther than %s from every "
	    "one of its assets), with a table of the areas with the most "
	    "people out of reach.  Pages: %s.",
	    t->a.areas, c->shade ? c->shade : "nothing (no indicator)",
	    within_text,
	    t->a.ncats ? "the categories asked for" : "the top of the ranking");
	c->text[COVER_NETWORK] = xstrdup(t->net.cover ? t->net.cover : "");
	c->sources = source_list(ctx->ws, t->a.cohort);
	c->text[COVER_SOURCES] = xasprintf("Sources: %s.", c->sources);
	c->text[COVER_PRIVACY] = xstrdup(
	    is_cohort(t) ? "Privacy: counts of cohort members from 1 to 10 are "
			   "shown as <11, and a count that a total would give "
			   "away as 'suppressed'.  No page shows where a "
			   "member lives: maps shade areas, never people."
			 : "Privacy: no cohort data is used in this book.");
	c->text[COVER_RUNS] =
	    xasprintf("Made with assetmap %s.  The numbers are stored in the "
		      "workspace as run %lld (atlas) and the deserts runs "
		      "named on each page; 'assetmap results' lists them.",
		      ASSETMAP_VERSION, (long long)t->run_id);
	c->title = xstrdup(t->title ? t->title : "Unmet need: a map book");
	c->subtitle =
	    t->subtitle ? xstrdup(t->subtitle)
			: xasprintf("%s beyond %s of each kind of help",
				    is_cohort(t) ? "Cohort members" : "People",
				    within_text);
	c->subject = xasprintf("Unmet need for %zu categories; %s", t->ncats,
			       c->subtitle);
}

static void cover_release(struct cover *c)
{
	size_t i;

	for (i = 0; i < COVER_N; i++)
		free(c->text[i]);
	free(c->title);
	free(c->subtitle);
	free(c->subject);
	free(c->shade);
	free(c->sources);
}

/*
 * The ranking chart's bars, one per category in ranking order: the
 * category's name, its people beyond (NaN when hidden) and the text
 * beside the bar (the count, its share when both cells show, and the
 * category's page); a category with no assets has no bar and "no data
 * for this category".  bars and text hold t->ncats each; the caller frees
 * text[0..ncats-1].
 */
static void ranking_bars(const struct atlas *t, struct render_chart_bar *bars,
			 char **text)
{
	char pg_ref[32];
	size_t i, r;

	for (r = 0; r < t->ncats; r++) {
		const struct cli_unmet_row *u = &t->rows[r];
		int hidden = u->mb != CORE_PRIVACY_SHOW;
		int64_t tot = u->beyond + u->within;
		char b[32];

		bars[r].label = t->names[u->k];
		bars[r].value = hidden ? NAN : (double)u->beyond;
		people_text(t, u->beyond, u->mb, b, sizeof(b));
		for (i = 0; i < t->npages; i++)
			if (t->pages[i].k == u->k)
				break;
		if (i < t->npages)
			snprintf(pg_ref, sizeof(pg_ref),
				 "  \xe2\x86\x92 page %zu", i + 3);
		else
			pg_ref[0] = '\0';
		if (no_assets(t, u->k)) {
			char *why = no_assets_why(t, u->k, 0);

			bars[r].value = NAN;
			text[r] = xasprintf("no data for this category (%s)%s",
					    why, pg_ref);
			free(why);
		} else if (!hidden && u->mw == CORE_PRIVACY_SHOW && tot > 0)
			text[r] = xasprintf(
			    "%s (%.1f%%)%s", b,
			    100.0 * (double)u->beyond / (double)tot, pg_ref);
		else
			text[r] = xasprintf("%s%s", b, pg_ref);
		bars[r].text = text[r];
	}
}

/*
 * The category pages as the renderer takes them, one per t->pages: the
 * map's spec (the page's category, its deserts run, --indicator shading)
 * and the table under it, with column heads head and alignment align (6
 * each).  Everything in pg borrows from t, head and align.
 */
static void category_pages(const struct atlas *t, const char *const *head,
			   const enum render_chart_align *align,
			   struct render_atlas_page *pg)
{
	size_t i;

	for (i = 0; i < t->npages; i++) {
		struct page *p = &t->pages[i];
		struct render_spec *m = &pg[i].map;

		render_spec_init(m);
		m->indicator = t->indicator;
		m->categories = p->cats;
		m->ncategories = 1;
		m->title = p->map_title;
		m->subtitle = p->map_subtitle;
		m->units =
		    t->a.units == CORE_UNIT_KM ? RENDER_KM : RENDER_MILES;
		m->creator = "assetmap " ASSETMAP_VERSION;
		m->level = t->a.areas;
		m->deserts = p->run_ref;
		m->author = t->author;
		m->filter = &t->a.filter; /* the assets the page counts */
		m->filter_words = t->filter_words;
		pg[i].heading = p->heading;
		pg[i].caption = p->caption;
		pg[i].note = p->note;
		pg[i].table.ncols = 6;
		pg[i].table.nrows = p->nrows;
		pg[i].table.head = head;
		pg[i].table.cell = p->cells;
		pg[i].table.align = align;
		pg[i].table.total = 1;
		pg[i].overflow_hint =
		    "; a smaller --top or a larger --page shows them all";
	}
}

/*
 * Write the book to t->output as a PDF of pw x ph points: the cover
 * (cover_text), the unmet-need ranking as a bar chart (ranking_bars),
 * then one map and table page per t->pages (category_pages; page_table
 * and page_text already called).  The maps read the deserts runs
 * through ctx->ws.  Returns CORE_OK or a code with ctx->err set by
 * render_atlas_write.
 */
static int write_book(struct cli_ctx *ctx, struct atlas *t, double pw,
		      double ph)
{
	static const char *const head_c[] = {"#",  "GEOID",	    "Name",
					     NULL, "Share of area", NULL};
	static const enum render_chart_align align[] = {
	    RENDER_ALIGN_RIGHT, RENDER_ALIGN_LEFT,  RENDER_ALIGN_LEFT,
	    RENDER_ALIGN_RIGHT, RENDER_ALIGN_RIGHT, RENDER_ALIGN_RIGHT};
	struct render_atlas_spec s;
	struct render_atlas_page *pg = xcalloc(t->npages + 1, sizeof(*pg));
	struct render_chart_bar *bars = xcalloc(t->ncats + 1, sizeof(*bars));
	char **bar_text = xcalloc(t->ncats + 1, sizeof(char *));
	const char *head[6], *net_head[NET_COLS];
	struct cover cover;
	char *caption, *beyond_head;
	char within_text[32], filt[256];
	size_t r;
	int rc;

	core_units_format_short(t->within, t->a.units, within_text,
				sizeof(within_text));
	geo_filter_describe(&t->a.filter, filt, sizeof(filt));
	memcpy(head, head_c, sizeof(head));
	beyond_head = xasprintf("Beyond %s", within_text);
	head[3] = beyond_head;
	/* what the median is of: everyone in the area, not only those
	 * beyond (see the page's note) */
	head[5] = is_cohort(t) ? "Median distance, all members"
			       : "Median distance, all people";

	cover_text(ctx, t, within_text, filt, &cover);
	ranking_bars(t, bars, bar_text);
	caption =
	    xasprintf("%s farther than %s from the nearest asset of each "
		      "category, most first.",
		      is_cohort(t) ? "Cohort members" : "People", within_text);
	t->filter_words = cli_filter_words(ctx->ws, &t->a.filter, 0);
	category_pages(t, head, align, pg);

	memset(&s, 0, sizeof(s));
	s.page_w = pw;
	s.page_h = ph;
	s.title = cover.title;
	s.subtitle = cover.subtitle;
	s.author = t->author;
	s.subject = cover.subject;
	s.creator = "assetmap " ASSETMAP_VERSION;
	s.cover = (const char *const *)cover.text;
	s.ncover = COVER_N;
	s.chart_title = "Unmet-need ranking";
	s.chart_caption = caption;
	s.bars = bars;
	s.nbars = t->ncats;
	s.chart_note =
	    is_cohort(t) ? cover.text[COVER_PRIVACY] : cover.text[COVER_NEED];
	s.pages = pg;
	s.npages = t->npages;
	if (t->net.shown) {
		static const char *const nhead[NET_COLS] = {
		    "Category",
		    "Assets",
		    "Current partners",
		    NULL,
		    "Covered by all assets",
		    "Covered by current partners",
		    "Gap"};
		static const char *const phead[PICK_COLS] = {
		    "Category", "Pick", "Asset", "Standing", "Newly covered"};
		static const enum render_chart_align nal[NET_COLS] = {
		    RENDER_ALIGN_LEFT,	RENDER_ALIGN_RIGHT, RENDER_ALIGN_RIGHT,
		    RENDER_ALIGN_RIGHT, RENDER_ALIGN_RIGHT, RENDER_ALIGN_RIGHT,
		    RENDER_ALIGN_RIGHT};
		static const enum render_chart_align pal[PICK_COLS] = {
		    RENDER_ALIGN_LEFT, RENDER_ALIGN_RIGHT, RENDER_ALIGN_LEFT,
		    RENDER_ALIGN_LEFT, RENDER_ALIGN_RIGHT};

		memcpy(net_head, nhead, sizeof(nhead));
		net_head[3] = is_cohort(t) ? "Cohort members" : "Population";
		s.network_title = "Partner network";
		s.network_caption = t->net.caption;
		s.network_table.ncols = NET_COLS;
		s.network_table.nrows = t->net.nrows;
		s.network_table.head = net_head;
		s.network_table.cell = t->net.cells;
		s.network_table.align = nal;
		s.network_note = t->net.note;
		s.picks_title = t->net.nprows ? "Whom to recruit" : NULL;
		s.picks_caption = t->net.pcaption;
		s.picks_table.ncols = PICK_COLS;
		s.picks_table.nrows = t->net.nprows;
		s.picks_table.head = phead;
		s.picks_table.cell = t->net.pcells;
		s.picks_table.align = pal;
		s.picks_note = t->net.pnote;
	}
	rc = render_atlas_write(ctx->ws, &s, t->output, &ctx->err);

	for (r = 0; r < t->ncats; r++)
		free(bar_text[r]);
	free(bar_text);
	free(bars);
	free(pg);
	free(beyond_head);
	free(caption);
	cover_release(&cover);
	return rc;
}

/* ---- the summary
 * ----------------------------------------------------------------- */

/*
 * Print the ranking to ctx->out in --format: one row per category in
 * ranking order with rank, category, beyond, within, share_beyond_pct
 * and the book's page for it (empty without one).  Cohort counts are
 * privacy cells; a row with a hidden cell shows no rank and a hidden
 * share; a category with no assets shows no rank and no counts (no
 * data), and a note after the table says so.
 */
static void print_summary(struct cli_ctx *ctx, const struct atlas *t)
{
	static const char *const cols[] = {
	    "rank", "category", "beyond", "within", "share_beyond_pct", "page"};
	struct cli_table *table = cli_table_new(6, cols, "nsnnnn");
	size_t r, j;

	for (r = 0; r < t->ncats; r++) {
		const struct cli_unmet_row *u = &t->rows[r];
		int hidden =
		    u->mb != CORE_PRIVACY_SHOW || u->mw != CORE_PRIVACY_SHOW;
		int64_t tot = u->beyond + u->within;
		char b0[32], b2[32], b3[32], b4[32], b5[32];
		const char *v[6];

		snprintf(b0, sizeof(b0), "%zu", r + 1);
		v[0] = hidden ? NULL : b0;
		v[1] = t->cats[u->k];
		if (no_assets(t, u->k)) {
			/* no data: not ranked, no counts */
			v[0] = v[2] = v[3] = v[4] = NULL;
		} else if (is_cohort(t)) {
			v[2] = core_privacy_cell(u->beyond, u->mb, 0, b2,
						 sizeof(b2));
			v[3] = core_privacy_cell(u->within, u->mw, 0, b3,
						 sizeof(b3));
		} else {
			snprintf(b2, sizeof(b2), "%lld", (long long)u->beyond);
			snprintf(b3, sizeof(b3), "%lld", (long long)u->within);
			v[2] = b2;
			v[3] = b3;
		}
		if (no_assets(t, u->k)) {
			v[4] = NULL;
		} else if (hidden || tot == 0) {
			v[4] = hidden ? CORE_PRIVACY_HIDDEN_TEXT : NULL;
		} else {
			snprintf(b4, sizeof(b4), "%.1f",
				 100.0 * (double)u->beyond / (double)tot);
			v[4] = b4;
		}
		v[5] = NULL;
		for (j = 0; j < t->npages; j++)
			if (t->pages[j].k == u->k) {
				snprintf(b5, sizeof(b5), "%zu", j + 3);
				v[5] = b5;
			}
		cli_table_add(table, v);
	}
	{
		enum cli_format f = CLI_FMT_TABLE;

		cli_format_parse(t->a.format, &f, NULL);
		cli_table_print(table, ctx->out, f);
	}
	cli_table_free(table);
}

/* ---- the command
 * ------------------------------------------------------------------- */

static int choose_pages(struct cli_ctx *ctx, struct atlas *t)
{
	size_t j, k, n;

	if (t->a.ncats) {
		/* the categories asked for, in the order given */
		t->pages = xcalloc(t->a.ncats + 1, sizeof(*t->pages));
		for (j = 0; j < t->a.ncats; j++) {
			for (k = 0; k < t->ncats; k++)
				if (strcmp(t->cats[k], t->a.cats[j]) == 0)
					break;
			for (n = 0; n < t->npages; n++)
				if (t->pages[n].k == k)
					break;
			if (n == t->npages)
				t->pages[t->npages++].k = k;
		}
	} else {
		n = t->ncats < DEFAULT_PAGES ? t->ncats : DEFAULT_PAGES;
		t->pages = xcalloc(n + 1, sizeof(*t->pages));
		for (j = 0; j < n; j++)
			t->pages[t->npages++].k = t->rows[j].k;
	}
	(void)ctx;
	return CORE_OK;
}

static void atlas_release(struct atlas *t)
{
	size_t i;

	for (i = 0; i < t->npages; i++)
		page_release(&t->pages[i]);
	free(t->pages);
	for (i = 0; i < t->ncats; i++) {
		free(t->cats[i]);
		if (t->names)
			free(t->names[i]);
	}
	free(t->cats);
	free(t->names);
	cli_inputs_release(&t->in);
	cli_analysis_release(&t->a);
	free(t->filter_words);
	free(t->w);
	free(t->dist);
	free(t->beyond);
	free(t->inside);
	free(t->rows);
	network_release(&t->net);
}

#define T struct atlas
/* A record shown only through another's label. */
#define QUIET(kind, name, F, val)                                              \
	CLI_OPT_FULL(kind, name, 0, NULL, T, F, NULL, CLI_OPT_HIDDEN, NULL,    \
		     NULL, val, 0, 0, NULL, NULL)

const struct cli_opt cmd_atlas_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] atlas -o FILE.pdf [--cohort NAME]\n"
	"                [--category C[,C...]] [--within D] [--indicator "
	"NAME]\n"
	"                [--title T] [--subtitle S] [--author A] [--top N]\n"
	"                [--page letter|tabloid|a4] [--portrait|--landscape]\n"
	"                [filters] [--units mi|km|m]\n"
	"\n"
	"Make a map book for a funder or a coalition meeting: one PDF with\n"
	"  1. a cover: title, date, what need means here, the sources, the\n"
	"     privacy rule and the contents;\n"
	"  2. the unmet-need ranking as a bar chart: for each category with\n"
	"     assets, how many people live farther than --within D (default "
	"1mi)\n"
	"     from its nearest asset, most first (as 'assetmap gaps' counts "
	"them);\n"
	"  3. one page per chosen category (--category, default the top 5 of "
	"the\n"
	"     ranking): a map of the tracts shaded by --indicator (default "
	"the\n"
	"     workspace's social vulnerability index, as 'assetmap map' picks\n"
	"     it) with the category's assets and its deserts (the places "
	"farther\n"
	"     than D from every asset of it, as 'assetmap deserts' finds "
	"them),\n"
	"     and a table of the --top N (default 10) tracts with the most "
	"people\n"
	"     beyond D: their count, share of the tract and median distance "
	"to\n"
	"     the nearest asset;\n"
	"  4. when the partnership register has current partners, the "
	"partner\n"
	"     network: per category, the people within D of any of its "
	"assets\n"
	"     and of its current partners only (as 'assetmap coverage' and\n"
	"     'assetmap coverage --partners current' count them) and the "
	"gap;\n"
	"     then a page of up to 3 assets per category to recruit, with "
	"the\n"
	"     people each would newly cover (as 'assetmap recruit --top 3' "
	"picks\n"
	"     them).  With no current partner, or with --partners, there "
	"are no\n"
	"     such pages and the cover says why.\n"
	"\n"
	"People are the members of --cohort NAME, each at their own location "
	"(a\n"
	"cohort of counts per area: its people at each area's point), or,\n"
	"without --cohort, each area's population placed at the area's point;\n"
	"the cover says which.  Cohort counts from 1 to 10 print as '<11', "
	"and\n"
	"a count that would give one away from a total as 'suppressed'; no "
	"page\n"
	"shows where a member lives.\n"
	"\n"
	"The atlas stores one deserts run per category page and one atlas run\n"
	"(the ranking, the partner network's figures as printed, and\n"
	"beyond_<category> per area); 'assetmap results' lists them.  "
	"Nothing\n"
	"is stored when the PDF cannot be written.\n"
	"\n"
	"options:\n"),
    CLI_OPT_FULL(CLI_OPT_KIND_STRING, "output", 'o', "FILE.pdf", T, output,
		 "the book (required)", CLI_OPT_ONESPACE, NULL, NULL, 0, 0, 0,
		 NULL, NULL),
    CLI_OPT_DISTANCE("within", 0, "D", T, within,
		     "the distance that counts as out of reach, with a\n"
		     "unit (default 1mi)"),
    CLI_OPT_STRING("indicator", 0, "NAME", T, indicator,
		   "what the maps shade ('assetmap info' lists them)"),
    CLI_OPT_FULL(CLI_OPT_KIND_STRING, "title", 0, "T", T, title,
		 "the cover's title and subtitle (defaults say what\n"
		 "the book counts) and the PDF's author",
		 0, "--title T, --subtitle S, --author A", NULL, 0, 0, 0, NULL,
		 NULL),
    QUIET(CLI_OPT_KIND_STRING, "subtitle", subtitle, 0),
    QUIET(CLI_OPT_KIND_STRING, "author", author, 0),
    CLI_OPT_INT("top", 0, "N", T, top, 1, 100,
		"tracts in each table (default 10, 1 to 100)"),
    CLI_OPT_STRING("page", 0, "P", T, page_name,
		   "letter (default), tabloid or a4"),
    CLI_OPT_FULL(CLI_OPT_KIND_FLAG, "portrait", 0, NULL, T, landscape,
		 "orientation (default portrait)", 0, "--portrait, --landscape",
		 NULL, 0, 0, 0, NULL, NULL),
    QUIET(CLI_OPT_KIND_FLAG, "landscape", landscape, 1),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_access_analysis_options, T, a),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap atlas -o book.pdf\n"
		 "  assetmap atlas --cohort patients --within 1mi -o "
		 "patients-atlas.pdf\n"
		 "  assetmap atlas --cohort patients --category food,housing "
		 "--top 15 \\\n"
		 "      --title 'Out of reach' --author 'Coalition staff' -o "
		 "food.pdf\n"),
    CLI_OPT_END()};

#undef QUIET
#undef T

/*
 * assetmap atlas (argv[0] is "atlas"): parse and check the options,
 * rank the categories by people out of reach, choose the pages, store
 * one deserts run per page and the atlas run, write the PDF, and commit
 * the runs only once the PDF is written; then print the ranking and
 * notes.  Returns CORE_OK, or a code with ctx->err set (CORE_EUSAGE for
 * usage errors).
 */
int cmd_atlas(struct cli_ctx *ctx, int argc, char **argv)
{
	struct atlas t;
	enum render_format fmt;
	double pw = 0, ph = 0;
	size_t i;
	int rc = CORE_OK, began = 0;

	memset(&t, 0, sizeof(t));
	cli_analysis_init(&t.a);
	t.within = CORE_M_PER_MI;
	t.top = 10;
	t.page_name = "letter";
	if ((rc = cli_opt_parse(ctx, CMD, cmd_atlas_options, &t, argc, argv,
				NULL)))
		goto cleanup;
	if (!t.output) {
		rc = cli_usage(
		    ctx, CMD,
		    "-o FILE.pdf is required: where to write the book");
		goto cleanup;
	}
	{
		struct core_err e = CORE_ERR_INIT;

		if (render_format_of_path(t.output, &fmt, &e) ||
		    fmt != RENDER_PDF) {
			rc = cli_usage(
			    ctx, CMD,
			    "-o: '%s' is not a .pdf file: a map book is a PDF",
			    t.output);
			goto cleanup;
		}
		if (render_page_size(t.page_name, t.landscape, &pw, &ph, &e) ||
		    core_out_check("-o", t.output, ctx->ws_path, NULL, 0, &e)) {
			rc = cli_usage(ctx, CMD, "%s", e.msg);
			goto cleanup;
		}
	}
	if ((rc = ranking_categories(ctx, &t)))
		goto cleanup;
	if ((rc = load_people(ctx, &t)))
		goto cleanup;
	rank(&t);
	thin_cohort_note(ctx, &t);
	choose_pages(ctx, &t);
	for (i = 0; i < t.npages; i++)
		per_area(&t, &t.pages[i]);
	if ((rc = network_compute(ctx, &t)))
		goto cleanup;

	if ((rc = core_ws_begin(ctx->ws, &ctx->err)))
		goto cleanup;
	began = 1;
	for (i = 0; i < t.npages && !rc; i++)
		rc = deserts_run(ctx, &t, &t.pages[i]);
	if (!rc)
		rc = atlas_run(ctx, &t);
	if (rc)
		goto cleanup;
	for (i = 0; i < t.npages; i++) {
		page_table(&t, &t.pages[i]);
		page_text(&t, &t.pages[i]);
	}
	/* the book reads the deserts runs through this connection, before
	 * they are committed: no book, no runs */
	if ((rc = write_book(ctx, &t, pw, ph)))
		goto cleanup;
	rc = core_ws_commit(ctx->ws, &ctx->err);
	began = 0;
	if (rc)
		goto cleanup;
	{
		char within_text[32];

		core_units_format_short(t.within, t.a.units, within_text,
					sizeof(within_text));
		cli_note(ctx,
			 "unmet need: %s beyond %s of the nearest asset of "
			 "each category\n",
			 is_cohort(&t)
			     ? (t.counts
				    ? "cohort people (at their area's point)"
				    : "cohort members")
			     : "population (at each area's point)",
			 within_text);
	}
	print_summary(ctx, &t);
	for (i = 0; i < t.ncats; i++)
		if (no_assets(&t, t.rows[i].k)) {
			char *why = no_assets_why(&t, t.rows[i].k, 1);

			cli_note(ctx,
				 "no data for category %s: %s; not ranked\n",
				 t.cats[t.rows[i].k], why);
			free(why);
		}
	cli_note(ctx, "wrote %s: %zu pages (cover, ranking, %zu categor%s%s)\n",
		 t.output,
		 t.npages + 2 + (size_t)t.net.shown + (t.net.nprows > 0),
		 t.npages, t.npages == 1 ? "y" : "ies",
		 !t.net.shown	? ""
		 : t.net.nprows ? ", partner network, whom to recruit"
				: ", partner network");
	if (t.net.shown)
		cli_note(ctx,
			 "partner network (page %zu): %lld current partner%s; "
			 "%zu recruitment pick%s\n",
			 t.npages + 3, (long long)t.net.ncurrent,
			 t.net.ncurrent == 1 ? "" : "s", t.net.npicks,
			 t.net.npicks == 1 ? "" : "s");
	else
		cli_note(ctx, "%s\n", t.net.cover);
	cli_note(ctx,
		 "run %lld stored (atlas), with deserts runs %lld to %lld\n",
		 (long long)t.run_id,
		 (long long)(t.npages ? t.pages[0].deserts_run : 0),
		 (long long)(t.npages ? t.pages[t.npages - 1].deserts_run : 0));
cleanup:
	if (began)
		core_ws_rollback(ctx->ws);
	atlas_release(&t);
	return rc;
}
