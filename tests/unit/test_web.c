/*
 * test_web.c - assetmap web: the static page of the demo county.
 *
 * The demo workspace (data/demo: tracts, county, indicators, assets and
 * the cohort of children with asthma, plus one informal asset with a
 * hostile name) is built once with the binary under test ($ASSETMAP);
 * each test writes a site and reads its files back: the data parsed as
 * JSON (json-c) and compared with the workspace by SQL, the files
 * searched for anything of the cohort and for network addresses, and,
 * when Debian's chromium starts, the page drawn headless and its pixels
 * and DOM checked.
 */
#include <json-c/json.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "testlib.h"

#define DEMO_DIR    TEST_SRCDIR "/data/demo"
#define LEAFLET_DIR "/usr/share/javascript/leaflet"

static const char hostile[] =
    "Tom's \"Pantry\" </script><script>alert(1)</script> & <b>x</b> "
    "\xe2\x80\xa8 end";

static char *ws_path;	 /* the demo workspace, built once */
static int ws_state = 0; /* 0 not tried, 1 built, -1 failed */

static int have_tools(void)
{
	const char *am = getenv("ASSETMAP");

	if (!am || access(am, X_OK) != 0) {
		test_skip("ASSETMAP (the binary under test) is not set");
		return 0;
	}
	if (access(LEAFLET_DIR "/leaflet.js", R_OK) != 0) {
		test_fail(__FILE__, __LINE__,
			  "libjs-leaflet is not installed (make deps)");
		return 0;
	}
	return 1;
}

/* The demo workspace with a coverage run (run 1) of the cohort. */
static const char *demo_ws(void)
{
	if (ws_state)
		return ws_state > 0 ? ws_path : NULL;
	ws_state = -1;
	if (!have_tools())
		return NULL;
	ws_path = xstrdup(test_path("demo.db"));
	setenv("HOSTILE", hostile, 1);
	if (test_sh(
		"A='%s'; D='%s'; W='%s'; set -e;"
		"$A -q -d $W init --crs EPSG:3310;"
		"$A -q -d $W import areas $D/tracts.geojson --level tract"
		" --geoid GEOID --name NAME;"
		"$A -q -d $W import areas $D/county.geojson --level county"
		" --geoid GEOID --name NAME;"
		"$A -q -d $W import indicators $D/indicators.csv"
		" --geoid GEOID --population population;"
		"$A -q -d $W import assets $D/assets.csv --lon lon --lat lat"
		" --name name --id id --category category --organization"
		" organization --address address --city city --zip zip"
		" --phone phone --hours hours --languages languages"
		" --capacity capacity --medi-cal accepts_medi_cal"
		" --programs programs;"
		"$A -q -d $W import cohort asthma-kids $D/cohort.csv"
		" --id person_id --keep age,language;"
		"$A -q -d $W add asset --name \"$HOSTILE\" --category food"
		" --at 37.05,-120.60 --phone '<555>' >/dev/null;"
		"$A -q -d $W coverage --cohort asthma-kids --category food"
		" --within 1mi >/dev/null",
		getenv("ASSETMAP"), DEMO_DIR, ws_path) != 0)
		return NULL;
	ws_state = 1;
	return ws_path;
}

/* Run assetmap web on the demo with extra args into site NAME; exit
 * code.  *err gets stderr when err is not NULL. */
static int web(const char *name, const char *extra, char **err)
{
	char *args = xasprintf("-q -d '%s' web -o '%s' %s", demo_ws(),
			       test_path(name), extra);
	char *out = NULL, *e = NULL;
	int rc = test_run_cli(args, &out, &e);

	free(args);
	free(out);
	if (err)
		*err = e;
	else
		free(e);
	return rc;
}

/* The JSON a data file assigns to global, parsed (NULL on failure). */
static json_object *data_file(const char *site, const char *file,
			      const char *global)
{
	char *path = xasprintf("%s/data/%s", test_path(site), file);
	char *text = test_slurp(path, NULL),
	     *pre = xasprintf("window.%s = ", global);
	json_object *j = NULL;
	size_t n;

	free(path);
	if (!text || strncmp(text, pre, strlen(pre)) != 0)
		goto cleanup;
	n = strlen(text);
	if (n < 2 || strcmp(text + n - 2, ";\n") != 0)
		goto cleanup;
	text[n - 2] = '\0';
	j = json_tokener_parse(text + strlen(pre));
cleanup:
	free(text);
	free(pre);
	return j;
}

