/*
 * render_style.c - the map file: read it into a spec, write a spec out.
 */
#include "render/render_style.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_out.h"
#include "render/render_classify.h"
#include "render/render_palette.h"

/* ---------------------------------------------------------------------
 * The keys
 * ------------------------------------------------------------------ */

enum key {
	K_TITLE,
	K_SUBTITLE,
	K_LEGEND_TITLE,
	K_LEVEL,
	K_INDICATOR,
	K_METHOD,
	K_CLASSES,
	K_BREAKS,
	K_PALETTE,
	K_BIVARIATE,
	K_BIVAR_PALETTE,
	K_COHORT,
	K_DESERTS,
	K_CATEGORY,
	K_ASSETS,
	K_SIZE_BY_CAPACITY,
	K_CLUSTER,
	K_PARTNERS,
	K_OUTLINE,
	K_LABELS,
	K_INSET,
	K_EXTENT,
	K_BASEMAP,
	K_UNITS,
	K_PAGE,
	K_ORIENTATION,
	K_WIDTH,
	K_HEIGHT,
	K_DPI,
	K_AUTHOR,
	K_SUBJECT,
	K_COUNT
};

/* Name and the one-line comment written above it, in file order. */
static const struct {
	const char *name;
	const char *comment;
} keys[K_COUNT] = {
    [K_TITLE] = {"title",
		 "The map's title; unset: named after what is shaded."},
    [K_SUBTITLE] = {"subtitle", "A second line under the title."},
    [K_LEGEND_TITLE] = {"legend-title",
			"The legend's heading; unset: what is shaded, "
			"in words."},
    [K_LEVEL] = {"level",
		 "The areas: tract, blockgroup, county, zcta or state."},
    [K_INDICATOR] = {"indicator", "What shades them: an indicator, or "
				  "RUN:COLUMN of a result; unset: the SVI."},
    [K_METHOD] =
	{"method",
	 "Classes by quantile, equal, jenks, stddev or manual (with breaks)."},
    [K_CLASSES] =
	{"classes",
	 "How many classes, 1 to 9 (manual: one more than the breaks)."},
    [K_BREAKS] =
	{"breaks",
	 "Inner class breaks for method manual, ascending, comma-separated."},
    [K_PALETTE] =
	{"palette",
	 "A ColorBrewer scheme; unset: YlOrRd (Blues beside warm symbols)."},
    [K_BIVARIATE] =
	{"bivariate",
	 "NEED, ACCESS: a 3 x 3 map of two values in place of one."},
    [K_BIVAR_PALETTE] =
	{"bivariate-palette",
	 "The bivariate scheme; unset: the colour-blind-safe default."},
    [K_COHORT] = {"cohort",
		  "Shade by a cohort's members per area (1 to 10 suppressed)."},
    [K_DESERTS] = {"deserts",
		   "A deserts run (id, last or deserts) drawn hatched."},
    [K_CATEGORY] =
	{"category",
	 "Asset categories, comma-separated, in legend order; unset: all."},
    [K_ASSETS] = {"assets", "Draw the asset symbols: yes or no."},
    [K_SIZE_BY_CAPACITY] =
	{"size-by-capacity",
	 "Symbols grow with the asset's capacity: yes or no."},
    [K_CLUSTER] =
	{"cluster",
	 "Gather overlapping symbols into counted clusters: yes or no."},
    [K_PARTNERS] = {"partners",
		    "Mark assets by partnership status: all, current, "
		    "prospective or any."},
    [K_OUTLINE] =
	{"outline",
	 "Outline a larger level (county, state) or none; unset: counties."},
    [K_LABELS] = {"labels", "Name the outlined places: yes or no."},
    [K_INSET] = {"inset",
		 "An inset locator map of the wider region: yes or no."},
    [K_EXTENT] = {"extent",
		  "The frame's lon/lat box W,S,E,N; unset: the areas drawn."},
    [K_BASEMAP] = {"basemap",
		   "An OSM extract (.osm.pbf) under the areas, or none; unset: "
		   "imported roads."},
    [K_UNITS] = {"units", "The scale bar's units: mi or km."},
    [K_PAGE] =
	{"page",
	 "Page size: letter, tabloid or a4 (in place of width and height)."},
    [K_ORIENTATION] = {"orientation", "The page landscape or portrait."},
    [K_WIDTH] =
	{"width",
	 "Custom width in pixels at dpi (PDF/SVG: pixels x 72 / dpi points)."},
    [K_HEIGHT] = {"height", "Custom height in pixels at dpi."},
    [K_DPI] =
	{"dpi",
	 "Dots per inch of a PNG; type and lines scale with it (default 200)."},
    [K_AUTHOR] = {"author", "The PDF's author."},
    [K_SUBJECT] =
	{"subject",
	 "The PDF's subject; unset: a sentence naming what is shaded."},
};

