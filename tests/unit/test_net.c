/*
 * test_net.c - the road network engine (geo/geo_net.h): building (the
 * largest strongly connected piece, renumbering, statistics), the blob
 * (round trip, truncation, corruption), snapping against brute force,
 * and the searches against costs worked by hand and against a plain
 * reference search over the graph with the places spliced into their
 * segments.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_ch.h"
#include "geo/geo_net.h"
#include "geo/geo_proj.h"
#include "tests/unit/testlib.h"

#define CHECK_COST(a, b, eps)                                                  \
	do {                                                                   \
		double a_ = (a), b_ = (b);                                     \
		if (!(fabs(a_ - b_) <= (eps) || (isinf(a_) && a_ == b_)))      \
			test_fail(__FILE__, __LINE__,                          \
				  "%s = %.12g, want %.12g", #a, a_, b_);       \
	} while (0)

#define INF  INFINITY
#define NONE ((size_t)-1)

/* ---- building a graph from plain arrays ------------------------------ */

struct gb {
	size_t nn, ns;
	double lon[256], lat[256];
	uint32_t a[512], b[512];
	double len[512], ab[512], ba[512];
};

static void gb_node(struct gb *g, double lon, double lat)
{
	g->lon[g->nn] = lon;
	g->lat[g->nn] = lat;
	g->nn++;
}

static void gb_seg(struct gb *g, uint32_t a, uint32_t b, double len, double ab,
		   double ba)
{
	g->a[g->ns] = a;
	g->b[g->ns] = b;
	g->len[g->ns] = len;
	g->ab[g->ns] = ab;
	g->ba[g->ns] = ba;
	g->ns++;
}

static int gb_build(const struct gb *g, enum geo_mode mode,
		    struct geo_net_stats *st, unsigned char **blob, size_t *len,
		    struct core_err *err)
{
	struct geo_net_build_in in;

	memset(&in, 0, sizeof in);
	in.mode = mode;
	in.nnodes = g->nn;
	in.lon = g->lon;
	in.lat = g->lat;
	in.nsegs = g->ns;
	in.a = g->a;
	in.b = g->b;
	in.len_m = g->len;
	in.secs_ab = g->ab;
	in.secs_ba = g->ba;
	return geo_net_build(&in, st, blob, len, err);
}

/* Build and decode unprojected (x, y stay degrees). */
static struct geo_net *gb_net(const struct gb *g, enum geo_mode mode,
			      struct geo_net_stats *st)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_net_stats st0;
	unsigned char *blob = NULL;
	size_t len = 0;
	struct geo_net *net = NULL;

	if (gb_build(g, mode, st ? st : &st0, &blob, &len, &err)) {
		test_fail(__FILE__, __LINE__, "build: %s", err.msg);
		return NULL;
	}
	if (geo_net_decode(blob, len, NULL, &net, &err))
		test_fail(__FILE__, __LINE__, "decode: %s", err.msg);
	free(blob);
	return net;
}

static struct geo_snap at(int32_t seg, double t, double off)
{
	struct geo_snap s;

	s.seg = seg;
	s.t = t;
	s.off_m = off;
	return s;
}

/* ---- the hand graph -------------------------------------------------- */

/*
 * Old nodes 0, 1: a two-way pair (a piece of 2, dropped); 2..5 the main
 * piece (new 0..3); 6: reached one way only (dropped); 7: never used.
 *   S0  n0 - n1   100 m, 60 s both ways
 *   S1  n1 -> n2  200 m, 120 s, one way
 *   S2  n2 - n0   300 m, 120 s both ways
 *   S3  n2 - n3    50 m, 30 s both ways
 * plus a self-loop, a segment usable in neither direction, and the
 * one-way spur n3 -> old 6 (40 m).
 */
static void hand_graph(struct gb *g)
{
	int i;

	memset(g, 0, sizeof *g);
	for (i = 0; i < 8; i++)
		gb_node(g, -122.0 + 0.001 * i, 37.0 + 0.0005 * (i % 3));
	gb_seg(g, 0, 1, 10, 8, 8);	/* the small piece */
	gb_seg(g, 2, 3, 100, 60, 60);	/* S0 */
	gb_seg(g, 3, 3, 0, 0, 0);	/* self-loop: dropped */
	gb_seg(g, 3, 4, 200, 120, INF); /* S1 */
	gb_seg(g, 3, 5, 70, INF, -1);	/* unusable */
	gb_seg(g, 4, 2, 300, 120, 120); /* S2 */
	gb_seg(g, 4, 5, 50, 30, 30);	/* S3 */
	gb_seg(g, 5, 6, 40, 24, INF);	/* spur: dropped */
}

/* Building renumbers nodes and segments (along a Z-order curve): find
 * them again by where they are. */
static uint32_t node_at(const struct geo_net *net, double lon, double lat)
{
	size_t i;
	double x, y;

	for (i = 0; i < geo_net_nnodes(net); i++) {
		geo_net_node_xy(net, i, &x, &y);
		if (fabs(x - lon) < 1e-9 && fabs(y - lat) < 1e-9)
			return (uint32_t)i;
	}
	test_fail(__FILE__, __LINE__, "no node at %g %g", lon, lat);
	return 0;
}

/* The hand graph's new node k (old node k + 2). */
static uint32_t hand_node(const struct geo_net *net, int k)
{
	int i = k + 2;

	return node_at(net, -122.0 + 0.001 * i, 37.0 + 0.0005 * (i % 3));
}

/* The segment from node a to node b (in that orientation). */
static int32_t seg_from(const struct geo_net *net, uint32_t a, uint32_t b)
{
	size_t i;

	for (i = 0; i < geo_net_nsegs(net); i++) {
		uint32_t sa, sb;
		double l, ab, ba;

		geo_net_seg(net, i, &sa, &sb, &l, &ab, &ba);
		if (sa == a && sb == b)
			return (int32_t)i;
	}
	test_fail(__FILE__, __LINE__, "no segment %u -> %u", a, b);
	return 0;
}

static void test_build_hand(void)
{
	struct gb g;
	struct geo_net_stats st;
	struct geo_net *net;
	uint32_t a, b;
	double len, ab, ba, x, y;

	hand_graph(&g);
	net = gb_net(&g, GEO_MODE_WALK, &st);
	if (!net)
		return;
	CHECK(st.nodes == 4);
	CHECK(st.segs == 4);
	CHECK_COST(st.km, 0.65, 1e-12);
	CHECK(st.pieces == 3); /* {0,1}, {2..5}, {6} */
	CHECK(st.dropped_nodes == 3);
	CHECK(st.dropped_segs == 2);
	CHECK_COST(st.dropped_km, 0.05, 1e-12);
	CHECK_COST(st.minlon, -122.0 + 0.002, 1e-12);
	CHECK_COST(st.maxlon, -122.0 + 0.005, 1e-12);
	CHECK_COST(st.minlat, 37.0, 1e-12);
	CHECK_COST(st.maxlat, 37.001, 1e-12);
	CHECK(geo_net_nnodes(net) == 4);
	CHECK(geo_net_nsegs(net) == 4);
	CHECK(geo_net_mode(net) == GEO_MODE_WALK);
	{
		uint32_t n[4];
		int k;

		for (k = 0; k < 4; k++)
			n[k] = hand_node(net, k);
		/* four distinct nodes, so every one was found */
		CHECK(n[0] != n[1] && n[0] != n[2] && n[0] != n[3] &&
		      n[1] != n[2] && n[1] != n[3] && n[2] != n[3]);
		geo_net_seg(net, (size_t)seg_from(net, n[1], n[2]), &a, &b,
			    &len, &ab, &ba);
		CHECK(len == 200 && ab == 120 && isinf(ba));
		geo_net_seg(net, (size_t)seg_from(net, n[2], n[0]), &a, &b,
			    &len, &ab, &ba);
		CHECK(len == 300 && ab == 120 && ba == 120);
		geo_net_seg(net, (size_t)seg_from(net, n[0], n[1]), &a, &b,
			    &len, &ab, &ba);
		CHECK(len == 100 && ab == 60 && ba == 60);
		geo_net_seg(net, (size_t)seg_from(net, n[2], n[3]), &a, &b,
			    &len, &ab, &ba);
		CHECK(len == 50 && ab == 30 && ba == 30);
	}
	geo_net_node_xy(net, hand_node(net, 0), &x, &y);
	CHECK_COST(x, -121.998, 1e-7);
	CHECK_COST(y, 37.001, 1e-7);
	geo_net_free(net);
}

