/*
 * cli_geocode.c - the batch geocoder's reading, running and writing, and
 * a place given as an address.  See cli_geocode.h.
 *
 * Speed: the rows' address text is copied once into one arena (no
 * allocation per row), the matcher runs over it on every core, and the
 * CSV is written through one large buffer with numbers formatted by
 * hand.  Privacy: no address text from a file reaches a message.
 */
#include "cli/cli_geocode.h"

#include <ctype.h>
#include <errno.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_csv.h"
#include "core/core_progress.h"
#include "core/core_utf8.h"
#include "geo/geo_par.h"
#include "importers/imp_common.h"

static const char *const role_names[CLI_GC_NROLES] = {
    "address", "number", "street", "unit", "city", "state", "zip"};

const char *cli_gc_role_name(int role)
{
	return role >= 0 && role < CLI_GC_NROLES ? role_names[role] : "?";
}

/* ---------------------------------------------------------------------
 * The input file
 * ------------------------------------------------------------------ */

struct cli_gc_file {
	char *path;
	struct core_csv *csv; /* a CSV, or */
	GDALDatasetH ds;      /* a table GDAL reads */
	OGRLayerH lay;
	OGRFeatureH feat;
	char **names; /* GDAL: the fields' names (owned) */
	struct core_buf rec;
	size_t *recoff; /* GDAL: the current feature's fields in rec */
	size_t ncols;
	long row; /* GDAL: the current feature's number, from 1 */
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

static int is_csv_name(const char *path)
{
	return ends_with(path, ".csv") || ends_with(path, ".tsv") ||
	       ends_with(path, ".txt");
}

static int open_gdal(struct cli_gc_file *f, struct core_err *err)
{
	struct imp_gdal_msgs m;
	OGRFeatureDefnH defn;
	size_t i;
	int rc = CORE_OK;

	imp_gdal_init();
	memset(&m, 0, sizeof(m));
	imp_gdal_push(&m);
	f->ds = GDALOpenEx(f->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
			   NULL, NULL);
	imp_gdal_pop();
	if (!f->ds)
		return core_err_set(
		    err, CORE_EFORMAT,
		    "%s cannot be read as a table of addresses "
		    "(%s); give a CSV file (.csv, .tsv, .txt) "
		    "or a file GDAL reads (GeoJSON, GeoPackage, "
		    "shapefile, XLSX)",
		    f->path, m.last[0] ? m.last : "GDAL does not know it");
	if (GDALDatasetGetLayerCount(f->ds) < 1 ||
	    !(f->lay = GDALDatasetGetLayer(f->ds, 0)))
		return core_err_set(err, CORE_EFORMAT, "%s holds no table",
				    f->path);
	defn = OGR_L_GetLayerDefn(f->lay);
	f->ncols = (size_t)OGR_FD_GetFieldCount(defn);
	f->names = xcalloc(f->ncols + 1, sizeof(char *));
	f->recoff = xcalloc(f->ncols + 1, sizeof(size_t));
	for (i = 0; i < f->ncols; i++)
		f->names[i] = xstrdup(
		    OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, (int)i)));
	if (f->ncols == 0)
		rc = core_err_set(err, CORE_EFORMAT,
				  "%s has no columns: nothing to geocode",
				  f->path);
	return rc;
}

int cli_gc_file_open(const char *path, struct cli_gc_file **out,
		     struct core_err *err)
{
	struct cli_gc_file *f = xcalloc(1, sizeof(*f));
	int rc = CORE_OK;

	f->path = xstrdup(path);
	if (is_csv_name(path)) {
		f->csv = core_csv_open_as(path, NULL, 0, err);
		if (!f->csv)
			rc = err->code ? err->code : CORE_EIO;
		else if ((f->ncols = core_csv_nheader(f->csv)) == 0 ||
			 (f->ncols == 1 && !*core_csv_header(f->csv, 0)))
			rc =
			    core_err_set(err, CORE_EFORMAT,
					 "%s is empty: a CSV file of addresses "
					 "starts with a header line naming "
					 "its columns",
					 path);
	} else {
		rc = open_gdal(f, err);
	}
	if (rc) {
		cli_gc_file_free(f);
		f = NULL;
	}
	*out = f;
	return rc;
}

void cli_gc_file_free(struct cli_gc_file *f)
{
	size_t i;

	if (!f)
		return;
	core_csv_free(f->csv);
	if (f->feat)
		OGR_F_Destroy(f->feat);
	if (f->ds)
		GDALClose(f->ds);
	if (f->names)
		for (i = 0; i < f->ncols; i++)
			free(f->names[i]);
	free(f->names);
	free(f->recoff);
	/* the last row read may be a patient's address */
	if (f->rec.s)
		memset(f->rec.s, 0, f->rec.cap);
	core_buf_release(&f->rec);
	free(f->path);
	free(f);
}

size_t cli_gc_file_ncols(const struct cli_gc_file *f)
{
	return f->ncols;
}

const char *cli_gc_file_col(const struct cli_gc_file *f, size_t i)
{
	if (i >= f->ncols)
		return "";
	return f->csv ? core_csv_header(f->csv, i) : f->names[i];
}

static void file_rewind(struct cli_gc_file *f)
{
	if (f->csv) {
		core_csv_rewind(f->csv);
	} else {
		OGR_L_ResetReading(f->lay);
		f->row = 0;
	}
}

