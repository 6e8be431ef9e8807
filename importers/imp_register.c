/*
 * imp_register.c - the partnership register: vocabulary, entries, and
 * the writer that keeps every change in partner_history.  See
 * imp_register.h.
 */
#include "importers/imp_register.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---------------------------------------------------------------------
 * Vocabulary
 * ------------------------------------------------------------------ */

struct vocab {
	const char *name, *title, *noun;
	const char *const *codes;
	const char *const *words;
};

static const char *const status_codes[] = {"current", "prospective", "former",
					   "none", NULL};
static const char *const status_words[] = {"current partner",
					   "prospective partner",
					   "former partner", "not a partner"};
static const char *const service_codes[] = {"referral", "coordinated", "joint",
					    NULL};
static const char *const service_words[] = {"referral", "coordinated service",
					    "joint service"};
static const char *const financial_codes[] = {"independent", "contract",
					      "risk_sharing", NULL};
static const char *const financial_words[] = {
    "independent funding", "service contract", "risk-sharing"};
static const char *const data_codes[] = {"reporting", "sharing", "integrated",
					 NULL};
static const char *const data_words[] = {"reporting", "data sharing",
					 "integrated system"};
static const char *const effects_codes[] = {"capacity", "network", "systems",
					    NULL};
static const char *const effects_words[] = {
    "capacity building", "network building", "systems change"};
static const char *const governance_codes[] = {"informal", "lead", "shared",
					       NULL};
static const char *const governance_words[] = {"informal", "lead organisation",
					       "shared governance"};

static const struct vocab vocab[IMP_REG_NFIELDS] = {
    {"status", "status", "a partnership status", status_codes, status_words},
    {"service", "service model", "a service model", service_codes,
     service_words},
    {"financial", "financial relationship", "a financial relationship",
     financial_codes, financial_words},
    {"data", "data", "a data level", data_codes, data_words},
    {"effects", "partnership effects", "a partnership effect", effects_codes,
     effects_words},
    {"governance", "governance", "a kind of governance", governance_codes,
     governance_words},
    {"contact_role", "contact role", NULL, NULL, NULL},
    {"notes", "notes", NULL, NULL, NULL}};

static const char *const agr_names[IMP_REG_NAGR] = {"mou", "baa", "dsa"};

const char *imp_reg_field_name(enum imp_reg_field f)
{
	return vocab[f].name;
}

const char *imp_reg_field_title(enum imp_reg_field f)
{
	return vocab[f].title;
}

int imp_reg_field_parse(const char *name)
{
	int f;

	for (f = 0; f < IMP_REG_NFIELDS; f++)
		if (name && strcasecmp(name, vocab[f].name) == 0)
			return f;
	return -1;
}

const char *const *imp_reg_codes(enum imp_reg_field f)
{
	return vocab[f].codes;
}

const char *imp_reg_words(enum imp_reg_field f, const char *code)
{
	size_t i;

	if (!code || !vocab[f].codes)
		return code;
	for (i = 0; vocab[f].codes[i]; i++)
		if (strcmp(vocab[f].codes[i], code) == 0)
			return vocab[f].words[i];
	return code;
}

/* s lower case without spaces, '-' and '_', into out (size n). */
static void squash(const char *s, char *out, size_t n)
{
	size_t k = 0;

	for (; *s && k + 1 < n; s++)
		if (*s != ' ' && *s != '-' && *s != '_' && *s != '\t')
			out[k++] = (char)tolower((unsigned char)*s);
	out[k] = '\0';
}

/* Damerau-Levenshtein (optimal string alignment) distance, capped. */
static size_t dl_dist(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), i, j, r;
	size_t *d;

	if (na > 64 || nb > 64)
		return 99;
	d = xcalloc((na + 1) * (nb + 1), sizeof(*d));
#define D(i, j) d[(i) * (nb + 1) + (j)]
	for (i = 0; i <= na; i++)
		D(i, 0) = i;
	for (j = 0; j <= nb; j++)
		D(0, j) = j;
	for (i = 1; i <= na; i++)
		for (j = 1; j <= nb; j++) {
			size_t c = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + c < v)
				v = D(i - 1, j - 1) + c;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	r = D(na, nb);
