/*
 * cmd_near.c - assetmap near: the referral-partner finder.  The assets of
 * the categories asked, after the supply filters, nearest first from a
 * point or from one's own asset, with what a referral needs: phone,
 * hours, languages, programs, Medi-Cal.
 *
 * The filtered supply comes from geo_supply_load (the same filters as
 * every analysis); the ranking is geo_kd_knn over it, so order and ties
 * follow geo_kd.h: distance, then the smaller assets.id.  With --by walk,
 * bike or drive the ranking is by travel time along the road network
 * (geo_net_reach from the place, door to door; by network distance when
 * --within gives a distance only), ties by the smaller assets.id.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_analysis.h"
#include "cli/cli_geocode.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "cli/cli_travel.h"
#include "core/core_mem.h"
#include "core/core_units.h"
#include "geo/geo_input.h"
#include "geo/geo_kd.h"
#include "geo/geo_net.h"
#include "geo/geo_proj.h"

/* What the command line gives. */
struct near_opts {
	struct cli_analysis a;
	const char *at;
	const char *address;	 /* --address, or --at when not LAT,LON */
	long from, limit;	 /* from: -1 when not given */
	struct cli_reach within; /* NaN parts: no limit */
	struct cli_travel t;
	const char *unused; /* the name of an option of people given */
};

/* --cohort, --areas, --where: taken, to say that near has no people. */
static int unused_opt(struct cli_ctx *ctx, const char *cmd,
		      const struct cli_opt *opt, const char *value,
		      void *target)
{
	(void)ctx;
	(void)cmd;
	(void)value;
	*(const char **)target = opt->name;
	return CORE_OK;
}

#define O struct near_opts
#define UNUSED(name)                                                           \
	CLI_OPT_FULL(CLI_OPT_KIND_CALLBACK, name, 0, NULL, O, unused, NULL,    \
		     CLI_OPT_HIDDEN, NULL, NULL, 0, 0, 0, NULL, unused_opt)

const struct cli_opt cmd_near_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] near (--at LAT,LON | --address TEXT |\n"
	"                --from ASSET_ID)\n"
	"                [--category C[,C...]] [--limit N] [--within D]\n"
	"                [--language CODE] [--medi-cal] [--program CODE]\n"
	"                [--open weekday|evening] [--min-capacity N]\n"
	"                [--formal | --informal]\n"
	"                [--partners current|prospective|any] [--units "
	"mi|km|m]\n"
	"                [--by walk|bike|drive|line] [--snap D]\n"
	"                [--format table|csv|json]\n"
	"\n"
	"Find referral partners: the assets nearest to a place, nearest "
	"first,\n"
	"with their distance, name, organisation, address, phone, hours,\n"
	"languages, Medi-Cal Community Supports offered (programs), whether "
	"they\n"
	"accept Medi-Cal, capacity and categories.  Distances are "
	"straight-line\n"
	"in the workspace's analysis CRS; equal distances are ordered by "
	"asset\n"
	"id.  With --by walk, bike or drive the partners are ranked by travel\n"
	"time along the road network ('assetmap import roads'), door to door,\n"
	"with the minutes and the network distance (CSV columns walk_min and\n"
	"walk_mi, walk_km or walk_m; bike_ and drive_ likewise); assets too\n"
	"far from a road are listed as not on the network.  Nothing is "
	"stored.\n"
	"\n"),
    CLI_OPT_COLUMN(21),
    CLI_OPT_TEXT("where from (one of):\n"),
    CLI_OPT_STRING("at", 0, "LAT,LON", O, at,
		   "a point, latitude first: --at 37.7599,-122.4148;\n"
		   "text that is not numbers (or a ZIP alone) is\n"
		   "read as --address"),
    CLI_OPT_STRING("address", 0, "TEXT", O, address,
		   "a street address, found offline in the reference\n"
		   "addresses imported ('assetmap import addresses'):\n"
		   "--address \"2901 16th St, San Francisco, CA\"; what it\n"
		   "matched is said on stderr; no match is an error,\n"
		   "never a guess; a ZIP-level match is warned about"),
    CLI_OPT_INT("from", 0, "ASSET_ID", O, from, 1, (double)(~0UL >> 1),
		"around an asset of the workspace (one's own site),\n"
		"leaving that asset out of the list"),
    CLI_OPT_TEXT("\noptions:\n"),
    CLI_OPT_HELP("--category C[,C...]", CLI_OPT_SAMELINE,
		 "categories to search (default: every category\n"
		 "that has assets); an asset in several is listed once"),
    CLI_OPT_INT("limit", 0, "N", O, limit, 1, 100000,
		"at most N assets (default 10)"),
    CLI_OPT_CALLBACK("within", 0, "D|T", O, within, cli_reach_opt,
		     "only assets within D (\"2mi\", \"5km\", \"800m\");\n"
		     "with --by, a time (\"20min\"), a network distance,\n"
		     "or both (\"1mi|20min\": either)"),
    CLI_OPT_HELP("--language CODE", 0,
		 "assets that list this language (es, or Spanish)"),
    CLI_OPT_HELP("--medi-cal", 0, "assets that accept Medi-Cal"),
    CLI_OPT_HELP("--program CODE", 0,
		 "assets offering this Medi-Cal Community Support"),
    CLI_OPT_HELP("--open weekday|evening", 0,
		 "assets open on a weekday / at or after 17:00 (from\n"
		 "their hours)"),
    CLI_OPT_HELP("--min-capacity N", 0, "capacity at least N"),
    CLI_OPT_HELP("--formal, --informal", CLI_OPT_SAMELINE,
		 "imported / hand-added assets only"),
    CLI_OPT_HELP("--partners current|prospective|any", 0,
		 "partners of that status in the register (any:\n"
		 "current or prospective), for referrals inside the\n"
		 "network first"),
    CLI_OPT_HELP("--units U", 0, "distances in mi (default), km or m"),
    CLI_OPT_HELP("--format F", 0, "table (default), csv or json"),
    CLI_OPT_HELP("--by MODE", 0,
		 "walk, bike or drive: rank by travel along the road\n"
		 "network ('assetmap import roads'); line: a straight\n"
		 "line (default)"),
    CLI_OPT_HELP("--snap D", 0,
		 "places farther than D from every road the mode may\n"
		 "use are not on the network (default 1km)"),
    CLI_OPT_INCLUDE_QUIET(cli_travel_options, O, t),
    UNUSED("cohort"),
    UNUSED("areas"),
    UNUSED("where"),
    CLI_OPT_INCLUDE_QUIET(cli_analysis_options, O, a),
    CLI_OPT_TEXT(
	"\n"
	"examples:\n"
	"  assetmap near --at 37.7599,-122.4148 --category food --language es\n"
	"  assetmap near --address \"2901 16th St, San Francisco, CA 94110\" "
	"\\\n"
	"      --category food\n"
	"  assetmap near --from 12 --category housing --medi-cal --limit 5\n"
	"  assetmap near --at 37.76,-122.41 --program medically_tailored_meals "
	"\\\n"
	"      --within 3mi --format csv\n"
	"  assetmap near --at 37.8044,-122.2712 --by walk --within 20min\n"),
    CLI_OPT_END()};

