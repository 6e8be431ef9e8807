/*
 * fuzz_import_roads.c - libFuzzer target for 'assetmap import roads
 * FILE.osm': GDAL's OSM XML reader, the other_tags parser, the rules
 * (access, one-way, maxspeed, duration) and the graphs' build and store,
 * through imp_roads_import on the input written to roads.osm in a
 * workspace directory made on the first call in $TMPDIR; and the same
 * bytes as an other_tags string, a maxspeed and a duration.  Build and
 * run: see tests/fuzz/README.md.
 *
 * Besides crashes and sanitizer reports, it aborts when
 *  - a failure has no message naming roads.osm, or changed the
 *    workspace (the road_graphs, sources and source_rejects counts);
 *  - a success left other than one roads source, or a stored graph
 *    that is not one per stored mode with the node and segment counts
 *    the import reported, or ways used by a mode > ways read;
 *  - a maxspeed read is outside 1..300 km/h, a duration read is not
 *    positive, or tags read have a NULL key or value.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_err.h"
#include "core/core_mem.h"
#include "core/core_ws.h"
#include "import_common.h"
#include "importers/imp_roads.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *osm_dir, *osm_path;

static void osm_remove(void)
{
	unlink(osm_path);
	rmdir(osm_dir);
	free(osm_path);
	free(osm_dir);
}

/* The file each input is written to, made once:
 * $TMPDIR/fuzz-import-roads-XXXXXX/roads.osm. */
static const char *osm_file(void)
{
	const char *tmp = getenv("TMPDIR");

	if (osm_path)
		return osm_path;
	osm_dir = xasprintf("%s/fuzz-import-roads-XXXXXX",
			    tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(osm_dir))
		abort();
	osm_path = xasprintf("%s/roads.osm", osm_dir);
	atexit(osm_remove);
	return osm_path;
}

/* The bytes as one way's other_tags, maxspeed and duration. */
static void values(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);
	struct imp_roads_tags t = {0};
	struct imp_roads_use use[GEO_MODE_COUNT];
	struct imp_roads_note note;
	double kmh = 0, secs;
	size_t i;

	memcpy(s, data, size);
	s[size] = '\0';
	imp_roads_tags_set(&t, "residential", s);
	for (i = 0; i < 2 * t.n; i++)
		if (!t.kv[i])
			abort();
	imp_roads_rule(&t, use, &note);
	if (imp_roads_maxspeed(s, &kmh) == 1 && !(kmh >= 1 && kmh <= 300))
		abort();
	secs = imp_roads_duration(s);
	if (secs != -1 && !(secs > 0 && isfinite(secs)))
		abort();
	imp_roads_tags_release(&t);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_roads_stats st;
	struct imp_source src;
	struct core_ws *ws = fuzz_ws_get("fuzz_import_roads");
	const char *path = osm_file();
	int64_t before[4];
	FILE *fp;
	int rc, m;

	values(data, size);
	if (!(fp = fopen(path, "wb")))
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	fuzz_counts(ws, "road_graphs", before);
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "roads");
	rc = imp_roads_import(ws, path, &src, &st, &err);
	fuzz_check_import(ws, "fuzz_import_roads", "roads.osm", "road_graphs",
			  rc, &err, &src, 0, (long)size + 1, before);
	if (rc == CORE_OK) {
		int64_t stored = 0;
		if (fuzz_q_int(ws, "SELECT count(*) FROM sources WHERE kind = "
				   "'roads'") != 1)
			abort();
		for (m = GEO_MODE_WALK; m <= GEO_MODE_DRIVE; m++) {
			char sql[160];
			stored += st.stored[m];
			if (st.used[m] > st.ways)
				abort();
			if (!st.stored[m])
				continue;
			snprintf(sql, sizeof sql,
				 "SELECT nodes * 1000000 + segments FROM "
				 "road_graphs WHERE mode = '%s'",
				 geo_mode_name((enum geo_mode)m));
			if (fuzz_q_int(ws, sql) !=
			    (int64_t)st.net[m].nodes * 1000000 +
				(int64_t)st.net[m].segs)
				abort();
		}
		if (fuzz_q_int(ws, "SELECT count(*) FROM road_graphs") !=
		    stored)
			abort();
	}
	imp_source_release(&src);
	imp_roads_stats_release(&st);
	return 0;
}
