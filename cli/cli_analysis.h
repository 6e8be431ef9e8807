/*
 * cli_analysis.h - the options every analysis command shares, parsed in
 * one place so that nearest, coverage, access, gaps, deserts, sites and
 * near read them the same way.
 *
 * A command includes cli_analysis_options in its option table
 * (CLI_OPT_INCLUDE, cli_opt.h).  The options:
 *
 *   --cohort NAME          the people: a cohort in the workspace
 *   --areas LEVEL          the areas (default tract)
 *   --category C[,C...]    category codes (default: every category that
 *                          has assets)
 *   --language CODE        supply: assets listing this language (ISO
 *                          639-1, or a name: "Spanish" -> es)
 *   --medi-cal             supply: assets that accept Medi-Cal
 *   --program CODE         supply: assets offering this Community Support
 *   --open weekday|evening supply: open on a weekday / in the evening
 *   --min-capacity N       supply: capacity at least N
 *   --formal / --informal  supply: imported assets only / hand-added only
 *   --partners current|prospective|any
 *                          supply: partners of that status in the
 *                          register (any: current or prospective)
 *   --where KEY=VALUE      people: cohort members whose kept attribute
 *                          KEY is VALUE (e.g. language=es)
 *   --units mi|km|m        distances shown in (default mi)
 *   --format table|csv|json
 *
 * Distances given with a unit (--within 2mi) go through
 * core_units_parse_distance.
 */
#ifndef CLI_ANALYSIS_H
#define CLI_ANALYSIS_H

#include <stddef.h>

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "core/core_units.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"
#include "geo/geo_proj.h"

/* The help text of those options, for a command's help; the macro below
 * is the same text as a literal, to paste into a command's help string. */
extern const char cli_analysis_help[];
#define CLI_ANALYSIS_HELP_TEXT                                                 \
	"who and what:\n"                                                      \
	"  --cohort NAME        the people: a cohort in the workspace\n"       \
	"                       ('assetmap info' lists them)\n"                \
	"  --areas LEVEL        the areas results are summarised by: tract\n"  \
	"                       (default), blockgroup, county, zcta or "       \
	"state\n"                                                              \
	"  --category C[,C...]  asset categories, codes as listed by "         \
	"'assetmap\n"                                                          \
	"                       categories' (default: every category that "    \
	"has\n"                                                                \
	"                       assets)\n"                                     \
	"  --where KEY=VALUE    only cohort members whose kept attribute KEY " \
	"is\n"                                                                 \
	"                       VALUE, e.g. --where language=es "              \
	"(case-insensitive)\n"                                                 \
	"\n"                                                                   \
	"which assets count (all optional, combined with 'and'):\n"            \
	"  --language CODE      assets that list this language: an ISO 639-1 " \
	"code\n"                                                               \
	"                       (es) or a name (Spanish)\n"                    \
	"  --medi-cal           assets that accept Medi-Cal\n"                 \
	"  --program CODE       assets offering this Medi-Cal Community "      \
	"Support\n"                                                            \
	"  --open weekday|evening\n"                                           \
	"                       assets open on a weekday / at or after 17:00 " \
	"on\n"                                                                 \
	"                       some day (from their hours; assets whose "     \
	"hours\n"                                                              \
	"                       cannot be read do not count); both may be "    \
	"given\n"                                                              \
	"                       as 'weekday,evening'\n"                        \
	"  --min-capacity N     assets with a capacity of at least N "         \
	"(unknown\n"                                                           \
	"                       capacity does not count)\n"                    \
	"  --formal, --informal imported assets only / hand-added assets "     \
	"only\n"                                                               \
	"  --partners current|prospective|any\n"                               \
	"                       assets by the partnership register: current\n" \
	"                       partners, prospective ones, or any (current "  \
	"or\n"                                                                 \
	"                       prospective); former partners and assets not " \
	"in\n"                                                                 \
	"                       the register do not count\n"                   \
	"\n"                                                                   \
	"output:\n"                                                            \
	"  --units mi|km|m      distances shown in miles (default), km or "    \
	"metres\n"                                                             \
	"  --format table|csv|json\n"                                          \
	"                       the summary's format (default table)\n"

struct cli_analysis {
	const char *cohort; /* NULL: none given */
	const char *areas;  /* "tract" unless given */
	char **cats;	    /* owned; NULL with ncats 0: none given */
	size_t ncats;
	struct geo_filter filter; /* strings borrowed from argv / owned
				     by this struct */
	const char *where;	  /* "KEY=VALUE" or NULL */
	enum core_unit units;	  /* CORE_UNIT_MI unless given */
	const char *format;	  /* "table" unless given */
	char *language_code;	  /* owned storage behind filter.language */
};

