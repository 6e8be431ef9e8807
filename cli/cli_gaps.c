/*
 * cli_gaps.c - the ranking rows and deserts storage that gaps, atlas and
 * deserts share.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli_gaps.h"
#include "core/core_result.h"
#include "core/core_ws.h"

int cli_privacy_rank_cmp(enum core_privacy_mark mx, int64_t nx, size_t ix,
			 enum core_privacy_mark my, int64_t ny, size_t iy)
{
	int hx = mx != CORE_PRIVACY_SHOW, hy = my != CORE_PRIVACY_SHOW;

	if (hx != hy)
		return hx - hy;
	if (!hx && nx != ny)
		return nx > ny ? -1 : 1;
	return ix < iy ? -1 : ix > iy;
}

static int unmet_cmp(const void *a, const void *b)
{
	const struct cli_unmet_row *x = a, *y = b;

	return cli_privacy_rank_cmp(x->mb, x->beyond, x->k, y->mb, y->beyond,
				    y->k);
}

void cli_unmet_rank(struct cli_unmet_row *rows, size_t n, int cohort)
{
	size_t k;

	for (k = 0; cohort && k < n; k++) {
		int64_t cells[2] = {rows[k].beyond, rows[k].within};
		enum core_privacy_mark marks[2];

		rows[k].hide_total = core_privacy_row(cells, 2, 1, marks);
		rows[k].mb = marks[0];
		rows[k].mw = marks[1];
	}
	qsort(rows, n, sizeof(*rows), unmet_cmp);
}

void cli_unmet_json(const struct cli_unmet_row *rows, size_t n,
		    char *const *cats, int cohort, json_object *arr)
{
	size_t r;

	for (r = 0; r < n; r++) {
		const struct cli_unmet_row *u = &rows[r];
		json_object *o = json_object_new_object();
		char b[32];

		json_object_object_add(o, "category",
				       json_object_new_string(cats[u->k]));
		if (cohort) {
			json_object_object_add(
			    o, "beyond",
			    json_object_new_string(core_privacy_cell(
				u->beyond, u->mb, 0, b, sizeof(b))));
			json_object_object_add(
			    o, "within",
			    json_object_new_string(core_privacy_cell(
				u->within, u->mw, 0, b, sizeof(b))));
		} else {
			json_object_object_add(
			    o, "beyond", json_object_new_int64(u->beyond));
			json_object_object_add(
			    o, "within", json_object_new_int64(u->within));
		}
		json_object_array_add(arr, o);
	}
}

static int store_geom(struct core_ws *ws, sqlite3_stmt *st, int64_t run_id,
		      const char *name, const char *geoid,
		      const struct geo_deserts *d, int piece, size_t i,
		      struct geo_proj *proj, struct core_err *err)
{
	unsigned char *wkb = NULL;
	size_t len = 0;
	int rc;

	if ((rc = geo_deserts_wkb(d, piece, i, proj, &wkb, &len, err)))
		return rc;
	if (!wkb)
		return CORE_OK;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (geoid)
		sqlite3_bind_text(st, 3, geoid, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_blob(st, 4, wkb, (int)len, SQLITE_STATIC);
	rc = core_ws_step(ws, err, st);
	free(wkb);
	if (rc)
		return core_err_prefix(err, "storing the desert of %s: ",
				       geoid ? geoid : "a piece");
	return CORE_OK;
}

int cli_deserts_store(struct cli_ctx *ctx, int64_t run_id,
		      const struct geo_deserts *d,
		      const struct geo_areas *areas, struct geo_proj *proj,
		      const char *cat, double within, enum core_unit units,
		      const char *cohort)
{
	char ws_[32];

	core_units_format(within, units, ws_, sizeof(ws_));
	return cli_deserts_store_text(ctx, run_id, d, areas, proj, cat, ws_,
				      cohort);
}

int cli_deserts_store_text(struct cli_ctx *ctx, int64_t run_id,
			   const struct geo_deserts *d,
			   const struct geo_areas *areas, struct geo_proj *proj,
			   const char *cat, const char *ws_, const char *cohort)
{
	struct core_result_writer *w = NULL;
	sqlite3_stmt *gst = NULL;
	char l1[256];
	size_t i;
	int rc;

	snprintf(l1, sizeof(l1), "Area farther than %s from %s (m2)", ws_, cat);
	rc = core_result_info_add(ctx->ws, run_id, "desert_area_m2",
				  CORE_RK_VALUE, NULL, l1, 1, &ctx->err);
	snprintf(l1, sizeof(l1), "Share of the area farther than %s from %s",
		 ws_, cat);
	if (!rc)
		rc =
		    core_result_info_add(ctx->ws, run_id, "desert_share",
					 CORE_RK_SHARE, NULL, l1, 2, &ctx->err);
	snprintf(l1, sizeof(l1),
		 "Population farther than %s from %s (areal weighting)", ws_,
		 cat);
	if (!rc)
		rc = core_result_info_add(ctx->ws, run_id, "pop_in_desert",
					  CORE_RK_POPULATION, NULL, l1, 3,
					  &ctx->err);
	snprintf(l1, sizeof(l1), "%s farther than %s from %s",
		 cohort ? cohort : "", ws_, cat);
	if (!rc && cohort)
		rc = core_result_info_add(ctx->ws, run_id, "cohort_in_desert",
					  CORE_RK_COHORT_COUNT, NULL, l1, 4,
					  &ctx->err);
	if (!rc)
		rc = core_result_writer_new(ctx->ws, run_id, &w, &ctx->err);
	for (i = 0; !rc && i < d->n; i++) {
		const char *g = areas->geoid[i];

		rc = core_result_area_put(w, g, "desert_area_m2",
					  d->desert_m2[i], &ctx->err);
		if (!rc)
			rc = core_result_area_put(w, g, "desert_share",
						  d->share[i], &ctx->err);
		if (!rc)
			rc = core_result_area_put(w, g, "pop_in_desert",
						  d->pop_in[i], &ctx->err);
		if (!rc && cohort)
			rc = core_result_area_put(
			    w, g, "cohort_in_desert",
			    isnan(d->cohort_in[i])
				? NAN
				: (double)llround(d->cohort_in[i]),
			    &ctx->err);
	}
	if (!rc)
		rc = core_ws_prepare(
		    ctx->ws, &ctx->err, &gst,
		    "INSERT INTO results_geom(run_id, name, geoid, geom)"
		    " VALUES(?1, ?2, ?3, CastToMultiPolygon(GeomFromWKB(?4, "
		    "4326)))");
	for (i = 0; !rc && i < d->n; i++)
		rc = store_geom(ctx->ws, gst, run_id, "desert", areas->geoid[i],
				d, 0, i, proj, &ctx->err);
	for (i = 0; !rc && i < d->npieces; i++)
		rc = store_geom(ctx->ws, gst, run_id, "desert_piece", NULL, d,
				1, i, proj, &ctx->err);
	sqlite3_finalize(gst);
	core_result_writer_free(w);
	return rc;
}
