/*
 * render_atlas.h - a map book: one PDF of several pages for a funder or
 * a coalition meeting.
 *
 *   page 1     the cover: title, subtitle, date, paragraphs the caller
 *              writes (what need is, the distance, the sources, the
 *              privacy rule) and a table of contents;
 *   page 2     a bar chart (the unmet-need ranking), with a caption and
 *              a note under it;
 *   page 3...  one page per render_atlas_page: a map (render_map_build
 *              with the page's render_spec, drawn on the top part of the
 *              page by render_map_draw) and a table under it;
 *   then       when network_title is set, the partner network: a table
 *              (coverage by current partners against all assets) and a
 *              note; when picks_title is set too, one more page with a
 *              second table (the recruitment picks).
 *
 * The atlas draws what it is given: the caller (cli/cmd_atlas.c) runs the
 * analyses, stores their runs, applies small-cell suppression and passes
 * text that is ready to print.  Each page carries a footer with the
 * book's title and the page number, and the PDF an outline (bookmarks)
 * with the same entries as the table of contents.
 *
 * Ownership: nothing passed is kept after render_atlas_write returns.
 */
#ifndef RENDER_ATLAS_H
#define RENDER_ATLAS_H

#include <stddef.h>
#include <time.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "render/render_chart.h"
#include "render/render_map.h"

/* Share of a category page's height the map takes (the rest: table). */
#define RENDER_ATLAS_MAP_SHARE 0.60

struct render_atlas_page {
	/* The map: everything but format, width and height, which the
	 * atlas sets (PDF, the page's width by its map share). */
	struct render_spec map;
	const char *heading; /* TOC entry and bookmark ("Food") */
	const char *caption; /* a sentence above the table, or NULL */
	struct render_chart_table table; /* no rows: no table */
	const char *note; /* small print under the table, or NULL */
	/* When the table's rows do not all fit on the page even in the
	 * smallest type, the page lists those that fit (and the total row)
	 * and says under the table how many more did not, followed by this
	 * hint ("; a smaller --top shows them all"), or NULL. */
	const char *overflow_hint;
};

struct render_atlas_spec {
	double page_w, page_h; /* points (render_page_size) */
	const char *title;     /* required */
	const char *subtitle;  /* NULL: none */
	const char *author;    /* PDF metadata; NULL: none */
	const char *subject;   /* PDF metadata; NULL: none */
	const char *creator;   /* "assetmap 0.1.0" */
	/* The date on the cover; 0 means $SOURCE_DATE_EPOCH when set, else
	 * now.  Also the PDF's creation date when it is not now. */
	time_t date;
	const char *const *cover; /* paragraphs under the title */
	size_t ncover;

	const char *chart_title;   /* page 2's heading (and TOC entry) */
	const char *chart_caption; /* a sentence under it, or NULL */
	const struct render_chart_bar *bars;
	size_t nbars;
	const char *chart_note; /* small print under the chart, or NULL */

	const struct render_atlas_page *pages;
	size_t npages;

	/* The partner network's page, after the category pages; NULL
	 * network_title: no such page. */
	const char *network_title;   /* heading, TOC entry and bookmark */
	const char *network_caption; /* above the table, or NULL */
	struct render_chart_table network_table;
	const char *network_note; /* small print under it, or NULL */
	/* The recruitment picks' page after it; NULL picks_title (or no
	 * network page): no such page. */
	const char *picks_title;   /* heading, TOC entry and bookmark */
	const char *picks_caption; /* above the table, or NULL */
	struct render_chart_table picks_table;
	const char *picks_note; /* small print under it, or NULL */
};

/*
 * Build every page's map, then write the book to path (a temporary file
 * beside it, renamed into place: a failed book leaves nothing).  Errors:
 * a map's (render_map_build, prefixed with the page's heading), cairo's
 * and the file's, naming path.
 */
int render_atlas_write(struct core_ws *ws, const struct render_atlas_spec *spec,
		       const char *path, struct core_err *err);

/* Height in points a category page gives its map, for page_h. */
double render_atlas_map_height(double page_h);

#endif
