/*
 * cmd_export.c - assetmap export: a run's per-area values joined to the
 * areas' geometry, as CSV, GeoJSON or GeoPackage.
 *
 * Everything is gathered in memory first (one layer per thing written:
 * the areas, each geometry a run made, the members when asked), then
 * written by one of three writers: CSV and GeoJSON by hand (GDAL 3.6's
 * GeoJSON driver cannot add a top-level member), GeoPackage through OGR.
 * The output is written to a temporary file beside the target and
 * renamed over it at the end, so a failure leaves no half-written file.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "cli/cli.h"
#include "cli/cli_opt.h"
#include "cli/cli_result.h"
#include "cli/cli_table.h"
#include "core/core_mem.h"
#include "core/core_out.h"
#include "core/core_result.h"
#include "core/core_units.h"
#include "importers/imp_common.h"

/* What the command line gives. */
struct export_opts {
	const char *output, *layer;
	enum core_unit units;
	int wkt, members;
};

#define O struct export_opts

const struct cli_opt cmd_export_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] export RUN -o "
	"FILE.csv|FILE.geojson|FILE.gpkg\n"
	"                [--units m|km|mi] [--layer NAME] [--geometry] "
	"[--members]\n"
	"\n"
	"Write a run's values per area (RUN: an id, 'last', or an analysis "
	"name\n"
	"for its newest run) joined to the areas' geometry (WGS84), for QGIS,\n"
	"a spreadsheet or another program.\n"
	"\n"
	"  FILE.gpkg     a GeoPackage: layer 'areas' (geoid, area name, "
	"values),\n"
	"                one layer for each geometry the run made (the "
	"polygons "
	"of\n"
	"                'deserts'), and 'members' with --members; the run's "
	"id,\n"
	"                analysis, parameters and sources are in its metadata\n"
	"                (ASSETMAP_RUN), on the dataset and on each layer\n"
	"  FILE.geojson  one layer (--layer) as an RFC 7946 "
	"FeatureCollection;\n"
	"                the run's facts are its top-level member "
	"\"assetmap\"\n"
	"  FILE.csv      one layer, plain: a header row, then one row per "
	"area,\n"
	"                with the GEOID and no geometry (--geometry adds a "
	"WKT\n"
	"                column); the run's facts are not in it ('assetmap\n"
	"                results RUN' shows them)\n"
	"\n"
	"Privacy.  Counts of cohort people from 1 to 10, the cells that would\n"
	"give them away from a column's total, and shares or distances "
	"computed\n"
	"from them, are written empty (NULL), and the column NAME_suppressed\n"
	"beside each cohort column is 1 there (0 elsewhere), so that a hidden\n"
	"cell is never mistaken for missing data.  No location of a cohort\n"
	"member is ever written.\n"
	"\n"
	"Units.  Distances are in metres by default, with the unit ending the\n"
	"column name (median_food_m); --units km or mi converts them\n"
	"(median_food_mi).  Shares are fractions from 0 to 1.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(21),
    CLI_OPT_STRING("output", 'o', "FILE", O, output,
		   "the file to write (required); its extension picks\n"
		   "the format; an existing file is replaced"),
    CLI_OPT_UNIT("units", 0, "U", O, units,
		 "distances in m (default), km or mi"),
    CLI_OPT_STRING("layer", 0, "NAME", O, layer,
		   "for CSV and GeoJSON: 'areas' (the default when the\n"
		   "run has values per area) or the name of a geometry\n"
		   "the run made (e.g. desert_food)"),
    CLI_OPT_FLAG("geometry", 0, O, wkt, 1,
		 "CSV: add the geometry as WKT (column 'wkt')"),
    CLI_OPT_FLAG("members", 0, O, members, 1,
		 "also (GPKG) or instead (CSV) write the run's values\n"
		 "per cohort member: member_id (an internal row id of\n"
		 "the workspace, not a patient identifier) and values\n"
		 "such as the distance to the nearest asset, never a\n"
		 "location.  Off by default: per-person values are\n"
		 "cohort data; share them only where patients' data\n"
		 "may go"),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap export last -o coverage.gpkg\n"
		 "  assetmap export 3 -o access.geojson --units mi\n"
		 "  assetmap export deserts -o deserts.gpkg\n"
		 "  assetmap export 3 -o access.csv\n"),
    CLI_OPT_END()};

#undef O

/* ---------------------------------------------------------------------
 * Layers in memory
 * ------------------------------------------------------------------ */

struct field {
	char *name;
	char type; /* 's' text, 'r' real, 'i' integer */
};

struct cell {
	double d; /* 'r', 'i': NaN is NULL */
	char *s;  /* 's': NULL is NULL */
};

