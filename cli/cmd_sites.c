/*
 * cmd_sites.c - assetmap sites: where K new sites of a category would
 * reach the most people now farther than D from every existing one
 * (maximal covering location; geo_sites.h).
 */
#include <errno.h>
#include <gdal.h>
#include <json-c/json.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_analysis.h"
#include "cli/cli_table.h"
#include "core/core_area.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_result.h"
#include "geo/geo_sites.h"
#include "importers/imp_common.h"

#define CMD "sites"

const char cmd_sites_help[] =
    "usage: assetmap [-d WORKSPACE] sites --category C --within D --add K\n"
    "                [--cohort NAME] [--candidates FILE] [--method M]\n"
    "                [--areas LEVEL] [filters] [--units mi|km|m]\n"
    "                [--format table|csv|json]\n"
    "\n"
    "Where would K new sites of a category reach the most people who are now\n"
    "farther than D from every existing site of it?  The people are a\n"
    "cohort's (--cohort), or without one the population of the areas, each\n"
    "area's at its point (population-weighted centroid of its block groups\n"
    "when the workspace has them, else its centroid).  A cohort of counts\n"
    "per area is placed at the area points too.  Distances are straight\n"
    "lines in the workspace's analysis CRS; a site at exactly D reaches.\n"
    "\n"
    "The candidates are the points of the areas (water-only and zero-\n"
    "population areas left out), or the places in --candidates FILE: a CSV\n"
    "with lat/lon (or latitude/longitude, y/x) columns, or any point file\n"
    "GDAL reads (GeoJSON, GPKG, SHP); a 'name' or 'id' column labels them.\n"
    "\n"
    "This is the maximal covering location problem.  With --method auto\n"
    "(default) the answer is exact when the candidates that reach anyone\n"
    "number at most K, or when their combinations of K number at most\n"
    "200,000 (every one is searched, pruned by a bound); otherwise greedy:\n"
    "each pick the site that reaches the most people not yet reached, which\n"
    "is always at least 63.2% (1 - 1/e) of the best possible, and the run\n"
    "says how much better the best could be at most.  Each pick is listed\n"
    "with how many people it newly reaches; cohort counts of 1 to 10 show\n"
    "as <11, and running totals after one are hidden.\n"
    "\n"
    "  --within D           the distance, with its unit (500m, 2mi, 3km);\n"
    "                       required\n"
    "  --add K              how many sites to add, 1 to 1000; required\n"
    "  --candidates FILE    possible sites (default: the areas' points)\n"
    "  --method M           auto (default), greedy or exact (exact whatever\n"
    "                       the size: may take long)\n"
    "\n" CLI_ANALYSIS_HELP_TEXT "\n"
    "The category: exactly one, with --category.\n"
    "\n"
    "examples:\n"
    "  assetmap sites --category food --within 1mi --add 3\n"
    "  assetmap sites --category primary_care --within 5km --add 2 --cohort "
    "asthma-kids\n"
    "  assetmap sites --category food --within 1mi --add 2 --candidates "
    "lots.csv\n";

enum { OPT_WITHIN = 2000, OPT_ADD, OPT_CANDIDATES, OPT_METHOD };

struct own {
	long add;
	const char *cand_file, *method_name;
	enum geo_sites_method method;
};

/* --add, --candidates and --method, for cli_analysis_parse. */
static int own_opt(struct cli_ctx *ctx, const char *cmd, int opt,
		   const char *arg, void *u)
{
	struct own *o = u;

	if (opt == OPT_ADD)
		return cli_parse_long(ctx, cmd, "--add", arg, 1, 1000, &o->add)
			   ? -1
			   : 1;
	if (opt == OPT_CANDIDATES) {
		o->cand_file = arg;
		return 1;
	}
	if (opt != OPT_METHOD)
		return 0;
	if (strcmp(arg, "auto") == 0) {
		o->method = GEO_SITES_AUTO;
	} else if (strcmp(arg, "greedy") == 0) {
		o->method = GEO_SITES_GREEDY;
	} else if (strcmp(arg, "exact") == 0) {
		o->method = GEO_SITES_EXACT;
	} else {
		cli_usage(ctx, cmd, "--method '%s': use auto, greedy or exact",
			  arg);
		return -1;
	}
	o->method_name = arg;
	return 1;
}

