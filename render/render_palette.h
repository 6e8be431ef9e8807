/*
 * render_palette.h - ColorBrewer's colour schemes, exactly as Cynthia
 * Brewer publishes them (colorbrewer2.org): the 17 sequential (3 to 9
 * classes), 9 diverging (3 to 11) and 8 qualitative (3 to 8, 9 or 12),
 * with ColorBrewer's colour-blind rating per number of classes; and
 * 3 x 3 bivariate schemes.
 *
 * Greys is left out on purpose: the map draws areas with no data in
 * grey, and a grey ramp would make them look like a class.
 *
 * Colours are 0xRRGGBB.  Every pointer returned is to static data.
 */
#ifndef RENDER_PALETTE_H
#define RENDER_PALETTE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"

#define RENDER_PALETTE_MIN  3
#define RENDER_PALETTE_MAX  9  /* classes of every sequential scheme */
#define RENDER_PALETTE_KMAX 12 /* largest k of any scheme (Paired, Set3) */

enum render_palette_kind {
	RENDER_SEQUENTIAL,
	RENDER_DIVERGING,
	RENDER_QUALITATIVE
};

struct render_palette {
	const char *name; /* ColorBrewer's name, e.g. "YlOrRd" */
	int cb_safe;	  /* 1: colour-blind safe at every k it offers */
	/* colors[k - 3][i]: class i of the k-class scheme, 3 <= k <= kmax;
	 * rows and entries past k are 0 */
	uint32_t colors[RENDER_PALETTE_KMAX - RENDER_PALETTE_MIN + 1]
		       [RENDER_PALETTE_KMAX];
	enum render_palette_kind kind;
	int kmax;      /* 9 sequential, 11 diverging, 8, 9 or 12
			* qualitative */
	unsigned cb_k; /* bit k set: the k-class scheme is colour-blind
			* safe (see render_palette_cb_safe) */
};

/* The palette named (case-insensitive), or NULL. */
const struct render_palette *render_palette_find(const char *name);

/* Palette i in a fixed order (0 .. render_palette_count() - 1):
 * sequential, then diverging, then qualitative. */
const struct render_palette *render_palette_at(size_t i);
size_t render_palette_count(void);

/*
 * The k colours (1 <= k <= p->kmax) for k classes into out[k] (out must
 * hold k; k <= 9 for every sequential scheme).  For 3 to kmax,
 * ColorBrewer's k-class scheme (sequential: light to dark; diverging: in
 * ColorBrewer's order, e.g. RdBu red to blue).  A map whose data allow
 * only one or two classes takes the middle, or the two ends, of the
 * 3-class scheme (qualitative: its first one or two colours).  Returns
 * CORE_EUSAGE for k outside 1..kmax, naming the palette and its range.
 */
int render_palette_colors(const struct render_palette *p, int k, uint32_t *out,
			  struct core_err *err);

/* All the names, comma-separated, for help and error messages (static). */
const char *render_palette_names(void);

enum render_palette_kind render_palette_kind(const struct render_palette *p);
/* "sequential", "diverging", "qualitative". */
const char *render_palette_kind_name(enum render_palette_kind kind);

/*
 * 1 when ColorBrewer rates the k-class scheme colour-blind safe: its
 * "blind" property is 1 ("ok"; "maybe" and "bad" count as not safe).
 * Every sequential scheme; BrBG, PiYG, PRGn, PuOr, RdBu, RdYlBu at every
 * k; RdGy, RdYlGn, Spectral never; Dark2 and Set2 at 3, Paired at 3 and
 * 4, no other qualitative scheme.  k = 1 or 2 is judged as k = 3, since
 * those colours come from the 3-class scheme; 0 for k > kmax.
 */
int render_palette_cb_safe(const struct render_palette *p, int k);

/*
 * NULL when p with k classes is colour-blind safe; otherwise a warning
 * for the user, naming the palette and k and the safe schemes of the same
 * kind at that k.  Points to a static buffer (thread-local) valid until
 * the next call in the same thread.
 */
const char *render_palette_cb_warning(const struct render_palette *p, int k);

/*
 * 3 x 3 bivariate schemes.  colors[y][x]: x the first variable's tertile
 * (need, low to high, left to right), y the second's (access, low to
 * high, bottom to top).  colors[0][0] is the low-low corner.
 *
 * The four schemes are Joshua Stevens' (see source).  cb_safe is our own
 * measurement, not the author's claim: 1 when every pair of the nine
 * colours stays at least 10 CIELAB Delta-E (1976) apart under simulated
 * protanopia and deuteranopia (Machado, Oliveira and Fernandes 2009,
 * severity 1), which covers the common red-green deficiencies.
 * PurpleGold (the default; minimum 16) and GreenBlue (11.7) pass;
 * BlueRed (9.7 under protanopia) and PinkBlue (4.5) do not.
 */
struct render_bivar_palette {
	const char *name;
	int cb_safe; /* distinguishable under the common CVDs */
	uint32_t colors[3][3];
	const char *source; /* who published it */
};

/* The scheme named (case-insensitive), or NULL; NULL name: the default,
 * PurpleGold, which is colour-blind safe. */
const struct render_bivar_palette *render_bivar_find(const char *name);
const struct render_bivar_palette *render_bivar_at(size_t i);
size_t render_bivar_count(void);
/* The names, comma-separated (static). */
const char *render_bivar_names(void);

/* Parse "#rrggbb" (the categories table's colours); 0 on success. */
int render_color_parse(const char *s, uint32_t *out);

#endif
