/*
 * net_speed.c - how fast the road network engine is (geo/geo_net.h): a
 * timing check, not a test.  Builds a synthetic walking grid of about
 * 300,000 nodes (548 x 548 streets 60 m apart near Oakland, jittered,
 * some blocks missing, some diagonals), encodes, decodes and projects it
 * (LAEA), then times
 *   - snapping 1,000,000 random places;
 *   - nearest by walking for the 1M places, 8 categories of 12,500
 *     sources each (one multi-source search per category);
 *   - 8,000 reach searches bounded at 30 minutes (FROM, to 12,500
 *     targets), on every core, one search state per worker.
 * ASSETMAP_THREADS sets the number of workers (default: every core).
 *
 *   make build/rel/libassetmap.a
 *   cc -O2 -I. bench/net_speed.c build/rel/libassetmap.a -o net_speed \
 *       $(pkg-config --libs gdal proj geos sqlite3 spatialite cairo \
 *         pangocairo json-c libcrypto) -lm -pthread
 *   ./net_speed [SIDE]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_mem.h"
#include "geo/geo_net.h"
#include "geo/geo_par.h"
#include "geo/geo_proj.h"

/* CPU seconds of the whole process (every thread): on a shared machine
 * the wall clock says more about the neighbours than about us. */
static double cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double c0_, w0_;

static void tick(void)
{
	c0_ = cpu();
	w0_ = wall();
}

/* "W s wall, C s CPU" since tick(); returns the CPU seconds. */
static double tock(char *buf)
{
	double c = cpu() - c0_, w = wall() - w0_;

	sprintf(buf, "%.3f s wall, %.3f s CPU", w, c);
	return c;
}

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static double urand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* Metres between two lon/lat points (spherical, for the lengths). */
static double hav(double lon1, double lat1, double lon2, double lat2)
{
	double r = 6371008.8, p = M_PI / 180;
	double dl = (lat2 - lat1) * p, dn = (lon2 - lon1) * p;
	double a = sin(dl / 2) * sin(dl / 2) +
		   cos(lat1 * p) * cos(lat2 * p) * sin(dn / 2) * sin(dn / 2);

	return 2 * r * asin(sqrt(a));
}

struct reach_job {
	const struct geo_net *net;
	const struct geo_net_targets *tg;
	const struct geo_snap *orig;
	struct geo_net_search *s[GEO_PAR_MAX];
	size_t hits[GEO_PAR_MAX];
};

static void count_hit(void *ctx, size_t t, const struct geo_net_cost *c)
{
	(void)t;
	(void)c;
	(*(size_t *)ctx)++;
}

static void reach_range(void *ctx, size_t b, size_t e, int w)
{
	struct reach_job *j = ctx;
	size_t i;

	if (!j->s[w])
		j->s[w] = geo_net_search_new(j->net);
	for (i = b; i < e; i++)
		geo_net_reach(j->s[w], j->tg, GEO_NET_TIME, GEO_NET_FROM,
			      &j->orig[i], 1800, count_hit, &j->hits[w]);
}

