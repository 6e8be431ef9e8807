/*
 * geo_par.c - a parallel for over pthreads.  See geo_par.h.
 */
#include "geo/geo_par.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

int geo_par_threads(void)
{
	const char *e = getenv("ASSETMAP_THREADS");
	long n = 0;

	if (e && *e)
		n = strtol(e, NULL, 10);
	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	if (n > GEO_PAR_MAX)
		n = GEO_PAR_MAX;
	return (int)n;
}

struct job {
	size_t n, chunk;
	atomic_size_t next;
	void (*fn)(void *ctx, size_t begin, size_t end, int worker);
	void *ctx;
};

struct worker {
	struct job *job;
	int id;
};

static void run(struct job *j, int id)
{
	for (;;) {
		size_t b = atomic_fetch_add(&j->next, j->chunk);
		size_t e;

		if (b >= j->n)
			break;
		e = j->n - b < j->chunk ? j->n : b + j->chunk;
		j->fn(j->ctx, b, e, id);
	}
}

static void *thread_main(void *arg)
{
	struct worker *w = arg;

	run(w->job, w->id);
	return NULL;
}

void geo_par_for(size_t n, size_t chunk,
		 void (*fn)(void *ctx, size_t begin, size_t end, int worker),
		 void *ctx)
{
	struct job j;
	struct worker w[GEO_PAR_MAX];
	pthread_t th[GEO_PAR_MAX];
	int started[GEO_PAR_MAX] = {0};
	int nt = geo_par_threads(), i;

	if (n == 0)
		return;
	if (chunk == 0) {
		chunk = n / ((size_t)nt * 16);
		if (chunk < 256)
			chunk = 256;
	}
	if ((size_t)nt > (n + chunk - 1) / chunk)
		nt = (int)((n + chunk - 1) / chunk);
	j.n = n;
	j.chunk = chunk;
	atomic_init(&j.next, 0);
	j.fn = fn;
	j.ctx = ctx;
	for (i = 1; i < nt; i++) {
		w[i].job = &j;
		w[i].id = i;
		/* A thread that cannot start leaves its share to the rest. */
		started[i] =
		    pthread_create(&th[i], NULL, thread_main, &w[i]) == 0;
	}
	run(&j, 0);
	for (i = 1; i < nt; i++)
		if (started[i])
			pthread_join(th[i], NULL);
}
