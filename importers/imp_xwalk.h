/*
 * imp_xwalk.h - the crosswalk: a source's own terms (HSDS taxonomy
 * terms, Open Eligibility, 211/AIRS codes, free-text keywords in English
 * and Spanish) onto the built-in categories and Medi-Cal Community
 * Supports, and the tally of which terms a source used.
 *
 * The crosswalk lives in data/taxonomy/crosswalk*.csv (vocabulary, term,
 * category, program, note), copied into the workspace's crosswalk table
 * by core_taxonomy_load.  imp_xwalk_new reads that table once into
 * memory; matching is then pure C:
 *
 *   - every vocabulary: the whole term, ignoring case, accents ('Acción'
 *     = 'accion'), punctuation ('&' is 'and') and a plural 's'
 *     ('Food Pantries' = 'food pantry');
 *   - "airs": only a term that starts with an AIRS/211 code in its
 *     own shape (one or two capitals, then optionally -NNNN and more
 *     .NNNN or -NNN levels: 'BD', 'BD-1800.2000-620'); the code, else
 *     its nearest broader level in the crosswalk ('BD-1800.2000-620'
 *     finds 'BD-1800.2000', else 'BD-1800', else 'BD', else 'B').  A
 *     word is never a code: 'legl' does not find 'L';
 *   - "keyword" in imp_xwalk_search: every keyword or phrase found as
 *     whole words inside free text (a name, a description), leftmost
 *     longest first, so that 'legal clinic' is legal and not also a
 *     clinic.
 *
 * The life of one import:
 *
 *   imp_xwalk_new(ws, &x, err);
 *   for each row: imp_xwalk_next_row(x);
 *                 imp_xwalk_term(x, "open_eligibility", value, &hits);
 *                 ... hits.categories, hits.programs ...
 *   imp_xwalk_save(x, ws, src->id, err);   before imp_source_close
 *   imp_xwalk_unmatched(x, &buf, 10);      after the import, to show
 *   imp_xwalk_free(x);
 *
 * Ownership: the code strings in struct imp_xwalk_hits and struct
 * imp_xwalk_term are borrowed from the crosswalk and live until
 * imp_xwalk_free.
 */
#ifndef IMP_XWALK_H
#define IMP_XWALK_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_mem.h"
#include "core/core_ws.h"

/* Enough for every built-in category and program at once. */
#define IMP_XWALK_MAX_HITS 40

struct imp_xwalk_hits {
	const char *categories[IMP_XWALK_MAX_HITS];
	size_t ncategories;
	const char *programs[IMP_XWALK_MAX_HITS];
	size_t nprograms;
};

/* A term a source used, as first written, and what it matched. */
struct imp_xwalk_term {
	const char *vocabulary;
	const char *term;
	const char *categories; /* "food,housing", NULL when none */
	const char *programs;	/* the same for programs */
	int64_t rows;		/* rows that used it */
};

struct imp_xwalk;

/* Load the workspace's crosswalk (an empty one when the table is
 * missing or empty). */
int imp_xwalk_new(struct core_ws *ws, struct imp_xwalk **out,
		  struct core_err *err);
void imp_xwalk_free(struct imp_xwalk *x);

/* Number of crosswalk rows loaded (for tests and notes). */
size_t imp_xwalk_size(const struct imp_xwalk *x);

void imp_xwalk_hits_clear(struct imp_xwalk_hits *h);

/*
 * Match one term of vocabulary exactly ("airs": the code or its nearest
 * broader level, see above).
 * Adds what it matched to h (no duplicates; h may be NULL) and returns
 * the number of crosswalk rows that matched, 0 for none.  Records
 * nothing.
 */
int imp_xwalk_match(const struct imp_xwalk *x, const char *vocabulary,
		    const char *term, struct imp_xwalk_hits *h);

/*
 * Find every phrase of vocabulary (normally "keyword") inside free text;
 * adds their categories and programs to h; returns how many phrases were
 * found.  Records nothing.
 */
