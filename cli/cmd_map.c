/*
 * cmd_map.c - assetmap map: draw a print map to PNG, PDF or SVG, from
 * options and/or a map file (render_style.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/cli_analysis.h"
#include "cli/cli_opt.h"
#include "core/core_mem.h"
#include "core/core_out.h"
#include "core/core_taxonomy.h"
#include "importers/imp_basemap.h"
#include "importers/imp_xwalk.h"
#include "render/render_map.h"
#include "render/render_palette.h"
#include "render/render_style.h"

#define CMD "map"

/* Everything the command line says, before it meets the map file. */
struct map_opts {
	const char *output, *style, *save_style;
	const char *level, *indicator, *title, *subtitle, *palette;
	const char *legend_title;
	const char *bivar_palette, *cohort, *deserts, *outline;
	const char *author, *subject, *category, *bivariate, *breaks;
	const char *page, *extent, *cohort_areas, *basemap;
	int no_basemap; /* 1: no basemap, not even the workspace's roads */
	int units;	/* -1 unset, else enum render_units */
	int method;	/* -1 unset, else enum render_method */
	long classes, width, height, dpi; /* 0: unset */
	int orient; /* 1 landscape, -1 portrait, 0 unset */
	int assets, size_cap, cluster, labels, inset; /* -1 unset, 0, 1 */
	int partners;	       /* -1 unset, else enum render_partners */
	struct cli_analysis a; /* the supply filters (cli_filter_options) */
};

static int palette_opt(struct cli_ctx *ctx, const char *cmd,
		       const struct cli_opt *opt, const char *value,
		       void *target)
{
	(void)opt;
	if (!render_palette_find(value))
		return cli_usage(ctx, cmd,
				 "--palette: '%s' is not a palette; use one "
				 "of %s",
				 value, render_palette_names());
	*(const char **)target = value;
	return CORE_OK;
}

static int bivar_palette_opt(struct cli_ctx *ctx, const char *cmd,
			     const struct cli_opt *opt, const char *value,
			     void *target)
{
	(void)opt;
	if (!render_bivar_find(value))
		return cli_usage(ctx, cmd,
				 "--bivariate-palette: '%s' is not a "
				 "bivariate palette; use one of %s",
				 value, render_bivar_names());
	*(const char **)target = value;
	return CORE_OK;
}

static int page_opt(struct cli_ctx *ctx, const char *cmd,
		    const struct cli_opt *opt, const char *value, void *target)
{
	double w, h;

	(void)opt;
	if (render_page_size(value, 1, &w, &h, &ctx->err))
		return cli_usage(ctx, cmd, "%s", ctx->err.msg);
	*(const char **)target = value;
	return CORE_OK;
}

static int method_opt(struct cli_ctx *ctx, const char *cmd,
		      const struct cli_opt *opt, const char *value,
		      void *target)
{
	enum render_method method;

	(void)opt;
	if (render_method_parse(value, &method, &ctx->err))
		return cli_usage(ctx, cmd, "--method: %s", ctx->err.msg);
	*(int *)target = (int)method;
	return CORE_OK;
}

/* --areas: where a cohort's counts are added up. */
static const struct cli_opt_choice map_areas[] = {
    {"zcta", 0}, {"county", 0}, {"neighborhood", 0},
    {"hex", 0},	 {"tract", 0},	{"blockgroup", 0},
    {NULL, 0}};

/* --outline: a level, or none ("" too). */
static int outline_opt(struct cli_ctx *ctx, const char *cmd,
		       const struct cli_opt *opt, const char *value,
		       void *target)
{
	const struct cli_opt_choice *c;

	(void)opt;
	if (!*value || strcmp(value, "none") == 0) {
		*(const char **)target = "none";
		return CORE_OK;
	}
	for (c = cli_area_levels; c->name; c++)
		if (strcmp(c->name, value) == 0) {
			*(const char **)target = value;
			return CORE_OK;
		}
	return cli_usage(ctx, cmd,
			 "--outline: '%s' is not an area level; use county, "
			 "state, tract, blockgroup, zcta or none",
			 value);
}

/* --partners [all|current|prospective|any]: without a value, all. */
static int partners_opt(struct cli_ctx *ctx, const char *cmd,
			const struct cli_opt *opt, const char *value,
			void *target)
{
	enum render_partners p = RENDER_PARTNERS_ALL;

	(void)opt;
	if (value && (strcasecmp(value, "no") == 0 ||
		      render_partners_parse(value, &p, &ctx->err)))
		return cli_usage(ctx, cmd, "--partners: %s",
				 strcasecmp(value, "no") == 0
				     ? "'no' is for the map file; leave "
				       "--partners out, or give --no-partners"
				     : ctx->err.msg);
	*(int *)target = (int)p;
	return CORE_OK;
}

