/*
 * fuzz_net_decode.c - libFuzzer target for geo_net_decode, the reader of
 * the road graphs stored in the workspace (geo/geo_net.h), unprojected.
 * Each input is decoded as it is, and again with its checksum put right
 * so that the mutations reach the checks behind it.  A graph that
 * decodes is snapped to and searched.  Build and run: see
 * tests/fuzz/README.md.
 *
 * Besides crashes and sanitizer reports, it aborts when
 *  - a refusal has no message, or a refused decode returns a graph;
 *  - a decoded segment has an end out of range, equal ends, a length or
 *    cost that is negative or NaN, or no allowed direction;
 *  - a point at a node does not snap (no limit), or snaps off its range
 *    (t outside [0, 1], a negative or non-finite leg);
 *  - a search reports a negative or NaN cost, a source out of range, a
 *    target twice, or node costs that are negative or NaN.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_err.h"
#include "core/core_mem.h"
#include "geo/geo_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NP 12

static void check_cost(const struct geo_net_cost *c)
{
	if (isnan(c->cost) || c->cost < 0 || isnan(c->secs) || c->secs < 0 ||
	    isnan(c->metres) || c->metres < 0)
		abort();
}

static void seen_once(void *ctx, size_t target, const struct geo_net_cost *c)
{
	unsigned char *seen = ctx;

	if (target >= NP || seen[target]++)
		abort();
	check_cost(c);
}

static void exercise(const struct geo_net *net)
{
	size_t nn = geo_net_nnodes(net), ns = geo_net_nsegs(net), i;
	double x[NP], y[NP], *nc;
	struct geo_snap sn[NP];
	struct geo_net_cost out[NP];
	size_t which[NP];
	struct core_err err = CORE_ERR_INIT;
	struct geo_net_search *s;
	struct geo_net_targets *tg;
	unsigned char seen[NP];
	int w;

	for (i = 0; i < ns; i++) {
		uint32_t a, b;
		double len, ab, ba;

		geo_net_seg(net, i, &a, &b, &len, &ab, &ba);
		if (a >= nn || b >= nn || a == b || !(len >= 0) || !(ab >= 0) ||
		    !(ba >= 0) || (isinf(ab) && isinf(ba)))
			abort();
	}
	for (i = 0; i < NP; i++) {
		geo_net_node_xy(net, (i * 7919) % nn, &x[i], &y[i]);
		x[i] += (double)(i % 3) * 1e-4;
	}
	if (geo_net_snap(net, x, y, NP, INFINITY, sn) != 0)
		abort();
	for (i = 0; i < NP; i++)
		if (sn[i].seg < 0 || (size_t)sn[i].seg >= ns ||
		    !(sn[i].t >= 0) || !(sn[i].t <= 1) || !(sn[i].off_m >= 0) ||
		    !isfinite(sn[i].off_m))
			abort();
	nc = xmalloc(nn * sizeof *nc);
	s = geo_net_search_new(net);
	tg = geo_net_targets_new(net, NP, sn);
	for (w = 0; w < 2; w++) {
		if (geo_net_nearest(net, (enum geo_net_weight)w, 3, sn, NP, sn,
				    INFINITY, which, out, &err))
			abort();
		for (i = 0; i < NP; i++) {
			if (which[i] != (size_t)-1 && which[i] >= 3)
				abort();
			if (which[i] != (size_t)-1)
				check_cost(&out[i]);
			else if (!isinf(out[i].cost))
				abort();
		}
		memset(seen, 0, sizeof seen);
		geo_net_reach(s, tg, (enum geo_net_weight)w, GEO_NET_TO, &sn[0],
			      INFINITY, seen_once, seen);
		if (!seen[0])
			abort(); /* a place reaches itself */
		if (geo_net_node_costs(net, (enum geo_net_weight)w,
				       GEO_NET_FROM, 2, sn, INFINITY, nc, &err))
			abort();
		for (i = 0; i < nn; i++)
			if (isnan(nc[i]) || nc[i] < 0)
				abort();
	}
	geo_net_targets_free(tg);
	geo_net_search_free(s);
	free(nc);
}

static void decode(const unsigned char *p, size_t n)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_net *net = NULL;

	if (geo_net_decode(p, n, NULL, &net, &err)) {
		if (net || !err.msg[0])
			abort();
		return;
	}
	if (!net)
		abort();
	exercise(net);
	geo_net_free(net);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *fixed;
	uint32_t h = 2166136261u;
	size_t i;

	decode(data, size);
	if (size < 24 || size > 1 << 20)
		return 0;
	/* The checksum put right: FNV-1a of all but bytes 20..23. */
	fixed = xmalloc(size);
	memcpy(fixed, data, size);
	for (i = 0; i < size; i++) {
		if (i >= 20 && i < 24)
			continue;
		h ^= fixed[i];
		h *= 16777619u;
	}
	fixed[20] = (unsigned char)h;
	fixed[21] = (unsigned char)(h >> 8);
	fixed[22] = (unsigned char)(h >> 16);
	fixed[23] = (unsigned char)(h >> 24);
	decode(fixed, size);
	free(fixed);
	return 0;
}
