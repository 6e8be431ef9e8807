/*
 * test_classify.c - classification methods and palettes, against values
 * worked by hand from the rules stated in render_classify.h and
 * ColorBrewer's published schemes.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render_classify.h"
#include "render/render_palette.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Classification, worked by hand from the rule in render_classify.h:
 * break i is the value of rank ceil(i * m / k); ties merge.
 * ------------------------------------------------------------------ */

static void test_quantile_breaks(void)
{
	const double v[] = { 7, 3, 10, 1, 9, 2, 5, 4, 8, 6 };
	const double w[] = { 1, 2, 3, 4, 5, 6, 7 };
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;
	int i;

	/* m = 10, k = 5: ranks 2, 4, 6, 8 -> breaks 2, 4, 6, 8, max 10 */
	CHECK_INT(render_classify_quantile(v, 10, 5, &c, &err), CORE_OK);
	CHECK_INT(c.n, 5);
	for (i = 0; i < 5; i++) {
		CHECK_NEAR(c.upper[i], 2.0 * (i + 1), 0);
		CHECK_INT(c.count[i], 2);
		CHECK_NEAR(c.lo[i], 2.0 * i + 1, 0);
		CHECK_NEAR(c.hi[i], 2.0 * i + 2, 0);
	}
	CHECK_INT(c.nodata, 0);
	/* A value on a break goes in the lower class. */
	CHECK_INT(render_class_of(&c, 2), 0);
	CHECK_INT(render_class_of(&c, 2.0001), 1);
	CHECK_INT(render_class_of(&c, 10), 4);
	CHECK_INT(render_class_of(&c, -5), 0);
	CHECK_INT(render_class_of(&c, 50), 4);

	/* m = 7, k = 4: ranks ceil(7/4)=2, ceil(14/4)=4, ceil(21/4)=6 */
	CHECK_INT(render_classify_quantile(w, 7, 4, &c, &err), CORE_OK);
	CHECK_INT(c.n, 4);
	CHECK_NEAR(c.upper[0], 2, 0);
	CHECK_NEAR(c.upper[1], 4, 0);
	CHECK_NEAR(c.upper[2], 6, 0);
	CHECK_NEAR(c.upper[3], 7, 0);
	CHECK_INT(c.count[0], 2);
	CHECK_INT(c.count[1], 2);
	CHECK_INT(c.count[2], 2);
	CHECK_INT(c.count[3], 1);
}

static void test_quantile_ties(void)
{
	const double ties[] = { 1, 1, 1, 1, 2, 3 };
	const double flat[] = { 5, 5, 5, 5, 5 };
	const double few[] = { 2, 1 };
	const double top[] = { 1, 2, 9, 9, 9, 9 };
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;
	int i;

	/* m = 6, k = 3: ranks 2 and 4 are both 1; merged: {1,1,1,1} {2,3} */
	CHECK_INT(render_classify_quantile(ties, 6, 3, &c, &err), CORE_OK);
	CHECK_INT(c.n, 2);
	CHECK_NEAR(c.upper[0], 1, 0);
	CHECK_NEAR(c.upper[1], 3, 0);
	CHECK_INT(c.count[0], 4);
	CHECK_INT(c.count[1], 2);
	CHECK_NEAR(c.lo[1], 2, 0);

	/* Constant data: one class. */
	CHECK_INT(render_classify_quantile(flat, 5, 5, &c, &err), CORE_OK);
	CHECK_INT(c.n, 1);
	CHECK_INT(c.count[0], 5);
	CHECK_NEAR(c.lo[0], 5, 0);
	CHECK_NEAR(c.hi[0], 5, 0);

	/* Fewer values than classes. */
	CHECK_INT(render_classify_quantile(few, 2, 5, &c, &err), CORE_OK);
	CHECK_INT(c.n, 2);
	CHECK_INT(c.count[0], 1);
	CHECK_INT(c.count[1], 1);

	/* A break equal to the maximum is dropped: m = 6, k = 3, ranks 2, 4
	 * give 2 and 9 = max, so {1,2} {9,9,9,9}. */
	CHECK_INT(render_classify_quantile(top, 6, 3, &c, &err), CORE_OK);
	CHECK_INT(c.n, 2);
	CHECK_INT(c.count[0], 2);
	CHECK_INT(c.count[1], 4);

	/* Never an empty class, whatever k. */
	for (i = 1; i <= 9; i++) {
		int k;
		CHECK_INT(render_classify_quantile(ties, 6, i, &c, &err),
			  CORE_OK);
		for (k = 0; k < c.n; k++)
			CHECK(c.count[k] > 0);
	}
}

