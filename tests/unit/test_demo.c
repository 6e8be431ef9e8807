/*
 * test_demo.c - the demo county in data/demo/.
 *
 * What gen_demo makes is what is committed, byte for byte, every time it
 * runs; and the committed data hold together: the tracts tile the county,
 * every point lies inside it, every category is used, the tables agree.
 *
 * The generator is found through $GEN_DEMO (set by `make test`); without
 * it the generation test is skipped and the data are still checked.
 * GeoJSON is read back through GDAL, as the importer reads it, and checked
 * with GEOS.
 */
#include <gdal.h>
#include <geos_c.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/core_csv.h"
#include "core/core_mem.h"
#include "testlib.h"

#define DEMO_DIR     TEST_SRCDIR "/data/demo"
#define TAXONOMY_DIR TEST_SRCDIR "/data/taxonomy"

static const char *const demo_files[] = {"county.geojson", "tracts.geojson",
					 "indicators.csv", "assets.csv",
					 "cohort.csv",	   NULL};

/* ---- helpers ------------------------------------------------------------ */

static GEOSContextHandle_t gh;
static char geos_msg[512];

static void on_geos_error(const char *msg, void *data)
{
	(void)data;
	snprintf(geos_msg, sizeof(geos_msg), "%s", msg);
}

/* The whole file, or NULL; *len gets its size. */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *s = NULL;
	size_t cap = 0, n = 0, got;

	*len = 0;
	if (!fp)
		return NULL;
	do {
		xgrow((void **)&s, &cap, n + 65536, 1);
		got = fread(s + n, 1, cap - n, fp);
		n += got;
	} while (got > 0);
	fclose(fp);
	*len = n;
	return s;
}

/* Run gen_demo into dir; its exit status, or -1 when it did not run. */
static int run_gen(const char *bin, const char *dir)
{
	char *cmd = xasprintf("'%s' '%s' >/dev/null", bin, dir);
	int st = system(cmd);

	free(cmd);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Compare two files; on a difference say where, by line. */
static void check_same_file(const char *got_path, const char *want_path)
{
	size_t gl, wl, i, line = 1;
	char *got = slurp(got_path, &gl), *want = slurp(want_path, &wl);

	if (!got || !want) {
		test_fail(__FILE__, __LINE__, "cannot read %s",
			  got ? want_path : got_path);
	} else if (gl != wl || memcmp(got, want, gl) != 0) {
		for (i = 0; i < gl && i < wl && got[i] == want[i]; i++)
			line += got[i] == '\n';
		test_fail(
		    __FILE__, __LINE__,
		    "%s (%zu bytes) differs from %s (%zu bytes) at line %zu; "
		    "run `make demo-data` and commit data/demo/",
		    got_path, gl, want_path, wl, line);
	}
	free(got);
	free(want);
}

/* One feature of a GeoJSON file, read through GDAL into GEOS. */
struct feat {
	GEOSGeometry *g;
	const GEOSPreparedGeometry *prep;
	char *geoid, *name;
	long long aland;
	double xmin, ymin, xmax, ymax;
};

struct layer {
	struct feat *f;
	size_t n;
	int loaded;
};

static struct layer county, tracts;

static int load_layer(const char *path, struct layer *l)
{
	GDALDatasetH ds;
	OGRLayerH lyr;
	OGRFeatureH f;
	GEOSWKBReader *rd;
	size_t cap = 0;

	if (l->loaded)
		return l->f != NULL;
	l->loaded = 1;
	ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL,
			NULL);
	if (!ds) {
		test_fail(__FILE__, __LINE__, "GDAL cannot open %s", path);
		return 0;
	}
	rd = GEOSWKBReader_create_r(gh);
	lyr = GDALDatasetGetLayer(ds, 0);
	OGR_L_ResetReading(lyr);
	while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
		OGRGeometryH geom = OGR_F_GetGeometryRef(f);
		struct feat *ft;
		unsigned char *wkb;
		size_t sz;
		int i;

		xgrow((void **)&l->f, &cap, l->n + 1, sizeof(*l->f));
		ft = &l->f[l->n++];
		memset(ft, 0, sizeof(*ft));
		i = OGR_F_GetFieldIndex(f, "GEOID");
		ft->geoid = xstrdup(i >= 0 ? OGR_F_GetFieldAsString(f, i) : "");
		i = OGR_F_GetFieldIndex(f, "NAME");
		ft->name = xstrdup(i >= 0 ? OGR_F_GetFieldAsString(f, i) : "");
		i = OGR_F_GetFieldIndex(f, "ALAND_M2");
		ft->aland = i >= 0 ? OGR_F_GetFieldAsInteger64(f, i) : -1;
		if (geom) {
			sz = (size_t)OGR_G_WkbSize(geom);
			wkb = xmalloc(sz);
			OGR_G_ExportToWkb(geom, wkbNDR, wkb);
			ft->g = GEOSWKBReader_read_r(gh, rd, wkb, sz);
			free(wkb);
		}
		if (ft->g) {
			GEOSGeom_getXMin_r(gh, ft->g, &ft->xmin);
			GEOSGeom_getYMin_r(gh, ft->g, &ft->ymin);
			GEOSGeom_getXMax_r(gh, ft->g, &ft->xmax);
			GEOSGeom_getYMax_r(gh, ft->g, &ft->ymax);
			ft->prep = GEOSPrepare_r(gh, ft->g);
		} else {
			test_fail(__FILE__, __LINE__,
				  "%s: feature %s has no geometry", path,
				  ft->geoid);
		}
		OGR_F_Destroy(f);
	}
	GEOSWKBReader_destroy_r(gh, rd);
	GDALClose(ds);
	return l->f != NULL;
}

