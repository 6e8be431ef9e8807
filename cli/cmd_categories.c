/*
 * cmd_categories.c - assetmap categories: the built-in taxonomy.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"

struct categories_opts {
	int what;   /* 'c' categories, 'p' programs, 'D' domains */
	int format; /* enum cli_format */
};

#define O struct categories_opts

const struct cli_opt cmd_categories_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] categories [--programs | --domains]\n"
	"                [--format table|csv|json]\n"
	"\n"
	"List the service categories (the short code you type, e.g. food,\n"
	"primary_care, behavioral_health), their Healthy People 2030 SDOH\n"
	"domain, map colour and how many assets the workspace has in each.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(15),
    CLI_OPT_FLAG("programs", 0, O, what, 'p',
		 "list the Medi-Cal Community Supports instead"),
    CLI_OPT_FLAG("domains", 0, O, what, 'D', "list the SDOH domains instead"),
    CLI_OPT_FORMAT(O, format, "F", "table (default), csv or json"),
    CLI_OPT_TEXT("\n"
		 "The lists come from data/taxonomy/*.csv; edit them and run\n"
		 "'assetmap init --taxonomy' to reload.\n"),
    CLI_OPT_END()};

#undef O

/* assetmap categories [--programs | --domains] [--format F]: print on
 * ctx->out the workspace's categories (code, name, domain, colour and
 * assets in each), or its Medi-Cal Community Supports programs (code,
 * name, category, since, assets), or its SDOH domains (code, name, their
 * categories).  Returns 0, or a code with ctx->err set (a usage error, or
 * the workspace's error from the query). */
int cmd_categories(struct cli_ctx *ctx, int argc, char **argv)
{
	static const char *const cat_cols[] = {"code", "name", "domain",
					       "color", "assets"};
	static const char *const prog_cols[] = {"code", "name", "category",
						"since", "assets"};
	static const char *const dom_cols[] = {"code", "name", "categories"};
	struct categories_opts o = {'c', CLI_FMT_TABLE};
	enum cli_format fmt;
	struct cli_table *t;
	sqlite3_stmt *st;
	const char *sql;
	int what, rc;

	if ((rc = cli_opt_parse(ctx, "categories", cmd_categories_options, &o,
				argc, argv, NULL)))
		return rc;
	what = o.what;
	fmt = (enum cli_format)o.format;
	if (what == 'p') {
		t = cli_table_new(5, prog_cols, "ssssn");
		sql = "SELECT p.code, p.name, p.category, p.since,"
		      " (SELECT count(*) FROM asset_programs a WHERE a.program "
		      "= p.code)"
		      " FROM programs p ORDER BY p.sort, p.code";
	} else if (what == 'D') {
		t = cli_table_new(3, dom_cols, "sss");
		sql = "SELECT d.code, d.name, (SELECT group_concat(code, ',') "
		      "FROM"
		      " (SELECT code FROM categories c WHERE c.domain = d.code "
		      "ORDER BY sort))"
		      " FROM sdoh_domains d ORDER BY d.sort, d.code";
	} else {
		t = cli_table_new(5, cat_cols, "ssssn");
		sql = "SELECT c.code, c.name, c.domain, c.color,"
		      " (SELECT count(*) FROM asset_categories a WHERE "
		      "a.category = c.code)"
		      " FROM categories c ORDER BY c.sort, c.code";
	}
	rc = core_ws_prepare(ctx->ws, &ctx->err, &st, sql);
	if (rc == CORE_OK)
		rc = cli_table_print_rows(t, ctx->ws, st, ctx->out, fmt,
					  &ctx->err);
	cli_table_free(t);
	return rc;
}