static const char *const partners_names[] = {"no",	    "all", "current",
					     "prospective", "any", NULL};

int render_extent_parse(const char *v, double e[4], struct core_err *err)
{
	const char *p = v;
	char *end;
	int i;

	for (i = 0; i < 4; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		e[i] = strtod(p, &end);
		if (end == p || !isfinite(e[i]))
			break;
		p = end;
		while (*p == ' ' || *p == '\t')
			p++;
		if (i < 3 && *p++ != ',')
			break;
	}
	if (i < 4 || *p)
		return core_err_set(err, CORE_EFORMAT,
				    "'%s' is not four numbers; give "
				    "WEST,SOUTH,EAST,NORTH in degrees, e.g. "
				    "-122.52,37.70,-122.35,37.84",
				    v);
	if (e[0] < -180 || e[2] > 180 || e[1] < -90 || e[3] > 90)
		return core_err_set(err, CORE_EFORMAT,
				    "'%s' is outside -180..180 (longitude), "
				    "-90..90 (latitude)",
				    v);
	if (!(e[0] < e[2]) || !(e[1] < e[3]))
		return core_err_set(err, CORE_EFORMAT,
				    "'%s': west must be less than east and "
				    "south less than north (WEST,SOUTH,EAST,"
				    "NORTH)",
				    v);
	return CORE_OK;
}

const char *render_partners_name(enum render_partners p)
{
	return (unsigned)p < 5 ? partners_names[p] : "no";
}

/* Edits between a and b without case (Levenshtein), for a hint only. */
static size_t edits(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[32];

	if (la >= 31 || lb >= 31)
		return 99;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		size_t prev = d[0], t;

		d[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t sub = prev + (tolower((unsigned char)a[i - 1]) !=
					     tolower((unsigned char)b[j - 1]));
			t = d[j];
			d[j] = sub;
			if (t + 1 < d[j])
				d[j] = t + 1;
			if (d[j - 1] + 1 < d[j])
				d[j] = d[j - 1] + 1;
			prev = t;
		}
	}
	return d[lb];
}

int render_partners_parse(const char *s, enum render_partners *out,
			  struct core_err *err)
{
	const char *near = NULL;
	size_t i, best = 3;

	for (i = 0; partners_names[i]; i++)
		if (strcasecmp(s, partners_names[i]) == 0) {
			*out = (enum render_partners)i;
			return CORE_OK;
		}
	for (i = 1; partners_names[i]; i++) {
		size_t e = edits(s, partners_names[i]);
		if (e < best && e * 3 <= strlen(partners_names[i])) {
			best = e;
			near = partners_names[i];
		}
	}
	if (near)
		return core_err_set(err, CORE_EFORMAT,
				    "'%s' is not a partner status; did you "
				    "mean '%s'? (all, current, prospective or "
				    "any)",
				    s, near);
	return core_err_set(err, CORE_EFORMAT,
			    "'%s' is not a partner status; give all (every "
			    "asset, marked by status), current, prospective "
			    "or any (current or prospective)",
			    s);
}

static const char *const level_names[] = {"tract", "blockgroup", "county",
					  "zcta",  "state",	 NULL};

static int find_key(const char *name)
{
	int k;

	for (k = 0; k < K_COUNT; k++)
		if (strcmp(keys[k].name, name) == 0)
			return k;
	return -1;
}

static char *key_list(void)
{
	struct core_buf b = CORE_BUF_INIT;
	int k;

	for (k = 0; k < K_COUNT; k++) {
		if (k)
			core_buf_adds(&b, ", ");
		core_buf_adds(&b, keys[k].name);
	}
	return core_buf_detach(&b);
}

/* ---------------------------------------------------------------------
 * Sizes
 * ------------------------------------------------------------------ */

double render_style_dpi(const struct render_spec *spec)
{
	return spec->dpi > 0 ? spec->dpi : RENDER_PNG_DPI;
}

