/*
 * render_map.c - a page of a map, from beginning to end: build the map
 * model from the workspace (its layers through render_layers, its
 * context through render_context), lay out the page (measuring the
 * furniture through render_furniture), draw it in order and write it
 * to its file.
 */
#include "render/render_map.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_dict.h"
#include "core/core_mem.h"
#include "core/core_result.h"
#include "geo/geo_input.h"
#include "render/render_basemap.h"
#include "render/render_context.h"
#include "render/render_file.h"
#include "render/render_furniture.h"
#include "render/render_indicator.h"
#include "render/render_layers.h"
#include "render/render_model.h"
#include "render/render_palette.h"

#define METRES_PER_MILE 1609.344
/* The legend's marks of partnership status: a neutral grey, as they
 * stand for every category's shape and colour. */
#define INK_STATUS_SYMBOL 0x737373u

/* ---------------------------------------------------------------------
 * Spec, formats, pages
 * ------------------------------------------------------------------ */

void render_spec_init(struct render_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->format = RENDER_PNG;
	s->width = 2400;
	s->height = 1800;
	s->level = "tract";
	s->classes = 5;
	s->palette = NULL;
	s->units = RENDER_MILES;
	s->creator = "assetmap";
}

int render_format_of_path(const char *path, enum render_format *out,
			  struct core_err *err)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');

	if (dot && (!slash || dot > slash)) {
		if (strcasecmp(dot, ".png") == 0) {
			*out = RENDER_PNG;
			return CORE_OK;
		}
		if (strcasecmp(dot, ".pdf") == 0) {
			*out = RENDER_PDF;
			return CORE_OK;
		}
		if (strcasecmp(dot, ".svg") == 0) {
			*out = RENDER_SVG;
			return CORE_OK;
		}
	}
	return core_err_set(err, CORE_EUSAGE,
			    "output '%s': the name must end in .png, .pdf or "
			    ".svg (the format comes from the extension)",
			    path);
}

int render_page_size(const char *name, int landscape, double *w, double *h,
		     struct core_err *err)
{
	double a, b;