struct layer {
	char *name;
	int geometry; /* 0: no geometry column */
	int polygons; /* every geometry is (multi)polygonal */
	size_t nf, nrows, cap;
	struct field *f;
	struct cell *cells;  /* [nrows * nf] */
	unsigned char **wkb; /* [nrows]; NULL: no geometry */
	size_t *wkb_len;     /* [nrows] */
};

static struct layer *layer_new(const char *name, int geometry)
{
	struct layer *l = xcalloc(1, sizeof(*l));

	l->name = xstrdup(name);
	l->geometry = geometry;
	l->polygons = 1;
	return l;
}

static void layer_field(struct layer *l, const char *name, char type)
{
	l->f = xrealloc(l->f, (l->nf + 1) * sizeof(*l->f));
	l->f[l->nf].name = xstrdup(name);
	l->f[l->nf].type = type;
	l->nf++;
}

/* Append a row of NULL cells; returns its cells. */
static struct cell *layer_row(struct layer *l)
{
	size_t i;

	if (l->nrows + 1 > l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->cells = xrealloc(l->cells,
				    (l->cap * l->nf + 1) * sizeof(struct cell));
		l->wkb = xrealloc(l->wkb, l->cap * sizeof(unsigned char *));
		l->wkb_len = xrealloc(l->wkb_len, l->cap * sizeof(size_t));
	}
	for (i = 0; i < l->nf; i++) {
		l->cells[l->nrows * l->nf + i].d = NAN;
		l->cells[l->nrows * l->nf + i].s = NULL;
	}
	l->wkb[l->nrows] = NULL;
	l->wkb_len[l->nrows] = 0;
	return &l->cells[l->nrows++ * l->nf];
}

static void layer_free(struct layer *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->nrows * l->nf; i++)
		free(l->cells[i].s);
	for (i = 0; i < l->nrows; i++)
		free(l->wkb[i]);
	for (i = 0; i < l->nf; i++)
		free(l->f[i].name);
	free(l->f);
	free(l->cells);
	free(l->wkb);
	free(l->wkb_len);
	free(l->name);
	free(l);
}

static void set_wkb(struct layer *l, size_t row, const void *wkb, int n)
{
	if (!wkb || n <= 5)
		return;
	l->wkb[row] = xmalloc((size_t)n);
	memcpy(l->wkb[row], wkb, (size_t)n);
	l->wkb_len[row] = (size_t)n;
	{
		/* WKB type: byte order, then a uint32 (3 polygon, 6 multi) */
		const unsigned char *b = wkb;
		unsigned t = b[0] ? (unsigned)b[1] | (unsigned)b[2] << 8
				  : (unsigned)b[4] | (unsigned)b[3] << 8;

		if (t % 1000 != 3 && t % 1000 != 6)
			l->polygons = 0;
	}
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return cli_text(st, i);
}

/* ---------------------------------------------------------------------
 * Gathering
 * ------------------------------------------------------------------ */

static int is_cohort(const struct core_result_table *t, size_t c)
{
	return strcmp(t->kind[c], CORE_RK_COHORT_COUNT) == 0 ||
	       strcmp(t->kind[c], CORE_RK_COHORT_STAT) == 0;
}

/* The areas layer: geoid, area name, each value (and its _suppressed
 * flag for cohort columns), with geometry when want_geom. */
static int gather_areas(struct cli_ctx *ctx, const struct core_result_table *t,
			enum core_unit u, int want_geom, struct layer **out)
{
	struct layer *l = layer_new("areas", want_geom);
	sqlite3_stmt *st = NULL;
	size_t r, c, *fcol = xcalloc(t->ncols + 1, sizeof(size_t));
	int rc, step = SQLITE_DONE;

