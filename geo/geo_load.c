/*
 * geo_load.c - one SQL pass per layer into flat arrays.
 *
 * Geometries are SpatiaLite blobs, read directly in their common
 * little-endian layouts and through gaiaFromSpatiaLiteBlobWkb otherwise.
 * All coordinates are projected at the end, on every core
 * (geo_proj_fwd_par).
 */
#include "geo/geo_load.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <spatialite/gaiageo.h>

#include "core/core_mem.h"
#include "geo/geo_blob.h"

/* ---------------------------------------------------------------------
 * Areas
 * ------------------------------------------------------------------ */

/* Growable state while reading; capacities beside the arrays. */
struct areas_build {
	struct geo_areas *a;
	size_t cap_n, cap_parts, cap_rings, cap_pts;
};

/* The capacity to grow to for need elements (doubling, from 16). */
static size_t grown(size_t cap, size_t need)
{
	size_t n = cap ? cap : 16;

	while (n < need)
		n *= 2;
	return n;
}

static void push_area(struct areas_build *b, const char *geoid,
		      const char *name, double pop, double value, int flags)
{
	struct geo_areas *a = b->a;

	/* part_start holds n + 1 entries; the others n. */
	if (a->n + 2 > b->cap_n) {
		size_t c = grown(b->cap_n, a->n + 2);
		a->geoid = xrealloc(a->geoid, c * sizeof(char *));
		a->name = xrealloc(a->name, c * sizeof(char *));
		a->population = xrealloc(a->population, c * sizeof(double));
		a->value = xrealloc(a->value, c * sizeof(double));
		a->flags = xrealloc(a->flags, c * sizeof(int));
		a->part_start = xrealloc(a->part_start, c * sizeof(size_t));
		b->cap_n = c;
	}
	a->geoid[a->n] = xstrdup(geoid);
	a->name[a->n] = xstrdup_or_null(name);
	a->population[a->n] = pop;
	a->value[a->n] = value;
	a->flags[a->n] = flags;
	a->n++;
	a->part_start[a->n] = a->nparts;
}

static void push_ring(struct areas_build *b, const gaiaRing *r)
{
	struct geo_areas *a = b->a;
	size_t stride, v;

	switch (r->DimensionModel) {
	case GAIA_XY_Z:
	case GAIA_XY_M:
		stride = 3;
		break;
	case GAIA_XY_Z_M:
		stride = 4;
		break;
	default:
		stride = 2;
		break;
	}
	if (r->Points <= 0)
		return;
	if (a->npts + (size_t)r->Points > b->cap_pts) {
		size_t c = grown(b->cap_pts, a->npts + (size_t)r->Points);
		a->x = xrealloc(a->x, c * sizeof(double));
		a->y = xrealloc(a->y, c * sizeof(double));
		b->cap_pts = c;
	}
	for (v = 0; v < (size_t)r->Points; v++) {
		a->x[a->npts] = r->Coords[v * stride];
		a->y[a->npts] = r->Coords[v * stride + 1];
		a->npts++;
	}
	xgrow((void **)&a->pt_start, &b->cap_rings, a->nrings + 2,
	      sizeof(size_t));
	a->nrings++;
	a->pt_start[a->nrings] = a->npts;
}

static void push_polygon(struct areas_build *b, const gaiaPolygon *pg)
{
	struct geo_areas *a = b->a;
	int i;

	if (!pg->Exterior || pg->Exterior->Points <= 0)
		return;
	push_ring(b, pg->Exterior);
	for (i = 0; i < pg->NumInteriors; i++)
		push_ring(b, &pg->Interiors[i]);
	xgrow((void **)&a->ring_start, &b->cap_parts, a->nparts + 2,
	      sizeof(size_t));
	a->nparts++;
	a->ring_start[a->nparts] = a->nrings;
}

/*
 * The fast path for what almost every area is: an uncompressed XY
 * POLYGON or MULTIPOLYGON in a little-endian SpatiaLite blob, read
 * straight into the arrays (gaiaFromSpatiaLiteBlobWkb allocates a list
 * node per ring and point array, which dominated loading 85,000 tracts).
 * The blob is walked once to check it fits before anything is pushed;
 * anything else (big-endian, Z/M, compressed, collections) returns 0 and
 * goes the general way.
 */
static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Walk (push 0) or read (push 1) one polygon body at *off.  A polygon
 * whose exterior ring is empty is skipped whole, as push_polygon does. */
