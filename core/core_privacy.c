/*
 * core_privacy.c - small-cell suppression and identifier hashing.
 * See core_privacy.h for the rules.
 */
#include "core/core_privacy.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/core_mem.h"

/* ---------------------------------------------------------------------
 * Small cells
 * ------------------------------------------------------------------ */

int core_privacy_is_small(int64_t n)
{
	return n >= 1 && n < CORE_PRIVACY_MIN_CELL;
}

const char *core_privacy_count(int64_t n, char *buf, size_t sz)
{
	if (core_privacy_is_small(n))
		snprintf(buf, sz, "%s", CORE_PRIVACY_SMALL_TEXT);
	else
		snprintf(buf, sz, "%" PRId64, n);
	return buf;
}

const char *core_privacy_count_grouped(int64_t n, char *buf, size_t sz)
{
	char digits[24], out[32];
	size_t len, i, o = 0;
	const char *d = digits;

	if (core_privacy_is_small(n)) {
		snprintf(buf, sz, "%s", CORE_PRIVACY_SMALL_TEXT);
		return buf;
	}
	snprintf(digits, sizeof(digits), "%" PRId64, n);
	if (*d == '-')
		out[o++] = *d++;
	len = strlen(d);
	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = d[i];
	}
	out[o] = '\0';
	snprintf(buf, sz, "%s", out);
	return buf;
}

/*
 * Can a hidden small cell be pinned to one value?  k small cells (each 1
 * to 10) and m complementary ones (each at least 11) add up to s.  One
 * small cell is at most s - (k - 1) - 11m and, with no complementary
 * cell to absorb the rest, at least s - 10(k - 1).
 */
static int pinned(int64_t k, int64_t m, int64_t s)
{
	int64_t hi = s - (k - 1) - (CORE_PRIVACY_MIN_CELL * m);
	int64_t lo = 1;

	if (hi > CORE_PRIVACY_MIN_CELL - 1)
		hi = CORE_PRIVACY_MIN_CELL - 1;
	if (m == 0 && s - (CORE_PRIVACY_MIN_CELL - 1) * (k - 1) > lo)
		lo = s - (CORE_PRIVACY_MIN_CELL - 1) * (k - 1);
	return lo >= hi;
}

int core_privacy_row(const int64_t *cells, size_t n, int total_shown,
		     enum core_privacy_mark *marks)
{
	int64_t total = 0, k = 0, m = 0, s = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		total += cells[i] > 0 ? cells[i] : 0;
		marks[i] = core_privacy_is_small(cells[i]) ? CORE_PRIVACY_SMALL
							   : CORE_PRIVACY_SHOW;
		if (marks[i] == CORE_PRIVACY_SMALL) {
			k++;
			s += cells[i];
		}
	}
	/* Without a total to subtract from, "<11" gives nothing away. */
	if (!total_shown || core_privacy_is_small(total) || k == 0)
		return 0;
	while (pinned(k, m, s)) {
		size_t best = n;
		for (i = 0; i < n; i++)
			if (marks[i] == CORE_PRIVACY_SHOW && cells[i] > 0 &&
			    (best == n || cells[i] < cells[best]))
				best = i;
		if (best == n)
			return 1;
		marks[best] = CORE_PRIVACY_COMPLEMENT;
		m++;
		s += cells[best];
	}
	return 0;
}

const char *core_privacy_cell(int64_t n, enum core_privacy_mark mark,
			      int grouped, char *buf, size_t sz)
{
	if (mark == CORE_PRIVACY_COMPLEMENT) {
		snprintf(buf, sz, "%s", CORE_PRIVACY_HIDDEN_TEXT);
		return buf;
	}
	if (mark == CORE_PRIVACY_SMALL || core_privacy_is_small(n)) {
		snprintf(buf, sz, "%s", CORE_PRIVACY_SMALL_TEXT);
		return buf;
	}
	return grouped ? core_privacy_count_grouped(n, buf, sz)
		       : core_privacy_count(n, buf, sz);
}

char *core_privacy_cohort_label(const char *name)
{
	return xasprintf(CORE_PRIVACY_COHORT_LABEL_FMT, name);
}

/* ---------------------------------------------------------------------
 * Columns that may not be kept: one table, by name and by content
 * ------------------------------------------------------------------ */

/*
 * Per kind: words of a column's name (lower case, split as the header
 * says) and runs of its letters and digits run together ("patientname":
 * a header in one word), "^x" matching at the start and "x$" at the end
 * only.  The first kind that matches wins, so phone_number is a phone
 * and email_address an e-mail address.
 */
