/*
 * geo_net.c - travel on the road network (geo_net.h).
 *
 * The blob (version 1, little-endian):
 *   header, 24 bytes: "AMRN", uint32 version, uint32 mode, uint32 nnodes,
 *     uint32 nsegs, uint32 FNV-1a checksum of the blob (these 4 bytes
 *     left out);
 *   nodes: int32 lon, int32 lat in 1e-7 degrees (8 bytes each);
 *   segments: uint32 a, uint32 b, float32 length (rounded up, so that a
 *     network path is never shorter than its geodesic length), float32
 *     seconds a -> b and b -> a (+inf: not allowed) (20 bytes each).
 *
 * Building drops self-loops (a == b: zero length, going nowhere) and
 * segments usable in neither direction; a segment of zero length between
 * two distinct nodes is kept (it may be what joins them).  Pieces are
 * counted among the nodes that some usable segment touches.  The kept
 * nodes are numbered along a Z-order curve over their extent and the
 * segments by their first node, so that what is near on the ground is
 * near in memory.
 *
 * In memory: forward and reverse adjacency in CSR form (per node, its
 * arcs with their seconds and metres side by side), and a uniform grid
 * of cells listing the segments that pass through them, for snapping.
 *
 * Movement along a segment: from t0 to t1 > t0 needs a -> b, t1 < t0
 * needs b -> a, and t0 == t1 (a place at a node, or two places at one
 * point) costs nothing and is always allowed.
 *
 * Searches are Dijkstra on a lazy 4-ary heap of (cost, source) labels:
 * the source index breaks ties, so multi-source answers do not depend on
 * the order of the search.  Per-node state is reset in O(1) by version
 * stamps.
 */
#include "geo/geo_net.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_mem.h"
#include "geo/geo_par.h"

#define NET_MAGIC      "AMRN"
#define NET_VERSION    1u
#define NET_HDR	       24u
#define NET_NODE_BYTES 8u
#define NET_SEG_BYTES  20u
#define NOPE	       UINT32_MAX

static const char *const mode_names[GEO_MODE_COUNT] = {"line", "walk", "bike",
						       "drive"};
static const char *const mode_verbs[GEO_MODE_COUNT] = {
    "straight line", "walking", "cycling", "driving"};

int geo_mode_parse(const char *s, enum geo_mode *m)
{
	static const struct {
		const char *name;
		enum geo_mode mode;
	} names[] = {{"line", GEO_MODE_LINE},	{"straight", GEO_MODE_LINE},
		     {"walk", GEO_MODE_WALK},	{"walking", GEO_MODE_WALK},
		     {"bike", GEO_MODE_BIKE},	{"cycling", GEO_MODE_BIKE},
		     {"drive", GEO_MODE_DRIVE}, {"driving", GEO_MODE_DRIVE}};
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(s, names[i].name) == 0) {
			*m = names[i].mode;
			return 0;
		}
	return -1;
}

const char *geo_mode_name(enum geo_mode m)
{
	return (unsigned)m < GEO_MODE_COUNT ? mode_names[m] : "?";
}

const char *geo_mode_verb(enum geo_mode m)
{
	return (unsigned)m < GEO_MODE_COUNT ? mode_verbs[m] : "?";
}

double geo_net_access_mps(enum geo_mode m)
{
	switch (m) {
	case GEO_MODE_BIKE:
		return GEO_NET_BIKE_MPS;
	case GEO_MODE_DRIVE:
		return GEO_NET_ACCESS_DRIVE_MPS;
	default:
		return GEO_NET_WALK_MPS;
	}
}

/* ---- the graph in memory ------------------------------------------- */

/* An arc of the forward (tail -> head) or reverse (head <- tail) graph:
 * to is the other node; sd the segment << 1 | way (0: a -> b, 1: b -> a). */
struct arc {
	uint32_t to, sd;
	float secs, len;
};

struct nxy {
	double x, y;
};

/* A segment: ends, length, seconds each way (+inf: not allowed). */
struct seg {
	uint32_t a, b;
	float len, ab, ba;
};

/* A segment's costs along its chain: metres, seconds from x_p to x_{p+1}
 * (fw) and back (bw), +inf where not allowed; in chain order, so a walk
 * along a chain reads memory in order. */
struct ccost {
	float len, fw, bw;
};

/* A chain end at a junction: chain << 1 | end (0: the junction is x_0, 1:
 * x_L), the chain's first segment (ch_off), its length and the junction
 * at its other end, so a settled junction reads its chains in order. */
struct jent {
	uint32_t kend, off, len, far;
};

struct geo_net {
	enum geo_mode mode;
	size_t nn, ns;
	struct nxy *xy;	       /* [nn] */
	struct seg *seg;       /* [ns] */
	uint32_t *foff, *roff; /* [nn + 1] */
	struct arc *fwd, *rev;
	/* snapping grid */
	double gx0, gy0, cs;
	size_t gw, gh;
	uint32_t *coff; /* [gw * gh + 1] */
	uint32_t *cseg;
	/* chains (build_chains) */
	size_t nch, maxlen;
	unsigned char *junc;	      /* [nn] 1: junction */
	uint32_t *node_ch, *node_pos; /* [nn] an interior node's chain, p */
	uint32_t *seg_ch, *seg_pos;   /* [ns] a segment's chain, p */
	uint32_t *ch_off;	      /* [nch + 1] into ch_seg */
	uint32_t *ch_seg;	      /* segment << 1 | flipped, by chain */
	struct ccost *ch_cost;	      /* [ns] the same segments' costs */
	uint32_t *ch_node;	      /* x_0 .. x_L of chain k from
					     ch_off[k] + k */
	uint32_t *j_off;	      /* [nn + 1] into j_ch */
	struct jent *j_ch;	      /* per node: the chain ends there */
};

/* ---- little-endian helpers ----------------------------------------- */

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void putf(unsigned char *p, float f)
{
	uint32_t v;

	memcpy(&v, &f, 4);
	put32(p, v);
}

static float getf(const unsigned char *p)
{
	uint32_t v = get32(p);
	float f;

	memcpy(&f, &v, 4);
	return f;
}

/* FNV-1a over the header's first 20 bytes and everything after it. */
static uint32_t blob_sum(const unsigned char *blob, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i == 20)
			i = NET_HDR;
		if (i >= len)
			break;
		h ^= blob[i];
		h *= 16777619u;
	}
	return h;
}

/* A direction's seconds as stored: +inf when not allowed. */
static float secs_f(double s)
{
	if (!(s >= 0) || s >= (double)FLT_MAX)
		return INFINITY;
	return (float)s;
}

/* A length as stored: rounded up to the next float. */
static float len_f(double m)
{
	float f = (float)m;

	if ((double)f < m)
		f = nextafterf(f, INFINITY);
	return f;
}

/* ---- building ------------------------------------------------------- */

/*
 * Strongly connected components of the directed graph off/adj over n
 * nodes, iteratively (Tarjan).  comp[v] gets the component number;
 * returns how many.  Nodes with skip[v] set get NOPE and are not counted.
 */
static size_t tarjan(size_t n, const uint32_t *off, const uint32_t *adj,
		     const unsigned char *skip, uint32_t *comp)
{
	uint32_t *idx = xmalloc(n * sizeof *idx),
		 *low = xmalloc(n * sizeof *low);
	uint32_t *stk = xmalloc(n * sizeof *stk), *cv = xmalloc(n * sizeof *cv);
	uint32_t *ci = xmalloc(n * sizeof *ci);
	unsigned char *on = xcalloc(n, 1);
	size_t nst = 0, ncs, ncomp = 0, r;
	uint32_t next = 0;

	for (r = 0; r < n; r++) {
		idx[r] = NOPE;
		comp[r] = NOPE;
	}
	for (r = 0; r < n; r++) {
		if (skip[r] || idx[r] != NOPE)
			continue;
		idx[r] = low[r] = next++;
		stk[nst++] = (uint32_t)r;
		on[r] = 1;
		cv[0] = (uint32_t)r;
		ci[0] = off[r];
		ncs = 1;
		while (ncs) {
			uint32_t v = cv[ncs - 1];

			if (ci[ncs - 1] < off[v + 1]) {
				uint32_t w = adj[ci[ncs - 1]++];

				if (idx[w] == NOPE) {
					idx[w] = low[w] = next++;
					stk[nst++] = w;
					on[w] = 1;
					cv[ncs] = w;
					ci[ncs] = off[w];
					ncs++;
				} else if (on[w] && idx[w] < low[v]) {
					low[v] = idx[w];
				}
				continue;
			}
			ncs--;
			if (low[v] == idx[v]) {
				uint32_t w;

				do {
					w = stk[--nst];
					on[w] = 0;
					comp[w] = (uint32_t)ncomp;
				} while (w != v);
				ncomp++;
			}
			if (ncs) {
				uint32_t p = cv[ncs - 1];

				if (low[v] < low[p])
					low[p] = low[v];
			}
		}
	}
	free(idx);
	free(low);
	free(stk);
	free(cv);
	free(ci);
	free(on);
	return ncomp;
}

/* The Morton (Z-order) code of two 16-bit numbers. */
static uint32_t morton(uint32_t x, uint32_t y)
{
	uint32_t r = 0;
	int i;

	for (i = 0; i < 16; i++)
		r |= (x >> i & 1u) << (2 * i) | (y >> i & 1u) << (2 * i + 1);
	return r;
}

/* (key, index) pairs, sorted to renumber nodes and segments. */
struct kidx {
	uint32_t key, idx;
};

