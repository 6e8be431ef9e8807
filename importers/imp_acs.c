/*
 * imp_acs.c - American Community Survey tables as the Census Bureau's
 * sites write them, into indicators.  See imp_census.h for the contract.
 *
 * data.census.gov (2019 onward): GEO_ID, NAME, then estimate / margin of
 * error pairs (B01003_001E / B01003_001M; DP05_0001PE / DP05_0001PM),
 * sometimes annotation columns (..EA, ..MA) and a trailing empty column;
 * the second line repeats the header in words ("Geography", "Estimate!!
 * Total").  American FactFinder (to 2019): GEO.id, GEO.id2,
 * GEO.display-label, then HD01_VDnn (estimate) / HD02_VDnn (margin of
 * error); the second line is in words too ("Id", "Estimate; Total").
 *
 * The GEO_ID ("1400000US06075010101") gives each row's level by its
 * summary level; rows of other levels (nation, place, ...) are skipped
 * and counted.  An indicator is named after its estimate column (the
 * FactFinder HD01_VD01 of table B01003 becomes B01003_001E) and carries
 * the estimate's margin of error, at the 90% level as the ACS publishes
 * it.  Annotations read as missing; '*****' and -555555555 in a margin
 * of error mean "controlled, no sampling error" and read as 0; a top- or
 * bottom-coded estimate ("250,000+") is kept as its bound.
 */
#include "importers/imp_census_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_area.h"

struct acol {
	int est;    /* column of the estimate */
	int moe;    /* its margin of error, -1 when none */
	char *name; /* the indicator */
	char *label;
	int percent; /* a percent estimate (..PE) */
};

struct acs_job {
	struct census_job c;
	struct census_csv t;
	struct census_out w;
	int aff;	 /* American FactFinder layout */
	int geo;	 /* GEO_ID / GEO.id column */
	int have_labels; /* the second line is the header in words */
	int pending;	 /* the record read with the header is data */
	char **labels;	 /* words of the second line, per column */
	char table[24];	 /* B01003, when known */
	char survey[8];	 /* "5-year", "1-year", "" */
	long year;
	const char *year_from;
	struct acol *cols;
	size_t ncols;
	int pop; /* index in cols of the population, -1 */
	int64_t controlled, bounds, annotations;
	int64_t level_rows[5]; /* rows per census level (census_level order) */
	struct imp_strlist skipped_sumlev;
	int64_t skipped_rows;
};

static const char *const level_order[5] = {"state", "county", "tract",
					   "blockgroup", "zcta"};

/* ---------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------ */

enum { V_NUM, V_MISSING, V_CONTROLLED, V_BOUND, V_BAD };

static int is_sentinel(double d, double s)
{
	return fabs(d - s) < 0.5;
}

/* An estimate or margin of error as the Census writes it. */
static int acs_value(const char *s0, int is_moe, double *v)
{
	static const char *const missing[] = {"",   "(X)", "N",	 "null", "-",
					      "**", "***", "NA", "N/A",	 NULL};
	char *s = imp_trim_dup(s0), *c;
	const char *const *m;
	int r = V_BAD;
	size_t n;

	for (m = missing; *m; m++)
		if (strcasecmp(s, *m) == 0) {
			r = V_MISSING;
			goto done;
		}
	if (strcmp(s, "*****") == 0) {
		r = is_moe ? V_CONTROLLED : V_MISSING;
		goto done;
	}
	if (imp_parse_number(s, v)) {
		if (is_sentinel(*v, -555555555))
			r = is_moe ? V_CONTROLLED : V_MISSING;
		else if (is_sentinel(*v, -666666666) ||
			 is_sentinel(*v, -999999999) ||
			 is_sentinel(*v, -888888888) ||
			 is_sentinel(*v, -222222222) ||
			 is_sentinel(*v, -333333333))
			r = V_MISSING;
		else if (is_moe && *v < 0)
			r = V_BAD;
		else
			r = V_NUM;
		goto done;
	}
	/* "250,000+" and "2,500-": a median in an open-ended interval;
	 * "1,234": a thousands separator. */
	n = strlen(s);
	if (!is_moe && n > 1 && (s[n - 1] == '+' || s[n - 1] == '-')) {
		s[n - 1] = '\0';
		r = V_BOUND;
	} else if (!strchr(s, ',')) {
		goto done;
	} else {
		r = V_NUM;
	}
	for (c = s; *c; c++)
		if (*c == ',')
			memmove(c, c + 1, strlen(c));
	if (!imp_parse_number(s, v) || (is_moe && *v < 0))
		r = V_BAD;
done:
	free(s);
	if (r == V_CONTROLLED)
		*v = 0;
	return r;
}

