/*
 * cmd_results.c - assetmap results: the analysis runs a workspace holds,
 * one run's parameters, sources and per-area values, and deleting a run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "cli/cli_result.h"
#include "cli/cli_table.h"
#include "core/core_mem.h"
#include "core/core_result.h"
#include "core/core_units.h"

struct results_opts {
	int format; /* enum cli_format */
	enum core_unit units;
	const char *del;
};

#define O struct results_opts

const struct cli_opt cmd_results_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] results [RUN] [--units mi|km|m]\n"
	"                [--format table|csv|json]\n"
	"       assetmap [-d WORKSPACE] results --delete RUN\n"
	"\n"
	"Without RUN, list the analysis runs: id, analysis, when, the area "
	"level\n"
	"and cohort, and the start of its parameters and summary.  With RUN "
	"(an\n"
	"id, 'last', or an analysis name for its newest run), show its\n"
	"parameters, the sources it read, and its values per area.\n"
	"\n"
	"Counts of cohort people from 1 to 10 show as '<11'; where a column's\n"
	"total would give a hidden count away, one more cell shows as\n"
	"'suppressed', and so does a share or distance computed from hidden\n"
	"counts.  Distances are in --units (the unit ends the column name:\n"
	"median_food_mi); shares are percentages (share_food_pct).\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(17),
    CLI_OPT_UNIT("units", 0, "U", O, units,
		 "distances in mi (default), km or m"),
    CLI_OPT_FORMAT(O, format, "F",
		   "table (default), csv or json; csv holds the per-area\n"
		   "values only; json one object with the run's facts\n"
		   "and an \"areas\" array"),
    CLI_OPT_STRING("delete", 0, "RUN", O, del,
		   "delete run RUN (an id) and all its values"),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap results\n"
		 "  assetmap results last --units km\n"
		 "  assetmap results 3 --format csv > run3.csv\n"
		 "  assetmap results --delete 3\n"),
    CLI_OPT_END()};

#undef O

#define SHORT_LEN 40

