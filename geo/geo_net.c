/*
 * geo_net.c - travel on the road network (geo_net.h).
 *
 * PLACEHOLDER: the mode names are real; building, loading and searching
 * are being written on branch t-net and fail here with CORE_EFAIL.
 */
#include "geo/geo_net.h"

#include <stdlib.h>
#include <strings.h>

static const char *const mode_names[GEO_MODE_COUNT] = {"line", "walk", "bike",
						       "drive"};
static const char *const mode_verbs[GEO_MODE_COUNT] = {
    "straight line", "walking", "cycling", "driving"};

int geo_mode_parse(const char *s, enum geo_mode *m)
{
	static const struct {
		const char *name;
		enum geo_mode mode;
	} names[] = {{"line", GEO_MODE_LINE},	  {"straight", GEO_MODE_LINE},
		     {"walk", GEO_MODE_WALK},	  {"walking", GEO_MODE_WALK},
		     {"bike", GEO_MODE_BIKE},	  {"cycling", GEO_MODE_BIKE},
		     {"drive", GEO_MODE_DRIVE}, {"driving", GEO_MODE_DRIVE}};
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(s, names[i].name) == 0) {
			*m = names[i].mode;
			return 0;
		}
	return -1;
}

const char *geo_mode_name(enum geo_mode m)
{
	return (unsigned)m < GEO_MODE_COUNT ? mode_names[m] : "?";
}

const char *geo_mode_verb(enum geo_mode m)
{
	return (unsigned)m < GEO_MODE_COUNT ? mode_verbs[m] : "?";
}

double geo_net_access_mps(enum geo_mode m)
{
	switch (m) {
	case GEO_MODE_BIKE:
		return GEO_NET_BIKE_MPS;
	case GEO_MODE_DRIVE:
		return GEO_NET_ACCESS_DRIVE_MPS;
	default:
		return GEO_NET_WALK_MPS;
	}
}

int geo_net_load(struct core_ws *ws, enum geo_mode mode, struct geo_proj *proj,
		 struct geo_net **out, struct core_err *err)
{
	(void)ws;
	(void)mode;
	(void)proj;
	*out = NULL;
	return core_err_set(err, CORE_EFAIL,
			    "road networks are not built yet (branch t-net)");
}

void geo_net_free(struct geo_net *net)
{
	free(net);
}

size_t geo_net_nnodes(const struct geo_net *net)
{
	(void)net;
	return 0;
}

size_t geo_net_nsegs(const struct geo_net *net)
{
	(void)net;
	return 0;
}
