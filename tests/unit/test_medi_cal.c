/*
 * test_medi_cal.c - the Medi-Cal provider listings importer.
 *
 * Fixtures are written with the exact published headers (the current
 * 46-column FFS header, the older 30-column one, the Managed Care
 * listing's confirmed columns) and real provider type and specialty
 * codes from the DHCS reference tables; the expected categories come
 * from data/taxonomy/crosswalk_medi_cal.csv.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <spatialite/gaiaaux.h>

#include "core/core_csv.h"
#include "core/core_mem.h"
#include "core/core_taxonomy.h"
#include "core/core_ws.h"
#include "importers/imp_medi_cal.h"
#include "importers/imp_ogr.h"
#include "importers/imp_xwalk.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

struct run {
	struct imp_medi_cal_opts o;
	struct imp_source src;
	struct imp_medi_cal_stats st;
	struct core_err err;
	int rc;
};

static void run_go(struct run *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	imp_medi_cal_opts_init(&r->o);
	r->o.path = path;
}

/* Run the import; quietly, for one that is meant to fail. */
static int run_quiet(struct core_ws *ws, struct run *r)
{
	imp_source_init(&r->src, "assets");
	core_err_clear(&r->err);
	r->rc = imp_medi_cal_import(ws, &r->o, &r->src, &r->st, &r->err);
	return r->rc;
}

/* Run the import, printing its message when it fails. */
static int run_do(struct core_ws *ws, struct run *r)
{
	return test_import_said(run_quiet(ws, r), &r->err);
}

static void run_release(struct run *r)
{
	imp_source_release(&r->src);
	imp_medi_cal_stats_release(&r->st);
}

/* An import that must be refused (see test_refusals), with its option. */
struct refusal {
	struct test_refusal t;
	int skip_bad;
};

/* The last refused import's stats: which listing, rows without
 * coordinates. */
static struct imp_medi_cal_stats refused_st;

static int refuse(struct core_ws *ws, const void *row, const char *path,
		  struct test_said *said)
{
	const struct refusal *f = row;
	struct run r;

	run_go(&r, path);
	r.o.skip_bad = f->skip_bad;
	test_said_take(said, run_quiet(ws, &r), &r.err, &r.src);
	refused_st.listing = r.st.listing;
	refused_st.no_coordinates = r.st.no_coordinates;
	refused_st.geocoded = r.st.geocoded;
	run_release(&r);
	return r.rc;
}

/* ---------------------------------------------------------------------
 * Fixtures: rows built column by column for the exact headers.
 * ------------------------------------------------------------------ */

static const char *const hdr2024[] = {"OBJECTID",
				      "Provider_Source",
				      "Provider_Number",
				      "NPI",
				      "Owner_Number",
				      "Service_Location_Number",
				      "Legal_Name",
				      "Enroll_Status_Eff_DT",
				      "Provider_Taxonomy",
				      "NEMT_NMT_Provider_Type",
				      "ANC_Provider_Type",
				      "FI_Provider_Type_CD",
				      "FI_Provider_Type",
				      "Provider_License",
				      "FI_Provider_Specialty_CD",
				      "FI_Provider_Specialty",
				      "Out_of_State_Indicator",
				      "In_Out_State",
				      "Address_Attention",
				      "Address",
				      "Address2",
				      "City",
				      "State",
				      "ZIP",
				      "ZIP_4",
				      "DHCS_County_CD",
				      "FIPS_County_CD",
				      "County",
				      "Phone_Number",
				      "Medicaid_Patients",
				      "CHIP_Patients",
				      "Telehealth_Services",
				      "Provider_Website",
				      "Threshold_Languages",
				      "Other_Languages",
				      "Acc_Exam_Room",
				      "Acc_Exterior_Building",
				      "Acc_Interior_Building",
				      "Acc_Parking",
				      "Acc_Restroom",
				      "Acc_Medical_Equipment",
				      "Acc_Patient_Areas",
				      "Acc_Patient_Diagnostic",
				      "Latitude",
				      "Longitude",
				      "CountyName",
				      NULL};

/* As loaded into a MySQL dump in public code: lower case, 30 columns. */
static const char *const hdr_old[] = {"objectid",
				      "provider_source",
				      "provider_number",
				      "npi",
				      "owner_number",
				      "service_location_number",
				      "legal_name",
				      "enroll_status_eff_dt",
				      "provider_taxonomy",
				      "anc_provider_type",
				      "fi_provider_type_cd",
				      "fi_provider_type",
				      "provider_license",
				      "fi_provider_specialty_cd",
				      "fi_provider_specialty",
				      "out_of_state_indicator",
				      "in_out_state",
				      "address_attention",
				      "address",
				      "address2",
				      "city",
				      "state",
				      "zip",
				      "zip_4",
				      "dhcs_county_cd",
				      "fips_county_cd",
				      "county",
				      "latitude",
				      "longitude",
				      "countyname",
				      NULL};

static const char *const hdr_mc[] = {"OBJECTID",
				     "ManagedCarePlan",
				     "SubNetwork",
				     "PlanCode",
				     "RecordType",
				     "NPI",
				     "FacilityName",
				     "ProviderName",
				     "Address",
				     "City",
				     "State",
				     "Zip",
				     "Latitude",
				     "Longitude",
				     "ManagedCareProviderCategory",
				     "ANCProviderType",
				     "Languages",
				     NULL};

#define KV(...) ((const char *const[]){__VA_ARGS__, NULL})

static void add_field(struct core_buf *b, const char *v)
{
	const char *p;

	if (!strpbrk(v, ",\"\n\r")) {
		core_buf_adds(b, v);
		return;
	}
	core_buf_addc(b, '"');
	for (p = v; *p; p++) {
		if (*p == '"')
			core_buf_addc(b, '"');
		core_buf_addc(b, *p);
	}
	core_buf_addc(b, '"');
}

static void add_header(struct core_buf *b, const char *const *h,
		       const char *skip)
{
	int i, n = 0;

	for (i = 0; h[i]; i++) {
		if (skip && strcmp(h[i], skip) == 0)
			continue;
		core_buf_adds(b, n++ ? "," : "");
		core_buf_adds(b, h[i]);
	}
	core_buf_adds(b, "\n");
}

/* One row for header h: kv holds "Column", "value" pairs; the other
 * columns are empty; skip drops a column like add_header. */
static void add_row(struct core_buf *b, const char *const *h, const char *skip,
		    const char *const *kv)
{
	int i, k, n = 0;

	for (i = 0; h[i]; i++) {
		const char *v = "";
		if (skip && strcmp(h[i], skip) == 0)
			continue;
		for (k = 0; kv[k]; k += 2)
			if (strcmp(kv[k], h[i]) == 0)
				v = kv[k + 1];
		core_buf_adds(b, n++ ? "," : "");
		add_field(b, v);
	}
	core_buf_adds(b, "\n");
}

/* Seven rows of San Francisco with the current header:
 *   line 2  an FQHC (035/70): primary_care; es, tl, zh; accessibility
 *   line 3  a psychiatrist (026/36): behavioral_health; vi, zh
 *   line 4  a laboratory (009, no specialty): no category
 *   line 5  line 3's NPI and address again, Family Practice (08) and
 *           ANC Adult Primary Care, Korean: folded into line 3's asset
 *   line 6  NEMT (030, specialty '-'), no NPI: transportation
 *   line 7  provider type 099 (not in the reference table): unknown
 *   line 8  a community clinic written '41' (zeros dropped) with a
 *           UTF-8 name and Hmong, Armenian and Farsi, and 'Mixteco' */