/* The candidate sites. */
struct cands {
	size_t n, cap;
	double *x, *y; /* metres */
	double *lon, *lat;
	char **label; /* area GEOID or the file's name/id/row */
	char **name;  /* area name or NULL */
	int from_areas;
};

static void cands_add(struct cands *c, double lon, double lat,
		      const char *label, const char *name)
{
	if (c->n == c->cap) {
		size_t cap = c->cap;

		xgrow((void **)&c->x, &cap, c->n + 1, sizeof(double));
		cap = c->cap;
		xgrow((void **)&c->y, &cap, c->n + 1, sizeof(double));
		cap = c->cap;
		xgrow((void **)&c->lon, &cap, c->n + 1, sizeof(double));
		cap = c->cap;
		xgrow((void **)&c->lat, &cap, c->n + 1, sizeof(double));
		cap = c->cap;
		xgrow((void **)&c->label, &cap, c->n + 1, sizeof(char *));
		cap = c->cap;
		xgrow((void **)&c->name, &cap, c->n + 1, sizeof(char *));
		c->cap = cap;
	}
	c->lon[c->n] = c->x[c->n] = lon;
	c->lat[c->n] = c->y[c->n] = lat;
	c->label[c->n] = xstrdup(label);
	c->name[c->n] = xstrdup_or_null(name);
	c->n++;
}

static void cands_release(struct cands *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->label[i]);
		free(c->name[i]);
	}
	free(c->x);
	free(c->y);
	free(c->lon);
	free(c->lat);
	free(c->label);
	free(c->name);
	memset(c, 0, sizeof(*c));
}

static int field_named(OGRFeatureDefnH defn, const char *const *names)
{
	int i, n = OGR_FD_GetFieldCount(defn);
	size_t k;

	for (k = 0; names[k]; k++)
		for (i = 0; i < n; i++)
			if (strcasecmp(OGR_Fld_GetNameRef(
					   OGR_FD_GetFieldDefn(defn, i)),
				       names[k]) == 0)
				return i;
	return -1;
}

