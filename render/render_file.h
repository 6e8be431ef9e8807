/*
 * render_file.h - writing a drawing to PNG, PDF or SVG the one way every
 * renderer (map, atlas, rainbow) does it: into a temporary file beside
 * the output, renamed into place only when everything was written, so a
 * failed render leaves nothing half-written; PDF document information
 * and reproducible dates; PNG through render_png.
 *
 *   struct render_file *f;
 *   render_file_open(path, fmt, w, h, dev, &doc, &f, err);
 *   cairo_t *cr = cairo_create(render_file_surface(f));  ... draw ...
 *   rc = render_file_close(f, rc == CORE_OK, err);
 *
 * Sizes are points; a PNG is (w * dev) x (h * dev) pixels, and the
 * caller scales its context by dev.  Errors name the output path.
 */
#ifndef RENDER_FILE_H
#define RENDER_FILE_H

#include <cairo.h>
#include <time.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "render/render_spec.h"

/* The PDF's document information (NULL: left out). */
struct render_doc {
	const char *title, *author, *subject, *creator;
	time_t date;	/* used when date_fixed */
	int date_fixed; /* 1: creation and modification date */
};

struct render_file;

/*
 * Open path for a drawing of format fmt.  The file's surface is ready
 * to draw on; a multi-page PDF calls cairo_show_page between pages.
 */
int render_file_open(const char *path, enum render_format fmt, double page_w,
		     double page_h, double dev, const struct render_doc *doc,
		     struct render_file **out, struct core_err *err);

cairo_surface_t *render_file_surface(struct render_file *f);

/* An error for a cairo status st met while drawing: the write error
 * behind it when there was one. */
int render_file_cairo_err(const struct render_file *f, cairo_status_t st,
			  struct core_err *err);

/*
 * Finish the drawing (encode the PNG, finish the PDF or SVG), flush and
 * rename into place when ok; otherwise, or when any of that fails,
 * remove the temporary file.  Frees f (NULL is fine).  Returns CORE_OK
 * only when the file is in place.
 */
int render_file_close(struct render_file *f, int ok, struct core_err *err);

/* Who published the workspace's imported files, for a page's source
 * note: each source's publisher, dataset and year (core_source_credit),
 * each once in import order ("CDC/ATSDR SVI 2018; U.S. Census Bureau
 * TIGER/Line 2020"), never a file's name; kind NULL: every kind, else
 * that kind ('assets', 'areas', ...) only.  Never a cohort's: a page
 * names the cohorts it draws itself, by render_cohort_sources.  NULL
 * when there are none.  Caller frees. */
char *render_source_names(struct core_ws *ws, const char *kind);

/* "cohort 'NAME' (patient records, not shown)" for each of the cohorts
 * named (n of them; NULL and repeated names skipped), joined with ", ";
 * NULL when none.  Caller frees. */
char *render_cohort_sources(const char *const *names, size_t n);

/* ASSETMAP_TIMING=1: the wall time since the last lap on stderr, for the
 * bench (as cli_analysis_lap does for the analyses); what NULL starts
 * the clock. */
void render_lap(const char *what);

/* The date a drawing shows: given when nonzero, else $SOURCE_DATE_EPOCH
 * when set, else now; *fixed is 1 for the first two (reproducible). */
time_t render_doc_date(time_t given, int *fixed);

#endif
