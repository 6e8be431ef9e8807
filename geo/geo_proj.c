/*
 * geo_proj.c - PROJ through its reentrant API, one context per object.
 */
#include "geo/geo_proj.h"

#include <geodesic.h>
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "geo/geo_par.h"

struct geo_proj {
	PJ_CONTEXT *ctx;
	PJ *pj;		 /* EPSG:4326 -> target, normalised to lon/lat order */
	double to_metre; /* metres per unit of the target CRS's axes */
	char *def;
	char *label;
	char log[512];		   /* PROJ's last error message */
	struct geod_geodesic geod; /* WGS84, for ground distances */
};

/* PROJ calls this instead of printing; we keep the last error. */
static void on_proj_log(void *ud, int level, const char *msg)
{
	struct geo_proj *p = ud;

	if (level <= PJ_LOG_ERROR && msg)
		snprintf(p->log, sizeof(p->log), "%s", msg);
}

/* The best explanation we have of PROJ's last failure. */
static const char *proj_why(struct geo_proj *p)
{
	int e = proj_context_errno(p->ctx);

	if (p->log[0])
		return p->log;
	if (e)
		return proj_context_errno_string(p->ctx, e);
	return "unknown PROJ error";
}

void geo_proj_free(struct geo_proj *p)
{
	if (!p)
		return;
	if (p->pj)
		proj_destroy(p->pj);
	if (p->ctx)
		proj_context_destroy(p->ctx);
	free(p->def);
	free(p->label);
	free(p);
}

static struct geo_proj *proj_alloc(const char *def)
{
	struct geo_proj *p = xcalloc(1, sizeof(*p));

	p->ctx = proj_context_create();
	proj_log_func(p->ctx, p, on_proj_log);
	proj_log_level(p->ctx, PJ_LOG_ERROR);
	p->def = xstrdup(def);
	p->to_metre = 1.0;
	geod_init(&p->geod, 6378137.0, 1 / 298.257223563);
	return p;
}

/*
 * The projected CRS inside crs (itself, or the base of a bound CRS made
 * from a PROJ string with +towgs84), or NULL.  Caller destroys it.
 */
static PJ *projected_part(PJ_CONTEXT *ctx, PJ *crs)
{
	PJ_TYPE t = proj_get_type(crs);

	if (t == PJ_TYPE_PROJECTED_CRS)
		return proj_clone(ctx, crs);
	if (t == PJ_TYPE_BOUND_CRS) {
		PJ *base = proj_get_source_crs(ctx, crs);
		if (base && proj_get_type(base) == PJ_TYPE_PROJECTED_CRS)
			return base;
		if (base)
			proj_destroy(base);
	}
	return NULL;
}

/* Metres per axis unit of a projected CRS (1 for metres, 0.3048... for
 * feet); 0 when PROJ cannot tell. */
static double axis_to_metre(PJ_CONTEXT *ctx, PJ *projected)
{
	PJ *cs = proj_crs_get_coordinate_system(ctx, projected);
	double f = 0;

	if (!cs)
		return 0;
	if (!proj_cs_get_axis_info(ctx, cs, 0, NULL, NULL, NULL, &f, NULL, NULL,
				   NULL))
		f = 0;
	proj_destroy(cs);
	return f;
}

/* Build p->pj from EPSG:4326 to the CRS text p->def. */
static int make_transform(struct geo_proj *p, const char *label,
			  struct core_err *err)
{
	PJ *src = NULL, *dst = NULL, *prj = NULL, *op = NULL;
	const char *name, *auth, *code;
	int rc = CORE_OK;