static long long sql_int(const char *sql)
{
	struct core_ws *ws = NULL;
	struct core_err err = CORE_ERR_INIT;
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err) == CORE_OK &&
	    sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	core_ws_close(ws);
	return v;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

/* ---- the files -------------------------------------------------------- */

static void test_site_files(void)
{
	static const char *const files[] = {"index.html",
					    "data/assets.js",
					    "data/areas.js",
					    "leaflet/leaflet.js",
					    "leaflet/leaflet.css",
					    "leaflet/images/layers.png",
					    "leaflet/images/marker-icon.png",
					    NULL};
	char *err = NULL, *p;
	size_t i;

	if (!demo_ws())
		return;
	if (web("site", "", &err) != 0) {
		test_fail(__FILE__, __LINE__, "web failed: %s", err);
		free(err);
		return;
	}
	free(err);
	for (i = 0; files[i]; i++) {
		p = xasprintf("%s/%s", test_path("site"), files[i]);
		if (access(p, R_OK) != 0)
			test_fail(__FILE__, __LINE__, "no %s", files[i]);
		free(p);
	}
	p = xasprintf("%s/leaflet/leaflet.css", test_path("site"));
	if (!test_same_file(p, LEAFLET_DIR "/leaflet.css"))
		test_fail(__FILE__, __LINE__, "leaflet.css not Debian's");
	free(p);
	p = xasprintf("%s/index.html", test_path("site"));
	{
		char *html = test_slurp(p, NULL);

		if (!html || !strstr(html, "src=\"leaflet/leaflet.js\"") ||
		    !strstr(html, "src=\"data/assets.js\""))
			test_fail(__FILE__, __LINE__,
				  "index.html does not load leaflet and data");
		free(html);
	}
	free(p);
	/* nothing left beside it: no temporary directory */
	{
		char *left = test_sh_out("ls -a '%s' | grep -c assetmap-web",
					 test_tmpdir());

		if (atoi(left) != 0)
			test_fail(__FILE__, __LINE__, "temporaries left: %s",
				  left);
		free(left);
	}
}

/* ---- the assets ------------------------------------------------------- */

