/*
 * imp_tiger.c - TIGER/Line and cartographic boundary polygons into areas.
 * See imp_census.h for the contract.
 *
 * The level comes from the fields the Census Bureau names by level
 * (ZCTA5CE20, BLKGRPCE, TRACTCE, COUNTYFP, STATEFP, with or without the
 * 10/20 vintage suffix), else from a GEO_ID's summary level, else from
 * the GEOID's length; --level must agree with the fields.  The GEOID is
 * GEOID/GEOID20/GEOID10, else the part of AFFGEOID/GEO_ID after "US",
 * else built from the code fields.  ALAND/AWATER become land_m2 and
 * water_m2; ALAND = 0 flags the area as water only.  Polygons are
 * reprojected (TIGER's NAD83, EPSG:4269, included) to WGS84.
 */
#include "importers/imp_census_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "core/core_area.h"

struct tiger_job {
	struct census_job c;
	struct imp_gdal_msgs msgs;
	char *disk; /* the file on disk */
	char *gdal; /* what GDAL opens */
	int zipped;
	GDALDatasetH ds;
	OGRLayerH lyr;
	OGRFeatureDefnH defn;
	int nfields;
	const char **names; /* field names, for messages */
	const struct census_level *lv;
	char *level_how; /* "the field TRACTCE", ... */
	int f_geoid, f_geo_us, f_state, f_county, f_tract, f_bg, f_zcta;
	int f_name, f_aland, f_awater;
	struct imp_crs crs;
	sqlite3_stmt *del, *ins;
	struct core_progress prog;
	char *label;
	long line; /* the feature being read, for messages */
};

static const char *fname(const struct tiger_job *j, int i)
{
	return OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(j->defn, i));
}

/* The field base, base20 or base10 (any case), or -1. */
static int fld(const struct tiger_job *j, const char *base)
{
	static const char *const sfx[] = {"", "20", "10"};
	char name[64];
	size_t k;
	int i;

	for (k = 0; k < 3; k++) {
		snprintf(name, sizeof(name), "%s%s", base, sfx[k]);
		i = OGR_FD_GetFieldIndex(j->defn, name);
		if (i >= 0)
			return i;
	}
	return -1;
}

/* ---------------------------------------------------------------------
 * Opening
 * ------------------------------------------------------------------ */

/* The one vector file inside a zip (recursively), or NULL. */
static char *zip_member(struct tiger_job *j, struct core_buf *seen)
{
	char **list = VSIReadDirRecursive(j->gdal);
	char *found = NULL;
	int i, n = 0;

	for (i = 0; list && list[i]; i++) {
		const char *f = list[i];
		if (imp_ends_with_ci(f, "/"))
			continue;
		core_buf_addf(seen, "%s%s", seen->len ? ", " : "", f);
		if (imp_ends_with_ci(f, ".shp") ||
		    imp_ends_with_ci(f, ".gpkg") ||
		    imp_ends_with_ci(f, ".geojson") ||
		    imp_ends_with_ci(f, ".json")) {
			n++;
			if (!found)
				found = xasprintf("%s/%s", j->gdal, f);
		}
	}
	CSLDestroy(list);
	if (n != 1) {
		free(found);
		return NULL;
	}
	return found;
}

/* 1 when path has no zip end-of-central-directory record in its last
 * 64 KiB + 22 bytes: a zip cut short (or not a zip at all). */
static int zip_cut_short(const char *path)
{
	static const unsigned char eocd[4] = {'P', 'K', 5, 6};
	unsigned char *buf;
	long size, from;
	size_t n, i;
	FILE *fp = fopen(path, "rb");
	int cut = 1;

	if (!fp)
		return 0;
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0) {
		fclose(fp);
		return 0;
	}
	from = size > 65536 + 22 ? size - (65536 + 22) : 0;
	buf = xmalloc((size_t)(size - from) + 1);
	if (fseek(fp, from, SEEK_SET) == 0) {
		n = fread(buf, 1, (size_t)(size - from), fp);
		for (i = 0; n >= 22 && i <= n - 22; i++)
			if (memcmp(buf + i, eocd, 4) == 0) {
				cut = 0;
				break;
			}
	}
	free(buf);
	fclose(fp);
	return cut;
}

