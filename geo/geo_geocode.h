/*
 * geo_geocode.h - the offline geocoder: an address in, a point out.
 *
 * The reference data is what `import addresses` stored in the workspace
 * (tables addr_points, addr_ranges, addr_zips; see core_ws.c, schema
 * version 5).  geo_geocoder_load reads all of it into memory once, with
 * hash indexes by street name within ZIP and within city; after that a
 * lookup touches no database and allocates nothing, and any number of
 * threads may geocode at once on one geocoder.
 *
 * The cascade, first level that answers wins:
 *   GEO_GC_POINT    an address point with the same number (and suffix),
 *                   street and ZIP or city;
 *   GEO_GC_INTERP   interpolated between the two nearest address points
 *                   of the same street, side and parity that bracket the
 *                   number;
 *   GEO_GC_RANGE    a TIGER range of the street holding the number,
 *                   interpolated along the segment and offset to the
 *                   number's side;
 *   GEO_GC_STREET   the street exists in the ZIP or city but no point or
 *                   range is near the number: the midpoint of the street
 *                   segment nearest in number; only when the number is
 *                   within GEO_GC_STREET_SLACK of a known number or range
 *                   of that street, never for a number far outside them;
 *   GEO_GC_ZIP      the ZIP's centroid (also the answer for a PO box);
 *   GEO_GC_NONE     no match, with a reason.
 * A street name one letter off (one substitution, insertion, deletion or
 * transposition of adjacent letters) matches when exactly one street of
 * the ZIP or city is that close; the score says so.  Names shorter than
 * four characters and names holding a digit (ordinals are digits after
 * normalisation: "16" is not a typo of "15") never match a typo.  A
 * street that does not exist is never given a street-level point.
 *
 * Where the street is looked for:
 *   - ZIP given: the street within that ZIP; when it is not there (or
 *     has nothing near the number) and a city is given too, within the
 *     city, scored lower (the ZIP disagrees with the reference);
 *   - city only: within the city.  Records without a city take the city
 *     of their ZIP (addr_zips);
 *   - neither (or a city when the reference knows no cities at all):
 *     the street anywhere, only when its name lies in one city (or, the
 *     reference having no cities, one ZIP); else no match, "ambiguous
 *     street".
 *   A ZIP or city the reference does not know is no match, never a
 *     guess elsewhere.
 *
 * Streets of one name ("16 ST" and "16 AVE", "FRANKLIN ST E" and
 * "FRANKLIN ST W") are variants of it.  When the query's type and
 * directionals name one variant exactly, only that variant answers
 * (down to the street level); a number it lacks is never taken from
 * another.  Otherwise the variants that cost least (a part missing
 * before a part that differs) are tried together: when one of them
 * places the number, it answers; when two place it more than 25 m
 * apart, it is no match, "ambiguous street: several of this name
 * match; give its type or directional".
 *
 * Levels in detail:
 *   GEO_GC_POINT: number and suffix equal; a point of the number with
 *     another or no suffix is still this level, scored lower.  Unit rows
 *     of one address are one point.
 *   GEO_GC_INTERP: the nearest points below and above the number with
 *     its parity (same street, ZIP, type and directionals), at most
 *     GEO_GC_INTERP_NUMS apart in number and GEO_GC_INTERP_M metres
 *     apart on the ground; placed linearly in number between them.
 *   GEO_GC_RANGE: a range of the street whose numbers hold the number
 *     with its parity ('B' holds both); placed at the fraction
 *     (number - from) / (to - from) of the line's length from its first
 *     vertex (the middle when from == to), then GEO_GC_OFFSET_M metres
 *     perpendicular to the segment it falls on, to the right of the
 *     line's direction for an 'R' range and to the left for 'L'.
 *     Lengths and the offset are on the local tangent plane (a sphere
 *     of radius 6371008.8 m, east scaled by the cosine of the first
 *     vertex's latitude).
 *   GEO_GC_STREET: with a number, the known number nearest to it: the
 *     point holding it, or the midpoint (by length, no offset) of the
 *     range holding it; without a number (a street-only query), the
 *     middle of the street: its point or range median in number.
 *   GEO_GC_ZIP: a PO box (which never gets a street point), a query
 *     with a ZIP and no street name, or an address in a ZIP for which
 *     the reference holds a centroid but no streets at all (when a city
 *     given too does not place it better).  A street that
 *     is not found where the reference has streets is no match.  A ZIP
 *     without an addr_zips row takes the mean of its address points.
 *
 * Scores: 1.0 point, 0.9 interpolated, 0.8 range, 0.6 street (0.5 with
 * no number), 0.3 ZIP; less 0.05 for a number suffix that differs, 0.02
 * for a street type or directional missing on one side, 0.08 for one
 * that differs, 0.15 for a typo in the name, 0.1 when the ZIP disagreed
 * and the city found the street, 0.05 when neither ZIP nor city was
 * given; never below 0.05.  A match has why NULL or the main reason it
 * is not exact ("street name one letter off"); no match has the reason
 * ("street not found in ZIP").  The phrases are static and never hold
 * any part of the address (addresses may be protected health
 * information); a caller that wants the ZIP in a message adds it.
 *   no match: "no reference addresses imported", "no street name",
 *     "PO box without a known ZIP", "ZIP not in the reference data",
 *     "city not in the reference data", "street not found in ZIP",
 *     "street not found in city", "street not found", "ambiguous
 *     street: in several places", "ambiguous street: several of this
 *     name match; give its type or directional", "street not found;
 *     several streets are one letter off", "number outside the
 *     street's known numbers", "house number out of range", "only a
 *     street-level match" (and the like, for opts->worst), or the
 *     parser's reason;
 *   a match: "house number suffix differs", "street type or
 *     directional differs", "no address point with this number",
 *     "no address points around the number", "number not within the
 *     street's known numbers", "no house number", "street name one
 *     letter off", "found in the city, not in the ZIP given", "PO
 *     box", "no streets known in this ZIP".
 *
 * Points are WGS 84 lon/lat.
 */