static char *ffs2024_rows(const char *skip)
{
	struct core_buf b = CORE_BUF_INIT;

	add_header(&b, hdr2024, skip);
	add_row(&b, hdr2024, skip,
		KV("OBJECTID", "1", "Provider_Source", "PAVE",
		   "Provider_Number", "ZZA12345", "NPI", "1538142213",
		   "Owner_Number", "001", "Service_Location_Number", "1",
		   "Legal_Name", "MISSION NEIGHBORHOOD HEALTH CENTER",
		   "FI_Provider_Type_CD", "035", "FI_Provider_Type",
		   "RURAL HEALTH CLINICS/FEDERALLY QUALIFIED HEALTH CENTER",
		   "FI_Provider_Specialty_CD", "70", "FI_Provider_Specialty",
		   "Clinic (mixed specialty), Public Health (Dentists Only)",
		   "Address", "240 SHOTWELL ST", "City", "SAN FRANCISCO",
		   "State", "CA", "ZIP", "94110", "ZIP_4", "1323",
		   "DHCS_County_CD", "38", "FIPS_County_CD", "075", "County",
		   "SAN FRANCISCO", "Phone_Number", "(415) 552-3870",
		   "Medicaid_Patients", "Y", "Telehealth_Services", "Y",
		   "Threshold_Languages", "Spanish, Chinese", "Other_Languages",
		   "Tagalog", "Acc_Exam_Room", "Y", "Acc_Exterior_Building",
		   "Y", "Acc_Interior_Building", "Y", "Acc_Parking", "Y",
		   "Acc_Restroom", "N", "Acc_Medical_Equipment", "N",
		   "Acc_Patient_Areas", "Y", "Latitude", "37.76368",
		   "Longitude", "-122.41565", "CountyName", "San Francisco"));
	add_row(&b, hdr2024, skip,
		KV("OBJECTID", "2", "NPI", "1902875440", "Legal_Name",
		   "NGUYEN, ANH MD", "FI_Provider_Type_CD", "026",
		   "FI_Provider_Type", "PHYSICIANS", "FI_Provider_Specialty_CD",
		   "36", "FI_Provider_Specialty", "Psychiatry", "Address",
		   "3450 CALIFORNIA ST", "Address2", "STE 200", "City",
		   "SAN FRANCISCO", "State", "CA", "ZIP", "94118",
		   "Telehealth_Services", "N", "Threshold_Languages",
		   "Vietnamese; Cantonese", "Latitude", "37.7867", "Longitude",
		   "-122.4517"));
	add_row(&b, hdr2024, skip,
		KV("OBJECTID", "3", "NPI", "1881629461", "Legal_Name",
		   "QUEST DIAGNOSTICS", "FI_Provider_Type_CD", "009",
		   "FI_Provider_Type", "CLINICAL LABORATORIES", "Address",
		   "1 MARKET ST", "City", "SAN FRANCISCO", "State", "CA", "ZIP",
		   "94105", "Latitude", "37.7941", "Longitude", "-122.3947"));
	add_row(&b, hdr2024, skip,
		KV("OBJECTID", "4", "NPI", "1902875440", "Legal_Name",
		   "NGUYEN, ANH MD", "FI_Provider_Type_CD", "026",
		   "FI_Provider_Type", "PHYSICIANS", "FI_Provider_Specialty_CD",
		   "08", "FI_Provider_Specialty", "Family Practice",
		   "ANC_Provider_Type", "Adult Primary Care", "Address",
		   "3450 California St", "Address2", "Ste. 200", "City",
		   "SAN FRANCISCO", "State", "CA", "ZIP", "94118",
		   "Other_Languages", "Korean", "Latitude", "37.7867",
		   "Longitude", "-122.4517"));
	add_row(&b, hdr2024, skip,
		KV("OBJECTID", "5", "Legal_Name",
		   "GOLDEN GATE MEDICAL TRANSPORT", "NEMT_NMT_Provider_Type",
		   "NEMT", "FI_Provider_Type_CD", "030", "FI_Provider_Type",
		   "GROUND MEDICAL TRANSPORTATION", "FI_Provider_Specialty_CD",
		   "-", "Address", "1400 EVANS AVE", "City", "SAN FRANCISCO",
		   "State", "CA", "ZIP", "94124", "Latitude", "37.7398",
		   "Longitude", "-122.3852"));
	add_row(&b, hdr2024, skip,
		KV("OBJECTID", "6", "NPI", "1457369284", "Legal_Name",
		   "BAYVIEW WELLNESS", "FI_Provider_Type_CD", "099", "Address",
		   "5 THIRD ST", "City", "SAN FRANCISCO", "State", "CA", "ZIP",
		   "94124", "Latitude", "37.7300", "Longitude", "-122.3900"));
	add_row(&b, hdr2024, skip,
		KV("OBJECTID", "7", "NPI", "1164425450", "Legal_Name",
		   "Familias en Acci\xc3\xb3n", "FI_Provider_Type_CD", "41",
		   "FI_Provider_Type", "COMMUNITY CLINIC", "Address",
		   "2111 MISSION ST", "City", "SAN FRANCISCO", "State", "CA",
		   "ZIP", "94110", "Threshold_Languages",
		   "Hmong, Armenian and Farsi", "Other_Languages", "Mixteco",
		   "Latitude", "37.7635", "Longitude", "-122.4194"));
	return core_buf_detach(&b);
}

/* ---------------------------------------------------------------------
 * The current FFS header
 * ------------------------------------------------------------------ */

