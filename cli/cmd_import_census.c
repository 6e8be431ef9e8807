/* placeholder until the census importer lands: replaced by its own file */
#include "cli/cli_import.h"
const char cmd_import_tiger_help[] = "usage: assetmap import tiger FILE\n\n(not built yet)\n";
int cmd_import_tiger(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return core_err_set(&ctx->err, CORE_EFAIL, "import tiger: not built yet");
}
const char cmd_import_acs_help[] = "usage: assetmap import acs FILE\n\n(not built yet)\n";
int cmd_import_acs(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return core_err_set(&ctx->err, CORE_EFAIL, "import acs: not built yet");
}
const char cmd_import_svi_help[] = "usage: assetmap import svi FILE\n\n(not built yet)\n";
int cmd_import_svi(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return core_err_set(&ctx->err, CORE_EFAIL, "import svi: not built yet");
}
const char cmd_import_places_help[] = "usage: assetmap import places FILE\n\n(not built yet)\n";
int cmd_import_places(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return core_err_set(&ctx->err, CORE_EFAIL, "import places: not built yet");
}