	layer_field(l, "geoid", 's');
	layer_field(l, "area_name", 's');
	for (c = 0; c < t->ncols; c++) {
		char *h = cli_result_header(t, c, core_units_name(u), 0);

		fcol[c] = l->nf;
		layer_field(l, h, 'r');
		if (is_cohort(t, c)) {
			char *s = xasprintf("%s_suppressed", h);
			layer_field(l, s, 'i');
			free(s);
		}
		free(h);
	}
	for (r = 0; r < t->nrows; r++) {
		struct cell *row = layer_row(l);

		row[0].s = xstrdup(t->geoid[r]);
		for (c = 0; c < t->ncols; c++) {
			double v = t->v[r * t->ncols + c];
			int hide = t->suppressed[r * t->ncols + c];

			if (!hide && !isnan(v) &&
			    cli_result_measure(t, c) == CLI_MEASURE_DISTANCE)
				v = core_units_from_m(v, u);
			row[fcol[c]].d = hide ? NAN : v;
			if (is_cohort(t, c))
				row[fcol[c] + 1].d = hide;
		}
	}
	/* Names and geometry, merged by geoid (both in byte order). */
	rc = core_ws_prepare(ctx->ws, &ctx->err, &st,
			     want_geom ? "SELECT geoid, name, AsBinary(geom)"
					 " FROM areas WHERE ?1 IS NULL"
					 " OR level = ?1 ORDER BY geoid, id"
				       : "SELECT geoid, name, NULL"
					 " FROM areas WHERE ?1 IS NULL"
					 " OR level = ?1 ORDER BY geoid, id");
	if (rc)
		goto cleanup;
	if (t->level)
		sqlite3_bind_text(st, 1, t->level, -1, SQLITE_STATIC);
	r = 0;
	while (r < t->nrows && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *g = col_text(st, 0);
		int cmp;

		if (!g)
			continue;
		while (r < t->nrows && (cmp = strcmp(t->geoid[r], g)) < 0)
			r++;
		if (r < t->nrows && cmp == 0) {
			struct cell *row = &l->cells[r * l->nf];

			if (!row[1].s && col_text(st, 1))
				row[1].s = xstrdup(col_text(st, 1));
			if (!l->wkb[r])
				set_wkb(l, r, sqlite3_column_blob(st, 2),
					sqlite3_column_bytes(st, 2));
		}
	}
	if (r < t->nrows && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = core_ws_dberr(ctx->ws, &ctx->err, "reading the areas");
cleanup:
	sqlite3_finalize(st);
	free(fcol);
	if (rc) {
		layer_free(l);
		return rc;
	}
	*out = l;
	return CORE_OK;
}

/* One layer per name in results_geom: name, geoid, geometry. */
static int gather_geoms(struct cli_ctx *ctx, int64_t run_id,
			struct layer ***out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	struct layer *cur = NULL;
	int rc, step;

	*out = NULL;
	*n = 0;
	rc = core_ws_prepare(
	    ctx->ws, &ctx->err, &st,
	    "SELECT name, geoid, AsBinary(geom) FROM results_geom"
	    " WHERE run_id = ? ORDER BY name, rowid");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = col_text(st, 0);
		struct cell *row;

		if (!name)
			name = "geometry";
		if (!cur || strcmp(cur->name, name) != 0) {
			cur = layer_new(name, 1);
			layer_field(cur, "name", 's');
			layer_field(cur, "geoid", 's');
			*out = xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[(*n)++] = cur;
		}
		row = layer_row(cur);
		row[0].s = xstrdup(name);
		row[1].s = xstrdup_or_null(col_text(st, 1));
		set_wkb(cur, cur->nrows - 1, sqlite3_column_blob(st, 2),
			sqlite3_column_bytes(st, 2));
	}
	if (step != SQLITE_DONE)
		rc = core_ws_dberr(ctx->ws, &ctx->err,
				   "reading the run's geometry");
	sqlite3_finalize(st);
	return rc;
}

/* The members layer: member_id and every other packed column of the run,
 * aligned with it.  Never a location: the columns hold ids, distances and
 * counts only (core_result.h). */
static int gather_members(struct cli_ctx *ctx,
			  const struct core_result_table *t, enum core_unit u,
			  struct layer **out)
{
	struct layer *l = layer_new("members", 0);
	sqlite3_stmt *st = NULL;
	char **names = NULL, **kinds = NULL;
	size_t nn = 0, i, r, len = 0;
	const char **types = NULL;
	void **data = NULL;
	unsigned char *dist = NULL;
	int rc, step;