#undef UNUSED
#undef O

/* "LAT,LON" with the ranges checked. */
static int parse_at(struct cli_ctx *ctx, const char *s, double *lat,
		    double *lon)
{
	char *end;
	const char *p = s;

	*lat = strtod(p, &end);
	if (end == p)
		goto bad;
	p = end;
	while (*p == ' ')
		p++;
	if (*p != ',')
		goto bad;
	p++;
	*lon = strtod(p, &end);
	if (end == p)
		goto bad;
	while (*end == ' ')
		end++;
	if (*end || !isfinite(*lat) || !isfinite(*lon))
		goto bad;
	if (*lat < -90 || *lat > 90)
		return cli_usage(ctx, "near",
				 "--at %s: latitude %g is outside -90..90 "
				 "(latitude comes first: --at LAT,LON)",
				 s, *lat);
	if (*lon < -180 || *lon > 180)
		return cli_usage(ctx, "near",
				 "--at %s: longitude %g is outside -180..180",
				 s, *lon);
	return CORE_OK;
bad:
	return cli_usage(ctx, "near",
			 "--at '%s' is not LAT,LON in degrees, e.g. --at "
			 "37.7599,-122.4148",
			 s);
}

/* The location of asset id, in lon/lat; CORE_ENOTFOUND when none. */
static int asset_at(struct cli_ctx *ctx, int64_t id, double *lon, double *lat)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	if ((rc = core_ws_prepare(ctx->ws, &ctx->err, &st,
				  "SELECT X(geom), Y(geom) FROM assets"
				  " WHERE id = ?")))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*lon = sqlite3_column_double(st, 0);
		*lat = sqlite3_column_double(st, 1);
	} else if (step == SQLITE_ROW || step == SQLITE_DONE) {
		rc = core_err_set(&ctx->err, CORE_ENOTFOUND,
				  step == SQLITE_ROW
				      ? "--from %lld: the asset has no location"
				      : "--from %lld: no asset has this id "
					"(the id column of 'assetmap near "
					"--at LAT,LON' shows ids)",
				  (long long)id);
	} else {
		rc = core_ws_dberr(ctx->ws, &ctx->err, "reading an asset");
	}
	sqlite3_finalize(st);
	return rc;
}

struct pt {
	int64_t id;
	double x, y;
};

static int by_id(const void *a, const void *b)
{
	const struct pt *p = a, *q = b;

	return (p->id > q->id) - (p->id < q->id);
}

/* Every asset of the supplies once, by id. */
static struct pt *merge_supply(const struct geo_supply *s, size_t ncats,
			       size_t *n)
{
	size_t i, j, total = 0, k = 0;
	struct pt *p;

	for (i = 0; i < ncats; i++)
		total += s[i].n;
	p = xmalloc((total ? total : 1) * sizeof(*p));
	for (i = 0; i < ncats; i++)
		for (j = 0; j < s[i].n; j++) {
			p[k].id = s[i].id[j];
			p[k].x = s[i].x[j];
			p[k].y = s[i].y[j];
			k++;
		}
	qsort(p, total, sizeof(*p), by_id);
	for (i = 0, k = 0; i < total; i++)
		if (k == 0 || p[k - 1].id != p[i].id)
			p[k++] = p[i];
	*n = k;
	return p;
}

