/*
 * imp_svi.c - the CDC/ATSDR Social Vulnerability Index into indicators.
 * See imp_census.h for the contract.
 *
 * Every edition's CSV, tract or county:
 *   2000        ST, COU, STCNTY, TRACT, FIPS, ... P_POV, PL_POV, RPL_THEME1,
 *               ... RPL_THEMES, F_POV, ..., TOTPOP; the file has a stale
 *               first header line, the real one is the second
 *   2010        GEO_ID, STATE_FIPS, CNTY_FIPS, TRACT, STCOFIPS, FIPS, ...
 *               TOTPOP, E_TOTPOP, M_TOTPOP, E_P_POV, M_P_POV, E_PL_POV,
 *               PL_AGE65, S_PL_THEME1, R_PL_THEME1, ... R_PL_THEMES,
 *               F_PL_POV, ...
 *   2014-2018   ST, STATE, ST_ABBR, STCNTY, COUNTY, FIPS, LOCATION,
 *               AREA_SQMI, E_TOTPOP, M_TOTPOP, E_POV, ..., EP_POV, MP_POV,
 *               EPL_POV, SPL_THEME1, RPL_THEME1, ..., RPL_THEMES, F_POV,
 *               ..., E_UNINSUR, ..., E_DAYPOP (2014 adds AFFGEOID)
 *   2020, 2022  the same names, with POV150, HBURD, NOINT, race counts;
 *               on 2020 census tracts
 * The GEOID is FIPS (zero-padded when written as a number that lost its
 * leading zero), else the part of GEO_ID / AFFGEOID after "US", else
 * STCNTY or STCOFIPS + TRACT.  Every column but the identifying ones becomes an
 * indicator named as the column; a margin of error column (M_X, MP_X,
 * M_P_X) becomes the moe of its estimate (E_X, EP_X, E_P_X).  -999 is
 * missing.  The edition (the year) comes from --year, the file's name or
 * the columns; the ranking (national or within one state) from --ranking
 * or from the RPL_THEMES values themselves.
 */
#include "importers/imp_census_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct scol {
	int idx; /* column */
	int moe; /* its margin of error column, -1 when none */
	const char *name;
};

struct svi_job {
	struct census_job c;
	struct census_csv t;
	struct census_out w;
	int pending; /* a data record was read with the header */
	int f_fips, f_geo_us, f_cnty, f_tract;
	const struct census_level *lv;
	int family;		/* 2000, 2010, 2014 or 2020 */
	const char *family_why; /* the column that says so */
	long year;
	const char *year_from;
	struct scol *cols;
	size_t ncols;
	int pop, pop_moe; /* columns, -1 when none */
	int rpl;	  /* RPL_THEMES / R_PL_THEMES, -1 */
	double *ranks;	  /* its values, for the ranking */
	size_t nranks, capranks;
	char states[64][3]; /* state FIPS seen */
	int nstates;
	const char *ranking; /* "national", "state" or NULL */
	char *ranking_why;
	int64_t zero_pop;
};

/* Identifying columns of every edition: not values. */
static const char *const id_cols[] = {"ST",
				      "STATE",
				      "ST_ABBR",
				      "STCNTY",
				      "COUNTY",
				      "FIPS",
				      "LOCATION",
				      "AREA_SQMI",
				      "AFFGEOID",
				      "GEO_ID",
				      "STATE_FIPS",
				      "CNTY_FIPS",
				      "TRACT",
				      "TRACTCE",
				      "CENSUSAREA",
				      "STCOFIPS",
				      "STATE_ABBR",
				      "STATE_NAME",
				      "COU",
				      "OBJECTID",
				      "FID",
				      "Shape",
				      "Shape.STArea()",
				      "Shape.STLength()",
				      "Shape_Length",
				      "Shape_Area",
				      "",
				      NULL};

static const long editions[] = {2000, 2010, 2014, 2016, 2018, 2020, 2022};

/* ---------------------------------------------------------------------
 * Labels
 * ------------------------------------------------------------------ */

