/*
 * cli_travel.h - how far, and by what: the travel options the analyses
 * share (nearest, coverage, access, gaps, deserts, sites, near,
 * standards).
 *
 *   --by walk|bike|drive|line   measure along the road network ('import
 *                               roads') or in a straight line (default,
 *                               today's behaviour)
 *   --snap D                    the farthest a place may be from a usable
 *                               road before it is reported as not placed
 *                               (default 1km)
 *
 * A threshold ("--within 30min", "--within 2mi", "--within 10mi|30min",
 * "--catchment 20min") is a distance, a time, or both joined by '|' (met
 * when either is: the way Medi-Cal's time-or-distance standards are
 * written), parsed by cli_reach_opt into a struct cli_reach.  A time
 * needs a network mode: "--within 30min" with --by line (or no --by) is
 * the usage error "--within 30min is a time: add --by walk, --by bike or
 * --by drive" ("--within 10mi|30min includes a time: ..." when both are
 * given).
 *
 * Results with a network mode are in minutes and network miles (--units
 * km or m for km or metres); CSV columns are named after the mode:
 * walk_m and walk_min, bike_m and bike_min, drive_m and drive_min.
 */
#ifndef CLI_TRAVEL_H
#define CLI_TRAVEL_H

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "core/core_units.h"
#include "geo/geo_net.h"
#include "geo/geo_proj.h"

struct cli_travel {
	enum geo_mode mode; /* GEO_MODE_LINE unless --by */
	double snap_m;	    /* GEO_NET_SNAP_MAX_M unless --snap */
	const char *snap_text;
};

/* The records of --by and --snap into a struct cli_travel, for a
 * command's table (CLI_OPT_INCLUDE(cli_travel_options, struct my_opts,
 * t)).  Their help is CLI_TRAVEL_HELP_TEXT. */
extern const struct cli_opt cli_travel_options[];
#define CLI_TRAVEL_HELP_TEXT                                                   \
	"travel:\n"                                                            \
	"  --by MODE            walk, bike or drive: along the road network\n" \
	"                       ('assetmap import roads'); line: a straight\n" \
	"                       line (default)\n"                              \
	"  --snap D             places farther than D from every road the\n"   \
	"                       mode may use are reported, not placed\n"       \
	"                       (default 1km)\n"

void cli_travel_init(struct cli_travel *t);

/* A threshold in distance, time or both ("2mi", "30min", "10mi|30min"):
 * NaN for a part not given; text as the user wrote it. */
struct cli_reach {
	double metres;
	double seconds;
	const char *text;
};
/* NaN, NaN, text NULL: nothing given. */
void cli_reach_init(struct cli_reach *r);
/* Is anything given? */
int cli_reach_given(const struct cli_reach *r);

/*
 * The CALLBACK parser of a threshold option (target: struct cli_reach):
 *   CLI_OPT_CALLBACK("within", 0, "D|T", struct my_opts, within,
 *                    cli_reach_opt, "...")
 * Errors name the option: "--within: 'x|y' is not a distance or a time
 * (2mi, 500m, 30min, 1h, or 10mi|30min)"; a single value that is
 * neither gets the message of the distance parser, the one the option
 * gave when it took a distance only ("--within: '3' has no unit; write
 * 3m, 3mi or 3km").
 */
int cli_reach_opt(struct cli_ctx *ctx, const char *cmd,
		  const struct cli_opt *opt, const char *value, void *target);

/* The threshold in its unit: seconds for a time, else metres. */
double cli_reach_value(const struct cli_reach *r);

/* A threshold in words: "1.00 mi" (a straight line), "20 minutes
 * walking", "1.00 mi walking" (along the network of mode). */
void cli_reach_text(const struct cli_reach *r, enum geo_mode mode,
		    enum core_unit u, char *buf, size_t size);

/*
 * After parsing: a threshold with a time needs a network mode.  what is
 * the option's name ("--within").  CORE_EUSAGE through cli_usage.
 */
int cli_travel_check(struct cli_ctx *ctx, const char *cmd,
		     const struct cli_travel *t, const char *what,
		     const struct cli_reach *r);

/*
 * The workspace's graph for t->mode, projected with proj: *net NULL for
 * GEO_MODE_LINE.  A missing network is CORE_ENOTFOUND telling the user to
 * run 'assetmap import roads'.  A note says which network is used
 * ("walking on the road network: 12,345 nodes, 456.7 km").
 */
int cli_travel_net(struct cli_ctx *ctx, const struct cli_travel *t,
		   struct geo_proj *proj, struct geo_net **net);

#endif
