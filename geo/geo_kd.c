/*
 * geo_kd.c - a static 2-d tree.  See geo_kd.h.
 *
 * Points are copied, in tree order, into one interleaved array so that a
 * leaf's points sit together in memory; idx[] maps back to the caller's
 * positions.  Every node keeps its bounding box, which prunes better than
 * the splitting plane alone.  Splits are at the median of the wider
 * side, so the tree is balanced whatever the data; leaves hold up to
 * LEAF points.  Queries walk with an explicit stack.
 */
#include "geo/geo_kd.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "geo/geo_par.h"

#define LEAF  8
#define STACK 128 /* > 2 * depth of a balanced tree of 2^32 points */

struct node {
	double minx, miny, maxx, maxy;
	uint32_t lo, hi;     /* points lo .. hi - 1 */
	int32_t left, right; /* children, -1 in a leaf */
};

struct geo_kd {
	size_t n;
	double *xy;	 /* [2n] in tree order */
	uint32_t *idx;	 /* [n] the caller's index of each */
	double *px, *py; /* the caller's points, by the caller's index */
	struct node *nodes;
	size_t nnodes, cap;
};

size_t geo_kd_size(const struct geo_kd *kd)
{
	return kd ? kd->n : 0;
}

/* Whether tree position a comes before b along axis (0: x, 1: y), ties
 * broken by the caller's index, so that the order is total. */
static int before(const struct geo_kd *kd, uint32_t a, uint32_t b, int axis)
{
	double va = kd->xy[2 * a + axis], vb = kd->xy[2 * b + axis];

	return va < vb || (va == vb && kd->idx[a] < kd->idx[b]);
}

static void swap_pt(struct geo_kd *kd, uint32_t a, uint32_t b)
{
	double tx = kd->xy[2 * a], ty = kd->xy[2 * a + 1];
	uint32_t ti = kd->idx[a];

	kd->xy[2 * a] = kd->xy[2 * b];
	kd->xy[2 * a + 1] = kd->xy[2 * b + 1];
	kd->idx[a] = kd->idx[b];
	kd->xy[2 * b] = tx;
	kd->xy[2 * b + 1] = ty;
	kd->idx[b] = ti;
}

/* Partial sort of points lo..hi-1 so that the k-th (by axis, then by
 * index for a total order) is in place: quickselect. */
static void select_kth(struct geo_kd *kd, uint32_t lo, uint32_t hi, uint32_t k,
		       int axis)
{
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2, i, store;

		/* median of three as the pivot, moved to hi - 1 */
		if (before(kd, mid, lo, axis))
			swap_pt(kd, mid, lo);
		if (before(kd, hi - 1, lo, axis))
			swap_pt(kd, hi - 1, lo);
		if (before(kd, mid, hi - 1, axis))
			swap_pt(kd, mid, hi - 1);
		store = lo;
		for (i = lo; i < hi - 1; i++)
			if (before(kd, i, hi - 1, axis))
				swap_pt(kd, i, store++);
		swap_pt(kd, store, hi - 1);
		if (store == k)
			return;
		if (k < store)
			hi = store;
		else
			lo = store + 1;
	}
}

/*
 * Build the subtree over tree positions lo..hi-1, reordering those points
 * so that each child holds one half (split at the median along the wider
 * side of the box), and append its nodes to kd->nodes.  Returns the index
 * of the subtree's root node.
 */
static int32_t build(struct geo_kd *kd, uint32_t lo, uint32_t hi)
{
	struct node nd;
	int32_t id;
	uint32_t i;

	nd.minx = nd.miny = INFINITY;
	nd.maxx = nd.maxy = -INFINITY;
	for (i = lo; i < hi; i++) {
		double x = kd->xy[2 * i], y = kd->xy[2 * i + 1];

		if (x < nd.minx)
			nd.minx = x;
		if (x > nd.maxx)
			nd.maxx = x;
		if (y < nd.miny)
			nd.miny = y;
		if (y > nd.maxy)
			nd.maxy = y;
	}
	nd.lo = lo;
	nd.hi = hi;
	nd.left = nd.right = -1;
	if (kd->nnodes == kd->cap) {
		kd->cap = kd->cap ? 2 * kd->cap : 64;
		kd->nodes = xrealloc(kd->nodes, kd->cap * sizeof(*kd->nodes));
	}
	id = (int32_t)kd->nnodes++;
	if (hi - lo > LEAF) {
		uint32_t mid = lo + (hi - lo) / 2;
		int axis = (nd.maxy - nd.miny) > (nd.maxx - nd.minx);
		int32_t l, r;

		select_kth(kd, lo, hi, mid, axis);
		l = build(kd, lo, mid);
		r = build(kd, mid, hi);
		nd.left = l;
		nd.right = r;
	}
	kd->nodes[id] = nd;
	return id;
}

