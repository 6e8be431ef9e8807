/*
 * imp_census.c - what the census importers share: levels, telling files
 * apart by their header, reading a CSV table, writing indicators and
 * populations.  See imp_census_int.h.
 */
#include "importers/imp_census_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_area.h"

/* ---------------------------------------------------------------------
 * Levels
 * ------------------------------------------------------------------ */

static const struct census_level levels[] = {
    {"state", 2, "06", "040", "state", "states"},
    {"county", 5, "06075", "050", "county", "counties"},
    {"tract", 11, "06075010100", "140", "tract", "tracts"},
    {"blockgroup", 12, "060750101001", "150", "block group", "block groups"},
    {"zcta", 5, "94103", "860", "ZCTA", "ZCTAs"},
};

const char census_level_names[] = "state, county, tract, blockgroup or zcta";

const struct census_level *census_level_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(name, levels[i].name) == 0)
			return &levels[i];
	return NULL;
}

int census_digits(const char *s, int len)
{
	int i;

	for (i = 0; s[i]; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return i == len;
}

const char *imp_census_geo_id(const char *geo_id, char *geoid, size_t n,
			      char sumlev[4])
{
	const char *us;
	size_t i;

	if (sumlev)
		sumlev[0] = '\0';
	if (n)
		geoid[0] = '\0';
	/* summary level (3 digits), 2-4 characters of component, "US" */
	for (i = 0; i < 3; i++)
		if (!isdigit((unsigned char)geo_id[i]))
			return NULL;
	us = strstr(geo_id, "US");
	if (!us || us - geo_id < 5 || us - geo_id > 7)
		return NULL;
	if (sumlev) {
		memcpy(sumlev, geo_id, 3);
		sumlev[3] = '\0';
	}
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (strncmp(geo_id, levels[i].sumlev, 3) != 0)
			continue;
		if (!census_digits(us + 2, levels[i].len))
			return NULL;
		snprintf(geoid, n, "%s", us + 2);
		return levels[i].name;
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * Notes and lists
 * ------------------------------------------------------------------ */

void census_note(struct imp_census_stats *st, const char *fmt, ...)
{
	struct core_buf b = CORE_BUF_INIT;
	size_t cap;
	va_list ap;

	if (!st)
		return;
	va_start(ap, fmt);
	core_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	cap = st->nnotes + 1;
	st->notes = xrealloc(st->notes, (cap + 1) * sizeof(*st->notes));
	st->notes[st->nnotes++] = core_buf_detach(&b);
	st->notes[st->nnotes] = NULL;
}

int census_list_find(const struct imp_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i], s) == 0)
			return (int)i;
	return -1;
}

void imp_census_opts_init(struct imp_census_opts *o)
{
	memset(o, 0, sizeof(*o));
}

void imp_census_stats_release(struct imp_census_stats *st)
{
	size_t i;

	if (!st)
		return;
	free(st->what);
	free(st->level);
	for (i = 0; i < st->nnotes; i++)
		free(st->notes[i]);
	free(st->notes);
	memset(st, 0, sizeof(*st));
}

/* ---------------------------------------------------------------------
 * What a file looks like
 * ------------------------------------------------------------------ */

static int has_col(const char *const *names, size_t n, const char *c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(names[i], c) == 0)
			return 1;
	return 0;
}

/* The first column ending in suffix (case-insensitive), or NULL. */
static const char *col_ending(const char *const *names, size_t n,
			      const char *suffix)
{
	size_t i, k = strlen(suffix);

	for (i = 0; i < n; i++) {
		size_t m = strlen(names[i]);
		if (m > k && strcasecmp(names[i] + m - k, suffix) == 0)
			return names[i];
	}
	return NULL;
}

/* An ACS estimate column: B01003_001E, S1701_C03_001E, DP05_0001PE. */
static int is_acs_estimate(const char *s)
{
	const char *u = strchr(s, '_');
	size_t n = strlen(s);

	return u && u > s && isalpha((unsigned char)s[0]) && n > 2 &&
	       s[n - 1] == 'E' && isdigit((unsigned char)s[n - 2]);
}

/* The first of the listed columns the header has, or NULL. */
static const char *first_of(const char *const *names, size_t n,
			    const char *const *want)
{
	for (; *want; want++)
		if (has_col(names, n, *want))
			return *want;
	return NULL;
}

