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
 * stored: it is replaced by HMAC-SHA-256 keyed with a secret key of 32
 * random bytes that is kept outside the workspace, in a key file of the
 * user's (core_privacy_key_path): the workspace records only the key's
 * fingerprint (meta 'cohort_key', "SHA-256:" and the first 16 hex digits
 * of the key's SHA-256).  The same id under the same key always gives
 * the same hash, so a user holding the ids and the key can re-link; a
 * workspace shared without its key cannot be re-linked by anyone, and
 * guesses of an id cannot be checked against its hashes.  Workspaces of
 * earlier versions kept the key in the workspace (meta 'cohort_salt');
 * core_privacy_salt_move takes it out.
 *
 * SHA-256 and HMAC are OpenSSL's libcrypto (EVP interfaces); the tests
 * check them against the published FIPS 180 and RFC 4231 vectors.
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
	CORE_PRIVACY_SHOW = 0,	/* print the number */
	CORE_PRIVACY_SMALL,	/* 1 to 10: print "<11" */
	CORE_PRIVACY_COMPLEMENT /* hidden so that a small cell cannot be
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
 * Naming a cohort where others may read it
 * ------------------------------------------------------------------ */

/*
 * A cohort is named by the name its user gave it, never by its file: a
 * patient file's name ("cohort_sf_phi.csv") can say much, and it is not
 * stored.  The label below is what sources.name and sources.path hold
 * for a cohort, and what every note of sources (maps, atlas pages,
 * exports, 'sources') shows; for workspaces of earlier versions, which
 * stored the file's name and path, queries build it from cohorts.name
 * with CORE_PRIVACY_COHORT_LABEL_SQL.
 */
#define CORE_PRIVACY_COHORT_LABEL_FMT "cohort '%s' (patient records, not shown)"
/* The label in SQL, from a text expression naming the cohort. */
#define CORE_PRIVACY_COHORT_LABEL_SQL(name_expr)                               \
	"('cohort ''' || " name_expr " || ''' (patient records, not shown)')"

/* The label of cohort name (caller frees). */
char *core_privacy_cohort_label(const char *name);

/*
 * Earlier versions stored a cohort's file name and path in sources, and
 * its name in the sources of each run: replace them with the label, in
 * one transaction, the old bytes overwritten (PRAGMA secure_delete).
 * *n: the rows changed (0 when there was nothing to do).  The workspace
 * must be open for writing, with no transaction open.
 */
int core_privacy_scrub_files(struct core_ws *ws, int64_t *n,
			     struct core_err *err);

/* ---------------------------------------------------------------------
 * Columns that may not be kept
 * ------------------------------------------------------------------ */

/*
 * The kinds of direct identifier (after HIPAA's Safe Harbor list) that a
 * column kept beside a person (import cohort --keep) may not be.
 */
enum core_privacy_ident {
	CORE_PRIVACY_IDENT_NONE = 0,
	CORE_PRIVACY_IDENT_NAME,    /* a person's name */
	CORE_PRIVACY_IDENT_DATE,    /* a date other than the year */
	CORE_PRIVACY_IDENT_ADDRESS, /* finer than a ZIP's first 3 digits */
	CORE_PRIVACY_IDENT_PHONE,
	CORE_PRIVACY_IDENT_EMAIL,
	CORE_PRIVACY_IDENT_SSN,
	CORE_PRIVACY_IDENT_NUMBER, /* record, member or account number */
	CORE_PRIVACY_IDENT_ID	   /* an identifier column */
};

/*
 * What a column's name says it holds: the kind of identifier, or
 * CORE_PRIVACY_IDENT_NONE.  The name is split into words (at anything
 * but letters and digits, and where lower case turns upper: PatientName
 * is "patient name") and matched, case aside, against one table of
 * words and word runs per kind (core_privacy.c).  as_year: the column is
 * kept as its year only (COL:year), which a date column may be.
 */
enum core_privacy_ident core_privacy_ident_name(const char *col, int as_year);

/* What a value looks like: a date (other than a year alone), an e-mail
 * address, a phone number, an SSN, a street address, a run of 7 or more
 * digits (a record or member number; a decimal number with a fraction
 * is not one), or CORE_PRIVACY_IDENT_NONE.  s need not end in NUL. */
enum core_privacy_ident core_privacy_ident_value(const char *s, size_t n);

/* The kind in words for messages: "a person's name", "a date other than
 * the year", ...; and the rule's reason: "names identify a person". */
const char *core_privacy_ident_what(enum core_privacy_ident k);

/*
 * The year of a date written in one of the shapes core_privacy_ident_value
 * recognises (2009-05-19, 5/19/2009, 19.05.2009, 20090519, May 19, 2009,
 * 2009-05-19T08:00, ...): 1 with *year set, else 0.  Two-digit years
 * are not accepted (their century is a guess).
 */
int core_privacy_date_year(const char *s, size_t n, int *year);

/* ---------------------------------------------------------------------
 * Hashing identifiers
 * ------------------------------------------------------------------ */

#define CORE_PRIVACY_KEY_LEN 32
/* Room for a fingerprint: "SHA-256:" and 16 hex digits. */
#define CORE_PRIVACY_FP_SIZE 32

/* SHA-256 of n bytes. */
void core_privacy_sha256(const void *data, size_t n, unsigned char out[32]);

/* HMAC-SHA-256 of msg with key (any length): OpenSSL's EVP_MAC. */
void core_privacy_hmac(const void *key, size_t keylen, const void *msg,
		       size_t n, unsigned char out[32]);

/*
 * A keyed hasher for many messages under one key: HMAC-SHA-256 with the
 * key's inner and outer SHA-256 states made once (libcrypto digests), so
 * each identifier costs two compressions when it is under 56 bytes.
 * core_privacy_hasher_init sets it up (0 bytes of key is a key too);
 * core_privacy_hasher_release frees it and accepts a zeroed struct.
 * Failures of the library (which has no reason to fail here) abort.
 * Not for use by two threads at once.
 */
struct core_privacy_hasher {
	struct evp_md_ctx_st *inner, *outer, *work; /* EVP_MD_CTX */
};

void core_privacy_hasher_init(struct core_privacy_hasher *h, const void *key,
			      size_t keylen);
/* HMAC-SHA-256 of msg under the hasher's key. */
void core_privacy_hasher_run(struct core_privacy_hasher *h, const void *msg,
			     size_t n, unsigned char out[32]);
void core_privacy_hasher_release(struct core_privacy_hasher *h);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void core_privacy_hex(const unsigned char *b, size_t n, char *out);

/* ---------------------------------------------------------------------
 * The key, outside the workspace
 * ------------------------------------------------------------------ */

/* "SHA-256:" and the first 16 hex digits of the key's SHA-256, into fp. */
void core_privacy_key_fingerprint(const unsigned char key[CORE_PRIVACY_KEY_LEN],
				  char fp[CORE_PRIVACY_FP_SIZE]);

/*
 * The user's key file: $ASSETMAP_KEY_FILE when set, else
 * $XDG_CONFIG_HOME/assetmap/key, else $HOME/.config/assetmap/key.  The
 * caller frees it.  NULL with err set when none can be named (no HOME).
 */
char *core_privacy_key_path(struct core_err *err);

/*
 * Read the key in path (64 hex digits, white space around them allowed)
 * into key.  Refuses a file that others can read or write (its mode
 * must be 0600 or stricter) and one that is not a key.  When the file
 * does not exist and create is set, makes it with a new random key
 * (open with O_CREAT | O_EXCL, mode 0600; its directory, when it is
 * assetmap's own under the config directory, made with mode 0700) and
 * sets *created; a file made at the same time by another process is
 * read instead.  Returns CORE_OK, CORE_ENOTFOUND (missing, create not
 * set), CORE_EFORMAT (not a key, or not private) or CORE_EIO.
 */
int core_privacy_key_read(const char *path, int create,
			  unsigned char key[CORE_PRIVACY_KEY_LEN], int *created,
			  struct core_err *err);

/*
 * The key for hashing this workspace's identifiers, into key.  The key
 * file is core_privacy_key_path's or, when that holds another key than
 * the workspace's fingerprint names, the same path with "-" and the
 * fingerprint's 16 hex digits appended (where core_privacy_salt_move
 * puts a workspace's own key).  A workspace with no fingerprint yet
 * takes the user's key (made when there is none) and records its
 * fingerprint in meta 'cohort_key': call this inside the import's
 * transaction.  A key that is not the one the workspace recorded is an
 * error (CORE_EFAIL) that says so: the hashes stored would never match
 * the ones already there.  *note (when note is not NULL) is set to a
 * sentence for the user when a key file was made, else NULL; the caller
 * frees it.
 */
int core_privacy_ws_key(struct core_ws *ws,
			unsigned char key[CORE_PRIVACY_KEY_LEN], char **note,
			struct core_err *err);

/*
 * A workspace of an earlier version keeps its key in meta 'cohort_salt'.
 * Move it out: write it to the key file (core_privacy_key_path, or that
 * path with "-" and its fingerprint's hex digits appended when the key
 * file already holds another key), then, in one transaction, delete
 * 'cohort_salt' (with PRAGMA secure_delete, so its bytes are overwritten)
 * and record the fingerprint in 'cohort_key'.  The hashes stored stay
 * valid.  Does nothing when the workspace holds no salt (*note NULL);
 * otherwise sets *note to a sentence for the user (the caller frees it).
 * The workspace must be open for writing, with no transaction open.  On
 * failure the workspace is unchanged.
 */
int core_privacy_salt_move(struct core_ws *ws, char **note,
			   struct core_err *err);

#endif
