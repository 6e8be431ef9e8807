/*
 * imp_roads.c - import roads: OpenStreetMap ways into the walking,
 * cycling and driving graphs (imp_roads.h has the rules).
 */
#include "importers/imp_roads.h"

#include <ctype.h>
#include <geodesic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

#include "core/core_hash.h"
#include "core/core_mem.h"
#include "core/core_progress.h"

/* ---------------------------------------------------------------------
 * The table of highway classes
 * ------------------------------------------------------------------ */

/* Whether a mode may use a class: never, always (unless access tags
 * forbid), or only when its own tag says yes. */
enum { NEVER = 0, YES = 1, TAGGED = 2 };

struct road_class {
	const char *name;
	unsigned char walk, bike, drive;
	double kmh; /* driving default */
};

/*
 * IMP_ROADS_CLASSES: the highway values the graphs use.  The driving
 * defaults are typical US speeds (km/h): a motorway 65 mph, a trunk
 * 55 mph, a primary 40 mph, a secondary 35 mph, a tertiary 30 mph,
 * residential, unclassified and road 25 mph, a service road 12 mph, a
 * living street 10 mph; links a little below their road.  README.md
 * repeats this table: change both.
 */
static const struct road_class classes[] = {
    {"motorway", NEVER, NEVER, YES, 105},
    {"motorway_link", NEVER, NEVER, YES, 65},
    {"trunk", TAGGED, TAGGED, YES, 90},
    {"trunk_link", TAGGED, TAGGED, YES, 55},
    {"primary", YES, YES, YES, 65},
    {"primary_link", YES, YES, YES, 50},
    {"secondary", YES, YES, YES, 55},
    {"secondary_link", YES, YES, YES, 45},
    {"tertiary", YES, YES, YES, 50},
    {"tertiary_link", YES, YES, YES, 40},
    {"unclassified", YES, YES, YES, 40},
    {"residential", YES, YES, YES, 40},
    {"road", YES, YES, YES, 40},
    {"living_street", YES, YES, YES, 15},
    {"service", YES, YES, YES, 20},
    {"track", YES, YES, TAGGED, 20},
    {"cycleway", YES, YES, NEVER, 0},
    {"path", YES, YES, NEVER, 0},
    {"footway", YES, TAGGED, NEVER, 0},
    {"pedestrian", YES, TAGGED, NEVER, 0},
    {"bridleway", TAGGED, TAGGED, NEVER, 0},
    {"steps", YES, NEVER, NEVER, 0},
    {"corridor", YES, NEVER, NEVER, 0},
    {NULL, 0, 0, 0, 0}};

static const struct road_class *class_find(const char *hw)
{
	const struct road_class *c;

	if (!hw)
		return NULL;
	for (c = classes; c->name; c++)
		if (strcmp(c->name, hw) == 0)
			return c;
	return NULL;
}

static unsigned char class_perm(const struct road_class *c, enum geo_mode m)
{
	switch (m) {
	case GEO_MODE_WALK:
		return c->walk;
	case GEO_MODE_BIKE:
		return c->bike;
	case GEO_MODE_DRIVE:
		return c->drive;
	default:
		return NEVER;
	}
}

double imp_roads_drive_kmh(const char *highway)
{
	const struct road_class *c = class_find(highway);

	return c && c->drive ? c->kmh : 0;
}

static const char *const skip_names[IMP_ROADS_SKIP_COUNT] = {
    "not a road",
    "under construction or proposed",
    "an area",
    "a kind of way no mode uses",
    "closed by access tags",
    "without two distinct points",
    "tags not readable"};

const char *imp_roads_skip_name(enum imp_roads_skip r)
{
	return (unsigned)r < IMP_ROADS_SKIP_COUNT ? skip_names[r] : "?";
}

/* ---------------------------------------------------------------------
 * Tags
 * ------------------------------------------------------------------ */

static void tags_push(struct imp_roads_tags *t, const char *k, const char *v)
{
	if (t->n * 2 + 2 > t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->kv = xrealloc(t->kv, t->cap * sizeof(*t->kv));
	}
	t->kv[t->n * 2] = k;
	t->kv[t->n * 2 + 1] = v;
	t->n++;
}

/* A quoted string at *s ('"' ... '"', with '\' escaping the next
 * character) copied unescaped to *out; *s moves past it.  -1 when *s is
 * not one. */
