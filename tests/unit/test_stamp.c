/*
 * test_stamp.c - symbols drawn as glyph stamps (render_stamp.c) look as
 * the same symbols drawn as paths (render_draw.c), which stay the
 * reference:
 *   - on an image, pixel by pixel, for every shape and mark, at sizes
 *     that vary and positions between pixels;
 *   - in a PDF, rasterised by poppler (pdftoppm) beside the paths' PDF,
 *     the same way; the PDF is smaller, and pdftotext finds no text in
 *     the symbols (no replacement characters in a reader's copy);
 *   - an SVG is the paths' SVG, byte for byte.
 */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "render/render_draw.h"
#include "render/render_stamp.h"
#include "render/render_text.h"
#include "testlib.h"

#define PAGE_W 600.0
#define PAGE_H 400.0
#define NSHAPE 8
#define EDGE   0.7
#define BASE   10.0

static const uint32_t colors[NSHAPE] = {0xe6550d, 0x3182bd, 0x31a354, 0x756bb1,
					0xd6a316, 0xc51b8a, 0x636363, 0xde2d26};

/* Symbols on a grid, one row per shape, sizes 6..14 points, centres
 * off the pixel grid. */
struct grid {
	double x[NSHAPE][12], y[NSHAPE][12], s[NSHAPE][12];
	size_t n;
};

static void make_grid(struct grid *g)
{
	size_t r, k;

	g->n = 12;
	for (r = 0; r < NSHAPE; r++)
		for (k = 0; k < g->n; k++) {
			g->x[r][k] = 30 + 45.3 * (double)k + 0.37 * (double)r;
			g->y[r][k] = 28 + 45.7 * (double)r + 0.21 * (double)k;
			g->s[r][k] = 6 + 8.0 * (double)k / (double)(g->n - 1);
		}
}

/* The grid's symbols as mark, by stamps (stamps != 0) or by paths. */
static void draw(cairo_t *cr, enum render_format fmt, const struct grid *g,
		 enum render_mark mark, int stamps)
{
	size_t r, k;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	if (stamps) {
		struct render_stamps *st = render_stamps_new(fmt, EDGE, BASE);

		for (r = 0; r < NSHAPE; r++)
			render_stamps_draw(st, cr, (enum render_shape)r, mark,
					   colors[r], g->x[r], g->y[r], g->s[r],
					   g->n);
		render_stamps_free(st);
		return;
	}
	for (r = 0; r < NSHAPE; r++) {
		cairo_new_path(cr);
		for (k = 0; k < g->n; k++)
			render_symbol_path(cr, (enum render_shape)r, g->x[r][k],
					   g->y[r][k],
					   render_mark_size(mark, g->s[r][k]));
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
		render_paint_mark(cr, mark, colors[r], BASE, EDGE);
	}
}

static cairo_surface_t *image(const struct grid *g, enum render_mark mark,
			      int stamps)
{
	cairo_surface_t *img = cairo_image_surface_create(
	    CAIRO_FORMAT_RGB24, (int)(2 * PAGE_W), (int)(2 * PAGE_H));
	cairo_t *cr = cairo_create(img);

	cairo_scale(cr, 2, 2);
	draw(cr, RENDER_PNG, g, mark, stamps);
	cairo_destroy(cr);
	cairo_surface_flush(img);
	return img;
}

/* Pixels of a and b (same size) whose colours differ by more than 96 in
 * a channel, and the pixels that are not white in either. */
