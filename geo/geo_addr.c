/*
 * geo_addr.c - US street addresses, parsed and normalised (geo_addr.h).
 *
 * Two passes over fixed buffers on the stack, no allocation, no locale,
 * no static mutable state:
 *
 *  1. lex: the text's words, upper-case ASCII (Latin letters with accents
 *     folded, "." and apostrophes dropped inside a word, '#' a word of
 *     its own, ',' ';' and line ends remembered as a break before the
 *     next word), each looked up once in the dictionary (geo_addr_tab.c).
 *  2. parse, by place: a country, ZIP and state are taken off the end;
 *     a unit ("Apt 4,") or a PO box may come first; then the house
 *     number, the street, and what follows the street (units, city, and
 *     a state the end did not give up).
 *
 * The street runs from after the house number to the first comma or
 * unit designator.  Within it, the type is the first strong suffix
 * ("ST", "AVE", "RD"...) after the first word, moved onto a strong
 * suffix right after it ("Park Place Dr", "Jackson Ln Rd"); without
 * one, a weak suffix ("PARK", "CREEK", "VALLEY"...) only as the last
 * word or before a last directional.  Words after a strong type that
 * are not a directional or a unit are the city.
 */
#include "geo/geo_addr.h"

#include <stdio.h>
#include <string.h>

#include "geo/geo_addr_tab.h"

#define LEX_BUF	 512
#define LEX_TOKS 64

/* One word of the address. */
struct tok {
	const char *s;		       /* NUL-terminated, in lex.buf */
	unsigned char len;	       /* strlen(s) */
	unsigned char brk;	       /* a comma, ';' or line end before it */
	unsigned char dig;	       /* starts with a digit */
	unsigned char alldig;	       /* digits only */
	const struct geo_addr_word *w; /* dictionary entry, or NULL */
};

struct lex {
	char buf[LEX_BUF];
	size_t used;
	struct tok t[LEX_TOKS];
	int n;
};

/* What parse_street may not take from the words (split columns). */
struct fixed {
	int predir, type, postdir;
};

enum { FREE, WHOLE }; /* a street among other parts / a street alone */

const char *geo_addr_status_str(int status)
{
	switch (status) {
	case GEO_ADDR_OK:
		return "parsed";
	case GEO_ADDR_EEMPTY:
		return "empty address";
	case GEO_ADDR_ENOSTREET:
		return "no street name";
	case GEO_ADDR_ETOOLONG:
		return "a part of the address is too long";
	case GEO_ADDR_EBADZIP:
		return "not a ZIP code";
	case GEO_ADDR_EBADNUM:
		return "not a house number";
	}
	return "unknown status";
}

/* ---------------------------------------------------------------------
 * Characters and words
 * ------------------------------------------------------------------ */

static int is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

/* Whether the byte at p starts a letter or digit: ASCII, or a UTF-8
 * lead byte of a Latin letter that folds to one. */
static int starts_word(const unsigned char *p)
{
	if (*p < 0x80)
		return is_alnum(*p);
	return *p >= 0xc3 && *p <= 0xc5;
}

/* ---------------------------------------------------------------------
 * The lexer
 * ------------------------------------------------------------------ */

struct lexer {
	struct lex *L;
	size_t start; /* where the open word begins in buf */
	int open;     /* a word is being written */
	int brk;      /* a break came since the last word */
	int hyphen;   /* the open word has a '-' */
	int toolong;
};

static void put(struct lexer *x, char c)
{
	if (x->L->used + 2 >= LEX_BUF) {
		x->toolong = 1;
		return;
	}
	if (!x->open) {
		x->open = 1;
		x->start = x->L->used;
	}
	x->hyphen |= c == '-';
	x->L->buf[x->L->used++] = c;
}

/* Add buf[start, start + len) as a word. */
static void add_tok(struct lexer *x, size_t start, size_t len)
{
	struct lex *L = x->L;
	struct tok *t;
	size_t i;

	if (L->n >= LEX_TOKS || len > 255) {
		x->toolong = 1;
		return;
	}
	t = &L->t[L->n++];
	t->s = L->buf + start;
	t->len = (unsigned char)len;
	t->brk = (unsigned char)x->brk;
	x->brk = 0;
	t->dig = is_digit((unsigned char)t->s[0]);
	t->w = NULL;
	if (t->dig) {
		t->alldig = 1;
		for (i = 1; i < len && t->alldig; i++)
			if (!is_digit((unsigned char)t->s[i]))
				t->alldig = 0;
	} else {
		t->alldig = 0;
		/* The longest word of the dictionary has 13 letters. */
		if (len <= 13)
			t->w = geo_addr_word_find(t->s, len);
	}
}

/* Close the open word: trim a trailing '-' or '/', and split a route's
 * "I-90" or "US-101" (letters, '-', digits) in two. */
static void close_tok(struct lexer *x)
{
	struct lex *L = x->L;
	size_t len, i, letters = 0;
	char *s;

	if (!x->open)
		return;
	x->open = 0;
	s = L->buf + x->start;
	len = L->used - x->start;
	while (len > 0 && (s[len - 1] == '-' || s[len - 1] == '/'))
		len--;
	if (len == 0) {
		L->used = x->start;
		return;
	}
	while (x->hyphen && letters < len &&
	       is_alpha((unsigned char)s[letters]))
		letters++;
	x->hyphen = 0;
	if (letters > 0 && letters + 1 < len && s[letters] == '-') {
		for (i = letters + 1; i < len && is_digit((unsigned char)s[i]);
		     i++)
			;
		if (i == len) {
			s[letters] = 0;
			add_tok(x, x->start, letters);
			add_tok(x, x->start + letters + 1, len - letters - 1);
			s[len] = 0;
			L->used = x->start + len + 1;
			return;
		}
	}
	s[len] = 0;
	L->used = x->start + len + 1;
	add_tok(x, x->start, len);
}

