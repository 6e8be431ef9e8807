/*
 * render_palette.h - ColorBrewer's sequential colour schemes, exactly as
 * Cynthia Brewer publishes them (colorbrewer2.org), 3 to 9 classes.
 *
 * Every scheme here is marked colour-blind safe by ColorBrewer.  Greys is
 * left out on purpose: the map draws areas with no data in grey, and a
 * grey ramp would make them look like a class.
 *
 * Colours are 0xRRGGBB.  Every pointer returned is to static data.
 */
#ifndef RENDER_PALETTE_H
#define RENDER_PALETTE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"

#define RENDER_PALETTE_MIN 3
#define RENDER_PALETTE_MAX 9

struct render_palette {
	const char *name;   /* ColorBrewer's name, e.g. "YlOrRd" */
	int cb_safe;        /* 1: ColorBrewer rates it colour-blind safe */
	/* colors[k - 3][i]: class i of the k-class scheme */
	uint32_t colors[RENDER_PALETTE_MAX - RENDER_PALETTE_MIN + 1]
		       [RENDER_PALETTE_MAX];
};

/* The palette named (case-insensitive), or NULL. */
const struct render_palette *render_palette_find(const char *name);

/* Palette i in a fixed order (0 .. render_palette_count() - 1). */
const struct render_palette *render_palette_at(size_t i);
size_t render_palette_count(void);

/*
 * The k colours (1 <= k <= 9) for k classes, light to dark, into out[k].
 * For 3 to 9, ColorBrewer's k-class scheme; a map whose data allow only
 * one or two classes takes the middle, or the two ends, of the 3-class
 * scheme.  Returns CORE_EUSAGE for k outside 1..9.
 */
int render_palette_colors(const struct render_palette *p, int k,
			  uint32_t *out, struct core_err *err);

/* The names, comma-separated, for help and error messages (static). */
const char *render_palette_names(void);

/*
 * ---- issue 5 additions (the palette helper fills these in) ----
 *
 * ColorBrewer's diverging (BrBG ... Spectral, up to 11 classes) and
 * qualitative (Accent ... Set3, up to 8-12) schemes join the sequential
 * ones; struct render_palette may grow (kind, largest k, per-k
 * colour-blind flags) but keeps name and colors' meaning for k <= 9.
 * ColorBrewer rates colour-blind safety per number of classes, so the
 * question is asked with k.
 */
enum render_palette_kind {
	RENDER_SEQUENTIAL,
	RENDER_DIVERGING,
	RENDER_QUALITATIVE
};

enum render_palette_kind render_palette_kind(const struct render_palette *p);
/* 1 when ColorBrewer rates the k-class scheme colour-blind safe. */
int render_palette_cb_safe(const struct render_palette *p, int k);

/*
 * 3 x 3 bivariate schemes.  colors[y][x]: x the first variable's tertile
 * (need, low to high, left to right), y the second's (access, low to
 * high, bottom to top).  colors[0][0] is the low-low corner.
 */
struct render_bivar_palette {
	const char *name;
	int cb_safe;            /* distinguishable under the common CVDs */
	uint32_t colors[3][3];
	const char *source;     /* who published it */
};

/* The scheme named (case-insensitive), or NULL; NULL name: the default,
 * which is colour-blind safe. */
const struct render_bivar_palette *render_bivar_find(const char *name);
const struct render_bivar_palette *render_bivar_at(size_t i);
size_t render_bivar_count(void);
const char *render_bivar_names(void);

/* Parse "#rrggbb" (the categories table's colours); 0 on success. */
int render_color_parse(const char *s, uint32_t *out);

#endif