static const struct ident_rule {
	enum core_privacy_ident kind;
	const char *what;
	const char *const *words;
	const char *const *runs;
} ident_rules[] = {
    {CORE_PRIVACY_IDENT_SSN, "a Social Security number",
     (const char *const[]){"ssn", "ssn4", "socsec", NULL},
     (const char *const[]){"socialsecurity", NULL}},
    {CORE_PRIVACY_IDENT_EMAIL, "an e-mail address",
     (const char *const[]){"email", "emails", "mail", NULL},
     (const char *const[]){"email", NULL}},
    {CORE_PRIVACY_IDENT_PHONE, "a phone or fax number",
     (const char *const[]){"phone", "phones", "tel", "telephone", "mobile",
			   "cell", "cellphone", "fax", "pager", NULL},
     (const char *const[]){"phone", NULL}},
    {CORE_PRIVACY_IDENT_NAME, "a person's name",
     (const char *const[]){"name", "names", "fname", "lname", "mname",
			   "surname", "initials", "alias", NULL},
     (const char *const[]){"name", NULL}},
    {CORE_PRIVACY_IDENT_DATE, "a date other than the year",
     (const char *const[]){"date", "dates", "dt", "dob", "dod", "dos", "doa",
			   "bday", "birthday", "timestamp", "datetime",
			   "admitted", "discharged", NULL},
     (const char *const[]){"^date", "date$", "dateof", "birthday", "^dob",
			   "dob$", NULL}},
    {CORE_PRIVACY_IDENT_ADDRESS,
     "an address or place finer than a ZIP code's first three digits",
     (const char *const[]){
	 "address", "addr",	   "street",	 "city", "town",
	 "zip",	    "zipcode",	   "zip4",	 "zip5", "zip9",
	 "postal",  "postcode",	   "postalcode", "apt",	 "apartment",
	 "lat",	    "latitude",	   "lon",	 "lng",	 "longitude",
	 "geocode", "coordinates", NULL},
     (const char *const[]){"address", "street", "^zip", "postalcode",
			   "latitude", "longitude", NULL}},
    {CORE_PRIVACY_IDENT_NUMBER, "a record, member or account number",
     (const char *const[]){"mrn", "mrns", "cin", "mbi", "hicn", "acct", NULL},
     (const char *const[]){
	 "medicalrecord", "recordnumber", "recordno", "membernumber",
	 "memberno", "accountnumber", "accountno", "policynumber", "policyno",
	 "subscriber", "chartnumber", "chartno", "beneficiary", "licensenumber",
	 "serialnumber", NULL}},
    {CORE_PRIVACY_IDENT_ID, "an identifier",
     (const char *const[]){"id", "ids", "identifier", "uid", "uuid", "guid",
			   "pid", "key", NULL},
     (const char *const[]){"patientid", "personid", "memberid", "clientid",
			   "subjectid", "caseid", "userid", "recordid", NULL}},
};

#define NIDENT_RULES (sizeof(ident_rules) / sizeof(ident_rules[0]))

/* Words that make a date column's name a year's (birth_year). */
static const char *const year_words[] = {"year", "years", "yr", "yyyy", NULL};
/* A last word that makes a name a number's (case_no, claim_number). */
static const char *const number_words[] = {"number", "numbers", "no",
					   "num",    "nbr",	NULL};
/* Allowed although a rule's run matches: a ZIP code's first 3 digits. */
static const char *const allowed_runs[] = {"zip3", "^zip3", NULL};

const char *core_privacy_ident_what(enum core_privacy_ident k)
{
	size_t i;

	for (i = 0; i < NIDENT_RULES; i++)
		if (ident_rules[i].kind == k)
			return ident_rules[i].what;
	return "not an identifier";
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static int is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int lower(int c)
{
	return is_upper(c) ? c - 'A' + 'a' : c;
}

#define NAME_WORDS 24
#define WORD_MAX   40

struct name_words {
	char w[NAME_WORDS][WORD_MAX];
	size_t n;
	char run[NAME_WORDS * WORD_MAX];
};

/* Split a column name into lower-case words: at anything but letters
 * and digits, before an upper-case letter that follows a lower-case one
 * (PatientName), and before the last capital of a run of capitals that
 * goes on in lower case (MRNNumber: "mrn number"). */
static void split_name(const char *s, struct name_words *nw)
{
	size_t len = 0, r = 0, i;

	memset(nw, 0, sizeof(*nw));
	for (i = 0; s[i]; i++) {
		int c = (unsigned char)s[i];
		int brk = !is_alnum(c);
		if (!brk && len && is_upper(c) &&
		    (is_lower((unsigned char)s[i - 1]) ||
		     (is_upper((unsigned char)s[i - 1]) &&
		      is_lower((unsigned char)s[i + 1]))))
			brk = 2;
		if (brk && len) {
			if (nw->n < NAME_WORDS - 1)
				nw->n++;
			len = 0;
		}
		if (brk == 1)
			continue;
		if (len < WORD_MAX - 1)
			nw->w[nw->n][len++] = (char)lower(c);
		if (r < sizeof(nw->run) - 1)
			nw->run[r++] = (char)lower(c);
	}
	if (len)
		nw->n++;
}

static int in_list(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(w, *list) == 0)
			return 1;
	return 0;
}

static int has_word(const struct name_words *nw, const char *const *list)
{
	size_t i;

	for (i = 0; i < nw->n; i++)
		if (in_list(nw->w[i], list))
			return 1;
	return 0;
}

static int has_run(const char *run, const char *const *list)
{
	size_t rn = strlen(run);

	for (; *list; list++) {
		const char *p = *list;
		size_t pn = strlen(p);
		if (p[0] == '^') {
			if (strncmp(run, p + 1, pn - 1) == 0)
				return 1;
		} else if (pn && p[pn - 1] == '$') {
			if (rn >= pn - 1 &&
			    strncmp(run + rn - (pn - 1), p, pn - 1) == 0)
				return 1;
		} else if (strstr(run, p)) {
			return 1;
		}
	}
	return 0;
}

enum core_privacy_ident core_privacy_ident_name(const char *col, int as_year)
{
	struct name_words nw;
	size_t i;

