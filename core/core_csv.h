/*
 * core_csv.h - a small RFC 4180 reader for the project's own data files
 * (taxonomy tables, crosswalks).  Source files a user imports go through
 * GDAL instead.
 *
 * Handles quoted fields with embedded commas, quotes and newlines, CRLF,
 * and a UTF-8 byte-order mark.  The first row is the header.
 */
#ifndef CORE_CSV_H
#define CORE_CSV_H

#include <stddef.h>

#include "core/core_err.h"

struct core_csv;

/* Open path and read its header.  Returns NULL with err set. */
struct core_csv *core_csv_open(const char *path, struct core_err *err);
/* The same over buf[0..len) (borrowed until core_csv_free); name is
 * what messages call it.  For tests and fuzzing. */
struct core_csv *core_csv_open_mem(const char *buf, size_t len,
				   const char *name, struct core_err *err);
void core_csv_free(struct core_csv *c);

/* Read the next record: 1 when a record was read, 0 at end of file,
 * -1 on error (err set, naming file and line). */
int core_csv_next(struct core_csv *c, struct core_err *err);

/* Fields of the current record; a missing trailing field reads as "". */
const char *core_csv_get(const struct core_csv *c, size_t i);
size_t core_csv_nfields(const struct core_csv *c);
/* Line number (1-based) where the current record started. */
long core_csv_line(const struct core_csv *c);
/* The header: its number of columns, and column i's name ("" past the
 * end). */
size_t core_csv_nheader(const struct core_csv *c);
const char *core_csv_header(const struct core_csv *c, size_t i);
/* Index of header column name (case-insensitive), or -1. */
int core_csv_col(const struct core_csv *c, const char *name);
const char *core_csv_path(const struct core_csv *c);

#endif