/*
 * Scan and open o->path with GDAL: a shapefile, GeoJSON or GeoPackage,
 * a .zip of one (its one readable member is found when GDAL cannot open
 * the zip as a whole), or a /vsizip/ path into a zip.  Picks the layer
 * (--layer) and fills j->c.src (checksum, format, layer), j->disk,
 * j->gdal, j->ds, j->lyr, j->defn (borrowed from the layer), j->nfields
 * and j->names; the caller releases them.  Returns CORE_OK; CORE_EUSAGE
 * for a /vsizip/ path without a .zip in it; CORE_EFORMAT for a damaged
 * zip, a zip without one readable member, or a file GDAL cannot open
 * (saying what it looks like); or what imp_source_scan and
 * imp_layer_pick set.  j->c.err is set.
 */
static int open_file(struct tiger_job *j)
{
	const char *p = j->c.o->path;
	struct imp_utf8 u;
	int rc, i;

	if ((rc = imp_zip_path(
		 p, "/vsizip/tl_2020_06_tract.zip/tl_2020_06_tract.shp",
		 &j->disk, &j->gdal, &j->zipped, j->c.err)))
		return rc;
	if ((rc = imp_source_scan(j->c.src, j->disk, 0, &u, j->c.err)))
		return rc;
	if (!j->gdal)
		j->gdal = j->zipped ? xasprintf("/vsizip/%s", j->c.src->path)
				    : xstrdup(j->c.src->path);

	j->ds = GDALOpenEx(j->gdal, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
			   NULL, NULL);
	if ((!j->ds || GDALDatasetGetLayerCount(j->ds) == 0) && j->zipped &&
	    strncmp(p, "/vsizip/", 8) != 0) {
		struct core_buf seen = CORE_BUF_INIT;
		char *m = zip_member(j, &seen);
		if (j->ds)
			GDALClose(j->ds);
		j->ds = NULL;
		if (!m && !seen.len && zip_cut_short(j->disk)) {
			rc = core_err_set(
			    j->c.err, CORE_EFORMAT,
			    "%s: the zip file is damaged or cut short (its "
			    "table of contents, at the end of a whole zip, is "
			    "missing%s%s); download it again",
			    j->c.src->name, j->msgs.last[0] ? "; GDAL: " : "",
			    j->msgs.last);
			core_buf_release(&seen);
			return rc;
		}
		if (!m) {
			rc = core_err_set(
			    j->c.err, CORE_EFORMAT,
			    "%s holds no single shapefile (.shp), GeoPackage "
			    "or GeoJSON to read; it holds: %s",
			    j->c.src->name,
			    seen.len ? core_buf_str(&seen) : "nothing");
			core_buf_release(&seen);
			return rc;
		}
		core_buf_release(&seen);
		free(j->gdal);
		j->gdal = m;
		j->ds = GDALOpenEx(j->gdal, GDAL_OF_VECTOR | GDAL_OF_READONLY,
				   NULL, NULL, NULL);
	}
	if (!j->ds) {
		const char *cmd = NULL,
			   *what = census_sniff_bytes(j->disk, &cmd);
		if (what)
			return core_err_set(
			    j->c.err, CORE_EFORMAT,
			    "cannot read %s as census boundaries: it is %s "
			    "that GDAL cannot open%s%s",
			    j->c.src->name, what, j->msgs.last[0] ? ": " : "",
			    j->msgs.last);
		return core_err_set(
		    j->c.err, CORE_EFORMAT,
		    "%s is not census boundaries GDAL can read; give a "
		    "TIGER/Line or cartographic boundary shapefile (.shp or "
		    "its .zip), GeoJSON or GeoPackage%s%s",
		    j->c.src->name, j->msgs.last[0] ? ": " : "", j->msgs.last);
	}
	free(j->c.src->format);
	j->c.src->format = xasprintf(
	    "tiger (%s)", GDALGetDriverShortName(GDALGetDatasetDriver(j->ds)));
	j->lyr = imp_layer_pick(j->ds, j->c.o->layer, j->c.src->name, j->c.err);
	if (!j->lyr)
		return j->c.err->code;
	free(j->c.src->layer);
	j->c.src->layer = xstrdup(OGR_L_GetName(j->lyr));
	j->defn = OGR_L_GetLayerDefn(j->lyr);
	j->nfields = OGR_FD_GetFieldCount(j->defn);
	j->names = xcalloc((size_t)j->nfields + 1, sizeof(*j->names));
	for (i = 0; i < j->nfields; i++)
		j->names[i] = fname(j, i);
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * What the file holds
 * ------------------------------------------------------------------ */

/* The trimmed text of field i of f, NULL when null or empty. */
static char *text_of(struct tiger_job *j, OGRFeatureH f, int i)
{
	char *v, *t;

	if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i))
		return NULL;
	t = imp_text_dup(j->c.src, OGR_F_GetFieldAsString(f, i), j->line,
			 fname(j, i));
	v = imp_trim_dup(t);
	free(t);
	if (!*v) {
		free(v);
		return NULL;
	}
	return v;
}

