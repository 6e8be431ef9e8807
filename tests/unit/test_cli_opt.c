/*
 * test_cli_opt.c - the table-driven option parser: every argument kind,
 * units, usage errors, groups, and the help made from the same table.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_analysis.h"
#include "cli/cli_import.h"
#include "cli/cli_opt.h"
#include "core/core_units.h"
#include "testlib.h"

/* A group, included at a non-zero offset. */
struct grp {
	int verbose;
	const char *tag;
};

#define G struct grp
static const struct cli_opt grp_options[] = {
    CLI_OPT_TEXT("group:\n"),
    CLI_OPT_FLAG("verbose", 'v', G, verbose, 1, "say more"),
    CLI_OPT_STRING("tag", 0, "T", G, tag, "a tag"), CLI_OPT_END()};
#undef G

struct opts {
	int flag, quiet, color;
	const char *name, *out, *color_name;
	long n;
	double x, dist, secs;
	enum core_unit units;
	struct cli_strv list;
	int calls;
	struct grp g;
};

static int count_cb(struct cli_ctx *ctx, const char *cmd,
		    const struct cli_opt *opt, const char *value, void *target)
{
	(void)opt;
	if (value && strcmp(value, "bad") == 0)
		return cli_usage(ctx, cmd, "--count: '%s' is bad", value);
	(*(int *)target)++;
	return CORE_OK;
}

static const struct cli_opt_choice colors[] = {
    {"red", 1}, {"green", 2}, {"blue", 3}, {NULL, 0}};

#define O struct opts
static const struct cli_opt test_options[] = {
    CLI_OPT_TEXT("usage: assetmap t [OPTIONS] [ARG...]\n\n"),
    CLI_OPT_FLAG("flag", 'f', O, flag, 1, "a flag"),
    CLI_OPT_FLAG("quiet", 'q', O, quiet, 1, "another flag"),
    CLI_OPT_STRING("name", 0, "NAME", O, name, "a name\nover two lines"),
    CLI_OPT_STRING("output", 'o', "FILE", O, out, "the output"),
    CLI_OPT_INT("n", 0, "N", O, n, 1, 100, "a whole number"),
    CLI_OPT_NUMBER("x", 0, "X", O, x, 0, 1, "a number"),
    CLI_OPT_DISTANCE("within", 0, "D", O, dist, "a distance"),
    CLI_OPT_TIME("max-time", 0, "T", O, secs, "a time"),
    CLI_OPT_UNIT("units", 0, "U", O, units, "units"),
    CLI_OPT_CHOICE("color", 0, "C", O, color, colors, "a colour"),
    CLI_OPT_FULL(CLI_OPT_KIND_CHOICE, "color-name", 0, "C", O, color_name,
		 "a colour, by name", CLI_OPT_STORE_NAME, NULL,
		 "'%s' is no colour I know", 0, 0, 0, colors, NULL),
    CLI_OPT_LIST("item", 0, "I[,I...]", O, list, "items"),
    CLI_OPT_CALLBACK("count", 0, "V", O, calls, count_cb, "counted"),
    CLI_OPT_FULL(CLI_OPT_KIND_CALLBACK, "tick", 0, NULL, O, calls, "ticks",
		 CLI_OPT_NOARG, NULL, NULL, 0, 0, 0, NULL, count_cb),
    CLI_OPT_FULL(CLI_OPT_KIND_FLAG, "secret", 0, NULL, O, flag, NULL,
		 CLI_OPT_HIDDEN, NULL, NULL, 2, 0, 0, NULL, NULL),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(grp_options, O, g),
    CLI_OPT_END()};
#undef O

static void init(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->n = -1;
	o->x = NAN;
	o->dist = NAN;
	o->secs = NAN;
	o->units = CORE_UNIT_MI;
}

/* Parse the words of line (split on blanks) into o; *nargs, when not
 * NULL, gets the arguments, the words are left in words[]. */
static char *words[32];
static char wordbuf[1024];

