/*
 * imp_partners.c - 'assetmap import partners': a coalition's register
 * spreadsheet into the partnership register.  See imp_partners.h.
 *
 * A CSV file is read by core_csv (strict, lines named as in the file);
 * any other table GDAL reads (XLSX, ODS, a GeoPackage table) through
 * OGR, whose rows are named by their spreadsheet row (the header is row
 * 1).  The file is read once, inside the one transaction.
 */
#include "importers/imp_partners.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>

#include "core/core_csv.h"
#include "core/core_mem.h"
#include "importers/imp_asset.h"
#include "importers/imp_match.h"
#include "importers/imp_register.h"

/* The columns read, by squashed name (lower case; no ' ', '-', '_'). */
enum col {
	C_ID,
	C_NAME,
	C_ADDRESS,
	C_CITY,
	C_ZIP,
	C_STATUS,
	C_SERVICE,
	C_FINANCIAL,
	C_DATA,
	C_EFFECTS,
	C_GOVERNANCE,
	C_CONTACT,
	C_NOTES,
	C_MOU_S,
	C_MOU_E,
	C_BAA_S,
	C_BAA_E,
	C_DSA_S,
	C_DSA_E,
	C_SUPPORTS,
	C_PLAN,
	C_REFERRALS,
	C_PERIOD,
	C_COUNT
};

static const char *const col_names[C_COUNT] = {
    "asset_id",	  "name",	  "address",	"city",	       "zip",
    "status",	  "service",	  "financial",	"data",	       "effects",
    "governance", "contact_role", "notes",	"mou_signed",  "mou_expires",
    "baa_signed", "baa_expires",  "dsa_signed", "dsa_expires", "supports",
    "plan",	  "referrals",	  "period"};

/* The register field of columns C_STATUS..C_NOTES. */
static const enum imp_reg_field col_field[] = {
    IMP_REG_STATUS,  IMP_REG_SERVICE,	 IMP_REG_FINANCIAL,    IMP_REG_DATA,
    IMP_REG_EFFECTS, IMP_REG_GOVERNANCE, IMP_REG_CONTACT_ROLE, IMP_REG_NOTES};

/* A referrals_PERIOD column. */
struct pcol {
	int col;
	char period[8];
};

struct job {
	struct core_ws *ws;
	const struct imp_partners_opts *o;
	struct imp_source *src;
	struct imp_partners_stats *st;
	struct core_err *err;
	/* reading */
	const char *open_path;
	struct core_csv *csv;
	GDALDatasetH ds;
	OGRLayerH lyr;
	struct imp_gdal_msgs msgs;
	char **hdr; /* column names */
	size_t nhdr;
	char **val; /* the current row's cells ("" when empty) */
	int sheet;  /* XLSX or ODS: feature ids are row numbers */
	long line;
	/* the mapping */
	int col[C_COUNT]; /* column index, -1 */
	struct pcol *pcols;
	size_t npcols;
	/* the work */
	struct imp_matcher *m;
	struct imp_reg *reg;
	struct imp_reg_programs progs;
	sqlite3_stmt *name_st;
	int64_t *earlier; /* assets the earlier import set, sorted */
	size_t nearlier;
	int64_t *seen; /* assets this file named, with their lines */
	long *seen_line;
	size_t nseen, capseen;
};

void imp_partners_stats_release(struct imp_partners_stats *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->nunmatched; i++) {
		free(st->unmatched[i].name);
		free(st->unmatched[i].address);
		free(st->unmatched[i].why);
	}
	free(st->unmatched);
	free(st->ignored);
	memset(st, 0, sizeof(*st));
}

static void squash(const char *s, char *out, size_t n)
{
	size_t k = 0;

	for (; *s && k + 1 < n; s++)
		if (*s != ' ' && *s != '-' && *s != '_' && *s != '\t')
			out[k++] = (char)tolower((unsigned char)*s);
	out[k] = '\0';
}

static const char *cell(const struct job *j, enum col c)
{
	return j->col[c] >= 0 ? j->val[j->col[c]] : "";
}