static int kidx_cmp(const void *pa, const void *pb)
{
	const struct kidx *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

int geo_net_build(const struct geo_net_build_in *in, struct geo_net_stats *st,
		  unsigned char **blob, size_t *len, struct core_err *err)
{
	size_t nn = in->nnodes, ns = in->nsegs, i, narcs = 0, ncomp, best;
	unsigned char *usable = NULL, *skip = NULL, *out = NULL, *p;
	uint32_t *off = NULL, *adj = NULL, *comp = NULL, *newid = NULL;
	size_t *csize = NULL, *cmin = NULL, keptn = 0, kepts = 0, bytes, k;
	struct kidx *ord = NULL;
	int rc = CORE_OK;

	*blob = NULL;
	*len = 0;
	memset(st, 0, sizeof *st);
	if (in->mode < GEO_MODE_WALK || in->mode > GEO_MODE_DRIVE)
		return core_err_set(
		    err, CORE_EUSAGE,
		    "road network: mode %d is not walk, bike or "
		    "drive",
		    (int)in->mode);
	if (nn >= NOPE || ns >= (size_t)1 << 31)
		return core_err_set(err, CORE_EUSAGE,
				    "road network: too large (%zu nodes, %zu "
				    "segments)",
				    nn, ns);
	usable = xcalloc(ns ? ns : 1, 1);
	skip = xmalloc(nn ? nn : 1);
	memset(skip, 1, nn ? nn : 1);
	off = xcalloc(nn + 1, sizeof *off);
	for (i = 0; i < ns; i++) {
		uint32_t a = in->a[i], b = in->b[i];
		double l = in->len_m[i];
		int ab, ba;

		if (a >= nn || b >= nn) {
			rc = core_err_set(err, CORE_EFORMAT,
					  "road network: segment %zu: node %u "
					  "out of range (%zu nodes)",
					  i, a >= nn ? a : b, nn);
			goto cleanup;
		}
		if (!(l >= 0) || !isfinite(l)) {
			rc = core_err_set(err, CORE_EFORMAT,
					  "road network: segment %zu: length "
					  "%g is not a finite number >= 0",
					  i, l);
			goto cleanup;
		}
		if (a == b)
			continue; /* zero length, goes nowhere */
		ab = isfinite(secs_f(in->secs_ab[i]));
		ba = isfinite(secs_f(in->secs_ba[i]));
		if (!ab && !ba)
			continue;
		usable[i] = (unsigned char)(ab | ba << 1);
		off[a + 1] += (uint32_t)ab;
		off[b + 1] += (uint32_t)ba;
		narcs += (size_t)ab + (size_t)ba;
		skip[a] = skip[b] = 0;
	}
	if (narcs == 0) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "no roads the %s mode may use",
				  geo_mode_name(in->mode));
		goto cleanup;
	}
	for (i = 0; i < nn; i++) {
		if (skip[i])
			continue;
		if (!(in->lon[i] >= -180 && in->lon[i] <= 180 &&
		      in->lat[i] >= -90 && in->lat[i] <= 90)) {
			rc = core_err_set(err, CORE_EFORMAT,
					  "road network: node %zu: lon %g lat "
					  "%g out of range",
					  i, in->lon[i], in->lat[i]);
			goto cleanup;
		}
	}
	for (i = 0; i < nn; i++)
		off[i + 1] += off[i];
	adj = xmalloc(narcs * sizeof *adj);
	{
		uint32_t *pos = xmalloc((nn + 1) * sizeof *pos);

		memcpy(pos, off, (nn + 1) * sizeof *pos);
		for (i = 0; i < ns; i++) {
			if (usable[i] & 1)
				adj[pos[in->a[i]]++] = in->b[i];
			if (usable[i] & 2)
				adj[pos[in->b[i]]++] = in->a[i];
		}
		free(pos);
	}
	comp = xmalloc(nn * sizeof *comp);
	ncomp = tarjan(nn, off, adj, skip, comp);
	csize = xcalloc(ncomp, sizeof *csize);
	cmin = xmalloc(ncomp * sizeof *cmin);
	for (i = 0; i < ncomp; i++)
		cmin[i] = (size_t)-1;
	for (i = 0; i < nn; i++) {
		if (comp[i] == NOPE)
			continue;
		csize[comp[i]]++;
		if (i < cmin[comp[i]])
			cmin[comp[i]] = i;
	}
	best = 0;
	for (i = 1; i < ncomp; i++)
		if (csize[i] > csize[best] ||
		    (csize[i] == csize[best] && cmin[i] < cmin[best]))
			best = i;
	if (csize[best] < 2) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "no roads the %s mode may use: no two places "
				  "on them reach each other",
				  geo_mode_name(in->mode));
		goto cleanup;
	}
	newid = xmalloc(nn * sizeof *newid);
	st->minlon = st->minlat = INFINITY;
	st->maxlon = st->maxlat = -INFINITY;
	for (i = 0; i < nn; i++) {
		if (comp[i] != best) {
			newid[i] = NOPE;
			if (comp[i] != NOPE)
				st->dropped_nodes++;
			continue;
		}
		newid[i] = (uint32_t)keptn++;
		if (in->lon[i] < st->minlon)
			st->minlon = in->lon[i];
		if (in->lon[i] > st->maxlon)
			st->maxlon = in->lon[i];
		if (in->lat[i] < st->minlat)
			st->minlat = in->lat[i];
		if (in->lat[i] > st->maxlat)
			st->maxlat = in->lat[i];
	}
	for (i = 0; i < ns; i++) {
		if (!usable[i])
			continue;
		if (newid[in->a[i]] != NOPE && newid[in->b[i]] != NOPE) {
			kepts++;
			st->km += in->len_m[i] / 1000;
		} else {
			st->dropped_segs++;
			st->dropped_km += in->len_m[i] / 1000;
		}
	}
	st->nodes = keptn;
	st->segs = kepts;
	st->pieces = ncomp;
	/*
	 * Number the kept nodes along a Z-order curve over their extent, and
	 * the segments by their first node: nodes and segments near each
	 * other on the ground are near each other in memory, which the
	 * searches and the snapping grid read far faster.
	 */
	ord = xmalloc((keptn > kepts ? keptn : kepts) * sizeof *ord);
	{
		double wx = st->maxlon - st->minlon,
		       wy = st->maxlat - st->minlat;

		k = 0;
		for (i = 0; i < nn; i++) {
			uint32_t qx, qy;

			if (newid[i] == NOPE)
				continue;
			qx = wx > 0 ? (uint32_t)((in->lon[i] - st->minlon) /
						 wx * 65535.0)
				    : 0;
			qy = wy > 0 ? (uint32_t)((in->lat[i] - st->minlat) /
						 wy * 65535.0)
				    : 0;
			ord[k].key = morton(qx, qy);
			ord[k].idx = (uint32_t)i;
			k++;
		}
		qsort(ord, keptn, sizeof *ord, kidx_cmp);
		for (k = 0; k < keptn; k++)
			newid[ord[k].idx] = (uint32_t)k;
	}
	bytes = NET_HDR + keptn * NET_NODE_BYTES + kepts * NET_SEG_BYTES;
	out = xmalloc(bytes);
	memcpy(out, NET_MAGIC, 4);
	put32(out + 4, NET_VERSION);
	put32(out + 8, (uint32_t)in->mode);
	put32(out + 12, (uint32_t)keptn);
	put32(out + 16, (uint32_t)kepts);
	p = out + NET_HDR;
	for (k = 0; k < keptn; k++) {
		i = ord[k].idx;
		put32(p, (uint32_t)(int32_t)lround(in->lon[i] * 1e7));
		put32(p + 4, (uint32_t)(int32_t)lround(in->lat[i] * 1e7));
		p += NET_NODE_BYTES;
	}
	k = 0;
	for (i = 0; i < ns; i++) {
		uint32_t na, nb;

		if (!usable[i] || (na = newid[in->a[i]]) == NOPE ||
		    (nb = newid[in->b[i]]) == NOPE)
			continue;
		ord[k].key = na < nb ? na : nb;
		ord[k].idx = (uint32_t)i;
		k++;
	}
	qsort(ord, kepts, sizeof *ord, kidx_cmp);
	for (k = 0; k < kepts; k++) {
		i = ord[k].idx;
		put32(p, newid[in->a[i]]);
		put32(p + 4, newid[in->b[i]]);
		putf(p + 8, len_f(in->len_m[i]));
		putf(p + 12,
		     (usable[i] & 1) ? secs_f(in->secs_ab[i]) : INFINITY);
		putf(p + 16,
		     (usable[i] & 2) ? secs_f(in->secs_ba[i]) : INFINITY);
		p += NET_SEG_BYTES;
	}
	put32(out + 20, blob_sum(out, bytes));
	*blob = out;
	*len = bytes;
	out = NULL;
cleanup:
	free(usable);
	free(skip);
	free(off);
	free(adj);
	free(comp);
	free(newid);
	free(csize);
	free(cmin);
	free(ord);
	free(out);
	return rc;
}