	src = proj_create(p->ctx, "EPSG:4326");
	if (!src) {
		rc = core_err_set(err, CORE_ELIB,
				  "PROJ cannot find EPSG:4326 (%s); is the "
				  "proj-data package installed?",
				  proj_why(p));
		goto cleanup;
	}
	dst = proj_create(p->ctx, p->def);
	if (!dst) {
		rc = core_err_set(err, CORE_ELIB,
				  "CRS '%s' is not one PROJ knows (%s); give "
				  "an EPSG code such as EPSG:3310, or 'auto'",
				  p->def, proj_why(p));
		goto cleanup;
	}
	prj = projected_part(p->ctx, dst);
	if (!prj) {
		rc = core_err_set(
		    err, CORE_EUSAGE,
		    "CRS '%s' (%s) is not a projected CRS; maps and distances "
		    "need one in metres or feet, such as EPSG:3310",
		    p->def,
		    proj_get_name(dst) ? proj_get_name(dst) : "unnamed");
		goto cleanup;
	}
	p->to_metre = axis_to_metre(p->ctx, prj);
	if (!(p->to_metre > 0)) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "CRS '%s': cannot tell the unit of its axes; "
				  "use a CRS in metres such as EPSG:3310",
				  p->def);
		goto cleanup;
	}
	op = proj_create_crs_to_crs_from_pj(p->ctx, src, dst, NULL, NULL);
	if (!op) {
		rc = core_err_set(
		    err, CORE_ELIB,
		    "PROJ cannot transform from EPSG:4326 to '%s': %s", p->def,
		    proj_why(p));
		goto cleanup;
	}
	p->pj = proj_normalize_for_visualization(p->ctx, op);
	if (!p->pj) {
		rc = core_err_set(err, CORE_ELIB,
				  "PROJ cannot put the transform to '%s' in "
				  "lon/lat order: %s",
				  p->def, proj_why(p));
		goto cleanup;
	}
	if (label) {
		p->label = xstrdup(label);
	} else {
		name = proj_get_name(prj);
		auth = proj_get_id_auth_name(dst, 0);
		code = proj_get_id_code(dst, 0);
		if (name && auth && code)
			p->label = xasprintf("%s (%s:%s)", name, auth, code);
		else
			p->label = xstrdup(name ? name : p->def);
	}
cleanup:
	if (op)
		proj_destroy(op);
	if (prj)
		proj_destroy(prj);
	if (dst)
		proj_destroy(dst);
	if (src)
		proj_destroy(src);
	return rc;
}

int geo_proj_new(const char *crs, struct geo_proj **out, struct core_err *err)
{
	struct geo_proj *p = proj_alloc(crs);
	int rc;

	*out = NULL;
	rc = make_transform(p, NULL, err);
	if (rc) {
		geo_proj_free(p);
		return rc;
	}
	*out = p;
	return CORE_OK;
}

int geo_proj_new_laea(double lon0, double lat0, struct geo_proj **out,
		      struct core_err *err)
{
	struct geo_proj *p;
	char *def, *label;
	int rc;

	*out = NULL;
	if (!(lon0 >= -180 && lon0 <= 180 && lat0 >= -90 && lat0 <= 90))
		return core_err_set(err, CORE_EFORMAT,
				    "cannot centre a projection on lon %g lat "
				    "%g: outside -180..180, -90..90",
				    lon0, lat0);
	def = xasprintf("+proj=laea +lat_0=%.6f +lon_0=%.6f +x_0=0 +y_0=0 "
			"+datum=WGS84 +units=m +no_defs +type=crs",
			lat0, lon0);
	label = xasprintf(
	    "Lambert azimuthal equal-area centred on %.2f%c %.2f%c", fabs(lat0),
	    lat0 < 0 ? 'S' : 'N', fabs(lon0), lon0 < 0 ? 'W' : 'E');
	p = proj_alloc(def);
	rc = make_transform(p, label, err);
	free(def);
	free(label);
	if (rc) {
		geo_proj_free(p);
		return rc;
	}
	*out = p;
	return CORE_OK;
}

/* The lon/lat extent of everything in the workspace, in one pass per
 * table.  Returns CORE_ENOTFOUND when there is no geometry. */
