/*
 * test_assets.c - the asset writer and its merge rule, the crosswalk,
 * text encodings, and 'assetmap add asset'.
 */
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <spatialite/gaiaaux.h>

#include <cpl_vsi.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "importers/imp_asset.h"
#include "importers/imp_common.h"
#include "importers/imp_ogr.h"
#include "importers/imp_xwalk.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

/* A sources row as an importer opens it, in an open transaction. */
static void open_source(struct core_ws *ws, struct imp_source *s,
			const char *path)
{
	struct core_err err = CORE_ERR_INIT;
	const char *base = strrchr(path, '/');

	imp_source_init(s, "assets");
	s->path = xstrdup(path);
	s->name = xstrdup(base ? base + 1 : path);
	s->format = xstrdup("test");
	s->checksum = xstrdup("0");
	if (imp_source_open(ws, s, &err))
		test_fail(__FILE__, __LINE__, "imp_source_open: %s", err.msg);
}

struct site {
	const char *key, *name, *address, *zip, *phone, *description;
	const char *quality;
	double lon, lat;
	const char *category, *program;
};

/* Write sites through one writer for src (NULL: by hand). */
static void write_sites(struct core_ws *ws, struct imp_source *src, int merge,
			const struct site *sites, size_t n, int64_t *ids)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_asset_writer *w = NULL;
	size_t i;

	if (imp_asset_writer_new(ws, src, merge, &w, &err)) {
		test_fail(__FILE__, __LINE__, "writer: %s", err.msg);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct site *s = &sites[i];
		struct imp_asset a;
		const char *cat[1] = {s->category}, *prog[1] = {s->program};
		imp_asset_init(&a);
		a.source_key = s->key;
		a.source_line = (long)i + 2;
		a.name = s->name;
		a.address = s->address;
		a.zip = s->zip;
		a.phone = s->phone;
		a.description = s->description;
		if (s->quality)
			a.location_quality = s->quality;
		a.lon = s->lon;
		a.lat = s->lat;
		a.categories = cat;
		a.ncategories = s->category ? 1 : 0;
		a.programs = prog;
		a.nprograms = s->program ? 1 : 0;
		if (imp_asset_write(w, &a, ids ? &ids[i] : NULL, &err))
			test_fail(__FILE__, __LINE__, "write %s: %s", s->name,
				  err.msg);
	}
	imp_asset_writer_free(w);
}

/* ---------------------------------------------------------------------
 * Normalization
 * ------------------------------------------------------------------ */

#define CHECK_NORM(fn, in, want)                                               \
	do {                                                                   \
		char *s_ = fn(in);                                             \
		CHECK_STR(s_, want);                                           \
		free(s_);                                                      \
	} while (0)

static void test_norm_name(void)
{
	CHECK_NORM(imp_asset_norm_name, "St. Anthony Foundation",
		   "saint anthony foundation");
	CHECK_NORM(imp_asset_norm_name, "Saint Anthony Foundation, Inc.",
		   "saint anthony foundation");
	CHECK_NORM(imp_asset_norm_name, "The St. Mary's Center",
		   "saint mary center");
	CHECK_NORM(imp_asset_norm_name, "Food & Shelter, LLC",
		   "food and shelter");
	CHECK_NORM(imp_asset_norm_name, "FAMILIAS EN ACCIÓN",
		   "familias en accion");
	CHECK_NORM(imp_asset_norm_name, "Ñandú Café Co.", "nandu cafe");
	CHECK_NORM(imp_asset_norm_name, "O'Farrell Street Clinic",
		   "ofarrell street clinic");
	CHECK_NORM(imp_asset_norm_name, "Mt. Zion Health Ctr",
		   "mount zion health center");
	CHECK_NORM(imp_asset_norm_name, "Trung Tâm Tiếng Việt Ơn Ưu",
		   "trung tam tieng viet on uu");
	CHECK_NORM(imp_asset_norm_name, "Clínica “Nuestra Señora” – Oficina",
		   "clinica nuestra senora oficina");
	CHECK_NORM(imp_asset_norm_name, "!!! ---", "");
	CHECK_NORM(imp_asset_norm_name, NULL, "");
}

static void test_fold(void)
{
	CHECK_NORM(imp_fold, "ÀÉÎÕÜ Ñ ç Æ ß Œ Ł Ž ÿ",
		   "aeiou n c ae ss oe l z y");
	CHECK_NORM(imp_fold, "Tiếng Việt", "tieng viet");
	/* quotes, dashes, no-break space; other scripts kept */
	CHECK_NORM(imp_fold,
		   "\xe2\x80\x99"
		   "a\xe2\x80\x94"
		   "b\xc2\xa0\xc2\xbf"
		   "c?",
		   "'a-b  c?");
	CHECK_NORM(imp_fold, "中文 Ελλάδα", "中文 Ελλάδα");
	CHECK_NORM(imp_fold, "", "");
	/* bytes that are not UTF-8 pass through */
	CHECK_NORM(imp_fold,
		   "A\xe9"
		   "B",
		   "a\xe9"
		   "b");
}

static void test_norm_address(void)
{
	CHECK_NORM(imp_asset_norm_address,
		   "1 Main Street, Suite 200, San Francisco, CA 94102",
		   "1 main st");
	CHECK_NORM(imp_asset_norm_address, "1 Main St. #200", "1 main st");
	CHECK_NORM(imp_asset_norm_address, "1 MAIN ST APT 4B", "1 main st");
	CHECK_NORM(imp_asset_norm_address, "150 Golden Gate Avenue Ste 5",
		   "150 golden gate ave");
	CHECK_NORM(imp_asset_norm_address, "900 Pennsylvania Av 2nd Floor",
		   "900 pennsylvania ave");
	CHECK_NORM(imp_asset_norm_address, "150 North First Street",
		   "150 n 1st st");
	CHECK_NORM(imp_asset_norm_address, "300 Napa Junction Road (Room 4)",
		   "300 napa junction rd");
	CHECK_NORM(imp_asset_norm_address, "2145 Avenida César Chávez",
		   "2145 avenida cesar chavez");
}

static void test_distance(void)
{
	/* one degree of a great circle of radius 6371008.8 m */
	CHECK_NEAR(imp_asset_distance_m(0, 0, 1, 0), 111195.0797, 0.001);
	CHECK_NEAR(imp_asset_distance_m(0, 0, 0, 1), 111195.0797, 0.001);
	/* 0.0009 degrees of latitude: 100.0756 m */
	CHECK_NEAR(imp_asset_distance_m(-122.4, 37.7, -122.4, 37.7009),
		   100.0756, 0.001);
	CHECK_NEAR(imp_asset_distance_m(-122.4, 37.7, -122.4, 37.7), 0, 1e-9);
}

/* ---------------------------------------------------------------------
 * The writer
 * ------------------------------------------------------------------ */