	if (strcasecmp(name, "letter") == 0) {
		a = 612;
		b = 792;
	} else if (strcasecmp(name, "tabloid") == 0) {
		a = 792;
		b = 1224;
	} else if (strcasecmp(name, "a4") == 0) {
		a = 595.2756; /* 210 mm */
		b = 841.8898; /* 297 mm */
	} else {
		return core_err_set(err, CORE_EUSAGE,
				    "--page: '%s' is not a page size; use "
				    "letter, tabloid or a4",
				    name);
	}
	*w = landscape ? b : a;
	*h = landscape ? a : b;
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * Reading the workspace
 * ------------------------------------------------------------------ */

static const char *const levels[] = {"tract", "blockgroup",   "county", "zcta",
				     "state", "neighborhood", NULL};

/* The categories to show: those asked for, in that order, or every
 * category with assets in the taxonomy's order. */
static int load_categories(struct render_map *m, struct core_ws *ws,
			   const struct render_spec *spec, struct core_err *err)
{
	static const char sql[] = "SELECT c.code, c.name, c.color,"
				  " EXISTS (SELECT 1 FROM asset_categories ac"
				  "  WHERE ac.category = c.code)"
				  " FROM categories c ORDER BY c.sort, c.code";
	sqlite3_stmt *st;
	size_t i, cap = 0;
	int step;

	if (spec->categories) {
		m->cats = xcalloc(spec->ncategories ? spec->ncategories : 1,
				  sizeof(*m->cats));
		for (i = 0; i < spec->ncategories; i++) {
			size_t j;
			for (j = 0; j < m->ncats; j++)
				if (strcmp(m->cats[j].code,
					   spec->categories[i]) == 0)
					break;
			if (j < m->ncats)
				continue; /* named twice */
			m->cats[m->ncats].code = xstrdup(spec->categories[i]);
			m->cats[m->ncats].color = 0x666666;
			m->ncats++;
		}
	}
	if (core_ws_prepare(ws, err, &st, sql))
		return CORE_EDB;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *color = (const char *)sqlite3_column_text(st, 2);
		struct render_cat *c = NULL;

		if (!code)
			continue;
		if (spec->categories) {
			for (i = 0; i < m->ncats; i++)
				if (strcmp(m->cats[i].code, code) == 0)
					c = &m->cats[i];
		} else if (sqlite3_column_int(st, 3)) {
			xgrow((void **)&m->cats, &cap, m->ncats + 1,
			      sizeof(*m->cats));
			c = &m->cats[m->ncats++];
			memset(c, 0, sizeof(*c));
			c->code = xstrdup(code);
			c->color = 0x666666;
		}
		if (!c)
			continue;
		free(c->name);
		c->name = xstrdup(name && *name ? name : code);
		if (color)
			render_color_parse(color, &c->color);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return core_ws_dberr(ws, err, "reading categories");
	for (i = 0; i < m->ncats; i++) {
		if (!m->cats[i].name)
			return core_err_set(
			    err, CORE_ENOTFOUND,
			    "--category: '%s' is not a category in workspace "
			    "%s; 'assetmap categories' lists them",
			    m->cats[i].code, ws->path);
		m->cats[i].shape = (enum render_shape)(i % RENDER_NSHAPES);
	}
	return CORE_OK;
}

/*
 * YlOrRd, unless the categories shown are mostly warm colours that would
 * sink into it (food is orange, primary care red): then Blues.
 */
static const char *default_palette(const struct render_map *m)
{
	int warm = 0, cool = 0;
	size_t i;

	for (i = 0; i < m->ncats; i++) {
		uint32_t c = m->cats[i].color;
		double r = ((c >> 16) & 0xff) / 255.0;
		double g = ((c >> 8) & 0xff) / 255.0;
		double b = (c & 0xff) / 255.0;
		double mx = fmax(r, fmax(g, b)), mn = fmin(r, fmin(g, b));
		double h;

		if (mx <= 0 || (mx - mn) / mx < 0.25)
			continue; /* greyish: blends with neither */
		if (mx == r)
			h = 60 * fmod((g - b) / (mx - mn) + 6, 6);
		else if (mx == g)
			h = 60 * ((b - r) / (mx - mn) + 2);
		else
			h = 60 * ((r - g) / (mx - mn) + 4);
		if (h < 70 || h >= 330)
			warm++;
		else if (h >= 180 && h < 260)
			cool++;
	}
	return warm > cool ? "Blues" : "YlOrRd";
}

/* ---------------------------------------------------------------------
 * Legend rows
 * ------------------------------------------------------------------ */

static struct legend_row *add_row(struct render_map *m, size_t *cap,
				  enum legend_kind kind, int section,
				  const char *text, const char *count,
				  uint32_t color, enum render_shape shape)
{
	struct legend_row *r;

	xgrow((void **)&m->rows, cap, m->nrows + 1, sizeof(*m->rows));
	r = &m->rows[m->nrows++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->section = section;
	r->text = xstrdup(text);
	r->count = xstrdup_or_null(count);
	r->color = color;
	r->shape = shape;
	return r;
}

static void free_rows(struct render_map *m)
{
	size_t i;

	for (i = 0; i < m->nrows; i++) {
		free(m->rows[i].text);
		free(m->rows[i].count);
	}
	free(m->rows);
	m->rows = NULL;
	m->nrows = 0;
}

/* "No data" and "Suppressed (1-10)" rows, when there are such areas. */
static void legend_missing(struct render_map *m, size_t *cap)
{
	char num[32];
	struct legend_row *r;

	if (m->nnodata > 0) {
		snprintf(num, sizeof(num), "%zu", m->nnodata);
		r = add_row(m, cap, LEGEND_SWATCH, 0, "No data", num,
			    RENDER_NODATA_COLOR, RENDER_CIRCLE);
		r->hatch = HATCH_NODATA;
	}
	if (m->nsuppressed > 0) {
		snprintf(num, sizeof(num), "%zu", m->nsuppressed);
		r = add_row(m, cap, LEGEND_SWATCH, 0,
			    "Suppressed (1\xe2\x80\x93"
			    "10)",
			    num, RENDER_SUPPRESSED_COLOR, RENDER_CIRCLE);
		r->hatch = HATCH_NONE; /* flat grey: hatching is a desert's */
	}
}

/* The marks of partnership status, each with its count of assets shown:
 * "current partner" filled, "prospective partner" outlined, "other asset"
 * muted, the rows the map's --partners can show (other assets only when
 * the map has some). */
static void legend_partners(struct render_map *m, size_t *cap)
{
	static const struct {
		const char *text;
		int status; /* enum geo_partner_status */
		enum render_mark mark;
	} rows[] = {{"current partner", 1, RENDER_MARK_FILLED},
		    {"prospective partner", 2, RENDER_MARK_HOLLOW},
		    {"other asset", 0, RENDER_MARK_MUTED}};
	const enum render_partners p = m->partners;
	char num[32];
	size_t k, others = 0;

	/* Whether there are other assets is settled before the layout
	 * (which counts those shown), so the legend keeps its rows. */
	for (k = 0; k < m->assets->n; k++)
		others += m->pstatus[k] == 0;

	add_row(m, cap, LEGEND_HEADER, 1, "Partnership", NULL, 0,
		RENDER_CIRCLE);
	add_row(m, cap, LEGEND_NOTE, 1,
		p == RENDER_PARTNERS_CURRENT	   ? "current partners only"
		: p == RENDER_PARTNERS_PROSPECTIVE ? "prospective partners only"
		: p == RENDER_PARTNERS_ANY
		    ? "current and prospective partners only"
		    : "status in the partnership register",
		NULL, 0, RENDER_CIRCLE);
	for (k = 0; k < 3; k++) {
		int want = rows[k].status == 1
			       ? p != RENDER_PARTNERS_PROSPECTIVE
			   : rows[k].status == 2
			       ? p != RENDER_PARTNERS_CURRENT
			       : p == RENDER_PARTNERS_ALL && others > 0;
		struct legend_row *r;

		if (!want)
			continue;
		snprintf(num, sizeof(num), "%zu", m->nstatus[rows[k].status]);
		r = add_row(m, cap, LEGEND_SYMBOL, 1, rows[k].text, num,
			    INK_STATUS_SYMBOL, RENDER_CIRCLE);
		r->mark = rows[k].mark;
	}
}

/*
 * Keep of m->assets only those that pass spec->filter (the analyses'
 * supply filters, applied by geo_filter_keep), their extent recomputed,
 * and set m->filter_note to say so in the legend.  Nothing changes when
 * the spec asks for no filter.
 */
static int filter_assets(struct render_map *m, struct core_ws *ws,
			 const struct render_spec *spec, struct core_err *err)
{
	struct geo_assets *a = m->assets;
	unsigned char *keep;
	int rc;

	if (!geo_filter_is_set(spec->filter))
		return CORE_OK;
	if (spec->filter_words) {
		m->filter_note =
		    xasprintf("only assets that %s", spec->filter_words);
	} else {
		char what[512];

		geo_filter_describe(spec->filter, what, sizeof(what));
		m->filter_note = xasprintf("only assets: %s", what);
	}
	keep = xmalloc(a->n ? a->n : 1);
	if ((rc = geo_filter_keep(ws, spec->filter, a->id, a->n, keep, err)))
		goto cleanup;
	geo_assets_keep(a, keep);
cleanup:
	free(keep);
	return rc;
}

/* Rebuild m's legend rows from what m shades and shows: the choropleth's
 * classes or the bivariate key (or a note that nothing is shaded), the
 * no-data and suppressed rows, the deserts' hatch, then the asset
 * categories with their counts, the capacity sizes and the cluster
 * symbol where they apply.  Frees the rows built before. */
static void build_legend(struct render_map *m)
{
	size_t cap = 0, i;
	char num[64], lo[64], hi[64];
	struct legend_row *r;

	free_rows(m);
	if (m->areas->n > 0 && m->shade == SHADE_CHORO) {
		const struct render_classes *c = &m->classes;
		int dec = render_class_decimals(c);
		int k;

		add_row(m, &cap, LEGEND_HEADER, 0, m->value_label, NULL, 0,
			RENDER_CIRCLE);
		add_row(m, &cap, LEGEND_NOTE, 0, m->value_note, NULL, 0,
			RENDER_CIRCLE);
		/* percentile ranks and shares (0..1) as percentages, two
		 * decimals fewer */
		const int pct = m->choro_pct;
		const double scale = pct ? 100 : 1;

		if (pct)
			dec = dec > 2 ? dec - 2 : 0;
		for (k = 0; k < c->n; k++) {
			char text[160];
			render_format_number(scale * c->lo[k], dec, lo,
					     sizeof(lo));
			render_format_number(scale * c->hi[k], dec, hi,
					     sizeof(hi));
			if (pct) {
				strncat(lo, "%", sizeof(lo) - strlen(lo) - 1);
				strncat(hi, "%", sizeof(hi) - strlen(hi) - 1);
			}
			if (strcmp(lo, hi) == 0)
				snprintf(text, sizeof(text), "%s", lo);
			else
				snprintf(text, sizeof(text),
					 "%s \xe2\x80\x93 %s", lo, hi);
			snprintf(num, sizeof(num), "%zu", c->count[k]);
			add_row(m, &cap, LEGEND_SWATCH, 0, text, num,
				m->class_color[k], RENDER_CIRCLE);
		}
		legend_missing(m, &cap);
	} else if (m->areas->n > 0 && m->shade == SHADE_BIVAR) {
		add_row(m, &cap, LEGEND_HEADER, 0, m->value_label, NULL, 0,
			RENDER_CIRCLE);
		add_row(m, &cap, LEGEND_NOTE, 0, m->value_note, NULL, 0,
			RENDER_CIRCLE);
		add_row(m, &cap, LEGEND_NOTE, 0, m->bivar_xname, NULL, 0,
			RENDER_CIRCLE);
		add_row(m, &cap, LEGEND_NOTE, 0, m->bivar_yname, NULL, 0,
			RENDER_CIRCLE);
		add_row(m, &cap, LEGEND_BIVAR, 0, "", NULL, 0, RENDER_CIRCLE);
		/* the cell a funder looks for, named, with its count: need
		 * in the top tertile, access in the bottom one */
		snprintf(num, sizeof(num), "%zu", m->bivar_count[2]);
		r = add_row(m, &cap, LEGEND_SWATCH, 0,
			    "High need, low access (outlined)", num,
			    m->bivar_color[0][2], RENDER_CIRCLE);
		r->outline = 1;
		legend_missing(m, &cap);
	} else if (m->areas->n > 0) {
		add_row(m, &cap, LEGEND_HEADER, 0,
			render_level_plural(m->level, 1), NULL, 0,
			RENDER_CIRCLE);
		add_row(m, &cap, LEGEND_NOTE, 0, "no indicator to shade by",
			NULL, 0, RENDER_CIRCLE);
		snprintf(num, sizeof(num), "%zu", m->areas->n);
		add_row(m, &cap, LEGEND_SWATCH, 0, "Boundaries", num,
			RENDER_UNSHADED_COLOR, RENDER_CIRCLE);
	}
	if (m->deserts) {
		r = add_row(m, &cap, LEGEND_SWATCH, 0, m->desert_label, NULL,
			    0xffffff, RENDER_CIRCLE);
		r->hatch = HATCH_DESERT;
	}
	if (m->ncats > 0) {
		add_row(m, &cap, LEGEND_HEADER, 1, "Community assets", NULL, 0,
			RENDER_CIRCLE);
		add_row(
		    m, &cap, LEGEND_NOTE, 1,
		    m->ncats > 1
			? "by category; each asset once, under the first listed"
			: "by category",
		    NULL, 0, RENDER_CIRCLE);
		if (m->filter_note)
			add_row(m, &cap, LEGEND_NOTE, 1, m->filter_note, NULL,
				0, RENDER_CIRCLE);
		for (i = 0; i < m->ncats; i++) {
			snprintf(num, sizeof(num), "%zu", m->cats[i].count);
			add_row(m, &cap, LEGEND_SYMBOL, 1, m->cats[i].name, num,
				m->cats[i].color, m->cats[i].shape);
		}
		if (m->sym_size && !isnan(m->cap_ref)) {
			int k;

			add_row(m, &cap, LEGEND_NOTE, 1,
				"Symbol area shows capacity", NULL, 0,
				RENDER_CIRCLE);
			for (k = 0; k < 3; k++) {
				if (k > 0 &&
				    m->cap_legend[k] == m->cap_legend[k - 1])
					continue;
				render_format_number(m->cap_legend[k], 0, lo,
						     sizeof(lo));
				r = add_row(m, &cap, LEGEND_SYMBOL, 1, lo, NULL,
					    0xd9d9d9, RENDER_CIRCLE);
				r->size =
				    render_layers_cap_size(m, m->cap_legend[k]);
			}
			if (m->cap_unknown) {
				snprintf(num, sizeof(num), "%zu",
					 m->cap_unknown);
				r = add_row(m, &cap, LEGEND_SYMBOL, 1,
					    "Capacity not recorded", num,
					    0xd9d9d9, RENDER_CIRCLE);
				r->size = 0.6 * m->sym_base;
			}
		}
		if (m->pstatus)
			legend_partners(m, &cap);
		if (m->cluster_row) {
			r = add_row(m, &cap, LEGEND_SYMBOL, 1,
				    m->pstatus
					? "Nearby other assets (number "
					  "inside)"
					: "Nearby assets (number inside)",
				    NULL, 0xffffff, RENDER_CIRCLE);
			r->cluster = 1;
		}
	}
}

/* ---------------------------------------------------------------------
 * Layout
 * ------------------------------------------------------------------ */

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The extent the map must show: spec's --extent, the areas, or the
 * assets without areas. */
static void data_extent(const struct render_map *m, double *x0, double *y0,
			double *x1, double *y1)
{
	if (m->has_extent) {
		*x0 = m->ext[0];
		*y0 = m->ext[1];
		*x1 = m->ext[2];
		*y1 = m->ext[3];
	} else if (m->areas->npts > 0) {
		*x0 = m->areas->minx;
		*y0 = m->areas->miny;
		*x1 = m->areas->maxx;
		*y1 = m->areas->maxy;
	} else {
		*x0 = m->assets->minx;
		*y0 = m->assets->miny;
		*x1 = m->assets->maxx;
		*y1 = m->assets->maxy;
	}
	/* A single point or a line of them: show a kilometre around. */
	if (*x1 - *x0 < 1000) {
		double c = (*x0 + *x1) / 2;
		*x0 = c - 500;
		*x1 = c + 500;
	}
	if (*y1 - *y0 < 1000) {
		double c = (*y0 + *y1) / 2;
		*y0 = c - 500;
		*y1 = c + 500;
	}
}

/*
 * One layout pass with title and note wrapped at tw points.  Sets every
 * box and the map transform; *gw is the width the content ended up
 * using, which the next pass wraps the title at.
 */
static int layout_pass(struct render_map *m, PangoContext *pc, double tw,
		       double *gw, struct core_err *err)
{
	const double W = m->page_w, H = m->page_h, f = m->f;
	const double margin = 26 * f, gap = 12 * f, pad = 10 * f;
	const double nsh = render_ns_height(f), nsw = 175 * f;
	const double min_col = 150 * f;
	double th, sh = 0, nh, top, bottom, rx, rw, rh;
	double x0, y0, x1, y1, bw, bh;
	double lw = 0, lh = 0, lw2 = 0, lh2 = 0, lf, lf2;
	double sx_r = 0, sx_b = 0, cw = 0, fw, fh, group;
	int fit_r = 0, fit_b = 0;
	PangoLayout *l;

	l = render_text(pc, m->title, 20 * f, 1, tw);
	render_text_size(l, NULL, &th);
	g_object_unref(l);
	if (m->subtitle) {
		l = render_text(pc, m->subtitle, 12 * f, 0, tw);
		render_text_size(l, NULL, &sh);
		g_object_unref(l);
		sh += 3 * f;
	}
	l = render_text(pc, m->note, 7 * f, 0, tw);
	render_text_size(l, NULL, &nh);
	g_object_unref(l);
	top = margin + th + sh + 14 * f;
	bottom = H - margin - nh - 10 * f;
	rx = margin;
	rw = W - 2 * margin;
	rh = bottom - top;
	if (rw < 160 || rh < 120)
		goto too_small;

	data_extent(m, &x0, &y0, &x1, &y1);
	bw = x1 - x0;
	bh = y1 - y0;

	/* Legend in a column at the right, shrinking its type to fit. */
	for (lf = f; lf >= 0.55 * f; lf *= 0.92) {
		render_legend_measure(m, pc, lf, 0, &lw, &lh);
		if (lh + gap + nsh <= rh)
			break;
	}
	if (lf >= 0.55 * f) {
		cw = lw > min_col ? lw : min_col;
		fw = rw - cw - gap;
		if (fw >= 100) {
			fit_r = 1;
			sx_r = fmin((fw - 2 * pad) / bw, (rh - 2 * pad) / bh);
		}
	}
	/* Or in a band below the map, sections side by side. */
	for (lf2 = f; lf2 >= 0.55 * f; lf2 *= 0.92) {
		render_legend_measure(m, pc, lf2, 1, &lw2, &lh2);
		if (lw2 + gap + nsw <= rw)
			break;
	}
	if (lf2 >= 0.55 * f) {
		double band = fmax(lh2, nsh);
		fh = rh - band - gap;
		if (fh >= 100) {
			fit_b = 1;
			sx_b = fmin((rw - 2 * pad) / bw, (fh - 2 * pad) / bh);
		}
	}
	if (!fit_r && !fit_b)
		goto too_small;

	m->cx = (x0 + x1) / 2;
	m->cy = (y0 + y1) / 2;
	if (fit_r && (!fit_b || sx_r >= sx_b)) {
		m->legend_across = 0;
		m->lf = lf;
		m->sx = sx_r;
		fw = fmin(rw - cw - gap, bw * sx_r + 2 * pad);
		fh = fmin(rh, bh * sx_r + 2 * pad);
		/* The column sets the frame's least height, so their bottoms
		 * line up. */
		fh = fmax(fh, lh + gap + nsh);
		group = fw + gap + cw;
		x0 = rx + (rw - group) / 2;
		m->frame = (struct render_box){x0, top, fw, fh};
		m->legend_box = (struct render_box){x0 + fw + gap, top, cw, lh};
		m->ns_box =
		    (struct render_box){x0 + fw + gap, top + fh - nsh, cw, nsh};
	} else {
		double band = fmax(lh2, nsh);
		m->legend_across = 1;
		m->lf = lf2;
		m->sx = sx_b;
		fh = fmin(rh - band - gap, bh * sx_b + 2 * pad);
		group = fmax(fmin(rw, bw * sx_b + 2 * pad), lw2 + gap + nsw);
		x0 = rx + (rw - group) / 2;
		m->frame = (struct render_box){x0, top, group, fh};
		m->legend_box =
		    (struct render_box){x0, top + fh + gap, lw2, lh2};
		m->ns_box = (struct render_box){x0 + group - nsw,
						top + fh + gap, nsw, nsh};
	}
	/* Centre the whole block on the page, the note just under the map,
	 * rather than leave the slack in one band. */
	{
		double used = fmax(m->frame.y + m->frame.h,
				   fmax(m->legend_box.y + m->legend_box.h,
					m->ns_box.y + m->ns_box.h));
		double shift = (bottom - used) / 2;

		m->frame.y += shift;
		m->legend_box.y += shift;
		m->ns_box.y += shift;
		m->title_box =
		    (struct render_box){x0, margin + shift, tw, th + sh};
		m->note_box =
		    (struct render_box){x0, used + shift + 10 * f, tw, nh};
	}
	*gw = group;
	return CORE_OK;
too_small:
	return core_err_set(
	    err, CORE_EUSAGE,
	    "the page (%.0f x %.0f %s) is too small for the map and its "
	    "legend; give a larger %s, or fewer --category",
	    W * m->dev, H * m->dev,
	    m->format == RENDER_PNG ? "pixels" : "points",
	    m->format == RENDER_PNG ? "--width and --height" : "--page");
}

/* Round a length down to 1, 2 or 5 times a power of ten. */
static double nice_length(double max)
{
	double p, best = 0;
	int e, i;
	static const double steps[] = {1, 2, 5};

	for (e = -3; e <= 6; e++) {
		p = pow(10, e);
		for (i = 0; i < 3; i++)
			if (steps[i] * p <= max)
				best = steps[i] * p;
	}
	return best;
}

/* Lay m's page out: the boxes of the title, note, frame and legend
 * (settling the title's wrapping width), which assets fall inside the
 * frame and the counts per category, the clusters, and the scale bar's
 * length and the north angle at the map's centre.  Returns 0;
 * CORE_EUSAGE when the page is too small for the map and its legend;
 * CORE_ELIB when cairo fails, or the error from the projection, set in
 * err. */
static int layout(struct render_map *m, struct core_err *err)
{
	cairo_surface_t *s =
	    cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
	cairo_t *cr = cairo_create(s);
	PangoContext *pc = NULL;
	double tw, gw = 0, unit, avail, maxlen;
	int rc = CORE_OK, pass;
	size_t i;

	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		rc = core_err_set(err, CORE_ELIB, "cairo: %s",
				  cairo_status_to_string(cairo_status(cr)));
		goto cleanup;
	}
	/* Measure at the device's scale, as the text will be drawn. */
	cairo_scale(cr, m->dev, m->dev);
	pc = render_text_context(&m->fonts, m->format == RENDER_PNG, cr);
	tw = m->page_w - 2 * 26 * m->f;
	/* The title wraps at the width the content takes, which depends on
	 * the title's height: settle it in a few passes. */
	for (pass = 0; pass < 3; pass++) {
		if ((rc = layout_pass(m, pc, tw, &gw, err)))
			goto cleanup;
		if (fabs(gw - tw) < 0.5)
			break;
		tw = gw;
	}
	if (fabs(gw - tw) >= 0.5) {
		/* Keep the last pass's wrapping; pull it in from the right
		 * edge if it is wider than the content. */
		double right = m->page_w - 26 * m->f;
		if (m->title_box.x + tw > right)
			m->title_box.x = m->note_box.x = right - tw;
	}
	m->text_w = tw;

	/* Which assets' symbols land whole inside the frame. */
	m->outside = 0;
	for (i = 0; i < m->ncats; i++)
		m->cats[i].count = 0;
	memset(m->nstatus, 0, sizeof(m->nstatus));
	for (i = 0; i < m->assets->n; i++) {
		double px, py;
		double r = (m->sym_size && m->sym_size[i] > 0 ? m->sym_size[i]
							      : m->sym_base) /
			       2 +
			   m->f;

		render_to_page(m, m->assets->x[i], m->assets->y[i], &px, &py);
		/* Only symbols that fit whole: none drawn half-cut by the
		 * frame's edge. */
		m->shown[i] =
		    px >= m->frame.x + r && px <= m->frame.x + m->frame.w - r &&
		    py >= m->frame.y + r && py <= m->frame.y + m->frame.h - r;
		if (m->shown[i] && m->pstatus)
			m->nstatus[m->pstatus[i]]++;
		if (m->shown[i])
			m->cats[m->assets->cat[i]].count++;
		else
			m->outside++;
	}
	render_layers_cluster(m);

	/* Scale bar and north arrow, true at the map's centre. */
	if ((rc = geo_proj_ground_scale(m->proj, m->cx, m->cy, &m->ground,
					err)) ||
	    (rc = geo_proj_north_angle(m->proj, m->cx, m->cy, &m->north, err)))
		goto cleanup;
	unit = m->units == RENDER_KM ? 1000 : METRES_PER_MILE;
	/* The bar starts 30f in, after the arrow; leave 20f for the last
	 * label's unit. */
	avail = m->ns_box.w - 50 * m->f;
	maxlen = avail / m->sx * m->ground / unit;
	m->bar_units = nice_length(maxlen);
cleanup:
	if (pc)
		g_object_unref(pc);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	return rc;
}

/* ---------------------------------------------------------------------
 * Build
 * ------------------------------------------------------------------ */

static char *default_title(const struct render_map *m,
			   const struct render_spec *spec)
{
	const char *lead = m->ncats ? "Community assets and " : "";
	const char *ind = m->indicator;

	if (m->shade == SHADE_BIVAR)
		return xasprintf("%sneed against access", m->ncats ? lead : "");
	if (spec->cohort)
		return xasprintf("%s%s", lead, m->value_label);
	if (!ind || m->shade == SHADE_NONE)
		return xstrdup(m->ncats ? "Community assets" : "Map");
	if (!strchr(ind, ':') &&
	    (strncmp(ind, "RPL_", 4) == 0 || render_indicator_names_svi(ind)))
		return xasprintf("%s%s", lead,
				 m->ncats ? "social vulnerability"
					  : "Social vulnerability");
	if (m->ncats && m->value_label) {
		/* "Community assets and people in the cohort"; "SVI" stays. */
		char *t = xasprintf("%s%s", lead, m->value_label);
		char *v = t + strlen(lead);
		if (v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'a' && v[1] <= 'z')
			v[0] = (char)(v[0] - 'A' + 'a');
		return t;
	}
	return xasprintf("%s%s", lead, m->value_label ? m->value_label : ind);
}

/* The PDF's subject: what the map shows, in a sentence. */
static char *default_subject(const struct render_map *m)
{
	struct core_buf b = CORE_BUF_INIT;

	core_buf_adds(&b, render_level_plural(m->level, 1));
	if (m->shade == SHADE_CHORO)
		core_buf_addf(&b, " shaded by %s", m->value_label);
	else if (m->shade == SHADE_BIVAR)
		core_buf_addf(&b, " shaded by %s against %s", m->bivar_xname,
			      m->bivar_yname);
	if (m->deserts)
		core_buf_addf(&b, "; %s hatched", m->desert_label);
	if (m->ncats)
		core_buf_addf(&b, "; community assets in %zu categor%s",
			      m->ncats, m->ncats == 1 ? "y" : "ies");
	if (m->ncats && m->pstatus)
		core_buf_adds(&b, ", marked by partnership status");
	core_buf_adds(&b, ".");
	return core_buf_detach(&b);
}

/* Page size in points and device units per point (render_map.h). */
static int page_of(struct render_map *m, const struct render_spec *spec,
		   struct core_err *err)
{
	double dpi = spec->dpi > 0 ? spec->dpi : RENDER_PNG_DPI;
	int rc;

