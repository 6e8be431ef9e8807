/*
 * imp_rtree.c - a SpatiaLite spatial index filled in one pass.  See
 * imp_rtree.h.
 *
 * The index is an SQLite R*Tree.  It is dropped and made again from its
 * own SQL (so SQLite holds no state about the old one), then its shadow
 * tables are written directly, in the format rtree.c documents
 * ("Database Format of R-Tree Tables"):
 *
 *   %_node(nodeno, data)      node 1 is the root; data is the node size
 *                             (the root's length as SQLite made it) of
 *                             2 bytes depth (root only), 2 bytes cell
 *                             count, then cells of an 8-byte id and four
 *                             4-byte floats xmin xmax ymin ymax, all
 *                             big-endian
 *   %_parent(nodeno, parentnode)   every node but the root
 *   %_rowid(rowid, nodeno)    every entry's leaf
 *
 * Entries are sorted along a Hilbert curve of their centres and packed
 * bottom-up, nodes filled evenly (at least half full, above R*Tree's one
 * third).  rtreecheck() and SpatiaLite's CheckSpatialIndex() confirm the
 * result in the tests.  Assets (imp_asset.c) and cohort members
 * (imp_cohort.c) are indexed this way.
 */
#include "importers/imp_rtree.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"

/* Rows per INSERT statement into %_rowid. */
#define BATCH 64

struct item {
	int64_t id; /* row id, or child node number */
	float b[4]; /* xmin, xmax, ymin, ymax */
};

#define RND_TOWARDS (1.0 - 1.0 / 8388608.0)
#define RND_AWAY    (1.0 + 1.0 / 8388608.0)

/* As rtree.c's rtreeValueDown / rtreeValueUp. */
static float rt_down(double d)
{
	float f = (float)d;

	if (f > d)
		f = (float)(d * (d < 0 ? RND_AWAY : RND_TOWARDS));
	return f;
}

static float rt_up(double d)
{
	float f = (float)d;

	if (f < d)
		f = (float)(d * (d < 0 ? RND_TOWARDS : RND_AWAY));
	return f;
}

uint32_t imp_hilbert(uint32_t x, uint32_t y)
{
	uint32_t rx, ry, s, d = 0;

	for (s = 1u << 15; s > 0; s >>= 1) {
		rx = (x & s) > 0;
		ry = (y & s) > 0;
		d += s * s * ((3 * rx) ^ ry);
		if (ry == 0) {
			if (rx == 1) {
				x = s - 1 - x;
				y = s - 1 - y;
			}
			rx = x;
			x = y;
			y = rx;
		}
	}
	return d;
}

void imp_radix_sort_hi32(uint64_t *v, size_t n)
{
	uint64_t *tmp = xmalloc((n ? n : 1) * sizeof(uint64_t)), *a = v,
		 *b = tmp;
	int pass;

	for (pass = 0; pass < 4; pass++) {
		size_t cnt[257] = {0}, i;
		int sh = 32 + 8 * pass;
		for (i = 0; i < n; i++)
			cnt[((a[i] >> sh) & 0xFF) + 1]++;
		for (i = 0; i < 256; i++)
			cnt[i + 1] += cnt[i];
		for (i = 0; i < n; i++)
			b[cnt[(a[i] >> sh) & 0xFF]++] = a[i];
		{
			uint64_t *t = a;
			a = b;
			b = t;
		}
	}
	free(tmp); /* four passes: the result is back in v */
}

static void put_be(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xFF);
		v >>= 8;
	}
}

static void put_cell(unsigned char *p, const struct item *it)
{
	int k;

	put_be(p, (uint64_t)it->id, 8);
	for (k = 0; k < 4; k++) {
		uint32_t u;
		memcpy(&u, &it->b[k], 4);
		put_be(p + 8 + 4 * k, u, 4);
	}
}

struct leaf {
	int64_t id, node;
};

