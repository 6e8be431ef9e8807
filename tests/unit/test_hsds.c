/*
 * test_hsds.c - the HSDS importer: JSON, NDJSON and CSV packages (3.x,
 * 2.0/1.1), the real Bay Area food sites, and bad input that must leave
 * the workspace as it was.
 *
 * The fixtures are written in the published HSDS schemas (3.x JSON and
 * tabular, 1.1 CSV); the expected values are worked out by hand in the
 * comments beside them.
 */
#include <gdal.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <spatialite/gaiaaux.h>

#include "core/core_csv.h"
#include "core/core_mem.h"
#include "core/core_ws.h"
#include "importers/imp_hsds.h"
#include "importers/imp_hsds_int.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

struct run {
	struct imp_hsds_opts o;
	struct imp_source src;
	struct imp_hsds_stats st;
	struct core_err err;
	int rc;
};

static int run_import(struct core_ws *ws, struct run *r, const char *path,
		      int skip_bad, int merge)
{
	memset(r, 0, sizeof(*r));
	r->o.path = path;
	r->o.skip_bad = skip_bad;
	r->o.merge = merge;
	imp_source_init(&r->src, "assets");
	r->rc = imp_hsds_import(ws, &r->o, &r->src, &r->st, &r->err);
	return r->rc;
}

static void run_release(struct run *r)
{
	imp_source_release(&r->src);
	imp_hsds_stats_release(&r->st);
}

/* An import that must fail with code and leave the workspace unchanged;
 * returns the error message (static until the next call). */
static const char *expect_fail(struct core_ws *ws, const char *path, int code,
			       const char *file, int line)
{
	char *before = test_ws_snapshot(ws);
	const char *msg;
	struct run r;

	run_import(ws, &r, path, 0, 1);
	msg = test_failed_unchanged(ws, before, r.rc, code, r.err.msg, file,
				    line);
	run_release(&r);
	return msg;
}

#define EXPECT_FAIL(ws, path, code)                                            \
	expect_fail(ws, path, code, __FILE__, __LINE__)

/* Write content to dir/name under the temp directory (dir made). */
static void put(const char *dir, const char *name, const char *content)
{
	char *d = xasprintf("%s/%s", test_tmpdir(), dir);
	char *p = xasprintf("%s/%s", d, name);
	FILE *fp;

	mkdir(d, 0755);
	fp = fopen(p, "wb");
	if (!fp || fputs(content, fp) < 0)
		test_fail(__FILE__, __LINE__, "cannot write %s", p);
	if (fp)
		fclose(fp);
	free(p);
	free(d);
}

/* Replace the first occurrence of from in s by to (new string). */
static char *replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);

	if (!p) {
		test_fail(__FILE__, __LINE__, "'%s' not in the fixture", from);
		return xstrdup(s);
	}
	return xasprintf("%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
}

static int has_warning(const struct imp_hsds_stats *st, const char *text)
{
	size_t i;

	for (i = 0; i < st->nwarnings; i++)
		if (strstr(st->warnings[i], text))
			return 1;
	return 0;
}

/* ---------------------------------------------------------------------
 * Fixtures: one directory, three forms.
 *
 * Mission Community Services has four locations and four services:
 *   loc-1 Mission Hub     offers svc-food (sal-1) and svc-clinic (sal-3):
 *                         two assets, "Mission Hub (Food Pantry)" and
 *                         "Mission Hub (Walk-in Clinic)";
 *   loc-2 Excelsior Site  offers svc-food (sal-2) and svc-old (defunct,
 *                         skipped): one asset, "Excelsior Site";
 *   loc-3 Online          virtual: skipped, and with it svc-online;
 *   loc-4 Bayview Annex   no coordinates: skipped.
 * So 3 assets; skipped 1 service with no located location, 1 defunct,
 * 1 location without coordinates, 1 virtual.
 * ------------------------------------------------------------------ */

static const char org_json_0[] =
    "{\n"
    "  \"id\": \"org-1\",\n"
    "  \"name\": \"Mission Community Services\",\n"
    "  \"description\": \"Food and health services in the Mission.\",\n"
    "  \"email\": \"info@mcs.example.org\",\n"
    "  \"website\": \"https://mcs.example.org\",\n"
    "  \"phones\": [{\"id\": \"ph-org\", \"number\": \"415-555-0100\", "
    "\"type\": \"voice\"}],\n"
    "  \"locations\": [\n"
    "    {\n"
    "      \"id\": \"loc-1\",\n"
    "      \"location_type\": \"physical\",\n"
    "      \"name\": \"Mission Hub\",\n"
    "      \"latitude\": 37.7599,\n"
    "      \"longitude\": -122.4148,\n"
    "      \"addresses\": [\n"
    "        {\"id\": \"addr-2\", \"location_id\": \"loc-1\", \"address_1\": "
    "\"PO Box 9\", \"city\": \"San Francisco\", \"state_province\": \"CA\", "
    "\"postal_code\": \"94101\", \"country\": \"US\", \"address_type\": "
    "\"postal\"},\n"
    "        {\"id\": \"addr-1\", \"location_id\": \"loc-1\", \"address_1\": "
    "\"3200 Mission St\", \"address_2\": \"Suite 2\", \"city\": \"San "
    "Francisco\", \"state_province\": \"CA\", \"postal_code\": \"94110\", "
    "\"country\": \"US\", \"address_type\": \"physical\"}\n"
    "      ],\n"
    "      \"phones\": [\n"
    "        {\"id\": \"ph-fax\", \"location_id\": \"loc-1\", \"number\": "
    "\"415-555-0199\", \"type\": \"fax\"},\n"
    "        {\"id\": \"ph-loc\", \"location_id\": \"loc-1\", \"number\": "
    "\"415-555-0101\", \"type\": \"voice\",\n"
    "         \"languages\": [{\"id\": \"lang-p\", \"phone_id\": \"ph-loc\", "
    "\"name\": \"Vietnamese\", \"code\": \"vi\"}]}\n"
    "      ],\n"
    "      \"accessibility\": [{\"id\": \"acc-1\", \"location_id\": \"loc-1\", "
    "\"description\": \"Wheelchair accessible entrance\", \"details\": \"ramp "
    "on 29th St\"}],\n"
    "      \"languages\": [{\"id\": \"lang-l\", \"location_id\": \"loc-1\", "
    "\"name\": \"Spanish\", \"code\": \"es\"}],\n"
    "      \"schedules\": [{\"id\": \"sch-loc\", \"location_id\": \"loc-1\", "
    "\"freq\": \"WEEKLY\", \"byday\": \"MO,TU,WE,TH,FR\", \"opens_at\": "
    "\"08:00\", \"closes_at\": \"18:00\"}]\n"
    "    },\n"
    "    {\n"
    "      \"id\": \"loc-2\",\n"
    "      \"location_type\": \"physical\",\n"
    "      \"name\": \"Excelsior Site\",\n"
    "      \"latitude\": 37.7245,\n"
    "      \"longitude\": -122.428,\n"
    "      \"addresses\": [{\"id\": \"addr-3\", \"location_id\": \"loc-2\", "
    "\"address_1\": \"4500 Mission St\", \"city\": \"San Francisco\", "
    "\"state_province\": \"CA\", \"postal_code\": \"94112\", \"country\": "
    "\"US\", \"address_type\": \"physical\"}]\n"
    "    },\n"
    "    {\"id\": \"loc-3\", \"location_type\": \"virtual\", \"name\": "
    "\"Online\", \"url\": \"https://mcs.example.org/chat\"},\n"
    "    {\"id\": \"loc-4\", \"location_type\": \"physical\", \"name\": "
    "\"Bayview Annex\"}\n"
    "  ],\n"
    "  \"services\": [\n"
    "    {\n"
    "      \"id\": \"svc-food\",\n"
    "      \"organization_id\": \"org-1\",\n"
    "      \"name\": \"Food Pantry\",\n"
    "      \"description\": \"Groceries every week.\",\n"
    "      \"status\": \"active\",\n"
    "      \"eligibility_description\": \"Residents of San Francisco\",\n"
    "      \"minimum_age\": 18,\n"
    "      \"languages\": [{\"id\": \"lang-s\", \"service_id\": \"svc-food\", "
    "\"name\": \"English\", \"code\": \"en\"}],\n"
    "      \"attributes\": [{\"id\": \"att-1\", \"link_id\": \"svc-food\", "
    "\"link_type\": \"service_type\", \"link_entity\": \"service\", "
    "\"taxonomy_term_id\": \"tt-1\",\n"
    "                      \"taxonomy_term\": {\"id\": \"tt-1\", \"code\": "
    "\"1102\", \"name\": \"Food Pantry\", \"description\": \"Food pantries\", "
    "\"taxonomy\": \"Open Eligibility\"}}],\n";