static int blob_polygon(struct areas_build *b, const unsigned char *p,
			size_t end, size_t *off, int push)
{
	struct geo_areas *a = b->a;
	size_t o = *off, nr, r, np, v;

	if (o + 4 > end)
		return 0;
	nr = rd32(p + o);
	o += 4;
	if (push && (nr == 0 || o + 4 > end || rd32(p + o) == 0))
		push = 0;
	for (r = 0; r < nr; r++) {
		if (o + 4 > end)
			return 0;
		np = rd32(p + o);
		o += 4;
		if (np > (end - o) / 16)
			return 0;
		if (push && np > 0) {
			if (a->npts + np > b->cap_pts) {
				size_t c = grown(b->cap_pts, a->npts + np);
				a->x = xrealloc(a->x, c * sizeof(double));
				a->y = xrealloc(a->y, c * sizeof(double));
				b->cap_pts = c;
			}
			for (v = 0; v < np; v++) {
				memcpy(&a->x[a->npts], p + o + v * 16, 8);
				memcpy(&a->y[a->npts], p + o + v * 16 + 8, 8);
				a->npts++;
			}
			xgrow((void **)&a->pt_start, &b->cap_rings,
			      a->nrings + 2, sizeof(size_t));
			a->nrings++;
			a->pt_start[a->nrings] = a->npts;
		}
		o += np * 16;
	}
	if (push) {
		xgrow((void **)&a->ring_start, &b->cap_parts, a->nparts + 2,
		      sizeof(size_t));
		a->nparts++;
		a->ring_start[a->nparts] = a->nrings;
	}
	*off = o;
	return 1;
}

static int blob_fast(struct areas_build *b, const unsigned char *p, size_t n,
		     int push)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	size_t off = 43, end = n - 1, e, ne;
	uint32_t type;

	if (n < 44 || p[0] != 0x00 || p[1] != 0x01 || p[38] != 0x7c ||
	    p[n - 1] != 0xfe)
		return 0;
	type = rd32(p + 39);
	if (type == 3)
		return blob_polygon(b, p, end, &off, push) && off == end;
	if (type != 6 || off + 4 > end)
		return 0;
	ne = rd32(p + off);
	off += 4;
	for (e = 0; e < ne; e++) {
		if (off + 5 > end || p[off] != 0x69 || rd32(p + off + 1) != 3)
			return 0;
		off += 5;
		if (!blob_polygon(b, p, end, &off, push))
			return 0;
	}
	return off == end;
#else
	(void)b;
	(void)p;
	(void)n;
	(void)push;
	return 0;
#endif
}

static double column_number(sqlite3_stmt *st, int i)
{
	int t = sqlite3_column_type(st, i);

	if (t == SQLITE_INTEGER || t == SQLITE_FLOAT)
		return sqlite3_column_double(st, i);
	return NAN;
}

static void extent(const double *x, const double *y, size_t n, double *minx,
		   double *miny, double *maxx, double *maxy)
{
	size_t i;

	*minx = *miny = HUGE_VAL;
	*maxx = *maxy = -HUGE_VAL;
	for (i = 0; i < n; i++) {
		if (x[i] < *minx)
			*minx = x[i];
		if (x[i] > *maxx)
			*maxx = x[i];
		if (y[i] < *miny)
			*miny = y[i];
		if (y[i] > *maxy)
			*maxy = y[i];
	}
}

int geo_areas_load(struct core_ws *ws, const char *level, const char *indicator,
		   struct geo_proj *proj, struct geo_areas **out,
		   struct core_err *err)
{
	static const char sql[] =
	    "SELECT a.geoid, a.name, a.population, a.geom, i.value, a.flags"
	    " FROM areas a LEFT JOIN indicators i"
	    "  ON i.geoid = a.geoid AND i.name = ?2"
	    " WHERE a.level = ?1 ORDER BY a.geoid";
	struct areas_build b = {NULL, 0, 0, 0, 0};
	sqlite3_stmt *st = NULL;
	int rc = CORE_OK, step;

