/*
 * gen_demo.c - generate the demo county, "Alder County, California".
 *
 *   gen_demo OUTDIR
 *
 * Alder County is FICTIONAL.  It is placed in the Central Valley around
 * lon -120.6, lat 37.1 with state FIPS 06 and county FIPS 999, a code no
 * real county has, so its GEOIDs (06999xxxxxx) never collide with real
 * ones.  Every person, place, organisation, phone number and value in it
 * is invented.
 *
 * Writes, into OUTDIR (created if missing):
 *   county.geojson    the county outline
 *   tracts.geojson    about 200 census tracts that exactly tile the county
 *   indicators.csv    population and vulnerability indicators per tract
 *   assets.csv        about 400 community health resources
 *   cohort.csv        5,000 synthetic children with asthma (points only)
 * data/demo/README.md describes every column.
 *
 * The output is a pure function of this file (and the GEOS version that
 * builds the Voronoi tessellation): one fixed seed feeds our own
 * xoshiro256** generator, there is no rand(), no clock, no hash-order
 * iteration, no setlocale (so printf runs in the C locale), and every
 * sort has a total order.  To keep the bytes the same on any IEEE-754
 * machine we avoid libm's transcendental functions, whose last bit may
 * differ between libm versions: sin, cos and the ellipsoid's authalic
 * series are evaluated here with + - * / only; floor, ceil and sqrt are
 * exact in IEEE arithmetic, and -std=c11 keeps GCC from fusing a * b + c.
 * Coordinates are rounded once, to integer microdegrees, and are written
 * from those integers.
 *
 * How the tracts are made:
 *  1. a county outline in local metres (a noise-perturbed ellipse);
 *  2. 200 seed points, denser in three towns (tracts are drawn to hold
 *     similar populations, so urban tracts are small and rural ones
 *     large), spaced by dart throwing;
 *  3. the GEOS Voronoi diagram of the seeds; its edges and the outline are
 *     noded together and polygonized, so every shared edge exists once and
 *     both faces beside it hold the very same vertices;
 *  4. each face is densified (a segment is split the same way whichever
 *     direction it is walked) and every vertex is moved by one smooth
 *     noise field that does not fold (see displace()): shared vertices
 *     move identically and the tiling survives;
 *  5. vertices are rounded to microdegrees; the county outline is then
 *     read back from the tracts (the edges that have no twin), so the
 *     outline and the union of the tracts are the same ring.
 * Each tract is checked with GEOSisValid_r and the union of the tracts
 * against the county area before anything is written.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <geos_c.h>

#include "core/core_err.h"
#include "core/core_mem.h"

/* ---- parameters --------------------------------------------------------- */

#define GEN_SEED     0xA1DE2C0A7E5EEDULL
#define N_SEEDS	     200
#define N_ASSETS     400
#define N_COHORT     5000
#define COUNTY_VERTS 720
#define COUNTY_A     26500.0 /* semi-axes of the outline, metres */
#define COUNTY_B     19500.0
/* The outline's major axis runs 15 degrees south of east. */
#define ROT_C	      0.96592582628906831
#define ROT_S	      (-0.25881904510252074)
#define DENSIFY_M     100.0	      /* longest segment before displacement */
#define RURAL_DENSITY (45.0 / 1.45e9) /* seeds per m^2 outside towns */
#define MIN_SPACING   0.65 /* dart throwing: fraction of local spacing */

/* Local metres <-> microdegrees: an equirectangular plane at the county's
 * centre (metres per degree of the WGS84 ellipsoid at latitude 37.1). */
#define LON0_MICRO    (-120600000)
#define LAT0_MICRO    37100000
#define M_PER_DEG_LON 88885.7
#define M_PER_DEG_LAT 110979.5

#define PI 3.14159265358979323846
/* WGS84 */
#define WGS_A  6378137.0
#define WGS_E2 0.0066943799901413165

/* Independent random streams, so changing one part leaves the others. */
enum {
	STREAM_COUNTY = 1,
	STREAM_SEEDS,
	STREAM_NUMBERING,
	STREAM_INDICATORS,
	STREAM_ASSETS,
	STREAM_COHORT
};

/* Salts of the noise fields. */
enum {
	SALT_RIM1 = 101,
	SALT_RIM2,
	SALT_RIM3,
	SALT_DX1,
	SALT_DX2,
	SALT_DX3,
	SALT_DY1,
	SALT_DY2,
	SALT_DY3,
	SALT_SVI
};

/* ---- random numbers: splitmix64 seeding xoshiro256** ------------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_init(struct rng *r, uint64_t stream)
{
	uint64_t x = GEN_SEED ^ (stream * 0xd1b54a32d192ed03ULL);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, 1). */
static double unif(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n). */
static int rint_below(struct rng *r, int n)
{
	return (int)(unif(r) * n);
}

/* Uniform integer in [lo, hi]. */
static int rint_range(struct rng *r, int lo, int hi)
{
	return lo + rint_below(r, hi - lo + 1);
}

/* Bell-shaped in [0, 1), mean 0.5 (the mean of three uniforms).  The
 * draws are sequenced: C leaves the order of calls within one expression
 * open, and floating-point addition is not associative. */
static double bell(struct rng *r)
{
	double a = unif(r);
	double b = unif(r);
	double c = unif(r);

	return (a + b + c) / 3.0;
}

/* An index drawn in proportion to weights whose running sums are
 * cum[0..n-1] (the last one positive). */
