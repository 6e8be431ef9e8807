/*
 * cmd_import_medi_cal.c - assetmap import medi-cal: the State of
 * California's Medi-Cal provider listings (FFS or Managed Care).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_import.h"
#include "importers/imp_medi_cal.h"

#define A struct cli_import_asset_opts

const struct cli_opt cmd_import_medi_cal_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] import medi-cal FILE [--skip-bad] "
	"[--no-merge]\n"
	"           [--geocode-worst LEVEL]\n"
	"\n"
	"Import a Medi-Cal provider listing published by the California\n"
	"Department of Health Care Services (DHCS) as CSV, recognised by its\n"
	"header:\n"
	"  - \"Profile of Enrolled Medi-Cal Fee-For-Service (FFS) Providers\"\n"
	"    (the Medi-Cal FFS Provider Listing), with the current 46-column\n"
	"    header (NEMT type, telehealth, languages, Acc_* accessibility) "
	"or\n"
	"    the older 30-column one;\n"
	"  - the Medi-Cal Managed Care Provider Listing (ManagedCarePlan,\n"
	"    SubNetwork, PlanCode, RecordType, NPI, FacilityName, with "
	"Latitude\n"
	"    and Longitude).\n"
	"A statewide file (about 360,000 rows) takes well under a minute.\n"
	"Importing the same file again replaces what it brought in before.\n"
	"\n"
	"Each row becomes an asset at its Latitude/Longitude that accepts\n"
	"Medi-Cal, with its NPI, address, phone, website, languages (Spanish,\n"
	"Cantonese, ... as ISO 639 codes: es, zh, ...), accessibility and\n"
	"telehealth; the provider type, specialty, ANC and NEMT types are\n"
	"mapped to categories by data/taxonomy/crosswalk_medi_cal.csv, a file\n"
	"you can edit (then 'assetmap init --taxonomy' and import again).\n"
	"Codes the crosswalk maps to no category (laboratories, pharmacies, "
	"...)\n"
	"are counted as 'no category'; codes missing from it are listed.\n"
	"Rows with the same NPI and address are one site: one asset with the\n"
	"categories and languages of all of them.\n"
	"\n"
	"A row without coordinates (empty, or 0 and 0) is placed at its\n"
	"Address, City and ZIP by the offline geocoder, from the reference\n"
	"addresses of 'assetmap import addresses'; how many were placed, at\n"
	"which level, is printed.  A row without coordinates whose address is\n"
	"missing or could not be placed, with coordinates out of range or\n"
	"swapped, with an NPI that is not 10 digits, or cut short, is\n"
	"rejected: the import stops, lists the rows (file, line, field and\n"
	"value) and leaves the workspace as it was.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(15),
    CLI_OPT_FLAG("skip-bad", 0, A, skip_bad, 1,
		 "import the good rows anyway; the rejected ones are kept\n"
		 "and listed by 'assetmap sources --rejects ID'"),
    CLI_OPT_FLAG("no-merge", 0, A, merge, 0,
		 "do not merge rows into assets of other sources that are\n"
		 "the same site (same name and address, or same name\n"
		 "within 100 m); by default they are merged"),
    CLI_OPT_STRING("geocode-worst", 0, "LEVEL", A, geocode_worst,
		   CLI_IMPORT_GEOCODE_HELP),
    CLI_OPT_TEXT(
	"\n"
	"examples:\n"
	"  assetmap import medi-cal medi-cal-ffs-provider-listing.csv\n"
	"  assetmap import medi-cal ffs_providers_sf.csv --skip-bad\n"
	"  assetmap -d county.db import medi-cal mc_provider_listing.csv "
	"--no-merge\n"),
    CLI_OPT_END()};

#undef A

/* The notes after a good Medi-Cal provider import (suppressed by
 * --quiet): the rows rejected with --skip-bad, the rows imported and
 * rejected (how many for want of coordinates), the new, merged and
 * duplicate assets, the count per category, and the first 20 terms that
 * the crosswalk did not know. */
