/*
 * cmd_partners.c - assetmap partners: the partnership register as a
 * table, CSV or JSON, or its history of changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "core/core_mem.h"
#include "importers/imp_register.h"

struct partners_opts {
	const char *status;
	int history;
	int format; /* enum cli_format */
};

#define O struct partners_opts

const struct cli_opt cmd_partners_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] partners [--status S] [--history]\n"
	"                [--format table|csv|json]\n"
	"\n"
	"Print the partnership register ('assetmap import partners', "
	"'assetmap\n"
	"partner set'): each partner's asset id, name and categories, its "
	"status,\n"
	"the five dimensions of the partnership (service model, financial\n"
	"relationship, data, partnership effects, governance), agreements "
	"(mou,\n"
	"baa, dsa as KIND:SIGNED:EXPIRES), the Community Supports it is "
	"contracted\n"
	"to deliver (CODE@PLAN), referrals per period, the contact role and "
	"notes.\n"
	"The table says the dimensions in words ('coordinated service'); CSV "
	"and\n"
	"JSON give the codes, as 'import partners' reads them.  Current "
	"partners\n"
	"come first, then prospective, former and none.\n"
	"\n"
	"With --history, the register's log instead: every change with its "
	"date,\n"
	"the asset, the field, the old and new values and how it was made "
	"(an\n"
	"import or 'partner set'), oldest first, and after each change the "
	"number\n"
	"of current partners: how the network grew.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(16),
    CLI_OPT_STRING("status", 0, "S", O, status,
		   "only partners of this status: current, prospective,\n"
		   "former or none (with --history: the changes of the\n"
		   "assets that have it now)"),
    CLI_OPT_FLAG("history", 0, O, history, 1,
		 "the log of changes, with the count of current partners"),
    CLI_OPT_FORMAT(O, format, "F", "table (default), csv or json"),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap partners\n"
		 "  assetmap partners --status current --format csv\n"
		 "  assetmap partners --history --format json\n"),
    CLI_OPT_END()};

#undef O

static const char list_sql[] =
    "SELECT a.id, a.name,"
    " (SELECT group_concat(category, ',') FROM (SELECT category FROM"
    "  asset_categories WHERE asset_id = a.id ORDER BY category)),"
    " p.status, p.service, p.financial, p.data, p.effects, p.governance,"
    " (SELECT group_concat(kind || ':' || coalesce(signed, '') || ':' ||"
    "  coalesce(expires, ''), '; ') FROM (SELECT * FROM partner_agreements"
    "  WHERE asset_id = a.id ORDER BY kind)),"
    " (SELECT group_concat(CASE WHEN plan = '' THEN program"
    "  ELSE program || '@' || plan END, '; ') FROM (SELECT * FROM"
    "  partner_supports WHERE asset_id = a.id ORDER BY program, plan)),"
    " (SELECT group_concat(period || '=' || referrals, '; ') FROM (SELECT *"
    "  FROM partner_referrals WHERE asset_id = a.id ORDER BY period)),"
    " p.contact_role, p.notes, p.updated_at"
    " FROM partners p JOIN assets a ON a.id = p.asset_id"
    " WHERE ?1 IS NULL OR p.status = ?1"
    " ORDER BY CASE p.status WHEN 'current' THEN 0 WHEN 'prospective'"
    " THEN 1 WHEN 'former' THEN 2 ELSE 3 END, a.name, a.id";

static int print_register(struct cli_ctx *ctx, const struct partners_opts *o)
{
	static const char *const cols[] = {
	    "asset_id",	    "name",	  "categories", "status",
	    "service",	    "financial",  "data",	"effects",
	    "governance",   "agreements", "supports",	"referrals",
	    "contact_role", "notes",	  "updated_at"};
	enum { NCOLS = sizeof(cols) / sizeof(cols[0]) };
	struct cli_table *t = cli_table_new(NCOLS, cols, "nssssssssssssss");
	sqlite3_stmt *st = NULL;
	int64_t count[4] = {0, 0, 0, 0}, n = 0;
	int rc, i;

	if ((rc = core_ws_prepare(ctx->ws, &ctx->err, &st, list_sql)))
		goto cleanup;
	if (o->status)
		sqlite3_bind_text(st, 1, o->status, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v[NCOLS];
		const char *const *codes = imp_reg_codes(IMP_REG_STATUS);
		for (i = 0; i < NCOLS; i++)
			v[i] = cli_text(st, i);
		if (o->format == CLI_FMT_TABLE)
			for (i = 3; i <= 8; i++)
				v[i] = imp_reg_words(
				    (enum imp_reg_field)(i - 3), v[i]);
		for (i = 0; codes[i]; i++)
			if (v[3] && strcmp(cli_text(st, 3), codes[i]) == 0)
				count[i]++;
		cli_table_add(t, v);
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = core_ws_dberr(ctx->ws, &ctx->err,
				   "reading the partnership register");
		goto cleanup;
	}
	rc = CORE_OK;
	cli_table_print(t, ctx->out, (enum cli_format)o->format);
	cli_note(ctx,
		 "%lld partner%s: current %lld, prospective %lld, former "
		 "%lld, none %lld\n",
		 (long long)n, n == 1 ? "" : "s", (long long)count[0],
		 (long long)count[1], (long long)count[2], (long long)count[3]);
cleanup:
	sqlite3_finalize(st);
	cli_table_free(t);
	return rc;
}

