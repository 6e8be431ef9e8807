/*
 * cmd_map.c - assetmap map: draw a print map to PNG, PDF or SVG.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core_mem.h"
#include "core/core_taxonomy.h"
#include "render/render_map.h"
#include "render/render_palette.h"

const char cmd_map_help[] =
	"usage: assetmap [-d WORKSPACE] map -o FILE.png|FILE.pdf|FILE.svg\n"
	"                [--level L] [--indicator NAME] [--classes N]\n"
	"                [--palette NAME] [--category C[,C...]]\n"
	"                [--title TEXT] [--subtitle TEXT] [--units mi|km]\n"
	"                [--width PX --height PX | --page P [--portrait]]\n"
	"\n"
	"Draw a print map: areas shaded by an indicator (social vulnerability\n"
	"by default) in quantile classes, community assets as a symbol per\n"
	"category, a title, a legend with counts, a scale bar, a north arrow and\n"
	"a note naming the workspace's source files.  The format comes from the\n"
	"output's extension.  Text stays text in PDF and SVG.\n"
	"\n"
	"what to show:\n"
	"  --level L          the areas: tract (default), blockgroup, county,\n"
	"                     zcta or state\n"
	"  --indicator NAME   the indicator that shades them; default RPL_THEMES\n"
	"                     (CDC SVI) when present, else the first whose name\n"
	"                     has 'svi' in it, else the first by name; with no\n"
	"                     indicators the areas are drawn unshaded.  Areas\n"
	"                     without a value are grey, under 'No data'\n"
	"  --classes N        quantile classes, 1 to 9 (default 5).  Ties merge\n"
	"                     classes rather than leave one empty, so there may be\n"
	"                     fewer; a value equal to a break goes in the lower\n"
	"                     class\n"
	"  --palette NAME     a ColorBrewer sequential palette, all colour-blind\n"
	"                     safe; default YlOrRd, or Blues when the categories\n"
	"                     shown are mostly warm colours (food is orange)\n"
	"                     that would sink into it:\n"
	"                     YlOrRd, YlOrBr, YlGnBu, YlGn, OrRd, PuBu, PuBuGn,\n"
	"                     PuRd, RdPu, BuGn, BuPu, GnBu, Blues, Greens,\n"
	"                     Oranges, Purples, Reds\n"
	"  --category C,...   asset categories to show, in legend order (default:\n"
	"                     every category that has assets); codes as listed by\n"
	"                     'assetmap categories'.  An asset in several shows\n"
	"                     once, under the first one listed\n"
	"\n"
	"the page:\n"
	"  -o, --output FILE  the map: FILE.png, FILE.pdf or FILE.svg (required);\n"
	"                     written in full or not at all\n"
	"  --title TEXT       default: \"Community assets and social vulnerability\"\n"
	"                     (or the indicator's name when it is not SVI)\n"
	"  --subtitle TEXT    a second line under the title (default none)\n"
	"  --units mi|km      the scale bar's units (default mi)\n"
	"  --width PX         PNG width in pixels (default 2400, at 200 dpi)\n"
	"  --height PX        PNG height in pixels (default 1800)\n"
	"  --page P           PDF/SVG page: letter (default), tabloid or a4\n"
	"  --landscape        PDF/SVG page on its side (the default)\n"
	"  --portrait         PDF/SVG page upright\n"
	"\n"
	"The same workspace and options give the same PNG and SVG bytes.  The\n"
	"note's date is today's, or $SOURCE_DATE_EPOCH's when set (which also\n"
	"fixes the PDF's creation date).\n"
	"\n"
	"examples:\n"
	"  assetmap -d county.db map -o svi.png\n"
	"  assetmap -d county.db map -o food.pdf --page tabloid \\\n"
	"      --category food,benefits --palette Blues \\\n"
	"      --title \"Food help and social vulnerability\" --units km\n";

#define CMD "map"

/* Split "a, b,c" into codes, checking each is a category. */
static int parse_categories(struct cli_ctx *ctx, const char *arg,
			    char ***out, size_t *n)
{
	char *copy = xstrdup(arg), *tok, *save = NULL;
	char **v = NULL;
	size_t cap = 0;
	int rc = CORE_OK;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *end;
		while (*tok == ' ')
			tok++;
		end = tok + strlen(tok);
		while (end > tok && end[-1] == ' ')
			*--end = '\0';
		if (!*tok)
			continue;
		if (!core_category_exists(ctx->ws, tok)) {
			rc = cli_usage(ctx, CMD,
				       "--category: '%s' is not a category; 'assetmap categories' lists them",
				       tok);
			break;
		}
		xgrow((void **)&v, &cap, *n + 1, sizeof(char *));
		v[(*n)++] = xstrdup(tok);
	}
	if (rc == CORE_OK && *n == 0)
		rc = cli_usage(ctx, CMD,
			       "--category: '%s' names no category; give codes such as food,housing",
			       arg);
	free(copy);
	*out = v;
	return rc;
}

