/*
 * render_out.c - PNG, PDF and SVG surfaces, written through a temporary
 * file beside the output and renamed into place.
 */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "render/render_int.h"
#include "render/render_png.h"

void render_lap(const char *what)
{
	static double last;
	static int on = -1;
	struct timespec ts;
	double t;

	if (on < 0) {
		const char *e = getenv("ASSETMAP_TIMING");
		on = e && *e && strcmp(e, "0") != 0;
	}
	if (!on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	if (last > 0 && what)
		fprintf(stderr, "timing: render %-16s %.3f s\n", what,
			t - last);
	last = t;
}

/* Where cairo's stream writes go, and the first error. */
struct sink {
	FILE *fp;
	int errnum;
};

static cairo_status_t sink_write(void *closure, const unsigned char *data,
				 unsigned int length)
{
	struct sink *s = closure;

	if (s->errnum)
		return CAIRO_STATUS_WRITE_ERROR;
	if (length && fwrite(data, 1, length, s->fp) != length) {
		s->errnum = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* Set err from a cairo status, preferring the write error behind it. */
static int cairo_fail(const char *path, const struct sink *s,
		      cairo_status_t st, struct core_err *err)
{
	if (s->errnum)
		return core_err_set(err, CORE_EIO, "cannot write %s: %s", path,
				    strerror(s->errnum));
	return core_err_set(err, st == CAIRO_STATUS_NO_MEMORY ? CORE_EFAIL
							      : CORE_ELIB,
			    "cannot render %s: cairo: %s", path,
			    cairo_status_to_string(st));
}

/* "YYYY-MM-DDThh:mm:ssZ", the form cairo's PDF metadata takes. */
static void iso_date(time_t t, char *buf, size_t n)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int draw_surface(struct render_map *m, cairo_surface_t *surface,
			const char *path, struct sink *s,
			struct core_err *err)
{
	cairo_t *cr;
	cairo_status_t st;
	int rc;

	st = cairo_surface_status(surface);
	if (st != CAIRO_STATUS_SUCCESS)
		return cairo_fail(path, s, st, err);
	cr = cairo_create(surface);
	st = cairo_status(cr);
	if (st != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(cr);
		return cairo_fail(path, s, st, err);
	}
	if (m->dev != 1)
		cairo_scale(cr, m->dev, m->dev);
	render_lap("setup");
	rc = render_draw_page(m, cr, err);
	render_lap("draw");
	if (rc)
		core_err_prefix(err, "cannot render %s: ", path);
	cairo_destroy(cr);
	return rc;
}

int render_map_write(struct render_map *m, const char *path,
		     struct core_err *err)
{
	cairo_surface_t *surface = NULL;
	struct sink s = { NULL, 0 };
	char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
	char date[32];
	cairo_status_t st;
	int rc = CORE_OK, opened;

	s.fp = fopen(tmp, "wb");
	opened = s.fp != NULL;
	if (!opened) {
		rc = core_err_set(err, CORE_EIO, "cannot write %s: %s", path,
				  strerror(errno));
		goto cleanup;
	}
	switch (m->format) {
	case RENDER_PNG:
		surface = cairo_image_surface_create(
			CAIRO_FORMAT_RGB24, (int)lround(m->page_w * m->dev),
			(int)lround(m->page_h * m->dev));
		if ((rc = draw_surface(m, surface, path, &s, err)))
			goto cleanup;
		cairo_surface_flush(surface);
		if ((s.errnum = render_png_write(surface, s.fp))) {
			rc = core_err_set(err, CORE_EIO, "cannot write %s: %s",
					  path, strerror(s.errnum));
			goto cleanup;
		}
		render_lap("png encode");
		break;
	case RENDER_PDF:
		surface = cairo_pdf_surface_create_for_stream(
			sink_write, &s, m->page_w, m->page_h);
		if (cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS) {
			cairo_pdf_surface_set_metadata(
				surface, CAIRO_PDF_METADATA_TITLE, m->title);
			cairo_pdf_surface_set_metadata(
				surface, CAIRO_PDF_METADATA_CREATOR,
				m->creator);
			if (m->author)
				cairo_pdf_surface_set_metadata(
					surface, CAIRO_PDF_METADATA_AUTHOR,
					m->author);
			if (m->subject)
				cairo_pdf_surface_set_metadata(
					surface, CAIRO_PDF_METADATA_SUBJECT,
					m->subject);
			if (m->date_fixed) {
				/* Reproducible: the same date every run. */
				iso_date(m->date, date, sizeof(date));
				cairo_pdf_surface_set_metadata(
					surface, CAIRO_PDF_METADATA_CREATE_DATE,
					date);
				cairo_pdf_surface_set_metadata(
					surface, CAIRO_PDF_METADATA_MOD_DATE,
					date);
			}
		}
		goto vector;
	case RENDER_SVG:
		surface = cairo_svg_surface_create_for_stream(
			sink_write, &s, m->page_w, m->page_h);
		if (cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS)
			cairo_svg_surface_set_document_unit(surface,
							    CAIRO_SVG_UNIT_PT);
	vector:
		if ((rc = draw_surface(m, surface, path, &s, err)))
			goto cleanup;
		cairo_surface_finish(surface);
		render_lap("finish");
		st = cairo_surface_status(surface);
		if (st != CAIRO_STATUS_SUCCESS) {
			rc = cairo_fail(path, &s, st, err);
			goto cleanup;
		}
		break;
	}
	if (fflush(s.fp) != 0 || ferror(s.fp)) {
		rc = core_err_set(err, CORE_EIO, "cannot write %s: %s", path,
				  strerror(errno));
		goto cleanup;
	}
cleanup:
	if (surface)
		cairo_surface_destroy(surface);
	if (s.fp && fclose(s.fp) != 0 && rc == CORE_OK)
		rc = core_err_set(err, CORE_EIO, "cannot write %s: %s", path,
				  strerror(errno));
	if (rc == CORE_OK && rename(tmp, path) != 0)
		rc = core_err_set(err, CORE_EIO, "cannot write %s: %s", path,
				  strerror(errno));
	if (rc != CORE_OK && opened)
		unlink(tmp);
	free(tmp);
	return rc;
}
