/*
 * core_csv.h - the one CSV reader: every CSV the project reads goes
 * through it, its own tables (taxonomy, crosswalks) and the files users
 * import (the generic importer's .csv/.tsv/.txt, HSDS CSV packages, ACS,
 * SVI, PLACES, patient cohorts, the Medi-Cal listings), so that every
 * command reads a file by the same rules and says the same thing about
 * it.
 *
 * A file is memory-mapped (read into memory when it cannot be mapped: a
 * pipe) and parsed in one pass over its bytes; a buffer in memory is read
 * in place (for tests and fuzzing).  Handles quoted fields with embedded
 * separators, quotes and newlines, CRLF, and a UTF-8 byte-order mark.
 * The first row is the header.  Refused (core_csv_next fails, naming
 * file, line and field): a quoted field still open at the end of the
 * file, a NUL byte.  A record whose number of fields differs from the
 * header's is the caller's to judge with core_csv_check_width, so that it
 * can reject the one row.
 */
#ifndef CORE_CSV_H
#define CORE_CSV_H

#include <stddef.h>

#include "core/core_err.h"
#include "core/core_mem.h"

struct core_csv;

/* Open path and read its header.  Returns NULL with err set. */
struct core_csv *core_csv_open(const char *path, struct core_err *err);
/*
 * The same, with name what messages call the file (NULL: path) and sep
 * the separator (',', ';', '\t', '|'), or 0 to take the first ',', ';',
 * tab or '|' outside quotes in the header line (',' when none).
 */
struct core_csv *core_csv_open_as(const char *path, const char *name, int sep,
				  struct core_err *err);
/* The same over buf[0..len) (borrowed until core_csv_free); name is
 * what messages call it.  For tests and fuzzing. */
struct core_csv *core_csv_open_mem(const char *buf, size_t len,
				   const char *name, struct core_err *err);
struct core_csv *core_csv_open_mem_as(const char *buf, size_t len,
				      const char *name, int sep,
				      struct core_err *err);
/* Free c (NULL: nothing), its mapping or copy given back and the last
 * record's bytes zeroed first (a cohort's ids do not stay in memory). */
void core_csv_free(struct core_csv *c);

/*
 * Flags of core_csv_open_fd and core_csv_open_mem_flags, for readers of
 * files that spreadsheets write (0: the rules above).
 */
enum {
	/* A quote opens a quoted field only as the field's first byte;
	 * elsewhere, and after the closing quote, it is text. */
	CORE_CSV_SHEET_QUOTES = 1,
	/* A lone CR ends a line too (old Mac files); without it a CR
	 * outside quotes is dropped. */
	CORE_CSV_CR_ENDS_LINE = 2,
	/* A quoted field open at the end of the file ends the record
	 * (marked CORE_CSV_REC_UNCLOSED) instead of failing. */
	CORE_CSV_LET_UNCLOSED = 4,
	/* A NUL byte reads as a space (the record marked CORE_CSV_REC_NUL)
	 * instead of failing. */
	CORE_CSV_LET_NUL = 8,
	/* core_csv_next returns blank lines too (one empty field). */
	CORE_CSV_KEEP_BLANK = 16,
	/* Open without reading the header: the caller reads it with
	 * core_csv_read_header (or takes a record with
	 * core_csv_take_header). */
	CORE_CSV_NO_HEADER = 32,
	/* With CORE_CSV_SHEET_QUOTES: what follows a closing quote up to
	 * the separator or line end is dropped rather than kept as text. */
	CORE_CSV_DROP_AFTER_QUOTE = 64,
	/* A separator found in the header is ',', ';' or tab, never '|'. */
	CORE_CSV_NO_PIPE = 128,
	/* A CR outside quotes is text unless a line or the file ends
	 * after it. */
	CORE_CSV_KEEP_CR = 256
};

/*
 * Read the bytes of fd (which is closed here, on failure too): mapped
 * when it is a regular file, else read to its end.  name is what
 * messages call the file; sep as for core_csv_open_as; flags as above.
 * The caller opens the file so that it words a failure to open as its
 * command does.  Returns NULL with err set.
 */
