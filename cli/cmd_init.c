/*
 * cmd_init.c - assetmap init: create a workspace.
 */
#include "cli/cli.h"
#include "core/core_taxonomy.h"

const char cmd_init_help[] =
    "usage: assetmap [-d WORKSPACE] init [--crs auto|EPSG:N]\n"
    "\n"
    "Create a new, empty workspace (a SpatiaLite file) with the built-in\n"
    "taxonomy of service categories and Medi-Cal Community Supports.\n"
    "\n"
    "options:\n"
    "  --crs CRS   the analysis CRS, where distances are measured: 'auto'\n"
    "              (default: an equal-area projection centred on the data)\n"
    "              or an EPSG code such as EPSG:3310 (California Albers)\n"
    "  --taxonomy  reload the taxonomy files into an existing workspace\n"
    "              (after editing data/taxonomy/*.csv)\n"
    "\n"
    "The workspace is -d FILE, else $ASSETMAP_DB, else ./assetmap.db.  init\n"
    "refuses to overwrite an existing file.\n"
    "\n"
    "example:\n"
    "  assetmap -d county.db init --crs EPSG:3310\n";

int cmd_init(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"crs", required_argument, NULL, 'c'},
	    {"taxonomy", no_argument, NULL, 't'},
	    {NULL, 0, NULL, 0}};
	const char *crs = "auto";
	int reload = 0, c, rc;

	while ((c = cli_getopt(ctx, "init", argc, argv, "", opts)) != -1) {
		if (c == -2)
			return CORE_EUSAGE;
		if (c == 'c')
			crs = optarg;
		else if (c == 't')
			reload = 1;
	}
	if (optind < argc)
		return cli_usage(ctx, "init", "unexpected argument '%s'",
				 argv[optind]);
	if (reload) {
		/* an older workspace is migrated, and seeded, first */
		const struct core_ws_opts wo = {.wait_ms = -1,
						.seed = core_taxonomy_seed};

		rc = core_ws_open_with(ctx->ws_path, CORE_WS_WRITE, &wo,
				       &ctx->ws, &ctx->err);
		if (rc)
			return rc;
		if ((rc = core_ws_begin(ctx->ws, &ctx->err)) ||
		    (rc = core_taxonomy_load(ctx->ws, NULL, &ctx->err)) ||
		    (rc = core_ws_commit(ctx->ws, &ctx->err)))
			return rc;
		cli_note(ctx,
			 "reloaded the taxonomy from %s/taxonomy into %s\n",
			 core_data_dir(), ctx->ws_path);
		return CORE_OK;
	}
	if ((rc = core_ws_check_crs(crs, &ctx->err)))
		return cli_usage(ctx, "init", "%s", ctx->err.msg);
	rc = core_ws_create(ctx->ws_path, crs, core_taxonomy_seed, &ctx->ws,
			    &ctx->err);
	if (rc)
		return rc;
	cli_note(ctx, "created workspace %s (analysis CRS %s)\n", ctx->ws_path,
		 crs);
	return CORE_OK;
}