	if (!(dpi >= 10 && dpi <= 2400))
		return core_err_set(
		    err, CORE_EUSAGE,
		    "--dpi: %g is out of range; give 10 to 2400", dpi);
	m->dev = spec->format == RENDER_PNG ? dpi / 72.0 : 1;
	if (spec->page && *spec->page) {
		if ((rc = render_page_size(spec->page, !spec->portrait,
					   &m->page_w, &m->page_h, err)))
			return rc;
		if (spec->format == RENDER_PNG) {
			/* Whole pixels, so the page and the image agree. */
			m->page_w = round(m->page_w * m->dev) / m->dev;
			m->page_h = round(m->page_h * m->dev) / m->dev;
		}
	} else if (spec->format == RENDER_PNG) {
		m->page_w = floor(spec->width) / m->dev;
		m->page_h = floor(spec->height) / m->dev;
	} else {
		m->page_w = spec->width;
		m->page_h = spec->height;
	}
	if (!(m->page_w > 0 && m->page_h > 0))
		return core_err_set(err, CORE_EUSAGE,
				    "the page size %g x %g is not positive",
				    spec->width, spec->height);
	if (spec->format == RENDER_PNG &&
	    m->page_w * m->dev * m->page_h * m->dev > 40000.0 * 40000.0)
		return core_err_set(err, CORE_EUSAGE,
				    "the image (%.0f x %.0f pixels) is too "
				    "large; give a smaller size or --dpi",
				    m->page_w * m->dev, m->page_h * m->dev);
	return CORE_OK;
}

/* The cohort a run was computed for, from "RUN" or "RUN:COLUMN"
 * (caller frees), or NULL. */
static char *run_cohort(struct core_ws *ws, const char *ref)
{
	const char *colon = ref ? strchr(ref, ':') : NULL;
	char *run, *name = NULL;
	sqlite3_stmt *st = NULL;
	int64_t id = 0;

	if (!ref)
		return NULL;
	run = colon ? xasprintf("%.*s", (int)(colon - ref), ref) : xstrdup(ref);
	if (core_run_find(ws, run, &id, NULL) == CORE_OK &&
	    sqlite3_prepare_v2(ws->db, "SELECT cohort FROM runs WHERE id = ?1",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_text(st, 0))
			name =
			    xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	free(run);
	return name;
}

/* Was the run of "RUN" or "RUN:COLUMN" measured on the road network
 * (its parameters' "by" is walk, bike or drive)? */
static int run_on_network(struct core_ws *ws, const char *ref)
{
	const char *colon = ref ? strchr(ref, ':') : NULL;
	char *run;
	sqlite3_stmt *st = NULL;
	int64_t id = 0;
	int yes = 0;

	if (!ref || !*ref)
		return 0;
	run = colon ? xasprintf("%.*s", (int)(colon - ref), ref) : xstrdup(ref);
	if (core_run_find(ws, run, &id, NULL) == CORE_OK &&
	    sqlite3_prepare_v2(ws->db,
			       "SELECT json_extract(params, '$.by') FROM runs"
			       " WHERE id = ?1 AND json_valid(params)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_text(st, 0)) {
			const char *by =
			    (const char *)sqlite3_column_text(st, 0);

			yes = strcmp(by, "walk") == 0 ||
			      strcmp(by, "bike") == 0 ||
			      strcmp(by, "drive") == 0;
		}
	}
	sqlite3_finalize(st);
	free(run);
	return yes;
}

/* A set of source ids, in the order first added. */
struct idset {
	int64_t *v;
	size_t n, cap;
};

static void idset_add(struct idset *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = id;
}

/* Add the first column of every row of sql (one text parameter, may be
 * NULL) to s. */
static void idset_query(struct idset *s, struct core_ws *ws, const char *sql,
			const char *arg)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (sqlite3_column_type(st, 0) == SQLITE_INTEGER)
			idset_add(s, sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
}

/* The sources of what a value reference shades: an indicator's table,
 * or the assets a result's run read. */
static void value_sources(struct idset *s, struct core_ws *ws, const char *ref)
{
	char *run;
	int64_t id = 0;
	sqlite3_stmt *st = NULL;

	if (!ref || !*ref)
		return;
	if (!strchr(ref, ':')) {
		/* by source, through the index on indicators(source_id):
		 * not a scan of every value */
		idset_query(s, ws,
			    "SELECT s.id FROM sources s WHERE EXISTS (SELECT 1"
			    " FROM indicators i WHERE i.source_id = s.id"
			    " AND i.name = ?1)",
			    ref);
		return;
	}
	run = xasprintf("%.*s", (int)(strchr(ref, ':') - ref), ref);
	if (core_run_find(ws, run, &id, NULL) == CORE_OK &&
	    sqlite3_prepare_v2(
		ws->db,
		"SELECT json_extract(j.value, '$.id') FROM runs r,"
		" json_each(r.sources) j WHERE r.id = ?1"
		" AND json_valid(r.sources)"
		" AND json_extract(j.value, '$.kind') = 'assets'",
		-1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW)
			idset_add(s, sqlite3_column_int64(st, 0));
	}
	sqlite3_finalize(st);
	free(run);
}

/* Does the statement st (a source id bound to ?1) give the id of an
 * asset that m draws?  m->assets->id is in ascending order. */
static int draws_any(sqlite3_stmt *st, int64_t source,
		     const struct render_map *m)
{
	int found = 0;

	sqlite3_bind_int64(st, 1, source);
	while (!found && sqlite3_step(st) == SQLITE_ROW) {
		int64_t a = sqlite3_column_int64(st, 0);
		size_t lo = 0, hi = m->assets->n;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (m->assets->id[mid] < a)
				lo = mid + 1;
			else
				hi = mid;
		}
		found = lo < m->assets->n && m->assets->id[lo] == a;
	}
	sqlite3_reset(st);
	return found;
}

/* The sources of the assets the map draws (those of its categories and
 * filters): their own and those merged into them.  Source by source,
 * through the indexes on source_id, each stopping at its first asset
 * drawn: a map of every asset reads one row a source, where a scan of
 * every asset took a tenth of a national map's time. */
static void asset_sources(struct idset *s, struct core_ws *ws,
			  const struct render_map *m)
{
	sqlite3_stmt *src = NULL, *own = NULL, *merged = NULL;

	if (!m->assets || !m->assets->n)
		return;
	if (sqlite3_prepare_v2(ws->db, "SELECT id FROM sources ORDER BY id", -1,
			       &src, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(ws->db,
			       "SELECT id FROM assets WHERE source_id = ?1", -1,
			       &own, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(
		ws->db,
		"SELECT asset_id FROM asset_sources WHERE source_id = ?1", -1,
		&merged, NULL) == SQLITE_OK)
		while (sqlite3_step(src) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(src, 0);

			if (draws_any(own, id, m) || draws_any(merged, id, m))
				idset_add(s, id);
		}
	sqlite3_finalize(src);
	sqlite3_finalize(own);
	sqlite3_finalize(merged);
}

/* The map's sources: who published the layers it draws (the areas, the
 * outlines, what shades them, the assets), by their publisher, dataset
 * and year (core_source_credit), never their files; then the cohorts it
 * draws (its own or a result's) by their names; "(c) OpenStreetMap
 * contributors" when it draws a result measured on the road network. */
static char *source_note(struct core_ws *ws, const struct render_spec *spec,
			 const struct render_map *m)
{
	struct core_buf b = CORE_BUF_INIT;
	struct idset ids = {0};
	char *cohorts, *out;
	size_t i;
	int osm = (m->indicator && strchr(m->indicator, ':') &&
		   run_on_network(ws, m->indicator)) ||
		  (spec->bivar_x && strchr(spec->bivar_x, ':') &&
		   run_on_network(ws, spec->bivar_x)) ||
		  (spec->bivar_y && strchr(spec->bivar_y, ':') &&
		   run_on_network(ws, spec->bivar_y)) ||
		  (m->deserts && run_on_network(ws, spec->deserts)) ||
		  m->osm_credit;

	if (m->areas && m->areas->n && m->level)
		idset_query(&ids, ws,
			    "SELECT s.id FROM sources s WHERE EXISTS (SELECT 1"
			    " FROM areas a WHERE a.source_id = s.id"
			    " AND a.level = ?1) ORDER BY s.id",
			    m->level);
	for (i = 0; i < render_context_outline_count(m->context); i++) {
		const char *g = render_context_outline_geoid(m->context, i);

		if (g)
			idset_query(
			    &ids, ws,
			    "SELECT source_id FROM areas WHERE geoid = ?1", g);
	}
	if (m->shade == SHADE_BIVAR) {
		value_sources(&ids, ws, spec->bivar_x);
		value_sources(&ids, ws, spec->bivar_y);
	} else if (m->shade != SHADE_NONE && !spec->cohort) {
		value_sources(&ids, ws, m->indicator);
	}
	if (m->deserts)
		value_sources(&ids, ws, spec->deserts);
	asset_sources(&ids, ws, m);
	for (i = 0; i < ids.n; i++) {
		char *c = core_source_credit(ws, ids.v[i]);

		if (c && !strstr(b.s ? b.s : "", c))
			core_buf_addf(&b, "%s%s", b.len ? "; " : "", c);
		free(c);
	}
	free(ids.v);
	if (osm && !strstr(b.s ? b.s : "", RENDER_OSM_CREDIT))
		core_buf_addf(&b, "%s%s", b.len ? "; " : "", RENDER_OSM_CREDIT);

	char *names[4] = {NULL, NULL, NULL, NULL};

	names[0] = spec->cohort ? xstrdup(spec->cohort) : NULL;
	if (!spec->cohort && m->indicator && strchr(m->indicator, ':'))
		names[1] = run_cohort(ws, m->indicator);
	if (spec->bivar_x) {
		names[2] = strchr(spec->bivar_x, ':')
			       ? run_cohort(ws, spec->bivar_x)
			       : NULL;
		names[3] = spec->bivar_y && strchr(spec->bivar_y, ':')
			       ? run_cohort(ws, spec->bivar_y)
			       : NULL;
	} else if (spec->deserts && *spec->deserts) {
		names[2] = run_cohort(ws, spec->deserts);
	}
	cohorts = render_cohort_sources((const char *const *)names, 4);
	for (i = 0; i < 4; i++)
		free(names[i]);
	if (cohorts)
		core_buf_addf(&b, "%s%s", b.len ? "; " : "", cohorts);
	free(cohorts);
	out = b.len ? core_buf_detach(&b) : NULL;
	core_buf_release(&b);
	return out;
}

/* The lon/lat extent of what the map frames: the areas of its level, or
 * without any, the assets.  Returns 1 with the extent set, 0 when there
 * is neither, or -1 with err set on a database error. */
static int frame_extent(struct core_ws *ws, const char *level, double e[4],
			struct core_err *err)
{
	static const char *const sql[] = {
	    "SELECT min(MbrMinX(geom)), min(MbrMinY(geom)), "
	    "max(MbrMaxX(geom)), max(MbrMaxY(geom)) FROM areas "
	    "WHERE level = ?1",
	    "SELECT min(MbrMinX(geom)), min(MbrMinY(geom)), "
	    "max(MbrMaxX(geom)), max(MbrMaxY(geom)) FROM assets"};
	size_t q;

	for (q = 0; q < 2; q++) {
		sqlite3_stmt *st;
		int rc, found = 0, k;

		if (core_ws_prepare(ws, err, &st, sql[q]))
			return -1;
		if (q == 0)
			sqlite3_bind_text(st, 1, level, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) != SQLITE_NULL) {
			for (k = 0; k < 4; k++)
				e[k] = sqlite3_column_double(st, k);
			found = 1;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			core_ws_dberr(ws, err, "reading the map's extent");
			return -1;
		}
		if (found)
			return 1;
	}
	return 0;
}

/* --extent's box: in range, west < east, south < north. */
static int render_extent_check(const double e[4], struct core_err *err)
{
	if (!(e[0] >= -180 && e[2] <= 180 && e[1] >= -90 && e[3] <= 90 &&
	      e[0] < e[2] && e[1] < e[3]))
		return core_err_set(err, CORE_EUSAGE,
				    "--extent %g,%g,%g,%g: give WEST,SOUTH,"
				    "EAST,NORTH in degrees, west less than "
				    "east and south less than north",
				    e[0], e[1], e[2], e[3]);
	return CORE_OK;
}

/* m->ext: the projected bounding box of the lon/lat box e, from points
 * along its four sides (its sides curve in most projections). */
static int project_extent(struct render_map *m, const double e[4],
			  struct core_err *err)
{
	enum { SIDE = 16 };
	double x[4 * SIDE], y[4 * SIDE];
	int i, rc;

	for (i = 0; i < SIDE; i++) {
		double t = (double)i / SIDE;

		x[i] = e[0] + (e[2] - e[0]) * t; /* south side */
		y[i] = e[1];
		x[SIDE + i] = e[2]; /* east */
		y[SIDE + i] = e[1] + (e[3] - e[1]) * t;
		x[2 * SIDE + i] = e[2] - (e[2] - e[0]) * t; /* north */
		y[2 * SIDE + i] = e[3];
		x[3 * SIDE + i] = e[0]; /* west */
		y[3 * SIDE + i] = e[3] - (e[3] - e[1]) * t;
	}
	if ((rc = geo_proj_fwd(m->proj, x, y, 4 * SIDE, err))) {
		core_err_prefix(err, "--extent: ");
		return rc;
	}
	m->ext[0] = m->ext[2] = x[0];
	m->ext[1] = m->ext[3] = y[0];
	for (i = 1; i < 4 * SIDE; i++) {
		m->ext[0] = fmin(m->ext[0], x[i]);
		m->ext[1] = fmin(m->ext[1], y[i]);
		m->ext[2] = fmax(m->ext[2], x[i]);
		m->ext[3] = fmax(m->ext[3], y[i]);
	}
	m->has_extent = 1;
	return CORE_OK;
}

/* Lay out; then, as clusters come and go with the frame's scale, the
 * legend's cluster row with them (a few passes at most). */
static int layout_all(struct render_map *m, struct core_err *err)
{
	int rc, pass;

	for (pass = 0; pass < 3; pass++) {
		if ((rc = layout(m, err)))
			return rc;
		if (m->cluster_row == (m->nclusters > 0) || pass == 2)
			break;
		m->cluster_row = m->nclusters > 0;
		build_legend(m);
	}
	/* A row with no cluster drawn is harmless; a cluster with no row
	 * is not. */
	if (m->nclusters > 0 && !m->cluster_row) {
		m->cluster_row = 1;
		build_legend(m);
		if ((rc = layout(m, err)))
			return rc;
	}
	build_legend(m); /* counts now exclude assets outside the frame */
	return CORE_OK;
}

/* The basemap of bm in the laid-out frame, its labels clear of the
 * context's labels and inset. */
static int load_basemap(struct render_map *m, const struct geo_basemap *bm,
			struct core_err *err)
{
	size_t n = render_context_label_count(m->context), i;
	struct render_box *avoid = xcalloc(n + 1, sizeof(*avoid));
	int rc;

	for (i = 0; i < n; i++)
		render_context_label_box(m->context, i, &avoid[i].x,
					 &avoid[i].y, &avoid[i].w, &avoid[i].h);
	render_context_inset_box(m->context, &avoid[n].x, &avoid[n].y,
				 &avoid[n].w, &avoid[n].h);
	rc = render_basemap_load(m, bm, avoid, n + 1, &m->basemap, err);
	free(avoid);
	return rc;
}

int render_map_build(struct core_ws *ws, const struct render_spec *spec,
		     struct render_map **out, struct core_err *err)
{
	struct render_map *m = xcalloc(1, sizeof(*m));
	const struct render_palette *pal;
	char *sources = NULL;
	double fe[4]; /* the lon/lat box the frame shows, when have_fe */
	int have_fe = 0;
	const char *const *lv;
	const char **codes = NULL;
	char datebuf[32];
	struct tm tm;
	int rc;
	size_t i;

	*out = NULL;
	render_lap(NULL);
	m->format = spec->format;
	m->units = spec->units;
	m->level = xstrdup(spec->level ? spec->level : "tract");
	m->creator = xstrdup(spec->creator ? spec->creator : "assetmap");
	m->date = render_doc_date(spec->date, &m->date_fixed);
	m->no_cluster = spec->no_cluster;
	m->author = xstrdup_or_null(spec->author);
	for (lv = levels; *lv; lv++)
		if (strcmp(*lv, m->level) == 0)
			break;
	if (!*lv) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "--level: '%s' is not an area level; use "
				  "tract, blockgroup, county, zcta, state or "
				  "neighborhood",
				  m->level);
		goto cleanup;
	}
	if (spec->cohort_areas) {
		int hex = strcmp(spec->cohort_areas, "hex") == 0;

		for (lv = levels; !hex && *lv; lv++)
			if (strcmp(*lv, spec->cohort_areas) == 0)
				break;
		if (!hex && !*lv) {
			rc = core_err_set(
			    err, CORE_EUSAGE,
			    "--areas: '%s' is not an area level; use zcta, "
			    "county, neighborhood or hex",
			    spec->cohort_areas);
			goto cleanup;
		}
		if (!spec->cohort) {
			rc = core_err_set(
			    err, CORE_EUSAGE,
			    "--areas adds up a cohort's counts into larger "
			    "areas; give --cohort NAME too (--level chooses "
			    "the areas of other maps)");
			goto cleanup;
		}
		if (!hex) {
			free(m->level);
			m->level = xstrdup(spec->cohort_areas);
		}
		m->sum_by_points = strcmp(m->level, "county") != 0 &&
				   strcmp(m->level, "state") != 0;
	}
	if (spec->palette && !render_palette_find(spec->palette)) {
		rc = core_err_set(
		    err, CORE_EUSAGE,
		    "--palette: '%s' is not a palette; use one of %s",
		    spec->palette, render_palette_names());
		goto cleanup;
	}
	if (spec->classes < 1 || spec->classes > RENDER_CLASSES_MAX) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "--classes: %d is out of range; give 1 to %d",
				  spec->classes, RENDER_CLASSES_MAX);
		goto cleanup;
	}
	if (!spec->bivar_x != !spec->bivar_y) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "a bivariate map needs both a need and an "
				  "access value (%s is missing)",
				  spec->bivar_x ? "access" : "need");
		goto cleanup;
	}
	if ((rc = page_of(m, spec, err)))
		goto cleanup;

	/* What shades the areas, then the data. */
	if (spec->bivar_x) {
		m->indicator =
		    xasprintf("%s \xc3\x97 %s", spec->bivar_x, spec->bivar_y);
	} else if (spec->cohort) {
		m->indicator = xasprintf("cohort %s", spec->cohort);
	} else if (spec->indicator) {
		if (!strchr(spec->indicator, ':') &&
		    (rc = render_check_indicator(ws, m->level, spec->indicator,
						 "--indicator", err)))
			goto cleanup;
		m->indicator = xstrdup(spec->indicator);
	} else if ((rc = render_default_indicator(ws, m->level, &m->indicator,
						  err))) {
		goto cleanup;
	}
	if (!spec->no_assets && (rc = load_categories(m, ws, spec, err)))
		goto cleanup;
	pal = render_palette_find(spec->palette ? spec->palette
						: default_palette(m));
	{
		/* The projection is centred on what the frame shows, not on
		 * everything imported (a city beside its state's counties). */
		double e[4];
		int k = 1;

		if (spec->has_extent) {
			memcpy(e, spec->extent, sizeof(e));
			if ((rc = render_extent_check(e, err)))
				goto cleanup;
		} else {
			k = frame_extent(ws, m->level, e, err);
		}
		if (k < 0) {
			rc = CORE_EDB;
			goto cleanup;
		}
		rc = k ? geo_proj_for_extent(ws, e[0], e[1], e[2], e[3],
					     &m->proj, err)
		       : geo_proj_for_ws(ws, &m->proj, err);
		if (rc)
			goto cleanup;
		if (spec->has_extent &&
		    (rc = project_extent(m, spec->extent, err)))
			goto cleanup;
		if (k) {
			memcpy(fe, e, sizeof(fe));
			have_fe = 1;
		}
	}
	if ((rc = geo_areas_load(ws, m->level, NULL, m->proj, &m->areas, err)))
		goto cleanup;
	if (spec->cohort_areas && strcmp(spec->cohort_areas, "hex") == 0) {
		if ((rc = render_layers_hex(m, ws, spec, err)))
			goto cleanup;
		free(m->level);
		m->level = xstrdup("hex");
	}
	codes = xcalloc(m->ncats ? m->ncats : 1, sizeof(*codes));
	for (i = 0; i < m->ncats; i++)
		codes[i] = m->cats[i].code;
	if ((rc = geo_assets_load(ws, codes, m->ncats, m->proj, &m->assets,
				  err)) ||
	    (rc = filter_assets(m, ws, spec, err)))
		goto cleanup;
	if (!spec->no_assets && (rc = render_layers_partners(m, ws, spec, err)))
		goto cleanup;
	render_lap("load");
	if (m->areas->n == 0 && m->assets->n == 0) {
		rc = core_err_set(
		    err, CORE_ENOTFOUND,
		    "nothing to map: workspace %s has no %s areas and no "
		    "assets%s; import some with 'assetmap import', or choose "
		    "another --level",
		    ws->path, m->level,
		    spec->categories ? " in the categories asked for" : "");
		goto cleanup;
	}
	if (m->areas->n == 0) {
		free(m->indicator);
		m->indicator = NULL;
	}

	/* Classes and their colours. */
	m->area_class = xcalloc(m->areas->n ? m->areas->n : 1, sizeof(int));
	if ((rc = render_layers_shade(m, ws, spec, pal, err)))
		goto cleanup;
	if (m->shade == SHADE_NONE) {
		free(m->indicator);
		m->indicator = NULL;
	}
	if ((rc = render_layers_deserts(m, ws, spec, err)))
		goto cleanup;
	render_lap("classes");
	m->shown = xcalloc(m->assets->n ? m->assets->n : 1, 1);
	for (i = 0; i < m->assets->n; i++)
		m->cats[m->assets->cat[i]].count++;

	/* Words on the page. */
	if (spec->legend_title && *spec->legend_title && m->value_label) {
		free(m->value_label);
		m->value_label = xstrdup(spec->legend_title);
	}
	m->title = spec->title ? xstrdup(spec->title) : default_title(m, spec);
	m->subtitle =
	    spec->subtitle && *spec->subtitle ? xstrdup(spec->subtitle) : NULL;
	m->subject =
	    spec->subject ? xstrdup(spec->subject) : default_subject(m);
	gmtime_r(&m->date, &tm);
	strftime(datebuf, sizeof(datebuf), "%Y-%m-%d", &tm);
	/* credited when some of it lies about the frame */
	m->osm_credit = !geo_basemap_empty(spec->basemap) &&
			(!have_fe || geo_basemap_meets(spec->basemap, fe, 0.5));
	sources = source_note(ws, spec, m);
	m->note = xasprintf(
	    "Sources: %s.   Projection: %s.   Map: %s, %s.%s",
	    sources ? sources : "none recorded", geo_proj_label(m->proj),
	    m->creator, datebuf,
	    m->privacy_note || m->nsuppressed
		? "   Counts from 1 to 10 are suppressed to protect privacy."
		: "");

	render_fonts_init(&m->fonts, m->format == RENDER_PNG);
	/* Symbol sizes depend on the type scale, which the layout sets
	 * from the page: settle it first. */
	m->f = clampd(pow(fmin(m->page_w / 792, m->page_h / 612), 0.75), 0.45,
		      2.0);
	m->sym_base = 8 * m->f;
	m->cap_ref = NAN;
	if (spec->size_by_capacity && m->assets->n &&
	    (rc = render_layers_sizes(m, ws, err)))
		goto cleanup;
	build_legend(m);
	if ((rc = layout_all(m, err)))
		goto cleanup;
	render_lap("layout");
	if ((rc = render_context_load(m, ws, spec, &m->context, err)))
		goto cleanup;
	render_lap("context");
	if (!geo_basemap_empty(spec->basemap)) {
		if ((rc = load_basemap(m, spec->basemap, err)))
			goto cleanup;
		render_lap("basemap");
	}
	*out = m;
	m = NULL;
