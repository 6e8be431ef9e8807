/*
 * mutate_privacy.h - no-op stand-ins for the suppression functions of
 * core/core_privacy.h, for tests/torture/mutate_suppression.sh: it
 * renames one call to mut_* and includes this header, so that the
 * privacy sweep can show it notices that call's suppression is gone.
 */
#ifndef MUTATE_PRIVACY_H
#define MUTATE_PRIVACY_H

#include <stdio.h>

#include "core/core_privacy.h"

static inline int mut_is_small(int64_t n)
{
	(void)n;
	return 0;
}

static inline const char *mut_count(int64_t n, char *buf, size_t sz)
{
	snprintf(buf, sz, "%lld", (long long)n);
	return buf;
}

static inline const char *mut_count_grouped(int64_t n, char *buf, size_t sz)
{
	return mut_count(n, buf, sz);
}

static inline int mut_row(const int64_t *cells, size_t n, int total_shown,
			  enum core_privacy_mark *marks)
{
	size_t i;

	(void)cells;
	(void)total_shown;
	for (i = 0; i < n; i++)
		marks[i] = CORE_PRIVACY_SHOW;
	return 0;
}

static inline const char *mut_cell(int64_t n, enum core_privacy_mark mark,
				   int grouped, char *buf, size_t sz)
{
	(void)mark;
	(void)grouped;
	return mut_count(n, buf, sz);
}

#endif
