/*
 * test_privacy_sweep.c - one sweep over every output that shows numbers
 * drawn from a cohort, looking for a count from 1 to 10 or a value that
 * gives one away.
 *
 * The workspace is the demo county with four cohorts made here from the
 * demo cohort's own member locations, so that the members of each tract
 * are known exactly:
 *   c_small  per tract 0, 1, 2, ..., 12 or a large count, in turn;
 *   c_tiny   25 people, one in each of 25 tracts (per-category counts
 *            are small);
 *   c_micro  7 people (a whole cohort below 11);
 *   c_rej    30 people and 3 bad rows imported with --skip-bad.
 * Every command that prints or writes cohort-derived numbers runs on
 * them in every format: tables (table, csv, json; the table checked to
 * be the csv's cells), stderr notes, results, exports (CSV, GeoJSON,
 * GPKG read back with ogr2ogr), map and atlas PDFs (pdftotext).
 *
 * What counts as a leak, cell by cell and row by row:
 *   - a count (people, beyond, within, covered, need, demand, reach,
 *     a cohort's column) shown as a number above 0 and below 10.5;
 *   - a hidden cell pinned by its row: the total minus the shown cells,
 *     knowing "<11" is 1 to 10 and "suppressed" at least 11;
 *   - a share shown beside its total that makes the part or its
 *     complement 1 to 10, or a share shown beside a hidden count;
 *   - a median, share or gap shown for an area (or a whole cohort) whose
 *     members number 1 to 10;
 *   - prose: "N people" with N from 1 to 10, or "N of M people" with
 *     M - N from 1 to 10;
 *   - a cohort map's legend class bound from 1 to 10.
 * The import summary, shown only to the person importing their own file,
 * is not swept.  tests/torture/mutate_suppression.sh checks that making
 * any one suppression call a no-op makes this sweep fail.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/core_mem.h"
#include "testlib.h"

#define MAXCOLS 96
#define NTRACT	256

/* ---------------------------------------------------------------------
 * What the sweep knows: members per tract of each cohort
 * ------------------------------------------------------------------ */

struct truth {
	const char *cohort;
	size_t n;
	char geoid[NTRACT][16];
	int count[NTRACT];
	int total;
};

static struct truth truths[6];
static size_t ntruths;
static int nleaks, nchecked;

static int truth_count(const struct truth *t, const char *geoid)
{
	size_t i;

	if (!t || !geoid)
		return -1;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->geoid[i], geoid) == 0)
			return t->count[i];
	return 0;
}

