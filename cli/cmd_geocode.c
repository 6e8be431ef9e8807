/*
 * cmd_geocode.c - assetmap geocode FILE -o OUT.csv|OUT.gpkg: a user's
 * file of addresses in, the same rows with a point each out, through
 * the workspace's reference addresses (import addresses) and nothing
 * else: no address leaves the machine, and none is stored in the
 * workspace, logged or printed.
 *
 * The work is cli_geocode's (read, pick the columns, run on every core,
 * write); this file parses, checks, and says what it did.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/cli_geocode.h"
#include "cli/cli_opt.h"
#include "core/core_mem.h"
#include "core/core_out.h"
#include "core/core_progress.h"

struct geocode_opts {
	const char *output;
	const char *col[CLI_GC_NROLES];
	int worst; /* enum geo_gc_level */
	int exact; /* --exact-streets */
};

static const struct cli_opt_choice levels[] = {{"address_point", GEO_GC_POINT},
					       {"interpolated", GEO_GC_INTERP},
					       {"street_range", GEO_GC_RANGE},
					       {"street", GEO_GC_STREET},
					       {"zip", GEO_GC_ZIP},
					       {NULL, 0}};

#define O struct geocode_opts
const struct cli_opt cmd_geocode_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] geocode FILE -o OUT.csv|OUT.gpkg\n"
	"                [--address COL | --street COL [--number COL]\n"
	"                 [--unit COL] [--city COL] [--state COL] [--zip "
	"COL]]\n"
	"                [--worst LEVEL] [--exact-streets]\n"
	"\n"
	"Geocode a file of addresses offline: each row of FILE is matched "
	"against\n"
	"the reference addresses imported into the workspace ('assetmap "
	"import\n"
	"addresses'), and written to OUT with the columns it had plus\n"
	"  lon, lat  the point (WGS 84), empty when not placed\n"
	"  level     address_point, interpolated (between address points), "
	"street_range\n"
	"            (a TIGER range), street, zip (the ZIP's centroid) or "
	"none\n"
	"  score     0..1, 1 for an exact address point\n"
	"  why       why the level is not better (or why not placed)\n"
	"(named geocode_lon ... when FILE has a column of one of these "
	"names).\n"
	"Rows keep their order; nothing is guessed: an address whose "
	"street is not\n"
	"found, or whose number is far from every known one, is not placed.  "
	"A\n"
	"summary per level follows on stderr.\n"
	"\n"
	"FILE is CSV (.csv, .tsv, .txt; the separator is found from the "
	"header)\n"
	"or any table GDAL reads (GeoJSON, GeoPackage, shapefile, XLSX: its "
	"first\n"
	"layer).  The address is one column (\"2901 16th St, San Francisco, "
	"CA\n"
	"94110\") or several (street, city, ZIP ...), found from common "
	"column\n"
	"names (address, full_address, street_address, address1, "
	"house_number,\n"
	"unit, city, state, zip, postcode ...) or named with the options "
	"below;\n"
	"the columns used are named on stderr.\n"
	"\n"
	"Privacy: the addresses stay on this machine and are not stored in "
	"the\n"
	"workspace; OUT holds FILE's columns as they were (it is your file), "
	"so\n"
	"it is created readable by you only.  Messages name lines and "
	"columns,\n"
	"never an address.\n"
	"\n"),
    CLI_OPT_STRING("output", 'o', "OUT", O, output,
		   "the output, .csv or .gpkg (points, with no geometry\n"
		   "for the rows not placed); required"),
    CLI_OPT_TEXT("\ncolumns (default: found from their names):\n"),
    CLI_OPT_STRING("address", 0, "COL", O, col[CLI_GC_ADDRESS],
		   "the whole address on one line"),
    CLI_OPT_STRING("street", 0, "COL", O, col[CLI_GC_STREET],
		   "the street line, with or without the number"),
    CLI_OPT_STRING("number", 0, "COL", O, col[CLI_GC_NUMBER],
		   "the house number, when in a column of its own"),
    CLI_OPT_STRING("unit", 0, "COL", O, col[CLI_GC_UNIT],
		   "apartment, suite, unit"),
    CLI_OPT_STRING("city", 0, "COL", O, col[CLI_GC_CITY], NULL),
    CLI_OPT_STRING("state", 0, "COL", O, col[CLI_GC_STATE], NULL),
    CLI_OPT_STRING("zip", 0, "COL", O, col[CLI_GC_ZIP], "ZIP or ZIP+4"),
    CLI_OPT_TEXT("\nmatching:\n"),
    CLI_OPT_CHOICE("worst", 0, "LEVEL", O, worst, levels,
		   "the worst level accepted (default zip), as the\n"
		   "importers' --geocode-worst; a row that only a\n"
		   "coarser one would place is not placed"),
    CLI_OPT_FLAG("exact-streets", 0, O, exact, 1,
		 "no street name one letter off (by default a typo\n"
		 "matches when only one street of the ZIP or city is\n"
		 "that close)"),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap import addresses eas_addresses.csv\n"
		 "  assetmap geocode clients.csv -o clients_geocoded.csv\n"
		 "  assetmap geocode sites.xlsx --street Street1 --zip ZIP "
		 "-o sites.gpkg\n"
		 "  assetmap geocode list.csv --worst street -o "
		 "placed.csv\n"),
    CLI_OPT_END()};