int render_style_set_size(struct render_spec *spec, const char *page,
			  int portrait, double wpx, double hpx,
			  struct core_err *err)
{
	double dpi = render_style_dpi(spec), w, h;
	int rc;

	if (page) {
		if ((rc = render_page_size(page, !portrait, &w, &h, err)))
			return rc;
		if (spec->format == RENDER_PNG) {
			w = round(w * dpi / 72);
			h = round(h * dpi / 72);
		}
		spec->page = page;
		spec->portrait = portrait;
	} else {
		w = wpx;
		h = hpx;
		if (spec->format != RENDER_PNG) {
			w = wpx * 72 / dpi;
			h = hpx * 72 / dpi;
		}
		spec->page = NULL;
		spec->portrait = 0;
	}
	spec->width = w;
	spec->height = h;
	return CORE_OK;
}

void render_style_pixels(const struct render_spec *spec, double *wpx,
			 double *hpx)
{
	double dpi = render_style_dpi(spec);

	if (spec->format == RENDER_PNG) {
		*wpx = round(spec->width);
		*hpx = round(spec->height);
	} else {
		*wpx = round(spec->width * dpi / 72);
		*hpx = round(spec->height * dpi / 72);
	}
}

/* The size a spec has when nobody set one: PNG 2400 x 1800 pixels,
 * PDF and SVG letter landscape. */
static int default_size(const struct render_spec *spec)
{
	if (spec->page || spec->dpi > 0)
		return 0;
	if (spec->format == RENDER_PNG)
		return spec->width == RENDER_STYLE_PNG_W &&
		       spec->height == RENDER_STYLE_PNG_H;
	return spec->width == 792 && spec->height == 612;
}

/* ---------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------ */

struct render_style {
	char **strs; /* every string the spec borrows */
	size_t nstrs, cap;
	double *breaks;
	const char **cats;
};

void render_style_free(struct render_style *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->nstrs; i++)
		free(st->strs[i]);
	free(st->strs);
	free(st->breaks);
	free(st->cats);
	free(st);
}

static const char *keep(struct render_style *st, const char *s, size_t n)
{
	char *c = xmalloc(n + 1);

	memcpy(c, s, n);
	c[n] = '\0';
	xgrow((void **)&st->strs, &st->cap, st->nstrs + 1, sizeof(char *));
	st->strs[st->nstrs++] = c;
	return c;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static int parse_bool(const char *v, int *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1", NULL};
	static const char *const no[] = {"no", "false", "off", "0", NULL};
	int i;

	for (i = 0; yes[i]; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return *out = 1, 0;
	for (i = 0; no[i]; i++)
		if (strcasecmp(v, no[i]) == 0)
			return *out = 0, 0;
	return -1;
}

static int parse_whole(const char *v, long lo, long hi, long *out)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(v, &end, 10);
	if (!*v || *end || errno || x < lo || x > hi)
		return -1;
	*out = x;
	return 0;
}

static int is_level(const char *v)
{
	const char *const *l;

	for (l = level_names; *l; l++)
		if (strcmp(*l, v) == 0)
			return 1;
	return 0;
}

/* Split a comma list into trimmed, non-empty parts kept in st. */
static size_t split_list(struct render_style *st, const char *v,
			 const char ***out)
{
	const char **parts = NULL;
	size_t n = 0, cap = 0;
	const char *p = v;

	while (*p) {
		const char *q = strchr(p, ','), *e;
		const char *s = p;

		if (!q)
			q = p + strlen(p);
		e = q;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s) {
			xgrow((void **)&parts, &cap, n + 1, sizeof(*parts));
			parts[n++] = keep(st, s, (size_t)(e - s));
		}
		p = *q ? q + 1 : q;
	}
	*out = parts;
	return n;
}

int render_style_parse_breaks(const char *v, double **out, size_t *n,
			      struct core_err *err)
{
	double *b = xcalloc(RENDER_CLASSES_MAX, sizeof(double));
	const char *p = v;
	size_t k = 0;
	char *end;
	int rc = CORE_OK;