const char *census_sniff(const char *const *names, size_t n, int has_geom,
			 const char **cmd, struct core_buf *why)
{
	static const char *const geoids[] = {
	    "GEOID", "GEOID20", "GEOID10", "GEOID_TRACT_20", "FIPS", NULL};
	static const char *const parts[] = {
	    "ZCTA5CE20",  "ZCTA5CE10",	"TRACTCE",    "TRACTCE20", "TRACTCE10",
	    "BLKGRPCE",	  "BLKGRPCE20", "BLKGRPCE10", "COUNTYFP",  "COUNTYFP20",
	    "COUNTYFP10", "STATEFP",	"STATEFP20",  "STATEFP10", "GEOID",
	    "GEOID20",	  "GEOID10",	"AFFGEOID",   "GEO_ID",	   NULL};
	const char *c, *d;
	size_t i;

	if (has_col(names, n, "MeasureId") && has_col(names, n, "Data_Value")) {
		*cmd = "places";
		core_buf_adds(why, "it has MeasureId and Data_Value");
		return "CDC PLACES data (long form)";
	}
	if ((c = col_ending(names, n, "_CrudePrev"))) {
		*cmd = "places";
		core_buf_addf(why, "it has %s", c);
		return "CDC PLACES data (GIS-friendly form)";
	}
	if ((c = first_of(
		 names, n,
		 (const char *const[]){"RPL_THEMES", "R_PL_THEMES", NULL}))) {
		*cmd = "svi";
		d = first_of(
		    names, n,
		    (const char *const[]){"FIPS", "GEO_ID", "STCNTY", NULL});
		if (d)
			core_buf_addf(why, "it has %s and %s", d, c);
		else
			core_buf_addf(why, "it has %s", c);
		return "a CDC/ATSDR SVI table";
	}
	if (has_col(names, n, "GEO.id") || has_col(names, n, "GEO.id2")) {
		*cmd = "acs";
		core_buf_adds(why, "it has GEO.id");
		return "an American FactFinder (ACS) table";
	}
	if (has_col(names, n, "GEO_ID")) {
		for (i = 0; i < n; i++)
			if (is_acs_estimate(names[i])) {
				*cmd = "acs";
				core_buf_addf(why, "it has GEO_ID and %s",
					      names[i]);
				return "an ACS table from data.census.gov";
			}
	}
	if (has_geom && (c = first_of(names, n, parts))) {
		*cmd = "tiger";
		core_buf_addf(why, "it has polygons and %s", c);
		return "census boundaries (TIGER/Line or cartographic "
		       "boundary)";
	}
	if (!has_geom && (c = first_of(names, n, geoids))) {
		*cmd = "indicators";
		core_buf_addf(why, "it has %s", c);
		return "a table of values keyed by GEOID";
	}
	return NULL;
}

const char *census_sniff_bytes(const char *path, const char **cmd)
{
	unsigned char b[16] = {0};
	FILE *fp = fopen(path, "rb");
	size_t n, i;

	if (!fp)
		return NULL;
	n = fread(b, 1, sizeof(b), fp);
	fclose(fp);
	*cmd = "tiger";
	if (n >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4)
		return "a zip archive (a zipped shapefile?)";
	if (n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0x27 && b[3] == 0x0a)
		return "a shapefile (.shp)";
	if (n >= 15 && memcmp(b, "SQLite format 3", 15) == 0)
		return "an SQLite database (a GeoPackage, or a workspace?)";
	for (i = 0; i < n && isspace(b[i]); i++)
		;
	if (i < n && (b[i] == '{' || b[i] == '['))
		return "JSON (GeoJSON?)";
	for (i = 0; i < n; i++)
		if (b[i] == 0) {
			*cmd = NULL;
			return "a binary file";
		}
	*cmd = NULL;
	return NULL;
}

static void add_names(struct core_buf *b, const char *const *names, size_t n)
{
	size_t i;

	if (n == 0) {
		core_buf_adds(b, "the file has no columns");
		return;
	}
	core_buf_adds(b, "the columns are: ");
	for (i = 0; i < n; i++) {
		if (b->len > 1200) {
			core_buf_addf(b, " and %zu more", n - i);
			break;
		}
		core_buf_addf(b, "%s%s", i ? ", " : "", names[i]);
	}
}