static const char hist_sql[] =
    "SELECT h.changed_at, h.asset_id, a.name, h.field, h.old_value,"
    " h.new_value, h.how, (SELECT status FROM partners p"
    " WHERE p.asset_id = h.asset_id)"
    " FROM partner_history h JOIN assets a ON a.id = h.asset_id"
    " ORDER BY h.changed_at, h.id";

/*
 * The history, oldest first, with the number of current partners after
 * each change: an asset is current from a change of its status to
 * 'current' until a change away from it.
 */
static int print_history(struct cli_ctx *ctx, const struct partners_opts *o)
{
	static const char *const cols[] = {
	    "changed_at", "asset_id", "name", "field",
	    "old",	  "new",      "how",  "current_partners"};
	struct cli_table *t = cli_table_new(8, cols, "snssssn");
	sqlite3_stmt *st = NULL;
	unsigned char *cur = NULL;
	int64_t maxid = 0, ncur = 0;
	int rc;

	if ((rc = core_ws_int(ctx->ws, &ctx->err,
			      "SELECT coalesce(max(asset_id), 0) FROM "
			      "partner_history",
			      &maxid)))
		goto cleanup;
	cur = xcalloc((size_t)maxid + 1, 1);
	if ((rc = core_ws_prepare(ctx->ws, &ctx->err, &st, hist_sql)))
		goto cleanup;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t a = sqlite3_column_int64(st, 1);
		const char *field = (const char *)sqlite3_column_text(st, 3);
		const char *nv = (const char *)sqlite3_column_text(st, 5);
		const char *now = (const char *)sqlite3_column_text(st, 7);
		const char *v[8];
		char num[24];
		int i;

		if (a >= 0 && a <= maxid && strcmp(field, "status") == 0) {
			int c = nv && strcmp(nv, "current") == 0;
			ncur += c - cur[a];
			cur[a] = (unsigned char)c;
		}
		if (o->status && (!now || strcmp(now, o->status) != 0))
			continue;
		for (i = 0; i < 7; i++)
			v[i] = cli_text(st, i);
		snprintf(num, sizeof(num), "%lld", (long long)ncur);
		v[7] = num;
		cli_table_add(t, v);
	}
	if (rc != SQLITE_DONE) {
		rc = core_ws_dberr(ctx->ws, &ctx->err,
				   "reading the register's history");
		goto cleanup;
	}
	rc = CORE_OK;
	cli_table_print(t, ctx->out, (enum cli_format)o->format);
cleanup:
	sqlite3_finalize(st);
	cli_table_free(t);
	free(cur);
	return rc;
}

/* assetmap partners [--status S] [--history] [--format F]. */
int cmd_partners(struct cli_ctx *ctx, int argc, char **argv)
{
	struct partners_opts o = {NULL, 0, CLI_FMT_TABLE};

	if (cli_opt_parse(ctx, "partners", cmd_partners_options, &o, argc, argv,
			  NULL))
		return CORE_EUSAGE;
	if (o.status) {
		struct core_buf why = CORE_BUF_INIT;
		const char *code = imp_reg_code(IMP_REG_STATUS, o.status, &why);
		if (!code) {
			cli_usage(ctx, "partners", "--status: '%s' %s",
				  o.status, core_buf_str(&why));
			core_buf_release(&why);
			return CORE_EUSAGE;
		}
		o.status = code;
	}
	return o.history ? print_history(ctx, &o) : print_register(ctx, &o);
}
