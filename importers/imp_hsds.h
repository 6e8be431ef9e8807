/*
 * imp_hsds.h - Open Referral HSDS directories into assets.
 *
 * Reads the forms HSDS is published in, and says which it found:
 *
 *   HSDS 3.x JSON     a file holding one organization object, or an array
 *                     of them (organization -> services[], locations[],
 *                     nested addresses, phones, schedules, languages,
 *                     accessibility, attributes with taxonomy_term ...)
 *   HSDS 3.x NDJSON   one JSON object per line: an organization, or an
 *                     object wrapping one (e.g. {"source": ...,
 *                     "hsds_organization": {...}})
 *   HSDS 3.x CSV      a tabular data package: a directory (or its
 *                     datapackage.json) with organizations.csv,
 *                     services.csv, locations.csv, service_at_location.csv,
 *                     addresses.csv, phones.csv, schedules.csv, ...
 *   HSDS 1.1/2.0 CSV  organizations.csv, services.csv, locations.csv,
 *                     services_at_location.csv, physical_addresses.csv,
 *                     regular_schedules.csv, services_taxonomy.csv, ...
 *
 * One asset per service at a location.  A location no service is linked
 * to becomes one asset named after the location (or its organization).
 * A service with no service_at_location link whose organization has
 * exactly one location is placed there (counted as a warning); other
 * services with no located location, and inactive or defunct services,
 * are skipped and counted, not rejected.  A location without
 * coordinates is placed at its street address (the one set_address
 * picks: physical before postal) by the workspace's offline geocoder
 * (imp_geocode.h, loaded only when some location needs it); its level
 * becomes the assets' location_quality, and stats->geocoded counts
 * them.  One without a street address, or whose address is not placed,
 * is skipped and counted (a warning gives the geocoder's reason), as
 * are all of them when the model is read without a workspace.
 *
 * Problems with one row (a location without an id or with coordinates
 * out of range, a service_at_location naming a location that does not
 * exist, an id used twice, a JSON record that does not parse) reject
 * that row, naming file, line and field: the import fails and the
 * workspace is left as it was, unless skip_bad.  Problems with a whole
 * file (a semicolon-separated CSV, a missing required column, a JSON
 * document that does not parse) always fail.  Misspelled keys HSDS
 * writers are known for (addresss, accessibilitys, schedule ...) are
 * read with a warning; unknown keys and extra columns are ignored.
 *
 * Ownership: a model from imp_hsds_read / imp_hsds_parse_json is the
 * caller's (imp_hsds_model_free); sites and strings from the _get
 * functions are borrowed from it.  struct imp_hsds_stats owns its
 * strings (imp_hsds_stats_release).
 */
#ifndef IMP_HSDS_H
#define IMP_HSDS_H

#include <stddef.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "importers/imp_common.h"
#include "importers/imp_geocode.h"

/* A taxonomy term a site carries: vocabulary "hsds" or
 * "open_eligibility". */
struct imp_hsds_term {
	char *vocabulary, *term;
};

/* One would-be asset. Strings are NULL when unknown. */
struct imp_hsds_site {
	char *key;	  /* service_at_location id, "SVC@LOC" or LOC */
	const char *file; /* where it comes from (a CSV: the link row's) */
	long line;
	char *name, *service, *organization;
	char *address, *city, *state, *zip;
	char *phone, *website, *email, *hours;
	char *languages; /* ISO 639-1 codes, comma-separated */
	char *eligibility, *description, *accessibility;
	char *attrs;   /* JSON object: hsds ids, status, areas ... */
	char *keytext; /* service/location name and description, for
			* keyword matching */
	double capacity, age_min, age_max; /* NaN when unknown */
	double lon, lat;
	const char *quality; /* location_quality (static), NULL: coordinates */
	struct imp_hsds_term *terms;
	size_t nterms;
};

