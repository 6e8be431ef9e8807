/*
 * cli_access.h - the access options and the access computation shared by
 * `assetmap access` and `assetmap gaps` (implemented in cmd_access.c).
 *
 *   --method 2sfca|e2sfca|3sfca|bfca   (default 2sfca)
 *   --catchment D                      (default 10km)
 *   --decay step|gaussian|gravity      (default step)
 *   --weights W1,W2,W3                 step zone weights (e2sfca, 3sfca)
 *   --beta B                           gravity exponent (default 1)
 *   --min-distance D                   gravity: nearer counts as D (100m)
 *   --normalize                        divide by the demand-weighted mean
 *   --demand-indicator NAME            demand = an indicator per area
 */
#ifndef CLI_ACCESS_H
#define CLI_ACCESS_H

#include <stddef.h>

#include "cli/cli.h"
#include "cli/cli_analysis.h"
#include "geo/geo_access.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"

enum {
	CLI_XOPT_METHOD = 1100,
	CLI_XOPT_CATCHMENT,
	CLI_XOPT_DECAY,
	CLI_XOPT_WEIGHTS,
	CLI_XOPT_BETA,
	CLI_XOPT_MIN_DIST,
	CLI_XOPT_NORMALIZE,
	CLI_XOPT_DEMAND_IND
};

#define CLI_ACCESS_OPTIONS                                                     \
	{"method", required_argument, NULL, CLI_XOPT_METHOD},                  \
	    {"catchment", required_argument, NULL, CLI_XOPT_CATCHMENT},        \
	    {"decay", required_argument, NULL, CLI_XOPT_DECAY},                \
	    {"weights", required_argument, NULL, CLI_XOPT_WEIGHTS},            \
	    {"beta", required_argument, NULL, CLI_XOPT_BETA},                  \
	    {"min-distance", required_argument, NULL, CLI_XOPT_MIN_DIST},      \
	    {"normalize", no_argument, NULL, CLI_XOPT_NORMALIZE},              \
	{                                                                      \
		"demand-indicator", required_argument, NULL,                   \
		    CLI_XOPT_DEMAND_IND                                        \
	}

/* The help text of those options, a string literal for a command's help. */
#define CLI_ACCESS_HELP                                                        \
	"access:\n"                                                            \
	"  --method M           2sfca (default), e2sfca, 3sfca or bfca\n"      \
	"  --catchment D        how far people go, with a unit (default "      \
	"10km)\n"                                                              \
	"  --decay F            step (default), gaussian or gravity\n"         \
	"  --weights W1,W2,W3   e2sfca/3sfca step weights for the nearest, "   \
	"middle\n"                                                             \
	"                       and farthest third of the catchment "          \
	"(default\n"                                                           \
	"                       1,0.68,0.22)\n"                                \
	"  --beta B             gravity: weight (d/catchment)^-B (default "    \
	"1)\n"                                                                 \
	"  --min-distance D     gravity: nearer than D counts as D (default "  \
	"100m)\n"                                                              \
	"  --normalize          divide by the demand-weighted mean: 1 = "      \
	"average\n"                                                            \
	"  --demand-indicator NAME\n"                                          \
	"                       demand = this indicator per area instead of "  \
	"the\n"                                                                \
	"                       population (e.g. limited-English Spanish "     \
	"speakers\n"                                                           \
	"                       imported from ACS); with --language this "     \
	"gives\n"                                                              \
	"                       language-concordant access\n"

/* The shared analysis options, as a string literal (cli_analysis_help
 * is an array, which a help literal cannot include). */
#define CLI_ACCESS_ANALYSIS_HELP                                               \
	"who and what:\n"                                                      \
	"  --areas LEVEL        areas: tract (default), blockgroup, county, "  \
	"zcta,\n"                                                              \
	"                       state\n"                                       \
	"  --category C[,C...]  asset categories (default: every category "    \
	"with\n"                                                               \
	"                       assets; 'assetmap categories' lists the "      \
	"codes)\n"                                                             \
	"  --cohort NAME        a cohort as the people (a point or counts "    \
	"cohort)\n"                                                            \
	"  --where KEY=VALUE    only cohort members whose attribute KEY is "   \
	"VALUE\n"                                                              \
	"\n"                                                                   \
	"which assets count (combined with 'and'):\n"                          \
	"  --language CODE      assets listing this language (es, or "         \
	"Spanish)\n"                                                           \
	"  --medi-cal           assets that accept Medi-Cal\n"                 \
	"  --program CODE       assets offering this Medi-Cal Community "      \
	"Support\n"                                                            \
	"  --open weekday|evening  open on a weekday / at or after 17:00\n"    \
	"  --min-capacity N     capacity at least N (unknown does not "        \
	"count)\n"                                                             \
	"  --formal, --informal imported only / hand-added only\n"             \
	"\n"                                                                   \
	"output:\n"                                                            \
	"  --units mi|km|m      distances in miles (default), km or metres\n"  \
	"  --format table|csv|json\n"

struct cli_access_opts {
	struct geo_access_params p;
	const char *demand_indicator; /* NULL: population or --cohort */
	int weights_given, beta_given, min_dist_given;
	int demand_population; /* 1: demand is the population even when
				  --cohort names the people (gaps) */
};

void cli_access_opts_init(struct cli_access_opts *o);

/* Handle option c: 1 handled, 0 not one of CLI_ACCESS_OPTIONS, -1 usage
 * error set in ctx. */
int cli_access_opt(struct cli_ctx *ctx, const char *cmd,
		   struct cli_access_opts *o, int c, const char *arg);

/* After parsing: options that do not go together (usage errors). */
int cli_access_check(struct cli_ctx *ctx, const char *cmd,
		     const struct cli_access_opts *o,
		     const struct cli_analysis *a);

/* What the computation loaded and produced. */
struct cli_access_data {
	struct geo_proj *proj;
	struct geo_areas *areas;
	double *px, *py;	 /* [n] one point per area */
	int weighted;		 /* points are population-weighted */
	double *demand;		 /* [n] */
	const char *demand_kind; /* CORE_RK_POPULATION, _COHORT_COUNT, _VALUE */
	char *demand_what; /* "population", "cohort 'x'", "indicator 'y'" */
	struct geo_supply *sup; /* [ncats] */
	size_t ncats;
	double *score;		      /* [ncats * n]: category k's at k * n */
	struct geo_access_info *info; /* [ncats] */
};

/*
 * Load areas, their points, demand and supply, and compute access for
 * every category of a (cli_analysis_categories already called).
 */
int cli_access_run(struct cli_ctx *ctx, const char *cmd,
		   const struct cli_analysis *a,
		   const struct cli_access_opts *o, struct cli_access_data *d);
void cli_access_data_release(struct cli_access_data *d);

/* The parameters as a JSON object's members, appended to obj (a
 * json_object *; void here to keep json-c out of this header). */
void cli_access_params_json(const struct cli_access_opts *o, void *obj);

/* The label for the area points in notes and run summaries. */
const char *cli_access_points_label(const struct cli_access_data *d);

#endif
