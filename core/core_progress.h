/*
 * core_progress.h - a progress bar on stderr for long work.
 *
 * Drawn only when stderr is a terminal and the user did not ask for
 * --quiet; redrawn at most ten times a second, so calling
 * core_progress_tick in a hot loop is cheap.
 */
#ifndef CORE_PROGRESS_H
#define CORE_PROGRESS_H

#include <stdint.h>

struct core_progress {
	const char *label;
	int64_t total; /* 0 when unknown: a counter instead of a bar */
	int64_t done;
	int enabled;
	double last; /* time of the last redraw */
};

/* Global switch set by the CLI's --quiet. */
void core_progress_set_quiet(int quiet);

void core_progress_start(struct core_progress *p, const char *label,
			 int64_t total);
void core_progress_tick(struct core_progress *p, int64_t done);
/* Clear the line. */
void core_progress_end(struct core_progress *p);

/*
 * ASSETMAP_TIMING=1 (anything but empty or 0): the time of each stage on
 * stderr, for the bench: "timing: PREFIX WHAT  0.123 s (cpu 0.200 s)",
 * wall and CPU time since the previous lap of the same clock l (zeroed
 * to start).  what NULL restarts the clock without printing.
 */
struct core_lap {
	double wall, cpu;
};
void core_lap(struct core_lap *l, const char *prefix, const char *what);

#endif
