/*
 * imp_hsds.c - the HSDS model, its assembly into sites, and the import
 * of sites into the workspace.  See imp_hsds.h for the contract and
 * imp_hsds_int.h for the model; the readers are imp_hsds_json.c and
 * imp_hsds_csv.c.
 *
 * The shape of one import: read the whole file or package into the model
 * (everything that can fail for a file as a whole fails here, before the
 * workspace is touched), assemble sites (row problems are collected, not
 * yet reported), then in one transaction open the source, replay the
 * problems as rejects, write each site through the shared asset writer,
 * and close the source.
 */
#include "importers/imp_hsds.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "core/core_hash.h"
#include "core/core_mem.h"
#include "core/core_progress.h"
#include "importers/imp_asset.h"
#include "importers/imp_hsds_int.h"
#include "importers/imp_xwalk.h"

/* ---------------------------------------------------------------------
 * The model
 * ------------------------------------------------------------------ */

struct hsds_ids {
	char **keys;
	size_t *idx;
	size_t cap, n;
};

static char *id_key(int rec, const char *id)
{
	return xasprintf("%d\x1f%s", rec, id);
}

void hsds_ids_free(struct hsds_ids *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->cap; i++)
		free(t->keys[i]);
	free(t->keys);
	free(t->idx);
	free(t);
}

static void ids_grow(struct hsds_ids *t)
{
	struct hsds_ids old = *t;
	size_t i;

	t->cap = old.cap ? old.cap * 2 : 64;
	t->keys = xcalloc(t->cap, sizeof(*t->keys));
	t->idx = xcalloc(t->cap, sizeof(*t->idx));
	for (i = 0; i < old.cap; i++) {
		size_t h;
		if (!old.keys[i])
			continue;
		h = (size_t)core_hash_bytes(old.keys[i], strlen(old.keys[i])) &
		    (t->cap - 1);
		while (t->keys[h])
			h = (h + 1) & (t->cap - 1);
		t->keys[h] = old.keys[i];
		t->idx[h] = old.idx[i];
	}
	free(old.keys);
	free(old.idx);
}

long hsds_id_add(struct hsds_ids **ids, int rec, const char *id, size_t index)
{
	struct hsds_ids *t;
	char *k;
	size_t h;

	if (!*ids)
		*ids = xcalloc(1, sizeof(**ids));
	t = *ids;
	if ((t->n + 1) * 2 > t->cap)
		ids_grow(t);
	k = id_key(rec, id);
	h = (size_t)core_hash_bytes(k, strlen(k)) & (t->cap - 1);
	while (t->keys[h]) {
		if (strcmp(t->keys[h], k) == 0) {
			free(k);
			return (long)t->idx[h];
		}
		h = (h + 1) & (t->cap - 1);
	}
	t->keys[h] = k;
	t->idx[h] = index;
	t->n++;
	return -1;
}

long hsds_id_find(const struct hsds_ids *t, int rec, const char *id)
{
	char *k;
	size_t h;
	long r = -1;

	if (!t || !id)
		return -1;
	k = id_key(rec, id);
	h = (size_t)core_hash_bytes(k, strlen(k)) & (t->cap - 1);
	while (t->keys[h]) {
		if (strcmp(t->keys[h], k) == 0) {
			r = (long)t->idx[h];
			break;
		}
		h = (h + 1) & (t->cap - 1);
	}
	free(k);
	return r;
}

/* A multimap from (rec, link kind, id) to child row indexes. */
struct multi {
	struct hsds_ids *ids; /* key -> bucket */
	HSDS_VEC(HSDS_VEC(size_t)) buckets;
};

static void multi_add(struct multi *mm, int rec, char kind, const char *id,
		      size_t child)
{
	char *k;
	long b;

	if (!id)
		return;
	k = xasprintf("%c%s", kind, id);
	b = hsds_id_find(mm->ids, rec, k);
	if (b < 0) {
		b = (long)mm->buckets.n;
		HSDS_PUSH(mm->buckets);
		hsds_id_add(&mm->ids, rec, k, (size_t)b);
	}
	free(k);
	{
		size_t *slot = HSDS_PUSH(mm->buckets.v[b]);
		*slot = child;
	}
}

static const size_t *multi_get(const struct multi *mm, int rec, char kind,
			       const char *id, size_t *n)
{
	char *k;
	long b;

	*n = 0;
	if (!id)
		return NULL;
	k = xasprintf("%c%s", kind, id);
	b = hsds_id_find(mm->ids, rec, k);
	free(k);
	if (b < 0)
		return NULL;
	*n = mm->buckets.v[b].n;
	return mm->buckets.v[b].v;
}

static void multi_free(struct multi *mm)
{
	size_t i;

	for (i = 0; i < mm->buckets.n; i++)
		free(mm->buckets.v[i].v);
	free(mm->buckets.v);
	hsds_ids_free(mm->ids);
	memset(mm, 0, sizeof(*mm));
}

/* Index every child of a table by each of its links. */
static void multi_build(struct multi *mm, const void *rows, size_t n,
			size_t size)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct hsds_child *c =
		    (const struct hsds_child *)((const char *)rows + i * size);
		multi_add(mm, c->at.rec, 'o', c->to.org, i);
		multi_add(mm, c->at.rec, 's', c->to.service, i);
		multi_add(mm, c->at.rec, 'l', c->to.location, i);
		multi_add(mm, c->at.rec, 'a', c->to.sal, i);
	}
}

struct imp_hsds_model *imp_hsds_model_new(void)
{
	return xcalloc(1, sizeof(struct imp_hsds_model));
}

const char *hsds_file(struct imp_hsds_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nfiles; i++)
		if (strcmp(m->files[i], name) == 0)
			return m->files[i];
	m->files = xrealloc(m->files, (m->nfiles + 1) * sizeof(*m->files));
	m->files[m->nfiles] = xstrdup(name);
	return m->files[m->nfiles++];
}

void hsds_problem(struct imp_hsds_model *m, const char *file, long line,
		  const char *field, const char *value, const char *reason, ...)
{
	struct hsds_problem *p = HSDS_PUSH(m->problems);
	struct core_buf b = CORE_BUF_INIT;
	va_list ap;

	va_start(ap, reason);
	core_buf_vaddf(&b, reason, ap);
	va_end(ap);
	p->file = file;
	p->line = line;
	p->field = xstrdup_or_null(field);
	p->value = xstrdup_or_null(value);
	p->reason = core_buf_detach(&b);
}

void hsds_warn(struct imp_hsds_model *m, const char *file, long line,
	       const char *what)
{
	struct hsds_warn *w;
	size_t i;

	for (i = 0; i < m->warns.n; i++)
		if (strcmp(m->warns.v[i].what, what) == 0) {
			m->warns.v[i].count++;
			return;
		}
	w = HSDS_PUSH(m->warns);
	w->order = (long)m->warns.n;
	w->what = xstrdup(what);
	w->count = 1;
	w->file = file;
	w->line = line;
}

static void link_free(struct hsds_link *l)
{
	free(l->org);
	free(l->service);
	free(l->location);
	free(l->sal);
	free(l->phone);
}

static void site_free(struct imp_hsds_site *s)
{
	size_t i;
	char **str[] = {&s->key,	   &s->name,	    &s->service,
			&s->organization,  &s->address,	    &s->city,
			&s->state,	   &s->zip,	    &s->phone,
			&s->website,	   &s->email,	    &s->hours,
			&s->languages,	   &s->eligibility, &s->description,
			&s->accessibility, &s->attrs,	    &s->keytext};

	for (i = 0; i < sizeof(str) / sizeof(str[0]); i++)
		free(*str[i]);
	for (i = 0; i < s->nterms; i++) {
		free(s->terms[i].vocabulary);
		free(s->terms[i].term);
	}
	free(s->terms);
}

void imp_hsds_model_free(struct imp_hsds_model *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->orgs.n; i++) {
		struct hsds_org *o = &m->orgs.v[i];
		free(o->id), free(o->name), free(o->website), free(o->email);
		free(o->description);
	}
	for (i = 0; i < m->services.n; i++) {
		struct hsds_service *s = &m->services.v[i];
		free(s->id), free(s->org_id), free(s->name);
		free(s->description), free(s->url), free(s->email);
		free(s->status), free(s->interpretation), free(s->fees);
		free(s->areas), free(s->path);
	}
	for (i = 0; i < m->locations.n; i++) {
		struct hsds_location *l = &m->locations.v[i];
		free(l->id), free(l->org_id), free(l->name);
		free(l->description), free(l->url), free(l->type);
		free(l->lat_s), free(l->lon_s), free(l->path);
		free(l->lat_field), free(l->lon_field);
	}
	for (i = 0; i < m->sals.n; i++) {
		struct hsds_sal *a = &m->sals.v[i];
		free(a->id), free(a->service_id), free(a->location_id);
		free(a->description), free(a->loc_field);
	}
	for (i = 0; i < m->addresses.n; i++) {
		struct hsds_address *a = &m->addresses.v[i];
		link_free(&a->c.to);
		free(a->line1), free(a->line2), free(a->city), free(a->state);
		free(a->zip), free(a->type), free(a->region);
	}
	for (i = 0; i < m->phones.n; i++) {
		struct hsds_phone *p = &m->phones.v[i];
		link_free(&p->c.to);
		free(p->id), free(p->number), free(p->ext), free(p->type);
	}
	for (i = 0; i < m->scheds.n; i++) {
		struct hsds_sched *s = &m->scheds.v[i];
		link_free(&s->c.to);
		free(s->nth), free(s->monthdays), free(s->opens);
		free(s->closes), free(s->desc);
	}
	for (i = 0; i < m->langs.n; i++) {
		link_free(&m->langs.v[i].c.to);
		free(m->langs.v[i].name), free(m->langs.v[i].code);
	}
	for (i = 0; i < m->access.n; i++) {
		link_free(&m->access.v[i].c.to);
		free(m->access.v[i].text);
	}
	for (i = 0; i < m->eligs.n; i++) {
		link_free(&m->eligs.v[i].c.to);
		free(m->eligs.v[i].text);
	}
	for (i = 0; i < m->terms.n; i++) {
		link_free(&m->terms.v[i].c.to);
		free(m->terms.v[i].vocab), free(m->terms.v[i].term);
		free(m->terms.v[i].code);
	}
	for (i = 0; i < m->caps.n; i++) {
		link_free(&m->caps.v[i].c.to);
		free(m->caps.v[i].unit);
	}
	for (i = 0; i < m->problems.n; i++) {
		free(m->problems.v[i].field), free(m->problems.v[i].value);
		free(m->problems.v[i].reason);
	}
	for (i = 0; i < m->warns.n; i++)
		free(m->warns.v[i].what);
	for (i = 0; i < m->sites.n; i++)
		site_free(&m->sites.v[i]);
	free(m->orgs.v), free(m->services.v), free(m->locations.v);
	free(m->sals.v), free(m->addresses.v), free(m->phones.v);
	free(m->scheds.v), free(m->langs.v), free(m->access.v);
	free(m->eligs.v), free(m->terms.v), free(m->caps.v);
	free(m->problems.v), free(m->warns.v), free(m->sites.v);
	hsds_ids_free(m->org_ids), hsds_ids_free(m->svc_ids),
	    hsds_ids_free(m->loc_ids);
	hsds_ids_free(m->sal_ids), hsds_ids_free(m->phone_ids);
	for (i = 0; i < m->nfiles; i++)
		free(m->files[i]);
	free(m->files);
	free(m->format);
	free(m->checksum);
	free(m);
}

