/*
 * cli_opt.h - a command's options declared in one table, after git's
 * parse-options: parsing, the --help text and every usage error come from
 * the same records, so that help cannot drift from parsing.
 *
 * A command declares
 *
 *   struct deserts_opts { struct cli_analysis a; double within; long top; };
 *
 *   static const struct cli_opt deserts_options[] = {
 *       CLI_OPT_TEXT("usage: assetmap deserts --category C --within D\n"
 *                    "\n" "Find the deserts of one category ...\n\n"),
 *       CLI_OPT_DISTANCE("within", 0, "D", struct deserts_opts, within,
 *                        "the distance, with its unit (500m, 2mi, 3km);\n"
 *                        "required"),
 *       CLI_OPT_INT("top", 0, "N", struct deserts_opts, top, 0, 1000000,
 *                   "pieces to list, largest first (default 10)"),
 *       CLI_OPT_INCLUDE(cli_analysis_options, struct deserts_opts, a),
 *       CLI_OPT_TEXT("\nexamples:\n  assetmap deserts ...\n"),
 *       CLI_OPT_END()};
 *
 * and calls cli_opt_parse(ctx, "deserts", deserts_options, &o, argc,
 * argv, NULL) with o holding the defaults.  The command's cli_cmd entry
 * points at the same table, and main prints cli_opt_help of it for
 * 'assetmap help deserts' and 'assetmap deserts --help'.
 *
 * Targets.  Each record names where its value goes as an offset into the
 * struct the caller passes as base (CLI_OPT_* macros take the struct type
 * and the member and use offsetof).  An included group's offset is that
 * of the group's own struct inside base; the group's records are offsets
 * into that struct.  Strings stored are borrowed from argv.
 *
 * Help layout.  The table is the whole help text, in order: TEXT records
 * print verbatim (the usage lines, a prologue, section headings, blank
 * lines, an epilogue), each option prints as "  -o, --name ARG" padded to
 * the help column (23 unless a CLI_OPT_COLUMN record sets another; each
 * table starts at 23) followed by its help; a label that reaches the
 * column puts the help on the next line (with CLI_OPT_SAMELINE: after two
 * spaces; CLI_OPT_ONESPACE: one).  A help line's '\n' starts a new line
 * indented to the column; the text is printed as written, not re-wrapped.  An
 * option's label may be given whole (label, e.g. "--formal, --informal");
 * CLI_OPT_HIDDEN keeps an option out of the help.  A command that words a
 * group's options its own way includes it with CLI_OPT_INCLUDE_QUIET and gives
 * CLI_OPT_HELP records; a record of the command's own, before the
 * include, takes the place of the group's of the same name.
 *
 * Parsing.  argv[0] is the command's name and is skipped.  Long options
 * as "--name value" or "--name=value", and any unambiguous prefix of a
 * name (as getopt_long allows); short options as "-o value", "-ovalue",
 * and flags grouped ("-ab").  "--" ends the options; "-" alone is an
 * argument.  Options and arguments may be mixed; the arguments keep their
 * order.  A repeated option: the last value wins, except LIST (items are
 * appended) and CALLBACK (called each time).
 *
 * Usage errors (set through cli_usage: "CMD: MESSAGE\n(see 'assetmap
 * help CMD')", CORE_EUSAGE, exit code 2):
 *   unknown option '--wthin'; did you mean '--within'?  (the hint when a
 *                                  name is at most 2 edits away)
 *   --within needs a value
 *   --within needs a value (got the option '--category')
 *   --medi-cal takes no value
 *   --top: '-1' is not a whole number from 0 to 1000000
 *   unexpected argument 'extra'     (when the caller takes no arguments)
 * and for a bad value the record's own message (bad, "%s" standing for
 * the value) after "--NAME: ", or the kind's default naming the option.
 */
#ifndef CLI_OPT_H
#define CLI_OPT_H

#include <stddef.h>
#include <stdio.h>

#include "cli/cli.h"