static void test_build_ties_and_errors(void)
{
	struct gb g;
	struct geo_net_stats st;
	struct geo_net *net;
	struct core_err err = CORE_ERR_INIT;
	unsigned char *blob = NULL;
	size_t len = 0;
	double x, y;

	/* Two pieces of two nodes: the one holding node 0 is kept, though
	 * its segment comes second. */
	memset(&g, 0, sizeof g);
	gb_node(&g, 1, 1);
	gb_node(&g, 2, 2);
	gb_node(&g, 3, 3);
	gb_node(&g, 4, 4);
	gb_seg(&g, 2, 3, 5, 5, 5);
	gb_seg(&g, 1, 0, 5, 5, 5);
	net = gb_net(&g, GEO_MODE_DRIVE, &st);
	if (net) {
		CHECK(st.nodes == 2 && st.segs == 1 && st.pieces == 2);
		CHECK(st.dropped_nodes == 2 && st.dropped_segs == 1);
		geo_net_node_xy(net, 0, &x, &y);
		CHECK((x == 1 && y == 1) || (x == 2 && y == 2));
		geo_net_node_xy(net, 1, &x, &y);
		CHECK((x == 1 && y == 1) || (x == 2 && y == 2));
		CHECK(geo_net_mode(net) == GEO_MODE_DRIVE);
		geo_net_free(net);
	}
	/* No usable segment: CORE_EUSAGE. */
	memset(&g, 0, sizeof g);
	gb_node(&g, 1, 1);
	gb_node(&g, 2, 2);
	gb_seg(&g, 0, 1, 5, INF, INF);
	gb_seg(&g, 1, 1, 0, 1, 1);
	CHECK(gb_build(&g, GEO_MODE_WALK, &st, &blob, &len, &err) ==
	      CORE_EUSAGE);
	CHECK(blob == NULL);
	CHECK(strstr(err.msg, "no roads the walk mode may use") != NULL);
	/* A node index out of range. */
	gb_seg(&g, 0, 9, 5, 1, 1);
	CHECK(gb_build(&g, GEO_MODE_WALK, &st, &blob, &len, &err) ==
	      CORE_EFORMAT);
	CHECK(strstr(err.msg, "segment 2") != NULL);
	/* A one-way cycle is strongly connected. */
	memset(&g, 0, sizeof g);
	gb_node(&g, 0, 0);
	gb_node(&g, 0.001, 0);
	gb_node(&g, 0.001, 0.001);
	gb_seg(&g, 0, 1, 1, 1, INF);
	gb_seg(&g, 1, 2, 1, 1, INF);
	gb_seg(&g, 0, 2, 1, INF, 1);
	net = gb_net(&g, GEO_MODE_DRIVE, &st);
	CHECK(net && st.nodes == 3 && st.segs == 3 && st.pieces == 1);
	geo_net_free(net);
}

/* A long chain, one way round a ring: no recursion in the components. */
static void test_build_long_ring(void)
{
	size_t n = 400000, i;
	double *lon = xmalloc(n * sizeof *lon), *lat = xmalloc(n * sizeof *lat);
	double *len = xmalloc(n * sizeof *len), *ab = xmalloc(n * sizeof *ab);
	double *ba = xmalloc(n * sizeof *ba);
	uint32_t *a = xmalloc(n * sizeof *a), *b = xmalloc(n * sizeof *b);
	struct geo_net_build_in in;
	struct geo_net_stats st;
	struct core_err err = CORE_ERR_INIT;
	unsigned char *blob = NULL;
	size_t blen = 0;

	for (i = 0; i < n; i++) {
		lon[i] = -120 + 1e-5 * (double)(i % 1000);
		lat[i] = 35 + 1e-5 * (double)(i / 1000);
		a[i] = (uint32_t)i;
		b[i] = (uint32_t)((i + 1) % n);
		len[i] = 1;
		ab[i] = 1;
		ba[i] = INF;
	}
	memset(&in, 0, sizeof in);
	in.mode = GEO_MODE_DRIVE;
	in.nnodes = n;
	in.lon = lon;
	in.lat = lat;
	in.nsegs = n;
	in.a = a;
	in.b = b;
	in.len_m = len;
	in.secs_ab = ab;
	in.secs_ba = ba;
	CHECK(geo_net_build(&in, &st, &blob, &blen, &err) == 0);
	CHECK(st.nodes == n && st.segs == n && st.pieces == 1);
	CHECK(blen == 24 + 8 * n + 20 * n);
	free(blob);
	/* Break the ring: every node its own piece; node 0's is kept. */
	ab[n - 1] = INF;
	CHECK(geo_net_build(&in, &st, &blob, &blen, &err) == CORE_EUSAGE);
	CHECK(strstr(err.msg, "no two places") != NULL);
	free(blob);
	free(lon);
	free(lat);
	free(len);
	free(ab);
	free(ba);
	free(a);
	free(b);
}

/* The blob's checksum: FNV-1a over all but bytes 20..23. */
static uint32_t fnv(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i >= 20 && i < 24)
			continue;
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

static void test_decode_rejects(void)
{
	struct gb g;
	struct geo_net_stats st;
	struct core_err err = CORE_ERR_INIT;
	unsigned char *blob = NULL, *bad;
	size_t len = 0, i;
	struct geo_net *net = NULL;
	int bit;

	hand_graph(&g);
	if (gb_build(&g, GEO_MODE_BIKE, &st, &blob, &len, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return;
	}
	CHECK(len == 24 + 4 * 8 + 4 * 20);
	CHECK(memcmp(blob, "AMRN", 4) == 0);
	CHECK(geo_net_decode(blob, len, NULL, &net, &err) == 0);
	CHECK(net && geo_net_mode(net) == GEO_MODE_BIKE);
	geo_net_free(net);
	bad = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		memcpy(bad, blob, len);
		net = (struct geo_net *)1;
		CHECK(geo_net_decode(bad, i, NULL, &net, &err) == CORE_EFORMAT);
		CHECK(net == NULL);
		for (bit = 0; bit < 8; bit++) {
			memcpy(bad, blob, len);
			bad[i] ^= (unsigned char)(1u << bit);
			if (geo_net_decode(bad, len, NULL, &net, &err) !=
			    CORE_EFORMAT) {
				test_fail(__FILE__, __LINE__,
					  "byte %zu bit %d flipped: accepted",
					  i, bit);
				geo_net_free(net);
			}
		}
	}
	memcpy(bad, blob, len);
	bad[len] = 0;
	CHECK(geo_net_decode(bad, len + 1, NULL, &net, &err) == CORE_EFORMAT);
	/* Damage that keeps the checksum right: still refused. */
	{
		size_t seg0 = 24 + 4 * 8;
		static const struct {
			size_t off;
			uint32_t v;
		} cases[] = {
		    {0, 4},		   /* a out of range */
		    {4, 0},		   /* b == a (set below) */
		    {8, 0xbf800000u},	   /* length -1 */
		    {8, 0x7f800000u},	   /* length +inf */
		    {12, 0x7fc00000u},	   /* seconds NaN */
		    {12, 0xff800000u},	   /* seconds -inf */
		    {12, 0x7f800000u},	   /* S0 forbidden both ways */
		    {0xffff, 1900000000u}, /* node 0's longitude */
		};
		size_t k;

		for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
			size_t off =
			    cases[k].off == 0xffff ? 24 : seg0 + cases[k].off;
			uint32_t v = cases[k].v;

			memcpy(bad, blob, len);
			if (k == 1)
				v = (uint32_t)bad[seg0] |
				    (uint32_t)bad[seg0 + 1] << 8 |
				    (uint32_t)bad[seg0 + 2] << 16 |
				    (uint32_t)bad[seg0 + 3] << 24;
			if (k == 6) {
				bad[seg0 + 16] = 0;
				bad[seg0 + 17] = 0;
				bad[seg0 + 18] = 0x80;
				bad[seg0 + 19] = 0x7f;
			}
			bad[off] = (unsigned char)v;
			bad[off + 1] = (unsigned char)(v >> 8);
			bad[off + 2] = (unsigned char)(v >> 16);
			bad[off + 3] = (unsigned char)(v >> 24);
			v = fnv(bad, len);
			bad[20] = (unsigned char)v;
			bad[21] = (unsigned char)(v >> 8);
			bad[22] = (unsigned char)(v >> 16);
			bad[23] = (unsigned char)(v >> 24);
			if (geo_net_decode(bad, len, NULL, &net, &err) !=
			    CORE_EFORMAT) {
				test_fail(__FILE__, __LINE__,
					  "case %zu accepted", k);
				geo_net_free(net);
			}
		}
	}
	free(bad);
	free(blob);
}

/* ---- searches on the hand graph --------------------------------------- */

struct hits {
	size_t n;
	size_t id[64];
	struct geo_net_cost c[64];
	int seen[64];
};

static void collect(void *ctx, size_t target, const struct geo_net_cost *c)
{
	struct hits *h = ctx;

	if (target >= 64 || h->seen[target]) {
		test_fail(__FILE__, __LINE__, "target %zu reported twice",
			  target);
		return;
	}
	h->seen[target] = 1;
	h->id[h->n] = target;
	h->c[h->n] = *c;
	h->n++;
}

/* Every target's cost by index, and how often it was reported. */
struct rcollect {
	double *c;
	int *seen;
};

static void collect_all(void *ctx, size_t target, const struct geo_net_cost *c)
{
	struct rcollect *rc = ctx;

	rc->c[target] = c->cost;
	rc->seen[target]++;
}

/* The cost reported for target k, or NaN when it was not. */
static double hit_cost(const struct hits *h, size_t k)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->id[i] == k)
			return h->c[i].cost;
	return NAN;
}

