/*
 * cli_analysis.c - the options every analysis command shares.  See
 * cli_analysis.h.
 */
#include "cli/cli_analysis.h"

#include "geo/geo_kd.h"

#include <ctype.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_progress.h"
#include "core/core_result.h"
#include "core/core_taxonomy.h"
#include "importers/imp_medi_cal.h"
#include "importers/imp_xwalk.h"

const char cli_analysis_help[] = CLI_ANALYSIS_HELP_TEXT;

void cli_analysis_init(struct cli_analysis *a)
{
	memset(a, 0, sizeof(*a));
	a->areas = "tract";
	geo_filter_init(&a->filter);
	a->units = CORE_UNIT_MI;
	a->format = "table";
}

void cli_analysis_release(struct cli_analysis *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->ncats; i++)
		free(a->cats[i]);
	free(a->cats);
	free(a->language_code);
	a->cats = NULL;
	a->ncats = 0;
	a->language_code = NULL;
	a->filter.language = NULL;
}

/* --category: append each code of the comma-separated list value
 * (trimmed, duplicates dropped) to a->cats; an empty code is an error. */
static int category_opt(struct cli_ctx *ctx, const char *cmd,
			const struct cli_opt *opt, const char *value,
			void *target)
{
	struct cli_analysis *a =
	    (void *)((char *)target - offsetof(struct cli_analysis, cats));
	const char *p = value;

	(void)opt;
	for (;;) {
		size_t k = strcspn(p, ",");
		size_t b = 0, e = k, i;
		char *code;

		while (b < e && isspace((unsigned char)p[b]))
			b++;
		while (e > b && isspace((unsigned char)p[e - 1]))
			e--;
		if (e == b)
			return cli_usage(
			    ctx, cmd,
			    "--category: '%s' has an empty code; give codes "
			    "separated by commas, e.g. food,housing",
			    value);
		code = xmalloc(e - b + 1);
		memcpy(code, p + b, e - b);
		code[e - b] = '\0';
		for (i = 0; i < a->ncats; i++)
			if (strcmp(a->cats[i], code) == 0)
				break;
		if (i < a->ncats) {
			free(code);
		} else {
			a->cats =
			    xrealloc(a->cats, (a->ncats + 1) * sizeof(char *));
			a->cats[a->ncats++] = code;
		}
		if (!p[k])
			break;
		p += k + 1;
	}
	return CORE_OK;
}

/* An ISO 639 code as given ("es", "ES", "hmn") or from a name. */
static char *language_code(const char *arg)
{
	size_t n = strlen(arg), i;
	const char *c;

	if (n == 2 || n == 3) {
		char *s = xstrdup(arg);
		for (i = 0; i < n; i++) {
			if (!isalpha((unsigned char)s[i]))
				break;
			s[i] = (char)tolower((unsigned char)s[i]);
		}
		if (i == n) {
			/* a three-letter name like "lao" is a code too */
			c = imp_mc_language_code(arg);
			if (c && n == 3) {
				free(s);
				return xstrdup(c);
			}
			return s;
		}
		free(s);
	}
	c = imp_mc_language_code(arg);
	return c ? xstrdup(c) : NULL;
}

/* --language: a code or a name, into a->language_code and the filter. */
static int language_opt(struct cli_ctx *ctx, const char *cmd,
			const struct cli_opt *opt, const char *value,
			void *target)
{
	struct cli_analysis *a =
	    (void *)((char *)target -
		     offsetof(struct cli_analysis, language_code));

	(void)opt;
	free(a->language_code);
	a->language_code = language_code(value);
	a->filter.language = a->language_code;
	if (!a->language_code)
		return cli_usage(ctx, cmd,
				 "--language: '%s' is not a language I know; "
				 "give an ISO 639-1 code (es, zh, vi) or a "
				 "name (Spanish)",
				 value);
	return CORE_OK;
}