/* ---------------------------------------------------------------------
 * The header
 * ------------------------------------------------------------------ */

/* data.census.gov: B01003_001E, S1701_C03_001E, DP05_0001PE */
static int is_estimate(const char *s)
{
	size_t n = strlen(s);

	return n > 3 && strchr(s, '_') && isalpha((unsigned char)s[0]) &&
	       s[n - 1] == 'E' && isdigit((unsigned char)s[n - 2]);
}

static int is_estimate_pe(const char *s)
{
	size_t n = strlen(s);

	return n > 4 && strchr(s, '_') && isalpha((unsigned char)s[0]) &&
	       s[n - 1] == 'E' && s[n - 2] == 'P' &&
	       isdigit((unsigned char)s[n - 3]);
}

/* The year, survey and table from names such as ACSDT5Y2022.B01003-
 * Data.csv, ACSDT5Y2019.B01003_data_with_overlays_2021-...csv and
 * ACS_17_5YR_B01003_with_ann.csv. */
static void from_file_name(struct acs_job *j)
{
	const char *n = j->c.src->name, *p;
	size_t k;

	if ((p = strcasestr(n, "ACS")) && p[3] &&
	    isalpha((unsigned char)p[3]) && isalpha((unsigned char)p[4]) &&
	    (p[5] == '1' || p[5] == '3' || p[5] == '5') && p[6] == 'Y' &&
	    isdigit((unsigned char)p[7]) && isdigit((unsigned char)p[8]) &&
	    isdigit((unsigned char)p[9]) && isdigit((unsigned char)p[10])) {
		snprintf(j->survey, sizeof(j->survey), "%c-year", p[5]);
		j->year = strtol(p + 7, NULL, 10);
		p += 11;
	} else if ((p = strcasestr(n, "ACS_")) &&
		   isdigit((unsigned char)p[4]) &&
		   isdigit((unsigned char)p[5]) && p[6] == '_' &&
		   (p[7] == '1' || p[7] == '3' || p[7] == '5') &&
		   strncasecmp(p + 8, "YR_", 3) == 0) {
		snprintf(j->survey, sizeof(j->survey), "%c-year", p[7]);
		j->year = 2000 + strtol(p + 4, NULL, 10);
		p += 10;
	} else {
		return;
	}
	j->year_from = "the file's name";
	if (*p == '.' || *p == '_')
		p++;
	for (k = 0; isalnum((unsigned char)p[k]) && k + 1 < sizeof(j->table);
	     k++)
		j->table[k] = (char)toupper((unsigned char)p[k]);
	j->table[k] = '\0';
}

/* "Estimate!!Total:" -> "Total"; "Estimate; Total" -> "Total". */
static char *words(const char *s)
{
	static const char *const lead[] = {"Estimate!!", "Estimate; ",
					   "Percent!!", "Percent; ", NULL};
	const char *const *l;
	char *r;
	size_t n;

	for (l = lead; *l; l++)
		if (strncasecmp(s, *l, strlen(*l)) == 0) {
			s += strlen(*l);
			break;
		}
	r = xstrdup(s);
	n = strlen(r);
	while (n > 0 && (r[n - 1] == ':' || isspace((unsigned char)r[n - 1])))
		r[--n] = '\0';
	return r;
}

static void add_col(struct acs_job *j, int est, int moe, char *name)
{
	struct acol *c;
	size_t cap = j->ncols + 1;

	j->cols = xrealloc(j->cols, cap * sizeof(*j->cols));
	c = &j->cols[j->ncols++];
	memset(c, 0, sizeof(*c));
	c->est = est;
	c->moe = moe;
	c->name = name;
	c->percent = is_estimate_pe(j->t.names[est]);
}

