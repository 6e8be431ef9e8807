/*
 * render_rainbow.c - the SDOH rainbow: partners against the five SDOH
 * domains, read from the workspace and drawn on one page.
 */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "geo/geo_recruit.h"
#include "render/render_chart.h"
#include "render/render_draw.h"
#include "render/render_file.h"
#include "render/render_map.h"
#include "render/render_rainbow.h"
#include "render/render_text.h"

#define ND RENDER_RAINBOW_DOMAINS

/* Okabe and Ito (2008), "Color Universal Design": vermillion, orange,
 * yellow, bluish green, blue.  Told apart by the common colour
 * deficiencies; on the page every domain also has its own shape. */
const unsigned render_rainbow_colors[ND] = {0xd55e00, 0xe69f00, 0xf0e442,
					    0x009e73, 0x0072b2};
static const enum render_shape shapes[ND] = {RENDER_CIRCLE, RENDER_SQUARE,
					     RENDER_TRIANGLE, RENDER_DIAMOND,
					     RENDER_TRIANGLE_DOWN};

#define INK    0x222222u
#define GREY   0x555555u
#define STRIPE 0xf0f0f0u
/* An other partner's dot, when the register marks the others. */
#define FADED	   0xe8e8e8u
#define FADED_RING 0xa6a6a6u

/* ---------------------------------------------------------------------
 * Load
 * ------------------------------------------------------------------ */

void render_rainbow_free(struct render_rainbow *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < ND; i++) {
		free(r->domain_code[i]);
		free(r->domain_name[i]);
	}
	for (i = 0; i < r->n; i++)
		free(r->p[i].name);
	free(r->p);
	free(r->sources);
	free(r);
}

static int cmp_partner(const void *a, const void *b)
{
	const struct render_rainbow_partner *x = a, *y = b;
	int c;

	if (x->ndomains != y->ndomains)
		return y->ndomains - x->ndomains;
	if (x->nassets != y->nassets)
		return x->nassets < y->nassets ? 1 : -1;
	if ((c = strcasecmp(x->name, y->name)))
		return c;
	return strcmp(x->name, y->name);
}

static int load_domains(struct core_ws *ws, struct render_rainbow *r,
			struct core_err *err)
{
	sqlite3_stmt *st;
	int n = 0, step, rc;

	if ((rc = core_ws_prepare(
		 ws, err, &st,
		 "SELECT code, name FROM sdoh_domains ORDER BY sort, code")))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n < ND) {
			r->domain_code[n] =
			    xstrdup((const char *)sqlite3_column_text(st, 0));
			r->domain_name[n] =
			    xstrdup((const char *)sqlite3_column_text(st, 1));
		}
		n++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return core_ws_dberr(ws, err, "reading sdoh_domains");
	if (n != ND)
		return core_err_set(
		    err, CORE_EFORMAT,
		    "workspace %s: table sdoh_domains holds %d domains; the "
		    "rainbow needs the five of Healthy People 2030 "
		    "(data/taxonomy/sdoh_domains.csv)",
		    ws->path, n);
	return CORE_OK;
}

int render_rainbow_load(struct core_ws *ws, const char *const *cats,
			size_t ncats, long min_assets,
			struct render_rainbow **out, struct core_err *err)
{
	struct render_rainbow *r = xcalloc(1, sizeof(*r));
	struct core_buf sql = CORE_BUF_INIT;
	struct render_rainbow_partner *cur = NULL;
	sqlite3_stmt *st = NULL;
	char *key = NULL;
	sqlite3_int64 last_id = -1;
	size_t cap = 0, i, keep;
	int rc, step, d;