cleanup:
	free(codes);
	free(sources);
	render_map_free(m);
	return rc;
}

/* ---------------------------------------------------------------------
 * Drawing the page, writing the file
 * ------------------------------------------------------------------ */

static void draw_map(struct render_map *m, PangoContext *pc, cairo_t *cr)
{
	const struct render_box *fr = &m->frame;

	cairo_save(cr);
	cairo_rectangle(cr, fr->x, fr->y, fr->w, fr->h);
	cairo_clip(cr);
	render_layers_draw_areas(m, cr);
	render_lap("draw areas");
	if (m->basemap) {
		render_basemap_draw_under(m->basemap, m, cr);
		render_lap("draw basemap");
	}
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	render_layers_draw_deserts(m, cr);
	if (m->context)
		render_context_draw_outlines(m->context, m, cr);
	render_layers_draw_symbols(m, pc, cr);
	render_lap("draw symbols");
	cairo_restore(cr);
	render_furniture_draw_frame(m, cr);
}

int render_map_draw(struct render_map *m, cairo_t *cr, struct core_err *err)
{
	PangoContext *pc =
	    render_text_context(&m->fonts, m->format == RENDER_PNG, cr);
	cairo_status_t st;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	draw_map(m, pc, cr);
	render_furniture_draw(m, pc, cr);
	/* Labels over the symbols (and clear of the legend), the inset
	 * last. */
	render_basemap_draw_labels(m->basemap, m, pc, cr);
	if (m->context) {
		render_context_draw_labels(m->context, m, pc, cr);
		render_context_draw_inset(m->context, m, cr);
	}
	g_object_unref(pc);
	st = cairo_status(cr);
	if (st != CAIRO_STATUS_SUCCESS)
		return core_err_set(err, CORE_ELIB, "cairo: %s",
				    cairo_status_to_string(st));
	return CORE_OK;
}