static const char *const stems[][2] = {
    {"TOTPOP", "total population"},
    {"HU", "housing units"},
    {"HH", "households"},
    {"POV", "persons below poverty"},
    {"POV150", "persons below 150% of poverty"},
    {"UNEMP", "civilian (age 16+) unemployed"},
    {"HBURD", "housing cost-burdened occupied housing units"},
    {"PCI", "per capita income"},
    {"NOHSDP", "persons (age 25+) with no high school diploma"},
    {"NOHSDIP", "persons (age 25+) with no high school diploma"},
    {"UNINSUR", "persons without health insurance"},
    {"AGE65", "persons aged 65 and older"},
    {"AGE17", "persons aged 17 and younger"},
    {"DISABL", "civilian noninstitutionalized persons with a disability"},
    {"SNGPNT", "single-parent households with children under 18"},
    {"SNGPRNT", "single-parent households with children under 18"},
    {"LIMENG", "persons (age 5+) who speak English 'less than well'"},
    {"MINRTY", "minority persons (all but white, non-Hispanic)"},
    {"MINORITY", "minority persons (all but white, non-Hispanic)"},
    {"MUNIT", "housing in structures with 10 or more units"},
    {"MOBILE", "mobile homes"},
    {"CROWD", "occupied housing units with more people than rooms"},
    {"NOVEH", "households with no vehicle"},
    {"GROUPQ", "persons in group quarters"},
    {"DAYPOP", "daytime population (LandScan)"},
    {"NOINT", "households without an internet subscription"},
    {"AFAM", "Black or African American, not Hispanic"},
    {"HISP", "Hispanic or Latino"},
    {"ASIAN", "Asian, not Hispanic"},
    {"AIAN", "American Indian or Alaska Native, not Hispanic"},
    {"NHPI", "Native Hawaiian or Pacific Islander, not Hispanic"},
    {"TWOMORE", "two or more races, not Hispanic"},
    {"OTHERRACE", "some other race, not Hispanic"},
    {"THEME1", "theme 1, socioeconomic status"},
    {"THEME2", "theme 2, household characteristics"},
    {"THEME3", "theme 3, racial and ethnic minority status"},
    {"THEME4", "theme 4, housing type and transportation"},
    {"THEMES", "all themes (the overall SVI)"},
    {"TOTAL", "all themes"},
};

static const char *stem_words(const char *stem)
{
	size_t i;

	for (i = 0; i < sizeof(stems) / sizeof(stems[0]); i++)
		if (!strcasecmp(stem, stems[i][0]))
			return stems[i][1];
	return NULL;
}

/* What a column holds: sets *stem (inside name), returns the kind and
 * sets *unit. */
static const char *kind_of(const char *name, const char **stem,
			   const char **unit)
{
	static const struct {
		const char *prefix, *kind, *unit;
	} k[] = {
	    {"E_PL_", "percentile rank", "percentile (0-1)"},
	    {"E_P_", "percent", "percent"},
	    {"S_PL_", "sum of percentile ranks", "sum of percentiles"},
	    {"R_PL_", "percentile ranking", "percentile (0-1)"},
	    {"F_PL_", "flag", "flag"},
	    {"EPL_", "percentile rank", "percentile (0-1)"},
	    {"SPL_", "sum of percentile ranks", "sum of percentiles"},
	    {"RPL_", "percentile ranking", "percentile (0-1)"},
	    {"EP_", "percent", "percent"},
	    {"E_", "estimate", "count"},
	    {"PL_", "percentile rank", "percentile (0-1)"},
	    {"P_", "percent", "percent"},
	    {"F_", "flag", "flag"},
	};
	size_t i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (!strncasecmp(name, k[i].prefix, strlen(k[i].prefix))) {
			*stem = name + strlen(k[i].prefix);
			*unit = k[i].unit;
			if (!strcasecmp(*stem, "PCI") &&
			    !strcmp(k[i].unit, "count"))
				*unit = "dollars";
			return k[i].kind;
		}
	*stem = name;
	*unit = "count";
	return "count";
}

static char *label_of(const struct svi_job *j, const struct scol *c,
		      const char **unit)
{
	const char *stem, *kind = kind_of(c->name, &stem, unit), *w;
	struct core_buf b = CORE_BUF_INIT;
	int ranked = strstr(kind, "percentile") || !strcmp(kind, "flag");

	w = stem_words(stem);
	if (!strcmp(kind, "flag") &&
	    (!strncasecmp(stem, "THEME", 5) || !strcasecmp(stem, "TOTAL"))) {
		kind = "number of flags";
		*unit = "flags";
	}
	core_buf_addf(&b, "SVI %ld: %s, %s", j->year, w ? w : c->name, kind);
	if (!strcmp(kind, "flag"))
		core_buf_adds(&b, " (1 = 90th percentile or above)");
	if (ranked && j->ranking)
		core_buf_addf(&b, ", ranked %s",
			      !strcmp(j->ranking, "state") ? "within the state"
							   : "nationally");
	if (c->moe >= 0)
		core_buf_adds(&b, "; moe is the 90% margin of error");
	return core_buf_detach(&b);
}

