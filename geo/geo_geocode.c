/*
 * geo_geocode.c - the offline geocoder.  See geo_geocode.h.
 *
 * Layout in memory.  Every address point is one struct gpt (24 bytes:
 * lon, lat, number, suffix id, street variant id); every range one
 * struct grg with its vertices in one array of doubles.  Strings are
 * interned once (street names, ZIPs, cities, number suffixes, and
 * "variants": predir|type|postdir).  Points and ranges are then indexed
 * in groups: a group is one street name within one ZIP (kind ZIP),
 * within one city (kind CITY), or anywhere (kind NAME), so each point
 * appears in at most three groups, as a 4-byte id and its 4-byte number
 * in each (24 bytes a point on top of its record: about 48 bytes a
 * point in all, measured 47 on a synthetic county of 667,000 points and
 * 36,000 ranges).  A group is split into runs, one per
 * variant, and a run lists its points sorted by number and its ranges
 * sorted by their lowest number: a lookup is a hash of the name, a hash
 * of (kind, name, ZIP or city), and a binary search.  Groups are sorted
 * by (kind, place, name), so the streets of one ZIP or city are
 * consecutive: the typo search walks them.
 */
#include "geo/geo_geocode.h"

#include <ctype.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_hash.h"
#include "core/core_mem.h"
#include "geo/geo_blob.h"

enum { KIND_ZIP = 0, KIND_CITY = 1, KIND_NAME = 2 };

#define NONE_ID UINT32_MAX

/* The sphere of the tangent-plane arithmetic, in metres per degree. */
#define EARTH_R	  6371008.8
#define M_PER_DEG (EARTH_R * 3.14159265358979323846 / 180.0)

/* Scores and what lowers them (geo_geocode.h lists them). */
#define SC_POINT      1.0
#define SC_INTERP     0.9
#define SC_RANGE      0.8
#define SC_STREET     0.6
#define SC_STREET_NON 0.5
#define SC_ZIP	      0.3
#define PEN_SUFFIX    0.05
#define PEN_MISSING   0.02
#define PEN_DIFFERS   0.08
#define PEN_TYPO      0.15
#define PEN_WRONG_ZIP 0.1
#define PEN_NO_PLACE  0.05
#define SC_MIN	      0.05

struct gpt {
	double lon, lat;
	int32_t num;
	uint16_t sfx; /* suffix id; 0 is "" */
	uint16_t var; /* variant id */
};

struct grg {
	uint32_t v0, nv; /* vertices xy[2 * v0 ..] */
	int32_t from, to, lo, hi;
	uint32_t var;
	char side;   /* 'L' or 'R' */
	char parity; /* 'O', 'E' or 'B' */
};

/* One variant of a street in a group: its points and ranges. */
struct grun {
	uint32_t pt0, npt; /* pidx[pt0 ..], sorted by number, suffix */
	uint32_t rg0, nrg; /* ridx[rg0 ..], sorted by lowest number */
	uint32_t var;
};

struct ggrp {
	uint32_t name, loc; /* loc: ZIP id, city id, or 0 (kind NAME) */
	uint32_t run0, nrun;
	uint8_t kind;
	uint8_t ambiguous; /* kind NAME: in more than one city (or ZIP) */
};

/* The groups of one ZIP or city: grp[g0 .. g0 + ng). */
struct gloc {
	uint32_t g0, ng;
};

struct gzip {
	double lon, lat;
	int have;    /* a centroid (addr_zips, else the points' mean) */
	int streets; /* the reference holds streets in this ZIP */
	uint32_t city;
};

struct gvar {
	char predir[4], type[GEO_ADDR_SHORT_MAX], postdir[4];
};

struct geo_geocoder {
	struct core_strmap names, zips, cities, sfxs, vars;
	struct gvar *var;
	struct gpt *pt;
	size_t npt;
	struct grg *rg;
	size_t nrg;
	double *xy;
	uint32_t *pidx, *ridx;
	int32_t *pnum; /* pnum[k]: the number of point pidx[k] */
	struct grun *run;
	struct ggrp *grp;
	size_t ngrp;
	struct core_hset gset;
	struct gloc *zip_loc, *city_loc, name_loc;
	struct gzip *zip;
	size_t nzip_rows;
};

const char *geo_gc_level_name(int level)
{
	static const char *const names[] = {"none",	    "address_point",
					    "interpolated", "street_range",
					    "street",	    "zip"};

	return level >= 0 && level <= GEO_GC_ZIP ? names[level] : "none";
}

/* ------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------ */

/* A point as read, before duplicates (unit rows) go. */
struct tpt {
	uint32_t name, zip, city, var, sfx;
	int32_t num;
	int unit; /* 1: a unit row */
	uint32_t seq;
	double lon, lat;
};

/* One index entry: a point or range in one group. */
struct ent {
	uint32_t kind, loc, name, var;
	uint32_t isrange;
	int32_t num;
	uint32_t sfx, id;
};

/* Upper-case s into buf (n bytes), spaces collapsed and trimmed. */
static void norm_text(const char *s, char *buf, size_t n)
{
	size_t k = 0;
	int space = 0;

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isspace(c)) {
			space = k > 0;
			continue;
		}
		if (space && k + 1 < n)
			buf[k++] = ' ';
		space = 0;
		if (k + 1 < n)
			buf[k++] = (char)toupper(c);
	}
	buf[k] = 0;
}