/*
 * The same options as a group of records (cli_opt.h) into a struct
 * cli_analysis, for a command's table (CLI_OPT_INCLUDE(cli_analysis_options,
 * struct my_opts, a)); its help is CLI_ANALYSIS_HELP_TEXT, three sections
 * with no blank line after the last.  The struct must be cli_analysis_init'ed
 * before parsing and cli_analysis_release'd after, whatever the parse
 * returned.
 */
extern const struct cli_opt cli_analysis_options[];

/*
 * The supply filters alone (--language, --medi-cal, --program, --open,
 * --min-capacity, --formal, --informal: the records of
 * cli_analysis_options, without --partners), into a struct cli_analysis,
 * for commands that draw the assets an analysis counts (map).  Its help
 * is the records' own, with no heading.  The struct is
 * cli_analysis_init'ed before and cli_analysis_release'd after, as for
 * the whole group.
 */
extern const struct cli_opt cli_filter_options[];

/* A --program that is no Community Support of the workspace is a usage
 * error of cmd; CORE_OK otherwise (and with none). */
int cli_filter_check(struct cli_ctx *ctx, const char *cmd,
		     const struct geo_filter *f);

/*
 * What filter f asks, in words, as the end of "assets that ...":
 * "accept Medi-Cal and list Spanish", "offer Recuperative Care and are
 * open in the evening (at or after 17:00)"; with one, of "an asset
 * that ..." ("accepts Medi-Cal and lists Spanish").  A program's name is
 * read from ws (NULL: its code is said).  NULL when f asks for nothing;
 * else owned by the caller (free()).
 */
char *cli_filter_words(struct core_ws *ws, const struct geo_filter *f, int one);

/* --areas' levels, as choices (their values 0). */
extern const struct cli_opt_choice cli_area_levels[];

void cli_analysis_init(struct cli_analysis *a);
void cli_analysis_release(struct cli_analysis *a);

/*
 * After the options: when no --category was given, fill a->cats with
 * every category that has assets (geo_categories_present); else turn
 * the values given into codes (cli_categories_resolve).
 */
int cli_analysis_categories(struct cli_ctx *ctx, const char *cmd,
			    struct cli_analysis *a);

/*
 * Replace the n --category values in *cats (owned by the caller, as the
 * result is) by the category codes they give through the one resolver,
 * imp_xwalk_category (a code, a name, a crosswalk term, an AIRS code in
 * its shape), in order and without duplicates.  A value that gives none
 * is a usage error of cmd naming it, with "did you mean" when a category
 * is near (imp_xwalk_category_hint); *cats is then left as given.
 */
int cli_categories_resolve(struct cli_ctx *ctx, const char *cmd, char ***cats,
			   size_t *n);

/* Add to a run's params object "where" (when given) then "filter" (when
 * some supply filter is set), as the analyses store them. */
struct json_object;
void cli_analysis_params(const struct cli_analysis *a,
			 struct json_object *params);
/* Add to a run's params object the supply filter f as every analysis
 * stores it: "filter", its description (geo_filter_describe: "accepts
 * Medi-Cal, current partners only"), when some filter is set, and
 * "partners", the --partners code ("current", "prospective", "any"),
 * when that one is, so that 'results' and maps can say whose assets
 * were counted. */
void cli_filter_params(const struct geo_filter *f, struct json_object *params);
/* A new params object (the caller json_object_put()s it) as nearest and
 * coverage store it: "categories",
 * dist_key (metres), "areas", "cohort" when given, then as
 * cli_analysis_params. */
struct json_object *cli_analysis_params_json(const struct cli_analysis *a,
					     const char *dist_key,
					     double dist_m);

/*
 * For commands that take --category without the other analysis options
 * (map, rainbow): split "a, b,c" (blanks trimmed, empty items skipped)
 * and resolve the items into codes (cli_categories_resolve).  *out (owned by
 * the caller, who frees its *n strings and it even on failure) gets the codes
 * in order; a code that is no category, or a list naming none, is a usage error
 * of cmd.
 */
int cli_category_list(struct cli_ctx *ctx, const char *cmd, const char *arg,
		      char ***out, size_t *n);

/* ------------------------------------------------------------------ */
/* Everything a point analysis (nearest, coverage, deserts, sites, atlas)
 * reads, in one call. */

struct cli_inputs {
	struct geo_proj *proj;	   /* the workspace's analysis CRS */
	struct geo_areas *areas;   /* level a->areas (n may be 0) */
	struct geo_supply *supply; /* [ncats], in a->cats order */
	size_t ncats;
	struct geo_members *members; /* the cohort's people, or NULL */
	/* The query points: the members when a cohort was given, in
	 * spatial (Z-) order, not id order (with
	 * their area index, -1 outside), else one point per area (area i
	 * for point i).  Borrowed from members / owned here. */
	size_t n;
	const double *x, *y;
	const int32_t *area;
	double *ax, *ay; /* area points when no cohort */
	int32_t *aidx;
	int weighted;	   /* area points population-weighted */
	int bg_population; /* some (not all) could be */
	size_t unlocated;  /* members with no location */
};