/* --open weekday|evening|weekday,evening, into the filter. */
static int open_opt(struct cli_ctx *ctx, const char *cmd,
		    const struct cli_opt *opt, const char *value, void *target)
{
	struct geo_filter *f = target;
	const char *p = value;

	(void)opt;
	for (;;) {
		size_t k = strcspn(p, ",");
		if (k == 7 && strncasecmp(p, "weekday", 7) == 0)
			f->weekday = 1;
		else if (k == 7 && strncasecmp(p, "evening", 7) == 0)
			f->evening = 1;
		else if (k == 8 && strncasecmp(p, "weekdays", 8) == 0)
			f->weekday = 1;
		else if (k == 8 && strncasecmp(p, "evenings", 8) == 0)
			f->evening = 1;
		else
			return cli_usage(ctx, cmd,
					 "--open: '%s' is not weekday or "
					 "evening (or 'weekday,evening')",
					 value);
		if (!p[k])
			break;
		p += k + 1;
	}
	return CORE_OK;
}

/* --partners current|prospective|any, into the filter. */
static int partners_opt(struct cli_ctx *ctx, const char *cmd,
			const struct cli_opt *opt, const char *value,
			void *target)
{
	static const char *const codes[] = {"current", "prospective", "any",
					    NULL};
	enum geo_partners *p = target;
	const char *near;

	(void)opt;
	if (strcasecmp(value, "current") == 0)
		*p = GEO_PARTNERS_CURRENT;
	else if (strcasecmp(value, "prospective") == 0)
		*p = GEO_PARTNERS_PROSPECTIVE;
	else if (strcasecmp(value, "any") == 0)
		*p = GEO_PARTNERS_ANY;
	else if ((near = cli_opt_nearest_word(value, codes)))
		return cli_usage(ctx, cmd,
				 "--partners: '%s' is not a partner status; "
				 "did you mean '%s'? (current, prospective or "
				 "any)",
				 value, near);
	else
		return cli_usage(ctx, cmd,
				 "--partners: '%s' is not a partner status; "
				 "give current, prospective or any (current "
				 "or prospective); leave it out to count "
				 "every asset",
				 value);
	return CORE_OK;
}

/* --where KEY=VALUE. */
static int where_opt(struct cli_ctx *ctx, const char *cmd,
		     const struct cli_opt *opt, const char *value, void *target)
{
	const char *eq = strchr(value, '=');

	(void)opt;
	if (!eq || eq == value || !eq[1])
		return cli_usage(
		    ctx, cmd,
		    "--where: '%s' is not KEY=VALUE (e.g. language=es)", value);
	*(const char **)target = value;
	return CORE_OK;
}

const struct cli_opt_choice cli_area_levels[] = {
    {"tract", 0}, {"blockgroup", 0},   {"county", 0}, {"zcta", 0},
    {"state", 0}, {"neighborhood", 0}, {NULL, 0}};

#define A struct cli_analysis

/* The records of the who-and-what and supply-filter options, help as
 * the first two sections of the group's help. */
#define WHO_COHORT                                                             \
	CLI_OPT_FULL(CLI_OPT_KIND_STRING, "cohort", 0, "NAME", A, cohort,      \
		     "the people: a cohort in the workspace\n"                 \
		     "('assetmap info' lists them)",                           \
		     CLI_OPT_NONEMPTY, NULL, "needs a cohort's name", 0, 0, 0, \
		     NULL, NULL)
#define WHO_AREAS                                                              \
	CLI_OPT_FULL(CLI_OPT_KIND_CHOICE, "areas", 0, "LEVEL", A, areas,       \
		     "the areas results are summarised by: tract\n"            \
		     "(default), blockgroup, county, zcta or state",           \
		     CLI_OPT_STORE_NAME, NULL,                                 \
		     "'%s' is not an area level; give tract, blockgroup, "     \
		     "county, zcta or state",                                  \
		     0, 0, 0, cli_area_levels, NULL)

/* The supply filters but --partners: the analyses' table and the
 * group maps include (cli_filter_options). */