	*out = NULL;
	if ((rc = load_domains(ws, r, err)))
		goto cleanup;
	{
		int64_t rows = 0;

		if ((rc = core_ws_int(ws, err, "SELECT count(*) FROM partners",
				      &rows)))
			goto cleanup;
		r->registered = rows > 0;
	}
	/* One row per asset and domain it serves, grouped by partner. */
	core_buf_adds(
	    &sql, "WITH x AS (SELECT DISTINCT a.id AS id,"
		  " COALESCE(NULLIF(TRIM(a.organization), ''), TRIM(a.name))"
		  "  AS partner, a.formal AS formal, c.domain AS domain,"
		  " p.status AS status"
		  " FROM assets a"
		  " JOIN asset_categories ac ON ac.asset_id = a.id"
		  " JOIN categories c ON c.code = ac.category"
		  " LEFT JOIN partners p ON p.asset_id = a.id");
	for (i = 0; i < ncats; i++)
		core_buf_adds(&sql, i ? ", ?" : " WHERE ac.category IN (?");
	if (ncats)
		core_buf_adds(&sql, ")");
	core_buf_adds(&sql,
		      ") SELECT lower(partner), id, partner, formal, domain,"
		      " status FROM x WHERE partner <> ''"
		      " ORDER BY 1, id, domain");
	if ((rc = core_ws_prepare(ws, err, &st, core_buf_str(&sql))))
		goto cleanup;
	for (i = 0; i < ncats; i++)
		sqlite3_bind_text(st, (int)i + 1, cats[i], -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		sqlite3_int64 id = sqlite3_column_int64(st, 1);
		const char *dom = (const char *)sqlite3_column_text(st, 4);

		if (!key || strcmp(key, k) != 0) {
			free(key);
			key = xstrdup(k);
			xgrow((void **)&r->p, &cap, r->n + 1, sizeof(*r->p));
			cur = &r->p[r->n++];
			memset(cur, 0, sizeof(*cur));
			cur->name =
			    xstrdup((const char *)sqlite3_column_text(st, 2));
			last_id = -1;
		}
		if (id != last_id) {
			const char *ps =
			    (const char *)sqlite3_column_text(st, 5);

			cur->nassets++;
			if (sqlite3_column_int(st, 3) == 0)
				cur->informal++;
			/* the best standing of its assets */
			if (ps && strcmp(ps, "current") == 0)
				cur->status = GEO_PARTNER_CURRENT;
			else if (ps && strcmp(ps, "prospective") == 0 &&
				 cur->status != GEO_PARTNER_CURRENT)
				cur->status = GEO_PARTNER_PROSPECTIVE;
			last_id = id;
		}
		for (d = 0; d < ND; d++)
			if (dom && strcmp(dom, r->domain_code[d]) == 0)
				cur->assets[d]++;
	}
	if (step != SQLITE_DONE) {
		rc = core_ws_dberr(ws, err, "reading assets and categories");
		goto cleanup;
	}
	/* Keep those with enough assets; count per domain. */
	for (i = keep = 0; i < r->n; i++) {
		struct render_rainbow_partner *p = &r->p[i];

		if ((long)p->nassets < min_assets) {
			free(p->name);
			continue;
		}
		for (d = 0; d < ND; d++) {
			if (!p->assets[d])
				continue;
			p->ndomains++;
			r->domain_partners[d]++;
			r->domain_assets[d] += p->assets[d];
		}
		r->nassets += p->nassets;
		r->nstatus[p->status]++;
		r->p[keep++] = *p;
	}
	r->n = keep;
	qsort(r->p, r->n, sizeof(*r->p), cmp_partner);
	r->sources = render_source_names(ws, "assets");
	*out = r;
	r = NULL;
cleanup:
	sqlite3_finalize(st);
	free(key);
	core_buf_release(&sql);
	render_rainbow_free(r);
	return rc;
}

/* ---------------------------------------------------------------------
 * Drawing
 * ------------------------------------------------------------------ */

#define PAGE_W	792.0
#define PAGE_H	612.0
#define MARGIN	36.0
#define PNG_DPI 150.0

struct page {
	const struct render_rainbow *r;
	const struct render_rainbow_spec *spec;
	struct render_chart *ch;
	const char *title;
	char *subtitle;
	char *note;
	size_t top; /* partners shown */
};

/* Short column headings for the grid, by the taxonomy's codes. */
static const char *short_name(const struct render_rainbow *r, int d)
{
	static const char *const known[][2] = {
	    {"economic_stability", "Economic stability"},
	    {"education_access", "Education"},
	    {"health_care_access", "Health care"},
	    {"neighborhood_built_environment", "Neighborhood"},
	    {"social_community_context", "Social & community"},
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(r->domain_code[d], known[i][0]) == 0)
			return known[i][1];
	return r->domain_name[d];
}

/* A text centred on x, y (its middle). */
static void text_centred(struct page *pg, cairo_t *cr, const char *s, double x,
			 double y, double size, int bold, uint32_t ink)
{
	double w, h;

	render_chart_text_size(pg->ch, cr, s, size, bold, &w, &h);
	render_chart_text(pg->ch, cr, s, x - w / 2, y - h / 2, size, bold, 0,
			  ink);
}

