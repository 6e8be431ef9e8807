/*
 * import_common.h - what the fuzz_import_* targets share: one workspace
 * made on the first call in $TMPDIR and removed at exit, and the checks
 * that hold for any import into it.  Every check aborts when it fails
 * (the fuzz drivers' signal for a broken invariant).
 */
#ifndef FUZZ_IMPORT_COMMON_H
#define FUZZ_IMPORT_COMMON_H

#include <stdint.h>

#include "core/core_err.h"

struct core_ws;
struct imp_source;

/*
 * The target's workspace: made on the first call (a new directory
 * $TMPDIR/NAME-XXXXXX holding w.db, with the taxonomy seeded) and
 * removed with its directory at exit; later calls return the same one.
 * name is the target's name, for the directory and for the message
 * printed before aborting when it cannot be made.  Borrowed: never
 * close it.
 */
struct core_ws *fuzz_ws_get(const char *name);

/* The first column of the first row of sql as an integer, -1 when there
 * is no row; aborts when sql does not prepare. */
int64_t fuzz_q_int(struct core_ws *ws, const char *sql);

/* Abort unless every text value sql returns is valid UTF-8. */
void fuzz_all_utf8(struct core_ws *ws, const char *sql);

/* What ws holds, to see that a failure changed nothing: the rows of
 * assets, of table (the other kind the target imports), of sources and
 * of source_rejects, in c[0..3]. */
void fuzz_counts(struct core_ws *ws, const char *table, int64_t c[4]);

/*
 * After an import of the file path (as the importer was told it) that
 * returned rc: src's warning names path, and every reject shown names
 * path, has a line in lo..hi and valid UTF-8; when rc is not CORE_OK,
 * err has a message naming path and ws's counts (fuzz_counts with
 * table) are still before[].  name is the target's, for the message
 * printed before aborting on a failure that broke that.
 */
void fuzz_check_import(struct core_ws *ws, const char *name, const char *path,
		       const char *table, int rc, const struct core_err *err,
		       const struct imp_source *src, long lo, long hi,
		       const int64_t before[4]);

/*
 * After an import of assets that succeeded as source src_id: as many
 * assets link to it as were accepted, each has a name and a point in
 * lon/lat range, and every asset's text is valid UTF-8.
 */
void fuzz_check_assets(struct core_ws *ws, int64_t src_id, int64_t accepted);

#endif
