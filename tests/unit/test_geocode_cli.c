/*
 * test_geocode_cli.c - the batch geocoder's plumbing (cli_geocode): the
 * address columns found or named, the rows read and written back in
 * their order with their quoting, CSV and GeoPackage read back, the
 * summary's counts, the errors (naming line and column, never an
 * address), and a place given as coordinates or an address.
 *
 * The answers written here are set by hand, so that the writers are
 * checked against hand-written files whatever the matcher answers; the
 * matcher's own truth is tests/unit/test_geocode.c's.
 */
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_geocode.h"
#include "core/core_csv.h"
#include "core/core_mem.h"
#include "core/core_ws.h"
#include "importers/imp_common.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Columns
 * ------------------------------------------------------------------ */

struct col_case {
	const char *header;
	const char *given[CLI_GC_NROLES];
	int rc;
	const char *want; /* the description, or a piece of the error */
};

static const struct col_case col_cases[] = {
    {"id,Address,City,Zip\n",
     {NULL},
     0,
     "street 'Address', city 'City', zip 'Zip'"},
    {"id,address\n", {NULL}, 0, "address (one line) 'address'"},
    {"id,Location,notes\n", {NULL}, 0, "address (one line) 'Location'"},
    {"Full Address,City\n", {NULL}, 0, "address (one line) 'Full Address'"},
    {"House Number,Street Name,Apt,ZIP Code,STATE\n",
     {NULL},
     0,
     "number 'House Number', street 'Street Name', unit 'Apt', state "
     "'STATE', zip 'ZIP Code'"},
    {"Address1,Address2,City,State,Postal Code\n",
     {NULL},
     0,
     "street 'Address1', unit 'Address2', city 'City', state 'State', zip "
     "'Postal Code'"},
    {"street_address,city,address\n",
     {NULL},
     0,
     "street 'street_address', city 'city'"},
    {"loc,town,postcode\n",
     {NULL, NULL, "LOC"},
     0,
     "street 'loc', city 'town', zip 'postcode'"},
    {"a,b,c\n", {"B"}, 0, "address (one line) 'b'"},
    {"id,adress\n", {NULL}, CORE_EFORMAT, "say so: --address 'adress'"},
    {"id,name\n",
     {NULL},
     CORE_EFORMAT,
     "has no address column I recognise (its columns are 'id', 'name'); "
     "name it with --address COL"},
    {"id,Address,Zip\n",
     {NULL, NULL, NULL, NULL, NULL, NULL, "zpi"},
     CORE_EUSAGE,
     "--zip: "},
    {"id,Address,Zip\n",
     {NULL, NULL, NULL, NULL, NULL, NULL, "zpi"},
     CORE_EUSAGE,
     "has no column 'zpi'; its columns are 'id', 'Address', 'Zip'; did "
     "you mean 'Zip'?"},
    {"id,Address,City\n",
     {"Address", NULL, NULL, NULL, "City"},
     CORE_EUSAGE,
     "give --street COL"},
};

static void test_columns(void)
{
	size_t i;

	for (i = 0; i < sizeof(col_cases) / sizeof(col_cases[0]); i++) {
		const struct col_case *c = &col_cases[i];
		struct core_err err = CORE_ERR_INIT;
		struct cli_gc_file *f = NULL;
		int cols[CLI_GC_NROLES], before = test_failures(), rc;

		rc = cli_gc_file_open(test_write("cols.csv", c->header), &f,
				      &err);
		CHECK_INT(rc, 0);
		if (!rc)
			rc = cli_gc_columns(f, c->given, cols, &err);
		CHECK_INT(rc, c->rc);
		if (!rc) {
			struct core_buf b = CORE_BUF_INIT;

			cli_gc_columns_describe(f, cols, &b);
			CHECK_STR(core_buf_str(&b), c->want);
			core_buf_release(&b);
		} else {
			CHECK_CONTAINS(err.msg, c->want);
		}
		cli_gc_file_free(f);
		test_row_end(before, i, c->header, __FILE__, __LINE__);
	}
}

/* ---------------------------------------------------------------------
 * Rows out as they came in
 * ------------------------------------------------------------------ */

/* Quotes, separators and line ends inside fields, an empty address,
 * UTF-8, a short last field. */
static const char tricky[] =
    "id,name,address,note\n"
    "1,\"Smith, J\",\"2901 16th St, San Francisco, CA 94110\",\"said "
    "\"\"hi\"\"\"\n"
    "2,Ana,\"55 Octavia St, SF 94102\",\"two\n"
    "lines\"\n"
    "3,Bo,,plain\n"
    "4,\xc3\x87\xc3\xa9,1 Main St,\n"
    "5,x,2 Main St,z\r\n"
    "6,y,3 Main St,w\n";

