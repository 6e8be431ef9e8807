/*
 * imp_medi_cal.h - the State of California's Medi-Cal provider listings
 * (DHCS, CHHS Open Data Portal) into assets:
 *
 *   "Profile of Enrolled Medi-Cal Fee-For-Service (FFS) Providers", a.k.a.
 *   the Medi-Cal FFS Provider Listing, with its current header (46
 *   columns: NEMT type, new-patient flags, telehealth, languages and the
 *   Acc_* physical accessibility flags) or the older one (30 columns);
 *
 *   the Medi-Cal Managed Care Provider Listing (one row per plan, NPI and
 *   site), recognised by ManagedCarePlan, SubNetwork, PlanCode,
 *   RecordType, NPI and FacilityName, with coordinate, address and
 *   category columns found by their usual names.
 *
 * The listing is recognised by its header alone (column order and case
 * do not matter; the error for another file names the columns missing
 * and those found).  The file must be comma-separated text in UTF-8 (a
 * byte-order mark is fine) or Windows-1252, which is read through
 * imp_source_text's UTF-8 copy with src->warning set.
 *
 * What a row becomes: an asset named Legal_Name (FFS) or FacilityName
 * (Managed Care) at Latitude/Longitude, accepts_medi_cal = 1, capacity
 * unknown, its NPI, address, phone and website; languages from
 * Threshold_Languages and Other_Languages as ISO 639 codes (639-1 where
 * one exists, else 639-2: Hmong 'hmn'); the Acc_* flags into the
 * accessibility text and attrs.accessibility; Telehealth_Services into
 * telehealth; codes and the rest of the row's facts into attrs (JSON).
 *
 * Categories come from the crosswalk table (data/taxonomy/
 * crosswalk_medi_cal.csv, loaded by core_taxonomy): vocabularies
 * medi_cal_provider_type (FI_Provider_Type_CD; '41' is read as '041'),
 * medi_cal_specialty (FI_Provider_Specialty_CD; the reference table's
 * blank cell and '-' are the terms '(blank)' and '(dash)', since
 * imp_xwalk matches words),
 * medi_cal_anc_type (ANC_Provider_Type), medi_cal_nemt_type
 * (NEMT_NMT_Provider_Type) and medi_cal_mc_category (the Managed Care
 * provider category).  A row gets the union of its terms' categories and
 * programs; a term mapped to no category is fine (a laboratory), a term
 * absent from the crosswalk is counted in stats->unknown.  The terms a
 * file used go to source_terms (imp_xwalk_save).
 *
 * One site, one asset: rows with the same NPI and the same address
 * (Address, Address2 and the 5-digit ZIP, compared ignoring case, spaces
 * and punctuation) are one asset: the first such row's facts, with the
 * union of every such row's categories, programs and languages.  The
 * later rows count as accepted and in stats->duplicates.  Rows without
 * an NPI are never folded.
 *
 * A row without coordinates (both empty, or both 0) that has an address
 * is placed by the workspace's offline geocoder (imp_geocode.h; loaded
 * only when some row needs it), its level kept as the asset's
 * location_quality and counted in stats->geocoded.  A Managed Care
 * listing without Latitude and Longitude columns but with an address
 * column is read this way.
 *
 * Rows with a problem are rejected with file, line and field: no name;
 * no coordinates and no address, or an address the geocoder could not
 * place (the reason given, field the address column); a coordinate
 * that is not a number, out of range, swapped, or outside California for
 * a California address; an NPI that is not 10 digits; a row with more or
 * fewer fields than the header (a file cut short).  By default one reject
 * fails the import and leaves the workspace as it was; with skip_bad the
 * good rows are kept and the rejects stored in source_rejects.
 *
 * One import is one transaction and one sources row (kind 'assets',
 * format e.g. 'Medi-Cal FFS (2024 header)'); importing the same file
 * again replaces the earlier import.
 *
 * Ownership: strings in the stats are owned by them and freed by
 * imp_medi_cal_stats_release.
 */