	rc = core_ws_prepare(
	    ctx->ws, &ctx->err, &st,
	    "SELECT c.name, i.kind FROM results_column c"
	    " LEFT JOIN results_info i ON i.run_id = c.run_id"
	    "  AND i.name = c.name"
	    " WHERE c.run_id = ?"
	    " ORDER BY c.name <> 'member_id', coalesce(i.sort, 0),"
	    " c.name");
	if (rc)
		goto cleanup;
	sqlite3_bind_int64(st, 1, t->run_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		names = xrealloc(names, (nn + 1) * sizeof(char *));
		kinds = xrealloc(kinds, (nn + 1) * sizeof(char *));
		names[nn] = xstrdup(col_text(st, 0));
		kinds[nn] = xstrdup_or_null(col_text(st, 1));
		nn++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (step != SQLITE_DONE) {
		rc =
		    core_ws_dberr(ctx->ws, &ctx->err, "listing member columns");
		goto cleanup;
	}
	if (nn == 0 || strcmp(names[0], "member_id") != 0) {
		rc = core_err_set(&ctx->err, CORE_ENOTFOUND,
				  "run %lld has no values per cohort member "
				  "(no member_id column); export it without "
				  "--members",
				  (long long)t->run_id);
		goto cleanup;
	}
	types = xcalloc(nn, sizeof(char *));
	data = xcalloc(nn, sizeof(void *));
	dist = xcalloc(nn, 1);
	for (i = 0; i < nn; i++) {
		size_t n = 0;

		dist[i] = kinds[i] && strcmp(kinds[i], CORE_RK_DISTANCE) == 0;

		if ((rc = core_result_column_load(ctx->ws, t->run_id, names[i],
						  &types[i], &n, &data[i],
						  &ctx->err)))
			goto cleanup;
		if (i == 0)
			len = n;
		else if (n != len) {
			rc = core_err_set(&ctx->err, CORE_EDB,
					  "run %lld: member column %s has %zu "
					  "values, member_id %zu",
					  (long long)t->run_id, names[i], n,
					  len);
			goto cleanup;
		}
		if (dist[i]) {
			char *h =
			    xasprintf("%s_%s", names[i], core_units_name(u));
			layer_field(l, h, 'r');
			free(h);
		} else {
			layer_field(l, names[i],
				    strcmp(types[i], "i8") == 0 ? 'i' : 'r');
		}
	}
	for (r = 0; r < len; r++) {
		struct cell *row = layer_row(l);

		for (i = 0; i < nn; i++) {
			double v;

			if (strcmp(types[i], "i8") == 0)
				v = (double)((const int64_t *)data[i])[r];
			else
				v = ((const double *)data[i])[r];
			if (dist[i])
				v = core_units_from_m(v, u);
			row[i].d = v;
		}
	}
cleanup:
	sqlite3_finalize(st);
	for (i = 0; i < nn; i++) {
		free(names[i]);
		free(kinds[i]);
		if (data)
			free(data[i]);
	}
	free(names);
	free(kinds);
	free(types);
	free(data);
	free(dist);
	if (rc) {
		layer_free(l);
		return rc;
	}
	*out = l;
	return CORE_OK;
}

/* The run's facts as a JSON object (caller frees), with the distance
 * unit and what suppression did added at the end. */
static int run_json(struct cli_ctx *ctx, const struct core_result_table *t,
		    enum core_unit u, char **out)
{
	char *facts = NULL;
	int rc;

