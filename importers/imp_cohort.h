/*
 * imp_cohort.h - import a patient cohort: protected health information,
 * kept as little of as the analyses need.
 *
 * Two shapes of input, both CSV (',' ';' or tab, the first of them in the
 * header line; quoted fields; UTF-8):
 *
 *   people   one row per person, located by --lat/--lon (guessed from
 *            lat, latitude, y ... / lon, lng, longitude, x ...), or by
 *            --address (with --city, --state and --zip, never guessed)
 *            through the workspace's offline geocoder, or by --zip at
 *            the ZIP centroid of a file the user supplies with
 *            --centroids.  A row with a point uses the point; else one
 *            with an address is geocoded (and rejected when the address
 *            is not placed: --centroids is for rows without an address);
 *            else the ZIP centroid.  cohorts.kind 'points'; one
 *            cohort_members row per person with precision 'point' or
 *            'zip'.  A geocoded person has precision 'point' (address
 *            point, interpolated, street range or street: a point on
 *            their street, located in a tract as any point) or, placed
 *            at the ZIP level, 'zip' with the ZIP as area_geoid.
 *   counts   people per area: --counts COL with --geoid COL (the level
 *            from the GEOID's length, or --level) or --zip COL (level
 *            zcta).  cohorts.kind 'counts', cohorts.level set, one
 *            cohort_counts row per area.
 *
 * What is kept, and nothing else:
 *   - the location: a WGS84 point, at the person's coordinates or, with
 *     precision 'zip', at their ZIP's centroid;
 *   - area_geoid: for a point, the GEOID of the workspace's tract that
 *     contains it (NULL when the workspace has no tracts or none contains
 *     it; the first by GEOID if tracts overlap); for a ZIP-placed person,
 *     the 5-digit ZIP (a ZCTA-level code: a ZIP's people are not put in
 *     the one tract its centroid falls in);
 *   - key_hash: with --id, the HMAC-SHA-256 of the id (trimmed of
 *     surrounding white space) keyed with the user's secret key, kept
 *     outside the workspace (core_privacy_ws_key), as 64 hex digits;
 *     the id itself never, nor the key;
 *   - attrs: the columns named with --keep, as one JSON object per
 *     person ({"age":8,"language":"es"}: a value that is a plain decimal
 *     number of up to 15 characters becomes a JSON number, an empty one
 *     null, anything else a string).  A column that is a direct
 *     identifier is refused (CORE_EUSAGE) by its name or by any of its
 *     values (core_privacy_ident_name/_value: names, dates other than
 *     the year, addresses, phones, e-mails, SSNs, record numbers, ids);
 *     "COL:year" keeps a date's year only, as "COL_year";
 *   - of the file: its checksum and the counts; its name and path
 *     never (the sources row is named by the cohort's label,
 *     core_privacy_cohort_label).
 * Any other column is never read past finding where it ends: names,
 * dates of birth and record numbers never reach the workspace.  The
 * address columns are read only to geocode the row, in memory: their
 * text never reaches the workspace (not in members, attrs, rejects or
 * sources.options, which names the columns only), a message or a log;
 * a row whose address is not placed is rejected with the geocoder's
 * reason and the column's name, never the value.  Members
 * are stored in a spatial order (Hilbert curve), not in the file's, so
 * their ids say nothing about the order of the extract.
 *
 * Messages quote at most the one field that is wrong (a latitude, a ZIP,
 * a count, a GEOID), never another column of the row, and never an id
 * or a --keep value: for those, and for rows with the wrong number of
 * fields, the file, line and column name are given and the value is not.
 * Rows stored in source_rejects (--skip-bad) follow the same rule.
 *
 * Rows are rejected for: the wrong number of fields; no location; a
 * coordinate that is not a number or out of range, or 0,0 (a "not
 * geocoded" placeholder); a ZIP that is not 5 digits or not in the
 * centroid file; an empty id; an id seen on an earlier row (duplicates
 * are rejected, not kept: a person counted twice skews every rate; with
 * --skip-bad the first row stays); an id or --keep value that is
 * neither UTF-8 nor Windows-1252; a count that is not a whole number of
 * 0 or more; a GEOID of the wrong shape or seen before.  A file that cannot be
 * read, a quoted field left open at the end of the file, a missing column, or a
 * header-only file fails the whole import.
 *
 * One transaction.  Importing cohort NAME again from the same file (the
 * same checksum) replaces it; from different bytes it is refused unless
 * replace is set.  A file already imported as another cohort is refused
 * unless replace is set (then that cohort goes).  Replaced rows are overwritten
 * with zeros in the file (PRAGMA secure_delete).  The workspace's file
 * mode is set to 0600 before anything is written (so the rollback
 * journal, which SQLite creates with the file's mode, is 0600 too) and
 * checked again after the commit; a failed import puts the old mode back
 * when the workspace holds no cohort.
 *
 * Text: UTF-8; a value of a column read that is not UTF-8 is read as
 * Windows-1252 (Excel's 'CSV' on Windows), value by value, with a
 * warning (src->warning) and sources.encoding 'windows-1252': the file
 * itself is never copied, not even to an unnamed temporary file as
 * imp_source_text does.
 *
 * Speed (a million people in about 3.5 s on two cores; bench/gen_cohort.py
 * makes the file): the file is memory-mapped and parsed in place, its MD5
 * computed by a second thread meanwhile; ids are hashed by libcrypto,
 * the key set up once; point blobs are built in C and
 * written 32 rows to an INSERT; SpatiaLite's per-row triggers on
 * cohort_members are set aside for the bulk write (their SQL saved from
 * sqlite_master and run again before the commit, in the same
 * transaction), and so are foreign key checks (every delete is spelt
 * out instead); the R*Tree is rebuilt once, packed bottom-up in Hilbert
 * order, by writing its shadow tables directly (for every cohort's
 * members: an import costs time in proportion to all the people in the
 * workspace, not only its own); tracts are loaded once and points
 * located in a grid in memory.
 */