/* Split text into words.  Returns 0 or GEO_ADDR_ETOOLONG. */
static int lex(const char *text, struct lex *L)
{
	struct lexer x = {L, 0, 0, 0, 0, 0};
	const unsigned char *p = (const unsigned char *)text;

	L->used = 0;
	L->n = 0;
	if (!p)
		return 0;
	while (*p && !x.toolong) {
		unsigned c = *p;

		if (is_alnum((int)c)) {
			/* A run of letters and digits, the common case. */
			char *b = L->buf;
			size_t u = L->used;
			if (!x.open) {
				x.open = 1;
				x.start = u;
			}
			for (; is_alnum(*p); p++) {
				if (u + 2 >= LEX_BUF) {
					x.toolong = 1;
					break;
				}
				b[u++] = (char)(is_alpha(*p) ? *p & ~0x20 : *p);
			}
			L->used = u;
		} else if (c < 0x80) {
			if (is_alpha((int)c)) {
				put(&x, (char)(c & ~0x20u));
			} else if (is_digit((int)c)) {
				put(&x, (char)c);
			} else if (c == '.' || c == '\'' || c == '`') {
				/* "N.", "P.O.", "O'Farrell": part of the word
				 */
			} else if ((c == '-' || c == '/') && x.open &&
				   starts_word(p + 1)) {
				put(&x, (char)c);
			} else if (c == '#') {
				close_tok(&x);
				/* "##4" is "#4" */
				if (!(L->n > 0 && !x.brk &&
				      strcmp(L->t[L->n - 1].s, "#") == 0)) {
					put(&x, '#');
					close_tok(&x);
				}
			} else {
				close_tok(&x);
				if (c == ',' || c == ';' || c == '\n' ||
				    c == '\r')
					x.brk = 1;
			}
			p++;
		} else if (c >= 0xc2 && c <= 0xdf && (p[1] & 0xc0) == 0x80) {
			unsigned cp = ((c & 0x1fu) << 6) | (p[1] & 0x3fu);
			const char *f = cp >= 0xc0 && cp < 0x180
					    ? geo_addr_fold[cp - 0xc0]
					    : "";
			if (*f)
				for (; *f; f++)
					put(&x, *f);
			else
				close_tok(&x);
			p += 2;
		} else if (c >= 0xe0 && c <= 0xef && (p[1] & 0xc0) == 0x80 &&
			   (p[2] & 0xc0) == 0x80) {
			/* U+2018, U+2019 quotes are apostrophes; U+2010 to
			 * U+2014 dashes are '-'; anything else breaks. */
			if (c == 0xe2 && p[1] == 0x80 &&
			    (p[2] == 0x98 || p[2] == 0x99)) {
				/* dropped */
			} else if (c == 0xe2 && p[1] == 0x80 && p[2] >= 0x90 &&
				   p[2] <= 0x94 && x.open &&
				   starts_word(p + 3)) {
				put(&x, '-');
			} else {
				close_tok(&x);
			}
			p += 3;
		} else {
			close_tok(&x);
			p++;
			while ((*p & 0xc0) == 0x80)
				p++;
		}
	}
	close_tok(&x);
	return x.toolong ? GEO_ADDR_ETOOLONG : 0;
}

/* ---------------------------------------------------------------------
 * Word tests
 * ------------------------------------------------------------------ */

/* t is the word s (a literal: the length folds to a constant). */
static inline int teq(const struct tok *t, const char *s)
{
	size_t n = strlen(s);

	return t->len == n && memcmp(t->s, s, n) == 0;
}

static const char *dir_of(const struct tok *t)
{
	return t->w ? t->w->dir : NULL;
}

/* An abbreviated directional ("N", "SW"), not a word ("NORTH"). */
static int dir_abbr(const struct tok *t)
{
	return dir_of(t) && t->len <= 2;
}

static const char *suf_of(const struct tok *t)
{
	return t->w ? t->w->suf : NULL;
}

static int strong(const struct tok *t)
{
	return t->w && t->w->suf && (t->w->flags & GEO_ADDR_W_STRONG);
}

static int is_unit(const struct tok *t)
{
	return (t->w && t->w->unit) || teq(t, "#");
}

/* What may follow a unit designator as its id: "4", "B", "4B", "2-A". */
static int unit_id(const struct tok *t)
{
	size_t i;

	if (t->brk)
		return 0;
	if (t->len <= 1 && is_alnum((unsigned char)t->s[0]))
		return 1;
	for (i = 0; i < t->len; i++)
		if (is_digit((unsigned char)t->s[i]))
			return 1;
	return 0;
}

/* A ZIP ("94103"), ZIP+4 ("94103-1234", "941031234"): 1 and the parts
 * copied out, else 0. */
static int zip_form(const struct tok *t, char *zip, char *zip4)
{
	const char *s = t->s;
	size_t i;

	for (i = 0; i < t->len; i++)
		if (!is_digit((unsigned char)s[i]) && !(i == 5 && s[i] == '-'))
			return 0;
	if (t->len == 5 || t->len == 9 || (t->len == 10 && s[5] == '-')) {
		if (t->len != 10 && !t->alldig)
			return 0;
		memcpy(zip, s, 5);
		zip[5] = 0;
		if (t->len == 9)
			memcpy(zip4, s + 5, 5);
		else if (t->len == 10)
			memcpy(zip4, s + 6, 5);
		else
			zip4[0] = 0;
		return 1;
	}
	return 0;
}

/* Digits and a '-' only: what someone meant as a ZIP. */
static int zip_attempt(const struct tok *t)
{
	size_t i;

	if (t->len < 3)
		return 0;
	for (i = 0; i < t->len; i++)
		if (!is_digit((unsigned char)t->s[i]) && t->s[i] != '-')
			return 0;
	return 1;
}

/* The number of an ordinal written in digits ("9TH", "09TH", "101ST";
 * any of ST, ND, RD, TH), or -1. */