#define SUPPLY_FILTERS                                                         \
	CLI_OPT_CALLBACK("language", 0, "CODE", A, language_code,              \
			 language_opt,                                         \
			 "assets that list this language: an ISO 639-1 code\n" \
			 "(es) or a name (Spanish)"),                          \
	    CLI_OPT_FLAG("medi-cal", 0, A, filter.medi_cal, 1,                 \
			 "assets that accept Medi-Cal"),                       \
	    CLI_OPT_FULL(                                                      \
		CLI_OPT_KIND_STRING, "program", 0, "CODE", A, filter.program,  \
		"assets offering this Medi-Cal Community Support",             \
		CLI_OPT_NONEMPTY, NULL,                                        \
		"needs a Community Support code (see 'assetmap categories')",  \
		0, 0, 0, NULL, NULL),                                          \
	    CLI_OPT_CALLBACK(                                                  \
		"open", 0, "weekday|evening", A, filter, open_opt,             \
		"assets open on a weekday / at or after 17:00 on\n"            \
		"some day (from their hours; assets whose hours\n"             \
		"cannot be read do not count); both may be given\n"            \
		"as 'weekday,evening'"),                                       \
	    CLI_OPT_FULL(CLI_OPT_KIND_NUMBER, "min-capacity", 0, "N", A,       \
			 filter.min_capacity,                                  \
			 "assets with a capacity of at least N (unknown\n"     \
			 "capacity does not count)",                           \
			 0, NULL, "'%s' is not a number of 0 or more", 0, 0,   \
			 HUGE_VAL, NULL, NULL),                                \
	    CLI_OPT_FULL(CLI_OPT_KIND_FLAG, "formal", 0, NULL, A,              \
			 filter.formal,                                        \
			 "imported assets only / hand-added assets only", 0,   \
			 "--formal, --informal", NULL, 1, 0, 0, NULL, NULL),   \
	    CLI_OPT_FULL(CLI_OPT_KIND_FLAG, "informal", 0, NULL, A,            \
			 filter.formal, NULL, CLI_OPT_HIDDEN, NULL, NULL, 0,   \
			 0, 0, NULL, NULL)

const struct cli_opt cli_analysis_options[] = {
    CLI_OPT_TEXT("who and what:\n"),
    WHO_COHORT,
    WHO_AREAS,
    CLI_OPT_CALLBACK("category", 0, "C[,C...]", A, cats, category_opt,
		     "asset categories, codes as listed by 'assetmap\n"
		     "categories' (default: every category that has\n"
		     "assets)"),
    CLI_OPT_CALLBACK("where", 0, "KEY=VALUE", A, where, where_opt,
		     "only cohort members whose kept attribute KEY is\n"
		     "VALUE, e.g. --where language=es (case-insensitive)"),
    CLI_OPT_TEXT("\nwhich assets count (all optional, combined with "
		 "'and'):\n"),
    SUPPLY_FILTERS,
    CLI_OPT_CALLBACK("partners", 0, "current|prospective|any", A,
		     filter.partners, partners_opt,
		     "assets by the partnership register: current\n"
		     "partners, prospective ones, or any (current or\n"
		     "prospective); former partners and assets not in\n"
		     "the register do not count"),
    CLI_OPT_TEXT("\noutput:\n"),
    CLI_OPT_UNIT("units", 0, "mi|km|m", A, units,
		 "distances shown in miles (default), km or metres"),
    CLI_OPT_FULL(CLI_OPT_KIND_CHOICE, "format", 0, "table|csv|json", A, format,
		 "the summary's format (default table)", CLI_OPT_STORE_NAME,
		 NULL, "'%s' is not a format; use table, csv or json", 0, 0, 0,
		 cli_formats, NULL),
    CLI_OPT_END()};

const struct cli_opt cli_filter_options[] = {SUPPLY_FILTERS, CLI_OPT_END()};

#undef SUPPLY_FILTERS
#undef A

int cli_filter_check(struct cli_ctx *ctx, const char *cmd,
		     const struct geo_filter *f)
{
	if (f->program && !core_program_exists(ctx->ws, f->program))
		return cli_usage(
		    ctx, cmd,
		    "--program: '%s' is not a Medi-Cal Community Support; "
		    "'assetmap categories' lists the codes",
		    f->program);
	return CORE_OK;
}

