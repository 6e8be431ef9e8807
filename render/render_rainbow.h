/*
 * render_rainbow.h - the SDOH rainbow: a coalition's partners against the
 * five Healthy People 2030 social-determinants-of-health domains they
 * serve, for a coalition meeting.
 *
 * A partner is an asset's organization, or the asset's own name where it
 * has none (informal assets included), compared case-insensitively with
 * surrounding blanks ignored.  A partner serves a domain when at least
 * one of its assets has a category in that domain (categories.domain,
 * from data/taxonomy/categories.csv).
 *
 * Status.  When the workspace's partnership register (schema 7's
 * partners table) has rows, each partner has the best standing among
 * its counted assets: a current partner when one of them has status
 * 'current', else a prospective partner when one has 'prospective',
 * else other (former, none, or not in the register).  The chart marks
 * each partner by it, in its dots on the arcs and in the grid: current
 * filled dark, prospective outlined (a thick ring), other faded; a key
 * names the three with their counts.  Without a register every partner
 * is drawn as before, and the key says how to record one.
 *
 * The page (US letter, landscape): on the left, five coloured arcs, one
 * per domain, each with its number of partners and the numbers of the
 * shown partners placed along it; under them a key of the domains, each
 * with its colour, its shape and its count.  On the right, a grid of the
 * shown partners (rank, name, then per domain the domain's shape with
 * the partner's number of assets in it), legible without colour.  At the
 * foot, how many partners are not shown and a note with the sources and
 * the date.  PNG (150 dpi), PDF and SVG; the same bytes every run.
 *
 * Ownership: render_rainbow_load returns a struct the caller frees with
 * render_rainbow_free (NULL is fine).  Nothing passed is kept.
 */
#ifndef RENDER_RAINBOW_H
#define RENDER_RAINBOW_H

#include <stddef.h>
#include <time.h>

#include "core/core_err.h"
#include "core/core_ws.h"

#define RENDER_RAINBOW_DOMAINS 5
#define RENDER_RAINBOW_TOP     25 /* partners shown by default */

struct render_rainbow_partner {
	char *name;	 /* as first written (lowest asset id) */
	size_t nassets;	 /* its assets counted (any domain) */
	size_t informal; /* of which informal (added by hand) */
	size_t assets[RENDER_RAINBOW_DOMAINS]; /* its assets per domain */
	int ndomains; /* domains served (assets[d] > 0) */
	int status;   /* enum geo_partner_status (geo_recruit.h) of its
		       * best-standing asset; UNAFFILIATED without a
		       * register */
};

struct render_rainbow {
	/* The domains in the workspace's order (sdoh_domains.sort). */
	char *domain_code[RENDER_RAINBOW_DOMAINS];
	char *domain_name[RENDER_RAINBOW_DOMAINS];
	size_t domain_partners[RENDER_RAINBOW_DOMAINS]; /* partners serving */
	size_t domain_assets[RENDER_RAINBOW_DOMAINS];	/* assets in it */
	/* Every partner kept, most domains first, then most assets, then
	 * by name (case-insensitive), then as written. */
	struct render_rainbow_partner *p;
	size_t n;
	size_t nassets;	   /* distinct assets counted */
	char *sources;	   /* "a.csv, b.json" or NULL */
	int registered;	   /* the partnership register has rows */
	size_t nstatus[3]; /* partners kept by status (enum
			    * geo_partner_status) */
};

/*
 * Load partners from the workspace.  cats[ncats]: only assets in these
 * categories count, and only those categories' domains (NULL / 0: all).
 * min_assets: partners with fewer counted assets are left out (0 or 1:
 * none).  A workspace whose sdoh_domains table does not hold exactly five
 * domains is CORE_EFORMAT, naming it.
 */
int render_rainbow_load(struct core_ws *ws, const char *const *cats,
			size_t ncats, long min_assets,
			struct render_rainbow **out, struct core_err *err);
void render_rainbow_free(struct render_rainbow *r);

struct render_rainbow_spec {
	const char *title;    /* NULL: a default title */
	const char *subtitle; /* NULL: what was counted */
	const char *creator;  /* "assetmap 0.1.0" (PDF metadata, note) */
	size_t top;	      /* partners shown; 0: RENDER_RAINBOW_TOP */
	/* The note's date; 0 means $SOURCE_DATE_EPOCH when set (then also
	 * the PDF's dates), else now. */
	time_t date;
};

/* The domain colours, 0xRRGGBB, in domain order: Okabe and Ito's
 * colour-blind-safe set in rainbow order. */
extern const unsigned render_rainbow_colors[RENDER_RAINBOW_DOMAINS];

/*
 * Draw r to path: PNG, PDF or SVG by its extension (render_format_of_path;
 * CORE_EUSAGE otherwise).  Written to a temporary file beside path and
 * renamed into place: a failure leaves nothing.  The PDF's title is the
 * page's title.  Errors name path.
 */
int render_rainbow_write(const struct render_rainbow *r,
			 const struct render_rainbow_spec *spec,
			 const char *path, struct core_err *err);

#endif
