/*
 * addr_speed.c - how long geo_addr_parse takes: a timing check, not a
 * test.  Parses 1,000,000 varied addresses (4,096 distinct strings made
 * from the forms issue 13 names: full lines with unit, city, state and
 * ZIP+4, ordinals in words, routes, PO boxes, split-free lines without
 * commas) on one thread and prints the CPU time per address.
 *
 *   make build/rel/libassetmap.a
 *   cc -O2 -I. bench/addr_speed.c build/rel/libassetmap.a -o addr_speed
 *   ./addr_speed [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "geo/geo_addr.h"

#define DISTINCT 4096

static const char *const streets[] = {"16th St",
				      "Market Street",
				      "South Van Ness Ave",
				      "W Twenty-First Ave SE",
				      "Elgin Park",
				      "Dr Carlton B Goodlett Pl",
				      "N Main St",
				      "Octavia Blvd",
				      "US Highway 89 N",
				      "County Road 12",
				      "Avenue of the Americas",
				      "Camas Creek Rd",
				      "NINETEENTH AVENUE",
				      "Cañada Rd",
				      "Van Ness",
				      "Golden Gate Avenue"};
static const char *const tails[] = {
    ", San Francisco, CA 94103",	 " Apt 4, San Francisco, CA 94103-1234",
    " SAN FRANCISCO CA 94102",		 " Suite 300 San Francisco 94102",
    " #210, Oakland, California",	 "",
    ", White Sulphur Springs, MT 59645", " Unit B"};

/* CPU time of this process: the machine is shared, wall time is not
 * the parser's. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static char text[DISTINCT][128];
	long n = argc > 1 ? atol(argv[1]) : 1000000, i, ok = 0;
	unsigned long h = 0;
	double t0, t;
	struct geo_addr a;

	for (i = 0; i < DISTINCT; i++) {
		unsigned r = (unsigned)i * 2654435761u;
		const char *st = streets[(r >> 8) % 16];
		const char *tl = tails[(r >> 16) % 8];
		if (i % 29 == 0)
			snprintf(text[i], sizeof(text[i]), "PO Box %ld%s",
				 i + 1, tl);
		else
			snprintf(text[i], sizeof(text[i]), "%ld%s %s%s",
				 1 + (long)(r % 3000), i % 7 ? "" : "A", st,
				 tl);
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		if (geo_addr_parse(text[i % DISTINCT], &a) == GEO_ADDR_OK)
			ok++;
		h = h * 31 + (unsigned char)a.name[0] + (unsigned long)a.number;
	}
	t = now() - t0;
	printf("%ld parses in %.3f s of CPU: %.0f ns per address, %ld parsed "
	       "(check %lu)\n",
	       n, t, t / (double)n * 1e9, ok, h % 1000);
	return 0;
}