/* ---------------------------------------------------------------------
 * The header
 * ------------------------------------------------------------------ */

static int is_id(const char *n)
{
	const char *const *p;

	for (p = id_cols; *p; p++)
		if (!strcasecmp(n, *p))
			return 1;
	return 0;
}

/* The estimate a margin of error column belongs to, in buf; NULL when n
 * is not one. */
static const char *moe_partner(const char *n, char *buf, size_t size)
{
	if (!strncasecmp(n, "MP_", 3))
		snprintf(buf, size, "EP_%s", n + 3);
	else if (!strncasecmp(n, "M_", 2))
		snprintf(buf, size, "E_%s", n + 2);
	else
		return NULL;
	return buf;
}

static int col(const struct svi_job *j, const char *n)
{
	return census_csv_col(&j->t, n);
}

/* 2000's first header line is stale: the real one follows. */
static int find_header(struct svi_job *j)
{
	int rc;

	if (col(j, "RPL_THEMES") >= 0 || col(j, "R_PL_THEMES") >= 0 ||
	    col(j, "E_TOTPOP") >= 0 || col(j, "TOTPOP") >= 0)
		return CORE_OK;
	rc = census_csv_next(&j->t, j->c.err);
	if (rc < 0)
		return CORE_EFORMAT;
	if (rc == 1) {
		size_t i;
		for (i = 0; i < j->t.nf; i++)
			if (!strcasecmp(census_csv_get(&j->t, (int)i),
					"RPL_THEMES")) {
				census_csv_use_next_header(&j->t);
				return CORE_OK;
			}
		j->pending = 1;
	}
	return census_not_this(
	    j->c.err, j->c.src->name, "a CDC/ATSDR SVI table",
	    "no RPL_THEMES, R_PL_THEMES, E_TOTPOP or TOTPOP column",
	    (const char *const *)j->t.names, j->t.ncol, 0, "svi");
}

/*
 * Tell the family of editions from marker columns (j->family and
 * j->family_why) and the edition's year into j->year, with where it came
 * from in j->year_from: --year (which must be an edition), else an
 * "SVI2018"-like part of the file's name, else the columns when only one
 * edition has them.  A year that disagrees with the columns fails.
 * Returns CORE_OK, or with j->c.err set CORE_EUSAGE (an unknown or
 * disagreeing --year, or an edition that cannot be told) or CORE_EFORMAT
 * (the file's name disagrees with its columns).
 */
static int detect_edition(struct svi_job *j)
{
	static const struct {
		int family;
		const char *col;
	} marks[] = {
	    {2010, "R_PL_THEMES"}, {2010, "E_PL_POV"}, {2020, "EP_POV150"},
	    {2020, "E_POV150"},	   {2014, "EP_POV"},   {2014, "E_POV"},
	    {2014, "EP_PCI"},	   {2000, "PL_POV"},   {2000, "P_POV"},
	};
	const char *n = j->c.src->name, *p;
	long name_year = 0;
	struct core_buf list = CORE_BUF_INIT;
	size_t i;
	int rc = CORE_OK, count = 0;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]) && !j->family; i++)
		if (col(j, marks[i].col) >= 0) {
			j->family = marks[i].family;
			j->family_why = marks[i].col;
		}
	for (p = n; (p = strcasestr(p, "SVI")); p += 3) {
		const char *y = p + 3;
		if (*y == '_' || *y == ' ' || *y == '-')
			y++;
		if (isdigit((unsigned char)y[0]) &&
		    isdigit((unsigned char)y[1]) &&
		    isdigit((unsigned char)y[2]) &&
		    isdigit((unsigned char)y[3]) &&
		    !isdigit((unsigned char)y[4])) {
			name_year = strtol(y, NULL, 10);
			break;
		}
	}
	for (i = 0; i < sizeof(editions) / sizeof(editions[0]); i++) {
		long e = editions[i];
		int fam = e < 2010   ? 2000
			  : e < 2014 ? 2010
			  : e < 2020 ? 2014
				     : 2020;
		if (j->family && fam != j->family)
			continue;
		core_buf_addf(&list, "%s%ld", list.len ? ", " : "", e);
		count++;
	}
	if (j->c.o->year) {
		for (i = 0; i < sizeof(editions) / sizeof(editions[0]); i++)
			if (editions[i] == j->c.o->year)
				break;
		if (i == sizeof(editions) / sizeof(editions[0])) {
			rc = core_err_set(
			    j->c.err, CORE_EUSAGE,
			    "--year %ld is not an SVI edition; the editions "
			    "are 2000, 2010, 2014, 2016, 2018, 2020 and 2022",
			    j->c.o->year);
			goto cleanup;
		}
		j->year = j->c.o->year;
		j->year_from = "--year";
	} else if (name_year) {
		j->year = name_year;
		j->year_from = "the file's name";
	} else if (count == 1) {
		j->year = strtol(core_buf_str(&list), NULL, 10);
		j->year_from = "its columns";
	} else if (j->family == 2014 && col(j, "AFFGEOID") >= 0) {
		j->year = 2014;
		j->year_from = "its columns (AFFGEOID)";
	} else {
		rc = core_err_set(
		    j->c.err, CORE_EUSAGE,
		    "%s: cannot tell which SVI edition it is: %s%s%s and its "
		    "name does not say; give --year (%s)",
		    n, j->family ? "its columns (" : "",
		    j->family ? j->family_why : "its columns do not say",
		    j->family ? ") are those of several editions," : ",",
		    core_buf_str(&list));
		goto cleanup;
	}
	if (j->family) {
		char y[8];
		snprintf(y, sizeof(y), "%ld", j->year);
		if (!strstr(core_buf_str(&list), y)) {
			rc = core_err_set(
			    j->c.err,
			    j->year_from[0] == '-' ? CORE_EUSAGE : CORE_EFORMAT,
			    "%s: %s says the edition is %ld, but its columns "
			    "(%s) are those of %s %s; give the right --year",
			    n, j->year_from, j->year, j->family_why,
			    count == 1 ? "the edition" : "the editions",
			    core_buf_str(&list));
			goto cleanup;
		}
	}