/*
 * Load the projection, the areas of a->areas, the supply of every
 * category in a->cats with a->filter, and the query points: the cohort's
 * members (a->where applied) or, with no cohort, the areas' points
 * (geo_area_points).  With no cohort and no areas it is an error naming
 * what to import.  Sets ctx->err on failure.
 */
int cli_inputs_load(struct cli_ctx *ctx, const char *cmd,
		    const struct cli_analysis *a, struct cli_inputs *in);
void cli_inputs_release(struct cli_inputs *in);

/*
 * The front of a point analysis, after its options are parsed
 * (cli_opt_parse): --format into *fmt, the
 * categories checked and defaulted (an error when the workspace has no
 * assets), then cli_inputs_load.  in must be zeroed; the caller releases
 * a and in whatever this returns.
 */
int cli_analysis_prepare(struct cli_ctx *ctx, const char *cmd,
			 struct cli_analysis *a, enum cli_format *fmt,
			 struct cli_inputs *in);

/* Before writing member columns of n values each: a page cache that
 * holds a few of them (SQLite otherwise spills and re-reads pages of a
 * large blob, at twice the cost). */
void cli_analysis_cache(struct cli_ctx *ctx, size_t n);

/* With ASSETMAP_TIMING=1 in the environment, print on stderr the wall
 * and CPU time since the previous call, labelled what (for the bench). */
void cli_analysis_lap(const char *what);

/* The notes saying what was measured, on ctx's note stream: "CMD:
 * cohort NAME: N people with a location (M without one left out)" or
 * "CMD: N LEVEL areas; <points note>", then the supply filters. */
void cli_inputs_note(struct cli_ctx *ctx, const char *cmd,
		     const struct cli_analysis *a, const struct cli_inputs *in);

/* The sentence saying what the area points are, for a note. */
const char *cli_inputs_points_note(const struct cli_inputs *in);

/* ------------------------------------------------------------------ */
/* More of the front that several analyses share. */

/* Exactly one --category, known to the workspace; --format into *fmt. */
int cli_analysis_one_category(struct cli_ctx *ctx, const char *cmd,
			      struct cli_analysis *a, enum cli_format *fmt);

/*
 * cli_inputs_load, where a --cohort of counts per area is not loaded as
 * people: *counts is set to 1, the inputs are the areas' points and the
 * caller reads the counts with geo_demand_load (--where with such a
 * cohort is a usage error); 0 for a cohort of people or none.
 */
int cli_inputs_load_counts(struct cli_ctx *ctx, const char *cmd,
			   const struct cli_analysis *a, struct cli_inputs *in,
			   int *counts);

/*
 * The factor of population*NAME: 1/100 when indicator NAME is a
 * percentage (its unit, as the importers record it, is "percent" or
 * "%"), else 1 (a share 0-1, a percentile rank, a rate per person).
 */
int cli_indicator_scale(struct core_ws *ws, const char *name, double *scale,
			struct core_err *err);

/* ------------------------------------------------------------------ */
/* A stored run, made and ended as every analysis that stores one does. */

/*
 * One analysis run, stored in one transaction.  Start from { 0 } and
 * set params; cli_run_begin makes the run, the caller adds its values
 * (through w, which it may open with core_result_writer_new) and sets
 * summary, cli_run_commit ends it, and cli_run_release frees what is
 * held whatever happened.
 */
struct core_result_writer;
struct cli_run {
	int64_t id;		      /* set by cli_run_begin */
	struct json_object *params;   /* owned; stored by cli_run_begin */
	struct json_object *summary;  /* owned; stored by cli_run_commit */
	struct core_result_writer *w; /* owned, or NULL */
};

/*
 * Begin a transaction and create run analysis ("coverage", ...) with
 * r->params (as plain JSON text), level and cohort (either may be NULL)
 * into r->id.  Returns CORE_OK, or a code with ctx->err set and no
 * transaction left open.
 */
int cli_run_begin(struct cli_ctx *ctx, const char *analysis, const char *level,
		  const char *cohort, struct cli_run *r);

/*
 * Free r->w, store r->summary as the run's summary and commit.  Returns
 * CORE_OK, or a code with ctx->err set and the transaction rolled back.
 */
int cli_run_commit(struct cli_ctx *ctx, struct cli_run *r);

/* Free r->w, roll back the transaction if it is still open (a failure
 * between cli_run_begin and cli_run_commit), free params and summary.
 * r->id stays. */
void cli_run_release(struct cli_ctx *ctx, struct cli_run *r);

/* The note after a run is stored: "run N stored; see 'assetmap results
 * N' or 'assetmap export N -o FILE'" (suppressed by --quiet). */
void cli_run_stored_note(struct cli_ctx *ctx, int64_t run_id);

#endif