static const char *hname(const struct job *j, enum col c)
{
	return j->col[c] >= 0 ? j->hdr[j->col[c]] : col_names[c];
}

/* ---------------------------------------------------------------------
 * Reading the file
 * ------------------------------------------------------------------ */

static int is_csv_name(const char *path)
{
	return imp_ends_with_ci(path, ".csv") ||
	       imp_ends_with_ci(path, ".tsv") || imp_ends_with_ci(path, ".txt");
}

static void set_header(struct job *j, size_t n)
{
	j->nhdr = n;
	j->hdr = xcalloc(n + 1, sizeof(*j->hdr));
	j->val = xcalloc(n + 1, sizeof(*j->val));
}

static int open_file(struct job *j)
{
	const char *path = j->o->path;
	size_t i;
	int rc;

	if (is_csv_name(path)) {
		j->src->csv_lines = 1;
		if ((rc = imp_source_text(j->src, path, IMP_TEXT_CSV,
					  &j->open_path, j->err)))
			return rc;
		free(j->src->format);
		j->src->format = xstrdup("CSV");
		j->csv = core_csv_open_as(
		    j->open_path, j->src->name,
		    imp_ends_with_ci(path, ".tsv") ? '\t' : 0, j->err);
		if (!j->csv)
			return j->err->code;
		set_header(j, core_csv_nheader(j->csv));
		for (i = 0; i < j->nhdr; i++)
			j->hdr[i] = xstrdup(core_csv_header(j->csv, i));
		return CORE_OK;
	} else {
		struct imp_utf8 u;
		OGRFeatureDefnH defn;

		j->src->csv_lines = 1; /* spreadsheet rows: header = 1 */
		if ((rc = imp_source_scan(j->src, path, 0, &u, j->err)))
			return rc;
		/* The first row is the header, whatever its cells look
		 * like (GDAL 3.6 takes this as configuration only). */
		CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", "FORCE");
		CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", "FORCE");
		j->ds = GDALOpenEx(path,
				   GDAL_OF_VECTOR | GDAL_OF_READONLY |
				       GDAL_OF_VERBOSE_ERROR,
				   NULL, NULL, NULL);
		if (!j->ds)
			return core_err_set(
			    j->err, CORE_EFORMAT,
			    "cannot read %s as a table: %s; give a CSV file "
			    "(.csv) or a spreadsheet GDAL reads (.xlsx, .ods)",
			    j->src->name,
			    j->msgs.last[0] ? j->msgs.last
					    : "GDAL does not recognise it");
		free(j->src->format);
		j->src->format = xstrdup(
		    GDALGetDriverShortName(GDALGetDatasetDriver(j->ds)));
		j->sheet = strcmp(j->src->format, "XLSX") == 0 ||
			   strcmp(j->src->format, "ODS") == 0;
		if (GDALDatasetGetLayerCount(j->ds) == 0)
			return core_err_set(j->err, CORE_EFORMAT,
					    "%s has no sheets or tables; "
					    "nothing to import",
					    j->src->name);
		if (!(j->lyr = imp_layer_pick(j->ds, j->o->layer, j->src->name,
					      j->err)))
			return j->err->code;
		free(j->src->layer);
		j->src->layer = xstrdup(OGR_L_GetName(j->lyr));
		defn = OGR_L_GetLayerDefn(j->lyr);
		set_header(j, (size_t)OGR_FD_GetFieldCount(defn));
		for (i = 0; i < j->nhdr; i++)
			j->hdr[i] = xstrdup(OGR_Fld_GetNameRef(
			    OGR_FD_GetFieldDefn(defn, (int)i)));
		OGR_L_ResetReading(j->lyr);
		return CORE_OK;
	}
}

static void free_row(struct job *j)
{
	size_t i;

	for (i = 0; i < j->nhdr; i++) {
		free(j->val[i]);
		j->val[i] = NULL;
	}
}

