/*
 * imp_places.c - CDC PLACES model estimates into indicators.  See
 * imp_census.h for the contract.
 *
 * Long form (the "Local Data for Better Health" tables), one row per area
 * and measure:
 *   Year, StateAbbr, StateDesc, CountyName, CountyFIPS, LocationName,
 *   DataSource, Category, Measure, Data_Value_Unit, Data_Value_Type,
 *   Data_Value, Data_Value_Footnote_Symbol, Data_Value_Footnote,
 *   Low_Confidence_Limit, High_Confidence_Limit, TotalPopulation,
 *   TotalPop18plus, LocationID, CategoryID, MeasureId, DataValueTypeID,
 *   Short_Question_Text, Geolocation
 * (county and ZCTA tables leave out some; the 500 Cities tables key
 * tracts by TractFIPS).  GIS-friendly (wide) form, one row per area:
 *   StateAbbr, ..., TractFIPS (or CountyFIPS, ZCTA5), TotalPopulation,
 *   ACCESS2_CrudePrev, ACCESS2_Crude95CI ("( 8.7, 14.2)"), ..., Geolocation
 * A measure becomes the indicator PLACES_<MeasureId> (crude prevalence;
 * an age-adjusted one, published for counties, PLACES_<MeasureId>_ADJ).
 * Its moe is half the width of the 95% confidence interval, (high - low)
 * / 2: a 95% interval, where the ACS's margins of error are 90% ones.
 */
#include "importers/imp_census_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct wcol {
	int val, ci; /* columns of the prevalence and its 95% CI */
	char *name;  /* PLACES_CASTHMA */
	char *label;
};

struct places_job {
	struct census_job c;
	struct census_csv t;
	struct census_out w;
	int wide;
	int f_geo; /* LocationID / TractFIPS / ... */
	int f_name, f_year, f_measure, f_measure_text, f_type_id, f_type,
	    f_value, f_low, f_high, f_unit, f_pop, f_state;
	const struct census_level *lv;
	const char *level_how;
	struct wcol *cols; /* wide form */
	size_t ncols;
	struct imp_strlist seen; /* long form: indicators with their info */
	char last_pop[16];
	int64_t suppressed, other_types;
	long year_min, year_max;
};

/* The measures of the PLACES releases (2020-2024), for the labels of the
 * GIS-friendly form, which names them only by their id. */
static const char *const measures[][2] = {
    {"ACCESS2", "Lack of health insurance among adults aged 18-64"},
    {"ARTHRITIS", "Arthritis among adults"},
    {"BINGE", "Binge drinking among adults"},
    {"BPHIGH", "High blood pressure among adults"},
    {"BPMED", "Taking medicine for high blood pressure among adults with high "
	      "blood pressure"},
    {"CANCER", "Cancer (non-skin) or melanoma among adults"},
    {"CASTHMA", "Current asthma among adults"},
    {"CERVICAL", "Cervical cancer screening among adult women"},
    {"CHD", "Coronary heart disease among adults"},
    {"CHECKUP",
     "Visits to doctor for routine checkup within the past year among adults"},
    {"CHOLSCREEN", "Cholesterol screening among adults"},
    {"COGNITION", "Cognitive disability among adults"},
    {"COLON_SCREEN", "Colorectal cancer screening among adults"},
    {"COPD", "Chronic obstructive pulmonary disease among adults"},
    {"COREM", "Older adult men up to date on clinical preventive services"},
    {"COREW", "Older adult women up to date on clinical preventive services"},
    {"CSMOKING", "Current cigarette smoking among adults"},
    {"DENTAL", "Visits to dentist or dental clinic among adults"},
    {"DEPRESSION", "Depression among adults"},
    {"DIABETES", "Diagnosed diabetes among adults"},
    {"DISABILITY", "Any disability among adults"},
    {"EMOTIONSPT", "Lack of social and emotional support among adults"},
    {"FOODINSECU", "Food insecurity in the past 12 months among adults"},
    {"FOODSTAMP", "Received food stamps in the past 12 months among adults"},
    {"GHLTH", "Fair or poor self-rated health status among adults"},
    {"HEARING", "Hearing disability among adults"},
    {"HIGHCHOL", "High cholesterol among adults who have been screened in the "
		 "past 5 years"},
    {"HOUSINSECU", "Housing insecurity in the past 12 months among adults"},
    {"INDEPLIVE", "Independent living disability among adults"},
    {"ISOLATION", "Feeling socially isolated among adults"},
    {"KIDNEY", "Chronic kidney disease among adults"},
    {"LACKTRPT",
     "Lack of reliable transportation in the past 12 months among adults"},
    {"LPA", "No leisure-time physical activity among adults"},
    {"MAMMOUSE", "Mammography use among women aged 50-74 years"},
    {"MHLTH", "Frequent mental distress among adults"},
    {"MOBILITY", "Mobility disability among adults"},
    {"OBESITY", "Obesity among adults"},
    {"PHLTH", "Frequent physical distress among adults"},
    {"SELFCARE", "Self-care disability among adults"},
    {"SHUTUTILITY",
     "Utility services shut-off threat in the past 12 months among adults"},
    {"SLEEP", "Short sleep duration among adults"},
    {"STROKE", "Stroke among adults"},
    {"TEETHLOST", "All teeth lost among adults aged 65 years or older"},
    {"VISION", "Vision disability among adults"},
};

