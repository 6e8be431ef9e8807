/*
 * render_layers.c - the data of the map's layers and how they are
 * drawn.
 *
 * Areas.  One fill per class, then every boundary; a PNG's in bands of
 * the image on every core.
 *
 * Values.  A choropleth shades by a "value reference": an indicator's
 * name, "RUN:COLUMN" (a per-area column of a stored result, suppressed
 * as core_result_table_load says), or a cohort's members per area
 * (counts 1 to 10 suppressed; 0 is a real zero).  A suppressed area is a
 * class of its own, drawn flat light grey and counted in the legend; an
 * area with no value is white with a dotted edge.
 *
 * Deserts.  The polygons a deserts run stored in results_geom, drawn as
 * dark diagonal hatching with a solid outline over the choropleth (the
 * only hatching on a map).
 *
 * Symbols.  Optionally sized by capacity (area in proportion); at small
 * scale the symbols that share a cell of a grid in page space are drawn
 * as one circle with their count.  On a map of partnership status
 * (--partners), a symbol's mark says the asset's status.
 */
#include "render/render_layers.h"

#include <json-c/json.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spatialite/gaiageo.h>

#include "core/core_dict.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_result.h"
#include "geo/geo_hex.h"
#include "geo/geo_input.h"
#include "geo/geo_locate.h"
#include "geo/geo_par.h"
#include "geo/geo_recruit.h"
#include "render/render_draw.h"
#include "render/render_indicator.h"
#include "render/render_stamp.h"
#include "render/render_text.h"

#define METRES_PER_MILE 1609.344

/* Area boundaries over a choropleth, and over unshaded areas. */
#define INK_OUTLINE_SHADED   0xffffffu
#define INK_OUTLINE_UNSHADED 0x969696u

/* ---------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------ */

/* One value per area, and what to call it. */
struct values {
	double *v;	    /* [n] NaN: no data */
	unsigned char *sup; /* [n] 1: suppressed */
	char *label;	    /* a heading */
	char *note;	    /* its source, e.g. "run 4 (access)" */
	char *extra;	    /* "; unit; year", or NULL */
	char *unit;	    /* what a value counts, for an axis, or NULL */
	int pct;	    /* a percentile rank or share (0..1): shown
			     * as a percentage */
	int cohort;	    /* derived from a cohort's people */
};

static void values_release(struct values *x)
{
	free(x->v);
	free(x->sup);
	free(x->label);
	free(x->note);
	free(x->extra);
	free(x->unit);
	memset(x, 0, sizeof(*x));
}

/* 1 when every finite value of v[0..n-1] lies in 0..1. */
static int all_in_unit(const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]) && (v[i] < 0 || v[i] > 1))
			return 0;
	return 1;
}

/* An indicator's values, joined to the areas by GEOID (both sorted). */
static int indicator_values(struct core_ws *ws, const struct render_map *m,
			    const char *name, const char *opt,
			    struct values *out, struct core_err *err)
{
	sqlite3_stmt *st;
	size_t i = 0;
	int step, rc;

	if ((rc = render_check_indicator(ws, m->level, name, opt, err)))
		return rc;
	if (core_ws_prepare(ws, err, &st,
			    "SELECT geoid, value FROM indicators WHERE name = ?"
			    " ORDER BY geoid"))
		return CORE_EDB;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *g = (const char *)sqlite3_column_text(st, 0);
		int t = sqlite3_column_type(st, 1);
		int c = 1;

		if (!g)
			continue;
		while (i < m->areas->n &&
		       (c = strcmp(m->areas->geoid[i], g)) < 0)
			i++;
		if (i < m->areas->n && c == 0 &&
		    (t == SQLITE_INTEGER || t == SQLITE_FLOAT)) {
			out->v[i] = sqlite3_column_double(st, 1);
		}
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return core_ws_dberr(ws, err, "reading indicator values");
	{
		struct core_words w;
		struct core_buf n = CORE_BUF_INIT;

		/* Words, never the column's code: the user's --label, the
		 * dictionary (data/indicators.csv), the importer's label;
		 * who published it is in the sources line. */
		core_words_indicator(ws, name, &w);
		out->label = xstrdup(w.label);
		out->pct = render_is_percentile(name, w.unit) &&
			   all_in_unit(out->v, m->areas->n);
		/* a percentile rank is shown as a percentage */
		if (out->pct)
			core_buf_adds(&n, "; percentile rank");
		else if (w.unit)
			core_buf_addf(&n, "; %s", w.unit);
		if (w.year)
			core_buf_addf(&n, "; %s", w.year);
		out->note = NULL;
		out->extra = n.len ? core_buf_detach(&n) : NULL;
		core_buf_release(&n);
		if (out->pct)
			out->unit = xstrdup("percentile rank");
		else if (w.unit)
			out->unit = xstrdup(w.unit);
		core_words_release(&w);
	}
	return CORE_OK;
}

/* Whose assets run id counted, from its parameters' "partners" (the
 * analyses' --partners): "current partners only", "prospective partners
 * only", "current or prospective partners only", or NULL when every
 * asset counted. */
static const char *run_partners(struct core_ws *ws, int64_t id)
{
	sqlite3_stmt *st = NULL;
	const char *say = NULL;

	if (sqlite3_prepare_v2(ws->db,
			       "SELECT json_extract(params, '$.partners') FROM"
			       " runs WHERE id = ?1 AND json_valid(params)",
			       -1, &st, NULL) != SQLITE_OK)
		return say;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		const char *p = (const char *)sqlite3_column_text(st, 0);

		say = strcmp(p, "current") == 0 ? "current partners only"
		      : strcmp(p, "prospective") == 0
			  ? "prospective partners only"
		      : strcmp(p, "any") == 0
			  ? "current or prospective partners only"
			  : NULL;
	}
	sqlite3_finalize(st);
	return say;
}

/* "RUN:COLUMN": a result column, suppression already applied. */
static int result_values(struct core_ws *ws, struct render_map *m,
			 const char *ref, const char *opt, struct values *out,
			 struct core_err *err)
{
	const char *colon = strchr(ref, ':');
	char *run = xasprintf("%.*s", (int)(colon - ref), ref);
	const char *col = colon + 1;
	struct core_result_table *t = NULL;
	struct core_buf have = CORE_BUF_INIT;
	int64_t id = 0;
	size_t c, r, i = 0;
	int rc;

