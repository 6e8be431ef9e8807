/*
 * geo_deserts.c - deserts: the study area minus the buffers of the
 * assets.  See geo_deserts.h.
 */
#include "geo/geo_deserts.h"

#include <geos_c.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_area.h"
#include "core/core_mem.h"
#include "geo/geo_kd.h"
#include "geo/geo_par.h"

/* One GEOS context and the last message it reported. */
struct gctx {
	GEOSContextHandle_t h;
	char msg[512];
};

struct geo_deserts_int {
	struct gctx g;	      /* the calling thread's */
	GEOSGeometry **area;  /* [n] each area's desert, NULL when empty */
	GEOSGeometry **piece; /* [npieces] */
};

static void on_geos_error(const char *message, void *ud)
{
	struct gctx *g = ud;

	snprintf(g->msg, sizeof(g->msg), "%s", message);
}

static void on_geos_notice(const char *message, void *ud)
{
	(void)message;
	(void)ud;
}

static void gctx_init(struct gctx *g)
{
	g->msg[0] = '\0';
	g->h = GEOS_init_r();
	GEOSContext_setErrorMessageHandler_r(g->h, on_geos_error, g);
	GEOSContext_setNoticeMessageHandler_r(g->h, on_geos_notice, g);
}

static void gctx_release(struct gctx *g)
{
	if (g->h)
		GEOS_finish_r(g->h);
	g->h = NULL;
}

static const char *gmsg(const struct gctx *g)
{
	return g->msg[0] ? g->msg : "unknown GEOS error";
}

/* ------------------------------------------------------------------ */
/* Geometry from the areas' flat arrays */

static GEOSGeometry *make_ring(GEOSContextHandle_t h, const struct geo_areas *a,
			       size_t k)
{
	size_t s = a->pt_start[k], e = a->pt_start[k + 1];
	GEOSCoordSequence *cs;

	if (e - s < 4)
		return NULL;
	cs = GEOSCoordSeq_copyFromArrays_r(h, a->x + s, a->y + s, NULL, NULL,
					   e - s);
	if (!cs)
		return NULL;
	return GEOSGeom_createLinearRing_r(h, cs);
}

/* Only the polygonal parts of g (consumed), as one geometry. */
static GEOSGeometry *polygonal(GEOSContextHandle_t h, GEOSGeometry *g)
{
	int t = GEOSGeomTypeId_r(h, g), n, i, k = 0;
	GEOSGeometry **parts, *out;

	if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON)
		return g;
	n = GEOSGetNumGeometries_r(h, g);
	parts = xcalloc((size_t)n + 1, sizeof(*parts));
	for (i = 0; i < n; i++) {
		const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
		int pt = GEOSGeomTypeId_r(h, p);

		if (pt == GEOS_POLYGON || pt == GEOS_MULTIPOLYGON)
			parts[k++] = GEOSGeom_clone_r(h, p);
	}
	GEOSGeom_destroy_r(h, g);
	if (k == 0)
		out = GEOSGeom_createEmptyPolygon_r(h);
	else if (k == 1)
		out = parts[0];
	else {
		GEOSGeometry *c = GEOSGeom_createCollection_r(
		    h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)k);
		out = c ? GEOSUnaryUnion_r(h, c) : NULL;
		GEOSGeom_destroy_r(h, c);
	}
	free(parts);
	return out;
}

/* The polygons of g (consumed) of GEO_DESERT_SLIVER_M2 or more: the
 * slivers left where the reach pieces' edges meet in floating point go;
 * NULL on a GEOS error. */
static GEOSGeometry *drop_slivers(GEOSContextHandle_t h, GEOSGeometry *g)
{
	int n = GEOSGetNumGeometries_r(h, g), i, k = 0;
	GEOSGeometry **parts, *out;

	if (n < 0) {
		GEOSGeom_destroy_r(h, g);
		return NULL;
	}
	parts = xcalloc((size_t)n + 1, sizeof(*parts));
	for (i = 0; i < n; i++) {
		const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
		double a = 0;

		if (GEOSArea_r(h, p, &a) == 1 && a >= GEO_DESERT_SLIVER_M2)
			parts[k++] = GEOSGeom_clone_r(h, p);
	}
	GEOSGeom_destroy_r(h, g);
	out = k == 0 ? GEOSGeom_createEmptyPolygon_r(h)
		     : GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts,
						   (unsigned)k);
	free(parts);
	return out;
}

/* Area i as a valid (Multi)Polygon, or NULL on a GEOS error. */
static GEOSGeometry *area_geom(GEOSContextHandle_t h, const struct geo_areas *a,
			       size_t i)
{
	size_t j, np = a->part_start[i + 1] - a->part_start[i], k = 0;
	GEOSGeometry **polys = xcalloc(np + 1, sizeof(*polys));
	GEOSGeometry *mp, *v;
	char valid;

	for (j = a->part_start[i]; j < a->part_start[i + 1]; j++) {
		size_t r0 = a->ring_start[j], r1 = a->ring_start[j + 1], r;
		GEOSGeometry *shell, **holes;
		unsigned nh = 0;

		if (r1 == r0)
			continue;
		shell = make_ring(h, a, r0);
		if (!shell)
			continue; /* a degenerate exterior: nothing there */
		holes = xcalloc(r1 - r0, sizeof(*holes));
		for (r = r0 + 1; r < r1; r++) {
			GEOSGeometry *hole = make_ring(h, a, r);

			if (hole)
				holes[nh++] = hole;
		}
		polys[k] = GEOSGeom_createPolygon_r(h, shell, holes, nh);
		free(holes);
		if (polys[k])
			k++;
	}
	mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys,
					 (unsigned)k);
	free(polys);
	if (!mp)
		return NULL;
	valid = GEOSisValid_r(h, mp);
	if (valid == 1)
		return mp;
	{
		GEOSMakeValidParams *p = GEOSMakeValidParams_create_r(h);

		GEOSMakeValidParams_setMethod_r(h, p,
						GEOS_MAKE_VALID_STRUCTURE);
		GEOSMakeValidParams_setKeepCollapsed_r(h, p, 0);
		v = GEOSMakeValidWithParams_r(h, mp, p);
		GEOSMakeValidParams_destroy_r(h, p);
	}
	GEOSGeom_destroy_r(h, mp);
	return v ? polygonal(h, v) : NULL;
}

/* ------------------------------------------------------------------ */
/* The reach on the road network (see the header) */

/*
 * A reach piece: a slab along a segment (nk 2 or 3 knots, x, y and the
 * half-width r at each, the points whose nearest point on the segment
 * lies between the first and last knot, within r of it), or a node's cap
 * (nk 0: the disk of radius r[0] around x[0], y[0], cut to the points
 * beyond the node on every segment that meets it: nh half-planes
 * (p - node) . (hx, hy) <= 0).
 */
#define RP_MAXH 8
struct rpiece {
	double x[3], y[3], r[3];
	int nk, nh;
	double hx[RP_MAXH], hy[RP_MAXH];
	double minx, miny, maxx, maxy;
};

/* The pieces kept, and the grid of squares covered by one piece. */
struct reach {
	struct rpiece *p;
	size_t n, cap;
	double S;	 /* the snap cap, metres */
	int qs;		 /* quadrant segments of the caps */
	double gx0, gy0; /* the grid's corner */
	double g;	 /* its cell size */
	size_t nx, ny;
	unsigned char *cov; /* [nx * ny] 1: wholly inside one piece */
	size_t *sum;	    /* [(nx + 1) * (ny + 1)] prefix sums of cov */
};