static void test_writer_facts(void)
{
	struct core_ws *ws = test_new_ws("writer.db");
	struct core_err err = CORE_ERR_INIT;
	struct imp_asset_writer *w = NULL;
	struct imp_source src;
	struct imp_asset a;
	const char *cats[] = {"food", "health_education", "food"};
	const char *progs[] = {"medically_tailored_meals"};
	int64_t id = 0;

	CHECK_INT(core_ws_begin(ws, &err), CORE_OK);
	open_source(ws, &src, "/data/w.csv");
	CHECK_INT(imp_asset_writer_new(ws, &src, 1, &w, &err), CORE_OK);
	imp_asset_init(&a);
	CHECK(isnan(a.capacity) && isnan(a.age_min) && isnan(a.age_max));
	CHECK_INT(a.accepts_medi_cal, -1);
	CHECK_INT(a.formal, 1);
	CHECK_STR(a.location_quality, "coordinates");
	a.source_key = "k1";
	a.source_line = 7;
	a.name = "Familias en Acción";
	a.organization = "Org";
	a.address = "1 Main St";
	a.city = "San Francisco";
	a.state = "CA";
	a.zip = "94110";
	a.phone = "415";
	a.website = "https://x";
	a.email = "a@b";
	a.hours = "Mon";
	a.languages = "es,en";
	a.eligibility = "all";
	a.description = "desc";
	a.npi = "1234567893";
	a.accessibility = "ramp";
	a.attrs = "{\"k\":1}";
	a.capacity = 40;
	a.age_min = 18;
	a.accepts_medi_cal = 1;
	a.ecm_provider = 0;
	a.telehealth = 1;
	a.location_quality = "zip";
	a.lon = -122.4148;
	a.lat = 37.7599;
	a.categories = cats;
	a.ncategories = 3;
	a.programs = progs;
	a.nprograms = 1;
	CHECK_INT(imp_asset_write(w, &a, &id, &err), CORE_OK);
	CHECK_INT(id, 1);
	/* no name, bad point */
	a.name = "";
	CHECK_INT(imp_asset_write(w, &a, &id, &err), CORE_EUSAGE);
	CHECK_STR(err.msg, "an asset needs a name");
	a.name = "X";
	a.lat = 91;
	CHECK_INT(imp_asset_write(w, &a, &id, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "is not a WGS84 longitude and latitude");
	imp_asset_writer_free(w);
	CHECK_INT(core_ws_commit(ws, &err), CORE_OK);

	CHECK_Q(ws,
		"SELECT source_id || '|' || source_key || '|' || source_line "
		"|| '|' || name || '|' || organization || '|' || address || "
		"'|' || city || '|' || state || '|' || zip || '|' || phone || "
		"'|' || website || '|' || email || '|' || hours || '|' || "
		"languages || '|' || eligibility || '|' || description || '|' "
		"|| npi || '|' || accessibility || '|' || attrs FROM assets",
		"1|k1|7|Familias en Acción|Org|1 Main St|San "
		"Francisco|CA|94110|415|https://"
		"x|a@b|Mon|es,en|all|desc|1234567893|ramp|{\"k\":1}");
	CHECK_Q(ws,
		"SELECT capacity || '|' || age_min || '|' || coalesce(age_max, "
		"'null') || '|' || accepts_medi_cal || '|' || ecm_provider || "
		"'|' || telehealth || '|' || formal || '|' || location_quality "
		"FROM assets",
		"40.0|18.0|null|1|0|1|1|zip");
	CHECK_NEAR(test_q_double(ws, "SELECT ST_X(geom) FROM assets"),
		   -122.4148, 1e-12);
	CHECK_NEAR(test_q_double(ws, "SELECT ST_Y(geom) FROM assets"), 37.7599,
		   1e-12);
	CHECK_Q(ws, "SELECT SRID(geom) || GeometryType(geom) FROM assets",
		"4326POINT");
	/* the spatial index knows it */
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM SpatialIndex WHERE "
				 "f_table_name = 'assets' AND search_frame = "
				 "BuildMbr(-122.5, 37.7, -122.4, 37.8)"),
		  1);
	CHECK_Q(ws,
		"SELECT group_concat(category, ',') FROM (SELECT category FROM "
		"asset_categories ORDER BY category)",
		"food,health_education");
	CHECK_Q(ws, "SELECT program FROM asset_programs",
		"medically_tailored_meals");
	CHECK_Q(ws,
		"SELECT asset_id || '|' || source_id || '|' || source_key || "
		"'|' || source_line || '|' || how FROM asset_sources",
		"1|1|k1|7|imported");
	imp_source_release(&src);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Merging
 * ------------------------------------------------------------------ */

/* A 211 directory ... */
static const struct site dir_211[] = {
    {"a1", "St. Anthony Foundation", "150 Golden Gate Ave", "94102", NULL, NULL,
     "address", -122.4128, 37.7822, "food", NULL},
    {"a2", "Glide Memorial Church", "330 Ellis St", "94102", "415-674-6000",
     NULL, NULL, -122.4115, 37.7853, "food", NULL},
    {"a3", "Safeway", "2020 Market St", "94114", NULL, NULL, NULL, -122.4300,
     37.7690, "food", NULL},
    {"a4", "Safeway", "625 Monterey Blvd", "94127", NULL, NULL, NULL, -122.4474,
     37.7318, "food", NULL},
    {"a5", "Mission Clinic", NULL, NULL, NULL, NULL, NULL, -122.4190, 37.7600,
     "primary_care", NULL},
};

/* ... and a Medi-Cal list naming some of the same sites. */
static const struct site medi_cal[] = {
    /* same name after normalizing, same address and ZIP, 317 m off */
    {"b1", "Saint Anthony Foundation Inc", "150 Golden Gate Avenue, Suite 1",
     "94102-3302", "415-241-2600", NULL, NULL, -122.4100, 37.7840,
     "primary_care", "medically_tailored_meals"},
    /* no address, 50 m off */
    {"b2", "GLIDE Memorial Church", NULL, NULL, "999", "from the list", NULL,
     -122.4115, 37.78575, "behavioral_health", NULL},
    /* same name, another city, far */
    {"b3", "Safeway", NULL, NULL, NULL, NULL, NULL, -122.2711, 37.8044, "food",
     NULL},
    /* same name, 150 m off: not within 100 m */
    {"b4", "Mission Clinic", NULL, NULL, NULL, NULL, NULL, -122.4190, 37.76135,
     "primary_care", NULL},
    /* the same site again in the same list: never merged within it */
    {"b5", "Saint Anthony Foundation", "150 Golden Gate Ave", "94102", NULL,
     NULL, NULL, -122.4128, 37.7822, "food", NULL},
    /* same street address, another ZIP, 5 km off */
    {"b6", "Safeway", "2020 Market Street", "94110", NULL, NULL, NULL,
     -122.4300, 37.7240, "food", NULL},
};

static void test_merge_rule(void)
{
	struct core_ws *ws = test_new_ws("merge.db");
	struct core_err err = CORE_ERR_INIT;
	struct imp_source a, b;
	int64_t ida[5], idb[6];

	CHECK_INT(core_ws_begin(ws, &err), CORE_OK);
	open_source(ws, &a, "/data/211.csv");
	write_sites(ws, &a, 1, dir_211, 5, ida);
	CHECK_INT(a.rows_merged, 0); /* two Safeways, one source: kept apart */
	open_source(ws, &b, "/data/medi_cal.csv");
	write_sites(ws, &b, 1, medi_cal, 6, idb);
	CHECK_INT(core_ws_commit(ws, &err), CORE_OK);

	CHECK_INT(b.rows_merged, 2);
	CHECK_INT(idb[0], ida[0]);
	CHECK_INT(idb[1], ida[1]);
	CHECK(idb[2] > ida[4] && idb[3] > ida[4] && idb[4] > ida[4] &&
	      idb[5] > ida[4]);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 9);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_sources"), 11);
	/* merged by address: facts filled, categories and programs united,
	 * the better location taken */
	CHECK_Q(ws,
		"SELECT group_concat(source_id || ':' || source_key || ':' || "
		"how, ';') FROM (SELECT * FROM asset_sources WHERE asset_id = "
		"1 ORDER BY source_id)",
		"1:a1:imported;2:b1:merged: same name and address");
	CHECK_Q(ws,
		"SELECT name || '|' || phone || '|' || address || '|' || zip "
		"|| '|' || location_quality || '|' || source_id FROM assets "
		"WHERE id = 1",
		"St. Anthony Foundation|415-241-2600|150 Golden Gate "
		"Ave|94102|coordinates|1");
	CHECK_NEAR(
	    test_q_double(ws, "SELECT ST_X(geom) FROM assets WHERE id = 1"),
	    -122.4100, 1e-12);
	CHECK_NEAR(
	    test_q_double(ws, "SELECT ST_Y(geom) FROM assets WHERE id = 1"),
	    37.7840, 1e-12);
	CHECK_Q(ws,
		"SELECT group_concat(category, ',') FROM (SELECT category FROM "
		"asset_categories WHERE asset_id = 1 ORDER BY category)",
		"food,primary_care");
	CHECK_Q(ws,
		"SELECT group_concat(program) FROM asset_programs WHERE "
		"asset_id = 1",
		"medically_tailored_meals");
	/* merged by distance: its own phone kept, the missing description
	 * filled, the point kept (equal quality) */
	CHECK_Q(ws,
		"SELECT how FROM asset_sources WHERE asset_id = 2 AND "
		"source_id = 2",
		"merged: same name within 100 m");
	CHECK_Q(ws,
		"SELECT phone || '|' || description || '|' || ST_Y(geom) FROM "
		"assets WHERE id = 2",
		"415-674-6000|from the list|37.7853");
	/* not merged: the far Safeways, the clinic 150 m off, the repeat
	 * within the Medi-Cal list */
	CHECK_INT(test_q_int(
		      ws, "SELECT count(*) FROM assets WHERE name = 'Safeway'"),
		  4);
	CHECK_INT(
	    test_q_int(
		ws,
		"SELECT count(*) FROM assets WHERE name = 'Mission Clinic'"),
	    2);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_sources WHERE "
				 "source_id = 2 AND how = 'imported'"),
		  4);
	CHECK_Q(ws,
		"SELECT name FROM assets WHERE id = (SELECT asset_id FROM "
		"asset_sources WHERE source_key = 'b5')",
		"Saint Anthony Foundation");

	/* Import the directory again: its merged assets survive, held by
	 * the Medi-Cal list, and the new import merges into them again. */
	CHECK_INT(core_ws_begin(ws, &err), CORE_OK);
	imp_source_release(&a);
	open_source(ws, &a, "/data/211.csv");
	CHECK_INT(a.id, 3);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 6);
	CHECK_Q(ws, "SELECT source_id FROM assets WHERE id = 1", "2");
	write_sites(ws, &a, 1, dir_211, 5, ida);
	CHECK_INT(core_ws_commit(ws, &err), CORE_OK);
	CHECK_INT(a.rows_merged, 2);
	CHECK_INT(ida[0], 1);
	CHECK_INT(ida[1], 2);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 9);
	CHECK_Q(
	    ws,
	    "SELECT group_concat(source_id || ':' || how, ';') FROM (SELECT * "
	    "FROM asset_sources WHERE asset_id = 1 ORDER BY source_id)",
	    "2:merged: same name and address;3:merged: same name and address");
	CHECK_INT(test_q_int(ws, "SELECT count(DISTINCT source_id) FROM "
				 "asset_sources WHERE asset_id = 2"),
		  2);
	/* and deleting the list hands them back to the directory */
	CHECK_INT(core_ws_exec(ws, &err, "DELETE FROM sources WHERE id = 2"),
		  CORE_OK);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 5);
	CHECK_Q(ws,
		"SELECT source_id || '|' || (SELECT count(*) FROM "
		"asset_sources WHERE asset_id = 1) FROM assets WHERE id = 1",
		"3|1");
	imp_source_release(&a);
	imp_source_release(&b);
	core_ws_close(ws);
}