int geo_net_save(struct core_ws *ws, enum geo_mode mode, int64_t source_id,
		 const struct geo_net_stats *st, const unsigned char *blob,
		 size_t len, struct core_err *err)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO road_graphs(mode, source_id, nodes, "
	    "segments, km, pieces, dropped_nodes, dropped_segments, "
	    "dropped_km, minlon, minlat, maxlon, maxlat, data) "
	    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *s = NULL;
	int rc;

	if (mode < GEO_MODE_WALK || mode > GEO_MODE_DRIVE)
		return core_err_set(
		    err, CORE_EUSAGE,
		    "road network: mode %d is not walk, bike or "
		    "drive",
		    (int)mode);
	if (len > (size_t)INT32_MAX)
		return core_err_set(err, CORE_EUSAGE,
				    "road network: the %s graph is too large "
				    "(%zu bytes)",
				    geo_mode_name(mode), len);
	if ((rc = core_ws_prepare(ws, err, &s, sql)))
		return rc;
	sqlite3_bind_text(s, 1, geo_mode_name(mode), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, source_id);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)st->nodes);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)st->segs);
	sqlite3_bind_double(s, 5, st->km);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)st->pieces);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)st->dropped_nodes);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)st->dropped_segs);
	sqlite3_bind_double(s, 9, st->dropped_km);
	if (st->nodes) {
		sqlite3_bind_double(s, 10, st->minlon);
		sqlite3_bind_double(s, 11, st->minlat);
		sqlite3_bind_double(s, 12, st->maxlon);
		sqlite3_bind_double(s, 13, st->maxlat);
	}
	sqlite3_bind_blob(s, 14, blob, (int)len, SQLITE_STATIC);
	rc = core_ws_step(ws, err, s);
	sqlite3_finalize(s);
	if (rc)
		core_err_prefix(
		    err, "saving the %s road network: ", geo_mode_name(mode));
	return rc;
}

/* ---- loading --------------------------------------------------------- */

/* Forward and reverse CSR adjacency. */
static void build_adjacency(struct geo_net *g)
{
	size_t i, nn = g->nn;
	uint32_t *fp, *rp;

	g->foff = xcalloc(nn + 1, sizeof *g->foff);
	g->roff = xcalloc(nn + 1, sizeof *g->roff);
	for (i = 0; i < g->ns; i++) {
		if (isfinite(g->seg[i].ab)) {
			g->foff[g->seg[i].a + 1]++;
			g->roff[g->seg[i].b + 1]++;
		}
		if (isfinite(g->seg[i].ba)) {
			g->foff[g->seg[i].b + 1]++;
			g->roff[g->seg[i].a + 1]++;
		}
	}
	for (i = 0; i < nn; i++) {
		g->foff[i + 1] += g->foff[i];
		g->roff[i + 1] += g->roff[i];
	}
	g->fwd = xmalloc((g->foff[nn] ? g->foff[nn] : 1) * sizeof *g->fwd);
	g->rev = xmalloc((g->roff[nn] ? g->roff[nn] : 1) * sizeof *g->rev);
	fp = xmalloc((nn + 1) * sizeof *fp);
	rp = xmalloc((nn + 1) * sizeof *rp);
	memcpy(fp, g->foff, (nn + 1) * sizeof *fp);
	memcpy(rp, g->roff, (nn + 1) * sizeof *rp);
	for (i = 0; i < g->ns; i++) {
		uint32_t a = g->seg[i].a, b = g->seg[i].b,
			 s2 = (uint32_t)i << 1;

		if (isfinite(g->seg[i].ab)) {
			struct arc f = {b, s2, g->seg[i].ab, g->seg[i].len};
			struct arc r = {a, s2, g->seg[i].ab, g->seg[i].len};

			g->fwd[fp[a]++] = f;
			g->rev[rp[b]++] = r;
		}
		if (isfinite(g->seg[i].ba)) {
			struct arc f = {a, s2 | 1, g->seg[i].ba, g->seg[i].len};
			struct arc r = {b, s2 | 1, g->seg[i].ba, g->seg[i].len};

			g->fwd[fp[b]++] = f;
			g->rev[rp[a]++] = r;
		}
	}
	free(fp);
	free(rp);
}

/*
 * Chains.  A node with exactly two segment ends, of two segments that are
 * not loops, only passes a street on (interior); every other node is a
 * junction.  Each segment lies on one chain: junction x_0, interior nodes
 * x_1 .. x_{L-1}, junction x_L, segments s_0 .. s_{L-1} (s_p joins x_p
 * and x_{p+1}).  Searches keep a heap of junctions only and walk chains
 * segment by segment, adding each segment's cost in the order a plain
 * Dijkstra over every node would, so labels are the same bits; interior
 * labels are filled in afterwards (fill_chain).  A ring of interior nodes
 * gets its lowest node as a junction.
 */
static void build_chains(struct geo_net *g)
{
	size_t nn = g->nn, ns = g->ns, i, k, nch = 0, nent = 0;
	uint32_t *ioff = xcalloc(nn + 1, sizeof *ioff);
	uint32_t *inc = xmalloc((ns ? 2 * ns : 1) * sizeof *inc);
	uint32_t *pos = xmalloc((nn + 1) * sizeof *pos);
	uint32_t *jp;

	g->junc = xcalloc(nn ? nn : 1, 1);
	g->node_ch = xmalloc((nn ? nn : 1) * sizeof *g->node_ch);
	g->node_pos = xmalloc((nn ? nn : 1) * sizeof *g->node_pos);
	g->seg_ch = xmalloc((ns ? ns : 1) * sizeof *g->seg_ch);
	g->seg_pos = xmalloc((ns ? ns : 1) * sizeof *g->seg_pos);
	g->ch_off = xmalloc((ns + 1) * sizeof *g->ch_off);
	g->ch_seg = xmalloc((ns ? ns : 1) * sizeof *g->ch_seg);
	g->ch_cost = xmalloc((ns ? ns : 1) * sizeof *g->ch_cost);
	g->ch_node = xmalloc((2 * ns + 1) * sizeof *g->ch_node);
	for (i = 0; i < ns; i++) {
		ioff[g->seg[i].a + 1]++;
		ioff[g->seg[i].b + 1]++;
		g->seg_ch[i] = NOPE;
	}
	for (i = 0; i < nn; i++)
		ioff[i + 1] += ioff[i];
	memcpy(pos, ioff, (nn + 1) * sizeof *pos);
	for (i = 0; i < ns; i++) {
		inc[pos[g->seg[i].a]++] = (uint32_t)i;
		inc[pos[g->seg[i].b]++] = (uint32_t)i;
	}
	for (i = 0; i < nn; i++) {
		uint32_t s0, s1;

		g->junc[i] = 1;
		if (ioff[i + 1] - ioff[i] != 2)
			continue;
		s0 = inc[ioff[i]];
		s1 = inc[ioff[i] + 1];
		g->junc[i] = !(s0 != s1 && g->seg[s0].a != g->seg[s0].b &&
			       g->seg[s1].a != g->seg[s1].b);
	}
	g->ch_off[0] = 0;
	for (k = 0; k < 2; k++) {
		/* k == 0: from every junction; k == 1: the rings left */
		size_t s;

		for (s = 0; s < ns; s++) {
			uint32_t u, sg, len = 0, base, e2;

			if (g->seg_ch[s] != NOPE)
				continue;
			if (k == 0 && !g->junc[g->seg[s].a] &&
			    !g->junc[g->seg[s].b])
				continue;
			u = g->junc[g->seg[s].a] || k ? g->seg[s].a
						      : g->seg[s].b;
			g->junc[u] = 1;
			base = g->ch_off[nch] + (uint32_t)nch;
			g->ch_node[base] = u;
			sg = (uint32_t)s;
			for (;;) {
				uint32_t v = g->seg[sg].a == u ? g->seg[sg].b
							       : g->seg[sg].a;
				uint32_t e = g->ch_off[nch] + len;

				g->ch_seg[e] = sg << 1 | (g->seg[sg].a != u);
				g->ch_cost[e].len = g->seg[sg].len;
				g->ch_cost[e].fw = g->seg[sg].a == u
						       ? g->seg[sg].ab
						       : g->seg[sg].ba;
				g->ch_cost[e].bw = g->seg[sg].a == u
						       ? g->seg[sg].ba
						       : g->seg[sg].ab;
				g->seg_ch[sg] = (uint32_t)nch;
				g->seg_pos[sg] = len;
				len++;
				g->ch_node[base + len] = v;
				if (g->junc[v])
					break;
				sg = inc[ioff[v]] == sg ? inc[ioff[v] + 1]
							: inc[ioff[v]];
				u = v;
			}
			g->ch_off[nch + 1] = g->ch_off[nch] + len;
			for (e2 = 1; e2 < len; e2++) {
				g->node_ch[g->ch_node[base + e2]] =
				    (uint32_t)nch;
				g->node_pos[g->ch_node[base + e2]] = e2;
			}
			if (len > g->maxlen)
				g->maxlen = len;
			nch++;
		}
	}
	g->nch = nch;
	/* the chain ends at each node: chain << 1 | end (0: x_0, 1: x_L) */
	g->j_off = xcalloc(nn + 1, sizeof *g->j_off);
	for (k = 0; k < nch; k++) {
		g->j_off[g->ch_node[g->ch_off[k] + k] + 1]++;
		g->j_off[g->ch_node[g->ch_off[k + 1] + k] + 1]++;
		nent += 2;
	}
	for (i = 0; i < nn; i++)
		g->j_off[i + 1] += g->j_off[i];
	g->j_ch = xmalloc((nent ? nent : 1) * sizeof *g->j_ch);
	jp = pos;
	memcpy(jp, g->j_off, (nn + 1) * sizeof *jp);
	for (k = 0; k < nch; k++) {
		uint32_t x0 = g->ch_node[g->ch_off[k] + k];
		uint32_t xl = g->ch_node[g->ch_off[k + 1] + k];
		struct jent e0, e1;

		e0.kend = (uint32_t)k << 1;
		e1.kend = (uint32_t)k << 1 | 1;
		e0.off = e1.off = g->ch_off[k];
		e0.len = e1.len = g->ch_off[k + 1] - g->ch_off[k];
		e0.far = xl;
		e1.far = x0;
		g->j_ch[jp[x0]++] = e0;
		g->j_ch[jp[xl]++] = e1;
	}
	free(ioff);
	free(inc);
	free(pos);
}

