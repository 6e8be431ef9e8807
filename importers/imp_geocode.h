/*
 * imp_geocode.h - what every importer does with a row that has an address
 * and no coordinates: place it with the workspace's offline geocoder
 * (geo_geocode.h), and count per level how many were placed and why the
 * others were not.
 *
 *   struct imp_gc gc;
 *   imp_gc_init(&gc, ws, worst);          worst: imp_gc_level_parse, or 0
 *   for each row without coordinates that has a street address:
 *       struct imp_gc_place p;
 *       if ((rc = imp_gc_place(&gc, street, city, state, zip, &p, err)))
 *           fail;                          only a database error
 *       if (p.level) use p.lon, p.lat, geo_gc_level_name(p.level)
 *       else reject the row, with imp_gc_reason(&p) ...
 *   the counts are in gc.n, for the summary (cli/ prints them)
 *   imp_gc_release(&gc);
 *
 * The geocoder is loaded once, on the first row that needs it: an import
 * whose rows all have coordinates never reads the reference tables.  A
 * workspace without reference addresses is not an error: every such row
 * is then not placed, with the reason "no reference addresses imported;
 * run 'assetmap import addresses'".
 *
 * The address text is never kept here, nor put in any message: callers
 * that may quote it (assets, HSDS, Medi-Cal) do so themselves, and
 * cohorts never do.
 */
#ifndef IMP_GEOCODE_H
#define IMP_GEOCODE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "geo/geo_geocode.h"

/* Distinct reasons counted one by one; the rest go under "other". */
#define IMP_GC_WHY_MAX 12

/* What an import's geocoding did; all zero when no row needed it. */
struct imp_gc_counts {
	int64_t tried;			/* rows sent to the geocoder */
	int64_t placed[GEO_GC_ZIP + 1]; /* by level; [GEO_GC_NONE] unused */
	int64_t not_placed;
	struct {
		const char *why; /* a static phrase */
		int64_t n;
	} why[IMP_GC_WHY_MAX];
	int nwhy;
	int64_t other_why; /* not placed for reasons past IMP_GC_WHY_MAX */
	int worst;	   /* the coarsest level accepted (GEO_GC_ZIP when
			    * not limited) */
};

struct imp_gc {
	struct core_ws *ws;	/* borrowed; NULL: nothing can be placed */
	struct geo_geocoder *g; /* loaded on the first row that needs it */
	int loaded;
	int counting; /* 1 (default): count what imp_gc_place does; 0 for
		       * an importer's first pass over rows it reads twice */
	struct imp_gc_counts n;
};

/* One row's answer. */
struct imp_gc_place {
	int level;	 /* enum geo_gc_level; GEO_GC_NONE: not placed */
	double lon, lat; /* WGS 84, when placed */
	double score;
	const char *why; /* not placed: a static phrase; else NULL */
	char zip[6];	 /* the parsed address's 5-digit ZIP, or ""; a
			  * ZIP-level placement always has one */
};

/* The reason of a row not placed because the workspace has no reference
 * addresses. */
extern const char imp_gc_why_empty[];

/*
 * Set gc up for one import on ws (NULL for a reader without a
 * workspace: every row is then not placed, "no workspace to geocode
 * in").  worst is the coarsest level accepted (0: every level, up to
 * GEO_GC_ZIP); a coarser answer is not placed, "placed only at ZIP
 * level, coarser than --geocode-worst" and the like.
 */
void imp_gc_init(struct imp_gc *gc, struct core_ws *ws, int worst);

/* Free the geocoder, if loaded; the counts stay readable. */
void imp_gc_release(struct imp_gc *gc);

/*
 * Place one address, given as the columns a file holds it in (any may
 * be NULL or empty; street is the street line with its number, or the
 * whole address on one line when the others are empty).  Loads the
 * geocoder on first use.  Counts the answer in gc->n when gc->counting.
 * Returns CORE_OK with *out filled (placed or not), or the error of
 * loading the geocoder (CORE_EDB, err set).
 */
int imp_gc_place(struct imp_gc *gc, const char *street, const char *city,
		 const char *state, const char *zip, struct imp_gc_place *out,
		 struct core_err *err);

/*
 * The level named by s as outputs write it (geo_gc_level_name:
 * "address_point", "interpolated", "street_range", "street", "zip";
 * case, '-' and ' ' for '_' do not matter), or -1.  For --geocode-worst.
 */
int imp_gc_level_parse(const char *s);

/*
 * A --geocode-worst value (NULL: not given) into *worst: 0 when not
 * given, else the level.  CORE_EUSAGE with err naming the levels for
 * anything else.
 */
int imp_gc_worst_opt(const char *s, int *worst, struct core_err *err);

/*
 * The reason a row without coordinates whose address was not placed is
 * rejected, completing "FILE line N, field F: 'the address' ": "could
 * not be geocoded, and the row has no coordinates: street not found".
 * hidden (cohorts): the address is not quoted, and the reason says so.
 * Into buf (n bytes); returns buf.
 */
const char *imp_gc_reject_why(const struct imp_gc_place *p, int hidden,
			      char *buf, size_t n);

#endif
