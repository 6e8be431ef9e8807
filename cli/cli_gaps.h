/*
 * cli_gaps.h - what the commands that rank unmet need and store deserts
 * (gaps, atlas, deserts) share: the ranking rows with their privacy
 * marks and order, and the storage of a deserts run.
 */
#ifndef CLI_GAPS_H
#define CLI_GAPS_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "core/core_privacy.h"
#include "core/core_units.h"
#include "geo/geo_deserts.h"
#include "geo/geo_load.h"
#include "geo/geo_proj.h"

/*
 * The privacy-safe ranking order of two rows: shown rows (mark
 * CORE_PRIVACY_SHOW) first, most n first; hidden rows last, in index
 * order, so that the order tells nothing about them.  Ties by index.
 */
int cli_privacy_rank_cmp(enum core_privacy_mark mx, int64_t nx, size_t ix,
			 enum core_privacy_mark my, int64_t ny, size_t iy);

/* One category's people beyond / within a distance, with privacy marks. */
struct cli_unmet_row {
	size_t k; /* index into the categories */
	int64_t beyond, within;
	enum core_privacy_mark mb, mw; /* the marks of beyond and within */
	int hide_total; /* 1: hide the total too (core_privacy_row) */
};

/*
 * With cohort, mark each row's two cells as one row with its total
 * (core_privacy_row; the rows' marks are left as they are otherwise),
 * then sort the n rows by cli_privacy_rank_cmp on beyond.
 */
void cli_unmet_rank(struct cli_unmet_row *rows, size_t n, int cohort);

/* Append to arr one object per row: {category, beyond, within}, the
 * counts as privacy cells (strings) with cohort, numbers otherwise. */
void cli_unmet_json(const struct cli_unmet_row *rows, size_t n,
		    char *const *cats, int cohort, json_object *arr);

/*
 * Store the result of geo_deserts_compute in run run_id (made by the
 * caller) as 'assetmap deserts' does, so 'map', 'export' and 'results'
 * read it the same way: the labelled per-area values desert_area_m2,
 * desert_share, pop_in_desert (and cohort_in_desert with cohort not
 * NULL) of category cat farther than within metres (labels in units),
 * then the geometries "desert" per area and "desert_piece" per piece.
 */
int cli_deserts_store(struct cli_ctx *ctx, int64_t run_id,
		      const struct geo_deserts *d,
		      const struct geo_areas *areas, struct geo_proj *proj,
		      const char *cat, double within, enum core_unit units,
		      const char *cohort);

/* The same with the reach in words ("15 min walking"), for the labels:
 * "Area farther than 15 min walking from food (m2)". */
int cli_deserts_store_text(struct cli_ctx *ctx, int64_t run_id,
			   const struct geo_deserts *d,
			   const struct geo_areas *areas, struct geo_proj *proj,
			   const char *cat, const char *reach,
			   const char *cohort);

#endif
