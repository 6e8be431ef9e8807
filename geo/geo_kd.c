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

#define LEAF 8
#define STACK 128 /* > 2 * depth of a balanced tree of 2^32 points */

struct node {
	double minx, miny, maxx, maxy;
	uint32_t lo, hi;       /* points lo .. hi - 1 */
	int32_t left, right;   /* children, -1 in a leaf */
};

struct geo_kd {
	size_t n;
	double *xy;            /* [2n] in tree order */
	uint32_t *idx;         /* [n] the caller's index of each */
	struct node *nodes;
	size_t nnodes, cap;
};

size_t geo_kd_size(const struct geo_kd *kd)
{
	return kd ? kd->n : 0;
}

/* Partial sort of points lo..hi-1 so that the k-th (by axis, then by
 * index for a total order) is in place: quickselect. */
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

static void select_kth(struct geo_kd *kd, uint32_t lo, uint32_t hi,
		       uint32_t k, int axis)
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
	free(kd->nodes);
	free(kd);
}

/* Squared distance from (qx, qy) to the nearest point of a node's box. */
static double box_min2(const struct node *nd, double qx, double qy)
{
	double dx = qx < nd->minx ? nd->minx - qx
		    : qx > nd->maxx ? qx - nd->maxx : 0;
	double dy = qy < nd->miny ? nd->miny - qy
		    : qy > nd->maxy ? qy - nd->maxy : 0;

	return dx * dx + dy * dy;
}

/* ... and to its farthest corner. */
static double box_max2(const struct node *nd, double qx, double qy)
{
	double dx = fmax(fabs(qx - nd->minx), fabs(qx - nd->maxx));
	double dy = fmax(fabs(qy - nd->miny), fabs(qy - nd->maxy));

	return dx * dx + dy * dy;
}

size_t geo_kd_nearest(const struct geo_kd *kd, double qx, double qy,
		      double *d)
{
	size_t best = (size_t)-1;
	double best2 = INFINITY;
	int32_t stack[STACK];
	int sp = 0;

	if (kd && kd->n)
		stack[sp++] = 0;
	while (sp) {
		const struct node *nd = &kd->nodes[stack[--sp]];

		if (box_min2(nd, qx, qy) > best2)
			continue;
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
			const struct node *l = &kd->nodes[nd->left];
			const struct node *r = &kd->nodes[nd->right];

			/* the nearer child is popped first */
			if (box_min2(l, qx, qy) <= box_min2(r, qx, qy)) {
				stack[sp++] = nd->right;
				stack[sp++] = nd->left;
			} else {
				stack[sp++] = nd->left;
				stack[sp++] = nd->right;
			}
		}
	}
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

				if (m == k && (e > d2[m - 1] ||
					       (e == d2[m - 1] &&
						id > idx[m - 1])))
					continue;
				/* insertion into the sorted list */
				j = m < k ? m++ : k - 1;
				while (j > 0 && (d2[j - 1] > e ||
						 (d2[j - 1] == e &&
						  idx[j - 1] > id))) {
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

size_t geo_kd_count_within(const struct geo_kd *kd, double qx, double qy,
			   double r)
{
	double r2 = r * r;
	int32_t stack[STACK];
	size_t count = 0;
	int sp = 0;

	if (kd && kd->n && r >= 0)
		stack[sp++] = 0;
	while (sp) {
		const struct node *nd = &kd->nodes[stack[--sp]];

		if (box_min2(nd, qx, qy) > r2)
			continue;
		if (box_max2(nd, qx, qy) < r2) {
			/* strictly inside: every point counts (a point on the
			 * circle is decided one by one, below) */
			count += nd->hi - nd->lo;
			continue;
		}
		if (nd->left < 0) {
			uint32_t i;

			for (i = nd->lo; i < nd->hi; i++) {
				double dx = kd->xy[2 * i] - qx;
				double dy = kd->xy[2 * i + 1] - qy;

				count += dx * dx + dy * dy <= r2;
			}
		} else {
			stack[sp++] = nd->left;
			stack[sp++] = nd->right;
		}
	}
	return count;
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