static const char *measure_words(const char *id, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(measures) / sizeof(measures[0]); i++)
		if (strlen(measures[i][0]) == len &&
		    !strncasecmp(measures[i][0], id, len))
			return measures[i][1];
	return NULL;
}

static int col(const struct places_job *j, const char *n)
{
	return census_csv_col(&j->t, n);
}

/* ---------------------------------------------------------------------
 * The header
 * ------------------------------------------------------------------ */

static int map_long(struct places_job *j)
{
	j->f_geo = col(j, "LocationID");
	if (j->f_geo < 0)
		j->f_geo = col(j, "TractFIPS");
	j->f_name = col(j, "LocationName");
	if (j->f_geo < 0)
		j->f_geo = j->f_name;
	j->f_year = col(j, "Year");
	j->f_measure = col(j, "MeasureId");
	j->f_measure_text = col(j, "Measure");
	j->f_type_id = col(j, "DataValueTypeID");
	j->f_type = col(j, "Data_Value_Type");
	j->f_value = col(j, "Data_Value");
	j->f_low = col(j, "Low_Confidence_Limit");
	j->f_high = col(j, "High_Confidence_Limit");
	j->f_unit = col(j, "Data_Value_Unit");
	j->f_state = col(j, "StateAbbr");
	if (j->f_geo < 0)
		return census_not_this(
		    j->c.err, j->c.src->name, "CDC PLACES data",
		    "no LocationID, TractFIPS or LocationName column",
		    (const char *const *)j->t.names, j->t.ncol, 0, "places");
	return CORE_OK;
}

/*
 * Map the GIS-friendly (wide) header: the GEOID column (TractFIPS,
 * LocationID, ZCTA5, ZCTA or CountyFIPS) into j->f_geo, and one entry of
 * j->cols per ..._CrudePrev or ..._AdjPrev column, with its 95% CI
 * column when there is one, the indicator's name (PLACES_<id>, _ADJ for
 * age-adjusted) and label.  Returns CORE_OK, or CORE_EFORMAT with j->c.err
 * set for a table of places (PlaceFIPS) or one with no GEOID column.
 */