struct geo_kd *geo_kd_new(const double *x, const double *y, size_t n)
{
	struct geo_kd *kd = xcalloc(1, sizeof(*kd));
	size_t i, m = 0;

	if (n >= UINT32_MAX)
		abort(); /* four billion assets: not this tool */
	kd->xy = xmalloc(2 * (n ? n : 1) * sizeof(double));
	kd->idx = xmalloc((n ? n : 1) * sizeof(uint32_t));
	kd->px = xmalloc((n ? n : 1) * sizeof(double));
	kd->py = xmalloc((n ? n : 1) * sizeof(double));
	if (n) {
		memcpy(kd->px, x, n * sizeof(double));
		memcpy(kd->py, y, n * sizeof(double));
	}
	for (i = 0; i < n; i++) {
		if (isnan(x[i]) || isnan(y[i]))
			continue;
		kd->xy[2 * m] = x[i];
		kd->xy[2 * m + 1] = y[i];
		kd->idx[m] = (uint32_t)i;
		m++;
	}
	kd->n = m;
	if (m)
		build(kd, 0, (uint32_t)m);
	return kd;
}

void geo_kd_free(struct geo_kd *kd)
{
	if (!kd)
		return;
	free(kd->xy);
	free(kd->idx);
	free(kd->px);
	free(kd->py);
	free(kd->nodes);
	free(kd);
}

/* Squared distance from (qx, qy) to the nearest point of a node's box. */
static double box_min2(const struct node *nd, double qx, double qy)
{
	double dx = qx < nd->minx   ? nd->minx - qx
		    : qx > nd->maxx ? qx - nd->maxx
				    : 0;
	double dy = qy < nd->miny   ? nd->miny - qy
		    : qy > nd->maxy ? qy - nd->maxy
				    : 0;

	return dx * dx + dy * dy;
}

/* ... and to its farthest corner. */
static double box_max2(const struct node *nd, double qx, double qy)
{
	/* the farther side is the larger of these, whichever side of the
	 * box q is on */
	double dx =
	    qx - nd->minx > nd->maxx - qx ? qx - nd->minx : nd->maxx - qx;
	double dy =
	    qy - nd->miny > nd->maxy - qy ? qy - nd->miny : nd->maxy - qy;

	return dx * dx + dy * dy;
}

/* The nearest search, starting from a known candidate (best, best2):
 * any point's squared distance is a valid first bound, and a neighbour's
 * answer is a tight one.  Children are pushed with their box distance
 * so it is computed once. */
static size_t nearest_from(const struct geo_kd *kd, double qx, double qy,
			   size_t best, double *best2p)
{
	struct {
		int32_t id;
		double d2;
	} stack[STACK];
	double best2 = *best2p;
	int sp = 0;

	stack[sp].id = 0;
	stack[sp++].d2 = box_min2(&kd->nodes[0], qx, qy);
	while (sp) {
		const struct node *nd;

		sp--;
		if (stack[sp].d2 > best2)
			continue;
		nd = &kd->nodes[stack[sp].id];
		if (nd->left < 0) {
			uint32_t i;

			for (i = nd->lo; i < nd->hi; i++) {
				double dx = kd->xy[2 * i] - qx;
				double dy = kd->xy[2 * i + 1] - qy;
				double d2 = dx * dx + dy * dy;

				if (d2 < best2 ||
				    (d2 == best2 && kd->idx[i] < best)) {
					best2 = d2;
					best = kd->idx[i];
				}
			}
		} else {
			double dl = box_min2(&kd->nodes[nd->left], qx, qy);
			double dr = box_min2(&kd->nodes[nd->right], qx, qy);

			/* the nearer child is popped first */
			if (dl <= dr) {
				if (dr <= best2) {
					stack[sp].id = nd->right;
					stack[sp++].d2 = dr;
				}
				if (dl <= best2) {
					stack[sp].id = nd->left;
					stack[sp++].d2 = dl;
				}
			} else {
				if (dl <= best2) {
					stack[sp].id = nd->left;
					stack[sp++].d2 = dl;
				}
				if (dr <= best2) {
					stack[sp].id = nd->right;
					stack[sp++].d2 = dr;
				}
			}
		}
	}
	*best2p = best2;
	return best;
}