/* A feature's field i as text: dates as YYYY-MM-DD, "" when unset. */
static char *feature_text(OGRFeatureH f, OGRFieldDefnH fd, int i)
{
	OGRFieldType t = OGR_Fld_GetType(fd);

	if (!OGR_F_IsFieldSetAndNotNull(f, i))
		return xstrdup("");
	if (t == OFTDate || t == OFTDateTime) {
		int y, mo, d, h, mi, tz;
		float s;
		if (OGR_F_GetFieldAsDateTimeEx(f, i, &y, &mo, &d, &h, &mi, &s,
					       &tz))
			return xasprintf("%04d-%02d-%02d", y, mo, d);
	}
	return imp_trim_dup(OGR_F_GetFieldAsString(f, i));
}

/*
 * The next row into j->val and j->line: 1, 0 at the end, or -1 with
 * the failure in j->err.  A CSV row of the wrong width is rejected
 * here (2: read, rejected) unless it ends a file cut short, which
 * fails.  Blank spreadsheet rows are skipped.
 */
static int next_row(struct job *j)
{
	size_t i;

	free_row(j);
	if (j->csv) {
		struct core_buf why = CORE_BUF_INIT;
		size_t field = 0;
		int r = core_csv_next(j->csv, j->err), w;

		if (r <= 0)
			return r;
		j->line = core_csv_line(j->csv);
		j->src->rows_read++;
		for (i = 0; i < j->nhdr; i++)
			j->val[i] = imp_trim_dup(core_csv_get(j->csv, i));
		w = core_csv_check_width(j->csv, &field, &why);
		if (!w) {
			core_buf_release(&why);
			return 1;
		}
		if (w == CORE_CSV_SHORT && core_csv_unterminated(j->csv)) {
			core_err_set(j->err, CORE_EFORMAT,
				     "%s line %ld, field %s: %s\nnothing was "
				     "imported",
				     j->src->name, j->line,
				     field < j->nhdr ? j->hdr[field] : "?",
				     core_buf_str(&why));
			core_buf_release(&why);
			return -1;
		}
		{
			char num[32];
			snprintf(num, sizeof(num), "%zu", field + 1);
			r = imp_reject(j->ws, j->src, j->line,
				       w == CORE_CSV_SHORT && field < j->nhdr
					   ? j->hdr[field]
					   : num,
				       NULL, j->err, "%s", core_buf_str(&why));
		}
		core_buf_release(&why);
		return r ? -1 : 2;
	}
	for (;;) {
		int rc = CORE_OK;
		OGRFeatureH f =
		    imp_layer_next(j->lyr, j->src, &j->msgs, &rc, j->err);
		OGRFeatureDefnH defn = OGR_L_GetLayerDefn(j->lyr);
		int blank = 1;
		GIntBig fid;

		if (!f)
			return rc ? -1 : 0;
		/* a sheet's feature id is its row number (header: 1) */
		fid = OGR_F_GetFID(f);
		j->line = j->sheet && fid >= 2 ? (long)fid
					       : (long)j->src->rows_read + 1;
		for (i = 0; i < j->nhdr; i++) {
			j->val[i] = feature_text(
			    f, OGR_FD_GetFieldDefn(defn, (int)i), (int)i);
			if (*j->val[i])
				blank = 0;
		}
		OGR_F_Destroy(f);
		if (!blank)
			return 1;
		j->src->rows_read--; /* an empty row of the sheet */
		free_row(j);
	}
}

/* ---------------------------------------------------------------------
 * The mapping
 * ------------------------------------------------------------------ */