/* A merge keeps the point of the better location: coordinates (or by
 * hand) over the geocoder's levels, finer over coarser. */
static void test_merge_quality(void)
{
	struct core_ws *ws = test_new_ws("mergeq.db");
	struct core_err err = CORE_ERR_INIT;
	struct imp_source s[5];
	/* one site, listed by five sources, each placed its own way */
	static const struct site at[] = {
	    {"z", "Mission Clinic", "100 Main St", "94110", NULL, NULL, "zip",
	     -122.4150, 37.7500, "primary_care", NULL},
	    {"s", "Mission Clinic", "100 Main St", "94110", NULL, NULL,
	     "street", -122.4140, 37.7510, "primary_care", NULL},
	    {"p", "Mission Clinic", "100 Main St", "94110", NULL, NULL,
	     "address_point", -122.4130, 37.7520, "primary_care", NULL},
	    {"i", "Mission Clinic", "100 Main St", "94110", NULL, NULL,
	     "interpolated", -122.4120, 37.7530, "primary_care", NULL},
	    {"c", "Mission Clinic", "100 Main St", "94110", NULL, NULL,
	     "coordinates", -122.4110, 37.7540, "primary_care", NULL},
	};
	/* after each source: the asset's quality and latitude */
	static const char *const want[] = {
	    "zip|37.75", "street|37.751", "address_point|37.752",
	    "address_point|37.752", "coordinates|37.754"};
	char path[32];
	size_t i;

	CHECK_INT(core_ws_begin(ws, &err), CORE_OK);
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "/data/src%zu.csv", i);
		open_source(ws, &s[i], path);
		write_sites(ws, &s[i], 1, &at[i], 1, NULL);
		CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 1);
		CHECK_Q(
		    ws,
		    "SELECT location_quality || '|' || round(ST_Y(geom), 4) "
		    "FROM assets",
		    want[i]);
	}
	CHECK_INT(core_ws_commit(ws, &err), CORE_OK);
	for (i = 0; i < 5; i++)
		imp_source_release(&s[i]);
	core_ws_close(ws);
}

static void test_merge_off_and_by_hand(void)
{
	struct core_ws *ws = test_new_ws("nomerge.db");
	struct core_err err = CORE_ERR_INIT;
	struct imp_source a, b, c;
	static const struct site leader[] = {
	    {NULL, "Pastora Ruiz", NULL, NULL, NULL, NULL, "manual", -122.4183,
	     37.7524, "social_connection", NULL},
	};

	CHECK_INT(core_ws_begin(ws, &err), CORE_OK);
	write_sites(ws, NULL, 1, leader, 1, NULL); /* merge asked, ignored */
	open_source(ws, &a, "/data/211.csv");
	write_sites(ws, &a, 1, dir_211, 5, NULL);
	open_source(ws, &b, "/data/medi_cal.csv");
	write_sites(ws, &b, 0, medi_cal, 6, NULL);
	open_source(ws, &c, "/data/leaders.csv");
	write_sites(ws, &c, 1, leader, 1, NULL);
	CHECK_INT(core_ws_commit(ws, &err), CORE_OK);
	CHECK_INT(b.rows_merged, 0);
	CHECK_INT(c.rows_merged, 0); /* never into an asset added by hand */
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 1 + 5 + 6 + 1);
	CHECK_Q(ws,
		"SELECT coalesce(source_id, 'null') || '|' || formal || '|' || "
		"location_quality FROM assets WHERE id = 1",
		"null|1|manual");
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT count(*) FROM asset_sources WHERE asset_id = 1"),
	    0);
	imp_source_release(&a);
	imp_source_release(&b);
	imp_source_release(&c);
	core_ws_close(ws);
}

/* The same 368 food sites as CSV and as GeoJSON: every one is merged. */
static void test_merge_shared_food_sites(void)
{
	const char *d = test_need_shared_data();
	struct core_err err = CORE_ERR_INIT;
	struct imp_ogr_opts o;
	struct imp_source src;
	struct imp_ogr_stats st;
	struct core_ws *ws;
	char *csv, *gj;

	if (!d)
		return;
	ws = test_new_ws("food_merge.db");
	csv = xasprintf("%s/haarrrvest-food-bayarea/food_sites_raw.csv", d);
	gj = xasprintf("%s/haarrrvest-food-bayarea/food_sites.geojson", d);
	imp_ogr_opts_init(&o);
	o.kind = IMP_ASSETS;
	o.path = csv;
	o.category_from = "services";
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "assets");
	CHECK_INT(imp_ogr_import(ws, &o, &src, &st, &err), CORE_OK);
	CHECK_INT(src.rows_accepted, 368);
	CHECK_INT(src.rows_merged, 0);
	/* 360 rows list Free Groceries, Food Pantry or Ready-To-Eat Meals;
	 * 8 have no services */
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_categories WHERE "
				 "category = 'food'"),
		  360);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_categories"), 360);
	CHECK_Q(ws,
		"SELECT group_concat(term || '=' || rows || '=' || "
		"coalesce(category, '-'), ';') FROM (SELECT * FROM "
		"source_terms ORDER BY rows DESC)",
		"Walk up=259=-;Free Groceries=255=food;No documents "
		"required=229=-;Drive thru=96=-;Food "
		"Pantry=82=food;Ready-To-Eat Meals=23=food");
	CHECK_INT(st.unmatched_terms, 3);
	CHECK_STR(st.unmatched,
		  "terms that matched no category: 'Walk up' (259 rows), 'No "
		  "documents required' (229 rows), 'Drive thru' (96 rows) (add "
		  "them to data/taxonomy/crosswalk.csv)");
	imp_source_release(&src);
	imp_ogr_stats_release(&st);

	o.path = gj;
	o.category_from = NULL;
	o.col[IMP_COL_CATEGORY] = "food";
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "assets");
	CHECK_INT(imp_ogr_import(ws, &o, &src, &st, &err), CORE_OK);
	if (src.rows_merged != 368)
		printf("    %s\n", err.msg);
	CHECK_INT(src.rows_accepted, 368);
	CHECK_INT(src.rows_merged, 368);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 368);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_sources"), 736);
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT count(*) FROM sources WHERE rows_merged = 368"),
	    1);
	/* every asset now has food, from the GeoJSON's --category */
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_categories WHERE "
				 "category = 'food'"),
		  368);
	/* each GeoJSON feature went to the CSV row of the same site: the
	 * k-th record of each (CSV lines count the lines of multi-line
	 * quoted fields, feature numbers do not) */
	CHECK_INT(
	    test_q_int(
		ws,
		"SELECT count(*) FROM"
		" (SELECT asset_id, row_number() OVER (ORDER BY source_line) k"
		"  FROM asset_sources WHERE source_id = 1) a JOIN"
		" (SELECT asset_id, row_number() OVER (ORDER BY source_line) k"
		"  FROM asset_sources WHERE source_id = 2) b"
		" ON a.asset_id = b.asset_id AND a.k = b.k"),
	    368);
	imp_source_release(&src);
	imp_ogr_stats_release(&st);
	free(csv);
	free(gj);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * The crosswalk
 * ------------------------------------------------------------------ */