#undef O

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

/* OUT's file name without its directory and .gpkg: the layer's name. */
static char *layer_name(const char *out)
{
	const char *base = strrchr(out, '/');
	char *s = xstrdup(base ? base + 1 : out);
	size_t n = strlen(s);

	if (n > 5)
		s[n - 5] = '\0';
	return s;
}

/*
 * Write the batch to o's temporary (CSV through a large buffer, or a
 * GeoPackage).  Returns CORE_OK, or a code with ctx->err set naming
 * out.
 */
static int write_out(struct cli_ctx *ctx, struct cli_gc_file *f,
		     const struct cli_gc_batch *b, struct core_out *o, int gpkg)
{
	const char *out = core_out_path(o);
	char e[256];
	int rc;

	if (gpkg) {
		char *layer = layer_name(out);

		rc = cli_gc_write_gpkg(f, b, core_out_tmp_path(o), out, layer,
				       &ctx->err);
		free(layer);
		return rc;
	}
	rc = cli_gc_write_csv(f, b, core_out_stream(o), &ctx->err);
	if (!rc && (fflush(core_out_stream(o)) || ferror(core_out_stream(o))))
		rc = core_err_set(
		    &ctx->err, CORE_EIO, "cannot write %s: %s", out,
		    core_out_strerror(errno ? errno : EIO, e, sizeof(e)));
	return rc;
}

/*
 * assetmap geocode FILE -o OUT (argv[0] is "geocode"): check the
 * options and OUT (not the workspace, not FILE), open FILE and pick its
 * address columns, load the reference addresses (none: an error saying
 * to import them), read the rows, geocode them on every core, write OUT
 * through a temporary renamed over it on success (readable by the owner
 * only), and note the summary per level.  Returns CORE_OK, or a code
 * with ctx->err set (CORE_EUSAGE for usage errors); nothing is left
 * behind on failure.
 */
