/*
 * imp_common.c - GDAL set-up, the file scan, the sources row and rejects.
 */
#include "importers/imp_common.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cpl_error.h>
#include <gdal.h>
#include <spatialite/gaiaaux.h>

#include "core/core_mem.h"

/* ---------------------------------------------------------------------
 * GDAL
 * ------------------------------------------------------------------ */

void imp_gdal_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	GDALAllRegister();
}

static void CPL_STDCALL on_gdal_msg(CPLErr cls, CPLErrorNum no,
				    const char *msg)
{
	struct imp_gdal_msgs *m = CPLGetErrorHandlerUserData();
	size_t n;

	(void)no;
	if (!m || (cls != CE_Failure && cls != CE_Fatal))
		return;
	m->failures++;
	snprintf(m->last, sizeof(m->last), "%s", msg ? msg : "");
	n = strlen(m->last);
	while (n > 0 && isspace((unsigned char)m->last[n - 1]))
		m->last[--n] = '\0';
}

void imp_gdal_push(struct imp_gdal_msgs *m)
{
	m->failures = 0;
	m->last[0] = '\0';
	CPLPushErrorHandlerEx(on_gdal_msg, m);
}

void imp_gdal_pop(void)
{
	CPLPopErrorHandler();
}

/* ---------------------------------------------------------------------
 * The file scan: MD5 and UTF-8 in one pass over the bytes.
 * ------------------------------------------------------------------ */

struct utf8_state {
	int need;             /* continuation bytes still expected */
	unsigned char lo, hi; /* allowed range of the next one */
	unsigned char lead;
	long line;
	int field;
	int inq;
	int sep;
	int as_csv;
	struct imp_utf8 *u;
};

static void utf8_bad(struct utf8_state *st, unsigned char b)
{
	st->u->bad = 1;
	st->u->byte = b;
	st->u->line = st->line;
	st->u->field = st->as_csv ? st->field : -1;
}

static void utf8_feed(struct utf8_state *st, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && !st->u->bad; i++) {
		unsigned char b = p[i];

		if (st->need) {
			if (b < st->lo || b > st->hi) {
				utf8_bad(st, st->lead);
				return;
			}
			st->need--;
			st->lo = 0x80;
			st->hi = 0xBF;
			continue;
		}
		if (b < 0x80) {
			if (!st->as_csv) {
				if (b == '\n')
					st->line++;
				continue;
			}
			if (b == '"') {
				st->inq = !st->inq;
			} else if (!st->inq) {
				if (!st->sep && st->line == 1 &&
				    (b == ',' || b == ';' || b == '\t'))
					st->sep = b;
				if (b == st->sep) {
					st->field++;
				} else if (b == '\n') {
					st->line++;
					st->field = 0;
				}
			}
			continue;
		}
		st->lead = b;
		st->lo = 0x80;
		st->hi = 0xBF;
		if (b >= 0xC2 && b <= 0xDF) {
			st->need = 1;
		} else if (b >= 0xE0 && b <= 0xEF) {
			st->need = 2;
			if (b == 0xE0)
				st->lo = 0xA0;
			else if (b == 0xED)
				st->hi = 0x9F;
		} else if (b >= 0xF0 && b <= 0xF4) {
			st->need = 3;
			if (b == 0xF0)
				st->lo = 0x90;
			else if (b == 0xF4)
				st->hi = 0x8F;
		} else {
			utf8_bad(st, b);
		}
	}
}

int imp_source_scan(struct imp_source *s, const char *path, int as_csv,
		    struct imp_utf8 *u, struct core_err *err)
{
	struct utf8_state st;
	unsigned char *buf = NULL;
	char real[PATH_MAX];
	const char *base;
	struct stat sb;
	void *md5 = NULL;
	FILE *fp = NULL;
	size_t n;
	int rc = CORE_OK;

	memset(u, 0, sizeof(*u));
	u->field = -1;
	free(s->arg);
	s->arg = xstrdup(path);
	base = strrchr(path, '/');
	free(s->name);
	s->name = xstrdup(base && base[1] ? base + 1 : path);

