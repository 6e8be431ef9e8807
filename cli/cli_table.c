#include "cli/cli_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_utf8.h"

struct cli_table {
	int ncols;
	char **names;
	char *types;
	char **cells; /* nrows * ncols */
	size_t nrows, cap;
};

const struct cli_opt_choice cli_formats[] = {{"table", CLI_FMT_TABLE},
					     {"csv", CLI_FMT_CSV},
					     {"json", CLI_FMT_JSON},
					     {NULL, 0}};

int cli_format_parse(const char *s, enum cli_format *out, struct core_err *err)
{
	if (strcmp(s, "table") == 0)
		*out = CLI_FMT_TABLE;
	else if (strcmp(s, "csv") == 0)
		*out = CLI_FMT_CSV;
	else if (strcmp(s, "json") == 0)
		*out = CLI_FMT_JSON;
	else
		return core_err_set(
		    err, CORE_EUSAGE,
		    "--format: '%s' is not a format; use table, csv or json",
		    s);
	return CORE_OK;
}

struct cli_table *cli_table_new(int ncols, const char *const *names,
				const char *types)
{
	struct cli_table *t = xcalloc(1, sizeof(*t));
	int i;

	t->ncols = ncols;
	t->names = xcalloc((size_t)ncols, sizeof(char *));
	for (i = 0; i < ncols; i++)
		t->names[i] = xstrdup(names[i]);
	t->types = xstrdup(types);
	return t;
}

void cli_table_add(struct cli_table *t, const char *const *vals)
{
	size_t base;
	int i;

	xgrow((void **)&t->cells, &t->cap, (t->nrows + 1) * (size_t)t->ncols,
	      sizeof(char *));
	base = t->nrows * (size_t)t->ncols;
	for (i = 0; i < t->ncols; i++)
		t->cells[base + (size_t)i] =
		    xstrdup_or_null(cli_text_fix(vals[i]));
	t->nrows++;
}

int cli_table_add_rows(struct cli_table *t, struct core_ws *ws,
		       sqlite3_stmt *st, struct core_err *err)
{
	const char **row = xcalloc((size_t)t->ncols, sizeof(char *));
	int i, rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < t->ncols; i++)
			row[i] = cli_text(st, i);
		cli_table_add(t, row);
	}
	free(row);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return core_ws_dberr(ws, err, "reading");
	return CORE_OK;
}

static const char *cell(const struct cli_table *t, size_t r, int c)
{
	return t->cells[r * (size_t)t->ncols + (size_t)c];
}

/* Display width of UTF-8 text: count code points, not bytes. */
static int width(const char *s)
{
	int w = 0;

	for (; s && *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void print_text(const struct cli_table *t, FILE *out)
{
	int *w = xcalloc((size_t)t->ncols, sizeof(int));
	size_t r;
	int c, n;

	for (c = 0; c < t->ncols; c++)
		w[c] = width(t->names[c]);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if ((n = width(cell(t, r, c))) > w[c])
				w[c] = n;
	for (c = 0; c < t->ncols; c++) {
		n = w[c] - width(t->names[c]);
		if (t->types[c] == 'n')
			fprintf(out, "%*s%s", n, "", t->names[c]);
		else
			fprintf(out, "%s%*s", t->names[c],
				c + 1 < t->ncols ? n : 0, "");
		fputs(c + 1 < t->ncols ? "  " : "\n", out);
	}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *v = cell(t, r, c);
			if (!v)
				v = "";
			n = w[c] - width(v);
			if (t->types[c] == 'n')
				fprintf(out, "%*s%s", n, "", v);
			else
				fprintf(out, "%s%*s", v,
					c + 1 < t->ncols ? n : 0, "");
			fputs(c + 1 < t->ncols ? "  " : "\n", out);
		}
	}
	free(w);
}

static void csv_field(FILE *out, const char *v)
{
	if (!v)
		return;
	if (strpbrk(v, ",\"\r\n")) {
		fputc('"', out);
		for (; *v; v++) {
			if (*v == '"')
				fputc('"', out);
			fputc(*v, out);
		}
		fputc('"', out);
	} else {
		fputs(v, out);
	}
}

