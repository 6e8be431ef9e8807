/*
 * geo_standards.c - time-or-distance access standards.  See
 * geo_standards.h.
 */
#include "geo/geo_standards.h"

#include <math.h>
#include <stdlib.h>

#include "core/core_mem.h"
#include "geo/geo_gaps.h"

/* One part of the standard on the network: the nearest asset by weight
 * w for every placed person; flag where its cost is within limit. */
static int net_part(const struct geo_net *net, enum geo_net_weight w,
		    double limit, size_t m, const struct geo_snap *asnap,
		    size_t n, const struct geo_snap *psnap, unsigned char flag,
		    unsigned char *out, double *cost, struct core_err *err)
{
	struct geo_net_cost *c = xmalloc((n + 1) * sizeof(*c));
	size_t *which = xmalloc((n + 1) * sizeof(*which)), i;
	int rc;

	/* no limit: the costs are kept for the caller, and one
	 * multi-source search costs the same either way */
	rc = geo_net_nearest(net, w, m, asnap, n, psnap, INFINITY, which, c,
			     err);
	for (i = 0; rc == CORE_OK && i < n; i++) {
		double v = psnap[i].seg < 0 ? NAN : c[i].cost;

		if (v <= limit)
			out[i] |= flag;
		if (cost)
			cost[i] = v;
	}
	free(c);
	free(which);
	return rc;
}

int geo_standards_net(const struct geo_net *net, const struct geo_standard *s,
		      size_t m, const struct geo_snap *asnap, size_t n,
		      const struct geo_snap *psnap, unsigned char *out,
		      double *secs, double *metres, struct core_err *err)
{
	size_t i;
	int rc = CORE_OK;

	for (i = 0; i < n; i++) {
		out[i] = psnap[i].seg < 0 ? GEO_STD_UNPLACED : 0;
		if (secs)
			secs[i] = NAN;
		if (metres)
			metres[i] = NAN;
	}
	if (!isnan(s->seconds))
		rc = net_part(net, GEO_NET_TIME, s->seconds, m, asnap, n, psnap,
			      GEO_STD_BY_TIME, out, secs, err);
	if (rc == CORE_OK && !isnan(s->metres))
		rc = net_part(net, GEO_NET_LENGTH, s->metres, m, asnap, n,
			      psnap, GEO_STD_BY_DIST, out, metres, err);
	return rc;
}

void geo_standards_line(const struct geo_standard *s, size_t m,
			const double *ax, const double *ay, size_t n,
			const double *px, const double *py, unsigned char *out,
			double *metres)
{
	double *d = xmalloc((n + 1) * sizeof(*d));
	size_t i;

	geo_gaps_nearest(m, ax, ay, n, px, py, d, NULL);
	for (i = 0; i < n; i++) {
		if (isnan(px[i]) || isnan(py[i]))
			out[i] = GEO_STD_UNPLACED;
		else
			out[i] = d[i] <= s->metres ? GEO_STD_BY_DIST : 0;
		if (metres)
			metres[i] = d[i];
	}
	free(d);
}