static void free_layer(struct layer *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->f[i].prep)
			GEOSPreparedGeom_destroy_r(gh, l->f[i].prep);
		GEOSGeom_destroy_r(gh, l->f[i].g);
		free(l->f[i].geoid);
		free(l->f[i].name);
	}
	free(l->f);
	memset(l, 0, sizeof(*l));
}

static int load_demo(void)
{
	return load_layer(DEMO_DIR "/county.geojson", &county) &&
	       load_layer(DEMO_DIR "/tracts.geojson", &tracts) &&
	       county.n == 1 && county.f[0].g;
}

static int in_county(double lon, double lat)
{
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(gh, lon, lat);
	char in = GEOSPreparedContains_r(gh, county.f[0].prep, pt);

	GEOSGeom_destroy_r(gh, pt);
	return in == 1;
}

/* A CSV of the demo, opened, or NULL with a failure recorded. */
static struct core_csv *open_csv(const char *path)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_csv *c = core_csv_open(path, &err);

	if (!c)
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	return c;
}

static const char *field(const struct core_csv *c, const char *name)
{
	int i = core_csv_col(c, name);

	return i < 0 ? NULL : core_csv_get(c, (size_t)i);
}

/* The codes in the first column of a taxonomy file. */
static size_t load_codes(const char *path, char codes[][40], size_t max)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_csv *c = open_csv(path);
	size_t n = 0;

	while (c && n < max && core_csv_next(c, &err) == 1)
		snprintf(codes[n++], 40, "%s", core_csv_get(c, 0));
	core_csv_free(c);
	return n;
}

static long find_code(char codes[][40], size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(codes[i]) == len && strncmp(codes[i], s, len) == 0)
			return (long)i;
	return -1;
}

/* ---- tests -------------------------------------------------------------- */

/* (a) gen_demo makes the committed files, and makes them again the same. */
static void test_generate_matches_committed(void)
{
	const char *bin = getenv("GEN_DEMO");
	char *a, *b;
	size_t i;

	if (!bin || !*bin) {
		test_skip("GEN_DEMO is not set (run through `make test`)");
		return;
	}
	a = xasprintf("%s/gen1", test_tmpdir());
	b = xasprintf("%s/gen2", test_tmpdir());
	CHECK_INT(run_gen(bin, a), 0);
	CHECK_INT(run_gen(bin, b), 0);
	for (i = 0; demo_files[i]; i++) {
		char *pa = xasprintf("%s/%s", a, demo_files[i]);
		char *pb = xasprintf("%s/%s", b, demo_files[i]);
		char *pc = xasprintf("%s/%s", DEMO_DIR, demo_files[i]);

		check_same_file(pb, pa); /* deterministic run to run */
		check_same_file(pa, pc); /* and what is committed */
		free(pa);
		free(pb);
		free(pc);
	}
	free(a);
	free(b);
}

/* (b) about 200 valid tracts whose interiors are disjoint and whose union
 * is the county. */
