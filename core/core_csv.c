#include "core/core_csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_mem.h"

struct core_csv {
	const char *base, *end; /* the bytes: our mapping or copy, or the
				   caller's buffer */
	const char *p;		/* the next byte to read */
	const char *data;	/* the first byte after the header */
	size_t size;
	int mapped;	     /* base is our mmap */
	char *copy;	     /* base is our copy (a pipe, a device) */
	char *path;	     /* what messages call the file */
	int sep;	     /* the field separator */
	unsigned flags;	     /* CORE_CSV_* open flags */
	unsigned rec;	     /* CORE_CSV_REC_* of the current record */
	size_t nul_field;    /* its first field holding a NUL byte */
	int ended;	     /* the current record ended at EOF, no line end */
	long line;	     /* physical line of the next byte */
	long rec_line;	     /* where the current record began */
	long data_line;	     /* the line of data */
	struct core_buf buf; /* field bytes, NUL-separated */
	size_t *off;	     /* offsets into buf */
	size_t nf, cap;
	char **hdr;
	size_t nhdr;
	unsigned char stop[256]; /* where an unquoted run of bytes stops */
};

/* "field NAME" (or "field N" before the header is known) of field i. */
static void field_name(const struct core_csv *c, size_t i, char *buf, size_t n)
{
	if (i < c->nhdr && c->hdr[i][0])
		snprintf(buf, n, "field %s", c->hdr[i]);
	else
		snprintf(buf, n, "field %zu", i + 1);
}

/* Bytes onto the record (a run at a time, so without core_buf's
 * per-call terminator: read_record ends the record with its NUL). */
static void put(struct core_csv *c, const char *p, size_t n)
{
	if (c->buf.len + n + 1 > c->buf.cap)
		xgrow((void **)&c->buf.s, &c->buf.cap, c->buf.len + n + 1, 1);
	memcpy(c->buf.s + c->buf.len, p, n);
	c->buf.len += n;
}

static void put_c(struct core_csv *c, char ch)
{
	put(c, &ch, 1);
}

static void new_field(struct core_csv *c)
{
	if (c->nf == c->cap)
		xgrow((void **)&c->off, &c->cap, c->nf + 1, sizeof(*c->off));
	c->off[c->nf++] = c->buf.len;
}

/* A NUL byte at the current line: an error, or (CORE_CSV_LET_NUL) a
 * space and a mark on the record.  0, or -1 with err set. */
static int nul_byte(struct core_csv *c, struct core_err *err)
{
	char fld[96];

	if (c->flags & CORE_CSV_LET_NUL) {
		if (!(c->rec & CORE_CSV_REC_NUL))
			c->nul_field = c->nf - 1;
		c->rec |= CORE_CSV_REC_NUL;
		put_c(c, ' ');
		return 0;
	}
	/* A C string cannot hold it, and no text file has one: say so
	 * rather than read a cut value. */
	field_name(c, c->nf - 1, fld, sizeof(fld));
	core_err_set(err, CORE_EFORMAT,
		     "%s line %ld, %s: contains a NUL byte; a CSV file is text "
		     "and never holds one (is it a binary file, or saved as "
		     "UTF-16?)",
		     c->path, c->line, fld);
	return -1;
}

enum { ST_START, ST_PLAIN, ST_QUOTED, ST_AFTER };

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* The high bit of each byte of w that is 0 (the others' clear). */
static uint64_t zero_bytes(uint64_t w)
{
	return (w - ONES) & ~w & HIGHS;
}

/* The first byte from p (before end) where an unquoted run stops: the
 * separator, a quote, CR, LF or NUL.  Eight bytes at a time. */
static const char *run_end(const struct core_csv *c, const char *p,
			   const char *end)
{
	uint64_t sep = ONES * (unsigned char)c->sep, w, hit;

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		hit = zero_bytes(w) | zero_bytes(w ^ sep) |
		      zero_bytes(w ^ (ONES * '"')) |
		      zero_bytes(w ^ (ONES * '\n')) |
		      zero_bytes(w ^ (ONES * '\r'));
		if (hit)
			break;
		p += 8;
	}
	while (p < end && !c->stop[(unsigned char)*p])
		p++;
	return p;
}

/*
 * Read one record from c->p into c->buf/c->off: 1 record, 0 at the end
 * of the input, -1 on error.  Unquoted bytes are copied a run at a time
 * (up to the next byte in c->stop); a quoted field up to its next quote
 * or line end.
 */
