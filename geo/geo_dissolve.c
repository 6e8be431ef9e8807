/*
 * geo_dissolve.c - unions of areas through GEOS (geo_dissolve.h).
 */
#include "geo/geo_dissolve.h"

#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"

struct dctx {
	GEOSContextHandle_t h;
	char msg[512];
};

static void on_error(const char *message, void *ud)
{
	struct dctx *d = ud;

	snprintf(d->msg, sizeof(d->msg), "%s", message);
}

static void on_notice(const char *message, void *ud)
{
	(void)message;
	(void)ud;
}

/* The output, grown ring by ring (outlines are few). */
struct acc {
	struct geo_areas *a;
};

static GEOSGeometry *ring_of(GEOSContextHandle_t h, const struct geo_areas *a,
			     size_t k)
{
	size_t s = a->pt_start[k], e = a->pt_start[k + 1];
	GEOSCoordSequence *cs;

	if (e - s < 4)
		return NULL;
	cs = GEOSCoordSeq_copyFromArrays_r(h, a->x + s, a->y + s, NULL, NULL,
					   (unsigned)(e - s));
	return cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;
}

/* Polygon j of a (exterior and holes), or NULL when degenerate. */
static GEOSGeometry *polygon_of(GEOSContextHandle_t h,
				const struct geo_areas *a, size_t j)
{
	size_t k0 = a->ring_start[j], k1 = a->ring_start[j + 1], k, nh = 0;
	GEOSGeometry *shell = ring_of(h, a, k0), **holes;
	GEOSGeometry *poly;

	if (!shell)
		return NULL;
	holes = xcalloc(k1 - k0 + 1, sizeof(*holes));
	for (k = k0 + 1; k < k1; k++) {
		GEOSGeometry *r = ring_of(h, a, k);
		if (r)
			holes[nh++] = r;
	}
	poly = GEOSGeom_createPolygon_r(h, shell, holes, (unsigned)nh);
	free(holes);
	return poly;
}

static void add_ring(struct acc *o, GEOSContextHandle_t h,
		     const GEOSGeometry *ring)
{
	const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
	struct geo_areas *a = o->a;
	unsigned n = 0, i;

	if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n) || n < 4)
		return;
	a->x = xrealloc(a->x, (a->npts + n) * sizeof(double));
	a->y = xrealloc(a->y, (a->npts + n) * sizeof(double));
	for (i = 0; i < n; i++) {
		GEOSCoordSeq_getXY_r(h, cs, i, &a->x[a->npts + i],
				     &a->y[a->npts + i]);
	}
	a->npts += n;
	a->nrings++;
	a->pt_start = xrealloc(a->pt_start, (a->nrings + 1) * sizeof(size_t));
	a->pt_start[a->nrings] = a->npts;
}

/* Append the polygons of g (a polygon or multipolygon) to the output's
 * last area, dropping holes smaller than min_hole. */
static void add_polygons(struct acc *o, GEOSContextHandle_t h,
			 const GEOSGeometry *g, double min_hole)
{
	struct geo_areas *a = o->a;
	int n = GEOSGetNumGeometries_r(h, g), i, r;

	for (i = 0; i < n; i++) {
		const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
		int nr;
		size_t before = a->nrings;

		if (GEOSGeomTypeId_r(h, p) == GEOS_MULTIPOLYGON ||
		    GEOSGeomTypeId_r(h, p) == GEOS_GEOMETRYCOLLECTION) {
			add_polygons(o, h, p, min_hole);
			continue;
		}
		if (GEOSGeomTypeId_r(h, p) != GEOS_POLYGON ||
		    GEOSisEmpty_r(h, p))
			continue;
		add_ring(o, h, GEOSGetExteriorRing_r(h, p));
		if (a->nrings == before)
			continue;
		nr = GEOSGetNumInteriorRings_r(h, p);
		for (r = 0; r < nr; r++) {
			const GEOSGeometry *hole =
			    GEOSGetInteriorRingN_r(h, p, r);
			GEOSGeometry *hp = GEOSGeom_createPolygon_r(
			    h, GEOSGeom_clone_r(h, hole), NULL, 0);
			double ar = 0;

			if (hp)
				GEOSArea_r(h, hp, &ar);
			GEOSGeom_destroy_r(h, hp);
			if (ar >= min_hole)
				add_ring(o, h, hole);
		}
		a->nparts++;
		a->ring_start =
		    xrealloc(a->ring_start, (a->nparts + 1) * sizeof(size_t));
		a->ring_start[a->nparts] = a->nrings;
	}
}