static void leak(const char *where, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void leak(const char *where, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nleaks++;
	if (nleaks <= 40)
		test_fail(__FILE__, __LINE__, "leak in %s: %s", where, msg);
	/* for tests/torture/mutate_suppression.sh: one leak is enough */
	if (getenv("SWEEP_STOP_AT_FIRST")) {
		printf("0 passed, 1 failed\n");
		exit(1);
	}
}

/* ---------------------------------------------------------------------
 * Cells and their roles
 * ------------------------------------------------------------------ */

enum vkind { V_EMPTY, V_NUM, V_SMALL, V_COMP, V_TEXT };

struct val {
	enum vkind k;
	double v;
	int pct; /* the text had a '%' */
};

static struct val parse_val(const char *s)
{
	struct val r = {V_EMPTY, 0, 0};
	char buf[64], *end;
	size_t i, j = 0;

	if (!s)
		return r;
	while (*s == ' ')
		s++;
	if (!*s || strcmp(s, "-") == 0 || strcmp(s, "null") == 0)
		return r;
	if (strcmp(s, "<11") == 0) {
		r.k = V_SMALL;
		return r;
	}
	if (strcmp(s, "suppressed") == 0) {
		r.k = V_COMP;
		return r;
	}
	for (i = 0; s[i] && j + 1 < sizeof(buf); i++) {
		if (s[i] == ',')
			continue;
		if (s[i] == '%') {
			r.pct = 1;
			continue;
		}
		buf[j++] = s[i];
	}
	buf[j] = 0;
	/* "0.45 mi" */
	if (j > 3 && (strcmp(buf + j - 3, " mi") == 0 ||
		      strcmp(buf + j - 3, " km") == 0))
		buf[j - 3] = 0;
	r.v = strtod(buf, &end);
	r.k = (end != buf && *end == 0) ? V_NUM : V_TEXT;
	return r;
}

enum role { R_OTHER, R_TOTAL, R_COUNT, R_PART, R_SHARE, R_STAT };

static int has(const char *s, const char *w)
{
	return strstr(s, w) != NULL;
}

static enum role col_role(const char *name)
{
	char l[128];
	size_t i;

	for (i = 0; name[i] && i + 1 < sizeof(l); i++)
		l[i] = (char)tolower((unsigned char)name[i]);
	l[i] = 0;
	if (has(l, "suppressed") || has(l, "candidates") || has(l, "areas") ||
	    has(l, "assets") || has(l, "population") || has(l, "rank") ||
	    has(l, "capacity") || strcmp(l, "id") == 0 || strcmp(l, "run") == 0)
		return R_OTHER;
	if ((i > 2 && strcmp(l + i - 2, "_m") == 0) || has(l, "_km") ||
	    (i > 3 && strcmp(l + i - 3, "_mi") == 0 && !has(l, "beyond") &&
	     !has(l, "within")))
		return R_OTHER;
	if (has(l, "share") || has(l, "pct"))
		return has(l, "area") || has(l, "desert") ||
			       has(l, "zero_access")
			   ? R_OTHER
			   : R_SHARE;
	if (has(l, "median") || has(l, "mean") || strcmp(l, "gap") == 0 ||
	    has(l, "unmet"))
		return R_STAT;
	if (has(l, "access") || has(l, "score"))
		return R_OTHER;
	if (strcmp(l, "people") == 0 || strcmp(l, "n") == 0 ||
	    strcmp(l, "total") == 0 || strcmp(l, "members") == 0)
		return R_TOTAL;
	if (has(l, "beyond") || has(l, "within") || has(l, "covered") ||
	    has(l, "out_of_reach") || has(l, "out of reach") ||
	    has(l, "so far") || has(l, "so_far"))
		return R_PART;
	if (has(l, "people") || has(l, "reach") || has(l, "need") ||
	    has(l, "demand") || has(l, "cohort") || has(l, "member") ||
	    has(l, "count") || has(l, "best_possible") || has(l, "c_"))
		return R_COUNT;
	return R_OTHER;
}

struct row {
	size_t n;
	const char *name[MAXCOLS];
	struct val v[MAXCOLS];
	enum role role[MAXCOLS];
	const char *geoid;
	int cohort_source; /* a 'sources' row of kind cohort */
};

/* The range a hidden or shown count can take. */
static void range_of(struct val v, double *lo, double *hi)
{
	if (v.k == V_NUM) {
		*lo = *hi = v.v;
	} else if (v.k == V_SMALL) {
		*lo = 1;
		*hi = 10;
	} else if (v.k == V_COMP) {
		*lo = 11;
		*hi = INFINITY;
	} else {
		*lo = 0;
		*hi = INFINITY;
	}
}

static int is_small_num(double v)
{
	return v > 0.5 && v < 10.5;
}

static int hidden(struct val v)
{
	return v.k == V_SMALL || v.k == V_COMP;
}

/* Two parts of total t: can a hidden small one be pinned? */
static void check_pair(const char *where, const struct row *r, double t,
		       size_t a, size_t b)
{
	struct val va = r->v[a],
		   vb = b < r->n ? r->v[b] : (struct val){V_EMPTY, 0, 0};
	double alo, ahi, blo, bhi;
	int side;

	range_of(va, &alo, &ahi);
	range_of(vb, &blo, &bhi);
	for (side = 0; side < 2; side++) {
		struct val x = side ? vb : va;
		double xlo = side ? blo : alo, xhi = side ? bhi : ahi;
		double olo = side ? alo : blo, ohi = side ? ahi : bhi;
		double lo = fmax(xlo, t - ohi), hi = fmin(xhi, t - olo);

		if (x.k == V_NUM || (side && b >= r->n && va.k != V_NUM))
			continue;
		if (lo == hi && is_small_num(lo))
			leak(where, "%s is %g: the total %g minus %s",
			     side ? (b < r->n ? r->name[b] : "its complement")
				  : r->name[a],
			     lo, t, side ? r->name[a] : r->name[b]);
	}
	if (b >= r->n && va.k == V_NUM && is_small_num(t - va.v))
		leak(where, "%s %g of %g leaves %g", r->name[a], va.v, t,
		     t - va.v);
}

static int complementary(const char *x, const char *y)
{
	return (has(x, "beyond") && has(y, "within")) ||
	       (has(x, "within") && has(y, "not")) ||
	       (has(x, "covered") && !has(x, "not") && has(y, "not"));
}

static void check_row(const char *where, struct row *r, const struct truth *tr)
{
	size_t i, j, t = r->n, nparts = 0, part[MAXCOLS];
	int base_small = 0;

	nchecked++;
	for (i = 0; i < r->n; i++) {
		r->role[i] = col_role(r->name[i]);
		/* a cohort file's rows read, accepted and rejected count people
		 */
		if (r->cohort_source &&
		    (has(r->name[i], "read") || has(r->name[i], "accepted") ||
		     has(r->name[i], "rejected")))
			r->role[i] = R_COUNT;
		if (r->role[i] == R_TOTAL && t == r->n)
			t = i;
		if (r->role[i] == R_PART)
			part[nparts++] = i;
		if ((r->role[i] == R_COUNT || r->role[i] == R_PART ||
		     r->role[i] == R_TOTAL) &&
		    r->v[i].k == V_NUM && is_small_num(r->v[i].v))
			leak(where, "%s = %g", r->name[i], r->v[i].v);
	}
	/* the parts against the total */
	if (t < r->n && r->v[t].k == V_NUM) {
		double T = r->v[t].v;

		if (nparts == 2 &&
		    (complementary(r->name[part[0]], r->name[part[1]]) ||
		     complementary(r->name[part[1]], r->name[part[0]])))
			check_pair(where, r, T, part[0], part[1]);
		else
			for (i = 0; i < nparts; i++)
				check_pair(where, r, T, part[i], r->n);
	}
	/* shares */
	for (i = 0; i < r->n; i++) {
		struct val s = r->v[i];
		double f;
		size_t p = r->n;

		if (r->role[i] != R_SHARE || s.k != V_NUM)
			continue;
		f = (s.pct || has(r->name[i], "pct")) ? s.v / 100 : s.v;
		for (j = 0; j < nparts; j++)
			if (has(r->name[i], r->name[part[j]]))
				p = part[j];
		if (p == r->n && nparts == 1)
			p = part[0];
		if (p < r->n && hidden(r->v[p]))
			leak(where, "%s shown beside a hidden %s", r->name[i],
			     r->name[p]);
		if (p == r->n && nparts == 2 &&
		    (hidden(r->v[part[0]]) || hidden(r->v[part[1]])))
			leak(where, "%s shown beside a hidden count",
			     r->name[i]);
		if (t < r->n && hidden(r->v[t]))
			leak(where, "%s shown beside a hidden total",
			     r->name[i]);
		/* a share beside its part gives the whole, and what the part
		 * leaves out: 11 beyond at 91.7% is 12 people, 1 within */
		if (t == r->n && p < r->n && r->v[p].k == V_NUM && f > 0) {
			double whole = round(r->v[p].v / f);

			if (is_small_num(whole - r->v[p].v) &&
			    whole - r->v[p].v < r->v[p].v)
				leak(where,
				     "%s %g beside %s %g gives %g left out",
				     r->name[i], s.v, r->name[p], r->v[p].v,
				     whole - r->v[p].v);
		}
		if (t < r->n && r->v[t].k == V_NUM) {
			double T = r->v[t].v, x = round(f * T);

			if (is_small_num(x) || is_small_num(T - x))
				leak(where, "%s %g of %g gives %g and %g",
				     r->name[i], s.v, T, x, T - x);
		}
	}
	/* new sites: those out of reach that the picks leave out */
	{
		size_t u = r->n, c = r->n;

		for (i = 0; i < r->n; i++) {
			if (strcmp(r->name[i], "out_of_reach") == 0)
				u = i;
			if (strcmp(r->name[i], "reached") == 0)
				c = i;
		}
		if (u < r->n && c < r->n && r->v[u].k == V_NUM &&
		    r->v[c].k == V_NUM && is_small_num(r->v[u].v - r->v[c].v))
			leak(where, "out_of_reach %g, reached %g: %g remain",
			     r->v[u].v, r->v[c].v, r->v[u].v - r->v[c].v);
	}
	/* statistics resting on a small count */
	if (t < r->n && r->v[t].k == V_SMALL)
		base_small = 1;
	if (r->geoid && tr) {
		int c = truth_count(tr, r->geoid);

		if (c >= 1 && c <= 10)
			base_small = 1;
	}
	if (base_small)
		for (i = 0; i < r->n; i++)
			if ((r->role[i] == R_STAT || r->role[i] == R_SHARE) &&
			    r->v[i].k == V_NUM)
				leak(where,
				     "%s = %g rests on 1 to 10 people%s%s",
				     r->name[i], r->v[i].v,
				     r->geoid ? " in " : "",
				     r->geoid ? r->geoid : "");
}

/* Parts published with their sum (a desert's pieces and its "all"):
 * can a hidden part be pinned to one value from 1 to 10? */
static void check_sum(const char *where, const char *what, struct val total,
		      const struct val *parts, size_t n)
{
	size_t i, j;

	if (total.k != V_NUM)
		return;
	for (i = 0; i < n; i++) {
		double lo, hi, olo = 0, ohi = 0, l, h;

		if (!hidden(parts[i]))
			continue;
		range_of(parts[i], &lo, &hi);
		for (j = 0; j < n; j++) {
			if (j == i)
				continue;
			range_of(parts[j], &l, &h);
			olo += l;
			ohi += h;
		}
		lo = fmax(lo, total.v - ohi);
		hi = fmin(hi, total.v - olo);
		if (lo == hi && is_small_num(lo))
			leak(where,
			     "%s: part %zu of %zu is %g, the total %g "
			     "minus the others",
			     what, i + 1, n, lo, total.v);
	}
}

/* A table of pieces: the "piece" column's "all" row is the sum of the
 * others in every count column. */
static void check_pieces(const char *where, char *const *head, size_t nh,
			 const struct val *rows, size_t nrows, size_t all)
{
	size_t c, r;
	struct val *parts;

	if (!nh || strcmp(head[0], "piece") != 0 || all >= nrows)
		return;
	parts = xcalloc(nrows + 1, sizeof(*parts));
	for (c = 1; c < nh && c < MAXCOLS; c++) {
		enum role ro = col_role(head[c]);
		size_t np = 0;

		if (ro != R_COUNT && ro != R_PART && ro != R_TOTAL)
			continue;
		for (r = 0; r < nrows; r++)
			if (r != all)
				parts[np++] = rows[r * MAXCOLS + c];
		check_sum(where, head[c], rows[all * MAXCOLS + c], parts, np);
	}
	free(parts);
}

/* ---------------------------------------------------------------------
 * Reading outputs: CSV, JSON, table, prose, PDF text
 * ------------------------------------------------------------------ */

/* One CSV record from *p into cells (malloc'd, caller frees each);
 * returns the number of cells, 0 at the end. */
static size_t csv_record(const char **p, char **cells, size_t max)
{
	const char *s = *p;
	size_t n = 0;

	if (!*s)
		return 0;
	for (;;) {
		struct {
			char *b;
			size_t len, cap;
		} f = {NULL, 0, 0};
		int q = 0;

		if (*s == '"') {
			q = 1;
			s++;
		}
		for (; *s; s++) {
			if (q && *s == '"' && s[1] == '"') {
				s++;
			} else if (q && *s == '"') {
				q = 0;
				continue;
			} else if (!q &&
				   (*s == ',' || *s == '\n' || *s == '\r')) {
				break;
			}
			xgrow((void **)&f.b, &f.cap, f.len + 2, 1);
			f.b[f.len++] = *s;
		}
		xgrow((void **)&f.b, &f.cap, f.len + 1, 1);
		f.b[f.len] = 0;
		if (n < max)
			cells[n++] = f.b;
		else
			free(f.b);
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == '\r')
			s++;
		if (*s == '\n')
			s++;
		break;
	}
	*p = s;
	return n;
}