enum cli_opt_kind {
	CLI_OPT_KIND_END = 0,  /* ends a table */
	CLI_OPT_KIND_TEXT,     /* help text only, printed verbatim */
	CLI_OPT_KIND_COLUMN,   /* help column of the records after it */
	CLI_OPT_KIND_INCLUDE,  /* another table (a group), at base + off;
				* with CLI_OPT_HIDDEN its help is left out */
	CLI_OPT_KIND_HELP,     /* help only, laid out as an option's: for
				* options parsed by a hidden group */
	CLI_OPT_KIND_GETOPT,   /* the table's usage errors as getopt_long's
				* (see CLI_OPT_GETOPT) */
	CLI_OPT_KIND_FLAG,     /* no value: int = ival */
	CLI_OPT_KIND_STRING,   /* const char *, borrowed from argv */
	CLI_OPT_KIND_INT,      /* long in [min, max] */
	CLI_OPT_KIND_NUMBER,   /* double, finite, in [min, max] */
	CLI_OPT_KIND_DISTANCE, /* double metres, a number with its unit
				* (core_units_parse_distance): "2mi" */
	CLI_OPT_KIND_TIME,     /* double seconds, a number with its unit
				* (core_units_parse_time): "15min" */
	CLI_OPT_KIND_UNIT,     /* enum core_unit (core_units_parse) */
	CLI_OPT_KIND_CHOICE,   /* int = the value of the choice named; with
				* CLI_OPT_STORE_NAME a const char * = its
				* name */
	CLI_OPT_KIND_LIST,     /* struct cli_strv: comma-separated items,
				* blanks trimmed, appended, duplicates
				* dropped; repeatable */
	CLI_OPT_KIND_CALLBACK  /* cb(ctx, cmd, opt, value, base + off) */
};

enum cli_opt_flags {
	CLI_OPT_HIDDEN = 1 << 0,     /* parsed, not in the help */
	CLI_OPT_SAMELINE = 1 << 1,   /* a long label keeps its help on its
				      * line, after two spaces */
	CLI_OPT_STORE_NAME = 1 << 2, /* CHOICE: store the name, not value */
	CLI_OPT_NOARG = 1 << 3,	     /* CALLBACK: takes no value (the callback
				      * gets NULL) */
	CLI_OPT_NONEMPTY = 1 << 4,   /* STRING: "" is refused with "--NAME "
				      * and bad ("needs a value" if NULL) */
	CLI_OPT_WITH_TEXT = 1 << 5,  /* DISTANCE, TIME: the target is a
				      * struct cli_quantity, which keeps the
				      * text as given too */
	CLI_OPT_ONESPACE = 1 << 6,   /* as SAMELINE, after one space */
	CLI_OPT_OPTNUM = 1 << 7,     /* CALLBACK: the value is optional:
				      * "--name=VALUE", or the next argument
				      * when it is a whole number ("3",
				      * "-3"); else the callback gets NULL */
	CLI_OPT_OPTWORD = 1 << 8     /* CALLBACK: the value is optional:
				      * "--name=VALUE", or the next argument
				      * when it does not begin with '-'; else
				      * the callback gets NULL.  For commands
				      * that take no arguments, where a word
				      * after the option can be nothing
				      * else */
};

/* A distance or time with the text it was given as ("2mi"), for notes
 * that quote the user. */
struct cli_quantity {
	double value;	  /* metres or seconds */
	const char *text; /* borrowed from argv, or the caller's default */
};

/* One choice of a CHOICE option; a list ends with a NULL name. */
struct cli_opt_choice {
	const char *name;
	int value;
};

/* The target of a LIST option: n owned strings.  Start from { 0 };
 * free with cli_strv_release. */
struct cli_strv {
	char **v;
	size_t n;
};

void cli_strv_release(struct cli_strv *s);

struct cli_opt;

/*
 * A CALLBACK option's parser: value (borrowed from argv; NULL for a
 * CLI_OPT_NOARG option) into target (base + the record's offset).
 * Returns CORE_OK, or CORE_EUSAGE after cli_usage(ctx, cmd, ...) naming
 * the option.
 */
typedef int (*cli_opt_cb)(struct cli_ctx *ctx, const char *cmd,
			  const struct cli_opt *opt, const char *value,
			  void *target);

struct cli_opt {
	enum cli_opt_kind kind;
	const char *name;  /* long name without "--"; NULL: none */
	char short_name;   /* 0: none */
	const char *argh;  /* the value's placeholder in the help ("D") */
	size_t off;	   /* target: offset into base */
	const char *help;  /* help text (TEXT: the verbatim text) */
	unsigned flags;	   /* enum cli_opt_flags */
	const char *label; /* the help's label, whole, instead of
			    * "-o, --name ARG"; NULL: generated */
	const char *bad;   /* bad-value message after "--NAME: ", "%s"
			    * standing for the value; NULL: the kind's */
	long ival;	   /* FLAG: the value stored; COLUMN: the column */
	double min, max;   /* INT, NUMBER: the range */
	const struct cli_opt_choice *choices; /* CHOICE */
	const struct cli_opt *group;	      /* INCLUDE */
	cli_opt_cb cb;			      /* CALLBACK */
};

/* Records.  T is the target struct's type, F the member. */
#define CLI_OPT_END()                                                          \
	{                                                                      \
		CLI_OPT_KIND_END, NULL, 0, NULL, 0, NULL, 0, NULL, NULL, 0, 0, \
		    0, NULL, NULL, NULL                                        \
	}