/* s cut (with an ellipsis) to fit width w at size; caller frees. */
static char *fit(struct page *pg, cairo_t *cr, const char *s, double size,
		 double w)
{
	size_t n = strlen(s);
	char *t = xstrdup(s);
	double tw;

	render_chart_text_size(pg->ch, cr, t, size, 0, &tw, NULL);
	while (tw > w && n > 1) {
		/* back up over a whole UTF-8 character */
		do
			n--;
		while (n > 1 && ((unsigned char)s[n] & 0xc0) == 0x80);
		free(t);
		t = xasprintf("%.*s\xe2\x80\xa6", (int)n, s);
		render_chart_text_size(pg->ch, cr, t, size, 0, &tw, NULL);
	}
	return t;
}

/* A numbered dot: a partner's rank (or "+k") at x, y, marked by its
 * status (enum geo_partner_status; -1: none, the "+k" dot) when the
 * workspace has a register: current filled dark with a white number,
 * prospective a thick ring, other faded.  Without a register, or with
 * status -1, a plain white dot. */
static void dot(struct page *pg, cairo_t *cr, double x, double y, double rad,
		const char *label, int status)
{
	uint32_t fill = 0xffffff, ring = INK, ink = INK;
	double width = 0.6;

	if (pg->r->registered && status == GEO_PARTNER_CURRENT) {
		fill = INK;
		ink = 0xffffff;
	} else if (pg->r->registered && status == GEO_PARTNER_PROSPECTIVE) {
		width = 0.24 * rad;
	} else if (pg->r->registered && status >= 0) {
		fill = FADED;
		ring = FADED_RING;
		ink = GREY;
	}
	cairo_new_path(cr);
	/* a thick ring stays inside the dot's size */
	cairo_arc(cr, x, y, rad - (width - 0.6) / 2, 0, 2 * M_PI);
	render_set_rgb(cr, fill);
	cairo_fill_preserve(cr);
	render_set_rgb(cr, ring);
	cairo_set_line_width(cr, width);
	cairo_stroke(cr);
	text_centred(pg, cr, label, x, y, rad * 1.05, status == 1, ink);
}

/* The key of the partners' marks by status, with their counts, or a
 * line saying how to record a register; returns the bottom y. */
static double draw_status_key(struct page *pg, cairo_t *cr, double x0, double y,
			      double w)
{
	static const struct {
		int status;
		const char *one, *many;
	} rows[] = {
	    {GEO_PARTNER_CURRENT, "current partner", "current partners"},
	    {GEO_PARTNER_PROSPECTIVE, "prospective partner",
	     "prospective partners"},
	    {GEO_PARTNER_UNAFFILIATED,
	     "other: former, none or not in "
	     "the register",
	     "others: former, none or not in the register"}};
	const struct render_rainbow *r = pg->r;
	char buf[160];
	size_t k;

	if (!r->registered)
		return y + render_chart_text(
			       pg->ch, cr,
			       "No partnership register: 'assetmap import "
			       "partners' or 'assetmap partner set' marks "
			       "current and prospective partners here.",
			       x0, y, 7.5, 0, w, GREY);
	y += render_chart_text(pg->ch, cr,
			       "Partnership status, from the register", x0, y,
			       8, 1, w, INK);
	y += 3;
	for (k = 0; k < 3; k++) {
		size_t n = r->nstatus[rows[k].status];

		dot(pg, cr, x0 + 8, y + 6.5, 6.5, "", rows[k].status);
		snprintf(buf, sizeof(buf), "%zu %s", n,
			 n == 1 ? rows[k].one : rows[k].many);
		render_chart_text(pg->ch, cr, buf, x0 + 22, y + 1, 8.5, 0, 0,
				  INK);
		y += 16;
	}
	return y;
}

