/*
 * render_classify.c - class breaks for a choropleth: quantile, equal
 * interval, exact Fisher-Jenks, standard deviation and manual.
 *
 * Every method proposes inner breaks; finish() then applies the rules
 * the header states once (lower class on a break, no empty class, the
 * last class ends at the maximum) and counts.
 */
#include "render/render_classify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_mem.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The finite values of v, sorted, into a new array; *m their number. */
static double *sorted_finite(const double *v, size_t n, size_t *m,
			     struct render_classes *out)
{
	double *s = xmalloc((n ? n : 1) * sizeof(double));
	size_t i;

	*m = 0;
	for (i = 0; i < n; i++) {
		if (isfinite(v[i]))
			s[(*m)++] = v[i];
		else
			out->nodata++;
	}
	qsort(s, *m, sizeof(double), cmp_double);
	return s;
}

/* Number of s[0..m-1] <= x (s sorted). */
static size_t count_le(const double *s, size_t m, double x)
{
	size_t lo = 0, hi = m;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Turn candidate inner breaks b[0..nb-1] (any order, any values) into
 * out's classes over sorted s[0..m-1] (m > 0): a break whose class would
 * be empty is dropped, merging that class into the next, and the last
 * class ends at the maximum.  Also fills mean and sd.
 */
static void finish(const double *s, size_t m, double *b, int nb,
		   struct render_classes *out)
{
	size_t below = 0, i;
	double sum = 0, ss = 0;
	int c, n = 0;

	qsort(b, (size_t)nb, sizeof(double), cmp_double);
	for (c = 0; c < nb; c++) {
		size_t le;

		if (!(b[c] < s[m - 1]))
			break;
		le = count_le(s, m, b[c]);
		if (le == below)
			continue; /* empty: merge into the next class */
		out->upper[n] = b[c];
		out->count[n] = le - below;
		out->lo[n] = s[below];
		out->hi[n] = s[le - 1];
		below = le;
		n++;
	}
	out->upper[n] = s[m - 1];
	out->count[n] = m - below;
	out->lo[n] = s[below];
	out->hi[n] = s[m - 1];
	out->n = n + 1;

	for (i = 0; i < m; i++)
		sum += s[i];
	out->mean = sum / (double)m;
	for (i = 0; i < m; i++)
		ss += (s[i] - out->mean) * (s[i] - out->mean);
	out->sd = sqrt(ss / (double)m);
}

/* ---- quantile -------------------------------------------------------- */

static int breaks_quantile(const double *s, size_t m, int k, double *b)
{
	int c;

	for (c = 1; c < k; c++) {
		/* rank ceil(c * m / k), 1-based */
		size_t r = ((size_t)c * m + (size_t)k - 1) / (size_t)k;

		b[c - 1] = s[r ? r - 1 : 0];
	}
	return k - 1;
}

/* ---- equal interval -------------------------------------------------- */

static int breaks_equal(const double *s, size_t m, int k, double *b)
{
	double lo = s[0], w = (s[m - 1] - s[0]) / k;
	int c;

	for (c = 1; c < k; c++)
		b[c - 1] = lo + c * w;
	return k - 1;
}

/* ---- standard deviation ---------------------------------------------- */

static int breaks_stddev(const double *s, size_t m, int k, double *b)
{
	double sum = 0, ss = 0, mean, sd;
	size_t i;
	int c;

	for (i = 0; i < m; i++)
		sum += s[i];
	mean = sum / (double)m;
	for (i = 0; i < m; i++)
		ss += (s[i] - mean) * (s[i] - mean);
	sd = sqrt(ss / (double)m);
	if (!(sd > 0))
		return 0;
	/* breaks at mean + (c - k/2) sd: one sd apart, symmetric about the
	 * mean (k odd: the middle class is mean +- sd/2) */
	for (c = 1; c < k; c++)
		b[c - 1] = mean + ((double)c - (double)k / 2.0) * sd;
	return k - 1;
}

/* ---- Fisher-Jenks ---------------------------------------------------- */

/*
 * Exact optimal 1-D k-means (Fisher 1958) by the dynamic programme of
 * Ckmeans.1d.dp (Wang and Song 2011) with the divide-and-conquer
 * speed-up (Gronlund et al. 2017): O(k n log n).  It runs on the
 * distinct values with their multiplicities as weights, so ties are
 * never split and there are never more classes than distinct values.
 */
struct jk {
	const double *x;    /* distinct values, ascending, shifted */
	const double *pw;   /* prefix sums of weights, [0..d] */
	const double *pwx;  /* prefix sums of w x */
	const double *pwxx; /* prefix sums of w x^2 */
	const double *prev; /* cost of best q-1 classes over x[0..i] */
	double *cur;
	size_t *arg; /* start of the last class for cur[i] */
};

/* Within-class sum of squares of x[j..i], weighted. */
static double ssq(const struct jk *t, size_t j, size_t i)
{
	double w = t->pw[i + 1] - t->pw[j];
	double sx = t->pwx[i + 1] - t->pwx[j];
	double v = t->pwxx[i + 1] - t->pwxx[j] - sx * sx / w;

	return v > 0 ? v : 0;
}

/* Fill cur[i] for i in [ilo, ihi], knowing the optimal start of the last
 * class lies in [jlo, jhi] and is monotone in i; q the class number
 * (0-based), so the last class starts at j >= q. */
static void jk_fill(struct jk *t, size_t q, size_t ilo, size_t ihi, size_t jlo,
		    size_t jhi)
{
	size_t mid, j, best, lo, hi;
	double bestv;

	if (ilo > ihi)
		return;
	mid = ilo + (ihi - ilo) / 2;
	lo = jlo > q ? jlo : q;
	hi = jhi < mid ? jhi : mid;
	best = lo;
	bestv = HUGE_VAL;
	for (j = lo; j <= hi; j++) {
		double v = t->prev[j - 1] + ssq(t, j, mid);

		if (v < bestv) {
			bestv = v;
			best = j;
		}
	}
	t->cur[mid] = bestv;
	t->arg[mid] = best;
	if (mid > ilo)
		jk_fill(t, q, ilo, mid - 1, jlo, best);
	jk_fill(t, q, mid + 1, ihi, best, jhi);
}

/* Fisher-Jenks natural breaks of the m > 0 sorted finite values s into at
 * most k classes (fewer when s has fewer than k distinct values), the
 * classes minimising the within-class sum of squares.  Writes to b the
 * largest value of every class but the last, ascending, and returns how
 * many it wrote (at most k - 1). */
static int breaks_jenks(const double *s, size_t m, int k, double *b)
{
	size_t d = 0, i, q, K;
	double *x, *orig, *pw, *pwx, *pwxx, *prev, *cur, shift;
	size_t *arg, *start;
	struct jk t;
	int nb = 0;

	x = xmalloc(m * sizeof(double));
	orig = xmalloc(m * sizeof(double));
	pw = xmalloc((m + 1) * sizeof(double));
	pwx = xmalloc((m + 1) * sizeof(double));
	pwxx = xmalloc((m + 1) * sizeof(double));
	/* shift by the median: prefix sums of squares lose less precision */
	shift = s[m / 2];
	pw[0] = pwx[0] = pwxx[0] = 0;
	for (i = 0; i < m; i++) {
		double y = s[i] - shift;

		if (d == 0 || s[i] != s[i - 1]) {
			x[d] = y;
			orig[d] = s[i];
			pw[d + 1] = pw[d];
			pwx[d + 1] = pwx[d];
			pwxx[d + 1] = pwxx[d];
			d++;
		}
		pw[d] += 1;
		pwx[d] += y;
		pwxx[d] += y * y;
	}
	K = (size_t)k < d ? (size_t)k : d;
	prev = xmalloc(d * sizeof(double));
	cur = xmalloc(d * sizeof(double));
	arg = xmalloc(K * d * sizeof(size_t));
	t.x = x;
	t.pw = pw;
	t.pwx = pwx;
	t.pwxx = pwxx;
	for (i = 0; i < d; i++) {
		prev[i] = 0;
		arg[i] = 0;
	}
	t.prev = prev;
	for (i = 0; i < d; i++)
		prev[i] = ssq(&t, 0, i);
	for (q = 1; q < K; q++) {
		double *tmp;

		t.prev = prev;
		t.cur = cur;
		t.arg = arg + q * d;
		jk_fill(&t, q, q, d - 1, q, d - 1);
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	/* backtrack from the last distinct value */
	start = xmalloc(K * sizeof(size_t));
	i = d - 1;
	for (q = K; q-- > 1;) {
		start[q] = arg[q * d + i];
		i = start[q] - 1;
	}
	for (q = 1; q < K; q++)
		b[nb++] = orig[start[q] - 1]; /* exact: no shift round trip */
	free(start);
	free(arg);
	free(cur);
	free(prev);
	free(pwxx);
	free(pwx);
	free(pw);
	free(orig);
	free(x);
	return nb;
}

/* ---- manual ---------------------------------------------------------- */

static int check_manual(const double *breaks, size_t nbreaks,
			struct core_err *err)
{
	size_t i;

	if (!breaks || nbreaks < 1 || nbreaks > RENDER_CLASSES_MAX - 1)
		return core_err_set(
		    err, CORE_EUSAGE,
		    "manual breaks: %zu given; give 1 to %d inner breaks",
		    breaks ? nbreaks : 0, RENDER_CLASSES_MAX - 1);
	for (i = 0; i < nbreaks; i++) {
		if (!isfinite(breaks[i]))
			return core_err_set(
			    err, CORE_EUSAGE,
			    "manual breaks: break %zu is not a finite number",
			    i + 1);
		if (i > 0 && !(breaks[i] > breaks[i - 1]))
			return core_err_set(
			    err, CORE_EUSAGE,
			    "manual breaks: break %zu (%g) is not greater than "
			    "break %zu (%g); give them strictly ascending",
			    i + 1, breaks[i], i, breaks[i - 1]);
	}
	return CORE_OK;
}

/* ---- entry points ---------------------------------------------------- */

int render_classify(const double *v, size_t n, enum render_method method, int k,
		    const double *breaks, size_t nbreaks,
		    struct render_classes *out, struct core_err *err)
{
	double b[RENDER_CLASSES_MAX];
	double *s = NULL;
	size_t m;
	int nb = 0, rc = CORE_OK;

	memset(out, 0, sizeof(*out));
	if (method == RENDER_MANUAL) {
		if ((rc = check_manual(breaks, nbreaks, err)))
			return rc;
	} else if (k < 1 || k > RENDER_CLASSES_MAX) {
		return core_err_set(err, CORE_EUSAGE,
				    "%d classes asked for; give 1 to %d", k,
				    RENDER_CLASSES_MAX);
	}
	s = sorted_finite(v, n, &m, out);
	if (m == 0)
		goto cleanup;
	switch (method) {
	case RENDER_QUANTILE:
		nb = breaks_quantile(s, m, k, b);
		break;
	case RENDER_EQUAL:
		nb = breaks_equal(s, m, k, b);
		break;
	case RENDER_JENKS:
		nb = breaks_jenks(s, m, k, b);
		break;
	case RENDER_STDDEV:
		nb = breaks_stddev(s, m, k, b);
		break;
	case RENDER_MANUAL:
		memcpy(b, breaks, nbreaks * sizeof(double));
		nb = (int)nbreaks;
		break;
	default:
		rc = core_err_set(err, CORE_EUSAGE,
				  "unknown classification method %d",
				  (int)method);
		goto cleanup;
	}
	finish(s, m, b, nb, out);
cleanup:
	free(s);
	return rc;
}

int render_classify_quantile(const double *v, size_t n, int k,
			     struct render_classes *out, struct core_err *err)
{
	return render_classify(v, n, RENDER_QUANTILE, k, NULL, 0, out, err);
}

static const char *const method_names[] = {
    [RENDER_QUANTILE] = "quantile", [RENDER_EQUAL] = "equal",
    [RENDER_JENKS] = "jenks",	    [RENDER_STDDEV] = "stddev",
    [RENDER_MANUAL] = "manual",
};

const char *render_method_name(enum render_method method)
{
	if ((unsigned)method < sizeof(method_names) / sizeof(method_names[0]))
		return method_names[method];
	return "unknown";
}

int render_method_parse(const char *name, enum render_method *out,
			struct core_err *err)
{
	static const struct {
		const char *name;
		enum render_method m;
	} alias[] = {
	    {"quantile", RENDER_QUANTILE},
	    {"quantiles", RENDER_QUANTILE},
	    {"equal", RENDER_EQUAL},
	    {"equal-interval", RENDER_EQUAL},
	    {"jenks", RENDER_JENKS},
	    {"natural", RENDER_JENKS},
	    {"natural-breaks", RENDER_JENKS},
	    {"stddev", RENDER_STDDEV},
	    {"sd", RENDER_STDDEV},
	    {"manual", RENDER_MANUAL},
	};
	size_t i;

	for (i = 0; name && i < sizeof(alias) / sizeof(alias[0]); i++) {
		if (strcasecmp(name, alias[i].name) == 0) {
			*out = alias[i].m;
			return CORE_OK;
		}
	}
	return core_err_set(err, CORE_EUSAGE,
			    "'%s' is not a classification method; use "
			    "quantile, equal, jenks, stddev or manual",
			    name ? name : "");
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
