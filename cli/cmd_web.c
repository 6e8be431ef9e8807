/*
 * cmd_web.c - assetmap web: the directory as a static web page.
 *
 * Writes DIR/index.html, DIR/data/assets.js (the assets as a directory
 * shows them), DIR/data/areas.js (the areas of one level with their
 * outline and, optionally, one choropleth) and Leaflet copied from
 * Debian's libjs-leaflet into DIR/leaflet/.  The data are JavaScript
 * files that assign one global each (window.ASSETMAP_ASSETS,
 * window.ASSETMAP_AREAS), because a page opened from disk (file://) may
 * not fetch() JSON; the right-hand side of each is plain JSON.
 *
 * Nothing of a cohort is written: no member, no cohort or file name; a
 * choropleth of a run's per-area column goes through
 * core_result_table_load, which suppresses cohort counts of 1 to 10 (and
 * what would reveal them) as every output does.
 *
 * Everything is written into a temporary directory beside DIR and
 * renamed to DIR at the end; a DIR written by an earlier 'assetmap web'
 * (it holds the marker file .assetmap-web) is swapped out atomically and
 * removed, any other existing DIR is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "core/core_err.h"
#include "core/core_mem.h"
#include "core/core_out.h"
#include "core/core_result.h"
#include "geo/geo_dissolve.h"
#include "geo/geo_load.h"
#include "render/render_indicator.h"

#define CMD	    "web"
#define LEAFLET_DIR "/usr/share/javascript/leaflet"
#define MARKER	    ".assetmap-web"

struct web_opts {
	const char *output, *level, *layer, *indicator, *tiles, *title;
};

#define O struct web_opts

const struct cli_opt cmd_web_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] web -o DIR [--level L]\n"
	"                [--indicator NAME | --layer RUN:COLUMN] [--tiles "
	"URL]\n"
	"                [--title T]\n"
	"\n"
	"Write the directory as a static web page into DIR: index.html, the\n"
	"assets (name, categories, Community Supports, address, phone, "
	"website,\n"
	"hours, languages, Medi-Cal, capacity, formal or informal, source and\n"
	"date) in data/assets.js, the areas of one level and their outline in\n"
	"data/areas.js, and Leaflet (Debian's libjs-leaflet) in leaflet/.  "
	"The\n"
	"page works opened from disk (file://) and from any static host; it\n"
	"loads nothing from the network unless --tiles names a background "
	"map.\n"
	"No cohort data are written; a choropleth of a result shows cohort\n"
	"counts of 1 to 10 as \"<11\", as every output does.\n"
	"\n"
	"DIR must not exist, or be a directory an earlier 'assetmap web' "
	"wrote\n"
	"(it is then replaced whole).\n"
	"\n"),
    CLI_OPT_STRING("output", 'o', "DIR", O, output,
		   "the directory to write (required)"),
    CLI_OPT_STRING("level", 0, "L", O, level,
		   "the areas drawn: tract, county, ... (default: tract\n"
		   "when the workspace has tracts, else the level with\n"
		   "the most areas)"),
    CLI_OPT_STRING("indicator", 0, "NAME", O, indicator,
		   "shade the areas by an indicator"),
    CLI_OPT_STRING("layer", 0, "RUN:COLUMN", O, layer,
		   "shade the areas by a per-area column of a stored\n"
		   "result (run number, 'last' or analysis name)"),
    CLI_OPT_STRING("tiles", 0, "URL", O, tiles,
		   "a background map's tile URL ({z}/{x}/{y}); off by\n"
		   "default"),
    CLI_OPT_STRING("title", 0, "T", O, title,
		   "the page's title (default \"Community assets\")"),
    CLI_OPT_TEXT("\n"
		 "environment:\n"
		 "  ASSETMAP_LEAFLET     where Leaflet is (default " LEAFLET_DIR
		 ")\n"
		 "\n"
		 "examples:\n"
		 "  assetmap web -o site\n"
		 "  assetmap web -o site --indicator svi\n"
		 "  assetmap web -o site --layer coverage:covered_food\n"),
    CLI_OPT_END()};

#undef O

/* ---- JSON text -------------------------------------------------------- */

/* s as a JSON string safe inside HTML and JS as well: quotes,
 * backslashes and control characters escaped, and <, >, & and the JS
 * line separators U+2028/2029 as \u escapes, so no "</script>" or
 * "<!--" can ever appear.  NULL gives null. */
static void js_str(struct core_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		core_buf_adds(b, "null");
		return;
	}
	core_buf_addc(b, '"');
	for (; *p; p++) {
		if (*p == '"' || *p == '\\') {
			core_buf_addc(b, '\\');
			core_buf_addc(b, (char)*p);
		} else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&' ||
			   *p == '\'' || *p == 0x7f) {
			core_buf_addf(b, "\\u%04x", *p);
		} else if (p[0] == 0xe2 && p[1] == 0x80 &&
			   (p[2] == 0xa8 || p[2] == 0xa9)) {
			core_buf_addf(b, "\\u%04x",
				      p[2] == 0xa8 ? 0x2028 : 0x2029);
			p += 2;
		} else {
			core_buf_addc(b, (char)*p);
		}
	}
	core_buf_addc(b, '"');
}

/* A number with at most 6 decimals, trailing zeros dropped; NaN gives
 * null. */