const char *imp_hsds_model_format(const struct imp_hsds_model *m)
{
	return m->format ? m->format : "HSDS";
}

const struct imp_hsds_counts *
imp_hsds_model_counts(const struct imp_hsds_model *m)
{
	return &m->counts;
}

size_t imp_hsds_model_nsites(const struct imp_hsds_model *m)
{
	return m->sites.n;
}

const struct imp_hsds_site *imp_hsds_model_site(const struct imp_hsds_model *m,
						size_t i)
{
	return i < m->sites.n ? &m->sites.v[i] : NULL;
}

size_t imp_hsds_model_nproblems(const struct imp_hsds_model *m)
{
	return m->problems.n;
}

const char *imp_hsds_model_problem(const struct imp_hsds_model *m, size_t i)
{
	static struct core_buf b;
	const struct hsds_problem *p;

	if (i >= m->problems.n)
		return NULL;
	p = &m->problems.v[i];
	core_buf_reset(&b);
	core_buf_addf(&b, "%s line %ld", p->file, p->line);
	if (p->field)
		core_buf_addf(&b, ", field %s", p->field);
	core_buf_adds(&b, ": ");
	if (p->value) {
		imp_quote_value(&b, p->value);
		core_buf_addc(&b, ' ');
	}
	core_buf_adds(&b, p->reason);
	return core_buf_str(&b);
}

size_t imp_hsds_model_nwarnings(const struct imp_hsds_model *m)
{
	return m->warns.n;
}

static void warning_text(struct core_buf *b, const struct hsds_warn *w)
{
	core_buf_addf(b, "%s: %ld (the first at %s line %ld)", w->what,
		      w->count, w->file ? w->file : "?", w->line);
}

const char *imp_hsds_model_warning(const struct imp_hsds_model *m, size_t i)
{
	static struct core_buf b;

	if (i >= m->warns.n)
		return NULL;
	core_buf_reset(&b);
	warning_text(&b, &m->warns.v[i]);
	return core_buf_str(&b);
}

/* ---------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------ */

char *hsds_str(const char *s)
{
	char *t;

	if (!s)
		return NULL;
	t = imp_trim_dup(s);
	if (!*t) {
		free(t);
		return NULL;
	}
	return t;
}

static const char *const day_abbr[7] = {"Mo", "Tu", "We", "Th",
					"Fr", "Sa", "Su"};

int hsds_weekday(const char *s)
{
	static const char *const names[][5] = {
	    {"mo", "mon", "monday", "lunes", "lu"},
	    {"tu", "tue", "tuesday", "martes", "tues"},
	    {"we", "wed", "wednesday", "miercoles", "mi"},
	    {"th", "thu", "thursday", "jueves", "thur"},
	    {"fr", "fri", "friday", "viernes", "vi"},
	    {"sa", "sat", "saturday", "sabado", "sab"},
	    {"su", "sun", "sunday", "domingo", "do"},
	};
	char *f, *t;
	int d, k, r = -1;
	size_t n;

	if (!s)
		return -1;
	t = imp_trim_dup(s);
	f = imp_fold(t);
	free(t);
	n = strlen(f);
	while (n > 0 && (f[n - 1] == '.' || f[n - 1] == 's'))
		f[--n] = '\0'; /* "Mondays", "Mon." */
	if (n == 1 && f[0] >= '0' && f[0] <= '7') {
		r = f[0] == '0' ? 6 : f[0] - '1';
	} else {
		for (d = 0; d < 7 && r < 0; d++)
			for (k = 0; k < 5; k++) {
				const char *w = names[d][k];
				size_t wn = strlen(w);
				/* the trailing 's' was cut above */
				if (strcmp(f, w) == 0 ||
				    (w[wn - 1] == 's' &&
				     strncmp(f, w, wn - 1) == 0 &&
				     n == wn - 1)) {
					r = d;
					break;
				}
			}
	}
	free(f);
	return r;
}

int hsds_sched_byday(struct hsds_sched *sc, const char *byday)
{
	int nth[7][8], nn[7] = {0}, any_nth = 0, ok = 1, d;
	const char *p = byday;
	struct core_buf b = CORE_BUF_INIT;

	while (*p) {
		char part[32];
		size_t n = strcspn(p, ", ;");
		const char *q;
		long ord = 0;
		char *end;

		if (n == 0) {
			p++;
			continue;
		}
		if (n >= sizeof(part)) {
			ok = 0;
			break;
		}
		memcpy(part, p, n);
		part[n] = '\0';
		p += n;
		q = part;
		if (*q == '+' || *q == '-' || isdigit((unsigned char)*q)) {
			ord = strtol(q, &end, 10);
			if (end == q || ord == 0 || ord < -5 || ord > 5) {
				ok = 0;
				continue;
			}
			q = end;
		}
		d = hsds_weekday(q);
		if (d < 0 || (ord == 0 && q != part && *part != '+')) {
			/* "2" alone or an unknown day */
			if (d < 0) {
				ok = 0;
				continue;
			}
		}
		if (ord) {
			if (nn[d] < 8)
				nth[d][nn[d]++] = (int)ord;
			any_nth = 1;
		} else {
			sc->days |= 1u << d;
		}
	}
	if (any_nth) {
		for (d = 0; d < 7; d++) {
			int k;
			if (!nn[d])
				continue;
			core_buf_addf(&b, "%s%s[", b.len ? "," : "",
				      day_abbr[d]);
			for (k = 0; k < nn[d]; k++)
				core_buf_addf(&b, "%s%d", k ? "," : "",
					      nth[d][k]);
			core_buf_addc(&b, ']');
		}
		free(sc->nth);
		sc->nth = core_buf_detach(&b);
	}
	core_buf_release(&b);
	return ok;
}

char *hsds_access_text(char *d, char *det)
{
	char *t;

	if (!d || !det)
		return d ? d : det;
	t = xasprintf("%s (%s)", d, det);
	free(d);
	free(det);
	return t;
}