static int map_columns(struct job *j)
{
	char sq[C_COUNT][32], h[128];
	const char *known[C_COUNT + 1];
	struct core_buf ign = CORE_BUF_INIT;
	size_t i, capp = 0;
	int c, rc = CORE_OK;

	for (c = 0; c < C_COUNT; c++) {
		j->col[c] = -1;
		squash(col_names[c], sq[c], sizeof(sq[c]));
		known[c] = col_names[c];
	}
	known[C_COUNT] = "referrals_PERIOD";
	for (i = 0; i < j->nhdr; i++) {
		const char *raw = j->hdr[i];
		char period[8];

		squash(raw, h, sizeof(h));
		for (c = 0; c < C_COUNT; c++)
			if (strcmp(h, sq[c]) == 0)
				break;
		if (c == C_COUNT &&
		    (strcmp(h, "id") == 0 || strcmp(h, "assetid") == 0))
			c = C_ID;
		if (c == C_COUNT && strcmp(h, "zipcode") == 0)
			c = C_ZIP;
		if (c < C_COUNT) {
			if (j->col[c] >= 0) {
				rc = core_err_set(
				    j->err, CORE_EFORMAT,
				    "%s: columns '%s' and '%s' are both %s; "
				    "keep one",
				    j->src->name, j->hdr[j->col[c]], raw,
				    col_names[c]);
				goto cleanup;
			}
			j->col[c] = (int)i;
			continue;
		}
		if (strncasecmp(raw, "referrals", 9) == 0 &&
		    (raw[9] == '_' || raw[9] == '-' || raw[9] == ' ')) {
			size_t k;
			if (!imp_reg_period(raw + 10, period)) {
				rc = core_err_set(
				    j->err, CORE_EFORMAT,
				    "%s: column '%s': '%s' is not a period; "
				    "write referrals_2026, referrals_2026-Q3 "
				    "or referrals_2026-09",
				    j->src->name, raw, raw + 10);
				goto cleanup;
			}
			for (k = 0; k < j->npcols; k++)
				if (strcmp(j->pcols[k].period, period) == 0) {
					rc = core_err_set(
					    j->err, CORE_EFORMAT,
					    "%s: columns '%s' and '%s' are "
					    "both the referrals of %s; keep "
					    "one",
					    j->src->name,
					    j->hdr[j->pcols[k].col], raw,
					    period);
					goto cleanup;
				}
			xgrow((void **)&j->pcols, &capp, j->npcols + 1,
			      sizeof(*j->pcols));
			j->pcols[j->npcols].col = (int)i;
			memcpy(j->pcols[j->npcols].period, period, 8);
			j->npcols++;
			continue;
		}
		{
			const char *near = imp_reg_nearest(known, C_COUNT, raw);
			core_buf_addf(&ign, "%s'%s'", ign.len ? ", " : "", raw);
			if (near)
				core_buf_addf(&ign, " (did you mean '%s'?)",
					      near);
		}
	}
	if (j->st && ign.len)
		j->st->ignored = core_buf_detach(&ign);
	if (j->col[C_STATUS] < 0 || (j->col[C_ID] < 0 && j->col[C_NAME] < 0)) {
		struct core_buf b = CORE_BUF_INIT;
		for (i = 0; i < j->nhdr; i++)
			core_buf_addf(&b, "%s%s", i ? ", " : "", j->hdr[i]);
		core_err_set(j->err, CORE_EFORMAT,
			     "%s has no %s column; a register needs asset_id "
			     "(or name, with address) and status (its columns: "
			     "%s)",
			     j->src->name,
			     j->col[C_STATUS] < 0 ? "status"
						  : "asset_id or name",
			     b.len ? core_buf_str(&b) : "none");
		core_buf_release(&b);
		rc = CORE_EFORMAT;
		goto cleanup;
	}
	if (j->col[C_REFERRALS] >= 0 && j->col[C_PERIOD] < 0)
		rc = core_err_set(j->err, CORE_EFORMAT,
				  "%s has a referrals column but no period "
				  "column; add period (2026, 2026-Q3, "
				  "2026-09), or name the column by its "
				  "period (referrals_2026-Q3)",
				  j->src->name);
cleanup:
	core_buf_release(&ign);
	return rc;
}

/* ---------------------------------------------------------------------
 * One row
 * ------------------------------------------------------------------ */

/* Reject the row for column c's value (NULL or "": none to quote). */
static int reject(struct job *j, enum col c, const char *value,
		  const char *reason)
{
	return imp_reject(j->ws, j->src, j->line, hname(j, c),
			  value && *value ? value : NULL, j->err, "%s", reason);
}

static long seen_at(const struct job *j, int64_t id)
{
	size_t i;

	for (i = 0; i < j->nseen; i++)
		if (j->seen[i] == id)
			return j->seen_line[i];
	return 0;
}