static void test_tracts_tile_county(void)
{
	GEOSGeometry **all, *coll, *uni;
	double union_area = 0, county_area = 0, sum = 0;
	size_t i, j, overlaps = 0, pairs = 0;

	if (!load_demo()) {
		test_fail(__FILE__, __LINE__, "cannot load the demo GeoJSON");
		return;
	}
	CHECK(tracts.n >= 180 && tracts.n <= 220);
	CHECK_STR(county.f[0].geoid, "06999");
	CHECK_INT(GEOSisValid_r(gh, county.f[0].g), 1);
	for (i = 0; i < tracts.n; i++) {
		const struct feat *t = &tracts.f[i];
		double a = 0;

		if (strlen(t->geoid) != 11 ||
		    strncmp(t->geoid, "06999", 5) != 0 ||
		    strspn(t->geoid, "0123456789") != 11)
			test_fail(__FILE__, __LINE__, "tract GEOID \"%s\"",
				  t->geoid);
		if (i && strcmp(tracts.f[i - 1].geoid, t->geoid) >= 0)
			test_fail(__FILE__, __LINE__,
				  "GEOIDs not sorted or repeated at \"%s\"",
				  t->geoid);
		if (strncmp(t->name, "Census Tract ", 13) != 0)
			test_fail(__FILE__, __LINE__, "tract NAME \"%s\"",
				  t->name);
		if (t->aland <= 0)
			test_fail(__FILE__, __LINE__, "tract %s ALAND_M2 %lld",
				  t->geoid, t->aland);
		if (GEOSGeomTypeId_r(gh, t->g) != GEOS_MULTIPOLYGON)
			test_fail(__FILE__, __LINE__,
				  "tract %s is not a MultiPolygon", t->geoid);
		if (GEOSisValid_r(gh, t->g) != 1) {
			char *why = GEOSisValidReason_r(gh, t->g);
			test_fail(__FILE__, __LINE__, "tract %s invalid: %s",
				  t->geoid, why ? why : "?");
			GEOSFree_r(gh, why);
		}
		GEOSArea_r(gh, t->g, &a);
		sum += a;
	}
	/* interiors pairwise disjoint: relate only where the boxes meet */
	for (i = 0; i < tracts.n; i++)
		for (j = i + 1; j < tracts.n; j++) {
			const struct feat *s = &tracts.f[i], *t = &tracts.f[j];
			char r;

			if (s->xmax < t->xmin || t->xmax < s->xmin ||
			    s->ymax < t->ymin || t->ymax < s->ymin)
				continue;
			pairs++;
			r = GEOSRelatePattern_r(gh, s->g, t->g, "T********");
			if (r != 0) {
				overlaps++;
				if (overlaps <= 5)
					test_fail(__FILE__, __LINE__,
						  "tracts %s and %s: interiors "
						  "intersect (relate %d %s)",
						  s->geoid, t->geoid, r,
						  geos_msg);
			}
		}
	CHECK_INT(overlaps, 0);
	CHECK(pairs > tracts.n); /* the prefilter let neighbours through */

	all = xcalloc(tracts.n, sizeof(*all));
	for (i = 0; i < tracts.n; i++)
		all[i] = GEOSGeom_clone_r(gh, tracts.f[i].g);
	coll = GEOSGeom_createCollection_r(gh, GEOS_GEOMETRYCOLLECTION, all,
					   (unsigned)tracts.n);
	free(all);
	uni = GEOSUnaryUnion_r(gh, coll);
	CHECK(uni != NULL);
	if (uni) {
		GEOSArea_r(gh, uni, &union_area);
		GEOSArea_r(gh, county.f[0].g, &county_area);
		CHECK_NEAR(union_area / county_area, 1.0, 1e-9);
		CHECK_NEAR(sum / county_area, 1.0, 1e-9);
		/* the same shape, not only the same area */
		CHECK_INT(GEOSEquals_r(gh, uni, county.f[0].g), 1);
	}
	GEOSGeom_destroy_r(gh, uni);
	GEOSGeom_destroy_r(gh, coll);
}

/* Indicators: one row per tract; residentless tracts have no svi. */
static void test_indicators(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_csv *c;
	size_t rows = 0, zero = 0, i;
	long long pop = 0;
	char *seen;

	if (!load_demo())
		return;
	c = open_csv(DEMO_DIR "/indicators.csv");
	if (!c)
		return;
	seen = xcalloc(tracts.n, 1);
	while (core_csv_next(c, &err) == 1) {
		const char *geoid = field(c, "GEOID"), *svi = field(c, "svi");
		long p = strtol(field(c, "population"), NULL, 10);
		int found = 0;

		rows++;
		for (i = 0; i < tracts.n; i++)
			if (strcmp(tracts.f[i].geoid, geoid) == 0) {
				CHECK(!seen[i]);
				seen[i] = 1;
				found = 1;
			}
		if (!found)
			test_fail(__FILE__, __LINE__,
				  "indicators: GEOID %s is no tract", geoid);
		pop += p;
		if (p == 0) {
			zero++;
			CHECK_STR(svi, "");
		} else {
			double v = strtod(svi, NULL);
			CHECK(*svi && v >= 0 && v <= 1);
			CHECK(p >= 1000 && p <= 8000);
			CHECK(strtol(field(c, "children"), NULL, 10) < p / 2);
		}
		CHECK(field(c, "poverty_rate") && field(c, "limited_english") &&
		      field(c, "uninsured"));
	}
	CHECK_INT(err.code, 0);
	CHECK_INT(rows, tracts.n);
	CHECK(zero >= 2 && zero <= 3);
	CHECK(pop > 600000 && pop < 1000000);
	free(seen);
	core_csv_free(c);
}

