/*
 * cmd_partner.c - assetmap partner set: change one asset's entry in the
 * partnership register by hand, every change kept in partner_history
 * (how = 'partner set').
 *
 * Everything is checked before the workspace is written; the change is
 * one transaction.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "core/core_mem.h"
#include "importers/imp_match.h"
#include "importers/imp_register.h"

struct partner_opts {
	const char *f[IMP_REG_NFIELDS]; /* --status ... --contact, --note */
	const char *plan, *date;
	struct cli_strv agreement, no_agreement, support, no_support, referrals;
};

#define O struct partner_opts

const struct cli_opt cmd_partner_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] partner set ASSET [--status S] "
	"[--service X]\n"
	"           [--financial X] [--data X] [--effects X] [--governance "
	"X]\n"
	"           [--agreement KIND:SIGNED[:EXPIRES]] [--no-agreement "
	"KIND]\n"
	"           [--support CODE[@PLAN]] [--no-support CODE[@PLAN]] "
	"[--plan PLAN]\n"
	"           [--referrals PERIOD=N] [--contact ROLE] [--note TEXT] "
	"[--date DATE]\n"
	"\n"
	"Change one asset's entry in the partnership register.  ASSET is an "
	"asset's\n"
	"id, or its exact name when no other asset has it.  Each value that "
	"changes\n"
	"is kept in the register's history with its date ('assetmap "
	"partners\n"
	"--history').  An asset enters the register with --status; the "
	"other\n"
	"options change an entry that is there.  An empty value (--service "
	"'')\n"
	"clears a dimension.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(24),
    CLI_OPT_STRING("status", 0, "S", O, f[IMP_REG_STATUS],
		   "current, prospective, former or none"),
    CLI_OPT_STRING("service", 0, "X", O, f[IMP_REG_SERVICE],
		   "service model: referral, coordinated or joint"),
    CLI_OPT_STRING("financial", 0, "X", O, f[IMP_REG_FINANCIAL],
		   "financial relationship: independent, contract or\n"
		   "risk_sharing"),
    CLI_OPT_STRING("data", 0, "X", O, f[IMP_REG_DATA],
		   "data: reporting, sharing or integrated"),
    CLI_OPT_STRING("effects", 0, "X", O, f[IMP_REG_EFFECTS],
		   "partnership effects: capacity, network or systems"),
    CLI_OPT_STRING("governance", 0, "X", O, f[IMP_REG_GOVERNANCE],
		   "governance: informal, lead or shared"),
    CLI_OPT_LIST("agreement", 0, "KIND:SIGNED[:EXPIRES]", O, agreement,
		 "an agreement, mou, baa or dsa (data sharing), with\n"
		 "the dates it was signed and expires (YYYY-MM-DD;\n"
		 "either may be left empty: mou::2027-06-30);\n"
		 "repeatable"),
    CLI_OPT_LIST("no-agreement", 0, "KIND", O, no_agreement,
		 "the agreement of that kind is no more"),
    CLI_OPT_LIST("support", 0, "CODE[@PLAN]", O, support,
		 "a Medi-Cal Community Support the partner is\n"
		 "contracted to deliver, with the plan\n"
		 "('assetmap categories --programs'); repeatable"),
    CLI_OPT_LIST("no-support", 0, "CODE[@PLAN]", O, no_support,
		 "no longer delivered (for that plan, or any plan)"),
    CLI_OPT_STRING("plan", 0, "PLAN", O, plan,
		   "the plan of the --support values that name none"),
    CLI_OPT_LIST("referrals", 0, "PERIOD=N", O, referrals,
		 "referrals in a period (2026, 2026-Q3, 2026-09);\n"
		 "PERIOD= (no number) removes the count; repeatable"),
    CLI_OPT_STRING("contact", 0, "ROLE", O, f[IMP_REG_CONTACT_ROLE],
		   "who to call there, as a role (not a person)"),
    CLI_OPT_STRING("note", 0, "TEXT", O, f[IMP_REG_NOTES],
		   "free notes (replacing the ones there)"),
    CLI_OPT_STRING("date", 0, "YYYY-MM-DD", O, date,
		   "when the change happened, to enter history after\n"
		   "the fact (default: now)"),
    CLI_OPT_TEXT(
	"\n"
	"examples:\n"
	"  assetmap partner set 12 --status current --service coordinated "
	"--data sharing\n"
	"  assetmap partner set 'Glide Memorial Church' --status prospective\n"
	"  assetmap partner set 12 --agreement mou:2025-03-01:2027-02-28 "
	"--support \\\n"
	"      medically_tailored_meals@'Anthem Blue Cross' --referrals "
	"2026-Q1=40\n"
	"  assetmap partner set 12 --status current --date 2024-09-01\n"),
    CLI_OPT_END()};

