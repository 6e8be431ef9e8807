/*
 * cmd_import_cohort.c - assetmap import cohort: a patient cohort, kept
 * private.  The importer is importers/imp_cohort.c; this file parses the
 * options and prints the summary, whose counts all go through
 * core_privacy (small-cell suppression).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_import.h"
#include "cli/cli_opt.h"
#include "core/core_mem.h"
#include "importers/imp_cohort.h"

#define C struct imp_cohort_opts

const struct cli_opt cmd_import_cohort_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] import cohort NAME FILE [--lat COL "
	"--lon "
	"COL]\n"
	"           [--address COL [--city COL] [--state COL] [--zip COL]]\n"
	"           [--zip COL --centroids FILE] [--id COL] [--keep COL,...] "
	"[OPTIONS]\n"
	"       assetmap [-d WORKSPACE] import cohort NAME FILE --counts COL\n"
	"           (--geoid COL [--level LEVEL] | --zip COL) [OPTIONS]\n"
	"\n"
	"Import a patient cohort (protected health information) as cohort "
	"NAME.\n"
	"Kept: each person's location, its tract, the --keep columns and, "
	"with\n"
	"--id, a keyed hash of the id; never the file's name, names, record\n"
	"numbers or any other column.  The workspace is made private (mode "
	"0600).\n"
	"\n"
	"FILE is CSV in UTF-8, separated by ',', ';' or tab, with a header "
	"line:\n"
	"one row per person, or with --counts one row per area.\n"
	"\n"
	"people:\n"),
    CLI_OPT_FULL(CLI_OPT_KIND_STRING, "lat", 0, "COL", C, lat,
		 "home coordinates in decimal degrees (WGS84);\n"
		 "guessed from lat/latitude/y and lon/lng/longitude/x",
		 0, "--lat COL --lon COL", NULL, 0, 0, 0, NULL, NULL),
    CLI_OPT_FULL(CLI_OPT_KIND_STRING, "lon", 0, "COL", C, lon, NULL,
		 CLI_OPT_HIDDEN, NULL, NULL, 0, 0, 0, NULL, NULL),
    CLI_OPT_STRING("address", 0, "COL", C, address,
		   "place people without coordinates at their home\n"
		   "address: the street line with its number, or the\n"
		   "whole address on one line; with --city, --state and\n"
		   "--zip when the file splits it.  Geocoded offline, in\n"
		   "memory, from 'assetmap import addresses': the address\n"
		   "is never stored, printed or kept (only the columns'\n"
		   "names are recorded); a person whose address is not\n"
		   "placed is rejected with the reason, not the address.\n"
		   "Precision 'point' down to street level, 'zip' for a\n"
		   "ZIP-level placement.  Never guessed"),
    CLI_OPT_FULL(CLI_OPT_KIND_STRING, "city", 0, "COL", C, city,
		 "the address's city and state columns (--address)", 0,
		 "--city COL --state COL", NULL, 0, 0, 0, NULL, NULL),
    CLI_OPT_FULL(CLI_OPT_KIND_STRING, "state", 0, "COL", C, state, NULL,
		 CLI_OPT_HIDDEN, NULL, NULL, 0, 0, 0, NULL, NULL),
    CLI_OPT_STRING("geocode-worst", 0, "LEVEL", C, geocode_worst,
		   "the coarsest placement taken from an address:\n"
		   "address_point, interpolated, street_range, street\n"
		   "or zip (the default)"),
    CLI_OPT_STRING("zip", 0, "COL", C, zip,
		   "place people without coordinates (or an address) at\n"
		   "their ZIP's centroid (precision 'zip').  Needs\n"
		   "--centroids, but not with --address, whose ZIP it is"),
    CLI_OPT_STRING("centroids", 0, "FILE", C, centroids,
		   "ZIP centroids: a CSV with a ZIP, a latitude and a\n"
		   "longitude column (guessed from zip/zcta/geoid,\n"
		   "latitude/lat/intptlat, longitude/lon/intptlong)"),
    CLI_OPT_STRING("centroid-columns", 0, "ZIP,LAT,LON", C, centroid_cols,
		   "name the centroid file's columns"),
    CLI_OPT_STRING("id", 0, "COL", C, id,
		   "a person's identifier, to re-link later; stored only\n"
		   "as HMAC-SHA-256 under your key (below).  A repeated\n"
		   "id is a rejected row"),
    CLI_OPT_STRING("keep", 0, "COL,...", C, keep,
		   "more columns to keep per person (age group, sex,\n"
		   "language, a condition flag) as JSON.  Refused, by\n"
		   "name or by a value: names, dates, addresses, ZIPs\n"
		   "(keep zip3), phones, e-mails, SSNs, record, member\n"
		   "and account numbers, ids.  COL:year keeps a date's\n"
		   "year only (--keep dob:year)"),
    CLI_OPT_TEXT("\ncounts per area:\n"),
    CLI_OPT_STRING("counts", 0, "COL", C, counts,
		   "the number of people in each area (a whole number)"),
    CLI_OPT_STRING("geoid", 0, "COL", C, geoid,
		   "the area's GEOID (guessed from GEOID, FIPS, ...);\n"
		   "the level follows from its length: 2 state,\n"
		   "11 tract, 12 block group"),
    CLI_OPT_STRING("level", 0, "LEVEL", C, level,
		   "state, county, tract, blockgroup or zcta: needed for\n"
		   "5-digit GEOIDs; puts back leading zeros"),
    CLI_OPT_HELP("--zip COL", 0,
		 "counts per ZIP (level zcta) instead of --geoid"),
    CLI_OPT_TEXT("\nboth:\n"),
    CLI_OPT_STRING("description", 0, "TEXT", C, description,
		   "a note kept with the cohort"),
    CLI_OPT_FLAG("replace", 0, C, replace, 1,
		 "replace cohort NAME although it came from another\n"
		 "file, or the cohort FILE was imported as before"),
    CLI_OPT_FLAG("skip-bad", 0, C, skip_bad, 1,
		 "import the good rows; the rejected ones are kept and\n"
		 "listed by 'assetmap sources --rejects ID'"),
    CLI_OPT_TEXT(
	"\n"
	"Importing NAME again from the same file (the same bytes) replaces it. "
	" A\n"
	"row with a problem (no location, a coordinate out of range, a "
	"repeated\n"
	"id, ...) stops the import, which then lists the rows and changes "
	"nothing.\n"
	"\n"
	"The key: $ASSETMAP_KEY_FILE, else $XDG_CONFIG_HOME/assetmap/key or\n"
	"~/.config/assetmap/key, made on first use (mode 0600).  The "
	"workspace\n"
	"records only its fingerprint; an import with another key is refused.\n"
	"Shared without the key, a workspace shows locations, areas and "
	"--keep\n"
	"columns, but no one can re-link a hash to a person or test a guessed "
	"id;\n"
	"with the key and the ids, you can.  Keep the key as safe as the "
	"file.\n"
	"\n"
	"Errors quote only the value that is wrong (a latitude, a ZIP), never "
	"an\n"
	"id, a --keep value or another column.  The summary gives exact "
	"counts\n"
	"(for you); every output suppresses counts from 1 to 10.\n"
	"\n"
	"examples:\n"
	"  assetmap import cohort asthma-kids patients.csv --id person_id \\\n"
	"      --keep age_group,language,dob:year\n"
	"  assetmap import cohort asthma-kids patients.csv --lat Latitude \\\n"
	"      --lon Longitude --zip Zip --centroids ca_zip_centroids.csv --id "
	"MRN\n"
	"  assetmap import cohort er-visits visits_by_zip.csv --counts visits "
	"--zip zip\n"
	"  assetmap import cohort asthma-kids patients.csv --address Street "
	"\\\n"
	"      --city City --zip Zip --id MRN\n"),
    CLI_OPT_END()};

#undef C

static const char cmd_name[] = "import cohort";

/* A level as people say it: "tract", "block groups", "ZCTAs"; an
 * unknown level as it is. */