static int ord_digits(const char *s, size_t len)
{
	size_t i = 0;
	int v = 0;

	while (i < len && is_digit((unsigned char)s[i])) {
		if (v > 99999)
			return -1;
		v = v * 10 + (s[i++] - '0');
	}
	if (i == 0 || i + 2 != len)
		return -1;
	s += i;
	if ((s[0] == 'S' && s[1] == 'T') || (s[0] == 'N' && s[1] == 'D') ||
	    (s[0] == 'R' && s[1] == 'D') || (s[0] == 'T' && s[1] == 'H'))
		return v;
	return -1;
}

/* The number of an ordinal word or hyphenated pair ("NINTH",
 * "TWENTY-FIRST", "ONE-HUNDREDTH"), or -1. */
static int ord_word(const char *s, size_t len)
{
	const struct geo_addr_word *a, *b;
	const char *h = memchr(s, '-', len);

	if (!h) {
		a = geo_addr_word_find(s, len);
		return a && a->ord ? a->ord : -1;
	}
	a = geo_addr_word_find(s, (size_t)(h - s));
	b = geo_addr_word_find(h + 1, len - (size_t)(h - s) - 1);
	if (!a || !b || !a->tens || !b->ord)
		return -1;
	if (a->tens == 1)
		return b->ord == 100 ? 100 : -1;
	return b->ord < 10 ? a->tens + b->ord : -1;
}

/* ---------------------------------------------------------------------
 * Writing fields
 * ------------------------------------------------------------------ */

/* A field being written: buf of n bytes, len used, overflow noted. */
struct out {
	char *buf;
	size_t n, len;
	int toolong;
};

static void out_init(struct out *o, char *buf, size_t n)
{
	o->buf = buf;
	o->n = n;
	o->len = strlen(buf);
	o->toolong = 0;
}

/* Append s (len bytes), after a space when the field is not empty. */
static void out_word(struct out *o, const char *s, size_t len)
{
	size_t need = len + (o->len ? 1 : 0);

	if (o->len + need + 1 > o->n) {
		o->toolong = 1;
		return;
	}
	if (o->len)
		o->buf[o->len++] = ' ';
	memcpy(o->buf + o->len, s, len);
	o->len += len;
	o->buf[o->len] = 0;
}

static void out_str(struct out *o, const char *s)
{
	out_word(o, s, strlen(s));
}

static void out_num(struct out *o, long v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%ld", v);

	out_word(o, b, (size_t)n);
}

/* Copy s into a field of n bytes; 0, or 1 when it does not fit. */
static int set(char *dst, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (len + 1 > n)
		return 1;
	memcpy(dst, s, len + 1);
	return 0;
}

/* Write a name word: ordinals and numbers as plain digits. */
static void out_name_tok(struct out *o, const struct tok *t)
{
	int v;

	if (t->dig) {
		size_t i = 0;
		if ((v = ord_digits(t->s, t->len)) >= 0) {
			out_num(o, v);
			return;
		}
		if (t->alldig) {
			while (i + 1 < t->len && t->s[i] == '0')
				i++;
			out_word(o, t->s + i, t->len - i);
			return;
		}
	} else if ((v = ord_word(t->s, t->len)) >= 0) {
		out_num(o, v);
		return;
	}
	out_word(o, t->s, t->len);
}

/* Write the name words [a, b): "TWENTY FIRST" as "21". */
static void out_name(struct out *o, const struct lex *L, int a, int b)
{
	int i;

	for (i = a; i < b; i++) {
		const struct tok *t = &L->t[i];
		const struct tok *u = i + 1 < b ? &L->t[i + 1] : NULL;
		if (teq(t, "#"))
			continue;
		if (t->w && t->w->tens && u && u->w && u->w->ord) {
			if (t->w->tens == 1 && u->w->ord == 100) {
				out_num(o, 100);
				i++;
				continue;
			}
			if (t->w->tens > 1 && u->w->ord < 10) {
				out_num(o, t->w->tens + u->w->ord);
				i++;
				continue;
			}
		}
		out_name_tok(o, t);
	}
}

/* ---------------------------------------------------------------------
 * The street
 * ------------------------------------------------------------------ */

/* Whether [k, k + n) is a tens word and an ordinal that out_name writes
 * as one number ("TWENTY FIRST", "ONE HUNDREDTH"). */
static int ord_pair(const struct lex *L, int k, int e)
{
	const struct geo_addr_word *a, *b;

	if (k + 1 >= e || L->t[k + 1].brk)
		return 0;
	a = L->t[k].w;
	b = L->t[k + 1].w;
	if (!a || !a->tens || !b || !b->ord)
		return 0;
	return a->tens == 1 ? b->ord == 100 : b->ord < 10;
}

/*
 * A route ("US Hwy 89", "State Route 1", "County Road 12", "I-90", "SR
 * 1", "Highway 1") starting at k within [k, e): qualifiers, then a route
 * word, then a number; or qualifiers straight before the number.  The
 * number is any word written as one ("89", "12A", "Ninth", "Twenty
 * First"), so that a name written out reads back the same.  Returns the
 * index of the number's last word, its first in *num; or -1.
 */
static int route_at(const struct lex *L, int k, int e, int *num)
{
	int j = k, quals = 0, word = 0;

	while (j < e && L->t[j].w && L->t[j].w->qual && !L->t[j].w->route &&
	       (j == k || !L->t[j].brk)) {
		j++;
		quals++;
	}
	if (j < e && L->t[j].w && L->t[j].w->route &&
	    (j == k || !L->t[j].brk)) {
		j++;
		word = 1;
	}
	if ((!quals && !word) || j >= e || L->t[j].brk)
		return -1;
	*num = j;
	if (L->t[j].dig || ord_word(L->t[j].s, L->t[j].len) >= 0)
		return j;
	if (ord_pair(L, j, e))
		return j + 1;
	return -1;
}

/* Write a route [k, last] whose number starts at num: qualifiers and
 * route words in their standard forms ("US HWY 89", "STATE RTE 1",
 * "COUNTY RD 12", "I 90"). */