static void js_num(struct core_buf *b, double v)
{
	char t[64];
	size_t n;

	if (!isfinite(v)) {
		core_buf_adds(b, "null");
		return;
	}
	snprintf(t, sizeof(t), "%.6f", v);
	n = strlen(t);
	while (n > 1 && t[n - 1] == '0')
		n--;
	if (t[n - 1] == '.')
		n--;
	t[n] = '\0';
	if (!strcmp(t, "-0"))
		strcpy(t, "0");
	core_buf_adds(b, t);
}

/* A comma-separated list as a JSON array of its trimmed items. */
static void js_list(struct core_buf *b, const char *s)
{
	const char *p = s ? s : "";
	int first = 1;

	core_buf_addc(b, '[');
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *item;

		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n) {
			item = xasprintf("%.*s", (int)n, p);
			if (!first)
				core_buf_addc(b, ',');
			js_str(b, item);
			free(item);
			first = 0;
		}
		p = e ? e + 1 : p + strlen(p);
	}
	core_buf_addc(b, ']');
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int db_fail(struct core_err *err, sqlite3 *db)
{
	return core_err_set(err, CORE_EDB, "reading the workspace: %s",
			    sqlite3_errmsg(db));
}

/* ---- the assets ------------------------------------------------------- */

/* The categories and every asset with a location, as the JSON object
 * {"categories":[...],"assets":[...]}; *n the number of assets. */
static int assets_json(struct core_ws *ws, struct core_buf *b, size_t *n,
		       struct core_err *err)
{
	static const char cat_sql[] =
	    "SELECT code, name, color FROM categories ORDER BY sort, code";
	static const char sql[] =
	    "SELECT a.id, a.name, a.organization, a.address, a.city, a.state,"
	    " a.zip, a.phone, a.website, a.hours, a.languages,"
	    " a.accepts_medi_cal, a.capacity, a.formal, X(a.geom), Y(a.geom),"
	    " s.name, substr(s.imported_at, 1, 10),"
	    " (SELECT group_concat(category, ',') FROM (SELECT category FROM"
	    "  asset_categories WHERE asset_id = a.id ORDER BY category)),"
	    " (SELECT group_concat(name, '|') FROM (SELECT p.name FROM"
	    "  asset_programs ap JOIN programs p ON p.code = ap.program"
	    "  WHERE ap.asset_id = a.id AND p.kind = 'community_support'"
	    "  ORDER BY p.sort, p.name))"
	    " FROM assets a LEFT JOIN sources s ON s.id = a.source_id"
	    " WHERE a.geom IS NOT NULL ORDER BY a.id";
	sqlite3_stmt *st = NULL;
	int rc = CORE_OK, s, first = 1;

	*n = 0;
	core_buf_adds(b, "{\"categories\":[");
	if (sqlite3_prepare_v2(ws->db, cat_sql, -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(err, ws->db);
		goto cleanup;
	}
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		core_buf_adds(b, first ? "{\"code\":" : ",{\"code\":");
		js_str(b, col_text(st, 0));
		core_buf_adds(b, ",\"name\":");
		js_str(b, col_text(st, 1));
		core_buf_adds(b, ",\"color\":");
		js_str(b, col_text(st, 2));
		core_buf_addc(b, '}');
		first = 0;
	}
	if (s != SQLITE_DONE) {
		rc = db_fail(err, ws->db);
		goto cleanup;
	}
	sqlite3_finalize(st);
	st = NULL;
	core_buf_adds(b, "],\"assets\":[");
	if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(err, ws->db);
		goto cleanup;
	}
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		struct core_buf addr = {0};
		const char *zip = col_text(st, 6), *supports = col_text(st, 19);
		int k;

		/* "street, city, ST zip" from the parts present */
		for (k = 3; k <= 5; k++) {
			const char *part = col_text(st, k);

			if (!part || !*part)
				continue;
			if (addr.len)
				core_buf_adds(&addr, ", ");
			core_buf_adds(&addr, part);
		}
		if (zip && *zip) {
			if (addr.len)
				core_buf_addc(&addr, ' ');
			core_buf_adds(&addr, zip);
		}
		core_buf_adds(b, *n ? ",\n{\"id\":" : "\n{\"id\":");
		core_buf_addf(b, "%lld",
			      (long long)sqlite3_column_int64(st, 0));
		core_buf_adds(b, ",\"name\":");
		js_str(b, col_text(st, 1));
		core_buf_adds(b, ",\"organization\":");
		js_str(b, col_text(st, 2));
		core_buf_adds(b, ",\"lon\":");
		js_num(b, sqlite3_column_double(st, 14));
		core_buf_adds(b, ",\"lat\":");
		js_num(b, sqlite3_column_double(st, 15));
		core_buf_adds(b, ",\"categories\":");
		js_list(b, col_text(st, 18));
		core_buf_adds(b, ",\"community_supports\":[");
		if (supports) {
			char *dup = xstrdup(supports), *save = NULL, *tok;
			int f = 1;

			for (tok = strtok_r(dup, "|", &save); tok;
			     tok = strtok_r(NULL, "|", &save)) {
				if (!f)
					core_buf_addc(b, ',');
				js_str(b, tok);
				f = 0;
			}
			free(dup);
		}
		core_buf_adds(b, "],\"address\":");
		js_str(b, addr.len ? core_buf_str(&addr) : NULL);
		core_buf_release(&addr);
		core_buf_adds(b, ",\"phone\":");
		js_str(b, col_text(st, 7));
		core_buf_adds(b, ",\"website\":");
		js_str(b, col_text(st, 8));
		core_buf_adds(b, ",\"hours\":");
		js_str(b, col_text(st, 9));
		core_buf_adds(b, ",\"languages\":");
		js_list(b, col_text(st, 10));
		core_buf_adds(b, ",\"medi_cal\":");
		core_buf_adds(b, sqlite3_column_type(st, 11) == SQLITE_NULL
				     ? "null"
				 : sqlite3_column_int(st, 11) ? "true"
							      : "false");
		core_buf_adds(b, ",\"capacity\":");
		if (sqlite3_column_type(st, 12) == SQLITE_NULL)
			core_buf_adds(b, "null");
		else
			js_num(b, sqlite3_column_double(st, 12));
		core_buf_adds(b, ",\"formal\":");
		core_buf_adds(b, sqlite3_column_int(st, 13) ? "true" : "false");
		core_buf_adds(b, ",\"source\":");
		js_str(b, col_text(st, 16));
		core_buf_adds(b, ",\"date\":");
		js_str(b, col_text(st, 17));
		core_buf_addc(b, '}');
		(*n)++;
	}
	if (s != SQLITE_DONE) {
		rc = db_fail(err, ws->db);
		goto cleanup;
	}
	core_buf_adds(b, "\n]}");