/* Cells [*c0, *c1] of a coordinate range along one axis. */
static void cell_span(double lo, double hi, double o, double cs, size_t n,
		      size_t *c0, size_t *c1)
{
	double f0 = floor((lo - o) / cs), f1 = floor((hi - o) / cs);

	if (f0 < 0)
		f0 = 0;
	if (f1 < 0)
		f1 = 0;
	if (f0 > (double)(n - 1))
		f0 = (double)(n - 1);
	if (f1 > (double)(n - 1))
		f1 = (double)(n - 1);
	*c0 = (size_t)f0;
	*c1 = (size_t)f1;
}

/* Every cell segment s passes through, row by row: counted into
 * count[cell + 1] (count not NULL), else written to fill at pos[cell]. */
static size_t grid_visit(const struct geo_net *g, size_t s, uint32_t *count,
			 uint32_t *fill, uint32_t *pos)
{
	double ax = g->xy[g->seg[s].a].x, ay = g->xy[g->seg[s].a].y;
	double bx = g->xy[g->seg[s].b].x, by = g->xy[g->seg[s].b].y;
	size_t r0, r1, r, c0, c1, c, n = 0;

	/* A margin for rounding at cell borders. */
	double eps = g->cs * 1e-6;

	cell_span(fmin(ay, by) - eps, fmax(ay, by) + eps, g->gy0, g->cs, g->gh,
		  &r0, &r1);
	for (r = r0; r <= r1; r++) {
		double ylo = g->gy0 + (double)r * g->cs, yhi = ylo + g->cs;
		double xlo, xhi;

		if (ay == by) {
			xlo = fmin(ax, bx);
			xhi = fmax(ax, bx);
		} else {
			double t0 = (fmax(ylo, fmin(ay, by)) - ay) / (by - ay);
			double t1 = (fmin(yhi, fmax(ay, by)) - ay) / (by - ay);
			double x0 = ax + t0 * (bx - ax),
			       x1 = ax + t1 * (bx - ax);

			xlo = fmin(x0, x1);
			xhi = fmax(x0, x1);
		}
		cell_span(xlo - eps, xhi + eps, g->gx0, g->cs, g->gw, &c0, &c1);
		for (c = c0; c <= c1; c++) {
			size_t cell = r * g->gw + c;

			if (count)
				count[cell + 1]++;
			else
				fill[pos[cell]++] = (uint32_t)s;
			n++;
		}
	}
	return n;
}

static void build_grid(struct geo_net *g)
{
	double minx = INFINITY, miny = INFINITY, maxx = -INFINITY,
	       maxy = -INFINITY, tot = 0, cs;
	size_t i, ncell;
	uint32_t *pos;

	for (i = 0; i < g->nn; i++) {
		minx = fmin(minx, g->xy[i].x);
		maxx = fmax(maxx, g->xy[i].x);
		miny = fmin(miny, g->xy[i].y);
		maxy = fmax(maxy, g->xy[i].y);
	}
	for (i = 0; i < g->ns; i++)
		tot += hypot(g->xy[g->seg[i].b].x - g->xy[g->seg[i].a].x,
			     g->xy[g->seg[i].b].y - g->xy[g->seg[i].a].y);
	cs = g->ns ? tot / (double)g->ns : 1;
	if (!(cs >= 1e-6))
		cs = 1e-6;
	for (;;) {
		double w = floor((maxx - minx) / cs) + 1,
		       h = floor((maxy - miny) / cs) + 1;

		if (w * h <= 2.0 * (double)g->ns + 1024) {
			g->gw = (size_t)w;
			g->gh = (size_t)h;
			break;
		}
		cs *= 1.25;
	}
	g->cs = cs;
	g->gx0 = minx;
	g->gy0 = miny;
	ncell = g->gw * g->gh;
	g->coff = xcalloc(ncell + 1, sizeof *g->coff);
	for (i = 0; i < g->ns; i++)
		grid_visit(g, i, g->coff, NULL, NULL);
	for (i = 0; i < ncell; i++)
		g->coff[i + 1] += g->coff[i];
	g->cseg =
	    xmalloc((g->coff[ncell] ? g->coff[ncell] : 1) * sizeof *g->cseg);
	pos = xmalloc((ncell + 1) * sizeof *pos);
	memcpy(pos, g->coff, (ncell + 1) * sizeof *pos);
	for (i = 0; i < g->ns; i++)
		grid_visit(g, i, NULL, g->cseg, pos);
	free(pos);
}

int geo_net_decode(const unsigned char *blob, size_t len, struct geo_proj *proj,
		   struct geo_net **out, struct core_err *err)
{
	struct geo_net *g = NULL;
	uint32_t ver, mode, nn, ns;
	const unsigned char *p;
	double *x = NULL, *y = NULL;
	size_t i;
	int rc = CORE_OK;

	*out = NULL;
	if (!blob || len < NET_HDR || memcmp(blob, NET_MAGIC, 4) != 0)
		return core_err_set(err, CORE_EFORMAT,
				    "road network: not an assetmap road graph "
				    "(%zu bytes)",
				    len);
	ver = get32(blob + 4);
	mode = get32(blob + 8);
	nn = get32(blob + 12);
	ns = get32(blob + 16);
	if (ver != NET_VERSION)
		return core_err_set(err, CORE_EFORMAT,
				    "road network: version %u, this program "
				    "reads version %u: run 'assetmap import "
				    "roads' again",
				    ver, NET_VERSION);
	if (mode < GEO_MODE_WALK || mode > GEO_MODE_DRIVE)
		return core_err_set(
		    err, CORE_EFORMAT,
		    "road network: mode %u is not walk, bike or "
		    "drive",
		    mode);
	if (nn < 2 || ns < 1 || ns >= 1u << 31 || nn == NOPE ||
	    (len - NET_HDR) / NET_SEG_BYTES < ns ||
	    (len - NET_HDR - (size_t)ns * NET_SEG_BYTES) / NET_NODE_BYTES !=
		nn ||
	    (len - NET_HDR - (size_t)ns * NET_SEG_BYTES) % NET_NODE_BYTES)
		return core_err_set(err, CORE_EFORMAT,
				    "road network: %zu bytes do not hold %u "
				    "nodes and %u segments",
				    len, nn, ns);
	if (blob_sum(blob, len) != get32(blob + 20))
		return core_err_set(err, CORE_EFORMAT,
				    "road network: checksum mismatch (the "
				    "stored graph is damaged)");
	g = xcalloc(1, sizeof *g);
	g->mode = (enum geo_mode)mode;
	g->nn = nn;
	g->ns = ns;
	g->xy = xmalloc(nn * sizeof *g->xy);
	g->seg = xmalloc(ns * sizeof *g->seg);
	x = xmalloc(nn * sizeof *x);
	y = xmalloc(nn * sizeof *y);
	p = blob + NET_HDR;
	for (i = 0; i < nn; i++, p += NET_NODE_BYTES) {
		int32_t lo = (int32_t)get32(p), la = (int32_t)get32(p + 4);

		if (lo < -1800000000 || lo > 1800000000 || la < -900000000 ||
		    la > 900000000) {
			rc = core_err_set(err, CORE_EFORMAT,
					  "road network: node %zu out of "
					  "range",
					  i);
			goto cleanup;
		}
		x[i] = lo * 1e-7;
		y[i] = la * 1e-7;
	}
	for (i = 0; i < ns; i++, p += NET_SEG_BYTES) {
		uint32_t a = get32(p), b = get32(p + 4);
		float l = getf(p + 8), ab = getf(p + 12), ba = getf(p + 16);

		if (a >= nn || b >= nn || a == b || !(l >= 0) || isinf(l) ||
		    !(ab >= 0) || !(ba >= 0) || (isinf(ab) && isinf(ba))) {
			rc = core_err_set(err, CORE_EFORMAT,
					  "road network: segment %zu is "
					  "inconsistent",
					  i);
			goto cleanup;
		}
		g->seg[i].a = a;
		g->seg[i].b = b;
		g->seg[i].len = l;
		g->seg[i].ab = ab;
		g->seg[i].ba = ba;
	}
	if (proj && (rc = geo_proj_fwd_par(proj, x, y, nn, 0, err)))
		goto cleanup;
	for (i = 0; i < nn; i++) {
		g->xy[i].x = x[i];
		g->xy[i].y = y[i];
		if (!isfinite(x[i]) || !isfinite(y[i])) {
			rc = core_err_set(err, CORE_EFORMAT,
					  "road network: node %zu cannot be "
					  "projected",
					  i);
			goto cleanup;
		}
	}
	build_adjacency(g);
	build_chains(g);
	build_grid(g);
	*out = g;
	g = NULL;
cleanup:
	geo_net_free(g);
	free(x);
	free(y);
	return rc;
}

int geo_net_load(struct core_ws *ws, enum geo_mode mode, struct geo_proj *proj,
		 struct geo_net **out, struct core_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc, step;

	*out = NULL;
	if ((rc = core_ws_prepare(ws, err, &s,
				  "SELECT data FROM road_graphs WHERE mode=?")))
		return rc;
	sqlite3_bind_text(s, 1, geo_mode_name(mode), -1, SQLITE_STATIC);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0);

		rc = geo_net_decode(b, n, proj, out, err);
		if (rc)
			core_err_prefix(
			    err, "the %s road network: ", geo_mode_name(mode));
	} else if (step == SQLITE_DONE) {
		rc = core_err_set(err, CORE_ENOTFOUND,
				  "no road network in the workspace: run "
				  "'assetmap import roads FILE.osm.pbf'");
	} else {
		rc = core_ws_dberr(ws, err, "reading road_graphs");
	}
	sqlite3_finalize(s);
	return rc;
}

