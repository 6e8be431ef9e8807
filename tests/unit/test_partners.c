/*
 * test_partners.c - the partnership register: its vocabulary, 'import
 * partners' from CSV and XLSX (matching, refusals, re-import and
 * history), 'partner set' and 'partners' through the binary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <json-c/json.h>
#include <ogr_api.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "importers/imp_common.h"
#include "importers/imp_partners.h"
#include "importers/imp_register.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Fixtures
 * ------------------------------------------------------------------ */

static void add(struct core_ws *ws, int id, const char *name,
		const char *address, const char *zip, const char *cat)
{
	char *sql = sqlite3_mprintf(
	    "INSERT INTO assets(id, name, address, zip, geom)"
	    " VALUES(%d, %Q, %Q, %Q, MakePoint(-122.4, 37.78, 4326));"
	    " INSERT INTO asset_categories VALUES(%d, %Q)",
	    id, name, address, zip, id, cat);

	test_exec(ws, sql);
	sqlite3_free(sql);
}

/* Five assets; 3 and 4 share a name. */
static struct core_ws *fixture(const char *file)
{
	struct core_ws *ws = test_new_ws(file);

	if (!ws)
		return NULL;
	add(ws, 1, "St. Anthony Foundation", "150 Golden Gate Avenue", "94102",
	    "food");
	add(ws, 2, "Glide Memorial Church", "330 Ellis Street", "94102",
	    "food");
	add(ws, 3, "Food Bank Pantry", "900 Pennsylvania Ave", "94107", "food");
	add(ws, 4, "Food Bank Pantry", "50 Broadway", "94111", "food");
	add(ws, 5, "Mission Clinic", "2000 Mission St", "94110",
	    "primary_care");
	return ws;
}

struct run {
	struct imp_partners_opts o;
	struct imp_source src;
	struct imp_partners_stats st;
	struct core_err err;
};

static int run_import_skip(struct core_ws *ws, struct run *r, const char *path,
			   int skip_bad)
{
	memset(r, 0, sizeof(*r));
	r->o.path = path;
	r->o.skip_bad = skip_bad;
	imp_source_init(&r->src, "partners");
	return test_import_said(
	    imp_partners_import(ws, &r->o, &r->src, &r->st, &r->err), &r->err);
}

static int run_import(struct core_ws *ws, struct run *r, const char *path)
{
	return run_import_skip(ws, r, path, 0);
}

static void run_release(struct run *r)
{
	imp_source_release(&r->src);
	imp_partners_stats_release(&r->st);
}

/* The register of asset id as one line: status and dimensions. */
static char *entry(struct core_ws *ws, int id)
{
	char *sql = xasprintf(
	    "SELECT status || '|' || coalesce(service, '-') || '|' ||"
	    " coalesce(financial, '-') || '|' || coalesce(data, '-') || '|' ||"
	    " coalesce(effects, '-') || '|' || coalesce(governance, '-') ||"
	    " '|' || coalesce(contact_role, '-') || '|' || coalesce(notes, "
	    "'-') FROM partners WHERE asset_id = %d",
	    id);
	char *v = test_q_text(ws, sql);

	free(sql);
	return v;
}

#define CHECK_ENTRY(ws, id, want)                                              \
	do {                                                                   \
		char *e_ = entry(ws, id);                                      \
		CHECK_STR(e_, want);                                           \
		free(e_);                                                      \
	} while (0)

/* ---------------------------------------------------------------------
 * Vocabulary
 * ------------------------------------------------------------------ */

static void test_vocab(void)
{
	struct core_buf why = CORE_BUF_INIT;
	char per[8];

	CHECK_STR(imp_reg_code(IMP_REG_STATUS, "Current", NULL), "current");
	CHECK_STR(imp_reg_code(IMP_REG_FINANCIAL, "risk-sharing", NULL),
		  "risk_sharing");
	CHECK_STR(imp_reg_code(IMP_REG_FINANCIAL, "Risk Sharing", NULL),
		  "risk_sharing");
	CHECK(!imp_reg_code(IMP_REG_STATUS, "curent", &why));
	CHECK_STR(core_buf_str(&why),
		  "is not a partnership status; did you mean 'current'? "
		  "(current, prospective, former, none)");
	core_buf_reset(&why);
	CHECK(!imp_reg_code(IMP_REG_SERVICE, "coordinated service", &why));
	CHECK_CONTAINS(core_buf_str(&why), "did you mean 'coordinated'?");
	core_buf_reset(&why);
	/* nothing near: no hint, the codes */
	CHECK(!imp_reg_code(IMP_REG_DATA, "xyz", &why));
	CHECK_STR(core_buf_str(&why),
		  "is not a data level (reporting, sharing, integrated)");
	core_buf_reset(&why);
	CHECK(!imp_reg_code(IMP_REG_STATUS, "", &why));
	CHECK_STR(imp_reg_words(IMP_REG_SERVICE, "coordinated"),
		  "coordinated service");
	CHECK_STR(imp_reg_words(IMP_REG_STATUS, "current"), "current partner");
	CHECK(imp_reg_date_ok("2024-02-29"));
	CHECK(!imp_reg_date_ok("2023-02-29"));
	CHECK(!imp_reg_date_ok("2024-04-31"));
	CHECK(!imp_reg_date_ok("2024-4-01"));
	CHECK(!imp_reg_date_ok("01/15/2024"));
	CHECK(imp_reg_period("2026", per) && !strcmp(per, "2026"));
	CHECK(imp_reg_period("2026_q3", per) && !strcmp(per, "2026-Q3"));
	CHECK(imp_reg_period(" 2026-09 ", per) && !strcmp(per, "2026-09"));
	CHECK(!imp_reg_period("2026-13", per));
	CHECK(!imp_reg_period("2026-Q5", per));
	CHECK(!imp_reg_period("26-Q1", per));
	core_buf_release(&why);
}