int main(int argc, char **argv)
{
	int side = argc > 1 ? atoi(argv[1]) : 548, x, y, k;
	size_t nn = (size_t)side * (size_t)side, ns = 0, cap = 3 * nn, i;
	double lon0 = -122.35, lat0 = 37.70, dlon = 60 / 88000.0,
	       dlat = 60 / 111000.0;
	double *lon = xmalloc(nn * sizeof *lon),
	       *lat = xmalloc(nn * sizeof *lat);
	double *len = xmalloc(cap * sizeof *len),
	       *ab = xmalloc(cap * sizeof *ab);
	double *ba = xmalloc(cap * sizeof *ba);
	uint32_t *a = xmalloc(cap * sizeof *a), *b = xmalloc(cap * sizeof *b);
	struct geo_net_build_in in;
	struct geo_net_stats st;
	struct core_err err = CORE_ERR_INIT;
	unsigned char *blob = NULL;
	size_t blen = 0, np = 1000000, nsrc = 12500, nreach = 8000, miss;
	struct geo_proj *proj = NULL;
	struct geo_net *net = NULL;
	double tnear = 0, *px, *py;
	char tb[128];
	struct geo_snap *sn, *src;
	struct geo_net_cost *out;
	size_t *which, reached = 0;
	struct reach_job rj;
	struct geo_net_targets *tg;

	for (y = 0; y < side; y++)
		for (x = 0; x < side; x++) {
			i = (size_t)y * (size_t)side + (size_t)x;
			lon[i] = lon0 + dlon * (x + 0.3 * urand());
			lat[i] = lat0 + dlat * (y + 0.3 * urand());
		}
	for (y = 0; y < side; y++)
		for (x = 0; x < side; x++) {
			uint32_t v = (uint32_t)(y * side + x), u;

			for (k = 0; k < 3; k++) {
				int nx = x + (k != 1), ny = y + (k >= 1);

				if (nx >= side || ny >= side)
					continue;
				if (k == 2 && urand() > 0.05)
					continue;
				if (k < 2 && urand() < 0.04)
					continue;
				u = (uint32_t)(ny * side + nx);
				a[ns] = v;
				b[ns] = u;
				len[ns] = hav(lon[v], lat[v], lon[u], lat[u]);
				ab[ns] = ba[ns] = len[ns] / GEO_NET_WALK_MPS;
				ns++;
			}
		}
	memset(&in, 0, sizeof in);
	in.mode = GEO_MODE_WALK;
	in.nnodes = nn;
	in.lon = lon;
	in.lat = lat;
	in.nsegs = ns;
	in.a = a;
	in.b = b;
	in.len_m = len;
	in.secs_ab = ab;
	in.secs_ba = ba;
	printf("threads: %d\n", geo_par_threads());
	tick();
	if (geo_net_build(&in, &st, &blob, &blen, &err))
		goto fail;
	tock(tb);
	printf("build: %zu nodes, %zu segments -> kept %zu nodes, %zu "
	       "segments, %zu pieces; blob %.1f MB; %s\n",
	       nn, ns, st.nodes, st.segs, st.pieces, (double)blen / 1e6, tb);
	if (geo_proj_new_laea(lon0 + dlon * side / 2, lat0 + dlat * side / 2,
			      &proj, &err))
		goto fail;
	tick();
	if (geo_net_decode(blob, blen, proj, &net, &err))
		goto fail;
	tock(tb);
	printf("decode + project + index: %s\n", tb);

	px = xmalloc(np * sizeof *px);
	py = xmalloc(np * sizeof *py);
	sn = xmalloc(np * sizeof *sn);
	out = xmalloc(np * sizeof *out);
	which = xmalloc(np * sizeof *which);
	for (i = 0; i < np; i++) {
		px[i] = lon0 + dlon * side * urand();
		py[i] = lat0 + dlat * side * urand();
	}
	if (geo_proj_fwd_par(proj, px, py, np, 0, &err))
		goto fail;
	tick();
	miss = geo_net_snap(net, px, py, np, GEO_NET_SNAP_MAX_M, sn);
	tnear = tock(tb);
	printf("snap %zu places: %s (%zu not placed)\n", np, tb, miss);
	src = xmalloc(nsrc * sizeof *src);
	for (k = 0; k < 8; k++) {
		double sum = 0;
		size_t none = 0;

		for (i = 0; i < nsrc; i++)
			src[i] = sn[(size_t)(urand() * (double)np)];
		tick();
		if (geo_net_nearest(net, GEO_NET_TIME, nsrc, src, np, sn,
				    INFINITY, which, out, &err))
			goto fail;
		tnear += tock(tb);
		for (i = 0; i < np; i++) {
			if (which[i] == (size_t)-1)
				none++;
			else
				sum += out[i].secs;
		}
		printf("nearest, category %d (%zu sources, %zu places): "
		       "%s, mean %.1f min, %zu none\n",
		       k + 1, nsrc, np, tb, sum / 60 / (double)(np - none),
		       none);
	}
	printf("snap + nearest x 8: %.3f s CPU\n", tnear);

	tg = geo_net_targets_new(net, nsrc, src);
	memset(&rj, 0, sizeof rj);
	rj.net = net;
	rj.tg = tg;
	rj.orig = sn;
	tick();
	geo_par_for(nreach, 16, reach_range, &rj);
	tock(tb);
	for (k = 0; k < GEO_PAR_MAX; k++) {
		reached += rj.hits[k];
		geo_net_search_free(rj.s[k]);
	}
	printf("reach: %zu searches of 30 min: %s, %.1f targets each\n", nreach,
	       tb, (double)reached / (double)nreach);
	geo_net_targets_free(tg);
	free(px);
	free(py);
	free(sn);
	free(src);
	free(out);
	free(which);
	geo_net_free(net);
	geo_proj_free(proj);
	free(blob);
	free(lon);
	free(lat);
	free(len);
	free(ab);
	free(ba);
	free(a);
	free(b);
	return 0;
fail:
	fprintf(stderr, "net_speed: %s\n", err.msg);
	return 1;
}
