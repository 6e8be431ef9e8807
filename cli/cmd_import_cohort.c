/* placeholder until the cohort importer lands: replaced by its own file */
#include "cli/cli_import.h"
const char cmd_import_cohort_help[] = "usage: assetmap import cohort FILE\n\n(not built yet)\n";
int cmd_import_cohort(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return core_err_set(&ctx->err, CORE_EFAIL, "import cohort: not built yet");
}