/* AFF HD01_VDnn -> TABLE_0nnE when the table is known. */
static char *aff_name(const struct acs_job *j, const char *col, int moe)
{
	const char *vd = strstr(col, "_VD");

	if (!j->table[0] || !vd || !isdigit((unsigned char)vd[3]))
		return xstrdup(col);
	return xasprintf("%s_%03ld%c", j->table, strtol(vd + 3, NULL, 10),
			 moe ? 'M' : 'E');
}

/*
 * Pair each estimate column with its margin of error (data.census.gov
 * ..E / ..M; FactFinder HD01_ / HD02_ and HCnn_EST_ / HCnn_MOE_) into
 * j->cols, count the annotation columns, find the population column
 * (B01003_001E, DP05_0001E, or --population) into j->pop, and with
 * --columns keep only the columns asked for (and the population's).
 * Returns CORE_OK; CORE_EFORMAT when the file has no estimate columns;
 * CORE_EUSAGE when --population or --columns names a column the file
 * does not have, or --columns is empty; j->c.err is set.
 */
static int map_columns(struct acs_job *j)
{
	struct imp_strlist want = {0};
	size_t i;
	int k, rc = CORE_OK;

	for (i = 0; i < j->t.ncol; i++) {
		const char *n = j->t.names[i];
		char partner[160];
		if ((int)i == j->geo)
			continue;
		if (!j->aff && is_estimate(n)) {
			size_t len = strlen(n);
			snprintf(partner, sizeof(partner), "%.*sM",
				 (int)len - 1, n);
			add_col(j, (int)i, census_csv_col(&j->t, partner),
				xstrdup(n));
		} else if (j->aff && strncasecmp(n, "HD01_", 5) == 0) {
			snprintf(partner, sizeof(partner), "HD02_%s", n + 5);
			add_col(j, (int)i, census_csv_col(&j->t, partner),
				aff_name(j, n, 0));
		} else if (j->aff && strncasecmp(n, "HC", 2) == 0 &&
			   strstr(n, "_EST_")) {
			const char *e = strstr(n, "_EST_");
			snprintf(partner, sizeof(partner), "%.*s_MOE_%s",
				 (int)(e - n), n, e + 5);
			add_col(j, (int)i, census_csv_col(&j->t, partner),
				xstrdup(n));
		}
	}
	/* Annotation columns (..EA, ..MA) say again what the values say. */
	for (i = 0; i < j->t.ncol; i++) {
		size_t len = strlen(j->t.names[i]);
		if (len > 3 &&
		    toupper((unsigned char)j->t.names[i][len - 1]) == 'A' &&
		    (j->t.names[i][len - 2] == 'E' ||
		     j->t.names[i][len - 2] == 'M'))
			j->annotations++;
	}
	if (!j->ncols) {
		return census_not_this(
		    j->c.err, j->c.src->name, "an ACS table",
		    j->aff ? "no estimate columns HD01_..."
			   : "no estimate columns such as B01003_001E",
		    (const char *const *)j->t.names, j->t.ncol, 0, "acs");
	}
	/* The population: a total population estimate, or --population. */
	j->pop = -1;
	for (k = 0; k < (int)j->ncols && j->pop < 0; k++) {
		const char *n = j->cols[k].name,
			   *raw = j->t.names[j->cols[k].est];
		if (j->c.o->population) {
			if (*j->c.o->population &&
			    (!strcasecmp(n, j->c.o->population) ||
			     !strcasecmp(raw, j->c.o->population)))
				j->pop = k;
		} else if (!strcmp(n, "B01003_001E") ||
			   !strcmp(n, "DP05_0001E")) {
			j->pop = k;
		}
	}
	if (j->c.o->population && *j->c.o->population && j->pop < 0) {
		struct core_buf b = CORE_BUF_INIT;
		size_t c;
		for (c = 0; c < j->ncols; c++)
			core_buf_addf(&b, "%s%s", c ? ", " : "",
				      j->cols[c].name);
		rc = core_err_set(j->c.err, CORE_EUSAGE,
				  "--population: %s has no estimate column "
				  "'%s'; its estimates are: %s",
				  j->c.src->name, j->c.o->population,
				  core_buf_str(&b));
		core_buf_release(&b);
		goto cleanup;
	}
	if (j->c.o->columns) {
		struct acol *keep;
		size_t nk = 0;
		int pop = -1;
		imp_strlist_split(&want, j->c.o->columns, ",", 0);
		if (!want.n) {
			rc = core_err_set(j->c.err, CORE_EUSAGE,
					  "--columns: give one or more "
					  "estimate columns, separated by ','");
			goto cleanup;
		}
		for (i = 0; i < want.n; i++) {
			size_t c;
			for (c = 0; c < j->ncols; c++)
				if (!strcasecmp(want.v[i], j->cols[c].name) ||
				    !strcasecmp(want.v[i],
						j->t.names[j->cols[c].est]))
					break;
			if (c == j->ncols) {
				struct core_buf b = CORE_BUF_INIT;
				for (c = 0; c < j->ncols; c++)
					core_buf_addf(&b, "%s%s", c ? ", " : "",
						      j->cols[c].name);
				rc = core_err_set(
				    j->c.err, CORE_EUSAGE,
				    "--columns: %s has no estimate column "
				    "'%s'; its estimates are: %s",
				    j->c.src->name, want.v[i],
				    core_buf_str(&b));
				core_buf_release(&b);
				goto cleanup;
			}
		}
		/* The population column comes along: it sets the areas'. */
		keep = xcalloc(j->ncols, sizeof(*keep));
		for (i = 0; i < j->ncols; i++) {
			int w = census_list_find(&want, j->cols[i].name) >= 0 ||
				census_list_find(
				    &want, j->t.names[j->cols[i].est]) >= 0;
			if (w || (int)i == j->pop) {
				if ((int)i == j->pop)
					pop = (int)nk;
				keep[nk++] = j->cols[i];
			} else {
				free(j->cols[i].name);
			}
		}
		free(j->cols);
		j->cols = keep;
		j->ncols = nk;
		j->pop = pop;
	}
cleanup:
	imp_strlist_free(&want);
	return rc;
}

