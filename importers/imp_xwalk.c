/*
 * imp_xwalk.c - the crosswalk in memory, and the tally of a source's
 * terms.  See imp_xwalk.h.
 *
 * Every crosswalk row is filed under one key, "vocabulary\x1fnormalized
 * term", in a hash table whose value is a chain of rows (one term may
 * give a category and a program, or two categories).  Normalizing is
 * the same for the crosswalk's terms and a source's: folded (imp_fold),
 * split into words of letters and digits, '&' read as "and", apostrophes
 * dropped, a plural ending taken off each word ("pantries" -> "pantry",
 * "clinicas" -> "clinica"; not after ss, us or is: "homelessness",
 * "bus", "crisis"), words joined by one space.  AIRS codes are folded
 * and stripped of spaces, nothing more.
 */
#include "importers/imp_xwalk.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_hash.h"
#include "core/core_mem.h"
#include "importers/imp_common.h"

/* A source's distinct terms kept in the tally, at most. */
#define TALLY_MAX 100000

/* ---------------------------------------------------------------------
 * A string -> int hash table (open addressing)
 * ------------------------------------------------------------------ */

struct smap {
	char **keys;
	int32_t *vals;
	size_t cap, n; /* cap: a power of two, or 0 */
};

/* The slot of key (length n), empty or holding it. */
static size_t smap_slot(const struct smap *m, const char *key, size_t n)
{
	size_t i = (size_t)core_hash_bytes(key, n) & (m->cap - 1);

	while (m->keys[i] &&
	       (strncmp(m->keys[i], key, n) != 0 || m->keys[i][n] != '\0'))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int32_t smap_get(const struct smap *m, const char *key, size_t n)
{
	size_t i;

	if (!m->cap)
		return -1;
	i = smap_slot(m, key, n);
	return m->keys[i] ? m->vals[i] : -1;
}

/* Set key -> val (the key is copied). */
static void smap_put(struct smap *m, const char *key, int32_t val)
{
	size_t n = strlen(key), i;

	if ((m->n + 1) * 2 > m->cap) {
		struct smap g = {NULL, NULL, m->cap ? m->cap * 2 : 64, 0};
		g.keys = xcalloc(g.cap, sizeof(*g.keys));
		g.vals = xcalloc(g.cap, sizeof(*g.vals));
		for (i = 0; i < m->cap; i++)
			if (m->keys[i]) {
				size_t k = smap_slot(&g, m->keys[i],
						     strlen(m->keys[i]));
				g.keys[k] = m->keys[i];
				g.vals[k] = m->vals[i];
				g.n++;
			}
		free(m->keys);
		free(m->vals);
		*m = g;
	}
	i = smap_slot(m, key, n);
	if (!m->keys[i]) {
		m->keys[i] = xstrdup(key);
		m->n++;
	}
	m->vals[i] = val;
}

static void smap_free(struct smap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---------------------------------------------------------------------
 * Normalizing
 * ------------------------------------------------------------------ */

static int word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* Take a plural ending off the word in out[start..len). */
static void stem(struct core_buf *out, size_t start)
{
	char *w = out->s + start;
	size_t n = out->len - start;

	if (n > 4 && strcmp(w + n - 3, "ies") == 0) {
		w[n - 3] = 'y';
		w[n - 2] = '\0';
		out->len -= 2;
	} else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' &&
		   w[n - 2] != 'u' && w[n - 2] != 'i') {
		w[n - 1] = '\0';
		out->len -= 1;
	}
}

/* s folded into fold, with out emptied for the result: fold's text. */
static const char *fold_fresh(const char *s, struct core_buf *fold,
			      struct core_buf *out)
{
	core_buf_reset(fold);
	core_buf_reset(out);
	imp_fold_buf(fold, s);
	return core_buf_str(fold);
}

/* Words of s, folded and stemmed, joined by ' ', into out (reset). */
static void norm_words(const char *s, struct core_buf *fold,
		       struct core_buf *out)
{
	const char *p;

	p = fold_fresh(s, fold, out);
	while (*p) {
		size_t start;

		if (*p == '&') {
			if (out->len)
				core_buf_addc(out, ' ');
			core_buf_adds(out, "and");
			p++;
			continue;
		}
		if (!word_byte((unsigned char)*p)) {
			p++;
			continue;
		}
		if (out->len)
			core_buf_addc(out, ' ');
		start = out->len;
		while (*p) {
			if (word_byte((unsigned char)*p))
				core_buf_addc(out, *p++);
			else if (*p == '\'' && word_byte((unsigned char)p[1]))
				p++; /* "children's" -> "childrens" */
			else
				break;
		}
		stem(out, start);
	}
}

/*
 * The length of the AIRS/211 code s starts with, 0 when it starts with
 * none: one or two letters (at least min_letters), then optionally '-'
 * and four digits, then any number of '.' or '-' and digits ("BD",
 * "BD-1800", "BD-1800.2000-620").  Letters alone must be capitals (a
 * word such as "legl" or "h" is no code); before digits either case is
 * a code ("bd-1800.2000").  The code must end s or be followed by a
 * blank.
 */
static size_t airs_len(const char *s, size_t min_letters)
{
	size_t n = 0, i, letters;

	while (n < 2 && isalpha((unsigned char)s[n]))
		n++;
	letters = n;
	if (letters < min_letters || letters == 0)
		return 0;
	if (s[n] == '-' && isdigit((unsigned char)s[n + 1])) {
		for (i = 0; i < 4; i++)
			if (!isdigit((unsigned char)s[n + 1 + i]))
				return 0;
		n += 5;
		while ((s[n] == '.' || s[n] == '-') &&
		       isdigit((unsigned char)s[n + 1]))
			for (n++; isdigit((unsigned char)s[n]); n++)
				;
	} else {
		for (i = 0; i < letters; i++)
			if (!isupper((unsigned char)s[i]))
				return 0;
	}
	if (s[n] && !isspace((unsigned char)s[n]))
		return 0;
	return n;
}

/* An AIRS code at the start of s (after blanks), folded; out is empty
 * when s starts with no code (airs_len, a single capital allowed). */
static void norm_code(const char *s, struct core_buf *fold,
		      struct core_buf *out)
{
	size_t n, i;

	core_buf_reset(fold);
	core_buf_reset(out);
	while (*s && isspace((unsigned char)*s))
		s++;
	n = airs_len(s, 1);
	for (i = 0; i < n; i++)
		core_buf_addc(out, (char)tolower((unsigned char)s[i]));
}

static int is_airs(const char *vocabulary)
{
	return strcmp(vocabulary, "airs") == 0;
}

/* ---------------------------------------------------------------------
 * The crosswalk
 * ------------------------------------------------------------------ */

struct xrow {
	const char *category; /* interned in codes, NULL when none */
	const char *program;
	int32_t next; /* the next row of the same key, -1 */
};

struct vocab_len {
	char *vocabulary;
	size_t maxwords; /* the longest phrase, in words */
};

/* pub's strings are owned here. */
struct tally {
	struct imp_xwalk_term pub;
	int64_t last_row;
};

/* A category of the workspace, with its code and name normalized as
 * terms are (norm_words). */
struct xcat {
	char *code;
	char *ncode;
	char *nname;
};

struct imp_xwalk {
	struct xrow *rows;
	size_t nrows, caprows;
	struct smap map; /* key -> first row */
	char **codes;	 /* interned code strings */
	size_t ncodes, capcodes;
	struct vocab_len *vl;
	size_t nvl, capvl;
	struct xcat *cats; /* the workspace's categories, in order */
	size_t ncats, capcats;
	/* the tally */
	struct smap tmap; /* key -> index in tally */
	struct tally *t;
	size_t nt, capt;
	int64_t row;
	/* scratch */
	struct core_buf fold, norm, key;
	size_t *wstart;
	size_t capw;
};

static const char *intern(struct imp_xwalk *x, const char *s)
{
	size_t i;

	if (!s || !*s)
		return NULL;
	for (i = 0; i < x->ncodes; i++)
		if (strcmp(x->codes[i], s) == 0)
			return x->codes[i];
	xgrow((void **)&x->codes, &x->capcodes, x->ncodes + 1,
	      sizeof(*x->codes));
	return x->codes[x->ncodes++] = xstrdup(s);
}

static struct vocab_len *vocab_len(struct imp_xwalk *x, const char *v, int add)
{
	size_t i;

	for (i = 0; i < x->nvl; i++)
		if (strcmp(x->vl[i].vocabulary, v) == 0)
			return &x->vl[i];
	if (!add)
		return NULL;
	xgrow((void **)&x->vl, &x->capvl, x->nvl + 1, sizeof(*x->vl));
	x->vl[x->nvl].vocabulary = xstrdup(v);
	x->vl[x->nvl].maxwords = 0;
	return &x->vl[x->nvl++];
}

/* x->key = "vocabulary\x1f" + the normalized term. */
static void make_key(struct imp_xwalk *x, const char *vocabulary,
		     const char *term)
{
	if (is_airs(vocabulary))
		norm_code(term, &x->fold, &x->norm);
	else
		norm_words(term, &x->fold, &x->norm);
	core_buf_reset(&x->key);
	core_buf_adds(&x->key, vocabulary);
	core_buf_addc(&x->key, '\x1f');
	core_buf_adds(&x->key, core_buf_str(&x->norm));
}

static void add_row(struct imp_xwalk *x, const char *vocabulary,
		    const char *term, const char *category, const char *program)
{
	struct xrow *r;
	int32_t head, k;
	size_t words = 1;
	const char *p;

	make_key(x, vocabulary, term);
	if (!x->norm.len)
		return;
	for (p = core_buf_str(&x->norm); *p; p++)
		words += *p == ' ';
	if (vocab_len(x, vocabulary, 1)->maxwords < words)
		vocab_len(x, vocabulary, 1)->maxwords = words;
	xgrow((void **)&x->rows, &x->caprows, x->nrows + 1, sizeof(*x->rows));
	r = &x->rows[x->nrows];
	r->category = intern(x, category);
	r->program = intern(x, program);
	r->next = -1;
	head = smap_get(&x->map, x->key.s, x->key.len);
	if (head < 0) {
		smap_put(&x->map, x->key.s, (int32_t)x->nrows);
	} else {
		/* Keep the file's order within one key. */
		for (k = head; x->rows[k].next >= 0; k = x->rows[k].next)
			;
		x->rows[k].next = (int32_t)x->nrows;
	}
	x->nrows++;
}

/* The workspace's categories (none when the table is missing). */
static int load_categories(struct imp_xwalk *x, struct core_ws *ws,
			   struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t has = 0;
	int rc;

	if ((rc = core_ws_int(
		 ws, err,
		 "SELECT count(*) FROM sqlite_master WHERE name = 'categories'",
		 &has)) ||
	    !has)
		return rc;
	if ((rc = core_ws_prepare(
		 ws, err, &st,
		 "SELECT code, name FROM categories ORDER BY sort, code")))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		struct xcat *c;

		xgrow((void **)&x->cats, &x->capcats, x->ncats + 1,
		      sizeof(*x->cats));
		c = &x->cats[x->ncats++];
		c->code = xstrdup(code ? code : "");
		norm_words(c->code, &x->fold, &x->norm);
		c->ncode = xstrdup(core_buf_str(&x->norm));
		norm_words(name ? name : "", &x->fold, &x->norm);
		c->nname = xstrdup(core_buf_str(&x->norm));
	}
	rc = rc == SQLITE_DONE
		 ? CORE_OK
		 : core_ws_dberr(ws, err, "reading the categories");
	sqlite3_finalize(st);
	return rc;
}

