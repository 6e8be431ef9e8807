/*
 * cmd_info.c - assetmap info: what a workspace holds.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "core/core_dict.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"

struct info_opts {
	int format;	/* enum cli_format */
	int indicators; /* --indicators: the indicators, in words */
};

/* The help names --format in its usage line only. */
const struct cli_opt cmd_info_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] info [--indicators] [--format "
	"table|csv|json]\n"
	"\n"
	"Summarise a workspace: its analysis CRS, sources, assets, areas by\n"
	"level, indicators, cohorts, road networks and the partnership\n"
	"register's partners by status.  Cohort sizes from 1 to 10 are shown\n"
	"as '<11' (small-cell suppression).\n"
	"\n"
	"With --indicators, the indicators instead, one a row: the name to\n"
	"give 'map --indicator' and '--need', its label and unit (a user's\n"
	"'import --label', else data/indicators.csv, else the importer's), "
	"who\n"
	"published it, and how many areas have a value.\n"),
    CLI_OPT_FLAG("indicators", 0, struct info_opts, indicators, 1, NULL),
    CLI_OPT_FULL(CLI_OPT_KIND_CHOICE, "format", 0, "F", struct info_opts,
		 format, NULL, CLI_OPT_HIDDEN, NULL,
		 "'%s' is not a format; use table, csv or json", 0, 0, 0,
		 cli_formats, NULL),
    CLI_OPT_END()};

static void add(struct cli_table *t, const char *k, const char *v)
{
	const char *row[2] = {k, v};

	cli_table_add(t, row);
}

static int add_count(struct cli_ctx *ctx, struct cli_table *t, const char *k,
		     const char *sql)
{
	int64_t n;
	char buf[32];

	if (core_ws_int(ctx->ws, &ctx->err, sql, &n))
		return CORE_EDB;
	snprintf(buf, sizeof(buf), "%lld", (long long)n);
	add(t, k, buf);
	return CORE_OK;
}

/* The row "assets_trusted": how many assets the environmental scan names
 * as trusted (assets.trusted_count > 0: 'add asset --trusted', 'import
 * scan') and how many times in all; no row when none is. */
static int add_trusted(struct cli_ctx *ctx, struct cli_table *t)
{
	int64_t n = 0, times = 0;
	char buf[64];

	if (core_ws_int(ctx->ws, &ctx->err,
			"SELECT count(*) FROM assets WHERE trusted_count > 0",
			&n) ||
	    core_ws_int(ctx->ws, &ctx->err,
			"SELECT coalesce(sum(trusted_count), 0) FROM assets"
			" WHERE trusted_count > 0",
			&times))
		return CORE_EDB;
	if (n == 0)
		return CORE_OK;
	snprintf(buf, sizeof(buf), "%lld (named %lld time%s)", (long long)n,
		 (long long)times, times == 1 ? "" : "s");
	add(t, "assets_trusted", buf);
	return CORE_OK;
}

/* assetmap info [--format F]: print on ctx->out a table of item and
 * value: the workspace's path and analysis CRS, the counts of sources,
 * assets (and informal ones; the trusted resources the environmental
 * scan named, when there are), categories and indicators, the areas per
 * level, each cohort's people (a small count suppressed) and each
 * travel mode's road graph (nodes, segments, km).  Returns
 * 0, or a code with ctx->err set: a usage error, or CORE_EDB when a
 * query fails (nothing printed then). */
/* info --indicators: name, label, unit, source, areas, by name. */
static int info_indicators(struct cli_ctx *ctx, enum cli_format fmt)
{
	static const char *const cols[] = {"name", "label", "unit", "source",
					   "areas"};
	struct cli_table *t = cli_table_new(5, cols, "ssssn");
	sqlite3_stmt *st = NULL;
	int rc, step;

	if ((rc = core_ws_prepare(ctx->ws, &ctx->err, &st,
				  "SELECT name, count(value) FROM indicators"
				  " GROUP BY name ORDER BY name")))
		goto cleanup;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		struct core_words w;
		char n[32], *credit;
		const char *row[5];

		if (!name)
			continue;
		core_words_indicator(ctx->ws, name, &w);
		credit = core_words_credit(w.publisher, w.dataset, w.year);
		snprintf(n, sizeof(n), "%lld",
			 (long long)sqlite3_column_int64(st, 1));
		row[0] = name;
		row[1] = w.label;
		row[2] = w.unit;
		row[3] = credit;
		row[4] = n;
		cli_table_add(t, row);
		free(credit);
		core_words_release(&w);
	}
	if (step != SQLITE_DONE) {
		rc = core_ws_dberr(ctx->ws, &ctx->err, "reading indicators");
		goto cleanup;
	}
	cli_table_print(t, ctx->out, fmt);
