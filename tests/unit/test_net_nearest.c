/*
 * test_net_nearest.c - 'assetmap nearest', 'coverage' and 'near' with
 * --by walk|drive against a brute-force reference on a road network the
 * test builds (geo_net_build, geo_net_save) in a real workspace.
 *
 * The reference is a plain Dijkstra written here over the loaded graph's
 * segments (geo_net_seg), O(V^2), one run per person: the place's access
 * leg at the mode's access speed, the part of its segment to either end
 * (only the ways allowed), the graph, then the part of the asset's
 * segment and its leg; two places on one segment also reach each other
 * directly along it when that way is allowed.  Its answers must agree
 * with what the binary stores and prints: the nearest asset (ties: the
 * smaller id), the minutes and the network metres, people beyond, medians
 * per tract, people not placed (farther than --snap from every road),
 * coverage by time, by network distance and by either, and near's
 * ranking with its minutes and metres.  Network distances are checked to
 * be never shorter than the straight line.
 *
 * The graph: a jittered 16 x 16 grid over a 0.04 degree box, some streets
 * missing, some diagonals; when driving, a fifth of the segments one-way
 * and speeds from 20 to 60 km/h; a small piece apart from the rest that
 * the build drops.  Lengths are the segments' lengths in the analysis
 * CRS, so that the straight line is a true lower bound.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_result.h"
#include "core/core_ws.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"
#include "geo/geo_net.h"
#include "geo/geo_proj.h"
#include "testlib.h"

#define LON0 -120.60
#define LAT0 37.00
#define SIZE 0.04
#define GRID 16

static uint64_t rng = 0x9e3779b97f4a7c15ull;

/* ---------------------------------------------------------------------
 * The fixture: a workspace with tracts, a cohort, assets and a walking
 * and a driving network
 * ------------------------------------------------------------------ */

/* Four tracts in a 2 x 2 grid over the box. */
static void add_tracts(struct core_ws *ws)
{
	int i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++) {
			double x0 = LON0 + i * SIZE / 2,
			       y0 = LAT0 + j * SIZE / 2;
			char *sql = xasprintf(
			    "INSERT INTO areas(level, geoid, name, population, "
			    "geom)"
			    " VALUES('tract', '0600100%02d00', 'T%d', %d,"
			    " CastToMultiPolygon(BuildMbr(%.9f, %.9f, %.9f, "
			    "%.9f, 4326)))",
			    2 * i + j + 1, 2 * i + j + 1,
			    1000 * (2 * i + j + 1), x0, y0, x0 + SIZE / 2,
			    y0 + SIZE / 2);
			test_exec(ws, sql);
			free(sql);
		}
}

static void add_member(struct core_ws *ws, int id, double lon, double lat)
{
	char *sql = xasprintf("INSERT INTO cohort_members(id, cohort_id,"
			      " precision, geom) VALUES(%d, 1, 'point',"
			      " MakePoint(%.9f, %.9f, 4326))",
			      id, lon, lat);
	test_exec(ws, sql);
	free(sql);
}

/* The graph's candidate nodes (lon, lat) and segments, as an importer
 * would hand them to geo_net_build. */
struct cand {
	size_t nn, ns;
	double lon[GRID * GRID + 8], lat[GRID * GRID + 8];
	uint32_t a[4 * GRID * GRID], b[4 * GRID * GRID];
	double kmh[4 * GRID * GRID];
	unsigned char oneway[4 * GRID * GRID];
};

static void cand_seg(struct cand *c, uint32_t a, uint32_t b)
{
	c->a[c->ns] = a;
	c->b[c->ns] = b;
	c->kmh[c->ns] = 20 + 40 * test_rand(&rng);
	c->oneway[c->ns] = test_rand(&rng) < 0.2;
	c->ns++;
}

static void make_cand(struct cand *c)
{
	size_t i, j;
	double step = SIZE / (GRID - 1);

	memset(c, 0, sizeof(*c));
	for (j = 0; j < GRID; j++)
		for (i = 0; i < GRID; i++) {
			double jx = (test_rand(&rng) - 0.5) * step * 0.4,
			       jy = (test_rand(&rng) - 0.5) * step * 0.4;
			c->lon[c->nn] = LON0 + (double)i * step + jx;
			c->lat[c->nn] = LAT0 + (double)j * step + jy;
			c->nn++;
		}
	for (j = 0; j < GRID; j++)
		for (i = 0; i < GRID; i++) {
			uint32_t k = (uint32_t)(j * GRID + i);
			if (i + 1 < GRID && test_rand(&rng) > 0.1)
				cand_seg(c, k, k + 1);
			if (j + 1 < GRID && test_rand(&rng) > 0.1)
				cand_seg(c, k, k + GRID);
			if (i + 1 < GRID && j + 1 < GRID &&
			    test_rand(&rng) < 0.1)
				cand_seg(c, k, k + GRID + 1);
		}
	/* a piece apart, 0.01 degrees east of the box: dropped */
	for (i = 0; i < 3; i++) {
		c->lon[c->nn + i] = LON0 + SIZE + 0.01 + 0.002 * (double)i;
		c->lat[c->nn + i] = LAT0 + SIZE / 2;
	}
	cand_seg(c, (uint32_t)c->nn, (uint32_t)c->nn + 1);
	cand_seg(c, (uint32_t)c->nn + 1, (uint32_t)c->nn + 2);
	c->oneway[c->ns - 1] = c->oneway[c->ns - 2] = 0;
	c->nn += 3;
}