static void reach_release(struct reach *r)
{
	free(r->p);
	free(r->cov);
	free(r->sum);
	memset(r, 0, sizeof(*r));
}

static struct rpiece *new_piece(struct reach *r)
{
	struct rpiece *q;

	xgrow((void **)&r->p, &r->cap, r->n + 1, sizeof(*r->p));
	q = &r->p[r->n++];
	memset(q, 0, sizeof(*q));
	return q;
}

/*
 * Append the slab from (x0, y0) with half-width R0 to (x1, y1) with R1
 * (uncapped; linear between them), capped at r->S: a third knot where
 * the cap ends.  Slabs of no length or no width are skipped.
 */
static void add_slab(struct reach *r, double x0, double y0, double x1,
		     double y1, double R0, double R1)
{
	struct rpiece *q;
	double S = r->S;
	int k;

	if (!(R0 > 1e-3) || isnan(R1) || (x0 == x1 && y0 == y1))
		return;
	if (R1 < 0)
		R1 = 0;
	q = new_piece(r);
	q->x[0] = x0;
	q->y[0] = y0;
	if (R1 >= S) {
		q->nk = 2;
		q->r[0] = q->r[1] = S;
		q->x[1] = x1;
		q->y[1] = y1;
	} else if (R0 > S) {
		double tm = (R0 - S) / (R0 - R1);

		q->nk = 3;
		q->r[0] = q->r[1] = S;
		q->x[1] = x0 + tm * (x1 - x0);
		q->y[1] = y0 + tm * (y1 - y0);
		q->r[2] = R1;
		q->x[2] = x1;
		q->y[2] = y1;
	} else {
		q->nk = 2;
		q->r[0] = R0;
		q->r[1] = R1;
		q->x[1] = x1;
		q->y[1] = y1;
	}
	q->minx = q->miny = INFINITY;
	q->maxx = q->maxy = -INFINITY;
	for (k = 0; k < q->nk; k++) {
		q->minx = fmin(q->minx, q->x[k] - q->r[k]);
		q->miny = fmin(q->miny, q->y[k] - q->r[k]);
		q->maxx = fmax(q->maxx, q->x[k] + q->r[k]);
		q->maxy = fmax(q->maxy, q->y[k] + q->r[k]);
	}
}

/*
 * The slab reaching out from fraction t0 of the segment (xa, ya) ->
 * (xb, yb), with budget B left there (cost units), towards fraction tend
 * (0 or 1) at cost c per whole segment that way (+inf: not allowed); k
 * turns cost into metres off the road.
 */
static void add_along(struct reach *r, double xa, double ya, double xb,
		      double yb, double t0, double tend, double B, double c,
		      double k)
{
	double span = fabs(tend - t0), reach_t, t1;

	if (!(B >= 0) || !(c < INFINITY) || span == 0)
		return;
	reach_t = c <= 0 ? span : fmin(span, B / c);
	t1 = t0 + (tend > t0 ? reach_t : -reach_t);
	add_slab(r, xa + t0 * (xb - xa), ya + t0 * (yb - ya),
		 xa + t1 * (xb - xa), ya + t1 * (yb - ya), k * B,
		 k * (B - reach_t * c));
}

static size_t piece_ring(const struct rpiece *q, int qs, double **xo,
			 double **yo);

/* The x-range of the convex ring (x, y)[n] on the line at height yy:
 * 0 when the line misses it. */
static int ring_span(const double *x, const double *y, size_t n, double yy,
		     double *lo, double *hi)
{
	size_t i;
	int hit = 0;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < n; i++) {
		size_t j = (i + 1) % n;
		double ya = y[i], yb = y[j], xx;

		if ((ya > yy && yb > yy) || (ya < yy && yb < yy))
			continue;
		xx = ya == yb ? x[i]
			      : x[i] + (yy - ya) / (yb - ya) * (x[j] - x[i]);
		if (ya == yb) {
			*lo = fmin(*lo, fmin(x[i], x[j]));
			*hi = fmax(*hi, fmax(x[i], x[j]));
		} else {
			*lo = fmin(*lo, xx);
			*hi = fmax(*hi, xx);
		}
		hit = 1;
	}
	return hit;
}

/* Mark the grid cells wholly inside piece q: a cell of a convex piece is
 * inside when its top and bottom edges are, row by row. */
static void mark_piece(struct reach *r, const struct rpiece *q)
{
	double *x, *y;
	size_t n = piece_ring(q, r->qs, &x, &y);
	long j0 = (long)floor((q->miny - r->gy0) / r->g),
	     j1 = (long)floor((q->maxy - r->gy0) / r->g), j, i, i0, i1;

	if (j0 < 0)
		j0 = 0;
	if (j1 >= (long)r->ny)
		j1 = (long)r->ny - 1;
	for (j = j0; n >= 3 && j <= j1; j++) {
		double y0 = r->gy0 + (double)j * r->g, lo0, hi0, lo1, hi1, lo,
		       hi;

		if (!ring_span(x, y, n, y0, &lo0, &hi0) ||
		    !ring_span(x, y, n, y0 + r->g, &lo1, &hi1))
			continue;
		lo = fmax(lo0, lo1);
		hi = fmin(hi0, hi1);
		i0 = (long)ceil((lo - r->gx0) / r->g);
		i1 = (long)floor((hi - r->gx0) / r->g) - 1;
		if (i0 < 0)
			i0 = 0;
		if (i1 >= (long)r->nx)
			i1 = (long)r->nx - 1;
		for (i = i0; i <= i1; i++)
			r->cov[(size_t)j * r->nx + (size_t)i] = 1;
	}
	free(x);
	free(y);
}

/*
 * Is every grid cell that piece q touches covered?  Row by row, the
 * cells between the least and greatest x of the piece within the row.
 * Cells beyond the grid are outside the study area and do not count.
 */
static int range_covered(const struct reach *r, size_t i0, size_t j0, size_t i1,
			 size_t j1);

static int piece_covered(const struct reach *r, const struct rpiece *q)
{
	double *x, *y;
	size_t n = piece_ring(q, r->qs, &x, &y), k;
	long j0 = (long)floor((q->miny - r->gy0) / r->g),
	     j1 = (long)floor((q->maxy - r->gy0) / r->g), j;
	int all = 1;

	if (j0 < 0)
		j0 = 0;
	if (j1 >= (long)r->ny)
		j1 = (long)r->ny - 1;
	for (j = j0; all && n >= 3 && j <= j1; j++) {
		double y0 = r->gy0 + (double)j * r->g, y1 = y0 + r->g, lo, hi,
		       l, h;
		long i0, i1;

		lo = INFINITY;
		hi = -INFINITY;
		if (ring_span(x, y, n, y0, &l, &h)) {
			lo = fmin(lo, l);
			hi = fmax(hi, h);
		}
		if (ring_span(x, y, n, y1, &l, &h)) {
			lo = fmin(lo, l);
			hi = fmax(hi, h);
		}
		for (k = 0; k < n; k++)
			if (y[k] >= y0 && y[k] <= y1) {
				lo = fmin(lo, x[k]);
				hi = fmax(hi, x[k]);
			}
		if (lo > hi)
			continue;
		i0 = (long)floor((lo - r->gx0) / r->g);
		i1 = (long)floor((hi - r->gx0) / r->g);
		if (i0 < 0)
			i0 = 0;
		if (i1 >= (long)r->nx)
			i1 = (long)r->nx - 1;
		if (i0 <= i1 && !range_covered(r, (size_t)i0, (size_t)j,
					       (size_t)i1, (size_t)j))
			all = 0;
	}
	free(x);
	free(y);
	return all;
}

