/*
 * cmd_init.c - assetmap init: create a workspace.
 */
#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "core/core_taxonomy.h"

struct init_opts {
	const char *crs;
	int reload;
};

const struct cli_opt cmd_init_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] init [--crs auto|EPSG:N]\n"
	"\n"
	"Create a new, empty workspace (a SpatiaLite file) with the built-in\n"
	"taxonomy of service categories and Medi-Cal Community Supports.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(14),
    CLI_OPT_STRING("crs", 0, "CRS", struct init_opts, crs,
		   "the analysis CRS, where distances are measured: 'auto'\n"
		   "(default: an equal-area projection centred on the data)\n"
		   "or an EPSG code such as EPSG:3310 (California Albers)"),
    CLI_OPT_FLAG("taxonomy", 0, struct init_opts, reload, 1,
		 "reload the taxonomy files into an existing workspace\n"
		 "(after editing data/taxonomy/*.csv)"),
    CLI_OPT_TEXT("\n"
		 "The workspace is -d FILE, else $ASSETMAP_DB, else "
		 "./assetmap.db.  init\n"
		 "refuses to overwrite an existing file.\n"
		 "\n"
		 "example:\n"
		 "  assetmap -d county.db init --crs EPSG:3310\n"),
    CLI_OPT_END()};

int cmd_init(struct cli_ctx *ctx, int argc, char **argv)
{
	struct init_opts o = {"auto", 0};
	const char *crs;
	int rc;

	if ((rc = cli_opt_parse(ctx, "init", cmd_init_options, &o, argc, argv,
				NULL)))
		return rc;
	crs = o.crs;
	if (o.reload) {
		rc = core_ws_open(ctx->ws_path, CORE_WS_WRITE, &ctx->ws,
				  &ctx->err);
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
	rc = core_ws_create(ctx->ws_path, crs, &ctx->ws, &ctx->err);
	if (rc)
		return rc;
	cli_note(ctx, "created workspace %s (analysis CRS %s)\n", ctx->ws_path,
		 crs);
	return CORE_OK;
}
