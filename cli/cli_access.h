/*
 * cli_access.h - the access options and the access computation shared by
 * `assetmap access` and `assetmap gaps`, and the analysis options' help
 * they and `assetmap atlas` give (implemented in cmd_access.c).
 *
 *   --method 2sfca|e2sfca|3sfca|bfca   (default 2sfca)
 *   --catchment D                      (default 10km)
 *   --decay step|gaussian|gravity      (default step)
 *   --weights W1,W2,W3                 step zone weights (e2sfca, 3sfca)
 *   --beta B                           gravity exponent (default 1)
 *   --min-distance D                   gravity: nearer counts as D (100m)
 *   --normalize                        divide by the demand-weighted mean
 *   --demand-indicator NAME            demand = an indicator per area,
 *                                      or population*NAME: times it
 */
#ifndef CLI_ACCESS_H
#define CLI_ACCESS_H

#include <stddef.h>

#include "cli/cli.h"
#include "cli/cli_analysis.h"
#include "cli/cli_opt.h"
#include "geo/geo_access.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"

struct cli_access_opts {
	struct geo_access_params p;
	const char *demand_indicator; /* NULL: population or --cohort */
	int weights_given, beta_given, min_dist_given;
	int given;	       /* how many access options were given */
	int demand_population; /* 1: demand is the population even when
				  --cohort names the people (gaps) */
};

void cli_access_opts_init(struct cli_access_opts *o);

/*
 * The access options, a group (cli_opt.h) into a struct cli_access_opts
 * (cli_access_opts_init'ed), its help the "access:" section.
 */
extern const struct cli_opt cli_access_options[];

/*
 * The analysis options (cli_analysis_options, parsed into a struct
 * cli_analysis) with the shorter help access, gaps and atlas give them:
 * three sections, no blank line after the last.
 */
extern const struct cli_opt cli_access_analysis_options[];

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
 * every category of a (cli_analysis_categories already called) into d,
 * which the caller frees with cli_access_data_release whatever the
 * outcome.  Returns CORE_OK or a code with ctx->err set: the loaders'
 * errors, CORE_ENOTFOUND when there are no areas of the level, or no
 * demand (no population, no value of --demand-indicator).
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
