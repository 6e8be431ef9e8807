/*
 * cli_analysis.h - the options every analysis command shares, parsed in
 * one place so that nearest, coverage, access, gaps, deserts, sites and
 * near read them the same way.
 *
 * A command puts CLI_ANALYSIS_OPTIONS into its getopt_long table and
 * passes every option character it does not handle itself to
 * cli_analysis_opt:
 *
 *   --cohort NAME          the people: a cohort in the workspace
 *   --areas LEVEL          the areas (default tract)
 *   --category C[,C...]    category codes (default: every category that
 *                          has assets)
 *   --language CODE        supply: assets listing this language (ISO
 *                          639-1, or a name: "Spanish" -> es)
 *   --medi-cal             supply: assets that accept Medi-Cal
 *   --program CODE         supply: assets offering this Community Support
 *   --open weekday|evening supply: open on a weekday / in the evening
 *   --min-capacity N       supply: capacity at least N
 *   --formal / --informal  supply: imported assets only / hand-added only
 *   --where KEY=VALUE      people: cohort members whose kept attribute
 *                          KEY is VALUE (e.g. language=es)
 *   --units mi|km|m        distances shown in (default mi)
 *   --format table|csv|json
 *
 * Distances given with a unit (--within 2mi) go through
 * core_units_parse_distance.
 */
#ifndef CLI_ANALYSIS_H
#define CLI_ANALYSIS_H

#include <getopt.h>
#include <stddef.h>

#include "cli/cli.h"
#include "core/core_units.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"
#include "geo/geo_proj.h"

enum {
	CLI_AOPT_COHORT = 1000,
	CLI_AOPT_AREAS,
	CLI_AOPT_CATEGORY,
	CLI_AOPT_LANGUAGE,
	CLI_AOPT_MEDI_CAL,
	CLI_AOPT_PROGRAM,
	CLI_AOPT_OPEN,
	CLI_AOPT_MIN_CAPACITY,
	CLI_AOPT_FORMAL,
	CLI_AOPT_INFORMAL,
	CLI_AOPT_WHERE,
	CLI_AOPT_UNITS,
	CLI_AOPT_FORMAT
};

#define CLI_ANALYSIS_OPTIONS                                                \
	{ "cohort", required_argument, NULL, CLI_AOPT_COHORT },             \
	{ "areas", required_argument, NULL, CLI_AOPT_AREAS },               \
	{ "category", required_argument, NULL, CLI_AOPT_CATEGORY },         \
	{ "language", required_argument, NULL, CLI_AOPT_LANGUAGE },         \
	{ "medi-cal", no_argument, NULL, CLI_AOPT_MEDI_CAL },               \
	{ "program", required_argument, NULL, CLI_AOPT_PROGRAM },           \
	{ "open", required_argument, NULL, CLI_AOPT_OPEN },                 \
	{ "min-capacity", required_argument, NULL, CLI_AOPT_MIN_CAPACITY }, \
	{ "formal", no_argument, NULL, CLI_AOPT_FORMAL },                   \
	{ "informal", no_argument, NULL, CLI_AOPT_INFORMAL },               \
	{ "where", required_argument, NULL, CLI_AOPT_WHERE },               \
	{ "units", required_argument, NULL, CLI_AOPT_UNITS },               \
	{ "format", required_argument, NULL, CLI_AOPT_FORMAT }

/* The help text of those options, for a command's help. */
extern const char cli_analysis_help[];

struct cli_analysis {
	const char *cohort;       /* NULL: none given */
	const char *areas;        /* "tract" unless given */
	char **cats;              /* owned; NULL with ncats 0: none given */
	size_t ncats;
	struct geo_filter filter; /* strings borrowed from argv / owned
				     by this struct */
	const char *where;        /* "KEY=VALUE" or NULL */
	enum core_unit units;     /* CORE_UNIT_MI unless given */
	const char *format;       /* "table" unless given */
	char *language_code;      /* owned storage behind filter.language */
};

void cli_analysis_init(struct cli_analysis *a);
void cli_analysis_release(struct cli_analysis *a);

/*
 * Handle option c (from cli_getopt) with its argument arg.  Returns 1
 * when it was one of CLI_ANALYSIS_OPTIONS (parsed and stored), 0 when it
 * is not, and -1 after setting a usage error in ctx (bad unit, unknown
 * --open value, ...).
 */
int cli_analysis_opt(struct cli_ctx *ctx, const char *cmd,
		     struct cli_analysis *a, int c, const char *arg);

/*
 * After the options: when no --category was given, fill a->cats with
 * every category that has assets (geo_categories_present); check each
 * code given exists (usage error naming it otherwise).
 */
int cli_analysis_categories(struct cli_ctx *ctx, const char *cmd,
			    struct cli_analysis *a);

#endif
