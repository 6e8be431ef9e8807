/*
 * imp_cohort.c - import a patient cohort.  See imp_cohort.h for what is
 * kept, what is refused and why.
 *
 * The shape of one import: check the options; scan the file (checksum)
 * and map it; read the header and map the columns; load the ZIP
 * centroids and the tracts (everything that can fail for the file as a
 * whole fails here, before the workspace is touched); make the workspace
 * file private; then, in one transaction: settle an earlier cohort of
 * the same name or file, read every row into arrays (rejects recorded as
 * they are found), locate the points in the tracts, sort them along a
 * Hilbert curve and write them with SpatiaLite's per-row triggers set
 * aside, fill the R*Tree once, put the triggers back and commit.
 */
#include "importers/imp_cohort.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_csv.h"
#include "core/core_hash.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_progress.h"
#include "core/core_utf8.h"
#include "geo/geo_blob.h"
#include "geo/geo_locate.h"
#include "importers/imp_geocode.h"
#include "importers/imp_rtree.h"

/* ---------------------------------------------------------------------
 * Names we guess columns from (compared with imp_name_eq: case, ' ',
 * '_', '-' and '.' do not matter).
 * ------------------------------------------------------------------ */

static const char *const guess_lat[] = {"lat",	   "latitude",	   "y",
					"y_coord", "y_coordinate", NULL};
static const char *const guess_lon[] = {
    "lon", "lng", "long", "longitude", "x", "x_coord", "x_coordinate", NULL};
static const char *const guess_zip[] = {"zip",	"zipcode",     "zip_code",
					"zip5", "postal_code", "postcode",
					"zcta", "zcta5",       NULL};
static const char *const guess_geoid[] = {"geoid", "geoid20", "geoid10", "fips",
					  NULL};
/* The centroid file: our shared California file, Census gazetteers. */
static const char *const guess_czip[] = {
    "zip",	 "zipcode", "zip_code", "zcta",	   "zcta5", "zcta5ce20",
    "zcta5ce10", "geoid",   "geoid20",	"geoid10", NULL};
static const char *const guess_clat[] = {
    "latitude", "lat", "intptlat", "intptlat20", "intptlat10", "y", NULL};
static const char *const guess_clon[] = {
    "longitude", "lon",		"lng",	       "long", "intptlong",
    "intptlon",	 "intptlong20", "intptlong10", "x",    NULL};

static const struct {
	const char *name;
	int len;
} levels[] = {
    {"state", 2}, {"county", 5}, {"tract", 11}, {"blockgroup", 12}, {"zcta", 5},
};

#define NLEVELS (sizeof(levels) / sizeof(levels[0]))
#define NZIP	100000

void imp_cohort_opts_init(struct imp_cohort_opts *o)
{
	memset(o, 0, sizeof(*o));
}

/* ---------------------------------------------------------------------
 * The file: core_csv's records, with the cohort's rules on top (values
 * trimmed, header names as UTF-8, its own messages)
 * ------------------------------------------------------------------ */

/* 1 when s[0..n) is UTF-8; otherwise 0 with *bad the first byte that
 * starts no valid sequence. */
static int utf8_valid(const unsigned char *s, size_t n, unsigned char *bad)
{
	size_t ok = core_utf8_check((const char *)s, n);

	if (ok == n)
		return 1;
	*bad = s[ok];
	return 0;
}

/* How the cohort importer opens core_csv: quotes as spreadsheets write
 * them (what follows a closing quote dropped), a CR inside a value kept
 * (values are trimmed), ',', ';' or tab, its own
 * messages for a quote left open and a NUL byte (said for the record,
 * the quote first), only empty lines skipped, the header read here. */
#define CSV_FLAGS                                                              \
	(CORE_CSV_SHEET_QUOTES | CORE_CSV_DROP_AFTER_QUOTE |                   \
	 CORE_CSV_NO_PIPE | CORE_CSV_LET_UNCLOSED | CORE_CSV_LET_NUL |         \
	 CORE_CSV_KEEP_CR | CORE_CSV_KEEP_BLANK | CORE_CSV_NO_HEADER)

struct csv {
	struct core_csv *r;
	const char *name; /* for messages */
	size_t size;	  /* the file's bytes */
	char sep;
	long rec_line; /* where the current record began */
	size_t nf;     /* its number of fields */
	char **hdr;    /* trimmed header names, as UTF-8 */
	size_t nhdr;
};

static int csv_map(struct csv *c, const char *path, const char *name,
		   struct core_err *err)
{
	struct stat sb;
	int fd;

	memset(c, 0, sizeof(*c));
	c->name = name;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return core_err_set(err, CORE_EIO, "cannot open %s: %s", path,
				    strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return core_err_set(err, CORE_EIO, "%s is not a regular file",
				    path);
	}
	if (sb.st_size == 0) {
		close(fd);
		return core_err_set(err, CORE_EFORMAT,
				    "%s is empty (0 bytes); nothing to import",
				    name);
	}
	c->r = core_csv_open_fd(fd, name, 0, CSV_FLAGS, err);
	if (!c->r)
		return CORE_EIO;
	core_csv_bytes(c->r, &c->size);
	return CORE_OK;
}

/* Give the file back (the header names stay). */
static void csv_unmap(struct csv *c)
{
	core_csv_free(c->r);
	c->r = NULL;
	c->nf = 0;
}

static void csv_release(struct csv *c)
{
	size_t i;

	csv_unmap(c);
	for (i = 0; i < c->nhdr; i++)
		free(c->hdr[i]);
	free(c->hdr);
	memset(c, 0, sizeof(*c));
}

/* CORE_EFORMAT when the current record has a quoted field open at the
 * end of the file, or a NUL byte; else CORE_OK. */
static int csv_problem(const struct csv *c, struct core_err *err)
{
	unsigned f = core_csv_record_flags(c->r);
	size_t i = core_csv_nul_field(c->r);

	if (f & CORE_CSV_REC_UNCLOSED)
		return core_err_set(err, CORE_EFORMAT,
				    "%s line %ld: a quoted field is not closed "
				    "before the end of the file (is the file "
				    "cut short?)",
				    c->name, c->rec_line);
	if (!(f & CORE_CSV_REC_NUL))
		return CORE_OK;
	if (i < c->nhdr)
		return core_err_set(
		    err, CORE_EFORMAT,
		    "%s line %ld, field %s: contains a NUL byte; a CSV file is "
		    "text and never holds one (is it a binary file, or saved "
		    "as UTF-16?)",
		    c->name, c->rec_line, c->hdr[i]);
	return core_err_set(err, CORE_EFORMAT,
			    "%s line %ld, field %zu: contains a NUL byte; a "
			    "CSV file is text and never holds one (is it a "
			    "binary file, or saved as UTF-16?)",
			    c->name, c->rec_line, i + 1);
}

/* Whether the record just read, from offset at, is an empty line ("\n"
 * or "\r\n"), which is no record. */
static int empty_line(const struct csv *c, size_t at)
{
	size_t n, len = core_csv_offset(c->r) - at;
	const char *p = core_csv_bytes(c->r, &n) + at;

	return (len == 1 && p[0] == '\n') ||
	       (len == 2 && p[0] == '\r' && p[1] == '\n');
}

/*
 * Read the next record: 1 when read, 0 at the end of the file, -1 with
 * err set when a quoted field is still open at the end or a field holds
 * a NUL byte.  Blank lines are skipped.
 */
static int csv_next(struct csv *c, struct core_err *err)
{
	size_t at;
	int rc;

	do {
		at = core_csv_offset(c->r);
		rc = core_csv_next(c->r, err);
	} while (rc == 1 && empty_line(c, at));
	c->rec_line = core_csv_line(c->r);
	c->nf = rc == 1 ? core_csv_nfields(c->r) : 0;
	if (rc == 1 && csv_problem(c, err))
		rc = -1;
	return rc;
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Field i of the current record trimmed, where the reader holds it: 1
 * with *p, *n set; 0 when the record has no field i. */
static int csv_slice(const struct csv *c, size_t i, const char **p, size_t *n)
{
	const char *s, *e;

	if (i >= c->nf)
		return 0;
	s = core_csv_get(c->r, i);
	e = s + core_csv_get_len(c->r, i);
	while (s < e && is_blank(*s))
		s++;
	while (e > s && is_blank(e[-1]))
		e--;
	*p = s;
	*n = (size_t)(e - s);
	return 1;
}

/* Field i of the current record, trimmed, into b (reset first); returns
 * the string ("" for a missing field). */
static const char *csv_get(const struct csv *c, size_t i, struct core_buf *b)
{
	const char *p = "";
	size_t n = 0;

	core_buf_reset(b);
	csv_slice(c, i, &p, &n);
	core_buf_add(b, p, n);
	return core_buf_str(b);
}

/* Is field i empty after trimming? */
static int csv_empty(const struct csv *c, size_t i)
{
	const char *p;
	size_t n;

	return !csv_slice(c, i, &p, &n) || n == 0;
}

/* Find the separator (the first ',', ';' or tab outside quotes in the
 * first line) and read the header, its names as UTF-8. */
static int csv_header(struct csv *c, struct core_err *err)
{
	struct core_buf b = CORE_BUF_INIT;
	size_t i, at;
	int rc;

	at = core_csv_offset(c->r);
	rc = core_csv_read_header(c->r, err);
	while (rc == 1 && empty_line(c, at)) {
		at = core_csv_offset(c->r);
		if ((rc = core_csv_next(c->r, err)) == 1)
			core_csv_take_header(c->r);
	}
	c->rec_line = core_csv_line(c->r);
	c->nf = rc == 1 ? core_csv_nfields(c->r) : 0;
	c->sep = (char)core_csv_sep(c->r);
	if (rc < 0)
		return CORE_EFORMAT;
	if (rc == 0)
		return core_err_set(err, CORE_EFORMAT,
				    "%s has no header line; nothing to import",
				    c->name);
	if (csv_problem(c, err))
		return CORE_EFORMAT;
	c->nhdr = c->nf;
	c->hdr = xcalloc(c->nhdr, sizeof(char *));
	for (i = 0; i < c->nhdr; i++) {
		struct core_buf u = CORE_BUF_INIT;
		unsigned char bad;
		csv_get(c, i, &b);
		if (imp_to_utf8(b.s, b.len, &u, &bad) < 0)
			core_buf_addf(&u, "column %zu", i + 1);
		c->hdr[i] = core_buf_detach(&u);
		if (!c->hdr[i])
			c->hdr[i] = xstrdup("");
	}
	core_buf_release(&b);
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * More small helpers
 * ------------------------------------------------------------------ */

/* JSON string body of s (without quotes) onto b. */
static void json_str(struct core_buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			core_buf_addc(b, '\\');
			core_buf_addc(b, (char)ch);
		} else if (ch == '\n') {
			core_buf_adds(b, "\\n");
		} else if (ch == '\t') {
			core_buf_adds(b, "\\t");
		} else if (ch == '\r') {
			core_buf_adds(b, "\\r");
		} else if (ch < 0x20) {
			core_buf_addf(b, "\\u%04x", ch);
		} else {
			core_buf_addc(b, (char)ch);
		}
	}
}

/* A plain JSON number of up to 15 characters (no leading zeros, no
 * '+', no hex): "8", "-3.25", "1e5"; not "007", "1.", ".5". */
static int json_number(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || n > 15)
		return 0;
	if (s[i] == '-')
		i++;
	if (i >= n || !isdigit((unsigned char)s[i]))
		return 0;
	if (s[i] == '0')
		i++;
	else
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
	if (i < n && s[i] == '.') {
		size_t d = ++i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i == d)
			return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t d;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		d = i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i == d)
			return 0;
	}
	return i == n;
}

/*
 * A 5-digit ZIP from "94103", "94103-1234", "941031234", or a number
 * that lost its leading zeros in a spreadsheet ("2134" for 02134, "601"
 * for 00601).  Returns 0..99999, or -1.
 */
