/*
 * imp_sites.c - candidate sites from a file GDAL reads (imp_sites.h).
 */
#include "importers/imp_sites.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "importers/imp_common.h"

/* The first field whose name is one of names (in their order of
 * preference, any case), or -1. */
static int field_named(OGRFeatureDefnH defn, const char *const *names)
{
	int i, n = OGR_FD_GetFieldCount(defn);
	size_t k;

	for (k = 0; names[k]; k++)
		for (i = 0; i < n; i++)
			if (strcasecmp(OGR_Fld_GetNameRef(
					   OGR_FD_GetFieldDefn(defn, i)),
				       names[k]) == 0)
				return i;
	return -1;
}

/* A number in [lo, hi], trailing blanks allowed; -1 when s is none. */
static int parse_coord(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (end == s || *end || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

/* The way from the layer's CRS to WGS84 lon/lat, or NULL when the layer
 * has none or is WGS84 already; *wgs is set to what the caller destroys
 * after the transformation. */
static OGRCoordinateTransformationH to_wgs84(OGRLayerH lyr,
					     OGRSpatialReferenceH *wgs)
{
	OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(lyr), s2;
	OGRCoordinateTransformationH ct = NULL;

	*wgs = NULL;
	if (!srs)
		return NULL;
	s2 = OSRClone(srs);
	*wgs = OSRNewSpatialReference(NULL);
	OSRImportFromEPSG(*wgs, 4326);
	OSRSetAxisMappingStrategy(*wgs, OAMS_TRADITIONAL_GIS_ORDER);
	OSRSetAxisMappingStrategy(s2, OAMS_TRADITIONAL_GIS_ORDER);
	if (!OSRIsSame(s2, *wgs))
		ct = OCTNewCoordinateTransformation(s2, *wgs);
	OSRDestroySpatialReference(s2);
	return ct;
}

/*
 * The rows of the layer into c: see imp_sites_read.  flat, flon and
 * flab are the lat, lon and label fields (-1: none); ct reprojects point
 * geometries (NULL: they are lon/lat).
 */
static int read_rows(const char *path, OGRLayerH lyr, int flat, int flon,
		     int flab, OGRCoordinateTransformationH ct,
		     struct geo_sites_cands *c, struct core_err *err)
{
	OGRFeatureH f;
	long row = 0;
	int rc = CORE_OK;

	OGR_L_ResetReading(lyr);
	while (rc == CORE_OK && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		double lon = NAN, lat = NAN;
		char lab[64];
		const char *label;

		row++;
		if (g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint &&
		    !OGR_G_IsEmpty(g)) {
			lon = OGR_G_GetX(g, 0);
			lat = OGR_G_GetY(g, 0);
			if (ct && !OCTTransform(ct, 1, &lon, &lat, NULL))
				lon = lat = NAN;
		} else if (flat >= 0 && flon >= 0) {
			if (parse_coord(OGR_F_GetFieldAsString(f, flat), -90,
					90, &lat) ||
			    parse_coord(OGR_F_GetFieldAsString(f, flon), -180,
					180, &lon)) {
				rc = core_err_set(
				    err, CORE_EFORMAT,
				    "%s data row %ld: lat '%s', lon '%s' is "
				    "not a place (latitude -90 to 90, "
				    "longitude -180 to 180)",
				    path, row, OGR_F_GetFieldAsString(f, flat),
				    OGR_F_GetFieldAsString(f, flon));
				OGR_F_Destroy(f);
				break;
			}
		}
		if (isnan(lon) || isnan(lat)) {
			rc = core_err_set(
			    err, CORE_EFORMAT,
			    "%s data row %ld: no place: give each row a point "
			    "geometry or lat and lon columns",
			    path, row);
			OGR_F_Destroy(f);
			break;
		}
		snprintf(lab, sizeof(lab), "row %ld", row);
		label = flab >= 0 && OGR_F_IsFieldSetAndNotNull(f, flab) &&
				*OGR_F_GetFieldAsString(f, flab)
			    ? OGR_F_GetFieldAsString(f, flab)
			    : lab;
		geo_sites_cands_add(c, lon, lat, label, NULL);
		OGR_F_Destroy(f);
	}
	return rc;
}

int imp_sites_read(const char *path, struct geo_sites_cands *c,
		   struct core_err *err)
{
	static const char *const lat_names[] = {"lat", "latitude", "y", NULL};
	static const char *const lon_names[] = {"lon",	     "lng", "long",
						"longitude", "x",   NULL};
	static const char *const label_names[] = {"name", "label", "id", "site",
						  NULL};
	struct imp_gdal_msgs m;
	GDALDatasetH ds = NULL;
	OGRLayerH lyr;
	OGRFeatureDefnH defn;
	OGRCoordinateTransformationH ct = NULL;
	OGRSpatialReferenceH wgs = NULL;
	size_t first = c->n;
	int rc = CORE_OK;

	if (access(path, R_OK) != 0)
		return core_err_set(err, CORE_EIO, "%s: %s", path,
				    strerror(errno));
	imp_gdal_init();
	imp_gdal_push(&m);
	ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL,
			NULL);
	if (!ds) {
		rc = core_err_set(err, CORE_EIO,
				  "%s: cannot read it as a table or vector "
				  "file%s%s",
				  path, m.last[0] ? ": " : "", m.last);
		goto cleanup;
	}
	lyr = GDALDatasetGetLayer(ds, 0);
	if (!lyr) {
		rc = core_err_set(err, CORE_EFORMAT,
				  "%s: the file has no layer", path);
		goto cleanup;
	}
	defn = OGR_L_GetLayerDefn(lyr);
	ct = to_wgs84(lyr, &wgs);
	if ((rc = read_rows(path, lyr, field_named(defn, lat_names),
			    field_named(defn, lon_names),
			    field_named(defn, label_names), ct, c, err)))
		goto cleanup;
	if (c->n == first)
		rc = core_err_set(err, CORE_EFORMAT,
				  "%s: no rows: nothing to choose from", path);
cleanup:
	if (ct)
		OCTDestroyCoordinateTransformation(ct);
	if (wgs)
		OSRDestroySpatialReference(wgs);
	if (ds)
		GDALClose(ds);
	imp_gdal_pop();
	return rc;
}