static const struct cli_opt_choice map_units[] = {
    {"mi", RENDER_MILES}, {"km", RENDER_KM}, {NULL, 0}};

#define O struct map_opts
/* A switch and its opposite: --NAME sets F to 1, --no-NAME to 0. */
#define SWITCH(name, F, label, help)                                           \
	CLI_OPT_FULL(CLI_OPT_KIND_FLAG, name, 0, NULL, O, F, help,             \
		     (help) ? 0 : CLI_OPT_HIDDEN, label, NULL, 1, 0, 0, NULL,  \
		     NULL)
#define NO_SWITCH(name, F, help)                                               \
	CLI_OPT_FULL(CLI_OPT_KIND_FLAG, name, 0, NULL, O, F, help,             \
		     (help) ? 0 : CLI_OPT_HIDDEN, NULL, NULL, 0, 0, 0, NULL,   \
		     NULL)

/* Longer than the 4095 characters C99 promises a literal may have; GCC
 * and clang take any length. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
const struct cli_opt cmd_map_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] map -o FILE.png|FILE.pdf|FILE.svg "
	"[OPTIONS]\n"
	"       assetmap [-d WORKSPACE] map --style MAP.txt [-o FILE] "
	"[OPTIONS]\n"
	"       assetmap [-d WORKSPACE] map [OPTIONS] --save-style MAP.txt [-o "
	"FILE]\n"
	"\n"
	"Draw a print map: areas shaded by an indicator (social vulnerability\n"
	"by default), community assets as a symbol per category, outlines and\n"
	"names of the counties, an inset locator map, a title, a legend with\n"
	"counts, a scale bar, a north arrow and a note naming the workspace's\n"
	"source files.  With only -o it draws every area, the first\n"
	"vulnerability indicator and all assets.  The format comes from the\n"
	"output's extension.  Text stays text in PDF and SVG.\n"
	"\n"),
    CLI_OPT_COLUMN(21),
    CLI_OPT_TEXT("what is shaded:\n"),
    CLI_OPT_FULL(CLI_OPT_KIND_CHOICE, "level", 0, "L", O, level,
		 "the areas: tract (default), blockgroup, county,\n"
		 "zcta, state or neighborhood",
		 CLI_OPT_STORE_NAME, NULL,
		 "'%s' is not an area level; use tract, blockgroup, county, "
		 "zcta, state or neighborhood",
		 0, 0, 0, cli_area_levels, NULL),
    CLI_OPT_STRING("indicator", 0, "V", O, indicator,
		   "what shades them: an indicator's name, or\n"
		   "RUN:COLUMN, a per-area column of a stored result\n"
		   "(RUN: a run id, 'last', or an analysis name for its\n"
		   "newest run, e.g. gaps:gap).  Default RPL_THEMES\n"
		   "(CDC SVI) when present, else the first indicator\n"
		   "whose name has 'svi' in it, else the first by name;\n"
		   "with none the areas are drawn unshaded.  Areas\n"
		   "without a value are grey, under 'No data'; result\n"
		   "cells suppressed for privacy under 'Suppressed'"),
    CLI_OPT_CALLBACK("method", 0, "M", O, method, method_opt,
		     "classes by quantile (default), equal (interval),\n"
		     "jenks (natural breaks), stddev or manual.  A value\n"
		     "equal to a break goes in the lower class; no class\n"
		     "is ever empty (ties merge classes)"),
    CLI_OPT_INT("classes", 0, "N", O, classes, 1, RENDER_CLASSES_MAX,
		"how many classes, 1 to 9 (default 5)"),
    CLI_OPT_STRING("breaks", 0, "B,B,...", O, breaks,
		   "inner breaks, ascending (implies --method manual;\n"
		   "N breaks make N + 1 classes)"),
    CLI_OPT_CALLBACK("palette", 0, "NAME", O, palette, palette_opt,
		     "a ColorBrewer scheme; default YlOrRd, or Blues when\n"
		     "the categories shown are mostly warm colours.  A\n"
		     "scheme ColorBrewer does not rate colour-blind safe\n"
		     "for the number of classes is drawn with a warning.\n"
		     "sequential: YlOrRd, YlOrBr, YlGnBu, YlGn, OrRd,\n"
		     "PuBu, PuBuGn, PuRd, RdPu, BuGn, BuPu, GnBu, Blues,\n"
		     "Greens, Oranges, Purples, Reds; diverging: BrBG,\n"
		     "PiYG, PRGn, PuOr, RdBu, RdGy, RdYlBu, RdYlGn,\n"
		     "Spectral; qualitative: Accent, Dark2, Paired,\n"
		     "Pastel1, Pastel2, Set1, Set2, Set3"),
    CLI_OPT_STRING("bivariate", 0, "NEED,ACCESS", O, bivariate,
		   "a 3 x 3 bivariate map of two values (indicators or\n"
		   "RUN:COLUMN) in tertiles, with its square legend, in\n"
		   "place of --indicator"),
    CLI_OPT_CALLBACK("bivariate-palette", 0, "NAME", O, bivar_palette,
		     bivar_palette_opt,
		     "its scheme: PurpleGold (default), GreenBlue,\n"
		     "BlueRed or PinkBlue"),
    CLI_OPT_STRING("cohort", 0, "NAME", O, cohort,
		   "shade by a cohort's members per area (counts from\n"
		   "1 to 10 suppressed); never drawn as points"),
    CLI_OPT_FULL(CLI_OPT_KIND_CHOICE, "areas", 0, "LEVEL", O, cohort_areas,
		 "with --cohort: add its counts up into larger areas,\n"
		 "so fewer are suppressed: zcta, county, neighborhood\n"
		 "(import areas --level neighborhood) or hex, hexagons\n"
		 "sized so most reach 11 (the page gives their size)",
		 CLI_OPT_STORE_NAME, NULL,
		 "'%s' is not an area level; use zcta, county, "
		 "neighborhood, hex, tract or blockgroup",
		 0, 0, 0, map_areas, NULL),
    CLI_OPT_STRING("deserts", 0, "RUN", O, deserts,
		   "a deserts run (id, 'last' or 'deserts') drawn as\n"
		   "hatched polygons over the shading"),
    CLI_OPT_TEXT("\nassets:\n"),
    CLI_OPT_STRING("category", 0, "C,...", O, category,
		   "asset categories to show, in legend order (default:\n"
		   "every category that has assets); codes as listed by\n"
		   "'assetmap categories'.  An asset in several shows\n"
		   "once, under the first one listed"),
    NO_SWITCH("no-assets", assets, "no asset symbols"),
    SWITCH("size-by-capacity", size_cap, NULL,
	   "symbol area grows with the asset's capacity"),
    NO_SWITCH("no-cluster", cluster,
	      "draw overlapping symbols as they are, rather than\n"
	      "gather them into counted clusters"),
    CLI_OPT_FULL(CLI_OPT_KIND_CALLBACK, "partners", 0, NULL, O, partners,
		 "mark each asset by its status in the partnership\n"
		 "register: a current partner's symbol filled, a\n"
		 "prospective partner's outlined (the same shape\n"
		 "and colour, hollow), any other asset (former,\n"
		 "none, not in the register) small and faded, each\n"
		 "counted in the legend.  With a value, only those\n"
		 "assets: current, prospective or any (current or\n"
		 "prospective), as the analyses' --partners counts\n"
		 "them; all is the same as no value.  Partners are\n"
		 "never gathered into clusters.  A workspace with\n"
		 "no register is an error ('assetmap import\n"
		 "partners' or 'partner set' records one)",
		 CLI_OPT_OPTWORD, "--partners [current|prospective|any]", NULL,
		 0, 0, 0, NULL, partners_opt),
    CLI_OPT_TEXT("\nwhich assets are drawn (all optional, combined with "
		 "'and'; the\nlegend says which; not kept in a map file):\n"),
    CLI_OPT_INCLUDE(cli_filter_options, O, a),
    CLI_OPT_TEXT("\ncontext:\n"),
    CLI_OPT_CALLBACK("outline", 0, "L|none", O, outline, outline_opt,
		     "outline the areas of a larger level (county,\n"
		     "state, ...); default counties when the workspace\n"
		     "has them and the map shows a finer level"),
    NO_SWITCH("no-labels", labels, "do not name the outlined places"),
    NO_SWITCH("no-inset", inset,
	      "no inset locator map (drawn when the workspace's\n"
	      "state, or its counties, reach well beyond the map)"),
    CLI_OPT_STRING("basemap", 0, "FILE.osm.pbf", O, basemap,
		   "draw a light basemap from this OpenStreetMap\n"
		   "extract under the areas: water, major roads by\n"
		   "class, street and place names; the sources line\n"
		   "credits OpenStreetMap"),
    CLI_OPT_FLAG("no-basemap", 0, O, no_basemap, 1,
		 "no basemap (by default the roads of 'import roads'\n"
		 "are drawn when the workspace has them)"),
    CLI_OPT_STRING("extent", 0, "W,S,E,N", O, extent,
		   "the frame shows this lon/lat box (degrees west,\n"
		   "south, east, north), and the automatic projection\n"
		   "is centred on it; default: the areas drawn (not\n"
		   "everything imported: a city's tracts beside the\n"
		   "state's counties frame the city)"),
    SWITCH("assets", assets,
	   "--assets, --cluster, --labels, --inset, --no-size-by-capacity,\n"
	   "  --no-partners",
	   "undo what a --style file turned off (or on)"),
    SWITCH("cluster", cluster, NULL, NULL),
    CLI_OPT_FULL(CLI_OPT_KIND_FLAG, "no-partners", 0, NULL, O, partners, NULL,
		 CLI_OPT_HIDDEN, NULL, NULL, RENDER_PARTNERS_OFF, 0, 0, NULL,
		 NULL),
    SWITCH("labels", labels, NULL, NULL),
    SWITCH("inset", inset, NULL, NULL),
    NO_SWITCH("no-size-by-capacity", size_cap, NULL),
    CLI_OPT_TEXT("\nthe page:\n"),
    CLI_OPT_STRING("output", 'o', "FILE", O, output,
		   "the map: FILE.png, FILE.pdf or FILE.svg; written in\n"
		   "full or not at all"),
    CLI_OPT_STRING("title", 0, "TEXT", O, title,
		   "default: \"Community assets and social vulnerability\"\n"
		   "(or the indicator's name when it is not SVI)"),
    CLI_OPT_STRING("subtitle", 0, "TEXT", O, subtitle,
		   "a second line under the title (default none)"),
    CLI_OPT_STRING("legend-title", 0, "TEXT", O, legend_title,
		   "the legend's heading (default: what is shaded, in\n"
		   "words: 'Social vulnerability (overall percentile)')"),
    CLI_OPT_FULL(CLI_OPT_KIND_CHOICE, "units", 0, "mi|km", O, units,
		 "the scale bar's units (default mi)", 0, NULL,
		 "'%s' is not a unit; use mi or km", 0, 0, 0, map_units, NULL),
    CLI_OPT_CALLBACK("page", 0, "P", O, page, page_opt,
		     "letter, tabloid or a4; a PNG of a page has its size\n"
		     "at --dpi (pixels = points x dpi / 72).  Default:\n"
		     "letter for PDF and SVG, 2400 x 1800 pixels for PNG"),
    CLI_OPT_FLAG("landscape", 0, O, orient, 1,
		 "the page on its side (the default)"),
    CLI_OPT_FLAG("portrait", 0, O, orient, -1, "the page upright"),
    CLI_OPT_INT("width", 0, "PX", O, width, 300, 20000,
		"a custom size in pixels, 300 to 20000, in place of"),
    CLI_OPT_INT("height", 0, "PX", O, height, 300, 20000,
		"--page (PDF and SVG: pixels x 72 / dpi points)"),
    CLI_OPT_INT("dpi", 0, "N", O, dpi, 36, 1200,
		"dots per inch, 36 to 1200 (default 200); type and\n"
		"lines keep their size in inches"),
    CLI_OPT_STRING("author", 0, "TEXT", O, author,
		   "the PDF's author (default none)"),
    CLI_OPT_STRING("subject", 0, "TEXT", O, subject,
		   "the PDF's subject (default: what is shaded)"),
    CLI_OPT_TEXT("\nthe map file:\n"),
    CLI_OPT_STRING("style", 0, "FILE", O, style,
		   "read the map's settings from FILE; options given\n"
		   "on the command line override it"),
    CLI_OPT_STRING("save-style", 0, "FILE", O, save_style,
		   "write the settings (the file's and the options')\n"
		   "to FILE after the map is drawn; without -o only\n"
		   "FILE is written (nothing is read from the\n"
		   "workspace but the categories)"),
    CLI_OPT_TEXT(
	"\n"
	"  A map file is plain text, one 'key = value' a line.  A line whose\n"
	"  first non-blank character is '#' is a comment; spaces around the "
	"key,\n"
	"  '=' and value are dropped, and double quotes keep them (\" x \").  "
	"The\n"
	"  keys are the long options above, switches said positively "
	"(no-assets:\n"
	"  'assets = no'): title, subtitle, legend-title, level, indicator,\n"
	"  method, classes, breaks, palette, bivariate, bivariate-palette,\n"
	"  cohort, deserts, category, assets, size-by-capacity, cluster\n"
	"  (yes|no), partners (all|current|prospective|any), outline, labels,\n"
	"  inset (yes|no), extent, basemap (FILE.osm.pbf|none), units, page,\n"
	"  orientation (landscape|portrait), width, height (pixels), dpi,\n"
	"  author, subject.\n"
	"  Each key once; a key left out keeps its default.  For example:\n"
	"\n"
	"    # Food help and need, for the county's 2025 grant\n"
	"    title = Food help and social vulnerability\n"
	"    indicator = RPL_THEMES\n"
	"    method = jenks\n"
	"    category = food,benefits\n"
	"    page = tabloid\n"
	"    orientation = portrait\n"
	"\n"
	"The same workspace and options give the same PNG, PDF and SVG bytes.\n"
	"The note's date is today's, or $SOURCE_DATE_EPOCH's when set (which\n"
	"also fixes the PDF's creation date).\n"
	"\n"
	"examples:\n"
	"  assetmap -d county.db map -o svi.png\n"
	"  assetmap -d county.db map -o food.pdf --page tabloid \\\n"
	"      --category food,benefits --palette Blues \\\n"
	"      --title \"Food help and social vulnerability\" --units km\n"
	"  assetmap -d county.db map -o need.pdf --bivariate "
	"gaps:need,gaps:access_food\n"
	"  assetmap -d county.db map -o streets.pdf --basemap "
	"alameda.osm.pbf\n"
	"  assetmap -d county.db map -o network.pdf --partners \\\n"
	"      --category food,primary_care   # the stakeholder map\n"
	"  assetmap -d county.db map -o food.png --method manual --breaks "
	"0.25,0.5,0.75 \\\n"
	"      --save-style food-map.txt\n"
	"  assetmap -d county-2026.db map --style food-map.txt -o "
	"food-2026.pdf\n"),
    CLI_OPT_END()};
#pragma GCC diagnostic pop

#undef SWITCH
#undef NO_SWITCH
#undef O

/* A trimmed copy of s[0..n). */
static char *trimmed(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xasprintf("%.*s", (int)n, s);
}