/* Names of the languages coalitions ask for most, by ISO 639 code. */
static const struct {
	const char *code, *name;
} language_names[] = {
    {"am", "Amharic"},	 {"ar", "Arabic"},     {"bn", "Bengali"},
    {"de", "German"},	 {"el", "Greek"},      {"en", "English"},
    {"es", "Spanish"},	 {"fa", "Farsi"},      {"fil", "Filipino"},
    {"fr", "French"},	 {"gu", "Gujarati"},   {"he", "Hebrew"},
    {"hi", "Hindi"},	 {"hmn", "Hmong"},     {"ht", "Haitian Creole"},
    {"hy", "Armenian"},	 {"id", "Indonesian"}, {"ilo", "Ilocano"},
    {"it", "Italian"},	 {"ja", "Japanese"},   {"km", "Khmer"},
    {"ko", "Korean"},	 {"lo", "Lao"},	       {"mn", "Mongolian"},
    {"my", "Burmese"},	 {"ne", "Nepali"},     {"pa", "Punjabi"},
    {"pl", "Polish"},	 {"ps", "Pashto"},     {"pt", "Portuguese"},
    {"ro", "Romanian"},	 {"ru", "Russian"},    {"sgn", "sign language"},
    {"sm", "Samoan"},	 {"so", "Somali"},     {"sw", "Swahili"},
    {"ta", "Tamil"},	 {"th", "Thai"},       {"ti", "Tigrinya"},
    {"tl", "Tagalog"},	 {"to", "Tongan"},     {"tr", "Turkish"},
    {"uk", "Ukrainian"}, {"ur", "Urdu"},       {"vi", "Vietnamese"},
    {"yo", "Yoruba"},	 {"zap", "Zapotec"},   {"zh", "Chinese"},
    {NULL, NULL}};

/* Append item (owned) to the list *items of *n. */
static void words_add(char ***items, size_t *n, char *item)
{
	*items = xrealloc(*items, (*n + 1) * sizeof(char *));
	(*items)[(*n)++] = item;
}

char *cli_filter_words(struct core_ws *ws, const struct geo_filter *f, int one)
{
/* the verb of one asset, or of several */
#define V(one_form, many_form) (one ? (one_form) : (many_form))
	struct core_buf b = CORE_BUF_INIT;
	char **items = NULL;
	size_t n = 0, i;

	if (!geo_filter_is_set(f))
		return NULL;
	if (f->medi_cal)
		words_add(&items, &n,
			  xstrdup(V("accepts Medi-Cal", "accept Medi-Cal")));
	if (f->language) {
		const char *name = NULL;

		for (i = 0; language_names[i].code; i++)
			if (strcmp(language_names[i].code, f->language) == 0)
				name = language_names[i].name;
		words_add(&items, &n,
			  name ? xasprintf(V("lists %s", "list %s"), name)
			       : xasprintf(V("lists the language '%s'",
					     "list the language '%s'"),
					   f->language));
	}
	if (f->program) {
		sqlite3_stmt *st = NULL;
		struct core_err e = CORE_ERR_INIT;
		char *item = NULL;

		if (ws && core_ws_prepare(
			      ws, &e, &st,
			      "SELECT name FROM programs WHERE code = ?") ==
			      CORE_OK) {
			sqlite3_bind_text(st, 1, f->program, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW &&
			    sqlite3_column_text(st, 0))
				item = xasprintf(
				    V("offers %s", "offer %s"),
				    (const char *)sqlite3_column_text(st, 0));
		}
		sqlite3_finalize(st);
		words_add(&items, &n,
			  item
			      ? item
			      : xasprintf(V("offers the Community Support '%s'",
					    "offer the Community Support '%s'"),
					  f->program));
	}
	if (f->weekday && f->evening)
		words_add(
		    &items, &n,
		    xstrdup(V("is open on a weekday and in the evening",
			      "are open on a weekday and in the evening")));
	else if (f->weekday)
		words_add(&items, &n,
			  xstrdup(V("is open on a weekday",
				    "are open on a weekday")));
	else if (f->evening)
		words_add(
		    &items, &n,
		    xstrdup(V("is open in the evening (at or after 17:00)",
			      "are open in the evening (at or after 17:00)")));
	if (!isnan(f->min_capacity))
		words_add(&items, &n,
			  xasprintf(V("has a capacity of at least %g",
				      "have a capacity of at least %g"),
				    f->min_capacity));
	if (f->formal == 1)
		words_add(&items, &n,
			  xstrdup(V("was imported from a source",
				    "were imported from a source")));
	else if (f->formal == 0)
		words_add(
		    &items, &n,
		    xstrdup(V("was added by hand", "were added by hand")));
	if (f->partners == GEO_PARTNERS_CURRENT)
		words_add(
		    &items, &n,
		    xstrdup(V("is a current partner", "are current partners")));
	else if (f->partners == GEO_PARTNERS_PROSPECTIVE)
		words_add(&items, &n,
			  xstrdup(V("is a prospective partner",
				    "are prospective partners")));
	else if (f->partners == GEO_PARTNERS_ANY)
		words_add(&items, &n,
			  xstrdup(V("is a current or prospective partner",
				    "are current or prospective partners")));
	for (i = 0; i < n; i++) {
		core_buf_addf(&b, "%s%s",
			      i == 0	   ? ""
			      : i == n - 1 ? " and "
					   : ", ",
			      items[i]);
		free(items[i]);
	}
	free(items);
	return core_buf_detach(&b);
#undef V
}

