/*
 * imp_common.h - what every importer shares: GDAL set-up and message
 * routing, the file scan (MD5 checksum and UTF-8 check), the sources row,
 * rejected rows, bulk-import settings, reading vector layers (the layer,
 * its CRS, area polygons), parsing of the small values users type into
 * spreadsheets (numbers, yes/no), and small utilities (string lists, the
 * options string, a hash).
 *
 * The life of one import:
 *
 *   struct imp_source src;
 *   imp_source_init(&src, "assets");
 *   imp_source_text(&src, path, flags, &open_path, err);   file-level
 *       checks and the encoding (binary files: imp_source_scan)
 *   if (src.warning) the caller shows it (cli_warn)
 *   ... open the file, work out the mapping into src.options ...
 *   core_ws_begin(ws, err);
 *   imp_source_open(ws, &src, err);              replaces (kind, path)
 *   for each row: src.rows_read++, then imp_reject(...) or accept
 *   imp_source_close(ws, &src, err);             counts; fails on rejects
 *   core_ws_commit(ws, err)  (or core_ws_rollback on any failure)
 *   imp_source_release(&src);
 *
 * Ownership: every string in struct imp_source is owned by it and freed
 * by imp_source_release.
 */
#ifndef IMP_COMMON_H
#define IMP_COMMON_H

#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "core/core_err.h"
#include "core/core_mem.h"
#include "core/core_progress.h"
#include "core/core_ws.h"

/* ---------------------------------------------------------------------
 * GDAL
 * ------------------------------------------------------------------ */

/* Register GDAL's drivers; the first call does the work. */
void imp_gdal_init(void);

/*
 * GDAL's messages for the duration of one import.  imp_gdal_push routes
 * every message of this thread into m instead of the terminal (warnings
 * and debug output are dropped; failures are counted and the last is
 * kept); imp_gdal_pop restores the previous handler.  Calls nest.
 */
struct imp_gdal_msgs {
	int failures;	/* CE_Failure / CE_Fatal seen so far */
	char last[512]; /* the text of the last one, "" when none */
};

void imp_gdal_push(struct imp_gdal_msgs *m);
void imp_gdal_pop(void);

/* ---------------------------------------------------------------------
 * The file scan
 * ------------------------------------------------------------------ */

/*
 * Where a file first stops being UTF-8.  line is the CSV record number
 * (header = 1) and field the 0-based column when the file was scanned as
 * CSV, else the physical line and -1.  bad is 0 when the file is valid.
 */
struct imp_utf8 {
	int bad;
	unsigned char byte;
	long line;
	int field;
};

/* ---------------------------------------------------------------------
 * The sources row and rejected rows
 * ------------------------------------------------------------------ */

/* How many rejects are kept in memory to show the user. */
#define IMP_REJECTS_SHOWN 20

struct imp_reject {
	long line;    /* "line N" or "feature N", see imp_source.csv_lines */
	char *field;  /* NULL when the problem is not one field's */
	char *value;  /* NULL when there is no value to quote */
	char *reason; /* e.g. "is out of range; latitude must be ..." */
	char *file;   /* the package's file it came from, NULL if none */
	char *msg;    /* the whole sentence, file and line included */
};

/* Rejected rows of one kind: the same field and reason (the value
 * aside), counted, with the first of them. */
#define IMP_REJECT_KINDS 32
struct imp_reject_kind {
	char *field;  /* NULL when the problem is not one field's */
	char *reason; /* as imp_reject's */
	char *first;  /* the whole sentence of the first such row */
	int64_t count;
};