cleanup:
	core_buf_release(&list);
	return rc;
}

/*
 * Map the header: the columns that key a row (FIPS, GEO_ID or AFFGEOID,
 * STCNTY or STCOFIPS, TRACT), the value columns into j->cols (every
 * column but the identifying ones and margins of error, or those
 * --columns names), each with its margin of error column, the
 * population column (E_TOTPOP, TOTPOP or --population) and its margin,
 * and the overall ranking column (RPL_THEMES or R_PL_THEMES).  j->cols
 * borrows the names from j->t.  Returns CORE_OK; CORE_EFORMAT when no
 * column keys the rows or none holds values; CORE_EUSAGE for a
 * --columns or --population naming no value column; j->c.err is set.
 */
static int map_columns(struct svi_job *j)
{
	struct imp_strlist want = {0};
	char buf[160];
	size_t i;
	int rc = CORE_OK;

	j->f_fips = col(j, "FIPS");
	j->f_geo_us = col(j, "GEO_ID");
	if (j->f_geo_us < 0)
		j->f_geo_us = col(j, "AFFGEOID");
	j->f_cnty = col(j, "STCNTY");
	if (j->f_cnty < 0)
		j->f_cnty = col(j, "STCOFIPS");
	j->f_tract = col(j, "TRACT");
	if (j->f_fips < 0 && j->f_geo_us < 0 && j->f_cnty < 0)
		return census_not_this(
		    j->c.err, j->c.src->name, "a CDC/ATSDR SVI table",
		    "no FIPS, GEO_ID or STCNTY column to key its rows",
		    (const char *const *)j->t.names, j->t.ncol, 0, "svi");
	if (j->c.o->columns) {
		imp_strlist_split(&want, j->c.o->columns, ",", 0);
		if (!want.n) {
			rc = core_err_set(j->c.err, CORE_EUSAGE,
					  "--columns: give one or more column "
					  "names, separated by ','");
			goto cleanup;
		}
		for (i = 0; i < want.n; i++) {
			int c = col(j, want.v[i]);
			const char *why = NULL;
			if (c < 0)
				why = "there is no such column";
			else if (is_id(want.v[i]))
				why = "it names the area, it is not a value";
			else if (moe_partner(want.v[i], buf, sizeof(buf)) &&
				 col(j, buf) >= 0)
				why = "it is a margin of error, stored with "
				      "its estimate";
			if (why) {
				rc = core_err_set(
				    j->c.err, CORE_EUSAGE,
				    "--columns: '%s' in %s: %s%s%s", want.v[i],
				    j->c.src->name, why,
				    c >= 0 && !is_id(want.v[i]) ? " " : "",
				    c >= 0 && !is_id(want.v[i]) ? buf : "");
				goto cleanup;
			}
		}
	}
	j->cols = xcalloc(j->t.ncol + 1, sizeof(*j->cols));
	for (i = 0; i < j->t.ncol; i++) {
		const char *n = j->t.names[i];
		int partner;
		if (is_id(n))
			continue;
		if (moe_partner(n, buf, sizeof(buf)) && col(j, buf) >= 0)
			continue;
		if (want.n && census_list_find(&want, n) < 0)
			continue;
		j->cols[j->ncols].idx = (int)i;
		j->cols[j->ncols].name = n;
		/* E_X <- M_X, EP_X <- MP_X, E_P_X <- M_P_X */
		if (!strncasecmp(n, "EP_", 3))
			snprintf(buf, sizeof(buf), "MP_%s", n + 3);
		else if (!strncasecmp(n, "E_", 2))
			snprintf(buf, sizeof(buf), "M_%s", n + 2);
		else
			buf[0] = '\0';
		partner = buf[0] ? col(j, buf) : -1;
		j->cols[j->ncols].moe = partner;
		j->ncols++;
	}
	if (!j->ncols)
		return census_not_this(
		    j->c.err, j->c.src->name, "a CDC/ATSDR SVI table",
		    "no value columns", (const char *const *)j->t.names,
		    j->t.ncol, 0, "svi");
	/* The population. */
	j->pop = j->pop_moe = -1;
	if (j->c.o->population) {
		if (*j->c.o->population) {
			j->pop = col(j, j->c.o->population);
			if (j->pop < 0) {
				rc = core_err_set(
				    j->c.err, CORE_EUSAGE,
				    "--population: %s has no column '%s' "
				    "(SVI's is E_TOTPOP; TOTPOP in 2000 and "
				    "2010)",
				    j->c.src->name, j->c.o->population);
				goto cleanup;
			}
		}
	} else if ((j->pop = col(j, "E_TOTPOP")) < 0) {
		j->pop = col(j, "TOTPOP");
	}
	if (j->pop >= 0 && !strncasecmp(j->t.names[j->pop], "E_", 2)) {
		snprintf(buf, sizeof(buf), "M_%s", j->t.names[j->pop] + 2);
		j->pop_moe = col(j, buf);
	}
	j->rpl = col(j, "RPL_THEMES");
	if (j->rpl < 0)
		j->rpl = col(j, "R_PL_THEMES");
cleanup:
	imp_strlist_free(&want);
	return rc;
}

