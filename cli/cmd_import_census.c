/*
 * cmd_import_census.c - assetmap import tiger | acs | svi | places: the
 * Census Bureau's boundaries and tables and the CDC's SVI and PLACES,
 * each recognised by its header (importers/imp_census.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_import.h"
#include "cli/cli_opt.h"
#include "importers/imp_census.h"

/* An option of another kind: a usage error naming it. */
static int not_here(struct cli_ctx *ctx, const char *cmd,
		    const struct cli_opt *opt, const char *value, void *target)
{
	(void)value;
	(void)target;
	return cli_usage(ctx, cmd, "--%s does not apply to %s", opt->name, cmd);
}

#define C struct imp_census_opts
#define NOT_HERE(name)                                                         \
	CLI_OPT_FULL(CLI_OPT_KIND_CALLBACK, name, 0, NULL, C, path, NULL,      \
		     CLI_OPT_HIDDEN, NULL, NULL, 0, 0, 0, NULL, not_here)
#define POPULATION(help)                                                       \
	CLI_OPT_FULL(CLI_OPT_KIND_STRING, "population", 0, "COL", C,           \
		     population, help, CLI_OPT_SAMELINE, NULL, NULL, 0, 0, 0,  \
		     NULL, NULL)
#define YEAR(help) CLI_OPT_INT("year", 0, "N", C, year, 1990, 2100, help)
#define SKIP_BAD                                                               \
	CLI_OPT_FLAG("skip-bad", 0, C, skip_bad, 1,                            \
		     "import the good rows anyway; the rejected ones are\n"    \
		     "listed by 'assetmap sources --rejects ID'")

const struct cli_opt cmd_import_tiger_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] import tiger FILE [--level LEVEL]\n"
	"                [--layer NAME] [--skip-bad]\n"
	"\n"
	"Import census boundaries as areas: TIGER/Line or cartographic "
	"boundary\n"
	"files of states, counties, tracts, block groups or ZCTAs, as the "
	"Census\n"
	"Bureau ships them (a .zip holding a shapefile, read in place), or as "
	"a\n"
	"shapefile (.shp), GeoJSON or GeoPackage.  Polygons are reprojected\n"
	"(TIGER's NAD83, EPSG:4269, included) to WGS84.\n"
	"\n"
	"The level comes from the fields the Census names by level "
	"(ZCTA5CE20,\n"
	"BLKGRPCE, TRACTCE, COUNTYFP, STATEFP, with or without the 10/20 "
	"suffix),\n"
	"else from the GEOID.  The GEOID is GEOID, GEOID20 or GEOID10 (or the\n"
	"part of AFFGEOID/GEO_ID after 'US'), else built from the code "
	"fields.\n"
	"The name is NAMELSAD (e.g. 'Census Tract 101'), else NAME.  ALAND "
	"and\n"
	"AWATER are kept as land and water area in square metres; an area "
	"with\n"
	"ALAND = 0 is kept and flagged water only, and areas with a "
	"population\n"
	"of 0 are flagged too: maps show them, analyses leave them out.  A\n"
	"population imported earlier (import svi, import acs) is given to the\n"
	"new areas.  Importing the same file again replaces it; an area of\n"
	"another file with the same level and GEOID is replaced too.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(18),
    CLI_OPT_STRING("level", 0, "LEVEL", C, level,
		   "state, county, tract, blockgroup or zcta; needed only\n"
		   "when the file does not say (5-digit GEOIDs without\n"
		   "COUNTYFP or ZCTA5CE fields); refused when it says\n"
		   "otherwise"),
    CLI_OPT_STRING("layer", 0, "NAME", C, layer,
		   "the layer of a file holding several (GeoPackage)"),
    CLI_OPT_FLAG("skip-bad", 0, C, skip_bad, 1,
		 "import the good features anyway; the rejected ones\n"
		 "are listed by 'assetmap sources --rejects ID'"),
    CLI_OPT_INCLUDE(cli_source_label_options, C, words),
    NOT_HERE("columns"),
    NOT_HERE("population"),
    NOT_HERE("year"),
    NOT_HERE("ranking"),
    CLI_OPT_TEXT(
	"\n"
	"examples:\n"
	"  assetmap import tiger tl_2020_06_tract.zip\n"
	"  assetmap import tiger "
	"/vsizip/tl_2020_06_tract.zip/tl_2020_06_tract.shp\n"
	"  assetmap import tiger cb_2022_us_county_500k.zip\n"
	"  assetmap import tiger tl_2020_us_zcta520.zip\n"
	"  assetmap import tiger sf_tracts_2010.geojson --level tract\n"),
    CLI_OPT_END()};