size_t geo_kd_nearest(const struct geo_kd *kd, double qx, double qy, double *d)
{
	size_t best = (size_t)-1;
	double best2 = INFINITY;

	if (kd && kd->n && !isnan(qx) && !isnan(qy))
		best = nearest_from(kd, qx, qy, best, &best2);
	if (d)
		*d = sqrt(best2);
	return best;
}

size_t geo_kd_knn(const struct geo_kd *kd, double qx, double qy, size_t k,
		  size_t *idx, double *dist)
{
	double *d2 = NULL, worst = INFINITY;
	int32_t stack[STACK];
	size_t m = 0, j;
	int sp = 0;

	if (!kd || !kd->n || k == 0)
		return 0;
	if (k == 1) {
		double d;

		idx[0] = geo_kd_nearest(kd, qx, qy, &d);
		if (dist)
			dist[0] = d;
		return 1;
	}
	d2 = xmalloc(k * sizeof(double));
	stack[sp++] = 0;
	while (sp) {
		const struct node *nd = &kd->nodes[stack[--sp]];

		if (m == k && box_min2(nd, qx, qy) > worst)
			continue;
		if (nd->left < 0) {
			uint32_t i;

			for (i = nd->lo; i < nd->hi; i++) {
				double dx = kd->xy[2 * i] - qx;
				double dy = kd->xy[2 * i + 1] - qy;
				double e = dx * dx + dy * dy;
				size_t id = kd->idx[i];

				if (m == k &&
				    (e > d2[m - 1] ||
				     (e == d2[m - 1] && id > idx[m - 1])))
					continue;
				/* insertion into the sorted list */
				j = m < k ? m++ : k - 1;
				while (j > 0 &&
				       (d2[j - 1] > e ||
					(d2[j - 1] == e && idx[j - 1] > id))) {
					d2[j] = d2[j - 1];
					idx[j] = idx[j - 1];
					j--;
				}
				d2[j] = e;
				idx[j] = id;
				if (m == k)
					worst = d2[m - 1];
			}
		} else {
			const struct node *l = &kd->nodes[nd->left];
			const struct node *r = &kd->nodes[nd->right];

			if (box_min2(l, qx, qy) <= box_min2(r, qx, qy)) {
				stack[sp++] = nd->right;
				stack[sp++] = nd->left;
			} else {
				stack[sp++] = nd->left;
				stack[sp++] = nd->right;
			}
		}
	}
	if (dist)
		for (j = 0; j < m; j++)
			dist[j] = sqrt(d2[j]);
	free(d2);
	return m;
}

/*
 * The weight of the points within r of (qx, qy): prefix sums (see
 * geo_kd_prefix_new) or, with prefix NULL, a count.  A node strictly
 * inside the circle counts whole; a point on the circle is decided one by
 * one.  Inlined into each caller, so the count has no weights to read.
 */
static inline __attribute__((always_inline)) double
within_sum(const struct geo_kd *kd, const double *prefix, double qx, double qy,
	   double r)
{
	double r2 = r * r, sum = 0;
	int32_t stack[STACK];
	int sp = 0;

	if (kd && kd->n && r >= 0 && !isnan(qx) && !isnan(qy))
		stack[sp++] = 0;
	while (sp) {
		const struct node *nd = &kd->nodes[stack[--sp]];

		if (box_min2(nd, qx, qy) > r2)
			continue;
		if (box_max2(nd, qx, qy) < r2) {
			sum += prefix ? prefix[nd->hi] - prefix[nd->lo]
				      : (double)(nd->hi - nd->lo);
			continue;
		}
		if (nd->left < 0) {
			uint32_t i;

			for (i = nd->lo; i < nd->hi; i++) {
				double dx = kd->xy[2 * i] - qx;
				double dy = kd->xy[2 * i + 1] - qy;

				if (dx * dx + dy * dy <= r2)
					sum +=
					    prefix ? prefix[kd->n + 1 + i] : 1;
			}
		} else {
			stack[sp++] = nd->left;
			stack[sp++] = nd->right;
		}
	}
	return sum;
}

