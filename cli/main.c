/*
 * main.c - global options, the command table, help, and exit codes.
 */
#include <errno.h>
#include <gdal.h>
#include <proj.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "core/core_mem.h"
#include "core/core_out.h"
#include "core/core_privacy.h"
#include "core/core_progress.h"
#include "core/core_taxonomy.h"

static const char cmd_help_help[] =
    "usage: assetmap help [COMMAND]\n"
    "\n"
    "List the commands, or show the full help of one.  'assetmap COMMAND\n"
    "--help' shows the same.\n";

static const char cmd_version_help[] =
    "usage: assetmap version\n"
    "\n"
    "Print assetmap's version and the versions of the libraries it uses.\n";

static int cmd_help(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_version(struct cli_ctx *ctx, int argc, char **argv);

const struct cli_cmd cli_commands[] = {
    {"init", "create a workspace", NULL, cmd_init, 0, cmd_init_options},
    {"info", "summarise what a workspace holds", NULL, cmd_info, CLI_NEEDS_WS,
     cmd_info_options},
    {"categories", "list service categories and Medi-Cal Community Supports",
     NULL, cmd_categories, CLI_NEEDS_WS, cmd_categories_options},
    {"import", "import assets, areas, indicators, cohorts from files",
     cmd_import_help, cmd_import, CLI_NEEDS_WS | CLI_WRITES | CLI_SUBHELP,
     NULL},
    {"add", "add an informal asset by hand", NULL, cmd_add,
     CLI_NEEDS_WS | CLI_WRITES, cmd_add_options},
    {"partner", "change a partner's entry in the partnership register", NULL,
     cmd_partner, CLI_NEEDS_WS | CLI_WRITES, cmd_partner_options},
    {"partners", "print the partnership register or its history", NULL,
     cmd_partners, CLI_NEEDS_WS, cmd_partners_options},
    {"sources", "list imported files and what was accepted or rejected", NULL,
     cmd_sources, CLI_NEEDS_WS, cmd_sources_options},
    {"map", "draw a map to PNG, PDF or SVG", NULL, cmd_map, CLI_NEEDS_WS,
     cmd_map_options},
    {"atlas", "a map book: unmet-need ranking, a map and table per category",
     NULL, cmd_atlas, CLI_NEEDS_WS | CLI_WRITES, cmd_atlas_options},
    {"rainbow", "a chart of partners against the five SDOH domains", NULL,
     cmd_rainbow, CLI_NEEDS_WS, cmd_rainbow_options},
    {"web", "write the directory as a static web page (Leaflet)", NULL, cmd_web,
     CLI_NEEDS_WS, cmd_web_options},
    {"nearest", "distance to the nearest asset of each category", NULL,
     cmd_nearest, CLI_NEEDS_WS | CLI_WRITES, cmd_nearest_options},
    {"coverage", "share of people within a distance of each category", NULL,
     cmd_coverage, CLI_NEEDS_WS | CLI_WRITES, cmd_coverage_options},
    {"access", "floating catchment access scores per area (2SFCA ...)", NULL,
     cmd_access, CLI_NEEDS_WS | CLI_WRITES, cmd_access_options},
    {"near", "find referral partners near a place or an asset", NULL, cmd_near,
     CLI_NEEDS_WS, cmd_near_options},
    {"gaps", "rank unmet need: people beyond reach, need against access", NULL,
     cmd_gaps, CLI_NEEDS_WS | CLI_WRITES, cmd_gaps_options},
    {"standards", "share of people meeting a time-or-distance standard", NULL,
     cmd_standards, CLI_NEEDS_WS | CLI_WRITES, cmd_standards_options},
    {"deserts", "places farther than a distance from every asset of a category",
     NULL, cmd_deserts, CLI_NEEDS_WS | CLI_WRITES, cmd_deserts_options},
    {"sites", "where K new sites would reach the most people out of reach",
     NULL, cmd_sites, CLI_NEEDS_WS | CLI_WRITES, cmd_sites_options},
    {"recruit", "which new partners would cover the most people left out", NULL,
     cmd_recruit, CLI_NEEDS_WS | CLI_WRITES, cmd_recruit_options},
    {"results", "list analysis runs, show or delete one", NULL, cmd_results,
     CLI_NEEDS_WS | CLI_WRITES, cmd_results_options},
    {"export", "write a run's results to CSV, GeoJSON or GPKG", NULL,
     cmd_export, CLI_NEEDS_WS, cmd_export_options},
    {"geocode", "place a file of addresses offline: lon, lat, level, score",
     NULL, cmd_geocode, CLI_NEEDS_WS, cmd_geocode_options},
    {"help", "show help for a command", cmd_help_help, cmd_help, 0, NULL},
    {"version", "print version information", cmd_version_help, cmd_version, 0,
     NULL},
    {NULL, NULL, NULL, NULL, 0, NULL}};

static const char usage_head[] =
    "usage: assetmap [-d WORKSPACE] [--quiet|--verbose] [--wait SECONDS]\n"
    "                COMMAND [OPTIONS]\n"
    "\n"
    "Map where community help is, where it is missing, and who is left out.\n"
    "\n"
    "global options:\n"
    "  -d, --workspace FILE  the workspace (default $ASSETMAP_DB or "
    "assetmap.db)\n"
    "  -q, --quiet           no progress bars or summaries on stderr\n"
    "  -v, --verbose         list every message of a kind (each category,\n"
    "                        row or line), not the first and a count\n"
    "      --wait SECONDS    while another process writes to the workspace,\n"
    "                        wait this long for it (default $ASSETMAP_WAIT or\n"
    "                        600; 0 fails at once)\n"
    "  -h, --help            this help\n"
    "      --version         print the version\n"
    "\n"
    "commands:\n";

const struct cli_cmd *cli_find(const char *name)
{
	const struct cli_cmd *c;

	for (c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* The command nearest name for a "did you mean" (hidden ones too: a
 * user who typed one knows it), or NULL. */
static const char *near_command(const char *name)
{
	const char *words[sizeof(cli_commands) / sizeof(cli_commands[0])];
	size_t n = 0;
	const struct cli_cmd *c;

	for (c = cli_commands; c->name; c++)
		words[n++] = c->name;
	words[n] = NULL;
	return cli_opt_nearest_word(name, words);
}

/* A workspace of an earlier version keeps the key of its hashed ids
 * inside, and the names of its cohorts' files: the first command that
 * writes moves the key out to a key file and drops the names. */
static void move_salt(struct cli_ctx *ctx)
{
	struct core_err err = CORE_ERR_INIT;
	char *note = NULL;

	int64_t n = 0;

	if (core_privacy_salt_move(ctx->ws, &note, &err))
		cli_warn("%s; it stays in the workspace for now", err.msg);
	else if (note)
		fprintf(stderr, "assetmap: %s\n", note);
	free(note);
	/* and the names of cohorts' files it stored */
	core_err_clear(&err);
	if (core_privacy_scrub_files(ctx->ws, &n, &err))
		cli_warn("%s", err.msg);
	else if (n)
		fprintf(stderr, "assetmap: the workspace no longer holds the "
				"names of the files cohorts were imported "
				"from; it names cohorts by their names\n");
}

/* A command's whole help: from its option table, or its text. */
static void command_help(const struct cli_cmd *c, FILE *out)
{
	if (c->opts)
		cli_opt_help(c->opts, out);
	else
		fputs(c->help, out);
}

static void list_commands(FILE *out)
{
	const struct cli_cmd *c;

	fputs(usage_head, out);
	for (c = cli_commands; c->name; c++)
		if (!(c->flags & CLI_HIDDEN))
			fprintf(out, "  %-12s %s\n", c->name, c->summary);
	fputs("\nRun 'assetmap help COMMAND' for a command's options.\n", out);
}

static int cmd_help(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_cmd *c;

	if (argc < 2) {
		list_commands(ctx->out);
		return CORE_OK;
	}
	c = cli_find(argv[1]);
	if (!c && near_command(argv[1]))
		return cli_usage(ctx, "help",
				 "'%s' is not a command; did you mean '%s'?",
				 argv[1], near_command(argv[1]));
	if (!c)
		return cli_usage(
		    ctx, "help",
		    "'%s' is not a command; 'assetmap help' lists them",
		    argv[1]);
	if (argc <= 3 && (c->flags & CLI_SUBHELP)) {
		char *sub[3];
		sub[0] = argv[1];
		sub[1] = argc == 3 ? argv[2] : (char *)"--help";
		sub[2] = (char *)"--help";
		return c->run(ctx, argc == 3 ? 3 : 2, sub);
	}
	if (argc > 2)
		return cli_usage(ctx, "help",
				 "expected one command name, got %d", argc - 1);
	command_help(c, ctx->out);
	return CORE_OK;
}

static int cmd_version(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(ctx, "version", "takes no arguments");
	fprintf(ctx->out,
		"assetmap %s\n"
		"GDAL %s, PROJ %d.%d.%d, SQLite %s\n",
		ASSETMAP_VERSION, GDALVersionInfo("RELEASE_NAME"),
		PROJ_VERSION_MAJOR, PROJ_VERSION_MINOR, PROJ_VERSION_PATCH,
		sqlite3_libversion());
	return CORE_OK;
}

static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

/* "--wait" and $ASSETMAP_WAIT: whole seconds, 0 to a day. */
static int parse_wait(const char *what, const char *v, int *ms)
{
	char *end;
	long s;

	errno = 0;
	s = strtol(v, &end, 10);
	if (end == v || *end || errno || s < 0 || s > 86400) {
		fprintf(stderr,
			"assetmap: %s: '%s' is not a number of seconds from 0 "
			"to 86400\n(see 'assetmap help')\n",
			what, v);
		return -1;
	}
	*ms = (int)s * 1000;
	return 0;
}

/* The workspace's notices (waiting for a writer, a write rolled back)
 * on stderr, even with --quiet: they explain a pause or a change. */
static void ws_notice(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "assetmap: %s\n", msg);
	fflush(stderr);
}

/* The command line after the global options, for other processes that
 * wait for this one: "import assets food.csv". */
static char *describe_command(int argc, char **argv)
{
	struct core_buf b = CORE_BUF_INIT;
	int i;

	for (i = 0; i < argc && b.len < 200; i++)
		core_buf_addf(&b, "%s%s", i ? " " : "", argv[i]);
	return core_buf_detach(&b);
}

static void teardown(void)
{
	GDALDestroy();
	proj_cleanup();
	core_ws_shutdown();
}

/* assetmap [-d WORKSPACE] [--quiet] [--wait SECONDS] COMMAND [OPTIONS]:
 * read the global options (and $ASSETMAP_WAIT), find the command, answer
 * -h/--help, --version and a command's --help, open the workspace when
 * the command's flags ask for it, run the handler, then close and tear
 * the libraries down.  Prints the handler's error (ctx.err) on stderr:
 * "assetmap: error: MESSAGE", or "assetmap: MESSAGE" for a usage error.
 * Exits 0 on success, 2 on a usage error, 1 on any other failure,
 * including a failed write of the output. */
int main(int argc, char **argv)
{
	struct cli_ctx ctx;
	struct core_ws_opts wo = {-1, NULL, ws_notice, NULL,
				  core_taxonomy_seed};
	const struct cli_cmd *cmd;
	char *what = NULL;
	const char *env;
	int i, rc, code;

	/* Over a file-size limit a write fails with EFBIG, which we report,
	 * instead of killing the process without a word. */
	signal(SIGXFSZ, SIG_IGN);
	core_ws_log_start();
	memset(&ctx, 0, sizeof(ctx));
	ctx.out = stdout;
	ctx.ws_path = core_ws_default_path();
	env = getenv("ASSETMAP_WAIT");
	if (env && *env && parse_wait("ASSETMAP_WAIT", env, &wo.wait_ms))
		return 2;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-d") == 0 || strcmp(a, "--workspace") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr,
					"assetmap: %s needs a file name\n", a);
				return 2;
			}
			ctx.ws_path = argv[++i];
		} else if (strncmp(a, "--workspace=", 12) == 0) {
			ctx.ws_path = a + 12;
		} else if (strcmp(a, "--wait") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "assetmap: --wait needs a "
						"number of seconds\n");
				return 2;
			}
			if (parse_wait("--wait", argv[++i], &wo.wait_ms))
				return 2;
		} else if (strncmp(a, "--wait=", 7) == 0) {
			if (parse_wait("--wait", a + 7, &wo.wait_ms))
				return 2;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			ctx.quiet = 1;
		} else if (strcmp(a, "-v") == 0 ||
			   strcmp(a, "--verbose") == 0) {
			ctx.verbose = 1;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			list_commands(stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("assetmap %s\n", ASSETMAP_VERSION);
			return 0;
		} else {
			static const char *const globals[] = {
			    "--workspace", "--quiet",	"--wait", "--help",
			    "--version",   "--verbose", NULL};
			const char *near =
			    a[1] == '-' ? cli_opt_nearest_word(a, globals)
					: NULL;

			if (near)
				fprintf(stderr,
					"assetmap: unknown option '%s'; did "
					"you mean '%s'?\n(see 'assetmap "
					"help')\n",
					a, near);
			else
				fprintf(stderr,
					"assetmap: unknown option '%s'\n(see "
					"'assetmap help')\n",
					a);
			return 2;
		}
	}
	if (i >= argc) {
		list_commands(stderr);
		return 2;
	}
	cmd = cli_find(argv[i]);
	if (!cmd) {
		const char *near = near_command(argv[i]);

		if (near)
			fprintf(stderr,
				"assetmap: '%s' is not a command; did you "
				"mean '%s'?\n(see 'assetmap help')\n",
				argv[i], near);
		else
			fprintf(stderr,
				"assetmap: '%s' is not a command\n(see "
				"'assetmap help')\n",
				argv[i]);
		return 2;
	}
	argc -= i;
	argv += i;
	if (wants_help(argc, argv)) {
		if (!(cmd->flags & CLI_SUBHELP)) {
			command_help(cmd, stdout);
			return 0;
		}
		/* sub-command help: the command answers, with no workspace */
		rc = cmd->run(&ctx, argc, argv);
		teardown();
		if (rc == CORE_OK)
			return 0;
		fprintf(stderr, "assetmap: %s\n", ctx.err.msg);
		return rc == CORE_EUSAGE ? 2 : 1;
	}
	core_progress_set_quiet(ctx.quiet);

	rc = CORE_OK;
	what = describe_command(argc, argv);
	wo.command = what;
	if (cmd->flags & CLI_NEEDS_WS)
		rc = core_ws_open_with(ctx.ws_path,
				       (cmd->flags & CLI_WRITES) ? CORE_WS_WRITE
								 : CORE_WS_READ,
				       &wo, &ctx.ws, &ctx.err);
	if (rc == CORE_OK && (cmd->flags & CLI_WRITES))
		move_salt(&ctx);
	if (rc == CORE_OK)
		rc = cmd->run(&ctx, argc, argv);
	cli_kind_flush(&ctx);
	if (cli_text_finish())
		cli_warn("the workspace holds text that is not UTF-8 (from an "
			 "import by an older version?); the output has the "
			 "character U+FFFD in its place; import the source "
			 "again to store it right");
	/* A damaged workspace, or a database error met while checking a
	 * value, is the real cause of whatever failed. */
	rc = core_ws_explain(ctx.ws, rc, &ctx.err);
	core_ws_close(ctx.ws);
	free(what);
	teardown();

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		char why[256];

		if (rc == CORE_OK)
			core_err_set(&ctx.err, CORE_EIO,
				     "cannot write the output: %s",
				     core_out_strerror(errno ? errno : EIO, why,
						       sizeof(why)));
		rc = CORE_EIO;
	}
	if (rc == CORE_OK)
		return 0;
	if (!ctx.err.msg[0])
		core_err_set(&ctx.err, rc, "%s failed", cmd->name);
	fprintf(stderr, "assetmap: %s%s\n",
		rc == CORE_EUSAGE ? "" : "error: ", ctx.err.msg);
	code = rc == CORE_EUSAGE ? 2 : 1;
	return code;
}