const struct cli_opt cmd_import_acs_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] import acs FILE [--columns A,B,...]\n"
	"                [--population COL] [--year N] [--skip-bad]\n"
	"\n"
	"Import an American Community Survey table as data.census.gov writes "
	"it\n"
	"(e.g. ACSDT5Y2022.B01003-Data.csv: GEO_ID, NAME, then estimate and\n"
	"margin of error columns such as B01003_001E and B01003_001M, with a\n"
	"second header line in words), or as American FactFinder wrote it\n"
	"(GEO.id, GEO.id2, HD01_VD01, HD02_VD01, ...).\n"
	"\n"
	"Each estimate column becomes an indicator of the same name "
	"(FactFinder's\n"
	"HD01_VD01 of table B01003 becomes B01003_001E) with its margin of\n"
	"error, at the 90% confidence level the ACS publishes.  Each row's "
	"level\n"
	"comes from its GEO_ID's summary level (040 state, 050 county, 140 "
	"tract,\n"
	"150 block group, 860 ZCTA): 1400000US06075010100 is tract "
	"06075010100;\n"
	"rows of other levels (nation, place, ...) are skipped and counted.\n"
	"Annotations read as missing: -666666666, -999999999, -888888888,\n"
	"-222222222, -333333333, (X), N, -, null; a margin of error '*****' "
	"or\n"
	"-555555555 (a controlled estimate, no sampling error) reads as 0; an\n"
	"open-ended estimate such as '250,000+' keeps its bound.  B01003_001E\n"
	"(total population) becomes the areas' population.  The year, the "
	"survey\n"
	"and the table come from the file's name.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(18),
    CLI_OPT_STRING("columns", 0, "A,B", C, columns,
		   "the estimate columns to import (default: all)"),
    POPULATION("the total population estimate (default B01003_001E\n"
	       "or DP05_0001E); --population '' for none"),
    YEAR("the survey's (last) year, when the name does not say"),
    SKIP_BAD,
    CLI_OPT_INCLUDE(cli_words_options, C, words),
    NOT_HERE("level"),
    NOT_HERE("layer"),
    NOT_HERE("ranking"),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap import acs ACSDT5Y2022.B01003-Data.csv\n"
		 "  assetmap import acs ACSDT5Y2022.S1701-Data.csv --columns "
		 "S1701_C03_001E\n"
		 "  assetmap import acs ACS_17_5YR_B01003_with_ann.csv\n"
		 "  assetmap import acs poverty.csv --year 2022\n"),
    CLI_OPT_END()};

