/*
 * cli_import.h - the kinds of 'assetmap import' and what their handlers
 * share.
 *
 * cmd_import.c holds the table of kinds and dispatches; each format's
 * handler lives in its own cli/cmd_import_<kind>.c and calls one
 * importer in importers/.  A handler receives argv[0] = the kind,
 * argv[1] = FILE (or, for a cohort, the name), then the options, and the
 * open workspace in ctx->ws.  --help never reaches a handler.
 */
#ifndef CLI_IMPORT_H
#define CLI_IMPORT_H

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "importers/imp_common.h"
#include "importers/imp_geocode.h"

struct cli_import_kind {
	const char *name;
	const char *summary;
	const char *help; /* the kind's help, or NULL when opts gives it */
	int (*run)(struct cli_ctx *ctx, int argc, char **argv);
	const struct cli_opt *opts; /* the kind's option table, or NULL */
};

/*
 * Print the rejected rows of an import: as notes (suppressed by --quiet)
 * after a --skip-bad import, or on stderr before the error of a refused
 * one.  When some rows are not kept (more than IMP_REJECTS_SHOWN), or a
 * kind (the same field and reason) has 5 rows or more, the first row of
 * each kind with "(and N more rows like it)", then "N rows rejected, of
 * K kinds"; else, and always with ctx->verbose, the rows kept one by one
 * (up to IMP_REJECTS_SHOWN, then "and N more").
 */
void cli_import_rejects(struct cli_ctx *ctx, const struct imp_source *src,
			int as_note);

/*
 * After an import failed with rc: an importer's usage error (CORE_EUSAGE,
 * its message in ctx->err) becomes a usage error of cmd ("import",
 * "import tiger", ...); otherwise the rejected rows of a refused import
 * (more than one, without --skip-bad) go to stderr (cli_import_rejects).
 */
void cli_import_failed(struct cli_ctx *ctx, const char *cmd, int rc,
		       const struct imp_source *src);

/*
 * The line on what an import's geocoding did, as a note (nothing when no
 * row needed it): "geocoded 41 of 45 rows without coordinates: address
 * point 38, interpolated 2, zip 1; not placed 4 (street not found 3, no
 * house number 1)", rows being what one and many say ("row", "rows";
 * "location", "locations"; "person", "people").  With zip_note, a second line
 * when some were placed only at a ZIP's centroid, saying how to refuse that
 * (--geocode-worst).  The counts are exact: the file is the user's own.
 */
void cli_import_geocoded(struct cli_ctx *ctx, const struct imp_gc_counts *n,
			 const char *one, const char *many, int zip_note);

/* The --geocode-worst option's help, shared by the import kinds. */
#define CLI_IMPORT_GEOCODE_HELP                                                \
	"rows with an address and no coordinates are placed by\n"              \
	"the offline geocoder ('assetmap import addresses'\n"                  \
	"first); LEVEL is the coarsest placement taken:\n"                     \
	"address_point, interpolated, street_range, street\n"                  \
	"or zip (the default: every level; ZIP-level ones are\n"               \
	"counted and named after the import)"

/* What an asset import that takes only --skip-bad, --no-merge and
 * --geocode-worst (hsds, medi-cal) is told: its option table's target. */
struct cli_import_asset_opts {
	int skip_bad;		   /* 1: --skip-bad */
	int merge;		   /* 0: --no-merge */
	const char *geocode_worst; /* --geocode-worst LEVEL, or NULL */
};

/*
 * The arguments of such an import, parsed by its table opts into *out
 * (whose fields given are set; the others are left as they are), and
 * the one PATH, which may come
 * before the options (argv[0] is the kind), into *path.  No PATH is the
 * usage error "which WHAT? e.g. EXAMPLE", a second argument "unexpected
 * argument 'X' (one WHAT per import)".  Returns CORE_OK or CORE_EUSAGE
 * with ctx->err set.
 */
int cli_import_asset_args(struct cli_ctx *ctx, const char *cmd,
			  const struct cli_opt *opts, int argc, char **argv,
			  const char *what, const char *example,
			  struct cli_import_asset_opts *out, const char **path);

/*
 * An area level as people say it, singular when n is 1: "tract",
 * "block groups", "ZCTAs"; NULL when level is NULL or no level.
 */
const char *cli_level_words(const char *level, long long n);

/*
 * The options --source-label "Publisher|Dataset|Year" and (with labels
 * set to 1 in the table that includes it) --label COLUMN=Label, a group
 * with base struct imp_words_opt: cli_words_options for indicator
 * imports, cli_source_label_options for the others.
 */
extern const struct cli_opt cli_words_options[];
extern const struct cli_opt cli_source_label_options[];

/*
 * Give src what w holds: the publisher, dataset and year of
 * --source-label (a usage error of cmd, returned, when it is malformed)
 * and the --label texts (borrowed from w).  Returns CORE_OK or
 * CORE_EUSAGE with ctx->err set.
 */
int cli_import_words(struct cli_ctx *ctx, const char *cmd,
		     const struct imp_words_opt *w, struct imp_source *src);

/* Free what parsing put in w (the labels array). */
void cli_import_words_release(struct imp_words_opt *w);

int cmd_import_hsds(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_medi_cal(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_tiger(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_acs(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_svi(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_places(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_cohort(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_addresses(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_roads(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_partners(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import_scan(struct cli_ctx *ctx, int argc, char **argv);

/* The option tables (cli_opt.h) of the kinds that declare theirs. */
extern const struct cli_opt cmd_import_cohort_options[];
extern const struct cli_opt cmd_import_hsds_options[];
extern const struct cli_opt cmd_import_medi_cal_options[];
extern const struct cli_opt cmd_import_tiger_options[];
extern const struct cli_opt cmd_import_acs_options[];
extern const struct cli_opt cmd_import_svi_options[];
extern const struct cli_opt cmd_import_places_options[];
extern const struct cli_opt cmd_import_addresses_options[];
extern const struct cli_opt cmd_import_roads_options[];
extern const struct cli_opt cmd_import_partners_options[];
extern const struct cli_opt cmd_import_scan_options[];

#endif