/* s cut to SHORT_LEN characters (UTF-8 aware) with "..." when longer. */
static char *shorten(const char *s)
{
	size_t i = 0, chars = 0;

	if (!s)
		return NULL;
	while (s[i] && chars < SHORT_LEN) {
		i++;
		while ((s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	if (!s[i])
		return xstrdup(s);
	return xasprintf("%.*s...", (int)i, s);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return cli_text(st, i);
}

static int list_runs(struct cli_ctx *ctx, enum cli_format fmt)
{
	static const char *const cols[] = {"id",     "analysis", "created",
					   "level",  "cohort",	 "parameters",
					   "summary"};
	struct cli_table *t = cli_table_new(7, cols, "nssssss");
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = core_ws_prepare(ctx->ws, &ctx->err, &st,
			     "SELECT id, analysis, created_at, level, cohort,"
			     " params, summary FROM runs ORDER BY id");
	if (rc)
		goto cleanup;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v[7];
		char *p = NULL, *s = NULL;
		int i;

		for (i = 0; i < 7; i++)
			v[i] = col_text(st, i);
		/* a table on a terminal gets the start; csv and json all */
		if (fmt == CLI_FMT_TABLE) {
			v[5] = p = shorten(v[5]);
			v[6] = s = shorten(v[6]);
		}
		cli_table_add(t, v);
		free(p);
		free(s);
	}
	if (step != SQLITE_DONE)
		rc = core_ws_dberr(ctx->ws, &ctx->err, "listing runs");
	else
		cli_table_print(t, ctx->out, fmt);
cleanup:
	sqlite3_finalize(st);
	cli_table_free(t);
	return rc;
}

/* The per-area table of a run: geoid, area name, then each value. */
static int area_table(struct cli_ctx *ctx, const struct core_result_table *r,
		      enum core_unit u, struct cli_table **out)
{
	size_t ncols = r->ncols + 2, i, c;
	const char **names = xcalloc(ncols, sizeof(char *));
	const char **vals = xcalloc(ncols, sizeof(char *));
	char **heads = xcalloc(ncols, sizeof(char *));
	char *types = xcalloc(ncols + 1, 1);
	char(*bufs)[64] = xcalloc(ncols, sizeof(*bufs));
	sqlite3_stmt *st = NULL;
	struct cli_table *t;
	int rc;

	names[0] = "geoid";
	names[1] = "area";
	types[0] = types[1] = 's';
	for (c = 0; c < r->ncols; c++) {
		heads[c] = cli_result_header(r, c, core_units_name(u), 1);
		names[c + 2] = heads[c];
		types[c + 2] = 'n';
	}
	t = cli_table_new((int)ncols, names, types);
	rc = core_ws_prepare(ctx->ws, &ctx->err, &st,
			     "SELECT name FROM areas WHERE geoid = ?1"
			     " AND (?2 IS NULL OR level = ?2)"
			     " ORDER BY level = ?2 DESC LIMIT 1");
	if (rc)
		goto cleanup;
	if (r->level)
		sqlite3_bind_text(st, 2, r->level, -1, SQLITE_STATIC);
	for (i = 0; i < r->nrows; i++) {
		char *area = NULL;

		sqlite3_bind_text(st, 1, r->geoid[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && col_text(st, 0))
			area = xstrdup(col_text(st, 0));
		sqlite3_reset(st);
		vals[0] = r->geoid[i];
		vals[1] = area;
		for (c = 0; c < r->ncols; c++)
			vals[c + 2] = cli_result_cell(r, i, c, u, 1, bufs[c],
						      sizeof(bufs[c]));
		cli_table_add(t, vals);
		free(area);
	}
	*out = t;
	t = NULL;
cleanup:
	sqlite3_finalize(st);
	cli_table_free(t);
	for (c = 0; c < r->ncols; c++)
		free(heads[c]);
	free(heads);
	free(names);
	free(vals);
	free(types);
	free(bufs);
	return rc;
}

/* Print t to a string (caller frees). */
static char *table_text(const struct cli_table *t, enum cli_format fmt)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	cli_table_print(t, fp, fmt);
	fclose(fp);
	return buf;
}

/* The text header of a run's results, on ctx->out: its id, analysis and
 * time, areas, cohort, parameters and summary, a table of the sources it
 * read (id, kind, file, checksum), how many polygons it stored, and a
 * blank line.  Returns 0, or the workspace's error set in ctx->err (the
 * header then stops where the query failed). */
static int show_header(struct cli_ctx *ctx, const struct core_result_table *r)
{
	static const char *const cols[] = {"source", "kind", "file",
					   "checksum"};
	struct cli_table *t = cli_table_new(4, cols, "nsss");
	sqlite3_stmt *st = NULL;
	int64_t ngeom = 0;
	int rc;

	fprintf(ctx->out, "run %lld: %s, %s\n", (long long)r->run_id,
		r->analysis, r->created_at);
	fprintf(ctx->out, "areas: %s\n", r->level ? r->level : "-");
	fprintf(ctx->out, "cohort: %s\n", r->cohort ? r->cohort : "-");
	fprintf(ctx->out, "parameters: %s\n", r->params ? r->params : "{}");
	if (r->summary)
		fprintf(ctx->out, "summary: %s\n", r->summary);
	rc = core_ws_prepare(
	    ctx->ws, &ctx->err, &st,
	    "SELECT json_extract(j.value, '$.id'),"
	    " json_extract(j.value, '$.kind'),"
	    " json_extract(j.value, '$.name'),"
	    " json_extract(j.value, '$.checksum')"
	    " FROM runs r, json_each(CASE WHEN json_valid(r.sources)"
	    "  THEN r.sources ELSE '[]' END) j"
	    " WHERE r.id = ? ORDER BY j.key");
	if (rc)
		goto cleanup;
	sqlite3_bind_int64(st, 1, r->run_id);
	rc = cli_table_add_rows(t, ctx->ws, st, &ctx->err);
	st = NULL;
	if (rc)
		goto cleanup;
	fputs("sources read:\n", ctx->out);
	cli_table_print(t, ctx->out, CLI_FMT_TABLE);
	{
		char *sql = xasprintf("SELECT count(*) FROM results_geom"
				      " WHERE run_id = %lld",
				      (long long)r->run_id);
		rc = core_ws_int(ctx->ws, &ctx->err, sql, &ngeom);
		free(sql);
		if (rc)
			goto cleanup;
	}
	if (ngeom)
		fprintf(
		    ctx->out,
		    "geometry: %lld polygon%s (see 'assetmap export %lld')\n",
		    (long long)ngeom, ngeom == 1 ? "" : "s",
		    (long long)r->run_id);
	fputc('\n', ctx->out);
cleanup:
	sqlite3_finalize(st);
	cli_table_free(t);
	return rc;
}

/* JSON: the run's facts as SQLite writes them, then "areas". */
static int show_json(struct cli_ctx *ctx, const struct core_result_table *r,
		     const struct cli_table *t)
{
	char *facts = NULL, *rows;
	int rc;

	if ((rc = cli_run_json(ctx->ws, r->run_id, &facts, &ctx->err)))
		return rc;
	rows = table_text(t, CLI_FMT_JSON);
	/* facts ends with '}': splice the table in before it */
	fprintf(ctx->out, "%.*s,\"areas\":%s}\n", (int)(strlen(facts) - 1),
		facts, rows);
	free(rows);
	free(facts);
	return CORE_OK;
}

static int show_run(struct cli_ctx *ctx, const char *spec, enum core_unit u,
		    enum cli_format fmt)
{
	struct core_result_table *r = NULL;
	struct cli_table *t = NULL;
	int64_t id;
	int rc;

	if ((rc = core_run_find(ctx->ws, spec, &id, &ctx->err)) ||
	    (rc = core_result_table_load(ctx->ws, id, &r, &ctx->err)))
		return rc;
	if ((rc = area_table(ctx, r, u, &t)))
		goto cleanup;
	if (fmt == CLI_FMT_JSON) {
		rc = show_json(ctx, r, t);
	} else if (fmt == CLI_FMT_CSV) {
		cli_table_print(t, ctx->out, fmt);
	} else {
		if ((rc = show_header(ctx, r)))
			goto cleanup;
		if (r->nrows)
			cli_table_print(t, ctx->out, fmt);
		else
			fputs("(no values per area)\n", ctx->out);
	}
cleanup:
	cli_table_free(t);
	core_result_table_free(r);
	return rc;
}

static int delete_run(struct cli_ctx *ctx, const char *spec)
{
	static const char *const tables[] = {"results_area", "results_column",
					     "results_info", "results_geom",
					     "runs"};
	int64_t id;
	size_t i;
	int rc;

	/* Only an id: "last" or a name could delete what was not meant. */
	for (i = 0; spec[i]; i++)
		if (spec[i] < '0' || spec[i] > '9')
			return cli_usage(ctx, "results",
					 "--delete: '%s' is not a run id; "
					 "'assetmap results' lists them",
					 spec);
	if ((rc = core_run_find(ctx->ws, spec, &id, &ctx->err)))
		return rc;
	if ((rc = core_ws_begin(ctx->ws, &ctx->err)))
		return rc;
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]) && !rc; i++) {
		char *sql = xasprintf(
		    "DELETE FROM %s WHERE %s = %lld", tables[i],
		    strcmp(tables[i], "runs") ? "run_id" : "id", (long long)id);
		rc = core_ws_exec(ctx->ws, &ctx->err, sql);
		free(sql);
	}
	if (!rc)
		rc = core_ws_commit(ctx->ws, &ctx->err);
	if (rc) {
		core_ws_rollback(ctx->ws);
		return rc;
	}
	cli_note(ctx, "run %lld deleted\n", (long long)id);
	return CORE_OK;
}

int cmd_results(struct cli_ctx *ctx, int argc, char **argv)
{
	struct results_opts o = {CLI_FMT_TABLE, CORE_UNIT_MI, NULL};
	const char *del, *run = NULL;
	int rc, nargs = 0;

	if ((rc = cli_opt_parse(ctx, "results", cmd_results_options, &o, argc,
				argv, &nargs)))
		return rc;
	if (nargs > 1)
		return cli_usage(ctx, "results", "unexpected argument '%s'",
				 argv[2]);
	if (nargs == 1)
		run = argv[1];
	del = o.del;
	if (del && run)
		return cli_usage(
		    ctx, "results",
		    "give a RUN to show or --delete RUN, not both");
	if (del)
		return delete_run(ctx, del);
	if (run)
		return show_run(ctx, run, o.units, (enum cli_format)o.format);
	return list_runs(ctx, (enum cli_format)o.format);
}