	split_name(col, &nw);
	if (nw.n == 0)
		return CORE_PRIVACY_IDENT_NONE;
	for (i = 0; i < NIDENT_RULES; i++) {
		const struct ident_rule *r = &ident_rules[i];
		if (r->kind == CORE_PRIVACY_IDENT_DATE &&
		    (as_year || has_word(&nw, year_words)))
			continue;
		if (r->kind == CORE_PRIVACY_IDENT_ADDRESS &&
		    has_run(nw.run, allowed_runs))
			continue;
		if (has_word(&nw, r->words) || has_run(nw.run, r->runs))
			return r->kind;
		if (r->kind == CORE_PRIVACY_IDENT_NUMBER && nw.n > 1 &&
		    in_list(nw.w[nw.n - 1], number_words))
			return r->kind;
	}
	return CORE_PRIVACY_IDENT_NONE;
}

/* ---- values ---- */

static const char *const months[] = {
    "january", "february",  "march",   "april",	   "may",      "june", "july",
    "august",  "september", "october", "november", "december", NULL};

/* Street words after a house number. */
static const char *const street_words[] = {
    "st",   "street",  "ave",	    "av",      "avenue", "rd",
    "road", "blvd",    "boulevard", "dr",      "drive",	 "ln",
    "lane", "way",     "ct",	    "court",   "pl",	 "place",
    "hwy",  "highway", "pkwy",	    "parkway", "ter",	 "terrace",
    "cir",  "circle",  "sq",	    "square",  "trl",	 "trail",
    "apt",  "suite",   "ste",	    "calle",   "camino", NULL};

/* A run of up to max digits at *i (moved past it): its value, the digit
 * count in *nd. */
static long digits(const char *s, size_t n, size_t *i, int max, int *nd)
{
	long v = 0;

	*nd = 0;
	while (*i < n && is_digit((unsigned char)s[*i]) && *nd < max + 1) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		(*nd)++;
	}
	return v;
}

/* A month name (3 letters or more of one) at *i: 1 to 12, else 0. */
static int month_word(const char *s, size_t n, size_t *i)
{
	size_t k = *i, len = 0, m;
	char w[12];

	while (k < n && len < sizeof(w) - 1 &&
	       (is_lower((unsigned char)s[k]) || is_upper((unsigned char)s[k])))
		w[len++] = (char)lower((unsigned char)s[k++]);
	w[len] = '\0';
	if (len < 3 || (k < n && (is_lower((unsigned char)s[k]) ||
				  is_upper((unsigned char)s[k]))))
		return 0;
	/* "May", "Sep", "Sept" or the whole name */
	for (m = 0; months[m]; m++)
		if (strncmp(w, months[m], len) == 0 &&
		    (len == 3 || (len == 4 && m == 8) || !months[m][len])) {
			*i = k;
			if (k < n && s[k] == '.')
				(*i)++;
			return (int)m + 1;
		}
	return 0;
}

static int plausible(long y, long m, long d)
{
	return y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 0 && d <= 31;
}

/*
 * Does s hold a date at its start (with anything after it allowed only
 * when it is a time: 'T' or ' ' then a digit)?  *year: its year, or -1
 * when the year has two digits.  A year alone is not a date.
 */
static int date_at(const char *s, size_t n, long *year)
{
	size_t i = 0, j;
	long a, b, c;
	int na, nb, nc, mon;
	char sep;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	j = i;
	/* May 19, 2009 / May 2009 */
	if ((mon = month_word(s, n, &j))) {
		while (j < n && s[j] == ' ')
			j++;
		a = digits(s, n, &j, 4, &na);
		if (na == 4 && j == n) {
			*year = a;
			return plausible(a, mon, 0);
		}
		if (na < 1 || na > 2)
			return 0;
		if (j < n && s[j] == ',')
			j++;
		while (j < n && s[j] == ' ')
			j++;
		b = digits(s, n, &j, 4, &nb);
		if (nb != 4 && nb != 2)
			return 0;
		*year = nb == 4 ? b : -1;
		return nb == 2 || plausible(b, mon, a);
	}
	a = digits(s, n, &j, 8, &na);
	/* 19 May 2009 */
	if (na >= 1 && na <= 2 && j < n && s[j] == ' ') {
		size_t k = j + 1;
		if ((mon = month_word(s, n, &k))) {
			while (k < n && (s[k] == ' ' || s[k] == ','))
				k++;
			b = digits(s, n, &k, 4, &nb);
			if (nb != 4 && nb != 2)
				return 0;
			*year = nb == 4 ? b : -1;
			return nb == 2 || plausible(b, mon, a);
		}
	}
	/* 20090519 */
	if (na == 8 && j == n) {
		*year = a / 10000;
		return plausible(a / 10000, a / 100 % 100, a % 100) &&
		       a % 100 >= 1;
	}
	if (na < 1 || na > 4 || j >= n ||
	    (s[j] != '-' && s[j] != '/' && s[j] != '.'))
		return 0;
	sep = s[j++];
	b = digits(s, n, &j, 4, &nb);
	if (nb < 1 || nb > 4)
		return 0;
	if (j < n && s[j] == sep) {
		j++;
		c = digits(s, n, &j, 4, &nc);
		if (nc < 1 || nc > 4)
			return 0;
	} else {
		c = -1;
		nc = 0;
	}
	/* what may follow: a time */
	if (j < n && !((s[j] == 'T' || s[j] == ' ') && j + 1 < n &&
		       is_digit((unsigned char)s[j + 1])))
		return 0;
	if (na == 4) { /* 2009-05-19, 2009-05 */
		*year = a;
		return nb <= 2 && (nc == 0 || nc <= 2) &&
		       plausible(a, b, nc ? c : 0);
	}
	if (nc == 0) { /* 05/2009 */
		*year = b;
		return nb == 4 && na <= 2 && plausible(b, a, 0);
	}
	if (na > 2 || nb > 2 || (nc != 2 && nc != 4))
		return 0;
	*year = nc == 4 ? c : -1;
	/* 5/19/2009 (US) or 19.05.2009: either first */
	return (a >= 1 && a <= 12 && b >= 1 && b <= 31) ||
	       (b >= 1 && b <= 12 && a >= 1 && a <= 31);
}

