/* placeholder: replaced by the importer work in progress */
#include "cli/cli.h"
const char cmd_import_help[] = "usage: assetmap import KIND FILE\n";
int cmd_import(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc; (void)argv;
	return core_err_set(&ctx->err, CORE_EFAIL, "import: not built yet");
}