static void json_string(FILE *out, const char *v)
{
	fputc('"', out);
	for (; *v; v++) {
		unsigned char ch = (unsigned char)*v;
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", out);
		else if (ch == '\t')
			fputs("\\t", out);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static int is_json_number(const char *v)
{
	char *end;

	if (!*v)
		return 0;
	strtod(v, &end);
	return *end == '\0' && strcmp(v, "nan") && strcmp(v, "inf") &&
	       strcmp(v, "-inf");
}

/* Print t to out as fmt: CLI_FMT_TABLE as aligned columns under a header
 * line (number columns right-aligned, an empty cell blank); CLI_FMT_CSV
 * as a header row then one row per line, quoting fields that need it (an
 * empty cell empty); CLI_FMT_JSON as an array of objects keyed by column
 * name, number columns unquoted when the text is a finite number, an
 * empty cell null.  t stays the caller's. */
void cli_table_print(const struct cli_table *t, FILE *out, enum cli_format fmt)
{
	size_t r;
	int c;

	switch (fmt) {
	case CLI_FMT_TABLE:
		print_text(t, out);
		break;
	case CLI_FMT_CSV:
		for (c = 0; c < t->ncols; c++) {
			csv_field(out, t->names[c]);
			fputc(c + 1 < t->ncols ? ',' : '\n', out);
		}
		for (r = 0; r < t->nrows; r++)
			for (c = 0; c < t->ncols; c++) {
				csv_field(out, cell(t, r, c));
				fputc(c + 1 < t->ncols ? ',' : '\n', out);
			}
		break;
	case CLI_FMT_JSON:
		fputc('[', out);
		for (r = 0; r < t->nrows; r++) {
			fputs(r ? ",\n {" : "\n {", out);
			for (c = 0; c < t->ncols; c++) {
				const char *v = cell(t, r, c);
				if (c)
					fputs(", ", out);
				json_string(out, t->names[c]);
				fputs(": ", out);
				if (!v)
					fputs("null", out);
				else if (t->types[c] == 'n' &&
					 is_json_number(v))
					fputs(v, out);
				else
					json_string(out, v);
			}
			fputc('}', out);
		}
		fputs(t->nrows ? "\n]\n" : "]\n", out);
		break;
	}
}

void cli_table_free(struct cli_table *t)
{
	size_t i;
	int c;

	if (!t)
		return;
	for (i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	for (c = 0; c < t->ncols; c++)
		free(t->names[c]);
	free(t->names);
	free(t->types);
	free(t->cells);
	free(t);
}

void cli_format_share(double s, char *buf, size_t size)
{
	if (isnan(s))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.1f%%", 100 * s);
}

int cli_table_print_rows(struct cli_table *t, struct core_ws *ws,
			 sqlite3_stmt *st, FILE *out, enum cli_format fmt,
			 struct core_err *err)
{
	int rc = cli_table_add_rows(t, ws, st, err);

	if (rc == CORE_OK)
		cli_table_print(t, out, fmt);
	return rc;
}

/* The fixed copies cli_text_fix made, and how many sequences it
 * replaced in all. */
static struct {
	char **v;
	size_t n, cap;
	size_t replaced;
} fixed;

const char *cli_text_fix(const char *s)
{
	struct core_buf b = CORE_BUF_INIT;
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s);
	if (core_utf8_check(s, n) == n)
		return s;
	fixed.replaced += core_utf8_fix(&b, s, n);
	xgrow((void **)&fixed.v, &fixed.cap, fixed.n + 1, sizeof(char *));
	fixed.v[fixed.n++] = core_buf_detach(&b);
	return fixed.v[fixed.n - 1];
}

const char *cli_text(sqlite3_stmt *st, int i)
{
	return cli_text_fix((const char *)sqlite3_column_text(st, i));
}

int cli_text_finish(void)
{
	int any = fixed.replaced > 0;
	size_t i;

	for (i = 0; i < fixed.n; i++)
		free(fixed.v[i]);
	free(fixed.v);
	memset(&fixed, 0, sizeof(fixed));
	return any;
}