int imp_xwalk_new(struct core_ws *ws, struct imp_xwalk **out,
		  struct core_err *err)
{
	struct imp_xwalk *x = xcalloc(1, sizeof(*x));
	sqlite3_stmt *st = NULL;
	int64_t has = 0;
	int rc;

	*out = NULL;
	if ((rc = core_ws_int(
		 ws, err,
		 "SELECT count(*) FROM sqlite_master WHERE name = 'crosswalk'",
		 &has)))
		goto cleanup;
	if (has) {
		/* A row naming only a program files it under the
		 * program's category too. */
		if ((rc = core_ws_prepare(
			 ws, err, &st,
			 "SELECT c.vocabulary, c.term,"
			 " coalesce(c.category, p.category), c.program"
			 " FROM crosswalk c LEFT JOIN programs p"
			 " ON p.code = c.program"
			 " ORDER BY c.file, c.line, c.rowid")))
			goto cleanup;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			add_row(x, (const char *)sqlite3_column_text(st, 0),
				(const char *)sqlite3_column_text(st, 1),
				(const char *)sqlite3_column_text(st, 2),
				(const char *)sqlite3_column_text(st, 3));
		if (rc != SQLITE_DONE) {
			rc = core_ws_dberr(ws, err, "reading the crosswalk");
			goto cleanup;
		}
		rc = CORE_OK;
	}
	if ((rc = load_categories(x, ws, err)))
		goto cleanup;
cleanup:
	sqlite3_finalize(st);
	if (rc) {
		imp_xwalk_free(x);
		return rc;
	}
	*out = x;
	return CORE_OK;
}