	if ((rc = cli_run_json(ctx->ws, t->run_id, &facts, &ctx->err)))
		return rc;
	/* facts ends with '}': add the members before it */
	*out = xasprintf(
	    "%.*s,\"distance_unit\":\"%s\",\"suppression\":\"cohort counts "
	    "from 1 to 10, cells that would give them away from a total, and "
	    "values computed from them are null; the column NAME_suppressed "
	    "is 1 there\"}",
	    (int)(strlen(facts) - 1), facts, core_units_name(u));
	free(facts);
	return CORE_OK;
}

/* ---------------------------------------------------------------------
 * Writers
 * ------------------------------------------------------------------ */

static void put_number(FILE *fp, double v, char type)
{
	if (type == 'i')
		fprintf(fp, "%.0f", v);
	else
		fprintf(fp, "%.15g", v);
}

static void csv_text(FILE *fp, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/*
 * Write layer l to fp as CSV: a header of the field names (and "wkt"
 * with wkt), then one line per row; NULL cells are empty, and with wkt
 * each row's geometry follows as WKT (empty without one).  Returns
 * CORE_OK, or CORE_ELIB with err set when a geometry cannot be read.
 * Write errors on fp are left for the caller to check.
 */
static int write_csv(FILE *fp, const struct layer *l, int wkt,
		     struct core_err *err)
{
	size_t r, i;

	for (i = 0; i < l->nf; i++) {
		if (i)
			fputc(',', fp);
		csv_text(fp, l->f[i].name);
	}
	if (wkt)
		fputs(",wkt", fp);
	fputc('\n', fp);
	for (r = 0; r < l->nrows; r++) {
		const struct cell *row = &l->cells[r * l->nf];

		for (i = 0; i < l->nf; i++) {
			if (i)
				fputc(',', fp);
			if (l->f[i].type == 's') {
				if (row[i].s)
					csv_text(fp, row[i].s);
			} else if (!isnan(row[i].d)) {
				put_number(fp, row[i].d, l->f[i].type);
			}
		}
		if (wkt) {
			fputc(',', fp);
			if (l->wkb[r]) {
				OGRGeometryH g = NULL;
				char *s = NULL;

				if (OGR_G_CreateFromWkb(l->wkb[r], NULL, &g,
							(int)l->wkb_len[r]) !=
				    OGRERR_NONE)
					return core_err_set(
					    err, CORE_ELIB,
					    "row %zu: the geometry cannot be "
					    "read",
					    r + 1);
				OGR_G_ExportToWkt(g, &s);
				csv_text(fp, s ? s : "");
				CPLFree(s);
				OGR_G_DestroyGeometry(g);
			}
		}
		fputc('\n', fp);
	}
	return CORE_OK;
}

static void json_text(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(fp, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", fp);
		else if (ch == '\r')
			fputs("\\r", fp);
		else if (ch == '\t')
			fputs("\\t", fp);
		else if (ch < 0x20)
			fprintf(fp, "\\u%04x", ch);
		else
			fputc(ch, fp);
	}
	fputc('"', fp);
}

/*
 * Write layer l to fp as a GeoJSON FeatureCollection named after it,
 * with meta (a JSON object) as its top-level "assetmap" member and one
 * feature per row (NULL cells and missing geometries as null,
 * coordinates to 7 decimals).  Returns CORE_OK, or CORE_ELIB with err
 * set when a geometry cannot be read.  Write errors on fp are left for
 * the caller to check.
 */
static int write_geojson(FILE *fp, const struct layer *l, const char *meta,
			 struct core_err *err)
{
	static char *const jopts[] = {(char *)"COORDINATE_PRECISION=7", NULL};
	size_t r, i;

	fputs("{\"type\":\"FeatureCollection\",\"name\":", fp);
	json_text(fp, l->name);
	fprintf(fp, ",\"assetmap\":%s,\"features\":[\n", meta);
	for (r = 0; r < l->nrows; r++) {
		const struct cell *row = &l->cells[r * l->nf];

		fputs("{\"type\":\"Feature\",\"properties\":{", fp);
		for (i = 0; i < l->nf; i++) {
			if (i)
				fputc(',', fp);
			json_text(fp, l->f[i].name);
			fputc(':', fp);
			if (l->f[i].type == 's' ? !row[i].s : isnan(row[i].d))
				fputs("null", fp);
			else if (l->f[i].type == 's')
				json_text(fp, row[i].s);
			else
				put_number(fp, row[i].d, l->f[i].type);
		}
		fputs("},\"geometry\":", fp);
		if (l->wkb[r]) {
			OGRGeometryH g = NULL;
			char *s;

			if (OGR_G_CreateFromWkb(l->wkb[r], NULL, &g,
						(int)l->wkb_len[r]) !=
			    OGRERR_NONE)
				return core_err_set(
				    err, CORE_ELIB,
				    "row %zu: the geometry cannot be read",
				    r + 1);
			s = OGR_G_ExportToJsonEx(g, (char **)jopts);
			fputs(s ? s : "null", fp);
			CPLFree(s);
			OGR_G_DestroyGeometry(g);
		} else {
			fputs("null", fp);
		}
		fputs(r + 1 < l->nrows ? "},\n" : "}\n", fp);
	}
	fputs("]}\n", fp);
	return CORE_OK;
}

static int gdal_fail(struct core_err *err, const struct imp_gdal_msgs *m,
		     const char *what)
{
	return core_err_set(err, CORE_ELIB, "%s: %s", what,
			    m->last[0] ? m->last : "GDAL failed");
}

/*
 * Add layer l to the GeoPackage ds: a layer of its name described by
 * desc, with meta as its ASSETMAP_RUN metadata, its fields and rows, and
 * the geometry in srs (multipolygons when every geometry is polygonal).
 * Returns CORE_OK or CORE_ELIB with err set, naming GDAL's last message
 * from m where there is one.
 */
static int gpkg_layer(GDALDatasetH ds, OGRSpatialReferenceH srs,
		      const struct layer *l, const char *meta, const char *desc,
		      struct imp_gdal_msgs *m, struct core_err *err)
{
	char *opts[2] = {NULL, NULL};
	OGRwkbGeometryType gt = !l->geometry  ? wkbNone
				: l->polygons ? wkbMultiPolygon
					      : wkbUnknown;
	OGRLayerH lay;
	OGRFeatureDefnH defn;
	size_t r, i;
	int rc = CORE_OK;

	opts[0] = xasprintf("DESCRIPTION=%s", desc);
	lay = GDALDatasetCreateLayer(ds, l->name, l->geometry ? srs : NULL, gt,
				     opts);
	free(opts[0]);
	if (!lay)
		return gdal_fail(err, m, "creating a GeoPackage layer");
	GDALSetMetadataItem((GDALMajorObjectH)lay, "ASSETMAP_RUN", meta, NULL);
	for (i = 0; i < l->nf; i++) {
		OGRFieldDefnH fd = OGR_Fld_Create(
		    l->f[i].name, l->f[i].type == 's'	? OFTString
				  : l->f[i].type == 'i' ? OFTInteger64
							: OFTReal);

		if (OGR_L_CreateField(lay, fd, TRUE) != OGRERR_NONE)
			rc = gdal_fail(err, m, "creating a GeoPackage field");
		OGR_Fld_Destroy(fd);
		if (rc)
			return rc;
	}
	defn = OGR_L_GetLayerDefn(lay);
	for (r = 0; r < l->nrows && !rc; r++) {
		const struct cell *row = &l->cells[r * l->nf];
		OGRFeatureH f = OGR_F_Create(defn);

		for (i = 0; i < l->nf; i++) {
			if (l->f[i].type == 's' ? !row[i].s : isnan(row[i].d))
				OGR_F_SetFieldNull(f, (int)i);
			else if (l->f[i].type == 's')
				OGR_F_SetFieldString(f, (int)i, row[i].s);
			else if (l->f[i].type == 'i')
				OGR_F_SetFieldInteger64(f, (int)i,
							(GIntBig)row[i].d);
			else
				OGR_F_SetFieldDouble(f, (int)i, row[i].d);
		}
		if (l->geometry && l->wkb[r]) {
			OGRGeometryH g = NULL;

			if (OGR_G_CreateFromWkb(l->wkb[r], srs, &g,
						(int)l->wkb_len[r]) !=
			    OGRERR_NONE) {
				rc = core_err_set(err, CORE_ELIB,
						  "layer %s row %zu: the "
						  "geometry cannot be read",
						  l->name, r + 1);
			} else {
				if (gt == wkbMultiPolygon)
					g = OGR_G_ForceToMultiPolygon(g);
				OGR_F_SetGeometryDirectly(f, g);
			}
		}
		if (!rc && OGR_L_CreateFeature(lay, f) != OGRERR_NONE)
			rc = gdal_fail(err, m, "writing a GeoPackage feature");
		OGR_F_Destroy(f);
	}
	return rc;
}

/* GDAL's messages while writing a GeoPackage: the usual ones, and
 * whether SQLite underneath said the disk was full or could not write
 * (the first failure is the cause; later ones, such as "no such table",
 * only follow from it). */
struct gpkg_msgs {
	struct imp_gdal_msgs m; /* first: gpkg_layer takes it */
	int full, ioerr;
};

static void CPL_STDCALL on_gpkg_msg(CPLErr cls, CPLErrorNum no, const char *msg)
{
	struct gpkg_msgs *g = CPLGetErrorHandlerUserData();

	(void)no;
	if (!g || (cls != CE_Failure && cls != CE_Fatal) || !msg)
		return;
	g->m.failures++;
	snprintf(g->m.last, sizeof(g->m.last), "%s", msg);
	if (strstr(msg, "disk is full"))
		g->full = 1;
	if (strstr(msg, "disk I/O error"))
		g->ioerr = 1;
}

/* The GeoPackage at path (a temporary) for the output out. */
static int write_gpkg(const char *path, const char *out, struct layer **ls,
		      size_t n, const char *meta,
		      const struct core_result_table *t, struct core_err *err)
{
	struct gpkg_msgs g;
	struct imp_gdal_msgs *m = &g.m;
	GDALDriverH drv;
	GDALDatasetH ds = NULL;
	OGRSpatialReferenceH srs = NULL;
	struct rlimit rl;
	char e[256];
	size_t i;
	int rc = CORE_OK;

	imp_gdal_init();
	memset(&g, 0, sizeof(g));
	CPLPushErrorHandlerEx(on_gpkg_msg, &g);
	drv = GDALGetDriverByName("GPKG");
	if (!drv) {
		rc = core_err_set(err, CORE_ELIB,
				  "this GDAL has no GeoPackage driver");
		goto cleanup;
	}
	ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
	if (!ds) {
		rc = gdal_fail(err, m, "creating the GeoPackage");
		goto cleanup;
	}
	srs = OSRNewSpatialReference(NULL);
	OSRImportFromEPSG(srs, 4326);
	OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
	GDALSetMetadataItem(ds, "ASSETMAP_RUN", meta, NULL);
	if (GDALDatasetStartTransaction(ds, FALSE) != OGRERR_NONE) {
		rc = gdal_fail(err, m, "starting a GeoPackage transaction");
		goto cleanup;
	}
	for (i = 0; i < n && !rc; i++) {
		char *desc =
		    xasprintf("assetmap run %lld (%s): %s",
			      (long long)t->run_id, t->analysis, ls[i]->name);

		rc = gpkg_layer(ds, srs, ls[i], meta, desc, m, err);
		free(desc);
	}
	if (!rc && GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
		rc = gdal_fail(err, m, "committing the GeoPackage");
cleanup:
	if (ds) {
		GDALClose(ds);
		if (!rc && m->failures)
			rc = gdal_fail(err, m, "writing the GeoPackage");
	}
	OSRDestroySpatialReference(srs);
	CPLPopErrorHandler();
	/* Name the cause, not what failed after it. */
	if (rc && g.full)
		rc = core_err_set(err, CORE_EIO, "cannot write %s: %s", out,
				  core_out_strerror(ENOSPC, e, sizeof(e)));
	else if (rc && g.ioerr && getrlimit(RLIMIT_FSIZE, &rl) == 0 &&
		 rl.rlim_cur != RLIM_INFINITY)
		rc = core_err_set(err, CORE_EIO, "cannot write %s: %s", out,
				  core_out_strerror(EFBIG, e, sizeof(e)));
	return rc;
}

/* ---------------------------------------------------------------------
 * The command
 * ------------------------------------------------------------------ */

enum fmt { FMT_CSV, FMT_GEOJSON, FMT_GPKG };

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

static int write_text(struct core_out *o, enum fmt f, const struct layer *l,
		      const char *meta, int wkt, struct core_err *err)
{
	FILE *fp = core_out_stream(o);
	char e[256];
	int rc;

	if (f == FMT_CSV)
		rc = write_csv(fp, l, wkt, err);
	else
		rc = write_geojson(fp, l, meta, err);
	if (ferror(fp) && !rc)
		rc = core_err_set(
		    err, CORE_EIO, "cannot write %s: %s", core_out_path(o),
		    core_out_strerror(errno ? errno : EIO, e, sizeof(e)));
	return rc;
}

/* One export: what the command line asks, and what is gathered for it. */
struct export_job {
	struct export_opts opts;
	const char *spec; /* RUN as given */
	enum fmt f;
	int64_t id; /* the run */
	struct core_result_table *t;
	char *meta;	       /* run_json's */
	struct layer **layers; /* GeoPackage: every layer written */
	struct layer **geoms;  /* the run's geometry layers not taken */
	struct layer *one;     /* CSV, GeoJSON: the one layer written */
	size_t nlayers, ngeoms;
};

static void export_job_release(struct export_job *job)
{
	size_t i;

	for (i = 0; i < job->nlayers; i++)
		layer_free(job->layers[i]);
	free(job->layers);
	for (i = 0; i < job->ngeoms; i++)
		layer_free(job->geoms[i]);
	free(job->geoms);
	layer_free(job->one);
	core_result_table_free(job->t);
	free(job->meta);
}

/*
 * Parse argv into job->opts and job->spec, pick job->f from the -o name
 * and check that the options go with it and that -o may be written.
 * Returns CORE_OK, or CORE_EUSAGE with ctx->err set (cli_usage).
 */
static int parse_export(struct cli_ctx *ctx, int argc, char **argv,
			struct export_job *job)
{
	const struct export_opts *opts = &job->opts;
	const char *out;
	int rc, nargs = 0;

	if ((rc = cli_opt_parse(ctx, "export", cmd_export_options, &job->opts,
				argc, argv, &nargs)))
		return rc;
	if (nargs > 1)
		return cli_usage(ctx, "export", "unexpected argument '%s'",
				 argv[2]);
	if (nargs == 1)
		job->spec = argv[1];
	out = opts->output;
	if (!job->spec)
		return cli_usage(
		    ctx, "export",
		    "which run? give its id, 'last' or an analysis "
		    "name; 'assetmap results' lists them");
	if (!out)
		return cli_usage(ctx, "export",
				 "give the output file with -o FILE.csv, "
				 "FILE.geojson or FILE.gpkg");
	if (ends_with(out, ".csv"))
		job->f = FMT_CSV;
	else if (ends_with(out, ".geojson") || ends_with(out, ".json"))
		job->f = FMT_GEOJSON;
	else if (ends_with(out, ".gpkg"))
		job->f = FMT_GPKG;
	else
		return cli_usage(
		    ctx, "export",
		    "-o %s: the name must end in .csv, .geojson or "
		    ".gpkg (it picks the format)",
		    out);
	if (opts->wkt && job->f != FMT_CSV)
		return cli_usage(
		    ctx, "export",
		    "--geometry is for CSV; GeoJSON and GPKG carry "
		    "geometry anyway");
	if (opts->members && job->f == FMT_GEOJSON)
		return cli_usage(ctx, "export",
				 "--members writes no location, so no GeoJSON: "
				 "use FILE.csv or FILE.gpkg");
	if (core_out_check("-o", out, ctx->ws_path, NULL, 0, &ctx->err))
		return cli_usage(ctx, "export", "%s", ctx->err.msg);
	if (opts->layer && (job->f == FMT_GPKG || opts->members))
		return cli_usage(ctx, "export",
				 "--layer picks the one layer of a CSV or "
				 "GeoJSON file; a GeoPackage holds them all");
	return CORE_OK;
}

/*
 * Gather what goes in the file (job->t loaded): for a GeoPackage every
 * layer into job->layers (the areas when the run has values, each
 * geometry layer, the members with --members); for CSV and GeoJSON the
 * one layer into job->one (the members with --members, the layer named
 * by --layer, else the areas, or the run's first geometry layer when it
 * has no values) and a note naming it.  Returns CORE_OK, or a code with
 * ctx->err set: the gatherers' errors, CORE_EUSAGE for a --layer the run
 * does not have.
 */
static int gather_layers(struct cli_ctx *ctx, struct export_job *job)
{
	const struct export_opts *opts = &job->opts;
	const char *want_layer = opts->layer;
	const struct core_result_table *t = job->t;
	enum core_unit u = opts->units;
	size_t i;
	int rc;

	if (opts->members && job->f == FMT_CSV)
		return gather_members(ctx, t, u, &job->one);
	if ((rc = gather_geoms(ctx, job->id, &job->geoms, &job->ngeoms)))
		return rc;
	if (job->f == FMT_GPKG) {
		job->layers = xcalloc(job->ngeoms + 2, sizeof(*job->layers));
		if (t->nrows &&
		    (rc = gather_areas(ctx, t, u, 1,
				       &job->layers[job->nlayers++])))
			return rc;
		for (i = 0; i < job->ngeoms; i++) {
			job->layers[job->nlayers++] = job->geoms[i];
			job->geoms[i] = NULL;
		}
		if (opts->members &&
		    (rc = gather_members(ctx, t, u,
					 &job->layers[job->nlayers++])))
			return rc;
	} else if (want_layer && strcmp(want_layer, "areas") != 0) {
		for (i = 0; i < job->ngeoms; i++)
			if (strcmp(job->geoms[i]->name, want_layer) == 0)
				break;
		if (i == job->ngeoms) {
			struct core_buf b = CORE_BUF_INIT;
			size_t k;

			core_buf_adds(&b, "areas");
			for (k = 0; k < job->ngeoms; k++)
				core_buf_addf(&b, ", %s", job->geoms[k]->name);
			rc = cli_usage(ctx, "export",
				       "--layer: run %lld has no layer "
				       "'%s'; it has: %s",
				       (long long)job->id, want_layer,
				       core_buf_str(&b));
			core_buf_release(&b);
			return rc;
		}
		job->one = job->geoms[i];
		job->geoms[i] = NULL;
	} else if (t->nrows || want_layer || job->ngeoms == 0) {
		if ((rc = gather_areas(ctx, t, u,
				       job->f == FMT_GEOJSON || opts->wkt,
				       &job->one)))
			return rc;
	} else {
		job->one = job->geoms[0];
		job->geoms[0] = NULL;
	}
	if (job->one)
		cli_note(ctx, "writing layer '%s' (%zu rows)\n", job->one->name,
			 job->one->nrows);
	return CORE_OK;
}

/*
 * Write the gathered layers to -o through a temporary file renamed over
 * it on success (readable by the owner only with --members).  Returns
 * CORE_OK, or a code with ctx->err set, prefixed "export to FILE: "
 * unless it already names the file; nothing is left behind then.
 */
static int write_export(struct cli_ctx *ctx, const struct export_job *job)
{
	const char *out = job->opts.output;
	struct core_out *o = NULL;
	int rc;

	/* Members' values are patients' data: readable by their owner only,
	 * like the workspace, from the first byte written. */
	if ((rc = core_out_open(out, job->opts.members ? 0600 : CORE_OUT_MODE,
				job->f == FMT_GPKG ? CORE_OUT_DIR : 0, &o,
				&ctx->err)))
		return rc;
	if (job->f == FMT_GPKG)
		rc = write_gpkg(core_out_tmp_path(o), out, job->layers,
				job->nlayers, job->meta, job->t, &ctx->err);
	else
		rc = write_text(o, job->f, job->one, job->meta, job->opts.wkt,
				&ctx->err);
	if (rc)
		core_out_abort(o);
	else
		rc = core_out_commit(o, &ctx->err);
	if (rc) {
		/* a write error names the file already */
		if (strncmp(ctx->err.msg, "cannot write ", 13) != 0)
			core_err_prefix(&ctx->err, "export to %s: ", out);
	}
	return rc;
}

/*
 * assetmap export (argv[0] is "export", then RUN): check the options
 * against the format the -o name picks, load the run's values, gather
 * the layers (areas, the run's geometries, the members with --members)
 * and write them to a temporary file renamed over -o on success, so a
 * failure leaves no file.  Returns CORE_OK, or a code with ctx->err set
 * (CORE_EUSAGE for usage errors).
 */
int cmd_export(struct cli_ctx *ctx, int argc, char **argv)
{
	struct export_job job;
	int rc;

	memset(&job, 0, sizeof(job));
	job.opts.units = CORE_UNIT_M;
	if ((rc = parse_export(ctx, argc, argv, &job)))
		return rc;
	if ((rc = core_run_find(ctx->ws, job.spec, &job.id, &ctx->err)) ||
	    (rc = core_result_table_load(ctx->ws, job.id, &job.t, &ctx->err)))
		goto cleanup;
	if ((rc = run_json(ctx, job.t, job.opts.units, &job.meta)))
		goto cleanup;
	if ((rc = gather_layers(ctx, &job)))
		goto cleanup;
	if (job.opts.members)
		cli_warn(
		    "%s holds values per cohort member (no locations): "
		    "it is patients' data; keep it where their data may go",
		    job.opts.output);
	if ((rc = write_export(ctx, &job)))
		goto cleanup;
	cli_note(ctx, "run %lld (%s) written to %s\n", (long long)job.id,
		 job.t->analysis, job.opts.output);
cleanup:
	export_job_release(&job);
	return rc;
}