/* The 5-digit ZIP leading s ("94103", "94103-1234") into buf[6], or "". */
static void norm_zip(const char *s, char buf[6])
{
	int i;

	buf[0] = 0;
	if (!s)
		return;
	for (i = 0; i < 5; i++)
		if (!isdigit((unsigned char)s[i]))
			return;
	if (s[5] && isdigit((unsigned char)s[5]))
		return;
	memcpy(buf, s, 5);
	buf[5] = 0;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

/* The id of s in m, added when new (ids count from 0). */
static uint32_t intern(struct core_strmap *m, const char *s)
{
	return (uint32_t)core_strmap_put(m, s, strlen(s), (int32_t)m->n);
}

/* The id of s in m, or NONE_ID. */
static uint32_t lookup(const struct core_strmap *m, const char *s)
{
	int32_t v = core_strmap_get(m, s, strlen(s));

	return v < 0 ? NONE_ID : (uint32_t)v;
}

static const char *map_key(const struct core_strmap *m, uint32_t id)
{
	return m->keys.s + m->off[id];
}

static uint32_t intern_var(struct geo_geocoder *g, const char *predir,
			   const char *type, const char *postdir)
{
	char key[64];
	size_t n0 = g->vars.n, cap;
	uint32_t id;

	snprintf(key, sizeof(key), "%.3s|%.7s|%.3s", predir, type, postdir);
	id = intern(&g->vars, key);
	if (g->vars.n > n0) {
		cap = g->vars.n;
		g->var = xrealloc(g->var, cap * sizeof(*g->var));
		memset(&g->var[id], 0, sizeof(g->var[id]));
		snprintf(g->var[id].predir, sizeof(g->var[id].predir), "%s",
			 predir);
		snprintf(g->var[id].type, sizeof(g->var[id].type), "%s", type);
		snprintf(g->var[id].postdir, sizeof(g->var[id].postdir), "%s",
			 postdir);
	}
	return id;
}

/* The street key of a reference row, as the parser keys a query. */
static uint32_t intern_name(struct geo_geocoder *g, const char *predir,
			    const char *name, const char *type,
			    const char *postdir)
{
	struct geo_addr a;
	char key[GEO_ADDR_NAME_MAX + 16];

	memset(&a, 0, sizeof(a));
	snprintf(a.predir, sizeof(a.predir), "%s", predir);
	snprintf(a.name, sizeof(a.name), "%s", name);
	snprintf(a.type, sizeof(a.type), "%s", type);
	snprintf(a.postdir, sizeof(a.postdir), "%s", postdir);
	geo_addr_street_key(&a, key, sizeof(key));
	return intern(&g->names, key);
}

/* Room for ZIP id zid in g->zip. */
static void zip_room(struct geo_geocoder *g, size_t *cap)
{
	size_t need = g->zips.n, old = *cap, i;

	if (need <= old)
		return;
	xgrow((void **)&g->zip, cap, need, sizeof(*g->zip));
	for (i = old; i < *cap; i++) {
		memset(&g->zip[i], 0, sizeof(g->zip[i]));
		g->zip[i].city = NONE_ID;
	}
}

static uint32_t intern_zip(struct geo_geocoder *g, const char *s, size_t *cap)
{
	char z[6];
	uint32_t id;

	norm_zip(s, z);
	if (!z[0])
		return NONE_ID;
	id = intern(&g->zips, z);
	zip_room(g, cap);
	return id;
}

static uint32_t intern_city(struct geo_geocoder *g, const char *s)
{
	char c[GEO_ADDR_CITY_MAX];

	norm_text(s, c, sizeof(c));
	return c[0] ? intern(&g->cities, c) : NONE_ID;
}

static int load_zips(struct core_ws *ws, struct geo_geocoder *g, size_t *zcap,
		     struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	if ((rc = core_ws_prepare(ws, err, &st,
				  "SELECT zip, city, lon, lat FROM addr_zips")))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		uint32_t z = intern_zip(g, col_text(st, 0), zcap);
		uint32_t c = intern_city(g, col_text(st, 1));
		g->nzip_rows++;
		if (z == NONE_ID)
			continue;
		if (!g->zip[z].have) {
			g->zip[z].lon = sqlite3_column_double(st, 2);
			g->zip[z].lat = sqlite3_column_double(st, 3);
			g->zip[z].have = 1;
		}
		if (g->zip[z].city == NONE_ID)
			g->zip[z].city = c;
	}
	if (step != SQLITE_DONE)
		rc = core_ws_dberr(ws, err, "reading addr_zips");
	sqlite3_finalize(st);
	return rc;
}

static int load_points(struct core_ws *ws, struct geo_geocoder *g,
		       struct tpt **out, size_t *n, size_t *zcap,
		       struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	struct tpt *t = NULL;
	size_t cap = 0;
	int rc, step;

	if ((rc = core_ws_prepare(
		 ws, err, &st,
		 "SELECT number, num_suffix, predir, name, type, postdir,"
		 " unit <> '', city, zip, lon, lat FROM addr_points")))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t num = sqlite3_column_int64(st, 0);
		struct tpt *p;
		if (num < 0 || num > INT32_MAX)
			continue;
		xgrow((void **)&t, &cap, *n + 1, sizeof(*t));
		p = &t[(*n)++];
		p->num = (int32_t)num;
		p->sfx = intern(&g->sfxs, col_text(st, 1));
		p->name = intern_name(g, col_text(st, 2), col_text(st, 3),
				      col_text(st, 4), col_text(st, 5));
		p->var = intern_var(g, col_text(st, 2), col_text(st, 4),
				    col_text(st, 5));
		p->unit = sqlite3_column_int(st, 6);
		p->city = intern_city(g, col_text(st, 7));
		p->zip = intern_zip(g, col_text(st, 8), zcap);
		p->lon = sqlite3_column_double(st, 9);
		p->lat = sqlite3_column_double(st, 10);
		p->seq = (uint32_t)*n;
	}
	if (step != SQLITE_DONE)
		rc = core_ws_dberr(ws, err, "reading addr_points");
	sqlite3_finalize(st);
	*out = t;
	return rc;
}

