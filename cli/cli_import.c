/*
 * cli_import.c - what the import handlers share.
 */
#include "cli/cli_import.h"

#include <stdio.h>

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
		long long more = (long long)src->rows_rejected -
				 (long long)src->nshown;
		if (as_note)
			cli_note(ctx, "  and %lld more\n", more);
		else
			fprintf(stderr, "and %lld more\n", more);
	}
}
