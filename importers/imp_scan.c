/*
 * imp_scan.c - the environmental scan's tallies into trusted_count.  See
 * imp_scan.h.
 *
 * One pass over the file inside one transaction: each row is checked,
 * then matched (imp_match.h), and its tally inserted into scan_tallies,
 * whose triggers add it to assets.trusted_count; the earlier import of
 * the same file, replaced by imp_source_open, takes its tallies back as
 * its rows go.  A refused file is rolled back whole.
 */
#include "importers/imp_scan.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_csv.h"
#include "core/core_mem.h"
#include "importers/imp_asset.h"
#include "importers/imp_match.h"
#include "importers/imp_xwalk.h"

enum { C_NAME, C_CATEGORY, C_TIMES, C_ADDRESS, C_CITY, C_ZIP, C_COUNT };

static const char *const col_names[C_COUNT] = {
    "name", "category", "times_named", "address", "city", "zip"};

/* A resource this file added, and the keys later rows find it by. */
struct added {
	char *key; /* normalized name, address and ZIP */
	int64_t id;
};

struct job {
	struct core_ws *ws;
	const struct imp_scan_opts *o;
	struct imp_source *src;
	struct imp_scan_stats *st;
	struct core_err *err;
	struct core_csv *csv;
	int col[C_COUNT]; /* the file's column of each, -1 absent */
	struct imp_matcher *m;
	struct imp_xwalk *xw;
	struct imp_asset_writer *w;
	struct imp_gc gc;
	sqlite3_stmt *tally;
	struct added *added;
	size_t nadded, cap_added;
	size_t cap_unmatched;
	int64_t prev_source; /* the import of this file replaced, or 0 */
	int64_t *prev_added; /* the assets it added */
	size_t nprev_added;
};

/* ---------------------------------------------------------------------
 * The header
 * ------------------------------------------------------------------ */

/* Find the columns; a missing required one, or one given twice, refuses
 * the file. */
static int read_header(struct job *j)
{
	struct core_buf have = CORE_BUF_INIT, ignored = CORE_BUF_INIT;
	size_t n = core_csv_nheader(j->csv), i;
	int c, rc = CORE_OK;

	for (c = 0; c < C_COUNT; c++)
		j->col[c] = -1;
	for (i = 0; i < n; i++) {
		const char *h = core_csv_header(j->csv, i);

		core_buf_addf(&have, "%s%s", i ? ", " : "", h);
		for (c = 0; c < C_COUNT; c++)
			if (imp_name_eq(h, col_names[c]))
				break;
		if (c == C_COUNT) {
			core_buf_addf(&ignored, "%s%s", ignored.len ? ", " : "",
				      h);
			continue;
		}
		if (j->col[c] >= 0) {
			rc = core_err_set(
			    j->err, CORE_EFORMAT,
			    "%s line 1: the column '%s' is given twice "
			    "(columns %d and %zu); keep one",
			    j->src->name, col_names[c], j->col[c] + 1, i + 1);
			goto cleanup;
		}
		j->col[c] = (int)i;
	}
	for (c = C_NAME; c <= C_TIMES; c++)
		if (j->col[c] < 0) {
			rc = core_err_set(
			    j->err, CORE_EFORMAT,
			    "%s line 1: no column '%s'; a scan file has the "
			    "columns name, category and times_named (and may "
			    "have address, city and zip); its columns are %s",
			    j->src->name, col_names[c], core_buf_str(&have));
			goto cleanup;
		}
	if (ignored.len)
		j->st->ignored_columns = core_buf_detach(&ignored);
cleanup:
	core_buf_release(&have);
	core_buf_release(&ignored);
	return rc;
}

/* ---------------------------------------------------------------------
 * One row
 * ------------------------------------------------------------------ */

/* Field c of the current row, trimmed (caller frees); "" when the file
 * has no such column. */
static char *field(const struct job *j, int c)
{
	return imp_trim_dup(
	    j->col[c] < 0 ? "" : core_csv_get(j->csv, (size_t)j->col[c]));
}

static const char *header(const struct job *j, int c)
{
	return core_csv_header(j->csv, (size_t)j->col[c]);
}

/* times_named: a whole number from 1 to IMP_SCAN_TIMES_MAX; 0 when it
 * is not one. */