int imp_xwalk_search(const struct imp_xwalk *x, const char *vocabulary,
		     const char *text, struct imp_xwalk_hits *h);

/*
 * imp_xwalk_match (or, for "keyword", imp_xwalk_search) and record the
 * term: the tally counts each term once per row (see
 * imp_xwalk_next_row) under vocabulary.  Returns like imp_xwalk_match.
 */
int imp_xwalk_term(struct imp_xwalk *x, const char *vocabulary,
		   const char *term, struct imp_xwalk_hits *h);

/* Record a term the caller matched itself (h: what it became, NULL for
 * nothing), e.g. a built-in category code. */
void imp_xwalk_note(struct imp_xwalk *x, const char *vocabulary,
		    const char *term, const struct imp_xwalk_hits *h);

/* How imp_xwalk_category matched a value. */
enum imp_xwalk_how {
	IMP_XWALK_NONE = 0,
	IMP_XWALK_CODE, /* a category code ('primary_care', 'Primary-Care') */
	IMP_XWALK_NAME, /* a category name ('Legal Aid') */
	IMP_XWALK_TERM, /* a term of the keyword, open_eligibility or hsds
			 * vocabularies ('Food Pantry', 'nutrición') */
	IMP_XWALK_AIRS	/* an AIRS/211 code, a letter pair at least */
};

/*
 * The one resolver of a category value that a user (--category) or a
 * file's category column gives: a category code, a category name, or a
 * crosswalk term that gives a category, each matched whole, with the
 * crosswalk's normalizing (case, accents, punctuation, '&', a plural
 * 's'); or the whole value an AIRS/211 code in its shape ('BD',
 * 'BD-1800.2000'; one capital alone is not enough).  Nothing is guessed:
 * 'housingg', 'hous' and 'legl' match nothing.  Adds the categories (and
 * a term's programs) to h (may be NULL) and says how it matched;
 * IMP_XWALK_NONE when it gives no category.  Records nothing.
 */
int imp_xwalk_category(const struct imp_xwalk *x, const char *value,
		       struct imp_xwalk_hits *h);

/*
 * The category codes near value, for "did you mean": those whose code,
 * name or a crosswalk term of theirs is within a small Damerau-
 * Levenshtein distance of value (1 edit for up to 4 letters, 2 for up to
 * 8, else 3) or begins with value (3 letters or more), the nearest first.
 * Puts at most max borrowed codes in out and returns their number.  For
 * messages only: a suggestion is never applied.
 */
size_t imp_xwalk_suggest(const struct imp_xwalk *x, const char *value,
			 const char **out, size_t max);

/*
 * Append to b what to write instead of value, which matched no category:
 * "did you mean 'food'?" ('food' or 'housing', at most three), else
 * "valid codes are food, housing, ... (see 'assetmap categories')".
 */
void imp_xwalk_category_hint(const struct imp_xwalk *x, const char *value,
			     struct core_buf *b);

/* Start the next row of the source (for the tally's row counts). */
void imp_xwalk_next_row(struct imp_xwalk *x);

/* The tally, in the order terms were first seen. */
size_t imp_xwalk_nterms(const struct imp_xwalk *x);
const struct imp_xwalk_term *imp_xwalk_term_get(const struct imp_xwalk *x,
						size_t i);

/* Write the tally to source_terms for source_id (inside the caller's
 * transaction). */
int imp_xwalk_save(const struct imp_xwalk *x, struct core_ws *ws,
		   int64_t source_id, struct core_err *err);

/*
 * Append to b "terms that matched no category: 'Walk up' (12 rows), ...
 * (add them to data/taxonomy/crosswalk.csv)", the most used first, at
 * most max of them ("and N more").  Returns the number of unmatched
 * terms; appends nothing when there are none.
 */
size_t imp_xwalk_unmatched(const struct imp_xwalk *x, struct core_buf *b,
			   size_t max);

#endif
