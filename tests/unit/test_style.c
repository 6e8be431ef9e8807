/*
 * test_style.c - the map file (render_style.c): round trips, byte-stable
 * rewriting, sizes, and errors that name the file, line and key.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "render/render_style.h"
#include "testlib.h"

/* A fresh spec as cmd_map starts one for a format. */
static void fresh(struct render_spec *s, enum render_format f)
{
	render_spec_init(s);
	s->format = f;
	if (f != RENDER_PNG) {
		s->width = 792;
		s->height = 612;
	}
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Every field a map file carries. */
static void check_equal(const struct render_spec *a,
			const struct render_spec *b, int line)
{
	size_t i;
	int ok = 1;

#define EQ_S(f)                                                                \
	do {                                                                   \
		if (!same_str(a->f, b->f)) {                                   \
			ok = 0;                                                \
			test_fail(__FILE__, line, "%s: '%s' != '%s'", #f,      \
				  a->f ? a->f : "(null)",                      \
				  b->f ? b->f : "(null)");                     \
		}                                                              \
	} while (0)
#define EQ_N(f)                                                                \
	do {                                                                   \
		if (a->f != b->f) {                                            \
			ok = 0;                                                \
			test_fail(__FILE__, line, "%s: %g != %g", #f,          \
				  (double)a->f, (double)b->f);                 \
		}                                                              \
	} while (0)
	EQ_S(title);
	EQ_S(subtitle);
	EQ_S(level);
	EQ_S(indicator);
	EQ_S(palette);
	EQ_S(bivar_x);
	EQ_S(bivar_y);
	EQ_S(bivar_palette);
	EQ_S(cohort);
	EQ_S(deserts);
	EQ_S(outline);
	EQ_S(author);
	EQ_S(subject);
	EQ_S(page);
	EQ_N(method);
	EQ_N(classes);
	EQ_N(nbreaks);
	EQ_N(ncategories);
	EQ_N(no_assets);
	EQ_N(size_by_capacity);
	EQ_N(no_cluster);
	EQ_N(partners);
	EQ_N(no_labels);
	EQ_N(no_inset);
	EQ_N(units);
	EQ_N(portrait);
	EQ_N(dpi);
	EQ_N(width);
	EQ_N(height);
	EQ_N(format);
#undef EQ_S
#undef EQ_N
	for (i = 0; ok && i < a->nbreaks; i++)
		if (a->breaks[i] != b->breaks[i])
			test_fail(__FILE__, line, "break %zu: %.17g != %.17g",
				  i, a->breaks[i], b->breaks[i]);
	for (i = 0; ok && i < a->ncategories; i++)
		if (strcmp(a->categories[i], b->categories[i]) != 0)
			test_fail(__FILE__, line, "category %zu: %s != %s", i,
				  a->categories[i], b->categories[i]);
}

/* Write s, read it back (equal), write that again (same bytes). */
static void round_trip(const struct render_spec *s, int line)
{
	struct core_err err = CORE_ERR_INIT;
	struct render_style *st = NULL;
	struct render_spec back;
	const char *path = test_path("trip.txt");
	char *first = NULL, *second = NULL;

	if (render_style_write(path, s, &err)) {
		test_fail(__FILE__, line, "write: %s", err.msg);
		return;
	}
	first = test_slurp(path, NULL);
	fresh(&back, s->format);
	back.creator = s->creator;
	if (render_style_read(path, &back, &st, &err)) {
		test_fail(__FILE__, line, "read: %s\n%s", err.msg, first);
		goto done;
	}
	check_equal(s, &back, line);
	unlink(path);
	if (render_style_write(path, &back, &err))
		test_fail(__FILE__, line, "rewrite: %s", err.msg);
	second = test_slurp(path, NULL);
	if (!first || !second || strcmp(first, second) != 0)
		test_fail(__FILE__, line,
			  "rewritten file differs:\n%s\n----\n%s", first,
			  second ? second : "(none)");
done:
	render_style_free(st);
	free(first);
	free(second);
}

static void test_round_trips(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct render_spec s;
	static const double breaks[] = {0.1, 0.25, 1.0 / 3, 1e6};
	static const char *const cats[] = {"food", "housing", "legal"};

	/* The defaults, PNG and PDF. */
	fresh(&s, RENDER_PNG);
	round_trip(&s, __LINE__);
	fresh(&s, RENDER_PDF);
	round_trip(&s, __LINE__);

	/* Everything set, a PDF on a named page. */
	fresh(&s, RENDER_PDF);
	s.title = "Food # help = hope";
	s.subtitle = "  spaced out  ";
	s.level = "blockgroup";
	s.indicator = "gaps:unmet_food";
	s.method = RENDER_MANUAL;
	s.breaks = breaks;
	s.nbreaks = 4;
	s.classes = 5;
	s.palette = "PuBuGn";
	s.bivar_x = "gaps:need";
	s.bivar_y = "access:score_food";
	s.bivar_palette = "GreenBlue";
	s.cohort = "diabetes 2024";
	s.deserts = "last";
	s.categories = cats;
	s.ncategories = 3;
	s.no_assets = 1;
	s.size_by_capacity = 1;
	s.no_cluster = 1;
	s.partners = RENDER_PARTNERS_PROSPECTIVE;
	s.outline = "state";
	s.no_labels = 1;
	s.no_inset = 1;
	s.units = RENDER_KM;
	s.author = "\"Quoted\" Coalition";
	s.subject = "";
	s.dpi = 300;
	CHECK_INT(render_style_set_size(&s, "tabloid", 1, 0, 0, &err), CORE_OK);
	CHECK_NEAR(s.width, 792, 1e-9);
	CHECK_NEAR(s.height, 1224, 1e-9);
	round_trip(&s, __LINE__);

	/* Custom pixel sizes: PNG at 100 dpi, SVG at 300 (points). */
	fresh(&s, RENDER_PNG);
	s.method = RENDER_JENKS;
	s.classes = 7;
	s.outline = "none";
	s.dpi = 100;
	CHECK_INT(render_style_set_size(&s, NULL, 0, 1234, 777, &err), CORE_OK);
	CHECK_NEAR(s.width, 1234, 1e-9);
	round_trip(&s, __LINE__);
	fresh(&s, RENDER_SVG);
	s.dpi = 300;
	CHECK_INT(render_style_set_size(&s, NULL, 0, 1000, 3001, &err),
		  CORE_OK);
	CHECK_NEAR(s.width, 240, 1e-9);
	CHECK_NEAR(s.height, 3001 * 72 / 300.0, 1e-9);
	round_trip(&s, __LINE__);

	/* A PNG page: points x dpi / 72. */
	fresh(&s, RENDER_PNG);
	s.dpi = 300;
	CHECK_INT(render_style_set_size(&s, "letter", 1, 0, 0, &err), CORE_OK);
	CHECK_NEAR(s.width, 2550, 1e-9);
	CHECK_NEAR(s.height, 3300, 1e-9);
	round_trip(&s, __LINE__);
	fresh(&s, RENDER_PNG);
	CHECK_INT(render_style_set_size(&s, "a4", 0, 0, 0, &err), CORE_OK);
	CHECK_NEAR(s.width, round(841.8898 * 200 / 72), 1e-9);
	round_trip(&s, __LINE__);
	CHECK_INT(render_style_set_size(&s, "legal", 0, 0, 0, &err),
		  CORE_EUSAGE);
}

/* What a user writes by hand: comments, blank lines, CRLF, spaces,
 * quotes, any order; keys left out keep the caller's values. */
static void test_read_by_hand(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct render_style *st = NULL;
	struct render_spec s;
	const char *path =
	    test_write("hand.txt", "# Our map\r\n"
				   "\r\n"
				   "   # indented comment\n"
				   "breaks=10 , 20,30\n"
				   "  title   =   A # not a comment  \n"
				   "subtitle = \" two  \"\n"
				   "category = food , housing,\n"
				   "bivariate = RPL_THEMES ,gaps:access_food\n"
				   "labels = No\n"
				   "inset = off\n"
				   "cluster = TRUE\n"
				   "outline =\n"
				   "width = 1000\n");

	fresh(&s, RENDER_PDF);
	s.indicator = "kept";
	CHECK_INT(render_style_read(path, &s, &st, &err), CORE_OK);
	CHECK_STR(s.title, "A # not a comment");
	CHECK_STR(s.subtitle, " two  ");
	CHECK_STR(s.indicator, "kept");
	CHECK_INT(s.method, RENDER_MANUAL);
	CHECK_INT(s.nbreaks, 3);
	CHECK_INT(s.classes, 4);
	if (s.nbreaks == 3)
		CHECK_NEAR(s.breaks[2], 30, 0);
	CHECK_INT(s.ncategories, 2);
	if (s.ncategories == 2) {
		CHECK_STR(s.categories[0], "food");
		CHECK_STR(s.categories[1], "housing");
	}
	CHECK_STR(s.bivar_x, "RPL_THEMES");
	CHECK_STR(s.bivar_y, "gaps:access_food");
	CHECK_INT(s.no_labels, 1);
	CHECK_INT(s.no_inset, 1);
	CHECK_INT(s.no_cluster, 0);
	CHECK_STR(s.outline, "none");
	/* 1000 pixels at 200 dpi; the height stays letter's 612 points. */
	CHECK_NEAR(s.width, 360, 1e-9);
	CHECK_NEAR(s.height, 612, 1e-9);
	CHECK(s.page == NULL);
	render_style_free(st);
}

/* Each bad file: the code and the start of the message. */
static void bad(const char *content, int code, const char *want, int line)
{
	struct core_err err = CORE_ERR_INIT;
	struct render_style *st = (struct render_style *)&err;
	struct render_spec s;
	const char *path = test_write("bad.txt", content);
	char *msg;

	fresh(&s, RENDER_PNG);
	if (render_style_read(path, &s, &st, &err) != code)
		test_fail(__FILE__, line, "code %d for: %s", err.code, content);
	if (st != NULL)
		test_fail(__FILE__, line, "a store after an error");
	msg = xasprintf("%s %s", path, want);
	if (!strstr(err.msg, msg))
		test_fail(__FILE__, line, "message '%s' lacks '%s'", err.msg,
			  msg);
	free(msg);
}

static void test_errors(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct render_style *st = NULL;
	struct render_spec s;

	bad("title = x\n\n# c\ncolor = red\n", CORE_EFORMAT,
	    "line 4: unknown key 'color'; the keys are title,", __LINE__);
	bad("classes = 4\nclasses = 5\n", CORE_EFORMAT,
	    "line 2: classes: the key is set twice (first on line 1)",
	    __LINE__);
	bad("title\n", CORE_EFORMAT, "line 1: 'title' is not 'key = value'",
	    __LINE__);
	bad("classes = 0\n", CORE_EFORMAT,
	    "line 1: classes: '0' is not a whole number from 1 to 9", __LINE__);
	bad("classes = 3.5\n", CORE_EFORMAT, "line 1: classes: '3.5'",
	    __LINE__);
	bad("\npalette = Rainbow\n", CORE_EFORMAT,
	    "line 2: palette: 'Rainbow' is not a palette; use one of YlOrRd",
	    __LINE__);
	bad("bivariate-palette = x\n", CORE_EFORMAT,
	    "line 1: bivariate-palette: 'x' is not a bivariate palette",
	    __LINE__);
	bad("bivariate = a\n", CORE_EFORMAT,
	    "line 1: bivariate: 'a' is not two values", __LINE__);
	bad("assets = maybe\n", CORE_EFORMAT,
	    "line 1: assets: 'maybe' is not yes or no", __LINE__);
	bad("partners = curent\n", CORE_EFORMAT,
	    "line 1: partners: 'curent' is not a partner status; did you "
	    "mean 'current'?",
	    __LINE__);
	bad("partners = maybe\n", CORE_EFORMAT,
	    "line 1: partners: 'maybe' is not a partner status; give all",
	    __LINE__);
	bad("units = ft\n", CORE_EFORMAT, "line 1: units: 'ft' is not a unit",
	    __LINE__);
	bad("level = parcel\n", CORE_EFORMAT,
	    "line 1: level: 'parcel' is not an area level", __LINE__);
	bad("outline = city\n", CORE_EFORMAT,
	    "line 1: outline: 'city' is not an area level", __LINE__);
	bad("method = median\n", CORE_EFORMAT,
	    "line 1: method: 'median' is not a classification method",
	    __LINE__);
	bad("method = manual\n", CORE_EFORMAT,
	    "line 1: method: manual needs breaks", __LINE__);
	bad("method = equal\nbreaks = 1,2\n", CORE_EFORMAT,
	    "line 2: breaks: breaks are for method manual (line 1 says equal)",
	    __LINE__);
	bad("breaks = 2,1\n", CORE_EFORMAT,
	    "line 1: breaks: '2,1' is not strictly ascending", __LINE__);
	bad("breaks = 1,,2\n", CORE_EFORMAT,
	    "line 1: breaks: '1,,2' is not a list of numbers", __LINE__);
	bad("page = legal\n", CORE_EFORMAT,
	    "line 1: page: 'legal' is not a page size", __LINE__);
	bad("page = a4\nheight = 900\n", CORE_EFORMAT,
	    "line 2: height: give either page or width and height, not both "
	    "(page is on line 1)",
	    __LINE__);
	bad("orientation = portrait\n", CORE_EFORMAT,
	    "line 1: orientation: is for a named page", __LINE__);
	bad("width = 10\n", CORE_EFORMAT, "line 1: width: '10' is not",
	    __LINE__);
	bad("dpi = 5000\n", CORE_EFORMAT, "line 1: dpi: '5000' is not",
	    __LINE__);
	bad("indicator =\n", CORE_EFORMAT,
	    "line 1: indicator: the value is empty", __LINE__);
	bad("category = ,\n", CORE_EFORMAT,
	    "line 1: category: ',' names no category", __LINE__);

	fresh(&s, RENDER_PNG);
	CHECK_INT(render_style_read(test_path("absent.txt"), &s, &st, &err),
		  CORE_EIO);
	CHECK_CONTAINS(err.msg, "absent.txt");

	/* A text with a line break cannot be written; nothing is. */
	fresh(&s, RENDER_PNG);
	s.title = "two\nlines";
	CHECK_INT(render_style_write(test_path("nl.txt"), &s, &err),
		  CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "title has a line break");
	CHECK(access(test_path("nl.txt"), F_OK) != 0);
	s.title = NULL;
	CHECK_INT(render_style_write(test_path("no/such/dir.txt"), &s, &err),
		  CORE_EIO);
	CHECK_CONTAINS(err.msg, "no/such/dir.txt");
}

/* The file says how to re-run it and lists every key, once. */
static void test_file_text(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct render_spec s;
	const char *path = test_path("keys.txt");
	char *text, *line, *save = NULL;
	size_t nkeys = 0, ncomments = 0;

	fresh(&s, RENDER_PDF);
	CHECK_INT(render_style_write(path, &s, &err), CORE_OK);
	text = test_slurp(path, NULL);
	if (!text)
		return;
	CHECK_CONTAINS(text, "map --style keys.txt -o map.pdf");
	CHECK_CONTAINS(text, "\nmethod = quantile\n");
	CHECK_CONTAINS(text, "\n#title =\n");
	/* partners off is written commented out, as every default */
	CHECK_CONTAINS(text, "\n#partners =\n");
	/* no basemap named: the workspace's roads, when it has them */
	CHECK_CONTAINS(text, "\n#basemap =\n");
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *k = line[0] == '#' ? line + 1 : line;
		const char *eq = strstr(k, " =");

		if (line[0] == '#' && line[1] == ' ')
			ncomments++;
		else if (eq && strchr(k, ' ') == eq)
			nkeys++;
	}
	CHECK_INT(nkeys, 31);
	CHECK(ncomments >= 31 + 6);
	free(text);
}

