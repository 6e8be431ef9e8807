/*
 * render_profile.c - the stakeholder profile: the partnership register
 * on one page (see render_profile.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "render/render_chart.h"
#include "render/render_file.h"
#include "render/render_map.h"
#include "render/render_profile.h"
#include "render/render_text.h"

#define PAGE_W 792.0
#define PAGE_H 612.0
#define MARGIN 36.0
#define GUTTER 28.0
#define INK    0x222222u
#define GREY   0x666666u
#define RULE   0x888888u

#define NS RENDER_PROFILE_NSTATUS
#define NL RENDER_PROFILE_NLEVEL

/* Current, prospective, former: Okabe and Ito's blue and sky blue, and a
 * grey; the bars also keep their order in every group. */
static const uint32_t status_color[NS] = {0x0072b2, 0x56b4e9, 0xb0b0b0};

struct page {
	const struct render_profile *p;
	struct render_chart *ch;
	cairo_t *cr;
	char day[16];
};

static double heading(struct page *pg, const char *s, double x, double y,
		      double w)
{
	return 4 + render_chart_text(pg->ch, pg->cr, s, x, y, 11.5, 1, w, INK);
}

/* The domains: one group of NS bars per domain; returns the height. */
static double draw_domains(struct page *pg, double x, double y0, double w)
{
	const struct render_profile *p = pg->p;
	cairo_t *cr = pg->cr;
	const double bar = 7.5, gap = 7, size = 8.5;
	double lw = 0, tw = 0, bx, span, y = y0, vmax = 0;
	char buf[32];
	size_t d;
	int s;

	y += heading(pg, "Partners by SDOH domain and status", x, y, w);
	/* the key */
	{
		double kx = x;

		for (s = 0; s < NS; s++) {
			double a;

			render_set_rgb(cr, status_color[s]);
			cairo_rectangle(cr, kx, y + 2, 10, 8);
			cairo_fill(cr);
			render_chart_text(pg->ch, cr, p->status_words[s],
					  kx + 13, y, size, 0, 0, INK);
			render_chart_text_size(pg->ch, cr, p->status_words[s],
					       size, 0, &a, NULL);
			kx += 13 + a + 14;
		}
		y += 16;
	}
	for (d = 0; d < p->ndomains; d++) {
		double a;

		render_chart_text_size(pg->ch, cr, p->domains[d].name, size, 0,
				       &a, NULL);
		lw = fmax(lw, a);
		for (s = 0; s < NS; s++) {
			snprintf(buf, sizeof(buf), "%lld",
				 (long long)p->domains[d].count[s]);
			render_chart_text_size(pg->ch, cr, buf, size, 0, &a,
					       NULL);
			tw = fmax(tw, a);
			vmax = fmax(vmax, (double)p->domains[d].count[s]);
		}
	}
	lw = fmin(lw, w * 0.45);
	bx = x + lw + 8;
	span = w - (bx - x) - tw - 6;
	for (d = 0; d < p->ndomains; d++) {
		const double gh = NS * bar;
		double th;

		render_chart_text_size(pg->ch, cr, p->domains[d].name, size, 0,
				       NULL, &th);
		render_chart_text(pg->ch, cr, p->domains[d].name, x,
				  y + (gh - th) / 2, size, 0, lw, INK);
		for (s = 0; s < NS; s++) {
			double ry = y + s * bar, len = 0;
			int64_t n = p->domains[d].count[s];

			if (n > 0 && vmax > 0) {
				len = span * (double)n / vmax;
				render_set_rgb(cr, status_color[s]);
				cairo_rectangle(cr, bx, ry + 0.5, len, bar - 1);
				cairo_fill(cr);
			}
			snprintf(buf, sizeof(buf), "%lld", (long long)n);
			render_chart_text(pg->ch, cr, buf, bx + len + 3,
					  ry + (bar - size * 1.2) / 2,
					  size * 0.9, 0, 0, INK);
		}
		y += gh + gap;
	}
	render_set_rgb(cr, RULE);
	cairo_set_line_width(cr, 0.75);
	cairo_move_to(cr, bx, y0 + 36);
	cairo_line_to(cr, bx, y - gap);
	cairo_stroke(cr);
	if (p->domain_note)
		y += render_chart_text(pg->ch, cr, p->domain_note, x, y, 7, 0,
				       w, GREY);
	return y - y0;
}