static void compare(cairo_surface_t *a, cairo_surface_t *b, size_t *differ,
		    size_t *inked)
{
	int w = cairo_image_surface_get_width(a);
	int h = cairo_image_surface_get_height(a);
	int sa = cairo_image_surface_get_stride(a);
	int sb = cairo_image_surface_get_stride(b);
	const unsigned char *pa = cairo_image_surface_get_data(a);
	const unsigned char *pb = cairo_image_surface_get_data(b);
	int x, y, k;

	*differ = *inked = 0;
	if (w != cairo_image_surface_get_width(b) ||
	    h != cairo_image_surface_get_height(b)) {
		*differ = (size_t)-1;
		return;
	}
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			const uint32_t u =
			    *(const uint32_t *)(pa + (size_t)y * sa + 4 * x);
			const uint32_t v =
			    *(const uint32_t *)(pb + (size_t)y * sb + 4 * x);
			int bad = 0;

			if ((u & 0xffffff) != 0xffffff ||
			    (v & 0xffffff) != 0xffffff)
				(*inked)++;
			for (k = 0; k < 24; k += 8)
				if (abs((int)((u >> k) & 0xff) -
					(int)((v >> k) & 0xff)) > 96)
					bad = 1;
			*differ += (size_t)bad;
		}
}

static uint32_t pixel(cairo_surface_t *img, double x, double y)
{
	const unsigned char *p = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);

	return *(const uint32_t *)(p + (size_t)lround(floor(y)) * stride +
				   4 * lround(floor(x))) &
	       0xffffff;
}

/* Ink (pixels not white) of img in the square of side 2 * half pixels
 * centred at (cx, cy): its count and centroid. */
static void ink(cairo_surface_t *img, double cx, double cy, int half,
		double *count, double *mx, double *my)
{
	const unsigned char *p = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	int x, y, x0 = (int)cx - half, y0 = (int)cy - half;
	double n = 0, sx = 0, sy = 0;

	for (y = y0; y < y0 + 2 * half; y++)
		for (x = x0; x < x0 + 2 * half; x++) {
			uint32_t v =
			    *(const uint32_t *)(p + (size_t)y * stride + 4 * x);
			/* weighted by darkness, so antialiasing counts in part
			 */
			double d =
			    (765.0 - (double)((v >> 16) & 0xff) -
			     (double)((v >> 8) & 0xff) - (double)(v & 0xff)) /
			    765.0;
			n += d;
			sx += d * (x + 0.5);
			sy += d * (y + 0.5);
		}
	*count = n;
	*mx = n > 0 ? sx / n : cx;
	*my = n > 0 ? sy / n : cy;
}

/* Every symbol of the grid in a (scale px per point) has the ink of the
 * same symbol in b: within 12 % in amount, its centre within off px. */
static void same_symbols(cairo_surface_t *a, cairo_surface_t *b,
			 const struct grid *g, double scale, double off,
			 const char *what)
{
	size_t r, k;

	for (r = 0; r < NSHAPE; r++)
		for (k = 0; k < g->n; k++) {
			double na, xa, ya, nb, xb, yb;
			int half = (int)(20 * scale);

			ink(a, scale * g->x[r][k], scale * g->y[r][k], half,
			    &na, &xa, &ya);
			ink(b, scale * g->x[r][k], scale * g->y[r][k], half,
			    &nb, &xb, &yb);
			if (nb < 10 || fabs(na - nb) > 0.12 * nb ||
			    hypot(xa - xb, ya - yb) > off)
				test_fail(__FILE__, __LINE__,
					  "%s shape %zu size %.2f: ink %.1f "
					  "at %.2f,%.2f; paths %.1f at "
					  "%.2f,%.2f",
					  what, r, g->s[r][k], na, xa, ya, nb,
					  xb, yb);
		}
}