/* "FILE line 7" or "FILE feature 7": where the current row is. */
static const char *file_where(const struct cli_gc_file *f, char *buf, size_t n)
{
	if (f->csv)
		snprintf(buf, n, "%s line %ld", f->path, core_csv_line(f->csv));
	else
		snprintf(buf, n, "%s feature %ld", f->path, f->row);
	return buf;
}

/* The next row: 1, 0 at the end, -1 with err set. */
static int file_next(struct cli_gc_file *f, struct core_err *err)
{
	size_t i;

	if (f->csv) {
		struct core_buf why = CORE_BUF_INIT;
		size_t field = 0;
		int r = core_csv_next(f->csv, err);

		if (r != 1)
			return r;
		if (core_csv_check_width(f->csv, &field, &why)) {
			const char *name = core_csv_header(f->csv, field);
			char where[512];

			file_where(f, where, sizeof(where));
			if (*name)
				core_err_set(err, CORE_EFORMAT,
					     "%s, field %s: %s", where, name,
					     core_buf_str(&why));
			else
				core_err_set(err, CORE_EFORMAT,
					     "%s, field %zu: %s", where,
					     field + 1, core_buf_str(&why));
			core_buf_release(&why);
			return -1;
		}
		core_buf_release(&why);
		return 1;
	}
	if (f->feat)
		OGR_F_Destroy(f->feat);
	f->feat = OGR_L_GetNextFeature(f->lay);
	if (!f->feat)
		return 0;
	f->row++;
	core_buf_reset(&f->rec);
	for (i = 0; i < f->ncols; i++) {
		f->recoff[i] = f->rec.len;
		if (OGR_F_IsFieldSetAndNotNull(f->feat, (int)i))
			core_buf_adds(&f->rec,
				      OGR_F_GetFieldAsString(f->feat, (int)i));
		core_buf_addc(&f->rec, '\0');
	}
	return 1;
}

/* Field i of the current row ("" past the end), and its length. */
static const char *file_get(const struct cli_gc_file *f, size_t i, size_t *len)
{
	const char *s;

	if (f->csv) {
		*len = core_csv_get_len(f->csv, i);
		return core_csv_get(f->csv, i);
	}
	if (i >= f->ncols) {
		*len = 0;
		return "";
	}
	s = f->rec.s + f->recoff[i];
	*len = strlen(s);
	return s;
}

/* ---------------------------------------------------------------------
 * The columns
 * ------------------------------------------------------------------ */

/* Known names, lower case with everything but letters and digits
 * dropped, most telling first. */
static const char *const full_names[] = {
    "fulladdress",	 "fulladdr",
    "singlelineaddress", "singleline",
    "oneline",		 "onelineaddress",
    "completeaddress",	 "formattedaddress",
    "addressfull",	 NULL};
static const char *const ambig_names[] = {"address",
					  "addr",
					  "location",
					  "siteaddress",
					  "physicaladdress",
					  "mailingaddress",
					  "locationaddress",
					  "homeaddress",
					  "residentialaddress",
					  NULL};
static const char *const street_names[] = {"streetaddress",
					   "street",
					   "address1",
					   "addressline1",
					   "addr1",
					   "addrline1",
					   "streetline",
					   "streetline1",
					   "street1",
					   "streetname",
					   "stname",
					   "streetaddress1",
					   NULL};
static const char *const number_names[] = {
    "housenumber",   "housenum", "houseno",
    "addressnumber", "addrnum",	 "streetnumber",
    "streetnum",     "streetno", "stnum",
    "addnum",	     "number",	 "num",
    "hnum",	     NULL};
static const char *const unit_names[] = {
    "unit",	  "apt",	  "apartment", "suite",
    "unitnumber", "unitnum",	  "aptnumber", "aptno",
    "address2",	  "addressline2", "addr2",     "addrline2",
    "street2",	  "streetline2",  "secondary", NULL};
static const char *const city_names[] = {
    "city",	  "town",	"municipality", "locality", "cityname",
    "postalcity", "cityortown", "placename",	NULL};
static const char *const state_names[] = {
    "state", "statecode", "stateabbr", "stateabbreviation", "province", NULL};
static const char *const zip_names[] = {
    "zip",	     "zipcode", "zip5",	    "postcode", "postalcode",
    "zippostalcode", "postal",	"zipcode5", NULL};

/* s lower-cased with all but letters and digits dropped, into buf. */
static void squash(const char *s, char *buf, size_t n)
{
	size_t k = 0;

	for (; *s && k + 1 < n; s++)
		if (isalnum((unsigned char)*s))
			buf[k++] = (char)tolower((unsigned char)*s);
	buf[k] = '\0';
}

/* The first column of f (not yet taken) whose squashed name is one of
 * names, earlier names first; -1 when none. */
static int find_named(const struct cli_gc_file *f, const char *const *names,
		      const int *taken)
{
	char buf[128];
	size_t i;

	for (; *names; names++)
		for (i = 0; i < f->ncols; i++) {
			if (taken[i])
				continue;
			squash(cli_gc_file_col(f, i), buf, sizeof(buf));
			if (strcmp(buf, *names) == 0)
				return (int)i;
		}
	return -1;
}