static int map_wide(struct places_job *j)
{
	size_t i;

	j->f_geo = col(j, "TractFIPS");
	if (j->f_geo < 0)
		j->f_geo = col(j, "LocationID");
	if (j->f_geo < 0)
		j->f_geo = col(j, "ZCTA5");
	if (j->f_geo < 0)
		j->f_geo = col(j, "ZCTA");
	if (j->f_geo < 0)
		j->f_geo = col(j, "CountyFIPS");
	if (j->f_geo < 0 && col(j, "PlaceFIPS") >= 0)
		return core_err_set(
		    j->c.err, CORE_EFORMAT,
		    "%s holds PLACES data for places (cities and towns, "
		    "PlaceFIPS), which are not census areas assetmap keeps; "
		    "use the tract, county or ZCTA data",
		    j->c.src->name);
	if (j->f_geo < 0)
		return census_not_this(
		    j->c.err, j->c.src->name, "CDC PLACES data",
		    "no TractFIPS, CountyFIPS or ZCTA5 column",
		    (const char *const *)j->t.names, j->t.ncol, 0, "places");
	j->cols = xcalloc(j->t.ncol + 1, sizeof(*j->cols));
	for (i = 0; i < j->t.ncol; i++) {
		const char *n = j->t.names[i];
		size_t len = strlen(n);
		struct wcol *c = &j->cols[j->ncols];
		char ci[160];
		int adj;
		if (len > 10 && !strcasecmp(n + len - 10, "_CrudePrev"))
			adj = 0;
		else if (len > 8 && !strcasecmp(n + len - 8, "_AdjPrev"))
			adj = 1;
		else
			continue;
		len -= adj ? 8 : 10;
		snprintf(ci, sizeof(ci), "%.*s_%s", (int)len, n,
			 adj ? "Adj95CI" : "Crude95CI");
		c->val = (int)i;
		c->ci = col(j, ci);
		c->name =
		    xasprintf("PLACES_%.*s%s", (int)len, n, adj ? "_ADJ" : "");
		if (measure_words(n, len))
			c->label = xasprintf(
			    "%s, %s (CDC PLACES%s)", measure_words(n, len),
			    adj ? "age-adjusted prevalence"
				: "crude prevalence",
			    c->ci >= 0 ? "; moe is half the width of the 95% "
					 "confidence interval"
				       : "");
		else
			c->label =
			    xasprintf("%.*s, %s (CDC PLACES%s)", (int)len, n,
				      adj ? "age-adjusted prevalence"
					  : "crude prevalence",
				      c->ci >= 0 ? "; moe is half the width of "
						   "the 95% confidence interval"
						 : "");
		j->ncols++;
	}
	return CORE_OK;
}