/* The cell range of a box, clipped to the grid; 0 when outside it. */
static int cell_range(const struct reach *r, double minx, double miny,
		      double maxx, double maxy, size_t *i0, size_t *j0,
		      size_t *i1, size_t *j1)
{
	double a = floor((minx - r->gx0) / r->g),
	       b = floor((maxx - r->gx0) / r->g),
	       c = floor((miny - r->gy0) / r->g),
	       d = floor((maxy - r->gy0) / r->g);

	if (b < 0 || d < 0 || a >= (double)r->nx || c >= (double)r->ny)
		return 0;
	*i0 = a < 0 ? 0 : (size_t)a;
	*j0 = c < 0 ? 0 : (size_t)c;
	*i1 = b >= (double)r->nx ? r->nx - 1 : (size_t)b;
	*j1 = d >= (double)r->ny ? r->ny - 1 : (size_t)d;
	return 1;
}

/* Are all the cells of the range covered? */
static int range_covered(const struct reach *r, size_t i0, size_t j0, size_t i1,
			 size_t j1)
{
	size_t W = r->nx + 1;
	size_t tot = r->sum[(j1 + 1) * W + i1 + 1] - r->sum[j0 * W + i1 + 1] -
		     r->sum[(j1 + 1) * W + i0] + r->sum[j0 * W + i0];

	return tot == (i1 - i0 + 1) * (j1 - j0 + 1);
}

/* Segment i's costs each way by the weight searched (+inf: not
 * allowed) and its ends. */
static void seg_costs(const struct geo_net *net, size_t i, int time,
		      uint32_t *a, uint32_t *b, double *cab, double *cba)
{
	double len, sab, sba;

	geo_net_seg(net, i, a, b, &len, &sab, &sba);
	*cab = !(sab >= 0) || isinf(sab) ? INFINITY : time ? sab : len;
	*cba = !(sba >= 0) || isinf(sba) ? INFINITY : time ? sba : len;
}

/*
 * The nodes' caps: each node within T gets the disk of what is left of
 * T off the road (at most S), cut by the half-planes of the segments
 * meeting it (a place whose nearest road point is the node lies beyond
 * it on every one).  A node where more than RP_MAXH segments meet keeps
 * the first RP_MAXH: a larger cap, never a smaller one.
 */
static void add_caps(struct reach *r, const struct geo_net *net,
		     const double *C, double T, double k)
{
	size_t nn = geo_net_nnodes(net), ns = geo_net_nsegs(net), i;
	size_t *first = xmalloc((nn + 1) * sizeof(size_t));

	for (i = 0; i < nn; i++)
		first[i] = (size_t)-1;
	for (i = 0; i < nn; i++) {
		struct rpiece *q;
		double x, y, R;

		if (!(C[i] <= T))
			continue;
		R = fmin(k * (T - C[i]), r->S);
		if (!(R > 1e-3))
			continue;
		geo_net_node_xy(net, i, &x, &y);
		first[i] = r->n;
		q = new_piece(r);
		q->x[0] = x;
		q->y[0] = y;
		q->r[0] = R;
		q->minx = x - R;
		q->maxx = x + R;
		q->miny = y - R;
		q->maxy = y + R;
	}
	for (i = 0; i < ns; i++) {
		uint32_t a, b;
		double len, sab, sba, xa, ya, xb, yb, L;
		int e;

		geo_net_seg(net, i, &a, &b, &len, &sab, &sba);
		geo_net_node_xy(net, a, &xa, &ya);
		geo_net_node_xy(net, b, &xb, &yb);
		L = hypot(xb - xa, yb - ya);
		if (!(L > 0))
			continue;
		for (e = 0; e < 2; e++) {
			size_t at = first[e ? b : a];
			struct rpiece *q;

			if (at == (size_t)-1)
				continue;
			q = &r->p[at];
			if (q->nh == RP_MAXH)
				continue;
			q->hx[q->nh] = (e ? xa - xb : xb - xa) / L;
			q->hy[q->nh] = (e ? ya - yb : yb - ya) / L;
			q->nh++;
		}
	}
	free(first);
}

/*
 * Build the reach on the network: the assets snapped, the node costs,
 * the pieces, the covered grid over the box (minx .. maxy, the study
 * area's extent), and the pieces left after the pruning.  Fills d's
 * assets_unplaced, reach_pieces and reach_kept.  Fails only when the
 * search does.
 */
static int reach_build(const struct geo_deserts_in *in, double minx,
		       double miny, double maxx, double maxy, int quad_segs,
		       struct reach *r, struct geo_deserts *d,
		       struct core_err *err)
{
	const struct geo_net *net = in->net;
	size_t nn = geo_net_nnodes(net), ns = geo_net_nsegs(net), i, kept;
	struct geo_snap *as = xcalloc(in->nassets + 1, sizeof(*as));
	double *C = xmalloc((nn + 1) * sizeof(double));
	double T = in->within,
	       S = in->snap_m > 0 ? in->snap_m : GEO_NET_SNAP_MAX_M;
	int time = in->weight == GEO_NET_TIME;
	double k = time ? geo_net_access_mps(geo_net_mode(net)) : 1;
	double rmax = fmin(S, k * T), cells;
	int rc;

	memset(r, 0, sizeof(*r));
	r->S = S;
	r->qs = quad_segs;
	d->assets_unplaced =
	    in->nassets ? geo_net_snap(net, in->ax, in->ay, in->nassets, S, as)
			: 0;
	rc = geo_net_node_costs(net, in->weight, GEO_NET_TO, in->nassets, as, T,
				C, err);
	if (rc)
		goto cleanup;

	/* the caps, then the slabs: from each end of each segment, and
	 * from the assets */
	add_caps(r, net, C, T, k);
	for (i = 0; i < ns; i++) {
		uint32_t a, b;
		double cab, cba, xa, ya, xb, yb;

		seg_costs(net, i, time, &a, &b, &cab, &cba);
		geo_net_node_xy(net, a, &xa, &ya);
		geo_net_node_xy(net, b, &xb, &yb);
		/* people move from t towards a: the way b -> a */
		if (C[a] <= T)
			add_along(r, xa, ya, xb, yb, 0, 1, T - C[a], cba, k);
		if (C[b] <= T)
			add_along(r, xa, ya, xb, yb, 1, 0, T - C[b], cab, k);
	}
	for (i = 0; i < in->nassets; i++) {
		uint32_t a, b;
		double cab, cba, xa, ya, xb, yb, leg;

		if (as[i].seg < 0)
			continue;
		seg_costs(net, (size_t)as[i].seg, time, &a, &b, &cab, &cba);
		geo_net_node_xy(net, a, &xa, &ya);
		geo_net_node_xy(net, b, &xb, &yb);
		leg = time ? as[i].off_m / k : as[i].off_m;
		/* towards a, people move a -> b to the asset; towards b,
		 * b -> a */
		add_along(r, xa, ya, xb, yb, as[i].t, 0, T - leg, cab, k);
		add_along(r, xa, ya, xb, yb, as[i].t, 1, T - leg, cba, k);
	}
	d->reach_pieces = r->n;