/* Edit distance of a and b (with transpositions), capped at 9. */
static int edits(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), i, j;
	int d[40][40];

	if (na >= 40 || nb >= 40)
		return 9;
	for (i = 0; i <= na; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= nb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= na; i++)
		for (j = 1; j <= nb; j++) {
			int c = a[i - 1] != b[j - 1];
			int v = d[i - 1][j - 1] + c;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[na][nb] > 9 ? 9 : d[na][nb];
}

/* f's columns, at most 20, into b: "id, name, Adress, ...". */
static void list_columns(const struct cli_gc_file *f, struct core_buf *b)
{
	size_t i;

	for (i = 0; i < f->ncols && i < 20; i++)
		core_buf_addf(b, "%s'%s'", i ? ", " : "",
			      cli_gc_file_col(f, i));
	if (f->ncols > 20)
		core_buf_addf(b, ", ... (%zu in all)", f->ncols);
}

/* The column named name (case-insensitive), or -1. */
static int column_of(const struct cli_gc_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->ncols; i++)
		if (strcasecmp(cli_gc_file_col(f, i), name) == 0)
			return (int)i;
	return -1;
}

/* A role's option naming a column f does not have. */
static int no_such_column(const struct cli_gc_file *f, int role,
			  const char *name, struct core_err *err)
{
	struct core_buf b = CORE_BUF_INIT;
	const char *near = NULL;
	int best = 3, rc;
	size_t i;

	for (i = 0; i < f->ncols; i++) {
		char x[128], y[128];
		int d;

		squash(cli_gc_file_col(f, i), x, sizeof(x));
		squash(name, y, sizeof(y));
		d = edits(x, y);
		if (d < best) {
			best = d;
			near = cli_gc_file_col(f, i);
		}
	}
	list_columns(f, &b);
	rc = core_err_set(
	    err, CORE_EUSAGE,
	    "--%s: %s has no column '%s'; its columns are %s%s%s%s",
	    role_names[role], f->path, name, core_buf_str(&b),
	    near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
	core_buf_release(&b);
	return rc;
}

/* No address column found: the columns, one close to a known name, and
 * the options. */
static int no_address_column(const struct cli_gc_file *f, struct core_err *err)
{
	static const char *const *const lists[] = {full_names, ambig_names,
						   street_names};
	struct core_buf b = CORE_BUF_INIT;
	const char *near = NULL;
	int best = 3, rc;
	size_t i, l;

	for (i = 0; i < f->ncols; i++) {
		char x[128];

		squash(cli_gc_file_col(f, i), x, sizeof(x));
		if (strlen(x) < 4)
			continue;
		for (l = 0; l < 3; l++) {
			const char *const *n;

			for (n = lists[l]; *n; n++) {
				int d = edits(x, *n);

				/* one slip in a short name, two in a long */
				if (d < best && d <= (strlen(x) < 7 ? 1 : 2)) {
					best = d;
					near = cli_gc_file_col(f, i);
				}
			}
		}
	}
	list_columns(f, &b);
	if (near)
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "%s has no address column I recognise (its columns are "
		    "%s); if '%s' holds the address, say so: --address '%s' "
		    "(the whole address on one line) or --street '%s' (the "
		    "street line, with --city, --zip ... for the other "
		    "columns)",
		    f->path, core_buf_str(&b), near, near, near);
	else
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "%s has no address column I recognise (its columns are "
		    "%s); name it with --address COL (the whole address on "
		    "one line) or --street COL (the street line, with --city, "
		    "--zip ... for the other columns)",
		    f->path, core_buf_str(&b));
	core_buf_release(&b);
	return rc;
}

int cli_gc_columns(const struct cli_gc_file *f,
		   const char *const given[CLI_GC_NROLES],
		   int cols[CLI_GC_NROLES], struct core_err *err)
{
	static const char *const *const guess[CLI_GC_NROLES] = {
	    NULL,	number_names, NULL,	unit_names,
	    city_names, state_names,  zip_names};
	int *taken = xcalloc(f->ncols + 1, sizeof(int));
	int r, rc = CORE_OK, split = 0;

	for (r = 0; r < CLI_GC_NROLES; r++)
		cols[r] = -1;
	/* the columns named first */
	for (r = 0; r < CLI_GC_NROLES; r++) {
		if (!given[r])
			continue;
		if ((cols[r] = column_of(f, given[r])) < 0) {
			rc = no_such_column(f, r, given[r], err);
			goto cleanup;
		}
		taken[cols[r]] = 1;
		if (r != CLI_GC_ADDRESS)
			split = 1;
	}
	if (given[CLI_GC_ADDRESS]) {
		if (split) {
			rc = core_err_set(
			    err, CORE_EUSAGE,
			    "--address is a column holding the whole address "
			    "on one line, so it takes no other columns; for a "
			    "street line with its city and ZIP in columns of "
			    "their own, give --street COL with --city, --zip "
			    "...");
			goto cleanup;
		}
		goto cleanup;
	}
	if (cols[CLI_GC_STREET] < 0)
		cols[CLI_GC_STREET] = find_named(f, street_names, taken);
	if (cols[CLI_GC_STREET] < 0 && !split) {
		int full = find_named(f, full_names, taken);

		if (full >= 0) {
			cols[CLI_GC_ADDRESS] = full;
			goto cleanup;
		}
	}
	if (cols[CLI_GC_STREET] >= 0)
		taken[cols[CLI_GC_STREET]] = 1;
	/* the other parts there are */
	for (r = CLI_GC_NUMBER; r < CLI_GC_NROLES; r++) {
		if (r == CLI_GC_STREET || cols[r] >= 0)
			continue;
		if ((cols[r] = find_named(f, guess[r], taken)) >= 0)
			taken[cols[r]] = 1;
	}
	if (cols[CLI_GC_STREET] < 0) {
		int amb = find_named(f, ambig_names, taken);

		if (amb < 0) {
			rc = no_address_column(f, err);
			goto cleanup;
		}
		if (cols[CLI_GC_CITY] >= 0 || cols[CLI_GC_STATE] >= 0 ||
		    cols[CLI_GC_ZIP] >= 0 || split) {
			cols[CLI_GC_STREET] = amb;
		} else {
			/* one line after all: the parts guessed go */
			for (r = 0; r < CLI_GC_NROLES; r++)
				cols[r] = -1;
			cols[CLI_GC_ADDRESS] = amb;
		}
	}
cleanup:
	free(taken);
	return rc;
}

