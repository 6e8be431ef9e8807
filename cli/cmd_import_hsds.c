/*
 * cmd_import_hsds.c - assetmap import hsds: an Open Referral HSDS
 * directory (JSON, NDJSON or a CSV package) into assets.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_import.h"
#include "importers/imp_hsds.h"

#define A struct cli_import_asset_opts

const struct cli_opt cmd_import_hsds_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] import hsds PATH [--skip-bad] "
	"[--no-merge]\n"
	"           [--geocode-worst LEVEL]\n"
	"\n"
	"Import a resource directory published in Open Referral's Human\n"
	"Services Data Specification (HSDS).  PATH is one of:\n"
	"  - an HSDS 3.x JSON file: one organization object, or an array of\n"
	"    them, with their services, locations, addresses, phones,\n"
	"    schedules, languages, accessibility and attributes nested;\n"
	"  - an NDJSON file: one organization per line, bare or wrapped\n"
	"    (e.g. {\"source\": ..., \"hsds_organization\": {...}});\n"
	"  - a CSV package: the directory (or its datapackage.json) holding\n"
	"    HSDS 3.x tables (organizations.csv, services.csv, locations.csv,\n"
	"    service_at_location.csv, addresses.csv, phones.csv, "
	"schedules.csv,\n"
	"    languages.csv, attributes.csv, taxonomy_terms.csv,\n"
	"    service_capacity.csv) or HSDS 1.1/2.0 ones "
	"(services_at_location.csv,\n"
	"    physical_addresses.csv, regular_schedules.csv,\n"
	"    services_taxonomy.csv, taxonomy.csv, eligibility.csv, ...).\n"
	"Which of these it is, and which HSDS version, is worked out from the\n"
	"file and its names and printed.  Importing the same PATH again\n"
	"replaces what it brought in before.\n"
	"\n"
	"One asset per service at a location, at the location's latitude and\n"
	"longitude, named after the location (\"Location (Service)\" where a\n"
	"location offers several services), with the organization, address,\n"
	"phone (never a fax), hours (\"Mo-Fr 09:00-17:00; Tu[2,4] "
	"15:30-17:30\",\n"
	"or the schedule's text), languages (as ISO 639-1 codes: Spanish,\n"
	"Español and spa are all es), eligibility and ages, accessibility and\n"
	"capacity.  A location no service is linked to becomes one asset of\n"
	"its own.  A service with no service_at_location link is placed at "
	"its\n"
	"organization's location when the organization has exactly one.\n"
	"A location without coordinates is placed at its street address\n"
	"(the physical one, else the postal one) by the offline geocoder, "
	"from\n"
	"the reference addresses of 'assetmap import addresses'; how many "
	"were\n"
	"placed, at which level, is printed.  Skipped, counted and printed:\n"
	"services with no location that has coordinates, inactive or defunct\n"
	"services, locations without coordinates whose address is missing or\n"
	"could not be placed (with the reason), virtual locations.\n"
	"\n"
	"Categories come from the services' taxonomy terms through the\n"
	"crosswalk (data/taxonomy/crosswalk*.csv: vocabularies hsds,\n"
	"open_eligibility and airs), else from keywords in the service's (or\n"
	"location's) name and description; an asset with no category is still\n"
	"imported and counted.  Terms no crosswalk entry matches are listed:\n"
	"add them to data/taxonomy/crosswalk_hsds.csv, run 'assetmap init\n"
	"--taxonomy' and import again.\n"
	"\n"
	"A row with a problem is rejected, naming its file, line and field: a\n"
	"location without an id or with coordinates out of range (or "
	"swapped),\n"
	"an id used twice, a service_at_location naming a location or service\n"
	"that does not exist, an NDJSON line that is not valid JSON.  Then "
	"the\n"
	"import stops and leaves the workspace as it was, unless --skip-bad.\n"
	"A whole file that cannot be read fails the import: JSON cut short "
	"(the\n"
	"message gives line and column), a CSV separated by ';', a table\n"
	"missing a column it needs, text that is not UTF-8.  Misspelled keys\n"
	"HSDS writers are known for ('addresss', 'accessibilitys', "
	"'schedule',\n"
	"'coordinates': {...}), missing optional files and extra columns are\n"
	"read or ignored with a warning; other unknown keys are ignored.\n"
	"\n"
	"options:\n"),
    CLI_OPT_COLUMN(15),
    CLI_OPT_FLAG("skip-bad", 0, A, skip_bad, 1,
		 "import the good rows anyway; the rejected ones are kept\n"
		 "and listed by 'assetmap sources --rejects ID'"),
    CLI_OPT_FLAG("no-merge", 0, A, merge, 0,
		 "do not merge assets into those of other sources that are\n"
		 "the same site (same name and address, or same name\n"
		 "within 100 m); by default they are merged"),
    CLI_OPT_STRING("geocode-worst", 0, "LEVEL", A, geocode_worst,
		   CLI_IMPORT_GEOCODE_HELP),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap import hsds directory.json\n"
		 "  assetmap import hsds food_sites_hsds.ndjson --skip-bad\n"
		 "  assetmap import hsds hsds_csv/\n"
		 "  assetmap import hsds export/datapackage.json --no-merge\n"),
    CLI_OPT_END()};

#undef A

#define SHOWN 20

/* The notes after a good HSDS import (suppressed by --quiet): the rows
 * rejected with --skip-bad, the assets imported, rejected and merged,
 * how they got their categories, the services and locations skipped and
 * why, and the first SHOWN taxonomy terms that matched no category. */