/* Build and store mode's graph from c, lengths in the CRS of proj. */
static void save_net(struct core_ws *ws, struct geo_proj *proj,
		     const struct cand *c, enum geo_mode mode,
		     int64_t source_id)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_net_build_in in;
	struct geo_net_stats st;
	double *x = xmalloc(c->nn * sizeof(double)),
	       *y = xmalloc(c->nn * sizeof(double));
	double *len = xmalloc(c->ns * sizeof(double)),
	       *ab = xmalloc(c->ns * sizeof(double)),
	       *ba = xmalloc(c->ns * sizeof(double));
	unsigned char *blob = NULL;
	size_t blen = 0, i;

	memcpy(x, c->lon, c->nn * sizeof(double));
	memcpy(y, c->lat, c->nn * sizeof(double));
	CHECK_INT(geo_proj_fwd(proj, x, y, c->nn, &err), 0);
	for (i = 0; i < c->ns; i++) {
		double mps =
		    mode == GEO_MODE_DRIVE ? c->kmh[i] / 3.6 : GEO_NET_WALK_MPS;
		len[i] =
		    hypot(x[c->a[i]] - x[c->b[i]], y[c->a[i]] - y[c->b[i]]);
		ab[i] = len[i] / mps;
		ba[i] = mode == GEO_MODE_DRIVE && c->oneway[i] ? INFINITY
							       : len[i] / mps;
	}
	memset(&in, 0, sizeof(in));
	in.mode = mode;
	in.nnodes = c->nn;
	in.lon = c->lon;
	in.lat = c->lat;
	in.nsegs = c->ns;
	in.a = c->a;
	in.b = c->b;
	in.len_m = len;
	in.secs_ab = ab;
	in.secs_ba = ba;
	if (geo_net_build(&in, &st, &blob, &blen, &err) ||
	    geo_net_save(ws, mode, source_id, &st, blob, blen, &err))
		test_fail(__FILE__, __LINE__, "building the %s network: %s",
			  geo_mode_name(mode), err.msg);
	/* the piece apart is dropped */
	CHECK(st.pieces >= 2);
	CHECK(st.nodes < c->nn);
	free(blob);
	free(x);
	free(y);
	free(len);
	free(ab);
	free(ba);
}

/*
 * The workspace: tracts; cohort "people" of np members in a box 30 %
 * larger than the network's (some farther than 1 km from every road),
 * members 1, 4, 7 on nodes; food assets (two at one place, ids 90 and
 * 91, and one off the network), housing, and dental only off the
 * network; a walking and a driving network.
 */
static struct core_ws *net_ws(const char *name, int np, struct cand *c)
{
	struct core_ws *ws = test_new_ws_crs(name, "EPSG:3310");
	struct core_err err = CORE_ERR_INIT;
	struct geo_proj *proj = NULL;
	int i;

	if (!ws)
		return NULL;
	make_cand(c);
	test_exec(ws, "BEGIN");
	add_tracts(ws);
	for (i = 0; i < 12; i++)
		test_add_asset(ws, 100 + i, LON0 + test_rand(&rng) * SIZE,
			       LAT0 + test_rand(&rng) * SIZE, "food");
	test_add_asset(ws, 90, LON0 + 0.3 * SIZE, LAT0 + 0.6 * SIZE, "food");
	test_add_asset(ws, 91, LON0 + 0.3 * SIZE, LAT0 + 0.6 * SIZE, "food");
	/* 0.03 degrees south of the box: about 3.3 km from any road */
	test_add_asset(ws, 95, LON0 + 0.5 * SIZE, LAT0 - 0.03, "food");
	test_add_asset(ws, 200, LON0 + 0.8 * SIZE, LAT0 + 0.2 * SIZE,
		       "housing");
	test_add_asset(ws, 201, LON0 + 0.1 * SIZE, LAT0 + 0.9 * SIZE,
		       "housing");
	test_add_asset(ws, 300, LON0 - 0.03, LAT0 - 0.03, "dental");
	test_exec(ws, "INSERT INTO cohorts(id, name, kind, created_at) VALUES"
		      " (1, 'people', 'points', 'now')");
	for (i = 0; i < np; i++) {
		double lon = LON0 + (test_rand(&rng) * 1.6 - 0.3) * SIZE;
		double lat = LAT0 + (test_rand(&rng) * 1.6 - 0.3) * SIZE;
		if (i < 3) {
			lon = c->lon[40 + 17 * i];
			lat = c->lat[40 + 17 * i];
		}
		add_member(ws, 1 + i * 3, lon, lat);
	}
	test_exec(ws, "INSERT INTO sources(id, kind, path, name, format,"
		      " checksum, imported_at) VALUES(77, 'roads',"
		      " '/nowhere/test.osm.pbf', 'test.osm.pbf', 'test', 'x',"
		      " 'now')");
	if (geo_proj_for_ws(ws, &proj, &err))
		test_fail(__FILE__, __LINE__, "projection: %s", err.msg);
	else {
		save_net(ws, proj, c, GEO_MODE_WALK, 77);
		save_net(ws, proj, c, GEO_MODE_DRIVE, 77);
	}
	geo_proj_free(proj);
	test_exec(ws, "COMMIT");
	return ws;
}

/* ---------------------------------------------------------------------
 * The reference
 * ------------------------------------------------------------------ */

struct ref {
	struct geo_proj *proj;
	struct geo_areas *areas;
	struct geo_members *m;
	struct geo_supply *s;
	size_t ncats;
	struct geo_net *net;
	enum geo_mode mode;
	size_t nn, ns;
	uint32_t *a, *b;
	double *len, *sab, *sba;
	struct geo_snap *msnap;	 /* [m->n] */
	struct geo_snap **ssnap; /* [ncats][s->n] */
};

static void ref_load(struct core_ws *ws, struct ref *r, enum geo_mode mode,
		     const char *const *cats, size_t ncats)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_filter f;
	size_t i, c;

	memset(r, 0, sizeof(*r));
	geo_filter_init(&f);
	r->ncats = ncats;
	r->mode = mode;
	if (geo_proj_for_ws(ws, &r->proj, &err) ||
	    geo_areas_load(ws, "tract", NULL, r->proj, &r->areas, &err) ||
	    geo_members_load(ws, "people", NULL, r->proj, r->areas, &r->m,
			     &err) ||
	    geo_supply_load(ws, cats, ncats, &f, r->proj, &r->s, &err) ||
	    geo_net_load(ws, mode, r->proj, &r->net, &err)) {
		test_fail(__FILE__, __LINE__, "reference inputs: %s", err.msg);
		return;
	}
	r->nn = geo_net_nnodes(r->net);
	r->ns = geo_net_nsegs(r->net);
	r->a = xmalloc(r->ns * sizeof(uint32_t));
	r->b = xmalloc(r->ns * sizeof(uint32_t));
	r->len = xmalloc(r->ns * sizeof(double));
	r->sab = xmalloc(r->ns * sizeof(double));
	r->sba = xmalloc(r->ns * sizeof(double));
	for (i = 0; i < r->ns; i++)
		geo_net_seg(r->net, i, &r->a[i], &r->b[i], &r->len[i],
			    &r->sab[i], &r->sba[i]);
	r->msnap = xmalloc((r->m->n + 1) * sizeof(struct geo_snap));
	geo_net_snap(r->net, r->m->x, r->m->y, r->m->n, GEO_NET_SNAP_MAX_M,
		     r->msnap);
	r->ssnap = xcalloc(ncats, sizeof(*r->ssnap));
	for (c = 0; c < ncats; c++) {
		r->ssnap[c] =
		    xmalloc((r->s[c].n + 1) * sizeof(struct geo_snap));
		geo_net_snap(r->net, r->s[c].x, r->s[c].y, r->s[c].n,
			     GEO_NET_SNAP_MAX_M, r->ssnap[c]);
	}
}