static int check_geometry(struct tiger_job *j)
{
	OGRwkbGeometryType t = wkbFlatten(OGR_L_GetGeomType(j->lyr));

	if (OGR_FD_GetGeomFieldCount(j->defn) == 0 || t == wkbNone)
		return census_not_this(j->c.err, j->c.src->name,
				       "census boundaries",
				       "it has no polygons", j->names,
				       (size_t)j->nfields, 0, "tiger");
	if (t == wkbPoint || t == wkbMultiPoint)
		return core_err_set(
		    j->c.err, CORE_EFORMAT,
		    "%s is not census boundaries: its features are points, and "
		    "areas are polygons (places where help is offered go "
		    "through 'assetmap import assets %s')",
		    j->c.src->name, j->c.src->name);
	if (t == wkbLineString || t == wkbMultiLineString)
		return core_err_set(
		    j->c.err, CORE_EFORMAT,
		    "%s is not census boundaries: its features are lines "
		    "(roads or edges?), and areas are polygons",
		    j->c.src->name);
	return CORE_OK;
}

/* The level from the code fields; NULL when none says. */
static const char *level_from_fields(struct tiger_job *j, const char **field)
{
	if (j->f_zcta >= 0) {
		*field = fname(j, j->f_zcta);
		return "zcta";
	}
	if (j->f_bg >= 0) {
		*field = fname(j, j->f_bg);
		return "blockgroup";
	}
	if (j->f_tract >= 0) {
		*field = fname(j, j->f_tract);
		return "tract";
	}
	if (j->f_county >= 0) {
		*field = fname(j, j->f_county);
		return "county";
	}
	if (j->f_state >= 0) {
		*field = fname(j, j->f_state);
		return "state";
	}
	return NULL;
}

/* The first non-empty text of field i over the features (caller frees),
 * or NULL when every feature's is empty. */
static char *first_value(struct tiger_job *j, int i)
{
	OGRFeatureH f;
	char *v = NULL;

	OGR_L_ResetReading(j->lyr);
	while (!v && (f = OGR_L_GetNextFeature(j->lyr))) {
		v = text_of(j, f, i);
		OGR_F_Destroy(f);
	}
	OGR_L_ResetReading(j->lyr);
	return v;
}

/*
 * Find the fields the Census Bureau names by level (GEOID, AFFGEOID or
 * GEO_ID, the code fields, NAMELSAD or NAME, ALAND, AWATER) and the
 * census level into j->lv, with how it was told in j->level_how: from
 * the code fields, else the summary level of the first GEO_ID, else the
 * length of the first GEOID (5 digits only with the layer's name).
 * --level must agree; without a GEOID field the code fields must be
 * enough to build one.  Returns CORE_OK; CORE_EUSAGE when --level is
 * unknown or disagrees, or the level cannot be told; CORE_EFORMAT when
 * the file has no GEOID and no code fields to build one; j->c.err is set.
 */
