/*
 * cli_import.c - what the import handlers share.
 */
#include "cli/cli_import.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_dict.h"
#include "core/core_mem.h"

/* Rows of one kind of reject from which they are summarised, and the
 * kinds shown then. */
#define KIND_MANY   5
#define KINDS_SHOWN 10

void cli_import_rejects(struct cli_ctx *ctx, const struct imp_source *src,
			int as_note)
{
	size_t i, nk;
	int64_t other;
	int by_kind = 0;

	/* By kind when the list would be cut short, or when a kind comes
	 * often enough that its rows would drown the others. */
	for (i = 0; i < src->nkinds; i++)
		if (src->kinds[i].count >= KIND_MANY)
			by_kind = 1;
	if (src->rows_rejected > (int64_t)src->nshown)
		by_kind = 1;
	if (ctx->verbose || src->nkinds == 0)
		by_kind = 0;

	/* Many rows of few kinds: the first of each kind and a count; the
	 * kinds past KINDS_SHOWN (geocoding misses differ by street) only
	 * counted. */
	nk = src->nkinds < KINDS_SHOWN ? src->nkinds : KINDS_SHOWN;
	other = src->reject_other;
	for (i = nk; i < src->nkinds; i++)
		other += src->kinds[i].count;
	for (i = 0; by_kind && i < nk; i++) {
		const struct imp_reject_kind *k = &src->kinds[i];
		char more[96] = "";

		if (k->count > 1)
			snprintf(more, sizeof(more),
				 " (and %lld more row%s like it)",
				 (long long)(k->count - 1),
				 k->count == 2 ? "" : "s");
		if (as_note)
			cli_note(ctx, "  %s%s\n", k->first, more);
		else
			fprintf(stderr, "%s%s\n", k->first, more);
	}
	if (by_kind) {
		char others[64] = "";

		if (other)
			snprintf(others, sizeof(others),
				 " and %lld of other kinds", (long long)other);
		if (as_note)
			cli_note(ctx,
				 "  %lld rows rejected, of %zu kind%s%s; "
				 "--verbose lists the first %d one by one\n",
				 (long long)src->rows_rejected, nk,
				 nk == 1 ? "" : "s", others, IMP_REJECTS_SHOWN);
		else
			fprintf(stderr,
				"%lld rows rejected, of %zu kind%s%s; "
				"--verbose lists the first %d one by one\n",
				(long long)src->rows_rejected, nk,
				nk == 1 ? "" : "s", others, IMP_REJECTS_SHOWN);
		return;
	}
	for (i = 0; i < src->nshown; i++) {
		if (as_note)
			cli_note(ctx, "  %s\n", src->shown[i].msg);
		else
			fprintf(stderr, "%s\n", src->shown[i].msg);
	}
	if (src->rows_rejected > (int64_t)src->nshown) {
		long long more =
		    (long long)src->rows_rejected - (long long)src->nshown;
		if (as_note)
			cli_note(ctx, "  and %lld more\n", more);
		else
			fprintf(stderr, "and %lld more\n", more);
	}
}

void cli_import_failed(struct cli_ctx *ctx, const char *cmd, int rc,
		       const struct imp_source *src)
{
	if (rc == CORE_EUSAGE) {
		char msg[CORE_ERR_MSG_MAX];

		/* cli_usage writes ctx->err: copy the message out first */
		snprintf(msg, sizeof(msg), "%s", ctx->err.msg);
		cli_usage(ctx, cmd, "%s", msg);
	} else if (src->rows_rejected > 1 && !src->skip_bad) {
		cli_import_rejects(ctx, src, 0);
	}
}

int cli_import_asset_args(struct cli_ctx *ctx, const char *cmd,
			  const struct cli_opt *opts, int argc, char **argv,
			  const char *what, const char *example,
			  struct cli_import_asset_opts *out, const char **path)
{
	struct cli_import_asset_opts o = *out;
	int rc, nargs = 0;

	if ((rc = cli_opt_parse(ctx, cmd, opts, &o, argc, argv, &nargs)))
		return rc;
	if (nargs < 1)
		return cli_usage(ctx, cmd, "which %s? e.g. %s", what, example);
	if (nargs > 1)
		return cli_usage(ctx, cmd,
				 "unexpected argument '%s' (one %s per import)",
				 argv[2], what);
	*out = o;
	*path = argv[1];
	return CORE_OK;
}

/* A level as the summary says it: "address point", "street range". */
static void level_words(struct core_buf *b, int level)
{
	const char *s;

	for (s = geo_gc_level_name(level); *s; s++)
		core_buf_addc(b, *s == '_' ? ' ' : *s);
}

