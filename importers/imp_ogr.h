/*
 * imp_ogr.h - the generic importer: any vector file GDAL/OGR reads
 * (GeoJSON, Shapefile, GeoPackage, KML, CSV, ...) into assets, areas or
 * indicators, with a column mapping the user gives or we guess.
 *
 *   assets      points (a point geometry, or lon/lat columns) with a name
 *               and optional organisation, address, phone, categories,
 *               Medi-Cal flags ...
 *   areas       census polygons keyed by GEOID at one level, stored as
 *               MULTIPOLYGON
 *   indicators  a GEOID-keyed table, stored long form (geoid, name, value)
 *
 * Everything lands in WGS84 lon/lat: a layer with a CRS is reprojected,
 * a layer without one is taken as lon/lat and out-of-range coordinates
 * are rejected.  One import is one transaction and one sources row;
 * importing the same (kind, path) again replaces the earlier import.
 *
 * Assets without a point (an empty geometry, or both coordinate columns
 * empty or absent) that have an address (the --address column, with
 * --city, --state and --zip when mapped) are placed by the workspace's
 * offline geocoder (imp_geocode.h), loaded only when some row needs it:
 * assets.location_quality is then the level ("address_point",
 * "interpolated", "street_range", "street", "zip"), and stats->geocoded
 * counts them per level.  One not placed is rejected with the
 * geocoder's reason, field the address column.  A file with no
 * coordinate columns and no point geometry is read this way when it has
 * an address column.
 *
 * Assets are written through imp_asset.h (merged with the same site from
 * another source unless no_merge); values of --category that are not
 * category codes, and the items of --category-from columns, go through
 * the crosswalk (imp_xwalk.h) and are kept in source_terms.
 *
 * CSV files (.csv, .tsv, .psv, .txt) are read by core_csv.h, the strict
 * reader of every CSV: a quoted field left open at the end, a NUL byte,
 * or a short last row with no line end (a file cut short) fail the file;
 * a row with more or fewer fields than the header is rejected like any
 * row with a bad value.  The separator is ',', ';', tab or '|',
 * whichever the header holds first outside quotes (',' when none;
 * .tsv: tab, .psv: '|').  A column called WKT
 * gives the geometry, as in GDAL's CSV driver.
 *
 * Rows with a problem are rejected with file, line (CSV: header = line 1)
 * or feature number (1-based), field and value.  By default one reject
 * fails the whole import and the workspace is left exactly as it was;
 * with skip_bad the good rows are kept and the rejects stored in
 * source_rejects.  File-level problems always fail.
 */
#ifndef IMP_OGR_H
#define IMP_OGR_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "importers/imp_common.h"
#include "importers/imp_geocode.h"

enum imp_kind { IMP_ASSETS, IMP_AREAS, IMP_INDICATORS };

/* The columns a user can map; each is a command-line option named by
 * imp_col_option(). */
enum imp_col {
	IMP_COL_NAME,	  /* assets (required), areas */
	IMP_COL_ID,	  /* assets: the source's own key */
	IMP_COL_CATEGORY, /* assets: a column, or code(s) for every row */
	IMP_COL_LON,	  /* assets without a point geometry */
	IMP_COL_LAT,
	IMP_COL_ORGANIZATION,
	IMP_COL_ADDRESS,
	IMP_COL_CITY,
	IMP_COL_STATE,
	IMP_COL_ZIP,
	IMP_COL_PHONE,
	IMP_COL_WEBSITE,
	IMP_COL_EMAIL,
	IMP_COL_HOURS,
	IMP_COL_LANGUAGES,
	IMP_COL_ELIGIBILITY,
	IMP_COL_DESCRIPTION,
	IMP_COL_CAPACITY,   /* a number >= 0 */
	IMP_COL_MEDI_CAL,   /* yes/no, true/false, 1/0 */
	IMP_COL_PROGRAMS,   /* Medi-Cal Community Support codes, ',' or ';' */
	IMP_COL_GEOID,	    /* areas, indicators (required) */
	IMP_COL_POPULATION, /* areas, indicators: sets areas.population */
	IMP_COL_LAND,	    /* areas: land area in m2 (TIGER's ALAND); 0
			     * flags the area water-only */
	IMP_COL_COUNT
};

