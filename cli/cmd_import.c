/*
 * cmd_import.c - assetmap import: assets, areas or indicators from any
 * file GDAL reads.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/core_mem.h"

#include "cli/cli.h"
#include "cli/cli_import.h"
#include "cli/cli_opt.h"
#include "importers/imp_ogr.h"

/*
 * The column options (--name COL, --lon COL, ...), one STRING record per
 * enum imp_col named by imp_col_option(), a group whose base is
 * imp_ogr_opts.col (record c stores into col[c]); filled by col_options_make
 * before the table is used.  Their help is worded in ogr_options, by kind.
 */
static struct cli_opt col_options[IMP_COL_COUNT + 1];

static void col_options_make(void)
{
	int c;

	if (col_options[0].name)
		return;
	for (c = 0; c < IMP_COL_COUNT; c++) {
		struct cli_opt *r = &col_options[c];

		r->kind = CLI_OPT_KIND_STRING;
		r->name = imp_col_option((enum imp_col)c);
		r->off = (size_t)c * sizeof(const char *);
		r->flags = CLI_OPT_HIDDEN;
	}
	/* col_options[IMP_COL_COUNT] stays the end marker (all zero) */
}

#define O struct imp_ogr_opts

/* The options of import assets, areas and indicators (one table: each
 * kind's help shows them all), and their help. */