int cli_analysis_categories(struct cli_ctx *ctx, const char *cmd,
			    struct cli_analysis *a)
{
	int rc;

	if ((rc = cli_filter_check(ctx, cmd, &a->filter)))
		return rc;
	if (a->ncats == 0)
		return geo_categories_present(ctx->ws, &a->cats, &a->ncats,
					      &ctx->err);
	return cli_categories_resolve(ctx, cmd, &a->cats, &a->ncats);
}

int cli_categories_resolve(struct cli_ctx *ctx, const char *cmd, char ***cats,
			   size_t *n)
{
	struct imp_xwalk *xw = NULL;
	struct core_buf b = CORE_BUF_INIT;
	char **v = NULL;
	size_t nv = 0, cap = 0, i, k, m;
	int rc;

	if ((rc = imp_xwalk_new(ctx->ws, &xw, &ctx->err)))
		goto cleanup;
	for (i = 0; i < *n; i++) {
		struct imp_xwalk_hits h;

		imp_xwalk_hits_clear(&h);
		if (!imp_xwalk_category(xw, (*cats)[i], &h)) {
			imp_xwalk_category_hint(xw, (*cats)[i], &b);
			rc = cli_usage(ctx, cmd,
				       "--category: '%s' is not a category; %s",
				       (*cats)[i], core_buf_str(&b));
			goto cleanup;
		}
		for (k = 0; k < h.ncategories; k++) {
			for (m = 0; m < nv; m++)
				if (strcmp(v[m], h.categories[k]) == 0)
					break;
			if (m < nv)
				continue;
			xgrow((void **)&v, &cap, nv + 1, sizeof(*v));
			v[nv++] = xstrdup(h.categories[k]);
		}
	}
	/* the codes replace what was given */
	for (i = 0; i < *n; i++)
		free((*cats)[i]);
	free(*cats);
	*cats = v;
	*n = nv;
	v = NULL;
	nv = 0;
cleanup:
	for (i = 0; i < nv; i++)
		free(v[i]);
	free(v);
	core_buf_release(&b);
	imp_xwalk_free(xw);
	return rc;
}

void cli_filter_params(const struct geo_filter *f, json_object *params)
{
	char filt[512];
	const char *p = geo_partners_code(f->partners);

	geo_filter_describe(f, filt, sizeof(filt));
	if (*filt)
		json_object_object_add(params, "filter",
				       json_object_new_string(filt));
	if (p)
		json_object_object_add(params, "partners",
				       json_object_new_string(p));
}

void cli_analysis_params(const struct cli_analysis *a, json_object *params)
{
	if (a->where)
		json_object_object_add(params, "where",
				       json_object_new_string(a->where));
	cli_filter_params(&a->filter, params);
}

json_object *cli_analysis_params_json(const struct cli_analysis *a,
				      const char *dist_key, double dist_m)
{
	json_object *o = json_object_new_object(),
		    *cats = json_object_new_array();
	size_t i;

	for (i = 0; i < a->ncats; i++)
		json_object_array_add(cats, json_object_new_string(a->cats[i]));
	json_object_object_add(o, "categories", cats);
	json_object_object_add(o, dist_key, json_object_new_double(dist_m));
	json_object_object_add(o, "areas", json_object_new_string(a->areas));
	if (a->cohort)
		json_object_object_add(o, "cohort",
				       json_object_new_string(a->cohort));
	cli_analysis_params(a, o);
	return o;
}