static char *hits_str(const struct imp_xwalk_hits *h)
{
	struct core_buf b = CORE_BUF_INIT;
	size_t i;

	for (i = 0; i < h->ncategories; i++)
		core_buf_addf(&b, "%s%s", i ? "," : "", h->categories[i]);
	for (i = 0; i < h->nprograms; i++)
		core_buf_addf(&b, "%s+%s", i || h->ncategories ? "," : "",
			      h->programs[i]);
	return core_buf_detach(&b);
}

static char *match(struct imp_xwalk *x, const char *voc, const char *term)
{
	struct imp_xwalk_hits h;

	imp_xwalk_hits_clear(&h);
	imp_xwalk_match(x, voc, term, &h);
	return hits_str(&h);
}

static char *search(struct imp_xwalk *x, const char *text)
{
	struct imp_xwalk_hits h;

	imp_xwalk_hits_clear(&h);
	imp_xwalk_search(x, "keyword", text, &h);
	return hits_str(&h);
}

#define CHECK_MATCH(x, voc, term, want)                                        \
	do {                                                                   \
		char *s_ = match(x, voc, term);                                \
		CHECK_STR(s_, want);                                           \
		free(s_);                                                      \
	} while (0)
#define CHECK_SEARCH(x, text, want)                                            \
	do {                                                                   \
		char *s_ = search(x, text);                                    \
		CHECK_STR(s_, want);                                           \
		free(s_);                                                      \
	} while (0)

static void test_xwalk_builtin(void)
{
	struct core_ws *ws = test_new_ws("xwalk.db");
	struct core_err err = CORE_ERR_INIT;
	struct imp_xwalk *x = NULL;
	int64_t cats_covered;

	CHECK_INT(imp_xwalk_new(ws, &x, &err), CORE_OK);
	CHECK((int64_t)imp_xwalk_size(x) ==
	      test_q_int(ws, "SELECT count(*) FROM crosswalk"));
	/* the shipped file: 150+ keywords in two languages covering every
	 * category, Open Eligibility and AIRS terms */
	CHECK(test_q_int(ws, "SELECT count(*) FROM crosswalk WHERE vocabulary "
			     "= 'keyword' AND file = 'crosswalk.csv'") >= 150);
	cats_covered = test_q_int(
	    ws, "SELECT count(DISTINCT category) FROM crosswalk WHERE "
		"vocabulary = 'keyword' AND file = 'crosswalk.csv'");
	CHECK_INT(cats_covered,
		  test_q_int(ws, "SELECT count(*) FROM categories"));

	/* exact, ignoring case, accents, '&' and plurals */
	CHECK_MATCH(x, "open_eligibility", "Food Pantry", "food");
	CHECK_MATCH(x, "open_eligibility", "food pantries", "food");
	CHECK_MATCH(x, "open_eligibility", "ADDICTION & RECOVERY",
		    "substance_use");
	CHECK_MATCH(x, "open_eligibility", "Addiction and Recovery",
		    "substance_use");
	CHECK_MATCH(x, "open_eligibility", "Help Pay for Utilities",
		    "utilities");
	CHECK_MATCH(x, "open_eligibility", "Pizza", "");
	CHECK_MATCH(x, "keyword", "Despensa de Alimentos", "food");
	CHECK_MATCH(x, "keyword", "DESPENSAS DE ALIMENTOS", "food");
	CHECK_MATCH(x, "keyword", "clínica", "primary_care");
	CHECK_MATCH(x, "keyword", "CLINICAS", "primary_care");
	CHECK_MATCH(x, "keyword", "Salud Mental", "behavioral_health");
	CHECK_MATCH(x, "keyword", "guarderia", "childcare");
	CHECK_MATCH(x, "keyword", "violencia doméstica", "safety");
	CHECK_MATCH(x, "keyword", "Sobering Center",
		    "substance_use,+sobering_centers");
	CHECK_MATCH(x, "keyword", "Familias en Acción", "");
	/* the vocabulary matters */
	CHECK_MATCH(x, "open_eligibility", "despensa", "");
	/* AIRS: the longest code prefix */
	CHECK_MATCH(x, "airs", "BD-1800.2000-620", "food");
	CHECK_MATCH(x, "airs", "bd-1800.2000 Food Pantries", "food");
	CHECK_MATCH(x, "airs", "BH-1800.1500-100", "safety,housing");
	CHECK_MATCH(x, "airs", "BH-1800.8500", "housing");
	CHECK_MATCH(x, "airs", "BH-1800.9000", "housing,+recuperative_care");
	CHECK_MATCH(x, "airs", "NL-6000.2000", "food,benefits");
	CHECK_MATCH(x, "airs", "LV-1600.1234", "dental");
	CHECK_MATCH(x, "airs", "LV-1700", "primary_care");
	CHECK_MATCH(x, "airs", "L", "primary_care");
	CHECK_MATCH(x, "airs", "LZ-1234", "primary_care");
	CHECK_MATCH(x, "airs", "QQ-1000", "");
	/* only a code in its own shape: a word is never read as one, so its
	 * first letter is no AIRS section */
	CHECK_MATCH(x, "airs", "legl", "");
	CHECK_MATCH(x, "airs", "Legal Services", "");
	CHECK_MATCH(x, "airs", "housingg", "");
	CHECK_MATCH(x, "airs", "fod", "");
	CHECK_MATCH(x, "airs", "Bd", "");
	CHECK_MATCH(x, "airs", "BD-18", "");
	CHECK_MATCH(x, "airs", "BDX-1800", "");
	CHECK_MATCH(x, "airs", "BD-1800x", "");
	/* keywords inside free text, leftmost longest */
	CHECK_SEARCH(x, "Free Groceries; Walk up", "food");
	CHECK_SEARCH(x, "Legal clinic for tenants", "legal");
	CHECK_SEARCH(x, "Mental Health Clinic", "behavioral_health");
	CHECK_SEARCH(
	    x, "Clínica de Salud Familias en Acción: salud mental y comida",
	    "primary_care,behavioral_health,food");
	CHECK_SEARCH(x, "St. Anthony's Dining Room", "");
	CHECK_SEARCH(x, "", "");
	imp_xwalk_free(x);
	core_ws_close(ws);
}

static char *resolve(struct imp_xwalk *x, const char *v, int *how)
{
	struct imp_xwalk_hits h;

	imp_xwalk_hits_clear(&h);
	*how = imp_xwalk_category(x, v, &h);
	return hits_str(&h);
}

static char *suggest(struct imp_xwalk *x, const char *v)
{
	struct core_buf b = CORE_BUF_INIT;
	const char *s[3];
	size_t n = imp_xwalk_suggest(x, v, s, 3), i;

	for (i = 0; i < n; i++)
		core_buf_addf(&b, "%s%s", i ? "," : "", s[i]);
	return core_buf_detach(&b);
}

#define CHECK_CAT(x, v, want_how, want)                                        \
	do {                                                                   \
		int how_;                                                      \
		char *s_ = resolve(x, v, &how_);                               \
		CHECK_STR(s_, want);                                           \
		CHECK_INT(how_, want_how);                                     \
		free(s_);                                                      \
	} while (0)