/* NEED,ACCESS into two trimmed copies the caller frees. */
static int parse_bivariate(struct cli_ctx *ctx, const char *arg, char **x,
			   char **y)
{
	const char *comma = strchr(arg, ',');

	*x = *y = NULL;
	if (comma && !strchr(comma + 1, ',')) {
		*x = trimmed(arg, (size_t)(comma - arg));
		*y = trimmed(comma + 1, strlen(comma + 1));
		if (**x && **y)
			return CORE_OK;
	}
	return cli_usage(ctx, CMD,
			 "--bivariate: '%s' is not two values; give "
			 "NEED,ACCESS (indicators or RUN:COLUMN)",
			 arg);
}

/* The options into o, then the checks of how they go together. */
static int parse_opts(struct cli_ctx *ctx, int argc, char **argv,
		      struct map_opts *o)
{
	int rc;

	memset(o, 0, sizeof(*o));
	cli_analysis_init(&o->a);
	o->units = o->method = -1;
	o->assets = o->size_cap = o->cluster = o->labels = o->inset = -1;
	o->partners = -1;
	if ((rc =
		 cli_opt_parse(ctx, CMD, cmd_map_options, o, argc, argv, NULL)))
		return rc;
	if (!o->output && !o->save_style)
		return cli_usage(ctx, CMD,
				 "give the output file with -o FILE.png, "
				 "FILE.pdf or FILE.svg");
	if (o->page && (o->width || o->height))
		return cli_usage(
		    ctx, CMD, "give --page or --width and --height, not both");
	if (o->breaks && o->method >= 0 && o->method != RENDER_MANUAL)
		return cli_usage(
		    ctx, CMD, "--breaks are for --method manual, not %s",
		    render_method_name((enum render_method)o->method));
	if (geo_filter_is_set(&o->a.filter) && o->assets == 0)
		return cli_usage(ctx, CMD,
				 "the asset filters (--medi-cal, --language, "
				 "...) choose the assets drawn; they cannot go "
				 "with --no-assets");
	if (o->breaks && o->classes)
		return cli_usage(ctx, CMD,
				 "--classes and --breaks: the breaks make the "
				 "classes; leave --classes out");
	return CORE_OK;
}