/* ---------------------------------------------------------------------
 * Rows
 * ------------------------------------------------------------------ */

/* -999 (also -999.0) and empty are missing: 0; a number: 1; else -1. */
static int svi_value(const char *s, double *v)
{
	char *t = imp_trim_dup(s);
	int r;

	if (!*t)
		r = 0;
	else if (!imp_parse_number(t, v))
		r = -1;
	else
		r = fabs(*v + 999) < 1e-9 ? 0 : 1;
	free(t);
	return r;
}

/* A table keyed by STCNTY alone (no FIPS, GEO_ID or TRACT column) that
 * repeats a county: a tract table without its FIPS column.  One error,
 * naming the columns there are, and one like FIPS among them. */
static int missing_fips(struct svi_job *j, long line, const char *county)
{
	struct core_buf cols = CORE_BUF_INIT;
	const char *near = NULL;
	size_t i;
	int rc;

	for (i = 0; i < j->t.ncol; i++) {
		const char *n = j->t.names[i];
		if (i < 16)
			core_buf_addf(&cols, "%s%s", i ? ", " : "", n);
		if (!near &&
		    (strcasestr(n, "FIPS") || strcasestr(n, "GEOID")) &&
		    strcasecmp(n, "STCNTY") != 0)
			near = n;
	}
	if (j->t.ncol > 16)
		core_buf_addf(&cols, ", ... (%zu in all)", j->t.ncol);
	rc =
	    core_err_set(j->c.err, CORE_EFORMAT,
			 "%s has no FIPS column (nor GEO_ID, or TRACT beside "
			 "%s), so its rows have only their county to key them, "
			 "and line %ld repeats county '%s': an SVI tract table "
			 "needs its FIPS column; its columns are %s%s%s%s",
			 j->c.src->name, j->t.names[j->f_cnty], line, county,
			 core_buf_str(&cols), near ? "; did you mean " : "",
			 near ? near : "", near ? "?" : "");
	core_buf_release(&cols);
	return rc;
}

