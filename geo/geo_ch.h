/*
 * geo_ch.h - one-to-all searches on a road network for analyses that
 * search from thousands of places over most of the graph (2SFCA with a
 * 30-minute driving catchment): a contraction hierarchy built once, then
 * PHAST per origin (Delling, Goldberg, Nowatzyk and Werneck, "PHAST:
 * hardware-accelerated shortest path trees", 2011): a small Dijkstra
 * upward from the origin, then one sweep over every node from the most
 * important down, relaxing each node's few edges from above.  The sweep
 * reads memory in order and needs no heap, so one tree costs a fraction
 * of a Dijkstra over the same graph.
 *
 * The answers are geo_net_reach's costs (door to door: both access legs,
 * partial segments, one-way rules, two places on one segment), minimum
 * cost only: for each target the least cost within limit.  Costs are
 * sums of the same float segment costs in double, in another order: in
 * practice the same bits (such sums are exact), and never more than a
 * few units in the last place apart.
 *
 * Threads: a built struct geo_ch and struct geo_ch_targets are
 * read-only; each thread searches with its own struct geo_ch_query.
 * Every _free accepts NULL.
 */
#ifndef GEO_CH_H
#define GEO_CH_H

#include <stddef.h>

#include "geo/geo_net.h"

struct geo_ch;
struct geo_ch_targets;
struct geo_ch_query;

/* The hierarchy of net's graph under weight w (a few seconds for a
 * county's driving graph).  net must outlive it. */
struct geo_ch *geo_ch_build(const struct geo_net *net, enum geo_net_weight w);
void geo_ch_free(struct geo_ch *ch);

/* Shortcuts the hierarchy added (for tests and timing). */
size_t geo_ch_shortcuts(const struct geo_ch *ch);

/* n targets (t[i].seg < 0: not placed, never reached). */
struct geo_ch_targets *geo_ch_targets_new(const struct geo_ch *ch,
					  enum geo_net_dir dir, size_t n,
					  const struct geo_snap *t);
void geo_ch_targets_free(struct geo_ch_targets *tg);

struct geo_ch_query *geo_ch_query_new(const struct geo_ch *ch);
void geo_ch_query_free(struct geo_ch_query *q);

/*
 * Every target within limit of origin, as geo_net_reach with the same
 * dir (fixed by the targets): fn(ctx, target, cost) once per target
 * reached, in the targets' order by segment.  An origin not placed
 * reaches nothing.  Returns how many were reached.
 */
size_t geo_ch_reach(struct geo_ch_query *q, const struct geo_ch_targets *tg,
		    const struct geo_snap *origin, double limit,
		    void (*fn)(void *ctx, size_t target, double cost),
		    void *ctx);

#endif