static int cmp_leaf(const void *a, const void *b)
{
	const struct leaf *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Table names are ours, but they go into SQL text: refuse anything but
 * an identifier. */
static int check_name(const char *table, struct core_err *err)
{
	const char *p;

	for (p = table; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			break;
	if (!*table || *p)
		return core_err_set(err, CORE_EUSAGE,
				    "'%s' is not a spatial index name", table);
	return CORE_OK;
}

int imp_rtree_count(struct core_ws *ws, const char *table, int64_t *n,
		    struct core_err *err)
{
	char sql[256];
	int64_t exists = 0;
	int rc;

	*n = -1;
	if ((rc = check_name(table, err)))
		return rc;
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM sqlite_master WHERE name = '%s_rowid'",
		 table);
	if ((rc = core_ws_int(ws, err, sql, &exists)) || !exists)
		return rc;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s_rowid\"", table);
	return core_ws_int(ws, err, sql, n);
}

/* Write one node of cnt items from v (their boxes' union into *up) and,
 * above the leaves, each child's parent. */
static int put_node(struct core_ws *ws, struct core_err *err, sqlite3_stmt *ins,
		    sqlite3_stmt *par, unsigned char *node, size_t nodesz,
		    int64_t nodeno, int depth, const struct item *v, size_t cnt,
		    struct item *up)
{
	size_t c;
	int rc = CORE_OK;

	memset(node, 0, nodesz);
	put_be(node, nodeno == 1 ? (uint64_t)depth : 0, 2);
	put_be(node + 2, cnt, 2);
	up->id = nodeno;
	up->b[0] = up->b[2] = HUGE_VALF;
	up->b[1] = up->b[3] = -HUGE_VALF;
	for (c = 0; c < cnt && !rc; c++) {
		const struct item *e = &v[c];
		put_cell(node + 4 + 24 * c, e);
		if (e->b[0] < up->b[0])
			up->b[0] = e->b[0];
		if (e->b[1] > up->b[1])
			up->b[1] = e->b[1];
		if (e->b[2] < up->b[2])
			up->b[2] = e->b[2];
		if (e->b[3] > up->b[3])
			up->b[3] = e->b[3];
		if (depth > 0) {
			sqlite3_bind_int64(par, 1, e->id);
			sqlite3_bind_int64(par, 2, nodeno);
			rc = core_ws_step(ws, err, par);
		}
	}
	if (rc)
		return rc;
	sqlite3_bind_int64(ins, 1, nodeno);
	sqlite3_bind_blob(ins, 2, node, (int)nodesz, SQLITE_STATIC);
	return core_ws_step(ws, err, ins);
}

/* Sort ent[0..n-1] along a Hilbert curve of the boxes' centres. */
static void hilbert_sort(struct item **ent, size_t n)
{
	double minx = HUGE_VAL, miny = HUGE_VAL, maxx = -HUGE_VAL,
	       maxy = -HUGE_VAL, sx, sy;
	uint64_t *key;
	struct item *tmp;
	size_t k;

	if (n < 2)
		return;
	for (k = 0; k < n; k++) {
		const struct item *e = &(*ent)[k];
		double cx = ((double)e->b[0] + e->b[1]) / 2;
		double cy = ((double)e->b[2] + e->b[3]) / 2;
		minx = cx < minx ? cx : minx;
		maxx = cx > maxx ? cx : maxx;
		miny = cy < miny ? cy : miny;
		maxy = cy > maxy ? cy : maxy;
	}
	sx = maxx > minx ? 65535.0 / (maxx - minx) : 0;
	sy = maxy > miny ? 65535.0 / (maxy - miny) : 0;
	key = xmalloc(n * sizeof(*key));
	for (k = 0; k < n; k++) {
		const struct item *e = &(*ent)[k];
		double cx = ((double)e->b[0] + e->b[1]) / 2;
		double cy = ((double)e->b[2] + e->b[3]) / 2;
		key[k] = (uint64_t)imp_hilbert((uint32_t)((cx - minx) * sx),
					       (uint32_t)((cy - miny) * sy))
			     << 32 |
			 k;
	}
	imp_radix_sort_hi32(key, n);
	tmp = xmalloc(n * sizeof(*tmp));
	for (k = 0; k < n; k++)
		tmp[k] = (*ent)[key[k] & 0xFFFFFFFFu];
	free(*ent);
	*ent = tmp;
	free(key);
}