int render_map_write(struct render_map *m, const char *path,
		     struct core_err *err)
{
	struct render_doc doc = {m->title,   m->author, m->subject,
				 m->creator, m->date,	m->date_fixed};
	struct render_file *f;
	cairo_status_t st;
	cairo_t *cr;
	int rc;

	if ((rc = render_file_open(path, m->format, m->page_w, m->page_h,
				   m->dev, &doc, &f, err)))
		return rc;
	cr = cairo_create(render_file_surface(f));
	st = cairo_status(cr);
	if (st != CAIRO_STATUS_SUCCESS) {
		rc = render_file_cairo_err(f, st, err);
	} else {
		if (m->dev != 1)
			cairo_scale(cr, m->dev, m->dev);
		render_lap("setup");
		rc = render_map_draw(m, cr, err);
		render_lap("draw");
		if (rc)
			core_err_prefix(err, "cannot render %s: ", path);
	}
	cairo_destroy(cr);
	if (rc != CORE_OK) {
		render_file_close(f, 0, NULL);
		return rc;
	}
	return render_file_close(f, 1, err);
}

void render_map_free(struct render_map *m)
{
	size_t i;

	if (!m)
		return;
	free(m->title);
	free(m->subtitle);
	free(m->note);
	free(m->creator);
	free(m->level);
	free(m->indicator);
	geo_proj_free(m->proj);
	render_basemap_free(m->basemap);
	geo_areas_free(m->areas);
	geo_assets_free(m->assets);
	free(m->area_class);
	for (i = 0; i < m->ncats; i++) {
		free(m->cats[i].code);
		free(m->cats[i].name);
	}
	free(m->cats);
	free(m->shown);
	free(m->value_label);
	free(m->value_note);
	free(m->filter_note);
	free(m->warning);
	free(m->advice);
	free(m->bivar_xname);
	free(m->bivar_yname);
	render_rings_free(m->deserts);
	free(m->desert_label);
	free(m->sym_size);
	for (i = 0; i < m->nclusters; i++)
		free(m->clusters[i].ncat);
	free(m->clusters);
	free(m->asset_cluster);
	free(m->pstatus);
	free(m->subject);
	free(m->author);
	render_context_free(m->context);
	free_rows(m);
	render_fonts_release(&m->fonts);
	free(m);
}

