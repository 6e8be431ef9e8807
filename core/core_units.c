/*
 * core_units.c - distances with units.  See core_units.h.
 */
#include "core/core_units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	double m;
} unit_names[] = {
    {"m", 1.0},
    {"meter", 1.0},
    {"meters", 1.0},
    {"metre", 1.0},
    {"metres", 1.0},
    {"km", 1000.0},
    {"kilometer", 1000.0},
    {"kilometers", 1000.0},
    {"kilometre", 1000.0},
    {"kilometres", 1000.0},
    {"mi", CORE_M_PER_MI},
    {"mile", CORE_M_PER_MI},
    {"miles", CORE_M_PER_MI},
    {"ft", 0.3048},
    {"feet", 0.3048},
};

int core_units_parse_distance(const char *s, const char *what, double *metres,
			      struct core_err *err)
{
	const char *p;
	char *end;
	double v;
	size_t i;

	if (!s || !*s)
		return core_err_set(err, CORE_EUSAGE,
				    "%s: give a distance with its unit, "
				    "e.g. 500m, 2mi or 3km",
				    what);
	v = strtod(s, &end);
	if (end == s || !isfinite(v) || v < 0)
		return core_err_set(err, CORE_EUSAGE,
				    "%s: '%s' is not a distance; give a "
				    "non-negative number and a unit, e.g. "
				    "500m, 2mi or 3km",
				    what, s);
	p = end;
	while (*p == ' ')
		p++;
	if (!*p)
		return core_err_set(err, CORE_EUSAGE,
				    "%s: '%s' has no unit; write %sm, %smi "
				    "or %skm",
				    what, s, s, s, s);
	for (i = 0; i < sizeof(unit_names) / sizeof(unit_names[0]); i++) {
		if (strcasecmp(p, unit_names[i].name) == 0) {
			*metres = v * unit_names[i].m;
			return CORE_OK;
		}
	}
	return core_err_set(err, CORE_EUSAGE,
			    "%s: unknown unit '%s' in '%s'; use m, km or mi",
			    what, p, s);
}

static const struct {
	const char *name;
	double s;
} time_names[] = {{"s", 1},	   {"sec", 1},	   {"secs", 1},	 {"second", 1},
		  {"seconds", 1},  {"min", 60},	   {"mins", 60}, {"minute", 60},
		  {"minutes", 60}, {"h", 3600},	   {"hr", 3600}, {"hrs", 3600},
		  {"hour", 3600},  {"hours", 3600}};

int core_units_parse_time(const char *s, const char *what, double *seconds,
			  struct core_err *err)
{
	const char *p;
	char *end;
	double v;
	size_t i;

	if (!s || !*s)
		return core_err_set(err, CORE_EUSAGE,
				    "%s: give a time with its unit, e.g. 90s, "
				    "15min or 1h",
				    what);
	v = strtod(s, &end);
	if (end == s || !isfinite(v) || v < 0)
		return core_err_set(err, CORE_EUSAGE,
				    "%s: '%s' is not a time; give a "
				    "non-negative number and a unit, e.g. "
				    "90s, 15min or 1h",
				    what, s);
	p = end;
	while (*p == ' ')
		p++;
	if (!*p)
		return core_err_set(err, CORE_EUSAGE,
				    "%s: '%s' has no unit; write %ss, %smin "
				    "or %sh",
				    what, s, s, s, s);
	for (i = 0; i < sizeof(time_names) / sizeof(time_names[0]); i++) {
		if (strcasecmp(p, time_names[i].name) == 0) {
			*seconds = v * time_names[i].s;
			return CORE_OK;
		}
	}
	return core_err_set(err, CORE_EUSAGE,
			    "%s: unknown unit '%s' in '%s'; use s, min or h",
			    what, p, s);
}

int core_units_parse(const char *s, enum core_unit *u, struct core_err *err)
{
	if (s && (strcasecmp(s, "mi") == 0 || strcasecmp(s, "mile") == 0 ||
		  strcasecmp(s, "miles") == 0)) {
		*u = CORE_UNIT_MI;
		return CORE_OK;
	}
	if (s &&
	    (strcasecmp(s, "km") == 0 || strcasecmp(s, "kilometres") == 0 ||
	     strcasecmp(s, "kilometers") == 0)) {
		*u = CORE_UNIT_KM;
		return CORE_OK;
	}
	if (s && (strcasecmp(s, "m") == 0 || strcasecmp(s, "metres") == 0 ||
		  strcasecmp(s, "meters") == 0)) {
		*u = CORE_UNIT_M;
		return CORE_OK;
	}
	return core_err_set(err, CORE_EUSAGE,
			    "--units: '%s' is not a unit; use mi, km or m",
			    s ? s : "");
}

double core_units_from_m(double metres, enum core_unit u)
{
	switch (u) {
	case CORE_UNIT_KM:
		return metres / 1000.0;
	case CORE_UNIT_M:
		return metres;
	case CORE_UNIT_MI:
	default:
		return metres / CORE_M_PER_MI;
	}
}

const char *core_units_name(enum core_unit u)
{
	switch (u) {
	case CORE_UNIT_KM:
		return "km";
	case CORE_UNIT_M:
		return "m";
	case CORE_UNIT_MI:
	default:
		return "mi";
	}
}

char *core_units_format(double metres, enum core_unit u, char *buf, size_t size)
{
	if (isnan(metres))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.*f %s", u == CORE_UNIT_M ? 0 : 2,
			 core_units_from_m(metres, u), core_units_name(u));
	return buf;
}

char *core_units_format_short(double metres, enum core_unit u, char *buf,
			      size_t size)
{
	char num[64];
	size_t n;

	if (isnan(metres)) {
		snprintf(buf, size, "-");
		return buf;
	}
	snprintf(num, sizeof(num), "%.*f", u == CORE_UNIT_M ? 0 : 2,
		 core_units_from_m(metres, u));
	if (strchr(num, '.')) {
		n = strlen(num);
		while (n > 0 && num[n - 1] == '0')
			num[--n] = '\0';
		if (n > 0 && num[n - 1] == '.')
			num[--n] = '\0';
	}
	if (strcmp(num, "-0") == 0)
		strcpy(num, "0");
	snprintf(buf, size, "%s %s", num, core_units_name(u));
	return buf;
}