	fp = fopen(path, "rb");
	if (!fp) {
		rc = core_err_set(err, CORE_EIO, "cannot open %s: %s", path,
				  strerror(errno));
		goto cleanup;
	}
	if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		rc = core_err_set(err, CORE_EIO,
				  "%s is not a regular file; give the data file itself (for a shapefile, the .shp)",
				  path);
		goto cleanup;
	}
	if (sb.st_size == 0) {
		rc = core_err_set(err, CORE_EFORMAT,
				  "%s is empty (0 bytes); nothing to import",
				  s->name);
		goto cleanup;
	}
	free(s->path);
	s->path = xstrdup(realpath(path, real) ? real : path);

	memset(&st, 0, sizeof(st));
	st.line = 1;
	st.as_csv = as_csv;
	st.u = u;
	md5 = gaiaCreateMD5Checksum();
	buf = xmalloc(1 << 16);
	while ((n = fread(buf, 1, 1 << 16, fp)) > 0) {
		gaiaUpdateMD5Checksum(md5, buf, (int)n);
		utf8_feed(&st, buf, n);
	}
	if (ferror(fp)) {
		rc = core_err_set(err, CORE_EIO, "cannot read %s: %s", path,
				  strerror(errno));
		goto cleanup;
	}
	if (st.need && !u->bad)
		utf8_bad(&st, st.lead);
	free(s->checksum);
	s->checksum = gaiaFinalizeMD5Checksum(md5);
	if (!s->checksum) {
		rc = core_err_set(err, CORE_EFAIL, "cannot checksum %s", path);
		goto cleanup;
	}
	/* malloc'ed by SpatiaLite: keep it ours with our allocator. */
	{
		char *c = xstrdup(s->checksum);
		free(s->checksum);
		s->checksum = c;
	}
cleanup:
	if (md5)
		gaiaFreeMD5Checksum(md5);
	free(buf);
	if (fp)
		fclose(fp);
	return rc;
}

/* ---------------------------------------------------------------------
 * The sources row
 * ------------------------------------------------------------------ */

void imp_source_init(struct imp_source *s, const char *kind)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
}

void imp_source_release(struct imp_source *s)
{
	size_t i;

	if (!s)
		return;
	free(s->arg);
	free(s->path);
	free(s->name);
	free(s->format);
	free(s->layer);
	free(s->checksum);
	free(s->options);
	for (i = 0; i < s->nshown; i++) {
		free(s->shown[i].field);
		free(s->shown[i].value);
		free(s->shown[i].reason);
		free(s->shown[i].msg);
	}
	sqlite3_finalize(s->reject_st);
	memset(s, 0, sizeof(*s));
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int imp_source_open(struct core_ws *ws, struct imp_source *s,
		    struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = core_ws_prepare(ws, err, &st,
				  "DELETE FROM sources WHERE kind = ? AND path = ?")))
		goto cleanup;
	sqlite3_bind_text(st, 1, s->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->path, -1, SQLITE_STATIC);
	if ((rc = core_ws_step(ws, err, st)))
		goto cleanup;
	sqlite3_finalize(st);
	st = NULL;

	if ((rc = core_ws_prepare(ws, err, &st,
				  "INSERT INTO sources(kind, path, name, format, layer,"
				  " checksum, options, imported_at)"
				  " VALUES(?, ?, ?, ?, ?, ?, ?,"
				  " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")))
		goto cleanup;
	sqlite3_bind_text(st, 1, s->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, s->format ? s->format : "unknown", -1,
			  SQLITE_STATIC);
	bind_text_or_null(st, 5, s->layer);
	sqlite3_bind_text(st, 6, s->checksum ? s->checksum : "", -1,
			  SQLITE_STATIC);
	bind_text_or_null(st, 7, s->options);
	if ((rc = core_ws_step(ws, err, st)))
		goto cleanup;
	s->id = sqlite3_last_insert_rowid(ws->db);

	sqlite3_finalize(s->reject_st);
	s->reject_st = NULL;
	if (s->skip_bad)
		rc = core_ws_prepare(ws, err, &s->reject_st,
				     "INSERT INTO source_rejects(source_id, line,"
				     " field, value, reason) VALUES(?, ?, ?, ?, ?)");
cleanup:
	sqlite3_finalize(st);
	return rc;
}

const char *imp_source_where(const struct imp_source *s, long line,
			     char *buf, size_t n)
{
	snprintf(buf, n, "%s %ld", s->csv_lines ? "line" : "feature", line);
	return buf;
}

/* Value as shown in a message: at most 60 bytes, cut on a character
 * boundary. */
static void add_quoted(struct core_buf *b, const char *v)
{
	size_t n = strlen(v);

	if (n <= 60) {
		core_buf_addf(b, "'%s'", v);
		return;
	}
	n = 57;
	while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
		n--;
	core_buf_addc(b, '\'');
	core_buf_add(b, v, n);
	core_buf_adds(b, "...'");
}

