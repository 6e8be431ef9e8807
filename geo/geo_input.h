/*
 * geo_input.h - what the analyses read from the workspace, in bulk,
 * projected to the analysis CRS: supply (assets of each category, after
 * the user's filters), cohort members, demand per area, and one point per
 * area.
 *
 * One SQL pass per layer; geometry blobs are decoded in C (see
 * geo_blob.h); no per-row queries.  All coordinates are metres in the
 * projection given (geo_proj_for_ws).
 *
 * Ownership: every _load returns an object the caller frees with the
 * matching _free (which accepts NULL).
 */
#ifndef GEO_INPUT_H
#define GEO_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "geo/geo_load.h"
#include "geo/geo_proj.h"

/*
 * Which assets count by the partnership register (schema 7's partners
 * table, one row per asset with its status).  An asset with no row in the
 * register, or with status 'former' or 'none', is no partner: it passes
 * only GEO_PARTNERS_ALL.
 */
enum geo_partners {
	GEO_PARTNERS_ALL = 0,	  /* no filter: every asset (the default) */
	GEO_PARTNERS_CURRENT,	  /* status 'current' */
	GEO_PARTNERS_PROSPECTIVE, /* status 'prospective' */
	GEO_PARTNERS_ANY	  /* 'current' or 'prospective' */
};

/* The code of p as the command line takes it and run parameters store
 * it ("current", "prospective", "any"); NULL for GEO_PARTNERS_ALL. */
const char *geo_partners_code(enum geo_partners p);

/* Which assets count as supply.  Every field is optional. */
struct geo_filter {
	const char
	    *language; /* ISO 639-1 code the asset lists ("es"); NULL any */
	int medi_cal;  /* 1: accepts_medi_cal = 1 only */
	const char *program; /* a Community Support code it offers; NULL any */
	int weekday;	     /* 1: open on some weekday, from its hours */
	int evening;	     /* 1: open at or after 17:00 on some day */
	double min_capacity; /* NaN: none; else capacity >= this (unknown
				capacity fails a minimum) */
	int formal;	     /* -1 any (default), 1 formal only, 0 informal */
	enum geo_partners partners; /* GEO_PARTNERS_ALL: any asset */
};

/* All fields "any". */
void geo_filter_init(struct geo_filter *f);

/* A short text for notes and run parameters: "language es, accepts
 * Medi-Cal, open evenings, current partners only" ("" when no filter).
 * Returns buf. */
char *geo_filter_describe(const struct geo_filter *f, char *buf, size_t size);

/* Whether f (NULL: none) asks for anything. */
int geo_filter_is_set(const struct geo_filter *f);

/*
 * Which of the n assets id[] (assets.id, any order, repeats allowed)
 * pass f, by the same conditions geo_supply_load applies: keep[i] = 1
 * when asset id[i] passes, 0 when not (or when there is no such asset).
 * With no filter set every keep[i] is 1 and the workspace is not read.
 * For maps that draw the assets an analysis counts.
 */
int geo_filter_keep(struct core_ws *ws, const struct geo_filter *f,
		    const int64_t *id, size_t n, unsigned char *keep,
		    struct core_err *err);

/*
 * Hours as the importers store them (assets.hours: free text such as
 * "Mo-Fr 09:00-17:00; Sa 10:00-14:00", "Mon-Fri 9am-5pm", HSDS schedules
 * written out, "24/7").  Sets *weekday and *evening; returns 0 when the
 * text could be read, -1 when not (the asset then fails an hours filter).
 */
int geo_hours_parse(const char *hours, int *weekday, int *evening);

/* The assets of one category that pass the filter. */
struct geo_supply {
	char *category; /* its code */
	size_t n;
	int64_t *id;	  /* [n] assets.id, ascending */
	double *x, *y;	  /* [n] metres */
	double *capacity; /* [n] capacity; 1 where unknown */
};

/*
 * Load supply for each of ncats category codes: out is an array of ncats
 * geo_supply, in the order asked.  An asset with several categories is
 * in each of their sets.  An unknown code is CORE_EUSAGE naming it and
 * listing how to see the codes; a category with no assets is an empty
 * set, not an error.
 */
int geo_supply_load(struct core_ws *ws, const char *const *cats, size_t ncats,
		    const struct geo_filter *f, struct geo_proj *proj,
		    struct geo_supply **out, struct core_err *err);
void geo_supply_free(struct geo_supply *s, size_t ncats);

/* The codes of the categories that have at least one asset, in taxonomy
 * order: the default when a user names none.  *codes is the caller's:
 * free each of its *n strings, then the array. */
int geo_categories_present(struct core_ws *ws, char ***codes, size_t *n,
			   struct core_err *err);

/* The people of a point cohort. */
struct geo_members {
	size_t n;
	int64_t *id;   /* [n] cohort_members.id, ascending */
	double *x, *y; /* [n] metres */
	int32_t *area; /* [n] index into the areas given, -1 outside them */
	unsigned char *zip_precision; /* [n] 1 where placed at a ZIP centroid */
};

/*
 * Load cohort NAME's members.  attr, when not NULL, is "KEY=VALUE": only
 * members whose kept attribute KEY equals VALUE (case-insensitive), e.g.
 * "language=es".  areas, when not NULL, assigns each member to an area
 * of that level by its stored tract GEOID (a prefix for county) or, when
 * absent, by point in polygon.  CORE_ENOTFOUND for an unknown cohort
 * (listing the cohorts there are); CORE_EUSAGE for a counts cohort (it
 * has no members: use geo_demand_load).
 */
int geo_members_load(struct core_ws *ws, const char *cohort, const char *attr,
		     struct geo_proj *proj, const struct geo_areas *areas,
		     struct geo_members **out, struct core_err *err);
void geo_members_free(struct geo_members *m);

/*
 * Demand per area, into demand[areas->n]:
 *   cohort NULL: the areas' population (NaN stays NaN);
 *   a point cohort: its members per area (attr as above);
 *   a counts cohort: its counts, summed up to the areas' level.
 * People placed by point in polygon are tested against
 * areas in the workspace's projection, so the areas must have been
 * loaded with geo_proj_for_ws's projection, as every analysis does.
 */
int geo_demand_load(struct core_ws *ws, const struct geo_areas *areas,
		    const char *cohort, const char *attr, double *demand,
		    struct core_err *err);

/*
 * One point per area into x[areas->n], y[areas->n] (metres): the
 * population-weighted centroid of its block groups when the workspace
 * has block groups with population inside a tract level, else the
 * area's geometric centroid (of its largest polygon when that centroid
 * would fall outside it).  *weighted is set to 1 when population
 * weighting was used for every area, 0 otherwise, so the command can
 * say which.
 */
int geo_area_points(struct core_ws *ws, const struct geo_areas *areas,
		    struct geo_proj *proj, double *x, double *y, int *weighted,
		    struct core_err *err);

#endif