static int parse_zip(const char *s)
{
	size_t n = strlen(s), i;
	int v = 0;

	if (n == 10 && s[5] == '-')
		n = 5;
	else if (n == 9)
		n = 5;
	else if (n < 3 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (strlen(s) == 10)
		for (i = 6; i < 10; i++)
			if (!isdigit((unsigned char)s[i]))
				return -1;
	if (strlen(s) == 9)
		for (i = 5; i < 9; i++)
			if (!isdigit((unsigned char)s[i]))
				return -1;
	return v;
}

/* ---------------------------------------------------------------------
 * Columns
 * ------------------------------------------------------------------ */

/* "; the columns are: a, b, c" onto b (cut short for very wide files). */
static void add_columns(const struct csv *c, struct core_buf *b)
{
	size_t i;

	core_buf_adds(b, "; the columns are: ");
	for (i = 0; i < c->nhdr; i++) {
		if (b->len > 1200) {
			core_buf_addf(b, " and %zu more", c->nhdr - i);
			break;
		}
		core_buf_addf(b, "%s%s", i ? ", " : "", c->hdr[i]);
	}
	if (c->nhdr == 1)
		core_buf_addf(b, " (one column: is the file separated by "
				 "something other than ',', ';' or tab?)");
}

static int fail_columns(const struct csv *c, struct core_err *err,
			const char *msg)
{
	struct core_buf b = CORE_BUF_INIT;

	core_buf_adds(&b, msg);
	add_columns(c, &b);
	core_err_set(err, CORE_EFORMAT, "%s", core_buf_str(&b));
	core_buf_release(&b);
	return CORE_EFORMAT;
}

/* Index of the column named (ignoring case), or -1. */
static int col_find(const struct csv *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nhdr; i++)
		if (strcasecmp(c->hdr[i], name) == 0)
			return (int)i;
	return -1;
}

static int col_guess(const struct csv *c, const char *const *g)
{
	size_t i;

	for (; *g; g++)
		for (i = 0; i < c->nhdr; i++)
			if (imp_name_eq(c->hdr[i], *g))
				return (int)i;
	return -1;
}

/* The column named with --opt (which must exist), or a guess from g
 * (g NULL: no guess); -1 when neither.  Returns CORE_OK or an error. */
static int col_map(const struct csv *c, const char *opt, const char *given,
		   const char *const *g, int *out, struct core_err *err)
{
	*out = -1;
	if (given) {
		*out = col_find(c, given);
		if (*out < 0) {
			char *m =
			    xasprintf("%s: no column '%s' (given with --%s)",
				      c->name, given, opt);
			fail_columns(c, err, m);
			free(m);
			return CORE_EFORMAT;
		}
		return CORE_OK;
	}
	if (g)
		*out = col_guess(c, g);
	return CORE_OK;
}

static void guess_names(const char *const *g, struct core_buf *b)
{
	for (; *g; g++)
		core_buf_addf(b, "%s%s", b->len ? ", " : "", *g);
}

/* ---------------------------------------------------------------------
 * ZIP centroids: a table indexed by the 5-digit ZIP.
 * ------------------------------------------------------------------ */

struct centroids {
	double *lat, *lon; /* [NZIP], NaN where the file has no row */
	char *name;	   /* the file's name, for messages */
	size_t n;
};

static void centroids_release(struct centroids *z)
{
	free(z->lat);
	free(z->lon);
	free(z->name);
	memset(z, 0, sizeof(*z));
}

/*
 * Read the --centroids file at path into z: the latitude and longitude of
 * each 5-digit ZIP, from the columns cols names ("ZIP,LAT,LON"; NULL: found
 * by their usual names).  z->name is set first, for messages; the caller
 * empties z with centroids_release whatever this returns.  Returns
 * CORE_OK; CORE_EUSAGE when cols is not three names; CORE_EIO when the
 * file cannot be read; CORE_EFORMAT for a missing column, a bad or
 * repeated ZIP, a coordinate out of range, or a file with no rows.
 */
static int centroids_load(struct centroids *z, const char *path,
			  const char *cols, struct core_err *err)
{
	struct core_buf b = CORE_BUF_INIT, names = CORE_BUF_INIT;
	const char *base = strrchr(path, '/');
	char *given[3] = {NULL, NULL, NULL};
	const char *const *g[3] = {guess_czip, guess_clat, guess_clon};
	static const char *const what[3] = {"ZIP", "latitude", "longitude"};
	int col[3], rc, k, step;
	struct csv c;
	size_t i;

	z->name = xstrdup(base && base[1] ? base + 1 : path);
	if ((rc = csv_map(&c, path, z->name, err))) {
		core_err_prefix(err, "--centroids: ");
		return rc;
	}
	if ((rc = csv_header(&c, err)))
		goto cleanup;
	if (cols) {
		const char *p = cols;
		int bad = 0;
		for (k = 0; k < 3; k++) {
			size_t n = strcspn(p, ",");
			char *t = xmalloc(n + 1);
			memcpy(t, p, n);
			t[n] = '\0';
			given[k] = imp_trim_dup(t);
			free(t);
			bad |= !*given[k];
			p += n;
			if (k < 2 && *p != ',') {
				bad = 1;
				k++;
				break;
			}
			if (k < 2)
				p++;
		}
		if (bad || *p) {
			rc = core_err_set(
			    err, CORE_EUSAGE,
			    "--centroid-columns: '%s' is not three column "
			    "names; give ZIP,LAT,LON, e.g. "
			    "zip,latitude,longitude",
			    cols);
			goto cleanup;
		}
	}
	for (k = 0; k < 3; k++) {
		col[k] =
		    given[k] ? col_find(&c, given[k]) : col_guess(&c, g[k]);
		if (col[k] < 0) {
			char *m;
			core_buf_reset(&names);
			guess_names(g[k], &names);
			m = given[k]
				? xasprintf("--centroids %s: no column '%s' "
					    "(given with --centroid-columns)",
					    z->name, given[k])
				: xasprintf(
				      "--centroids %s: no %s column (looked "
				      "for %s); name the columns with "
				      "--centroid-columns ZIP,LAT,LON",
				      z->name, what[k], core_buf_str(&names));
			fail_columns(&c, err, m);
			free(m);
			rc = CORE_EFORMAT;
			goto cleanup;
		}
	}
	z->lat = xmalloc(NZIP * sizeof(double));
	z->lon = xmalloc(NZIP * sizeof(double));
	for (i = 0; i < NZIP; i++)
		z->lat[i] = z->lon[i] = NAN;
	while ((step = csv_next(&c, err)) == 1) {
		double v[3];
		int zip;
		zip = parse_zip(csv_get(&c, (size_t)col[0], &b));
		if (zip < 0) {
			rc = core_err_set(err, CORE_EFORMAT,
					  "--centroids %s line %ld, field %s: "
					  "'%s' is not a 5-digit ZIP code",
					  z->name, c.rec_line, c.hdr[col[0]],
					  core_buf_str(&b));
			goto cleanup;
		}
		for (k = 1; k < 3; k++) {
			double lim = k == 1 ? 90 : 180;
			if (!imp_parse_number(csv_get(&c, (size_t)col[k], &b),
					      &v[k]) ||
			    v[k] < -lim || v[k] > lim) {
				rc = core_err_set(
				    err, CORE_EFORMAT,
				    "--centroids %s line %ld, field %s: '%s' "
				    "is not a %s in decimal degrees between %g "
				    "and %g",
				    z->name, c.rec_line, c.hdr[col[k]],
				    core_buf_str(&b), what[k], -lim, lim);
				goto cleanup;
			}
		}
		if (!isnan(z->lat[zip])) {
			rc = core_err_set(
			    err, CORE_EFORMAT,
			    "--centroids %s line %ld, field %s: ZIP %05d "
			    "appears twice; give one centroid per ZIP",
			    z->name, c.rec_line, c.hdr[col[0]], zip);
			goto cleanup;
		}
		z->lat[zip] = v[1];
		z->lon[zip] = v[2];
		z->n++;
	}
	if (step < 0) {
		rc = core_err_prefix(err, "--centroids: ");
		goto cleanup;
	}
	if (z->n == 0)
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "--centroids %s has no rows; it should hold one row per "
		    "ZIP with its latitude and longitude",
		    z->name);
cleanup:
	for (k = 0; k < 3; k++)
		free(given[k]);
	core_buf_release(&b);
	core_buf_release(&names);
	csv_release(&c);
	return rc;
}

/* ---------------------------------------------------------------------
 * Duplicate keys: fixed-size keys held in the rows themselves (row r's
 * key at keys + r * stride, len bytes), in a core_hset.
 * ------------------------------------------------------------------ */

struct dupset {
	struct core_hset set;
	const unsigned char *keys;
	size_t stride, len;
	int uniform; /* keys are hashes already: use their first bytes */
};

static int dup_eq(const void *ctx, uint32_t id, const void *key, size_t len)
{
	const struct dupset *d = ctx;

	return memcmp(d->keys + (size_t)id * d->stride, key, len) == 0;
}

/* The earlier row with the same key as row `row` (whose record is filled
 * in at keys, which may have moved since the last call), or -1 after
 * adding it. */
static long dupset_add(struct dupset *d, const void *keys, uint32_t row)
{
	const unsigned char *k;
	uint64_t h;

	d->keys = keys;
	k = d->keys + (size_t)row * d->stride;
	if (d->uniform && d->len >= 8)
		memcpy(&h, k, 8);
	else
		h = core_hash_bytes(k, d->len);
	return core_hset_add(&d->set, h, row, k, d->len, dup_eq, d);
}

/* ---------------------------------------------------------------------
 * The job
 * ------------------------------------------------------------------ */

enum {
	C_LAT,
	C_LON,
	C_ZIP,
	C_ID,
	C_COUNTS,
	C_GEOID,
	C_ADDR,
	C_CITY,
	C_STATE,
	C_NCOLS
};

/* The columns' roles, for messages. */
static const char *const col_role[C_NCOLS] = {
    "latitude", "longitude", "ZIP",    "id",	 "counts",
    "GEOID",	"--address", "--city", "--state"};

/* One person: one cache line, so the write in spatial order (a random
 * walk through the rows) costs one miss per person. */
struct person {
	double x, y;
	unsigned char hash[32];	     /* HMAC of the id, when --id */
	uint32_t attr_off, attr_len; /* --keep JSON in attrs */
	int32_t zip;		     /* -1: at the point; else the ZIP */
	uint32_t line;		     /* in the file, for duplicate messages */
};

struct area_count {
	char geoid[16]; /* NUL-padded: the duplicate key */
	int64_t count;
	uint32_t line;
};

struct job {
	struct core_ws *ws;
	const struct imp_cohort_opts *o;
	struct imp_source *src;
	struct imp_cohort_stats *stats;
	struct core_err *err;
	struct csv csv;
	struct imp_md5 md5;
	int col[C_NCOLS];
	int *keep; /* --keep column indexes */
	size_t nkeep;
	char **keep_key; /* their JSON keys, quoted, with ':' */
	int *keep_year;	 /* 1: kept as the year of its date */
	struct centroids zips;
	struct geo_locator *tracts; /* NULL when the workspace has none */
	struct imp_gc gc;	    /* --address: the geocoder, loaded lazily */
	int worst;		    /* --geocode-worst, 0 when not given */
	struct core_progress prog;
	char *label;
	int counts;	   /* counts cohort */
	int level_len;	   /* counts: GEOID length, 0 until known */
	const char *level; /* counts */
	int zip_counts;	   /* counts keyed by ZIP */
	struct core_privacy_hasher hasher;

	/* the rows read */
	size_t n, cap;
	struct person *p;      /* people */
	struct area_count *ac; /* counts */
	struct core_buf attrs; /* the people's --keep JSON, end to end */

	struct dupset dups;
	int64_t cohort_id;
	/* SpatiaLite's triggers, set aside; whether the spatial index
	 * (idx_cohort_members_geom) exists */
	struct imp_triggers trig;
	int have_index;
	int64_t deleted;   /* members of replaced cohorts */
	char *earlier_sum; /* checksum of the cohort of this name */
	int64_t converted; /* values read as Windows-1252 */
	struct core_buf scratch[4];
};

static const char *hdr(const struct job *j, int c)
{
	return j->csv.hdr[j->col[c]];
}

/* Room for one more row; fails past 2^32 - 2 rows (row numbers are
 * 32-bit in the sort keys and the duplicate set). */