static void walk_json(const char *where, json_object *o,
		      const struct truth *tr);

/* Check a CSV text: every record against the header above it (a blank
 * line starts a new table). */
static void check_csv(const char *where, const char *text,
		      const struct truth *tr)
{
	const char *p = text;
	char *head[MAXCOLS] = {0}, *cells[MAXCOLS];
	size_t nh = 0, n, i;
	struct val *tab = NULL; /* a table of pieces' rows */
	size_t ntab = 0, tcap = 0, all = (size_t)-1;

#define END_TABLE()                                                            \
	do {                                                                   \
		check_pieces(where, head, nh, tab, ntab, all);                 \
		ntab = 0;                                                      \
		all = (size_t)-1;                                              \
		for (i = 0; i < nh; i++)                                       \
			free(head[i]);                                         \
		nh = 0;                                                        \
	} while (0)
	while (*p) {
		if (*p == '\n') {
			END_TABLE();
			p++;
			continue;
		}
		if (*p == '{') { /* a JSON document on its own line */
			const char *e = strchr(p, '\n');
			char *doc = xasprintf(
			    "%.*s", (int)(e ? (size_t)(e - p) : strlen(p)), p);
			json_object *j = json_tokener_parse(doc);

			if (j)
				walk_json(where, j, tr);
			json_object_put(j);
			free(doc);
			p = e ? e + 1 : p + strlen(p);
			continue;
		}
		n = csv_record(&p, cells, MAXCOLS);
		if (nh && n && strcmp(cells[0], head[0]) == 0) {
			/* a second table's header */
			END_TABLE();
		}
		if (!nh) {
			memcpy(head, cells, n * sizeof(char *));
			nh = n;
			continue;
		}
		{
			struct row r = {0};

			for (i = 0; i < n && i < nh; i++) {
				r.name[r.n] = head[i];
				r.v[r.n++] = parse_val(cells[i]);
				if (strcasecmp(head[i], "geoid") == 0)
					r.geoid = cells[i];
				if (strcmp(head[i], "kind") == 0 &&
				    strncmp(cells[i], "cohort", 6) == 0)
					r.cohort_source = 1;
				if (cells[i][0] == '{' || cells[i][0] == '[') {
					json_object *j =
					    json_tokener_parse(cells[i]);
					if (j)
						walk_json(where, j, tr);
					json_object_put(j);
				}
			}
			check_row(where, &r, tr);
			if (strcmp(head[0], "piece") == 0) {
				xgrow((void **)&tab, &tcap,
				      (ntab + 1) * MAXCOLS, sizeof(*tab));
				memcpy(tab + ntab * MAXCOLS, r.v,
				       MAXCOLS * sizeof(*tab));
				if (n && strcmp(cells[0], "all") == 0)
					all = ntab;
				ntab++;
			}
		}
		for (i = 0; i < n; i++)
			free(cells[i]);
	}
	END_TABLE();
#undef END_TABLE
	free(tab);
}

/* An array of objects with "piece": the table of pieces as JSON. */
static void json_pieces(const char *where, json_object *arr)
{
	size_t i, c, n = json_object_array_length(arr), all = n;
	json_object *first = n ? json_object_array_get_idx(arr, 0) : NULL, *v;
	char *head[MAXCOLS];
	size_t nh = 0;
	struct val *tab;

	if (!first || !json_object_is_type(first, json_type_object) ||
	    !json_object_object_get_ex(first, "piece", &v))
		return;
	head[nh++] = (char *)"piece";
	{
		json_object_object_foreach(first, key, val)
		{
			(void)val;
			if (strcmp(key, "piece") != 0 && nh < MAXCOLS)
				head[nh++] = key;
		}
	}
	tab = xcalloc(n * MAXCOLS + 1, sizeof(*tab));
	for (i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(arr, i);

		if (json_object_object_get_ex(row, "piece", &v) &&
		    strcmp(json_object_get_string(v), "all") == 0)
			all = i;
		for (c = 1; c < nh; c++)
			if (json_object_object_get_ex(row, head[c], &v))
				tab[i * MAXCOLS + c] = parse_val(
				    json_object_is_type(v, json_type_null)
					? NULL
					: json_object_get_string(v));
	}
	check_pieces(where, head, nh, tab, n, all);
	free(tab);
}