#define CLI_OPT_TEXT(text)                                                     \
	{                                                                      \
		CLI_OPT_KIND_TEXT, NULL, 0, NULL, 0, text, 0, NULL, NULL, 0,   \
		    0, 0, NULL, NULL, NULL                                     \
	}
#define CLI_OPT_COLUMN(col)                                                    \
	{                                                                      \
		CLI_OPT_KIND_COLUMN, NULL, 0, NULL, 0, NULL, 0, NULL, NULL,    \
		    col, 0, 0, NULL, NULL, NULL                                \
	}
/* An option's help line whose parsing is elsewhere (in a group included
 * with CLI_OPT_INCLUDE_QUIET, where a command words the group's options
 * its own way). */
#define CLI_OPT_HELP(label, flags, help)                                       \
	{                                                                      \
		CLI_OPT_KIND_HELP, NULL, 0, NULL, 0, help, flags, label, NULL, \
		    0, 0, 0, NULL, NULL, NULL                                  \
	}
/*
 * In a command's own table (not in a group): its usage errors are worded
 * as the getopt_long loop it replaced worded them, so that they stay
 * byte-identical but for the "did you mean" hint an unknown option gets.
 * Two differences from the usual ones:
 *   - "--name=--other", naming an option of the table as the value, is a
 *     missing value ("--name needs a value (got the option '--other')"),
 *     as "--name --other" is;
 *   - an unknown option letter that is not the last of its group ("-xy")
 *     is named by the last argument before the group that is not an
 *     option ("unknown option 'FILE'"), or by the argument just before
 *     the group when there is none, where getopt's argv[optind - 1]
 *     pointed.
 * No help, no target.
 */
#define CLI_OPT_GETOPT()                                                       \
	{                                                                      \
		CLI_OPT_KIND_GETOPT, NULL, 0, NULL, 0, NULL, CLI_OPT_HIDDEN,   \
		    NULL, NULL, 0, 0, 0, NULL, NULL, NULL                      \
	}
/* A group parsed, its help left out. */
#define CLI_OPT_INCLUDE_QUIET(tbl, T, F)                                       \
	{                                                                      \
		CLI_OPT_KIND_INCLUDE, NULL, 0, NULL, offsetof(T, F), NULL,     \
		    CLI_OPT_HIDDEN, NULL, NULL, 0, 0, 0, NULL, tbl, NULL       \
	}
#define CLI_OPT_INCLUDE(tbl, T, F)                                             \
	{                                                                      \
		CLI_OPT_KIND_INCLUDE, NULL, 0, NULL, offsetof(T, F), NULL, 0,  \
		    NULL, NULL, 0, 0, 0, NULL, tbl, NULL                       \
	}
/* The generic record, for flags, labels and messages the short forms
 * below do not take. */
#define CLI_OPT_FULL(kind, name, sh, argh, T, F, help, flags, label, bad,      \
		     ival, min, max, choices, cb)                              \
	{                                                                      \
		kind, name, sh, argh, offsetof(T, F), help, flags, label, bad, \
		    ival, min, max, choices, NULL, cb                          \
	}
#define CLI_OPT_FLAG(name, sh, T, F, val, help)                                \
	CLI_OPT_FULL(CLI_OPT_KIND_FLAG, name, sh, NULL, T, F, help, 0, NULL,   \
		     NULL, val, 0, 0, NULL, NULL)
#define CLI_OPT_STRING(name, sh, argh, T, F, help)                             \
	CLI_OPT_FULL(CLI_OPT_KIND_STRING, name, sh, argh, T, F, help, 0, NULL, \
		     NULL, 0, 0, 0, NULL, NULL)
#define CLI_OPT_INT(name, sh, argh, T, F, lo, hi, help)                        \
	CLI_OPT_FULL(CLI_OPT_KIND_INT, name, sh, argh, T, F, help, 0, NULL,    \
		     NULL, 0, lo, hi, NULL, NULL)
#define CLI_OPT_NUMBER(name, sh, argh, T, F, lo, hi, help)                     \
	CLI_OPT_FULL(CLI_OPT_KIND_NUMBER, name, sh, argh, T, F, help, 0, NULL, \
		     NULL, 0, lo, hi, NULL, NULL)
#define CLI_OPT_DISTANCE(name, sh, argh, T, F, help)                           \
	CLI_OPT_FULL(CLI_OPT_KIND_DISTANCE, name, sh, argh, T, F, help, 0,     \
		     NULL, NULL, 0, 0, 0, NULL, NULL)
#define CLI_OPT_DISTANCE_TEXT(name, sh, argh, T, F, help)                      \
	CLI_OPT_FULL(CLI_OPT_KIND_DISTANCE, name, sh, argh, T, F, help,        \
		     CLI_OPT_WITH_TEXT, NULL, NULL, 0, 0, 0, NULL, NULL)