/* The arcs, the dots and the key; returns the bottom y. */
static double draw_rainbow(struct page *pg, cairo_t *cr, double x0, double y0,
			   double w)
{
	const struct render_rainbow *r = pg->r;
	const double R = w / 2 - 8, bw = (R - 34) / ND, rad = 6.5;
	const double cx = x0 + w / 2, cy = y0 + R;
	double y;
	char buf[64];
	int d;

	for (d = 0; d < ND; d++) {
		double ro = R - d * bw, ri = ro - bw, rm = (ro + ri) / 2;
		size_t m = 0, i, j, cap, shown, slots;
		double a;

		cairo_new_path(cr);
		cairo_arc(cr, cx, cy, ro, M_PI, 2 * M_PI);
		cairo_arc_negative(cr, cx, cy, ri, 2 * M_PI, M_PI);
		cairo_close_path(cr);
		render_set_rgb(cr, render_rainbow_colors[d]);
		cairo_fill_preserve(cr);
		render_set_rgb(cr, 0xffffff);
		cairo_set_line_width(cr, 1.5);
		cairo_stroke(cr);
		/* the count at the left foot, the shape at the right */
		snprintf(buf, sizeof(buf), "%zu", r->domain_partners[d]);
		text_centred(pg, cr, buf, cx - rm, cy + 8, 9, 1, INK);
		render_draw_symbol(cr, shapes[d], cx + rm, cy + 8, 9,
				   render_rainbow_colors[d], 0.8);
		/* the shown partners serving d, along the band */
		for (i = 0; i < pg->top; i++)
			m += r->p[i].assets[d] > 0;
		if (!m)
			continue;
		/* as many dots as the band holds; the last says "+k" when
		 * there are more */
		cap = (size_t)floor(M_PI * rm / (2 * rad + 1.5));
		slots = m <= cap ? m : cap;
		shown = m <= cap ? m : cap - 1;
		for (i = 0, j = 0; i < pg->top && j < shown; i++) {
			if (!r->p[i].assets[d])
				continue;
			a = M_PI + M_PI * ((double)j + 0.5) / (double)slots;
			snprintf(buf, sizeof(buf), "%zu", i + 1);
			dot(pg, cr, cx + rm * cos(a), cy + rm * sin(a), rad,
			    buf, r->p[i].status);
			j++;
		}
		if (shown < m) {
			a = M_PI + M_PI * ((double)shown + 0.5) / (double)slots;
			snprintf(buf, sizeof(buf), "+%zu", m - shown);
			dot(pg, cr, cx + rm * cos(a), cy + rm * sin(a), rad,
			    buf, -1);
		}
	}
	y = cy + 22;
	/* the key: colour, shape, name, counts */
	for (d = 0; d < ND; d++) {
		render_set_rgb(cr, render_rainbow_colors[d]);
		cairo_rectangle(cr, x0, y, 22, 13);
		cairo_fill(cr);
		render_draw_symbol(cr, shapes[d], x0 + 11, y + 6.5, 8, 0xffffff,
				   0.8);
		render_chart_text(pg->ch, cr, r->domain_name[d], x0 + 28,
				  y + 0.5, 9, 1, 0, INK);
		snprintf(buf, sizeof(buf), "%zu partner%s, %zu asset%s",
			 r->domain_partners[d],
			 r->domain_partners[d] == 1 ? "" : "s",
			 r->domain_assets[d],
			 r->domain_assets[d] == 1 ? "" : "s");
		render_chart_text(pg->ch, cr, buf, x0 + 28, y + 11.5, 8, 0, 0,
				  GREY);
		y += 28;
	}
	y += render_chart_text(
	    pg->ch, cr,
	    "Each arc is one domain, its number of partners at its left foot. "
	    "A numbered dot is a partner of the grid that serves the domain.",
	    x0, y, 7.5, 0, w, GREY);
	return draw_status_key(pg, cr, x0, y + 8, w);
}

