/*
 * fuzz_csv.c - libFuzzer target for the RFC 4180 reader core/core_csv.c
 * (the taxonomy and crosswalk tables, HSDS CSV packages, ACS, SVI,
 * PLACES and any GEOID-keyed table go through it), fed through
 * core_csv_open_mem.  Build and run: see tests/fuzz/README.md.
 *
 * Besides crashes and sanitizer reports, it aborts when
 *  - an open fails without a message, or a read error has none;
 *  - a record has no field, or record lines go backwards or start
 *    before line 1;
 *  - core_csv_col does not find a header name it was just given (or
 *    finds another column of a different name);
 *  - the records written back as RFC 4180 (every field quoted, quotes
 *    doubled, CRLF) do not read back as the same fields: whatever the
 *    reader made of the bytes, it must read its own canonical form the
 *    same way.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_csv.h"
#include "core/core_err.h"
#include "core/core_mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Append one field as quoted CSV, after a comma unless first. */
static void put_field(struct core_buf *b, const char *f, int first)
{
	if (!first)
		core_buf_addc(b, ',');
	core_buf_addc(b, '"');
	for (; *f; f++) {
		if (*f == '"')
			core_buf_addc(b, '"');
		core_buf_addc(b, *f);
	}
	core_buf_addc(b, '"');
}

/* Write the header and every record of c to canon in the canonical
 * form, and each record's field count to counts, checking the record
 * invariants on the way.  Returns 0, or -1 on a read error. */
static int slurp(struct core_csv *c, struct core_buf *canon,
		 struct core_buf *counts, struct core_err *err)
{
	size_t i;
	long last = 0;
	int r;

	for (i = 0; i < core_csv_nheader(c); i++)
		put_field(canon, core_csv_header(c, i), i == 0);
	core_buf_adds(canon, "\r\n");
	while ((r = core_csv_next(c, err)) == 1) {
		size_t nf = core_csv_nfields(c);
		if (nf == 0 || core_csv_line(c) < 1 || core_csv_line(c) <= last)
			abort();
		last = core_csv_line(c);
		for (i = 0; i < nf; i++) {
			const char *f = core_csv_get(c, i);
			if (!f)
				abort();
			put_field(canon, f, i == 0);
		}
		if (core_csv_get(c, nf)[0] != '\0')
			abort(); /* past the end reads as "" */
		core_buf_adds(canon, "\r\n");
		core_buf_addf(counts, "%zu,", nf);
	}
	if (r < 0 && !err->msg[0])
		abort();
	return r < 0 ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_err err = CORE_ERR_INIT, err2 = CORE_ERR_INIT;
	struct core_buf canon = CORE_BUF_INIT, counts = CORE_BUF_INIT;
	struct core_buf canon2 = CORE_BUF_INIT, counts2 = CORE_BUF_INIT;
	struct core_csv *c, *c2;
	size_t i;
	int r;

	c = core_csv_open_mem((const char *)data, size, "fuzz.csv", &err);
	if (!c) {
		if (!err.msg[0])
			abort();
		return 0;
	}
	if (core_csv_nheader(c) == 0)
		abort();
	for (i = 0; i < core_csv_nheader(c); i++) {
		const char *h = core_csv_header(c, i);
		int k = core_csv_col(c, h);
		if (k < 0 || (size_t)k > i ||
		    strcasecmp(core_csv_header(c, (size_t)k), h) != 0)
			abort();
	}
	r = slurp(c, &canon, &counts, &err);
	core_csv_free(c);
	if (r == 0) {
		/* The canonical form reads back the same.  (A header that is
		 * one empty field writes as "" and reads back the same.) */
		c2 = core_csv_open_mem(canon.s, canon.len, "canon.csv", &err2);
		if (!c2 || slurp(c2, &canon2, &counts2, &err2) != 0)
			abort();
		if (canon.len != canon2.len ||
		    memcmp(canon.s, canon2.s, canon.len) != 0 ||
		    strcmp(core_buf_str(&counts), core_buf_str(&counts2)) != 0)
			abort();
		core_csv_free(c2);
	}
	core_buf_release(&canon);
	core_buf_release(&counts);
	core_buf_release(&canon2);
	core_buf_release(&counts2);
	return 0;
}