int cli_category_list(struct cli_ctx *ctx, const char *cmd, const char *arg,
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
		xgrow((void **)&v, &cap, *n + 1, sizeof(char *));
		v[(*n)++] = xstrdup(tok);
	}
	if (*n)
		rc = cli_categories_resolve(ctx, cmd, &v, n);
	else
		rc = cli_usage(ctx, cmd,
			       "--category: '%s' names no category; give codes "
			       "such as food,housing",
			       arg);
	free(copy);
	*out = v;
	return rc;
}

/* ---------------------------------------------------------------------
 * Loading what a point analysis reads
 * ------------------------------------------------------------------ */

/*
 * Put the people in spatial (Z-) order, all their arrays alike.  Every
 * per-person loop then walks neighbours after neighbours: the tree
 * searches start from the answer next door and touch memory already in
 * cache, about twice as fast at a million people (geo_kd.h).  Member
 * columns are written in this order with their member_id column, so
 * nothing downstream depends on id order.
 */
static void spatial_order(struct geo_members *m)
{
	uint32_t *order;
	void *tmp;

	if (m->n < 2)
		return;
	order = geo_kd_order(m->x, m->y, m->n);
	tmp = xmalloc(m->n * sizeof(double));
	geo_kd_permute(m->x, tmp, sizeof(double), m->n, order);
	memcpy(m->x, tmp, m->n * sizeof(double));
	geo_kd_permute(m->y, tmp, sizeof(double), m->n, order);
	memcpy(m->y, tmp, m->n * sizeof(double));
	geo_kd_permute(m->id, tmp, sizeof(int64_t), m->n, order);
	memcpy(m->id, tmp, m->n * sizeof(int64_t));
	if (m->area) {
		geo_kd_permute(m->area, tmp, sizeof(int32_t), m->n, order);
		memcpy(m->area, tmp, m->n * sizeof(int32_t));
	}
	if (m->zip_precision) {
		geo_kd_permute(m->zip_precision, tmp, 1, m->n, order);
		memcpy(m->zip_precision, tmp, m->n);
	}
	free(tmp);
	free(order);
}

int cli_inputs_load(struct cli_ctx *ctx, const char *cmd,
		    const struct cli_analysis *a, struct cli_inputs *in)
{
	struct core_err *err = &ctx->err;
	size_t i;
	int rc;

	memset(in, 0, sizeof(*in));
	if ((rc = geo_proj_for_ws(ctx->ws, &in->proj, err)))
		return rc;
	if ((rc = geo_areas_load(ctx->ws, a->areas, NULL, in->proj, &in->areas,
				 err)))
		return rc;
	cli_analysis_lap("read the areas");
	if (!a->cohort && in->areas->n == 0)
		return core_err_set(
		    err, CORE_ENOTFOUND,
		    "%s: workspace %s has no %s areas to measure from; import "
		    "them with 'assetmap import areas' (and population with "
		    "'assetmap import indicators'), or give --cohort NAME",
		    cmd, ctx->ws->path, a->areas);
	if ((rc = geo_supply_load(ctx->ws, (const char *const *)a->cats,
				  a->ncats, &a->filter, in->proj, &in->supply,
				  err))) {
		if (rc == CORE_EUSAGE)
			return cli_usage(ctx, cmd, "%s", err->msg);
		return rc;
	}
	in->ncats = a->ncats;
	cli_analysis_lap("read the supply");
	if (a->cohort) {
		rc = geo_members_load(ctx->ws, a->cohort, a->where, in->proj,
				      in->areas->n ? in->areas : NULL,
				      &in->members, err);
		if (rc == CORE_EUSAGE) {
			struct core_err e = *err;
			return cli_usage(ctx, cmd, "%s", e.msg);
		}
		if (rc)
			return rc;
		cli_analysis_lap("read the members");
		spatial_order(in->members);
		in->n = in->members->n;
		in->x = in->members->x;
		in->y = in->members->y;
		if (in->areas->n) {
			in->area = in->members->area;
		} else {
			in->aidx =
			    xmalloc((in->n ? in->n : 1) * sizeof(int32_t));
			for (i = 0; i < in->n; i++)
				in->aidx[i] = -1;
			in->area = in->aidx;
		}
		for (i = 0; i < in->n; i++)
			if (isnan(in->x[i]) || isnan(in->y[i]))
				in->unlocated++;
		return CORE_OK;
	}
	in->n = in->areas->n;
	in->ax = xmalloc((in->n ? in->n : 1) * sizeof(double));
	in->ay = xmalloc((in->n ? in->n : 1) * sizeof(double));
	in->aidx = xmalloc((in->n ? in->n : 1) * sizeof(int32_t));
	for (i = 0; i < in->n; i++)
		in->aidx[i] = (int32_t)i;
	if ((rc = geo_area_points(ctx->ws, in->areas, in->proj, in->ax, in->ay,
				  &in->weighted, err)))
		return rc;
	if (!in->weighted) {
		int64_t nbg = 0;
		if (core_ws_int(
			ctx->ws, err,
			"SELECT count(*) FROM areas WHERE level = 'blockgroup'"
			" AND population > 0",
			&nbg))
			return CORE_EDB;
		in->bg_population = nbg > 0;
	}
	in->x = in->ax;
	in->y = in->ay;
	in->area = in->aidx;
	for (i = 0; i < in->n; i++)
		if (isnan(in->x[i]) || isnan(in->y[i]))
			in->unlocated++;
	return CORE_OK;
}

