/*
 * imp_match.h - find the asset a row of a coalition's spreadsheet names
 * (the partnership register, the environmental scan), by name and
 * address, with the keys of the deduplication rule (imp_asset.h).
 *
 *   struct imp_matcher *m;
 *   imp_matcher_new(ws, &m, err);        every asset's keys, read once
 *   for each row:
 *       switch (imp_matcher_find(m, name, address, &id, &ncand)) ...
 *   imp_matcher_free(m);
 *
 * The rule (the merge rule of imp_asset.c without its distances, since
 * a row here has no point):
 *
 *   - the row's normalized name (imp_asset_norm_name: 'St. Anthony
 *     Foundation, Inc.' = 'Saint Anthony Foundation') must equal the
 *     asset's; a name with no letter or digit matches nothing;
 *   - with an address, the normalized street addresses
 *     (imp_asset_norm_address: '150 Golden Gate Avenue, Suite 2' =
 *     '150 Golden Gate Ave') must be equal too, and when both the row
 *     and the asset have a ZIP code (the row's: a five-digit number
 *     after the address's first comma, as in '150 Golden Gate Ave, San
 *     Francisco, CA 94102'; the asset's: its zip field, else the same
 *     from its address) the ZIPs must be equal;
 *   - without an address (NULL, "", or one that normalizes to nothing)
 *     the name alone decides, and it must then be unique among assets.
 *
 * Every asset is a candidate (imported, merged or added by hand, with a
 * point or without).  Nothing is guessed: no nearest spelling, no
 * fallback from name and address to name alone; two assets with the
 * same keys make the row ambiguous, and the caller refuses it.
 *
 * The matcher is read-only after _new: find and list may be called from
 * several threads.  Assets added after _new are not seen.
 */
#ifndef IMP_MATCH_H
#define IMP_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"

enum imp_match_kind { IMP_MATCH_NONE, IMP_MATCH_ONE, IMP_MATCH_AMBIGUOUS };

struct imp_matcher;

/* Read every asset's id, normalized name, normalized address and ZIP,
 * once, into *out (the caller frees it with imp_matcher_free).  Returns
 * CORE_OK, or the workspace's error with err set. */
int imp_matcher_new(struct core_ws *ws, struct imp_matcher **out,
		    struct core_err *err);

/*
 * The asset that name (required; NULL matches nothing) and address (may
 * be NULL or "") name, by the rule above.  IMP_MATCH_ONE sets *id (id
 * may be NULL); otherwise *id is left alone.  *ncand (ncand may be
 * NULL) receives the number of assets that matched: 0 for NONE, 1 for
 * ONE, 2 or more for AMBIGUOUS.
 */
enum imp_match_kind imp_matcher_find(const struct imp_matcher *m,
				     const char *name, const char *address,
				     int64_t *id, size_t *ncand);

/*
 * The same search, for a message that names the candidates: the ids of
 * the assets that match (in id order), at most cap of them into
 * ids[0..cap) (ids may be NULL when cap is 0).  Returns how many match
 * in all, which may exceed cap.
 */
size_t imp_matcher_list(const struct imp_matcher *m, const char *name,
			const char *address, int64_t *ids, size_t cap);

/* Whether an asset with this id was in the workspace at _new. */
int imp_matcher_has_id(const struct imp_matcher *m, int64_t id);

/* Free m; NULL is a no-op. */
void imp_matcher_free(struct imp_matcher *m);

#endif