#undef D
	free(d);
	return r;
}

const char *imp_reg_nearest(const char *const *codes, size_t n,
			    const char *value)
{
	char v[128], c[128];
	const char *best = NULL;
	size_t i, lv, best_d = 99;

	squash(value, v, sizeof(v));
	lv = strlen(v);
	if (!lv)
		return NULL;
	for (i = 0; i < n; i++) {
		size_t d, lc, lim;
		squash(codes[i], c, sizeof(c));
		lc = strlen(c);
		d = dl_dist(v, c);
		lim = lv <= 4 ? 1 : lv <= 8 ? 2 : 3;
		if (d > lim && lv >= 3 && lc >= 3 &&
		    (strncmp(v, c, lv < lc ? lv : lc) == 0))
			d = lim; /* a prefix of the other */
		if (d <= lim && d < best_d) {
			best = codes[i];
			best_d = d;
		}
	}
	return best;
}

const char *imp_reg_code(enum imp_reg_field f, const char *value,
			 struct core_buf *why)
{
	const char *const *codes = vocab[f].codes;
	const char *near;
	char v[128], c[128];
	size_t i, n;

	if (!codes)
		return NULL;
	squash(value ? value : "", v, sizeof(v));
	for (n = 0; codes[n]; n++) {
		squash(codes[n], c, sizeof(c));
		if (*v && strcmp(v, c) == 0)
			return codes[n];
	}
	if (!why)
		return NULL;
	core_buf_addf(why, "is not %s", vocab[f].noun);
	near = imp_reg_nearest(codes, n, value ? value : "");
	if (near)
		core_buf_addf(why, "; did you mean '%s'?", near);
	core_buf_adds(why, " (");
	for (i = 0; i < n; i++)
		core_buf_addf(why, "%s%s", i ? ", " : "", codes[i]);
	core_buf_adds(why, ")");
	return NULL;
}

const char *imp_reg_agreement_name(enum imp_reg_agreement k)
{
	return agr_names[k];
}

int imp_reg_agreement_parse(const char *s)
{
	int k;

	for (k = 0; k < IMP_REG_NAGR; k++)
		if (s && strcasecmp(s, agr_names[k]) == 0)
			return k;
	return -1;
}

int imp_reg_date_ok(const char *s)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31};
	int y, m, d, i;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 || y % 400 == 0)))
		return 0;
	return 1;
}

int imp_reg_period(const char *s, char *out)
{
	char b[16];
	size_t n;
	int y;

	if (!s)
		return 0;
	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	if (n < 4 || n >= sizeof(b))
		return 0;
	memcpy(b, s, n);
	b[n] = '\0';
	if (!isdigit((unsigned char)b[0]) || !isdigit((unsigned char)b[1]) ||
	    !isdigit((unsigned char)b[2]) || !isdigit((unsigned char)b[3]))
		return 0;
	y = atoi(b);
	if (y < 1900 || y > 2200)
		return 0;
	if (n == 4) {
		memcpy(out, b, 5);
		return 1;
	}
	if (b[4] != '-' && b[4] != '_')
		return 0;
	if (n == 7 && (b[5] == 'Q' || b[5] == 'q') && b[6] >= '1' &&
	    b[6] <= '4') {
		snprintf(out, 8, "%.4s-Q%c", b, b[6]);
		return 1;
	}
	if (n == 7 && isdigit((unsigned char)b[5]) &&
	    isdigit((unsigned char)b[6])) {
		int m = atoi(b + 5);
		if (m < 1 || m > 12)
			return 0;
		snprintf(out, 8, "%.4s-%.2s", b, b + 5);
		return 1;
	}
	return 0;
}

int imp_reg_programs_load(struct core_ws *ws, struct imp_reg_programs *p,
			  struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = core_ws_prepare(ws, err, &st,
				  "SELECT code FROM programs WHERE kind = "
				  "'community_support' ORDER BY sort, code")))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&p->code, &cap, p->n + 1, sizeof(*p->code));
		p->code[p->n++] =
		    xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return core_ws_dberr(ws, err, "reading the Community Supports");
	return CORE_OK;
}