static int rows_grow(struct job *j)
{
	size_t cap = j->cap;

	if (j->n < j->cap)
		return CORE_OK;
	if (j->n >= 0xFFFFFFF0u)
		return core_err_set(j->err, CORE_EFORMAT,
				    "%s has more than 4 billion rows; split it",
				    j->src->name);
	cap = cap ? cap * 2 : 4096;
	if (j->counts)
		j->ac = xrealloc(j->ac, cap * sizeof(*j->ac));
	else
		j->p = xrealloc(j->p, cap * sizeof(*j->p));
	j->cap = cap;
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * Options and mapping (before the workspace is touched)
 * ------------------------------------------------------------------ */

/*
 * Check j->o before any file or workspace is touched: a cohort name (at
 * most 100 bytes of UTF-8, no control characters), a file, and options
 * that fit a cohort of people or of counts.  Sets j->counts, and j->level
 * and j->level_len when --level is given.  Returns CORE_OK, or
 * CORE_EUSAGE in j->err naming the option at fault.
 */
static int check_opts(struct job *j)
{
	const struct imp_cohort_opts *o = j->o;
	const unsigned char *p;
	size_t i;

	if (!o->name || !*o->name)
		return core_err_set(j->err, CORE_EUSAGE,
				    "give the cohort a name, e.g. 'assetmap "
				    "import cohort asthma-kids patients.csv'");
	if (strlen(o->name) > 100)
		return core_err_set(
		    j->err, CORE_EUSAGE,
		    "the cohort's name is %zu bytes long; keep it to 100",
		    strlen(o->name));
	for (p = (const unsigned char *)o->name; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return core_err_set(
			    j->err, CORE_EUSAGE,
			    "the cohort's name holds a control character; use "
			    "letters, digits, '-', '_' or spaces");
	{
		unsigned char bad;
		if (!utf8_valid((const unsigned char *)o->name, strlen(o->name),
				&bad))
			return core_err_set(
			    j->err, CORE_EUSAGE,
			    "the cohort's name is not UTF-8 text");
	}
	if (!o->path)
		return core_err_set(j->err, CORE_EUSAGE,
				    "cohort '%s': which file?", o->name);
	if (o->counts) {
		const char *bad = o->lat	     ? "lat"
				  : o->lon	     ? "lon"
				  : o->id	     ? "id"
				  : o->keep	     ? "keep"
				  : o->centroids     ? "centroids"
				  : o->centroid_cols ? "centroid-columns"
				  : o->address	     ? "address"
				  : o->city	     ? "city"
				  : o->state	     ? "state"
				  : o->geocode_worst ? "geocode-worst"
						     : NULL;
		if (bad)
			return core_err_set(
			    j->err, CORE_EUSAGE,
			    "--%s does not apply to a cohort of counts "
			    "(--counts): it holds numbers per area, not people",
			    bad);
		if (o->geoid && o->zip)
			return core_err_set(j->err, CORE_EUSAGE,
					    "--counts takes --geoid COL or "
					    "--zip COL, not both");
		if (o->zip && o->level && strcmp(o->level, "zcta") != 0)
			return core_err_set(
			    j->err, CORE_EUSAGE,
			    "--level %s does not fit counts per ZIP (--zip), "
			    "which are at level zcta",
			    o->level);
		j->counts = 1;
	} else {
		if (o->geoid || o->level)
			return core_err_set(j->err, CORE_EUSAGE,
					    "--%s applies to a cohort of "
					    "counts only (with --counts COL)",
					    o->geoid ? "geoid" : "level");
		if (o->zip && !o->centroids && !o->address)
			return core_err_set(
			    j->err, CORE_EUSAGE,
			    "--zip needs --centroids FILE: a CSV of ZIP codes "
			    "with their latitude and longitude, where people "
			    "with only a ZIP are placed (or --address COL, "
			    "whose ZIP it is)");
		if ((o->city || o->state || o->geocode_worst) && !o->address)
			return core_err_set(
			    j->err, CORE_EUSAGE,
			    "--%s applies with --address COL (people placed "
			    "by their address)",
			    o->city    ? "city"
			    : o->state ? "state"
				       : "geocode-worst");
		if (o->centroid_cols && !o->centroids)
			return core_err_set(
			    j->err, CORE_EUSAGE,
			    "--centroid-columns applies with --centroids FILE");
	}
	if (o->level) {
		for (i = 0; i < NLEVELS; i++)
			if (strcmp(o->level, levels[i].name) == 0)
				j->level_len = levels[i].len;
		if (!j->level_len)
			return core_err_set(
			    j->err, CORE_EUSAGE,
			    "--level: '%s' is not a census level; give state, "
			    "county, tract, blockgroup or zcta",
			    o->level);
		j->level = o->level;
	}
	return imp_gc_worst_opt(o->geocode_worst, &j->worst, j->err);
}

/*
 * A --keep column that is a direct identifier: a usage error naming
 * the column, the kind and whether its name or a value (at line, never
 * quoted) gave it away.
 */
static int refuse_keep(struct job *j, int c, enum core_privacy_ident kind,
		       long line)
{
	const char *col = j->csv.hdr[c];
	struct core_buf b = CORE_BUF_INIT;
	int rc;

	if (line)
		core_buf_addf(&b,
			      "--keep: column '%s' holds %s at line %ld (the "
			      "value is not shown)",
			      col, core_privacy_ident_what(kind), line);
	else
		core_buf_addf(&b, "--keep: column '%s' is named like %s", col,
			      core_privacy_ident_what(kind));
	core_buf_adds(&b, "; direct identifiers (HIPAA Safe Harbor) are never "
			  "kept beside a person");
	if (kind == CORE_PRIVACY_IDENT_DATE)
		core_buf_addf(&b, "; keep only its year with --keep %s:year",
			      col);
	else if (kind == CORE_PRIVACY_IDENT_ADDRESS && !line)
		core_buf_adds(
		    &b, "; the person's place is kept already, and a ZIP code "
			"only as its first 3 digits (a zip3 column)");
	rc = core_err_set(j->err, CORE_EUSAGE, "%s", core_buf_str(&b));
	core_buf_release(&b);
	return rc;
}

/*
 * Resolve --keep (comma-separated column names, COL:year for a date's
 * year) against the header into j->keep, j->keep_key (the JSON key with
 * its quotes and ':') and j->keep_year, each column once.  Nothing to do
 * without --keep.  Returns CORE_OK; CORE_EFORMAT for a column the file
 * lacks or a name that is not UTF-8; CORE_EUSAGE for the --id column, a
 * direct identifier (refuse_keep) or an empty list.
 */
static int map_keep(struct job *j)
{
	const char *p = j->o->keep;
	struct core_buf b = CORE_BUF_INIT;
	int rc = CORE_OK;

	if (!p)
		return CORE_OK;
	j->keep = xcalloc(j->csv.nhdr + 1, sizeof(int));
	j->keep_key = xcalloc(j->csv.nhdr + 1, sizeof(char *));
	j->keep_year = xcalloc(j->csv.nhdr + 1, sizeof(int));
	while (*p && !rc) {
		size_t n = strcspn(p, ",");
		char *name = xmalloc(n + 1), *t;
		enum core_privacy_ident kind = CORE_PRIVACY_IDENT_NONE;
		int c, as_year;
		size_t k;
		unsigned char bad;

		memcpy(name, p, n);
		name[n] = '\0';
		t = imp_trim_dup(name);
		free(name);
		p += n;
		if (*p == ',')
			p++;
		if (!*t) {
			free(t);
			continue;
		}
		as_year = 0;
		{
			/* COL:year keeps the year of a date */
			char *colon = strrchr(t, ':');
			if (colon && strcasecmp(colon + 1, "year") == 0 &&
			    col_find(&j->csv, t) < 0) {
				*colon = '\0';
				as_year = 1;
			}
		}
		c = col_find(&j->csv, t);
		if (c >= 0 && c != j->col[C_ID])
			kind = core_privacy_ident_name(j->csv.hdr[c], as_year);
		if (c < 0) {
			char *m =
			    xasprintf("%s: no column '%s' (given with --keep)",
				      j->src->name, t);
			rc = fail_columns(&j->csv, j->err, m);
			free(m);
		} else if (c == j->col[C_ID]) {
			rc = core_err_set(
			    j->err, CORE_EUSAGE,
			    "--keep: '%s' is the --id column; identifiers are "
			    "hashed, never kept in clear",
			    t);
		} else if (c == j->col[C_ADDR] || c == j->col[C_CITY] ||
			   c == j->col[C_STATE]) {
			rc = core_err_set(
			    j->err, CORE_EUSAGE,
			    "--keep: '%s' is the %s column; an address is "
			    "used only to place the person, never kept",
			    t,
			    col_role[c == j->col[C_ADDR]   ? C_ADDR
				     : c == j->col[C_CITY] ? C_CITY
							   : C_STATE]);
		} else if (kind != CORE_PRIVACY_IDENT_NONE) {
			rc = refuse_keep(j, c, kind, 0);
		} else if (!utf8_valid((const unsigned char *)t, strlen(t),
				       &bad)) {
			rc = core_err_set(
			    j->err, CORE_EFORMAT,
			    "%s: the name of a --keep column is not UTF-8 text "
			    "(byte 0x%02x); save the file as UTF-8",
			    j->src->name, bad);
		} else {
			for (k = 0; k < j->nkeep && j->keep[k] != c; k++)
				;
			if (k == j->nkeep) {
				core_buf_reset(&b);
				core_buf_addc(&b, '"');
				json_str(&b, j->csv.hdr[c],
					 strlen(j->csv.hdr[c]));
				if (as_year)
					core_buf_adds(&b, "_year");
				core_buf_adds(&b, "\":");
				j->keep_key[j->nkeep] = core_buf_detach(&b);
				j->keep_year[j->nkeep] = as_year;
				j->keep[j->nkeep++] = c;
			}
		}
		free(t);
	}
	core_buf_release(&b);
	if (!rc && j->nkeep == 0)
		rc = core_err_set(
		    j->err, CORE_EUSAGE,
		    "--keep: give one or more column names, separated by ','");
	return rc;
}

/*
 * Find the columns the import reads into j->col[] (C_NCOLS entries, -1
 * for a column not used): for counts the count and the GEOID or ZIP
 * column (a ZIP column sets j->zip_counts and level zcta); for people the
 * coordinates and/or ZIP, the --id column and the --keep columns
 * (map_keep).  Columns are the ones given, else guessed from their names.
 * Returns CORE_OK; CORE_EFORMAT for a column that is missing; CORE_EUSAGE
 * for options naming one column twice or an unusable --keep.
 */
static int map_columns(struct job *j)
{
	const struct imp_cohort_opts *o = j->o;
	struct csv *c = &j->csv;
	struct core_buf b = CORE_BUF_INIT;
	int rc, k;

	for (k = 0; k < C_NCOLS; k++)
		j->col[k] = -1;
	if (j->counts) {
		if ((rc = col_map(c, "counts", o->counts, NULL,
				  &j->col[C_COUNTS], j->err)) ||
		    (rc = col_map(c, "zip", o->zip, NULL, &j->col[C_ZIP],
				  j->err)) ||
		    (rc = col_map(c, "geoid", o->geoid,
				  o->zip ? NULL : guess_geoid, &j->col[C_GEOID],
				  j->err)))
			goto cleanup;
		if (j->col[C_ZIP] < 0 && j->col[C_GEOID] < 0) {
			char *m;
			guess_names(guess_geoid, &b);
			m = xasprintf("%s: no GEOID column for the counts "
				      "(looked for %s); give it with --geoid "
				      "COL, or --zip COL for counts per ZIP",
				      j->src->name, core_buf_str(&b));
			rc = fail_columns(c, j->err, m);
			free(m);
			goto cleanup;
		}
		if (j->col[C_ZIP] >= 0) {
			j->zip_counts = 1;
			j->level = "zcta";
			j->level_len = 5;
		}
		rc = CORE_OK;
		goto cleanup;
	}
	if ((rc = col_map(c, "lat", o->lat, guess_lat, &j->col[C_LAT],
			  j->err)) ||
	    (rc = col_map(c, "lon", o->lon, guess_lon, &j->col[C_LON],
			  j->err)) ||
	    (rc = col_map(c, "zip", o->zip, o->centroids ? guess_zip : NULL,
			  &j->col[C_ZIP], j->err)) ||
	    (rc = col_map(c, "id", o->id, NULL, &j->col[C_ID], j->err)) ||
	    (rc = col_map(c, "address", o->address, NULL, &j->col[C_ADDR],
			  j->err)) ||
	    (rc = col_map(c, "city", o->city, NULL, &j->col[C_CITY], j->err)) ||
	    (rc =
		 col_map(c, "state", o->state, NULL, &j->col[C_STATE], j->err)))
		goto cleanup;
	if ((j->col[C_LAT] < 0) != (j->col[C_LON] < 0)) {
		char *m = xasprintf(
		    "%s has a %s column but no %s column; give the coordinate "
		    "columns with --lat COL --lon COL",
		    j->src->name, j->col[C_LAT] < 0 ? "longitude" : "latitude",
		    j->col[C_LAT] < 0 ? "latitude" : "longitude");
		rc = fail_columns(c, j->err, m);
		free(m);
		goto cleanup;
	}
	if (j->col[C_LAT] >= 0 && j->col[C_LAT] == j->col[C_LON]) {
		rc = core_err_set(j->err, CORE_EUSAGE,
				  "--lat and --lon name the same column '%s'",
				  hdr(j, C_LAT));
		goto cleanup;
	}
	if (j->col[C_LAT] < 0 && j->col[C_ZIP] < 0 && j->col[C_ADDR] < 0) {
		char *m;
		if (o->centroids) {
			guess_names(guess_zip, &b);
			m = xasprintf("%s has no coordinate columns and no ZIP "
				      "column (looked for %s); give --lat COL "
				      "--lon COL, or --zip COL",
				      j->src->name, core_buf_str(&b));
		} else {
			m = xasprintf(
			    "%s has no coordinate columns (looked for lat, "
			    "latitude, y and lon, lng, longitude, x); give "
			    "them with --lat COL --lon COL, place people by "
			    "their address with --address COL, or by ZIP with "
			    "--zip COL --centroids FILE",
			    j->src->name);
		}
		rc = fail_columns(c, j->err, m);
		free(m);
		goto cleanup;
	}
	if (o->centroids && j->col[C_ZIP] < 0) {
		char *m;
		guess_names(guess_zip, &b);
		m = xasprintf(
		    "%s: --centroids is given but the file has no ZIP column "
		    "(looked for %s); name it with --zip COL",
		    j->src->name, core_buf_str(&b));
		rc = fail_columns(c, j->err, m);
		free(m);
		goto cleanup;
	}
	for (k = 0; k < C_NCOLS; k++)
		if (k != C_ID && j->col[C_ID] >= 0 &&
		    j->col[k] == j->col[C_ID]) {
			rc = core_err_set(j->err, CORE_EUSAGE,
					  "--id names the column '%s', which "
					  "is also the %s column",
					  hdr(j, C_ID), col_role[k]);
			goto cleanup;
		}
	if (j->col[C_ADDR] >= 0) {
		int a;
		for (a = C_ADDR; a <= C_STATE; a++)
			for (k = 0; k < C_NCOLS; k++)
				if (k < a && j->col[a] >= 0 &&
				    j->col[k] == j->col[a]) {
					rc = core_err_set(
					    j->err, CORE_EUSAGE,
					    "%s names the column '%s', which "
					    "is also the %s column",
					    col_role[a], hdr(j, a),
					    col_role[k]);
					goto cleanup;
				}
	}
	rc = map_keep(j);
cleanup:
	core_buf_release(&b);
	return rc;
}

/* Record in j->src->options the options this import ran with, as the
 * columns were mapped (replacing what was there). */
static void build_options(struct job *j)
{
	const struct imp_cohort_opts *o = j->o;
	struct core_buf b = CORE_BUF_INIT, l = CORE_BUF_INIT;
	size_t k;

	if (j->counts) {
		imp_opt_add(&b, "counts", hdr(j, C_COUNTS));
		if (j->zip_counts)
			imp_opt_add(&b, "zip", hdr(j, C_ZIP));
		else
			imp_opt_add(&b, "geoid", hdr(j, C_GEOID));
		if (o->level)
			imp_opt_add(&b, "level", o->level);
	} else {
		if (j->col[C_LAT] >= 0) {
			imp_opt_add(&b, "lon", hdr(j, C_LON));
			imp_opt_add(&b, "lat", hdr(j, C_LAT));
		}
		/* the address columns by name only, never a value */
		if (j->col[C_ADDR] >= 0) {
			imp_opt_add(&b, "address", hdr(j, C_ADDR));
			if (j->col[C_CITY] >= 0)
				imp_opt_add(&b, "city", hdr(j, C_CITY));
			if (j->col[C_STATE] >= 0)
				imp_opt_add(&b, "state", hdr(j, C_STATE));
			if (j->worst)
				imp_opt_add(&b, "geocode-worst",
					    geo_gc_level_name(j->worst));
		}
		if (j->col[C_ZIP] >= 0) {
			imp_opt_add(&b, "zip", hdr(j, C_ZIP));
			if (o->centroids)
				imp_opt_add(&b, "centroids", o->centroids);
			if (o->centroid_cols)
				imp_opt_add(&b, "centroid-columns",
					    o->centroid_cols);
		}
		if (j->col[C_ID] >= 0)
			imp_opt_add(&b, "id", hdr(j, C_ID));
		for (k = 0; k < j->nkeep; k++)
			core_buf_addf(&l, "%s%s%s", k ? "," : "",
				      j->csv.hdr[j->keep[k]],
				      j->keep_year[k] ? ":year" : "");
		if (j->nkeep)
			imp_opt_add(&b, "keep", core_buf_str(&l));
	}
	if (o->replace)
		imp_opt_add(&b, "replace", NULL);
	imp_opt_finish(&b, o->skip_bad, j->src);
	core_buf_release(&l);
}

/* ---------------------------------------------------------------------
 * Reading the rows
 * ------------------------------------------------------------------ */

static int reject(struct job *j, int c, const char *value, const char *why, ...)
    __attribute__((format(printf, 4, 5)));

/* Reject the current row for column c (-1: the whole row), quoting
 * value (NULL: nothing).  Returns the database status. */
static int reject(struct job *j, int c, const char *value, const char *why, ...)
{
	struct core_buf b = CORE_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, why);
	core_buf_vaddf(&b, why, ap);
	va_end(ap);
	rc = imp_reject(j->ws, j->src, j->csv.rec_line,
			c >= 0 ? j->csv.hdr[j->col[c]] : NULL, value, j->err,
			"%s", core_buf_str(&b));
	core_buf_release(&b);
	return rc;
}

static int wrong_width(struct job *j)
{
	char sep[4] = {'\'', j->csv.sep, '\'', 0};

	return reject(j, -1, NULL,
		      "has %zu field%s where the header has %zu; a value "
		      "holding the separator %s must be in double quotes%s",
		      j->csv.nf, j->csv.nf == 1 ? "" : "s", j->csv.nhdr,
		      j->csv.sep == '\t' ? "(tab)" : sep,
		      core_csv_offset(j->csv.r) >= j->csv.size
			  ? " (is the file cut short?)"
			  : "");
}

/*
 * Decimal degrees as files write them ("-120.560879"), fast: an integer
 * mantissa below 2^53 divided by a power of ten up to 10^22, both exact
 * in a double, is correctly rounded, so this gives strtod's value.  0 for
 * anything else, which then goes through imp_parse_number.
 */
static int fast_decimal(const char *s, size_t n, double *out)
{
	static const double p10[] = {1e0,  1e1,	 1e2,  1e3,  1e4,  1e5,
				     1e6,  1e7,	 1e8,  1e9,  1e10, 1e11,
				     1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
				     1e18, 1e19, 1e20, 1e21, 1e22};
	const char *e = s + n;
	uint64_t m = 0;
	int neg = 0, digits = 0, frac = 0, dot = 0;

	if (s < e && *s == '-')
		neg = 1, s++;
	for (; s < e; s++) {
		if (*s >= '0' && *s <= '9') {
			if (++digits > 18)
				return 0;
			m = m * 10 + (uint64_t)(*s - '0');
			frac += dot;
		} else if (*s == '.' && !dot) {
			dot = 1;
		} else {
			return 0;
		}
	}
	if (!digits || m > (1ULL << 53) || frac > 22)
		return 0;
	*out = (double)m / p10[frac];
	if (neg)
		*out = -*out;
	return 1;
}

/* One coordinate; 1 when *out is set, 0 after a reject (*rc set). */
static int coord(struct job *j, int c, double *out, double other, int *rc)
{
	int lon = c == C_LON;
	const char *what = lon ? "longitude" : "latitude";
	const char *eg = lon ? "-120.5609" : "37.1133";
	double lim = lon ? 180 : 90;
	const char *v, *sp;
	size_t sn;

	/* the common case, read in place */
	if (csv_slice(&j->csv, (size_t)j->col[c], &sp, &sn) && sn &&
	    fast_decimal(sp, sn, out) && *out >= -lim && *out <= lim)
		return 1;
	v = csv_get(&j->csv, (size_t)j->col[c], &j->scratch[0]);
	if (!*v) {
		*rc = reject(
		    j, c, NULL,
		    "has no value; every person needs a %s (decimal degrees, "
		    "e.g. %s)%s",
		    what, eg,
		    j->col[C_ZIP] >= 0
			? ", or both coordinates empty to be placed by ZIP"
			: "");
		return 0;
	}
	if (!fast_decimal(v, strlen(v), out) && !imp_parse_number(v, out)) {
		*rc = reject(j, c, v,
			     "is not a number; %s must be decimal degrees "
			     "between %g and %g, e.g. %s",
			     what, -lim, lim, eg);
		return 0;
	}
	if (*out < -lim || *out > lim) {
		*rc = reject(
		    j, c, v, "is out of range; %s must be between %g and %g%s",
		    what, -lim, lim,
		    !lon && fabs(*out) <= 180 && fabs(other) <= 90
			? " (are the longitude and latitude columns swapped?)"
			: "");
		return 0;
	}
	return 1;
}

/* The value of column c of the row into scratch buffer k, or NULL when
 * the column is not used. */
static const char *col_value(struct job *j, int c, int k)
{
	return j->col[c] >= 0
		   ? csv_get(&j->csv, (size_t)j->col[c], &j->scratch[k])
		   : NULL;
}

/*
 * Place the row, which has no coordinates, at its address (--address,
 * --city, --state, --zip) through j->gc: 1 with *x, *y and *zip (-1 for
 * a point, else the ZIP of a ZIP-level placement) set, 0 after a reject
 * naming the address column, never its value (*rc the reject's status,
 * or the error of loading the geocoder).
 */
static int row_geocode(struct job *j, double *x, double *y, int32_t *zip,
		       int *rc)
{
	struct imp_gc_place p;
	char why[512];

	if ((*rc = imp_gc_place(
		 &j->gc, col_value(j, C_ADDR, 0), col_value(j, C_CITY, 1),
		 col_value(j, C_STATE, 2), col_value(j, C_ZIP, 3), &p, j->err)))
		return 0;
	if (p.level == GEO_GC_NONE) {
		*rc = reject(j, C_ADDR, NULL, "%s",
			     imp_gc_reject_why(&p, 1, why, sizeof(why)));
		return 0;
	}
	*x = p.lon;
	*y = p.lat;
	/* a ZIP-level placement names its 5-digit ZIP (imp_gc_place) */
	*zip = p.level == GEO_GC_ZIP ? parse_zip(p.zip) : -1;
	return 1;
}

/* The row's location: 1 when set, 0 after a reject. */
static int row_location(struct job *j, double *x, double *y, int32_t *zip,
			int *rc)
{
	int has_pt =
	    j->col[C_LAT] >= 0 && (!csv_empty(&j->csv, (size_t)j->col[C_LAT]) ||
				   !csv_empty(&j->csv, (size_t)j->col[C_LON]));
	const char *v;
	int z;

	*zip = -1;
	if (has_pt) {
		if (!coord(j, C_LON, x, 0, rc) || !coord(j, C_LAT, y, *x, rc))
			return 0;
		if (*x == 0 && *y == 0) {
			*rc = reject(j, C_LAT, "0",
				     "with a longitude of 0 is the point 0,0, "
				     "which marks an address that was not "
				     "geocoded; fix the row%s",
				     j->col[C_ZIP] >= 0
					 ? ", or leave both empty to place the "
					   "person by ZIP"
					 : "");
			return 0;
		}
		return 1;
	}
	if (j->col[C_ADDR] >= 0 && !csv_empty(&j->csv, (size_t)j->col[C_ADDR]))
		return row_geocode(j, x, y, zip, rc);
	if (j->col[C_ADDR] >= 0 && !j->zips.lat) {
		*rc = reject(j, C_ADDR, NULL,
			     j->col[C_LAT] >= 0
				 ? "has no value, and neither have the "
				   "coordinates; every person needs a location"
				 : "has no value; every person needs an "
				   "address to be placed");
		return 0;
	}
	if (j->col[C_ZIP] < 0) {
		*rc = reject(
		    j, -1, NULL,
		    "has no location: %s and %s are empty; every person needs "
		    "coordinates (decimal degrees, e.g. 37.1133, -120.5609), "
		    "or a ZIP with --zip COL --centroids FILE",
		    hdr(j, C_LAT), hdr(j, C_LON));
		return 0;
	}
	v = csv_get(&j->csv, (size_t)j->col[C_ZIP], &j->scratch[0]);
	if (!*v) {
		*rc = reject(j, C_ZIP, NULL,
			     j->col[C_LAT] >= 0
				 ? "has no value, and neither have the "
				   "coordinates; every person needs a location"
				 : "has no value; every person needs a ZIP "
				   "code to be placed at its centroid");
		return 0;
	}
	z = parse_zip(v);
	if (z < 0) {
		*rc = reject(j, C_ZIP, v,
			     "is not a ZIP code; give 5 digits (e.g. 94103) or "
			     "ZIP+4 (94103-1234)");
		return 0;
	}
	if (isnan(j->zips.lat[z])) {
		*rc = reject(j, C_ZIP, v,
			     "is not in the centroid file %s; give a centroid "
			     "file that covers it, or the person's coordinates",
			     j->zips.name);
		return 0;
	}
	*zip = z;
	*x = j->zips.lon[z];
	*y = j->zips.lat[z];
	return 1;
}

/* A year alone (4 digits, white space around allowed): 1 and *year. */
static int plain_year(const char *s, size_t n, int *year)
{
	size_t i = 0, d = 0;
	int y = 0;

	while (i < n && is_blank(s[i]))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, d++)
		y = y * 10 + (s[i] - '0');
	while (i < n && is_blank(s[i]))
		i++;
	if (i != n || d != 4)
		return 0;
	*year = y;
	return 1;
}