	*out = NULL;
	*n = 0;
	for (;;) {
		double x;

		while (*p == ' ' || *p == '\t')
			p++;
		errno = 0;
		x = strtod(p, &end);
		if (end == p || errno || !isfinite(x))
			goto not_numbers;
		if (k == RENDER_CLASSES_MAX - 1) {
			rc = core_err_set(
			    err, CORE_EFORMAT,
			    "'%s' has more than %d breaks; %d classes at most",
			    v, RENDER_CLASSES_MAX - 1, RENDER_CLASSES_MAX);
			goto cleanup;
		}
		if (k > 0 && !(x > b[k - 1])) {
			rc = core_err_set(
			    err, CORE_EFORMAT,
			    "'%s' is not strictly ascending (%g after %g)", v,
			    x, b[k - 1]);
			goto cleanup;
		}
		b[k++] = x;
		p = end;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p != ',')
			goto not_numbers;
		p++;
	}
	*out = b;
	*n = k;
	b = NULL;
	goto cleanup;
not_numbers:
	rc = core_err_set(err, CORE_EFORMAT,
			  "'%s' is not a list of numbers; give ascending "
			  "breaks such as 0.2,0.5,0.8",
			  v);
cleanup:
	free(b);
	return rc;
}

/* What one file says, before it is checked as a whole. */
struct reading {
	int line[K_COUNT]; /* where each key came; 0: absent */
	const char *page;
	int portrait;
	long width, height;
};

/* Set one key; the message says what is wrong with the value. */
static int set_key(struct render_style *st, struct render_spec *spec,
		   struct reading *rd, int k, const char *v,
		   struct core_err *err)
{
	long x;
	int b;
	size_t n;
	const char **parts;

