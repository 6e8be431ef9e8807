/*
 * cmd_add.c - assetmap add asset: an informal asset typed in by hand (a
 * support group, a trusted leader, a church pantry no list has).
 *
 * Everything is checked before the workspace is touched; the asset is
 * then written through the asset writer (importers/imp_asset.h) in one
 * transaction, with no source, formal = 0, location_quality = 'manual',
 * and never merged with imported assets.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_geocode.h"
#include "cli/cli_opt.h"
#include "core/core_mem.h"
#include "importers/imp_asset.h"
#include "importers/imp_common.h"
#include "importers/imp_xwalk.h"

struct codes {
	char **v;
	size_t n, cap;
};

static void codes_add(struct codes *c, const char *s)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i], s) == 0)
			return;
	xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	c->v[c->n++] = xstrdup(s);
}

static void codes_free(struct codes *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* The code of a category or program given as its code or name. */
static char *find_code(struct cli_ctx *ctx, const char *table, const char *item)
{
	sqlite3_stmt *st;
	char *sql =
	    xasprintf("SELECT code, name FROM %s ORDER BY sort, code", table);
	char *found = NULL;

	if (sqlite3_prepare_v2(ctx->ws->db, sql, -1, &st, NULL) == SQLITE_OK) {
		while (!found && sqlite3_step(st) == SQLITE_ROW) {
			const char *c =
			    (const char *)sqlite3_column_text(st, 0);
			const char *n =
			    (const char *)sqlite3_column_text(st, 1);
			if (imp_name_eq(item, c) || (n && imp_name_eq(item, n)))
				found = xstrdup(c);
		}
		sqlite3_finalize(st);
	}
	free(sql);
	return found;
}

static void list_codes(struct cli_ctx *ctx, const char *table,
		       struct core_buf *b)
{
	sqlite3_stmt *st;
	char *sql = xasprintf("SELECT code FROM %s ORDER BY sort, code", table);