static int detect_level(struct tiger_job *j)
{
	const char *field = NULL, *lvl, *lname = OGR_L_GetName(j->lyr);
	char sumlev[4], geoid[32];
	char *v = NULL;
	int rc = CORE_OK;

	j->f_geoid = fld(j, "GEOID");
	j->f_geo_us = j->f_geoid < 0 ? fld(j, "AFFGEOID") : -1;
	if (j->f_geoid < 0 && j->f_geo_us < 0)
		j->f_geo_us = OGR_FD_GetFieldIndex(j->defn, "GEO_ID");
	j->f_state = fld(j, "STATEFP");
	j->f_county = fld(j, "COUNTYFP");
	j->f_tract = fld(j, "TRACTCE");
	j->f_bg = fld(j, "BLKGRPCE");
	j->f_zcta = fld(j, "ZCTA5CE");
	j->f_name = fld(j, "NAMELSAD");
	if (j->f_name < 0)
		j->f_name = fld(j, "NAME");
	j->f_aland = fld(j, "ALAND");
	j->f_awater = fld(j, "AWATER");

	lvl = level_from_fields(j, &field);
	if (lvl) {
		j->level_how = xasprintf("it has the field %s", field);
	} else if (j->f_geo_us >= 0 && (v = first_value(j, j->f_geo_us))) {
		lvl = imp_census_geo_id(v, geoid, sizeof(geoid), sumlev);
		if (lvl)
			j->level_how =
			    xasprintf("its %s %s is of summary level %s",
				      fname(j, j->f_geo_us), v, sumlev);
	} else if (j->f_geoid >= 0 && (v = first_value(j, j->f_geoid))) {
		size_t n = strlen(v);
		if (n == 2)
			lvl = "state";
		else if (n == 11)
			lvl = "tract";
		else if (n == 12)
			lvl = "blockgroup";
		else if (n == 5 && strcasestr(lname, "zcta"))
			lvl = "zcta";
		else if (n == 5 && strcasestr(lname, "count"))
			lvl = "county";
		if (lvl)
			j->level_how = xasprintf(
			    "its %s %s has %zu digits%s", fname(j, j->f_geoid),
			    v, n,
			    n == 5 ? " and the layer's name says so" : "");
	}
	if (j->c.o->level) {
		const struct census_level *given =
		    census_level_find(j->c.o->level);
		if (!given) {
			rc = core_err_set(
			    j->c.err, CORE_EUSAGE,
			    "--level: '%s' is not a census level; give %s",
			    j->c.o->level, census_level_names);
			goto cleanup;
		}
		if (lvl && strcmp(lvl, given->name) != 0) {
			rc = core_err_set(
			    j->c.err, CORE_EUSAGE,
			    "--level %s, but %s holds %s (%s); leave --level "
			    "out, or give the file of %s",
			    given->name, j->c.src->name,
			    census_level_find(lvl)->plural, j->level_how,
			    given->plural);
			goto cleanup;
		}
		j->lv = given;
		free(j->level_how);
		j->level_how = xstrdup("--level");
		goto cleanup;
	}
	if (!lvl) {
		if (j->f_geoid < 0 && j->f_geo_us < 0)
			rc = census_not_this(
			    j->c.err, j->c.src->name, "census boundaries",
			    "no GEOID, GEOID20 or GEOID10 field and no "
			    "STATEFP, COUNTYFP, TRACTCE, BLKGRPCE or ZCTA5CE20 "
			    "to tell the level",
			    j->names, (size_t)j->nfields, 1, "tiger");
		else if (v && strlen(v) == 5)
			rc = core_err_set(
			    j->c.err, CORE_EUSAGE,
			    "%s: its GEOIDs have 5 digits (e.g. %s), which "
			    "counties and ZCTAs both have; say which with "
			    "--level county or --level zcta",
			    j->c.src->name, v);
		else
			rc = core_err_set(
			    j->c.err, CORE_EUSAGE,
			    "%s: cannot tell the census level from its fields "
			    "or its GEOIDs (e.g. '%s'); give --level (%s)",
			    j->c.src->name, v ? v : "", census_level_names);
		goto cleanup;
	}
	j->lv = census_level_find(lvl);
cleanup:
	free(v);
	if (rc)
		return rc;
	/* Without a GEOID the code fields must build one. */
	if (j->f_geoid < 0 && j->f_geo_us < 0) {
		int ok;
		if (!strcmp(j->lv->name, "zcta"))
			ok = j->f_zcta >= 0;
		else
			ok =
			    j->f_state >= 0 &&
			    (!strcmp(j->lv->name, "state") ||
			     j->f_county >= 0) &&
			    (strcmp(j->lv->name, "tract") || j->f_tract >= 0) &&
			    (strcmp(j->lv->name, "blockgroup") ||
			     (j->f_tract >= 0 && j->f_bg >= 0));
		if (!ok) {
			char *m = xasprintf(
			    "it has no GEOID, GEOID20 or GEOID10 field, nor "
			    "the code fields to build a %s GEOID from "
			    "(STATEFP%s%s%s)",
			    j->lv->label,
			    strcmp(j->lv->name, "state") ? ", COUNTYFP" : "",
			    !strcmp(j->lv->name, "tract") ||
				    !strcmp(j->lv->name, "blockgroup")
				? ", TRACTCE"
				: "",
			    !strcmp(j->lv->name, "blockgroup") ? ", BLKGRPCE"
							       : "");
			rc = census_not_this(j->c.err, j->c.src->name,
					     "census boundaries with GEOIDs", m,
					     j->names, (size_t)j->nfields, 1,
					     "tiger");
			free(m);
		}
	}
	return rc;
}

