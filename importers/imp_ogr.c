/*
 * imp_ogr.c - import any vector file GDAL/OGR reads into assets, areas or
 * indicators.  See imp_ogr.h for the contract.
 *
 * The shape of one import: check the options, open and check the file
 * (everything that can fail for the file as a whole fails here, before
 * the workspace is touched), work out the column mapping, then read the
 * rows inside one transaction with prepared statements reused for every
 * row.  A row with a problem is rejected, never half-written.
 */
#include "importers/imp_ogr.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "core/core_area.h"
#include "core/core_csv.h"
#include "core/core_mem.h"
#include "core/core_progress.h"
#include "core/core_utf8.h"
#include "importers/imp_asset.h"
#include "importers/imp_xwalk.h"

/* ---------------------------------------------------------------------
 * The columns: option names and the names we guess from.
 * ------------------------------------------------------------------ */

enum {
	K_ASSETS = 1 << IMP_ASSETS,
	K_AREAS = 1 << IMP_AREAS,
	K_INDICATORS = 1 << IMP_INDICATORS
};

#define GUESS(...) ((const char *const[]){__VA_ARGS__, NULL})

struct colspec {
	const char *opt;	  /* option name without "--" */
	unsigned kinds;		  /* where it applies */
	const char *const *guess; /* names tried, first match wins */
};

/* Compared with imp_name_eq: case, ' ', '_', '-' and '.' do not matter. */
static const struct colspec colspecs[IMP_COL_COUNT] = {
    [IMP_COL_NAME] = {"name", K_ASSETS | K_AREAS,
		      GUESS("name", "site_name", "agency_name", "facility_name",
			    "location_name", "provider_name", "program_name",
			    "resource_name", "place_name")},
    [IMP_COL_ID] = {"id", K_ASSETS,
		    GUESS("id", "site_id", "agency_id", "facility_id",
			  "location_id", "record_id", "objectid")},
    [IMP_COL_CATEGORY] = {"category", K_ASSETS,
			  GUESS("category", "categories", "category_code",
				"category_codes")},
    [IMP_COL_LON] = {"lon", K_ASSETS,
		     GUESS("lon", "lng", "long", "longitude", "x", "x_coord",
			   "x_coordinate")},
    [IMP_COL_LAT] = {"lat", K_ASSETS,
		     GUESS("lat", "latitude", "y", "y_coord", "y_coordinate")},
    [IMP_COL_ORGANIZATION] = {"organization", K_ASSETS,
			      GUESS("organization", "organisation",
				    "organization_name", "org", "org_name",
				    "parent_organization", "operator",
				    "agency")},
    [IMP_COL_ADDRESS] = {"address", K_ASSETS,
			 GUESS("address", "street", "street_address",
			       "address1", "address_line_1", "addr")},
    [IMP_COL_CITY] = {"city", K_ASSETS,
		      GUESS("city", "town", "municipality", "locality")},
    [IMP_COL_STATE] = {"state", K_ASSETS, GUESS("state", "state_abbr")},
    [IMP_COL_ZIP] = {"zip", K_ASSETS,
		     GUESS("zip", "zipcode", "zip_code", "zip5", "postal_code",
			   "postcode")},
    [IMP_COL_PHONE] = {"phone", K_ASSETS,
		       GUESS("phone", "phone_number", "telephone", "tel")},
    [IMP_COL_WEBSITE] = {"website", K_ASSETS,
			 GUESS("website", "url", "web", "web_site",
			       "homepage")},
    [IMP_COL_EMAIL] = {"email", K_ASSETS,
		       GUESS("email", "e_mail", "email_address")},
    [IMP_COL_HOURS] = {"hours", K_ASSETS,
		       GUESS("hours", "hours_of_operation", "opening_hours",
			     "schedule")},
    [IMP_COL_LANGUAGES] = {"languages", K_ASSETS,
			   GUESS("languages", "language", "languages_spoken")},
    [IMP_COL_ELIGIBILITY] = {"eligibility", K_ASSETS, GUESS("eligibility")},
    [IMP_COL_DESCRIPTION] = {"description", K_ASSETS, GUESS("description")},
    [IMP_COL_CAPACITY] = {"capacity", K_ASSETS, GUESS("capacity")},
    /* "medical" alone is not a guess: see is_medi_cal_name(). */
    [IMP_COL_MEDI_CAL] = {"medi-cal", K_ASSETS,
			  GUESS("medi_cal", "accepts_medi_cal",
				"medi_cal_accepted")},
    [IMP_COL_PROGRAMS] = {"programs", K_ASSETS,
			  GUESS("programs", "community_supports",
				"medi_cal_programs")},
    [IMP_COL_GEOID] = {"geoid", K_AREAS | K_INDICATORS,
		       GUESS("geoid", "geoid20", "geoid10", "fips", "zcta5ce20",
			     "zcta5ce10")},
    [IMP_COL_POPULATION] = {"population", K_AREAS | K_INDICATORS,
			    GUESS("population", "pop", "total_population",
				  "totpop")},
    [IMP_COL_LAND] = {"land", K_AREAS,
		      GUESS("aland", "aland20", "aland10", "land_m2",
			    "arealand")},
};

static const char *const area_name_guess[] = {
    "namelsad", "namelsad20", "namelsad10", "name",
    "name20",	"name10",     "basename",   NULL};

static const struct {
	const char *name;
	int len;
	const char *example;
} levels[] = {
    {"state", 2, "06"},
    {"county", 5, "06075"},
    {"tract", 11, "06075010100"},
    {"blockgroup", 12, "060750101001"},
    {"zcta", 5, "94103"},
    /* a user's own areas: the "GEOID" is any text, by default the
     * area's name */
    {"neighborhood", 0, "Mission"},
};

static const char *const kind_names[] = {"assets", "areas", "indicators"};

static const char default_missing[] =
    ",NA,-999,-666666666,-888888888,-999999999,(X)";

const char *imp_col_option(enum imp_col c)
{
	return (unsigned)c < IMP_COL_COUNT ? colspecs[c].opt : "?";
}

const char *imp_kind_name(enum imp_kind k)
{
	return (unsigned)k < 3 ? kind_names[k] : "?";
}

int imp_kind_parse(const char *s)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

int imp_level_geoid_len(const char *level, int *len)
{
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (level && strcmp(level, levels[i].name) == 0) {
			if (len)
				*len = levels[i].len;
			return 1;
		}
	return 0;
}

static const char *level_example(const char *level)
{
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(level, levels[i].name) == 0)
			return levels[i].example;
	return "";
}

void imp_ogr_opts_init(struct imp_ogr_opts *o)
{
	memset(o, 0, sizeof(*o));
}

void imp_ogr_stats_release(struct imp_ogr_stats *st)
{
	if (!st)
		return;
	free(st->columns);
	free(st->unmatched);
	memset(st, 0, sizeof(*st));
}

/* ---------------------------------------------------------------------
 * Small lists
 * ------------------------------------------------------------------ */

/* A code table (categories, programs): code and display name. */
struct codes {
	struct imp_strlist code, name;
};

static int codes_load(struct core_ws *ws, const char *sql, struct codes *c,
		      struct core_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = core_ws_prepare(ws, err, &st, sql)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		imp_strlist_add(
		    &c->code,
		    xstrdup((const char *)sqlite3_column_text(st, 0)));
		imp_strlist_add(
		    &c->name,
		    xstrdup((const char *)sqlite3_column_text(st, 1)));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return core_ws_dberr(ws, err, "reading the taxonomy");
	return CORE_OK;
}

static void codes_free(struct codes *c)
{
	imp_strlist_free(&c->code);
	imp_strlist_free(&c->name);
}

/* The code for s, matched against codes and names alike ignoring case
 * and separators ("Primary Care" finds primary_care); NULL if none. */
static const char *codes_find(const struct codes *c, const char *s)
{
	size_t i;

	for (i = 0; i < c->code.n; i++)
		if (imp_name_eq(s, c->code.v[i]) ||
		    imp_name_eq(s, c->name.v[i]))
			return c->code.v[i];
	return NULL;
}

static void codes_list(const struct codes *c, struct core_buf *b)
{
	size_t i;

	for (i = 0; i < c->code.n; i++)
		core_buf_addf(b, "%s%s", i ? ", " : "", c->code.v[i]);
}

/* ---------------------------------------------------------------------
 * The job
 * ------------------------------------------------------------------ */

enum { ST_ADEL, ST_AREA, ST_IND, ST_INFO, ST_POP, ST_POPIND, ST_COUNT };

struct job {
	struct core_ws *ws;
	const struct imp_ogr_opts *o;
	struct imp_source *src;
	struct imp_ogr_stats *stats;
	struct core_err *err;
	struct imp_gdal_msgs msgs;
	GDALDatasetH ds;
	OGRLayerH lyr;
	OGRFeatureDefnH defn;
	int nfields;
	int col[IMP_COL_COUNT]; /* field index, -1 when unmapped */
	int use_geom;		/* assets: geometry, not lon/lat */
	int worst;		/* assets: --geocode-worst, 0 when not given */
	struct imp_crs crs;	/* the layer's; srs NULL: none */
	struct codes cats, progs;
	struct imp_strlist fixed_cats; /* --category codes for all rows */
	int geoid_len;		       /* 0 when not checked */
	int *vcols;		       /* indicators: value columns */
	size_t nvcols;
	struct imp_strlist missing;
	double *missing_num; /* numeric markers, NAN if not */
	sqlite3_stmt *st[ST_COUNT];
	struct imp_asset_writer *aw; /* assets */
	struct imp_gc gc;	     /* assets: rows placed by address */
	struct imp_xwalk *xw;	     /* assets: the crosswalk */
	int *from;		     /* --category-from columns */
	size_t nfrom;
	struct core_progress prog;
	char *label;
	long line; /* the row being read */
	/* CSV (.csv, .tsv, .psv, .txt) is read by core_csv, not GDAL: each
	 * record becomes a feature of defn, made here, with the same string
	 * fields GDAL's CSV driver gives (and the geometry of a WKT
	 * column), so everything after the reading is shared. */
	int is_csv;
	int csv_sep;	       /* 0: detected from the header */
	const char *open_path; /* the file (or its UTF-8 copy) */
	struct core_csv *csv;
	int wkt_col;	/* CSV: the WKT column, or -1 */
	char *vsi_path; /* o->data as GDAL reads it */
};