int core_privacy_date_year(const char *s, size_t n, int *year)
{
	long y = -1;

	if (!date_at(s, n, &y) || y < 0)
		return 0;
	*year = (int)y;
	return 1;
}

/* A plain decimal number with a fraction (37.093368, -0.5). */
static int decimal_fraction(const char *s, size_t n)
{
	size_t i = 0, d = 0;
	int dot = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < n; i++) {
		if (is_digit((unsigned char)s[i]))
			d++;
		else if (s[i] == '.' && !dot)
			dot = 1;
		else
			return 0;
	}
	return dot && d > 0;
}

static int looks_email(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);

	return at && at > s && memchr(at, '.', n - (size_t)(at - s)) &&
	       s[n - 1] != '.';
}

/* 123-45-6789 or 123 45 6789. */
static int looks_ssn(const char *s, size_t n)
{
	static const char shape[] = "ddd-dd-dddd";
	size_t i;

	if (n != sizeof(shape) - 1)
		return 0;
	for (i = 0; i < n; i++)
		if (shape[i] == 'd' ? !is_digit((unsigned char)s[i])
				    : (s[i] != '-' && s[i] != ' '))
			return 0;
	return 1;
}

/* Digits and phone punctuation only, 7 (with a '-'), 10, or 11 digits
 * starting with 1. */
static int looks_phone(const char *s, size_t n)
{
	size_t i, d = 0;
	int dash = 0, sep = 0;

	for (i = 0; i < n; i++) {
		if (is_digit((unsigned char)s[i]))
			d++;
		else if (strchr(" ()-.+", s[i]))
			sep++, dash |= s[i] == '-';
		else
			return 0;
	}
	if (!sep)
		return 0; /* bare digits: a number run, below */
	return (d == 7 && dash) || d == 10 || (d == 11 && s[0] != '0');
}

/* A house number, then words, one of them a street's. */
static int looks_street(const char *s, size_t n)
{
	size_t i = 0, k;
	int nd = 0;
	char w[16];

	while (i < n && is_digit((unsigned char)s[i]) && nd < 7)
		i++, nd++;
	if (nd < 1 || nd > 6)
		goto pobox;
	if (i < n &&
	    (is_upper((unsigned char)s[i]) || is_lower((unsigned char)s[i])) &&
	    (i + 1 == n || s[i + 1] == ' '))
		i++; /* 12B */
	if (i >= n || s[i] != ' ')
		goto pobox;
	while (i < n) {
		while (i < n && !is_alnum((unsigned char)s[i]))
			i++;
		for (k = 0; i < n && is_alnum((unsigned char)s[i]); i++)
			if (k < sizeof(w) - 1)
				w[k++] = (char)lower((unsigned char)s[i]);
		w[k] = '\0';
		if (k && in_list(w, street_words))
			return 1;
	}
pobox:
	for (i = 0; i + 6 <= n; i++) {
		char t[8];
		size_t m = 0, j;
		for (j = i; j < n && m < 5; j++)
			if (s[j] != '.' && s[j] != ' ')
				t[m++] = (char)lower((unsigned char)s[j]);
		t[m] = '\0';
		if (strcmp(t, "pobox") == 0)
			return 1;
	}
	return 0;
}

/* What s (a whole value, or a few words of one) looks like. */
static enum core_privacy_ident value_kind(const char *s, size_t n)
{
	long y;

	while (n && strchr(",;:.!?", s[n - 1]))
		n--;
	if (n == 0)
		return CORE_PRIVACY_IDENT_NONE;
	if (looks_email(s, n))
		return CORE_PRIVACY_IDENT_EMAIL;
	if (looks_ssn(s, n))
		return CORE_PRIVACY_IDENT_SSN;
	if (date_at(s, n, &y))
		return CORE_PRIVACY_IDENT_DATE;
	if (looks_phone(s, n))
		return CORE_PRIVACY_IDENT_PHONE;
	if (looks_street(s, n))
		return CORE_PRIVACY_IDENT_ADDRESS;
	return CORE_PRIVACY_IDENT_NONE;
}

/* Words of a value looked at together: "(555) 010-1234", "May 19, 2009",
 * "+1 555 010 1234". */
#define VALUE_WINDOW 4

enum core_privacy_ident core_privacy_ident_value(const char *s, size_t n)
{
	enum core_privacy_ident k;
	size_t i, run = 0, best = 0;