	/* the covered grid: cells of a 64th of the largest radius, at
	 * least 5 m, at most about 4 million of them */
	minx -= 1;
	miny -= 1;
	maxx += 1;
	maxy += 1;
	r->g = fmax(rmax / 64, 5.0);
	cells = ((maxx - minx) / r->g + 1) * ((maxy - miny) / r->g + 1);
	if (cells > 4e6)
		r->g *= sqrt(cells / 4e6);
	r->gx0 = minx;
	r->gy0 = miny;
	r->nx = (size_t)((maxx - minx) / r->g) + 1;
	r->ny = (size_t)((maxy - miny) / r->g) + 1;
	r->cov = xcalloc(r->nx * r->ny, 1);
	r->sum = xcalloc((r->nx + 1) * (r->ny + 1), sizeof(size_t));
	for (i = 0; i < r->n; i++)
		mark_piece(r, &r->p[i]);
	{
		size_t W = r->nx + 1, x, y;

		for (y = 0; y < r->ny; y++)
			for (x = 0; x < r->nx; x++)
				r->sum[(y + 1) * W + x + 1] =
				    r->cov[y * r->nx + x] +
				    r->sum[y * W + x + 1] +
				    r->sum[(y + 1) * W + x] - r->sum[y * W + x];
	}
	/* keep the pieces that reach a cell not yet covered */
	for (i = kept = 0; i < r->n; i++) {
		size_t i0, j0, i1, j1;

		if (!cell_range(r, r->p[i].minx, r->p[i].miny, r->p[i].maxx,
				r->p[i].maxy, &i0, &j0, &i1, &j1) ||
		    range_covered(r, i0, j0, i1, j1) ||
		    piece_covered(r, &r->p[i]))
			continue;
		r->p[kept++] = r->p[i];
	}
	r->n = kept;
	d->reach_kept = kept;
cleanup:
	free(as);
	free(C);
	return rc;
}

/* Clip the convex polygon (x, y)[n] to (p - (cx, cy)) . (hx, hy) <= 0
 * into (ox, oy); returns the new count. */
static size_t clip_half(const double *x, const double *y, size_t n, double cx,
			double cy, double hx, double hy, double *ox, double *oy)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		size_t j = (i + 1) % n;
		double si = (x[i] - cx) * hx + (y[i] - cy) * hy;
		double sj = (x[j] - cx) * hx + (y[j] - cy) * hy;

		if (si <= 0) {
			ox[m] = x[i];
			oy[m] = y[i];
			m++;
		}
		if ((si < 0 && sj > 0) || (si > 0 && sj < 0)) {
			double f = si / (si - sj);

			ox[m] = x[i] + f * (x[j] - x[i]);
			oy[m] = y[i] + f * (y[j] - y[i]);
			m++;
		}
	}
	return m;
}

static int cmp_angle(const void *pa, const void *pb)
{
	const double *a = pa, *b = pb;

	return (a[0] > b[0]) - (a[0] < b[0]);
}

/* Piece q's outline, open, anticlockwise or clockwise (convex): caps
 * are 4 * qs-gons inscribed in their circles.  Returns the number of
 * vertices (< 3: no area) in *xo, *yo (malloc'd; free them). */
static size_t piece_ring(const struct rpiece *q, int qs, double **xo,
			 double **yo)
{
	int nside = 4 * qs, i, k;
	size_t n = 0, cap = (size_t)nside + 4 * RP_MAXH + 8;
	double *x = xmalloc(cap * sizeof(double)),
	       *y = xmalloc(cap * sizeof(double));
	double *tx = xmalloc(cap * sizeof(double)),
	       *ty = xmalloc(cap * sizeof(double));

	if (q->nk == 0) {
		/* the n-gon, and the points of the circle where the cuts
		 * meet it (the corners of the slabs leaving the node), in
		 * order of angle: still inscribed, and no sliver left
		 * between a slab's end and the cap */
		double(*pa)[3] = xmalloc(cap * sizeof(*pa));

		for (i = 0; i < nside; i++) {
			double a = 2 * M_PI * i / nside;

			pa[n][0] = a;
			pa[n][1] = q->x[0] + q->r[0] * cos(a);
			pa[n][2] = q->y[0] + q->r[0] * sin(a);
			n++;
		}
		for (k = 0; k < q->nh; k++) {
			int sgn;

			for (sgn = -1; sgn <= 1; sgn += 2) {
				double dx = -sgn * q->hy[k],
				       dy = sgn * q->hx[k];

				pa[n][0] = atan2(dy, dx);
				if (pa[n][0] < 0)
					pa[n][0] += 2 * M_PI;
				pa[n][1] = q->x[0] + q->r[0] * dx;
				pa[n][2] = q->y[0] + q->r[0] * dy;
				n++;
			}
		}
		qsort(pa, n, sizeof(*pa), cmp_angle);
		for (i = 0; i < (int)n; i++) {
			x[i] = pa[i][1];
			y[i] = pa[i][2];
		}
		free(pa);
		for (k = 0; k < q->nh && n >= 3; k++) {
			double *sx = x, *sy = y;

			n = clip_half(x, y, n, q->x[0], q->y[0], q->hx[k],
				      q->hy[k], tx, ty);
			x = tx;
			y = ty;
			tx = sx;
			ty = sy;
		}
	} else {
		double ex = q->x[q->nk - 1] - q->x[0],
		       ey = q->y[q->nk - 1] - q->y[0], L = hypot(ex, ey);

		ex /= L;
		ey /= L;
		for (k = 0; k < q->nk; k++) {
			x[n] = q->x[k] - ey * q->r[k];
			y[n] = q->y[k] + ex * q->r[k];
			n++;
		}
		for (k = q->nk - 1; k >= 0; k--) {
			if (q->r[k] <= 0)
				continue; /* the same point as above */
			x[n] = q->x[k] + ey * q->r[k];
			y[n] = q->y[k] - ex * q->r[k];
			n++;
		}
	}
	free(tx);
	free(ty);
	*xo = x;
	*yo = y;
	return n;
}

/* Piece q as a polygon into *out (NULL when it has no area); -1 when
 * GEOS fails. */
static int piece_polygon(GEOSContextHandle_t h, const struct rpiece *q, int qs,
			 GEOSGeometry **out)
{
	double *x, *y;
	size_t n = piece_ring(q, qs, &x, &y);
	GEOSCoordSequence *cs;
	GEOSGeometry *ring, *poly = NULL;

	*out = NULL;
	if (n < 3) {
		free(x);
		free(y);
		return 0;
	}
	x[n] = x[0];
	y[n] = y[0];
	n++;
	cs = GEOSCoordSeq_copyFromArrays_r(h, x, y, NULL, NULL, n);
	free(x);
	free(y);
	ring = cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;
	if (ring)
		poly = GEOSGeom_createPolygon_r(h, ring, NULL, 0);
	*out = poly;
	return poly ? 0 : -1;
}

/* A rectangle as a polygon. */
static GEOSGeometry *rect_polygon(GEOSContextHandle_t h, double x0, double y0,
				  double x1, double y1)
{
	const double xs[5] = {x0, x1, x1, x0, x0}, ys[5] = {y0, y0, y1, y1, y0};
	GEOSCoordSequence *cs =
	    GEOSCoordSeq_copyFromArrays_r(h, xs, ys, NULL, NULL, 5);
	GEOSGeometry *ring = cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;

	return ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
}