/*
 * Read what precedes the data: the GEO_ID (or FactFinder GEO.id)
 * column, the second line (the header in words, kept as j->labels, or
 * already a data row, then j->pending), the table, survey and year
 * from the file's name and columns (--year first), then the column
 * mapping (map_columns).  Returns CORE_OK, or CORE_EFORMAT /
 * CORE_EUSAGE with j->c.err set (see map_columns).
 */
static int read_header(struct acs_job *j)
{
	int rc, i;

	j->geo = census_csv_col(&j->t, "GEO_ID");
	if (j->geo < 0 && (j->geo = census_csv_col(&j->t, "GEO.id")) >= 0)
		j->aff = 1;
	if (j->geo < 0)
		return census_not_this(
		    j->c.err, j->c.src->name,
		    "an ACS table as data.census.gov writes it",
		    "no GEO_ID column", (const char *const *)j->t.names,
		    j->t.ncol, 0, "acs");
	/* The second line: the header in words, or already data. */
	rc = census_csv_next(&j->t, j->c.err);
	if (rc < 0)
		return CORE_EFORMAT;
	if (rc == 1) {
		const char *g = census_csv_get(&j->t, j->geo);
		if (isdigit((unsigned char)g[0]) &&
		    isdigit((unsigned char)g[1]) &&
		    isdigit((unsigned char)g[2])) {
			j->pending = 1;
		} else {
			j->have_labels = 1;
			j->labels = xcalloc(j->t.ncol + 1, sizeof(*j->labels));
			for (i = 0; i < (int)j->t.ncol; i++)
				j->labels[i] =
				    imp_trim_dup(census_csv_get(&j->t, i));
		}
	}
	from_file_name(j);
	if (!j->table[0]) {
		/* The table from the first estimate column: B01003_001E. */
		for (i = 0; i < (int)j->t.ncol; i++)
			if (is_estimate(j->t.names[i])) {
				const char *u = strchr(j->t.names[i], '_');
				snprintf(j->table, sizeof(j->table), "%.*s",
					 (int)(u - j->t.names[i]),
					 j->t.names[i]);
				break;
			}
	}
	if (j->c.o->year) {
		j->year = j->c.o->year;
		j->year_from = "--year";
	}
	return map_columns(j);
}

