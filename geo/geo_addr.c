/*
 * geo_addr.c - PLACEHOLDER so that the tree links while the parser is
 * written on its own branch (t-addr).  It upper-cases and splits on
 * spaces only.  Must be replaced before issue 13 is called done.
 */
#include "geo/geo_addr.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *geo_addr_status_str(int status)
{
	switch (status) {
	case GEO_ADDR_OK:
		return "parsed";
	case GEO_ADDR_EEMPTY:
		return "empty address";
	case GEO_ADDR_ENOSTREET:
		return "no street name";
	case GEO_ADDR_ETOOLONG:
		return "a part of the address is too long";
	case GEO_ADDR_EBADZIP:
		return "not a ZIP code";
	}
	return "unknown status";
}

static void upcopy(char *dst, size_t n, const char *src)
{
	size_t i = 0;

	for (; src && *src && i + 1 < n; src++)
		dst[i++] = (char)toupper((unsigned char)*src);
	dst[i] = 0;
}

int geo_addr_parse(const char *text, struct geo_addr *out)
{
	return geo_addr_parse_parts(NULL, text, NULL, NULL, NULL, NULL, out);
}

int geo_addr_parse_parts(const char *number, const char *street,
			 const char *unit, const char *city, const char *state,
			 const char *zip, struct geo_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->number = -1;
	if (number && *number)
		out->number = strtoll(number, NULL, 10);
	else if (street && isdigit((unsigned char)*street)) {
		char *end;
		out->number = strtoll(street, &end, 10);
		street = end;
		while (*street == ' ')
			street++;
	}
	upcopy(out->name, sizeof(out->name), street);
	upcopy(out->unit, sizeof(out->unit), unit);
	upcopy(out->city, sizeof(out->city), city);
	upcopy(out->state, sizeof(out->state), state);
	upcopy(out->zip, sizeof(out->zip), zip);
	return out->name[0] ? GEO_ADDR_OK : GEO_ADDR_ENOSTREET;
}

int geo_addr_street(const char *predir, const char *name, const char *type,
		    const char *postdir, struct geo_addr *out)
{
	upcopy(out->predir, sizeof(out->predir), predir);
	upcopy(out->name, sizeof(out->name), name);
	upcopy(out->type, sizeof(out->type), type);
	upcopy(out->postdir, sizeof(out->postdir), postdir);
	return out->name[0] ? GEO_ADDR_OK : GEO_ADDR_ENOSTREET;
}

const char *geo_addr_suffix_std(const char *word)
{
	(void)word;
	return NULL;
}

const char *geo_addr_dir_std(const char *word)
{
	(void)word;
	return NULL;
}

int geo_addr_ordinal(const char *word)
{
	(void)word;
	return -1;
}

const char *geo_addr_state_std(const char *word)
{
	(void)word;
	return NULL;
}

size_t geo_addr_street_key(const struct geo_addr *a, char *buf, size_t n)
{
	return (size_t)snprintf(buf, n, "%s", a->name);
}