static const struct cli_opt ogr_options[] = {
    CLI_OPT_GETOPT(),
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] import assets FILE [OPTIONS]\n"
	"       assetmap [-d WORKSPACE] import areas FILE --level LEVEL "
	"[OPTIONS]\n"
	"       assetmap [-d WORKSPACE] import indicators FILE [--geoid COL] "
	"[OPTIONS]\n"
	"\n"
	"Import a file GDAL reads (GeoJSON, Shapefile, GeoPackage, KML, CSV, "
	"...)\n"
	"into the workspace, reprojected to WGS84 lon/lat.  A file without a "
	"CRS\n"
	"is taken as lon/lat.  Importing the same file again replaces what it\n"
	"brought in before.  Column names are matched ignoring case; a column\n"
	"not given is guessed from common names (site_name, latitude, street,\n"
	"GEOID10, ...) and the mapping used is printed.\n"
	"\n"
	"Text files (CSV, GeoJSON) are read as UTF-8, with or without a "
	"byte-order\n"
	"mark, or else as Windows-1252 (Excel's 'CSV' on Windows), with a "
	"warning.\n"
	"CSV (.csv, .tsv, .psv, .txt; separated by ',', ';' or tab) is read\n"
	"strictly: a quote left open, a NUL byte or a file cut mid-row refuses "
	"the\n"
	"file; a row with more or fewer fields than the header is a bad row.\n"
	"\n"
	"If any row has a problem (no name, a coordinate that is not a number\n"
	"or out of range, an unknown category, an invalid polygon, ...), the\n"
	"import stops, lists the rows (file, line, field and value) and "
	"leaves\n"
	"the workspace as it was.\n"
	"\n"
	"options for every kind:\n"),
    CLI_OPT_STRING("layer", 0, "NAME", O, layer,
		   "the layer of a file holding several (GeoPackage, KML)"),
    CLI_OPT_FLAG("skip-bad", 0, O, skip_bad, 1,
		 "import the good rows anyway; the rejected ones are\n"
		 "kept and listed by 'assetmap sources --rejects ID'"),
    CLI_OPT_TEXT("\n"
		 "assets (places where help is offered; points, or a table "
		 "with lon/lat):\n"),
    CLI_OPT_HELP("--name COL", 0,
		 "the site's name (required; guessed from name,\n"
		 "site_name, agency_name, ...)"),
    CLI_OPT_HELP("--id COL", 0, "the source's own key for the site"),
    CLI_OPT_HELP("--category X", 0,
		 "a column of category codes or names per row,\n"
		 "separated by ',' or ';', or category code(s) for\n"
		 "every row, e.g. --category food or\n"
		 "--category food,housing ('assetmap categories');\n"
		 "or a crosswalk term, matched whole (Open\n"
		 "Eligibility terms, 211/AIRS codes, keywords in\n"
		 "English and Spanish: data/taxonomy/crosswalk.csv);\n"
		 "nothing else is guessed: a row's unknown value\n"
		 "rejects the row and is listed"),
    CLI_OPT_STRING("category-from", 0, "COL[,COL]", O, category_from,
		   "free-text columns (services, name, description)\n"
		   "whose keywords give categories through the\n"
		   "crosswalk, e.g. 'Food Pantry; Walk up' -> food;\n"
		   "the terms that matched nothing are listed after\n"
		   "the import so the crosswalk can be extended"),
    CLI_OPT_FLAG("no-merge", 0, O, no_merge, 1,
		 "keep every row as its own asset; by default a row\n"
		 "naming the same site as an asset from another\n"
		 "source (same name and address, or same name\n"
		 "within 100 m) is merged into it (README.md,\n"
		 "'One site, one asset')"),
    CLI_OPT_HELP("--lon COL --lat COL", 0,
		 "coordinate columns in decimal degrees (CSV);\n"
		 "guessed from lon/lng/longitude/x, lat/latitude/y"),
    CLI_OPT_STRING("geocode-worst", 0, "LEVEL", O, geocode_worst,
		   "a row without a point (no geometry, or both\n"
		   "coordinates empty) that has an --address is placed\n"
		   "there, with --city, --state and --zip, by the offline\n"
		   "geocoder ('assetmap import addresses' first); a file\n"
		   "with no coordinate columns is read this way.  LEVEL\n"
		   "is the coarsest placement taken: address_point,\n"
		   "interpolated, street_range, street or zip (the\n"
		   "default: every level; ZIP-level ones are counted and\n"
		   "named after the import).  The level is kept as the\n"
		   "asset's location_quality"),
    CLI_OPT_HELP("--organization COL --address COL --city COL --state COL "
		 "--zip COL\n"
		 "  --phone COL --website COL --email COL --hours COL "
		 "--languages COL\n"
		 "  --eligibility COL --description COL",
		 0,
		 "text columns, stored as they are (address, city,\n"
		 "state and zip also place rows without coordinates)"),
    CLI_OPT_HELP("--capacity COL", 0, "a number of people, beds or meals"),
    CLI_OPT_HELP("--medi-cal COL", 0,
		 "accepts Medi-Cal: yes/no, true/false or 1/0"),
    CLI_OPT_HELP("--programs COL", 0,
		 "Medi-Cal Community Supports offered, codes separated\n"
		 "by ',' or ';' ('assetmap categories --programs')"),
    CLI_OPT_TEXT("\n"
		 "areas (census polygons, stored as MULTIPOLYGON):\n"),
    CLI_OPT_STRING("level", 0, "LEVEL", O, level,
		   "state, county, tract, blockgroup, zcta (required),\n"
		   "or neighborhood: a user's own areas (neighbourhoods,\n"
		   "service areas), which maps label and into which\n"
		   "map and atlas --areas add up cohort counts; each is\n"
		   "known by its --name unless --geoid is given"),
    CLI_OPT_HELP("--geoid COL", 0,
		 "the GEOID (default: GEOID, GEOID20, GEOID10, ...);\n"
		 "numbers are zero-padded to the level's length"),
    CLI_OPT_HELP("--name COL", 0,
		 "the area's name (default: NAMELSAD, NAME, ...)"),
    CLI_OPT_HELP("--population COL", 0,
		 "the area's population (areas without one get it\n"
		 "from a table imported earlier, e.g. SVI or ACS)"),
    CLI_OPT_HELP("--land COL", 0,
		 "its land area in m2 (default: ALAND, ALAND20, ...)"),
    CLI_OPT_TEXT("  areas of 0 people, or of 0 m2 of land (water only), are "
		 "flagged and\n"
		 "  left out of rankings\n"
		 "\n"
		 "indicators (a table of values per area, e.g. SVI or ACS):\n"),
    CLI_OPT_HELP("--geoid COL", 0,
		 "the GEOID column (default: GEOID, FIPS, ...)"),
    CLI_OPT_STRING("columns", 0, "A,B,...", O, columns,
		   "the value columns (default: every column whose\n"
		   "values are all numbers, except the GEOID)"),
    CLI_OPT_HELP("--population COL", 0,
		 "also set the population of the matching areas"),
    CLI_OPT_HELP("--level LEVEL", 0,
		 "check GEOIDs against LEVEL and only set the\n"
		 "population of areas at that level"),
    CLI_OPT_INT("year", 0, "N", O, year, 1800, 2200, "the data's year"),
    CLI_OPT_STRING("missing", 0, "V1,V2,...", O, missing,
		   "values that mean 'no value' (default: empty, NA,\n"
		   "-999, -666666666, -888888888, -999999999, (X))"),
    CLI_OPT_INCLUDE_QUIET(col_options, O, col),
    CLI_OPT_TEXT(
	"\n"
	"examples:\n"
	"  assetmap import assets food_sites.csv --category food\n"
	"  assetmap import assets food_sites_raw.csv --category-from "
	"services,name\n"
	"  assetmap import assets medi_cal_sites.csv --category primary_care "
	"--no-merge\n"
	"  assetmap import assets sites.csv --name 'Site Name' --lon X --lat Y "
	"\\\n"
	"      --category Type --medi-cal AcceptsMediCal --skip-bad\n"
	"  assetmap import assets clinics.gpkg --layer clinics --category "
	"primary_care\n"
	"  assetmap import assets cs_providers.csv --id NPI --category housing "
	"\\\n"
	"      --programs CS_Offered --capacity Beds --languages Languages\n"
	"  assetmap import areas tl_2020_06_tract.shp --level tract\n"
	"  assetmap import areas sf_tracts_2010.geojson --level tract --geoid "
	"GEOID10\n"
	"  assetmap import areas neighborhoods.geojson --level neighborhood "
	"--name nhood\n"
	"  assetmap import indicators SVI2018_CA_tract.csv --geoid FIPS \\\n"
	"      --columns E_TOTPOP,RPL_THEMES --population E_TOTPOP --year "
	"2018\n"
	"  assetmap import indicators acs_poverty.csv --geoid GEOID --level "
	"tract \\\n"
	"      --missing '-666666666,N/A' --year 2022\n"),
    CLI_OPT_END()};

