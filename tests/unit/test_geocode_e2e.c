/*
 * test_geocode_e2e.c - assetmap geocode end to end on real data: San
 * Francisco's EAS address points (../shared/data/sf-address-points)
 * imported with 'import addresses', then a file of addresses drawn from
 * them, written the messy ways people write them, geocoded to CSV and to
 * GeoPackage and read back: every one at its own address point, in its
 * row, the other columns as they were, the negatives never placed at a
 * street, and the summary's counts equal to the rows of each level.
 *
 * PENDING: needs the parser (t-addr), the matcher (t-match) and 'import
 * addresses' (t-impaddr); move it to tests/unit/ once they are merged.
 */
#include <ctype.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_csv.h"
#include "core/core_mem.h"
#include "geo/geo_geocode.h"
#include "importers/imp_common.h"
#include "testlib.h"

#define MAXPTS 400

struct want {
	char num[16], name[64], type[8], zip[8];
	double lon, lat;
};

/* Every 8th base address of the EAS excerpt (no unit, a street). */
static size_t pick(const char *eas, struct want *w)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_csv *c = core_csv_open(eas, &err);
	size_t n = 0, k = 0;
	int cnum, csfx, cname, ctype, cunit, clon, clat, czip;

	CHECK(c != NULL);
	if (!c)
		return 0;
	cnum = core_csv_col(c, "ADDR_NUM");
	csfx = core_csv_col(c, "ADDR_N_SFX");
	cname = core_csv_col(c, "ST_NAME");
	ctype = core_csv_col(c, "ST_TYPE");
	cunit = core_csv_col(c, "UNIT_NUM");
	clon = core_csv_col(c, "LONGITUDE");
	clat = core_csv_col(c, "LATITUDE");
	czip = core_csv_col(c, "ZIPCODE");
	while (core_csv_next(c, &err) == 1 && n < MAXPTS) {
		if (*core_csv_get(c, (size_t)cunit) ||
		    strcmp(core_csv_get(c, (size_t)cname), "UNKNOWN") == 0 ||
		    strcmp(core_csv_get(c, (size_t)cnum), "0") == 0)
			continue;
		if (k++ % 8)
			continue;
		snprintf(w[n].num, sizeof(w[n].num), "%s%s",
			 core_csv_get(c, (size_t)cnum),
			 core_csv_get(c, (size_t)csfx));
		snprintf(w[n].name, sizeof(w[n].name), "%s",
			 core_csv_get(c, (size_t)cname));
		snprintf(w[n].type, sizeof(w[n].type), "%s",
			 core_csv_get(c, (size_t)ctype));
		snprintf(w[n].zip, sizeof(w[n].zip), "%s",
			 core_csv_get(c, (size_t)czip));
		w[n].lon = atof(core_csv_get(c, (size_t)clon));
		w[n].lat = atof(core_csv_get(c, (size_t)clat));
		n++;
	}
	core_csv_free(c);
	return n;
}

/* "09TH" -> "9th", "VAN NESS" -> "Van Ness". */
static void casual(const char *name, char *buf, size_t n)
{
	size_t i = 0;
	int start = 1;

	while (*name == '0')
		name++;
	for (; *name && i + 1 < n; name++) {
		buf[i++] = start ? *name : (char)tolower((unsigned char)*name);
		start = *name == ' ';
	}
	buf[i] = '\0';
	if (buf[0] >= '0' && buf[0] <= '9')
		for (i = 0; buf[i]; i++)
			buf[i] = (char)tolower((unsigned char)buf[i]);
}

static const char *long_type(const char *t)
{
	static const char *const m[][2] = {{"ST", "Street"}, {"AVE", "Avenue"},
					   {"PARK", "Park"}, {"PLZ", "Plaza"},
					   {"PL", "Place"},  {"WAY", "Way"}};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(m[i][0], t) == 0)
			return m[i][1];
	return t;
}

/* Negatives: a street that does not exist, a number far outside every
 * known one. */
static const char *const negatives[] = {
    "1 Nowhere Street, San Francisco, CA 94102",
    "77 Qwertyuiop Ave, San Francisco CA 94103",
    "99999 Market St, San Francisco, CA 94102",
    "250000 Fulton St, San Francisco, CA 94102"};
#define NNEG (sizeof(negatives) / sizeof(negatives[0]))