/* The size: what the map file said, then the options, for the format. */
static int apply_size(struct cli_ctx *ctx, const struct map_opts *o,
		      struct render_spec *spec, int style_sized)
{
	const char *page = spec->page;
	int portrait = spec->portrait;
	double wpx, hpx;

	/* Pixels at the dpi the sizes were given at. */
	render_style_pixels(spec, &wpx, &hpx);
	if (o->dpi)
		spec->dpi = (double)o->dpi;
	if (o->page) {
		page = o->page;
		portrait = 0;
	}
	if (o->width || o->height) {
		page = NULL;
		if (o->width)
			wpx = (double)o->width;
		if (o->height)
			hpx = (double)o->height;
	}
	if (o->orient) {
		if (!page && spec->format == RENDER_PNG)
			return cli_usage(ctx, CMD,
					 "--portrait and --landscape turn a "
					 "page; give --page letter|tabloid|a4");
		if (!page)
			page = "letter";
		portrait = o->orient < 0;
	}
	if (!style_sized && !o->page && !o->width && !o->height && !o->orient)
		return CORE_OK; /* the format's default size */
	if (render_style_set_size(spec, page, portrait, wpx, hpx, &ctx->err))
		return cli_usage(ctx, CMD, "%s", ctx->err.msg);
	return CORE_OK;
}