/* The answers set by hand: row i at level i (the first, 0, not
 * placed). */
static void set_answers(struct cli_gc_batch *b)
{
	static const double lon[] = {NAN, -0.00000004, -122.4241,
				     1.5, -122.41,     -122.5};
	static const double lat[] = {NAN,   37.7726917, 37.78,
				     -2.25, 37.7,	37.0000001};
	size_t i;

	for (i = 0; i < b->n; i++) {
		b->res[i].level = (uint8_t)i;
		b->res[i].lon = lon[i];
		b->res[i].lat = lat[i];
		b->res[i].score = i ? 1.0 - 0.125 * (double)i : 0;
		b->res[i].why = i == 0	 ? "street not found"
				: i == 5 ? "number, not, found"
					 : NULL;
	}
}

static const char tricky_out[] =
    "id,name,address,note,lon,lat,level,score,why\n"
    "1,\"Smith, J\",\"2901 16th St, San Francisco, CA 94110\",\"said "
    "\"\"hi\"\"\",,,none,,street not found\n"
    "2,Ana,\"55 Octavia St, SF 94102\",\"two\nlines\",0.0000000,37.7726917,"
    "address_point,0.875,\n"
    "3,Bo,,plain,-122.4241000,37.7800000,interpolated,0.750,\n"
    "4,\xc3\x87\xc3\xa9,1 Main St,,1.5000000,-2.2500000,street_range,0.625,"
    "\n"
    "5,x,2 Main St,z,-122.4100000,37.7000000,street,0.500,\n"
    "6,y,3 Main St,w,-122.5000000,37.0000001,zip,0.375,\"number, not, "
    "found\"\n";

/* Open, pick the columns and read path into *f and *b. */
static int read_file(const char *path, struct cli_gc_file **f,
		     struct cli_gc_batch **b, struct core_err *err)
{
	const char *given[CLI_GC_NROLES] = {NULL};
	int cols[CLI_GC_NROLES], rc;

	*f = NULL;
	*b = NULL;
	if ((rc = cli_gc_file_open(path, f, err)) ||
	    (rc = cli_gc_columns(*f, given, cols, err)))
		return rc;
	return cli_gc_read(*f, cols, b, err);
}

static void test_csv_out(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct cli_gc_file *f;
	struct cli_gc_batch *b;
	struct core_csv *in = NULL, *out = NULL;
	const char *ipath = test_write("tricky.csv", tricky);
	const char *opath = test_path("tricky_out.csv");
	size_t count[6], seen[6] = {0}, i, row = 0;
	char *text;
	FILE *fp;

	CHECK_INT(read_file(ipath, &f, &b, &err), 0);
	if (!b) {
		cli_gc_file_free(f);
		return;
	}
	CHECK_INT((long)b->n, 6);
	CHECK_INT(b->one_line, 1);
	set_answers(b);
	fp = fopen(opath, "w");
	CHECK_INT(cli_gc_write_csv(f, b, fp, &err), 0);
	fclose(fp);
	text = test_slurp(opath, NULL);
	CHECK_STR(text, tricky_out);
	free(text);

	/* read back: every input field as it was, in order; the levels
	 * counted from the file equal the batch's counts */
	in = core_csv_open(ipath, &err);
	out = core_csv_open(opath, &err);
	CHECK(in && out);
	if (in && out) {
		CHECK_INT((long)core_csv_nheader(out), 9);
		while (core_csv_next(in, &err) == 1) {
			CHECK_INT(core_csv_next(out, &err), 1);
			for (i = 0; i < 4; i++)
				CHECK_STR(core_csv_get(out, i),
					  core_csv_get(in, i));
			for (i = 0; i < 6; i++)
				if (strcmp(core_csv_get(out, 6),
					   geo_gc_level_name((int)i)) == 0)
					seen[i]++;
			row++;
		}
		CHECK_INT(core_csv_next(out, &err), 0);
	}
	CHECK_INT((long)row, 6);
	cli_gc_count(b, count);
	for (i = 0; i < 6; i++)
		CHECK_INT((long)seen[i], (long)count[i]);
	core_csv_free(in);
	core_csv_free(out);
	cli_gc_batch_free(b);
	cli_gc_file_free(f);
}