#define CHECK_SUGGEST(x, v, want)                                              \
	do {                                                                   \
		char *s_ = suggest(x, v);                                      \
		CHECK_STR(s_, want);                                           \
		free(s_);                                                      \
	} while (0)

/* The one resolver of a category value: exact codes, names and
 * crosswalk terms (case and accents aside), AIRS codes in their shape,
 * never a guess; suggestions for what is near, never applied. */
static void test_category_resolve(void)
{
	struct core_ws *ws = test_new_ws("resolve.db");
	struct core_err err = CORE_ERR_INIT;
	struct core_buf b = CORE_BUF_INIT;
	struct imp_xwalk *x = NULL;
	static const char *const typos[] = {"housingg", "hous",	    "fod",
					    "foood",	"foodbank", "legl"};
	size_t i;

	CHECK_INT(imp_xwalk_new(ws, &x, &err), CORE_OK);
	/* codes and names, case, accents and punctuation aside */
	CHECK_CAT(x, "food", IMP_XWALK_CODE, "food");
	CHECK_CAT(x, "FOOD", IMP_XWALK_CODE, "food");
	CHECK_CAT(x, " Food ", IMP_XWALK_CODE, "food");
	CHECK_CAT(x, "primary_care", IMP_XWALK_CODE, "primary_care");
	CHECK_CAT(x, "Primary-Care", IMP_XWALK_CODE, "primary_care");
	CHECK_CAT(x, "Legal Aid", IMP_XWALK_NAME, "legal");
	CHECK_CAT(x, "LEGAL AID", IMP_XWALK_NAME, "legal");
	CHECK_CAT(x, "Financial Help & Benefits", IMP_XWALK_NAME, "benefits");
	CHECK_CAT(x, "caregiving and respite", IMP_XWALK_NAME, "caregiving");
	/* crosswalk terms, whole */
	CHECK_CAT(x, "Nutrición", IMP_XWALK_TERM, "food");
	CHECK_CAT(x, "NUTRICION", IMP_XWALK_TERM, "food");
	CHECK_CAT(x, "nutricion", IMP_XWALK_TERM, "food");
	CHECK_CAT(x, "EDUCACIÓN", IMP_XWALK_TERM, "education");
	CHECK_CAT(x, "Food Pantries", IMP_XWALK_TERM, "food");
	CHECK_CAT(x, "Sobering Center", IMP_XWALK_TERM,
		  "substance_use,+sobering_centers");
	CHECK_CAT(x, "Free groceries and a legal clinic", IMP_XWALK_NONE, "");
	/* AIRS codes in their shape, a letter pair at least */
	CHECK_CAT(x, "BD", IMP_XWALK_AIRS, "food");
	CHECK_CAT(x, "BD-1800.2000", IMP_XWALK_AIRS, "food");
	CHECK_CAT(x, " BD-1800.2000-620 ", IMP_XWALK_AIRS, "food");
	CHECK_CAT(x, "bd-1800.2000", IMP_XWALK_AIRS, "food");
	CHECK_CAT(x, "BH-1800.1500", IMP_XWALK_AIRS, "safety,housing");
	CHECK_CAT(x, "LV-1600.1234", IMP_XWALK_AIRS, "dental");
	CHECK_CAT(x, "L", IMP_XWALK_NONE, "");
	CHECK_CAT(x, "H", IMP_XWALK_NONE, "");
	CHECK_CAT(x, "bd", IMP_XWALK_NONE, "");
	CHECK_CAT(x, "BD-18", IMP_XWALK_NONE, "");
	CHECK_CAT(x, "BD-1800.2000 Food Pantries", IMP_XWALK_NONE, "");
	CHECK_CAT(x, "QQ-1000", IMP_XWALK_NONE, "");
	/* the typos a user made: nothing, and the near category offered */
	for (i = 0; i < sizeof(typos) / sizeof(typos[0]); i++)
		CHECK_CAT(x, typos[i], IMP_XWALK_NONE, "");
	CHECK_CAT(x, "", IMP_XWALK_NONE, "");
	CHECK_CAT(x, " ; ", IMP_XWALK_NONE, "");
	CHECK_SUGGEST(x, "housingg", "housing");
	CHECK_SUGGEST(x, "hous", "housing");
	CHECK_SUGGEST(x, "fod", "food");
	CHECK_SUGGEST(x, "foood", "food");
	CHECK_SUGGEST(x, "foodbank", "food"); /* the term 'food bank' */
	CHECK_SUGGEST(x, "legl", "legal");
	CHECK_SUGGEST(x, "fodo", "food"); /* a transposition is one edit */
	CHECK_SUGGEST(x, "primery care", "primary_care");
	CHECK_SUGGEST(x, "Helth Educaton", "health_education");
	CHECK_SUGGEST(x, "zzzz", "");
	CHECK_SUGGEST(x, "", "");
	CHECK_SUGGEST(x,
		      "fooooooooooooooooooooooooooooooooooooooooooooooooooooooo"
		      "oooooooooooood",
		      "");
	/* the message's end */
	imp_xwalk_category_hint(x, "foood", &b);
	CHECK_STR(core_buf_str(&b), "did you mean 'food'?");
	core_buf_reset(&b);
	imp_xwalk_category_hint(x, "zzzz", &b);
	CHECK_STR(core_buf_str(&b),
		  "valid codes are food, housing, transportation, utilities, "
		  "legal, employment, education, childcare, behavioral_health, "
		  "substance_use, primary_care, dental, caregiving, "
		  "disability, benefits, social_connection, safety, "
		  "health_education (see 'assetmap categories')");
	core_buf_release(&b);
	imp_xwalk_free(x);
	core_ws_close(ws);
}

/* A category column's values that match nothing are rejected with the
 * row and listed after the import, never given the nearest category. */
static void test_ogr_category_unknown(void)
{
	struct core_ws *ws = test_new_ws("catunknown.db");
	const char *path =
	    test_write("typed.csv", "name,lat,lon,type\n"
				    "A,37.75,-122.41,food\n"
				    "B,37.75,-122.41,foodbank\n"
				    "C,37.76,-122.42,foodbank;housing\n"
				    "D,37.77,-122.43,legl\n"
				    "E,37.78,-122.44,hous\n"
				    "F,37.79,-122.45,Despensa de alimentos\n");
	struct core_err err = CORE_ERR_INIT;
	struct imp_ogr_opts o;
	struct imp_source src;
	struct imp_ogr_stats st;

	imp_ogr_opts_init(&o);
	o.kind = IMP_ASSETS;
	o.path = path;
	o.col[IMP_COL_CATEGORY] = "type";
	o.skip_bad = 1;
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "assets");
	CHECK_INT(imp_ogr_import(ws, &o, &src, &st, &err), CORE_OK);
	CHECK_INT(src.rows_rejected, 4);
	CHECK_Q(ws,
		"SELECT group_concat(a.name || '=' || c.category, ';') FROM "
		"(SELECT * FROM assets ORDER BY name) a JOIN asset_categories "
		"c ON c.asset_id = a.id",
		"A=food;F=food");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_categories WHERE "
				 "category <> 'food'"),
		  0);
	CHECK_Q(
	    ws,
	    "SELECT group_concat(line || ':' || field || ':' || value || ':' "
	    "|| reason, '|') FROM (SELECT * FROM source_rejects ORDER BY line)",
	    "3:type:foodbank:is not a category (to map it, add it to "
	    "data/taxonomy/crosswalk.csv); did you mean 'food'?|"
	    "4:type:foodbank:is not a category (to map it, add it to "
	    "data/taxonomy/crosswalk.csv); did you mean 'food'?|"
	    "5:type:legl:is not a category (to map it, add it to "
	    "data/taxonomy/crosswalk.csv); did you mean 'legal'?|"
	    "6:type:hous:is not a category (to map it, add it to "
	    "data/taxonomy/crosswalk.csv); did you mean 'housing'?");
	CHECK_INT(st.unmatched_terms, 3);
	CHECK_STR(
	    st.unmatched,
	    "terms that matched no category: 'foodbank' (2 rows), 'legl' (1 "
	    "row), 'hous' (1 row) (add them to data/taxonomy/crosswalk.csv)");
	imp_source_release(&src);
	imp_ogr_stats_release(&st);
	core_ws_close(ws);
}