/* ---------------------------------------------------------------------
 * import partners: CSV
 * ------------------------------------------------------------------ */

static const char reg_csv[] =
    "Asset ID,Name,Address,Zip,Status,Service,Financial,Data,Effects,"
    "Governance,MOU_signed,MOU_expires,DSA signed,supports,plan,"
    "referrals_2026-Q1,referrals_2026_q2,contact role,notes,phone\n"
    /* line 2: by id */
    "1,,,,current,coordinated,contract,sharing,network,lead,2024-01-15,"
    "2026-01-14,,medically_tailored_meals@Anthem Blue Cross; "
    "housing_navigation,SF Health Plan,12,15,program manager,"
    "\"weekly call, Tuesdays\",555\n"
    /* line 3: by name alone (unique) */
    ",Glide Memorial Church,,,prospective,Referral,,,,,,,,,,,,,,\n"
    /* line 4: by name and address (a suite dropped), ZIP agreeing */
    ",Food Bank Pantry,\"50 Broadway, Suite 2\",94111,current,joint,"
    "risk-sharing,integrated,systems,shared,,,2025-02-01,,,3,,,,\n"
    /* line 5: no such asset */
    ",Nowhere Clinic,1 Main St,,current,,,,,,,,,,,,,,,\n"
    /* line 6: no such id */
    "99,,,,current,,,,,,,,,,,,,,,\n";

static void test_import_csv(void)
{
	struct core_ws *ws = fixture("csv.db");
	const char *path = test_write("register.csv", reg_csv);
	struct run r;

	if (!ws)
		return;
	CHECK_INT(run_import(ws, &r, path), CORE_OK);
	CHECK_INT(r.src.rows_read, 5);
	CHECK_INT(r.src.rows_accepted, 3);
	CHECK_INT(r.st.by_id, 1);
	CHECK_INT(r.st.by_name, 2);
	CHECK_INT(r.st.status[0], 2); /* current */
	CHECK_INT(r.st.status[1], 1); /* prospective */
	CHECK_INT(r.st.status[2] + r.st.status[3], 0);
	CHECK_INT(r.st.nunmatched, 2);
	if (r.st.nunmatched == 2) {
		CHECK_INT(r.st.unmatched[0].line, 5);
		CHECK_STR(r.st.unmatched[0].name, "Nowhere Clinic");
		CHECK_STR(r.st.unmatched[0].address, "1 Main St");
		CHECK_STR(r.st.unmatched[0].why,
			  "no asset has this name and address");
		CHECK_INT(r.st.unmatched[1].line, 6);
		CHECK_STR(r.st.unmatched[1].why, "no asset has id 99");
	}
	CHECK_CONTAINS(r.st.ignored, "'phone'");
	/* the entries, hand-written from the file */
	CHECK_ENTRY(ws, 1,
		    "current|coordinated|contract|sharing|network|lead|"
		    "program manager|weekly call, Tuesdays");
	CHECK_ENTRY(ws, 2, "prospective|referral|-|-|-|-|-|-");
	CHECK_ENTRY(ws, 4,
		    "current|joint|risk_sharing|integrated|systems|shared|-|-");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM partners"), 3);
	CHECK_Q(ws,
		"SELECT group_concat(asset_id || ':' || kind || ':' ||"
		" coalesce(signed, '') || ':' || coalesce(expires, ''), ' ')"
		" FROM (SELECT * FROM partner_agreements ORDER BY asset_id)",
		"1:mou:2024-01-15:2026-01-14 4:dsa:2025-02-01:");
	CHECK_Q(ws,
		"SELECT group_concat(asset_id || ':' || program || '@' || plan,"
		" ' ') FROM (SELECT * FROM partner_supports"
		" ORDER BY asset_id, program)",
		"1:housing_navigation@SF Health Plan "
		"1:medically_tailored_meals@Anthem Blue Cross");
	CHECK_Q(ws,
		"SELECT group_concat(asset_id || ':' || period || '=' ||"
		" referrals, ' ') FROM (SELECT * FROM partner_referrals"
		" ORDER BY asset_id, period)",
		"1:2026-Q1=12 1:2026-Q2=15 4:2026-Q1=3");
	/* the history: asset 1 eight fields, an agreement, two supports,
	 * two referrals; asset 2 two fields; asset 4 six fields, an
	 * agreement, a referral count */
	CHECK_INT(r.st.changes, 23);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM partner_history"), 23);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM partner_history WHERE"
				 " how = 'import partners register.csv'"
				 " AND old_value IS NULL"),
		  23);
	CHECK_Q(ws,
		"SELECT new_value FROM partner_history WHERE asset_id = 1"
		" AND field = 'agreement:mou'",
		"2024-01-15:2026-01-14");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources WHERE kind ="
				 " 'partners' AND rows_read = 5 AND"
				 " rows_accepted = 3"),
		  1);
	CHECK_INT(test_q_int(ws, "SELECT count(DISTINCT source_id) FROM "
				 "partners WHERE source_id = (SELECT id FROM "
				 "sources)"),
		  1);
	run_release(&r);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Refusals: each leaves the workspace (with a register in it) as it was
 * ------------------------------------------------------------------ */

