/*
 * core_privacy.h - what keeps patients' data private: small-cell
 * suppression of every count shown to a user, and the keyed hash that
 * replaces a person's identifier.
 *
 * Small cells.  A count from 1 to 10 is never shown: it prints as "<11"
 * (the threshold of CMS's cell-size suppression policy).  0 is shown,
 * and so is any count of 11 or more.  Every output that aggregates
 * cohort data goes through these functions, so the rule lives here only.
 *
 * Complementary suppression.  When a row of cells is printed with its
 * total, one hidden cell could be worked out as the total minus the
 * others.  core_privacy_row hides more cells (the smallest non-zero ones
 * first) until no hidden small cell can be pinned to one value, knowing
 * that a small cell is 1 to 10 and any other hidden cell at least 11.
 * This includes the usual rule "if exactly one cell is suppressed, also
 * suppress the next-smallest" and closes its gaps (cells 1 and 11 with a
 * total of 12; two cells of 10 with a total of 20).  When even hiding
 * every non-zero cell is not enough, the total must be hidden too.
 *
 * Identifiers.  A person's identifier (an MRN, a member id) is never
 * stored: it is replaced by HMAC-SHA-256 keyed with a secret salt of the
 * workspace, 32 random bytes kept in meta 'cohort_salt'.  The same id in
 * the same workspace always gives the same hash, so a user holding the
 * ids can re-link; the hash alone does not give the id back, and the
 * same id in another workspace gives another hash.  Anyone holding the
 * workspace file holds the salt too, and could hash guesses of a small id
 * space: the file's 0600 mode is what protects it.
 *
 * SHA-256 (FIPS 180-4) and HMAC (RFC 2104) are written here, in plain C
 * (with the CPU's SHA instructions where there are any), so core/ stays
 * libc-only rather than taking GLib's GChecksum through Pango for one
 * function; tests check both code paths against the published vectors.
 */
#ifndef CORE_PRIVACY_H
#define CORE_PRIVACY_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"

/* Counts from 1 to CORE_PRIVACY_MIN_CELL - 1 are suppressed. */
#define CORE_PRIVACY_MIN_CELL 11
/* What a suppressed small count prints as. */
#define CORE_PRIVACY_SMALL_TEXT "<11"
/* What a cell (or total) hidden by complementary suppression prints as. */
#define CORE_PRIVACY_HIDDEN_TEXT "suppressed"

/* 1 when n must not be shown (1 to 10), else 0. */
int core_privacy_is_small(int64_t n);

/*
 * n as text into buf (sz bytes, 24 is always enough): "<11" for 1 to 10,
 * otherwise the number in plain digits ("0", "4873"; a negative number,
 * which is not a count, as it is).  Returns buf.
 */
const char *core_privacy_count(int64_t n, char *buf, size_t sz);

/* The same with thousands separators, for sentences: "4,873", "<11". */
const char *core_privacy_count_grouped(int64_t n, char *buf, size_t sz);

enum core_privacy_mark {
	CORE_PRIVACY_SHOW = 0,     /* print the number */
	CORE_PRIVACY_SMALL,        /* 1 to 10: print "<11" */
	CORE_PRIVACY_COMPLEMENT    /* hidden so that a small cell cannot be
				    * worked out from the total */
};

/*
 * Complementary suppression of one row: cells[0..n-1] are counts (>= 0)
 * that add up to the row's total; total_shown says whether the total is
 * printed beside them.  Fills marks[0..n-1].  Returns 1 when the total
 * must be hidden as well (print CORE_PRIVACY_HIDDEN_TEXT), else 0; a
 * total of 1 to 10 is small itself and prints as "<11" anyway.  Cells
 * are chosen smallest first, the earlier one on ties, so the result is
 * the same for the same row.
 */
int core_privacy_row(const int64_t *cells, size_t n, int total_shown,
		     enum core_privacy_mark *marks);

/* A cell as text: the count (grouped with ',' when grouped is set), "<11"
 * or "suppressed" according to mark.  Returns buf. */
const char *core_privacy_cell(int64_t n, enum core_privacy_mark mark,
			      int grouped, char *buf, size_t sz);

/* ---------------------------------------------------------------------
 * Hashing identifiers
 * ------------------------------------------------------------------ */

#define CORE_PRIVACY_SALT_LEN 32

/* SHA-256 of n bytes. */
void core_privacy_sha256(const void *data, size_t n, unsigned char out[32]);

/* HMAC-SHA-256 of msg with key (any length). */
void core_privacy_hmac(const void *key, size_t keylen, const void *msg,
		       size_t n, unsigned char out[32]);

/*
 * A keyed hasher: the key's inner and outer SHA-256 states computed once,
 * so each identifier costs two compressions when it is under 56 bytes.
 * Initialise with core_privacy_hasher_init; it owns no memory.
 */
struct core_privacy_hasher {
	uint32_t inner[8], outer[8];
};

void core_privacy_hasher_init(struct core_privacy_hasher *h, const void *key,
			      size_t keylen);
/* HMAC-SHA-256 of msg under the hasher's key. */
void core_privacy_hasher_run(const struct core_privacy_hasher *h,
			     const void *msg, size_t n, unsigned char out[32]);

/*
 * SHA-256 uses the CPU's SHA instructions (x86-64 SHA-NI) when it has
 * them, else portable C; both give the same bytes.  For tests and
 * benchmarks: allow 0 forces the portable code, 1 lets the CPU's be
 * used.  Returns 1 when the instructions are in use.  Not thread-safe.
 */
int core_privacy_sha_accel(int allow);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void core_privacy_hex(const unsigned char *b, size_t n, char *out);

/*
 * The workspace's salt for hashing identifiers, into salt.  The first
 * call in a workspace makes it from /dev/urandom and stores it, as hex,
 * in meta 'cohort_salt': call it inside the import's transaction, so a
 * failed import leaves no salt behind.  Fails when /dev/urandom cannot
 * be read or the stored salt is damaged (never silently replaced: every
 * hash made with it would stop matching).
 */
int core_privacy_salt(struct core_ws *ws, unsigned char salt[CORE_PRIVACY_SALT_LEN],
		      struct core_err *err);

#endif