/* The options over the spec the map file (or the defaults) made. */
static int apply_opts(struct cli_ctx *ctx, const struct map_opts *o,
		      struct render_spec *spec, double **breaks,
		      char **bivar_need, char **bivar_access)
{
	size_t n = 0;

	if (o->level)
		spec->level = o->level;
	if (o->indicator)
		spec->indicator = o->indicator;
	if (o->title)
		spec->title = o->title;
	if (o->subtitle)
		spec->subtitle = o->subtitle;
	if (o->legend_title)
		spec->legend_title = o->legend_title;
	if (o->palette)
		spec->palette = o->palette;
	if (o->bivar_palette)
		spec->bivar_palette = o->bivar_palette;
	if (o->cohort)
		spec->cohort = o->cohort;
	if (o->cohort_areas)
		spec->cohort_areas = o->cohort_areas;
	if (o->deserts)
		spec->deserts = o->deserts;
	if (o->outline)
		spec->outline = o->outline;
	if (o->author)
		spec->author = o->author;
	if (o->subject)
		spec->subject = o->subject;
	if (o->units >= 0)
		spec->units = (enum render_units)o->units;
	if (o->assets >= 0)
		spec->no_assets = !o->assets;
	if (o->size_cap >= 0)
		spec->size_by_capacity = o->size_cap;
	if (o->cluster >= 0)
		spec->no_cluster = !o->cluster;
	if (o->partners >= 0)
		spec->partners = (enum render_partners)o->partners;
	if (o->labels >= 0)
		spec->no_labels = !o->labels;
	if (o->inset >= 0)
		spec->no_inset = !o->inset;
	if (o->extent) {
		if (render_extent_parse(o->extent, spec->extent, &ctx->err))
			return cli_usage(ctx, CMD, "--extent: %s",
					 ctx->err.msg);
		spec->has_extent = 1;
	}
	if (o->bivariate) {
		if (parse_bivariate(ctx, o->bivariate, bivar_need,
				    bivar_access))
			return CORE_EUSAGE;
		spec->bivar_x = *bivar_need;
		spec->bivar_y = *bivar_access;
	}
	if (o->classes) {
		if (spec->method == RENDER_MANUAL && o->method < 0 &&
		    !o->breaks)
			return cli_usage(ctx, CMD,
					 "--classes: the map file's manual "
					 "breaks make %zu classes; give "
					 "--method too, or leave --classes out",
					 spec->nbreaks + 1);
		spec->classes = (int)o->classes;
	}
	if (o->method >= 0) {
		spec->method = (enum render_method)o->method;
		if (spec->method != RENDER_MANUAL) {
			spec->breaks = NULL;
			spec->nbreaks = 0;
		}
	}
	if (o->breaks) {
		if (render_style_parse_breaks(o->breaks, breaks, &n, &ctx->err))
			return cli_usage(ctx, CMD, "--breaks: %s",
					 ctx->err.msg);
		spec->breaks = *breaks;
		spec->nbreaks = n;
		spec->method = RENDER_MANUAL;
	}
	if (spec->method == RENDER_MANUAL) {
		if (spec->nbreaks == 0)
			return cli_usage(ctx, CMD,
					 "--method manual needs --breaks, e.g. "
					 "--breaks 0.25,0.5,0.75");
		spec->classes = (int)spec->nbreaks + 1;
	}
	return CORE_OK;
}