cleanup:
	sqlite3_finalize(st);
	return rc;
}

/* ---- the areas -------------------------------------------------------- */

/* Area i of a as a GeoJSON MultiPolygon geometry, lon/lat. */
static void geometry_json(struct core_buf *b, const struct geo_areas *a,
			  size_t i)
{
	size_t p, r, k;

	core_buf_adds(b, "{\"type\":\"MultiPolygon\",\"coordinates\":[");
	for (p = a->part_start[i]; p < a->part_start[i + 1]; p++) {
		if (p > a->part_start[i])
			core_buf_addc(b, ',');
		core_buf_addc(b, '[');
		for (r = a->ring_start[p]; r < a->ring_start[p + 1]; r++) {
			if (r > a->ring_start[p])
				core_buf_addc(b, ',');
			core_buf_addc(b, '[');
			for (k = a->pt_start[r]; k < a->pt_start[r + 1]; k++) {
				core_buf_adds(b,
					      k > a->pt_start[r] ? ",[" : "[");
				js_num(b, a->x[k]);
				core_buf_addc(b, ',');
				js_num(b, a->y[k]);
				core_buf_addc(b, ']');
			}
			core_buf_addc(b, ']');
		}
		core_buf_addc(b, ']');
	}
	core_buf_adds(b, "]}");
}

/* The level drawn: the one asked for, else tract when there are tracts,
 * else the level with the most areas; *level NULL when there are none. */