/* Ranges into g->rg and g->xy; their name, ZIP and city into *names. */
static int load_ranges(struct core_ws *ws, struct geo_geocoder *g,
		       uint32_t **names, size_t *zcap, struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0, xycap = 0, nxy = 0, ncap = 0;
	int rc, step;

	if ((rc = core_ws_prepare(
		 ws, err, &st,
		 "SELECT id, predir, name, type, postdir, side, from_num,"
		 " to_num, parity, city, zip, geom FROM addr_ranges")))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(st, 11);
		int nb = sqlite3_column_bytes(st, 11);
		long nv = geo_blob_line_get(b, nb, NULL, 0);
		int64_t from = sqlite3_column_int64(st, 6);
		int64_t to = sqlite3_column_int64(st, 7);
		struct grg *r;
		if (nv <= 0) {
			rc = core_err_set(
			    err, CORE_EDB,
			    "addr_ranges row %lld: the geometry "
			    "is not a linestring",
			    (long long)sqlite3_column_int64(st, 0));
			goto cleanup;
		}
		if (from < 0 || from > INT32_MAX || to < 0 || to > INT32_MAX)
			continue;
		xgrow((void **)&g->rg, &cap, g->nrg + 1, sizeof(*g->rg));
		xgrow((void **)names, &ncap, 3 * (g->nrg + 1), sizeof(**names));
		xgrow((void **)&g->xy, &xycap, 2 * (nxy + (size_t)nv),
		      sizeof(*g->xy));
		geo_blob_line_get(b, nb, g->xy + 2 * nxy, (size_t)nv);
		r = &g->rg[g->nrg];
		r->v0 = (uint32_t)nxy;
		r->nv = (uint32_t)nv;
		nxy += (size_t)nv;
		r->from = (int32_t)from;
		r->to = (int32_t)to;
		r->lo = r->from < r->to ? r->from : r->to;
		r->hi = r->from < r->to ? r->to : r->from;
		r->var = intern_var(g, col_text(st, 1), col_text(st, 3),
				    col_text(st, 4));
		r->side = col_text(st, 5)[0] == 'L' ? 'L' : 'R';
		r->parity = col_text(st, 8)[0];
		if (r->parity != 'O' && r->parity != 'E')
			r->parity = 'B';
		(*names)[3 * g->nrg] =
		    intern_name(g, col_text(st, 1), col_text(st, 2),
				col_text(st, 3), col_text(st, 4));
		(*names)[3 * g->nrg + 1] =
		    intern_zip(g, col_text(st, 10), zcap);
		(*names)[3 * g->nrg + 2] = intern_city(g, col_text(st, 9));
		g->nrg++;
	}
	if (step != SQLITE_DONE)
		rc = core_ws_dberr(ws, err, "reading addr_ranges");
cleanup:
	sqlite3_finalize(st);
	return rc;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_tpt(const void *pa, const void *pb)
{
	const struct tpt *a = pa, *b = pb;
	int c;

	if ((c = cmp_u32(a->name, b->name)) || (c = cmp_u32(a->zip, b->zip)) ||
	    (c = cmp_u32(a->city, b->city)) || (c = cmp_u32(a->var, b->var)))
		return c;
	if (a->num != b->num)
		return a->num < b->num ? -1 : 1;
	if ((c = cmp_u32(a->sfx, b->sfx)) || (c = a->unit - b->unit))
		return c;
	return cmp_u32(a->seq, b->seq);
}

static int cmp_ent(const void *pa, const void *pb)
{
	const struct ent *a = pa, *b = pb;
	int c;

	if ((c = cmp_u32(a->kind, b->kind)) || (c = cmp_u32(a->loc, b->loc)) ||
	    (c = cmp_u32(a->name, b->name)) || (c = cmp_u32(a->var, b->var)) ||
	    (c = cmp_u32(a->isrange, b->isrange)))
		return c;
	if (a->num != b->num)
		return a->num < b->num ? -1 : 1;
	if ((c = cmp_u32(a->sfx, b->sfx)))
		return c;
	return cmp_u32(a->id, b->id);
}

/* The group key: kind, name, loc, as 12 bytes. */
struct gkey {
	uint32_t kind, name, loc;
};

static int grp_eq(const void *ctx, uint32_t id, const void *key, size_t len)
{
	const struct geo_geocoder *g = ctx;
	const struct gkey *k = key;

	(void)len;
	return g->grp[id].kind == k->kind && g->grp[id].name == k->name &&
	       g->grp[id].loc == k->loc;
}

static uint64_t gkey_hash(const struct gkey *k)
{
	return core_hash_bytes(k, sizeof(*k));
}

/* The entries of one point or range: one per kind it is indexed by. */
static size_t add_ents(struct ent *e, uint32_t name, uint32_t zip,
		       uint32_t city, uint32_t var, uint32_t isrange,
		       int32_t num, uint32_t sfx, uint32_t id)
{
	size_t n = 0;
	struct ent t;

	t.name = name;
	t.var = var;
	t.isrange = isrange;
	t.num = num;
	t.sfx = sfx;
	t.id = id;
	if (zip != NONE_ID) {
		t.kind = KIND_ZIP;
		t.loc = zip;
		e[n++] = t;
	}
	if (city != NONE_ID) {
		t.kind = KIND_CITY;
		t.loc = city;
		e[n++] = t;
	}
	t.kind = KIND_NAME;
	t.loc = 0;
	e[n++] = t;
	return n;
}

/* Build groups, runs and the index arrays from sorted entries. */
static void build_groups(struct geo_geocoder *g, const struct ent *e, size_t ne)
{
	size_t i, np = 0, nr = 0, nrun = 0, ng = 0, rcap = 0, gcap = 0;
	size_t npe = 0, nre = 0;
	uint32_t *ncity, *nzip;

	for (i = 0; i < ne; i++) {
		if (e[i].isrange)
			nre++;
		else
			npe++;
	}
	g->pidx = xmalloc((npe ? npe : 1) * sizeof(*g->pidx));
	g->pnum = xmalloc((npe ? npe : 1) * sizeof(*g->pnum));
	g->ridx = xmalloc((nre ? nre : 1) * sizeof(*g->ridx));
	g->zip_loc = xcalloc(g->zips.n + 1, sizeof(*g->zip_loc));
	g->city_loc = xcalloc(g->cities.n + 1, sizeof(*g->city_loc));
	for (i = 0; i < ne; i++) {
		const struct ent *x = &e[i];
		int newg = !i || x->kind != e[i - 1].kind ||
			   x->loc != e[i - 1].loc || x->name != e[i - 1].name;
		struct grun *r;
		if (newg) {
			struct ggrp *gp;
			xgrow((void **)&g->grp, &gcap, ng + 1, sizeof(*g->grp));
			gp = &g->grp[ng++];
			memset(gp, 0, sizeof(*gp));
			gp->kind = (uint8_t)x->kind;
			gp->loc = x->loc;
			gp->name = x->name;
			gp->run0 = (uint32_t)nrun;
		}
		if (newg || x->var != e[i - 1].var) {
			xgrow((void **)&g->run, &rcap, nrun + 1,
			      sizeof(*g->run));
			r = &g->run[nrun++];
			r->var = x->var;
			r->pt0 = (uint32_t)np;
			r->rg0 = (uint32_t)nr;
			r->npt = r->nrg = 0;
			g->grp[ng - 1].nrun++;
		}
		r = &g->run[nrun - 1];
		if (x->isrange) {
			g->ridx[nr++] = x->id;
			r->nrg++;
		} else {
			g->pnum[np] = x->num;
			g->pidx[np++] = x->id;
			r->npt++;
		}
	}
	g->ngrp = ng;
	ncity = xcalloc(g->names.n + 1, sizeof(*ncity));
	nzip = xcalloc(g->names.n + 1, sizeof(*nzip));
	g->name_loc.g0 = (uint32_t)ng;
	for (i = 0; i < ng; i++) {
		struct ggrp *gp = &g->grp[i];
		struct gkey k = {gp->kind, gp->name, gp->loc};
		struct gloc *l = gp->kind == KIND_ZIP	 ? &g->zip_loc[gp->loc]
				 : gp->kind == KIND_CITY ? &g->city_loc[gp->loc]
							 : &g->name_loc;
		if (!l->ng)
			l->g0 = (uint32_t)i;
		l->ng++;
		if (gp->kind == KIND_ZIP) {
			nzip[gp->name]++;
			g->zip[gp->loc].streets = 1;
		} else if (gp->kind == KIND_CITY) {
			ncity[gp->name]++;
		} else {
			gp->ambiguous =
			    ncity[gp->name] > 1 ||
			    (!ncity[gp->name] && nzip[gp->name] > 1);
		}
		core_hset_add(&g->gset, gkey_hash(&k), (uint32_t)i, &k,
			      sizeof(k), grp_eq, g);
	}
	free(ncity);
	free(nzip);
}

