/*
 * test_golden.c - maps and charts of the demo county against reference
 * images kept in tests/golden/.
 *
 * The tolerance, stated once: a pixel differs when any of its channels
 * differs by more than GOLDEN_CHANNEL (of 255); an image matches when
 * it has the reference's size and at most GOLDEN_SHARE of its pixels
 * differ.  That absorbs anti-aliasing and font hinting between cairo,
 * pixman and FreeType builds, and catches a moved legend, a lost layer,
 * a wrong class colour or a missing label.
 *
 * When a change to the maps is meant, draw the references again with
 *   ASSETMAP_UPDATE_GOLDEN=1 make test
 * and look at every image in tests/golden/ before committing them.  A
 * mismatch leaves the drawn image beside the test's other files and
 * names it.
 */
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

#define GOLDEN_DIR     TEST_SRCDIR "/tests/golden"
#define DEMO	       TEST_SRCDIR "/data/demo"
#define GOLDEN_CHANNEL 40
#define GOLDEN_SHARE   0.005

static int have_ws;

/* The demo workspace, once, with a cohort and the runs the maps use. */
static int demo_ws(void)
{
	static const char *const steps[] = {
	    "-q -d w.db init --crs EPSG:3310",
	    "-q -d w.db import areas '" DEMO
	    "/tracts.geojson' --level tract --geoid GEOID --name NAME"
	    " --source-label 'Alder County GIS|Census tracts (synthetic)|2024'",
	    "-q -d w.db import areas '" DEMO
	    "/county.geojson' --level county --geoid GEOID --name NAME"
	    " --source-label 'Alder County GIS|County line (synthetic)|2024'",
	    "-q -d w.db import indicators '" DEMO
	    "/indicators.csv' --geoid GEOID --population population"
	    " --source-label 'Alder County health department|Community "
	    "indicators (synthetic)|2024'",
	    "-q -d w.db import assets '" DEMO
	    "/assets.csv' --lon lon --lat lat --name name --id id --category "
	    "category --organization organization --capacity capacity"
	    " --source-label 'Alder County 211|Resource directory "
	    "(synthetic)|2024'",
	    "-q -d w.db import cohort asthma-kids '" DEMO
	    "/cohort.csv' --id person_id",
	    "-q -d w.db access --method e2sfca --category primary_care "
	    "--catchment 3mi",
	    "-q -d w.db deserts --category primary_care --within 2mi --cohort "
	    "asthma-kids",
	    NULL};
	size_t i;

	if (have_ws)
		return have_ws > 0;
	have_ws = -1;
	for (i = 0; steps[i]; i++) {
		char *err = NULL;
		int rc = test_run_cli(steps[i], NULL, &err);

		if (rc != 0) {
			if (rc < 0)
				test_skip("ASSETMAP is not set (run through "
					  "make test)");
			else
				test_fail(__FILE__, __LINE__,
					  "assetmap %s: exit %d: %s", steps[i],
					  rc, err ? err : "");
			free(err);
			return 0;
		}
		free(err);
	}
	have_ws = 1;
	return 1;
}

/* Pixels of a and b that differ by more than GOLDEN_CHANNEL. */
static long count_diff(cairo_surface_t *a, cairo_surface_t *b)
{
	int w = cairo_image_surface_get_width(a);
	int h = cairo_image_surface_get_height(a);
	int sa = cairo_image_surface_get_stride(a);
	int sb = cairo_image_surface_get_stride(b);
	const unsigned char *pa = cairo_image_surface_get_data(a);
	const unsigned char *pb = cairo_image_surface_get_data(b);
	long n = 0;
	int x, y, c;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			const unsigned char *qa =
			    pa + (size_t)y * (size_t)sa + 4 * (size_t)x;
			const unsigned char *qb =
			    pb + (size_t)y * (size_t)sb + 4 * (size_t)x;

			for (c = 0; c < 3; c++)
				if (abs((int)qa[c] - (int)qb[c]) >
				    GOLDEN_CHANNEL) {
					n++;
					break;
				}
		}
	return n;
}