static void out_route(struct out *o, const struct lex *L, int k, int num,
		      int last)
{
	int i;

	for (i = k; i < num; i++) {
		const struct geo_addr_word *w = L->t[i].w;
		if (w->route)
			out_str(o, w->route);
		else
			out_str(o, i + 1 == num ? w->qual1 : w->qual);
	}
	out_name(o, L, num, last + 1);
}

/*
 * Parse the street in [s, e) into out's predir, name, type and postdir
 * (those not fixed).  FREE: the street may end before e (after its type
 * and postdir); WHOLE: all of [s, e) is the street.  Returns where the
 * street ends; out's fields are set, or *toolong.
 */
static int parse_street(const struct lex *L, int s, int e, int mode,
			const struct fixed *fx, struct geo_addr *a,
			int *toolong)
{
	const struct tok *t = L->t;
	int k, ty = -1, ns = s, ne, end, pd = -1;
	struct out name;

	if (s >= e)
		return s;
	out_init(&name, a->name, sizeof(a->name));
	/* A route, anywhere after the first words. */
	for (k = s; k < e; k++) {
		int num, last = route_at(L, k, e, &num);
		if (last < 0)
			continue;
		end = last + 1;
		if (end < e && !fx->postdir && dir_of(&t[end]) &&
		    (dir_abbr(&t[end]) || end + 1 == e)) {
			pd = end;
			end++;
		}
		if (mode == WHOLE && end != e)
			break;
		if (!fx->predir && k > s && dir_of(&t[s])) {
			set(a->predir, sizeof(a->predir), dir_of(&t[s]));
			ns++;
		}
		out_name(&name, L, ns, k);
		out_route(&name, L, k, num, last);
		if (pd >= 0)
			set(a->postdir, sizeof(a->postdir), dir_of(&t[pd]));
		*toolong |= name.toolong;
		return end;
	}

	/* The type. */
	if (!fx->type) {
		if (mode == FREE) {
			for (k = s + 1; k < e && ty < 0; k++)
				if (strong(&t[k]))
					ty = k;
			while (ty >= 0 && ty + 1 < e && strong(&t[ty + 1]))
				ty++;
		}
		if (ty < 0) {
			if (e - 1 > s && suf_of(&t[e - 1]))
				ty = e - 1;
			else if (e - 2 > s && !fx->postdir &&
				 suf_of(&t[e - 2]) && dir_of(&t[e - 1]))
				ty = e - 2;
		}
	}
	ne = ty >= 0 ? ty : e;
	end = ty >= 0 ? ty + 1 : e;
	/* The directionals: a predir leaves a name; a postdir follows the
	 * type (a word like "WEST" only at the street's end: "Main St West
	 * Hollywood" has none), or ends a street without a type. */
	if (!fx->predir && ne - ns >= 2 && dir_of(&t[ns])) {
		set(a->predir, sizeof(a->predir), dir_of(&t[ns]));
		ns++;
	}
	if (!fx->postdir) {
		if (ty >= 0 && end < e && dir_of(&t[end]) &&
		    (dir_abbr(&t[end]) || end + 1 == e)) {
			set(a->postdir, sizeof(a->postdir), dir_of(&t[end]));
			end++;
		} else if (ty < 0 && !fx->type && ne - ns >= 2 &&
			   dir_of(&t[ne - 1])) {
			set(a->postdir, sizeof(a->postdir), dir_of(&t[ne - 1]));
			ne--;
		}
	}
	if (ty >= 0)
		set(a->type, sizeof(a->type), suf_of(&t[ty]));
	/* "Avenue B", "Ave of the Americas": no type, the first word
	 * spelled out. */
	if (ty < 0 && !fx->type && ne - ns >= 2 && suf_of(&t[ns]) &&
	    strcmp(suf_of(&t[ns]), "AVE") == 0) {
		out_str(&name, "AVENUE");
		ns++;
	}
	out_name(&name, L, ns, ne);
	*toolong |= name.toolong;
	return end;
}

/* ---------------------------------------------------------------------
 * Numbers, units, states
 * ------------------------------------------------------------------ */

/* A house number word ("2901", "32A", "32-A", "12-1/2", "123-45"):
 * 1 with *num and suffix set, 0 when t is no house number ("16TH",
 * "1/2"), -1 when it is too long. */
static int house_number(const struct tok *t, int64_t *num, char *suf,
			size_t sufn)
{
	size_t i = 0, rest;
	int64_t v = 0;
	const char *r;

	while (i < t->len && is_digit((unsigned char)t->s[i])) {
		if (i >= 15)
			return -1;
		v = v * 10 + (t->s[i++] - '0');
	}
	if (i == 0 || ord_digits(t->s, t->len) >= 0)
		return 0;
	r = t->s + i;
	rest = t->len - i;
	if (*r == '/')
		return 0;
	if (*r == '-') {
		r++;
		rest--;
	}
	if (rest + 1 > sufn)
		return -1;
	memcpy(suf, r, rest);
	suf[rest] = 0;
	*num = v;
	return 1;
}

static int is_fraction(const struct tok *t)
{
	const char *sl = memchr(t->s, '/', t->len);
	size_t i;

	if (!sl || sl == t->s || !t->dig)
		return 0;
	for (i = 0; i < t->len; i++)
		if (!is_digit((unsigned char)t->s[i]) && t->s + i != sl)
			return 0;
	return sl[1] != 0;
}

/* Whether unit ends with a designator that has no id yet ("APT", "#"),
 * so that "# 210" after it is its id: "APT 210". */
static int bare_designator(const char *unit)
{
	const char *w = strrchr(unit, ' ');
	const struct geo_addr_word *e;

	w = w ? w + 1 : unit;
	if (!*w)
		return 0;
	if (strcmp(w, "#") == 0)
		return 1;
	e = geo_addr_word_find(w, strlen(w));
	return e && e->unit && strcmp(e->unit, w) == 0;
}