static void test_xwalk_tally(void)
{
	struct core_ws *ws = test_new_ws("tally.db");
	struct core_err err = CORE_ERR_INIT;
	struct imp_xwalk *x = NULL;
	struct imp_xwalk_hits h;
	struct imp_source src;
	struct core_buf b = CORE_BUF_INIT;
	const struct imp_xwalk_term *t;

	/* another importer's vocabulary, a row naming only a program */
	CHECK_INT(
	    core_ws_exec(
		ws, &err,
		"INSERT INTO crosswalk(vocabulary, term, program, file, line)"
		" VALUES('hsds_test', 'Comida Médica', "
		"'medically_tailored_meals', 't.csv', 2)"),
	    CORE_OK);
	CHECK_INT(imp_xwalk_new(ws, &x, &err), CORE_OK);
	CHECK_MATCH(x, "hsds_test", "comida medica",
		    "food,+medically_tailored_meals");

	imp_xwalk_next_row(x);
	imp_xwalk_hits_clear(&h);
	CHECK_INT(imp_xwalk_term(x, "open_eligibility", "Food Pantry", &h), 1);
	CHECK_INT(imp_xwalk_term(x, "keyword", "Walk up", &h), 0);
	CHECK_INT(h.ncategories, 1);
	imp_xwalk_next_row(x);
	CHECK_INT(imp_xwalk_term(x, "open_eligibility", "food  pantry", NULL),
		  1);
	CHECK_INT(imp_xwalk_term(x, "keyword", "Walk up", NULL), 0);
	CHECK_INT(imp_xwalk_term(x, "keyword", "walk-up", NULL),
		  0); /* same row */
	/* a keyword search counts as a match */
	CHECK_INT(imp_xwalk_term(x, "keyword", "Ready-To-Eat Meals", NULL), 1);
	imp_xwalk_next_row(x);
	CHECK_INT(imp_xwalk_term(x, "keyword", "Drive thru", NULL), 0);
	imp_xwalk_note(x, "category", "Housing", NULL);
	CHECK_INT(imp_xwalk_nterms(x), 5);
	t = imp_xwalk_term_get(x, 0);
	CHECK_STR(t->vocabulary, "open_eligibility");
	CHECK_STR(t->term, "Food Pantry");
	CHECK_STR(t->categories, "food");
	CHECK_INT(t->rows, 2);
	t = imp_xwalk_term_get(x, 1);
	CHECK_STR(t->term, "Walk up");
	CHECK(t->categories == NULL);
	CHECK_INT(t->rows, 2);
	CHECK(imp_xwalk_term_get(x, 5) == NULL);
	CHECK_INT(imp_xwalk_unmatched(x, &b, 10), 3);
	CHECK_STR(core_buf_str(&b),
		  "terms that matched no category: 'Walk up' (2 rows), 'Drive "
		  "thru' (1 row), 'Housing' (1 row) (add them to "
		  "data/taxonomy/crosswalk.csv)");
	core_buf_reset(&b);
	CHECK_INT(imp_xwalk_unmatched(x, &b, 1), 3);
	CHECK_STR(core_buf_str(&b),
		  "terms that matched no category: 'Walk up' (2 rows) and 2 "
		  "more (add them to data/taxonomy/crosswalk.csv)");
	core_buf_release(&b);

	CHECK_INT(core_ws_begin(ws, &err), CORE_OK);
	open_source(ws, &src, "/data/t.csv");
	CHECK_INT(imp_xwalk_save(x, ws, src.id, &err), CORE_OK);
	CHECK_INT(core_ws_commit(ws, &err), CORE_OK);
	CHECK_Q(ws,
		"SELECT group_concat(vocabulary || '|' || term || '|' || "
		"coalesce(category, '-') || '|' || rows, ';') FROM (SELECT * "
		"FROM source_terms ORDER BY vocabulary, term)",
		"category|Housing|-|1;keyword|Drive "
		"thru|-|1;keyword|Ready-To-Eat Meals|food|1;keyword|Walk "
		"up|-|2;open_eligibility|Food Pantry|food|2");
	imp_source_release(&src);
	imp_xwalk_free(x);
	core_ws_close(ws);
}

/* --category with crosswalk fallback, --category-from, source_terms. */
static void test_ogr_category_from(void)
{
	struct core_ws *ws = test_new_ws("catfrom.db");
	const char *path = test_write(
	    "catfrom.csv",
	    "name,lat,lon,services,type\n"
	    "Mission Pantry,37.75,-122.41,Food Pantry; Walk up,Despensa de "
	    "alimentos\n"
	    "Clínica Familias en Acción,37.76,-122.42,Drive thru,BD-1800.2000\n"
	    "Casa de Paz,37.77,-122.43,,Housing\n");
	const char *bad = test_write(
	    "catbad.csv", "name,lat,lon,type\nA,37.75,-122.41,pizza\n");
	struct core_err err = CORE_ERR_INIT;
	struct imp_ogr_opts o;
	struct imp_source src;
	struct imp_ogr_stats st;

	imp_ogr_opts_init(&o);
	o.kind = IMP_ASSETS;
	o.path = path;
	o.col[IMP_COL_CATEGORY] = "type";
	o.category_from = "services,name";
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "assets");
	CHECK_INT(imp_ogr_import(ws, &o, &src, &st, &err), CORE_OK);
	if (err.msg[0])
		printf("    %s\n", err.msg);
	CHECK_CONTAINS(src.options, "--category type");
	CHECK_CONTAINS(src.options, "--category-from services,name");
	CHECK_Q(ws,
		"SELECT group_concat(n || '=' || c, ';') FROM (SELECT a.id, "
		"a.name AS n, (SELECT group_concat(category, ',') FROM (SELECT "
		"category FROM asset_categories WHERE asset_id = a.id ORDER BY "
		"category)) AS c FROM assets a ORDER BY a.id)",
		"Mission Pantry=food;Clínica Familias en "
		"Acción=food,primary_care;Casa de Paz=housing");
	CHECK_Q(ws,
		"SELECT group_concat(vocabulary || '|' || term || '|' || "
		"coalesce(category, '-') || '|' || rows, ';') FROM (SELECT * "
		"FROM source_terms ORDER BY vocabulary, term)",
		"category|BD-1800.2000|food|1;category|Despensa de "
		"alimentos|food|1;category|Housing|housing|1;"
		"keyword|Casa de Paz|-|1;keyword|Clínica Familias en "
		"Acción|primary_care|1;keyword|Drive thru|-|1;"
		"keyword|Food Pantry|food|1;keyword|Mission "
		"Pantry|food|1;keyword|Walk up|-|1");
	CHECK_INT(st.unmatched_terms, 3);
	CHECK_STR(st.unmatched,
		  "terms that matched no category: 'Walk up' (1 row), 'Drive "
		  "thru' (1 row), 'Casa de Paz' (1 row) (add them to "
		  "data/taxonomy/crosswalk.csv)");
	imp_source_release(&src);
	imp_ogr_stats_release(&st);

	/* a fixed --category through the crosswalk (the same file again:
	 * it replaces the first import) */
	imp_ogr_opts_init(&o);
	o.kind = IMP_ASSETS;
	o.path = path;
	o.col[IMP_COL_CATEGORY] = "despensa de alimentos";
	o.no_merge = 1;
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "assets");
	CHECK_INT(imp_ogr_import(ws, &o, &src, &st, &err), CORE_OK);
	CHECK_CONTAINS(src.options, "--category food");
	CHECK_CONTAINS(src.options, "--no-merge");
	CHECK(st.unmatched == NULL);
	CHECK_INT(test_q_int(
		      ws, "SELECT count(*) FROM asset_categories c JOIN assets "
			  "a ON a.id = c.asset_id WHERE c.category = 'food'"),
		  3);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_categories"), 3);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM source_terms"), 0);
	imp_source_release(&src);
	imp_ogr_stats_release(&st);

	/* a value nothing knows: the row is rejected, the message says where
	 * to add it */
	imp_ogr_opts_init(&o);
	o.kind = IMP_ASSETS;
	o.path = bad;
	o.col[IMP_COL_CATEGORY] = "type";
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "assets");
	CHECK_INT(imp_ogr_import(ws, &o, &src, &st, &err), CORE_EFORMAT);
	CHECK_CONTAINS(
	    err.msg, "catbad.csv line 2, field type: 'pizza' is not a category "
		     "(to map it, add it to data/taxonomy/crosswalk.csv); "
		     "valid codes are food, housing,");
	CHECK_CONTAINS(err.msg, "health_education (see 'assetmap categories')");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources"), 1);
	imp_source_release(&src);
	imp_ogr_stats_release(&st);

	/* --category-from a column that is not there; not for areas */
	imp_ogr_opts_init(&o);
	o.kind = IMP_ASSETS;
	o.path = path;
	o.category_from = "services,nope";
	imp_source_init(&src, "assets");
	CHECK_INT(imp_ogr_import(ws, &o, &src, NULL, &err), CORE_EFORMAT);
	CHECK_CONTAINS(
	    err.msg,
	    "catfrom.csv: no column 'nope' (given with --category-from); the "
	    "columns are: name, lat, lon, services, type");
	imp_source_release(&src);
	o.kind = IMP_AREAS;
	o.level = "tract";
	imp_source_init(&src, "areas");
	CHECK_INT(imp_ogr_import(ws, &o, &src, NULL, &err), CORE_EUSAGE);
	CHECK_STR(err.msg, "--category-from applies to import assets only");
	imp_source_release(&src);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Encodings
 * ------------------------------------------------------------------ */