void cli_gc_columns_describe(const struct cli_gc_file *f,
			     const int cols[CLI_GC_NROLES], struct core_buf *b)
{
	int r, k = 0;

	for (r = 0; r < CLI_GC_NROLES; r++)
		if (cols[r] >= 0)
			core_buf_addf(b, "%s%s '%s'", k++ ? ", " : "",
				      r == CLI_GC_ADDRESS ? "address (one line)"
							  : role_names[r],
				      cli_gc_file_col(f, (size_t)cols[r]));
}

/* ---------------------------------------------------------------------
 * The batch
 * ------------------------------------------------------------------ */

int cli_gc_read(struct cli_gc_file *f, const int cols[CLI_GC_NROLES],
		struct cli_gc_batch **out, struct core_err *err)
{
	struct cli_gc_batch *b = xcalloc(1, sizeof(*b));
	struct core_progress prog;
	size_t tcap = 1 << 16, ocap = 0, col[CLI_GC_NROLES], k, tlen = 1;
	int r, got, rc = CORE_OK;
	size_t total = 0;

	for (r = 0; r < CLI_GC_NROLES; r++)
		if (cols[r] >= 0) {
			b->roles[b->nroles] = r;
			col[b->nroles++] = (size_t)cols[r];
		}
	b->one_line = cols[CLI_GC_ADDRESS] >= 0;
	b->text = xmalloc(tcap);
	b->text[0] = '\0'; /* offset 0: an empty field */
	file_rewind(f);
	if (f->csv)
		core_csv_bytes(f->csv, &total);
	core_progress_start(&prog, "reading addresses", (int64_t)total);
	while ((got = file_next(f, err)) == 1) {
		if (b->n * (size_t)b->nroles + (size_t)b->nroles > ocap)
			xgrow((void **)&b->off, &ocap,
			      (b->n + 1) * (size_t)b->nroles, sizeof(size_t));
		for (k = 0; k < (size_t)b->nroles; k++) {
			size_t len;
			const char *s = file_get(f, col[k], &len);
			size_t *o = &b->off[b->n * (size_t)b->nroles + k];

			if (!len) {
				*o = 0;
				continue;
			}
			if (tlen + len + 1 > tcap)
				xgrow((void **)&b->text, &tcap, tlen + len + 1,
				      1);
			memcpy(b->text + tlen, s, len);
			b->text[tlen + len] = '\0';
			*o = tlen;
			tlen += len + 1;
		}
		b->n++;
		if ((b->n & 4095) == 0)
			core_progress_tick(
			    &prog, f->csv ? (int64_t)core_csv_offset(f->csv)
					  : (int64_t)b->n);
	}
	core_progress_end(&prog);
	if (got < 0) {
		rc = err->code ? err->code : CORE_EFORMAT;
	} else if (b->n == 0) {
		rc = core_err_set(err, CORE_EFORMAT,
				  "%s has no rows, only %s: nothing to geocode",
				  f->path,
				  f->csv ? "its header line" : "its columns");
	}
	b->text_len = tlen;
	if (rc) {
		cli_gc_batch_free(b);
		b = NULL;
	} else {
		b->res = xcalloc(b->n, sizeof(*b->res));
	}
	*out = b;
	return rc;
}

struct run_job {
	struct cli_gc_batch *b;
	const struct geo_geocoder *g;
	const struct geo_gc_opts *opts;
	size_t base;
};

