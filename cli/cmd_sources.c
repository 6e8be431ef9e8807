/*
 * cmd_sources.c - assetmap sources: what was imported, and what rejected.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cli_table.h"

const char cmd_sources_help[] =
	"usage: assetmap [-d WORKSPACE] sources [--rejects ID] [--format table|csv|json]\n"
	"\n"
	"List every imported file: its kind, format, when it was imported,\n"
	"how many rows were read, accepted and rejected.\n"
	"\n"
	"options:\n"
	"  --rejects ID  list the rejected rows of source ID, with line or\n"
	"                feature number, field and reason\n"
	"  --format F    table (default), csv or json\n";

int cmd_sources(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "rejects", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const src_cols[] = { "id", "kind", "file", "format",
						"read", "accepted", "rejected",
						"imported_at" };
	static const char *const rej_cols[] = { "line", "field", "value", "reason" };
	enum cli_format fmt = CLI_FMT_TABLE;
	struct cli_table *t;
	sqlite3_stmt *st;
	long rej = -1;
	int c, rc;

	while ((c = cli_getopt(ctx, "sources", argc, argv, "", opts)) != -1) {
		if (c == -2)
			return CORE_EUSAGE;
		if (c == 'f' && cli_format_parse(optarg, &fmt, &ctx->err))
			return cli_usage(ctx, "sources", "%s", ctx->err.msg);
		if (c == 'r' && cli_parse_long(ctx, "sources", "--rejects", optarg,
					       1, 1L << 30, &rej))
			return CORE_EUSAGE;
	}
	if (optind < argc)
		return cli_usage(ctx, "sources", "unexpected argument '%s'",
				 argv[optind]);
	if (rej > 0) {
		t = cli_table_new(4, rej_cols, "nsss");
		rc = core_ws_prepare(ctx->ws, &ctx->err, &st,
				     "SELECT line, field, value, reason FROM source_rejects"
				     " WHERE source_id = ? ORDER BY rowid");
		if (rc == CORE_OK)
			sqlite3_bind_int64(st, 1, rej);
	} else {
		t = cli_table_new(8, src_cols, "nsssnnns");
		rc = core_ws_prepare(ctx->ws, &ctx->err, &st,
				     "SELECT id, kind, path, format, rows_read, rows_accepted,"
				     " rows_rejected, imported_at FROM sources ORDER BY id");
	}
	if (rc == CORE_OK)
		rc = cli_table_add_rows(t, ctx->ws, st, &ctx->err);
	if (rc == CORE_OK)
		cli_table_print(t, ctx->out, fmt);
	cli_table_free(t);
	return rc;
}