struct imp_source {
	const char *kind; /* assets, areas, indicators (static string) */
	char *arg;	  /* the path as the user gave it */
	char *path;	  /* absolute path (realpath) */
	char *name;	  /* basename, used in every message */
	char *format;	  /* GDAL driver short name or importer name */
	char *layer;
	char *checksum; /* MD5 hex of the file's bytes */
	char *options;	/* the mapping used, as command-line options */
	int csv_lines;	/* 1: rows are "line k+1"; 0: "feature k" */
	int skip_bad;	/* 1: keep good rows, store the rejects */
	int64_t id;	/* sources.id once opened */
	int64_t rows_read;
	int64_t rows_accepted;
	int64_t rows_rejected;
	int64_t rows_merged;
	int64_t warnings; /* sources.warnings: e.g. the encoding's */
	char *encoding;	  /* "utf-8", "windows-1252"; NULL: not text */
	char *warning;	  /* imp_source_text's warning, NULL if none */
	char *tmp_path;	  /* imp_source_text's UTF-8 copy, or NULL */
	char *tmp_vsidir; /* its /vsimem/ directory (IMP_TEXT_GDAL) */
	int tmp_fd;	  /* else the copy's descriptor */
	struct imp_reject shown[IMP_REJECTS_SHOWN];
	size_t nshown;
	/* Every rejected row by kind, in the order the kinds first came;
	 * rows of kinds beyond IMP_REJECT_KINDS are counted in
	 * reject_other. */
	struct imp_reject_kind kinds[IMP_REJECT_KINDS];
	size_t nkinds;
	int64_t reject_other;
	sqlite3_stmt *reject_st;
	/* Borrowed, set by importers of multi-file packages (HSDS CSV,
	 * datapackage) around imp_reject: the file inside the package the
	 * rejected row came from.  It then names the row in the message
	 * and goes to source_rejects.file.  NULL: the source's own file. */
	const char *reject_file;
	/* Who published the file (source_labels; shown on maps in place of
	 * its name): set by the caller from --source-label, else filled in
	 * by the importers of known formats (SVI, TIGER, ...).  Owned;
	 * NULL when not known.  imp_source_close records them. */
	char *publisher, *dataset, *year;
	/* 'import --label COLUMN=Label' texts, borrowed from the caller
	 * (imp_source_words records them). */
	const char *const *labels;
	size_t nlabels;
};

/*
 * For an indicator import, once its indicators are written and before
 * the commit: record s->labels (each "COLUMN=Label", COLUMN one of the
 * columns this import brought in, matched ignoring case) in
 * indicator_labels, and, when s->publisher is NULL, the publisher and
 * dataset the data dictionary gives every known column of the import
 * (when they agree), with s->year or the indicators' year.  Returns
 * CORE_OK, CORE_EUSAGE for a --label that is not "COLUMN=Label" or names
 * no imported column (err lists them), or a database error.
 */
int imp_source_words(struct core_ws *ws, struct imp_source *s,
		     struct core_err *err);

/* Set s->publisher, s->dataset and s->year (owned copies; NULL leaves one
 * unset) unless the caller set a publisher already. */
void imp_source_publisher(struct imp_source *s, const char *publisher,
			  const char *dataset, const char *year);

/* The import options that name things for maps (cli/cli_import.c parses
 * them): --source-label and --label.  Borrowed strings; labels is an
 * array the caller frees. */
struct imp_words_opt {
	const char *source_label; /* "Publisher|Dataset|Year" */
	const char **labels;	  /* "COLUMN=Label" */
	size_t nlabels;
};

void imp_source_init(struct imp_source *s, const char *kind);
void imp_source_release(struct imp_source *s);

/*
 * Finalize s->reject_st, the statement imp_source_open prepares for
 * --skip-bad, and set it to NULL; for an importer's cleanup, before the
 * workspace is left.  The rest of s stays as it is (counts, rejects
 * kept to show) for the caller and imp_source_release.  Never fails.
 */
void imp_source_end_rejects(struct imp_source *s);

/* Whether s ends with suffix, ASCII case aside (".ZIP" ends ".zip"). */
int imp_ends_with_ci(const char *s, const char *suffix);