static void test_quantile_nodata(void)
{
	const double v[] = { NAN, 3, INFINITY, 1, 2 };
	const double none[] = { NAN, NAN };
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;

	CHECK_INT(render_classify_quantile(v, 5, 3, &c, &err), CORE_OK);
	CHECK_INT(c.n, 3);
	CHECK_INT(c.nodata, 2);
	CHECK_INT(c.count[0] + c.count[1] + c.count[2], 3);
	CHECK_INT(render_class_of(&c, NAN), -1);
	CHECK_INT(render_class_of(&c, 1), 0);
	CHECK_INT(render_class_of(&c, 3), 2);

	CHECK_INT(render_classify_quantile(none, 2, 5, &c, &err), CORE_OK);
	CHECK_INT(c.n, 0);
	CHECK_INT(c.nodata, 2);
	CHECK_INT(render_class_of(&c, 1), -1);

	CHECK_INT(render_classify_quantile(v, 5, 0, &c, &err), CORE_EUSAGE);
	CHECK_INT(render_classify_quantile(v, 5, 10, &c, &err), CORE_EUSAGE);
}


/* ---------------------------------------------------------------------
 * Palettes
 * ------------------------------------------------------------------ */

static void test_palette_exact(void)
{
	static const uint32_t ylorrd5[] = { 0xffffb2, 0xfecc5c, 0xfd8d3c,
					    0xf03b20, 0xbd0026 };
	static const char *const required[] = { "YlOrRd", "YlGnBu", "Blues",
						"Purples", "Greens", "Oranges",
						"OrRd", "PuBu" };
	const struct render_palette *p;
	struct core_err err = CORE_ERR_INIT;
	uint32_t c[9];
	size_t i;
	int k, j;

	p = render_palette_find("ylorrd");
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_STR(p->name, "YlOrRd");
	CHECK_INT(render_palette_colors(p, 5, c, &err), CORE_OK);
	for (j = 0; j < 5; j++)
		CHECK_INT(c[j], ylorrd5[j]);
	CHECK_INT(p->colors[9 - 3][8], 0x800026);
	CHECK_INT(p->colors[3 - 3][0], 0xffeda0);

	p = render_palette_find("Blues");
	CHECK(p && p->colors[9 - 3][8] == 0x08306b);
	CHECK(p && p->colors[4 - 3][0] == 0xeff3ff);
	p = render_palette_find("YlGnBu");
	CHECK(p && p->colors[3 - 3][0] == 0xedf8b1);
	CHECK(p && p->colors[7 - 3][6] == 0x0c2c84);
	p = render_palette_find("PuBu");
	CHECK(p && p->colors[5 - 3][4] == 0x045a8d);
	p = render_palette_find("Greens");
	CHECK(p && p->colors[9 - 3][8] == 0x00441b);

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		CHECK(render_palette_find(required[i]) != NULL);
	CHECK(render_palette_find("Greys") == NULL);
	CHECK(render_palette_find("nope") == NULL);
	/* Every scheme: colour-blind safe, k colours for k = 3..9, light
	 * to dark (the first is the lightest). */
	for (i = 0; (p = render_palette_at(i)); i++) {
		CHECK(p->cb_safe);
		for (k = 3; k <= 9; k++) {
			for (j = 0; j < k; j++)
				CHECK(p->colors[k - 3][j] != 0);
			for (j = k; j < 9; j++)
				CHECK_INT(p->colors[k - 3][j], 0);
		}
	}
	CHECK_INT(i, render_palette_count());
	p = render_palette_find("YlOrRd");
	CHECK_INT(render_palette_colors(p, 1, c, &err), CORE_OK);
	CHECK_INT(c[0], 0xfeb24c);
	CHECK_INT(render_palette_colors(p, 2, c, &err), CORE_OK);
	CHECK_INT(c[0], 0xffeda0);
	CHECK_INT(c[1], 0xf03b20);
	CHECK_INT(render_palette_colors(p, 10, c, &err), CORE_EUSAGE);
	CHECK_INT(render_color_parse("#E6550d", &c[0]), 0);
	CHECK_INT(c[0], 0xe6550d);
	CHECK(render_color_parse("e6550d", &c[0]) != 0);
	CHECK(render_color_parse("#e6550", &c[0]) != 0);
	CHECK(render_color_parse("#e6550g", &c[0]) != 0);
}

static const struct test tests[] = {
	TEST(test_quantile_breaks),
	TEST(test_quantile_ties),
	TEST(test_quantile_nodata),
	TEST(test_palette_exact),
	{ NULL, NULL }
};

int main(void)
{
	return test_main("classify", tests);
}