static int refuse(struct core_ws *ws, const void *row, const char *path,
		  struct test_said *said)
{
	struct run r;
	int rc = run_import(ws, &r, path);

	(void)row;
	test_said_take(said, rc, &r.err, &r.src);
	run_release(&r);
	return rc;
}

static void test_refusals_csv(void)
{
	static const struct test_refusal bad[] = {
	    /* a good row, then a bad status: nothing of either is loaded */
	    {"b1.csv", "asset_id,status\n2,current\n", "1,curent\n",
	     CORE_EFORMAT,
	     .has = {"b1.csv line 3, field status: 'curent' is not a "
		     "partnership status; did you mean 'current'? (current, "
		     "prospective, former, none)",
		     "nothing was imported"}},
	    {"b2.csv", "name,status\n", "Food Bank Pantry,current\n",
	     CORE_EFORMAT,
	     .has = {"b2.csv line 2, field name: 'Food Bank Pantry' names 2 "
		     "assets (ids 3, 4); give the row its asset_id, or the "
		     "address that tells them apart"}},
	    {"b3.csv", "asset_id,status,mou_signed\n", "1,current,2024-02-30\n",
	     CORE_EFORMAT,
	     .has = {"b3.csv line 2, field mou_signed: '2024-02-30' is not a "
		     "date; write it YYYY-MM-DD"}},
	    {"b4.csv", "asset_id,status,baa_signed,baa_expires\n",
	     "1,current,2025-01-01,2024-12-31\n", CORE_EFORMAT,
	     .has = {"b4.csv line 2, field baa_expires: '2024-12-31' is "
		     "before the signing (2025-01-01)"}},
	    {"b5.csv", "asset_id,status,supports\n",
	     "1,current,housing_navigation;medically_tailord_meals@X\n",
	     CORE_EFORMAT,
	     .has = {"b5.csv line 2, field supports: "
		     "'medically_tailord_meals' is not a Community Support "
		     "code; did you mean 'medically_tailored_meals'?"}},
	    {"b6.csv", "asset_id,name,status\n",
	     "1,,current\n,Saint Anthony Foundation Inc.,former\n",
	     CORE_EFORMAT,
	     .has = {"b6.csv line 3, field name: 'Saint Anthony Foundation "
		     "Inc.' names the same asset as line 2; give each asset "
		     "one row"}},
	    {"b7.csv", "asset_id,status,referrals_2026\n", "1,current,-3\n",
	     CORE_EFORMAT,
	     .has = {"b7.csv line 2, field referrals_2026: '-3' is not a "
		     "count of referrals"}},
	    {"b8.csv", "asset_id,name,status\n",
	     "1,Glide Memorial Church,current\n", CORE_EFORMAT,
	     .has = {"b8.csv line 2, field name: 'Glide Memorial Church' is "
		     "not the name of asset 1 ('St. Anthony Foundation')"}},
	    {"b9.csv", "asset_id,state\n", "1,current\n", CORE_EFORMAT,
	     .has = {"b9.csv has no status column; a register needs asset_id "
		     "(or name, with address) and status (its columns: "
		     "asset_id, state)"}},
	    {"b10.csv", "asset_id,status,referrals\n", "1,current,4\n",
	     CORE_EFORMAT,
	     .has = {"b10.csv has a referrals column but no period column"}},
	    {"b11.csv", "asset_id,status,referrals,period\n",
	     "1,current,4,2026-Q5\n", CORE_EFORMAT,
	     .has = {"b11.csv line 2, field period: '2026-Q5' is not a "
		     "period"}},
	    {"b12.csv", "asset_id,status\n", "x1,current\n", CORE_EFORMAT,
	     .has = {"b12.csv line 2, field asset_id: 'x1' is not an asset "
		     "id"}},
	    {"b13.csv", "name,status\n", "Glide Memorial Church,\n",
	     CORE_EFORMAT,
	     .has = {"b13.csv line 2, field status: is empty; give current, "
		     "prospective, former or none"}},
	    {"b15.csv", "asset_id,status,phone,Status\n", "1,current,5,none\n",
	     CORE_EFORMAT,
	     .has = {"b15.csv: columns 'status' and 'Status' are both status; "
		     "keep one"}},
	    {"b16.csv", "asset_id,status,referrals_2026,Referrals 2026\n",
	     "1,current,5,6\n", CORE_EFORMAT,
	     .has = {"b16.csv: columns 'referrals_2026' and 'Referrals 2026' "
		     "are both the referrals of 2026; keep one"}},
	    {"b17.csv", "asset_id,status,referrals_Q3\n", "1,current,5\n",
	     CORE_EFORMAT,
	     .has = {"b17.csv: column 'referrals_Q3': 'Q3' is not a period"}},
	    {"b14.csv", "asset_id,status,service\n", "1,current,joined\n",
	     CORE_EFORMAT,
	     .has = {"b14.csv line 2, field service: 'joined' is not a "
		     "service model; did you mean 'joint'?"}},
	};
	struct core_ws *ws = fixture("refuse.db");
	struct run r;

	if (!ws)
		return;
	/* a register to keep */
	CHECK_INT(run_import(ws, &r, test_write("register.csv", reg_csv)),
		  CORE_OK);
	run_release(&r);
	TEST_REFUSALS(ws, bad, refuse);
	core_ws_close(ws);
}