/* A ZIP without a centroid takes the mean of its points; records
 * without a city take their ZIP's. */
static void fill_places(struct geo_geocoder *g, struct tpt *t, size_t n,
			uint32_t *rnames)
{
	double *sx = xcalloc(g->zips.n + 1, sizeof(double));
	double *sy = xcalloc(g->zips.n + 1, sizeof(double));
	size_t *cnt = xcalloc(g->zips.n + 1, sizeof(size_t)), i;

	for (i = 0; i < n; i++) {
		if (t[i].zip == NONE_ID)
			continue;
		if (t[i].city != NONE_ID && g->zip[t[i].zip].city == NONE_ID)
			g->zip[t[i].zip].city = t[i].city;
		sx[t[i].zip] += t[i].lon;
		sy[t[i].zip] += t[i].lat;
		cnt[t[i].zip]++;
	}
	for (i = 0; i < g->zips.n; i++)
		if (!g->zip[i].have && cnt[i]) {
			g->zip[i].lon = sx[i] / (double)cnt[i];
			g->zip[i].lat = sy[i] / (double)cnt[i];
			g->zip[i].have = 1;
		}
	for (i = 0; i < n; i++)
		if (t[i].city == NONE_ID && t[i].zip != NONE_ID)
			t[i].city = g->zip[t[i].zip].city;
	for (i = 0; i < g->nrg; i++)
		if (rnames[3 * i + 2] == NONE_ID &&
		    rnames[3 * i + 1] != NONE_ID)
			rnames[3 * i + 2] = g->zip[rnames[3 * i + 1]].city;
	free(sx);
	free(sy);
	free(cnt);
}

int geo_geocoder_load(struct core_ws *ws, struct geo_geocoder **out,
		      struct core_err *err)
{
	struct geo_geocoder *g = xcalloc(1, sizeof(*g));
	struct tpt *t = NULL;
	uint32_t *rnames = NULL;
	struct ent *e = NULL;
	size_t nt = 0, zcap = 0, i, k, ne = 0;
	int rc;

	*out = NULL;
	intern(&g->sfxs, ""); /* id 0: no suffix */
	if ((rc = load_zips(ws, g, &zcap, err)) ||
	    (rc = load_points(ws, g, &t, &nt, &zcap, err)) ||
	    (rc = load_ranges(ws, g, &rnames, &zcap, err)))
		goto cleanup;
	zip_room(g, &zcap);
	fill_places(g, t, nt, rnames);
	/* One point per address: unit rows and repeats go, the base row
	 * (or the first) stays. */
	if (nt)
		qsort(t, nt, sizeof(*t), cmp_tpt);
	g->pt = xmalloc((nt ? nt : 1) * sizeof(*g->pt));
	e = xmalloc((3 * (nt + g->nrg) + 1) * sizeof(*e));
	for (i = 0; i < nt; i = k) {
		struct gpt *p = &g->pt[g->npt];
		for (k = i + 1;
		     k < nt && t[k].name == t[i].name && t[k].zip == t[i].zip &&
		     t[k].city == t[i].city && t[k].var == t[i].var &&
		     t[k].num == t[i].num && t[k].sfx == t[i].sfx;
		     k++)
			;
		p->lon = t[i].lon;
		p->lat = t[i].lat;
		p->num = t[i].num;
		p->sfx = (uint16_t)t[i].sfx;
		p->var = (uint16_t)t[i].var;
		ne += add_ents(e + ne, t[i].name, t[i].zip, t[i].city, t[i].var,
			       0, t[i].num, t[i].sfx, (uint32_t)g->npt);
		g->npt++;
	}
	for (i = 0; i < g->nrg; i++)
		ne += add_ents(e + ne, rnames[3 * i], rnames[3 * i + 1],
			       rnames[3 * i + 2], g->rg[i].var, 1, g->rg[i].lo,
			       0, (uint32_t)i);
	if (g->sfxs.n > UINT16_MAX || g->vars.n > UINT16_MAX) {
		rc = core_err_set(err, CORE_EDB,
				  "addr_points: more than %u house number "
				  "suffixes or street variants",
				  (unsigned)UINT16_MAX);
		goto cleanup;
	}
	if (ne)
		qsort(e, ne, sizeof(*e), cmp_ent);
	build_groups(g, e, ne);
cleanup:
	free(t);
	free(rnames);
	free(e);
	if (rc) {
		geo_geocoder_free(g);
		return rc;
	}
	*out = g;
	return CORE_OK;
}