/* ---------------------------------------------------------------------
 * Questions
 * ------------------------------------------------------------------ */

int render_map_device_xy(const struct render_map *m, double lon, double lat,
			 double *x, double *y, struct core_err *err)
{
	double X = lon, Y = lat, px, py;
	int rc;

	if ((rc = geo_proj_fwd(m->proj, &X, &Y, 1, err)))
		return rc;
	render_to_page(m, X, Y, &px, &py);
	*x = px * m->dev;
	*y = py * m->dev;
	return CORE_OK;
}

int render_map_ground_xy(const struct render_map *m, double lon, double lat,
			 double *x, double *y, struct core_err *err)
{
	*x = lon;
	*y = lat;
	return geo_proj_fwd(m->proj, x, y, 1, err);
}

const struct geo_areas *render_map_areas(const struct render_map *m)
{
	return m->areas;
}

double render_map_area_value(const struct render_map *m, size_t i)
{
	return i < m->areas->n ? m->areas->value[i] : NAN;
}

void render_map_device_size(const struct render_map *m, double *w, double *h)
{
	*w = m->page_w * m->dev;
	*h = m->page_h * m->dev;
}

const char *render_map_indicator(const struct render_map *m)
{
	return m->indicator;
}

const char *render_map_title(const struct render_map *m)
{
	return m->title;
}