size_t geo_kd_count_within(const struct geo_kd *kd, double qx, double qy,
			   double r)
{
	return (size_t)within_sum(kd, NULL, qx, qy, r);
}

double *geo_kd_prefix_new(const struct geo_kd *kd, const double *w)
{
	/* [0 .. n]: the prefix sums; [n + 1 .. 2n]: the weights in tree
	 * order, for the points of a leaf decided one by one */
	double *p = xmalloc((2 * kd->n + 1) * sizeof(double)), acc = 0;
	size_t i;

	p[0] = 0;
	for (i = 0; i < kd->n; i++) {
		p[kd->n + 1 + i] = w[kd->idx[i]];
		acc += w[kd->idx[i]];
		p[i + 1] = acc;
	}
	return p;
}

void geo_kd_prefix_free(double *prefix)
{
	free(prefix);
}

double geo_kd_sum_within(const struct geo_kd *kd, const double *prefix,
			 double qx, double qy, double r)
{
	return within_sum(kd, prefix, qx, qy, r);
}

void geo_kd_within(const struct geo_kd *kd, double qx, double qy, double r,
		   void (*fn)(void *ctx, size_t i, double d), void *ctx)
{
	double r2 = r * r;
	int32_t stack[STACK];
	int sp = 0;

	if (kd && kd->n && r >= 0)
		stack[sp++] = 0;
	while (sp) {
		const struct node *nd = &kd->nodes[stack[--sp]];

		if (box_min2(nd, qx, qy) > r2)
			continue;
		if (nd->left < 0) {
			uint32_t i;

			for (i = nd->lo; i < nd->hi; i++) {
				double dx = kd->xy[2 * i] - qx;
				double dy = kd->xy[2 * i + 1] - qy;
				double d2 = dx * dx + dy * dy;

				if (d2 <= r2)
					fn(ctx, kd->idx[i], sqrt(d2));
			}
		} else {
			stack[sp++] = nd->left;
			stack[sp++] = nd->right;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Batches */

/* Spread the low 16 bits of v to the even bits. */
static uint32_t spread16(uint32_t v)
{
	v &= 0xffff;
	v = (v | (v << 8)) & 0x00ff00ff;
	v = (v | (v << 4)) & 0x0f0f0f0f;
	v = (v | (v << 2)) & 0x33333333;
	v = (v | (v << 1)) & 0x55555555;
	return v;
}

uint32_t *geo_kd_order(const double *qx, const double *qy, size_t n)
{
	double minx = INFINITY, miny = INFINITY, maxx = -INFINITY,
	       maxy = -INFINITY, sx, sy;
	uint32_t *code, *tmpc, *ord, *tmpo;
	size_t i, cnt[256];
	int pass;

	if (n >= UINT32_MAX)
		abort();
	ord = xmalloc((n ? n : 1) * sizeof(uint32_t));
	for (i = 0; i < n; i++) {
		if (isnan(qx[i]) || isnan(qy[i]))
			continue;
		if (qx[i] < minx)
			minx = qx[i];
		if (qx[i] > maxx)
			maxx = qx[i];
		if (qy[i] < miny)
			miny = qy[i];
		if (qy[i] > maxy)
			maxy = qy[i];
	}
	sx = maxx > minx ? 65535.0 / (maxx - minx) : 0;
	sy = maxy > miny ? 65535.0 / (maxy - miny) : 0;
	code = xmalloc((n ? n : 1) * sizeof(uint32_t));
	tmpc = xmalloc((n ? n : 1) * sizeof(uint32_t));
	tmpo = xmalloc((n ? n : 1) * sizeof(uint32_t));
	for (i = 0; i < n; i++) {
		ord[i] = (uint32_t)i;
		if (isnan(qx[i]) || isnan(qy[i]))
			code[i] = UINT32_MAX;
		else
			code[i] = spread16((uint32_t)((qx[i] - minx) * sx)) |
				  spread16((uint32_t)((qy[i] - miny) * sy))
				      << 1;
	}
	/* Z-order by an LSD radix sort, 8 bits a pass; stable, so equal
	 * codes keep their index order. */
	for (pass = 0; pass < 4; pass++) {
		int shift = 8 * pass;
		size_t sum = 0;
		uint32_t *t;

		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < n; i++)
			cnt[(code[i] >> shift) & 0xff]++;
		for (i = 0; i < 256; i++) {
			size_t c = cnt[i];

			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++) {
			size_t to = cnt[(code[i] >> shift) & 0xff]++;

			tmpc[to] = code[i];
			tmpo[to] = ord[i];
		}
		t = code;
		code = tmpc;
		tmpc = t;
		t = ord;
		ord = tmpo;
		tmpo = t;
	}
	free(code);
	free(tmpc);
	free(tmpo);
	return ord;
}

void geo_kd_permute(const void *in, void *out, size_t size, size_t n,
		    const uint32_t *order)
{
	const char *src = in;
	char *dst = out;
	size_t k;

	if (size == 8) {
		for (k = 0; k < n; k++)
			memcpy(dst + 8 * k, src + 8 * (size_t)order[k], 8);
		return;
	}
	for (k = 0; k < n; k++)
		memcpy(dst + size * k, src + size * (size_t)order[k], size);
}

struct batch {
	const struct geo_kd *kd;
	const double *qx, *qy;
	const uint32_t *order;
	double r;
	size_t *idx;
	double *dist;
	size_t *count;
};

/*
 * Batch nearest, a block of queries at a time.  Consecutive queries are
 * close together (the callers put them in spatial order), so a block of
 * NN_BLOCK of them shares its candidates: with c the centre of the
 * block's bounding box, h its half-diagonal and d the distance from c to
 * its nearest point, every query p of the block has its nearest (and
 * every point tied with it) within d + h of p, so within d + 2h of c.
 * Those few candidates are then compared with each query directly, in
 * the same arithmetic and with the same tie rule (the smaller caller's
 * index) as nearest_from, so the answers are the same.  A block whose
 * candidates are too many (sparse points, a block spread wide) answers
 * its queries one by one.
 */
#define NN_BLOCK 16
#define NN_CAND	 192

/* Tree positions of the points within r2 (squared) of q, into out;
 * (size_t)-1 when there are more than max. */
static size_t collect_within(const struct geo_kd *kd, double qx, double qy,
			     double r2, uint32_t *out, size_t max)
{
	int32_t stack[STACK];
	size_t n = 0;
	int sp = 0;

	stack[sp++] = 0;
	while (sp) {
		const struct node *nd = &kd->nodes[stack[--sp]];
		uint32_t i;

		if (box_min2(nd, qx, qy) > r2)
			continue;
		if (nd->left < 0 || box_max2(nd, qx, qy) <= r2) {
			if (n + (nd->hi - nd->lo) > max)
				return (size_t)-1;
			for (i = nd->lo; i < nd->hi; i++)
				out[n++] = i;
		} else {
			stack[sp++] = nd->left;
			stack[sp++] = nd->right;
		}
	}
	return n;
}

static void nearest_one(const struct batch *B, size_t i, size_t *prev)
{
	const struct geo_kd *kd = B->kd;
	double qx = B->qx[i], qy = B->qy[i], best2 = INFINITY;
	size_t best = (size_t)-1;

	if (*prev != (size_t)-1) {
		/* the previous query's answer bounds this one */
		double dx = kd->px[*prev] - qx, dy = kd->py[*prev] - qy;

		best = *prev;
		best2 = dx * dx + dy * dy;
	}
	best = nearest_from(kd, qx, qy, best, &best2);
	B->idx[i] = best;
	if (B->dist)
		B->dist[i] = sqrt(best2);
	*prev = best;
}

/*
 * A geo_par_for worker for geo_kd_nearest_all: answers the queries at
 * visiting positions b..e-1 (ctx is the struct batch; the query at
 * position k is order[k], or k when order is NULL), writing each one's
 * nearest index into idx[] and its distance into dist[] (when not NULL),
 * NN_BLOCK queries at a time as the comment above says.  Queries with a
 * NaN coordinate, or any query of an empty tree, get (size_t)-1.
 */
static void nearest_range(void *ctx, size_t b, size_t e, int worker)
{
	const struct batch *B = ctx;
	const struct geo_kd *kd = B->kd;
	uint32_t cand[NN_CAND];
	double cxy[2 * NN_CAND], cd2[NN_CAND];
	size_t prev = (size_t)-1, k0, k;

	(void)worker;
	for (k0 = b; k0 < e; k0 += NN_BLOCK) {
		size_t k1 = k0 + NN_BLOCK < e ? k0 + NN_BLOCK : e, nc = 0;
		double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY,
		       y1 = -INFINITY, cx, cy, h, d2 = INFINITY, r;
		size_t cbest = prev;
		int valid = 0;

		for (k = k0; k < k1; k++) {
			size_t i = B->order ? B->order[k] : k;
			double qx = B->qx[i], qy = B->qy[i];

			if (isnan(qx) || isnan(qy) || !kd->n) {
				B->idx[i] = (size_t)-1;
				if (B->dist)
					B->dist[i] = kd->n ? NAN : INFINITY;
				continue;
			}
			valid++;
			x0 = qx < x0 ? qx : x0;
			x1 = qx > x1 ? qx : x1;
			y0 = qy < y0 ? qy : y0;
			y1 = qy > y1 ? qy : y1;
		}
		if (!valid)
			continue;
		cx = (x0 + x1) / 2;
		cy = (y0 + y1) / 2;
		h = hypot(x1 - x0, y1 - y0) / 2;
		if (valid > 2 && isfinite(h)) {
			if (cbest != (size_t)-1) {
				double dx = kd->px[cbest] - cx,
				       dy = kd->py[cbest] - cy;
				d2 = dx * dx + dy * dy;
			}
			cbest = nearest_from(kd, cx, cy, cbest, &d2);
			/* the bound, with room for rounding */
			r = (sqrt(d2) + 2 * h) * (1 + 1e-9) + 1e-9;
			nc = collect_within(kd, cx, cy, r * r, cand, NN_CAND);
		}
		if (valid <= 2 || nc == 0 || nc == (size_t)-1) {
			for (k = k0; k < k1; k++) {
				size_t i = B->order ? B->order[k] : k;

				if (!isnan(B->qx[i]) && !isnan(B->qy[i]))
					nearest_one(B, i, &prev);
			}
			continue;
		}
		for (k = 0; k < nc; k++) {
			cxy[2 * k] = kd->xy[2 * cand[k]];
			cxy[2 * k + 1] = kd->xy[2 * cand[k] + 1];
		}
		for (k = k0; k < k1; k++) {
			size_t i = B->order ? B->order[k] : k,
			       best = (size_t)-1;
			double qx = B->qx[i], qy = B->qy[i], best2 = INFINITY;
			size_t c;

			if (isnan(qx) || isnan(qy))
				continue;
			/* the least distance, then the least index at it */
			for (c = 0; c < nc; c++) {
				double dx = cxy[2 * c] - qx;
				double dy = cxy[2 * c + 1] - qy;

				cd2[c] = dx * dx + dy * dy;
				best2 = cd2[c] < best2 ? cd2[c] : best2;
			}
			for (c = 0; c < nc; c++)
				if (cd2[c] == best2 && kd->idx[cand[c]] < best)
					best = kd->idx[cand[c]];
			B->idx[i] = best;
			if (B->dist)
				B->dist[i] = sqrt(best2);
			prev = best;
		}
	}
}

void geo_kd_nearest_all(const struct geo_kd *kd, const double *qx,
			const double *qy, size_t n, const uint32_t *order,
			size_t *idx, double *dist)
{
	struct batch B = {kd, qx, qy, order, 0, idx, dist, NULL};

	geo_par_for(n, 4096, nearest_range, &B);
}

static void count_range(void *ctx, size_t b, size_t e, int worker)
{
	const struct batch *B = ctx;
	size_t k;

	(void)worker;
	for (k = b; k < e; k++) {
		size_t i = B->order ? B->order[k] : k;

		B->count[i] =
		    isnan(B->qx[i]) || isnan(B->qy[i])
			? 0
			: geo_kd_count_within(B->kd, B->qx[i], B->qy[i], B->r);
	}
}

void geo_kd_count_within_all(const struct geo_kd *kd, const double *qx,
			     const double *qy, size_t n, double r,
			     const uint32_t *order, size_t *count)
{
	struct batch B = {kd, qx, qy, order, r, NULL, NULL, count};

	geo_par_for(n, 4096, count_range, &B);
}