/* The row's GEOID into out (13 bytes); 0 after a reject. */
static int geoid_of(struct svi_job *j, char *out, int *rc)
{
	long line = j->t.line;
	const char *field = NULL;
	char *v = NULL;
	int len;

	out[0] = '\0';
	if (j->f_fips >= 0 && *census_csv_get(&j->t, j->f_fips)) {
		field = j->t.names[j->f_fips];
		v = imp_trim_dup(census_csv_get(&j->t, j->f_fips));
	} else if (j->f_geo_us >= 0 && *census_csv_get(&j->t, j->f_geo_us)) {
		char g[32], sumlev[4];
		field = j->t.names[j->f_geo_us];
		if (imp_census_geo_id(census_csv_get(&j->t, j->f_geo_us), g,
				      sizeof(g), sumlev))
			v = xstrdup(g);
		else
			v = imp_trim_dup(census_csv_get(&j->t, j->f_geo_us));
	} else if (j->f_cnty >= 0) {
		field = j->t.names[j->f_cnty];
		v = xasprintf("%s%s", census_csv_get(&j->t, j->f_cnty),
			      census_csv_get(&j->t, j->f_tract));
	}
	if (!v || !*v) {
		*rc = imp_reject(j->c.ws, j->c.src, line,
				 field ? field : "FIPS", NULL, j->c.err,
				 "has no value; every row needs the tract's "
				 "(or county's) FIPS code");
		free(v);
		return 0;
	}
	len = (int)strlen(v);
	/* FIPS written as a number loses its leading zero: "1001020100". */
	if (census_digits(v, len) && (len == 10 || len == 4)) {
		char *p = xasprintf("0%s", v);
		free(v);
		v = p;
		len++;
	}
	if (!j->lv && census_digits(v, len) && (len == 11 || len == 5))
		j->lv = census_level_find(len == 11 ? "tract" : "county");
	if (!j->lv || !census_digits(v, j->lv->len)) {
		*rc = imp_reject(
		    j->c.ws, j->c.src, line, field, v, j->c.err,
		    "is not a %s FIPS code; it is %d digits, e.g. %s",
		    j->lv ? j->lv->label : "tract", j->lv ? j->lv->len : 11,
		    j->lv ? j->lv->example : "06075010100");
		free(v);
		return 0;
	}
	memcpy(out, v, (size_t)len + 1);
	free(v);
	return 1;
}

static void note_state(struct svi_job *j, const char *geoid)
{
	int i;

	for (i = 0; i < j->nstates; i++)
		if (!strncmp(j->states[i], geoid, 2))
			return;
	if (j->nstates < 64) {
		memcpy(j->states[j->nstates], geoid, 2);
		j->states[j->nstates++][2] = '\0';
	}
}

/* One data row (arg: the job), for census_csv_each. */
static int row(void *arg)
{
	struct svi_job *j = arg;
	double *val = xcalloc(j->ncols + 1, sizeof(double));
	double *moe = xcalloc(j->ncols + 1, sizeof(double));
	int *has = xcalloc(j->ncols + 1, sizeof(int));
	int *has_moe = xcalloc(j->ncols + 1, sizeof(int));
	double pop = 0, pmoe = 0, rank = 0;
	int has_pop = 0, has_pmoe = 0, has_rank = 0, rc = CORE_OK, repeat, r;
	long line = j->t.line;
	char geoid[16];
	size_t i;

	j->c.src->rows_read++;
	if (census_csv_short(&j->t, j->c.ws, j->c.err, &rc) ||
	    !geoid_of(j, geoid, &rc))
		goto cleanup;
	for (i = 0; i < j->ncols; i++) {
		const struct scol *c = &j->cols[i];
		const char *s = census_csv_get(&j->t, c->idx);
		if ((r = svi_value(s, &val[i])) < 0) {
			rc = imp_reject(j->c.ws, j->c.src, line, c->name, s,
					j->c.err,
					"is not a number; SVI values are "
					"numbers, with -999 for 'no value'");
			goto cleanup;
		}
		has[i] = r;
		if (c->moe < 0)
			continue;
		s = census_csv_get(&j->t, c->moe);
		if ((r = svi_value(s, &moe[i])) < 0 || (r == 1 && moe[i] < 0)) {
			rc = imp_reject(
			    j->c.ws, j->c.src, line, j->t.names[c->moe], s,
			    j->c.err,
			    "is not a margin of error; it is a number of 0 or "
			    "more, or -999 for 'no value'");
			goto cleanup;
		}
		has_moe[i] = r;
	}
	if (j->pop >= 0) {
		const char *s = census_csv_get(&j->t, j->pop);
		if ((r = svi_value(s, &pop)) < 0 || (r == 1 && pop < 0)) {
			rc = imp_reject(
			    j->c.ws, j->c.src, line, j->t.names[j->pop], s,
			    j->c.err,
			    "is not a number of people; the total population "
			    "is a number of 0 or more, or -999 for 'no value'");
			goto cleanup;
		}
		has_pop = r;
		if (j->pop_moe >= 0)
			has_pmoe = svi_value(census_csv_get(&j->t, j->pop_moe),
					     &pmoe) == 1 &&
				   pmoe >= 0;
	}
	if (j->rpl >= 0) {
		const char *s = census_csv_get(&j->t, j->rpl);
		if ((r = svi_value(s, &rank)) < 0) {
			rc = imp_reject(j->c.ws, j->c.src, line,
					j->t.names[j->rpl], s, j->c.err,
					"is not a number; SVI values are "
					"numbers, with -999 for 'no value'");
			goto cleanup;
		}
		has_rank = r;
	}
	for (i = 0; i < j->ncols; i++) {
		if ((rc = census_put(&j->w, geoid, j->cols[i].name, has[i],
				     val[i], has_moe[i], moe[i], j->year,
				     &repeat, j->c.err)))
			goto cleanup;
		if (repeat && j->f_fips < 0 && j->f_geo_us < 0 &&
		    j->f_tract < 0) {
			rc = missing_fips(j, line, geoid);
			goto cleanup;
		}
		if (repeat) {
			rc = imp_reject(j->c.ws, j->c.src, line,
					j->f_fips >= 0 ? j->t.names[j->f_fips]
						       : "FIPS",
					geoid, j->c.err,
					"appears more than once in the file; "
					"each %s must have one row",
					j->lv->label);
			goto cleanup;
		}
	}
	if (has_pop) {
		if ((rc = census_population(&j->w, j->lv->name, geoid, pop,
					    has_pmoe, pmoe, j->year, j->c.err)))
			goto cleanup;
		if (pop == 0)
			j->zero_pop++;
	}
	if (has_rank) {
		xgrow((void **)&j->ranks, &j->capranks, j->nranks + 1,
		      sizeof(*j->ranks));
		j->ranks[j->nranks++] = rank;
	}
	note_state(j, geoid);
	j->c.src->rows_accepted++;
cleanup:
	free(val);
	free(moe);
	free(has);
	free(has_moe);
	return rc;
}

