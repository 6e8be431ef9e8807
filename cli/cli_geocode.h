/*
 * cli_geocode.h - what the commands that take an address share: the
 * batch geocoder behind 'assetmap geocode' (a user's file of addresses
 * in, the same rows with lon, lat, level, score and why out) and the one
 * place a command is given as an address (--at ADDRESS, --address).
 *
 * The matching itself is geo_geocode's; this file reads the user's file,
 * picks its address columns, runs the matcher over every row on every
 * core (rows keep their order) and writes CSV or GeoPackage.  Nothing is
 * stored in the workspace, and no address from the file is ever put in
 * a message: errors name the file, line and column only.
 *
 *   struct cli_gc_file *f;  cli_gc_file_open(path, &f, err);
 *   int cols[CLI_GC_NROLES]; cli_gc_columns(f, given, cols, err);
 *   struct cli_gc_batch *b; cli_gc_read(f, cols, &b, err);
 *   cli_gc_run(b, geocoder, &opts);
 *   cli_gc_write_csv(f, b, fp, err) or cli_gc_write_gpkg(...);
 *   cli_gc_summary(b, &buf);
 */
#ifndef CLI_GEOCODE_H
#define CLI_GEOCODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/core_err.h"
#include "core/core_mem.h"
#include "geo/geo_geocode.h"

/* What a column of an address file holds. */
enum cli_gc_role {
	CLI_GC_ADDRESS = 0, /* the whole address on one line */
	CLI_GC_NUMBER,	    /* house number */
	CLI_GC_STREET,	    /* street line, with or without its number */
	CLI_GC_UNIT,
	CLI_GC_CITY,
	CLI_GC_STATE,
	CLI_GC_ZIP,
	CLI_GC_NROLES
};

/* The role's name as options and notes call it ("address", "zip"). */
const char *cli_gc_role_name(int role);

/* ---------------------------------------------------------------------
 * The input file
 * ------------------------------------------------------------------ */

/*
 * An input file: .csv, .tsv and .txt through core_csv (strict: a row of
 * another width than the header is an error naming its line), anything
 * else GDAL reads as a table (GeoJSON, GeoPackage, shapefile, XLSX ...)
 * through its first layer, every field read as text.
 */
struct cli_gc_file;

/* Open path and read its columns.  Errors (err set, naming the file):
 * CORE_EIO (cannot be read), CORE_EFORMAT (not a table, no columns). */
int cli_gc_file_open(const char *path, struct cli_gc_file **out,
		     struct core_err *err);
void cli_gc_file_free(struct cli_gc_file *f);
size_t cli_gc_file_ncols(const struct cli_gc_file *f);
/* Column i's name (borrowed). */
const char *cli_gc_file_col(const struct cli_gc_file *f, size_t i);

/*
 * Choose the columns of f for each role into cols (-1: none).  given[r]
 * is the column the user named for role r (an option's value), or NULL
 * to guess from common names (address, full_address, street_address,
 * address1, house_number, city, zip, postcode ...; case, spaces and
 * punctuation ignored).  A one-line address (given[CLI_GC_ADDRESS], or a
 * column named like full_address) is parsed whole; a street line
 * (given[CLI_GC_STREET], or a column named like street or address1)
 * with the number, unit, city, state and ZIP columns there are.  A
 * column named just "address" (or addr, location) is the street line
 * when the file has a city, state or ZIP column, else a whole address.
 * Errors: CORE_EUSAGE for a named column f does not have (with its
 * columns and "did you mean"), or --address given with split columns;
 * CORE_EFORMAT when no address column can be found (the columns listed,
 * "did you mean" when one is close to a known name, and the options to
 * name one).  Messages call a role's option --ROLE (--zip), as the
 * geocode command names them.
 */
int cli_gc_columns(const struct cli_gc_file *f,
		   const char *const given[CLI_GC_NROLES],
		   int cols[CLI_GC_NROLES], struct core_err *err);

/* "address 'Addr'" or "street 'Street', city 'City', zip 'ZIP'": the
 * columns chosen, appended to b. */
void cli_gc_columns_describe(const struct cli_gc_file *f,
			     const int cols[CLI_GC_NROLES], struct core_buf *b);

/* ---------------------------------------------------------------------
 * The batch
 * ------------------------------------------------------------------ */

/* One row's answer. */
struct cli_gc_res {
	double lon, lat; /* NaN when not placed */
	double score;
	uint8_t level;	 /* enum geo_gc_level */
	const char *why; /* static, or NULL */
};