#undef O

static const char *const opt_names[IMP_REG_NFIELDS] = {
    "status",  "service",    "financial", "data",
    "effects", "governance", "contact",	  "note"};

/* A change asked for, checked: the parsed agreements, supports and
 * referrals. */
struct agr {
	int kind;
	char *signed_on, *expires_on;
};
struct sup {
	const char *program; /* borrowed from the programs list */
	char *plan;	     /* NULL: any plan (--no-support) */
};
struct ref {
	char period[8];
	int64_t n; /* -1: remove */
};

struct plan {
	struct agr agr[8];
	size_t nagr;
	int no_agr[IMP_REG_NAGR];
	struct sup *sup, *nosup;
	size_t nsup, nnosup;
	struct ref *ref;
	size_t nref;
	char at[32];
};

static void plan_release(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nagr; i++) {
		free(p->agr[i].signed_on);
		free(p->agr[i].expires_on);
	}
	for (i = 0; i < p->nsup; i++)
		free(p->sup[i].plan);
	for (i = 0; i < p->nnosup; i++)
		free(p->nosup[i].plan);
	free(p->sup);
	free(p->nosup);
	free(p->ref);
}

static int bad(struct cli_ctx *ctx, const char *opt, const char *v,
	       struct core_buf *why)
{
	cli_usage(ctx, "partner", "--%s: '%s' %s", opt, v, core_buf_str(why));
	core_buf_release(why);
	return CORE_EUSAGE;
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xasprintf("%.*s", (int)n, s);
}

/* CODE[@PLAN] into *s; plan NULL when none is given and dflt is NULL. */
static int parse_support(struct cli_ctx *ctx, const char *opt, const char *v,
			 const struct imp_reg_programs *progs, const char *dflt,
			 struct sup *s)
{
	struct core_buf why = CORE_BUF_INIT;
	const char *at = strchr(v, '@');
	char *code = trim_dup(v, at ? (size_t)(at - v) : strlen(v));

	s->program = imp_reg_program(progs, code, &why);
	free(code);
	if (!s->program)
		return bad(ctx, opt, v, &why);
	s->plan = at	 ? trim_dup(at + 1, strlen(at + 1))
		  : dflt ? xstrdup(dflt)
			 : NULL;
	return CORE_OK;
}