/*
 * The reach near the box (minx .. maxy) as one geometry: the kept pieces
 * whose boxes meet it and the runs of covered cells in it, unioned.
 * Returns 0 with *u NULL when nothing reaches, 1 when the covered cells
 * cover the whole box (*u NULL), -1 on a GEOS error.
 */
static int reach_near(GEOSContextHandle_t h, const struct reach *r, int qs,
		      double minx, double miny, double maxx, double maxy,
		      GEOSGeometry **u)
{
	GEOSGeometry **parts = NULL, *coll;
	size_t n = 0, cap = 0, i, i0, j0, i1, j1, x, y;

	*u = NULL;
	if (cell_range(r, minx, miny, maxx, maxy, &i0, &j0, &i1, &j1)) {
		if (range_covered(r, i0, j0, i1, j1))
			return 1;
		for (y = j0; y <= j1; y++)
			for (x = i0; x <= i1; x++) {
				size_t e = x;

				if (!r->cov[y * r->nx + x])
					continue;
				while (e + 1 <= i1 && r->cov[y * r->nx + e + 1])
					e++;
				xgrow((void **)&parts, &cap, n + 1,
				      sizeof(*parts));
				parts[n] = rect_polygon(
				    h, r->gx0 + (double)x * r->g,
				    r->gy0 + (double)y * r->g,
				    r->gx0 + (double)(e + 1) * r->g,
				    r->gy0 + (double)(y + 1) * r->g);
				if (!parts[n])
					goto fail;
				n++;
				x = e;
			}
	}
	for (i = 0; i < r->n; i++) {
		const struct rpiece *q = &r->p[i];

		if (q->maxx < minx || q->minx > maxx || q->maxy < miny ||
		    q->miny > maxy)
			continue;
		xgrow((void **)&parts, &cap, n + 1, sizeof(*parts));
		if (piece_polygon(h, q, qs, &parts[n]))
			goto fail;
		if (parts[n])
			n++;
	}
	if (n == 0) {
		free(parts);
		return 0;
	}
	coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts,
					   (unsigned)n);
	free(parts);
	if (!coll)
		return -1;
	*u = GEOSUnaryUnion_r(h, coll);
	GEOSGeom_destroy_r(h, coll);
	return *u ? 0 : -1;
fail:
	while (n-- > 0)
		GEOSGeom_destroy_r(h, parts[n]);
	free(parts);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Area by area, on every core */

struct nearby {
	size_t *idx;
	size_t n, cap;
};

static void add_nearby(void *ctx, size_t i, double d)
{
	struct nearby *nb = ctx;

	(void)d;
	xgrow((void **)&nb->idx, &nb->cap, nb->n + 1, sizeof(*nb->idx));
	nb->idx[nb->n++] = i;
}

struct area_job {
	const struct geo_deserts_in *in;
	const struct geo_kd *kd;
	int quad_segs;
	struct gctx *g;	       /* [workers] */
	struct nearby *nb;     /* [workers] */
	size_t *fail_area;     /* [workers], (size_t)-1 none */
	GEOSGeometry **desert; /* [n] out */
	double *area_m2, *desert_m2;
	const struct reach *reach; /* on the network, else NULL */
};

/* Area i's desert into job->desert[i]; 0 or -1 on a GEOS error. */
static int one_area(struct area_job *job, size_t i, int w)
{
	const struct geo_areas *a = job->in->areas;
	GEOSContextHandle_t h = job->g[w].h;
	struct nearby *nb = &job->nb[w];
	GEOSGeometry *g, *d = NULL;
	double minx = INFINITY, miny = INFINITY, maxx = -INFINITY,
	       maxy = -INFINITY, D = job->in->within, area_m2 = 0,
	       desert_m2 = 0;
	size_t p, r;

	job->desert[i] = NULL;
	job->area_m2[i] = job->desert_m2[i] = 0;
	if (a->part_start[i + 1] == a->part_start[i])
		return 0;
	for (r = a->ring_start[a->part_start[i]];
	     r < a->ring_start[a->part_start[i + 1]]; r++)
		for (p = a->pt_start[r]; p < a->pt_start[r + 1]; p++) {
			minx = fmin(minx, a->x[p]);
			maxx = fmax(maxx, a->x[p]);
			miny = fmin(miny, a->y[p]);
			maxy = fmax(maxy, a->y[p]);
		}
	g = area_geom(h, a, i);
	if (!g)
		return -1;
	if (GEOSArea_r(h, g, &area_m2) != 1)
		goto fail;
	nb->n = 0;
	if (job->reach) {
		GEOSGeometry *u = NULL;
		int got = reach_near(h, job->reach, job->quad_segs, minx, miny,
				     maxx, maxy, &u);

		if (got < 0)
			goto fail;
		if (got == 1) { /* wholly within reach */
			d = GEOSGeom_createEmptyPolygon_r(h);
		} else if (!u) {
			d = g;
			g = NULL;
		} else {
			d = GEOSDifference_r(h, g, u);
			GEOSGeom_destroy_r(h, u);
			d = d ? polygonal(h, d) : NULL;
			d = d ? drop_slivers(h, d) : NULL;
		}
		if (!d)
			goto fail;
	} else if (D > 0 && minx <= maxx)
		geo_kd_within(job->kd, (minx + maxx) / 2, (miny + maxy) / 2,
			      hypot(maxx - minx, maxy - miny) / 2 + D,
			      add_nearby, nb);
	if (job->reach) {
		/* done above */
	} else if (nb->n == 0) {
		d = g;
		g = NULL;
	} else {
		GEOSGeometry **bufs = xcalloc(nb->n, sizeof(*bufs));
		GEOSGeometry *coll, *u;
		size_t k;

		for (k = 0; k < nb->n; k++) {
			size_t ai = nb->idx[k];
			GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(
			    h, job->in->ax[ai], job->in->ay[ai]);

			bufs[k] =
			    pt ? GEOSBuffer_r(h, pt, D, job->quad_segs) : NULL;
			GEOSGeom_destroy_r(h, pt);
			if (!bufs[k]) {
				while (k-- > 0)
					GEOSGeom_destroy_r(h, bufs[k]);
				free(bufs);
				goto fail;
			}
		}
		coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION,
						   bufs, (unsigned)nb->n);
		free(bufs);
		if (!coll)
			goto fail;
		u = GEOSUnaryUnion_r(h, coll);
		GEOSGeom_destroy_r(h, coll);
		if (!u)
			goto fail;
		d = GEOSDifference_r(h, g, u);
		GEOSGeom_destroy_r(h, u);
		if (!d)
			goto fail;
		d = polygonal(h, d);
		if (!d)
			goto fail;
	}
	if (GEOSArea_r(h, d, &desert_m2) != 1)
		goto fail;
	GEOSGeom_destroy_r(h, g);
	job->area_m2[i] = area_m2;
	job->desert_m2[i] = desert_m2;
	if (desert_m2 > 0 && GEOSisEmpty_r(h, d) == 0)
		job->desert[i] = d;
	else
		GEOSGeom_destroy_r(h, d);
	return 0;
fail:
	GEOSGeom_destroy_r(h, g);
	GEOSGeom_destroy_r(h, d);
	return -1;
}