void cli_import_geocoded(struct cli_ctx *ctx, const struct imp_gc_counts *n,
			 const char *one, const char *many, int zip_note)
{
	struct core_buf b = CORE_BUF_INIT;
	int64_t placed = n->tried - n->not_placed;
	const char *sep = ": ";
	int level, i;

	if (!n->tried)
		return;
	core_buf_addf(&b, "geocoded %lld of %lld %s without coordinates",
		      (long long)placed, (long long)n->tried,
		      n->tried == 1 ? one : many);
	if (n->nwhy == 1 && !n->other_why &&
	    strcmp(n->why[0].why, imp_gc_why_empty) == 0) {
		/* nothing to geocode against: say that alone */
		core_buf_addf(&b, ": %s", imp_gc_why_empty);
		cli_note(ctx, "%s\n", core_buf_str(&b));
		core_buf_release(&b);
		return;
	}
	for (level = GEO_GC_POINT; level <= GEO_GC_ZIP; level++) {
		if (!n->placed[level])
			continue;
		core_buf_adds(&b, sep);
		level_words(&b, level);
		core_buf_addf(&b, " %lld", (long long)n->placed[level]);
		sep = ", ";
	}
	if (n->not_placed) {
		core_buf_addf(&b, "%snot placed %lld (", placed ? "; " : ": ",
			      (long long)n->not_placed);
		for (i = 0; i < n->nwhy; i++)
			core_buf_addf(&b, "%s%s %lld", i ? ", " : "",
				      n->why[i].why, (long long)n->why[i].n);
		if (n->other_why)
			core_buf_addf(&b, "%sother reasons %lld",
				      n->nwhy ? ", " : "",
				      (long long)n->other_why);
		core_buf_addc(&b, ')');
	}
	cli_note(ctx, "%s\n", core_buf_str(&b));
	if (zip_note && n->placed[GEO_GC_ZIP])
		cli_note(ctx,
			 "  %lld placed only at their ZIP's centroid "
			 "(location_quality 'zip'); --geocode-worst street "
			 "refuses such placements\n",
			 (long long)n->placed[GEO_GC_ZIP]);
	core_buf_release(&b);
}

const char *cli_level_words(const char *level, long long n)
{
	static const char *const w[][3] = {
	    {"state", "state", "states"},
	    {"county", "county", "counties"},
	    {"tract", "tract", "tracts"},
	    {"blockgroup", "block group", "block groups"},
	    {"zcta", "ZCTA", "ZCTAs"},
	};
	size_t i;

	for (i = 0; level && i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(level, w[i][0]) == 0)
			return w[i][n == 1 ? 1 : 2];
	return NULL;
}

/* ---------------------------------------------------------------------
 * --source-label and --label
 * ------------------------------------------------------------------ */

static int label_opt(struct cli_ctx *ctx, const char *cmd,
		     const struct cli_opt *opt, const char *value, void *target)
{
	struct imp_words_opt *w =
	    (struct imp_words_opt *)((char *)target -
				     offsetof(struct imp_words_opt, labels));
	const char *eq = strchr(value, '=');

	(void)opt;
	if (!eq || eq == value || !eq[1])
		return cli_usage(
		    ctx, cmd,
		    "--label '%s': give COLUMN=Label, e.g. "
		    "--label 'pct_uninsured=Uninsured adults (%%)'",
		    value);
	w->labels = xrealloc(w->labels, (w->nlabels + 1) * sizeof(char *));
	w->labels[w->nlabels++] = value;
	return CORE_OK;
}

#define WO struct imp_words_opt
#define SOURCE_LABEL_OPT                                                       \
	CLI_OPT_STRING(                                                        \
	    "source-label", 0, "P|D|Y", WO, source_label,                      \
	    "who published the file, for the sources line of\n"                \
	    "maps: 'Publisher|Dataset|Year' (dataset and year\n"               \
	    "optional), e.g. 'DataSF|Census tracts|2010'; known\n"             \
	    "formats fill it in (SVI, ACS, PLACES, TIGER, Medi-Cal)")

const struct cli_opt cli_words_options[] = {
    SOURCE_LABEL_OPT,
    CLI_OPT_CALLBACK("label", 0, "COL=TEXT", WO, labels, label_opt,
		     "what a column is called on maps and in 'info\n"
		     "--indicators', e.g. --label 'pct_unins=Uninsured (%)';\n"
		     "repeatable; known columns (SVI, ACS, PLACES) have\n"
		     "labels from data/indicators.csv"),
    CLI_OPT_END()};

const struct cli_opt cli_source_label_options[] = {SOURCE_LABEL_OPT,
						   CLI_OPT_END()};
#undef WO
#undef SOURCE_LABEL_OPT

int cli_import_words(struct cli_ctx *ctx, const char *cmd,
		     const struct imp_words_opt *w, struct imp_source *src)
{
	char *p = NULL, *d = NULL, *y = NULL;

	src->labels = w->labels;
	src->nlabels = w->nlabels;
	if (!w->source_label)
		return CORE_OK;
	if (core_source_label_parse(w->source_label, &p, &d, &y, &ctx->err))
		return cli_usage(ctx, cmd, "--source-label %s", ctx->err.msg);
	free(src->publisher);
	free(src->dataset);
	free(src->year);
	src->publisher = p;
	src->dataset = d;
	src->year = y;
	return CORE_OK;
}

void cli_import_words_release(struct imp_words_opt *w)
{
	free(w->labels);
	w->labels = NULL;
	w->nlabels = 0;
}