static void summary(struct cli_ctx *ctx, const struct imp_source *src,
		    const struct imp_hsds_stats *st)
{
	const struct imp_hsds_counts *c = &st->counts;
	long long rejected = (long long)src->rows_rejected;
	long long merged = (long long)src->rows_merged;
	size_t i;

	if (src->skip_bad && rejected)
		cli_import_rejects(ctx, src, 1);
	cli_note(ctx, "imported %ld asset%s from %s", st->assets,
		 st->assets == 1 ? "" : "s", src->name);
	if (rejected)
		cli_note(ctx,
			 " (%lld rejected; 'assetmap sources --rejects %lld' "
			 "lists them)",
			 rejected, (long long)src->id);
	else
		cli_note(ctx, " (0 rejected)");
	if (merged)
		cli_note(ctx, ", %lld merged into assets of other sources",
			 merged);
	cli_note(ctx,
		 "\n  categories: %ld from taxonomy terms, %ld from keywords, "
		 "%ld without a category\n",
		 st->by_terms, st->by_keyword, st->uncategorized);
	if (c->services_unlocated || c->services_inactive ||
	    c->locations_no_point || c->locations_virtual) {
		const char *sep = "";
		cli_note(ctx, "  skipped:");
		if (c->services_unlocated)
			cli_note(ctx,
				 " %ld service%s with no location that has "
				 "coordinates",
				 c->services_unlocated,
				 c->services_unlocated == 1 ? "" : "s"),
			    sep = ",";
		if (c->services_inactive)
			cli_note(ctx, "%s %ld inactive or defunct service%s",
				 sep, c->services_inactive,
				 c->services_inactive == 1 ? "" : "s"),
			    sep = ",";
		if (c->locations_no_point)
			cli_note(ctx, "%s %ld location%s without coordinates",
				 sep, c->locations_no_point,
				 c->locations_no_point == 1 ? "" : "s"),
			    sep = ",";
		if (c->locations_virtual)
			cli_note(ctx, "%s %ld virtual location%s", sep,
				 c->locations_virtual,
				 c->locations_virtual == 1 ? "" : "s");
		cli_note(ctx, "\n");
	}
	cli_import_geocoded(ctx, &st->geocoded, "location", "locations", 1);
	if (st->nunmatched) {
		cli_note(ctx, "  terms that matched no category (assets), for "
			      "data/taxonomy/crosswalk_hsds.csv:\n");
		for (i = 0; i < st->nunmatched && i < SHOWN; i++)
			cli_note(ctx, "    %s '%s' (%ld)\n",
				 st->unmatched[i].vocabulary,
				 st->unmatched[i].term,
				 st->unmatched[i].assets);
		if (st->nunmatched > SHOWN)
			cli_note(ctx,
				 "    and %zu more ('assetmap sources --terms "
				 "%lld --unmatched' lists them)\n",
				 st->nunmatched - SHOWN, (long long)src->id);
	}
}

static void warnings(const struct imp_hsds_stats *st)
{
	size_t i;

	for (i = 0; i < st->nwarnings && i < SHOWN; i++)
		cli_warn("%s", st->warnings[i]);
	if (st->nwarnings > SHOWN)
		cli_warn("and %zu more kinds of warning",
			 st->nwarnings - SHOWN);
}

/* assetmap import hsds PATH [--skip-bad] [--no-merge]: import an HSDS
 * directory or package into the open workspace's assets (one source,
 * replacing an earlier import of the same file), then note what was read
 * and imported and warn of what the importer found odd.  Returns 0, or a
 * code with ctx->err set: a usage error (2) for bad arguments or what the
 * importer calls one, else the importer's error; a refused import's
 * rejected rows go to stderr. */
int cmd_import_hsds(struct cli_ctx *ctx, int argc, char **argv)
{
	struct imp_hsds_opts o;
	struct imp_hsds_stats st;
	struct imp_source src;
	struct cli_import_asset_opts ao = {0, 1, NULL};
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_import_asset_args(ctx, "import hsds",
					cmd_import_hsds_options, argc, argv,
					"directory",
					"'assetmap import hsds directory.json' "
					"or 'assetmap import hsds hsds_csv/'",
					&ao, &o.path)))
		return rc;
	o.skip_bad = ao.skip_bad;
	o.merge = ao.merge;
	o.geocode_worst = ao.geocode_worst;

	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "assets");
	rc = imp_hsds_import(ctx->ws, &o, &src, &st, &ctx->err);
	/* what was read, once the files could be read */
	if (st.format && (rc == CORE_OK || src.rows_read > 0))
		cli_note(ctx,
			 "%s: %s, %ld organization%s, %ld service%s, %ld "
			 "location%s, %ld service_at_location link%s\n",
			 src.name, st.format, st.counts.organizations,
			 st.counts.organizations == 1 ? "" : "s",
			 st.counts.services, st.counts.services == 1 ? "" : "s",
			 st.counts.locations,
			 st.counts.locations == 1 ? "" : "s", st.counts.links,
			 st.counts.links == 1 ? "" : "s");
	if (rc == CORE_OK) {
		warnings(&st);
		summary(ctx, &src, &st);
	} else {
		cli_import_failed(ctx, "import hsds", rc, &src);
	}
	imp_source_release(&src);
	imp_hsds_stats_release(&st);
	return rc;
}