static void test_ffs_2024(void)
{
	struct core_ws *ws = test_new_ws("ffs2024.db");
	char *csv = ffs2024_rows(NULL);
	const char *path = test_write("ffs2024.csv", csv);
	char *md5 = test_md5_file(path);
	struct run r;

	run_go(&r, path);
	CHECK_INT(run_do(ws, &r), CORE_OK);
	CHECK_INT(r.st.listing, IMP_MC_FFS_2024);
	CHECK_INT(r.st.ncolumns, 46);
	CHECK_INT(r.src.rows_read, 7);
	CHECK_INT(r.src.rows_accepted, 7);
	CHECK_INT(r.src.rows_rejected, 0);
	CHECK_INT(r.st.assets, 6);
	CHECK_INT(r.st.duplicates, 1);
	CHECK_INT(r.st.no_category, 2);
	CHECK_INT(r.st.no_coordinates, 0);
	/* assets per category, in the taxonomy's order */
	CHECK_INT(r.st.ncats, 3);
	if (r.st.ncats == 3) {
		CHECK_STR(r.st.cats[0].category, "transportation");
		CHECK_INT(r.st.cats[0].assets, 1);
		CHECK_STR(r.st.cats[1].category, "behavioral_health");
		CHECK_INT(r.st.cats[1].assets, 1);
		CHECK_STR(r.st.cats[2].category, "primary_care");
		CHECK_INT(r.st.cats[2].assets, 3);
	}
	/* not in the crosswalk: type 099; not a language we know: Mixteco */
	CHECK_INT(r.st.nunknown, 2);
	if (r.st.nunknown == 2) {
		CHECK_STR(r.st.unknown[0].vocabulary, "language");
		CHECK_STR(r.st.unknown[0].term, "Mixteco");
		CHECK_INT(r.st.unknown[0].rows, 1);
		CHECK_STR(r.st.unknown[1].vocabulary, "medi_cal_provider_type");
		CHECK_STR(r.st.unknown[1].term, "099");
	}

	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 6);
	CHECK_Q(ws,
		"SELECT kind || '|' || name || '|' || format || '|' || "
		"rows_read || '|' || rows_accepted || '|' || rows_rejected || "
		"'|' || rows_merged || '|' || encoding FROM sources",
		"assets|ffs2024.csv|Medi-Cal FFS (2024 header)|7|7|0|0|utf-8");
	CHECK_Q(ws, "SELECT checksum FROM sources", md5);
	/* the FQHC, every fact */
	CHECK_Q(ws,
		"SELECT name || '|' || address || '|' || city || '|' || state "
		"|| '|' || zip || '|' || phone || '|' || npi || '|' || "
		"languages || '|' || telehealth || '|' || accepts_medi_cal || "
		"'|' || coalesce(capacity, 'unknown') || '|' || source_key || "
		"'|' || source_line || '|' || location_quality FROM assets "
		"WHERE npi = '1538142213'",
		"MISSION NEIGHBORHOOD HEALTH CENTER|240 SHOTWELL ST|SAN "
		"FRANCISCO|CA|94110|(415) "
		"552-3870|1538142213|es,tl,zh|1|1|unknown|ZZA12345/001/"
		"1|2|coordinates");
	CHECK_Q(
	    ws, "SELECT accessibility FROM assets WHERE npi = '1538142213'",
	    "accessible: parking, building exterior, building interior, exam "
	    "room, patient areas; not accessible: restroom, medical equipment");
	CHECK_Q(ws,
		"SELECT json_extract(attrs, '$.accessibility.restroom') || '|' "
		"|| json_extract(attrs, '$.accessibility.parking') || '|' || "
		"coalesce(json_extract(attrs, "
		"'$.accessibility.patient_diagnostic'), 'absent') || '|' || "
		"json_extract(attrs, '$.provider_type') || '|' || "
		"json_extract(attrs, '$.specialty') || '|' || "
		"json_extract(attrs, '$.county_geoid') || '|' || "
		"json_extract(attrs, '$.zip4') || '|' || json_extract(attrs, "
		"'$.medicaid_patients') || '|' || json_extract(attrs, "
		"'$.listing') FROM assets WHERE npi = '1538142213'",
		"0|1|absent|035|70|06075|1323|1|ffs");
	CHECK_NEAR(test_q_int(ws, "SELECT round(X(geom) * 100000) FROM assets "
				  "WHERE npi = '1538142213'"),
		   -12241565, 0);
	CHECK_NEAR(test_q_int(ws, "SELECT round(Y(geom) * 100000) FROM assets "
				  "WHERE npi = '1538142213'"),
		   3776368, 0);
	CHECK_Q(ws,
		"SELECT group_concat(category) FROM (SELECT category FROM "
		"asset_categories JOIN assets ON id = asset_id WHERE npi = "
		"'1538142213' ORDER BY 1)",
		"primary_care");
	/* the psychiatrist listed twice: one asset, both rows' categories
	 * and languages, the first row's facts */
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT count(*) FROM assets WHERE npi = '1902875440'"),
	    1);
	CHECK_Q(ws,
		"SELECT group_concat(category) FROM (SELECT category FROM "
		"asset_categories JOIN assets ON id = asset_id WHERE npi = "
		"'1902875440' ORDER BY 1)",
		"behavioral_health,primary_care");
	CHECK_Q(
	    ws,
	    "SELECT name || '|' || address || '|' || languages || '|' || "
	    "telehealth || '|' || source_line || '|' || json_extract(attrs, "
	    "'$.specialty') FROM assets WHERE npi = '1902875440'",
	    "NGUYEN, ANH MD|3450 CALIFORNIA ST, STE 200|ko,vi,zh|0|3|36");
	/* the laboratory and the unknown type: no category */
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT count(*) FROM assets a WHERE NOT EXISTS (SELECT "
		       "1 FROM asset_categories c WHERE c.asset_id = a.id)"),
	    2);
	CHECK_Q(
	    ws,
	    "SELECT coalesce(languages, 'none') || '|' || coalesce(telehealth, "
	    "'unknown') || '|' || coalesce(accessibility, 'none') FROM assets "
	    "WHERE npi = '1881629461'",
	    "none|unknown|none");
	/* NEMT without an NPI */
	CHECK_Q(ws,
		"SELECT group_concat(c.category) || '|' || coalesce(a.npi, 'no "
		"npi') FROM assets a JOIN asset_categories c ON c.asset_id = "
		"a.id WHERE a.name = 'GOLDEN GATE MEDICAL TRANSPORT'",
		"transportation|no npi");
	/* '41' read as 041; UTF-8 kept; Hmong as ISO 639-2 */
	CHECK_Q(ws,
		"SELECT name || '|' || languages || '|' || (SELECT "
		"group_concat(category) FROM asset_categories WHERE asset_id = "
		"id) FROM assets WHERE npi = '1164425450'",
		"Familias en Acci\xc3\xb3n|fa,hmn,hy|primary_care");
	/* every asset came from this source */
	CHECK_INT(
	    test_q_int(ws, "SELECT count(*) FROM asset_sources WHERE source_id "
			   "= (SELECT id FROM sources) AND how = 'imported'"),
	    6);
	/* the terms the file used (source_terms) */
	CHECK_Q(ws,
		"SELECT rows || '|' || coalesce(category, 'none') FROM "
		"source_terms WHERE vocabulary = 'medi_cal_specialty' AND term "
		"= '(blank)'",
		"3|none");
	CHECK_Q(ws,
		"SELECT rows FROM source_terms WHERE vocabulary = "
		"'medi_cal_specialty' AND term = '(dash)'",
		"1");
	CHECK_Q(ws,
		"SELECT rows || '|' || coalesce(category, 'none') FROM "
		"source_terms WHERE vocabulary = 'medi_cal_provider_type' AND "
		"term = '026'",
		"2|none");
	CHECK_Q(ws,
		"SELECT rows || '|' || category FROM source_terms WHERE "
		"vocabulary = 'medi_cal_provider_type' AND term = '041'",
		"1|primary_care");
	CHECK_Q(
	    ws,
	    "SELECT rows || '|' || category FROM source_terms WHERE vocabulary "
	    "= 'medi_cal_anc_type' AND term = 'Adult Primary Care'",
	    "1|primary_care");
	CHECK_Q(ws,
		"SELECT rows || '|' || coalesce(category, 'none') FROM "
		"source_terms WHERE vocabulary = 'medi_cal_provider_type' AND "
		"term = '099'",
		"1|none");
	run_release(&r);

	/* Importing it again replaces it. */
	run_go(&r, path);
	CHECK_INT(run_do(ws, &r), CORE_OK);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 6);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources"), 1);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_categories"), 5);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM source_terms WHERE "
				 "source_id <> (SELECT id FROM sources)"),
		  0);
	run_release(&r);
	free(md5);
	free(csv);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * The older FFS header and the Managed Care listing
 * ------------------------------------------------------------------ */