	switch (k) {
	case K_TITLE:
		spec->title = v;
		break;
	case K_SUBTITLE:
		spec->subtitle = v;
		break;
	case K_LEGEND_TITLE:
		spec->legend_title = v;
		break;
	case K_AUTHOR:
		spec->author = v;
		break;
	case K_SUBJECT:
		spec->subject = v;
		break;
	case K_LEVEL:
		if (!is_level(v))
			return core_err_set(
			    err, CORE_EFORMAT,
			    "'%s' is not an area level; use tract, blockgroup, "
			    "county, zcta or state",
			    v);
		spec->level = v;
		break;
	case K_OUTLINE:
		if (!*v || strcasecmp(v, "none") == 0)
			spec->outline = "none";
		else if (is_level(v))
			spec->outline = v;
		else
			return core_err_set(
			    err, CORE_EFORMAT,
			    "'%s' is not an area level; use county, state, "
			    "tract, blockgroup, zcta or none",
			    v);
		break;
	case K_INDICATOR:
	case K_COHORT:
	case K_DESERTS:
		if (!*v)
			return core_err_set(err, CORE_EFORMAT,
					    "the value is empty; give a name, "
					    "or leave the key out");
		if (k == K_INDICATOR)
			spec->indicator = v;
		else if (k == K_COHORT)
			spec->cohort = v;
		else
			spec->deserts = v;
		break;
	case K_METHOD:
		if (render_method_parse(v, &spec->method, err))
			return CORE_EFORMAT;
		break;
	case K_CLASSES:
		if (parse_whole(v, 1, RENDER_CLASSES_MAX, &x))
			return core_err_set(
			    err, CORE_EFORMAT,
			    "'%s' is not a whole number from 1 to %d", v,
			    RENDER_CLASSES_MAX);
		spec->classes = (int)x;
		break;
	case K_BREAKS:
		free(st->breaks);
		st->breaks = NULL;
		if (render_style_parse_breaks(v, &st->breaks, &n, err))
			return CORE_EFORMAT;
		spec->breaks = st->breaks;
		spec->nbreaks = n;
		break;
	case K_PALETTE:
		if (!render_palette_find(v))
			return core_err_set(
			    err, CORE_EFORMAT,
			    "'%s' is not a palette; use one of %s", v,
			    render_palette_names());
		spec->palette = v;
		break;
	case K_BIVAR_PALETTE:
		if (!render_bivar_find(v))
			return core_err_set(
			    err, CORE_EFORMAT,
			    "'%s' is not a bivariate palette; use one of %s", v,
			    render_bivar_names());
		spec->bivar_palette = v;
		break;
	case K_BIVARIATE:
		n = split_list(st, v, &parts);
		if (n != 2) {
			free(parts);
			return core_err_set(
			    err, CORE_EFORMAT,
			    "'%s' is not two values; give NEED, ACCESS "
			    "(indicators or RUN:COLUMN)",
			    v);
		}
		spec->bivar_x = parts[0];
		spec->bivar_y = parts[1];
		free(parts);
		break;
	case K_CATEGORY:
		n = split_list(st, v, &parts);
		if (n == 0) {
			free(parts);
			return core_err_set(err, CORE_EFORMAT,
					    "'%s' names no category; give "
					    "codes such as food,housing",
					    v);
		}
		free(st->cats);
		st->cats = parts;
		spec->categories = parts;
		spec->ncategories = n;
		break;
	case K_ASSETS:
	case K_SIZE_BY_CAPACITY:
	case K_CLUSTER:
	case K_LABELS:
	case K_INSET:
		if (parse_bool(v, &b))
			return core_err_set(err, CORE_EFORMAT,
					    "'%s' is not yes or no", v);
		if (k == K_ASSETS)
			spec->no_assets = !b;
		else if (k == K_SIZE_BY_CAPACITY)
			spec->size_by_capacity = b;
		else if (k == K_CLUSTER)
			spec->no_cluster = !b;
		else if (k == K_LABELS)
			spec->no_labels = !b;
		else
			spec->no_inset = !b;
		break;
	case K_PARTNERS:
		if (render_partners_parse(v, &spec->partners, err))
			return CORE_EFORMAT;
		break;
	case K_BASEMAP:
		if (!*v)
			return core_err_set(err, CORE_EFORMAT,
					    "give a file (.osm.pbf) or none");
		spec->basemap_file = v;
		break;
	case K_EXTENT:
		if (render_extent_parse(v, spec->extent, err))
			return CORE_EFORMAT;
		spec->has_extent = 1;
		break;
	case K_UNITS:
		if (strcmp(v, "mi") == 0)
			spec->units = RENDER_MILES;
		else if (strcmp(v, "km") == 0)
			spec->units = RENDER_KM;
		else
			return core_err_set(err, CORE_EFORMAT,
					    "'%s' is not a unit; use mi or km",
					    v);
		break;
	case K_PAGE:
		if (strcasecmp(v, "letter") && strcasecmp(v, "tabloid") &&
		    strcasecmp(v, "a4"))
			return core_err_set(err, CORE_EFORMAT,
					    "'%s' is not a page size; use "
					    "letter, tabloid or a4",
					    v);
		rd->page = v;
		break;
	case K_ORIENTATION:
		if (strcasecmp(v, "portrait") == 0)
			rd->portrait = 1;
		else if (strcasecmp(v, "landscape") == 0)
			rd->portrait = 0;
		else
			return core_err_set(err, CORE_EFORMAT,
					    "'%s' is not an orientation; use "
					    "landscape or portrait",
					    v);
		break;
	case K_WIDTH:
	case K_HEIGHT:
		if (parse_whole(v, 300, 20000, &x))
			return core_err_set(err, CORE_EFORMAT,
					    "'%s' is not a whole number of "
					    "pixels from 300 to 20000",
					    v);
		if (k == K_WIDTH)
			rd->width = x;
		else
			rd->height = x;
		break;
	case K_DPI:
		if (parse_whole(v, 36, 1200, &x))
			return core_err_set(err, CORE_EFORMAT,
					    "'%s' is not a whole number of "
					    "dots per inch from 36 to 1200",
					    v);
		spec->dpi = (double)x;
		break;
	}
	return CORE_OK;
}

/* The checks that need the whole file; then the size. */
static int finish(const char *path, struct render_spec *spec,
		  const struct reading *rd, struct core_err *err)
{
	double w, h;

	if (rd->line[K_BREAKS]) {
		if (!rd->line[K_METHOD])
			spec->method = RENDER_MANUAL;
		else if (spec->method != RENDER_MANUAL)
			return core_err_set(
			    err, CORE_EFORMAT,
			    "%s line %d: breaks: breaks are for method manual "
			    "(line %d says %s)",
			    path, rd->line[K_BREAKS], rd->line[K_METHOD],
			    render_method_name(spec->method));
	} else if (rd->line[K_METHOD] && spec->method == RENDER_MANUAL &&
		   spec->nbreaks == 0) {
		return core_err_set(
		    err, CORE_EFORMAT,
		    "%s line %d: method: manual needs breaks; add a line such "
		    "as 'breaks = 0.2, 0.5, 0.8'",
		    path, rd->line[K_METHOD]);
	}
	if (spec->method == RENDER_MANUAL && spec->nbreaks > 0)
		spec->classes = (int)spec->nbreaks + 1;
	if (rd->line[K_PAGE] && (rd->line[K_WIDTH] || rd->line[K_HEIGHT]))
		return core_err_set(
		    err, CORE_EFORMAT,
		    "%s line %d: %s: give either page or width and height, not "
		    "both (page is on line %d)",
		    path,
		    rd->line[K_WIDTH] ? rd->line[K_WIDTH] : rd->line[K_HEIGHT],
		    rd->line[K_WIDTH] ? "width" : "height", rd->line[K_PAGE]);
	if (rd->line[K_ORIENTATION] && !rd->line[K_PAGE])
		return core_err_set(
		    err, CORE_EFORMAT,
		    "%s line %d: orientation: is for a named page; add 'page = "
		    "letter' (or tabloid, a4)",
		    path, rd->line[K_ORIENTATION]);
	if (rd->page)
		return render_style_set_size(spec, rd->page, rd->portrait, 0, 0,
					     err);
	if (rd->width || rd->height) {
		render_style_pixels(spec, &w, &h);
		return render_style_set_size(
		    spec, NULL, 0, rd->width ? (double)rd->width : w,
		    rd->height ? (double)rd->height : h, err);
	}
	return CORE_OK;
}

