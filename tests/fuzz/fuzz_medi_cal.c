/*
 * fuzz_medi_cal.c - libFuzzer target for the Medi-Cal listing reader:
 * the CSV reader, the header recognition, every row check, the language
 * lists and the crosswalk keys, through imp_medi_cal_scan_buffer (no
 * workspace).  Build and run: see tests/fuzz/README.md.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_err.h"
#include "importers/imp_medi_cal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_mc_scan scan;
	char *s;

	if (imp_medi_cal_scan_buffer((const char *)data, size, &scan, &err) ==
	    CORE_OK) {
		/* What must hold for any input. */
		if (scan.accepted + scan.rejected != scan.rows ||
		    scan.duplicates > scan.accepted ||
		    (scan.rejected > 0) != (scan.first_reject > 0) ||
		    scan.listing == IMP_MC_UNKNOWN)
			abort();
	} else if (!err.msg[0] || scan.listing != IMP_MC_UNKNOWN) {
		abort();
	}
	/* The bytes as one language name. */
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	(void)imp_mc_language_code(s);
	free(s);
	return 0;
}