struct imp_ogr_opts {
	enum imp_kind kind;
	const char *path;
	/*
	 * For tests and fuzzing: the file's bytes in memory (borrowed for
	 * the call), read instead of the file path names (path then gives
	 * its name and, by its extension, .csv/.tsv/.psv/.txt or not, how
	 * it is read).  They must be UTF-8.  NULL: read path.
	 */
	const char *data;
	size_t size;
	const char *layer; /* NULL: the file's only layer */
	/*
	 * Column names (matched case-insensitively); NULL means guess from
	 * common names.  col[IMP_COL_CATEGORY] is either a column of the
	 * layer or a list (',' or ';') of categories given to every row,
	 * each a code, a name or a crosswalk term (imp_xwalk_category).
	 */
	const char *col[IMP_COL_COUNT];
	/* areas: state, county, tract, blockgroup or zcta (required);
	 * indicators: optional, limits which areas --population updates. */
	const char *level;
	/* indicators: comma list of value columns; NULL: every column whose
	 * non-missing values are all numbers, except the geoid. */
	const char *columns;
	/* indicators: comma list of markers read as missing (value NULL);
	 * NULL: "", NA, -999, -666666666, -888888888, -999999999, (X). */
	const char *missing;
	long year;		    /* indicators: 0 when not known */
	struct imp_words_opt words; /* --source-label, --label */
	int skip_bad;
	int no_merge; /* assets: never merge with other
		       * sources' assets (imp_asset.h) */
	/* assets: comma list of free-text columns (names, services,
	 * descriptions) whose keywords give categories through the
	 * crosswalk's "keyword" vocabulary (imp_xwalk.h) */
	const char *category_from;
	/* assets: the coarsest geocoded placement taken ("address_point",
	 * ..., "zip"; imp_gc_level_parse), NULL: every level */
	const char *geocode_worst;
};

/* What an import did beyond the row counts in struct imp_source. */
struct imp_ogr_stats {
	int64_t values;		/* indicators: values written */
	int64_t missing;	/* indicators: of which missing (NULL) */
	int64_t ncolumns;	/* indicators: value columns */
	int64_t population_set; /* areas whose population was set (from
				 * the file, or for areas from an earlier
				 * table's population indicator) */
	int64_t no_population;	/* areas and indicators with a population:
				 * areas of the level with 0 people, flagged
				 * (core_area.h) */
	int64_t repaired;	/* areas: invalid polygons made valid */
	char *columns;		/* indicators: the columns, comma-separated */
	/* assets: the source's terms (--category values, --category-from
	 * items) that matched no category: how many, and the sentence
	 * listing the most used (imp_xwalk_unmatched), NULL when none */
	size_t unmatched_terms;
	char *unmatched;
	/* assets: the rows without coordinates sent to the geocoder */
	struct imp_gc_counts geocoded;
};

void imp_ogr_opts_init(struct imp_ogr_opts *o);
void imp_ogr_stats_release(struct imp_ogr_stats *st);

/* The option name of a column, without "--" (e.g. "medi-cal"). */
const char *imp_col_option(enum imp_col c);

/* "assets", "areas", "indicators"; and back (-1 when unknown). */
const char *imp_kind_name(enum imp_kind k);
int imp_kind_parse(const char *s);

/* 1 when level is one of the census levels, with its GEOID length. */
int imp_level_geoid_len(const char *level, int *len);

/*
 * Import o->path into ws in one transaction.  src must have been set up
 * with imp_source_init(src, imp_kind_name(o->kind)); on return, success
 * or not, it holds what was learnt: the mapping used (src->options, as
 * command-line options), row counts and the first rejects.  stats may be
 * NULL.  Returns CORE_OK; CORE_EUSAGE for options that cannot apply to
 * this file (e.g. --category naming neither a column nor a category);
 * CORE_EFORMAT / CORE_EIO for a file that cannot be imported or rows
 * that were rejected without skip_bad: then the workspace is unchanged.
 */
int imp_ogr_import(struct core_ws *ws, const struct imp_ogr_opts *o,
		   struct imp_source *src, struct imp_ogr_stats *stats,
		   struct core_err *err);

#endif