/*
 * Split path p as a user gives it into the file on disk and what GDAL
 * opens: "/vsizip/a.zip/x.shp" gives *disk "a.zip", *gdal a copy of p
 * and *zipped 1; "a.zip" gives *disk "a.zip", *gdal NULL, *zipped 1; any
 * other path *disk a copy of p, *gdal NULL, *zipped 0.  *disk and *gdal
 * are the caller's to free.  A /vsizip/ path that names no .zip fails
 * with CORE_EUSAGE, the message showing example (a /vsizip/ path of the
 * importer's kind of file); nothing is allocated then.
 */
int imp_zip_path(const char *p, const char *example, char **disk, char **gdal,
		 int *zipped, struct core_err *err);

/*
 * Check that path is a readable, non-empty regular file, fill s->arg,
 * s->path, s->name and s->checksum, and report in *u where the bytes
 * first stop being UTF-8 (as_csv: count CSV records and columns rather
 * than lines; the separator is the first of ',', ';' or tab in the
 * header).
 * Fails with the file named when it cannot be read or is empty.
 */
int imp_source_scan(struct imp_source *s, const char *path, int as_csv,
		    struct imp_utf8 *u, struct core_err *err);

/* Flags of imp_source_text. */
enum {
	IMP_TEXT_CSV = 1,      /* count CSV records and columns (see above) */
	IMP_TEXT_KEEP_BOM = 2, /* the reader skips a UTF-8 BOM itself (GDAL,
				* core_csv): no copy for a BOM alone */
	IMP_TEXT_GDAL = 4      /* the reader is GDAL: the copy is a /vsimem/
				* file (see below) */
};

/*
 * The one call an importer makes on a text file (CSV, JSON, NDJSON, ...)
 * before opening it: imp_source_scan's checks, then the encoding.
 *   - UTF-8, with or without a byte-order mark: s->encoding = "utf-8";
 *     *open_path = path, or a copy without the BOM (unless
 *     IMP_TEXT_KEEP_BOM).
 *   - not UTF-8, but every byte is Windows-1252 (Latin-1 as Windows and
 *     Excel write it): *open_path = a UTF-8 copy, s->encoding =
 *     "windows-1252", s->warning names the file and the first such byte
 *     (line and field), s->warnings = 1.
 *   - fails (CORE_EFORMAT), naming line and field, for a byte that is
 *     neither (0x81, 0x8D, 0x8F, 0x90, 0x9D) or for a file that mixes
 *     UTF-8 with another encoding.
 * The copy (s->tmp_path) never has a name on disk, so that no kill can
 * leave a copy of the user's data behind: with IMP_TEXT_GDAL it is a
 * GDAL /vsimem/ file in memory with the file's base name (drivers that
 * look at the name still work); else a temporary file in $TMPDIR (or
 * /tmp) unlinked as it is made, whose path is /proc/self/fd/N, for
 * readers that use fopen or open (the text is not held in memory).  It
 * lives until imp_source_release (or imp_source_drop_copy).  s->path,
 * s->name and s->checksum stay those of the original file.  *open_path
 * is borrowed.
 */
int imp_source_text(struct imp_source *s, const char *path, unsigned flags,
		    const char **open_path, struct core_err *err);

/*
 * A text value v (NULL: NULL) read from a binary file (a DBF field of a
 * shapefile, GeoPackage, KML) as UTF-8, in a new string the caller
 * frees: a copy when it is UTF-8; else each byte outside a valid UTF-8
 * sequence read as Windows-1252, as imp_source_text reads a text file
 * (the five bytes Windows-1252 leaves undefined become U+FFFD).  The
 * first such value of a source sets s->warning, naming where (row line,
 * see csv_lines, and field), s->encoding = "windows-1252" and counts
 * s->warnings; later ones say nothing more.  Nothing that is not UTF-8
 * ever reaches the workspace.
 */
char *imp_text_dup(struct imp_source *s, const char *v, long line,
		   const char *field);

