/*
 * render_profile.h - the stakeholder profile: one page on a coalition's
 * partnership register for a convener or a funder ('assetmap partners
 * -o FILE').
 *
 * The page (US letter, landscape) shows, under a title and the date:
 *   - partners by SDOH domain and status: per domain, one bar for each
 *     status (current, prospective, former), with its count;
 *   - a matrix of the current partners by service model (rows) and data
 *     level (columns), three levels each and "not recorded", each cell
 *     with its count and shaded by it, with the totals;
 *   - the Medi-Cal Community Supports: those contracted, each with what
 *     the caller says of it (how many partners, which plans), and those
 *     missing (no partner contracted for them) listed by name;
 *   - the trusted resources named in the environmental scan, most named
 *     first, as bars with the times named;
 *   - a note at the foot (sources, the date, the tool).
 *
 * The profile draws what it is given: the caller (cli/cmd_partners.c)
 * reads the register and passes words ready to print, never codes.
 * PNG (150 dpi: 1650 x 1275 pixels), PDF and SVG; the same bytes every
 * run for the same date.
 *
 * Ownership: nothing passed is kept after render_profile_write returns.
 */
#ifndef RENDER_PROFILE_H
#define RENDER_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/core_err.h"

#define RENDER_PROFILE_NSTATUS 3 /* current, prospective, former */
#define RENDER_PROFILE_NLEVEL  4 /* three levels, then "not recorded" */
#define RENDER_PROFILE_DPI     150.0

/* One SDOH domain: its name and its partners of each status. */
struct render_profile_domain {
	const char *name;
	int64_t count[RENDER_PROFILE_NSTATUS];
};

/* One Community Support: its name; partners > 0 when contracted, with
 * detail saying by whom ("2 partners (1 current); plans: A, B"). */
struct render_profile_support {
	const char *name;
	int64_t partners;
	const char *detail; /* NULL: none */
};

/* One trusted resource: its name, the times it was named, and its
 * standing in the register in words (NULL: not in the register). */
struct render_profile_trusted {
	const char *name;
	int64_t times;
	const char *status;
};

struct render_profile {
	const char *title;    /* required */
	const char *subtitle; /* the line under it, or NULL */
	const char *creator;  /* "assetmap 0.1.0" (PDF metadata, note) */
	/* The date on the page; 0 means $SOURCE_DATE_EPOCH when set (then
	 * also the PDF's dates), else now. */
	time_t date;

	/* the statuses' words, in the order of count[] */
	const char *status_words[RENDER_PROFILE_NSTATUS];
	const struct render_profile_domain *domains;
	size_t ndomains;
	const char *domain_note; /* small print under the chart, or NULL */

	/* the matrix: current partners by service model [row] and data
	 * level [column]; the last of each is "not recorded" */
	const char *service_words[RENDER_PROFILE_NLEVEL];
	const char *data_words[RENDER_PROFILE_NLEVEL];
	int64_t matrix[RENDER_PROFILE_NLEVEL][RENDER_PROFILE_NLEVEL];

	const struct render_profile_support *supports; /* every one */
	size_t nsupports;

	const struct render_profile_trusted *trusted; /* those shown */
	size_t ntrusted;
	size_t trusted_more; /* named but not shown */

	const char *note; /* the foot's note (sources), or NULL */
};

/*
 * Draw p to path: PNG, PDF or SVG by its extension (render_format_of_path;
 * CORE_EUSAGE otherwise).  Written to a temporary file beside path and
 * renamed into place: a failure leaves nothing.  The PDF's title is the
 * page's title.  Errors name path.
 */
int render_profile_write(const struct render_profile *p, const char *path,
			 struct core_err *err);

#endif