static void add_unmatched(struct job *j, const char *name, const char *addr,
			  const char *why)
{
	struct imp_partners_stats *st = j->st;
	struct imp_pt_unmatched *u;

	if (!st)
		return;
	st->unmatched = xrealloc(st->unmatched,
				 (st->nunmatched + 1) * sizeof(*st->unmatched));
	u = &st->unmatched[st->nunmatched++];
	u->line = j->line;
	u->name = xstrdup(name);
	u->address = addr && *addr ? xstrdup(addr) : NULL;
	u->why = xstrdup(why);
}

/* The row's address for the matcher: "ADDRESS, CITY ZIP". */
static char *row_address(const struct job *j)
{
	const char *a = cell(j, C_ADDRESS), *city = cell(j, C_CITY),
		   *zip = cell(j, C_ZIP);

	if (!*a)
		return NULL;
	if (!*city && !*zip)
		return xstrdup(a);
	return xasprintf("%s, %s%s%s", a, city, *city && *zip ? " " : "", zip);
}

/*
 * The asset the row names into *id: 1 matched by asset_id, 2 by name
 * (and address), 0 not (listed as unmatched, or rejected: *rc then says
 * whether the reject failed).
 */
static int identify(struct job *j, int64_t *id, int *rc)
{
	const char *sid = cell(j, C_ID), *name = cell(j, C_NAME);
	char *addr = NULL;
	int ok = 0;

	*rc = CORE_OK;
	if (*sid) {
		char *end;
		long long v = strtoll(sid, &end, 10);
		/* a spreadsheet's whole number may read as "12.0" */
		if (end != sid && strcmp(end, ".0") == 0)
			end += 2;
		if (end == sid || *end || v <= 0) {
			*rc = reject(j, C_ID, sid,
				     "is not an asset id (a whole number; "
				     "'assetmap export assets' lists them)");
			return 0;
		}
		if (!imp_matcher_has_id(j->m, v)) {
			char *why = xasprintf("no asset has id %lld", v);
			add_unmatched(j, *name ? name : sid, NULL, why);
			free(why);
			return 0;
		}
		if (*name) {
			sqlite3_stmt *st = j->name_st;
			char *a = NULL, *b = NULL, *real = NULL;
			sqlite3_bind_int64(st, 1, v);
			if (sqlite3_step(st) == SQLITE_ROW)
				real = xstrdup(
				    (const char *)sqlite3_column_text(st, 0));
			sqlite3_reset(st);
			a = imp_asset_norm_name(real);
			b = imp_asset_norm_name(name);
			if (strcmp(a, b) != 0) {
				char *why = xasprintf(
				    "is not the name of asset %lld ('%s'); fix "
				    "the asset_id or the name",
				    v, real ? real : "");
				*rc = reject(j, C_NAME, name, why);
				free(why);
			}
			free(real);
			if (*rc || strcmp(a, b) != 0) {
				free(a);
				free(b);
				return 0;
			}
			free(a);
			free(b);
		}
		*id = v;
		return 1;
	}
	if (!*name) {
		*rc = reject(j, C_NAME, NULL,
			     "is empty and so is asset_id: which asset is "
			     "this row about?");
		return 0;
	}
	addr = row_address(j);
	{
		int64_t ids[4];
		size_t n = imp_matcher_list(j->m, name, addr, ids, 4), k;
		if (n == 1) {
			*id = ids[0];
			ok = 2;
		} else if (n == 0) {
			add_unmatched(j, name, addr,
				      addr ? "no asset has this name and "
					     "address"
					   : "no asset has this name");
		} else {
			struct core_buf b = CORE_BUF_INIT;
			core_buf_addf(&b, "names %zu assets (ids ", n);
			for (k = 0; k < n && k < 4; k++)
				core_buf_addf(&b, "%s%lld", k ? ", " : "",
					      (long long)ids[k]);
			core_buf_addf(&b, "%s); give the row its asset_id%s",
				      n > 4 ? ", ..." : "",
				      addr ? ""
					   : ", or the address that tells "
					     "them apart");
			*rc = reject(j, addr ? C_ADDRESS : C_NAME,
				     addr ? cell(j, C_ADDRESS) : name,
				     core_buf_str(&b));
			core_buf_release(&b);
		}
	}
	free(addr);
	return ok;
}