	if (sqlite3_prepare_v2(ctx->ws->db, sql, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			core_buf_addf(b, "%s%s", b->len ? ", " : "",
				      (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	free(sql);
}

/* The usage error for code, which is none of table's: "OPT: 'CODE' is
 * not WHAT; valid codes are ...". */
static int bad_code(struct cli_ctx *ctx, const char *table, const char *opt,
		    const char *what, const char *code)
{
	struct core_buf b = CORE_BUF_INIT;
	int rc;

	list_codes(ctx, table, &b);
	rc = cli_usage(ctx, "add", "%s: '%s' is not %s; valid codes are %s",
		       opt, code, what, core_buf_str(&b));
	core_buf_release(&b);
	return rc;
}

/* Split a comma list into items, trimmed, empty ones dropped. */
static size_t split_items(const char *s, char ***out)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	const char *p = s;

	for (;;) {
		size_t k = strcspn(p, ",");
		char *raw = xmalloc(k + 1), *t;
		memcpy(raw, p, k);
		raw[k] = '\0';
		t = imp_trim_dup(raw);
		free(raw);
		if (*t) {
			xgrow((void **)&v, &cap, n + 1, sizeof(*v));
			v[n++] = t;
		} else {
			free(t);
		}
		if (!p[k])
			break;
		p += k + 1;
	}
	*out = v;
	return n;
}

static void free_items(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int parse_categories(struct cli_ctx *ctx, const char *arg,
			    struct imp_xwalk *xw, struct codes *cats,
			    struct codes *progs)
{
	char **items;
	size_t n = split_items(arg, &items), i, k;
	int rc = CORE_OK;

	if (!n)
		rc = cli_usage(ctx, "add",
			       "--category: give one or more category codes, "
			       "e.g. --category social_connection");
	for (i = 0; i < n && !rc; i++) {
		struct imp_xwalk_hits h;
		struct core_buf b = CORE_BUF_INIT;

		imp_xwalk_hits_clear(&h);
		if (imp_xwalk_category(xw, items[i], &h)) {
			for (k = 0; k < h.ncategories; k++)
				codes_add(cats, h.categories[k]);
			for (k = 0; k < h.nprograms; k++)
				codes_add(progs, h.programs[k]);
			continue;
		}
		imp_xwalk_category_hint(xw, items[i], &b);
		rc = cli_usage(ctx, "add",
			       "--category: '%s' is not a category; %s",
			       items[i], core_buf_str(&b));
		core_buf_release(&b);
	}
	free_items(items, n);
	return rc;
}

static int parse_programs(struct cli_ctx *ctx, const char *arg,
			  struct codes *progs)
{
	char **items;
	size_t n = split_items(arg, &items), i;
	int rc = CORE_OK;

	for (i = 0; i < n && !rc; i++) {
		char *code = find_code(ctx, "programs", items[i]);
		if (code) {
			codes_add(progs, code);
			free(code);
		} else {
			rc = bad_code(ctx, "programs", "--programs",
				      "a Medi-Cal Community Support", items[i]);
		}
	}
	free_items(items, n);
	return rc;
}

/* --at LAT,LON (a space may follow the comma). */
static int parse_at(struct cli_ctx *ctx, const char *arg, double *lat,
		    double *lon)
{
	const char *comma = strchr(arg, ',');
	int ok = comma && !strchr(comma + 1, ',');

	if (ok) {
		char *a = xmalloc((size_t)(comma - arg) + 1);

		memcpy(a, arg, (size_t)(comma - arg));
		a[comma - arg] = '\0';
		ok = imp_parse_number(a, lat) &&
		     imp_parse_number(comma + 1, lon);
		free(a);
	}
	if (!ok)
		return cli_usage(ctx, "add",
				 "--at: '%s' is not LAT,LON; give latitude and "
				 "longitude in decimal degrees, latitude "
				 "first, e.g. --at 37.7599,-122.4148",
				 arg);
	if (*lat < -90 || *lat > 90)
		return cli_usage(
		    ctx, "add",
		    "--at: latitude '%g' is out of range; it must be between "
		    "-90 and 90%s",
		    *lat,
		    fabs(*lat) <= 180 && fabs(*lon) <= 90
			? " (--at takes latitude first: did you mean --at "
			  "LAT,LON with the numbers swapped?)"
			: "");
	if (*lon < -180 || *lon > 180)
		return cli_usage(ctx, "add",
				 "--at: longitude '%g' is out of range; it "
				 "must be between -180 and 180",
				 *lon);
	return CORE_OK;
}

/* ISO 639-1 codes, lower-cased and joined by ','. */
static int parse_languages(struct cli_ctx *ctx, const char *arg, char **out)
{
	struct core_buf b = CORE_BUF_INIT;
	char **items;
	size_t n = split_items(arg, &items), i;
	int rc = CORE_OK;

	for (i = 0; i < n && !rc; i++) {
		const char *s = items[i];
		if (strlen(s) != 2 || !isalpha((unsigned char)s[0]) ||
		    !isalpha((unsigned char)s[1])) {
			rc = cli_usage(ctx, "add",
				       "--languages: '%s' is not an ISO 639-1 "
				       "language code; give two-letter codes "
				       "such as es,en,zh,vi,tl",
				       s);
			break;
		}
		core_buf_addf(&b, "%s%c%c", b.len ? "," : "",
			      tolower((unsigned char)s[0]),
			      tolower((unsigned char)s[1]));
	}
	free_items(items, n);
	if (!rc && n)
		*out = core_buf_detach(&b);
	core_buf_release(&b);
	return rc;
}

/* What the command line gives: each a text that is not blank. */
struct add_opts {
	const char *name, *category, *at, *languages, *organization;
	const char *address, *city, *zip, *phone, *website, *hours, *notes;
	const char *programs;
	long trusted; /* times named in the environmental scan; 0: not */
};

/* The most times a resource may be said to be named (a typo guard). */
#define TRUSTED_MAX 1000000

/* --trusted [N]: named as trusted N times (1 when no N is given). */
static int trusted_opt(struct cli_ctx *ctx, const char *cmd,
		       const struct cli_opt *opt, const char *value,
		       void *target)
{
	char *end;
	long v;

	(void)opt;
	if (!value) {
		*(long *)target = 1;
		return CORE_OK;
	}
	v = strtol(value, &end, 10);
	if (end == value || *end || v < 1 || v > TRUSTED_MAX)
		return cli_usage(ctx, cmd,
				 "--trusted: '%s' is not a number of times "
				 "named; give a whole number from 1 to %d, or "
				 "--trusted alone for once",
				 value, TRUSTED_MAX);
	*(long *)target = v;
	return CORE_OK;
}

/* A value that is not blank. */
static int text_opt(struct cli_ctx *ctx, const char *cmd,
		    const struct cli_opt *opt, const char *value, void *target)
{
	const char *p;

	for (p = value; *p; p++)
		if (!isspace((unsigned char)*p)) {
			*(const char **)target = value;
			return CORE_OK;
		}
	return cli_usage(ctx, cmd, "--%s: give a value, not an empty one",
			 opt->name);
}

#define O struct add_opts
#define TEXT(name, argh, F, label, help)                                       \
	CLI_OPT_FULL(CLI_OPT_KIND_CALLBACK, name, 0, argh, O, F, help, 0,      \
		     label, NULL, 0, 0, 0, NULL, text_opt)
#define QUIET_TEXT(name, F)                                                    \
	CLI_OPT_FULL(CLI_OPT_KIND_CALLBACK, name, 0, NULL, O, F, NULL,         \
		     CLI_OPT_HIDDEN, NULL, NULL, 0, 0, 0, NULL, text_opt)

const struct cli_opt cmd_add_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] add asset --name NAME --category "
	"C[,C]\n"
	"                (--at LAT,LON | --at ADDRESS | --address TEXT)\n"
	"                [OPTIONS]\n"
	"\n"
	"Add an informal asset by hand: a place or person that helps but is "
	"on\n"
	"no list (a support group, a trusted leader, a church's food closet).\n"
	"It is stored with no source, as informal (formal = 0), its location\n"
	"marked 'manual' (or the level of the match when it was looked up\n"
	"from an address: address_point ... zip), and it is never merged\n"
	"with imported assets.  Prints the new asset's id.\n"
	"\n"
	"required:\n"),
    TEXT("name", "NAME", name, NULL, "what people call it"),
    TEXT("category", "C[,C]", category, NULL,
	 "category codes or names ('assetmap categories'),\n"
	 "or a crosswalk keyword such as 'food pantry' or\n"
	 "'grupo de apoyo'"),
    TEXT("at", "LAT,LON", at, NULL,
	 "where, in decimal degrees, latitude first\n"
	 "(e.g. --at 37.7599,-122.4148); or a street address,\n"
	 "found offline in the reference addresses imported\n"
	 "('assetmap import addresses'): --at \"2901 16th St,\n"
	 "San Francisco, CA\"; without --at, the --address\n"
	 "(with --city and --zip) is looked up the same way"),
    CLI_OPT_TEXT("\noptions:\n"),
    TEXT("languages", "L[,L]", languages, NULL,
	 "languages spoken, ISO 639-1 codes (es,en,zh,...)"),
    TEXT("organization", "TEXT", organization, NULL, "who runs it"),
    TEXT("address", "TEXT", address, NULL, "street address"),
    TEXT("city", "TEXT", city, "--city TEXT --zip ZIP", NULL),
    QUIET_TEXT("zip", zip),
    TEXT("phone", "TEXT", phone, NULL, "a phone number"),
    TEXT("website", "URL", website, NULL, NULL),
    TEXT("hours", "TEXT", hours, NULL, "when it meets or is open"),
    TEXT("notes", "TEXT", notes, NULL,
	 "anything else (stored as the description)"),
    TEXT("programs", "P[,P]", programs, NULL,
	 "Medi-Cal Community Supports offered\n"
	 "('assetmap categories --programs')"),
    CLI_OPT_FULL(CLI_OPT_KIND_CALLBACK, "trusted", 0, NULL, O, trusted,
		 "a resource patients or community health workers\n"
		 "named as trusted in the environmental scan, named\n"
		 "N times (default 1); 'assetmap import scan' loads\n"
		 "a whole tally",
		 CLI_OPT_OPTNUM, "--trusted [N]", NULL, 0, 0, 0, NULL,
		 trusted_opt),
    CLI_OPT_TEXT(
	"\n"
	"examples:\n"
	"  assetmap add asset --name 'Mission Diabetes Circle' \\\n"
	"      --category health_education,social_connection \\\n"
	"      --at 37.7599,-122.4148 --languages es,en --hours 'Tue 6pm'\n"
	"  assetmap add asset --name 'Pastora Ruiz' --category "
	"social_connection "
	"\\\n"
	"      --at 37.7524,-122.4183 --organization 'Iglesia Misión' \\\n"
	"      --notes 'trusted leader; connects families to food and housing "
	"help'\n"
	"  assetmap add asset --name 'Barbería Los Primos' --category "
	"social_connection \\\n"
	"      --at 37.7531,-122.4180 --trusted 4\n"),
    CLI_OPT_END()};

#undef TEXT
#undef QUIET_TEXT
#undef O

/* assets.trusted_count = n for asset id, inside the caller's
 * transaction. */
static int set_trusted(struct cli_ctx *ctx, int64_t id, long n)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = core_ws_prepare(ctx->ws, &ctx->err, &st,
				  "UPDATE assets SET trusted_count = ?1"
				  " WHERE id = ?2")))
		return rc;
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = core_ws_dberr(ctx->ws, &ctx->err,
				   "marking the asset trusted");
	sqlite3_finalize(st);
	return rc;
}