void imp_reg_programs_release(struct imp_reg_programs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->code[i]);
	free(p->code);
	memset(p, 0, sizeof(*p));
}

const char *imp_reg_program(const struct imp_reg_programs *p, const char *value,
			    struct core_buf *why)
{
	const char *near;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (value && strcasecmp(value, p->code[i]) == 0)
			return p->code[i];
	if (!why)
		return NULL;
	core_buf_adds(why, "is not a Community Support code");
	near = imp_reg_nearest((const char *const *)p->code, p->n,
			       value ? value : "");
	if (near)
		core_buf_addf(why, "; did you mean '%s'?", near);
	core_buf_adds(why, " ('assetmap categories --programs' lists them)");
	return NULL;
}

/* ---------------------------------------------------------------------
 * Entries
 * ------------------------------------------------------------------ */

void imp_reg_entry_init(struct imp_reg_entry *e)
{
	memset(e, 0, sizeof(*e));
}

void imp_reg_entry_clear_supports(struct imp_reg_entry *e)
{
	size_t i;

	for (i = 0; i < e->nsup; i++) {
		free(e->sup[i].program);
		free(e->sup[i].plan);
	}
	e->nsup = 0;
}

void imp_reg_entry_clear_referrals(struct imp_reg_entry *e)
{
	size_t i;

	for (i = 0; i < e->nref; i++)
		free(e->ref[i].period);
	e->nref = 0;
}

void imp_reg_entry_release(struct imp_reg_entry *e)
{
	int k;

	for (k = 0; k < IMP_REG_NFIELDS; k++)
		free(e->f[k]);
	for (k = 0; k < IMP_REG_NAGR; k++) {
		free(e->signed_on[k]);
		free(e->expires_on[k]);
	}
	imp_reg_entry_clear_supports(e);
	imp_reg_entry_clear_referrals(e);
	free(e->sup);
	free(e->ref);
	free(e->updated_at);
	memset(e, 0, sizeof(*e));
}