struct imp_hsds_counts {
	long records; /* JSON objects read (lines of NDJSON) */
	long organizations, services, locations, links;
	long implicit_links;	 /* services placed at their organization's
				  * only location */
	long services_unlocated; /* skipped: no location with coordinates */
	long services_inactive;	 /* skipped: status inactive or defunct */
	long locations_no_point; /* skipped: no coordinates, and no address
				  * that could be placed */
	long locations_virtual;	 /* skipped: location_type virtual */
};

struct imp_hsds_model;

/*
 * Read path (a JSON or NDJSON file, a package directory or its
 * datapackage.json) into a new model, without a workspace.  Fails only
 * for problems with a whole file; row problems are kept in the model.
 */
int imp_hsds_read(const char *path, struct imp_hsds_model **out,
		  struct core_err *err);

/* The same for JSON or NDJSON held in memory (name is used in
 * messages).  The fuzz target's entry point. */
int imp_hsds_parse_json(const char *buf, size_t len, const char *name,
			struct imp_hsds_model **out, struct core_err *err);

/* Free m with every row, site, problem, warning and string it holds;
 * pointers borrowed from it are invalid afterwards. NULL is a no-op. */
void imp_hsds_model_free(struct imp_hsds_model *m);

/* "HSDS 3.x NDJSON", "HSDS 1.1 CSV", ... */
const char *imp_hsds_model_format(const struct imp_hsds_model *m);
const struct imp_hsds_counts *
imp_hsds_model_counts(const struct imp_hsds_model *m);
size_t imp_hsds_model_nsites(const struct imp_hsds_model *m);
const struct imp_hsds_site *imp_hsds_model_site(const struct imp_hsds_model *m,
						size_t i);
/* Row problems as they will be reported: "FILE line N, field F: 'v'
 * reason". The string is borrowed until the next call. */
size_t imp_hsds_model_nproblems(const struct imp_hsds_model *m);
const char *imp_hsds_model_problem(const struct imp_hsds_model *m, size_t i);
/* Warnings: "what: N (the first at FILE line L)". Borrowed, as
 * above. */
size_t imp_hsds_model_nwarnings(const struct imp_hsds_model *m);
const char *imp_hsds_model_warning(const struct imp_hsds_model *m, size_t i);

struct imp_hsds_opts {
	const char *path;
	int skip_bad;
	int merge; /* pass to the asset writer (--no-merge: 0) */
	/* the coarsest geocoded placement taken (imp_gc_level_parse), NULL:
	 * every level */
	const char *geocode_worst;
};

/* A term no crosswalk entry matched, and how many assets carried it. */
struct imp_hsds_unmatched {
	char *vocabulary, *term;
	long assets;
};

struct imp_hsds_stats {
	char *format;
	struct imp_hsds_counts counts;
	long assets;	    /* written (inserted or merged) */
	long by_terms;	    /* categorised from taxonomy terms */
	long by_keyword;    /* ... from words in the name/description */
	long uncategorized; /* imported without a category */
	char **warnings;    /* "what: N (the first at FILE line L)", or
			     * "what (FILE line L)" when seen once */
	size_t nwarnings;
	long nwarned;			      /* total occurrences */
	struct imp_hsds_unmatched *unmatched; /* most assets first */
	size_t nunmatched;
	/* the locations without coordinates sent to the geocoder */
	struct imp_gc_counts geocoded;
};

void imp_hsds_stats_release(struct imp_hsds_stats *st);

/*
 * Import o->path into ws in one transaction, through the shared asset
 * writer.  src must be set up with imp_source_init(src, "assets"); on
 * return it holds the counts and the first rejects.  stats may be NULL.
 * Returns CORE_OK, or CORE_EFORMAT / CORE_EIO with the workspace
 * unchanged.  Importing the same path again replaces the earlier import.
 */
int imp_hsds_import(struct core_ws *ws, const struct imp_hsds_opts *o,
		    struct imp_source *src, struct imp_hsds_stats *stats,
		    struct core_err *err);

#endif