#undef O

/*
 * Tell the user, as notes on stderr (cli_note: silent under --quiet), what
 * an OGR import that succeeded did: after --skip-bad, the rejected rows
 * (cli_import_rejects); the rows imported by kind, the rejected and merged
 * counts, indicator values and how many were missing, polygons repaired,
 * populations set; then a line on areas of 0 people and one on the
 * category terms that matched nothing, when there are any.  o is the
 * import's options, src and st what imp_ogr_import filled.  Sets no error.
 */
static void summary(struct cli_ctx *ctx, const struct imp_ogr_opts *o,
		    const struct imp_source *src,
		    const struct imp_ogr_stats *st)
{
	long long acc = (long long)src->rows_accepted;
	long long rej = (long long)src->rows_rejected;

	if (src->skip_bad && rej)
		cli_import_rejects(ctx, src, 1);
	switch (o->kind) {
	case IMP_ASSETS:
		cli_note(ctx, "imported %lld asset%s from %s", acc,
			 acc == 1 ? "" : "s", src->name);
		break;
	case IMP_AREAS:
		cli_note(ctx, "imported %lld %s area%s from %s", acc, o->level,
			 acc == 1 ? "" : "s", src->name);
		break;
	case IMP_INDICATORS:
		cli_note(ctx,
			 "imported %lld indicator%s for %lld area%s from %s",
			 (long long)st->ncolumns, st->ncolumns == 1 ? "" : "s",
			 acc, acc == 1 ? "" : "s", src->name);
		break;
	}
	if (rej)
		cli_note(ctx,
			 " (%lld rejected; 'assetmap sources --rejects %lld' "
			 "lists them)",
			 rej, (long long)src->id);
	else
		cli_note(ctx, " (0 rejected)");
	if (src->rows_merged)
		cli_note(ctx, " (%lld merged with assets from other sources)",
			 (long long)src->rows_merged);
	if (o->kind == IMP_INDICATORS)
		cli_note(ctx, ", %lld values of which %lld missing",
			 (long long)st->values, (long long)st->missing);
	if (st->repaired)
		cli_note(ctx, ", %lld invalid polygon%s repaired",
			 (long long)st->repaired, st->repaired == 1 ? "" : "s");
	if (o->col[IMP_COL_POPULATION] || st->population_set)
		cli_note(ctx, "; set the population of %lld area%s",
			 (long long)st->population_set,
			 st->population_set == 1 ? "" : "s");
	cli_note(ctx, "\n");
	if (st->no_population)
		cli_note(ctx,
			 "  %lld area%s in the workspace %s 0 people: flagged, "
			 "and left out of analyses\n",
			 (long long)st->no_population,
			 st->no_population == 1 ? "" : "s",
			 st->no_population == 1 ? "has" : "have");
	cli_import_geocoded(ctx, &st->geocoded, "row", "rows", 1);
	if (st->unmatched)
		cli_note(ctx,
			 "%s: %s; 'assetmap sources --terms %lld' lists every "
			 "term\n",
			 src->name, st->unmatched, (long long)src->id);
}

