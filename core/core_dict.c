/*
 * core_dict.c - the data dictionary (data/indicators.csv) and the words
 * for indicators and sources.  See core_dict.h.
 */
#include "core/core_dict.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_csv.h"
#include "core/core_mem.h"
#include "core/core_taxonomy.h"

/* Loaded once, kept for the process; still reachable at exit. */
static struct core_dict_entry *dict;
static size_t ndict;
static int dict_tried;
static pthread_mutex_t dict_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const dict_cols[] = {"code",	 "short_label", "long_label",
					"unit",	 "publisher",	"dataset",
					"years", "direction"};
#define NDICT_COLS (sizeof(dict_cols) / sizeof(dict_cols[0]))

static int entry_cmp(const void *a, const void *b)
{
	return strcasecmp(((const struct core_dict_entry *)a)->code,
			  ((const struct core_dict_entry *)b)->code);
}

static int load_locked(const char *dir, struct core_err *err)
{
	char *path =
	    xasprintf("%s/indicators.csv", dir ? dir : core_data_dir());
	struct core_csv *c = core_csv_open(path, err);
	struct core_dict_entry *v = NULL;
	size_t n = 0, cap = 0, k;
	int idx[NDICT_COLS];
	int rc = CORE_OK;

	if (!c) {
		rc = err->code ? err->code : CORE_EIO;
		goto cleanup;
	}
	for (k = 0; k < NDICT_COLS; k++) {
		idx[k] = core_csv_col(c, dict_cols[k]);
		if (idx[k] < 0 && k < 2) {
			rc = core_err_set(err, CORE_EFORMAT,
					  "%s line 1: missing column '%s'",
					  path, dict_cols[k]);
			goto cleanup;
		}
	}
	while ((rc = core_csv_next(c, err)) == 1) {
		const char **f;

		if (!*core_csv_get(c, (size_t)idx[0]))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = xrealloc(v, cap * sizeof(*v));
		}
		f = (const char **)&v[n];
		for (k = 0; k < NDICT_COLS; k++)
			f[k] = xstrdup(
			    idx[k] >= 0 ? core_csv_get(c, (size_t)idx[k]) : "");
		if (!*v[n].short_label) {
			free((char *)v[n].short_label);
			v[n].short_label = xstrdup(v[n].code);
		}
		if (!*v[n].long_label) {
			free((char *)v[n].long_label);
			v[n].long_label = xstrdup(v[n].short_label);
		}
		n++;
	}
	if (rc < 0) {
		rc = err->code ? err->code : CORE_EFORMAT;
		goto cleanup;
	}
	rc = CORE_OK;
	qsort(v, n, sizeof(*v), entry_cmp);
	dict = v;
	ndict = n;
	v = NULL;
	n = 0;
cleanup:
	for (k = 0; k < n; k++) {
		const char **f = (const char **)&v[k];
		size_t i;

		for (i = 0; i < NDICT_COLS; i++)
			free((char *)f[i]);
	}
	free(v);
	core_csv_free(c);
	free(path);
	return rc;
}

int core_dict_load(const char *dir, struct core_err *err)
{
	int rc = CORE_OK;

	pthread_mutex_lock(&dict_lock);
	if (!dict) {
		rc = load_locked(dir, err);
		dict_tried = 1;
	}
	pthread_mutex_unlock(&dict_lock);
	return rc;
}

const struct core_dict_entry *core_dict_find(const char *name)
{
	struct core_dict_entry key;
	struct core_err err = CORE_ERR_INIT;

	if (!name || !*name)
		return NULL;
	pthread_mutex_lock(&dict_lock);
	if (!dict && !dict_tried) {
		load_locked(NULL, &err);
		dict_tried = 1;
	}
	pthread_mutex_unlock(&dict_lock);
	if (!dict)
		return NULL;
	key.code = name;
	return bsearch(&key, dict, ndict, sizeof(*dict), entry_cmp);
}

/* ---------------------------------------------------------------------
 * Words for an indicator
 * ------------------------------------------------------------------ */

static char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t && *t ? xstrdup((const char *)t) : NULL;
}

void core_words_indicator(struct core_ws *ws, const char *name,
			  struct core_words *w)
{
	const struct core_dict_entry *e = core_dict_find(name);
	char *ulabel = NULL, *uunit = NULL, *ilabel = NULL, *iunit = NULL;
	char *pub = NULL, *ds = NULL, *yr = NULL;
	int iyear = 0;
	sqlite3_stmt *st = NULL;