struct cli_gc_batch {
	size_t n;		/* rows */
	struct cli_gc_res *res; /* n answers, in the file's order */
	/* the address text of every row, kept for cli_gc_run */
	char *text;
	size_t text_len; /* bytes of text used (zeroed when freed) */
	size_t *off;	 /* n * nroles offsets into text */
	int roles[CLI_GC_NROLES];
	int nroles;   /* how many roles have a column */
	int one_line; /* the row is one line (CLI_GC_ADDRESS) */
};

/*
 * Read every row of f (from its first) and keep the text of the columns
 * cols chooses.  A progress bar while reading long files.  Errors (err
 * set, naming file and line): CORE_EFORMAT for a CSV row of another
 * width than the header or a file with no rows, the reader's.
 */
int cli_gc_read(struct cli_gc_file *f, const int cols[CLI_GC_NROLES],
		struct cli_gc_batch **out, struct core_err *err);

/* Geocode every row of b on every core (geo_par), filling b->res.
 * opts may be NULL. */
void cli_gc_run(struct cli_gc_batch *b, const struct geo_geocoder *g,
		const struct geo_gc_opts *opts);

void cli_gc_batch_free(struct cli_gc_batch *b);

/*
 * The names of the columns the output adds: "lon", "lat", "level",
 * "score", "why"; when f has a column of any of these names
 * (case-insensitive), all five get the prefix "geocode_".  Static.
 */
const char *const *cli_gc_out_names(const struct cli_gc_file *f);

/*
 * Write f's rows (read again from its first) with b's answers to fp as
 * CSV: the header of f then the five added columns, one line per row in
 * the file's order, comma-separated, a field quoted when it holds a
 * comma, a quote or a line end (quotes doubled); lon and lat with 7
 * decimals, score with 3, empty when not placed.  Returns CORE_OK, or
 * CORE_EFORMAT when f no longer reads as it did; write errors on fp are
 * the caller's to check.
 */
int cli_gc_write_csv(struct cli_gc_file *f, const struct cli_gc_batch *b,
		     FILE *fp, struct core_err *err);

/*
 * The same as a GeoPackage at path (a temporary; out is what messages
 * call it), one layer named layer: f's columns as text, lon, lat and
 * score as reals, level and why as text, and a point in WGS 84 for each
 * row placed (no geometry otherwise).  Text that is not UTF-8 is an
 * error naming line and column.  Returns CORE_OK, or CORE_ELIB/CORE_EIO/
 * CORE_EFORMAT with err set.
 */
int cli_gc_write_gpkg(struct cli_gc_file *f, const struct cli_gc_batch *b,
		      const char *path, const char *out, const char *layer,
		      struct core_err *err);

/* What g holds, appended to b: "1,999 address points, 2,654 ZIP
 * centroids" (kinds it has none of left out; "nothing" when empty). */
void cli_gc_describe_reference(const struct geo_geocoder *g,
			       struct core_buf *b);

/* How many rows of b are at each level: count[level] for level
 * GEO_GC_NONE .. GEO_GC_ZIP. */
void cli_gc_count(const struct cli_gc_batch *b, size_t count[6]);

/*
 * The summary, appended to b: "placed 9,512 of 10,000: address point
 * 9,101, interpolated 212, ...; not placed 488: street not found 301,
 * ..." (levels with no rows left out; the reasons most frequent first).
 */
void cli_gc_summary(const struct cli_gc_batch *b, struct core_buf *out);

/* ---------------------------------------------------------------------
 * A place given as an address
 * ------------------------------------------------------------------ */

/* 1 when s looks like coordinates ("37.76,-122.41", "37.76, -122.41":
 * digits, signs, points, commas and blanks only, and not a ZIP code
 * alone such as "94110" or "94110-1234"), so that --at reads it as
 * LAT,LON; 0 when it is to be read as an address. */
int cli_gc_is_coords(const char *s);

/*
 * Geocode text, a place given on the command line as option opt
 * ("--address", "--at") of command cmd, through the workspace's
 * reference addresses, into *lat, *lon (and *level when not NULL).
 * Says what it found as a note ("--address '2901 16th St': read as 2901
 * 16 ST, SAN FRANCISCO CA 94110: 37.765100,-122.415400 (address point,
 * score 1.00)") and warns when the point is a street's or a ZIP's
 * ("distances are approximate").  Errors (ctx->err set, exit 1):
 * CORE_ENOTFOUND when the workspace has no reference addresses ("run
 * 'assetmap import addresses FILE' first") or the address has no match
 * (with the matcher's reason); never a guess.  Loads the reference data,
 * so one call per command.
 */
int cli_gc_place(struct cli_ctx *ctx, const char *cmd, const char *opt,
		 const char *text, double *lat, double *lon, int *level);

/* "2901 16 ST APT 4, SAN FRANCISCO CA 94110": a parsed address as one
 * line, appended to b. */
void cli_gc_addr_line(const struct geo_addr *a, struct core_buf *b);

#endif