static int pick_level(struct core_ws *ws, const char *asked, char **level,
		      struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = CORE_OK, s;

	*level = NULL;
	if (sqlite3_prepare_v2(ws->db,
			       "SELECT level, count(*) FROM areas GROUP BY "
			       "level ORDER BY level = 'tract' DESC, "
			       "count(*) DESC, level",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(err, ws->db);
		goto cleanup;
	}
	{
		struct core_buf have = {0};
		int found = 0;

		while ((s = sqlite3_step(st)) == SQLITE_ROW) {
			const char *l = col_text(st, 0);

			if (!*level && !asked)
				*level = xstrdup(l);
			if (asked && !strcmp(asked, l))
				found = 1;
			core_buf_addf(&have, "%s%s", have.len ? ", " : "", l);
		}
		if (s != SQLITE_DONE) {
			core_buf_release(&have);
			rc = db_fail(err, ws->db);
			goto cleanup;
		}
		if (asked && !found)
			rc = core_err_set(
			    err, CORE_ENOTFOUND,
			    "--level %s: the workspace has no "
			    "areas of that level (it has: %s)",
			    asked, have.len ? core_buf_str(&have) : "no areas");
		else if (asked)
			*level = xstrdup(asked);
		core_buf_release(&have);
	}
cleanup:
	sqlite3_finalize(st);
	return rc;
}

/* What shades the areas: values by area (NaN none), suppressed flags. */
struct shade {
	char *name, *label;
	double *v;
	unsigned char *hidden;
};

/* --layer RUN:COLUMN: the column's values on a's areas, suppressed as
 * core_result_table_load says.  *level_of gets the run's level. */
static int shade_layer(struct core_ws *ws, const char *spec, char **level_of,
		       struct core_result_table **tab, size_t *col,
		       struct core_err *err)
{
	const char *colon = strrchr(spec, ':');
	char *run = NULL;
	int64_t id;
	size_t c;
	int rc = CORE_OK;

	*tab = NULL;
	if (!colon || colon == spec || !colon[1]) {
		rc = core_err_set(err, CORE_EUSAGE,
				  "--layer '%s': give RUN:COLUMN (e.g. "
				  "coverage:covered_food)",
				  spec);
		goto cleanup;
	}
	run = xasprintf("%.*s", (int)(colon - spec), spec);
	if ((rc = core_run_find(ws, run, &id, err)) ||
	    (rc = core_result_table_load(ws, id, tab, err)))
		goto cleanup;
	for (c = 0; c < (*tab)->ncols; c++)
		if (!strcmp((*tab)->name[c], colon + 1))
			break;
	if (c == (*tab)->ncols) {
		struct core_buf have = {0};

		for (c = 0; c < (*tab)->ncols; c++)
			core_buf_addf(&have, "%s%s", c ? ", " : "",
				      (*tab)->name[c]);
		rc = core_err_set(err, CORE_ENOTFOUND,
				  "--layer %s: run %lld has no column '%s' "
				  "(it has: %s)",
				  spec, (long long)id, colon + 1,
				  have.len ? core_buf_str(&have) : "none");
		core_buf_release(&have);
		goto cleanup;
	}
	*col = c;
	*level_of = xstrdup((*tab)->level ? (*tab)->level : "tract");
cleanup:
	if (rc) {
		core_result_table_free(*tab);
		*tab = NULL;
	}
	free(run);
	return rc;
}

static int cmp_geoid(const void *k, const void *e)
{
	return strcmp((const char *)k, *(char *const *)e);
}

/* The areas, their outline and the choropleth as one JSON object. */
static int areas_json(const struct geo_areas *a, const struct shade *sh,
		      const char *level, const char *title, const char *tiles,
		      struct core_buf *b, struct core_err *err)
{
	struct geo_areas *outline = NULL;
	int *group = NULL;
	size_t i;
	int rc = CORE_OK;

	core_buf_adds(b, "{\"title\":");
	js_str(b, title);
	core_buf_adds(b, ",\"tiles\":");
	js_str(b, tiles);
	core_buf_adds(b, ",\"level\":");
	js_str(b, level);
	core_buf_adds(b, ",\"shade\":");
	if (sh->v) {
		core_buf_adds(b, "{\"name\":");
		js_str(b, sh->name);
		core_buf_adds(b, ",\"label\":");
		js_str(b, sh->label);
		core_buf_adds(b, ",\"suppressed_text\":\"\\u003c11\"}");
	} else {
		core_buf_adds(b, "null");
	}
	core_buf_adds(b, ",\"outline\":");
	if (a && a->n) {
		const char *key = "outline";

		group = xcalloc(a->n, sizeof(*group));
		if ((rc = geo_areas_dissolve(a, group, 1, &key, 1e-7, 0.0,
					     &outline, err)))
			goto cleanup;
		geometry_json(b, outline, 0);
	} else {
		core_buf_adds(b, "null");
	}
	core_buf_adds(b, ",\"areas\":{\"type\":\"FeatureCollection\","
			 "\"features\":[");
	for (i = 0; a && i < a->n; i++) {
		core_buf_adds(b, i ? ",\n" : "\n");
		core_buf_adds(b, "{\"type\":\"Feature\",\"properties\":"
				 "{\"geoid\":");
		js_str(b, a->geoid[i]);
		core_buf_adds(b, ",\"name\":");
		js_str(b, a->name[i]);
		if (sh->v) {
			core_buf_adds(b, ",\"value\":");
			if (sh->hidden[i])
				core_buf_adds(b, "null,\"suppressed\":true");
			else
				js_num(b, sh->v[i]);
		}
		core_buf_adds(b, "},\"geometry\":");
		geometry_json(b, a, i);
		core_buf_addc(b, '}');
	}
	core_buf_adds(b, "\n]}}");
cleanup:
	geo_areas_free(outline);
	free(group);
	return rc;
}

/* ---- files ------------------------------------------------------------ */

static int write_file(const char *dir, const char *rel, const char *data,
		      size_t len, struct core_err *err)
{
	char *path = xasprintf("%s/%s", dir, rel), ebuf[256];
	int fd, rc = CORE_OK;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len) ||
	    fsync(fd) != 0) {
		rc = core_err_set(err, CORE_EIO, "cannot write %s: %s", rel,
				  core_out_strerror(errno, ebuf, sizeof(ebuf)));
	}
	if (fd >= 0 && close(fd) != 0 && !rc)
		rc = core_err_set(err, CORE_EIO, "cannot write %s: %s", rel,
				  core_out_strerror(errno, ebuf, sizeof(ebuf)));
	free(path);
	return rc;
}

/* Copy src (a file of Leaflet's) to dir/rel. */
static int copy_file(const char *src, const char *dir, const char *rel,
		     struct core_err *err)
{
	size_t len = 0, cap = 0, got;
	char *data = NULL;
	FILE *fp = fopen(src, "rb");
	int rc;