static const char org_json_1[] =
    "      \"capacities\": [{\"id\": \"cap-1\", \"service_id\": \"svc-food\", "
    "\"unit\": {\"id\": \"u-1\", \"name\": \"households\"}, \"available\": 40, "
    "\"maximum\": 120, \"updated\": \"2024-01-01T00:00:00Z\"}],\n"
    "      \"service_at_locations\": [\n"
    "        {\"id\": \"sal-1\", \"service_id\": \"svc-food\", "
    "\"location_id\": \"loc-1\",\n"
    "         \"schedules\": [{\"id\": \"sch-1\", \"service_at_location_id\": "
    "\"sal-1\", \"freq\": \"WEEKLY\", \"byday\": \"MO,TU,WE,TH,FR\", "
    "\"opens_at\": \"09:00\", \"closes_at\": \"17:00\"},\n"
    "                       {\"id\": \"sch-2\", \"service_at_location_id\": "
    "\"sal-1\", \"freq\": \"WEEKLY\", \"byday\": \"SA\", \"opens_at\": "
    "\"10:00\", \"closes_at\": \"12:00\"}]},\n"
    "        {\"id\": \"sal-2\", \"service_id\": \"svc-food\", "
    "\"location_id\": \"loc-2\",\n"
    "         \"schedules\": [{\"id\": \"sch-3\", \"service_at_location_id\": "
    "\"sal-2\", \"freq\": \"MONTHLY\", \"byday\": \"2TU,4TU\", \"opens_at\": "
    "\"15:30\", \"closes_at\": \"17:30\"}]}\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"id\": \"svc-clinic\",\n"
    "      \"organization_id\": \"org-1\",\n"
    "      \"name\": \"Walk-in Clinic\",\n"
    "      \"description\": \"Primary care without an appointment.\",\n"
    "      \"status\": \"active\",\n"
    "      \"maximum_age\": 64,\n"
    "      \"phones\": [{\"id\": \"ph-svc\", \"service_id\": \"svc-clinic\", "
    "\"number\": \"415-555-0102\", \"type\": \"voice\"}],\n"
    "      \"attributes\": [{\"id\": \"att-2\", \"link_id\": \"svc-clinic\", "
    "\"link_entity\": \"service\", \"taxonomy_term_id\": \"tt-2\",\n"
    "                      \"taxonomy_term\": {\"id\": \"tt-2\", \"name\": "
    "\"Medical Care\", \"description\": \"Medical care\", \"taxonomy\": \"Open "
    "Eligibility\"}}],\n"
    "      \"service_at_locations\": [{\"id\": \"sal-3\", \"service_id\": "
    "\"svc-clinic\", \"location_id\": \"loc-1\"}]\n"
    "    },\n"
    "    {\"id\": \"svc-old\", \"organization_id\": \"org-1\", \"name\": "
    "\"Closed Program\", \"status\": \"defunct\",\n"
    "     \"service_at_locations\": [{\"id\": \"sal-4\", \"service_id\": "
    "\"svc-old\", \"location_id\": \"loc-2\"}]},\n"
    "    {\"id\": \"svc-online\", \"organization_id\": \"org-1\", \"name\": "
    "\"Benefits Chat\", \"status\": \"active\",\n"
    "     \"service_at_locations\": [{\"id\": \"sal-5\", \"service_id\": "
    "\"svc-online\", \"location_id\": \"loc-3\"}]}\n"
    "  ]\n"
    "}\n";

/* The whole file (C11 compilers need not take longer literals). */
static const char *org_json(void)
{
	static char *s;

	if (!s)
		s = xasprintf("%s%s", org_json_0, org_json_1);
	return s;
}

/* The same directory as an HSDS 3.x tabular data package. */
static void write_v3_package(const char *dir)
{
	put(dir, "datapackage.json",
	    "{\"name\": \"mcs\", \"profile\": \"tabular-data-package\", "
	    "\"resources\": [\n"
	    " {\"name\": \"organization\", \"path\": \"organizations.csv\"},\n"
	    " {\"name\": \"service\", \"path\": \"services.csv\"},\n"
	    " {\"name\": \"location\", \"path\": \"locations.csv\"},\n"
	    " {\"name\": \"service_at_location\", \"path\": "
	    "\"service_at_location.csv\"}]}\n");
	put(dir, "organizations.csv",
	    "id,name,alternate_name,description,email,website,tax_status,tax_"
	    "id,year_incorporated,legal_status,logo,uri,parent_organization_"
	    "id\n"
	    "org-1,Mission Community Services,,Food and health services in the "
	    "Mission.,info@mcs.example.org,https://mcs.example.org,,,,,,,\n");
	put(dir, "services.csv",
	    "id,organization_id,program_id,name,alternate_name,description,url,"
	    "email,status,interpretation_services,application_process,fees_"
	    "description,wait_time,fees,accreditations,eligibility_description,"
	    "minimum_age,maximum_age,assured_date,assurer_email,licenses,alert,"
	    "last_modified\n"
	    "svc-food,org-1,,Food Pantry,,Groceries every "
	    "week.,,,active,,,,,,,Residents of San Francisco,18,,,,,,\n"
	    "svc-clinic,org-1,,Walk-in Clinic,,Primary care without an "
	    "appointment.,,,active,,,,,,,,,64,,,,,\n"
	    "svc-old,org-1,,Closed Program,,,,,defunct,,,,,,,,,,,,,,\n"
	    "svc-online,org-1,,Benefits Chat,,,,,active,,,,,,,,,,,,,,\n");
	put(dir, "locations.csv",
	    "id,location_type,url,organization_id,name,alternate_name,"
	    "description,transportation,latitude,longitude,external_identifier,"
	    "external_identifier_type\n"
	    "loc-1,physical,,org-1,Mission Hub,,,,37.7599,-122.4148,,\n"
	    "loc-2,physical,,org-1,Excelsior Site,,,,37.7245,-122.428,,\n"
	    "loc-3,virtual,https://mcs.example.org/chat,org-1,Online,,,,,,,\n"
	    "loc-4,physical,,org-1,Bayview Annex,,,,,,,\n");
	put(dir, "service_at_location.csv",
	    "id,service_id,location_id,description\n"
	    "sal-1,svc-food,loc-1,\n"
	    "sal-2,svc-food,loc-2,\n"
	    "sal-3,svc-clinic,loc-1,\n"
	    "sal-4,svc-old,loc-2,\n"
	    "sal-5,svc-online,loc-3,\n");
	put(dir, "addresses.csv",
	    "id,location_id,attention,address_1,address_2,city,region,state_"
	    "province,postal_code,country,address_type\n"
	    "addr-2,loc-1,,PO Box 9,,San Francisco,,CA,94101,US,postal\n"
	    "addr-1,loc-1,,3200 Mission St,Suite 2,San "
	    "Francisco,,CA,94110,US,physical\n"
	    "addr-3,loc-2,,4500 Mission St,,San "
	    "Francisco,,CA,94112,US,physical\n");
	put(dir, "phones.csv",
	    "id,location_id,service_id,organization_id,contact_id,service_at_"
	    "location_id,number,extension,type,description\n"
	    "ph-org,,,org-1,,,415-555-0100,,voice,\n"
	    "ph-fax,loc-1,,,,,415-555-0199,,fax,\n"
	    "ph-loc,loc-1,,,,,415-555-0101,,voice,\n"
	    "ph-svc,,svc-clinic,,,,415-555-0102,,voice,\n");
	put(dir, "schedules.csv",
	    "id,service_id,location_id,service_at_location_id,valid_from,valid_"
	    "to,dtstart,timezone,until,count,wkst,freq,interval,byday,byweekno,"
	    "bymonthday,byyearday,description,opens_at,closes_at,schedule_link,"
	    "attending_type,notes\n"
	    "sch-loc,,loc-1,,,,,,,,,WEEKLY,,\"MO,TU,WE,TH,FR\",,,,,08:00,18:00,"
	    ",,\n"
	    "sch-1,,,sal-1,,,,,,,,WEEKLY,,\"MO,TU,WE,TH,FR\",,,,,09:00,17:00,,,"
	    "\n"
	    "sch-2,,,sal-1,,,,,,,,WEEKLY,,SA,,,,,10:00,12:00,,,\n"
	    "sch-3,,,sal-2,,,,,,,,MONTHLY,,\"2TU,4TU\",,,,,15:30,17:30,,,\n");
	put(dir, "languages.csv",
	    "id,service_id,location_id,phone_id,name,code,note\n"
	    "lang-s,svc-food,,,English,en,\n"
	    "lang-l,,loc-1,,Spanish,es,\n"
	    "lang-p,,,ph-loc,Vietnamese,vi,\n");
	put(dir, "accessibility.csv",
	    "id,location_id,description,details,url\n"
	    "acc-1,loc-1,Wheelchair accessible entrance,ramp on 29th St,\n");
	put(dir, "taxonomy_terms.csv",
	    "id,code,name,description,parent_id,taxonomy,language,taxonomy_id,"
	    "term_uri\n"
	    "tt-1,1102,Food Pantry,Food pantries,,Open Eligibility,en,,\n"
	    "tt-2,,Medical Care,Medical care,,Open Eligibility,en,,\n");
	put(dir, "attributes.csv",
	    "id,link_id,taxonomy_term_id,link_type,link_entity,value,label\n"
	    "att-1,svc-food,tt-1,service_type,service,,\n"
	    "att-2,svc-clinic,tt-2,,service,,\n");
	put(dir, "units.csv",
	    "id,name,scheme,identifier,uri\nu-1,households,,,\n");
	put(dir, "service_capacity.csv",
	    "id,service_id,unit_id,available,maximum,description,updated\n"
	    "cap-1,svc-food,u-1,40,120,,2024-01-01T00:00:00Z\n");
}

