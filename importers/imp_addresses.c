/*
 * imp_addresses.c - address points, TIGER/Line street ranges and ZIP
 * centroids into addr_points, addr_ranges and addr_zips.  See
 * imp_addresses.h for the contract.
 *
 * The shape of one import: open the file (a CSV through core_csv, from
 * memory when it sits in a zip; anything else through GDAL), tell its
 * kind and map its columns (every file-level failure happens here, before
 * the workspace is touched), then read the rows in one transaction with
 * prepared statements reused for every row.
 */
#include "importers/imp_addresses.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "core/core_csv.h"
#include "core/core_hash.h"
#include "core/core_mem.h"
#include "core/core_progress.h"
#include "core/core_utf8.h"
#include "geo/geo_addr.h"

#define GUESS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The names each column is guessed from (imp_name_eq: case, ' ', '_',
 * '-' and '.' do not matter), first match wins. */
static const struct {
	const char *opt;
	const char *const *guess;
} cols[IMP_ADDR_COL_COUNT] = {
    [IMP_ADDR_COL_NUMBER] = {"number",
			     GUESS("number", "addr_num", "add_number",
				   "address_number", "house_number",
				   "housenumber", "addrnum", "st_num",
				   "street_number", "hse_num", "house_num")},
    [IMP_ADDR_COL_SUFFIX] = {"suffix",
			     GUESS("addr_n_sfx", "addnum_suf", "number_suffix",
				   "addr_num_suffix", "house_number_suffix",
				   "hse_sfx", "num_suffix")},
    [IMP_ADDR_COL_PREDIR] = {"predir", GUESS("st_predir", "predir", "pre_dir",
					     "street_predir")},
    [IMP_ADDR_COL_PRETYPE] = {"pretype",
			      GUESS("st_pretyp", "pretype", "pre_type")},
    [IMP_ADDR_COL_NAME] = {"name", GUESS("st_name", "street_name", "stname",
					 "str_name")},
    [IMP_ADDR_COL_TYPE] = {"type", GUESS("st_type", "st_postyp", "street_type",
					 "sttype", "post_type", "st_suffix")},
    [IMP_ADDR_COL_POSTDIR] = {"postdir", GUESS("st_posdir", "postdir",
					       "post_dir", "sufdir")},
    [IMP_ADDR_COL_STREET] = {"street", GUESS("street", "street_full",
					     "full_street", "st_full")},
    [IMP_ADDR_COL_UNIT] = {"unit", GUESS("unit", "unit_num", "unit_number",
					 "apt", "suite")},
    [IMP_ADDR_COL_CITY] = {"city", GUESS("city", "post_city", "inc_muni",
					 "municipality", "town", "locality")},
    [IMP_ADDR_COL_STATE] = {"state", GUESS("state", "region", "state_abbr")},
    [IMP_ADDR_COL_ZIP] = {"zip",
			  GUESS("zip", "zipcode", "zip_code", "postcode",
				"postal_code", "zip5", "zcta5", "geoid")},
    [IMP_ADDR_COL_LON] = {"lon", GUESS("lon", "longitude", "lng", "long",
				       "intptlong", "x")},
    [IMP_ADDR_COL_LAT] = {"lat", GUESS("lat", "latitude", "intptlat", "y")},
};

/* TIGER's range fields, by layout. */
static const char *const addrfeat_f[] = {"LFROMHN", "LTOHN", "RFROMHN",
					 "RTOHN"};
static const char *const edges_f[] = {"LFROMADD", "LTOADD", "RFROMADD",
				      "RTOADD"};

static const char *const kind_names[] = {"auto", "points", "ranges", "zips"};

const char *imp_addr_col_option(enum imp_addr_col c)
{
	return (unsigned)c < IMP_ADDR_COL_COUNT ? cols[c].opt : "?";
}

const char *imp_addr_kind_name(enum imp_addr_kind k)
{
	return (unsigned)k < 4 ? kind_names[k] : "?";
}