	if (!fp)
		return core_err_set(err, CORE_EIO,
				    "cannot read %s: %s; Leaflet comes from "
				    "Debian's package libjs-leaflet (apt-get "
				    "install libjs-leaflet)",
				    src, strerror(errno));
	do {
		xgrow((void **)&data, &cap, len + 65536, 1);
		got = fread(data + len, 1, cap - len, fp);
		len += got;
	} while (got > 0);
	if (ferror(fp))
		rc = core_err_set(err, CORE_EIO, "cannot read %s", src);
	else
		rc = write_file(dir, rel, data, len, err);
	fclose(fp);
	free(data);
	return rc;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The page itself: constant text, no data in it. */
static const char page_head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n"
    "<title>Community assets</title>\n"
    "<link rel=\"stylesheet\" href=\"leaflet/leaflet.css\">\n"
    "<style>\n"
    "html,body{margin:0;height:100%;font:14px/1.35 sans-serif}\n"
    "#wrap{display:flex;height:100%}\n"
    "#side{width:24em;max-width:45%;display:flex;flex-direction:column;"
    "border-right:1px solid #ccc}\n"
    "#side header{padding:.5em .75em;border-bottom:1px solid #ccc}\n"
    "#side h1{font-size:1.15em;margin:.2em 0 .4em}\n"
    "#side input,#side select{width:100%;box-sizing:border-box;"
    "margin:.15em 0;font:inherit}\n"
    "#count{color:#555;font-size:.9em}\n"
    "#list{list-style:none;margin:0;padding:0;overflow-y:auto;flex:1}\n"
    "#list li{padding:.45em .75em;border-bottom:1px solid #eee;"
    "cursor:pointer}\n"
    "#list li:hover{background:#f3f6fa}\n"
    "#list .name{font-weight:bold}\n"
    "#list .meta{color:#555;font-size:.9em}\n"
    "#map{flex:1;background:#fff}\n"
    ".legend{background:#fff;padding:.4em .6em;border:1px solid #aaa;"
    "font-size:12px;line-height:1.5}\n"
    ".legend i{display:inline-block;width:14px;height:10px;"
    "margin-right:4px;border:1px solid #999}\n"
    ".popup dt{font-weight:bold;margin-top:.2em}.popup dd{margin:0}\n"
    "</style>\n</head>\n<body>\n"
    "<div id=\"wrap\">\n"
    "<aside id=\"side\"><header><h1 id=\"title\">Community assets</h1>\n"
    "<input id=\"q\" type=\"search\" placeholder=\"Search name, address, "
    "language\" aria-label=\"search\">\n"
    "<select id=\"cat\" aria-label=\"category\"><option value=\"\">All "
    "categories</option></select>\n"
    "<div id=\"count\"></div></header>\n"
    "<ul id=\"list\"></ul></aside>\n"
    "<div id=\"map\"></div>\n"
    "</div>\n"
    "<script src=\"leaflet/leaflet.js\"></script>\n"
    "<script src=\"data/areas.js\"></script>\n"
    "<script src=\"data/assets.js\"></script>\n"
    "<script>\n";

/* Builds every text node with textContent: no data ever goes through
 * innerHTML. */
static const char *const page_script[] = {
    "(function () {\n"
    "'use strict';\n"
    "var A = window.ASSETMAP_AREAS, D = window.ASSETMAP_ASSETS;\n"
    "function el(tag, cls, text) {\n"
    "  var e = document.createElement(tag);\n"
    "  if (cls) e.className = cls;\n"
    "  if (text != null) e.textContent = text;\n"
    "  return e;\n"
    "}\n"
    "if (A.title) { document.title = A.title;\n"
    "  document.getElementById('title').textContent = A.title; }\n"
    "var cats = {};\n"
    "D.categories.forEach(function (c) { cats[c.code] = c; });\n"
    "var map = L.map('map', {attributionControl: false, preferCanvas: "
    "true});\n"
    "if (A.tiles) L.tileLayer(A.tiles, {maxZoom: 19}).addTo(map);\n"
    "var pal = ['#fef0d9', '#fdcc8a', '#fc8d59', '#e34a33', '#b30000'];\n"
    "var breaks = null;\n"
    "if (A.shade) {\n"
    "  var vals = A.areas.features.map(function (f) {\n"
    "    return f.properties.value; }).filter(function (v) {\n"
    "    return v != null; }).sort(function (a, b) { return a - b; });\n"
    "  if (vals.length) { breaks = [];\n"
    "    for (var k = 1; k < pal.length; k++)\n"
    "      breaks.push(vals[Math.floor(k * vals.length / pal.length)]); }\n"
    "}\n"
    "function fill(p) {\n"
    "  if (!A.shade) return '#f4f4f0';\n"
    "  if (p.suppressed || p.value == null || !breaks) return '#d9d9d9';\n"
    "  var k = 0; while (k < breaks.length && p.value >= breaks[k]) k++;\n"
    "  return pal[k];\n"
    "}\n"
    "var areas = L.geoJSON(A.areas, {style: function (f) {\n"
    "  return {color: '#888', weight: 0.6, fillColor: "
    "fill(f.properties),\n"
    "          fillOpacity: A.tiles ? 0.55 : 1}; },\n"
    "  onEachFeature: function (f, layer) {\n"
    "    var p = f.properties, t = (p.name || p.geoid);\n"
    "    if (A.shade) t += ': ' + (p.suppressed ? "
    "A.shade.suppressed_text :\n"
    "      p.value == null ? 'no data' : String(p.value));\n"
    "    layer.bindTooltip(el('span', null, t));\n"
    "  }}).addTo(map);\n"
    "if (A.outline) L.geoJSON(A.outline, {style: {color: '#333', weight: "
    "2,\n"
    "  fill: false}, interactive: false}).addTo(map);\n"
    "if (A.shade && breaks) {\n"
    "  var lg = L.control({position: 'bottomright'});\n"
    "  lg.onAdd = function () {\n"
    "    var d = el('div', 'legend');\n"
    "    d.appendChild(el('div', null, A.shade.label || A.shade.name));\n"
    "    for (var k = 0; k < pal.length; k++) {\n"
    "      var r = el('div'), i = el('i');\n"
    "      i.style.background = pal[k]; r.appendChild(i);\n"
    "      r.appendChild(document.createTextNode(k === 0 ? '< ' + "
    "breaks[0] :\n"
    "        k === pal.length - 1 ? '\\u2265 ' + breaks[k - 1] :\n"
    "        breaks[k - 1] + ' \\u2013 ' + breaks[k]));\n"
    "      d.appendChild(r);\n"
    "    }\n"
    "    var s = el('div'), j = el('i'); j.style.background = '#d9d9d9';\n"
    "    s.appendChild(j); s.appendChild(document.createTextNode(\n"
    "      A.shade.suppressed_text + ' or no data'));\n"
    "    d.appendChild(s);\n"
    "    return d; };\n"
    "  lg.addTo(map);\n"
    "}\n",
    "function card(a) {\n"
    "  var d = el('dl', 'popup');\n"
    "  function row(k, v) { if (v == null || v === '' ||\n"
    "      (Array.isArray(v) && !v.length)) return;\n"
    "    d.appendChild(el('dt', null, k));\n"
    "    d.appendChild(el('dd', null, Array.isArray(v) ? v.join(', ') : "
    "v)); }\n"
    "  row('Name', a.name);\n"
    "  row('Organization', a.organization);\n"
    "  row('Categories', a.categories.map(function (c) {\n"
    "    return cats[c] ? cats[c].name : c; }));\n"
    "  row('Community Supports', a.community_supports);\n"
    "  row('Address', a.address); row('Phone', a.phone);\n"
    "  if (a.website && /^https?:\\/\\//i.test(a.website)) {\n"
    "    d.appendChild(el('dt', null, 'Website'));\n"
    "    var dd = el('dd'), l = el('a', null, a.website);\n"
    "    l.href = a.website; l.target = '_blank'; l.rel = 'noopener';\n"
    "    dd.appendChild(l); d.appendChild(dd);\n"
    "  } else row('Website', a.website);\n"
    "  row('Hours', a.hours); row('Languages', a.languages);\n"
    "  row('Medi-Cal', a.medi_cal == null ? null : a.medi_cal ? 'accepted' "
    ": 'not accepted');\n"
    "  row('Capacity', a.capacity == null ? null : String(a.capacity));\n"
    "  row('Kind', a.formal ? 'formal' : 'informal (added by hand)');\n"
    "  row('Source', a.source ? a.source + (a.date ? ', ' + a.date : '') "
    ": null);\n"
    "  return d;\n"
    "}\n"
    "var marks = D.assets.map(function (a) {\n"
    "  var c = cats[a.categories[0]];\n"
    "  var m = L.circleMarker([a.lat, a.lon], {radius: 5, weight: 1,\n"
    "    color: '#222', fillColor: c ? c.color : '#555', fillOpacity: "
    "0.9});\n"
    "  m.bindPopup(function () { return card(a); });\n"
    "  return m;\n"
    "});\n"
    "var shown = L.layerGroup().addTo(map);\n"
    "var sel = document.getElementById('cat');\n"
    "D.categories.forEach(function (c) {\n"
    "  if (!D.assets.some(function (a) { return "
    "a.categories.indexOf(c.code) >= 0; }))\n"
    "    return;\n"
    "  var o = el('option', null, c.name); o.value = c.code; "
    "sel.appendChild(o);\n"
    "});\n"
    "var q = document.getElementById('q'), list = "
    "document.getElementById('list');\n"
    "function text(a) { return [a.name, a.organization, a.address, "
    "a.hours,\n"
    "  a.phone].concat(a.languages, a.community_supports,\n"
    "  a.categories.map(function (c) { return cats[c] ? cats[c].name : c; "
    "}))\n"
    "  .join(' ').toLowerCase(); }\n"
    "function update() {\n"
    "  var cat = sel.value, words = q.value.toLowerCase().split(/\\s+/)\n"
    "    .filter(function (w) { return w; }), n = 0;\n"
    "  shown.clearLayers();\n"
    "  while (list.firstChild) list.removeChild(list.firstChild);\n"
    "  D.assets.forEach(function (a, i) {\n"
    "    if (cat && a.categories.indexOf(cat) < 0) return;\n"
    "    var t = text(a);\n"
    "    if (!words.every(function (w) { return t.indexOf(w) >= 0; })) "
    "return;\n"
    "    n++; shown.addLayer(marks[i]);\n"
    "    var li = el('li', 'asset');\n",
    "    li.appendChild(el('div', 'name', a.name));\n"
    "    li.appendChild(el('div', 'meta', a.categories.map(function (c) {\n"
    "      return cats[c] ? cats[c].name : c; }).join(', ')));\n"
    "    if (a.address) li.appendChild(el('div', 'meta', a.address));\n"
    "    li.addEventListener('click', function () {\n"
    "      map.setView([a.lat, a.lon], Math.max(map.getZoom(), 14));\n"
    "      marks[i].openPopup(); });\n"
    "    list.appendChild(li);\n"
    "  });\n"
    "  document.getElementById('count').textContent = n + ' of ' +\n"
    "    D.assets.length + ' assets';\n"
    "}\n"
    "sel.addEventListener('change', update);\n"
    "q.addEventListener('input', update);\n"
    "update();\n"
    "var b = A.areas.features.length ? areas.getBounds() : null;\n"
    "if (!b && D.assets.length) b = L.latLngBounds(D.assets.map(function "
    "(a) {\n"
    "  return [a.lat, a.lon]; }));\n"
    "if (b) map.fitBounds(b); else map.setView([0, 0], 2);\n"
    "})();\n"
    "</script>\n</body>\n</html>\n",
    NULL};

static const char *const leaflet_images[] = {
    "layers.png",	  "layers-2x.png",     "marker-icon.png",
    "marker-icon-2x.png", "marker-shadow.png", NULL};

/* Write the whole site into the empty directory dir. */
static int write_site(const char *dir, const char *leaflet,
		      const struct core_buf *assets,
		      const struct core_buf *areas, struct core_err *err)
{
	static const char *const subdirs[] = {"data", "leaflet",
					      "leaflet/images", NULL};
	struct core_buf b = {0};
	char *src = NULL, *sub = NULL, ebuf[256];
	size_t i;
	int rc = CORE_OK;

	for (i = 0; subdirs[i]; i++) {
		sub = xasprintf("%s/%s", dir, subdirs[i]);
		if (mkdir(sub, 0755) != 0) {
			rc = core_err_set(
			    err, CORE_EIO, "cannot make %s: %s", subdirs[i],
			    core_out_strerror(errno, ebuf, sizeof(ebuf)));
			goto cleanup;
		}
		free(sub);
		sub = NULL;
	}
	src = xasprintf("%s/leaflet.min.js", leaflet);
	if (access(src, R_OK) != 0) {
		free(src);
		src = xasprintf("%s/leaflet.js", leaflet);
	}
	if ((rc = copy_file(src, dir, "leaflet/leaflet.js", err)))
		goto cleanup;
	free(src);
	src = xasprintf("%s/leaflet.css", leaflet);
	if ((rc = copy_file(src, dir, "leaflet/leaflet.css", err)))
		goto cleanup;
	for (i = 0; leaflet_images[i]; i++) {
		free(src);
		free(sub);
		src = xasprintf("%s/images/%s", leaflet, leaflet_images[i]);
		sub = xasprintf("leaflet/images/%s", leaflet_images[i]);
		if ((rc = copy_file(src, dir, sub, err)))
			goto cleanup;
	}
	core_buf_adds(&b, "window.ASSETMAP_ASSETS = ");
	core_buf_add(&b, core_buf_str(assets), assets->len);
	core_buf_adds(&b, ";\n");
	if ((rc = write_file(dir, "data/assets.js", core_buf_str(&b), b.len,
			     err)))
		goto cleanup;
	core_buf_reset(&b);
	core_buf_adds(&b, "window.ASSETMAP_AREAS = ");
	core_buf_add(&b, core_buf_str(areas), areas->len);
	core_buf_adds(&b, ";\n");
	if ((rc = write_file(dir, "data/areas.js", core_buf_str(&b), b.len,
			     err)))
		goto cleanup;
	core_buf_reset(&b);
	core_buf_adds(&b, page_head);
	for (i = 0; page_script[i]; i++)
		core_buf_adds(&b, page_script[i]);
	if ((rc = write_file(dir, "index.html", core_buf_str(&b), b.len, err)))
		goto cleanup;
	rc = write_file(dir, MARKER, "assetmap web\n", 13, err);
cleanup:
	core_buf_release(&b);
	free(src);
	free(sub);
	return rc;
}

/* Put the finished temporary directory tmp in place as out: a rename
 * when out does not exist, an atomic exchange when it is a site of an
 * earlier run (the old one is then removed); refused otherwise. */
static int put_in_place(const char *tmp, const char *out, const char *ws_path,
			struct core_err *err)
{
	struct stat st;
	char *marker = NULL, *rout = NULL, *rws = NULL, ebuf[256];
	int rc = CORE_OK;