static int quoted(const char **s, char **out)
{
	const char *p = *s;

	if (*p != '"')
		return -1;
	p++;
	while (*p && *p != '"') {
		if (*p == '\\') {
			p++;
			if (!*p)
				return -1;
		}
		*(*out)++ = *p++;
	}
	if (*p != '"')
		return -1;
	*(*out)++ = '\0';
	*s = p + 1;
	return 0;
}

int imp_roads_tags_set(struct imp_roads_tags *t, const char *highway,
		       const char *other_tags)
{
	size_t need = other_tags ? strlen(other_tags) + 1 : 1;
	const char *s = other_tags;
	char *o;

	t->n = 0;
	if (highway && *highway)
		tags_push(t, "highway", highway);
	if (!s || !*s)
		return 0;
	if (need > t->bufcap) {
		t->bufcap = need;
		free(t->buf);
		t->buf = xmalloc(need);
	}
	o = t->buf;
	for (;;) {
		char *k = o, *v;

		while (*s == ' ')
			s++;
		if (quoted(&s, &o))
			return -1;
		while (*s == ' ')
			s++;
		if (s[0] != '=' || s[1] != '>')
			return -1;
		s += 2;
		while (*s == ' ')
			s++;
		v = o;
		if (quoted(&s, &o))
			return -1;
		tags_push(t, k, v);
		while (*s == ' ')
			s++;
		if (!*s)
			return 0;
		if (*s != ',')
			return -1;
		s++;
	}
}

void imp_roads_tags_release(struct imp_roads_tags *t)
{
	free(t->kv);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

const char *imp_roads_tag(const struct imp_roads_tags *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->kv[2 * i], key) == 0)
			return t->kv[2 * i + 1];
	return NULL;
}

/* ---------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------ */

/* A plain decimal number (digits, at most one '.') at *s; *s moves past
 * it.  -1 when there is none. */
static double decimal(const char **s)
{
	const char *p = *s;
	double v = 0, scale = 1;
	int digits = 0, dot = 0;

	for (;; p++) {
		if (*p >= '0' && *p <= '9') {
			if (dot)
				scale /= 10;
			v = v * 10 + (*p - '0');
			digits++;
		} else if (*p == '.' && !dot) {
			dot = 1;
		} else {
			break;
		}
	}
	if (!digits)
		return -1;
	*s = p;
	return v * scale;
}

static int word_is(const char *s, const char *w)
{
	return s && strcmp(s, w) == 0;
}

int imp_roads_maxspeed(const char *s, double *kmh)
{
	double v, f = 1;
	const char *p = s;

	if (!s)
		return -1;
	while (*p == ' ')
		p++;
	if (strcmp(p, "none") == 0 || strcmp(p, "signals") == 0 ||
	    strcmp(p, "variable") == 0)
		return 0;
	if ((v = decimal(&p)) < 0)
		return -1;
	while (*p == ' ')
		p++;
	if (strcmp(p, "mph") == 0)
		f = 1.609344;
	else if (strcmp(p, "knots") == 0)
		f = 1.852;
	else if (*p && strcmp(p, "km/h") != 0 && strcmp(p, "kmh") != 0 &&
		 strcmp(p, "kph") != 0)
		return -1;
	v *= f;
	if (!(v >= 1 && v <= 300))
		return -1;
	*kmh = v;
	return 1;
}

double imp_roads_duration(const char *s)
{
	const char *p = s;
	double part[3], secs = 0, v;
	int n = 0;

	if (!s)
		return -1;
	while (*p == ' ')
		p++;
	if (p[0] == 'P' && p[1] == 'T') {
		/* ISO 8601: PT1H30M, PT45M, PT90S */
		p += 2;
		if (!*p)
			return -1;
		while (*p) {
			if ((v = decimal(&p)) < 0)
				return -1;
			if (*p == 'H')
				secs += v * 3600;
			else if (*p == 'M')
				secs += v * 60;
			else if (*p == 'S')
				secs += v;
			else
				return -1;
			p++;
		}
		return secs > 0 ? secs : -1;
	}
	for (;;) {
		if ((v = decimal(&p)) < 0)
			return -1;
		part[n++] = v;
		if (*p != ':' || n == 3)
			break;
		p++;
	}
	while (*p == ' ')
		p++;
	if (*p)
		return -1;
	if (n == 1)
		secs = part[0] * 60; /* minutes */
	else if (n == 2)
		secs = part[0] * 3600 + part[1] * 60;
	else
		secs = part[0] * 3600 + part[1] * 60 + part[2];
	return secs > 0 ? secs : -1;
}

/* ---------------------------------------------------------------------
 * The rules
 * ------------------------------------------------------------------ */

