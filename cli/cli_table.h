/*
 * cli_table.h - print a table as aligned text, CSV or JSON.
 *
 * Every command that prints a table takes --format table|csv|json and
 * builds it with these calls; values are copied in.
 */
#ifndef CLI_TABLE_H
#define CLI_TABLE_H

#include <stdio.h>

#include "cli/cli_opt.h"
#include "core/core_err.h"
#include "core/core_ws.h"

enum cli_format { CLI_FMT_TABLE, CLI_FMT_CSV, CLI_FMT_JSON };

/* Parse "table", "csv" or "json"; a usage error otherwise. */
int cli_format_parse(const char *s, enum cli_format *out, struct core_err *err);

/* The formats as choices (cli_opt.h), their values enum cli_format. */
extern const struct cli_opt_choice cli_formats[];

/* The --format record of a command's table: into int member F of T (an
 * enum cli_format value), with the message cli_format_parse gives. */
#define CLI_OPT_FORMAT(T, F, argh, help)                                       \
	CLI_OPT_FULL(CLI_OPT_KIND_CHOICE, "format", 0, argh, T, F, help, 0,    \
		     NULL, "'%s' is not a format; use table, csv or json", 0,  \
		     0, 0, cli_formats, NULL)

struct cli_table;

/*
 * ncols column names; types is a string of ncols letters, 's' for text
 * and 'n' for numbers (right-aligned, unquoted in JSON).
 */
struct cli_table *cli_table_new(int ncols, const char *const *names,
				const char *types);
/* Add a row of ncols values; NULL is an empty cell (null in JSON). */
void cli_table_add(struct cli_table *t, const char *const *vals);
/* Step st to the end, adding each row's first ncols columns as text;
 * finalizes st.  An SQLite error while stepping sets err. */
int cli_table_add_rows(struct cli_table *t, struct core_ws *ws,
		       sqlite3_stmt *st, struct core_err *err);
void cli_table_print(const struct cli_table *t, FILE *out, enum cli_format fmt);
/* A query as a table: cli_table_add_rows (st finalized), then, when that
 * worked, cli_table_print.  t stays the caller's. */
int cli_table_print_rows(struct cli_table *t, struct core_ws *ws,
			 sqlite3_stmt *st, FILE *out, enum cli_format fmt,
			 struct core_err *err);
void cli_table_free(struct cli_table *t);

/*
 * Text for an output, always valid UTF-8, so that no table, CSV, JSON or
 * export carries bytes a reader would refuse, even from a workspace an
 * older version filled.  cli_text_fix returns s itself when it is valid
 * UTF-8 (or NULL), else a copy with each invalid sequence replaced by
 * U+FFFD, kept until cli_text_finish; cli_text is the same for column i
 * of st's current row (borrowed as sqlite3_column_text, or such a copy).
 * cli_text_finish frees the copies and returns 1 when anything was
 * replaced (main then warns, once), else 0.
 */
const char *cli_text_fix(const char *s);
const char *cli_text(sqlite3_stmt *st, int i);
int cli_text_finish(void);

/* A share (0..1) as "12.3%", or "-" for NaN (no one to share among). */
void cli_format_share(double s, char *buf, size_t size);

#endif