static const char *fname(const struct job *j, int i)
{
	return OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(j->defn, i));
}

static const char *colname(const struct job *j, enum imp_col c)
{
	return j->col[c] >= 0 ? fname(j, j->col[c]) : colspecs[c].opt;
}

/* "the columns are: a, b, c" (cut short for very wide files). */
static void add_columns(const struct job *j, struct core_buf *b)
{
	int i;

	if (j->nfields == 0) {
		core_buf_adds(b, "the file has no columns");
		return;
	}
	core_buf_adds(b, "the columns are: ");
	for (i = 0; i < j->nfields; i++) {
		if (b->len > 1200) {
			core_buf_addf(b, " and %d more", j->nfields - i);
			break;
		}
		core_buf_addf(b, "%s%s", i ? ", " : "", fname(j, i));
	}
}

/* Set err to msg + "; the columns are: ..." and return code. */
static int fail_columns(struct job *j, int code, const char *msg)
{
	struct core_buf b = CORE_BUF_INIT;

	core_buf_addf(&b, "%s; ", msg);
	add_columns(j, &b);
	core_err_set(j->err, code, "%s", core_buf_str(&b));
	core_buf_release(&b);
	return code;
}

/* The trimmed value of field i of f (list fields joined with ','), as
 * UTF-8, or NULL when null or empty.  The caller frees. */
static char *field_value(struct job *j, OGRFeatureH f, int i)
{
	char *v, *t;

	if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i))
		return NULL;
	if (OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i)) == OFTStringList) {
		char **l = OGR_F_GetFieldAsStringList(f, i);
		struct core_buf b = CORE_BUF_INIT;
		for (; l && *l; l++)
			core_buf_addf(&b, "%s%s", b.len ? "," : "", *l);
		t = imp_text_dup(j->src, core_buf_str(&b), j->line,
				 fname(j, i));
		core_buf_release(&b);
	} else {
		t = imp_text_dup(j->src, OGR_F_GetFieldAsString(f, i), j->line,
				 fname(j, i));
	}
	v = imp_trim_dup(t);
	free(t);
	if (!*v) {
		free(v);
		return NULL;
	}
	return v;
}

static char *get(struct job *j, OGRFeatureH f, enum imp_col c)
{
	return field_value(j, f, j->col[c]);
}

/* ---------------------------------------------------------------------
 * Opening the file
 * ------------------------------------------------------------------ */

static int is_text_driver(const char *drv)
{
	return strcmp(drv, "CSV") == 0 || strcmp(drv, "GeoJSON") == 0 ||
	       strcmp(drv, "GeoJSONSeq") == 0 || strcmp(drv, "TopoJSON") == 0 ||
	       strcmp(drv, "ESRIJSON") == 0;
}

/* The extension of path after its last '.', "" when none. */
static const char *extension(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base + 1 : path, '.');

	return dot ? dot + 1 : "";
}

/* (Re)open the CSV reader at its header; the caller reads the rows. */
static int csv_open(struct job *j)
{
	core_csv_free(j->csv);
	if (j->o->data)
		j->csv = core_csv_open_mem_as(j->o->data, j->o->size,
					      j->src->name, j->csv_sep, j->err);
	else
		j->csv = core_csv_open_as(j->open_path, j->src->name,
					  j->csv_sep, j->err);
	return j->csv ? CORE_OK : j->err->code;
}

/* The layer's definition from the CSV header: a string field per
 * column (an unnamed one called field_N as GDAL does), and a geometry
 * only when a column is called WKT. */
static void csv_defn(struct job *j)
{
	const char *base = j->src->name, *dot = strrchr(base, '.');
	char *lname =
	    dot ? xasprintf("%.*s", (int)(dot - base), base) : xstrdup(base);
	size_t i, n = core_csv_nheader(j->csv);

	j->defn = OGR_FD_Create(lname);
	OGR_FD_Reference(j->defn);
	free(j->src->layer);
	j->src->layer = lname;
	j->wkt_col = -1;
	for (i = 0; i < n; i++) {
		const char *h = core_csv_header(j->csv, i);
		char *name = h[0] ? xstrdup(h) : xasprintf("field_%zu", i + 1);
		OGRFieldDefnH fd = OGR_Fld_Create(name, OFTString);
		OGR_FD_AddFieldDefn(j->defn, fd);
		OGR_Fld_Destroy(fd);
		if (j->wkt_col < 0 && strcasecmp(name, "WKT") == 0)
			j->wkt_col = (int)i;
		free(name);
	}
	if (j->wkt_col < 0)
		OGR_FD_SetGeomType(j->defn, wkbNone);
	j->nfields = OGR_FD_GetFieldCount(j->defn);
}

/* The current CSV record as a feature of j->defn (the caller destroys
 * it).  A WKT that does not parse leaves the geometry empty, as GDAL
 * does. */
static OGRFeatureH csv_feature(struct job *j)
{
	OGRFeatureH f = OGR_F_Create(j->defn);
	int i;

	for (i = 0; i < j->nfields; i++)
		OGR_F_SetFieldString(f, i, core_csv_get(j->csv, (size_t)i));
	if (j->wkt_col >= 0) {
		char *wkt = (char *)core_csv_get(j->csv, (size_t)j->wkt_col);
		OGRGeometryH g = NULL;
		if (*wkt && OGR_G_CreateFromWkt(&wkt, NULL, &g) == OGRERR_NONE)
			OGR_F_SetGeometryDirectly(f, g);
		else if (g)
			OGR_G_DestroyGeometry(g);
	}
	return f;
}

/* Start reading the rows from the first. */
static int rows_start(struct job *j)
{
	if (j->is_csv)
		return csv_open(j);
	OGR_L_ResetReading(j->lyr);
	return CORE_OK;
}

/*
 * The next row (the caller destroys it) and its line (CSV, header = 1)
 * or feature number; NULL at the end, or with *rc set on a failure.
 * import: the import pass, which counts rows_read and rejects a CSV
 * record of the wrong width; else a scan, which skips it.  A short
 * record that ends the file without a line end is a file cut short:
 * a failure, --skip-bad or not.
 */
static OGRFeatureH rows_next(struct job *j, int import, long *line, int *rc)
{
	OGRFeatureH f;

	if (!j->is_csv) {
		if (!import) {
			++*line; /* feature numbers, counted by the caller */
			return OGR_L_GetNextFeature(j->lyr);
		}
		f = imp_layer_next(j->lyr, j->src, &j->msgs, rc, j->err);
		*line = (long)j->src->rows_read;
		return f;
	}
	for (;;) {
		struct core_buf why = CORE_BUF_INIT;
		size_t field = 0;
		int r = core_csv_next(j->csv, j->err), w;

		if (r < 0) {
			*rc = j->err->code;
			return NULL;
		}
		if (r == 0)
			return NULL;
		*line = core_csv_line(j->csv);
		if (import)
			j->src->rows_read++;
		w = core_csv_check_width(j->csv, &field, &why);
		if (!w)
			return csv_feature(j);
		if (w == CORE_CSV_SHORT && core_csv_unterminated(j->csv)) {
			*rc = core_err_set(
			    j->err, CORE_EFORMAT,
			    "%s line %ld, field %s: %s\nnothing was imported",
			    j->src->name, *line, fname(j, (int)field),
			    core_buf_str(&why));
			core_buf_release(&why);
			return NULL;
		}
		if (import) {
			char num[32];
			snprintf(num, sizeof(num), "%zu", field + 1);
			*rc = imp_reject(
			    j->ws, j->src, *line,
			    w == CORE_CSV_SHORT ? fname(j, (int)field) : num,
			    NULL, j->err, "%s", core_buf_str(&why));
		}
		core_buf_release(&why);
		if (*rc)
			return NULL;
	}
}

/* The layer's geometry type (wkbNone when it has none). */
static OGRwkbGeometryType geom_type(const struct job *j)
{
	return j->lyr ? OGR_L_GetGeomType(j->lyr) : OGR_FD_GetGeomType(j->defn);
}

/* A CSV file: read by core_csv from the UTF-8 text. */
static int open_csv(struct job *j)
{
	int r, rc;

	free(j->src->format);
	j->src->format = xstrdup("CSV");
	j->src->csv_lines = 1;
	if ((rc = csv_open(j)))
		return rc;
	csv_defn(j);
	/* No rows at all says more than any missing column would. */
	if ((r = core_csv_next(j->csv, j->err)) < 0)
		return j->err->code;
	if (r == 0)
		return core_err_set(
		    j->err, CORE_EFORMAT,
		    "%s has a header but no data rows; nothing to import",
		    j->src->name);
	return rows_start(j);
}

/* 1 when the first line of the file (o->data, or o->path) holds a ',',
 * ';', tab or '|'. */
static int first_line_has_sep(const struct imp_ogr_opts *o)
{
	char buf[4096];
	size_t n = 0, i;
	FILE *fp;

	if (o->data) {
		n = o->size < sizeof(buf) ? o->size : sizeof(buf);
		memcpy(buf, o->data, n);
	} else if ((fp = fopen(o->path, "rb"))) {
		n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
	}
	for (i = 0; i < n && buf[i] != '\n'; i++)
		if (buf[i] == ',' || buf[i] == ';' || buf[i] == '\t' ||
		    buf[i] == '|')
			return 1;
	return 0;
}

/* o->data: the bytes of the file o->path names, which must be UTF-8. */
static int source_mem(struct job *j)
{
	const struct imp_ogr_opts *o = j->o;
	const char *base = strrchr(o->path, '/');
	struct imp_source *s = j->src;
	size_t bad;

	free(s->arg);
	s->arg = xstrdup(o->path);
	free(s->path);
	s->path = xstrdup(o->path);
	free(s->name);
	s->name = xstrdup(base && base[1] ? base + 1 : o->path);
	free(s->checksum);
	s->checksum = xstrdup("-");
	if (o->size == 0)
		return core_err_set(j->err, CORE_EFORMAT,
				    "%s is empty (0 bytes); nothing to import",
				    s->name);
	bad = core_utf8_check(o->data, o->size);
	if (bad < o->size)
		return core_err_set(j->err, CORE_EFORMAT,
				    "%s: byte %zu (0x%02x) is not UTF-8; save "
				    "the file as UTF-8",
				    s->name, bad + 1,
				    (unsigned char)o->data[bad]);
	free(s->encoding);
	s->encoding = xstrdup("utf-8");
	return CORE_OK;
}