/* The --keep values as a JSON object onto j->attrs; 1, or 0 after a
 * reject (the attrs buffer is then cut back by the caller). */
static int row_attrs(struct job *j, int *rc)
{
	struct core_buf *raw = &j->scratch[1], *b = &j->scratch[3];
	enum core_privacy_ident kind;
	size_t k;

	core_buf_addc(&j->attrs, '{');
	for (k = 0; k < j->nkeep; k++) {
		unsigned char bad;
		const char *v;
		size_t n;
		int conv = 0;

		if (csv_slice(&j->csv, (size_t)j->keep[k], &v, &n) &&
		    utf8_valid((const unsigned char *)v, n, &bad)) {
			/* the common case, read in place */
		} else {
			csv_get(&j->csv, (size_t)j->keep[k], raw);
			conv = imp_to_utf8(raw->s, raw->len, b, &bad);
			v = b->s ? b->s : "";
			n = b->len;
		}
		if (conv < 0) {
			*rc =
			    imp_reject(j->ws, j->src, j->csv.rec_line,
				       j->csv.hdr[j->keep[k]], NULL, j->err,
				       "is neither UTF-8 nor Windows-1252 text "
				       "(byte 0x%02x); save the file as UTF-8 "
				       "(in Excel: Save As, 'CSV UTF-8')",
				       bad);
			return 0;
		}
		j->converted += conv;
		if (k)
			core_buf_addc(&j->attrs, ',');
		core_buf_adds(&j->attrs, j->keep_key[k]);
		if (n && j->keep_year[k]) {
			int year;
			if (!core_privacy_date_year(v, n, &year) &&
			    !plain_year(v, n, &year)) {
				*rc = imp_reject(
				    j->ws, j->src, j->csv.rec_line,
				    j->csv.hdr[j->keep[k]], NULL, j->err,
				    "is not a date with a 4-digit year (the "
				    "value is not shown); --keep %s:year keeps "
				    "dates' years",
				    j->csv.hdr[j->keep[k]]);
				return 0;
			}
			core_buf_addf(&j->attrs, "%d", year);
			continue;
		}
		if (n && (kind = core_privacy_ident_value(v, n)) !=
			     CORE_PRIVACY_IDENT_NONE) {
			*rc = refuse_keep(j, j->keep[k], kind, j->csv.rec_line);
			return 0;
		}
		if (n == 0) {
			core_buf_adds(&j->attrs, "null");
		} else if (json_number(v, n)) {
			core_buf_add(&j->attrs, v, n);
		} else {
			core_buf_addc(&j->attrs, '"');
			json_str(&j->attrs, v, n);
			core_buf_addc(&j->attrs, '"');
		}
	}
	core_buf_addc(&j->attrs, '}');
	return 1;
}

