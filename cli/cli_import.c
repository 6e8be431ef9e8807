/*
 * cli_import.c - what the import handlers share.
 */
#include "cli/cli_import.h"

#include <stdio.h>
#include <string.h>

void cli_import_rejects(struct cli_ctx *ctx, const struct imp_source *src,
			int as_note)
{
	size_t i;

	for (i = 0; i < src->nshown; i++) {
		if (as_note)
			cli_note(ctx, "  %s\n", src->shown[i].msg);
		else
			fprintf(stderr, "%s\n", src->shown[i].msg);
	}
	if (src->rows_rejected > (int64_t)src->nshown) {
		long long more =
		    (long long)src->rows_rejected - (long long)src->nshown;
		if (as_note)
			cli_note(ctx, "  and %lld more\n", more);
		else
			fprintf(stderr, "and %lld more\n", more);
	}
}

void cli_import_failed(struct cli_ctx *ctx, const char *cmd, int rc,
		       const struct imp_source *src)
{
	if (rc == CORE_EUSAGE) {
		char msg[CORE_ERR_MSG_MAX];

		/* cli_usage writes ctx->err: copy the message out first */
		snprintf(msg, sizeof(msg), "%s", ctx->err.msg);
		cli_usage(ctx, cmd, "%s", msg);
	} else if (src->rows_rejected > 1 && !src->skip_bad) {
		cli_import_rejects(ctx, src, 0);
	}
}

int cli_import_asset_args(struct cli_ctx *ctx, const char *cmd,
			  const struct cli_opt *opts, int argc, char **argv,
			  const char *what, const char *example, int *skip_bad,
			  int *merge, const char **path)
{
	struct cli_import_asset_opts o = {*skip_bad, *merge};
	int rc, nargs = 0;

	if ((rc = cli_opt_parse(ctx, cmd, opts, &o, argc, argv, &nargs)))
		return rc;
	if (nargs < 1)
		return cli_usage(ctx, cmd, "which %s? e.g. %s", what, example);
	if (nargs > 1)
		return cli_usage(ctx, cmd,
				 "unexpected argument '%s' (one %s per import)",
				 argv[2], what);
	*skip_bad = o.skip_bad;
	*merge = o.merge;
	*path = argv[1];
	return CORE_OK;
}

const char *cli_level_words(const char *level, long long n)
{
	static const char *const w[][3] = {
	    {"state", "state", "states"},
	    {"county", "county", "counties"},
	    {"tract", "tract", "tracts"},
	    {"blockgroup", "block group", "block groups"},
	    {"zcta", "ZCTA", "ZCTAs"},
	};
	size_t i;

	for (i = 0; level && i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(level, w[i][0]) == 0)
			return w[i][n == 1 ? 1 : 2];
	return NULL;
}