static void ref_free(struct ref *r)
{
	size_t c;

	if (r->ssnap)
		for (c = 0; c < r->ncats; c++)
			free(r->ssnap[c]);
	free(r->ssnap);
	free(r->msnap);
	free(r->a);
	free(r->b);
	free(r->len);
	free(r->sab);
	free(r->sba);
	geo_net_free(r->net);
	geo_supply_free(r->s, r->ncats);
	geo_members_free(r->m);
	geo_areas_free(r->areas);
	geo_proj_free(r->proj);
}

/*
 * Brute-force snap of (x, y): the nearest point of the nearest segment
 * (straight between its nodes' projected positions), its distance.
 */
static double bf_snap_off(const struct ref *r, double x, double y)
{
	double best = INFINITY;
	size_t i;

	for (i = 0; i < r->ns; i++) {
		double ax, ay, bx, by, dx, dy, t, l2, px, py;

		geo_net_node_xy(r->net, r->a[i], &ax, &ay);
		geo_net_node_xy(r->net, r->b[i], &bx, &by);
		dx = bx - ax;
		dy = by - ay;
		l2 = dx * dx + dy * dy;
		t = l2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / l2 : 0;
		t = t < 0 ? 0 : t > 1 ? 1 : t;
		px = ax + t * dx;
		py = ay + t * dy;
		if (hypot(x - px, y - py) < best)
			best = hypot(x - px, y - py);
	}
	return best;
}

/* A path's cost by the weight searched, and the other measure. */
struct pc {
	double cost, other;
};

/* Segment i's cost and other measure one way (fwd: a -> b), or cost
 * +inf when not allowed; by time (w 0) or length (w 1). */
static struct pc seg_cost(const struct ref *r, size_t i, int fwd, int w)
{
	double s = fwd ? r->sab[i] : r->sba[i];
	struct pc p;

	if (!(s >= 0) || isinf(s)) {
		p.cost = p.other = INFINITY;
		return p;
	}
	p.cost = w ? r->len[i] : s;
	p.other = w ? s : r->len[i];
	return p;
}

/* Moving the fraction f of segment i one way: nothing when f is 0 (a
 * place on a node of a one-way street leaves by the node, either way),
 * else f times its cost that way (+inf when not allowed). */
static struct pc part(const struct ref *r, size_t i, int fwd, int w, double f)
{
	struct pc p = {0, 0};

	if (f == 0)
		return p;
	p = seg_cost(r, i, fwd, w);
	p.cost *= f;
	p.other *= f;
	return p;
}

/* The access leg of a snap. */
static struct pc leg(const struct ref *r, const struct geo_snap *sn, int w)
{
	double secs = sn->off_m / geo_net_access_mps(r->mode);
	struct pc p;

	p.cost = w ? sn->off_m : secs;
	p.other = w ? secs : sn->off_m;
	return p;
}

/* Plain Dijkstra from the place at snap o to every node, O(V^2):
 * d[v] (cost and other measure). */
static void dijkstra(const struct ref *r, const struct geo_snap *o, int w,
		     struct pc *d)
{
	unsigned char *done = xcalloc(r->nn, 1);
	struct pc l = leg(r, o, w), s;
	size_t v, i, k;

	for (v = 0; v < r->nn; v++)
		d[v].cost = d[v].other = INFINITY;
	/* from the place's point to its segment's ends */
	s = part(r, (size_t)o->seg, 0, w, o->t); /* towards a: b -> a */
	if (l.cost + s.cost < d[r->a[o->seg]].cost) {
		d[r->a[o->seg]].cost = l.cost + s.cost;
		d[r->a[o->seg]].other = l.other + s.other;
	}
	s = part(r, (size_t)o->seg, 1, w, 1 - o->t);
	if (l.cost + s.cost < d[r->b[o->seg]].cost) {
		d[r->b[o->seg]].cost = l.cost + s.cost;
		d[r->b[o->seg]].other = l.other + s.other;
	}
	for (k = 0; k < r->nn; k++) {
		size_t u = (size_t)-1;
		for (v = 0; v < r->nn; v++)
			if (!done[v] && d[v].cost < INFINITY &&
			    (u == (size_t)-1 || d[v].cost < d[u].cost))
				u = v;
		if (u == (size_t)-1)
			break;
		done[u] = 1;
		for (i = 0; i < r->ns; i++) {
			int fwd;
			for (fwd = 0; fwd < 2; fwd++) {
				size_t from = fwd ? r->a[i] : r->b[i],
				       to = fwd ? r->b[i] : r->a[i];
				if (from != u)
					continue;
				s = seg_cost(r, i, fwd, w);
				if (d[u].cost + s.cost < d[to].cost) {
					d[to].cost = d[u].cost + s.cost;
					d[to].other = d[u].other + s.other;
				}
			}
		}
	}
	free(done);
}

/* The door-to-door cost from the place at snap o (its node costs d) to
 * the place at snap t. */