/* What every form of the fixture must give.  prefix: the sources' ids
 * differ, so queries go through the one source named path. */
static void check_fixture_assets(struct core_ws *ws, const char *src_name)
{
	char *w = xasprintf("FROM assets a JOIN sources s ON s.id = a.source_id"
			    " WHERE s.name = '%s'",
			    src_name);
	char *sql;

#define Q(field, name)                                                         \
	(free(sql),                                                            \
	 sql = xasprintf("SELECT %s %s AND a.name = '%s'", field, w, name))
	sql = xasprintf("SELECT count(*) %s", w);
	CHECK_INT(test_q_int(ws, sql), 3);
	Q("a.address || '|' || a.city || '|' || a.state || '|' || a.zip",
	  "Mission Hub (Food Pantry)");
	CHECK_Q(ws, sql, "3200 Mission St, Suite 2|San Francisco|CA|94110");
	/* the sal's own schedules, weekdays merged */
	Q("a.hours", "Mission Hub (Food Pantry)");
	CHECK_Q(ws, sql, "Mo-Fr 09:00-17:00; Sa 10:00-12:00");
	/* not the fax: the location's voice line */
	Q("a.phone", "Mission Hub (Food Pantry)");
	CHECK_Q(ws, sql, "415-555-0101");
	/* the service's, the location's, the location phone's */
	Q("a.languages", "Mission Hub (Food Pantry)");
	CHECK_Q(ws, sql, "en,es,vi");
	Q("a.eligibility || '|' || a.age_min || '|' || ifnull(a.age_max, "
	  "'null')",
	  "Mission Hub (Food Pantry)");
	CHECK_Q(ws, sql, "Residents of San Francisco|18.0|null");
	Q("a.capacity || '|' || json_extract(a.attrs, '$.capacity_unit')",
	  "Mission Hub (Food Pantry)");
	CHECK_Q(ws, sql, "120.0|households");
	Q("a.accessibility", "Mission Hub (Food Pantry)");
	CHECK_Q(ws, sql, "Wheelchair accessible entrance (ramp on 29th St)");
	Q("a.organization || '|' || a.website || '|' || a.email || '|' || "
	  "a.description",
	  "Mission Hub (Food Pantry)");
	CHECK_Q(ws, sql,
		"Mission Community "
		"Services|https://"
		"mcs.example.org|info@mcs.example.org|Groceries every week.");
	Q("a.source_key || '|' || round(X(a.geom), 4) || '|' || "
	  "round(Y(a.geom), 4)",
	  "Mission Hub (Food Pantry)");
	CHECK_Q(ws, sql, "sal-1|-122.4148|37.7599");
	Q("(SELECT group_concat(category) FROM asset_categories c WHERE "
	  "c.asset_id = a.id)",
	  "Mission Hub (Food Pantry)");
	CHECK_Q(ws, sql, "food");

	/* the service's phone; the location's own schedule */
	Q("a.phone || '|' || a.hours || '|' || a.languages || '|' || a.age_max",
	  "Mission Hub (Walk-in Clinic)");
	CHECK_Q(ws, sql, "415-555-0102|Mo-Fr 08:00-18:00|es,vi|64.0");
	Q("(SELECT group_concat(category) FROM asset_categories c WHERE "
	  "c.asset_id = a.id)",
	  "Mission Hub (Walk-in Clinic)");
	CHECK_Q(ws, sql, "primary_care");

	/* one active service here: the location's name; the organization's
	 * phone; monthly by ordinal */
	Q("a.hours || '|' || a.phone || '|' || a.address || '|' || "
	  "a.source_key",
	  "Excelsior Site");
	CHECK_Q(ws, sql,
		"Tu[2,4] 15:30-17:30|415-555-0100|4500 Mission St|sal-2");
#undef Q
	free(sql);
	free(w);
}

static void check_fixture_stats(const struct run *r)
{
	CHECK_INT(r->st.assets, 3);
	CHECK_INT(r->st.counts.organizations, 1);
	CHECK_INT(r->st.counts.services, 4);
	CHECK_INT(r->st.counts.locations, 4);
	CHECK_INT(r->st.counts.links, 5);
	CHECK_INT(r->st.counts.services_unlocated, 1);
	CHECK_INT(r->st.counts.services_inactive, 1);
	CHECK_INT(r->st.counts.locations_no_point, 1);
	CHECK_INT(r->st.counts.locations_virtual, 1);
	CHECK_INT(r->st.by_terms, 3);
	CHECK_INT(r->st.uncategorized, 0);
	CHECK_INT(r->src.rows_rejected, 0);
}

/* ---------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------ */

static void test_values(void)
{
	struct hsds_sched sc;
	char *t;

	CHECK_INT(hsds_weekday("MO"), 0);
	CHECK_INT(hsds_weekday("Sunday"), 6);
	CHECK_INT(hsds_weekday("Thursdays"), 3);
	CHECK_INT(hsds_weekday("miércoles"), 2);
	CHECK_INT(hsds_weekday("7"), 6);
	CHECK_INT(hsds_weekday("1"), 0);
	CHECK_INT(hsds_weekday("8"), -1);
	CHECK_INT(hsds_weekday("someday"), -1);

	t = hsds_time("9:30 pm");
	CHECK_STR(t, "21:30");
	free(t);
	t = hsds_time("12am");
	CHECK_STR(t, "00:00");
	free(t);
	t = hsds_time("17:00:00-08:00");
	CHECK_STR(t, "17:00");
	free(t);
	t = hsds_time("09:00Z");
	CHECK_STR(t, "09:00");
	free(t);
	t = hsds_time("noon");
	CHECK_STR(t, "noon"); /* kept as written */
	free(t);
	t = hsds_time("25:00");
	CHECK_STR(t, "25:00");
	free(t);
	CHECK(hsds_time("  ") == NULL);

	memset(&sc, 0, sizeof(sc));
	CHECK(hsds_sched_byday(&sc, "2TU,-1FR,4TU"));
	CHECK_STR(sc.nth, "Tu[2,4],Fr[-1]");
	CHECK_INT(sc.days, 0);
	free(sc.nth);
	memset(&sc, 0, sizeof(sc));
	CHECK(hsds_sched_byday(&sc, "MO, WE,FR"));
	CHECK_INT(sc.days, 1 | 4 | 16);
	CHECK(!hsds_sched_byday(&sc, "MO,XX"));

	CHECK_STR(hsds_lang_code("Español"), "es");
	CHECK_STR(hsds_lang_code("spa"), "es");
	CHECK_STR(hsds_lang_code("ES"), "es");
	CHECK_STR(hsds_lang_code("es-MX"), "es");
	CHECK_STR(hsds_lang_code("Chinese (Cantonese)"), "zh");
	CHECK_STR(hsds_lang_code("廣東話"), "zh");
	CHECK_STR(hsds_lang_code("Tagalog"), "tl");
	CHECK_STR(hsds_lang_code("Hmong"), "hmn");
	CHECK_STR(hsds_lang_code("Farsi"), "fa");
	CHECK(hsds_lang_code("Language 374") == NULL);
	CHECK(hsds_lang_code("375") == NULL);

	CHECK_STR(hsds_vocab("Open Eligibility"), "open_eligibility");
	CHECK_STR(hsds_vocab("https://openeligibility.org"),
		  "open_eligibility");
	CHECK_STR(hsds_vocab("AIRS"), "hsds");
	CHECK_STR(hsds_vocab(NULL), "hsds");
}

/* ---------------------------------------------------------------------
 * HSDS 3.x JSON
 * ------------------------------------------------------------------ */