#define CLI_OPT_TIME(name, sh, argh, T, F, help)                               \
	CLI_OPT_FULL(CLI_OPT_KIND_TIME, name, sh, argh, T, F, help, 0, NULL,   \
		     NULL, 0, 0, 0, NULL, NULL)
#define CLI_OPT_UNIT(name, sh, argh, T, F, help)                               \
	CLI_OPT_FULL(CLI_OPT_KIND_UNIT, name, sh, argh, T, F, help, 0, NULL,   \
		     NULL, 0, 0, 0, NULL, NULL)
#define CLI_OPT_CHOICE(name, sh, argh, T, F, choices, help)                    \
	CLI_OPT_FULL(CLI_OPT_KIND_CHOICE, name, sh, argh, T, F, help, 0, NULL, \
		     NULL, 0, 0, 0, choices, NULL)
#define CLI_OPT_LIST(name, sh, argh, T, F, help)                               \
	CLI_OPT_FULL(CLI_OPT_KIND_LIST, name, sh, argh, T, F, help, 0, NULL,   \
		     NULL, 0, 0, 0, NULL, NULL)
#define CLI_OPT_CALLBACK(name, sh, argh, T, F, cb, help)                       \
	CLI_OPT_FULL(CLI_OPT_KIND_CALLBACK, name, sh, argh, T, F, help, 0,     \
		     NULL, NULL, 0, 0, 0, NULL, cb)

/*
 * Parse argv[1..argc-1] by opts into base.  The arguments that are not
 * options go, in order, to argv[1..*nargs] (argv[0] is kept); with nargs
 * NULL the command takes none and the first is the usage error
 * "unexpected argument 'X'".  Returns CORE_OK, or CORE_EUSAGE with
 * ctx->err set (see the top of this file).  Values already stored stay
 * stored when a later one fails; LIST storage is the caller's to release
 * whatever this returns.
 */
int cli_opt_parse(struct cli_ctx *ctx, const char *cmd,
		  const struct cli_opt *opts, void *base, int argc, char **argv,
		  int *nargs);

/*
 * Store value (NULL for an option that takes none) into base through the
 * record of opts named name, as cli_opt_parse would for "--name value";
 * for callers that read their arguments some other way.  Returns CORE_OK,
 * or CORE_EUSAGE with ctx->err set (also when opts has no such record).
 */
int cli_opt_apply(struct cli_ctx *ctx, const char *cmd,
		  const struct cli_opt *opts, void *base, const char *name,
		  const char *value);

/* Print the help of opts (TEXT records verbatim, options laid out as
 * described above, included groups in place) to out. */
void cli_opt_help(const struct cli_opt *opts, FILE *out);

/* The help of opts as a string (owned by the caller; free()). */
char *cli_opt_help_dup(const struct cli_opt *opts);

/* The record of opts (included groups searched) whose long name is name,
 * or NULL. */
const struct cli_opt *cli_opt_find(const struct cli_opt *opts,
				   const char *name);

/*
 * For a "did you mean": the word of words (ending with NULL) nearest
 * value, compared without case: one that value begins (at least two
 * letters of it), else one at most a third of value's letters away
 * (Levenshtein, at least one edit); NULL when none is that near.  The
 * pointer returned is one of words.
 */
const char *cli_opt_nearest_word(const char *value, const char *const *words);

/* The option tables of the commands that declare theirs (their cli_cmd
 * entries point at them; their help is the command's help). */
extern const struct cli_opt cmd_deserts_options[];
extern const struct cli_opt cmd_coverage_options[];
extern const struct cli_opt cmd_standards_options[];
extern const struct cli_opt cmd_map_options[];
extern const struct cli_opt cmd_init_options[];
extern const struct cli_opt cmd_info_options[];
extern const struct cli_opt cmd_categories_options[];
extern const struct cli_opt cmd_sources_options[];
extern const struct cli_opt cmd_rainbow_options[];
extern const struct cli_opt cmd_web_options[];
extern const struct cli_opt cmd_results_options[];
extern const struct cli_opt cmd_near_options[];
extern const struct cli_opt cmd_access_options[];
extern const struct cli_opt cmd_gaps_options[];
extern const struct cli_opt cmd_atlas_options[];
extern const struct cli_opt cmd_add_options[];
extern const struct cli_opt cmd_export_options[];
extern const struct cli_opt cmd_nearest_options[];
extern const struct cli_opt cmd_sites_options[];
extern const struct cli_opt cmd_recruit_options[];
extern const struct cli_opt cmd_geocode_options[];
extern const struct cli_opt cmd_partner_options[];
extern const struct cli_opt cmd_partners_options[];

#endif