static const char *level_words(const char *level, int64_t n)
{
	const char *w = cli_level_words(level, n);

	return w ? w : level;
}

/* n with thousands separators ("4,873"), exactly: the summary is shown
 * to the person importing their own file, so nothing is suppressed. */
static const char *exact(int64_t n, char *buf, size_t sz)
{
	char digits[24];
	size_t len, i, o = 0;

	snprintf(digits, sizeof(digits), "%lld", (long long)n);
	len = strlen(digits);
	for (i = 0; i < len && o + 2 < sz; i++) {
		if (i && digits[0] != '-' && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

/*
 * What the import did, in exact numbers: the rows placed and not placed
 * are the user's own (the file is theirs).  What is stored for others
 * and every output made from the cohort are suppressed
 * (core_privacy.h).
 */
static void summary(struct cli_ctx *ctx, const struct imp_cohort_opts *o,
		    const struct imp_source *src,
		    const struct imp_cohort_stats *st)
{
	struct core_buf b = CORE_BUF_INIT;
	char n1[32], n2[32];

	if (src->skip_bad && src->rows_rejected)
		cli_import_rejects(ctx, src, 1);
	if (st->counts) {
		core_buf_addf(
		    &b,
		    "imported counts for %lld %s (%s %s) into cohort '%s' from "
		    "%s",
		    (long long)st->areas, level_words(st->level, st->areas),
		    exact(st->people, n1, sizeof(n1)),
		    st->people == 1 ? "person" : "people", o->name, src->name);
	} else {
		core_buf_addf(&b, "imported %s %s into cohort '%s' from %s",
			      exact(st->people, n1, sizeof(n1)),
			      st->people == 1 ? "person" : "people", o->name,
			      src->name);
	}
	if (st->replaced)
		core_buf_adds(&b, ", replacing the earlier import");
	core_buf_addf(&b, " (%s rejected",
		      exact(src->rows_rejected, n2, sizeof(n2)));
	if (src->rows_rejected)
		core_buf_addf(&b,
			      "; 'assetmap sources --rejects %lld' lists them",
			      (long long)src->id);
	core_buf_addc(&b, ')');
	if (!st->counts && st->people > 0) {
		if (o->address)
			core_buf_addf(&b,
				      "; at a point (coordinates or address): "
				      "%s, at ZIP centroids: %s",
				      exact(st->at_point, n1, sizeof(n1)),
				      exact(st->at_zip, n2, sizeof(n2)));
		else if (o->zip || o->centroids)
			core_buf_addf(
			    &b,
			    "; at their coordinates: %s, at ZIP centroids: %s",
			    exact(st->at_point, n1, sizeof(n1)),
			    exact(st->at_zip, n2, sizeof(n2)));
		if (st->have_tracts && st->at_point > 0)
			core_buf_addf(
			    &b, "; %sin a tract: %s, outside every tract: %s",
			    o->address ? "of those at a point, "
			    : o->zip || o->centroids
				? "of those at coordinates, "
				: "",
			    exact(st->in_tract, n1, sizeof(n1)),
			    exact(st->at_point - st->in_tract, n2, sizeof(n2)));
		else if (!st->have_tracts)
			core_buf_adds(
			    &b,
			    "; the workspace has no tracts to place them in");
	}
	cli_note(ctx, "%s\n", core_buf_str(&b));
	core_buf_release(&b);
	cli_import_geocoded(ctx, &st->geocoded, "person", "people", 0);
}

/* assetmap import cohort NAME FILE: import a file of people (or of
 * counts per area) into cohort NAME of the open workspace, then note
 * the options used, any key file made for the hashed ids, and the
 * summary.  Returns
 * 0, or a code with ctx->err set: a usage error for bad arguments or
 * what the importer calls one, else the importer's error; a refused
 * import's rejected rows go to stderr. */
int cmd_import_cohort(struct cli_ctx *ctx, int argc, char **argv)
{
	struct imp_cohort_opts o;
	struct imp_cohort_stats st;
	struct imp_source src;
	int rc, nargs = 0;

	imp_cohort_opts_init(&o);
	if ((rc = cli_opt_parse(ctx, cmd_name, cmd_import_cohort_options, &o,
				argc, argv, &nargs)))
		return rc;
	if (nargs < 1)
		return cli_usage(
		    ctx, cmd_name,
		    "give the cohort a name and its file, e.g. 'assetmap "
		    "import cohort asthma-kids patients.csv'");
	if (nargs < 2)
		return cli_usage(ctx, cmd_name, "cohort '%s': which file?",
				 argv[1]);
	if (nargs > 2)
		return cli_usage(ctx, cmd_name,
				 "unexpected argument '%s' (one name and one "
				 "file per import)",
				 argv[3]);
	o.name = argv[1];
	o.path = argv[2];

	imp_source_init(&src, "cohort");
	rc = imp_cohort_import(ctx->ws, &o, &src, &st, &ctx->err);
	if (src.options && (rc == CORE_OK || src.rows_read > 0))
		cli_note(ctx, "%s: using %s\n", src.name, src.options);
	if (src.warning && rc == CORE_OK)
		cli_warn("%s", src.warning);
	if (st.key_note[0])
		cli_note(ctx, "%s\n", st.key_note);
	if (rc == CORE_OK) {
		summary(ctx, &o, &src, &st);
	} else {
		cli_import_failed(ctx, cmd_name, rc, &src);
	}
	imp_source_release(&src);
	return rc;
}