int census_not_this(struct core_err *err, const char *name,
		    const char *expected, const char *problem,
		    const char *const *names, size_t n, int has_geom,
		    const char *self_cmd)
{
	struct core_buf b = CORE_BUF_INIT, why = CORE_BUF_INIT;
	const char *cmd = NULL, *what;

	core_buf_addf(&b, "%s is not %s (%s)", name, expected, problem);
	what = census_sniff(names, n, has_geom, &cmd, &why);
	if (what && self_cmd && strcmp(cmd, self_cmd) == 0)
		what = NULL;
	if (what && strcmp(cmd, "indicators") == 0)
		core_buf_addf(&b,
			      "; it looks like %s (%s): import it with "
			      "'assetmap import indicators %s --geoid COL'",
			      what, core_buf_str(&why), name);
	else if (what)
		core_buf_addf(&b,
			      "; it looks like %s (%s): import it with "
			      "'assetmap import %s %s'",
			      what, core_buf_str(&why), cmd, name);
	else {
		core_buf_adds(&b, "; ");
		add_names(&b, names, n);
	}
	core_err_set(err, CORE_EFORMAT, "%s", core_buf_str(&b));
	core_buf_release(&b);
	core_buf_release(&why);
	return CORE_EFORMAT;
}

/* ---------------------------------------------------------------------
 * A CSV table
 * ------------------------------------------------------------------ */

static void set_header(struct census_csv *t, size_t n,
		       const char *(*get)(const struct census_csv *, size_t))
{
	size_t i;

	for (i = 0; i < t->ncol; i++)
		free(t->names[i]);
	free(t->names);
	t->ncol = n;
	t->names = xcalloc(n + 1, sizeof(*t->names));
	for (i = 0; i < n; i++)
		t->names[i] = imp_trim_dup(get(t, i));
}

static const char *hdr_of_csv(const struct census_csv *t, size_t i)
{
	return core_csv_header(t->csv, i);
}

static const char *field_of_csv(const struct census_csv *t, size_t i)
{
	return core_csv_get(t->csv, i);
}

int census_csv_open(struct census_csv *t, struct imp_source *src,
		    const char *path, const char *expected,
		    const char *self_cmd, struct core_err *err)
{
	const char *open_path = path, *what, *cmd = NULL;
	const char *base = strrchr(path, '/');
	int rc;

	memset(t, 0, sizeof(*t));
	t->src = src;
	src->csv_lines = 1;
	base = base && base[1] ? base + 1 : path;
	/* A binary file says more about itself than its bytes would. */
	what = census_sniff_bytes(path, &cmd);
	if (what && cmd && (!self_cmd || strcmp(cmd, self_cmd) != 0))
		return core_err_set(err, CORE_EFORMAT,
				    "%s is not %s (a CSV table): it is %s; "
				    "import it with 'assetmap import %s %s'",
				    base, expected, what, cmd, base);
	if (what)
		return core_err_set(err, CORE_EFORMAT,
				    "%s is not %s (a CSV table): it is %s",
				    base, expected, what);
	if ((rc = imp_source_text(src, path, IMP_TEXT_CSV | IMP_TEXT_KEEP_BOM,
				  &open_path, err)))
		return rc;
	t->csv = core_csv_open_as(open_path, src->name, ',', err);
	if (!t->csv)
		return core_err_set(err, CORE_EFORMAT,
				    "%s line 1: cannot read the header: %s",
				    src->name, err->msg);
	t->header_line = 1;
	set_header(t, core_csv_nheader(t->csv), hdr_of_csv);
	return CORE_OK;
}

int census_csv_next(struct census_csv *t, struct core_err *err)
{
	int rc = core_csv_next(t->csv, err);

	if (rc < 0)
		return -1; /* the reader's message: file, line, field */
	if (rc == 0)
		return 0;
	t->line = core_csv_line(t->csv);
	t->nf = core_csv_nfields(t->csv);
	return 1;
}

void census_csv_use_next_header(struct census_csv *t)
{
	set_header(t, t->nf, field_of_csv);
	t->header_line = (int)t->line;
}

const char *census_csv_get(const struct census_csv *t, int i)
{
	return i < 0 ? "" : core_csv_get(t->csv, (size_t)i);
}

int census_csv_col(const struct census_csv *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncol; i++)
		if (strcasecmp(t->names[i], name) == 0)
			return (int)i;
	return -1;
}

void census_csv_progress(struct census_csv *t)
{
	free(t->label);
	t->label = xasprintf("importing %s", t->src->name);
	core_progress_start(&t->prog, t->label, 0);
}

void census_csv_close(struct census_csv *t)
{
	size_t i;

	core_progress_end(&t->prog);
	core_csv_free(t->csv);
	for (i = 0; i < t->ncol; i++)
		free(t->names[i]);
	free(t->names);
	free(t->label);
	memset(t, 0, sizeof(*t));
}