static long parse_times(const char *s)
{
	long v = 0;

	if (!*s)
		return 0;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return 0;
		v = v * 10 + (*s - '0');
		if (v > IMP_SCAN_TIMES_MAX)
			return 0;
	}
	return v;
}

static void unmatched_add(struct job *j, long line, const char *name,
			  enum imp_scan_fate fate, int64_t id, char *why)
{
	struct imp_scan_row *r;

	xgrow((void **)&j->st->unmatched, &j->cap_unmatched,
	      j->st->nunmatched + 1, sizeof(*r));
	r = &j->st->unmatched[j->st->nunmatched++];
	r->line = line;
	r->name = xstrdup(name);
	r->fate = fate;
	r->asset_id = id;
	r->why = why;
	if (fate == IMP_SCAN_NOT_LOADED)
		j->st->not_loaded++;
}

static int insert_tally(struct job *j, long line, int64_t id, long times,
			int added)
{
	sqlite3_stmt *st = j->tally;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, j->src->id);
	sqlite3_bind_int64(st, 2, line);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int64(st, 4, times);
	sqlite3_bind_int(st, 5, added);
	if (sqlite3_step(st) != SQLITE_DONE)
		return core_ws_dberr(j->ws, j->err, "storing the tally");
	j->st->times_named += times;
	j->src->rows_accepted++;
	return CORE_OK;
}

/* "ADDRESS, CITY, ZIP" for the matcher (NULL without an address; caller
 * frees). */
static char *address_text(const char *addr, const char *city, const char *zip)
{
	struct core_buf b = CORE_BUF_INIT;

	if (!*addr)
		return NULL;
	core_buf_adds(&b, addr);
	if (*city)
		core_buf_addf(&b, ", %s", city);
	if (*zip)
		core_buf_addf(&b, ", %s", zip);
	return core_buf_detach(&b);
}

/* The keys a resource this file adds is found by on a later row. */
static char *added_key(const char *name, const char *addr_text)
{
	char *n = imp_asset_norm_name(name),
	     *a = imp_asset_norm_address(addr_text ? addr_text : "");
	char *k =
	    xasprintf("%s\x1f%s\x1f%d", n, a, imp_asset_zip5(NULL, addr_text));

	free(n);
	free(a);
	return k;
}

/* "4, 9 and 12": the ids of the assets a name (and address) matches. */
static char *candidates(const struct job *j, const char *name, const char *addr)
{
	int64_t ids[5];
	size_t n = imp_matcher_list(j->m, name, addr, ids, 5), i;
	struct core_buf b = CORE_BUF_INIT;

	for (i = 0; i < n && i < 5; i++)
		core_buf_addf(&b, "%s%lld",
			      i == 0 ? "" : (i + 1 == n ? " and " : ", "),
			      (long long)ids[i]);
	if (n > 5)
		core_buf_addf(&b, " and %zu more", n - 5);
	return core_buf_detach(&b);
}

/*
 * Add the resource of a row no asset matched, when its address can be
 * placed: a new informal asset, or the one an earlier row of this file
 * added with the same keys.  Otherwise list the row as not loaded.
 */