/* Values of an access tag that forbid. */
static int denies(const char *v)
{
	static const char *const no[] = {
	    "no",	"private",	"agricultural", "forestry", "military",
	    "delivery", "use_sidepath", "emergency",	NULL};
	int i;

	for (i = 0; no[i]; i++)
		if (strcmp(v, no[i]) == 0)
			return 1;
	return 0;
}

/* Values of a mode's own tag that open a class it uses only when
 * tagged. */
static int opens(const char *v)
{
	return v &&
	       (strcmp(v, "yes") == 0 || strcmp(v, "designated") == 0 ||
		strcmp(v, "permissive") == 0 || strcmp(v, "official") == 0);
}

/* The access keys of a mode, most specific first; the first `own` are
 * the mode's own tags (those that open a TAGGED class). */
static const char *const *access_keys(enum geo_mode m, int *own)
{
	static const char *const walk[] = {"foot", "access", NULL};
	static const char *const bike[] = {"bicycle", "vehicle", "access",
					   NULL};
	static const char *const drive[] = {"motorcar", "motor_vehicle",
					    "vehicle", "access", NULL};

	switch (m) {
	case GEO_MODE_WALK:
		*own = 1;
		return walk;
	case GEO_MODE_BIKE:
		*own = 1;
		return bike;
	default:
		*own = 2;
		return drive;
	}
}

/* Whether mode m may use a way of permission perm with tags t. */
static int allowed(const struct imp_roads_tags *t, enum geo_mode m, int perm)
{
	int own, i;
	const char *const *keys = access_keys(m, &own);

	for (i = 0; keys[i]; i++) {
		const char *v = imp_roads_tag(t, keys[i]);
		if (!v)
			continue;
		if (perm == TAGGED)
			return i < own && opens(v);
		return !denies(v);
	}
	return perm == YES;
}

/* A oneway-like value: 1 along, -1 against, 0 both ways, 2 neither
 * (reversible), 3 not one of ours. */
static int oneway_value(const char *v)
{
	if (word_is(v, "yes") || word_is(v, "true") || word_is(v, "1"))
		return 1;
	if (word_is(v, "-1") || word_is(v, "reverse"))
		return -1;
	if (word_is(v, "no") || word_is(v, "false") || word_is(v, "0"))
		return 0;
	if (word_is(v, "reversible") || word_is(v, "alternating"))
		return 2;
	return 3;
}

static int opposite(const char *v)
{
	return v && strncmp(v, "opposite", 8) == 0;
}

/* The one-way direction for driving and for cycling. */
static void oneway_of(const struct imp_roads_tags *t, const char *hw,
		      struct imp_roads_note *note, int *drive, int *bike)
{
	const char *ow = imp_roads_tag(t, "oneway");
	const char *j = imp_roads_tag(t, "junction");
	const char *ob = imp_roads_tag(t, "oneway:bicycle");
	int d = 0, b;

	if (ow) {
		d = oneway_value(ow);
		if (d == 3) {
			note->oneway_unread = 1;
			d = 0;
		}
	} else if (word_is(hw, "motorway") || word_is(hw, "motorway_link") ||
		   word_is(j, "roundabout") || word_is(j, "circular")) {
		d = 1;
	}
	b = d;
	if (ob && (b = oneway_value(ob)) == 3)
		b = d;
	else if (!ob && (opposite(imp_roads_tag(t, "cycleway")) ||
			 opposite(imp_roads_tag(t, "cycleway:left")) ||
			 opposite(imp_roads_tag(t, "cycleway:right")) ||
			 opposite(imp_roads_tag(t, "cycleway:both"))))
		b = 0;
	*drive = d;
	*bike = b;
}

int imp_roads_rule(const struct imp_roads_tags *t,
		   struct imp_roads_use use[GEO_MODE_COUNT],
		   struct imp_roads_note *note)
{
	const char *hw = imp_roads_tag(t, "highway");
	const struct road_class *c = NULL;
	int ferry = word_is(imp_roads_tag(t, "route"), "ferry");
	int dir_drive, dir_bike, m, any = 0, closed = 0;
	double ferry_secs = 0, kmh;

