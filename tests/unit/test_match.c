/*
 * test_match.c - imp_match: the asset a spreadsheet row names, by name
 * and address with the keys of the merge rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "importers/imp_match.h"
#include "testlib.h"

/* Asset id with name, address and zip (NULL: none) at a point. */
static void add(struct core_ws *ws, int id, const char *name,
		const char *address, const char *zip)
{
	char *sql = sqlite3_mprintf(
	    "INSERT INTO assets(id, name, address, zip, geom)"
	    " VALUES(%d, %Q, %Q, %Q, MakePoint(-122.4, 37.78, 4326))",
	    id, name, address, zip);

	test_exec(ws, sql);
	sqlite3_free(sql);
}

static struct core_ws *fixture(const char *file)
{
	struct core_ws *ws = test_new_ws(file);

	if (!ws)
		return NULL;
	add(ws, 1, "St. Anthony Foundation", "150 Golden Gate Avenue", "94102");
	add(ws, 2, "Glide Memorial Church", "330 Ellis Street", "94102");
	/* two sites of one organisation, same name */
	add(ws, 3, "Food Bank Pantry", "900 Pennsylvania Ave", "94107");
	add(ws, 4, "Food Bank Pantry", "50 Broadway", "94111");
	/* the same name and street in two towns */
	add(ws, 5, "Community Clinic", "100 Main St", "95018");
	add(ws, 6, "Community Clinic", "100 Main St", "94612");
	/* the same keys twice (one source listed it twice) */
	add(ws, 7, "Corner Barber", "12 Mission St", NULL);
	add(ws, 8, "Corner Barber", "12 Mission Street", NULL);
	add(ws, 9, "***", NULL, NULL); /* no name to match on */
	return ws;
}

struct want {
	const char *name, *address;
	enum imp_match_kind kind;
	size_t ncand;
	int64_t id; /* for ONE */
};

