/*
 * core_units.h - distances as a user writes and reads them.
 *
 * Analyses work in metres in the workspace's analysis CRS.  Users give
 * distances with a unit suffix ("500m", "2mi", "3 km", "0.5mi") and read
 * them in miles by default (--units mi|km|m).
 */
#ifndef CORE_UNITS_H
#define CORE_UNITS_H

#include <stddef.h>

#include "core/core_err.h"

enum core_unit {
	CORE_UNIT_MI = 0, /* statute mile, 1609.344 m: the default */
	CORE_UNIT_KM = 1,
	CORE_UNIT_M = 2
};

#define CORE_M_PER_MI 1609.344

/*
 * Parse a distance with its unit: a non-negative decimal number and one
 * of m, km, mi (also "metres", "miles", "ft"), space allowed between.  A
 * bare number is refused (which unit would it be?).  what names the
 * option in the message ("--within").  Sets *metres.
 */
int core_units_parse_distance(const char *s, const char *what, double *metres,
			      struct core_err *err);

/*
 * Parse a time with its unit: a non-negative decimal number and one of
 * s, min, h (also "sec", "minutes", "hours", ...), space allowed between.
 * A bare number is refused.  what names the option in the message
 * ("--max-time").  Sets *seconds.
 */
int core_units_parse_time(const char *s, const char *what, double *seconds,
			  struct core_err *err);

/* Parse "mi", "km" or "m" (also "miles", "kilometres", ...). */
int core_units_parse(const char *s, enum core_unit *u, struct core_err *err);

/* Metres in unit u. */
double core_units_from_m(double metres, enum core_unit u);

/* "mi", "km" or "m". */
const char *core_units_name(enum core_unit u);

/*
 * Format metres in unit u into buf with a sensible number of decimals
 * (mi/km: 2, m: 0) and the unit's name: "1.25 mi".  NaN gives "-".
 * Returns buf.
 */
char *core_units_format(double metres, enum core_unit u, char *buf,
			size_t size);

/*
 * The same for a distance a person chose, in prose: without trailing
 * zeros ("1 mi", "0.5 mi", "1.25 km", "800 m").  NaN gives "-".
 */
char *core_units_format_short(double metres, enum core_unit u, char *buf,
			      size_t size);

#endif