/* The input: one-line addresses (split == 0) or split columns. */
static void write_input(const char *path, const struct want *w, size_t n,
			int split)
{
	FILE *fp = fopen(path, "w");
	size_t i;

	fputs(split ? "id,House Number,Street,Unit,City,ZIP,note\n"
		    : "id,address,note\n",
	      fp);
	for (i = 0; i < n; i++) {
		char nm[64];
		const char *unit =
		    i % 4 == 2 ? (i % 8 == 2 ? "Apt 4" : "#210") : "";

		casual(w[i].name, nm, sizeof(nm));
		if (split)
			fprintf(fp,
				"%zu,%s,%s %s,%s,San Francisco,%s,\"n, %zu\"\n",
				i, w[i].num, nm, long_type(w[i].type), unit,
				w[i].zip, i);
		else if (i % 4 == 0)
			fprintf(fp,
				"%zu,\"%s %s %s, San Francisco, CA %s\",\"n, "
				"%zu\"\n",
				i, w[i].num, w[i].name, w[i].type, w[i].zip, i);
		else if (i % 4 == 1)
			fprintf(fp,
				"%zu,\"%s %s %s, san francisco ca %s\",\"n, "
				"%zu\"\n",
				i, w[i].num, nm, long_type(w[i].type), w[i].zip,
				i);
		else if (i % 4 == 2)
			fprintf(fp,
				"%zu,\"%s %s %s %s, San Francisco, CA "
				"%s\",\"n, %zu\"\n",
				i, w[i].num, nm, w[i].type, unit, w[i].zip, i);
		else
			fprintf(fp,
				"%zu,\"%s %s %s., San Francisco, California "
				"%s-1234\",\"n, %zu\"\n",
				i, w[i].num, nm, long_type(w[i].type), w[i].zip,
				i);
	}
	for (i = 0; i < NNEG; i++)
		if (split)
			fprintf(fp, "%zu,,\"%s\",,,,neg\n", n + i,
				negatives[i]);
		else
			fprintf(fp, "%zu,\"%s\",neg\n", n + i, negatives[i]);
	fclose(fp);
}

/* The count the summary on stderr gives for a level's words, 0 when it
 * names none: "...: address point 9,101, ..." */
static long said(const char *err, const char *words)
{
	const char *p = err;
	size_t k = strlen(words);

	while ((p = strstr(p, words)) != NULL) {
		int after_sep = p >= err + 2 && strchr(":,;", p[-2]);

		if (after_sep && p[k] == ' ' &&
		    isdigit((unsigned char)p[k + 1])) {
			char digits[32];
			size_t i = 0;

			for (p += k + 1; *p && i + 1 < sizeof(digits); p++)
				if (isdigit((unsigned char)*p))
					digits[i++] = *p;
				else if (*p != ',' ||
					 !isdigit((unsigned char)p[1]))
					break;
			digits[i] = '\0';
			return atol(digits);
		}
		p += k;
	}
	return 0;
}

/* Check out.csv against w and the negatives; the levels counted. */
static void check_csv(const char *path, const struct want *w, size_t n,
		      int ncols_in, long count[6])
{
	struct core_err err = CORE_ERR_INIT;
	struct core_csv *c = core_csv_open(path, &err);
	size_t row = 0;
	int clon, clat, clevel, cnote;

	memset(count, 0, 6 * sizeof(long));
	CHECK(c != NULL);
	if (!c)
		return;
	clon = core_csv_col(c, "lon");
	clat = core_csv_col(c, "lat");
	clevel = core_csv_col(c, "level");
	cnote = core_csv_col(c, "note");
	CHECK_INT(clon, ncols_in);
	while (core_csv_next(c, &err) == 1) {
		const char *lvl = core_csv_get(c, (size_t)clevel);
		char id[32];
		int l;

		for (l = 0; l < 6; l++)
			if (strcmp(lvl, geo_gc_level_name(l)) == 0)
				count[l]++;
		snprintf(id, sizeof(id), "%zu", row);
		CHECK_STR(core_csv_get(c, 0), id);
		if (row < n) {
			char note[32];

			snprintf(note, sizeof(note), "n, %zu", row);
			CHECK_STR(core_csv_get(c, (size_t)cnote), note);
			if (strcmp(lvl, "address_point") != 0)
				test_fail(__FILE__, __LINE__,
					  "row %zu (%s %s %s %s): %s, not "
					  "address_point",
					  row, w[row].num, w[row].name,
					  w[row].type, w[row].zip, lvl);
			CHECK_NEAR(atof(core_csv_get(c, (size_t)clon)),
				   w[row].lon, 1e-6);
			CHECK_NEAR(atof(core_csv_get(c, (size_t)clat)),
				   w[row].lat, 1e-6);
		} else {
			CHECK(strcmp(lvl, "none") == 0 ||
			      strcmp(lvl, "zip") == 0);
		}
		row++;
	}
	CHECK_INT((long)row, (long)(n + NNEG));
	core_csv_free(c);
}

