/*
 * geo_addr_tab.h - the address parser's dictionary (private to
 * geo_addr.c and its unit test).
 *
 * One sorted table of every word the parser knows, each with all the
 * roles it can play: a street suffix of USPS Publication 28 Appendix C1
 * (its standard abbreviation and primary name), a directional, a
 * secondary unit designator of Appendix C2, a state, an ordinal, a
 * route word or qualifier.  Which role a word plays is the parser's
 * decision, by its place in the address.
 */
#ifndef GEO_ADDR_TAB_H
#define GEO_ADDR_TAB_H

#include <stddef.h>

/*
 * Flags.  STRONG: a suffix that ends a street even when words follow
 * ("ST", not "PARK").  UNIT_ID: a unit designator that takes an id
 * ("APT", not "REAR").  COUNTRY: "USA", "UNITED".  STATE_END: the last
 * word of a state's name of two or three words ("YORK").
 */
#define GEO_ADDR_W_STRONG    1
#define GEO_ADDR_W_UNIT_ID   2
#define GEO_ADDR_W_COUNTRY   4
#define GEO_ADDR_W_STATE_END 8

struct geo_addr_word {
	const char *w;	     /* the word, upper case, no punctuation */
	unsigned char len;   /* strlen(w) */
	unsigned char flags; /* GEO_ADDR_W_* */
	unsigned char ord;   /* an ordinal word's number ("NINTH" 9) */
	unsigned char tens;  /* "TWENTY" 20 ... "NINETY" 90, "ONE" 1 */
	const char *suf;     /* Pub 28 C1 standard abbreviation ("AVE") */
	const char *sufname; /* Pub 28 C1 primary name ("AVENUE") */
	const char *dir;     /* directional ("N", "SW") */
	const char *unit;    /* Pub 28 C2 designator ("APT", "STE") */
	const char *state;   /* two-letter state code */
	const char *route;   /* route word's form ("HWY", "RTE", "RD") */
	const char *qual;    /* route qualifier before a route word */
	const char *qual1;   /* the same directly before a number */
};

/* The table, sorted by w in strcmp order, and its length. */
extern const struct geo_addr_word geo_addr_words[];
extern const size_t geo_addr_nwords;

/* The entry for the n bytes at s (upper case), or NULL: one probe or
 * two of geo_addr_hash, an open-addressing table (linear probing) of
 * 1 + the index of each word at its hash's slot, 0 for an empty slot. */
const struct geo_addr_word *geo_addr_word_find(const char *s, size_t n);

#define GEO_ADDR_HASH_SIZE 2048
extern const unsigned short geo_addr_hash[GEO_ADDR_HASH_SIZE];
/* 32-bit FNV-1a of the n bytes at s: where a word's probe starts. */
unsigned geo_addr_word_hash(const char *s, size_t n);

/* The ASCII folding of the code points U+00C0 to U+017F (Latin-1
 * Supplement letters and Latin Extended-A), upper case: "" for a
 * character that is no letter. */
extern const char *const geo_addr_fold[192];

#endif