static char *dup_text(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

void imp_reg_entry_copy(struct imp_reg_entry *dst,
			const struct imp_reg_entry *src)
{
	size_t i;
	int k;

	imp_reg_entry_init(dst);
	dst->exists = src->exists;
	for (k = 0; k < IMP_REG_NFIELDS; k++)
		dst->f[k] = dup_text(src->f[k]);
	for (k = 0; k < IMP_REG_NAGR; k++) {
		dst->agr[k] = src->agr[k];
		dst->signed_on[k] = dup_text(src->signed_on[k]);
		dst->expires_on[k] = dup_text(src->expires_on[k]);
	}
	for (i = 0; i < src->nsup; i++)
		imp_reg_entry_support(dst, src->sup[i].program,
				      src->sup[i].plan);
	for (i = 0; i < src->nref; i++)
		imp_reg_entry_referrals(dst, src->ref[i].period,
					src->ref[i].count);
	dst->source_id = src->source_id;
	dst->updated_at = dup_text(src->updated_at);
}

void imp_reg_entry_set(struct imp_reg_entry *e, enum imp_reg_field f,
		       const char *v)
{
	free(e->f[f]);
	e->f[f] = dup_text(v);
}

void imp_reg_entry_agreement(struct imp_reg_entry *e, enum imp_reg_agreement k,
			     const char *signed_on, const char *expires_on)
{
	imp_reg_entry_no_agreement(e, k);
	e->agr[k] = 1;
	e->signed_on[k] = dup_text(signed_on);
	e->expires_on[k] = dup_text(expires_on);
}

void imp_reg_entry_no_agreement(struct imp_reg_entry *e,
				enum imp_reg_agreement k)
{
	free(e->signed_on[k]);
	free(e->expires_on[k]);
	e->signed_on[k] = e->expires_on[k] = NULL;
	e->agr[k] = 0;
}

static int sup_cmp(const char *p1, const char *l1, const char *p2,
		   const char *l2)
{
	int c = strcmp(p1, p2);

	return c ? c : strcmp(l1, l2);
}

void imp_reg_entry_support(struct imp_reg_entry *e, const char *program,
			   const char *plan)
{
	size_t i;

	if (!plan)
		plan = "";
	for (i = 0; i < e->nsup; i++) {
		int c =
		    sup_cmp(e->sup[i].program, e->sup[i].plan, program, plan);
		if (c == 0)
			return;
		if (c > 0)
			break;
	}
	xgrow((void **)&e->sup, &e->capsup, e->nsup + 1, sizeof(*e->sup));
	memmove(e->sup + i + 1, e->sup + i, (e->nsup - i) * sizeof(*e->sup));
	e->sup[i].program = xstrdup(program);
	e->sup[i].plan = xstrdup(plan);
	e->nsup++;
}

void imp_reg_entry_no_support(struct imp_reg_entry *e, const char *program,
			      const char *plan)
{
	size_t i = 0;

	while (i < e->nsup) {
		struct imp_reg_support *s = &e->sup[i];
		if (strcmp(s->program, program) == 0 &&
		    (!plan || strcmp(s->plan, plan) == 0)) {
			free(s->program);
			free(s->plan);
			memmove(s, s + 1, (e->nsup - i - 1) * sizeof(*s));
			e->nsup--;
		} else {
			i++;
		}
	}
}

void imp_reg_entry_referrals(struct imp_reg_entry *e, const char *period,
			     int64_t count)
{
	size_t i;

	for (i = 0; i < e->nref; i++) {
		int c = strcmp(e->ref[i].period, period);
		if (c == 0) {
			if (count >= 0) {
				e->ref[i].count = count;
			} else {
				free(e->ref[i].period);
				memmove(e->ref + i, e->ref + i + 1,
					(e->nref - i - 1) * sizeof(*e->ref));
				e->nref--;
			}
			return;
		}
		if (c > 0)
			break;
	}
	if (count < 0)
		return;
	xgrow((void **)&e->ref, &e->capref, e->nref + 1, sizeof(*e->ref));
	memmove(e->ref + i + 1, e->ref + i, (e->nref - i) * sizeof(*e->ref));
	e->ref[i].period = xstrdup(period);
	e->ref[i].count = count;
	e->nref++;
}

char *imp_reg_agreement_text(const struct imp_reg_entry *e,
			     enum imp_reg_agreement k)
{
	if (!e->agr[k])
		return NULL;
	return xasprintf("%s:%s", e->signed_on[k] ? e->signed_on[k] : "",
			 e->expires_on[k] ? e->expires_on[k] : "");
}

/* ---------------------------------------------------------------------
 * The writer
 * ------------------------------------------------------------------ */

enum {
	ST_HIST,
	ST_UPSERT,
	ST_DEL,
	ST_AGR_DEL,
	ST_AGR_INS,
	ST_SUP_DEL,
	ST_SUP_INS,
	ST_REF_DEL,
	ST_REF_PUT,
	ST_LOAD_P,
	ST_LOAD_A,
	ST_LOAD_S,
	ST_LOAD_R,
	ST_TOUCH,
	ST_COUNT
};

static const char *const sqls[ST_COUNT] = {
    [ST_HIST] = "INSERT INTO partner_history(asset_id, changed_at, field,"
		" old_value, new_value, how) VALUES(?, ?, ?, ?, ?, ?)",
    [ST_UPSERT] =
	"INSERT INTO partners(asset_id, status, service, financial, data,"
	" effects, governance, contact_role, notes, source_id, updated_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	" ON CONFLICT(asset_id) DO UPDATE SET status = excluded.status,"
	" service = excluded.service, financial = excluded.financial,"
	" data = excluded.data, effects = excluded.effects,"
	" governance = excluded.governance,"
	" contact_role = excluded.contact_role, notes = excluded.notes,"
	" source_id = CASE WHEN ?12 THEN partners.source_id"
	" ELSE excluded.source_id END, updated_at = CASE WHEN ?13"
	" THEN excluded.updated_at ELSE partners.updated_at END",
    [ST_DEL] = "DELETE FROM partners WHERE asset_id = ?",
    [ST_AGR_DEL] = "DELETE FROM partner_agreements WHERE asset_id = ?"
		   " AND kind = ?",
    [ST_AGR_INS] = "INSERT INTO partner_agreements(asset_id, kind, signed,"
		   " expires) VALUES(?, ?, ?, ?)",
    [ST_SUP_DEL] = "DELETE FROM partner_supports WHERE asset_id = ?"
		   " AND program = ? AND plan = ?",
    [ST_SUP_INS] = "INSERT INTO partner_supports(asset_id, program, plan)"
		   " VALUES(?, ?, ?)",
    [ST_REF_DEL] = "DELETE FROM partner_referrals WHERE asset_id = ?"
		   " AND period = ?",
    [ST_REF_PUT] = "INSERT INTO partner_referrals(asset_id, period,"
		   " referrals) VALUES(?1, ?2, ?3) ON CONFLICT(asset_id,"
		   " period) DO UPDATE SET referrals = excluded.referrals",
    [ST_LOAD_P] = "SELECT status, service, financial, data, effects,"
		  " governance, contact_role, notes, source_id, updated_at"
		  " FROM partners WHERE asset_id = ?",
    [ST_LOAD_A] = "SELECT kind, signed, expires FROM partner_agreements"
		  " WHERE asset_id = ?",
    [ST_LOAD_S] = "SELECT program, plan FROM partner_supports"
		  " WHERE asset_id = ? ORDER BY program, plan",
    [ST_LOAD_R] = "SELECT period, referrals FROM partner_referrals"
		  " WHERE asset_id = ? ORDER BY period",
    [ST_TOUCH] = "UPDATE partners SET updated_at = ? WHERE asset_id = ?",
};

struct imp_reg {
	struct core_ws *ws;
	char *how, *at;
	sqlite3_stmt *st[ST_COUNT];
};

int imp_reg_new(struct core_ws *ws, const char *how, const char *at,
		struct imp_reg **out, struct core_err *err)
{
	struct imp_reg *r = xcalloc(1, sizeof(*r));
	int k, rc = CORE_OK;

	r->ws = ws;
	r->how = xstrdup(how);
	if (at) {
		r->at = xstrdup(at);
	} else {
		char buf[32];
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
		r->at = xstrdup(buf);
	}
	for (k = 0; k < ST_COUNT && !rc; k++)
		rc = core_ws_prepare(ws, err, &r->st[k], sqls[k]);
	if (rc) {
		imp_reg_free(r);
		r = NULL;
	}
	*out = r;
	return rc;
}

void imp_reg_free(struct imp_reg *r)
{
	int k;

	if (!r)
		return;
	for (k = 0; k < ST_COUNT; k++)
		sqlite3_finalize(r->st[k]);
	free(r->how);
	free(r->at);
	free(r);
}

const char *imp_reg_at(const struct imp_reg *r)
{
	return r->at;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int imp_reg_load(struct imp_reg *r, int64_t asset, struct imp_reg_entry *e,
		 struct core_err *err)
{
	sqlite3_stmt *st;
	int rc, k;

	imp_reg_entry_init(e);
	st = r->st[ST_LOAD_P];
	sqlite3_bind_int64(st, 1, asset);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		e->exists = 1;
		for (k = 0; k < IMP_REG_NFIELDS; k++)
			e->f[k] = dup_text(col_text(st, k));
		e->source_id = sqlite3_column_int64(st, 8);
		e->updated_at = dup_text(col_text(st, 9));
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	st = r->st[ST_LOAD_A];
	sqlite3_bind_int64(st, 1, asset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		k = imp_reg_agreement_parse(col_text(st, 0));
		if (k >= 0)
			imp_reg_entry_agreement(e, (enum imp_reg_agreement)k,
						col_text(st, 1),
						col_text(st, 2));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	st = r->st[ST_LOAD_S];
	sqlite3_bind_int64(st, 1, asset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		imp_reg_entry_support(e, col_text(st, 0), col_text(st, 1));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	st = r->st[ST_LOAD_R];
	sqlite3_bind_int64(st, 1, asset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		imp_reg_entry_referrals(e, col_text(st, 0),
					sqlite3_column_int64(st, 1));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	return CORE_OK;
fail:
	return core_ws_dberr(r->ws, err, "reading the partnership register");
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int history(struct imp_reg *r, int64_t asset, const char *field,
		   const char *old, const char *new_value, int64_t *n,
		   struct core_err *err)
{
	sqlite3_stmt *st = r->st[ST_HIST];
	int rc;

	sqlite3_bind_int64(st, 1, asset);
	sqlite3_bind_text(st, 2, r->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, field, -1, SQLITE_TRANSIENT);
	bind_opt(st, 4, old);
	bind_opt(st, 5, new_value);
	sqlite3_bind_text(st, 6, r->how, -1, SQLITE_STATIC);
	rc = core_ws_step(r->ws, err, st);
	sqlite3_clear_bindings(st);
	if (!rc && n)
		++*n;
	return rc;
}

static char *support_text(const struct imp_reg_support *s)
{
	return *s->plan ? xasprintf("%s@%s", s->program, s->plan)
			: xstrdup(s->program);
}

/* The supports: removed ones, then added ones, in order. */
static int store_supports(struct imp_reg *r, int64_t asset,
			  const struct imp_reg_entry *old,
			  const struct imp_reg_entry *e, int64_t *n,
			  struct core_err *err)
{
	size_t i = 0, j = 0;
	int rc = CORE_OK;

	while (!rc && (i < old->nsup || j < e->nsup)) {
		const struct imp_reg_support *a =
		    i < old->nsup ? &old->sup[i] : NULL;
		const struct imp_reg_support *b =
		    j < e->nsup ? &e->sup[j] : NULL;
		int c = !a ? 1
			: !b
			    ? -1
			    : sup_cmp(a->program, a->plan, b->program, b->plan);
		char *t;

		if (c == 0) {
			i++;
			j++;
			continue;
		}
		if (c < 0) { /* removed */
			sqlite3_stmt *st = r->st[ST_SUP_DEL];
			sqlite3_bind_int64(st, 1, asset);
			sqlite3_bind_text(st, 2, a->program, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, a->plan, -1, SQLITE_STATIC);
			rc = core_ws_step(r->ws, err, st);
			t = support_text(a);
			if (!rc)
				rc = history(r, asset, "support", t, NULL, n,
					     err);
			free(t);
			i++;
		} else { /* added */
			sqlite3_stmt *st = r->st[ST_SUP_INS];
			sqlite3_bind_int64(st, 1, asset);
			sqlite3_bind_text(st, 2, b->program, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, b->plan, -1, SQLITE_STATIC);
			rc = core_ws_step(r->ws, err, st);
			t = support_text(b);
			if (!rc)
				rc = history(r, asset, "support", NULL, t, n,
					     err);
			free(t);
			j++;
		}
	}
	return rc;
}

static int store_referrals(struct imp_reg *r, int64_t asset,
			   const struct imp_reg_entry *old,
			   const struct imp_reg_entry *e, int64_t *n,
			   struct core_err *err)
{
	size_t i = 0, j = 0;
	int rc = CORE_OK;

	while (!rc && (i < old->nref || j < e->nref)) {
		const struct imp_reg_referral *a =
		    i < old->nref ? &old->ref[i] : NULL;
		const struct imp_reg_referral *b =
		    j < e->nref ? &e->ref[j] : NULL;
		int c = !a ? 1 : !b ? -1 : strcmp(a->period, b->period);
		char field[40], vo[24], vn[24];
		sqlite3_stmt *st;

		if (c == 0 && a->count == b->count) {
			i++;
			j++;
			continue;
		}
		snprintf(field, sizeof(field), "referrals:%s",
			 c <= 0 ? a->period : b->period);
		if (a && c <= 0)
			snprintf(vo, sizeof(vo), "%lld", (long long)a->count);
		if (b && c >= 0)
			snprintf(vn, sizeof(vn), "%lld", (long long)b->count);
		if (c < 0) {
			st = r->st[ST_REF_DEL];
			sqlite3_bind_int64(st, 1, asset);
			sqlite3_bind_text(st, 2, a->period, -1, SQLITE_STATIC);
		} else {
			st = r->st[ST_REF_PUT];
			sqlite3_bind_int64(st, 1, asset);
			sqlite3_bind_text(st, 2, b->period, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, b->count);
		}
		rc = core_ws_step(r->ws, err, st);
		if (!rc)
			rc = history(r, asset, field, c <= 0 ? vo : NULL,
				     c >= 0 ? vn : NULL, n, err);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	return rc;
}

static int store_agreements(struct imp_reg *r, int64_t asset,
			    const struct imp_reg_entry *old,
			    const struct imp_reg_entry *e, int64_t *n,
			    struct core_err *err)
{
	int k, rc = CORE_OK;

	for (k = 0; k < IMP_REG_NAGR && !rc; k++) {
		char *a = imp_reg_agreement_text(old, k);
		char *b = imp_reg_agreement_text(e, k);
		char field[24];

		if (!same(a, b)) {
			sqlite3_stmt *st = r->st[ST_AGR_DEL];
			sqlite3_bind_int64(st, 1, asset);
			sqlite3_bind_text(st, 2, agr_names[k], -1,
					  SQLITE_STATIC);
			rc = core_ws_step(r->ws, err, st);
			if (!rc && b) {
				st = r->st[ST_AGR_INS];
				sqlite3_bind_int64(st, 1, asset);
				sqlite3_bind_text(st, 2, agr_names[k], -1,
						  SQLITE_STATIC);
				bind_opt(st, 3, e->signed_on[k]);
				bind_opt(st, 4, e->expires_on[k]);
				rc = core_ws_step(r->ws, err, st);
				sqlite3_clear_bindings(st);
			}
			snprintf(field, sizeof(field), "agreement:%s",
				 agr_names[k]);
			if (!rc)
				rc = history(r, asset, field, a, b, n, err);
		}
		free(a);
		free(b);
	}
	return rc;
}

int imp_reg_store(struct imp_reg *r, int64_t asset,
		  const struct imp_reg_entry *old,
		  const struct imp_reg_entry *e, int64_t source_id,
		  int keep_source, int64_t *nchanges, struct core_err *err)
{
	struct imp_reg_entry gone;
	const struct imp_reg_entry *to = e;
	int64_t n = 0;
	int k, rc = CORE_OK, changed = 0, upserted;

	imp_reg_entry_init(&gone);
	if (e->exists && !e->f[IMP_REG_STATUS])
		return core_err_set(err, CORE_EUSAGE,
				    "asset %lld has no partnership status; "
				    "give one (current, prospective, former "
				    "or none)",
				    (long long)asset);
	if (!e->exists)
		to = &gone; /* every value goes */
	for (k = 0; k < IMP_REG_NFIELDS && !rc; k++)
		if (!same(old->f[k], to->f[k])) {
			changed = 1;
			rc = history(r, asset, vocab[k].name, old->f[k],
				     to->f[k], &n, err);
		}
	upserted = !rc && e->exists &&
		   (changed || !old->exists ||
		    (!keep_source && old->source_id != source_id));
	if (upserted) {
		sqlite3_stmt *st = r->st[ST_UPSERT];
		sqlite3_bind_int64(st, 1, asset);
		for (k = 0; k < IMP_REG_NFIELDS; k++)
			bind_opt(st, 2 + k, e->f[k]);
		if (source_id > 0)
			sqlite3_bind_int64(st, 10, source_id);
		else
			sqlite3_bind_null(st, 10);
		sqlite3_bind_text(st, 11, r->at, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 12, keep_source && old->exists);
		sqlite3_bind_int(st, 13, changed || !old->exists);
		rc = core_ws_step(r->ws, err, st);
		sqlite3_clear_bindings(st);
	}
	if (!rc)
		rc = store_agreements(r, asset, old, to, &n, err);
	if (!rc)
		rc = store_supports(r, asset, old, to, &n, err);
	if (!rc)
		rc = store_referrals(r, asset, old, to, &n, err);
	if (!rc && e->exists && !upserted && n) {
		/* only agreements, supports or referrals changed */
		sqlite3_stmt *st = r->st[ST_TOUCH];
		sqlite3_bind_text(st, 1, r->at, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, asset);
		rc = core_ws_step(r->ws, err, st);
	}
	if (!rc && !e->exists && old->exists) {
		sqlite3_stmt *st = r->st[ST_DEL];
		sqlite3_bind_int64(st, 1, asset);
		rc = core_ws_step(r->ws, err, st);
	}
	if (nchanges)
		*nchanges += n;
	return rc;
}
