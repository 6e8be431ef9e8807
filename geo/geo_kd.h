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
 * (which accepts NULL).
 */
#ifndef GEO_KD_H
#define GEO_KD_H

#include <stddef.h>

struct geo_kd;

/* A tree over n points (n may be 0).  Points with a NaN coordinate are
 * left out and never found. */
struct geo_kd *geo_kd_new(const double *x, const double *y, size_t n);
void geo_kd_free(struct geo_kd *kd);

/* The number of points in the tree. */
size_t geo_kd_size(const struct geo_kd *kd);

/* The nearest point's index, and its distance in *d; (size_t)-1 and
 * d = +inf for an empty tree. */
size_t geo_kd_nearest(const struct geo_kd *kd, double qx, double qy,
		      double *d);

/* The k nearest points, nearest first (ties by index) into idx[] and
 * dist[] (each of room k; dist may be NULL).  Returns how many: k, or
 * fewer when the tree is smaller. */
size_t geo_kd_knn(const struct geo_kd *kd, double qx, double qy, size_t k,
		  size_t *idx, double *dist);

/* How many points lie within r of (qx, qy). */
size_t geo_kd_count_within(const struct geo_kd *kd, double qx, double qy,
			   double r);

/* Call fn(ctx, index, distance) for every point within r, in no
 * particular order. */
void geo_kd_within(const struct geo_kd *kd, double qx, double qy, double r,
		   void (*fn)(void *ctx, size_t i, double d), void *ctx);

#endif