/* The row's id hashed into out: 1, or 0 after a reject (*rc set).  The
 * common case is hashed in place, never copied; otherwise through
 * buffers scrubbed at once. */
static int row_id(struct job *j, unsigned char out[32], int *rc)
{
	struct core_buf *raw = &j->scratch[2], *b = &j->scratch[3];
	unsigned char bad;
	const char *v;
	size_t n;
	int conv;

	if (csv_slice(&j->csv, (size_t)j->col[C_ID], &v, &n) && n &&
	    utf8_valid((const unsigned char *)v, n, &bad)) {
		core_privacy_hasher_run(&j->hasher, v, n, out);
		return 1;
	}
	csv_get(&j->csv, (size_t)j->col[C_ID], raw);
	if (raw->len == 0) {
		*rc = reject(j, C_ID, NULL,
			     "has no value; with --id every row needs an id");
		return 0;
	}
	/* The same id hashes the same whatever the file's encoding. */
	conv = imp_to_utf8(raw->s, raw->len, b, &bad);
	memset(raw->s, 0, raw->len);
	if (conv < 0) {
		*rc = reject(j, C_ID, NULL,
			     "is neither UTF-8 nor Windows-1252 text (byte "
			     "0x%02x); save the file as UTF-8",
			     bad);
		return 0;
	}
	j->converted += conv;
	core_privacy_hasher_run(&j->hasher, b->s, b->len, out);
	memset(b->s, 0, b->len);
	return 1;
}

/*
 * Read the current CSV row as a person: its location, its id's hash
 * (with --id) and its --keep attributes, appended to j->p (and j->attrs).
 * A row that does not fit (wrong width, bad location, id or attribute, an
 * id seen before) is rejected through imp_reject instead.  Returns
 * CORE_OK, the rejection's status (an error without skip_bad), or
 * CORE_EFORMAT when the rows or the --keep text outgrow 32-bit offsets.
 */
static int row_person(struct job *j)
{
	size_t mark = j->attrs.len;
	struct person *pp;
	double x = 0, y = 0;
	int32_t zip;
	int rc = CORE_OK;

	if (j->csv.nf != j->csv.nhdr)
		return wrong_width(j);
	if (!row_location(j, &x, &y, &zip, &rc))
		return rc;
	if ((rc = rows_grow(j)))
		return rc;
	pp = &j->p[j->n];
	if (j->col[C_ID] >= 0 && !row_id(j, pp->hash, &rc))
		return rc;
	if (j->nkeep && !row_attrs(j, &rc)) {
		j->attrs.len = mark;
		return rc;
	}
	if (j->attrs.len > 0xFFFFFFFFu)
		return core_err_set(j->err, CORE_EFORMAT,
				    "%s line %ld: the --keep columns hold more "
				    "than 4 GB in all; keep fewer columns",
				    j->src->name, j->csv.rec_line);
	if (j->col[C_ID] >= 0) {
		long first = dupset_add(&j->dups,
					(const unsigned char *)j->p +
					    offsetof(struct person, hash),
					(uint32_t)j->n);
		if (first >= 0) {
			j->attrs.len = mark;
			return reject(
			    j, C_ID, NULL,
			    "is the same id as line %lu (the id is not shown); "
			    "each person must appear once",
			    (unsigned long)j->p[first].line);
		}
	}
	pp->x = x;
	pp->y = y;
	pp->zip = zip;
	pp->line = (uint32_t)j->csv.rec_line;
	pp->attr_off = (uint32_t)mark;
	pp->attr_len = (uint32_t)(j->attrs.len - mark);
	j->n++;
	j->src->rows_accepted++;
	return CORE_OK;
}

static const char *level_of_len(size_t n)
{
	switch (n) {
	case 2:
		return "state";
	case 11:
		return "tract";
	case 12:
		return "blockgroup";
	default:
		return NULL;
	}
}

/*
 * Read the current CSV row as a count of people in one area (a GEOID, its
 * dropped leading zeros put back, or a ZIP), appended to j->ac.  The
 * first GEOID sets the level when --level was not given.  A row that
 * does not fit (wrong width, bad GEOID, ZIP or count, an area seen
 * before) is rejected through imp_reject instead.  Returns CORE_OK, the
 * rejection's status (an error without skip_bad), or CORE_EUSAGE when
 * the first GEOID's length says no level (or could be county or ZCTA).
 */
static int row_count(struct job *j)
{
	struct area_count *a;
	const char *v;
	char geoid[16];
	double cnt;
	size_t n, k;
	int rc;

	if (j->csv.nf != j->csv.nhdr)
		return wrong_width(j);
	if (j->zip_counts) {
		int z;
		v = csv_get(&j->csv, (size_t)j->col[C_ZIP], &j->scratch[0]);
		if (!*v)
			return reject(j, C_ZIP, NULL,
				      "has no value; every row needs the ZIP "
				      "its count is for");
		z = parse_zip(v);
		if (z < 0)
			return reject(
			    j, C_ZIP, v,
			    "is not a ZIP code; give 5 digits (e.g. 94103)");
		snprintf(geoid, sizeof(geoid), "%05d", z);
	} else {
		v = csv_get(&j->csv, (size_t)j->col[C_GEOID], &j->scratch[0]);
		n = strlen(v);
		if (!*v)
			return reject(j, C_GEOID, NULL,
				      "has no value; every row needs the GEOID "
				      "of its area");
		for (k = 0; k < n; k++)
			if (!isdigit((unsigned char)v[k]))
				break;
		if (k < n || n > 12)
			return reject(j, C_GEOID, v,
				      "is not a GEOID; a GEOID is 2 to 12 "
				      "digits, e.g. 06075010100 for a tract");
		if (!j->level_len) {
			/* The first GEOID sets the level. */
			const char *lv = level_of_len(n);
			if (n == 5)
				return core_err_set(
				    j->err, CORE_EUSAGE,
				    "%s line %ld, field %s: '%s' is 5 digits, "
				    "a county or a ZCTA; say which with "
				    "--level county or --level zcta",
				    j->src->name, j->csv.rec_line,
				    hdr(j, C_GEOID), v);
			if (!lv)
				return core_err_set(
				    j->err, CORE_EUSAGE,
				    "%s line %ld, field %s: '%s' is %zu "
				    "digits; a GEOID is 2 (state), 5 (county "
				    "or ZCTA), 11 (tract) or 12 (block group) "
				    "digits; if leading zeros were lost (e.g. "
				    "in Excel), give --level so they are put "
				    "back",
				    j->src->name, j->csv.rec_line,
				    hdr(j, C_GEOID), v, n);
			j->level = lv;
			j->level_len = (int)n;
		}
		/* A spreadsheet drops one leading zero (state 06), two
		 * of a ZCTA at most (00601). */
		if ((int)n > j->level_len ||
		    (int)n <
			j->level_len -
			    (j->level_len == 5 && strcmp(j->level, "zcta") == 0
				 ? 2
				 : 1))
			return reject(
			    j, C_GEOID, v,
			    "is not a %s GEOID; a %s GEOID is %d digits",
			    j->level, j->level, j->level_len);
		/* leading zeros a spreadsheet dropped go back */
		memset(geoid, '0', sizeof(geoid));
		memcpy(geoid + (j->level_len - (int)n), v, n);
		geoid[j->level_len] = '\0';
	}
	v = csv_get(&j->csv, (size_t)j->col[C_COUNTS], &j->scratch[1]);
	if (!*v)
		return reject(
		    j, C_COUNTS, NULL,
		    "has no value; give the number of people (0 or more)");
	if (!imp_parse_number(v, &cnt))
		return reject(j, C_COUNTS, v,
			      "is not a number; give the number of people, a "
			      "whole number of 0 or more (not a suppressed "
			      "'<11': import the counts before suppression)");
	if (cnt < 0)
		return reject(j, C_COUNTS, v,
			      "is negative; a count of people is 0 or more");
	if (cnt != floor(cnt) || cnt > 1e12)
		return reject(j, C_COUNTS, v,
			      "is not a whole number; a count of people is a "
			      "whole number of 0 or more");
	if ((rc = rows_grow(j)))
		return rc;
	a = &j->ac[j->n];
	memset(a->geoid, 0, sizeof(a->geoid));
	memcpy(a->geoid, geoid, strlen(geoid));
	{
		long first = dupset_add(&j->dups,
					(const unsigned char *)j->ac +
					    offsetof(struct area_count, geoid),
					(uint32_t)j->n);
		if (first >= 0)
			return reject(j, j->zip_counts ? C_ZIP : C_GEOID, geoid,
				      "appears more than once (first on line "
				      "%lu); each area must have one row",
				      (unsigned long)j->ac[first].line);
	}
	a->count = (int64_t)cnt;
	a->line = (uint32_t)j->csv.rec_line;
	j->n++;
	j->src->rows_accepted++;
	return CORE_OK;
}