/* --extent's box: written, read back, and refused when not a box. */
static void test_extent(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct render_style *st = NULL;
	struct render_spec s, back;
	const char *path = test_path("extent.txt");
	double e[4];
	char *text;

	fresh(&s, RENDER_PDF);
	s.has_extent = 1;
	s.extent[0] = -122.48;
	s.extent[1] = 37.74;
	s.extent[2] = -122.38;
	s.extent[3] = 37.81;
	CHECK_INT(render_style_write(path, &s, &err), CORE_OK);
	text = test_slurp(path, NULL);
	CHECK_CONTAINS(
	    text ? text : "",
	    "\nextent = -122.480000,37.740000,-122.380000,37.810000\n");
	free(text);
	fresh(&back, RENDER_PDF);
	CHECK_INT(render_style_read(path, &back, &st, &err), CORE_OK);
	CHECK_INT(back.has_extent, 1);
	CHECK(back.extent[0] == -122.48 && back.extent[1] == 37.74 &&
	      back.extent[2] == -122.38 && back.extent[3] == 37.81);
	render_style_free(st);

	CHECK_INT(render_extent_parse(" -1.5 , 2,3.25,4 ", e, &err), CORE_OK);
	CHECK(e[0] == -1.5 && e[1] == 2 && e[2] == 3.25 && e[3] == 4);
	CHECK_INT(render_extent_parse("1,2,3", e, &err), CORE_EFORMAT);
	CHECK_CONTAINS(err.msg, "'1,2,3' is not four numbers");
	CHECK_INT(render_extent_parse("1,2,3,4,5", e, &err), CORE_EFORMAT);
	CHECK_INT(render_extent_parse("1,2,x,4", e, &err), CORE_EFORMAT);
	CHECK_INT(render_extent_parse("3,2,1,4", e, &err), CORE_EFORMAT);
	CHECK_CONTAINS(err.msg, "west must be less than east");
	CHECK_INT(render_extent_parse("1,-91,3,4", e, &err), CORE_EFORMAT);
	CHECK_CONTAINS(err.msg, "outside -180..180");
}

static const struct test tests[] = {
    TEST(test_extent), TEST(test_round_trips), TEST(test_read_by_hand),
    TEST(test_errors), TEST(test_file_text),   {0}};

int main(void)
{
	return test_main("style", tests);
}