static void test_image(void)
{
	static const enum render_mark marks[] = {
	    RENDER_MARK_FILLED, RENDER_MARK_MUTED, RENDER_MARK_HOLLOW};
	struct grid g;
	size_t m, r, k;

	make_grid(&g);
	for (m = 0; m < 3; m++) {
		cairo_surface_t *a = image(&g, marks[m], 1);
		cairo_surface_t *b = image(&g, marks[m], 0);
		size_t differ, inked;

		compare(a, b, &differ, &inked);
		/* whole-pixel placement and 1/16-point sizes move an edge
		 * by half a pixel at most: a thin seam, no shape changes */
		if (inked < 15000)
			test_fail(__FILE__, __LINE__, "mark %zu: %zu inked", m,
				  inked);
		same_symbols(a, b, &g, 2, 0.75,
			     marks[m] == RENDER_MARK_HOLLOW  ? "hollow"
			     : marks[m] == RENDER_MARK_MUTED ? "muted"
							     : "filled");
		if (differ * 10 > inked)
			test_fail(__FILE__, __LINE__,
				  "mark %zu: %zu of %zu inked pixels differ", m,
				  differ, inked);
		/* the centres: the fill (filled, muted) or the page
		 * showing through (hollow, but for the small ones that the
		 * ring fills) */
		for (r = 0; r < NSHAPE; r++)
			for (k = 0; k < g.n; k++) {
				uint32_t want =
				    marks[m] == RENDER_MARK_HOLLOW ? 0xffffff
				    : marks[m] == RENDER_MARK_MUTED
					? render_muted_color(colors[r])
					: colors[r];
				uint32_t got =
				    pixel(a, 2 * g.x[r][k], 2 * g.y[r][k]);
				if (marks[m] == RENDER_MARK_HOLLOW &&
				    g.s[r][k] < 10)
					continue;
				if (got != want)
					test_fail(__FILE__, __LINE__,
						  "mark %zu shape %zu size "
						  "%.1f: centre %06x, want "
						  "%06x",
						  m, r, g.s[r][k], got, want);
			}
		cairo_surface_destroy(a);
		cairo_surface_destroy(b);
	}
}

