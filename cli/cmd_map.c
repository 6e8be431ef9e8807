/* placeholder: replaced by the renderer work in progress */
#include "cli/cli.h"
const char cmd_map_help[] = "usage: assetmap map -o FILE\n";
int cmd_map(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc; (void)argv;
	return core_err_set(&ctx->err, CORE_EFAIL, "map: not built yet");
}