/* Check every option's value before the workspace is written. */
static int check(struct cli_ctx *ctx, struct partner_opts *o,
		 const struct imp_reg_programs *progs, struct plan *p)
{
	struct core_buf why = CORE_BUF_INIT;
	size_t i;
	int f, rc;

	for (f = 0; f < IMP_REG_NCODED; f++) {
		const char *v = o->f[f];
		if (!v || (!*v && f != IMP_REG_STATUS))
			continue;
		if (!(o->f[f] = imp_reg_code((enum imp_reg_field)f, v, &why)))
			return bad(ctx, opt_names[f], v, &why);
	}
	for (i = 0; i < o->agreement.n; i++) {
		const char *v = o->agreement.v[i], *c1 = strchr(v, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		char *kind = trim_dup(v, c1 ? (size_t)(c1 - v) : strlen(v));
		struct agr *a;
		int k = imp_reg_agreement_parse(kind);

		free(kind);
		if (k < 0)
			return cli_usage(
			    ctx, "partner",
			    "--agreement: '%s' does not begin with "
			    "mou, baa or dsa (KIND:SIGNED[:EXPIRES], "
			    "e.g. mou:2025-03-01:2027-02-28)",
			    v);
		if (p->nagr == sizeof(p->agr) / sizeof(p->agr[0]))
			return cli_usage(ctx, "partner",
					 "--agreement: too many");
		a = &p->agr[p->nagr++];
		a->kind = k;
		a->signed_on = c1 ? trim_dup(c1 + 1, c2 ? (size_t)(c2 - c1 - 1)
							: strlen(c1 + 1))
				  : xstrdup("");
		a->expires_on =
		    c2 ? trim_dup(c2 + 1, strlen(c2 + 1)) : xstrdup("");
		if ((*a->signed_on && !imp_reg_date_ok(a->signed_on)) ||
		    (*a->expires_on && !imp_reg_date_ok(a->expires_on)))
			return cli_usage(ctx, "partner",
					 "--agreement: '%s': the dates must be "
					 "YYYY-MM-DD dates that exist",
					 v);
		if (*a->signed_on && *a->expires_on &&
		    strcmp(a->expires_on, a->signed_on) < 0)
			return cli_usage(ctx, "partner",
					 "--agreement: '%s' expires before it "
					 "was signed",
					 v);
	}
	for (i = 0; i < o->no_agreement.n; i++) {
		int k = imp_reg_agreement_parse(o->no_agreement.v[i]);
		if (k < 0)
			return cli_usage(ctx, "partner",
					 "--no-agreement: '%s' is not mou, baa "
					 "or dsa",
					 o->no_agreement.v[i]);
		p->no_agr[k] = 1;
	}
	p->sup = xcalloc(o->support.n + 1, sizeof(*p->sup));
	for (i = 0; i < o->support.n; i++) {
		if ((rc = parse_support(ctx, "support", o->support.v[i], progs,
					o->plan ? o->plan : "",
					&p->sup[p->nsup])))
			return rc;
		p->nsup++;
	}
	p->nosup = xcalloc(o->no_support.n + 1, sizeof(*p->nosup));
	for (i = 0; i < o->no_support.n; i++) {
		if ((rc = parse_support(ctx, "no-support", o->no_support.v[i],
					progs, NULL, &p->nosup[p->nnosup])))
			return rc;
		p->nnosup++;
	}
	p->ref = xcalloc(o->referrals.n + 1, sizeof(*p->ref));
	for (i = 0; i < o->referrals.n; i++) {
		const char *v = o->referrals.v[i], *eq = strchr(v, '=');
		struct ref *r = &p->ref[p->nref];
		char *per, *end;

		if (!eq)
			return cli_usage(ctx, "partner",
					 "--referrals: '%s' is not PERIOD=N "
					 "(e.g. 2026-Q1=40)",
					 v);
		per = trim_dup(v, (size_t)(eq - v));
		rc = imp_reg_period(per, r->period);
		free(per);
		if (!rc)
			return cli_usage(
			    ctx, "partner",
			    "--referrals: '%s': the period must be "
			    "2026, 2026-Q3 or 2026-09",
			    v);
		if (!eq[1]) {
			r->n = -1;
		} else {
			long long n = strtoll(eq + 1, &end, 10);
			if (!isdigit((unsigned char)eq[1]) || *end || n < 0)
				return cli_usage(
				    ctx, "partner",
				    "--referrals: '%s': N must be a whole "
				    "number, 0 or more",
				    v);
			r->n = n;
		}
		p->nref++;
	}
	if (o->date) {
		char today[16];
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		if (!imp_reg_date_ok(o->date))
			return cli_usage(ctx, "partner",
					 "--date: '%s' is not a date "
					 "(YYYY-MM-DD)",
					 o->date);
		if (strcmp(o->date, today) > 0)
			return cli_usage(ctx, "partner",
					 "--date: '%s' is after today (%s); "
					 "history is entered after the fact",
					 o->date, today);
		snprintf(p->at, sizeof(p->at), "%sT00:00:00Z", o->date);
	}
	core_buf_release(&why);
	return CORE_OK;
}

/*
 * The asset ASSET names: an id that exists, or an exact name no other
 * asset has.  Returns CORE_OK with *id and *name (caller frees), or an
 * error naming the candidates.
 */
static int find_asset(struct cli_ctx *ctx, const char *a, int64_t *id,
		      char **name)
{
	struct core_buf b = CORE_BUF_INIT;
	sqlite3_stmt *st = NULL;
	const char *p;
	int n = 0, rc = CORE_OK, digits = *a != '\0';

	for (p = a; *p; p++)
		if (!isdigit((unsigned char)*p))
			digits = 0;
	if ((rc = core_ws_prepare(
		 ctx->ws, &ctx->err, &st,
		 digits ? "SELECT id, name, address FROM assets WHERE id = ?"
			: "SELECT id, name, address FROM assets WHERE name = ?"
			  " ORDER BY id")))
		return rc;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *addr = (const char *)sqlite3_column_text(st, 2);
		if (!n) {
			*id = sqlite3_column_int64(st, 0);
			*name =
			    xstrdup((const char *)sqlite3_column_text(st, 1));
		}
		core_buf_addf(&b, "\n  %lld  %s%s%s",
			      (long long)sqlite3_column_int64(st, 0),
			      (const char *)sqlite3_column_text(st, 1),
			      addr ? ", " : "", addr ? addr : "");
		n++;
	}
	sqlite3_finalize(st);
	if (n == 0) {
		/* the same name by the merge rule, as a hint only */
		struct imp_matcher *m = NULL;
		int64_t ids[3];
		size_t k = 0, nm = 0;
		if (!digits && !imp_matcher_new(ctx->ws, &m, &ctx->err))
			nm = imp_matcher_list(m, a, NULL, ids, 3);
		imp_matcher_free(m);
		core_buf_reset(&b);
		if (digits) {
			core_buf_addf(&b, "partner set: there is no asset %s",
				      a);
		} else {
			core_buf_addf(&b, "partner set: no asset is named '%s'",
				      a);
			for (k = 0; k < nm && k < 3; k++)
				core_buf_addf(&b, "%s%lld",
					      k ? ", " : " (but asset ",
					      (long long)ids[k]);
			if (nm)
				core_buf_adds(&b, " has that name by the rules "
						  "of deduplication)");
			core_buf_adds(&b, "; give its id or its exact name");
		}
		rc = core_err_set(&ctx->err, CORE_ENOTFOUND, "%s",
				  core_buf_str(&b));
	} else if (n > 1) {
		free(*name);
		*name = NULL;
		rc = core_err_set(&ctx->err, CORE_EFAIL,
				  "partner set: %d assets are named '%s'; give "
				  "the id of the one you mean:%s",
				  n, a, core_buf_str(&b));
	}
	core_buf_release(&b);
	return rc;
}