/* --skip-bad: the good rows load, the bad ones are kept as rejects; a
 * rejected row counts as neither matched nor unmatched */
static void test_skip_bad(void)
{
	struct core_ws *ws = fixture("skip.db");
	struct run r;

	if (!ws)
		return;
	CHECK_INT(run_import_skip(ws, &r,
				  test_write("skip.csv",
					     "asset_id,status,dsa_signed\n"
					     "1,current,2025-02-30\n"
					     "1,former,\n"
					     "2,current,\n"
					     "99,current,\n"),
				  1),
		  CORE_OK);
	CHECK_INT(r.src.rows_read, 4);
	CHECK_INT(r.src.rows_rejected, 2); /* the bad date, the second 1 */
	CHECK_INT(r.src.rows_accepted, 1);
	CHECK_INT(r.st.by_id, 1);
	CHECK_INT(r.st.by_name, 0);
	CHECK_INT(r.st.nunmatched, 1);
	run_release(&r);
	CHECK_ENTRY(ws, 1, "(none)");
	CHECK_ENTRY(ws, 2, "current|-|-|-|-|-|-|-");
	CHECK_Q(ws,
		"SELECT group_concat(line || ':' || field, ' ') FROM (SELECT *"
		" FROM source_rejects ORDER BY line)",
		"2:dsa_signed 3:asset_id");
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Re-import: the file's earlier entries replaced, history kept
 * ------------------------------------------------------------------ */

static void test_reimport(void)
{
	struct core_ws *ws = fixture("again.db");
	struct core_err err = CORE_ERR_INIT;
	struct imp_reg *reg = NULL;
	struct imp_reg_entry old, e;
	const char *path;
	struct run r;
	int64_t n = 0;

	if (!ws)
		return;
	/* asset 5 entered by hand: no import may touch it */
	test_exec(ws, "BEGIN");
	CHECK_INT(
	    imp_reg_new(ws, "partner set", "2024-05-01T00:00:00Z", &reg, &err),
	    CORE_OK);
	CHECK_INT(imp_reg_load(reg, 5, &old, &err), CORE_OK);
	imp_reg_entry_copy(&e, &old);
	imp_reg_entry_set(&e, IMP_REG_STATUS, "current");
	e.exists = 1;
	CHECK_INT(imp_reg_store(reg, 5, &old, &e, 0, 1, &n, &err), CORE_OK);
	imp_reg_entry_release(&old);
	imp_reg_entry_release(&e);
	imp_reg_free(reg);
	test_exec(ws, "COMMIT");
	CHECK_INT(n, 1);

	path =
	    test_write("reg.csv", "asset_id,status,service,supports\n"
				  "1,current,coordinated,respite\n"
				  "2,prospective,,\n"
				  "4,current,joint,sobering_centers@Plan A\n");
	CHECK_INT(run_import(ws, &r, path), CORE_OK);
	CHECK_INT(r.st.changes, 3 + 1 + 3); /* 1: 2 fields + support ... */
	run_release(&r);
	/* the same file, edited: 1 leaves, 2 becomes current, 4 is gone */
	path = test_write("reg.csv", "asset_id,status,service,supports\n"
				     "1,former,coordinated,respite\n"
				     "2,current,referral,\n");
	CHECK_INT(run_import(ws, &r, path), CORE_OK);
	CHECK_INT(r.st.removed, 1);
	/* 1: status; 2: status, service; 4: status, service, support */
	CHECK_INT(r.st.changes, 1 + 2 + 3);
	run_release(&r);
	CHECK_ENTRY(ws, 1, "former|coordinated|-|-|-|-|-|-");
	CHECK_ENTRY(ws, 2, "current|referral|-|-|-|-|-|-");
	CHECK_ENTRY(ws, 4, "(none)");
	CHECK_ENTRY(ws, 5, "current|-|-|-|-|-|-|-");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM partner_supports WHERE"
				 " asset_id = 4"),
		  0);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources WHERE kind ="
				 " 'partners'"),
		  1);
	/* the history holds both imports' values */
	CHECK_Q(ws,
		"SELECT group_concat(coalesce(old_value, '-') || '>' ||"
		" coalesce(new_value, '-'), ' ') FROM (SELECT * FROM"
		" partner_history WHERE asset_id = 1 AND field = 'status'"
		" ORDER BY id)",
		"->current current>former");
	CHECK_Q(
	    ws,
	    "SELECT group_concat(field || ':' || coalesce(old_value, '-') ||"
	    " '>' || coalesce(new_value, '-'), ' ') FROM (SELECT * FROM"
	    " partner_history WHERE asset_id = 4 ORDER BY id)",
	    "status:->current service:->joint support:->sobering_centers@"
	    "Plan A status:current>- service:joint>- "
	    "support:sobering_centers@Plan A>-");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM partner_history"),
		  1 + 7 + 6);
	/* the same file again: nothing changes, nothing is written (not
	 * even the time of the last change) */
	test_exec(ws, "UPDATE partners SET updated_at = 'then'");
	CHECK_INT(run_import(ws, &r, path), CORE_OK);
	CHECK_INT(r.st.changes, 0);
	CHECK_INT(r.st.removed, 0);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM partner_history"), 14);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM partners WHERE "
				 "updated_at <> 'then'"),
		  0);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM partners WHERE "
				 "source_id = (SELECT id FROM sources)"),
		  2);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * import partners: XLSX written by GDAL
 * ------------------------------------------------------------------ */