/* Draw with args (writing OUT) and compare with tests/golden/name. */
static void golden(const char *name, const char *args)
{
	char cmd[2048], ref[1024], out[1024], *err = NULL;
	cairo_surface_t *got = NULL, *want = NULL;
	int rc, w, h;
	long diff;

	if (!demo_ws())
		return;
	/* test_path's buffers rotate: keep a copy */
	snprintf(out, sizeof(out), "%s", test_path(name));
	snprintf(cmd, sizeof(cmd), "-q -d w.db %s -o '%s'", args, out);
	rc = test_run_cli(cmd, NULL, &err);
	if (rc != 0) {
		test_fail(__FILE__, __LINE__, "assetmap %s: exit %d: %s", cmd,
			  rc, err ? err : "");
		free(err);
		return;
	}
	free(err);
	snprintf(ref, sizeof(ref), "%s/%s", GOLDEN_DIR, name);
	if (getenv("ASSETMAP_UPDATE_GOLDEN")) {
		char cp[3072];

		snprintf(cp, sizeof(cp), "cp '%s' '%s'", out, ref);
		CHECK_INT(system(cp), 0);
		printf("    wrote %s\n", ref);
		return;
	}
	got = cairo_image_surface_create_from_png(out);
	want = cairo_image_surface_create_from_png(ref);
	if (cairo_surface_status(want) != CAIRO_STATUS_SUCCESS) {
		test_fail(__FILE__, __LINE__, "cannot read the reference %s",
			  ref);
		goto done;
	}
	CHECK_INT(cairo_surface_status(got), CAIRO_STATUS_SUCCESS);
	if (cairo_surface_status(got) != CAIRO_STATUS_SUCCESS)
		goto done;
	w = cairo_image_surface_get_width(want);
	h = cairo_image_surface_get_height(want);
	CHECK_INT(cairo_image_surface_get_width(got), w);
	CHECK_INT(cairo_image_surface_get_height(got), h);
	if (cairo_image_surface_get_width(got) != w ||
	    cairo_image_surface_get_height(got) != h)
		goto done;
	diff = count_diff(got, want);
	printf("    %s: %ld of %d pixels differ (at most %.0f allowed)\n", name,
	       diff, w * h, GOLDEN_SHARE * w * h);
	if ((double)diff > GOLDEN_SHARE * w * h)
		test_fail(__FILE__, __LINE__,
			  "%s differs from %s in %ld pixels; the drawing is %s",
			  name, ref, diff, out);
done:
	if (got)
		cairo_surface_destroy(got);
	if (want)
		cairo_surface_destroy(want);
}

/* A quantile choropleth of SVI with two categories' symbols (clustered
 * where they crowd), county outline, legend and furniture. */
static void test_golden_choropleth(void)
{
	golden("demo-svi.png",
	       "map --indicator svi --category food,housing --width 900 "
	       "--height 675 --title 'Alder County: food and housing help'");
}

/* Need against access (bivariate), natural breaks of the cohort per
 * tract with suppressed cells and deserts hatched. */
static void test_golden_bivariate(void)
{
	golden("demo-bivariate.png",
	       "map --bivariate svi,access:score_primary_care --category "
	       "primary_care --width 900 --height 675 --title 'Need and access "
	       "to primary care'");
}

static void test_golden_cohort_deserts(void)
{
	golden("demo-cohort.png",
	       "map --cohort asthma-kids --deserts deserts --method jenks "
	       "--category primary_care --width 900 --height 675 --title "
	       "'Children with asthma and primary care'");
}

static void test_golden_rainbow(void)
{
	golden("demo-rainbow.png", "rainbow --top 12");
}

static const struct test tests[] = {TEST(test_golden_choropleth),
				    TEST(test_golden_bivariate),
				    TEST(test_golden_cohort_deserts),
				    TEST(test_golden_rainbow),
				    {NULL, NULL}};

int main(void)
{
	/* the note's date on every image */
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	return test_main("golden", tests);
}
