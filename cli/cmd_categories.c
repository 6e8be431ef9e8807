/*
 * cmd_categories.c - assetmap categories: the built-in taxonomy.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cli_table.h"

const char cmd_categories_help[] =
    "usage: assetmap [-d WORKSPACE] categories [--programs | --domains]\n"
    "                [--format table|csv|json]\n"
    "\n"
    "List the service categories (the short code you type, e.g. food,\n"
    "primary_care, behavioral_health), their Healthy People 2030 SDOH\n"
    "domain, map colour and how many assets the workspace has in each.\n"
    "\n"
    "options:\n"
    "  --programs   list the Medi-Cal Community Supports instead\n"
    "  --domains    list the SDOH domains instead\n"
    "  --format F   table (default), csv or json\n"
    "\n"
    "The lists come from data/taxonomy/*.csv; edit them and run\n"
    "'assetmap init --taxonomy' to reload.\n";

int cmd_categories(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"programs", no_argument, NULL, 'p'},
	    {"domains", no_argument, NULL, 'D'},
	    {NULL, 0, NULL, 0}};
	static const char *const cat_cols[] = {"code", "name", "domain",
					       "color", "assets"};
	static const char *const prog_cols[] = {"code", "name", "category",
						"since", "assets"};
	static const char *const dom_cols[] = {"code", "name", "categories"};
	enum cli_format fmt = CLI_FMT_TABLE;
	struct cli_table *t;
	sqlite3_stmt *st;
	const char *sql;
	int c, what = 'c', rc;

	while ((c = cli_getopt(ctx, "categories", argc, argv, "", opts)) !=
	       -1) {
		if (c == -2)
			return CORE_EUSAGE;
		if (c == 'f' && cli_format_parse(optarg, &fmt, &ctx->err))
			return cli_usage(ctx, "categories", "%s", ctx->err.msg);
		if (c == 'p' || c == 'D')
			what = c;
	}
	if (optind < argc)
		return cli_usage(ctx, "categories", "unexpected argument '%s'",
				 argv[optind]);
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