static void test_gpkg_out(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct cli_gc_file *f;
	struct cli_gc_batch *b;
	const char *opath = test_path("tricky.gpkg");
	static const char *const names[] = {"Smith, J",		"Ana", "Bo",
					    "\xc3\x87\xc3\xa9", "x",   "y"};
	static const char *const notes[] = {
	    "said \"hi\"", "two\nlines", "plain", "", "z", "w"};
	GDALDatasetH ds;
	OGRLayerH lay;
	OGRFeatureH ft;
	long row = 0;

	CHECK_INT(read_file(test_write("tricky.csv", tricky), &f, &b, &err), 0);
	if (!b) {
		cli_gc_file_free(f);
		return;
	}
	set_answers(b);
	CHECK_INT(cli_gc_write_gpkg(f, b, opath, "out.gpkg", "tricky", &err),
		  0);
	imp_gdal_init();
	ds = GDALOpenEx(opath, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL,
			NULL);
	CHECK(ds != NULL);
	lay = ds ? GDALDatasetGetLayerByName(ds, "tricky") : NULL;
	CHECK(lay != NULL);
	if (lay) {
		OGRFeatureDefnH d = OGR_L_GetLayerDefn(lay);

		CHECK_INT(OGR_FD_GetFieldCount(d), 9);
		CHECK_STR(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, 6)),
			  "level");
		CHECK_INT(OGR_FD_GetGeomType(d), wkbPoint);
		OGR_L_ResetReading(lay);
		while ((ft = OGR_L_GetNextFeature(lay)) != NULL) {
			OGRGeometryH g = OGR_F_GetGeometryRef(ft);
			const struct cli_gc_res *r = &b->res[row];

			CHECK_INT((long)OGR_F_GetFID(ft), row + 1);
			CHECK_STR(OGR_F_GetFieldAsString(ft, 1), names[row]);
			CHECK_STR(OGR_F_GetFieldAsString(ft, 3), notes[row]);
			CHECK_STR(OGR_F_GetFieldAsString(ft, 6),
				  geo_gc_level_name(r->level));
			if (r->level == GEO_GC_NONE) {
				CHECK(g == NULL);
				CHECK(!OGR_F_IsFieldSetAndNotNull(ft, 4));
				CHECK_STR(OGR_F_GetFieldAsString(ft, 8),
					  "street not found");
			} else {
				CHECK(g != NULL);
				if (g) {
					CHECK_NEAR(OGR_G_GetX(g, 0), r->lon,
						   1e-12);
					CHECK_NEAR(OGR_G_GetY(g, 0), r->lat,
						   1e-12);
				}
				CHECK_NEAR(OGR_F_GetFieldAsDouble(ft, 7),
					   r->score, 1e-6);
			}
			OGR_F_Destroy(ft);
			row++;
		}
	}
	CHECK_INT(row, 6);
	if (ds)
		GDALClose(ds);
	cli_gc_batch_free(b);
	cli_gc_file_free(f);
}

/* A file with lon and lat columns of its own gets geocode_lon ... */
static void test_name_clash(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct cli_gc_file *f = NULL;

	CHECK_INT(cli_gc_file_open(test_write("clash.csv", "address,LAT\n"), &f,
				   &err),
		  0);
	if (f)
		CHECK_STR(cli_gc_out_names(f)[0], "geocode_lon");
	cli_gc_file_free(f);
	CHECK_INT(cli_gc_file_open(test_write("clash.csv", "address,late\n"),
				   &f, &err),
		  0);
	if (f)
		CHECK_STR(cli_gc_out_names(f)[4], "why");
	cli_gc_file_free(f);
}

/* ---------------------------------------------------------------------
 * The summary
 * ------------------------------------------------------------------ */

static void test_summary(void)
{
	struct cli_gc_batch b;
	struct core_buf s = CORE_BUF_INIT;
	size_t i;

	memset(&b, 0, sizeof(b));
	b.n = 12345;
	b.res = xcalloc(b.n, sizeof(*b.res));
	for (i = 0; i < b.n; i++) {
		struct cli_gc_res *r = &b.res[i];

		if (i < 9101)
			r->level = GEO_GC_POINT;
		else if (i < 9313)
			r->level = GEO_GC_INTERP;
		else if (i < 12000)
			r->level = GEO_GC_ZIP;
		else if (i < 12045)
			r->why = "empty address";
		else
			r->why = "street not found";
	}
	cli_gc_summary(&b, &s);
	CHECK_STR(core_buf_str(&s),
		  "placed 12,000 of 12,345: address point 9,101, interpolated "
		  "212, ZIP centroid 2,687; not placed 345: "
		  "street not found 300, empty address 45");
	core_buf_reset(&s);
	b.n = 3;
	for (i = 0; i < 3; i++)
		b.res[i].level = GEO_GC_STREET;
	cli_gc_summary(&b, &s);
	CHECK_STR(core_buf_str(&s), "placed 3 of 3: street 3");
	core_buf_release(&s);
	free(b.res);
}

