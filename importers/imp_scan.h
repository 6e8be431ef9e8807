/*
 * imp_scan.h - the environmental scan (issue 15): a CSV of interview
 * tallies, which resources patients or community health workers named
 * as trusted and how many times, loaded into assets.trusted_count.
 *
 * The file: a header, then one row per resource named.  Columns (the
 * header's names compared without case, ' ', '-' and '_' alike):
 *
 *   name         the resource as named (required)
 *   category     one or more categories, separated by ';' or ',': a
 *                code, a name or a crosswalk term, as every --category
 *                takes them (imp_xwalk_category; required)
 *   times_named  how many times it was named: a whole number from 1 to
 *                1000000 (required)
 *   address      its street address (optional), with
 *   city, zip    (optional)
 *
 * Other columns are not read (their names are reported).  A row is
 * matched to an existing asset by imp_match.h's rule (the deduplication
 * keys: the normalized name, and the normalized address and ZIP when
 * the row gives an address; the name alone must then be unique).
 *   - matched: the asset's trusted_count gains times_named;
 *   - not matched, with an address the workspace's offline geocoder
 *     places (reference addresses imported, no coarser than
 *     geocode_worst): a new informal asset (formal = 0, no source row,
 *     location_quality the geocoder's level, the row's categories) is
 *     added with trusted_count = times_named; a later row of the same
 *     file with the same keys adds to it;
 *   - otherwise (no address, no reference addresses, an address not
 *     placed, a name that several assets share): not loaded, listed
 *     with its line and why.  Nothing is guessed.
 * What each line contributed is kept in scan_tallies; importing the same
 * file again replaces its earlier tallies (they are taken back from
 * trusted_count first: see core_ws.c), never adds them twice.  An asset
 * an earlier import of the file added and the file no longer names is
 * kept (informal assets may be in the partnership register), its count
 * taken back, and listed in stats->orphans.
 *
 * A bad row (an empty name or category, a category that is none, a
 * times_named that is not a whole number of 1 or more, a row of the
 * wrong width) is rejected naming file, line and field, with "did you
 * mean" for a category near one; without skip_bad one reject refuses the
 * whole file.  A missing required column, or one given twice, refuses
 * the file (line 1).  Everything happens in one transaction: a refused
 * file leaves the workspace as it was.
 */
#ifndef IMP_SCAN_H
#define IMP_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "importers/imp_common.h"
#include "importers/imp_geocode.h"

/* The most times_named a row may give (a typo guard). */
#define IMP_SCAN_TIMES_MAX 1000000

struct imp_scan_opts {
	const char *path;
	int skip_bad;		   /* 1: load the good rows, keep the rejects */
	const char *geocode_worst; /* --geocode-worst LEVEL (imp_gc_worst_opt),
				    * NULL: every level */
};

/* What became of a row not matched to an existing asset. */
enum imp_scan_fate {
	IMP_SCAN_ADDED,	    /* a new informal asset (or one this file
			       added on an earlier line) */
	IMP_SCAN_NOT_LOADED /* listed, nothing written */
};

struct imp_scan_row {
	long line;
	char *name;
	enum imp_scan_fate fate;
	int64_t asset_id; /* ADDED: the asset */
	char *why;	  /* NOT_LOADED: why, a sentence */
};

struct imp_scan_stats {
	int64_t rows;		/* data rows read */
	int64_t matched;	/* rows matched to an existing asset */
	int64_t added_assets;	/* informal assets added */
	int64_t added_rows;	/* rows loaded onto them */
	int64_t not_loaded;	/* rows listed, not loaded */
	int64_t times_named;	/* times named, over the rows loaded */
	int64_t assets_named;	/* distinct assets the file's tallies name */
	int replaced;		/* 1: an earlier import of the file was
				 * replaced */
	int64_t replaced_times; /* what its tallies had added */
	struct imp_scan_row *unmatched; /* rows not matched, in file order */
	size_t nunmatched;
	int64_t *orphans; /* assets an earlier import of the file added that
			   * it no longer names, ascending */
	size_t norphans;
	char *ignored_columns; /* "notes, interviewer", or NULL */
	struct imp_gc_counts geocoded;
};

/*
 * Import o->path as described above into ws, with src (imp_source_init'ed
 * with kind "scan" by the caller, who releases it) and *stats (zeroed by
 * the caller, released with imp_scan_stats_release whatever this
 * returns).  Returns CORE_OK, or: CORE_EUSAGE for a --geocode-worst that
 * is no level, CORE_EFORMAT for a refused file (err
 * names file, line and field; the rejects are in src), CORE_EIO for an
 * unreadable one, CORE_EDB; the workspace is then as it was.
 */
int imp_scan_import(struct core_ws *ws, const struct imp_scan_opts *o,
		    struct imp_source *src, struct imp_scan_stats *stats,
		    struct core_err *err);
void imp_scan_stats_release(struct imp_scan_stats *s);

#endif
