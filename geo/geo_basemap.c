/*
 * geo_basemap.c - the basemap's features (geo_basemap.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/core_mem.h"
#include "geo/geo_basemap.h"

struct geo_basemap *geo_basemap_new(void)
{
	struct geo_basemap *bm = xcalloc(1, sizeof(*bm));

	bm->start = xcalloc(1, sizeof(*bm->start));
	bm->linecap = 0;
	return bm;
}

void geo_basemap_free(struct geo_basemap *bm)
{
	size_t i;

	if (!bm)
		return;
	for (i = 0; i < bm->nlines; i++)
		free(bm->name[i]);
	for (i = 0; i < bm->nplaces; i++)
		free(bm->pname[i]);
	free(bm->kind);
	free(bm->name);
	free(bm->start);
	free(bm->x);
	free(bm->y);
	free(bm->px);
	free(bm->py);
	free(bm->pname);
	free(bm->rank);
	free(bm);
}

int geo_basemap_road_kind(const char *hw)
{
	static const struct {
		const char *name;
		int kind;
	} t[] = {{"motorway", GEO_BM_MOTORWAY},
		 {"motorway_link", GEO_BM_MOTORWAY},
		 {"trunk", GEO_BM_TRUNK},
		 {"trunk_link", GEO_BM_TRUNK},
		 {"primary", GEO_BM_PRIMARY},
		 {"primary_link", GEO_BM_PRIMARY},
		 {"secondary", GEO_BM_SECONDARY},
		 {"secondary_link", GEO_BM_SECONDARY},
		 {"tertiary", GEO_BM_TERTIARY},
		 {"tertiary_link", GEO_BM_TERTIARY},
		 {"residential", GEO_BM_MINOR},
		 {"unclassified", GEO_BM_MINOR},
		 {"living_street", GEO_BM_MINOR}};
	size_t i;

	if (!hw)
		return -1;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].name, hw) == 0)
			return t[i].kind;
	return -1;
}

int geo_basemap_place_rank(const char *place)
{
	static const struct {
		const char *name;
		int rank;
	} t[] = {{"city", GEO_BM_CITY},
		 {"town", GEO_BM_TOWN},
		 {"suburb", GEO_BM_SUBURB},
		 {"borough", GEO_BM_SUBURB},
		 {"village", GEO_BM_SUBURB},
		 {"neighbourhood", GEO_BM_NEIGHBOURHOOD},
		 {"quarter", GEO_BM_NEIGHBOURHOOD},
		 {"hamlet", GEO_BM_NEIGHBOURHOOD}};
	size_t i;

	if (!place)
		return GEO_BM_PLACE_NONE;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].name, place) == 0)
			return t[i].rank;
	return GEO_BM_PLACE_NONE;
}

void geo_basemap_add_line(struct geo_basemap *bm, enum geo_bm_kind kind,
			  const char *name, const double *x, const double *y,
			  size_t n)
{
	size_t cap;

	if (n < 2)
		return;
	if (bm->nlines + 1 > bm->linecap) {
		cap = bm->linecap;
		xgrow((void **)&bm->kind, &cap, bm->nlines + 1,
		      sizeof(*bm->kind));
		cap = bm->linecap;
		xgrow((void **)&bm->name, &cap, bm->nlines + 1,
		      sizeof(*bm->name));
		bm->start = xrealloc(bm->start, (cap + 1) * sizeof(*bm->start));
		bm->linecap = cap;
	}
	if (bm->npts + n > bm->ptcap) {
		cap = bm->ptcap;
		xgrow((void **)&bm->x, &cap, bm->npts + n, sizeof(*bm->x));
		cap = bm->ptcap;
		xgrow((void **)&bm->y, &cap, bm->npts + n, sizeof(*bm->y));
		bm->ptcap = cap;
	}
	memcpy(bm->x + bm->npts, x, n * sizeof(*x));
	memcpy(bm->y + bm->npts, y, n * sizeof(*y));
	bm->kind[bm->nlines] = (unsigned char)kind;
	bm->name[bm->nlines] = name && *name ? xstrdup(name) : NULL;
	bm->npts += n;
	bm->start[++bm->nlines] = bm->npts;
}

void geo_basemap_add_place(struct geo_basemap *bm, enum geo_bm_place rank,
			   const char *name, double x, double y)
{
	size_t cap;

	if (!name || !*name || rank >= GEO_BM_PLACE_NONE)
		return;
	if (bm->nplaces + 1 > bm->placecap) {
		cap = bm->placecap;
		xgrow((void **)&bm->px, &cap, bm->nplaces + 1, sizeof(double));
		cap = bm->placecap;
		xgrow((void **)&bm->py, &cap, bm->nplaces + 1, sizeof(double));
		cap = bm->placecap;
		xgrow((void **)&bm->pname, &cap, bm->nplaces + 1,
		      sizeof(char *));
		cap = bm->placecap;
		xgrow((void **)&bm->rank, &cap, bm->nplaces + 1, 1);
		bm->placecap = cap;
	}
	bm->px[bm->nplaces] = x;
	bm->py[bm->nplaces] = y;
	bm->pname[bm->nplaces] = xstrdup(name);
	bm->rank[bm->nplaces++] = (unsigned char)rank;
}

int geo_basemap_empty(const struct geo_basemap *bm)
{
	return !bm || (bm->nlines == 0 && bm->nplaces == 0);
}

int geo_basemap_meets(const struct geo_basemap *bm, const double e[4],
		      double grow)
{
	double gx = (e[2] - e[0]) * grow, gy = (e[3] - e[1]) * grow;
	double x0 = e[0] - gx, x1 = e[2] + gx, y0 = e[1] - gy, y1 = e[3] + gy;
	size_t i;

	for (i = 0; i < bm->npts; i++)
		if (bm->x[i] >= x0 && bm->x[i] <= x1 && bm->y[i] >= y0 &&
		    bm->y[i] <= y1)
			return 1;
	for (i = 0; i < bm->nplaces; i++)
		if (bm->px[i] >= x0 && bm->px[i] <= x1 && bm->py[i] >= y0 &&
		    bm->py[i] <= y1)
			return 1;
	return 0;
}

/* ---------------------------------------------------------------------
 * The stored form
 * ------------------------------------------------------------------ */

