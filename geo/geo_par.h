/*
 * geo_par.h - run a loop on every core.
 *
 * The analyses are loops over millions of independent points; geo_par_for
 * splits [0, n) into chunks handed out on demand to the worker threads
 * (the calling thread is worker 0).  The number of threads is the online
 * CPUs, or ASSETMAP_THREADS when set (1 runs everything on the calling
 * thread), never more than GEO_PAR_MAX.
 */
#ifndef GEO_PAR_H
#define GEO_PAR_H

#include <stddef.h>

#define GEO_PAR_MAX 64

/* How many workers geo_par_for will use. */
int geo_par_threads(void);

/*
 * Call fn(ctx, begin, end, worker) over consecutive ranges covering
 * [0, n) exactly once, chunk items at a time (0: a size chosen from n),
 * on geo_par_threads() workers; worker is 0 .. threads-1, so per-worker
 * scratch can be indexed by it.  Returns when all ranges are done.
 */
void geo_par_for(size_t n, size_t chunk,
		 void (*fn)(void *ctx, size_t begin, size_t end, int worker),
		 void *ctx);

#endif