static void test_ffs_old(void)
{
	struct core_ws *ws = test_new_ws("ffsold.db");
	struct core_buf b = CORE_BUF_INIT;
	const char *path;
	struct run r;

	add_header(&b, hdr_old, NULL);
	add_row(&b, hdr_old, NULL,
		KV("objectid", "10", "provider_number", "GFA00001", "npi",
		   "1538142213", "legal_name",
		   "MISSION NEIGHBORHOOD HEALTH CENTER", "anc_provider_type",
		   "Adult Primary Care", "fi_provider_type_cd", "035",
		   "fi_provider_specialty_cd", "70", "address",
		   "240 SHOTWELL ST", "city", "SAN FRANCISCO", "state", "CA",
		   "zip", "94110", "fips_county_cd", "06075", "latitude",
		   "37.76368", "longitude", "-122.41565"));
	add_row(&b, hdr_old, NULL,
		KV("objectid", "11", "npi", "1881629461", "legal_name",
		   "WALGREENS #1327", "fi_provider_type_cd", "024", "address",
		   "135 POWELL ST", "city", "SAN FRANCISCO", "state", "CA",
		   "zip", "94102", "latitude", "37.7856", "longitude",
		   "-122.4079"));
	add_row(&b, hdr_old, NULL,
		KV("objectid", "12", "npi", "1427051525", "legal_name",
		   "LEE, GRACE LCSW", "fi_provider_type_cd", "070",
		   "fi_provider_specialty_cd", "94", "address", "1 PINE ST",
		   "city", "SAN FRANCISCO", "state", "CA", "zip", "94111",
		   "latitude", "37.7920", "longitude", "-122.3980"));
	path = test_write("ffsold.csv", core_buf_str(&b));
	run_go(&r, path);
	CHECK_INT(run_do(ws, &r), CORE_OK);
	CHECK_INT(r.st.listing, IMP_MC_FFS_OLD);
	CHECK_INT(r.st.ncolumns, 30);
	CHECK_INT(r.src.rows_read, 3);
	CHECK_INT(r.st.assets, 3);
	CHECK_INT(r.st.no_category, 1); /* the pharmacy */
	CHECK_Q(ws, "SELECT format FROM sources",
		"Medi-Cal FFS (older header)");
	CHECK_Q(ws,
		"SELECT group_concat(category) FROM (SELECT category FROM "
		"asset_categories ORDER BY 1)",
		"behavioral_health,primary_care");
	/* no languages, telehealth or accessibility columns in this header */
	CHECK_INT(test_q_int(ws,
			     "SELECT count(*) FROM assets WHERE languages IS "
			     "NULL AND telehealth IS NULL AND accessibility IS "
			     "NULL AND accepts_medi_cal = 1"),
		  3);
	CHECK_Q(ws,
		"SELECT json_extract(attrs, '$.county_geoid') FROM assets "
		"WHERE npi = '1538142213'",
		"06075");
	run_release(&r);
	core_buf_release(&b);
	core_ws_close(ws);
}