#ifndef IMP_COHORT_H
#define IMP_COHORT_H

#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "importers/imp_common.h"
#include "importers/imp_geocode.h"

struct imp_cohort_opts {
	const char *name;	 /* the cohort's name (required) */
	const char *path;	 /* the CSV file (required) */
	const char *description; /* cohorts.description, or NULL */
	/* Column names, matched ignoring case; NULL: guess (lat, lon, and
	 * zip when centroids are given) or not used. */
	const char *lat, *lon;
	const char *zip;
	const char *centroids; /* ZIP centroid CSV */
	/* "ZIP,LAT,LON": the centroid file's columns; NULL: guess from
	 * zip/zcta/geoid, latitude/lat/intptlat, longitude/lon/intptlong. */
	const char *centroid_cols;
	/* The home address, used only to geocode rows without coordinates
	 * (never guessed): the street line (or the whole address on one
	 * line), and city and state; the ZIP is the zip column. */
	const char *address, *city, *state;
	/* the coarsest geocoded placement taken (imp_gc_level_parse), NULL:
	 * every level */
	const char *geocode_worst;
	const char *id;	    /* hashed into key_hash */
	const char *keep;   /* comma list of columns kept in attrs */
	const char *counts; /* counts per area, with geoid or zip */
	const char *geoid;
	const char *level; /* counts: state, county, tract,
			    * blockgroup or zcta */
	int replace;
	int skip_bad;
};

/* What an import did, for the summary (shown through core_privacy). */
struct imp_cohort_stats {
	int counts;	  /* 1: a counts cohort */
	int64_t people;	  /* members, or the sum of the counts */
	int64_t at_point; /* members placed at a point (their coordinates,
			   * or geocoded finer than a ZIP) */
	int64_t at_zip;	  /* members placed at a ZIP centroid */
	/* the people without coordinates sent to the geocoder; exact, for
	 * the person importing their own file */
	struct imp_gc_counts geocoded;
	int have_tracts;  /* the workspace had tracts to assign */
	int64_t in_tract; /* of at_point: inside a tract */
	int64_t areas;	  /* counts: areas (rows) */
	char level[16];	  /* counts: the level */
	int replaced;	  /* an earlier cohort was replaced */
	/* When a key file was made, or a key stored in the workspace moved
	 * out to one: a sentence for the user, else "". */
	char key_note[1024];
};

void imp_cohort_opts_init(struct imp_cohort_opts *o);

/*
 * Import o->path as cohort o->name in one transaction.  src must have
 * been set up with imp_source_init(src, "cohort"); on return it holds
 * the mapping used (src->options), row counts and the first rejects.
 * stats may be NULL.  Returns CORE_OK; CORE_EUSAGE for options that do
 * not fit together or this file; CORE_EFAIL when the name is taken by
 * another file's cohort (without replace); CORE_EFORMAT / CORE_EIO for
 * a file that cannot be imported or rows rejected without skip_bad.  On
 * failure the workspace is unchanged.
 */
int imp_cohort_import(struct core_ws *ws, const struct imp_cohort_opts *o,
		      struct imp_source *src, struct imp_cohort_stats *stats,
		      struct core_err *err);

/* What imp_cohort_scan_buffer counted, and where it reports each row. */
struct imp_cohort_scan {
	int64_t read, accepted, rejected;
	void (*person)(void *ctx, double x, double y, const char *attrs,
		       size_t attrs_len); /* attrs NULL without --keep */
	void (*area)(void *ctx, const char *geoid, int64_t count);
	void *ctx;
};

/*
 * Without a workspace, for the fuzz target and tests: read buf (n bytes)
 * as imp_cohort_import reads a file (o->name must be set; o->path only
 * names the buffer in messages; no --centroids), every row checked the
 * same way, and report each accepted row to sc->person or sc->area (when
 * set).  Ids are hashed with an all-zero key.  Returns CORE_OK or the
 * file-level error (CORE_EUSAGE for options that do not fit each other
 * or the header, CORE_EFORMAT for an empty buffer or a missing column);
 * rejected rows are counted, never fatal.
 */
int imp_cohort_scan_buffer(const char *buf, size_t n,
			   const struct imp_cohort_opts *o,
			   struct imp_cohort_scan *sc, struct core_err *err);

#endif