static void run_range(void *arg, size_t begin, size_t end, int worker)
{
	const struct run_job *j = arg;
	const struct cli_gc_batch *b = j->b;
	size_t i, nr = (size_t)b->nroles;
	int k;

	(void)worker;
	for (i = j->base + begin; i < j->base + end; i++) {
		const size_t *o = &b->off[i * nr];
		struct cli_gc_res *out = &b->res[i];
		struct geo_gc_result r;

		if (b->one_line) {
			geo_geocode_text(j->g, b->text + o[0], j->opts, &r);
		} else {
			const char *part[CLI_GC_NROLES] = {NULL};
			struct geo_addr a;
			int st;

			for (k = 0; k < b->nroles; k++)
				part[b->roles[k]] = b->text + o[k];
			st = geo_addr_parse_parts(
			    part[CLI_GC_NUMBER], part[CLI_GC_STREET],
			    part[CLI_GC_UNIT], part[CLI_GC_CITY],
			    part[CLI_GC_STATE], part[CLI_GC_ZIP], &a);
			if (st) {
				r.level = GEO_GC_NONE;
				r.lon = r.lat = NAN;
				r.score = 0;
				r.why = geo_addr_status_str(st);
			} else {
				geo_geocode_addr(j->g, &a, j->opts, &r);
			}
		}
		out->level =
		    (uint8_t)(r.level >= GEO_GC_NONE && r.level <= GEO_GC_ZIP
				  ? r.level
				  : GEO_GC_NONE);
		out->lon = out->level ? r.lon : NAN;
		out->lat = out->level ? r.lat : NAN;
		out->score = r.score;
		out->why = r.why;
	}
}

void cli_gc_run(struct cli_gc_batch *b, const struct geo_geocoder *g,
		const struct geo_gc_opts *opts)
{
	struct core_progress prog;
	struct run_job j;
	size_t step = 1 << 16;

	j.b = b;
	j.g = g;
	j.opts = opts;
	core_progress_start(&prog, "geocoding", (int64_t)b->n);
	for (j.base = 0; j.base < b->n; j.base += step) {
		size_t n = b->n - j.base < step ? b->n - j.base : step;

		geo_par_for(n, 1024, run_range, &j);
		core_progress_tick(&prog, (int64_t)(j.base + n));
	}
	core_progress_end(&prog);
}

void cli_gc_batch_free(struct cli_gc_batch *b)
{
	if (!b)
		return;
	free(b->res);
	free(b->off);
	/* patients' addresses do not stay in memory */
	if (b->text)
		memset(b->text, 0, b->text_len);
	free(b->text);
	free(b);
}

const char *const *cli_gc_out_names(const struct cli_gc_file *f)
{
	static const char *const plain[] = {"lon", "lat", "level", "score",
					    "why"};
	static const char *const prefixed[] = {"geocode_lon", "geocode_lat",
					       "geocode_level", "geocode_score",
					       "geocode_why"};
	size_t i;

	for (i = 0; i < 5; i++)
		if (column_of(f, plain[i]) >= 0)
			return prefixed;
	return plain;
}

/* ---------------------------------------------------------------------
 * Writers
 * ------------------------------------------------------------------ */

/* v with dec decimals (at most 9), into buf (at least 40 bytes); the
 * length. */