/* A workbook with one sheet "Partners": asset_id (integer), name,
 * status, mou_signed (a date cell), supports, referrals_2026 (integer);
 * rows of {id or 0, name, status, date or NULL, supports, referrals or
 * -1}. */
struct xrow {
	int id;
	const char *name, *status, *date, *supports;
	int referrals;
};

static int write_xlsx(const char *path, const struct xrow *rows, size_t n,
		      int all_text)
{
	GDALDriverH drv = GDALGetDriverByName("XLSX");
	GDALDatasetH ds;
	OGRLayerH lyr;
	static const struct {
		const char *name;
		OGRFieldType t;
	} f[] = {{"asset_id", OFTInteger}, {"name", OFTString},
		 {"status", OFTString},	   {"mou_signed", OFTDate},
		 {"supports", OFTString},  {"referrals_2026", OFTInteger}};
	size_t i, k;

	if (!drv)
		return 0;
	ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
	if (!ds)
		return -1;
	lyr = GDALDatasetCreateLayer(ds, "Partners", NULL, wkbNone, NULL);
	for (k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		OGRFieldDefnH fd =
		    OGR_Fld_Create(f[k].name, all_text ? OFTString : f[k].t);
		OGR_L_CreateField(lyr, fd, 1);
		OGR_Fld_Destroy(fd);
	}
	for (i = 0; i < n; i++) {
		OGRFeatureH ft = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
		if (rows[i].id)
			OGR_F_SetFieldInteger(ft, 0, rows[i].id);
		/* (a text field takes the number as its text) */
		if (rows[i].name)
			OGR_F_SetFieldString(ft, 1, rows[i].name);
		OGR_F_SetFieldString(ft, 2, rows[i].status);
		if (rows[i].date && all_text) {
			OGR_F_SetFieldString(ft, 3, rows[i].date);
		} else if (rows[i].date) {
			int y, m, d;
			sscanf(rows[i].date, "%d-%d-%d", &y, &m, &d);
			OGR_F_SetFieldDateTimeEx(ft, 3, y, m, d, 0, 0, 0, 0);
		}
		if (rows[i].supports)
			OGR_F_SetFieldString(ft, 4, rows[i].supports);
		if (rows[i].referrals >= 0)
			OGR_F_SetFieldInteger(ft, 5, rows[i].referrals);
		if (OGR_L_CreateFeature(lyr, ft) != OGRERR_NONE)
			test_fail(__FILE__, __LINE__, "writing row %zu", i);
		OGR_F_Destroy(ft);
	}
	GDALClose(ds);
	return 1;
}

