/*
 * imp_geocode.c - the lazy geocoder and its counts, shared by the
 * importers (see imp_geocode.h).
 */
#include "importers/imp_geocode.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "geo/geo_addr.h"

const char imp_gc_why_empty[] =
    "no reference addresses imported; run 'assetmap import addresses'";

static const char why_no_ws[] = "no workspace to geocode in";
static const char why_no_match[] = "no match";
/* A ZIP-level answer must name its ZIP (a cohort member placed there
 * keeps it as its area). */
static const char why_zip_unnamed[] = "placed at a ZIP centroid without a ZIP";

/* Why an answer coarser than --geocode-worst was not taken, by level. */
static const char *const why_coarser[] = {
    NULL,
    NULL,
    "placed only by interpolation, coarser than --geocode-worst",
    "placed only on a street range, coarser than --geocode-worst",
    "placed only on the street, coarser than --geocode-worst",
    "placed only at the ZIP's centroid, coarser than --geocode-worst"};

void imp_gc_init(struct imp_gc *gc, struct core_ws *ws, int worst)
{
	memset(gc, 0, sizeof(*gc));
	gc->ws = ws;
	gc->counting = 1;
	gc->n.worst =
	    worst >= GEO_GC_POINT && worst <= GEO_GC_ZIP ? worst : GEO_GC_ZIP;
}

void imp_gc_release(struct imp_gc *gc)
{
	if (gc->g)
		geo_geocoder_free(gc->g);
	gc->g = NULL;
	gc->loaded = 0;
}

static void count(struct imp_gc *gc, const struct imp_gc_place *p)
{
	struct imp_gc_counts *n = &gc->n;
	int i;

	if (!gc->counting)
		return;
	n->tried++;
	if (p->level != GEO_GC_NONE) {
		n->placed[p->level]++;
		return;
	}
	n->not_placed++;
	for (i = 0; i < n->nwhy; i++)
		if (strcmp(n->why[i].why, p->why) == 0) {
			n->why[i].n++;
			return;
		}
	if (n->nwhy < IMP_GC_WHY_MAX) {
		n->why[n->nwhy].why = p->why;
		n->why[n->nwhy++].n = 1;
	} else {
		n->other_why++;
	}
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	while (isspace((unsigned char)*s))
		s++;
	return !*s;
}

/* 1 when s is five digits. */
static int zip5(const char *s)
{
	int i;

	for (i = 0; i < 5; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return s[5] == '\0';
}

static void not_placed(struct imp_gc_place *out, const char *why)
{
	out->level = GEO_GC_NONE;
	out->lon = out->lat = NAN;
	out->score = 0;
	out->why = why;
}

int imp_gc_place(struct imp_gc *gc, const char *street, const char *city,
		 const char *state, const char *zip, struct imp_gc_place *out,
		 struct core_err *err)
{
	struct geo_addr a;
	struct geo_gc_result r;
	struct geo_gc_opts opts;
	int st, rc;

	memset(out, 0, sizeof(*out));
	if (!gc->ws) {
		not_placed(out, why_no_ws);
		count(gc, out);
		return CORE_OK;
	}
	if (!gc->loaded) {
		if ((rc = geo_geocoder_load(gc->ws, &gc->g, err)))
			return core_err_prefix(err, "loading the reference "
						    "addresses: ");
		gc->loaded = 1;
	}
	if (geo_geocoder_empty(gc->g)) {
		not_placed(out, imp_gc_why_empty);
		count(gc, out);
		return CORE_OK;
	}
	if (blank(city) && blank(state) && blank(zip))
		st = geo_addr_parse(street ? street : "", &a);
	else
		st = geo_addr_parse_parts(NULL, street, NULL, city, state, zip,
					  &a);
	if (st != GEO_ADDR_OK) {
		explicit_bzero(&a, sizeof(a));
		not_placed(out, geo_addr_status_str(st));
		count(gc, out);
		return CORE_OK;
	}
	memcpy(out->zip, a.zip, sizeof(out->zip));
	out->zip[sizeof(out->zip) - 1] = '\0';
	memset(&opts, 0, sizeof(opts));
	opts.worst = gc->n.worst;
	geo_geocode_addr(gc->g, &a, &opts, &r);
	if (r.level <= GEO_GC_NONE || r.level > GEO_GC_ZIP)
		not_placed(out, r.why ? r.why : why_no_match);
	else if (r.level == GEO_GC_ZIP && !zip5(out->zip))
		not_placed(out, why_zip_unnamed);
	else if (r.level > gc->n.worst)
		not_placed(out, why_coarser[r.level]);
	else {
		out->level = r.level;
		out->lon = r.lon;
		out->lat = r.lat;
		out->score = r.score;
		out->why = NULL;
	}
	count(gc, out);
	/* the parsed address may be a patient's: not left on the stack */
	explicit_bzero(&a, sizeof(a));
	return CORE_OK;
}

int imp_gc_level_parse(const char *s)
{
	int level;

	if (!s)
		return -1;
	for (level = GEO_GC_POINT; level <= GEO_GC_ZIP; level++) {
		const char *name = geo_gc_level_name(level), *p = s;
		size_t i = 0;
		for (; *p && name[i]; p++, i++) {
			int c = tolower((unsigned char)*p);
			if (c == '-' || c == ' ')
				c = '_';
			if (c != name[i])
				break;
		}
		if (!*p && !name[i])
			return level;
	}
	return -1;
}

int imp_gc_worst_opt(const char *s, int *worst, struct core_err *err)
{
	*worst = 0;
	if (!s)
		return CORE_OK;
	*worst = imp_gc_level_parse(s);
	if (*worst > 0)
		return CORE_OK;
	*worst = 0;
	return core_err_set(err, CORE_EUSAGE,
			    "--geocode-worst: '%s' is not a level; give "
			    "address_point, interpolated, street_range, street "
			    "or zip (the coarsest placement taken)",
			    s);
}

const char *imp_gc_reject_why(const struct imp_gc_place *p, int hidden,
			      char *buf, size_t n)
{
	snprintf(buf, n,
		 "could not be geocoded%s, and the row has no coordinates: %s",
		 hidden ? " (the address is not shown)" : "",
		 p->why ? p->why : why_no_match);
	return buf;
}