static struct pc to_place(const struct ref *r, const struct geo_snap *o,
			  const struct pc *d, const struct geo_snap *t, int w)
{
	struct pc best = {INFINITY, INFINITY}, s, l = leg(r, t, w);

	if (t->seg < 0)
		return best;
	/* into t's segment from its a end (a -> b) or its b end */
	s = part(r, (size_t)t->seg, 1, w, t->t);
	if (d[r->a[t->seg]].cost + s.cost < best.cost) {
		best.cost = d[r->a[t->seg]].cost + s.cost;
		best.other = d[r->a[t->seg]].other + s.other;
	}
	s = part(r, (size_t)t->seg, 0, w, 1 - t->t);
	if (d[r->b[t->seg]].cost + s.cost < best.cost) {
		best.cost = d[r->b[t->seg]].cost + s.cost;
		best.other = d[r->b[t->seg]].other + s.other;
	}
	/* along one segment, directly */
	if (o->seg == t->seg) {
		struct pc lo = leg(r, o, w);
		s = part(r, (size_t)t->seg, t->t >= o->t, w, fabs(t->t - o->t));
		if (lo.cost + s.cost < best.cost) {
			best.cost = lo.cost + s.cost;
			best.other = lo.other + s.other;
		}
	}
	best.cost += l.cost;
	best.other += l.other;
	return best;
}

/* ---------------------------------------------------------------------
 * Reading what the binary stored
 * ------------------------------------------------------------------ */

static int64_t last_run(struct core_ws *ws)
{
	return test_q_int(ws, "SELECT max(id) FROM runs");
}

/* A packed member column of the last run (caller frees). */
static void *column(struct core_ws *ws, const char *name, size_t *n)
{
	struct core_err err = CORE_ERR_INIT;
	const char *type;
	void *data = NULL;

	if (core_result_column_load(ws, last_run(ws), name, &type, n, &data,
				    &err)) {
		test_fail(__FILE__, __LINE__, "column %s: %s", name, err.msg);
		*n = 0;
		return xcalloc(1, 8);
	}
	return data;
}

