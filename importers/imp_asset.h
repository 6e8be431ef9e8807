/*
 * imp_asset.h - the one way every importer (and 'assetmap add asset')
 * writes an asset: the row, its categories and programs, its source
 * link, and the merge of one site listed by two sources.
 *
 *   struct imp_asset_writer *w;
 *   imp_asset_writer_new(ws, src, merge, &w, err);   after imp_source_open
 *   for each row:  struct imp_asset a; imp_asset_init(&a); fill;
 *                  imp_asset_write(w, &a, &id, err);
 *   imp_asset_writer_finish(w, err);  (after imp_asset_writer_bulk)
 *   imp_asset_writer_free(w);                         before commit
 *
 * The writer reuses prepared statements and builds the point blob in C:
 * importers call it once per row inside their one transaction.  Every
 * asset it inserts for a source also gets an asset_sources row (the
 * row's key and line, how = 'imported').  A merged row counts in
 * src->rows_merged only; the importer counts it in rows_accepted as
 * usual.
 *
 * Merging (merge != 0): before inserting, the writer looks for an asset
 * from ANOTHER source that is the same site (the rule is documented in
 * imp_asset.c and README.md: same normalized name and address, or same
 * normalized name within a short distance).  When found, the new row is
 * not inserted; the existing asset gains this source in asset_sources,
 * the categories and programs of both, and facts it lacked; src->
 * rows_merged counts it, and *id is the existing asset's.
 *
 * Ownership: struct imp_asset's strings and arrays are borrowed for the
 * call; the writer copies what it keeps.
 */
#ifndef IMP_ASSET_H
#define IMP_ASSET_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "importers/imp_common.h"

struct imp_asset {
	const char *source_key; /* the row's id in its source */
	long source_line;	/* line or feature number, 0 if none */
	const char *name;	/* required */
	const char *organization, *address, *city, *state, *zip;
	const char *phone, *website, *email, *hours;
	const char *languages; /* comma-separated ISO 639-1 codes */
	const char *eligibility, *description;
	const char *npi, *accessibility;
	const char *attrs;	 /* a JSON object of other facts, or NULL */
	double capacity;	 /* NaN when unknown */
	double age_min, age_max; /* NaN when unknown */
	int accepts_medi_cal;	 /* 1, 0, or -1 when unknown */
	int ecm_provider;	 /* 1, 0, or -1 when unknown */
	int telehealth;		 /* 1, 0, or -1 when unknown */
	int formal;		 /* 1 imported (default); 0 informal */
	/* "coordinates" (default), "manual", or how the geocoder placed
	 * it: "address_point", "interpolated", "street_range", "street",
	 * "zip" (geo_gc_level_name); "address" from older workspaces */
	const char *location_quality;
	double lon, lat;	       /* WGS84, checked by the caller */
	const char *const *categories; /* category codes that exist */
	size_t ncategories;
	const char *const *programs; /* Community Support codes */
	size_t nprograms;
};

/* Everything unknown: NaNs, -1s, formal = 1, no strings. */
void imp_asset_init(struct imp_asset *a);

struct imp_asset_writer;

/* src may be NULL for an asset added by hand (no source, no
 * asset_sources row, never merged).  With merge, the assets of other
 * sources are loaded here, once. */
int imp_asset_writer_new(struct core_ws *ws, struct imp_source *src, int merge,
			 struct imp_asset_writer **out, struct core_err *err);

/* Insert (or merge) one asset; *id (may be NULL) receives its id. */
int imp_asset_write(struct imp_asset_writer *w, const struct imp_asset *a,
		    int64_t *id, struct core_err *err);

/* Free w and its statements; NULL is a no-op.  Does not end bulk mode
 * (see imp_asset_writer_finish). */
void imp_asset_writer_free(struct imp_asset_writer *w);

/*
 * Bulk mode, for an import of many rows: SpatiaLite's per-row INSERT
 * triggers on assets (spatial index, timestamp, geometry check) are
 * dropped now, inside the caller's transaction, and the rows this writer
 * inserts are indexed by imp_asset_writer_finish, which also makes the
 * triggers again.  Call _bulk right after _new, and _finish after the
 * last write and BEFORE the commit; a failed import just rolls back.
 * Committing a bulk writer's rows without _finish would leave them out
 * of the spatial index.  _finish on a writer not in bulk mode (or on
 * NULL) does nothing.
 */
int imp_asset_writer_bulk(struct imp_asset_writer *w, struct core_err *err);
/*
 * Start an import of assets from src: imp_bulk_begin(ws, bulk), the
 * transaction, src's sources row (imp_source_open), then a writer
 * (imp_asset_writer_new with merge) in bulk mode (imp_asset_writer_bulk)
 * into *w, which the caller owns and frees with imp_asset_writer_free
 * even on failure.  On failure (the first step's error in err) the
 * caller still calls imp_bulk_end and rolls back, as after any failed
 * write.
 */
int imp_asset_write_begin(struct core_ws *ws, struct imp_bulk *bulk,
			  struct imp_source *src, int merge,
			  struct imp_asset_writer **w, struct core_err *err);

/*
 * End bulk mode: put the rows this writer inserted into the spatial
 * index (rebuilding it when they are many beside what it holds, else
 * inserting them), touch the geometry's last-insert time when its
 * trigger was there, and make the dropped triggers again.  Returns
 * CORE_OK, or the workspace's error with err set ("filling the spatial
 * index: ..." for the index); the caller then rolls back.
 */
int imp_asset_writer_finish(struct imp_asset_writer *w, struct core_err *err);

/*
 * The keys of the merge rule (see imp_asset.c), for tests and for
 * importers that want to say why two rows were or were not merged.
 * Both return a new string the caller frees ("" when nothing is left).
 */
char *imp_asset_norm_name(const char *name);
char *imp_asset_norm_address(const char *address);
/* The ZIP code of the merge rule as a number, 0 when there is none: the
 * first five digits of zip when zip is not NULL (0 unless exactly five
 * digits lead it), else the last five-digit number after the first
 * comma of address. */
int imp_asset_zip5(const char *zip, const char *address);

/* Great-circle distance in metres between two WGS84 points. */
double imp_asset_distance_m(double lon1, double lat1, double lon2, double lat2);

#endif