/*
 * assetmap import assets|areas|indicators FILE [OPTIONS]: argv[0] is
 * "import", argv[1] the kind; the file and the options (ogr_options) follow
 * in any order.  Imports FILE into ctx->ws (open, read-write) through
 * imp_ogr_import, then prints the importer's warning, the column mapping
 * used and the summary, or what cli_import_failed prints of a refusal.
 * Returns CORE_OK; CORE_EUSAGE with ctx->err set for a usage error (a bad
 * option, no file, more than one); or the importer's code with ctx->err
 * set.  col_options must have been made (col_options_make).
 */
static int import_ogr(struct cli_ctx *ctx, int argc, char **argv)
{
	struct imp_ogr_opts o;
	struct imp_ogr_stats st;
	struct imp_source src;
	int nargs = 0, kind, rc;

	imp_ogr_opts_init(&o);
	if (cli_opt_parse(ctx, "import", ogr_options, &o, argc, argv, &nargs))
		return CORE_EUSAGE;
	if (nargs < 1)
		return cli_usage(ctx, "import",
				 "say what to import and from which file, e.g. "
				 "'assetmap import assets sites.csv'");
	kind = imp_kind_parse(argv[1]);
	if (kind < 0)
		return cli_usage(ctx, "import",
				 "'%s' is not something I import; give assets, "
				 "areas or indicators",
				 argv[1]);
	o.kind = (enum imp_kind)kind;
	if (nargs < 2)
		return cli_usage(ctx, "import", "import %s: which file?",
				 argv[1]);
	if (nargs > 2)
		return cli_usage(
		    ctx, "import",
		    "unexpected argument '%s' (one file per import)", argv[3]);
	o.path = argv[2];

	memset(&st, 0, sizeof(st));
	imp_source_init(&src, imp_kind_name(o.kind));
	rc = imp_ogr_import(ctx->ws, &o, &src, &st, &ctx->err);
	if (src.warning)
		cli_warn("%s", src.warning);
	if (src.options && (rc == CORE_OK || src.rows_read > 0))
		cli_note(ctx, "%s: using %s\n", src.name, src.options);
	if (rc == CORE_OK) {
		summary(ctx, &o, &src, &st);
	} else {
		cli_import_failed(ctx, "import", rc, &src);
	}
	imp_source_release(&src);
	imp_ogr_stats_release(&st);
	return rc;
}

/* ---------------------------------------------------------------------
 * The kinds of import, each with its own help and handler.
 * ------------------------------------------------------------------ */