const struct cli_opt cmd_import_svi_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] import svi FILE [--columns A,B,...]\n"
	"                [--population COL] [--year N] [--ranking "
	"national|state]\n"
	"                [--skip-bad]\n"
	"\n"
	"Import a CDC/ATSDR Social Vulnerability Index table (tracts or "
	"counties)\n"
	"of any edition: 2000, 2010, 2014, 2016, 2018, 2020 or 2022, as the "
	"CDC\n"
	"ships it (SVI2018_US.csv, SVI_2022_CALIFORNIA_tract.csv, ...).\n"
	"\n"
	"Every column but the identifying ones (FIPS, LOCATION, ...) becomes "
	"an\n"
	"indicator of the same name: E_ estimates, EP_ percentages, EPL_\n"
	"percentiles, SPL_ sums, RPL_ rankings (RPL_THEMES is the overall "
	"SVI)\n"
	"and F_ flags, and the 2000 and 2010 editions' own names "
	"(R_PL_THEMES,\n"
	"E_P_POV, ...).  A margin of error (M_X, MP_X) becomes the moe of its\n"
	"estimate, at the ACS's 90% level.  -999 is missing.  E_TOTPOP "
	"(TOTPOP\n"
	"when there is none, as in 2000) becomes the areas' population; "
	"tracts\n"
	"with no people are kept and flagged, and left out of analyses.  The\n"
	"rows key on FIPS, zero-padded when it was written as a number that\n"
	"lost its leading zero (1001020100 is tract 01001020100).\n"
	"\n"
	"The edition comes from --year, else the file's name (SVI2018...), "
	"else\n"
	"the columns.  The percentiles are ranked nationally (the US "
	"download)\n"
	"or within one state (a state's own download); which one is worked "
	"out\n"
	"from the RPL_THEMES values and recorded with each indicator.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(18),
    CLI_OPT_STRING("columns", 0, "A,B", C, columns,
		   "the columns to import (default: all the value columns)"),
    POPULATION("the total population (default E_TOTPOP, else\n"
	       "TOTPOP); --population '' for none"),
    YEAR("the edition, when neither the name nor the columns say"),
    CLI_OPT_STRING("ranking", 0, "R", C, ranking,
		   "national or state, to say how the file was ranked"),
    SKIP_BAD,
    CLI_OPT_INCLUDE(cli_words_options, C, words),
    NOT_HERE("level"),
    NOT_HERE("layer"),
    CLI_OPT_TEXT(
	"\n"
	"examples:\n"
	"  assetmap import svi SVI2018_US.csv\n"
	"  assetmap import svi SVI2018_SanFrancisco_tract.csv\n"
	"  assetmap import svi SVI_2022_CALIFORNIA_tract.csv --ranking state\n"
	"  assetmap import svi svi.csv --year 2020 --columns "
	"RPL_THEMES,EP_POV150\n"),
    CLI_OPT_END()};

const struct cli_opt cmd_import_places_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] import places FILE [--level LEVEL]\n"
	"                [--year N] [--population COL] [--skip-bad]\n"
	"\n"
	"Import CDC PLACES model-based estimates (asthma, diabetes, food\n"
	"insecurity, ...) for tracts, counties or ZCTAs, in either published\n"
	"form: the long one (one row per area and measure: LocationID, "
	"MeasureId,\n"
	"Data_Value, Low_Confidence_Limit, High_Confidence_Limit, Year,\n"
	"DataValueTypeID, ...) or the GIS-friendly one (one row per area:\n"
	"TractFIPS, CASTHMA_CrudePrev, CASTHMA_Crude95CI, ...).\n"
	"\n"
	"Each measure becomes the indicator PLACES_<MeasureId>, e.g.\n"
	"PLACES_CASTHMA, holding the crude prevalence (an age-adjusted one,\n"
	"published for counties, becomes PLACES_<MeasureId>_ADJ).  Its moe is\n"
	"half the width of the 95% confidence interval, (high - low) / 2: "
	"note\n"
	"it is a 95% interval, where the ACS's margins of error are 90% ones.\n"
	"Suppressed values (small populations) are stored as missing.  The "
	"year\n"
	"is the long form's Year column (the survey year of each measure).\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(18),
    CLI_OPT_STRING("level", 0, "LEVEL", C, level,
		   "tract, county or zcta, when the GEOIDs do not say"),
    YEAR("the data's year (the GIS-friendly form has none)"),
    POPULATION("make COL (TotalPopulation) the areas' population;\n"
	       "by default PLACES sets no population"),
    SKIP_BAD,
    CLI_OPT_INCLUDE(cli_words_options, C, words),
    NOT_HERE("layer"),
    NOT_HERE("columns"),
    NOT_HERE("ranking"),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap import places "
		 "PLACES__Local_Data_for_Better_Health__Census_Tract_Data_2024_"
		 "release.csv\n"
		 "  assetmap import places "
		 "PLACES__Census_Tract_Data__GIS_Friendly_Format___2024_"
		 "release.csv --year "
		 "2022\n"
		 "  assetmap import places places_zcta.csv --level zcta\n"),
    CLI_OPT_END()};

