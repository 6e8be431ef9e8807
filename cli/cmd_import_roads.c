/*
 * cmd_import_roads.c - assetmap import roads: an OpenStreetMap extract
 * into the walking, cycling and driving networks
 * (importers/imp_roads.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_import.h"
#include "cli/cli_opt.h"
#include "importers/imp_roads.h"

struct roads_opts {
	int unused;
};

const struct cli_opt cmd_import_roads_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] import roads FILE.osm.pbf|FILE.osm\n"
	"\n"
	"Build the walking, cycling and driving networks from an "
	"OpenStreetMap\n"
	"extract (a county's or a city's: Geofabrik, BBBike, or cut with\n"
	"'osmium extract -b' or '-p county.geojson'), for '--by walk|bike|"
	"drive'.\n"
	"Every way a mode may use (its highway class, access, foot, "
	"bicycle,\n"
	"motor_vehicle tags) joins that mode's network at the vertices it "
	"shares\n"
	"with others; driving keeps one-way streets one-way and goes at the\n"
	"way's maxspeed or its class's default speed, walking at 4.8 km/h\n"
	"(steps at half), cycling at 15 km/h; ferries carry every mode.  "
	"Only\n"
	"the largest connected piece of each network is kept, and what was\n"
	"dropped is reported.  Importing again replaces all three networks.\n"
	"README.md, 'Road networks: import roads', has the rules and the "
	"speeds.\n"
	"Data (c) OpenStreetMap contributors, ODbL.\n"
	"\n"
	"examples:\n"
	"  assetmap import roads alameda-county.osm.pbf\n"
	"  osmium extract -p county.geojson california-latest.osm.pbf \\\n"
	"      -o county.osm.pbf && assetmap import roads county.osm.pbf\n"),
    CLI_OPT_END()};

/* "1,234" style is not ours: plain numbers, one decimal for km. */
static void report(struct cli_ctx *ctx, const struct imp_source *src,
		   const struct imp_roads_stats *st)
{
	int m, r, first = 1;

	cli_note(ctx,
		 "imported roads from %s: %lld ways read, used by walking "
		 "%lld, cycling %lld, driving %lld",
		 src->name, (long long)st->ways,
		 (long long)st->used[GEO_MODE_WALK],
		 (long long)st->used[GEO_MODE_BIKE],
		 (long long)st->used[GEO_MODE_DRIVE]);
	if (st->ferries)
		cli_note(ctx, " (%lld ferr%s)", (long long)st->ferries,
			 st->ferries == 1 ? "y" : "ies");
	cli_note(ctx, "\n");
	for (r = 0; r < IMP_ROADS_SKIP_COUNT; r++) {
		if (!st->skipped[r])
			continue;
		cli_note(ctx, "%s%lld %s", first ? "skipped: " : ", ",
			 (long long)st->skipped[r],
			 imp_roads_skip_name((enum imp_roads_skip)r));
		first = 0;
	}
	if (!first)
		cli_note(ctx, "\n");
	if (st->maxspeed_unread)
		cli_note(ctx,
			 "%lld maxspeed value%s not read (e.g. '%s'): driven "
			 "at the road class's default speed\n",
			 (long long)st->maxspeed_unread,
			 st->maxspeed_unread == 1 ? "" : "s",
			 st->maxspeed_example ? st->maxspeed_example : "");
	if (st->oneway_unread)
		cli_note(ctx,
			 "%lld oneway value%s not read: taken as two-way\n",
			 (long long)st->oneway_unread,
			 st->oneway_unread == 1 ? "" : "s");
	if (st->duration_unread)
		cli_note(ctx,
			 "%lld ferry duration%s not read: crossed at %.0f "
			 "km/h\n",
			 (long long)st->duration_unread,
			 st->duration_unread == 1 ? "" : "s",
			 IMP_ROADS_FERRY_KMH);
	for (m = GEO_MODE_WALK; m <= GEO_MODE_DRIVE; m++) {
		const struct geo_net_stats *n = &st->net[m];
		if (!st->stored[m]) {
			cli_note(ctx, "%-8s no road %s may use: no network\n",
				 geo_mode_verb((enum geo_mode)m),
				 geo_mode_verb((enum geo_mode)m));
			continue;
		}
		cli_note(ctx, "%-8s %zu nodes, %zu segments, %.1f km",
			 geo_mode_verb((enum geo_mode)m), n->nodes, n->segs,
			 n->km);
		if (n->pieces > 1)
			cli_note(ctx,
				 "; dropped %zu smaller piece%s: %zu nodes, "
				 "%.1f km",
				 n->pieces - 1, n->pieces == 2 ? "" : "s",
				 n->dropped_nodes, n->dropped_km);
		cli_note(ctx, "\n");
	}
}

int cmd_import_roads(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *cmd = "import roads";
	struct roads_opts o;
	struct imp_roads_stats st;
	struct imp_source src;
	int rc, nargs = 0;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_opt_parse(ctx, cmd, cmd_import_roads_options, &o, argc,
				argv, &nargs)))
		return rc;
	if (nargs < 1)
		return cli_usage(ctx, cmd,
				 "which file? e.g. 'assetmap import roads "
				 "alameda-county.osm.pbf'");
	if (nargs > 1)
		return cli_usage(ctx, cmd,
				 "unexpected argument '%s' (one OpenStreetMap "
				 "file per import)",
				 argv[2]);

	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "roads");
	rc = imp_roads_import(ctx->ws, argv[1], &src, &st, &ctx->err);
	if (rc == CORE_OK)
		report(ctx, &src, &st);
	else
		cli_import_failed(ctx, cmd, rc, &src);
	imp_source_release(&src);
	imp_roads_stats_release(&st);
	return rc;
}