/* A whole number >= 0 ("12", or a spreadsheet's "12.0"), or -1. */
static int64_t count_of(const char *s)
{
	char *end;
	long long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoll(s, &end, 10);
	if (strcmp(end, ".0") == 0)
		end += 2;
	return *end || v < 0 ? -1 : (int64_t)v;
}

/*
 * The row's values into e (a copy of the asset's entry): the columns
 * the file has replace what e holds.  Returns 1 when e is filled, 0
 * after rejecting the row at its first bad value (*rc: whether the
 * reject failed).
 */
static int row_values(struct job *j, struct imp_reg_entry *e, int *rc)
{
	struct core_buf why = CORE_BUF_INIT;
	struct imp_strlist items = {NULL, 0, 0};
	const char *v;
	size_t i;
	int c, k, ok = 0;

	*rc = CORE_OK;
	e->exists = 1;
	for (c = C_STATUS; c <= C_NOTES; c++) {
		enum imp_reg_field f = col_field[c - C_STATUS];
		const char *code;

		if (j->col[c] < 0)
			continue;
		v = cell(j, (enum col)c);
		if (!*v) {
			if (f == IMP_REG_STATUS) {
				*rc = reject(j, C_STATUS, NULL,
					     "is empty; give current, "
					     "prospective, former or none");
				goto cleanup;
			}
			imp_reg_entry_set(e, f, NULL);
			continue;
		}
		if (f >= IMP_REG_NCODED) {
			imp_reg_entry_set(e, f, v);
			continue;
		}
		core_buf_reset(&why);
		if (!(code = imp_reg_code(f, v, &why))) {
			*rc = reject(j, (enum col)c, v, core_buf_str(&why));
			goto cleanup;
		}
		imp_reg_entry_set(e, f, code);
	}
	for (k = 0; k < IMP_REG_NAGR; k++) {
		enum col cs = (enum col)(C_MOU_S + 2 * k), ce = cs + 1;
		const char *s = cell(j, cs), *x = cell(j, ce);

		if (j->col[cs] < 0 && j->col[ce] < 0)
			continue;
		if (*s && !imp_reg_date_ok(s)) {
			*rc = reject(j, cs, s,
				     "is not a date; write it YYYY-MM-DD, "
				     "e.g. 2025-07-01");
			goto cleanup;
		}
		if (*x && !imp_reg_date_ok(x)) {
			*rc = reject(j, ce, x,
				     "is not a date; write it YYYY-MM-DD, "
				     "e.g. 2027-06-30");
			goto cleanup;
		}
		if (*s && *x && strcmp(x, s) < 0) {
			char *why2 = xasprintf("is before the signing (%s)", s);
			*rc = reject(j, ce, x, why2);
			free(why2);
			goto cleanup;
		}
		if (*s || *x)
			imp_reg_entry_agreement(e, (enum imp_reg_agreement)k, s,
						x);
		else
			imp_reg_entry_no_agreement(e,
						   (enum imp_reg_agreement)k);
	}
	if (j->col[C_SUPPORTS] >= 0) {
		imp_reg_entry_clear_supports(e);
		imp_strlist_split(&items, cell(j, C_SUPPORTS), ";", 0);
		for (i = 0; i < items.n; i++) {
			char *it = items.v[i], *at = strchr(it, '@');
			const char *plan = cell(j, C_PLAN), *code;
			char *p = NULL;

			if (at) {
				*at = '\0';
				p = imp_trim_dup(at + 1);
				plan = p;
				/* "CODE @PLAN": the code's blanks */
				while (at > it && at[-1] == ' ')
					*--at = '\0';
			}
			core_buf_reset(&why);
			if (!(code = imp_reg_program(&j->progs, it, &why))) {
				free(p);
				*rc = reject(j, C_SUPPORTS, it,
					     core_buf_str(&why));
				goto cleanup;
			}
			imp_reg_entry_support(e, code, plan);
			free(p);
		}
	}
	if (j->col[C_REFERRALS] >= 0 && *cell(j, C_REFERRALS)) {
		char period[8];
		int64_t n = count_of(cell(j, C_REFERRALS));
		if (n < 0) {
			*rc = reject(j, C_REFERRALS, cell(j, C_REFERRALS),
				     "is not a count of referrals (a whole "
				     "number, 0 or more)");
			goto cleanup;
		}
		if (!imp_reg_period(cell(j, C_PERIOD), period)) {
			*rc =
			    reject(j, C_PERIOD, cell(j, C_PERIOD),
				   *cell(j, C_PERIOD)
				       ? "is not a period; write 2026, "
					 "2026-Q3 or 2026-09"
				       : "is empty; whose period are the "
					 "referrals? (2026, 2026-Q3, 2026-09)");
			goto cleanup;
		}
		imp_reg_entry_referrals(e, period, n);
	}
	for (i = 0; i < j->npcols; i++) {
		const char *cv = j->val[j->pcols[i].col];
		int64_t n = *cv ? count_of(cv) : -1;
		if (*cv && n < 0) {
			*rc = imp_reject(j->ws, j->src, j->line,
					 j->hdr[j->pcols[i].col], cv, j->err,
					 "is not a count of referrals (a whole "
					 "number, 0 or more)");
			goto cleanup;
		}
		imp_reg_entry_referrals(e, j->pcols[i].period, n);
	}
	ok = 1;
cleanup:
	imp_strlist_free(&items);
	core_buf_release(&why);
	return ok;
}