/* The map file's categories must be the workspace's codes (as
 * --save-style writes them); a near one is suggested, never taken. */
static int check_style_categories(struct cli_ctx *ctx, const char *style,
				  const struct render_spec *spec)
{
	struct imp_xwalk *xw = NULL;
	struct core_buf b = CORE_BUF_INIT;
	size_t i;
	int rc = CORE_OK;

	for (i = 0; i < spec->ncategories && !rc; i++) {
		if (core_category_exists(ctx->ws, spec->categories[i]))
			continue;
		if ((rc = imp_xwalk_new(ctx->ws, &xw, &ctx->err)))
			break;
		imp_xwalk_category_hint(xw, spec->categories[i], &b);
		rc = cli_usage(ctx, CMD,
			       "%s: category: '%s' is not a category code; %s",
			       style, spec->categories[i], core_buf_str(&b));
	}
	core_buf_release(&b);
	imp_xwalk_free(xw);
	return rc;
}

/* A line on stderr saying what was drawn. */
static void summary(struct cli_ctx *ctx, const char *output,
		    const struct render_spec *spec,
		    const struct render_map *map)
{
	size_t i, shown = 0;
	const char *level = spec->cohort_areas ? spec->cohort_areas
			    : spec->level      ? spec->level
					       : "tract";

	for (i = 0; i < render_map_category_count(map); i++)
		shown += render_map_category_assets(map, i);
	if (render_map_is_bivariate(map))
		cli_note(ctx,
			 "wrote %s: %zu %s areas shaded by %s against %s (3 x "
			 "3), %zu assets in %zu categories\n",
			 output, render_map_area_count(map), level,
			 spec->bivar_x, spec->bivar_y, shown,
			 render_map_category_count(map));
	else if (render_map_indicator(map))
		cli_note(ctx,
			 "wrote %s: %zu %s areas shaded by %s in %d classes, "
			 "%zu assets in %zu categories\n",
			 output, render_map_area_count(map), level,
			 render_map_indicator(map), render_map_classes(map)->n,
			 shown, render_map_category_count(map));
	else
		cli_note(ctx,
			 "wrote %s: %zu %s areas (no indicator), %zu assets in "
			 "%zu categories\n",
			 output, render_map_area_count(map), level, shown,
			 render_map_category_count(map));
	{
		size_t cur, pro, other;

		if (render_map_partners(map, &cur, &pro, &other))
			cli_note(ctx,
				 "by partnership status: %zu current "
				 "partner%s, %zu prospective, %zu other "
				 "asset%s\n",
				 cur, cur == 1 ? "" : "s", pro, other,
				 other == 1 ? "" : "s");
	}
	if (spec->filter_words)
		cli_note(ctx, "the assets drawn: only those that %s\n",
			 spec->filter_words);
	if (render_map_assets_outside(map))
		cli_note(ctx,
			 "%zu assets lie outside the mapped areas and are not "
			 "shown\n",
			 render_map_assets_outside(map));
}

