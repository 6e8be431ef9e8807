/*
 * imp_census_int.h - what the census importers (imp_tiger.c, imp_acs.c,
 * imp_svi.c, imp_places.c) share, in imp_census.c: census levels, telling
 * one kind of file from another by its header, reading a CSV table, and
 * writing indicators and populations.  Private to importers/.
 */
#ifndef IMP_CENSUS_INT_H
#define IMP_CENSUS_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core_csv.h"
#include "core/core_err.h"
#include "core/core_mem.h"
#include "core/core_progress.h"
#include "core/core_ws.h"
#include "importers/imp_census.h"
#include "importers/imp_common.h"

/* ---------------------------------------------------------------------
 * The job
 * ------------------------------------------------------------------ */

/* What every census import works with, borrowed from its caller: the
 * first member (c) of each importer's own job. */
struct census_job {
	struct core_ws *ws;
	const struct imp_census_opts *o;
	struct imp_source *src;
	struct imp_census_stats *stats; /* NULL: no stats wanted */
	struct core_err *err;
};

/* Fill c with the import's arguments (all borrowed; stats may be NULL)
 * and set src->skip_bad from o->skip_bad.  Never fails. */
void census_job_init(struct census_job *c, struct core_ws *ws,
		     const struct imp_census_opts *o, struct imp_source *src,
		     struct imp_census_stats *stats, struct core_err *err);

/* ---------------------------------------------------------------------
 * Levels
 * ------------------------------------------------------------------ */

struct census_level {
	const char *name;    /* as in areas.level: "blockgroup" */
	int len;	     /* GEOID digits */
	const char *example; /* a GEOID */
	const char *sumlev;  /* Census summary level, "140" */
	const char *label;   /* for people: "block group" */
	const char *plural;  /* "block groups" */
};

/* The level called name, or NULL. */
const struct census_level *census_level_find(const char *name);
/* "state, county, tract, blockgroup or zcta" */
extern const char census_level_names[];
/* 1 when s is exactly len ASCII digits. */
int census_digits(const char *s, int len);

/* ---------------------------------------------------------------------
 * Notes for the user and small lists
 * ------------------------------------------------------------------ */