static void write_vector(const char *path, enum render_format fmt,
			 const struct grid *g, int stamps)
{
	cairo_surface_t *s =
	    fmt == RENDER_PDF ? cairo_pdf_surface_create(path, PAGE_W, PAGE_H)
			      : cairo_svg_surface_create(path, PAGE_W, PAGE_H);
	cairo_t *cr = cairo_create(s);

	draw(cr, fmt, g, RENDER_MARK_FILLED, stamps);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	CHECK_INT(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

static cairo_surface_t *rasterise(const char *pdf, const char *stem)
{
	char cmd[1400], png[700];

	snprintf(cmd, sizeof(cmd),
		 "pdftoppm -r 144 -singlefile -png '%s' '%s/%s'", pdf,
		 test_tmpdir(), stem);
	if (system(cmd) != 0) {
		test_fail(__FILE__, __LINE__, "pdftoppm failed on %s", pdf);
		return NULL;
	}
	snprintf(png, sizeof(png), "%s/%s.png", test_tmpdir(), stem);
	return cairo_image_surface_create_from_png(png);
}

static long file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n = -1;

	if (f && fseek(f, 0, SEEK_END) == 0)
		n = ftell(f);
	if (f)
		fclose(f);
	return n;
}

static void test_pdf(void)
{
	struct grid g;
	char a[600], b[600], cmd[1400];
	cairo_surface_t *ra = NULL, *rb = NULL;
	char *text = NULL;
	size_t differ = 0, inked = 0, len = 0, i;

	make_grid(&g);
	snprintf(a, sizeof(a), "%s/stamps.pdf", test_tmpdir());
	snprintf(b, sizeof(b), "%s/paths.pdf", test_tmpdir());
	write_vector(a, RENDER_PDF, &g, 1);
	write_vector(b, RENDER_PDF, &g, 0);
	ra = rasterise(a, "stamps");
	rb = rasterise(b, "paths");
	if (!ra || !rb)
		goto cleanup;
	compare(ra, rb, &differ, &inked);
	CHECK(inked > 20000);
	/* poppler puts a glyph on the whole pixel below and to the left:
	 * up to a pixel each way, seams along the edges */
	same_symbols(ra, rb, &g, 2, 1.45, "pdf");
	if (differ * 5 > inked)
		test_fail(__FILE__, __LINE__, "%zu of %zu inked pixels differ",
			  differ, inked);
	CHECK_INT(pixel(ra, 2 * g.x[0][5], 2 * g.y[0][5]), colors[0]);
	CHECK_INT(pixel(ra, 2 * g.x[3][9], 2 * g.y[3][9]), colors[3]);

	/* no text: a reader copying from the map gets no junk */
	snprintf(cmd, sizeof(cmd), "pdftotext '%s' '%s/stamps.txt'", a,
		 test_tmpdir());
	CHECK_INT(system(cmd), 0);
	text = test_slurp(test_path("stamps.txt"), &len);
	CHECK(text != NULL);
	for (i = 0; text && i < len; i++)
		if (!strchr(" \t\n\f\r", text[i])) {
			test_fail(__FILE__, __LINE__,
				  "pdftotext found byte 0x%02x in the symbols",
				  (unsigned char)text[i]);
			break;
		}

cleanup:
	free(text);
	if (ra)
		cairo_surface_destroy(ra);
	if (rb)
		cairo_surface_destroy(rb);
}

/* 20,000 symbols: the stamps' PDF is a third smaller or more. */
static void test_pdf_size(void)
{
	char a[600], b[600];
	int stamps;

	snprintf(a, sizeof(a), "%s/many-stamps.pdf", test_tmpdir());
	snprintf(b, sizeof(b), "%s/many-paths.pdf", test_tmpdir());
	for (stamps = 0; stamps < 2; stamps++) {
		cairo_surface_t *s =
		    cairo_pdf_surface_create(stamps ? a : b, PAGE_W, PAGE_H);
		cairo_t *cr = cairo_create(s);
		struct render_stamps *st =
		    render_stamps_new(RENDER_PDF, EDGE, BASE);
		double x[250], y[250], sz[250];
		uint64_t seed = 7;
		size_t r, k, j;

		for (r = 0; r < NSHAPE; r++)
			for (j = 0; j < 10; j++) {
				for (k = 0; k < 250; k++) {
					x[k] = PAGE_W * test_rand(&seed);
					y[k] = PAGE_H * test_rand(&seed);
					sz[k] = BASE;
				}
				if (stamps) {
					render_stamps_draw(
					    st, cr, (enum render_shape)r,
					    RENDER_MARK_FILLED, colors[r], x, y,
					    sz, 250);
					continue;
				}
				cairo_new_path(cr);
				for (k = 0; k < 250; k++)
					render_symbol_path(cr,
							   (enum render_shape)r,
							   x[k], y[k], sz[k]);
				render_paint_mark(cr, RENDER_MARK_FILLED,
						  colors[r], BASE, EDGE);
			}
		render_stamps_free(st);
		cairo_destroy(cr);
		cairo_surface_finish(s);
		cairo_surface_destroy(s);
	}
	if (file_size(a) <= 0 || file_size(a) * 3 > file_size(b) * 2)
		test_fail(__FILE__, __LINE__,
			  "stamps' PDF %ld bytes, paths' %ld", file_size(a),
			  file_size(b));
}

/* Drop the digits after each "surface" in s. */
static void unnumber(char *s, size_t *len)
{
	size_t i, o = 0;

	for (i = 0; s && i < *len;) {
		if (o >= 7 && memcmp(s + o - 7, "surface", 7) == 0 &&
		    s[i] >= '0' && s[i] <= '9') {
			i++;
			continue;
		}
		s[o++] = s[i++];
	}
	*len = o;
}

static void test_svg_is_paths(void)
{
	struct grid g;
	char a[600], b[600];
	char *sa, *sb;
	size_t la = 0, lb = 0;

	make_grid(&g);
	snprintf(a, sizeof(a), "%s/stamps.svg", test_tmpdir());
	snprintf(b, sizeof(b), "%s/paths.svg", test_tmpdir());
	write_vector(a, RENDER_SVG, &g, 1);
	write_vector(b, RENDER_SVG, &g, 0);
	sa = test_slurp(a, &la);
	sb = test_slurp(b, &lb);
	CHECK(sa && sb && la > 1000);
	/* but for cairo's running number of the surface */
	unnumber(sa, &la);
	unnumber(sb, &lb);
	CHECK(sa && sb && la == lb && memcmp(sa, sb, la) == 0);
	free(sa);
	free(sb);
}

static const struct test tests[] = {TEST(test_image),
				    TEST(test_pdf),
				    TEST(test_pdf_size),
				    TEST(test_svg_is_paths),
				    {0}};

int main(void)
{
	return test_main("stamp", tests);
}