static void test_assets_data(void)
{
	static const char *const keys[] = {
	    "id",	 "name",     "categories", "community_supports",
	    "address",	 "phone",    "website",	   "hours",
	    "languages", "medi_cal", "capacity",   "formal",
	    "source",	 "date",     "lon",	   "lat",
	    NULL};
	json_object *j, *assets, *a, *v;
	size_t i, n, k, formal = 0, supports = 0, found = 0;
	long long want;

	if (!demo_ws() || (web("site_a", "", NULL) != 0 &&
			   (test_fail(__FILE__, __LINE__, "web failed"), 1)))
		return;
	j = data_file("site_a", "assets.js", "ASSETMAP_ASSETS");
	if (!j || !json_object_object_get_ex(j, "assets", &assets)) {
		test_fail(__FILE__, __LINE__, "assets.js is not JSON");
		json_object_put(j);
		return;
	}
	n = json_object_array_length(assets);
	want = sql_int("SELECT count(*) FROM assets WHERE geom IS NOT NULL");
	if ((long long)n != want || want != 401)
		test_fail(__FILE__, __LINE__,
			  "%zu assets written, %lld in the "
			  "workspace (400 + 1 added)",
			  n, want);
	for (i = 0; i < n; i++) {
		a = json_object_array_get_idx(assets, i);
		for (k = 0; keys[k]; k++)
			if (!json_object_object_get_ex(a, keys[k], &v)) {
				test_fail(__FILE__, __LINE__,
					  "asset %zu has no %s", i, keys[k]);
				goto done;
			}
		json_object_object_get_ex(a, "formal", &v);
		formal += json_object_get_boolean(v);
		json_object_object_get_ex(a, "community_supports", &v);
		supports += json_object_array_length(v) > 0;
		if (!strcmp(jstr(a, "name"), hostile)) {
			found++;
			if (strcmp(jstr(a, "phone"), "<555>") != 0)
				test_fail(__FILE__, __LINE__, "phone %s",
					  jstr(a, "phone"));
		}
	}
	if ((long long)formal != sql_int("SELECT count(*) FROM assets WHERE "
					 "formal = 1"))
		test_fail(__FILE__, __LINE__, "%zu formal", formal);
	if ((long long)supports !=
		sql_int(
		    "SELECT count(DISTINCT asset_id) FROM asset_programs ap "
		    "JOIN programs p ON p.code = ap.program WHERE p.kind = "
		    "'community_support'") ||
	    supports == 0)
		test_fail(__FILE__, __LINE__, "%zu with Community Supports",
			  supports);
	if (found != 1)
		test_fail(__FILE__, __LINE__, "hostile name found %zu times",
			  found);
	/* asset 1 field by field against the workspace */
	a = json_object_array_get_idx(assets, 0);
	if (strcmp(jstr(a, "name"), "Alderton Counseling Center") ||
	    strcmp(jstr(a, "phone"), "(209) 555-0115") ||
	    strcmp(jstr(a, "source"), "assets.csv") ||
	    strcmp(jstr(a, "address"), "3231 Railroad Ave, Alderton 95992"))
		test_fail(__FILE__, __LINE__, "asset 1: %s",
			  json_object_to_json_string(a));
	json_object_object_get_ex(a, "lon", &v);
	if (fabs(json_object_get_double(v) -
		 sql_int("SELECT round(X(geom) * 1e6) FROM assets WHERE id = "
			 "1") /
		     1e6) > 1e-9)
		test_fail(__FILE__, __LINE__, "asset 1 lon %f",
			  json_object_get_double(v));
done:
	json_object_put(j);
}

/* The hostile name never appears raw: no '<' at all in the data, no
 * "</script" anywhere in the site's own files. */
static void test_hostile_escaped(void)
{
	static const char *const files[] = {"data/assets.js", "data/areas.js",
					    "index.html", NULL};
	size_t i;

	if (!demo_ws() || (web("site_h", "--title '</script>T'", NULL) != 0 &&
			   (test_fail(__FILE__, __LINE__, "web failed"), 1)))
		return;
	for (i = 0; files[i]; i++) {
		char *p = xasprintf("%s/%s", test_path("site_h"), files[i]);
		char *s = test_slurp(p, NULL);
		const char *q;
		int scripts = 0;

		if (!s) {
			test_fail(__FILE__, __LINE__, "cannot read %s",
				  files[i]);
			free(p);
			continue;
		}
		if (i < 2 &&
		    (strchr(s, '<') || strchr(s, '>') ||
		     strstr(s, "alert(1)</") || strstr(s, "\xe2\x80\xa8")))
			test_fail(__FILE__, __LINE__, "%s has a raw < or >",
				  files[i]);
		if (i < 2 && !strstr(s, "\\u003c/script\\u003e") && i == 0)
			test_fail(__FILE__, __LINE__, "escaped name not in %s",
				  files[i]);
		for (q = s; (q = strstr(q, "</script")); q++)
			scripts++;
		if (i == 2 && scripts != 4) /* leaflet, 2 data, the page */
			test_fail(__FILE__, __LINE__,
				  "index.html has %d </script", scripts);
		if (i == 2 && strstr(s, "alert"))
			test_fail(__FILE__, __LINE__, "data in index.html");
		free(s);
		free(p);
	}
	{
		json_object *j =
		    data_file("site_h", "areas.js", "ASSETMAP_AREAS");

		if (!j || strcmp(jstr(j, "title"), "</script>T"))
			test_fail(__FILE__, __LINE__, "title not kept");
		json_object_put(j);
	}
}

/* ---- privacy ---------------------------------------------------------- */