static void test_json_v3(void)
{
	struct core_ws *ws = test_new_ws("json.db");
	const char *path = test_write("mcs.json", org_json());
	struct imp_hsds_model *m = NULL;
	struct core_err err = CORE_ERR_INIT;
	struct run r;

	/* the model, without a workspace */
	CHECK_INT(imp_hsds_read(path, &m, &err), CORE_OK);
	if (m) {
		CHECK_STR(imp_hsds_model_format(m), "HSDS 3.x JSON");
		CHECK_INT(imp_hsds_model_nsites(m), 3);
		CHECK_INT(imp_hsds_model_nproblems(m), 0);
		CHECK_STR(imp_hsds_model_site(m, 0)->name,
			  "Mission Hub (Food Pantry)");
		CHECK_INT(imp_hsds_model_site(m, 0)->line, 1);
	}
	imp_hsds_model_free(m);

	CHECK_INT(run_import(ws, &r, path, 0, 1), CORE_OK);
	CHECK_STR(r.st.format, "HSDS 3.x JSON");
	check_fixture_stats(&r);
	CHECK_Q(ws,
		"SELECT format || '|' || name || '|' || rows_read || '|' || "
		"rows_accepted FROM sources",
		"HSDS 3.x JSON|mcs.json|3|3");
	check_fixture_assets(ws, "mcs.json");
	run_release(&r);

	/* again: replaced, not doubled */
	CHECK_INT(run_import(ws, &r, path, 0, 1), CORE_OK);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 3);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources"), 1);
	run_release(&r);
	core_ws_close(ws);
}

/* An array of organizations; NDJSON with wrappers; keys misspelled. */
static void test_json_forms(void)
{
	struct core_ws *ws = test_new_ws("forms.db");
	struct imp_hsds_model *m = NULL;
	struct core_err err = CORE_ERR_INIT;
	struct run r;
	char *arr = xasprintf(
	    "[\n%s,\n{\"id\": \"org-2\", \"name\": \"Second Org\",\n"
	    " \"locations\": [{\"id\": \"x1\", \"name\": \"Second Place\", "
	    "\"latitude\": \"37.70\", \"longitude\": \"-122.45\"}]}\n]\n",
	    org_json());
	const char *path = test_write("two.json", arr);
	/* line 1: a wrapped organization with the misspellings LLM writers
	 * make; line 2 blank; line 3: a bare organization whose service has
	 * no link but whose organization has one location */
	const char *nd = test_write(
	    "sites.ndjson",
	    "{\"source\": \"x\", \"source_id\": null, \"hsds_organization\": "
	    "{\"id\": \"o1\", \"name\": \"Pantry One\","
	    " \"locations\": [{\"id\": \"l1\", \"name\": \"Pantry One\", "
	    "\"coordinates\": {\"latitude\": 37.75, \"longitude\": -122.41},"
	    " \"addresss\": [{\"address_1\": \"1 Valencia St\", \"city\": "
	    "\"San Francisco\", \"state_province\": \"CA\", \"postal_code\": "
	    "\"94103\"}],"
	    " \"accessibilitys\": [{\"description\": \"Ramp\"}],"
	    " \"schedule\": [{\"freq\": \"WEEKLY\", \"days\": [\"TH\", "
	    "\"FR\"], \"opens_at\": \"4:30 PM\", \"closes_at\": \"6 pm\"}],"
	    " \"languages\": [{\"name\": \"Español\"}, {\"name\": \"Language "
	    "374\"}]}]}}\n"
	    "\n"
	    "{\"id\": \"o2\", \"name\": \"Clinic Two\", \"locations\": "
	    "[{\"id\": \"l2\", \"name\": \"Clinic Two\", \"latitude\": 37.76, "
	    "\"longitude\": -122.42}],"
	    " \"services\": [{\"id\": \"s2\", \"name\": \"Dental Care\", "
	    "\"description\": \"Cleanings\"}]}\n");
	free(arr);

	CHECK_INT(imp_hsds_read(path, &m, &err), CORE_OK);
	if (m) {
		/* 3 from the first organization, 1 from the second */
		CHECK_INT(imp_hsds_model_nsites(m), 4);
		CHECK_STR(imp_hsds_model_site(m, 3)->name, "Second Place");
		/* "[" on line 1, the first element from line 2, "," on
		 * the line after it: the second starts 3 + its lines down */
		const char *p;
		long n = 0;
		for (p = org_json(); *p; p++)
			n += *p == '\n';
		CHECK_INT(imp_hsds_model_site(m, 3)->line, 3 + n);
	}
	imp_hsds_model_free(m);

	CHECK_INT(run_import(ws, &r, nd, 0, 1), CORE_OK);
	CHECK_STR(r.st.format, "HSDS 3.x NDJSON");
	CHECK_INT(r.st.counts.records, 2);
	CHECK_INT(r.st.assets, 2);
	CHECK_INT(r.st.counts.implicit_links, 1);
	CHECK(has_warning(
	    &r.st, "key 'addresss' read as 'addresses' (sites.ndjson line 1)"));
	CHECK(
	    has_warning(&r.st, "key 'accessibilitys' read as 'accessibility'"));
	CHECK(has_warning(&r.st, "key 'schedule' read as 'schedules'"));
	CHECK(has_warning(&r.st, "key 'days' read as 'byday'"));
	CHECK(has_warning(&r.st,
			  "key 'coordinates' read as latitude and longitude"));
	CHECK(has_warning(&r.st, "language 'Language 374' not recognised"));
	CHECK(has_warning(&r.st, "placed at their organization's only location "
				 "(sites.ndjson line 3)"));
	CHECK_INT(test_q_int(ws, "SELECT warnings FROM sources"),
		  (int64_t)r.st.nwarned);
	CHECK_INT(r.st.nwarned, 7);
	CHECK_Q(ws,
		"SELECT address || '|' || zip || '|' || hours || '|' || "
		"languages || '|' || accessibility || '|' || source_line FROM "
		"assets WHERE name = 'Pantry One'",
		"1 Valencia St|94103|Th,Fr 16:30-18:00|es|Ramp|1");
	/* no term: the category from the words of the service */
	CHECK_Q(ws,
		"SELECT a.source_key || '|' || c.category FROM assets a JOIN "
		"asset_categories c ON c.asset_id = a.id WHERE a.name = "
		"'Clinic Two'",
		"s2@l2|dental");
	CHECK_INT(r.st.by_keyword, 2);
	run_release(&r);
	core_ws_close(ws);
}