int census_csv_short(struct census_csv *t, struct core_ws *ws,
		     struct core_err *err, int *rc)
{
	struct core_buf why = CORE_BUF_INIT;
	size_t n = t->nf;

	/* A trailing empty column (data.census.gov ends lines with ',')
	 * may be left off. */
	if (n >= t->ncol ||
	    (n + 1 == t->ncol && t->names[t->ncol - 1][0] == '\0'))
		return 0;
	/* The reader's words, naming the first missing column; a short
	 * last line without a line end is a file cut short: it fails. */
	core_csv_width_why(t->csv, n, t->ncol, &why);
	if (core_csv_unterminated(t->csv))
		*rc = core_err_set(
		    err, CORE_EFORMAT,
		    "%s line %ld, field %s: %s\nnothing was imported",
		    t->src->name, t->line, t->names[n], core_buf_str(&why));
	else
		*rc = imp_reject(ws, t->src, t->line, t->names[n], NULL, err,
				 "%s", core_buf_str(&why));
	core_buf_release(&why);
	return 1;
}

int census_csv_each(struct census_csv *t, int pending, int (*row)(void *),
		    void *arg, struct core_err *err)
{
	int rc = CORE_OK, more;

	census_csv_progress(t);
	if (pending && (rc = row(arg)))
		return rc;
	while ((more = census_csv_next(t, err)) == 1) {
		if ((rc = row(arg)))
			return rc;
		core_progress_tick(&t->prog, t->src->rows_read);
	}
	core_progress_end(&t->prog);
	return more < 0 ? CORE_EFORMAT : CORE_OK;
}

/* ---------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------ */

int census_out_open(struct census_out *w, struct core_ws *ws,
		    struct imp_source *src, struct imp_census_stats *stats,
		    struct core_err *err)
{
	int rc;

	memset(w, 0, sizeof(*w));
	w->ws = ws;
	w->src = src;
	w->stats = stats;
	/* Rows of another source are replaced; a repeat within this source
	 * changes nothing, which census_put reports. */
	if ((rc = core_ws_prepare(
		 ws, err, &w->ind,
		 "INSERT INTO indicators(geoid, name, value, moe, year, "
		 "source_id)"
		 " VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
		 " ON CONFLICT(geoid, name) DO UPDATE SET value = "
		 "excluded.value,"
		 " moe = excluded.moe, year = excluded.year,"
		 " source_id = excluded.source_id"
		 " WHERE indicators.source_id IS NOT excluded.source_id")) ||
	    (rc = core_ws_prepare(ws, err, &w->info,
				  "INSERT OR REPLACE INTO indicator_info(name, "
				  "label, unit, year, source_id)"
				  " VALUES(?, ?, ?, ?, ?)")) ||
	    (rc = core_ws_prepare(ws, err, &w->popind,
				  "INSERT INTO indicators(geoid, name, value, "
				  "moe, year, source_id)"
				  " VALUES(?1, '" AREA_POPULATION_INDICATOR
				  "', ?2, ?3, ?4, ?5)"
				  " ON CONFLICT(geoid, name) DO UPDATE SET "
				  "value = excluded.value,"
				  " moe = excluded.moe, year = excluded.year,"
				  " source_id = excluded.source_id")) ||
	    (rc = core_ws_prepare(ws, err, &w->poparea,
				  "UPDATE areas SET population = ? WHERE level "
				  "= ? AND geoid = ?")))
		return rc;
	return CORE_OK;
}

void census_out_close(struct census_out *w)
{
	sqlite3_finalize(w->ind);
	sqlite3_finalize(w->info);
	sqlite3_finalize(w->popind);
	sqlite3_finalize(w->poparea);
	memset(w, 0, sizeof(*w));
}

int census_table_begin(struct core_ws *ws, struct imp_bulk *bulk,
		       struct census_out *w, struct imp_source *src,
		       struct imp_census_stats *stats, struct core_err *err)
{
	int rc;

	if ((rc = imp_bulk_begin(ws, bulk, err)) ||
	    (rc = core_ws_begin(ws, err)) ||
	    (rc = imp_source_open(ws, src, err)) ||
	    (rc = census_out_open(w, ws, src, stats, err)))
		return rc;
	return CORE_OK;
}

void census_job_init(struct census_job *c, struct core_ws *ws,
		     const struct imp_census_opts *o, struct imp_source *src,
		     struct imp_census_stats *stats, struct core_err *err)
{
	c->ws = ws;
	c->o = o;
	c->src = src;
	c->stats = stats;
	c->err = err;
	src->skip_bad = o->skip_bad;
}