static void areas_range(void *ctx, size_t begin, size_t end, int w)
{
	struct area_job *job = ctx;
	size_t i;

	for (i = begin; i < end; i++) {
		if (job->fail_area[w] != (size_t)-1)
			return;
		if (one_area(job, i, w))
			job->fail_area[w] = i;
	}
}

/* Cohort members: in the desert when no asset is within D. */
struct member_job {
	const struct geo_deserts_in *in;
	const struct geo_kd *kd;
	unsigned char *in_desert;
};

static void members_range(void *ctx, size_t begin, size_t end, int w)
{
	struct member_job *job = ctx;
	const struct geo_deserts_in *in = job->in;
	size_t i;

	(void)w;
	for (i = begin; i < end; i++) {
		int32_t ai = in->marea ? in->marea[i] : -1;

		job->in_desert[i] = 0;
		if (ai < 0 || (size_t)ai >= in->areas->n ||
		    (in->areas->flags &&
		     (in->areas->flags[ai] & AREA_FLAG_WATER)))
			continue;
		if (isnan(in->mx[i]) || isnan(in->my[i]))
			continue;
		job->in_desert[i] =
		    geo_kd_count_within(job->kd, in->mx[i], in->my[i],
					in->within) == 0;
	}
}

/*
 * On the network: in_desert[i] = 1 for each member in a non-water area
 * whose door-to-door cost to the nearest asset is above T (or none is
 * reached); members there not placed are counted in
 * d->members_unplaced (in_desert 0).  Fails when the search does.
 */
static int members_by_net(const struct geo_deserts_in *in,
			  unsigned char *in_desert, struct geo_deserts *d,
			  struct core_err *err)
{
	const struct geo_areas *a = in->areas;
	double S = in->snap_m > 0 ? in->snap_m : GEO_NET_SNAP_MAX_M;
	struct geo_snap *as = xcalloc(in->nassets + 1, sizeof(*as));
	struct geo_snap *ms = xcalloc(in->nmembers + 1, sizeof(*ms));
	size_t *which = xmalloc((in->nmembers + 1) * sizeof(*which)), i;
	struct geo_net_cost *c = xmalloc((in->nmembers + 1) * sizeof(*c));
	int rc;

	if (in->nassets)
		geo_net_snap(in->net, in->ax, in->ay, in->nassets, S, as);
	geo_net_snap(in->net, in->mx, in->my, in->nmembers, S, ms);
	rc = geo_net_nearest(in->net, in->weight, in->nassets, as, in->nmembers,
			     ms, in->within, which, c, err);
	for (i = 0; rc == CORE_OK && i < in->nmembers; i++) {
		int32_t ai = in->marea ? in->marea[i] : -1;

		in_desert[i] = 0;
		if (ai < 0 || (size_t)ai >= a->n ||
		    (a->flags && (a->flags[ai] & AREA_FLAG_WATER)))
			continue;
		if (ms[i].seg < 0) {
			d->members_unplaced++;
			continue;
		}
		in_desert[i] = !(c[i].cost <= in->within);
	}
	free(as);
	free(ms);
	free(which);
	free(c);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Pieces */

struct piece_ix {
	const GEOSPreparedGeometry **prep;
	double *minx, *miny, *maxx, *maxy;
	size_t n;
};

/* The piece containing (x, y); the nearest one when none does. */
static size_t piece_at(GEOSContextHandle_t h, GEOSGeometry *const *piece,
		       const struct piece_ix *ix, double x, double y)
{
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
	size_t k, best = 0;
	double bd = INFINITY;

	for (k = 0; k < ix->n; k++) {
		if (x < ix->minx[k] || x > ix->maxx[k] || y < ix->miny[k] ||
		    y > ix->maxy[k])
			continue;
		if (GEOSPreparedIntersects_r(h, ix->prep[k], pt) == 1) {
			GEOSGeom_destroy_r(h, pt);
			return k;
		}
	}
	for (k = 0; k < ix->n; k++) {
		double d;

		/* a cheap lower bound first: the distance to the envelope */
		d = hypot(fmax(0, fmax(ix->minx[k] - x, x - ix->maxx[k])),
			  fmax(0, fmax(ix->miny[k] - y, y - ix->maxy[k])));
		if (d >= bd)
			continue;
		if (GEOSDistance_r(h, piece[k], pt, &d) == 1 && d < bd) {
			bd = d;
			best = k;
		}
	}
	GEOSGeom_destroy_r(h, pt);
	return best;
}

static int cmp_piece_area(const void *pa, const void *pb, void *ctx)
{
	const struct geo_desert_piece *p = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	if (p[a].area_m2 != p[b].area_m2)
		return p[a].area_m2 > p[b].area_m2 ? -1 : 1;
	return a < b ? -1 : a > b;
}

/*
 * Credit each non-water area's desert to the pieces: every component of
 * the area's desert goes to the piece that holds it (piece_at, through
 * ix over priv->piece), adding its area-weighted share of the area's
 * population and counts cohort to info[k].pop and info[k].cohort,
 * counting the area in info[k].nareas once per piece, and making it the
 * piece's main_area when it holds the largest share of the piece so far.
 * info is d->npieces long, with main_area (size_t)-1 before the first
 * area.
 * Returns CORE_OK, or CORE_ELIB with err naming the area when GEOS
 * fails.
 */
static int assign_areas(struct geo_deserts *d, const struct geo_deserts_in *in,
			const struct piece_ix *ix,
			struct geo_desert_piece *info, struct core_err *err)
{
	const struct geo_areas *a = in->areas;
	struct geo_deserts_int *priv = d->priv;
	GEOSContextHandle_t h = priv->g.h;
	double *acc = xcalloc(d->npieces + 1, sizeof(*acc));
	double *best = xcalloc(d->npieces + 1, sizeof(*best));
	size_t *touched = xcalloc(d->npieces + 1, sizeof(*touched));
	size_t i, k, ntouch;
	int rc = CORE_OK;

