/*
 * cli.h - the command table and what every command handler receives.
 *
 * assetmap [-d WORKSPACE] [--quiet] [--wait SECONDS] COMMAND [OPTIONS]
 *
 * Each command lives in cli/cmd_<name>.c and exports one handler.  main.c
 * parses the global options, finds the command in cli_commands[], answers
 * --help, opens the workspace when the command's flags ask for it, runs
 * the handler, then prints ctx->err and chooses the exit code: 0 ok,
 * 1 failed, 2 usage.
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

#include "core/core_err.h"
#include "core/core_ws.h"

#define ASSETMAP_VERSION "0.1.0"

enum cli_flags {
	CLI_NEEDS_WS = 1 << 0, /* open the workspace before running */
	CLI_WRITES = 1 << 1,   /* ... read-write */
	CLI_HIDDEN = 1 << 2,   /* not listed by 'assetmap help' */
	CLI_SUBHELP = 1 << 3   /* has sub-commands: answers --help itself,
				* with ctx->ws NULL */
};

struct cli_ctx {
	const char *ws_path; /* -d, $ASSETMAP_DB or assetmap.db */
	int quiet;	     /* --quiet: no progress, no summaries */
	int verbose;	     /* --verbose: every message of a kind, not
			      * the first and a count (cli_note_kind) */
	struct core_ws *ws;  /* opened by main when CLI_NEEDS_WS */
	struct core_err err; /* the handler's error, printed by main */
	FILE *out;	     /* where results go (stdout) */
};

struct cli_opt;

struct cli_cmd {
	const char *name;
	const char *summary; /* one line for 'assetmap help' */
	const char *help;    /* the whole of 'assetmap help NAME', or NULL
			      * when opts gives it */
	int (*run)(struct cli_ctx *ctx, int argc, char **argv);
	unsigned flags;
	const struct cli_opt *opts; /* the command's option table
				     * (cli_opt.h), whose help is the
				     * command's help; or NULL */
};

extern const struct cli_cmd cli_commands[];

const struct cli_cmd *cli_find(const char *name);

/* Set a usage error ("COMMAND: ...; see 'assetmap help COMMAND'"). */
int cli_usage(struct cli_ctx *ctx, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Informational line on stderr, suppressed by --quiet. */
void cli_note(struct cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Warning on stderr ("assetmap: warning: ..."), never suppressed. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Messages that can come many times over, one per category, row or line:
 * the first of each kind is printed (cli_note_kind as cli_note,
 * cli_warn_kind as cli_warn), the others only counted, unless
 * ctx->verbose, when every one is printed.  cli_kind_flush then says,
 * for each kind with messages not printed, "and N more KIND (--verbose
 * lists them)", KIND being the kind as given ("categories with assets
 * not placed on the network"), as a note or a warning like the messages;
 * main flushes what a command left.  At most 32 kinds at once; messages
 * of further kinds are printed.
 */
void cli_note_kind(struct cli_ctx *ctx, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cli_warn_kind(struct cli_ctx *ctx, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cli_kind_flush(struct cli_ctx *ctx);

/*
 * Handlers.  argv[0] is the command name; options follow.  Return
 * CORE_OK, or a code with ctx->err set.
 */
int cmd_init(struct cli_ctx *ctx, int argc, char **argv);
int cmd_info(struct cli_ctx *ctx, int argc, char **argv);
int cmd_categories(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import(struct cli_ctx *ctx, int argc, char **argv);
int cmd_sources(struct cli_ctx *ctx, int argc, char **argv);
int cmd_map(struct cli_ctx *ctx, int argc, char **argv);
int cmd_add(struct cli_ctx *ctx, int argc, char **argv);
/* the partnership register */
int cmd_partner(struct cli_ctx *ctx, int argc, char **argv);
int cmd_partners(struct cli_ctx *ctx, int argc, char **argv);
/* the analyses */
int cmd_nearest(struct cli_ctx *ctx, int argc, char **argv);
int cmd_coverage(struct cli_ctx *ctx, int argc, char **argv);
int cmd_standards(struct cli_ctx *ctx, int argc, char **argv);
int cmd_access(struct cli_ctx *ctx, int argc, char **argv);
int cmd_gaps(struct cli_ctx *ctx, int argc, char **argv);
int cmd_deserts(struct cli_ctx *ctx, int argc, char **argv);
int cmd_sites(struct cli_ctx *ctx, int argc, char **argv);
int cmd_recruit(struct cli_ctx *ctx, int argc, char **argv);
int cmd_near(struct cli_ctx *ctx, int argc, char **argv);
int cmd_results(struct cli_ctx *ctx, int argc, char **argv);
int cmd_export(struct cli_ctx *ctx, int argc, char **argv);
int cmd_geocode(struct cli_ctx *ctx, int argc, char **argv);

extern const char cmd_import_help[];
/* the map book */
int cmd_atlas(struct cli_ctx *ctx, int argc, char **argv);
/* the SDOH rainbow */
int cmd_rainbow(struct cli_ctx *ctx, int argc, char **argv);
/* the static web page */
int cmd_web(struct cli_ctx *ctx, int argc, char **argv);

#endif