/* ---------------------------------------------------------------------
 * National or state ranking
 * ------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * A percentile ranking made over the file's own rows is, for a value of
 * rank r among n (r values below it), r / (n - 1) rounded to 4 places
 * (the CDC's PERCENT_RANK).  A state's own download is ranked within the
 * state, so its values are exactly that; the national file's rows of one
 * state are not.
 */
static void decide_ranking(struct svi_job *j)
{
	size_t i, below = 0, fit = 0, n = j->nranks;
	double median;

	if (j->c.o->ranking) {
		j->ranking = j->c.o->ranking;
		j->ranking_why = xstrdup("--ranking");
		return;
	}
	if (j->nstates > 1) {
		j->ranking = "national";
		j->ranking_why = xasprintf("it holds %s of %d states",
					   j->lv->plural, j->nstates);
		return;
	}
	if (n < 3)
		return;
	qsort(j->ranks, n, sizeof(double), cmp_double);
	median = j->ranks[n / 2];
	for (i = 0; i < n; i++) {
		if (i > 0 && j->ranks[i] > j->ranks[i - 1])
			below = i;
		if (fabs(j->ranks[i] - (double)below / (double)(n - 1)) <=
		    0.00015)
			fit++;
	}
	if (fit * 100 >= n * 98) {
		j->ranking = "state";
		j->ranking_why =
		    xasprintf("its %s values are the percentile ranks of its "
			      "own %zu %s, all in one state",
			      j->t.names[j->rpl], n, j->lv->plural);
	} else {
		j->ranking = "national";
		j->ranking_why = xasprintf(
		    "its %s values are not ranks among its own %zu %s (median "
		    "%.4f, where such a ranking has 0.5); if it is part of a "
		    "state's own download, give --ranking state",
		    j->t.names[j->rpl], n, j->lv->plural, median);
	}
}

/* ---------------------------------------------------------------------
 * The import
 * ------------------------------------------------------------------ */

static void build_options(struct svi_job *j)
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
	snprintf(num, sizeof(num), "%ld", j->year);
	imp_opt_add(&b, "year", num);
	if (j->ranking)
		imp_opt_add(&b, "ranking", j->ranking);
	imp_opt_add(&b, "population", j->pop >= 0 ? j->t.names[j->pop] : "");
	imp_opt_finish(&b, j->c.o->skip_bad, j->c.src);
	core_buf_release(&l);
}