/* The partner x domain grid; returns the y under it. */
static double draw_grid(struct page *pg, cairo_t *cr, double x0, double y0,
			double w, double bottom)
{
	const struct render_rainbow *r = pg->r;
	const double colw = 27, numw = 20;
	const double namew = w - numw - ND * colw;
	double rowh, y, tw, headh = 0;
	char buf[64];
	size_t i;
	int d;

	/* tall enough for the longest rotated heading */
	for (d = 0; d < ND; d++) {
		render_chart_text_size(pg->ch, cr, short_name(r, d), 8, 1, &tw,
				       NULL);
		if (tw > headh)
			headh = tw;
	}
	headh += 24;

	/* headings: rotated names over a shape */
	render_chart_text(pg->ch, cr, "Partner", x0 + numw, y0 + headh - 13, 9,
			  1, 0, INK);
	for (d = 0; d < ND; d++) {
		double cx = x0 + numw + namew + (d + 0.5) * colw;

		cairo_save(cr);
		cairo_translate(cr, cx - 5, y0 + headh - 18);
		cairo_rotate(cr, -M_PI / 2);
		render_chart_text(pg->ch, cr, short_name(r, d), 0, 0, 8, 1, 0,
				  INK);
		cairo_restore(cr);
		render_draw_symbol(cr, shapes[d], cx, y0 + headh - 8, 8,
				   render_rainbow_colors[d], 0.8);
	}
	y = y0 + headh;
	render_set_rgb(cr, INK);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, x0, y);
	cairo_line_to(cr, x0 + w, y);
	cairo_stroke(cr);
	if (!pg->top) {
		render_chart_text(pg->ch, cr,
				  "No partners: no asset has a category.", x0,
				  y + 6, 9, 0, 0, INK);
		return y + 20;
	}
	rowh = (bottom - y) / (double)pg->top;
	if (rowh > 16)
		rowh = 16;
	for (i = 0; i < pg->top; i++) {
		const struct render_rainbow_partner *p = &r->p[i];
		double size = rowh * 0.58 > 9 ? 9 : rowh * 0.58;
		double cy = y + rowh / 2, th;
		char *name;

		if (i % 2) {
			render_set_rgb(cr, STRIPE);
			cairo_rectangle(cr, x0, y, w, rowh);
			cairo_fill(cr);
		}
		snprintf(buf, sizeof(buf), "%zu", i + 1);
		if (r->registered) {
			/* the rank in the partner's dot, as on the arcs */
			double rad = fmin(6.5, rowh * 0.45);

			dot(pg, cr, x0 + numw - 5 - rad, cy, rad, buf,
			    p->status);
		} else {
			render_chart_text_size(pg->ch, cr, buf, size, 0, &tw,
					       &th);
			render_chart_text(pg->ch, cr, buf, x0 + numw - 5 - tw,
					  cy - th / 2, size, 0, 0, GREY);
		}
		name = fit(pg, cr, p->name, size, namew - 6);
		render_chart_text_size(pg->ch, cr, name, size, 0, NULL, &th);
		render_chart_text(pg->ch, cr, name, x0 + numw, cy - th / 2,
				  size, 0, 0, INK);
		free(name);
		for (d = 0; d < ND; d++) {
			double cx = x0 + numw + namew + (d + 0.5) * colw;

			if (!p->assets[d])
				continue;
			render_draw_symbol(cr, shapes[d], cx - 4, cy,
					   rowh * 0.62,
					   render_rainbow_colors[d], 0.7);
			snprintf(buf, sizeof(buf), "%zu", p->assets[d]);
			render_chart_text_size(pg->ch, cr, buf, size * 0.85, 0,
					       NULL, &th);
			render_chart_text(pg->ch, cr, buf, cx - 4 + rowh * 0.4,
					  cy - th / 2, size * 0.85, 0, 0, GREY);
		}
		y += rowh;
	}
	render_set_rgb(cr, INK);
	cairo_set_line_width(cr, 0.5);
	cairo_move_to(cr, x0, y);
	cairo_line_to(cr, x0 + w, y);
	cairo_stroke(cr);
	return y;
}

static void draw_page(struct page *pg, cairo_t *cr)
{
	const double right = 412, gridw = PAGE_W - MARGIN - right;
	double y, bottom;
	char *more = NULL;

	render_set_rgb(cr, 0xffffff);
	cairo_paint(cr);
	y = MARGIN - 8;
	y += render_chart_text(pg->ch, cr, pg->title, MARGIN, y, 18, 1,
			       PAGE_W - 2 * MARGIN, INK);
	y += 2 + render_chart_text(pg->ch, cr, pg->subtitle, MARGIN, y + 2, 10,
				   0, PAGE_W - 2 * MARGIN, GREY);
	y += 12;
	draw_rainbow(pg, cr, MARGIN, y + 6, right - MARGIN - 24);
	if (pg->r->n > pg->top)
		more = xasprintf("and %zu more partner%s not shown (assetmap "
				 "rainbow --top N shows more)",
				 pg->r->n - pg->top,
				 pg->r->n - pg->top == 1 ? "" : "s");
	bottom = PAGE_H - MARGIN - 34 - (more ? 14 : 0);
	y = draw_grid(pg, cr, right, y + 4, gridw, bottom);
	if (more)
		render_chart_text(pg->ch, cr, more, right, y + 4, 8, 0, gridw,
				  INK);
	free(more);
	render_chart_text(pg->ch, cr, pg->note, MARGIN, PAGE_H - MARGIN - 22, 7,
			  0, PAGE_W - 2 * MARGIN, GREY);
}