void geo_geocoder_free(struct geo_geocoder *g)
{
	if (!g)
		return;
	core_strmap_release(&g->names);
	core_strmap_release(&g->zips);
	core_strmap_release(&g->cities);
	core_strmap_release(&g->sfxs);
	core_strmap_release(&g->vars);
	core_hset_release(&g->gset);
	free(g->var);
	free(g->pt);
	free(g->rg);
	free(g->xy);
	free(g->pidx);
	free(g->pnum);
	free(g->ridx);
	free(g->run);
	free(g->grp);
	free(g->zip_loc);
	free(g->city_loc);
	free(g->zip);
	free(g);
}

int geo_geocoder_empty(const struct geo_geocoder *g)
{
	return !g->npt && !g->nrg && !g->nzip_rows;
}

void geo_geocoder_counts(const struct geo_geocoder *g, size_t *points,
			 size_t *ranges, size_t *zips)
{
	*points = g->npt;
	*ranges = g->nrg;
	*zips = g->nzip_rows;
}

/* ------------------------------------------------------------------
 * Geometry on the local tangent plane
 * ------------------------------------------------------------------ */

/* Metres between two lon/lat points (equirectangular; short distances). */
static double dist_m(double lon1, double lat1, double lon2, double lat2)
{
	double c = cos((lat1 + lat2) * 0.5 * 3.14159265358979323846 / 180.0);
	double dx = (lon2 - lon1) * c * M_PER_DEG,
	       dy = (lat2 - lat1) * M_PER_DEG;

	return sqrt(dx * dx + dy * dy);
}

/*
 * The point at fraction f (0..1) of the length of range r's line, moved
 * off metres to the right of the line's direction (negative: left).
 */
static void along(const struct geo_geocoder *g, const struct grg *r, double f,
		  double off, double *lon, double *lat)
{
	const double *v = g->xy + 2 * (size_t)r->v0;
	double c = cos(v[1] * 3.14159265358979323846 / 180.0);
	double kx = c * M_PER_DEG, total = 0, want, run = 0;
	uint32_t i;

	for (i = 0; i + 1 < r->nv; i++) {
		double dx = (v[2 * i + 2] - v[2 * i]) * kx;
		double dy = (v[2 * i + 3] - v[2 * i + 1]) * M_PER_DEG;
		total += sqrt(dx * dx + dy * dy);
	}
	*lon = v[0];
	*lat = v[1];
	if (r->nv < 2 || total <= 0)
		return;
	want = f * total;
	for (i = 0; i + 1 < r->nv; i++) {
		double dx = (v[2 * i + 2] - v[2 * i]) * kx;
		double dy = (v[2 * i + 3] - v[2 * i + 1]) * M_PER_DEG;
		double len = sqrt(dx * dx + dy * dy), s, x, y;
		if (len <= 0)
			continue;
		if (run + len < want && i + 2 < r->nv) {
			run += len;
			continue;
		}
		s = (want - run) / len;
		if (s > 1)
			s = 1;
		if (s < 0)
			s = 0;
		x = (v[2 * i] - v[0]) * kx + s * dx + off * dy / len;
		y = (v[2 * i + 1] - v[1]) * M_PER_DEG + s * dy - off * dx / len;
		*lon = v[0] + x / kx;
		*lat = v[1] + y / M_PER_DEG;
		return;
	}
}

/* ------------------------------------------------------------------
 * Lookup
 * ------------------------------------------------------------------ */

/* What one query carries, prepared once. */
struct query {
	const struct geo_addr *a;
	int32_t num; /* -1: none */
	uint32_t sfx;
};

struct hit {
	int level;
	double lon, lat, score;
	const char *why;
};

static long find_group(const struct geo_geocoder *g, uint32_t kind,
		       uint32_t name, uint32_t loc)
{
	struct gkey k = {kind, name, loc};

	if (name == NONE_ID || loc == NONE_ID)
		return -1;
	return core_hset_find(&g->gset, gkey_hash(&k), &k, sizeof(k), grp_eq,
			      g);
}

static double part_pen(const char *q, const char *r)
{
	if (!strcmp(q, r))
		return 0;
	return (!q[0] || !r[0]) ? PEN_MISSING : PEN_DIFFERS;
}

/* What a query's type and directionals cost against variant v. */
static double var_pen(const struct geo_geocoder *g, const struct geo_addr *a,
		      uint32_t v)
{
	const struct gvar *x = &g->var[v];

	return part_pen(a->type, x->type) + part_pen(a->predir, x->predir) +
	       part_pen(a->postdir, x->postdir);
}

/* The first position in run r's points whose number is >= num (the
 * numbers are searched in pnum, beside the ids, to touch less memory). */