#define MAGIC	"AMBM"
#define VERSION 1

struct wbuf {
	unsigned char *p;
	size_t n, cap;
};

static void wput(struct wbuf *w, const void *src, size_t n)
{
	xgrow((void **)&w->p, &w->cap, w->n + n, 1);
	memcpy(w->p + w->n, src, n);
	w->n += n;
}

static void wu32(struct wbuf *w, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
			      (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};
	wput(w, b, 4);
}

static void wdeg(struct wbuf *w, double d)
{
	wu32(w, (uint32_t)(int32_t)lround(d * 1e7));
}

static void wname(struct wbuf *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > 65535)
		n = 65535;
	wu32(w, (uint32_t)n);
	if (n)
		wput(w, s, n);
}

void geo_basemap_encode(const struct geo_basemap *bm, unsigned char **blob,
			size_t *len)
{
	struct wbuf w = {NULL, 0, 0};
	size_t i, k;

	wput(&w, MAGIC, 4);
	wu32(&w, VERSION);
	wu32(&w, (uint32_t)bm->nlines);
	wu32(&w, (uint32_t)bm->nplaces);
	for (i = 0; i < bm->nlines; i++) {
		wu32(&w, bm->kind[i]);
		wname(&w, bm->name[i]);
		wu32(&w, (uint32_t)(bm->start[i + 1] - bm->start[i]));
		for (k = bm->start[i]; k < bm->start[i + 1]; k++) {
			wdeg(&w, bm->x[k]);
			wdeg(&w, bm->y[k]);
		}
	}
	for (i = 0; i < bm->nplaces; i++) {
		wu32(&w, bm->rank[i]);
		wname(&w, bm->pname[i]);
		wdeg(&w, bm->px[i]);
		wdeg(&w, bm->py[i]);
	}
	*blob = w.p;
	*len = w.n;
}

struct rbuf {
	const unsigned char *p;
	size_t n, at;
	int bad;
};