static void test_json_bad(void)
{
	struct core_ws *ws = test_new_ws("jbad.db");
	struct imp_hsds_model *m = NULL;
	struct core_err err = CORE_ERR_INIT;
	const char *msg;
	char *cut, *s;
	const char *p;
	int lines = 0;
	struct run r;

	/* cut after line 40: the error is at line 41, column 1 */
	for (p = org_json(); *p && lines < 40; p++)
		if (*p == '\n')
			lines++;
	cut = xasprintf("%.*s", (int)(p - org_json()), org_json());
	msg = EXPECT_FAIL(ws, test_write("cut.json", cut), CORE_EFORMAT);
	CHECK_STR(msg, "cut.json line 41, column 1: not valid JSON: the file "
		       "ends before the JSON does (is it cut short?)");
	free(cut);

	/* a stray character: line and column of it */
	s = replace(org_json(), "\"Mission Hub\",", "\"Mission Hub\";");
	msg = EXPECT_FAIL(ws, test_write("semi.json", s), CORE_EFORMAT);
	CHECK_STR(msg, "semi.json line 12, column 28: not valid JSON: object "
		       "value separator ',' expected");
	free(s);

	msg = EXPECT_FAIL(ws, test_write("text.json", "name,lat\n"),
			  CORE_EFORMAT);
	CHECK_STR(msg, "text.json line 1, column 1: this is not JSON (it "
		       "starts with 'n'); HSDS JSON holds an organization "
		       "object, an array of them, or one object per line");

	/* coordinates swapped: rejected, nothing imported */
	s = replace(org_json(),
		    "\"latitude\": 37.7599,\n      \"longitude\": -122.4148",
		    "\"latitude\": -122.4148,\n      \"longitude\": 37.7599");
	msg = EXPECT_FAIL(ws, test_write("swapped.json", s), CORE_EFORMAT);
	CHECK_STR(msg, "swapped.json line 1, field locations[0].latitude: "
		       "'-122.4148' is out of range; latitude must be between "
		       "-90 and 90 (latitude and longitude look swapped)\n"
		       "nothing was imported; fix that row, or give --skip-bad "
		       "to import the other 1 row");
	free(s);

	/* the same id twice in one organization */
	s = replace(org_json(), "\"id\": \"loc-2\"", "\"id\": \"loc-1\"");
	p = test_write("dup.json", s);
	msg = EXPECT_FAIL(ws, p, CORE_EFORMAT);
	/* the second loc-1 is dropped, so the two links to loc-2 fail too */
	CHECK_STR(
	    msg,
	    "dup.json: 3 rows rejected (the first at line 1), nothing was "
	    "imported; fix them, or give --skip-bad to import the 2 good rows");
	if (imp_hsds_read(p, &m, &err) == CORE_OK &&
	    imp_hsds_model_nproblems(m) == 3) {
		CHECK_STR(imp_hsds_model_problem(m, 0),
			  "dup.json line 1, field locations[1].id: 'loc-1' is "
			  "the id of two locations of this organization "
			  "(locations[0] and this one); ids must be unique");
		CHECK_STR(
		    imp_hsds_model_problem(m, 1),
		    "dup.json line 1, field "
		    "services[0].service_at_locations[1].location_id: 'loc-2' "
		    "is not the id of a location of this organization; every "
		    "service_at_location must name one");
	} else {
		CHECK(!"dup.json: 3 problems");
	}
	imp_hsds_model_free(m);
	free(s);

	/* a link to a location that is not there */
	s = replace(org_json(), "\"location_id\": \"loc-2\",\n",
		    "\"location_id\": \"loc-9\",\n");
	msg = EXPECT_FAIL(ws, test_write("link.json", s), CORE_EFORMAT);
	CHECK_CONTAINS(
	    msg, "link.json line 1, field "
		 "services[0].service_at_locations[1].location_id: 'loc-9' is "
		 "not the id of a location of this organization");
	free(s);

	/* NDJSON: a line cut short is a rejected row; --skip-bad keeps the
	 * other */
	s = xasprintf("{\"name\": \"A\", \"locations\": [{\"id\": \"a\", "
		      "\"latitude\": 37.7, \"longitude\": -122.4}]}\n"
		      "{\"name\": \"B\", \"locations\": [{\"id\": \"b\", "
		      "\"latitude\": 37.7,");
	p = test_write("cut.ndjson", s);
	msg = EXPECT_FAIL(ws, p, CORE_EFORMAT);
	CHECK_STR(msg,
		  "cut.ndjson line 2: is not valid JSON at column 58: the line "
		  "ends before the JSON object does (is it cut short?)\n"
		  "nothing was imported; fix that row, or give --skip-bad to "
		  "import the other 1 row");
	CHECK_INT(run_import(ws, &r, p, 1, 1), CORE_OK);
	CHECK_INT(r.src.rows_rejected, 1);
	CHECK_INT(r.src.rows_accepted, 1);
	CHECK_Q(ws,
		"SELECT line || '|' || ifnull(field, 'null') || '|' || reason "
		"FROM source_rejects",
		"2|null|is not valid JSON at column 58: the line ends before "
		"the JSON object does (is it cut short?)");
	/* one file, not a package: no file named apart from the source */
	CHECK_Q(ws, "SELECT ifnull(file, 'null') FROM source_rejects", "null");
	run_release(&r);
	free(s);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * CSV packages
 * ------------------------------------------------------------------ */

static void test_csv_v3(void)
{
	struct core_ws *ws = test_new_ws("v3.db");
	struct run r;

	write_v3_package("mcs3");
	CHECK_INT(run_import(ws, &r, test_path("mcs3"), 0, 1), CORE_OK);
	CHECK_STR(r.st.format, "HSDS 3.x CSV");
	check_fixture_stats(&r);
	check_fixture_assets(ws, "mcs3");
	/* a full 3.x package: nothing missing, nothing extra; the skips */
	CHECK_INT(r.st.nwarnings, 3);
	CHECK(has_warning(&r.st, "locations without coordinates or a street "
				 "address skipped (locations.csv line 5)"));
	CHECK(has_warning(
	    &r.st,
	    "inactive or defunct services skipped (services.csv line 4)"));
	CHECK(has_warning(&r.st, "services with no location that has "
				 "coordinates skipped (services.csv line 5)"));
	run_release(&r);

	/* through datapackage.json: the same package, replaced */
	CHECK_INT(run_import(ws, &r, test_path("mcs3/datapackage.json"), 0, 1),
		  CORE_OK);
	CHECK_INT(r.st.assets, 3);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 3);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources"), 1);
	run_release(&r);
	core_ws_close(ws);
}

/* HSDS 1.1 names and columns: one weekday per schedule row. */
static void write_v11_package(const char *dir)
{
	put(dir, "organizations.csv",
	    "id,name,alternate_name,description,email,url,tax_status,tax_id,"
	    "year_incorporated,legal_status\n"
	    "org-1,Mission Community Services,,Food and health "
	    "services.,info@mcs.example.org,https://mcs.example.org,,,,\n");
	put(dir, "services.csv",
	    "id,organization_id,program_id,name,alternate_name,description,url,"
	    "email,status,interpretation_services,application_process,wait_"
	    "time,fees,accreditations,licenses\n"
	    "svc-food,org-1,,Food Pantry,,Groceries every "
	    "week.,,,active,,,,,,\n"
	    "svc-legal,org-1,,Tenant Counseling,,Help with "
	    "evictions.,,,active,,,,,,\n");
	/* an extra column, ignored with a warning */
	put(dir, "locations.csv",
	    "id,organization_id,name,alternate_name,description,transportation,"
	    "latitude,longitude,internal_note\n"
	    "loc-1,org-1,Mission Hub,,,,37.7599,-122.4148,ok\n"
	    "loc-2,org-1,Excelsior Site,,,,37.7245,-122.428,\n");
	put(dir, "services_at_location.csv",
	    "id,service_id,location_id,description\n"
	    "sal-1,svc-food,loc-1,\n"
	    "sal-2,svc-legal,loc-2,Tuesdays 6pm to 8pm\n");
	put(dir, "physical_addresses.csv",
	    "id,location_id,attention,address_1,address_2,address_3,address_4,"
	    "city,region,state_province,postal_code,country\n"
	    "addr-1,loc-1,,3200 Mission St,,,,San Francisco,,CA,94110,US\n");
	put(dir, "phones.csv",
	    "id,location_id,service_id,organization_id,contact_id,service_at_"
	    "location_id,number,extension,type,language,description,"
	    "department\n"
	    "ph-1,loc-1,,,,,415-555-0101,12,voice,\"Spanish, Cantonese\",,\n");
	put(dir, "regular_schedules.csv",
	    "id,service_id,location_id,service_at_location_id,weekday,opens_at,"
	    "closes_at\n"
	    "r1,svc-food,loc-1,,Monday,9:00 AM,5:00 PM\n"
	    "r2,svc-food,loc-1,,Tuesday,9:00 AM,5:00 PM\n"
	    "r3,svc-food,loc-1,,Wednesday,9:00 AM,5:00 PM\n"
	    "r4,svc-food,loc-1,,Thursday,9:00 AM,5:00 PM\n"
	    "r5,svc-food,loc-1,,Friday,9:00 AM,5:00 PM\n"
	    "r6,svc-food,loc-1,,Saturday,10:00,12:00\n");
	put(dir, "taxonomy.csv",
	    "id,name,parent_id,parent_name,vocabulary\n"
	    "t1,Emergency Food,,,Open Eligibility\n"
	    "t2,Tenant Rights,,,local\n");
	put(dir, "services_taxonomy.csv",
	    "id,service_id,taxonomy_id,taxonomy_detail\n"
	    "st1,svc-food,t1,\n"
	    "st2,svc-legal,t2,\n");
	put(dir, "languages.csv",
	    "id,service_id,location_id,language\n"
	    "l1,svc-food,,English\n");
	put(dir, "eligibility.csv",
	    "id,service_id,eligibility\n"
	    "e1,svc-legal,Tenants in San Francisco\n");
}

static void test_csv_v11(void)
{
	struct core_ws *ws = test_new_ws("v11.db");
	struct run r;

	write_v11_package("mcs11");
	CHECK_INT(run_import(ws, &r, test_path("mcs11"), 0, 1), CORE_OK);
	CHECK_STR(r.st.format, "HSDS 1.1 CSV");
	CHECK_INT(r.st.assets, 2);
	CHECK_INT(r.st.nwarnings, 1);
	CHECK(has_warning(&r.st,
			  "column 'internal_note' of locations.csv is not an "
			  "HSDS column; ignored (locations.csv line 1)"));
	CHECK_Q(ws,
		"SELECT hours || '|' || phone || '|' || languages || '|' || "
		"address FROM assets WHERE name = 'Mission Hub'",
		"Mo-Fr 09:00-17:00; Sa 10:00-12:00|415-555-0101 ext. "
		"12|en,es,zh|3200 Mission St");
	CHECK_Q(ws,
		"SELECT c.category FROM assets a JOIN asset_categories c ON "
		"c.asset_id = a.id WHERE a.name = 'Mission Hub'",
		"food");
	/* the link's description reads like hours; 'Tenant Rights' is no
	 * crosswalk term, 'counseling' and 'evictions' are keywords */
	CHECK_Q(ws,
		"SELECT hours || '|' || eligibility || '|' || source_line FROM "
		"assets WHERE name = 'Excelsior Site'",
		"Tuesdays 6pm to 8pm|Tenants in San Francisco|3");
	CHECK_INT(r.st.by_terms, 1);
	CHECK_INT(r.st.nunmatched, 1);
	if (r.st.nunmatched)
		CHECK_STR(r.st.unmatched[0].term, "Tenant Rights");
	CHECK_Q(ws,
		"SELECT vocabulary || '|' || term || '|' || ifnull(category, "
		"'null') || '|' || rows FROM source_terms ORDER BY term",
		"open_eligibility|Emergency Food|food|1");
	run_release(&r);

	/* optional files missing: warned, imported */
	put("bare", "locations.csv",
	    "id,organization_id,name,latitude,longitude\nloc-1,,Corner "
	    "Pantry,37.75,-122.41\n");
	CHECK_INT(run_import(ws, &r, test_path("bare"), 0, 1), CORE_OK);
	CHECK_INT(r.st.assets, 1);
	CHECK(has_warning(
	    &r.st, "organizations.csv is not in the package; read without it"));
	CHECK(has_warning(
	    &r.st,
	    "services_at_location.csv is not in the package; read without it"));
	CHECK_INT(r.st.nwarnings, 9);
	run_release(&r);
	core_ws_close(ws);
}