/*
 * A unit at k within [k, e): "APT 4", "# 210", "STE 300", "REAR",
 * "2ND FLOOR" (as "FL 2"), appended to a->unit.  loose: a designator
 * without an id may stand alone whatever follows.  Returns the index
 * after it, or k when there is none.
 */
static int parse_unit(const struct lex *L, int k, int e, int loose,
		      struct geo_addr *a, int *toolong)
{
	const struct tok *t = &L->t[k];
	struct out u;
	int j = k + 1;

	out_init(&u, a->unit, sizeof(a->unit));
	if (k + 1 < e && t->dig && ord_digits(t->s, t->len) >= 0 &&
	    L->t[k + 1].w && L->t[k + 1].w->unit &&
	    strcmp(L->t[k + 1].w->unit, "FL") == 0 && !L->t[k + 1].brk) {
		out_str(&u, "FL");
		out_num(&u, ord_digits(t->s, t->len));
		*toolong |= u.toolong;
		return k + 2;
	}
	if (!is_unit(t))
		return k;
	if (j < e && teq(&L->t[j], "#") && !L->t[j].brk && !teq(t, "#"))
		j++; /* "Apt #4" */
	if (teq(t, "#") || (t->w->flags & GEO_ADDR_W_UNIT_ID) ||
	    strcmp(t->w->unit, "PH") == 0) {
		if (j < e &&
		    (unit_id(&L->t[j]) ||
		     (teq(t, "#") && !L->t[j].brk && !is_unit(&L->t[j])))) {
			if (!teq(t, "#"))
				out_str(&u, t->w->unit);
			else if (!bare_designator(a->unit))
				out_str(&u, "#");
			out_word(&u, L->t[j].s, L->t[j].len);
			j++;
			/* "# 208 C": a letter after the id, at the end */
			if (j < e && L->t[j].len == 1 && !L->t[j].brk &&
			    is_alpha(L->t[j].s[0]) &&
			    (j + 1 == e || L->t[j + 1].brk)) {
				out_word(&u, L->t[j].s, 1);
				j++;
			}
			*toolong |= u.toolong;
			return j;
		}
	}
	/* Alone: at the end, before a break or another unit. */
	if (loose || j >= e || L->t[j].brk || is_unit(&L->t[j])) {
		if (!teq(t, "#"))
			out_str(&u, t->w->unit);
		else if (!bare_designator(a->unit))
			out_str(&u, "#");
		*toolong |= u.toolong;
		return j;
	}
	return k;
}

/* A state name of one to three words ending at e-1 (within [lo, e)):
 * its code, with *k its first word; else NULL. */
static const char *state_end(const struct lex *L, int lo, int e, int *k)
{
	static const struct {
		const char *a, *b, *c, *code;
	} multi[] = {
	    {"NEW", "HAMPSHIRE", NULL, "NH"},
	    {"NEW", "JERSEY", NULL, "NJ"},
	    {"NEW", "MEXICO", NULL, "NM"},
	    {"NEW", "YORK", NULL, "NY"},
	    {"NORTH", "CAROLINA", NULL, "NC"},
	    {"NORTH", "DAKOTA", NULL, "ND"},
	    {"SOUTH", "CAROLINA", NULL, "SC"},
	    {"SOUTH", "DAKOTA", NULL, "SD"},
	    {"RHODE", "ISLAND", NULL, "RI"},
	    {"WEST", "VIRGINIA", NULL, "WV"},
	    {"PUERTO", "RICO", NULL, "PR"},
	    {"AMERICAN", "SAMOA", NULL, "AS"},
	    {"VIRGIN", "ISLANDS", NULL, "VI"},
	    {"DISTRICT", "OF", "COLUMBIA", "DC"},
	    {"NORTHERN", "MARIANA", "ISLANDS", "MP"},
	};
	size_t i;

	if (e <= lo || !L->t[e - 1].w)
		return NULL;
	for (i = 0; (L->t[e - 1].w->flags & GEO_ADDR_W_STATE_END) &&
		    i < sizeof(multi) / sizeof(multi[0]);
	     i++) {
		int n = multi[i].c ? 3 : 2;
		if (e - n < lo)
			continue;
		if (teq(&L->t[e - n], multi[i].a) &&
		    teq(&L->t[e - n + 1], multi[i].b) &&
		    (n == 2 || teq(&L->t[e - 1], multi[i].c)) &&
		    !L->t[e - n + 1].brk && (n == 2 || !L->t[e - 1].brk)) {
			*k = e - n;
			return multi[i].code;
		}
	}
	if (L->t[e - 1].w->state) {
		*k = e - 1;
		return L->t[e - 1].w->state;
	}
	return NULL;
}

/* Where the comma segment holding k begins. */
static int seg_start(const struct lex *L, int lo, int k)
{
	while (k > lo && !L->t[k].brk)
		k--;
	return k;
}

/* ---------------------------------------------------------------------
 * The parser
 * ------------------------------------------------------------------ */

static void clear(struct geo_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->number = -1;
}

/* The status of a parse that went through. */
static int verdict(const struct geo_addr *a)
{
	return a->name[0] || a->po_box || a->zip[0] ? GEO_ADDR_OK
						    : GEO_ADDR_ENOSTREET;
}

/*
 * After the street, [p, e): units, the city (the words of the last
 * comma segment that has any), and a state at the city's end when the
 * end of the address did not give one up.
 */
static int parse_tail(const struct lex *L, int p, int e, int have_zip,
		      struct geo_addr *a)
{
	int k = p, cs = -1, ce = -1, seg_cs = -1, seg_ce = -1, toolong = 0;
	int sk;
	const char *st;
	struct out city;

