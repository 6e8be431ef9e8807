/*
 * imp_rtree.h - fill a SpatiaLite spatial index (an SQLite R*Tree such
 * as idx_assets_geom) in one pass instead of one row at a time.
 *
 * SpatiaLite keeps its index current with a trigger per row that runs
 * RTreeAlign(), which prepares an INSERT and walks the tree for every
 * row: about 20 us a row, most of a large import.  An importer that sets
 * the trigger aside (inside its transaction) hands the rows it wrote to
 * imp_rtree_rebuild, which packs the index bottom-up in Hilbert order
 * and writes its shadow tables directly: well under a second for a few
 * hundred thousand points.
 */
#ifndef IMP_RTREE_H
#define IMP_RTREE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"

/* One entry: the row's id (the index's pkid) and its bounds, WGS84. */
struct imp_rtree_box {
	int64_t id;
	double xmin, xmax, ymin, ymax;
};

/*
 * Make the R*Tree `table` (e.g. "idx_assets_geom") hold its current
 * entries plus add[0..nadd-1] (ids not in it yet), built in one pass:
 * the table is read, dropped, made again from its own SQL and its
 * %_node, %_parent and %_rowid tables written.  Bounds are rounded
 * outwards to float the way the R*Tree rounds them on insert, so the
 * entries are bit for bit what row-by-row inserts make.  Runs inside
 * the caller's transaction; on failure the caller rolls back.  `table`
 * is a plain identifier (letters, digits, '_').
 */
int imp_rtree_rebuild(struct core_ws *ws, const char *table,
		      const struct imp_rtree_box *add, size_t nadd,
		      struct core_err *err);

/*
 * As imp_rtree_rebuild, but the index is made of add[] alone: what it
 * holds now is dropped.  For a caller that has deleted rows with the
 * index's triggers set aside (so the index still lists them) and passes
 * every row that remains (imp_cohort.c).  ids must be distinct.  With
 * ordered 1, add[] is packed in the order given (the caller has sorted
 * it along a space-filling curve already) instead of in Hilbert order.
 */
int imp_rtree_build(struct core_ws *ws, const char *table,
		    const struct imp_rtree_box *add, size_t nadd, int ordered,
		    struct core_err *err);

/*
 * SpatiaLite's triggers on one table, set aside for a bulk write: their
 * SQL, kept to make them again.  Zero it to start (or fill it with
 * imp_triggers_drop); imp_triggers_release frees it.
 */
struct imp_triggers {
	char **sql;
	size_t n;
};

/*
 * Drop the triggers on `table` (names NULL: every trigger it has; else
 * only those named, a NULL-terminated list), in name order, keeping
 * their SQL in t.  Runs inside the caller's transaction, so a rollback
 * brings them back.  A database error is reported as core_ws_dberr's,
 * with `what` naming what was being done ("reading the triggers").
 */
int imp_triggers_drop(struct core_ws *ws, const char *table,
		      const char *const *names, struct imp_triggers *t,
		      const char *what, struct core_err *err);

/* Make the triggers t holds again (t keeps them, for release). */
int imp_triggers_restore(struct core_ws *ws, const struct imp_triggers *t,
			 struct core_err *err);

/* Whether t holds a trigger whose SQL names `name` (quoted, as SpatiaLite
 * writes it). */
int imp_triggers_has(const struct imp_triggers *t, const char *name);

void imp_triggers_release(struct imp_triggers *t);

/* Insert add[] one by one through the R*Tree (for a few rows into a
 * large index, where rebuilding would cost more). */
int imp_rtree_insert(struct core_ws *ws, const char *table,
		     const struct imp_rtree_box *add, size_t nadd,
		     struct core_err *err);

/* The number of entries of `table` (its %_rowid table), -1 when it does
 * not exist. */
/* Position of (x, y), each 0..65535, along a Hilbert curve: the
 * packing order of the bulk builds, and of a cohort's members. */
uint32_t imp_hilbert(uint32_t x, uint32_t y);
/* Sort v[0..n-1] by their high 32 bits (stable, four byte passes). */
void imp_radix_sort_hi32(uint64_t *v, size_t n);

int imp_rtree_count(struct core_ws *ws, const char *table, int64_t *n,
		    struct core_err *err);

#endif