static size_t fixed(char *buf, double v, int dec)
{
	static const double p10[] = {1,	  1e1, 1e2, 1e3, 1e4,
				     1e5, 1e6, 1e7, 1e8, 1e9};
	char tmp[32];
	double a = fabs(v) * p10[dec];
	uint64_t u, ip, fp, pw = (uint64_t)p10[dec];
	size_t n = 0, t = 0;
	int i;

	if (!(a < 9e18))
		return (size_t)snprintf(buf, 40, "%.*f", dec, v);
	u = (uint64_t)(a + 0.5);
	if (v < 0 && u)
		buf[n++] = '-';
	ip = u / pw;
	fp = u % pw;
	do {
		tmp[t++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	while (t)
		buf[n++] = tmp[--t];
	if (dec) {
		buf[n++] = '.';
		for (i = dec - 1; i >= 0; i--) {
			buf[n + (size_t)i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		n += (size_t)dec;
	}
	buf[n] = '\0';
	return n;
}

static void csv_field(FILE *fp, const char *s, size_t n)
{
	size_t i, start = 0;

	if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) &&
	    !memchr(s, '\r', n)) {
		fwrite_unlocked(s, 1, n, fp);
		return;
	}
	putc_unlocked('"', fp);
	for (i = 0; i < n; i++)
		if (s[i] == '"') {
			fwrite_unlocked(s + start, 1, i + 1 - start, fp);
			putc_unlocked('"', fp);
			start = i + 1;
		}
	fwrite_unlocked(s + start, 1, n - start, fp);
	putc_unlocked('"', fp);
}

/* ",lon,lat,level,score,why" of one answer. */
static void csv_answer(FILE *fp, const struct cli_gc_res *r)
{
	char buf[48];
	const char *lvl = geo_gc_level_name(r->level);

	if (r->level != GEO_GC_NONE) {
		putc_unlocked(',', fp);
		fwrite_unlocked(buf, 1, fixed(buf, r->lon, 7), fp);
		putc_unlocked(',', fp);
		fwrite_unlocked(buf, 1, fixed(buf, r->lat, 7), fp);
		putc_unlocked(',', fp);
		fputs_unlocked(lvl, fp);
		putc_unlocked(',', fp);
		fwrite_unlocked(buf, 1, fixed(buf, r->score, 3), fp);
	} else {
		fputs_unlocked(",,,", fp);
		fputs_unlocked(lvl, fp);
		putc_unlocked(',', fp);
	}
	putc_unlocked(',', fp);
	if (r->why)
		csv_field(fp, r->why, strlen(r->why));
}

/* The file no longer reads as it did on the first pass. */
static int changed(const struct cli_gc_file *f, struct core_err *err)
{
	return core_err_set(err, CORE_EFORMAT,
			    "%s changed while it was being geocoded; run the "
			    "command again",
			    f->path);
}

int cli_gc_write_csv(struct cli_gc_file *f, const struct cli_gc_batch *b,
		     FILE *fp, struct core_err *err)
{
	const char *const *names = cli_gc_out_names(f);
	size_t i, r = 0;
	int got;

	for (i = 0; i < f->ncols; i++) {
		const char *s = cli_gc_file_col(f, i);

		if (i)
			putc_unlocked(',', fp);
		csv_field(fp, s, strlen(s));
	}
	for (i = 0; i < 5; i++)
		fprintf(fp, ",%s", names[i]);
	putc_unlocked('\n', fp);
	file_rewind(f);
	while ((got = file_next(f, err)) == 1) {
		if (r >= b->n)
			return changed(f, err);
		for (i = 0; i < f->ncols; i++) {
			size_t len;
			const char *s = file_get(f, i, &len);

			if (i)
				putc_unlocked(',', fp);
			csv_field(fp, s, len);
		}
		csv_answer(fp, &b->res[r++]);
		putc_unlocked('\n', fp);
	}
	if (got < 0)
		return err->code ? err->code : CORE_EFORMAT;
	if (r != b->n)
		return changed(f, err);
	return CORE_OK;
}

/* GDAL's messages while writing the GeoPackage. */
static int gdal_fail(struct core_err *err, const struct imp_gdal_msgs *m,
		     const char *what)
{
	return core_err_set(err, CORE_ELIB, "%s: %s", what,
			    m->last[0] ? m->last : "GDAL failed");
}

/* Fields of the GeoPackage layer: f's columns as text, then the five. */
static int gpkg_fields(OGRLayerH lay, const struct cli_gc_file *f,
		       const struct imp_gdal_msgs *m, struct core_err *err)
{
	static const OGRFieldType types[] = {OFTReal, OFTReal, OFTString,
					     OFTReal, OFTString};
	const char *const *names = cli_gc_out_names(f);
	size_t i;

	for (i = 0; i < f->ncols + 5; i++) {
		OGRFieldDefnH fd =
		    i < f->ncols
			? OGR_Fld_Create(cli_gc_file_col(f, i), OFTString)
			: OGR_Fld_Create(names[i - f->ncols],
					 types[i - f->ncols]);
		int bad = OGR_L_CreateField(lay, fd, TRUE) != OGRERR_NONE;

		OGR_Fld_Destroy(fd);
		if (bad)
			return gdal_fail(err, m,
					 "creating a field of the GeoPackage");
	}
	return CORE_OK;
}

/* Write every row of f with its answer into the layer lay. */
static int gpkg_rows(OGRLayerH lay, struct cli_gc_file *f,
		     const struct cli_gc_batch *b,
		     const struct imp_gdal_msgs *m, struct core_err *err)
{
	OGRFeatureH feat = OGR_F_Create(OGR_L_GetLayerDefn(lay));
	int base = (int)f->ncols, got, rc = CORE_OK;
	size_t i, r = 0;

	file_rewind(f);
	while (!rc && (got = file_next(f, err)) == 1) {
		const struct cli_gc_res *a;

		if (r >= b->n) {
			rc = changed(f, err);
			break;
		}
		a = &b->res[r++];
		for (i = 0; i < f->ncols; i++) {
			size_t len;
			const char *s = file_get(f, i, &len);

			if (core_utf8_check(s, len) != len) {
				char where[512];

				rc = core_err_set(
				    err, CORE_EFORMAT,
				    "%s, field %s: the text is not UTF-8, "
				    "which a GeoPackage needs; save the file "
				    "as UTF-8, or write CSV (-o FILE.csv), "
				    "which keeps the bytes as they are",
				    file_where(f, where, sizeof(where)),
				    cli_gc_file_col(f, i));
				break;
			}
			OGR_F_SetFieldString(feat, (int)i, s);
		}
		if (rc)
			break;
		if (a->level != GEO_GC_NONE) {
			OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);

			OGR_G_SetPoint_2D(g, 0, a->lon, a->lat);
			OGR_F_SetGeometryDirectly(feat, g);
			OGR_F_SetFieldDouble(feat, base, a->lon);
			OGR_F_SetFieldDouble(feat, base + 1, a->lat);
			OGR_F_SetFieldDouble(feat, base + 3, a->score);
		} else {
			OGR_F_SetGeometryDirectly(feat, NULL);
			OGR_F_SetFieldNull(feat, base);
			OGR_F_SetFieldNull(feat, base + 1);
			OGR_F_SetFieldNull(feat, base + 3);
		}
		OGR_F_SetFieldString(feat, base + 2,
				     geo_gc_level_name(a->level));
		if (a->why)
			OGR_F_SetFieldString(feat, base + 4, a->why);
		else
			OGR_F_SetFieldNull(feat, base + 4);
		OGR_F_SetFID(feat, OGRNullFID);
		if (OGR_L_CreateFeature(lay, feat) != OGRERR_NONE)
			rc = gdal_fail(err, m,
				       "writing a row of the GeoPackage");
	}
	if (!rc && got < 0)
		rc = err->code ? err->code : CORE_EFORMAT;
	if (!rc && r != b->n)
		rc = changed(f, err);
	OGR_F_Destroy(feat);
	return rc;
}

int cli_gc_write_gpkg(struct cli_gc_file *f, const struct cli_gc_batch *b,
		      const char *path, const char *out, const char *layer,
		      struct core_err *err)
{
	struct imp_gdal_msgs m;
	GDALDriverH drv;
	GDALDatasetH ds = NULL;
	OGRSpatialReferenceH srs = NULL;
	OGRLayerH lay;
	char *lopts[3] = {NULL, NULL, NULL};
	int rc = CORE_OK, nl = 0;

	imp_gdal_init();
	memset(&m, 0, sizeof(m));
	imp_gdal_push(&m);
	/* a column of the user's named like the table's own keeps its name */
	if (column_of(f, "fid") >= 0)
		lopts[nl++] = xstrdup("FID=geocode_fid");
	if (column_of(f, "geom") >= 0)
		lopts[nl++] = xstrdup("GEOMETRY_NAME=geocode_geom");
	drv = GDALGetDriverByName("GPKG");
	if (!drv) {
		rc = core_err_set(err, CORE_ELIB,
				  "this GDAL has no GeoPackage driver");
		goto cleanup;
	}
	ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
	if (!ds) {
		rc = gdal_fail(err, &m, "creating the GeoPackage");
		goto cleanup;
	}
	srs = OSRNewSpatialReference(NULL);
	OSRImportFromEPSG(srs, 4326);
	OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
	if (GDALDatasetStartTransaction(ds, FALSE) != OGRERR_NONE) {
		rc = gdal_fail(err, &m, "starting a GeoPackage transaction");
		goto cleanup;
	}
	lay = GDALDatasetCreateLayer(ds, layer, srs, wkbPoint, lopts);
	if (!lay) {
		rc = gdal_fail(err, &m, "creating the GeoPackage layer");
		goto cleanup;
	}
	if ((rc = gpkg_fields(lay, f, &m, err)) ||
	    (rc = gpkg_rows(lay, f, b, &m, err)))
		goto cleanup;
	if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
		rc = gdal_fail(err, &m, "committing the GeoPackage");
cleanup:
	if (ds) {
		GDALClose(ds);
		if (!rc && m.failures)
			rc = gdal_fail(err, &m, "writing the GeoPackage");
	}
	OSRDestroySpatialReference(srs);
	imp_gdal_pop();
	free(lopts[0]);
	free(lopts[1]);
	if (rc && rc != CORE_EFORMAT && !strstr(err->msg, out))
		core_err_prefix(err, "%s: ", out);
	return rc;
}

/* ---------------------------------------------------------------------
 * The summary
 * ------------------------------------------------------------------ */

void cli_gc_count(const struct cli_gc_batch *b, size_t count[6])
{
	size_t i;

	memset(count, 0, 6 * sizeof(size_t));
	for (i = 0; i < b->n; i++)
		count[b->res[i].level <= GEO_GC_ZIP ? b->res[i].level : 0]++;
}

/* n with thousands separators into buf. */
static const char *thousands(size_t n, char *buf, size_t size)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%zu", n), i, k = 0;

	for (i = 0; i < len && (size_t)k + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = tmp[i];
	}
	buf[k] = '\0';
	return buf;
}