static int ws_extent(struct core_ws *ws, double *minx, double *miny,
		     double *maxx, double *maxy, struct core_err *err)
{
	static const char sql[] =
	    "SELECT min(x0), min(y0), max(x1), max(y1) FROM ("
	    " SELECT MbrMinX(geom) AS x0, MbrMinY(geom) AS y0,"
	    "  MbrMaxX(geom) AS x1, MbrMaxY(geom) AS y1 FROM areas"
	    " UNION ALL"
	    " SELECT MbrMinX(geom), MbrMinY(geom), MbrMaxX(geom), MbrMaxY(geom)"
	    "  FROM assets)";
	sqlite3_stmt *st;
	int rc;

	if (core_ws_prepare(ws, err, &st, sql))
		return CORE_EDB;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = core_ws_dberr(ws, err, "reading the data's extent");
	} else if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		rc = core_err_set(
		    err, CORE_ENOTFOUND,
		    "workspace %s holds no areas or assets, so there is "
		    "nothing to centre the 'auto' projection on; import some "
		    "with 'assetmap import'",
		    ws->path);
	} else {
		*minx = sqlite3_column_double(st, 0);
		*miny = sqlite3_column_double(st, 1);
		*maxx = sqlite3_column_double(st, 2);
		*maxy = sqlite3_column_double(st, 3);
		rc = CORE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

int geo_proj_for_ws(struct core_ws *ws, struct geo_proj **out,
		    struct core_err *err)
{
	char *crs = core_ws_meta_dup(ws, "analysis_crs");
	double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
	int rc;

	*out = NULL;
	if (crs && strcmp(crs, "auto") != 0) {
		if ((rc = core_ws_check_crs(crs, err)) == CORE_OK)
			rc = geo_proj_new(crs, out, err);
		if (rc)
			core_err_prefix(
			    err, "workspace %s, analysis CRS: ", ws->path);
		free(crs);
		return rc;
	}
	free(crs);
	rc = ws_extent(ws, &x0, &y0, &x1, &y1, err);
	if (rc)
		return rc;
	return geo_proj_new_laea((x0 + x1) / 2, (y0 + y1) / 2, out, err);
}

int geo_proj_for_extent(struct core_ws *ws, double lon0, double lat0,
			double lon1, double lat1, struct geo_proj **out,
			struct core_err *err)
{
	char *crs = core_ws_meta_dup(ws, "analysis_crs");
	int named = crs && strcmp(crs, "auto") != 0;

	free(crs);
	if (named)
		return geo_proj_for_ws(ws, out, err);
	*out = NULL;
	return geo_proj_new_laea((lon0 + lon1) / 2, (lat0 + lat1) / 2, out,
				 err);
}

const char *geo_proj_def(const struct geo_proj *p)
{
	return p->def;
}

const char *geo_proj_label(const struct geo_proj *p)
{
	return p->label;
}

/* Transform x[0 .. n), which are points base .. base + n of the caller's
 * arrays (for messages). */
static int transform(struct geo_proj *p, PJ_DIRECTION dir, double *x, double *y,
		     size_t n, size_t base, struct core_err *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		PJ_COORD c;
		double ix = x[i], iy = y[i];

		if (dir == PJ_INV) {
			ix /= p->to_metre;
			iy /= p->to_metre;
		}
		c = proj_coord(ix, iy, 0, 0);
		p->log[0] = '\0';
		proj_errno_reset(p->pj);
		c = proj_trans(p->pj, dir, c);
		if (isnan(x[i]) || isnan(y[i]) || c.xy.x == HUGE_VAL ||
		    c.xy.y == HUGE_VAL || !isfinite(c.xy.x) ||
		    !isfinite(c.xy.y)) {
			int e = proj_errno(p->pj);
			return core_err_set(
			    err, CORE_ELIB,
			    "point %zu (%s %.9g, %.9g) cannot be transformed "
			    "%s %s: %s",
			    base + i, dir == PJ_FWD ? "lon/lat" : "x/y", x[i],
			    y[i], dir == PJ_FWD ? "to" : "from", p->def,
			    p->log[0] ? p->log
			    : e	      ? proj_context_errno_string(p->ctx, e)
				      : "outside the projection's domain");
		}
		if (dir == PJ_FWD) {
			x[i] = c.xy.x * p->to_metre;
			y[i] = c.xy.y * p->to_metre;
		} else {
			x[i] = c.lp.lam;
			y[i] = c.lp.phi;
		}
	}
	return CORE_OK;
}

int geo_proj_fwd(struct geo_proj *p, double *x, double *y, size_t n,
		 struct core_err *err)
{
	return transform(p, PJ_FWD, x, y, n, 0, err);
}

int geo_proj_inv(struct geo_proj *p, double *x, double *y, size_t n,
		 struct core_err *err)
{
	return transform(p, PJ_INV, x, y, n, 0, err);
}

int geo_proj_ground_scale(struct geo_proj *p, double x, double y, double *scale,
			  struct core_err *err)
{
	/* A 2 km segment: long enough for precision, short enough that the
	 * scale does not vary along it. */
	const double d = 1000.0;
	double px[2] = {x - d, x + d}, py[2] = {y, y};
	double s12 = 0;
	int rc;