static size_t pick_weighted(struct rng *r, const double *cum, size_t n)
{
	double u = unif(r) * cum[n - 1];
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cum[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* One entry of a NULL-terminated list, uniformly. */
static const char *pick_str(struct rng *r, const char *const *list)
{
	int n = 0;

	while (list[n])
		n++;
	return list[rint_below(r, n)];
}

/* ---- arithmetic that is the same on every IEEE-754 machine ------------- */

static double dsin(double x)
{
	double k = floor(x / (2 * PI) + 0.5), x2, term, sum;
	int n;

	x -= k * (2 * PI);
	if (x > PI / 2)
		x = PI - x;
	else if (x < -PI / 2)
		x = -PI - x;
	x2 = x * x;
	term = sum = x;
	for (n = 1; n < 13; n++) {
		term *= -x2 / (double)((2 * n) * (2 * n + 1));
		sum += term;
	}
	return sum;
}

static double dcos(double x)
{
	return dsin(x + PI / 2);
}

/* Value noise: a smooth field in [-1, 1] with lattice spacing 1.  Its
 * partial derivatives are at most 3.75 in magnitude. */
static double lattice(int64_t ix, int64_t iy, uint64_t salt)
{
	uint64_t x = (uint64_t)ix * 0x9E3779B185EBCA87ULL ^
		     (uint64_t)iy * 0xC2B2AE3D27D4EB4FULL ^
		     salt * 0x165667B19E3779F9ULL;

	return (double)(splitmix64(&x) >> 11) * 0x1.0p-52 - 1.0;
}

static double fade(double t)
{
	return t * t * t * (t * (t * 6 - 15) + 10);
}

static double vnoise(double x, double y, uint64_t salt)
{
	double fx = floor(x), fy = floor(y);
	int64_t ix = (int64_t)fx, iy = (int64_t)fy;
	double u = fade(x - fx), v = fade(y - fy);
	double a = lattice(ix, iy, salt), b = lattice(ix + 1, iy, salt);
	double c = lattice(ix, iy + 1, salt), d = lattice(ix + 1, iy + 1, salt);

	return a + (b - a) * u + (c - a) * v + (a - b - c + d) * u * v;
}

/*
 * The displacement that makes straight Voronoi edges irregular: three
 * octaves of value noise per axis.  Sampled every 20 m over the county,
 * the spectral norm of its Jacobian stays below 0.73, so x -> x + d(x)
 * does not fold (a tract cannot flip over its neighbour); the GEOS
 * checks after rounding are what the output relies on.
 */
#define DISP_A1 700.0  /* amplitude, metres */
#define DISP_C1 7000.0 /* lattice spacing, metres */
#define DISP_A2 150.0
#define DISP_C2 2000.0
#define DISP_A3 30.0
#define DISP_C3 600.0

static void displace(double x, double y, double *ox, double *oy)
{
	*ox = x + DISP_A1 * vnoise(x / DISP_C1, y / DISP_C1, SALT_DX1) +
	      DISP_A2 * vnoise(x / DISP_C2, y / DISP_C2, SALT_DX2) +
	      DISP_A3 * vnoise(x / DISP_C3, y / DISP_C3, SALT_DX3);
	*oy = y + DISP_A1 * vnoise(x / DISP_C1, y / DISP_C1, SALT_DY1) +
	      DISP_A2 * vnoise(x / DISP_C2, y / DISP_C2, SALT_DY2) +
	      DISP_A3 * vnoise(x / DISP_C3, y / DISP_C3, SALT_DY3);
}

/* A smooth bump: 1 at the centre, 1/4 at distance r. */
static double bump(double x, double y, double cx, double cy, double r)
{
	double dx = x - cx, dy = y - cy;
	double q = 1 + (dx * dx + dy * dy) / (r * r);

	return 1 / (q * q);
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static long long round_ll(double v)
{
	return (long long)floor(v + 0.5);
}

/* ---- places ------------------------------------------------------------- */

struct place {
	const char *name;
	double x, y;	/* local metres */
	double r;	/* radius of the built-up area, metres */
	double ntracts; /* tracts expected from this place's density */
	int town;	/* 1 for the three towns, 0 for rural communities */
	int tract_base; /* first tract number of a town */
	const char *zips[3];
	const struct label *labels;
};

/* Neighbourhoods, named in some assets' names instead of the town. */
struct label {
	const char *name;
	double x, y;
};

/* clang-format off */
static const struct label alderton_labels[] = {
	{ "Old Town", 1000, 0 },         { "Alder Heights", 6500, 5000 },
	{ "South Alderton", 2500, -2500 }, { "Westgate", -1500, 1500 },
	{ "Riverbend", 2500, 5000 },     { NULL, 0, 0 }
};
static const struct label mirasol_labels[] = {
	{ "East Mirasol", -10500, 6500 }, { "Mirasol Park", -13000, 9000 },
	{ NULL, 0, 0 }
};
static const struct label cedar_labels[] = {
	{ "North Cedar Flat", 14500, -3500 }, { NULL, 0, 0 }
};
static const struct label no_labels[] = { { NULL, 0, 0 } };

/* clang-format on */
enum {
	P_ALDERTON,
	P_MIRASOL,
	P_CEDAR,
	P_DOSRIOS,
	P_ESPERANZA,
	P_HARLOW,
	P_BELL,
	N_PLACES
};

/* clang-format off */
static const struct place places[N_PLACES] = {
	{ "Alderton", 2500, 1500, 4200, 90, 1, 1,
	  { "95990", "95991", "95992" }, alderton_labels },
	{ "Mirasol", -12500, 7000, 2800, 40, 1, 101,
	  { "95993", "95994", NULL }, mirasol_labels },
	{ "Cedar Flat", 14500, -5500, 1800, 18, 1, 151,
	  { "95995", NULL, NULL }, cedar_labels },
	{ "Dos Rios", -15500, -9000, 900, 2, 0, 0,
	  { "95996", NULL, NULL }, no_labels },
	{ "Esperanza", -4000, -12500, 800, 2, 0, 0,
	  { "95997", NULL, NULL }, no_labels },
	{ "Harlow", 8500, 12500, 800, 2, 0, 0,
	  { "95998", NULL, NULL }, no_labels },
	{ "Bell Junction", 17000, 5000, 700, 1.5, 0, 0,
	  { "95999", NULL, NULL }, no_labels },
};

/* clang-format on */
#define RURAL_TRACT_BASE 201

/* Where the vulnerable areas are: Alderton's older core and the farmworker
 * communities of the south-west corner around Dos Rios. */
#define CORE_X 1000.0
#define CORE_Y 0.0
#define SW_X   (-16000.0)
#define SW_Y   (-8500.0)

/* Tracts without residents, numbered as the Census numbers special land
 * use tracts (98xx). */
struct special {
	const char *what;
	double x, y;
	int number;
};

/* clang-format off */
static const struct special specials[] = {
	{ "Alderton Municipal Airport", 8000, -1500, 9801 },
	{ "Mirasol Regional Park", -9500, 9500, 9802 },
	{ "Alder Slough Wildlife Area", -20000, 500, 9803 },
};
/* clang-format on */
#define N_SPECIALS (sizeof(specials) / sizeof(specials[0]))

static double place_term(const struct place *p, double x, double y)
{
	double w = p->ntracts / (PI * p->r * p->r);

	return w * bump(x, y, p->x, p->y, p->r);
}

/* Seed density (seeds per square metre) at x, y. */
static double seed_density(double x, double y)
{
	double f = RURAL_DENSITY;
	int i;

	for (i = 0; i < N_PLACES; i++)
		f += place_term(&places[i], x, y);
	return f;
}

/* The town whose built-up area holds x, y, or -1 when rural. */
static int town_at(double x, double y)
{
	int i, best = -1;
	double bestv = 2.5 * RURAL_DENSITY;

	for (i = 0; i < N_PLACES; i++) {
		double v = place_term(&places[i], x, y);
		if (places[i].town && v > bestv) {
			bestv = v;
			best = i;
		}
	}
	return best;
}

/* The place (town or community) a rural address belongs to. */
static int nearest_place(double x, double y)
{
	int i, best = 0;
	double bestd = 0;

	for (i = 0; i < N_PLACES; i++) {
		double dx = x - places[i].x, dy = y - places[i].y;
		double d = sqrt(dx * dx + dy * dy) / (places[i].r + 3000);
		if (i == 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

/* ---- integer geometry --------------------------------------------------- */

struct ipt {
	int32_t x, y; /* microdegrees of longitude, latitude */
};

/* A closed ring: p[n - 1] == p[0]. */
struct iring {
	struct ipt *p;
	size_t n;
};

static struct ipt to_micro(double x, double y)
{
	struct ipt q;

	q.x = (int32_t)(LON0_MICRO + round_ll(x * (1e6 / M_PER_DEG_LON)));
	q.y = (int32_t)(LAT0_MICRO + round_ll(y * (1e6 / M_PER_DEG_LAT)));
	return q;
}

static void from_micro(struct ipt q, double *x, double *y)
{
	*x = (double)(q.x - LON0_MICRO) * (M_PER_DEG_LON / 1e6);
	*y = (double)(q.y - LAT0_MICRO) * (M_PER_DEG_LAT / 1e6);
}

static int ipt_eq(struct ipt a, struct ipt b)
{
	return a.x == b.x && a.y == b.y;
}

static int ipt_cmp(struct ipt a, struct ipt b)
{
	if (a.x != b.x)
		return a.x < b.x ? -1 : 1;
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	return 0;
}

/* Twice the signed area, in microdegrees squared (positive when CCW). */
static long long iring_area2(const struct iring *r)
{
	long long s = 0;
	size_t i;

	for (i = 0; i + 1 < r->n; i++) {
		long long x0 = r->p[i].x - r->p[0].x,
			  y0 = r->p[i].y - r->p[0].y;
		long long x1 = r->p[i + 1].x - r->p[0].x;
		long long y1 = r->p[i + 1].y - r->p[0].y;
		s += x0 * y1 - x1 * y0;
	}
	return s;
}

/* Counter-clockwise, starting at the smallest vertex: one spelling of a
 * ring, whatever order GEOS handed it over in. */
static void iring_canon(struct iring *r)
{
	size_t m = r->n - 1, i, k = 0;
	struct ipt *tmp;

	if (iring_area2(r) < 0) {
		for (i = 0; i < m / 2; i++) {
			struct ipt t = r->p[i];
			r->p[i] = r->p[m - 1 - i];
			r->p[m - 1 - i] = t;
		}
	}
	for (i = 1; i < m; i++)
		if (ipt_cmp(r->p[i], r->p[k]) < 0)
			k = i;
	tmp = xmalloc(r->n * sizeof(*tmp));
	for (i = 0; i < m; i++)
		tmp[i] = r->p[(k + i) % m];
	tmp[m] = tmp[0];
	free(r->p);
	r->p = tmp;
}

/* Authalic function q(phi) of the WGS84 ellipsoid (Snyder 3-12), with
 * atanh(e s) / e expanded as a series in e^2 s^2. */
static double authalic_q(double lat_deg)
{
	double s = dsin(lat_deg * (PI / 180)), es2 = WGS_E2 * s * s;
	double sum = 0, term = s;
	int k;

	for (k = 0; k < 12; k++) {
		sum += term / (2 * k + 1);
		term *= es2;
	}
	return (1 - WGS_E2) * (s / (1 - es2) + sum);
}

/* Area on the WGS84 ellipsoid of a ring, square metres. */
static double iring_area_m2(const struct iring *r)
{
	double s = 0;
	size_t i;

	for (i = 0; i + 1 < r->n; i++) {
		double l0 = r->p[i].x * (PI / 180e6);
		double l1 = r->p[i + 1].x * (PI / 180e6);
		double q0 = authalic_q(r->p[i].y / 1e6);
		double q1 = authalic_q(r->p[i + 1].y / 1e6);
		s += (l1 - l0) * (q0 + q1) / 2;
	}
	return fabs(s) * WGS_A * WGS_A / 2;
}

/* ---- the model ---------------------------------------------------------- */

struct tract {
	double sx, sy;	     /* seed, local metres */
	int town;	     /* places[] index, or -1 when rural */
	int special;	     /* specials[] index + 1, or 0 */
	struct iring *polys; /* exterior ring of each part */
	size_t npolys;
	GEOSGeometry *geom; /* in degrees, exactly what is written */
	const GEOSPreparedGeometry *prep;
	int xmin, ymin, xmax, ymax;
	int number; /* tract code, e.g. 10102 for 101.02 */
	char geoid[16];
	long long aland;
	double latent; /* vulnerability before ranking */
	int pop, children;
	/* fixed point: svi in 1/10000 (-1: missing), percentages in 1/10 */
	int svi, poverty, lep, uninsured;
};

struct asset {
	char id[8];
	char *name, *org, *address;
	char cats[96], langs[32], programs[160], phone[16];
	const char *city, *zip, *hours;
	int capacity; /* -1: unknown */
	int medi_cal;
	struct ipt p;
};

struct person {
	struct ipt p;
	int age;
	const char *lang;
};

struct gen {
	GEOSContextHandle_t gh;
	struct core_err *err;
	double cx[COUNTY_VERTS + 1], cy[COUNTY_VERTS + 1]; /* outline, metres */
	double sx[N_SEEDS], sy[N_SEEDS];
	struct tract *tracts;
	size_t ntracts;
	struct iring county;
	GEOSGeometry *county_geom;
	const GEOSPreparedGeometry *county_prep;
	long long county_aland;
	struct asset *assets;
	size_t nassets;
	struct person *cohort;
	size_t ncohort;
};

static void geos_message(const char *msg, void *data)
{
	struct core_err *err = data;

	core_err_set(err, CORE_ELIB, "geos: %s", msg);
}

static void geos_notice(const char *msg, void *data)
{
	(void)msg;
	(void)data;
}

/* ---- 1. the outline ------------------------------------------------------ */

/* Step 1: the outline, COUNTY_VERTS points counter-clockwise. */
static void make_outline(struct gen *g)
{
	int i;

	for (i = 0; i < COUNTY_VERTS; i++) {
		double t = 2 * PI * i / COUNTY_VERTS, c = dcos(t), s = dsin(t);
		double m =
		    1 + 0.12 * vnoise(1.6 * c + 10, 1.6 * s + 10, SALT_RIM1) +
		    0.05 * vnoise(5 * c + 20, 5 * s + 20, SALT_RIM2) +
		    0.012 * vnoise(16 * c + 40, 16 * s + 40, SALT_RIM3);
		double u = COUNTY_A * c * m, v = COUNTY_B * s * m;

		g->cx[i] = u * ROT_C - v * ROT_S;
		g->cy[i] = u * ROT_S + v * ROT_C;
	}
	g->cx[COUNTY_VERTS] = g->cx[0];
	g->cy[COUNTY_VERTS] = g->cy[0];
}

/* Even-odd test against the outline in metres. */
static int in_outline(const struct gen *g, double x, double y)
{
	int i, in = 0;

	for (i = 0; i < COUNTY_VERTS; i++) {
		double x0 = g->cx[i], y0 = g->cy[i];
		double x1 = g->cx[i + 1], y1 = g->cy[i + 1];
		if ((y0 > y) != (y1 > y) &&
		    x < x0 + (y - y0) * (x1 - x0) / (y1 - y0))
			in = !in;
	}
	return in;
}

/* ---- 2. seeds ------------------------------------------------------------ */

/* Step 2: N_SEEDS points inside the outline, drawn from seed_density()
 * and kept MIN_SPACING local spacings apart. */
static int make_seeds(struct gen *g)
{
	struct rng r;
	double xmin = 1e9, xmax = -1e9, ymin = 1e9, ymax = -1e9, fmax = 0;
	long tries = 0;
	int n = 0, i;

	rng_init(&r, STREAM_SEEDS);
	for (i = 0; i < COUNTY_VERTS; i++) {
		xmin = g->cx[i] < xmin ? g->cx[i] : xmin;
		xmax = g->cx[i] > xmax ? g->cx[i] : xmax;
		ymin = g->cy[i] < ymin ? g->cy[i] : ymin;
		ymax = g->cy[i] > ymax ? g->cy[i] : ymax;
	}
	for (i = 0; i < N_PLACES; i++) {
		double f = seed_density(places[i].x, places[i].y);
		fmax = f > fmax ? f : fmax;
	}
	fmax *= 1.05;
	while (n < N_SEEDS) {
		double x = xmin + unif(&r) * (xmax - xmin);
		double y = ymin + unif(&r) * (ymax - ymin);
		double f = seed_density(x, y), d2min;
		int j;

		if (++tries > 50000000L)
			return core_err_set(g->err, CORE_EFAIL,
					    "seeds: only %d of %d placed", n,
					    N_SEEDS);
		if (unif(&r) * fmax >= f || !in_outline(g, x, y))
			continue;
		d2min = MIN_SPACING * MIN_SPACING / f;
		for (j = 0; j < n; j++) {
			double dx = x - g->sx[j], dy = y - g->sy[j];
			if (dx * dx + dy * dy < d2min)
				break;
		}
		if (j < n)
			continue;
		g->sx[n] = x;
		g->sy[n] = y;
		n++;
	}
	return CORE_OK;
}

/* ---- 3-5. tracts --------------------------------------------------------- */

struct ptbuf {
	struct ipt *p;
	size_t n, cap;
};

static void ptbuf_add(struct ptbuf *b, double x, double y)
{
	double dx, dy;
	struct ipt q;

	displace(x, y, &dx, &dy);
	q = to_micro(dx, dy);
	if (b->n && ipt_eq(b->p[b->n - 1], q))
		return;
	xgrow((void **)&b->p, &b->cap, b->n + 1, sizeof(*b->p));
	b->p[b->n++] = q;
}

/*
 * Densify the segment a->b and add its points after a (a itself is added
 * by the caller, b by the next segment).  The split points are computed
 * from the segment's smaller end, so a->b and b->a give the same points.
 */
static void densify(struct ptbuf *b, double ax, double ay, double bx, double by)
{
	int rev = bx < ax || (bx == ax && by < ay);
	double px = rev ? bx : ax, py = rev ? by : ay;
	double dx = (rev ? ax : bx) - px, dy = (rev ? ay : by) - py;
	int n = (int)ceil(sqrt(dx * dx + dy * dy) / DENSIFY_M), k;

	for (k = 1; k < n; k++) {
		double t = (double)(rev ? n - k : k) / n;
		ptbuf_add(b, px + t * dx, py + t * dy);
	}
}

/* Turn one polygonized face (in metres) into a displaced integer ring. */
static int face_ring(struct gen *g, const GEOSGeometry *face, struct iring *out)
{
	const GEOSGeometry *ring;
	const GEOSCoordSequence *cs;
	struct ptbuf b = {NULL, 0, 0};
	unsigned int n, i;
	double x0, y0, x1, y1;

	if (GEOSGetNumInteriorRings_r(g->gh, face) != 0)
		return core_err_set(g->err, CORE_EFAIL,
				    "tessellation: a face has a hole");
	ring = GEOSGetExteriorRing_r(g->gh, face);
	cs = ring ? GEOSGeom_getCoordSeq_r(g->gh, ring) : NULL;
	if (!cs || !GEOSCoordSeq_getSize_r(g->gh, cs, &n) || n < 4)
		return core_err_set(g->err, CORE_ELIB,
				    "tessellation: bad face ring");
	GEOSCoordSeq_getXY_r(g->gh, cs, 0, &x0, &y0);
	for (i = 1; i < n; i++) {
		GEOSCoordSeq_getXY_r(g->gh, cs, i, &x1, &y1);
		ptbuf_add(&b, x0, y0);
		densify(&b, x0, y0, x1, y1);
		x0 = x1;
		y0 = y1;
	}
	/* The last point equals the first: close on the rounded first one. */
	if (b.n && ipt_eq(b.p[b.n - 1], b.p[0]))
		b.n--;
	if (b.n < 3) {
		free(b.p);
		return core_err_set(g->err, CORE_EFAIL,
				    "tessellation: a face collapsed");
	}
	xgrow((void **)&b.p, &b.cap, b.n + 1, sizeof(*b.p));
	b.p[b.n++] = b.p[0];
	out->p = b.p;
	out->n = b.n;
	iring_canon(out);
	return CORE_OK;
}

static GEOSGeometry *ring_geom(struct gen *g, const struct iring *r)
{
	GEOSCoordSequence *cs = GEOSCoordSeq_create_r(g->gh, (unsigned)r->n, 2);
	size_t i;

	for (i = 0; i < r->n; i++)
		GEOSCoordSeq_setXY_r(g->gh, cs, (unsigned)i, r->p[i].x / 1e6,
				     r->p[i].y / 1e6);
	return GEOSGeom_createLinearRing_r(g->gh, cs);
}

static GEOSGeometry *poly_geom(struct gen *g, const struct iring *r)
{
	return GEOSGeom_createPolygon_r(g->gh, ring_geom(g, r), NULL, 0);
}

static int cmp_ring(const void *a, const void *b)
{
	const struct iring *ra = a, *rb = b;

	return ipt_cmp(ra->p[0], rb->p[0]);
}

static int nearest_seed(const struct gen *g, double x, double y)
{
	int i, best = 0;
	double bestd = 0;

	for (i = 0; i < N_SEEDS; i++) {
		double dx = x - g->sx[i], dy = y - g->sy[i];
		double d = dx * dx + dy * dy;
		if (i == 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

/* Steps 3 and 4: Voronoi, noding, polygonize, then each face displaced and
 * rounded and handed to the tract of the seed whose cell holds it. */
static int make_tracts(struct gen *g)
{
	GEOSContextHandle_t h = g->gh;
	GEOSGeometry *pts[N_SEEDS], *seeds, *env, *vor = NULL;
	GEOSGeometry *county0 = NULL, *all = NULL, *noded = NULL;
	GEOSGeometry *faces = NULL, **lines = NULL;
	const GEOSPreparedGeometry *prep0 = NULL;
	GEOSCoordSequence *cs, *cs2;
	int i, nv, nf, nlines = 0, rc = CORE_ELIB;

	for (i = 0; i < N_SEEDS; i++)
		pts[i] = GEOSGeom_createPointFromXY_r(h, g->sx[i], g->sy[i]);
	seeds = GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, pts, N_SEEDS);
	env = GEOSGeom_createRectangle_r(h, -45000, -45000, 45000, 45000);
	if (seeds && env)
		vor = GEOSVoronoiDiagram_r(h, seeds, env, 0.0, 1);
	GEOSGeom_destroy_r(h, seeds);
	GEOSGeom_destroy_r(h, env);
	if (!vor)
		goto cleanup;

	cs = GEOSCoordSeq_create_r(h, COUNTY_VERTS + 1, 2);
	cs2 = GEOSCoordSeq_create_r(h, COUNTY_VERTS + 1, 2);
	for (i = 0; i <= COUNTY_VERTS; i++) {
		GEOSCoordSeq_setXY_r(h, cs, (unsigned)i, g->cx[i], g->cy[i]);
		GEOSCoordSeq_setXY_r(h, cs2, (unsigned)i, g->cx[i], g->cy[i]);
	}
	county0 = GEOSGeom_createPolygon_r(
	    h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
	nv = GEOSGetNumGeometries_r(h, vor);
	lines = xcalloc((size_t)nv + 1, sizeof(*lines));
	for (i = 0; i < nv; i++)
		lines[nlines++] =
		    GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, vor, i));
	lines[nlines++] = GEOSGeom_createLineString_r(h, cs2);
	all = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, lines,
					  (unsigned)nlines);
	nlines = 0; /* the collection owns them now */
	if (!county0 || !all || GEOSisValid_r(h, county0) != 1)
		goto cleanup;
	noded = GEOSUnaryUnion_r(h, all);
	if (!noded)
		goto cleanup;
	faces = GEOSPolygonize_r(h, (const GEOSGeometry *const *)&noded, 1);
	prep0 = GEOSPrepare_r(h, county0);
	if (!faces || !prep0)
		goto cleanup;

	g->ntracts = N_SEEDS;
	g->tracts = xcalloc(N_SEEDS, sizeof(*g->tracts));
	for (i = 0; i < N_SEEDS; i++) {
		g->tracts[i].sx = g->sx[i];
		g->tracts[i].sy = g->sy[i];
	}
	nf = GEOSGetNumGeometries_r(h, faces);
	for (i = 0; i < nf; i++) {
		const GEOSGeometry *face = GEOSGetGeometryN_r(h, faces, i);
		GEOSGeometry *pos = GEOSPointOnSurface_r(h, face);
		struct tract *t;
		double x = 0, y = 0;
		char in;

		if (!pos)
			goto cleanup;
		in = GEOSPreparedContains_r(h, prep0, pos);
		GEOSGeomGetX_r(h, pos, &x);
		GEOSGeomGetY_r(h, pos, &y);
		GEOSGeom_destroy_r(h, pos);
		if (in == 2)
			goto cleanup;
		if (in != 1)
			continue;
		t = &g->tracts[nearest_seed(g, x, y)];
		t->polys =
		    xrealloc(t->polys, (t->npolys + 1) * sizeof(*t->polys));
		if (face_ring(g, face, &t->polys[t->npolys]) != CORE_OK) {
			rc = g->err->code;
			goto cleanup;
		}
		t->npolys++;
	}
	for (i = 0; i < N_SEEDS; i++) {
		struct tract *t = &g->tracts[i];
		if (!t->npolys) {
			rc = core_err_set(g->err, CORE_EFAIL,
					  "tessellation: seed %d has no face",
					  i);
			goto cleanup;
		}
		qsort(t->polys, t->npolys, sizeof(*t->polys), cmp_ring);
	}
	rc = CORE_OK;
cleanup:
	if (rc == CORE_ELIB && !g->err->code)
		core_err_set(g->err, CORE_ELIB, "tessellation: geos failed");
	for (i = 0; i < nlines; i++)
		GEOSGeom_destroy_r(h, lines[i]);
	free(lines);
	if (prep0)
		GEOSPreparedGeom_destroy_r(h, prep0);
	GEOSGeom_destroy_r(h, faces);
	GEOSGeom_destroy_r(h, noded);
	GEOSGeom_destroy_r(h, all);
	GEOSGeom_destroy_r(h, county0);
	GEOSGeom_destroy_r(h, vor);
	return rc;
}

/* ---- 5. the outline read back from the tracts ---------------------------- */

struct iedge {
	struct ipt a, b;
};

static int cmp_edge(const void *x, const void *y)
{
	const struct iedge *e = x, *f = y;
	int c = ipt_cmp(e->a, f->a);

	return c ? c : ipt_cmp(e->b, f->b);
}

static int cmp_edge_from(const void *x, const void *y)
{
	const struct iedge *e = x, *f = y;

	return ipt_cmp(e->a, f->a);
}

/*
 * Every tract ring runs counter-clockwise, so an inner edge appears once in
 * each direction and an edge of the county outline once only.  Chain the
 * edges without a twin into the outline: one ring, or an error.
 */
static int make_county(struct gen *g)
{
	struct iedge *e = NULL, *bnd = NULL, key;
	size_t ne = 0, nb = 0, i, j, k;
	struct ptbuf ring = {NULL, 0, 0};
	int rc = CORE_EFAIL;

	for (i = 0; i < g->ntracts; i++)
		for (j = 0; j < g->tracts[i].npolys; j++)
			ne += g->tracts[i].polys[j].n - 1;
	e = xmalloc(ne * sizeof(*e));
	ne = 0;
	for (i = 0; i < g->ntracts; i++)
		for (j = 0; j < g->tracts[i].npolys; j++) {
			const struct iring *r = &g->tracts[i].polys[j];
			for (k = 0; k + 1 < r->n; k++) {
				e[ne].a = r->p[k];
				e[ne].b = r->p[k + 1];
				ne++;
			}
		}
	qsort(e, ne, sizeof(*e), cmp_edge);
	bnd = xmalloc(ne * sizeof(*bnd));
	for (i = 0; i < ne; i++) {
		if (i && cmp_edge(&e[i - 1], &e[i]) == 0) {
			core_err_set(g->err, CORE_EFAIL,
				     "outline: edge (%d %d)-(%d %d) is used "
				     "twice in one direction",
				     e[i].a.x, e[i].a.y, e[i].b.x, e[i].b.y);
			goto cleanup;
		}
		key.a = e[i].b;
		key.b = e[i].a;
		if (!bsearch(&key, e, ne, sizeof(*e), cmp_edge))
			bnd[nb++] = e[i];
	}
	for (i = 1; i < nb; i++)
		if (ipt_eq(bnd[i - 1].a, bnd[i].a)) {
			core_err_set(g->err, CORE_EFAIL,
				     "outline: it touches itself at (%d %d)",
				     bnd[i].a.x, bnd[i].a.y);
			goto cleanup;
		}
	if (nb < 3) {
		core_err_set(g->err, CORE_EFAIL, "outline: no boundary");
		goto cleanup;
	}
	key = bnd[0];
	for (i = 0; i < nb; i++) {
		const struct iedge *next;

		xgrow((void **)&ring.p, &ring.cap, ring.n + 1, sizeof(*ring.p));
		ring.p[ring.n++] = key.a;
		key.a = key.b;
		if (ipt_eq(key.a, bnd[0].a))
			break;
		next = bsearch(&key, bnd, nb, sizeof(*bnd), cmp_edge_from);
		if (!next)
			break;
		key = *next;
	}
	if (ring.n != nb) {
		core_err_set(g->err, CORE_EFAIL,
			     "outline: %zu of %zu boundary edges form a ring; "
			     "the union of the tracts is not one polygon",
			     ring.n, nb);
		goto cleanup;
	}
	xgrow((void **)&ring.p, &ring.cap, ring.n + 1, sizeof(*ring.p));
	ring.p[ring.n++] = bnd[0].a;
	g->county.p = ring.p;
	g->county.n = ring.n;
	ring.p = NULL;
	iring_canon(&g->county);
	rc = CORE_OK;
cleanup:
	free(ring.p);
	free(bnd);
	free(e);
	return rc;
}

/* ---- checks -------------------------------------------------------------- */

/*
 * Build each tract's GEOS geometry (degrees, exactly the coordinates that
 * are written), its bounding box and ALAND_M2, and the county's; fail
 * unless every tract is valid and the tracts' union and sum have the
 * county's area within 1e-9.
 */
static int tract_geoms(struct gen *g)
{
	GEOSContextHandle_t h = g->gh;
	GEOSGeometry **parts, **all, *coll, *uni;
	double area_sum = 0, county_area = 0, union_area = 0;
	size_t i, j;
	int rc = CORE_OK;

	all = xcalloc(g->ntracts, sizeof(*all));
	for (i = 0; i < g->ntracts; i++) {
		struct tract *t = &g->tracts[i];
		double a = 0;

		parts = xcalloc(t->npolys, sizeof(*parts));
		t->xmin = t->ymin = INT32_MAX;
		t->xmax = t->ymax = INT32_MIN;
		for (j = 0; j < t->npolys; j++) {
			const struct iring *r = &t->polys[j];
			size_t k;

			parts[j] = poly_geom(g, r);
			for (k = 0; k < r->n; k++) {
				struct ipt q = r->p[k];
				t->xmin = q.x < t->xmin ? q.x : t->xmin;
				t->xmax = q.x > t->xmax ? q.x : t->xmax;
				t->ymin = q.y < t->ymin ? q.y : t->ymin;
				t->ymax = q.y > t->ymax ? q.y : t->ymax;
			}
			a += iring_area_m2(r);
		}
		t->aland = round_ll(a);
		t->geom = GEOSGeom_createCollection_r(
		    h, GEOS_MULTIPOLYGON, parts, (unsigned)t->npolys);
		free(parts);
		if (!t->geom) {
			rc = core_err_set(g->err, CORE_ELIB,
					  "tract %zu: geos failed", i);
			break;
		}
		if (GEOSisValid_r(h, t->geom) != 1) {
			char *why = GEOSisValidReason_r(h, t->geom);
			rc = core_err_set(g->err, CORE_EFAIL,
					  "tract %s is not valid: %s", t->geoid,
					  why ? why : "?");
			GEOSFree_r(h, why);
			break;
		}
		t->prep = GEOSPrepare_r(h, t->geom);
		if (GEOSArea_r(h, t->geom, &a) != 1)
			rc = core_err_set(g->err, CORE_ELIB, "area failed");
		area_sum += a;
		all[i] = GEOSGeom_clone_r(h, t->geom);
	}
	if (rc == CORE_OK) {
		g->county_geom = poly_geom(g, &g->county);
		g->county_aland = round_ll(iring_area_m2(&g->county));
		if (!g->county_geom || GEOSisValid_r(h, g->county_geom) != 1)
			rc = core_err_set(g->err, CORE_EFAIL,
					  "county outline is not valid");
	}
	if (rc != CORE_OK) {
		for (i = 0; i < g->ntracts; i++)
			GEOSGeom_destroy_r(h, all[i]);
		free(all);
		return rc;
	}
	g->county_prep = GEOSPrepare_r(h, g->county_geom);
	coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, all,
					   (unsigned)g->ntracts);
	free(all);
	uni = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
	if (!uni || GEOSArea_r(h, uni, &union_area) != 1 ||
	    GEOSArea_r(h, g->county_geom, &county_area) != 1)
		rc = core_err_set(g->err, CORE_ELIB, "union failed");
	else if (fabs(union_area - county_area) > 1e-9 * county_area ||
		 fabs(area_sum - county_area) > 1e-9 * county_area)
		rc = core_err_set(g->err, CORE_EFAIL,
				  "tracts do not tile the county: union %.12g, "
				  "sum %.12g, county %.12g",
				  union_area, area_sum, county_area);
	GEOSGeom_destroy_r(h, uni);
	GEOSGeom_destroy_r(h, coll);
	return rc;
}

/* A random point strictly inside tract t, on the microdegree grid. */
static int point_in_tract(struct gen *g, struct rng *r, const struct tract *t,
			  struct ipt *out)
{
	int tries;

	for (tries = 0; tries < 100000; tries++) {
		struct ipt q;
		GEOSGeometry *pt;
		char in;

		q.x = t->xmin + rint_below(r, t->xmax - t->xmin + 1);
		q.y = t->ymin + rint_below(r, t->ymax - t->ymin + 1);
		pt = GEOSGeom_createPointFromXY_r(g->gh, q.x / 1e6, q.y / 1e6);
		in = pt ? GEOSPreparedContains_r(g->gh, t->prep, pt) : 2;
		GEOSGeom_destroy_r(g->gh, pt);
		if (in == 2)
			return core_err_set(g->err, CORE_ELIB,
					    "point in tract: geos failed");
		if (in == 1) {
			*out = q;
			return CORE_OK;
		}
	}
	return core_err_set(g->err, CORE_EFAIL, "tract %s: no point found",
			    t->geoid);
}

/* ---- tract numbers ------------------------------------------------------- */

static uint32_t hilbert(uint32_t n, uint32_t x, uint32_t y)
{
	uint32_t s, d = 0;

	for (s = n / 2; s > 0; s /= 2) {
		uint32_t rx = (x & s) > 0, ry = (y & s) > 0;

		d += s * s * ((3 * rx) ^ ry);
		if (ry == 0) {
			uint32_t t;
			if (rx == 1) {
				x = n - 1 - x;
				y = n - 1 - y;
			}
			t = x;
			x = y;
			y = t;
		}
	}
	return d;
}

struct order {
	double key;
	size_t i;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int cmp_tract(const void *a, const void *b)
{
	const struct tract *x = a, *y = b;

	return x->number < y->number ? -1 : x->number > y->number;
}

static uint32_t grid(double v)
{
	double c = floor((v + 32768.0) / 64.0);

	return (uint32_t)clampd(c, 0, 1023);
}

/*
 * Number the tracts as the Census does: a base number per area, grown
 * tracts split into .01 and .02, bases running along a Hilbert curve so
 * neighbours get near numbers; the 98xx tracts have no residents.
 */
static void number_tracts(struct gen *g)
{
	struct order *ord = xcalloc(g->ntracts, sizeof(*ord));
	struct rng r;
	size_t i, s;
	int grp;

	rng_init(&r, STREAM_NUMBERING);
	for (i = 0; i < g->ntracts; i++)
		g->tracts[i].town = town_at(g->tracts[i].sx, g->tracts[i].sy);
	for (s = 0; s < N_SPECIALS; s++) {
		size_t best = 0;
		double bestd = -1;

		for (i = 0; i < g->ntracts; i++) {
			double dx = g->tracts[i].sx - specials[s].x;
			double dy = g->tracts[i].sy - specials[s].y;
			if (g->tracts[i].special)
				continue;
			if (bestd < 0 || dx * dx + dy * dy < bestd) {
				bestd = dx * dx + dy * dy;
				best = i;
			}
		}
		g->tracts[best].special = (int)s + 1;
		g->tracts[best].number = specials[s].number * 100;
	}
	/* groups: the three towns, then the countryside */
	for (grp = 0; grp < 4; grp++) {
		int town = grp < 3 ? grp : -1;
		int base = grp < 3 ? places[grp].tract_base : RURAL_TRACT_BASE;
		double psplit = grp < 3 ? 0.35 : 0.15;
		size_t n = 0, k;

		for (i = 0; i < g->ntracts; i++) {
			const struct tract *t = &g->tracts[i];
			if (t->special || t->town != town)
				continue;
			ord[n].key = hilbert(1024, grid(t->sx), grid(t->sy));
			ord[n].i = i;
			n++;
		}
		qsort(ord, n, sizeof(*ord), cmp_order);
		for (k = 0; k < n;) {
			if (k + 1 < n && unif(&r) < psplit) {
				g->tracts[ord[k].i].number = base * 100 + 1;
				g->tracts[ord[k + 1].i].number = base * 100 + 2;
				k += 2;
			} else {
				g->tracts[ord[k].i].number = base * 100;
				k++;
			}
			base += unif(&r) < 0.08 ? 2 : 1;
		}
	}
	free(ord);
	qsort(g->tracts, g->ntracts, sizeof(*g->tracts), cmp_tract);
	for (i = 0; i < g->ntracts; i++)
		snprintf(g->tracts[i].geoid, sizeof(g->tracts[i].geoid),
			 "06999%06d", g->tracts[i].number);
}

/* ---- indicators ---------------------------------------------------------- */

static int pct10(double v, double lo, double hi)
{
	return (int)round_ll(clampd(v, lo, hi) * 10);
}

/* Population, svi and the rest per tract, from smooth fields around the
 * vulnerable places plus per-tract noise. */
static void make_indicators(struct gen *g)
{
	struct order *ord = xcalloc(g->ntracts, sizeof(*ord));
	struct rng r;
	size_t i, n = 0;

	rng_init(&r, STREAM_INDICATORS);
	for (i = 0; i < g->ntracts; i++) {
		struct tract *t = &g->tracts[i];
		double x = t->sx, y = t->sy;
		double u1 = unif(&r), b1 = bell(&r);

		t->latent = 1.0 * bump(x, y, CORE_X, CORE_Y, 2500) +
			    0.9 * bump(x, y, SW_X, SW_Y, 7000) +
			    0.35 * bump(x, y, -11000, 5500, 2000) -
			    0.35 * bump(x, y, 6500, 5000, 2500) +
			    0.25 * vnoise(x / 6000, y / 6000, SALT_SVI) +
			    0.18 * (u1 - 0.5);
		if (t->special)
			t->pop = 0;
		else if (t->town >= 0)
			t->pop = 2600 + (int)(4400 * b1);
		else
			t->pop = 1800 + (int)(3400 * b1);
		if (t->pop > 0) {
			ord[n].key = t->latent;
			ord[n].i = i;
			n++;
		}
	}
	/* svi is a percentile rank, as the CDC/ATSDR SVI is; this county
	 * ranks higher than the nation on the whole, as Central Valley
	 * counties do. */
	qsort(ord, n, sizeof(*ord), cmp_order);
	for (i = 0; i < g->ntracts; i++)
		g->tracts[i].svi = -1;
	for (i = 0; i < n; i++) {
		double q = n > 1 ? (double)i / (double)(n - 1) : 0.5;
		double v = 0.02 + 0.97 * (q + 0.3 * q * (1 - q));
		g->tracts[ord[i].i].svi = (int)round_ll(v * 1e4);
	}
	for (i = 0; i < g->ntracts; i++) {
		struct tract *t = &g->tracts[i];
		double s = t->svi / 1e4, x = t->sx, y = t->sy;
		double b1 = bell(&r), b2 = bell(&r), b3 = bell(&r),
		       b4 = bell(&r);

		if (t->pop == 0) {
			t->children = 0;
			continue;
		}
		t->poverty =
		    pct10(3 + 8 * s + 34 * s * s + 6 * (b1 - 0.5), 1.5, 58);
		t->lep = pct10(
		    0.8 + 22 * s * s + 14 * bump(x, y, SW_X, SW_Y, 9000) +
			6 * bump(x, y, CORE_X, CORE_Y, 3000) + 4 * (b2 - 0.5),
		    0.2, 48);
		t->uninsured =
		    pct10(2.5 + 10 * s + 2.5 * bump(x, y, SW_X, SW_Y, 9000) +
			      3 * (b3 - 0.5),
			  1.0, 24);
		t->children = (int)round_ll(
		    t->pop * (0.19 + 0.12 * s + 0.05 * (b4 - 0.5)));
	}
	free(ord);
}

/* ---- assets -------------------------------------------------------------- */

/*
 * An asset name template: '@' is replaced by a place label, '#' by a
 * congregation's short name and '$' by its full name.  org NULL means the
 * organisation is the asset itself.  programs are the Medi-Cal Community
 * Supports the site offers, with probability p_programs.
 */
struct tmpl {
	const char *name;
	const char *org;
	const char *programs;
	double p_programs;
};

struct catinfo {
	const char *code;
	int count; /* assets with this as first category */
	double p_medi_cal;
	int cap_lo, cap_hi; /* people served a week */
	const char *related[4];
	const char *const *hours;
	const struct tmpl *tmpls;
};

/* clang-format off */
static const char *const h_office[] = {
	"Mo-Fr 08:00-17:00", "Mo-Fr 09:00-17:00", "Mo-Th 08:30-17:30",
	"Mo-Fr 08:00-17:00; Sa 09:00-13:00", "Mo-Fr 08:00-12:00,13:00-17:00",
	NULL
};
static const char *const h_clinic[] = {
	"Mo-Fr 08:00-17:00", "Mo-Fr 07:30-19:00; Sa 08:00-12:00",
	"Mo-Sa 08:00-20:00", "Mo-Fr 08:00-18:00",
	"Mo-Th 08:00-19:00; Fr 08:00-17:00",
	NULL
};
static const char *const h_pantry[] = {
	"Tu,Th 10:00-13:00", "We 15:00-18:00", "Sa 09:00-12:00",
	"Mo,We,Fr 09:00-12:00", "Th 16:00-19:00", "Mo-Fr 10:00-14:00",
	"Tu 09:00-11:00; Sa 08:00-10:00", NULL
};
static const char *const h_allday[] = {
	"24/7", "24/7", "Mo-Fr 08:00-17:00", NULL
};
static const char *const h_evening[] = {
	"Tu 18:00-20:00", "Th 18:30-20:00", "Mo,We 17:30-19:30",
	"Sa 10:00-12:00", "Mo-Fr 14:00-18:00", NULL
};
static const char *const h_school[] = {
	"Mo-Fr 07:00-18:00", "Mo-Fr 08:00-15:00", "Mo-Th 09:00-19:00",
	"Mo-Fr 07:30-17:30", NULL
};

static const struct tmpl t_food[] = {
	{ "@ Food Pantry", "Alder Valley Food Bank", NULL, 0 },
	{ "@ Community Food Closet", NULL, NULL, 0 },
	{ "# Food Pantry", "$, @", NULL, 0 },
	{ "# Community Meal", "$, @", NULL, 0 },
	{ "@ Senior Nutrition Site", "Alder County Area Agency on Aging",
	  NULL, 0 },
	{ "@ WIC Office", "Alder County Public Health", NULL, 0 },
	{ "@ Family Meals Program", NULL, "medically_tailored_meals", 0.6 },
	{ "@ Certified Farmers Market", NULL, NULL, 0 },
	{ "Alder Valley Food Bank - @ Distribution", "Alder Valley Food Bank",
	  NULL, 0 },
	{ "@ School Pantry", "@ Unified School District", NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_primary[] = {
	{ "Alder Valley Health Centers - @", "Alder Valley Health Centers",
	  NULL, 0 },
	{ "@ Family Clinic", NULL, NULL, 0 },
	{ "@ Community Health Center", NULL, NULL, 0 },
	{ "Clinica de Salud @", "Clinica de Salud del Valle", NULL, 0 },
	{ "@ Pediatrics", NULL, NULL, 0 },
	{ "@ Urgent Care", NULL, NULL, 0 },
	{ "@ Rural Health Clinic", NULL, NULL, 0 },
	{ "Alder County Public Health Clinic - @", "Alder County Public Health",
	  NULL, 0 },
	{ "@ Medical Group", NULL, NULL, 0 },
	{ "@ School-Based Health Center", "@ Unified School District",
	  NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_behavioral[] = {
	{ "@ Counseling Center", NULL, NULL, 0 },
	{ "Alder County Behavioral Health - @",
	  "Alder County Behavioral Health",
	  NULL, 0 },
	{ "@ Youth and Family Services", NULL, NULL, 0 },
	{ "@ Wellness Center", NULL, NULL, 0 },
	{ "@ Crisis Stabilization Unit", "Alder County Behavioral Health",
	  NULL, 0 },
	{ "Clinica de Salud @ Behavioral Health", "Clinica de Salud del Valle",
	  NULL, 0 },
	{ "@ Peer Support Center", NULL, NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_housing[] = {
	{ "@ Housing Resource Center", NULL,
	  "housing_navigation;housing_deposits;housing_tenancy", 0.6 },
	{ "@ Family Shelter", NULL, NULL, 0 },
	{ "@ Rescue Mission", NULL, NULL, 0 },
	{ "Alder County Housing Authority - @",
	  "Alder County Housing Authority",
	  "transitional_rent", 0.3 },
	{ "@ Recuperative Care Center", NULL,
	  "recuperative_care;post_hospitalization_housing", 1.0 },
	{ "@ Supportive Housing", "Valley Homes Partnership",
	  "housing_tenancy;community_transition", 0.5 },
	{ "@ Healthy Homes Program", "Alder County Public Health",
	  "asthma_remediation", 0.9 },
	{ "@ Rapid Rehousing Program", NULL,
	  "housing_navigation;housing_deposits;transitional_rent", 0.5 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_substance[] = {
	{ "@ Recovery Center", NULL, NULL, 0 },
	{ "@ Treatment Services", NULL, NULL, 0 },
	{ "@ Sobering Center", "Alder County Behavioral Health",
	  "sobering_centers", 1.0 },
	{ "@ Harm Reduction Program", NULL, NULL, 0 },
	{ "@ Recovery Residence", NULL, NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_dental[] = {
	{ "@ Community Dental", NULL, NULL, 0 },
	{ "Alder Valley Health Centers Dental - @",
	  "Alder Valley Health Centers",
	  NULL, 0 },
	{ "@ Smiles Children's Dental", NULL, NULL, 0 },
	{ "Mobile Dental Clinic - @", "Alder County Public Health", NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_transport[] = {
	{ "@ Dial-a-Ride", "Alder County Transit", NULL, 0 },
	{ "@ Medical Rides", NULL, NULL, 0 },
	{ "@ Transit Center", "Alder County Transit", NULL, 0 },
	{ "@ Volunteer Driver Program", NULL, NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_utilities[] = {
	{ "@ Energy Assistance Office", "Alder Valley Community Action",
	  NULL, 0 },
	{ "@ Weatherization Program", "Alder Valley Community Action",
	  NULL, 0 },
	{ "@ Water Bill Help Desk", NULL, NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_legal[] = {
	{ "@ Legal Aid Office", "Alder Valley Legal Aid", NULL, 0 },
	{ "@ Tenant Rights Clinic", NULL, NULL, 0 },
	{ "@ Immigration Legal Services", NULL, NULL, 0 },
	{ "Medical-Legal Partnership - @", "Alder Valley Legal Aid", NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_employment[] = {
	{ "@ Job Center", "Alder County Workforce Board", NULL, 0 },
	{ "@ Farmworker Job Training", NULL, NULL, 0 },
	{ "@ Career Center", NULL, NULL, 0 },
	{ "@ Youth Employment Program", NULL, NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_education[] = {
	{ "@ Adult School", "@ Unified School District", NULL, 0 },
	{ "@ Library Literacy Program", "Alder County Library", NULL, 0 },
	{ "@ ESL Classes", NULL, NULL, 0 },
	{ "@ Homework Center", NULL, NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_childcare[] = {
	{ "@ Head Start", "Alder County Office of Education", NULL, 0 },
	{ "@ Family Resource Center", NULL, NULL, 0 },
	{ "@ Child Development Center", NULL, NULL, 0 },
	{ "@ Early Learning Center", NULL, NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_caregiving[] = {
	{ "@ Adult Day Center", NULL, "respite;personal_care", 0.5 },
	{ "@ Caregiver Resource Center", NULL, "respite", 0.6 },
	{ "@ In-Home Support Services Office",
	  "Alder County Human Services Agency", "personal_care", 0.7 },
	{ "@ Assisted Living Transition Program", NULL,
	  "nf_transition_alf;community_transition", 0.9 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_disability[] = {
	{ "@ Independent Living Center", NULL,
	  "home_modifications;community_transition", 0.5 },
	{ "@ Day Program", NULL, "day_habilitation", 0.8 },
	{ "@ Home Access Program", NULL, "home_modifications", 0.9 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_benefits[] = {
	{ "Alder County Human Services Agency - @",
	  "Alder County Human Services Agency", NULL, 0 },
	{ "@ Benefits Enrollment Center", NULL, NULL, 0 },
	{ "@ Free Tax Help (VITA)", NULL, NULL, 0 },
	{ "CalFresh Help Desk - @", "Alder Valley Food Bank", NULL, 0 },
	{ "@ Medi-Cal Enrollment Assistance", NULL, NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_social[] = {
	{ "@ Senior Center", NULL, NULL, 0 },
	{ "@ Community Center", NULL, NULL, 0 },
	{ "@ Parent Support Group", NULL, NULL, 0 },
	{ "# Outreach Ministry", "$, @", NULL, 0 },
	{ "@ Youth Center", NULL, NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_safety[] = {
	{ "@ Family Violence Prevention Center", NULL, NULL, 0 },
	{ "@ Safe House", NULL, NULL, 0 },
	{ "@ Youth Violence Prevention Program", NULL, NULL, 0 },
	{ "@ Family Justice Center", "Alder County District Attorney",
	  NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct tmpl t_healthed[] = {
	{ "Promotores de Salud - @", "Clinica de Salud del Valle", NULL, 0 },
	{ "@ Asthma Education Program", "Alder County Public Health",
	  "asthma_remediation", 0.5 },
	{ "@ Diabetes Self-Management Class", NULL, NULL, 0 },
	{ "@ Community Health Workers", NULL, NULL, 0 },
	{ "Breathe Easy @", "Alder Valley Lung Health Coalition",
	  "asthma_remediation", 0.4 },
	{ NULL, NULL, NULL, 0 }
};

/* The 18 categories of data/taxonomy/categories.csv; counts sum to
 * N_ASSETS. */
static const struct catinfo cats[] = {
	{ "food", 68, 0.05, 40, 600,
	  { "benefits", "social_connection", "health_education", NULL },
	  h_pantry, t_food },
	{ "primary_care", 54, 0.95, 150, 1500,
	  { "dental", "behavioral_health", "health_education", NULL },
	  h_clinic, t_primary },
	{ "behavioral_health", 40, 0.85, 30, 400,
	  { "substance_use", "primary_care", "safety", NULL },
	  h_clinic, t_behavioral },
	{ "housing", 36, 0.2, 10, 150,
	  { "benefits", "behavioral_health", "utilities", NULL },
	  h_allday, t_housing },
	{ "health_education", 22, 0.35, 15, 200,
	  { "primary_care", "food", "social_connection", NULL },
	  h_evening, t_healthed },
	{ "benefits", 20, 0.05, 50, 600,
	  { "food", "legal", "utilities", NULL }, h_office, t_benefits },
	{ "social_connection", 20, 0.05, 20, 300,
	  { "food", "caregiving", "health_education", NULL },
	  h_evening, t_social },
	{ "substance_use", 16, 0.8, 15, 120,
	  { "behavioral_health", "housing", NULL, NULL }, h_allday,
	  t_substance },
	{ "childcare", 16, 0.05, 20, 160,
	  { "education", "food", "health_education", NULL }, h_school,
	  t_childcare },
	{ "education", 16, 0.05, 20, 250,
	  { "childcare", "employment", NULL, NULL }, h_school, t_education },
	{ "dental", 14, 0.85, 50, 400, { "primary_care", NULL, NULL, NULL },
	  h_clinic, t_dental },
	{ "employment", 14, 0.05, 20, 300,
	  { "education", "benefits", NULL, NULL }, h_office, t_employment },
	{ "transportation", 12, 0.3, 20, 300,
	  { "disability", "caregiving", NULL, NULL }, h_office, t_transport },
	{ "legal", 12, 0.05, 10, 120,
	  { "housing", "safety", "benefits", NULL }, h_office, t_legal },
	{ "caregiving", 12, 0.4, 10, 80,
	  { "disability", "social_connection", NULL, NULL }, h_office,
	  t_caregiving },
	{ "disability", 10, 0.4, 10, 100,
	  { "caregiving", "transportation", "employment", NULL }, h_office,
	  t_disability },
	{ "safety", 10, 0.05, 5, 60,
	  { "legal", "housing", "behavioral_health", NULL }, h_allday,
	  t_safety },
	{ "utilities", 8, 0.05, 20, 200,
	  { "benefits", "housing", NULL, NULL }, h_office, t_utilities },
};
/* clang-format on */
#define N_CATS (sizeof(cats) / sizeof(cats[0]))

/* clang-format off */
static const char *const congregations[][2] = {
	{ "St. Anne", "St. Anne Catholic Church" },
	{ "Grace Lutheran", "Grace Lutheran Church" },
	{ "First Baptist", "First Baptist Church" },
	{ "Iglesia Bethel", "Iglesia Bethel" },
	{ "Gurdwara Sahib", "Gurdwara Sahib" },
	{ "Valley Christian", "Valley Christian Fellowship" },
	{ "Holy Family", "Holy Family Parish" },
	{ "Trinity Methodist", "Trinity United Methodist Church" },
	{ "Sacred Heart", "Sacred Heart Parish" },
	{ "Good Shepherd", "Good Shepherd Episcopal Church" },
	{ "Masjid Al-Noor", "Masjid Al-Noor" },
	{ "Templo La Roca", "Templo La Roca" },
};
/* clang-format on */
#define N_CONGREGATIONS (sizeof(congregations) / sizeof(congregations[0]))

/* clang-format off */
static const char *const streets[] = {
	"Main St", "Alder Ave", "Olive Ave", "Orchard Rd", "Almond Dr",
	"Walnut St", "Sycamore Ave", "Mission Blvd", "Sierra Vista Dr",
	"Canal St", "Railroad Ave", "Cottonwood Ln", "Valley View Dr",
	"Fig Ave", "Cedar St", "Grant St", "Jefferson Ave", "Lincoln Blvd",
	"Oak St", "Pioneer Way", "Church St", "Court St", "Vine St",
	"Packwood Ave", "Magnolia St", "Mirasol Blvd", "Harvest Way",
	"El Camino Real", "Riverbend Dr", "Tule Ln", NULL
};

/* clang-format on */
/* Replace '@', '#' and '$' in pattern. */
static char *expand(const char *pat, const char *place, size_t cong)
{
	struct core_buf b = CORE_BUF_INIT;
	const char *p;

	for (p = pat; *p; p++) {
		if (*p == '@')
			core_buf_adds(&b, place);
		else if (*p == '#')
			core_buf_adds(&b, congregations[cong][0]);
		else if (*p == '$')
			core_buf_adds(&b, congregations[cong][1]);
		else
			core_buf_addc(&b, *p);
	}
	return core_buf_detach(&b);
}

static void add_code(char *list, size_t size, const char *code)
{
	size_t n = strlen(list);

	snprintf(list + n, size - n, "%s%s", n ? ";" : "", code);
}

static int has_code(const char *list, const char *code)
{
	size_t n = strlen(code);
	const char *p = list;

	while ((p = strstr(p, code)) != NULL) {
		if ((p == list || p[-1] == ';') && (p[n] == ';' || !p[n]))
			return 1;
		p += n;
	}
	return 0;
}

static int name_taken(const struct gen *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nassets; i++)
		if (strcmp(g->assets[i].name, name) == 0)
			return 1;
	return 0;
}

/* The name an asset at x, y in place p goes by: the place, or the
 * neighbourhood it is in. */
static const char *pick_label(struct rng *r, int p, double x, double y)
{
	const struct label *l, *best = NULL;
	double bestd = 3000.0 * 3000.0, u = unif(r);

	if (u < 0.04)
		return "Alder Valley";
	if (u < 0.6)
		return places[p].name;
	for (l = places[p].labels; l->name; l++) {
		double dx = x - l->x, dy = y - l->y;
		if (dx * dx + dy * dy < bestd) {
			bestd = dx * dx + dy * dy;
			best = l;
		}
	}
	return best ? best->name : places[p].name;
}

/* Which ZIP code of place p a point x, y falls in: west, north-east,
 * south-east of the centre. */
static const char *zip_of(int p, double x, double y)
{
	const struct place *pl = &places[p];
	int k = x < pl->x ? 0 : y >= pl->y ? 1 : 2;

	while (k > 0 && !pl->zips[k])
		k--;
	return pl->zips[k];
}

/* How likely a site is in tract t, per resident: services gather in the
 * towns and their centres; the south-west corner has few. */
static double asset_pull(const struct tract *t)
{
	double f;
	int i;

	if (t->pop == 0)
		return 0;
	if (t->town >= 0) {
		const struct place *p = &places[t->town];
		f = 1 + 1.5 * bump(t->sx, t->sy, p->x, p->y, 0.6 * p->r);
	} else {
		double c = 0;
		for (i = 0; i < N_PLACES; i++) {
			double v = bump(t->sx, t->sy, places[i].x, places[i].y,
					places[i].r + 1500);
			c = v > c ? v : c;
		}
		f = 0.10 + 0.6 * c;
	}
	return f * (1 - 0.9 * bump(t->sx, t->sy, SW_X, SW_Y, 6000));
}

/* N_ASSETS sites: categories in the counts of cats[], shuffled; each in a
 * tract drawn by population times asset_pull(). */
static int make_assets(struct gen *g)
{
	static const char *const extra_langs[] = {"pa", "tl", "vi",
						  "lo", "pt", "ar"};
	static const double p_extra[] = {0.05, 0.04, 0.03, 0.03, 0.03, 0.02};
	const char *order[N_ASSETS];
	double *cum = xcalloc(g->ntracts, sizeof(*cum));
	struct rng r;
	size_t i, k, n = 0;
	int rc = CORE_OK;

	rng_init(&r, STREAM_ASSETS);
	for (i = 0; i < N_CATS; i++)
		for (k = 0; k < (size_t)cats[i].count; k++)
			order[n++] = cats[i].code;
	if (n != N_ASSETS) {
		free(cum);
		return core_err_set(g->err, CORE_EFAIL,
				    "assets: category counts sum to %zu", n);
	}
	for (i = n; i > 1; i--) { /* Fisher-Yates */
		size_t j = (size_t)rint_below(&r, (int)i);
		const char *t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (i = 0; i < g->ntracts; i++)
		cum[i] = (i ? cum[i - 1] : 0) +
			 g->tracts[i].pop * asset_pull(&g->tracts[i]);

	g->assets = xcalloc(N_ASSETS, sizeof(*g->assets));
	for (n = 0; n < N_ASSETS; n++) {
		struct asset *a = &g->assets[n];
		const struct catinfo *cat = NULL;
		const struct tract *t =
		    &g->tracts[pick_weighted(&r, cum, g->ntracts)];
		const struct tmpl *templ;
		const char *street, *label;
		size_t c, ntm = 0, cong;
		double x, y;
		int p, tries, rural;

		for (c = 0; c < N_CATS; c++)
			if (strcmp(cats[c].code, order[n]) == 0)
				cat = &cats[c];
		snprintf(a->id, sizeof(a->id), "A%04zu", n + 1);
		rc = point_in_tract(g, &r, t, &a->p);
		if (rc != CORE_OK)
			break;
		from_micro(a->p, &x, &y);
		rural = t->town < 0;
		p = rural ? nearest_place(x, y) : t->town;
		a->city = places[p].name;
		a->zip = zip_of(p, x, y);

		/* categories */
		add_code(a->cats, sizeof(a->cats), cat->code);
		if (unif(&r) < 0.3) {
			size_t nrel = 0;
			while (nrel < 4 && cat->related[nrel])
				nrel++;
			add_code(a->cats, sizeof(a->cats),
				 cat->related[rint_below(&r, (int)nrel)]);
		}

		/* name and organisation */
		while (cat->tmpls[ntm].name)
			ntm++;
		street = pick_str(&r, streets);
		for (tries = 0;; tries++) {
			templ = &cat->tmpls[rint_below(&r, (int)ntm)];
			label = pick_label(&r, p, x, y);
			cong = (size_t)rint_below(&r, N_CONGREGATIONS);
			a->name = expand(templ->name, label, cong);
			if (!name_taken(g, a->name))
				break;
			if (tries >= 8) {
				char *s = xasprintf("%s - %s", a->name, street);
				free(a->name);
				a->name = s;
				if (!name_taken(g, a->name))
					break;
				s = xasprintf("%s (%s)", a->name, a->id);
				free(a->name);
				a->name = s;
				break;
			}
			free(a->name);
			a->name = NULL;
		}
		a->org = templ->org ? expand(templ->org, places[p].name, cong)
				    : xstrdup(a->name);
		if (templ->programs && unif(&r) < templ->p_programs)
			snprintf(a->programs, sizeof(a->programs), "%s",
				 templ->programs);

		/* address: a town street, or the rural grid of roads */
		if (!rural)
			a->address = xasprintf(
			    "%d %s", rint_range(&r, 100, 3999), street);
		else if (unif(&r) < 0.5)
			a->address = xasprintf("%d Road %d",
					       rint_range(&r, 10000, 29999),
					       (int)((x + 30000) / 1600) + 1);
		else
			a->address = xasprintf("%d Avenue %d",
					       rint_range(&r, 10000, 29999),
					       (int)((y + 30000) / 1600) + 1);
		if (unif(&r) < 0.06)
			a->phone[0] = 0;
		else
			snprintf(a->phone, sizeof(a->phone), "(209) 555-01%02d",
				 rint_below(&r, 100));
		a->hours = unif(&r) < 0.08 ? "" : pick_str(&r, cat->hours);

		/* languages spoken on site */
		snprintf(a->langs, sizeof(a->langs), "en");
		if (unif(&r) <
		    (rural ? 0.85 : 0.7) + 0.25 * bump(x, y, SW_X, SW_Y, 8000))
			add_code(a->langs, sizeof(a->langs), "es");
		for (k = 0; k < 6; k++) {
			double pe = p_extra[k];
			if (k == 0 && p == P_CEDAR)
				pe = 0.3;
			if (unif(&r) < pe)
				add_code(a->langs, sizeof(a->langs),
					 extra_langs[k]);
		}
		a->capacity = unif(&r) < 0.12
				  ? -1
				  : rint_range(&r, cat->cap_lo, cat->cap_hi);
		a->medi_cal = a->programs[0] || unif(&r) < cat->p_medi_cal ||
			      has_code(a->cats, "primary_care");
		g->nassets = n + 1;
	}
	free(cum);
	return rc;
}

/* ---- cohort -------------------------------------------------------------- */

/* N_COHORT children with asthma, in tracts drawn by children weighted by
 * svi, at random points inside them. */
static int make_cohort(struct gen *g)
{
	static const double age_w[18] = {2, 4, 6, 8, 9, 10, 10, 10, 10,
					 9, 9, 8, 8, 7, 6,  6,	5,  5};
	double acum[18], *cum = xcalloc(g->ntracts, sizeof(*cum));
	struct rng r;
	size_t i;
	int rc = CORE_OK;

	rng_init(&r, STREAM_COHORT);
	for (i = 0; i < 18; i++)
		acum[i] = (i ? acum[i - 1] : 0) + age_w[i];
	/* asthma is commoner where vulnerability is high */
	for (i = 0; i < g->ntracts; i++) {
		const struct tract *t = &g->tracts[i];
		double w =
		    t->svi < 0 ? 0 : t->children * (0.3 + 1.4 * t->svi / 1e4);
		cum[i] = (i ? cum[i - 1] : 0) + w;
	}
	g->cohort = xcalloc(N_COHORT, sizeof(*g->cohort));
	for (i = 0; i < N_COHORT; i++) {
		struct person *p = &g->cohort[i];
		const struct tract *t =
		    &g->tracts[pick_weighted(&r, cum, g->ntracts)];
		double pes =
		    clampd(0.15 + 1.6 * t->lep / 1000.0 + 0.35 * t->svi / 1e4,
			   0, 0.92);
		double u, ppa;

		rc = point_in_tract(g, &r, t, &p->p);
		if (rc != CORE_OK)
			break;
		p->age = (int)pick_weighted(&r, acum, 18);
		u = unif(&r);
		ppa = t->town == P_CEDAR ? 0.12 : 0.02;
		if (u < pes)
			p->lang = "es";
		else if ((u -= pes) < ppa)
			p->lang = "pa";
		else if ((u -= ppa) < 0.015)
			p->lang = "vi";
		else if ((u -= 0.015) < 0.015)
			p->lang = "tl";
		else if ((u -= 0.015) < 0.01)
			p->lang = "lo";
		else
			p->lang = "en";
		g->ncohort = i + 1;
	}
	free(cum);
	return rc;
}

/* ---- writing ------------------------------------------------------------- */

/* Microdegrees as a decimal with six places, without printf's %f. */
static void add_micro(struct core_buf *b, int32_t v)
{
	long long a = v < 0 ? -(long long)v : v;

	core_buf_addf(b, "%s%lld.%06lld", v < 0 ? "-" : "", a / 1000000,
		      a % 1000000);
}

static void add_ring(struct core_buf *b, const struct iring *r)
{
	size_t i;

	core_buf_addc(b, '[');
	for (i = 0; i < r->n; i++) {
		core_buf_adds(b, i ? ",[" : "[");
		add_micro(b, r->p[i].x);
		core_buf_addc(b, ',');
		add_micro(b, r->p[i].y);
		core_buf_addc(b, ']');
	}
	core_buf_addc(b, ']');
}

static void add_csv(struct core_buf *b, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		core_buf_addc(b, '"');
		for (; *s; s++) {
			if (*s == '"')
				core_buf_addc(b, '"');
			core_buf_addc(b, *s);
		}
		core_buf_addc(b, '"');
	} else {
		core_buf_adds(b, s);
	}
	core_buf_addc(b, last ? '\n' : ',');
}

/* Fixed point v / 10^places as text; negative means missing (""). */
static void add_fixed(struct core_buf *b, int v, int ndec, int last)
{
	if (v >= 0 && ndec == 4)
		core_buf_addf(b, "%d.%04d", v / 10000, v % 10000);
	else if (v >= 0)
		core_buf_addf(b, "%d.%d", v / 10, v % 10);
	core_buf_addc(b, last ? '\n' : ',');
}

static const char geojson_note[] =
    "FICTIONAL demo data: Alder County, California does not exist "
    "(county FIPS 999 is not a real county). Generated by data/gen_demo.c; "
    "see data/demo/README.md.";

static void write_county(const struct gen *g, struct core_buf *b)
{
	core_buf_addf(b,
		      "{\"type\":\"FeatureCollection\",\"name\":\"county\","
		      "\"note\":\"%s\",\n\"features\":[\n",
		      geojson_note);
	core_buf_addf(
	    b,
	    "{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"06999\","
	    "\"NAME\":\"Alder County\",\"NAMELSAD\":\"Alder County "
	    "(fictional)\","
	    "\"STATEFP\":\"06\",\"COUNTYFP\":\"999\",\"ALAND_M2\":%lld},"
	    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[",
	    g->county_aland);
	add_ring(b, &g->county);
	core_buf_adds(b, "]}}\n]}\n");
}

static void write_tracts(const struct gen *g, struct core_buf *b)
{
	size_t i, j;

	core_buf_addf(b,
		      "{\"type\":\"FeatureCollection\",\"name\":\"tracts\","
		      "\"note\":\"%s\",\n\"features\":[\n",
		      geojson_note);
	for (i = 0; i < g->ntracts; i++) {
		const struct tract *t = &g->tracts[i];
		int base = t->number / 100, suffix = t->number % 100;

		core_buf_addf(
		    b,
		    "{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"%s\","
		    "\"NAME\":\"Census Tract %d",
		    t->geoid, base);
		if (suffix)
			core_buf_addf(b, ".%02d", suffix);
		core_buf_addf(b,
			      "\",\"ALAND_M2\":%lld},\"geometry\":{\"type\":"
			      "\"MultiPolygon\",\"coordinates\":[",
			      t->aland);
		for (j = 0; j < t->npolys; j++) {
			core_buf_adds(b, j ? ",[" : "[");
			add_ring(b, &t->polys[j]);
			core_buf_addc(b, ']');
		}
		core_buf_addf(b, "]}}%s\n", i + 1 < g->ntracts ? "," : "");
	}
	core_buf_adds(b, "]}\n");
}

static void write_indicators(const struct gen *g, struct core_buf *b)
{
	size_t i;

	core_buf_adds(b, "GEOID,population,svi,poverty_rate,limited_english,"
			 "uninsured,children\n");
	for (i = 0; i < g->ntracts; i++) {
		const struct tract *t = &g->tracts[i];
		int has = t->pop > 0;

		core_buf_addf(b, "%s,%d,", t->geoid, t->pop);
		add_fixed(b, has ? t->svi : -1, 4, 0);
		add_fixed(b, has ? t->poverty : -1, 1, 0);
		add_fixed(b, has ? t->lep : -1, 1, 0);
		add_fixed(b, has ? t->uninsured : -1, 1, 0);
		core_buf_addf(b, "%d\n", t->children);
	}
}

static void write_assets(const struct gen *g, struct core_buf *b)
{
	size_t i;

	core_buf_adds(b, "id,name,organization,category,address,city,zip,"
			 "phone,hours,languages,capacity,accepts_medi_cal,"
			 "programs,lon,lat\n");
	for (i = 0; i < g->nassets; i++) {
		const struct asset *a = &g->assets[i];

		add_csv(b, a->id, 0);
		add_csv(b, a->name, 0);
		add_csv(b, a->org, 0);
		add_csv(b, a->cats, 0);
		add_csv(b, a->address, 0);
		add_csv(b, a->city, 0);
		add_csv(b, a->zip, 0);
		add_csv(b, a->phone, 0);
		add_csv(b, a->hours, 0);
		add_csv(b, a->langs, 0);
		if (a->capacity >= 0)
			core_buf_addf(b, "%d", a->capacity);
		core_buf_addc(b, ',');
		add_csv(b, a->medi_cal ? "yes" : "no", 0);
		add_csv(b, a->programs, 0);
		add_micro(b, a->p.x);
		core_buf_addc(b, ',');
		add_micro(b, a->p.y);
		core_buf_addc(b, '\n');
	}
}

static void write_cohort(const struct gen *g, struct core_buf *b)
{
	size_t i;

	core_buf_adds(b, "person_id,lon,lat,age,language\n");
	for (i = 0; i < g->ncohort; i++) {
		const struct person *p = &g->cohort[i];

		core_buf_addf(b, "P%06zu,", i + 1);
		add_micro(b, p->p.x);
		core_buf_addc(b, ',');
		add_micro(b, p->p.y);
		core_buf_addf(b, ",%d,%s\n", p->age, p->lang);
	}
}

/* Write b to dir/name through a temporary file, so a reader never sees
 * half a file. */
static int write_file(struct core_err *err, const char *dir, const char *name,
		      const struct core_buf *b)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *tmp = xasprintf("%s.tmp-gen", path);
	FILE *fp = fopen(tmp, "wb");
	int rc = CORE_OK;

	if (!fp) {
		rc =
		    core_err_set(err, CORE_EIO, "%s: %s", tmp, strerror(errno));
		goto cleanup;
	}
	if (fwrite(b->s ? b->s : "", 1, b->len, fp) != b->len) {
		rc =
		    core_err_set(err, CORE_EIO, "%s: %s", tmp, strerror(errno));
		fclose(fp);
		remove(tmp);
		goto cleanup;
	}
	if (fclose(fp) != 0) {
		rc =
		    core_err_set(err, CORE_EIO, "%s: %s", tmp, strerror(errno));
		remove(tmp);
		goto cleanup;
	}
	if (rename(tmp, path) != 0) {
		rc = core_err_set(err, CORE_EIO, "%s: %s", path,
				  strerror(errno));
		remove(tmp);
	}
cleanup:
	free(tmp);
	free(path);
	return rc;
}

/* Write the five files into dir (created if missing). */
static int write_all(const struct gen *g, const char *dir)
{
	static void (*const writers[])(const struct gen *,
				       struct core_buf *) = {
	    write_county, write_tracts, write_indicators, write_assets,
	    write_cohort};
	static const char *const names[] = {"county.geojson", "tracts.geojson",
					    "indicators.csv", "assets.csv",
					    "cohort.csv"};
	size_t i;
	int rc = CORE_OK;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return core_err_set(g->err, CORE_EIO, "%s: %s", dir,
				    strerror(errno));
	for (i = 0; i < 5 && rc == CORE_OK; i++) {
		struct core_buf b = CORE_BUF_INIT;

		writers[i](g, &b);
		rc = write_file(g->err, dir, names[i], &b);
		if (rc == CORE_OK)
			printf("  %-16s %8zu bytes\n", names[i], b.len);
		core_buf_release(&b);
	}
	return rc;
}

/* ---- main ---------------------------------------------------------------- */

/* Free everything g holds and finish its GEOS context. */
static void gen_release(struct gen *g)
{
	size_t i, j;

	for (i = 0; i < g->ntracts; i++) {
		struct tract *t = &g->tracts[i];
		for (j = 0; j < t->npolys; j++)
			free(t->polys[j].p);
		free(t->polys);
		if (t->prep)
			GEOSPreparedGeom_destroy_r(g->gh, t->prep);
		GEOSGeom_destroy_r(g->gh, t->geom);
	}
	free(g->tracts);
	free(g->county.p);
	if (g->county_prep)
		GEOSPreparedGeom_destroy_r(g->gh, g->county_prep);
	GEOSGeom_destroy_r(g->gh, g->county_geom);
	for (i = 0; i < g->nassets; i++) {
		free(g->assets[i].name);
		free(g->assets[i].org);
		free(g->assets[i].address);
	}
	free(g->assets);
	free(g->cohort);
	GEOS_finish_r(g->gh);
}

static void summary(const struct gen *g)
{
	long long pop = 0, kids = 0;
	size_t i, sw = 0, nzero = 0, nurban = 0;

	for (i = 0; i < g->ntracts; i++) {
		pop += g->tracts[i].pop;
		kids += g->tracts[i].children;
		nzero += g->tracts[i].pop == 0;
		nurban += g->tracts[i].town >= 0;
	}
	for (i = 0; i < g->nassets; i++) {
		double x, y;
		from_micro(g->assets[i].p, &x, &y);
		sw += bump(x, y, SW_X, SW_Y, 6000) > 0.25;
	}
	printf("gen_demo: Alder County (fictional): %zu tracts "
	       "(%zu urban, %zu without residents), population %lld, "
	       "children %lld, %lld km2\n",
	       g->ntracts, nurban, nzero, pop, kids, g->county_aland / 1000000);
	printf("gen_demo: %zu assets (%zu within 6 km of the south-west "
	       "corner), %zu cohort members\n",
	       g->nassets, sw, g->ncohort);
}

/*
 * gen_demo OUTDIR: build the county step by step (outline, seeds,
 * tracts, county, indicators, assets, cohort), write the five files into
 * OUTDIR and print a two-line summary.  Exit status 0 on success, 1 with
 * the reason on stderr when a step fails (nothing more is written), 2
 * for a usage error.
 */
int main(int argc, char **argv)
{
	struct core_err err = CORE_ERR_INIT;
	struct gen *g;
	int rc;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: gen_demo OUTDIR\n");
		return 2;
	}
	g = xcalloc(1, sizeof(*g));
	g->err = &err;
	g->gh = GEOS_init_r();
	GEOSContext_setErrorMessageHandler_r(g->gh, geos_message, &err);
	GEOSContext_setNoticeMessageHandler_r(g->gh, geos_notice, NULL);

	make_outline(g);
	rc = make_seeds(g);
	if (rc == CORE_OK)
		rc = make_tracts(g);
	if (rc == CORE_OK)
		rc = make_county(g);
	if (rc == CORE_OK) {
		number_tracts(g);
		rc = tract_geoms(g);
	}
	if (rc == CORE_OK) {
		make_indicators(g);
		rc = make_assets(g);
	}
	if (rc == CORE_OK)
		rc = make_cohort(g);
	if (rc == CORE_OK)
		rc = write_all(g, argv[1]);
	if (rc == CORE_OK)
		summary(g);
	gen_release(g);
	free(g);
	if (rc != CORE_OK) {
		fprintf(stderr, "gen_demo: %s\n", err.msg);
		return 1;
	}
	return 0;
}
