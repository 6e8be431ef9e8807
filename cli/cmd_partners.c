/*
 * cmd_partners.c - assetmap partners: the partnership register as a
 * table, CSV or JSON, or its history of changes; with -o, the one-page
 * stakeholder profile (render_profile.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "core/core_mem.h"
#include "core/core_out.h"
#include "importers/imp_register.h"
#include "render/render_file.h"
#include "render/render_map.h"
#include "render/render_profile.h"

#define CMD "partners"

struct partners_opts {
	const char *status;
	int history;
	int format; /* enum cli_format; -1: not given */
	const char *output, *title;
};

#define O struct partners_opts

const struct cli_opt cmd_partners_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] partners [--status S] [--history]\n"
	"                [--format table|csv|json]\n"
	"       assetmap [-d WORKSPACE] partners -o "
	"FILE.pdf|FILE.png|FILE.svg\n"
	"                [--title T]\n"
	"\n"
	"Print the partnership register ('assetmap import partners', "
	"'assetmap\n"
	"partner set'): each partner's asset id, name and categories, its "
	"status,\n"
	"the five dimensions of the partnership (service model, financial\n"
	"relationship, data, partnership effects, governance), agreements "
	"(mou,\n"
	"baa, dsa as KIND:SIGNED:EXPIRES), the Community Supports it is "
	"contracted\n"
	"to deliver (CODE@PLAN), referrals per period, the contact role and "
	"notes.\n"
	"The table says the dimensions in words ('coordinated service'); CSV "
	"and\n"
	"JSON give the codes, as 'import partners' reads them.  Current "
	"partners\n"
	"come first, then prospective, former and none.\n"
	"\n"
	"With --history, the register's log instead: every change with its "
	"date,\n"
	"the asset, the field, the old and new values and how it was made "
	"(an\n"
	"import or 'partner set'), oldest first, and after each change the "
	"number\n"
	"of current partners: how the network grew.\n"
	"\n"
	"With -o, the stakeholder profile instead: one page (letter, "
	"landscape)\n"
	"with the partners by SDOH domain and status (current, prospective,\n"
	"former; a partner counts in each domain one of its categories is "
	"in),\n"
	"the current partners by service model and data level as a matrix\n"
	"(with 'not recorded' for partners without them), the 15 Medi-Cal\n"
	"Community Supports contracted (by how many partners, for which "
	"plans)\n"
	"and missing (no partner contracted), and the trusted resources named\n"
	"in the environmental scan, most named first.  PNG (150 dpi), PDF or\n"
	"SVG by the extension; written whole or not at all.  An empty "
	"register\n"
	"is an error.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(16),
    CLI_OPT_STRING("status", 0, "S", O, status,
		   "only partners of this status: current, prospective,\n"
		   "former or none (with --history: the changes of the\n"
		   "assets that have it now)"),
    CLI_OPT_FLAG("history", 0, O, history, 1,
		 "the log of changes, with the count of current partners"),
    CLI_OPT_FORMAT(O, format, "F", "table (default), csv or json"),
    CLI_OPT_STRING("output", 'o', "FILE", O, output,
		   "draw the stakeholder profile; the format comes\n"
		   "from the extension (.pdf, .png, .svg)"),
    CLI_OPT_STRING("title", 0, "T", O, title,
		   "the profile's title (default: Stakeholder\n"
		   "profile: our partnership network)"),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap partners\n"
		 "  assetmap partners --status current --format csv\n"
		 "  assetmap partners --history --format json\n"
		 "  assetmap partners -o profile.pdf\n"),
    CLI_OPT_END()};

#undef O

static const char list_sql[] =
    "SELECT a.id, a.name,"
    " (SELECT group_concat(category, ',') FROM (SELECT category FROM"
    "  asset_categories WHERE asset_id = a.id ORDER BY category)),"
    " p.status, p.service, p.financial, p.data, p.effects, p.governance,"
    " (SELECT group_concat(kind || ':' || coalesce(signed, '') || ':' ||"
    "  coalesce(expires, ''), '; ') FROM (SELECT * FROM partner_agreements"
    "  WHERE asset_id = a.id ORDER BY kind)),"
    " (SELECT group_concat(CASE WHEN plan = '' THEN program"
    "  ELSE program || '@' || plan END, '; ') FROM (SELECT * FROM"
    "  partner_supports WHERE asset_id = a.id ORDER BY program, plan)),"
    " (SELECT group_concat(period || '=' || referrals, '; ') FROM (SELECT *"
    "  FROM partner_referrals WHERE asset_id = a.id ORDER BY period)),"
    " p.contact_role, p.notes, p.updated_at"
    " FROM partners p JOIN assets a ON a.id = p.asset_id"
    " WHERE ?1 IS NULL OR p.status = ?1"
    " ORDER BY CASE p.status WHEN 'current' THEN 0 WHEN 'prospective'"
    " THEN 1 WHEN 'former' THEN 2 ELSE 3 END, a.name, a.id";