/* HSDS 2.0 (2.0.1 datapackage names): iCal schedules, attributes
 * through taxonomy_terms.csv, phone languages as codes. */
static void test_csv_v20(void)
{
	struct core_ws *ws = test_new_ws("v20.db");
	const char *dir = "mcs20";
	struct run r;

	put(dir, "organizations.csv",
	    "id,name,alternate_name,description,email,url,tax_status,tax_id,"
	    "year_incorporated,legal_status\n"
	    "org-1,Mission Community Services,,Food and health "
	    "services.,,https://mcs.example.org,,,,\n");
	put(dir, "services.csv",
	    "id,organization_id,program_id,name,alternate_name,description,url,"
	    "email,status,interpretation_services,application_process,wait_"
	    "time,fees,accreditations,licenses\n"
	    "svc-food,org-1,,Community Meals,,Hot lunch.,,,active,,,,,,\n");
	put(dir, "locations.csv",
	    "id,organization_id,name,alternate_name,description,transportation,"
	    "latitude,longitude\n"
	    "loc-1,org-1,Mission Hub,,,,37.7599,-122.4148\n"
	    "loc-2,org-1,Excelsior Site,,,,37.7245,-122.428\n");
	put(dir, "services_at_location.csv",
	    "id,service_id,location_id,description\n"
	    "sal-1,svc-food,loc-1,\n");
	put(dir, "physical_addresses.csv",
	    "id,location_id,attention,address_1,address_2,address_3,address_4,"
	    "city,region,state_province,postal_code,country\n"
	    "addr-1,loc-1,,3200 Mission St,,,,San Francisco,,CA,94110,US\n");
	put(dir, "phones.csv",
	    "id,location_id,service_id,organization_id,contact_id,service_at_"
	    "location_id,number,extension,type,language,description,"
	    "department\n"
	    "ph-1,,,,,sal-1,415-555-0111,,voice,\"spa,yue\",,\n");
	put(dir, "regular_schedules.csv",
	    "id,service_id,location_id,service_at_location_id,valid_from,valid_"
	    "to,dtstart,timezone,until,count,wkst,freq,interval,byday,byweekno,"
	    "bymonthday,byyearday,description,opens_at,closes_at\n"
	    "r1,,,sal-1,,,,,,,,WEEKLY,,\"MO,TU,WE,TH,FR\",,,,,11:30-08:00,13:"
	    "00-08:00\n"
	    "r2,,,sal-1,,,,,,,,MONTHLY,,-1SA,,,,,10:00-08:00,12:00-08:00\n");
	put(dir, "taxonomy_terms.csv",
	    "id,term,description,parent_id,taxonomy,language\n"
	    "tt-1,Meals,Meals,,Open Eligibility,en\n"
	    "tt-2,Accessibility,Accessible site,,Open Eligibility,en\n");
	put(dir, "service_attributes.csv",
	    "id,service_id,taxonomy_term_id\n"
	    "sa-1,svc-food,tt-1\n");
	put(dir, "other_attributes.csv",
	    "id,link_id,link_type,taxonomy_term_id\n"
	    "oa-1,loc-2,location,tt-2\n");
	put(dir, "accessibility_for_disabilities.csv",
	    "id,location_id,accessibility,details\n"
	    "acc-1,loc-1,Elevator,\n");
	put(dir, "eligibility.csv", "id,service_id\ne-1,svc-food\n");

	CHECK_INT(run_import(ws, &r, test_path(dir), 0, 1), CORE_OK);
	CHECK_STR(r.st.format, "HSDS 2.0 CSV");
	CHECK_INT(r.st.assets, 2);
	/* languages.csv is the only usual file missing */
	CHECK_INT(r.st.nwarnings, 1);
	CHECK(has_warning(
	    &r.st, "languages.csv is not in the package; read without it"));
	CHECK_Q(
	    ws,
	    "SELECT ifnull(hours, 'NULL') || '|' || ifnull(phone, 'NULL') || "
	    "'|' || ifnull(languages, 'NULL') || '|' || ifnull(accessibility, "
	    "'NULL') FROM assets WHERE name = 'Mission Hub'",
	    "Mo-Fr 11:30-13:00; Sa[-1] "
	    "10:00-12:00|415-555-0111|es,zh|Elevator");
	CHECK_Q(ws,
		"SELECT group_concat(c.category) FROM assets a JOIN "
		"asset_categories c ON c.asset_id = a.id WHERE a.name = "
		"'Mission Hub'",
		"food");
	/* a location no service is at: its own attribute */
	CHECK_Q(ws,
		"SELECT group_concat(c.category) FROM assets a JOIN "
		"asset_categories c ON c.asset_id = a.id WHERE a.name = "
		"'Excelsior Site'",
		"disability");
	CHECK_INT(r.st.by_terms, 2);
	run_release(&r);
	core_ws_close(ws);
}