int geo_areas_dissolve(const struct geo_areas *a, const int *group,
		       size_t ngroups, const char *const *keys, double grid,
		       double min_hole, struct geo_areas **out,
		       struct core_err *err)
{
	struct dctx d = {NULL, ""};
	struct acc o = {NULL};
	GEOSGeometry **parts = NULL;
	size_t g, i, j, np, cap = 0;
	int rc = CORE_OK;

	*out = NULL;
	d.h = GEOS_init_r();
	GEOSContext_setErrorMessageHandler_r(d.h, on_error, &d);
	GEOSContext_setNoticeMessageHandler_r(d.h, on_notice, &d);
	o.a = xcalloc(1, sizeof(*o.a));
	o.a->n = ngroups;
	o.a->geoid = xcalloc(ngroups + 1, sizeof(char *));
	o.a->name = xcalloc(ngroups + 1, sizeof(char *));
	o.a->population = xcalloc(ngroups + 1, sizeof(double));
	o.a->value = xcalloc(ngroups + 1, sizeof(double));
	o.a->flags = xcalloc(ngroups + 1, sizeof(int));
	o.a->part_start = xcalloc(ngroups + 1, sizeof(size_t));
	o.a->ring_start = xcalloc(1, sizeof(size_t));
	o.a->pt_start = xcalloc(1, sizeof(size_t));
	o.a->minx = o.a->miny = HUGE_VAL;
	o.a->maxx = o.a->maxy = -HUGE_VAL;
	for (g = 0; g < ngroups; g++) {
		GEOSGeometry *coll, *u = NULL;

		o.a->geoid[g] = xstrdup(keys[g] ? keys[g] : "");
		o.a->population[g] = NAN;
		o.a->value[g] = NAN;
		np = 0;
		for (i = 0; i < a->n; i++) {
			if (group[i] != (int)g)
				continue;
			for (j = a->part_start[i]; j < a->part_start[i + 1];
			     j++) {
				GEOSGeometry *p = polygon_of(d.h, a, j);

				if (!p)
					continue;
				if (GEOSisValid_r(d.h, p) != 1) {
					GEOSGeometry *v =
					    GEOSMakeValid_r(d.h, p);
					GEOSGeom_destroy_r(d.h, p);
					p = v;
				}
				if (!p)
					continue;
				xgrow((void **)&parts, &cap, np + 1,
				      sizeof(*parts));
				parts[np++] = p;
			}
		}
		if (np > 0) {
			coll = GEOSGeom_createCollection_r(
			    d.h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)np);
			np = 0;
			if (coll)
				u = grid > 0
					? GEOSUnaryUnionPrec_r(d.h, coll, grid)
					: GEOSUnaryUnion_r(d.h, coll);
			GEOSGeom_destroy_r(d.h, coll);
			if (!u) {
				rc = core_err_set(err, CORE_ELIB,
						  "dissolving the areas of %s: "
						  "GEOS: %s",
						  o.a->geoid[g],
						  d.msg[0] ? d.msg
							   : "unknown error");
				goto cleanup;
			}
			add_polygons(&o, d.h, u, min_hole);
			GEOSGeom_destroy_r(d.h, u);
		}
		o.a->part_start[g + 1] = o.a->nparts;
	}
	for (i = 0; i < o.a->npts; i++) {
		o.a->minx = fmin(o.a->minx, o.a->x[i]);
		o.a->miny = fmin(o.a->miny, o.a->y[i]);
		o.a->maxx = fmax(o.a->maxx, o.a->x[i]);
		o.a->maxy = fmax(o.a->maxy, o.a->y[i]);
	}
	*out = o.a;
	o.a = NULL;
cleanup:
	for (i = 0; i < np; i++)
		GEOSGeom_destroy_r(d.h, parts[i]);
	free(parts);
	geo_areas_free(o.a);
	GEOS_finish_r(d.h);
	return rc;
}
