/*
 * imp_register.h - the partnership register (schema 7: partners,
 * partner_agreements, partner_supports, partner_referrals,
 * partner_history): its vocabulary, one asset's entry read and written
 * as a whole, and the history every change leaves.
 *
 *   struct imp_reg *r;
 *   imp_reg_new(ws, how, at, &r, err);     inside the caller's transaction
 *   for each asset:
 *       struct imp_reg_entry old, e;
 *       imp_reg_load(r, asset, &old, err); imp_reg_entry_copy(&e, &old);
 *       change e (imp_reg_entry_set, _agreement, _support, _referrals)
 *       imp_reg_store(r, asset, &old, &e, source_id, err);
 *       imp_reg_entry_release(&old); imp_reg_entry_release(&e);
 *   imp_reg_free(r);
 *
 * imp_reg_store writes what differs between old and the new entry, and
 * one partner_history row per change (changed_at = at, how = how):
 *
 *   field              old_value / new_value
 *   status, service, financial, data, effects, governance, contact_role,
 *   notes              the codes or text, NULL when not recorded
 *   agreement:mou      "SIGNED:EXPIRES" ("2024-01-15:2026-01-14",
 *   agreement:baa       "2024-01-15:" without an expiry, ":2026-01-14"
 *   agreement:dsa       without a signing date), NULL: no agreement
 *   support            "CODE@PLAN" ("CODE" when the plan is ''): old
 *                      NULL for one added, new NULL for one removed
 *   referrals:PERIOD   the count, NULL: none recorded
 *
 * An entry that exists must have a status; a new entry with exists = 0
 * deletes the asset's whole entry (each value it had goes to NULL in the
 * history).  The vocabulary's codes are those schema 7 checks; the words
 * are what a coalition reads on screen.
 *
 * Ownership: an entry owns its strings (imp_reg_entry_release); the
 * vocabulary's strings are static.
 */
#ifndef IMP_REGISTER_H
#define IMP_REGISTER_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_mem.h"
#include "core/core_ws.h"

/* The text fields of a partners row, in the order of the history and of
 * every listing; the first six are coded (imp_reg_codes). */
enum imp_reg_field {
	IMP_REG_STATUS,
	IMP_REG_SERVICE,
	IMP_REG_FINANCIAL,
	IMP_REG_DATA,
	IMP_REG_EFFECTS,
	IMP_REG_GOVERNANCE,
	IMP_REG_CONTACT_ROLE,
	IMP_REG_NOTES,
	IMP_REG_NFIELDS
};
#define IMP_REG_NCODED 6 /* status and the five dimensions */

enum imp_reg_agreement { IMP_REG_MOU, IMP_REG_BAA, IMP_REG_DSA, IMP_REG_NAGR };

/* "status", "service", ..., "contact_role", "notes": the column and
 * history field name. */
const char *imp_reg_field_name(enum imp_reg_field f);
/* What a coalition calls the field on screen: "status", "service
 * model", "financial relationship", "data", "partnership effects",
 * "governance", "contact role", "notes". */
const char *imp_reg_field_title(enum imp_reg_field f);
/* The field named name ("status", ...; case-insensitive), or -1. */
int imp_reg_field_parse(const char *name);
/* The codes of coded field f in their order, NULL-terminated. */
const char *const *imp_reg_codes(enum imp_reg_field f);
/* The words for code of field f ("current partner", "coordinated
 * service", "risk-sharing", ...), or code itself when it is not one. */
const char *imp_reg_words(enum imp_reg_field f, const char *code);

/*
 * The code of coded field f that value is: the same letters, case,
 * spaces, '-' and '_' aside ("Risk-sharing" is risk_sharing); NULL
 * when it is none, with the reason appended to why, completing
 * "FILE line 3, field status: 'curent' " or "--status: 'curent' ":
 * "is not a partnership status; did you mean 'current'? (current,
 * prospective, former, none)".  Nothing is guessed: the hint is only
 * said.
 */
const char *imp_reg_code(enum imp_reg_field f, const char *value,
			 struct core_buf *why);

/*
 * The one of codes[0..n) nearest value, for a "did you mean" hint only,
 * or NULL: within 1 edit (Damerau-Levenshtein) for up to 4 letters, 2
 * for up to 8, else 3, or one begins with the other (3 letters or
 * more); compared in lower case without spaces, '-' and '_'.
 */
const char *imp_reg_nearest(const char *const *codes, size_t n,
			    const char *value);

/* "mou", "baa", "dsa"; the kind named s (case-insensitive), or -1. */
const char *imp_reg_agreement_name(enum imp_reg_agreement k);
int imp_reg_agreement_parse(const char *s);

/* Whether s is an ISO date YYYY-MM-DD that exists (2024-02-30 does
 * not). */
int imp_reg_date_ok(const char *s);