static void test_csv_bad(void)
{
	struct core_ws *ws = test_new_ws("cbad.db");
	const char *msg;
	struct run r;

	/* separated by ';' */
	write_v11_package("semi");
	put("semi", "locations.csv",
	    "id;organization_id;name;latitude;longitude\nloc-1;org-1;Mission "
	    "Hub;37.7599;-122.4148\n");
	msg = EXPECT_FAIL(ws, test_path("semi"), CORE_EFORMAT);
	CHECK_STR(msg,
		  "locations.csv line 1: the columns are separated by ';', not "
		  "commas ('id;organization_id;name;latitude;longitude'); HSDS "
		  "CSV files must be comma-separated: save it as 'CSV (comma "
		  "delimited)' or replace the separators");

	/* a file cut mid-row: refused, naming the missing column */
	write_v11_package("cutrow");
	put("cutrow", "locations.csv",
	    "id,organization_id,name,latitude,longitude\n"
	    "loc-1,org-1,Mission Hub,37.7599,-122.4148\n"
	    "loc-2,org-1,Excelsior Site,37.72");
	msg = EXPECT_FAIL(ws, test_path("cutrow"), CORE_EFORMAT);
	CHECK_STR(
	    msg,
	    "locations.csv line 3, field longitude: is missing: the row has 4 "
	    "fields where the header has 5; a value holding the separator ',' "
	    "must be in double quotes (is the file cut short?)");

	/* a column its rows cannot do without */
	write_v11_package("nocol");
	put("nocol", "services.csv",
	    "organization_id,name,status\norg-1,Food Pantry,active\n");
	msg = EXPECT_FAIL(ws, test_path("nocol"), CORE_EFORMAT);
	CHECK_STR(msg, "services.csv: no column 'id', which HSDS 1.1 CSV "
		       "needs; the columns are: organization_id, name, status");

	write_v11_package("nolat");
	put("nolat", "locations.csv",
	    "id,name,longitude\nloc-1,Mission Hub,-122.4\n");
	msg = EXPECT_FAIL(ws, test_path("nolat"), CORE_EFORMAT);
	CHECK_CONTAINS(msg, "locations.csv: no column 'latitude'");

	/* the same id twice: both lines named */
	write_v11_package("dup");
	put("dup", "locations.csv",
	    "id,organization_id,name,latitude,longitude\n"
	    "loc-1,org-1,Mission Hub,37.7599,-122.4148\n"
	    "loc-2,org-1,Excelsior Site,37.7245,-122.428\n"
	    "loc-1,org-1,Mission Hub Annex,37.76,-122.41\n");
	msg = EXPECT_FAIL(ws, test_path("dup"), CORE_EFORMAT);
	CHECK_STR(msg, "locations.csv line 4, field id: 'loc-1' is also the id "
		       "of line 2; each location needs its own id\n"
		       "nothing was imported; fix that row, or give --skip-bad "
		       "to import the other 2 rows");

	/* a location without an id */
	put("dup", "locations.csv",
	    "id,organization_id,name,latitude,longitude\n"
	    "loc-1,org-1,Mission Hub,37.7599,-122.4148\n"
	    ",org-1,Nameless,37.7,-122.4\n"
	    "loc-2,org-1,Excelsior Site,37.7245,-122.428\n");
	msg = EXPECT_FAIL(ws, test_path("dup"), CORE_EFORMAT);
	CHECK_CONTAINS(msg, "locations.csv line 3, field id: has no value; "
			    "every location needs an id");

	/* out of range, not swapped */
	put("dup", "locations.csv",
	    "id,organization_id,name,latitude,longitude\n"
	    "loc-1,org-1,Mission Hub,97.5,-122.4148\n"
	    "loc-2,org-1,Excelsior Site,37.7245,-222.428\n");
	msg = EXPECT_FAIL(ws, test_path("dup"), CORE_EFORMAT);
	CHECK_STR(msg, "dup: all 2 rows were rejected (the first at line 2); "
		       "nothing was imported");

	/* a link to a location that is not there: rejected; --skip-bad
	 * imports the rest and keeps the reject */
	write_v11_package("link");
	put("link", "services_at_location.csv",
	    "id,service_id,location_id,description\n"
	    "sal-1,svc-food,loc-1,\n"
	    "sal-2,svc-legal,loc-9,\n");
	msg = EXPECT_FAIL(ws, test_path("link"), CORE_EFORMAT);
	CHECK_STR(msg, "services_at_location.csv line 3, field location_id: "
		       "'loc-9' is not the id of a location in locations.csv; "
		       "every service_at_location must name one\n"
		       "nothing was imported; fix that row, or give --skip-bad "
		       "to import the other 2 rows");
	CHECK_INT(run_import(ws, &r, test_path("link"), 1, 1), CORE_OK);
	/* Mission Hub's food pantry, and Excelsior Site alone (its only
	 * link was rejected, so it is an asset of its own); the service of
	 * the rejected link is not placed anywhere */
	CHECK_INT(r.st.assets, 2);
	CHECK_INT(r.src.rows_rejected, 1);
	CHECK_INT(r.st.counts.services_unlocated, 1);
	CHECK_Q(
	    ws,
	    "SELECT line || '|' || field || '|' || value FROM source_rejects",
	    "3|location_id|loc-9");
	/* the package's file it came from is kept, and named */
	CHECK_Q(ws, "SELECT file FROM source_rejects",
		"services_at_location.csv");
	CHECK_STR(r.src.shown[0].file, "services_at_location.csv");
	CHECK_CONTAINS(r.src.shown[0].msg, "services_at_location.csv line 3");
	run_release(&r);

	/* not UTF-8 */
	write_v11_package("latin1");
	put("latin1", "locations.csv",
	    "id,organization_id,name,latitude,longitude\nloc-1,org-1,Caf\xe9 "
	    "Pantry,37.7599,-122.4148\n");
	msg = EXPECT_FAIL(ws, test_path("latin1"), CORE_EFORMAT);
	CHECK_STR(
	    msg,
	    "locations.csv line 2, field name: byte 0xe9 is not UTF-8 text (in "
	    "Latin-1 it is 'é'); save the file as UTF-8 (in Excel: Save As, "
	    "'CSV UTF-8') or convert it with 'iconv -f WINDOWS-1252 -t UTF-8'");

	/* one table of a package given instead of the package */
	msg = EXPECT_FAIL(ws, test_path("latin1/services.csv"), CORE_EUSAGE);
	CHECK_CONTAINS(msg, "services.csv is one table of an HSDS CSV package; "
			    "give the directory that holds the package");
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * The real Bay Area food sites
 * ------------------------------------------------------------------ */

/* food_sites_raw.csv's row for name: "address|zip|phone|lat|lon", or
 * NULL. */
static char *raw_site(const char *raw, const char *name)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_csv *c = core_csv_open(raw, &err);
	char *r = NULL;
	int n, a, z, p, la, lo;

	if (!c) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return NULL;
	}
	n = core_csv_col(c, "name"), a = core_csv_col(c, "address");
	z = core_csv_col(c, "zip"), p = core_csv_col(c, "phone");
	la = core_csv_col(c, "latitude"), lo = core_csv_col(c, "longitude");
	while (!r && core_csv_next(c, &err) == 1)
		if (strcmp(core_csv_get(c, (size_t)n), name) == 0)
			r = xasprintf("%s|%s|%s|%.6f|%.6f",
				      core_csv_get(c, (size_t)a),
				      core_csv_get(c, (size_t)z),
				      core_csv_get(c, (size_t)p),
				      atof(core_csv_get(c, (size_t)la)),
				      atof(core_csv_get(c, (size_t)lo)));
	core_csv_free(c);
	return r;
}

static void check_raw(struct core_ws *ws, const char *raw, const char *src,
		      const char *asset_name, const char *raw_name)
{
	char *want = raw_site(raw, raw_name);
	char *sql =
	    xasprintf("SELECT a.address || '|' || a.zip || '|' || "
		      "ifnull(a.phone, '') || '|' ||"
		      " printf('%%.6f|%%.6f', Y(a.geom), X(a.geom))"
		      " FROM assets a JOIN sources s ON s.id = a.source_id"
		      " WHERE s.name = '%s' AND a.name = '%s'",
		      src, asset_name);

	CHECK(want != NULL);
	if (want)
		CHECK_Q(ws, sql, want);
	free(sql);
	free(want);
}

static void test_real_ndjson(void)
{
	const char *d = test_need_shared_data();
	struct core_ws *ws;
	char *path, *raw;
	struct run r;

	if (!d)
		return;
	path =
	    xasprintf("%s/haarrrvest-food-bayarea/food_sites_hsds.ndjson", d);
	raw = xasprintf("%s/haarrrvest-food-bayarea/food_sites_raw.csv", d);
	ws = test_new_ws("nd.db");
	/*
	 * 366 lines, one organization each, each with one location.  Two
	 * lines have a service linking to a location that is not there
	 * (line 4 'loc_1' where the location has no id; line 292, whose
	 * organization has addresses but no locations): rejected.
	 */
	CHECK_STR(EXPECT_FAIL(ws, path, CORE_EFORMAT),
		  "food_sites_hsds.ndjson: 2 rows rejected (the first at line "
		  "4), nothing was imported; fix them, or give --skip-bad to "
		  "import the 363 good rows");
	/*
	 * With --skip-bad: every line gives one asset but three: line 3
	 * (its location has no coordinates), 292 and 341 (organizations
	 * with addresses but no locations): 366 - 3 = 363.  Line 4's
	 * location has no link left and is an asset of its own.  Services
	 * without a located location: lines 3, 4, 292 and 341.
	 */
	CHECK_INT(run_import(ws, &r, path, 1, 1), CORE_OK);
	CHECK_STR(r.st.format, "HSDS 3.x NDJSON");
	CHECK_INT(r.st.counts.records, 366);
	CHECK_INT(r.st.assets, 363);
	CHECK_INT(r.src.rows_rejected, 2);
	CHECK_INT(r.st.counts.services_unlocated, 4);
	CHECK_INT(r.st.counts.locations_no_point, 1);
	CHECK_INT(r.st.by_terms + r.st.by_keyword + r.st.uncategorized, 363);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 363);
	/* locations carrying the key, empty lists included (counted with
	 * Python's json over the file); the most frequent warning first */
	CHECK(r.st.nwarnings > 2 &&
	      strcmp(r.st.warnings[0],
		     "key 'addresss' read as 'addresses': 350 (the first at "
		     "food_sites_hsds.ndjson line 6)") == 0);
	CHECK(has_warning(&r.st,
			  "key 'accessibilitys' read as 'accessibility': 143"));
	/* known sites against the scraper's own record */
	check_raw(ws, raw, "food_sites_hsds.ndjson",
		  "Jeanne R. Meadows Elementary School",
		  "Jeanne R. Meadows Elementary School");
	check_raw(ws, raw, "food_sites_hsds.ndjson",
		  "Cornerstone Community Church",
		  "Cornerstone Community Church");
	check_raw(ws, raw, "food_sites_hsds.ndjson",
		  "Temple United Methodist Church",
		  "Temple United Methodist Church");
	check_raw(ws, raw, "food_sites_hsds.ndjson",
		  "Richmond Neighborhood Center",
		  "Richmond Neighborhood Center");
	run_release(&r);
	core_ws_close(ws);
	free(path);
	free(raw);
}