static int write_info(struct svi_job *j)
{
	const char *unit;
	size_t i;
	int rc = CORE_OK;

	for (i = 0; i < j->ncols && !rc; i++) {
		char *label = label_of(j, &j->cols[i], &unit);
		rc = census_info(&j->w, j->cols[i].name, label, unit, j->year,
				 j->c.err);
		free(label);
	}
	return rc;
}

static void summarise(struct svi_job *j)
{
	struct imp_census_stats *st = j->c.stats;

	if (!st)
		return;
	free(st->what);
	st->what = xasprintf("CDC/ATSDR SVI %ld", j->year);
	free(st->level);
	st->level = j->lv ? xstrdup(j->lv->name) : NULL;
	st->year = j->year;
	st->ncolumns = (int64_t)j->ncols;
	census_note(st, "edition %ld (from %s)%s", j->year, j->year_from,
		    j->lv && !strcmp(j->lv->name, "tract")
			? j->year >= 2020   ? "; on 2020 census tracts"
			  : j->year >= 2010 ? "; on 2010 census tracts"
					    : "; on 2000 census tracts"
			: "");
	if (j->ranking)
		census_note(st, "ranking: %s (%s)", j->ranking, j->ranking_why);
	if (j->pop >= 0)
		census_note(st,
			    "%s is the total population: it sets the areas' "
			    "population (%lld %s with 0 people)",
			    j->t.names[j->pop], (long long)j->zero_pop,
			    j->zero_pop == 1 ? j->lv->label : j->lv->plural);
}

/*
 * imp_census.h states the contract.  Reads every edition's CSV (the
 * header may be on the second line), tract or county; the ranking
 * (--ranking national or state) is checked, or told from the RPL_THEMES
 * values once the rows are read, and recorded in the source's options.
 */
int imp_svi_import(struct core_ws *ws, const struct imp_census_opts *o,
		   struct imp_source *src, struct imp_census_stats *stats,
		   struct core_err *err)
{
	struct imp_bulk bulk = {0};
	struct svi_job j;
	int rc;

	memset(&j, 0, sizeof(j));
	census_job_init(&j.c, ws, o, src, stats, err);
	j.pop = j.pop_moe = j.rpl = -1;

	if (!o->path) {
		rc = core_err_set(err, CORE_EUSAGE, "no file to import");
		goto cleanup;
	}
	if (o->level || o->layer) {
		rc = core_err_set(
		    err, CORE_EUSAGE,
		    "import svi takes only --columns, --population, --year, "
		    "--ranking and --skip-bad");
		goto cleanup;
	}
	if (o->ranking && strcmp(o->ranking, "national") &&
	    strcmp(o->ranking, "state")) {
		rc = core_err_set(
		    err, CORE_EUSAGE,
		    "--ranking: '%s' is not a ranking; give national (the US "
		    "download) or state (a state's own download)",
		    o->ranking);
		goto cleanup;
	}
	if ((rc = census_csv_open(&j.t, src, o->path, "a CDC/ATSDR SVI table",
				  "svi", err)) ||
	    (rc = find_header(&j)) || (rc = map_columns(&j)) ||
	    (rc = detect_edition(&j)))
		goto cleanup;
	free(src->format);
	src->format = xstrdup("svi");
	{
		char y[16];

		snprintf(y, sizeof(y), "%ld", j.year);
		imp_source_publisher(src, "CDC/ATSDR", "SVI",
				     j.year > 0 ? y : NULL);
	}
	build_options(&j);

	if ((rc = census_table_begin(ws, &bulk, &j.w, src, stats, err)) ||
	    (rc = census_csv_each(&j.t, j.pending, row, &j, err)) ||
	    (rc = imp_source_close(ws, src, err)))
		goto cleanup;
	decide_ranking(&j);
	if ((rc = write_info(&j)) ||
	    (rc = census_out_finish(&j.w, j.lv->name, err)))
		goto cleanup;
	/* The options are known in full only now: the ranking. */
	build_options(&j);
	{
		sqlite3_stmt *st = NULL;
		if ((rc = core_ws_prepare(
			 ws, err, &st,
			 "UPDATE sources SET options = ? WHERE id = ?")))
			goto cleanup;
		sqlite3_bind_text(st, 1, src->options, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, src->id);
		rc = core_ws_step(ws, err, st);
		sqlite3_finalize(st);
		if (rc)
			goto cleanup;
	}
	summarise(&j);
	if ((rc = imp_source_words(ws, src, err)))
		goto cleanup;
	rc = core_ws_commit(ws, err);
cleanup:
	census_table_end(ws, rc, &bulk, &j.w, &j.t, src);
	free(j.cols);
	free(j.ranks);
	free(j.ranking_why);
	return rc;
}