/*
 * Bulk speed for the length of one import: every insert fires
 * SpatiaLite's triggers, so SQLite keeps a statement journal per row; in
 * a temp file that is a million writes per 100k rows.  imp_bulk_begin
 * keeps temp data in memory and lets the page cache grow (up to 256 MB,
 * only as needed); imp_bulk_end restores both (when begin succeeded).
 */
struct imp_bulk {
	int64_t cache, temp_store, secure_delete, foreign_keys;
	int flags; /* IMP_BULK_* asked for */
	int set;
};

/* imp_bulk_begin_ex's flags. */
enum {
	/* deleted rows overwritten with zeros (a cohort's replaced members
	 * must not stay readable in the file) */
	IMP_BULK_SECURE_DELETE = 1,
	/* no foreign key checks: for an importer whose every row refers to
	 * a row it just made and whose deletes are spelt out (set before
	 * the transaction begins: SQLite ignores it inside one) */
	IMP_BULK_NO_FKEYS = 2
};

int imp_bulk_begin(struct core_ws *ws, struct imp_bulk *b,
		   struct core_err *err);
/*
 * As imp_bulk_begin with a page cache of up to cache_kib KiB (the plain
 * begin's is 262144) and the IMP_BULK_* flags; imp_bulk_end puts back
 * every setting it changed.  On failure nothing needs ending.
 */
int imp_bulk_begin_ex(struct core_ws *ws, struct imp_bulk *b, int64_t cache_kib,
		      int flags, struct core_err *err);
void imp_bulk_end(struct core_ws *ws, struct imp_bulk *b);

/* Delete imp_source_text's copy now (release does it too). */
void imp_source_drop_copy(struct imp_source *s);

/*
 * Inside the caller's transaction: delete an earlier import of the same
 * (kind, path) (its rows go with it through ON DELETE CASCADE), insert
 * this source's row (with s->encoding and s->warnings) and set s->id.
 */
int imp_source_open(struct core_ws *ws, struct imp_source *s,
		    struct core_err *err);

/*
 * Reject row `line` (see csv_lines) for a problem with field (NULL: the
 * whole row) whose value is quoted (NULL: nothing to quote).  reason is
 * a printf format completing "FILE line 7, field lat: 'v' " e.g. "is out
 * of range; latitude must be between -90 and 90".  Counts the row as
 * rejected, keeps the first IMP_REJECTS_SHOWN for the user, and stores
 * it in source_rejects when skip_bad is set (with s->reject_file in
 * its file column).  Fails only on a database error.
 */
int imp_reject(struct core_ws *ws, struct imp_source *s, long line,
	       const char *field, const char *value, struct core_err *err,
	       const char *reason, ...) __attribute__((format(printf, 7, 8)));

/*
 * Write the row counts and s->warnings.  When rows were rejected and
 * skip_bad is not set, fail (CORE_EFORMAT) with a message naming the
 * first reject and how many there were: the caller rolls back.  A
 * source with no rows at all, or whose every row was rejected, fails
 * too, skip_bad or not.
 */
int imp_source_close(struct core_ws *ws, struct imp_source *s,
		     struct core_err *err);

/* Append value v as messages quote it: 'v', cut to at most 60 bytes on a
 * character boundary ('first 57 bytes...'). */
void imp_quote_value(struct core_buf *b, const char *v);

/* "line 7" or "feature 7" for row number line, into buf. */
const char *imp_source_where(const struct imp_source *s, long line, char *buf,
			     size_t n);

/* ---------------------------------------------------------------------
 * Vector layers (imp_ogr.c, imp_tiger.c)
 * ------------------------------------------------------------------ */

/*
 * The layer of ds to import: the one called want, or the only one when
 * want is NULL.  NULL with err set, naming the file (name) and its
 * layers: CORE_EFORMAT for a file with no layers, CORE_EUSAGE for a
 * missing layer or a choice to make (--layer).  Borrowed from ds.
 */
OGRLayerH imp_layer_pick(GDALDatasetH ds, const char *want, const char *name,
			 struct core_err *err);