int cmd_map(struct cli_ctx *ctx, int argc, char **argv)
{
	enum {
		O_LEVEL = 256, O_INDICATOR, O_CLASSES, O_PALETTE, O_CATEGORY,
		O_TITLE, O_SUBTITLE, O_UNITS, O_WIDTH, O_HEIGHT, O_PAGE,
		O_LANDSCAPE, O_PORTRAIT
	};
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "level", required_argument, NULL, O_LEVEL },
		{ "indicator", required_argument, NULL, O_INDICATOR },
		{ "classes", required_argument, NULL, O_CLASSES },
		{ "palette", required_argument, NULL, O_PALETTE },
		{ "category", required_argument, NULL, O_CATEGORY },
		{ "title", required_argument, NULL, O_TITLE },
		{ "subtitle", required_argument, NULL, O_SUBTITLE },
		{ "units", required_argument, NULL, O_UNITS },
		{ "width", required_argument, NULL, O_WIDTH },
		{ "height", required_argument, NULL, O_HEIGHT },
		{ "page", required_argument, NULL, O_PAGE },
		{ "landscape", no_argument, NULL, O_LANDSCAPE },
		{ "portrait", no_argument, NULL, O_PORTRAIT },
		{ NULL, 0, NULL, 0 }
	};
	struct render_spec spec;
	struct render_map *map = NULL;
	const char *output = NULL, *page = NULL, *category_arg = NULL;
	char **cats = NULL;
	size_t ncats = 0, i, shown = 0;
	long width = 0, height = 0, classes = 5;
	int c, rc = CORE_OK, orient = 0; /* 1 landscape, -1 portrait */

	render_spec_init(&spec);
	spec.creator = "assetmap " ASSETMAP_VERSION;
	while ((c = cli_getopt(ctx, CMD, argc, argv, "o:", opts)) != -1) {
		switch (c) {
		case -2:
			return CORE_EUSAGE;
		case 'o':
			output = optarg;
			break;
		case O_LEVEL:
			spec.level = optarg;
			break;
		case O_INDICATOR:
			spec.indicator = optarg;
			break;
		case O_CLASSES:
			if (cli_parse_long(ctx, CMD, "--classes", optarg, 1,
					   RENDER_CLASSES_MAX, &classes))
				return CORE_EUSAGE;
			break;
		case O_PALETTE:
			if (!render_palette_find(optarg))
				return cli_usage(ctx, CMD,
						 "--palette: '%s' is not a palette; use one of %s",
						 optarg, render_palette_names());
			spec.palette = optarg;
			break;
		case O_CATEGORY:
			category_arg = optarg;
			break;
		case O_TITLE:
			spec.title = optarg;
			break;
		case O_SUBTITLE:
			spec.subtitle = optarg;
			break;
		case O_UNITS:
			if (strcmp(optarg, "mi") == 0)
				spec.units = RENDER_MILES;
			else if (strcmp(optarg, "km") == 0)
				spec.units = RENDER_KM;
			else
				return cli_usage(ctx, CMD,
						 "--units: '%s' is not a unit; use mi or km",
						 optarg);
			break;
		case O_WIDTH:
			if (cli_parse_long(ctx, CMD, "--width", optarg, 300,
					   20000, &width))
				return CORE_EUSAGE;
			break;
		case O_HEIGHT:
			if (cli_parse_long(ctx, CMD, "--height", optarg, 300,
					   20000, &height))
				return CORE_EUSAGE;
			break;
		case O_PAGE:
			page = optarg;
			break;
		case O_LANDSCAPE:
			orient = 1;
			break;
		case O_PORTRAIT:
			orient = -1;
			break;
		}
	}
	if (optind < argc)
		return cli_usage(ctx, CMD, "unexpected argument '%s'",
				 argv[optind]);
	if (!output)
		return cli_usage(ctx, CMD,
				 "give the output file with -o FILE.png, FILE.pdf or FILE.svg");
	if (render_format_of_path(output, &spec.format, &ctx->err))
		return cli_usage(ctx, CMD, "%s", ctx->err.msg);
	spec.classes = (int)classes;
	if (spec.format == RENDER_PNG) {
		if (page || orient)
			return cli_usage(ctx, CMD,
					 "--page, --landscape and --portrait are for PDF and SVG; size a PNG with --width and --height");
		if (width)
			spec.width = (double)width;
		if (height)
			spec.height = (double)height;
	} else {
		if (width || height)
			return cli_usage(ctx, CMD,
					 "--width and --height are for PNG; size a PDF or SVG with --page letter|tabloid|a4 and --portrait");
		if (render_page_size(page ? page : "letter", orient >= 0,
				     &spec.width, &spec.height, &ctx->err))
			return cli_usage(ctx, CMD, "%s", ctx->err.msg);
	}
	if (category_arg) {
		if ((rc = parse_categories(ctx, category_arg, &cats, &ncats)))
			goto cleanup;
		spec.categories = (const char *const *)cats;
		spec.ncategories = ncats;
	}

	rc = render_map_build(ctx->ws, &spec, &map, &ctx->err);
	if (rc == CORE_EUSAGE)
		rc = cli_usage(ctx, CMD, "%s", ctx->err.msg);
	if (rc)
		goto cleanup;
	if ((rc = render_map_write(map, output, &ctx->err)))
		goto cleanup;
	for (i = 0; i < render_map_category_count(map); i++)
		shown += render_map_category_assets(map, i);
	if (render_map_indicator(map))
		cli_note(ctx,
			 "wrote %s: %zu %s areas shaded by %s in %d classes, %zu assets in %zu categories\n",
			 output, render_map_area_count(map),
			 spec.level, render_map_indicator(map),
			 render_map_classes(map)->n, shown,
			 render_map_category_count(map));
	else
		cli_note(ctx, "wrote %s: %zu %s areas (no indicator), %zu assets in %zu categories\n",
			 output, render_map_area_count(map), spec.level, shown,
			 render_map_category_count(map));
	if (render_map_assets_outside(map))
		cli_note(ctx, "%zu assets lie outside the mapped areas and are not shown\n",
			 render_map_assets_outside(map));
cleanup:
	render_map_free(map);
	for (i = 0; i < ncats; i++)
		free(cats[i]);
	free(cats);
	return rc;
}
