/*
 * cli_access.h - the access options and the access computation shared by
 * `assetmap access` and `assetmap gaps`, and the analysis options' help
 * they and `assetmap atlas` give (implemented in cmd_access.c).
 *
 *   --method 2sfca|e2sfca|3sfca|bfca   (default 2sfca)
 *   --catchment D|T                    (default 10km; a time such as
 *                                      20min with a network --by)
 *   --decay step|gaussian|gravity      (default step)
 *   --weights W1,W2,W3                 step zone weights (e2sfca, 3sfca)
 *   --beta B                           gravity exponent (default 1)
 *   --min-distance D|T                 gravity: nearer counts as D (100m;
 *                                      a time when the catchment is)
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
#include "cli/cli_travel.h"
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
	/* --by and --snap: the commands include cli_travel_options into t
	 * themselves (access and gaps do; atlas does not) */
	struct cli_travel t;
	int catchment_time;	    /* --catchment was a time: p.catchment and
				       p.min_dist are seconds */
	int min_dist_time;	    /* --min-distance was a time */
	const char *catchment_text; /* as given, or NULL */
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

/* After parsing: options that do not go together (usage errors),
 * among them a time with --by line and a --min-distance whose kind
 * (time or distance) differs from the catchment's. */
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
	/* with a network --by (NULL / 0 otherwise): */
	struct geo_net *net;
	struct geo_snap *dsnap;	 /* [n] the area points, snapped */
	size_t demand_unplaced;	 /* area points not placed */
	size_t *supply_unplaced; /* [ncats] assets not placed */
};

/*
 * Load areas, their points, demand and supply, and compute access for
 * every category of a (cli_analysis_categories already called) into d,
 * which the caller frees with cli_access_data_release whatever the
 * outcome.  Returns CORE_OK or a code with ctx->err set: the loaders'
 * errors, CORE_ENOTFOUND when there are no areas of the level, or no
 * demand (no population, no value of --demand-indicator).  With a
 * network --by (o->t) the scores are geo_access_compute_net's on the
 * workspace's graph (CORE_ENOTFOUND when there is none), with notes
 * on the places not placed on it.
 */
int cli_access_run(struct cli_ctx *ctx, const char *cmd,
		   const struct cli_analysis *a,
		   const struct cli_access_opts *o, struct cli_access_data *d);
void cli_access_data_release(struct cli_access_data *d);

/* The parameters as a JSON object's members, appended to obj (a
 * json_object *; void here to keep json-c out of this header). */
void cli_access_params_json(const struct cli_access_opts *o, void *obj);

/* The catchment as people read it: "5.00 mi", "20 min driving",
 * "3.00 mi driving" (network miles). */
void cli_access_catchment_text(const struct cli_access_opts *o,
			       enum core_unit units, char *buf, size_t sz);

/* The label for the area points in notes and run summaries. */
const char *cli_access_points_label(const struct cli_access_data *d);

#endif