void imp_xwalk_free(struct imp_xwalk *x)
{
	size_t i;

	if (!x)
		return;
	free(x->rows);
	smap_free(&x->map);
	for (i = 0; i < x->ncodes; i++)
		free(x->codes[i]);
	free(x->codes);
	for (i = 0; i < x->nvl; i++)
		free(x->vl[i].vocabulary);
	free(x->vl);
	for (i = 0; i < x->ncats; i++) {
		free(x->cats[i].code);
		free(x->cats[i].ncode);
		free(x->cats[i].nname);
	}
	free(x->cats);
	smap_free(&x->tmap);
	for (i = 0; i < x->nt; i++) {
		free((char *)x->t[i].pub.vocabulary);
		free((char *)x->t[i].pub.term);
		free((char *)x->t[i].pub.categories);
		free((char *)x->t[i].pub.programs);
	}
	free(x->t);
	core_buf_release(&x->fold);
	core_buf_release(&x->norm);
	core_buf_release(&x->key);
	free(x->wstart);
	free(x);
}

size_t imp_xwalk_size(const struct imp_xwalk *x)
{
	return x ? x->nrows : 0;
}

/* ---------------------------------------------------------------------
 * Matching
 * ------------------------------------------------------------------ */

void imp_xwalk_hits_clear(struct imp_xwalk_hits *h)
{
	h->ncategories = 0;
	h->nprograms = 0;
}