/*
 * Add to t one row per asset pts[idx[i]], i < n, at distance dist[i]
 * (metres, shown in u): rank, distance, id, then the asset's name,
 * organisation, address, phone, hours, languages, programs, Medi-Cal,
 * capacity and categories as read from the workspace.  With secs (on the
 * network) the rank is followed by the minutes secs[i] / 60, then the
 * distance.  Returns CORE_OK or a code with ctx->err set when an asset
 * cannot be read.
 */
static int add_rows(struct cli_ctx *ctx, struct cli_table *t,
		    const struct pt *pts, const size_t *idx, const double *dist,
		    const double *secs, size_t n, enum core_unit u)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	rc = core_ws_prepare(
	    ctx->ws, &ctx->err, &st,
	    "SELECT a.name, a.organization,"
	    " nullif(trim(coalesce(a.address, '') || CASE WHEN a.city IS"
	    "  NOT NULL AND a.address IS NOT NULL THEN ', ' ELSE '' END"
	    "  || coalesce(a.city, '')), ''),"
	    " a.phone, a.hours, a.languages,"
	    " (SELECT group_concat(program, ',') FROM (SELECT program"
	    "  FROM asset_programs WHERE asset_id = a.id ORDER BY program)),"
	    " CASE a.accepts_medi_cal WHEN 1 THEN 'yes' WHEN 0 THEN 'no'"
	    "  END,"
	    " a.capacity,"
	    " (SELECT group_concat(category, ',') FROM (SELECT category"
	    "  FROM asset_categories WHERE asset_id = a.id"
	    "  ORDER BY category))"
	    " FROM assets a WHERE a.id = ?");
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		const struct pt *p = &pts[idx[i]];
		char rank[24], d[48], id[24], cap[32], mins[32];
		const char *v[14], **w = secs ? v + 1 : v;
		int k;

		sqlite3_bind_int64(st, 1, p->id);
		if (sqlite3_step(st) != SQLITE_ROW) {
			rc = core_ws_dberr(ctx->ws, &ctx->err,
					   "reading an asset");
			break;
		}
		snprintf(rank, sizeof(rank), "%zu", i + 1);
		snprintf(d, sizeof(d), "%.*f", u == CORE_UNIT_M ? 0 : 2,
			 core_units_from_m(dist[i], u));
		snprintf(id, sizeof(id), "%lld", (long long)p->id);
		v[0] = rank;
		if (secs) {
			snprintf(mins, sizeof(mins), "%.1f", secs[i] / 60);
			v[1] = mins;
		}
		w[1] = d;
		w[2] = id;
		for (k = 0; k < 10; k++)
			w[3 + k] = (const char *)sqlite3_column_text(st, k);
		if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
			snprintf(cap, sizeof(cap), "%.15g",
				 sqlite3_column_double(st, 8));
			w[11] = cap;
		}
		cli_table_add(t, v);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- along the road network ------------------------------------------ */

/* What the searches from the place found, per asset of pts. */
struct found {
	struct geo_net_cost *c; /* [npts] cost NaN: not reached */
	unsigned char *len_ok;	/* [npts] within the distance ("both") */
};

static void found_time(void *ctx, size_t target, const struct geo_net_cost *c)
{
	((struct found *)ctx)->c[target] = *c;
}

static void found_len(void *ctx, size_t target, const struct geo_net_cost *c)
{
	(void)c;
	((struct found *)ctx)->len_ok[target] = 1;
}

/* An asset ranked: its index in pts, the cost ranked by, its id. */
struct ranked {
	size_t i;
	double cost;
	int64_t id;
};

static int by_cost(const void *a, const void *b)
{
	const struct ranked *p = a, *q = b;

	if (p->cost != q->cost)
		return p->cost < q->cost ? -1 : 1;
	return (p->id > q->id) - (p->id < q->id);
}

/* The ranking on the network, and the assets it could not rank. */
struct net_rank {
	size_t keep;	  /* rows */
	size_t *idx;	  /* [keep] into pts */
	double *secs;	  /* [keep] seconds, door to door */
	double *metres;	  /* [keep] network metres of that path */
	size_t noff;	  /* assets not placed on the network */
	size_t *off;	  /* [noff] into pts, nearest (straight line) first */
	double *off_d;	  /* [noff] their straight-line metres */
	size_t unreached; /* placed, not reached within --within */
};

static void net_rank_release(struct net_rank *r)
{
	free(r->idx);
	free(r->secs);
	free(r->metres);
	free(r->off);
	free(r->off_d);
}

/*
 * Rank the assets pts[0..npts) (leaving out asset from, when > 0) by
 * travel from the place (qx, qy) on net: the place and the assets are
 * snapped within o->t.snap_m; the place not placed is an error naming
 * where it is (lat, lon) and how far the snap reached; assets not
 * placed go to r->off.  By time (by network metres when --within is a
 * distance only), door to door, within --within (both parts: either),
 * ties by the smaller id; at most limit rows.
 */