	memset(use, 0, GEO_MODE_COUNT * sizeof(*use));
	memset(note, 0, sizeof(*note));
	if (!hw && !ferry)
		return IMP_ROADS_SKIP_NOT_ROAD;
	if (!ferry && (word_is(hw, "construction") || word_is(hw, "proposed")))
		return IMP_ROADS_SKIP_BUILDING;
	if (word_is(imp_roads_tag(t, "area"), "yes"))
		return IMP_ROADS_SKIP_AREA;
	if (!ferry && !(c = class_find(hw)))
		return IMP_ROADS_SKIP_CLASS;
	oneway_of(t, ferry ? NULL : hw, note, &dir_drive, &dir_bike);
	if (ferry) {
		const char *d = imp_roads_tag(t, "duration");
		note->ferry = 1;
		if (d && (ferry_secs = imp_roads_duration(d)) < 0) {
			note->duration_unread = 1;
			ferry_secs = 0;
		}
	}

	for (m = GEO_MODE_WALK; m <= GEO_MODE_DRIVE; m++) {
		struct imp_roads_use *u = &use[m];
		int perm = ferry ? YES : class_perm(c, (enum geo_mode)m);
		int dir = m == GEO_MODE_WALK   ? 0
			  : m == GEO_MODE_BIKE ? dir_bike
					       : dir_drive;

		if (perm == NEVER)
			continue;
		if (!allowed(t, (enum geo_mode)m, perm) || dir == 2) {
			if (perm == YES)
				closed = 1;
			continue;
		}
		u->ok = 1;
		any = 1;
		u->fwd = dir != -1;
		u->bwd = dir != 1;
		if (ferry) {
			u->way_secs = ferry_secs;
			u->mps = IMP_ROADS_FERRY_KMH / 3.6;
		} else if (m == GEO_MODE_WALK) {
			u->mps = GEO_NET_WALK_MPS;
			if (word_is(hw, "steps"))
				u->mps /= 2;
		} else if (m == GEO_MODE_BIKE) {
			u->mps = GEO_NET_BIKE_MPS;
		} else {
			const char *ms = imp_roads_tag(t, "maxspeed");
			int r = ms ? imp_roads_maxspeed(ms, &kmh) : 0;
			if (r < 0)
				note->maxspeed_unread = 1;
			if (r != 1)
				kmh = c->kmh;
			u->mps = kmh / 3.6;
		}
	}
	if (any)
		return -1;
	return closed ? IMP_ROADS_SKIP_ACCESS : IMP_ROADS_SKIP_CLASS;
}

/* ---------------------------------------------------------------------
 * Nodes: every distinct vertex position
 * ------------------------------------------------------------------ */

struct nodes {
	struct core_hset set;
	double *lon, *lat;
	size_t n, cap;
};

static int node_eq(const void *ctx, uint32_t id, const void *key, size_t len)
{
	const struct nodes *ns = ctx;
	const double *k = key;

	(void)len;
	return ns->lon[id] == k[0] && ns->lat[id] == k[1];
}

/* The node at (lon, lat), made when new. */
static uint32_t node_of(struct nodes *ns, double lon, double lat)
{
	double k[2];
	uint64_t h;
	long got;

	/* -0.0 and 0.0 are the same place but not the same bits */
	k[0] = lon == 0 ? 0.0 : lon;
	k[1] = lat == 0 ? 0.0 : lat;
	h = core_hash_bytes(k, sizeof(k));
	if ((got = core_hset_find(&ns->set, h, k, sizeof(k), node_eq, ns)) >= 0)
		return (uint32_t)got;
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 4096;
		ns->lon = xrealloc(ns->lon, ns->cap * sizeof(*ns->lon));
		ns->lat = xrealloc(ns->lat, ns->cap * sizeof(*ns->lat));
	}
	ns->lon[ns->n] = k[0];
	ns->lat[ns->n] = k[1];
	core_hset_add(&ns->set, h, (uint32_t)ns->n, k, sizeof(k), node_eq, ns);
	return (uint32_t)ns->n++;
}

static void nodes_release(struct nodes *ns)
{
	core_hset_release(&ns->set);
	free(ns->lon);
	free(ns->lat);
}

/* ---------------------------------------------------------------------
 * Segments
 * ------------------------------------------------------------------ */

static void seg_add(struct imp_roads_graph *g, uint32_t a, uint32_t b,
		    double len, double sab, double sba, int64_t way)
{
	if (g->nsegs == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 4096;
		g->a = xrealloc(g->a, g->cap * sizeof(*g->a));
		g->b = xrealloc(g->b, g->cap * sizeof(*g->b));
		g->len_m = xrealloc(g->len_m, g->cap * sizeof(*g->len_m));
		g->secs_ab = xrealloc(g->secs_ab, g->cap * sizeof(*g->secs_ab));
		g->secs_ba = xrealloc(g->secs_ba, g->cap * sizeof(*g->secs_ba));
		g->way = xrealloc(g->way, g->cap * sizeof(*g->way));
	}
	g->a[g->nsegs] = a;
	g->b[g->nsegs] = b;
	g->len_m[g->nsegs] = len;
	g->secs_ab[g->nsegs] = sab;
	g->secs_ba[g->nsegs] = sba;
	g->way[g->nsegs] = way;
	g->nsegs++;
}