	if (lstat(out, &st) != 0) {
		if (errno != ENOENT || rename(tmp, out) != 0)
			rc = core_err_set(
			    err, CORE_EIO, "cannot write %s: %s", out,
			    core_out_strerror(errno, ebuf, sizeof(ebuf)));
		goto cleanup;
	}
	marker = xasprintf("%s/" MARKER, out);
	if (!S_ISDIR(st.st_mode) || access(marker, F_OK) != 0) {
		rc = core_err_set(err, CORE_EIO,
				  "-o %s: it exists and is not a site that "
				  "'assetmap web' wrote; remove it or name "
				  "another directory",
				  out);
		goto cleanup;
	}
	/* the old site goes whole: never with the workspace inside */
	rout = realpath(out, NULL);
	rws = ws_path ? realpath(ws_path, NULL) : NULL;
	if (rout && rws && !strncmp(rws, rout, strlen(rout)) &&
	    rws[strlen(rout)] == '/') {
		rc = core_err_set(err, CORE_EUSAGE,
				  "-o %s holds the workspace %s: replacing it "
				  "would destroy the workspace; name another "
				  "directory",
				  out, ws_path);
		goto cleanup;
	}
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, out, RENAME_EXCHANGE) != 0) {
		rc = core_err_set(err, CORE_EIO, "cannot replace %s: %s", out,
				  core_out_strerror(errno, ebuf, sizeof(ebuf)));
		goto cleanup;
	}
	rm_tree(tmp); /* now the old site */