static uint32_t ru32(struct rbuf *r)
{
	const unsigned char *b = r->p + r->at;

	if (r->bad || r->n - r->at < 4) {
		r->bad = 1;
		return 0;
	}
	r->at += 4;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static double rdeg(struct rbuf *r)
{
	return (int32_t)ru32(r) / 1e7;
}

/* A name of the blob, NUL-terminated in buf (cap bytes). */
static const char *rname(struct rbuf *r, char **buf, size_t *cap)
{
	uint32_t n = ru32(r);

	if (r->bad || n > 65535 || r->n - r->at < n) {
		r->bad = 1;
		return NULL;
	}
	xgrow((void **)buf, cap, (size_t)n + 1, 1);
	memcpy(*buf, r->p + r->at, n);
	(*buf)[n] = '\0';
	r->at += n;
	return *buf;
}

int geo_basemap_decode(const unsigned char *blob, size_t len,
		       struct geo_basemap **out, struct core_err *err)
{
	struct rbuf r = {blob, len, 0, 0};
	struct geo_basemap *bm;
	double *x = NULL, *y = NULL;
	char *name = NULL;
	size_t xcap = 0, ycap = 0, ncap = 0;
	uint32_t nl, npl, i, k;

	*out = NULL;
	if (!blob || len < 16 || memcmp(blob, MAGIC, 4) != 0)
		return core_err_set(err, CORE_EFORMAT,
				    "stored roads: not a basemap blob");
	r.at = 4;
	if (ru32(&r) != VERSION)
		return core_err_set(err, CORE_EFORMAT,
				    "stored roads: a format this version "
				    "cannot read; import the roads again");
	nl = ru32(&r);
	npl = ru32(&r);
	bm = geo_basemap_new();
	for (i = 0; i < nl && !r.bad; i++) {
		uint32_t kind = ru32(&r), np;
		const char *nm = rname(&r, &name, &ncap);
		np = ru32(&r);
		if (r.bad || kind >= GEO_BM_KINDS ||
		    (size_t)np > (r.n - r.at) / 8) {
			r.bad = 1;
			break;
		}
		xgrow((void **)&x, &xcap, np + 1, sizeof(*x));
		xgrow((void **)&y, &ycap, np + 1, sizeof(*y));
		for (k = 0; k < np; k++) {
			x[k] = rdeg(&r);
			y[k] = rdeg(&r);
		}
		geo_basemap_add_line(bm, (enum geo_bm_kind)kind,
				     nm && *nm ? nm : NULL, x, y, np);
	}
	for (i = 0; i < npl && !r.bad; i++) {
		uint32_t rank = ru32(&r);
		const char *nm = rname(&r, &name, &ncap);
		double px = rdeg(&r), py = rdeg(&r);
		if (r.bad || rank >= GEO_BM_PLACE_NONE) {
			r.bad = 1;
			break;
		}
		geo_basemap_add_place(bm, (enum geo_bm_place)rank, nm, px, py);
	}
	free(x);
	free(y);
	free(name);
	if (r.bad || r.at != r.n) {
		geo_basemap_free(bm);
		return core_err_set(err, CORE_EFORMAT,
				    "stored roads: the blob is damaged; "
				    "import the roads again");
	}
	*out = bm;
	return CORE_OK;
}

int geo_basemap_save(struct core_ws *ws, int64_t source_id,
		     const struct geo_basemap *bm, struct core_err *err)
{
	sqlite3_stmt *s = NULL;
	unsigned char *blob = NULL;
	size_t len = 0;
	int rc;

	geo_basemap_encode(bm, &blob, &len);
	if (len > (size_t)INT32_MAX) {
		free(blob);
		return core_err_set(err, CORE_EUSAGE,
				    "the roads are too many to keep for maps "
				    "(%zu bytes)",
				    len);
	}
	if ((rc =
		 core_ws_prepare(ws, err, &s,
				 "INSERT OR REPLACE INTO road_lines(source_id, "
				 "lines, data) VALUES(?,?,?)")) == CORE_OK) {
		sqlite3_bind_int64(s, 1, source_id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)bm->nlines);
		sqlite3_bind_blob(s, 3, blob, (int)len, SQLITE_STATIC);
		rc = core_ws_step(ws, err, s);
		sqlite3_finalize(s);
	}
	free(blob);
	return rc;
}

int geo_basemap_load_roads(struct core_ws *ws, struct geo_basemap **out,
			   struct core_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc, step;

	*out = NULL;
	if ((rc = core_ws_prepare(ws, err, &s,
				  "SELECT data FROM road_lines ORDER BY "
				  "source_id DESC LIMIT 1")))
		return rc;
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		rc = geo_basemap_decode(sqlite3_column_blob(s, 0),
					(size_t)sqlite3_column_bytes(s, 0), out,
					err);
	else if (step != SQLITE_DONE)
		rc = core_ws_dberr(ws, err, "reading road_lines");
	sqlite3_finalize(s);
	return rc;
}