/* The summary on stderr agrees with the rows counted by level. */
static void check_summary(const char *err, const long count[6], size_t rows)
{
	static const char *const words[] = {"not placed",   "address point",
					    "interpolated", "street range",
					    "street",	    "ZIP centroid"};
	char want[64];
	int l;

	snprintf(want, sizeof(want), "placed %ld of %zu", (long)rows - count[0],
		 rows);
	CHECK_CONTAINS(err, want);
	for (l = 0; l < 6; l++)
		CHECK_INT(said(err, words[l]), count[l]);
}

/* out.gpkg row by row against out.csv's levels and points. */
static void check_gpkg(const char *gpkg, const char *csv)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_csv *c = core_csv_open(csv, &err);
	GDALDatasetH ds;
	OGRLayerH lay;
	OGRFeatureH f;
	int clon, clat, clevel;
	size_t rows = 0;

	imp_gdal_init();
	ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL,
			NULL);
	CHECK(ds && c);
	if (!ds || !c) {
		core_csv_free(c);
		if (ds)
			GDALClose(ds);
		return;
	}
	clon = core_csv_col(c, "lon");
	clat = core_csv_col(c, "lat");
	clevel = core_csv_col(c, "level");
	lay = GDALDatasetGetLayer(ds, 0);
	OGR_L_ResetReading(lay);
	while ((f = OGR_L_GetNextFeature(lay)) != NULL) {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		int li = OGR_F_GetFieldIndex(f, "level");

		CHECK_INT(core_csv_next(c, &err), 1);
		CHECK_STR(OGR_F_GetFieldAsString(f, 0), core_csv_get(c, 0));
		CHECK_STR(OGR_F_GetFieldAsString(f, li),
			  core_csv_get(c, (size_t)clevel));
		if (strcmp(core_csv_get(c, (size_t)clevel), "none") == 0) {
			CHECK(g == NULL);
		} else {
			CHECK(g != NULL);
			if (g) {
				CHECK_NEAR(OGR_G_GetX(g, 0),
					   atof(core_csv_get(c, (size_t)clon)),
					   1e-7);
				CHECK_NEAR(OGR_G_GetY(g, 0),
					   atof(core_csv_get(c, (size_t)clat)),
					   1e-7);
			}
		}
		OGR_F_Destroy(f);
		rows++;
	}
	CHECK_INT(core_csv_next(c, &err), 0);
	CHECK(rows > 0);
	GDALClose(ds);
	core_csv_free(c);
}

static void test_sf_end_to_end(void)
{
	const char *shared = test_shared_data();
	static struct want w[MAXPTS];
	char *eas, *args, *err = NULL, *out = NULL;
	long count[6];
	size_t n;
	int split;

	if (!shared) {
		test_skip("no ../shared/data");
		return;
	}
	if (!test_have_cli())
		return;
	eas = xasprintf("%s/sf-address-points/sf_eas_addresses_excerpt.csv",
			shared);
	n = pick(eas, w);
	CHECK(n > 100);
	CHECK_INT(test_run_cli("-q init", NULL, &err), 0);
	free(err);
	args = xasprintf("-q import addresses '%s'", eas);
	CHECK_INT(test_run_cli(args, NULL, &err), 0);
	free(args);
	free(err);
	for (split = 0; split < 2; split++) {
		write_input(test_path("in.csv"), w, n, split);
		CHECK_INT(test_run_cli("geocode in.csv -o out.csv", NULL, &err),
			  0);
		check_csv(test_path("out.csv"), w, n, split ? 7 : 3, count);
		check_summary(err, count, n + NNEG);
		/* no address of the file in what was said */
		CHECK(!strstr(err, "Nowhere") && !strstr(err, "Qwertyuiop"));
		free(err);
		CHECK_INT(
		    test_run_cli("geocode in.csv -o out.gpkg", NULL, &err), 0);
		free(err);
		check_gpkg(test_path("out.gpkg"), test_path("out.csv"));
	}
	/* the workspace holds no trace of the file */
	CHECK_INT(test_run_cli("sources", &out, &err), 0);
	CHECK(!strstr(out, "in.csv"));
	free(out);
	free(err);
	free(eas);
}

static const struct test tests[] = {TEST(test_sf_end_to_end), {0}};

int main(void)
{
	int rc = test_main("geocode_e2e", tests);

	test_libs_shutdown();
	return rc;
}