	memset(w, 0, sizeof(*w));
	if (ws && sqlite3_prepare_v2(ws->db,
				     "SELECT label, unit FROM indicator_labels"
				     " WHERE name = ?1",
				     -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			ulabel = col_text(st, 0);
			uunit = col_text(st, 1);
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	/* the importer's own words, and the source's publisher */
	if (ws && sqlite3_prepare_v2(
		      ws->db,
		      "SELECT i.label, i.unit, i.year, l.publisher, l.dataset,"
		      " l.year FROM (SELECT ?1 AS name) q"
		      " LEFT JOIN indicator_info i ON i.name = q.name"
		      " LEFT JOIN source_labels l ON l.source_id = coalesce("
		      "  i.source_id, (SELECT source_id FROM indicators"
		      "   WHERE name = q.name LIMIT 1))",
		      -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			ilabel = col_text(st, 0);
			iunit = col_text(st, 1);
			iyear = sqlite3_column_int(st, 2);
			pub = col_text(st, 3);
			ds = col_text(st, 4);
			yr = col_text(st, 5);
		}
	}
	sqlite3_finalize(st);

	w->from_user = ulabel != NULL;
	w->label = xstrdup(ulabel   ? ulabel
			   : e	    ? e->short_label
			   : ilabel ? ilabel
				    : name);
	w->long_label = xstrdup(ulabel	 ? ulabel
				: e	 ? e->long_label
				: ilabel ? ilabel
					 : name);
	w->unit = xstrdup_or_null(uunit		  ? uunit
				  : e && *e->unit ? e->unit
						  : iunit);
	if (pub) {
		w->publisher = pub;
		w->dataset = ds;
		pub = ds = NULL;
	} else if (e && *e->publisher) {
		w->publisher = xstrdup(e->publisher);
		w->dataset = *e->dataset ? xstrdup(e->dataset) : NULL;
	}
	if (yr) {
		w->year = yr;
		yr = NULL;
	} else if (iyear > 0) {
		w->year = xasprintf("%d", iyear);
	}
	free(ulabel);
	free(uunit);
	free(ilabel);
	free(iunit);
	free(pub);
	free(ds);
	free(yr);
}

void core_words_release(struct core_words *w)
{
	free(w->label);
	free(w->long_label);
	free(w->unit);
	free(w->publisher);
	free(w->dataset);
	free(w->year);
	memset(w, 0, sizeof(*w));
}

char *core_words_credit(const char *publisher, const char *dataset,
			const char *year)
{
	struct core_buf b = CORE_BUF_INIT;
	const char *p[3] = {publisher, dataset, year};
	size_t i;

	for (i = 0; i < 3; i++)
		if (p[i] && *p[i])
			core_buf_addf(&b, "%s%s", b.len ? " " : "", p[i]);
	return b.len ? core_buf_detach(&b) : NULL;
}

/* ---------------------------------------------------------------------
 * Sources
 * ------------------------------------------------------------------ */

static const char *kind_words(const char *kind)
{
	static const char *const k[][2] = {
	    {"assets", "Community assets"},
	    {"areas", "Boundaries"},
	    {"indicators", "Indicators"},
	    {"roads", "Roads"},
	    {"addresses", "Address reference"},
	    {"partners", "Partner register"},
	    {"scan", "Community scan"},
	};
	size_t i;

	for (i = 0; kind && i < sizeof(k) / sizeof(k[0]); i++)
		if (!strcmp(kind, k[i][0]))
			return k[i][1];
	return "Data";
}

char *core_source_credit(struct core_ws *ws, int64_t id)
{
	sqlite3_stmt *st = NULL;
	char *out = NULL;

	if (sqlite3_prepare_v2(ws->db,
			       "SELECT s.kind, l.publisher, l.dataset, l.year"
			       " FROM sources s LEFT JOIN source_labels l"
			       " ON l.source_id = s.id WHERE s.id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		goto cleanup;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto cleanup;
	{
		const char *kind = (const char *)sqlite3_column_text(st, 0);

		if (kind && !strcmp(kind, "cohort"))
			goto cleanup;
		out =
		    core_words_credit((const char *)sqlite3_column_text(st, 1),
				      (const char *)sqlite3_column_text(st, 2),
				      (const char *)sqlite3_column_text(st, 3));
		if (!out)
			out = xasprintf("%s (source not named)",
					kind_words(kind));
	}
cleanup:
	sqlite3_finalize(st);
	return out;
}

int core_source_label_set(struct core_ws *ws, int64_t id, const char *publisher,
			  const char *dataset, const char *year,
			  struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = core_ws_prepare(
		 ws, err, &st,
		 "INSERT OR REPLACE INTO source_labels(source_id, publisher,"
		 " dataset, year) VALUES(?1, ?2, ?3, ?4)")))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (publisher)
		sqlite3_bind_text(st, 2, publisher, -1, SQLITE_STATIC);
	if (dataset)
		sqlite3_bind_text(st, 3, dataset, -1, SQLITE_STATIC);
	if (year)
		sqlite3_bind_text(st, 4, year, -1, SQLITE_STATIC);
	rc = core_ws_step(ws, err, st);
	sqlite3_finalize(st);
	return rc;
}

/* A copy of s[0..n) without surrounding blanks; NULL when empty. */
static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n ? xasprintf("%.*s", (int)n, s) : NULL;
}

static int is_year(const char *y)
{
	size_t n = strlen(y), i;

	if (n != 4 && n != 9)
		return 0;
	for (i = 0; i < n; i++)
		if (i == 4 ? y[i] != '-' : !isdigit((unsigned char)y[i]))
			return 0;
	return 1;
}

int core_source_label_parse(const char *text, char **publisher, char **dataset,
			    char **year, struct core_err *err)
{
	char *part[3] = {NULL, NULL, NULL};
	const char *p = text, *bar;
	int n = 0, rc = CORE_OK, k;

	*publisher = *dataset = *year = NULL;
	for (;;) {
		bar = strchr(p, '|');
		if (n == 3) {
			rc =
			    core_err_set(err, CORE_EUSAGE,
					 "'%s' has more than three parts; give "
					 "'PUBLISHER|DATASET|YEAR', e.g. "
					 "'DataSF|Census tracts|2010'",
					 text);
			goto cleanup;
		}
		part[n++] = trimmed(p, bar ? (size_t)(bar - p) : strlen(p));
		if (!bar)
			break;
		p = bar + 1;
	}
	if (!part[0]) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "'%s' names no publisher; give "
				  "'PUBLISHER|DATASET|YEAR', e.g. "
				  "'DataSF|Census tracts|2010'",
				  text);
		goto cleanup;
	}
	if (part[2] && !is_year(part[2])) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "'%s': the year '%s' is not YYYY or "
				  "YYYY-YYYY",
				  text, part[2]);
		goto cleanup;
	}
	*publisher = part[0];
	*dataset = part[1];
	*year = part[2];
	part[0] = part[1] = part[2] = NULL;