/*
 * Open o->path (or the bytes in o->data) for reading, before the
 * workspace is touched.  A .csv, .tsv, .psv, a .txt whose first line has
 * a separator, or a file GDAL identifies as CSV is read by core_csv
 * (open_csv); anything else through GDAL, from a UTF-8 copy when it is a
 * text format in Windows-1252.  Fills j->src (name, checksum, encoding,
 * format, layer), j->ds, j->lyr, j->defn (referenced) and j->nfields;
 * the caller releases them.  Returns CORE_OK, or CORE_EFORMAT (GDAL
 * cannot read it, no layers, no features or rows, not UTF-8 in memory)
 * or what imp_source_text / imp_source_scan / imp_layer_pick set, with
 * j->err set.
 */
static int open_file(struct job *j)
{
	const struct imp_ogr_opts *o = j->o;
	static const char *const csv_ext[] = {"csv", "tsv", "psv", "txt", NULL};
	const char *ext = extension(o->path);
	struct imp_utf8 u;
	GDALDriverH drv = NULL;
	const char *dname = "";
	struct stat sb;
	int n, rc, k;

	j->open_path = o->path;
	for (k = 0; csv_ext[k]; k++)
		if (strcasecmp(ext, csv_ext[k]) == 0)
			j->is_csv = 1;
	/* A .txt is a table only when its first line holds a separator. */
	if (j->is_csv && strcasecmp(ext, "txt") == 0)
		j->is_csv = first_line_has_sep(o);
	if (o->data) {
		if ((rc = source_mem(j)))
			return rc;
		if (!j->is_csv) {
			j->vsi_path = xasprintf("/vsimem/assetmap-%p/%s",
						(void *)j, j->src->name);
			VSIFCloseL(
			    VSIFileFromMemBuffer(j->vsi_path, (GByte *)o->data,
						 (vsi_l_offset)o->size, FALSE));
			j->open_path = j->vsi_path;
			drv = GDALIdentifyDriverEx(j->open_path, GDAL_OF_VECTOR,
						   NULL, NULL);
		}
	} else if (stat(o->path, &sb) == 0 && S_ISREG(sb.st_mode) &&
		   sb.st_size > 0 && !j->is_csv) {
		drv = GDALIdentifyDriverEx(o->path, GDAL_OF_VECTOR, NULL, NULL);
	}
	if (drv) {
		dname = GDALGetDriverShortName(drv);
		if (strcmp(dname, "CSV") == 0)
			j->is_csv = 1;
	}
	if (j->is_csv)
		j->csv_sep = strcasecmp(ext, "tsv") == 0   ? '\t'
			     : strcasecmp(ext, "psv") == 0 ? '|'
							   : 0;
	j->src->csv_lines = j->is_csv;
	/* Text is read as UTF-8, or as Windows-1252 from a UTF-8 copy
	 * (core_csv reads a CSV file, GDAL the rest). */
	if (o->data)
		rc = CORE_OK;
	else if (j->is_csv || (drv && is_text_driver(dname)))
		rc = imp_source_text(
		    j->src, o->path,
		    IMP_TEXT_KEEP_BOM |
			(j->is_csv ? IMP_TEXT_CSV : IMP_TEXT_GDAL),
		    &j->open_path, j->err);
	else
		rc = imp_source_scan(j->src, o->path, 0, &u, j->err);
	if (rc)
		return rc;
	if (j->is_csv)
		return open_csv(j);
	if (!drv)
		return core_err_set(
		    j->err, CORE_EFORMAT,
		    "%s is not a file GDAL can read as vector data; give "
		    "GeoJSON, a Shapefile (.shp), GeoPackage (.gpkg), KML or "
		    "CSV (a CSV file's name must end in .csv, .tsv or .txt)",
		    o->path);
	j->ds = GDALOpenEx(j->open_path,
			   GDAL_OF_VECTOR | GDAL_OF_READONLY |
			       GDAL_OF_VERBOSE_ERROR,
			   NULL, NULL, NULL);
	if (!j->ds) {
		return core_err_set(j->err, CORE_EFORMAT,
				    "cannot read %s as %s: %s", o->path, dname,
				    j->msgs.last[0] ? j->msgs.last
						    : "GDAL could not open it");
	}
	dname = GDALGetDriverShortName(GDALGetDatasetDriver(j->ds));
	free(j->src->format);
	j->src->format = xstrdup(dname);

	n = GDALDatasetGetLayerCount(j->ds);
	if (n == 0)
		return core_err_set(
		    j->err, CORE_EFORMAT,
		    "%s has no vector layers; nothing to import", j->src->name);
	if (!(j->lyr = imp_layer_pick(j->ds, o->layer, j->src->name, j->err)))
		return j->err->code;
	free(j->src->layer);
	j->src->layer = xstrdup(OGR_L_GetName(j->lyr));
	j->defn = OGR_L_GetLayerDefn(j->lyr);
	OGR_FD_Reference(j->defn);
	j->nfields = OGR_FD_GetFieldCount(j->defn);
	/* No rows at all says more than any missing column would. */
	{
		OGRFeatureH f = OGR_L_GetNextFeature(j->lyr);
		OGR_L_ResetReading(j->lyr);
		if (!f)
			return core_err_set(
			    j->err, CORE_EFORMAT,
			    "%s has no features; nothing to import",
			    j->src->name);
		OGR_F_Destroy(f);
	}
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * The mapping
 * ------------------------------------------------------------------ */

/* "medi_cal", "Medi-Cal", "accepts medi cal" but not "medical". */
static int is_medi_cal_name(const char *s)
{
	const char *p = strcasestr(s, "medi");

	return p && (p[4] == '_' || p[4] == '-' || p[4] == ' ');
}

static int field_used(const struct job *j, int i)
{
	int c;

	for (c = 0; c < IMP_COL_COUNT; c++)
		if (j->col[c] == i)
			return 1;
	return 0;
}

static int guess_col(struct job *j, enum imp_col c)
{
	const char *const *g = colspecs[c].guess;
	int i;

	if (c == IMP_COL_NAME && j->o->kind == IMP_AREAS)
		g = area_name_guess;
	for (; *g; g++)
		for (i = 0; i < j->nfields; i++) {
			if (field_used(j, i) || !imp_name_eq(fname(j, i), *g))
				continue;
			if (c == IMP_COL_MEDI_CAL &&
			    !is_medi_cal_name(fname(j, i)))
				continue;
			return i;
		}
	return -1;
}

static void guess_list(const struct job *j, enum imp_col c, struct core_buf *b)
{
	const char *const *g = colspecs[c].guess;

	if (c == IMP_COL_NAME && j->o->kind == IMP_AREAS)
		g = area_name_guess;
	for (; *g; g++)
		core_buf_addf(b, "%s%s", b->len ? ", " : "", *g);
}

/*
 * Decide which field feeds each column j->col[] (-1: none): first the
 * names the user gave (each must exist; --category may instead name
 * categories, see resolve_category), then --category-from's columns
 * into j->from, then guesses from colspecs for the columns left that
 * apply to this kind.  For assets it also decides j->use_geom (the
 * layer's points, unless --lon or --lat was given).  Returns CORE_OK, or
 * CORE_EFORMAT with j->err naming the file's columns when a given column
 * is missing or one the kind needs (an asset's name and location, a
 * GEOID, areas' polygons) cannot be found; CORE_EUSAGE for an empty
 * --category-from.
 */
static int map_columns(struct job *j)
{
	const struct imp_ogr_opts *o = j->o;
	unsigned kind = 1u << o->kind;
	int c, i;

	/* Given names first: each must exist. */
	for (c = 0; c < IMP_COL_COUNT; c++) {
		if (!o->col[c] || c == IMP_COL_CATEGORY)
			continue;
		i = OGR_FD_GetFieldIndex(j->defn, o->col[c]);
		if (i < 0) {
			char *m =
			    xasprintf("%s: no column '%s' (given with --%s)",
				      j->src->name, o->col[c], colspecs[c].opt);
			fail_columns(j, CORE_EFORMAT, m);
			free(m);
			return CORE_EFORMAT;
		}
		j->col[c] = i;
	}
	if (o->col[IMP_COL_CATEGORY])
		j->col[IMP_COL_CATEGORY] =
		    OGR_FD_GetFieldIndex(j->defn, o->col[IMP_COL_CATEGORY]);
	if (o->category_from) {
		struct imp_strlist l = {0};
		size_t k;
		imp_strlist_split(&l, o->category_from, ",", 0);
		j->from = xcalloc(l.n + 1, sizeof(*j->from));
		for (k = 0; k < l.n; k++) {
			i = OGR_FD_GetFieldIndex(j->defn, l.v[k]);
			if (i < 0) {
				char *m = xasprintf("%s: no column '%s' (given "
						    "with --category-from)",
						    j->src->name, l.v[k]);
				fail_columns(j, CORE_EFORMAT, m);
				free(m);
				imp_strlist_free(&l);
				return CORE_EFORMAT;
			}
			j->from[j->nfrom++] = i;
		}
		imp_strlist_free(&l);
		if (!j->nfrom)
			return core_err_set(j->err, CORE_EUSAGE,
					    "--category-from: give one or more "
					    "column names, separated by ','");
	}

	if (o->kind == IMP_ASSETS) {
		if (o->col[IMP_COL_LON] || o->col[IMP_COL_LAT])
			j->use_geom = 0;
		else
			j->use_geom = OGR_FD_GetGeomFieldCount(j->defn) > 0 &&
				      geom_type(j) != wkbNone;
	}
	/* Then guesses, for the columns left. */
	for (c = 0; c < IMP_COL_COUNT; c++) {
		if (o->col[c] || !(colspecs[c].kinds & kind))
			continue;
		if ((c == IMP_COL_LON || c == IMP_COL_LAT) && j->use_geom)
			continue;
		/* Setting areas' population from an indicators table is
		 * only done when asked for. */
		if (c == IMP_COL_POPULATION && o->kind == IMP_INDICATORS)
			continue;
		j->col[c] = guess_col(j, c);
	}

	if (o->kind == IMP_ASSETS && j->col[IMP_COL_NAME] < 0) {
		struct core_buf b = CORE_BUF_INIT;
		char *m;
		guess_list(j, IMP_COL_NAME, &b);
		m = xasprintf("%s: no column for the asset's name (looked for "
			      "%s); give it with --name COL",
			      j->src->name, core_buf_str(&b));
		fail_columns(j, CORE_EFORMAT, m);
		free(m);
		core_buf_release(&b);
		return CORE_EFORMAT;
	}
	/* Without coordinates, an address column is geocoded. */
	if (o->kind == IMP_ASSETS && !j->use_geom &&
	    (j->col[IMP_COL_LON] < 0 || j->col[IMP_COL_LAT] < 0) &&
	    (j->col[IMP_COL_ADDRESS] < 0 || j->col[IMP_COL_LON] >= 0 ||
	     j->col[IMP_COL_LAT] >= 0)) {
		char *m = xasprintf(
		    "%s has no point geometry and no %s column; give the "
		    "coordinate columns with --lon COL --lat COL, or an "
		    "address column to geocode with --address COL",
		    j->src->name,
		    j->col[IMP_COL_LON] < 0 ? "longitude" : "latitude");
		fail_columns(j, CORE_EFORMAT, m);
		free(m);
		return CORE_EFORMAT;
	}
	/* A neighbourhood is known by its name unless --geoid says. */
	if (o->kind == IMP_AREAS && o->level &&
	    strcmp(o->level, "neighborhood") == 0 && !o->col[IMP_COL_GEOID]) {
		if (j->col[IMP_COL_NAME] < 0) {
			struct core_buf b = CORE_BUF_INIT;
			char *m;
			guess_list(j, IMP_COL_NAME, &b);
			m = xasprintf(
			    "%s: no column for the neighborhoods' names "
			    "(looked for %s); give it with --name COL",
			    j->src->name, core_buf_str(&b));
			fail_columns(j, CORE_EFORMAT, m);
			free(m);
			core_buf_release(&b);
			return CORE_EFORMAT;
		}
		j->col[IMP_COL_GEOID] = j->col[IMP_COL_NAME];
	}
	if ((o->kind == IMP_AREAS || o->kind == IMP_INDICATORS) &&
	    j->col[IMP_COL_GEOID] < 0) {
		struct core_buf b = CORE_BUF_INIT;
		char *m;
		guess_list(j, IMP_COL_GEOID, &b);
		m = xasprintf("%s: no GEOID column (looked for %s); give it "
			      "with --geoid COL",
			      j->src->name, core_buf_str(&b));
		fail_columns(j, CORE_EFORMAT, m);
		free(m);
		core_buf_release(&b);
		return CORE_EFORMAT;
	}
	if (o->kind == IMP_AREAS &&
	    (OGR_FD_GetGeomFieldCount(j->defn) == 0 || geom_type(j) == wkbNone))
		return core_err_set(
		    j->err, CORE_EFORMAT,
		    "%s has no geometries; areas need polygons (e.g. a "
		    "TIGER/Line shapefile or a GeoJSON of tracts)",
		    j->src->name);
	return CORE_OK;
}

/* assets: --category names a column, or categories for every row, each
 * a code, a name or a crosswalk term (imp_xwalk_category). */
static int resolve_category(struct job *j)
{
	const char *x = j->o->col[IMP_COL_CATEGORY];
	struct imp_strlist items = {0};
	struct core_buf b = CORE_BUF_INIT;
	size_t i;
	int rc = CORE_OK;

	if (!x || j->col[IMP_COL_CATEGORY] >= 0)
		return CORE_OK;
	imp_strlist_split(&items, x, ",;", 0);
	for (i = 0; i < items.n; i++) {
		struct imp_xwalk_hits h;
		size_t k;

		imp_xwalk_hits_clear(&h);
		if (imp_xwalk_category(j->xw, items.v[i], &h)) {
			for (k = 0; k < h.ncategories; k++)
				imp_strlist_add(&j->fixed_cats,
						xstrdup(h.categories[k]));
			continue;
		}
		core_buf_addf(&b,
			      "--category: '%s' is neither a column of %s (",
			      items.n > 1 ? items.v[i] : x, j->src->name);
		add_columns(j, &b);
		core_buf_adds(&b, ") nor a category; ");
		imp_xwalk_category_hint(j->xw, items.v[i], &b);
		rc = core_err_set(j->err, CORE_EUSAGE, "%s", core_buf_str(&b));
		goto cleanup;
	}
	if (items.n == 0)
		rc = core_err_set(j->err, CORE_EUSAGE,
				  "--category: give a column name or category "
				  "codes, not an empty value");
cleanup:
	imp_strlist_free(&items);
	core_buf_release(&b);
	return rc;
}

/*
 * Record in j->src->options the options this import amounts to, as a
 * command line would give them (the layer when there is a choice, the
 * level, each mapped column, the fixed categories, the indicator value
 * columns, year and missing markers, --category-from, --no-merge,
 * --skip-bad), so the sources table says how the file was read.  For
 * indicators it also sets j->stats->columns (when stats is given).
 */
static void build_options(struct job *j)
{
	const struct imp_ogr_opts *o = j->o;
	struct core_buf b = CORE_BUF_INIT;
	char num[32];
	int c;
	size_t i;

	if (o->layer || (j->ds && GDALDatasetGetLayerCount(j->ds) > 1))
		imp_opt_add(&b, "layer", j->src->layer);
	if (o->kind == IMP_AREAS)
		imp_opt_add(&b, "level", o->level);
	for (c = 0; c < IMP_COL_COUNT; c++) {
		if (c == IMP_COL_CATEGORY && j->fixed_cats.n) {
			struct core_buf l = CORE_BUF_INIT;
			for (i = 0; i < j->fixed_cats.n; i++)
				core_buf_addf(&l, "%s%s", i ? "," : "",
					      j->fixed_cats.v[i]);
			imp_opt_add(&b, "category", core_buf_str(&l));
			core_buf_release(&l);
		} else if (j->col[c] >= 0) {
			imp_opt_add(&b, colspecs[c].opt, fname(j, j->col[c]));
		}
	}
	if (o->kind == IMP_INDICATORS) {
		struct core_buf l = CORE_BUF_INIT;
		for (i = 0; i < j->nvcols; i++)
			core_buf_addf(&l, "%s%s", i ? "," : "",
				      fname(j, j->vcols[i]));
		imp_opt_add(&b, "columns", core_buf_str(&l));
		if (j->stats) {
			free(j->stats->columns);
			j->stats->columns = core_buf_detach(&l);
		}
		core_buf_release(&l);
		if (o->level)
			imp_opt_add(&b, "level", o->level);
		if (o->year) {
			snprintf(num, sizeof(num), "%ld", o->year);
			imp_opt_add(&b, "year", num);
		}
		if (o->missing)
			imp_opt_add(&b, "missing", o->missing);
	}
	if (o->category_from)
		imp_opt_add(&b, "category-from", o->category_from);
	if (o->no_merge && o->kind == IMP_ASSETS)
		core_buf_addf(&b, "%s--no-merge", b.len ? " " : "");
	if (j->worst)
		imp_opt_add(&b, "geocode-worst", geo_gc_level_name(j->worst));
	if (o->skip_bad)
		core_buf_addf(&b, "%s--skip-bad", b.len ? " " : "");
	free(j->src->options);
	j->src->options = core_buf_detach(&b);
}

/* ---------------------------------------------------------------------
 * Coordinates
 * ------------------------------------------------------------------ */

static int setup_crs(struct job *j)
{
	if (!j->lyr)
		return CORE_OK; /* CSV: WGS84 lon/lat */
	return imp_crs_setup(&j->crs, j->lyr, j->src->name, &j->msgs, j->err);
}

/* Why coordinates outside lon/lat range are wrong, for this layer. */
static const char *range_reason(const struct job *j)
{
	if (j->crs.ct)
		return "is out of range after reprojecting to WGS84: longitude "
		       "must be between -180 and 180 and latitude between -90 "
		       "and 90 (is the file's CRS right?)";
	if (j->crs.srs)
		return "is out of range; the file says it is WGS84, so "
		       "longitude must be between -180 and 180 and latitude "
		       "between -90 and 90 (if the coordinates are projected, "
		       "the file must say so)";
	return "is out of range; the layer has no CRS, so coordinates are read "
	       "as WGS84 longitude (-180 to 180) and latitude (-90 to 90); if "
	       "they are projected, add the CRS (e.g. the shapefile's .prj)";
}

/* ---------------------------------------------------------------------
 * Assets
 * ------------------------------------------------------------------ */

/* One coordinate from a column; 1 when *out is set, 0 after a reject.
 * lon is the longitude already read, for a hint when they look swapped. */
static int coord_from_col(struct job *j, OGRFeatureH f, long line,
			  enum imp_col c, double *out, double lon_val, int *rc)
{
	int lon = c == IMP_COL_LON;
	const char *what = lon ? "longitude" : "latitude";
	double lim = lon ? 180 : 90;
	char *v = get(j, f, c);
	int ok = 0;

	if (!v) {
		*rc =
		    imp_reject(j->ws, j->src, line, colname(j, c), NULL, j->err,
			       "has no value; every asset needs a %s (decimal "
			       "degrees, e.g. %s)",
			       what, lon ? "-122.4194" : "37.7749");
	} else if (!imp_parse_number(v, out)) {
		*rc =
		    imp_reject(j->ws, j->src, line, colname(j, c), v, j->err,
			       "is not a number; %s must be decimal degrees "
			       "between %g and %g, e.g. %s",
			       what, -lim, lim, lon ? "-122.4194" : "37.7749");
	} else if (*out < -lim || *out > lim) {
		*rc = imp_reject(
		    j->ws, j->src, line, colname(j, c), v, j->err,
		    "is out of range; %s must be between %g and %g%s", what,
		    -lim, lim,
		    !lon && fabs(*out) <= 180 && fabs(lon_val) <= 90
			? " (are the longitude and latitude columns swapped?)"
			: "");
	} else {
		ok = 1;
	}
	free(v);
	return ok;
}

/* The asset's point; 1 when set, 0 after a reject. */
static int asset_point(struct job *j, OGRFeatureH f, long line, double *x,
		       double *y, int *rc)
{
	OGRGeometryH g;
	OGRwkbGeometryType t;
	char val[96];

	if (!j->use_geom)
		return coord_from_col(j, f, line, IMP_COL_LON, x, 0, rc) &&
		       coord_from_col(j, f, line, IMP_COL_LAT, y, *x, rc);
	g = OGR_F_GetGeometryRef(f);
	if (!g || OGR_G_IsEmpty(g)) {
		*rc =
		    imp_reject(j->ws, j->src, line, "geometry", NULL, j->err,
			       "is empty; every asset needs a point location");
		return 0;
	}
	t = wkbFlatten(OGR_G_GetGeometryType(g));
	if (t == wkbMultiPoint && OGR_G_GetGeometryCount(g) == 1)
		g = OGR_G_GetGeometryRef(g, 0);
	else if (t != wkbPoint) {
		*rc = imp_reject(
		    j->ws, j->src, line, "geometry", NULL, j->err,
		    "is a %s, not a point; assets are points (convert polygons "
		    "to points first, e.g. with ogr2ogr -dialect sqlite -sql "
		    "'SELECT *, PointOnSurface(geometry) ...')",
		    OGR_G_GetGeometryName(g));
		return 0;
	}
	*x = OGR_G_GetX(g, 0);
	*y = OGR_G_GetY(g, 0);
	snprintf(val, sizeof(val), "POINT (%.10g %.10g)", *x, *y);
	if (j->crs.ct && !OCTTransform(j->crs.ct, 1, x, y, NULL)) {
		*rc =
		    imp_reject(j->ws, j->src, line, "geometry", val, j->err,
			       "cannot be reprojected from %s to WGS84 lon/lat",
			       j->crs.name);
		return 0;
	}
	if (!imp_lonlat_ok(*x, *y)) {
		*rc = imp_reject(j->ws, j->src, line, "geometry", val, j->err,
				 "%s", range_reason(j));
		return 0;
	}
	return 1;
}

/* 1 when row f has no point at all: no geometry (or an empty one), or
 * both coordinate columns absent or empty. */
static int point_missing(struct job *j, OGRFeatureH f)
{
	OGRGeometryH g;
	char *x, *y;
	int none;

	if (j->use_geom) {
		g = OGR_F_GetGeometryRef(f);
		return !g || OGR_G_IsEmpty(g);
	}
	x = get(j, f, IMP_COL_LON);
	y = get(j, f, IMP_COL_LAT);
	none = !x && !y;
	free(x);
	free(y);
	return none;
}

/*
 * Place row line, which has no point, by its address v[IMP_COL_ADDRESS]
 * (with city, state and ZIP when mapped) through j->gc: 1 with *x, *y
 * and *quality (the level's name) set, 0 after rejecting the row with
 * the geocoder's reason (*rc the reject's status, or the error of
 * loading the geocoder).
 */
static int asset_geocode(struct job *j, long line, char *const *v, double *x,
			 double *y, const char **quality, int *rc)
{
	struct imp_gc_place p;
	char why[512];

	if ((*rc = imp_gc_place(&j->gc, v[IMP_COL_ADDRESS], v[IMP_COL_CITY],
				v[IMP_COL_STATE], v[IMP_COL_ZIP], &p, j->err)))
		return 0;
	if (p.level == GEO_GC_NONE) {
		*rc =
		    imp_reject(j->ws, j->src, line, colname(j, IMP_COL_ADDRESS),
			       v[IMP_COL_ADDRESS], j->err, "%s",
			       imp_gc_reject_why(&p, 0, why, sizeof(why)));
		return 0;
	}
	*x = p.lon;
	*y = p.lat;
	*quality = geo_gc_level_name(p.level);
	return 1;
}

/* Codes in a list cell: 1 when all are known, 0 after a reject.
 * Categories are resolved by imp_xwalk_category (its programs land in
 * progs), never guessed, and every value is recorded in the source's
 * terms under the vocabulary "category", so that those that matched
 * nothing are listed after the import. */
static int codes_of(struct job *j, OGRFeatureH f, long line, enum imp_col c,
		    const struct codes *table, const char *what,
		    struct imp_strlist *out, struct imp_strlist *progs, int *rc)
{
	struct imp_strlist items = {0};
	char *v = get(j, f, c);
	int is_cat = table == &j->cats;
	size_t i, k;
	int ok = 1;

	if (!v)
		return 1;
	imp_strlist_split(&items, v, ",;", 0);
	for (i = 0; i < items.n && ok; i++) {
		struct core_buf b = CORE_BUF_INIT;
		const char *code;
		struct imp_xwalk_hits h;

		imp_xwalk_hits_clear(&h);
		if (is_cat && imp_xwalk_category(j->xw, items.v[i], &h)) {
			imp_xwalk_note(j->xw, "category", items.v[i], &h);
			for (k = 0; k < h.ncategories; k++)
				imp_strlist_add(out, xstrdup(h.categories[k]));
			for (k = 0; k < h.nprograms; k++)
				imp_strlist_add(progs, xstrdup(h.programs[k]));
			continue;
		}
		if (!is_cat && (code = codes_find(table, items.v[i]))) {
			imp_strlist_add(out, xstrdup(code));
			continue;
		}
		if (is_cat) {
			imp_xwalk_note(j->xw, "category", items.v[i], NULL);
			imp_xwalk_category_hint(j->xw, items.v[i], &b);
			*rc = imp_reject(j->ws, j->src, line, colname(j, c),
					 items.v[i], j->err,
					 "is not a category (to map it, add it "
					 "to data/taxonomy/crosswalk.csv); %s",
					 core_buf_str(&b));
		} else {
			codes_list(table, &b);
			*rc = imp_reject(j->ws, j->src, line, colname(j, c),
					 items.v[i], j->err,
					 "is not a %s; valid codes are %s (see "
					 "'assetmap categories --programs')",
					 what, core_buf_str(&b));
		}
		core_buf_release(&b);
		ok = 0;
	}
	imp_strlist_free(&items);
	free(v);
	return ok;
}

/* --category-from: the keywords found in free-text columns.  Each item
 * of a cell (split at ';', ',' and '|') is a term of the source, under
 * the vocabulary "keyword", when it is short enough to be one. */
static void categories_from(struct job *j, OGRFeatureH f,
			    struct imp_strlist *cats, struct imp_strlist *progs)
{
	size_t c, i, k;

	for (c = 0; c < j->nfrom; c++) {
		struct imp_strlist items = {0};
		char *v = field_value(j, f, j->from[c]);
		if (!v)
			continue;
		imp_strlist_split(&items, v, ";,|", 0);
		for (i = 0; i < items.n; i++) {
			struct imp_xwalk_hits h;
			imp_xwalk_hits_clear(&h);
			if (strlen(items.v[i]) <= 60)
				imp_xwalk_term(j->xw, "keyword", items.v[i],
					       &h);
			else
				imp_xwalk_search(j->xw, "keyword", items.v[i],
						 &h);
			for (k = 0; k < h.ncategories; k++)
				imp_strlist_add(cats, xstrdup(h.categories[k]));
			for (k = 0; k < h.nprograms; k++)
				imp_strlist_add(progs, xstrdup(h.programs[k]));
		}
		imp_strlist_free(&items);
		free(v);
	}
}

/*
 * Write feature f (row line) as an asset through j->aw: its text
 * columns, point (from the geometry or lon/lat columns, reprojected to
 * WGS84), categories (fixed by --category, from the category column, or
 * found by --category-from), programs, Medi-Cal flag, capacity and
 * languages.  A row with no name, no usable point, an unknown category
 * or program, or a bad Medi-Cal or capacity value is rejected
 * (imp_reject) and not written.  Returns CORE_OK (also after a reject),
 * or an error from imp_reject or the asset writer with j->err set.
 */
static int row_asset(struct job *j, OGRFeatureH f, long line)
{
	static const enum imp_col text[] = {
	    IMP_COL_ID,		 IMP_COL_NAME,	     IMP_COL_ORGANIZATION,
	    IMP_COL_ADDRESS,	 IMP_COL_CITY,	     IMP_COL_STATE,
	    IMP_COL_ZIP,	 IMP_COL_PHONE,	     IMP_COL_WEBSITE,
	    IMP_COL_EMAIL,	 IMP_COL_HOURS,	     IMP_COL_LANGUAGES,
	    IMP_COL_ELIGIBILITY, IMP_COL_DESCRIPTION};
	char *v[IMP_COL_COUNT] = {0};
	struct imp_strlist cats = {0}, progs = {0};
	struct imp_asset a;
	double x = 0, y = 0, cap = 0;
	const char *quality = NULL;
	int medi = -1, has_cap = 0, rc = CORE_OK;
	size_t i;

	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		v[text[i]] = get(j, f, text[i]);
	if (!v[IMP_COL_NAME]) {
		rc = imp_reject(j->ws, j->src, line, colname(j, IMP_COL_NAME),
				NULL, j->err,
				"has no value; every asset needs a name");
		goto cleanup;
	}
	if (v[IMP_COL_ADDRESS] && point_missing(j, f)) {
		if (!asset_geocode(j, line, v, &x, &y, &quality, &rc))
			goto cleanup;
	} else if (!asset_point(j, f, line, &x, &y, &rc)) {
		goto cleanup;
	}
	if (j->fixed_cats.n) {
		for (i = 0; i < j->fixed_cats.n; i++)
			imp_strlist_add(&cats, xstrdup(j->fixed_cats.v[i]));
	} else if (j->col[IMP_COL_CATEGORY] >= 0 &&
		   !codes_of(j, f, line, IMP_COL_CATEGORY, &j->cats, "category",
			     &cats, &progs, &rc)) {
		goto cleanup;
	}
	if (j->nfrom)
		categories_from(j, f, &cats, &progs);
	if (j->col[IMP_COL_PROGRAMS] >= 0 &&
	    !codes_of(j, f, line, IMP_COL_PROGRAMS, &j->progs,
		      "Medi-Cal Community Support", &progs, NULL, &rc))
		goto cleanup;
	if ((v[IMP_COL_MEDI_CAL] = get(j, f, IMP_COL_MEDI_CAL))) {
		medi = imp_parse_bool(v[IMP_COL_MEDI_CAL]);
		if (medi < 0) {
			rc = imp_reject(
			    j->ws, j->src, line, colname(j, IMP_COL_MEDI_CAL),
			    v[IMP_COL_MEDI_CAL], j->err,
			    "is not yes or no; whether the site accepts "
			    "Medi-Cal must be yes/no, true/false or 1/0 (or "
			    "empty when unknown)");
			goto cleanup;
		}
	}
	if ((v[IMP_COL_CAPACITY] = get(j, f, IMP_COL_CAPACITY))) {
		if (!imp_parse_number(v[IMP_COL_CAPACITY], &cap) || cap < 0) {
			rc = imp_reject(j->ws, j->src, line,
					colname(j, IMP_COL_CAPACITY),
					v[IMP_COL_CAPACITY], j->err,
					"is not a number of 0 or more; "
					"capacity is how many people, beds or "
					"meals (or empty when unknown)");
			goto cleanup;
		}
		has_cap = 1;
	}
	if (v[IMP_COL_LANGUAGES]) {
		struct imp_strlist l = {0};
		struct core_buf b = CORE_BUF_INIT;
		imp_strlist_split(&l, v[IMP_COL_LANGUAGES], ",;/|", 0);
		for (i = 0; i < l.n; i++)
			core_buf_addf(&b, "%s%s", i ? "," : "", l.v[i]);
		free(v[IMP_COL_LANGUAGES]);
		v[IMP_COL_LANGUAGES] = core_buf_detach(&b);
		imp_strlist_free(&l);
	}

	imp_asset_init(&a);
	a.source_key = v[IMP_COL_ID];
	a.source_line = line;
	a.name = v[IMP_COL_NAME];
	a.organization = v[IMP_COL_ORGANIZATION];
	a.address = v[IMP_COL_ADDRESS];
	a.city = v[IMP_COL_CITY];
	a.state = v[IMP_COL_STATE];
	a.zip = v[IMP_COL_ZIP];
	a.phone = v[IMP_COL_PHONE];
	a.website = v[IMP_COL_WEBSITE];
	a.email = v[IMP_COL_EMAIL];
	a.hours = v[IMP_COL_HOURS];
	a.languages = v[IMP_COL_LANGUAGES];
	a.eligibility = v[IMP_COL_ELIGIBILITY];
	a.description = v[IMP_COL_DESCRIPTION];
	if (has_cap)
		a.capacity = cap;
	a.accepts_medi_cal = medi;
	a.lon = x;
	a.lat = y;
	if (quality)
		a.location_quality = quality;
	a.categories = (const char *const *)cats.v;
	a.ncategories = cats.n;
	a.programs = (const char *const *)progs.v;
	a.nprograms = progs.n;
	if ((rc = imp_asset_write(j->aw, &a, NULL, j->err)))
		goto cleanup;
	j->src->rows_accepted++;
cleanup:
	for (i = 0; i < IMP_COL_COUNT; i++)
		free(v[i]);
	imp_strlist_free(&cats);
	imp_strlist_free(&progs);
	return rc;
}

/* ---------------------------------------------------------------------
 * Areas
 * ------------------------------------------------------------------ */

/* The area's GEOID, checked and zero-padded; NULL after a reject. */
static char *area_geoid(struct job *j, OGRFeatureH f, long line, int *rc)
{
	int i = j->col[IMP_COL_GEOID];
	OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(j->defn, i));
	const char *what = j->o->level ? j->o->level : "";
	char *v = NULL;
	const char *p;

	if (!OGR_F_IsFieldSetAndNotNull(f, i)) {
		*rc = imp_reject(j->ws, j->src, line, fname(j, i), NULL, j->err,
				 "has no value; every row needs a GEOID");
		return NULL;
	}
	if (j->geoid_len &&
	    (t == OFTInteger || t == OFTInteger64 || t == OFTReal)) {
		double d = OGR_F_GetFieldAsDouble(f, i);
		if (d >= 0 && d == floor(d) && d < 1e15)
			v = xasprintf("%0*lld", j->geoid_len, (long long)d);
	}
	if (!v)
		v = field_value(j, f, i);
	if (!v) {
		*rc = imp_reject(j->ws, j->src, line, fname(j, i), NULL, j->err,
				 "has no value; every row needs a GEOID");
		return NULL;
	}
	if (!j->geoid_len)
		return v;
	for (p = v; isdigit((unsigned char)*p); p++)
		;
	if (*p || (int)strlen(v) != j->geoid_len) {
		*rc = imp_reject(
		    j->ws, j->src, line, fname(j, i), v, j->err,
		    "is not a %s GEOID; a %s GEOID is %d digits, e.g. %s%s",
		    what, what, j->geoid_len, level_example(what),
		    !*p && (int)strlen(v) < j->geoid_len
			? " (were leading zeros lost, e.g. by a spreadsheet?)"
			: "");
		free(v);
		return NULL;
	}
	return v;
}