static void walk_json(const char *where, json_object *o, const struct truth *tr)
{
	if (json_object_is_type(o, json_type_array)) {
		size_t i, n = json_object_array_length(o);

		for (i = 0; i < n; i++)
			walk_json(where, json_object_array_get_idx(o, i), tr);
		json_pieces(where, o);
	} else if (json_object_is_type(o, json_type_object)) {
		struct row r = {0};
		json_object *pieces, *in;

		/* a desert's summary: its pieces add up to cohort_in_desert */
		if (json_object_object_get_ex(o, "pieces", &pieces) &&
		    json_object_is_type(pieces, json_type_array) &&
		    json_object_object_get_ex(o, "cohort_in_desert", &in)) {
			size_t i, n = json_object_array_length(pieces), np = 0;
			struct val *parts = xcalloc(n + 1, sizeof(*parts));

			for (i = 0; i < n; i++) {
				json_object *c;

				if (json_object_object_get_ex(
					json_object_array_get_idx(pieces, i),
					"cohort", &c))
					parts[np++] = parse_val(
					    json_object_get_string(c));
			}
			check_sum(where, "cohort_in_desert",
				  parse_val(json_object_get_string(in)), parts,
				  np);
			free(parts);
		}

		json_object_object_foreach(o, key, v)
		{
			if (json_object_is_type(v, json_type_object) ||
			    json_object_is_type(v, json_type_array)) {
				walk_json(where, v, tr);
				continue;
			}
			if (r.n >= MAXCOLS)
				continue;
			r.name[r.n] = key;
			r.v[r.n++] =
			    parse_val(json_object_is_type(v, json_type_null)
					  ? NULL
					  : json_object_get_string(v));
			if (strcasecmp(key, "geoid") == 0)
				r.geoid = json_object_get_string(v);
			if (strcmp(key, "kind") == 0 &&
			    json_object_is_type(v, json_type_string) &&
			    strncmp(json_object_get_string(v), "cohort", 6) ==
				0)
				r.cohort_source = 1;
		}
		check_row(where, &r, tr);
	}
}

static void check_json(const char *where, const char *text,
		       const struct truth *tr)
{
	json_object *j = json_tokener_parse(text);

	if (!j) {
		test_fail(__FILE__, __LINE__, "%s: not JSON", where);
		return;
	}
	walk_json(where, j, tr);
	json_object_put(j);
}

/* A line's cells joined by '|', without empty and "-" cells. */
static void norm_cells(char **cells, size_t n, char *out, size_t sz)
{
	size_t i, len = 0;

	out[0] = 0;
	for (i = 0; i < n; i++) {
		if (!cells[i][0] || strcmp(cells[i], "-") == 0)
			continue;
		len += (size_t)snprintf(out + len, len < sz ? sz - len : 0,
					"%s|", cells[i]);
	}
}

/* The table format shows the csv's cells and nothing else. */
static void check_table_is_csv(const char *where, const char *table,
			       const char *csv)
{
	const char *t = table, *c = csv;
	char want[4096], got[4096];

	while (*t) {
		char *cells[MAXCOLS], line[4096];
		size_t n = 0, len, i;
		const char *e = strchr(t, '\n');
		char *s;

		len = e ? (size_t)(e - t) : strlen(t);
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, t, len);
		line[len] = 0;
		t = e ? e + 1 : t + len;
		/* cells are separated by two spaces or more */
		for (s = line; *s;) {
			char *q;

			while (*s == ' ')
				s++;
			if (!*s)
				break;
			q = strstr(s, "  ");
			if (q)
				*q = 0;
			cells[n++] = xstrdup(s);
			s = q ? q + 2 : s + strlen(s);
		}
		if (!n)
			continue;
		norm_cells(cells, n, got, sizeof(got));
		for (i = 0; i < n; i++)
			free(cells[i]);
		while (*c == '\n')
			c++;
		n = csv_record(&c, cells, MAXCOLS);
		norm_cells(cells, n, want, sizeof(want));
		for (i = 0; i < n; i++)
			free(cells[i]);
		if (strcmp(got, want) != 0) {
			test_fail(
			    __FILE__, __LINE__,
			    "%s: the table shows '%s' where the csv has '%s'",
			    where, got, want);
			return;
		}
	}
}

/* "N people" with N from 1 to 10; "N of M people" with M - N so. */
static void check_prose(const char *where, const char *text)
{
	static const char *const nouns[] = {" people", " members", " person",
					    " children", " without one"};
	size_t k;

	for (k = 0; k < sizeof(nouns) / sizeof(nouns[0]); k++) {
		const char *p = text;

		while ((p = strstr(p, nouns[k]))) {
			const char *b = p;
			char num[32], prev[32];
			double n, m;
			int len;

			while (b > text &&
			       (isdigit((unsigned char)b[-1]) || b[-1] == ','))
				b--;
			len = (int)(p - b);
			p += strlen(nouns[k]);
			if (len <= 0 || len >= (int)sizeof(num))
				continue;
			snprintf(num, sizeof(num), "%.*s", len, b);
			n = parse_val(num).v;
			if (is_small_num(n))
				leak(where, "'%s%s'", num, nouns[k]);
			/* "16 of 25 people": 9 not counted */
			if (b - text > 4 && strncmp(b - 4, " of ", 4) == 0) {
				const char *a = b - 4;

				while (a > text &&
				       (isdigit((unsigned char)a[-1]) ||
					a[-1] == ','))
					a--;
				len = (int)(b - 4 - a);
				if (len > 0 && len < (int)sizeof(prev)) {
					snprintf(prev, sizeof(prev), "%.*s",
						 len, a);
					m = parse_val(prev).v;
					if (is_small_num(n - m))
						leak(where,
						     "'%s of %s%s' leaves %g",
						     prev, num, nouns[k],
						     n - m);
				}
			}
		}
	}
}

/* Split a line into cells at runs of two spaces or more. */
static size_t split2(const char *line, char cells[][128], size_t max)
{
	size_t n = 0;
	const char *s = line;

	while (*s && n < max) {
		const char *q;
		size_t len;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		q = strstr(s, "  ");
		len = q ? (size_t)(q - s) : strlen(s);
		if (len > 127)
			len = 127;
		memcpy(cells[n], s, len);
		cells[n][len] = 0;
		n++;
		s += len;
	}
	return n;
}

/* A cohort map's legend: no class bound from 1 to 10. */
static void check_legend(const char *where, const char *text)
{
	const char *p = strstr(text, "Quantiles of");
	const char *stop = p ? strstr(p, "Community assets") : NULL;
	size_t col = 0;

	if (!p) {
		test_fail(__FILE__, __LINE__, "%s: no legend", where);
		return;
	}
	if (stop)
		stop = strstr(stop, "\n");
	/* the legend is a column of its own: read from its left edge, so
	 * the map's cluster counts beside it are not taken for classes */
	{
		const char *bol = p, *start = p;

		/* the title's start: back to two spaces or the line's start */
		while (
		    start > text && start[-1] != '\n' &&
		    !(start[-1] == ' ' && start - 1 > text && start[-2] == ' '))
			start--;
		while (bol > text && bol[-1] != '\n')
			bol--;
		col = (size_t)(start - bol);
		p = bol;
	}

	while (*p) {
		const char *e = strchr(p, '\n');
		char line[1024], cells[8][128];
		size_t len = e ? (size_t)(e - p) : strlen(p), n;

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = 0;
		p = e ? e + 1 : p + len;
		if (stop && p > stop)
			break;
		n = split2(len > col ? line + col : "", cells, 8);
		/* a legend entry: "LOW – HIGH  AREAS" or "VALUE  AREAS" */
		if (n >= 2 && isdigit((unsigned char)cells[n - 2][0]) &&
		    isdigit((unsigned char)cells[n - 1][0])) {
			double lo, hi = -1;
			char *end;

			lo = strtod(cells[n - 2], &end);
			if (strstr(end, "–"))
				hi = strtod(strstr(end, "–") + 3, NULL);
			if (is_small_num(lo) || is_small_num(hi))
				leak(where, "legend class '%s'", cells[n - 2]);
		}
	}
}

