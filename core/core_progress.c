#include "core/core_progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int quiet;

void core_progress_set_quiet(int q)
{
	quiet = q;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void draw(struct core_progress *p)
{
	char bar[31];
	int i, fill;

	if (p->total > 0) {
		fill = (int)(30 * p->done / p->total);
		if (fill > 30)
			fill = 30;
		for (i = 0; i < 30; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[30] = '\0';
		fprintf(stderr, "\r%s [%s] %3d%% %lld/%lld", p->label, bar,
			(int)(100 * p->done / p->total), (long long)p->done,
			(long long)p->total);
	} else {
		fprintf(stderr, "\r%s %lld", p->label, (long long)p->done);
	}
	fflush(stderr);
}

void core_progress_start(struct core_progress *p, const char *label,
			 int64_t total)
{
	p->label = label;
	p->total = total;
	p->done = 0;
	p->enabled = !quiet && isatty(2);
	p->last = 0;
	if (p->enabled) {
		p->last = now();
		draw(p);
	}
}

void core_progress_tick(struct core_progress *p, int64_t done)
{
	double t;

	p->done = done;
	if (!p->enabled || (done & 255))
		return;
	t = now();
	if (t - p->last < 0.1)
		return;
	p->last = t;
	draw(p);
}

void core_progress_end(struct core_progress *p)
{
	if (!p->enabled)
		return;
	draw(p);
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	p->enabled = 0;
}

static double clock_s(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void core_lap(struct core_lap *l, const char *prefix, const char *what)
{
	static int on = -1;
	double t, cpu;

	if (on < 0) {
		const char *e = getenv("ASSETMAP_TIMING");
		on = e && *e && strcmp(e, "0") != 0;
	}
	if (!on)
		return;
	t = clock_s(CLOCK_MONOTONIC);
	cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	if (l->wall > 0 && what)
		fprintf(stderr, "timing: %s%-*s %.3f s (cpu %.3f s)\n", prefix,
			(int)(23 - strlen(prefix)), what, t - l->wall,
			cpu - l->cpu);
	l->wall = t;
	l->cpu = cpu;
}