static int setup_crs(struct tiger_job *j)
{
	return imp_crs_setup(&j->crs, j->lyr, j->c.src->name, &j->msgs,
			     j->c.err);
}

/* ---------------------------------------------------------------------
 * One feature
 * ------------------------------------------------------------------ */

/* The feature's GEOID, checked; NULL after a reject (*rc set). */
static char *geoid_of(struct tiger_job *j, OGRFeatureH f, long line, int *rc)
{
	const struct census_level *lv = j->lv;
	const char *field;
	char *v = NULL;

	if (j->f_geoid >= 0) {
		OGRFieldType t =
		    OGR_Fld_GetType(OGR_FD_GetFieldDefn(j->defn, j->f_geoid));
		field = fname(j, j->f_geoid);
		if ((t == OFTInteger || t == OFTInteger64 || t == OFTReal) &&
		    OGR_F_IsFieldSetAndNotNull(f, j->f_geoid)) {
			double d = OGR_F_GetFieldAsDouble(f, j->f_geoid);
			if (d >= 0 && d == floor(d) && d < 1e15)
				v = xasprintf("%0*lld", lv->len, (long long)d);
		}
		if (!v)
			v = text_of(j, f, j->f_geoid);
	} else if (j->f_geo_us >= 0) {
		char geoid[32], sumlev[4];
		const char *l;
		field = fname(j, j->f_geo_us);
		v = text_of(j, f, j->f_geo_us);
		if (v) {
			l = imp_census_geo_id(v, geoid, sizeof(geoid), sumlev);
			if (!l || strcmp(l, lv->name) != 0) {
				*rc = imp_reject(j->c.ws, j->c.src, line, field,
						 v, j->c.err,
						 "is not the GEO_ID of a %s; a "
						 "%s's is e.g. %s00US%s",
						 lv->label, lv->label,
						 lv->sumlev, lv->example);
				free(v);
				return NULL;
			}
			free(v);
			v = xstrdup(geoid);
		}
	} else {
		struct core_buf b = CORE_BUF_INIT;
		int parts[4] = {-1, -1, -1, -1}, k, ok = 1;
		if (!strcmp(lv->name, "zcta")) {
			parts[0] = j->f_zcta;
		} else {
			parts[0] = j->f_state;
			if (strcmp(lv->name, "state"))
				parts[1] = j->f_county;
			if (!strcmp(lv->name, "tract") ||
			    !strcmp(lv->name, "blockgroup"))
				parts[2] = j->f_tract;
			if (!strcmp(lv->name, "blockgroup"))
				parts[3] = j->f_bg;
		}
		field = fname(j, parts[0]);
		for (k = 0; k < 4 && ok; k++) {
			char *p;
			if (parts[k] < 0)
				continue;
			p = text_of(j, f, parts[k]);
			if (!p) {
				*rc = imp_reject(
				    j->c.ws, j->c.src, line, fname(j, parts[k]),
				    NULL, j->c.err,
				    "has no value; the %s's GEOID "
				    "is built from its code fields",
				    lv->label);
				ok = 0;
			} else {
				core_buf_adds(&b, p);
			}
			free(p);
		}
		if (!ok) {
			core_buf_release(&b);
			return NULL;
		}
		v = core_buf_detach(&b);
	}
	if (!v) {
		*rc = imp_reject(j->c.ws, j->c.src, line, field, NULL, j->c.err,
				 "has no value; every area needs a GEOID");
		return NULL;
	}
	if (!census_digits(v, lv->len)) {
		int digits = 1;
		const char *p;
		for (p = v; *p; p++)
			if (!isdigit((unsigned char)*p))
				digits = 0;
		*rc = imp_reject(
		    j->c.ws, j->c.src, line, field, v, j->c.err,
		    "is not a %s GEOID; a %s GEOID is %d digits, e.g. %s%s",
		    lv->label, lv->label, lv->len, lv->example,
		    digits && (int)strlen(v) < lv->len
			? " (were leading zeros lost?)"
			: "");
		free(v);
		return NULL;
	}
	return v;
}