/* Apply the checked options to e. */
static void apply(const struct partner_opts *o, const struct plan *p,
		  struct imp_reg_entry *e)
{
	size_t i;
	int f;

	for (f = 0; f < IMP_REG_NFIELDS; f++)
		if (o->f[f])
			imp_reg_entry_set(e, (enum imp_reg_field)f, o->f[f]);
	if (o->f[IMP_REG_STATUS])
		e->exists = 1;
	for (f = 0; f < IMP_REG_NAGR; f++)
		if (p->no_agr[f])
			imp_reg_entry_no_agreement(e,
						   (enum imp_reg_agreement)f);
	for (i = 0; i < p->nagr; i++)
		imp_reg_entry_agreement(
		    e, (enum imp_reg_agreement)p->agr[i].kind,
		    p->agr[i].signed_on, p->agr[i].expires_on);
	for (i = 0; i < p->nnosup; i++)
		imp_reg_entry_no_support(e, p->nosup[i].program,
					 p->nosup[i].plan);
	for (i = 0; i < p->nsup; i++)
		imp_reg_entry_support(e, p->sup[i].program, p->sup[i].plan);
	for (i = 0; i < p->nref; i++)
		imp_reg_entry_referrals(e, p->ref[i].period, p->ref[i].n);
}

/* Print the history rows after id `after` of asset. */
static void print_changes(struct cli_ctx *ctx, int64_t asset, int64_t after)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(ctx->ws->db,
			       "SELECT field, old_value, new_value FROM "
			       "partner_history WHERE asset_id = ? AND id > ? "
			       "ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, asset);
	sqlite3_bind_int64(st, 2, after);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(st, 1);
		const char *b = (const char *)sqlite3_column_text(st, 2);
		fprintf(ctx->out, "  %s: %s -> %s\n",
			(const char *)sqlite3_column_text(st, 0),
			a ? a : "(none)", b ? b : "(none)");
	}
	sqlite3_finalize(st);
}