static void make_labels(struct acs_job *j)
{
	size_t i;

	for (i = 0; i < j->ncols; i++) {
		struct acol *c = &j->cols[i];
		struct core_buf b = CORE_BUF_INIT;
		char *w = j->have_labels ? words(j->labels[c->est]) : NULL;

		if (j->table[0])
			core_buf_addf(&b, "%s: ", j->table);
		core_buf_adds(&b, w && *w ? w : c->name);
		core_buf_adds(&b, " (ACS");
		if (j->survey[0])
			core_buf_addf(&b, " %s", j->survey);
		if (j->year)
			core_buf_addf(&b, " %ld", j->year);
		core_buf_adds(&b, c->moe >= 0
				      ? "; moe is the 90% margin of error)"
				      : ")");
		c->label = core_buf_detach(&b);
		free(w);
	}
}

/* ---------------------------------------------------------------------
 * Rows
 * ------------------------------------------------------------------ */

static const char *sumlev_name(const char *s)
{
	static const char *const names[][2] = {
	    {"010", "nation"},
	    {"020", "region"},
	    {"030", "division"},
	    {"060", "county subdivision"},
	    {"160", "place"},
	    {"250", "American Indian area"},
	    {"310", "metropolitan/micropolitan area"},
	    {"330", "combined statistical area"},
	    {"400", "urban area"},
	    {"500", "congressional district"},
	    {"610", "state senate district"},
	    {"620", "state house district"},
	    {"795", "PUMA"},
	    {"950", "school district"},
	    {"970", "school district"},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i][0]))
			return names[i][1];
	return "other";
}

/* One data row (arg: the job), for census_csv_each. */
static int row(void *arg)
{
	struct acs_job *j = arg;
	double *val = xcalloc(j->ncols + 1, sizeof(double));
	double *moe = xcalloc(j->ncols + 1, sizeof(double));
	int *has = xcalloc(j->ncols + 1, sizeof(int));
	int *has_moe = xcalloc(j->ncols + 1, sizeof(int));
	const char *geo_id, *level;
	char geoid[32], sumlev[4];
	long line = j->t.line;
	int rc = CORE_OK, repeat, k;
	size_t i;

	j->c.src->rows_read++;
	if (census_csv_short(&j->t, j->c.ws, j->c.err, &rc))
		goto cleanup;
	geo_id = census_csv_get(&j->t, j->geo);
	level = imp_census_geo_id(geo_id, geoid, sizeof(geoid), sumlev);
	if (!level) {
		if (!sumlev[0] || !strcmp(sumlev, "040") ||
		    !strcmp(sumlev, "050") || !strcmp(sumlev, "140") ||
		    !strcmp(sumlev, "150") || !strcmp(sumlev, "860")) {
			rc = imp_reject(j->c.ws, j->c.src, line,
					j->t.names[j->geo], geo_id, j->c.err,
					"is not a census GEO_ID; a tract's is "
					"e.g. 1400000US06075010100 (summary "
					"level, component, 'US', GEOID)");
			goto cleanup;
		}
		j->skipped_rows++;
		if (census_list_find(&j->skipped_sumlev, sumlev) < 0)
			imp_strlist_add(&j->skipped_sumlev, xstrdup(sumlev));
		goto cleanup;
	}
	for (i = 0; i < j->ncols; i++) {
		struct acol *c = &j->cols[i];
		const char *s = census_csv_get(&j->t, c->est);
		int r = acs_value(s, 0, &val[i]);
		if (r == V_BAD) {
			rc = imp_reject(
			    j->c.ws, j->c.src, line, j->t.names[c->est], s,
			    j->c.err,
			    "is not a number or a Census annotation; an "
			    "estimate is a number, or one of (X), N, -, null, "
			    "-666666666, -999999999, -888888888");
			goto cleanup;
		}
		has[i] = r == V_NUM || r == V_BOUND;
		if (r == V_BOUND)
			j->bounds++;
		if (c->moe < 0)
			continue;
		s = census_csv_get(&j->t, c->moe);
		r = acs_value(s, 1, &moe[i]);
		if (r == V_BAD) {
			rc = imp_reject(
			    j->c.ws, j->c.src, line, j->t.names[c->moe], s,
			    j->c.err,
			    "is not a margin of error; it is a number of 0 or "
			    "more, '*****' (controlled: no sampling error), or "
			    "one of (X), N, **, ***, null, -555555555, "
			    "-222222222, -333333333");
			goto cleanup;
		}
		has_moe[i] = r == V_NUM || r == V_CONTROLLED;
		if (r == V_CONTROLLED && has[i])
			j->controlled++;
	}
	for (i = 0; i < j->ncols; i++) {
		if ((rc = census_put(&j->w, geoid, j->cols[i].name, has[i],
				     val[i], has_moe[i], moe[i], j->year,
				     &repeat, j->c.err)))
			goto cleanup;
		if (repeat) {
			rc = imp_reject(j->c.ws, j->c.src, line,
					j->t.names[j->geo], geo_id, j->c.err,
					"appears more than once in the file; "
					"each area must have one row");
			goto cleanup;
		}
	}
	if (j->pop >= 0 && has[j->pop] &&
	    (rc = census_population(&j->w, level, geoid, val[j->pop],
				    has_moe[j->pop], moe[j->pop], j->year,
				    j->c.err)))
		goto cleanup;
	for (k = 0; k < 5; k++)
		if (!strcmp(level, level_order[k]))
			j->level_rows[k]++;
	j->c.src->rows_accepted++;
cleanup:
	free(val);
	free(moe);
	free(has);
	free(has_moe);
	return rc;
}

