/*
 * geo_kd.h - a static 2-d tree over points in metres, built in bulk, for
 * the analyses' nearest-k and within-radius questions.
 *
 * Built once from arrays (copied), then read-only: any number of threads
 * may query one tree at the same time.  Distances are Euclidean in the
 * analysis CRS.  Two rules every caller and every brute-force reference
 * share:
 *   - ties: among points at the same distance, the smaller index (the
 *     position in the arrays given to geo_kd_new) comes first;
 *   - within: a point at exactly distance r is within r; the test is
 *     dx * dx + dy * dy <= r * r, computed in that order.
 *
 * Ownership: geo_kd_new returns a tree the caller frees with geo_kd_free
 * (which accepts NULL); geo_kd_prefix_new returns a table freed with
 * geo_kd_prefix_free; geo_kd_order returns an array the caller frees
 * with free().
 */
#ifndef GEO_KD_H
#define GEO_KD_H

#include <stddef.h>
#include <stdint.h>

struct geo_kd;

/* A tree over n points (n may be 0).  Points with a NaN coordinate are
 * left out and never found. */
struct geo_kd *geo_kd_new(const double *x, const double *y, size_t n);
void geo_kd_free(struct geo_kd *kd);

/* The number of points in the tree. */
size_t geo_kd_size(const struct geo_kd *kd);

/* The nearest point's index, and its distance in *d; (size_t)-1 and
 * d = +inf for an empty tree. */
size_t geo_kd_nearest(const struct geo_kd *kd, double qx, double qy, double *d);

/* The k nearest points, nearest first (ties by index) into idx[] and
 * dist[] (each of room k; dist may be NULL).  Returns how many: k, or
 * fewer when the tree is smaller. */
size_t geo_kd_knn(const struct geo_kd *kd, double qx, double qy, size_t k,
		  size_t *idx, double *dist);

/* How many points lie within r of (qx, qy). */
size_t geo_kd_count_within(const struct geo_kd *kd, double qx, double qy,
			   double r);

/*
 * Weighted counts: the sum of w[i] over the points i within r, where w
 * is given once as a prefix table in the tree's own order (made by
 * geo_kd_prefix_new from w[n], indexed by the caller's positions; the
 * caller frees it with geo_kd_prefix_free, which accepts NULL).  Whole subtrees
 * inside the circle are added from the table without visiting their points,
 * which makes this much faster than geo_kd_within for large radii.  The same
 * points count as in geo_kd_within; the order of the additions differs, so the
 * sum may differ from a point-by-point sum in the last bits.
 */
double *geo_kd_prefix_new(const struct geo_kd *kd, const double *w);
void geo_kd_prefix_free(double *prefix);
double geo_kd_sum_within(const struct geo_kd *kd, const double *prefix,
			 double qx, double qy, double r);

/* Call fn(ctx, index, distance) for every point within r, in no
 * particular order. */
void geo_kd_within(const struct geo_kd *kd, double qx, double qy, double r,
		   void (*fn)(void *ctx, size_t i, double d), void *ctx);

/*
 * Batch forms, for millions of queries: the same answers as the single
 * queries above, computed on every core (geo_par_for).  Queries are
 * visited in the order given by order[] (a permutation of 0 .. n-1), or
 * in index order when order is NULL, and each nearest search starts
 * from the answer of the query visited before it.
 *
 * Speed: visit the queries in spatial order.  Best, put the query
 * arrays themselves in that order once (geo_kd_order, then permute x, y
 * and ids; see geo_kd_permute) and pass order NULL: consecutive queries
 * then touch consecutive memory and neighbouring tree nodes, about twice
 * as fast as random order at a million points.  Passing geo_kd_order's
 * permutation without moving the arrays gains little.
 *
 * Query points with a NaN coordinate get idx (size_t)-1 and dist NaN
 * (+inf when the tree is empty), and count 0.
 */
/* The Z-order (Morton) permutation of the points: free() it. */
uint32_t *geo_kd_order(const double *qx, const double *qy, size_t n);

/* Permute an array of n values of size bytes each into the order:
 * out[k] = in[order[k]]. */
void geo_kd_permute(const void *in, void *out, size_t size, size_t n,
		    const uint32_t *order);

void geo_kd_nearest_all(const struct geo_kd *kd, const double *qx,
			const double *qy, size_t n, const uint32_t *order,
			size_t *idx, double *dist);

void geo_kd_count_within_all(const struct geo_kd *kd, const double *qx,
			     const double *qy, size_t n, double r,
			     const uint32_t *order, size_t *count);

#endif