/* ALAND/AWATER: 1 with *has set, 0 after a reject. */
static int area_m2(struct tiger_job *j, OGRFeatureH f, long line, int i,
		   double *out, int *has, int *rc)
{
	char *v = text_of(j, f, i);
	int ok = 1;

	*has = 0;
	if (!v)
		return 1;
	if (!imp_parse_number(v, out) || *out < 0) {
		*rc = imp_reject(
		    j->c.ws, j->c.src, line, fname(j, i), v, j->c.err,
		    "is not a number of 0 or more; %s is the %s "
		    "area in square metres",
		    fname(j, i), i == j->f_aland ? "land" : "water");
		ok = 0;
	} else {
		*has = 1;
	}
	free(v);
	return ok;
}

/* The feature's polygons in WGS84 as WKB (caller frees); NULL after a
 * reject. */
static unsigned char *polygon_wkb(struct tiger_job *j, OGRFeatureH f, long line,
				  int *size, int *rc)
{
	struct imp_area_geom ag;

	ag.crs = &j->crs;
	ag.rule = "census areas are polygons or multipolygons";
	ag.range =
	    j->crs.srs
		? "is out of range after reprojecting to WGS84 lon/lat (is the "
		  "file's CRS right?)"
		: "is out of range; the layer has no CRS, so coordinates are "
		  "read as WGS84 lon/lat (add the shapefile's .prj)";
	ag.msgs = NULL;
	ag.repaired = j->c.stats ? &j->c.stats->repaired : NULL;
	return imp_area_wkb(j->c.ws, j->c.src, line, OGR_F_GetGeometryRef(f),
			    &ag, size, rc, j->c.err);
}

/*
 * Write feature f (row line) as an area of level j->lv: GEOID, name,
 * land and water area (ALAND = 0 flags it as water only) and polygon in
 * WGS84, replacing an area with that GEOID from another source, and
 * count it in j->c.stats.  A bad GEOID, ALAND, AWATER or polygon, or a
 * GEOID repeated in the file, rejects the row (imp_reject).  Returns
 * CORE_OK (also after a reject), or a database error with j->c.err set.
 */
static int row(struct tiger_job *j, OGRFeatureH f, long line)
{
	sqlite3_stmt *st = j->ins;
	char *geoid = NULL, *name = NULL;
	unsigned char *wkb = NULL;
	double land = 0, water = 0;
	int has_land = 0, has_water = 0, size = 0, written, rc = CORE_OK;

	if (!(geoid = geoid_of(j, f, line, &rc)))
		goto cleanup;
	if (!area_m2(j, f, line, j->f_aland, &land, &has_land, &rc) ||
	    !area_m2(j, f, line, j->f_awater, &water, &has_water, &rc))
		goto cleanup;
	if (!(wkb = polygon_wkb(j, f, line, &size, &rc)))
		goto cleanup;
	name = text_of(j, f, j->f_name);

	sqlite3_bind_int64(st, 1, j->c.src->id);
	sqlite3_bind_text(st, 2, j->lv->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, geoid, -1, SQLITE_STATIC);
	if (name)
		sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	if (has_land)
		sqlite3_bind_double(st, 5, land);
	else
		sqlite3_bind_null(st, 5);
	if (has_water)
		sqlite3_bind_double(st, 6, water);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_int(st, 7, has_land && land == 0 ? AREA_FLAG_WATER : 0);
	sqlite3_bind_blob(st, 8, wkb, size, SQLITE_STATIC);
	if ((rc = imp_area_put(j->c.ws, j->c.src, line, j->del, st, j->lv->name,
			       geoid,
			       j->f_geoid >= 0 ? fname(j, j->f_geoid) : "GEOID",
			       j->lv->label, &written, j->c.err)) ||
	    !written)
		goto cleanup;
	if (j->c.stats) {
		j->c.stats->areas++;
		if (has_land && land == 0)
			j->c.stats->water_only++;
	}
cleanup:
	sqlite3_clear_bindings(j->del);
	sqlite3_clear_bindings(st);
	free(wkb);
	free(geoid);
	free(name);
	return rc;
}