static void build_options(struct acs_job *j)
{
	struct core_buf b = CORE_BUF_INIT, l = CORE_BUF_INIT;
	char num[24];
	size_t i;

	if (j->c.o->columns) {
		for (i = 0; i < j->ncols; i++)
			core_buf_addf(&l, "%s%s", i ? "," : "",
				      j->cols[i].name);
		imp_opt_add(&b, "columns", core_buf_str(&l));
	}
	if (j->year) {
		snprintf(num, sizeof(num), "%ld", j->year);
		imp_opt_add(&b, "year", num);
	}
	imp_opt_add(&b, "population",
		    j->pop >= 0 ? j->t.names[j->cols[j->pop].est] : "");
	imp_opt_finish(&b, j->c.o->skip_bad, j->c.src);
	core_buf_release(&l);
}

/*
 * Fill j->c.stats (when given) after the rows: what was read ("ACS 5-year
 * 2022 table B01003"), the year, the number of indicators, the level
 * when the rows are of one level only, and notes on the layout, rows
 * per level, the year's origin, the population column, controlled
 * margins of error, open-ended estimates and skipped summary levels.
 * Strings are the stats' own.
 */
static void summarise(struct acs_job *j)
{
	struct imp_census_stats *st = j->c.stats;
	struct core_buf b = CORE_BUF_INIT;
	int k, first = -1, nlevels = 0;
	size_t i;

	if (!st)
		return;
	core_buf_addf(&b, "ACS");
	if (j->survey[0])
		core_buf_addf(&b, " %s", j->survey);
	if (j->year)
		core_buf_addf(&b, " %ld", j->year);
	if (j->table[0])
		core_buf_addf(&b, " table %s", j->table);
	free(st->what);
	st->what = core_buf_detach(&b);
	st->year = j->year;
	st->ncolumns = (int64_t)j->ncols;
	for (k = 0; k < 5; k++)
		if (j->level_rows[k]) {
			nlevels++;
			if (first < 0)
				first = k;
			core_buf_addf(&b, "%s%lld %s%s", b.len ? ", " : "",
				      (long long)j->level_rows[k],
				      census_level_find(level_order[k])->label,
				      j->level_rows[k] == 1 ? "" : "s");
		}
	free(st->level);
	st->level =
	    first >= 0 && nlevels == 1 ? xstrdup(level_order[first]) : NULL;
	census_note(st, "%s layout; rows: %s",
		    j->aff ? "American FactFinder" : "data.census.gov",
		    b.len ? core_buf_str(&b) : "none");
	core_buf_reset(&b);
	if (!j->year)
		census_note(st,
			    "the data's year is not in the file's name: give "
			    "--year (the last year of the survey period)");
	else
		census_note(st, "year %ld (from %s)", j->year, j->year_from);
	if (j->pop >= 0)
		census_note(
		    st,
		    "%s is the total population: it sets the areas' population",
		    j->cols[j->pop].name);
	if (j->controlled)
		census_note(
		    st,
		    "%lld margin%s of error '*****' or -555555555 (a "
		    "controlled estimate: no sampling error) stored as 0",
		    (long long)j->controlled, j->controlled == 1 ? "" : "s");
	if (j->bounds)
		census_note(st,
			    "%lld open-ended estimate%s (e.g. '250,000+') "
			    "stored as the bound",
			    (long long)j->bounds, j->bounds == 1 ? "" : "s");
	if (j->skipped_rows) {
		for (i = 0; i < j->skipped_sumlev.n; i++)
			core_buf_addf(&b, "%s%s (%s)", i ? ", " : "",
				      j->skipped_sumlev.v[i],
				      sumlev_name(j->skipped_sumlev.v[i]));
		census_note(
		    st,
		    "skipped %lld row%s of summary level %s: not a census area "
		    "assetmap keeps (state, county, tract, block group, ZCTA)",
		    (long long)j->skipped_rows, j->skipped_rows == 1 ? "" : "s",
		    core_buf_str(&b));
		st->skipped = j->skipped_rows;
	}
	core_buf_release(&b);
}