/* ---------------------------------------------------------------------
 * Output, through render_file: a temporary file renamed into place.
 * ------------------------------------------------------------------ */

static int draw_to(struct page *pg, struct render_file *f, double scale,
		   struct core_err *err)
{
	cairo_t *cr = cairo_create(render_file_surface(f));
	cairo_status_t st = cairo_status(cr);

	if (st == CAIRO_STATUS_SUCCESS) {
		if (scale != 1)
			cairo_scale(cr, scale, scale);
		draw_page(pg, cr);
		st = cairo_status(cr);
	}
	cairo_destroy(cr);
	if (st != CAIRO_STATUS_SUCCESS)
		return render_file_cairo_err(f, st, err);
	return CORE_OK;
}

int render_rainbow_write(const struct render_rainbow *r,
			 const struct render_rainbow_spec *spec,
			 const char *path, struct core_err *err)
{
	struct page pg;
	enum render_format fmt;
	struct render_file *f = NULL;
	struct render_doc doc;
	char day[16];
	double scale;
	struct tm tm;
	time_t when;
	int rc, fixed;
	size_t informal = 0, i;

	memset(&pg, 0, sizeof(pg));
	if ((rc = render_format_of_path(path, &fmt, err)))
		return rc;
	pg.r = r;
	pg.spec = spec;
	pg.top = spec->top ? spec->top : RENDER_RAINBOW_TOP;
	if (pg.top > r->n)
		pg.top = r->n;
	pg.title =
	    spec->title && *spec->title
		? spec->title
		: "Coalition partners across the social determinants of health";
	for (i = 0; i < r->n; i++)
		informal += r->p[i].informal;
	pg.subtitle =
	    spec->subtitle
		? xstrdup(spec->subtitle)
		: xasprintf(
		      "%zu partner%s with %zu asset%s, by the Healthy People "
		      "2030 domains they serve%s",
		      r->n, r->n == 1 ? "" : "s", r->nassets,
		      r->nassets == 1 ? "" : "s",
		      r->n > pg.top
			  ? "; the grid shows those serving the most domains"
			  : "");
	if (!spec->subtitle && r->registered) {
		char *t = pg.subtitle;

		pg.subtitle = xasprintf(
		    "%s. %zu current and %zu prospective partner%s", t,
		    r->nstatus[GEO_PARTNER_CURRENT],
		    r->nstatus[GEO_PARTNER_PROSPECTIVE],
		    r->nstatus[GEO_PARTNER_PROSPECTIVE] == 1 ? "" : "s");
		free(t);
	}
	when = render_doc_date(spec->date, &fixed);
	gmtime_r(&when, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	pg.note = xasprintf(
	    "Partners: each asset's organization, or its name where it has "
	    "none. A partner serves a domain when one of its assets has a "
	    "category in it (the assetmap taxonomy); the numbers in the grid "
	    "are its assets there.%s Domains: Healthy People 2030, "
	    "U.S. Department of Health and Human Services. Sources: %s%s%s. "
	    "Chart: %s, %s.",
	    r->registered ? " Status: the best of its assets' in the "
			    "partnership register."
			  : "",
	    r->sources ? r->sources : "none recorded",
	    informal ? "; informal assets added by hand" : "",
	    r->registered ? "; the partnership register" : "",
	    spec->creator ? spec->creator : "assetmap", day);
	pg.ch = render_chart_new();

	doc.title = pg.title;
	doc.author = NULL;
	doc.subject =
	    "Coalition partners by social determinants of health domain";
	doc.creator = spec->creator;
	doc.date = when;
	doc.date_fixed = fixed;
	scale = fmt == RENDER_PNG ? PNG_DPI / 72 : 1;
	if ((rc = render_file_open(path, fmt, PAGE_W, PAGE_H, scale, &doc, &f,
				   err)) == CORE_OK) {
		rc = draw_to(&pg, f, scale, err);
		if (rc != CORE_OK)
			render_file_close(f, 0, NULL);
		else
			rc = render_file_close(f, 1, err);
	}
	render_chart_free(pg.ch);
	free(pg.subtitle);
	free(pg.note);
	return rc;
}