void geo_net_free(struct geo_net *net)
{
	if (!net)
		return;
	free(net->xy);
	free(net->seg);
	free(net->foff);
	free(net->roff);
	free(net->fwd);
	free(net->rev);
	free(net->coff);
	free(net->cseg);
	free(net->junc);
	free(net->node_ch);
	free(net->node_pos);
	free(net->seg_ch);
	free(net->seg_pos);
	free(net->ch_off);
	free(net->ch_seg);
	free(net->ch_cost);
	free(net->ch_node);
	free(net->j_off);
	free(net->j_ch);
	free(net);
}

enum geo_mode geo_net_mode(const struct geo_net *net)
{
	return net->mode;
}

size_t geo_net_nnodes(const struct geo_net *net)
{
	return net ? net->nn : 0;
}

size_t geo_net_nsegs(const struct geo_net *net)
{
	return net ? net->ns : 0;
}

void geo_net_node_xy(const struct geo_net *net, size_t i, double *x, double *y)
{
	*x = net->xy[i].x;
	*y = net->xy[i].y;
}

void geo_net_seg(const struct geo_net *net, size_t i, uint32_t *a, uint32_t *b,
		 double *len_m, double *secs_ab, double *secs_ba)
{
	*a = net->seg[i].a;
	*b = net->seg[i].b;
	*len_m = net->seg[i].len;
	*secs_ab = net->seg[i].ab;
	*secs_ba = net->seg[i].ba;
}

/* ---- snapping --------------------------------------------------------- */

/* Squared distance from (px, py) to segment s, and the nearest point's
 * t. */
static inline double seg_dist2(const struct geo_net *g, size_t s, double px,
			       double py, double *t)
{
	double ax = g->xy[g->seg[s].a].x, ay = g->xy[g->seg[s].a].y;
	double dx = g->xy[g->seg[s].b].x - ax, dy = g->xy[g->seg[s].b].y - ay;
	double l2 = dx * dx + dy * dy, u = 0;

	if (l2 > 0) {
		u = ((px - ax) * dx + (py - ay) * dy) / l2;
		if (u < 0)
			u = 0;
		else if (u > 1)
			u = 1;
	}
	*t = u;
	dx = px - (ax + u * dx);
	dy = py - (ay + u * dy);
	return dx * dx + dy * dy;
}

/* The segments of one cell against the best so far. */
static inline void snap_cell(const struct geo_net *g, size_t cell, double px,
			     double py, double *bestd2, double *bestt,
			     int64_t *bests)
{
	uint32_t k;

	for (k = g->coff[cell]; k < g->coff[cell + 1]; k++) {
		uint32_t sg = g->cseg[k];
		double t, d2 = seg_dist2(g, sg, px, py, &t);

		if (d2 < *bestd2 || (d2 == *bestd2 && (int64_t)sg < *bests)) {
			*bestd2 = d2;
			*bestt = t;
			*bests = sg;
		}
	}
}

/* Squared distance from (px, py) to cell (cx, cy). */
static inline double cell_d2(const struct geo_net *g, long cx, long cy,
			     double px, double py)
{
	double x0 = g->gx0 + (double)cx * g->cs,
	       y0 = g->gy0 + (double)cy * g->cs;
	double dx = px < x0 ? x0 - px : px > x0 + g->cs ? px - x0 - g->cs : 0;
	double dy = py < y0 ? y0 - py : py > y0 + g->cs ? py - y0 - g->cs : 0;

	return dx * dx + dy * dy;
}

/*
 * The nearest segment: cells in rings around the place's cell, nearest
 * ring first, until a ring is farther than the best so far (or max_m).
 * Cells of a ring farther than the best are skipped.
 */
static void snap_one(const struct geo_net *g, double px, double py,
		     double max_m, struct geo_snap *o)
{
	double fx, fy, bestd2 = INFINITY, bestt = 0, max2 = max_m * max_m;
	long cx, cy, r, gw = (long)g->gw, gh = (long)g->gh;
	int64_t bests = -1;

	o->seg = -1;
	o->t = NAN;
	o->off_m = NAN;
	if (!isfinite(px) || !isfinite(py) || !(max_m >= 0))
		return;
	fx = floor((px - g->gx0) / g->cs);
	fy = floor((py - g->gy0) / g->cs);
	/* Absurdly far from the grid (beyond any max_m worth asking). */
	if (fx < -1e9 || fx > 1e9 || fy < -1e9 || fy > 1e9)
		return;
	cx = (long)fx;
	cy = (long)fy;
	/* Rings nearer than r hold no cell of the grid. */
	r = 0;
	if (-cx > r)
		r = -cx;
	if (cx - (gw - 1) > r)
		r = cx - (gw - 1);
	if (-cy > r)
		r = -cy;
	if (cy - (gh - 1) > r)
		r = cy - (gh - 1);
	for (;; r++) {
		long x0 = cx - r, x1 = cx + r, y0 = cy - r, y1 = cy + r, yy;

		if (r > 0) {
			/* Every cell of ring r is at least lb away. */
			double l = g->gx0 + (double)(cx - r + 1) * g->cs;
			double rr = g->gx0 + (double)(cx + r) * g->cs;
			double b = g->gy0 + (double)(cy - r + 1) * g->cs;
			double t = g->gy0 + (double)(cy + r) * g->cs;
			double lb =
			    fmin(fmin(px - l, rr - px), fmin(py - b, t - py));

			if (lb > 0 && (lb * lb > bestd2 || lb * lb > max2))
				break;
			/* The rings before covered the whole grid. */
			if (x0 + 1 <= 0 && y0 + 1 <= 0 && x1 - 1 >= gw - 1 &&
			    y1 - 1 >= gh - 1)
				break;
		}
		for (yy = y0 < 0 ? 0 : y0; yy <= y1 && yy < gh; yy++) {
			long xa, xb, xx, step;

			if (yy == y0 || yy == y1) {
				xa = x0 < 0 ? 0 : x0;
				xb = x1 >= gw ? gw - 1 : x1;
				step = 1;
			} else {
				xa = x0;
				xb = x1;
				step = x1 > x0 ? x1 - x0 : 1;
			}
			for (xx = xa; xx <= xb; xx += step) {
				double d2;

				if (xx < 0 || xx >= gw)
					continue;
				d2 = cell_d2(g, xx, yy, px, py);
				if (d2 > bestd2 || d2 > max2)
					continue;
				snap_cell(g, (size_t)yy * g->gw + (size_t)xx,
					  px, py, &bestd2, &bestt, &bests);
			}
		}
	}
	if (bests >= 0 && sqrt(bestd2) <= max_m) {
		o->seg = (int32_t)bests;
		o->t = bestt;
		o->off_m = sqrt(bestd2);
	}
}

/* Many places are worked through in this order (by key), so that
 * neighbours on the ground come one after another and find the grid
 * cells, segments and labels they read already in the cache. */
#define NET_SORT_MIN 65536

/* The indices 0 .. n-1 ordered by key[i] < nkeys (a counting sort). */
static uint32_t *order_by(const uint32_t *key, size_t n, size_t nkeys)
{
	uint32_t *cnt = xcalloc(nkeys + 1, sizeof *cnt);
	uint32_t *ord = xmalloc(n * sizeof *ord);
	size_t i;

	for (i = 0; i < n; i++)
		cnt[key[i] + 1]++;
	for (i = 0; i < nkeys; i++)
		cnt[i + 1] += cnt[i];
	for (i = 0; i < n; i++)
		ord[cnt[key[i]]++] = (uint32_t)i;
	free(cnt);
	return ord;
}

struct snap_job {
	const struct geo_net *g;
	const double *x, *y;
	double max_m;
	struct geo_snap *out;
	const uint32_t *ord; /* NULL: in index order */
	size_t miss[GEO_PAR_MAX];
};

static void snap_range(void *ctx, size_t begin, size_t end, int worker)
{
	struct snap_job *j = ctx;
	size_t k;

	for (k = begin; k < end; k++) {
		size_t i = j->ord ? j->ord[k] : k;

		snap_one(j->g, j->x[i], j->y[i], j->max_m, &j->out[i]);
		if (j->out[i].seg < 0)
			j->miss[worker]++;
	}
}

/* The grid cell nearest each place (NaN: cell 0). */
static uint32_t *place_cells(const struct geo_net *g, const double *x,
			     const double *y, size_t n)
{
	uint32_t *key = xmalloc(n * sizeof *key);
	size_t i;

	for (i = 0; i < n; i++) {
		double fx = floor((x[i] - g->gx0) / g->cs);
		double fy = floor((y[i] - g->gy0) / g->cs);

		if (!(fx >= 0))
			fx = 0;
		if (!(fy >= 0))
			fy = 0;
		if (fx > (double)(g->gw - 1))
			fx = (double)(g->gw - 1);
		if (fy > (double)(g->gh - 1))
			fy = (double)(g->gh - 1);
		key[i] = (uint32_t)((size_t)fy * g->gw + (size_t)fx);
	}
	return key;
}

size_t geo_net_snap(const struct geo_net *net, const double *x, const double *y,
		    size_t n, double max_m, struct geo_snap *out)
{
	struct snap_job j;
	size_t miss = 0;
	int i;

	memset(&j, 0, sizeof j);
	j.g = net;
	j.x = x;
	j.y = y;
	j.max_m = max_m;
	j.out = out;
	if (n >= NET_SORT_MIN && n < NOPE) {
		uint32_t *key = place_cells(net, x, y, n);

		j.ord = order_by(key, n, net->gw * net->gh);
		free(key);
	}
	geo_par_for(n, 0, snap_range, &j);
	free((void *)j.ord);
	for (i = 0; i < GEO_PAR_MAX; i++)
		miss += j.miss[i];
	return miss;
}

/* ---- searching -------------------------------------------------------- */

struct hent {
	double c;
	uint32_t v, s;
};