static int do_row(struct job *j)
{
	struct imp_reg_entry old, e;
	int64_t id = 0;
	long other;
	int rc = CORE_OK, s, by;

	imp_reg_entry_init(&old);
	imp_reg_entry_init(&e);
	if (!(by = identify(j, &id, &rc)))
		return rc;
	if ((other = seen_at(j, id))) {
		int by_id = *cell(j, C_ID) != '\0';
		char *why = xasprintf("names the same asset as line %ld; give "
				      "each asset one row",
				      other);
		rc = reject(j, by_id ? C_ID : C_NAME,
			    by_id ? cell(j, C_ID) : cell(j, C_NAME), why);
		free(why);
		return rc;
	}
	xgrow((void **)&j->seen, &j->capseen, j->nseen + 1, sizeof(*j->seen));
	j->seen_line = xrealloc(j->seen_line, j->capseen * sizeof(long));
	j->seen[j->nseen] = id;
	j->seen_line[j->nseen++] = j->line;
	if ((rc = imp_reg_load(j->reg, id, &old, j->err)))
		goto cleanup;
	imp_reg_entry_copy(&e, &old);
	if (!row_values(j, &e, &rc))
		goto cleanup;
	if ((rc = imp_reg_store(j->reg, id, &old, &e, j->src->id, 0,
				j->st ? &j->st->changes : NULL, j->err)))
		goto cleanup;
	j->src->rows_accepted++;
	if (j->st && by == 1)
		j->st->by_id++;
	else if (j->st)
		j->st->by_name++;
	for (s = 0; s < 4; s++)
		if (j->st && strcmp(e.f[IMP_REG_STATUS],
				    imp_reg_codes(IMP_REG_STATUS)[s]) == 0)
			j->st->status[s]++;
cleanup:
	imp_reg_entry_release(&old);
	imp_reg_entry_release(&e);
	return rc;
}

/* ---------------------------------------------------------------------
 * The import
 * ------------------------------------------------------------------ */

/* The assets an earlier import of this file set (before its sources
 * row goes, which sets their source_id to NULL). */
static int load_earlier(struct job *j)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	if ((rc = core_ws_prepare(
		 j->ws, j->err, &st,
		 "SELECT p.asset_id FROM partners p JOIN sources s"
		 " ON s.id = p.source_id WHERE s.kind = 'partners'"
		 " AND s.path = ? ORDER BY p.asset_id")))
		return rc;
	sqlite3_bind_text(st, 1, j->src->path, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&j->earlier, &cap, j->nearlier + 1,
		      sizeof(*j->earlier));
		j->earlier[j->nearlier++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return core_ws_dberr(j->ws, j->err,
				     "reading the earlier import's register");
	return CORE_OK;
}

