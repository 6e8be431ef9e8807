/*
 * render_atlas.c - the map book: cover, ranking chart, a map and a table
 * per category, in one PDF.
 * Written through render_file (temporary file, rename, PDF metadata).
 */
#include <cairo-pdf.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "render/render_atlas.h"
#include "render/render_file.h"

#define MARGIN	  54.0
#define INK	  0x222222u
#define GREY	  0x666666u
#define BAR_COLOR 0x3182bdu

double render_atlas_map_height(double page_h)
{
	return floor(page_h * RENDER_ATLAS_MAP_SHARE);
}

/* ---------------------------------------------------------------------
 * Pages
 * ------------------------------------------------------------------ */

struct book {
	const struct render_atlas_spec *s;
	struct render_chart *ch;
	cairo_t *cr;
	size_t page, npages;
	char date[32];
};

static void footer(struct book *b)
{
	char *t = xasprintf("%s  \xc2\xb7  page %zu of %zu", b->s->title,
			    b->page, b->npages);
	double w, h, size = 7.5;

	render_chart_text_size(b->ch, b->cr, t, size, 0, &w, &h);
	render_chart_text(b->ch, b->cr, t, (b->s->page_w - w) / 2,
			  b->s->page_h - MARGIN / 2 - h, size, 0, 0, GREY);
	free(t);
}

/* The pages after the category pages: the network's and the picks'. */
static size_t nextra(const struct render_atlas_spec *s)
{
	return s->network_title ? 1 + (s->picks_title != NULL) : 0;
}

/* Draw the atlas's cover page on b's current page: title, subtitle (if
 * any), date, the cover lines, and a table of contents numbering the
 * chart page 2 and the map pages after it. */
static void draw_cover(struct book *b)
{
	const struct render_atlas_spec *s = b->s;
	double w = s->page_w - 2 * MARGIN, y = MARGIN * 1.5;
	double big = fmin(30, fmax(20, s->page_w * 0.045));
	struct render_chart_table toc;
	const char **cells;
	static const char *const head[] = {"Page", "Contents"};
	static const enum render_chart_align al[] = {RENDER_ALIGN_RIGHT,
						     RENDER_ALIGN_LEFT};
	char **nums;
	size_t i, n = 1 + s->npages + nextra(s);

	y += render_chart_text(b->ch, b->cr, s->title, MARGIN, y, big, 1, w,
			       INK);
	if (s->subtitle)
		y += 4 + render_chart_text(b->ch, b->cr, s->subtitle, MARGIN,
					   y + 4, big * 0.55, 0, w, GREY);
	y += 6 + render_chart_text(b->ch, b->cr, b->date, MARGIN, y + 6, 10, 0,
				   w, GREY);
	y += 18;
	for (i = 0; i < s->ncover; i++)
		y += 8 + render_chart_text(b->ch, b->cr, s->cover[i], MARGIN, y,
					   10.5, 0, w, INK);
	y += 16;
	y += 6 + render_chart_text(b->ch, b->cr, "Contents", MARGIN, y, 14, 1,
				   w, INK);
	cells = xcalloc(2 * n + 1, sizeof(*cells));
	nums = xcalloc(n + 1, sizeof(*nums));
	for (i = 0; i < n; i++) {
		nums[i] = xasprintf("%zu", i + 2);
		cells[2 * i] = nums[i];
		cells[2 * i + 1] = i == 0	    ? s->chart_title
				   : i <= s->npages ? s->pages[i - 1].heading
				   : i == s->npages + 1 ? s->network_title
							: s->picks_title;
	}
	memset(&toc, 0, sizeof(toc));
	toc.ncols = 2;
	toc.nrows = n;
	toc.head = head;
	toc.cell = cells;
	toc.align = al;
	render_chart_table_draw(b->ch, b->cr, MARGIN, y, fmin(w, 360), 10,
				&toc);
	for (i = 0; i < n; i++)
		free(nums[i]);
	free(nums);
	free(cells);
}

static void draw_chart(struct book *b)
{
	const struct render_atlas_spec *s = b->s;
	double w = s->page_w - 2 * MARGIN, y = MARGIN, row, room;

	y += 6 + render_chart_text(b->ch, b->cr, s->chart_title, MARGIN, y, 20,
				   1, w, INK);
	if (s->chart_caption)
		y += 12 + render_chart_text(b->ch, b->cr, s->chart_caption,
					    MARGIN, y, 10.5, 0, w, INK);
	room = s->page_h - y - MARGIN * 2.5;
	row = s->nbars ? fmin(20, room / (double)s->nbars) : 20;
	y += 12 + render_chart_bars(b->ch, b->cr, MARGIN, y, w, row, s->bars,
				    s->nbars, BAR_COLOR);
	if (s->chart_note)
		render_chart_text(b->ch, b->cr, s->chart_note, MARGIN, y, 8.5,
				  0, w, GREY);
}

