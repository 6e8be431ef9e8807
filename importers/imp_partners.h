/*
 * imp_partners.h - a coalition's partnership register, kept as a
 * spreadsheet (CSV, or XLSX/ODS through GDAL), into the register of
 * schema 7 (imp_register.h).
 *
 * Columns (names matched ignoring case, spaces, '-' and '_'):
 *   asset_id                  the asset's id ('assetmap export assets'), or
 *   name, address, city, zip  the asset by name and address (imp_match.h:
 *                             the keys of the merge rule; city and zip
 *                             narrow the address); without an address the
 *                             name must be unique among assets
 *   status                    current, prospective, former or none (required)
 *   service                   referral, coordinated or joint
 *   financial                 independent, contract or risk_sharing
 *   data                      reporting, sharing or integrated
 *   effects                   capacity, network or systems
 *   governance                informal, lead or shared
 *   mou_signed, mou_expires, baa_signed, baa_expires, dsa_signed,
 *   dsa_expires               ISO dates (YYYY-MM-DD)
 *   supports                  Community Support codes separated by ';',
 *                             each CODE or CODE@PLAN
 *   plan                      the plan of the supports that name none
 *   contact_role, notes       text
 *   referrals, period         a count of referrals and its period (2026,
 *                             2026-Q3, 2026-09), or
 *   referrals_PERIOD          one column per period: referrals_2026-Q3
 *
 * A row with an asset_id is that asset (a name given beside it must be
 * the asset's, by the merge rule's keys); else its name and address
 * decide.  A row that names no asset is not loaded and is listed in
 * stats->unmatched (never guessed); a row naming two or more assets, a
 * bad value (a status 'curent': "did you mean 'current'?"), a date that
 * is not one, an expiry before the signing, or a second row for the
 * same asset is rejected with file, line and field: the import then
 * fails and leaves the workspace as it was (unless skip_bad).
 *
 * A matched row replaces what the register holds for the asset in the
 * columns the file has (an empty cell clears that value; a column the
 * file lacks leaves it alone: agreements per kind, supports, referrals
 * per period).  Importing the same file again (the same sources row,
 * kind 'partners') replaces what it set: an asset it set before and no
 * longer names leaves the register.  Every change is kept in
 * partner_history (how = 'import partners FILE-NAME').  One transaction.
 */
#ifndef IMP_PARTNERS_H
#define IMP_PARTNERS_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "importers/imp_common.h"

struct imp_partners_opts {
	const char *path;
	const char *layer; /* the sheet of a workbook holding several */
	int skip_bad;
};

/* A row that named no asset. */
struct imp_pt_unmatched {
	long line;
	char *name, *address; /* address NULL when none */
	char *why;	      /* "no asset has this name", ... */
};

struct imp_partners_stats {
	int64_t by_id,
	    by_name;	   /* rows matched by asset_id, by name(+address) */
	int64_t removed;   /* entries the earlier import set, dropped */
	int64_t changes;   /* partner_history rows written */
	int64_t status[4]; /* loaded rows by status, in code order */
	struct imp_pt_unmatched *unmatched;
	size_t nunmatched;
	char *ignored; /* columns not read, "phone, category", or NULL */
};

void imp_partners_stats_release(struct imp_partners_stats *st);

/*
 * Import o->path into ws.  src must have been set up with
 * imp_source_init(src, "partners"); on return it holds the row counts
 * and the first rejects.  stats (may be NULL) is zeroed and filled.
 * Returns CORE_OK; CORE_EFORMAT / CORE_EIO for a file that cannot be
 * read, lacks the columns that name assets or the status, or has rows
 * rejected (without skip_bad): then the workspace is unchanged.
 */
int imp_partners_import(struct core_ws *ws, const struct imp_partners_opts *o,
			struct imp_source *src,
			struct imp_partners_stats *stats, struct core_err *err);

#endif