static const struct cli_import_kind kinds[] = {
    {"assets", "points where help is offered, from any file GDAL reads", NULL,
     import_ogr, ogr_options},
    {"areas", "census polygons (tracts, counties, ZCTAs, ...)", NULL,
     import_ogr, ogr_options},
    {"indicators", "a table of values per GEOID", NULL, import_ogr,
     ogr_options},
    {"hsds", "an Open Referral HSDS directory (JSON, NDJSON or CSV package)",
     NULL, cmd_import_hsds, cmd_import_hsds_options},
    {"medi-cal", "a Medi-Cal provider listing (FFS or Managed Care)", NULL,
     cmd_import_medi_cal, cmd_import_medi_cal_options},
    {"tiger", "Census TIGER/Line or cartographic boundary polygons", NULL,
     cmd_import_tiger, cmd_import_tiger_options},
    {"acs", "an ACS table as downloaded from data.census.gov", NULL,
     cmd_import_acs, cmd_import_acs_options},
    {"svi", "CDC/ATSDR Social Vulnerability Index CSV", NULL, cmd_import_svi,
     cmd_import_svi_options},
    {"places", "CDC PLACES tract or ZCTA data", NULL, cmd_import_places,
     cmd_import_places_options},
    {"cohort", "a patient cohort (kept private; small counts suppressed)", NULL,
     cmd_import_cohort, cmd_import_cohort_options},
    {"addresses",
     "address points, TIGER street ranges, ZIP centroids (geocoding)", NULL,
     cmd_import_addresses, cmd_import_addresses_options},
    {"roads", "an OpenStreetMap extract: walking, cycling, driving networks",
     NULL, cmd_import_roads, cmd_import_roads_options},
    {"partners", "the partnership register (CSV, XLSX) matched to assets", NULL,
     cmd_import_partners, cmd_import_partners_options},
    {"scan",
     "an environmental scan: resources named as trusted, and how "
     "often",
     NULL, cmd_import_scan, cmd_import_scan_options},
    {NULL, NULL, NULL, NULL, NULL}};

const char cmd_import_help[] =
    "usage: assetmap [-d WORKSPACE] import KIND FILE [OPTIONS]\n"
    "\n"
    "Import a file into the workspace in one transaction: a file with a\n"
    "bad row is refused whole (naming the file, line and field) unless\n"
    "--skip-bad is given, and importing the same file again replaces what\n"
    "it brought in.  'assetmap help import KIND' (or 'assetmap import KIND\n"
    "--help') shows a kind's options.\n"
    "\n"
    "kinds:\n";

static int is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static void list_kinds(FILE *out)
{
	const struct cli_import_kind *k;

	fputs(cmd_import_help, out);
	for (k = kinds; k->name; k++)
		fprintf(out, "  %-11s %s\n", k->name, k->summary);
}

/*
 * assetmap import KIND ...: argv[0] is "import", argv[1] the kind (kinds[]).
 * "--help" or "-h" as the kind prints the list of kinds, and anywhere
 * among the kind's arguments before "--" the kind's help, to ctx->out
 * (CORE_OK; no workspace needed).  Otherwise runs the kind's handler on
 * ctx->ws and returns what it returns.  Usage errors (no kind, an unknown
 * one) return CORE_EUSAGE, and no open workspace CORE_EFAIL, with ctx->err
 * set.
 */
int cmd_import(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_import_kind *k;
	int i;

	col_options_make();
	if (argc < 2 || is_help(argv[1])) {
		if (argc < 2)
			return cli_usage(
			    ctx, "import",
			    "say what to import and from which file, e.g. "
			    "'assetmap import assets sites.csv'");
		list_kinds(ctx->out);
		return CORE_OK;
	}
	for (k = kinds; k->name; k++)
		if (strcmp(k->name, argv[1]) == 0)
			break;
	if (!k->name) {
		struct core_buf b = CORE_BUF_INIT;
		const char *words[sizeof(kinds) / sizeof(kinds[0])], *near;
		size_t n = 0;

		for (k = kinds; k->name; k++) {
			core_buf_addf(&b, "%s%s", k == kinds ? "" : ", ",
				      k->name);
			words[n++] = k->name;
		}
		words[n] = NULL;
		near = cli_opt_nearest_word(argv[1], words);
		if (near)
			cli_usage(ctx, "import",
				  "'%s' is not something I import; did you "
				  "mean '%s'? (%s)",
				  argv[1], near, core_buf_str(&b));
		else
			cli_usage(ctx, "import",
				  "'%s' is not something I import; give one "
				  "of %s",
				  argv[1], core_buf_str(&b));
		core_buf_release(&b);
		return CORE_EUSAGE;
	}
	for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (is_help(argv[i])) {
			if (k->opts)
				cli_opt_help(k->opts, ctx->out);
			else
				fputs(k->help, ctx->out);
			return CORE_OK;
		}
	if (!ctx->ws)
		return core_err_set(&ctx->err, CORE_EFAIL,
				    "import: no workspace is open");
	if (k->run == import_ogr)
		return import_ogr(ctx, argc, argv);
	/* The kind's handler sees argv[0] = kind, argv[1] = FILE, ... */
	return k->run(ctx, argc - 1, argv + 1);
}