char *hsds_time(const char *s)
{
	const char *p;
	int h = 0, mi = 0, digits = 0;
	char *t = hsds_str(s), *low;

	if (!t)
		return NULL;
	p = t;
	while (isdigit((unsigned char)*p) && digits < 3)
		h = h * 10 + (*p++ - '0'), digits++;
	if (digits == 0 || digits > 2)
		return t;
	if (*p == ':' || *p == '.') {
		if (!isdigit((unsigned char)p[1]) ||
		    !isdigit((unsigned char)p[2]))
			return t;
		mi = (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
		if (*p == ':' && isdigit((unsigned char)p[1]) &&
		    isdigit((unsigned char)p[2]))
			p += 3; /* seconds */
	} else if (!isalpha((unsigned char)*p) && *p != ' ') {
		return t;
	}
	while (*p == ' ')
		p++;
	low = imp_fold(p);
	if (strcmp(low, "am") == 0 || strcmp(low, "a.m.") == 0 ||
	    strcmp(low, "a.m") == 0 || strcmp(low, "pm") == 0 ||
	    strcmp(low, "p.m.") == 0 || strcmp(low, "p.m") == 0) {
		if (h < 1 || h > 12) {
			free(low);
			return t;
		}
		h %= 12;
		if (low[0] == 'p')
			h += 12;
	} else if (*low == 'z' || *low == '+' || *low == '-') {
		/* a time zone: the hours are local where the service is */
		if (p == t + 1 || p == t + 2) { /* "9Z": no minutes */
			free(low);
			return t;
		}
	} else if (*low) {
		free(low);
		return t;
	} else if (p == t + digits) {
		/* a bare number: "9" is not a time */
		free(low);
		return t;
	}
	free(low);
	if (h > 24 || mi > 59 || (h == 24 && mi))
		return t;
	free(t);
	return xasprintf("%02d:%02d", h, mi);
}

enum hsds_freq hsds_freq_parse(const char *s)
{
	char *t = hsds_str(s);
	enum hsds_freq f = HSDS_FREQ_NONE;

	if (t) {
		if (strcasecmp(t, "WEEKLY") == 0 || strcasecmp(t, "DAILY") == 0)
			f = HSDS_FREQ_WEEKLY;
		else if (strcasecmp(t, "MONTHLY") == 0)
			f = HSDS_FREQ_MONTHLY;
		else
			f = HSDS_FREQ_OTHER;
	}
	free(t);
	return f;
}

/* Languages: ISO 639-1 code (or 639-3 when there is none), 639-2/3
 * codes, and names folded (lower case, no accents) in English, the
 * language itself and Spanish. */
static const struct lang {
	const char *code;
	const char *codes3; /* space-separated */
	const char *names;  /* '|'-separated */
} langs[] = {
    {"en", "eng", "english|ingles"},
    {"es", "spa", "spanish|espanol|castellano|spanish language"},
    {"zh", "zho chi cmn yue",
     "chinese|chino|mandarin|cantonese|mandarin chinese|cantonese chinese"
     "|putonghua|中文|普通话|普通話|國語|国语|广东话|廣東話|粵語|粤语|汉语|"
     "漢語|华语|華語"},
    {"vi", "vie", "vietnamese|tieng viet|tiếng việt|vietnamita"},
    {"tl", "tgl fil", "tagalog|filipino|pilipino"},
    {"ko", "kor", "korean|coreano|한국어|조선말"},
    {"ru", "rus", "russian|ruso|русский"},
    {"ar", "ara", "arabic|arabe|العربية"},
    {"fa", "fas per prs", "persian|farsi|dari|فارسی"},
    {"hy", "hye arm", "armenian|armenio|հայերեն"},
    {"hi", "hin", "hindi|हिन्दी|हिंदी"},
    {"pa", "pan", "punjabi|panjabi|ਪੰਜਾਬੀ"},
    {"ja", "jpn", "japanese|japones|日本語"},
    {"km", "khm", "khmer|cambodian|camboyano"},
    {"lo", "lao", "lao|laotian"},
    {"pt", "por", "portuguese|portugues"},
    {"fr", "fra fre", "french|frances|francais"},
    {"de", "deu ger", "german|aleman|deutsch"},
    {"it", "ita", "italian|italiano"},
    {"pl", "pol", "polish|polaco|polski"},
    {"uk", "ukr", "ukrainian|ucraniano|українська"},
    {"th", "tha", "thai|tailandes"},
    {"so", "som", "somali"},
    {"am", "amh", "amharic|amarico"},
    {"ti", "tir", "tigrinya"},
    {"my", "mya bur", "burmese|birmano"},
    {"ne", "nep", "nepali"},
    {"ur", "urd", "urdu"},
    {"bn", "ben", "bengali|bangla"},
    {"gu", "guj", "gujarati"},
    {"ht", "hat", "haitian creole|haitian|kreyol|creole"},
    {"sm", "smo", "samoan"},
    {"to", "ton", "tongan"},
    {"he", "heb", "hebrew|hebreo"},
    {"el", "ell gre", "greek|griego"},
    {"tr", "tur", "turkish|turco"},
    {"id", "ind", "indonesian|bahasa indonesia"},
    {"ms", "msa may", "malay"},
    {"sw", "swa", "swahili|kiswahili"},
    {"ps", "pus", "pashto|pashtu"},
    {"ta", "tam", "tamil"},
    {"te", "tel", "telugu"},
    {"ro", "ron rum", "romanian|rumano"},
    {"sr", "srp", "serbian"},
    {"hr", "hrv", "croatian"},
    {"bs", "bos", "bosnian"},
    {"mh", "mah", "marshallese"},
    /* no two-letter code: ISO 639-3 */
    {"hmn", "hmn", "hmong"},
    {"ase", "ase sgn",
     "american sign language|asl|sign language|lengua de senas"},
    {"ilo", "ilo", "ilocano|ilokano"},
    {"mam", "mam", "mam"},
    {"quc", "quc", "k'iche'|kiche|quiche"},
    {"mix", "mix", "mixtec|mixteco"},
    {"zap", "zap", "zapotec|zapoteco"},
    {"ium", "ium", "mien|iu mien"},
    {"chk", "chk", "chuukese"},
};

static const char *lang_match(const char *f)
{
	size_t i, n = strlen(f);

	if (n == 2 || n == 3) {
		for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
			const char *c = langs[i].codes3;
			if (strcmp(f, langs[i].code) == 0)
				return langs[i].code;
			while (*c) {
				size_t k = strcspn(c, " ");
				if (k == n && strncmp(c, f, n) == 0)
					return langs[i].code;
				c += k;
				while (*c == ' ')
					c++;
			}
		}
	}
	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		const char *p = langs[i].names;
		while (*p) {
			size_t k = strcspn(p, "|");
			if (k == n && strncmp(p, f, n) == 0)
				return langs[i].code;
			p += k;
			if (*p == '|')
				p++;
		}
	}
	return NULL;
}

const char *hsds_lang_code(const char *s)
{
	char *t, *f, *paren;
	const char *r = NULL;
	size_t n;

	if (!s)
		return NULL;
	t = imp_trim_dup(s);
	f = imp_fold(t);
	free(t);
	/* "es-MX", "zh_Hant": the language part */
	n = strlen(f);
	if (n > 3 && (f[2] == '-' || f[2] == '_') &&
	    isalpha((unsigned char)f[0]) && isalpha((unsigned char)f[1]))
		f[2] = '\0';
	r = lang_match(f);
	if (!r && (paren = strchr(f, '(')) != NULL) {
		/* "Chinese (Cantonese)": the words before, then inside */
		char *close = strchr(paren, ')');
		char *before = xmalloc((size_t)(paren - f) + 1), *b2;
		memcpy(before, f, (size_t)(paren - f));
		before[paren - f] = '\0';
		b2 = imp_trim_dup(before);
		r = lang_match(b2);
		free(b2);
		free(before);
		if (!r && close) {
			*close = '\0';
			b2 = imp_trim_dup(paren + 1);
			r = lang_match(b2);
			free(b2);
		}
	}
	if (!r && n > 9 && strcmp(f + n - 9, " language") == 0) {
		f[n - 9] = '\0';
		r = lang_match(f);
	}
	free(f);
	return r;
}

const char *hsds_vocab(const char *taxonomy)
{
	char *f;
	const char *r = "hsds";

	if (!taxonomy)
		return r;
	f = imp_fold(taxonomy);
	if (strstr(f, "open eligibility") || strstr(f, "openeligibility") ||
	    strstr(f, "open_eligibility") || strstr(f, "open-eligibility"))
		r = "open_eligibility";
	free(f);
	return r;
}

/* ---------------------------------------------------------------------
 * Hours
 * ------------------------------------------------------------------ */

static void add_days(struct core_buf *b, unsigned days)
{
	int d = 0, first = 1;

	while (d < 7) {
		int e;
		if (!(days & (1u << d))) {
			d++;
			continue;
		}
		e = d;
		while (e + 1 < 7 && (days & (1u << (e + 1))))
			e++;
		if (!first)
			core_buf_addc(b, ',');
		first = 0;
		if (e - d >= 2)
			core_buf_addf(b, "%s-%s", day_abbr[d], day_abbr[e]);
		else if (e == d + 1)
			core_buf_addf(b, "%s,%s", day_abbr[d], day_abbr[e]);
		else
			core_buf_adds(b, day_abbr[d]);
		d = e + 1;
	}
}

static void add_times(struct core_buf *b, const struct hsds_sched *s)
{
	if (s->opens && s->closes)
		core_buf_addf(b, "%s-%s", s->opens, s->closes);
	else if (s->opens)
		core_buf_addf(b, "%s+", s->opens);
	else if (s->closes)
		core_buf_addf(b, "until %s", s->closes);
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void add_part(struct core_buf *b, const char *part)
{
	size_t i, n = strlen(part);

	/* the same text twice says nothing new */
	for (i = 0; i + n <= b->len; i++)
		if (strncmp(b->s + i, part, n) == 0 &&
		    (i == 0 || b->s[i - 1] == ' ') &&
		    (i + n == b->len || b->s[i + n] == ';'))
			return;
	if (b->len)
		core_buf_adds(b, "; ");
	core_buf_adds(b, part);
}

/*
 * Render schedule rows as opening hours: weekly rows with the same
 * times merged over their days ("Mo-Fr 09:00-17:00; Sa 10:00-12:00"),
 * monthly ones with their ordinals ("Tu[2,4] 15:30-17:30"), and the
 * description where the structure does not say enough.  NULL when there
 * is nothing to say.
 */
static char *render_hours(const struct imp_hsds_model *m, const size_t *ix,
			  size_t n)
{
	struct core_buf b = CORE_BUF_INIT;
	char *done = xcalloc(n + 1, 1);
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct hsds_sched *s = &m->scheds.v[ix[i]];
		struct core_buf part = CORE_BUF_INIT;
		int weekly =
		    s->freq == HSDS_FREQ_WEEKLY || s->freq == HSDS_FREQ_NONE;
		int times = s->opens || s->closes;

		if (done[i])
			continue;
		done[i] = 1;
		if (weekly && s->days && times && s->interval <= 1) {
			unsigned days = s->days;
			for (k = i + 1; k < n; k++) {
				const struct hsds_sched *t =
				    &m->scheds.v[ix[k]];
				if (!done[k] && t->days && !t->nth &&
				    (t->freq == HSDS_FREQ_WEEKLY ||
				     t->freq == HSDS_FREQ_NONE) &&
				    t->interval <= 1 &&
				    same_str(s->opens, t->opens) &&
				    same_str(s->closes, t->closes)) {
					days |= t->days;
					done[k] = 1;
				}
			}
			add_days(&part, days);
			core_buf_addc(&part, ' ');
			add_times(&part, s);
		} else if (s->nth && times) {
			core_buf_addf(&part, "%s ", s->nth);
			add_times(&part, s);
		} else if (s->desc) {
			core_buf_adds(&part, s->desc);
		} else if (s->monthdays && times) {
			core_buf_addf(&part, "monthly on day %s ",
				      s->monthdays);
			add_times(&part, s);
		} else if (s->days && times) {
			/* every n weeks, or monthly without saying which */
			add_days(&part, s->days);
			core_buf_addc(&part, ' ');
			add_times(&part, s);
			if (s->freq == HSDS_FREQ_MONTHLY)
				core_buf_adds(&part, " (monthly)");
			else if (s->interval > 1)
				core_buf_addf(&part, " (every %d weeks)",
					      s->interval);
		} else if (times) {
			add_times(&part, s);
			if (s->freq == HSDS_FREQ_MONTHLY)
				core_buf_adds(&part, " (monthly)");
		} else if (s->days) {
			add_days(&part, s->days);
		} else if (s->nth) {
			core_buf_adds(&part, s->nth);
		}
		if (part.len)
			add_part(&b, core_buf_str(&part));
		core_buf_release(&part);
	}
	free(done);
	if (!b.len) {
		core_buf_release(&b);
		return NULL;
	}
	return core_buf_detach(&b);
}

