/*
 * imp_census.h - the Census Bureau's and CDC's area tables, each
 * recognised by its header:
 *
 *   imp_tiger_import   TIGER/Line and cartographic boundary polygons
 *                      (Shapefile, zipped or not, GeoJSON, GeoPackage) of
 *                      states, counties, tracts, block groups or ZCTAs
 *                      -> areas, with land and water area and flags
 *   imp_acs_import     an ACS table as data.census.gov (or the older
 *                      American FactFinder) writes it -> indicators with
 *                      their 90% margins of error
 *   imp_svi_import     a CDC/ATSDR Social Vulnerability Index table of
 *                      any edition (2000 to 2022) -> indicators
 *   imp_places_import  CDC PLACES model estimates, long or GIS-friendly
 *                      (wide) form -> indicators with 95% intervals
 *
 * Each import is one transaction and one sources row (kind 'areas' for
 * TIGER, 'indicators' for the others), follows imp_common's life of one
 * import, and replaces an earlier import of the same file.  A file that
 * is not what the importer expects fails before the workspace is
 * touched, saying what it looks like instead and which import reads it.
 * Rows with a problem are rejected with file, line (CSV: header = line 1)
 * or feature, field and value; without skip_bad one reject fails the
 * whole import and the workspace is left as it was.
 *
 * A total population (SVI's E_TOTPOP, ACS B01003_001E, PLACES'
 * TotalPopulation when named) becomes areas.population of the areas at
 * the file's level and the "population" indicator; polygons imported
 * later pick it up.  Water-only and zero-population areas are kept and
 * flagged (core_area.h) after every import.
 *
 * Ownership: the caller owns opts' strings; stats' strings and notes are
 * owned by stats and freed by imp_census_stats_release.
 */
#ifndef IMP_CENSUS_H
#define IMP_CENSUS_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "importers/imp_common.h"

struct imp_census_opts {
	const char *path;
	/* tiger, places: state, county, tract, blockgroup or zcta; NULL:
	 * detect (a given level that contradicts the file fails). */
	const char *level;
	const char *layer; /* tiger: NULL: the file's only layer */
	/* svi, acs: comma list of value columns; NULL: all of them. */
	const char *columns;
	/* svi, acs, places: the total population column; NULL: the usual
	 * one (SVI: E_TOTPOP or TOTPOP; ACS: B01003_001E; PLACES: none);
	 * "": none. */
	const char *population;
	/* svi: "national" or "state"; NULL: work it out from the values. */
	const char *ranking;
	long year; /* 0: from the file (name or columns) */
	int skip_bad;
	struct imp_words_opt words; /* --source-label, --label */
};

struct imp_census_stats {
	char *what;		/* e.g. "CDC/ATSDR SVI 2018 (tract, ...)" */
	char *level;		/* the level the file holds */
	long year;		/* the data's year, 0 when unknown */
	int64_t areas;		/* tiger: areas written */
	int64_t water_only;	/* tiger: of which ALAND = 0 */
	int64_t repaired;	/* tiger: invalid polygons made valid */
	int64_t population_set; /* areas whose population this import set */
	int64_t no_population;	/* areas at the level flagged as 0 people */
	int64_t unmatched;	/* the file's GEOIDs with no area (when the
				 * workspace has areas at the level) */
	int64_t ncolumns;	/* indicators written per area */
	int64_t values;		/* indicator values written */
	int64_t missing;	/* of which missing (NULL) */
	int64_t skipped;	/* rows read but not for us (see notes) */
	char **notes;		/* lines for the user, NULL-terminated */
	size_t nnotes;
};

void imp_census_opts_init(struct imp_census_opts *o);
void imp_census_stats_release(struct imp_census_stats *st);

/*
 * Each imports o->path into ws.  src must be set up with
 * imp_source_init(src, "areas") for TIGER and (src, "indicators") for
 * the others; on return it holds the row counts and first rejects.
 * stats may be NULL.  Returns CORE_OK; CORE_EUSAGE for options that do
 * not apply to the file; CORE_EFORMAT / CORE_EIO for a file that cannot
 * be imported or rows rejected without skip_bad (the workspace is then
 * unchanged).
 */
int imp_tiger_import(struct core_ws *ws, const struct imp_census_opts *o,
		     struct imp_source *src, struct imp_census_stats *stats,
		     struct core_err *err);
int imp_acs_import(struct core_ws *ws, const struct imp_census_opts *o,
		   struct imp_source *src, struct imp_census_stats *stats,
		   struct core_err *err);
int imp_svi_import(struct core_ws *ws, const struct imp_census_opts *o,
		   struct imp_source *src, struct imp_census_stats *stats,
		   struct core_err *err);
int imp_places_import(struct core_ws *ws, const struct imp_census_opts *o,
		      struct imp_source *src, struct imp_census_stats *stats,
		      struct core_err *err);

/*
 * The census level of a GEO_ID such as "1400000US06075010100" or
 * "860Z200US94103" (summary level 040 state, 050 county, 140 tract, 150
 * block group, 860 ZCTA): returns the level name and copies the GEOID
 * after "US" into geoid (n bytes); NULL when it is not a GEO_ID of one
 * of those levels (*sumlev, may be NULL, then holds the 3-digit summary
 * level seen, or "" when the text is no GEO_ID at all).
 */
const char *imp_census_geo_id(const char *geo_id, char *geoid, size_t n,
			      char sumlev[4]);

#endif