static void import_one(struct core_ws *ws, const char *path,
		       struct imp_source *src, int *rc, struct core_err *err)
{
	struct imp_ogr_opts o;

	imp_ogr_opts_init(&o);
	o.kind = IMP_ASSETS;
	o.path = path;
	o.no_merge = 1;
	imp_source_init(src, "assets");
	core_err_clear(err);
	*rc = imp_ogr_import(ws, &o, src, NULL, err);
}

static void test_encodings_ogr(void)
{
	struct core_ws *ws = test_new_ws("enc.db");
	/* "Familias en Acción" in Windows-1252, with its curly quotes and
	 * euro sign (0x93, 0x94, 0x80) */
	const char *cp =
	    test_write("cp1252.csv",
		       "name,lat,lon,notes\n"
		       "Cafe,37.7,-122.4,x\n"
		       "Familias en Acci\xf3n,37.71,-122.41,\x93gratis\x94 \x80"
		       "0\n");
	const char *bom =
	    test_write("bom.csv", "\xef\xbb\xbfname,lat,lon\nFamilias en "
				  "Acci\xc3\xb3n,37.72,-122.42\n");
	const char *gjcp = test_write(
	    "cp1252.geojson",
	    "{\"type\":\"FeatureCollection\",\"features\":[\n"
	    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Ni\xf1os "
	    "Felices\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[-122."
	    "43,37.73]}}]}\n");
	const char *gjbom = test_write(
	    "bom.geojson",
	    "\xef\xbb\xbf{\"type\":\"FeatureCollection\",\"features\":["
	    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Familias en "
	    "Acci\xc3\xb3n\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":"
	    "[-122.44,37.74]}}]}\n");
	struct core_err err = CORE_ERR_INIT;
	struct imp_source src;
	char *md5;
	int rc;

	md5 = test_md5_file(cp);
	import_one(ws, cp, &src, &rc, &err);
	CHECK_INT(rc, CORE_OK);
	if (rc)
		printf("    %s\n", err.msg);
	CHECK_STR(src.encoding, "windows-1252");
	CHECK_STR(src.warning,
		  "cp1252.csv is not UTF-8; read it as Windows-1252 (the first "
		  "such character: line 3, field name, byte 0xf3 = "
		  "'\xc3\xb3'); save it as UTF-8 to be sure");
	CHECK_INT(src.warnings, 1);
	CHECK(src.tmp_path != NULL);
	imp_source_release(&src);
	CHECK_Q(
	    ws,
	    "SELECT name FROM assets WHERE source_id = 1 AND source_line = 3",
	    "Familias en Acción");
	{
		char *want = xasprintf("windows-1252|1|%s", md5);
		CHECK_Q(ws,
			"SELECT encoding || '|' || warnings || '|' || checksum "
			"FROM sources WHERE id = 1",
			want);
		free(want);
	}
	free(md5);

	import_one(ws, bom, &src, &rc, &err);
	CHECK_INT(rc, CORE_OK);
	CHECK_STR(src.encoding, "utf-8");
	CHECK(src.warning == NULL);
	CHECK(src.tmp_path == NULL); /* GDAL reads past the BOM itself */
	CHECK_STR(src.options, "--name name --lon lon --lat lat --no-merge");
	imp_source_release(&src);
	CHECK_Q(ws,
		"SELECT a.name || '|' || s.encoding || '|' || s.warnings FROM "
		"assets a JOIN sources s ON s.id = a.source_id WHERE s.id = 2",
		"Familias en Acción|utf-8|0");

	import_one(ws, gjcp, &src, &rc, &err);
	CHECK_INT(rc, CORE_OK);
	CHECK_STR(src.encoding, "windows-1252");
	CHECK_STR(src.warning,
		  "cp1252.geojson is not UTF-8; read it as Windows-1252 (the "
		  "first such character: line 2, byte 0xf1 = '\xc3\xb1'); save "
		  "it as UTF-8 to be sure");
	imp_source_release(&src);
	CHECK_Q(ws, "SELECT name FROM assets WHERE source_id = 3",
		"Niños Felices");

	import_one(ws, gjbom, &src, &rc, &err);
	CHECK_INT(rc, CORE_OK);
	CHECK_STR(src.encoding, "utf-8");
	imp_source_release(&src);
	CHECK_Q(ws, "SELECT name FROM assets WHERE source_id = 4",
		"Familias en Acción");
	core_ws_close(ws);
}

static void test_encodings_text(void)
{
	const char *bom = test_write("t_bom.csv", "\xef\xbb\xbfname\nA\n");
	const char *cp =
	    test_write("t_cp.txt", "a\xe9\n\x93q\x94 \x80 \x9f\xff\n");
	const char *plain = test_write("t_plain.csv", "name\nA\n");
	const char *undef =
	    test_write("t_undef.csv", "id;name\n1;Caf\xe9\n2;x\x8d\n");
	const char *mixed = test_write("t_mixed.txt", "ok\n\xc3\xa9\n\xe9\n");
	struct core_err err = CORE_ERR_INIT;
	struct imp_source s;
	const char *open_path;
	char *tmp, *text;
	struct stat sb;
	int fd;

	imp_source_init(&s, "assets");
	CHECK_INT(imp_source_text(&s, plain, IMP_TEXT_CSV, &open_path, &err),
		  CORE_OK);
	CHECK(open_path == plain);
	CHECK_STR(s.encoding, "utf-8");
	imp_source_release(&s);

	/* a BOM alone: a copy without it, unless the reader skips it */
	imp_source_init(&s, "assets");
	CHECK_INT(imp_source_text(&s, bom, IMP_TEXT_CSV, &open_path, &err),
		  CORE_OK);
	CHECK(open_path != bom);
	/* an unlinked file: nothing on disk even while it is open */
	CHECK_CONTAINS(open_path, "/proc/self/fd/");
	CHECK(fstat(s.tmp_fd, &sb) == 0 && sb.st_nlink == 0);
	text = test_slurp(open_path, NULL);
	CHECK_STR(text, "name\nA\n");
	free(text);
	CHECK_STR(s.name, "t_bom.csv");
	CHECK_CONTAINS(s.path, "/t_bom.csv");
	fd = s.tmp_fd;
	imp_source_release(&s);
	CHECK(fcntl(fd, F_GETFD) == -1); /* closed with the source */
	imp_source_init(&s, "assets");
	CHECK_INT(imp_source_text(&s, bom, IMP_TEXT_GDAL, &open_path, &err),
		  CORE_OK);
	CHECK_CONTAINS(open_path, "/vsimem/");
	CHECK_CONTAINS(open_path, "/t_bom.csv"); /* the name GDAL looks at */
	{
		VSIStatBufL vs;
		CHECK(VSIStatL(open_path, &vs) == 0 && vs.st_size == 7);
		tmp = xstrdup(open_path);
		imp_source_release(&s);
		CHECK(VSIStatL(tmp, &vs) != 0); /* deleted with the source */
		free(tmp);
	}
	imp_source_init(&s, "assets");
	CHECK_INT(imp_source_text(&s, bom, IMP_TEXT_CSV | IMP_TEXT_KEEP_BOM,
				  &open_path, &err),
		  CORE_OK);
	CHECK(open_path == bom);
	imp_source_release(&s);

	/* every Windows-1252 byte to UTF-8 */
	imp_source_init(&s, "assets");
	CHECK_INT(imp_source_text(&s, cp, 0, &open_path, &err), CORE_OK);
	text = test_slurp(open_path, NULL);
	CHECK_STR(text, "a\xc3\xa9\n\xe2\x80\x9cq\xe2\x80\x9d \xe2\x82\xac "
			"\xc5\xb8\xc3\xbf\n");
	free(text);
	CHECK_STR(s.warning, "t_cp.txt is not UTF-8; read it as Windows-1252 "
			     "(the first such character: line 1, byte 0xe9 = "
			     "'\xc3\xa9'); save it as UTF-8 to be sure");
	imp_source_release(&s);

	/* neither: line and field named (';' separated) */
	imp_source_init(&s, "assets");
	CHECK_INT(imp_source_text(&s, undef, IMP_TEXT_CSV, &open_path, &err),
		  CORE_EFORMAT);
	CHECK_STR(err.msg, "t_undef.csv line 3, field name: byte 0x8d is "
			   "neither UTF-8 nor Windows-1252 text; save the file "
			   "as UTF-8 (in Excel: Save As, 'CSV UTF-8') or "
			   "convert it with 'iconv -f YOUR-ENCODING -t UTF-8'");
	CHECK(open_path == undef);
	CHECK(s.tmp_path == NULL);
	imp_source_release(&s);

	imp_source_init(&s, "assets");
	CHECK_INT(imp_source_text(&s, mixed, 0, &open_path, &err),
		  CORE_EFORMAT);
	CHECK_CONTAINS(err.msg, "t_mixed.txt mixes encodings: it holds UTF-8 "
				"text, but line 3 has byte 0xe9");
	imp_source_release(&s);

	/* the file-level errors of imp_source_scan */
	imp_source_init(&s, "assets");
	CHECK_INT(imp_source_text(&s, test_write("t_empty.csv", ""), 0,
				  &open_path, &err),
		  CORE_EFORMAT);
	CHECK_STR(err.msg, "t_empty.csv is empty (0 bytes); nothing to import");
	imp_source_release(&s);
}