/* imp_rtree_rebuild (keep 1: the index's entries and add[]) and
 * imp_rtree_build (keep 0: add[] alone; ordered: as given). */
static int rebuild(struct core_ws *ws, const char *table, int keep, int ordered,
		   const struct imp_rtree_box *add, size_t nadd,
		   struct core_err *err)
{
	struct item *ent = NULL, *cur = NULL, *up = NULL, root;
	struct leaf *leaf = NULL;
	unsigned char *node = NULL;
	sqlite3_stmt *st = NULL, *ins = NULL, *par = NULL, *rid = NULL,
		     *rids = NULL;
	struct core_buf sql = CORE_BUF_INIT, b = CORE_BUF_INIT;
	size_t n = 0, cap = 0, k, nl, maxc, nodesz;
	int64_t nodeno = 2, sz = 0;
	int rc, step, depth, sorted = 1;
	char *create = NULL;

	if ((rc = check_name(table, err)))
		return rc;
	if (nadd > 0xFFFFFFFFu)
		return core_err_set(err, CORE_EUSAGE,
				    "%s: too many entries for one index build",
				    table);
	/* Its SQL, to make it again. */
	core_buf_addf(&b, "SELECT sql FROM sqlite_master WHERE name = '%s'",
		      table);
	if ((rc = core_ws_prepare(ws, err, &st, core_buf_str(&b))))
		goto cleanup;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		create = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	st = NULL;
	if (!create) {
		rc = core_err_set(
		    err, CORE_EDB,
		    "workspace %s: the spatial index %s is missing", ws->path,
		    table);
		goto cleanup;
	}