static int rank_net(struct cli_ctx *ctx, const struct near_opts *o,
		    const struct geo_net *net, double qx, double qy, double lat,
		    double lon, const struct pt *pts, size_t npts,
		    struct net_rank *r)
{
	const struct cli_reach *w = &o->within;
	enum geo_net_weight wt = isnan(w->seconds) && !isnan(w->metres)
				     ? GEO_NET_LENGTH
				     : GEO_NET_TIME;
	double lim = wt == GEO_NET_LENGTH		      ? w->metres
		     : isnan(w->metres) && !isnan(w->seconds) ? w->seconds
							      : INFINITY;
	size_t n1 = npts ? npts : 1, i, m = 0;
	struct geo_snap origin, *as = xmalloc(n1 * sizeof(*as));
	struct ranked *rk = xmalloc(n1 * sizeof(*rk));
	struct found f;
	struct geo_net_targets *tg = NULL;
	struct geo_net_search *se = NULL;
	double *x = xmalloc(n1 * sizeof(double)),
	       *y = xmalloc(n1 * sizeof(double));
	int rc = CORE_OK;

	memset(r, 0, sizeof(*r));
	f.c = xmalloc(n1 * sizeof(*f.c));
	f.len_ok = xcalloc(n1, 1);
	geo_net_snap(net, &qx, &qy, 1, o->t.snap_m, &origin);
	if (origin.seg < 0) {
		char what[64];

		if (o->from > 0)
			snprintf(what, sizeof(what), "asset %ld (%.6f,%.6f)",
				 o->from, lat, lon);
		else
			snprintf(what, sizeof(what), "the place %.6f,%.6f", lat,
				 lon);
		rc = core_err_set(&ctx->err, CORE_ENOTFOUND,
				  "near: %s is not on the %s network: farther "
				  "than %s from every road %s may use (a "
				  "larger --snap, or --by line, measures from "
				  "it anyway)",
				  what, geo_mode_verb(o->t.mode),
				  o->t.snap_text, geo_mode_verb(o->t.mode));
		goto cleanup;
	}
	for (i = 0; i < npts; i++) {
		x[i] = pts[i].x;
		y[i] = pts[i].y;
		f.c[i].cost = NAN;
	}
	if (npts)
		geo_net_snap(net, x, y, npts, o->t.snap_m, as);
	tg = geo_net_targets_new(net, npts, as);
	se = geo_net_search_new(net);
	geo_net_reach(se, tg, wt, GEO_NET_FROM, &origin, lim, found_time, &f);
	if (wt == GEO_NET_TIME && !isnan(w->metres))
		geo_net_reach(se, tg, GEO_NET_LENGTH, GEO_NET_FROM, &origin,
			      w->metres, found_len, &f);
	r->off = xmalloc(n1 * sizeof(size_t));
	r->off_d = xmalloc(n1 * sizeof(double));
	for (i = 0; i < npts; i++) {
		const struct geo_net_cost *c = &f.c[i];
		int in;

		if (o->from > 0 && pts[i].id == o->from)
			continue;
		if (as[i].seg < 0) {
			r->off[r->noff] = i;
			r->off_d[r->noff++] = hypot(x[i] - qx, y[i] - qy);
			continue;
		}
		if (isnan(c->cost))
			in = 0;
		else if (wt == GEO_NET_LENGTH)
			in = c->cost <= w->metres;
		else if (isnan(w->seconds))
			in = 1; /* no --within: every asset reached */
		else
			in = c->secs <= w->seconds || f.len_ok[i];
		if (!in) {
			r->unreached++;
			continue;
		}
		rk[m].i = i;
		rk[m].cost = c->cost;
		rk[m].id = pts[i].id;
		m++;
	}
	qsort(rk, m, sizeof(*rk), by_cost);
	/* the assets off the network, nearest first (straight line) */
	for (i = 1; i < r->noff; i++) {
		size_t k = r->off[i], j = i;
		double d = r->off_d[i];

		while (j > 0 && (r->off_d[j - 1] > d ||
				 (r->off_d[j - 1] == d &&
				  pts[r->off[j - 1]].id > pts[k].id))) {
			r->off[j] = r->off[j - 1];
			r->off_d[j] = r->off_d[j - 1];
			j--;
		}
		r->off[j] = k;
		r->off_d[j] = d;
	}
	r->keep = m < (size_t)o->limit ? m : (size_t)o->limit;
	r->idx = xmalloc((r->keep ? r->keep : 1) * sizeof(size_t));
	r->secs = xmalloc((r->keep ? r->keep : 1) * sizeof(double));
	r->metres = xmalloc((r->keep ? r->keep : 1) * sizeof(double));
	for (i = 0; i < r->keep; i++) {
		r->idx[i] = rk[i].i;
		r->secs[i] = f.c[rk[i].i].secs;
		r->metres[i] = f.c[rk[i].i].metres;
	}
cleanup:
	geo_net_search_free(se);
	geo_net_targets_free(tg);
	free(as);
	free(rk);
	free(x);
	free(y);
	free(f.c);
	free(f.len_ok);
	return rc;
}