static int read_rows(struct job *j)
{
	int step, rc = CORE_OK;

	j->label = xasprintf("importing cohort %s", j->o->name);
	core_progress_start(&j->prog, j->label, (int64_t)j->csv.size);
	while ((step = csv_next(&j->csv, j->err)) == 1) {
		size_t i;
		/* A line of separators only (a spreadsheet's leftover) is
		 * not a row. */
		for (i = 0; i < j->csv.nf && csv_empty(&j->csv, i); i++)
			;
		if (i == j->csv.nf)
			continue;
		j->src->rows_read++;
		rc = j->counts ? row_count(j) : row_person(j);
		if (rc)
			break;
		if ((j->src->rows_read & 4095) == 0)
			core_progress_tick(&j->prog,
					   (int64_t)core_csv_offset(j->csv.r));
	}
	if (step < 0)
		rc = CORE_EFORMAT;
	core_progress_end(&j->prog);
	return rc;
}

/* The sources row's encoding, and a warning when values were read as
 * Windows-1252 (never quoting them). */
static int note_encoding(struct job *j)
{
	sqlite3_stmt *st;
	int rc;

	free(j->src->encoding);
	j->src->encoding = xstrdup(j->converted ? "windows-1252" : "utf-8");
	if (j->converted) {
		free(j->src->warning);
		j->src->warning = xasprintf(
		    "%s: %lld value%s of the columns read %s not UTF-8 and %s "
		    "read as Windows-1252 (Excel's 'CSV' on Windows); save the "
		    "file as UTF-8 to be sure",
		    j->src->name, (long long)j->converted,
		    j->converted == 1 ? "" : "s",
		    j->converted == 1 ? "was" : "were",
		    j->converted == 1 ? "was" : "were");
		j->src->warnings++;
	}
	if ((rc = core_ws_prepare(
		 j->ws, j->err, &st,
		 "UPDATE sources SET encoding = ?1 WHERE id = ?2")))
		return rc;
	sqlite3_bind_text(st, 1, j->src->encoding, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, j->src->id);
	rc = core_ws_step(j->ws, j->err, st);
	sqlite3_finalize(st);
	return rc;
}

/* ---------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------ */

/* Set SpatiaLite's triggers on cohort_members aside (their SQL kept to
 * be run again before the commit) and note whether the spatial index
 * exists. */
static int triggers_drop(struct job *j)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = imp_triggers_drop(j->ws, "cohort_members", NULL, &j->trig,
				    "reading the triggers", j->err)) ||
	    (rc = core_ws_prepare(j->ws, j->err, &q,
				  "SELECT sql FROM sqlite_master WHERE "
				  "name = 'idx_cohort_members_geom'")))
		return rc;
	j->have_index =
	    sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0);
	sqlite3_finalize(q);
	return rc;
}

/* Run sql with ?1 bound to text and ?2 to an integer. */
static int exec_text(struct job *j, const char *sql, const char *t, int64_t v)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = core_ws_prepare(j->ws, j->err, &st, sql)))
		return rc;
	sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	rc = core_ws_step(j->ws, j->err, st);
	sqlite3_finalize(st);
	return rc;
}

/* Run sql with ?1 bound to an integer. */
static int exec_int(struct job *j, const char *sql, int64_t v)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = core_ws_prepare(j->ws, j->err, &st, sql)))
		return rc;
	sqlite3_bind_int64(st, 1, v);
	rc = core_ws_step(j->ws, j->err, st);
	sqlite3_finalize(st);
	return rc;
}

/* Delete a cohort sources row and what hangs off it: foreign keys are
 * off during the import (see imp_cohort_import), so nothing cascades. */
static int drop_source(struct job *j, int64_t id)
{
	int rc;

	if ((rc = exec_int(j, "DELETE FROM source_rejects WHERE source_id = ?1",
			   id)) ||
	    (rc = exec_int(j, "DELETE FROM source_terms WHERE source_id = ?1",
			   id)))
		return rc;
	return exec_int(
	    j, "DELETE FROM sources WHERE id = ?1 AND kind = 'cohort'", id);
}

/*
 * Earlier cohorts that this import replaces, deleted with their members,
 * counts and sources rows (members with the triggers set aside,
 * j->deleted counting them; the R*Tree is rebuilt afterwards).  A
 * cohort's file is known by its checksum only (its name and path are
 * never stored), so this runs twice.  Before the rows are read (after
 * is 0): the cohort of this name, whose checksum is kept to check once
 * this file's is known, and sources rows left with this cohort's label.
 * After (after is 1): without replace, a cohort of this name from other
 * bytes is refused, and so is this file imported as another cohort;
 * with replace, that other cohort goes.
 */
static int settle_earlier(struct job *j, int after)
{
	const struct imp_cohort_opts *o = j->o;
	sqlite3_stmt *st = NULL;
	int64_t *ids = NULL, *srcs = NULL, gone = 0;
	size_t n = 0, cap = 0, cap2 = 0, k;
	int rc = CORE_OK, step;

	if (after && j->earlier_sum && !o->replace &&
	    strcmp(j->earlier_sum, j->src->checksum) != 0)
		return core_err_set(
		    j->err, CORE_EFAIL,
		    "cohort '%s' was imported from another file, or from this "
		    "one before it changed; give --replace to replace it with "
		    "the people in %s, or choose another name",
		    o->name, j->src->name);
	if ((rc = core_ws_prepare(
		 j->ws, j->err, &st,
		 after ? "SELECT c.id, c.name, s.checksum, c.source_id FROM "
			 "cohorts c"
			 " JOIN sources s ON s.id = c.source_id"
			 " WHERE s.kind = 'cohort' AND s.checksum = ?2 AND "
			 "c.name <> ?1"
			 " ORDER BY c.name"
		       : "SELECT c.id, c.name, s.checksum, c.source_id FROM "
			 "cohorts c"
			 " LEFT JOIN sources s ON s.id = c.source_id"
			 " WHERE c.name = ?1")))
		return rc;
	sqlite3_bind_text(st, 1, o->name, -1, SQLITE_STATIC);
	if (after)
		sqlite3_bind_text(st, 2, j->src->checksum, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *sum = (const char *)sqlite3_column_text(st, 2);

		if (after && !o->replace) {
			rc = core_err_set(
			    j->err, CORE_EFAIL,
			    "%s is already imported as cohort '%s'; import it "
			    "as '%s' to replace that, or give --replace to "
			    "replace cohort '%s' with '%s'",
			    j->src->name, name, name, name, o->name);
			goto cleanup;
		}
		if (!after) {
			free(j->earlier_sum);
			j->earlier_sum = xstrdup(sum ? sum : "");
		}
		xgrow((void **)&ids, &cap, n + 1, sizeof(int64_t));
		xgrow((void **)&srcs, &cap2, n + 1, sizeof(int64_t));
		ids[n] = sqlite3_column_int64(st, 0);
		srcs[n] = sqlite3_column_type(st, 3) == SQLITE_NULL
			      ? -1
			      : sqlite3_column_int64(st, 3);
		n++;
	}
	if (step != SQLITE_DONE) {
		rc = core_ws_dberr(j->ws, j->err, "reading cohorts");
		goto cleanup;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* imp_source_open deletes the sources row of this label: what hangs
	 * off it goes first */
	if (!after) {
		if ((rc = core_ws_prepare(j->ws, j->err, &st,
					  "SELECT id FROM sources WHERE kind = "
					  "'cohort' AND path = ?1")))
			goto cleanup;
		sqlite3_bind_text(st, 1, j->src->path, -1, SQLITE_STATIC);
		while (!rc && sqlite3_step(st) == SQLITE_ROW) {
			xgrow((void **)&ids, &cap, n + 1, sizeof(int64_t));
			xgrow((void **)&srcs, &cap2, n + 1, sizeof(int64_t));
			ids[n] = -1; /* no cohort: a sources row alone */
			srcs[n] = sqlite3_column_int64(st, 0);
			n++;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (n == 0)
		goto cleanup;
	for (k = 0; k < n; k++)
		if (ids[k] >= 0 && j->stats)
			j->stats->replaced = 1;
	if ((rc = core_ws_exec(j->ws, j->err,
			       "CREATE TEMP TABLE IF NOT EXISTS cohort_gone(id "
			       "INTEGER PRIMARY KEY);"
			       " DELETE FROM cohort_gone")))
		goto cleanup;
	for (k = 0; k < n && !rc; k++)
		if (ids[k] >= 0)
			rc = exec_int(
			    j, "INSERT OR IGNORE INTO cohort_gone VALUES(?1)",
			    ids[k]);
	if (rc || (rc = core_ws_int(j->ws, j->err,
				    "SELECT count(*) FROM cohort_members WHERE "
				    "cohort_id IN (SELECT id FROM cohort_gone)",
				    &gone)))
		goto cleanup;
	j->deleted += gone;
	if (gone > 0) {
		if ((rc = core_ws_exec(
			 j->ws, j->err,
			 "DELETE FROM cohort_members WHERE cohort_id IN "
			 "(SELECT id FROM cohort_gone);"
			 " UPDATE geometry_columns_time SET last_delete = "
			 "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
			 "  WHERE lower(f_table_name) = 'cohort_members' AND "
			 "lower(f_geometry_column) = 'geom'")))
			goto cleanup;
	}
	if ((rc = core_ws_exec(j->ws, j->err,
			       "DELETE FROM cohort_counts WHERE cohort_id IN "
			       "(SELECT id FROM cohort_gone);"
			       " DELETE FROM cohorts WHERE id IN (SELECT id "
			       "FROM cohort_gone);"
			       " DROP TABLE temp.cohort_gone")))
		goto cleanup;
	for (k = 0; k < n && !rc; k++)
		if (srcs[k] >= 0)
			rc = drop_source(j, srcs[k]);
cleanup:
	sqlite3_finalize(st);
	free(ids);
	free(srcs);
	return rc;
}

static int insert_cohort(struct job *j)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = core_ws_prepare(
		 j->ws, j->err, &st,
		 "INSERT INTO cohorts(name, source_id, kind, created_at, "
		 "description, level)"
		 " VALUES(?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
		 "?4, ?5)")))
		return rc;
	sqlite3_bind_text(st, 1, j->o->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, j->src->id);
	sqlite3_bind_text(st, 3, j->counts ? "counts" : "points", -1,
			  SQLITE_STATIC);
	if (j->o->description)
		sqlite3_bind_text(st, 4, j->o->description, -1, SQLITE_STATIC);
	if (j->counts)
		sqlite3_bind_text(st, 5, j->level, -1, SQLITE_STATIC);
	rc = core_ws_step(j->ws, j->err, st);
	sqlite3_finalize(st);
	j->cohort_id = sqlite3_last_insert_rowid(j->ws->db);
	return rc;
}