#undef NOT_HERE
#undef POPULATION
#undef YEAR
#undef SKIP_BAD
#undef C

enum census_kind { K_TIGER, K_ACS, K_SVI, K_PLACES };

static const char *const cmd_names[] = {"import tiger", "import acs",
					"import svi", "import places"};

/* "tract"/"tracts" for a level name, "area"/"areas" for none. */
static const char *noun(const char *level, long long n)
{
	const char *w = cli_level_words(level, n);

	return w ? w : n == 1 ? "area" : "areas";
}

/* The notes after a good import of kind k (suppressed by --quiet): the
 * importer's own notes, the rows rejected with --skip-bad, what was
 * imported (areas, or indicators and values) and rejected, water-only
 * areas and repaired polygons or missing values, the populations set,
 * and the areas that matched no polygon or have no people. */
static void summary(struct cli_ctx *ctx, enum census_kind k,
		    const struct imp_source *src,
		    const struct imp_census_stats *st)
{
	long long accepted = (long long)src->rows_accepted;
	long long rejected = (long long)src->rows_rejected;
	long long ncolumns = (long long)st->ncolumns;
	size_t i;

	for (i = 0; i < st->nnotes; i++)
		cli_note(ctx, "  %s\n", st->notes[i]);
	if (src->skip_bad && rejected)
		cli_import_rejects(ctx, src, 1);
	if (k == K_TIGER)
		cli_note(ctx, "imported %lld %s from %s", accepted,
			 noun(st->level, accepted), src->name);
	else if (k == K_PLACES && strstr(st->what ? st->what : "", "long"))
		cli_note(ctx, "imported %lld value%s of %lld measure%s from %s",
			 accepted, accepted == 1 ? "" : "s", ncolumns,
			 ncolumns == 1 ? "" : "s", src->name);
	else
		cli_note(ctx, "imported %lld indicator%s for %lld %s from %s",
			 ncolumns, ncolumns == 1 ? "" : "s", accepted,
			 noun(st->level, accepted), src->name);
	if (rejected)
		cli_note(ctx,
			 " (%lld rejected; 'assetmap sources --rejects %lld' "
			 "lists them)",
			 rejected, (long long)src->id);
	else
		cli_note(ctx, " (0 rejected)");
	if (k == K_TIGER) {
		cli_note(ctx, ", %lld water only", (long long)st->water_only);
		if (st->repaired)
			cli_note(ctx, ", %lld invalid polygon%s repaired",
				 (long long)st->repaired,
				 st->repaired == 1 ? "" : "s");
	} else {
		cli_note(ctx, ", %lld value%s of which %lld missing",
			 (long long)st->values, st->values == 1 ? "" : "s",
			 (long long)st->missing);
	}
	if (st->population_set)
		cli_note(ctx, "; set the population of %lld %s",
			 (long long)st->population_set,
			 noun(st->level, (long long)st->population_set));
	cli_note(ctx, "\n");
	if (st->unmatched)
		cli_note(ctx,
			 "  %lld of its %s %s no polygon in the workspace "
			 "(boundaries of another vintage?)\n",
			 (long long)st->unmatched,
			 st->level ? noun(st->level, 2) : "GEOIDs",
			 st->unmatched == 1 ? "has" : "have");
	if (st->no_population)
		cli_note(ctx,
			 "  %lld %s in the workspace %s 0 people: flagged, and "
			 "left out of analyses\n",
			 (long long)st->no_population,
			 noun(st->level, (long long)st->no_population),
			 st->no_population == 1 ? "has" : "have");
}