static int parse_coord(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (end == s || *end || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

/* Candidates from a file GDAL reads: point geometries, or lat/lon
 * columns. */
static int cands_from_file(const char *path, struct cands *c,
			   struct core_err *err)
{
	static const char *const lat_names[] = {"lat", "latitude", "y", NULL};
	static const char *const lon_names[] = {"lon",	     "lng", "long",
						"longitude", "x",   NULL};
	static const char *const label_names[] = {"name", "label", "id", "site",
						  NULL};
	struct imp_gdal_msgs m;
	GDALDatasetH ds = NULL;
	OGRLayerH lyr;
	OGRFeatureDefnH defn;
	OGRFeatureH f;
	OGRCoordinateTransformationH ct = NULL;
	OGRSpatialReferenceH wgs = NULL;
	int flat, flon, flab, rc = CORE_OK;
	long row = 0;

	if (access(path, R_OK) != 0)
		return core_err_set(err, CORE_EIO, "--candidates %s: %s", path,
				    strerror(errno));
	imp_gdal_init();
	imp_gdal_push(&m);
	ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL,
			NULL);
	if (!ds) {
		rc = core_err_set(err, CORE_EIO,
				  "--candidates %s: cannot read it as a table "
				  "or vector file%s%s",
				  path, m.last[0] ? ": " : "", m.last);
		goto cleanup;
	}
	lyr = GDALDatasetGetLayer(ds, 0);
	if (!lyr) {
		rc = core_err_set(err, CORE_EFORMAT,
				  "--candidates %s: the file has no layer",
				  path);
		goto cleanup;
	}
	defn = OGR_L_GetLayerDefn(lyr);
	flat = field_named(defn, lat_names);
	flon = field_named(defn, lon_names);
	flab = field_named(defn, label_names);
	{
		OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(lyr);

		if (srs) {
			OGRSpatialReferenceH s2 = OSRClone(srs);

			wgs = OSRNewSpatialReference(NULL);
			OSRImportFromEPSG(wgs, 4326);
			OSRSetAxisMappingStrategy(wgs,
						  OAMS_TRADITIONAL_GIS_ORDER);
			OSRSetAxisMappingStrategy(s2,
						  OAMS_TRADITIONAL_GIS_ORDER);
			if (!OSRIsSame(s2, wgs))
				ct = OCTNewCoordinateTransformation(s2, wgs);
			OSRDestroySpatialReference(s2);
		}
	}
	OGR_L_ResetReading(lyr);
	while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		double lon = NAN, lat = NAN;
		char lab[64];
		const char *label;

		row++;
		if (g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint &&
		    !OGR_G_IsEmpty(g)) {
			lon = OGR_G_GetX(g, 0);
			lat = OGR_G_GetY(g, 0);
			if (ct && !OCTTransform(ct, 1, &lon, &lat, NULL))
				lon = lat = NAN;
		} else if (flat >= 0 && flon >= 0) {
			if (parse_coord(OGR_F_GetFieldAsString(f, flat), -90,
					90, &lat) ||
			    parse_coord(OGR_F_GetFieldAsString(f, flon), -180,
					180, &lon)) {
				rc = core_err_set(
				    err, CORE_EFORMAT,
				    "--candidates %s data row %ld: lat '%s', "
				    "lon '%s' is not a place (latitude -90 to "
				    "90, longitude -180 to 180)",
				    path, row, OGR_F_GetFieldAsString(f, flat),
				    OGR_F_GetFieldAsString(f, flon));
				OGR_F_Destroy(f);
				goto cleanup;
			}
		}
		if (isnan(lon) || isnan(lat)) {
			rc = core_err_set(
			    err, CORE_EFORMAT,
			    "--candidates %s data row %ld: no place: give each "
			    "row a point geometry or lat and lon columns",
			    path, row);
			OGR_F_Destroy(f);
			goto cleanup;
		}
		snprintf(lab, sizeof(lab), "row %ld", row);
		label = flab >= 0 && OGR_F_IsFieldSetAndNotNull(f, flab) &&
				*OGR_F_GetFieldAsString(f, flab)
			    ? OGR_F_GetFieldAsString(f, flab)
			    : lab;
		cands_add(c, lon, lat, label, NULL);
		OGR_F_Destroy(f);
	}
	if (c->n == 0)
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "--candidates %s: no rows: nothing to choose from", path);
cleanup:
	if (ct)
		OCTDestroyCoordinateTransformation(ct);
	if (wgs)
		OSRDestroySpatialReference(wgs);
	if (ds)
		GDALClose(ds);
	imp_gdal_pop();
	return rc;
}

/* A count of people as printed: suppressed for a cohort. */
static void fmt_people(double v, int cohort, int hidden, char *buf, size_t size)
{
	if (hidden)
		snprintf(buf, size, "%s", CORE_PRIVACY_HIDDEN_TEXT);
	else if (cohort)
		core_privacy_count((int64_t)llround(v), buf, size);
	else
		snprintf(buf, size, "%.0f", v);
}