static void test_managed_care(void)
{
	struct core_ws *ws = test_new_ws("mc.db");
	struct core_buf b = CORE_BUF_INIT;
	const char *path;
	struct run r;

	add_header(&b, hdr_mc, NULL);
	add_row(&b, hdr_mc, NULL,
		KV("OBJECTID", "1", "ManagedCarePlan",
		   "San Francisco Health Plan", "PlanCode", "170", "RecordType",
		   "P", "NPI", "1538142213", "FacilityName",
		   "MISSION NEIGHBORHOOD HEALTH CENTER", "Address",
		   "240 SHOTWELL ST", "City", "SAN FRANCISCO", "State", "CA",
		   "Zip", "94110", "Latitude", "37.76368", "Longitude",
		   "-122.41565", "ManagedCareProviderCategory", "FQHC",
		   "ANCProviderType", "Adult Primary Care", "Languages",
		   "Spanish, Chinese (Cantonese, Mandarin)"));
	add_row(&b, hdr_mc, NULL,
		KV("OBJECTID", "2", "ManagedCarePlan", "Anthem Blue Cross",
		   "PlanCode", "303", "RecordType", "P", "NPI", "1538142213",
		   "FacilityName", "MISSION NEIGHBORHOOD HEALTH CENTER",
		   "Address", "240 SHOTWELL ST", "City", "SAN FRANCISCO",
		   "State", "CA", "Zip", "94110", "Latitude", "37.76368",
		   "Longitude", "-122.41565", "ManagedCareProviderCategory",
		   "FQHC", "ANCProviderType", "Pediatric Primary Care",
		   "Languages", "Vietnamese"));
	add_row(&b, hdr_mc, NULL,
		KV("OBJECTID", "3", "ManagedCarePlan",
		   "San Francisco Health Plan", "PlanCode", "170", "RecordType",
		   "P", "NPI", "1902875440", "ProviderName", "NGUYEN, ANH",
		   "Address", "3450 CALIFORNIA ST", "City", "SAN FRANCISCO",
		   "State", "CA", "Zip", "94118", "Latitude", "37.7867",
		   "Longitude", "-122.4517", "ManagedCareProviderCategory",
		   "Specialist", "ANCProviderType", "Psychiatry"));
	add_row(&b, hdr_mc, NULL,
		KV("OBJECTID", "4", "ManagedCarePlan",
		   "San Francisco Health Plan", "PlanCode", "170", "RecordType",
		   "F", "NPI", "1881629461", "FacilityName",
		   "SF SOBERING CENTER", "Address", "1185 MISSION ST", "City",
		   "SAN FRANCISCO", "State", "CA", "Zip", "94103", "Latitude",
		   "37.7775", "Longitude", "-122.4114",
		   "ManagedCareProviderCategory", "Substance Use Disorder"));
	path = test_write("mc.csv", core_buf_str(&b));
	run_go(&r, path);
	CHECK_INT(run_do(ws, &r), CORE_OK);
	CHECK_INT(r.st.listing, IMP_MC_MANAGED_CARE);
	CHECK_INT(r.src.rows_read, 4);
	CHECK_INT(r.st.assets, 3);
	CHECK_INT(r.st.duplicates, 1);
	CHECK_INT(r.st.nunknown, 0);
	CHECK_Q(ws, "SELECT format FROM sources", "Medi-Cal Managed Care");
	CHECK_Q(ws,
		"SELECT languages || '|' || json_extract(attrs, "
		"'$.managed_care_plan') || '|' || description FROM assets "
		"WHERE npi = '1538142213'",
		"es,vi,zh|San Francisco Health Plan|Medi-Cal Managed Care "
		"provider (San Francisco Health Plan): FQHC");
	/* no FacilityName: the provider's name */
	CHECK_Q(ws,
		"SELECT name || '|' || (SELECT group_concat(category) FROM "
		"asset_categories WHERE asset_id = id) FROM assets WHERE npi = "
		"'1902875440'",
		"NGUYEN, ANH|behavioral_health");
	CHECK_Q(ws,
		"SELECT group_concat(category) FROM asset_categories JOIN "
		"assets ON id = asset_id WHERE npi = '1881629461'",
		"substance_use");
	run_release(&r);
	core_buf_release(&b);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Files that are not a listing, or not whole
 * ------------------------------------------------------------------ */

static void test_bad_headers(void)
{
	struct core_ws *ws = test_new_ws("badhdr.db");
	char *nolat = ffs2024_rows("Latitude");
	char *noparking = ffs2024_rows("Acc_Parking");
	char *headeronly = ffs2024_rows(NULL);
	const struct refusal bad[] = {
	    /* the current header without one of its new columns */
	    {.t = {"noparking.csv", noparking, NULL, CORE_EFORMAT,
		   .has = {"(2024 header) but lacks Acc_Parking;"}}},
	    /* neither listing */
	    {.t = {"sites.csv", "name,lat,lon\nA,37.7,-122.4\n", NULL,
		   CORE_EFORMAT,
		   .msg =
		       "sites.csv is not a Medi-Cal provider listing: it has "
		       "neither the FFS listing's columns (OBJECTID, "
		       "Provider_Source, Provider_Number, NPI, Owner_Number, "
		       "Service_Location_Number, Legal_Name, "
		       "Enroll_Status_Eff_DT and 22 more) nor the Managed Care "
		       "listing's (ManagedCarePlan, SubNetwork, PlanCode, "
		       "RecordType, NPI, FacilityName, Latitude, Longitude); "
		       "the file has 3 columns: name, lat, lon"}},
	    /* a Managed Care listing without coordinates or an address */
	    {.t =
		 {"mcnocoord.csv",
		  "OBJECTID,ManagedCarePlan,SubNetwork,PlanCode,RecordType,NPI,"
		  "FacilityName,City\n"
		  "1,SFHP,,170,P,1538142213,MNHC,SAN FRANCISCO\n",
		  NULL, CORE_EFORMAT,
		  .msg =
		      "mcnocoord.csv looks like the Medi-Cal Managed Care "
		      "provider listing but lacks Latitude, Longitude (the "
		      "rows need coordinates, or an Address column to "
		      "geocode); the file has 8 columns: OBJECTID, "
		      "ManagedCarePlan, SubNetwork, PlanCode, RecordType, NPI, "
		      "FacilityName, City"}},
	    /* ... with an address: read, and its rows geocoded (here
	     * against no reference addresses) */
	    {.t = {"mcaddr.csv",
		   "OBJECTID,ManagedCarePlan,SubNetwork,PlanCode,RecordType,"
		   "NPI,FacilityName,Address\n"
		   "1,SFHP,,170,P,1538142213,MNHC,240 SHOTWELL ST\n",
		   NULL, CORE_EFORMAT,
		   .msg = "mcaddr.csv line 2, field Address: '240 SHOTWELL ST' "
			  "could not be geocoded, and the row has no "
			  "coordinates: no reference addresses imported; run "
			  "'assetmap import addresses'\nnothing was imported"}},
	    /* the wrong separator */
	    {.t =
		 {"semi.csv",
		  "OBJECTID;Provider_Source;Provider_Number;NPI\n"
		  "1;PAVE;X;1538142213\n",
		  NULL, CORE_EFORMAT,
		  .msg =
		      "semi.csv line 1: the header is one column "
		      "('OBJECTID;Provider_Source;Provider_Number;NPI'): the "
		      "file is separated by ';' (semicolons), but the Medi-Cal "
		      "listings are comma-separated; save it as 'CSV (comma "
		      "delimited)' or replace the separators with commas"}},
	    {.t = {"tabs.csv", "OBJECTID\tLegal_Name\n1\tX\n", NULL,
		   CORE_EFORMAT, .has = {"the file is separated by tabs"}}},
	    /* a column twice */
	    {.t = {"twice.csv", "NPI,Legal_Name,npi\n1,A,2\n", NULL,
		   CORE_EFORMAT,
		   .msg = "twice.csv line 1: the column 'NPI' appears twice "
			  "(columns 1 and 3); each column must be named once"}},
	    /* header only; empty */
	    {.t = {"headeronly.csv", headeronly, NULL, CORE_EFORMAT,
		   .msg =
		       "headeronly.csv has a header but no data rows; nothing "
		       "to import"}},
	    {.t = {"empty.csv", "", NULL, CORE_EFORMAT, .has = {"empty"}}},
	    {.t = {"/nonexistent/ffs.csv", NULL, NULL, CORE_EIO,
		   .has = {"/nonexistent/ffs.csv"}}},
	};

	/* the current header without Latitude */
	TEST_REFUSAL(
	    ws, refuse,
	    (struct refusal){
		.t = {"nolat.csv", nolat, NULL, CORE_EFORMAT,
		      .has = {
			  "nolat.csv looks like the Medi-Cal FFS provider "
			  "listing (2024 header) but lacks Latitude; the file "
			  "has 45 columns: OBJECTID, Provider_Source, "
			  "Provider_Number, NPI,"}}});
	CHECK_INT(refused_st.listing, IMP_MC_UNKNOWN);
	*strchr(headeronly, '\n') = '\0';
	TEST_REFUSALS(ws, bad, refuse);
	free(nolat);
	free(noparking);
	free(headeronly);
	core_ws_close(ws);
}

/* The last row cut in the middle of a field: inside quotes, and not. */
static void test_truncated(void)
{
	struct core_ws *ws = test_new_ws("cut.db");
	char *csv = ffs2024_rows(NULL);
	char *cut = strstr(csv, "NGUYEN, ANH MD\",");
	char *t;
	struct run r;

	/* cut inside the quoted name of line 3 */
	CHECK(cut != NULL);
	if (!cut)
		return;
	cut[6] = '\0';
	TEST_REFUSAL(
	    ws, refuse,
	    (struct refusal){
		.t = {"cutq.csv", csv, NULL, CORE_EFORMAT,
		      .msg = "cutq.csv line 3: a quoted field starts here "
			     "and is never closed before the end of the "
			     "file; is the file cut short?\n"
			     "nothing was imported; fix that row, or give "
			     "--skip-bad to import the other 1 row"}});

	/* the same with --skip-bad: line 2 imported, line 3 stored */
	run_go(&r, test_write("cutq.csv", csv));
	r.o.skip_bad = 1;
	CHECK_INT(run_do(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_read, 2);
	CHECK_INT(r.src.rows_rejected, 1);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 1);
	CHECK_Q(ws,
		"SELECT line || '|' || coalesce(field, 'row') || '|' || reason "
		"FROM source_rejects",
		"3|row|a quoted field starts here and is never closed before "
		"the end of the file; is the file cut short?");
	run_release(&r);
	free(csv);

	/* cut in an unquoted field: fewer fields than the header */
	csv = ffs2024_rows(NULL);
	t = strstr(csv, "-122.4517,\n"); /* the end of line 3 */
	CHECK(t != NULL);
	if (t) {
		t[5] = '\0';
		TEST_REFUSAL(
		    ws, refuse,
		    (struct refusal){
			.t = {
			    "cutp.csv", csv, NULL, CORE_EFORMAT,
			    .has = {"cutp.csv line 3: has 45 fields but the "
				    "header has 46; is the row cut short, or a "
				    "field's quotes unbalanced?"}}});
	}
	free(csv);
	core_ws_close(ws);
}

/* Rows with bad coordinates or NPIs: each rejected with its reason. */
static void test_bad_rows(void)
{
	struct core_ws *ws = test_new_ws("badrows.db");
	struct core_buf b = CORE_BUF_INIT;
	struct run r;

#define SITE(oid, npi, lat, lon)                                               \
	KV("OBJECTID", oid, "NPI", npi, "Legal_Name", "SITE " oid,             \
	   "FI_Provider_Type_CD", "041", "Address", oid " MAIN ST", "State",   \
	   "CA", "ZIP", "94110", "Latitude", lat, "Longitude", lon)
	add_header(&b, hdr2024, NULL);
	add_row(&b, hdr2024, NULL, SITE("1", "1538142213", "37.76", "-122.41"));
	add_row(&b, hdr2024, NULL, SITE("2", "1902875440", "-122.41", "37.76"));
	add_row(&b, hdr2024, NULL, SITE("3", "1881629461", "95", "-122.41"));
	add_row(&b, hdr2024, NULL, SITE("4", "1457369284", "37.76", "122.41"));
	add_row(&b, hdr2024, NULL, SITE("5", "1164425450", "", ""));
	add_row(&b, hdr2024, NULL, SITE("6", "1427051525", "0", "0"));
	add_row(&b, hdr2024, NULL, SITE("7", "12345", "37.76", "-122.41"));
	add_row(&b, hdr2024, NULL, SITE("8", "1538142214", "north", "-122.41"));
	add_row(&b, hdr2024, NULL, SITE("9", "1538142215", "37.76", ""));
	add_row(
	    &b, hdr2024, NULL,
	    KV("OBJECTID", "10", "Latitude", "37.7", "Longitude", "-122.4"));
	add_row(&b, hdr2024, NULL,
		SITE("11", "1538142216", "-33.86", "151.21"));
	add_row(&b, hdr2024, NULL,
		KV("OBJECTID", "12", "Legal_Name", "SITE 12", "Latitude", "",
		   "Longitude", ""));
	TEST_REFUSAL(
	    ws, refuse,
	    (struct refusal){
		.t = {
		    "badrows.csv", core_buf_str(&b), NULL, CORE_EFORMAT,
		    .msg =
			"badrows.csv: 11 rows rejected (the first at line 3), "
			"nothing was imported; fix them, or give --skip-bad to "
			"import the 1 good row",
		    .shown =
			{"badrows.csv line 3, field Latitude: '-122.41' is out "
			 "of "
			 "range; latitude must be between -90 and 90 (are "
			 "Latitude and Longitude swapped?)",
			 "badrows.csv line 4, field Latitude: '95' is out of "
			 "range; latitude must be between -90 and 90",
			 "badrows.csv line 5, field Longitude: '122.41' is "
			 "outside California (longitude -124.9 to -113.6, "
			 "latitude 32 to 42.5) but the address is in CA; is "
			 "the "
			 "minus sign of the longitude missing?",
			 /* no coordinates, an address, no reference
			  * addresses: not placed */
			 "badrows.csv line 6, field Address: '5 MAIN ST' could "
			 "not be geocoded, and the row has no coordinates: no "
			 "reference addresses imported; run 'assetmap import "
			 "addresses'",
			 "badrows.csv line 7, field Address: '6 MAIN ST' could "
			 "not be geocoded, and the row has no coordinates: no "
			 "reference addresses imported; run 'assetmap import "
			 "addresses'",
			 "badrows.csv line 8, field NPI: '12345' is not an "
			 "NPI; a "
			 "National Provider Identifier is 10 digits (leave it "
			 "empty when there is none)",
			 "badrows.csv line 9, field Latitude: 'north' is not a "
			 "number; latitude must be decimal degrees between -90 "
			 "and 90, e.g. 37.7749",
			 "badrows.csv line 10, field Longitude: has no value; "
			 "every asset needs a longitude (decimal degrees, e.g. "
			 "-122.4194)",
			 "badrows.csv line 11, field Legal_Name: has no value; "
			 "every asset needs a name",
			 "badrows.csv line 12, field Longitude: '151.21' is "
			 "outside California (longitude -124.9 to -113.6, "
			 "latitude 32 to 42.5) but the address is in CA; fix "
			 "the "
			 "coordinates or the address",
			 "badrows.csv line 13, field Latitude: has no value: "
			 "the row has no coordinates (Latitude and Longitude "
			 "are empty) and no address to geocode, so give "
			 "--skip-bad to import the rows that have them"},
		    .nshown = 11, .rejected = 11}});
	CHECK_INT(refused_st.no_coordinates, 3);
	/* the two with an address went to the geocoder, the one without
	 * did not; counted once though the listing is read twice */
	CHECK_INT(refused_st.geocoded.tried, 2);
	CHECK_INT(refused_st.geocoded.not_placed, 2);
	CHECK_INT(refused_st.geocoded.nwhy, 1);
	CHECK_STR(refused_st.geocoded.why[0].why, imp_gc_why_empty);

	/* --skip-bad: the good row in, the rejects stored */
	run_go(&r, test_write("badrows.csv", core_buf_str(&b)));
	r.o.skip_bad = 1;
	CHECK_INT(run_do(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_accepted, 1);
	CHECK_INT(r.st.assets, 1);
	CHECK_INT(r.st.no_coordinates, 3);
	CHECK_INT(r.st.geocoded.tried, 2);
	CHECK_INT(r.st.geocoded.not_placed, 2);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM source_rejects"), 11);
	CHECK_Q(ws,
		"SELECT field || '|' || value || '|' || reason FROM "
		"source_rejects WHERE line = 6",
		"Address|5 MAIN ST|could not be geocoded, and the row has no "
		"coordinates: no reference addresses imported; run 'assetmap "
		"import addresses'");
	CHECK_Q(ws, "SELECT options FROM sources", "--skip-bad");
	CHECK_Q(
	    ws,
	    "SELECT field || '|' || value FROM source_rejects WHERE line = 8",
	    "NPI|12345");
	run_release(&r);

	/* --geocode-worst is recorded with the options, in its own spelling */
	run_go(&r, test_write("badrows.csv", core_buf_str(&b)));
	r.o.skip_bad = 1;
	r.o.geocode_worst = "Street";
	CHECK_INT(run_do(ws, &r), CORE_OK);
	CHECK_Q(ws, "SELECT options FROM sources",
		"--skip-bad --geocode-worst street");
	run_release(&r);

	/* Every row bad: refused even with --skip-bad. */
	core_buf_reset(&b);
	add_header(&b, hdr2024, NULL);
	add_row(&b, hdr2024, NULL, SITE("1", "1538142213", "", ""));
	add_row(&b, hdr2024, NULL, SITE("2", "1538142213", "", ""));
	TEST_REFUSAL(ws, refuse,
		     (struct refusal){
			 {"nocoords.csv", core_buf_str(&b), NULL, CORE_EFORMAT,
			  .msg = "nocoords.csv: all 2 rows were rejected (the "
				 "first at line 2); nothing was imported"},
			 .skip_bad = 1});
	CHECK_INT(refused_st.no_coordinates, 2);
#undef SITE
	core_buf_release(&b);
	core_ws_close(ws);
}

/* Windows-1252 text (Excel's "CSV" on Windows) is read with a warning. */
static void test_windows_1252(void)
{
	struct core_ws *ws = test_new_ws("cp1252.db");
	struct core_buf b = CORE_BUF_INIT;
	struct run r;

	add_header(&b, hdr2024, NULL);
	add_row(&b, hdr2024, NULL,
		KV("OBJECTID", "1", "NPI", "1164425450", "Legal_Name",
		   "Familias en Acci\xf3n", "FI_Provider_Type_CD", "041",
		   "Address", "2111 MISSION ST", "State", "CA", "ZIP", "94110",
		   "Threshold_Languages", "Espa\xf1ol, Spanish", "Latitude",
		   "37.7635", "Longitude", "-122.4194"));
	run_go(&r, test_write("cp1252.csv", core_buf_str(&b)));
	CHECK_INT(run_do(ws, &r), CORE_OK);
	CHECK_CONTAINS(r.src.warning,
		       "cp1252.csv is not UTF-8; read it as Windows-1252");
	CHECK_Q(ws, "SELECT name || '|' || languages FROM assets",
		"Familias en Acci\xc3\xb3n|es");
	CHECK_Q(ws, "SELECT encoding || '|' || warnings FROM sources",
		"windows-1252|1");
	/* 'Español' is not a name we know: listed */
	CHECK_INT(r.st.nunknown, 1);
	if (r.st.nunknown == 1)
		CHECK_STR(r.st.unknown[0].term, "Espa\xc3\xb1ol");
	run_release(&r);
	core_buf_release(&b);
	core_ws_close(ws);
}

/* One site in two sources: merged by default, not with --no-merge. */
static void test_merge(void)
{
	struct core_ws *ws = test_new_ws("merge.db");
	char *csv = ffs2024_rows(NULL);
	const char *ffs = test_write("merge_ffs.csv", csv);
	const char *sites =
	    test_write("merge_sites.csv",
		       "name,address,zip,lat,lon,category\n"
		       "Mission Neighborhood Health Center,240 Shotwell "
		       "Street,94110,37.7637,-122.4157,primary_care\n");
	struct imp_ogr_opts oo;
	struct imp_source os;
	struct core_err err = CORE_ERR_INIT;
	struct run r;

	imp_ogr_opts_init(&oo);
	oo.kind = IMP_ASSETS;
	oo.path = sites;
	imp_source_init(&os, "assets");
	CHECK_INT(imp_ogr_import(ws, &oo, &os, NULL, &err), CORE_OK);
	imp_source_release(&os);

	run_go(&r, ffs);
	CHECK_INT(run_do(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_merged, 1);
	CHECK_INT(r.st.assets, 5);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 6);
	CHECK_Q(ws,
		"SELECT npi || '|' || languages || '|' || accepts_medi_cal "
		"FROM assets WHERE name = 'Mission Neighborhood Health Center'",
		"1538142213|es,tl,zh|1");
	run_release(&r);

	run_go(&r, ffs);
	r.o.merge = 0;
	CHECK_INT(run_do(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_merged, 0);
	CHECK_INT(r.st.assets, 6);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 7);
	CHECK_Q(ws, "SELECT options FROM sources WHERE format LIKE 'Medi-Cal%'",
		"--no-merge");
	run_release(&r);
	free(csv);
	core_ws_close(ws);
}

/* The listing of n sites on a grid over San Francisco; site k is at
 * (-122.50 + (k / 40) * 0.002, 37.70 + (k % 40) * 0.002). */
static char *grid_listing(int n, int first)
{
	struct core_buf b = CORE_BUF_INIT;
	int k;

	add_header(&b, hdr2024, NULL);
	for (k = first; k < first + n; k++) {
		char oid[16], name[32], addr[32], lat[32], lon[32];
		snprintf(oid, sizeof(oid), "%d", k);
		snprintf(name, sizeof(name), "GRID SITE %d", k);
		snprintf(addr, sizeof(addr), "%d MARKET ST", k);
		snprintf(lat, sizeof(lat), "%.4f", 37.70 + (k % 40) * 0.002);
		snprintf(lon, sizeof(lon), "%.4f", -122.50 + (k / 40) * 0.002);
		add_row(&b, hdr2024, NULL,
			KV("OBJECTID", oid, "Legal_Name", name,
			   "FI_Provider_Type_CD", "041", "Address", addr,
			   "State", "CA", "ZIP", "94103", "Latitude", lat,
			   "Longitude", lon));
	}
	return core_buf_detach(&b);
}

/* The spatial index agrees with the table: as many entries as assets
 * with a point, SQLite's and SpatiaLite's own checks pass, SpatiaLite's
 * triggers are all there, and a search through the index finds what a
 * scan of the table finds. */
static void check_index(struct core_ws *ws, const char *file, int line)
{
	test_check_rtree(ws, "assets", file, line);
	if (test_q_int(ws, "SELECT count(*) FROM sqlite_master WHERE type = "
			   "'trigger' AND tbl_name = 'assets'"
			   " AND name IN ('gii_assets_geom', "
			   "'tmi_assets_geom', 'ggi_assets_geom')") != 3)
		test_fail(
		    file, line,
		    "SpatiaLite's INSERT triggers on assets are not all back");
	if (test_q_int(ws, "SELECT count(*) FROM assets WHERE ROWID IN (SELECT "
			   "ROWID FROM SpatialIndex"
			   " WHERE f_table_name = 'assets' AND search_frame = "
			   "BuildMbr(-122.45, 37.72, -122.43, 37.75, 4326))") !=
	    test_q_int(ws, "SELECT count(*) FROM assets WHERE X(geom) BETWEEN "
			   "-122.45 AND -122.43"
			   " AND Y(geom) BETWEEN 37.72 AND 37.75"))
		test_fail(file, line,
			  "a search through the index and a scan disagree");
}

#define CHECK_INDEX(ws) check_index(ws, __FILE__, __LINE__)

/* A large import fills the index in one pass (imp_rtree.h), a small one
 * entry by entry; both leave it as SpatiaLite's triggers would. */
static void test_spatial_index(void)
{
	struct core_ws *ws = test_new_ws("rtree.db");
	char *big = grid_listing(1500, 0), *small = grid_listing(10, 5000);
	struct imp_ogr_opts oo;
	struct imp_source os;
	struct core_err err = CORE_ERR_INIT;
	struct run r;

	/* two assets of another source first, indexed by the triggers */
	imp_ogr_opts_init(&oo);
	oo.kind = IMP_ASSETS;
	oo.path = test_write("rtree_sites.csv",
			     "name,lat,lon,category\n"
			     "Corner Clinic,37.7301,-122.4402,primary_care\n"
			     "Far Pantry,38.5,-121.5,food\n");
	imp_source_init(&os, "assets");
	CHECK_INT(imp_ogr_import(ws, &oo, &os, NULL, &err), CORE_OK);
	imp_source_release(&os);

	run_go(&r, test_write("rtree_big.csv", big));
	CHECK_INT(run_do(ws, &r), CORE_OK);
	CHECK_INT(r.st.assets, 1500);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM idx_assets_geom"), 1502);
	CHECK_INDEX(ws);
	/* site 641 at (-122.468, 37.702), found by a small box around it */
	CHECK_Q(ws,
		"SELECT group_concat(name) FROM assets WHERE ROWID IN (SELECT "
		"ROWID FROM SpatialIndex"
		" WHERE f_table_name = 'assets' AND search_frame = "
		"BuildMbr(-122.4681, 37.7019, -122.4679, 37.7021, 4326))",
		"GRID SITE 641");
	/* and the asset of the other source, in a box of its own */
	CHECK_Q(ws,
		"SELECT group_concat(name) FROM assets WHERE ROWID IN (SELECT "
		"ROWID FROM SpatialIndex"
		" WHERE f_table_name = 'assets' AND search_frame = "
		"BuildMbr(-121.6, 38.4, -121.4, 38.6, 4326))",
		"Far Pantry");

	/* a few rows into a large index: entry by entry */
	run_go(&r, test_write("rtree_small.csv", small));
	CHECK_INT(run_do(ws, &r), CORE_OK);
	CHECK_INT(r.st.assets, 10);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM idx_assets_geom"), 1512);
	CHECK_INDEX(ws);

	/* the large file again replaces its assets: still in step */
	run_go(&r, test_write("rtree_big.csv", big));
	CHECK_INT(run_do(ws, &r), CORE_OK);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 1512);
	CHECK_INDEX(ws);
	free(big);
	free(small);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * The crosswalk and the languages
 * ------------------------------------------------------------------ */

/* Every code of the DHCS reference tables has a row in the crosswalk,
 * and the workspace's crosswalk matches it. */
static void test_crosswalk_covers_reference(void)
{
	static const struct {
		const char *file, *col, *vocab;
		int rows;
	} tables[] = {
	    {"FFS_Provider_Type_Reference_Table.csv", "Provider_Type_Code",
	     "medi_cal_provider_type", 87},
	    {"FFS_Provider_Specialty_Reference_Table.csv",
	     "Provider_Specialty_Code", "medi_cal_specialty", 72},
	};
	const char *shared = test_shared_data();
	struct core_ws *ws;
	struct imp_xwalk *x = NULL;
	struct core_err err = CORE_ERR_INIT;
	size_t t;

	if (!shared) {
		test_skip("../shared/data is absent");
		return;
	}
	ws = test_new_ws("xwalk.db");
	CHECK_INT(imp_xwalk_new(ws, &x, &err), CORE_OK);
	for (t = 0; t < 2 && x; t++) {
		char *path = xasprintf("%s/medi-cal-ffs-reference/%s", shared,
				       tables[t].file);
		struct core_csv *c = core_csv_open(path, &err);
		int col, n = 0;
		if (!c) {
			test_fail(__FILE__, __LINE__, "%s", err.msg);
			free(path);
			continue;
		}
		col = core_csv_col(c, tables[t].col);
		CHECK(col >= 0);
		while (col >= 0 && core_csv_next(c, &err) == 1) {
			const char *code = core_csv_get(c, (size_t)col);
			char *sql;
			/* how the importer names a blank cell and '-' */
			if (!*code)
				code = "(blank)";
			else if (strcmp(code, "-") == 0)
				code = "(dash)";
			sql = xasprintf("SELECT count(*) FROM crosswalk WHERE "
					"vocabulary = '%s' AND term = '%s' AND "
					"file = 'crosswalk_medi_cal.csv'",
					tables[t].vocab, code);
			if (test_q_int(ws, sql) != 1)
				test_fail(__FILE__, __LINE__,
					  "%s code '%s' has %lld crosswalk "
					  "rows, expected 1",
					  tables[t].vocab, code,
					  (long long)test_q_int(ws, sql));
			if (imp_xwalk_match(x, tables[t].vocab, code, NULL) !=
			    1)
				test_fail(
				    __FILE__, __LINE__,
				    "%s code '%s' is not matched by imp_xwalk",
				    tables[t].vocab, code);
			free(sql);
			n++;
		}
		CHECK_INT(n, tables[t].rows);
		core_csv_free(c);
		free(path);
	}
	/* and no crosswalk row for a code the tables do not have */
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM crosswalk WHERE "
				 "vocabulary = 'medi_cal_provider_type'"),
		  87);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM crosswalk WHERE "
				 "vocabulary = 'medi_cal_specialty'"),
		  72);
	/* a few decisions, hand-checked */
	CHECK_Q(ws,
		"SELECT coalesce(category, 'none') FROM crosswalk WHERE "
		"vocabulary = 'medi_cal_provider_type' AND term = '009'",
		"none");
	CHECK_Q(ws,
		"SELECT category FROM crosswalk WHERE vocabulary = "
		"'medi_cal_provider_type' AND term = '035'",
		"primary_care");
	CHECK_Q(ws,
		"SELECT category FROM crosswalk WHERE vocabulary = "
		"'medi_cal_provider_type' AND term = '076'",
		"substance_use");
	CHECK_Q(ws,
		"SELECT category FROM crosswalk WHERE vocabulary = "
		"'medi_cal_specialty' AND term = '36'",
		"behavioral_health");
	CHECK_Q(ws,
		"SELECT category FROM crosswalk WHERE vocabulary = "
		"'medi_cal_nemt_type' AND term = 'NEMT'",
		"transportation");
	/* every row without a category says why */
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM crosswalk WHERE "
				 "vocabulary LIKE 'medi_cal_%' AND category IS "
				 "NULL AND (note IS NULL OR note = '')"),
		  0);
	imp_xwalk_free(x);
	core_ws_close(ws);
}