/* The notes after a ranking on the network: the assets not on it
 * (nearest first, up to limit of them by id and name), and how many were
 * not reached. */
static void note_net(struct cli_ctx *ctx, const struct near_opts *o,
		     const struct pt *pts, const struct net_rank *r)
{
	const char *verb = geo_mode_verb(o->t.mode);
	struct core_buf b = CORE_BUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t i,
	    show = r->noff < (size_t)o->limit ? r->noff : (size_t)o->limit;

	if (r->noff) {
		core_ws_prepare(ctx->ws, &ctx->err, &st,
				"SELECT name FROM assets WHERE id = ?");
		for (i = 0; i < show; i++) {
			const unsigned char *name = NULL;

			if (st) {
				sqlite3_bind_int64(st, 1, pts[r->off[i]].id);
				if (sqlite3_step(st) == SQLITE_ROW)
					name = sqlite3_column_text(st, 0);
			}
			core_buf_addf(&b, "%s%lld%s%s", i ? "; " : "",
				      (long long)pts[r->off[i]].id,
				      name ? " " : "",
				      name ? (const char *)name : "");
			if (st)
				sqlite3_reset(st);
		}
		sqlite3_finalize(st);
		if (show < r->noff)
			core_buf_addf(&b, "; and %zu more", r->noff - show);
		cli_note(ctx,
			 "%zu asset%s not on the %s network (farther than "
			 "%s from a road), not ranked: %s\n",
			 r->noff, r->noff == 1 ? "" : "s", verb, o->t.snap_text,
			 core_buf_str(&b));
		core_buf_release(&b);
	}
	if (r->unreached && !cli_reach_given(&o->within))
		cli_note(ctx, "%zu asset%s cannot be reached %s from here\n",
			 r->unreached, r->unreached == 1 ? "" : "s", verb);
}

/* ---- an empty list, explained -------------------------------------------- */

/* The assets of o's categories that pass f, with a location, leaving out
 * asset o->from: *n of them, *in within within metres (NaN: every one)
 * of (qx, qy) in a straight line, *nearest metres to the nearest one
 * (NaN: none). */
static int count_supply(struct cli_ctx *ctx, const struct near_opts *o,
			const struct geo_filter *f, struct geo_proj *proj,
			double qx, double qy, double within, size_t *n,
			size_t *in, double *nearest)
{
	struct geo_supply *sup = NULL;
	struct pt *p;
	size_t np, i;
	int rc;

	*n = *in = 0;
	*nearest = NAN;
	if ((rc = geo_supply_load(ctx->ws, (const char *const *)o->a.cats,
				  o->a.ncats, f, proj, &sup, &ctx->err)))
		return rc;
	p = merge_supply(sup, o->a.ncats, &np);
	for (i = 0; i < np; i++) {
		double d = hypot(p[i].x - qx, p[i].y - qy);

		if (o->from > 0 && p[i].id == o->from)
			continue;
		(*n)++;
		if (isnan(within) || d <= within)
			(*in)++;
		if (isnan(*nearest) || d < *nearest)
			*nearest = d;
	}
	free(p);
	geo_supply_free(sup, o->a.ncats);
	return CORE_OK;
}

/* One supply filter as the explanation names it: the option, the test
 * of whether f sets it, how to clear it, and the SQL of the assets that
 * record what it reads (NULL: every asset does; "hours": read in C). */
struct filter_kind {
	const char *option;
	int (*set)(const struct geo_filter *f);
	void (*clear)(struct geo_filter *f);
	const char *recorded; /* SQL condition on "a", or NULL */
	const char *says;     /* "N of M assets SAYS" */
};

static int lang_set(const struct geo_filter *f)
{
	return f->language != NULL;
}
static void lang_clear(struct geo_filter *f)
{
	f->language = NULL;
}
static int mc_set(const struct geo_filter *f)
{
	return f->medi_cal;
}
static void mc_clear(struct geo_filter *f)
{
	f->medi_cal = 0;
}
static int prog_set(const struct geo_filter *f)
{
	return f->program != NULL;
}
static void prog_clear(struct geo_filter *f)
{
	f->program = NULL;
}
static int open_set(const struct geo_filter *f)
{
	return f->weekday || f->evening;
}
static void open_clear(struct geo_filter *f)
{
	f->weekday = f->evening = 0;
}
static int cap_set(const struct geo_filter *f)
{
	return !isnan(f->min_capacity);
}
static void cap_clear(struct geo_filter *f)
{
	f->min_capacity = NAN;
}
static int formal_set(const struct geo_filter *f)
{
	return f->formal >= 0;
}
static void formal_clear(struct geo_filter *f)
{
	f->formal = -1;
}
static int partners_set(const struct geo_filter *f)
{
	return f->partners != GEO_PARTNERS_ALL;
}
static void partners_clear(struct geo_filter *f)
{
	f->partners = GEO_PARTNERS_ALL;
}