/* A cell's fill: white to the current partners' blue by n / max. */
static uint32_t shade(int64_t n, int64_t max)
{
	double t = max > 0 ? (double)n / (double)max : 0;
	unsigned r0 = 0xff, g0 = 0xff, b0 = 0xff;
	unsigned r1 = 0x00, g1 = 0x72, b1 = 0xb2;
	unsigned r, g, b;

	if (n <= 0)
		return 0xffffff;
	t = 0.15 + 0.85 * t;
	r = (unsigned)lround(r0 + (r1 - (double)r0) * t);
	g = (unsigned)lround(g0 + (g1 - (double)g0) * t);
	b = (unsigned)lround(b0 + (b1 - (double)b0) * t);
	return (r << 16) | (g << 8) | b;
}

static void centred(struct page *pg, const char *s, double cx, double cy,
		    double size, int bold, uint32_t ink)
{
	double w, h;

	render_chart_text_size(pg->ch, pg->cr, s, size, bold, &w, &h);
	render_chart_text(pg->ch, pg->cr, s, cx - w / 2, cy - h / 2, size, bold,
			  0, ink);
}

/* The service x data matrix of current partners, with totals; returns
 * the height. */
static double draw_matrix(struct page *pg, double x, double y0, double w)
{
	const struct render_profile *p = pg->p;
	cairo_t *cr = pg->cr;
	const double size = 8.5, ch = 20;
	double rw = 0, cw, y = y0, a;
	int64_t max = 0, rowt[NL], colt[NL], all = 0;
	char buf[32];
	int i, j;

	y += heading(pg, "Current partners by service model and data level", x,
		     y, w);
	for (i = 0; i < NL; i++) {
		rowt[i] = colt[i] = 0;
		render_chart_text_size(pg->ch, cr, p->service_words[i], size, 0,
				       &a, NULL);
		rw = fmax(rw, a);
	}
	for (i = 0; i < NL; i++)
		for (j = 0; j < NL; j++) {
			int64_t n = p->matrix[i][j];

			rowt[i] += n;
			colt[j] += n;
			all += n;
			max = n > max ? n : max;
		}
	rw += 8;
	cw = (w - rw) / (NL + 1);
	/* the columns' heads: the data levels, then the total */
	render_chart_text(pg->ch, cr,
			  "service model \xe2\x86\x93  data \xe2\x86\x92", x,
			  y + 10, 7, 0, rw, GREY);
	for (j = 0; j <= NL; j++) {
		const char *h = j < NL ? p->data_words[j] : "total";

		render_chart_text(pg->ch, cr, h, x + rw + j * cw + 2, y, 7.5, 0,
				  cw - 4, INK);
	}
	y += 24;
	for (i = 0; i <= NL; i++) {
		const char *rh = i < NL ? p->service_words[i] : "total";
		double cy = y + ch / 2, th;

		render_chart_text_size(pg->ch, cr, rh, size, i == NL, NULL,
				       &th);
		render_chart_text(pg->ch, cr, rh, x, cy - th / 2, size, i == NL,
				  0, INK);
		for (j = 0; j <= NL; j++) {
			double cx = x + rw + j * cw;
			int64_t n = i < NL && j < NL ? p->matrix[i][j]
				    : i < NL	     ? rowt[i]
				    : j < NL	     ? colt[j]
						     : all;
			int total = i == NL || j == NL;
			uint32_t fill = total ? 0xf2f2f2 : shade(n, max);

			render_set_rgb(cr, fill);
			cairo_rectangle(cr, cx, y, cw, ch);
			cairo_fill_preserve(cr);
			render_set_rgb(cr, 0xffffff);
			cairo_set_line_width(cr, 1);
			cairo_stroke(cr);
			snprintf(buf, sizeof(buf), "%lld", (long long)n);
			centred(pg, buf, cx + cw / 2, cy, size + 1, total,
				!total && fill != 0xffffff &&
					(double)n > 0.5 * (double)max
				    ? 0xffffff
				: n == 0 ? 0x999999
					 : INK);
		}
		y += ch;
	}
	return y - y0;
}

/* The Community Supports: contracted, each with its detail, then the
 * missing ones by name; returns the height. */