/* ---------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------ */

static void test_errors(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct cli_gc_file *f;
	struct cli_gc_batch *b;

	/* a row wider than the header: its line and field, not its text */
	CHECK_INT(read_file(test_write("wide.csv", "id,address\n1,5 Elm St\n"
						   "2,77 Secret Ln,extra\n"),
			    &f, &b, &err),
		  CORE_EFORMAT);
	CHECK_CONTAINS(err.msg, "wide.csv line 3, field 3: ");
	CHECK(!strstr(err.msg, "Secret"));
	CHECK(b == NULL);
	cli_gc_file_free(f);
	core_err_clear(&err);

	CHECK_INT(
	    read_file(test_write("hdr.csv", "id,address\n"), &f, &b, &err),
	    CORE_EFORMAT);
	CHECK_CONTAINS(err.msg, "hdr.csv has no rows, only its header line");
	cli_gc_file_free(f);
	core_err_clear(&err);

	CHECK(read_file(test_write("empty.csv", ""), &f, &b, &err) != 0);
	CHECK_CONTAINS(err.msg, "empty.csv");
	CHECK(f == NULL);
	core_err_clear(&err);

	CHECK_INT(cli_gc_file_open(test_path("none.csv"), &f, &err), CORE_EIO);
	CHECK_CONTAINS(err.msg, "none.csv");
	core_err_clear(&err);

	CHECK_INT(cli_gc_file_open(test_write("junk.bin", "\x01\x02garbage"),
				   &f, &err),
		  CORE_EFORMAT);
	CHECK_CONTAINS(err.msg, "junk.bin cannot be read as a table");
}

/* A file GDAL reads (GeoJSON): the same rows, as text. */
static void test_gdal_in(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct cli_gc_file *f;
	struct cli_gc_batch *b;
	char *text;
	FILE *fp;
	const char *opath = test_path("gj_out.csv");

	CHECK_INT(
	    read_file(
		test_write("in.geojson",
			   "{\"type\":\"FeatureCollection\",\"features\":["
			   "{\"type\":\"Feature\",\"geometry\":null,"
			   "\"properties\":{\"id\":7,\"Street\":\"1 A St\","
			   "\"ZIP\":\"94110\"}},"
			   "{\"type\":\"Feature\",\"geometry\":null,"
			   "\"properties\":{\"id\":8,\"Street\":\"2, B St\","
			   "\"ZIP\":null}}]}"),
		&f, &b, &err),
	    0);
	if (!b) {
		cli_gc_file_free(f);
		return;
	}
	CHECK_INT((long)b->n, 2);
	CHECK_INT(b->one_line, 0);
	b->res[0].level = GEO_GC_ZIP;
	b->res[0].lon = -122.5;
	b->res[0].lat = 37.5;
	b->res[0].score = 0.25;
	b->res[1].why = "no street name";
	fp = fopen(opath, "w");
	CHECK_INT(cli_gc_write_csv(f, b, fp, &err), 0);
	fclose(fp);
	text = test_slurp(opath, NULL);
	CHECK_STR(text, "id,Street,ZIP,lon,lat,level,score,why\n"
			"7,1 A St,94110,-122.5000000,37.5000000,zip,0.250,\n"
			"8,\"2, B St\",,,,none,,no street name\n");
	free(text);
	cli_gc_batch_free(b);
	cli_gc_file_free(f);
}

/* ---------------------------------------------------------------------
 * Running: every row answered once, in its place
 * ------------------------------------------------------------------ */