static void test_find(void)
{
	static const struct want rows[] = {
	    /* exact name and address */
	    {"Glide Memorial Church", "330 Ellis Street", IMP_MATCH_ONE, 1, 2},
	    /* normalization: Saint/St., Inc. dropped, Avenue/Ave, suite */
	    {"Saint Anthony Foundation, Inc.", "150 Golden Gate Ave, Suite 2",
	     IMP_MATCH_ONE, 1, 1},
	    {"ST ANTHONY FOUNDATION", "150 golden gate ave.", IMP_MATCH_ONE, 1,
	     1},
	    /* a ZIP after the comma that agrees, and one that does not */
	    {"St Anthony Foundation",
	     "150 Golden Gate Avenue, San Francisco, CA 94102", IMP_MATCH_ONE,
	     1, 1},
	    {"St Anthony Foundation",
	     "150 Golden Gate Avenue, San Francisco, CA 94109", IMP_MATCH_NONE,
	     0, 0},
	    /* name alone, unique */
	    {"Glide Memorial Church", NULL, IMP_MATCH_ONE, 1, 2},
	    {"Glide Memorial Church", "", IMP_MATCH_ONE, 1, 2},
	    /* name alone, two sites: ambiguous */
	    {"Food Bank Pantry", NULL, IMP_MATCH_AMBIGUOUS, 2, 0},
	    /* the address picks one of them */
	    {"Food Bank Pantry", "50 Broadway", IMP_MATCH_ONE, 1, 4},
	    {"Food Bank Pantry", "900 Pennsylvania Avenue", IMP_MATCH_ONE, 1,
	     3},
	    /* an address that is neither: nothing, never the name alone */
	    {"Food Bank Pantry", "1 Market St", IMP_MATCH_NONE, 0, 0},
	    /* same name and street in two towns: the ZIP decides */
	    {"Community Clinic", "100 Main Street", IMP_MATCH_AMBIGUOUS, 2, 0},
	    {"Community Clinic", "100 Main Street, Felton, CA 95018",
	     IMP_MATCH_ONE, 1, 5},
	    {"Community Clinic", "100 Main Street, Oakland 94612",
	     IMP_MATCH_ONE, 1, 6},
	    /* the same keys twice */
	    {"Corner Barber", "12 Mission St", IMP_MATCH_AMBIGUOUS, 2, 0},
	    /* unknown */
	    {"Nowhere Clinic", NULL, IMP_MATCH_NONE, 0, 0},
	    {"Nowhere Clinic", "330 Ellis Street", IMP_MATCH_NONE, 0, 0},
	    /* a name with no letter or digit matches nothing */
	    {"***", NULL, IMP_MATCH_NONE, 0, 0},
	    {NULL, "330 Ellis Street", IMP_MATCH_NONE, 0, 0},
	};
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = fixture("find.db");
	struct imp_matcher *m = NULL;
	size_t i;

	if (!ws)
		return;
	if (imp_matcher_new(ws, &m, &err)) {
		test_fail(__FILE__, __LINE__, "imp_matcher_new: %s", err.msg);
		core_ws_close(ws);
		return;
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct want *w = &rows[i];
		int64_t id = -1;
		size_t n = 99;
		int before = test_failures();
		enum imp_match_kind k =
		    imp_matcher_find(m, w->name, w->address, &id, &n);

		CHECK_INT(k, w->kind);
		CHECK_INT(n, w->ncand);
		CHECK_INT(id, w->kind == IMP_MATCH_ONE ? w->id : -1);
		test_row_end(before, i, w->name ? w->name : "(null)", __FILE__,
			     __LINE__);
	}
	/* the candidates, in id order, capped */
	{
		int64_t ids[2] = {0, 0};
		CHECK_INT(imp_matcher_list(m, "Community Clinic", "100 Main St",
					   ids, 2),
			  2);
		CHECK_INT(ids[0], 5);
		CHECK_INT(ids[1], 6);
		ids[0] = ids[1] = 0;
		CHECK_INT(imp_matcher_list(m, "Corner Barber", NULL, ids, 1),
			  2);
		CHECK_INT(ids[0], 7);
		CHECK_INT(ids[1], 0);
		CHECK_INT(imp_matcher_list(m, "Corner Barber", NULL, NULL, 0),
			  2);
	}
	CHECK(imp_matcher_has_id(m, 1));
	CHECK(imp_matcher_has_id(m, 9)); /* no name to match, still an id */
	CHECK(!imp_matcher_has_id(m, 10));
	CHECK(!imp_matcher_has_id(m, 0));
	imp_matcher_free(m);
	core_ws_close(ws);
}

/* A workspace with no assets matches nothing; assets added after _new
 * are not seen. */
static void test_empty(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = test_new_ws("empty.db");
	struct imp_matcher *m = NULL;
	int64_t id = -1;
	size_t n = 99;

	if (!ws)
		return;
	if (imp_matcher_new(ws, &m, &err)) {
		test_fail(__FILE__, __LINE__, "imp_matcher_new: %s", err.msg);
		core_ws_close(ws);
		return;
	}
	add(ws, 1, "Glide Memorial Church", "330 Ellis Street", "94102");
	CHECK_INT(imp_matcher_find(m, "Glide Memorial Church", NULL, &id, &n),
		  IMP_MATCH_NONE);
	CHECK_INT(n, 0);
	CHECK_INT(id, -1);
	CHECK(!imp_matcher_has_id(m, 1));
	imp_matcher_free(m);
	imp_matcher_free(NULL);
	core_ws_close(ws);
}

/* Brute force: on many assets with few distinct names, the matcher
 * agrees with a linear scan that compares the normalized keys. */