/* The atlas's text: the ranking table, the bar chart, each category's
 * table of areas; the cover's count of people is the total. */
static void check_atlas(const char *where, const char *text,
			const struct truth *tr)
{
	const char *p = text, *cover = strstr(text, "Need: the ");
	struct val total = {V_EMPTY, 0, 0};

	check_prose(where, text);
	if (cover) {
		char num[32];

		sscanf(cover + 10, "%31s", num);
		total = parse_val(num);
	}
	while (*p) {
		const char *e = strchr(p, '\n');
		char line[2048], cells[12][128];
		size_t len = e ? (size_t)(e - p) : strlen(p), n, i;
		struct row r = {0};

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = 0;
		p = e ? e + 1 : p + len;
		n = split2(line, cells, 12);
		if (n >= 4 && strncmp(cells[1], "06999", 5) == 0) {
			/* # GEOID Name Beyond Share Median */
			r.geoid = cells[1];
			r.name[0] = "beyond";
			r.v[0] = parse_val(cells[n - 3]);
			r.name[1] = "share_beyond";
			r.v[1] = parse_val(cells[n - 3 + 1]);
			r.name[2] = "median";
			r.v[2] = parse_val(cells[n - 1]);
			r.n = 3;
			check_row(where, &r, tr);
		} else if (n == 4 && strcmp(cells[0], "All areas") == 0) {
			r.name[0] = "people";
			r.v[0] = total;
			r.name[1] = "beyond";
			r.v[1] = parse_val(cells[1]);
			r.name[2] = "share_beyond";
			r.v[2] = parse_val(cells[2]);
			r.name[3] = "median";
			r.v[3] = parse_val(cells[3]);
			r.n = 4;
			check_row(where, &r, tr);
			/* the share is of the people placed in areas, whom
			 * the cover's count may outnumber */
			if (tr && r.v[2].k == V_NUM) {
				double x = round(r.v[2].v / 100 * tr->total);

				if (is_small_num(x) ||
				    is_small_num(tr->total - x))
					leak(where,
					     "All areas share %g%% of the %d "
					     "people in areas gives %g and %g",
					     r.v[2].v, tr->total, x,
					     tr->total - x);
			}
		} else if (n >= 4 && n <= 6) {
			/* [rank] category beyond within share [page] */
			size_t c = isdigit((unsigned char)cells[0][0]) ? 1 : 0;
			int ok = c + 3 < n;

			for (i = 0; ok && cells[c][i]; i++)
				if (!islower((unsigned char)cells[c][i]) &&
				    cells[c][i] != '_')
					ok = 0;
			if (!ok)
				continue;
			r.name[0] = "people";
			r.v[0] = total;
			r.name[1] = "beyond";
			r.v[1] = parse_val(cells[c + 1]);
			r.name[2] = "within";
			r.v[2] = parse_val(cells[c + 2]);
			r.name[3] = "share_beyond_pct";
			r.v[3] = parse_val(cells[c + 3]);
			r.n = 4;
			check_row(where, &r, NULL);
		} else if (n == 2 && strstr(cells[1], "%)")) {
			/* the bar chart: "Housing  12 (48.0%) → page 4" */
			char num[64];
			double v;

			sscanf(cells[1], "%63s", num);
			v = parse_val(num).v;

			if (is_small_num(v))
				leak(where, "bar '%s %s'", cells[0], cells[1]);
		}
	}
	/* the bar chart's labels run into their values */
	p = text;
	while ((p = strstr(p, " (")) != NULL) {
		const char *b = p;

		while (b > text &&
		       (isdigit((unsigned char)b[-1]) || b[-1] == ','))
			b--;
		if (b < p && b > text && b[-1] == ' ' &&
		    isdigit((unsigned char)*b) && strstr(p, "%)") &&
		    strstr(p, "%)") - p < 12) {
			char num[32];
			double v;

			snprintf(num, sizeof(num), "%.*s", (int)(p - b), b);
			v = parse_val(num).v;

			if (is_small_num(v))
				leak(where, "bar value %g", v);
		}
		p += 2;
	}
}

/* ---------------------------------------------------------------------
 * Running the commands
 * ------------------------------------------------------------------ */

static const char *ws_args = "-d sweep.db";

/* Run a command; stdout returned (caller frees), stderr swept as prose. */
static char *run(const char *what, const char *args, int want_ok)
{
	char *out = NULL, *err = NULL, *cmd = xasprintf("%s %s", ws_args, args);
	int rc = test_run_cli(cmd, &out, &err);

	if (want_ok && rc != 0)
		test_fail(__FILE__, __LINE__, "%s: exit %d: %s", args, rc, err);
	check_prose(what, err);
	check_prose(what, out);
	free(err);
	free(cmd);
	return out;
}

/* A command in table, csv and json. */
static void sweep3(const char *args, const struct truth *tr, int table_too)
{
	char a[512], w[600];
	char *table = NULL, *csv, *json;

	if (table_too) {
		snprintf(a, sizeof(a), "%s --format table", args);
		snprintf(w, sizeof(w), "'%s'", a);
		table = run(w, a, 1);
	}
	snprintf(a, sizeof(a), "%s --format csv", args);
	snprintf(w, sizeof(w), "'%s'", a);
	csv = run(w, a, 1);
	check_csv(w, csv, tr);
	if (table)
		check_table_is_csv(w, table, csv);
	snprintf(a, sizeof(a), "%s --format json", args);
	snprintf(w, sizeof(w), "'%s'", a);
	json = run(w, a, 1);
	check_json(w, json, tr);
	free(table);
	free(csv);
	free(json);
}

static const struct truth *truth_of(const char *cohort)
{
	size_t i;

	for (i = 0; cohort && i < ntruths; i++)
		if (strcmp(truths[i].cohort, cohort) == 0)
			return &truths[i];
	return NULL;
}

/* results and exports of a cohort's runs: the newest of each analysis,
 * in csv and json, written as CSV, GeoJSON and GPKG. */