/* Nothing of the cohort: its name, its file, any member's location. */
static void test_no_cohort(void)
{
	struct core_ws *ws = NULL;
	struct core_err e = CORE_ERR_INIT;
	sqlite3_stmt *st = NULL;
	char *all, *hits;
	size_t members = 0, found = 0;

	if (!demo_ws() || (web("site_c", "--layer 1:n", NULL) != 0 &&
			   (test_fail(__FILE__, __LINE__, "web failed"), 1)))
		return;
	hits = test_sh_out("grep -rl -e cohort.csv -e asthma -e person_id "
			   "'%s' | wc -l",
			   test_path("site_c"));
	if (atoi(hits) != 0)
		test_fail(__FILE__, __LINE__, "cohort named in %s files", hits);
	free(hits);
	all = test_sh_out("cat '%s/data/assets.js' '%s/data/areas.js' "
			  "'%s/index.html'",
			  test_path("site_c"), test_path("site_c"),
			  test_path("site_c"));
	if (strlen(all) < 1000)
		test_fail(__FILE__, __LINE__, "site too small");
	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &e) != CORE_OK ||
	    sqlite3_prepare_v2(ws->db,
			       "SELECT printf('%.6f', X(geom)), "
			       "printf('%.6f', Y(geom)) FROM cohort_members "
			       "WHERE geom IS NOT NULL",
			       -1, &st, NULL) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "cannot read the members");
		goto cleanup;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		char lon[64], lat[64], *pair;
		size_t n;

		snprintf(lon, sizeof(lon), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(lat, sizeof(lat), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		/* as the page writes numbers: trailing zeros dropped */
		for (n = strlen(lon); n > 1 && lon[n - 1] == '0'; n--)
			lon[n - 1] = '\0';
		for (n = strlen(lat); n > 1 && lat[n - 1] == '0'; n--)
			lat[n - 1] = '\0';
		pair = xasprintf("%s,%s", lon, lat);
		members++;
		found += strstr(all, pair) != NULL;
		free(pair);
		pair = xasprintf("%s,\"lat\":%s", lon, lat);
		found += strstr(all, pair) != NULL;
		free(pair);
	}
	if (members < 1000 || found)
		test_fail(__FILE__, __LINE__,
			  "%zu members, %zu locations in the page", members,
			  found);
cleanup:
	sqlite3_finalize(st);
	core_ws_close(ws);
	free(all);
}

/* --layer of a cohort count: no value from 1 to 10; every area whose
 * count is 1..10 suppressed; every value shown equal to the stored
 * one. */
static void check_layer(const char *site, const char *column)
{
	json_object *j, *areas, *feats, *f, *props, *v;
	size_t i, n, small = 0, hidden = 0;
	char *sql;

	j = data_file(site, "areas.js", "ASSETMAP_AREAS");
	if (!j || !json_object_object_get_ex(j, "areas", &areas) ||
	    !json_object_object_get_ex(areas, "features", &feats)) {
		test_fail(__FILE__, __LINE__, "%s: areas.js not JSON", site);
		json_object_put(j);
		return;
	}
	n = json_object_array_length(feats);
	if ((long long)n !=
	    sql_int("SELECT count(*) FROM areas WHERE level = 'tract'"))
		test_fail(__FILE__, __LINE__, "%zu areas", n);
	for (i = 0; i < n; i++) {
		long long raw;
		int supp = 0;

		f = json_object_array_get_idx(feats, i);
		json_object_object_get_ex(f, "properties", &props);
		if (json_object_object_get_ex(props, "suppressed", &v))
			supp = json_object_get_boolean(v);
		sql = xasprintf("SELECT coalesce(value, -1) FROM results_area "
				"WHERE run_id = 1 AND name = '%s' AND geoid = "
				"'%s'",
				column, jstr(props, "geoid"));
		raw = sql_int(sql);
		free(sql);
		json_object_object_get_ex(props, "value", &v);
		if (raw >= 1 && raw <= 10) {
			small++;
			if (!supp || v)
				test_fail(__FILE__, __LINE__,
					  "%s %s: count %lld shown", column,
					  jstr(props, "geoid"), raw);
		}
		if (supp) {
			hidden++;
			if (v)
				test_fail(__FILE__, __LINE__, "value kept");
		} else if (v) {
			double x = json_object_get_double(v);

			if ((x >= 1 && x <= 10) || x != (double)raw)
				test_fail(__FILE__, __LINE__,
					  "%s %s: %g, stored %lld", column,
					  jstr(props, "geoid"), x, raw);
		}
	}
	if (small == 0 || hidden < small)
		test_fail(__FILE__, __LINE__, "%s: %zu small, %zu hidden",
			  column, small, hidden);
	json_object_put(j);
}