/*
 * A referral period as written (2026, 2026-Q3 or 2026-q3, 2026-09;
 * '_' may stand for '-', spaces around are dropped) in its stored form
 * (2026, 2026-Q3, 2026-09) into out (at least 8 bytes); 0 when it is
 * none of them.
 */
int imp_reg_period(const char *s, char *out);

/* The Community Support codes (programs of kind community_support). */
struct imp_reg_programs {
	char **code;
	size_t n;
};
int imp_reg_programs_load(struct core_ws *ws, struct imp_reg_programs *p,
			  struct core_err *err);
void imp_reg_programs_release(struct imp_reg_programs *p);
/* The code value is (case aside), or NULL with the reason appended to
 * why: "is not a Community Support code; did you mean
 * 'medically_tailored_meals'? ('assetmap categories --programs' lists
 * them)". */
const char *imp_reg_program(const struct imp_reg_programs *p, const char *value,
			    struct core_buf *why);

struct imp_reg_support {
	char *program, *plan; /* plan "" when none */
};
struct imp_reg_referral {
	char *period;
	int64_t count;
};

/* One asset's register entry. */
struct imp_reg_entry {
	int exists;			/* 0: not in the register */
	char *f[IMP_REG_NFIELDS];	/* NULL: not recorded */
	int agr[IMP_REG_NAGR];		/* 1: an agreement of that kind */
	char *signed_on[IMP_REG_NAGR];	/* ISO dates, NULL: unknown */
	char *expires_on[IMP_REG_NAGR]; /* NULL: no expiry given */
	struct imp_reg_support *sup;	/* sorted by program, plan */
	size_t nsup, capsup;
	struct imp_reg_referral *ref; /* sorted by period */
	size_t nref, capref;
	int64_t source_id; /* partners.source_id, 0 when none */
	char *updated_at;
};

void imp_reg_entry_init(struct imp_reg_entry *e);
void imp_reg_entry_release(struct imp_reg_entry *e);
/* dst (initialised or released) becomes a deep copy of src. */
void imp_reg_entry_copy(struct imp_reg_entry *dst,
			const struct imp_reg_entry *src);
/* Set field f to v (copied; NULL or "" clears it). */
void imp_reg_entry_set(struct imp_reg_entry *e, enum imp_reg_field f,
		       const char *v);
/* Set agreement k (signed, expires copied; NULL or "" for unknown);
 * imp_reg_entry_no_agreement removes it. */
void imp_reg_entry_agreement(struct imp_reg_entry *e, enum imp_reg_agreement k,
			     const char *signed_on, const char *expires_on);
void imp_reg_entry_no_agreement(struct imp_reg_entry *e,
				enum imp_reg_agreement k);
/* Add the support (program, plan; plan NULL is "") unless it is there;
 * remove every support of program (any plan) when plan is NULL, else
 * that one. */
void imp_reg_entry_support(struct imp_reg_entry *e, const char *program,
			   const char *plan);
void imp_reg_entry_no_support(struct imp_reg_entry *e, const char *program,
			      const char *plan);
void imp_reg_entry_clear_supports(struct imp_reg_entry *e);
/* Set the referrals of period (count >= 0), or remove them (count < 0). */
void imp_reg_entry_referrals(struct imp_reg_entry *e, const char *period,
			     int64_t count);
void imp_reg_entry_clear_referrals(struct imp_reg_entry *e);
/* An agreement's history value "SIGNED:EXPIRES" as above, or NULL when
 * there is none (caller frees). */
char *imp_reg_agreement_text(const struct imp_reg_entry *e,
			     enum imp_reg_agreement k);

struct imp_reg;

/*
 * A register writer for changes made how (e.g. "partner set", "import
 * partners partners.csv") at at (ISO date and time, UTC; NULL: now),
 * in the caller's transaction.  The caller frees it with imp_reg_free
 * before committing or rolling back.
 */
int imp_reg_new(struct core_ws *ws, const char *how, const char *at,
		struct imp_reg **out, struct core_err *err);
void imp_reg_free(struct imp_reg *r);
/* The time the writer stamps changes with. */
const char *imp_reg_at(const struct imp_reg *r);

/* The entry of asset into *e (initialised here; exists 0 when the asset
 * is not in the register). */
int imp_reg_load(struct imp_reg *r, int64_t asset, struct imp_reg_entry *e,
		 struct core_err *err);

/*
 * Write entry e of asset (whose entry was old, as imp_reg_load read it)
 * and a history row for each change; *nchanges (may be NULL) counts
 * them.  e->exists with no status fails (CORE_EUSAGE: "asset N has no
 * partnership status"), as does a database error.  source_id: the
 * partners row's source (0: none); with keep_source the row keeps the
 * source it had (partner set) and source_id is used only for a new row.
 */
int imp_reg_store(struct imp_reg *r, int64_t asset,
		  const struct imp_reg_entry *old,
		  const struct imp_reg_entry *e, int64_t source_id,
		  int keep_source, int64_t *nchanges, struct core_err *err);

#endif