int cmd_geocode(struct cli_ctx *ctx, int argc, char **argv)
{
	struct geocode_opts opts;
	struct cli_gc_file *f = NULL;
	struct cli_gc_batch *b = NULL;
	struct geo_geocoder *g = NULL;
	struct geo_gc_opts gopts;
	struct core_out *o = NULL;
	struct core_out_input in;
	struct core_buf note = CORE_BUF_INIT;
	struct core_lap lap = {0, 0};
	int cols[CLI_GC_NROLES], rc, nargs = 0, gpkg;
	const char *path;

	memset(&opts, 0, sizeof(opts));
	opts.worst = GEO_GC_ZIP;
	if ((rc = cli_opt_parse(ctx, "geocode", cmd_geocode_options, &opts,
				argc, argv, &nargs)))
		return rc;
	if (nargs != 1)
		return cli_usage(ctx, "geocode",
				 nargs ? "one file at a time; unexpected "
					 "argument '%s'"
				       : "which file? give a file of "
					 "addresses: 'assetmap geocode "
					 "FILE -o OUT.csv'%s",
				 nargs ? argv[2] : "");
	path = argv[1];
	if (!opts.output)
		return cli_usage(ctx, "geocode",
				 "give the output file with -o OUT.csv or "
				 "-o OUT.gpkg");
	if (ends_with(opts.output, ".gpkg"))
		gpkg = 1;
	else if (ends_with(opts.output, ".csv"))
		gpkg = 0;
	else
		return cli_usage(ctx, "geocode",
				 "-o %s: the name must end in .csv or .gpkg "
				 "(it picks the format)",
				 opts.output);
	in.opt = "FILE";
	in.path = path;
	if (core_out_check("-o", opts.output, ctx->ws_path, &in, 1, &ctx->err))
		return cli_usage(ctx, "geocode", "%s", ctx->err.msg);
	core_lap(&lap, "geocode ", NULL);

	if ((rc = cli_gc_file_open(path, &f, &ctx->err)))
		goto cleanup;
	if ((rc = cli_gc_columns(f, opts.col, cols, &ctx->err))) {
		if (rc == CORE_EUSAGE)
			rc = cli_usage(ctx, "geocode", "%s", ctx->err.msg);
		goto cleanup;
	}
	if ((rc = geo_geocoder_load(ctx->ws, &g, &ctx->err)))
		goto cleanup;
	if (geo_geocoder_empty(g)) {
		rc = core_err_set(
		    &ctx->err, CORE_ENOTFOUND,
		    "geocode: the workspace %s has no reference addresses to "
		    "match against; run 'assetmap import addresses FILE' first "
		    "with the address points or TIGER street ranges of your "
		    "county (the README's geocoding section says where to get "
		    "them)",
		    ctx->ws_path);
		goto cleanup;
	}
	core_lap(&lap, "geocode ", "load reference");
	cli_gc_describe_reference(g, &note);
	cli_note(ctx, "matching against %s\n", core_buf_str(&note));
	core_buf_reset(&note);
	cli_gc_columns_describe(f, cols, &note);
	cli_note(ctx, "reading %s: %s\n", path, core_buf_str(&note));
	if ((rc = cli_gc_read(f, cols, &b, &ctx->err)))
		goto cleanup;
	core_lap(&lap, "geocode ", "read");
	gopts.worst = opts.worst;
	gopts.no_typos = opts.exact;
	cli_gc_run(b, g, &gopts);
	core_lap(&lap, "geocode ", "match");
	if ((rc = core_out_open(opts.output, 0600, gpkg ? CORE_OUT_DIR : 0, &o,
				&ctx->err)))
		goto cleanup;
	if (!gpkg)
		setvbuf(core_out_stream(o), NULL, _IOFBF, 1 << 20);
	rc = write_out(ctx, f, b, o, gpkg);
	if (rc) {
		core_out_abort(o);
		goto cleanup;
	}
	if ((rc = core_out_commit(o, &ctx->err)))
		goto cleanup;
	core_lap(&lap, "geocode ", "write");
	core_buf_reset(&note);
	cli_gc_summary(b, &note);
	cli_note(ctx, "%s; written to %s\n", core_buf_str(&note), opts.output);
cleanup:
	core_buf_release(&note);
	cli_gc_batch_free(b);
	cli_gc_file_free(f);
	geo_geocoder_free(g);
	return rc;
}
