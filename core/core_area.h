/*
 * core_area.h - what areas.flags means, and keeping it and
 * areas.population right whichever arrives first.
 *
 * An area stays in the workspace whatever it holds, so maps show every
 * tract; analyses leave the flagged ones out of rankings and of demand:
 *
 *   AREA_FLAG_WATER   water only: its land area (TIGER's ALAND) is 0
 *   AREA_FLAG_NO_POP  its population is known and is 0
 *
 * Both bits are derived from the row (land_m2, population): any code that
 * sets either column calls core_area_flags_update afterwards, inside the
 * same transaction.  Other bits of flags are left alone.
 *
 * A total population can arrive before the polygons (an SVI or ACS table
 * imported first) or after them.  Importers that read one write it to
 * areas.population where the area exists and, in every case, to the
 * indicator named AREA_POPULATION_INDICATOR; core_area_population_fill
 * copies it onto areas that have none yet (e.g. just imported polygons).
 *
 * Limitation: indicators are keyed by GEOID alone, and a county's GEOID
 * (5 digits) can equal a ZCTA's; core_area_population_fill therefore
 * takes the level of the areas to fill, and callers pass the level their
 * file holds.
 */
#ifndef CORE_AREA_H
#define CORE_AREA_H

#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"

#define AREA_FLAG_WATER	 1
#define AREA_FLAG_NO_POP 2
/* The bits core_area_flags_update derives; the others are kept. */
#define AREA_FLAGS_DERIVED (AREA_FLAG_WATER | AREA_FLAG_NO_POP)

/* Name of the indicator holding each area's total population. */
#define AREA_POPULATION_INDICATOR "population"

/*
 * An SQL expression of an areas row's flags with both derived bits
 * recomputed from its land_m2 and population (for use in SQL of other
 * rooms, e.g. "UPDATE areas SET flags = " AREA_FLAGS_SQL " WHERE ...").
 */
#define AREA_FLAGS_SQL                                                         \
	"((flags & ~3) | (CASE WHEN land_m2 = 0 THEN 1 ELSE 0 END)"            \
	" | (CASE WHEN population = 0 THEN 2 ELSE 0 END))"

/*
 * Recompute the derived flags of the areas at level (NULL: every level).
 * Only rows whose flags change are written.  *changed (may be NULL) gets
 * how many were.  Returns CORE_OK or CORE_EDB with err set.
 */
int core_area_flags_update(struct core_ws *ws, const char *level,
			   int64_t *changed, struct core_err *err);

/*
 * Set the population of the areas at level (NULL: every level) that have
 * none from the AREA_POPULATION_INDICATOR indicator of their GEOID, when
 * there is one with a value.  *filled (may be NULL) gets how many were
 * set.  Does not update flags: call core_area_flags_update after.
 */
int core_area_population_fill(struct core_ws *ws, const char *level,
			      int64_t *filled, struct core_err *err);

/* How many areas at level (NULL: any) have all of the bits in mask set;
 * -1 on a database error (err set). */
int64_t core_area_count_flagged(struct core_ws *ws, const char *level, int mask,
				struct core_err *err);

#endif
