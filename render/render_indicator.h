/*
 * render_indicator.h - the indicators a level's areas have values of, as
 * a map needs them: the default one to shade by, a check that a named one
 * is there (saying which are when it is not), and the words a legend uses
 * for an indicator (its label, unit and year) and for a level.
 *
 * Reads the workspace only.  Strings returned through char ** are the
 * caller's to free; const char * results are static.
 */
#ifndef RENDER_INDICATOR_H
#define RENDER_INDICATOR_H

#include "core/core_err.h"
#include "core/core_ws.h"

/*
 * The indicator a map of this level shades by when none is named:
 * RPL_THEMES (CDC SVI overall percentile) if the level's areas have it,
 * else the first (by name) whose name contains "svi", else the first by
 * name.  *name is NULL when the level's areas have no indicators; the
 * caller frees it.
 */
int render_default_indicator(struct core_ws *ws, const char *level, char **name,
			     struct core_err *err);

/* CORE_ENOTFOUND unless the level's areas have values of indicator (the
 * message names the option opt and lists what they have); CORE_EDB when
 * the workspace cannot be read. */
int render_check_indicator(struct core_ws *ws, const char *level,
			   const char *indicator, const char *opt,
			   struct core_err *err);

/* Label, unit and year of an indicator from the workspace's
 * indicator_info (*label, *unit NULL and *year 0 when it has none; a
 * label that only repeats the name counts as none).  Caller frees. */
void render_indicator_info(struct core_ws *ws, const char *name, char **label,
			   char **unit, int *year);

/* 1 when an indicator's name has "svi" in it, in any case (the CDC's
 * Social Vulnerability Index), else 0. */
int render_indicator_names_svi(const char *name);

/* A readable name of a known indicator (the CDC SVI's percentile
 * rankings), or NULL. */
const char *render_known_label(const char *name);

/* 1 when indicator name holds percentile ranks from 0 to 1: its unit
 * says "percentile (0-1)" (as 'import svi' records it), or, with no
 * unit recorded, it is a CDC SVI ranking by name (RPL_THEMES,
 * RPL_THEME1..4, or "svi").  The caller still checks that the values
 * lie in 0..1 before printing them as percentages. */
int render_is_percentile(const char *name, const char *unit);

/* "Census tracts" (capital) or "census tracts" for a level; "Areas" or
 * "areas" for a level it does not know. */
const char *render_level_plural(const char *level, int capital);

#endif