	if ((rc = core_run_find(ws, run, &id, err))) {
		core_err_prefix(err, "%s '%s': ", opt, ref);
		goto cleanup;
	}
	if ((rc = core_result_table_load(ws, id, &t, err)))
		goto cleanup;
	if (t->level && *t->level && strcmp(t->level, m->level) != 0) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "%s '%s': run %lld has values per %s, but "
				  "the map shows %s areas; add --level %s",
				  opt, ref, (long long)id, t->level, m->level,
				  t->level);
		goto cleanup;
	}
	for (c = 0; c < t->ncols; c++)
		if (strcmp(t->name[c], col) == 0)
			break;
	if (c == t->ncols) {
		for (r = 0; r < t->ncols; r++)
			core_buf_addf(&have, "%s%s", r ? ", " : "", t->name[r]);
		rc = core_err_set(err, CORE_ENOTFOUND,
				  "%s '%s': run %lld (%s) has no per-area "
				  "column '%s'; it has: %s",
				  opt, ref, (long long)id,
				  t->analysis ? t->analysis : "?", col,
				  have.len ? core_buf_str(&have) : "none");
		goto cleanup;
	}
	for (r = 0; r < t->nrows; r++) {
		int cmp = 1;

		while (i < m->areas->n &&
		       (cmp = strcmp(m->areas->geoid[i], t->geoid[r])) < 0)
			i++;
		if (i >= m->areas->n)
			break;
		if (cmp != 0)
			continue;
		if (t->suppressed[r * t->ncols + c])
			out->sup[i] = 1;
		else
			out->v[i] = t->v[r * t->ncols + c];
	}
	out->cohort = strncmp(t->kind[c], "cohort_", 7) == 0;
	if (strcmp(t->kind[c], CORE_RK_SHARE) == 0 &&
	    all_in_unit(out->v, m->areas->n)) {
		out->pct = 1;
		out->unit = xstrdup("share");
	} else if (strcmp(t->kind[c], CORE_RK_SCORE) == 0) {
		out->unit = xstrdup("score");
	} else if (strcmp(t->kind[c], CORE_RK_POPULATION) == 0 || out->cohort) {
		out->unit = xstrdup("people");
	}
	if (strcmp(t->kind[c], CORE_RK_DISTANCE) == 0) {
		double u = m->units == RENDER_KM ? 1000 : METRES_PER_MILE;
		for (i = 0; i < m->areas->n; i++)
			out->v[i] /= u;
		out->label = xasprintf("%s (%s)", t->label[c],
				       m->units == RENDER_KM ? "km" : "miles");
	} else if (strcmp(t->kind[c], CORE_RK_SCORE) == 0 && t->analysis &&
		   strcmp(t->analysis, "access") == 0 &&
		   strncmp(col, "score_", 6) == 0 &&
		   !strstr(t->label[c], "(1 = average)")) {
		/* Assets per person read as 9.2e-05: per 1,000 people. */
		char *cat = core_category_phrase(ws, col + 6);
		char *what = core_sentence(cat);

		for (i = 0; i < m->areas->n; i++)
			out->v[i] *= 1000;
		out->label = xasprintf("%s access per 1,000 people", what);
		free(what);
		free(cat);
	} else {
		out->label = xstrdup(t->label[c]);
	}
	{
		const char *who = run_partners(ws, id);

		out->note =
		    xasprintf("%s analysis, run %lld%s%s",
			      t->analysis ? t->analysis : "an", (long long)id,
			      who ? ", " : "", who ? who : "");
	}
cleanup:
	core_buf_release(&have);
	core_result_table_free(t);
	free(run);
	return rc;
}

/* ---------------------------------------------------------------------
 * Cohort counts added up into other areas (--areas)
 * ------------------------------------------------------------------ */

/* The cohort's people as points in m's projection with a weight each:
 * a point cohort's members (weight 1), or a counts cohort's tracts, each
 * at its point (geo_area_points) with its count.  *w is NULL for
 * members.  The caller frees *x, *y, *w. */
static int cohort_points(struct core_ws *ws, struct render_map *m,
			 const char *cohort, double **x, double **y, double **w,
			 size_t *n, struct core_err *err)
{
	struct geo_members *mem = NULL;
	struct geo_areas *tr = NULL;
	int rc, weighted = 0;
	size_t i;

	*x = *y = *w = NULL;
	*n = 0;
	rc = geo_members_load(ws, cohort, NULL, m->proj, NULL, &mem, err);
	if (rc == CORE_OK) {
		*n = mem->n;
		*x = xmalloc((mem->n ? mem->n : 1) * sizeof(double));
		*y = xmalloc((mem->n ? mem->n : 1) * sizeof(double));
		/* a person placed at a ZIP's centroid is in that ZIP's
		 * ZCTA, and in no smaller area known */
		for (i = 0; i < mem->n; i++) {
			int off = mem->zip_precision[i] &&
				  strcmp(m->level, "zcta") != 0;
			(*x)[i] = off ? NAN : mem->x[i];
			(*y)[i] = off ? NAN : mem->y[i];
		}
		geo_members_free(mem);
		return CORE_OK;
	}
	if (rc != CORE_EUSAGE)
		return rc;
	/* a counts cohort: its tracts' counts at their points */
	core_err_clear(err);
	if ((rc = geo_areas_load(ws, "tract", NULL, m->proj, &tr, err)))
		return rc;
	*n = tr->n;
	*x = xmalloc((tr->n ? tr->n : 1) * sizeof(double));
	*y = xmalloc((tr->n ? tr->n : 1) * sizeof(double));
	*w = xmalloc((tr->n ? tr->n : 1) * sizeof(double));
	if ((rc = geo_demand_load(ws, tr, cohort, NULL, *w, err)) ||
	    (rc = geo_area_points(ws, tr, m->proj, *x, *y, &weighted, err))) {
		free(*x);
		free(*y);
		free(*w);
		*x = *y = *w = NULL;
		*n = 0;
	}
	for (i = 0; i < *n; i++)
		if (isnan((*w)[i]))
			(*w)[i] = 0;
	geo_areas_free(tr);
	return rc;
}

/* The cohort's people added up into m's areas by where their points
 * fall (one locator, in m's projection), into v[m->areas->n]. */
static int cohort_sum_into(struct core_ws *ws, struct render_map *m,
			   const char *cohort, double *v, struct core_err *err)
{
	double *x, *y, *w;
	size_t n, i;
	struct geo_locator *loc;
	int rc;

	for (i = 0; i < m->areas->n; i++)
		v[i] = 0;
	if ((rc = cohort_points(ws, m, cohort, &x, &y, &w, &n, err)))
		return rc;
	loc = geo_locator_new(m->areas);
	for (i = 0; i < n; i++) {
		int32_t k = geo_locator_find(loc, x[i], y[i]);
		if (k >= 0)
			v[k] += w ? w[i] : 1;
	}
	geo_locator_free(loc);
	free(x);
	free(y);
	free(w);
	return CORE_OK;
}

int render_layers_hex(struct render_map *m, struct core_ws *ws,
		      const struct render_spec *spec, struct core_err *err)
{
	double *x, *y, *w, width;
	size_t n;
	int rc;

	if ((rc = cohort_points(ws, m, spec->cohort, &x, &y, &w, &n, err))) {
		core_err_prefix(err, "--cohort %s: ", spec->cohort);
		return rc;
	}
	width = geo_hex_width(x, y, w, n, CORE_PRIVACY_MIN_CELL, 2.0 / 3);
	{
		struct geo_areas *hex = geo_hex_areas(x, y, n, width, m->areas);
		geo_areas_free(m->areas);
		m->areas = hex;
	}
	m->hex_width = width;
	free(x);
	free(y);
	free(w);
	return CORE_OK;
}

/* The levels coarser than the map's that the workspace has areas of,
 * and hexagons: "--areas zcta (ZIP code areas), --areas hex (...)". */