struct tent {
	uint32_t id;
	double t, off;
};

struct geo_net_targets {
	size_t n;	/* targets given (indices 0 .. n-1) */
	uint32_t *off;	/* [ns + 1]: entries on each segment */
	uint64_t *has;	/* [ns / 64 + 1]: bit set when a segment has any */
	struct tent *e; /* placed targets, by segment */
};

/* A node's label: st is 2 * ver when labelled in search ver, 2 * ver + 1
 * once settled; anything else is left from an earlier search. */
struct nlab {
	double c, o;
	uint32_t src, st;
};

/* A place's label at an interior node: chain k, position p. */
struct ioff {
	uint32_t k, p, src;
	double c, o;
};

struct geo_net_search {
	const struct geo_net *g;
	uint32_t ver;
	struct nlab *lab;
	/* chains: touched in this search (chver[k] == ver), the places'
	 * labels at interior nodes, a chain's labels from its x_0 */
	uint32_t *chver, *chl;
	size_t nchl;
	struct ioff *io;
	size_t nio, capio;
	struct nlab *left;
	struct hent *heap;
	size_t nheap, capheap;
	/* geo_net_reach: the best so far per target */
	uint32_t tver;
	size_t tcap, ntl;
	uint32_t *tseen, *tlist;
	double *tcost, *tother;
};

/* A (cost, other) pair: other is metres when minimising time, seconds
 * when minimising length. */
struct co {
	double c, o;
};

static struct geo_net_cost to_cost(enum geo_net_weight w, struct co v)
{
	struct geo_net_cost r;

	r.cost = v.c;
	r.secs = w == GEO_NET_TIME ? v.c : v.o;
	r.metres = w == GEO_NET_TIME ? v.o : v.c;
	return r;
}

/* The access leg of a place off_m from the road. */
static inline struct co leg(const struct geo_net *g, enum geo_net_weight w,
			    double off_m)
{
	struct co r;
	double secs = off_m / geo_net_access_mps(g->mode);

	r.c = w == GEO_NET_TIME ? secs : off_m;
	r.o = w == GEO_NET_TIME ? off_m : secs;
	return r;
}

/* Moving along segment s from t0 to t1: 0 when that way is not allowed. */
static inline int along(const struct geo_net *g, enum geo_net_weight w,
			size_t s, double t0, double t1, struct co *r)
{
	double f, secs;

	if (t1 > t0) {
		if (isinf(g->seg[s].ab))
			return 0;
		f = t1 - t0;
		secs = g->seg[s].ab;
	} else if (t1 < t0) {
		if (isinf(g->seg[s].ba))
			return 0;
		f = t0 - t1;
		secs = g->seg[s].ba;
	} else {
		r->c = r->o = 0;
		return 1;
	}
	r->c = f * (w == GEO_NET_TIME ? secs : (double)g->seg[s].len);
	r->o = f * (w == GEO_NET_TIME ? (double)g->seg[s].len : secs);
	return 1;
}

struct geo_net_search *geo_net_search_new(const struct geo_net *net)
{
	struct geo_net_search *s = xcalloc(1, sizeof *s);
	size_t n = net->nn;

	s->g = net;
	s->lab = xcalloc(n ? n : 1, sizeof *s->lab);
	s->chver = xcalloc(net->nch ? net->nch : 1, sizeof *s->chver);
	s->chl = xmalloc((net->nch ? net->nch : 1) * sizeof *s->chl);
	s->left = xmalloc((net->maxlen + 1) * sizeof *s->left);
	return s;
}

void geo_net_search_free(struct geo_net_search *s)
{
	if (!s)
		return;
	free(s->lab);
	free(s->chver);
	free(s->chl);
	free(s->io);
	free(s->left);
	free(s->heap);
	free(s->tseen);
	free(s->tlist);
	free(s->tcost);
	free(s->tother);
	free(s);
}

/* A new search: every node unlabelled, the heap empty. */
static void search_reset(struct geo_net_search *s)
{
	if (++s->ver >= UINT32_MAX / 2) {
		memset(s->lab, 0, s->g->nn * sizeof *s->lab);
		memset(s->chver, 0, s->g->nch * sizeof *s->chver);
		s->ver = 1;
	}
	s->nheap = 0;
	s->nio = 0;
	s->nchl = 0;
}

static int hless(const struct hent *a, const struct hent *b)
{
	return a->c < b->c || (a->c == b->c && a->s < b->s);
}

static void hpush(struct geo_net_search *s, double c, uint32_t v, uint32_t src)
{
	struct hent e = {c, v, src};
	size_t i;

	if (s->nheap == s->capheap)
		xgrow((void **)&s->heap, &s->capheap, s->nheap + 1,
		      sizeof *s->heap);
	i = s->nheap++;
	while (i > 0) {
		size_t p = (i - 1) / 4;

		if (!hless(&e, &s->heap[p]))
			break;
		s->heap[i] = s->heap[p];
		i = p;
	}
	s->heap[i] = e;
}

static struct hent hpop(struct geo_net_search *s)
{
	struct hent top = s->heap[0], e = s->heap[--s->nheap];
	size_t i = 0, n = s->nheap;

	for (;;) {
		size_t c = 4 * i + 1, k, m;

		if (c >= n)
			break;
		m = c;
		for (k = c + 1; k < c + 4 && k < n; k++)
			if (hless(&s->heap[k], &s->heap[m]))
				m = k;
		if (!hless(&s->heap[m], &e))
			break;
		s->heap[i] = s->heap[m];
		i = m;
	}
	if (n)
		s->heap[i] = e;
	return top;
}

/* Offer node v the label (c, o) from source src. */
static void relax(struct geo_net_search *s, uint32_t v, double c, double o,
		  uint32_t src, double limit)
{
	struct nlab *l = &s->lab[v];

	if (!(c <= limit))
		return;
	if (l->st == 2 * s->ver + 1)
		return;
	if (l->st == 2 * s->ver && !(c < l->c || (c == l->c && src < l->src)))
		return;
	l->st = 2 * s->ver;
	l->c = c;
	l->o = o;
	l->src = src;
	hpush(s, c, v, src);
}

/* The cost of moving one segment along chain k in the search: from x_p to
 * x_{p+1} (fwd) or from x_{p+1} to x_p; travel runs the other way on the
 * reverse graph (rev).  0 when the segment may not be used that way. */
static inline int chain_step(const struct ccost *cc, int bytime, int rev,
			     int fwd, double *c, double *o)
{
	float secs = (fwd != 0) != (rev != 0) ? cc->fw : cc->bw;

	if (isinf(secs))
		return 0;
	*c = bytime ? secs : cc->len;
	*o = bytime ? cc->len : secs;
	return 1;
}

/* (c, s) before (c2, s2): the least cost, then the lowest source. */
static inline int lex_less(double c, uint32_t s, double c2, uint32_t s2)
{
	return c < c2 || (c == c2 && s < s2);
}

/* Walk a chain (its costs cc[0 .. L-1]) from position p (cost c, o,
 * source src) towards end (0: x_0, 1: x_L) and offer the junction there,
 * far, unless a segment on the way may not be used or the cost passes
 * limit. */
static void walk_chain(struct geo_net_search *s, int bytime, int rev,
		       const struct ccost *cc, uint32_t L, uint32_t p, double c,
		       double o, uint32_t src, int end, uint32_t far,
		       double limit)
{
	double sc, so;

	if (end) {
		for (; p < L; p++) {
			if (!chain_step(&cc[p], bytime, rev, 1, &sc, &so))
				return;
			c += sc;
			o += so;
			if (!(c <= limit))
				return;
		}
	} else {
		for (; p > 0; p--) {
			if (!chain_step(&cc[p - 1], bytime, rev, 0, &sc, &so))
				return;
			c += sc;
			o += so;
			if (!(c <= limit))
				return;
		}
	}
	relax(s, far, c, o, src, limit);
}

/* Chain k's first time in this search: remember it (geo_net_reach fills
 * and scans the chains it touched only). */
static inline void touch(struct geo_net_search *s, uint32_t k)
{
	if (s->chver[k] != s->ver) {
		s->chver[k] = s->ver;
		s->chl[s->nchl++] = k;
	}
}

/* A place's label at node v (from seed): a junction is offered as usual;
 * an interior node is kept for fill_chain and walked to both its chain's
 * junctions. */
static void offer_node(struct geo_net_search *s, int bytime, int rev,
		       uint32_t v, double c, double o, uint32_t src,
		       double limit)
{
	const struct geo_net *g = s->g;
	uint32_t k, p;
	struct ioff *e;

	if (!(c <= limit))
		return;
	if (g->junc[v]) {
		relax(s, v, c, o, src, limit);
		return;
	}
	k = g->node_ch[v];
	p = g->node_pos[v];
	if (s->nio == s->capio)
		xgrow((void **)&s->io, &s->capio, s->nio + 1, sizeof *s->io);
	e = &s->io[s->nio++];
	e->k = k;
	e->p = p;
	e->src = src;
	e->c = c;
	e->o = o;
	touch(s, k);
	{
		const struct ccost *cc = g->ch_cost + g->ch_off[k];
		uint32_t L = g->ch_off[k + 1] - g->ch_off[k];
		const uint32_t *nd = g->ch_node + g->ch_off[k] + k;

		walk_chain(s, bytime, rev, cc, L, p, c, o, src, 0, nd[0],
			   limit);
		walk_chain(s, bytime, rev, cc, L, p, c, o, src, 1, nd[L],
			   limit);
	}
}

static int ioff_cmp(const void *pa, const void *pb)
{
	const struct ioff *a = pa, *b = pb;

	if (a->k != b->k)
		return a->k < b->k ? -1 : 1;
	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	if (a->c != b->c)
		return a->c < b->c ? -1 : 1;
	return a->src < b->src ? -1 : a->src > b->src;
}

