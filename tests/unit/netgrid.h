/*
 * netgrid.h - a small street grid built in a test, and a plain reference
 * search over it, for the tests of the analyses on the road network
 * (test_net_deserts.c, test_net_sites.c).
 *
 * netgrid_build lays out nx * ny nodes sp metres apart in the analysis
 * CRS (EPSG:3310) from (X0, Y0), joins horizontal and vertical
 * neighbours, takes out the vertical streets that cross the "river"
 * between rows river_row and river_row + 1 except the bridges, turns
 * every other row one-way (driving only: odd rows east, even rows west)
 * and gives the streets speeds (driving: 13.4 m/s, 8.9 m/s on every
 * third column; walking and cycling their mode's speed).  The nodes go
 * through lon/lat and geo_net_build, geo_net_save into a real workspace,
 * and geo_net_load brings the graph back projected.
 *
 * ref_node_costs and ref_cost are the reference: Dijkstra written out
 * plainly (O(n^2) over the loaded graph's own segments), people going
 * TO the sources, and the door-to-door cost of a snapped place.
 * Everything is static: each test file includes this once.
 */
#ifndef NETGRID_H
#define NETGRID_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_net.h"
#include "geo/geo_proj.h"
#include "tests/unit/testlib.h"

#define NETGRID_X0 (-200000.0)
#define NETGRID_Y0 (-20000.0)

struct netgrid {
	struct core_ws *ws;
	struct geo_proj *proj;
	struct geo_net *net;
	enum geo_mode mode;
};

/* Build and load; 0 on success (a failure is recorded). */
static inline int netgrid_build(struct netgrid *g, const char *wsname,
				enum geo_mode mode, int nx, int ny, double sp,
				int river_row, const int *bridges, int nbridges)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_net_build_in in;
	struct geo_net_stats st;
	size_t nn = (size_t)nx * (size_t)ny, ns = 0, cap = 2 * nn, i;
	double *lon = xmalloc(nn * sizeof(double));
	double *lat = xmalloc(nn * sizeof(double));
	uint32_t *a = xmalloc(cap * sizeof(uint32_t));
	uint32_t *b = xmalloc(cap * sizeof(uint32_t));
	double *len = xmalloc(cap * sizeof(double));
	double *sab = xmalloc(cap * sizeof(double));
	double *sba = xmalloc(cap * sizeof(double));
	unsigned char *blob = NULL;
	size_t blen = 0;
	int x, y, rc = -1;
	int64_t src;

	memset(g, 0, sizeof(*g));
	g->mode = mode;
	g->ws = test_new_ws_crs(wsname, "EPSG:3310");
	if (!g->ws || geo_proj_for_ws(g->ws, &g->proj, &err)) {
		test_fail(__FILE__, __LINE__, "workspace: %s", err.msg);
		goto out;
	}
	for (y = 0; y < ny; y++)
		for (x = 0; x < nx; x++) {
			i = (size_t)y * (size_t)nx + (size_t)x;
			lon[i] = NETGRID_X0 + x * sp;
			lat[i] = NETGRID_Y0 + y * sp;
		}
	if (geo_proj_inv(g->proj, lon, lat, nn, &err)) {
		test_fail(__FILE__, __LINE__, "proj: %s", err.msg);
		goto out;
	}
	for (y = 0; y < ny; y++)
		for (x = 0; x < nx; x++) {
			uint32_t u = (uint32_t)(y * nx + x);
			double v_h, v_v;

			if (mode == GEO_MODE_DRIVE) {
				v_h = 13.4;
				v_v = x % 3 == 0 ? 8.9 : 13.4;
			} else {
				v_h = v_v = mode == GEO_MODE_BIKE
						? GEO_NET_BIKE_MPS
						: GEO_NET_WALK_MPS;
			}
			if (x + 1 < nx) { /* east */
				a[ns] = u;
				b[ns] = u + 1;
				len[ns] = sp;
				sab[ns] = sba[ns] = sp / v_h;
				if (mode == GEO_MODE_DRIVE) {
					if (y % 2)
						sba[ns] = INFINITY;
					else
						sab[ns] = INFINITY;
				}
				ns++;
			}
			if (y + 1 < ny) { /* north */
				int k, keep = y != river_row;

				for (k = 0; k < nbridges; k++)
					keep |= bridges[k] == x;
				if (keep) {
					a[ns] = u;
					b[ns] = u + (uint32_t)nx;
					len[ns] = sp;
					sab[ns] = sba[ns] = sp / v_v;
					ns++;
				}
			}
		}
	memset(&in, 0, sizeof(in));
	in.mode = mode;
	in.nnodes = nn;
	in.lon = lon;
	in.lat = lat;
	in.nsegs = ns;
	in.a = a;
	in.b = b;
	in.len_m = len;
	in.secs_ab = sab;
	in.secs_ba = sba;
	test_exec(g->ws,
		  "INSERT INTO sources(kind, path, name, format, checksum,"
		  " imported_at)"
		  " VALUES('roads', '/test/grid.osm', 'grid.osm', 'OSM', '0',"
		  " '2026-01-01T00:00:00Z')");
	src = test_q_int(g->ws, "SELECT max(id) FROM sources");
	if (geo_net_build(&in, &st, &blob, &blen, &err) ||
	    geo_net_save(g->ws, mode, src, &st, blob, blen, &err) ||
	    geo_net_load(g->ws, mode, g->proj, &g->net, &err)) {
		test_fail(__FILE__, __LINE__, "network: %s", err.msg);
		goto out;
	}
	rc = 0;