/*
 * Start reading lyr from its first feature, with a progress counter p
 * labelled "importing NAME" (*label: the label, which p borrows; the
 * caller frees it after core_progress_end).
 */
void imp_layer_start(OGRLayerH lyr, const struct imp_source *src,
		     struct core_progress *p, char **label);

/*
 * The next feature of lyr (the caller destroys it), counted in
 * src->rows_read; NULL at the end.  When GDAL failed to read it (a
 * failure in m since the call began), NULL with *rc = CORE_EFORMAT and
 * err "cannot read NAME after line/feature N: GDAL's message".
 */
OGRFeatureH imp_layer_next(OGRLayerH lyr, struct imp_source *src,
			   const struct imp_gdal_msgs *m, int *rc,
			   struct core_err *err);

/* A layer's CRS and the way to WGS84 lon/lat (all NULL: no CRS). */
struct imp_crs {
	OGRSpatialReferenceH srs; /* the layer's, NULL when none */
	OGRSpatialReferenceH wgs84;
	OGRCoordinateTransformationH ct; /* NULL: already WGS84 */
	char *name;			 /* "EPSG:4269" or the CRS's name */
};

/*
 * Set c up from lyr's spatial reference, in traditional GIS (lon, lat)
 * order.  Fails (CORE_ELIB, with m's last message) when WGS84 cannot be
 * set up or there is no transformation from the layer's CRS, naming the
 * file (src_name).  Release c with imp_crs_release either way.
 */
int imp_crs_setup(struct imp_crs *c, OGRLayerH lyr, const char *src_name,
		  const struct imp_gdal_msgs *m, struct core_err *err);
void imp_crs_release(struct imp_crs *c);

/* 1 when (x, y) is a finite longitude and latitude. */
int imp_lonlat_ok(double x, double y);

/* What imp_area_wkb says and counts for one importer. */
struct imp_area_geom {
	const struct imp_crs *crs;
	const char *rule;  /* after "is a Point, not a polygon; " */
	const char *range; /* the whole reason for coordinates out of
			    * lon/lat range */
	const struct imp_gdal_msgs *msgs; /* not NULL: quote GDAL's reason
					   * for an invalid polygon */
	int64_t *repaired; /* counts polygons made valid; may be NULL */
};

/*
 * An area's geometry g0 (borrowed, may be NULL) as polygons in WGS84:
 * linearised, 2D, reprojected, range-checked and, when invalid, made
 * valid.  Returns its MultiPolygon WKB (the caller frees, *size bytes);
 * NULL after rejecting row line (field "geometry", *rc the reject's
 * status).
 */
unsigned char *imp_area_wkb(struct core_ws *ws, struct imp_source *src,
			    long line, OGRGeometryH g0,
			    const struct imp_area_geom *ag, int *size, int *rc,
			    struct core_err *err);

/*
 * Write the area of row `line` with an area importer's two statements.
 * del is "DELETE FROM areas WHERE level = ? AND geoid = ? AND source_id
 * IS NOT ?": it is bound here (level, geoid, src->id) and run, so that an
 * area of another source is replaced.  ins, the INSERT INTO areas the
 * caller has bound, is then run and reset.  A GEOID this source already
 * wrote (SQLITE_CONSTRAINT_UNIQUE) rejects the row (field geoid_field,
 * "appears more than once in the file; each <what> must appear once");
 * else src->rows_accepted is counted and *written set to 1 (0 otherwise).
 * Returns CORE_OK (also after a reject), or CORE_EDB with err set.  The
 * bindings of both statements stay for the caller to clear.
 */
int imp_area_put(struct core_ws *ws, struct imp_source *src, long line,
		 sqlite3_stmt *del, sqlite3_stmt *ins, const char *level,
		 const char *geoid, const char *geoid_field, const char *what,
		 int *written, struct core_err *err);

/* ---------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------ */

