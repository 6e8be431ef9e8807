/*
 * netref.h - a plain reference for door-to-door costs on a road graph
 * (geo_net.h), written independently of geo_net.c for the tests of the
 * analyses that search it (test_net_access.c, test_standards.c): an
 * O(V^2) Dijkstra from every node, then for two snapped places the least
 * of the direct move along a shared segment and every exit / entry pair
 * of their segments' ends, plus both access legs.
 *
 * Header-only (static functions) so each test binary stays one file.
 */
#ifndef NETREF_H
#define NETREF_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/core_mem.h"
#include "geo/geo_net.h"

struct netref {
	const struct geo_net *net;
	enum geo_net_weight w;
	enum geo_mode mode;
	size_t nn, ns;
	double *d; /* [nn * nn] node -> node least cost */
};

/* Segment s's cost one way (ab: a -> b), +inf where not allowed. */
static double netref_seg(const struct geo_net *net, enum geo_net_weight w,
			 size_t s, int ab)
{
	uint32_t a, b;
	double len, sab, sba, secs;

	geo_net_seg(net, s, &a, &b, &len, &sab, &sba);
	secs = ab ? sab : sba;
	if (!(secs >= 0) || isinf(secs))
		return INFINITY;
	return w == GEO_NET_TIME ? secs : len;
}

/* frac of a segment's cost (0 when frac is 0: already at the end). */
static double netref_part(double frac, double cost)
{
	return frac == 0 ? 0 : frac * cost;
}

static void netref_init(struct netref *r, const struct geo_net *net,
			enum geo_net_weight w)
{
	size_t src, k, s;
	unsigned char *done;

	r->net = net;
	r->w = w;
	r->mode = geo_net_mode(net);
	r->nn = geo_net_nnodes(net);
	r->ns = geo_net_nsegs(net);
	r->d = xmalloc((r->nn * r->nn + 1) * sizeof(double));
	done = xmalloc(r->nn + 1);
	for (src = 0; src < r->nn; src++) {
		double *d = r->d + src * r->nn;

		for (k = 0; k < r->nn; k++) {
			d[k] = INFINITY;
			done[k] = 0;
		}
		d[src] = 0;
		for (;;) {
			size_t u = (size_t)-1;

			for (k = 0; k < r->nn; k++)
				if (!done[k] && d[k] < INFINITY &&
				    (u == (size_t)-1 || d[k] < d[u]))
					u = k;
			if (u == (size_t)-1)
				break;
			done[u] = 1;
			for (s = 0; s < r->ns; s++) {
				uint32_t a, b;
				double len, sab, sba, c;

				geo_net_seg(net, s, &a, &b, &len, &sab, &sba);
				if (a == u) {
					c = netref_seg(net, w, s, 1);
					if (d[u] + c < d[b])
						d[b] = d[u] + c;
				}
				if (b == u) {
					c = netref_seg(net, w, s, 0);
					if (d[u] + c < d[a])
						d[a] = d[u] + c;
				}
			}
		}
	}
	free(done);
}

static void netref_release(struct netref *r)
{
	free(r->d);
	r->d = NULL;
}

/* The access leg of a place. */
static double netref_leg(const struct netref *r, const struct geo_snap *p)
{
	return r->w == GEO_NET_TIME ? p->off_m / geo_net_access_mps(r->mode)
				    : p->off_m;
}

/* Door to door from p to q: NaN when either is not placed, +inf when q
 * cannot be reached. */
static double netref_cost(const struct netref *r, const struct geo_snap *p,
			  const struct geo_snap *q)
{
	uint32_t pa, pb, qa, qb;
	double len, sab, sba, best = INFINITY, ex[2], en[2];
	uint32_t exn[2], enn[2];
	int e, f;

	if (p->seg < 0 || q->seg < 0)
		return NAN;
	geo_net_seg(r->net, (size_t)p->seg, &pa, &pb, &len, &sab, &sba);
	geo_net_seg(r->net, (size_t)q->seg, &qa, &qb, &len, &sab, &sba);
	if (p->seg == q->seg) {
		if (q->t >= p->t)
			best = netref_part(
			    q->t - p->t,
			    netref_seg(r->net, r->w, (size_t)p->seg, 1));
		else
			best = netref_part(
			    p->t - q->t,
			    netref_seg(r->net, r->w, (size_t)p->seg, 0));
	}
	/* leave p's segment towards a (moving b -> a) or b (a -> b) */
	ex[0] = netref_part(p->t, netref_seg(r->net, r->w, (size_t)p->seg, 0));
	exn[0] = pa;
	ex[1] =
	    netref_part(1 - p->t, netref_seg(r->net, r->w, (size_t)p->seg, 1));
	exn[1] = pb;
	/* enter q's segment from a (a -> b) or from b (b -> a) */
	en[0] = netref_part(q->t, netref_seg(r->net, r->w, (size_t)q->seg, 1));
	enn[0] = qa;
	en[1] =
	    netref_part(1 - q->t, netref_seg(r->net, r->w, (size_t)q->seg, 0));
	enn[1] = qb;
	for (e = 0; e < 2; e++)
		for (f = 0; f < 2; f++) {
			double c = ex[e] +
				   r->d[(size_t)exn[e] * r->nn + enn[f]] +
				   en[f];

			if (c < best)
				best = c;
		}
	return best + netref_leg(r, p) + netref_leg(r, q);
}

#endif
