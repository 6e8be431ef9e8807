/* placeholder until the medi_cal importer lands: replaced by its own file */
#include "cli/cli_import.h"
const char cmd_import_medi_cal_help[] = "usage: assetmap import medi-cal FILE\n\n(not built yet)\n";
int cmd_import_medi_cal(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return core_err_set(&ctx->err, CORE_EFAIL, "import medi-cal: not built yet");
}