static double draw_supports(struct page *pg, double x, double y0, double w)
{
	const struct render_profile *p = pg->p;
	cairo_t *cr = pg->cr;
	const double size = 8.5;
	size_t i, ncon = 0;
	double y = y0;
	char *t;

	for (i = 0; i < p->nsupports; i++)
		ncon += p->supports[i].partners > 0;
	y += heading(pg, "Medi-Cal Community Supports", x, y, w);
	t = xasprintf("Contracted: %zu of %zu", ncon, p->nsupports);
	y += 2 + render_chart_text(pg->ch, cr, t, x, y, size + 0.5, 1, w, INK);
	free(t);
	if (!ncon)
		y += render_chart_text(pg->ch, cr,
				       "No partner is recorded as contracted "
				       "for a Community Support.",
				       x + 8, y, size, 0, w - 8, GREY);
	for (i = 0; i < p->nsupports; i++) {
		const struct render_profile_support *s = &p->supports[i];

		if (s->partners <= 0)
			continue;
		render_set_rgb(cr, status_color[0]);
		cairo_rectangle(cr, x, y + 3, 5, 5);
		cairo_fill(cr);
		y += render_chart_text(pg->ch, cr, s->name, x + 9, y, size, 0,
				       w - 9, INK);
		if (s->detail)
			y += 1 + render_chart_text(pg->ch, cr, s->detail, x + 9,
						   y, size - 1, 0, w - 9, GREY);
	}
	y += 6;
	t = xasprintf("Missing (no partner contracted): %zu of %zu",
		      p->nsupports - ncon, p->nsupports);
	y += 2 + render_chart_text(pg->ch, cr, t, x, y, size + 0.5, 1, w, INK);
	free(t);
	for (i = 0; i < p->nsupports; i++)
		if (p->supports[i].partners <= 0) {
			render_set_rgb(cr, 0xffffff);
			cairo_rectangle(cr, x + 0.5, y + 3.5, 4, 4);
			render_set_rgb(cr, GREY);
			cairo_set_line_width(cr, 0.8);
			cairo_stroke(cr);
			y += render_chart_text(pg->ch, cr, p->supports[i].name,
					       x + 9, y, size, 0, w - 9, INK);
		}
	return y - y0;
}

/* s cut (with an ellipsis) to fit width w at size; caller frees. */
static char *fit(struct page *pg, const char *s, double size, double w)
{
	size_t n = strlen(s);
	char *t = xstrdup(s);
	double tw;

	render_chart_text_size(pg->ch, pg->cr, t, size, 0, &tw, NULL);
	while (tw > w && n > 1) {
		/* back up over a whole UTF-8 character */
		do
			n--;
		while (n > 1 && ((unsigned char)s[n] & 0xc0) == 0x80);
		free(t);
		t = xasprintf("%.*s\xe2\x80\xa6", (int)n, s);
		render_chart_text_size(pg->ch, pg->cr, t, size, 0, &tw, NULL);
	}
	return t;
}

/* The trusted resources as bars (names cut to the bar chart's label
 * column, 40% of w); returns the height. */
static double draw_trusted(struct page *pg, double x, double y0, double w,
			   double room)
{
	const struct render_profile *p = pg->p;
	struct render_chart_bar *bars = xcalloc(p->ntrusted + 1, sizeof(*bars));
	char **text = xcalloc(p->ntrusted + 1, sizeof(char *));
	char **label = xcalloc(p->ntrusted + 1, sizeof(char *));
	double y = y0, row;
	size_t i, shown = 0, more;

	y += heading(pg, "Trusted resources named in the environmental scan", x,
		     y, w);
	if (!p->ntrusted) {
		y += render_chart_text(pg->ch, pg->cr,
				       "No resource is recorded as named in "
				       "the scan ('assetmap import scan', "
				       "'add asset --trusted').",
				       x, y, 8.5, 0, w, GREY);
		goto cleanup;
	}
	/* as many as the room holds at 9 points a row or more */
	shown = p->ntrusted;
	row = fmin(14, (room - 30) / (double)shown);
	if (row < 9) {
		row = 9;
		shown = room > 39 ? (size_t)((room - 30) / row) : 1;
		if (shown > p->ntrusted)
			shown = p->ntrusted;
	}
	more = p->trusted_more + (p->ntrusted - shown);
	for (i = 0; i < shown; i++) {
		const struct render_profile_trusted *t = &p->trusted[i];

		text[i] = xasprintf("%lld time%s%s%s", (long long)t->times,
				    t->times == 1 ? "" : "s",
				    t->status ? ", " : ", not in the register",
				    t->status ? t->status : "");
		label[i] = fit(pg, t->name, row * 0.6, w * 0.4 - 2);
		bars[i].label = label[i];
		bars[i].value = (double)t->times;
		bars[i].text = text[i];
	}
	y += render_chart_bars(pg->ch, pg->cr, x, y, w, row, bars, shown,
			       status_color[0]);
	if (more) {
		char *m = xasprintf("and %zu more named", more);

		y += 3 + render_chart_text(pg->ch, pg->cr, m, x, y + 3, 8, 0, w,
					   GREY);
		free(m);
	}
cleanup:
	for (i = 0; i < shown; i++) {
		free(text[i]);
		free(label[i]);
	}
	free(text);
	free(label);
	free(bars);
	return y - y0;
}

