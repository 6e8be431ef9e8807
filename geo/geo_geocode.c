/*
 * geo_geocode.c - PLACEHOLDER so that the tree links while the matcher
 * is written on its own branch (t-match): every lookup is no match.
 * Must be replaced before issue 13 is called done.
 */
#include "geo/geo_geocode.h"

#include <math.h>
#include <stdlib.h>

#include "core/core_mem.h"

struct geo_geocoder {
	int empty;
};

const char *geo_gc_level_name(int level)
{
	static const char *const names[] = {"none",	    "address_point",
					    "interpolated", "street_range",
					    "street",	    "zip"};

	return level >= 0 && level <= GEO_GC_ZIP ? names[level] : "none";
}

int geo_geocoder_load(struct core_ws *ws, struct geo_geocoder **out,
		      struct core_err *err)
{
	(void)ws;
	(void)err;
	*out = xcalloc(1, sizeof(**out));
	(*out)->empty = 1;
	return CORE_OK;
}

void geo_geocoder_free(struct geo_geocoder *g)
{
	free(g);
}

int geo_geocoder_empty(const struct geo_geocoder *g)
{
	return g->empty;
}

void geo_geocoder_counts(const struct geo_geocoder *g, size_t *points,
			 size_t *ranges, size_t *zips)
{
	(void)g;
	*points = *ranges = *zips = 0;
}

void geo_geocode_addr(const struct geo_geocoder *g, const struct geo_addr *a,
		      const struct geo_gc_opts *opts, struct geo_gc_result *r)
{
	(void)g;
	(void)a;
	(void)opts;
	r->level = GEO_GC_NONE;
	r->lon = r->lat = NAN;
	r->score = 0;
	r->why = "no reference addresses imported";
}

void geo_geocode_text(const struct geo_geocoder *g, const char *text,
		      const struct geo_gc_opts *opts, struct geo_gc_result *r)
{
	struct geo_addr a;
	int st = geo_addr_parse(text, &a);

	if (st) {
		r->level = GEO_GC_NONE;
		r->lon = r->lat = NAN;
		r->score = 0;
		r->why = geo_addr_status_str(st);
		return;
	}
	geo_geocode_addr(g, &a, opts, r);
}
