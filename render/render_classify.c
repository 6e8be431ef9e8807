/*
 * render_classify.c - quantile breaks, ties merged.
 */
#include "render/render_classify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int render_classify_quantile(const double *v, size_t n, int k,
			     struct render_classes *out,
			     struct core_err *err)
{
	double *s;
	size_t m = 0, i;
	int c, nb = 0;

	memset(out, 0, sizeof(*out));
	if (k < 1 || k > RENDER_CLASSES_MAX)
		return core_err_set(err, CORE_EUSAGE,
				    "%d classes asked for; give 1 to %d", k,
				    RENDER_CLASSES_MAX);
	s = xmalloc((n ? n : 1) * sizeof(double));
	for (i = 0; i < n; i++) {
		if (isfinite(v[i]))
			s[m++] = v[i];
		else
			out->nodata++;
	}
	if (m == 0)
		goto done;
	qsort(s, m, sizeof(double), cmp_double);
	for (c = 1; c < k; c++) {
		/* rank ceil(c * m / k), 1-based */
		size_t r = ((size_t)c * m + (size_t)k - 1) / (size_t)k;
		double b = s[r ? r - 1 : 0];

		if (b >= s[m - 1] || (nb > 0 && b <= out->upper[nb - 1]))
			continue;
		out->upper[nb++] = b;
	}
	out->upper[nb++] = s[m - 1];
	out->n = nb;
	for (c = 0; c < nb; c++) {
		out->lo[c] = HUGE_VAL;
		out->hi[c] = -HUGE_VAL;
	}
	for (i = 0; i < m; i++) {
		c = render_class_of(out, s[i]);
		out->count[c]++;
		if (s[i] < out->lo[c])
			out->lo[c] = s[i];
		if (s[i] > out->hi[c])
			out->hi[c] = s[i];
	}
done:
	free(s);
	return CORE_OK;
}

int render_class_of(const struct render_classes *c, double x)
{
	int i;

	if (!isfinite(x) || c->n <= 0)
		return -1;
	for (i = 0; i < c->n - 1; i++)
		if (x <= c->upper[i])
			return i;
	return c->n - 1;
}