void census_table_end(struct core_ws *ws, int rc, struct imp_bulk *bulk,
		      struct census_out *w, struct census_csv *t,
		      struct imp_source *src)
{
	if (rc)
		core_ws_rollback(ws);
	census_out_close(w);
	imp_bulk_end(ws, bulk);
	census_csv_close(t);
	imp_source_end_rejects(src);
}

static void bind_opt_double(sqlite3_stmt *st, int i, int has, double v)
{
	if (has)
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static void bind_year(sqlite3_stmt *st, int i, long year)
{
	if (year)
		sqlite3_bind_int64(st, i, year);
	else
		sqlite3_bind_null(st, i);
}

int census_put(struct census_out *w, const char *geoid, const char *name,
	       int has, double value, int has_moe, double moe, long year,
	       int *repeat, struct core_err *err)
{
	sqlite3_stmt *st = w->ind;
	int rc;

	*repeat = 0;
	sqlite3_bind_text(st, 1, geoid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	bind_opt_double(st, 3, has, value);
	bind_opt_double(st, 4, has && has_moe, moe);
	bind_year(st, 5, year);
	sqlite3_bind_int64(st, 6, w->src->id);
	rc = core_ws_step(w->ws, err, st);
	sqlite3_clear_bindings(st);
	if (rc)
		return rc;
	if (sqlite3_changes(w->ws->db) == 0) {
		*repeat = 1;
		return CORE_OK;
	}
	if (w->stats) {
		w->stats->values++;
		if (!has)
			w->stats->missing++;
	}
	return CORE_OK;
}

int census_info(struct census_out *w, const char *name, const char *label,
		const char *unit, long year, struct core_err *err)
{
	sqlite3_stmt *st = w->info;
	int rc;

	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (label)
		sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	if (unit)
		sqlite3_bind_text(st, 3, unit, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	bind_year(st, 4, year);
	sqlite3_bind_int64(st, 5, w->src->id);
	rc = core_ws_step(w->ws, err, st);
	sqlite3_clear_bindings(st);
	return rc;
}

int census_population(struct census_out *w, const char *level,
		      const char *geoid, double pop, int has_moe, double moe,
		      long year, struct core_err *err)
{
	sqlite3_stmt *st = w->popind;
	int rc;

	sqlite3_bind_text(st, 1, geoid, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 2, pop);
	bind_opt_double(st, 3, has_moe, moe);
	bind_year(st, 4, year);
	sqlite3_bind_int64(st, 5, w->src->id);
	rc = core_ws_step(w->ws, err, st);
	sqlite3_clear_bindings(st);
	if (rc)
		return rc;
	st = w->poparea;
	sqlite3_bind_double(st, 1, pop);
	sqlite3_bind_text(st, 2, level, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, geoid, -1, SQLITE_STATIC);
	rc = core_ws_step(w->ws, err, st);
	sqlite3_clear_bindings(st);
	if (!rc && w->stats)
		w->stats->population_set += sqlite3_changes(w->ws->db);
	return rc;
}

int census_out_finish(struct census_out *w, const char *level,
		      struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t n;
	int rc;

	if ((rc = core_area_flags_update(w->ws, level, NULL, err)))
		return rc;
	n = core_area_count_flagged(w->ws, level, AREA_FLAG_NO_POP, err);
	if (n < 0)
		return CORE_EDB;
	if (!w->stats)
		return CORE_OK;
	w->stats->no_population += n;
	/* GEOIDs of this file without an area, when there are areas. */
	if ((rc = core_ws_prepare(
		 w->ws, err, &st,
		 "SELECT CASE WHEN EXISTS (SELECT 1 FROM areas WHERE level = "
		 "?2)"
		 " THEN (SELECT count(DISTINCT geoid) FROM indicators i"
		 "  WHERE i.source_id = ?1 AND length(i.geoid) = ?3"
		 "  AND NOT EXISTS (SELECT 1 FROM areas a"
		 "   WHERE a.level = ?2 AND a.geoid = i.geoid)) ELSE 0 END")))
		return rc;
	sqlite3_bind_int64(st, 1, w->src->id);
	sqlite3_bind_text(st, 2, level, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, census_level_find(level)->len);
	if (sqlite3_step(st) == SQLITE_ROW)
		w->stats->unmatched += sqlite3_column_int64(st, 0);
	else
		rc = core_ws_dberr(w->ws, err, "counting areas");
	sqlite3_finalize(st);
	return rc;
}