int cli_analysis_one_category(struct cli_ctx *ctx, const char *cmd,
			      struct cli_analysis *a, enum cli_format *fmt)
{
	int rc;

	if (a->ncats > 1)
		return cli_usage(
		    ctx, cmd, "one category at a time: --category C (got %zu)",
		    a->ncats);
	if (a->ncats == 0)
		return cli_usage(ctx, cmd,
				 "--category C is required (one category; "
				 "'assetmap categories' lists them)");
	cli_format_parse(a->format, fmt, NULL);
	if ((rc = cli_analysis_categories(ctx, cmd, a)))
		return rc;
	if (a->ncats > 1)
		return cli_usage(ctx, cmd,
				 "one category at a time: --category C (it "
				 "gives %zu: %s, %s%s)",
				 a->ncats, a->cats[0], a->cats[1],
				 a->ncats > 2 ? ", ..." : "");
	return CORE_OK;
}

int cli_inputs_load_counts(struct cli_ctx *ctx, const char *cmd,
			   const struct cli_analysis *a, struct cli_inputs *in,
			   int *counts)
{
	struct cli_analysis la = *a;
	sqlite3_stmt *st = NULL;
	int rc;

	*counts = 0;
	if (a->cohort) {
		if ((rc = core_ws_prepare(ctx->ws, &ctx->err, &st,
					  "SELECT 1 FROM cohorts WHERE name = "
					  "?1 AND kind = 'counts'")))
			return rc;
		sqlite3_bind_text(st, 1, a->cohort, -1, SQLITE_STATIC);
		*counts = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	if (*counts) {
		if (a->where)
			return cli_usage(ctx, cmd,
					 "--where needs a cohort of people; %s "
					 "holds counts per area",
					 a->cohort);
		la.cohort = NULL;
	}
	return cli_inputs_load(ctx, cmd, &la, in);
}

int cli_analysis_prepare(struct cli_ctx *ctx, const char *cmd,
			 struct cli_analysis *a, enum cli_format *fmt,
			 struct cli_inputs *in)
{
	int rc;

	cli_format_parse(a->format, fmt, NULL);
	if ((rc = cli_analysis_categories(ctx, cmd, a)))
		return rc;
	if (a->ncats == 0)
		return core_err_set(&ctx->err, CORE_ENOTFOUND,
				    "%s: workspace %s has no assets; import "
				    "some with 'assetmap import assets'",
				    cmd, ctx->ws->path);
	cli_analysis_lap("start");
	if ((rc = cli_inputs_load(ctx, cmd, a, in)))
		return rc;
	cli_analysis_lap("read the workspace");
	return CORE_OK;
}

void cli_inputs_release(struct cli_inputs *in)
{
	if (!in)
		return;
	geo_supply_free(in->supply, in->ncats);
	geo_members_free(in->members);
	geo_areas_free(in->areas);
	geo_proj_free(in->proj);
	free(in->ax);
	free(in->ay);
	free(in->aidx);
	memset(in, 0, sizeof(*in));
}

void cli_inputs_note(struct cli_ctx *ctx, const char *cmd,
		     const struct cli_analysis *a, const struct cli_inputs *in)
{
	char buf[256], cnt[32];

	if (a->cohort) {
		cli_note(
		    ctx, "%s: cohort %s%s%s: %s people with a location", cmd,
		    a->cohort, a->where ? " where " : "",
		    a->where ? a->where : "",
		    core_privacy_count_grouped((int64_t)(in->n - in->unlocated),
					       cnt, sizeof(cnt)));
		if (in->unlocated)
			cli_note(ctx, " (%s without one left out)",
				 core_privacy_count_grouped(
				     (int64_t)in->unlocated, cnt, sizeof(cnt)));
		cli_note(ctx, "\n");
	} else {
		cli_note(ctx, "%s: %zu %s areas; %s\n", cmd, in->n, a->areas,
			 cli_inputs_points_note(in));
	}
	geo_filter_describe(&a->filter, buf, sizeof(buf));
	if (buf[0])
		cli_note(ctx, "assets counted: %s\n", buf);
}

const char *cli_inputs_points_note(const struct cli_inputs *in)
{
	if (in->members)
		return "people measured from where they live (ZIP-placed "
		       "people from their ZIP's centroid)";
	return in->weighted ? "area points: population-weighted centroids of "
			      "their block groups"
	       : in->bg_population
		   ? "area points: population-weighted centroids of their "
		     "block groups where the workspace has them, geometric "
		     "centroids elsewhere"
		   : "area points: geometric centroids (no block-group "
		     "population in the workspace to weight them by)";
}

void cli_analysis_cache(struct cli_ctx *ctx, size_t n)
{
	size_t kib = 3 * n * 8 / 1024;
	char sql[64];

	if (kib < 16384)
		kib = 16384;
	if (kib > 262144)
		kib = 262144;
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%zu", kib);
	sqlite3_exec(ctx->ws->db, sql, NULL, NULL, NULL);
}

/* ASSETMAP_TIMING=1: each stage's wall time on stderr, for the bench. */
void cli_analysis_lap(const char *what)
{
	static struct core_lap l;

	core_lap(&l, "", what);
}

int cli_indicator_scale(struct core_ws *ws, const char *name, double *scale,
			struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*scale = 1;
	if ((rc = core_ws_prepare(
		 ws, err, &st,
		 "SELECT unit FROM indicator_info WHERE name = ?")))
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *u = (const char *)sqlite3_column_text(st, 0);

		if (u && (strcasecmp(u, "percent") == 0 || strcmp(u, "%") == 0))
			*scale = 0.01;
	}
	sqlite3_finalize(st);
	return CORE_OK;
}

