/*
 * geo_blob.c - SpatiaLite geometry blobs.  See geo_blob.h.
 */
#include "geo/geo_blob.h"

#include <sqlite3.h>
#include <string.h>
#include <spatialite/gaiageo.h>

static int host_little(void)
{
	uint16_t v = 1;
	unsigned char c;

	memcpy(&c, &v, 1);
	return c == 1;
}

/* n bytes at p, reversed when swap, into out. */
static void get_bytes(void *out, const unsigned char *p, int n, int swap)
{
	unsigned char t[8];
	int i;

	if (!swap) {
		memcpy(out, p, (size_t)n);
		return;
	}
	for (i = 0; i < n; i++)
		t[i] = p[n - 1 - i];
	memcpy(out, t, (size_t)n);
}

/* Whether b starts as a SpatiaLite blob; *swap then says whether its
 * byte order differs from the host's. */
static int blob_head(const unsigned char *b, int n, int min, int *swap)
{
	if (!b || n < min || b[0] != 0x00 || b[38] != 0x7C ||
	    (b[1] != 0x00 && b[1] != 0x01))
		return 0;
	*swap = (b[1] == 0x01) != host_little();
	return 1;
}

void geo_blob_point_put(unsigned char b[GEO_BLOB_POINT_SIZE], double x,
			double y, int32_t srid)
{
	int32_t cls = 1;
	double mbr[4];

	mbr[0] = mbr[2] = x;
	mbr[1] = mbr[3] = y;
	b[0] = 0x00;
	b[1] = host_little() ? 0x01 : 0x00;
	memcpy(b + 2, &srid, 4);
	memcpy(b + 6, mbr, 32);
	b[38] = 0x7C;
	memcpy(b + 39, &cls, 4);
	memcpy(b + 43, &x, 8);
	memcpy(b + 51, &y, 8);
	b[59] = 0xFE;
}

int geo_blob_point_fast(const unsigned char *b, int n, double *x, double *y)
{
	int32_t cls;
	int swap;

	if (n != GEO_BLOB_POINT_SIZE || !blob_head(b, n, n, &swap) ||
	    b[59] != 0xFE)
		return 0;
	get_bytes(&cls, b + 39, 4, swap);
	if (cls != 1)
		return 0;
	get_bytes(x, b + 43, 8, swap);
	get_bytes(y, b + 51, 8, swap);
	return 1;
}

int geo_blob_point_get(const unsigned char *b, int n, double *x, double *y)
{
	gaiaGeomCollPtr g;
	int r = -1;

	if (!b || n <= 0)
		return 0;
	if (geo_blob_point_fast(b, n, x, y))
		return 1;
	g = gaiaFromSpatiaLiteBlobWkb(b, (unsigned)n);
	if (!g)
		return -1;
	if (g->FirstPoint && !g->FirstPoint->Next && !g->FirstLinestring &&
	    !g->FirstPolygon) {
		*x = g->FirstPoint->X;
		*y = g->FirstPoint->Y;
		r = 1;
	} else if (!g->FirstPoint && !g->FirstLinestring && !g->FirstPolygon) {
		r = 0;
	}
	gaiaFreeGeomColl(g);
	return r;
}

int geo_blob_mbr(const unsigned char *b, int n, double mbr[4])
{
	int k, swap;

	if (!blob_head(b, n, 45, &swap))
		return 0;
	for (k = 0; k < 4; k++)
		get_bytes(&mbr[k], b + 6 + 8 * k, 8, swap);
	return 1;
}

/* The plain XY LINESTRING layout: 1 with *count set, 0 when b is not
 * one (then gaia reads it). */
static int line_fast(const unsigned char *b, int n, int32_t *count, int *swap)
{
	int32_t cls, np;

	if (!blob_head(b, n, 48, swap) || b[n - 1] != 0xFE)
		return 0;
	get_bytes(&cls, b + 39, 4, *swap);
	get_bytes(&np, b + 43, 4, *swap);
	if (cls != 2 || np < 0 || (long)n != 48L + 16L * np)
		return 0;
	*count = np;
	return 1;
}

long geo_blob_line_get(const unsigned char *b, int n, double *xy, size_t cap)
{
	gaiaGeomCollPtr g;
	gaiaLinestringPtr l;
	int32_t np, i;
	int swap;
	long r = -1;

	if (!b || n <= 0)
		return 0;
	if (line_fast(b, n, &np, &swap)) {
		for (i = 0; i < np && (size_t)i < cap; i++) {
			get_bytes(&xy[2 * i], b + 47 + 16 * i, 8, swap);
			get_bytes(&xy[2 * i + 1], b + 55 + 16 * i, 8, swap);
		}
		return np;
	}
	g = gaiaFromSpatiaLiteBlobWkb(b, (unsigned)n);
	if (!g)
		return -1;
	l = g->FirstLinestring;
	if (l && !l->Next && !g->FirstPoint && !g->FirstPolygon) {
		for (i = 0; i < l->Points && (size_t)i < cap; i++) {
			double x, y, z, m;
			if (l->DimensionModel == GAIA_XY_Z) {
				gaiaGetPointXYZ(l->Coords, i, &x, &y, &z);
			} else if (l->DimensionModel == GAIA_XY_M) {
				gaiaGetPointXYM(l->Coords, i, &x, &y, &m);
			} else if (l->DimensionModel == GAIA_XY_Z_M) {
				gaiaGetPointXYZM(l->Coords, i, &x, &y, &z, &m);
			} else {
				gaiaGetPoint(l->Coords, i, &x, &y);
			}
			(void)z;
			(void)m;
			xy[2 * i] = x;
			xy[2 * i + 1] = y;
		}
		r = l->Points;
	} else if (!l && !g->FirstPoint && !g->FirstPolygon) {
		r = 0;
	}
	gaiaFreeGeomColl(g);
	return r;
}