	while (k < e) {
		const struct tok *t = &L->t[k];
		int j;
		if (t->brk || k == p) {
			seg_cs = seg_ce = -1;
		}
		if (seg_cs < 0 &&
		    (j = parse_unit(L, k, e, 0, a, &toolong)) > k) {
			k = j;
			continue;
		}
		if (seg_cs >= 0 && (is_unit(t) || t->dig) &&
		    (j = parse_unit(L, k, e, 0, a, &toolong)) > k) {
			/* A unit among words ends their run: the city is
			 * the run after it, if any. */
			seg_cs = seg_ce = -1;
			k = j;
			continue;
		}
		if (seg_cs < 0 && t->dig) {
			char z[6], z4[5];
			if (!a->zip[0] && zip_form(t, z, z4)) {
				memcpy(a->zip, z, sizeof(z));
				memcpy(a->zip4, z4, sizeof(z4));
				have_zip = 1;
			} else if (!a->unit[0]) {
				struct out u;
				out_init(&u, a->unit, sizeof(a->unit));
				out_str(&u, "#");
				out_word(&u, t->s, t->len);
				toolong |= u.toolong;
			} else {
				seg_cs = k;
				seg_ce = k + 1;
				cs = seg_cs;
				ce = seg_ce;
			}
			k++;
			continue;
		}
		if (seg_cs < 0)
			seg_cs = k;
		seg_ce = k + 1;
		cs = seg_cs;
		ce = seg_ce;
		k++;
	}
	if (toolong)
		return GEO_ADDR_ETOOLONG;
	if (cs < 0)
		return 0;
	/* A state at the city's end: after the city's own words, in a
	 * comma segment of its own, before a ZIP, or as a bare code. */
	if (!a->state[0] && (st = state_end(L, cs, ce, &sk)) != NULL &&
	    (sk > cs || L->t[sk].brk || have_zip || L->t[sk].len == 2)) {
		set(a->state, sizeof(a->state), st);
		ce = sk;
	}
	if (ce <= cs)
		return 0;
	out_init(&city, a->city, sizeof(a->city));
	for (k = cs; k < ce; k++)
		out_word(&city, L->t[k].s, L->t[k].len);
	return city.toolong ? GEO_ADDR_ETOOLONG : 0;
}

/* A PO box at k: "PO BOX 12", "P O BOX 12", "POB 12", "POST OFFICE BOX
 * 12", "BOX 12", "PO 12".  Returns the index after it, or k. */
static int po_box(const struct lex *L, int k, int e, struct geo_addr *a,
		  int *toolong)
{
	const struct tok *t = L->t;
	int j = k;

	if (j < e &&
	    (teq(&t[j], "PO") || teq(&t[j], "POB") || teq(&t[j], "POBOX")))
		j++;
	else if (j + 1 < e &&
		 ((teq(&t[j], "P") && teq(&t[j + 1], "O")) ||
		  (teq(&t[j], "POST") && teq(&t[j + 1], "OFFICE"))))
		j += 2;
	if (j < e && teq(&t[j], "BOX") && !teq(&t[j - (j > k)], "POB") &&
	    !teq(&t[j - (j > k)], "POBOX"))
		j++;
	if (j == k)
		return k;
	if (j < e && teq(&t[j], "#"))
		j++;
	if (j >= e || !t[j].dig)
		return k;
	if (set(a->box, sizeof(a->box), t[j].s)) {
		*toolong = 1;
		return k;
	}
	a->po_box = 1;
	return j + 1;
}

/*
 * Parse the words [a0, e): the end (country, ZIP, state), a unit or PO
 * box first, the house number (unless number_done), the street, the
 * rest.  skip: a word equal to it at the start is the house number
 * the caller already has.
 */
static int parse_words(const struct lex *L, int a0, int e, int number_done,
		       const char *skip, struct geo_addr *a)
{
	const struct tok *t = L->t;
	struct fixed fx = {0, 0, 0};
	int p = a0, s, k, end, toolong = 0, have_zip = 0, sk;
	const char *st;

	/* The country. */
	if (e - a0 >= 2 && (teq(&t[e - 1], "USA") || teq(&t[e - 1], "US")) &&
	    (t[e - 1].brk || e - a0 >= 3) && !(t[e - 2].w && t[e - 2].w->qual))
		e--;
	else if (e - a0 >= 3 && teq(&t[e - 2], "UNITED") &&
		 teq(&t[e - 1], "STATES"))
		e -= 2;
	else if (e - a0 >= 5 && teq(&t[e - 4], "UNITED") &&
		 teq(&t[e - 3], "STATES") && teq(&t[e - 2], "OF") &&
		 teq(&t[e - 1], "AMERICA"))
		e -= 4;
	/* The ZIP. */
	if (e > a0 && zip_form(&t[e - 1], a->zip, a->zip4)) {
		have_zip = 1;
		e--;
	}
	/* The state: before a ZIP, or in a comma segment that is neither
	 * the first nor a street's (which starts with a number). */
	if (e > a0 && (st = state_end(L, a0, e, &sk)) != NULL) {
		int ss = seg_start(L, a0, sk);
		if (have_zip || t[sk].brk ||
		    (ss > a0 && sk > ss && !t[ss].dig)) {
			set(a->state, sizeof(a->state), st);
			e = sk;
		}
	}
	/* Digits after a state are in the ZIP's place. */
	if (!have_zip && e - a0 >= 3 && zip_attempt(&t[e - 1]) &&
	    (st = state_end(L, a0, e - 1, &sk)) != NULL && sk > a0 &&
	    (!t[sk].w || (!t[sk].w->qual && !t[sk].w->route)) && !t[e - 1].brk)
		return GEO_ADDR_EBADZIP;

	/* A unit first: "Apt 4, 55 Octavia St", "Suite 300 1390 Market". */
	if (p < e && is_unit(&t[p]) && !(t[p].w && t[p].w->suf)) {
		struct geo_addr tmp = *a;
		int j = parse_unit(L, p, e, 0, &tmp, &toolong);
		if (j > p && (j == e || t[j].brk || t[j].dig)) {
			*a = tmp;
			p = j;
		}
	}
	/* A PO box: no street. */
	k = po_box(L, p, e, a, &toolong);
	if (toolong)
		return GEO_ADDR_ETOOLONG;
	if (k > p) {
		int rc = parse_tail(L, k, e, have_zip, a);
		return rc ? rc : verdict(a);
	}
	/* A '#' that is no unit's is no street's either. */
	while (p < e && teq(&t[p], "#"))
		p++;
	/* The house number. */
	if (skip && p < e && strcmp(t[p].s, skip) == 0) {
		p++;
		if (p < e && is_fraction(&t[p]))
			p++;
	} else if (!number_done && p < e && t[p].dig) {
		int h = house_number(&t[p], &a->number, a->num_suffix,
				     sizeof(a->num_suffix));
		if (h < 0)
			return GEO_ADDR_ETOOLONG;
		if (h > 0) {
			p++;
			/* "12 1/2"; "32 A Elgin Park" (not "100 A St") */
			if (p < e && is_fraction(&t[p]) && !a->num_suffix[0]) {
				if (set(a->num_suffix, sizeof(a->num_suffix),
					t[p].s))
					return GEO_ADDR_ETOOLONG;
				p++;
			} else if (p + 1 < e && !a->num_suffix[0] &&
				   t[p].len == 1 && is_alpha(t[p].s[0]) &&
				   !dir_of(&t[p]) && !t[p + 1].brk &&
				   !t[p + 1].dig && !suf_of(&t[p + 1]) &&
				   !is_unit(&t[p + 1])) {
				a->num_suffix[0] = t[p].s[0];
				a->num_suffix[1] = 0;
				p++;
			}
		}
	}
	/* The street: to the first break or unit. */
	while (p < e && teq(&t[p], "#"))
		p++;
	s = p;
	for (k = s + 1; k < e; k++) {
		if (t[k].brk || teq(&t[k], "#"))
			break;
		if (t[k].w && t[k].w->unit &&
		    (t[k].w->flags & GEO_ADDR_W_UNIT_ID) && k + 1 < e &&
		    unit_id(&t[k + 1]))
			break;
	}
	end = parse_street(L, s, k < e ? k : e, FREE, &fx, a, &toolong);
	if (toolong)
		return GEO_ADDR_ETOOLONG;
	if (end < e) {
		int rc = parse_tail(L, end, e, have_zip, a);
		if (rc)
			return rc;
	}
	return verdict(a);
}