static void add_hit(const char **v, size_t *n, const char *code)
{
	size_t i;

	if (!code)
		return;
	for (i = 0; i < *n; i++)
		if (v[i] == code || strcmp(v[i], code) == 0)
			return;
	if (*n < IMP_XWALK_MAX_HITS)
		v[(*n)++] = code;
}

/* Add the rows of chain head to h; returns how many. */
static int add_chain(const struct imp_xwalk *x, int32_t head,
		     struct imp_xwalk_hits *h)
{
	int n = 0;

	for (; head >= 0; head = x->rows[head].next, n++)
		if (h) {
			add_hit(h->categories, &h->ncategories,
				x->rows[head].category);
			add_hit(h->programs, &h->nprograms,
				x->rows[head].program);
		}
	return n;
}

/* The scratch buffers are the only state a match changes. */
static struct imp_xwalk *scratch(const struct imp_xwalk *x)
{
	return (struct imp_xwalk *)x;
}

int imp_xwalk_match(const struct imp_xwalk *cx, const char *vocabulary,
		    const char *term, struct imp_xwalk_hits *h)
{
	struct imp_xwalk *x = scratch(cx);
	size_t prefix, len, letters;

	if (!x || !x->nrows || !term)
		return 0;
	make_key(x, vocabulary, term);
	if (!x->norm.len)
		return 0;
	if (!is_airs(vocabulary))
		return add_chain(x, smap_get(&x->map, x->key.s, x->key.len), h);
	/* The code, then each broader level of it: cut before its last
	 * '-' or '.', down to the letter pair, then the first letter. */
	prefix = strlen(vocabulary) + 1;
	letters = isalpha((unsigned char)x->key.s[prefix + 1]) ? 2 : 1;
	for (len = x->key.len; len > prefix;) {
		int32_t k = smap_get(&x->map, x->key.s, len);
		if (k >= 0)
			return add_chain(x, k, h);
		if (len > prefix + letters) {
			do
				len--;
			while (len > prefix + letters && x->key.s[len] != '-' &&
			       x->key.s[len] != '.');
		} else {
			len--;
		}
	}
	return 0;
}