/* The level from the first row's GEOID, the columns and --level. */
static int detect_level(struct places_job *j)
{
	const char *g = census_csv_get(&j->t, j->f_geo);
	size_t n = strlen(g);
	const char *lvl = NULL;

	if (census_digits(g, (int)n)) {
		if (n == 10 || n == 11)
			lvl = "tract";
		else if (n == 7)
			return core_err_set(
			    j->c.err, CORE_EFORMAT,
			    "%s holds PLACES data for places (cities and "
			    "towns: 7-digit LocationID %s), which are not "
			    "census areas assetmap keeps; use the tract, "
			    "county or ZCTA data",
			    j->c.src->name, g);
		else if (n == 4 || n == 5) {
			const char *name = census_csv_get(&j->t, j->f_name);
			/* County tables name the county in LocationName (and
			 * the wide one keys by CountyFIPS); ZCTA tables repeat
			 * the ZCTA. */
			if (!strcasecmp(j->t.names[j->f_geo], "CountyFIPS") ||
			    (j->f_name >= 0 && *name &&
			     !census_digits(name, (int)strlen(name))))
				lvl = "county";
			else
				lvl = "zcta";
		}
	}
	if (j->c.o->level) {
		const struct census_level *given =
		    census_level_find(j->c.o->level);
		if (!given)
			return core_err_set(j->c.err, CORE_EUSAGE,
					    "--level: '%s' is not a census "
					    "level; give tract, county or zcta",
					    j->c.o->level);
		if (lvl && strcmp(lvl, given->name) &&
		    !(n == 5 && (!strcmp(given->name, "county") ||
				 !strcmp(given->name, "zcta"))))
			return core_err_set(
			    j->c.err, CORE_EUSAGE,
			    "--level %s, but %s holds %s (its first GEOID is "
			    "%s); leave --level out",
			    given->name, j->c.src->name,
			    census_level_find(lvl)->plural, g);
		j->lv = given;
		j->level_how = "--level";
		return CORE_OK;
	}
	if (!lvl)
		return core_err_set(
		    j->c.err, CORE_EFORMAT,
		    "%s line %ld, field %s: '%s' is not a tract, county or "
		    "ZCTA GEOID; give --level if it is one",
		    j->c.src->name, j->t.line, j->t.names[j->f_geo], g);
	j->lv = census_level_find(lvl);
	j->level_how = "its first GEOID";
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * Rows
 * ------------------------------------------------------------------ */

/* A number or empty: 1 / 0, -1 for anything else. */
static int num(const char *s, double *v)
{
	char *t = imp_trim_dup(s);
	int r = !*t ? 0 : imp_parse_number(t, v) ? 1 : -1;

	free(t);
	return r;
}

/* The row's GEOID into out; 0 after a reject. */
static int geoid_of(struct places_job *j, char *out, size_t size, int *rc)
{
	char *v = imp_trim_dup(census_csv_get(&j->t, j->f_geo));
	int len = (int)strlen(v);

	if (census_digits(v, len) && len == j->lv->len - 1) {
		char *p = xasprintf("0%s", v);
		free(v);
		v = p;
		len++;
	}
	if (!census_digits(v, j->lv->len)) {
		*rc = imp_reject(
		    j->c.ws, j->c.src, j->t.line, j->t.names[j->f_geo], v,
		    j->c.err,
		    "is not a %s GEOID; a %s GEOID is %d digits, e.g. %s",
		    j->lv->label, j->lv->label, j->lv->len, j->lv->example);
		free(v);
		return 0;
	}
	snprintf(out, size, "%s", v);
	free(v);
	return 1;
}

/* TotalPopulation as the area's population, once per area. */
static int population(struct places_job *j, const char *geoid, long year,
		      int *rc)
{
	const char *s;
	double pop;
	int r;

	if (j->f_pop < 0 || !strcmp(j->last_pop, geoid))
		return 1;
	s = census_csv_get(&j->t, j->f_pop);
	r = num(s, &pop);
	if (r < 0 || (r == 1 && pop < 0)) {
		*rc = imp_reject(
		    j->c.ws, j->c.src, j->t.line, j->t.names[j->f_pop], s,
		    j->c.err,
		    "is not a number of people; %s is a number of 0 or more",
		    j->t.names[j->f_pop]);
		return 0;
	}
	if (r == 1 && (*rc = census_population(&j->w, j->lv->name, geoid, pop,
					       0, 0, year, j->c.err)))
		return 0;
	snprintf(j->last_pop, sizeof(j->last_pop), "%s", geoid);
	return 1;
}

/*
 * Store the current long-form row (one area and measure) as the value
 * of indicator PLACES_<MeasureId> (_ADJ when age-adjusted) with half
 * the confidence interval as its moe, the area's population from its
 * population column once per area, and the indicator's info the first
 * time the measure is seen.  Rows of other value types are counted in
 * j->other_types and skipped; empty values are stored as missing and
 * counted.  A bad GEOID, measure, year, value or interval, or a measure
 * repeated for an area, rejects the row (imp_reject).  Returns CORE_OK
 * (also after a reject or skip), or an error with j->c.err set.
 */
static int row_long(struct places_job *j)
{
	const char *type, *measure, *s;
	double value = 0, low = 0, high = 0, y;
	int has, has_low, has_high, repeat, rc = CORE_OK, adj;
	char geoid[16], *name = NULL;
	long line = j->t.line, year = j->c.o->year;

	j->c.src->rows_read++;
	if (census_csv_short(&j->t, j->c.ws, j->c.err, &rc) ||
	    !geoid_of(j, geoid, sizeof(geoid), &rc))
		goto cleanup;
	type = j->f_type_id >= 0 ? census_csv_get(&j->t, j->f_type_id)
				 : census_csv_get(&j->t, j->f_type);
	/* No type column at all: the values are crude prevalences. */
	if ((j->f_type_id < 0 && j->f_type < 0) ||
	    !strcasecmp(type, "CrdPrv") ||
	    !strcasecmp(type, "Crude prevalence"))
		adj = 0;
	else if (!strcasecmp(type, "AgeAdjPrv") ||
		 !strcasecmp(type, "Age-adjusted prevalence"))
		adj = 1;
	else {
		j->other_types++;
		goto cleanup;
	}
	measure = census_csv_get(&j->t, j->f_measure);
	if (!*measure) {
		rc = imp_reject(
		    j->c.ws, j->c.src, line, "MeasureId", NULL, j->c.err,
		    "has no value; every row names its measure (e.g. CASTHMA)");
		goto cleanup;
	}
	if (!year && j->f_year >= 0) {
		s = census_csv_get(&j->t, j->f_year);
		if (num(s, &y) != 1 || y != floor(y) || y < 1990 || y > 2100) {
			rc = imp_reject(j->c.ws, j->c.src, line,
					j->t.names[j->f_year], s, j->c.err,
					"is not a year; Year is the survey "
					"year, e.g. 2022");
			goto cleanup;
		}
		year = (long)y;
	}
	s = census_csv_get(&j->t, j->f_value);
	if ((has = num(s, &value)) < 0) {
		rc = imp_reject(j->c.ws, j->c.src, line, "Data_Value", s,
				j->c.err,
				"is not a number; Data_Value is the estimate, "
				"or empty when suppressed");
		goto cleanup;
	}
	s = census_csv_get(&j->t, j->f_low);
	if ((has_low = num(s, &low)) < 0) {
		rc = imp_reject(j->c.ws, j->c.src, line, "Low_Confidence_Limit",
				s, j->c.err, "is not a number (or empty)");
		goto cleanup;
	}
	s = census_csv_get(&j->t, j->f_high);
	if ((has_high = num(s, &high)) < 0) {
		rc =
		    imp_reject(j->c.ws, j->c.src, line, "High_Confidence_Limit",
			       s, j->c.err, "is not a number (or empty)");
		goto cleanup;
	}
	if (has_low == 1 && has_high == 1 && high < low) {
		rc = imp_reject(
		    j->c.ws, j->c.src, line, "High_Confidence_Limit", s,
		    j->c.err,
		    "is below Low_Confidence_Limit (%g); the interval's high "
		    "end must be at least its low end",
		    low);
		goto cleanup;
	}
	if (!population(j, geoid, year, &rc))
		goto cleanup;
	name = xasprintf("PLACES_%s%s", measure, adj ? "_ADJ" : "");
	if ((rc = census_put(&j->w, geoid, name, has, value,
			     has_low == 1 && has_high == 1, (high - low) / 2,
			     year, &repeat, j->c.err)))
		goto cleanup;
	if (repeat) {
		rc = imp_reject(j->c.ws, j->c.src, line, j->t.names[j->f_geo],
				geoid, j->c.err,
				"has %s (%s) twice; each area has one row per "
				"measure and kind of prevalence",
				measure, adj ? "age-adjusted" : "crude");
		goto cleanup;
	}
	if (!has)
		j->suppressed++;
	if (year && (!j->year_min || year < j->year_min))
		j->year_min = year;
	if (year > j->year_max)
		j->year_max = year;
	if (census_list_find(&j->seen, name) < 0) {
		const char *text = census_csv_get(&j->t, j->f_measure_text);
		const char *unit = census_csv_get(&j->t, j->f_unit);
		char *label = xasprintf(
		    "%s, %s (CDC PLACES; moe is half the width of the 95%% "
		    "confidence interval)",
		    *text ? text : measure,
		    adj ? "age-adjusted prevalence" : "crude prevalence");
		rc = census_info(&j->w, name, label, *unit ? unit : "%", year,
				 j->c.err);
		free(label);
		imp_strlist_add(&j->seen, name);
		name = NULL;
		if (rc)
			goto cleanup;
	}
	j->c.src->rows_accepted++;
cleanup:
	free(name);
	return rc;
}

/* "( 8.7, 14.2)": 1 with *low and *high, 0 when empty, -1 otherwise. */
static int parse_ci(const char *s, double *low, double *high)
{
	char *t = imp_trim_dup(s), *p, *comma;
	int r = -1;

	if (!*t) {
		r = 0;
		goto done;
	}
	p = t;
	if (*p == '(')
		p++;
	if (t[strlen(t) - 1] == ')')
		t[strlen(t) - 1] = '\0';
	comma = strchr(p, ',');
	if (!comma)
		goto done;
	*comma = '\0';
	if (imp_parse_number(p, low) && imp_parse_number(comma + 1, high) &&
	    *high >= *low)
		r = 1;
done:
	free(t);
	return r;
}

/*
 * Store the current GIS-friendly row (one area) as one value per column
 * of j->cols, with half of its 95% CI as the moe, and the area's
 * population from its population column.  A bad GEOID, prevalence or
 * interval, or an area given twice, rejects the row (imp_reject).
 * Returns CORE_OK (also after a reject), or an error with j->c.err set.
 */
static int row_wide(struct places_job *j)
{
	double *val = xcalloc(j->ncols + 1, sizeof(double));
	double *moe = xcalloc(j->ncols + 1, sizeof(double));
	int *has = xcalloc(j->ncols + 1, sizeof(int));
	int *has_moe = xcalloc(j->ncols + 1, sizeof(int));
	int rc = CORE_OK, repeat, r;
	long line = j->t.line;
	char geoid[16];
	size_t i;

	j->c.src->rows_read++;
	if (census_csv_short(&j->t, j->c.ws, j->c.err, &rc) ||
	    !geoid_of(j, geoid, sizeof(geoid), &rc))
		goto cleanup;
	for (i = 0; i < j->ncols; i++) {
		const struct wcol *c = &j->cols[i];
		const char *s = census_csv_get(&j->t, c->val);
		double lo, hi;
		if ((has[i] = num(s, &val[i])) < 0) {
			rc = imp_reject(j->c.ws, j->c.src, line,
					j->t.names[c->val], s, j->c.err,
					"is not a number; a prevalence is a "
					"percentage, or empty when suppressed");
			goto cleanup;
		}
		if (c->ci < 0)
			continue;
		s = census_csv_get(&j->t, c->ci);
		if ((r = parse_ci(s, &lo, &hi)) < 0) {
			rc = imp_reject(
			    j->c.ws, j->c.src, line, j->t.names[c->ci], s,
			    j->c.err,
			    "is not a confidence interval; it is written "
			    "'(low, high)', e.g. '( 8.7, 14.2)'");
			goto cleanup;
		}
		has_moe[i] = r;
		moe[i] = (hi - lo) / 2;
	}
	if (!population(j, geoid, j->c.o->year, &rc))
		goto cleanup;
	for (i = 0; i < j->ncols; i++) {
		if ((rc = census_put(&j->w, geoid, j->cols[i].name, has[i],
				     val[i], has_moe[i], moe[i], j->c.o->year,
				     &repeat, j->c.err)))
			goto cleanup;
		if (repeat) {
			rc = imp_reject(j->c.ws, j->c.src, line,
					j->t.names[j->f_geo], geoid, j->c.err,
					"appears more than once in the file; "
					"each area must have one row");
			goto cleanup;
		}
		if (!has[i])
			j->suppressed++;
	}
	j->c.src->rows_accepted++;
cleanup:
	free(val);
	free(moe);
	free(has);
	free(has_moe);
	return rc;
}

static int read_rows(struct places_job *j)
{
	int rc = CORE_OK, more;

	census_csv_progress(&j->t);
	/* The first record was read to find the level. */
	more = 1;
	while (more == 1) {
		if ((rc = j->wide ? row_wide(j) : row_long(j)))
			return rc;
		core_progress_tick(&j->t.prog, j->c.src->rows_read);
		more = census_csv_next(&j->t, j->c.err);
	}
	core_progress_end(&j->t.prog);
	return more < 0 ? CORE_EFORMAT : CORE_OK;
}

/* ---------------------------------------------------------------------
 * The import
 * ------------------------------------------------------------------ */

static void build_options(struct places_job *j)
{
	struct core_buf b = CORE_BUF_INIT;
	char num_s[24];

	imp_opt_add(&b, "level", j->lv->name);
	if (j->c.o->year) {
		snprintf(num_s, sizeof(num_s), "%ld", j->c.o->year);
		imp_opt_add(&b, "year", num_s);
	}
	if (j->f_pop >= 0)
		imp_opt_add(&b, "population", j->t.names[j->f_pop]);
	imp_opt_finish(&b, j->c.o->skip_bad, j->c.src);
}

/*
 * Fill j->c.stats (when given) after the rows: what was read, the level,
 * the number of indicators, the year, and notes on how the level and
 * year were found, the moe, suppressed values, skipped rows and the
 * population column.  Strings are the stats' own.
 */
static void summarise(struct places_job *j)
{
	struct imp_census_stats *st = j->c.stats;

	if (!st)
		return;
	free(st->what);
	st->what = xasprintf("CDC PLACES (%s form)",
			     j->wide ? "GIS-friendly" : "long");
	free(st->level);
	st->level = xstrdup(j->lv->name);
	st->ncolumns = j->wide ? (int64_t)j->ncols : (int64_t)j->seen.n;
	st->year = j->c.o->year ? j->c.o->year : j->year_max;
	census_note(st, "level %s (from %s)", j->lv->name, j->level_how);
	if (j->c.o->year)
		census_note(st, "year %ld (from --year)", j->c.o->year);
	else if (!j->wide && j->year_min && j->year_min != j->year_max)
		census_note(
		    st, "years %ld to %ld (from the Year column, per measure)",
		    j->year_min, j->year_max);
	else if (!j->wide && j->year_max)
		census_note(st, "year %ld (from the Year column)", j->year_max);
	else
		census_note(st,
			    "the GIS-friendly form has no year: give --year (a "
			    "release holds the survey data of two years "
			    "before, e.g. 2022 in the 2024 release)");
	census_note(st, "moe is half the width of the 95%% confidence interval "
			"(ACS margins of error are 90%% ones)");
	if (j->suppressed)
		census_note(st,
			    "%lld value%s suppressed in the file (small "
			    "population), stored as missing",
			    (long long)j->suppressed,
			    j->suppressed == 1 ? "" : "s");
	if (j->other_types) {
		census_note(st,
			    "skipped %lld row%s that are neither crude nor "
			    "age-adjusted prevalence",
			    (long long)j->other_types,
			    j->other_types == 1 ? "" : "s");
		st->skipped = j->other_types;
	}
	if (j->f_pop >= 0)
		census_note(
		    st,
		    "%s is the total population: it sets the areas' population",
		    j->t.names[j->f_pop]);
	else if (col(j, "TotalPopulation") >= 0)
		census_note(st,
			    "TotalPopulation did not set the areas' population "
			    "(give --population TotalPopulation for that)");
}

/*
 * imp_census.h states the contract.  Reads the long form when the file
 * has MeasureId and Data_Value columns, else the GIS-friendly form; the
 * level comes from --level or the first row's GEOID.  Besides the shared
 * failures, a file in which no row is a crude or age-adjusted prevalence
 * is CORE_EFORMAT.
 */
int imp_places_import(struct core_ws *ws, const struct imp_census_opts *o,
		      struct imp_source *src, struct imp_census_stats *stats,
		      struct core_err *err)
{
	struct imp_bulk bulk = {0};
	struct places_job j;
	size_t i;
	int rc, more;

	memset(&j, 0, sizeof(j));
	census_job_init(&j.c, ws, o, src, stats, err);
	j.f_name = j.f_measure_text = j.f_unit = j.f_pop = -1;

	if (!o->path) {
		rc = core_err_set(err, CORE_EUSAGE, "no file to import");
		goto cleanup;
	}
	if (o->layer || o->ranking || o->columns) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "import places takes only --level, --year, "
				  "--population and --skip-bad");
		goto cleanup;
	}
	if ((rc = census_csv_open(&j.t, src, o->path, "CDC PLACES data",
				  "places", err)))
		goto cleanup;
	if (col(&j, "MeasureId") >= 0 && col(&j, "Data_Value") >= 0) {
		if ((rc = map_long(&j)))
			goto cleanup;
	} else {
		const char *const *n = (const char *const *)j.t.names;
		size_t k;
		for (k = 0; k < j.t.ncol; k++) {
			size_t len = strlen(n[k]);
			if ((len > 10 &&
			     !strcasecmp(n[k] + len - 10, "_CrudePrev")) ||
			    (len > 8 &&
			     !strcasecmp(n[k] + len - 8, "_AdjPrev")))
				break;
		}
		if (k == j.t.ncol) {
			rc = census_not_this(err, src->name, "CDC PLACES data",
					     "no MeasureId and Data_Value "
					     "columns, nor ..._CrudePrev ones",
					     n, j.t.ncol, 0, "places");
			goto cleanup;
		}
		j.wide = 1;
		if ((rc = map_wide(&j)))
			goto cleanup;
	}
	if (o->population && *o->population &&
	    (j.f_pop = col(&j, o->population)) < 0) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "--population: %s has no column '%s' "
				  "(PLACES' is TotalPopulation)",
				  src->name, o->population);
		goto cleanup;
	}
	more = census_csv_next(&j.t, err);
	if (more < 0) {
		rc = CORE_EFORMAT;
		goto cleanup;
	}
	if (more == 0) {
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "%s has a header but no data rows; nothing to import",
		    src->name);
		goto cleanup;
	}
	if ((rc = detect_level(&j)))
		goto cleanup;
	free(src->format);
	src->format = xstrdup(j.wide ? "places (GIS-friendly)" : "places");
	build_options(&j);

	if ((rc = census_table_begin(ws, &bulk, &j.w, src, stats, err)))
		goto cleanup;
	for (i = 0; i < j.ncols; i++)
		if ((rc = census_info(&j.w, j.cols[i].name, j.cols[i].label,
				      "%", o->year, err)))
			goto cleanup;
	if ((rc = read_rows(&j)))
		goto cleanup;
	if (src->rows_read > 0 && j.other_types == src->rows_read) {
		rc = core_err_set(err, CORE_EFORMAT,
				  "%s: none of its %lld rows is a crude or "
				  "age-adjusted prevalence (DataValueTypeID "
				  "CrdPrv or AgeAdjPrv); nothing to import",
				  src->name, (long long)src->rows_read);
		goto cleanup;
	}
	{
		char y[16];
		long yr = j.c.o->year ? j.c.o->year : j.year_max;

		snprintf(y, sizeof(y), "%ld", yr);
		imp_source_publisher(src, "CDC", "PLACES", yr > 0 ? y : NULL);
	}
	if ((rc = imp_source_close(ws, src, err)) ||
	    (rc = census_out_finish(&j.w, j.lv->name, err)))
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
	imp_strlist_free(&j.seen);
	return rc;
}