struct core_csv *core_csv_open_fd(int fd, const char *name, int sep,
				  unsigned flags, struct core_err *err);
/* core_csv_open_mem_as with flags. */
struct core_csv *core_csv_open_mem_flags(const char *buf, size_t len,
					 const char *name, int sep,
					 unsigned flags, struct core_err *err);
/*
 * With CORE_CSV_NO_HEADER: find the separator when none was given, and
 * read the next record (blank lines skipped unless CORE_CSV_KEEP_BLANK)
 * as the header.  1 when read, 0 when the file holds no record, -1 on
 * error (err set).
 */
int core_csv_read_header(struct core_csv *c, struct core_err *err);
/* The current record becomes the header; core_csv_rewind comes back to
 * the record after it. */
void core_csv_take_header(struct core_csv *c);
/* Read again from the first record after the header (line numbers as
 * the first time). */
void core_csv_rewind(struct core_csv *c);

/* Read the next record: 1 when a record was read, 0 at end of file,
 * -1 on error (err set, naming file and line). */
int core_csv_next(struct core_csv *c, struct core_err *err);

/* Fields of the current record; a missing trailing field reads as "". */
const char *core_csv_get(const struct core_csv *c, size_t i);
size_t core_csv_nfields(const struct core_csv *c);
/* The length of field i (0 past the end): a field may hold a NUL byte
 * read as a space, never a NUL. */
size_t core_csv_get_len(const struct core_csv *c, size_t i);
/* Line number (1-based) where the current record started. */
long core_csv_line(const struct core_csv *c);
/* The header: its number of columns, and column i's name ("" past the
 * end). */
size_t core_csv_nheader(const struct core_csv *c);
const char *core_csv_header(const struct core_csv *c, size_t i);
/* Index of header column name (case-insensitive), or -1. */
int core_csv_col(const struct core_csv *c, const char *name);
/* What messages call the file (the path, or the name given). */
const char *core_csv_path(const struct core_csv *c);
/* The separator in use. */
int core_csv_sep(const struct core_csv *c);
/* 1 when the current record ended at the end of the file without a line
 * end (the last line of a file that may have been cut short). */
int core_csv_unterminated(const struct core_csv *c);

/* What core_csv_record_flags says of the current record. */
enum {
	CORE_CSV_REC_QUOTED = 1,   /* a field of it was quoted */
	CORE_CSV_REC_UNCLOSED = 2, /* with CORE_CSV_LET_UNCLOSED */
	CORE_CSV_REC_NUL = 4	   /* with CORE_CSV_LET_NUL */
};
unsigned core_csv_record_flags(const struct core_csv *c);
/* With CORE_CSV_REC_NUL: the first field of the record holding one. */
size_t core_csv_nul_field(const struct core_csv *c);

/* Every byte of the file (borrowed until core_csv_free; a byte-order
 * mark included), and *size their number. */
const char *core_csv_bytes(const struct core_csv *c, size_t *size);
/* How many bytes were read so far (for progress). */
size_t core_csv_offset(const struct core_csv *c);

/* What core_csv_check_width finds. */
enum {
	CORE_CSV_SHORT = 1, /* fewer fields than the header */
	CORE_CSV_LONG = 2   /* more fields than the header */
};

/*
 * Whether the current record has as many fields as the header.  Returns
 * 0 when it does; else CORE_CSV_SHORT or CORE_CSV_LONG, with *field the
 * 0-based column of the first missing or first extra field, and the
 * reason appended to why, completing "FILE line 7, field city: ", e.g.
 * "is missing: the row has 3 fields where the header has 5; a value
 * holding the separator ',' must be in double quotes", with " (is the
 * file cut short?)" when a short record ends the file without a line
 * end.
 */
int core_csv_check_width(const struct core_csv *c, size_t *field,
			 struct core_buf *why);
/* The same reason for a record of nf fields against a header of nhdr
 * (for a reader whose header is not the first line), appended to why. */
void core_csv_width_why(const struct core_csv *c, size_t nf, size_t nhdr,
			struct core_buf *why);

#endif