	while (n && (s[0] == ' ' || s[0] == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || decimal_fraction(s, n))
		return CORE_PRIVACY_IDENT_NONE;
	if ((k = value_kind(s, n)))
		return k;
	/* Free text: every run of up to VALUE_WINDOW words, and a street
	 * address starting at any word. */
	if (memchr(s, ' ', n)) {
		for (i = 0; i < n; i++) {
			size_t e = i;
			int w;
			if (s[i] == ' ' || (i && s[i - 1] != ' '))
				continue;
			for (w = 0; w < VALUE_WINDOW && e < n; w++) {
				while (e < n && s[e] != ' ')
					e++;
				if ((k = value_kind(s + i, e - i)))
					return k;
				while (e < n && s[e] == ' ')
					e++;
			}
			if (looks_street(s + i, n - i))
				return CORE_PRIVACY_IDENT_ADDRESS;
		}
	}
	for (i = 0; i < n; i++) {
		run = is_digit((unsigned char)s[i]) ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best >= 7 ? CORE_PRIVACY_IDENT_NUMBER : CORE_PRIVACY_IDENT_NONE;
}

/* ---------------------------------------------------------------------
 * SHA-256 and HMAC: OpenSSL's libcrypto
 * ------------------------------------------------------------------ */

/* libcrypto has no reason to fail on these calls but a broken install;
 * like running out of memory, that ends the program. */
static void crypto_failed(const char *what)
{
	fprintf(stderr, "assetmap: OpenSSL's libcrypto failed to compute %s\n",
		what);
	abort();
}

void core_privacy_sha256(const void *data, size_t n, unsigned char out[32])
{
	unsigned int len = 0;

	if (EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) != 1 ||
	    len != 32)
		crypto_failed("SHA-256");
}

/*
 * The keyed hasher is HMAC (RFC 2104) over libcrypto's SHA-256 with the
 * two digest states of the key made once: per message, the inner state
 * is copied and takes the message, the outer takes the inner digest.
 * OpenSSL 3.0's EVP_MAC re-derives the same states per message at more
 * cost; core_privacy_hmac is EVP_MAC's, and the tests hold the two to
 * the same vectors.
 */
void core_privacy_hasher_init(struct core_privacy_hasher *h, const void *key,
			      size_t keylen)
{
	unsigned char k[64], pad[64];
	size_t i;

	memset(k, 0, sizeof(k));
	if (keylen > sizeof(k))
		core_privacy_sha256(key, keylen, k);
	else if (keylen)
		memcpy(k, key, keylen);
	h->inner = EVP_MD_CTX_new();
	h->outer = EVP_MD_CTX_new();
	h->work = EVP_MD_CTX_new();
	if (!h->inner || !h->outer || !h->work)
		crypto_failed("HMAC-SHA-256");
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x36;
	if (EVP_DigestInit_ex2(h->inner, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(h->inner, pad, sizeof(pad)) != 1)
		crypto_failed("HMAC-SHA-256");
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x5c;
	if (EVP_DigestInit_ex2(h->outer, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(h->outer, pad, sizeof(pad)) != 1)
		crypto_failed("HMAC-SHA-256");
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(pad, sizeof(pad));
}

void core_privacy_hasher_run(struct core_privacy_hasher *h, const void *msg,
			     size_t n, unsigned char out[32])
{
	unsigned char in[32];
	unsigned int len = 0;

	if (EVP_MD_CTX_copy_ex(h->work, h->inner) != 1 ||
	    EVP_DigestUpdate(h->work, msg, n) != 1 ||
	    EVP_DigestFinal_ex(h->work, in, &len) != 1 || len != 32 ||
	    EVP_MD_CTX_copy_ex(h->work, h->outer) != 1 ||
	    EVP_DigestUpdate(h->work, in, sizeof(in)) != 1 ||
	    EVP_DigestFinal_ex(h->work, out, &len) != 1 || len != 32)
		crypto_failed("HMAC-SHA-256");
}

void core_privacy_hasher_release(struct core_privacy_hasher *h)
{
	EVP_MD_CTX_free(h->inner);
	EVP_MD_CTX_free(h->outer);
	EVP_MD_CTX_free(h->work);
	h->inner = h->outer = h->work = NULL;
}

void core_privacy_hmac(const void *key, size_t keylen, const void *msg,
		       size_t n, unsigned char out[32])
{
	static const unsigned char none[1];
	size_t len = 0;

	/* OpenSSL's own HMAC (EVP_MAC); a NULL key would mean none */
	if (!EVP_Q_mac(NULL, OSSL_MAC_NAME_HMAC, NULL, "SHA256", NULL,
		       keylen ? key : none, keylen, msg, n, out, 32, &len) ||
	    len != 32)
		crypto_failed("HMAC-SHA-256");
}

void core_privacy_hex(const unsigned char *b, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[b[i] >> 4];
		out[2 * i + 1] = hx[b[i] & 15];
	}
	out[2 * n] = '\0';
}

/* ---------------------------------------------------------------------
 * The key file
 * ------------------------------------------------------------------ */

#define FP_LABEL "SHA-256:"
#define FP_HEX	 16

static int unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 64 hex digits into key, white space around them allowed: 1, else 0. */
static int key_parse(const char *s, size_t n, unsigned char *key)
{
	size_t i = 0, k;

	while (i < n && strchr(" \t\r\n", s[i]))
		i++;
	for (k = 0; k < CORE_PRIVACY_KEY_LEN; k++, i += 2) {
		int hi = i + 1 < n ? unhex(s[i]) : -1;
		int lo = i + 1 < n ? unhex(s[i + 1]) : -1;
		if (hi < 0 || lo < 0)
			return 0;
		key[k] = (unsigned char)(hi << 4 | lo);
	}
	while (i < n && strchr(" \t\r\n", s[i]))
		i++;
	return i == n;
}

void core_privacy_key_fingerprint(const unsigned char key[CORE_PRIVACY_KEY_LEN],
				  char fp[CORE_PRIVACY_FP_SIZE])
{
	unsigned char d[32];
	char hex[65];

	core_privacy_sha256(key, CORE_PRIVACY_KEY_LEN, d);
	core_privacy_hex(d, 32, hex);
	snprintf(fp, CORE_PRIVACY_FP_SIZE, "%s%.*s", FP_LABEL, FP_HEX, hex);
}

/* Is s a fingerprint as core_privacy_key_fingerprint writes them? */
static int fp_valid(const char *s)
{
	size_t i, n = strlen(FP_LABEL);

	if (strncmp(s, FP_LABEL, n) != 0 || strlen(s) != n + FP_HEX)
		return 0;
	for (i = n; s[i]; i++)
		if (unhex(s[i]) < 0)
			return 0;
	return 1;
}

char *core_privacy_key_path(struct core_err *err)
{
	const char *env = getenv("ASSETMAP_KEY_FILE");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (env && *env)
		return xstrdup(env);
	/* The XDG rule: a relative XDG_CONFIG_HOME is ignored. */
	if (xdg && *xdg == '/')
		return xasprintf("%s/assetmap/key", xdg);
	if (home && *home)
		return xasprintf("%s/.config/assetmap/key", home);
	core_err_set(err, CORE_EIO,
		     "no place for the key that hashes identifiers: HOME is "
		     "not set; set ASSETMAP_KEY_FILE to the key file's path "
		     "(it is made when missing)");
	return NULL;
}

/* The directory of path and its parent, made (mode 0700) when missing. */
static void make_dirs(const char *path)
{
	char *d = xstrdup(path), *slash = strrchr(d, '/');

	if (slash && slash != d) {
		*slash = '\0';
		slash = strrchr(d, '/');
		if (slash && slash != d) {
			*slash = '\0';
			mkdir(d, 0700);
			*slash = '/';
		}
		mkdir(d, 0700);
	}
	free(d);
}

/* Make path holding key (O_EXCL, mode 0600).  CORE_OK; -1 (not an
 * error code) when the file exists already; else CORE_EIO. */
static int key_write_new(const char *path, const unsigned char *key,
			 struct core_err *err)
{
	char text[2 * CORE_PRIVACY_KEY_LEN + 2];
	int fd, e;
	size_t n;

	make_dirs(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  S_IRUSR | S_IWUSR);
	if (fd < 0 && errno == EEXIST)
		return -1;
	if (fd < 0)
		return core_err_set(
		    err, CORE_EIO,
		    "cannot make the key file %s: %s; set ASSETMAP_KEY_FILE to "
		    "a file's path where it can be made",
		    path, strerror(errno));
	core_privacy_hex(key, CORE_PRIVACY_KEY_LEN, text);
	n = strlen(text);
	text[n++] = '\n';
	/* the mode asked for, whatever the umask */
	if (fchmod(fd, S_IRUSR | S_IWUSR) != 0 ||
	    write(fd, text, n) != (ssize_t)n || fsync(fd) != 0) {
		e = errno;
		close(fd);
		unlink(path);
		memset(text, 0, sizeof(text));
		return core_err_set(err, CORE_EIO,
				    "cannot write the key file %s: %s", path,
				    strerror(e));
	}
	memset(text, 0, sizeof(text));
	if (close(fd) != 0) {
		e = errno;
		unlink(path);
		return core_err_set(err, CORE_EIO,
				    "cannot write the key file %s: %s", path,
				    strerror(e));
	}
	return CORE_OK;
}

/* Read the key in path: CORE_OK, CORE_ENOTFOUND, CORE_EFORMAT, CORE_EIO. */
static int key_load(const char *path, unsigned char *key, struct core_err *err)
{
	char buf[256];
	struct stat sb;
	ssize_t n;
	int fd, rc = CORE_OK;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return core_err_set(
		    err, errno == ENOENT ? CORE_ENOTFOUND : CORE_EIO,
		    "cannot read the key file %s: %s", path, strerror(errno));
	if (fstat(fd, &sb) != 0) {
		rc = core_err_set(err, CORE_EIO,
				  "cannot read the key file %s: %s", path,
				  strerror(errno));
		goto cleanup;
	}
	if (!S_ISREG(sb.st_mode)) {
		rc =
		    core_err_set(err, CORE_EFORMAT,
				 "the key file %s is not a regular file", path);
		goto cleanup;
	}
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "the key file %s can be read or changed by others (mode "
		    "%03o); make it private with 'chmod 600 %s'",
		    path, (unsigned)(sb.st_mode & 0777), path);
		goto cleanup;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < 0) {
		rc = core_err_set(err, CORE_EIO,
				  "cannot read the key file %s: %s", path,
				  strerror(errno));
		goto cleanup;
	}
	if (!key_parse(buf, (size_t)n, key))
		rc = core_err_set(err, CORE_EFORMAT,
				  "the key file %s is not an assetmap key (64 "
				  "hex digits); it may have been damaged",
				  path);
cleanup:
	memset(buf, 0, sizeof(buf));
	close(fd);
	return rc;
}