cleanup:
	for (k = 0; k < 3; k++)
		free(part[k]);
	return rc;
}

/* ---------------------------------------------------------------------
 * Categories in a sentence
 * ------------------------------------------------------------------ */

char *core_category_phrase(struct core_ws *ws, const char *code)
{
	sqlite3_stmt *st = NULL;
	struct core_buf b = CORE_BUF_INIT;
	const char *name = NULL, *p, *w;

	if (ws && sqlite3_prepare_v2(
		      ws->db, "SELECT name FROM categories WHERE code = ?1", -1,
		      &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			name = (const char *)sqlite3_column_text(st, 0);
	}
	if (!name || !*name) {
		/* a code: its words */
		for (p = code; *p; p++)
			core_buf_addc(&b, *p == '_' ? ' ' : *p);
		goto done;
	}
	/* "Primary Care" -> "primary care"; "ECM" and "WIC" stay. */
	for (p = name; *p;) {
		int upper = 0;

		for (w = p; *w && *w != ' '; w++)
			upper += isupper((unsigned char)*w) != 0;
		for (; p < w; p++)
			core_buf_addc(
			    &b,
			    upper > 1 ? *p : (char)tolower((unsigned char)*p));
		if (*p)
			core_buf_addc(&b, *p++);
	}
done:
	sqlite3_finalize(st);
	return core_buf_detach(&b);
}

char *core_sentence(const char *phrase)
{
	char *s = xstrdup(phrase);

	if (*s)
		s[0] = (char)toupper((unsigned char)s[0]);
	return s;
}