int cmd_partner(struct cli_ctx *ctx, int argc, char **argv)
{
	struct partner_opts o;
	struct imp_reg_programs progs = {NULL, 0};
	struct imp_reg_entry old, e;
	struct imp_reg *reg = NULL;
	struct plan p;
	char *name = NULL;
	int64_t id = 0, nch = 0, last = 0;
	int rc, nargs = 0, began = 0;

	memset(&o, 0, sizeof(o));
	memset(&p, 0, sizeof(p));
	imp_reg_entry_init(&old);
	imp_reg_entry_init(&e);
	if ((rc = cli_opt_parse(ctx, "partner", cmd_partner_options, &o, argc,
				argv, &nargs)))
		goto cleanup;
	if (nargs < 1 || strcmp(argv[1], "set") != 0) {
		rc =
		    cli_usage(ctx, "partner",
			      nargs < 1 ? "say what to do: 'assetmap partner "
					  "set ASSET --status current ...'"
					: "'%s' is not something partner does; "
					  "give set",
			      nargs < 1 ? "" : argv[1]);
		goto cleanup;
	}
	if (nargs != 2) {
		rc = nargs < 2 ? cli_usage(ctx, "partner",
					   "partner set: which asset? give its "
					   "id or its exact name")
			       : cli_usage(ctx, "partner",
					   "unexpected argument '%s' (one "
					   "asset at a time)",
					   argv[3]);
		goto cleanup;
	}
	if ((rc = imp_reg_programs_load(ctx->ws, &progs, &ctx->err)) ||
	    (rc = check(ctx, &o, &progs, &p)) ||
	    (rc = find_asset(ctx, argv[2], &id, &name)))
		goto cleanup;
	if ((rc = core_ws_begin(ctx->ws, &ctx->err)))
		goto cleanup;
	began = 1;
	if ((rc = core_ws_int(ctx->ws, &ctx->err,
			      "SELECT coalesce(max(id), 0) FROM "
			      "partner_history",
			      &last)) ||
	    (rc = imp_reg_new(ctx->ws, "partner set", p.at[0] ? p.at : NULL,
			      &reg, &ctx->err)) ||
	    (rc = imp_reg_load(reg, id, &old, &ctx->err)))
		goto cleanup;
	imp_reg_entry_copy(&e, &old);
	apply(&o, &p, &e);
	if (!e.exists) {
		rc = core_err_set(&ctx->err, CORE_EFAIL,
				  "partner set: asset %lld (%s) is not in the "
				  "register yet; give its --status (current, "
				  "prospective, former or none)",
				  (long long)id, name);
		goto cleanup;
	}
	if ((rc = imp_reg_store(reg, id, &old, &e, 0, 1, &nch, &ctx->err)))
		goto cleanup;
	imp_reg_free(reg);
	reg = NULL;
	if ((rc = core_ws_commit(ctx->ws, &ctx->err)))
		goto cleanup;
	began = 0;
	/* the changes, unless --quiet (the exit code then says it) */
	if (!ctx->quiet && nch) {
		fprintf(ctx->out, "asset %lld (%s): %lld change%s\n",
			(long long)id, name, (long long)nch,
			nch == 1 ? "" : "s");
		print_changes(ctx, id, last);
	} else if (!ctx->quiet) {
		fprintf(ctx->out, "asset %lld (%s): no change\n", (long long)id,
			name);
	}
cleanup:
	imp_reg_free(reg);
	if (began)
		core_ws_rollback(ctx->ws);
	imp_reg_entry_release(&old);
	imp_reg_entry_release(&e);
	imp_reg_programs_release(&progs);
	plan_release(&p);
	cli_strv_release(&o.agreement);
	cli_strv_release(&o.no_agreement);
	cli_strv_release(&o.support);
	cli_strv_release(&o.no_support);
	cli_strv_release(&o.referrals);
	free(name);
	return rc;
}
