/*
 * imp_addresses.h - the geocoder's reference data (import addresses):
 * address points, TIGER/Line street ranges and ZIP centroids, read as
 * users download them, into addr_points, addr_ranges and addr_zips
 * (core_ws.c, schema version 5).
 *
 *   points  OpenAddresses CSV or GeoJSON (NUMBER, STREET, UNIT, CITY,
 *           REGION, POSTCODE, LON, LAT), the National Address Database
 *           (Add_Number, AddNum_Suf, St_PreDir, St_PreTyp, St_Name,
 *           St_PosTyp, St_PosDir, Unit, Post_City, State, Zip_Code,
 *           Longitude, Latitude), county files such as San Francisco's
 *           EAS (ADDR_NUM, ADDR_N_SFX, ST_NAME, ST_TYPE, UNIT_NUM,
 *           ZIPCODE, LONGITUDE, LATITUDE); columns guessed from common
 *           names, each overridable (struct imp_addr_opts.col).  One row
 *           per base address: rows that repeat a base address (its units,
 *           its parcels) are folded into it and counted (rows_merged);
 *           the unit is not stored.  The point of a row without a unit
 *           wins over a unit row's.  Rows without a house number or a
 *           street (EAS writes UNKNOWN) are skipped and counted.
 *   ranges  TIGER/Line ADDRFEAT (LFROMHN, LTOHN, RFROMHN, RTOHN, ZIPL,
 *           ZIPR, PARITYL, PARITYR, FULLNAME, TLID) or EDGES (LFROMADD,
 *           LTOADD, RFROMADD, RTOADD, ZIPL, ZIPR, FULLNAME, TLID): one
 *           row per side that carries a range, with its parity (from
 *           PARITYL/R, else from the numbers: both odd O, both even E,
 *           else B), its ZIP (99999 is none: stored empty) and the edge
 *           as a LINESTRING in WGS84.  Edges without a range are
 *           skipped and counted.  A side whose range is not plain digits
 *           (EDGES has "P98", "R501"...) is rejected with its reason:
 *           the matcher interpolates plain numbers only.
 *           EDGES joined with ADDR (TLID, FROMHN, TOHN, SIDE, ZIP) and
 *           FEATNAMES (TLID, FULLNAME, NAME, PREDIRABRV, PRETYPABRV,
 *           SUFTYPABRV, SUFDIRABRV, PAFLAG), given together (or as a
 *           directory): ADDR's ranges (several per side) instead of
 *           the edge's own, and a row per name, the primary (PAFLAG P)
 *           and the alternates (A); the sources row is the EDGES file's.
 *   zips    ZIP centroids (zip, latitude, longitude, city, state) or the
 *           Census ZCTA Gazetteer (GEOID, INTPTLAT, INTPTLONG).
 *
 * The kind is told from the columns (and geometry), or forced.  CSV
 * (.csv, .tsv, .txt) is read by core_csv, everything else by GDAL; a .zip
 * (or a /vsizip/ path) is read in place: its one CSV, shapefile, GeoJSON
 * or GeoPackage.  Street parts go through geo_addr (geo_addr_street for
 * split columns and TIGER's FULLNAME, geo_addr_parse_parts for a street
 * line).
 *
 * One import is one transaction and one sources row (kind 'addresses');
 * importing the same path again replaces it.  Rows with a problem are
 * rejected with file, line (CSV: header = line 1) or feature, field and
 * value; without skip_bad one reject fails the import and the workspace
 * is left as it was.  A file that is none of the three kinds fails
 * before the workspace is touched, listing what was expected.
 *
 * Ownership: the caller owns opts' strings; stats' strings are freed by
 * imp_addr_stats_release.
 */
#ifndef IMP_ADDRESSES_H
#define IMP_ADDRESSES_H

#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "importers/imp_common.h"