int render_style_read(const char *path, struct render_spec *spec,
		      struct render_style **store, struct core_err *err)
{
	struct render_style *st = xcalloc(1, sizeof(*st));
	struct reading rd;
	FILE *fp = fopen(path, "r");
	char *line = NULL, *key, *val, *eq;
	size_t cap = 0, vn;
	int lineno = 0, k, rc = CORE_OK;

	*store = NULL;
	memset(&rd, 0, sizeof(rd));
	if (!fp) {
		rc = core_err_set(err, CORE_EIO, "cannot read map file %s: %s",
				  path, strerror(errno));
		goto cleanup;
	}
	while (getline(&line, &cap, fp) != -1) {
		lineno++;
		key = trim(line);
		if (!*key || *key == '#')
			continue;
		if (!(eq = strchr(key, '='))) {
			rc = core_err_set(
			    err, CORE_EFORMAT,
			    "%s line %d: '%s' is not 'key = value'", path,
			    lineno, key);
			goto cleanup;
		}
		*eq = '\0';
		key = trim(key);
		val = trim(eq + 1);
		vn = strlen(val);
		if (vn >= 2 && val[0] == '"' && val[vn - 1] == '"') {
			val[vn - 1] = '\0';
			val++;
		}
		if ((k = find_key(key)) < 0) {
			char *list = key_list();
			rc = core_err_set(
			    err, CORE_EFORMAT,
			    "%s line %d: unknown key '%s'; the keys are %s",
			    path, lineno, key, list);
			free(list);
			goto cleanup;
		}
		if (rd.line[k]) {
			rc = core_err_set(err, CORE_EFORMAT,
					  "%s line %d: %s: the key is set "
					  "twice (first on line %d)",
					  path, lineno, key, rd.line[k]);
			goto cleanup;
		}
		rd.line[k] = lineno;
		if ((rc = set_key(st, spec, &rd, k, keep(st, val, strlen(val)),
				  err))) {
			core_err_prefix(err, "%s line %d: %s: ", path, lineno,
					key);
			rc = CORE_EFORMAT;
			goto cleanup;
		}
	}
	if (ferror(fp)) {
		rc = core_err_set(err, CORE_EIO, "cannot read map file %s: %s",
				  path, strerror(errno));
		goto cleanup;
	}
	if ((rc = finish(path, spec, &rd, err))) {
		if (rc != CORE_EFORMAT)
			core_err_prefix(err, "%s: ", path);
		rc = CORE_EFORMAT;
		goto cleanup;
	}
	*store = st;
	st = NULL;
cleanup:
	free(line);
	if (fp)
		fclose(fp);
	render_style_free(st);
	return rc;
}

/* ---------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------ */

/* The shortest decimal that reads back as x. */
static void add_number(struct core_buf *b, double x)
{
	char s[40];
	int p;

	for (p = 6; p <= 17; p++) {
		snprintf(s, sizeof(s), "%.*g", p, x);
		if (strtod(s, NULL) == x)
			break;
	}
	core_buf_adds(b, s);
}

static void comment(struct core_buf *b, int k)
{
	core_buf_addf(b, "\n# %s\n", keys[k].comment);
}