int imp_addr_kind_parse(const char *s)
{
	int i;

	for (i = 1; i < 4; i++)
		if (s && strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

void imp_addr_opts_init(struct imp_addr_opts *o)
{
	memset(o, 0, sizeof(*o));
}

void imp_addr_stats_release(struct imp_addr_stats *st)
{
	if (!st)
		return;
	free(st->what);
	memset(st, 0, sizeof(*st));
}

/* ---------------------------------------------------------------------
 * The job
 * ------------------------------------------------------------------ */

/* A value as read, trimmed; long enough for any field we keep. */
#define VAL_MAX 256

struct job {
	struct core_ws *ws;
	const struct imp_addr_opts *o;
	struct imp_source *src;
	struct imp_addr_stats *stats;
	struct core_err *err;
	struct imp_gdal_msgs msgs;
	char *disk; /* the file on disk */
	char *gdal; /* what GDAL opens (a /vsizip/ path into a zip) */
	int zipped;
	/* CSV: read by core_csv from the file or from memory (a zip's) */
	int is_csv;
	const char *open_path;
	char *mem; /* a zipped CSV's bytes, as UTF-8 */
	size_t nmem;
	struct core_csv *csv;
	/* else GDAL */
	GDALDatasetH ds;
	OGRLayerH lyr;
	OGRFeatureDefnH defn;
	OGRFeatureH f; /* the row being read */
	int geom;      /* the layer's flattened geometry type */
	const char **names;
	struct imp_strlist csv_names; /* CSV: the header, trimmed (core_csv's
				       * go with each reopening) */
	int nfields;
	enum imp_addr_kind kind;
	int col[IMP_ADDR_COL_COUNT];
	/* ranges */
	const char *layout; /* "ADDRFEAT", "EDGES" */
	int f_range[4], f_zip[2], f_par[2], f_full, f_tlid;
	struct imp_crs crs;
	struct tl_join *join;	 /* EDGES with ADDR and FEATNAMES, or NULL */
	char *aux[2];		 /* the ADDR and FEATNAMES files */
	struct imp_addr_opts o2; /* o, with the EDGES file as the path */
	sqlite3_stmt *ins, *upd;
	/* points: the base addresses seen, each to its row */
	struct core_strmap seen;
	int64_t *rowid;
	unsigned char *unit_pt; /* 1: its point is a unit row's */
	double *pt;		/* lon, lat */
	size_t cap;
	struct core_progress prog;
	char *label;
	long line;
	char scratch[IMP_ADDR_COL_COUNT][VAL_MAX];
};

static int fold_eq(const char *a, const char *b)
{
	return imp_name_eq(a, b);
}

/* The field among names[] equal (imp_name_eq) to one of cands, first
 * candidate first; -1 when none, or when it is used by a column. */
static int find_field(const struct job *j, const char *const *cands)
{
	int i, c;

	for (; *cands; cands++)
		for (i = 0; i < j->nfields; i++) {
			int used = 0;
			for (c = 0; c < IMP_ADDR_COL_COUNT; c++)
				if (j->col[c] == i)
					used = 1;
			if (!used && fold_eq(j->names[i], *cands))
				return i;
		}
	return -1;
}

static int exact_field(const struct job *j, const char *name)
{
	int i;

	for (i = 0; i < j->nfields; i++)
		if (fold_eq(j->names[i], name))
			return i;
	return -1;
}

/* "the columns are: a, b, c" (cut short for very wide files). */
static void add_columns(const struct job *j, struct core_buf *b)
{
	int i;

	if (j->nfields == 0) {
		core_buf_adds(b, "the file has no columns");
		return;
	}
	core_buf_adds(b, "its columns are: ");
	for (i = 0; i < j->nfields; i++) {
		if (b->len > 1200) {
			core_buf_addf(b, " and %d more", j->nfields - i);
			break;
		}
		core_buf_addf(b, "%s%s", i ? ", " : "", j->names[i]);
	}
}

/* ---------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------ */

/*
 * Field i of the current row, trimmed, into buf (VAL_MAX bytes): "" when
 * absent, null or empty.  A value longer than the buffer returns -1
 * (buf holds its start); else its length.  Text that is not UTF-8 (a
 * DBF's) is read as Windows-1252 (imp_text_dup).
 */
static int field(struct job *j, int i, char *buf)
{
	const char *s, *e;
	char *dup = NULL;
	size_t n;

	buf[0] = '\0';
	if (i < 0)
		return 0;
	if (j->is_csv) {
		s = core_csv_get(j->csv, (size_t)i);
	} else {
		if (!OGR_F_IsFieldSetAndNotNull(j->f, i))
			return 0;
		s = OGR_F_GetFieldAsString(j->f, i);
		if (core_utf8_check(s, strlen(s)) < strlen(s))
			s = dup = imp_text_dup(j->src, s, j->line, j->names[i]);
	}
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	n = (size_t)(e - s);
	if (n >= VAL_MAX) {
		memcpy(buf, s, VAL_MAX - 1);
		buf[VAL_MAX - 1] = '\0';
		free(dup);
		return -1;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	free(dup);
	return (int)n;
}

/* Column c's value into j->scratch[c]; NULL after rejecting a value too
 * long (*rc set). */
static const char *col_val(struct job *j, enum imp_addr_col c, int *rc)
{
	char *b = j->scratch[c];

	if (field(j, j->col[c], b) < 0) {
		*rc =
		    imp_reject(j->ws, j->src, j->line, j->names[j->col[c]], b,
			       j->err, "is longer than %d bytes", VAL_MAX - 1);
		return NULL;
	}
	return b;
}

static void upcase(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

/* A ZIP as stored: 5 digits ("94103-1234" and "941031234" keep the
 * first 5), "" for none or a placeholder (00000, 99999).  Returns 1, or
 * 0 when v is something else. */
static int zip_norm(const char *v, char out[6], int *blank)
{
	size_t n = 0;

	out[0] = '\0';
	*blank = 0;
	if (!*v)
		return 1;
	while (isdigit((unsigned char)v[n]))
		n++;
	if (n == 9 && !v[n])
		n = 5;
	else if (n == 5 && v[5] == '-' && strlen(v) == 10 &&
		 strspn(v + 6, "0123456789") == 4)
		; /* ZIP+4 */
	else if (n != 5 || v[n])
		return 0;
	if (!strncmp(v, "99999", 5) || !strncmp(v, "00000", 5)) {
		*blank = 1;
		return 1;
	}
	memcpy(out, v, 5);
	out[5] = '\0';
	return 1;
}

/*
 * A house number as address files write it: digits, then optionally a
 * suffix of one or two letters or a fraction, after an optional space
 * or hyphen ("2901", "32A", "32 A", "12 1/2", "12-B").  Returns 1 with
 * *num and sfx (upper case), 0 when it is not one.
 */
static int house_number(const char *v, int64_t *num, char sfx[8])
{
	const char *p = v;
	int64_t n = 0;
	size_t k = 0;

	sfx[0] = '\0';
	if (!isdigit((unsigned char)*p))
		return 0;
	for (; isdigit((unsigned char)*p); p++) {
		if (n > 100000000)
			return 0;
		n = n * 10 + (*p - '0');
	}
	/* "123.0" as a spreadsheet writes an integer */
	if (*p == '.' && strspn(p + 1, "0") == strlen(p + 1))
		p += strlen(p);
	if (*p == ' ' || *p == '-')
		p++;
	if (*p && isdigit((unsigned char)*p)) {
		/* a fraction: d/d */
		const char *s = p;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p != '/' || !isdigit((unsigned char)p[1]))
			return 0;
		p++;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p || (size_t)(p - s) > 7)
			return 0;
		memcpy(sfx, s, (size_t)(p - s));
		sfx[p - s] = '\0';
	} else {
		for (; isalpha((unsigned char)*p) && k < 2; p++)
			sfx[k++] = (char)toupper((unsigned char)*p);
		sfx[k] = '\0';
		if (*p)
			return 0;
	}
	*num = n;
	return 1;
}

/* ---------------------------------------------------------------------
 * Opening
 * ------------------------------------------------------------------ */

static int csv_name(const char *s)
{
	return imp_ends_with_ci(s, ".csv") || imp_ends_with_ci(s, ".tsv") ||
	       imp_ends_with_ci(s, ".txt");
}

static int vector_name(const char *s)
{
	return imp_ends_with_ci(s, ".shp") || imp_ends_with_ci(s, ".gpkg") ||
	       imp_ends_with_ci(s, ".geojson") ||
	       imp_ends_with_ci(s, ".json") ||
	       imp_ends_with_ci(s, ".geojsonl") || imp_ends_with_ci(s, ".dbf");
}

/* The one readable member of the zip j->gdal ("/vsizip/..."): a CSV, or
 * else a vector file (a .dbf only when no .shp).  NULL with err set,
 * listing what the zip holds. */
static char *zip_member(struct job *j)
{
	char **list = VSIReadDirRecursive(j->gdal);
	struct core_buf seen = CORE_BUF_INIT;
	char *found = NULL;
	int i, pass, n = 0;

	for (pass = 0; pass < 3 && !found; pass++) {
		n = 0;
		for (i = 0; list && list[i]; i++) {
			const char *f = list[i];
			int ok = pass == 0   ? csv_name(f)
				 : pass == 1 ? vector_name(f) &&
						   !imp_ends_with_ci(f, ".dbf")
					     : imp_ends_with_ci(f, ".dbf");
			if (imp_ends_with_ci(f, "/") || !ok)
				continue;
			if (!n++)
				found = xasprintf("%s/%s", j->gdal, f);
		}
		if (n > 1) {
			free(found);
			found = NULL;
			break;
		}
	}
	for (i = 0; list && list[i]; i++)
		if (!imp_ends_with_ci(list[i], "/"))
			core_buf_addf(&seen, "%s%s", seen.len ? ", " : "",
				      list[i]);
	if (!found)
		core_err_set(j->err, CORE_EFORMAT, "%s: %s; it holds: %s",
			     j->src->name,
			     n > 1 ? "holds more than one file of addresses "
				     "(give one as /vsizip/FILE.zip/MEMBER)"
				   : "holds no CSV, shapefile, GeoJSON or "
				     "GeoPackage of addresses",
			     seen.len ? core_buf_str(&seen) : "nothing");
	CSLDestroy(list);
	core_buf_release(&seen);
	return found;
}

/* Read a zipped CSV member into j->mem as UTF-8 (Windows-1252 converted,
 * with the source's warning). */
static int read_member(struct job *j, const char *member)
{
	VSILFILE *fp = VSIFOpenL(member, "rb");
	struct core_buf b = CORE_BUF_INIT, u = CORE_BUF_INIT;
	char chunk[65536];
	size_t n;
	unsigned char bad = 0;
	int r;

	if (!fp)
		return core_err_set(j->err, CORE_EIO, "%s: cannot read %s: %s",
				    j->src->name, member,
				    j->msgs.last[0] ? j->msgs.last
						    : "GDAL could not open it");
	while ((n = VSIFReadL(chunk, 1, sizeof(chunk), fp)) > 0)
		core_buf_add(&b, chunk, n);
	VSIFCloseL(fp);
	if (b.len == 0) {
		core_buf_release(&b);
		return core_err_set(j->err, CORE_EFORMAT,
				    "%s: %s is empty (0 bytes); nothing to "
				    "import",
				    j->src->name, strrchr(member, '/') + 1);
	}
	r = imp_to_utf8(b.s, b.len, &u, &bad);
	if (r < 0) {
		core_buf_release(&b);
		core_buf_release(&u);
		return core_err_set(j->err, CORE_EFORMAT,
				    "%s: byte 0x%02x is neither UTF-8 nor "
				    "Windows-1252; save the file as UTF-8",
				    j->src->name, bad);
	}
	free(j->src->encoding);
	j->src->encoding = xstrdup(r ? "windows-1252" : "utf-8");
	if (r) {
		free(j->src->warning);
		j->src->warning = xasprintf(
		    "%s is not UTF-8: read as Windows-1252", j->src->name);
		j->src->warnings = 1;
	}
	core_buf_release(&b);
	j->nmem = u.len;
	j->mem = core_buf_detach(&u);
	return CORE_OK;
}

static int csv_reopen(struct job *j)
{
	core_csv_free(j->csv);
	if (j->mem)
		j->csv = core_csv_open_mem_as(j->mem, j->nmem, j->src->name, 0,
					      j->err);
	else
		j->csv = core_csv_open_as(
		    j->open_path, j->src->name,
		    imp_ends_with_ci(j->disk, ".tsv") ? '\t' : 0, j->err);
	return j->csv ? CORE_OK : j->err->code;
}

static int open_csv(struct job *j)
{
	size_t i;
	int rc, r;

	free(j->src->format);
	j->src->format = xstrdup("CSV");
	j->src->csv_lines = 1;
	if ((rc = csv_reopen(j)))
		return rc;
	j->nfields = (int)core_csv_nheader(j->csv);
	j->names = xcalloc((size_t)j->nfields + 1, sizeof(*j->names));
	for (i = 0; i < (size_t)j->nfields; i++) {
		imp_strlist_add(&j->csv_names,
				imp_trim_dup(core_csv_header(j->csv, i)));
		j->names[i] = j->csv_names.v[i];
	}
	j->geom = wkbNone;
	if ((r = core_csv_next(j->csv, j->err)) < 0)
		return j->err->code;
	if (r == 0)
		return core_err_set(
		    j->err, CORE_EFORMAT,
		    "%s has a header but no data rows; nothing to import",
		    j->src->name);
	return CORE_OK;
}

/*
 * Scan and open o->path: a CSV (core_csv), a zip (its one CSV read into
 * memory, or its one vector file through GDAL), a /vsizip/ path, or any
 * other file GDAL reads.  Fills j->src (name, checksum, format, layer,
 * encoding), the reader and j->names.  Fails (CORE_EFORMAT, CORE_EIO,
 * CORE_EUSAGE) with j->err naming the file.
 */
static int open_file(struct job *j)
{
	const char *p = j->o->path;
	struct imp_utf8 u;
	OGRFeatureH f;
	int rc, i;

	if ((rc = imp_zip_path(p, "/vsizip/us_ca.zip/us/ca/san_francisco.csv",
			       &j->disk, &j->gdal, &j->zipped, j->err)))
		return rc;
	if (j->zipped || !csv_name(j->disk)) {
		if ((rc = imp_source_scan(j->src, j->disk, 0, &u, j->err)))
			return rc;
	} else {
		j->is_csv = 1;
		if ((rc = imp_source_text(j->src, j->disk,
					  IMP_TEXT_CSV | IMP_TEXT_KEEP_BOM,
					  &j->open_path, j->err)))
			return rc;
		return open_csv(j);
	}
	if (j->zipped && !j->gdal) {
		char *m;
		j->gdal = xasprintf("/vsizip/%s", j->src->path);
		if (!(m = zip_member(j)))
			return j->err->code;
		free(j->gdal);
		j->gdal = m;
	}
	if (!j->gdal)
		j->gdal = xstrdup(j->src->path);
	if (csv_name(j->gdal)) {
		j->is_csv = 1;
		if ((rc = read_member(j, j->gdal)))
			return rc;
		return open_csv(j);
	}
	j->ds = GDALOpenEx(j->gdal, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
			   NULL, NULL);
	if (!j->ds)
		return core_err_set(
		    j->err, CORE_EFORMAT,
		    "%s is not a file of addresses GDAL can read (give a CSV, "
		    "GeoJSON, a shapefile or its .zip, or a GeoPackage)%s%s",
		    j->src->name, j->msgs.last[0] ? ": " : "", j->msgs.last);
	free(j->src->format);
	j->src->format =
	    xstrdup(GDALGetDriverShortName(GDALGetDatasetDriver(j->ds)));
	if (!(j->lyr =
		  imp_layer_pick(j->ds, j->o->layer, j->src->name, j->err)))
		return j->err->code;
	free(j->src->layer);
	j->src->layer = xstrdup(OGR_L_GetName(j->lyr));
	j->defn = OGR_L_GetLayerDefn(j->lyr);
	j->nfields = OGR_FD_GetFieldCount(j->defn);
	j->names = xcalloc((size_t)j->nfields + 1, sizeof(*j->names));
	for (i = 0; i < j->nfields; i++)
		j->names[i] =
		    OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(j->defn, i));
	j->geom = OGR_FD_GetGeomFieldCount(j->defn) > 0
		      ? (int)wkbFlatten(OGR_L_GetGeomType(j->lyr))
		      : (int)wkbNone;
	if (!(f = OGR_L_GetNextFeature(j->lyr)))
		return core_err_set(j->err, CORE_EFORMAT,
				    "%s has no features; nothing to import",
				    j->src->name);
	OGR_F_Destroy(f);
	OGR_L_ResetReading(j->lyr);
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * What the file holds
 * ------------------------------------------------------------------ */

/* Levenshtein distance of a and b folded (case, ' ', '_', '-', '.'
 * ignored), capped at 9. */
static int distance(const char *a, const char *b)
{
	char fa[32], fb[32];
	int d[33][33], n = 0, m = 0, i, k;

	for (; *a && n < 31; a++)
		if (isalnum((unsigned char)*a))
			fa[n++] = (char)tolower((unsigned char)*a);
	for (; *b && m < 31; b++)
		if (isalnum((unsigned char)*b))
			fb[m++] = (char)tolower((unsigned char)*b);
	for (i = 0; i <= n; i++)
		d[i][0] = i;
	for (k = 0; k <= m; k++)
		d[0][k] = k;
	for (i = 1; i <= n; i++)
		for (k = 1; k <= m; k++) {
			int c = d[i - 1][k - 1] + (fa[i - 1] != fb[k - 1]);
			if (d[i - 1][k] + 1 < c)
				c = d[i - 1][k] + 1;
			if (d[i][k - 1] + 1 < c)
				c = d[i][k - 1] + 1;
			d[i][k] = c;
		}
	return d[n][m] > 9 ? 9 : d[n][m];
}

/* "; did you mean X for Y, ...?" for the file's columns that are near
 * (1 or 2 edits) to a name we know and equal to none. */
static void near_misses(const struct job *j, struct core_buf *b)
{
	static const char *const tiger[] = {
	    "LFROMHN",	 "LTOHN",    "RFROMHN", "RTOHN", "LFROMADD",
	    "LTOADD",	 "RFROMADD", "RTOADD",	"ZIPL",	 "ZIPR",
	    "FULLNAME",	 "PARITYL",  "PARITYR", "TLID",	 "INTPTLAT",
	    "INTPTLONG", NULL};
	int i, c, n = 0;

	for (i = 0; i < j->nfields && n < 4; i++) {
		const char *best = NULL;
		int bd = 3, exact = 0, k;
		if (strlen(j->names[i]) < 4)
			continue;
		for (c = 0; c < IMP_ADDR_COL_COUNT && !exact; c++)
			for (k = 0; cols[c].guess[k]; k++) {
				int d = distance(j->names[i], cols[c].guess[k]);
				if (d == 0)
					exact = 1;
				else if (d < bd &&
					 strlen(cols[c].guess[k]) > 3 &&
					 (d == 1 || strlen(j->names[i]) >= 7))
					bd = d, best = cols[c].guess[k];
			}
		for (k = 0; tiger[k] && !exact; k++) {
			int d = distance(j->names[i], tiger[k]);
			if (d == 0)
				exact = 1;
			else if (d < bd && (d == 1 || strlen(j->names[i]) >= 7))
				bd = d, best = tiger[k];
		}
		if (exact || !best)
			continue;
		core_buf_addf(b, "%s'%s' for %s", n ? ", " : "; did you mean ",
			      best, j->names[i]);
		n++;
	}
	if (n)
		core_buf_adds(b, "?");
}

/* The error for a file that is not the kind wanted (what: NULL for no
 * kind at all). */
static int not_addresses(struct job *j, const char *what)
{
	struct core_buf b = CORE_BUF_INIT;

	core_buf_addf(&b, "%s%s: ", j->src->name,
		      j->is_csv ? " line 1 (the header)" : "");
	if (what)
		core_buf_addf(&b, "%s; ", what);
	else
		core_buf_adds(
		    &b,
		    "no address columns: expected address points (a house "
		    "number such as NUMBER, ADDR_NUM or Add_Number and a "
		    "street "
		    "such as STREET or ST_NAME, with LON/LAT columns or point "
		    "geometry), TIGER/Line street ranges (ADDRFEAT's LFROMHN, "
		    "LTOHN, RFROMHN, RTOHN or EDGES' LFROMADD, LTOADD, "
		    "RFROMADD, RTOADD) or ZIP centroids (zip with latitude and "
		    "longitude, or a Gazetteer's GEOID, INTPTLAT, "
		    "INTPTLONG); ");
	add_columns(j, &b);
	near_misses(j, &b);
	core_err_set(j->err, CORE_EFORMAT, "%s", core_buf_str(&b));
	core_buf_release(&b);
	return CORE_EFORMAT;
}

/* TIGER's range fields: the layout found (ADDRFEAT, EDGES) into j, 1;
 * 0 when none of them is there; -1 with err set when some are missing. */
static int tiger_fields(struct job *j)
{
	const char *const *set[2] = {addrfeat_f, edges_f};
	static const char *const layout[2] = {"ADDRFEAT", "EDGES"};
	int s, k, have, idx[4];

	for (s = 0; s < 2; s++) {
		for (have = 0, k = 0; k < 4; k++)
			if ((idx[k] = exact_field(j, set[s][k])) >= 0)
				have++;
		if (!have)
			continue;
		if (have < 4) {
			struct core_buf m = CORE_BUF_INIT;
			for (k = 0; k < 4; k++)
				if (idx[k] < 0)
					core_buf_addf(&m, "%s%s",
						      m.len ? ", " : "",
						      set[s][k]);
			char *w = xasprintf(
			    "a TIGER/Line %s file missing its range field%s %s",
			    layout[s], 4 - have > 1 ? "s" : "",
			    core_buf_str(&m));
			not_addresses(j, w);
			free(w);
			core_buf_release(&m);
			return -1;
		}
		j->layout = layout[s];
		memcpy(j->f_range, idx, sizeof(idx));
		j->f_zip[0] = exact_field(j, "ZIPL");
		j->f_zip[1] = exact_field(j, "ZIPR");
		j->f_par[0] = exact_field(j, "PARITYL");
		j->f_par[1] = exact_field(j, "PARITYR");
		j->f_full = exact_field(j, "FULLNAME");
		j->f_tlid = exact_field(j, "TLID");
		return 1;
	}
	return 0;
}

static int is_point_geom(const struct job *j)
{
	return j->geom == wkbPoint || j->geom == wkbMultiPoint ||
	       (j->geom == wkbUnknown && !j->is_csv);
}

/* 1 when the file has a column of a list of places (a name, a phone,
 * an address): not a list of ZIP centroids, whatever else it has. */
static int asset_like(const struct job *j)
{
	static const char *const a[] = {
	    "name",	    "site_name",   "phone",   "address",
	    "address1",	    "category",	   "website", "email",
	    "organization", "description", NULL};
	int k;

	for (k = 0; a[k]; k++)
		if (exact_field(j, a[k]) >= 0)
			return 1;
	return 0;
}

/*
 * Map the columns: the names given (each must exist), then guesses for
 * the rest, and tell the kind (or check the one forced).  Returns
 * CORE_OK, or CORE_EFORMAT with j->err naming the file, its columns and
 * what was expected.
 */
static int map_columns(struct job *j)
{
	const struct imp_addr_opts *o = j->o;
	int c, t, coords, pts, zips;

	for (c = 0; c < IMP_ADDR_COL_COUNT; c++)
		j->col[c] = -1;
	for (c = 0; c < IMP_ADDR_COL_COUNT; c++) {
		if (!o->col[c])
			continue;
		if ((j->col[c] = exact_field(j, o->col[c])) < 0) {
			char *w = xasprintf("no column '%s' (given with --%s)",
					    o->col[c], cols[c].opt);
			not_addresses(j, w);
			free(w);
			return CORE_EFORMAT;
		}
	}
	if ((t = tiger_fields(j)) < 0)
		return CORE_EFORMAT;
	if (t && o->kind != IMP_ADDR_POINTS && o->kind != IMP_ADDR_ZIPS) {
		j->kind = IMP_ADDR_RANGES;
		if (j->geom != wkbLineString && j->geom != wkbMultiLineString)
			return not_addresses(
			    j, "TIGER/Line ranges without line geometry (the "
			       "shapefile's .shp, not its .dbf alone)");
		return CORE_OK;
	}
	if (o->kind == IMP_ADDR_RANGES)
		return not_addresses(
		    j, exact_field(j, "TLID") >= 0
			   ? "a TIGER/Line file without range fields (LFROMHN, "
			     "LTOHN, RFROMHN, RTOHN or LFROMADD, LTOADD, "
			     "RFROMADD, RTOADD): give the ADDRFEAT or EDGES "
			     "layer"
			   : "--kind ranges, but no TIGER/Line range fields "
			     "(LFROMHN, LTOHN, RFROMHN, RTOHN or LFROMADD, "
			     "LTOADD, RFROMADD, RTOADD)");
	if (!t && exact_field(j, "TLID") >= 0 &&
	    (j->geom == wkbLineString || j->geom == wkbMultiLineString))
		return not_addresses(
		    j, "a TIGER/Line file without range fields (LFROMHN, "
		       "LTOHN, RFROMHN, RTOHN or LFROMADD, LTOADD, RFROMADD, "
		       "RTOADD): give the ADDRFEAT or EDGES layer");
	for (c = 0; c < IMP_ADDR_COL_COUNT; c++)
		if (j->col[c] < 0 && !o->col[c])
			j->col[c] = find_field(j, cols[c].guess);
	/* a point geometry wins over coordinate columns not named */
	if (is_point_geom(j) && !o->col[IMP_ADDR_COL_LON] &&
	    !o->col[IMP_ADDR_COL_LAT])
		j->col[IMP_ADDR_COL_LON] = j->col[IMP_ADDR_COL_LAT] = -1;
	coords = is_point_geom(j) || (j->col[IMP_ADDR_COL_LON] >= 0 &&
				      j->col[IMP_ADDR_COL_LAT] >= 0);
	pts = j->col[IMP_ADDR_COL_NUMBER] >= 0 &&
	      (j->col[IMP_ADDR_COL_NAME] >= 0 ||
	       j->col[IMP_ADDR_COL_STREET] >= 0);
	/* a file with street columns (an asset list) is no ZIP list */
	zips = j->col[IMP_ADDR_COL_ZIP] >= 0 &&
	       (o->kind == IMP_ADDR_ZIPS ||
		(j->col[IMP_ADDR_COL_NUMBER] < 0 &&
		 j->col[IMP_ADDR_COL_NAME] < 0 &&
		 j->col[IMP_ADDR_COL_STREET] < 0 && !asset_like(j)));
	if (o->kind == IMP_ADDR_POINTS || (o->kind == IMP_ADDR_AUTO && pts)) {
		if (!pts)
			return not_addresses(
			    j,
			    j->col[IMP_ADDR_COL_NUMBER] < 0
				? "no house number column (NUMBER, ADDR_NUM, "
				  "Add_Number, ...; give it with --number "
				  "COL)"
				: "no street column (STREET, ST_NAME, "
				  "St_Name, ...; give it with --street COL "
				  "or --name COL)");
		if (!coords)
			return not_addresses(
			    j, "address points without coordinates: no point "
			       "geometry and no LON/LAT, LONGITUDE/LATITUDE "
			       "columns (give them with --lon COL --lat COL)");
		j->kind = IMP_ADDR_POINTS;
		return CORE_OK;
	}
	if (o->kind == IMP_ADDR_ZIPS || (o->kind == IMP_ADDR_AUTO && zips)) {
		if (!zips)
			return not_addresses(j,
					     "no ZIP column (zip, zipcode, "
					     "GEOID, ...; give it with --zip "
					     "COL)");
		if (!coords)
			return not_addresses(
			    j, "ZIP centroids without coordinates: no "
			       "latitude/longitude (or INTPTLAT/INTPTLONG) "
			       "columns and no point geometry (give them with "
			       "--lon COL --lat COL)");
		j->kind = IMP_ADDR_ZIPS;
		return CORE_OK;
	}
	return not_addresses(j, NULL);
}

static void build_options(struct job *j)
{
	struct core_buf b = CORE_BUF_INIT;
	int c;

	if (j->o->layer || (j->ds && GDALDatasetGetLayerCount(j->ds) > 1))
		imp_opt_add(&b, "layer", j->src->layer);
	imp_opt_add(&b, "kind", kind_names[j->kind]);
	if (j->kind != IMP_ADDR_RANGES)
		for (c = 0; c < IMP_ADDR_COL_COUNT; c++) {
			if (j->col[c] < 0)
				continue;
			if (j->kind == IMP_ADDR_ZIPS && c != IMP_ADDR_COL_ZIP &&
			    c != IMP_ADDR_COL_CITY && c != IMP_ADDR_COL_STATE &&
			    c != IMP_ADDR_COL_LON && c != IMP_ADDR_COL_LAT)
				continue;
			imp_opt_add(&b, cols[c].opt, j->names[j->col[c]]);
		}
	imp_opt_finish(&b, j->o->skip_bad, j->src);
}

/* ---------------------------------------------------------------------
 * Rows
 * ------------------------------------------------------------------ */

/* The next row into j (CSV record or j->f), counted; 0 at the end, -1
 * on a failure (err set).  A CSV record of the wrong width is rejected
 * (a short one ending the file without a line end: the file is cut
 * short, a failure). */
static int next_row(struct job *j, int *rc)
{
	if (j->f) {
		OGR_F_Destroy(j->f);
		j->f = NULL;
	}
	if (!j->is_csv) {
		j->f = imp_layer_next(j->lyr, j->src, &j->msgs, rc, j->err);
		j->line = (long)j->src->rows_read;
		return j->f ? 1 : (*rc ? -1 : 0);
	}
	for (;;) {
		struct core_buf why = CORE_BUF_INIT;
		size_t fld = 0;
		int r = core_csv_next(j->csv, j->err), w;

		if (r < 0) {
			*rc = j->err->code;
			return -1;
		}
		if (r == 0)
			return 0;
		j->line = core_csv_line(j->csv);
		j->src->rows_read++;
		w = core_csv_check_width(j->csv, &fld, &why);
		if (!w)
			return 1;
		if (w == CORE_CSV_SHORT && core_csv_unterminated(j->csv)) {
			*rc = core_err_set(
			    j->err, CORE_EFORMAT,
			    "%s line %ld, field %s: %s\nnothing was imported",
			    j->src->name, j->line, j->names[fld],
			    core_buf_str(&why));
			core_buf_release(&why);
			return -1;
		}
		{
			char num[32];
			snprintf(num, sizeof(num), "%zu", fld + 1);
			*rc = imp_reject(
			    j->ws, j->src, j->line,
			    w == CORE_CSV_SHORT ? j->names[fld] : num, NULL,
			    j->err, "%s", core_buf_str(&why));
		}
		core_buf_release(&why);
		if (*rc)
			return -1;
	}
}

/* The row's point (WGS84): from the geometry or the lon/lat columns.
 * 1, or 0 after a reject (*rc). */
static int row_point(struct job *j, double *x, double *y, int *rc)
{
	int lc = j->col[IMP_ADDR_COL_LON], ac = j->col[IMP_ADDR_COL_LAT];

	if (lc < 0 || ac < 0) {
		OGRGeometryH g = OGR_F_GetGeometryRef(j->f);
		if (!g || OGR_G_IsEmpty(g)) {
			*rc = imp_reject(j->ws, j->src, j->line, "geometry",
					 NULL, j->err,
					 "is missing; an address point needs "
					 "its point");
			return 0;
		}
		if (wkbFlatten(OGR_G_GetGeometryType(g)) == wkbMultiPoint &&
		    OGR_G_GetGeometryCount(g) == 1)
			g = OGR_G_GetGeometryRef(g, 0);
		if (wkbFlatten(OGR_G_GetGeometryType(g)) != wkbPoint) {
			*rc = imp_reject(j->ws, j->src, j->line, "geometry",
					 OGR_G_GetGeometryName(g), j->err,
					 "is not a point");
			return 0;
		}
		*x = OGR_G_GetX(g, 0);
		*y = OGR_G_GetY(g, 0);
		if (j->crs.ct && !OCTTransform(j->crs.ct, 1, x, y, NULL)) {
			*rc = imp_reject(j->ws, j->src, j->line, "geometry",
					 NULL, j->err,
					 "cannot be reprojected from %s to "
					 "WGS84",
					 j->crs.name);
			return 0;
		}
	} else {
		const char *lon, *lat;
		if (!(lon = col_val(j, IMP_ADDR_COL_LON, rc)) ||
		    !(lat = col_val(j, IMP_ADDR_COL_LAT, rc)))
			return 0;
		if (!imp_parse_number(lon, x)) {
			*rc = imp_reject(j->ws, j->src, j->line, j->names[lc],
					 lon, j->err,
					 "is not a longitude in decimal "
					 "degrees");
			return 0;
		}
		if (!imp_parse_number(lat, y)) {
			*rc = imp_reject(j->ws, j->src, j->line, j->names[ac],
					 lat, j->err,
					 "is not a latitude in decimal "
					 "degrees");
			return 0;
		}
	}
	if (!imp_lonlat_ok(*x, *y)) {
		int lon_bad = !imp_lonlat_ok(*x, 0);
		char v[64];
		if (lc < 0)
			snprintf(v, sizeof(v), "%.8g %.8g", *x, *y);
		else
			snprintf(v, sizeof(v), "%.8g", lon_bad ? *x : *y);
		*rc = imp_reject(j->ws, j->src, j->line,
				 lc < 0	   ? "geometry"
				 : lon_bad ? j->names[lc]
					   : j->names[ac],
				 v, j->err,
				 "is out of range; longitude must be between "
				 "-180 and 180, latitude between -90 and 90");
		return 0;
	}
	return 1;
}

/* Column c's ZIP into out; 0 after a reject. */
static int row_zip(struct job *j, char out[6], int *rc)
{
	const char *v = col_val(j, IMP_ADDR_COL_ZIP, rc);
	int blank;

	if (!v)
		return 0;
	if (!zip_norm(v, out, &blank)) {
		*rc = imp_reject(j->ws, j->src, j->line,
				 j->names[j->col[IMP_ADDR_COL_ZIP]], v, j->err,
				 "is not a ZIP code; a ZIP is 5 digits, e.g. "
				 "94103 or 94103-1234");
		return 0;
	}
	if (blank && j->stats)
		j->stats->zip_blank++;
	return 1;
}

static void bind_s(sqlite3_stmt *st, int i, const char *s)
{
	/* every value bound lives until the statement is stepped */
	sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

/* The city and state columns, upper case, into city and state
 * (VAL_MAX bytes each; a state's name as its code when geo_addr knows
 * it).  0 after rejecting a value too long (*rc). */
static int row_place(struct job *j, char *city, char *state, int *rc)
{
	const char *c = col_val(j, IMP_ADDR_COL_CITY, rc);
	const char *st = c ? col_val(j, IMP_ADDR_COL_STATE, rc) : NULL;
	const char *std;

	if (!st)
		return 0;
	memcpy(city, c, strlen(c) + 1);
	upcase(city);
	std = *st ? geo_addr_state_std(st) : NULL;
	if (std)
		st = std;
	memcpy(state, st, strlen(st) + 1);
	upcase(state);
	return 1;
}

/* Append s and a '|' to key (n bytes used of KEY_MAX). */
#define KEY_MAX 1024
static size_t key_add(char *key, size_t n, const char *s)
{
	size_t k = strlen(s);

	if (n + k + 1 >= KEY_MAX)
		k = KEY_MAX - 2 - n;
	memcpy(key + n, s, k);
	key[n + k] = '|';
	return n + k + 1;
}

/*
 * One address point: number, street parts, place, ZIP and point; folded
 * into the base address it repeats (the point of a row without a unit
 * wins over a unit row's), else written.  Rows without a number or a
 * street are skipped.  Returns CORE_OK (also after a reject), or a
 * database error.
 */
static int row_point_addr(struct job *j)
{
	struct geo_addr a;
	const char *num, *street = NULL, *unit;
	char key[KEY_MAX], sfx[8], zip[6], city[VAL_MAX], state[VAL_MAX];
	int64_t number;
	double x, y;
	int rc = CORE_OK, st, klen, has_unit;
	int32_t id, next;

	memset(&a, 0, sizeof(a));
	if (!(num = col_val(j, IMP_ADDR_COL_NUMBER, &rc)))
		return rc;
	if (j->col[IMP_ADDR_COL_NAME] >= 0) {
		const char *pd, *pt, *nm, *ty, *po;
		char name[2 * VAL_MAX];
		if (!(pd = col_val(j, IMP_ADDR_COL_PREDIR, &rc)) ||
		    !(pt = col_val(j, IMP_ADDR_COL_PRETYPE, &rc)) ||
		    !(nm = col_val(j, IMP_ADDR_COL_NAME, &rc)) ||
		    !(ty = col_val(j, IMP_ADDR_COL_TYPE, &rc)) ||
		    !(po = col_val(j, IMP_ADDR_COL_POSTDIR, &rc)))
			return rc;
		snprintf(name, sizeof(name), "%s%s%s", pt, *pt ? " " : "", nm);
		street = nm;
		if (!*num || !*nm || !strcasecmp(nm, "UNKNOWN"))
			goto skip;
		if (!house_number(num, &number, sfx))
			goto bad_number;
		st = geo_addr_street(pd, name, ty, po, &a);
	} else {
		if (!(street = col_val(j, IMP_ADDR_COL_STREET, &rc)))
			return rc;
		if (!*num || !*street || !strcasecmp(street, "UNKNOWN"))
			goto skip;
		if (!house_number(num, &number, sfx))
			goto bad_number;
		st = geo_addr_parse_parts(num, street, NULL, NULL, NULL, NULL,
					  &a);
	}
	if (st != GEO_ADDR_OK) {
		int fc = j->col[IMP_ADDR_COL_NAME] >= 0 ? IMP_ADDR_COL_NAME
							: IMP_ADDR_COL_STREET;
		return imp_reject(j->ws, j->src, j->line, j->names[j->col[fc]],
				  street, j->err, "is not a street: %s",
				  geo_addr_status_str(st));
	}
	if (j->col[IMP_ADDR_COL_SUFFIX] >= 0) {
		const char *s = col_val(j, IMP_ADDR_COL_SUFFIX, &rc);
		if (!s)
			return rc;
		if (*s) {
			if (strlen(s) >= sizeof(sfx))
				return imp_reject(
				    j->ws, j->src, j->line,
				    j->names[j->col[IMP_ADDR_COL_SUFFIX]], s,
				    j->err,
				    "is too long for a house number suffix "
				    "(A, B, 1/2, ...)");
			snprintf(sfx, sizeof(sfx), "%s", s);
			upcase(sfx);
		}
	}
	if (!(unit = col_val(j, IMP_ADDR_COL_UNIT, &rc)))
		return rc;
	has_unit = *unit != '\0';
	if (!row_place(j, city, state, &rc) || !row_zip(j, zip, &rc) ||
	    !row_point(j, &x, &y, &rc))
		return rc;

	{
		char nb[24];
		snprintf(nb, sizeof(nb), "%lld", (long long)number);
		klen = (int)key_add(key, 0, nb);
	}
	klen = (int)key_add(key, (size_t)klen, sfx);
	klen = (int)key_add(key, (size_t)klen, a.predir);
	klen = (int)key_add(key, (size_t)klen, a.name);
	klen = (int)key_add(key, (size_t)klen, a.type);
	klen = (int)key_add(key, (size_t)klen, a.postdir);
	klen = (int)key_add(key, (size_t)klen, city);
	klen = (int)key_add(key, (size_t)klen, state);
	klen = (int)key_add(key, (size_t)klen, zip);
	next = (int32_t)j->seen.n;
	id = core_strmap_put(&j->seen, key, (size_t)klen, next);
	if (id != next) {
		/* folded into an earlier row */
		double *p = &j->pt[2 * (size_t)id];
		j->src->rows_merged++;
		j->src->rows_accepted++;
		if (j->stats) {
			j->stats->folded++;
			if (fabs(p[0] - x) > 1e-7 || fabs(p[1] - y) > 1e-7)
				j->stats->moved++;
		}
		if (j->unit_pt[id] && !has_unit) {
			sqlite3_bind_double(j->upd, 1, x);
			sqlite3_bind_double(j->upd, 2, y);
			sqlite3_bind_int64(j->upd, 3, j->line);
			sqlite3_bind_int64(j->upd, 4, j->rowid[id]);
			if ((rc = core_ws_step(j->ws, j->err, j->upd)))
				return rc;
			p[0] = x;
			p[1] = y;
			j->unit_pt[id] = 0;
		}
		return CORE_OK;
	}
	if ((size_t)id >= j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 4096;
		j->rowid = xrealloc(j->rowid, cap * sizeof(*j->rowid));
		j->unit_pt = xrealloc(j->unit_pt, cap);
		j->pt = xrealloc(j->pt, 2 * cap * sizeof(*j->pt));
		memset(j->rowid + j->cap, 0,
		       (cap - j->cap) * sizeof(*j->rowid));
		j->cap = cap;
	}
	sqlite3_bind_int64(j->ins, 1, j->src->id);
	sqlite3_bind_int64(j->ins, 2, j->line);
	sqlite3_bind_int64(j->ins, 3, number);
	bind_s(j->ins, 4, sfx);
	bind_s(j->ins, 5, a.predir);
	bind_s(j->ins, 6, a.name);
	bind_s(j->ins, 7, a.type);
	bind_s(j->ins, 8, a.postdir);
	bind_s(j->ins, 9, city);
	bind_s(j->ins, 10, state);
	bind_s(j->ins, 11, zip);
	sqlite3_bind_double(j->ins, 12, x);
	sqlite3_bind_double(j->ins, 13, y);
	if ((rc = core_ws_step(j->ws, j->err, j->ins)))
		return rc;
	j->rowid[id] = sqlite3_last_insert_rowid(j->ws->db);
	j->unit_pt[id] = (unsigned char)has_unit;
	j->pt[2 * (size_t)id] = x;
	j->pt[2 * (size_t)id + 1] = y;
	j->src->rows_accepted++;
	if (j->stats)
		j->stats->points++;
	return CORE_OK;
skip:
	if (j->stats)
		j->stats->skipped++;
	return CORE_OK;
bad_number:
	return imp_reject(j->ws, j->src, j->line,
			  j->names[j->col[IMP_ADDR_COL_NUMBER]], num, j->err,
			  "is not a house number; a house number is digits "
			  "with an optional letter or fraction, e.g. 2901, 32A "
			  "or 12 1/2");
}

/* One ZIP centroid. */
static int row_zip_centroid(struct job *j)
{
	char zip[6], city[VAL_MAX], state[VAL_MAX];
	double x, y;
	int rc = CORE_OK;
	const char *v;

	if (!(v = col_val(j, IMP_ADDR_COL_ZIP, &rc)))
		return rc;
	/* a Gazetteer's GEOID read as a number lost its leading zeros */
	if (*v && strlen(v) < 5 && strspn(v, "0123456789") == strlen(v)) {
		char pad[8];
		snprintf(pad, sizeof(pad), "%05d", atoi(v));
		snprintf(j->scratch[IMP_ADDR_COL_ZIP], VAL_MAX, "%s", pad);
	}
	v = j->scratch[IMP_ADDR_COL_ZIP];
	if (!*v)
		return imp_reject(
		    j->ws, j->src, j->line, j->names[j->col[IMP_ADDR_COL_ZIP]],
		    NULL, j->err, "is empty; a ZIP centroid needs its ZIP");
	{
		int blank;
		if (!zip_norm(v, zip, &blank) || blank)
			return imp_reject(
			    j->ws, j->src, j->line,
			    j->names[j->col[IMP_ADDR_COL_ZIP]], v, j->err,
			    "is not a ZIP code; a ZIP is 5 digits, e.g. 94103");
	}
	if (!row_place(j, city, state, &rc) || !row_point(j, &x, &y, &rc))
		return rc;
	sqlite3_bind_int64(j->ins, 1, j->src->id);
	sqlite3_bind_int64(j->ins, 2, j->line);
	bind_s(j->ins, 3, zip);
	bind_s(j->ins, 4, city);
	bind_s(j->ins, 5, state);
	sqlite3_bind_double(j->ins, 6, x);
	sqlite3_bind_double(j->ins, 7, y);
	if ((rc = core_ws_step(j->ws, j->err, j->ins)))
		return rc;
	j->src->rows_accepted++;
	if (j->stats)
		j->stats->zips++;
	return CORE_OK;
}

/* A range end: plain digits (leading zeros allowed).  1 with *n, else 0. */
static int range_num(const char *v, int64_t *n)
{
	int64_t x = 0;

	if (!*v)
		return 0;
	for (; *v; v++) {
		if (!isdigit((unsigned char)*v) || x > 100000000)
			return 0;
		x = x * 10 + (*v - '0');
	}
	*n = x;
	return 1;
}

/* The edge's line in WGS84 as WKB (caller frees, *size bytes); NULL
 * after rejecting the feature (*rc). */
static unsigned char *edge_wkb(struct job *j, int *size, int *rc)
{
	OGRGeometryH g0 = OGR_F_GetGeometryRef(j->f), g = NULL;
	unsigned char *wkb = NULL;
	OGREnvelope env;

	if (g0 && wkbFlatten(OGR_G_GetGeometryType(g0)) == wkbMultiLineString &&
	    OGR_G_GetGeometryCount(g0) == 1)
		g0 = OGR_G_GetGeometryRef(g0, 0);
	if (!g0 || OGR_G_IsEmpty(g0) ||
	    wkbFlatten(OGR_G_GetGeometryType(g0)) != wkbLineString ||
	    OGR_G_GetPointCount(g0) < 2) {
		*rc = imp_reject(j->ws, j->src, j->line, "geometry",
				 g0 ? OGR_G_GetGeometryName(g0) : NULL, j->err,
				 "is %s; a street edge is a line of two points "
				 "or more",
				 g0 ? "not a line" : "missing");
		return NULL;
	}
	g = OGR_G_Clone(g0);
	OGR_G_FlattenTo2D(g);
	if (j->crs.ct && OGR_G_Transform(g, j->crs.ct) != OGRERR_NONE) {
		*rc = imp_reject(
		    j->ws, j->src, j->line, "geometry", NULL, j->err,
		    "cannot be reprojected from %s to WGS84", j->crs.name);
		goto cleanup;
	}
	OGR_G_GetEnvelope(g, &env);
	if (!imp_lonlat_ok(env.MinX, env.MinY) ||
	    !imp_lonlat_ok(env.MaxX, env.MaxY)) {
		*rc =
		    imp_reject(j->ws, j->src, j->line, "geometry", NULL, j->err,
			       "is out of range after reprojecting to WGS84 "
			       "lon/lat (is the file's CRS right?)");
		goto cleanup;
	}
	*size = OGR_G_WkbSize(g);
	wkb = xmalloc((size_t)*size);
	OGR_G_ExportToWkb(g, wkbNDR, wkb);
cleanup:
	OGR_G_DestroyGeometry(g);
	return wkb;
}

/* One side's range of an edge, from the edge's own fields or ADDR. */
struct tl_range {
	int64_t from, to;
	char side; /* 'L', 'R' */
	char par;  /* PARITYL/R, or 0: from the numbers */
	char zip[6];
	int next; /* the TLID's next range in the join, -1 */
};

/* A name of an edge: FEATNAMES' (alternates too) or the edge's own. */
struct tl_name {
	struct geo_addr a;
	int alt;
	int next;
};

/*
 * EDGES joined with ADDR and FEATNAMES: every TLID's ranges (ADDR) and
 * names (FEATNAMES), loaded before the edges are read.  first_r/first_n
 * are per TLID index (tl), -1 when none.
 */
struct tl_join {
	struct core_strmap tl;
	int *first_r, *first_n, *last_n;
	size_t ntl, captl;
	struct tl_range *r;
	size_t nr, capr;
	struct tl_name *n;
	size_t nn, capn;
};

static int tl_index(struct tl_join *t, int64_t tlid)
{
	char k[24];
	int32_t next = (int32_t)t->tl.n, id;

	snprintf(k, sizeof(k), "%lld", (long long)tlid);
	id = core_strmap_put(&t->tl, k, strlen(k), next);
	if (id == next) {
		if (t->ntl == t->captl) {
			t->captl = t->captl ? 2 * t->captl : 1024;
			t->first_r = xrealloc(t->first_r,
					      t->captl * sizeof(*t->first_r));
			t->first_n = xrealloc(t->first_n,
					      t->captl * sizeof(*t->first_n));
			t->last_n =
			    xrealloc(t->last_n, t->captl * sizeof(*t->last_n));
		}
		t->first_r[t->ntl] = t->first_n[t->ntl] = t->last_n[t->ntl] =
		    -1;
		t->ntl++;
	}
	return id;
}

static int tl_find(const struct tl_join *t, int64_t tlid)
{
	char k[24];

	snprintf(k, sizeof(k), "%lld", (long long)tlid);
	return core_strmap_get(&t->tl, k, strlen(k));
}

static void tl_join_free(struct tl_join *t)
{
	if (!t)
		return;
	core_strmap_release(&t->tl);
	free(t->first_r);
	free(t->first_n);
	free(t->last_n);
	free(t->r);
	free(t->n);
	free(t);
}

/* Parse one side's range ends (field names fi, ti of the current row,
 * values from and to) into r; 1, or 0 after rejecting it (*rc). */
static int side_range(struct job *j, const char *fname_from,
		      const char *fname_to, const char *from, const char *to,
		      const char *zfield, const char *zv, struct tl_range *r,
		      int *rc)
{
	int blank;

	if (!from[0] || !to[0]) {
		const char *e = from[0] ? fname_to : fname_from;
		*rc = imp_reject(j->ws, j->src, j->line, e, NULL, j->err,
				 "is empty while %s is '%s'; a range needs "
				 "both ends (this side is left out)",
				 from[0] ? fname_from : fname_to,
				 from[0] ? from : to);
		return 0;
	}
	if (!range_num(from, &r->from) || !range_num(to, &r->to)) {
		int bad_from = !range_num(from, &r->from);
		*rc = imp_reject(
		    j->ws, j->src, j->line, bad_from ? fname_from : fname_to,
		    bad_from ? from : to, j->err,
		    "is not a plain house number (TIGER writes "
		    "some ranges with a letter prefix); this side "
		    "is left out: ranges are interpolated on plain "
		    "numbers only");
		return 0;
	}
	if (!zip_norm(zv, r->zip, &blank)) {
		*rc = imp_reject(j->ws, j->src, j->line, zfield, zv, j->err,
				 "is not a ZIP code (5 digits); this side is "
				 "left out");
		return 0;
	}
	if (blank && j->stats)
		j->stats->zip_blank++;
	return 1;
}

/* Write one range row of the current edge. */
static int insert_range(struct job *j, int64_t tlid, int has_tlid,
			const struct geo_addr *a, const struct tl_range *r,
			const unsigned char *wkb, int size)
{
	char pc[2] = {0, 0}, sd[2] = {r->side, 0};
	int rc;

	if (r->par == 'O' || r->par == 'E' || r->par == 'B')
		pc[0] = r->par;
	else if (r->from % 2 == 1 && r->to % 2 == 1)
		pc[0] = 'O';
	else if (r->from % 2 == 0 && r->to % 2 == 0)
		pc[0] = 'E';
	else
		pc[0] = 'B';
	sqlite3_bind_int64(j->ins, 1, j->src->id);
	sqlite3_bind_int64(j->ins, 2, j->line);
	if (has_tlid)
		sqlite3_bind_int64(j->ins, 3, tlid);
	else
		sqlite3_bind_null(j->ins, 3);
	bind_s(j->ins, 4, a->predir);
	bind_s(j->ins, 5, a->name);
	bind_s(j->ins, 6, a->type);
	bind_s(j->ins, 7, a->postdir);
	bind_s(j->ins, 8, sd);
	sqlite3_bind_int64(j->ins, 9, r->from);
	sqlite3_bind_int64(j->ins, 10, r->to);
	bind_s(j->ins, 11, pc);
	bind_s(j->ins, 12, r->zip);
	sqlite3_bind_blob(j->ins, 13, wkb, size, SQLITE_STATIC);
	rc = core_ws_step(j->ws, j->err, j->ins);
	if (!rc && j->stats)
		*(r->side == 'L' ? &j->stats->left : &j->stats->right) += 1;
	return rc;
}

/*
 * One TIGER edge: a row per side with a range and per name.  The ranges
 * are ADDR's for the edge's TLID when ADDR was given, else the edge's
 * own fields; the names FEATNAMES' (the primary, then alternates) when
 * given and it has some, else the edge's FULLNAME.  Edges without a
 * range (or without a name) are skipped and counted; a side whose range
 * is not plain digits, has one end only, or whose ZIP is not one, is
 * rejected (the other side is kept).
 */
static int row_edge(struct job *j)
{
	struct tl_range rs[2];
	struct tl_name own;
	const struct tl_join *t = j->join;
	int64_t tlid = 0;
	int ti = -1, s, nr = 0, rc = CORE_OK, size = 0, stored = 0, has_tlid;
	int any = 0, k, ri, ni, use_addr = t && j->aux[0];
	unsigned char *wkb = NULL;
	char full[VAL_MAX];

	has_tlid =
	    j->f_tlid >= 0 && OGR_F_IsFieldSetAndNotNull(j->f, j->f_tlid);
	if (has_tlid)
		tlid = OGR_F_GetFieldAsInteger64(j->f, j->f_tlid);
	if (t && has_tlid)
		ti = tl_find(t, tlid);
	if (use_addr) {
		any = ti >= 0 && t->first_r[ti] >= 0;
	} else {
		for (s = 0; s < 2; s++) {
			char from[VAL_MAX], to[VAL_MAX], zv[VAL_MAX], par[8];
			int fi = j->f_range[2 * s], tj = j->f_range[2 * s + 1];
			if (field(j, fi, from) < 0 || field(j, tj, to) < 0)
				from[0] = 'x', from[1] = 0, to[0] = 0;
			if (!from[0] && !to[0])
				continue;
			any = 1;
			if (field(j, j->f_zip[s], zv) < 0)
				zv[0] = '?', zv[1] = 0;
			memset(&rs[nr], 0, sizeof(rs[nr]));
			rs[nr].side = s ? 'R' : 'L';
			rs[nr].next = -1;
			if (!side_range(j, j->names[fi], j->names[tj], from, to,
					j->f_zip[s] >= 0 ? j->names[j->f_zip[s]]
							 : "ZIP",
					zv, &rs[nr], &rc)) {
				if (rc)
					return rc;
				continue;
			}
			field(j, j->f_par[s], par);
			rs[nr].par = (char)toupper((unsigned char)par[0]);
			nr++;
		}
	}
	if (!any) {
		if (j->stats)
			j->stats->no_range++;
		return CORE_OK;
	}
	memset(&own, 0, sizeof(own));
	own.next = -1;
	if (!(t && ti >= 0 && t->first_n[ti] >= 0)) {
		if (field(j, j->f_full, full) < 0 || !full[0]) {
			if (j->stats)
				j->stats->unnamed++;
			return CORE_OK;
		}
		if (geo_addr_street(NULL, full, NULL, NULL, &own.a) !=
		    GEO_ADDR_OK)
			return imp_reject(j->ws, j->src, j->line,
					  j->names[j->f_full], full, j->err,
					  "is not a street name");
	}
	if (!nr && !(use_addr))
		return CORE_OK;
	if (!(wkb = edge_wkb(j, &size, &rc)))
		return rc;
	ri = use_addr ? t->first_r[ti] : 0;
	for (k = 0; !rc; k++) {
		const struct tl_range *r;
		if (use_addr) {
			if (ri < 0)
				break;
			r = &t->r[ri];
			ri = r->next;
		} else {
			if (k >= nr)
				break;
			r = &rs[k];
		}
		ni = t && ti >= 0 ? t->first_n[ti] : -1;
		if (ni < 0) {
			rc = insert_range(j, tlid, has_tlid, &own.a, r, wkb,
					  size);
			stored += !rc;
			continue;
		}
		for (; ni >= 0 && !rc; ni = t->n[ni].next) {
			rc = insert_range(j, tlid, has_tlid, &t->n[ni].a, r,
					  wkb, size);
			stored += !rc;
			if (!rc && t->n[ni].alt && j->stats)
				j->stats->alt_rows++;
		}
	}
	sqlite3_clear_bindings(j->ins);
	free(wkb);
	/* rows_rejected counts rejected sides (each is a reject of its
	 * own); a feature with a side kept is accepted */
	if (!rc && stored)
		j->src->rows_accepted++;
	return rc;
}

/* Field i of feature f of an auxiliary layer (ADDR, FEATNAMES),
 * trimmed, into buf (VAL_MAX bytes); "" when absent or too long. */
static void aux_field(struct job *j, OGRFeatureH f, int i, char *buf)
{
	const char *s;
	char *dup = NULL, *t;

	buf[0] = '\0';
	if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i))
		return;
	s = OGR_F_GetFieldAsString(f, i);
	if (core_utf8_check(s, strlen(s)) < strlen(s))
		s = dup = imp_text_dup(
		    j->src, s, j->line,
		    OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, i)));
	t = imp_trim_dup(s);
	if (strlen(t) < VAL_MAX)
		memcpy(buf, t, strlen(t) + 1);
	free(t);
	free(dup);
}