static void sweep_runs(const char *cohort, const struct truth *tr)
{
	char *list = run("results", "results --format csv", 1);
	const char *p = list;
	char *cells[MAXCOLS], seen[1024] = "";
	char *ids[64];
	size_t n, i, nids = 0, hdr = 1;

	while ((n = csv_record(&p, cells, MAXCOLS)) > 0) {
		if (!hdr && n >= 5 && strcmp(cells[4], cohort) == 0 &&
		    nids < 64)
			ids[nids++] = xasprintf("%s %s", cells[1], cells[0]);
		hdr = 0;
		for (i = 0; i < n; i++)
			free(cells[i]);
	}
	free(list);
	/* newest first */
	while (nids-- > 0) {
		char kind[64], id[32], a[256], w[300], *s;
		const char *exts[] = {"csv", "geojson", "gpkg"};
		size_t e;

		sscanf(ids[nids], "%63s %31s", kind, id);
		free(ids[nids]);
		snprintf(a, sizeof(a), " %s ", kind);
		if (strstr(seen, a))
			continue;
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s",
			 a);
		snprintf(a, sizeof(a), "results %s", id);
		sweep3(a, tr, 0);
		for (e = 0; e < 3; e++) {
			snprintf(a, sizeof(a), "export %s -o run%s.%s", id, id,
				 exts[e]);
			free(run(a, a, 1));
			snprintf(w, sizeof(w), "%s/run%s.%s", test_tmpdir(), id,
				 exts[e]);
			if (e == 1) {
				s = test_slurp(w, NULL);
				if (s)
					check_json(a, s, tr);
				else
					test_fail(__FILE__, __LINE__,
						  "%s: cannot read back", a);
				free(s);
				continue;
			}
			if (e == 0) {
				s = test_slurp(w, NULL);
			} else {
				char *cmd = xasprintf(
				    "for l in $(ogrinfo -ro -q '%s' | "
				    "sed -n 's/^[0-9]*: \\([^ ]*\\).*/\\1/p'); "
				    "do "
				    "ogr2ogr -f CSV /vsistdout/ '%s' $l; echo; "
				    "done; ogrinfo -ro -so -al -mdd all '%s' | "
				    "sed -n 's/^ *ASSETMAP_RUN=//p'",
				    w, w, w);
				s = test_popen(cmd);
				free(cmd);
			}
			if (s)
				check_csv(a, s, tr);
			else
				test_fail(__FILE__, __LINE__,
					  "%s: cannot read back", a);
			free(s);
		}
	}
}

static void sweep_pdf(const char *what, const char *args, const char *pdf,
		      const struct truth *tr, int legend)
{
	char *cmd, *text;

	/* the atlas prints its ranking table too */
	text = run(what, args, 1);
	if (!legend)
		check_atlas(what, text, tr);
	free(text);
	cmd = xasprintf("pdftotext -layout '%s/%s' -", test_tmpdir(), pdf);
	text = test_popen(cmd);
	free(cmd);
	if (!text) {
		test_fail(__FILE__, __LINE__, "%s: pdftotext failed", what);
		return;
	}
	if (legend)
		check_legend(what, text);
	else
		check_atlas(what, text, tr);
	free(text);
}

/* ---------------------------------------------------------------------
 * The workspace
 * ------------------------------------------------------------------ */

struct member {
	char geoid[16];
	char lon[16], lat[16];
};

/* The demo cohort's members with their tracts, by tract. */
static struct member *demo_members(size_t *n)
{
	char *cmd = xasprintf(
	    "sqlite3 -cmd '.load mod_spatialite' -separator ' ' '%s/sweep.db' "
	    "\"SELECT area_geoid, printf('%%.6f', X(geom)), "
	    "printf('%%.6f', Y(geom)) FROM cohort_members m JOIN cohorts c "
	    "ON c.id = m.cohort_id WHERE c.name = 'c_demo' "
	    "AND area_geoid IS NOT NULL ORDER BY area_geoid, m.id\" "
	    "2>/dev/null",
	    test_tmpdir());
	char *out = test_popen(cmd), *line, *save = NULL;
	struct member *m = NULL;
	size_t cap = 0;

	free(cmd);
	*n = 0;
	if (!out)
		return NULL;
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		xgrow((void **)&m, &cap, *n + 1, sizeof(*m));
		if (sscanf(line, "%15s %15s %15s", m[*n].geoid, m[*n].lon,
			   m[*n].lat) == 3)
			(*n)++;
	}
	free(out);
	return m;
}

/* Fake identifiers beside each row, so that nothing but counts and
 * locations is ever drawn from them. */
static void add_member(FILE *f, struct truth *t, const struct member *m, int k)
{
	size_t i;

	fprintf(
	    f,
	    "%s-%05d,Zebulon Quixwhistle %d,MRN-%08d,1987-03-%02d,%s,%s,%s\n",
	    t->cohort, k, k, 73510000 + k, 1 + k % 28, m->lon, m->lat,
	    k % 3 == 0 ? "es" : "en");
	for (i = 0; i < t->n; i++)
		if (strcmp(t->geoid[i], m->geoid) == 0)
			break;
	if (i == t->n && t->n < NTRACT)
		snprintf(t->geoid[t->n++], sizeof(t->geoid[0]), "%s", m->geoid);
	if (i < NTRACT)
		t->count[i]++;
	t->total++;
}

static const char *const HEADER = "id,patient_name,mrn,dob,lon,lat,language\n";

/* ---------------------------------------------------------------------
 * c_edge: a cohort placed by distance, for the cells the others miss
 * ------------------------------------------------------------------ */

#define MILE 1609.344

struct pt {
	double lon, lat;
};

/* Metres between two points, flat at the county's scale (well under 1%
 * from the tools' projected distances; the choices below keep 10%
 * clear of every threshold). */
static double metres(double lon1, double lat1, double lon2, double lat2)
{
	double k = cos((lat1 + lat2) / 2 * M_PI / 180);
	double dx = (lon1 - lon2) * 111320 * k, dy = (lat1 - lat2) * 110574;

	return sqrt(dx * dx + dy * dy);
}

/* The points of a category's assets. */
static struct pt *asset_points(const char *cat, size_t *n)
{
	char *cmd = xasprintf(
	    "sqlite3 -cmd '.load mod_spatialite' -separator ' ' '%s/sweep.db' "
	    "\"SELECT printf('%%.6f', X(geom)), printf('%%.6f', Y(geom)) "
	    "FROM assets a JOIN asset_categories c ON c.asset_id = a.id "
	    "WHERE c.category = '%s'\" 2>/dev/null",
	    test_tmpdir(), cat);
	char *out = test_popen(cmd), *line, *save = NULL;
	struct pt *p = NULL;
	size_t cap = 0;

	free(cmd);
	*n = 0;
	if (!out)
		return NULL;
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		xgrow((void **)&p, &cap, *n + 1, sizeof(*p));
		if (sscanf(line, "%lf %lf", &p[*n].lon, &p[*n].lat) == 2)
			(*n)++;
	}
	free(out);
	return p;
}

static double nearest_asset(const struct pt *a, size_t n, double lon,
			    double lat)
{
	double best = INFINITY;
	size_t i;

	for (i = 0; i < n; i++)
		best = fmin(best, metres(lon, lat, a[i].lon, a[i].lat));
	return best;
}