int imp_xwalk_search(const struct imp_xwalk *cx, const char *vocabulary,
		     const char *text, struct imp_xwalk_hits *h)
{
	struct imp_xwalk *x = scratch(cx);
	const struct vocab_len *vl;
	size_t nw = 0, i, L, vlen, found = 0;
	const char *s;

	if (!x || !x->nrows || !text || !(vl = vocab_len(x, vocabulary, 0)))
		return 0;
	norm_words(text, &x->fold, &x->norm);
	s = core_buf_str(&x->norm);
	/* Where each word starts, then a sentinel one past the end: word
	 * j is s[wstart[j] .. wstart[j + 1] - 1). */
	for (i = 0; i <= x->norm.len; i++) {
		if (i < x->norm.len && i > 0 && s[i - 1] != ' ')
			continue;
		xgrow((void **)&x->wstart, &x->capw, nw + 1,
		      sizeof(*x->wstart));
		x->wstart[nw++] = i < x->norm.len ? i : i + 1;
	}
	if (nw < 2)
		return 0;
	nw--;
	vlen = strlen(vocabulary);
	core_buf_reset(&x->key);
	core_buf_adds(&x->key, vocabulary);
	core_buf_addc(&x->key, '\x1f');
	/* Leftmost longest: a phrase found hides the shorter ones inside
	 * it ('legal clinic' is not also a 'clinic'). */
	for (i = 0; i < nw;) {
		size_t best = 0;
		int32_t best_k = -1;
		for (L = 1; L <= vl->maxwords && i + L <= nw; L++) {
			size_t a = x->wstart[i], b = x->wstart[i + L] - 1;
			int32_t k;
			x->key.len = vlen + 1;
			core_buf_add(&x->key, s + a, b - a);
			k = smap_get(&x->map, x->key.s, x->key.len);
			if (k >= 0) {
				best = L;
				best_k = k;
			}
		}
		if (best_k >= 0) {
			add_chain(x, best_k, h);
			found++;
			i += best;
		} else {
			i++;
		}
	}
	return (int)found;
}

/* ---------------------------------------------------------------------
 * A category as a user or a file's category column gives it
 * ------------------------------------------------------------------ */

/* The vocabularies whose terms stand for categories anywhere; the
 * Medi-Cal ones are codes of their own files' columns. */
static const char *const term_vocabs[] = {"keyword", "open_eligibility",
					  "hsds"};
#define NTERM_VOCABS (sizeof(term_vocabs) / sizeof(term_vocabs[0]))

/* Add every category and program of from to h (no duplicates). */
static void merge_hits(struct imp_xwalk_hits *h,
		       const struct imp_xwalk_hits *from)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < from->ncategories; i++)
		add_hit(h->categories, &h->ncategories, from->categories[i]);
	for (i = 0; i < from->nprograms; i++)
		add_hit(h->programs, &h->nprograms, from->programs[i]);
}

int imp_xwalk_category(const struct imp_xwalk *cx, const char *value,
		       struct imp_xwalk_hits *h)
{
	struct imp_xwalk *x = scratch(cx);
	struct imp_xwalk_hits mine;
	const char *p;
	size_t i, n;