/* assetmap import tiger | acs | svi | places FILE, by k: parse the
 * options of that kind, import the one file into the open workspace,
 * then warn and note what the importer said, and the summary.  Returns
 * 0, or a code with ctx->err set: a usage error for bad arguments or
 * what the importer calls one, else the importer's error; a refused
 * import's rejected rows go to stderr. */
static int run(struct cli_ctx *ctx, enum census_kind k, int argc, char **argv)
{
	static const struct cli_opt *const tables[] = {
	    [K_TIGER] = cmd_import_tiger_options,
	    [K_ACS] = cmd_import_acs_options,
	    [K_SVI] = cmd_import_svi_options,
	    [K_PLACES] = cmd_import_places_options,
	};
	const char *cmd = cmd_names[k];
	struct imp_census_opts o;
	struct imp_census_stats st;
	struct imp_source src;
	int rc, nargs = 0;

	imp_census_opts_init(&o);
	if ((rc = cli_opt_parse(ctx, cmd, tables[k], &o, argc, argv, &nargs)))
		return rc;
	if (nargs < 1)
		return cli_usage(ctx, cmd, "which file? e.g. 'assetmap %s %s'",
				 cmd,
				 k == K_TIGER ? "tl_2020_06_tract.zip"
				 : k == K_ACS ? "ACSDT5Y2022.B01003-Data.csv"
				 : k == K_SVI ? "SVI2018_US.csv"
					      : "PLACES_tract.csv");
	if (nargs > 1)
		return cli_usage(
		    ctx, cmd, "unexpected argument '%s' (one file per import)",
		    argv[2]);
	o.path = argv[1];

	memset(&st, 0, sizeof(st));
	imp_source_init(&src, k == K_TIGER ? "areas" : "indicators");
	if ((rc = cli_import_words(ctx, cmd, &o.words, &src))) {
		cli_import_words_release(&o.words);
		imp_source_release(&src);
		return rc;
	}
	switch (k) {
	case K_TIGER:
		rc = imp_tiger_import(ctx->ws, &o, &src, &st, &ctx->err);
		break;
	case K_ACS:
		rc = imp_acs_import(ctx->ws, &o, &src, &st, &ctx->err);
		break;
	case K_SVI:
		rc = imp_svi_import(ctx->ws, &o, &src, &st, &ctx->err);
		break;
	default:
		rc = imp_places_import(ctx->ws, &o, &src, &st, &ctx->err);
		break;
	}
	if (src.warning)
		cli_warn("%s", src.warning);
	if (src.options && (rc == CORE_OK || src.rows_read > 0))
		cli_note(ctx, "%s: %s%susing %s\n", src.name,
			 st.what ? st.what : "", st.what ? ", " : "",
			 src.options);
	if (rc == CORE_OK) {
		summary(ctx, k, &src, &st);
	} else {
		cli_import_failed(ctx, cmd, rc, &src);
	}
	cli_import_words_release(&o.words);
	imp_source_release(&src);
	imp_census_stats_release(&st);
	return rc;
}

int cmd_import_tiger(struct cli_ctx *ctx, int argc, char **argv)
{
	return run(ctx, K_TIGER, argc, argv);
}

int cmd_import_acs(struct cli_ctx *ctx, int argc, char **argv)
{
	return run(ctx, K_ACS, argc, argv);
}

int cmd_import_svi(struct cli_ctx *ctx, int argc, char **argv)
{
	return run(ctx, K_SVI, argc, argv);
}

int cmd_import_places(struct cli_ctx *ctx, int argc, char **argv)
{
	return run(ctx, K_PLACES, argc, argv);
}
