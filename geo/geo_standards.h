/*
 * geo_standards.h - time-or-distance access standards (Medi-Cal network
 * adequacy: "10 miles or 30 minutes" from a member to the nearest
 * provider of a type): does each person meet the standard?
 *
 * A standard is a distance, a time, or both; with both a person meets it
 * when either is met (the nearest asset by time within the time, OR the
 * nearest asset by distance within the distance: two searches, since the
 * fastest asset need not be the nearest).  A cost exactly at the limit
 * meets it.  On the road network the costs are door to door
 * (geo_net.h): the time from geo_net_nearest with GEO_NET_TIME, the
 * distance from geo_net_nearest with GEO_NET_LENGTH.  In straight lines
 * (no network) only a distance can be given.
 */
#ifndef GEO_STANDARDS_H
#define GEO_STANDARDS_H

#include <stddef.h>

#include "core/core_err.h"
#include "geo/geo_net.h"

/* A standard: NaN for a part not given (at least one is). */
struct geo_standard {
	double metres;
	double seconds;
};

/* Per person, or'ed: */
#define GEO_STD_BY_DIST 1 /* the nearest asset by distance is within it */
#define GEO_STD_BY_TIME 2 /* the fastest asset is within the time */
#define GEO_STD_UNPLACED                                                       \
	4 /* not placed on the network (or no location):                       \
	     meets nothing */
#define GEO_STD_MEETS(v) (((v) & (GEO_STD_BY_DIST | GEO_STD_BY_TIME)) != 0)

/*
 * On the network: n people (psnap) against m assets (asnap), both from
 * geo_net_snap; assets not placed are skipped.  out[n] gets the flags
 * above; secs[n] and metres[n] (either may be NULL) the costs of the
 * fastest and of the shortest trip to an asset (+inf: none reached, NaN:
 * that part of the standard not given, or the person not placed).
 * Returns CORE_OK or geo_net_nearest's error.
 */
int geo_standards_net(const struct geo_net *net, const struct geo_standard *s,
		      size_t m, const struct geo_snap *asnap, size_t n,
		      const struct geo_snap *psnap, unsigned char *out,
		      double *secs, double *metres, struct core_err *err);

/*
 * In straight lines (s->metres only; s->seconds must be NaN): n people
 * (px, py) against m assets (ax, ay), metres in the analysis CRS.  A
 * person with a NaN coordinate is GEO_STD_UNPLACED.  metres[n] (may be
 * NULL) gets the distance to the nearest asset (+inf with no asset).
 */
void geo_standards_line(const struct geo_standard *s, size_t m,
			const double *ax, const double *ay, size_t n,
			const double *px, const double *py, unsigned char *out,
			double *metres);

#endif