static int write_counts(struct job *j)
{
	sqlite3_stmt *st;
	size_t r;
	int rc;

	if ((rc = core_ws_prepare(j->ws, j->err, &st,
				  "INSERT INTO cohort_counts(cohort_id, geoid, "
				  "count) VALUES(?1, ?2, ?3)")))
		return rc;
	for (r = 0; r < j->n && !rc; r++) {
		sqlite3_bind_int64(st, 1, j->cohort_id);
		sqlite3_bind_text(st, 2, j->ac[r].geoid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, j->ac[r].count);
		rc = core_ws_step(j->ws, j->err, st);
		if (j->stats)
			j->stats->people += j->ac[r].count;
	}
	sqlite3_finalize(st);
	if (j->stats)
		j->stats->areas = (int64_t)j->n;
	return rc;
}

/* Rows per INSERT statement in the bulk writes. */
#define BATCH 32

/* "INSERT INTO into VALUES(tuple), ... (tuple)" with n tuples.  Numbered
 * parameters (?1) are shared by every tuple; each '?' is numbered on
 * from the last. */
static int prepare_batch(struct job *j, sqlite3_stmt **st, const char *into,
			 const char *tuple, size_t n)
{
	struct core_buf b = CORE_BUF_INIT;
	size_t k;
	int rc;

	core_buf_addf(&b, "INSERT INTO %s VALUES", into);
	for (k = 0; k < n; k++)
		core_buf_addf(&b, "%s(%s)", k ? "," : "", tuple);
	rc = core_ws_prepare(j->ws, j->err, st, core_buf_str(&b));
	core_buf_release(&b);
	return rc;
}

/* ---------------------------------------------------------------------
 * The spatial index, built in one go.
 *
 * SpatiaLite's index is an SQLite R*Tree (idx_cohort_members_geom).
 * Inserting a million points one by one through it costs tens of
 * seconds; imp_rtree packs them bottom-up in Hilbert order in well under
 * one.  The members of replaced cohorts were deleted with the index's
 * triggers set aside, so it still lists them: the index is built afresh
 * from the members that remain, read back, and this import's.
 * ------------------------------------------------------------------ */

/*
 * Build idx_cohort_members_geom from the members of the other cohorts
 * (read back) and this import's (x, y of rows order[k], ids first + k:
 * in Hilbert order, and so packed as they come when they are alone).
 */
static int rtree_rebuild(struct job *j, const uint64_t *order, int64_t first)
{
	struct imp_rtree_box *box = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0, cap = 0, k;
	int rc, step, ordered;

	if (!j->have_index)
		return CORE_OK; /* the index was disabled: nothing to keep */
	if ((rc = core_ws_prepare(j->ws, j->err, &st,
				  "SELECT id, geom FROM cohort_members WHERE "
				  "cohort_id IS NOT ?1 AND geom IS NOT NULL")))
		goto cleanup;
	sqlite3_bind_int64(st, 1, j->cohort_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		double m[4];
		if (!geo_blob_mbr(sqlite3_column_blob(st, 1),
				  sqlite3_column_bytes(st, 1), m))
			continue;
		xgrow((void **)&box, &cap, n + 1, sizeof(*box));
		box[n].id = sqlite3_column_int64(st, 0);
		box[n].xmin = m[0];
		box[n].ymin = m[1];
		box[n].xmax = m[2];
		box[n].ymax = m[3];
		n++;
	}
	if (step != SQLITE_DONE) {
		rc =
		    core_ws_dberr(j->ws, j->err, "reading the cohorts' points");
		goto cleanup;
	}
	/* alone, this import's members are in Hilbert order already */
	ordered = n == 0;
	xgrow((void **)&box, &cap, n + j->n + 1, sizeof(*box));
	for (k = 0; order && k < j->n; k++, n++) {
		const struct person *pp = &j->p[order[k] & 0xFFFFFFFFu];
		box[n].id = first + (int64_t)k;
		box[n].xmin = box[n].xmax = pp->x;
		box[n].ymin = box[n].ymax = pp->y;
	}
	rc = imp_rtree_build(j->ws, "idx_cohort_members_geom", box, n, ordered,
			     j->err);
cleanup:
	sqlite3_finalize(st);
	free(box);
	return rc;
}

/*
 * Insert the people read (j->p) as members of cohort j->cohort_id, in
 * Hilbert order of their points: each with its id's hash (hex, with
 * --id), its ZIP (precision "zip") or else the tract it falls in
 * (precision "point"), its --keep attributes and its point; then rebuild
 * the spatial index (rtree_rebuild).  Adds to the counts in j->stats when
 * set.  Returns CORE_OK, or CORE_EDB with j->err set (CORE_EUSAGE when
 * the spatial index would pass 2^32 entries).
 */
static int write_members(struct job *j)
{
	const struct geo_areas *tracts =
	    j->tracts ? geo_locator_areas_get(j->tracts) : NULL;
	sqlite3_stmt *st = NULL, *one = NULL;
	uint64_t *order = NULL;
	double minx = HUGE_VAL, miny = HUGE_VAL, maxx = -HUGE_VAL,
	       maxy = -HUGE_VAL, sx, sy;
	unsigned char blob[BATCH][GEO_BLOB_POINT_SIZE];
	char hex[BATCH][65], zipbuf[BATCH][12];
	int64_t first = 0;
	size_t r, k, cnt = 1;
	int rc = CORE_OK;

	/* Hilbert order over the points' extent. */
	for (r = 0; r < j->n; r++) {
		const struct person *pp = &j->p[r];
		minx = pp->x < minx ? pp->x : minx;
		maxx = pp->x > maxx ? pp->x : maxx;
		miny = pp->y < miny ? pp->y : miny;
		maxy = pp->y > maxy ? pp->y : maxy;
	}
	sx = maxx > minx ? 65535.0 / (maxx - minx) : 0;
	sy = maxy > miny ? 65535.0 / (maxy - miny) : 0;
	order = xmalloc((j->n ? j->n : 1) * sizeof(uint64_t));
	for (r = 0; r < j->n; r++) {
		uint32_t hx = (uint32_t)((j->p[r].x - minx) * sx);
		uint32_t hy = (uint32_t)((j->p[r].y - miny) * sy);
		order[r] = (uint64_t)imp_hilbert(hx, hy) << 32 | (uint64_t)r;
	}
	imp_radix_sort_hi32(order, j->n);

	/* Rows go BATCH to a statement: SQLite's cost per statement
	 * (locks, setting up the program) is then paid once per batch. */
	if ((rc = prepare_batch(j, &st,
				"cohort_members(cohort_id, key_hash, "
				"area_geoid, precision, attrs, geom)",
				"?1, ?, ?, ?, ?, ?", BATCH)) ||
	    (rc = prepare_batch(j, &one,
				"cohort_members(cohort_id, key_hash, "
				"area_geoid, precision, attrs, geom)",
				"?1, ?, ?, ?, ?, ?", 1)))
		goto cleanup;
	sqlite3_bind_int64(st, 1, j->cohort_id);
	sqlite3_bind_int64(one, 1, j->cohort_id);
	for (k = 0; k < j->n; k += cnt) {
		sqlite3_stmt *use = j->n - k >= BATCH ? st : one;
		size_t c;

		cnt = use == st ? BATCH : 1;
		for (c = 0; c < cnt; c++) {
			const struct person *pp;
			int32_t area = -1;
			int at = 2 + 5 * (int)c;
			/* The walk is random in memory: fetch people 32
			 * ahead, and the --keep text of those 16 ahead (whose
			 * record came in by now). */
			if (k + c + 32 < j->n)
				__builtin_prefetch(
				    &j->p[order[k + c + 32] & 0xFFFFFFFFu]);
			if (j->nkeep && k + c + 16 < j->n)
				__builtin_prefetch(
				    j->attrs.s +
				    j->p[order[k + c + 16] & 0xFFFFFFFFu]
					.attr_off);
			pp = &j->p[order[k + c] & 0xFFFFFFFFu];
			geo_blob_point_put(blob[c], pp->x, pp->y, 4326);
			if (j->col[C_ID] >= 0) {
				core_privacy_hex(pp->hash, 32, hex[c]);
				sqlite3_bind_text(use, at, hex[c], 64,
						  SQLITE_STATIC);
			} else {
				sqlite3_bind_null(use, at);
			}
			if (pp->zip >= 0) {
				snprintf(zipbuf[c], sizeof(zipbuf[c]), "%05d",
					 (int)pp->zip);
				sqlite3_bind_text(use, at + 1, zipbuf[c], -1,
						  SQLITE_STATIC);
				sqlite3_bind_text(use, at + 2, "zip", 3,
						  SQLITE_STATIC);
				if (j->stats)
					j->stats->at_zip++;
			} else {
				if (j->tracts)
					area = geo_locator_find(j->tracts,
								pp->x, pp->y);
				if (area >= 0)
					sqlite3_bind_text(use, at + 1,
							  tracts->geoid[area],
							  -1, SQLITE_STATIC);
				else
					sqlite3_bind_null(use, at + 1);
				sqlite3_bind_text(use, at + 2, "point", 5,
						  SQLITE_STATIC);
				if (j->stats) {
					j->stats->at_point++;
					j->stats->in_tract += area >= 0;
				}
			}
			if (j->nkeep)
				sqlite3_bind_text(
				    use, at + 3, j->attrs.s + pp->attr_off,
				    (int)pp->attr_len, SQLITE_STATIC);
			else
				sqlite3_bind_null(use, at + 3);
			sqlite3_bind_blob(use, at + 4, blob[c],
					  GEO_BLOB_POINT_SIZE, SQLITE_STATIC);
		}
		if (sqlite3_step(use) != SQLITE_DONE) {
			rc = core_ws_dberr(j->ws, j->err,
					   "writing cohort members");
			sqlite3_reset(use);
			goto cleanup;
		}
		sqlite3_reset(use);
		/* rows of a batch take consecutive ids, in order */
		if (k == 0)
			first = sqlite3_last_insert_rowid(j->ws->db) -
				(int64_t)cnt + 1;
		if ((k & 16383) < cnt)
			core_progress_tick(&j->prog, (int64_t)k);
	}
	if (j->stats)
		j->stats->people = (int64_t)j->n;
	sqlite3_finalize(st);
	st = NULL;
	/* Rows were appended after the largest rowid, so they are
	 * first..first+n-1; check rather than trust it. */
	if (j->n) {
		int64_t last = sqlite3_last_insert_rowid(j->ws->db);
		if (last - first + 1 != (int64_t)j->n) {
			rc = core_err_set(j->err, CORE_EDB,
					  "workspace %s: cohort member ids are "
					  "not consecutive",
					  j->ws->path);
			goto cleanup;
		}
	}
	if ((rc = rtree_rebuild(j, order, first)))
		goto cleanup;
	if (j->n)
		rc = core_ws_exec(
		    j->ws, j->err,
		    "UPDATE geometry_columns_time SET last_insert = "
		    "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
		    " WHERE lower(f_table_name) = 'cohort_members' AND "
		    "lower(f_geometry_column) = 'geom'");
cleanup:
	sqlite3_finalize(st);
	sqlite3_finalize(one);
	free(order);
	return rc;
}

/* ---------------------------------------------------------------------
 * The workspace file's mode
 * ------------------------------------------------------------------ */