/* "key = value", or "#key =" when value is NULL (the default). */
static void put(struct core_buf *b, int k, const char *v)
{
	size_t n;

	comment(b, k);
	if (!v) {
		core_buf_addf(b, "#%s =\n", keys[k].name);
		return;
	}
	n = strlen(v);
	/* Quote what trimming or unquoting would change. */
	if (n == 0 || v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' ||
	    v[n - 1] == '\t' || (v[0] == '"' && n >= 2 && v[n - 1] == '"'))
		core_buf_addf(b, "%s = \"%s\"\n", keys[k].name, v);
	else
		core_buf_addf(b, "%s = %s\n", keys[k].name, v);
}

static void put_bool(struct core_buf *b, int k, int yes)
{
	put(b, k, yes ? "yes" : "no");
}

static void put_long(struct core_buf *b, int k, double v)
{
	char s[32];

	snprintf(s, sizeof(s), "%.0f", v);
	put(b, k, s);
}

static int check_text(const char *path, int k, const char *v,
		      struct core_err *err)
{
	if (v && strpbrk(v, "\r\n"))
		return core_err_set(
		    err, CORE_EUSAGE,
		    "cannot write map file %s: the %s has a line break, and "
		    "the file holds one line per key",
		    path, keys[k].name);
	return CORE_OK;
}

static const char *ext_of(enum render_format f)
{
	return f == RENDER_PDF ? "pdf" : f == RENDER_SVG ? "svg" : "png";
}

/* Append to b the text of the map file that path will hold for spec s:
 * a header saying how to draw the map again, then one "key = value" line
 * per setting (defaults commented out), in sections.  Returns 0, or
 * CORE_EUSAGE when a text setting has a line break, or a category or the
 * bivariate need value has a comma, which the file could not hold; b
 * is then unchanged. */