cleanup:
	free(marker);
	free(rout);
	free(rws);
	return rc;
}

int cmd_web(struct cli_ctx *ctx, int argc, char **argv)
{
	struct web_opts o = {0};
	struct core_buf assets = {0}, areas = {0};
	struct core_result_table *tab = NULL;
	struct geo_areas *a = NULL;
	struct shade sh = {0};
	const char *leaflet = getenv("ASSETMAP_LEAFLET");
	char *level = NULL, *run_level = NULL, *tmp = NULL, *probe = NULL;
	char *parent = NULL, *slash;
	size_t nassets = 0, col = 0, i, nshown = 0, nhidden = 0;
	int rc = CORE_OK;

	if ((rc = cli_opt_parse(ctx, CMD, cmd_web_options, &o, argc, argv,
				NULL)))
		return rc;
	if (!o.output || !*o.output)
		return cli_usage(ctx, CMD, "give the directory with -o DIR");
	if (o.layer && o.indicator)
		return cli_usage(ctx, CMD,
				 "--layer and --indicator both shade the "
				 "areas; give one");
	if (core_out_check("-o", o.output, ctx->ws_path, NULL, 0, &ctx->err))
		return cli_usage(ctx, CMD, "%s", ctx->err.msg);
	if (!leaflet || !*leaflet)
		leaflet = LEAFLET_DIR;
	probe = xasprintf("%s/leaflet.css", leaflet);
	if (access(probe, R_OK) != 0) {
		rc = core_err_set(&ctx->err, CORE_EIO,
				  "leaflet is not installed (no %s): install "
				  "Debian's package libjs-leaflet (apt-get "
				  "install libjs-leaflet)",
				  probe);
		goto cleanup;
	}
	if (o.layer) {
		if ((rc = shade_layer(ctx->ws, o.layer, &run_level, &tab, &col,
				      &ctx->err))) {
			if (rc == CORE_EUSAGE)
				rc = cli_usage(ctx, CMD, "%s", ctx->err.msg);
			goto cleanup;
		}
		if (o.level && strcmp(o.level, run_level)) {
			rc = cli_usage(ctx, CMD,
				       "--layer %s has values of %s areas, not "
				       "of --level %s",
				       o.layer, run_level, o.level);
			goto cleanup;
		}
	}
	if ((rc = pick_level(ctx->ws, run_level ? run_level : o.level, &level,
			     &ctx->err)))
		goto cleanup;
	if (o.indicator && !level) {
		rc = core_err_set(&ctx->err, CORE_ENOTFOUND,
				  "--indicator %s: the workspace has no areas",
				  o.indicator);
		goto cleanup;
	}
	if (o.indicator &&
	    (rc = render_check_indicator(ctx->ws, level, o.indicator,
					 "--indicator", &ctx->err)))
		goto cleanup;
	if (level && (rc = geo_areas_load(ctx->ws, level, o.indicator, NULL, &a,
					  &ctx->err)))
		goto cleanup;
	if (a && (o.indicator || tab)) {
		sh.v = xcalloc(a->n ? a->n : 1, sizeof(*sh.v));
		sh.hidden = xcalloc(a->n ? a->n : 1, 1);
		for (i = 0; i < a->n; i++) {
			sh.v[i] = NAN;
			if (o.indicator) {
				sh.v[i] = a->value[i];
			} else {
				char **hit =
				    bsearch(a->geoid[i], tab->geoid, tab->nrows,
					    sizeof(*tab->geoid), cmp_geoid);
				size_t r;

				if (!hit)
					continue;
				r = (size_t)(hit - tab->geoid);
				sh.v[i] = tab->v[r * tab->ncols + col];
				sh.hidden[i] =
				    tab->suppressed[r * tab->ncols + col];
			}
			if (sh.hidden[i]) {
				sh.v[i] = NAN;
				nhidden++;
			} else if (!isnan(sh.v[i])) {
				nshown++;
			}
		}
		if (o.indicator) {
			char *unit = NULL;
			int year = 0;

			sh.name = xstrdup(o.indicator);
			render_indicator_info(ctx->ws, o.indicator, &sh.label,
					      &unit, &year);
			free(unit);
			if (!sh.label && render_known_label(o.indicator))
				sh.label =
				    xstrdup(render_known_label(o.indicator));
		} else {
			sh.name = xstrdup(o.layer);
			sh.label = xstrdup(tab->label[col]);
		}
	}
	if ((rc = assets_json(ctx->ws, &assets, &nassets, &ctx->err)) ||
	    (rc = areas_json(a, &sh, level,
			     o.title ? o.title : "Community assets", o.tiles,
			     &areas, &ctx->err)))
		goto cleanup;

	/* the temporary directory beside the target */
	parent = xstrdup(o.output);
	while (strlen(parent) > 1 && parent[strlen(parent) - 1] == '/')
		parent[strlen(parent) - 1] = '\0';
	slash = strrchr(parent, '/');
	if (slash)
		tmp = xasprintf("%.*s/.%s.assetmap-web-XXXXXX",
				(int)(slash - parent), parent, slash + 1);
	else
		tmp = xasprintf(".%s.assetmap-web-XXXXXX", parent);
	if (!mkdtemp(tmp)) {
		char ebuf[256];

		free(tmp);
		tmp = NULL;
		rc = core_err_set(&ctx->err, CORE_EIO, "cannot write %s: %s",
				  o.output,
				  core_out_strerror(errno, ebuf, sizeof(ebuf)));
		goto cleanup;
	}
	chmod(tmp, 0755);
	if ((rc = write_site(tmp, leaflet, &assets, &areas, &ctx->err)) ||
	    (rc = put_in_place(tmp, parent, ctx->ws_path, &ctx->err)))
		goto cleanup;
	free(tmp);
	tmp = NULL;
	if (!ctx->quiet) {
		fprintf(ctx->out, "wrote %s/index.html: %zu asset%s", parent,
			nassets, nassets == 1 ? "" : "s");
		if (a)
			fprintf(ctx->out, ", %zu %s area%s", a->n, level,
				a->n == 1 ? "" : "s");
		if (sh.v) {
			fprintf(ctx->out, " shaded by %s (%zu with a value",
				sh.name, nshown);
			if (nhidden)
				fprintf(ctx->out, ", %zu suppressed", nhidden);
			fputc(')', ctx->out);
		}
		fprintf(ctx->out, "; %s\n",
			o.tiles ? "background tiles from --tiles"
				: "no network needed");
	}
cleanup:
	if (tmp)
		rm_tree(tmp);
	free(tmp);
	free(parent);
	free(probe);
	free(level);
	free(run_level);
	free(sh.name);
	free(sh.label);
	free(sh.v);
	free(sh.hidden);
	geo_areas_free(a);
	core_result_table_free(tab);
	core_buf_release(&assets);
	core_buf_release(&areas);
	return rc;
}