static void test_import_xlsx(void)
{
	static const struct xrow good[] = {
	    {1, NULL, "current", "2024-01-15", "respite@Anthem", 7},
	    {0, "Glide Memorial Church", "prospective", NULL, NULL, -1},
	    {0, "Nowhere Clinic", "current", NULL, NULL, -1},
	};
	static const struct xrow badrows[] = {
	    {1, NULL, "current", NULL, NULL, -1},
	    {2, NULL, "formr", NULL, NULL, -1},
	};
	struct core_ws *ws;
	const char *path = test_path("register.xlsx");
	const char *bpath = test_path("bad.xlsx");
	struct run r;
	char *snap;
	int w;

	imp_gdal_init();
	w = write_xlsx(path, good, 3, 0);
	if (w == 0) {
		test_skip("GDAL has no XLSX driver");
		return;
	}
	CHECK_INT(w, 1);
	if (!(ws = fixture("xlsx.db")))
		return;
	CHECK_INT(run_import(ws, &r, path), CORE_OK);
	CHECK_STR(r.src.format, "XLSX");
	CHECK_INT(r.src.rows_read, 3);
	CHECK_INT(r.st.by_id, 1);
	CHECK_INT(r.st.by_name, 1);
	CHECK_INT(r.st.nunmatched, 1);
	if (r.st.nunmatched == 1) {
		CHECK_INT(r.st.unmatched[0].line, 4); /* the sheet's row */
		CHECK_STR(r.st.unmatched[0].name, "Nowhere Clinic");
	}
	run_release(&r);
	CHECK_ENTRY(ws, 1, "current|-|-|-|-|-|-|-");
	CHECK_ENTRY(ws, 2, "prospective|-|-|-|-|-|-|-");
	CHECK_Q(ws,
		"SELECT signed || '|' || coalesce(expires, '-') FROM "
		"partner_agreements WHERE asset_id = 1 AND kind = 'mou'",
		"2024-01-15|-");
	CHECK_Q(ws, "SELECT program || '@' || plan FROM partner_supports",
		"respite@Anthem");
	CHECK_Q(ws, "SELECT period || '=' || referrals FROM partner_referrals",
		"2026=7");
	/* a bad value in a sheet: named by its row, nothing written */
	CHECK_INT(write_xlsx(bpath, badrows, 2, 0), 1);
	snap = test_ws_snapshot(ws);
	{
		int rc = run_import(ws, &r, bpath);
		const char *msg = test_failed_unchanged(
		    ws, snap, rc, CORE_EFORMAT, r.err.msg, __FILE__, __LINE__);
		CHECK_CONTAINS(msg, "bad.xlsx line 3, field status: 'formr' is "
				    "not a partnership status; did you mean "
				    "'former'?");
		run_release(&r);
	}
	core_ws_close(ws);

	/* every cell text, as a sheet typed by hand: the first row is
	 * still the header, the dates and numbers still read */
	if (!(ws = fixture("xlsx_text.db")))
		return;
	CHECK_INT(write_xlsx(test_path("text.xlsx"), good, 3, 1), 1);
	CHECK_INT(run_import(ws, &r, test_path("text.xlsx")), CORE_OK);
	CHECK_INT(r.st.by_id + r.st.by_name, 2);
	CHECK_INT(r.st.nunmatched, 1);
	run_release(&r);
	CHECK_Q(ws, "SELECT signed FROM partner_agreements WHERE asset_id = 1",
		"2024-01-15");
	CHECK_Q(ws, "SELECT period || '=' || referrals FROM partner_referrals",
		"2026=7");
	CHECK_Q(ws, "SELECT status FROM partners WHERE asset_id = 2",
		"prospective");
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * partner set and partners, through the binary
 * ------------------------------------------------------------------ */

static const char assets_csv[] =
    "name,address,zip,lon,lat,category\n"
    "St. Anthony Foundation,150 Golden Gate Avenue,94102,-122.4128,37.7823,"
    "food\n"
    "Glide Memorial Church,330 Ellis Street,94102,-122.4113,37.7852,food\n"
    "Food Bank Pantry,900 Pennsylvania Ave,94107,-122.3931,37.7537,food\n"
    "Food Bank Pantry,50 Broadway,94111,-122.3990,37.7990,food\n";

/* Run the binary on w.db in the test directory; its exit code, with
 * stdout and stderr into *out and *err when not NULL (caller frees). */
static const char *cli_db = "w.db"; /* each test its own */

static int cli(const char *args, char **out, char **err)
{
	char *cmd = xasprintf("-d %s %s", cli_db, args);
	char *o = NULL, *e = NULL;
	int rc = test_run_cli(cmd, &o, &e);

	free(cmd);
	if (out)
		*out = o;
	else
		free(o);
	if (err)
		*err = e;
	else
		free(e);
	return rc;
}

static struct core_ws *open_ws(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;

	if (core_ws_open(test_path(cli_db), CORE_WS_READ, &ws, &err))
		test_fail(__FILE__, __LINE__, "open %s: %s", cli_db, err.msg);
	return ws;
}

static int64_t hist_count(void)
{
	struct core_ws *ws = open_ws();
	int64_t n = ws ? test_q_int(ws, "SELECT count(*) FROM "
					"partner_history")
		       : -1;

	core_ws_close(ws);
	return n;
}

static void test_partner_set(void)
{
	struct core_ws *ws;
	char *out = NULL, *err = NULL;

	if (!test_have_cli())
		return;
	cli_db = "set.db";
	test_write("assets.csv", assets_csv);
	CHECK_INT(cli("-q init", NULL, NULL), 0);
	CHECK_INT(cli("-q import assets assets.csv --no-merge", NULL, NULL), 0);
	/* back-dated: the network as it was */
	CHECK_INT(cli("partner set 2 --status current --service coordinated "
		      "--date 2024-09-01",
		      &out, NULL),
		  0);
	CHECK_STR(out, "asset 2 (Glide Memorial Church): 2 changes\n"
		       "  status: (none) -> current\n"
		       "  service: (none) -> coordinated\n");
	free(out);
	/* --quiet: the change is made, nothing is printed */
	CHECK_INT(cli("-q partner set 'Glide Memorial Church' --status former "
		      "--date 2025-06-30",
		      &out, &err),
		  0);
	CHECK_STR(out, "");
	CHECK_STR(err, "");
	free(out);
	free(err);
	out = err = NULL;
	CHECK_INT(cli("partner set 1 --status current --support "
		      "medically_tailored_meals@Anthem --referrals 2026-Q1=40 "
		      "--agreement mou:2025-03-01:2027-02-28 --contact "
		      "'program manager'",
		      NULL, NULL),
		  0);
	CHECK_INT(cli("partner set 1 --no-support medically_tailored_meals "
		      "--referrals 2026-Q1=",
		      NULL, NULL),
		  0);
	CHECK_INT(hist_count(), 2 + 1 + 5 + 2);
	/* the same again: no change, nothing written */
	CHECK_INT(cli("partner set 1 --status current", &out, NULL), 0);
	CHECK_STR(out, "asset 1 (St. Anthony Foundation): no change\n");
	free(out);
	CHECK_INT(hist_count(), 10);
	/* refusals, nothing written */
	CHECK_INT(
	    cli("partner set 'Food Bank Pantry' --status current", NULL, &err),
	    1);
	CHECK_CONTAINS(err, "2 assets are named 'Food Bank Pantry'; give the "
			    "id of the one you mean:\n"
			    "  3  Food Bank Pantry, 900 Pennsylvania Ave\n"
			    "  4  Food Bank Pantry, 50 Broadway");
	free(err);
	CHECK_INT(cli("partner set 2 --status curent", NULL, &err), 2);
	CHECK_CONTAINS(err, "--status: 'curent' is not a partnership status; "
			    "did you mean 'current'?");
	free(err);
	CHECK_INT(cli("partner set 3 --service joint", NULL, &err), 1);
	CHECK_CONTAINS(err, "asset 3 (Food Bank Pantry) is not in the "
			    "register yet; give its --status");
	free(err);
	CHECK_INT(cli("partner set 1 --support sobering_center", NULL, &err),
		  2);
	CHECK_CONTAINS(err, "did you mean 'sobering_centers'?");
	free(err);
	CHECK_INT(
	    cli("partner set 1 --date 2999-01-01 --status former", NULL, &err),
	    2);
	free(err);
	CHECK_INT(cli("partner set 77 --status current", NULL, NULL), 1);
	CHECK_INT(hist_count(), 10);

	if (!(ws = open_ws()))
		return;
	CHECK_Q(ws,
		"SELECT group_concat(changed_at || ' ' || field || ' ' ||"
		" coalesce(old_value, '-') || '>' || coalesce(new_value, '-'),"
		" '; ') FROM (SELECT * FROM partner_history WHERE asset_id = 2"
		" ORDER BY id)",
		"2024-09-01T00:00:00Z status ->current; 2024-09-01T00:00:00Z "
		"service ->coordinated; 2025-06-30T00:00:00Z status "
		"current>former");
	CHECK_Q(
	    ws,
	    "SELECT group_concat(field || ' ' || coalesce(old_value, '-') ||"
	    " '>' || coalesce(new_value, '-'), '; ') FROM (SELECT * FROM"
	    " partner_history WHERE asset_id = 1 ORDER BY id)",
	    "status ->current; contact_role ->program manager; "
	    "agreement:mou ->2025-03-01:2027-02-28; support "
	    "->medically_tailored_meals@Anthem; referrals:2026-Q1 ->40; "
	    "support medically_tailored_meals@Anthem>-; referrals:2026-Q1 "
	    "40>-");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM partner_history WHERE "
				 "how <> 'partner set'"),
		  0);
	/* the time of each entry's last change, a support's too */
	CHECK_Q(ws, "SELECT updated_at FROM partners WHERE asset_id = 2",
		"2025-06-30T00:00:00Z");
	CHECK_INT(test_q_int(ws, "SELECT updated_at = (SELECT max(changed_at)"
				 " FROM partner_history WHERE asset_id = 1)"
				 " FROM partners WHERE asset_id = 1"),
		  1);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM partners WHERE "
				 "source_id IS NOT NULL"),
		  0);
	core_ws_close(ws);
}