	for (i = 0; i < d->n; i++) {
		const GEOSGeometry *ad = priv->area[i];
		int c, nc;

		if (!ad || (a->flags && (a->flags[i] & AREA_FLAG_WATER)))
			continue;
		nc = GEOSGetNumGeometries_r(h, ad);
		ntouch = 0;
		for (c = 0; c < nc; c++) {
			const GEOSGeometry *cg = GEOSGetGeometryN_r(h, ad, c);
			GEOSGeometry *s = GEOSPointOnSurface_r(h, cg);
			double ca = 0, x = 0, y = 0, f;

			if (!s || GEOSArea_r(h, cg, &ca) != 1 ||
			    GEOSGeomGetX_r(h, s, &x) != 1 ||
			    GEOSGeomGetY_r(h, s, &y) != 1) {
				GEOSGeom_destroy_r(h, s);
				rc = core_err_set(err, CORE_ELIB, "area %s: %s",
						  a->geoid[i], gmsg(&priv->g));
				goto cleanup;
			}
			GEOSGeom_destroy_r(h, s);
			if (ca <= 0)
				continue;
			k = piece_at(h, priv->piece, ix, x, y);
			if (acc[k] == 0)
				touched[ntouch++] = k;
			acc[k] += ca;
			f = d->area_m2[i] > 0 ? ca / d->area_m2[i] : 0;
			if (!isnan(a->population[i]))
				info[k].pop += a->population[i] * f;
			if (in->counts && !isnan(in->counts[i]))
				info[k].cohort += in->counts[i] * f;
		}
		for (c = 0; c < (int)ntouch; c++) {
			k = touched[c];
			info[k].nareas++;
			/* the main area: the largest share of the piece */
			if (info[k].main_area == (size_t)-1 ||
			    acc[k] > best[k]) {
				best[k] = acc[k];
				info[k].main_area = i;
			}
			acc[k] = 0;
		}
	}
cleanup:
	free(acc);
	free(best);
	free(touched);
	return rc;
}

/*
 * Union the non-water areas' deserts (d->priv->area) into connected
 * pieces: d->priv->piece and d->pieces (d->npieces of them, largest first,
 * owned by d) with each piece's area, a point inside it, its population and
 * cohort (areal weighting for population and counts; point members
 * flagged in in_desert, which may be NULL, counted in the piece that
 * holds them), the number of areas it reaches into and its main area.
 * No desert at all leaves d->npieces 0.  Returns CORE_OK, or CORE_ELIB
 * with err set when GEOS fails.
 */
static int make_pieces(struct geo_deserts *d, const struct geo_deserts_in *in,
		       const unsigned char *in_desert, struct core_err *err)
{
	const struct geo_areas *a = in->areas;
	struct geo_deserts_int *priv = d->priv;
	GEOSContextHandle_t h = priv->g.h;
	GEOSGeometry **parts = xcalloc(d->n + 1, sizeof(*parts)), *coll, *u;
	struct geo_desert_piece *info = NULL;
	struct piece_ix ix = {0};
	size_t *order = NULL, i, k, np = 0;
	int rc = CORE_OK, n;
	int have_cohort = in->counts || in->nmembers;

	for (i = 0; i < d->n; i++)
		if (priv->area[i] &&
		    !(a->flags && (a->flags[i] & AREA_FLAG_WATER)))
			parts[np++] = GEOSGeom_clone_r(h, priv->area[i]);
	if (np == 0) {
		free(parts);
		return CORE_OK;
	}
	coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts,
					   (unsigned)np);
	free(parts);
	u = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
	GEOSGeom_destroy_r(h, coll);
	if (!u)
		return core_err_set(err, CORE_ELIB,
				    "joining the deserts of the areas: %s",
				    gmsg(&priv->g));
	n = GEOSGetNumGeometries_r(h, u);
	d->npieces = n > 0 ? (size_t)n : 0;
	priv->piece = xcalloc(d->npieces + 1, sizeof(*priv->piece));
	info = xcalloc(d->npieces + 1, sizeof(*info));
	ix.n = d->npieces;
	ix.prep = xcalloc(ix.n + 1, sizeof(*ix.prep));
	ix.minx = xcalloc(ix.n + 1, sizeof(double));
	ix.miny = xcalloc(ix.n + 1, sizeof(double));
	ix.maxx = xcalloc(ix.n + 1, sizeof(double));
	ix.maxy = xcalloc(ix.n + 1, sizeof(double));
	for (k = 0; k < d->npieces; k++) {
		GEOSGeometry *p =
		    GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, u, (int)k));
		GEOSGeometry *s = p ? GEOSPointOnSurface_r(h, p) : NULL;

		priv->piece[k] = p;
		if (!p || !s || GEOSArea_r(h, p, &info[k].area_m2) != 1 ||
		    GEOSGeomGetX_r(h, s, &info[k].px) != 1 ||
		    GEOSGeomGetY_r(h, s, &info[k].py) != 1 ||
		    GEOSGeom_getXMin_r(h, p, &ix.minx[k]) != 1 ||
		    GEOSGeom_getYMin_r(h, p, &ix.miny[k]) != 1 ||
		    GEOSGeom_getXMax_r(h, p, &ix.maxx[k]) != 1 ||
		    GEOSGeom_getYMax_r(h, p, &ix.maxy[k]) != 1) {
			GEOSGeom_destroy_r(h, s);
			rc = core_err_set(err, CORE_ELIB,
					  "measuring desert piece %zu: %s",
					  k + 1, gmsg(&priv->g));
			goto cleanup;
		}
		GEOSGeom_destroy_r(h, s);
		ix.prep[k] = GEOSPrepare_r(h, p);
		info[k].cohort = have_cohort ? 0 : NAN;
		info[k].main_area = (size_t)-1;
	}

	if ((rc = assign_areas(d, in, &ix, info, err)))
		goto cleanup;

	/* Point cohort: each member in the desert, in its piece. */
	if (in->nmembers && in_desert) {
		for (i = 0; i < in->nmembers; i++)
			if (in_desert[i])
				info[piece_at(h, priv->piece, &ix, in->mx[i],
					      in->my[i])]
				    .cohort += 1;
	}

	/* Largest first. */
	order = xmalloc((d->npieces + 1) * sizeof(*order));
	for (k = 0; k < d->npieces; k++)
		order[k] = k;
	qsort_r(order, d->npieces, sizeof(*order), cmp_piece_area, info);
	d->pieces = xcalloc(d->npieces + 1, sizeof(*d->pieces));
	{
		GEOSGeometry **sorted =
		    xcalloc(d->npieces + 1, sizeof(*sorted));

		for (k = 0; k < d->npieces; k++) {
			d->pieces[k] = info[order[k]];
			sorted[k] = priv->piece[order[k]];
		}
		free(priv->piece);
		priv->piece = sorted;
	}
cleanup:
	for (k = 0; k < ix.n; k++)
		if (ix.prep[k])
			GEOSPreparedGeom_destroy_r(h, ix.prep[k]);
	free(ix.prep);
	free(ix.minx);
	free(ix.miny);
	free(ix.maxx);
	free(ix.maxy);
	free(order);
	free(info);
	GEOSGeom_destroy_r(h, u);
	return rc;
}

/* ------------------------------------------------------------------ */

int geo_deserts_compute(const struct geo_deserts_in *in,
			struct geo_deserts **out, struct core_err *err)
{
	const struct geo_areas *a = in->areas;
	struct geo_deserts *d;
	struct geo_kd *kd = NULL;
	struct area_job job;
	struct reach reach;
	unsigned char *in_desert = NULL;
	int nw = geo_par_threads(), w, rc = CORE_OK;
	size_t i, n = a->n, fail = (size_t)-1;
	int have_cohort = in->counts || in->nmembers;

	*out = NULL;
	if (!(in->within >= 0) || isinf(in->within))
		return core_err_set(err, CORE_EUSAGE,
				    "the distance must be a non-negative number"
				    " of metres, not %g",
				    in->within);
	d = xcalloc(1, sizeof(*d));
	d->priv = xcalloc(1, sizeof(*d->priv));
	gctx_init(&d->priv->g);
	d->n = n;
	d->area_m2 = xcalloc(n + 1, sizeof(double));
	d->desert_m2 = xcalloc(n + 1, sizeof(double));
	d->share = xcalloc(n + 1, sizeof(double));
	d->pop_in = xcalloc(n + 1, sizeof(double));
	d->cohort_in = xcalloc(n + 1, sizeof(double));
	d->priv->area = xcalloc(n + 1, sizeof(*d->priv->area));
	kd = geo_kd_new(in->ax, in->ay, in->nassets);
	memset(&reach, 0, sizeof(reach));