/*
 * c_edge, 17 people chosen by their distance to food, legal and dental
 * assets (near: under 0.9 mi; far: over 1.1 mi):
 *   12 in one tract, within 0.5 mi of one of them (P): near food, far
 *      from legal and dental;
 *    5 near legal, far from food and dental, and over 1.1 mi from P,
 *      three in one tract and two in another.
 * Within 1 mi, food has 5 people beyond and 12 within, legal 12 beyond
 * and 5 within: an atlas's "All areas" row has one small side either
 * way.  Dental has all 17 beyond: a new site at P (edge_sites.csv)
 * reaches the 12 and leaves 5 out of reach.
 */
static int build_edge(const struct member *m, size_t n, int k)
{
	struct truth *t = &truths[4];
	size_t nf, nl, nd, i, j, p = n, pick[12], np = 0, ng2 = 0;
	struct pt *food = asset_points("food", &nf);
	struct pt *legal = asset_points("legal", &nl);
	struct pt *dental = asset_points("dental", &nd);
	double *lon = xcalloc(n + 1, sizeof(double));
	double *lat = xcalloc(n + 1, sizeof(double));
	unsigned char *kind = xcalloc(n + 1, 1);
	FILE *f;
	int rc = -1;

	t->cohort = "c_edge";
	if (!nf || !nl || !nd)
		goto cleanup;
	for (i = 0; i < n; i++) {
		double df, dl, dd;

		lon[i] = atof(m[i].lon);
		lat[i] = atof(m[i].lat);
		df = nearest_asset(food, nf, lon[i], lat[i]);
		dl = nearest_asset(legal, nl, lon[i], lat[i]);
		dd = nearest_asset(dental, nd, lon[i], lat[i]);
		if (dd < 1.1 * MILE)
			continue;
		if (df < 0.9 * MILE && dl > 1.1 * MILE)
			kind[i] = 1;
		else if (df > 1.1 * MILE && dl < 0.9 * MILE)
			kind[i] = 2;
	}
	/* P: a kind-1 member with 11 more of its tract close by */
	for (i = 0; i < n && p == n; i++) {
		if (kind[i] != 1)
			continue;
		np = 0;
		for (j = 0; j < n && np < 12; j++)
			if (kind[j] == 1 &&
			    strcmp(m[j].geoid, m[i].geoid) == 0 &&
			    metres(lon[i], lat[i], lon[j], lat[j]) < 0.5 * MILE)
				pick[np++] = j;
		if (np == 12)
			p = i;
	}
	if (p == n)
		goto cleanup;
	f = fopen(test_path("edge.csv"), "w");
	if (!f)
		goto cleanup;
	fputs(HEADER, f);
	for (j = 0; j < 12; j++)
		add_member(f, t, &m[pick[j]], ++k);
	/* three in one tract and two in another (by geoid, the members
	 * of a tract are together): not pinned by their sum */
	for (i = 0; i < n; i++)
		if (kind[i] == 2 &&
		    metres(lon[p], lat[p], lon[i], lat[i]) <= 1.1 * MILE)
			kind[i] = 0;
	for (i = 0; i < n && ng2 < 5; i = j) {
		size_t want = ng2 ? 2 : 3, have = 0, q;

		for (j = i; j < n && strcmp(m[j].geoid, m[i].geoid) == 0; j++)
			have += kind[j] == 2;
		if (have < want)
			continue;
		for (q = i; q < j && want > 0; q++)
			if (kind[q] == 2) {
				add_member(f, t, &m[q], ++k);
				ng2++;
				want--;
			}
	}
	fclose(f);
	/* c_out: c_edge and 12 people in no area (south-west of the
	 * county): the cover counts them, the areas' table does not */
	{
		char *e = test_slurp(test_path("edge.csv"), NULL);

		f = fopen(test_path("out.csv"), "w");
		if (!e || !f) {
			free(e);
			if (f)
				fclose(f);
			goto cleanup;
		}
		fputs(e, f);
		for (j = 0; j < 12; j++)
			fprintf(f,
				"c_out-%zu,Zebulon "
				"Quixwhistle,MRN-%08zu,1987-03-01,-121.6%zu,36."
				"4%zu,en\n",
				j, 73600000 + j, j, j);
		fclose(f);
		free(e);
		truths[5] = *t;
		truths[5].cohort = "c_out";
	}
	f = fopen(test_path("edge_sites.csv"), "w");
	if (!f)
		goto cleanup;
	fprintf(f, "name,lat,lon\nP,%s,%s\n", m[p].lat, m[p].lon);
	fclose(f);
	rc = ng2 == 5 ? 0 : -1;
cleanup:
	if (rc)
		test_fail(__FILE__, __LINE__,
			  "the demo county has no place for c_edge");
	free(food);
	free(legal);
	free(dental);
	free(lon);
	free(lat);
	free(kind);
	return rc;
}

static int build_cohorts(void)
{
	static const int pattern[] = {0, 1, 2, 3,  4,  5,  6,
				      7, 8, 9, 10, 11, 12, 1000};
	size_t n, j, start, tract = 0;
	struct member *m = demo_members(&n);
	FILE *fs, *ft, *fm, *fr;
	int k = 0;

	if (n < 1000) {
		test_fail(__FILE__, __LINE__, "the demo cohort has %zu members",
			  n);
		free(m);
		return -1;
	}
	truths[0].cohort = "c_small";
	truths[1].cohort = "c_tiny";
	truths[2].cohort = "c_micro";
	truths[3].cohort = "c_rej";
	ntruths = 6;
	fs = fopen(test_path("small.csv"), "w");
	ft = fopen(test_path("tiny.csv"), "w");
	fm = fopen(test_path("micro.csv"), "w");
	fr = fopen(test_path("rej.csv"), "w");
	fputs(HEADER, fs);
	fputs(HEADER, ft);
	fputs(HEADER, fm);
	fputs(HEADER, fr);
	for (start = 0; start < n; start = j, tract++) {
		int want =
		    pattern[tract % (sizeof(pattern) / sizeof(pattern[0]))];

		for (j = start;
		     j < n && strcmp(m[j].geoid, m[start].geoid) == 0; j++)
			if ((int)(j - start) < want)
				add_member(fs, &truths[0], &m[j], ++k);
		if (tract % 7 == 3 && truths[1].total < 25)
			add_member(ft, &truths[1], &m[start], ++k);
		if (tract % 23 == 5 && truths[2].total < 7)
			add_member(fm, &truths[2], &m[start], ++k);
		if (tract % 5 == 1 && truths[3].total < 30)
			add_member(fr, &truths[3], &m[start], ++k);
	}
	/* three bad rows, left out with --skip-bad */
	fputs(
	    "c_rej-bad1,Zebulon Quixwhistle,MRN-1,1987-01-01,-120.5,95.5,en\n"
	    "c_rej-bad2,Zebulon Quixwhistle,MRN-2,1987-01-01,-120.5,99.5,en\n"
	    "c_rej-bad3,Zebulon Quixwhistle,MRN-3,1987-01-01,-120.5,91.5,en\n",
	    fr);
	fclose(fs);
	fclose(ft);
	fclose(fm);
	fclose(fr);
	if (build_edge(m, n, k)) {
		free(m);
		return -1;
	}
	free(m);
	return truths[1].total == 25 && truths[2].total == 7 ? 0 : -1;
}