static void test_against_scan(void)
{
	static const char *const names[] = {"Clinic A", "Clinic B",
					    "Saint Mary Center", "St Mary Ctr",
					    "Pantry"};
	static const char *const streets[] = {"1 Main St", "1 Main Street",
					      "2 Oak Ave", "3 Pine Rd"};
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = test_new_ws("scan.db");
	struct imp_matcher *m = NULL;
	uint64_t seed = 15;
	int i, j, k, seen[3] = {0, 0, 0};

	if (!ws)
		return;
	test_exec(ws, "BEGIN");
	for (i = 1; i <= 40; i++) {
		const char *nm = names[(int)(test_rand(&seed) * 5)];
		const char *st = streets[(int)(test_rand(&seed) * 4)];
		char zip[8];
		snprintf(zip, sizeof(zip), "9%04d",
			 (int)(test_rand(&seed) * 3));
		add(ws, i, nm, st, zip);
	}
	test_exec(ws, "COMMIT");
	if (imp_matcher_new(ws, &m, &err)) {
		test_fail(__FILE__, __LINE__, "imp_matcher_new: %s", err.msg);
		core_ws_close(ws);
		return;
	}
	/* the scan: names 2 and 3 are one normalized name, streets 0 and 1
	 * one address; zips 90000..90002 */
	for (j = 0; j < 5; j++)
		for (k = -1; k < 4; k++) {
			int z;
			for (z = -1; z < 3; z++) {
				char addr[64], *sql;
				int64_t want, got_id = -1;
				size_t n;
				enum imp_match_kind kind;

				if (k < 0)
					snprintf(addr, sizeof(addr), "%s", "");
				else if (z < 0)
					snprintf(addr, sizeof(addr), "%s",
						 streets[k]);
				else
					snprintf(addr, sizeof(addr),
						 "%s, Town, CA 9%04d",
						 streets[k], z);
				sql = sqlite3_mprintf(
				    "SELECT count(*) FROM assets WHERE"
				    " name IN (%Q, %Q) %s %s",
				    j == 2 || j == 3 ? names[2] : names[j],
				    j == 2 || j == 3 ? names[3] : names[j],
				    k < 0    ? ""
				    : k <= 1 ? "AND address IN ('1 Main St',"
					       " '1 Main Street')"
					     : "",
				    "");
				want = test_q_int(ws, sql);
				sqlite3_free(sql);
				if (k >= 2) {
					sql = sqlite3_mprintf(
					    "SELECT count(*) FROM assets WHERE"
					    " name IN (%Q, %Q) AND address = "
					    "%Q",
					    j == 2 || j == 3 ? names[2]
							     : names[j],
					    j == 2 || j == 3 ? names[3]
							     : names[j],
					    streets[k]);
					want = test_q_int(ws, sql);
					sqlite3_free(sql);
				}
				if (k >= 0 && z >= 0) {
					char *s2 = sqlite3_mprintf(
					    "SELECT count(*) FROM assets WHERE"
					    " name IN (%Q, %Q) AND address IN"
					    " (%Q, %Q) AND zip = '9%04d'",
					    j == 2 || j == 3 ? names[2]
							     : names[j],
					    j == 2 || j == 3 ? names[3]
							     : names[j],
					    k <= 1 ? streets[0] : streets[k],
					    k <= 1 ? streets[1] : streets[k],
					    z);
					want = test_q_int(ws, s2);
					sqlite3_free(s2);
				}
				kind = imp_matcher_find(m, names[j], addr,
							&got_id, &n);
				seen[kind]++;
				if ((int64_t)n != want ||
				    kind != (want == 0	 ? IMP_MATCH_NONE
					     : want == 1 ? IMP_MATCH_ONE
							 : IMP_MATCH_AMBIGUOUS))
					test_fail(__FILE__, __LINE__,
						  "%s / %s: %zu candidates, "
						  "kind %d; the scan found "
						  "%lld",
						  names[j], addr, n, (int)kind,
						  (long long)want);
			}
		}
	/* the instance exercises every outcome */
	CHECK(seen[IMP_MATCH_NONE] > 0);
	CHECK(seen[IMP_MATCH_ONE] > 0);
	CHECK(seen[IMP_MATCH_AMBIGUOUS] > 0);
	imp_matcher_free(m);
	core_ws_close(ws);
}

static const struct test tests[] = {
    TEST(test_find), TEST(test_empty), TEST(test_against_scan), {0}};

int main(void)
{
	int rc = test_main("match", tests);
	test_libs_shutdown();
	return rc;
}