int geo_addr_parse(const char *text, struct geo_addr *out)
{
	struct lex L;
	int rc;

	clear(out);
	if ((rc = lex(text, &L)) != 0)
		return rc;
	if (L.n == 0)
		return GEO_ADDR_EEMPTY;
	rc = parse_words(&L, 0, L.n, 0, NULL, out);
	if (rc != GEO_ADDR_OK && rc != GEO_ADDR_ENOSTREET)
		clear(out);
	return rc;
}

/* ---------------------------------------------------------------------
 * Split columns
 * ------------------------------------------------------------------ */

/* Normalise a short code column (state, directional) that the table
 * does not know: its words as they are, if they fit. */
static int raw_field(const char *text, char *dst, size_t n)
{
	struct lex L;
	struct out o;
	int i;

	if (lex(text, &L))
		return GEO_ADDR_ETOOLONG;
	dst[0] = 0;
	out_init(&o, dst, n);
	for (i = 0; i < L.n; i++)
		if (!teq(&L.t[i], "#"))
			out_word(&o, L.t[i].s, L.t[i].len);
	return o.toolong ? GEO_ADDR_ETOOLONG : 0;
}

static int empty(const char *s)
{
	return !s || !*s;
}

int geo_addr_parse_parts(const char *number, const char *street,
			 const char *unit, const char *city, const char *state,
			 const char *zip, struct geo_addr *out)
{
	struct lex L;
	int rc = GEO_ADDR_OK, any = 0, i;
	char first[GEO_ADDR_NUM_MAX] = "";

	clear(out);
	if (!empty(number)) {
		int h;
		if (lex(number, &L))
			return GEO_ADDR_ETOOLONG;
		if (L.n == 0 || L.n > 2)
			goto bad_number;
		h = house_number(&L.t[0], &out->number, out->num_suffix,
				 sizeof(out->num_suffix));
		if (h < 0) {
			rc = GEO_ADDR_ETOOLONG;
			goto fail;
		}
		if (h == 0)
			goto bad_number;
		if (L.n == 2) {
			if (out->num_suffix[0] ||
			    (!is_fraction(&L.t[1]) &&
			     !(L.t[1].len == 1 && is_alpha(L.t[1].s[0]))))
				goto bad_number;
			if (set(out->num_suffix, sizeof(out->num_suffix),
				L.t[1].s)) {
				rc = GEO_ADDR_ETOOLONG;
				goto fail;
			}
		}
		set(first, sizeof(first), L.t[0].s);
		any = 1;
	}
	if (!empty(street)) {
		int64_t num = out->number;
		char suf[GEO_ADDR_SHORT_MAX];
		memcpy(suf, out->num_suffix, sizeof(suf));
		if ((rc = lex(street, &L)) != 0)
			goto fail;
		if (L.n > 0) {
			any = 1;
			rc = parse_words(&L, 0, L.n, !empty(number),
					 first[0] ? first : NULL, out);
			if (rc != GEO_ADDR_OK && rc != GEO_ADDR_ENOSTREET)
				goto fail;
			if (!empty(number)) {
				out->number = num;
				memcpy(out->num_suffix, suf, sizeof(suf));
			}
		}
	}
	if (!empty(unit)) {
		struct out u;
		if (lex(unit, &L)) {
			rc = GEO_ADDR_ETOOLONG;
			goto fail;
		}
		out->unit[0] = 0;
		out_init(&u, out->unit, sizeof(out->unit));
		for (i = 0; i < L.n;) {
			int tl = 0, j = parse_unit(&L, i, L.n, 1, out, &tl);
			if (tl) {
				rc = GEO_ADDR_ETOOLONG;
				goto fail;
			}
			u.len = strlen(out->unit);
			if (j > i) {
				i = j;
				continue;
			}
			if (!u.len)
				out_str(&u, "#");
			out_word(&u, L.t[i].s, L.t[i].len);
			i++;
		}
		if (u.toolong) {
			rc = GEO_ADDR_ETOOLONG;
			goto fail;
		}
		any |= L.n > 0;
	}
	if (!empty(city)) {
		out->city[0] = 0;
		if ((rc = raw_field(city, out->city, sizeof(out->city))) != 0)
			goto fail;
		any |= out->city[0] != 0;
	}
	if (!empty(state)) {
		const char *st = geo_addr_state_std(state);
		if (st)
			set(out->state, sizeof(out->state), st);
		else if ((rc = raw_field(state, out->state,
					 sizeof(out->state))) != 0)
			goto fail;
		any |= out->state[0] != 0;
	}
	if (!empty(zip)) {
		char z[6], z4[5];
		if (lex(zip, &L) || L.n == 0 || L.n > 2)
			goto bad_zip;
		if (L.n == 1 && zip_form(&L.t[0], z, z4)) {
			memcpy(out->zip, z, sizeof(z));
			memcpy(out->zip4, z4, sizeof(z4));
		} else if (L.n == 2 && L.t[0].len == 5 && L.t[0].alldig &&
			   L.t[1].len == 4 && L.t[1].alldig) {
			memcpy(out->zip, L.t[0].s, 6);
			memcpy(out->zip4, L.t[1].s, 5);
		} else {
			goto bad_zip;
		}
		any = 1;
	}
	if (!any)
		return GEO_ADDR_EEMPTY;
	return verdict(out);
bad_zip:
	rc = GEO_ADDR_EBADZIP;
	goto fail;
bad_number:
	rc = GEO_ADDR_EBADNUM;
fail:
	clear(out);
	return rc;
}