/* chmod 0600 the workspace and, when they exist, its journal files. */
static int make_private(const char *path, struct core_err *err)
{
	static const char *const suffix[] = {"-journal", "-wal", "-shm"};
	size_t i;

	if (chmod(path, S_IRUSR | S_IWUSR) != 0)
		return core_err_set(err, CORE_EIO,
				    "workspace %s: cannot make it private "
				    "(chmod 0600): %s; a workspace holding a "
				    "cohort must be readable by its owner only",
				    path, strerror(errno));
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		char *p = xasprintf("%s%s", path, suffix[i]);
		if (chmod(p, S_IRUSR | S_IWUSR) != 0 && errno != ENOENT) {
			int e = errno;
			free(p);
			return core_err_set(err, CORE_EIO,
					    "workspace %s: cannot make %s "
					    "private (chmod 0600): %s",
					    path, suffix[i], strerror(e));
		}
		free(p);
	}
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * The import
 * ------------------------------------------------------------------ */

static void job_release(struct job *j)
{
	size_t i;

	imp_gc_release(&j->gc);
	free(imp_md5_join(&j->md5)); /* before the mapping goes */
	csv_release(&j->csv);
	centroids_release(&j->zips);
	geo_locator_free(j->tracts);
	for (i = 0; i < j->nkeep; i++)
		free(j->keep_key[i]);
	free(j->keep_key);
	free(j->keep_year);
	free(j->earlier_sum);
	free(j->keep);
	free(j->label);
	if (j->p)
		memset(j->p, 0, j->cap * sizeof(*j->p));
	free(j->p);
	free(j->ac);
	core_buf_release(&j->attrs);
	core_hset_release(&j->dups.set);
	imp_triggers_release(&j->trig);
	for (i = 0; i < sizeof(j->scratch) / sizeof(j->scratch[0]); i++) {
		if (j->scratch[i].s)
			memset(j->scratch[i].s, 0, j->scratch[i].cap);
		core_buf_release(&j->scratch[i]);
	}
	core_privacy_hasher_release(&j->hasher);
}

int imp_cohort_import(struct core_ws *ws, const struct imp_cohort_opts *o,
		      struct imp_source *src, struct imp_cohort_stats *stats,
		      struct core_err *err)
{
	struct job j;
	struct stat sb;
	mode_t old_mode = 0;
	struct imp_bulk bulk = {0};
	int64_t ntracts = 0;
	int rc, chmodded = 0;

	memset(&j, 0, sizeof(j));
	j.ws = ws;
	j.o = o;
	j.src = src;
	j.stats = stats;
	j.err = err;
	if (stats)
		memset(stats, 0, sizeof(*stats));
	src->skip_bad = o->skip_bad;
	src->csv_lines = 1;
	imp_gc_init(&j.gc, ws, 0);

	if ((rc = check_opts(&j)))
		goto cleanup;
	imp_gc_init(&j.gc, ws, j.worst);
	if (stats)
		stats->counts = j.counts;
	/* The file's name and real path; its checksum is worked out while
	 * the rows are read. */
	{
		const char *base = strrchr(o->path, '/');
		free(src->arg);
		src->arg = xstrdup(o->path);
		free(src->name);
		src->name = xstrdup(base && base[1] ? base + 1 : o->path);
		if ((rc = csv_map(&j.csv, o->path, src->name, err)))
			goto cleanup;
	}
	/* What the workspace records of the file: the cohort's label, never
	 * the file's name or path (a patient file's name can say much),
	 * and the checksum. */
	free(src->path);
	src->path = core_privacy_cohort_label(o->name);
	free(src->format);
	src->format = xstrdup(j.counts ? "cohort-counts-csv" : "cohort-csv");
	if ((rc = csv_header(&j.csv, err)) || (rc = map_columns(&j)))
		goto cleanup;
	build_options(&j);
	if (o->centroids && !j.counts &&
	    (rc = centroids_load(&j.zips, o->centroids, o->centroid_cols, err)))
		goto cleanup;
	if (!j.counts) {
		if ((rc = core_ws_int(
			 ws, err,
			 "SELECT count(*) FROM areas WHERE level = 'tract'",
			 &ntracts)))
			goto cleanup;
		if (ntracts > 0) {
			if ((rc =
				 geo_locator_load(ws, "tract", &j.tracts, err)))
				goto cleanup;
			if (stats)
				stats->have_tracts = 1;
		}
	}

	/* Private before anything is written: SQLite gives the rollback
	 * journal the database file's mode. */
	if (stat(ws->path, &sb) != 0) {
		rc = core_err_set(err, CORE_EIO, "workspace %s: %s", ws->path,
				  strerror(errno));
		goto cleanup;
	}
	old_mode = sb.st_mode & 07777;
	if ((rc = make_private(ws->path, err)))
		goto cleanup;
	chmodded = 1;

	/* A key kept in the workspace by an earlier version goes out first,
	 * in a transaction of its own. */
	{
		char *note = NULL;
		if ((rc = core_privacy_salt_move(ws, &note, err)))
			goto cleanup;
		if (note && stats)
			snprintf(stats->key_note, sizeof(stats->key_note), "%s",
				 note);
		free(note);
	}

	/* For the length of the import: a page cache of up to 512 MB (taken
	 * only as pages are used: about 250 MB for a million people; spilling
	 * it to the file midway costs a quarter of the insert); deleted rows
	 * overwritten with zeros; and no foreign key checks, which cost a
	 * lookup in cohorts for every member (about a third of the insert).
	 * Every row written here refers to the cohort just made, and every
	 * delete is spelt out (settle_earlier, drop_source). */
	if ((rc = imp_bulk_begin_ex(ws, &bulk, 524288,
				    IMP_BULK_SECURE_DELETE | IMP_BULK_NO_FKEYS,
				    err)))
		goto cleanup;
	if ((rc = core_ws_begin(ws, err)))
		goto cleanup;
	if (!j.counts && j.col[C_ID] >= 0) {
		unsigned char key[CORE_PRIVACY_KEY_LEN];
		char *note = NULL;
		if ((rc = core_privacy_ws_key(ws, key, &note, err)))
			goto cleanup;
		core_privacy_hasher_init(&j.hasher, key, sizeof(key));
		memset(key, 0, sizeof(key));
		if (note && stats)
			snprintf(stats->key_note, sizeof(stats->key_note), "%s",
				 note);
		free(note);
	}
	if ((rc = triggers_drop(&j)) || (rc = settle_earlier(&j, 0)))
		goto cleanup;
	{
		/* the sources row's name is the label too; messages keep
		 * naming the file to the person importing it */
		char *file = src->name;
		src->name = src->path;
		rc = imp_source_open(ws, src, err);
		src->name = file;
		if (rc)
			goto cleanup;
	}
	{
		size_t size;
		const char *bytes = core_csv_bytes(j.csv.r, &size);
		imp_md5_start(&j.md5, bytes, size);
	}
	j.dups.stride =
	    j.counts ? sizeof(struct area_count) : sizeof(struct person);
	j.dups.len = j.counts ? sizeof(j.ac->geoid) : sizeof(j.p->hash);
	j.dups.uniform = !j.counts; /* HMAC outputs */
	if ((rc = read_rows(&j)))
		goto cleanup;
	free(src->checksum);
	src->checksum = imp_md5_join(&j.md5);
	if (!src->checksum)
		src->checksum = xstrdup("");
	if ((rc =
		 exec_text(&j, "UPDATE sources SET checksum = ?1 WHERE id = ?2",
			   src->checksum, src->id)) ||
	    (rc = settle_earlier(&j, 1)))
		goto cleanup;
	/* What parsing needed, given back before the writing. */
	csv_unmap(&j.csv);
	core_hset_release(&j.dups.set);
	if ((rc = note_encoding(&j)) || (rc = imp_source_close(ws, src, err)) ||
	    (rc = insert_cohort(&j)))
		goto cleanup;
	if (j.counts) {
		if ((rc = write_counts(&j)) ||
		    (j.deleted && (rc = rtree_rebuild(&j, NULL, 0))))
			goto cleanup;
		if (stats)
			snprintf(stats->level, sizeof(stats->level), "%s",
				 j.level);
	} else {
		core_progress_start(&j.prog, j.label, (int64_t)j.n);
		rc = write_members(&j);
		core_progress_end(&j.prog);
		if (rc)
			goto cleanup;
	}
	if ((rc = imp_triggers_restore(ws, &j.trig, err)) ||
	    (rc = core_ws_commit(ws, err)))
		goto cleanup;
	/* Members a re-import replaced were overwritten in the file; their
	 * old pages go from FILE-wal too. */
	core_ws_scrub(ws);
	/* Committed: FILE-wal and FILE-shm were made with the file's mode,
	 * 0600 already; should a chmod fail here the import stands and the
	 * user is told. */
	{
		struct core_err e2 = CORE_ERR_INIT;
		if (make_private(ws->path, &e2)) {
			free(src->warning);
			src->warning = xstrdup(e2.msg);
			src->warnings++;
		}
	}
cleanup:
	if (rc) {
		int64_t left = 1;
		core_ws_rollback(ws);
		/* Nothing private stayed: give the file its mode back. */
		if (chmodded &&
		    core_ws_int(ws, NULL, "SELECT count(*) FROM cohorts",
				&left) == CORE_OK &&
		    left == 0 && chmod(ws->path, old_mode) != 0) {
			/* best effort: the file stays 0600 */
		}
	}
	if (stats)
		stats->geocoded = j.gc.n;
	imp_bulk_end(ws, &bulk);
	core_progress_end(&j.prog);
	imp_source_end_rejects(src);
	job_release(&j);
	return rc;
}

/* ---------------------------------------------------------------------
 * Without a workspace: for the fuzz target and tests
 * ------------------------------------------------------------------ */

int imp_cohort_scan_buffer(const char *buf, size_t n,
			   const struct imp_cohort_opts *o,
			   struct imp_cohort_scan *sc, struct core_err *err)
{
	static const unsigned char key[CORE_PRIVACY_KEY_LEN];
	struct imp_source src;
	struct job j;
	size_t r;
	int rc;

	memset(&j, 0, sizeof(j));
	imp_source_init(&src, "cohort");
	src.name = xstrdup(o->path ? o->path : "buffer");
	src.csv_lines = 1;
	src.skip_bad = 1;
	j.o = o;
	j.src = &src;
	j.err = err;
	imp_gc_init(&j.gc, NULL, 0); /* no workspace: no address is placed */
	sc->read = sc->accepted = sc->rejected = 0;
	if ((rc = check_opts(&j)))
		goto cleanup;
	if (o->centroids) {
		rc =
		    core_err_set(err, CORE_EUSAGE,
				 "--centroids needs a file: not with a buffer");
		goto cleanup;
	}
	if (n == 0) {
		rc = core_err_set(err, CORE_EFORMAT,
				  "%s is empty (0 bytes); nothing to import",
				  src.name);
		goto cleanup;
	}
	j.csv.name = src.name;
	j.csv.size = n;
	j.csv.r = core_csv_open_mem_flags(buf, n, src.name, 0, CSV_FLAGS, err);
	if (!j.csv.r) {
		rc = CORE_EFORMAT;
		goto cleanup;
	}
	if ((rc = csv_header(&j.csv, err)) || (rc = map_columns(&j)))
		goto cleanup;
	build_options(&j);
	core_privacy_hasher_init(&j.hasher, key, sizeof(key));
	j.dups.stride =
	    j.counts ? sizeof(struct area_count) : sizeof(struct person);
	j.dups.len = j.counts ? sizeof(j.ac->geoid) : sizeof(j.p->hash);
	j.dups.uniform = !j.counts;
	rc = read_rows(&j);
	sc->read = src.rows_read;
	sc->accepted = src.rows_accepted;
	sc->rejected = src.rows_rejected;
	if (rc)
		goto cleanup;
	for (r = 0; sc->person && !j.counts && r < j.n; r++)
		sc->person(sc->ctx, j.p[r].x, j.p[r].y,
			   j.nkeep ? j.attrs.s + j.p[r].attr_off : NULL,
			   j.p[r].attr_len);
	for (r = 0; sc->area && j.counts && r < j.n; r++)
		sc->area(sc->ctx, j.ac[r].geoid, j.ac[r].count);
cleanup:
	job_release(&j);
	imp_source_release(&src);
	return rc;
}
