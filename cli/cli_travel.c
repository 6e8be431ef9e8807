/* cli_travel.c - the travel options the analyses share (cli_travel.h). */
#include "cli/cli_travel.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/core_units.h"

static int by_opt(struct cli_ctx *ctx, const char *cmd,
		  const struct cli_opt *opt, const char *value, void *target)
{
	enum geo_mode m;

	(void)opt;
	if (geo_mode_parse(value, &m) != 0)
		return cli_usage(ctx, cmd,
				 "--by: '%s' is not a travel mode; give walk, "
				 "bike, drive or line",
				 value);
	*(enum geo_mode *)target = m;
	return CORE_OK;
}

static int snap_opt(struct cli_ctx *ctx, const char *cmd,
		    const struct cli_opt *opt, const char *value, void *target)
{
	struct cli_travel *t =
	    (void *)((char *)target - offsetof(struct cli_travel, snap_m));
	struct core_err e = CORE_ERR_INIT;

	(void)opt;
	if (core_units_parse_distance(value, "--snap", &t->snap_m, &e) !=
	    CORE_OK)
		return cli_usage(ctx, cmd, "%s", e.msg);
	if (!(t->snap_m > 0))
		return cli_usage(ctx, cmd, "--snap: give a distance above 0");
	t->snap_text = value;
	return CORE_OK;
}

#define T struct cli_travel
const struct cli_opt cli_travel_options[] = {
    CLI_OPT_TEXT("travel:\n"),
    CLI_OPT_CALLBACK("by", 0, "MODE", T, mode, by_opt,
		     "walk, bike or drive: along the road network\n"
		     "('assetmap import roads'); line: a straight\n"
		     "line (default)"),
    CLI_OPT_CALLBACK("snap", 0, "D", T, snap_m, snap_opt,
		     "places farther than D from every road the\n"
		     "mode may use are reported, not placed\n"
		     "(default 1km)"),
    CLI_OPT_END()};
#undef T

void cli_travel_init(struct cli_travel *t)
{
	t->mode = GEO_MODE_LINE;
	t->snap_m = GEO_NET_SNAP_MAX_M;
	t->snap_text = "1km";
}

void cli_reach_init(struct cli_reach *r)
{
	r->metres = NAN;
	r->seconds = NAN;
	r->text = NULL;
}

int cli_reach_given(const struct cli_reach *r)
{
	return !isnan(r->metres) || !isnan(r->seconds);
}

/* One part of a threshold: a distance or a time.  0 when it is one. */
static int reach_part(const char *s, struct cli_reach *r)
{
	struct core_err e = CORE_ERR_INIT;
	double v;

	if (core_units_parse_distance(s, "", &v, &e) == CORE_OK) {
		if (!isnan(r->metres))
			return -1;
		r->metres = v;
		return 0;
	}
	if (core_units_parse_time(s, "", &v, &e) == CORE_OK) {
		if (!isnan(r->seconds))
			return -1;
		r->seconds = v;
		return 0;
	}
	return -1;
}

int cli_reach_opt(struct cli_ctx *ctx, const char *cmd,
		  const struct cli_opt *opt, const char *value, void *target)
{
	struct cli_reach *r = target;
	struct cli_reach v;
	const char *bar = strchr(value, '|');
	char first[64];
	int bad;

	cli_reach_init(&v);
	if (bar) {
		size_t k = (size_t)(bar - value);

		bad = k >= sizeof first || strchr(bar + 1, '|') != NULL;
		if (!bad) {
			memcpy(first, value, k);
			first[k] = '\0';
			bad = reach_part(first, &v) != 0 ||
			      reach_part(bar + 1, &v) != 0 || isnan(v.metres) ||
			      isnan(v.seconds);
		}
	} else if (reach_part(value, &v) != 0) {
		/* neither: say what the distance parser says, as the
		 * options that took a distance alone always said */
		struct core_err e = CORE_ERR_INIT;
		char what[80];

		snprintf(what, sizeof what, "--%s", opt->name);
		core_units_parse_distance(value, what, &v.metres, &e);
		return cli_usage(ctx, cmd, "%s", e.msg);
	} else {
		bad = 0;
	}
	if (bad)
		return cli_usage(ctx, cmd,
				 "--%s: '%s' is not a distance or a time (2mi, "
				 "500m, 30min, 1h, or 10mi|30min)",
				 opt->name, value);
	v.text = value;
	*r = v;
	return CORE_OK;
}

int cli_travel_check(struct cli_ctx *ctx, const char *cmd,
		     const struct cli_travel *t, const char *what,
		     const struct cli_reach *r)
{
	if (t->mode == GEO_MODE_LINE && r && !isnan(r->seconds))
		return cli_usage(ctx, cmd,
				 "%s %s %s a time: add --by walk, --by bike or "
				 "--by drive",
				 what, r->text ? r->text : "",
				 isnan(r->metres) ? "is" : "includes");
	return CORE_OK;
}

int cli_travel_net(struct cli_ctx *ctx, const struct cli_travel *t,
		   struct geo_proj *proj, struct geo_net **net)
{
	int rc;

	*net = NULL;
	if (t->mode == GEO_MODE_LINE)
		return CORE_OK;
	rc = geo_net_load(ctx->ws, t->mode, proj, net, &ctx->err);
	if (rc != CORE_OK)
		return rc;
	cli_note(ctx, "%s on the road network: %zu nodes, %zu segments\n",
		 geo_mode_verb(t->mode), geo_net_nnodes(*net),
		 geo_net_nsegs(*net));
	return CORE_OK;
}

double cli_reach_value(const struct cli_reach *r)
{
	return isnan(r->seconds) ? r->metres : r->seconds;
}

void cli_reach_text(const struct cli_reach *r, enum geo_mode mode,
		    enum core_unit u, char *buf, size_t size)
{
	char d[32];

	if (!isnan(r->seconds)) {
		double m = r->seconds / 60;

		snprintf(buf, size,
			 m == floor(m) ? "%.0f minute%s %s"
				       : "%.1f minute%s %s",
			 m, m == 1 ? "" : "s", geo_mode_verb(mode));
		return;
	}
	core_units_format(r->metres, u, d, sizeof(d));
	if (mode == GEO_MODE_LINE)
		snprintf(buf, size, "%s", d);
	else
		snprintf(buf, size, "%s %s", d, geo_mode_verb(mode));
}