static int is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The one layer of an ADDR or FEATNAMES file (a .dbf, or its .zip). */
static GDALDatasetH aux_open(const char *path)
{
	char *g = imp_ends_with_ci(path, ".zip") && strncmp(path, "/vsizip/", 8)
		      ? xasprintf("/vsizip/%s", path)
		      : xstrdup(path);
	GDALDatasetH ds =
	    GDALOpenEx(g, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);

	free(g);
	if (ds && GDALDatasetGetLayerCount(ds) != 1) {
		GDALClose(ds);
		ds = NULL;
	}
	return ds;
}

static const char *base_name(const char *p)
{
	const char *b = strrchr(p, '/');

	return b && b[1] ? b + 1 : p;
}

/* What a file of an EDGES set is: 'E' EDGES, 'A' ADDR, 'F' FEATNAMES,
 * 0 none of them. */
static int tiger_role(OGRLayerH l)
{
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);

	if (OGR_FD_GetFieldIndex(d, "TLID") < 0)
		return 0;
	if (OGR_FD_GetFieldIndex(d, "LFROMADD") >= 0)
		return 'E';
	if (OGR_FD_GetFieldIndex(d, "FROMHN") >= 0 &&
	    OGR_FD_GetFieldIndex(d, "TOHN") >= 0 &&
	    OGR_FD_GetFieldIndex(d, "SIDE") >= 0)
		return 'A';
	if (OGR_FD_GetFieldIndex(d, "FULLNAME") >= 0 &&
	    OGR_FD_GetFieldIndex(d, "PAFLAG") >= 0)
		return 'F';
	return 0;
}