static int add_resource(struct job *j, long line, const char *name,
			const char *addr, const char *city, const char *zip,
			const char *addr_text, const struct imp_xwalk_hits *h,
			long times)
{
	struct imp_gc_place p;
	struct imp_asset a;
	char *key, buf[256];
	size_t i;
	int64_t id = 0;
	int rc;

	if (!addr_text) {
		unmatched_add(j, line, name, IMP_SCAN_NOT_LOADED, 0,
			      xstrdup("no asset has that name, and the row has "
				      "no address to add it by: give its "
				      "address, or add it with 'assetmap add "
				      "asset --trusted N'"));
		return CORE_OK;
	}
	key = added_key(name, addr_text);
	for (i = 0; i < j->nadded; i++)
		if (strcmp(j->added[i].key, key) == 0)
			break;
	if (i < j->nadded) {
		free(key);
		unmatched_add(j, line, name, IMP_SCAN_ADDED, j->added[i].id,
			      NULL);
		j->st->added_rows++;
		return insert_tally(j, line, j->added[i].id, times, 1);
	}
	if ((rc = imp_gc_place(&j->gc, addr, city, NULL, zip, &p, j->err))) {
		free(key);
		return rc;
	}
	if (!p.level) {
		free(key);
		if (p.why == imp_gc_why_empty)
			unmatched_add(
			    j, line, name, IMP_SCAN_NOT_LOADED, 0,
			    xstrdup("no asset has that name and address, and "
				    "the workspace has no reference addresses "
				    "to place it by ('assetmap import "
				    "addresses')"));
		else
			unmatched_add(j, line, name, IMP_SCAN_NOT_LOADED, 0,
				      xasprintf("no asset has that name and "
						"address, and the address "
						"could not be placed: %s",
						p.why ? p.why : "no match"));
		return CORE_OK;
	}
	imp_asset_init(&a);
	a.name = name;
	a.address = addr;
	a.city = *city ? city : NULL;
	a.zip = *zip ? zip : NULL;
	a.formal = 0;
	a.location_quality = geo_gc_level_name(p.level);
	a.lon = p.lon;
	a.lat = p.lat;
	a.categories = h->categories;
	a.ncategories = h->ncategories;
	a.programs = h->programs;
	a.nprograms = h->nprograms;
	snprintf(buf, sizeof(buf),
		 "named as trusted in the environmental "
		 "scan (%s line %ld)",
		 j->src->name, line);
	a.description = buf;
	if (!j->w && (rc = imp_asset_writer_new(j->ws, NULL, 0, &j->w, j->err)))
		goto fail;
	if ((rc = imp_asset_write(j->w, &a, &id, j->err)))
		goto fail;
	xgrow((void **)&j->added, &j->cap_added, j->nadded + 1,
	      sizeof(*j->added));
	j->added[j->nadded].key = key;
	j->added[j->nadded++].id = id;
	j->st->added_assets++;
	j->st->added_rows++;
	unmatched_add(j, line, name, IMP_SCAN_ADDED, id, NULL);
	return insert_tally(j, line, id, times, 1);
fail:
	free(key);
	return rc;
}

/* Check, match and load the current row. */
static int row(struct job *j)
{
	long line = core_csv_line(j->csv), times;
	char *name = field(j, C_NAME), *cat = field(j, C_CATEGORY),
	     *tn = field(j, C_TIMES), *addr = field(j, C_ADDRESS),
	     *city = field(j, C_CITY), *zip = field(j, C_ZIP), *addr_text;
	struct imp_xwalk_hits h;
	struct imp_strlist items = {0};
	struct core_buf why = CORE_BUF_INIT;
	size_t i, f;
	int64_t id = 0;
	int rc = CORE_OK;

	j->src->rows_read++;
	j->st->rows++;
	addr_text = address_text(addr, city, zip);
	if (core_csv_check_width(j->csv, &f, &why)) {
		/* an extra field has no name: "column 5" */
		char col[32];

		snprintf(col, sizeof(col), "column %zu", f + 1);
		rc = imp_reject(j->ws, j->src, line,
				f < core_csv_nheader(j->csv)
				    ? core_csv_header(j->csv, f)
				    : col,
				NULL, j->err, "%s", core_buf_str(&why));
		goto cleanup;
	}
	if (!*name) {
		rc = imp_reject(j->ws, j->src, line, header(j, C_NAME), NULL,
				j->err,
				"is empty: give the resource's name as it was "
				"named");
		goto cleanup;
	}
	imp_xwalk_hits_clear(&h);
	imp_strlist_split(&items, cat, ";,", 0);
	if (!items.n) {
		rc = imp_reject(j->ws, j->src, line, header(j, C_CATEGORY),
				NULL, j->err,
				"is empty: give a category code such as "
				"social_connection ('assetmap categories' "
				"lists them)");
		goto cleanup;
	}
	for (i = 0; i < items.n; i++)
		if (!imp_xwalk_category(j->xw, items.v[i], &h)) {
			core_buf_reset(&why);
			imp_xwalk_category_hint(j->xw, items.v[i], &why);
			rc = imp_reject(j->ws, j->src, line,
					header(j, C_CATEGORY), items.v[i],
					j->err, "is not a category; %s",
					core_buf_str(&why));
			goto cleanup;
		}
	times = parse_times(tn);
	if (!times) {
		rc = imp_reject(j->ws, j->src, line, header(j, C_TIMES),
				*tn ? tn : NULL, j->err,
				"%s: how many times the resource was named, a "
				"whole number from 1 to %d",
				*tn ? "is not a number of times named"
				    : "is empty",
				IMP_SCAN_TIMES_MAX);
		goto cleanup;
	}
	if (j->src->rows_rejected && !j->o->skip_bad)
		goto cleanup; /* refused anyway: only the rejects matter */
	switch (imp_matcher_find(j->m, name, addr_text, &id, NULL)) {
	case IMP_MATCH_ONE:
		j->st->matched++;
		/* an asset the earlier import of this file added stays this
		 * file's, for the orphans of the next import */
		for (i = 0; i < j->nprev_added; i++)
			if (j->prev_added[i] == id)
				break;
		rc = insert_tally(j, line, id, times, i < j->nprev_added);
		break;
	case IMP_MATCH_AMBIGUOUS: {
		char *ids = candidates(j, name, addr_text);

		unmatched_add(
		    j, line, name, IMP_SCAN_NOT_LOADED, 0,
		    xasprintf("%s match%s several assets (%s): not "
			      "guessed; %s",
			      addr_text ? "its name and address" : "its name",
			      addr_text ? "" : "es", ids,
			      addr_text ? "tell them apart in the "
					  "workspace first"
					: "give its address"));
		free(ids);
		break;
	}
	case IMP_MATCH_NONE:
		rc = add_resource(j, line, name, addr, city, zip, addr_text, &h,
				  times);
		break;
	}
cleanup:
	imp_strlist_free(&items);
	core_buf_release(&why);
	free(name);
	free(cat);
	free(tn);
	free(addr);
	free(city);
	free(zip);
	free(addr_text);
	return rc;
}