int core_privacy_key_read(const char *path, int create,
			  unsigned char key[CORE_PRIVACY_KEY_LEN], int *created,
			  struct core_err *err)
{
	int rc;

	if (created)
		*created = 0;
	rc = key_load(path, key, err);
	if (rc != CORE_ENOTFOUND || !create)
		return rc;
	core_err_clear(err);
	if (RAND_priv_bytes(key, CORE_PRIVACY_KEY_LEN) != 1)
		return core_err_set(
		    err, CORE_EIO,
		    "cannot make a random key for hashing identifiers "
		    "(OpenSSL's random generator failed)");
	rc = key_write_new(path, key, err);
	if (rc == -1) /* made by another process meanwhile */
		return key_load(path, key, err);
	if (rc == CORE_OK && created)
		*created = 1;
	return rc;
}

/* The workspace's fingerprint record: NULL when there is none, else a
 * copy (caller frees); CORE_EFORMAT in *rc when it is damaged. */
static char *ws_fingerprint(struct core_ws *ws, int *rc, struct core_err *err)
{
	char *rec = core_ws_meta_dup(ws, "cohort_key");

	*rc = CORE_OK;
	if (rec && !fp_valid(rec)) {
		*rc = core_err_set(
		    err, CORE_EFORMAT,
		    "workspace %s: meta 'cohort_key' is not a key's "
		    "fingerprint ('%s'); it has been damaged",
		    ws->path, rec);
		free(rec);
		return NULL;
	}
	return rec;
}