/* Does free text read like opening hours ("3rd Thursdays 4:30pm to
 * 5:30pm", "Mon-Fri 9-5")?  A time of day or a weekday name. */
static int looks_like_hours(const char *s)
{
	char *f = imp_fold(s);
	const char *p;
	int yes = 0;

	for (p = f; *p && !yes; p++) {
		if (isdigit((unsigned char)*p)) {
			const char *q = p;
			while (isdigit((unsigned char)*q))
				q++;
			if (*q == ':' && isdigit((unsigned char)q[1]))
				yes = 1;
			while (*q == ' ')
				q++;
			if ((q[0] == 'a' || q[0] == 'p') &&
			    (q[1] == 'm' || (q[1] == '.' && q[2] == 'm')))
				yes = 1;
		} else if (isalpha((unsigned char)*p) &&
			   (p == f || !isalpha((unsigned char)p[-1]))) {
			char w[16];
			size_t n = 0;
			while (isalpha((unsigned char)p[n]) &&
			       n < sizeof(w) - 1)
				w[n] = p[n], n++;
			w[n] = '\0';
			if (n >= 3 && hsds_weekday(w) >= 0)
				yes = 1;
		}
	}
	free(f);
	return yes;
}

/* ---------------------------------------------------------------------
 * Assembly
 * ------------------------------------------------------------------ */

struct asm_ctx {
	struct imp_hsds_model *m;
	struct multi addr, phone, sched, lang, access, elig, term, cap;
	char *svc_skipped; /* per service: counted as skipped */
	char *svc_sited;   /* per service: has a site */
};

static int svc_inactive(const struct hsds_service *s)
{
	return s->status && (strcasecmp(s->status, "inactive") == 0 ||
			     strcasecmp(s->status, "defunct") == 0);
}

static int loc_virtual(const struct hsds_location *l)
{
	return l->type && strcasecmp(l->type, "virtual") == 0;
}

/* Parse a coordinate as written; 1 when it is a finite number. */
static int coord(const char *s, double *v)
{
	return s && imp_parse_number(s, v);
}

/*
 * Check the coordinates of location i as written and, when they are
 * good, store them (l->lat, l->lon, l->has_point = 1).  Virtual
 * locations and locations with neither coordinate are left without a
 * point and without a problem.  Only one of the two given, either not a
 * number, or either out of range: a problem naming the field, and the
 * location is marked bad.  0, 0 is read as no point, with a warning.
 */
static void check_location(struct imp_hsds_model *m, size_t i)
{
	struct hsds_location *l = &m->locations.v[i];
	const char *latf = l->lat_field ? l->lat_field : "latitude";
	const char *lonf = l->lon_field ? l->lon_field : "longitude";
	double lat = 0, lon = 0;

	if (loc_virtual(l))
		return;
	if (!l->lat_s && !l->lon_s)
		return;
	if (!l->lat_s || !l->lon_s) {
		hsds_problem(m, l->at.file, l->at.line, l->lat_s ? lonf : latf,
			     NULL,
			     "has no value but %s has one; give both latitude "
			     "and longitude (decimal degrees), or neither",
			     l->lat_s ? latf : lonf);
		l->bad = 1;
		return;
	}
	if (!coord(l->lat_s, &lat)) {
		hsds_problem(m, l->at.file, l->at.line, latf, l->lat_s,
			     "is not a number; latitude must be decimal "
			     "degrees between -90 and 90, e.g. 37.7749");
		l->bad = 1;
		return;
	}
	if (!coord(l->lon_s, &lon)) {
		hsds_problem(m, l->at.file, l->at.line, lonf, l->lon_s,
			     "is not a number; longitude must be decimal "
			     "degrees between -180 and 180, e.g. -122.4194");
		l->bad = 1;
		return;
	}
	if (lat < -90 || lat > 90) {
		hsds_problem(
		    m, l->at.file, l->at.line, latf, l->lat_s,
		    "is out of range; latitude must be between -90 and 90%s",
		    (lon >= -90 && lon <= 90)
			? " (latitude and longitude look swapped)"
			: "");
		l->bad = 1;
		return;
	}
	if (lon < -180 || lon > 180) {
		hsds_problem(
		    m, l->at.file, l->at.line, lonf, l->lon_s,
		    "is out of range; longitude must be between -180 and 180");
		l->bad = 1;
		return;
	}
	if (lat == 0 && lon == 0) {
		hsds_warn(m, l->at.file, l->at.line,
			  "locations at 0, 0 read as having no coordinates");
		return;
	}
	l->lat = lat;
	l->lon = lon;
	l->has_point = 1;
}

/* Resolve the service_at_location rows; problems for dangling ones. */
static void resolve_links(struct imp_hsds_model *m)
{
	size_t i;

	for (i = 0; i < m->sals.n; i++) {
		struct hsds_sal *a = &m->sals.v[i];
		long s = hsds_id_find(m->svc_ids, a->at.rec, a->service_id);
		long l = hsds_id_find(m->loc_ids, a->at.rec, a->location_id);
		int json = m->format && strstr(m->format, "JSON");

		if (!a->service_id || s < 0) {
			hsds_problem(
			    m, a->at.file, a->at.line,
			    json ? "service_at_locations" : "service_id",
			    a->service_id,
			    a->service_id
				? "is not the id of a service%s; every "
				  "service_at_location must name one"
				: "has no value%s; every service_at_location "
				  "must name a service",
			    json ? " of this organization"
				 : " in services.csv");
			a->bad = 1;
			continue;
		}
		if (!a->location_id || l < 0) {
			/* linked, badly: not placed by its organization */
			m->services.v[s].nlinks++;
			hsds_problem(
			    m, a->at.file, a->at.line,
			    a->loc_field ? a->loc_field : "location_id",
			    a->location_id,
			    a->location_id
				? "is not the id of a location%s; every "
				  "service_at_location must name one"
				: "has no value%s; every service_at_location "
				  "must name a location",
			    json ? " of this organization"
				 : " in locations.csv");
			a->bad = 1;
			continue;
		}
		a->svc = (size_t)s;
		a->loc = (size_t)l;
		m->services.v[s].nlinks++;
		m->locations.v[l].nlinks++;
	}
}

/* A service with no link, whose organization has exactly one location,
 * is offered there. */
static void implicit_links(struct imp_hsds_model *m)
{
	struct hsds_ids *only = NULL; /* (rec, org) -> location, or ~0 */
	size_t i, nsvc = m->services.n;

	for (i = 0; i < m->locations.n; i++) {
		const struct hsds_location *l = &m->locations.v[i];
		long prev;
		if (!l->org_id)
			continue;
		prev = hsds_id_add(&only, l->at.rec, l->org_id, i);
		if (prev >= 0) {
			/* a second location: mark the organization */
			hsds_id_add(&only, l->at.rec,
				    "\x1f"
				    "many",
				    0);
			{
				char *k = xasprintf("\x1e%s", l->org_id);
				hsds_id_add(&only, l->at.rec, k, 0);
				free(k);
			}
		}
	}
	for (i = 0; i < nsvc; i++) {
		const struct hsds_service *s = &m->services.v[i];
		struct hsds_sal *a;
		char *k;
		long l, many;
		const struct hsds_location *loc;

		if (s->nlinks || !s->org_id)
			continue;
		l = hsds_id_find(only, s->at.rec, s->org_id);
		k = xasprintf("\x1e%s", s->org_id);
		many = hsds_id_find(only, s->at.rec, k);
		free(k);
		if (l < 0 || many >= 0)
			continue;
		loc = &m->locations.v[l];
		a = HSDS_PUSH(m->sals);
		a->at = s->at;
		a->service_id = xstrdup(s->id);
		a->location_id = xstrdup(loc->id);
		a->implicit = 1;
		a->svc = i;
		a->loc = (size_t)l;
		m->services.v[i].nlinks++;
		m->locations.v[l].nlinks++;
		m->counts.implicit_links++;
		hsds_warn(m, s->at.file, s->at.line,
			  "services with no service_at_location link placed at "
			  "their organization's only location");
	}
	hsds_ids_free(only);
}

static const struct hsds_org *org_of(const struct imp_hsds_model *m, int rec,
				     const char *id)
{
	long o = hsds_id_find(m->org_ids, rec, id);

	return o >= 0 ? &m->orgs.v[o] : NULL;
}

static void join_text(struct core_buf *b, const char *t)
{
	if (!t || !*t)
		return;
	add_part(b, t);
}

static char *buf_or_null(struct core_buf *b)
{
	if (!b->len) {
		core_buf_release(b);
		return NULL;
	}
	return core_buf_detach(b);
}

static int phone_usable(const struct hsds_phone *p)
{
	return p->number && !(p->type && (strcasecmp(p->type, "fax") == 0 ||
					  strcasecmp(p->type, "pager") == 0));
}

static char *phone_text(const struct hsds_phone *p)
{
	if (p->ext)
		return xasprintf("%s ext. %s", p->number, p->ext);
	return xstrdup(p->number);
}

/* The best phone for a site: the link's, the service's (here), the
 * location's, then the organization's; never a fax. */
static char *pick_phone(struct asm_ctx *x, int rec, const struct hsds_sal *a,
			const struct hsds_service *s,
			const struct hsds_location *l, const char *org)
{
	const struct imp_hsds_model *m = x->m;
	const size_t *ix;
	size_t n, i;

	if (a && a->id) {
		ix = multi_get(&x->phone, rec, 'a', a->id, &n);
		for (i = 0; i < n; i++)
			if (phone_usable(&m->phones.v[ix[i]]))
				return phone_text(&m->phones.v[ix[i]]);
	}
	if (s) {
		ix = multi_get(&x->phone, rec, 's', s->id, &n);
		for (i = 0; i < n; i++) {
			const struct hsds_phone *p = &m->phones.v[ix[i]];
			if (phone_usable(p) &&
			    (!p->c.to.location ||
			     strcmp(p->c.to.location, l->id) == 0))
				return phone_text(p);
		}
	}
	ix = multi_get(&x->phone, rec, 'l', l->id, &n);
	for (i = 0; i < n; i++) {
		const struct hsds_phone *p = &m->phones.v[ix[i]];
		if (phone_usable(p) && !p->c.to.service)
			return phone_text(p);
	}
	if (org) {
		ix = multi_get(&x->phone, rec, 'o', org, &n);
		for (i = 0; i < n; i++) {
			const struct hsds_phone *p = &m->phones.v[ix[i]];
			if (phone_usable(p) && !p->c.to.service &&
			    !p->c.to.location)
				return phone_text(p);
		}
	}
	return NULL;
}