#ifndef GEO_GEOCODE_H
#define GEO_GEOCODE_H

#include <stddef.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "geo/geo_addr.h"

enum geo_gc_level {
	GEO_GC_NONE = 0,
	GEO_GC_POINT = 1,
	GEO_GC_INTERP = 2,
	GEO_GC_RANGE = 3,
	GEO_GC_STREET = 4,
	GEO_GC_ZIP = 5
};

/* How far (in house numbers) beyond the known numbers of a street a
 * number may lie and still get a street-level point. */
#define GEO_GC_STREET_SLACK 100
/* Interpolation between address points: at most this far apart in
 * number and in metres. */
#define GEO_GC_INTERP_NUMS 100
#define GEO_GC_INTERP_M	   300.0
/* How far to the side of its street a range's point is set. */
#define GEO_GC_OFFSET_M 10.0

/* The level's name as outputs write it: "address_point",
 * "interpolated", "street_range", "street", "zip", "none".  Static. */
const char *geo_gc_level_name(int level);

struct geo_gc_result {
	int level;	 /* enum geo_gc_level */
	double lon, lat; /* NaN when level is GEO_GC_NONE */
	double score;	 /* 0..1: 1 is an exact address point */
	const char *why; /* static phrase: why not better, or NULL */
};

/* What a caller accepts; zero-initialised means every level. */
struct geo_gc_opts {
	int worst;    /* the coarsest level accepted (0: GEO_GC_ZIP) */
	int no_typos; /* 1: a street name must match exactly */
};

struct geo_geocoder;

/*
 * Read the workspace's reference data into a geocoder.  A workspace
 * without any is not an error: every lookup is then GEO_GC_NONE with
 * why "no reference addresses imported" (geo_geocoder_empty says so
 * first).  Errors: CORE_EDB.  Free with geo_geocoder_free.
 */
int geo_geocoder_load(struct core_ws *ws, struct geo_geocoder **out,
		      struct core_err *err);

void geo_geocoder_free(struct geo_geocoder *g);

/* 1 when g holds no reference data at all. */
int geo_geocoder_empty(const struct geo_geocoder *g);

/* Counts of what g holds, for messages ("12,034 address points, ..."). */
void geo_geocoder_counts(const struct geo_geocoder *g, size_t *points,
			 size_t *ranges, size_t *zips);

/* Geocode one parsed address.  opts may be NULL.  Thread-safe. */
void geo_geocode_addr(const struct geo_geocoder *g, const struct geo_addr *a,
		      const struct geo_gc_opts *opts, struct geo_gc_result *r);

/* Parse text (geo_addr_parse) and geocode it; a text that does not
 * parse is GEO_GC_NONE with the parser's reason.  Thread-safe. */
void geo_geocode_text(const struct geo_geocoder *g, const char *text,
		      const struct geo_gc_opts *opts, struct geo_gc_result *r);

#endif
