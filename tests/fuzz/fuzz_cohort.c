/*
 * fuzz_cohort.c - libFuzzer target for the cohort importer's own CSV
 * reader (memory-mapped files are parsed in place, by hand) and every row
 * check, through imp_cohort_scan_buffer (no workspace).  The first byte
 * picks the options: people with guessed coordinates; people with --id
 * id --keep note,age; counts --counts n with a guessed GEOID; or people
 * placed by --address street --zip zip (none placed: no workspace).  Build
 * and run: see tests/fuzz/README.md.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/core_err.h"
#include "importers/imp_cohort.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t seen;

/* What must hold for every person accepted. */
static void on_person(void *ctx, double x, double y, const char *attrs,
		      size_t n)
{
	(void)ctx;
	seen++;
	if (!isfinite(x) || !isfinite(y) || x < -180 || x > 180 || y < -90 ||
	    y > 90 || (x == 0 && y == 0))
		abort();
	if (attrs) {
		struct json_tokener *tok = json_tokener_new();
		struct json_object *o =
		    json_tokener_parse_ex(tok, attrs, (int)n);
		if (!o || json_tokener_get_error(tok) != json_tokener_success ||
		    json_tokener_get_parse_end(tok) != n ||
		    !json_object_is_type(o, json_type_object) ||
		    json_object_object_length(o) != 2)
			abort();
		json_object_put(o);
		json_tokener_free(tok);
	}
}

static void on_area(void *ctx, const char *geoid, int64_t count)
{
	size_t k, len = strlen(geoid);

	(void)ctx;
	seen++;
	if (count < 0 || len < 2 || len > 12)
		abort();
	for (k = 0; k < len; k++)
		if (geoid[k] < '0' || geoid[k] > '9')
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_cohort_opts o;
	struct imp_cohort_scan sc;
	int rc;

	if (size < 1)
		return 0;
	imp_cohort_opts_init(&o);
	o.name = "fuzz";
	o.path = "fuzz.csv";
	switch (data[0] % 4) {
	case 1:
		o.id = "id";
		o.keep = "note,age";
		break;
	case 2:
		o.counts = "n";
		break;
	case 3:
		/* by address: without a workspace none is placed */
		o.address = "street";
		o.zip = "zip";
		o.id = "id";
		break;
	default:
		break;
	}
	memset(&sc, 0, sizeof(sc));
	sc.person = on_person;
	sc.area = on_area;
	seen = 0;
	rc = imp_cohort_scan_buffer((const char *)data + 1, size - 1, &o, &sc,
				    &err);
	if (rc == CORE_OK) {
		if (sc.accepted + sc.rejected != sc.read || seen != sc.accepted)
			abort();
	} else if (!err.msg[0]) {
		abort();
	}
	return 0;
}