static void test_languages(void)
{
	static const char *const cases[][2] = {
	    {"Spanish", "es"},
	    {"SPANISH", "es"},
	    {" spanish ", "es"},
	    {"Chinese", "zh"},
	    {"Cantonese", "zh"},
	    {"Mandarin", "zh"},
	    {"Other Chinese", "zh"},
	    {"Chinese (Cantonese)", "zh"},
	    {"Vietnamese", "vi"},
	    {"Tagalog", "tl"},
	    {"Korean", "ko"},
	    {"Russian", "ru"},
	    {"Armenian", "hy"},
	    {"Eastern Armenian", "hy"},
	    {"Farsi", "fa"},
	    {"Persian", "fa"},
	    {"Arabic", "ar"},
	    {"Hmong", "hmn"},
	    {"Khmer", "km"},
	    {"Cambodian", "km"},
	    {"Punjabi", "pa"},
	    {"Lao", "lo"},
	    {"Japanese", "ja"},
	    {"Hindi", "hi"},
	    {"American Sign Language", "sgn"},
	    {"English", "en"},
	    {"es", "es"},
	    {"hmn", "hmn"},
	    {"Ilocano", "ilo"},
	    {"Mixteco", NULL},
	    {"", NULL},
	    {"None", NULL},
	    {"Klingon", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = imp_mc_language_code(cases[i][0]);
		if (!cases[i][1] ? got != NULL
				 : !got || strcmp(got, cases[i][1]) != 0)
			test_fail(__FILE__, __LINE__, "'%s' -> %s, expected %s",
				  cases[i][0], got ? got : "NULL",
				  cases[i][1] ? cases[i][1] : "NULL");
	}
}

/* The workspace-free parser (the fuzz target's entry) agrees with the
 * import on the fixtures. */
static void test_scan_buffer(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_mc_scan s;
	char *csv = ffs2024_rows(NULL);
	static const char crlf[] =
	    "\xef\xbb\xbfOBJECTID,ManagedCarePlan,SubNetwork,PlanCode,"
	    "RecordType,NPI,FacilityName,Latitude,Longitude\r\n"
	    "1,SFHP,,170,P,1538142213,\"A \"\"B\"\"\r\nC\",37.7,-122.4\r\n"
	    "\r\n"
	    "2,SFHP,,170,P,1538142213,D,37.7,-122.4\r\n"
	    "3,SFHP,,170,P,,E,,\r\n";

	CHECK_INT(imp_medi_cal_scan_buffer(csv, strlen(csv), &s, &err),
		  CORE_OK);
	CHECK_INT(s.listing, IMP_MC_FFS_2024);
	CHECK_INT(s.rows, 7);
	CHECK_INT(s.accepted, 7);
	CHECK_INT(s.rejected, 0);
	CHECK_INT(s.duplicates, 1);
	/* BOM, CRLF, a quoted field with quotes and a line break, a blank
	 * line: 3 rows, the one without coordinates at line 6 */
	CHECK_INT(imp_medi_cal_scan_buffer(crlf, strlen(crlf), &s, &err),
		  CORE_OK);
	CHECK_INT(s.listing, IMP_MC_MANAGED_CARE);
	CHECK_INT(s.rows, 3);
	CHECK_INT(s.accepted, 2);
	CHECK_INT(s.duplicates, 1);
	CHECK_INT(s.first_reject, 6);
	CHECK_INT(imp_medi_cal_scan_buffer("a,b\n1,2\n", 8, &s, &err),
		  CORE_EFORMAT);
	CHECK_INT(s.listing, IMP_MC_UNKNOWN);
	CHECK_INT(imp_medi_cal_scan_buffer("", 0, &s, &err), CORE_EFORMAT);
	/* a NUL byte inside the buffer */
	{
		char *nul = xstrdup(csv);
		char *p = strstr(nul, "QUEST");
		size_t n = strlen(nul);
		*p = '\0';
		CHECK_INT(imp_medi_cal_scan_buffer(nul, n, &s, &err), CORE_OK);
		CHECK_INT(s.rejected, 1);
		CHECK_INT(s.first_reject, 4);
		free(nul);
	}
	free(csv);
}

/* ---------------------------------------------------------------------
 * The command line
 * ------------------------------------------------------------------ */

static void test_cli(void)
{
	static const struct test_cli_case cases[] = {
	    {"-q -d cli.db init", .rc = 0},
	    {"-d cli.db import medi-cal cli_ffs.csv", 0,
	     .err = "cli_ffs.csv: Medi-Cal FFS (2024 header), 46 columns\n"
		    "imported 7 rows from cli_ffs.csv (0 rejected): 6 new "
		    "assets, 1 row repeating the NPI and address of an earlier "
		    "row\n"
		    "  by category: transportation 1, behavioral_health 1, "
		    "primary_care 3, no category 2\n"
		    "  not in crosswalk_medi_cal.csv or not recognised "
		    "(rows):\n"
		    "    language 'Mixteco' (1)\n"
		    "    medi_cal_provider_type '099' (1)\n"},
	    {"-d cli.db import medi-cal", 2,
	     .err_has = {"import medi-cal: which file?"}},
	    {"-d cli.db import medi-cal a.csv b.csv", 2,
	     .err_has = {"unexpected argument 'b.csv'"}},
	    {"-d cli.db import medi-cal --frobnicate cli_ffs.csv", 2,
	     .err_has = {"unknown option '--frobnicate'"}},
	    {"import medi-cal --help", .rc = 0},
	};
	char *csv;

	if (!test_have_cli())
		return;
	csv = ffs2024_rows(NULL);
	test_write("cli_ffs.csv", csv);
	free(csv);
	TEST_CLI_CASES(cases);
}

static const struct test tests[] = {
    TEST(test_ffs_2024),      TEST(test_ffs_old),
    TEST(test_managed_care),  TEST(test_bad_headers),
    TEST(test_truncated),     TEST(test_bad_rows),
    TEST(test_windows_1252),  TEST(test_merge),
    TEST(test_spatial_index), TEST(test_crosswalk_covers_reference),
    TEST(test_languages),     TEST(test_scan_buffer),
    TEST(test_cli),	      {0}};

int main(void)
{
	int rc = test_main("medi_cal", tests);

	test_libs_shutdown();
	return rc;
}
