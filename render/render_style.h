/*
 * render_style.h - the map file: a plain-text, commented description of
 * a map that 'assetmap map --style FILE' renders and '--save-style FILE'
 * writes, so next year's map is this year's command with new data.
 *
 * The format, one setting a line:
 *
 *   # a comment: any line whose first non-blank character is '#'
 *   key = value
 *
 * Blank lines are ignored.  Spaces around the key, the '=' and the value
 * are dropped; a '#' after the '=' is part of the value (titles may hold
 * one).  A value wrapped in double quotes keeps the spaces inside them
 * ("  x " is three characters with spaces); nothing else is escaped and a
 * value cannot span lines.  Keys are the long options of 'assetmap map',
 * the negative switches said positively (no-assets: assets = no).  Each
 * key may appear once.  A key left out keeps its default.
 *
 *   title, subtitle, author, subject     text ("" subtitle: none)
 *   level             tract | blockgroup | county | zcta | state
 *   indicator         NAME or RUN:COLUMN (a result's per-area column)
 *   method            quantile | equal | jenks | stddev | manual
 *   classes           1..9
 *   breaks            ascending numbers, comma-separated (method manual)
 *   palette           a ColorBrewer name
 *   bivariate         NEED, ACCESS (two value references)
 *   bivariate-palette a bivariate scheme's name
 *   cohort            a cohort's name
 *   deserts           a deserts run (id, "last", or "deserts")
 *   category          category codes, comma-separated, in legend order
 *   assets, size-by-capacity, cluster, labels, inset   yes | no
 *   partners          all | current | prospective | any (no: off)
 *   outline           an area level, or none
 *   units             mi | km
 *   page              letter | tabloid | a4
 *   orientation       landscape | portrait (with page)
 *   width, height     whole pixels at dpi (without page); a PDF or SVG
 *                     page of that size is pixels x 72 / dpi points
 *   dpi               dots per inch of a PNG, 36..1200
 *
 * Sizes in a spec depend on its format (render_map.h: pixels for PNG,
 * points for PDF and SVG), so the spec's format must be set before
 * reading, and writing converts back to pixels.
 */
#ifndef RENDER_STYLE_H
#define RENDER_STYLE_H

#include "core/core_err.h"
#include "render/render_map.h"

/* The default PNG size (pixels) and page (letter, landscape). */
#define RENDER_STYLE_PNG_W 2400
#define RENDER_STYLE_PNG_H 1800

/* Strings and arrays a read spec points into. */
struct render_style;

/*
 * Read the map file at path into spec, whose other fields (and format)
 * the caller has set: only the keys present change it.  spec's pointers
 * then borrow from *store, which the caller frees with render_style_free
 * after the spec's last use (also on error: *store is NULL then).
 * Errors: CORE_EIO (cannot read), CORE_EFORMAT naming the file, line and
 * key: an unknown key, a duplicate key (and the line it first came on),
 * a bad value (quoting it and saying what would be valid), a line
 * without '='; breaks without method manual or manual without breaks.
 */
int render_style_read(const char *path, struct render_spec *spec,
		      struct render_style **store, struct core_err *err);

void render_style_free(struct render_style *store);

/*
 * Write spec to path as a commented map file: a header saying how to
 * re-run it, then every key with a one-line comment above it; keys at
 * their default are written commented out ("#key ="), so the file also
 * lists what can be set.  Written beside path under a temporary name and
 * renamed into place.  Reading the file back gives an equal spec, and
 * writing that again gives the same bytes.  Errors: CORE_EIO naming
 * path; CORE_EUSAGE for a text with a line break (the file holds one
 * line per key).
 */
int render_style_write(const char *path, const struct render_spec *spec,
		       struct core_err *err);

/*
 * Set spec's size for its format and dpi: from page (letter, tabloid,
 * a4; portrait or landscape) when page is not NULL, else from wpx x hpx
 * pixels.  PNG: pixels (page points x dpi / 72); PDF and SVG: points
 * (pixels x 72 / dpi).  Sets spec->page (borrowing page) and
 * spec->portrait.  CORE_EUSAGE for an unknown page.
 */
int render_style_set_size(struct render_spec *spec, const char *page,
			  int portrait, double wpx, double hpx,
			  struct core_err *err);

/* The spec's custom size in pixels at its dpi (the inverse of the
 * above without a page), rounded to whole pixels. */
void render_style_pixels(const struct render_spec *spec, double *wpx,
			 double *hpx);

/*
 * Parse "0.2, 0.5,0.8" into 1 .. RENDER_CLASSES_MAX - 1 strictly
 * ascending finite numbers (*out: the caller frees).  CORE_EFORMAT with
 * a message, without a prefix, saying what is wrong.
 */
int render_style_parse_breaks(const char *v, double **out, size_t *n,
			      struct core_err *err);

/*
 * The partnership marks named s (render_spec.h's enum render_partners;
 * case aside): "all" (every asset, marked by status), "current",
 * "prospective", "any" (current or prospective), "no" (off).  0, or
 * CORE_EFORMAT with a message, without a prefix, quoting s and saying
 * what would be valid ("did you mean" when one is near).
 */
int render_partners_parse(const char *s, enum render_partners *out,
			  struct core_err *err);
/* The name of p as render_partners_parse takes it ("no" for OFF). */
const char *render_partners_name(enum render_partners p);

/*
 * Parse "W,S,E,N" (degrees: west, south, east, north; spaces allowed)
 * into e[4].  CORE_EFORMAT with a message, without a prefix, quoting v
 * and saying what is wrong (not four numbers, out of range, west not
 * less than east or south not less than north).
 */
int render_extent_parse(const char *v, double e[4], struct core_err *err);

/* The effective dpi: spec->dpi, or RENDER_PNG_DPI when 0. */
double render_style_dpi(const struct render_spec *spec);

#endif
