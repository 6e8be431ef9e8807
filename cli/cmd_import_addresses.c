/*
 * cmd_import_addresses.c - assetmap import addresses: the geocoder's
 * reference data, address points, TIGER/Line street ranges and ZIP
 * centroids (importers/imp_addresses.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_import.h"
#include "cli/cli_opt.h"
#include "importers/imp_addresses.h"

static const struct cli_opt_choice kinds[] = {{"points", IMP_ADDR_POINTS},
					      {"ranges", IMP_ADDR_RANGES},
					      {"zips", IMP_ADDR_ZIPS},
					      {NULL, 0}};

#define O		   struct imp_addr_opts
#define COL(name, c, help) CLI_OPT_STRING(name, 0, "COL", O, col[c], help)

const struct cli_opt cmd_import_addresses_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] import addresses FILE [--kind KIND]\n"
	"                [--number COL --street COL ...] [--layer NAME] "
	"[--skip-bad]\n"
	"       assetmap [-d WORKSPACE] import addresses EDGES ADDR FEATNAMES "
	"| DIR\n"
	"\n"
	"Import the reference data of the offline geocoder, as it is "
	"downloaded\n"
	"(a .zip is read in place):\n"
	"  points  address points: OpenAddresses CSV or GeoJSON (NUMBER, "
	"STREET,\n"
	"          UNIT, CITY, REGION, POSTCODE, LON, LAT), the National "
	"Address\n"
	"          Database (Add_Number, AddNum_Suf, St_PreDir, St_PreTyp,\n"
	"          St_Name, St_PosTyp, St_PosDir, Post_City, State, "
	"Zip_Code,\n"
	"          Longitude, Latitude) or a county's file such as San\n"
	"          Francisco's EAS (ADDR_NUM, ADDR_N_SFX, ST_NAME, ST_TYPE,\n"
	"          UNIT_NUM, ZIPCODE, LONGITUDE, LATITUDE);\n"
	"  ranges  TIGER/Line street ranges: ADDRFEAT (LFROMHN, LTOHN, "
	"RFROMHN,\n"
	"          RTOHN, ZIPL, ZIPR, PARITYL, PARITYR, FULLNAME) or EDGES\n"
	"          (LFROMADD, LTOADD, RFROMADD, RTOADD, ZIPL, ZIPR, "
	"FULLNAME),\n"
	"          alone or joined by TLID with ADDR (its ranges, several "
	"per\n"
	"          side) and FEATNAMES (every name of the street, "
	"alternates\n"
	"          too): give the county's three files, their zips, or "
	"the\n"
	"          directory holding them;\n"
	"  zips    ZIP centroids (zip, latitude, longitude, city, state) or "
	"the\n"
	"          Census ZCTA Gazetteer (GEOID, INTPTLAT, INTPTLONG).\n"
	"The kind is told from the columns; the columns of address points "
	"are\n"
	"guessed from common names (any case) and the mapping used is "
	"printed.\n"
	"\n"
	"Address points are stored once per base address: rows that repeat "
	"one\n"
	"(its units, its parcels) are folded into it and counted, and a row\n"
	"without a unit gives the point.  Rows without a house number or a\n"
	"street (EAS's UNKNOWN) are skipped and counted.  TIGER edges give a\n"
	"row per side that has a range, with its parity (PARITYL/R, else "
	"from\n"
	"the numbers) and ZIP (99999 is none), the edge reprojected to WGS84;\n"
	"edges without a range are skipped and counted.  A side whose range "
	"is\n"
	"not plain digits (EDGES has some like P98 or R501) is a bad row.\n"
	"Street names are normalised (USPS Publication 28).  Importing the "
	"same\n"
	"file again replaces it.  A bad row (a coordinate out of range, a "
	"house\n"
	"number or ZIP that is not one, ...) stops the import, which lists "
	"the\n"
	"rows (file, line, field and value) and leaves the workspace as it "
	"was.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(20),
    CLI_OPT_CHOICE("kind", 0, "KIND", O, kind, kinds,
		   "points, ranges or zips, when the columns do not say"),
    CLI_OPT_STRING("layer", 0, "NAME", O, layer,
		   "the layer of a file holding several (GeoPackage)"),
    CLI_OPT_FLAG("skip-bad", 0, O, skip_bad, 1,
		 "import the good rows anyway; the rejected ones are\n"
		 "kept and listed by 'assetmap sources --rejects ID'"),
    CLI_OPT_TEXT("\n"
		 "columns of address points (guessed when not given):\n"),
    COL("number", IMP_ADDR_COL_NUMBER,
	"house number: 2901, 32A, 12 1/2 (NUMBER, ADDR_NUM, ...)"),
    COL("suffix", IMP_ADDR_COL_SUFFIX, "its suffix (ADDR_N_SFX, AddNum_Suf)"),
    COL("street", IMP_ADDR_COL_STREET, "the street line: '16th St' (STREET)"),
    COL("name", IMP_ADDR_COL_NAME,
	"or the street name alone (ST_NAME, St_Name), with:"),
    COL("predir", IMP_ADDR_COL_PREDIR, "  its directional before (St_PreDir)"),
    COL("pretype", IMP_ADDR_COL_PRETYPE, "  its type before (St_PreTyp)"),
    COL("type", IMP_ADDR_COL_TYPE, "  its type after (ST_TYPE, St_PosTyp)"),
    COL("postdir", IMP_ADDR_COL_POSTDIR, "  its directional after (St_PosDir)"),
    COL("unit", IMP_ADDR_COL_UNIT,
	"the unit, read to fold units into their base address"),
    COL("city", IMP_ADDR_COL_CITY, "city (CITY, Post_City, Inc_Muni)"),
    COL("state", IMP_ADDR_COL_STATE, "state (REGION, State)"),
    COL("zip", IMP_ADDR_COL_ZIP, "ZIP code (POSTCODE, ZIPCODE, Zip_Code)"),
    COL("lon", IMP_ADDR_COL_LON,
	"longitude and latitude in decimal degrees, when"),
    COL("lat", IMP_ADDR_COL_LAT, "there is no point geometry"),
    CLI_OPT_TEXT(
	"  (--zip, --city, --state, --lon and --lat apply to ZIP centroids "
	"too)\n"
	"\n"
	"examples:\n"
	"  assetmap import addresses us_ca_san_francisco.zip\n"
	"  assetmap import addresses sf_eas_addresses_excerpt.csv\n"
	"  assetmap import addresses NAD_r17.txt --kind points\n"
	"  assetmap import addresses tl_2021_30059_addrfeat.zip\n"
	"  assetmap import addresses tl_2020_37143_edges.shp --skip-bad\n"
	"  assetmap import addresses tl_2020_37143_edges.zip "
	"tl_2020_37143_addr.zip \\\n"
	"      tl_2020_37143_featnames.zip --skip-bad\n"
	"  assetmap import addresses ca_zip_centroids.csv\n"
	"  assetmap import addresses 2023_Gaz_zcta_national.txt\n"),
    CLI_OPT_END()};

#undef COL
#undef O

/* The notes after a good import (suppressed by --quiet): the rows
 * rejected with --skip-bad, then what was stored and what was folded,
 * skipped or rejected. */