/* Schedules: the link's, the service's here, the service's anywhere,
 * then the location's own. */
static char *pick_hours(struct asm_ctx *x, int rec, const struct hsds_sal *a,
			const struct hsds_service *s,
			const struct hsds_location *l)
{
	const struct imp_hsds_model *m = x->m;
	const size_t *ix;
	size_t n, i, k = 0;
	size_t *sel;
	char *r = NULL;
	int pass;

	if (a && a->id && (ix = multi_get(&x->sched, rec, 'a', a->id, &n)))
		return render_hours(m, ix, n);
	sel = xcalloc(m->scheds.n + 1, sizeof(*sel));
	for (pass = 0; pass < 3 && !k; pass++) {
		if (pass < 2 && !s)
			continue;
		if (pass < 2)
			ix = multi_get(&x->sched, rec, 's', s->id, &n);
		else
			ix = multi_get(&x->sched, rec, 'l', l->id, &n);
		for (i = 0; i < n; i++) {
			const struct hsds_sched *sc = &m->scheds.v[ix[i]];
			const char *sl = sc->c.to.location;
			if (pass == 0 && (!sl || strcmp(sl, l->id) != 0))
				continue;
			if (pass == 1 && sl)
				continue;
			if (pass == 2 && sc->c.to.service)
				continue;
			if (sc->c.to.sal)
				continue;
			sel[k++] = ix[i];
		}
	}
	if (k)
		r = render_hours(m, sel, k);
	free(sel);
	if (!r && a && a->description && looks_like_hours(a->description))
		r = xstrdup(a->description);
	return r;
}

static void add_lang(struct core_buf *b, const char *code)
{
	size_t n = strlen(code);
	const char *p = b->s;

	while (p && *p) {
		size_t k = strcspn(p, ",");
		if (k == n && strncmp(p, code, n) == 0)
			return;
		p += k;
		if (*p == ',')
			p++;
	}
	if (b->len)
		core_buf_addc(b, ',');
	core_buf_adds(b, code);
}

static void add_term(struct imp_hsds_site *st, const struct hsds_term *t)
{
	const char *term = t->term ? t->term : t->code;
	size_t i;

	if (!term)
		return;
	for (i = 0; i < st->nterms; i++)
		if (strcmp(st->terms[i].vocabulary, t->vocab) == 0 &&
		    strcmp(st->terms[i].term, term) == 0)
			return;
	st->terms = xrealloc(st->terms, (st->nterms + 1) * sizeof(*st->terms));
	st->terms[st->nterms].vocabulary = xstrdup(t->vocab);
	st->terms[st->nterms].term = xstrdup(term);
	st->nterms++;
}

/* The terms of one entity: its own, not those of what hangs below it
 * (nested JSON gives a service's attributes its organization's id too). */
static void terms_of(struct asm_ctx *x, struct imp_hsds_site *st, int rec,
		     char kind, const char *id)
{
	size_t n, i;
	const size_t *ix = multi_get(&x->term, rec, kind, id, &n);

	for (i = 0; i < n; i++) {
		const struct hsds_link *to = &x->m->terms.v[ix[i]].c.to;
		if (kind == 'o' && (to->service || to->location || to->sal))
			continue;
		if (kind == 'l' && (to->service || to->sal))
			continue;
		if (kind == 's' && to->sal)
			continue;
		add_term(st, &x->m->terms.v[ix[i]]);
	}
}

static void json_put(json_object *o, const char *k, const char *v)
{
	if (v)
		json_object_object_add(o, k, json_object_new_string(v));
}

/* An id the file gave, not one the JSON reader made up
 * ("#auto-location-2"). */
static int real_id(const char *id)
{
	return id && strncmp(id, "#auto-", 6) != 0;
}

/*
 * The best of location l's addresses (NULL when none qualifies): a
 * physical one (or one of no type) before a postal one, before one of
 * another type; a virtual one, or one with neither a street line nor a
 * city, is never used.  set_address sets st's address, city, state and
 * zip from it (left NULL when there is none), as new copies owned by
 * st.
 */
static const struct hsds_address *best_address(struct asm_ctx *x, int rec,
					       const struct hsds_location *l)
{
	struct imp_hsds_model *m = x->m;
	const struct hsds_address *best = NULL;
	int score = -1;
	size_t n, i;
	const size_t *ix = multi_get(&x->addr, rec, 'l', l->id, &n);

	for (i = 0; i < n; i++) {
		const struct hsds_address *ad = &m->addresses.v[ix[i]];
		int sc = 1;
		if (!ad->type || strcasecmp(ad->type, "physical") == 0)
			sc = 3;
		else if (strcasecmp(ad->type, "postal") == 0)
			sc = 2;
		else if (strcasecmp(ad->type, "virtual") == 0)
			sc = 0;
		if (!ad->line1 && !ad->city)
			sc = 0;
		if (sc > score) {
			best = ad;
			score = sc;
		}
	}
	return best && score > 0 ? best : NULL;
}

static void set_address(struct asm_ctx *x, int rec,
			const struct hsds_location *l, struct imp_hsds_site *st)
{
	const struct hsds_address *best = best_address(x, rec, l);

	if (best) {
		if (best->line1 && best->line2)
			st->address =
			    xasprintf("%s, %s", best->line1, best->line2);
		else
			st->address = xstrdup_or_null(best->line1);
		st->city = xstrdup_or_null(best->city);
		st->state = xstrdup_or_null(best->state);
		st->zip = xstrdup_or_null(best->zip);
	}
}

/*
 * The language codes of a site, comma-separated without repeats, in a
 * new string (NULL when there are none): the link a's, the service s's,
 * then the location l's (a location's languages tagged with another
 * service are left out); each one's own before its phones'.  a and s
 * may be NULL.
 */
static char *site_languages(struct asm_ctx *x, int rec,
			    const struct hsds_sal *a,
			    const struct hsds_service *s,
			    const struct hsds_location *l)
{
	struct imp_hsds_model *m = x->m;
	struct core_buf lb = CORE_BUF_INIT;
	char kinds[3] = {'a', 's', 'l'};
	const char *ids[3] = {a ? a->id : NULL, s ? s->id : NULL, l->id};
	const size_t *ix;
	size_t n, i;
	int k;
	int pass;

	for (k = 0; k < 3; k++)
		for (pass = 0; pass < 2; pass++) {
			ix = multi_get(&x->lang, rec, kinds[k], ids[k], &n);
			for (i = 0; i < n; i++) {
				const struct hsds_lang *lg = &m->langs.v[ix[i]];
				if ((lg->c.to.phone != NULL) != pass)
					continue;
				if (k == 2 && lg->c.to.service && s &&
				    strcmp(lg->c.to.service, s->id) != 0)
					continue;
				if (lg->code)
					add_lang(&lb, lg->code);
			}
		}
	return buf_or_null(&lb);
}

/*
 * A site's attrs: a new JSON object text (the caller frees it) with the
 * HSDS ids the file gave (not the reader's made-up ones), the service
 * and location names, the service's status, interpretation services,
 * fees, service areas and capacity unit, and linked_by_organization
 * when the link a was made up.  a and s may be NULL.
 */