static void test_search_hand(void)
{
	struct gb g;
	struct geo_net *net;
	const double mps = GEO_NET_WALK_MPS;
	/* Places: P mid one-way S1, Q at n3 (end of S3), R mid S2, A and B
	 * on the one-way S1, Y mid S0, Z at n2 (start of S3), W a quarter
	 * along S2 (30 s from n2), X at n1 as the start of S1. */
	struct geo_snap P, Q, R, A, B, Y, Z, W, X, Pl;
	struct geo_snap none = at(-1, NAN, NAN);
	struct core_err err = CORE_ERR_INIT;
	struct geo_net_cost out[8];
	size_t which[8];
	double nc[4], ncost[4];
	uint32_t n[4];
	int32_t S[4];
	int k;

	hand_graph(&g);
	net = gb_net(&g, GEO_MODE_WALK, NULL);
	if (!net)
		return;
	for (k = 0; k < 4; k++)
		n[k] = hand_node(net, k);
	S[0] = seg_from(net, n[0], n[1]);
	S[1] = seg_from(net, n[1], n[2]);
	S[2] = seg_from(net, n[2], n[0]);
	S[3] = seg_from(net, n[2], n[3]);
	P = at(S[1], 0.5, 0);
	Q = at(S[3], 1, 0);
	R = at(S[2], 0.5, 0);
	A = at(S[1], 0.25, 0);
	B = at(S[1], 0.75, 0);
	Y = at(S[0], 0.5, 0);
	Z = at(S[3], 0, 0);
	W = at(S[2], 0.25, 0);
	X = at(S[1], 0, 0);
	Pl = at(S[1], 0.5, 10 * mps);
	{
		struct geo_snap src[2] = {Q, R};
		struct geo_snap dst[7] = {P, Y, Z, none, Pl, X, A};

		CHECK(geo_net_nearest(net, GEO_NET_TIME, 2, src, 7, dst, INF,
				      which, out, &err) == 0);
		CHECK(which[0] == 0);
		CHECK_COST(out[0].cost, 90, 1e-9);
		CHECK_COST(out[0].secs, 90, 1e-9);
		CHECK_COST(out[0].metres, 150, 1e-9);
		CHECK(which[1] == 1); /* Y -> n0 -> R: 30 + 60 */
		CHECK_COST(out[1].cost, 90, 1e-9);
		CHECK_COST(out[1].metres, 200, 1e-9);
		CHECK(which[2] == 0); /* Z -> Q 30 */
		CHECK_COST(out[2].cost, 30, 1e-9);
		CHECK(which[3] == NONE && isnan(out[3].cost) &&
		      isnan(out[3].secs) && isnan(out[3].metres));
		/* The access leg: 10 s and 13.3 m more. */
		CHECK(which[4] == 0);
		CHECK_COST(out[4].cost, 100, 1e-9);
		CHECK_COST(out[4].metres, 150 + 10 * mps, 1e-9);
		/* X at n1, the start of the one-way S1: back along S0
		 * to n0, then half of S2 to R. */
		CHECK(which[5] == 1);
		CHECK_COST(out[5].cost, 120, 1e-9);
		/* A -> n2 -> n3 = 90 + 30 */
		CHECK(which[6] == 0);
		CHECK_COST(out[6].cost, 120, 1e-9);
	}
	{
		/* A tie at Z: Q and W both 30 s away; the smaller index wins
		 * whichever order they come in. */
		struct geo_snap s1[2] = {Q, W}, s2[2] = {W, Q};

		CHECK(geo_net_nearest(net, GEO_NET_TIME, 2, s1, 1, &Z, INF,
				      which, out, &err) == 0);
		CHECK(which[0] == 0 && out[0].cost == 30);
		CHECK(geo_net_nearest(net, GEO_NET_TIME, 2, s2, 1, &Z, INF,
				      which, out, &err) == 0);
		CHECK(which[0] == 0 && out[0].cost == 30);
		CHECK_COST(out[0].metres, 75, 1e-9);
	}
	{
		/* Two places on one one-way segment: A -> B directly, B -> A
		 * the long way round.  A limit cuts the long way. */
		struct geo_snap sb[1] = {B}, sa[1] = {A}, sn[2] = {none, Q};

		CHECK(geo_net_nearest(net, GEO_NET_TIME, 1, sb, 1, &A, INF,
				      which, out, &err) == 0);
		CHECK(which[0] == 0);
		CHECK_COST(out[0].cost, 60, 1e-9);
		CHECK_COST(out[0].metres, 100, 1e-9);
		CHECK(geo_net_nearest(net, GEO_NET_TIME, 1, sa, 1, &B, INF,
				      which, out, &err) == 0);
		CHECK_COST(out[0].cost, 240, 1e-9);
		CHECK_COST(out[0].metres, 500, 1e-9);
		CHECK(geo_net_nearest(net, GEO_NET_TIME, 1, sa, 1, &B, 239,
				      which, out, &err) == 0);
		CHECK(which[0] == NONE && isinf(out[0].cost));
		/* By length: B -> A is 500 m either way round. */
		CHECK(geo_net_nearest(net, GEO_NET_LENGTH, 1, sa, 1, &B, INF,
				      which, out, &err) == 0);
		CHECK_COST(out[0].cost, 500, 1e-9);
		CHECK_COST(out[0].secs, 240, 1e-9);
		/* An unplaced source is skipped. */
		CHECK(geo_net_nearest(net, GEO_NET_TIME, 2, sn, 1, &P, INF,
				      which, out, &err) == 0);
		CHECK(which[0] == 1 && out[0].cost == 90);
	}
	{
		struct geo_snap tg[5] = {Q, R, A, B, Y};
		struct geo_net_targets *t = geo_net_targets_new(net, 5, tg);
		struct geo_net_search *s = geo_net_search_new(net);
		struct hits h;

		memset(&h, 0, sizeof h);
		CHECK(geo_net_reach(s, t, GEO_NET_TIME, GEO_NET_FROM, &P, INF,
				    collect, &h) == 5);
		CHECK_COST(hit_cost(&h, 0), 90, 1e-9);
		CHECK_COST(hit_cost(&h, 1), 120, 1e-9);
		CHECK_COST(hit_cost(&h, 2), 270, 1e-9);
		CHECK_COST(hit_cost(&h, 3), 30, 1e-9);
		CHECK_COST(hit_cost(&h, 4), 210, 1e-9);
		memset(&h, 0, sizeof h);
		CHECK(geo_net_reach(s, t, GEO_NET_TIME, GEO_NET_TO, &P, INF,
				    collect, &h) == 5);
		CHECK_COST(hit_cost(&h, 0), 270, 1e-9);
		CHECK_COST(hit_cost(&h, 1), 180, 1e-9);
		CHECK_COST(hit_cost(&h, 2), 30, 1e-9);
		CHECK_COST(hit_cost(&h, 3), 270, 1e-9);
		CHECK_COST(hit_cost(&h, 4), 90, 1e-9);
		memset(&h, 0, sizeof h);
		CHECK(geo_net_reach(s, t, GEO_NET_TIME, GEO_NET_FROM, &P, 100,
				    collect, &h) == 2);
		CHECK_COST(hit_cost(&h, 0), 90, 1e-9);
		CHECK_COST(hit_cost(&h, 3), 30, 1e-9);
		memset(&h, 0, sizeof h);
		CHECK(geo_net_reach(s, t, GEO_NET_LENGTH, GEO_NET_FROM, &P, INF,
				    collect, &h) == 5);
		CHECK_COST(hit_cost(&h, 0), 150, 1e-9);
		CHECK_COST(hit_cost(&h, 3), 50, 1e-9);
		{
			size_t hk;

			for (hk = 0; hk < h.n; hk++)
				if (h.id[hk] == 0)
					CHECK_COST(h.c[hk].secs, 90, 1e-9);
		}
		memset(&h, 0, sizeof h);
		CHECK(geo_net_reach(s, t, GEO_NET_TIME, GEO_NET_FROM, &none,
				    INF, collect, &h) == 0);
		geo_net_search_free(s);
		geo_net_targets_free(t);
	}
	CHECK(geo_net_node_costs(net, GEO_NET_TIME, GEO_NET_FROM, 1, &P, INF,
				 ncost, &err) == 0);
	for (k = 0; k < 4; k++)
		nc[k] = ncost[n[k]];
	CHECK_COST(nc[2], 60, 1e-9);
	CHECK_COST(nc[3], 90, 1e-9);
	CHECK_COST(nc[0], 180, 1e-9);
	CHECK_COST(nc[1], 240, 1e-9);
	CHECK(geo_net_node_costs(net, GEO_NET_TIME, GEO_NET_TO, 1, &P, INF,
				 ncost, &err) == 0);
	for (k = 0; k < 4; k++)
		nc[k] = ncost[n[k]];
	CHECK_COST(nc[1], 60, 1e-9);
	CHECK_COST(nc[0], 120, 1e-9);
	CHECK_COST(nc[2], 240, 1e-9);
	CHECK_COST(nc[3], 270, 1e-9);
	CHECK(geo_net_node_costs(net, GEO_NET_TIME, GEO_NET_TO, 1, &P, 200,
				 ncost, &err) == 0);
	for (k = 0; k < 4; k++)
		nc[k] = ncost[n[k]];
	CHECK(nc[1] == 60 && nc[0] == 120 && isinf(nc[2]) && isinf(nc[3]));
	geo_net_free(net);
}

/* ---- the reference: the graph with the places spliced in -------------- */

#define RMAX 200

struct ref {
	size_t n;		 /* graph nodes + places */
	double w[2][RMAX][RMAX]; /* [weight][from][to], +inf: no edge */
	double d[2][RMAX][RMAX]; /* all-pairs least costs */
};

/* Splice places into their segments: place k becomes node nn + k. */
static void ref_build(struct ref *r, const struct geo_net *net,
		      const struct geo_snap *pl, size_t np)
{
	size_t nn = geo_net_nnodes(net), ns = geo_net_nsegs(net), s, i, j, k;
	int wt;

	r->n = nn + np;
	if (r->n > RMAX) {
		test_fail(__FILE__, __LINE__, "reference too small");
		r->n = 0;
		return;
	}
	for (wt = 0; wt < 2; wt++)
		for (i = 0; i < r->n; i++)
			for (j = 0; j < r->n; j++)
				r->w[wt][i][j] = i == j ? 0 : INF;
	for (s = 0; s < ns; s++) {
		uint32_t a, b;
		double len, ab, ba, t[RMAX];
		size_t v[RMAX], m = 0;

		geo_net_seg(net, s, &a, &b, &len, &ab, &ba);
		v[m] = a;
		t[m++] = 0;
		for (k = 0; k < np; k++)
			if (pl[k].seg == (int32_t)s) {
				v[m] = nn + k;
				t[m++] = pl[k].t;
			}
		v[m] = b;
		t[m++] = 1;
		/* sort by t (insertion; the ends stay at the ends) */
		for (i = 1; i + 1 < m; i++)
			for (j = i; j > 1 && t[j - 1] > t[j]; j--) {
				double tt = t[j];
				size_t vv = v[j];

				t[j] = t[j - 1];
				v[j] = v[j - 1];
				t[j - 1] = tt;
				v[j - 1] = vv;
			}
		for (i = 0; i + 1 < m; i++) {
			double f = t[i + 1] - t[i];
			size_t p = v[i], q = v[i + 1];
			double c[2][2]; /* [weight][way] */

			c[0][0] = f == 0 ? 0 : isinf(ab) ? INF : f * ab;
			c[0][1] = f == 0 ? 0 : isinf(ba) ? INF : f * ba;
			c[1][0] = f == 0 ? 0 : isinf(ab) ? INF : f * len;
			c[1][1] = f == 0 ? 0 : isinf(ba) ? INF : f * len;
			for (wt = 0; wt < 2; wt++) {
				if (c[wt][0] < r->w[wt][p][q])
					r->w[wt][p][q] = c[wt][0];
				if (c[wt][1] < r->w[wt][q][p])
					r->w[wt][q][p] = c[wt][1];
			}
		}
	}
	/* Floyd-Warshall */
	for (wt = 0; wt < 2; wt++) {
		for (i = 0; i < r->n; i++)
			for (j = 0; j < r->n; j++)
				r->d[wt][i][j] = r->w[wt][i][j];
		for (k = 0; k < r->n; k++)
			for (i = 0; i < r->n; i++) {
				double dik = r->d[wt][i][k];

				if (isinf(dik))
					continue;
				for (j = 0; j < r->n; j++)
					if (dik + r->d[wt][k][j] <
					    r->d[wt][i][j])
						r->d[wt][i][j] =
						    dik + r->d[wt][k][j];
			}
	}
}

