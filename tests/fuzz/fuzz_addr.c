/*
 * fuzz_addr.c - libFuzzer target for the address parser (geo_addr):
 * free text, split columns, a street alone and the single-word lookups,
 * on any bytes.  Build and run: see tests/fuzz/README.md.
 *
 * Invariants: every field NUL-terminated inside its buffer and in the
 * normal form (upper-case ASCII letters, digits, single inner spaces,
 * '/', '-', and '#' in a unit); a failed parse leaves nothing; a success has a
 * street name, a PO box or a ZIP; ZIPs are digits; the same input parses the
 * same twice; and the parse's fields normalised again (geo_addr_street,
 * geo_addr_parse_parts) come back unchanged.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geo_addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void field(const char *s, size_t n, int hash)
{
	size_t i, len = strnlen(s, n);

	if (len == n)
		abort();
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == ' ' || c == '/' || c == '-' || (hash && c == '#')))
			abort();
		if (c == ' ' && (i == 0 || i + 1 == len || s[i + 1] == ' '))
			abort();
	}
}

static void digits(const char *s, size_t want)
{
	size_t i, len = strlen(s);

	if (len != 0 && len != want)
		abort();
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			abort();
}

static void check(const struct geo_addr *a)
{
	field(a->num_suffix, sizeof(a->num_suffix), 0);
	field(a->predir, sizeof(a->predir), 0);
	field(a->name, sizeof(a->name), 0);
	field(a->type, sizeof(a->type), 0);
	field(a->postdir, sizeof(a->postdir), 0);
	field(a->unit, sizeof(a->unit), 1);
	field(a->city, sizeof(a->city), 0);
	field(a->state, sizeof(a->state), 0);
	field(a->box, sizeof(a->box), 0);
	digits(a->zip, 5);
	digits(a->zip4, 4);
	if (a->zip4[0] && !a->zip[0])
		abort();
	if (a->number < -1 || (a->po_box != 0 && a->po_box != 1) ||
	    (a->po_box && !a->box[0]) || (!a->po_box && a->box[0]))
		abort();
}

static int empty(const struct geo_addr *a)
{
	struct geo_addr z;

	memset(&z, 0, sizeof(z));
	z.number = -1;
	return memcmp(a, &z, sizeof(z)) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct geo_addr a, b, c;
	char *s = malloc(size + 1), zip[16];
	int rc;

	memcpy(s, data, size);
	s[size] = 0;
	rc = geo_addr_parse(s, &a);
	if (rc < GEO_ADDR_OK || rc > GEO_ADDR_EBADNUM)
		abort();
	check(&a);
	if (rc == GEO_ADDR_OK && !a.name[0] && !a.po_box && !a.zip[0])
		abort();
	if (rc == GEO_ADDR_ENOSTREET && (a.name[0] || a.po_box || a.zip[0]))
		abort();
	if (rc != GEO_ADDR_OK && rc != GEO_ADDR_ENOSTREET && !empty(&a))
		abort();
	if (geo_addr_parse(s, &b) != rc || memcmp(&a, &b, sizeof(a)) != 0)
		abort();
	if (rc == GEO_ADDR_OK) {
		/* The normal form is a fixed point. */
		if (a.name[0]) {
			b = a;
			if (geo_addr_street(a.predir, a.name, a.type, a.postdir,
					    &b) != GEO_ADDR_OK ||
			    memcmp(&a, &b, sizeof(a)) != 0)
				abort();
		}
		strcpy(zip, a.zip);
		if (a.zip4[0]) {
			strcat(zip, "-");
			strcat(zip, a.zip4);
		}
		geo_addr_parse_parts(NULL, NULL, a.unit, a.city, a.state, zip,
				     &c);
		if (strcmp(a.unit, c.unit) || strcmp(a.city, c.city) ||
		    strcmp(a.state, c.state) || strcmp(a.zip, c.zip) ||
		    strcmp(a.zip4, c.zip4))
			abort();
	}
	/* The same bytes as every column, and as a street alone. */
	rc = geo_addr_parse_parts(s, s, s, s, s, s, &c);
	check(&c);
	if (rc != GEO_ADDR_OK && rc != GEO_ADDR_ENOSTREET && !empty(&c))
		abort();
	rc = geo_addr_parse_parts(NULL, s, NULL, NULL, NULL, NULL, &c);
	check(&c);
	memset(&c, 0, sizeof(c));
	geo_addr_street(s, s, s, s, &c);
	check(&c);
	geo_addr_street(NULL, s, NULL, NULL, &c);
	check(&c);
	(void)geo_addr_suffix_std(s);
	(void)geo_addr_dir_std(s);
	(void)geo_addr_state_std(s);
	if (geo_addr_ordinal(s) < -1)
		abort();
	free(s);
	return 0;
}