/* The labels of chain k's interior nodes from its junctions' labels and
 * the places on it (io[i0 .. i1-1], sorted by position): the least of
 * what arrives from either side, as a Dijkstra over every node would
 * leave it. */
static void fill_chain(struct geo_net_search *s, int bytime, int rev,
		       uint32_t k, size_t i0, size_t i1, double limit)
{
	const struct geo_net *g = s->g;
	uint32_t L = g->ch_off[k + 1] - g->ch_off[k], p;
	const struct ccost *cc = g->ch_cost + g->ch_off[k];
	const uint32_t *nd = g->ch_node + g->ch_off[k] + k;
	struct nlab cur, *lf = s->left;
	uint32_t done = 2 * s->ver + 1;
	size_t i;
	double sc, so;

	if (L < 2)
		return;
	/* from x_0 */
	cur.c = INFINITY;
	cur.o = INFINITY;
	cur.src = NOPE;
	if (s->lab[nd[0]].st == done)
		cur = s->lab[nd[0]];
	for (p = 1, i = i0; p < L; p++) {
		if (cur.c < INFINITY) {
			if (chain_step(&cc[p - 1], bytime, rev, 1, &sc, &so) &&
			    cur.c + sc <= limit) {
				cur.c += sc;
				cur.o += so;
			} else {
				cur.c = cur.o = INFINITY;
				cur.src = NOPE;
			}
		}
		for (; i < i1 && s->io[i].p == p; i++)
			if (lex_less(s->io[i].c, s->io[i].src, cur.c,
				     cur.src)) {
				cur.c = s->io[i].c;
				cur.o = s->io[i].o;
				cur.src = s->io[i].src;
			}
		lf[p] = cur;
	}
	/* from x_L, and the least of both */
	cur.c = INFINITY;
	cur.o = INFINITY;
	cur.src = NOPE;
	if (s->lab[nd[L]].st == done)
		cur = s->lab[nd[L]];
	i = i1;
	for (p = L - 1; p >= 1; p--) {
		struct nlab *l = &s->lab[nd[p]];

		if (cur.c < INFINITY) {
			if (chain_step(&cc[p], bytime, rev, 0, &sc, &so) &&
			    cur.c + sc <= limit) {
				cur.c += sc;
				cur.o += so;
			} else {
				cur.c = cur.o = INFINITY;
				cur.src = NOPE;
			}
		}
		for (; i > i0 && s->io[i - 1].p == p; i--)
			if (lex_less(s->io[i - 1].c, s->io[i - 1].src, cur.c,
				     cur.src)) {
				cur.c = s->io[i - 1].c;
				cur.o = s->io[i - 1].o;
				cur.src = s->io[i - 1].src;
			}
		if (lex_less(cur.c, cur.src, lf[p].c, lf[p].src)) {
			if (cur.c < INFINITY) {
				l->c = cur.c;
				l->o = cur.o;
				l->src = cur.src;
				l->st = done;
			}
		} else if (lf[p].c < INFINITY) {
			l->c = lf[p].c;
			l->o = lf[p].o;
			l->src = lf[p].src;
			l->st = done;
		}
	}
}

/* Fill the chains: every chain (all), else those the search touched. */
static void fill_chains(struct geo_net_search *s, int bytime, int rev,
			double limit, int all)
{
	const struct geo_net *g = s->g;
	size_t i = 0, j, n = all ? g->nch : s->nchl;

	if (s->nio > 1)
		qsort(s->io, s->nio, sizeof *s->io, ioff_cmp);
	for (j = 0; j < n; j++) {
		uint32_t k = all ? (uint32_t)j : s->chl[j];
		size_t i0, i1;

		if (!all) {
			/* few places on few chains: find k's */
			i = 0;
			while (i < s->nio && s->io[i].k < k)
				i++;
		} else {
			while (i < s->nio && s->io[i].k < k)
				i++;
		}
		i0 = i;
		i1 = i0;
		while (i1 < s->nio && s->io[i1].k == k)
			i1++;
		fill_chain(s, bytime, rev, k, i0, i1, limit);
	}
}

/* Seed the search with a place: the labels of its segment's ends.  rev:
 * the search runs on the reverse graph (paths end at the place). */
static void seed(struct geo_net_search *s, enum geo_net_weight w, int rev,
		 const struct geo_snap *p, uint32_t src, double limit)
{
	const struct geo_net *g = s->g;
	struct co l = leg(g, w, p->off_m), m;
	size_t sg = (size_t)p->seg;
	int bytime = w == GEO_NET_TIME;

	if (rev ? along(g, w, sg, 0, p->t, &m) : along(g, w, sg, p->t, 0, &m))
		offer_node(s, bytime, rev, g->seg[sg].a, l.c + m.c, l.o + m.o,
			   src, limit);
	if (rev ? along(g, w, sg, 1, p->t, &m) : along(g, w, sg, p->t, 1, &m))
		offer_node(s, bytime, rev, g->seg[sg].b, l.c + m.c, l.o + m.o,
			   src, limit);
}

/* A target reached at (c, o): keep the least. */
static void offer(struct geo_net_search *s, uint32_t k, double c, double o)
{
	if (s->tseen[k] != s->tver) {
		s->tseen[k] = s->tver;
		s->tlist[s->ntl++] = k;
	} else if (!(c < s->tcost[k])) {
		return;
	}
	s->tcost[k] = c;
	s->tother[k] = o;
}

/* The targets on segment sg, reached through its end u (settled). */
static void scan_seg(struct geo_net_search *s, const struct geo_net_targets *tg,
		     enum geo_net_weight w, int rev, uint32_t u, size_t sg)
{
	const struct geo_net *g = s->g;
	double tu = g->seg[sg].a == u ? 0 : 1;
	size_t k;

	for (k = tg->off[sg]; k < tg->off[sg + 1]; k++) {
		const struct tent *e = &tg->e[k];
		struct co m, l;

		if (!(rev ? along(g, w, sg, e->t, tu, &m)
			  : along(g, w, sg, tu, e->t, &m)))
			continue;
		l = leg(g, w, e->off);
		offer(s, e->id, s->lab[u].c + m.c + l.c,
		      s->lab[u].o + m.o + l.o);
	}
}

/* The targets on the segments of the chains the search touched, from
 * each settled end of each segment. */
static void scan_chains(struct geo_net_search *s,
			const struct geo_net_targets *tg, enum geo_net_weight w,
			int rev)
{
	const struct geo_net *g = s->g;
	uint32_t done = 2 * s->ver + 1;
	size_t j;

	for (j = 0; j < s->nchl; j++) {
		uint32_t k = s->chl[j], p;
		uint32_t L = g->ch_off[k + 1] - g->ch_off[k];
		const uint32_t *cs = g->ch_seg + g->ch_off[k];
		const uint32_t *nd = g->ch_node + g->ch_off[k] + k;

		for (p = 0; p < L; p++) {
			size_t sg = cs[p] >> 1;

			if (!(tg->has[sg >> 6] >> (sg & 63) & 1))
				continue;
			if (s->lab[nd[p]].st == done)
				scan_seg(s, tg, w, rev, nd[p], sg);
			if (s->lab[nd[p + 1]].st == done)
				scan_seg(s, tg, w, rev, nd[p + 1], sg);
		}
	}
}

/* Dijkstra over the junctions from the seeded labels, up to limit, each
 * settled junction walking its chains; then the interior labels (every
 * chain's when all, else the touched chains'). */
static void run(struct geo_net_search *s, enum geo_net_weight w, int rev,
		double limit, int all)
{
	const struct geo_net *g = s->g;
	int bytime = w == GEO_NET_TIME;

	while (s->nheap) {
		struct hent e = hpop(s);
		uint32_t v = e.v, j;
		double o;

		if (e.c > limit)
			break;
		if (s->lab[v].st != 2 * s->ver || e.c != s->lab[v].c ||
		    e.s != s->lab[v].src)
			continue;
		s->lab[v].st = 2 * s->ver + 1;
		o = s->lab[v].o;
		for (j = g->j_off[v]; j < g->j_off[v + 1]; j++) {
			const struct jent *je = &g->j_ch[j];
			int to_end = !(je->kend & 1);

			if (!all)
				touch(s, je->kend >> 1);
			/* a settled end takes no better label */
			if (s->lab[je->far].st == 2 * s->ver + 1)
				continue;
			walk_chain(s, bytime, rev, g->ch_cost + je->off,
				   je->len, to_end ? 0 : je->len, e.c, o, e.s,
				   to_end, je->far, limit);
		}
	}
	fill_chains(s, bytime, rev, limit, all);
}

/* The label of a settled node, or 0. */
static int label(const struct geo_net_search *s, uint32_t v, struct co *r,
		 uint32_t *src)
{
	const struct nlab *l = &s->lab[v];

	if (l->st != 2 * s->ver + 1)
		return 0;
	r->c = l->c;
	r->o = l->o;
	*src = l->src;
	return 1;
}