void imp_roads_graphs_release(struct imp_roads_graph g[GEO_MODE_COUNT])
{
	int m;

	for (m = 0; m < GEO_MODE_COUNT; m++) {
		free(g[m].lon);
		free(g[m].lat);
		free(g[m].a);
		free(g[m].b);
		free(g[m].len_m);
		free(g[m].secs_ab);
		free(g[m].secs_ba);
		free(g[m].way);
		memset(&g[m], 0, sizeof(g[m]));
	}
}

void imp_roads_stats_release(struct imp_roads_stats *st)
{
	free(st->maxspeed_example);
	st->maxspeed_example = NULL;
	geo_basemap_free(st->lines);
	st->lines = NULL;
}

void imp_roads_build_in(const struct imp_roads_graph *g, enum geo_mode m,
			struct geo_net_build_in *in)
{
	memset(in, 0, sizeof(*in));
	in->mode = m;
	in->nnodes = g->nnodes;
	in->lon = g->lon;
	in->lat = g->lat;
	in->nsegs = g->nsegs;
	in->a = g->a;
	in->b = g->b;
	in->len_m = g->len_m;
	in->secs_ab = g->secs_ab;
	in->secs_ba = g->secs_ba;
}

/* ---------------------------------------------------------------------
 * Reading the file
 * ------------------------------------------------------------------ */

struct reader {
	struct imp_source *src;
	struct imp_roads_graph *g;
	struct imp_roads_stats *st;
	struct core_err *err;
	struct imp_gdal_msgs msgs;
	struct geod_geodesic geod;
	struct nodes nodes;
	struct imp_roads_tags tags;
	uint32_t *ids; /* a way's node ids */
	double *lens;  /* its segments' lengths */
	size_t idcap;
	GDALDatasetH ds;
	OGRLayerH lyr;
	int f_highway, f_other, f_id, f_name;
	double *bx, *by; /* a way's points for the basemap */
	size_t bcap;
};

/* One way's pieces into every mode that may use it. */
static void add_way(struct reader *r, OGRGeometryH geom, int64_t osm_id,
		    const struct imp_roads_use *use)
{
	int np = OGR_G_GetPointCount(geom), i, m;
	size_t k, nseg = 0;
	double total = 0;

	if ((size_t)np > r->idcap) {
		r->idcap = (size_t)np * 2;
		r->ids = xrealloc(r->ids, r->idcap * sizeof(*r->ids));
		r->lens = xrealloc(r->lens, r->idcap * sizeof(*r->lens));
	}
	for (i = 0; i < np; i++) {
		uint32_t id = node_of(&r->nodes, OGR_G_GetX(geom, i),
				      OGR_G_GetY(geom, i));
		if (i == 0)
			r->ids[0] = id;
		else if (id != r->ids[nseg]) /* else a repeated vertex */
			r->ids[++nseg] = id;
	}
	/* r->ids[0..nseg] are the way's distinct consecutive nodes */
	for (k = 0; k < nseg; k++) {
		double s12;
		geod_inverse(&r->geod, r->nodes.lat[r->ids[k]],
			     r->nodes.lon[r->ids[k]],
			     r->nodes.lat[r->ids[k + 1]],
			     r->nodes.lon[r->ids[k + 1]], &s12, NULL, NULL);
		r->lens[k] = s12;
		total += s12;
	}
	for (m = GEO_MODE_WALK; m <= GEO_MODE_DRIVE; m++) {
		const struct imp_roads_use *u = &use[m];
		if (!u->ok)
			continue;
		r->st->used[m]++;
		for (k = 0; k < nseg; k++) {
			double secs = u->way_secs > 0 && total > 0
					  ? u->way_secs * r->lens[k] / total
					  : r->lens[k] / u->mps;
			seg_add(&r->g[m], r->ids[k], r->ids[k + 1], r->lens[k],
				u->fwd ? secs : INFINITY,
				u->bwd ? secs : INFINITY, osm_id);
		}
	}
}