int cmd_sites(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_ANALYSIS_OPTIONS,
	    {"within", required_argument, NULL, OPT_WITHIN},
	    {"add", required_argument, NULL, OPT_ADD},
	    {"candidates", required_argument, NULL, OPT_CANDIDATES},
	    {"method", required_argument, NULL, OPT_METHOD},
	    {NULL, 0, NULL, 0}};
	struct cli_analysis a;
	struct own o = {0, NULL, "auto", GEO_SITES_AUTO};
	struct cli_inputs in;
	struct cands cs;
	struct geo_sites_in sin;
	struct geo_sites *s = NULL;
	struct cli_run run = {0};
	struct cli_table *t = NULL;
	json_object *jpicks;
	enum cli_format fmt = CLI_FMT_TABLE;
	double within = NAN, *weight = NULL, *px = NULL, *py = NULL;
	const char *within_arg = NULL;
	int64_t *col = NULL;
	size_t i, first_hidden;
	enum core_privacy_mark marks_split[2] = {CORE_PRIVACY_SHOW,
						 CORE_PRIVACY_SHOW};
	enum core_privacy_mark *marks_gain = NULL;
	int hide_people = 0;
	int rc = CORE_OK, cohort_people, counts_cohort = 0, weighted = 0;

	cli_analysis_init(&a);
	memset(&in, 0, sizeof(in));
	memset(&cs, 0, sizeof(cs));
	if ((rc = cli_analysis_parse(ctx, CMD, argc, argv, opts, OPT_WITHIN,
				     "--within", "how far a site reaches",
				     &within, &within_arg, own_opt, &o, &a)))
		goto cleanup;
	if (o.add == 0) {
		rc = cli_usage(ctx, CMD,
			       "--add K is required: how many sites to add "
			       "(e.g. --add 3)");
		goto cleanup;
	}
	if ((rc = cli_analysis_one_category(ctx, CMD, &a, &fmt)) ||
	    (rc = cli_inputs_load_counts(ctx, CMD, &a, &in, &counts_cohort)))
		goto cleanup;
	cohort_people = a.cohort && !counts_cohort;
	if (!cohort_people) {
		/* demand at the area points: population or counts */
		weight = xmalloc((in.areas->n + 1) * sizeof(double));
		if (a.cohort) {
			if ((rc = geo_demand_load(ctx->ws, in.areas, a.cohort,
						  NULL, weight, &ctx->err)))
				goto cleanup;
		} else {
			for (i = 0; i < in.areas->n; i++)
				weight[i] = in.areas->population[i];
		}
	}

	/* The candidates. */
	if (o.cand_file) {
		if ((rc = cands_from_file(o.cand_file, &cs, &ctx->err))) {
			core_err_prefix(&ctx->err, "%s: ", CMD);
			goto cleanup;
		}
		if ((rc = geo_proj_fwd(in.proj, cs.x, cs.y, cs.n, &ctx->err))) {
			core_err_prefix(&ctx->err,
					"--candidates %s: ", o.cand_file);
			goto cleanup;
		}
	} else {
		const double *ax = in.x, *ay = in.y;

		if (in.areas->n == 0) {
			rc = core_err_set(
			    &ctx->err, CORE_ENOTFOUND,
			    "%s: workspace %s has no %s areas to take "
			    "candidate sites from; import them with 'assetmap "
			    "import areas' or give --candidates FILE",
			    CMD, ctx->ws->path, a.areas);
			goto cleanup;
		}
		if (cohort_people) {
			px = xmalloc(in.areas->n * sizeof(double));
			py = xmalloc(in.areas->n * sizeof(double));
			if ((rc =
				 geo_area_points(ctx->ws, in.areas, in.proj, px,
						 py, &weighted, &ctx->err)))
				goto cleanup;
			ax = px;
			ay = py;
		} else {
			weighted = in.weighted;
		}
		cs.from_areas = 1;
		for (i = 0; i < in.areas->n; i++) {
			if (in.areas->flags[i] || isnan(ax[i]) || isnan(ay[i]))
				continue;
			cands_add(&cs, ax[i], ay[i], in.areas->geoid[i],
				  in.areas->name[i]);
		}
		memcpy(cs.lon, cs.x, cs.n * sizeof(double));
		memcpy(cs.lat, cs.y, cs.n * sizeof(double));
		if ((rc = geo_proj_inv(in.proj, cs.lon, cs.lat, cs.n,
				       &ctx->err)))
			goto cleanup;
	}

	memset(&sin, 0, sizeof(sin));
	sin.ndemand = in.n;
	sin.dx = in.x;
	sin.dy = in.y;
	sin.dw = weight;
	sin.nassets = in.supply[0].n;
	sin.ax = in.supply[0].x;
	sin.ay = in.supply[0].y;
	sin.ncand = cs.n;
	sin.cx = cs.x;
	sin.cy = cs.y;
	sin.within = within;
	sin.k = (size_t)o.add;
	sin.method = o.method;
	if ((rc = geo_sites_solve(&sin, &s, &ctx->err)))
		goto cleanup;

	/*
	 * A cohort's people split twice, each split published with its
	 * total: everyone = already within reach + out of reach, and out of
	 * reach = the picks' gains + those still out of reach.  Each split
	 * is one row of complementary suppression, and a running total
	 * after a hidden gain would give it away.
	 */
	first_hidden = s->npicks;
	if (cohort_people || a.cohort) {
		int64_t split[2];
		int64_t *cells = xcalloc(s->npicks + 1, sizeof(int64_t));

		marks_gain = xcalloc(s->npicks + 1, sizeof(*marks_gain));
		split[0] = llround(s->total) - llround(s->uncovered);
		split[1] = llround(s->uncovered);
		hide_people = core_privacy_row(split, 2, 1, marks_split);
		for (i = 0; i < s->npicks; i++)
			cells[i] = llround(s->gain[i]);
		cells[s->npicks] = llround(s->uncovered) - llround(s->covered);
		if (core_privacy_row(cells, s->npicks + 1,
				     marks_split[1] == CORE_PRIVACY_SHOW,
				     marks_gain) &&
		    marks_split[1] == CORE_PRIVACY_SHOW)
			marks_split[1] = CORE_PRIVACY_COMPLEMENT;
		free(cells);
		for (i = 0; i < s->npicks; i++)
			if (marks_gain[i] != CORE_PRIVACY_SHOW) {
				first_hidden = i;
				break;
			}
	}

	run.params = json_object_new_object();
	json_object_object_add(run.params, "category",
			       json_object_new_string(a.cats[0]));
	json_object_object_add(run.params, "within_m",
			       json_object_new_double(within));
	json_object_object_add(run.params, "add", json_object_new_int64(o.add));
	json_object_object_add(run.params, "method",
			       json_object_new_string(o.method_name));
	json_object_object_add(run.params, "areas",
			       json_object_new_string(a.areas));
	if (o.cand_file)
		json_object_object_add(run.params, "candidates",
				       json_object_new_string(o.cand_file));
	if (a.cohort)
		json_object_object_add(run.params, "cohort",
				       json_object_new_string(a.cohort));
	if (a.where)
		json_object_object_add(run.params, "where",
				       json_object_new_string(a.where));
	{
		char buf[256];

		geo_filter_describe(&a.filter, buf, sizeof(buf));
		if (buf[0])
			json_object_object_add(run.params, "filter",
					       json_object_new_string(buf));
	}
	if ((rc = cli_run_begin(ctx, CMD, in.areas->n ? a.areas : NULL,
				a.cohort, &run)))
		goto cleanup;
	{
		char l1[256], ws_[32];

		core_units_format(within, a.units, ws_, sizeof(ws_));
		snprintf(l1, sizeof(l1),
			 "%s farther than %s from %s that a new site here "
			 "would reach",
			 a.cohort ? "People" : "Population", ws_, a.cats[0]);
		if ((rc = core_result_info_add(ctx->ws, run.id, "reach",
					       a.cohort ? CORE_RK_COHORT_COUNT
							: CORE_RK_POPULATION,
					       NULL, l1, 1, &ctx->err)))
			goto cleanup;
		if ((rc = core_result_info_add(
			 ctx->ws, run.id, "pick", CORE_RK_RANK, NULL,
			 "New site: order picked", 2, &ctx->err)))
			goto cleanup;
	}
	if ((rc = core_result_writer_new(ctx->ws, run.id, &run.w, &ctx->err)))
		goto cleanup;
	{
		double *rank = xmalloc((cs.n + 1) * sizeof(double));

		for (i = 0; i < cs.n; i++)
			rank[i] = NAN;
		for (i = 0; i < s->npicks; i++)
			rank[s->pick[i]] = (double)(i + 1);
		for (i = 0; i < cs.n && rc == CORE_OK; i++) {
			rc = core_result_area_put(run.w, cs.label[i], "reach",
						  round(s->solo[i]), &ctx->err);
			if (rc == CORE_OK)
				rc = core_result_area_put(run.w, cs.label[i],
							  "pick", rank[i],
							  &ctx->err);
		}
		free(rank);
		if (rc)
			goto cleanup;
	}
	if (cohort_people) {
		char name[160];

		col = xmalloc((in.n + 1) * sizeof(int64_t));
		for (i = 0; i < in.n; i++)
			col[i] = s->first[i];
		snprintf(name, sizeof(name), "site_%s", a.cats[0]);
		if ((rc = core_result_column_put(ctx->ws, run.id, "member_id",
						 "i8", in.n, in.members->id,
						 &ctx->err)) ||
		    (rc = core_result_column_put(ctx->ws, run.id, name, "i8",
						 in.n, col, &ctx->err)))
			goto cleanup;
	}

	/* The picks: table and summary. */
	{
		static const char *const cols[] = {
		    "pick",
		    "site",
		    "name",
		    "lat",
		    "lon",
		    "newly reached",
		    "reached so far",
		    "share of those out of reach"};
		int cohort = a.cohort != NULL;

		t = cli_table_new(8, cols, "nssnnnnn");
		run.summary = json_object_new_object();
		jpicks = json_object_new_array();
		json_object_object_add(run.summary, "picks", jpicks);
		json_object_object_add(
		    run.summary, "method",
		    json_object_new_string(s->exact ? "exact" : "greedy"));
		for (i = 0; i < s->npicks; i++) {
			size_t j = s->pick[i];
			char s_rank[24], s_lat[32], s_lon[32], s_gain[32],
			    s_cum[32], s_share[32];
			const char *row[8];
			json_object *jp = json_object_new_object();
			int hidden = i >= first_hidden;

			snprintf(s_rank, sizeof(s_rank), "%zu", i + 1);
			snprintf(s_lat, sizeof(s_lat), "%.5f", cs.lat[j]);
			snprintf(s_lon, sizeof(s_lon), "%.5f", cs.lon[j]);
			if (marks_gain)
				core_privacy_cell(llround(s->gain[i]),
						  marks_gain[i], 0, s_gain,
						  sizeof(s_gain));
			else
				fmt_people(s->gain[i], cohort, 0, s_gain,
					   sizeof(s_gain));
			fmt_people(s->cum[i], cohort, hidden, s_cum,
				   sizeof(s_cum));
			/* a share of a hidden whole gives the whole away */
			if (marks_split[1] != CORE_PRIVACY_SHOW)
				hidden = 1;
			if (hidden || !(s->uncovered > 0))
				snprintf(s_share, sizeof(s_share), "%s",
					 hidden ? CORE_PRIVACY_HIDDEN_TEXT
						: "-");
			else
				snprintf(s_share, sizeof(s_share), "%.1f%%",
					 100 * s->cum[i] / s->uncovered);
			row[0] = s_rank;
			row[1] = cs.label[j];
			row[2] = cs.name[j];
			row[3] = s_lat;
			row[4] = s_lon;
			row[5] = s_gain;
			row[6] = s_cum;
			row[7] = s_share;
			cli_table_add(t, row);
			json_object_object_add(
			    jp, "rank", json_object_new_int64((int64_t)i + 1));
			json_object_object_add(
			    jp, "site", json_object_new_string(cs.label[j]));
			json_object_object_add(
			    jp, "lat",
			    json_object_new_double(round(cs.lat[j] * 1e5) /
						   1e5));
			json_object_object_add(
			    jp, "lon",
			    json_object_new_double(round(cs.lon[j] * 1e5) /
						   1e5));
			if (cohort) {
				json_object_object_add(
				    jp, "newly_reached",
				    json_object_new_string(s_gain));
				json_object_object_add(
				    jp, "reached_so_far",
				    json_object_new_string(s_cum));
			} else {
				json_object_object_add(
				    jp, "newly_reached",
				    json_object_new_double(round(s->gain[i])));
				json_object_object_add(
				    jp, "reached_so_far",
				    json_object_new_double(round(s->cum[i])));
			}
			json_object_array_add(jpicks, jp);
		}
		{
			char s_unc[32], s_tot[32], s_bound[32], s_cov[32];

			if (cohort)
				core_privacy_cell(llround(s->uncovered),
						  marks_split[1], 0, s_unc,
						  sizeof(s_unc));
			else
				fmt_people(s->uncovered, cohort, 0, s_unc,
					   sizeof(s_unc));
			fmt_people(s->total, cohort, hide_people, s_tot,
				   sizeof(s_tot));
			/* "exact" says the bound is what the picks reach */
			fmt_people(s->bound, cohort, first_hidden < s->npicks,
				   s_bound, sizeof(s_bound));
			fmt_people(s->covered, cohort, first_hidden < s->npicks,
				   s_cov, sizeof(s_cov));
			json_object_object_add(run.summary, "people",
					       json_object_new_string(s_tot));
			json_object_object_add(run.summary, "out_of_reach",
					       json_object_new_string(s_unc));
			json_object_object_add(run.summary, "reached",
					       json_object_new_string(s_cov));
			json_object_object_add(run.summary,
					       "best_possible_at_most",
					       json_object_new_string(s_bound));
			json_object_object_add(
			    run.summary, "candidates",
			    json_object_new_int64((int64_t)cs.n));
			json_object_object_add(
			    run.summary, "candidates_reaching_anyone",
			    json_object_new_int64((int64_t)s->useful));
			json_object_object_add(
			    run.summary, "combinations",
			    json_object_new_double(s->combinations));
			if ((rc = cli_run_commit(ctx, &run)))
				goto cleanup;

			{
				char ws_[32], filt[256];

				core_units_format(within, a.units, ws_,
						  sizeof(ws_));
				geo_filter_describe(&a.filter, filt,
						    sizeof(filt));
				cli_note(ctx,
					 "sites: %s of %s %s farther than %s "
					 "from all %zu %s assets%s%s\n",
					 s_unc, s_tot,
					 a.cohort ? (cohort_people
							 ? "people"
							 : "people (counts at "
							   "area points)")
						  : "residents (population at "
						    "area points)",
					 ws_, in.supply[0].n, a.cats[0],
					 filt[0] ? " with " : "", filt);
				cli_note(
				    ctx,
				    "candidates: %zu %s; %zu reach anyone out "
				    "of reach\n",
				    cs.n,
				    o.cand_file ? o.cand_file
				    : weighted
					? "area points (population-weighted "
					  "centroids; water-only and "
					  "unpopulated areas left out)"
					: "area points (centroids; water-only "
					  "and unpopulated areas left out)",
				    s->useful);
				if (s->exact && s->nodes == 0)
					cli_note(ctx,
						 "exact: the best possible "
						 "(the greedy picks reach the "
						 "upper bound)\n");
				else if (s->exact)
					cli_note(
					    ctx,
					    "exact: the best possible (%.0f "
					    "combination%s of the candidates "
					    "that reach anyone, searched with "
					    "pruning: %zu looked at)\n",
					    s->combinations,
					    s->combinations == 1 ? "" : "s",
					    s->nodes);
				else if (o.method == GEO_SITES_GREEDY)
					cli_note(ctx,
						 "greedy (--method greedy): at "
						 "least 63.2%% (1 - 1/e) of "
						 "the best possible, which "
						 "reaches at most %s\n",
						 s_bound);
				else
					cli_note(
					    ctx,
					    "greedy: at least 63.2%% (1 - 1/e) "
					    "of the best possible, which "
					    "reaches at most %s (%.0f "
					    "combinations: too many to search; "
					    "--method exact to insist)\n",
					    s_bound, s->combinations);
				if (s->npicks < (size_t)o.add)
					cli_note(
					    ctx,
					    "only %zu site%s add anyone: the "
					    "rest would reach no one new\n",
					    s->npicks,
					    s->npicks == 1 ? "" : "s");
			}
		}
	}
	cli_table_print(t, ctx->out, fmt);
	cli_run_stored_note(ctx, run.id);
cleanup:
	free(marks_gain);
	cli_run_release(ctx, &run);
	cli_table_free(t);
	geo_sites_free(s);
	cands_release(&cs);
	free(weight);
	free(px);
	free(py);
	free(col);
	cli_inputs_release(&in);
	cli_analysis_release(&a);
	return rc;
}