int core_privacy_ws_key(struct core_ws *ws,
			unsigned char key[CORE_PRIVACY_KEY_LEN], char **note,
			struct core_err *err)
{
	char fp[CORE_PRIVACY_FP_SIZE], fp2[CORE_PRIVACY_FP_SIZE];
	char *path = NULL, *alt = NULL, *rec;
	int rc, created = 0, first;

	if (note)
		*note = NULL;
	rec = ws_fingerprint(ws, &rc, err);
	if (rc)
		return rc;
	if (!(path = core_privacy_key_path(err))) {
		rc = CORE_EIO;
		goto cleanup;
	}
	if (!rec) {
		if ((rc = core_privacy_key_read(path, 1, key, &created, err)))
			goto cleanup;
		core_privacy_key_fingerprint(key, fp);
		if ((rc = core_ws_meta_set(ws, err, "cohort_key", fp)))
			goto cleanup;
		if (created && note)
			*note = xasprintf("made a secret key for hashing "
					  "identifiers in %s (%s); keep it: "
					  "re-linking these ids later needs it",
					  path, fp);
		goto cleanup;
	}
	first = key_load(path, key, err);
	if (first == CORE_OK) {
		core_privacy_key_fingerprint(key, fp);
		if (strcmp(fp, rec) == 0)
			goto cleanup;
	} else if (first != CORE_ENOTFOUND) {
		rc = first;
		goto cleanup;
	}
	/* The workspace's own key, moved out beside the user's. */
	alt = xasprintf("%s-%s", path, rec + strlen(FP_LABEL));
	rc = key_load(alt, key, err);
	if (rc == CORE_OK) {
		core_privacy_key_fingerprint(key, fp2);
		if (strcmp(fp2, rec) == 0)
			goto cleanup;
	} else if (rc != CORE_ENOTFOUND) {
		goto cleanup;
	}
	if (first == CORE_OK)
		rc =
		    core_err_set(err, CORE_EFAIL,
				 "workspace %s: its ids were hashed with the "
				 "key %s, but the key file %s holds another "
				 "key (%s); re-linking needs the same key: set "
				 "ASSETMAP_KEY_FILE to the file that holds %s",
				 ws->path, rec, path, fp, rec);
	else
		rc = core_err_set(
		    err, CORE_EFAIL,
		    "workspace %s: its ids were hashed with the key %s, and "
		    "there is no key file %s; re-linking needs the same key: "
		    "set ASSETMAP_KEY_FILE to the file that holds %s",
		    ws->path, rec, path, rec);
cleanup:
	if (rc)
		memset(key, 0, CORE_PRIVACY_KEY_LEN);
	free(rec);
	free(path);
	free(alt);
	return rc;
}

/* ---------------------------------------------------------------------
 * Moving a stored salt out
 * ------------------------------------------------------------------ */

/* Put key in path unless it holds it already: CORE_OK (*same set when
 * it did), -1 when path holds another key, else an error. */
static int key_put(const char *path, const unsigned char *key, int *same,
		   struct core_err *err)
{
	unsigned char have[CORE_PRIVACY_KEY_LEN];
	int rc;

	*same = 0;
	rc = key_write_new(path, key, err);
	if (rc != -1)
		return rc;
	if ((rc = key_load(path, have, err)))
		return rc;
	*same = memcmp(have, key, CORE_PRIVACY_KEY_LEN) == 0;
	memset(have, 0, sizeof(have));
	return *same ? CORE_OK : -1;
}

int core_privacy_salt_move(struct core_ws *ws, char **note,
			   struct core_err *err)
{
	unsigned char salt[CORE_PRIVACY_KEY_LEN];
	char fp[CORE_PRIVACY_FP_SIZE];
	char *stored = core_ws_meta_dup(ws, "cohort_salt"), *rec = NULL;
	char *path = NULL, *dest = NULL;
	int64_t secure = 0;
	int rc = CORE_OK, same = 0, i, secure_set = 0;

