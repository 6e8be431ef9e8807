/*
 * cmd_import_partners.c - assetmap import partners: the coalition's
 * partnership register from a spreadsheet (CSV, XLSX, ODS).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_import.h"
#include "importers/imp_partners.h"
#include "importers/imp_register.h"

#define O struct imp_partners_opts

const struct cli_opt cmd_import_partners_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] import partners FILE.csv|FILE.xlsx\n"
	"           [--layer SHEET] [--skip-bad]\n"
	"\n"
	"Load the partnership register a coalition keeps as a spreadsheet: "
	"one row\n"
	"per partner, matched to the workspace's assets.  CSV is read as "
	"UTF-8 (or\n"
	"Windows-1252, with a warning); XLSX, ODS and other tables through "
	"GDAL,\n"
	"the first row being the header.  Column names are matched ignoring "
	"case,\n"
	"spaces, '-' and '_':\n"
	"\n"
	"  asset_id         the asset's id ('assetmap export assets'); or\n"
	"  name, address    the asset by name and address, with the rules "
	"of\n"
	"  city, zip        deduplication (README.md, 'One site, one "
	"asset':\n"
	"                   'St. Anthony Foundation, Inc.' at '150 Golden "
	"Gate\n"
	"                   Avenue' is 'Saint Anthony Foundation' at '150 "
	"Golden\n"
	"                   Gate Ave'); city and zip narrow the address; "
	"with no\n"
	"                   address the name must be unique among assets\n"
	"  status           current, prospective, former or none "
	"(required)\n"
	"  service          referral, coordinated or joint\n"
	"  financial        independent, contract or risk_sharing\n"
	"  data             reporting, sharing or integrated\n"
	"  effects          capacity, network or systems\n"
	"  governance       informal, lead or shared\n"
	"  mou_signed, mou_expires, baa_signed, baa_expires, dsa_signed, "
	"dsa_expires\n"
	"                   agreements' dates, YYYY-MM-DD\n"
	"  supports         Medi-Cal Community Supports the partner is "
	"contracted\n"
	"                   to deliver, codes separated by ';', each CODE "
	"or\n"
	"                   CODE@PLAN ('assetmap categories --programs')\n"
	"  plan             the managed care plan of the supports that name "
	"none\n"
	"  contact_role     who to call there (a role, not a person)\n"
	"  referrals_PERIOD referrals in a period, one column per period:\n"
	"                   referrals_2026, referrals_2026-Q3, "
	"referrals_2026-09\n"
	"                   (or a referrals column with a period column)\n"
	"  notes            free text\n"
	"Other columns are ignored and named after the import.\n"
	"\n"
	"A row that names no asset is not loaded, never guessed: such rows "
	"are\n"
	"listed (file, line, name) after the import.  A row whose name and "
	"address\n"
	"fit two or more assets, a value that is not one of the codes "
	"('curent':\n"
	"did you mean 'current'?), a date that is not one, an expiry before "
	"the\n"
	"signing, or two rows for one asset stop the import, naming file, "
	"line and\n"
	"field, and leave the workspace as it was.\n"
	"\n"
	"A row replaces what the register holds for its asset in the columns "
	"the\n"
	"file has (an empty cell clears the value; a column the file lacks "
	"leaves\n"
	"it as it was).  Importing the same file again replaces what it set "
	"before:\n"
	"an asset it no longer names leaves the register.  Every change is "
	"kept,\n"
	"with its date ('assetmap partners --history').\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(15),
    CLI_OPT_STRING("layer", 0, "SHEET", O, layer,
		   "the sheet of a workbook holding several"),
    CLI_OPT_FLAG("skip-bad", 0, O, skip_bad, 1,
		 "load the good rows anyway; the rejected ones are kept\n"
		 "and listed by 'assetmap sources --rejects ID'"),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap import partners partners.csv\n"
		 "  assetmap import partners register.xlsx --layer Partners\n"
		 "  assetmap partners --format csv\n"),
    CLI_OPT_END()};

#undef O

static void summary(struct cli_ctx *ctx, const struct imp_source *src,
		    const struct imp_partners_stats *st)
{
	const char *const *codes = imp_reg_codes(IMP_REG_STATUS);
	long long loaded = (long long)src->rows_accepted;
	int s;

	if (src->skip_bad && src->rows_rejected)
		cli_import_rejects(ctx, src, 1);
	cli_note(ctx,
		 "read %lld row%s from %s: %lld matched by asset_id, %lld by "
		 "name (and address), %zu named no asset",
		 (long long)src->rows_read, src->rows_read == 1 ? "" : "s",
		 src->name, (long long)st->by_id, (long long)st->by_name,
		 st->nunmatched);
	if (src->rows_rejected)
		cli_note(ctx, ", %lld rejected", (long long)src->rows_rejected);
	cli_note(ctx, "\n  loaded %lld partner%s:", loaded,
		 loaded == 1 ? "" : "s");
	for (s = 0; codes[s]; s++)
		cli_note(ctx, "%s %s %lld", s ? "," : "", codes[s],
			 (long long)st->status[s]);
	cli_note(ctx, "; %lld change%s recorded", (long long)st->changes,
		 st->changes == 1 ? "" : "s");
	if (st->removed)
		cli_note(ctx,
			 "; %lld partner%s the earlier import of %s set, no "
			 "longer in it, removed",
			 (long long)st->removed, st->removed == 1 ? "" : "s",
			 src->name);
	cli_note(ctx, "\n");
	if (st->ignored)
		cli_note(ctx, "  columns not read: %s\n", st->ignored);
}

int cmd_import_partners(struct cli_ctx *ctx, int argc, char **argv)
{
	struct imp_partners_opts o = {NULL, NULL, 0};
	struct imp_partners_stats st;
	struct imp_source src;
	int rc, nargs = 0;
	size_t i;

	if ((rc = cli_opt_parse(ctx, "import partners",
				cmd_import_partners_options, &o, argc, argv,
				&nargs)))
		return rc;
	if (nargs < 1)
		return cli_usage(ctx, "import partners",
				 "which file? e.g. 'assetmap import partners "
				 "partners.csv'");
	if (nargs > 1)
		return cli_usage(ctx, "import partners",
				 "unexpected argument '%s' (one file per "
				 "import)",
				 argv[2]);
	o.path = argv[1];
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "partners");
	rc = imp_partners_import(ctx->ws, &o, &src, &st, &ctx->err);
	if (src.warning)
		cli_warn("%s", src.warning);
	/* the rows that named no asset, loaded or refused alike */
	for (i = 0; i < st.nunmatched; i++) {
		const struct imp_pt_unmatched *u = &st.unmatched[i];
		cli_warn_kind(ctx, "rows that name no asset",
			      "%s line %ld: '%s'%s%s%s names no asset (%s); "
			      "not loaded",
			      src.name, u->line, u->name,
			      u->address ? " at '" : "",
			      u->address ? u->address : "",
			      u->address ? "'" : "", u->why);
	}
	cli_kind_flush(ctx);
	if (rc == CORE_OK) {
		summary(ctx, &src, &st);
	} else {
		if (st.ignored)
			cli_note(ctx, "%s: columns not read: %s\n", src.name,
				 st.ignored);
		cli_import_failed(ctx, "import partners", rc, &src);
	}
	imp_source_release(&src);
	imp_partners_stats_release(&st);
	return rc;
}