static const struct filter_kind filter_kinds[] = {
    {"--language", lang_set, lang_clear,
     "coalesce(trim(a.languages), '') <> ''", "list any language"},
    {"--medi-cal", mc_set, mc_clear, "a.accepts_medi_cal IS NOT NULL",
     "say whether they accept Medi-Cal"},
    {"--program", prog_set, prog_clear,
     "EXISTS (SELECT 1 FROM asset_programs p WHERE p.asset_id = a.id)",
     "offer any Community Support"},
    {"--open", open_set, open_clear, "hours", "have hours that can be read"},
    {"--min-capacity", cap_set, cap_clear, "a.capacity IS NOT NULL",
     "record a capacity"},
    {"--formal/--informal", formal_set, formal_clear, NULL, NULL},
    {"--partners", partners_set, partners_clear,
     "a.id IN (SELECT asset_id FROM partners WHERE status IN ('current', "
     "'prospective', 'former', 'none'))",
     "are in the partnership register"},
    {NULL, NULL, NULL, NULL, NULL}};

/* Of the assets of o's categories with a location (o->from left out):
 * *total, and *rec of them that record what kind k reads. */
static int count_recorded(struct cli_ctx *ctx, const struct near_opts *o,
			  const struct filter_kind *k, size_t *total,
			  size_t *rec)
{
	struct core_buf sql = CORE_BUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc, step, hours = strcmp(k->recorded, "hours") == 0;

	*total = *rec = 0;
	core_buf_addf(&sql,
		      "SELECT DISTINCT a.id, %s FROM assets a"
		      " JOIN asset_categories c ON c.asset_id = a.id"
		      " WHERE a.geom IS NOT NULL AND a.id <> ?1"
		      " AND c.category IN (",
		      hours ? "a.hours" : k->recorded);
	for (i = 0; i < o->a.ncats; i++)
		core_buf_addf(&sql, "%s?%zu", i ? ", " : "", i + 2);
	core_buf_adds(&sql, ")");
	if ((rc = core_ws_prepare(ctx->ws, &ctx->err, &st, core_buf_str(&sql))))
		goto cleanup;
	sqlite3_bind_int64(st, 1, o->from > 0 ? o->from : -1);
	for (i = 0; i < o->a.ncats; i++)
		sqlite3_bind_text(st, (int)i + 2, o->a.cats[i], -1,
				  SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int wd, ev;

		(*total)++;
		if (hours ? geo_hours_parse(
				(const char *)sqlite3_column_text(st, 1), &wd,
				&ev) == 0
			  : sqlite3_column_int(st, 1) != 0)
			(*rec)++;
	}
	if (step != SQLITE_DONE)
		rc = core_ws_dberr(ctx->ws, &ctx->err, "counting assets");
cleanup:
	sqlite3_finalize(st);
	core_buf_release(&sql);
	return rc;
}

/*
 * Why near found nothing, on the note stream: "no asset within 1.00 mi
 * lists Spanish (the nearest that does is 2.31 mi away)", then per
 * supply filter given how many assets record what it reads and how many
 * the search finds without it ("--language es: 129 of 400 assets list
 * any language; 3 within 1.00 mi without --language").  Straight-line
 * counts (as --by line ranks; with --by walk|bike|drive only the counts of
 * what is recorded).  Nothing with --quiet.  Returns CORE_OK or a code
 * with ctx->err set.
 */
static int explain_empty(struct cli_ctx *ctx, const struct near_opts *o,
			 struct geo_proj *proj, double qx, double qy)
{
	const struct geo_filter *f = &o->a.filter;
	double within = o->within.metres;
	char wtext[64], dtext[64] = "", fdesc[256];
	char *words = cli_filter_words(ctx->ws, f, 1);
	size_t n, in, total, rec, i, nset = 0;
	double nearest;
	int rc, line = o->t.mode == GEO_MODE_LINE;