static void test_layer_suppressed(void)
{
	char *err = NULL;

	if (!demo_ws())
		return;
	if (web("site_n", "--layer 1:n", &err) != 0)
		test_fail(__FILE__, __LINE__, "web --layer: %s", err);
	free(err);
	check_layer("site_n", "n");
	if (web("site_cf", "--layer coverage:covered_food", NULL) != 0)
		test_fail(__FILE__, __LINE__, "web --layer coverage:");
	check_layer("site_cf", "covered_food");
}

/* --indicator: the values of the indicators table, and the outline. */
static void test_indicator(void)
{
	json_object *j, *areas, *feats, *f, *props, *v, *o;
	size_t i, n, checked = 0;

	if (!demo_ws() || (web("site_i", "--indicator svi", NULL) != 0 &&
			   (test_fail(__FILE__, __LINE__, "web failed"), 1)))
		return;
	j = data_file("site_i", "areas.js", "ASSETMAP_AREAS");
	if (!j || !json_object_object_get_ex(j, "areas", &areas) ||
	    !json_object_object_get_ex(areas, "features", &feats)) {
		test_fail(__FILE__, __LINE__, "areas.js not JSON");
		json_object_put(j);
		return;
	}
	if (!json_object_object_get_ex(j, "outline", &o) || !o ||
	    strcmp(jstr(o, "type"), "MultiPolygon"))
		test_fail(__FILE__, __LINE__, "no outline");
	n = json_object_array_length(feats);
	for (i = 0; i < n; i++) {
		double want;
		char *sql;

		f = json_object_array_get_idx(feats, i);
		json_object_object_get_ex(f, "properties", &props);
		if (!json_object_object_get_ex(props, "value", &v) || !v)
			continue;
		sql = xasprintf("SELECT round(value * 1e6) FROM indicators "
				"WHERE name = 'svi' AND geoid = '%s'",
				jstr(props, "geoid"));
		want = (double)sql_int(sql) / 1e6;
		free(sql);
		if (fabs(json_object_get_double(v) - want) > 1.5e-6)
			test_fail(__FILE__, __LINE__, "%s: %g, stored %g",
				  jstr(props, "geoid"),
				  json_object_get_double(v), want);
		checked++;
	}
	if (checked < 150)
		test_fail(__FILE__, __LINE__, "%zu values", checked);
	json_object_put(j);
}

/* ---- the network ------------------------------------------------------ */

static void test_no_network(void)
{
	char *hits;

	if (!demo_ws() || (web("site_i2", "--indicator svi", NULL) != 0 &&
			   (test_fail(__FILE__, __LINE__, "web failed"), 1)))
		return;
	/* the page, the data and Leaflet's stylesheet: no address to load;
	 * (leaflet.js holds its own home page in a link it never loads, and
	 * the page turns its attribution off) */
	hits =
	    test_sh_out("cd '%s' && cat index.html data/assets.js "
			"data/areas.js leaflet/leaflet.css "
			"| grep -c -i -e 'https\\?://' -e '=\"//' -e 'url(//'",
			test_path("site_i2"));
	if (atoi(hits) != 0)
		test_fail(__FILE__, __LINE__, "%s lines with an address", hits);
	free(hits);
	if (web("site_t", "--tiles 'https://tile.example.org/{z}/{x}/{y}.png'",
		NULL) != 0)
		test_fail(__FILE__, __LINE__, "web --tiles failed");
	hits = test_sh_out("grep -c 'https://tile.example.org/{z}' "
			   "'%s/data/areas.js'",
			   test_path("site_t"));
	if (atoi(hits) != 1)
		test_fail(__FILE__, __LINE__, "tiles URL not in the data");
	free(hits);
}