/* Drop the entries the earlier import set that this file no longer
 * names (or names in a rejected row). */
static int drop_earlier(struct job *j)
{
	size_t i;
	int rc = CORE_OK;

	for (i = 0; i < j->nearlier && !rc; i++) {
		struct imp_reg_entry old, none;

		if (seen_at(j, j->earlier[i]))
			continue;
		imp_reg_entry_init(&none);
		if (!(rc = imp_reg_load(j->reg, j->earlier[i], &old, j->err)))
			rc = imp_reg_store(j->reg, j->earlier[i], &old, &none,
					   0, 0, j->st ? &j->st->changes : NULL,
					   j->err);
		if (!rc && j->st)
			j->st->removed++;
		imp_reg_entry_release(&old);
	}
	return rc;
}

static int read_rows(struct job *j)
{
	int r, rc = CORE_OK;

	while ((r = next_row(j)) > 0) {
		if (r == 2)
			continue; /* rejected for its width */
		if ((rc = do_row(j)))
			return rc;
	}
	return r < 0 ? j->err->code : CORE_OK;
}

int imp_partners_import(struct core_ws *ws, const struct imp_partners_opts *o,
			struct imp_source *src,
			struct imp_partners_stats *stats, struct core_err *err)
{
	struct job j;
	struct core_buf opts = CORE_BUF_INIT;
	char *how = NULL;
	size_t i;
	int rc, began = 0;

	memset(&j, 0, sizeof(j));
	j.ws = ws;
	j.o = o;
	j.src = src;
	j.st = stats;
	j.err = err;
	if (stats)
		memset(stats, 0, sizeof(*stats));
	src->skip_bad = o->skip_bad;
	imp_gdal_init();
	imp_gdal_push(&j.msgs);

	if ((rc = open_file(&j)) || (rc = map_columns(&j)))
		goto cleanup;
	if (o->layer)
		imp_opt_add(&opts, "--layer", o->layer);
	imp_opt_finish(&opts, o->skip_bad, src);
	how = xasprintf("import partners %s", src->name);
	if ((rc = imp_matcher_new(ws, &j.m, err)) ||
	    (rc = imp_reg_programs_load(ws, &j.progs, err)))
		goto cleanup;
	if ((rc = core_ws_begin(ws, err)))
		goto cleanup;
	began = 1;
	if ((rc = load_earlier(&j)) || (rc = imp_source_open(ws, src, err)) ||
	    (rc = imp_reg_new(ws, how, NULL, &j.reg, err)) ||
	    (rc = core_ws_prepare(ws, err, &j.name_st,
				  "SELECT name FROM assets WHERE id = ?")) ||
	    (rc = read_rows(&j)) || (rc = drop_earlier(&j)) ||
	    (rc = imp_source_close(ws, src, err)))
		goto cleanup;
	imp_reg_free(j.reg);
	j.reg = NULL;
	sqlite3_finalize(j.name_st);
	j.name_st = NULL;
	imp_source_end_rejects(src);
	rc = core_ws_commit(ws, err);
cleanup:
	imp_reg_free(j.reg);
	sqlite3_finalize(j.name_st);
	imp_source_end_rejects(src);
	if (rc && began)
		core_ws_rollback(ws);
	if (rc && stats) {
		/* nothing was loaded */
		stats->changes = stats->removed = 0;
	}
	core_csv_free(j.csv);
	if (j.ds)
		GDALClose(j.ds);
	CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", NULL);
	CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", NULL);
	imp_gdal_pop();
	imp_matcher_free(j.m);
	imp_reg_programs_release(&j.progs);
	free_row(&j);
	for (i = 0; i < j.nhdr; i++)
		free(j.hdr[i]);
	free(j.hdr);
	free(j.val);
	free(j.pcols);
	free(j.earlier);
	free(j.seen);
	free(j.seen_line);
	core_buf_release(&opts);
	free(how);
	return rc;
}