static double legc(enum geo_net_weight w, double off)
{
	return w == GEO_NET_TIME ? off / GEO_NET_WALK_MPS : off;
}

/* Door to door, place p to place q (indices into the places). */
static double ref_cost(const struct ref *r, size_t nn,
		       const struct geo_snap *pl, enum geo_net_weight w,
		       size_t p, size_t q)
{
	return legc(w, pl[p].off_m) + r->d[w][nn + p][nn + q] +
	       legc(w, pl[q].off_m);
}

/* A random graph: up to 24 nodes, integer costs, one-way and forbidden
 * directions, repeated and zero-length segments, several pieces. */
static void random_graph(struct gb *g, uint64_t *rng)
{
	size_t nn = 3 + (size_t)(test_rand(rng) * 22), ns, i;

	memset(g, 0, sizeof *g);
	for (i = 0; i < nn; i++)
		gb_node(g, -122 + 0.001 * (int)(test_rand(rng) * 10),
			37 + 0.001 * (int)(test_rand(rng) * 10));
	ns = nn + (size_t)(test_rand(rng) * 2.5 * (double)nn);
	for (i = 0; i < ns; i++) {
		uint32_t a = (uint32_t)(test_rand(rng) * (double)nn);
		uint32_t b = (uint32_t)(test_rand(rng) * (double)nn);
		double len = 1 + (int)(test_rand(rng) * 4);
		double ab = 1 + (int)(test_rand(rng) * 4), ba = ab;
		double u = test_rand(rng);

		if (u < 0.25)
			ba = INF;
		else if (u < 0.4)
			ab = INF;
		else if (u < 0.45)
			ab = ba = INF;
		else if (u < 0.6)
			ba = 1 + (int)(test_rand(rng) * 4);
		u = test_rand(rng);
		if (u < 0.05) {
			b = a;	       /* a self-loop: dropped */
		} else if (u < 0.12) { /* zero cost, kept */
			len = 0;
			ab = isinf(ab) ? ab : 0;
			ba = isinf(ba) ? ba : 0;
		}
		gb_seg(g, a, b, len, ab, ba);
	}
}

/* Random places on the segments, at quarters (so ends and shared points
 * are common), with integer access legs in metres. */
static void random_places(const struct geo_net *net, struct geo_snap *pl,
			  size_t np, uint64_t *rng, int with_legs)
{
	size_t i, ns = geo_net_nsegs(net);

	for (i = 0; i < np; i++) {
		if (test_rand(rng) < 0.05) {
			pl[i] = at(-1, NAN, NAN);
			continue;
		}
		pl[i] = at((int32_t)(test_rand(rng) * (double)ns),
			   (int)(test_rand(rng) * 5) / 4.0,
			   with_legs ? (int)(test_rand(rng) * 3) : 0);
	}
}

static void test_random_vs_reference(void)
{
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	int seed, fails = 0;
	struct core_err err = CORE_ERR_INIT;

	for (seed = 0; seed < 400 && fails < 10; seed++) {
		struct gb g;
		struct geo_net *net;
		static struct ref r;
		struct geo_snap pl[40];
		size_t np = 4 + (size_t)(test_rand(&rng) * 30), ns_src, nn, i,
		       j;
		size_t which[40];
		struct geo_net_cost out[40];
		double *ncost;
		enum geo_net_weight w =
		    seed % 2 ? GEO_NET_TIME : GEO_NET_LENGTH;
		double limit =
		    seed % 3 == 0 ? INF : 2 + (int)(test_rand(&rng) * 8);
		int before = 0;

		random_graph(&g, &rng);
		{
			struct geo_net_stats st;
			unsigned char *blob = NULL;
			size_t len = 0;

			if (gb_build(&g, GEO_MODE_WALK, &st, &blob, &len,
				     &err)) {
				CHECK(err.code == CORE_EUSAGE);
				continue;
			}
			free(blob);
		}
		net = gb_net(&g, GEO_MODE_WALK, NULL);
		if (!net)
			break;
		nn = geo_net_nnodes(net);
		/* LENGTH: integer legs, exact sums, exact ties.  TIME with
		 * legs would round; keep its legs 0 so ties stay exact. */
		random_places(net, pl, np, &rng, w == GEO_NET_LENGTH);
		ref_build(&r, net, pl, np);
		ns_src = 1 + (size_t)(test_rand(&rng) * (double)(np / 2));
		/* sources: places 0 .. ns_src-1; the others are the dests */
		CHECK(geo_net_nearest(net, w, ns_src, pl, np - ns_src,
				      pl + ns_src, limit, which, out,
				      &err) == 0);
		for (i = 0; i < np - ns_src; i++) {
			size_t p = ns_src + i, bj = NONE;
			double best = INF;

			if (pl[p].seg < 0) {
				if (!(which[i] == NONE && isnan(out[i].cost)))
					fails++;
				continue;
			}
			for (j = 0; j < ns_src; j++) {
				double c;

				if (pl[j].seg < 0)
					continue;
				c = ref_cost(&r, nn, pl, w, p, j);
				if (c < best) {
					best = c;
					bj = j;
				}
			}
			if (!(best <= limit)) {
				best = INF;
				bj = NONE;
			}
			if (which[i] != bj ||
			    !(out[i].cost == best ||
			      fabs(out[i].cost - best) < 1e-9)) {
				test_fail(__FILE__, __LINE__,
					  "seed %d place %zu: nearest %zu "
					  "%.10g, want %zu %.10g",
					  seed, p, which[i], out[i].cost, bj,
					  best);
				fails++;
			}
			/* the other measure of the path chosen is no less
			 * than its own least */
			if (bj != NONE) {
				double other = w == GEO_NET_TIME ? out[i].metres
								 : out[i].secs;
				double least = ref_cost(&r, nn, pl, !w, p, bj);

				if (!(other >= least - 1e-9))
					fails++;
				CHECK(other >= least - 1e-9);
			}
		}
		/* reach, FROM and TO, from every place */
		{
			struct geo_net_targets *tg =
			    geo_net_targets_new(net, np, pl);
			struct geo_net_search *s = geo_net_search_new(net);
			int dir;

			for (dir = 0; dir < 2; dir++)
				for (i = 0; i < np; i++) {
					struct hits h;
					size_t got, want = 0, k;

					memset(&h, 0, sizeof h);
					got = geo_net_reach(
					    s, tg, w, (enum geo_net_dir)dir,
					    &pl[i], limit, collect, &h);
					for (k = 0; k < np; k++) {
						double c;

						if (pl[i].seg < 0 ||
						    pl[k].seg < 0)
							c = INF;
						else
							c = dir == 0
								? ref_cost(
								      &r, nn,
								      pl, w, i,
								      k)
								: ref_cost(
								      &r, nn,
								      pl, w, k,
								      i);
						if (isfinite(c) && c <= limit) {
							want++;
							if (!(fabs(hit_cost(&h,
									    k) -
								   c) < 1e-9)) {
								test_fail(
								    __FILE__,
								    __LINE__,
								    "seed %d "
								    "reach dir "
								    "%d "
								    "%zu -> "
								    "%zu: "
								    "%.10g, "
								    "want "
								    "%.10g",
								    seed, dir,
								    i, k,
								    hit_cost(&h,
									     k),
								    c);
								fails++;
							}
						}
					}
					if (got != want || h.n != want) {
						test_fail(
						    __FILE__, __LINE__,
						    "seed %d reach dir %d "
						    "from %zu: %zu hits, "
						    "want %zu",
						    seed, dir, i, got, want);
						fails++;
					}
				}
			geo_net_search_free(s);
			geo_net_targets_free(tg);
		}
		/* node costs from the first few places, both ways */
		ncost = xmalloc(nn * sizeof *ncost);
		for (i = 0; i < 2; i++) {
			size_t v, k, nsrc = ns_src;

			CHECK(geo_net_node_costs(net, w, (enum geo_net_dir)i,
						 nsrc, pl, limit, ncost,
						 &err) == 0);
			for (v = 0; v < nn; v++) {
				double best = INF;

				for (k = 0; k < nsrc; k++) {
					double c;

					if (pl[k].seg < 0)
						continue;
					c = i == 0 ? legc(w, pl[k].off_m) +
							 r.d[w][nn + k][v]
						   : r.d[w][v][nn + k] +
							 legc(w, pl[k].off_m);
					if (c < best)
						best = c;
				}
				if (!(best <= limit))
					best = INF;
				if (!(ncost[v] == best ||
				      fabs(ncost[v] - best) < 1e-9)) {
					test_fail(__FILE__, __LINE__,
						  "seed %d node %zu dir %zu: "
						  "%.10g, want %.10g",
						  seed, v, i, ncost[v], best);
					fails++;
				}
			}
		}
		free(ncost);
		(void)before;
		geo_net_free(net);
	}
	CHECK(fails == 0);
}