enum imp_addr_kind {
	IMP_ADDR_AUTO = 0, /* tell from the columns */
	IMP_ADDR_POINTS,
	IMP_ADDR_RANGES,
	IMP_ADDR_ZIPS
};

/* The columns a user can name; each is the option imp_addr_col_option()
 * names. */
enum imp_addr_col {
	IMP_ADDR_COL_NUMBER,  /* house number: "2901", "32A", "12 1/2" */
	IMP_ADDR_COL_SUFFIX,  /* its suffix: "A", "1/2" */
	IMP_ADDR_COL_PREDIR,  /* "N" */
	IMP_ADDR_COL_PRETYPE, /* "Avenue" of "Avenue B", "US Hwy" */
	IMP_ADDR_COL_NAME,    /* the street name alone: "09TH", "OCTAVIA" */
	IMP_ADDR_COL_TYPE,    /* "ST" */
	IMP_ADDR_COL_POSTDIR, /* "NE" */
	IMP_ADDR_COL_STREET,  /* the street line: "16th St", "N Main St" */
	IMP_ADDR_COL_UNIT,    /* read to fold units, never stored */
	IMP_ADDR_COL_CITY,
	IMP_ADDR_COL_STATE,
	IMP_ADDR_COL_ZIP,
	IMP_ADDR_COL_LON, /* without a point geometry */
	IMP_ADDR_COL_LAT,
	IMP_ADDR_COL_COUNT
};

struct imp_addr_opts {
	const char *path;
	/* TIGER/Line: more files of the county's set (ADDR, FEATNAMES,
	 * EDGES, each a .dbf/.shp or its .zip, in any order); path may
	 * also be a directory holding them.  NULL/0: path alone. */
	const char *const *more;
	size_t nmore;
	enum imp_addr_kind kind;
	const char *layer; /* NULL: the file's only layer */
	/* column names (any case); NULL: guessed */
	const char *col[IMP_ADDR_COL_COUNT];
	int skip_bad;
};

struct imp_addr_stats {
	enum imp_addr_kind kind;
	char *what;	/* "address points", "TIGER/Line EDGES street ranges" */
	int64_t points; /* addr_points rows written */
	int64_t folded; /* rows folded into a base address */
	int64_t moved;	/* of which at another point (the kept one
			 * wins; see imp_addresses.h) */
	int64_t skipped;   /* rows without a number or street */
	int64_t left;	   /* addr_ranges rows, left sides */
	int64_t right;	   /* right sides */
	int64_t no_range;  /* edges without a range, skipped */
	int64_t unnamed;   /* ranged edges without a name, skipped */
	int64_t alt_rows;  /* of the ranges, rows of FEATNAMES' alternate
			    * names */
	int64_t zips;	   /* addr_zips rows written */
	int64_t zip_blank; /* ZIPs like 99999 stored empty */
};

void imp_addr_opts_init(struct imp_addr_opts *o);
void imp_addr_stats_release(struct imp_addr_stats *st);

/* The option name of a column, without "--" ("number", "street"). */
const char *imp_addr_col_option(enum imp_addr_col c);
/* "points", "ranges", "zips" (IMP_ADDR_AUTO: "auto"); and back (-1). */
const char *imp_addr_kind_name(enum imp_addr_kind k);
int imp_addr_kind_parse(const char *s);

/*
 * Import o->path into ws in one transaction.  src must be set up with
 * imp_source_init(src, "addresses"); on return it holds the mapping used
 * (src->options), row counts and first rejects.  stats may be NULL.
 * Returns CORE_OK; CORE_EUSAGE for an option that does not apply (a
 * column not in the file is CORE_EFORMAT); CORE_EFORMAT / CORE_EIO for a
 * file that cannot be imported or rows rejected without skip_bad: the
 * workspace is then unchanged.
 */
int imp_addr_import(struct core_ws *ws, const struct imp_addr_opts *o,
		    struct imp_source *src, struct imp_addr_stats *stats,
		    struct core_err *err);

#endif