	*out = NULL;
	b.a = xcalloc(1, sizeof(*b.a));
	/* Offsets always hold their leading 0. */
	b.a->part_start = xcalloc(1, sizeof(size_t));
	b.a->ring_start = xcalloc(1, sizeof(size_t));
	b.a->pt_start = xcalloc(1, sizeof(size_t));
	b.cap_n = b.cap_parts = b.cap_rings = 1;
	if ((rc = core_ws_prepare(ws, err, &st, sql)))
		goto cleanup;
	sqlite3_bind_text(st, 1, level, -1, SQLITE_STATIC);
	if (indicator)
		sqlite3_bind_text(st, 2, indicator, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *geoid = (const char *)sqlite3_column_text(st, 0);
		const unsigned char *blob = sqlite3_column_blob(st, 3);
		int size = sqlite3_column_bytes(st, 3);
		gaiaGeomCollPtr g;
		gaiaPolygonPtr pg;

		if (blob && size > 0 && blob_fast(&b, blob, (size_t)size, 0)) {
			push_area(&b, geoid ? geoid : "",
				  (const char *)sqlite3_column_text(st, 1),
				  column_number(st, 2), column_number(st, 4),
				  sqlite3_column_int(st, 5));
			blob_fast(&b, blob, (size_t)size, 1);
			b.a->part_start[b.a->n] = b.a->nparts;
			continue;
		}
		g = blob ? gaiaFromSpatiaLiteBlobWkb(blob, (unsigned)size)
			 : NULL;
		if (!g) {
			rc = core_err_set(
			    err, CORE_EFORMAT,
			    "workspace %s, areas level %s geoid %s: the "
			    "geometry is not a SpatiaLite geometry blob",
			    ws->path, level, geoid ? geoid : "?");
			goto cleanup;
		}
		push_area(&b, geoid ? geoid : "",
			  (const char *)sqlite3_column_text(st, 1),
			  column_number(st, 2), column_number(st, 4),
			  sqlite3_column_int(st, 5));
		for (pg = g->FirstPolygon; pg; pg = pg->Next)
			push_polygon(&b, pg);
		b.a->part_start[b.a->n] = b.a->nparts;
		gaiaFreeGeomColl(g);
	}
	if (step != SQLITE_DONE) {
		rc = core_ws_dberr(ws, err, "reading areas");
		goto cleanup;
	}
	if (proj && b.a->npts &&
	    (rc = geo_proj_fwd_par(proj, b.a->x, b.a->y, b.a->npts, 0, err))) {
		core_err_prefix(err, "areas level %s: ", level);
		goto cleanup;
	}
	extent(b.a->x, b.a->y, b.a->npts, &b.a->minx, &b.a->miny, &b.a->maxx,
	       &b.a->maxy);
	*out = b.a;
	b.a = NULL;
cleanup:
	sqlite3_finalize(st);
	geo_areas_free(b.a);
	return rc;
}

void geo_areas_free(struct geo_areas *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->geoid[i]);
		free(a->name[i]);
	}
	free(a->geoid);
	free(a->name);
	free(a->population);
	free(a->value);
	free(a->flags);
	free(a->part_start);
	free(a->ring_start);
	free(a->pt_start);
	free(a->x);
	free(a->y);
	free(a);
}

/* ---------------------------------------------------------------------
 * Assets
 * ------------------------------------------------------------------ */

/* A point's lon/lat from its SpatiaLite blob: the fixed 60-byte layout
 * read directly, anything else through gaia (the first point of any
 * geometry).  Returns 0 for an empty or unreadable geometry. */
static int blob_point(const unsigned char *p, int n, double *x, double *y)
{
	gaiaGeomCollPtr g;
	int ok = 0;

	if (geo_blob_point_fast(p, n, x, y))
		return 1;
	if (!p || n <= 0 || !(g = gaiaFromSpatiaLiteBlobWkb(p, (unsigned)n)))
		return 0;
	if (g->FirstPoint) {
		*x = g->FirstPoint->X;
		*y = g->FirstPoint->Y;
		ok = 1;
	}
	gaiaFreeGeomColl(g);
	return ok;
}

/* The rank of code among the categories asked for, or -1. */
static int cat_rank(const char *const *cats, size_t ncats, const char *code)
{
	size_t i;

	for (i = 0; code && i < ncats; i++)
		if (strcmp(cats[i], code) == 0)
			return (int)i;
	return -1;
}

/*
 * Two scans in id order, merged here: asset_categories by its primary key
 * (which assets, with which best rank), then the assets themselves.  A
 * join in SQL looked each asset up by id and sorted the result: five
 * times slower for a map of every category.
 */