static void test_real_csv(void)
{
	const char *d = test_need_shared_data();
	struct core_ws *ws;
	char *dir, *raw, *nd;
	struct run r;
	int64_t merged;

	if (!d)
		return;
	dir = xasprintf("%s/haarrrvest-food-bayarea/hsds_csv", d);
	raw = xasprintf("%s/haarrrvest-food-bayarea/food_sites_raw.csv", d);
	nd = xasprintf("%s/haarrrvest-food-bayarea/food_sites_hsds.ndjson", d);
	ws = test_new_ws("csv.db");
	CHECK_INT(run_import(ws, &r, dir, 0, 1), CORE_OK);
	CHECK_STR(r.st.format, "HSDS 1.1 CSV");
	CHECK_INT(r.st.assets, 368);
	CHECK_INT(r.st.counts.links, 368);
	/* no taxonomy: every one from the words of its service */
	CHECK_INT(r.st.by_keyword, 368);
	CHECK_INT(test_q_int(
		      ws, "SELECT count(*) FROM assets a JOIN asset_categories "
			  "c ON c.asset_id = a.id AND c.category = 'food'"),
		  368);
	CHECK(
	    has_warning(&r.st, "regular_schedules.csv is not in the package"));
	/* the 12 phones, each on the asset of its location */
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT count(*) FROM assets WHERE phone IS NOT NULL"),
	    12);
	CHECK_Q(ws,
		"SELECT group_concat(substr(source_key, 26) || '=' || phone, ' "
		"') FROM"
		" (SELECT source_key, phone FROM assets WHERE phone IS NOT "
		"NULL ORDER BY source_key)",
		"112787=415.332.4295 BAME=(415) 921-4935 CFAN=(925) 245-4000 "
		"DCHF=(415) 781-0401"
		" HAFP=(415) 374-3843 OFRC=(415) 406-1370 OTIP=(415) 274-0311 "
		"RDNC=(415)750-8554"
		" SAEC=415-285-9540 SAMS=(415) 821-7552 TUMC=415-586-1444 "
		"YWAM=415-885-6543");
	check_raw(ws, raw, "hsds_csv", "Bethel A.M.E. Church",
		  "Bethel A.M.E. Church");
	check_raw(ws, raw, "hsds_csv", "Jeanne R. Meadows Elementary School",
		  "Jeanne R. Meadows Elementary School");
	/* hours: the link's description where it reads like hours */
	CHECK_Q(ws,
		"SELECT hours FROM assets WHERE name = 'Bethel A.M.E. Church'",
		"11:00 am - 1:00 pm");
	run_release(&r);

	/* the NDJSON lists the same sites: with merging, those with the
	 * same name and address join the CSV's assets */
	CHECK_INT(run_import(ws, &r, nd, 1, 1), CORE_OK);
	merged = r.src.rows_merged;
	CHECK(merged > 0);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"),
		  368 + 363 - merged);
	run_release(&r);
	/* --no-merge: every one its own asset */
	CHECK_INT(run_import(ws, &r, nd, 1, 0), CORE_OK);
	CHECK_INT(r.src.rows_merged, 0);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 368 + 363);
	run_release(&r);
	core_ws_close(ws);
	free(dir);
	free(raw);
	free(nd);
}

/* The fuzz target's entry point: bytes in memory, no workspace. */
static void test_parse_memory(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_hsds_model *m = NULL;
	static const char nested[] = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
				     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[";

	CHECK_INT(imp_hsds_parse_json(org_json(), strlen(org_json()),
				      "mem.json", &m, &err),
		  CORE_OK);
	if (m)
		CHECK_INT(imp_hsds_model_nsites(m), 3);
	imp_hsds_model_free(m);
	CHECK_INT(
	    imp_hsds_parse_json(nested, strlen(nested), "deep.json", &m, &err),
	    CORE_EFORMAT);
	CHECK(m == NULL);
	CHECK_CONTAINS(err.msg, "deep.json line 1, column 65: not valid JSON: "
				"the JSON nests deeper than 64 levels");
	CHECK_INT(imp_hsds_parse_json(
		      "{\"name\": \"x\", \"locations\": [1, \"a\", null, {}]}",
		      46, "odd.json", &m, &err),
		  CORE_OK);
	if (m)
		CHECK_INT(imp_hsds_model_nsites(m), 0);
	imp_hsds_model_free(m);
	/* a code we have no name for is kept; a name we do not know is
	 * left out, with a warning */
	{
		static const char langs[] =
		    "{\"name\": \"x\", \"locations\": [{\"id\": \"l\", "
		    "\"latitude\": 1, \"longitude\": 2,"
		    " \"languages\": [{\"name\": \"Albanian\", \"code\": "
		    "\"SQ\"}, {\"name\": \"Klingon\"}, {\"name\": \"Tiếng "
		    "Việt\"}]}]}";
		CHECK_INT(imp_hsds_parse_json(langs, strlen(langs), "l.json",
					      &m, &err),
			  CORE_OK);
		if (m && imp_hsds_model_nsites(m) == 1) {
			CHECK_STR(imp_hsds_model_site(m, 0)->languages,
				  "sq,vi");
			CHECK_INT(imp_hsds_model_nwarnings(m), 1);
			CHECK_STR(imp_hsds_model_warning(m, 0),
				  "language 'Klingon' not recognised; left "
				  "out: 1 (the first at l.json line 1)");
		} else {
			CHECK(!"l.json: one site");
		}
		imp_hsds_model_free(m);
	}
	CHECK_INT(imp_hsds_parse_json("  \n ", 4, "ws.json", &m, &err),
		  CORE_EFORMAT);
	CHECK_STR(
	    err.msg,
	    "ws.json holds no JSON (only white space); nothing to import");
}

/* Locations without coordinates: the one with a street address goes to
 * the geocoder (here with no reference addresses: skipped, with the
 * reason), the one without is skipped as before; the geocoder is not
 * loaded at all when every location has coordinates. */
static void test_geocode_empty(void)
{
	struct core_ws *ws = test_new_ws("gc.db");
	static const char doc[] =
	    "{\"id\": \"o1\", \"name\": \"Org\", \"locations\": [\n"
	    " {\"id\": \"l1\", \"name\": \"Placed\", \"latitude\": 37.76, "
	    "\"longitude\": -122.41},\n"
	    " {\"id\": \"l2\", \"name\": \"By address\", \"addresses\": "
	    "[{\"address_1\": \"3200 Mission St\", \"city\": \"San "
	    "Francisco\", \"state_province\": \"CA\", \"postal_code\": "
	    "\"94110\", \"address_type\": \"physical\"}]},\n"
	    " {\"id\": \"l3\", \"name\": \"Nowhere\"}]}\n";
	const char *path = test_write("gc.json", doc);
	struct run r;

	CHECK_INT(run_import(ws, &r, path, 0, 1), CORE_OK);
	CHECK_INT(r.st.assets, 1);
	CHECK_INT(r.st.counts.locations_no_point, 2);
	CHECK_INT(r.st.geocoded.tried, 1);
	CHECK_INT(r.st.geocoded.not_placed, 1);
	CHECK_INT(r.st.geocoded.nwhy, 1);
	CHECK_STR(r.st.geocoded.why[0].why, imp_gc_why_empty);
	CHECK(has_warning(&r.st, "locations without coordinates whose address "
				 "could not be geocoded skipped (no reference "
				 "addresses imported; run 'assetmap import "
				 "addresses') (gc.json line 1)"));
	CHECK(has_warning(&r.st, "locations without coordinates or a street "
				 "address skipped (gc.json line 1)"));
	CHECK_Q(ws, "SELECT name || '|' || location_quality FROM assets",
		"Placed|coordinates");
	run_release(&r);

	/* --geocode-worst: a level, or a usage error */
	memset(&r, 0, sizeof(r));
	r.o.path = path;
	r.o.merge = 1;
	r.o.geocode_worst = "Street-Range";
	imp_source_init(&r.src, "assets");
	CHECK_INT(imp_hsds_import(ws, &r.o, &r.src, &r.st, &r.err), CORE_OK);
	CHECK_Q(ws, "SELECT options FROM sources",
		"--geocode-worst street_range");
	run_release(&r);
	memset(&r, 0, sizeof(r));
	r.o.path = path;
	r.o.geocode_worst = "block";
	imp_source_init(&r.src, "assets");
	CHECK_INT(imp_hsds_import(ws, &r.o, &r.src, &r.st, &r.err),
		  CORE_EUSAGE);
	CHECK_STR(
	    r.err.msg,
	    "--geocode-worst: 'block' is not a level; give address_point, "
	    "interpolated, street_range, street or zip (the coarsest "
	    "placement taken)");
	run_release(&r);
	core_ws_close(ws);
}

static const struct test tests[] = {TEST(test_geocode_empty),
				    TEST(test_values),
				    TEST(test_json_v3),
				    TEST(test_json_forms),
				    TEST(test_json_bad),
				    TEST(test_csv_v3),
				    TEST(test_csv_v11),
				    TEST(test_csv_v20),
				    TEST(test_csv_bad),
				    TEST(test_real_ndjson),
				    TEST(test_real_csv),
				    TEST(test_parse_memory),
				    {0}};

int main(void)
{
	int rc = test_main("hsds", tests);

	GDALDestroy();
	core_ws_shutdown();
	return rc;
}