static int split(const char *line)
{
	int argc = 0;
	char *p;

	snprintf(wordbuf, sizeof(wordbuf), "t %s", line);
	for (p = strtok(wordbuf, " "); p && argc < 31; p = strtok(NULL, " "))
		words[argc++] = p;
	words[argc] = NULL;
	return argc;
}

static int parse(struct cli_ctx *ctx, struct opts *o, const char *line,
		 int *nargs)
{
	int argc = split(line);

	core_err_clear(&ctx->err);
	return cli_opt_parse(ctx, "t", test_options, o, argc, words, nargs);
}

static void test_kinds(void)
{
	struct cli_ctx ctx = {0};
	struct opts o;
	int n = -1;

	init(&o);
	CHECK_INT(parse(&ctx, &o,
			"--flag --name Ana -o out.png --n 42 --x 0.5 "
			"--within 2mi --max-time 15min --units km --color "
			"green --color-name blue --item a,b --count 1 --tick "
			"--verbose --tag t1",
			&n),
		  CORE_OK);
	CHECK_INT(n, 0);
	CHECK_INT(o.flag, 1);
	CHECK_STR(o.name, "Ana");
	CHECK_STR(o.out, "out.png");
	CHECK_INT(o.n, 42);
	CHECK(o.x == 0.5);
	CHECK(fabs(o.dist - 2 * CORE_M_PER_MI) < 1e-9);
	CHECK(o.secs == 900);
	CHECK_INT(o.units, CORE_UNIT_KM);
	CHECK_INT(o.color, 2);
	CHECK_STR(o.color_name, "blue");
	CHECK_INT(o.list.n, 2);
	CHECK_STR(o.list.v[0], "a");
	CHECK_STR(o.list.v[1], "b");
	CHECK_INT(o.calls, 2);
	CHECK_INT(o.g.verbose, 1);
	CHECK_STR(o.g.tag, "t1");
	CHECK_INT(o.quiet, 0);
	cli_strv_release(&o.list);
}