/* Split CSV text with no quoted fields into lines of cells. */
static size_t csv_cells(char *text, char *cells[][16], size_t max)
{
	size_t n = 0;
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t k = 0;
		char *p = line;
		cells[n][k++] = p;
		while ((p = strchr(p, ',')) && k < 16) {
			*p++ = '\0';
			cells[n][k++] = p;
		}
		while (k < 16)
			cells[n][k++] = NULL;
		n++;
	}
	return n;
}

static void test_partners_output(void)
{
	char *out = NULL, *cells[8][16];
	json_object *j, *o, *v;
	size_t n;

	if (!test_have_cli())
		return;
	cli_db = "out.db";
	test_write("assets.csv", assets_csv);
	test_write("reg.csv",
		   "asset_id,status,service,financial,data,effects,governance,"
		   "dsa_signed,supports,plan,referrals_2026,contact_role\n"
		   "1,current,coordinated,contract,sharing,network,lead,"
		   "2025-01-01,respite;housing_deposits@Plan B,Plan A,9,"
		   "director\n"
		   "2,prospective,,,,,,,,,,\n"
		   "4,current,joint,,,,,,,,,\n");
	CHECK_INT(cli("-q init", NULL, NULL), 0);
	CHECK_INT(cli("-q import assets assets.csv --no-merge", NULL, NULL), 0);
	CHECK_INT(cli("-q import partners reg.csv", NULL, NULL), 0);

	CHECK_INT(cli("partners --format csv", &out, NULL), 0);
	n = out ? csv_cells(out, cells, 8) : 0;
	CHECK_INT(n, 4);
	if (n == 4) {
		CHECK_STR(cells[0][0], "asset_id");
		CHECK_STR(cells[0][3], "status");
		CHECK_STR(cells[0][9], "agreements");
		CHECK_STR(cells[0][12], "contact_role");
		/* current first, by name: Food Bank Pantry (4), St. Anthony */
		CHECK_STR(cells[1][0], "4");
		CHECK_STR(cells[1][4], "joint");
		CHECK_STR(cells[2][0], "1");
		CHECK_STR(cells[2][2], "food");
		CHECK_STR(cells[2][3], "current");
		CHECK_STR(cells[2][4], "coordinated");
		CHECK_STR(cells[2][5], "contract");
		CHECK_STR(cells[2][6], "sharing");
		CHECK_STR(cells[2][7], "network");
		CHECK_STR(cells[2][8], "lead");
		CHECK_STR(cells[2][9], "dsa:2025-01-01:");
		CHECK_STR(cells[2][10],
			  "housing_deposits@Plan B; respite@Plan A");
		CHECK_STR(cells[2][11], "2026=9");
		CHECK_STR(cells[2][12], "director");
		CHECK_STR(cells[3][0], "2");
		CHECK_STR(cells[3][3], "prospective");
	}
	free(out);

	CHECK_INT(cli("partners --status current --format json", &out, NULL),
		  0);
	j = out ? json_tokener_parse(out) : NULL;
	CHECK(j && json_object_is_type(j, json_type_array));
	if (j && json_object_is_type(j, json_type_array)) {
		CHECK_INT(json_object_array_length(j), 2);
		o = json_object_array_get_idx(j, 1);
		CHECK(json_object_object_get_ex(o, "asset_id", &v) &&
		      json_object_get_int(v) == 1);
		CHECK(json_object_object_get_ex(o, "financial", &v) &&
		      !strcmp(json_object_get_string(v), "contract"));
		CHECK(json_object_object_get_ex(o, "supports", &v) &&
		      !strcmp(json_object_get_string(v),
			      "housing_deposits@Plan B; respite@Plan A"));
		CHECK(json_object_object_get_ex(o, "notes", &v) &&
		      json_object_is_type(v, json_type_null));
	}
	json_object_put(j);
	free(out);

	/* info counts the register by status */
	CHECK_INT(cli("info --format csv", &out, NULL), 0);
	CHECK_CONTAINS(out, "partners_current,2\npartners_prospective,1\n");
	free(out);

	/* the table speaks in words */
	CHECK_INT(cli("partners", &out, NULL), 0);
	CHECK_CONTAINS(out, "coordinated service");
	CHECK_CONTAINS(out, "current partner");
	CHECK_CONTAINS(out, "prospective partner");
	free(out);

	/* the history, and the count of current partners as it grew,
	 * oldest first: a change entered after the fact comes first */
	CHECK_INT(
	    cli("partner set 2 --status current --date 2020-01-01", NULL, NULL),
	    0);
	CHECK_INT(cli("partner set 4 --status former", NULL, NULL), 0);
	CHECK_INT(cli("partners --history --format csv", &out, NULL), 0);
	n = out ? csv_cells(out, cells, 8) : 0;
	CHECK(n == 8); /* only the first lines are kept */
	if (n == 8) {
		CHECK_STR(cells[0][7], "current_partners");
		/* the back-dated change comes first */
		CHECK_STR(cells[1][0], "2020-01-01T00:00:00Z");
		CHECK_STR(cells[1][1], "2");
		CHECK_STR(cells[1][3], "status");
		CHECK_STR(cells[1][5], "current");
		CHECK_STR(cells[1][6], "partner set");
		CHECK_STR(cells[1][7], "1");
		CHECK_STR(cells[2][1], "1");
		CHECK_STR(cells[2][6], "import partners reg.csv");
		CHECK_STR(cells[2][7], "2");
	}
	free(out);
	CHECK_INT(cli("partners --history --format json", &out, NULL), 0);
	j = out ? json_tokener_parse(out) : NULL;
	if (j && json_object_is_type(j, json_type_array)) {
		size_t len = json_object_array_length(j), k;
		int64_t counts[64];
		/* 1 back-dated + 11 (asset 1: seven fields, an agreement,
		 * two supports, a referral count) + 1 (asset 2) + 2 (asset
		 * 4) + 1 (asset 4 former) */
		CHECK_INT(len, 1 + 11 + 1 + 2 + 1);
		for (k = 0; k < len && k < 64; k++) {
			o = json_object_array_get_idx(j, k);
			counts[k] =
			    json_object_object_get_ex(o, "current_partners", &v)
				? json_object_get_int64(v)
				: -1;
		}
		if (len == 16) {
			CHECK_INT(counts[0], 1);  /* 2 current (2020) */
			CHECK_INT(counts[1], 2);  /* 1 current */
			CHECK_INT(counts[11], 2); /* 1's last change */
			CHECK_INT(counts[12], 1); /* 2 prospective */
			CHECK_INT(counts[13], 2); /* 4 current */
			CHECK_INT(counts[14], 2); /* 4 service */
			CHECK_INT(counts[15], 1); /* 4 former */
		}
	} else {
		CHECK(!"history JSON parses as an array");
	}
	json_object_put(j);
	free(out);
	/* bad status: did you mean */
	CHECK_INT(cli("partners --status formr", NULL, &out), 2);
	CHECK_CONTAINS(out, "did you mean 'former'?");
	free(out);
}

static const struct test tests[] = {
    TEST(test_vocab),	    TEST(test_import_csv),	TEST(test_refusals_csv),
    TEST(test_skip_bad),    TEST(test_reimport),	TEST(test_import_xlsx),
    TEST(test_partner_set), TEST(test_partners_output), {0}};

int main(void)
{
	int rc = test_main("partners", tests);
	test_libs_shutdown();
	return rc;
}