static int style_text(const char *path, const struct render_spec *s,
		      struct core_buf *b, struct core_err *err)
{
	const char *base = strrchr(path, '/');
	const char *texts[] = {s->title,   s->subtitle,	 s->legend_title,
			       s->level,   s->indicator, s->palette,
			       s->bivar_x, s->bivar_y,	 s->bivar_palette,
			       s->cohort,  s->deserts,	 s->outline,
			       s->author,  s->subject};
	static const int tkeys[] = {K_TITLE,	 K_SUBTITLE,  K_LEGEND_TITLE,
				    K_LEVEL,	 K_INDICATOR, K_PALETTE,
				    K_BIVARIATE, K_BIVARIATE, K_BIVAR_PALETTE,
				    K_COHORT,	 K_DESERTS,   K_OUTLINE,
				    K_AUTHOR,	 K_SUBJECT};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(tkeys) / sizeof(tkeys[0]); i++)
		if ((rc = check_text(path, tkeys[i], texts[i], err)))
			return rc;
	for (i = 0; i < s->ncategories; i++)
		if (strpbrk(s->categories[i], ",\r\n"))
			return core_err_set(
			    err, CORE_EUSAGE,
			    "cannot write map file %s: category '%s' has a "
			    "comma or line break",
			    path, s->categories[i]);
	if ((s->bivar_x && strchr(s->bivar_x, ',')))
		return core_err_set(err, CORE_EUSAGE,
				    "cannot write map file %s: bivariate value "
				    "'%s' has a comma",
				    path, s->bivar_x);

	base = base ? base + 1 : path;
	core_buf_addf(
	    b,
	    "# assetmap map file, written by %s.\n"
	    "# Draw this map again, with the workspace's current data:\n"
	    "#   assetmap -d WORKSPACE map --style %s -o map.%s\n"
	    "# Options given on the command line override what is here.\n"
	    "# One 'key = value' a line; a line starting with '#' is a "
	    "comment,\n"
	    "# and a key commented out keeps its default.  See 'assetmap help "
	    "map'.\n",
	    s->creator ? s->creator : "assetmap", base, ext_of(s->format));

	core_buf_adds(b, "\n# ---- what is shaded\n");
	put(b, K_TITLE, s->title);
	put(b, K_SUBTITLE, s->subtitle);
	put(b, K_LEGEND_TITLE, s->legend_title);
	put(b, K_LEVEL, s->level);
	put(b, K_INDICATOR, s->indicator);
	put(b, K_METHOD, render_method_name(s->method));
	put_long(b, K_CLASSES,
		 s->method == RENDER_MANUAL && s->nbreaks
		     ? (double)s->nbreaks + 1
		     : (double)s->classes);
	comment(b, K_BREAKS);
	if (s->nbreaks && s->method == RENDER_MANUAL) {
		core_buf_addf(b, "%s = ", keys[K_BREAKS].name);
		for (i = 0; i < s->nbreaks; i++) {
			if (i)
				core_buf_adds(b, ", ");
			add_number(b, s->breaks[i]);
		}
		core_buf_addc(b, '\n');
	} else {
		core_buf_addf(b, "#%s =\n", keys[K_BREAKS].name);
	}
	put(b, K_PALETTE, s->palette);
	comment(b, K_BIVARIATE);
	if (s->bivar_x && s->bivar_y)
		core_buf_addf(b, "%s = %s, %s\n", keys[K_BIVARIATE].name,
			      s->bivar_x, s->bivar_y);
	else
		core_buf_addf(b, "#%s =\n", keys[K_BIVARIATE].name);
	put(b, K_BIVAR_PALETTE, s->bivar_palette);
	put(b, K_COHORT, s->cohort);
	put(b, K_DESERTS, s->deserts);

	core_buf_adds(b, "\n# ---- assets\n");
	comment(b, K_CATEGORY);
	if (s->categories && s->ncategories) {
		core_buf_addf(b, "%s = ", keys[K_CATEGORY].name);
		for (i = 0; i < s->ncategories; i++)
			core_buf_addf(b, "%s%s", i ? "," : "",
				      s->categories[i]);
		core_buf_addc(b, '\n');
	} else {
		core_buf_addf(b, "#%s =\n", keys[K_CATEGORY].name);
	}
	put_bool(b, K_ASSETS, !s->no_assets);
	put_bool(b, K_SIZE_BY_CAPACITY, s->size_by_capacity);
	put_bool(b, K_CLUSTER, !s->no_cluster);
	put(b, K_PARTNERS,
	    s->partners ? render_partners_name(s->partners) : NULL);

	core_buf_adds(b, "\n# ---- context\n");
	put(b, K_OUTLINE, s->outline && !*s->outline ? "none" : s->outline);
	put_bool(b, K_LABELS, !s->no_labels);
	put_bool(b, K_INSET, !s->no_inset);
	if (s->has_extent) {
		char e[128];

		snprintf(e, sizeof(e), "%.6f,%.6f,%.6f,%.6f", s->extent[0],
			 s->extent[1], s->extent[2], s->extent[3]);
		put(b, K_EXTENT, e);
	} else {
		put(b, K_EXTENT, NULL);
	}
	put(b, K_BASEMAP, s->basemap_file);
	put(b, K_UNITS, s->units == RENDER_KM ? "km" : "mi");

	core_buf_adds(b, "\n# ---- the page\n");
	if (s->page) {
		put(b, K_PAGE, s->page);
		put(b, K_ORIENTATION, s->portrait ? "portrait" : "landscape");
		put(b, K_WIDTH, NULL);
		put(b, K_HEIGHT, NULL);
	} else {
		double w, h;

		render_style_pixels(s, &w, &h);
		put(b, K_PAGE, NULL);
		put(b, K_ORIENTATION, NULL);
		if (default_size(s)) {
			put(b, K_WIDTH, NULL);
			put(b, K_HEIGHT, NULL);
		} else {
			put_long(b, K_WIDTH, w);
			put_long(b, K_HEIGHT, h);
		}
	}
	if (s->dpi > 0)
		put_long(b, K_DPI, s->dpi);
	else
		put(b, K_DPI, NULL);
	put(b, K_AUTHOR, s->author);
	put(b, K_SUBJECT, s->subject);
	return CORE_OK;
}

int render_style_write(const char *path, const struct render_spec *spec,
		       struct core_err *err)
{
	struct core_buf b = CORE_BUF_INIT;
	struct core_out *o = NULL;
	char e[256];
	int rc;

	if ((rc = style_text(path, spec, &b, err)))
		goto cleanup;
	if ((rc = core_out_open(path, CORE_OUT_MODE, 0, &o, err)))
		goto cleanup;
	if (fwrite(core_buf_str(&b), 1, b.len, core_out_stream(o)) != b.len) {
		rc = core_err_set(
		    err, CORE_EIO, "cannot write %s: %s", path,
		    core_out_strerror(errno ? errno : EIO, e, sizeof(e)));
		core_out_abort(o);
		goto cleanup;
	}
	rc = core_out_commit(o, err);
cleanup:
	core_buf_release(&b);
	return rc;
}
