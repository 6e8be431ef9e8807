/*
 * imp_common.c - GDAL set-up, the file scan, the sources row and rejects.
 */
#include "importers/imp_common.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <spatialite/gaiaaux.h>

#include "core/core_dict.h"
#include "core/core_hash.h"
#include "core/core_mem.h"
#include "core/core_utf8.h"

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

static void CPL_STDCALL on_gdal_msg(CPLErr cls, CPLErrorNum no, const char *msg)
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
 * The file scan: MD5, UTF-8 and Windows-1252 in one pass over the bytes.
 * ------------------------------------------------------------------ */

/* Where a byte was seen. */
struct where {
	int seen;
	unsigned char byte;
	long line;
	int field;
};

struct scan_state {
	int need;	      /* continuation bytes still expected */
	unsigned char lo, hi; /* allowed range of the next one */
	unsigned char lead;
	long lead_line;
	int lead_field;
	long line;
	int field;
	int inq;
	int sep;
	int as_csv;
	int64_t offset;		/* bytes fed so far */
	int bom;		/* the file starts with EF BB BF */
	int64_t multibyte;	/* valid UTF-8 sequences of 2-4 bytes */
	struct where bad;	/* first byte that is not UTF-8 */
	struct where cp_bad;	/* first byte undefined in Windows-1252 */
	struct core_buf header; /* as_csv: the first record's bytes */
};

static void mark(struct scan_state *scan, struct where *w, unsigned char b,
		 long line, int field)
{
	if (w->seen)
		return;
	w->seen = 1;
	w->byte = b;
	w->line = line;
	w->field = scan->as_csv ? field : -1;
}

/* Windows-1252 leaves these five bytes undefined. */
static int cp1252_undefined(unsigned char b)
{
	return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D;
}

/*
 * Feed the next n bytes of the file to the scan, carrying its state from
 * one call to the next (a UTF-8 sequence or a CSV quote may span calls):
 * note a leading byte-order mark, the first byte that is not valid UTF-8
 * and the first undefined in Windows-1252 (each with its line and, for a
 * CSV, its field), count the valid multi-byte sequences and, for a CSV,
 * keep the header record's bytes and its separator (the first ',', ';' or
 * tab outside quotes on line 1).
 */
static void scan_feed(struct scan_state *scan, const unsigned char *p, size_t n)
{
	size_t i;

	if (scan->offset == 0 && n >= 3 && p[0] == 0xEF && p[1] == 0xBB &&
	    p[2] == 0xBF)
		scan->bom = 1;
	for (i = 0; i < n; i++) {
		unsigned char b = p[i];

		if (b >= 0x80 && cp1252_undefined(b))
			mark(scan, &scan->cp_bad, b, scan->line, scan->field);
		if (scan->as_csv && scan->line == 1 &&
		    scan->header.len < 65536 &&
		    !(scan->bom && scan->offset + (int64_t)i < 3))
			core_buf_addc(&scan->header, (char)b);
		if (scan->need) {
			if (b >= scan->lo && b <= scan->hi) {
				scan->lo = 0x80;
				scan->hi = 0xBF;
				if (--scan->need == 0)
					scan->multibyte++;
				continue;
			}
			/* A broken sequence: blame its lead byte, then read
			 * this byte afresh. */
			mark(scan, &scan->bad, scan->lead, scan->lead_line,
			     scan->lead_field);
			scan->need = 0;
		}
		if (b < 0x80) {
			if (!scan->as_csv) {
				if (b == '\n')
					scan->line++;
				continue;
			}
			if (b == '"') {
				scan->inq = !scan->inq;
			} else if (!scan->inq) {
				if (!scan->sep && scan->line == 1 &&
				    (b == ',' || b == ';' || b == '\t'))
					scan->sep = b;
				if (b == scan->sep) {
					scan->field++;
				} else if (b == '\n') {
					scan->line++;
					scan->field = 0;
				}
			}
			continue;
		}
		scan->lead = b;
		scan->lead_line = scan->line;
		scan->lead_field = scan->field;
		scan->lo = 0x80;
		scan->hi = 0xBF;
		if (b >= 0xC2 && b <= 0xDF) {
			scan->need = 1;
		} else if (b >= 0xE0 && b <= 0xEF) {
			scan->need = 2;
			if (b == 0xE0)
				scan->lo = 0xA0;
			else if (b == 0xED)
				scan->hi = 0x9F;
		} else if (b >= 0xF0 && b <= 0xF4) {
			scan->need = 3;
			if (b == 0xF0)
				scan->lo = 0x90;
			else if (b == 0xF4)
				scan->hi = 0x8F;
		} else {
			mark(scan, &scan->bad, b, scan->line, scan->field);
		}
	}
	scan->offset += (int64_t)n;
}

/* Check the file, fill arg, path, name and checksum, and scan its bytes. */
static int scan_file(struct imp_source *s, const char *path, int as_csv,
		     struct scan_state *scan, struct core_err *err)
{
	unsigned char *buf = NULL;
	char real[PATH_MAX];
	const char *base;
	struct stat sb;
	struct imp_md5 md5;
	int md5_set = 0;
	FILE *fp = NULL;
	size_t n;
	int rc = CORE_OK;

	memset(scan, 0, sizeof(*scan));
	scan->line = 1;
	scan->as_csv = as_csv;
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
				  "%s is not a regular file; give the data "
				  "file itself (for a shapefile, the .shp)",
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

	imp_md5_init(&md5);
	md5_set = 1;
	buf = xmalloc(1 << 16);
	while ((n = fread(buf, 1, 1 << 16, fp)) > 0) {
		imp_md5_update(&md5, buf, n);
		scan_feed(scan, buf, n);
	}
	if (ferror(fp)) {
		rc = core_err_set(err, CORE_EIO, "cannot read %s: %s", path,
				  strerror(errno));
		goto cleanup;
	}
	if (scan->need)
		mark(scan, &scan->bad, scan->lead, scan->lead_line,
		     scan->lead_field);
	free(s->checksum);
	s->checksum = imp_md5_finish(&md5);
	md5_set = 0;
	if (!s->checksum) {
		rc = core_err_set(err, CORE_EFAIL, "cannot checksum %s", path);
		goto cleanup;
	}
cleanup:
	if (md5_set)
		free(imp_md5_finish(&md5));
	free(buf);
	if (fp)
		fclose(fp);
	return rc;
}

int imp_source_scan(struct imp_source *s, const char *path, int as_csv,
		    struct imp_utf8 *u, struct core_err *err)
{
	struct scan_state scan;
	int rc;