/* A marker of a missing value (--missing), or empty. */
static int is_missing(const struct job *j, const char *v)
{
	size_t k;
	double d;
	int num;

	if (!v || !*v)
		return 1;
	num = imp_parse_number(v, &d);
	for (k = 0; k < j->missing.n; k++)
		if (strcasecmp(v, j->missing.v[k]) == 0 ||
		    (num && !isnan(j->missing_num[k]) &&
		     d == j->missing_num[k]))
			return 1;
	return 0;
}

/* Population from its column: 1 with *has set, 0 after a reject. */
static int population_of(struct job *j, OGRFeatureH f, long line, double *pop,
			 int *has, int *rc)
{
	char *v;

	*has = 0;
	if (j->col[IMP_COL_POPULATION] < 0)
		return 1;
	v = get(j, f, IMP_COL_POPULATION);
	if (!v)
		return 1;
	if (j->o->kind == IMP_INDICATORS && is_missing(j, v)) {
		free(v);
		return 1;
	}
	if (!imp_parse_number(v, pop) || *pop < 0) {
		*rc = imp_reject(j->ws, j->src, line,
				 colname(j, IMP_COL_POPULATION), v, j->err,
				 "is not a number of 0 or more; population "
				 "must be a count of people");
		free(v);
		return 0;
	}
	*has = 1;
	free(v);
	return 1;
}

