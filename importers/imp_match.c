/*
 * imp_match.c - find the asset a row names.  See imp_match.h.
 *
 * Every asset's keys are read once into an array sorted by normalized
 * name (then id): a row's name is found by binary search, and the
 * assets of that name are few, so the address and ZIP are compared
 * one by one.  A second array of ids, sorted, answers has_id.
 */
#include "importers/imp_match.h"

#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "importers/imp_asset.h"

struct entry {
	char *name; /* normalized; never "" */
	char *addr; /* normalized; "" when none */
	int64_t id;
	int zip; /* 0: none */
};

struct imp_matcher {
	struct entry *e; /* by name, then id */
	size_t n;
	int64_t *ids; /* every asset's id, sorted */
	size_t nids;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

int imp_matcher_new(struct core_ws *ws, struct imp_matcher **out,
		    struct core_err *err)
{
	struct imp_matcher *m = xcalloc(1, sizeof(*m));
	sqlite3_stmt *st = NULL;
	size_t cap = 0, capids = 0;
	int rc;

	*out = NULL;
	if ((rc = core_ws_prepare(ws, err, &st,
				  "SELECT id, name, address, zip FROM assets"
				  " ORDER BY id")))
		goto cleanup;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *addr = (const char *)sqlite3_column_text(st, 2);
		const char *zip = (const char *)sqlite3_column_text(st, 3);
		int64_t id = sqlite3_column_int64(st, 0);
		struct entry *e;
		char *nn;

		xgrow((void **)&m->ids, &capids, m->nids + 1, sizeof(*m->ids));
		m->ids[m->nids++] = id;
		nn = imp_asset_norm_name(name);
		if (!*nn) {
			free(nn); /* a name no row can match */
			continue;
		}
		xgrow((void **)&m->e, &cap, m->n + 1, sizeof(*m->e));
		e = &m->e[m->n++];
		e->name = nn;
		e->addr = imp_asset_norm_address(addr);
		e->id = id;
		e->zip = imp_asset_zip5(nonempty(zip), addr);
	}
	if (rc != SQLITE_DONE) {
		rc = core_ws_dberr(ws, err, "reading the assets to match with");
		goto cleanup;
	}
	rc = CORE_OK;
	if (m->n)
		qsort(m->e, m->n, sizeof(*m->e), cmp_entry);
	if (m->nids)
		qsort(m->ids, m->nids, sizeof(*m->ids), cmp_id);
	*out = m;
	m = NULL;
cleanup:
	sqlite3_finalize(st);
	imp_matcher_free(m);
	return rc;
}

/* The first entry whose name is name, or m->n. */
static size_t first_of(const struct imp_matcher *m, const char *name)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(m->e[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t imp_matcher_list(const struct imp_matcher *m, const char *name,
			const char *address, int64_t *ids, size_t cap)
{
	char *nn = NULL, *na = NULL;
	size_t i, count = 0;
	int zip = 0;

	if (!m || !name)
		return 0;
	nn = imp_asset_norm_name(name);
	if (!*nn)
		goto cleanup;
	if (address && *address) {
		na = imp_asset_norm_address(address);
		zip = imp_asset_zip5(NULL, address);
		if (!*na) {
			free(na);
			na = NULL;
		}
	}
	for (i = first_of(m, nn); i < m->n && !strcmp(m->e[i].name, nn); i++) {
		const struct entry *e = &m->e[i];
		if (na && (strcmp(e->addr, na) != 0 ||
			   (zip && e->zip && zip != e->zip)))
			continue;
		if (count < cap)
			ids[count] = e->id;
		count++;
	}
cleanup:
	free(nn);
	free(na);
	return count;
}

enum imp_match_kind imp_matcher_find(const struct imp_matcher *m,
				     const char *name, const char *address,
				     int64_t *id, size_t *ncand)
{
	int64_t one = 0;
	size_t n = imp_matcher_list(m, name, address, &one, 1);

	if (ncand)
		*ncand = n;
	if (n == 1 && id)
		*id = one;
	return n == 0	? IMP_MATCH_NONE
	       : n == 1 ? IMP_MATCH_ONE
			: IMP_MATCH_AMBIGUOUS;
}

int imp_matcher_has_id(const struct imp_matcher *m, int64_t id)
{
	return m && m->nids &&
	       bsearch(&id, m->ids, m->nids, sizeof(*m->ids), cmp_id) != NULL;
}

void imp_matcher_free(struct imp_matcher *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->e[i].name);
		free(m->e[i].addr);
	}
	free(m->e);
	free(m->ids);
	free(m);
}