static char *coarser_levels(struct core_ws *ws, const char *level)
{
	static const char *const coarser[] = {"zcta", "neighborhood", "county"};
	struct core_buf b = CORE_BUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t i;
	int has_nh = 0;

	if (sqlite3_prepare_v2(ws->db,
			       "SELECT 1 FROM areas WHERE level = ?1 LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		st = NULL;
	for (i = 0; st && i < sizeof(coarser) / sizeof(coarser[0]); i++) {
		if (strcmp(coarser[i], level) == 0)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, coarser[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			core_buf_addf(&b, "--areas %s (%s), ", coarser[i],
				      render_level_plural(coarser[i], 0));
			has_nh |= i == 1;
		}
	}
	sqlite3_finalize(st);
	core_buf_adds(&b, b.len ? "or " : "");
	core_buf_adds(&b, "--areas hex (hexagons sized so that most reach 11)");
	if (!has_nh)
		core_buf_adds(&b, "; 'import areas FILE --level neighborhood' "
				  "adds your own areas");
	return core_buf_detach(&b);
}

/* A cohort's members (or counts) per area; 1 to 10 suppressed. */
static int cohort_values(struct core_ws *ws, struct render_map *m,
			 const char *cohort, struct values *out,
			 struct core_err *err)
{
	size_t i;
	int rc;

	/* Hexagons and a user's neighbourhoods are no census level: the
	 * people are added up by where they are, in the map's plane. */
	if (m->sum_by_points || strcmp(m->level, "neighborhood") == 0)
		rc = cohort_sum_into(ws, m, cohort, out->v, err);
	else
		rc = geo_demand_load(ws, m->areas, cohort, NULL, out->v, err);
	if (rc) {
		core_err_prefix(err, "--cohort %s: ", cohort);
		return rc;
	}
	for (i = 0; i < m->areas->n; i++) {
		double v = out->v[i];

		if (isnan(v)) {
			v = 0; /* no member there: a real zero */
		}
		v = floor(v + 0.5);
		out->v[i] = v;
		if (core_privacy_is_small((int64_t)v)) {
			out->sup[i] = 1;
			out->v[i] = NAN;
		}
	}
	out->cohort = 1;
	out->unit = xstrdup("people");
	out->label = xasprintf("Cohort %s: people per area", cohort);
	out->note = xasprintf("cohort %s", cohort);
	if (m->hex_width > 0) {
		int km = m->units == RENDER_KM;
		out->extra =
		    xasprintf(" %.3g %s across",
			      m->hex_width / (km ? 1000 : METRES_PER_MILE),
			      km ? "km" : "mi");
	}
	return CORE_OK;
}

static int get_values(struct core_ws *ws, struct render_map *m, const char *ref,
		      const char *cohort, const char *opt, struct values *out,
		      struct core_err *err)
{
	size_t i, n = m->areas->n ? m->areas->n : 1;

	out->v = xmalloc(n * sizeof(double));
	out->sup = xcalloc(n, 1);
	for (i = 0; i < m->areas->n; i++)
		out->v[i] = NAN;
	if (cohort)
		return cohort_values(ws, m, cohort, out, err);
	if (strchr(ref, ':'))
		return result_values(ws, m, ref, opt, out, err);
	return indicator_values(ws, m, ref, opt, out, err);
}

/* ---------------------------------------------------------------------
 * Shading
 * ------------------------------------------------------------------ */

static const char *method_title(enum render_method meth)
{
	switch (meth) {
	case RENDER_EQUAL:
		return "Equal intervals";
	case RENDER_JENKS:
		return "Natural breaks (Jenks)";
	case RENDER_STDDEV:
		return "Standard deviations";
	case RENDER_MANUAL:
		return "Manual breaks";
	case RENDER_QUANTILE:
	default:
		return "Quantiles";
	}
}

/* Classify v (suppressed cells excluded) into c; counts exclude them. */
static int classify(const struct values *x, size_t n, enum render_method meth,
		    int k, const double *breaks, size_t nbreaks,
		    struct render_classes *c, size_t *nsup,
		    struct core_err *err)
{
	size_t i, s = 0;
	int rc;

	for (i = 0; i < n; i++)
		s += x->sup[i];
	rc = render_classify(x->v, n, meth, k, breaks, nbreaks, c, err);
	if (rc == CORE_OK)
		c->nodata -= s; /* NaN there, but not "no data" */
	*nsup = s;
	return rc;
}

/* Shade m's areas as a choropleth of spec->indicator (or of spec->cohort's
 * counts): classify the values by spec->method into m->classes, colour
 * the classes from pal, and set each area's value and class (suppressed
 * and no-data areas marked as such), the counts, the legend's label and
 * note, and a colour-blindness warning where pal has one.  Strings set
 * in m are m's.  Returns 0, or the error from reading the values or
 * classifying them (prefixed with --breaks or --classes) or from the
 * palette, set in err. */
static int shade_choro(struct render_map *m, struct core_ws *ws,
		       const struct render_spec *spec,
		       const struct render_palette *pal, struct core_err *err)
{
	struct values x = {0};
	const char *ref = spec->cohort ? NULL : m->indicator;
	size_t i, nsup = 0;
	int rc, k = spec->classes;

	if ((rc = get_values(ws, m, ref, spec->cohort,
			     spec->cohort ? "--cohort" : "--indicator", &x,
			     err)))
		goto cleanup;
	if ((rc = classify(&x, m->areas->n, spec->method, k, spec->breaks,
			   spec->nbreaks, &m->classes, &nsup, err))) {
		core_err_prefix(err, "%s: ",
				spec->method == RENDER_MANUAL ? "--breaks"
							      : "--classes");
		goto cleanup;
	}
	if (m->classes.n > 0 && (rc = render_palette_colors(
				     pal, m->classes.n, m->class_color, err)))
		goto cleanup;
	if (m->classes.n > 0 && render_palette_cb_warning(pal, m->classes.n))
		m->warning =
		    xstrdup(render_palette_cb_warning(pal, m->classes.n));
	for (i = 0; i < m->areas->n; i++) {
		m->areas->value[i] = x.v[i];
		m->area_class[i] = x.sup[i]
				       ? RENDER_CLASS_SUPPRESSED
				       : render_class_of(&m->classes, x.v[i]);
		if (m->area_class[i] < 0 && !x.sup[i])
			m->area_class[i] = RENDER_CLASS_NODATA;
	}
	m->nsuppressed = nsup;
	m->nnodata = m->classes.nodata;
	m->shade = SHADE_CHORO;
	m->choro_pct = x.pct;
	m->privacy_note = x.cohort;
	/* More than a third hidden: the map says little; say what would. */
	if (spec->cohort && !spec->cohort_areas && nsup * 3 > m->areas->n) {
		char *alt = coarser_levels(ws, m->level);
		m->advice = xasprintf(
		    "%zu of %zu %s show a suppressed count (from 1 to 10, "
		    "drawn grey); to show more of them, add the counts up "
		    "into larger areas with %s",
		    nsup, m->areas->n, render_level_plural(m->level, 0), alt);
		free(alt);
	}
	m->value_label = x.label;
	x.label = NULL;
	m->value_note =
	    xasprintf("%s%s%s of %s%s", x.note ? x.note : "",
		      x.note ? ": " : "", method_title(spec->method),
		      render_level_plural(m->level, 0), x.extra ? x.extra : "");
cleanup:
	values_release(&x);
	return rc;
}

/* Shade m's areas on a 3 x 3 bivariate scheme: need (spec->bivar_x) and
 * access (spec->bivar_y), each cut into tertiles, coloured from
 * spec->bivar_palette.  Sets each area's class (row access, column need),
 * the counts per cell, the suppressed and no-data counts, the legend's
 * names and note, and a warning when the scheme is not colour-blind
 * safe; strings set in m are m's.  Returns 0, CORE_EUSAGE when
 * spec->bivar_palette is not a bivariate scheme, or the error from
 * reading or classifying the values, set in err. */
static int shade_bivar(struct render_map *m, struct core_ws *ws,
		       const struct render_spec *spec, struct core_err *err)
{
	const struct render_bivar_palette *bp =
	    render_bivar_find(spec->bivar_palette);
	struct values x = {0}, y = {0};
	size_t i, sx = 0, sy = 0;
	int rc, a, b;

	if (!bp) {
		return core_err_set(err, CORE_EUSAGE,
				    "--bivar-palette: '%s' is not a bivariate "
				    "scheme; use one of %s",
				    spec->bivar_palette, render_bivar_names());
	}
	if ((rc = get_values(ws, m, spec->bivar_x, NULL, "--need", &x, err)) ||
	    (rc = get_values(ws, m, spec->bivar_y, NULL, "--access", &y, err)))
		goto cleanup;
	if ((rc = classify(&x, m->areas->n, RENDER_QUANTILE, 3, NULL, 0, &m->bx,
			   &sx, err)) ||
	    (rc = classify(&y, m->areas->n, RENDER_QUANTILE, 3, NULL, 0, &m->by,
			   &sy, err)))
		goto cleanup;
	for (b = 0; b < 3; b++)
		for (a = 0; a < 3; a++)
			m->bivar_color[b][a] = bp->colors[b][a];
	if (!bp->cb_safe)
		m->warning =
		    xasprintf("bivariate scheme %s is not colour-blind safe; a "
			      "reader with a colour vision deficiency may not "
			      "tell its cells apart",
			      bp->name);
	m->nsuppressed = m->nnodata = 0;
	for (i = 0; i < m->areas->n; i++) {
		int cx = render_class_of(&m->bx, x.v[i]);
		int cy = render_class_of(&m->by, y.v[i]);

		/* With fewer than three classes (ties), the classes a value
		 * can take are spread over low, middle, high. */
		if (cx >= 0 && m->bx.n < 3)
			cx = m->bx.n == 1 ? 1 : cx * 2;
		if (cy >= 0 && m->by.n < 3)
			cy = m->by.n == 1 ? 1 : cy * 2;
		if (x.sup[i] || y.sup[i]) {
			m->area_class[i] = RENDER_CLASS_SUPPRESSED;
			m->nsuppressed++;
		} else if (cx < 0 || cy < 0) {
			m->area_class[i] = RENDER_CLASS_NODATA;
			m->nnodata++;
		} else {
			m->area_class[i] = cy * 3 + cx;
			m->bivar_count[cy * 3 + cx]++;
		}
		m->areas->value[i] = x.v[i];
	}
	m->shade = SHADE_BIVAR;
	m->privacy_note = x.cohort || y.cohort;
	/* the unit in brackets, unless the label says it already
	 * ("Social vulnerability (SVI percentile)") */
	if (x.unit && x.pct && strcasestr(x.label, "percentile"))
		free(x.unit), x.unit = NULL;
	if (y.unit && y.pct && strcasestr(y.label, "percentile"))
		free(y.unit), y.unit = NULL;
	m->bivar_xname =
	    xasprintf("Need: %s%s%s%s", x.label, x.unit ? " (" : "",
		      x.unit ? x.unit : "", x.unit ? ")" : "");
	m->bivar_yname =
	    xasprintf("Access: %s%s%s%s", y.label, y.unit ? " (" : "",
		      y.unit ? y.unit : "", y.unit ? ")" : "");
	m->bivar_pct[0] = x.pct;
	m->bivar_pct[1] = y.pct;
	m->value_label = xstrdup("Need and access");
	if (x.note || y.note)
		m->value_note = xasprintf(
		    "tertiles of %s (%s%s%s)", render_level_plural(m->level, 0),
		    x.note ? x.note : "", x.note && y.note ? "; " : "",
		    y.note ? y.note : "");
	else
		m->value_note = xasprintf("tertiles of %s",
					  render_level_plural(m->level, 0));
cleanup:
	values_release(&x);
	values_release(&y);
	return rc;
}

int render_layers_shade(struct render_map *m, struct core_ws *ws,
			const struct render_spec *spec,
			const struct render_palette *pal, struct core_err *err)
{
	size_t i;

	for (i = 0; i < m->areas->n; i++)
		m->area_class[i] = RENDER_CLASS_NODATA;
	m->method = spec->method;
	if (m->areas->n == 0)
		return CORE_OK;
	if (spec->bivar_x && spec->bivar_y)
		return shade_bivar(m, ws, spec, err);
	if (spec->cohort || m->indicator)
		return shade_choro(m, ws, spec, pal, err);
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * Deserts
 * ------------------------------------------------------------------ */

void render_rings_free(struct render_rings *r)
{
	if (!r)
		return;
	free(r->start);
	free(r->x);
	free(r->y);
	free(r);
}

static void rings_push(struct render_rings *r, size_t *cap_r, size_t *cap_p,
		       const gaiaRing *g)
{
	size_t stride = 2, v, np = r->start[r->n];

	if (g->DimensionModel == GAIA_XY_Z || g->DimensionModel == GAIA_XY_M)
		stride = 3;
	else if (g->DimensionModel == GAIA_XY_Z_M)
		stride = 4;
	if (g->Points <= 0)
		return;
	if (np + (size_t)g->Points > *cap_p) {
		size_t c = *cap_p ? *cap_p : 64;
		while (c < np + (size_t)g->Points)
			c *= 2;
		r->x = xrealloc(r->x, c * sizeof(double));
		r->y = xrealloc(r->y, c * sizeof(double));
		*cap_p = c;
	}
	for (v = 0; v < (size_t)g->Points; v++) {
		r->x[np + v] = g->Coords[v * stride];
		r->y[np + v] = g->Coords[v * stride + 1];
	}
	xgrow((void **)&r->start, cap_r, r->n + 2, sizeof(size_t));
	r->n++;
	r->start[r->n] = np + (size_t)g->Points;
}

/* Lower-case each word's capital when the rest of the word has none. */
static void lower_words(char *s)
{
	char *w = s;

	while (*w) {
		char *e = w;
		int caps = 0;

		for (; *e && *e != ' '; e++)
			if (e > w && *e >= 'A' && *e <= 'Z')
				caps = 1;
		if (!caps && *w >= 'A' && *w <= 'Z')
			*w = (char)(*w - 'A' + 'a');
		w = *e ? e + 1 : e;
	}
}

/* "Farther than 1 mi from food", from the run's parameters. */
static char *desert_label(struct core_ws *ws, struct render_map *m, int64_t id)
{
	sqlite3_stmt *st;
	json_object *p = NULL, *v;
	char *label = NULL, *cat = NULL, num[32], how[48];
	double within = NAN, secs = NAN, u;
	const char *by = NULL;
	/* "... from food (current partners only)" */
	const char *who = run_partners(ws, id);
	char partners[64];

	if (sqlite3_prepare_v2(ws->db, "SELECT params FROM runs WHERE id = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return xstrdup("Desert");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		p = json_tokener_parse(
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (p && json_object_object_get_ex(p, "within_m", &v))
		within = json_object_get_double(v);
	if (p && json_object_object_get_ex(p, "within_s", &v))
		secs = json_object_get_double(v);
	/* on the road network: "minutes walking", "mi walking" */
	if (p && json_object_object_get_ex(p, "by", &v) &&
	    json_object_get_string(v)) {
		const char *b = json_object_get_string(v);

		by = strcmp(b, "walk") == 0    ? "walking"
		     : strcmp(b, "bike") == 0  ? "cycling"
		     : strcmp(b, "drive") == 0 ? "driving"
					       : NULL;
	}
	snprintf(partners, sizeof(partners), "%s%s%s", who ? " (" : "",
		 who ? who : "", who ? ")" : "");
	how[0] = '\0';
	if (by)
		snprintf(how, sizeof(how), " %s", by);
	if (p && json_object_object_get_ex(p, "category", &v) &&
	    json_object_get_string(v)) {
		const char *code = json_object_get_string(v);
		cat = xstrdup(code);
		if (sqlite3_prepare_v2(
			ws->db, "SELECT name FROM categories WHERE code = ?",
			-1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW &&
			    sqlite3_column_text(st, 0)) {
				free(cat);
				cat = xstrdup(
				    (const char *)sqlite3_column_text(st, 0));
				/* Mid-sentence "Primary Care" is "primary
				 * care"; "WIC" and "Medi-Cal" stay. */
				lower_words(cat);
			}
			sqlite3_finalize(st);
		}
	}
	if (by && isfinite(secs) && secs > 0) {
		char *e;

		snprintf(num, sizeof(num), "%.1f", secs / 60);
		e = num + strlen(num) - 1;
		if (*e == '0')
			*(e - 1) = '\0'; /* "15.0" -> "15" */
		label = xasprintf("Farther than %s minute%s %s from %s%s", num,
				  strcmp(num, "1") == 0 ? "" : "s", by,
				  cat ? cat : "the category", partners);
	} else if (isfinite(within) && within > 0) {
		char *e;
		u = m->units == RENDER_KM ? 1000 : METRES_PER_MILE;
		snprintf(num, sizeof(num), "%.2f", within / u);
		e = num + strlen(num) - 1;
		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
		label = xasprintf("Farther than %s %s%s from %s%s", num,
				  m->units == RENDER_KM ? "km" : "mi", how,
				  cat ? cat : "the category", partners);
	} else {
		label = xasprintf("Desert%s%s%s", cat ? ": " : "",
				  cat ? cat : "", partners);
	}
	free(cat);
	if (p)
		json_object_put(p);
	return label;
}

int render_layers_deserts(struct render_map *m, struct core_ws *ws,
			  const struct render_spec *spec, struct core_err *err)
{
	struct render_rings *r;
	sqlite3_stmt *st = NULL;
	size_t cap_r = 1, cap_p = 0;
	int64_t id = 0;
	int rc = CORE_OK, step, pieces = 0;
	char *analysis = NULL;

	if (!spec->deserts || !*spec->deserts)
		return CORE_OK;
	if ((rc = core_run_find(ws, spec->deserts, &id, err))) {
		core_err_prefix(err, "--deserts '%s': ", spec->deserts);
		return rc;
	}
	if (core_ws_prepare(
		ws, err, &st,
		"SELECT analysis, EXISTS (SELECT 1 FROM results_geom"
		"  WHERE run_id = ?1 AND name = 'desert_piece')"
		" FROM runs WHERE id = ?1"))
		return CORE_EDB;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		analysis =
		    xstrdup_or_null((const char *)sqlite3_column_text(st, 0));
		pieces = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	if (!analysis || strcmp(analysis, "deserts") != 0) {
		rc = core_err_set(
		    err, CORE_EUSAGE,
		    "--deserts '%s': run %lld is a%s %s run, not a deserts "
		    "run; 'assetmap results' lists runs",
		    spec->deserts, (long long)id,
		    analysis && strchr("aeiou", analysis[0]) ? "n" : "",
		    analysis ? analysis : "unknown");
		free(analysis);
		return rc;
	}
	free(analysis);
	/* The dissolved pieces when stored (fewer, whole outlines), else
	 * the per-area parts. */
	if (core_ws_prepare(ws, err, &st,
			    "SELECT geom FROM results_geom WHERE run_id = ?1"
			    " AND (?2 = 0 OR name = 'desert_piece')"
			    " ORDER BY rowid"))
		return CORE_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, pieces);
	r = xcalloc(1, sizeof(*r));
	r->start = xcalloc(1, sizeof(size_t));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *blob = sqlite3_column_blob(st, 0);
		int size = sqlite3_column_bytes(st, 0);
		gaiaGeomCollPtr g =
		    blob ? gaiaFromSpatiaLiteBlobWkb(blob, (unsigned)size)
			 : NULL;
		gaiaPolygonPtr pg;
		int k;

		if (!g)
			continue;
		for (pg = g->FirstPolygon; pg; pg = pg->Next) {
			if (!pg->Exterior)
				continue;
			rings_push(r, &cap_r, &cap_p, pg->Exterior);
			for (k = 0; k < pg->NumInteriors; k++)
				rings_push(r, &cap_r, &cap_p,
					   &pg->Interiors[k]);
		}
		gaiaFreeGeomColl(g);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		render_rings_free(r);
		return core_ws_dberr(ws, err, "reading the deserts' polygons");
	}
	if (r->start[r->n] &&
	    (rc = geo_proj_fwd(m->proj, r->x, r->y, r->start[r->n], err))) {
		render_rings_free(r);
		core_err_prefix(err, "--deserts '%s': ", spec->deserts);
		return rc;
	}
	m->deserts = r;
	m->desert_label = desert_label(ws, m, id);
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * Symbols: sizes and clusters
 * ------------------------------------------------------------------ */

int render_layers_partners(struct render_map *m, struct core_ws *ws,
			   const struct render_spec *spec, struct core_err *err)
{
	struct geo_assets *a = m->assets;
	unsigned char *keep;
	size_t i, k;
	int64_t rows;
	int rc;

	m->partners = spec->partners;
	if (spec->partners == RENDER_PARTNERS_OFF)
		return CORE_OK;
	if ((rc = core_ws_int(ws, err, "SELECT count(*) FROM partners", &rows)))
		return rc;
	if (rows == 0)
		return core_err_set(
		    err, CORE_ENOTFOUND,
		    "--partners: workspace %s has no partnership register "
		    "(no asset has a status yet); load one with 'assetmap "
		    "import partners FILE.csv', or record a partner with "
		    "'assetmap partner set ASSET --status current'",
		    ws->path);
	m->pstatus = xcalloc(a->n ? a->n : 1, 1);
	if ((rc = geo_partner_status_load(ws, a->id, a->n, m->pstatus, err)))
		return rc;
	if (spec->partners == RENDER_PARTNERS_ALL)
		return CORE_OK;
	keep = xmalloc(a->n ? a->n : 1);
	for (i = k = 0; i < a->n; i++) {
		int s = m->pstatus[i];

		keep[i] = spec->partners == RENDER_PARTNERS_CURRENT
			      ? s == GEO_PARTNER_CURRENT
			  : spec->partners == RENDER_PARTNERS_PROSPECTIVE
			      ? s == GEO_PARTNER_PROSPECTIVE
			      : s != GEO_PARTNER_UNAFFILIATED;
		if (keep[i])
			m->pstatus[k++] = m->pstatus[i];
	}
	geo_assets_keep(a, keep);
	free(keep);
	return CORE_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Symbol size for capacity c against reference capacity ref. */
static double cap_size(double base, double c, double ref)
{
	double s = base * sqrt(c / ref);

	return s < 0.6 * base ? 0.6 * base : s > 2.6 * base ? 2.6 * base : s;
}

/* Round to 1, 2 or 5 times a power of ten (nearest in log). */
static double nice_round(double v)
{
	double p = pow(10, floor(log10(v))), m = v / p;

	return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

int render_layers_sizes(struct render_map *m, struct core_ws *ws,
			struct core_err *err)
{
	sqlite3_stmt *st;
	size_t i = 0, n = m->assets->n, nk = 0;
	double *cap, *known;
	int step;

	m->sym_size = xmalloc((n ? n : 1) * sizeof(double));
	cap = xmalloc((n ? n : 1) * sizeof(double));
	known = xmalloc((n ? n : 1) * sizeof(double));
	for (i = 0; i < n; i++)
		cap[i] = NAN;
	if (core_ws_prepare(ws, err, &st,
			    "SELECT id, capacity FROM assets"
			    " WHERE capacity > 0 ORDER BY id")) {
		free(cap);
		free(known);
		return CORE_EDB;
	}
	i = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		while (i < n && m->assets->id[i] < id)
			i++;
		if (i < n && m->assets->id[i] == id) {
			cap[i] = sqlite3_column_double(st, 1);
			known[nk++] = cap[i];
		}
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		free(cap);
		free(known);
		return core_ws_dberr(ws, err, "reading capacities");
	}
	m->cap_ref = NAN;
	if (nk > 0) {
		qsort(known, nk, sizeof(double), cmp_double);
		m->cap_ref = known[nk / 2];
		/* Legend: a small, the middle and a large capacity. */
		m->cap_legend[0] = nice_round(known[nk / 10]);
		m->cap_legend[1] = nice_round(m->cap_ref);
		m->cap_legend[2] = nice_round(known[nk - 1 - nk / 20]);
	}
	for (i = 0; i < n; i++)
		m->sym_size[i] =
		    isnan(cap[i]) || isnan(m->cap_ref)
			? 0.6 * m->sym_base
			: cap_size(m->sym_base, cap[i], m->cap_ref);
	m->cap_unknown = 0;
	for (i = 0; i < n; i++)
		m->cap_unknown += isnan(cap[i]);
	free(cap);
	free(known);
	return CORE_OK;
}

double render_layers_cap_size(const struct render_map *m, double c)
{
	return cap_size(m->sym_base, c, m->cap_ref);
}

double render_layers_symbol_size(const struct render_map *m, size_t i)
{
	return m->sym_size ? m->sym_size[i] : m->sym_base;
}

struct cell_item {
	int64_t cx, cy;
	size_t i;
};

static int cmp_cell(const void *a, const void *b)
{
	const struct cell_item *x = a, *y = b;

	if (x->cy != y->cy)
		return x->cy < y->cy ? -1 : 1;
	if (x->cx != y->cx)
		return x->cx < y->cx ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* Diameter of a cluster circle of n symbols. */
void render_layers_cluster(struct render_map *m)
{
	/* Cell side, points: the largest cluster circle fits in a cell, and
	 * each circle is kept inside its own cell (below), so no two
	 * clusters ever overlap, however dense the symbols. */
	const double d = fmax(1.25 * m->sym_base, 22 * m->f + 1);
	struct cell_item *items;
	size_t n = 0, i, j, cap = 0;

	for (i = 0; i < m->nclusters; i++)
		free(m->clusters[i].ncat);
	free(m->clusters);
	m->clusters = NULL;
	m->nclusters = 0;
	free(m->asset_cluster);
	m->asset_cluster =
	    xmalloc((m->assets->n ? m->assets->n : 1) * sizeof(int));
	for (i = 0; i < m->assets->n; i++)
		m->asset_cluster[i] = -1;
	if (m->no_cluster || m->assets->n < 2)
		return;
	items = xmalloc(m->assets->n * sizeof(*items));
	for (i = 0; i < m->assets->n; i++) {
		double px, py;

		if (!m->shown[i] ||
		    (m->pstatus && m->pstatus[i] != GEO_PARTNER_UNAFFILIATED))
			continue;
		render_to_page(m, m->assets->x[i], m->assets->y[i], &px, &py);
		items[n].cx = (int64_t)floor((px - m->frame.x) / d);
		items[n].cy = (int64_t)floor((py - m->frame.y) / d);
		items[n].i = i;
		n++;
	}
	qsort(items, n, sizeof(*items), cmp_cell);
	for (i = 0; i < n; i = j) {
		double sx = 0, sy = 0, px, py;
		size_t k;

		for (j = i + 1; j < n && items[j].cx == items[i].cx &&
				items[j].cy == items[i].cy;
		     j++)
			;
		if (j - i < 2)
			continue;
		xgrow((void **)&m->clusters, &cap, m->nclusters + 1,
		      sizeof(*m->clusters));
		m->clusters[m->nclusters].ncat =
		    xcalloc(m->ncats ? m->ncats : 1, sizeof(size_t));
		for (k = i; k < j; k++) {
			m->clusters[m->nclusters]
			    .ncat[m->assets->cat[items[k].i]]++;
			render_to_page(m, m->assets->x[items[k].i],
				       m->assets->y[items[k].i], &px, &py);
			sx += px;
			sy += py;
			m->asset_cluster[items[k].i] = (int)m->nclusters;
		}
		{
			/* The symbols' centroid, pulled in so the circle
			 * stays inside the cell. */
			double r = render_cluster_size(j - i, m->f) / 2;
			double x0 = m->frame.x + (double)items[i].cx * d;
			double y0 = m->frame.y + (double)items[i].cy * d;

			m->clusters[m->nclusters].px = fmin(
			    fmax(sx / (double)(j - i), x0 + r), x0 + d - r);
			m->clusters[m->nclusters].py = fmin(
			    fmax(sy / (double)(j - i), y0 + r), y0 + d - r);
			/* ... and inside the frame, whole. */
			m->clusters[m->nclusters].px =
			    fmin(fmax(m->clusters[m->nclusters].px,
				      m->frame.x + r + m->f),
				 m->frame.x + m->frame.w - r - m->f);
			m->clusters[m->nclusters].py =
			    fmin(fmax(m->clusters[m->nclusters].py,
				      m->frame.y + r + m->f),
				 m->frame.y + m->frame.h - r - m->f);
		}
		m->clusters[m->nclusters].n = j - i;
		m->nclusters++;
	}
	free(items);
}

/* ---------------------------------------------------------------------
 * Areas
 * ------------------------------------------------------------------ */

/*
 * Add area i's rings to the path, dropping vertices closer than tol
 * points to the last one kept (they cannot be seen, and they bloat PDF
 * and SVG files).  A ring smaller than tiny points across becomes a
 * square of that size when fill is set (so a city of small tracts keeps
 * its colour at national scale) and is left out of outlines otherwise.
 */
static void area_path(const struct render_map *m, cairo_t *cr, size_t i,
		      double tol, double tiny, int fill)
{
	const struct geo_areas *a = m->areas;
	const double lim = tiny / m->sx; /* projected metres */
	/* Vector output puts vertices on an eighth of a point (0.04 mm):
	 * the same vertex of two neighbours stays the same, and the file
	 * holds "412.625" where it held "412.618713", which is a third
	 * smaller and faster to compress. */
	const double snap = m->format == RENDER_PNG ? 0 : 8;
	size_t p, r, k;

	for (p = a->part_start[i]; p < a->part_start[i + 1]; p++)
		for (r = a->ring_start[p]; r < a->ring_start[p + 1]; r++) {
			size_t k0 = a->pt_start[r], k1 = a->pt_start[r + 1];
			double lx = 0, ly = 0, px, py;
			double x0 = a->x[k0], x1 = x0, y0 = a->y[k0], y1 = y0;

			for (k = k0 + 1; k < k1; k++) {
				double X = a->x[k], Y = a->y[k];
				if (X < x0)
					x0 = X;
				else if (X > x1)
					x1 = X;
				if (Y < y0)
					y0 = Y;
				else if (Y > y1)
					y1 = Y;
			}
			if (x1 - x0 < lim && y1 - y0 < lim) {
				/* Holes this small stay filled. */
				if (fill && r == a->ring_start[p]) {
					render_to_page(m, (x0 + x1) / 2,
						       (y0 + y1) / 2, &px, &py);
					cairo_rectangle(cr, px - tiny / 2,
							py - tiny / 2, tiny,
							tiny);
				}
				continue;
			}
			for (k = k0; k < k1; k++) {
				render_to_page(m, a->x[k], a->y[k], &px, &py);
				if (snap) {
					px = nearbyint(px * snap) / snap;
					py = nearbyint(py * snap) / snap;
				}
				if (k == k0) {
					cairo_move_to(cr, px, py);
				} else if (k + 1 == k1 || fabs(px - lx) > tol ||
					   fabs(py - ly) > tol) {
					cairo_line_to(cr, px, py);
				} else {
					continue;
				}
				lx = px;
				ly = py;
			}
			cairo_close_path(cr);
		}
}

/* The areas: one fill per class, then every boundary.  The caller has
 * clipped to the frame. */
static void draw_areas(const struct render_map *m, cairo_t *cr,
		       const double *ylo, const double *yhi, double y0,
		       double y1)
{
	/* Half a device pixel, at least 0.15 points. */
	const double tol = fmax(0.15, 0.5 / m->dev), tiny = 1.0 / m->dev;
	const double f = m->f;
	int nk = m->shade == SHADE_BIVAR ? 9 : m->classes.n;
	size_t i, *next, start[12];
	int k;

	cairo_save(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	/* A raster's areas use cairo's faster scan converter (4 x 4 samples
	 * a pixel instead of 16 x 16): every edge is under an outline, and
	 * the outlines look the same at a tenth of a point; it halves the
	 * time of a national map. */
	if (m->format == RENDER_PNG)
		cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);

	/* One path per class: small files, and no hairlines between
	 * neighbours of the same class.  Areas are bucketed by class in one
	 * pass (class k + 2 in 0 .. nk + 1), so this stays linear. */
	next = xmalloc((m->areas->n ? m->areas->n : 1) * sizeof(size_t));
	for (k = 0; k < 12; k++)
		start[k] = (size_t)-1;
	for (i = m->areas->n; i-- > 0;) {
		int b = m->area_class[i] + 2;
		if (b < 0 || b > 11)
			b = 1;
		next[i] = start[b];
		start[b] = i;
	}
	for (k = -2; k < nk; k++) {
		size_t j = start[k + 2];

		if (j == (size_t)-1)
			continue;
		cairo_new_path(cr);
		for (; j != (size_t)-1; j = next[j])
			if (!ylo || (yhi[j] >= y0 && ylo[j] <= y1))
				area_path(m, cr, j, tol, tiny, 1);
		render_set_rgb(cr, render_class_fill(m, k));
		cairo_fill(cr);
	}
	render_set_rgb(cr, m->shade != SHADE_NONE ? INK_OUTLINE_SHADED
						  : INK_OUTLINE_UNSHADED);
	/* Bevel joins: at this width they look the same as round ones and
	 * cost the stroker far less on a path of every boundary. */
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
	cairo_set_line_width(cr, 0.4 * f);
	/* A raster strokes the boundaries in batches: one path of 85,000
	 * tracts makes cairo's rasteriser hold every edge at once (460 MB);
	 * batches of a few thousand draw the same pixels in a third of the
	 * time and memory.  Vector output keeps one path (a smaller file). */
	{
		const size_t batch =
		    m->format == RENDER_PNG ? 2000 : (size_t)-1;

		cairo_new_path(cr);
		for (i = 0; i < m->areas->n; i++) {
			if (ylo && (yhi[i] < y0 || ylo[i] > y1))
				continue;
			area_path(m, cr, i, tol, tiny, 0);
			if ((i + 1) % batch == 0)
				cairo_stroke(cr);
		}
		cairo_stroke(cr);
	}
	/* Areas with no data: their edge dotted over the boundary, so that
	 * white reads as "nothing known" and not as the lowest class. */
	if (m->shade != SHADE_NONE &&
	    start[RENDER_CLASS_NODATA + 2] != (size_t)-1) {
		size_t j;

		cairo_new_path(cr);
		for (j = start[RENDER_CLASS_NODATA + 2]; j != (size_t)-1;
		     j = next[j])
			if (!ylo || (yhi[j] >= y0 && ylo[j] <= y1))
				area_path(m, cr, j, tol, tiny, 0);
		render_dotted_edge(cr, f);
		cairo_new_path(cr);
	}
	free(next);
	cairo_restore(cr);
}

/*
 * A PNG's areas are drawn in RENDER_BANDS horizontal bands of the image,
 * each by its own cairo context on the same pixels, on every core.  The
 * bands are fixed, not one per thread, so the bytes do not depend on the
 * machine; a band's clip is on whole pixel rows, so each pixel's
 * coverage is what one pass over the page would give it.
 */
#define RENDER_BANDS 8

struct band_job {
	const struct render_map *m;
	double *ylo, *yhi; /* [areas] page extent of each area, y */
	unsigned char *data;
	cairo_format_t format;
	int w, h, stride;
};

static void draw_band(void *ctx, size_t begin, size_t end, int worker)
{
	const struct band_job *j = ctx;
	const struct render_box *fr = &j->m->frame;
	size_t b;

	(void)worker;
	for (b = begin; b < end; b++) {
		int y0 = (int)((long)j->h * (long)b / RENDER_BANDS);
		int y1 = (int)((long)j->h * (long)(b + 1) / RENDER_BANDS);
		cairo_surface_t *s;
		cairo_t *c;

		if (y1 <= y0)
			continue;
		s = cairo_image_surface_create_for_data(
		    j->data + (size_t)y0 * (size_t)j->stride, j->format, j->w,
		    y1 - y0, j->stride);
		c = cairo_create(s);
		cairo_translate(c, 0, -y0);
		cairo_scale(c, j->m->dev, j->m->dev);
		cairo_rectangle(c, fr->x, fr->y, fr->w, fr->h);
		cairo_clip(c);
		/* Areas reaching into the band, with a point of slack for
		 * the outline's width. */
		draw_areas(j->m, c, j->ylo, j->yhi, y0 / j->m->dev - 2,
			   y1 / j->m->dev + 2);
		cairo_destroy(c);
		cairo_surface_destroy(s);
	}
}

void render_layers_draw_areas(const struct render_map *m, cairo_t *cr)
{
	const struct geo_areas *a = m->areas;
	cairo_surface_t *t = cairo_get_target(cr);
	size_t i, k;
	cairo_matrix_t mx;
	struct band_job j;

	cairo_get_matrix(cr, &mx);
	if (m->format != RENDER_PNG ||
	    cairo_surface_get_type(t) != CAIRO_SURFACE_TYPE_IMAGE ||
	    mx.xx != m->dev || mx.yy != m->dev || mx.xy != 0 || mx.yx != 0 ||
	    mx.x0 != 0 || mx.y0 != 0) {
		draw_areas(m, cr, NULL, NULL, 0, 0);
		return;
	}
	cairo_surface_flush(t);
	j.m = m;
	j.ylo = xmalloc((a->n ? a->n : 1) * sizeof(double));
	j.yhi = xmalloc((a->n ? a->n : 1) * sizeof(double));
	for (i = 0; i < a->n; i++) {
		size_t k0 = a->pt_start[a->ring_start[a->part_start[i]]];
		size_t k1 = a->pt_start[a->ring_start[a->part_start[i + 1]]];
		double lo = HUGE_VAL, hi = -HUGE_VAL, px, py;

		for (k = k0; k < k1; k++) {
			if (a->y[k] < lo)
				lo = a->y[k];
			if (a->y[k] > hi)
				hi = a->y[k];
		}
		/* Page y runs down: the top of the area is its highest Y. */
		render_to_page(m, 0, hi, &px, &py);
		j.ylo[i] = py;
		render_to_page(m, 0, lo, &px, &py);
		j.yhi[i] = py;
	}
	j.data = cairo_image_surface_get_data(t);
	j.format = cairo_image_surface_get_format(t);
	j.w = cairo_image_surface_get_width(t);
	j.h = cairo_image_surface_get_height(t);
	j.stride = cairo_image_surface_get_stride(t);
	geo_par_for(RENDER_BANDS, 1, draw_band, &j);
	cairo_surface_mark_dirty(t);
	free(j.ylo);
	free(j.yhi);
}

/* ---------------------------------------------------------------------
 * Drawing
 * ------------------------------------------------------------------ */

static void rings_path(const struct render_map *m, cairo_t *cr,
		       const struct render_rings *r)
{
	size_t i, k;

	for (i = 0; i < r->n; i++) {
		for (k = r->start[i]; k < r->start[i + 1]; k++) {
			double px, py;

			render_to_page(m, r->x[k], r->y[k], &px, &py);
			if (k == r->start[i])
				cairo_move_to(cr, px, py);
			else
				cairo_line_to(cr, px, py);
		}
		cairo_close_path(cr);
	}
}

void render_layers_draw_deserts(struct render_map *m, cairo_t *cr)
{
	if (!m->deserts || m->deserts->n == 0)
		return;
	cairo_new_path(cr);
	rings_path(m, cr, m->deserts);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	render_hatch_fill(cr, HATCH_DESERT, m->f);
	rings_path(m, cr, m->deserts);
	render_set_rgb(cr, RENDER_INK_DESERT_LINE);
	cairo_set_line_width(cr, 0.8 * m->f);
	cairo_stroke(cr);
}

#define SYMBOL_BATCH 256

/* The shown, unclustered symbols of status status (any status when
 * status < 0) as mark: the first category on top.  Within a category,
 * symbols go down the page in batches, each painted at once: a batch
 * covers a few rows of the page, where one path of every symbol made
 * cairo sweep the whole page for each of its operations (five times the
 * time and 150 MB more for 100,000 symbols). */
static void draw_marks(struct render_map *m, cairo_t *cr,
		       struct render_stamps *st, struct cell_item *order,
		       int status, enum render_mark mark)
{
	double bx[SYMBOL_BATCH], by[SYMBOL_BATCH], bs[SYMBOL_BATCH];
	size_t c, i;

	for (c = m->ncats; c-- > 0;) {
		size_t n = 0, b;
		double px, py;

		for (i = 0; i < m->assets->n; i++) {
			if (!m->shown[i] || (size_t)m->assets->cat[i] != c ||
			    m->asset_cluster[i] >= 0 ||
			    (status >= 0 && m->pstatus[i] != status))
				continue;
			render_to_page(m, m->assets->x[i], m->assets->y[i], &px,
				       &py);
			/* top to bottom, then left to right (1/256 point),
			 * then by asset: the same order on every machine */
			order[n].cx = llround(px * 256);
			order[n].cy = llround(py * 256);
			order[n].i = i;
			n++;
		}
		qsort(order, n, sizeof(*order), cmp_cell);
		for (b = 0; b < n; b += SYMBOL_BATCH) {
			size_t e = b + SYMBOL_BATCH < n ? b + SYMBOL_BATCH : n;

			for (i = b; i < e; i++) {
				size_t a = order[i].i;

				render_to_page(m, m->assets->x[a],
					       m->assets->y[a], &bx[i - b],
					       &by[i - b]);
				bs[i - b] = render_layers_symbol_size(m, a);
			}
			render_stamps_draw(st, cr, m->cats[c].shape, mark,
					   m->cats[c].color, bx, by, bs, e - b);
		}
	}
}

static void draw_clusters(struct render_map *m, PangoContext *pc, cairo_t *cr);

void render_layers_draw_symbols(struct render_map *m, PangoContext *pc,
				cairo_t *cr)
{
	struct cell_item *order;
	struct render_stamps *st;

	/* A raster uses cairo's 4 x 4 scan converter, the same look at half
	 * the time. */
	cairo_save(cr);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
	cairo_set_line_width(cr, 0.7 * m->f);
	if (m->format == RENDER_PNG)
		cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
	st = render_stamps_new(m->format, 0.7 * m->f, m->sym_base);
	order = xmalloc((m->assets->n ? m->assets->n : 1) * sizeof(*order));
	if (!m->pstatus) {
		draw_marks(m, cr, st, order, -1, RENDER_MARK_FILLED);
		cairo_restore(cr);
		draw_clusters(m, pc, cr);
	} else {
		/* Partners over everything else; the clusters hold only
		 * other assets. */
		draw_marks(m, cr, st, order, GEO_PARTNER_UNAFFILIATED,
			   RENDER_MARK_MUTED);
		cairo_restore(cr);
		draw_clusters(m, pc, cr);
		cairo_save(cr);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
		if (m->format == RENDER_PNG)
			cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
		draw_marks(m, cr, st, order, GEO_PARTNER_PROSPECTIVE,
			   RENDER_MARK_HOLLOW);
		draw_marks(m, cr, st, order, GEO_PARTNER_CURRENT,
			   RENDER_MARK_FILLED);
		cairo_restore(cr);
	}
	free(order);
	render_stamps_free(st);
}

/* The cluster circles over the symbols below them. */
static void draw_clusters(struct render_map *m, PangoContext *pc, cairo_t *cr)
{
	const double f = m->f;
	uint32_t *colors;
	size_t i;

	/* Clusters: rings of their categories, then their counts, each
	 * distinct count laid out once. */
	if (m->nclusters == 0)
		return;
	colors = xcalloc(m->ncats ? m->ncats : 1, sizeof(*colors));
	for (i = 0; i < m->ncats; i++)
		colors[i] = m->cats[i].color;
	for (i = 0; i < m->nclusters; i++) {
		const struct render_cluster *k = &m->clusters[i];

		render_draw_cluster_ring(cr, k->px, k->py,
					 render_cluster_size(k->n, f), colors,
					 k->ncat, m->ncats, f);
	}
	free(colors);
	render_set_rgb(cr, RENDER_INK_SYMBOL_EDGE);
	{
		PangoLayout *cache[128] = {NULL};
		double cw[128], ch[128];

		for (i = 0; i < m->nclusters; i++) {
			const struct render_cluster *k = &m->clusters[i];
			size_t n = k->n < 128 ? k->n : 0;
			PangoLayout *l = n ? cache[n] : NULL;
			double tw, th;
			char num[32];

			if (!l) {
				snprintf(num, sizeof(num), "%zu", k->n);
				l = render_text(pc, num,
						(k->n >= 100 ? 5.5 : 6.5) * f,
						1, 0);
				render_text_size(l, &tw, &th);
				if (n) {
					cache[n] = l;
					cw[n] = tw;
					ch[n] = th;
				}
			} else {
				tw = cw[n];
				th = ch[n];
			}
			cairo_move_to(cr, k->px - tw / 2, k->py - th / 2);
			pango_cairo_show_layout(cr, l);
			if (!n)
				g_object_unref(l);
		}
		for (i = 0; i < 128; i++)
			if (cache[i])
				g_object_unref(cache[i]);
	}
}