	/* The entries it holds now (floats already), then the new ones. */
	core_buf_reset(&b);
	core_buf_addf(&b, "SELECT * FROM \"%s\"%s", table,
		      keep ? "" : " LIMIT 0");
	if ((rc = core_ws_prepare(ws, err, &st, core_buf_str(&b))))
		goto cleanup;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&ent, &cap, n + 1, sizeof(*ent));
		ent[n].id = sqlite3_column_int64(st, 0);
		ent[n].b[0] = rt_down(sqlite3_column_double(st, 1));
		ent[n].b[1] = rt_up(sqlite3_column_double(st, 2));
		ent[n].b[2] = rt_down(sqlite3_column_double(st, 3));
		ent[n].b[3] = rt_up(sqlite3_column_double(st, 4));
		n++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (step != SQLITE_DONE) {
		rc = core_ws_dberr(ws, err, "reading the spatial index");
		goto cleanup;
	}
	if (n + nadd > 0xFFFFFFFFu) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "%s: too many entries for one index build",
				  table);
		goto cleanup;
	}
	xgrow((void **)&ent, &cap, n + nadd + 1, sizeof(*ent));
	for (k = 0; k < nadd; k++, n++) {
		ent[n].id = add[k].id;
		ent[n].b[0] = rt_down(add[k].xmin);
		ent[n].b[1] = rt_up(add[k].xmax);
		ent[n].b[2] = rt_down(add[k].ymin);
		ent[n].b[3] = rt_up(add[k].ymax);
	}

	/* A fresh, empty index: SQLite makes its root, node 1. */
	core_buf_addf(&sql, "DROP TABLE \"%s\"", table);
	if ((rc = core_ws_exec(ws, err, core_buf_str(&sql))) ||
	    (rc = core_ws_exec(ws, err, create)))
		goto cleanup;
	core_buf_reset(&b);
	core_buf_addf(
	    &b, "SELECT length(data) FROM \"%s_node\" WHERE nodeno = 1", table);
	if ((rc = core_ws_int(ws, err, core_buf_str(&b), &sz)))
		goto cleanup;
	nodesz = (size_t)sz;
	maxc = nodesz >= 4 ? (nodesz - 4) / 24 : 0;
	if (maxc < 3) {
		rc = core_err_set(
		    err, CORE_EDB,
		    "workspace %s: the spatial index's nodes are %lld bytes; "
		    "expected room for at least 3 entries",
		    ws->path, (long long)sz);
		goto cleanup;
	}
	if (n == 0)
		goto cleanup;
	if (!ordered)
		hilbert_sort(&ent, n);

	core_buf_reset(&b);
	core_buf_addf(
	    &b,
	    "INSERT OR REPLACE INTO \"%s_node\"(nodeno, data) VALUES(?1, ?2)",
	    table);
	if ((rc = core_ws_prepare(ws, err, &ins, core_buf_str(&b))))
		goto cleanup;
	core_buf_reset(&b);
	core_buf_addf(
	    &b, "INSERT INTO \"%s_parent\"(nodeno, parentnode) VALUES(?1, ?2)",
	    table);
	if ((rc = core_ws_prepare(ws, err, &par, core_buf_str(&b))))
		goto cleanup;
	core_buf_reset(&b);
	core_buf_addf(
	    &b, "INSERT INTO \"%s_rowid\"(rowid, nodeno) VALUES(?, ?)", table);
	if ((rc = core_ws_prepare(ws, err, &rid, core_buf_str(&b))))
		goto cleanup;
	for (k = 1; k < BATCH; k++)
		core_buf_adds(&b, ",(?, ?)");
	if ((rc = core_ws_prepare(ws, err, &rids, core_buf_str(&b))))
		goto cleanup;

	node = xmalloc(nodesz);
	leaf = xmalloc(n * sizeof(*leaf));
	for (k = 0; k < n; k++) {
		leaf[k].id = ent[k].id;
		leaf[k].node = 1;
		if (k && ent[k].id < ent[k - 1].id)
			sorted = 0;
	}
	/* Level by level, group the items (entries, then nodes) into nodes
	 * as evenly as they fit, until the root can hold what is left. */
	cur = ent;
	nl = n;
	for (depth = 0; nl > maxc; depth++) {
		size_t groups = (nl + maxc - 1) / maxc, g, at = 0;
		up = xmalloc(groups * sizeof(*up));
		for (g = 0; g < groups; g++) {
			size_t cnt = nl / groups + (g < nl % groups), c;
			if (depth == 0)
				for (c = 0; c < cnt; c++)
					leaf[at + c].node = nodeno;
			if ((rc = put_node(ws, err, ins, par, node, nodesz,
					   nodeno++, depth, cur + at, cnt,
					   &up[g])))
				goto cleanup;
			at += cnt;
		}
		if (cur != ent)
			free(cur);
		cur = up;
		up = NULL;
		nl = groups;
	}
	/* The root (node 1) holds the top level and the tree's depth; the
	 * children of a root above the leaves need their parent too. */
	if ((rc = put_node(ws, err, ins, par, node, nodesz, 1, depth, cur, nl,
			   &root)))
		goto cleanup;
	/* %_rowid in id order: appends to its b-tree.  Ids given in Hilbert
	 * order (imp_cohort.c numbers its rows so) are in order already. */
	if (!sorted)
		qsort(leaf, n, sizeof(*leaf), cmp_leaf);
	for (k = 0; k < n && !rc;) {
		sqlite3_stmt *use = n - k >= BATCH ? rids : rid;
		size_t cnt = use == rids ? BATCH : 1, c;
		for (c = 0; c < cnt; c++, k++) {
			sqlite3_bind_int64(use, 2 * (int)c + 1, leaf[k].id);
			sqlite3_bind_int64(use, 2 * (int)c + 2, leaf[k].node);
		}
		rc = core_ws_step(ws, err, use);
	}
cleanup:
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	sqlite3_finalize(par);
	sqlite3_finalize(rid);
	sqlite3_finalize(rids);
	if (cur != ent)
		free(cur);
	free(up);
	free(ent);
	free(node);
	free(leaf);
	free(create);
	core_buf_release(&sql);
	core_buf_release(&b);
	return rc;
}

int imp_rtree_rebuild(struct core_ws *ws, const char *table,
		      const struct imp_rtree_box *add, size_t nadd,
		      struct core_err *err)
{
	return rebuild(ws, table, 1, 0, add, nadd, err);
}