cleanup:
	sqlite3_finalize(st);
	cli_table_free(t);
	return rc;
}

int cmd_info(struct cli_ctx *ctx, int argc, char **argv)
{
	static const char *const cols[] = {"item", "value"};
	struct info_opts o = {CLI_FMT_TABLE};
	enum cli_format fmt;
	struct cli_table *t;
	sqlite3_stmt *st = NULL;
	char *crs, key[96], val[64];
	int rc = CORE_OK;

	if ((rc = cli_opt_parse(ctx, "info", cmd_info_options, &o, argc, argv,
				NULL)))
		return rc;
	fmt = (enum cli_format)o.format;
	if (o.indicators)
		return info_indicators(ctx, fmt);
	t = cli_table_new(2, cols, "ss");
	add(t, "workspace", ctx->ws_path);
	crs = core_ws_meta_dup(ctx->ws, "analysis_crs");
	add(t, "analysis_crs", crs ? crs : "auto");
	free(crs);
	if ((rc = add_count(ctx, t, "sources",
			    "SELECT count(*) FROM sources")) ||
	    (rc = add_count(ctx, t, "assets", "SELECT count(*) FROM assets")) ||
	    (rc = add_count(ctx, t, "assets_informal",
			    "SELECT count(*) FROM assets WHERE formal = 0")) ||
	    (rc = add_trusted(ctx, t)) ||
	    (rc = add_count(ctx, t, "categories",
			    "SELECT count(*) FROM categories")) ||
	    (rc = add_count(ctx, t, "indicators",
			    "SELECT count(DISTINCT name) FROM indicators")))
		goto cleanup;
	if ((rc = core_ws_prepare(ctx->ws, &ctx->err, &st,
				  "SELECT level, count(*) FROM areas GROUP BY "
				  "level ORDER BY level")))
		goto cleanup;
	while (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(key, sizeof(key), "areas_%s",
			 sqlite3_column_text(st, 0));
		snprintf(val, sizeof(val), "%lld",
			 (long long)sqlite3_column_int64(st, 1));
		add(t, key, val);
	}
	sqlite3_finalize(st);
	if ((rc =
		 core_ws_prepare(ctx->ws, &ctx->err, &st,
				 "SELECT c.name, c.kind, (SELECT count(*) FROM "
				 "cohort_members m WHERE m.cohort_id = c.id)"
				 " + (SELECT coalesce(sum(count), 0) FROM "
				 "cohort_counts k WHERE k.cohort_id = c.id)"
				 " FROM cohorts c ORDER BY c.name")))
		goto cleanup;
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long n = sqlite3_column_int64(st, 2);
		snprintf(key, sizeof(key), "cohort %s",
			 (const char *)sqlite3_column_text(st, 0));
		char num[32];
		snprintf(val, sizeof(val), "%s people",
			 core_privacy_count(n, num, sizeof(num)));
		add(t, key, val);
	}
	sqlite3_finalize(st);
	/* the register's partners by status, when there is a register */
	if ((rc = core_ws_prepare(
		 ctx->ws, &ctx->err, &st,
		 "SELECT status, count(*) FROM partners GROUP BY status ORDER "
		 "BY "
		 "CASE status WHEN 'current' THEN 0 WHEN 'prospective' THEN 1 "
		 "WHEN 'former' THEN 2 ELSE 3 END")))
		goto cleanup;
	while (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(key, sizeof(key), "partners_%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(val, sizeof(val), "%lld",
			 (long long)sqlite3_column_int64(st, 1));
		add(t, key, val);
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = core_ws_prepare(
		 ctx->ws, &ctx->err, &st,
		 "SELECT mode, nodes, segments, km FROM road_graphs ORDER BY "
		 "CASE mode WHEN 'walk' THEN 1 WHEN 'bike' THEN 2 ELSE 3 END")))
		goto cleanup;
	while (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(key, sizeof(key), "roads_%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(val, sizeof(val), "%lld nodes, %lld segments, %.1f km",
			 (long long)sqlite3_column_int64(st, 1),
			 (long long)sqlite3_column_int64(st, 2),
			 sqlite3_column_double(st, 3));
		add(t, key, val);
	}
	cli_table_print(t, ctx->out, fmt);
cleanup:
	sqlite3_finalize(st);
	cli_table_free(t);
	return rc;
}