/* ---------------------------------------------------------------------
 * The import
 * ------------------------------------------------------------------ */

static int read_rows(struct tiger_job *j)
{
	OGRFeatureH f;
	int rc = CORE_OK;

	imp_layer_start(j->lyr, j->c.src, &j->prog, &j->label);
	while (
	    (f = imp_layer_next(j->lyr, j->c.src, &j->msgs, &rc, j->c.err))) {
		j->line = (long)j->c.src->rows_read;
		rc = row(j, f, j->line);
		OGR_F_Destroy(f);
		if (rc)
			break;
		core_progress_tick(&j->prog, j->c.src->rows_read);
	}
	core_progress_end(&j->prog);
	return rc;
}

/*
 * Populations survive the polygons' replacement: kept aside before the
 * earlier import (or another source's areas) is deleted, given back to
 * the new areas after, then the "population" indicator fills the rest.
 */
static int keep_population(struct tiger_job *j)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc =
		 core_ws_exec(j->c.ws, j->c.err,
			      "CREATE TEMP TABLE IF NOT EXISTS census_keep_pop("
			      "geoid TEXT PRIMARY KEY, population REAL);"
			      "DELETE FROM temp.census_keep_pop;")) ||
	    (rc = core_ws_prepare(
		 j->c.ws, j->c.err, &st,
		 "INSERT INTO temp.census_keep_pop(geoid, population)"
		 " SELECT geoid, population FROM areas"
		 " WHERE level = ? AND population IS NOT NULL")))
		return rc;
	sqlite3_bind_text(st, 1, j->lv->name, -1, SQLITE_STATIC);
	rc = core_ws_step(j->c.ws, j->c.err, st);
	sqlite3_finalize(st);
	return rc;
}

static int give_population_back(struct tiger_job *j)
{
	sqlite3_stmt *st = NULL;
	int64_t filled = 0;
	int rc;

	if ((rc = core_ws_prepare(
		 j->c.ws, j->c.err, &st,
		 "UPDATE areas SET population = (SELECT k.population"
		 " FROM temp.census_keep_pop k WHERE k.geoid = areas.geoid)"
		 " WHERE source_id = ? AND population IS NULL"
		 " AND geoid IN (SELECT geoid FROM temp.census_keep_pop)")))
		return rc;
	sqlite3_bind_int64(st, 1, j->c.src->id);
	rc = core_ws_step(j->c.ws, j->c.err, st);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (j->c.stats)
		j->c.stats->population_set += sqlite3_changes(j->c.ws->db);
	if ((rc = core_ws_exec(j->c.ws, j->c.err,
			       "DROP TABLE temp.census_keep_pop")) ||
	    (rc = core_area_population_fill(j->c.ws, j->lv->name, &filled,
					    j->c.err)))
		return rc;
	if (j->c.stats)
		j->c.stats->population_set += filled;
	return CORE_OK;
}

static void build_options(struct tiger_job *j)
{
	struct core_buf b = CORE_BUF_INIT;

	if (j->c.o->layer || GDALDatasetGetLayerCount(j->ds) > 1)
		imp_opt_add(&b, "layer", j->c.src->layer);
	imp_opt_add(&b, "level", j->lv->name);
	imp_opt_finish(&b, j->c.o->skip_bad, j->c.src);
}

/* The Census Bureau, and the vintage from a name such as tl_2020_06_tract
 * or cb_2018_06_tract_500k (TIGER/Line or cartographic boundary). */