int geo_assets_load(struct core_ws *ws, const char *const *cats, size_t ncats,
		    struct geo_proj *proj, struct geo_assets **out,
		    struct core_err *err)
{
	static const char sql_cats[] =
	    "SELECT asset_id, category FROM asset_categories"
	    " ORDER BY asset_id, category";
	static const char sql_assets[] =
	    "SELECT id, geom FROM assets ORDER BY id";
	struct geo_assets *a = xcalloc(1, sizeof(*a));
	sqlite3_stmt *st = NULL;
	int64_t *ids = NULL;
	int *rank = NULL;
	size_t cap = 0, nw = 0, k = 0;
	int rc = CORE_OK, step;

	*out = NULL;
	if (ncats == 0)
		goto done;
	if ((rc = core_ws_prepare(ws, err, &st, sql_cats)))
		goto cleanup;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int r = cat_rank(cats, ncats,
				 (const char *)sqlite3_column_text(st, 1));

		if (r < 0)
			continue;
		if (nw > 0 && ids[nw - 1] == id) {
			if (r < rank[nw - 1])
				rank[nw - 1] = r;
			continue;
		}
		if (nw + 1 > cap) {
			cap = grown(cap, nw + 1);
			ids = xrealloc(ids, cap * sizeof(*ids));
			rank = xrealloc(rank, cap * sizeof(*rank));
		}
		ids[nw] = id;
		rank[nw++] = r;
	}
	if (step != SQLITE_DONE) {
		rc = core_ws_dberr(ws, err, "reading asset categories");
		goto cleanup;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (nw == 0)
		goto done;
	a->id = xmalloc(nw * sizeof(int64_t));
	a->lon = xmalloc(nw * sizeof(double));
	a->lat = xmalloc(nw * sizeof(double));
	a->cat = xmalloc(nw * sizeof(int));
	if ((rc = core_ws_prepare(ws, err, &st, sql_assets)))
		goto cleanup;
	while (k < nw && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		double x, y;

		while (k < nw && ids[k] < id)
			k++; /* a category row without its asset */
		if (k == nw || ids[k] != id)
			continue;
		/* An empty point has no location: nothing to draw. */
		if (blob_point(sqlite3_column_blob(st, 1),
			       sqlite3_column_bytes(st, 1), &x, &y) &&
		    !isnan(x) && !isnan(y)) {
			a->id[a->n] = id;
			a->lon[a->n] = x;
			a->lat[a->n] = y;
			a->cat[a->n] = rank[k];
			a->n++;
		}
		k++;
	}
	if (k < nw && step != SQLITE_DONE && step != SQLITE_ROW) {
		rc = core_ws_dberr(ws, err, "reading assets");
		goto cleanup;
	}
done:
	a->x = xmalloc((a->n ? a->n : 1) * sizeof(double));
	a->y = xmalloc((a->n ? a->n : 1) * sizeof(double));
	if (a->n) {
		memcpy(a->x, a->lon, a->n * sizeof(double));
		memcpy(a->y, a->lat, a->n * sizeof(double));
	}
	if (proj && a->n &&
	    (rc = geo_proj_fwd_par(proj, a->x, a->y, a->n, 0, err))) {
		core_err_prefix(err, "assets: ");
		goto cleanup;
	}
	extent(a->x, a->y, a->n, &a->minx, &a->miny, &a->maxx, &a->maxy);
	*out = a;
	a = NULL;
cleanup:
	sqlite3_finalize(st);
	free(ids);
	free(rank);
	geo_assets_free(a);
	return rc;
}

size_t geo_assets_keep(struct geo_assets *a, const unsigned char *keep)
{
	size_t i, k;

	for (i = k = 0; i < a->n; i++) {
		if (!keep[i])
			continue;
		a->id[k] = a->id[i];
		a->lon[k] = a->lon[i];
		a->lat[k] = a->lat[i];
		a->x[k] = a->x[i];
		a->y[k] = a->y[i];
		a->cat[k] = a->cat[i];
		if (k == 0 || a->x[k] < a->minx)
			a->minx = a->x[k];
		if (k == 0 || a->x[k] > a->maxx)
			a->maxx = a->x[k];
		if (k == 0 || a->y[k] < a->miny)
			a->miny = a->y[k];
		if (k == 0 || a->y[k] > a->maxy)
			a->maxy = a->y[k];
		k++;
	}
	a->n = k;
	return k;
}

void geo_assets_free(struct geo_assets *a)
{
	if (!a)
		return;
	free(a->id);
	free(a->lon);
	free(a->lat);
	free(a->x);
	free(a->y);
	free(a->cat);
	free(a);
}