static uint32_t pt_lower(const struct geo_geocoder *g, const struct grun *r,
			 int32_t num)
{
	const int32_t *v = g->pnum + r->pt0;
	uint32_t lo = 0, hi = r->npt;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (v[mid] < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int match_point(const struct geo_geocoder *g, const struct query *q,
		       const struct grun *r, struct hit *h)
{
	uint32_t k = pt_lower(g, r, q->num);
	const struct gpt *other = NULL;

	for (; k < r->npt; k++) {
		const struct gpt *p = &g->pt[g->pidx[r->pt0 + k]];
		if (p->num != q->num)
			break;
		if (p->sfx == q->sfx) {
			h->lon = p->lon;
			h->lat = p->lat;
			h->score = SC_POINT;
			h->why = NULL;
			return 1;
		}
		if (!other)
			other = p;
	}
	if (!other)
		return 0;
	h->lon = other->lon;
	h->lat = other->lat;
	h->score = SC_POINT - PEN_SUFFIX;
	h->why = "house number suffix differs";
	return 1;
}

static int match_interp(const struct geo_geocoder *g, const struct query *q,
			const struct grun *r, struct hit *h)
{
	uint32_t p = pt_lower(g, r, q->num), k;
	const struct gpt *lo = NULL, *hi = NULL;
	double t;

	for (k = p; k > 0; k--) {
		const struct gpt *x = &g->pt[g->pidx[r->pt0 + k - 1]];
		if (q->num - x->num > GEO_GC_INTERP_NUMS)
			break;
		if (((x->num ^ q->num) & 1) == 0) {
			lo = x;
			break;
		}
	}
	if (!lo)
		return 0;
	for (k = p; k < r->npt; k++) {
		const struct gpt *x = &g->pt[g->pidx[r->pt0 + k]];
		if (x->num - lo->num > GEO_GC_INTERP_NUMS)
			break;
		if (x->num > q->num && ((x->num ^ q->num) & 1) == 0) {
			hi = x;
			break;
		}
	}
	if (!hi || dist_m(lo->lon, lo->lat, hi->lon, hi->lat) > GEO_GC_INTERP_M)
		return 0;
	t = (double)(q->num - lo->num) / (double)(hi->num - lo->num);
	h->lon = lo->lon + t * (hi->lon - lo->lon);
	h->lat = lo->lat + t * (hi->lat - lo->lat);
	h->score = SC_INTERP;
	h->why = "no address point with this number";
	return 1;
}

static int parity_holds(char parity, int32_t num)
{
	return parity == 'B' || (parity == 'O') == ((num & 1) == 1);
}

static int match_range(const struct geo_geocoder *g, const struct query *q,
		       const struct grun *r, struct hit *h)
{
	const struct grg *best = NULL;
	uint32_t k;
	double f;

	for (k = 0; k < r->nrg; k++) {
		const struct grg *x = &g->rg[g->ridx[r->rg0 + k]];
		if (x->lo > q->num)
			break;
		if (x->hi < q->num || !parity_holds(x->parity, q->num))
			continue;
		if (!best || (best->parity == 'B' && x->parity != 'B') ||
		    ((best->parity == 'B') == (x->parity == 'B') &&
		     x->hi - x->lo < best->hi - best->lo))
			best = x;
	}
	if (!best)
		return 0;
	f = best->from == best->to ? 0.5
				   : (double)(q->num - best->from) /
					 (double)(best->to - best->from);
	along(g, best, f,
	      best->side == 'R' ? GEO_GC_OFFSET_M : -GEO_GC_OFFSET_M, &h->lon,
	      &h->lat);
	h->score = SC_RANGE;
	h->why = "no address points around the number";
	return 1;
}

#define MAX_RUNS 64

/* Run ids of group gi and what their variant costs, at most MAX_RUNS. */
static size_t group_runs(const struct geo_geocoder *g, const struct query *q,
			 long gi, uint32_t *ids, double *pen)
{
	const struct ggrp *gp = &g->grp[gi];
	size_t n = gp->nrun < MAX_RUNS ? gp->nrun : MAX_RUNS, i;

	for (i = 0; i < n; i++) {
		ids[i] = gp->run0 + (uint32_t)i;
		pen[i] = var_pen(g, q->a, g->run[ids[i]].var);
	}
	return n;
}

/* Two answers further apart than this are two places, not one. */
#define AMBIG_M 25.0

/* The best numbered level run r places q at (point, interpolated,
 * range), or 0. */
static int run_numbered(const struct geo_geocoder *g, const struct query *q,
			const struct grun *r, struct hit *h)
{
	if (match_point(g, q, r, h))
		return h->level = GEO_GC_POINT;
	if (match_interp(g, q, r, h))
		return h->level = GEO_GC_INTERP;
	if (match_range(g, q, r, h))
		return h->level = GEO_GC_RANGE;
	return 0;
}

/*
 * The tier of variants gi's numbered levels may use: the exact variant
 * alone when the group has it (a user who wrote "16 ST W" means that
 * street even when "16 AVE" holds the number), else the cheapest tier
 * that places the number (so "16 AVE" is found for "16 St" when the
 * ZIP has no 16 ST).  Fills ids/pen and returns their count; *tier is
 * the cost of the tier to try first.
 */
static size_t eligible_runs(const struct geo_geocoder *g, const struct query *q,
			    long gi, uint32_t *ids, double *pen, double *tier)
{
	size_t n = group_runs(g, q, gi, ids, pen), i, m = 0;

	*tier = HUGE_VAL;
	for (i = 0; i < n; i++)
		if (pen[i] < *tier)
			*tier = pen[i];
	if (*tier > 0)
		return n;
	for (i = 0; i < n; i++)
		if (pen[i] == 0) {
			ids[m] = ids[i];
			pen[m++] = 0;
		}
	return m;
}

/*
 * The address point, interpolated or range level in group gi: the
 * variants of one tier of cost at a time, cheapest first (see
 * eligible_runs).  Within a tier, when two variants place the number at
 * places more than AMBIG_M apart ("292 Franklin St" where the ZIP has
 * Franklin St E and Franklin St W, both with a 292), it is not ours to
 * pick one: -1, ambiguous.  Returns 1 with h filled, 0 when no variant
 * places the number.
 */
static int match_numbered(const struct geo_geocoder *g, const struct query *q,
			  long gi, struct hit *h)
{
	uint32_t ids[MAX_RUNS];
	double pen[MAX_RUNS], tier;
	size_t n = eligible_runs(g, q, gi, ids, pen, &tier), i;

	for (; tier != HUGE_VAL;) {
		double next = HUGE_VAL;
		struct hit best, x;
		int have = 0;
		for (i = 0; i < n; i++) {
			if (pen[i] != tier) {
				if (pen[i] > tier && pen[i] < next)
					next = pen[i];
				continue;
			}
			if (!run_numbered(g, q, &g->run[ids[i]], &x))
				continue;
			if (have &&
			    dist_m(best.lon, best.lat, x.lon, x.lat) > AMBIG_M)
				return -1;
			if (!have || x.level < best.level)
				best = x;
			have = 1;
		}
		if (have) {
			*h = best;
			h->score -= tier;
			if (!h->why && tier > 0)
				h->why = "street type or directional differs";
			return 1;
		}
		tier = next;
	}
	return 0;
}

/* How far num lies from range x's numbers (0 inside). */
static int64_t range_gap(const struct grg *x, int32_t num)
{
	return num < x->lo   ? (int64_t)x->lo - num
	       : num > x->hi ? (int64_t)num - x->hi
			     : 0;
}

/* The known number of run r nearest to num: a point (*bp) or a range
 * (*br), and how far it lies (INT64_MAX when r has none). */
static int64_t run_nearest(const struct geo_geocoder *g, const struct grun *r,
			   int32_t num, const struct gpt **bp,
			   const struct grg **br)
{
	uint32_t p = pt_lower(g, r, num), k;
	int64_t bgap = INT64_MAX;

	*bp = NULL;
	*br = NULL;
	for (k = p > 0 ? p - 1 : 0; k <= p && k < r->npt; k++) {
		const struct gpt *x = &g->pt[g->pidx[r->pt0 + k]];
		int64_t gap = llabs((long long)x->num - num);
		if (gap < bgap) {
			bgap = gap;
			*bp = x;
		}
	}
	for (k = 0; k < r->nrg; k++) {
		const struct grg *x = &g->rg[g->ridx[r->rg0 + k]];
		int64_t gap = range_gap(x, num);
		if (gap < bgap) {
			bgap = gap;
			*br = x;
			*bp = NULL;
		}
	}
	return bgap;
}

/*
 * The street level in group gi, over the variants eligible_runs allows:
 * with a number, the known number nearest to q's (points and ranges,
 * the cheaper variant on a tie), within GEO_GC_STREET_SLACK, and -1
 * (ambiguous) when another variant as cheap also holds a number within
 * the slack at a place more than AMBIG_M away; without a number, the
 * middle of the variant with the most features among the cheapest.
 */
static int match_street(const struct geo_geocoder *g, const struct query *q,
			long gi, struct hit *h)
{
	uint32_t ids[MAX_RUNS];
	double pen[MAX_RUNS], bpen = HUGE_VAL, tier, x, y;
	size_t n = eligible_runs(g, q, gi, ids, pen, &tier), i;
	int64_t bgap = INT64_MAX;
	const struct gpt *bp = NULL;
	const struct grg *br = NULL;

	if (q->num < 0) {
		const struct grun *best = NULL;
		for (i = 0; i < n; i++) {
			const struct grun *r = &g->run[ids[i]];
			if (!best || pen[i] < bpen ||
			    (pen[i] == bpen &&
			     r->npt + r->nrg > best->npt + best->nrg)) {
				best = r;
				bpen = pen[i];
			}
		}
		if (!best)
			return 0;
		if (best->npt)
			bp = &g->pt[g->pidx[best->pt0 + best->npt / 2]];
		else
			br = &g->rg[g->ridx[best->rg0 + best->nrg / 2]];
	} else {
		for (i = 0; i < n; i++) {
			const struct gpt *p;
			const struct grg *rg;
			int64_t gap =
			    run_nearest(g, &g->run[ids[i]], q->num, &p, &rg);
			if (gap < bgap || (gap == bgap && pen[i] < bpen)) {
				bgap = gap;
				bpen = pen[i];
				bp = p;
				br = rg;
			}
		}
		if (bgap > GEO_GC_STREET_SLACK)
			return 0;
	}
	if (bp) {
		x = bp->lon;
		y = bp->lat;
	} else if (br) {
		along(g, br, 0.5, 0, &x, &y);
	} else {
		return 0;
	}
	for (i = 0; q->num >= 0 && i < n; i++) {
		const struct gpt *p;
		const struct grg *rg;
		double ox, oy;
		if (pen[i] != bpen ||
		    run_nearest(g, &g->run[ids[i]], q->num, &p, &rg) >
			GEO_GC_STREET_SLACK)
			continue;
		if (p) {
			ox = p->lon;
			oy = p->lat;
		} else {
			along(g, rg, 0.5, 0, &ox, &oy);
		}
		if (dist_m(x, y, ox, oy) > AMBIG_M)
			return -1;
	}
	h->lon = x;
	h->lat = y;
	h->level = GEO_GC_STREET;
	h->score = (q->num < 0 ? SC_STREET_NON : SC_STREET) - bpen;
	h->why = q->num < 0 ? "no house number"
			    : "number not within the street's known numbers";
	return 1;
}

/* Whether a and b (lengths na, nb) are exactly one Damerau edit apart:
 * one substitution, insertion, deletion or adjacent transposition. */
static int one_edit(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0;

	if (na > nb)
		return one_edit(b, nb, a, na);
	if (nb - na > 1)
		return 0;
	while (i < na && a[i] == b[i])
		i++;
	if (na == nb) {
		if (i == na)
			return 0;
		if (!strcmp(a + i + 1, b + i + 1))
			return 1;
		return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       !strcmp(a + i + 2, b + i + 2);
	}
	return !strcmp(a + i, b + i + 1);
}

/* Whether a name may match with a typo: 4 characters or more, no digit. */
static int typo_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 4)
		return 0;
	for (i = 0; i < n; i++)
		if (isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * The group among l's (one ZIP's, one city's or all names) whose name is
 * one edit from key: its index, -1 when none is, -2 when more than one.
 */
static long typo_group(const struct geo_geocoder *g, const struct gloc *l,
		       const char *key, size_t nkey)
{
	long found = -1;
	uint32_t i;

	if (!typo_ok(key, nkey))
		return -1;
	for (i = l->g0; i < l->g0 + l->ng; i++) {
		const char *s = map_key(&g->names, g->grp[i].name);
		size_t ns = g->names.off[g->grp[i].name + 1] -
			    g->names.off[g->grp[i].name] - 1;
		if (ns + 1 < nkey || ns > nkey + 1 || !typo_ok(s, ns) ||
		    !one_edit(key, nkey, s, ns))
			continue;
		if (found >= 0)
			return -2;
		found = (long)i;
	}
	return found;
}

static void set_none(struct geo_gc_result *r, const char *why)
{
	r->level = GEO_GC_NONE;
	r->lon = r->lat = NAN;
	r->score = 0;
	r->why = why;
}

static void set_hit(struct geo_gc_result *r, const struct hit *h, int worst)
{
	static const char *const coarse[] = {
	    NULL,
	    NULL,
	    "only an interpolated match",
	    "only a street range match",
	    "only a street-level match",
	    "only a ZIP-level match",
	};

	if (h->level > worst) {
		set_none(r, coarse[h->level]);
		return;
	}
	r->level = h->level;
	r->lon = h->lon;
	r->lat = h->lat;
	r->score = h->score < SC_MIN ? SC_MIN : h->score;
	r->why = h->why;
}

/* The ZIP level for an address the reference cannot check: zid has a
 * centroid and no streets at all.  1 with h set, else 0. */
static int zip_hit(const struct geo_geocoder *g, uint32_t zid, const char *why,
		   struct hit *h)
{
	if (zid == NONE_ID || !g->zip[zid].have)
		return 0;
	h->level = GEO_GC_ZIP;
	h->lon = g->zip[zid].lon;
	h->lat = g->zip[zid].lat;
	h->score = SC_ZIP;
	h->why = why;
	return 1;
}

/* The ZIP level for a street not found: only in a ZIP the reference
 * holds a centroid but no streets for. */
static int zip_centroid(const struct geo_geocoder *g, uint32_t zid,
			struct hit *h)
{
	return zid != NONE_ID && !g->zip[zid].streets &&
	       zip_hit(g, zid, "no streets known in this ZIP", h);
}

/* A candidate group and what using it costs. */
struct cand {
	long gi;
	double pen;
	const char *why;
};

void geo_geocode_addr(const struct geo_geocoder *g, const struct geo_addr *a,
		      const struct geo_gc_opts *opts, struct geo_gc_result *r)
{
	int worst = opts && opts->worst ? opts->worst : GEO_GC_ZIP;
	int typos = !(opts && opts->no_typos);
	char key[GEO_ADDR_NAME_MAX + 16], city[GEO_ADDR_CITY_MAX], zip[6];
	uint32_t zid = NONE_ID, cid = NONE_ID, name;
	int zip_given, city_given, anywhere, ambiguous = 0, rc = 0;
	struct cand c[3];
	size_t nc = 0, nkey, i;
	long gi;
	struct query q;
	struct hit h;

	set_none(r, "no reference addresses imported");
	if (geo_geocoder_empty(g))
		return;
	norm_zip(a->zip, zip);
	zip_given = zip[0] != 0;
	if (zip_given)
		zid = lookup(&g->zips, zip);
	h.why = NULL;
	if (a->po_box) {
		if (zip_hit(g, zid, "PO box", &h))
			set_hit(r, &h, worst);
		else
			set_none(r, "PO box without a known ZIP");
		return;
	}
	nkey = geo_addr_street_key(a, key, sizeof(key));
	if (nkey >= sizeof(key))
		nkey = sizeof(key) - 1;
	if (!nkey) {
		if (zip_hit(g, zid, "no street name", &h))
			set_hit(r, &h, worst);
		else
			set_none(r, "no street name");
		return;
	}
	norm_text(a->city, city, sizeof(city));
	city_given = city[0] && g->cities.n;
	if (city_given)
		cid = lookup(&g->cities, city);
	if (zip_given && zid == NONE_ID && (!city_given || cid == NONE_ID)) {
		set_none(r, "ZIP not in the reference data");
		return;
	}
	if (!zip_given && city_given && cid == NONE_ID) {
		set_none(r, "city not in the reference data");
		return;
	}
	anywhere = !zip_given && !city_given;
	name = lookup(&g->names, key);
	q.a = a;
	q.num =
	    a->number < 0 || a->number > INT32_MAX ? -1 : (int32_t)a->number;
	q.sfx = lookup(&g->sfxs, a->num_suffix);
	if (a->number > INT32_MAX) {
		set_none(r, "house number out of range");
		return;
	}
	/* Exact names first, in the ZIP then the city, then a typo. */
	if ((gi = find_group(g, KIND_ZIP, name, zid)) >= 0)
		c[nc++] = (struct cand){gi, 0, NULL};
	if ((gi = find_group(g, KIND_CITY, name, cid)) >= 0)
		c[nc++] = (struct cand){
		    gi, zip_given ? PEN_WRONG_ZIP : 0,
		    zip_given ? "found in the city, not in the ZIP given"
			      : NULL};
	if (anywhere && (gi = find_group(g, KIND_NAME, name, 0)) >= 0) {
		if (g->grp[gi].ambiguous) {
			set_none(r, "ambiguous street: in several places");
			return;
		}
		c[nc++] = (struct cand){gi, PEN_NO_PLACE, NULL};
	}
	if (!nc && typos) {
		long t = -1;
		if (zid != NONE_ID)
			t = typo_group(g, &g->zip_loc[zid], key, nkey);
		if (t >= 0)
			c[nc++] = (struct cand){t, PEN_TYPO,
						"street name one letter off"};
		ambiguous |= t == -2;
		if (!nc && cid != NONE_ID) {
			t = typo_group(g, &g->city_loc[cid], key, nkey);
			if (t >= 0)
				c[nc++] = (struct cand){
				    t,
				    PEN_TYPO + (zip_given ? PEN_WRONG_ZIP : 0),
				    "street name one letter off"};
			ambiguous |= t == -2;
		}
		if (!nc && anywhere) {
			t = typo_group(g, &g->name_loc, key, nkey);
			if (t >= 0 && g->grp[t].ambiguous) {
				set_none(r, "ambiguous street: in several "
					    "places");
				return;
			}
			if (t >= 0)
				c[nc++] =
				    (struct cand){t, PEN_TYPO + PEN_NO_PLACE,
						  "street name one letter off"};
			ambiguous |= t == -2;
		}
	}
	if (!nc) {
		if (ambiguous) {
			set_none(r, "street not found; several streets are "
				    "one letter off");
			return;
		}
		if (zip_centroid(g, zid, &h)) {
			set_hit(r, &h, worst);
			return;
		}
		set_none(r, zip_given	 ? "street not found in ZIP"
			    : city_given ? "street not found in city"
					 : "street not found");
		return;
	}
	for (i = 0; q.num >= 0 && i < nc; i++)
		if ((rc = match_numbered(g, &q, c[i].gi, &h)) != 0)
			goto found;
	for (i = 0; i < nc; i++)
		if ((rc = match_street(g, &q, c[i].gi, &h)) != 0)
			goto found;
	if (zip_centroid(g, zid, &h)) {
		set_hit(r, &h, worst);
		return;
	}
	set_none(r, "number outside the street's known numbers");
	return;
found:
	if (rc < 0) {
		set_none(r, "ambiguous street: several of this name match; "
			    "give its type or directional");
		return;
	}
	h.score -= c[i].pen;
	if (c[i].why)
		h.why = c[i].why;
	set_hit(r, &h, worst);
}

void geo_geocode_text(const struct geo_geocoder *g, const char *text,
		      const struct geo_gc_opts *opts, struct geo_gc_result *r)
{
	struct geo_addr a;
	int st = geo_addr_parse(text, &a);

	if (st) {
		set_none(r, geo_addr_status_str(st));
		return;
	}
	geo_geocode_addr(g, &a, opts, r);
}