static void tiger_publisher(struct imp_source *src)
{
	const char *n = src->name ? src->name : "";
	char y[8] = "";
	int cb = strncmp(n, "cb_", 3) == 0;

	if ((cb || strncmp(n, "tl_", 3) == 0) && isdigit((unsigned char)n[3]) &&
	    isdigit((unsigned char)n[4]) && isdigit((unsigned char)n[5]) &&
	    isdigit((unsigned char)n[6]) && n[7] == '_')
		snprintf(y, sizeof(y), "%.4s", n + 3);
	imp_source_publisher(src, "U.S. Census Bureau",
			     cb ? "cartographic boundaries" : "TIGER/Line",
			     *y ? y : NULL);
}

int imp_tiger_import(struct core_ws *ws, const struct imp_census_opts *o,
		     struct imp_source *src, struct imp_census_stats *stats,
		     struct core_err *err)
{
	struct imp_bulk bulk = {0};
	struct tiger_job j;
	int64_t n;
	int rc;

	memset(&j, 0, sizeof(j));
	census_job_init(&j.c, ws, o, src, stats, err);
	src->csv_lines = 0;
	imp_gdal_init();
	imp_gdal_push(&j.msgs);

	if (!o->path) {
		rc = core_err_set(err, CORE_EUSAGE, "no file to import");
		goto cleanup;
	}
	if (o->columns || o->population || o->ranking || o->year) {
		rc = core_err_set(
		    err, CORE_EUSAGE,
		    "import tiger takes only --level, --layer and --skip-bad");
		goto cleanup;
	}
	if ((rc = open_file(&j)) || (rc = check_geometry(&j)) ||
	    (rc = detect_level(&j)) || (rc = setup_crs(&j)))
		goto cleanup;
	build_options(&j);
	if (stats) {
		free(stats->level);
		stats->level = xstrdup(j.lv->name);
		free(stats->what);
		stats->what = xasprintf("%s boundaries", j.lv->label);
		census_note(stats, "level %s: %s", j.lv->name, j.level_how);
		if (j.crs.ct)
			census_note(stats,
				    "reprojected from %s to WGS84 (EPSG:4326)",
				    j.crs.name);
		if (j.f_aland < 0)
			census_note(stats,
				    "no ALAND field: land area unknown, so "
				    "water-only areas cannot be told");
	}

	if ((rc = imp_bulk_begin(ws, &bulk, err)) ||
	    (rc = core_ws_begin(ws, err)) || (rc = keep_population(&j)) ||
	    (rc = imp_source_open(ws, src, err)))
		goto cleanup;
	if ((rc = core_ws_prepare(ws, err, &j.del,
				  "DELETE FROM areas WHERE level = ? AND geoid "
				  "= ? AND source_id IS NOT ?")) ||
	    (rc = core_ws_prepare(
		 ws, err, &j.ins,
		 "INSERT INTO areas(source_id, level, geoid, name, land_m2,"
		 " water_m2, flags, geom)"
		 " VALUES(?, ?, ?, ?, ?, ?, ?, GeomFromWKB(?, 4326))")))
		goto cleanup;
	tiger_publisher(src);
	if ((rc = read_rows(&j)) || (rc = imp_source_close(ws, src, err)) ||
	    (rc = give_population_back(&j)) ||
	    (rc = core_area_flags_update(ws, j.lv->name, NULL, err)))
		goto cleanup;
	n = core_area_count_flagged(ws, j.lv->name, AREA_FLAG_NO_POP, err);
	if (n < 0) {
		rc = CORE_EDB;
		goto cleanup;
	}
	if (stats)
		stats->no_population = n;
	rc = core_ws_commit(ws, err);
cleanup:
	if (rc)
		core_ws_rollback(ws);
	imp_bulk_end(ws, &bulk);
	core_progress_end(&j.prog);
	sqlite3_finalize(j.del);
	sqlite3_finalize(j.ins);
	imp_source_end_rejects(src);
	imp_crs_release(&j.crs);
	if (j.ds)
		GDALClose(j.ds);
	imp_gdal_pop();
	free(j.names);
	free(j.disk);
	free(j.gdal);
	free(j.level_how);
	free(j.label);
	return rc;
}