/*
 * The files of one import of TIGER EDGES with ADDR and FEATNAMES: path
 * and more[] (each a .shp/.dbf or its .zip), or the .shp and .dbf files
 * of the directory path.  Sets *edges (caller frees) and j->aux[0..1]
 * (ADDR, FEATNAMES; NULL when not given).  Fails (CORE_EFORMAT) for a
 * file that is none of the three, a role given twice, or no EDGES.
 */
static int tiger_set(struct job *j, char **edges)
{
	struct imp_strlist files = {0};
	struct stat sb;
	size_t i;
	int rc = CORE_OK;

	if (stat(j->o->path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		char **l = VSIReadDir(j->o->path);
		for (i = 0; l && l[i]; i++)
			if (imp_ends_with_ci(l[i], ".shp") ||
			    imp_ends_with_ci(l[i], ".dbf") ||
			    imp_ends_with_ci(l[i], ".zip")) {
				/* a shapefile's .dbf is its .shp's */
				char *stem =
				    xasprintf("%s/%.*s.shp", j->o->path,
					      (int)strlen(l[i]) - 4, l[i]);
				if (!imp_ends_with_ci(l[i], ".dbf") ||
				    stat(stem, &sb) != 0)
					imp_strlist_add(&files,
							xasprintf("%s/%s",
								  j->o->path,
								  l[i]));
				free(stem);
			}
		CSLDestroy(l);
	} else {
		imp_strlist_add(&files, xstrdup(j->o->path));
		for (i = 0; i < j->o->nmore; i++)
			imp_strlist_add(&files, xstrdup(j->o->more[i]));
	}
	for (i = 0; i < files.n && !rc; i++) {
		GDALDatasetH ds;
		if (strncmp(files.v[i], "/vsi", 4) != 0 &&
		    stat(files.v[i], &sb) != 0) {
			rc =
			    core_err_set(j->err, CORE_EIO, "cannot read %s: %s",
					 files.v[i], strerror(errno));
			break;
		}
		ds = aux_open(files.v[i]);
		int role = ds ? tiger_role(GDALDatasetGetLayer(ds, 0)) : 0;
		char **slot = role == 'E'   ? edges
			      : role == 'A' ? &j->aux[0]
			      : role == 'F' ? &j->aux[1]
					    : NULL;
		if (ds)
			GDALClose(ds);
		if (!slot)
			rc = core_err_set(
			    j->err, CORE_EFORMAT,
			    "%s is not a TIGER/Line EDGES, ADDR or FEATNAMES "
			    "file (EDGES: TLID, LFROMADD, ...; ADDR: TLID, "
			    "FROMHN, TOHN, SIDE, ZIP; FEATNAMES: TLID, "
			    "FULLNAME, PAFLAG, ...); give those of one county",
			    base_name(files.v[i]));
		else if (*slot)
			rc = core_err_set(j->err, CORE_EFORMAT,
					  "%s and %s are both TIGER/Line %s "
					  "files; give one of each",
					  base_name(*slot),
					  base_name(files.v[i]),
					  role == 'E'	? "EDGES"
					  : role == 'A' ? "ADDR"
							: "FEATNAMES");
		else
			*slot = xstrdup(files.v[i]);
	}
	if (!rc && !*edges)
		rc =
		    core_err_set(j->err, CORE_EFORMAT,
				 "%s: no TIGER/Line EDGES file among the files "
				 "given (ADDR and FEATNAMES are joined to the "
				 "edges' lines by TLID)",
				 base_name(j->o->path));
	imp_strlist_free(&files);
	return rc;
}

/*
 * Inside the transaction: ADDR's ranges and FEATNAMES' names into
 * j->join, by TLID.  A bad ADDR row is rejected naming the ADDR file
 * and its feature.
 */
static int load_join(struct job *j)
{
	struct tl_join *t = j->join;
	int k, rc = CORE_OK;

	for (k = 0; k < 2 && !rc; k++) {
		GDALDatasetH ds;
		OGRLayerH l;
		OGRFeatureDefnH d;
		OGRFeatureH f;
		int fi[8], m;
		static const char *const want[2][8] = {
		    {"TLID", "FROMHN", "TOHN", "SIDE", "ZIP", NULL, NULL, NULL},
		    {"TLID", "FULLNAME", "NAME", "PREDIRABRV", "PRETYPABRV",
		     "SUFTYPABRV", "SUFDIRABRV", "PAFLAG"}};
		if (!j->aux[k])
			continue;
		if (!(ds = aux_open(j->aux[k])))
			return core_err_set(j->err, CORE_EFORMAT,
					    "cannot read %s: %s",
					    base_name(j->aux[k]), j->msgs.last);
		l = GDALDatasetGetLayer(ds, 0);
		d = OGR_L_GetLayerDefn(l);
		for (m = 0; m < 8; m++)
			fi[m] = want[k][m] ? OGR_FD_GetFieldIndex(d, want[k][m])
					   : -1;
		j->src->reject_file = base_name(j->aux[k]);
		j->line = 0;
		while (!rc && (f = OGR_L_GetNextFeature(l))) {
			char v[8][VAL_MAX];
			int64_t tlid = OGR_F_GetFieldAsInteger64(f, fi[0]);
			int ti = tl_index(t, tlid);
			j->line++;
			for (m = 1; m < 8; m++)
				aux_field(j, f, fi[m], v[m]);
			if (k == 0) {
				struct tl_range r;
				memset(&r, 0, sizeof(r));
				r.side = (char)toupper((unsigned char)v[3][0]);
				if (r.side != 'L' && r.side != 'R')
					rc = imp_reject(
					    j->ws, j->src, j->line, "SIDE",
					    v[3], j->err,
					    "is not L or R; this range is left "
					    "out");
				else if (side_range(j, "FROMHN", "TOHN", v[1],
						    v[2], "ZIP", v[4], &r,
						    &rc)) {
					if (t->nr == t->capr)
						t->r = xrealloc(
						    t->r,
						    (t->capr =
							 t->capr * 2 + 1024) *
							sizeof(*t->r));
					r.next = t->first_r[ti];
					t->first_r[ti] = (int)t->nr;
					t->r[t->nr++] = r;
				}
			} else {
				struct tl_name n;
				char nm[2 * VAL_MAX];
				int st;
				memset(&n, 0, sizeof(n));
				n.next = -1;
				n.alt = toupper((unsigned char)v[7][0]) == 'A';
				if (v[2][0]) {
					snprintf(nm, sizeof(nm), "%s%s%s", v[4],
						 v[4][0] ? " " : "", v[2]);
					st = geo_addr_street(v[3], nm, v[5],
							     v[6], &n.a);
				} else {
					st = geo_addr_street(NULL, v[1], NULL,
							     NULL, &n.a);
				}
				if (st != GEO_ADDR_OK || !n.a.name[0]) {
					OGR_F_Destroy(f);
					continue; /* an unnamed feature */
				}
				if (t->nn == t->capn)
					t->n = xrealloc(
					    t->n,
					    (t->capn = t->capn * 2 + 1024) *
						sizeof(*t->n));
				/* the primary name first */
				if (!n.alt || t->first_n[ti] < 0) {
					n.next = t->first_n[ti];
					t->first_n[ti] = (int)t->nn;
					if (t->last_n[ti] < 0)
						t->last_n[ti] = (int)t->nn;
				} else {
					t->n[t->last_n[ti]].next = (int)t->nn;
					t->last_n[ti] = (int)t->nn;
				}
				t->n[t->nn++] = n;
			}
			OGR_F_Destroy(f);
		}
		GDALClose(ds);
		j->src->reject_file = NULL;
	}
	j->line = 0;
	return rc;
}

static int prepare(struct job *j)
{
	int rc;

	switch (j->kind) {
	case IMP_ADDR_POINTS:
		if ((rc = core_ws_prepare(
			 j->ws, j->err, &j->ins,
			 "INSERT INTO addr_points(source_id, source_line, "
			 "number, num_suffix, predir, name, type, postdir, "
			 "city, state, zip, lon, lat)"
			 " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
			return rc;
		return core_ws_prepare(j->ws, j->err, &j->upd,
				       "UPDATE addr_points SET lon = ?, lat = "
				       "?, source_line = ? WHERE rowid = ?");
	case IMP_ADDR_RANGES:
		return core_ws_prepare(
		    j->ws, j->err, &j->ins,
		    "INSERT INTO addr_ranges(source_id, source_line, tlid, "
		    "predir, name, type, postdir, side, from_num, to_num, "
		    "parity, zip, geom)"
		    " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		    "GeomFromWKB(?, 4326))");
	default:
		return core_ws_prepare(
		    j->ws, j->err, &j->ins,
		    "INSERT INTO addr_zips(source_id, source_line, zip, city, "
		    "state, lon, lat) VALUES(?, ?, ?, ?, ?, ?, ?)");
	}
}

static int read_rows(struct job *j)
{
	int rc = CORE_OK, r;

	j->label = xasprintf("importing %s", j->src->name);
	if (j->is_csv) {
		core_progress_start(&j->prog, j->label, 0);
		if ((rc = csv_reopen(j)))
			return rc;
	} else {
		free(j->label);
		imp_layer_start(j->lyr, j->src, &j->prog, &j->label);
	}
	while ((r = next_row(j, &rc)) > 0) {
		switch (j->kind) {
		case IMP_ADDR_POINTS:
			rc = row_point_addr(j);
			break;
		case IMP_ADDR_RANGES:
			rc = row_edge(j);
			break;
		default:
			rc = row_zip_centroid(j);
			break;
		}
		if (rc)
			break;
		core_progress_tick(&j->prog, j->src->rows_read);
	}
	core_progress_end(&j->prog);
	if (!rc && r < 0)
		rc = j->err->code ? j->err->code : CORE_EFORMAT;
	return rc;
}

/* Nothing stored from a file that had rows: say why, rather than
 * import nothing. */
static int check_stored(struct job *j)
{
	int64_t n = j->src->rows_accepted;

	if (n > 0 || j->src->rows_rejected > 0)
		return CORE_OK;
	if (j->kind == IMP_ADDR_RANGES)
		return core_err_set(j->err, CORE_EFORMAT,
				    "%s: none of its %lld features carries an "
				    "address range (%s); nothing to import",
				    j->src->name, (long long)j->src->rows_read,
				    j->layout);
	if (j->kind == IMP_ADDR_POINTS)
		return core_err_set(
		    j->err, CORE_EFORMAT,
		    "%s: none of its %lld rows has both a house number (%s) "
		    "and a street (%s); nothing to import",
		    j->src->name, (long long)j->src->rows_read,
		    j->names[j->col[IMP_ADDR_COL_NUMBER]],
		    j->names[j->col[IMP_ADDR_COL_NAME] >= 0
				 ? j->col[IMP_ADDR_COL_NAME]
				 : j->col[IMP_ADDR_COL_STREET]]);
	return CORE_OK;
}

int imp_addr_import(struct core_ws *ws, const struct imp_addr_opts *o,
		    struct imp_source *src, struct imp_addr_stats *stats,
		    struct core_err *err)
{
	struct imp_bulk bulk = {0};
	struct job j;
	int rc;

	memset(&j, 0, sizeof(j));
	j.ws = ws;
	j.o = o;
	j.src = src;
	j.stats = stats;
	j.err = err;
	j.f_tlid = j.f_full = -1;
	src->skip_bad = o->skip_bad;
	src->csv_lines = 0;
	imp_gdal_init();
	imp_gdal_push(&j.msgs);

	if (!o->path) {
		rc = core_err_set(err, CORE_EUSAGE, "no file to import");
		goto cleanup;
	}
	if (o->nmore || is_dir(o->path)) {
		char *edges = NULL;
		if ((rc = tiger_set(&j, &edges))) {
			free(edges);
			goto cleanup;
		}
		j.o2 = *o;
		j.o2.path = edges;
		j.o2.kind = IMP_ADDR_RANGES;
		j.o = &j.o2;
		j.join = xcalloc(1, sizeof(*j.join));
	}
	if ((rc = open_file(&j)) || (rc = map_columns(&j)))
		goto cleanup;
	if (j.lyr &&
	    (rc = imp_crs_setup(&j.crs, j.lyr, src->name, &j.msgs, err)))
		goto cleanup;
	build_options(&j);
	if (stats) {
		stats->kind = j.kind;
		free(stats->what);
		stats->what =
		    j.kind == IMP_ADDR_RANGES
			? xasprintf("TIGER/Line %s street ranges%s%s%s%s",
				    j.layout, j.aux[0] ? ", ADDR " : "",
				    j.aux[0] ? base_name(j.aux[0]) : "",
				    j.aux[1] ? ", FEATNAMES " : "",
				    j.aux[1] ? base_name(j.aux[1]) : "")
		    : j.kind == IMP_ADDR_POINTS ? xstrdup("address points")
						: xstrdup("ZIP centroids");
	}

	if ((rc = imp_bulk_begin(ws, &bulk, err)) ||
	    (rc = core_ws_begin(ws, err)) ||
	    (rc = imp_source_open(ws, src, err)) || (rc = prepare(&j)) ||
	    (j.join && (rc = load_join(&j))))
		goto cleanup;
	if ((rc = read_rows(&j)) || (rc = check_stored(&j)) ||
	    (rc = imp_source_close(ws, src, err)))
		goto cleanup;
	rc = core_ws_commit(ws, err);
cleanup:
	if (rc)
		core_ws_rollback(ws);
	imp_bulk_end(ws, &bulk);
	core_progress_end(&j.prog);
	if (j.f)
		OGR_F_Destroy(j.f);
	sqlite3_finalize(j.ins);
	sqlite3_finalize(j.upd);
	imp_source_end_rejects(src);
	imp_crs_release(&j.crs);
	core_csv_free(j.csv);
	if (j.ds)
		GDALClose(j.ds);
	imp_gdal_pop();
	core_strmap_release(&j.seen);
	free(j.rowid);
	free(j.unit_pt);
	free(j.pt);
	free(j.mem);
	free(j.names);
	imp_strlist_free(&j.csv_names);
	tl_join_free(j.join);
	free(j.aux[0]);
	free(j.aux[1]);
	if (j.o == &j.o2)
		free((char *)j.o2.path);
	free(j.disk);
	free(j.gdal);
	free(j.label);
	return rc;
}
