/*
 * imp_basemap.c - an OpenStreetMap extract read for a basemap
 * (imp_basemap.h).  One pass over the file with
 * GDALDatasetGetNextFeature (the OSM driver's interleaved reading):
 * points give places, lines give roads and waterways, multipolygons
 * give water areas.
 */
#include "importers/imp_basemap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gdal.h>
#include <ogr_api.h>

#include "core/core_mem.h"
#include "importers/imp_common.h"

struct pts {
	double *x, *y;
	size_t cap;
};

/* The value of a field, NULL when the layer has none or it is unset. */
static const char *field(OGRFeatureH f, const char *name)
{
	int i = OGR_F_GetFieldIndex(f, name);

	if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i))
		return NULL;
	return OGR_F_GetFieldAsString(f, i);
}

/* Whether other_tags ("k"=>"v",...) holds key k (with value v when v is
 * not NULL). */
static int has_tag(const char *other, const char *k, const char *v)
{
	char pat[96];

	if (!other)
		return 0;
	if (v)
		snprintf(pat, sizeof pat, "\"%s\"=>\"%s\"", k, v);
	else
		snprintf(pat, sizeof pat, "\"%s\"=>", k);
	return strstr(other, pat) != NULL;
}

static void add_curve(struct geo_basemap *bm, struct pts *p,
		      enum geo_bm_kind kind, const char *name, OGRGeometryH g)
{
	int n = OGR_G_GetPointCount(g), i;

	if (n < 2)
		return;
	if ((size_t)n > p->cap) {
		p->cap = (size_t)n * 2;
		p->x = xrealloc(p->x, p->cap * sizeof(double));
		p->y = xrealloc(p->y, p->cap * sizeof(double));
	}
	for (i = 0; i < n; i++) {
		p->x[i] = OGR_G_GetX(g, i);
		p->y[i] = OGR_G_GetY(g, i);
	}
	geo_basemap_add_line(bm, kind, name, p->x, p->y, (size_t)n);
}

/* Every ring of a (multi)polygon as water. */
static void add_rings(struct geo_basemap *bm, struct pts *p, OGRGeometryH g)
{
	OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
	int i, n = OGR_G_GetGeometryCount(g);

	if (t == wkbMultiPolygon || t == wkbPolygon ||
	    t == wkbGeometryCollection) {
		for (i = 0; i < n; i++) {
			OGRGeometryH s = OGR_G_GetGeometryRef(g, i);
			if (wkbFlatten(OGR_G_GetGeometryType(s)) ==
			    wkbLineString)
				add_curve(bm, p, GEO_BM_WATER, NULL, s);
			else
				add_rings(bm, p, s);
		}
	} else if (t == wkbLineString || t == wkbLinearRing) {
		add_curve(bm, p, GEO_BM_WATER, NULL, g);
	}
}

static void one_line(struct geo_basemap *bm, struct pts *p, OGRFeatureH f)
{
	const char *hw = field(f, "highway"), *ww = field(f, "waterway");
	OGRGeometryH g = OGR_F_GetGeometryRef(f);
	int kind = geo_basemap_road_kind(hw);

	if (!g || wkbFlatten(OGR_G_GetGeometryType(g)) != wkbLineString)
		return;
	if (kind < 0 && ww &&
	    (strcmp(ww, "river") == 0 || strcmp(ww, "stream") == 0 ||
	     strcmp(ww, "canal") == 0))
		kind = GEO_BM_WATERWAY;
	if (kind >= 0)
		add_curve(bm, p, (enum geo_bm_kind)kind, field(f, "name"), g);
}

static void one_area(struct geo_basemap *bm, struct pts *p, OGRFeatureH f)
{
	const char *nat = field(f, "natural"), *lu = field(f, "landuse");
	const char *other = field(f, "other_tags"), *ww = field(f, "waterway");
	OGRGeometryH g = OGR_F_GetGeometryRef(f);

	if (!g)
		return;
	if ((nat && strcmp(nat, "water") == 0) ||
	    (lu &&
	     (strcmp(lu, "reservoir") == 0 || strcmp(lu, "basin") == 0)) ||
	    (ww && strcmp(ww, "riverbank") == 0) ||
	    has_tag(other, "water", NULL) ||
	    has_tag(other, "waterway", "riverbank") ||
	    has_tag(other, "natural", "water"))
		add_rings(bm, p, g);
}

static void one_point(struct geo_basemap *bm, OGRFeatureH f)
{
	int rank = geo_basemap_place_rank(field(f, "place"));
	OGRGeometryH g = OGR_F_GetGeometryRef(f);

	if (rank == GEO_BM_PLACE_NONE || !g ||
	    wkbFlatten(OGR_G_GetGeometryType(g)) != wkbPoint)
		return;
	geo_basemap_add_place(bm, (enum geo_bm_place)rank, field(f, "name"),
			      OGR_G_GetX(g, 0), OGR_G_GetY(g, 0));
}

int imp_basemap_read(const char *path, struct geo_basemap **out,
		     struct core_err *err)
{
	static const char *const drivers[] = {"OSM", NULL};
	struct imp_gdal_msgs msgs;
	struct geo_basemap *bm = NULL;
	struct pts p = {NULL, NULL, 0};
	GDALDatasetH ds = NULL;
	OGRLayerH lyr = NULL;
	OGRFeatureH f;
	struct stat sb;
	int rc = CORE_OK;

	*out = NULL;
	memset(&msgs, 0, sizeof(msgs));
	if (stat(path, &sb) != 0)
		return core_err_set(err, CORE_EIO, "cannot open basemap %s: %s",
				    path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return core_err_set(err, CORE_EIO,
				    "cannot open basemap %s: not a file", path);
	imp_gdal_init();
	imp_gdal_push(&msgs);
	ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL,
			NULL);
	if (!ds) {
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "basemap %s is not an OpenStreetMap file GDAL can read; "
		    "give an extract as .osm.pbf or .osm XML%s%s",
		    path, msgs.last[0] ? ": " : "", msgs.last);
		goto cleanup;
	}
	bm = geo_basemap_new();
	while ((f = GDALDatasetGetNextFeature(ds, &lyr, NULL, NULL, NULL))) {
		const char *ln = lyr ? OGR_L_GetName(lyr) : "";

		if (strcmp(ln, "lines") == 0)
			one_line(bm, &p, f);
		else if (strcmp(ln, "multipolygons") == 0)
			one_area(bm, &p, f);
		else if (strcmp(ln, "points") == 0)
			one_point(bm, f);
		OGR_F_Destroy(f);
		if (msgs.failures)
			break;
	}
	if (msgs.failures) {
		rc =
		    core_err_set(err, CORE_EFORMAT,
				 "cannot read basemap %s: it is cut short or "
				 "damaged (GDAL: %s); download or cut the "
				 "extract again",
				 path, msgs.last[0] ? msgs.last : "no message");
		goto cleanup;
	}
	if (geo_basemap_empty(bm)) {
		rc = core_err_set(err, CORE_EFORMAT,
				  "basemap %s holds no water, road or place a "
				  "basemap draws",
				  path);
		goto cleanup;
	}
	*out = bm;
	bm = NULL;
cleanup:
	if (ds)
		GDALClose(ds);
	imp_gdal_pop();
	geo_basemap_free(bm);
	free(p.x);
	free(p.y);
	return rc;
}