	memset(u, 0, sizeof(*u));
	u->field = -1;
	rc = scan_file(s, path, as_csv, &scan, err);
	if (rc == CORE_OK && scan.bad.seen) {
		u->bad = 1;
		u->byte = scan.bad.byte;
		u->line = scan.bad.line;
		u->field = scan.bad.field;
	}
	core_buf_release(&scan.header);
	return rc;
}

/* ---------------------------------------------------------------------
 * Encodings
 * ------------------------------------------------------------------ */

/* Windows-1252 0x80..0x9F as Unicode; 0 where undefined. */
static const unsigned short cp1252_c1[32] = {
    0x20AC, 0,	    0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,	    0x017D, 0,
    0,	    0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,	    0x017E, 0x0178};

int imp_cp1252_utf8(unsigned char b, char *out)
{
	unsigned cp = b >= 0xA0 ? b : cp1252_c1[b - 0x80];

	if (!cp)
		return 0;
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	out[0] = (char)(0xE0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

int imp_to_utf8(const char *s, size_t n, struct core_buf *b, unsigned char *bad)
{
	size_t ok = core_utf8_check(s, n), i;
	char ch[4];

	core_buf_reset(b);
	if (ok == n) {
		core_buf_add(b, s, n);
		return 0;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int k;
		if (c < 0x80) {
			core_buf_addc(b, (char)c);
			continue;
		}
		if (!(k = imp_cp1252_utf8(c, ch))) {
			*bad = c;
			return -1;
		}
		core_buf_add(b, ch, (size_t)k);
	}
	return 1;
}

/* ---------------------------------------------------------------------
 * The MD5 of a source (sources.checksum)
 * ------------------------------------------------------------------ */

void imp_md5_init(struct imp_md5 *m)
{
	memset(m, 0, sizeof(*m));
	m->ctx = gaiaCreateMD5Checksum();
}

void imp_md5_update(struct imp_md5 *m, const void *p, size_t n)
{
	const unsigned char *b = p;

	/* SpatiaLite takes an int: a GiB at a time */
	while (n > 0) {
		size_t k = n < (1u << 30) ? n : (1u << 30);
		gaiaUpdateMD5Checksum(m->ctx, b, (int)k);
		b += k;
		n -= k;
	}
}

char *imp_md5_finish(struct imp_md5 *m)
{
	char *hex, *out = NULL;

	if (!m->ctx)
		return NULL;
	hex = gaiaFinalizeMD5Checksum(m->ctx);
	gaiaFreeMD5Checksum(m->ctx);
	m->ctx = NULL;
	/* malloc'ed by SpatiaLite: ours with our allocator */
	if (hex)
		out = xstrdup(hex);
	free(hex);
	return out;
}

static void *md5_thread(void *arg)
{
	struct imp_md5 *m = arg;

	imp_md5_update(m, m->p, m->n);
	m->hex = imp_md5_finish(m);
	return NULL;
}

void imp_md5_start(struct imp_md5 *m, const void *p, size_t n)
{
	imp_md5_init(m);
	m->p = p;
	m->n = n;
	m->started = pthread_create(&m->th, NULL, md5_thread, m) == 0;
	if (!m->started)
		md5_thread(m);
	m->running = 1;
}

char *imp_md5_join(struct imp_md5 *m)
{
	char *hex;

	if (!m->running)
		return NULL;
	if (m->started)
		pthread_join(m->th, NULL);
	hex = m->hex;
	memset(m, 0, sizeof(*m));
	return hex;
}

/* The name of CSV column field from the header bytes, into b. */
static void header_field(const struct scan_state *scan, int field,
			 struct core_buf *b)
{
	const char *p = core_buf_str(&scan->header);
	int k = 0, inq = 0;

	for (; *p && *p != '\n' && *p != '\r'; p++) {
		if (*p == '"') {
			inq = !inq;
			continue;
		}
		if (!inq && *p == scan->sep) {
			if (k++ == field)
				return;
			continue;
		}
		if (k == field)
			core_buf_addc(b, *p);
	}
}

/* "FILE line 3, field name" (or "(the header)", or just the line). */
static void add_where(const struct imp_source *s, const struct scan_state *scan,
		      const struct where *w, struct core_buf *b)
{
	if (s)
		core_buf_addf(b, "%s ", s->name);
	core_buf_addf(b, "line %ld", w->line);
	if (w->field < 0)
		return;
	if (w->line == 1) {
		core_buf_adds(b, " (the header)");
		return;
	}
	{
		struct core_buf f = CORE_BUF_INIT;
		header_field(scan, w->field, &f);
		if (f.len)
			core_buf_addf(b, ", field %s", core_buf_str(&f));
		else
			core_buf_addf(b, ", field %d", w->field + 1);
		core_buf_release(&f);
	}
}

static const char save_as_utf8[] =
    "save the file as UTF-8 (in Excel: Save As, 'CSV UTF-8') or convert"
    " it with 'iconv -f YOUR-ENCODING -t UTF-8'";

/* Where write_copy puts the UTF-8 text: a GDAL in-memory file, or the
 * descriptor of a temporary file that has no name. */
struct copy_sink {
	VSILFILE *vf;
	int fd;
};

static int sink_write(struct copy_sink *k, const char *p, size_t n)
{
	ssize_t w;

	if (k->vf)
		return VSIFWriteL(p, 1, n, k->vf) == n ? 0 : -1;
	while (n > 0) {
		w = write(k->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A read-write descriptor of a new file in dir with no name in any
 * directory, so that no kill can leave it behind: O_TMPFILE where the
 * file system has it, else mkstemp and unlink at once.  -1 on failure,
 * errno set. */
static int nameless_file(const char *dir)
{
	char *name;
	int fd, e;

#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL &&
	    errno != ENOENT)
		return -1;
#endif
	name = xasprintf("%s/assetmap-XXXXXX", dir);
	fd = mkostemp(name, O_CLOEXEC);
	e = errno;
	if (fd >= 0)
		unlink(name);
	free(name);
	errno = e;
	return fd;
}

/* Make the UTF-8 text of path (without its BOM; from Windows-1252 when
 * cp1252): with IMP_TEXT_GDAL a /vsimem/ file under the same base name,
 * else a nameless temporary file opened as /proc/self/fd/N. */
static int write_copy(struct imp_source *s, const char *path, unsigned flags,
		      int skip_bom, int cp1252, struct core_err *err)
{
	const char *tmp = getenv("TMPDIR");
	struct copy_sink k = {NULL, -1};
	unsigned char *in = NULL;
	char *out = NULL;
	FILE *fi = NULL;
	size_t n, i, m;
	int rc = CORE_OK, first = 1;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (flags & IMP_TEXT_GDAL) {
		s->tmp_vsidir = xasprintf("/vsimem/assetmap-%p", (void *)s);
		s->tmp_path = xasprintf("%s/%s", s->tmp_vsidir, s->name);
		if (!(k.vf = VSIFOpenL(s->tmp_path, "wb"))) {
			rc = core_err_set(
			    err, CORE_EIO,
			    "cannot make a UTF-8 copy of %s in memory",
			    s->name);
			goto cleanup;
		}
	} else {
		if ((k.fd = nameless_file(tmp)) < 0) {
			rc = core_err_set(err, CORE_EIO,
					  "cannot make a temporary file in %s "
					  "for the UTF-8 text of %s: %s (set "
					  "TMPDIR to a writable directory)",
					  tmp, s->name, strerror(errno));
			goto cleanup;
		}
		s->tmp_fd = k.fd;
		s->tmp_path = xasprintf("/proc/self/fd/%d", k.fd);
	}
	if (!(fi = fopen(path, "rb"))) {
		rc = core_err_set(err, CORE_EIO, "cannot read %s: %s", path,
				  strerror(errno));
		goto cleanup;
	}
	in = xmalloc(1 << 16);
	out = xmalloc(3 << 16);
	while ((n = fread(in, 1, 1 << 16, fi)) > 0) {
		i = 0;
		if (first && skip_bom && n >= 3 && in[0] == 0xEF &&
		    in[1] == 0xBB && in[2] == 0xBF)
			i = 3;
		first = 0;
		if (!cp1252) {
			m = n - i;
			memcpy(out, in + i, m);
		} else {
			for (m = 0; i < n; i++) {
				if (in[i] < 0x80)
					out[m++] = (char)in[i];
				else
					m += (size_t)imp_cp1252_utf8(in[i],
								     out + m);
			}
		}
		if (sink_write(&k, out, m) != 0) {
			rc = core_err_set(
			    err, CORE_EIO,
			    "cannot write the UTF-8 text of %s in %s: %s",
			    s->name, k.vf ? "memory" : tmp, strerror(errno));
			goto cleanup;
		}
	}
	if (ferror(fi))
		rc = core_err_set(err, CORE_EIO, "cannot read %s: %s", path,
				  strerror(errno));
cleanup:
	if (fi)
		fclose(fi);
	if (k.vf && VSIFCloseL(k.vf) != 0 && !rc)
		rc = core_err_set(err, CORE_EIO,
				  "cannot make a UTF-8 copy of %s in memory",
				  s->name);
	free(in);
	free(out);
	return rc;
}

int imp_source_text(struct imp_source *s, const char *path, unsigned flags,
		    const char **open_path, struct core_err *err)
{
	struct scan_state scan;
	struct core_buf b = CORE_BUF_INIT;
	char ch[4] = {0};
	int rc;

	*open_path = path;
	imp_source_drop_copy(s);
	rc = scan_file(s, path, (flags & IMP_TEXT_CSV) != 0, &scan, err);
	if (rc)
		goto cleanup;
	free(s->encoding);
	s->encoding = NULL;
	if (!scan.bad.seen) {
		s->encoding = xstrdup("utf-8");
		if (scan.bom && !(flags & IMP_TEXT_KEEP_BOM)) {
			if ((rc = write_copy(s, path, flags, 1, 0, err)))
				goto cleanup;
			*open_path = s->tmp_path;
		}
		goto cleanup;
	}
	if (scan.cp_bad.seen) {
		add_where(s, &scan, &scan.cp_bad, &b);
		core_buf_addf(
		    &b,
		    ": byte 0x%02x is neither UTF-8 nor Windows-1252 text; %s",
		    scan.cp_bad.byte, save_as_utf8);
		rc = core_err_set(err, CORE_EFORMAT, "%s", core_buf_str(&b));
		goto cleanup;
	}
	imp_cp1252_utf8(scan.bad.byte, ch);
	if (scan.multibyte) {
		core_buf_addf(&b,
			      "%s mixes encodings: it holds UTF-8 text, but ",
			      s->name);
		add_where(NULL, &scan, &scan.bad, &b);
		core_buf_addf(&b,
			      " has byte 0x%02x, which is not UTF-8 (in "
			      "Windows-1252 it is '%s'); %s",
			      scan.bad.byte, ch, save_as_utf8);
		rc = core_err_set(err, CORE_EFORMAT, "%s", core_buf_str(&b));
		goto cleanup;
	}
	if ((rc = write_copy(s, path, flags, 0, 1, err)))
		goto cleanup;
	*open_path = s->tmp_path;
	s->encoding = xstrdup("windows-1252");
	core_buf_addf(&b,
		      "%s is not UTF-8; read it as Windows-1252 (the first "
		      "such character: ",
		      s->name);
	add_where(NULL, &scan, &scan.bad, &b);
	core_buf_addf(&b, ", byte 0x%02x = '%s'); save it as UTF-8 to be sure",
		      scan.bad.byte, ch);
	free(s->warning);
	s->warning = core_buf_detach(&b);
	s->warnings++;
cleanup:
	if (rc) {
		imp_source_drop_copy(s);
		*open_path = path;
	}
	core_buf_release(&scan.header);
	core_buf_release(&b);
	return rc;
}

char *imp_text_dup(struct imp_source *s, const char *v, long line,
		   const char *field)
{
	struct core_buf b = CORE_BUF_INIT;
	const unsigned char *p = (const unsigned char *)v;
	size_t n, i, ok, first = (size_t)-1;
	char ch[4];
	int k;

	if (!v)
		return NULL;
	n = strlen(v);
	if ((ok = core_utf8_check(v, n)) == n)
		return xstrdup(v);
	for (i = 0; i < n;) {
		size_t len = core_utf8_check(v + i, n - i);
		core_buf_add(&b, v + i, len);
		i += len;
		if (i >= n)
			break;
		/* one byte that starts no valid sequence, as Windows-1252 */
		if (first == (size_t)-1)
			first = i;
		k = imp_cp1252_utf8(p[i], ch);
		if (k)
			core_buf_add(&b, ch, (size_t)k);
		else
			core_buf_adds(&b, "\xEF\xBF\xBD");
		i++;
	}
	if (!s->warning) {
		char where[48];
		memset(ch, 0, sizeof(ch));
		if (!imp_cp1252_utf8(p[first], ch))
			memcpy(ch, "\xEF\xBF\xBD", 3);
		s->warning = xasprintf(
		    "%s holds text that is not UTF-8; read it as Windows-1252 "
		    "(the first such character: %s, field %s, byte 0x%02x = "
		    "'%s'); save it as UTF-8 to be sure (for a shapefile, a "
		    ".cpg file beside it names the encoding)",
		    s->name ? s->name : "the file",
		    imp_source_where(s, line, where, sizeof(where)),
		    field ? field : "?", p[first], ch);
		s->warnings++;
		free(s->encoding);
		s->encoding = xstrdup("windows-1252");
	}
	return core_buf_detach(&b);
}

void imp_source_drop_copy(struct imp_source *s)
{
	if (s->tmp_vsidir)
		VSIRmdirRecursive(s->tmp_vsidir);
	else if (s->tmp_path)
		close(s->tmp_fd);
	free(s->tmp_path);
	free(s->tmp_vsidir);
	s->tmp_path = NULL;
	s->tmp_vsidir = NULL;
	s->tmp_fd = -1;
}
/* ---------------------------------------------------------------------
 * The sources row
 * ------------------------------------------------------------------ */

int imp_bulk_begin_ex(struct core_ws *ws, struct imp_bulk *b, int64_t cache_kib,
		      int flags, struct core_err *err)
{
	char sql[192];
	int rc;

	memset(b, 0, sizeof(*b));
	b->foreign_keys = 1;
	b->flags = flags;
	if ((rc = core_ws_int(ws, err, "PRAGMA cache_size", &b->cache)) ||
	    (rc = core_ws_int(ws, err, "PRAGMA temp_store", &b->temp_store)) ||
	    ((flags & IMP_BULK_SECURE_DELETE) &&
	     (rc = core_ws_int(ws, err, "PRAGMA secure_delete",
			       &b->secure_delete))) ||
	    ((flags & IMP_BULK_NO_FKEYS) &&
	     (rc = core_ws_int(ws, err, "PRAGMA foreign_keys",
			       &b->foreign_keys))))
		return rc;
	snprintf(
	    sql, sizeof(sql),
	    "PRAGMA cache_size = -%lld; PRAGMA temp_store = MEMORY%s%s",
	    (long long)cache_kib,
	    flags & IMP_BULK_SECURE_DELETE ? "; PRAGMA secure_delete = ON" : "",
	    flags & IMP_BULK_NO_FKEYS ? "; PRAGMA foreign_keys = OFF" : "");
	if ((rc = core_ws_exec(ws, err, sql)))
		return rc;
	b->set = 1;
	return CORE_OK;
}

int imp_bulk_begin(struct core_ws *ws, struct imp_bulk *b, struct core_err *err)
{
	return imp_bulk_begin_ex(ws, b, 262144, 0, err);
}

void imp_bulk_end(struct core_ws *ws, struct imp_bulk *b)
{
	char sql[256];
	int n;

	if (!b->set)
		return;
	n = snprintf(sql, sizeof(sql),
		     "PRAGMA cache_size = %lld; PRAGMA temp_store = %lld",
		     (long long)b->cache, (long long)b->temp_store);
	if (b->flags & IMP_BULK_SECURE_DELETE)
		n += snprintf(sql + n, sizeof(sql) - (size_t)n,
			      "; PRAGMA secure_delete = %lld",
			      (long long)b->secure_delete);
	if (b->flags & IMP_BULK_NO_FKEYS)
		snprintf(sql + n, sizeof(sql) - (size_t)n,
			 "; PRAGMA foreign_keys = %lld",
			 (long long)b->foreign_keys);
	sqlite3_exec(ws->db, sql, NULL, NULL, NULL);
	b->set = 0;
}

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
	free(s->publisher);
	free(s->dataset);
	free(s->year);
	imp_source_drop_copy(s);
	free(s->encoding);
	free(s->warning);
	for (i = 0; i < s->nkinds; i++) {
		free(s->kinds[i].field);
		free(s->kinds[i].reason);
		free(s->kinds[i].first);
	}
	s->nkinds = 0;
	s->reject_other = 0;
	for (i = 0; i < s->nshown; i++) {
		free(s->shown[i].field);
		free(s->shown[i].value);
		free(s->shown[i].reason);
		free(s->shown[i].msg);
		free(s->shown[i].file);
	}
	sqlite3_finalize(s->reject_st);
	memset(s, 0, sizeof(*s));
}

void imp_source_end_rejects(struct imp_source *s)
{
	sqlite3_finalize(s->reject_st);
	s->reject_st = NULL;
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

	if ((rc = core_ws_prepare(
		 ws, err, &st,
		 "DELETE FROM sources WHERE kind = ? AND path = ?")))
		goto cleanup;
	sqlite3_bind_text(st, 1, s->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->path, -1, SQLITE_STATIC);
	if ((rc = core_ws_step(ws, err, st)))
		goto cleanup;
	sqlite3_finalize(st);
	st = NULL;

	if ((rc = core_ws_prepare(
		 ws, err, &st,
		 "INSERT INTO sources(kind, path, name, format, layer,"
		 " checksum, options, encoding, warnings, imported_at)"
		 " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?,"
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
	bind_text_or_null(st, 8, s->encoding);
	sqlite3_bind_int64(st, 9, s->warnings);
	if ((rc = core_ws_step(ws, err, st)))
		goto cleanup;
	s->id = sqlite3_last_insert_rowid(ws->db);

	imp_source_end_rejects(s);
	if (s->skip_bad)
		rc = core_ws_prepare(
		    ws, err, &s->reject_st,
		    "INSERT INTO source_rejects(source_id, line,"
		    " field, value, reason, file)"
		    " VALUES(?, ?, ?, ?, ?, ?)");
cleanup:
	sqlite3_finalize(st);
	return rc;
}

const char *imp_source_where(const struct imp_source *s, long line, char *buf,
			     size_t n)
{
	snprintf(buf, n, "%s %ld", s->csv_lines ? "line" : "feature", line);
	return buf;
}

void imp_quote_value(struct core_buf *b, const char *v)
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
	/* A package's file, unless it is the source's own. */
	const char *file =
	    s->reject_file && (!s->name || strcmp(s->reject_file, s->name))
		? s->reject_file
		: NULL;

	{
		struct core_buf rb = CORE_BUF_INIT;
		va_start(ap, reason);
		core_buf_vaddf(&rb, reason, ap);
		va_end(ap);
		why = core_buf_detach(&rb);
	}
	s->rows_rejected++;
	core_buf_addf(&msg, "%s %s", file ? file : s->name,
		      imp_source_where(s, line, where, sizeof(where)));
	if (field)
		core_buf_addf(&msg, ", field %s", field);
	core_buf_adds(&msg, ": ");
	if (value) {
		imp_quote_value(&msg, value);
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
		bind_text_or_null(st, 6, file);
		rc = core_ws_step(ws, err, st);
		sqlite3_clear_bindings(st);
	}
	{
		size_t k;

		for (k = 0; k < s->nkinds; k++)
			if (strcmp(s->kinds[k].reason, why) == 0 &&
			    (field ? s->kinds[k].field &&
					 strcmp(s->kinds[k].field, field) == 0
				   : !s->kinds[k].field))
				break;
		if (k < s->nkinds) {
			s->kinds[k].count++;
		} else if (k < IMP_REJECT_KINDS) {
			s->kinds[k].field = xstrdup_or_null(field);
			s->kinds[k].reason = xstrdup(why);
			s->kinds[k].first = xstrdup(core_buf_str(&msg));
			s->kinds[k].count = 1;
			s->nkinds++;
		} else {
			s->reject_other++;
		}
	}
	if (s->nshown < IMP_REJECTS_SHOWN) {
		struct imp_reject *r = &s->shown[s->nshown++];
		r->line = line;
		r->field = xstrdup_or_null(field);
		r->value = xstrdup_or_null(value);
		r->reason = why;
		r->file = xstrdup_or_null(file);
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
		return core_err_set(
		    err, CORE_EFORMAT,
		    s->csv_lines
			? "%s has a header but no data rows; nothing to import"
			: "%s has no features; nothing to import",
		    s->name);
	if (s->rows_rejected && good == 0) {
		if (s->rows_rejected == 1)
			return core_err_set(err, CORE_EFORMAT,
					    "%s\nnothing was imported",
					    s->shown[0].msg);
		return core_err_set(err, CORE_EFORMAT,
				    "%s: all %lld rows were rejected (the "
				    "first at %s %ld); nothing was imported",
				    s->name, (long long)s->rows_rejected,
				    s->csv_lines ? "line" : "feature",
				    s->shown[0].line);
	}
	if (s->rows_rejected && !s->skip_bad) {
		if (s->rows_rejected == 1)
			return core_err_set(
			    err, CORE_EFORMAT,
			    "%s\nnothing was imported; fix that row, or give "
			    "--skip-bad to import the other %lld row%s",
			    s->shown[0].msg, (long long)good,
			    good == 1 ? "" : "s");
		return core_err_set(
		    err, CORE_EFORMAT,
		    "%s: %lld rows rejected (the first at %s %ld), nothing was "
		    "imported; fix them, or give --skip-bad to import the %lld "
		    "good row%s",
		    s->name, (long long)s->rows_rejected,
		    s->csv_lines ? "line" : "feature", s->shown[0].line,
		    (long long)good, good == 1 ? "" : "s");
	}
	if ((rc = core_ws_prepare(
		 ws, err, &st,
		 "UPDATE sources SET rows_read = ?, rows_accepted = ?,"
		 " rows_rejected = ?, rows_merged = ?, warnings = ?,"
		 " encoding = ? WHERE id = ?")))
		return rc;
	sqlite3_bind_int64(st, 1, s->rows_read);
	sqlite3_bind_int64(st, 2, s->rows_accepted);
	sqlite3_bind_int64(st, 3, s->rows_rejected);
	sqlite3_bind_int64(st, 4, s->rows_merged);
	sqlite3_bind_int64(st, 5, s->warnings);
	/* imp_text_dup may have learnt it on the way */
	bind_text_or_null(st, 6, s->encoding);
	sqlite3_bind_int64(st, 7, s->id);
	rc = core_ws_step(ws, err, st);
	sqlite3_finalize(st);
	if (rc == CORE_OK && (s->publisher || s->dataset || s->year))
		rc = core_source_label_set(ws, s->id, s->publisher, s->dataset,
					   s->year, err);
	return rc;
}

void imp_source_publisher(struct imp_source *s, const char *publisher,
			  const char *dataset, const char *year)
{
	if (s->publisher)
		return;
	s->publisher = xstrdup_or_null(publisher);
	if (!s->dataset)
		s->dataset = xstrdup_or_null(dataset);
	if (!s->year)
		s->year = xstrdup_or_null(year);
}

/* One --label: "COLUMN=Label" into indicator_labels. */
static int source_label_one(struct core_ws *ws, struct imp_source *s,
			    const char *text, struct core_err *err)
{
	const char *eq = strchr(text, '=');
	struct core_buf have = CORE_BUF_INIT;
	sqlite3_stmt *st = NULL;
	char *col = NULL, *name = NULL;
	int rc = CORE_OK;

	if (!eq || eq == text || !eq[1]) {
		rc = core_err_set(
		    err, CORE_EUSAGE,
		    "--label '%s': give COLUMN=Label, e.g. "
		    "--label 'pct_uninsured=Uninsured adults (%%)'",
		    text);
		goto cleanup;
	}
	col = xasprintf("%.*s", (int)(eq - text), text);
	if ((rc = core_ws_prepare(ws, err, &st,
				  "SELECT DISTINCT name FROM indicators WHERE"
				  " source_id = ?1 ORDER BY name = ?2 COLLATE"
				  " NOCASE DESC, name")))
		goto cleanup;
	sqlite3_bind_int64(st, 1, s->id);
	sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(st, 0);

		if (!n)
			continue;
		if (!name && strcasecmp(n, col) == 0) {
			name = xstrdup(n);
			break;
		}
		if (have.len < 300)
			core_buf_addf(&have, "%s%s", have.len ? ", " : "", n);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!name) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "--label '%s': %s brought in no column '%s'; "
				  "its columns: %s",
				  text, s->name, col,
				  have.len ? core_buf_str(&have) : "none");
		goto cleanup;
	}
	if ((rc =
		 core_ws_prepare(ws, err, &st,
				 "INSERT OR REPLACE INTO indicator_labels("
				 "name, label, source_id) VALUES(?1, ?2, ?3)")))
		goto cleanup;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, eq + 1, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, s->id);
	rc = core_ws_step(ws, err, st);
cleanup:
	sqlite3_finalize(st);
	core_buf_release(&have);
	free(col);
	free(name);
	return rc;
}

/* The publisher and dataset the dictionary gives every known column of
 * the import, when they all agree; recorded with the year. */
static int source_from_dictionary(struct core_ws *ws, struct imp_source *s,
				  struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	const struct core_dict_entry *first = NULL;
	int agree = 1, year = 0, rc = CORE_OK;
	char ybuf[16];

	if ((rc = core_ws_prepare(ws, err, &st,
				  "SELECT name, max(year) FROM indicators"
				  " WHERE source_id = ?1 GROUP BY name")))
		return rc;
	sqlite3_bind_int64(st, 1, s->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct core_dict_entry *e =
		    core_dict_find((const char *)sqlite3_column_text(st, 0));

		if (sqlite3_column_int(st, 1) > year)
			year = sqlite3_column_int(st, 1);
		if (!e || !*e->publisher)
			continue;
		if (!first)
			first = e;
		else if (strcmp(first->publisher, e->publisher) ||
			 strcmp(first->dataset, e->dataset))
			agree = 0;
	}
	sqlite3_finalize(st);
	if (!first || !agree)
		return CORE_OK;
	snprintf(ybuf, sizeof(ybuf), "%d", year);
	imp_source_publisher(s, first->publisher,
			     *first->dataset ? first->dataset : NULL,
			     s->year	? s->year
			     : year > 0 ? ybuf
					: NULL);
	return core_source_label_set(ws, s->id, s->publisher, s->dataset,
				     s->year, err);
}

int imp_source_words(struct core_ws *ws, struct imp_source *s,
		     struct core_err *err)
{
	size_t i;
	int rc = CORE_OK;

	for (i = 0; i < s->nlabels && !rc; i++)
		rc = source_label_one(ws, s, s->labels[i], err);
	if (!rc && !s->publisher)
		rc = source_from_dictionary(ws, s, err);
	return rc;
}

/* ---------------------------------------------------------------------
 * Vector layers
 * ------------------------------------------------------------------ */

OGRLayerH imp_layer_pick(GDALDatasetH ds, const char *want, const char *name,
			 struct core_err *err)
{
	struct core_buf b = CORE_BUF_INIT;
	OGRLayerH lyr = NULL;
	int i, n = GDALDatasetGetLayerCount(ds);

	if (want)
		lyr = GDALDatasetGetLayerByName(ds, want);
	else if (n == 1)
		lyr = GDALDatasetGetLayer(ds, 0);
	if (lyr)
		return lyr;
	for (i = 0; i < n; i++)
		core_buf_addf(&b, "%s%s", i ? ", " : "",
			      OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
	if (n == 0)
		core_err_set(err, CORE_EFORMAT,
			     "%s has no layers; nothing to import", name);
	else if (want)
		core_err_set(err, CORE_EUSAGE,
			     "%s has no layer '%s'; its layers are: %s", name,
			     want, core_buf_str(&b));
	else
		core_err_set(
		    err, CORE_EUSAGE,
		    "%s has %d layers (%s); choose one with --layer NAME", name,
		    n, core_buf_str(&b));
	core_buf_release(&b);
	return NULL;
}

void imp_layer_start(OGRLayerH lyr, const struct imp_source *src,
		     struct core_progress *p, char **label)
{
	GIntBig total = 0;

	if (OGR_L_TestCapability(lyr, OLCFastFeatureCount))
		total = OGR_L_GetFeatureCount(lyr, 0);
	*label = xasprintf("importing %s", src->name);
	core_progress_start(p, *label, total > 0 ? total : 0);
	OGR_L_ResetReading(lyr);
}

OGRFeatureH imp_layer_next(OGRLayerH lyr, struct imp_source *src,
			   const struct imp_gdal_msgs *m, int *rc,
			   struct core_err *err)
{
	int before = m->failures;
	OGRFeatureH f = OGR_L_GetNextFeature(lyr);

	if (f) {
		src->rows_read++;
		return f;
	}
	if (m->failures != before)
		*rc = core_err_set(
		    err, CORE_EFORMAT, "cannot read %s after %s %lld: %s",
		    src->name, src->csv_lines ? "line" : "feature",
		    (long long)src->rows_read + (src->csv_lines ? 1 : 0),
		    m->last);
	return NULL;
}

int imp_crs_setup(struct imp_crs *c, OGRLayerH lyr, const char *src_name,
		  const struct imp_gdal_msgs *m, struct core_err *err)
{
	OGRSpatialReferenceH s = OGR_L_GetSpatialRef(lyr);
	const char *name;

	if (!s)
		return CORE_OK;
	c->srs = OSRClone(s);
	OSRSetAxisMappingStrategy(c->srs, OAMS_TRADITIONAL_GIS_ORDER);
	name = OSRGetName(c->srs);
	if (OSRGetAuthorityName(c->srs, NULL) &&
	    OSRGetAuthorityCode(c->srs, NULL))
		c->name = xasprintf("%s:%s", OSRGetAuthorityName(c->srs, NULL),
				    OSRGetAuthorityCode(c->srs, NULL));
	else
		c->name = xstrdup(name ? name : "the layer's CRS");
	c->wgs84 = OSRNewSpatialReference(NULL);
	if (OSRImportFromEPSG(c->wgs84, 4326) != OGRERR_NONE)
		return core_err_set(err, CORE_ELIB,
				    "cannot set up WGS84 (EPSG:4326): %s",
				    m->last);
	OSRSetAxisMappingStrategy(c->wgs84, OAMS_TRADITIONAL_GIS_ORDER);
	if (OSRIsSame(c->srs, c->wgs84))
		return CORE_OK;
	c->ct = OCTNewCoordinateTransformation(c->srs, c->wgs84);
	if (!c->ct)
		return core_err_set(
		    err, CORE_ELIB,
		    "%s: cannot reproject from %s to WGS84 lon/lat: %s",
		    src_name, c->name,
		    m->last[0] ? m->last : "no transformation");
	return CORE_OK;
}

void imp_crs_release(struct imp_crs *c)
{
	if (c->ct)
		OCTDestroyCoordinateTransformation(c->ct);
	if (c->srs)
		OSRRelease(c->srs);
	if (c->wgs84)
		OSRRelease(c->wgs84);
	free(c->name);
	memset(c, 0, sizeof(*c));
}

int imp_lonlat_ok(double x, double y)
{
	return isfinite(x) && isfinite(y) && x >= -180 && x <= 180 &&
	       y >= -90 && y <= 90;
}

/* The polygons of g (borrowed) as a new MultiPolygon, NULL when it has
 * none (geometry collections are searched). */
static OGRGeometryH polygons_of(OGRGeometryH g)
{
	OGRwkbGeometryType t;
	OGRGeometryH mp;
	int i, n;

	if (!g)
		return NULL;
	t = wkbFlatten(OGR_G_GetGeometryType(g));
	if (t == wkbPolygon || t == wkbMultiPolygon)
		return OGR_G_ForceToMultiPolygon(OGR_G_Clone(g));
	if (t != wkbGeometryCollection)
		return NULL;
	mp = OGR_G_CreateGeometry(wkbMultiPolygon);
	n = OGR_G_GetGeometryCount(g);
	for (i = 0; i < n; i++) {
		OGRGeometryH part = polygons_of(OGR_G_GetGeometryRef(g, i));
		int k, m;
		if (!part)
			continue;
		m = OGR_G_GetGeometryCount(part);
		for (k = 0; k < m; k++)
			OGR_G_AddGeometry(mp, OGR_G_GetGeometryRef(part, k));
		OGR_G_DestroyGeometry(part);
	}
	if (OGR_G_GetGeometryCount(mp) == 0) {
		OGR_G_DestroyGeometry(mp);
		return NULL;
	}
	return mp;
}

/* GEOS's reason (a new failure in m since before), without the
 * exception's class name, lower case, as " (reason)"; "" when none. */
static void gdal_reason(const struct imp_gdal_msgs *m, int before, char *buf,
			size_t n)
{
	const char *t = m->last, *c;

	buf[0] = '\0';
	if (m->failures == before || !*t)
		return;
	c = strstr(t, "Exception: ");
	if (c)
		t = c + 11;
	snprintf(buf, n, " (%s)", t);
	if (buf[2])
		buf[2] = (char)tolower((unsigned char)buf[2]);
}

int imp_area_put(struct core_ws *ws, struct imp_source *src, long line,
		 sqlite3_stmt *del, sqlite3_stmt *ins, const char *level,
		 const char *geoid, const char *geoid_field, const char *what,
		 int *written, struct core_err *err)
{
	int step, rc;

	*written = 0;
	sqlite3_bind_text(del, 1, level, -1, SQLITE_STATIC);
	sqlite3_bind_text(del, 2, geoid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(del, 3, src->id);
	if ((rc = core_ws_step(ws, err, del)))
		return rc;
	step = sqlite3_step(ins);
	sqlite3_reset(ins);
	if (step == SQLITE_CONSTRAINT_UNIQUE)
		return imp_reject(ws, src, line, geoid_field, geoid, err,
				  "appears more than once in the file; each %s "
				  "must appear once",
				  what);
	if (step != SQLITE_DONE)
		return core_ws_dberr(ws, err, "writing an area");
	src->rows_accepted++;
	*written = 1;
	return CORE_OK;
}

unsigned char *imp_area_wkb(struct core_ws *ws, struct imp_source *src,
			    long line, OGRGeometryH g0,
			    const struct imp_area_geom *ag, int *size, int *rc,
			    struct core_err *err)
{
	OGRGeometryH g = NULL, fixed = NULL;
	OGRwkbGeometryType t;
	OGREnvelope e;
	unsigned char *wkb = NULL;
	char why[600];
	int before;

	if (!g0 || OGR_G_IsEmpty(g0)) {
		*rc = imp_reject(ws, src, line, "geometry", NULL, err,
				 "is empty; every area needs a polygon");
		return NULL;
	}
	g = OGR_G_Clone(g0);
	if (OGR_GT_IsNonLinear(OGR_G_GetGeometryType(g))) {
		OGRGeometryH lin = OGR_G_GetLinearGeometry(g, 0, NULL);
		OGR_G_DestroyGeometry(g);
		g = lin;
	}
	OGR_G_FlattenTo2D(g);
	t = wkbFlatten(OGR_G_GetGeometryType(g));
	if (t != wkbPolygon && t != wkbMultiPolygon) {
		*rc = imp_reject(ws, src, line, "geometry", NULL, err,
				 "is a %s, not a polygon; %s",
				 OGR_G_GetGeometryName(g), ag->rule);
		goto cleanup;
	}
	if (ag->crs->ct && OGR_G_Transform(g, ag->crs->ct) != OGRERR_NONE) {
		*rc =
		    imp_reject(ws, src, line, "geometry", NULL, err,
			       "cannot be reprojected from %s to WGS84 lon/lat",
			       ag->crs->name);
		goto cleanup;
	}
	OGR_G_GetEnvelope(g, &e);
	if (!imp_lonlat_ok(e.MinX, e.MinY) || !imp_lonlat_ok(e.MaxX, e.MaxY)) {
		*rc = imp_reject(ws, src, line, "geometry", NULL, err, "%s",
				 ag->range);
		goto cleanup;
	}
	before = ag->msgs ? ag->msgs->failures : 0;
	if (OGR_G_IsValid(g) != 1) {
		OGRGeometryH poly;
		why[0] = '\0';
		if (ag->msgs) {
			gdal_reason(ag->msgs, before, why, sizeof(why));
			if (!why[0])
				snprintf(why, sizeof(why), "%s",
					 " (it crosses itself or has too few "
					 "points)");
		}
		fixed = OGR_G_MakeValid(g);
		poly = polygons_of(fixed);
		if (!poly || OGR_G_IsEmpty(poly) || OGR_G_IsValid(poly) != 1) {
			if (poly)
				OGR_G_DestroyGeometry(poly);
			*rc = imp_reject(ws, src, line, "geometry", NULL, err,
					 "is not a valid polygon%s and could "
					 "not be repaired; fix it in a GIS "
					 "(e.g. QGIS: Fix Geometries)",
					 why);
			goto cleanup;
		}
		OGR_G_DestroyGeometry(g);
		g = poly;
		if (ag->repaired)
			(*ag->repaired)++;
	}
	g = OGR_G_ForceToMultiPolygon(g);
	*size = OGR_G_WkbSize(g);
	wkb = xmalloc((size_t)*size);
	OGR_G_ExportToWkb(g, wkbNDR, wkb);
cleanup:
	if (g)
		OGR_G_DestroyGeometry(g);
	if (fixed)
		OGR_G_DestroyGeometry(fixed);
	return wkb;
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
	static const char *const yes[] = {"yes", "y", "true", "t", "1", NULL};
	static const char *const no[] = {"no", "n", "false", "f", "0", NULL};
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

void imp_opt_add(struct core_buf *b, const char *opt, const char *v)
{
	const char *p;
	int plain = v && *v;

	core_buf_addf(b, "%s--%s", b->len ? " " : "", opt);
	if (!v)
		return;
	for (p = v; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.,:/+-", *p))
			plain = 0;
	core_buf_addc(b, ' ');
	if (plain) {
		core_buf_adds(b, v);
		return;
	}
	core_buf_addc(b, '\'');
	for (p = v; *p; p++) {
		if (*p == '\'')
			core_buf_adds(b, "'\\''");
		else
			core_buf_addc(b, *p);
	}
	core_buf_addc(b, '\'');
}

void imp_opt_finish(struct core_buf *b, int skip_bad, struct imp_source *src)
{
	if (skip_bad)
		imp_opt_add(b, "skip-bad", NULL);
	free(src->options);
	src->options = core_buf_detach(b);
}

void imp_strlist_add(struct imp_strlist *l, char *s)
{
	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = s;
}

void imp_strlist_free(struct imp_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void imp_strlist_split(struct imp_strlist *l, const char *s, const char *seps,
		       int keep_empty)
{
	const char *p = s;

	for (;;) {
		size_t n = strcspn(p, seps);
		char *item = xmalloc(n + 1), *t;

		memcpy(item, p, n);
		item[n] = '\0';
		t = imp_trim_dup(item);
		free(item);
		if (*t || keep_empty)
			imp_strlist_add(l, t);
		else
			free(t);
		if (!p[n])
			break;
		p += n + 1;
	}
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

/* ---------------------------------------------------------------------
 * Folding for matching
 * ------------------------------------------------------------------ */

/* U+00C0..U+00FF, lower case without accents; "" when not a letter
 * (then a space is written). */
static const char *const fold_latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c",  /* C0 */
    "e", "e", "e", "e", "i", "i", "i",	"i",  /* C8 */
    "d", "n", "o", "o", "o", "o", "o",	"",   /* D0 (D7 x) */
    "o", "u", "u", "u", "u", "y", "th", "ss", /* D8 */
    "a", "a", "a", "a", "a", "a", "ae", "c",  /* E0 */
    "e", "e", "e", "e", "i", "i", "i",	"i",  /* E8 */
    "d", "n", "o", "o", "o", "o", "o",	"",   /* F0 (F7 /) */
    "o", "u", "u", "u", "u", "y", "th", "y",  /* F8 */
};

/* U+0100..U+017F (Latin Extended-A), lower case without accents. */
static const char *const fold_ext_a[128] = {
    "a", "a", "a",  "a",  "a", "a", "c", "c", /* 0100 */
    "c", "c", "c",  "c",  "c", "c", "d", "d", /* 0108 */
    "d", "d", "e",  "e",  "e", "e", "e", "e", /* 0110 */
    "e", "e", "e",  "e",  "g", "g", "g", "g", /* 0118 */
    "g", "g", "g",  "g",  "h", "h", "h", "h", /* 0120 */
    "i", "i", "i",  "i",  "i", "i", "i", "i", /* 0128 */
    "i", "i", "ij", "ij", "j", "j", "k", "k", /* 0130 */
    "k", "l", "l",  "l",  "l", "l", "l", "l", /* 0138 */
    "l", "l", "l",  "n",  "n", "n", "n", "n", /* 0140 */
    "n", "n", "n",  "n",  "o", "o", "o", "o", /* 0148 */
    "o", "o", "oe", "oe", "r", "r", "r", "r", /* 0150 */
    "r", "r", "s",  "s",  "s", "s", "s", "s", /* 0158 */
    "s", "s", "t",  "t",  "t", "t", "t", "t", /* 0160 */
    "u", "u", "u",  "u",  "u", "u", "u", "u", /* 0168 */
    "u", "u", "u",  "u",  "w", "w", "y", "y", /* 0170 */
    "y", "z", "z",  "z",  "z", "z", "z", "s", /* 0178 */
};

/* U+0180..U+024F (Latin Extended-B: 'ơ', 'ư', 'ǎ', ...) and U+1E00..U+1EFF
 * (Latin Extended Additional: Vietnamese 'ế', 'ệ', ...): the base letter,
 * '.' where there is none (the character is kept). */
static const char fold_ext_b[] =
    "bbbb...cc.ddd....ffg...ikkl..nnooo..pp.....ttttuu.vyyzz........."
    ".....d..l..n.aaiioouuuuuuuuuu.aaaa..ggggkkoooo..j.d.gg..nnaa..oo"
    "aaaaeeeeiiiioooorrrruuuusstt..hhnd..zzaaeeooooooooyylnt...acclts"
    "z..bu.eejj.qrryy";
static const char fold_ext_add[] =
    "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmm"
    "mmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvv"
    "wwwwwwwwwwxxxxyyzzzzzzhtwya.....aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee"
    "eeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy....yy";

void imp_fold_buf(struct core_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned cp;
		int n;

		if (*p < 0x80) {
			core_buf_addc(b, (char)tolower(*p));
			p++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
			cp = ((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3F);
			n = 2;
		} else if ((*p & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 &&
			   (p[2] & 0xC0) == 0x80) {
			cp = ((unsigned)(*p & 0x0F) << 12) |
			     ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
			n = 3;
		} else {
			core_buf_addc(b, (char)*p);
			p++;
			continue;
		}
		if (cp >= 0xC0 && cp <= 0xFF)
			core_buf_adds(b, *fold_latin1[cp - 0xC0]
					     ? fold_latin1[cp - 0xC0]
					     : " ");
		else if (cp >= 0x100 && cp <= 0x17F)
			core_buf_adds(b, fold_ext_a[cp - 0x100]);
		else if (cp >= 0x180 && cp <= 0x24F &&
			 fold_ext_b[cp - 0x180] != '.')
			core_buf_addc(b, fold_ext_b[cp - 0x180]);
		else if (cp >= 0x1E00 && cp <= 0x1EFF &&
			 fold_ext_add[cp - 0x1E00] != '.')
			core_buf_addc(b, fold_ext_add[cp - 0x1E00]);
		else if (cp == 0xA0 || cp == 0xA1 || cp == 0xBF)
			core_buf_addc(b, ' ');
		else if (cp == 0x2018 || cp == 0x2019)
			core_buf_addc(b, '\'');
		else if (cp == 0x201C || cp == 0x201D)
			core_buf_addc(b, '"');
		else if (cp == 0x2010 || cp == 0x2011 || cp == 0x2013 ||
			 cp == 0x2014)
			core_buf_addc(b, '-');
		else
			core_buf_add(b, (const char *)p, (size_t)n);
		p += n;
	}
}

char *imp_fold(const char *s)
{
	struct core_buf b = CORE_BUF_INIT;

	imp_fold_buf(&b, s);
	return core_buf_detach(&b);
}

int imp_ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

int imp_zip_path(const char *p, const char *example, char **disk, char **gdal,
		 int *zipped, struct core_err *err)
{
	*gdal = NULL;
	if (strncmp(p, "/vsizip/", 8) == 0) {
		const char *z = strcasestr(p + 8, ".zip");
		while (z && z[4] && z[4] != '/')
			z = strcasestr(z + 4, ".zip");
		if (!z)
			return core_err_set(err, CORE_EUSAGE,
					    "%s: a /vsizip/ path names a .zip "
					    "file, e.g. %s",
					    p, example);
		*disk = xasprintf("%.*s", (int)(z + 4 - (p + 8)), p + 8);
		*gdal = xstrdup(p);
		*zipped = 1;
	} else {
		*disk = xstrdup(p);
		*zipped = imp_ends_with_ci(p, ".zip");
	}
	return CORE_OK;
}