/* Parse a decimal number (surrounding spaces allowed; no hex, inf or
 * nan).  Returns 1 and sets *out, or 0. */
int imp_parse_number(const char *s, double *out);

/* yes/no, true/false, y/n, 1/0 (any case): 1 or 0; -1 otherwise. */
int imp_parse_bool(const char *s);

/*
 * Append " --opt v" to an options string (no space when b is empty):
 * v quoted for the shell ('it'\''s') unless it is only letters, digits
 * and _.,:/+-; v NULL: the flag alone.
 */
void imp_opt_add(struct core_buf *b, const char *opt, const char *v);

/*
 * End an importer's options string: append --skip-bad when skip_bad,
 * then hand b's text to src->options (what src->options held is freed).
 * b is left empty (as CORE_BUF_INIT), with nothing to release.
 */
void imp_opt_finish(struct core_buf *b, int skip_bad, struct imp_source *src);

/* The UTF-8 of Windows-1252 byte b (b >= 0x80) into out (4 bytes);
 * returns its length, 0 when Windows-1252 leaves b undefined (0x81,
 * 0x8D, 0x8F, 0x90, 0x9D). */
int imp_cp1252_utf8(unsigned char b, char *out);

/*
 * s[0..n) as UTF-8 into b (reset first): as it is when it is UTF-8, else
 * read as Windows-1252, the way Excel writes 'CSV' on Windows.  Returns
 * 0 (UTF-8), 1 (converted), or -1 with *bad the first byte Windows-1252
 * does not define.
 */
int imp_to_utf8(const char *s, size_t n, struct core_buf *b,
		unsigned char *bad);

/*
 * The MD5 of a source's bytes as sources.checksum holds it (32 lower
 * case hex digits): imp_md5_init, imp_md5_update as the bytes come,
 * imp_md5_finish for the digest (malloc'ed, caller frees; NULL when
 * SpatiaLite gives none), which also frees the state.  Or over bytes
 * held in memory (a mapping) in a second thread while the first parses
 * them: imp_md5_start, then imp_md5_join for the digest (NULL when never
 * started); p stays valid until imp_md5_join.
 */
struct imp_md5 {
	void *ctx;
	const void *p; /* imp_md5_start's bytes */
	size_t n;
	char *hex;
	pthread_t th;
	int started, running;
};

void imp_md5_init(struct imp_md5 *m);
void imp_md5_update(struct imp_md5 *m, const void *p, size_t n);
char *imp_md5_finish(struct imp_md5 *m);
void imp_md5_start(struct imp_md5 *m, const void *p, size_t n);
char *imp_md5_join(struct imp_md5 *m);

/* A list of strings, each owned by the list. */
struct imp_strlist {
	char **v;
	size_t n, cap;
};

void imp_strlist_add(struct imp_strlist *l, char *s); /* takes s */
void imp_strlist_free(struct imp_strlist *l);
/* Add the items of s split at any of seps, trimmed; empty items are
 * dropped unless keep_empty. */
void imp_strlist_split(struct imp_strlist *l, const char *s, const char *seps,
		       int keep_empty);

/* Copy s without leading and trailing white space (caller frees). */
char *imp_trim_dup(const char *s);

/* Case-insensitive comparison ignoring ' ', '_', '-' and '.'. */
int imp_name_eq(const char *a, const char *b);

/*
 * Append s to b folded for matching: ASCII lower case, and the Latin
 * letters of U+00C0..U+024F and U+1E00..U+1EFF without their accents
 * ('Acción' -> 'accion', 'Æ' -> 'ae', 'ß' -> 'ss', 'Tiếng Việt' ->
 * 'tieng viet'); typographic quotes and dashes become ASCII,
 * no-break space, '¿' and '¡' a space.  Other characters are copied.
 */
void imp_fold_buf(struct core_buf *b, const char *s);

/* imp_fold_buf into a new string the caller frees. */
char *imp_fold(const char *s);

#endif