const char *render_map_crs_label(const struct render_map *m)
{
	return geo_proj_label(m->proj);
}

size_t render_map_area_count(const struct render_map *m)
{
	return m->areas->n;
}

const struct render_classes *render_map_classes(const struct render_map *m)
{
	return &m->classes;
}

uint32_t render_map_class_color(const struct render_map *m, int c)
{
	return render_class_fill(m, c);
}

size_t render_map_category_count(const struct render_map *m)
{
	return m->ncats;
}

const char *render_map_category_code(const struct render_map *m, size_t i)
{
	return i < m->ncats ? m->cats[i].code : NULL;
}

uint32_t render_map_category_color(const struct render_map *m, size_t i)
{
	return i < m->ncats ? m->cats[i].color : 0;
}

enum render_shape render_map_category_shape(const struct render_map *m,
					    size_t i)
{
	return i < m->ncats ? m->cats[i].shape : RENDER_CIRCLE;
}

size_t render_map_category_assets(const struct render_map *m, size_t i)
{
	return i < m->ncats ? m->cats[i].count : 0;
}

size_t render_map_assets_outside(const struct render_map *m)
{
	return m->outside;
}

double render_map_scale_bar_length(const struct render_map *m)
{
	return m->bar_units;
}

const char *render_map_warning(const struct render_map *m)
{
	return m->warning;
}