/* ---- errors ----------------------------------------------------------- */

static void test_errors(void)
{
	char *err = NULL, *cmd, *left;
	int rc;

	if (!demo_ws())
		return;
	/* over the workspace: usage, exit 2, the workspace intact */
	cmd = xasprintf("-q -d '%s' web -o '%s'", ws_path, ws_path);
	rc = test_run_cli(cmd, NULL, &err);
	if (rc != 2 || !strstr(err, "workspace"))
		test_fail(__FILE__, __LINE__, "over the workspace: %d %s", rc,
			  err);
	free(cmd);
	free(err);
	if (sql_int("SELECT count(*) FROM assets") != 401)
		test_fail(__FILE__, __LINE__, "workspace damaged");
	/* a directory of someone else's: refused, untouched */
	test_sh("mkdir -p '%s' && echo mine > '%s/notes.txt'",
		test_path("theirs"), test_path("theirs"));
	rc = web("theirs", "", &err);
	if (rc != 1 || !strstr(err, "not a site"))
		test_fail(__FILE__, __LINE__, "other dir: %d %s", rc, err);
	free(err);
	left = test_sh_out("ls -A '%s'", test_path("theirs"));
	if (strcmp(left, "notes.txt\n"))
		test_fail(__FILE__, __LINE__, "other dir changed: %s", left);
	free(left);
	/* Leaflet missing: exit 1 naming the package, nothing written */
	setenv("ASSETMAP_LEAFLET", test_path("no-leaflet"), 1);
	rc = web("site_nl", "", &err);
	unsetenv("ASSETMAP_LEAFLET");
	if (rc != 1 || !strstr(err, "libjs-leaflet"))
		test_fail(__FILE__, __LINE__, "no leaflet: %d %s", rc, err);
	free(err);
	if (access(test_path("site_nl"), F_OK) == 0)
		test_fail(__FILE__, __LINE__, "site written without leaflet");
	/* a bad column: exit 1, the columns listed, nothing written */
	rc = web("site_bad", "--layer 1:nn", &err);
	if (rc != 1 || !strstr(err, "covered_food"))
		test_fail(__FILE__, __LINE__, "bad column: %d %s", rc, err);
	free(err);
	rc = web("site_bad", "--layer 1:n --indicator svi", &err);
	if (rc != 2)
		test_fail(__FILE__, __LINE__, "both shades: %d %s", rc, err);
	free(err);
	if (access(test_path("site_bad"), F_OK) == 0)
		test_fail(__FILE__, __LINE__, "site written after an error");
	/* a site of an earlier run is replaced whole */
	if (web("site_r", "--indicator svi", NULL) != 0 ||
	    web("site_r", "", NULL) != 0) {
		test_fail(__FILE__, __LINE__, "writing twice failed");
	} else {
		json_object *j =
		    data_file("site_r", "areas.js", "ASSETMAP_AREAS");
		json_object *s = NULL;

		if (!j || !json_object_object_get_ex(j, "shade", &s) || s)
			test_fail(__FILE__, __LINE__, "old site kept");
		json_object_put(j);
	}
	/* an earlier site holding a workspace is not replaced */
	if (web("site_w", "", NULL) != 0 ||
	    test_sh("cp '%s' '%s/ws.db'", ws_path, test_path("site_w")) != 0) {
		test_fail(__FILE__, __LINE__, "cannot make site_w");
	} else {
		cmd = xasprintf("-q -d '%s/ws.db' web -o '%s'",
				test_path("site_w"), test_path("site_w"));
		rc = test_run_cli(cmd, NULL, &err);
		if (rc != 2 || !strstr(err, "holds the workspace"))
			test_fail(__FILE__, __LINE__, "site with ws: %d %s", rc,
				  err);
		free(cmd);
		free(err);
		cmd = xasprintf("%s/ws.db", test_path("site_w"));
		if (access(cmd, F_OK) != 0)
			test_fail(__FILE__, __LINE__, "workspace removed");
		free(cmd);
	}
	left = test_sh_out("ls -A '%s' | grep -c assetmap-web", test_tmpdir());
	if (atoi(left) != 0)
		test_fail(__FILE__, __LINE__, "temporaries left");
	free(left);
}