/* Land area (m2) from its column: 1 with *has set, 0 after a reject. */
static int land_of(struct job *j, OGRFeatureH f, long line, double *land,
		   int *has, int *rc)
{
	char *v;

	*has = 0;
	if (j->col[IMP_COL_LAND] < 0 || !(v = get(j, f, IMP_COL_LAND)))
		return 1;
	if (!imp_parse_number(v, land) || *land < 0) {
		*rc = imp_reject(
		    j->ws, j->src, line, colname(j, IMP_COL_LAND), v, j->err,
		    "is not a number of 0 or more; the land area must be in "
		    "square metres (0 for an area of water only)");
		free(v);
		return 0;
	}
	*has = 1;
	free(v);
	return 1;
}

/*
 * Write feature f (row line) as an area of j->o->level: GEOID, name,
 * population, land area and polygon in WGS84 (repaired where needed,
 * counted in j->stats).  An area with the same GEOID from another source
 * is replaced.  A bad GEOID, population, land area or geometry, or a
 * GEOID repeated in the file, rejects the row (imp_reject).  Returns
 * CORE_OK (also after a reject), or a database error with j->err set.
 */
static int row_area(struct job *j, OGRFeatureH f, long line)
{
	struct imp_area_geom ag;
	char *geoid = NULL, *name = NULL;
	unsigned char *wkb = NULL;
	double pop = 0, land = 0;
	int has_pop = 0, has_land = 0, written, size = 0, rc = CORE_OK;

	if (!(geoid = area_geoid(j, f, line, &rc)))
		goto cleanup;
	name = get(j, f, IMP_COL_NAME);
	if (!population_of(j, f, line, &pop, &has_pop, &rc) ||
	    !land_of(j, f, line, &land, &has_land, &rc))
		goto cleanup;
	ag.crs = &j->crs;
	ag.rule = "areas must be polygons or multipolygons";
	ag.range = range_reason(j);
	ag.msgs = &j->msgs;
	ag.repaired = j->stats ? &j->stats->repaired : NULL;
	if (!(wkb = imp_area_wkb(j->ws, j->src, line, OGR_F_GetGeometryRef(f),
				 &ag, &size, &rc, j->err)))
		goto cleanup;

	sqlite3_bind_int64(j->st[ST_AREA], 1, j->src->id);
	sqlite3_bind_text(j->st[ST_AREA], 2, j->o->level, -1, SQLITE_STATIC);
	sqlite3_bind_text(j->st[ST_AREA], 3, geoid, -1, SQLITE_STATIC);
	if (name)
		sqlite3_bind_text(j->st[ST_AREA], 4, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(j->st[ST_AREA], 4);
	if (has_pop)
		sqlite3_bind_double(j->st[ST_AREA], 5, pop);
	else
		sqlite3_bind_null(j->st[ST_AREA], 5);
	sqlite3_bind_blob(j->st[ST_AREA], 6, wkb, size, SQLITE_STATIC);
	if (has_land)
		sqlite3_bind_double(j->st[ST_AREA], 7, land);
	else
		sqlite3_bind_null(j->st[ST_AREA], 7);
	if ((rc = imp_area_put(j->ws, j->src, line, j->st[ST_ADEL],
			       j->st[ST_AREA], j->o->level, geoid,
			       colname(j, IMP_COL_GEOID), j->o->level, &written,
			       j->err)) ||
	    !written)
		goto cleanup;
	if (has_pop && j->stats)
		j->stats->population_set++;
cleanup:
	/* No statement keeps a pointer to this row's strings. */
	sqlite3_clear_bindings(j->st[ST_ADEL]);
	sqlite3_clear_bindings(j->st[ST_AREA]);
	free(wkb);
	free(geoid);
	free(name);
	return rc;
}

/* ---------------------------------------------------------------------
 * Indicators
 * ------------------------------------------------------------------ */

static void setup_missing(struct job *j)
{
	size_t k;

	imp_strlist_split(&j->missing,
			  j->o->missing ? j->o->missing : default_missing, ",",
			  1);
	j->missing_num = xcalloc(j->missing.n, sizeof(double));
	for (k = 0; k < j->missing.n; k++)
		if (!imp_parse_number(j->missing.v[k], &j->missing_num[k]))
			j->missing_num[k] = NAN;
}

/* The value columns: those named by --columns, else every column whose
 * non-missing values are all numbers (one pass over the file). */
static int choose_columns(struct job *j)
{
	int geo = j->col[IMP_COL_GEOID];
	int *numeric, *any, i;
	OGRFeatureH f;
	int64_t rows = 0;
	long line = 0;
	int rc = CORE_OK;

	j->vcols = xcalloc((size_t)j->nfields + 1, sizeof(int));
	if (j->o->columns) {
		struct imp_strlist l = {0};
		size_t k;
		imp_strlist_split(&l, j->o->columns, ",", 0);
		for (k = 0; k < l.n; k++) {
			i = OGR_FD_GetFieldIndex(j->defn, l.v[k]);
			if (i < 0 || i == geo) {
				char *m =
				    i < 0 ? xasprintf("%s: no column '%s' "
						      "(given with --columns)",
						      j->src->name, l.v[k])
					  : xasprintf(
						"%s: --columns: '%s' is the "
						"GEOID column, not a value",
						j->src->name, l.v[k]);
				fail_columns(j, CORE_EFORMAT, m);
				free(m);
				imp_strlist_free(&l);
				return CORE_EFORMAT;
			}
			j->vcols[j->nvcols++] = i;
		}
		imp_strlist_free(&l);
		if (!j->nvcols)
			return core_err_set(j->err, CORE_EUSAGE,
					    "--columns: give one or more "
					    "column names, separated by ','");
		return CORE_OK;
	}
	numeric = xcalloc((size_t)j->nfields + 1, sizeof(int));
	any = xcalloc((size_t)j->nfields + 1, sizeof(int));
	for (i = 0; i < j->nfields; i++)
		numeric[i] = 1;
	if ((rc = rows_start(j))) {
		free(numeric);
		free(any);
		return rc;
	}
	while ((f = rows_next(j, 0, &line, &rc))) {
		rows++;
		j->line = line;
		for (i = 0; i < j->nfields; i++) {
			char *v;
			double d;
			if (!numeric[i] || i == geo)
				continue;
			v = field_value(j, f, i);
			if (!is_missing(j, v)) {
				if (imp_parse_number(v, &d))
					any[i] = 1;
				else
					numeric[i] = 0;
			}
			free(v);
		}
		OGR_F_Destroy(f);
	}
	if (!rc)
		rc = rows_start(j);
	for (i = 0; i < j->nfields; i++)
		if (i != geo && numeric[i] && any[i])
			j->vcols[j->nvcols++] = i;
	free(numeric);
	free(any);
	if (rc)
		return rc;
	if (rows == 0)
		return core_err_set(
		    j->err, CORE_EFORMAT,
		    j->src->csv_lines
			? "%s has a header but no data rows; nothing to import"
			: "%s has no features; nothing to import",
		    j->src->name);
	if (!j->nvcols) {
		char *m = xasprintf(
		    "%s: no column besides the GEOID (%s) holds only numbers; "
		    "name the value columns with --columns A,B",
		    j->src->name, fname(j, geo));
		fail_columns(j, CORE_EFORMAT, m);
		free(m);
		return CORE_EFORMAT;
	}
	return CORE_OK;
}

static int write_indicator_info(struct job *j)
{
	sqlite3_stmt *st = j->st[ST_INFO];
	size_t k;
	int rc = CORE_OK;

	for (k = 0; k < j->nvcols && !rc; k++) {
		const char *n = fname(j, j->vcols[k]);
		sqlite3_bind_text(st, 1, n, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, n, -1, SQLITE_STATIC);
		if (j->o->year)
			sqlite3_bind_int64(st, 3, j->o->year);
		else
			sqlite3_bind_null(st, 3);
		sqlite3_bind_int64(st, 4, j->src->id);
		rc = core_ws_step(j->ws, j->err, st);
	}
	return rc;
}

/*
 * Write the value columns of feature f (row line) as indicators of its
 * GEOID (missing markers stored as NULL), replacing values of another
 * source; with a population column, also set the areas' population and
 * the population indicator.  A bad GEOID, a value that is neither a
 * number nor a missing marker, a bad population, or a GEOID repeated in
 * the file rejects the row (imp_reject).  Returns CORE_OK (also after a
 * reject), or a database error with j->err set.
 */
static int row_indicator(struct job *j, OGRFeatureH f, long line)
{
	sqlite3_stmt *st = j->st[ST_IND];
	char *geoid = NULL;
	char **vals = xcalloc(j->nvcols + 1, sizeof(char *));
	double *num = xcalloc(j->nvcols + 1, sizeof(double));
	double pop = 0;
	int has_pop = 0, rc = CORE_OK;
	size_t k;

	if (!(geoid = area_geoid(j, f, line, &rc)))
		goto cleanup;
	for (k = 0; k < j->nvcols; k++) {
		vals[k] = field_value(j, f, j->vcols[k]);
		if (is_missing(j, vals[k])) {
			free(vals[k]);
			vals[k] = NULL;
		} else if (!imp_parse_number(vals[k], &num[k])) {
			rc = imp_reject(
			    j->ws, j->src, line, fname(j, j->vcols[k]), vals[k],
			    j->err,
			    "is not a number; give a number, or add this "
			    "marker to --missing if it means 'no value'");
			goto cleanup;
		}
	}
	if (!population_of(j, f, line, &pop, &has_pop, &rc))
		goto cleanup;
	for (k = 0; k < j->nvcols; k++) {
		sqlite3_bind_text(st, 1, geoid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, fname(j, j->vcols[k]), -1,
				  SQLITE_STATIC);
		if (vals[k])
			sqlite3_bind_double(st, 3, num[k]);
		else
			sqlite3_bind_null(st, 3);
		if (j->o->year)
			sqlite3_bind_int64(st, 4, j->o->year);
		else
			sqlite3_bind_null(st, 4);
		sqlite3_bind_int64(st, 5, j->src->id);
		if ((rc = core_ws_step(j->ws, j->err, st)))
			goto cleanup;
		if (sqlite3_changes(j->ws->db) == 0) {
			/* The upsert keeps rows of this source: a repeat. */
			rc =
			    imp_reject(j->ws, j->src, line,
				       colname(j, IMP_COL_GEOID), geoid, j->err,
				       "appears more than once in the file; "
				       "each area must have one row");
			goto cleanup;
		}
		if (j->stats) {
			j->stats->values++;
			if (!vals[k])
				j->stats->missing++;
		}
	}
	if (has_pop) {
		sqlite3_stmt *p = j->st[ST_POP];
		sqlite3_bind_double(p, 1, pop);
		sqlite3_bind_text(p, 2, geoid, -1, SQLITE_STATIC);
		if (j->o->level)
			sqlite3_bind_text(p, 3, j->o->level, -1, SQLITE_STATIC);
		if ((rc = core_ws_step(j->ws, j->err, p)))
			goto cleanup;
		if (j->stats)
			j->stats->population_set += sqlite3_changes(j->ws->db);
		p = j->st[ST_POPIND];
		sqlite3_bind_text(p, 1, geoid, -1, SQLITE_STATIC);
		sqlite3_bind_double(p, 2, pop);
		if (j->o->year)
			sqlite3_bind_int64(p, 3, j->o->year);
		else
			sqlite3_bind_null(p, 3);
		sqlite3_bind_int64(p, 4, j->src->id);
		if ((rc = core_ws_step(j->ws, j->err, p)))
			goto cleanup;
	}
	j->src->rows_accepted++;
cleanup:
	sqlite3_clear_bindings(st);
	if (j->st[ST_POP])
		sqlite3_clear_bindings(j->st[ST_POP]);
	if (j->st[ST_POPIND])
		sqlite3_clear_bindings(j->st[ST_POPIND]);
	for (k = 0; k < j->nvcols; k++)
		free(vals[k]);
	free(vals);
	free(num);
	free(geoid);
	return rc;
}

/*
 * After the rows, as the TIGER, ACS and SVI importers do (core_area.h):
 * polygons without a population in the file get the one an earlier
 * table left in the population indicator, and the derived flags
 * (zero population; water only) are recomputed for the level.
 */
static int area_flags(struct job *j)
{
	const char *level = j->o->level;
	int64_t filled = 0, n;
	int rc;

	if (j->o->kind == IMP_ASSETS ||
	    (j->o->kind == IMP_INDICATORS && j->col[IMP_COL_POPULATION] < 0))
		return CORE_OK;
	if (j->o->kind == IMP_AREAS) {
		if ((rc = core_area_population_fill(j->ws, level, &filled,
						    j->err)))
			return rc;
		if (j->stats)
			j->stats->population_set += filled;
	}
	if ((rc = core_area_flags_update(j->ws, level, NULL, j->err)))
		return rc;
	n = core_area_count_flagged(j->ws, level, AREA_FLAG_NO_POP, j->err);
	if (n < 0)
		return CORE_EDB;
	if (j->stats)
		j->stats->no_population = n;
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * The import
 * ------------------------------------------------------------------ */

/*
 * Check the options for what can be told without the file: a known
 * kind, a path, column options and --level, --columns, --year,
 * --missing, --category-from and --no-merge only where they apply, and
 * a known census level (setting j->geoid_len).  Returns CORE_OK, or
 * CORE_EUSAGE with j->err set.
 */
static int check_opts(struct job *j)
{
	const struct imp_ogr_opts *o = j->o;
	unsigned kind = 1u << o->kind;
	int c;

	if ((unsigned)o->kind > IMP_INDICATORS)
		return core_err_set(j->err, CORE_EUSAGE,
				    "unknown import kind %d", (int)o->kind);
	if (!o->path)
		return core_err_set(j->err, CORE_EUSAGE, "no file to import");
	for (c = 0; c < IMP_COL_COUNT; c++)
		if (o->col[c] && !(colspecs[c].kinds & kind))
			return core_err_set(j->err, CORE_EUSAGE,
					    "--%s does not apply to import %s",
					    colspecs[c].opt,
					    kind_names[o->kind]);
	if (o->kind == IMP_AREAS && !o->level)
		return core_err_set(j->err, CORE_EUSAGE,
				    "import areas needs --level "
				    "state|county|tract|blockgroup|zcta|"
				    "neighborhood");
	if (o->level && !imp_level_geoid_len(o->level, &j->geoid_len))
		return core_err_set(
		    j->err, CORE_EUSAGE,
		    "--level: '%s' is not an area level; %sgive "
		    "state, county, tract, blockgroup, zcta or "
		    "neighborhood",
		    o->level,
		    strncasecmp(o->level, "neighbo", 7) == 0
			? "did you mean 'neighborhood'? "
			: "");
	if (o->kind == IMP_ASSETS && o->level)
		return core_err_set(j->err, CORE_EUSAGE,
				    "--level does not apply to import assets");
	if (o->kind != IMP_INDICATORS && (o->columns || o->year || o->missing))
		return core_err_set(j->err, CORE_EUSAGE,
				    "--%s applies to import indicators only",
				    o->columns ? "columns"
				    : o->year  ? "year"
					       : "missing");
	if (o->kind != IMP_ASSETS &&
	    (o->category_from || o->no_merge || o->geocode_worst))
		return core_err_set(j->err, CORE_EUSAGE,
				    "--%s applies to import assets only",
				    o->category_from ? "category-from"
				    : o->no_merge    ? "no-merge"
						     : "geocode-worst");
	return imp_gc_worst_opt(o->geocode_worst, &j->worst, j->err);
}

/*
 * Inside the import's transaction, make what the rows are written with:
 * for assets a bulk asset writer (j->aw), for areas the delete and
 * insert statements, for indicators the upsert and indicator_info
 * statements and, with a population column, the statements setting the
 * areas' population and the population indicator.  The caller finalizes
 * j->st[] and frees j->aw.  Returns CORE_OK, or the workspace's error.
 */
static int prepare(struct job *j)
{
	static const char *const sql[ST_COUNT] = {
	    [ST_ADEL] = "DELETE FROM areas WHERE level = ? AND geoid = ? AND "
			"source_id IS NOT ?",
	    [ST_AREA] =
		"INSERT INTO areas(source_id, level, geoid, name, population, "
		"geom, land_m2)"
		" VALUES(?1, ?2, ?3, ?4, ?5, GeomFromWKB(?6, 4326), ?7)",
	    /* Rows of another source are replaced; a repeat within this
	     * source changes nothing, which the caller detects. */
	    [ST_IND] =
		"INSERT INTO indicators(geoid, name, value, year, source_id)"
		" VALUES(?1, ?2, ?3, ?4, ?5)"
		" ON CONFLICT(geoid, name) DO UPDATE SET value = "
		"excluded.value,"
		" moe = NULL, year = excluded.year, source_id = "
		"excluded.source_id"
		" WHERE indicators.source_id IS NOT excluded.source_id",
	    [ST_INFO] = "INSERT OR REPLACE INTO indicator_info(name, label, "
			"unit, year, source_id)"
			" VALUES(?, ?, NULL, ?, ?)",
	    [ST_POP] = NULL,
	    [ST_POPIND] = NULL,
	};
	int first, last, s, rc;

	switch (j->o->kind) {
	case IMP_ASSETS:
		if ((rc = imp_asset_writer_new(j->ws, j->src, !j->o->no_merge,
					       &j->aw, j->err)))
			return rc;
		return imp_asset_writer_bulk(j->aw, j->err);
	case IMP_AREAS:
		first = ST_ADEL, last = ST_AREA;
		break;
	default:
		first = ST_IND, last = ST_INFO;
		break;
	}
	for (s = first; s <= last; s++)
		if ((rc = core_ws_prepare(j->ws, j->err, &j->st[s], sql[s])))
			return rc;
	/* A population column: the areas' population now, and (as the
	 * census importers do, core_area.h) the population indicator, from
	 * which polygons imported later get theirs. */
	if (j->o->kind == IMP_INDICATORS && j->col[IMP_COL_POPULATION] >= 0 &&
	    ((rc = core_ws_prepare(
		  j->ws, j->err, &j->st[ST_POP],
		  j->o->level
		      ? "UPDATE areas SET population = ? WHERE geoid = ? AND "
			"level = ?"
		      : "UPDATE areas SET population = ? WHERE geoid = ?")) ||
	     (rc = core_ws_prepare(
		  j->ws, j->err, &j->st[ST_POPIND],
		  "INSERT INTO indicators(geoid, name, value, year, source_id)"
		  " VALUES(?1, '" AREA_POPULATION_INDICATOR "', ?2, ?3, ?4)"
		  " ON CONFLICT(geoid, name) DO UPDATE SET value = "
		  "excluded.value,"
		  " moe = NULL, year = excluded.year,"
		  " source_id = excluded.source_id"))))
		return rc;
	return CORE_OK;
}

static int read_rows(struct job *j)
{
	OGRFeatureH f;
	long line = 0;
	int rc = CORE_OK;

	if (j->lyr) {
		imp_layer_start(j->lyr, j->src, &j->prog, &j->label);
	} else {
		j->label = xasprintf("importing %s", j->src->name);
		core_progress_start(&j->prog, j->label, 0);
		if ((rc = rows_start(j)))
			return rc;
	}
	while ((f = rows_next(j, 1, &line, &rc))) {
		j->line = line;
		imp_xwalk_next_row(j->xw);
		switch (j->o->kind) {
		case IMP_ASSETS:
			rc = row_asset(j, f, line);
			break;
		case IMP_AREAS:
			rc = row_area(j, f, line);
			break;
		default:
			rc = row_indicator(j, f, line);
			break;
		}
		OGR_F_Destroy(f);
		if (rc)
			break;
		core_progress_tick(&j->prog, j->src->rows_read);
	}
	core_progress_end(&j->prog);
	return rc;
}

int imp_ogr_import(struct core_ws *ws, const struct imp_ogr_opts *o,
		   struct imp_source *src, struct imp_ogr_stats *stats,
		   struct core_err *err)
{
	struct job j;
	struct imp_bulk bulk = {0};
	int c, s, rc;

	memset(&j, 0, sizeof(j));
	j.ws = ws;
	j.o = o;
	j.src = src;
	j.stats = stats;
	j.err = err;
	for (c = 0; c < IMP_COL_COUNT; c++)
		j.col[c] = -1;
	j.wkt_col = -1;
	imp_gc_init(&j.gc, ws, 0);
	src->skip_bad = o->skip_bad;
	imp_gdal_init();
	imp_gdal_push(&j.msgs);

	if ((rc = check_opts(&j)) || (rc = open_file(&j)) ||
	    (rc = map_columns(&j)))
		goto cleanup;
	imp_gc_init(&j.gc, ws, j.worst);
	if (o->kind != IMP_INDICATORS && (rc = setup_crs(&j)))
		goto cleanup;
	if (o->kind == IMP_ASSETS &&
	    ((rc = codes_load(
		  ws, "SELECT code, name FROM categories ORDER BY sort, code",
		  &j.cats, err)) ||
	     (rc = codes_load(
		  ws, "SELECT code, name FROM programs ORDER BY sort, code",
		  &j.progs, err)) ||
	     (rc = imp_xwalk_new(ws, &j.xw, err)) ||
	     (rc = resolve_category(&j))))
		goto cleanup;
	if (o->kind == IMP_INDICATORS) {
		setup_missing(&j);
		if ((rc = choose_columns(&j)))
			goto cleanup;
		if (stats)
			stats->ncolumns = (int64_t)j.nvcols;
	}
	build_options(&j);

	if ((rc = imp_bulk_begin(ws, &bulk, err)))
		goto cleanup;
	if ((rc = core_ws_begin(ws, err)) ||
	    (rc = imp_source_open(ws, src, err)) || (rc = prepare(&j)))
		goto cleanup;
	if (o->kind == IMP_INDICATORS && (rc = write_indicator_info(&j)))
		goto cleanup;
	if ((rc = read_rows(&j)) || (rc = imp_asset_writer_finish(j.aw, err)) ||
	    (rc = area_flags(&j)) ||
	    (rc = imp_xwalk_save(j.xw, ws, src->id, err)) ||
	    (rc = imp_source_close(ws, src, err)))
		goto cleanup;
	imp_asset_writer_free(j.aw);
	j.aw = NULL;
	rc = core_ws_commit(ws, err);
cleanup:
	imp_asset_writer_free(j.aw);
	if (rc)
		core_ws_rollback(ws);
	imp_bulk_end(ws, &bulk);
	core_progress_end(&j.prog);
	for (s = 0; s < ST_COUNT; s++)
		sqlite3_finalize(j.st[s]);
	imp_source_end_rejects(src);
	imp_crs_release(&j.crs);
	core_csv_free(j.csv);
	if (j.defn)
		OGR_FD_Release(j.defn);
	if (j.ds)
		GDALClose(j.ds);
	if (j.vsi_path)
		VSIUnlink(j.vsi_path);
	free(j.vsi_path);
	imp_gdal_pop();
	codes_free(&j.cats);
	codes_free(&j.progs);
	if (stats && j.xw) {
		struct core_buf b = CORE_BUF_INIT;
		stats->unmatched_terms = imp_xwalk_unmatched(j.xw, &b, 10);
		free(stats->unmatched);
		stats->unmatched = b.len ? core_buf_detach(&b) : NULL;
		core_buf_release(&b);
	}
	imp_xwalk_free(j.xw);
	if (stats && j.gc.n.tried)
		stats->geocoded = j.gc.n;
	imp_gc_release(&j.gc);
	free(j.from);
	imp_strlist_free(&j.fixed_cats);
	imp_strlist_free(&j.missing);
	free(j.missing_num);
	free(j.vcols);
	free(j.label);
	return rc;
}