/* Whether geom is a line with two distinct points. */
static int line_ok(OGRGeometryH geom)
{
	int i, np;

	if (!geom || wkbFlatten(OGR_G_GetGeometryType(geom)) != wkbLineString)
		return 0;
	np = OGR_G_GetPointCount(geom);
	for (i = 1; i < np; i++)
		if (OGR_G_GetX(geom, i) != OGR_G_GetX(geom, 0) ||
		    OGR_G_GetY(geom, i) != OGR_G_GetY(geom, 0))
			return 1;
	return 0;
}

/* A way of a class a basemap draws, kept with its name. */
static void basemap_way(struct reader *r, OGRFeatureH f, const char *hw)
{
	OGRGeometryH geom = OGR_F_GetGeometryRef(f);
	int kind = geo_basemap_road_kind(hw), np, i;

	if (kind < 0 || !line_ok(geom))
		return;
	np = OGR_G_GetPointCount(geom);
	if ((size_t)np > r->bcap) {
		r->bcap = (size_t)np * 2;
		r->bx = xrealloc(r->bx, r->bcap * sizeof(*r->bx));
		r->by = xrealloc(r->by, r->bcap * sizeof(*r->by));
	}
	for (i = 0; i < np; i++) {
		r->bx[i] = OGR_G_GetX(geom, i);
		r->by[i] = OGR_G_GetY(geom, i);
	}
	geo_basemap_add_line(r->st->lines, (enum geo_bm_kind)kind,
			     r->f_name >= 0 &&
				     OGR_F_IsFieldSetAndNotNull(f, r->f_name)
				 ? OGR_F_GetFieldAsString(f, r->f_name)
				 : NULL,
			     r->bx, r->by, (size_t)np);
}

/* One feature of layer lines. */
static void one_way(struct reader *r, OGRFeatureH f)
{
	struct imp_roads_use use[GEO_MODE_COUNT];
	struct imp_roads_note note;
	const char *hw = NULL, *other = NULL;
	OGRGeometryH geom;
	int why;

	if (r->f_highway >= 0 && OGR_F_IsFieldSetAndNotNull(f, r->f_highway))
		hw = OGR_F_GetFieldAsString(f, r->f_highway);
	if (r->f_other >= 0 && OGR_F_IsFieldSetAndNotNull(f, r->f_other))
		other = OGR_F_GetFieldAsString(f, r->f_other);
	basemap_way(r, f, hw);
	if (imp_roads_tags_set(&r->tags, hw, other)) {
		r->st->skipped[IMP_ROADS_SKIP_TAGS]++;
		return;
	}
	why = imp_roads_rule(&r->tags, use, &note);
	if (why >= 0) {
		r->st->skipped[why]++;
		return;
	}
	geom = OGR_F_GetGeometryRef(f);
	if (!line_ok(geom)) {
		r->st->skipped[IMP_ROADS_SKIP_GEOMETRY]++;
		return;
	}
	if (note.maxspeed_unread && use[GEO_MODE_DRIVE].ok) {
		r->st->maxspeed_unread++;
		if (!r->st->maxspeed_example)
			r->st->maxspeed_example =
			    xstrdup(imp_roads_tag(&r->tags, "maxspeed"));
	}
	r->st->oneway_unread += note.oneway_unread;
	r->st->ferries += note.ferry;
	r->st->duration_unread += note.duration_unread;
	r->st->used_any++;
	r->src->rows_accepted++;
	add_way(r, geom,
		r->f_id >= 0 ? (int64_t)OGR_F_GetFieldAsInteger64(f, r->f_id)
			     : (int64_t)OGR_F_GetFID(f),
		use);
}