/* ---- in a browser ----------------------------------------------------- */

static int chromium_ok(void)
{
	char *v = test_popen("chromium --version 2>/dev/null");
	int ok = v && strstr(v, "Chromium");

	free(v);
	if (!ok)
		test_skip("chromium cannot start here (apt-get install "
			  "chromium)");
	return ok;
}

static void test_browser(void)
{
	cairo_surface_t *s;
	unsigned char *px;
	int x, y, w, h, stride, inked = 0, total = 0;
	char *dom, *shot;
	const char *p;
	int items = 0;

	if (!demo_ws() || !chromium_ok())
		return;
	if (web("site_b", "--layer 1:n", NULL) != 0) {
		test_fail(__FILE__, __LINE__, "web failed");
		return;
	}
	shot = xasprintf("%s/shot.png", test_tmpdir());
	test_sh("cd '%s' && timeout 120 chromium --headless --disable-gpu "
		"--no-sandbox --user-data-dir='%s/chrome' "
		"--window-size=1000,700 --virtual-time-budget=5000 "
		"--screenshot='%s' 'file://%s/index.html' >/dev/null "
		"2>&1",
		test_tmpdir(), test_tmpdir(), shot, test_path("site_b"));
	s = cairo_image_surface_create_from_png(shot);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		test_fail(__FILE__, __LINE__, "no screenshot");
		goto dom;
	}
	w = cairo_image_surface_get_width(s);
	h = cairo_image_surface_get_height(s);
	stride = cairo_image_surface_get_stride(s);
	px = cairo_image_surface_get_data(s);
	/* the map: right of the list (24em, under 45%), the middle of it */
	for (y = h / 4; y < 3 * h / 4; y++)
		for (x = w / 2; x < 9 * w / 10; x++) {
			uint32_t c = *(uint32_t *)(px + y * stride + 4 * x);

			total++;
			inked += (c & 0xffffff) != 0xffffff;
		}
	if (inked < total / 2)
		test_fail(__FILE__, __LINE__,
			  "map region mostly white: %d of %d", inked, total);
	cairo_surface_destroy(s);
dom:
	dom = test_sh_out("cd '%s' && timeout 120 chromium --headless "
			  "--disable-gpu --no-sandbox "
			  "--user-data-dir='%s/chrome' "
			  "--virtual-time-budget=5000 --dump-dom "
			  "'file://%s/index.html' 2>/dev/null",
			  test_tmpdir(), test_tmpdir(), test_path("site_b"));
	for (p = dom; (p = strstr(p, "<li class=\"asset\"")); p++)
		items++;
	if (items != 401 || !strstr(dom, "401 of 401 assets"))
		test_fail(__FILE__, __LINE__, "list has %d items", items);
	/* the hostile name is text, not markup */
	if (strstr(dom, "<script>alert(1)") ||
	    !strstr(dom, "Tom's \"Pantry\" &lt;/script&gt;"))
		test_fail(__FILE__, __LINE__, "hostile name not as text");
	free(dom);
	free(shot);
}

static void test_help(void)
{
	char *out = NULL, *err = NULL;

	if (!have_tools())
		return;
	if (test_run_cli("web --help", &out, &err) != 0 ||
	    strncmp(out, "usage: assetmap", 15) || !strstr(out, "--tiles"))
		test_fail(__FILE__, __LINE__, "web --help: %s", out);
	free(out);
	free(err);
}

static const struct test tests[] = {TEST(test_help),
				    TEST(test_site_files),
				    TEST(test_assets_data),
				    TEST(test_hostile_escaped),
				    TEST(test_no_cohort),
				    TEST(test_layer_suppressed),
				    TEST(test_indicator),
				    TEST(test_no_network),
				    TEST(test_errors),
				    TEST(test_browser),
				    {0}};

int main(void)
{
	int rc = test_main("web", tests);

	free(ws_path);
	test_libs_shutdown();
	return rc;
}