static int print_register(struct cli_ctx *ctx, const struct partners_opts *o)
{
	static const char *const cols[] = {
	    "asset_id",	    "name",	  "categories", "status",
	    "service",	    "financial",  "data",	"effects",
	    "governance",   "agreements", "supports",	"referrals",
	    "contact_role", "notes",	  "updated_at"};
	enum { NCOLS = sizeof(cols) / sizeof(cols[0]) };
	struct cli_table *t = cli_table_new(NCOLS, cols, "nssssssssssssss");
	sqlite3_stmt *st = NULL;
	int64_t count[4] = {0, 0, 0, 0}, n = 0;
	int rc, i;

	if ((rc = core_ws_prepare(ctx->ws, &ctx->err, &st, list_sql)))
		goto cleanup;
	if (o->status)
		sqlite3_bind_text(st, 1, o->status, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v[NCOLS];
		const char *const *codes = imp_reg_codes(IMP_REG_STATUS);
		for (i = 0; i < NCOLS; i++)
			v[i] = cli_text(st, i);
		if (o->format == CLI_FMT_TABLE)
			for (i = 3; i <= 8; i++)
				v[i] = imp_reg_words(
				    (enum imp_reg_field)(i - 3), v[i]);
		for (i = 0; codes[i]; i++)
			if (v[3] && strcmp(cli_text(st, 3), codes[i]) == 0)
				count[i]++;
		cli_table_add(t, v);
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = core_ws_dberr(ctx->ws, &ctx->err,
				   "reading the partnership register");
		goto cleanup;
	}
	rc = CORE_OK;
	cli_table_print(t, ctx->out, (enum cli_format)o->format);
	cli_note(ctx,
		 "%lld partner%s: current %lld, prospective %lld, former "
		 "%lld, none %lld\n",
		 (long long)n, n == 1 ? "" : "s", (long long)count[0],
		 (long long)count[1], (long long)count[2], (long long)count[3]);
cleanup:
	sqlite3_finalize(st);
	cli_table_free(t);
	return rc;
}

static const char hist_sql[] =
    "SELECT h.changed_at, h.asset_id, a.name, h.field, h.old_value,"
    " h.new_value, h.how, (SELECT status FROM partners p"
    " WHERE p.asset_id = h.asset_id)"
    " FROM partner_history h JOIN assets a ON a.id = h.asset_id"
    " ORDER BY h.changed_at, h.id";

/*
 * The history, oldest first, with the number of current partners after
 * each change: an asset is current from a change of its status to
 * 'current' until a change away from it.
 */
static int print_history(struct cli_ctx *ctx, const struct partners_opts *o)
{
	static const char *const cols[] = {
	    "changed_at", "asset_id", "name", "field",
	    "old",	  "new",      "how",  "current_partners"};
	struct cli_table *t = cli_table_new(8, cols, "snssssn");
	sqlite3_stmt *st = NULL;
	unsigned char *cur = NULL;
	int64_t maxid = 0, ncur = 0;
	int rc;

	if ((rc = core_ws_int(ctx->ws, &ctx->err,
			      "SELECT coalesce(max(asset_id), 0) FROM "
			      "partner_history",
			      &maxid)))
		goto cleanup;
	cur = xcalloc((size_t)maxid + 1, 1);
	if ((rc = core_ws_prepare(ctx->ws, &ctx->err, &st, hist_sql)))
		goto cleanup;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t a = sqlite3_column_int64(st, 1);
		const char *field = (const char *)sqlite3_column_text(st, 3);
		const char *nv = (const char *)sqlite3_column_text(st, 5);
		const char *now = (const char *)sqlite3_column_text(st, 7);
		const char *v[8];
		char num[24];
		int i;

		if (a >= 0 && a <= maxid && strcmp(field, "status") == 0) {
			int c = nv && strcmp(nv, "current") == 0;
			ncur += c - cur[a];
			cur[a] = (unsigned char)c;
		}
		if (o->status && (!now || strcmp(now, o->status) != 0))
			continue;
		for (i = 0; i < 7; i++)
			v[i] = cli_text(st, i);
		snprintf(num, sizeof(num), "%lld", (long long)ncur);
		v[7] = num;
		cli_table_add(t, v);
	}
	if (rc != SQLITE_DONE) {
		rc = core_ws_dberr(ctx->ws, &ctx->err,
				   "reading the register's history");
		goto cleanup;
	}
	rc = CORE_OK;
	cli_table_print(t, ctx->out, (enum cli_format)o->format);