/* ---------------------------------------------------------------------
 * assetmap add asset
 * ------------------------------------------------------------------ */

static void test_add_cli(void)
{
	char *out, *err, *md5, *md5b, *dbp;
	struct core_err e = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	int rc;

	rc = test_run_cli("-q -d add.db init", &out, &err);
	if (rc < 0) {
		test_skip("ASSETMAP is not set (run through make test)");
		return;
	}
	CHECK_INT(rc, 0);
	free(out);
	free(err);
	rc =
	    test_run_cli("-d add.db add asset --name ' Grupo de Apoyo Latino ' "
			 "--category social_connection,'grupo de apoyo',Respite"
			 " --at '37.7599, -122.4148' --languages ES,en --phone "
			 "415-555-0199 --hours 'Tue 6pm'"
			 " --organization 'Iglesia Misión' --address '2 "
			 "Valencia St' --notes 'trusted leader'"
			 " --programs respite",
			 &out, &err);
	CHECK_INT(rc, 0);
	CHECK_STR(out, "1\n");
	CHECK_STR(err, "added informal asset 1 'Grupo de Apoyo Latino' at "
		       "37.759900,-122.414800\n");
	free(out);
	free(err);
	dbp = xasprintf("%s/add.db", test_tmpdir());
	CHECK_INT(core_ws_open(dbp, CORE_WS_READ, &ws, &e), CORE_OK);
	CHECK_Q(ws,
		"SELECT name || '|' || coalesce(source_id, 'null') || '|' || "
		"formal || '|' || location_quality || '|' || languages || '|' "
		"|| phone || '|' || hours || '|' || organization || '|' || "
		"address || '|' || description FROM assets",
		"Grupo de Apoyo Latino|null|0|manual|es,en|415-555-0199|Tue "
		"6pm|Iglesia Misión|2 Valencia St|trusted leader");
	CHECK_NEAR(test_q_double(ws, "SELECT ST_Y(geom) FROM assets"), 37.7599,
		   1e-12);
	CHECK_NEAR(test_q_double(ws, "SELECT ST_X(geom) FROM assets"),
		   -122.4148, 1e-12);
	CHECK_Q(ws,
		"SELECT group_concat(category, ',') FROM (SELECT category FROM "
		"asset_categories ORDER BY category)",
		"caregiving,social_connection");
	CHECK_Q(ws, "SELECT group_concat(program) FROM asset_programs",
		"respite");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_sources"), 0);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources"), 0);
	core_ws_close(ws);
	ws = NULL;

	/* usage errors: exit 2, the workspace untouched */
	md5 = test_md5_file(dbp);
	{
		static const struct {
			const char *args, *msg;
		} bad[] = {
		    {"--name X --category pizza --at 37.7,-122.4",
		     "add: --category: 'pizza' is not a category; valid codes "
		     "are food, housing,"},
		    {"--name X --category food --at 91,0",
		     "add: --at: latitude '91' is out of range; it must be "
		     "between -90 and 90"},
		    {"--name X --category food --at 37.7,,-122.4",
		     "add: --at: '37.7,,-122.4' is not LAT,LON; give latitude "
		     "and "
		     "longitude in decimal degrees, latitude first, e.g. --at "
		     "37.7599,-122.4148"},
		    {"--name X --category food --at -122.4148,37.7599",
		     "add: --at: latitude '-122.415' is out of range; it must "
		     "be between -90 and 90 (--at takes latitude first: did "
		     "you mean --at LAT,LON with the numbers swapped?)"},
		    {"--name X --category food --at 37.7,-190",
		     "longitude '-190' is out of range"},
		    {"--category food --at 37.7,-122.4",
		     "add: add asset needs --name NAME"},
		    {"--name '  ' --category food --at 37.7,-122.4",
		     "add: --name: give a value, not an empty one"},
		    {"--name X --at 37.7,-122.4",
		     "add asset needs --category C"},
		    {"--name X --category food",
		     "add asset needs --at LAT,LON"},
		    {"--name X --category food --at 37.7,-122.4 --languages "
		     "spanish",
		     "--languages: 'spanish' is not an ISO 639-1 language "
		     "code"},
		    {"--name X --category food --at 37.7,-122.4 --programs "
		     "pizza",
		     "--programs: 'pizza' is not a Medi-Cal Community Support"},
		    {"--name X --category food --at 37.7,-122.4 extra",
		     "add: unexpected argument 'extra'"},
		};
		size_t i;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			char *args =
			    xasprintf("-d add.db add asset %s", bad[i].args);
			rc = test_run_cli(args, &out, &err);
			CHECK_INT(rc, 2);
			CHECK_STR(out, "");
			CHECK_CONTAINS(err, bad[i].msg);
			CHECK_CONTAINS(err, "(see 'assetmap help add')");
			free(args);
			free(out);
			free(err);
		}
	}
	rc = test_run_cli("-d add.db add building --name X", &out, &err);
	CHECK_INT(rc, 2);
	CHECK_CONTAINS(err,
		       "add: 'building' is not something I add; give 'asset'");
	free(out);
	free(err);
	md5b = test_md5_file(dbp);
	CHECK_STR(md5b, md5);
	free(md5);
	free(md5b);
	free(dbp);
}

int main(void)
{
	static const struct test tests[] = {TEST(test_norm_name),
					    TEST(test_fold),
					    TEST(test_norm_address),
					    TEST(test_distance),
					    TEST(test_writer_facts),
					    TEST(test_merge_rule),
					    TEST(test_merge_quality),
					    TEST(test_merge_off_and_by_hand),
					    TEST(test_merge_shared_food_sites),
					    TEST(test_xwalk_builtin),
					    TEST(test_xwalk_tally),
					    TEST(test_category_resolve),
					    TEST(test_ogr_category_unknown),
					    TEST(test_ogr_category_from),
					    TEST(test_encodings_ogr),
					    TEST(test_encodings_text),
					    TEST(test_add_cli),
					    {NULL, NULL}};

	return test_main("assets", tests);
}
