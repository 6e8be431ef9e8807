/*
 * cmd_sources.c - assetmap sources: what was imported, what rejected,
 * and which of a source's terms the crosswalk did not know.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "core/core_privacy.h"

struct sources_opts {
	long rejects, terms; /* -1: not given */
	int unmatched;
	int format; /* enum cli_format */
};

#define O struct sources_opts

const struct cli_opt cmd_sources_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] sources [--rejects ID | --terms ID "
	"[--unmatched]]\n"
	"                [--format table|csv|json]\n"
	"\n"
	"List every imported file: its kind, format, how many rows were read,\n"
	"accepted and rejected, how many of the accepted rows were merged "
	"into\n"
	"an asset from another source (the same site listed twice; see "
	"README.md,\n"
	"'One site, one asset'), its encoding, when it was imported, and who\n"
	"published it (publisher, dataset and year: what maps name it by; the\n"
	"known formats fill it in, 'import --source-label' the others).\n"
	"A cohort's counts are counts of patients: when any of them is from 1\n"
	"to 10, all three are shown as 'suppressed'.  A cohort is named by "
	"its\n"
	"name, never by its file, whose name and path are not kept.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(16),
    CLI_OPT_INT("rejects", 0, "ID", O, rejects, 1, 1L << 30,
		"list the rejected rows of source ID, with line or\n"
		"feature number, field and reason (and, for a package\n"
		"of several files such as an HSDS directory, the file)"),
    CLI_OPT_INT("terms", 0, "ID", O, terms, 1, 1L << 30,
		"list the terms source ID used for categories (category\n"
		"values, keywords, taxonomy codes), how many rows used\n"
		"each, and the categories the crosswalk gave them"),
    CLI_OPT_FLAG("unmatched", 0, O, unmatched, 1,
		 "with --terms: only the terms that matched no category,\n"
		 "to add to data/taxonomy/crosswalk.csv"),
    CLI_OPT_FORMAT(O, format, "F", "table (default), csv or json"),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap sources\n"
		 "  assetmap sources --rejects 2\n"
		 "  assetmap sources --terms 3 --unmatched --format csv\n"),
    CLI_OPT_END()};

#undef O

/* assetmap sources [--rejects ID | --terms ID [--unmatched]] [--format F]:
 * print on ctx->out every imported source (a cohort by its name, never
 * its file, and its row counts suppressed when any is from 1 to 10), or
 * the rows that source ID rejected (with
 * the file each came from, for a package), or the terms source ID used
 * with the category each got (only those with none, with --unmatched).
 * Returns 0, or a code with ctx->err set (a usage error, or the
 * workspace's error). */
int cmd_sources(struct cli_ctx *ctx, int argc, char **argv)
{
	static const char *const src_cols[] = {
	    "id",	"kind",	       "file",	      "format",
	    "read",	"accepted",    "rejected",    "merged",
	    "encoding", "imported_at", "published_by"};
	static const char *const rej_cols[] = {"line", "field", "value",
					       "reason"};
	static const char *const rej_file_cols[] = {"file", "line", "field",
						    "value", "reason"};
	static const char *const term_cols[] = {"vocabulary", "term", "rows",
						"category"};
	struct sources_opts o = {-1, -1, 0, CLI_FMT_TABLE};
	enum cli_format fmt;
	struct cli_table *t;
	sqlite3_stmt *st;
	long rejects_id, terms_id;
	int rc, unmatched;

	if ((rc = cli_opt_parse(ctx, "sources", cmd_sources_options, &o, argc,
				argv, NULL)))
		return rc;
	rejects_id = o.rejects;
	terms_id = o.terms;
	unmatched = o.unmatched;
	fmt = (enum cli_format)o.format;
	if (rejects_id > 0 && terms_id > 0)
		return cli_usage(ctx, "sources",
				 "give --rejects or --terms, not both");
	if (unmatched && terms_id < 0)
		return cli_usage(ctx, "sources",
				 "--unmatched goes with --terms ID");
	if (rejects_id > 0) {
		/* A package's rejects (HSDS CSV, datapackage) name the file
		 * each row came from: a first column then. */
		char sql[128];
		int64_t files = 0;
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM source_rejects WHERE source_id "
			 "= %ld AND file IS NOT NULL",
			 rejects_id);
		if ((rc = core_ws_int(ctx->ws, &ctx->err, sql, &files)))
			return rc;
		if (files)
			t = cli_table_new(5, rej_file_cols, "snsss");
		else
			t = cli_table_new(4, rej_cols, "nsss");
		rc = core_ws_prepare(
		    ctx->ws, &ctx->err, &st,
		    files ? "SELECT file, line, field, value, reason FROM "
			    "source_rejects"
			    " WHERE source_id = ? ORDER BY rowid"
			  : "SELECT line, field, value, reason FROM "
			    "source_rejects"
			    " WHERE source_id = ? ORDER BY rowid");
		if (rc == CORE_OK)
			sqlite3_bind_int64(st, 1, rejects_id);
	} else if (terms_id > 0) {
		t = cli_table_new(4, term_cols, "ssns");
		rc = core_ws_prepare(
		    ctx->ws, &ctx->err, &st,
		    unmatched ? "SELECT vocabulary, term, rows, category FROM "
				"source_terms"
				" WHERE source_id = ? AND category IS NULL"
				" ORDER BY rows DESC, vocabulary, term"
			      : "SELECT vocabulary, term, rows, category FROM "
				"source_terms"
				" WHERE source_id = ? ORDER BY rows DESC, "
				"vocabulary, term");
		if (rc == CORE_OK)
			sqlite3_bind_int64(st, 1, terms_id);
	} else {
		t = cli_table_new(11, src_cols, "nsssnnnnsss");
		rc = core_ws_prepare(
		    ctx->ws, &ctx->err, &st,
		    /* A cohort's counts are counts of patients:
		     * when any is from 1 to 10, all three are
		     * suppressed, since any two give the third. */
		    /* A cohort is named by its name, never its
		     * file (a workspace made by an earlier version
		     * holds the path there). */
		    "SELECT id, kind, CASE WHEN kind = 'cohort' THEN "
		    "coalesce(" CORE_PRIVACY_COHORT_LABEL_SQL(
			"(SELECT c.name FROM cohorts c WHERE c.source_id = "
			"sources_s.id)") ", 'cohort (patient records, not "
					 "shown)') ELSE path END, format,"
					 " CASE WHEN small THEN 'suppressed' "
					 "ELSE rows_read END,"
					 " CASE WHEN small THEN 'suppressed' "
					 "ELSE rows_accepted END,"
					 " CASE WHEN small THEN 'suppressed' "
					 "ELSE rows_rejected END,"
					 " rows_merged, encoding, imported_at,"
					 " (SELECT trim(coalesce(l.publisher, "
					 "'') || coalesce(' ' || l.dataset, "
					 "'') "
					 "|| coalesce(' ' || l.year, '')) FROM "
					 "source_labels l WHERE l.source_id = "
					 "sources_s.id) "
					 "FROM"
					 " (SELECT *, kind = 'cohort' AND "
					 "(rows_read BETWEEN 1 AND 10"
					 "  OR rows_accepted BETWEEN 1 AND 10 "
					 "OR rows_rejected BETWEEN 1 AND 10)"
					 "  AS small FROM sources) sources_s "
					 "ORDER BY id");
	}
	if (rc == CORE_OK)
		rc = cli_table_print_rows(t, ctx->ws, st, ctx->out, fmt,
					  &ctx->err);
	cli_table_free(t);
	return rc;
}