static int read_record(struct core_csv *c, struct core_err *err)
{
	const char *p = c->p, *end = c->end, *q;
	int sheet = (c->flags & CORE_CSV_SHEET_QUOTES) != 0;
	int st = ST_START;
	char fld[96];

	core_buf_reset(&c->buf);
	c->nf = 0;
	c->ended = 0;
	c->rec = 0;
	c->rec_line = c->line;
	new_field(c);
	if (p >= end)
		return 0;
	for (;;) {
		char ch;

		if (p >= end) {
			if (st == ST_QUOTED &&
			    !(c->flags & CORE_CSV_LET_UNCLOSED)) {
				c->p = p;
				field_name(c, c->nf - 1, fld, sizeof(fld));
				core_err_set(
				    err, CORE_EFORMAT,
				    "%s line %ld, %s: a quoted field is not "
				    "closed before the end of the file; is the "
				    "file cut short, or a quote missing?",
				    c->path, c->rec_line, fld);
				return -1;
			}
			if (st == ST_QUOTED)
				c->rec |= CORE_CSV_REC_UNCLOSED;
			c->ended = 1;
			break;
		}
		if (st == ST_AFTER && (c->flags & CORE_CSV_DROP_AFTER_QUOTE)) {
			while (p < end && *p != c->sep && *p != '\n')
				p++;
			st = ST_PLAIN;
			continue;
		}
		if (st == ST_QUOTED) {
			for (q = p; q < end && *q != '"' && *q != '\n' && *q;
			     q++)
				;
			put(c, p, (size_t)(q - p));
			p = q;
			if (p >= end)
				continue;
			ch = *p++;
			if (ch == '\n') {
				c->line++;
				put_c(c, '\n');
			} else if (ch == '\0') {
				if (nul_byte(c, err) < 0)
					return -1;
			} else if (p < end && *p == '"') {
				/* "" is a quote */
				put_c(c, '"');
				p++;
			} else {
				st = sheet ? ST_AFTER : ST_PLAIN;
			}
			continue;
		}
		q = run_end(c, p, end);
		if (q > p) {
			put(c, p, (size_t)(q - p));
			if (st == ST_START)
				st = ST_PLAIN;
			p = q;
			continue;
		}
		ch = *p++;
		if (ch == '"' && (!sheet || st == ST_START)) {
			st = ST_QUOTED;
			c->rec |= CORE_CSV_REC_QUOTED;
		} else if (ch == '"') {
			put_c(c, '"');
		} else if (ch == c->sep) {
			put_c(c, '\0');
			new_field(c);
			st = ST_START;
		} else if (ch == '\n') {
			c->line++;
			break;
		} else if (ch == '\r') {
			if ((c->flags & CORE_CSV_KEEP_CR) && p < end &&
			    *p != '\n') {
				put_c(c, '\r');
				if (st == ST_START)
					st = ST_PLAIN;
				continue;
			}
			if (!(c->flags & CORE_CSV_CR_ENDS_LINE))
				continue; /* dropped */
			c->line++;
			if (p < end && *p == '\n')
				p++;
			break;
		} else { /* NUL */
			if (nul_byte(c, err) < 0)
				return -1;
			if (st == ST_START)
				st = ST_PLAIN;
		}
	}
	put_c(c, '\0');
	c->p = p;
	return 1;
}

/* The separator of the header line from the current position: the first
 * ',', ';', tab or '|' (not with CORE_CSV_NO_PIPE) outside quotes (','
 * when none). */
static int detect_sep(const struct core_csv *c)
{
	const char *q;
	int inq = 0;

	for (q = c->p; q < c->end; q++) {
		if (*q == '"')
			inq = !inq;
		else if (!inq &&
			 (*q == ',' || *q == ';' || *q == '\t' ||
			  (*q == '|' && !(c->flags & CORE_CSV_NO_PIPE))))
			return *q;
		else if (!inq && *q == '\n')
			break;
	}
	return ',';
}

/* The separator (detected when none was given), and where an unquoted
 * run of bytes stops. */
static void set_sep(struct core_csv *c)
{
	if (!c->sep)
		c->sep = detect_sep(c);
	memset(c->stop, 0, sizeof(c->stop));
	c->stop[(unsigned char)c->sep] = c->stop['"'] = c->stop['\n'] =
	    c->stop['\r'] = c->stop[0] = 1;
}