	if (!x || !value)
		return IMP_XWALK_NONE;
	norm_words(value, &x->fold, &x->norm);
	if (!x->norm.len)
		return IMP_XWALK_NONE;
	imp_xwalk_hits_clear(&mine);
	for (i = 0; i < x->ncats; i++)
		if (strcmp(x->norm.s, x->cats[i].ncode) == 0) {
			add_hit(mine.categories, &mine.ncategories,
				x->cats[i].code);
			merge_hits(h, &mine);
			return IMP_XWALK_CODE;
		}
	for (i = 0; i < x->ncats; i++)
		if (strcmp(x->norm.s, x->cats[i].nname) == 0) {
			add_hit(mine.categories, &mine.ncategories,
				x->cats[i].code);
			merge_hits(h, &mine);
			return IMP_XWALK_NAME;
		}
	for (i = 0; i < NTERM_VOCABS; i++) {
		core_buf_reset(&x->key);
		core_buf_adds(&x->key, term_vocabs[i]);
		core_buf_addc(&x->key, '\x1f');
		core_buf_add(&x->key, x->norm.s, x->norm.len);
		add_chain(x, smap_get(&x->map, x->key.s, x->key.len), &mine);
	}
	if (mine.ncategories) {
		merge_hits(h, &mine);
		return IMP_XWALK_TERM;
	}
	/* A code only when the whole value is one, and at least a letter
	 * pair ("L" alone says too little). */
	for (p = value; isspace((unsigned char)*p); p++)
		;
	n = airs_len(p, 2);
	if (n) {
		for (i = n; isspace((unsigned char)p[i]); i++)
			;
		if (!p[i] && imp_xwalk_match(x, "airs", p, &mine) &&
		    mine.ncategories) {
			merge_hits(h, &mine);
			return IMP_XWALK_AIRS;
		}
	}
	return IMP_XWALK_NONE;
}

/* Longer strings are never compared for suggestions. */
#define DL_MAX 64

/*
 * The Damerau-Levenshtein distance of a[0..n) and b[0..m) (insertions,
 * deletions, substitutions and transpositions of two adjacent bytes
 * each count one, with edits between transposed bytes allowed: the
 * unrestricted distance of Lowrance and Wagner); n and m at most DL_MAX.
 */
static size_t dl_distance(const char *a, size_t n, const char *b, size_t m)
{
	size_t d[DL_MAX + 2][DL_MAX + 2];
	size_t da[256] = {0};
	size_t inf = n + m, i, j;

	d[0][0] = inf;
	for (i = 0; i <= n; i++) {
		d[i + 1][0] = inf;
		d[i + 1][1] = i;
	}
	for (j = 0; j <= m; j++) {
		d[0][j + 1] = inf;
		d[1][j + 1] = j;
	}
	for (i = 1; i <= n; i++) {
		size_t db = 0;

		for (j = 1; j <= m; j++) {
			size_t i1 = da[(unsigned char)b[j - 1]], j1 = db;
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1, v, t;

			if (!cost)
				db = j;
			v = d[i][j] + cost;
			if ((t = d[i + 1][j] + 1) < v)
				v = t;
			if ((t = d[i][j + 1] + 1) < v)
				v = t;
			if ((t = d[i1][j1] + (i - i1 - 1) + 1 + (j - j1 - 1)) <
			    v)
				v = t;
			d[i + 1][j + 1] = v;
		}
		da[(unsigned char)a[i - 1]] = i;
	}
	return d[n + 1][m + 1];
}

/* How far cand[0..m) is from the value v[0..n): its distance when close
 * (at most 1 edit for a value of up to 4 bytes, 2 up to 8, else 3), or
 * when v (3 bytes or more) begins it; SIZE_MAX when not close. */
static size_t closeness(const char *v, size_t n, const char *cand, size_t m)
{
	size_t d, most = n <= 4 ? 1 : n <= 8 ? 2 : 3;

	if (n > DL_MAX || m > DL_MAX || m == 0)
		return SIZE_MAX;
	if (n >= 3 && m > n && memcmp(cand, v, n) == 0)
		return dl_distance(v, n, cand, m);
	if ((n > m ? n - m : m - n) > most)
		return SIZE_MAX;
	d = dl_distance(v, n, cand, m);
	return d <= most ? d : SIZE_MAX;
}

static size_t cat_index(const struct imp_xwalk *x, const char *code)
{
	size_t i;

	for (i = 0; i < x->ncats; i++)
		if (strcmp(x->cats[i].code, code) == 0)
			return i;
	return SIZE_MAX;
}

static void note_best(size_t *best, size_t i, size_t d)
{
	if (i != SIZE_MAX && d < best[i])
		best[i] = d;
}