int imp_reject(struct core_ws *ws, struct imp_source *s, long line,
	       const char *field, const char *value, struct core_err *err,
	       const char *reason, ...)
{
	struct core_buf msg = CORE_BUF_INIT;
	char where[48];
	char *why;
	va_list ap;
	int rc = CORE_OK;

	{
		struct core_buf rb = CORE_BUF_INIT;
		va_start(ap, reason);
		core_buf_vaddf(&rb, reason, ap);
		va_end(ap);
		why = core_buf_detach(&rb);
	}
	s->rows_rejected++;
	core_buf_addf(&msg, "%s %s", s->name,
		      imp_source_where(s, line, where, sizeof(where)));
	if (field)
		core_buf_addf(&msg, ", field %s", field);
	core_buf_adds(&msg, ": ");
	if (value) {
		add_quoted(&msg, value);
		core_buf_addc(&msg, ' ');
	}
	core_buf_adds(&msg, why);

	if (s->reject_st) {
		sqlite3_stmt *st = s->reject_st;
		sqlite3_bind_int64(st, 1, s->id);
		sqlite3_bind_int64(st, 2, line);
		bind_text_or_null(st, 3, field);
		bind_text_or_null(st, 4, value);
		sqlite3_bind_text(st, 5, why, -1, SQLITE_STATIC);
		rc = core_ws_step(ws, err, st);
		sqlite3_clear_bindings(st);
	}
	if (s->nshown < IMP_REJECTS_SHOWN) {
		struct imp_reject *r = &s->shown[s->nshown++];
		r->line = line;
		r->field = xstrdup_or_null(field);
		r->value = xstrdup_or_null(value);
		r->reason = why;
		r->msg = core_buf_detach(&msg);
		why = NULL;
	}
	free(why);
	core_buf_release(&msg);
	return rc;
}

int imp_source_close(struct core_ws *ws, struct imp_source *s,
		     struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t good = s->rows_read - s->rows_rejected;
	int rc;

	if (s->rows_read == 0)
		return core_err_set(err, CORE_EFORMAT,
				    s->csv_lines
					    ? "%s has a header but no data rows; nothing to import"
					    : "%s has no features; nothing to import",
				    s->name);
	if (s->rows_rejected && good == 0) {
		if (s->rows_rejected == 1)
			return core_err_set(err, CORE_EFORMAT,
					    "%s\nnothing was imported", s->shown[0].msg);
		return core_err_set(err, CORE_EFORMAT,
				    "%s: all %lld rows were rejected (the first at %s %ld); nothing was imported",
				    s->name, (long long)s->rows_rejected,
				    s->csv_lines ? "line" : "feature",
				    s->shown[0].line);
	}
	if (s->rows_rejected && !s->skip_bad) {
		if (s->rows_rejected == 1)
			return core_err_set(err, CORE_EFORMAT,
					    "%s\nnothing was imported; fix that row, or give --skip-bad to import the other %lld row%s",
					    s->shown[0].msg, (long long)good,
					    good == 1 ? "" : "s");
		return core_err_set(err, CORE_EFORMAT,
				    "%s: %lld rows rejected (the first at %s %ld), nothing was imported; fix them, or give --skip-bad to import the %lld good row%s",
				    s->name, (long long)s->rows_rejected,
				    s->csv_lines ? "line" : "feature",
				    s->shown[0].line, (long long)good,
				    good == 1 ? "" : "s");
	}
	if ((rc = core_ws_prepare(ws, err, &st,
				  "UPDATE sources SET rows_read = ?, rows_accepted = ?,"
				  " rows_rejected = ?, rows_merged = ? WHERE id = ?")))
		return rc;
	sqlite3_bind_int64(st, 1, s->rows_read);
	sqlite3_bind_int64(st, 2, s->rows_accepted);
	sqlite3_bind_int64(st, 3, s->rows_rejected);
	sqlite3_bind_int64(st, 4, s->rows_merged);
	sqlite3_bind_int64(st, 5, s->id);
	rc = core_ws_step(ws, err, st);
	sqlite3_finalize(st);
	return rc;
}

/* ---------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------ */

int imp_parse_number(const char *s, double *out)
{
	const char *p;
	char *end;
	int digits = 0;
	double v;

	while (isspace((unsigned char)*s))
		s++;
	for (p = s; *p && !isspace((unsigned char)*p); p++) {
		if (isdigit((unsigned char)*p))
			digits = 1;
		else if (!strchr("+-.eE", *p))
			return 0;
	}
	if (!digits)
		return 0;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno == ERANGE || !isfinite(v))
		return 0;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return 0;
	*out = v;
	return 1;
}

int imp_parse_bool(const char *s)
{
	static const char *const yes[] = { "yes", "y", "true", "t", "1", NULL };
	static const char *const no[] = { "no", "n", "false", "f", "0", NULL };
	char *v = imp_trim_dup(s);
	int i, r = -1;

	for (i = 0; yes[i] && r < 0; i++)
		if (strcasecmp(v, yes[i]) == 0)
			r = 1;
	for (i = 0; no[i] && r < 0; i++)
		if (strcasecmp(v, no[i]) == 0)
			r = 0;
	free(v);
	return r;
}

char *imp_trim_dup(const char *s)
{
	const char *e;
	char *r;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	r = xmalloc((size_t)(e - s) + 1);
	memcpy(r, s, (size_t)(e - s));
	r[e - s] = '\0';
	return r;
}

static int name_skip(char c)
{
	return c == ' ' || c == '_' || c == '-' || c == '.';
}

int imp_name_eq(const char *a, const char *b)
{
	for (;;) {
		while (name_skip(*a))
			a++;
		while (name_skip(*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}