/* The rows of t that fit in height room at size points, the total row
 * (when t has one) kept last: into *out, its cells in *cells (the
 * caller frees).  Returns how many of t's rows are left out. */
static size_t fit_rows(const struct render_chart_table *t, double size,
		       double room, struct render_chart_table *out,
		       const char ***cells)
{
	size_t n = t->nrows, keep, r, c;

	*out = *t;
	*cells = NULL;
	while (n > 1 &&
	       (out->nrows = n, render_chart_table_height(out, size) > room))
		n--;
	out->nrows = t->nrows;
	if (n >= t->nrows)
		return 0;
	/* n rows in all: n - 1 of the first and the total */
	keep = t->total ? n - 1 : n;
	*cells = xcalloc(n * t->ncols + 1, sizeof(char *));
	for (r = 0; r < keep; r++)
		for (c = 0; c < t->ncols; c++)
			(*cells)[r * t->ncols + c] = t->cell[r * t->ncols + c];
	if (t->total)
		for (c = 0; c < t->ncols; c++)
			(*cells)[keep * t->ncols + c] =
			    t->cell[(t->nrows - 1) * t->ncols + c];
	out->nrows = n;
	out->cell = *cells;
	return t->nrows - n;
}

static int draw_category(struct book *b, struct render_map *m,
			 const struct render_atlas_page *p,
			 struct core_err *err)
{
	const struct render_atlas_spec *s = b->s;
	double w = s->page_w - 2 * MARGIN, y, size = 9, room, nh = 0, lh = 0;
	struct render_chart_table t;
	const char **cells = NULL;
	size_t cut = 0;
	int rc;

	cairo_save(b->cr);
	rc = render_map_draw(m, b->cr, err);
	cairo_restore(b->cr);
	if (rc)
		return core_err_prefix(err, "%s: ", p->heading);
	y = render_atlas_map_height(s->page_h) + 4;
	if (p->caption)
		y += 6 + render_chart_text(b->ch, b->cr, p->caption, MARGIN, y,
					   10, 1, w, INK);
	if (p->note) {
		double nw;

		render_chart_text_size(b->ch, b->cr, p->note, 7.5, 0, &nw, &nh);
		nh *= ceil(nw / w) + 1;
	}
	room = s->page_h - MARGIN * 0.9 - y - nh;
	while (size > 5 && render_chart_table_height(&p->table, size) > room)
		size *= 0.92;
	t = p->table;
	if (t.nrows > 0 && render_chart_table_height(&t, size) > room) {
		/* too many rows even in the smallest type: those that fit,
		 * and a line saying how many more there are */
		render_chart_text_size(b->ch, b->cr, "0", 7.5, 0, NULL, &lh);
		lh = 2 * lh + 4;
		cut = fit_rows(&p->table, size, room - lh, &t, &cells);
	}
	/* no rows: the caption says why there is no table */
	if (t.nrows > 0)
		y += 4 + render_chart_table_draw(b->ch, b->cr, MARGIN, y, w,
						 size, &t);
	if (cut) {
		char *line =
		    xasprintf("%zu more row%s did not fit on this page%s.", cut,
			      cut == 1 ? "" : "s",
			      p->overflow_hint ? p->overflow_hint : "");

		y += 4 + render_chart_text(b->ch, b->cr, line, MARGIN, y, 7.5,
					   1, w, INK);
		free(line);
	}
	if (p->note)
		render_chart_text(b->ch, b->cr, p->note, MARGIN, y, 7.5, 0, w,
				  GREY);
	free(cells);
	return CORE_OK;
}

/* A page of one table: heading, caption, the table (its type shrunk
 * until it fits above the note) and the note. */
static void draw_table_page(struct book *b, const char *title,
			    const char *caption,
			    const struct render_chart_table *t,
			    const char *note)
{
	const struct render_atlas_spec *s = b->s;
	double w = s->page_w - 2 * MARGIN, y = MARGIN, size = 9, room, nh = 0;

	y += 6 +
	     render_chart_text(b->ch, b->cr, title, MARGIN, y, 20, 1, w, INK);
	if (caption)
		y += 10 + render_chart_text(b->ch, b->cr, caption, MARGIN, y,
					    10, 0, w, INK);
	if (note) {
		double nw;

		render_chart_text_size(b->ch, b->cr, note, 7.5, 0, &nw, &nh);
		nh *= ceil(nw / w) + 1;
	}
	room = s->page_h - MARGIN * 1.2 - y - nh;
	while (size > 5 && render_chart_table_height(t, size) > room)
		size *= 0.92;
	y += 6 + render_chart_table_draw(b->ch, b->cr, MARGIN, y, w, size, t);
	if (note)
		render_chart_text(b->ch, b->cr, note, MARGIN, y, 7.5, 0, w,
				  GREY);
}