/* Neither output may be the workspace; -o may not be the map file read
 * (--save-style may: that updates it), nor the same file as
 * --save-style. */
static int check_outputs(struct cli_ctx *ctx, const struct map_opts *o)
{
	const struct core_out_input in[] = {{"--style", o->style},
					    {"--save-style", o->save_style}};

	if (o->output &&
	    core_out_check("-o", o->output, ctx->ws_path, in, 2, &ctx->err))
		return cli_usage(ctx, CMD, "%s", ctx->err.msg);
	if (o->save_style && core_out_check("--save-style", o->save_style,
					    ctx->ws_path, NULL, 0, &ctx->err))
		return cli_usage(ctx, CMD, "%s", ctx->err.msg);
	return CORE_OK;
}

/* assetmap map [-o FILE] [--style FILE] [--save-style FILE] [options]:
 * build the map that the map file (--style) and then the options
 * describe, write it to -o (PNG, PDF or SVG by its extension) with a
 * warning when the map has one and a note of what was drawn, and with
 * --save-style write the settings to a map file.  Returns 0, or a code
 * with ctx->err set: a usage error for bad options, outputs, a bad map
 * file or what render_map_build calls one, else the error of reading,
 * building or writing.  A failed write leaves no partial output. */
int cmd_map(struct cli_ctx *ctx, int argc, char **argv)
{
	struct map_opts o;
	struct render_spec spec;
	struct render_style *style = NULL;
	struct render_map *map = NULL;
	struct geo_basemap *basemap = NULL;
	char **cats = NULL, *bivar_need = NULL, *bivar_access = NULL;
	char *filter_words = NULL;
	double *breaks = NULL, default_width, default_height;
	size_t ncats = 0, i;
	int rc, style_sized = 0;

	if ((rc = parse_opts(ctx, argc, argv, &o)) ||
	    (rc = check_outputs(ctx, &o)))
		goto cleanup;
	render_spec_init(&spec);
	spec.creator = "assetmap " ASSETMAP_VERSION;
	if (o.output &&
	    render_format_of_path(o.output, &spec.format, &ctx->err)) {
		rc = cli_usage(ctx, CMD, "%s", ctx->err.msg);
		goto cleanup;
	}
	/* Default sizes: PNG pixels as render_spec_init has them; PDF and
	 * SVG a letter page on its side. */
	if (spec.format != RENDER_PNG) {
		spec.width = 792;
		spec.height = 612;
	}
	default_width = spec.width;
	default_height = spec.height;
	if (o.style) {
		rc = render_style_read(o.style, &spec, &style, &ctx->err);
		if (rc == CORE_EFORMAT)
			rc = cli_usage(ctx, CMD, "%s", ctx->err.msg);
		if (rc)
			goto cleanup;
		style_sized = spec.page || spec.width != default_width ||
			      spec.height != default_height;
		if ((rc = check_style_categories(ctx, o.style, &spec)))
			goto cleanup;
	}
	if ((rc = apply_opts(ctx, &o, &spec, &breaks, &bivar_need,
			     &bivar_access)) ||
	    (rc = apply_size(ctx, &o, &spec, style_sized)))
		goto cleanup;
	if (spec.partners && spec.no_assets) {
		rc = cli_usage(ctx, CMD,
			       "--partners marks the asset symbols; it cannot "
			       "go with --no-assets");
		goto cleanup;
	}
	if ((spec.bivar_x == NULL) != (spec.bivar_y == NULL)) {
		rc = cli_usage(ctx, CMD,
			       "bivariate: give two values, NEED,ACCESS");
		goto cleanup;
	}
	if ((rc = cli_filter_check(ctx, CMD, &o.a.filter)))
		goto cleanup;
	if (geo_filter_is_set(&o.a.filter)) {
		spec.filter = &o.a.filter;
		spec.filter_words = filter_words =
		    cli_filter_words(ctx->ws, &o.a.filter, 0);
	}
	if (o.category) {
		if ((rc = cli_category_list(ctx, CMD, o.category, &cats,
					    &ncats)))
			goto cleanup;
		spec.categories = (const char *const *)cats;
		spec.ncategories = ncats;
	}

	if (o.basemap && o.no_basemap) {
		rc = cli_usage(ctx, CMD,
			       "--basemap and --no-basemap: give one of them");
		goto cleanup;
	}
	if (o.basemap)
		spec.basemap_file = o.basemap;
	else if (o.no_basemap)
		spec.basemap_file = "none";
	if (o.output && spec.basemap_file &&
	    strcmp(spec.basemap_file, "none") != 0) {
		if ((rc = imp_basemap_read(spec.basemap_file, &basemap,
					   &ctx->err)))
			goto cleanup;
		spec.basemap = basemap;
	} else if (o.output && !spec.basemap_file) {
		/* the roads of 'import roads', when the workspace has them */
		if ((rc = geo_basemap_load_roads(ctx->ws, &basemap, &ctx->err)))
			goto cleanup;
		spec.basemap = basemap;
	}
	if (o.output) {
		rc = render_map_build(ctx->ws, &spec, &map, &ctx->err);
		if (rc == CORE_EUSAGE)
			rc = cli_usage(ctx, CMD, "%s", ctx->err.msg);
		if (rc)
			goto cleanup;
		if (render_map_warning(map))
			cli_warn("%s", render_map_warning(map));
		if (render_map_advice(map))
			cli_note(ctx, "note: %s\n", render_map_advice(map));
		if ((rc = render_map_write(map, o.output, &ctx->err)))
			goto cleanup;
		summary(ctx, o.output, &spec, map);
	}
	if (o.save_style) {
		if ((rc = render_style_write(o.save_style, &spec, &ctx->err)))
			goto cleanup;
		if (spec.filter_words)
			cli_note(ctx,
				 "the map file does not keep the asset filters "
				 "(only those that %s); give them again with "
				 "--style\n",
				 spec.filter_words);
		cli_note(ctx,
			 "saved the map's settings to %s; draw it again with "
			 "'assetmap map --style %s -o FILE'\n",
			 o.save_style, o.save_style);
	}
cleanup:
	render_map_free(map);
	geo_basemap_free(basemap);
	render_style_free(style);
	for (i = 0; i < ncats; i++)
		free(cats[i]);
	free(cats);
	free(breaks);
	free(bivar_need);
	free(bivar_access);
	free(filter_words);
	cli_analysis_release(&o.a);
	return rc;
}