/* Take the bytes of fd (closed here): mapped when it is a regular file,
 * else read to the end (a pipe; a read error ends the input, as an
 * end of file would). */
static int take_fd(struct core_csv *c, int fd, struct core_err *err)
{
	struct stat sb;

	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		if (sb.st_size > 0) {
			void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ,
				       MAP_PRIVATE, fd, 0);
			if (m == MAP_FAILED) {
				int e = errno;
				close(fd);
				return core_err_set(err, CORE_EIO,
						    "%s: cannot read: %s",
						    c->path, strerror(e));
			}
			madvise(m, (size_t)sb.st_size, MADV_SEQUENTIAL);
			c->base = m;
			c->size = (size_t)sb.st_size;
			c->mapped = 1;
		}
	} else {
		size_t cap = 0;
		ssize_t n;
		for (;;) {
			if (c->size + 65536 > cap)
				xgrow((void **)&c->copy, &cap, c->size + 65536,
				      1);
			n = read(fd, c->copy + c->size, cap - c->size);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			c->size += (size_t)n;
		}
		c->base = c->copy;
	}
	close(fd);
	if (!c->base)
		c->base = "";
	c->p = c->base;
	c->end = c->base + c->size;
	return CORE_OK;
}

/* The reader's state before its bytes are given. */
static struct core_csv *csv_new(const char *name, int sep, unsigned flags)
{
	struct core_csv *c = xcalloc(1, sizeof(*c));

	c->path = xstrdup(name);
	c->sep = sep;
	c->flags = flags;
	c->line = 1;
	return c;
}

/* The rest of an open: the byte-order mark, the header unless
 * CORE_CSV_NO_HEADER. */
static struct core_csv *open_bytes(struct core_csv *c, struct core_err *err)
{
	int rc;