cleanup:
	sqlite3_finalize(st);
	cli_table_free(t);
	free(cur);
	return rc;
}

/* ---------------------------------------------------------------------
 * The stakeholder profile
 * ------------------------------------------------------------------ */

#define NS	      RENDER_PROFILE_NSTATUS
#define NL	      RENDER_PROFILE_NLEVEL
#define TRUSTED_SHOWN 12

/* What the profile is drawn from, read from the register; owns every
 * string the struct render_profile borrows. */
struct profile {
	struct render_profile r;
	struct render_profile_domain *dom;
	struct render_profile_support *sup;
	struct render_profile_trusted *tru;
	char **owned;
	size_t nowned, capowned;
	int64_t nstatus[4]; /* current, prospective, former, none */
};

static const char *own(struct profile *p, char *s)
{
	xgrow((void **)&p->owned, &p->capowned, p->nowned + 1, sizeof(char *));
	p->owned[p->nowned++] = s;
	return s;
}

static void profile_release(struct profile *p)
{
	size_t i;

	for (i = 0; i < p->nowned; i++)
		free(p->owned[i]);
	free(p->owned);
	free(p->dom);
	free(p->sup);
	free(p->tru);
}

/* The index of code in field f's codes, or NL - 1 ("not recorded") for
 * NULL. */
static int level_of(enum imp_reg_field f, const char *code)
{
	const char *const *c = imp_reg_codes(f);
	int i;

	for (i = 0; code && c[i] && i < NL - 1; i++)
		if (strcmp(c[i], code) == 0)
			return i;
	return NL - 1;
}

/*
 * One query's rows through fn; ctx->err set on a database error, naming
 * what was read.
 */
static int each_row(struct cli_ctx *ctx, const char *sql, const char *what,
		    int (*fn)(struct profile *, sqlite3_stmt *),
		    struct profile *p)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = core_ws_prepare(ctx->ws, &ctx->err, &st, sql)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(p, st))
			break;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		rc = core_ws_dberr(ctx->ws, &ctx->err, what);
	else
		rc = CORE_OK;
	sqlite3_finalize(st);
	return rc;
}

static int row_status(struct profile *p, sqlite3_stmt *st)
{
	/* current, prospective, former; 'none' is the fourth */
	p->nstatus[level_of(IMP_REG_STATUS, cli_text(st, 0))] =
	    sqlite3_column_int64(st, 1);
	return 0;
}

static int row_domain(struct profile *p, sqlite3_stmt *st)
{
	struct render_profile_domain *d = &p->dom[p->r.ndomains++];

	d->name = own(p, xstrdup(cli_text(st, 1) ? cli_text(st, 1) : ""));
	d->count[0] = sqlite3_column_int64(st, 2);
	d->count[1] = sqlite3_column_int64(st, 3);
	d->count[2] = sqlite3_column_int64(st, 4);
	return 0;
}

static int row_matrix(struct profile *p, sqlite3_stmt *st)
{
	int i = level_of(IMP_REG_SERVICE, cli_text(st, 0));
	int j = level_of(IMP_REG_DATA, cli_text(st, 1));

	p->r.matrix[i][j] += sqlite3_column_int64(st, 2);
	return 0;
}

static int row_support(struct profile *p, sqlite3_stmt *st)
{
	struct render_profile_support *s = &p->sup[p->r.nsupports++];
	int64_t n = sqlite3_column_int64(st, 1), cur;
	const char *plans = cli_text(st, 3);

	s->name = own(p, xstrdup(cli_text(st, 0) ? cli_text(st, 0) : ""));
	s->partners = n;
	cur = sqlite3_column_int64(st, 2);
	if (n > 0)
		s->detail =
		    own(p, xasprintf("%lld partner%s (%lld current)%s%s",
				     (long long)n, n == 1 ? "" : "s",
				     (long long)cur, plans ? "; plans: " : "",
				     plans ? plans : ""));
	return 0;
}