static char *site_attrs(struct asm_ctx *x, int rec, const struct hsds_sal *a,
			const struct hsds_service *s,
			const struct hsds_location *l)
{
	struct imp_hsds_model *m = x->m;
	json_object *attrs = json_object_new_object();
	const size_t *ix;
	size_t n;
	char *r;

	json_put(attrs, "hsds_service_id", s && real_id(s->id) ? s->id : NULL);
	json_put(attrs, "hsds_location_id", real_id(l->id) ? l->id : NULL);
	if (a && a->id && !a->implicit)
		json_put(attrs, "hsds_service_at_location_id", a->id);
	json_put(attrs, "service", s ? s->name : NULL);
	json_put(attrs, "location", l->name);
	json_put(attrs, "status", s ? s->status : NULL);
	json_put(attrs, "interpretation_services",
		 s ? s->interpretation : NULL);
	json_put(attrs, "fees", s ? s->fees : NULL);
	json_put(attrs, "service_areas", s ? s->areas : NULL);
	if (s) {
		ix = multi_get(&x->cap, rec, 's', s->id, &n);
		if (n && m->caps.v[ix[0]].unit)
			json_put(attrs, "capacity_unit", m->caps.v[ix[0]].unit);
	}
	if (a && a->implicit)
		json_object_object_add(attrs, "linked_by_organization",
				       json_object_new_boolean(1));
	r = xstrdup(json_object_to_json_string_ext(
	    attrs, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(attrs);
	return r;
}

/*
 * Add one site to m->sites: service s offered at location l through the
 * link a (a may be NULL or made up; s is NULL for a location no service
 * is linked to).  The site is named after the location (or its
 * organization), with the service's name added when more than one site
 * is built at l; it takes the best address, a phone, hours, languages,
 * eligibility (with the widest age range), capacity, accessibility,
 * website, email, description, taxonomy terms, the text keywords are
 * looked for in, and attrs (see site_attrs).  Every string is copied.
 * When neither the location, its organization nor the service has a
 * name, no site is added: a problem is recorded and l is marked bad.
 * Marks s as sited in x->svc_sited.
 */
static void make_site(struct asm_ctx *x, const struct hsds_sal *a,
		      const struct hsds_service *s, struct hsds_location *l)
{
	struct imp_hsds_model *m = x->m;
	int rec = l->at.rec;
	const char *org_id = s && s->org_id ? s->org_id : l->org_id;
	const struct hsds_org *o = org_of(m, rec, org_id);
	struct imp_hsds_site *site;
	struct core_buf b = CORE_BUF_INIT;
	const size_t *ix;
	size_t n, i;
	const char *base;

	base = l->name ? l->name : o && o->name ? o->name : NULL;
	if (!base && !(s && s->name)) {
		char *f = l->path && *l->path ? xasprintf("%s.name", l->path)
					      : xstrdup("name");
		hsds_problem(m, l->at.file, l->at.line, f, NULL,
			     "has no value, and neither has its "
			     "organization%s; every asset needs a name",
			     s ? " nor its service" : "");
		free(f);
		l->bad = 1;
		return;
	}
	site = HSDS_PUSH(m->sites);
	site->capacity = site->age_min = site->age_max = NAN;
	site->lon = l->lon;
	site->lat = l->lat;
	site->quality = l->quality;
	if (a) {
		site->file = a->at.file;
		site->line = a->at.line;
	} else {
		site->file = l->at.file;
		site->line = l->at.line;
	}
	if (a && a->id)
		site->key = xstrdup(a->id);
	else if (s && real_id(s->id) && real_id(l->id))
		site->key = xasprintf("%s@%s", s->id, l->id);
	else if (!s && real_id(l->id))
		site->key = xstrdup(l->id);
	if (!base)
		site->name = xstrdup(s->name);
	else if (s && s->name && l->nsites > 1)
		site->name = xasprintf("%s (%s)", base, s->name);
	else
		site->name = xstrdup(base);
	site->service = s ? xstrdup_or_null(s->name) : NULL;
	site->organization = o ? xstrdup_or_null(o->name) : NULL;

	set_address(x, rec, l, site);
	site->phone = pick_phone(x, rec, a, s, l, org_id);
	site->hours = pick_hours(x, rec, a, s, l);

	site->languages = site_languages(x, rec, a, s, l);

	if (s) {
		ix = multi_get(&x->elig, rec, 's', s->id, &n);
		for (i = 0; i < n; i++) {
			const struct hsds_text *e = &m->eligs.v[ix[i]];
			join_text(&b, e->text);
			if (!isnan(e->min) &&
			    (isnan(site->age_min) || e->min < site->age_min))
				site->age_min = e->min;
			if (!isnan(e->max) &&
			    (isnan(site->age_max) || e->max > site->age_max))
				site->age_max = e->max;
		}
		site->eligibility = buf_or_null(&b);
		ix = multi_get(&x->cap, rec, 's', s->id, &n);
		for (i = 0; i < n && isnan(site->capacity); i++)
			site->capacity = m->caps.v[ix[i]].value;
	}
	ix = multi_get(&x->access, rec, 'l', l->id, &n);
	for (i = 0; i < n; i++)
		join_text(&b, m->access.v[ix[i]].text);
	site->accessibility = buf_or_null(&b);

	if (s && s->url)
		site->website = xstrdup(s->url);
	else if (o && o->website)
		site->website = xstrdup(o->website);
	if (s && s->email)
		site->email = xstrdup(s->email);
	else if (o && o->email)
		site->email = xstrdup(o->email);
	if (s && s->description)
		site->description = xstrdup(s->description);
	else if (l->description)
		site->description = xstrdup(l->description);
	else if (o && o->description)
		site->description = xstrdup(o->description);

	/* terms, and the text keywords are looked for in */
	if (s) {
		if (a && a->id)
			terms_of(x, site, rec, 'a', a->id);
		terms_of(x, site, rec, 's', s->id);
		join_text(&b, s->name);
		join_text(&b, s->description);
	} else {
		terms_of(x, site, rec, 'l', l->id);
		if (org_id)
			terms_of(x, site, rec, 'o', org_id);
		join_text(&b, l->name);
		join_text(&b, l->description);
	}
	site->keytext = buf_or_null(&b);

	site->attrs = site_attrs(x, rec, a, s, l);
	if (s)
		x->svc_sited[s - m->services.v] = 1;
}

/* "sq", "MNK": two or three ASCII letters, as a lower-case code. */
static int iso_code(const char *s, char out[4])
{
	size_t n = s ? strlen(s) : 0, i;

	if (n < 2 || n > 3)
		return 0;
	for (i = 0; i < n; i++) {
		if (!isalpha((unsigned char)s[i]) ||
		    (unsigned char)s[i] >= 0x80)
			return 0;
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	out[n] = '\0';
	return 1;
}

/* Languages: codes from names where the code is missing or not one;
 * languages of a phone take the phone's parents. */
static void resolve_langs(struct imp_hsds_model *m)
{
	size_t i;

	for (i = 0; i < m->langs.n; i++) {
		struct hsds_lang *lg = &m->langs.v[i];
		const char *code = hsds_lang_code(lg->code);
		char iso[4];
		/* a code we do not know but that is one: kept */
		if (!code && iso_code(lg->code, iso))
			code = iso;
		if (!code)
			code = hsds_lang_code(lg->name);
		if (!code) {
			char *w =
			    xasprintf("language '%s' not recognised; left out",
				      lg->name	 ? lg->name
				      : lg->code ? lg->code
						 : "");
			if (lg->name || lg->code)
				hsds_warn(m, lg->c.at.file, lg->c.at.line, w);
			free(w);
		}
		free(lg->code);
		lg->code = xstrdup_or_null(code);
		if (lg->c.to.phone && !lg->c.to.service && !lg->c.to.location) {
			long p = hsds_id_find(m->phone_ids, lg->c.at.rec,
					      lg->c.to.phone);
			if (p >= 0) {
				const struct hsds_link *pl =
				    &m->phones.v[p].c.to;
				lg->c.to.service = xstrdup_or_null(pl->service);
				lg->c.to.location =
				    xstrdup_or_null(pl->location);
			}
		}
	}
}

/*
 * Place location l, which has no coordinates, at its best address's
 * street line (with city, state and ZIP) through m->gc: 1 with l's point
 * and quality set.  Else 0, with a warning saying why (no street
 * address, or the geocoder's reason); when the geocoder cannot be
 * loaded, m->gc_rc is set (the import stops) and m->gc dropped.
 */
static int place_location(struct asm_ctx *x, struct hsds_location *l)
{
	struct imp_hsds_model *m = x->m;
	const struct hsds_address *ad = best_address(x, l->at.rec, l);
	struct imp_gc none;
	struct imp_gc_place p;
	char *w;
	int rc;

	if (!ad || !ad->line1) {
		hsds_warn(m, l->at.file, l->at.line,
			  "locations without coordinates or a street address "
			  "skipped");
		return 0;
	}
	if (!m->gc)
		imp_gc_init(&none, NULL, 0);
	if ((rc = imp_gc_place(m->gc ? m->gc : &none, ad->line1, ad->city,
			       ad->state, ad->zip, &p, m->gc_err))) {
		m->gc_rc = rc;
		m->gc = NULL;
		return 0;
	}
	if (p.level == GEO_GC_NONE) {
		w = xasprintf("locations without coordinates whose address "
			      "could not be geocoded skipped (%s)",
			      p.why);
		hsds_warn(m, l->at.file, l->at.line, w);
		free(w);
		return 0;
	}
	l->lon = p.lon;
	l->lat = p.lat;
	l->has_point = 1;
	l->quality = geo_gc_level_name(p.level);
	return 1;
}

void hsds_assemble(struct imp_hsds_model *m)
{
	struct asm_ctx x;
	size_t i, k, *head, *next;
	const size_t none = (size_t)-1;

	memset(&x, 0, sizeof(x));
	x.m = m;
	m->counts.organizations = (long)m->orgs.n;
	m->counts.services = (long)m->services.n;
	m->counts.locations = (long)m->locations.n;
	for (i = 0; i < m->locations.n; i++)
		check_location(m, i);
	resolve_links(m);
	implicit_links(m);
	m->counts.links = 0;
	for (i = 0; i < m->sals.n; i++)
		if (!m->sals.v[i].bad && !m->sals.v[i].implicit)
			m->counts.links++;
	resolve_langs(m);

	multi_build(&x.addr, m->addresses.v, m->addresses.n,
		    sizeof(*m->addresses.v));
	multi_build(&x.phone, m->phones.v, m->phones.n, sizeof(*m->phones.v));
	multi_build(&x.sched, m->scheds.v, m->scheds.n, sizeof(*m->scheds.v));
	multi_build(&x.lang, m->langs.v, m->langs.n, sizeof(*m->langs.v));
	multi_build(&x.access, m->access.v, m->access.n, sizeof(*m->access.v));
	multi_build(&x.elig, m->eligs.v, m->eligs.n, sizeof(*m->eligs.v));
	multi_build(&x.term, m->terms.v, m->terms.n, sizeof(*m->terms.v));
	multi_build(&x.cap, m->caps.v, m->caps.n, sizeof(*m->caps.v));
	x.svc_skipped = xcalloc(m->services.n + 1, 1);
	x.svc_sited = xcalloc(m->services.n + 1, 1);

	/* links per location, in file order */
	head = xmalloc((m->locations.n + 1) * sizeof(*head));
	next = xmalloc((m->sals.n + 1) * sizeof(*next));
	for (i = 0; i < m->locations.n; i++)
		head[i] = none;
	for (i = m->sals.n; i-- > 0;) {
		const struct hsds_sal *a = &m->sals.v[i];
		next[i] = none;
		if (a->bad)
			continue;
		next[i] = head[a->loc];
		head[a->loc] = i;
	}
	/* how many sites each location will have (for the names) */
	for (i = 0; i < m->locations.n; i++) {
		struct hsds_location *l = &m->locations.v[i];
		for (k = head[i]; k != none; k = next[k])
			if (!svc_inactive(&m->services.v[m->sals.v[k].svc]))
				l->nsites++;
	}
	for (i = 0; i < m->locations.n; i++) {
		struct hsds_location *l = &m->locations.v[i];
		if (l->bad) {
			/* its services went with the rejected row */
			for (k = head[i]; k != none; k = next[k])
				x.svc_skipped[m->sals.v[k].svc] = 1;
			continue;
		}
		if (loc_virtual(l)) {
			m->counts.locations_virtual++;
			continue;
		}
		if (!l->has_point && !place_location(&x, l)) {
			m->counts.locations_no_point++;
			continue;
		}
		if (l->nlinks == 0) {
			make_site(&x, NULL, NULL, l);
			continue;
		}
		for (k = head[i]; k != none && !l->bad; k = next[k]) {
			const struct hsds_sal *a = &m->sals.v[k];
			const struct hsds_service *s = &m->services.v[a->svc];
			if (svc_inactive(s))
				continue;
			make_site(&x, a, s, l);
		}
	}
	for (i = 0; i < m->services.n; i++) {
		const struct hsds_service *s = &m->services.v[i];
		if (x.svc_sited[i] || x.svc_skipped[i])
			continue;
		if (svc_inactive(s)) {
			m->counts.services_inactive++;
			hsds_warn(m, s->at.file, s->at.line,
				  "inactive or defunct services skipped");
		} else {
			m->counts.services_unlocated++;
			hsds_warn(m, s->at.file, s->at.line,
				  "services with no location that has "
				  "coordinates skipped");
		}
	}
	free(head);
	free(next);
	free(x.svc_skipped);
	free(x.svc_sited);
	multi_free(&x.addr), multi_free(&x.phone), multi_free(&x.sched);
	multi_free(&x.lang), multi_free(&x.access), multi_free(&x.elig);
	multi_free(&x.term), multi_free(&x.cap);
}

/* ---------------------------------------------------------------------
 * Reading a path
 * ------------------------------------------------------------------ */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static const char *last_part(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

/* Where path is a package: its directory (new string), else NULL. */
static char *package_dir(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		char *d = xstrdup(path);
		size_t n = strlen(d);
		while (n > 1 && d[n - 1] == '/')
			d[--n] = '\0';
		return d;
	}
	if (strcmp(last_part(path), "datapackage.json") == 0) {
		const char *s = strrchr(path, '/');
		return s ? xasprintf("%.*s", (int)(s - path), path)
			 : xstrdup(".");
	}
	return NULL;
}

static int read_file(const char *path, char **buf, size_t *len,
		     struct core_err *err)
{
	FILE *fp = fopen(path, "rb");
	struct core_buf b = CORE_BUF_INIT;
	char chunk[65536];
	size_t n;
	int rc = CORE_OK;

	*buf = NULL;
	*len = 0;
	if (!fp)
		return core_err_set(err, CORE_EIO, "cannot open %s: %s", path,
				    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		core_buf_add(&b, chunk, n);
	if (ferror(fp))
		rc = core_err_set(err, CORE_EIO, "cannot read %s: %s", path,
				  strerror(errno));
	fclose(fp);
	if (rc) {
		core_buf_release(&b);
		return rc;
	}
	*len = b.len;
	*buf = b.len ? core_buf_detach(&b) : xstrdup("");
	core_buf_release(&b);
	return CORE_OK;
}

/* Read path (package or JSON) into m and assemble it. */
static int read_into(struct imp_hsds_model *m, const char *path,
		     struct core_err *err)
{
	char *dir = package_dir(path);
	struct stat sb;
	int rc;

	if (dir) {
		rc = hsds_read_package(m, dir, err);
		free(dir);
	} else if (stat(path, &sb) != 0) {
		rc = core_err_set(err, CORE_EIO, "cannot open %s: %s", path,
				  strerror(errno));
	} else if (!S_ISREG(sb.st_mode)) {
		rc = core_err_set(
		    err, CORE_EIO,
		    "%s is not a file or a directory; give an HSDS JSON or "
		    "NDJSON file, or a CSV package's directory",
		    path);
	} else if (ends_with(path, ".csv")) {
		const char *s = strrchr(path, '/');
		rc = core_err_set(
		    err, CORE_EUSAGE,
		    "%s is one table of an HSDS CSV package; give the "
		    "directory that holds the package (%.*s)",
		    last_part(path), s ? (int)(s - path) : 1, s ? path : ".");
	} else {
		char *buf;
		size_t len;
		if ((rc = read_file(path, &buf, &len, err)) == CORE_OK) {
			if (len == 0)
				rc = core_err_set(
				    err, CORE_EFORMAT,
				    "%s is empty (0 bytes); nothing to import",
				    last_part(path));
			else
				rc = hsds_read_json(m, buf, len,
						    last_part(path), err);
			free(buf);
		}
	}
	if (rc == CORE_OK)
		hsds_assemble(m);
	return rc;
}

int imp_hsds_read(const char *path, struct imp_hsds_model **out,
		  struct core_err *err)
{
	struct imp_hsds_model *m = imp_hsds_model_new();
	int rc = read_into(m, path, err);

	if (rc) {
		imp_hsds_model_free(m);
		m = NULL;
	}
	*out = m;
	return rc;
}

int imp_hsds_parse_json(const char *buf, size_t len, const char *name,
			struct imp_hsds_model **out, struct core_err *err)
{
	struct imp_hsds_model *m = imp_hsds_model_new();
	int rc = hsds_read_json(m, buf, len, name ? name : "(memory)", err);

	if (rc == CORE_OK) {
		hsds_assemble(m);
	} else {
		imp_hsds_model_free(m);
		m = NULL;
	}
	*out = m;
	return rc;
}

/* ---------------------------------------------------------------------
 * The import
 * ------------------------------------------------------------------ */

void imp_hsds_stats_release(struct imp_hsds_stats *st)
{
	size_t i;

	if (!st)
		return;
	free(st->format);
	for (i = 0; i < st->nwarnings; i++)
		free(st->warnings[i]);
	free(st->warnings);
	for (i = 0; i < st->nunmatched; i++) {
		free(st->unmatched[i].vocabulary);
		free(st->unmatched[i].term);
	}
	free(st->unmatched);
	memset(st, 0, sizeof(*st));
}

/* AIRS / 211 LA codes: "BD", "BD-1800", "BD-1800.2000-620" (one
 * capital alone says too little). */
static int airs_like(const char *s)
{
	if (!s || !isupper((unsigned char)s[0]))
		return 0;
	s++;
	if (isupper((unsigned char)*s)) {
		s++;
		if (!*s)
			return 1;
	}
	if (*s != '-' || !isdigit((unsigned char)s[1]))
		return 0;
	for (s++; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.' && *s != '-')
			return 0;
	return 1;
}

/* One term of a site: the crosswalk for its vocabulary, then the Open
 * Eligibility names (HSDS publishers use them without saying so), then
 * AIRS codes; the tally records it once under its own vocabulary.  A
 * term the crosswalk lists with no category is known: added to *known,
 * and not reported as unmatched. */
static void match_term(struct imp_xwalk *x, const struct imp_hsds_term *t,
		       struct imp_xwalk_hits *h, struct hsds_ids **known)
{
	struct imp_xwalk_hits mine;
	int n;

	imp_xwalk_hits_clear(&mine);
	n = imp_xwalk_match(x, t->vocabulary, t->term, &mine);
	if (!n && strcmp(t->vocabulary, "open_eligibility") != 0)
		n = imp_xwalk_match(x, "open_eligibility", t->term, &mine);
	if (!n && strcmp(t->vocabulary, "hsds") != 0)
		n = imp_xwalk_match(x, "hsds", t->term, &mine);
	if (!n && airs_like(t->term))
		n = imp_xwalk_match(x, "airs", t->term, &mine);
	imp_xwalk_note(x, t->vocabulary, t->term,
		       mine.ncategories || mine.nprograms ? &mine : NULL);
	if (n && !mine.ncategories && !mine.nprograms) {
		char *k = xasprintf("%s\x1f%s", t->vocabulary, t->term);
		hsds_id_add(known, 0, k, 0);
		free(k);
	}
	{
		size_t i, k;
		for (i = 0; i < mine.ncategories; i++) {
			for (k = 0; k < h->ncategories; k++)
				if (strcmp(h->categories[k],
					   mine.categories[i]) == 0)
					break;
			if (k == h->ncategories && k < IMP_XWALK_MAX_HITS)
				h->categories[h->ncategories++] =
				    mine.categories[i];
		}
		for (i = 0; i < mine.nprograms; i++) {
			for (k = 0; k < h->nprograms; k++)
				if (strcmp(h->programs[k], mine.programs[i]) ==
				    0)
					break;
			if (k == h->nprograms && k < IMP_XWALK_MAX_HITS)
				h->programs[h->nprograms++] = mine.programs[i];
		}
	}
}

struct job {
	struct core_ws *ws;
	const struct imp_hsds_opts *o;
	struct imp_source *src;
	struct imp_hsds_stats *st;
	struct core_err *err;
	struct imp_hsds_model *m;
	struct imp_xwalk *x;
	struct imp_asset_writer *w;
	struct core_progress prog;
	char *label;
	int package;
	struct hsds_ids *known; /* terms the crosswalk lists without a
				 * category */
};

/*
 * Categorise site s through the crosswalk (its taxonomy terms first,
 * else keywords in its name and description), count how it was
 * categorised in j->st, and write it as an asset through j->w; s stays
 * the model's.  Counts the row accepted in j->src.  Returns CORE_OK, or
 * the asset writer's code with j->err set.
 */
static int write_site(struct job *j, const struct imp_hsds_site *s)
{
	struct imp_xwalk_hits h;
	struct imp_asset a;
	size_t i;
	int rc;

	imp_xwalk_next_row(j->x);
	imp_xwalk_hits_clear(&h);
	for (i = 0; i < s->nterms; i++)
		match_term(j->x, &s->terms[i], &h, &j->known);
	if (h.ncategories)
		j->st->by_terms++;
	else if (s->keytext &&
		 imp_xwalk_search(j->x, "keyword", s->keytext, &h) &&
		 h.ncategories)
		j->st->by_keyword++;
	if (!h.ncategories)
		j->st->uncategorized++;

	imp_asset_init(&a);
	a.source_key = s->key;
	a.source_line = s->line;
	a.name = s->name;
	a.organization = s->organization;
	a.address = s->address;
	a.city = s->city;
	a.state = s->state;
	a.zip = s->zip;
	a.phone = s->phone;
	a.website = s->website;
	a.email = s->email;
	a.hours = s->hours;
	a.languages = s->languages;
	a.eligibility = s->eligibility;
	a.description = s->description;
	a.accessibility = s->accessibility;
	a.attrs = s->attrs;
	a.capacity = s->capacity;
	a.age_min = s->age_min;
	a.age_max = s->age_max;
	a.lon = s->lon;
	a.lat = s->lat;
	if (s->quality)
		a.location_quality = s->quality;
	a.categories = h.categories;
	a.ncategories = h.ncategories;
	a.programs = h.programs;
	a.nprograms = h.nprograms;
	if ((rc = imp_asset_write(j->w, &a, NULL, j->err)))
		return rc;
	j->src->rows_accepted++;
	return CORE_OK;
}

/* Rejects first (in the order found), then the sites. */
static int write_all(struct job *j)
{
	struct imp_hsds_model *m = j->m;
	size_t i;
	int rc = CORE_OK;

	for (i = 0; i < m->problems.n && !rc; i++) {
		const struct hsds_problem *p = &m->problems.v[i];
		/* in a package, the message and the stored reject name the
		 * table's file */
		j->src->reject_file = p->file;
		j->src->rows_read++;
		rc = imp_reject(j->ws, j->src, p->line, p->field, p->value,
				j->err, "%s", p->reason);
		j->src->reject_file = NULL;
	}
	j->label = xasprintf("importing %s", j->src->name);
	core_progress_start(&j->prog, j->label, (int64_t)m->sites.n);
	for (i = 0; i < m->sites.n && !rc; i++) {
		j->src->rows_read++;
		rc = write_site(j, &m->sites.v[i]);
		core_progress_tick(&j->prog, (int64_t)i + 1);
	}
	core_progress_end(&j->prog);
	return rc;
}

/* Nothing to import: say why, from the counts. */
static int nothing(struct job *j)
{
	const struct imp_hsds_counts *c = &j->m->counts;

	if (!c->locations)
		return core_err_set(
		    j->err, CORE_EFORMAT,
		    "%s has no locations (read as %s: %ld organizations, %ld "
		    "services); nothing to import",
		    j->src->name, j->m->format, c->organizations, c->services);
	return core_err_set(j->err, CORE_EFORMAT,
			    "%s: none of its %ld locations can be mapped (%ld "
			    "without coordinates or an address that could be "
			    "geocoded, %ld virtual); nothing to import",
			    j->src->name, c->locations, c->locations_no_point,
			    c->locations_virtual);
}

static int by_count(const void *a, const void *b)
{
	const struct hsds_warn *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * Fill j->st from the model and the crosswalk after the sites are
 * written: the format, the counts, the assets written, the warnings as
 * text (the most frequent first, else in the order first seen; this
 * sorts the model's warnings), and the terms no crosswalk entry
 * matched that the crosswalk does not list as known without a category
 * (most assets first).  Strings are new, owned by j->st
 * (imp_hsds_stats_release).  Does nothing when no model was read.
 */
static void fill_stats(struct job *j)
{
	struct imp_hsds_stats *st = j->st;
	struct imp_hsds_model *m = j->m;
	size_t i, n;

	if (!m)
		return;
	free(st->format);
	st->format = xstrdup(imp_hsds_model_format(m));
	st->counts = m->counts;
	st->assets = (long)j->src->rows_accepted;
	/* the most frequent first, else in the order found */
	if (m->warns.n > 1)
		qsort(m->warns.v, m->warns.n, sizeof(*m->warns.v), by_count);
	st->warnings = xcalloc(m->warns.n + 1, sizeof(*st->warnings));
	for (i = 0; i < m->warns.n; i++) {
		struct core_buf b = CORE_BUF_INIT;
		const struct hsds_warn *w = &m->warns.v[i];
		if (w->file && w->line > 0 && w->count > 1)
			core_buf_addf(&b, "%s: %ld (the first at %s line %ld)",
				      w->what, w->count, w->file, w->line);
		else if (w->file && w->line > 0)
			core_buf_addf(&b, "%s (%s line %ld)", w->what, w->file,
				      w->line);
		else
			core_buf_adds(&b, w->what);
		st->warnings[st->nwarnings++] = core_buf_detach(&b);
		st->nwarned += w->count;
	}
	n = imp_xwalk_nterms(j->x);
	for (i = 0; i < n; i++) {
		const struct imp_xwalk_term *t = imp_xwalk_term_get(j->x, i);
		struct imp_hsds_unmatched *u;
		size_t k;
		char *key;
		long known;
		if (t->categories || t->programs)
			continue;
		key = xasprintf("%s\x1f%s", t->vocabulary, t->term);
		known = hsds_id_find(j->known, 0, key);
		free(key);
		if (known >= 0)
			continue;
		st->unmatched =
		    xrealloc(st->unmatched, (st->nunmatched + 1) * sizeof(*u));
		/* most assets first, then first seen */
		for (k = st->nunmatched;
		     k > 0 && st->unmatched[k - 1].assets < t->rows; k--)
			st->unmatched[k] = st->unmatched[k - 1];
		u = &st->unmatched[k];
		u->vocabulary = xstrdup(t->vocabulary);
		u->term = xstrdup(t->term);
		u->assets = (long)t->rows;
		st->nunmatched++;
	}
}

static int set_warnings(struct job *j)
{
	sqlite3_stmt *st = NULL;
	int64_t n = 0;
	size_t i;
	int rc;

	for (i = 0; i < j->m->warns.n; i++)
		n += j->m->warns.v[i].count;
	if ((rc = core_ws_prepare(
		 j->ws, j->err, &st,
		 "UPDATE sources SET warnings = ? WHERE id = ?")))
		return rc;
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_int64(st, 2, j->src->id);
	rc = core_ws_step(j->ws, j->err, st);
	sqlite3_finalize(st);
	return rc;
}

int imp_hsds_import(struct core_ws *ws, const struct imp_hsds_opts *o,
		    struct imp_source *src, struct imp_hsds_stats *stats,
		    struct core_err *err)
{
	struct imp_hsds_stats mine;
	struct job j;
	struct imp_utf8 u;
	char *dir = NULL;
	struct imp_bulk bulk = {0};
	struct imp_gc gc;
	int rc, worst = 0;

	imp_gc_init(&gc, ws, 0);
	memset(&j, 0, sizeof(j));
	memset(&mine, 0, sizeof(mine));
	j.ws = ws;
	j.o = o;
	j.src = src;
	j.st = stats ? stats : &mine;
	j.err = err;
	src->skip_bad = o->skip_bad;
	src->csv_lines = 1;
	if (!o->path) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "no file or directory to import");
		goto cleanup;
	}

	/* the file scan: checksum, and UTF-8 for a JSON file */
	if ((dir = package_dir(o->path)) != NULL) {
		char real[PATH_MAX];
		free(src->arg);
		src->arg = xstrdup(o->path);
		free(src->path);
		src->path = xstrdup(realpath(dir, real) ? real : dir);
		free(src->name);
		src->name = xstrdup(last_part(src->path));
		j.package = 1;
	} else if (!ends_with(o->path, ".csv")) {
		if ((rc = imp_source_scan(src, o->path, 0, &u, err)))
			goto cleanup;
		if (u.bad) {
			rc = core_err_set(
			    err, CORE_EFORMAT,
			    "%s line %ld: byte 0x%02x is not UTF-8 text; JSON "
			    "must be UTF-8 (convert it with 'iconv -f "
			    "WINDOWS-1252 -t UTF-8')",
			    src->name, u.line, u.byte);
			goto cleanup;
		}
	}
	if ((rc = imp_gc_worst_opt(o->geocode_worst, &worst, err)))
		goto cleanup;
	imp_gc_init(&gc, ws, worst);
	j.m = imp_hsds_model_new();
	j.m->gc = &gc;
	j.m->gc_err = err;
	rc = read_into(j.m, o->path, err);
	if (!rc && j.m->gc_rc)
		rc = j.m->gc_rc;
	if (rc)
		goto cleanup;
	if (j.package) {
		free(src->checksum);
		src->checksum = xstrdup(j.m->checksum ? j.m->checksum : "");
	}
	free(src->format);
	src->format = xstrdup(imp_hsds_model_format(j.m));
	free(src->options);
	src->options =
	    o->skip_bad || !o->merge
		? xasprintf("%s%s%s", o->skip_bad ? "--skip-bad" : "",
			    o->skip_bad && !o->merge ? " " : "",
			    o->merge ? "" : "--no-merge")
		: NULL;
	if (worst) {
		struct core_buf b = CORE_BUF_INIT;
		if (src->options)
			core_buf_adds(&b, src->options);
		imp_opt_add(&b, "geocode-worst", geo_gc_level_name(worst));
		free(src->options);
		src->options = core_buf_detach(&b);
	}
	if (!j.m->sites.n && !j.m->problems.n) {
		rc = nothing(&j);
		goto cleanup;
	}
	if ((rc = imp_xwalk_new(ws, &j.x, err)))
		goto cleanup;

	if ((rc = imp_asset_write_begin(ws, &bulk, src, o->merge, &j.w, err)))
		goto cleanup;
	if ((rc = write_all(&j)) || (rc = imp_asset_writer_finish(j.w, err)))
		goto cleanup;
	imp_asset_writer_free(j.w);
	j.w = NULL;
	if ((rc = imp_xwalk_save(j.x, ws, src->id, err)) ||
	    (rc = imp_source_close(ws, src, err)) || (rc = set_warnings(&j)))
		goto cleanup;
	rc = core_ws_commit(ws, err);
cleanup:
	imp_asset_writer_free(j.w);
	if (rc)
		core_ws_rollback(ws);
	imp_bulk_end(ws, &bulk);
	imp_source_end_rejects(src);
	if (j.m)
		fill_stats(&j);
	j.st->geocoded = gc.n;
	imp_gc_release(&gc);
	core_progress_end(&j.prog);
	imp_xwalk_free(j.x);
	hsds_ids_free(j.known);
	imp_hsds_model_free(j.m);
	imp_hsds_stats_release(&mine);
	free(j.label);
	free(dir);
	return rc;
}