out:
	free(blob);
	free(lon);
	free(lat);
	free(a);
	free(b);
	free(len);
	free(sab);
	free(sba);
	return rc;
}

static inline void netgrid_free(struct netgrid *g)
{
	geo_net_free(g->net);
	geo_proj_free(g->proj);
	if (g->ws)
		core_ws_close(g->ws);
	memset(g, 0, sizeof(*g));
}

/* Segment s's cost each way by weight w (+inf: not allowed). */
static inline void ref_seg(const struct geo_net *net, enum geo_net_weight w,
			   size_t s, uint32_t *a, uint32_t *b, double *cab,
			   double *cba)
{
	double len, sab, sba;

	geo_net_seg(net, s, a, b, &len, &sab, &sba);
	*cab = !(sab >= 0) || isinf(sab) ? INFINITY
	       : w == GEO_NET_TIME	 ? sab
					 : len;
	*cba = !(sba >= 0) || isinf(sba) ? INFINITY
	       : w == GEO_NET_TIME	 ? sba
					 : len;
}

/* The cost of the off-road leg of off metres. */
static inline double ref_leg(const struct geo_net *net, enum geo_net_weight w,
			     double off)
{
	return w == GEO_NET_TIME ? off / geo_net_access_mps(geo_net_mode(net))
				 : off;
}

/*
 * C[node] = the least cost from the node to any of the placed sources
 * src[0 .. n-1] (people travelling TO them), legs included: plain
 * Dijkstra, O(nodes^2).
 */