/* Open the file with GDAL's OSM driver and find layer lines. */
static int open_osm(struct reader *r, const char *path)
{
	static const char *const drivers[] = {"OSM", NULL};
	struct imp_utf8 u;
	OGRFeatureDefnH defn;
	OGRLayerH res;
	int rc;

	if ((rc = imp_source_scan(r->src, path, 0, &u, r->err)))
		return rc;
	r->ds = GDALOpenEx(r->src->path, GDAL_OF_VECTOR | GDAL_OF_READONLY,
			   drivers, NULL, NULL);
	if (!r->ds)
		return core_err_set(
		    r->err, CORE_EFORMAT,
		    "%s is not an OpenStreetMap file GDAL can read; give an "
		    "extract as .osm.pbf (Geofabrik, BBBike) or .osm XML%s%s",
		    r->src->name, r->msgs.last[0] ? ": " : "", r->msgs.last);
	free(r->src->format);
	r->src->format = xstrdup("OSM");
	imp_source_publisher(r->src, "\xc2\xa9 OpenStreetMap contributors",
			     NULL, NULL);
	r->lyr = GDALDatasetGetLayerByName(r->ds, "lines");
	if (!r->lyr)
		return core_err_set(r->err, CORE_EFORMAT,
				    "%s has no layer 'lines' (OSM ways) for "
				    "GDAL's OSM driver to read",
				    r->src->name);
	free(r->src->layer);
	r->src->layer = xstrdup("lines");
	/* read only the ways: the driver then needs no interleaving */
	res = GDALDatasetExecuteSQL(r->ds, "SET interest_layers = lines", NULL,
				    NULL);
	if (res)
		GDALDatasetReleaseResultSet(r->ds, res);
	defn = OGR_L_GetLayerDefn(r->lyr);
	r->f_highway = OGR_FD_GetFieldIndex(defn, "highway");
	r->f_other = OGR_FD_GetFieldIndex(defn, "other_tags");
	r->f_id = OGR_FD_GetFieldIndex(defn, "osm_id");
	r->f_name = OGR_FD_GetFieldIndex(defn, "name");
	if (r->f_highway < 0 || r->f_other < 0)
		return core_err_set(
		    r->err, CORE_EFORMAT,
		    "%s: GDAL's OSM driver gives no field %s in layer lines; "
		    "is OSM_CONFIG_FILE set to a configuration without it?",
		    r->src->name, r->f_highway < 0 ? "highway" : "other_tags");
	return CORE_OK;
}

/* The error for a file GDAL failed to read to its end: a PBF or XML
 * file cut short (a download that stopped) or damaged. */
static int damaged(const struct imp_source *src, const struct imp_gdal_msgs *m,
		   struct core_err *err)
{
	char after[64] = "";

	if (src->rows_read > 0)
		snprintf(after, sizeof after, "after %lld way%s; ",
			 (long long)src->rows_read,
			 src->rows_read == 1 ? "" : "s");
	return core_err_set(
	    err, CORE_EFORMAT,
	    "cannot read %s: it is cut short or damaged (%sGDAL: "
	    "%s); download or cut the extract again",
	    src->name, after, m->last[0] ? m->last : "no message");
}

/* Per mode: number the nodes its segments use, 0 .. nnodes-1. */
static void localise(struct reader *r)
{
	uint32_t *map = xmalloc((r->nodes.n ? r->nodes.n : 1) * sizeof(*map));
	int m;
	size_t i;

	for (m = GEO_MODE_WALK; m <= GEO_MODE_DRIVE; m++) {
		struct imp_roads_graph *g = &r->g[m];
		size_t n = 0;

		memset(map, 0xff, (r->nodes.n ? r->nodes.n : 1) * sizeof(*map));
		for (i = 0; i < g->nsegs; i++) {
			uint32_t *e[2] = {&g->a[i], &g->b[i]};
			int k;
			for (k = 0; k < 2; k++) {
				if (map[*e[k]] == UINT32_MAX)
					map[*e[k]] = (uint32_t)n++;
				*e[k] = map[*e[k]];
			}
		}
		g->nnodes = n;
		g->lon = xmalloc((n ? n : 1) * sizeof(*g->lon));
		g->lat = xmalloc((n ? n : 1) * sizeof(*g->lat));
		for (i = 0; i < r->nodes.n; i++)
			if (map[i] != UINT32_MAX) {
				g->lon[map[i]] = r->nodes.lon[i];
				g->lat[map[i]] = r->nodes.lat[i];
			}
		r->st->cand_nodes[m] = g->nnodes;
		r->st->cand_segs[m] = g->nsegs;
	}
	free(map);
}

int imp_roads_read(const char *path, struct imp_source *src,
		   struct imp_roads_graph g[GEO_MODE_COUNT],
		   struct imp_roads_stats *st, struct core_err *err)
{
	struct reader r;
	struct core_progress prog;
	char *label = NULL;
	OGRFeatureH f;
	int rc;

	memset(&r, 0, sizeof(r));
	memset(&prog, 0, sizeof(prog));
	memset(st, 0, sizeof(*st));
	memset(g, 0, GEO_MODE_COUNT * sizeof(*g));
	r.src = src;
	r.g = g;
	r.st = st;
	r.err = err;
	st->lines = geo_basemap_new();
	src->csv_lines = 0;
	geod_init(&r.geod, 6378137.0, 1 / 298.257223563);
	imp_gdal_init();
	imp_gdal_push(&r.msgs);