static int build_workspace(void)
{
	static const char *const steps[] = {
	    "init --crs EPSG:3310",
	    "import areas " TEST_SRCDIR
	    "/data/demo/tracts.geojson --level tract --geoid GEOID --name NAME",
	    "import indicators " TEST_SRCDIR
	    "/data/demo/indicators.csv --geoid GEOID --population population",
	    "import assets " TEST_SRCDIR
	    "/data/demo/assets.csv --lon lon --lat lat --name name --id id "
	    "--category category --capacity capacity --languages languages "
	    "--medi-cal accepts_medi_cal --programs programs --hours hours",
	    "import cohort c_demo " TEST_SRCDIR
	    "/data/demo/cohort.csv --id person_id --keep language",
	};
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		char *out = NULL, *err = NULL,
		     *cmd = xasprintf("-q %s %s", ws_args, steps[i]);
		int rc = test_run_cli(cmd, &out, &err);

		if (rc != 0)
			test_fail(__FILE__, __LINE__, "%s: exit %d: %s",
				  steps[i], rc, err);
		free(out);
		free(err);
		free(cmd);
		if (rc != 0)
			return -1;
	}
	if (build_cohorts())
		return -1;
	free(run("import",
		 "-q import cohort c_small small.csv --id id --keep language",
		 1));
	free(run("import",
		 "-q import cohort c_tiny tiny.csv --id id --keep language",
		 1));
	free(run("import",
		 "-q import cohort c_micro micro.csv --id id --keep language",
		 1));
	free(run(
	    "import",
	    "-q import cohort c_rej rej.csv --id id --keep language --skip-bad",
	    1));
	free(run("import",
		 "-q import cohort c_edge edge.csv --id id --keep language",
		 1));
	free(run("import",
		 "-q import cohort c_out out.csv --id id --keep language", 1));
	/* three members without a location (no importer makes them today,
	 * but a workspace may hold them): the analyses count them apart */
	{
		char *cmd = xasprintf(
		    "sqlite3 -cmd '.load mod_spatialite' '%s/sweep.db' "
		    "\"INSERT INTO cohort_members(cohort_id, key_hash, "
		    "area_geoid, "
		    "precision, attrs, geom) SELECT cohort_id, 'unlocated' || "
		    "id, "
		    "NULL, 'zip', attrs, NULL FROM cohort_members WHERE "
		    "cohort_id = "
		    "(SELECT id FROM cohorts WHERE name = 'c_tiny') LIMIT 3\" "
		    "&& echo ok",
		    test_tmpdir());
		char *ok = test_popen(cmd);

		if (!ok)
			test_fail(__FILE__, __LINE__,
				  "cannot add members without a location");
		free(ok);
		free(cmd);
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * The sweep
 * ------------------------------------------------------------------ */

static void test_sweep(void)
{
	/* c_tiny in every format, the others in csv and json */
	static const char *const cohorts[] = {"c_tiny", "c_micro", "c_small"};
	static const char *const analyses[] = {
	    "nearest --cohort %s --category food,housing,legal,dental --beyond "
	    "1mi",
	    "nearest --cohort %s --where language=es --category food,legal "
	    "--beyond 2mi",
	    "coverage --cohort %s --category food,housing,legal,dental "
	    "--within 1mi",
	    "access --method 2sfca --category food --catchment 2mi --cohort %s "
	    "--top 1000",
	    "gaps --cohort %s --category food,housing,legal,dental --beyond "
	    "1mi --top 1000 --table categories",
	    "gaps --cohort %s --category food,housing,legal,dental --beyond "
	    "1mi --top 1000 --table areas",
	    "deserts --category legal --within 2mi --cohort %s --top 1000",
	    "deserts --category food --within 1mi --cohort %s --top 1000",
	    "sites --category legal --within 1mi --add 6 --cohort %s",
	    "sites --category dental --within 2mi --add 3 --cohort %s",
	};
	char a[512], f[256];
	size_t c, i;

	if (!getenv("ASSETMAP")) {
		test_skip("ASSETMAP is not set (run through make test)");
		return;
	}
	if (build_workspace())
		return;
	sweep3("info", NULL, 1);
	sweep3("sources", NULL, 1);
	for (c = 0; c < sizeof(cohorts) / sizeof(cohorts[0]); c++) {
		const char *k = cohorts[c];
		const struct truth *tr = truth_of(k);

		for (i = 0; i < sizeof(analyses) / sizeof(analyses[0]); i++) {
			const char *s = strstr(analyses[i], "%s");

			snprintf(a, sizeof(a), "%.*s%s%s",
				 (int)(s - analyses[i]), analyses[i], k, s + 2);
			sweep3(a, tr, c == 0);
		}
		snprintf(a, sizeof(a),
			 "map -o map_%s.pdf --cohort %s --category food", k, k);
		snprintf(f, sizeof(f), "map_%s.pdf", k);
		sweep_pdf(a, a, f, tr, 1);
		snprintf(
		    a, sizeof(a),
		    "atlas --cohort %s --within 1mi -o atlas_%s.pdf --category "
		    "food,housing,legal,primary_care,transportation,utilities",
		    k, k);
		snprintf(f, sizeof(f), "atlas_%s.pdf", k);
		sweep_pdf(a, a, f, tr, 0);
		sweep_runs(k, tr);
	}
	/* maps of stored cohort columns (the newest runs: c_small's) */
	sweep_pdf("map nearest:n", "map -o map_n.pdf --indicator nearest:n",
		  "map_n.pdf", NULL, 1);
	sweep_pdf("map gaps:need", "map -o map_need.pdf --indicator gaps:need",
		  "map_need.pdf", NULL, 1);
	sweep_pdf("map sites:reach",
		  "map -o map_reach.pdf --indicator sites:reach",
		  "map_reach.pdf", NULL, 1);
	/* c_edge: an atlas whose categories have one small side (beyond
	 * or within), and new sites that leave a few out of reach */
	sweep_pdf(
	    "atlas c_edge",
	    "atlas --cohort c_edge --within 1mi -o atlas_c_edge.pdf --category "
	    "food,housing,legal,primary_care,transportation,utilities",
	    "atlas_c_edge.pdf", truth_of("c_edge"), 0);
	sweep_pdf("atlas c_out",
		  "atlas --cohort c_out --within 1mi -o atlas_c_out.pdf "
		  "--category legal",
		  "atlas_c_out.pdf", truth_of("c_out"), 0);
	sweep3("sites --category dental --within 1mi --add 1 --candidates "
	       "edge_sites.csv --cohort c_edge",
	       truth_of("c_edge"), 1);
	sweep_runs("c_edge", truth_of("c_edge"));
	sweep3("results", NULL, 0);
	printf("  sweep: %d rows checked, %d leaks\n", nchecked, nleaks);
	CHECK(nchecked > 1000);
	CHECK_INT(nleaks, 0);
}

static const struct test tests[] = {
    TEST(test_sweep),
    {0},
};

int main(void)
{
	return test_main("privacy_sweep", tests);
}