void cli_gc_describe_reference(const struct geo_geocoder *g, struct core_buf *b)
{
	static const char *const what[] = {"address points", "street ranges",
					   "ZIP centroids"};
	size_t n[3], i, k = 0;
	char x[32];

	geo_geocoder_counts(g, &n[0], &n[1], &n[2]);
	for (i = 0; i < 3; i++)
		if (n[i])
			core_buf_addf(b, "%s%s %s", k++ ? ", " : "",
				      thousands(n[i], x, sizeof(x)), what[i]);
	if (!k)
		core_buf_adds(b, "nothing");
}

/* The level as sentences say it. */
static const char *level_words(int level)
{
	static const char *const w[] = {"not placed",	"address point",
					"interpolated", "street range",
					"street",	"ZIP centroid"};

	return level >= 0 && level <= GEO_GC_ZIP ? w[level] : "not placed";
}

struct reason {
	const char *why;
	size_t n;
};

static int by_count(const void *pa, const void *pb)
{
	const struct reason *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n < b->n ? 1 : -1;
	return strcmp(a->why, b->why);
}

void cli_gc_summary(const struct cli_gc_batch *b, struct core_buf *out)
{
	struct reason *rs = NULL;
	size_t count[6], nr = 0, cap = 0, i, k;
	char x[32], y[32];
	int l, first = 1;

	cli_gc_count(b, count);
	core_buf_addf(out, "placed %s of %s",
		      thousands(b->n - count[0], x, sizeof(x)),
		      thousands(b->n, y, sizeof(y)));
	for (l = GEO_GC_POINT; l <= GEO_GC_ZIP; l++) {
		if (!count[l])
			continue;
		core_buf_addf(out, "%s%s %s", first ? ": " : ", ",
			      level_words(l),
			      thousands(count[l], x, sizeof(x)));
		first = 0;
	}
	if (!count[0])
		return;
	for (i = 0; i < b->n; i++) {
		const char *w = b->res[i].why ? b->res[i].why : "no match";

		if (b->res[i].level != GEO_GC_NONE)
			continue;
		for (k = 0; k < nr; k++)
			if (rs[k].why == w || strcmp(rs[k].why, w) == 0)
				break;
		if (k == nr) {
			xgrow((void **)&rs, &cap, nr + 1, sizeof(*rs));
			rs[nr].why = w;
			rs[nr++].n = 0;
		}
		rs[k].n++;
	}
	qsort(rs, nr, sizeof(*rs), by_count);
	core_buf_addf(out, "; not placed %s",
		      thousands(count[0], x, sizeof(x)));
	for (k = 0; k < nr; k++)
		core_buf_addf(out, "%s%s %s", k ? ", " : ": ", rs[k].why,
			      thousands(rs[k].n, x, sizeof(x)));
	free(rs);
}