static int row_trusted(struct profile *p, sqlite3_stmt *st)
{
	struct render_profile_trusted *t;
	const char *status = cli_text(st, 2);

	if (p->r.ntrusted == TRUSTED_SHOWN) {
		p->r.trusted_more++;
		return 0;
	}
	t = &p->tru[p->r.ntrusted++];
	t->name = own(p, xstrdup(cli_text(st, 0) ? cli_text(st, 0) : ""));
	t->times = sqlite3_column_int64(st, 1);
	t->status = status ? imp_reg_words(IMP_REG_STATUS, status) : NULL;
	return 0;
}

static const char domain_sql[] =
    "SELECT d.code, d.name,"
    " count(DISTINCT CASE p.status WHEN 'current' THEN p.asset_id END),"
    " count(DISTINCT CASE p.status WHEN 'prospective' THEN p.asset_id END),"
    " count(DISTINCT CASE p.status WHEN 'former' THEN p.asset_id END)"
    " FROM sdoh_domains d"
    " LEFT JOIN categories c ON c.domain = d.code"
    " LEFT JOIN asset_categories ac ON ac.category = c.code"
    " LEFT JOIN partners p ON p.asset_id = ac.asset_id"
    " GROUP BY d.code ORDER BY d.sort, d.code";

static const char support_sql[] =
    "SELECT pr.name, count(DISTINCT ps.asset_id),"
    " count(DISTINCT CASE p.status WHEN 'current' THEN ps.asset_id END),"
    " (SELECT group_concat(plan, ', ') FROM (SELECT DISTINCT plan FROM"
    "  partner_supports WHERE program = pr.code AND plan <> ''"
    "  ORDER BY plan))"
    " FROM programs pr"
    " LEFT JOIN partner_supports ps ON ps.program = pr.code"
    " LEFT JOIN partners p ON p.asset_id = ps.asset_id"
    " WHERE pr.kind = 'community_support'"
    " GROUP BY pr.code ORDER BY pr.sort, pr.code";

static const char trusted_sql[] =
    "SELECT a.name, a.trusted_count, p.status FROM assets a"
    " LEFT JOIN partners p ON p.asset_id = a.id"
    " WHERE a.trusted_count > 0"
    " ORDER BY a.trusted_count DESC, a.name, a.id";

/*
 * Read the register into p: the counts by status, by domain and status,
 * the service x data matrix of current partners, the Community Supports
 * and the trusted resources, with the words the page prints.  An empty
 * register is CORE_ENOTFOUND.
 */
static int profile_load(struct cli_ctx *ctx, struct profile *p)
{
	int64_t n = 0, ndom = 0, nprog = 0, i;
	char *src;
	int rc;

	if ((rc = core_ws_int(ctx->ws, &ctx->err,
			      "SELECT count(*) FROM partners", &n)))
		return rc;
	if (n == 0)
		return core_err_set(
		    &ctx->err, CORE_ENOTFOUND,
		    "%s: the partnership register of %s is empty: there is "
		    "nothing to profile; add partners with 'assetmap import "
		    "partners FILE' or 'assetmap partner set ASSET --status "
		    "current'",
		    CMD, ctx->ws->path);
	if ((rc = core_ws_int(ctx->ws, &ctx->err,
			      "SELECT count(*) FROM sdoh_domains", &ndom)) ||
	    (rc = core_ws_int(ctx->ws, &ctx->err,
			      "SELECT count(*) FROM programs WHERE kind = "
			      "'community_support'",
			      &nprog)))
		return rc;
	p->dom = xcalloc((size_t)ndom + 1, sizeof(*p->dom));
	p->sup = xcalloc((size_t)nprog + 1, sizeof(*p->sup));
	p->tru = xcalloc(TRUSTED_SHOWN + 1, sizeof(*p->tru));
	if ((rc =
		 each_row(ctx,
			  "SELECT status, count(*) FROM partners GROUP BY "
			  "status",
			  "reading the partnership register", row_status, p)) ||
	    (rc = each_row(ctx, domain_sql, "reading partners by domain",
			   row_domain, p)) ||
	    (rc = each_row(ctx,
			   "SELECT service, data, count(*) FROM partners"
			   " WHERE status = 'current' GROUP BY 1, 2",
			   "reading the current partners", row_matrix, p)) ||
	    (rc = each_row(ctx, support_sql, "reading the Community Supports",
			   row_support, p)) ||
	    (rc = each_row(ctx, trusted_sql, "reading the trusted resources",
			   row_trusted, p)))
		return rc;
	for (i = 0; i < NS; i++)
		p->r.status_words[i] = imp_reg_words(
		    IMP_REG_STATUS, imp_reg_codes(IMP_REG_STATUS)[i]);
	for (i = 0; i < NL - 1; i++) {
		p->r.service_words[i] = imp_reg_words(
		    IMP_REG_SERVICE, imp_reg_codes(IMP_REG_SERVICE)[i]);
		p->r.data_words[i] =
		    imp_reg_words(IMP_REG_DATA, imp_reg_codes(IMP_REG_DATA)[i]);
	}
	p->r.service_words[NL - 1] = "not recorded";
	p->r.data_words[NL - 1] = "not recorded";
	p->r.domains = p->dom;
	p->r.supports = p->sup;
	p->r.trusted = p->tru;
	p->r.subtitle = own(
	    p,
	    xasprintf("%lld current partner%s, %lld prospective, %lld "
		      "former",
		      (long long)p->nstatus[0], p->nstatus[0] == 1 ? "" : "s",
		      (long long)p->nstatus[1], (long long)p->nstatus[2]));
	p->r.domain_note =
	    "A partner counts once in each domain its categories are in "
	    "(Healthy People 2030 domains, by the assetmap taxonomy).";
	src = render_source_names(ctx->ws, NULL);
	p->r.note =
	    own(p, xasprintf("The partnership register ('assetmap partners'). "
			     "Sources: %s.",
			     src ? src : "none recorded"));
	free(src);
	return CORE_OK;
}