	*note = NULL;
	if (!stored)
		return CORE_OK;
	if (strlen(stored) != 2 * CORE_PRIVACY_KEY_LEN ||
	    !key_parse(stored, strlen(stored), salt)) {
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "workspace %s: meta 'cohort_salt' is not %d hex digits; it "
		    "has been damaged, and hashed ids can no longer be matched",
		    ws->path, 2 * CORE_PRIVACY_KEY_LEN);
		goto cleanup;
	}
	core_privacy_key_fingerprint(salt, fp);
	if ((rec = ws_fingerprint(ws, &rc, err)), rc)
		goto cleanup;
	if (rec && strcmp(rec, fp) != 0) {
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "workspace %s holds a salt (key %s) and a fingerprint of "
		    "another key (%s); it has been damaged",
		    ws->path, fp, rec);
		goto cleanup;
	}
	if (!(path = core_privacy_key_path(err))) {
		rc = CORE_EIO;
		goto cleanup;
	}
	/* The file first: a kill before the commit below leaves the salt in
	 * both places, and the next run finds the file holding it. */
	dest = xstrdup(path);
	rc = key_put(dest, salt, &same, err);
	if (rc == -1) {
		free(dest);
		dest = xasprintf("%s-%s", path, fp + strlen(FP_LABEL));
		rc = key_put(dest, salt, &same, err);
		if (rc == -1)
			rc = core_err_set(
			    err, CORE_EFAIL,
			    "workspace %s holds its secret key; it cannot be "
			    "moved out to %s, which holds another key",
			    ws->path, dest);
	}
	if (rc)
		goto cleanup;
	if ((rc = core_ws_int(ws, err, "PRAGMA secure_delete", &secure)) ||
	    (rc = core_ws_exec(ws, err, "PRAGMA secure_delete = ON")))
		goto cleanup;
	secure_set = 1;
	if ((rc = core_ws_begin(ws, err)))
		goto cleanup;
	if ((rc = core_ws_exec(ws, err,
			       "DELETE FROM meta WHERE key = 'cohort_salt'")) ||
	    (rc = core_ws_meta_set(ws, err, "cohort_key", fp)) ||
	    (rc = core_ws_commit(ws, err))) {
		core_ws_rollback(ws);
		goto cleanup;
	}
	core_ws_scrub(ws);
	*note = xasprintf(
	    "moved the secret key of workspace %s's hashed ids out of the "
	    "workspace, to %s (%s); keep that file: re-linking these ids needs "
	    "it, and the workspace alone can no longer re-link them",
	    ws->path, dest, fp);
cleanup:
	if (secure_set) {
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA secure_delete = %lld",
			 (long long)secure);
		sqlite3_exec(ws->db, sql, NULL, NULL, NULL);
	}
	for (i = 0; stored && stored[i]; i++)
		stored[i] = '\0';
	memset(salt, 0, sizeof(salt));
	free(stored);
	free(rec);
	free(path);
	free(dest);
	return rc;
}

/* ---------------------------------------------------------------------
 * Cohort files' names stored by earlier versions
 * ------------------------------------------------------------------ */

#define LABEL_OF_SOURCE                                                        \
	"coalesce((SELECT " CORE_PRIVACY_COHORT_LABEL_SQL(                     \
	    "c.name") " FROM cohorts c WHERE c.source_id = sources.id),"       \
		      " 'cohort (patient records, not shown) ' || sources.id)"
#define LABEL_OF_RUN CORE_PRIVACY_COHORT_LABEL_SQL("coalesce(runs.cohort, '?')")
#define RUN_NAMES_FILE                                                         \
	"json_valid(runs.sources) AND EXISTS (SELECT 1 FROM "                  \
	"json_each(runs.sources) e"                                            \
	" WHERE json_extract(e.value, '$.kind') = 'cohort'"                    \
	" AND json_extract(e.value, '$.name') IS NOT " LABEL_OF_RUN ")"

int core_privacy_scrub_files(struct core_ws *ws, int64_t *n,
			     struct core_err *err)
{
	int64_t srcs = 0, runs = 0, secure = 0;
	int rc;
	char sql[64];

	*n = 0;
	if ((rc = core_ws_int(
		 ws, err,
		 "SELECT count(*) FROM sources WHERE kind = 'cohort'"
		 " AND (name IS NOT " LABEL_OF_SOURCE
		 " OR path IS NOT " LABEL_OF_SOURCE ")",
		 &srcs)) ||
	    (rc = core_ws_int(ws, err,
			      "SELECT count(*) FROM runs WHERE " RUN_NAMES_FILE,
			      &runs)))
		return rc;
	if (srcs + runs == 0)
		return CORE_OK;
	if ((rc = core_ws_int(ws, err, "PRAGMA secure_delete", &secure)) ||
	    (rc = core_ws_exec(ws, err, "PRAGMA secure_delete = ON")))
		return rc;
	if (!(rc = core_ws_begin(ws, err))) {
		if ((rc = core_ws_exec(
			 ws, err,
			 "UPDATE sources SET name = " LABEL_OF_SOURCE ","
			 " path = " LABEL_OF_SOURCE " WHERE kind = 'cohort';"
			 " UPDATE runs SET sources = (SELECT json_group_array("
			 "  CASE WHEN json_extract(e.value, '$.kind') = "
			 "'cohort'"
			 "  THEN json_set(e.value, '$.name', " LABEL_OF_RUN ")"
			 "  ELSE json(e.value) END) FROM "
			 "json_each(runs.sources) e)"
			 " WHERE " RUN_NAMES_FILE)) ||
		    (rc = core_ws_commit(ws, err)))
			core_ws_rollback(ws);
		else
			core_ws_scrub(ws);
	}
	snprintf(sql, sizeof(sql), "PRAGMA secure_delete = %lld",
		 (long long)secure);
	sqlite3_exec(ws->db, sql, NULL, NULL, NULL);
	if (rc == CORE_OK)
		*n = srcs + runs;
	return rc;
}