/* ---- snapping ---------------------------------------------------------- */

static double bf_dist(const struct geo_net *net, size_t s, double px, double py,
		      double *t)
{
	uint32_t a, b;
	double len, ab, ba, ax, ay, bx, by, dx, dy, l2, u = 0;

	geo_net_seg(net, s, &a, &b, &len, &ab, &ba);
	geo_net_node_xy(net, a, &ax, &ay);
	geo_net_node_xy(net, b, &bx, &by);
	dx = bx - ax;
	dy = by - ay;
	l2 = dx * dx + dy * dy;
	if (l2 > 0) {
		u = ((px - ax) * dx + (py - ay) * dy) / l2;
		u = u < 0 ? 0 : u > 1 ? 1 : u;
	}
	*t = u;
	dx = px - (ax + u * dx);
	dy = py - (ay + u * dy);
	return sqrt(dx * dx + dy * dy);
}

/* A grid of streets with diagonals and missing blocks, unprojected. */
static struct geo_net *grid_net(int side, double step, uint64_t *rng)
{
	size_t n = (size_t)side * (size_t)side, i, ns = 0, cap = 4 * n;
	double *lon = xmalloc(n * sizeof *lon), *lat = xmalloc(n * sizeof *lat);
	double *len = xmalloc(cap * sizeof *len),
	       *ab = xmalloc(cap * sizeof *ab);
	double *ba = xmalloc(cap * sizeof *ba);
	uint32_t *a = xmalloc(cap * sizeof *a), *b = xmalloc(cap * sizeof *b);
	struct geo_net_build_in in;
	struct geo_net_stats st;
	struct core_err err = CORE_ERR_INIT;
	unsigned char *blob = NULL;
	size_t blen = 0;
	struct geo_net *net = NULL;
	int x, y;