/* assetmap partners -o FILE: the profile drawn, one line said. */
static int draw_profile(struct cli_ctx *ctx, const struct partners_opts *o)
{
	struct profile p;
	size_t i, ncon = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	p.r.title = o->title && *o->title
			? o->title
			: "Stakeholder profile: our partnership network";
	p.r.creator = "assetmap " ASSETMAP_VERSION;
	if ((rc = profile_load(ctx, &p)) ||
	    (rc = render_profile_write(&p.r, o->output, &ctx->err)))
		goto cleanup;
	for (i = 0; i < p.r.nsupports; i++)
		ncon += p.r.supports[i].partners > 0;
	cli_note(ctx,
		 "wrote %s: %lld current, %lld prospective, %lld former "
		 "partners; %zu of %zu Community Supports contracted; %zu "
		 "trusted resources named\n",
		 o->output, (long long)p.nstatus[0], (long long)p.nstatus[1],
		 (long long)p.nstatus[2], ncon, p.r.nsupports,
		 p.r.ntrusted + p.r.trusted_more);
cleanup:
	profile_release(&p);
	return rc;
}

/* assetmap partners [--status S] [--history] [--format F] | -o FILE. */
int cmd_partners(struct cli_ctx *ctx, int argc, char **argv)
{
	struct partners_opts o = {NULL, 0, -1, NULL, NULL};

	if (cli_opt_parse(ctx, CMD, cmd_partners_options, &o, argc, argv, NULL))
		return CORE_EUSAGE;
	if (o.output) {
		enum render_format fmt;

		if (o.status || o.history || o.format != -1)
			return cli_usage(ctx, CMD,
					 "-o draws the whole register's "
					 "profile: --status, --history and "
					 "--format are for the listing");
		if (render_format_of_path(o.output, &fmt, &ctx->err) ||
		    core_out_check("-o", o.output, ctx->ws_path, NULL, 0,
				   &ctx->err))
			return cli_usage(ctx, CMD, "%s", ctx->err.msg);
		return draw_profile(ctx, &o);
	}
	if (o.title)
		return cli_usage(ctx, CMD, "--title goes with -o FILE");
	if (o.format == -1)
		o.format = CLI_FMT_TABLE;
	if (o.status) {
		struct core_buf why = CORE_BUF_INIT;
		const char *code = imp_reg_code(IMP_REG_STATUS, o.status, &why);
		if (!code) {
			cli_usage(ctx, "partners", "--status: '%s' %s",
				  o.status, core_buf_str(&why));
			core_buf_release(&why);
			return CORE_EUSAGE;
		}
		o.status = code;
	}
	return o.history ? print_history(ctx, &o) : print_register(ctx, &o);
}
