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

#include "core/core_dict.h"
#include "core/core_mem.h"
#include "core/core_out.h"
#include "core/core_privacy.h"
#include "core/core_progress.h"
#include "render/render_file.h"
#include "render/render_png.h"

void render_lap(const char *what)
{
	static struct core_lap l;

	core_lap(&l, "render ", what);
}

/* ---------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------ */

struct render_file {
	char *path;
	struct core_out *out;
	FILE *fp;   /* the temporary's stream, owned by out */
	int errnum; /* the first write error */
	enum render_format format;
	cairo_surface_t *surface;
};

/* cairo's stream writer.  A write error is kept in f->errnum, and the
 * rest of the document is dropped while cairo is told all is well:
 * cairo 1.16's PDF surface, told of a write error in the middle of a
 * document, fails an assertion (cairo-array.c, _cairo_array_index_const)
 * and aborts the process.  render_file_close reports f->errnum. */
static cairo_status_t sink_write(void *closure, const unsigned char *data,
				 unsigned int length)
{
	struct render_file *f = closure;

	if (f->errnum)
		return CAIRO_STATUS_SUCCESS;
	errno = 0;
	if (length && fwrite(data, 1, length, f->fp) != length)
		f->errnum = errno ? errno : EIO;
	return CAIRO_STATUS_SUCCESS;
}

static int write_err(const struct render_file *f, int errnum,
		     struct core_err *err)
{
	char b[256];

	return core_err_set(err, CORE_EIO, "cannot write %s: %s", f->path,
			    core_out_strerror(errnum, b, sizeof(b)));
}

int render_file_cairo_err(const struct render_file *f, cairo_status_t st,
			  struct core_err *err)
{
	if (f->errnum)
		return write_err(f, f->errnum, err);
	return core_err_set(
	    err, st == CAIRO_STATUS_NO_MEMORY ? CORE_EFAIL : CORE_ELIB,
	    "cannot render %s: cairo: %s", f->path, cairo_status_to_string(st));
}

time_t render_doc_date(time_t given, int *fixed)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	*fixed = 1;
	if (given)
		return given;
	if (e && *e) {
		errno = 0;
		v = strtoll(e, &end, 10);
		if (!*end && v >= 0 && errno == 0)
			return (time_t)v;
	}
	*fixed = 0;
	return time(NULL);
}

static void pdf_info(cairo_surface_t *s, const struct render_doc *d)
{
	char date[32];
	struct tm tm;

	if (d->title)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
					       d->title);
	if (d->author)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR,
					       d->author);
	if (d->subject)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT,
					       d->subject);
	if (d->creator)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
					       d->creator);
	if (d->date_fixed) {
		/* Reproducible: the same date every run. */
		gmtime_r(&d->date, &tm);
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
		cairo_pdf_surface_set_metadata(
		    s, CAIRO_PDF_METADATA_CREATE_DATE, date);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE,
					       date);
	}
}

int render_file_open(const char *path, enum render_format fmt, double page_w,
		     double page_h, double dev, const struct render_doc *doc,
		     struct render_file **out, struct core_err *err)
{
	struct render_file *f = xcalloc(1, sizeof(*f));
	cairo_status_t st;

	*out = NULL;
	f->path = xstrdup(path);
	f->format = fmt;
	if (core_out_open(path, CORE_OUT_MODE, 0, &f->out, err)) {
		free(f->path);
		free(f);
		return CORE_EIO;
	}
	f->fp = core_out_stream(f->out);
	switch (fmt) {
	case RENDER_PNG:
		f->surface = cairo_image_surface_create(
		    CAIRO_FORMAT_RGB24, (int)lround(page_w * dev),
		    (int)lround(page_h * dev));
		break;
	case RENDER_PDF:
		f->surface = cairo_pdf_surface_create_for_stream(
		    sink_write, f, page_w, page_h);
		if (cairo_surface_status(f->surface) == CAIRO_STATUS_SUCCESS &&
		    doc)
			pdf_info(f->surface, doc);
		break;
	case RENDER_SVG:
		f->surface = cairo_svg_surface_create_for_stream(
		    sink_write, f, page_w, page_h);
		if (cairo_surface_status(f->surface) == CAIRO_STATUS_SUCCESS)
			cairo_svg_surface_set_document_unit(f->surface,
							    CAIRO_SVG_UNIT_PT);
		break;
	}
	st = cairo_surface_status(f->surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		int rc = render_file_cairo_err(f, st, err);
		render_file_close(f, 0, NULL);
		return rc;
	}
	*out = f;
	return CORE_OK;
}

cairo_surface_t *render_file_surface(struct render_file *f)
{
	return f->surface;
}

int render_file_close(struct render_file *f, int ok, struct core_err *err)
{
	cairo_status_t st;
	int rc = ok ? CORE_OK : CORE_EFAIL;

	if (!f)
		return rc;
	if (ok && f->format == RENDER_PNG) {
		cairo_surface_flush(f->surface);
		if ((f->errnum = render_png_write(f->surface, f->fp)))
			rc = write_err(f, f->errnum, err);
		render_lap("png encode");
	} else if (ok) {
		cairo_surface_finish(f->surface);
		render_lap("finish");
		st = cairo_surface_status(f->surface);
		if (st != CAIRO_STATUS_SUCCESS)
			rc = render_file_cairo_err(f, st, err);
	}
	cairo_surface_destroy(f->surface);
	if (rc == CORE_OK && f->errnum)
		rc = write_err(f, f->errnum, err);
	if (rc == CORE_OK)
		rc = core_out_commit(f->out, err);
	else
		core_out_abort(f->out);
	free(f->path);
	free(f);
	return rc;
}

char *render_source_names(struct core_ws *ws, const char *kind)
{
	struct core_buf b = CORE_BUF_INIT;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(ws->db,
			       "SELECT id FROM sources WHERE kind <> 'cohort'"
			       " AND (?1 IS NULL OR kind = ?1) ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (kind)
		sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *c = core_source_credit(ws, sqlite3_column_int64(st, 0));

		if (c && !strstr(b.s ? b.s : "", c))
			core_buf_addf(&b, "%s%s", b.len ? "; " : "", c);
		free(c);
	}
	sqlite3_finalize(st);
	return b.len ? core_buf_detach(&b) : NULL;
}

char *render_cohort_sources(const char *const *names, size_t n)
{
	struct core_buf b = CORE_BUF_INIT;
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (!names[i])
			continue;
		for (k = 0; k < i && (!names[k] || strcmp(names[k], names[i]));
		     k++)
			;
		if (k < i)
			continue;
		if (b.len)
			core_buf_adds(&b, ", ");
		core_buf_addf(&b, CORE_PRIVACY_COHORT_LABEL_FMT, names[i]);
	}
	return b.len ? core_buf_detach(&b) : NULL;
}