	for (y = 0; y < side; y++)
		for (x = 0; x < side; x++) {
			i = (size_t)y * (size_t)side + (size_t)x;
			lon[i] =
			    step * x + (rng ? step * 0.3 * test_rand(rng) : 0);
			lat[i] =
			    step * y + (rng ? step * 0.3 * test_rand(rng) : 0);
		}
	for (y = 0; y < side; y++)
		for (x = 0; x < side; x++) {
			uint32_t v = (uint32_t)(y * side + x);
			int k;

			for (k = 0; k < 3; k++) {
				int nx = x + (k == 0 || k == 2),
				    ny = y + (k >= 1);
				uint32_t u;

				if (nx >= side || ny >= side)
					continue;
				if (k == 2 && (!rng || test_rand(rng) < 0.8))
					continue;
				if (rng && test_rand(rng) < 0.1)
					continue;
				u = (uint32_t)(ny * side + nx);
				a[ns] = v;
				b[ns] = u;
				len[ns] =
				    1000 *
				    hypot(lon[u] - lon[v], lat[u] - lat[v]) /
				    step;
				ab[ns] = len[ns];
				ba[ns] =
				    rng && test_rand(rng) < 0.1 ? INF : len[ns];
				ns++;
			}
		}
	memset(&in, 0, sizeof in);
	in.mode = GEO_MODE_WALK;
	in.nnodes = n;
	in.lon = lon;
	in.lat = lat;
	in.nsegs = ns;
	in.a = a;
	in.b = b;
	in.len_m = len;
	in.secs_ab = ab;
	in.secs_ba = ba;
	if (geo_net_build(&in, &st, &blob, &blen, &err) ||
	    geo_net_decode(blob, blen, NULL, &net, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	free(blob);
	free(lon);
	free(lat);
	free(len);
	free(ab);
	free(ba);
	free(a);
	free(b);
	return net;
}

static void test_snap_brute_force(void)
{
	uint64_t rng = 12345;
	int round;

	for (round = 0; round < 6; round++) {
		struct geo_net *net = grid_net(5 + round * 6, 0.001, &rng);
		size_t n = 3000, i, ns, miss, want_miss = 0;
		double *x = xmalloc(n * sizeof *x), *y = xmalloc(n * sizeof *y);
		struct geo_snap *out = xmalloc(n * sizeof *out);
		double max_m = round == 5 ? INF : 0.0004 + 0.0003 * round;
		double ext = 0.001 * (5 + round * 6);

		if (!net)
			return;
		ns = geo_net_nsegs(net);
		for (i = 0; i < n; i++) {
			uint32_t a, b;
			double l, ab, ba;

			if (i % 5 == 0) { /* exactly at a node */
				geo_net_seg(net, i % ns, &a, &b, &l, &ab, &ba);
				geo_net_node_xy(net, a, &x[i], &y[i]);
			} else if (i % 97 == 0) {
				x[i] = NAN;
				y[i] = 0;
			} else {
				x[i] = -0.3 * ext + 1.6 * ext * test_rand(&rng);
				y[i] = -0.3 * ext + 1.6 * ext * test_rand(&rng);
			}
		}
		miss = geo_net_snap(net, x, y, n, max_m, out);
		for (i = 0; i < n; i++) {
			size_t s, bs = NONE;
			double bd = INF, bt = 0, t;

			for (s = 0; s < ns && !isnan(x[i]); s++) {
				double d = bf_dist(net, s, x[i], y[i], &t);

				if (d < bd) {
					bd = d;
					bt = t;
					bs = s;
				}
			}
			if (!(bd <= max_m))
				bs = NONE;
			if (bs == NONE) {
				want_miss++;
				if (out[i].seg != -1)
					test_fail(__FILE__, __LINE__,
						  "round %d point %zu: placed "
						  "on %d",
						  round, i, out[i].seg);
				continue;
			}
			if ((size_t)out[i].seg != bs || out[i].t != bt ||
			    out[i].off_m != bd)
				test_fail(__FILE__, __LINE__,
					  "round %d point %zu: seg %d t %g "
					  "off %g, want %zu %g %g",
					  round, i, out[i].seg, out[i].t,
					  out[i].off_m, bs, bt, bd);
		}
		CHECK(miss == want_miss);
		free(x);
		free(y);
		free(out);
		geo_net_free(net);
	}
}

/* ---- real projection: never shorter than a straight line -------------- */

static void test_not_shorter_than_straight(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_proj *proj = NULL;
	size_t side = 30, n = side * side, i, ns = 0, np = 2000;
	double *lon = xmalloc(n * sizeof *lon), *lat = xmalloc(n * sizeof *lat);
	double *px = xmalloc(n * sizeof *px), *py = xmalloc(n * sizeof *py);
	double len[4000], ab[4000], ba[4000];
	uint32_t a[4000], b[4000];
	uint64_t rng = 777;
	struct geo_net_build_in in;
	struct geo_net_stats st;
	unsigned char *blob = NULL;
	size_t blen = 0;
	struct geo_net *net = NULL;
	double *qx = xmalloc(np * sizeof *qx), *qy = xmalloc(np * sizeof *qy);
	struct geo_snap *sn = xmalloc(np * sizeof *sn);
	struct geo_net_cost *out = xmalloc(np * sizeof *out);
	size_t *which = xmalloc(np * sizeof *which);
	int wt;

	if (geo_proj_new_laea(-122.2, 37.8, &proj, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		lon[i] = px[i] = -122.25 + 0.0012 * (double)(i % side) +
				 0.0004 * test_rand(&rng);
		lat[i] = py[i] = 37.75 + 0.001 * (double)(i / side) +
				 0.0004 * test_rand(&rng);
	}
	/* the network's lengths: the projected distance, rounded
	 * through the blob's 1e-7 degrees, plus a hair */
	for (i = 0; i < n; i++) {
		px[i] = lon[i] = round(lon[i] * 1e7) / 1e7;
		py[i] = lat[i] = round(lat[i] * 1e7) / 1e7;
	}
	CHECK(geo_proj_fwd(proj, px, py, n, &err) == 0);
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < 2; k++) {
			size_t j = k == 0 ? i + 1 : i + side;

			if ((k == 0 && (i + 1) % side == 0) || j >= n)
				continue;
			a[ns] = (uint32_t)i;
			b[ns] = (uint32_t)j;
			len[ns] =
			    hypot(px[j] - px[i], py[j] - py[i]) * 1.000001;
			ab[ns] = len[ns] / GEO_NET_WALK_MPS;
			ba[ns] = test_rand(&rng) < 0.2 ? INF : ab[ns];
			ns++;
		}
	}
	memset(&in, 0, sizeof in);
	in.mode = GEO_MODE_WALK;
	in.nnodes = n;
	in.lon = lon;
	in.lat = lat;
	in.nsegs = ns;
	in.a = a;
	in.b = b;
	in.len_m = len;
	in.secs_ab = ab;
	in.secs_ba = ba;
	if (geo_net_build(&in, &st, &blob, &blen, &err) ||
	    geo_net_decode(blob, blen, proj, &net, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	for (i = 0; i < np; i++) {
		qx[i] = -122.252 + 0.037 * test_rand(&rng);
		qy[i] = 37.748 + 0.032 * test_rand(&rng);
	}
	CHECK(geo_proj_fwd(proj, qx, qy, np, &err) == 0);
	CHECK(geo_net_snap(net, qx, qy, np, GEO_NET_SNAP_MAX_M, sn) == 0);
	for (wt = 0; wt < 2; wt++) {
		/* nearest of the first 50 for the rest */
		CHECK(geo_net_nearest(net, (enum geo_net_weight)wt, 50, sn,
				      np - 50, sn + 50, INF, which, out,
				      &err) == 0);
		for (i = 0; i < np - 50; i++) {
			size_t j = which[i];
			double d;

			if (j == NONE) {
				test_fail(__FILE__, __LINE__, "none reached");
				break;
			}
			d = hypot(qx[50 + i] - qx[j], qy[50 + i] - qy[j]);
			if (!(out[i].metres >= d - 1e-6) ||
			    !(out[i].secs >= d / GEO_NET_WALK_MPS - 1e-6)) {
				test_fail(__FILE__, __LINE__,
					  "place %zu: %.6f m %.6f s, straight "
					  "%.6f m",
					  i, out[i].metres, out[i].secs, d);
				break;
			}
		}
	}
cleanup:
	geo_net_free(net);
	geo_proj_free(proj);
	free(blob);
	free(lon);
	free(lat);
	free(px);
	free(py);
	free(qx);
	free(qy);
	free(sn);
	free(out);
	free(which);
}

/* ---- the workspace round trip ----------------------------------------- */

static void test_workspace_round_trip(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct gb g;
	struct geo_net_stats st;
	unsigned char *blob = NULL;
	size_t len = 0, i;
	struct geo_net *net = NULL, *ref = NULL;
	struct geo_proj *proj = NULL;
	int64_t v;

	hand_graph(&g);
	if (gb_build(&g, GEO_MODE_WALK, &st, &blob, &len, &err) ||
	    core_ws_create(test_path("net.db"), "EPSG:3310", NULL, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	CHECK(geo_net_load(ws, GEO_MODE_WALK, NULL, &net, &err) ==
	      CORE_ENOTFOUND);
	CHECK(strcmp(err.msg, "no road network in the workspace: run "
			      "'assetmap import roads FILE.osm.pbf'") == 0);
	CHECK(net == NULL);
	CHECK(core_ws_begin(ws, &err) == 0);
	CHECK(core_ws_exec(ws, &err,
			   "INSERT INTO sources(id, kind, path, name, format, "
			   "checksum, imported_at) VALUES (7, 'roads', "
			   "'/x/a.osm.pbf', 'a.osm.pbf', 'PBF', 'c', "
			   "'2026-01-01')") == 0);
	CHECK(geo_net_save(ws, GEO_MODE_WALK, 7, &st, blob, len, &err) == 0);
	/* saved twice: replaced, one row */
	CHECK(geo_net_save(ws, GEO_MODE_WALK, 7, &st, blob, len, &err) == 0);
	CHECK(core_ws_commit(ws, &err) == 0);
	CHECK(core_ws_int(ws, &err, "SELECT count(*) FROM road_graphs", &v) ==
		  0 &&
	      v == 1);
	CHECK(core_ws_int(ws, &err,
			  "SELECT nodes * 1000 + segments * 100 + pieces * 10 "
			  "+ dropped_nodes FROM road_graphs WHERE mode='walk'",
			  &v) == 0 &&
	      v == 4000 + 400 + 30 + 3);
	CHECK(core_ws_int(ws, &err,
			  "SELECT round(km * 1000) + round(dropped_km * 1000) "
			  "* 10000 FROM road_graphs",
			  &v) == 0 &&
	      v == 650 + 50 * 10000);
	CHECK(geo_net_load(ws, GEO_MODE_DRIVE, NULL, &net, &err) ==
	      CORE_ENOTFOUND);
	if (geo_proj_new("EPSG:3310", &proj, &err) ||
	    geo_net_load(ws, GEO_MODE_WALK, proj, &net, &err) ||
	    geo_net_decode(blob, len, NULL, &ref, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	CHECK(geo_net_nnodes(net) == 4 && geo_net_nsegs(net) == 4);
	for (i = 0; i < 4; i++) {
		uint32_t a1, b1, a2, b2;
		double l1, ab1, ba1, l2, ab2, ba2, x, y, lx, ly;

		geo_net_seg(net, i, &a1, &b1, &l1, &ab1, &ba1);
		geo_net_seg(ref, i, &a2, &b2, &l2, &ab2, &ba2);
		CHECK(a1 == a2 && b1 == b2 && l1 == l2);
		CHECK((ab1 == ab2 || (isinf(ab1) && isinf(ab2))) &&
		      (ba1 == ba2 || (isinf(ba1) && isinf(ba2))));
		/* projected: metres in California Albers */
		geo_net_node_xy(net, i, &x, &y);
		geo_net_node_xy(ref, i, &lx, &ly);
		CHECK(geo_proj_fwd(proj, &lx, &ly, 1, &err) == 0);
		CHECK_COST(x, lx, 1e-6);
		CHECK_COST(y, ly, 1e-6);
		CHECK(fabs(x) > 1000 && fabs(y) > 1000);
	}
cleanup:
	geo_net_free(net);
	geo_net_free(ref);
	geo_proj_free(proj);
	core_ws_close(ws);
	free(blob);
}

/* ---- threads: the same answers on one core and many ------------------- */

static void test_parallel_equals_single(void)
{
	uint64_t rng = 4242;
	struct geo_net *net = grid_net(60, 0.001, &rng);
	size_t n = 20000, i, nsrc = 40;
	double *x = xmalloc(n * sizeof *x), *y = xmalloc(n * sizeof *y);
	struct geo_snap *s1 = xmalloc(n * sizeof *s1),
			*s4 = xmalloc(n * sizeof *s4);
	struct geo_net_cost *c1 = xmalloc(n * sizeof *c1),
			    *c4 = xmalloc(n * sizeof *c4);
	size_t *w1 = xmalloc(n * sizeof *w1), *w4 = xmalloc(n * sizeof *w4);
	struct core_err err = CORE_ERR_INIT;
	size_t m1, m4;

	if (!net)
		goto cleanup;
	for (i = 0; i < n; i++) {
		x[i] = -0.005 + 0.07 * test_rand(&rng);
		y[i] = -0.005 + 0.07 * test_rand(&rng);
	}
	setenv("ASSETMAP_THREADS", "1", 1);
	m1 = geo_net_snap(net, x, y, n, 0.002, s1);
	CHECK(geo_net_nearest(net, GEO_NET_TIME, nsrc, s1, n, s1, 30000, w1, c1,
			      &err) == 0);
	setenv("ASSETMAP_THREADS", "4", 1);
	m4 = geo_net_snap(net, x, y, n, 0.002, s4);
	CHECK(geo_net_nearest(net, GEO_NET_TIME, nsrc, s4, n, s4, 30000, w4, c4,
			      &err) == 0);
	unsetenv("ASSETMAP_THREADS");
	CHECK(m1 == m4 && m1 > 0 && m1 < n);
	CHECK(memcmp(s1, s4, n * sizeof *s1) == 0);
	for (i = 0; i < n; i++)
		if (w1[i] != w4[i] ||
		    memcmp(&c1[i], &c4[i], sizeof c1[i]) != 0) {
			test_fail(__FILE__, __LINE__, "place %zu differs", i);
			break;
		}
cleanup:
	geo_net_free(net);
	free(x);
	free(y);
	free(s1);
	free(s4);
	free(c1);
	free(c4);
	free(w1);
	free(w4);
}

/* ---- the real extracts, through 'import roads' ------------------------ */

/* A plain reference search over geo_net_seg: a binary heap, no tricks. */
struct rnet {
	size_t nn, ns;
	uint32_t *a, *b;
	double *len, *ab, *ba;
	size_t *off[2];	  /* [dir][nn + 1]: 0 forward arcs, 1 reverse */
	uint32_t *arc[2]; /* segment << 1 | way */
};

static void rnet_init(struct rnet *r, const struct geo_net *net)
{
	size_t i, d;

	r->nn = geo_net_nnodes(net);
	r->ns = geo_net_nsegs(net);
	r->a = xmalloc(r->ns * sizeof *r->a);
	r->b = xmalloc(r->ns * sizeof *r->b);
	r->len = xmalloc(r->ns * sizeof *r->len);
	r->ab = xmalloc(r->ns * sizeof *r->ab);
	r->ba = xmalloc(r->ns * sizeof *r->ba);
	for (i = 0; i < r->ns; i++)
		geo_net_seg(net, i, &r->a[i], &r->b[i], &r->len[i], &r->ab[i],
			    &r->ba[i]);
	for (d = 0; d < 2; d++) {
		size_t *pos;

		r->off[d] = xcalloc(r->nn + 1, sizeof *r->off[d]);
		r->arc[d] = xmalloc(2 * r->ns * sizeof *r->arc[d]);
		for (i = 0; i < r->ns; i++) {
			if (!isinf(r->ab[i]))
				r->off[d][(d ? r->b[i] : r->a[i]) + 1]++;
			if (!isinf(r->ba[i]))
				r->off[d][(d ? r->a[i] : r->b[i]) + 1]++;
		}
		for (i = 0; i < r->nn; i++)
			r->off[d][i + 1] += r->off[d][i];
		pos = xmalloc((r->nn + 1) * sizeof *pos);
		memcpy(pos, r->off[d], (r->nn + 1) * sizeof *pos);
		for (i = 0; i < r->ns; i++) {
			if (!isinf(r->ab[i]))
				r->arc[d][pos[d ? r->b[i] : r->a[i]]++] =
				    (uint32_t)(i << 1);
			if (!isinf(r->ba[i]))
				r->arc[d][pos[d ? r->a[i] : r->b[i]]++] =
				    (uint32_t)(i << 1 | 1);
		}
		free(pos);
	}
}

static void rnet_free(struct rnet *r)
{
	free(r->a);
	free(r->b);
	free(r->len);
	free(r->ab);
	free(r->ba);
	free(r->off[0]);
	free(r->off[1]);
	free(r->arc[0]);
	free(r->arc[1]);
}

/* Moving along segment s from t0 to t1, by weight w: +inf when not
 * allowed (t0 == t1 always is). */
static double r_along(const struct rnet *r, enum geo_net_weight w, size_t s,
		      double t0, double t1)
{
	double c;

	if (t1 == t0)
		return 0;
	c = t1 > t0 ? r->ab[s] : r->ba[s];
	if (isinf(c))
		return INF;
	return fabs(t1 - t0) * (w == GEO_NET_TIME ? c : r->len[s]);
}

struct rh {
	double c;
	uint32_t v;
};

/* Dijkstra from one place: dist[v] the cost place -> v (dir 0) or
 * v -> place (dir 1), legs not included. */
static void r_search(const struct rnet *r, enum geo_net_weight w, int dir,
		     const struct geo_snap *p, double *dist)
{
	struct rh *h = xmalloc((4 * r->ns + 4) * sizeof *h);
	size_t nh = 0, i;
	unsigned char *done = xcalloc(r->nn, 1);
	uint32_t ends[2];
	double c[2];

	for (i = 0; i < r->nn; i++)
		dist[i] = INF;
	ends[0] = r->a[p->seg];
	ends[1] = r->b[p->seg];
	c[0] = dir ? r_along(r, w, (size_t)p->seg, 0, p->t)
		   : r_along(r, w, (size_t)p->seg, p->t, 0);
	c[1] = dir ? r_along(r, w, (size_t)p->seg, 1, p->t)
		   : r_along(r, w, (size_t)p->seg, p->t, 1);
	for (i = 0; i < 2; i++)
		if (c[i] < dist[ends[i]]) {
			dist[ends[i]] = c[i];
			h[nh].c = c[i];
			h[nh].v = ends[i];
			nh++;
		}
	while (nh) {
		/* pop the least (a plain binary heap would do; a linear
		 * scan of a small frontier is simpler still) */
		size_t m = 0, k;
		struct rh e;

		for (k = 1; k < nh; k++)
			if (h[k].c < h[m].c)
				m = k;
		e = h[m];
		h[m] = h[--nh];
		if (done[e.v] || e.c > dist[e.v])
			continue;
		done[e.v] = 1;
		for (k = r->off[dir][e.v]; k < r->off[dir][e.v + 1]; k++) {
			uint32_t sd = r->arc[dir][k], s = sd >> 1, u;
			double wc = w == GEO_NET_TIME
					? ((sd & 1) ? r->ba[s] : r->ab[s])
					: r->len[s];

			/* the far end of the arc, whichever way we go */
			if (dir == 0)
				u = (sd & 1) ? r->a[s] : r->b[s];
			else
				u = (sd & 1) ? r->b[s] : r->a[s];
			if (e.c + wc < dist[u]) {
				dist[u] = e.c + wc;
				h[nh].c = dist[u];
				h[nh].v = u;
				nh++;
			}
		}
	}
	free(h);
	free(done);
}

/* Place p to place q (dir 0) given dist from r_search(p, dir 0), or q to
 * p given dist from r_search(p, dir 1); legs included. */
static double r_cost(const struct rnet *r, enum geo_net_weight w, int dir,
		     const struct geo_snap *p, const struct geo_snap *q,
		     const double *dist, double mps)
{
	size_t s = (size_t)q->seg;
	double best, c;

	if (dir == 0) {
		best = dist[r->a[s]] + r_along(r, w, s, 0, q->t);
		c = dist[r->b[s]] + r_along(r, w, s, 1, q->t);
		if (c < best)
			best = c;
		if (q->seg == p->seg &&
		    (c = r_along(r, w, s, p->t, q->t)) < best)
			best = c;
	} else {
		best = r_along(r, w, s, q->t, 0) + dist[r->a[s]];
		c = r_along(r, w, s, q->t, 1) + dist[r->b[s]];
		if (c < best)
			best = c;
		if (q->seg == p->seg &&
		    (c = r_along(r, w, s, q->t, p->t)) < best)
			best = c;
	}
	if (w == GEO_NET_TIME)
		return p->off_m / mps + best + q->off_m / mps;
	return p->off_m + best + q->off_m;
}

static int close_enough(double a, double b)
{
	if (isinf(a) || isinf(b))
		return a == b;
	return fabs(a - b) <= 1e-9 * fabs(b) + 1e-9;
}

/* One mode of one extract: nearest and reach against the reference. */
/* ---- the contraction hierarchy (geo_ch) against geo_net_reach --------- */

struct chcollect {
	double *c;
	int *seen;
};

static void ch_collect(void *ctx, size_t target, double cost)
{
	struct chcollect *k = ctx;

	k->c[target] = cost;
	k->seen[target]++;
}

/* geo_ch_reach gives geo_net_reach's targets and costs from each origin
 * (costs within rel of each other; a target within rel of the limit may
 * be on either side): the number of pairs compared, or -1 after a
 * failure (reported at line). */
static long ch_agrees(const struct geo_net *net, const struct geo_ch *ch,
		      enum geo_net_weight w, enum geo_net_dir dir, size_t nt,
		      const struct geo_snap *t, size_t no,
		      const struct geo_snap *o, double limit, double rel,
		      int line)
{
	struct geo_net_targets *tg = geo_net_targets_new(net, nt, t);
	struct geo_ch_targets *ct = geo_ch_targets_new(ch, dir, nt, t);
	struct geo_net_search *s = geo_net_search_new(net);
	struct geo_ch_query *q = geo_ch_query_new(ch);
	double *c1 = xcalloc(nt + 1, sizeof *c1),
	       *c2 = xcalloc(nt + 1, sizeof *c2);
	int *s1 = xcalloc(nt + 1, sizeof *s1),
	    *s2 = xcalloc(nt + 1, sizeof *s2);
	long pairs = 0;
	size_t i, k;

	for (i = 0; i < no && pairs >= 0; i++) {
		struct rcollect r1 = {c1, s1};
		struct chcollect r2 = {c2, s2};
		size_t h1, h2;

		memset(s1, 0, (nt + 1) * sizeof *s1);
		memset(s2, 0, (nt + 1) * sizeof *s2);
		h1 = geo_net_reach(s, tg, w, dir, &o[i], limit, collect_all,
				   &r1);
		h2 = geo_ch_reach(q, ct, &o[i], limit, ch_collect, &r2);
		for (k = 0; k < nt; k++) {
			int ok;

			if (s1[k] > 1 || s2[k] > 1)
				ok = 0;
			else if (s1[k] && s2[k])
				ok = fabs(c1[k] - c2[k]) <= rel * fabs(c1[k]);
			else if (s1[k] || s2[k])
				ok = fabs((s1[k] ? c1[k] : c2[k]) - limit) <=
				     rel * limit;
			else
				ok = 1;
			if (!ok) {
				test_fail(__FILE__, line,
					  "w %d dir %d origin %zu target %zu: "
					  "geo_ch %d x %.17g, geo_net %d x "
					  "%.17g",
					  (int)w, (int)dir, i, k, s2[k], c2[k],
					  s1[k], c1[k]);
				pairs = -1;
				break;
			}
			pairs += s1[k];
		}
		if (pairs >= 0 && (h1 != h2) && rel == 0) {
			test_fail(__FILE__, line, "hits %zu, want %zu", h2, h1);
			pairs = -1;
		}
	}
	free(c1);
	free(c2);
	free(s1);
	free(s2);
	geo_ch_query_free(q);
	geo_net_search_free(s);
	geo_ch_targets_free(ct);
	geo_net_targets_free(tg);
	return pairs;
}

/* 400 random graphs (one-way and forbidden directions, zero-cost and
 * repeated segments, ties): every place to every place, both weights,
 * both directions, with and without a limit: the same targets at the
 * same costs, exactly (integer costs add exactly in any order). */
static void test_ch_random(void)
{
	uint64_t rng = 0x2545f4914f6cdd1dULL;
	int seed;
	long pairs = 0;

	for (seed = 0; seed < 400 && pairs >= 0; seed++) {
		struct gb g;
		struct geo_net *net;
		struct geo_snap pl[40];
		size_t np = 4 + (size_t)(test_rand(&rng) * 30);
		int wt, dir;

		random_graph(&g, &rng);
		{
			struct geo_net_stats st;
			struct core_err err = CORE_ERR_INIT;
			unsigned char *blob = NULL;
			size_t len = 0;

			if (gb_build(&g, GEO_MODE_WALK, &st, &blob, &len, &err))
				continue;
			free(blob);
		}
		net = gb_net(&g, GEO_MODE_WALK, NULL);
		if (!net)
			break;
		random_places(net, pl, np, &rng, 1);
		for (wt = 0; wt < 2 && pairs >= 0; wt++) {
			struct geo_ch *ch =
			    geo_ch_build(net, (enum geo_net_weight)wt);

			for (dir = 0; dir < 2 && pairs >= 0; dir++) {
				double limit =
				    seed % 3 == 0
					? INF
					: 2 + (int)(test_rand(&rng) * 8);
				long p = ch_agrees(
				    net, ch, (enum geo_net_weight)wt,
				    (enum geo_net_dir)dir, np, pl, np, pl,
				    wt == GEO_NET_TIME ? limit * 10 : limit, 0,
				    __LINE__);

				pairs = p < 0 ? -1 : pairs + p;
			}
			geo_ch_free(ch);
		}
		geo_net_free(net);
	}
	/* enough pairs were reached to mean something */
	CHECK(pairs > 20000);
}

/* A 70 x 70 jittered grid with diagonals, gaps and one-way segments
 * (float costs): 40 origins to 600 places, both ways, by time. */
static void test_ch_grid(void)
{
	uint64_t rng = 77;
	struct geo_net *net = grid_net(70, 0.001, &rng);
	struct geo_snap pl[600];
	struct geo_ch *ch;
	size_t i, ns = geo_net_nsegs(net);
	long p1, p2;

	for (i = 0; i < 600; i++)
		pl[i] = at((int32_t)(test_rand(&rng) * (double)ns),
			   test_rand(&rng), 30 * test_rand(&rng));
	ch = geo_ch_build(net, GEO_NET_TIME);
	/* the hierarchy is a real one: some nodes needed shortcuts */
	CHECK(geo_ch_shortcuts(ch) > 0);
	p1 = ch_agrees(net, ch, GEO_NET_TIME, GEO_NET_FROM, 600, pl, 40,
		       pl + 560, 20000, 1e-12, __LINE__);
	p2 = ch_agrees(net, ch, GEO_NET_TIME, GEO_NET_TO, 600, pl, 40, pl, INF,
		       1e-12, __LINE__);
	/* the limit bites; without one every place is reached */
	CHECK(p1 > 2000 && p1 < 20000 && p2 == 40 * 600);
	geo_ch_free(ch);
	geo_net_free(net);
}

static void check_real_mode(struct core_ws *ws, struct geo_proj *proj,
			    enum geo_mode mode, double lon0, double lat0,
			    double lon1, double lat1, uint64_t *rng)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_net *net = NULL;
	enum { NP = 300, NSRC = 40, NREACH = 12 };
	double x[NP], y[NP], *dist;
	struct geo_snap sn[NP];
	struct geo_net_cost out[NP];
	size_t which[NP], i, j, unplaced;
	struct rnet r;
	struct geo_net_targets *tg;
	struct geo_net_search *s;
	double mps = geo_net_access_mps(mode);
	size_t reached = 0;
	int wt, dir;

	if (geo_net_load(ws, mode, proj, &net, &err)) {
		test_fail(__FILE__, __LINE__, "%s: %s", geo_mode_name(mode),
			  err.msg);
		return;
	}
	for (i = 0; i < NP; i++) {
		x[i] = lon0 + (lon1 - lon0) * test_rand(rng);
		y[i] = lat0 + (lat1 - lat0) * test_rand(rng);
	}
	CHECK(geo_proj_fwd(proj, x, y, NP, &err) == 0);
	unplaced = geo_net_snap(net, x, y, NP, GEO_NET_SNAP_MAX_M, sn);
	CHECK(unplaced < NP / 2);
	rnet_init(&r, net);
	dist = xmalloc(r.nn * sizeof *dist);
	for (wt = 0; wt < 2; wt++) {
		enum geo_net_weight w = (enum geo_net_weight)wt;

		CHECK(geo_net_nearest(net, w, NSRC, sn, NP - NSRC, sn + NSRC,
				      INF, which, out, &err) == 0);
		for (i = 0; i < NP - NSRC; i++) {
			const struct geo_snap *p = &sn[NSRC + i];
			double best = INF, c;
			size_t bj = NONE;

			if (p->seg < 0) {
				CHECK(which[i] == NONE && isnan(out[i].cost));
				continue;
			}
			r_search(&r, w, 0, p, dist);
			for (j = 0; j < NSRC; j++) {
				if (sn[j].seg < 0)
					continue;
				c = r_cost(&r, w, 0, p, &sn[j], dist, mps);
				if (c < best) {
					best = c;
					bj = j;
				}
			}
			/* the source chosen is the best, or ties with it */
			if (!close_enough(out[i].cost, best) ||
			    (which[i] != bj &&
			     (which[i] == NONE ||
			      !close_enough(
				  r_cost(&r, w, 0, p, &sn[which[i]], dist, mps),
				  best)))) {
				test_fail(__FILE__, __LINE__,
					  "%s w %d place %zu: %zu %.9g, want "
					  "%zu %.9g",
					  geo_mode_name(mode), wt, NSRC + i,
					  which[i], out[i].cost, bj, best);
				break;
			}
			/* never shorter than the straight line */
			if (bj != NONE) {
				double d = hypot(x[NSRC + i] - x[which[i]],
						 y[NSRC + i] - y[which[i]]);

				CHECK(out[i].metres >= d * (1 - 1e-3) - 1e-6);
			}
		}
	}
	tg = geo_net_targets_new(net, NP, sn);
	s = geo_net_search_new(net);
	for (dir = 0; dir < 2; dir++)
		for (i = 0; i < NREACH; i++) {
			const struct geo_snap *o = &sn[NP - 1 - i];
			double limit = mode == GEO_MODE_WALK ? 900 : 300;
			size_t k, want = 0;

			if (o->seg < 0)
				continue;
			{
				/* a hit table sized for every place */
				static double hc[NP];
				static int hs[NP];
				struct rcollect rc = {hc, hs};

				memset(hs, 0, sizeof hs);
				geo_net_reach(s, tg, GEO_NET_TIME,
					      (enum geo_net_dir)dir, o, limit,
					      collect_all, &rc);
				r_search(&r, GEO_NET_TIME, dir, o, dist);
				for (k = 0; k < NP; k++) {
					double c;

					if (sn[k].seg < 0)
						continue;
					c = r_cost(&r, GEO_NET_TIME, dir, o,
						   &sn[k], dist, mps);
					if (c <= limit * (1 - 1e-9)) {
						want++;
						if (hs[k] != 1 ||
						    !close_enough(hc[k], c))
							test_fail(
							    __FILE__, __LINE__,
							    "%s reach dir %d "
							    "%zu -> %zu: %g, "
							    "want %g",
							    geo_mode_name(mode),
							    dir, NP - 1 - i, k,
							    hs[k] ? hc[k] : NAN,
							    c);
					} else if (c > limit * (1 + 1e-9) &&
						   hs[k]) {
						test_fail(__FILE__, __LINE__,
							  "%s reach: %zu "
							  "beyond the limit",
							  geo_mode_name(mode),
							  k);
					} else if (hs[k]) {
						want++;
					}
				}
				{
					size_t got = 0;

					for (k = 0; k < NP; k++)
						got += hs[k] != 0;
					CHECK(got == want);
					reached += got;
				}
			}
		}
	/* the searches found something worth comparing */
	CHECK(reached > NREACH);
	/* the hierarchy's one-to-all searches give the same answers */
	for (wt = 0; wt < 2; wt++) {
		struct geo_ch *ch = geo_ch_build(net, (enum geo_net_weight)wt);
		double lim = wt == GEO_NET_TIME
				 ? (mode == GEO_MODE_WALK ? 900 : 300)
				 : 2000;

		for (dir = 0; dir < 2; dir++) {
			CHECK(ch_agrees(net, ch, (enum geo_net_weight)wt,
					(enum geo_net_dir)dir, NP, sn, NREACH,
					sn + NP - NREACH, lim, 1e-9,
					__LINE__) > NREACH);
			CHECK(ch_agrees(net, ch, (enum geo_net_weight)wt,
					(enum geo_net_dir)dir, NP, sn, 4, sn,
					INF, 1e-9, __LINE__) > 4 * NP / 3);
		}
		geo_ch_free(ch);
	}
	geo_net_search_free(s);
	geo_net_targets_free(tg);
	free(dist);
	rnet_free(&r);
	geo_net_free(net);
}

static void test_real_extracts(void)
{
	static const char *const names[2][2] = {{"osm-oakland", "oakland"},
						{"osm-felton", "felton"}};
	const char *shared = test_need_shared_data();
	uint64_t rng = 20261207;
	int e;

	if (!shared || !test_have_cli())
		return;
	for (e = 0; e < 2; e++) {
		struct core_err err = CORE_ERR_INIT;
		char *args, *cerr = NULL, *db;
		struct core_ws *ws = NULL;
		struct geo_proj *proj = NULL;
		double lon0, lat0, lon1, lat1;
		int m;

		db = xasprintf("roads_%s.db", names[e][1]);
		args = xasprintf("-q -d %s init", db);
		CHECK_INT(test_run_cli(args, NULL, &cerr), 0);
		free(args);
		free(cerr);
		args = xasprintf("-q -d %s import roads '%s/%s/%s.osm.pbf'", db,
				 shared, names[e][0], names[e][1]);
		CHECK_INT(test_run_cli(args, NULL, &cerr), 0);
		free(args);
		free(cerr);
		if (core_ws_open(test_path(db), CORE_WS_READ, &ws, &err)) {
			test_fail(__FILE__, __LINE__, "%s", err.msg);
			free(db);
			continue;
		}
		lon0 = test_q_double(ws, "SELECT max(minlon) FROM road_graphs");
		lat0 = test_q_double(ws, "SELECT max(minlat) FROM road_graphs");
		lon1 = test_q_double(ws, "SELECT min(maxlon) FROM road_graphs");
		lat1 = test_q_double(ws, "SELECT min(maxlat) FROM road_graphs");
		if (geo_proj_new_laea((lon0 + lon1) / 2, (lat0 + lat1) / 2,
				      &proj, &err))
			test_fail(__FILE__, __LINE__, "%s", err.msg);
		for (m = GEO_MODE_WALK; proj && m <= GEO_MODE_DRIVE; m++)
			check_real_mode(ws, proj, (enum geo_mode)m, lon0, lat0,
					lon1, lat1, &rng);
		geo_proj_free(proj);
		core_ws_close(ws);
		free(db);
	}
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(test_build_hand),
	    TEST(test_build_ties_and_errors),
	    TEST(test_build_long_ring),
	    TEST(test_decode_rejects),
	    TEST(test_search_hand),
	    TEST(test_random_vs_reference),
	    TEST(test_snap_brute_force),
	    TEST(test_not_shorter_than_straight),
	    TEST(test_workspace_round_trip),
	    TEST(test_parallel_equals_single),
	    TEST(test_ch_random),
	    TEST(test_ch_grid),
	    TEST(test_real_extracts),
	    {0}};
	int rc = test_main("net", tests);

	test_libs_shutdown();
	return rc;
}