#ifndef IMP_MEDI_CAL_H
#define IMP_MEDI_CAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "importers/imp_common.h"
#include "importers/imp_geocode.h"

enum imp_mc_listing {
	IMP_MC_UNKNOWN = 0,
	IMP_MC_FFS_2024, /* the current FFS header, 46 columns */
	IMP_MC_FFS_OLD,	 /* the older FFS header, 30 columns */
	IMP_MC_MANAGED_CARE
};

/* The sources.format of a listing, e.g. "Medi-Cal FFS (2024 header)". */
const char *imp_mc_listing_format(enum imp_mc_listing l);

struct imp_medi_cal_opts {
	const char *path;
	int skip_bad; /* keep the good rows, store the rejects */
	int merge;    /* 1: merge with other sources' assets (imp_asset.h) */
	/* the coarsest geocoded placement taken (imp_gc_level_parse), NULL:
	 * every level */
	const char *geocode_worst;
};

void imp_medi_cal_opts_init(struct imp_medi_cal_opts *o); /* merge = 1 */

/* A term (or a language name) seen in the file and how many rows had it. */
struct imp_mc_term {
	char *vocabulary; /* medi_cal_provider_type, ..., or "language" */
	char *term;
	int64_t rows;
};

struct imp_mc_count {
	char *category; /* a category code */
	int64_t assets;
};

struct imp_medi_cal_stats {
	enum imp_mc_listing listing;
	int ncolumns;		   /* columns in the header */
	int64_t assets;		   /* assets inserted */
	int64_t duplicates;	   /* rows folded into an earlier row (same NPI
				    * and address) */
	int64_t no_category;	   /* assets inserted or merged with no
				    * category */
	int64_t no_coordinates;	   /* rows rejected for having none (and
				    * an address not placed, or none) */
	struct imp_mc_count *cats; /* assets per category, in taxonomy order */
	size_t ncats;
	/* Terms not in the crosswalk and language names not recognised,
	 * most rows first, then by vocabulary and term. */
	struct imp_mc_term *unknown;
	size_t nunknown;
	/* the rows without coordinates sent to the geocoder */
	struct imp_gc_counts geocoded;
};

void imp_medi_cal_stats_release(struct imp_medi_cal_stats *st);

/*
 * Import o->path into ws in one transaction.  src must have been set up
 * with imp_source_init(src, "assets"); on return, success or not, it
 * holds the row counts and the first rejects.  stats may be NULL.
 * Returns CORE_OK; CORE_EFORMAT / CORE_EIO for a file that cannot be
 * imported (not a listing: the error names the missing and the found
 * columns) or rows rejected without skip_bad: then the workspace is
 * unchanged.
 */
int imp_medi_cal_import(struct core_ws *ws, const struct imp_medi_cal_opts *o,
			struct imp_source *src,
			struct imp_medi_cal_stats *stats, struct core_err *err);

/* What imp_medi_cal_scan_buffer found in a listing. */
struct imp_mc_scan {
	enum imp_mc_listing listing;
	int64_t rows;	  /* data rows read */
	int64_t accepted; /* rows that would become (part of) an asset */
	int64_t rejected;
	int64_t duplicates; /* accepted rows repeating an NPI and address */
	long first_reject;  /* its line, 0 when none */
};

/*
 * Parse a whole listing held in memory, without a workspace: recognise
 * the header, then check every row the way the import does (the fuzz
 * target's entry point).  Fills *out; returns CORE_OK, or CORE_EFORMAT
 * with err set when the buffer is empty or the header is not a listing.
 */
int imp_medi_cal_scan_buffer(const char *buf, size_t len,
			     struct imp_mc_scan *out, struct core_err *err);

/*
 * The ISO 639 code of a language name as the listings write it
 * ("Spanish", "CANTONESE", "Chinese (Mandarin)", "Farsi", "Hmong"), or
 * NULL when unknown.  Two-letter ISO 639-1 codes where one exists, else
 * the three-letter ISO 639-2 code (Hmong 'hmn', Ilocano 'ilo').
 */
const char *imp_mc_language_code(const char *name);

#endif