	if (c->size >= 3 && memcmp(c->p, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
	c->data = c->p;
	c->data_line = c->line;
	if (c->flags & CORE_CSV_NO_HEADER)
		return c;
	set_sep(c);
	rc = read_record(c, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		core_err_set(err, CORE_EFORMAT,
			     "%s: the file is empty; expected a header line",
			     c->path);
		goto fail;
	}
	core_csv_take_header(c);
	return c;
fail:
	core_csv_free(c);
	return NULL;
}

struct core_csv *core_csv_open_fd(int fd, const char *name, int sep,
				  unsigned flags, struct core_err *err)
{
	struct core_csv *c = csv_new(name, sep, flags);

	if (take_fd(c, fd, err)) {
		core_csv_free(c);
		return NULL;
	}
	return open_bytes(c, err);
}

struct core_csv *core_csv_open_as(const char *path, const char *name, int sep,
				  struct core_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		core_err_set(err, CORE_EIO, "%s: cannot open: %s",
			     name ? name : path, strerror(errno));
		return NULL;
	}
	return core_csv_open_fd(fd, name ? name : path, sep, 0, err);
}

struct core_csv *core_csv_open(const char *path, struct core_err *err)
{
	return core_csv_open_as(path, NULL, ',', err);
}

struct core_csv *core_csv_open_mem_flags(const char *buf, size_t len,
					 const char *name, int sep,
					 unsigned flags, struct core_err *err)
{
	struct core_csv *c = csv_new(name, sep, flags);

	c->base = c->p = len ? buf : "";
	c->size = len;
	c->end = c->base + len;
	return open_bytes(c, err);
}

struct core_csv *core_csv_open_mem_as(const char *buf, size_t len,
				      const char *name, int sep,
				      struct core_err *err)
{
	return core_csv_open_mem_flags(buf, len, name, sep, 0, err);
}

struct core_csv *core_csv_open_mem(const char *buf, size_t len,
				   const char *name, struct core_err *err)
{
	return core_csv_open_mem_as(buf, len, name, ',', err);
}

void core_csv_free(struct core_csv *c)
{
	size_t i;

	if (!c)
		return;
	if (c->mapped)
		munmap((void *)c->base, c->size);
	if (c->copy) {
		memset(c->copy, 0, c->size);
		free(c->copy);
	}
	for (i = 0; i < c->nhdr; i++)
		free(c->hdr[i]);
	free(c->hdr);
	free(c->off);
	/* the last record's values (a cohort's ids) do not stay behind */
	if (c->buf.s)
		memset(c->buf.s, 0, c->buf.cap);
	core_buf_release(&c->buf);
	free(c->path);
	free(c);
}

int core_csv_next(struct core_csv *c, struct core_err *err)
{
	int rc;

	do {
		rc = read_record(c, err);
		/* skip blank lines */
	} while (rc == 1 && !(c->flags & CORE_CSV_KEEP_BLANK) && c->nf == 1 &&
		 c->buf.s[0] == '\0' &&
		 !(c->rec & (CORE_CSV_REC_UNCLOSED | CORE_CSV_REC_NUL)));
	return rc;
}

int core_csv_read_header(struct core_csv *c, struct core_err *err)
{
	int rc;

	set_sep(c);
	rc = core_csv_next(c, err);
	if (rc == 1)
		core_csv_take_header(c);
	return rc;
}

void core_csv_take_header(struct core_csv *c)
{
	size_t i;

	for (i = 0; i < c->nhdr; i++)
		free(c->hdr[i]);
	free(c->hdr);
	c->nhdr = c->nf;
	c->hdr = xcalloc(c->nf, sizeof(*c->hdr));
	for (i = 0; i < c->nf; i++)
		c->hdr[i] = xstrdup(c->buf.s + c->off[i]);
	c->data = c->p;
	c->data_line = c->line;
}

void core_csv_rewind(struct core_csv *c)
{
	c->p = c->data;
	c->line = c->data_line;
	c->nf = 0;
	c->ended = 0;
	c->rec = 0;
}

const char *core_csv_get(const struct core_csv *c, size_t i)
{
	if (i >= c->nf)
		return "";
	return c->buf.s + c->off[i];
}

size_t core_csv_get_len(const struct core_csv *c, size_t i)
{
	if (i >= c->nf)
		return 0;
	return (i + 1 < c->nf ? c->off[i + 1] : c->buf.len) - c->off[i] - 1;
}

size_t core_csv_nfields(const struct core_csv *c)
{
	return c->nf;
}

long core_csv_line(const struct core_csv *c)
{
	return c->rec_line;
}

unsigned core_csv_record_flags(const struct core_csv *c)
{
	return c->rec;
}

size_t core_csv_nul_field(const struct core_csv *c)
{
	return c->nul_field;
}

size_t core_csv_nheader(const struct core_csv *c)
{
	return c->nhdr;
}

const char *core_csv_header(const struct core_csv *c, size_t i)
{
	return i < c->nhdr ? c->hdr[i] : "";
}

int core_csv_col(const struct core_csv *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nhdr; i++)
		if (strcasecmp(c->hdr[i], name) == 0)
			return (int)i;
	return -1;
}

const char *core_csv_path(const struct core_csv *c)
{
	return c->path;
}

int core_csv_sep(const struct core_csv *c)
{
	return c->sep;
}

int core_csv_unterminated(const struct core_csv *c)
{
	return c->ended;
}

const char *core_csv_bytes(const struct core_csv *c, size_t *size)
{
	*size = c->size;
	return c->base;
}

size_t core_csv_offset(const struct core_csv *c)
{
	return (size_t)(c->p - c->base);
}

void core_csv_width_why(const struct core_csv *c, size_t nf, size_t nhdr,
			struct core_buf *why)
{
	char sep[8];

	if (c->sep == '\t')
		snprintf(sep, sizeof(sep), "(tab)");
	else
		snprintf(sep, sizeof(sep), "'%c'", c->sep);
	core_buf_addf(
	    why,
	    "%s: the row has %zu field%s where the header has %zu; a value "
	    "holding the separator %s must be in double quotes%s",
	    nf < nhdr ? "is missing" : "is not in the header", nf,
	    nf == 1 ? "" : "s", nhdr, sep,
	    c->ended && nf < nhdr ? " (is the file cut short?)" : "");
}

int core_csv_check_width(const struct core_csv *c, size_t *field,
			 struct core_buf *why)
{
	if (c->nf == c->nhdr)
		return 0;
	*field = c->nf < c->nhdr ? c->nf : c->nhdr;
	core_csv_width_why(c, c->nf, c->nhdr, why);
	return c->nf < c->nhdr ? CORE_CSV_SHORT : CORE_CSV_LONG;
}