const char *render_map_advice(const struct render_map *m)
{
	return m->advice;
}

double render_map_hex_width(const struct render_map *m)
{
	return m->hex_width;
}

const char *render_map_area_geoid(const struct render_map *m, size_t i)
{
	return i < m->areas->n ? m->areas->geoid[i] : NULL;
}

int render_map_area_class(const struct render_map *m, size_t i)
{
	return i < m->areas->n ? m->area_class[i] : RENDER_CLASS_NODATA;
}

size_t render_map_suppressed_count(const struct render_map *m)
{
	return m->nsuppressed;
}

size_t render_map_nodata_count(const struct render_map *m)
{
	return m->nnodata;
}

int render_map_is_bivariate(const struct render_map *m)
{
	return m->shade == SHADE_BIVAR;
}

size_t render_map_cluster_count(const struct render_map *m)
{
	return m->nclusters;
}

void render_map_cluster(const struct render_map *m, size_t i, double *x,
			double *y, size_t *n)
{
	*x = i < m->nclusters ? m->clusters[i].px * m->dev : NAN;
	*y = i < m->nclusters ? m->clusters[i].py * m->dev : NAN;
	*n = i < m->nclusters ? m->clusters[i].n : 0;
}

int render_map_partners(const struct render_map *m, size_t *current,
			size_t *prospective, size_t *other)
{
	*current = m->nstatus[1];
	*prospective = m->nstatus[2];
	*other = m->nstatus[0];
	return m->pstatus != NULL;
}

size_t render_map_desert_rings(const struct render_map *m)
{
	return m->deserts ? m->deserts->n : 0;
}

const char *render_map_desert_label(const struct render_map *m)
{
	return m->desert_label;
}