size_t imp_xwalk_suggest(const struct imp_xwalk *cx, const char *value,
			 const char **out, size_t max)
{
	struct imp_xwalk *x = scratch(cx);
	size_t *best, i, k, n = 0, nv;
	char *v;

	if (!x || !value || !x->ncats || !max)
		return 0;
	norm_words(value, &x->fold, &x->norm);
	nv = x->norm.len;
	if (!nv)
		return 0;
	v = xstrdup(x->norm.s);
	best = xmalloc(x->ncats * sizeof(*best));
	for (i = 0; i < x->ncats; i++) {
		size_t a = closeness(v, nv, x->cats[i].ncode,
				     strlen(x->cats[i].ncode));
		size_t b = closeness(v, nv, x->cats[i].nname,
				     strlen(x->cats[i].nname));
		best[i] = a < b ? a : b;
	}
	for (i = 0; i < x->map.cap; i++) {
		const char *key = x->map.keys[i], *term;
		size_t d;
		int32_t r;

		if (!key)
			continue;
		for (k = 0; k < NTERM_VOCABS; k++) {
			size_t lv = strlen(term_vocabs[k]);
			if (strncmp(key, term_vocabs[k], lv) == 0 &&
			    key[lv] == '\x1f')
				break;
		}
		if (k == NTERM_VOCABS)
			continue;
		term = strchr(key, '\x1f') + 1;
		d = closeness(v, nv, term, strlen(term));
		if (d == SIZE_MAX)
			continue;
		for (r = x->map.vals[i]; r >= 0; r = x->rows[r].next)
			if (x->rows[r].category)
				note_best(best,
					  cat_index(x, x->rows[r].category), d);
	}
	/* The nearest first, the taxonomy's order among equals. */
	for (;;) {
		size_t pick = SIZE_MAX;
		for (i = 0; i < x->ncats; i++)
			if (best[i] != SIZE_MAX &&
			    (pick == SIZE_MAX || best[i] < best[pick]))
				pick = i;
		if (pick == SIZE_MAX || n == max)
			break;
		out[n++] = x->cats[pick].code;
		best[pick] = SIZE_MAX;
	}
	free(best);
	free(v);
	return n;
}

void imp_xwalk_category_hint(const struct imp_xwalk *x, const char *value,
			     struct core_buf *b)
{
	const char *s[3];
	size_t n = imp_xwalk_suggest(x, value, s, 3), i;

	if (n) {
		core_buf_adds(b, "did you mean ");
		for (i = 0; i < n; i++)
			core_buf_addf(b, "%s'%s'",
				      i == 0	   ? ""
				      : i + 1 == n ? " or "
						   : ", ",
				      s[i]);
		core_buf_adds(b, "?");
		return;
	}
	core_buf_adds(b, "valid codes are ");
	for (i = 0; x && i < x->ncats; i++)
		core_buf_addf(b, "%s%s", i ? ", " : "", x->cats[i].code);
	core_buf_adds(b, " (see 'assetmap categories')");
}

/* ---------------------------------------------------------------------
 * The tally
 * ------------------------------------------------------------------ */

static char *join_codes(const char *const *v, size_t n)
{
	struct core_buf b = CORE_BUF_INIT;
	size_t i;

	if (!n)
		return NULL;
	for (i = 0; i < n; i++)
		core_buf_addf(&b, "%s%s", i ? "," : "", v[i]);
	return core_buf_detach(&b);
}

void imp_xwalk_note(struct imp_xwalk *x, const char *vocabulary,
		    const char *term, const struct imp_xwalk_hits *h)
{
	struct tally *t;
	int32_t k;

	if (!x || !term || !*term)
		return;
	make_key(x, vocabulary, term);
	if (!x->norm.len)
		return;
	k = smap_get(&x->tmap, x->key.s, x->key.len);
	if (k < 0) {
		if (x->nt >= TALLY_MAX)
			return;
		xgrow((void **)&x->t, &x->capt, x->nt + 1, sizeof(*x->t));
		t = &x->t[x->nt];
		memset(t, 0, sizeof(*t));
		t->pub.vocabulary = xstrdup(vocabulary);
		t->pub.term = imp_trim_dup(term);
		t->last_row = -1;
		if (h) {
			t->pub.categories =
			    join_codes(h->categories, h->ncategories);
			t->pub.programs = join_codes(h->programs, h->nprograms);
		}
		smap_put(&x->tmap, x->key.s, (int32_t)x->nt);
		k = (int32_t)x->nt++;
	}
	t = &x->t[k];
	if (t->last_row != x->row) {
		t->pub.rows++;
		t->last_row = x->row;
	}
}