	if (ctx->quiet) {
		free(words);
		return CORE_OK; /* notes nobody will read */
	}
	if (!isnan(within))
		core_units_format_short(within, o->a.units, wtext,
					sizeof(wtext));
	else
		snprintf(wtext, sizeof(wtext), "any distance");
	if ((rc = count_supply(ctx, o, f, proj, qx, qy, within, &n, &in,
			       &nearest)))
		goto cleanup;
	if (!isnan(nearest))
		core_units_format_short(nearest, o->a.units, dtext,
					sizeof(dtext));
	if (n == 0)
		cli_note(ctx, "why: no asset of the categories asked %s%s\n",
			 words ? "" : "has a location", words ? words : "");
	else if (!isnan(within) && (line || in == 0))
		cli_note(ctx,
			 "why: no asset within %s%s%s (the nearest %s%s is %s "
			 "away in a straight line)\n",
			 wtext, words ? " " : "", words ? words : "",
			 words ? "that " : "one", words ? "does" : "", dtext);
	for (i = 0; filter_kinds[i].option; i++) {
		const struct filter_kind *k = &filter_kinds[i];
		struct geo_filter without = *f;
		struct core_buf b = CORE_BUF_INIT;
		double nn;

		if (!k->set(f))
			continue;
		nset++;
		k->clear(&without);
		/* the option as given, said alone */
		{
			struct geo_filter only = *f;
			size_t j;

			for (j = 0; filter_kinds[j].option; j++)
				if (j != i)
					filter_kinds[j].clear(&only);
			geo_filter_describe(&only, fdesc, sizeof(fdesc));
		}
		core_buf_addf(&b, "why: %s", fdesc);
		if (k->recorded) {
			if ((rc = count_recorded(ctx, o, k, &total, &rec))) {
				core_buf_release(&b);
				goto cleanup;
			}
			core_buf_addf(&b, ": %zu of %zu assets %s", rec, total,
				      k->says);
		}
		if (line) {
			if ((rc = count_supply(ctx, o, &without, proj, qx, qy,
					       within, &n, &in, &nn))) {
				core_buf_release(&b);
				goto cleanup;
			}
			core_buf_addf(&b, "%s%zu %s%s without %s",
				      k->recorded ? "; " : ": ", in,
				      isnan(within) ? "in all" : "within ",
				      isnan(within) ? "" : wtext, k->option);
		}
		cli_note(ctx, "%s\n", core_buf_str(&b));
		core_buf_release(&b);
	}
	if (nset > 1 && line) {
		struct geo_filter none;

		geo_filter_init(&none);
		if ((rc = count_supply(ctx, o, &none, proj, qx, qy, within, &n,
				       &in, &nearest)))
			goto cleanup;
		cli_note(ctx, "why: %zu %s%s without any filter\n", in,
			 isnan(within) ? "in all" : "within ",
			 isnan(within) ? "" : wtext);
	}
cleanup:
	free(words);
	return rc;
}

/*
 * assetmap near (argv[0] is "near"): parse the options, find the place
 * (--at, or the asset of --from, which is then left out of the list),
 * load the filtered supply of the categories, and print its at most
 * --limit assets nearest the place (within --within) as a table, then a
 * note saying how many.  Nothing is stored.  Returns CORE_OK, or a code
 * with ctx->err set (CORE_EUSAGE for usage errors).
 */