void census_note(struct imp_census_stats *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Index of s in l (case-insensitive), or -1. */
int census_list_find(const struct imp_strlist *l, const char *s);

/* ---------------------------------------------------------------------
 * What a file looks like
 * ------------------------------------------------------------------ */

/*
 * From a header (n column names; has_geom: the layer has geometries),
 * what kind of census or CDC file it is: returns a phrase such as "a
 * CDC/ATSDR SVI table", sets *cmd to the import kind that reads it and
 * adds to why the columns that say so ("it has FIPS and RPL_THEMES").
 * NULL when it is none of those.
 */
const char *census_sniff(const char *const *names, size_t n, int has_geom,
			 const char **cmd, struct core_buf *why);

/*
 * The first bytes of path, when they say it is not a text table: a
 * phrase ("a zip archive", "a shapefile (.shp)", "GeoJSON", ...) and
 * *cmd; NULL for text.
 */
const char *census_sniff_bytes(const char *path, const char **cmd);

/*
 * Set err (CORE_EFORMAT) to "NAME is not EXPECTED (PROBLEM)", then, when
 * the header says what it is, "; it looks like WHAT (WHY): import it with
 * 'assetmap import CMD NAME'", else "; the columns are: ...".  Returns
 * CORE_EFORMAT.
 */
int census_not_this(struct core_err *err, const char *name,
		    const char *expected, const char *problem,
		    const char *const *names, size_t n, int has_geom,
		    const char *self_cmd);

/* ---------------------------------------------------------------------
 * A CSV table
 * ------------------------------------------------------------------ */

struct census_csv {
	struct core_csv *csv;
	struct imp_source *src;
	char **names; /* the header (the second line of some files) */
	size_t ncol;
	int header_line; /* 1, or 2 after census_csv_use_next_header */
	long line;	 /* where the current record began */
	size_t nf;	 /* fields of the current record */
	struct core_progress prog;
	char *label;
	int64_t rows;
};

/*
 * Check and open a CSV table for src (imp_source_text: checksum,
 * encoding), read its header.  Fails, naming the file, for a file that is
 * not text (saying what it is and which import reads it: expected is e.g.
 * "an ACS table") or has no header.
 */
int census_csv_open(struct census_csv *t, struct imp_source *src,
		    const char *path, const char *expected,
		    const char *self_cmd, struct core_err *err);
/* Read the next record: 1, 0 at the end, -1 with err set (file, line). */
int census_csv_next(struct census_csv *t, struct core_err *err);
/* Make the record just read the header (files with two header lines). */
void census_csv_use_next_header(struct census_csv *t);
/* Field i of the current record ("" when absent). */
const char *census_csv_get(const struct census_csv *t, int i);
/* Column named name (case-insensitive), or -1. */
int census_csv_col(const struct census_csv *t, const char *name);
/* Start / end the progress counter of the data rows. */
void census_csv_progress(struct census_csv *t);
void census_csv_close(struct census_csv *t);

/*
 * Every data row of t through row(arg), stopping at the first failure
 * (its status returned): the record read with the header first when
 * pending, then each next record, ticking t's progress counter (which
 * this starts and ends).  CORE_EFORMAT when a record cannot be read.
 */
int census_csv_each(struct census_csv *t, int pending, int (*row)(void *),
		    void *arg, struct core_err *err);

/*
 * When the current record has fewer fields than the header: reject it
 * naming the first missing column, in core_csv's words, and return 1;
 * 0 when it is whole.  *rc gets the reject's status; a short last
 * record without a line end (a file cut short) fails instead (*rc
 * CORE_EFORMAT, err set).
 */
int census_csv_short(struct census_csv *t, struct core_ws *ws,
		     struct core_err *err, int *rc);

/* ---------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------ */

struct census_out {
	struct core_ws *ws;
	struct imp_source *src;
	struct imp_census_stats *stats;
	sqlite3_stmt *ind, *info, *popind, *poparea;
};

/* Inside the transaction, after imp_source_open. */
int census_out_open(struct census_out *w, struct core_ws *ws,
		    struct imp_source *src, struct imp_census_stats *stats,
		    struct core_err *err);
void census_out_close(struct census_out *w);

/*
 * One value: NULL value when !has, NULL moe when !has_moe, year 0 for
 * none.  Rows of other sources are replaced; *repeat is set to 1 (and
 * nothing written) when this source already wrote (geoid, name).
 */
int census_put(struct census_out *w, const char *geoid, const char *name,
	       int has, double value, int has_moe, double moe, long year,
	       int *repeat, struct core_err *err);
/* indicator_info: label and unit may be NULL. */
int census_info(struct census_out *w, const char *name, const char *label,
		const char *unit, long year, struct core_err *err);
/*
 * A total population: the "population" indicator of geoid and, when
 * there is an area (level, geoid), its population.
 */
int census_population(struct census_out *w, const char *level,
		      const char *geoid, double pop, int has_moe, double moe,
		      long year, struct core_err *err);
/* After the rows: flags of the areas at level, counted into stats. */
int census_out_finish(struct census_out *w, const char *level,
		      struct core_err *err);

/*
 * The frame of a CSV table's import (imp_acs.c, imp_svi.c, imp_places.c).
 * census_table_begin: the bulk settings, the transaction, src's sources
 * row (imp_source_open) and the writer w.  census_table_end, whatever
 * happened (rc: the import's status; not 0 rolls back): closes w,
 * restores the settings, closes t and src's rejects statement.
 */
int census_table_begin(struct core_ws *ws, struct imp_bulk *bulk,
		       struct census_out *w, struct imp_source *src,
		       struct imp_census_stats *stats, struct core_err *err);
void census_table_end(struct core_ws *ws, int rc, struct imp_bulk *bulk,
		      struct census_out *w, struct census_csv *t,
		      struct imp_source *src);

#endif
