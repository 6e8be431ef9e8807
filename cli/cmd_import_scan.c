/*
 * cmd_import_scan.c - assetmap import scan: the environmental scan's
 * interview tallies, the resources patients or community health workers
 * named as trusted (importers/imp_scan.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_import.h"
#include "importers/imp_scan.h"

#define A struct cli_import_asset_opts

const struct cli_opt cmd_import_scan_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] import scan FILE.csv [--skip-bad]\n"
	"           [--geocode-worst LEVEL]\n"
	"\n"
	"Load the tallies of an environmental scan: which resources "
	"patients or\n"
	"community health workers named as trusted, and how many times.  "
	"The\n"
	"file is a CSV with a header; its columns (any case; 'Times Named' "
	"is\n"
	"times_named):\n"
	"  name          the resource as it was named (required)\n"
	"  category      its category: a code, a name or a keyword, as\n"
	"                --category takes them; several separated by ';'\n"
	"                (required)\n"
	"  times_named   how many times it was named, a whole number from 1\n"
	"                to 1000000 (required)\n"
	"  address       its street address, with city and zip (optional)\n"
	"Other columns are not read; their names are said.\n"
	"\n"
	"Each row is matched to an asset of the workspace by the rules that\n"
	"merge one site listed twice: the same name (case, punctuation, "
	"'St.'\n"
	"and 'Inc.' aside) and, when the row has an address, the same street\n"
	"address and ZIP; without an address the name alone must be unique.\n"
	"A matched asset is counted as named times_named more times (its\n"
	"trusted count; 'assetmap info' says how many assets are named).  A\n"
	"row no asset matches is added as an informal asset when its address\n"
	"is found by the offline geocoder ('assetmap import addresses'\n"
	"first); otherwise it is not loaded.  Both are listed with their line\n"
	"and name; nothing is ever guessed (a name several assets share is\n"
	"not loaded either).\n"
	"\n"
	"Importing the same file again replaces its earlier tallies: counts\n"
	"are never added twice.  A bad row (an empty name, a category that "
	"is\n"
	"none, times_named that is not a whole number of 1 or more) refuses\n"
	"the file, naming file, line and field, and the workspace stays as it\n"
	"was.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(15),
    CLI_OPT_FLAG("skip-bad", 0, A, skip_bad, 1,
		 "load the good rows anyway; the rejected ones are kept\n"
		 "and listed by 'assetmap sources --rejects ID'"),
    CLI_OPT_STRING("geocode-worst", 0, "LEVEL", A, geocode_worst,
		   "the coarsest placement taken for a resource to add:\n"
		   "address_point, interpolated, street_range, street\n"
		   "or zip (the default: every level)"),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap import scan chw-interviews-2026.csv\n"
		 "  assetmap import scan scan.csv --geocode-worst street\n"),
    CLI_OPT_END()};

#undef A

/* The notes after a good import (suppressed by --quiet): what was
 * loaded, the rows no asset matched (added or not loaded, with why), the
 * assets an earlier import added that the file no longer names. */
static void summary(struct cli_ctx *ctx, const struct imp_source *src,
		    const struct imp_scan_stats *st)
{
	size_t i;

	if (src->skip_bad && src->rows_rejected)
		cli_import_rejects(ctx, src, 1);
	cli_note(ctx,
		 "imported scan %s: %lld row%s: %lld matched to assets, %lld "
		 "added as %lld new informal asset%s, %lld not loaded; %lld "
		 "asset%s named %lld time%s in all\n",
		 src->name, (long long)st->rows, st->rows == 1 ? "" : "s",
		 (long long)st->matched, (long long)st->added_rows,
		 (long long)st->added_assets, st->added_assets == 1 ? "" : "s",
		 (long long)st->not_loaded, (long long)st->assets_named,
		 st->assets_named == 1 ? "" : "s", (long long)st->times_named,
		 st->times_named == 1 ? "" : "s");
	if (st->replaced)
		cli_note(ctx,
			 "replaced the earlier import of %s (its %lld "
			 "time%s named taken back first)\n",
			 src->name, (long long)st->replaced_times,
			 st->replaced_times == 1 ? "" : "s");
	if (st->ignored_columns)
		cli_note(ctx, "columns not read: %s\n", st->ignored_columns);
	if (st->nunmatched)
		cli_note(ctx, "rows no asset matched:\n");
	for (i = 0; i < st->nunmatched; i++) {
		const struct imp_scan_row *r = &st->unmatched[i];
		size_t k;

		/* a later row naming a resource an earlier one added */
		for (k = 0; k < i; k++)
			if (st->unmatched[k].fate == IMP_SCAN_ADDED &&
			    st->unmatched[k].asset_id == r->asset_id)
				break;
		if (r->fate == IMP_SCAN_ADDED && k < i)
			cli_note(ctx,
				 "  line %ld '%s': counted with line %ld's, "
				 "asset %lld\n",
				 r->line, r->name, st->unmatched[k].line,
				 (long long)r->asset_id);
		else if (r->fate == IMP_SCAN_ADDED)
			cli_note(ctx,
				 "  line %ld '%s': added as informal asset "
				 "%lld\n",
				 r->line, r->name, (long long)r->asset_id);
		else
			cli_note(ctx, "  line %ld '%s': not loaded: %s\n",
				 r->line, r->name, r->why);
	}
	cli_import_geocoded(ctx, &st->geocoded, "row", "rows", 1);
	if (st->norphans) {
		cli_note(ctx,
			 "no longer named in %s, kept with their count taken "
			 "back: asset%s",
			 src->name, st->norphans == 1 ? "" : "s");
		for (i = 0; i < st->norphans; i++)
			cli_note(ctx, "%s %lld", i ? "," : "",
				 (long long)st->orphans[i]);
		cli_note(ctx, "\n");
	}
}

int cmd_import_scan(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *cmd = "import scan";
	struct imp_scan_opts o;
	struct imp_scan_stats st;
	struct imp_source src;
	struct cli_import_asset_opts ao = {0, 1, NULL};
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_import_asset_args(
		 ctx, cmd, cmd_import_scan_options, argc, argv, "file",
		 "'assetmap import scan chw-interviews.csv'", &ao, &o.path)))
		return rc;
	o.skip_bad = ao.skip_bad;
	o.geocode_worst = ao.geocode_worst;

	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "scan");
	rc = imp_scan_import(ctx->ws, &o, &src, &st, &ctx->err);
	if (src.warning)
		cli_warn("%s", src.warning);
	if (rc == CORE_OK)
		summary(ctx, &src, &st);
	else
		cli_import_failed(ctx, cmd, rc, &src);
	imp_source_release(&src);
	imp_scan_stats_release(&st);
	return rc;
}