int imp_rtree_build(struct core_ws *ws, const char *table,
		    const struct imp_rtree_box *add, size_t nadd, int ordered,
		    struct core_err *err)
{
	return rebuild(ws, table, 0, ordered, add, nadd, err);
}

int imp_rtree_insert(struct core_ws *ws, const char *table,
		     const struct imp_rtree_box *add, size_t nadd,
		     struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	char sql[256];
	size_t k;
	int rc;

	if ((rc = check_name(table, err)))
		return rc;
	snprintf(sql, sizeof(sql),
		 "INSERT INTO \"%s\"(pkid, xmin, xmax, ymin, ymax) VALUES(?1, "
		 "?2, ?3, ?4, ?5)",
		 table);
	if ((rc = core_ws_prepare(ws, err, &st, sql)))
		return rc;
	for (k = 0; k < nadd && !rc; k++) {
		sqlite3_bind_int64(st, 1, add[k].id);
		sqlite3_bind_double(st, 2, add[k].xmin);
		sqlite3_bind_double(st, 3, add[k].xmax);
		sqlite3_bind_double(st, 4, add[k].ymin);
		sqlite3_bind_double(st, 5, add[k].ymax);
		rc = core_ws_step(ws, err, st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---------------------------------------------------------------------
 * Triggers set aside
 * ------------------------------------------------------------------ */

/* "name" with its double quotes doubled, into b. */
static void add_quoted(struct core_buf *b, const char *name)
{
	core_buf_addc(b, '"');
	for (; *name; name++) {
		if (*name == '"')
			core_buf_addc(b, '"');
		core_buf_addc(b, *name);
	}
	core_buf_addc(b, '"');
}

int imp_triggers_drop(struct core_ws *ws, const char *table,
		      const char *const *names, struct imp_triggers *t,
		      const char *what, struct core_err *err)
{
	struct core_buf q = CORE_BUF_INIT, b = CORE_BUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t cap = 0, k;
	int rc, step;

	core_buf_adds(&q, "SELECT name, sql FROM sqlite_master WHERE type = "
			  "'trigger' AND tbl_name = ?1 AND sql IS NOT NULL");
	if (names) {
		core_buf_adds(&q, " AND name IN (");
		for (k = 0; names[k]; k++)
			core_buf_addf(&q, "%s?%zu", k ? ", " : "", k + 2);
		core_buf_adds(&q, ")");
	}
	core_buf_adds(&q, " ORDER BY name");
	rc = core_ws_prepare(ws, err, &st, core_buf_str(&q));
	core_buf_release(&q);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	for (k = 0; names && names[k]; k++)
		sqlite3_bind_text(st, (int)k + 2, names[k], -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&t->sql, &cap, t->n + 1, sizeof(*t->sql));
		t->sql[t->n++] =
		    xstrdup((const char *)sqlite3_column_text(st, 1));
		core_buf_adds(&b, "DROP TRIGGER ");
		add_quoted(&b, (const char *)sqlite3_column_text(st, 0));
		core_buf_addc(&b, ';');
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		rc = core_ws_dberr(ws, err, what);
	else if (b.len)
		rc = core_ws_exec(ws, err, core_buf_str(&b));
	core_buf_release(&b);
	return rc;
}

int imp_triggers_restore(struct core_ws *ws, const struct imp_triggers *t,
			 struct core_err *err)
{
	size_t i;
	int rc = CORE_OK;

	for (i = 0; i < t->n && !rc; i++)
		rc = core_ws_exec(ws, err, t->sql[i]);
	return rc;
}

int imp_triggers_has(const struct imp_triggers *t, const char *name)
{
	struct core_buf b = CORE_BUF_INIT;
	size_t i;
	int found = 0;

	add_quoted(&b, name);
	for (i = 0; i < t->n && !found; i++)
		found = strstr(t->sql[i], core_buf_str(&b)) != NULL;
	core_buf_release(&b);
	return found;
}

void imp_triggers_release(struct imp_triggers *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->sql[i]);
	free(t->sql);
	t->sql = NULL;
	t->n = 0;
}