int cli_run_begin(struct cli_ctx *ctx, const char *analysis, const char *level,
		  const char *cohort, struct cli_run *r)
{
	int rc;

	if ((rc = core_ws_begin(ctx->ws, &ctx->err)))
		return rc;
	rc = core_run_create(
	    ctx->ws, analysis,
	    json_object_to_json_string_ext(r->params, JSON_C_TO_STRING_PLAIN),
	    level, cohort, &r->id, &ctx->err);
	if (rc)
		core_ws_rollback(ctx->ws);
	return rc;
}

int cli_run_commit(struct cli_ctx *ctx, struct cli_run *r)
{
	int rc;

	core_result_writer_free(r->w);
	r->w = NULL;
	rc = core_run_summary_set(
	    ctx->ws, r->id,
	    json_object_to_json_string_ext(r->summary, JSON_C_TO_STRING_PLAIN),
	    &ctx->err);
	if (rc) {
		core_ws_rollback(ctx->ws);
		return rc;
	}
	/* core_ws_commit rolls back itself when it fails */
	return core_ws_commit(ctx->ws, &ctx->err);
}

void cli_run_release(struct cli_ctx *ctx, struct cli_run *r)
{
	core_result_writer_free(r->w);
	r->w = NULL;
	core_ws_rollback(ctx->ws);
	json_object_put(r->params);
	json_object_put(r->summary);
	r->params = r->summary = NULL;
}

void cli_run_stored_note(struct cli_ctx *ctx, int64_t run_id)
{
	cli_note(ctx,
		 "run %lld stored; see 'assetmap results %lld' or 'assetmap "
		 "export %lld -o FILE'\n",
		 (long long)run_id, (long long)run_id, (long long)run_id);
}