/* Add a bookmark for page n. */
static void outline(cairo_surface_t *surface, const char *name, size_t n)
{
	char link[32];

	snprintf(link, sizeof(link), "page=%zu", n);
	cairo_pdf_surface_add_outline(surface, CAIRO_PDF_OUTLINE_ROOT,
				      name ? name : "", link, 0);
}

static int next_page(struct book *b, const struct render_file *f,
		     struct core_err *err)
{
	cairo_status_t st;

	footer(b);
	cairo_show_page(b->cr);
	st = cairo_status(b->cr);
	if (st != CAIRO_STATUS_SUCCESS)
		return render_file_cairo_err(f, st, err);
	b->page++;
	return CORE_OK;
}

static int draw_book(struct book *b, struct render_map **maps,
		     struct render_file *f, struct core_err *err)
{
	const struct render_atlas_spec *s = b->s;
	cairo_surface_t *surface = render_file_surface(f);
	cairo_status_t st;
	size_t i;
	int rc;

	b->cr = cairo_create(surface);
	st = cairo_status(b->cr);
	if (st != CAIRO_STATUS_SUCCESS) {
		rc = render_file_cairo_err(f, st, err);
		goto cleanup;
	}
	b->page = 1;
	outline(surface, "Cover", 1);
	draw_cover(b);
	if ((rc = next_page(b, f, err)))
		goto cleanup;
	outline(surface, s->chart_title, 2);
	draw_chart(b);
	if ((rc = next_page(b, f, err)))
		goto cleanup;
	for (i = 0; i < s->npages; i++) {
		outline(surface, s->pages[i].heading, b->page);
		if ((rc = draw_category(b, maps[i], &s->pages[i], err)))
			goto cleanup;
		if ((rc = next_page(b, f, err)))
			goto cleanup;
	}
	if (s->network_title) {
		outline(surface, s->network_title, b->page);
		draw_table_page(b, s->network_title, s->network_caption,
				&s->network_table, s->network_note);
		if ((rc = next_page(b, f, err)))
			goto cleanup;
	}
	if (s->network_title && s->picks_title) {
		outline(surface, s->picks_title, b->page);
		draw_table_page(b, s->picks_title, s->picks_caption,
				&s->picks_table, s->picks_note);
		if ((rc = next_page(b, f, err)))
			goto cleanup;
	}
cleanup:
	cairo_destroy(b->cr);
	b->cr = NULL;
	return rc;
}

int render_atlas_write(struct core_ws *ws, const struct render_atlas_spec *spec,
		       const char *path, struct core_err *err)
{
	struct render_map **maps = xcalloc(spec->npages + 1, sizeof(*maps));
	struct render_file *f = NULL;
	struct render_doc doc;
	struct book b;
	time_t when;
	struct tm tm;
	size_t i;
	int rc = CORE_OK, fixed;

	memset(&b, 0, sizeof(b));
	b.s = spec;
	b.npages = 2 + spec->npages + nextra(spec);
	when = render_doc_date(spec->date, &fixed);
	gmtime_r(&when, &tm);
	{
		char month[16];

		strftime(month, sizeof(month), "%B", &tm);
		snprintf(b.date, sizeof(b.date), "%s %d, %d", month, tm.tm_mday,
			 tm.tm_year + 1900);
	}

	/* Every map first: a bad page fails before anything is written. */
	for (i = 0; i < spec->npages; i++) {
		struct render_spec ms = spec->pages[i].map;

		ms.format = RENDER_PDF;
		ms.width = spec->page_w;
		ms.height = render_atlas_map_height(spec->page_h);
		if (!ms.creator)
			ms.creator = spec->creator;
		if (!ms.date && fixed)
			ms.date = when;
		if ((rc = render_map_build(ws, &ms, &maps[i], err))) {
			core_err_prefix(err, "atlas page %zu (%s): ", i + 3,
					spec->pages[i].heading);
			goto cleanup;
		}
	}

	doc.title = spec->title;
	doc.author = spec->author;
	doc.subject = spec->subject;
	doc.creator = spec->creator;
	doc.date = when;
	doc.date_fixed = fixed;
	if ((rc = render_file_open(path, RENDER_PDF, spec->page_w, spec->page_h,
				   1, &doc, &f, err)))
		goto cleanup;
	b.ch = render_chart_new();
	rc = draw_book(&b, maps, f, err);
	if (rc != CORE_OK)
		render_file_close(f, 0, NULL);
	else
		rc = render_file_close(f, 1, err);
cleanup:
	render_chart_free(b.ch);
	for (i = 0; i < spec->npages; i++)
		render_map_free(maps[i]);
	free(maps);
	return rc;
}