static void test_run_every_row(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = test_new_ws("run.db");
	struct geo_geocoder *g = NULL;
	struct cli_gc_file *f;
	struct cli_gc_batch *b;
	struct core_buf in = CORE_BUF_INIT;
	size_t i, bad = 0, n = 200003;

	if (!ws)
		return;
	core_buf_adds(&in, "n,street,zip\n");
	for (i = 0; i < n; i++)
		core_buf_addf(&in, "%zu,%s,9411%zu\n", i,
			      i % 7 == 3 ? "" : "12 Nowhere St", i % 10);
	CHECK_INT(
	    read_file(test_write("many.csv", core_buf_str(&in)), &f, &b, &err),
	    0);
	core_buf_release(&in);
	CHECK_INT(geo_geocoder_load(ws, &g, &err), 0);
	if (g) {
		struct core_buf d = CORE_BUF_INIT;

		cli_gc_describe_reference(g, &d);
		CHECK_STR(core_buf_str(&d), "nothing");
		core_buf_release(&d);
	}
	if (b && g) {
		CHECK_INT((long)b->n, (long)n);
		for (i = 0; i < n; i++)
			b->res[i].level = 99;
		/* an empty workspace: every row answered, not placed */
		cli_gc_run(b, g, NULL);
		for (i = 0; i < n; i++)
			if (b->res[i].level != GEO_GC_NONE || !b->res[i].why ||
			    !isnan(b->res[i].lon))
				bad++;
		CHECK_INT((long)bad, 0);
		/* a row with no street: the parser's reason when it refuses
		 * it, else the matcher's, the same for every such row */
		{
			struct geo_addr a;
			int st = geo_addr_parse_parts(NULL, "", NULL, NULL,
						      NULL, "94113", &a);
			const char *want =
			    st ? geo_addr_status_str(st) : b->res[4].why;

			for (i = 3, bad = 0; i < n; i += 7)
				if (strcmp(b->res[i].why, want) != 0)
					bad++;
			CHECK_INT((long)bad, 0);
		}
	}
	geo_geocoder_free(g);
	cli_gc_batch_free(b);
	cli_gc_file_free(f);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * A place given on the command line
 * ------------------------------------------------------------------ */

static void test_is_coords(void)
{
	CHECK_INT(cli_gc_is_coords("37.7599,-122.4148"), 1);
	CHECK_INT(cli_gc_is_coords(" 37.7599, -122.4148 "), 1);
	CHECK_INT(cli_gc_is_coords("91,0"), 1);
	CHECK_INT(cli_gc_is_coords("37.1"), 1);
	CHECK_INT(cli_gc_is_coords("2901 16th St"), 0);
	CHECK_INT(cli_gc_is_coords("abc"), 0);
	CHECK_INT(cli_gc_is_coords(",,"), 0);
	CHECK_INT(cli_gc_is_coords(""), 0);
	/* a ZIP alone is an address (its centroid), not a bad LAT,LON */
	CHECK_INT(cli_gc_is_coords("94110"), 0);
	CHECK_INT(cli_gc_is_coords(" 94110-1234 "), 0);
	CHECK_INT(cli_gc_is_coords("9411"), 1);
	CHECK_INT(cli_gc_is_coords("94110-12"), 1);
	CHECK_INT(cli_gc_is_coords("94110,1"), 1);
}

static void test_addr_line(void)
{
	struct geo_addr a;
	struct core_buf b = CORE_BUF_INIT;

	memset(&a, 0, sizeof(a));
	a.number = 2901;
	strcpy(a.name, "16");
	strcpy(a.type, "ST");
	strcpy(a.unit, "APT 4");
	strcpy(a.city, "SAN FRANCISCO");
	strcpy(a.state, "CA");
	strcpy(a.zip, "94110");
	cli_gc_addr_line(&a, &b);
	CHECK_STR(core_buf_str(&b), "2901 16 ST APT 4, SAN FRANCISCO CA 94110");
	core_buf_reset(&b);
	memset(&a, 0, sizeof(a));
	a.number = 32;
	strcpy(a.num_suffix, "A");
	strcpy(a.name, "ELGIN");
	strcpy(a.type, "PARK");
	cli_gc_addr_line(&a, &b);
	CHECK_STR(core_buf_str(&b), "32A ELGIN PARK");
	core_buf_reset(&b);
	strcpy(a.num_suffix, "1/2");
	strcpy(a.predir, "N");
	strcpy(a.zip, "94102");
	cli_gc_addr_line(&a, &b);
	CHECK_STR(core_buf_str(&b), "32 1/2 N ELGIN PARK, 94102");
	core_buf_reset(&b);
	memset(&a, 0, sizeof(a));
	a.number = -1;
	a.po_box = 1;
	strcpy(a.box, "12");
	strcpy(a.city, "OAKLAND");
	cli_gc_addr_line(&a, &b);
	CHECK_STR(core_buf_str(&b), "PO BOX 12, OAKLAND");
	core_buf_release(&b);
}

static const struct test tests[] = {TEST(test_columns),
				    TEST(test_csv_out),
				    TEST(test_gpkg_out),
				    TEST(test_name_clash),
				    TEST(test_summary),
				    TEST(test_errors),
				    TEST(test_gdal_in),
				    TEST(test_run_every_row),
				    TEST(test_is_coords),
				    TEST(test_addr_line),
				    {0}};

int main(void)
{
	int rc = test_main("geocode_cli", tests);

	test_libs_shutdown();
	return rc;
}
