/*
 * cmd_rainbow.c - assetmap rainbow: the SDOH rainbow chart of coalition
 * partners against the five social-determinants-of-health domains.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_analysis.h"
#include "cli/cli_opt.h"
#include "core/core_mem.h"
#include "core/core_out.h"
#include "core/core_taxonomy.h"
#include "render/render_map.h"
#include "render/render_rainbow.h"

#define CMD "rainbow"

struct rainbow_opts {
	const char *output, *title, *subtitle, *category;
	long min_assets, top;
};

#define O struct rainbow_opts

const struct cli_opt cmd_rainbow_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] rainbow -o FILE.png|FILE.pdf|FILE.svg\n"
	"                [--title T] [--subtitle S] [--category C[,C...]]\n"
	"                [--min-assets N] [--top N]\n"
	"\n"
	"The SDOH rainbow: a one-page chart for a coalition meeting of the\n"
	"partners and the five social-determinants-of-health domains of\n"
	"Healthy People 2030 they serve (Economic Stability; Education Access\n"
	"and Quality; Health Care Access and Quality; Neighborhood and Built\n"
	"Environment; Social and Community Context).\n"
	"\n"
	"A partner is an asset's organization, or the asset's name where it "
	"has\n"
	"none (informal assets added by hand included); names that differ "
	"only\n"
	"in case are one partner.  A partner serves a domain when one of its\n"
	"assets has a category in it ('assetmap categories' shows each\n"
	"category's domain).\n"
	"\n"
	"The page (letter, landscape) shows five coloured arcs, one per "
	"domain,\n"
	"with each domain's number of partners and the shown partners' "
	"numbers\n"
	"placed along the arcs it serves; a key of the domains with their "
	"counts;\n"
	"and a grid of the partners serving the most domains, one row each, "
	"with\n"
	"the domain's shape and the partner's number of assets in each domain "
	"it\n"
	"serves (readable in greyscale).  It says how many partners are not\n"
	"shown, and ends with a note of the sources and the date\n"
	"($SOURCE_DATE_EPOCH's when set, for the same bytes every run).\n"
	"\n"
	"With a partnership register ('assetmap import partners', 'assetmap\n"
	"partner set'), each partner's dots, on the arcs and in the grid, "
	"show\n"
	"its status: filled dark for a current partner (one of its assets is\n"
	"current), a thick ring for a prospective one, faded for any other\n"
	"(former, none, not in the register); a key counts each.\n"
	"\n"),
    CLI_OPT_STRING("output", 'o', "FILE", O, output,
		   "the chart; the format comes from the extension"),
    CLI_OPT_STRING("title", 0, "T", O, title,
		   "the title (default: Coalition partners across\n"
		   "the social determinants of health)"),
    CLI_OPT_STRING("subtitle", 0, "S", O, subtitle,
		   "the line under it (default: what was counted)"),
    CLI_OPT_STRING("category", 0, "C[,C...]", O, category,
		   "count only assets of these categories"),
    CLI_OPT_INT("min-assets", 0, "N", O, min_assets, 1, 1000000,
		"leave out partners with fewer than N assets\n"
		"(default 1)"),
    CLI_OPT_INT("top", 0, "N", O, top, 1, 60,
		"partners in the grid (default 25, at most 60)"),
    CLI_OPT_TEXT(
	"\n"
	"It prints one line: the partners and assets counted, per domain its\n"
	"number of partners, and with a register the partners by status.\n"
	"\n"
	"examples:\n"
	"  assetmap rainbow -o coalition.pdf\n"
	"  assetmap rainbow -o food.png --category food,benefits --min-assets "
	"2\n"),
    CLI_OPT_END()};

#undef O

int cmd_rainbow(struct cli_ctx *ctx, int argc, char **argv)
{
	struct render_rainbow_spec spec;
	struct render_rainbow *r = NULL;
	enum render_format fmt;
	struct rainbow_opts o = {NULL, NULL, NULL, NULL, 1, RENDER_RAINBOW_TOP};
	const char *output;
	char **cats = NULL;
	size_t ncats = 0, i;
	int d, rc = CORE_OK;

	memset(&spec, 0, sizeof(spec));
	spec.creator = "assetmap " ASSETMAP_VERSION;
	if ((rc = cli_opt_parse(ctx, CMD, cmd_rainbow_options, &o, argc, argv,
				NULL)))
		return rc;
	output = o.output;
	spec.title = o.title;
	spec.subtitle = o.subtitle;
	if (!output)
		return cli_usage(ctx, CMD,
				 "give the output file with -o FILE.png, "
				 "FILE.pdf or FILE.svg");
	if (render_format_of_path(output, &fmt, &ctx->err) ||
	    core_out_check("-o", output, ctx->ws_path, NULL, 0, &ctx->err))
		return cli_usage(ctx, CMD, "%s", ctx->err.msg);
	spec.top = (size_t)o.top;
	if (o.category &&
	    (rc = cli_category_list(ctx, CMD, o.category, &cats, &ncats)))
		goto cleanup;
	if ((rc = render_rainbow_load(ctx->ws, (const char *const *)cats, ncats,
				      o.min_assets, &r, &ctx->err)))
		goto cleanup;
	if ((rc = render_rainbow_write(r, &spec, output, &ctx->err)))
		goto cleanup;
	if (!ctx->quiet) {
		fprintf(ctx->out, "wrote %s: %zu partner%s, %zu asset%s;",
			output, r->n, r->n == 1 ? "" : "s", r->nassets,
			r->nassets == 1 ? "" : "s");
		for (d = 0; d < RENDER_RAINBOW_DOMAINS; d++)
			fprintf(ctx->out, "%s %s %zu", d ? "," : "",
				r->domain_name[d], r->domain_partners[d]);
		if (r->n > spec.top)
			fprintf(ctx->out,
				"; grid shows %zu, %zu more not shown",
				spec.top, r->n - spec.top);
		if (r->registered)
			fprintf(ctx->out,
				"; by status %zu current, %zu prospective, "
				"%zu other",
				r->nstatus[1], r->nstatus[2], r->nstatus[0]);
		fputc('\n', ctx->out);
	}
cleanup:
	for (i = 0; i < ncats; i++)
		free(cats[i]);
	free(cats);
	render_rainbow_free(r);
	return rc;
}