static void summary(struct cli_ctx *ctx, const struct imp_source *src,
		    const struct imp_medi_cal_stats *st)
{
	long long rejected = (long long)src->rows_rejected;
	long long accepted = (long long)src->rows_accepted;
	size_t i;

	if (src->skip_bad && rejected)
		cli_import_rejects(ctx, src, 1);
	cli_note(ctx, "imported %lld row%s from %s", accepted,
		 accepted == 1 ? "" : "s", src->name);
	if (rejected && st->no_coordinates == rejected)
		cli_note(ctx,
			 " (%lld rejected, all without coordinates; 'assetmap "
			 "sources --rejects %lld' lists them)",
			 rejected, (long long)src->id);
	else if (rejected && st->no_coordinates)
		cli_note(ctx,
			 " (%lld rejected, %lld of them without coordinates; "
			 "'assetmap sources --rejects %lld' lists them)",
			 rejected, (long long)st->no_coordinates,
			 (long long)src->id);
	else if (rejected)
		cli_note(ctx,
			 " (%lld rejected; 'assetmap sources --rejects %lld' "
			 "lists them)",
			 rejected, (long long)src->id);
	else
		cli_note(ctx, " (0 rejected)");
	cli_note(ctx, ": %lld new asset%s", (long long)st->assets,
		 st->assets == 1 ? "" : "s");
	if (src->rows_merged)
		cli_note(ctx, ", %lld merged into assets of other sources",
			 (long long)src->rows_merged);
	if (st->duplicates)
		cli_note(ctx,
			 ", %lld row%s repeating the NPI and address of an "
			 "earlier row",
			 (long long)st->duplicates,
			 st->duplicates == 1 ? "" : "s");
	cli_note(ctx, "\n");
	cli_note(ctx, "  by category:");
	for (i = 0; i < st->ncats; i++)
		cli_note(ctx, " %s %lld,", st->cats[i].category,
			 (long long)st->cats[i].assets);
	cli_note(ctx, " no category %lld\n", (long long)st->no_category);
	cli_import_geocoded(ctx, &st->geocoded, "row", "rows", 1);
	if (st->nunknown) {
		cli_note(ctx, "  not in crosswalk_medi_cal.csv or not "
			      "recognised (rows):\n");
		for (i = 0; i < st->nunknown && i < 20; i++)
			cli_note(ctx, "    %s '%s' (%lld)\n",
				 st->unknown[i].vocabulary, st->unknown[i].term,
				 (long long)st->unknown[i].rows);
		if (st->nunknown > 20)
			cli_note(ctx, "    and %zu more\n", st->nunknown - 20);
	}
}

int cmd_import_medi_cal(struct cli_ctx *ctx, int argc, char **argv)
{
	struct imp_medi_cal_opts o;
	struct imp_medi_cal_stats st;
	struct imp_source src;
	struct cli_import_asset_opts ao = {0, 1, NULL};
	int rc;

	imp_medi_cal_opts_init(&o);
	if ((rc = cli_import_asset_args(
		 ctx, "import medi-cal", cmd_import_medi_cal_options, argc,
		 argv, "file",
		 "'assetmap import medi-cal medi-cal-ffs-provider-listing.csv'",
		 &ao, &o.path)))
		return rc;
	o.skip_bad = ao.skip_bad;
	o.merge = ao.merge;
	o.geocode_worst = ao.geocode_worst;

	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "assets");
	rc = imp_medi_cal_import(ctx->ws, &o, &src, &st, &ctx->err);
	if (src.warning)
		cli_warn("%s", src.warning);
	if (st.listing != IMP_MC_UNKNOWN)
		cli_note(ctx, "%s: %s, %d columns\n", src.name,
			 imp_mc_listing_format(st.listing), st.ncolumns);
	if (rc == CORE_OK)
		summary(ctx, &src, &st);
	else if (src.rows_rejected > 1 && !src.skip_bad)
		cli_import_rejects(ctx, &src, 0);
	imp_source_release(&src);
	imp_medi_cal_stats_release(&st);
	return rc;
}