int imp_xwalk_term(struct imp_xwalk *x, const char *vocabulary,
		   const char *term, struct imp_xwalk_hits *h)
{
	struct imp_xwalk_hits mine;
	int n;

	imp_xwalk_hits_clear(&mine);
	if (strcmp(vocabulary, "keyword") == 0) {
		n = imp_xwalk_match(x, vocabulary, term, &mine);
		if (!n)
			n = imp_xwalk_search(x, vocabulary, term, &mine);
	} else {
		n = imp_xwalk_match(x, vocabulary, term, &mine);
	}
	imp_xwalk_note(x, vocabulary, term, &mine);
	if (h) {
		size_t i;
		for (i = 0; i < mine.ncategories; i++)
			add_hit(h->categories, &h->ncategories,
				mine.categories[i]);
		for (i = 0; i < mine.nprograms; i++)
			add_hit(h->programs, &h->nprograms, mine.programs[i]);
	}
	return n;
}

void imp_xwalk_next_row(struct imp_xwalk *x)
{
	if (x)
		x->row++;
}

size_t imp_xwalk_nterms(const struct imp_xwalk *x)
{
	return x ? x->nt : 0;
}

const struct imp_xwalk_term *imp_xwalk_term_get(const struct imp_xwalk *x,
						size_t i)
{
	return x && i < x->nt ? &x->t[i].pub : NULL;
}

int imp_xwalk_save(const struct imp_xwalk *x, struct core_ws *ws,
		   int64_t source_id, struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	if (!x || !x->nt)
		return CORE_OK;
	if ((rc = core_ws_prepare(
		 ws, err, &st,
		 "INSERT INTO source_terms(source_id, vocabulary,"
		 " term, category, rows) VALUES(?, ?, ?, ?, ?)"
		 " ON CONFLICT(source_id, vocabulary, term)"
		 " DO UPDATE SET rows = rows + excluded.rows")))
		return rc;
	for (i = 0; i < x->nt && !rc; i++) {
		const struct imp_xwalk_term *t = &x->t[i].pub;
		sqlite3_bind_int64(st, 1, source_id);
		sqlite3_bind_text(st, 2, t->vocabulary, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, t->term, -1, SQLITE_STATIC);
		if (t->categories)
			sqlite3_bind_text(st, 4, t->categories, -1,
					  SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 4);
		sqlite3_bind_int64(st, 5, t->rows);
		rc = core_ws_step(ws, err, st);
	}
	sqlite3_finalize(st);
	return rc;
}

static const struct imp_xwalk *sort_x;

static int by_rows(const void *a, const void *b)
{
	const struct imp_xwalk_term *x = &sort_x->t[*(const size_t *)a].pub;
	const struct imp_xwalk_term *y = &sort_x->t[*(const size_t *)b].pub;

	if (x->rows != y->rows)
		return x->rows > y->rows ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

size_t imp_xwalk_unmatched(const struct imp_xwalk *x, struct core_buf *b,
			   size_t max)
{
	size_t *idx, n = 0, i;

	if (!x || !x->nt)
		return 0;
	idx = xcalloc(x->nt, sizeof(*idx));
	for (i = 0; i < x->nt; i++)
		if (!x->t[i].pub.categories && !x->t[i].pub.programs)
			idx[n++] = i;
	if (n) {
		sort_x = x;
		qsort(idx, n, sizeof(*idx), by_rows);
		sort_x = NULL;
		core_buf_adds(b, "terms that matched no category: ");
		for (i = 0; i < n && i < max; i++) {
			const struct imp_xwalk_term *t = &x->t[idx[i]].pub;
			core_buf_addf(b, "%s'%s' (%lld row%s)", i ? ", " : "",
				      t->term, (long long)t->rows,
				      t->rows == 1 ? "" : "s");
		}
		if (n > max)
			core_buf_addf(b, " and %zu more", n - max);
		core_buf_adds(b, " (add them to data/taxonomy/crosswalk.csv)");
	}
	free(idx);
	return n;
}