/* ---------------------------------------------------------------------
 * The import
 * ------------------------------------------------------------------ */

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Before the earlier import of the same file is replaced: what its
 * tallies added and which assets it added. */
static int read_previous(struct job *j)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	if ((rc = core_ws_prepare(j->ws, j->err, &st,
				  "SELECT id FROM sources WHERE kind = 'scan'"
				  " AND path = ?1")))
		return rc;
	sqlite3_bind_text(st, 1, j->src->path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		j->prev_source = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (!j->prev_source)
		return CORE_OK;
	j->st->replaced = 1;
	if ((rc = core_ws_prepare(
		 j->ws, j->err, &st,
		 "SELECT coalesce(sum(times_named), 0) FROM scan_tallies"
		 " WHERE source_id = ?1")))
		return rc;
	sqlite3_bind_int64(st, 1, j->prev_source);
	if (sqlite3_step(st) == SQLITE_ROW)
		j->st->replaced_times = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if ((rc = core_ws_prepare(j->ws, j->err, &st,
				  "SELECT DISTINCT asset_id FROM scan_tallies"
				  " WHERE source_id = ?1 AND added = 1"
				  " ORDER BY asset_id")))
		return rc;
	sqlite3_bind_int64(st, 1, j->prev_source);
	while (sqlite3_step(st) == SQLITE_ROW) {
		xgrow((void **)&j->prev_added, &cap, j->nprev_added + 1,
		      sizeof(int64_t));
		j->prev_added[j->nprev_added++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return CORE_OK;
}

/* After the rows: the assets the earlier import added that this one
 * does not name, and how many distinct assets it names. */
static int read_after(struct job *j)
{
	sqlite3_stmt *st = NULL;
	size_t i, k, cap = 0;
	int rc;

	if ((rc = core_ws_prepare(j->ws, j->err, &st,
				  "SELECT count(DISTINCT asset_id) FROM "
				  "scan_tallies WHERE source_id = ?1")))
		return rc;
	sqlite3_bind_int64(st, 1, j->src->id);
	if (sqlite3_step(st) == SQLITE_ROW)
		j->st->assets_named = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if ((rc = core_ws_prepare(j->ws, j->err, &st,
				  "SELECT 1 FROM scan_tallies WHERE source_id "
				  "= ?1 AND asset_id = ?2")))
		return rc;
	for (i = 0; i < j->nprev_added; i++) {
		int named;

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, j->src->id);
		sqlite3_bind_int64(st, 2, j->prev_added[i]);
		named = sqlite3_step(st) == SQLITE_ROW;
		if (named)
			continue;
		for (k = 0; k < j->st->norphans; k++)
			if (j->st->orphans[k] == j->prev_added[i])
				break;
		if (k < j->st->norphans)
			continue;
		xgrow((void **)&j->st->orphans, &cap, j->st->norphans + 1,
		      sizeof(int64_t));
		j->st->orphans[j->st->norphans++] = j->prev_added[i];
	}
	sqlite3_finalize(st);
	if (j->st->norphans > 1)
		qsort(j->st->orphans, j->st->norphans, sizeof(int64_t), cmp_id);
	return CORE_OK;
}

int imp_scan_import(struct core_ws *ws, const struct imp_scan_opts *o,
		    struct imp_source *src, struct imp_scan_stats *stats,
		    struct core_err *err)
{
	struct job j;
	const char *open_path = o->path;
	struct core_buf opts = CORE_BUF_INIT;
	int rc, step, began = 0, worst = 0;
	size_t i;

	memset(&j, 0, sizeof(j));
	j.ws = ws;
	j.o = o;
	j.src = src;
	j.st = stats;
	j.err = err;
	if ((rc = imp_gc_worst_opt(o->geocode_worst, &worst, err)))
		return rc;
	imp_gc_init(&j.gc, ws, worst);
	src->csv_lines = 1;
	src->skip_bad = o->skip_bad;
	free(src->format);
	src->format = xstrdup("scan");
	if ((rc =
		 imp_source_text(src, o->path, IMP_TEXT_CSV | IMP_TEXT_KEEP_BOM,
				 &open_path, err)))
		goto cleanup;
	if (!(j.csv = core_csv_open_as(open_path, src->name, 0, err))) {
		rc = CORE_EFORMAT;
		goto cleanup;
	}
	if ((rc = read_header(&j)))
		goto cleanup;
	if (o->geocode_worst)
		imp_opt_add(&opts, "--geocode-worst", o->geocode_worst);
	imp_opt_finish(&opts, o->skip_bad, src);
	if ((rc = imp_xwalk_new(ws, &j.xw, err)) ||
	    (rc = core_ws_begin(ws, err)))
		goto cleanup;
	began = 1;
	if ((rc = read_previous(&j)) || (rc = imp_source_open(ws, src, err)) ||
	    (rc = imp_matcher_new(ws, &j.m, err)) ||
	    (rc = core_ws_prepare(ws, err, &j.tally,
				  "INSERT INTO scan_tallies(source_id, line,"
				  " asset_id, times_named, added)"
				  " VALUES (?1, ?2, ?3, ?4, ?5)")))
		goto cleanup;
	while ((step = core_csv_next(j.csv, err)) == 1)
		if ((rc = row(&j)))
			goto cleanup;
	if (step < 0) {
		rc = CORE_EFORMAT;
		goto cleanup;
	}
	if ((rc = imp_source_close(ws, src, err)) || (rc = read_after(&j)))
		goto cleanup;
	imp_source_end_rejects(src);
	sqlite3_finalize(j.tally);
	j.tally = NULL;
	imp_asset_writer_free(j.w);
	j.w = NULL;
	rc = core_ws_commit(ws, err);
	began = 0;
cleanup:
	sqlite3_finalize(j.tally);
	imp_asset_writer_free(j.w);
	imp_source_end_rejects(src);
	if (began)
		core_ws_rollback(ws);
	stats->geocoded = j.gc.n;
	imp_gc_release(&j.gc);
	imp_matcher_free(j.m);
	imp_xwalk_free(j.xw);
	core_csv_free(j.csv);
	core_buf_release(&opts);
	for (i = 0; i < j.nadded; i++)
		free(j.added[i].key);
	free(j.added);
	free(j.prev_added);
	return rc;
}

void imp_scan_stats_release(struct imp_scan_stats *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nunmatched; i++) {
		free(s->unmatched[i].name);
		free(s->unmatched[i].why);
	}
	free(s->unmatched);
	free(s->orphans);
	free(s->ignored_columns);
	memset(s, 0, sizeof(*s));
}