static void draw_page(struct page *pg)
{
	const struct render_profile *p = pg->p;
	const double colw = (PAGE_W - 2 * MARGIN - GUTTER) / 2;
	const double rx = MARGIN + colw + GUTTER;
	double y, top, ry;
	char *note;

	render_set_rgb(pg->cr, 0xffffff);
	cairo_paint(pg->cr);
	y = MARGIN - 8;
	y += render_chart_text(pg->ch, pg->cr, p->title, MARGIN, y, 18, 1,
			       PAGE_W - 2 * MARGIN, INK);
	{
		char *sub = p->subtitle ? xasprintf("%s  \xc2\xb7  %s",
						    p->subtitle, pg->day)
					: xstrdup(pg->day);

		y += 2 + render_chart_text(pg->ch, pg->cr, sub, MARGIN, y + 2,
					   10, 0, PAGE_W - 2 * MARGIN, GREY);
		free(sub);
	}
	y += 12;
	top = y;
	y += 14 + draw_domains(pg, MARGIN, y, colw);
	draw_matrix(pg, MARGIN, y, colw);
	ry = top + 14 + draw_supports(pg, rx, top, colw);
	draw_trusted(pg, rx, ry, colw, PAGE_H - MARGIN - 30 - ry);
	note = xasprintf("%s%sProfile: %s, %s.", p->note ? p->note : "",
			 p->note ? " " : "",
			 p->creator ? p->creator : "assetmap", pg->day);
	render_chart_text(pg->ch, pg->cr, note, MARGIN, PAGE_H - MARGIN - 14, 7,
			  0, PAGE_W - 2 * MARGIN, GREY);
	free(note);
}

int render_profile_write(const struct render_profile *p, const char *path,
			 struct core_err *err)
{
	struct page pg;
	enum render_format fmt;
	struct render_file *f = NULL;
	struct render_doc doc;
	cairo_status_t st;
	double scale;
	struct tm tm;
	time_t when;
	int rc, fixed;

	memset(&pg, 0, sizeof(pg));
	if ((rc = render_format_of_path(path, &fmt, err)))
		return rc;
	pg.p = p;
	when = render_doc_date(p->date, &fixed);
	gmtime_r(&when, &tm);
	strftime(pg.day, sizeof(pg.day), "%Y-%m-%d", &tm);
	doc.title = p->title;
	doc.author = NULL;
	doc.subject = "Stakeholder profile of a coalition's partnership "
		      "register";
	doc.creator = p->creator;
	doc.date = when;
	doc.date_fixed = fixed;
	scale = fmt == RENDER_PNG ? RENDER_PROFILE_DPI / 72 : 1;
	if ((rc = render_file_open(path, fmt, PAGE_W, PAGE_H, scale, &doc, &f,
				   err)))
		return rc;
	pg.ch = render_chart_new();
	pg.cr = cairo_create(render_file_surface(f));
	st = cairo_status(pg.cr);
	if (st == CAIRO_STATUS_SUCCESS) {
		if (scale != 1)
			cairo_scale(pg.cr, scale, scale);
		draw_page(&pg);
		st = cairo_status(pg.cr);
	}
	cairo_destroy(pg.cr);
	render_chart_free(pg.ch);
	if (st != CAIRO_STATUS_SUCCESS) {
		rc = render_file_cairo_err(f, st, err);
		render_file_close(f, 0, NULL);
		return rc;
	}
	return render_file_close(f, 1, err);
}