static void summary(struct cli_ctx *ctx, const struct imp_source *src,
		    const struct imp_addr_stats *st)
{
	long long rej = (long long)src->rows_rejected;

	if (src->skip_bad && rej)
		cli_import_rejects(ctx, src, 1);
	switch (st->kind) {
	case IMP_ADDR_POINTS:
		cli_note(ctx,
			 "imported %lld address point%s from %s (%lld rows "
			 "folded into a base address they repeat, %lld of "
			 "them at another point; %lld without a number or "
			 "street skipped)",
			 (long long)st->points, st->points == 1 ? "" : "s",
			 src->name, (long long)st->folded, (long long)st->moved,
			 (long long)st->skipped);
		break;
	case IMP_ADDR_RANGES:
		cli_note(ctx,
			 "imported %lld street range%s from %s (%lld left, "
			 "%lld right sides; %lld edges without a range "
			 "skipped",
			 (long long)(st->left + st->right),
			 st->left + st->right == 1 ? "" : "s", src->name,
			 (long long)st->left, (long long)st->right,
			 (long long)st->no_range);
		if (st->alt_rows)
			cli_note(ctx, ", %lld of them alternate names",
				 (long long)st->alt_rows);
		if (st->unnamed)
			cli_note(ctx, ", %lld ranged edges without a name",
				 (long long)st->unnamed);
		cli_note(ctx, ")");
		break;
	default:
		cli_note(ctx, "imported %lld ZIP centroid%s from %s",
			 (long long)st->zips, st->zips == 1 ? "" : "s",
			 src->name);
		break;
	}
	if (rej)
		cli_note(ctx,
			 ", rejected %lld ('assetmap sources --rejects %lld' "
			 "lists them)",
			 rej, (long long)src->id);
	else
		cli_note(ctx, ", rejected 0");
	if (st->zip_blank)
		cli_note(ctx, "; %lld ZIP%s like 99999 stored empty",
			 (long long)st->zip_blank,
			 st->zip_blank == 1 ? "" : "s");
	cli_note(ctx, "\n");
}

int cmd_import_addresses(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *cmd = "import addresses";
	struct imp_addr_opts o;
	struct imp_addr_stats st;
	struct imp_source src;
	int rc, nargs = 0;

	imp_addr_opts_init(&o);
	if ((rc = cli_opt_parse(ctx, cmd, cmd_import_addresses_options, &o,
				argc, argv, &nargs)))
		return rc;
	if (nargs < 1)
		return cli_usage(ctx, cmd,
				 "which file? e.g. 'assetmap import addresses "
				 "tl_2021_30059_addrfeat.zip'");
	/* more files: a county's TIGER EDGES, ADDR and FEATNAMES */
	o.path = argv[1];
	o.more = (const char *const *)argv + 2;
	o.nmore = (size_t)nargs - 1;

	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "addresses");
	rc = imp_addr_import(ctx->ws, &o, &src, &st, &ctx->err);
	if (src.warning)
		cli_warn("%s", src.warning);
	if (src.options && (rc == CORE_OK || src.rows_read > 0))
		cli_note(ctx, "%s: %s, using %s\n", src.name,
			 st.what ? st.what : "addresses", src.options);
	if (rc == CORE_OK)
		summary(ctx, &src, &st);
	else
		cli_import_failed(ctx, cmd, rc, &src);
	imp_source_release(&src);
	imp_addr_stats_release(&st);
	return rc;
}
