/*
 * fuzz_basemap.c - libFuzzer target for the basemap's readers: each
 * input as the stored form of the workspace's roads (geo_basemap_decode,
 * table road_lines) and, written to basemap.osm in a directory made on
 * the first call in $TMPDIR, as an OpenStreetMap file read by
 * imp_basemap_read (map --basemap: GDAL's OSM XML reader, the tags a
 * basemap draws).  Build and run: see tests/fuzz/README.md.
 *
 * Besides crashes and sanitizer reports, it aborts when
 *  - a refusal has no message (naming basemap.osm for a file), or
 *    returns a basemap;
 *  - a basemap read has a line of fewer than two points, point offsets
 *    out of order or past the points, a kind or rank out of range, an
 *    empty name, or (from a file) nothing in it;
 *  - a decoded basemap encoded again does not decode to the same.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_err.h"
#include "core/core_mem.h"
#include "geo/geo_basemap.h"
#include "importers/imp_basemap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dir, *path;

static void remove_file(void)
{
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

static const char *osm_file(void)
{
	const char *tmp = getenv("TMPDIR");

	if (path)
		return path;
	dir = xasprintf("%s/fuzz-basemap-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	path = xasprintf("%s/basemap.osm", dir);
	atexit(remove_file);
	return path;
}

static void check(const struct geo_basemap *bm)
{
	size_t i;

	if (bm->start[0] != 0 || bm->start[bm->nlines] != bm->npts)
		abort();
	for (i = 0; i < bm->nlines; i++) {
		if (bm->start[i + 1] < bm->start[i] + 2 ||
		    bm->kind[i] >= GEO_BM_KINDS ||
		    (bm->name[i] && !bm->name[i][0]))
			abort();
	}
	for (i = 0; i < bm->nplaces; i++)
		if (bm->rank[i] >= GEO_BM_PLACE_NONE || !bm->pname[i] ||
		    !bm->pname[i][0])
			abort();
}

static int same(const struct geo_basemap *a, const struct geo_basemap *b)
{
	size_t i;

	if (a->nlines != b->nlines || a->npts != b->npts ||
	    a->nplaces != b->nplaces)
		return 0;
	for (i = 0; i < a->nlines; i++)
		if (a->kind[i] != b->kind[i] || a->start[i] != b->start[i] ||
		    !a->name[i] != !b->name[i] ||
		    (a->name[i] && strcmp(a->name[i], b->name[i]) != 0))
			return 0;
	for (i = 0; i < a->npts; i++)
		if (a->x[i] != b->x[i] || a->y[i] != b->y[i])
			return 0;
	for (i = 0; i < a->nplaces; i++)
		if (a->rank[i] != b->rank[i] ||
		    strcmp(a->pname[i], b->pname[i]) != 0 ||
		    a->px[i] != b->px[i] || a->py[i] != b->py[i])
			return 0;
	return 1;
}

static void decode(const unsigned char *p, size_t n)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_basemap *bm = NULL, *again = NULL;
	unsigned char *blob = NULL;
	size_t len = 0;

	if (geo_basemap_decode(p, n, &bm, &err)) {
		if (bm || !err.msg[0])
			abort();
		return;
	}
	if (!bm)
		abort();
	check(bm);
	geo_basemap_encode(bm, &blob, &len);
	if (geo_basemap_decode(blob, len, &again, &err) || !same(bm, again))
		abort();
	free(blob);
	geo_basemap_free(again);
	geo_basemap_free(bm);
}

static void read_file(const unsigned char *p, size_t n)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_basemap *bm = NULL;
	const char *f = osm_file();
	FILE *fp = fopen(f, "wb");

	if (!fp || fwrite(p, 1, n, fp) != n || fclose(fp) != 0)
		abort();
	if (imp_basemap_read(f, &bm, &err)) {
		if (bm || !strstr(err.msg, "basemap.osm"))
			abort();
		return;
	}
	if (!bm || geo_basemap_empty(bm))
		abort();
	check(bm);
	geo_basemap_free(bm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	decode(data, size);
	if (size <= 1 << 16)
		read_file(data, size);
	return 0;
}