int cmd_near(struct cli_ctx *ctx, int argc, char **argv)
{
	struct near_opts o;
	enum cli_format fmt = CLI_FMT_TABLE;
	const char *at, *addr_opt = "--address";
	long from, limit;
	double within, lat = 0, lon = 0, qx, qy, r2;
	struct geo_proj *proj = NULL;
	struct geo_supply *sup = NULL;
	struct geo_kd *kd = NULL;
	struct geo_net *net = NULL;
	struct net_rank nr;
	struct pt *pts = NULL;
	struct cli_table *t = NULL;
	size_t npts = 0, k, got, i, keep = 0, ncols;
	size_t *idx = NULL;
	double *dist = NULL, *xs = NULL, *ys = NULL;
	char *cols[14] = {NULL};
	char fdesc[256];
	int rc = CORE_OK;

	memset(&nr, 0, sizeof(nr));
	cli_analysis_init(&o.a);
	cli_travel_init(&o.t);
	cli_reach_init(&o.within);
	o.at = NULL;
	o.address = NULL;
	o.from = -1;
	o.limit = 10;
	o.unused = NULL;
	if ((rc = cli_opt_parse(ctx, "near", cmd_near_options, &o, argc, argv,
				NULL)) ||
	    (rc = cli_travel_check(ctx, "near", &o.t, "--within", &o.within)))
		goto cleanup;
	at = o.at;
	from = o.from;
	limit = o.limit;
	within = o.within.metres;
	if (o.unused) {
		rc =
		    cli_usage(ctx, "near",
			      "--%s is not used here: near lists assets around "
			      "a place, not people",
			      o.unused);
		goto cleanup;
	}
	if ((at != NULL) + (o.address != NULL) + (from >= 0) != 1) {
		rc = cli_usage(ctx, "near",
			       at || o.address || from >= 0
				   ? "give one of --at, --address and --from"
				   : "where from? give --at LAT,LON, --address "
				     "TEXT or --from ASSET_ID");
		goto cleanup;
	}
	/* --at "2901 16th St": an address, not a mistake */
	if (at && !cli_gc_is_coords(at)) {
		o.address = at;
		addr_opt = "--at";
		at = NULL;
	}
	if (cli_format_parse(o.a.format, &fmt, &ctx->err)) {
		rc = cli_usage(ctx, "near", "%s", ctx->err.msg);
		goto cleanup;
	}
	if (at && (rc = parse_at(ctx, at, &lat, &lon)))
		goto cleanup;
	if ((rc = cli_analysis_categories(ctx, "near", &o.a)))
		goto cleanup;
	if (o.address && (rc = cli_gc_place(ctx, "near", addr_opt, o.address,
					    &lat, &lon, NULL)))
		goto cleanup;
	if (from > 0 && (rc = asset_at(ctx, from, &lon, &lat)))
		goto cleanup;
	if ((rc = geo_proj_for_ws(ctx->ws, &proj, &ctx->err)))
		goto cleanup;
	qx = lon;
	qy = lat;
	if ((rc = geo_proj_fwd(proj, &qx, &qy, 1, &ctx->err))) {
		core_err_prefix(&ctx->err, "near: ");
		goto cleanup;
	}
	if ((rc = geo_supply_load(ctx->ws, (const char *const *)o.a.cats,
				  o.a.ncats, &o.a.filter, proj, &sup,
				  &ctx->err))) {
		if (rc == CORE_EUSAGE)
			rc = cli_usage(ctx, "near", "%s", ctx->err.msg);
		goto cleanup;
	}
	pts = merge_supply(sup, o.a.ncats, &npts);
	if (o.t.mode != GEO_MODE_LINE) {
		if ((rc = cli_travel_net(ctx, &o.t, proj, &net)) ||
		    (rc = rank_net(ctx, &o, net, qx, qy, lat, lon, pts, npts,
				   &nr)))
			goto cleanup;
		keep = nr.keep;
		ncols = 14;
		cols[0] = xstrdup("rank");
		cols[1] = xasprintf("%s_min", geo_mode_name(o.t.mode));
		cols[2] = xasprintf("%s_%s", geo_mode_name(o.t.mode),
				    core_units_name(o.a.units));
	} else {
		xs = xmalloc((npts ? npts : 1) * sizeof(double));
		ys = xmalloc((npts ? npts : 1) * sizeof(double));
		for (i = 0; i < npts; i++) {
			xs[i] = pts[i].x;
			ys[i] = pts[i].y;
		}
		kd = geo_kd_new(xs, ys, npts);
		/* one more when the asset searched from may be among them */
		k = (size_t)limit + (from > 0 ? 1 : 0);
		idx = xmalloc(k * sizeof(size_t));
		dist = xmalloc(k * sizeof(double));
		got = geo_kd_knn(kd, qx, qy, k, idx, dist);
		r2 = within * within;
		for (i = 0, keep = 0; i < got && keep < (size_t)limit; i++) {
			double dx = pts[idx[i]].x - qx, dy = pts[idx[i]].y - qy;

			if (from > 0 && pts[idx[i]].id == from)
				continue;
			/* the within rule of geo_kd.h */
			if (!isnan(within) && !(dx * dx + dy * dy <= r2))
				break;
			idx[keep] = idx[i];
			dist[keep] = dist[i];
			keep++;
		}
		ncols = 13;
		cols[0] = xstrdup("rank");
		cols[1] = xasprintf("distance_%s", core_units_name(o.a.units));
	}
	{
		static const char *const rest[] = {
		    "id",	"name",	    "organization", "address",
		    "phone",	"hours",    "languages",    "programs",
		    "medi_cal", "capacity", "categories"};
		for (i = 0; i < 11; i++)
			cols[ncols - 11 + i] = xstrdup(rest[i]);
	}
	t = cli_table_new(ncols, (const char *const *)cols,
			  net ? "nnnnssssssssns" : "nnnssssssssns");
	if ((rc =
		 net ? add_rows(ctx, t, pts, nr.idx, nr.metres, nr.secs, keep,
				o.a.units)
		     : add_rows(ctx, t, pts, idx, dist, NULL, keep, o.a.units)))
		goto cleanup;
	cli_table_print(t, ctx->out, fmt);
	geo_filter_describe(&o.a.filter, fdesc, sizeof(fdesc));
	if (from > 0)
		cli_note(ctx, "%zu asset%s near asset %ld%s%s\n", keep,
			 keep == 1 ? "" : "s", from, fdesc[0] ? "; " : "",
			 fdesc);
	else if (o.address)
		cli_note(ctx, "%zu asset%s near '%s' (%.6f,%.6f)%s%s\n", keep,
			 keep == 1 ? "" : "s", o.address, lat, lon,
			 fdesc[0] ? "; " : "", fdesc);
	else
		cli_note(ctx, "%zu asset%s near %.6f,%.6f%s%s\n", keep,
			 keep == 1 ? "" : "s", lat, lon, fdesc[0] ? "; " : "",
			 fdesc);
	if (keep == 0 && (rc = explain_empty(ctx, &o, proj, qx, qy)))
		goto cleanup;
	if (net) {
		note_net(ctx, &o, pts, &nr);
		cli_note(ctx,
			 "ranked by %s %s along the road network, door to "
			 "door%s%s\n",
			 geo_mode_verb(o.t.mode),
			 isnan(o.within.seconds) && !isnan(o.within.metres)
			     ? "distance"
			     : "time",
			 cli_reach_given(&o.within) ? ", within " : "",
			 cli_reach_given(&o.within) ? o.within.text : "");
	}
cleanup:
	for (i = 0; i < 14; i++)
		free(cols[i]);
	net_rank_release(&nr);
	geo_net_free(net);
	cli_table_free(t);
	geo_kd_free(kd);
	free(idx);
	free(dist);
	free(xs);
	free(ys);
	free(pts);
	geo_supply_free(sup, o.a.ncats);
	geo_proj_free(proj);
	cli_analysis_release(&o.a);
	return rc;
}