/* (c), (d) assets: inside the county, every category used, every code and
 * program from the taxonomy. */
static void test_assets(void)
{
	static char cats[64][40], progs[64][40];
	struct core_err err = CORE_ERR_INIT;
	int used[64] = {0};
	struct core_csv *c;
	size_t ncat, nprog, rows = 0, outside = 0, i;

	if (!load_demo())
		return;
	ncat = load_codes(TAXONOMY_DIR "/categories.csv", cats, 64);
	nprog = load_codes(TAXONOMY_DIR "/medi_cal_community_supports.csv",
			   progs, 64);
	CHECK_INT(ncat, 18);
	c = open_csv(DEMO_DIR "/assets.csv");
	if (!c)
		return;
	while (core_csv_next(c, &err) == 1) {
		const char *cat = field(c, "category"),
			   *prog = field(c, "programs");
		const char *phone = field(c, "phone"),
			   *mc = field(c, "accepts_medi_cal");
		const char *p;

		rows++;
		if (!in_county(strtod(field(c, "lon"), NULL),
			       strtod(field(c, "lat"), NULL)) &&
		    ++outside <= 5)
			test_fail(__FILE__, __LINE__,
				  "asset %s is outside the county",
				  field(c, "id"));
		for (p = cat; *p;) {
			size_t len = strcspn(p, ";");
			long k = find_code(cats, ncat, p, len);
			if (k < 0)
				test_fail(__FILE__, __LINE__,
					  "asset %s: category \"%.*s\"",
					  field(c, "id"), (int)len, p);
			else
				used[k]++;
			p += len + (p[len] == ';');
		}
		CHECK(*cat);
		for (p = prog; *p;) {
			size_t len = strcspn(p, ";");
			if (find_code(progs, nprog, p, len) < 0)
				test_fail(__FILE__, __LINE__,
					  "asset %s: program \"%.*s\"",
					  field(c, "id"), (int)len, p);
			p += len + (p[len] == ';');
		}
		CHECK(strcmp(mc, "yes") == 0 || strcmp(mc, "no") == 0);
		CHECK(!*phone || (strlen(phone) == 14 &&
				  strncmp(phone, "(209) 555-01", 12) == 0));
		CHECK(*field(c, "name") && *field(c, "city") &&
		      *field(c, "zip"));
	}
	CHECK_INT(err.code, 0);
	CHECK_INT(outside, 0);
	CHECK(rows >= 380 && rows <= 420);
	for (i = 0; i < ncat; i++)
		if (!used[i])
			test_fail(__FILE__, __LINE__,
				  "no asset has category %s", cats[i]);
	core_csv_free(c);
}

/* (c), (e) the cohort: 5,000 +- 5% children, all inside the county. */
static void test_cohort(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_csv *c;
	size_t rows = 0, outside = 0;

	if (!load_demo())
		return;
	c = open_csv(DEMO_DIR "/cohort.csv");
	if (!c)
		return;
	CHECK_INT(core_csv_nfields(c), 5);
	while (core_csv_next(c, &err) == 1) {
		const char *id = field(c, "person_id");
		long age = strtol(field(c, "age"), NULL, 10);

		rows++;
		if (!in_county(strtod(field(c, "lon"), NULL),
			       strtod(field(c, "lat"), NULL)) &&
		    ++outside <= 5)
			test_fail(__FILE__, __LINE__,
				  "cohort %s is outside the county", id);
		CHECK(id[0] == 'P' && strlen(id) == 7);
		CHECK(age >= 0 && age <= 17);
		CHECK(*field(c, "language"));
	}
	CHECK_INT(err.code, 0);
	CHECK_INT(outside, 0);
	CHECK(rows >= 4750 && rows <= 5250);
	core_csv_free(c);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(test_generate_matches_committed),
	    TEST(test_tracts_tile_county),
	    TEST(test_indicators),
	    TEST(test_assets),
	    TEST(test_cohort),
	    {0}};
	int rc;

	gh = GEOS_init_r();
	GEOSContext_setErrorMessageHandler_r(gh, on_geos_error, NULL);
	GDALAllRegister();
	CPLPushErrorHandler(CPLQuietErrorHandler);
	rc = test_main("demo", tests);
	free_layer(&county);
	free_layer(&tracts);
	GEOS_finish_r(gh);
	CPLPopErrorHandler();
	GDALDestroy();
	return rc;
}