/* ---------------------------------------------------------------------
 * A place given as an address
 * ------------------------------------------------------------------ */

/* A ZIP or ZIP+4 alone ("94110", "94110-1234"), blanks around. */
static int is_zip(const char *s)
{
	size_t i;

	while (*s == ' ' || *s == '\t')
		s++;
	for (i = 0; i < 5; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	s += 5;
	if (*s == '-') {
		for (i = 1; i < 5; i++)
			if (!isdigit((unsigned char)s[i]))
				return 0;
		s += 5;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

int cli_gc_is_coords(const char *s)
{
	int digit = 0;

	if (is_zip(s))
		return 0;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digit = 1;
		else if (!strchr("+-., \t", *s))
			return 0;
	}
	return digit;
}

void cli_gc_addr_line(const struct geo_addr *a, struct core_buf *b)
{
	size_t start = b->len;

#define PART(s)                                                                \
	do {                                                                   \
		if ((s)[0])                                                    \
			core_buf_addf(b, "%s%s", b->len > start ? " " : "",    \
				      (s));                                    \
	} while (0)
	if (a->po_box) {
		core_buf_addf(b, "PO BOX %s", a->box);
	} else {
		/* "32A", "12 1/2" */
		if (a->number >= 0)
			core_buf_addf(b, "%lld%s%s", (long long)a->number,
				      strchr(a->num_suffix, '/') ? " " : "",
				      a->num_suffix);
		PART(a->predir);
		PART(a->name);
		PART(a->type);
		PART(a->postdir);
		PART(a->unit);
	}
	if (a->city[0] || a->state[0] || a->zip[0]) {
		size_t mark;

		core_buf_adds(b, b->len > start ? "," : "");
		mark = b->len;
		start = mark - 1; /* a space before the first */
		PART(a->city);
		PART(a->state);
		PART(a->zip);
		if (b->len == mark)
			b->len--;
	}
#undef PART
}

int cli_gc_place(struct cli_ctx *ctx, const char *cmd, const char *opt,
		 const char *text, double *lat, double *lon, int *level)
{
	struct geo_geocoder *g = NULL;
	struct geo_gc_result r;
	struct geo_addr a;
	struct core_buf line = CORE_BUF_INIT;
	int rc;

	memset(&a, 0, sizeof(a));

	if ((rc = geo_geocoder_load(ctx->ws, &g, &ctx->err))) {
		core_err_prefix(&ctx->err, "%s: %s: ", cmd, opt);
		goto cleanup;
	}
	if (geo_geocoder_empty(g)) {
		rc = core_err_set(
		    &ctx->err, CORE_ENOTFOUND,
		    "%s: %s '%s': this workspace has no reference addresses "
		    "to look it up in; run 'assetmap import addresses FILE' "
		    "first (the address points or TIGER street ranges of your "
		    "county: see the README's geocoding section), or give "
		    "--at LAT,LON",
		    cmd, opt, text);
		goto cleanup;
	}
	geo_geocode_text(g, text, NULL, &r);
	if (r.level == GEO_GC_NONE || !isfinite(r.lat) || !isfinite(r.lon)) {
		rc = core_err_set(
		    &ctx->err, CORE_ENOTFOUND,
		    "%s: %s '%s': no match (%s); nothing is guessed: check the "
		    "number and the street's name, add the city or ZIP, or "
		    "give --at LAT,LON",
		    cmd, opt, text, r.why ? r.why : "not found");
		goto cleanup;
	}
	if (geo_addr_parse(text, &a) == GEO_ADDR_OK)
		cli_gc_addr_line(&a, &line);
	*lat = r.lat;
	*lon = r.lon;
	if (level)
		*level = r.level;
	cli_note(ctx,
		 "%s '%s': read as %s; placed at %.6f,%.6f (%s, score "
		 "%.2f)\n",
		 opt, text, line.len ? core_buf_str(&line) : "(unparsed)",
		 r.lat, r.lon, level_words(r.level), r.score);
	if (r.level == GEO_GC_ZIP)
		cli_warn("%s '%s': placed at the centroid of %s%s, not at "
			 "the address; distances are approximate",
			 opt, text, a.zip[0] ? "ZIP " : "its ZIP", a.zip);
	else if (r.level == GEO_GC_STREET)
		cli_warn("%s '%s': placed on the street, not at the number "
			 "(%s); distances are approximate",
			 opt, text, r.why ? r.why : "the number is not known");
cleanup:
	core_buf_release(&line);
	geo_geocoder_free(g);
	return rc;
}
