/* placeholder until the hsds importer lands: replaced by its own file */
#include "cli/cli_import.h"
const char cmd_import_hsds_help[] = "usage: assetmap import hsds FILE\n\n(not built yet)\n";
int cmd_import_hsds(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return core_err_set(&ctx->err, CORE_EFAIL, "import hsds: not built yet");
}
