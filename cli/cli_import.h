/*
 * cli_import.h - the kinds of 'assetmap import' and what their handlers
 * share.
 *
 * cmd_import.c holds the table of kinds and dispatches; each format's
 * handler lives in its own cli/cmd_import_<kind>.c and calls one
 * importer in importers/.  A handler receives argv[0] = the kind,
 * argv[1] = FILE (or, for a cohort, the name), then the options, and the
 * open workspace in ctx->ws.  --help never reaches a handler.
 */
#ifndef CLI_IMPORT_H
#define CLI_IMPORT_H

#include "cli/cli.h"
#include "importers/imp_common.h"

struct cli_import_kind {
	const char *name;
	const char *summary;
	const char *help;
	int (*run)(struct cli_ctx *ctx, int argc, char **argv);
};

/*
 * Print the rejected rows an import kept (up to IMP_REJECTS_SHOWN, then
 * "and N more"): as notes (suppressed by --quiet) after a --skip-bad
 * import, or on stderr before the error of a refused one.
 */
void cli_import_rejects(struct cli_ctx *ctx, const struct imp_source *src,
			int as_note);

int cmd_import_hsds(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_medi_cal(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_tiger(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_acs(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_svi(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_places(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_cohort(struct cli_ctx *ctx, int argc, char **argv);

extern const char cmd_import_hsds_help[];
extern const char cmd_import_medi_cal_help[];
extern const char cmd_import_tiger_help[];
extern const char cmd_import_acs_help[];
extern const char cmd_import_svi_help[];
extern const char cmd_import_places_help[];
extern const char cmd_import_cohort_help[];

#endif