int geo_addr_street(const char *predir, const char *name, const char *type,
		    const char *postdir, struct geo_addr *out)
{
	struct lex L;
	struct fixed fx = {0, 0, 0};
	int toolong = 0, rc = GEO_ADDR_OK;
	const char *v;

	out->predir[0] = out->name[0] = out->type[0] = out->postdir[0] = 0;
	if (!empty(predir)) {
		fx.predir = 1;
		if ((v = geo_addr_dir_std(predir)) != NULL)
			set(out->predir, sizeof(out->predir), v);
		else
			rc =
			    raw_field(predir, out->predir, sizeof(out->predir));
	}
	if (!rc && !empty(type)) {
		fx.type = 1;
		if ((v = geo_addr_suffix_std(type)) != NULL)
			set(out->type, sizeof(out->type), v);
		else
			rc = raw_field(type, out->type, sizeof(out->type));
	}
	if (!rc && !empty(postdir)) {
		fx.postdir = 1;
		if ((v = geo_addr_dir_std(postdir)) != NULL)
			set(out->postdir, sizeof(out->postdir), v);
		else
			rc = raw_field(postdir, out->postdir,
				       sizeof(out->postdir));
	}
	if (!rc && (rc = lex(name, &L)) == 0) {
		int i, n = 0;
		for (i = 0; i < L.n; i++) /* a '#' means nothing here */
			if (!teq(&L.t[i], "#"))
				L.t[n++] = L.t[i];
		L.n = n;
		parse_street(&L, 0, L.n, WHOLE, &fx, out, &toolong);
		if (toolong)
			rc = GEO_ADDR_ETOOLONG;
		else if (!out->name[0])
			rc = L.n ? GEO_ADDR_ENOSTREET : GEO_ADDR_EEMPTY;
	}
	if (rc && rc != GEO_ADDR_ENOSTREET && rc != GEO_ADDR_EEMPTY)
		out->predir[0] = out->name[0] = out->type[0] = out->postdir[0] =
		    0;
	return rc;
}

/* ---------------------------------------------------------------------
 * Single words
 * ------------------------------------------------------------------ */

/* The dictionary entry of a single word as someone wrote it ("st.",
 * "N.", "Calif"), or NULL. */
static const struct geo_addr_word *word_of(const char *word, struct lex *L)
{
	if (!word || lex(word, L) || L->n != 1)
		return NULL;
	return L->t[0].w;
}

const char *geo_addr_suffix_std(const char *word)
{
	struct lex L;
	const struct geo_addr_word *w = word_of(word, &L);

	return w ? w->suf : NULL;
}

const char *geo_addr_dir_std(const char *word)
{
	struct lex L;
	const struct geo_addr_word *w = word_of(word, &L);

	return w ? w->dir : NULL;
}

const char *geo_addr_state_std(const char *word)
{
	struct lex L;
	int k;
	const char *st;

	if (!word || lex(word, &L) || L.n == 0 || L.n > 3)
		return NULL;
	st = state_end(&L, 0, L.n, &k);
	return st && k == 0 ? st : NULL;
}

int geo_addr_ordinal(const char *word)
{
	struct lex L;
	const struct tok *t;
	long v;

	if (!word || lex(word, &L) || L.n == 0 || L.n > 2)
		return -1;
	t = &L.t[0];
	if (L.n == 2) {
		const struct tok *u = &L.t[1];
		if (!t->w || !t->w->tens || !u->w || !u->w->ord)
			return -1;
		if (t->w->tens == 1)
			return u->w->ord == 100 ? 100 : -1;
		return u->w->ord < 10 ? t->w->tens + u->w->ord : -1;
	}
	if (t->dig) {
		size_t i;
		int o = ord_digits(t->s, t->len);
		if (o >= 0 || !t->alldig || t->len > 6)
			return o;
		for (v = 0, i = 0; i < t->len; i++)
			v = v * 10 + (t->s[i] - '0');
		return (int)v;
	}
	return ord_word(t->s, t->len);
}

size_t geo_addr_street_key(const struct geo_addr *a, char *buf, size_t n)
{
	size_t len = strnlen(a->name, sizeof(a->name));

	if (n > 0) {
		size_t m = len < n - 1 ? len : n - 1;
		memcpy(buf, a->name, m);
		buf[m] = 0;
	}
	return len;
}