	if ((rc = open_osm(&r, path)))
		goto cleanup;
	imp_layer_start(r.lyr, src, &prog, &label);
	for (;;) {
		int before = r.msgs.failures;
		f = imp_layer_next(r.lyr, src, &r.msgs, &rc, err);
		if (!f)
			break;
		if (r.msgs.failures != before) {
			OGR_F_Destroy(f);
			rc = damaged(src, &r.msgs, err);
			break;
		}
		one_way(&r, f);
		OGR_F_Destroy(f);
		if (r.nodes.n >= UINT32_MAX - 1) {
			rc = core_err_set(err, CORE_EFORMAT,
					  "%s has more than 4 billion road "
					  "vertices; cut a smaller extract "
					  "(osmium extract)",
					  src->name);
			break;
		}
		core_progress_tick(&prog, src->rows_read);
	}
	core_progress_end(&prog);
	if (rc == CORE_EFORMAT && r.msgs.failures)
		rc = damaged(src, &r.msgs, err);
	if (rc)
		goto cleanup;
	st->ways = src->rows_read;
	if (r.msgs.failures) {
		rc = damaged(src, &r.msgs, err);
		goto cleanup;
	}
	if (st->used_any == 0) {
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "%s holds no road, path or ferry any mode may use: "
		    "%lld way%s read (layer lines, highway)",
		    src->name, (long long)src->rows_read,
		    src->rows_read == 1 ? "" : "s");
		goto cleanup;
	}
	st->vertices = (int64_t)r.nodes.n;
	localise(&r);
cleanup:
	if (r.ds)
		GDALClose(r.ds);
	imp_gdal_pop();
	free(label);
	nodes_release(&r.nodes);
	imp_roads_tags_release(&r.tags);
	free(r.ids);
	free(r.lens);
	free(r.bx);
	free(r.by);
	return rc;
}

/* ---------------------------------------------------------------------
 * The import
 * ------------------------------------------------------------------ */

/* Delete every earlier roads source (their graphs go with them). */
static int drop_old(struct core_ws *ws, struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = core_ws_prepare(ws, err, &st,
				  "DELETE FROM sources WHERE kind = 'roads'")))
		return rc;
	rc = core_ws_step(ws, err, st);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if ((rc = core_ws_prepare(ws, err, &st, "DELETE FROM road_graphs")))
		return rc;
	rc = core_ws_step(ws, err, st);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if ((rc = core_ws_prepare(ws, err, &st, "DELETE FROM road_lines")))
		return rc;
	rc = core_ws_step(ws, err, st);
	sqlite3_finalize(st);
	return rc;
}

int imp_roads_import(struct core_ws *ws, const char *path,
		     struct imp_source *src, struct imp_roads_stats *st,
		     struct core_err *err)
{
	struct imp_roads_graph g[GEO_MODE_COUNT];
	int rc, m, began = 0, stored = 0;

	if ((rc = imp_roads_read(path, src, g, st, err)))
		goto cleanup;
	if ((rc = core_ws_begin(ws, err)))
		goto cleanup;
	began = 1;
	if ((rc = drop_old(ws, err)) || (rc = imp_source_open(ws, src, err)) ||
	    (rc = geo_basemap_save(ws, src->id, st->lines, err)))
		goto cleanup;
	for (m = GEO_MODE_WALK; m <= GEO_MODE_DRIVE; m++) {
		struct geo_net_build_in in;
		unsigned char *blob = NULL;
		size_t len = 0;

		imp_roads_build_in(&g[m], (enum geo_mode)m, &in);
		if (in.nsegs == 0)
			continue;
		rc = geo_net_build(&in, &st->net[m], &blob, &len, err);
		if (rc == CORE_EUSAGE) {
			/* nothing this mode may use: no graph, go on */
			core_err_clear(err);
			rc = CORE_OK;
			continue;
		}
		if (rc == CORE_OK)
			rc = geo_net_save(ws, (enum geo_mode)m, src->id,
					  &st->net[m], blob, len, err);
		free(blob);
		if (rc)
			goto cleanup;
		st->stored[m] = 1;
		stored++;
	}
	if (!stored) {
		rc = core_err_set(err, CORE_EFORMAT,
				  "%s: no mode has a road it may use",
				  src->name);
		goto cleanup;
	}
	if ((rc = imp_source_close(ws, src, err)))
		goto cleanup;
	rc = core_ws_commit(ws, err);
cleanup:
	if (rc && began)
		core_ws_rollback(ws);
	imp_source_end_rejects(src);
	imp_roads_graphs_release(g);
	return rc;
}