struct geo_net_targets *geo_net_targets_new(const struct geo_net *net, size_t n,
					    const struct geo_snap *t)
{
	struct geo_net_targets *tg = xcalloc(1, sizeof *tg);
	size_t i, ne = 0;
	uint32_t *pos;

	tg->n = n;
	tg->off = xcalloc(net->ns + 1, sizeof *tg->off);
	tg->has = xcalloc(net->ns / 64 + 1, sizeof *tg->has);
	for (i = 0; i < n; i++)
		if (t[i].seg >= 0 && (size_t)t[i].seg < net->ns) {
			tg->off[t[i].seg + 1]++;
			tg->has[t[i].seg >> 6] |= (uint64_t)1
						  << (t[i].seg & 63);
			ne++;
		}
	for (i = 0; i < net->ns; i++)
		tg->off[i + 1] += tg->off[i];
	tg->e = xmalloc((ne ? ne : 1) * sizeof *tg->e);
	pos = xmalloc((net->ns + 1) * sizeof *pos);
	memcpy(pos, tg->off, (net->ns + 1) * sizeof *pos);
	for (i = 0; i < n; i++)
		if (t[i].seg >= 0 && (size_t)t[i].seg < net->ns) {
			struct tent *e = &tg->e[pos[t[i].seg]++];

			e->id = (uint32_t)i;
			e->t = t[i].t;
			e->off = t[i].off_m;
		}
	free(pos);
	return tg;
}

void geo_net_targets_free(struct geo_net_targets *tg)
{
	if (!tg)
		return;
	free(tg->off);
	free(tg->has);
	free(tg->e);
	free(tg);
}

size_t geo_net_reach(struct geo_net_search *s, const struct geo_net_targets *tg,
		     enum geo_net_weight w, enum geo_net_dir dir,
		     const struct geo_snap *origin, double limit,
		     void (*fn)(void *ctx, size_t target,
				const struct geo_net_cost *c),
		     void *ctx)
{
	const struct geo_net *g = s->g;
	int rev = dir == GEO_NET_TO;
	size_t sg, k, hits = 0;
	struct co lo;

	if (!origin || origin->seg < 0 || (size_t)origin->seg >= g->ns)
		return 0;
	if (isnan(limit))
		limit = INFINITY;
	if (s->tcap < tg->n) {
		size_t cap = tg->n;

		free(s->tseen);
		free(s->tlist);
		free(s->tcost);
		free(s->tother);
		s->tseen = xcalloc(cap, sizeof *s->tseen);
		s->tlist = xmalloc(cap * sizeof *s->tlist);
		s->tcost = xmalloc(cap * sizeof *s->tcost);
		s->tother = xmalloc(cap * sizeof *s->tother);
		s->tcap = cap;
		s->tver = 0;
	}
	if (++s->tver == 0) {
		memset(s->tseen, 0, s->tcap * sizeof *s->tseen);
		s->tver = 1;
	}
	s->ntl = 0;
	search_reset(s);
	sg = (size_t)origin->seg;
	lo = leg(g, w, origin->off_m);
	for (k = tg->off[sg]; k < tg->off[sg + 1]; k++) {
		const struct tent *e = &tg->e[k];
		struct co m, l;

		if (!(rev ? along(g, w, sg, e->t, origin->t, &m)
			  : along(g, w, sg, origin->t, e->t, &m)))
			continue;
		l = leg(g, w, e->off);
		offer(s, e->id, lo.c + m.c + l.c, lo.o + m.o + l.o);
	}
	seed(s, w, rev, origin, 0, limit);
	run(s, w, rev, limit, 0);
	scan_chains(s, tg, w, rev);
	for (k = 0; k < s->ntl; k++) {
		uint32_t id = s->tlist[k];
		struct co v = {s->tcost[id], s->tother[id]};
		struct geo_net_cost c;

		if (!(v.c <= limit))
			continue;
		c = to_cost(w, v);
		fn(ctx, id, &c);
		hits++;
	}
	return hits;
}

/* Sources by segment, for places on the same segment as a source. */
struct srcseg {
	uint32_t seg, id;
};

static int srcseg_cmp(const void *pa, const void *pb)
{
	const struct srcseg *a = pa, *b = pb;

	if (a->seg != b->seg)
		return a->seg < b->seg ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

struct near_job {
	const struct geo_net_search *s;
	enum geo_net_weight w;
	const struct geo_snap *src, *dst;
	const struct srcseg *ss;
	const uint64_t *has; /* segments holding a source */
	size_t nss;
	double limit;
	size_t *which;
	struct geo_net_cost *out;
	const uint32_t *ord; /* NULL: in index order */
};

static void near_range(void *ctx, size_t begin, size_t end, int worker)
{
	const struct near_job *j = ctx;
	const struct geo_net *g = j->s->g;
	size_t k;

	(void)worker;
	for (k = begin; k < end; k++) {
		size_t i = j->ord ? j->ord[k] : k;
		const struct geo_snap *p = &j->dst[i];
		struct co best = {INFINITY, INFINITY}, lq, m, l;
		uint32_t bs = NOPE, src;
		size_t sg, lo, hi;

		if (p->seg < 0 || (size_t)p->seg >= g->ns) {
			j->which[i] = (size_t)-1;
			j->out[i].cost = j->out[i].secs = j->out[i].metres =
			    NAN;
			continue;
		}
		sg = (size_t)p->seg;
		lq = leg(g, j->w, p->off_m);
		if (along(g, j->w, sg, p->t, 0, &m) &&
		    label(j->s, g->seg[sg].a, &l, &src)) {
			best.c = lq.c + m.c + l.c;
			best.o = lq.o + m.o + l.o;
			bs = src;
		}
		if (along(g, j->w, sg, p->t, 1, &m) &&
		    label(j->s, g->seg[sg].b, &l, &src)) {
			double c = lq.c + m.c + l.c;

			if (c < best.c || (c == best.c && src < bs)) {
				best.c = c;
				best.o = lq.o + m.o + l.o;
				bs = src;
			}
		}
		/* Sources on the same segment: first of its run. */
		lo = hi = j->nss;
		if (j->has[sg >> 6] >> (sg & 63) & 1)
			lo = 0;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (j->ss[mid].seg < sg)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < j->nss && j->ss[lo].seg == sg; lo++) {
			const struct geo_snap *q = &j->src[j->ss[lo].id];
			double c;

			if (!along(g, j->w, sg, p->t, q->t, &m))
				continue;
			l = leg(g, j->w, q->off_m);
			c = lq.c + m.c + l.c;
			if (c < best.c || (c == best.c && j->ss[lo].id < bs)) {
				best.c = c;
				best.o = lq.o + m.o + l.o;
				bs = j->ss[lo].id;
			}
		}
		if (bs == NOPE || !(best.c <= j->limit)) {
			j->which[i] = (size_t)-1;
			j->out[i].cost = j->out[i].secs = j->out[i].metres =
			    INFINITY;
			continue;
		}
		j->which[i] = bs;
		j->out[i] = to_cost(j->w, best);
	}
}

int geo_net_nearest(const struct geo_net *net, enum geo_net_weight w,
		    size_t nsrc, const struct geo_snap *src, size_t n,
		    const struct geo_snap *dst, double limit, size_t *which,
		    struct geo_net_cost *out, struct core_err *err)
{
	struct geo_net_search *s;
	struct near_job j;
	struct srcseg *ss;
	uint64_t *has;
	size_t i, nss = 0;

	if (nsrc >= NOPE)
		return core_err_set(err, CORE_EUSAGE,
				    "road network: too many sources (%zu)",
				    nsrc);
	if (isnan(limit))
		limit = INFINITY;
	s = geo_net_search_new(net);
	search_reset(s);
	ss = xmalloc((nsrc ? nsrc : 1) * sizeof *ss);
	has = xcalloc(net->ns / 64 + 1, sizeof *has);
	for (i = 0; i < nsrc; i++) {
		if (src[i].seg < 0 || (size_t)src[i].seg >= net->ns)
			continue;
		seed(s, w, 1, &src[i], (uint32_t)i, limit);
		has[src[i].seg >> 6] |= (uint64_t)1 << (src[i].seg & 63);
		ss[nss].seg = (uint32_t)src[i].seg;
		ss[nss].id = (uint32_t)i;
		nss++;
	}
	qsort(ss, nss, sizeof *ss, srcseg_cmp);
	run(s, w, 1, limit, 1);
	j.s = s;
	j.w = w;
	j.src = src;
	j.dst = dst;
	j.ss = ss;
	j.has = has;
	j.nss = nss;
	j.limit = limit;
	j.which = which;
	j.out = out;
	j.ord = NULL;
	if (n >= NET_SORT_MIN && n < NOPE) {
		/* by segment: the segments are numbered along the ground */
		uint32_t *key = xmalloc(n * sizeof *key);

		for (i = 0; i < n; i++)
			key[i] = dst[i].seg >= 0 && (size_t)dst[i].seg < net->ns
				     ? (uint32_t)dst[i].seg
				     : 0;
		j.ord = order_by(key, n, net->ns);
		free(key);
	}
	geo_par_for(n, 0, near_range, &j);
	free((void *)j.ord);
	free(has);
	free(ss);
	geo_net_search_free(s);
	return CORE_OK;
}

int geo_net_node_costs(const struct geo_net *net, enum geo_net_weight w,
		       enum geo_net_dir dir, size_t nsrc,
		       const struct geo_snap *src, double limit,
		       double *node_cost, struct core_err *err)
{
	struct geo_net_search *s;
	int rev = dir == GEO_NET_TO;
	size_t i;

	if (nsrc >= NOPE)
		return core_err_set(err, CORE_EUSAGE,
				    "road network: too many origins (%zu)",
				    nsrc);
	if (isnan(limit))
		limit = INFINITY;
	s = geo_net_search_new(net);
	search_reset(s);
	for (i = 0; i < nsrc; i++)
		if (src[i].seg >= 0 && (size_t)src[i].seg < net->ns)
			seed(s, w, rev, &src[i], (uint32_t)i, limit);
	run(s, w, rev, limit, 1);
	for (i = 0; i < net->nn; i++)
		node_cost[i] =
		    s->lab[i].st == 2 * s->ver + 1 ? s->lab[i].c : INFINITY;
	geo_net_search_free(s);
	return CORE_OK;
}
