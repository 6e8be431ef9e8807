/*
 * fuzz_hsds_json.c - libFuzzer target for the HSDS JSON/NDJSON reader:
 * bytes in, an in-memory model out (no workspace, no files).  Build and
 * run as tests/fuzz/README.md says.
 *
 * Besides crashes and sanitizer reports, it checks what every model must
 * satisfy: every site has a name and coordinates in range, and every
 * problem and warning renders as a message naming the file.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_err.h"
#include "importers/imp_hsds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_hsds_model *m = NULL;
	size_t i;

	if (imp_hsds_parse_json((const char *)data, size, "fuzz.json", &m,
				&err) != CORE_OK) {
		if (m || !err.msg[0] || !strstr(err.msg, "fuzz.json"))
			abort();
		return 0;
	}
	for (i = 0; i < imp_hsds_model_nsites(m); i++) {
		const struct imp_hsds_site *s = imp_hsds_model_site(m, i);
		if (!s->name || !*s->name || !(s->lat >= -90 && s->lat <= 90) ||
		    !(s->lon >= -180 && s->lon <= 180))
			abort();
	}
	for (i = 0; i < imp_hsds_model_nproblems(m); i++)
		if (!strstr(imp_hsds_model_problem(m, i), "fuzz.json line "))
			abort();
	for (i = 0; i < imp_hsds_model_nwarnings(m); i++)
		if (!imp_hsds_model_warning(m, i))
			abort();
	imp_hsds_model_free(m);
	return 0;
}