static inline void ref_node_costs(const struct geo_net *net,
				  enum geo_net_weight w, size_t n,
				  const struct geo_snap *src, double *C)
{
	size_t nn = geo_net_nnodes(net), ns = geo_net_nsegs(net), i, it;
	unsigned char *done = xcalloc(nn + 1, 1);

	for (i = 0; i < nn; i++)
		C[i] = INFINITY;
	for (i = 0; i < n; i++) {
		uint32_t a, b;
		double cab, cba, leg;

		if (src[i].seg < 0)
			continue;
		ref_seg(net, w, (size_t)src[i].seg, &a, &b, &cab, &cba);
		leg = ref_leg(net, w, src[i].off_m);
		/* from a to the source runs a -> b */
		if (cab < INFINITY)
			C[a] = fmin(C[a], leg + src[i].t * cab);
		if (cba < INFINITY)
			C[b] = fmin(C[b], leg + (1 - src[i].t) * cba);
		if (src[i].t == 0)
			C[a] = fmin(C[a], leg);
		if (src[i].t == 1)
			C[b] = fmin(C[b], leg);
	}
	for (it = 0; it < nn; it++) {
		size_t v = (size_t)-1, s;

		for (i = 0; i < nn; i++)
			if (!done[i] && C[i] < INFINITY &&
			    (v == (size_t)-1 || C[i] < C[v]))
				v = i;
		if (v == (size_t)-1)
			break;
		done[v] = 1;
		for (s = 0; s < ns; s++) {
			uint32_t a, b;
			double cab, cba;

			ref_seg(net, w, s, &a, &b, &cab, &cba);
			if (b == v && C[v] + cab < C[a])
				C[a] = C[v] + cab;
			if (a == v && C[v] + cba < C[b])
				C[b] = C[v] + cba;
		}
	}
	free(done);
}

/*
 * The door-to-door cost of a place snapped at p, to the nearest of the
 * sources (node costs C from ref_node_costs): its leg, then along its
 * segment to either end, or straight to a source on the same segment
 * when the segment's direction allows.  +inf when p is not placed.
 */
static inline double ref_cost(const struct geo_net *net, enum geo_net_weight w,
			      const double *C, size_t n,
			      const struct geo_snap *src,
			      const struct geo_snap *p)
{
	uint32_t a, b;
	double cab, cba, best = INFINITY;
	size_t i;

	if (p->seg < 0)
		return INFINITY;
	ref_seg(net, w, (size_t)p->seg, &a, &b, &cab, &cba);
	if (cba < INFINITY || p->t == 0)
		best = fmin(best, (p->t > 0 ? p->t * cba : 0) + C[a]);
	if (cab < INFINITY || p->t == 1)
		best = fmin(best, (p->t < 1 ? (1 - p->t) * cab : 0) + C[b]);
	for (i = 0; i < n; i++) {
		if (src[i].seg != p->seg)
			continue;
		double d = src[i].t - p->t, leg = ref_leg(net, w, src[i].off_m);

		if (d == 0)
			best = fmin(best, leg);
		else if (d > 0 && cab < INFINITY)
			best = fmin(best, d * cab + leg);
		else if (d < 0 && cba < INFINITY)
			best = fmin(best, -d * cba + leg);
	}
	return best + ref_leg(net, w, p->off_m);
}

/*
 * The same with a free choice of road: the least door-to-door cost of
 * (x, y) over every segment within S of it, joined at the nearest point
 * of that segment (geo_net joins the nearest segment only).  This is
 * the measure the desert polygons draw (geo_deserts.h).
 */
static inline double ref_cost_free(const struct geo_net *net,
				   enum geo_net_weight w, const double *C,
				   size_t n, const struct geo_snap *src,
				   double x, double y, double S)
{
	size_t ns = geo_net_nsegs(net), s;
	double best = INFINITY;

	for (s = 0; s < ns; s++) {
		uint32_t a, b;
		double len, sab, sba, xa, ya, xb, yb, dx, dy, L2, t, d;
		struct geo_snap p;

		geo_net_seg(net, s, &a, &b, &len, &sab, &sba);
		geo_net_node_xy(net, a, &xa, &ya);
		geo_net_node_xy(net, b, &xb, &yb);
		dx = xb - xa;
		dy = yb - ya;
		L2 = dx * dx + dy * dy;
		t = L2 > 0 ? ((x - xa) * dx + (y - ya) * dy) / L2 : 0;
		t = t < 0 ? 0 : t > 1 ? 1 : t;
		d = hypot(x - (xa + t * dx), y - (ya + t * dy));
		if (d > S)
			continue;
		p.seg = (int32_t)s;
		p.t = t;
		p.off_m = d;
		best = fmin(best, ref_cost(net, w, C, n, src, &p));
	}
	return best;
}

#endif