static void test_units(void)
{
	struct cli_ctx ctx = {0};
	struct opts o;

	init(&o);
	CHECK_INT(parse(&ctx, &o, "--within 800m", NULL), CORE_OK);
	CHECK(o.dist == 800);
	CHECK_INT(parse(&ctx, &o, "--within=3km", NULL), CORE_OK);
	CHECK(o.dist == 3000);
	CHECK_INT(parse(&ctx, &o, "--max-time 1h", NULL), CORE_OK);
	CHECK(o.secs == 3600);
	CHECK_INT(parse(&ctx, &o, "--max-time 90s", NULL), CORE_OK);
	CHECK(o.secs == 90);
	CHECK_INT(parse(&ctx, &o, "--within 2", NULL), CORE_EUSAGE);
	CHECK_STR(ctx.err.msg, "t: --within: '2' has no unit; write 2m, 2mi "
			       "or 2km\n(see 'assetmap help t')");
	CHECK_INT(parse(&ctx, &o, "--max-time 15", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "--max-time: '15' has no unit");
	CHECK_INT(parse(&ctx, &o, "--max-time 15parsecs", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "unknown unit 'parsecs'");
	CHECK_INT(parse(&ctx, &o, "--units furlongs", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "'furlongs' is not a unit");
}

static void test_errors(void)
{
	struct cli_ctx ctx = {0};
	struct opts o;

	init(&o);
	CHECK_INT(parse(&ctx, &o, "--wthin 1mi", NULL), CORE_EUSAGE);
	CHECK_STR(ctx.err.msg, "t: unknown option '--wthin'; did you mean "
			       "'--within'?\n(see 'assetmap help t')");
	CHECK_INT(parse(&ctx, &o, "--frobnicate", NULL), CORE_EUSAGE);
	CHECK_STR(ctx.err.msg,
		  "t: unknown option '--frobnicate'\n(see 'assetmap help t')");
	CHECK_INT(parse(&ctx, &o, "-z", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "unknown option '-z'");
	/* missing values */
	CHECK_INT(parse(&ctx, &o, "--within", NULL), CORE_EUSAGE);
	CHECK_STR(ctx.err.msg,
		  "t: --within needs a value\n(see 'assetmap help t')");
	CHECK_INT(parse(&ctx, &o, "--within --n 3", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg,
		       "--within needs a value (got the option '--n')");
	CHECK_INT(parse(&ctx, &o, "-o", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "-o needs a value");
	/* a value given to a flag */
	CHECK_INT(parse(&ctx, &o, "--flag=yes", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "--flag takes no value");
	/* bad values name the option */
	CHECK_INT(parse(&ctx, &o, "--n 101", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg,
		       "t: --n: '101' is not a whole number from 1 to 100");
	CHECK_INT(parse(&ctx, &o, "--n 3x", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "--n: '3x' is not a whole number");
	CHECK_INT(parse(&ctx, &o, "--x 2", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "--x: '2' is not a number from 0 to 1");
	CHECK_INT(parse(&ctx, &o, "--color mauve", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "--color: 'mauve' is not one of red, "
				    "green or blue");
	CHECK_INT(parse(&ctx, &o, "--color-name mauve", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg,
		       "--color-name: 'mauve' is no colour I know");
	CHECK_INT(parse(&ctx, &o, "--item a,,b", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "--item: 'a,,b' has an empty item");
	CHECK_INT(parse(&ctx, &o, "--count bad", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "--count: 'bad' is bad");
	/* arguments where none are taken */
	CHECK_INT(parse(&ctx, &o, "--flag extra", NULL), CORE_EUSAGE);
	CHECK_STR(ctx.err.msg,
		  "t: unexpected argument 'extra'\n(see 'assetmap help t')");
	cli_strv_release(&o.list);
}

static void test_forms(void)
{
	struct cli_ctx ctx = {0};
	struct opts o;
	int n = 0;

	init(&o);
	/* --opt=value and --opt value; a prefix; short forms */
	CHECK_INT(
	    parse(&ctx, &o, "--name=a=b --out x.pdf -ofile.svg -fq", NULL),
	    CORE_OK);
	CHECK_STR(o.name, "a=b");
	CHECK_STR(o.out, "file.svg");
	CHECK_INT(o.flag, 1);
	CHECK_INT(o.quiet, 1);
	/* an ambiguous prefix is unknown */
	CHECK_INT(parse(&ctx, &o, "--colo red", NULL), CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "unknown option '--colo'");
	/* repeated: the last wins; a list appends without duplicates */
	CHECK_INT(
	    parse(&ctx, &o, "--n 1 --n 2 --item a --item b,a --item c", NULL),
	    CORE_OK);
	CHECK_INT(o.n, 2);
	CHECK_INT(o.list.n, 3);
	CHECK_STR(o.list.v[2], "c");
	/* arguments mixed with options keep their order; -- ends options */
	CHECK_INT(parse(&ctx, &o, "one --n 5 two -- --three -", &n), CORE_OK);
	CHECK_INT(n, 4);
	CHECK_STR(words[1], "one");
	CHECK_STR(words[2], "two");
	CHECK_STR(words[3], "--three");
	CHECK_STR(words[4], "-");
	CHECK_INT(o.n, 5);
	/* a hidden option parses */
	CHECK_INT(parse(&ctx, &o, "--secret", NULL), CORE_OK);
	CHECK_INT(o.flag, 2);
	/* the group's short option, through the include's offset */
	o.g.verbose = 0;
	CHECK_INT(parse(&ctx, &o, "-v", NULL), CORE_OK);
	CHECK_INT(o.g.verbose, 1);
	/* apply: by name, as the parser would */
	CHECK_INT(cli_opt_apply(&ctx, "t", test_options, &o, "tag", "t2"),
		  CORE_OK);
	CHECK_STR(o.g.tag, "t2");
	CHECK_INT(cli_opt_apply(&ctx, "t", test_options, &o, "nope", "x"),
		  CORE_EUSAGE);
	CHECK(cli_opt_find(test_options, "verbose") == &grp_options[1]);
	CHECK(cli_opt_find(test_options, "verb") == NULL);
	cli_strv_release(&o.list);
}

/* Every record of opts that is not hidden has its "--name" in help. */
/* Every record of opts that is not hidden has its "--name" in help; in a
 * group included quietly, those the command's table (top) does not
 * replace with its own record of the same name. */
static void check_listed(const struct cli_opt *top, const struct cli_opt *opts,
			 int quiet, const char *help)
{
	const struct cli_opt *o;
	char want[128];

	for (o = opts; o->kind != CLI_OPT_KIND_END; o++) {
		if (o->kind == CLI_OPT_KIND_INCLUDE) {
			check_listed(top, o->group,
				     quiet || (o->flags & CLI_OPT_HIDDEN),
				     help);
			continue;
		}
		if (o->kind < CLI_OPT_KIND_FLAG || !o->name ||
		    (o->flags & CLI_OPT_HIDDEN))
			continue;
		if (quiet && cli_opt_find(top, o->name) != o)
			continue;
		snprintf(want, sizeof(want), "--%s", o->name);
		CHECK_CONTAINS(help, want);
	}
}

static void test_help(void)
{
	char *h = cli_opt_help_dup(test_options);

	CHECK_STR(h, "usage: assetmap t [OPTIONS] [ARG...]\n"
		     "\n"
		     "  -f, --flag           a flag\n"
		     "  -q, --quiet          another flag\n"
		     "  --name NAME          a name\n"
		     "                       over two lines\n"
		     "  -o, --output FILE    the output\n"
		     "  --n N                a whole number\n"
		     "  --x X                a number\n"
		     "  --within D           a distance\n"
		     "  --max-time T         a time\n"
		     "  --units U            units\n"
		     "  --color C            a colour\n"
		     "  --color-name C       a colour, by name\n"
		     "  --item I[,I...]      items\n"
		     "  --count V            counted\n"
		     "  --tick               ticks\n"
		     "\n"
		     "group:\n"
		     "  -v, --verbose        say more\n"
		     "  --tag T              a tag\n");
	check_listed(test_options, test_options, 0, h);
	CHECK(strstr(h, "secret") == NULL);
	free(h);

	/* the analysis group gives the analyses' help, as it was written */
	h = cli_opt_help_dup(cli_analysis_options);
	CHECK_STR(h, CLI_ANALYSIS_HELP_TEXT);
	check_listed(cli_analysis_options, cli_analysis_options, 0, h);
	free(h);

	/* every command's table: its help lists every option it parses
	 * (but those it keeps out of it on purpose) */
	{
		static const struct cli_opt *const tables[] = {
		    cmd_deserts_options,      cmd_coverage_options,
		    cmd_map_options,	      cmd_init_options,
		    cmd_categories_options,   cmd_sources_options,
		    cmd_rainbow_options,      cmd_results_options,
		    cmd_near_options,	      cmd_access_options,
		    cmd_gaps_options,	      cmd_atlas_options,
		    cmd_add_options,	      cmd_export_options,
		    cmd_info_options,	      cmd_import_cohort_options,
		    cmd_import_hsds_options,  cmd_import_medi_cal_options,
		    cmd_import_tiger_options, cmd_import_acs_options,
		    cmd_import_svi_options,   cmd_import_places_options};
		size_t i;

		for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
			h = cli_opt_help_dup(tables[i]);
			check_listed(tables[i], tables[i], 0, h);
			CHECK(strncmp(h, "usage: assetmap", 15) == 0);
			free(h);
		}
	}
}

/* A group included quietly, the command's own help lines and records in
 * its place. */
static void test_quiet_group(void)
{
	struct wrap {
		struct grp g;
		const char *tag2;
	} w = {{0, NULL}, NULL};
	static const struct cli_opt opts[] = {
	    CLI_OPT_HELP("--verbose, -v", 0, "worded my way"),
	    CLI_OPT_STRING("tag", 0, "T", struct wrap, tag2, "mine"),
	    CLI_OPT_INCLUDE_QUIET(grp_options, struct wrap, g), CLI_OPT_END()};
	struct cli_ctx ctx = {0};
	char *h = cli_opt_help_dup(opts);

	CHECK_STR(h, "  --verbose, -v        worded my way\n"
		     "  --tag T              mine\n");
	free(h);
	CHECK_INT(cli_opt_parse(&ctx, "t", opts, &w, split("--verbose --ta x"),
				words, NULL),
		  CORE_OK);
	CHECK_INT(w.g.verbose, 1);
	CHECK_STR(w.tag2, "x");
	CHECK(w.g.tag == NULL);
}

/* A whole-number range as wide as long's. */
static void test_long_range(void)
{
	struct r {
		long v;
	} r = {0};
	static const struct cli_opt opts[] = {
	    CLI_OPT_INT("v", 0, "N", struct r, v, 1, (double)(~0UL >> 1), "v"),
	    CLI_OPT_END()};
	struct cli_ctx ctx = {0};

	CHECK_INT(
	    cli_opt_parse(&ctx, "t", opts, &r, split("--v 0"), words, NULL),
	    CORE_EUSAGE);
	CHECK_CONTAINS(
	    ctx.err.msg,
	    "'0' is not a whole number from 1 to 9223372036854775807");
	CHECK_INT(cli_opt_parse(&ctx, "t", opts, &r,
				split("--v 9223372036854775807"), words, NULL),
		  CORE_OK);
	CHECK(r.v == (long)(~0UL >> 1));
}

/* An optional word (CLI_OPT_OPTWORD): "--w=V", "--w V" when V does not
 * begin with '-', else no value; the callback sees which. */
struct ow {
	const char *got;
	int calls;
};

static int word_cb(struct cli_ctx *ctx, const char *cmd,
		   const struct cli_opt *opt, const char *value, void *target)
{
	struct ow *w = target;

	(void)ctx;
	(void)cmd;
	(void)opt;
	w->got = value ? value : "(none)";
	w->calls++;
	return CORE_OK;
}

static void test_optional_word(void)
{
	struct ow2 {
		struct ow w;
		int flag;
	} o;
	static const struct cli_opt opts[] = {
	    CLI_OPT_FULL(CLI_OPT_KIND_CALLBACK, "word", 0, NULL, struct ow2, w,
			 "w", CLI_OPT_OPTWORD, "--word [W]", NULL, 0, 0, 0,
			 NULL, word_cb),
	    CLI_OPT_FLAG("flag", 'f', struct ow2, flag, 1, "f"), CLI_OPT_END()};
	static const struct {
		const char *line, *got;
		int flag, rc;
	} rows[] = {
	    {"--word", "(none)", 0, CORE_OK},
	    {"--word current", "current", 0, CORE_OK},
	    {"--word=any", "any", 0, CORE_OK},
	    {"--word= -f", "", 1, CORE_OK},
	    {"--word -f", "(none)", 1, CORE_OK},
	    {"--word --flag", "(none)", 1, CORE_OK},
	    {"-f --word x", "x", 1, CORE_OK},
	    {"--wo x", "x", 0, CORE_OK}, /* a prefix, as every long option */
	    {"--word x y", "x", 0, CORE_EUSAGE}, /* y: no arguments taken */
	};
	struct cli_ctx ctx = {0};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int before = test_failures();

		memset(&o, 0, sizeof(o));
		core_err_clear(&ctx.err);
		CHECK_INT(cli_opt_parse(&ctx, "t", opts, &o,
					split(rows[i].line), words, NULL),
			  rows[i].rc);
		CHECK_INT(o.w.calls, 1);
		CHECK_STR(o.w.got, rows[i].got);
		CHECK_INT(o.flag, rows[i].flag);
		test_row_end(before, i, rows[i].line, __FILE__, __LINE__);
	}
}

static void test_columns(void)
{
	static const struct cli_opt opts[] = {
	    CLI_OPT_COLUMN(14),
	    CLI_OPT_FLAG("taxonomy", 0, struct opts, flag, 1, "short label"),
	    CLI_OPT_STRING("population", 0, "COL", struct opts, name,
			   "goes to the next line"),
	    CLI_OPT_FULL(CLI_OPT_KIND_STRING, "columns", 0, "A,B", struct opts,
			 out, "stays\nand wraps", CLI_OPT_SAMELINE, NULL, NULL,
			 0, 0, 0, NULL, NULL),
	    CLI_OPT_FULL(CLI_OPT_KIND_STRING, "lat", 0, NULL, struct opts, name,
			 "given whole", 0, "--lat COL --lon COL", NULL, 0, 0, 0,
			 NULL, NULL),
	    CLI_OPT_FULL(CLI_OPT_KIND_STRING, "output-file", 'o', "FILE",
			 struct opts, out, "one space", CLI_OPT_ONESPACE, NULL,
			 NULL, 0, 0, 0, NULL, NULL),
	    CLI_OPT_END()};
	char *h = cli_opt_help_dup(opts);

	CHECK_STR(h, "  --taxonomy  short label\n"
		     "  --population COL\n"
		     "              goes to the next line\n"
		     "  --columns A,B  stays\n"
		     "              and wraps\n"
		     "  --lat COL --lon COL\n"
		     "              given whole\n"
		     "  -o, --output-file FILE one space\n");
	free(h);
}

/* The analysis group into a struct cli_analysis at an offset. */
static void test_analysis_group(void)
{
	struct wrap {
		long k;
		struct cli_analysis a;
	} w;
	static const struct cli_opt opts[] = {
	    CLI_OPT_INT("k", 0, "K", struct wrap, k, 0, 9, "k"),
	    CLI_OPT_INCLUDE(cli_analysis_options, struct wrap, a),
	    CLI_OPT_END()};
	struct cli_ctx ctx = {0};

	cli_analysis_init(&w.a);
	/* the category list is one word: split() cuts at blanks */
	CHECK_INT(cli_opt_parse(&ctx, "t", opts, &w,
				split("--category food,housing --areas county "
				      "--medi-cal --open evening "
				      "--min-capacity 5 --informal --language "
				      "Spanish --units m --format csv --k 3"),
				words, NULL),
		  CORE_OK);
	CHECK_INT(w.k, 3);
	CHECK_INT(w.a.ncats, 2);
	CHECK_STR(w.a.cats[1], "housing");
	CHECK_STR(w.a.areas, "county");
	CHECK_INT(w.a.filter.medi_cal, 1);
	CHECK_INT(w.a.filter.evening, 1);
	CHECK_INT(w.a.filter.weekday, 0);
	CHECK(w.a.filter.min_capacity == 5);
	CHECK_INT(w.a.filter.formal, 0);
	CHECK_STR(w.a.filter.language, "es");
	CHECK_INT(w.a.units, CORE_UNIT_M);
	CHECK_STR(w.a.format, "csv");
	cli_analysis_release(&w.a);

	cli_analysis_init(&w.a);
	CHECK_INT(cli_opt_parse(&ctx, "t", opts, &w, split("--areas planet"),
				words, NULL),
		  CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "t: --areas: 'planet' is not an area "
				    "level; give tract, blockgroup, county, "
				    "zcta or state");
	CHECK_INT(
	    cli_opt_parse(&ctx, "t", opts, &w, split("--cohort="), words, NULL),
	    CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "t: --cohort needs a cohort's name");
	CHECK_INT(cli_opt_parse(&ctx, "t", opts, &w, split("--format=xml"),
				words, NULL),
		  CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg,
		       "--format: 'xml' is not a format; use table, csv or "
		       "json");
	cli_analysis_release(&w.a);
}

static void test_parse_time(void)
{
	struct core_err err = CORE_ERR_INIT;
	double s = 0;

	CHECK_INT(core_units_parse_time("15min", "--t", &s, &err), CORE_OK);
	CHECK(s == 900);
	CHECK_INT(core_units_parse_time("2 hours", "--t", &s, &err), CORE_OK);
	CHECK(s == 7200);
	CHECK_INT(core_units_parse_time("-1min", "--t", &s, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "--t: '-1min' is not a time");
	CHECK_INT(core_units_parse_time("", "--t", &s, &err), CORE_EUSAGE);
}

/* CLI_OPT_GETOPT: the usage errors worded as getopt_long's. */
static void test_getopt_words(void)
{
	struct g {
		const char *name;
		int flag;
	} g = {NULL, 0};
	static const struct cli_opt plain[] = {
	    CLI_OPT_STRING("name", 0, "N", struct g, name, "name"),
	    CLI_OPT_FLAG("flag", 0, struct g, flag, 1, "flag"), CLI_OPT_END()};
	static const struct cli_opt compat[] = {
	    CLI_OPT_GETOPT(),
	    CLI_OPT_STRING("name", 0, "N", struct g, name, "name"),
	    CLI_OPT_FLAG("flag", 0, struct g, flag, 1, "flag"), CLI_OPT_END()};
	struct cli_ctx ctx = {0};
	int n = 0;

	/* "did you mean" in both (issue 16: every unknown option) */
	CHECK_INT(
	    cli_opt_parse(&ctx, "t", plain, &g, split("--nme x"), words, &n),
	    CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "unknown option '--nme'; did you mean "
				    "'--name'?");
	core_err_clear(&ctx.err);
	CHECK_INT(
	    cli_opt_parse(&ctx, "t", compat, &g, split("--nme x"), words, &n),
	    CORE_EUSAGE);
	CHECK_STR(ctx.err.msg, "t: unknown option '--nme'; did you mean "
			       "'--name'?\n(see 'assetmap help t')");
	core_err_clear(&ctx.err);
	/* two letters swapped are one edit */
	CHECK_INT(
	    cli_opt_parse(&ctx, "t", plain, &g, split("--falg"), words, &n),
	    CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "did you mean '--flag'?");
	/* "--name=--flag" is a missing value */
	core_err_clear(&ctx.err);
	CHECK_INT(cli_opt_parse(&ctx, "t", plain, &g, split("--name=--flag"),
				words, &n),
		  CORE_OK);
	CHECK_STR(g.name, "--flag");
	CHECK_INT(cli_opt_parse(&ctx, "t", compat, &g, split("--name=--flag"),
				words, &n),
		  CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg,
		       "--name needs a value (got the option '--flag')");
	/* an unknown letter not last in its group names the last argument
	 * before the group that is not an option, else the one before it */
	core_err_clear(&ctx.err);
	CHECK_INT(cli_opt_parse(&ctx, "t", compat, &g,
				split("a b --name x -qz c"), words, &n),
		  CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "unknown option 'b'");
	core_err_clear(&ctx.err);
	CHECK_INT(cli_opt_parse(&ctx, "t", compat, &g, split("--flag -qz"),
				words, &n),
		  CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "unknown option '--flag'");
	core_err_clear(&ctx.err);
	CHECK_INT(
	    cli_opt_parse(&ctx, "t", compat, &g, split("a -q"), words, &n),
	    CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "unknown option '-q'");
	core_err_clear(&ctx.err);
	CHECK_INT(
	    cli_opt_parse(&ctx, "t", plain, &g, split("a -qz"), words, &n),
	    CORE_EUSAGE);
	CHECK_CONTAINS(ctx.err.msg, "unknown option '-qz'");
	/* the record is no option and has no help */
	{
		char *h = cli_opt_help_dup(compat);

		CHECK_STR(h, "  --name N             name\n"
			     "  --flag               flag\n");
		free(h);
	}
	CHECK(cli_opt_find(compat, "") == NULL);
}

int main(void)
{
	static const struct test tests[] = {TEST(test_kinds),
					    TEST(test_units),
					    TEST(test_errors),
					    TEST(test_forms),
					    TEST(test_help),
					    TEST(test_columns),
					    TEST(test_quiet_group),
					    TEST(test_long_range),
					    TEST(test_analysis_group),
					    TEST(test_parse_time),
					    TEST(test_getopt_words),
					    TEST(test_optional_word),
					    {NULL, NULL}};

	return test_main("cli_opt", tests);
}
