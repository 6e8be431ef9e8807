/*
 * geo_recruit.c - recruiting partners: maximal covering with the
 * category's assets that are not current partners as the candidates
 * (see geo_recruit.h); the solve is geo_sites'.
 */
#include "geo/geo_recruit.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"

const char *geo_partner_status_word(enum geo_partner_status s)
{
	switch (s) {
	case GEO_PARTNER_CURRENT:
		return "current partner";
	case GEO_PARTNER_PROSPECTIVE:
		return "prospective";
	case GEO_PARTNER_UNAFFILIATED:
	default:
		return "unaffiliated";
	}
}

const char *geo_partner_status_code(enum geo_partner_status s)
{
	switch (s) {
	case GEO_PARTNER_CURRENT:
		return "current";
	case GEO_PARTNER_PROSPECTIVE:
		return "prospective";
	case GEO_PARTNER_UNAFFILIATED:
	default:
		return "unaffiliated";
	}
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int geo_partner_status_load(struct core_ws *ws, const int64_t *ids, size_t n,
			    unsigned char *status, struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(status, GEO_PARTNER_UNAFFILIATED, n);
	if (n == 0)
		return CORE_OK;
	if (core_ws_prepare(ws, err, &st,
			    "SELECT asset_id, status FROM partners WHERE "
			    "status IN ('current','prospective')"))
		return CORE_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *s = (const char *)sqlite3_column_text(st, 1);
		const int64_t *hit = bsearch(&id, ids, n, sizeof(*ids), cmp_id);

		if (!hit || !s)
			continue;
		status[hit - ids] = strcmp(s, "current") == 0
					? GEO_PARTNER_CURRENT
					: GEO_PARTNER_PROSPECTIVE;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return core_ws_dberr(ws, err, "reading the partners");
	return CORE_OK;
}

int geo_recruit_solve(const struct geo_recruit_in *in, struct geo_recruit **out,
		      struct core_err *err)
{
	struct geo_recruit *r = xcalloc(1, sizeof(*r));
	struct geo_sites_in sin;
	double *px, *py, *cx, *cy;
	size_t i, np = 0, nc = 0;
	int rc;

	*out = NULL;
	px = xmalloc((in->nassets + 1) * sizeof(double));
	py = xmalloc((in->nassets + 1) * sizeof(double));
	cx = xmalloc((in->nassets + 1) * sizeof(double));
	cy = xmalloc((in->nassets + 1) * sizeof(double));
	r->cand = xmalloc((in->nassets + 1) * sizeof(size_t));
	for (i = 0; i < in->nassets; i++) {
		if (in->status[i] == GEO_PARTNER_CURRENT) {
			px[np] = in->ax[i];
			py[np++] = in->ay[i];
			continue;
		}
		r->nprospective += in->status[i] == GEO_PARTNER_PROSPECTIVE;
		cx[nc] = in->ax[i];
		cy[nc] = in->ay[i];
		r->cand[nc++] = i;
	}
	r->ncurrent = np;
	r->ncand = nc;

	memset(&sin, 0, sizeof(sin));
	sin.ndemand = in->ndemand;
	sin.dx = in->dx;
	sin.dy = in->dy;
	sin.dw = in->dw;
	sin.nassets = np;
	sin.ax = px;
	sin.ay = py;
	sin.ncand = nc;
	sin.cx = cx;
	sin.cy = cy;
	sin.within = in->within;
	sin.k = in->k;
	sin.method = in->method;
	sin.exact_max = in->exact_max;
	sin.net = in->net;
	sin.weight = in->weight;
	sin.snap_m = in->snap_m;
	rc = geo_sites_solve(&sin, &r->s, err);
	free(px);
	free(py);
	free(cx);
	free(cy);
	if (rc) {
		geo_recruit_free(r);
		return rc;
	}
	r->pick = xmalloc((r->s->npicks + 1) * sizeof(size_t));
	for (i = 0; i < r->s->npicks; i++)
		r->pick[i] = r->cand[r->s->pick[i]];
	*out = r;
	return CORE_OK;
}

void geo_recruit_free(struct geo_recruit *r)
{
	if (!r)
		return;
	geo_sites_free(r->s);
	free(r->cand);
	free(r->pick);
	free(r);
}
