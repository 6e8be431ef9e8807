#include "core/core_csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_mem.h"

struct core_csv {
	FILE *fp;
	char *path;	     /* what messages call the file */
	int sep;	     /* the field separator */
	int ended;	     /* the current record ended at EOF, no line end */
	long line;	     /* physical line of the next character */
	long rec_line;	     /* where the current record began */
	struct core_buf buf; /* field bytes, NUL-separated */
	size_t *off;	     /* offsets into buf */
	size_t nf, cap;
	char **hdr;
	size_t nhdr;
};

/* "field NAME" (or "field N" before the header is known) of field i. */
static void field_name(const struct core_csv *c, size_t i, char *buf, size_t n)
{
	if (i < c->nhdr && c->hdr[i][0])
		snprintf(buf, n, "field %s", c->hdr[i]);
	else
		snprintf(buf, n, "field %zu", i + 1);
}

/* Read one record into c->buf/c->off.  1 record, 0 EOF, -1 error. */
static int read_record(struct core_csv *c, struct core_err *err)
{
	int ch, inq = 0, any = 0;
	char fld[96];

	core_buf_reset(&c->buf);
	c->nf = 0;
	c->ended = 0;
	c->rec_line = c->line;
	xgrow((void **)&c->off, &c->cap, 1, sizeof(*c->off));
	c->off[c->nf++] = 0;
	for (;;) {
		ch = fgetc(c->fp);
		if (ch == EOF) {
			if (inq) {
				field_name(c, c->nf - 1, fld, sizeof(fld));
				core_err_set(
				    err, CORE_EFORMAT,
				    "%s line %ld, %s: a quoted field is not "
				    "closed before the end of the file; is the "
				    "file cut short, or a quote missing?",
				    c->path, c->rec_line, fld);
				return -1;
			}
			if (!any)
				return 0;
			core_buf_addc(&c->buf, '\0');
			c->ended = 1;
			return 1;
		}
		any = 1;
		if (ch == '\0') {
			/* A C string cannot hold it, and no text file has
			 * one: say so rather than read a cut value. */
			field_name(c, c->nf - 1, fld, sizeof(fld));
			core_err_set(err, CORE_EFORMAT,
				     "%s line %ld, %s: contains a NUL byte; a "
				     "CSV file is text and never holds one (is "
				     "it a binary file, or saved as UTF-16?)",
				     c->path, c->line, fld);
			return -1;
		}
		if (inq) {
			if (ch == '"') {
				int nx = fgetc(c->fp);
				if (nx == '"') {
					core_buf_addc(&c->buf, '"');
					continue;
				}
				inq = 0;
				if (nx != EOF)
					ungetc(nx, c->fp);
				continue;
			}
			if (ch == '\n')
				c->line++;
			core_buf_addc(&c->buf, (char)ch);
			continue;
		}
		if (ch == '"') {
			inq = 1;
		} else if (ch == c->sep) {
			core_buf_addc(&c->buf, '\0');
			xgrow((void **)&c->off, &c->cap, c->nf + 1,
			      sizeof(*c->off));
			c->off[c->nf++] = c->buf.len;
		} else if (ch == '\r') {
			continue;
		} else if (ch == '\n') {
			c->line++;
			core_buf_addc(&c->buf, '\0');
			return 1;
		} else {
			core_buf_addc(&c->buf, (char)ch);
		}
	}
}

/* The separator of the header line from the current position: the first
 * ',', ';' or tab outside quotes (',' when none); the position stays. */
static int detect_sep(FILE *fp)
{
	long at = ftell(fp);
	int ch, inq = 0, sep = ',';

	while ((ch = fgetc(fp)) != EOF) {
		if (ch == '"')
			inq = !inq;
		else if (!inq &&
			 (ch == ',' || ch == ';' || ch == '\t' || ch == '|')) {
			sep = ch;
			break;
		} else if (!inq && ch == '\n')
			break;
	}
	if (at >= 0)
		fseek(fp, at, SEEK_SET);
	return sep;
}

/* The rest of an open: the byte-order mark, the header. */
static struct core_csv *open_fp(struct core_csv *c, struct core_err *err)
{
	const char *path = c->path;
	unsigned char bom[3];
	size_t i;
	int rc;

	if (fread(bom, 1, 3, c->fp) != 3 || bom[0] != 0xEF || bom[1] != 0xBB ||
	    bom[2] != 0xBF)
		rewind(c->fp);
	if (!c->sep)
		c->sep = detect_sep(c->fp);
	rc = read_record(c, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		core_err_set(err, CORE_EFORMAT,
			     "%s: the file is empty; expected a header line",
			     path);
		goto fail;
	}
	c->nhdr = c->nf;
	c->hdr = xcalloc(c->nf, sizeof(*c->hdr));
	for (i = 0; i < c->nf; i++)
		c->hdr[i] = xstrdup(c->buf.s + c->off[i]);
	return c;
fail:
	core_csv_free(c);
	return NULL;
}

struct core_csv *core_csv_open_as(const char *path, const char *name, int sep,
				  struct core_err *err)
{
	struct core_csv *c = xcalloc(1, sizeof(*c));

	c->path = xstrdup(name ? name : path);
	c->sep = sep;
	c->line = 1;
	c->fp = fopen(path, "rb");
	if (!c->fp) {
		core_err_set(err, CORE_EIO, "%s: cannot open: %s", c->path,
			     strerror(errno));
		core_csv_free(c);
		return NULL;
	}
	return open_fp(c, err);
}

struct core_csv *core_csv_open(const char *path, struct core_err *err)
{
	return core_csv_open_as(path, NULL, ',', err);
}

struct core_csv *core_csv_open_mem_as(const char *buf, size_t len,
				      const char *name, int sep,
				      struct core_err *err)
{
	struct core_csv *c = xcalloc(1, sizeof(*c));

	c->path = xstrdup(name);
	c->sep = sep;
	c->line = 1;
	/* fmemopen may refuse a zero size: an empty buffer is an empty
	 * file, said here as open_fp would. */
	if (len == 0) {
		core_err_set(err, CORE_EFORMAT,
			     "%s: the file is empty; expected a header line",
			     name);
		core_csv_free(c);
		return NULL;
	}
	c->fp = fmemopen((void *)buf, len, "rb");
	if (!c->fp) {
		core_err_set(err, CORE_EIO, "%s: cannot read: %s", name,
			     strerror(errno));
		core_csv_free(c);
		return NULL;
	}
	return open_fp(c, err);
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
	if (c->fp)
		fclose(c->fp);
	for (i = 0; i < c->nhdr; i++)
		free(c->hdr[i]);
	free(c->hdr);
	free(c->off);
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
	} while (rc == 1 && c->nf == 1 && c->buf.s[0] == '\0');
	return rc;
}

const char *core_csv_get(const struct core_csv *c, size_t i)
{
	if (i >= c->nf)
		return "";
	return c->buf.s + c->off[i];
}

size_t core_csv_nfields(const struct core_csv *c)
{
	return c->nf;
}

long core_csv_line(const struct core_csv *c)
{
	return c->rec_line;
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