	memset(&job, 0, sizeof(job));
	job.in = in;
	job.kd = kd;
	job.quad_segs = in->quad_segs > 0 ? in->quad_segs
			: in->net	  ? GEO_DESERT_NET_QUAD_SEGS
					  : GEO_DESERT_QUAD_SEGS;
	if (in->net) {
		double minx = INFINITY, miny = INFINITY, maxx = -INFINITY,
		       maxy = -INFINITY;

		for (i = 0; i < a->npts; i++) {
			minx = fmin(minx, a->x[i]);
			maxx = fmax(maxx, a->x[i]);
			miny = fmin(miny, a->y[i]);
			maxy = fmax(maxy, a->y[i]);
		}
		if (minx > maxx)
			minx = miny = maxx = maxy = 0;
		if ((rc = reach_build(in, minx, miny, maxx, maxy, job.quad_segs,
				      &reach, d, err)))
			goto cleanup;
		job.reach = &reach;
	}
	job.g = xcalloc((size_t)nw, sizeof(*job.g));
	job.nb = xcalloc((size_t)nw, sizeof(*job.nb));
	job.fail_area = xmalloc((size_t)nw * sizeof(*job.fail_area));
	for (w = 0; w < nw; w++) {
		gctx_init(&job.g[w]);
		job.fail_area[w] = (size_t)-1;
	}
	job.desert = d->priv->area;
	job.area_m2 = d->area_m2;
	job.desert_m2 = d->desert_m2;
	geo_par_for(n, 1, areas_range, &job);
	for (w = 0; w < nw; w++)
		if (job.fail_area[w] < fail) {
			fail = job.fail_area[w];
			rc = core_err_set(err, CORE_ELIB, "area %s: GEOS: %s",
					  a->geoid[fail], gmsg(&job.g[w]));
		}
	for (w = 0; w < nw; w++) {
		gctx_release(&job.g[w]);
		free(job.nb[w].idx);
	}
	free(job.g);
	free(job.nb);
	free(job.fail_area);
	job.g = NULL;
	job.nb = NULL;
	job.fail_area = NULL;
	if (rc)
		goto cleanup;

	if (in->nmembers && in->net) {
		in_desert = xcalloc(in->nmembers, 1);
		if ((rc = members_by_net(in, in_desert, d, err)))
			goto cleanup;
	} else if (in->nmembers) {
		struct member_job mj = {in, kd, NULL};

		in_desert = xcalloc(in->nmembers, 1);
		mj.in_desert = in_desert;
		geo_par_for(in->nmembers, 0, members_range, &mj);
	}

	d->cohort_total = d->cohort_in_total = have_cohort ? 0 : NAN;
	for (i = 0; i < n; i++) {
		int water = a->flags && (a->flags[i] & AREA_FLAG_WATER);

		d->share[i] =
		    d->area_m2[i] > 0 ? d->desert_m2[i] / d->area_m2[i] : NAN;
		if (d->area_m2[i] > 0 && d->share[i] > 1)
			d->share[i] = 1;
		d->pop_in[i] = isnan(a->population[i])
				   ? NAN
				   : a->population[i] *
					 (isnan(d->share[i]) ? 0 : d->share[i]);
		if (in->counts)
			d->cohort_in[i] =
			    isnan(in->counts[i])
				? NAN
				: in->counts[i] *
				      (isnan(d->share[i]) ? 0 : d->share[i]);
		else
			d->cohort_in[i] = in->nmembers ? 0 : NAN;
		if (water) {
			d->nwater++;
			continue;
		}
		d->study_m2 += d->area_m2[i];
		d->desert_total_m2 += d->desert_m2[i];
		if (!isnan(a->population[i])) {
			d->pop_total += a->population[i];
			d->pop_in_total += d->pop_in[i];
		}
		if (in->counts && !isnan(in->counts[i])) {
			d->cohort_total += in->counts[i];
			d->cohort_in_total += d->cohort_in[i];
		}
	}
	for (i = 0; i < in->nmembers; i++) {
		int32_t ai = in->marea ? in->marea[i] : -1;

		if (ai < 0 || (size_t)ai >= n ||
		    (a->flags && (a->flags[ai] & AREA_FLAG_WATER)))
			continue;
		d->cohort_total += 1;
		if (in_desert[i]) {
			d->cohort_in[ai] += 1;
			d->cohort_in_total += 1;
		}
	}
	rc = make_pieces(d, in, in_desert, err);
cleanup:
	free(job.g);
	free(job.nb);
	free(job.fail_area);
	reach_release(&reach);
	free(in_desert);
	geo_kd_free(kd);
	if (rc) {
		geo_deserts_free(d);
		return rc;
	}
	*out = d;
	return CORE_OK;
}

void geo_deserts_free(struct geo_deserts *d)
{
	size_t i;

	if (!d)
		return;
	if (d->priv) {
		GEOSContextHandle_t h = d->priv->g.h;

		for (i = 0; d->priv->area && i < d->n; i++)
			GEOSGeom_destroy_r(h, d->priv->area[i]);
		for (i = 0; d->priv->piece && i < d->npieces; i++)
			GEOSGeom_destroy_r(h, d->priv->piece[i]);
		free(d->priv->area);
		free(d->priv->piece);
		gctx_release(&d->priv->g);
		free(d->priv);
	}
	free(d->area_m2);
	free(d->desert_m2);
	free(d->share);
	free(d->pop_in);
	free(d->cohort_in);
	free(d->pieces);
	free(d);
}

struct inv_ctx {
	struct geo_proj *proj;
	struct core_err *err;
	int failed;
};

static int inv_xy(double *x, double *y, void *ud)
{
	struct inv_ctx *c = ud;

	if (c->failed)
		return 0;
	if (geo_proj_inv(c->proj, x, y, 1, c->err)) {
		c->failed = 1;
		return 0;
	}
	return 1;
}

int geo_deserts_wkb(const struct geo_deserts *d, int piece, size_t i,
		    struct geo_proj *proj, unsigned char **wkb, size_t *len,
		    struct core_err *err)
{
	struct gctx *g = &d->priv->g;
	GEOSContextHandle_t h = g->h;
	const GEOSGeometry *src;
	GEOSGeometry *t;
	GEOSWKBWriter *wr;
	unsigned char *buf;
	size_t n = 0;

	*wkb = NULL;
	*len = 0;
	if (piece ? i >= d->npieces : i >= d->n)
		return core_err_set(err, CORE_EFAIL, "no desert %s %zu",
				    piece ? "piece" : "area", i);
	src = piece ? d->priv->piece[i] : d->priv->area[i];
	if (!src)
		return CORE_OK;
	if (proj) {
		struct inv_ctx c = {proj, err, 0};

		t = GEOSGeom_transformXY_r(h, src, inv_xy, &c);
		if (!t) {
			if (c.failed)
				return err->code;
			return core_err_set(err, CORE_ELIB, "GEOS: %s",
					    gmsg(g));
		}
	} else {
		t = GEOSGeom_clone_r(h, src);
	}
	if (GEOSGeomTypeId_r(h, t) == GEOS_POLYGON) {
		GEOSGeometry *one[1] = {t};

		t = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, one, 1);
	}
	wr = GEOSWKBWriter_create_r(h);
	buf = t && wr ? GEOSWKBWriter_write_r(h, wr, t, &n) : NULL;
	GEOSWKBWriter_destroy_r(h, wr);
	GEOSGeom_destroy_r(h, t);
	if (!buf)
		return core_err_set(err, CORE_ELIB, "GEOS: %s", gmsg(g));
	*wkb = xmalloc(n);
	memcpy(*wkb, buf, n);
	*len = n;
	GEOSFree_r(h, buf);
	return CORE_OK;
}