/* "ADDRESS, CITY ZIP" from --address, --city and --zip (caller frees). */
static char *address_text(const struct add_opts *o)
{
	struct core_buf b = CORE_BUF_INIT;

	core_buf_adds(&b, o->address);
	if (o->city)
		core_buf_addf(&b, ", %s", o->city);
	if (o->zip)
		core_buf_addf(&b, "%s%s", o->city ? " " : ", ", o->zip);
	return core_buf_detach(&b);
}

/* assetmap add asset --name N --category C --at LAT,LON [...]: write one
 * informal (hand-added) asset with what the options give, in one
 * transaction, then print its id on ctx->out and a note of what was
 * added.  argv[0] is "asset".  Returns 0, or a code with ctx->err set:
 * CORE_EUSAGE for a missing or bad option (an unknown category, program
 * or language), else the workspace's error, with nothing written. */
static int add_asset(struct cli_ctx *ctx, int argc, char **argv)
{
	struct add_opts o;
	struct codes cats = {0}, progs = {0};
	struct imp_asset_writer *w = NULL;
	struct imp_xwalk *xw = NULL;
	struct imp_asset a;
	char *langs = NULL, *name = NULL;
	int64_t id = 0;
	int rc = CORE_OK;

	imp_asset_init(&a);
	a.formal = 0;
	a.location_quality = "manual";
	memset(&o, 0, sizeof(o));
	if ((rc = cli_opt_parse(ctx, "add", cmd_add_options, &o, argc, argv,
				NULL)))
		return rc;
	a.name = o.name;
	a.organization = o.organization;
	a.address = o.address;
	a.city = o.city;
	a.zip = o.zip;
	a.phone = o.phone;
	a.website = o.website;
	a.hours = o.hours;
	a.description = o.notes;
	if (!a.name)
		return cli_usage(
		    ctx, "add",
		    "add asset needs --name NAME (what people call it)");
	if (!o.category)
		return cli_usage(
		    ctx, "add",
		    "add asset needs --category C (e.g. social_connection; "
		    "'assetmap categories' lists them)");
	if (!o.at && !o.address)
		return cli_usage(ctx, "add",
				 "add asset needs --at LAT,LON (e.g. --at "
				 "37.7599,-122.4148) or an --address to look "
				 "up");
	if (o.at && cli_gc_is_coords(o.at)) {
		if ((rc = parse_at(ctx, o.at, &a.lat, &a.lon)))
			return rc;
	} else {
		/* an address, looked up in the reference addresses */
		char *text = o.at ? xstrdup(o.at) : address_text(&o);
		int level = 0;

		rc = cli_gc_place(ctx, "add", o.at ? "--at" : "--address", text,
				  &a.lat, &a.lon, &level);
		free(text);
		if (rc)
			return rc;
		/* as the importers name a geocoded location */
		a.location_quality = geo_gc_level_name(level);
	}
	if ((rc = imp_xwalk_new(ctx->ws, &xw, &ctx->err)))
		goto cleanup;
	if ((rc = parse_categories(ctx, o.category, xw, &cats, &progs)) ||
	    (o.programs && (rc = parse_programs(ctx, o.programs, &progs))) ||
	    (o.languages && (rc = parse_languages(ctx, o.languages, &langs))))
		goto cleanup;
	name = imp_trim_dup(a.name);
	a.name = name;
	a.languages = langs;
	a.categories = (const char *const *)cats.v;
	a.ncategories = cats.n;
	a.programs = (const char *const *)progs.v;
	a.nprograms = progs.n;

	if ((rc = core_ws_begin(ctx->ws, &ctx->err)) ||
	    (rc = imp_asset_writer_new(ctx->ws, NULL, 0, &w, &ctx->err)) ||
	    (rc = imp_asset_write(w, &a, &id, &ctx->err)) ||
	    (o.trusted && (rc = set_trusted(ctx, id, o.trusted))))
		goto cleanup;
	imp_asset_writer_free(w);
	w = NULL;
	if ((rc = core_ws_commit(ctx->ws, &ctx->err)))
		goto cleanup;
	fprintf(ctx->out, "%lld\n", (long long)id);
	cli_note(ctx, "added informal asset %lld '%s' at %.6f,%.6f",
		 (long long)id, a.name, a.lat, a.lon);
	if (o.trusted)
		cli_note(ctx, "; a trusted resource, named %ld time%s",
			 o.trusted, o.trusted == 1 ? "" : "s");
	cli_note(ctx, "\n");
cleanup:
	imp_asset_writer_free(w);
	if (rc)
		core_ws_rollback(ctx->ws);
	imp_xwalk_free(xw);
	codes_free(&cats);
	codes_free(&progs);
	free(langs);
	free(name);
	return rc;
}

int cmd_add(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-')
		return cli_usage(ctx, "add",
				 "say what to add: 'assetmap add asset --name "
				 "NAME --category C --at LAT,LON'");
	if (strcmp(argv[1], "asset") != 0)
		return cli_usage(ctx, "add",
				 "'%s' is not something I add; give 'asset'",
				 argv[1]);
	/* The option parser sees argv[0] = "asset" and the options after it. */
	return add_asset(ctx, argc - 1, argv + 1);
}