/*
 * imp_census.h states the contract.  Reads either layout (data.census.gov
 * or American FactFinder); rows of levels assetmap does not keep are
 * skipped and counted, and a file with no row of a kept level is
 * CORE_EFORMAT.
 */
int imp_acs_import(struct core_ws *ws, const struct imp_census_opts *o,
		   struct imp_source *src, struct imp_census_stats *stats,
		   struct core_err *err)
{
	struct imp_bulk bulk = {0};
	struct acs_job j;
	size_t i;
	int k, rc;

	memset(&j, 0, sizeof(j));
	census_job_init(&j.c, ws, o, src, stats, err);
	j.pop = -1;

	if (!o->path) {
		rc = core_err_set(err, CORE_EUSAGE, "no file to import");
		goto cleanup;
	}
	if (o->level || o->layer || o->ranking) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "import acs takes only --columns, "
				  "--population, --year and --skip-bad");
		goto cleanup;
	}
	if ((rc = census_csv_open(&j.t, src, o->path,
				  "an ACS table as data.census.gov writes it",
				  "acs", err)) ||
	    (rc = read_header(&j)))
		goto cleanup;
	free(src->format);
	src->format = xstrdup(j.aff ? "acs (American FactFinder)" : "acs");
	make_labels(&j);
	build_options(&j);
	{
		char y[16], d[24];

		snprintf(y, sizeof(y), "%ld", j.year);
		snprintf(d, sizeof(d), "ACS%s%s", *j.survey ? " " : "",
			 j.survey);
		imp_source_publisher(src, "U.S. Census Bureau", d,
				     j.year > 0 ? y : NULL);
	}

	if ((rc = census_table_begin(ws, &bulk, &j.w, src, stats, err)))
		goto cleanup;
	for (i = 0; i < j.ncols; i++)
		if ((rc = census_info(&j.w, j.cols[i].name, j.cols[i].label,
				      j.cols[i].percent ? "percent" : NULL,
				      j.year, err)))
			goto cleanup;
	if ((rc = census_csv_each(&j.t, j.pending, row, &j, err)))
		goto cleanup;
	if (src->rows_read > 0 && src->rows_read == j.skipped_rows) {
		summarise(&j);
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "%s: none of its %lld rows is a state, county, tract, "
		    "block group or ZCTA (summary levels 040, 050, 140, 150, "
		    "860); its GEO_IDs are of summary level %s (%s)",
		    src->name, (long long)src->rows_read, j.skipped_sumlev.v[0],
		    sumlev_name(j.skipped_sumlev.v[0]));
		goto cleanup;
	}
	if ((rc = imp_source_close(ws, src, err)))
		goto cleanup;
	for (k = 0; k < 5; k++)
		if (j.level_rows[k] &&
		    (rc = census_out_finish(&j.w, level_order[k], err)))
			goto cleanup;
	summarise(&j);
	if ((rc = imp_source_words(ws, src, err)))
		goto cleanup;
	rc = core_ws_commit(ws, err);
cleanup:
	census_table_end(ws, rc, &bulk, &j.w, &j.t, src);
	for (i = 0; i < j.ncols; i++) {
		free(j.cols[i].name);
		free(j.cols[i].label);
	}
	free(j.cols);
	if (j.labels) {
		for (i = 0; j.labels[i]; i++)
			free(j.labels[i]);
		free(j.labels);
	}
	imp_strlist_free(&j.skipped_sumlev);
	return rc;
}