/* A per-area value of the last run; NaN for NULL or none. */
static double area_value(struct core_ws *ws, const char *geoid,
			 const char *name)
{
	sqlite3_stmt *st;
	double v = NAN;

	sqlite3_prepare_v2(
	    ws->db,
	    "SELECT value FROM results_area WHERE run_id ="
	    " (SELECT max(id) FROM runs) AND geoid = ? AND name = ?",
	    -1, &st, NULL);
	sqlite3_bind_text(st, 1, geoid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Where the reference (members by ascending id) holds member id. */
static size_t ref_index(const struct geo_members *m, int64_t id)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->id[lo] == id ? lo : (size_t)-1;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Run the binary on ws with args (a shell fragment); stdout into *out
 * and stderr into *err (caller frees). */
static int run(struct core_ws *ws, const char *args, char **out, char **err)
{
	char *cmd = xasprintf("-d '%s' %s", ws->path, args);
	int rc = test_run_cli(cmd, out, err);

	free(cmd);
	return rc;
}

#define REL(a, b) (fabs((a) - (b)) <= 1e-6 * (1 + fabs(b)))

/* The nearest asset of supply c for member j by time (ties: the smaller
 * index), its costs; and the least network metres to any asset. */
struct near_ref {
	long k;		/* index in the supply, -1: none */
	double secs, m; /* door to door, the fastest path */
	double second;	/* the next best time (for ties) */
	double short_m; /* the shortest network metres */
};

static void ref_nearest(const struct ref *r, size_t j, size_t c,
			const struct pc *dt, const struct pc *dl,
			struct near_ref *out)
{
	const struct geo_supply *s = &r->s[c];
	size_t i;

	out->k = -1;
	out->secs = out->m = out->second = out->short_m = INFINITY;
	for (i = 0; i < s->n; i++) {
		struct pc t, l;
		if (r->ssnap[c][i].seg < 0)
			continue;
		t = to_place(r, &r->msnap[j], dt, &r->ssnap[c][i], 0);
		l = to_place(r, &r->msnap[j], dl, &r->ssnap[c][i], 1);
		if (l.cost < out->short_m)
			out->short_m = l.cost;
		if (t.cost < out->secs) {
			out->second = out->secs;
			out->k = (long)i;
			out->secs = t.cost;
			out->m = t.other;
		} else if (t.cost < out->second) {
			out->second = t.cost;
		}
	}
	if (isinf(out->secs))
		out->k = -1;
}

/* ---------------------------------------------------------------------
 * nearest
 * ------------------------------------------------------------------ */

static void test_snap_matches_brute_force(void)
{
	static const char *const cats[] = {"food"};
	struct cand c;
	struct core_ws *ws = net_ws("snap.db", 200, &c);
	struct ref r;
	size_t i, placed = 0;
	int bad = 0;

	if (!ws)
		return;
	ref_load(ws, &r, GEO_MODE_WALK, cats, 1);
	if (r.net) {
		for (i = 0; i < r.m->n; i++) {
			double off = bf_snap_off(&r, r.m->x[i], r.m->y[i]);
			if (off > GEO_NET_SNAP_MAX_M) {
				bad += r.msnap[i].seg >= 0;
				continue;
			}
			placed++;
			if (r.msnap[i].seg < 0 || !REL(r.msnap[i].off_m, off))
				bad++;
		}
		/* some of each */
		CHECK(placed > 100);
		CHECK(placed < r.m->n);
	}
	CHECK_INT(bad, 0);
	ref_free(&r);
	core_ws_close(ws);
}

/* Member columns, per-tract values and the summary of 'nearest --by mode'
 * against the reference. */
static void check_nearest(struct core_ws *ws, enum geo_mode mode,
			  double beyond_s, double beyond_m, const char *out)
{
	static const char *const cats[] = {"food", "housing", "dental"};
	const char *mn = geo_mode_name(mode);
	struct ref r;
	size_t n, n2, i, c, k, unplaced = 0;
	int64_t *ids;
	int bad = 0, ties = 0;
	struct pc *dt, *dl;
	struct near_ref(*want)[3];

	ref_load(ws, &r, mode, cats, 3);
	if (!r.net) {
		ref_free(&r);
		return;
	}
	dt = xmalloc(r.nn * sizeof(*dt));
	dl = xmalloc(r.nn * sizeof(*dl));
	want = xcalloc(r.m->n, sizeof(*want));
	for (i = 0; i < r.m->n; i++) {
		if (r.msnap[i].seg < 0) {
			unplaced++;
			continue;
		}
		dijkstra(&r, &r.msnap[i], 0, dt);
		dijkstra(&r, &r.msnap[i], 1, dl);
		for (c = 0; c < 3; c++)
			ref_nearest(&r, i, c, dt, dl, &want[i][c]);
	}
	CHECK(unplaced > 0);
	ids = column(ws, "member_id", &n);
	CHECK_INT(n, r.m->n);
	for (c = 0; c < 3; c++) {
		char name[64];
		double *min, *met;
		int64_t *asset;
		snprintf(name, sizeof(name), "%s_min_%s", mn, cats[c]);
		min = column(ws, name, &n2);
		CHECK_INT(n2, n);
		snprintf(name, sizeof(name), "%s_m_%s", mn, cats[c]);
		met = column(ws, name, &n2);
		CHECK_INT(n2, n);
		snprintf(name, sizeof(name), "asset_%s", cats[c]);
		asset = column(ws, name, &n2);
		CHECK_INT(n2, n);
		for (i = 0; i < n && i < n2; i++) {
			size_t j = ref_index(r.m, ids[i]);
			const struct near_ref *w;
			int64_t wid;
			int ok;

			if (j == (size_t)-1) {
				bad++;
				continue;
			}
			w = &want[j][c];
			if (r.msnap[j].seg < 0) {
				/* not placed: no answer */
				ok = isnan(min[i]) && isnan(met[i]) &&
				     asset[i] == -1;
			} else if (w->k < 0) {
				ok = isinf(min[i]) && asset[i] == -1;
			} else {
				wid = r.s[c].id[w->k];
				ok = REL(min[i] * 60, w->secs);
				if (asset[i] != wid) {
					/* a tie within rounding: either; an
					 * exact tie (90 and 91, at one
					 * place) goes to the smaller id */
					ok = ok && w->second != w->secs &&
					     REL(w->second, w->secs);
					ties++;
				} else {
					ok = ok && REL(met[i], w->m);
				}
				/* never shorter than the straight line */
				if (asset[i] >= 0) {
					size_t q;
					for (q = 0; q < r.s[c].n; q++)
						if (r.s[c].id[q] == asset[i])
							break;
					if (q < r.s[c].n &&
					    met[i] <
						hypot(r.s[c].x[q] - r.m->x[j],
						      r.s[c].y[q] - r.m->y[j]) -
						    1e-6)
						ok = 0;
				}
			}
			if (!ok && bad++ < 5)
				test_fail(__FILE__, __LINE__,
					  "%s member %lld: asset %lld %.6g min "
					  "%.6g m; expected %lld %.6g min %.6g "
					  "m",
					  cats[c], (long long)ids[i],
					  (long long)asset[i], min[i], met[i],
					  w->k < 0 ? -1LL
						   : (long long)r.s[c].id[w->k],
					  w->secs / 60, w->m);
		}
		free(min);
		free(met);
		free(asset);
	}
	CHECK_INT(bad, 0);
	CHECK(ties < 3);
	/* the tied assets 90 and 91: whoever is nearest to them gets 90 */
	for (i = 0; i < r.m->n; i++)
		if (want[i][0].k >= 0)
			CHECK(r.s[0].id[want[i][0].k] != 91);

	/* per tract: placed people, not placed, beyond, median minutes */
	for (k = 0; k < r.areas->n; k++) {
		const char *g = r.areas->geoid[k];
		double *v = xmalloc((r.m->n + 1) * sizeof(double));
		size_t m = 0, far = 0, np = 0;
		char name[64];
		double med;
		for (i = 0; i < r.m->n; i++) {
			const struct near_ref *w = &want[i][0];
			int within;
			if (r.m->area[i] != (int32_t)k)
				continue;
			if (r.msnap[i].seg < 0) {
				np++;
				continue;
			}
			within = (!isnan(beyond_s) && w->secs <= beyond_s) ||
				 (!isnan(beyond_m) && w->short_m <= beyond_m);
			far += !within;
			v[m++] = w->secs;
		}
		qsort(v, m, sizeof(double), cmp_d);
		med = m == 0  ? NAN
		      : m % 2 ? v[m / 2]
			      : (v[m / 2 - 1] + v[m / 2]) / 2;
		CHECK_NEAR(area_value(ws, g, "n"), (double)m, 0);
		CHECK_NEAR(area_value(ws, g, "not_placed"), (double)np, 0);
		CHECK_NEAR(area_value(ws, g, "beyond_food"), (double)far, 0);
		snprintf(name, sizeof(name), "median_%s_min_food", mn);
		CHECK_NEAR(area_value(ws, g, name), med / 60, 1e-6);
		CHECK_NEAR(area_value(ws, g, "share_beyond_food"),
			   m ? (double)far / (double)m : NAN, 1e-12);
		/* dental is off the network: everyone placed is beyond */
		CHECK_NEAR(area_value(ws, g, "beyond_dental"), (double)m, 0);
		snprintf(name, sizeof(name), "median_%s_min_dental", mn);
		CHECK(isnan(area_value(ws, g, name)));
		CHECK_INT(test_q_int(ws, "SELECT count(*) FROM results_area"
					 " WHERE run_id = (SELECT max(id) FROM"
					 " runs) AND name LIKE 'median_%_min_"
					 "dental'"),
			  4);
		free(v);
	}
	/* the summary says it */
	CHECK_CONTAINS(out, "unreachable");
	CHECK_CONTAINS(out, "median (min)");
	free(ids);
	free(want);
	free(dt);
	free(dl);
	ref_free(&r);
}

static void test_nearest_drive(void)
{
	struct cand c;
	struct core_ws *ws;
	char *out = NULL, *err = NULL;
	char want[160];

	if (!test_have_cli())
		return;
	ws = net_ws("nearest_drive.db", 400, &c);
	if (!ws)
		return;
	CHECK_INT(run(ws,
		      "nearest --cohort people --category food,housing,dental"
		      " --by drive --beyond 3min",
		      &out, &err),
		  0);
	CHECK_CONTAINS(err, "not placed on the driving network: farther "
			    "than 1km from a road");
	CHECK_CONTAINS(err, "dental: 1 of 1 assets not placed");
	CHECK_CONTAINS(err, "beyond means not within 3min");
	CHECK_CONTAINS(out, "beyond 3 min");
	check_nearest(ws, GEO_MODE_DRIVE, 180, NAN, out);
	/* the run says how it travelled */
	CHECK_INT(test_q_int(ws,
			     "SELECT count(*) FROM runs WHERE"
			     " json_extract(params, '$.by') = 'drive'"
			     " AND json_extract(params, '$.beyond_s') = 180"
			     " AND json_extract(params, '$.beyond_m') IS NULL"),
		  1);
	free(out);
	free(err);

	/* a network distance, and both */
	CHECK_INT(run(ws,
		      "nearest --cohort people --category food,housing,dental"
		      " --by drive --beyond 1.5km",
		      &out, &err),
		  0);
	check_nearest(ws, GEO_MODE_DRIVE, NAN, 1500, out);
	free(out);
	free(err);
	CHECK_INT(run(ws,
		      "nearest --cohort people --category food,housing,dental"
		      " --by drive --beyond '1km|2min'",
		      &out, &err),
		  0);
	check_nearest(ws, GEO_MODE_DRIVE, 120, 1000, out);
	snprintf(want, sizeof(want), "beyond 0.62 mi and 2 min");
	CHECK_CONTAINS(out, want);
	free(out);
	free(err);
	core_ws_close(ws);
}

static void test_nearest_walk(void)
{
	struct cand c;
	struct core_ws *ws;
	char *out = NULL, *err = NULL;

	if (!test_have_cli())
		return;
	ws = net_ws("nearest_walk.db", 300, &c);
	if (!ws)
		return;
	CHECK_INT(run(ws,
		      "nearest --cohort people --category food,housing,dental"
		      " --by walk --beyond 20min --format csv",
		      &out, &err),
		  0);
	CHECK_CONTAINS(out, "category,assets,people,median (min),beyond 20 "
			    "min,share beyond");
	check_nearest(ws, GEO_MODE_WALK, 1200, NAN, out);
	free(out);
	free(err);
	core_ws_close(ws);
}

/* Without a cohort: the tracts' points. */
static void test_nearest_areas_walk(void)
{
	static const char *const cats[] = {"food"};
	struct cand c;
	struct core_ws *ws;
	struct core_err e = CORE_ERR_INIT;
	char *out = NULL, *err = NULL;
	struct ref r;
	double x[4], y[4];
	int weighted = -1;
	size_t k;
	struct pc *dt, *dl;

	if (!test_have_cli())
		return;
	ws = net_ws("nearest_areas.db", 20, &c);
	if (!ws)
		return;
	CHECK_INT(run(ws, "nearest --areas tract --category food --by walk",
		      &out, &err),
		  0);
	ref_load(ws, &r, GEO_MODE_WALK, cats, 1);
	if (!r.net)
		goto done;
	CHECK_INT(geo_area_points(ws, r.areas, r.proj, x, y, &weighted, &e), 0);
	dt = xmalloc(r.nn * sizeof(*dt));
	dl = xmalloc(r.nn * sizeof(*dl));
	for (k = 0; k < 4; k++) {
		struct geo_snap sn;
		struct near_ref w;
		const char *g = r.areas->geoid[k];

		geo_net_snap(r.net, &x[k], &y[k], 1, GEO_NET_SNAP_MAX_M, &sn);
		CHECK(sn.seg >= 0);
		if (sn.seg < 0)
			continue;
		/* ref_nearest reads member j's snap: borrow slot 0 */
		r.msnap[0] = sn;
		dijkstra(&r, &sn, 0, dt);
		dijkstra(&r, &sn, 1, dl);
		ref_nearest(&r, 0, 0, dt, dl, &w);
		CHECK(w.k >= 0);
		if (w.k < 0)
			continue;
		CHECK_NEAR(area_value(ws, g, "walk_min_food"), w.secs / 60,
			   1e-6 * w.secs);
		CHECK_NEAR(area_value(ws, g, "walk_m_food"), w.m, 1e-6 * w.m);
		CHECK_NEAR(area_value(ws, g, "asset_food"),
			   (double)r.s[0].id[w.k], 0);
	}
	/* coverage of the tracts' points within 4 minutes' walk: the
	 * tract's population when its point's nearest is within */
	free(out);
	free(err);
	CHECK_INT(run(ws,
		      "coverage --areas tract --category food --by walk "
		      "--within 4min",
		      &out, &err),
		  0);
	{
		int yes = 0, no = 0;
		for (k = 0; k < 4; k++) {
			struct geo_snap sn;
			struct near_ref w;
			const char *g = r.areas->geoid[k];

			geo_net_snap(r.net, &x[k], &y[k], 1, GEO_NET_SNAP_MAX_M,
				     &sn);
			if (sn.seg < 0)
				continue;
			r.msnap[0] = sn;
			dijkstra(&r, &sn, 0, dt);
			dijkstra(&r, &sn, 1, dl);
			ref_nearest(&r, 0, 0, dt, dl, &w);
			CHECK_NEAR(area_value(ws, g, "covered_food"),
				   w.secs <= 240 ? 1000.0 * (double)(k + 1) : 0,
				   0);
			yes += w.secs <= 240;
			no += w.secs > 240;
		}
		/* the 4 minutes split the tracts */
		CHECK(yes > 0 && no > 0);
	}
	free(dt);
	free(dl);
done:
	ref_free(&r);
	free(out);
	free(err);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * coverage
 * ------------------------------------------------------------------ */

/* 'coverage --by drive' with a time, a distance and both: per member
 * and per tract against the reference. */
static void test_coverage_drive(void)
{
	static const char *const cats[] = {"food", "housing"};
	static const struct {
		const char *within;
		double s, m;
	} rows[] = {{"2min", 120, NAN},
		    {"1.2km", NAN, 1200},
		    {"'800m|1.5min'", 90, 800}};
	struct cand c;
	struct core_ws *ws;
	struct ref r;
	struct pc *dt, *dl;
	struct near_ref(*want)[2];
	size_t i, q, k;

	if (!test_have_cli())
		return;
	ws = net_ws("coverage.db", 400, &c);
	if (!ws)
		return;
	ref_load(ws, &r, GEO_MODE_DRIVE, cats, 2);
	if (!r.net) {
		ref_free(&r);
		core_ws_close(ws);
		return;
	}
	dt = xmalloc(r.nn * sizeof(*dt));
	dl = xmalloc(r.nn * sizeof(*dl));
	want = xcalloc(r.m->n, sizeof(*want));
	for (i = 0; i < r.m->n; i++) {
		if (r.msnap[i].seg < 0)
			continue;
		dijkstra(&r, &r.msnap[i], 0, dt);
		dijkstra(&r, &r.msnap[i], 1, dl);
		ref_nearest(&r, i, 0, dt, dl, &want[i][0]);
		ref_nearest(&r, i, 1, dt, dl, &want[i][1]);
	}
	for (q = 0; q < sizeof(rows) / sizeof(rows[0]); q++) {
		int before = test_failures();
		char *args = xasprintf("coverage --cohort people --category "
				       "food,housing --by drive --within %s",
				       rows[q].within);
		char *out = NULL, *err = NULL;
		size_t n, n2, cat;
		int64_t *ids;
		int bad = 0;
		int64_t covered_total[2] = {0, 0}, not_covered = 0;

		CHECK_INT(run(ws, args, &out, &err), 0);
		free(args);
		ids = column(ws, "member_id", &n);
		for (cat = 0; cat < 2; cat++) {
			char name[64];
			int64_t *cov;
			snprintf(name, sizeof(name), "covered_%s", cats[cat]);
			cov = column(ws, name, &n2);
			CHECK_INT(n2, n);
			for (i = 0; i < n && i < n2; i++) {
				size_t j = ref_index(r.m, ids[i]);
				const struct near_ref *w = &want[j][cat];
				int64_t expect =
				    r.msnap[j].seg < 0 ? -1
				    : (!isnan(rows[q].s) &&
				       w->secs <= rows[q].s) ||
					    (!isnan(rows[q].m) &&
					     w->short_m <= rows[q].m)
					? 1
					: 0;
				if (cov[i] != expect && bad++ < 5)
					test_fail(__FILE__, __LINE__,
						  "%s member %lld: covered "
						  "%lld, expected %lld (%.6g "
						  "s, %.6g m)",
						  cats[cat], (long long)ids[i],
						  (long long)cov[i],
						  (long long)expect, w->secs,
						  w->short_m);
				covered_total[cat] += expect == 1;
				not_covered += cat == 0 && expect == 0;
			}
			free(cov);
		}
		CHECK_INT(bad, 0);
		/* both kinds of people, so the test means something */
		CHECK(covered_total[0] > 10);
		CHECK(not_covered > 10);
		/* per tract against the reference */
		for (k = 0; k < r.areas->n; k++) {
			const char *g = r.areas->geoid[k];
			int64_t m = 0, cf = 0, ca = 0, np = 0;
			for (i = 0; i < r.m->n; i++) {
				int cv[2];
				if (r.m->area[i] != (int32_t)k)
					continue;
				if (r.msnap[i].seg < 0) {
					np++;
					continue;
				}
				m++;
				for (cat = 0; cat < 2; cat++)
					cv[cat] =
					    (!isnan(rows[q].s) &&
					     want[i][cat].secs <= rows[q].s) ||
					    (!isnan(rows[q].m) &&
					     want[i][cat].short_m <= rows[q].m);
				cf += cv[0];
				ca += cv[0] && cv[1];
			}
			CHECK_NEAR(area_value(ws, g, "n"), (double)m, 0);
			CHECK_NEAR(area_value(ws, g, "not_placed"), (double)np,
				   0);
			CHECK_NEAR(area_value(ws, g, "covered_food"),
				   (double)cf, 0);
			CHECK_NEAR(area_value(ws, g, "covered_all"), (double)ca,
				   0);
		}
		test_row_end(before, q, rows[q].within, __FILE__, __LINE__);
		free(ids);
		free(out);
		free(err);
	}
	free(want);
	free(dt);
	free(dl);
	ref_free(&r);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * near
 * ------------------------------------------------------------------ */

/* One row of near's CSV: rank, minutes, metres, id. */
struct row {
	int rank;
	double min, m;
	long long id;
};

static size_t read_rows(const char *csv, struct row *rows, size_t max)
{
	const char *p = strchr(csv ? csv : "", '\n');
	size_t n = 0;

	while (p && p[1] && n < max) {
		p++;
		if (sscanf(p, "%d,%lf,%lf,%lld", &rows[n].rank, &rows[n].min,
			   &rows[n].m, &rows[n].id) == 4)
			n++;
		p = strchr(p, '\n');
	}
	return n;
}

/* An asset ranked by the reference. */
struct rk {
	double cost, secs, m;
	int64_t id;
};

static int by_cost_id(const void *a, const void *b)
{
	const struct rk *p = a, *q = b;

	if (p->cost != q->cost)
		return p->cost < q->cost ? -1 : 1;
	return (p->id > q->id) - (p->id < q->id);
}

static void test_near_walk(void)
{
	static const char *const cats[] = {"food", "housing", "dental"};
	static const struct {
		const char *within;
		int w;	     /* ranked by: 0 time, 1 length */
		double s, m; /* limits */
	} rows[] = {{"20min", 0, 1200, NAN},
		    {"1.2km", 1, NAN, 1200},
		    {"'1km|10min'", 0, 600, 1000},
		    {NULL, 0, NAN, NAN}};
	struct cand c;
	struct core_ws *ws;
	struct ref r;
	struct pc *dt, *dl;
	double lon = LON0 + 0.47 * SIZE, lat = LAT0 + 0.52 * SIZE, ox = lon,
	       oy = lat;
	struct geo_snap os;
	struct rk *all;
	struct core_err e = CORE_ERR_INIT;
	size_t q, i, cat, na = 0;

	if (!test_have_cli())
		return;
	ws = net_ws("near.db", 10, &c);
	if (!ws)
		return;
	ref_load(ws, &r, GEO_MODE_WALK, cats, 3);
	if (!r.net) {
		ref_free(&r);
		core_ws_close(ws);
		return;
	}
	CHECK_INT(geo_proj_fwd(r.proj, &ox, &oy, 1, &e), 0);
	geo_net_snap(r.net, &ox, &oy, 1, GEO_NET_SNAP_MAX_M, &os);
	CHECK(os.seg >= 0);
	dt = xmalloc(r.nn * sizeof(*dt));
	dl = xmalloc(r.nn * sizeof(*dl));
	all = xmalloc(64 * sizeof(*all));
	if (os.seg >= 0) {
		dijkstra(&r, &os, 0, dt);
		dijkstra(&r, &os, 1, dl);
	}
	for (q = 0; q < sizeof(rows) / sizeof(rows[0]); q++) {
		int before = test_failures();
		char *args, *out = NULL, *err = NULL;
		struct row got[64];
		size_t ng, nw = 0;

		/* every asset once (none is in two categories here) */
		na = 0;
		for (cat = 0; cat < 3; cat++)
			for (i = 0; i < r.s[cat].n; i++) {
				struct pc t, l;
				const struct geo_snap *sn = &r.ssnap[cat][i];
				int in;
				if (sn->seg < 0 || os.seg < 0)
					continue;
				t = to_place(&r, &os, dt, sn, 0);
				l = to_place(&r, &os, dl, sn, 1);
				in = rows[q].w ? l.cost <= rows[q].m
				     : isnan(rows[q].s)
					 ? 1
					 : t.cost <= rows[q].s ||
					       (!isnan(rows[q].m) &&
						l.cost <= rows[q].m);
				if (!in || isinf(t.cost))
					continue;
				all[na].cost = rows[q].w ? l.cost : t.cost;
				all[na].secs = rows[q].w ? l.other : t.cost;
				all[na].m = rows[q].w ? l.cost : t.other;
				all[na].id = r.s[cat].id[i];
				/* never shorter than the straight line */
				CHECK(all[na].m >= hypot(r.s[cat].x[i] - ox,
							 r.s[cat].y[i] - oy) -
						       1e-6);
				na++;
			}
		qsort(all, na, sizeof(*all), by_cost_id);
		nw = na < 10 ? na : 10;
		if (rows[q].within)
			args = xasprintf("near --at %.9f,%.9f --by walk "
					 "--within %s --format csv --units m",
					 lat, lon, rows[q].within);
		else
			args = xasprintf("near --at %.9f,%.9f --by walk "
					 "--format csv --units m",
					 lat, lon);
		CHECK_INT(run(ws, args, &out, &err), 0);
		free(args);
		CHECK(out &&
		      strncmp(out, "rank,walk_min,walk_m,id,name,", 29) == 0);
		ng = read_rows(out, got, 64);
		CHECK_INT(ng, nw);
		for (i = 0; i < ng && i < nw; i++) {
			CHECK_INT(got[i].rank, (long long)i + 1);
			CHECK_INT(got[i].id, all[i].id);
			CHECK_NEAR(got[i].min, all[i].secs / 60, 0.051);
			CHECK_NEAR(got[i].m, all[i].m, 0.51);
		}
		/* the asset off the network (food 95, dental 300) is named */
		CHECK_CONTAINS(err, "not on the walking network");
		CHECK_CONTAINS(err, "300 A300");
		/* 90 before 91: the same place, the smaller id first */
		for (i = 0; i + 1 < ng; i++)
			CHECK(!(got[i].id == 91 && got[i + 1].id == 90));
		test_row_end(before, q, rows[q].within ? rows[q].within : "-",
			     __FILE__, __LINE__);
		free(out);
		free(err);
	}
	/* more than 10 assets and no limit: the ranking went past the
	 * nearest few */
	CHECK(na > 10);
	free(all);
	free(dt);
	free(dl);
	ref_free(&r);
	core_ws_close(ws);
}

/* The place itself off the network is an error; so is a time with
 * --by line, and a missing network. */
static void test_near_errors(void)
{
	struct cand c;
	struct core_ws *ws;
	char *out = NULL, *err = NULL;

	if (!test_have_cli())
		return;
	ws = net_ws("near_errors.db", 10, &c);
	if (!ws)
		return;
	CHECK_INT(run(ws, "near --at 36.95,-120.65 --by walk", &out, &err), 1);
	CHECK_CONTAINS(err, "is not on the walking network: farther than "
			    "1km from every road walking may use");
	CHECK_STR(out, "");
	free(out);
	free(err);
	/* around one's own asset: off the network, an error naming it;
	 * on it, the asset at the same place first, itself left out */
	CHECK_INT(run(ws, "near --from 300 --by walk", &out, &err), 1);
	CHECK_CONTAINS(err, "near: asset 300 (");
	CHECK_CONTAINS(err, "is not on the walking network");
	free(out);
	free(err);
	CHECK_INT(run(ws, "near --from 90 --by walk --format csv", &out, &err),
		  0);
	CHECK_CONTAINS(out, "\n1,");
	CHECK(strstr(out, ",91,A91,") != NULL &&
	      strstr(out, ",91,A91,") < strstr(out, "\n2,"));
	CHECK(strstr(out, ",90,A90,") == NULL);
	free(out);
	free(err);
	/* a larger --snap reaches it */
	CHECK_INT(
	    run(ws, "near --at 36.99,-120.60 --by walk --snap 2km", &out, &err),
	    0);
	free(out);
	free(err);
	CHECK_INT(run(ws, "near --at 37.01,-120.59 --within 20min", &out, &err),
		  2);
	CHECK_CONTAINS(err, "--within 20min is a time: add --by walk");
	free(out);
	free(err);
	test_exec(ws, "DELETE FROM road_graphs WHERE mode = 'walk'");
	CHECK_INT(run(ws, "near --at 37.01,-120.59 --by walk", &out, &err), 1);
	CHECK_CONTAINS(err, "no road network in the workspace: run 'assetmap "
			    "import roads FILE.osm.pbf'");
	free(out);
	free(err);
	core_ws_close(ws);
}

static const struct test tests[] = {TEST(test_snap_matches_brute_force),
				    TEST(test_nearest_drive),
				    TEST(test_nearest_walk),
				    TEST(test_nearest_areas_walk),
				    TEST(test_coverage_drive),
				    TEST(test_near_walk),
				    TEST(test_near_errors),
				    {0}};

int main(void)
{
	int rc = test_main("net_nearest", tests);

	test_libs_shutdown();
	return rc;
}