	if ((rc = geo_proj_inv(p, px, py, 2, err)))
		return rc;
	geod_inverse(&p->geod, py[0], px[0], py[1], px[1], &s12, NULL, NULL);
	if (!(s12 > 0))
		return core_err_set(
		    err, CORE_ELIB,
		    "cannot measure the scale of %s at x %.1f y %.1f", p->def,
		    x, y);
	*scale = s12 / (2 * d);
	return CORE_OK;
}

int geo_proj_north_angle(struct geo_proj *p, double x, double y, double *angle,
			 struct core_err *err)
{
	double px[1] = {x}, py[1] = {y};
	double qx[1], qy[1];
	int rc;

	if ((rc = geo_proj_inv(p, px, py, 1, err)))
		return rc;
	/* One hundredth of a degree north, or south near the pole. */
	qx[0] = px[0];
	qy[0] = py[0] < 89.9 ? py[0] + 0.01 : py[0] - 0.01;
	if ((rc = geo_proj_fwd(p, qx, qy, 1, err)))
		return rc;
	if (py[0] < 89.9)
		*angle = atan2(qx[0] - x, qy[0] - y);
	else
		*angle = atan2(x - qx[0], y - qy[0]);
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * Many points on every core
 * ------------------------------------------------------------------ */

/* A copy of p for another thread: its own context and a clone of the
 * transform (far cheaper than asking PROJ's database again). */
static struct geo_proj *proj_copy(struct geo_proj *p)
{
	struct geo_proj *c = proj_alloc(p->def);

	c->to_metre = p->to_metre;
	c->pj = proj_clone(c->ctx, p->pj);
	if (!c->pj) {
		geo_proj_free(c);
		return NULL;
	}
	return c;
}

struct fwd_job {
	struct geo_proj *proj[GEO_PAR_MAX];
	double *x, *y;
	int nan_ok;
	struct core_err err[GEO_PAR_MAX];
	int rc[GEO_PAR_MAX];
	size_t at[GEO_PAR_MAX]; /* the range a worker failed in */
};

static void fwd_range(void *vctx, size_t b, size_t e, int w)
{
	struct fwd_job *c = vctx;
	size_t i = b, j;

	if (c->rc[w])
		return;
	while (i < e) {
		if (c->nan_ok) {
			while (i < e && (isnan(c->x[i]) || isnan(c->y[i])))
				i++;
			j = i;
			while (j < e && !isnan(c->x[j]) && !isnan(c->y[j]))
				j++;
		} else {
			j = e;
		}
		if (j > i) {
			c->rc[w] = transform(c->proj[w], PJ_FWD, c->x + i,
					     c->y + i, j - i, i, &c->err[w]);
			if (c->rc[w]) {
				c->at[w] = i;
				return;
			}
		}
		i = j;
	}
}

int geo_proj_fwd_par(struct geo_proj *p, double *x, double *y, size_t n,
		     int nan_ok, struct core_err *err)
{
	struct fwd_job *c;
	int nt = geo_par_threads(), i, rc = CORE_OK, first = -1;

	if (!p || n == 0)
		return CORE_OK;
	if (n < GEO_PROJ_PAR_MIN)
		nt = 1;
	c = xcalloc(1, sizeof(*c));
	c->x = x;
	c->y = y;
	c->nan_ok = nan_ok;
	c->proj[0] = p;
	for (i = 1; i < nt; i++)
		if (!(c->proj[i] = proj_copy(p))) {
			nt = 1; /* no copy: one thread does it all */
			break;
		}
	if (nt == 1)
		fwd_range(c, 0, n, 0);
	else
		geo_par_for(n, 0, fwd_range, c);
	/* The failure of the lowest index, as one thread would report. */
	for (i = 0; i < GEO_PAR_MAX; i++)
		if (c->rc[i] && (first < 0 || c->at[i] < c->at[first]))
			first = i;
	if (first >= 0) {
		*err = c->err[first];
		rc = c->rc[first];
	}
	for (i = 1; i < GEO_PAR_MAX; i++)
		geo_proj_free(c->proj[i]);
	free(c);
	return rc;
}
