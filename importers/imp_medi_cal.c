/*
 * imp_medi_cal.c - the Medi-Cal provider listings into assets.  See
 * imp_medi_cal.h for what is imported and why.
 *
 * The shape of one import: scan the file (checksum, UTF-8), read and
 * recognise the header, load the crosswalk.  Pass 1 reads every row,
 * checks it, and gathers the rows of one site (same NPI and address) so
 * that their categories and languages can be united.  Pass 2 reads the
 * file again and writes one asset per site through the shared writer
 * (imp_asset.h), inside one transaction.  When pass 1 found rejects and
 * skip_bad is not set, pass 2 only collects the rejects for the message
 * and the workspace is never touched.
 *
 * The file is read by core_csv (memory-mapped, not through GDAL: a
 * statewide listing is about 360,000 rows of 46 columns and we read it
 * twice), with quotes as spreadsheets write them, and a quote left open
 * or a NUL byte rejecting the one row.  The reader also works on a
 * buffer in memory, which is what the fuzz target feeds.
 */
#include "importers/imp_medi_cal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/core_csv.h"
#include "core/core_hash.h"
#include "core/core_mem.h"
#include "core/core_progress.h"
#include "importers/imp_asset.h"
#include "importers/imp_geocode.h"
#include "importers/imp_xwalk.h"

/* ---------------------------------------------------------------------
 * The columns
 * ------------------------------------------------------------------ */

enum fld {
	F_OBJECTID,
	F_PROVIDER_SOURCE,
	F_PROVIDER_NUMBER,
	F_NPI,
	F_OWNER_NUMBER,
	F_SERVICE_LOCATION,
	F_LEGAL_NAME,
	F_ENROLL_DATE,
	F_TAXONOMY,
	F_NEMT,
	F_ANC,
	F_TYPE_CD,
	F_TYPE,
	F_LICENSE,
	F_SPEC_CD,
	F_SPEC,
	F_OOS_INDICATOR,
	F_IN_OUT_STATE,
	F_ATTENTION,
	F_ADDRESS,
	F_ADDRESS2,
	F_CITY,
	F_STATE,
	F_ZIP,
	F_ZIP4,
	F_DHCS_COUNTY,
	F_FIPS_COUNTY,
	F_COUNTY,
	F_PHONE,
	F_MEDICAID_PATIENTS,
	F_CHIP_PATIENTS,
	F_TELEHEALTH,
	F_WEBSITE,
	F_THRESHOLD_LANGUAGES,
	F_OTHER_LANGUAGES,
	F_ACC_EXAM_ROOM,
	F_ACC_EXTERIOR,
	F_ACC_INTERIOR,
	F_ACC_PARKING,
	F_ACC_RESTROOM,
	F_ACC_EQUIPMENT,
	F_ACC_PATIENT_AREAS,
	F_ACC_DIAGNOSTIC,
	F_LAT,
	F_LON,
	F_COUNTYNAME,
	/* Managed Care only */
	F_PLAN,
	F_SUBNETWORK,
	F_PLAN_CODE,
	F_RECORD_TYPE,
	F_FACILITY,
	F_MC_CATEGORY,
	F_PROVIDER_NAME,
	F_LANGUAGES,
	F_COUNT
};

struct ffs_col {
	const char *name;
	enum fld f;
	int old; /* also in the older header */
};

/* The current header, in its published order. */
static const struct ffs_col ffs_cols[] = {
    {"OBJECTID", F_OBJECTID, 1},
    {"Provider_Source", F_PROVIDER_SOURCE, 1},
    {"Provider_Number", F_PROVIDER_NUMBER, 1},
    {"NPI", F_NPI, 1},
    {"Owner_Number", F_OWNER_NUMBER, 1},
    {"Service_Location_Number", F_SERVICE_LOCATION, 1},
    {"Legal_Name", F_LEGAL_NAME, 1},
    {"Enroll_Status_Eff_DT", F_ENROLL_DATE, 1},
    {"Provider_Taxonomy", F_TAXONOMY, 1},
    {"NEMT_NMT_Provider_Type", F_NEMT, 0},
    {"ANC_Provider_Type", F_ANC, 1},
    {"FI_Provider_Type_CD", F_TYPE_CD, 1},
    {"FI_Provider_Type", F_TYPE, 1},
    {"Provider_License", F_LICENSE, 1},
    {"FI_Provider_Specialty_CD", F_SPEC_CD, 1},
    {"FI_Provider_Specialty", F_SPEC, 1},
    {"Out_of_State_Indicator", F_OOS_INDICATOR, 1},
    {"In_Out_State", F_IN_OUT_STATE, 1},
    {"Address_Attention", F_ATTENTION, 1},
    {"Address", F_ADDRESS, 1},
    {"Address2", F_ADDRESS2, 1},
    {"City", F_CITY, 1},
    {"State", F_STATE, 1},
    {"ZIP", F_ZIP, 1},
    {"ZIP_4", F_ZIP4, 1},
    {"DHCS_County_CD", F_DHCS_COUNTY, 1},
    {"FIPS_County_CD", F_FIPS_COUNTY, 1},
    {"County", F_COUNTY, 1},
    {"Phone_Number", F_PHONE, 0},
    {"Medicaid_Patients", F_MEDICAID_PATIENTS, 0},
    {"CHIP_Patients", F_CHIP_PATIENTS, 0},
    {"Telehealth_Services", F_TELEHEALTH, 0},
    {"Provider_Website", F_WEBSITE, 0},
    {"Threshold_Languages", F_THRESHOLD_LANGUAGES, 0},
    {"Other_Languages", F_OTHER_LANGUAGES, 0},
    {"Acc_Exam_Room", F_ACC_EXAM_ROOM, 0},
    {"Acc_Exterior_Building", F_ACC_EXTERIOR, 0},
    {"Acc_Interior_Building", F_ACC_INTERIOR, 0},
    {"Acc_Parking", F_ACC_PARKING, 0},
    {"Acc_Restroom", F_ACC_RESTROOM, 0},
    {"Acc_Medical_Equipment", F_ACC_EQUIPMENT, 0},
    {"Acc_Patient_Areas", F_ACC_PATIENT_AREAS, 0},
    {"Acc_Patient_Diagnostic", F_ACC_DIAGNOSTIC, 0},
    {"Latitude", F_LAT, 1},
    {"Longitude", F_LON, 1},
    {"CountyName", F_COUNTYNAME, 1},
};

#define NFFS	 ((int)(sizeof(ffs_cols) / sizeof(ffs_cols[0])))
#define NFFS_OLD 30

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The Managed Care listing: the confirmed columns are required (the
 * first name of each is the published one); the others are found by
 * their usual names, compared with imp_name_eq. */
struct mc_col {
	enum fld f;
	int required;
	const char *const *names;
};

static const struct mc_col mc_cols[] = {
    {F_PLAN, 1, NAMES("ManagedCarePlan")},
    {F_SUBNETWORK, 1, NAMES("SubNetwork")},
    {F_PLAN_CODE, 1, NAMES("PlanCode")},
    {F_RECORD_TYPE, 1, NAMES("RecordType")},
    {F_NPI, 1, NAMES("NPI")},
    {F_FACILITY, 1, NAMES("FacilityName")},
    {F_LAT, 1, NAMES("Latitude", "Lat", "Y")},
    {F_LON, 1, NAMES("Longitude", "Lon", "Long", "Lng", "X")},
    {F_OBJECTID, 0, NAMES("OBJECTID")},
    {F_PROVIDER_NAME, 0, NAMES("ProviderName", "FullName", "Name")},
    {F_ADDRESS, 0,
     NAMES("Address", "AddressLine1", "Address1", "StreetAddress", "Street",
	   "ServiceAddress", "SiteAddress")},
    {F_ADDRESS2, 0, NAMES("Address2", "AddressLine2", "Suite")},
    {F_CITY, 0, NAMES("City", "SiteCity", "ServiceCity")},
    {F_STATE, 0, NAMES("State", "SiteState")},
    {F_ZIP, 0, NAMES("Zip", "ZipCode", "Zip5", "PostalCode", "SiteZip")},
    {F_PHONE, 0, NAMES("Phone", "PhoneNumber", "Telephone")},
    {F_WEBSITE, 0, NAMES("Website", "URL", "ProviderWebsite")},
    {F_TAXONOMY, 0, NAMES("Taxonomy", "TaxonomyCode", "ProviderTaxonomy")},
    {F_MC_CATEGORY, 0,
     NAMES("ManagedCareProviderCategory", "MCProviderCategory",
	   "MCPProviderCategory", "ProviderCategory")},
    {F_ANC, 0, NAMES("ANCProviderType")},
    {F_SPEC, 0, NAMES("Specialty", "ProviderSpecialty")},
    {F_LICENSE, 0, NAMES("License", "LicenseNumber")},
    {F_COUNTY, 0, NAMES("County", "CountyName", "ServiceCounty")},
    {F_LANGUAGES, 0,
     NAMES("Languages", "Language", "LanguagesSpoken", "ProviderLanguages")},
    {F_TELEHEALTH, 0, NAMES("Telehealth", "TelehealthServices")},
};

#define NMC ((int)(sizeof(mc_cols) / sizeof(mc_cols[0])))

/* The Acc_* flags: column, attrs key, words in the accessibility text. */
static const struct {
	enum fld f;
	const char *key, *label;
} acc_flags[] = {
    {F_ACC_PARKING, "parking", "parking"},
    {F_ACC_EXTERIOR, "exterior_building", "building exterior"},
    {F_ACC_INTERIOR, "interior_building", "building interior"},
    {F_ACC_RESTROOM, "restroom", "restroom"},
    {F_ACC_EXAM_ROOM, "exam_room", "exam room"},
    {F_ACC_EQUIPMENT, "medical_equipment", "medical equipment"},
    {F_ACC_PATIENT_AREAS, "patient_areas", "patient areas"},
    {F_ACC_DIAGNOSTIC, "patient_diagnostic", "diagnostic areas"},
};

#define NACC ((int)(sizeof(acc_flags) / sizeof(acc_flags[0])))

const char *imp_mc_listing_format(enum imp_mc_listing l)
{
	switch (l) {
	case IMP_MC_FFS_2024:
		return "Medi-Cal FFS (2024 header)";
	case IMP_MC_FFS_OLD:
		return "Medi-Cal FFS (older header)";
	case IMP_MC_MANAGED_CARE:
		return "Medi-Cal Managed Care";
	default:
		return "unknown";
	}
}

/* ---------------------------------------------------------------------
 * Hashing and a string-keyed table
 * ------------------------------------------------------------------ */

/* ---------------------------------------------------------------------
 * The CSV reader
 * ------------------------------------------------------------------ */

/* How the listings are read: comma-separated, quotes as spreadsheets
 * write them, a lone CR ending a line, and what is wrong with a record
 * (a quote left open, a NUL byte) left to the row's checks. */
#define CSV_FLAGS                                                              \
	(CORE_CSV_SHEET_QUOTES | CORE_CSV_CR_ENDS_LINE |                       \
	 CORE_CSV_LET_UNCLOSED | CORE_CSV_LET_NUL | CORE_CSV_KEEP_BLANK |      \
	 CORE_CSV_NO_HEADER)

/* One record, copied from the reader so that its values can be trimmed
 * in place: its fields NUL-terminated one after the other in buf. */
struct rec {
	struct core_buf buf;
	size_t *off;
	size_t nf, capf;
	long line;    /* where the record starts */
	int unclosed; /* the input ended inside a quoted field */
	int nul;      /* a NUL byte was seen */
	int quoted;   /* some field was quoted */
};

static void rec_release(struct rec *c)
{
	core_buf_release(&c->buf);
	free(c->off);
	memset(c, 0, sizeof(*c));
}

static char *rec_field(const struct rec *c, size_t i)
{
	return c->buf.s + c->off[i];
}

/* The reader's current record into c. */
static void rec_take(struct rec *c, const struct core_csv *r)
{
	unsigned f = core_csv_record_flags(r);
	size_t i;

	core_buf_reset(&c->buf);
	c->nf = core_csv_nfields(r);
	xgrow((void **)&c->off, &c->capf, c->nf, sizeof(*c->off));
	for (i = 0; i < c->nf; i++) {
		c->off[i] = c->buf.len;
		core_buf_add(&c->buf, core_csv_get(r, i),
			     core_csv_get_len(r, i));
		core_buf_addc(&c->buf, '\0');
	}
	c->line = core_csv_line(r);
	c->unclosed = (f & CORE_CSV_REC_UNCLOSED) != 0;
	c->nul = (f & CORE_CSV_REC_NUL) != 0;
	c->quoted = (f & CORE_CSV_REC_QUOTED) != 0;
}

/* The next record into c: 1, or 0 at the end of the input (with
 * CSV_FLAGS the reader never fails). */
static int rec_next(struct core_csv *r, struct rec *c)
{
	struct core_err err = CORE_ERR_INIT;

	if (core_csv_next(r, &err) != 1)
		return 0;
	rec_take(c, r);
	return 1;
}

/* A record holding nothing but an empty line (or spaces). */
static int rec_blank(const struct rec *c)
{
	const char *p;

	if (c->nf != 1 || c->quoted || c->unclosed || c->nul)
		return 0;
	for (p = c->buf.s; *p == ' ' || *p == '\t'; p++)
		;
	return *p == '\0';
}

/* Trim spaces in place; returns the trimmed string. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* ---------------------------------------------------------------------
 * Recognising the header
 * ------------------------------------------------------------------ */

/* More columns than any listing has: not worth comparing every pair. */
#define MAX_COLS 500

struct map {
	enum imp_mc_listing listing;
	int col[F_COUNT]; /* column index, -1 when absent */
	int ncols;
	char **names; /* the header as written */
};

static void map_release(struct map *m)
{
	int i;

	for (i = 0; i < m->ncols; i++)
		free(m->names[i]);
	free(m->names);
	memset(m, 0, sizeof(*m));
}

/* ", a, b, c" for at most max names, then " and N more". */
static void add_names(struct core_buf *b, const char *const *v, int n, int max)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i == max) {
			core_buf_addf(b, " and %d more", n - i);
			return;
		}
		core_buf_addf(b, "%s%s", i ? ", " : "", v[i]);
	}
}

static int find_col(const struct map *m, const char *name)
{
	int i;

	for (i = 0; i < m->ncols; i++)
		if (imp_name_eq(m->names[i], name))
			return i;
	return -1;
}

/* The one separator-looking character of a single-column header. */
static char other_separator(const char *h)
{
	static const char seps[] = ";\t|:";
	const char *s;

	for (s = seps; *s; s++)
		if (strchr(h, *s))
			return *s;
	return 0;
}

static const char *sep_name(char c)
{
	switch (c) {
	case ';':
		return "';' (semicolons)";
	case '\t':
		return "tabs";
	case '|':
		return "'|' (pipes)";
	default:
		return "':' (colons)";
	}
}

/*
 * Recognise the listing from the header record h.  Fills m; on failure
 * err says which listing it looks like, what is missing and what was
 * found.
 */
static int recognise(const char *fname, struct rec *h, struct map *m,
		     struct core_err *err)
{
	const char *missing[F_COUNT + NFFS];
	int nmiss_old = 0, nnew = 0, nmc_req = 0, nmc_found = 0, i, k;
	struct core_buf b = CORE_BUF_INIT;
	int rc = CORE_EFORMAT;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < F_COUNT; i++)
		m->col[i] = -1;
	m->ncols = (int)h->nf;
	m->names = xcalloc(h->nf + 1, sizeof(char *));
	for (i = 0; i < m->ncols; i++)
		m->names[i] = xstrdup(trim(rec_field(h, (size_t)i)));

	if (h->nul)
		return core_err_set(err, CORE_EFORMAT,
				    "%s line 1: the header holds a NUL byte; "
				    "the file is not CSV text",
				    fname);
	if (m->ncols == 1 && other_separator(m->names[0]))
		return core_err_set(
		    err, CORE_EFORMAT,
		    "%s line 1: the header is one column ('%.60s%s'): the file "
		    "is separated by %s, but the Medi-Cal listings are "
		    "comma-separated; save it as 'CSV (comma delimited)' or "
		    "replace the separators with commas",
		    fname, m->names[0], strlen(m->names[0]) > 60 ? "..." : "",
		    sep_name(other_separator(m->names[0])));
	if (m->ncols > MAX_COLS)
		return core_err_set(
		    err, CORE_EFORMAT,
		    "%s line 1: the header has %d columns; a Medi-Cal listing "
		    "has a few dozen, so this is not one",
		    fname, m->ncols);
	for (i = 0; i < m->ncols; i++)
		for (k = i + 1; k < m->ncols; k++)
			if (*m->names[i] &&
			    imp_name_eq(m->names[i], m->names[k]))
				return core_err_set(
				    err, CORE_EFORMAT,
				    "%s line 1: the column '%s' appears twice "
				    "(columns %d and %d); each column must be "
				    "named once",
				    fname, m->names[i], i + 1, k + 1);

	/* The FFS listing. */
	for (i = 0; i < NFFS; i++) {
		int c = find_col(m, ffs_cols[i].name);
		m->col[ffs_cols[i].f] = c;
		if (c >= 0 && !ffs_cols[i].old)
			nnew++;
		if (c < 0 && ffs_cols[i].old)
			nmiss_old++;
	}
	if (nmiss_old == 0 && nnew == NFFS - NFFS_OLD) {
		m->listing = IMP_MC_FFS_2024;
		return CORE_OK;
	}
	if (nmiss_old == 0 && nnew == 0) {
		m->listing = IMP_MC_FFS_OLD;
		return CORE_OK;
	}
	if (nmiss_old == 0 || NFFS_OLD - nmiss_old >= 10) {
		int n = 0;
		for (i = 0; i < NFFS; i++)
			if (m->col[ffs_cols[i].f] < 0 &&
			    (ffs_cols[i].old || nnew > 0))
				missing[n++] = ffs_cols[i].name;
		core_buf_addf(&b,
			      "%s looks like the Medi-Cal FFS provider listing "
			      "(%s header) but lacks ",
			      fname, nnew > 0 ? "2024" : "older");
		add_names(&b, missing, n, 30);
		goto columns;
	}

	/* The Managed Care listing. */
	for (i = 0; i < F_COUNT; i++)
		m->col[i] = -1;
	for (i = 0; i < NMC; i++) {
		const char *const *nm;
		for (nm = mc_cols[i].names; *nm && m->col[mc_cols[i].f] < 0;
		     nm++)
			m->col[mc_cols[i].f] = find_col(m, *nm);
		if (mc_cols[i].required) {
			nmc_req++;
			if (m->col[mc_cols[i].f] >= 0)
				nmc_found++;
		}
	}
	/* Without Latitude and Longitude, an Address column is geocoded. */
	if (nmc_found == nmc_req ||
	    (m->col[F_ADDRESS] >= 0 &&
	     nmc_found + (m->col[F_LAT] < 0) + (m->col[F_LON] < 0) ==
		 nmc_req)) {
		m->listing = IMP_MC_MANAGED_CARE;
		return CORE_OK;
	}
	if (nmc_found >= 2 && m->col[F_PLAN] >= 0) {
		int n = 0;
		for (i = 0; i < NMC; i++)
			if (mc_cols[i].required && m->col[mc_cols[i].f] < 0)
				missing[n++] = mc_cols[i].names[0];
		core_buf_addf(&b,
			      "%s looks like the Medi-Cal Managed Care "
			      "provider listing but lacks ",
			      fname);
		add_names(&b, missing, n, 30);
		if (m->col[F_LAT] < 0 || m->col[F_LON] < 0)
			core_buf_adds(&b, " (the rows need coordinates, or an "
					  "Address column to geocode)");
		goto columns;
	}

	/* Neither. */
	{
		int n = 0;
		for (i = 0; i < NFFS; i++)
			if (ffs_cols[i].old)
				missing[n++] = ffs_cols[i].name;
		core_buf_addf(&b,
			      "%s is not a Medi-Cal provider listing: it has "
			      "neither the FFS listing's columns (",
			      fname);
		add_names(&b, missing, n, 8);
		core_buf_adds(&b, ") nor the Managed Care listing's (");
		n = 0;
		for (i = 0; i < NMC; i++)
			if (mc_cols[i].required)
				missing[n++] = mc_cols[i].names[0];
		add_names(&b, missing, n, 10);
		core_buf_adds(&b, ")");
	}
columns:
	core_buf_addf(&b, "; the file has %d column%s: ", m->ncols,
		      m->ncols == 1 ? "" : "s");
	add_names(&b, (const char *const *)m->names, m->ncols, 50);
	core_err_set(err, rc, "%s", core_buf_str(&b));
	core_buf_release(&b);
	return rc;
}

/* ---------------------------------------------------------------------
 * Languages
 * ------------------------------------------------------------------ */

/* Names as the listings write them, lower case letters only.  Codes:
 * ISO 639-1 where one exists, else ISO 639-2 (three letters). */
static const struct lang {
	const char *name, *code;
} lang_names[] = {
    {"albanian", "sq"},
    {"americansignlanguage", "sgn"},
    {"amharic", "am"},
    {"arabic", "ar"},
    {"armenian", "hy"},
    {"asl", "sgn"},
    {"bangla", "bn"},
    {"bengali", "bn"},
    {"bosnian", "bs"},
    {"burmese", "my"},
    {"cambodian", "km"},
    {"cantonese", "zh"},
    {"cebuano", "ceb"},
    {"chinese", "zh"},
    {"croatian", "hr"},
    {"czech", "cs"},
    {"danish", "da"},
    {"dari", "fa"},
    {"dutch", "nl"},
    {"easternarmenian", "hy"},
    {"english", "en"},
    {"englishonly", "en"},
    {"farsi", "fa"},
    {"filipino", "fil"},
    {"finnish", "fi"},
    {"french", "fr"},
    {"georgian", "ka"},
    {"german", "de"},
    {"greek", "el"},
    {"gujarati", "gu"},
    {"haitian", "ht"},
    {"haitiancreole", "ht"},
    {"hausa", "ha"},
    {"hebrew", "he"},
    {"hindi", "hi"},
    {"hmong", "hmn"},
    {"hungarian", "hu"},
    {"igbo", "ig"},
    {"ilocano", "ilo"},
    {"ilokano", "ilo"},
    {"indonesian", "id"},
    {"italian", "it"},
    {"japanese", "ja"},
    {"kannada", "kn"},
    {"khmer", "km"},
    {"korean", "ko"},
    {"lao", "lo"},
    {"laotian", "lo"},
    {"malay", "ms"},
    {"malayalam", "ml"},
    {"mandarin", "zh"},
    {"marathi", "mr"},
    {"mongolian", "mn"},
    {"nepali", "ne"},
    {"norwegian", "no"},
    {"oromo", "om"},
    {"otherchinese", "zh"},
    {"panjabi", "pa"},
    {"pashto", "ps"},
    {"persian", "fa"},
    {"polish", "pl"},
    {"portuguese", "pt"},
    {"punjabi", "pa"},
    {"romanian", "ro"},
    {"russian", "ru"},
    {"samoan", "sm"},
    {"serbian", "sr"},
    {"signlanguage", "sgn"},
    {"sinhala", "si"},
    {"sinhalese", "si"},
    {"somali", "so"},
    {"spanish", "es"},
    {"swahili", "sw"},
    {"swedish", "sv"},
    {"tagalog", "tl"},
    {"taishanese", "zh"},
    {"tamil", "ta"},
    {"telugu", "te"},
    {"thai", "th"},
    {"tigrinya", "ti"},
    {"toishanese", "zh"},
    {"tongan", "to"},
    {"turkish", "tr"},
    {"ukrainian", "uk"},
    {"urdu", "ur"},
    {"vietnamese", "vi"},
    {"westernarmenian", "hy"},
    {"yoruba", "yo"},
    {"zapotec", "zap"},
};

#define NLANG_NAMES (sizeof(lang_names) / sizeof(lang_names[0]))

/* Values that say "no language" rather than naming one. */
static const char *const lang_none[] = {
    "none", "na", "n", "no", "unknown", "other", "notapplicable", NULL};

#define MAX_CODES 128
static const char *lang_codes[MAX_CODES];
static int nlang_codes;
static unsigned char lang_code_of[NLANG_NAMES];

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct codes in alphabetical order (so a site's languages are
 * listed that way), and each name's code index. */
static void langs_init(void)
{
	size_t i;
	int k;

	if (nlang_codes)
		return;
	/* lang_lookup searches the names by bisection. */
	for (i = 1; i < NLANG_NAMES; i++)
		if (strcmp(lang_names[i - 1].name, lang_names[i].name) >= 0)
			abort();
	for (i = 0; i < NLANG_NAMES; i++) {
		for (k = 0; k < nlang_codes; k++)
			if (strcmp(lang_codes[k], lang_names[i].code) == 0)
				break;
		if (k == nlang_codes && nlang_codes < MAX_CODES)
			lang_codes[nlang_codes++] = lang_names[i].code;
	}
	qsort(lang_codes, (size_t)nlang_codes, sizeof(*lang_codes), cmp_str);
	for (i = 0; i < NLANG_NAMES; i++)
		for (k = 0; k < nlang_codes; k++)
			if (strcmp(lang_codes[k], lang_names[i].code) == 0)
				lang_code_of[i] = (unsigned char)k;
}

/* Lower-case letters of s[0..n) into out (size outsz); 0 if too long. */
static int letters(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalpha(c) || c >= 0x80)
			continue;
		if (k + 1 >= outsz)
			return 0;
		out[k++] = (char)tolower(c);
	}
	out[k] = '\0';
	return 1;
}

/* Index into lang_codes of the name s[0..n): >= 0, -1 unknown, -2 a
 * "none" word or nothing at all. */
static int lang_lookup(const char *s, size_t n)
{
	char key[48];
	size_t lo = 0, hi = NLANG_NAMES;
	int k;

	if (!letters(s, n, key, sizeof(key)))
		return -1;
	if (!*key)
		return -2;
	for (k = 0; lang_none[k]; k++)
		if (strcmp(key, lang_none[k]) == 0)
			return -2;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(key, lang_names[mid].name);
		if (c == 0)
			return lang_code_of[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	/* A code itself: "es", "hmn". */
	for (k = 0; k < nlang_codes; k++)
		if (strcmp(key, lang_codes[k]) == 0)
			return k;
	return -1;
}

const char *imp_mc_language_code(const char *name)
{
	int k;
	const char *open;

	langs_init();
	k = lang_lookup(name, strlen(name));
	if (k == -1 && (open = strchr(name, '('))) {
		k = lang_lookup(name, (size_t)(open - name));
		if (k < 0)
			k = lang_lookup(open + 1, strcspn(open + 1, ")"));
	}
	return k >= 0 ? lang_codes[k] : NULL;
}

struct langset {
	uint64_t bits[MAX_CODES / 64];
};

/* Callback for a name we do not know. */
typedef void (*unknown_fn)(void *ud, const char *name, size_t n);

/* One item of a language list: "Spanish", "Chinese (Cantonese)". */
static void lang_item(const char *s, size_t n, struct langset *ls,
		      unknown_fn unk, void *ud)
{
	const char *open;
	int k;

	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n)
		return;
	k = lang_lookup(s, n);
	if (k == -1 && (open = memchr(s, '(', n))) {
		/* "Chinese (Cantonese, Mandarin)": the name before the
		 * parenthesis, else each inside it. */
		const char *p = open + 1, *end = s + n;
		k = lang_lookup(s, (size_t)(open - s));
		if (k < 0) {
			while (p < end && *p != ')') {
				size_t m = strcspn(p, ",;/)");
				int j;
				if (p + m > end)
					m = (size_t)(end - p);
				j = lang_lookup(p, m);
				if (j >= 0) {
					ls->bits[j / 64] |= 1ULL << (j % 64);
					k = -2;
				}
				p += m;
				if (p < end && *p != ')')
					p++;
			}
		}
	}
	if (k >= 0)
		ls->bits[k / 64] |= 1ULL << (k % 64);
	else if (k == -1 && unk)
		unk(ud, s, n);
}

/* A list of languages separated by ',', ';', '/', '|', newlines or the
 * word "and"; separators inside parentheses do not split. */
static void langs_parse(const char *s, struct langset *ls, unknown_fn unk,
			void *ud)
{
	const char *start = s, *p;
	int depth = 0;

	langs_init();
	for (p = s;; p++) {
		int cut = 0, skip = 1;
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth)
			depth--;
		if (!*p)
			cut = 1;
		else if (!depth && strchr(",;/|\n", *p))
			cut = 1;
		else if (!depth && (p == s || isspace((unsigned char)p[-1])) &&
			 strncasecmp(p, "and", 3) == 0 &&
			 isspace((unsigned char)p[3]) && p > s) {
			cut = 1;
			skip = 3;
		}
		if (!cut)
			continue;
		lang_item(start, (size_t)(p - start), ls, unk, ud);
		if (!*p)
			break;
		p += skip - 1;
		start = p + 1;
	}
}

static void langs_join(const struct langset *ls, struct core_buf *b)
{
	int k;

	core_buf_reset(b);
	for (k = 0; k < nlang_codes; k++)
		if (ls->bits[k / 64] >> (k % 64) & 1) {
			if (b->len)
				core_buf_addc(b, ',');
			core_buf_adds(b, lang_codes[k]);
		}
}

/* ---------------------------------------------------------------------
 * The crosswalk
 * ------------------------------------------------------------------ */

enum voc { V_TYPE, V_SPEC, V_ANC, V_NEMT, V_MC_CATEGORY, V_COUNT };

static const char *const voc_names[V_COUNT] = {
    "medi_cal_provider_type", "medi_cal_specialty", "medi_cal_anc_type",
    "medi_cal_nemt_type", "medi_cal_mc_category"};

/*
 * The crosswalk (imp_xwalk.h) with a memo: a statewide file has a few
 * hundred distinct terms in well over a million cells, so each distinct
 * term is matched once, and kept as bit sets over the workspace's
 * categories and programs to unite the rows of one site cheaply.
 */
struct xwalk {
	struct imp_xwalk *x;
	struct core_strmap memo; /* "v\x1fterm" -> entry */
	struct memo {
		int n; /* crosswalk rows matched; 0: unknown */
		struct imp_xwalk_hits hits;
	} * ent;
	size_t nent, capent;
	uint64_t *bits; /* entry e: words [e*nw, (e+1)*nw) */
	size_t capbits;
	char **cats; /* the workspace's categories, in order */
	size_t ncats;
	char **progs;
	size_t nprogs;
	size_t ncw, nw; /* words for categories; for both */
	struct core_buf key, term;
};

static void xwalk_release(struct xwalk *w)
{
	size_t i;

	imp_xwalk_free(w->x);
	core_strmap_release(&w->memo);
	free(w->ent);
	free(w->bits);
	for (i = 0; i < w->ncats; i++)
		free(w->cats[i]);
	for (i = 0; i < w->nprogs; i++)
		free(w->progs[i]);
	free(w->cats);
	free(w->progs);
	core_buf_release(&w->key);
	core_buf_release(&w->term);
	memset(w, 0, sizeof(*w));
}

/*
 * The term of a cell as the crosswalk writes it, into b: trimmed;
 * provider type codes of one or two digits zero-padded to three (a
 * spreadsheet dropped the zeros); the specialty table's blank cell and
 * '-' as '(blank)' and '(dash)', since the crosswalk matches words.
 */
static void term_text(enum voc v, const char *t, struct core_buf *b)
{
	size_t n;

	core_buf_reset(b);
	while (isspace((unsigned char)*t))
		t++;
	n = strlen(t);
	while (n && isspace((unsigned char)t[n - 1]))
		n--;
	if (v == V_TYPE && n >= 1 && n <= 2 && isdigit((unsigned char)t[0]) &&
	    isdigit((unsigned char)t[n - 1]))
		core_buf_adds(b, n == 1 ? "00" : "0");
	if (v == V_SPEC && n == 0)
		core_buf_adds(b, "(blank)");
	else if (v == V_SPEC && n == 1 && *t == '-')
		core_buf_adds(b, "(dash)");
	else
		core_buf_add(b, t, n);
}

static int load_codes(struct core_ws *ws, const char *sql, char ***out,
		      size_t *n, struct core_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((rc = core_ws_prepare(ws, err, &st, sql)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)out, &cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] =
		    xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return core_ws_dberr(ws, err, "reading the taxonomy");
	return CORE_OK;
}

static int code_index(char **v, size_t n, const char *code)
{
	size_t i;

	for (i = 0; code && i < n; i++)
		if (strcmp(v[i], code) == 0)
			return (int)i;
	return -1;
}

static int xwalk_load(struct core_ws *ws, struct xwalk *w, struct core_err *err)
{
	int rc;

	memset(w, 0, sizeof(*w));
	if ((rc = load_codes(ws,
			     "SELECT code FROM categories ORDER BY sort, code",
			     &w->cats, &w->ncats, err)) ||
	    (rc =
		 load_codes(ws, "SELECT code FROM programs ORDER BY sort, code",
			    &w->progs, &w->nprogs, err)))
		return rc;
	w->ncw = (w->ncats + 63) / 64;
	w->nw = w->ncw + (w->nprogs + 63) / 64;
	if (w->nw == 0)
		w->nw = 1;
	return imp_xwalk_new(ws, &w->x, err);
}

/* The memo entry of a cell's term (matched on first sight); w->term
 * holds the term as matched. */
static int32_t xwalk_find(struct xwalk *w, enum voc v, const char *cell)
{
	struct memo *m;
	uint64_t *bits;
	int32_t e;
	size_t i;

	term_text(v, cell, &w->term);
	core_buf_reset(&w->key);
	core_buf_addc(&w->key, (char)('0' + v));
	core_buf_addc(&w->key, '\x1f');
	core_buf_add(&w->key, w->term.s, w->term.len);
	e = core_strmap_get(&w->memo, w->key.s, w->key.len);
	if (e >= 0)
		return e;
	e = (int32_t)w->nent;
	xgrow((void **)&w->ent, &w->capent, w->nent + 1, sizeof(*w->ent));
	xgrow((void **)&w->bits, &w->capbits, (w->nent + 1) * w->nw,
	      sizeof(*w->bits));
	w->nent++;
	m = &w->ent[e];
	bits = w->bits + (size_t)e * w->nw;
	memset(bits, 0, w->nw * sizeof(*bits));
	imp_xwalk_hits_clear(&m->hits);
	m->n = imp_xwalk_match(w->x, voc_names[v], w->term.s, &m->hits);
	for (i = 0; i < m->hits.ncategories; i++) {
		int c = code_index(w->cats, w->ncats, m->hits.categories[i]);
		if (c >= 0)
			bits[c / 64] |= 1ULL << (c % 64);
	}
	for (i = 0; i < m->hits.nprograms; i++) {
		int p = code_index(w->progs, w->nprogs, m->hits.programs[i]);
		if (p >= 0)
			bits[w->ncw + (size_t)p / 64] |= 1ULL << (p % 64);
	}
	core_strmap_put(&w->memo, w->key.s, w->key.len, e);
	return e;
}

/* ---------------------------------------------------------------------
 * Rows
 * ------------------------------------------------------------------ */

/* Why a row is rejected. */
struct problem {
	const char *field; /* a column name, NULL: the whole row */
	const char *value; /* NULL: nothing to quote */
	char why[600];
	int no_coords;
	int fatal; /* not the row's fault: the geocoder could not be loaded
		    * (err set); the import stops */
};

struct row {
	const char *v[F_COUNT]; /* trimmed values, "" when absent */
	double lat, lon;
	const char *quality; /* assets.location_quality */
	const char *name;
	long line;
};

static const char *colname(const struct map *m, enum fld f, const char *dflt)
{
	return m->col[f] >= 0 ? m->names[m->col[f]] : dflt;
}

static int set_problem(struct problem *p, const char *field, const char *value,
		       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int set_problem(struct problem *p, const char *field, const char *value,
		       const char *fmt, ...)
{
	va_list ap;

	p->field = field;
	p->value = value;
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
	return 0;
}

/* California with a margin of about 50 km. */
#define CA_LON_MIN -124.9
#define CA_LON_MAX -113.6
#define CA_LAT_MIN 32.0
#define CA_LAT_MAX 42.5

static int in_california(double lon, double lat)
{
	return lon >= CA_LON_MIN && lon <= CA_LON_MAX && lat >= CA_LAT_MIN &&
	       lat <= CA_LAT_MAX;
}

/*
 * Place row r, which has no coordinates, at its Address (with City,
 * State and ZIP) through gc: 1 with r->lon, r->lat and r->quality set;
 * else 0 with p saying why (p->no_coords set; p->fatal with err set
 * when the geocoder could not be loaded).
 */
static int geocode_row(const struct map *m, struct row *r, struct problem *p,
		       struct imp_gc *gc, struct core_err *err)
{
	struct imp_gc_place pl;
	char why[512];
	int rc;

	p->no_coords = 1;
	if ((rc = imp_gc_place(gc, r->v[F_ADDRESS], r->v[F_CITY], r->v[F_STATE],
			       r->v[F_ZIP], &pl, err))) {
		p->fatal = rc;
		return set_problem(p, NULL, NULL, "%s", err->msg);
	}
	if (pl.level == GEO_GC_NONE)
		return set_problem(p, colname(m, F_ADDRESS, "Address"),
				   r->v[F_ADDRESS], "%s",
				   imp_gc_reject_why(&pl, 0, why, sizeof(why)));
	r->lon = pl.lon;
	r->lat = pl.lat;
	r->quality = geo_gc_level_name(pl.level);
	return 1;
}

/*
 * Read row r's latitude and longitude (columns as m maps them) into
 * r->lat and r->lon: 1 when both are numbers in range, and inside
 * California when the row's state is CA.  A row without coordinates
 * (both empty, or both 0) that has an Address is placed by gc instead
 * (geocode_row).  Otherwise 0, with p saying which field is wrong and
 * why (p->no_coords set when the row has no coordinates, or both are 0).
 */
static int coordinates(const struct map *m, struct row *r, struct problem *p,
		       struct imp_gc *gc, struct core_err *err)
{
	const char *lat_text = r->v[F_LAT], *lon_text = r->v[F_LON];
	const char *lat_name = colname(m, F_LAT, "Latitude");
	const char *lon_name = colname(m, F_LON, "Longitude");
	double lat = 0, lon = 0;

	r->quality = "coordinates";
	if ((!*lat_text && !*lon_text) ||
	    (imp_parse_number(lat_text, &lat) &&
	     imp_parse_number(lon_text, &lon) && lat == 0 && lon == 0)) {
		if (*r->v[F_ADDRESS])
			return geocode_row(m, r, p, gc, err);
		p->no_coords = 1;
		return set_problem(
		    p, lat_name, *lat_text ? lat_text : NULL,
		    "%s: the row has no coordinates (%s and %s are %s) and no "
		    "address to geocode, so give --skip-bad to import the "
		    "rows that have them",
		    *lat_text ? "is 0" : "has no value", lat_name, lon_name,
		    *lat_text ? "0, which means not geocoded" : "empty");
	}
	if (!*lat_text)
		return set_problem(p, lat_name, NULL,
				   "has no value; every asset needs a latitude "
				   "(decimal degrees, e.g. 37.7749)");
	if (!*lon_text)
		return set_problem(
		    p, lon_name, NULL,
		    "has no value; every asset needs a longitude (decimal "
		    "degrees, e.g. -122.4194)");
	if (!imp_parse_number(lat_text, &lat))
		return set_problem(p, lat_name, lat_text,
				   "is not a number; latitude must be decimal "
				   "degrees between -90 and 90, e.g. 37.7749");
	if (!imp_parse_number(lon_text, &lon))
		return set_problem(
		    p, lon_name, lon_text,
		    "is not a number; longitude must be decimal degrees "
		    "between -180 and 180, e.g. -122.4194");
	if (lat < -90 || lat > 90)
		return set_problem(
		    p, lat_name, lat_text,
		    "is out of range; latitude must be between -90 and 90%s",
		    fabs(lat) <= 180 && fabs(lon) <= 90
			? " (are Latitude and Longitude swapped?)"
			: "");
	if (lon < -180 || lon > 180)
		return set_problem(
		    p, lon_name, lon_text,
		    "is out of range; longitude must be between -180 and 180");
	if (strcasecmp(r->v[F_STATE], "CA") == 0 && !in_california(lon, lat)) {
		int lon_off = lon < CA_LON_MIN || lon > CA_LON_MAX;
		return set_problem(
		    p, lon_off ? lon_name : lat_name,
		    lon_off ? lon_text : lat_text,
		    "is outside California (longitude %g to %g, latitude %g to "
		    "%g) but the address is in CA; %s",
		    CA_LON_MIN, CA_LON_MAX, CA_LAT_MIN, CA_LAT_MAX,
		    in_california(-fabs(lon), lat)
			? "is the minus sign of the longitude missing?"
		    : in_california(lat, lon)
			? "are Latitude and Longitude swapped?"
			: "fix the coordinates or the address");
	}
	r->lat = lat;
	r->lon = lon;
	return 1;
}

/*
 * Check record c against the header and fill r: 1 when the row can be
 * imported, 0 with p set when it must be rejected (or, p->fatal, when
 * the import must stop: the geocoder gc could not be loaded, err set).
 * Values in c are trimmed in place.
 */
static int row_check(const struct map *m, struct rec *c, struct row *r,
		     struct problem *p, struct imp_gc *gc, struct core_err *err)
{
	static const char empty[] = "";
	const char *npi;
	int i;

	memset(p, 0, sizeof(*p));
	r->line = c->line;
	if (c->unclosed)
		return set_problem(
		    p, NULL, NULL,
		    "a quoted field starts here and is never closed before the "
		    "end of the file; is the file cut short?");
	if ((int)c->nf != m->ncols)
		return set_problem(
		    p, NULL, NULL, "has %zu field%s but the header has %d; %s",
		    c->nf, c->nf == 1 ? "" : "s", m->ncols,
		    (int)c->nf < m->ncols ? "is the row cut short, or a "
					    "field's quotes unbalanced?"
					  : "is a comma inside a field without "
					    "quotes around it?");
	if (c->nul)
		return set_problem(
		    p, NULL, NULL,
		    "holds a NUL byte; the file is not CSV text");
	for (i = 0; i < F_COUNT; i++)
		r->v[i] = m->col[i] >= 0 ? trim(rec_field(c, (size_t)m->col[i]))
					 : empty;
	if (m->listing == IMP_MC_MANAGED_CARE) {
		r->name = *r->v[F_FACILITY] ? r->v[F_FACILITY]
					    : r->v[F_PROVIDER_NAME];
		if (!*r->name)
			return set_problem(
			    p, colname(m, F_FACILITY, "FacilityName"), NULL,
			    "has no value; every asset needs a name");
	} else {
		r->name = r->v[F_LEGAL_NAME];
		if (!*r->name)
			return set_problem(
			    p, colname(m, F_LEGAL_NAME, "Legal_Name"), NULL,
			    "has no value; every asset needs a name");
	}
	npi = r->v[F_NPI];
	if (*npi) {
		size_t k;
		for (k = 0; npi[k] && isdigit((unsigned char)npi[k]); k++)
			;
		if (k != 10 || npi[k])
			return set_problem(
			    p, colname(m, F_NPI, "NPI"), npi,
			    "is not an NPI; a National Provider Identifier is "
			    "10 digits (leave it empty when there is none)");
	}
	return coordinates(m, r, p, gc, err);
}

/* The terms of a row, per vocabulary; NULL when the row has none. */
static void row_terms(const struct map *m, const struct row *r,
		      const char *t[V_COUNT])
{
	memset(t, 0, V_COUNT * sizeof(*t));
	if (m->listing != IMP_MC_MANAGED_CARE) {
		t[V_TYPE] = *r->v[F_TYPE_CD] ? r->v[F_TYPE_CD] : "(blank)";
		t[V_SPEC] = *r->v[F_SPEC_CD] ? r->v[F_SPEC_CD] : "(blank)";
	}
	if (*r->v[F_ANC])
		t[V_ANC] = r->v[F_ANC];
	if (*r->v[F_NEMT])
		t[V_NEMT] = r->v[F_NEMT];
	if (*r->v[F_MC_CATEGORY])
		t[V_MC_CATEGORY] = r->v[F_MC_CATEGORY];
}

/* The key of "one site": NPI, then address, address 2 and the 5-digit
 * ZIP with only their letters (lower case) and digits.  0 when the row
 * has no NPI: never folded. */
static int site_key(const struct row *r, struct core_buf *b)
{
	const char *parts[3];
	int i;

	if (!*r->v[F_NPI])
		return 0;
	core_buf_reset(b);
	core_buf_adds(b, r->v[F_NPI]);
	parts[0] = r->v[F_ADDRESS];
	parts[1] = r->v[F_ADDRESS2];
	parts[2] = r->v[F_ZIP];
	for (i = 0; i < 3; i++) {
		const char *p;
		int n = 0;
		core_buf_addc(b, '|');
		for (p = parts[i]; *p && (i < 2 || n < 5); p++) {
			if (isalnum((unsigned char)*p)) {
				core_buf_addc(b,
					      (char)tolower((unsigned char)*p));
				n++;
			}
		}
	}
	return 1;
}

/* ---------------------------------------------------------------------
 * JSON
 * ------------------------------------------------------------------ */

static void json_str(struct core_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	core_buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[6] = {'\\', 'u', '0', '0', 0, 0};
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		core_buf_add(b, run, (size_t)(s - run));
		run = s + 1;
		if (c >= 0x20) {
			esc[1] = (char)c;
			core_buf_add(b, esc, 2);
		} else {
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			core_buf_add(b, esc, 6);
		}
	}
	core_buf_add(b, run, (size_t)(s - run));
	core_buf_addc(b, '"');
}

/* k is one of our keys (plain ASCII, nothing to escape): one copy. */
static void json_key(struct core_buf *b, const char *k)
{
	char tmp[64];
	size_t n = strlen(k);

	if (n + 4 > sizeof(tmp)) {
		core_buf_addc(b, b->len ? ',' : '{');
		json_str(b, k);
		core_buf_addc(b, ':');
		return;
	}
	tmp[0] = b->len ? ',' : '{';
	tmp[1] = '"';
	memcpy(tmp + 2, k, n);
	tmp[n + 2] = '"';
	tmp[n + 3] = ':';
	core_buf_add(b, tmp, n + 4);
}

static void json_kv(struct core_buf *b, const char *k, const char *v)
{
	if (!v || !*v)
		return;
	json_key(b, k);
	json_str(b, v);
}

/* ---------------------------------------------------------------------
 * The import
 * ------------------------------------------------------------------ */

/* Rows of one site (same NPI and address). */
struct site {
	long first_line;
	struct langset langs;
	uint32_t bits; /* offset of its category/program words */
};

/* A term the crosswalk does not know, a language name we do not know,
 * or a flag that is not yes/no. */
struct seen {
	int voc;       /* enum voc, or -1 a language, -2 a flag */
	char *term;    /* as first written */
	char *vocname; /* for flags: the column's name */
	int64_t rows;
};

struct job {
	struct core_ws *ws;
	const struct imp_medi_cal_opts *o;
	struct imp_source *src;
	struct imp_medi_cal_stats *stats;
	struct core_err *err;
	struct core_csv *csv;
	struct rec rec;
	struct map map;
	struct xwalk xw;
	struct imp_gc gc; /* rows without coordinates, placed by address */
	int64_t size;
	/* pass 1 */
	struct core_strmap sites;
	struct site *site;
	size_t nsites, capsites;
	uint64_t *sitebits;
	size_t nsitebits, capsitebits;
	int64_t p1_rejected, p1_accepted;
	/* pass 2 */
	struct core_strmap seen_map;
	struct seen *seen;
	size_t nseen, capseen;
	int64_t *per_cat;
	struct imp_asset_writer *w;
	struct core_buf key, attrs, acc, langs, addr, desc, skey, srckey, geoid;
	const char **catv, **progv;
	uint64_t *rowbits;
	struct core_progress prog;
	char *label;
	int counting; /* pass 2: count terms */
};

/* Count a term: key is its normalized form, term[0..n) as written. */
static void seen_add(struct job *j, int voc, const char *vocname,
		     const char *key, const char *term, size_t n)
{
	int32_t k;

	core_buf_reset(&j->skey);
	core_buf_addf(&j->skey, "%d:%s\x1f", voc, vocname ? vocname : "");
	core_buf_adds(&j->skey, key);
	k = core_strmap_put(&j->seen_map, j->skey.s, j->skey.len,
			    (int32_t)j->nseen);
	if ((size_t)k == j->nseen) {
		struct seen *s;
		xgrow((void **)&j->seen, &j->capseen, j->nseen + 1,
		      sizeof(*j->seen));
		s = &j->seen[j->nseen++];
		memset(s, 0, sizeof(*s));
		s->voc = voc;
		s->term = xmalloc(n + 1);
		memcpy(s->term, term, n);
		s->term[n] = '\0';
		s->vocname = vocname ? xstrdup(vocname) : NULL;
	}
	j->seen[k].rows++;
}

static void unknown_language(void *ud, const char *name, size_t n)
{
	struct job *j = ud;

	if (j->counting) {
		char *k = xmalloc(n + 1);
		size_t i;
		for (i = 0; i < n; i++)
			k[i] = (char)tolower((unsigned char)name[i]);
		k[n] = '\0';
		seen_add(j, -1, NULL, k, name, n);
		free(k);
	}
}

/* OR the row's crosswalk bits into w (xw.nw words); in pass 2 the
 * terms are also tallied (source_terms) and the unknown ones counted. */
static void row_bits(struct job *j, const struct row *r, uint64_t *w)
{
	struct xwalk *xw = &j->xw;
	const char *t[V_COUNT];
	int v;

	row_terms(&j->map, r, t);
	for (v = 0; v < V_COUNT; v++) {
		const uint64_t *eb;
		int32_t e;
		size_t k;
		if (!t[v])
			continue;
		e = xwalk_find(xw, (enum voc)v, t[v]);
		eb = xw->bits + (size_t)e * xw->nw;
		for (k = 0; k < xw->nw; k++)
			w[k] |= eb[k];
		if (!j->counting)
			continue;
		imp_xwalk_note(xw->x, voc_names[v], xw->term.s,
			       &xw->ent[e].hits);
		if (!xw->ent[e].n)
			seen_add(j, v, NULL, xw->term.s, xw->term.s,
				 xw->term.len);
	}
}

static void row_langs(struct job *j, const struct row *r, struct langset *ls)
{
	memset(ls, 0, sizeof(*ls));
	langs_parse(r->v[F_THRESHOLD_LANGUAGES], ls, unknown_language, j);
	langs_parse(r->v[F_OTHER_LANGUAGES], ls, unknown_language, j);
	langs_parse(r->v[F_LANGUAGES], ls, unknown_language, j);
}

/* A yes/no value (already trimmed), as imp_parse_bool reads it but
 * without allocating: 1, 0, -1 when empty, -2 for anything else. */
static int yesno(const char *s)
{
	static const char *const yes[] = {"y", "yes", "true", "t", "1"};
	static const char *const no[] = {"n", "no", "false", "f", "0"};
	size_t i;

	if (!*s)
		return -1;
	if (strlen(s) > 5)
		return -2;
	for (i = 0; i < 5; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -2;
}

/* The row's yes/no columns, read once. */
struct flags {
	int acc[NACC];
	int tele, medicaid, chip;
};

static int flag(struct job *j, const struct row *r, enum fld f)
{
	const char *s = r->v[f];
	int v = yesno(s);

	if (v == -2 && j->counting)
		seen_add(j, -2, colname(&j->map, f, "?"), s, s, strlen(s));
	return v;
}

static void read_flags(struct job *j, const struct row *r, struct flags *fl)
{
	int k;

	for (k = 0; k < NACC; k++)
		fl->acc[k] = flag(j, r, acc_flags[k].f);
	fl->tele = flag(j, r, F_TELEHEALTH);
	fl->medicaid = flag(j, r, F_MEDICAID_PATIENTS);
	fl->chip = flag(j, r, F_CHIP_PATIENTS);
}

/* The county GEOID from FIPS_County_CD: '075', '6075' or '06075'. */
static const char *county_geoid(struct job *j, const char *fips)
{
	size_t n = strlen(fips), i;

	if (n == 0 || n > 5)
		return NULL;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)fips[i]))
			return NULL;
	core_buf_reset(&j->geoid);
	if (n <= 3) {
		/* a county code alone: California's state code first */
		core_buf_adds(&j->geoid, "06");
		core_buf_add(&j->geoid, "000", 3 - n);
	} else {
		core_buf_add(&j->geoid, "0", 5 - n);
	}
	core_buf_add(&j->geoid, fips, n);
	return j->geoid.s;
}

/* A flag as JSON: true, false, or the text when it is neither. */
static void json_flag(struct core_buf *b, int v, const char *text)
{
	if (v >= 0)
		core_buf_adds(b, v ? "true" : "false");
	else
		json_str(b, text);
}

/* Row r's other fields as one JSON object into j->attrs (replacing what it
 * held): the listing, the plain fields by key, the county GEOID, and the
 * flags fl read (Medicaid, CHIP, telehealth text, accessibility). */
static void build_attrs(struct job *j, const struct row *r,
			const struct flags *fl)
{
	const struct map *m = &j->map;
	struct core_buf *b = &j->attrs;
	static const struct {
		enum fld f;
		const char *key;
	} plain[] = {
	    {F_PROVIDER_NUMBER, "provider_number"},
	    {F_OWNER_NUMBER, "owner_number"},
	    {F_SERVICE_LOCATION, "service_location_number"},
	    {F_PROVIDER_SOURCE, "provider_source"},
	    {F_TYPE_CD, "provider_type"},
	    {F_SPEC_CD, "specialty"},
	    {F_TAXONOMY, "taxonomy"},
	    {F_LICENSE, "license"},
	    {F_ANC, "anc_provider_type"},
	    {F_NEMT, "nemt_provider_type"},
	    {F_ENROLL_DATE, "enrolled"},
	    {F_ATTENTION, "address_attention"},
	    {F_ZIP4, "zip4"},
	    {F_DHCS_COUNTY, "dhcs_county"},
	    {F_COUNTY, "county"},
	    {F_IN_OUT_STATE, "in_out_state"},
	    {F_PLAN, "managed_care_plan"},
	    {F_SUBNETWORK, "subnetwork"},
	    {F_PLAN_CODE, "plan_code"},
	    {F_RECORD_TYPE, "record_type"},
	    {F_MC_CATEGORY, "provider_category"},
	    {F_PROVIDER_NAME, "provider_name"},
	};
	size_t i;
	int k, any = 0;
	const char *g;

	core_buf_reset(b);
	json_kv(b, "listing",
		m->listing == IMP_MC_MANAGED_CARE ? "managed_care" : "ffs");
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		json_kv(b, plain[i].key, r->v[plain[i].f]);
	if ((g = county_geoid(j, r->v[F_FIPS_COUNTY])))
		json_kv(b, "county_geoid", g);
	if (fl->medicaid != -1) {
		json_key(b, "medicaid_patients");
		json_flag(b, fl->medicaid, r->v[F_MEDICAID_PATIENTS]);
	}
	if (fl->chip != -1) {
		json_key(b, "chip_patients");
		json_flag(b, fl->chip, r->v[F_CHIP_PATIENTS]);
	}
	if (fl->tele == -2)
		json_kv(b, "telehealth_value", r->v[F_TELEHEALTH]);
	for (k = 0; k < NACC; k++) {
		if (fl->acc[k] == -1)
			continue;
		if (!any)
			json_key(b, "accessibility");
		core_buf_addc(b, any ? ',' : '{');
		any = 1;
		json_str(b, acc_flags[k].key);
		core_buf_addc(b, ':');
		json_flag(b, fl->acc[k], r->v[acc_flags[k].f]);
	}
	if (any)
		core_buf_addc(b, '}');
	core_buf_addc(b, '}');
}

/* "accessible: parking, restroom; not accessible: exam room" from the
 * Acc_* flags (other values as "label: value"); NULL when none is set. */
static const char *build_access(struct job *j, const struct row *r,
				const struct flags *fl)
{
	struct core_buf *b = &j->acc;
	int pass, k, n;

	core_buf_reset(b);
	for (pass = 1; pass >= -2; pass--) {
		if (pass == -1)
			continue;
		n = 0;
		for (k = 0; k < NACC; k++) {
			if (fl->acc[k] != pass)
				continue;
			if (b->len)
				core_buf_adds(b, n && pass >= 0 ? ", " : "; ");
			if (pass >= 0 && n == 0)
				core_buf_adds(b, pass ? "accessible: "
						      : "not accessible: ");
			core_buf_adds(b, acc_flags[k].label);
			if (pass == -2) {
				core_buf_adds(b, ": ");
				core_buf_adds(b, r->v[acc_flags[k].f]);
			}
			n++;
		}
	}
	return b->len ? b->s : NULL;
}

/*
 * Write checked row r as an asset through j->w: its source key, a
 * description from its listing, address, contacts, the languages ls,
 * accessibility, attributes and the categories and programs whose bits
 * are set in bits (categories first, then programs from word j->xw.ncw).
 * Counts the asset (unless merged into one before) and its categories in
 * j->stats and j->per_cat.  Returns CORE_OK, or imp_asset_write's error
 * in j->err prefixed with the file and line.
 */
static int write_row(struct job *j, const struct row *r, const uint64_t *bits,
		     const struct langset *ls)
{
	const struct map *m = &j->map;
	struct imp_asset a;
	struct flags fl;
	size_t i, ncats = 0, nprogs = 0;
	int64_t merged = j->src->rows_merged;
	int rc;

	imp_asset_init(&a);
	read_flags(j, r, &fl);
	a.source_line = r->line;
	a.name = r->name;
	core_buf_reset(&j->desc);
	if (m->listing == IMP_MC_MANAGED_CARE) {
		a.source_key = *r->v[F_OBJECTID] ? r->v[F_OBJECTID] : NULL;
		core_buf_adds(&j->desc, "Medi-Cal Managed Care provider (");
		core_buf_adds(&j->desc,
			      *r->v[F_PLAN] ? r->v[F_PLAN] : "plan not given");
		core_buf_addc(&j->desc, ')');
		if (*r->v[F_MC_CATEGORY]) {
			core_buf_adds(&j->desc, ": ");
			core_buf_adds(&j->desc, r->v[F_MC_CATEGORY]);
		}
	} else {
		static const enum fld keyf[] = {
		    F_PROVIDER_NUMBER, F_OWNER_NUMBER, F_SERVICE_LOCATION};
		core_buf_reset(&j->srckey);
		for (i = 0; i < 3; i++) {
			const char *s = r->v[keyf[i]];
			if (!*s)
				continue;
			if (j->srckey.len)
				core_buf_addc(&j->srckey, '/');
			core_buf_adds(&j->srckey, s);
		}
		a.source_key = j->srckey.len	   ? j->srckey.s
			       : *r->v[F_OBJECTID] ? r->v[F_OBJECTID]
						   : NULL;
		core_buf_adds(&j->desc, "Medi-Cal FFS provider");
		if (*r->v[F_TYPE]) {
			core_buf_adds(&j->desc, ": ");
			core_buf_adds(&j->desc, r->v[F_TYPE]);
		}
		if (*r->v[F_SPEC]) {
			core_buf_adds(&j->desc, " (");
			core_buf_adds(&j->desc, r->v[F_SPEC]);
			core_buf_addc(&j->desc, ')');
		}
	}
	a.description = j->desc.s;
	core_buf_reset(&j->addr);
	core_buf_adds(&j->addr, r->v[F_ADDRESS]);
	if (*r->v[F_ADDRESS2]) {
		if (j->addr.len)
			core_buf_adds(&j->addr, ", ");
		core_buf_adds(&j->addr, r->v[F_ADDRESS2]);
	}
	a.address = j->addr.len ? j->addr.s : NULL;
	a.city = r->v[F_CITY];
	a.state = r->v[F_STATE];
	a.zip = r->v[F_ZIP];
	a.phone = r->v[F_PHONE];
	a.website = r->v[F_WEBSITE];
	a.npi = r->v[F_NPI];
	langs_join(ls, &j->langs);
	a.languages = j->langs.len ? j->langs.s : NULL;
	a.accessibility = build_access(j, r, &fl);
	a.telehealth = fl.tele >= 0 ? fl.tele : -1;
	a.accepts_medi_cal = 1;
	a.lon = r->lon;
	a.lat = r->lat;
	a.location_quality = r->quality;
	build_attrs(j, r, &fl);
	a.attrs = j->attrs.s;
	for (i = 0; i < j->xw.ncats; i++)
		if (bits[i / 64] >> (i % 64) & 1)
			j->catv[ncats++] = j->xw.cats[i];
	for (i = 0; i < j->xw.nprogs; i++)
		if (bits[j->xw.ncw + i / 64] >> (i % 64) & 1)
			j->progv[nprogs++] = j->xw.progs[i];
	a.categories = j->catv;
	a.ncategories = ncats;
	a.programs = j->progv;
	a.nprograms = nprogs;
	if ((rc = imp_asset_write(j->w, &a, NULL, j->err)))
		return core_err_prefix(j->err, "%s line %ld: ", j->src->name,
				       r->line);
	if (j->src->rows_merged == merged && j->stats)
		j->stats->assets++;
	for (i = 0; i < j->xw.ncats; i++)
		if (bits[i / 64] >> (i % 64) & 1)
			j->per_cat[i]++;
	if (!ncats && j->stats)
		j->stats->no_category++;
	return CORE_OK;
}

static int reject(struct job *j, const struct problem *p, long line)
{
	if (p->value)
		return imp_reject(j->ws, j->src, line, p->field, p->value,
				  j->err, "%s", p->why);
	return imp_reject(j->ws, j->src, line, p->field, NULL, j->err, "%s",
			  p->why);
}

/* Pass 1: check every row and gather the sites. */
static int pass1(struct job *j)
{
	struct row r;
	struct problem p;
	int64_t rows = 0;

	j->label = xasprintf("reading %s (kB)", j->src->name);
	core_progress_start(&j->prog, j->label, j->size / 1024);
	while (rec_next(j->csv, &j->rec)) {
		int32_t s;
		if (rec_blank(&j->rec))
			continue;
		rows++;
		if (!row_check(&j->map, &j->rec, &r, &p, &j->gc, j->err)) {
			if (p.fatal) {
				core_progress_end(&j->prog);
				return p.fatal;
			}
			j->p1_rejected++;
			continue;
		}
		j->p1_accepted++;
		if (site_key(&r, &j->key)) {
			s = core_strmap_put(&j->sites, j->key.s, j->key.len,
					    (int32_t)j->nsites);
			if ((size_t)s == j->nsites) {
				struct site *st;
				xgrow((void **)&j->site, &j->capsites,
				      j->nsites + 1, sizeof(*j->site));
				xgrow((void **)&j->sitebits, &j->capsitebits,
				      j->nsitebits + j->xw.nw,
				      sizeof(*j->sitebits));
				st = &j->site[j->nsites++];
				memset(st, 0, sizeof(*st));
				st->first_line = r.line;
				st->bits = (uint32_t)j->nsitebits;
				memset(j->sitebits + j->nsitebits, 0,
				       j->xw.nw * sizeof(*j->sitebits));
				j->nsitebits += j->xw.nw;
			}
			{
				struct site *st = &j->site[s];
				struct langset ls;
				size_t k;
				row_bits(j, &r, j->sitebits + st->bits);
				row_langs(j, &r, &ls);
				for (k = 0; k < MAX_CODES / 64; k++)
					st->langs.bits[k] |= ls.bits[k];
			}
		}
		if ((rows & 255) == 0)
			core_progress_tick(
			    &j->prog,
			    ((int64_t)core_csv_offset(j->csv) / 1024) &
				~(int64_t)255);
	}
	core_progress_end(&j->prog);
	return CORE_OK;
}

/* Pass 2: write the sites, reject the bad rows.  write = 0: only
 * collect the rejects. */
static int pass2(struct job *j, int write)
{
	struct row r;
	struct problem p;
	int rc = CORE_OK;

	core_csv_rewind(j->csv);
	free(j->label);
	j->label = xasprintf("importing %s", j->src->name);
	core_progress_start(&j->prog, j->label,
			    j->p1_accepted + j->p1_rejected);
	j->counting = write;
	/* the geocoder's answers are counted once: here, not in pass 1 */
	j->gc.counting = 1;
	while (rec_next(j->csv, &j->rec)) {
		const uint64_t *bits;
		struct langset ls;
		int32_t s = -1;

		if (rec_blank(&j->rec))
			continue;
		j->src->rows_read++;
		if (!row_check(&j->map, &j->rec, &r, &p, &j->gc, j->err)) {
			if (p.fatal) {
				rc = p.fatal;
				break;
			}
			if (p.no_coords && j->stats)
				j->stats->no_coordinates++;
			if ((rc = reject(j, &p, r.line)))
				break;
			continue;
		}
		j->src->rows_accepted++;
		if (!write)
			continue;
		imp_xwalk_next_row(j->xw.x);
		if (site_key(&r, &j->key))
			s = core_strmap_get(&j->sites, j->key.s, j->key.len);
		/* This row's own terms and languages, counted. */
		memset(j->rowbits, 0, j->xw.nw * sizeof(*j->rowbits));
		row_bits(j, &r, j->rowbits);
		row_langs(j, &r, &ls);
		bits = j->rowbits;
		if (s >= 0 && j->site[s].first_line != r.line) {
			/* a later row of a site already written */
			if (j->stats)
				j->stats->duplicates++;
			core_progress_tick(&j->prog, j->src->rows_read);
			continue;
		}
		if (s >= 0) {
			bits = j->sitebits + j->site[s].bits;
			ls = j->site[s].langs;
		}
		if ((rc = write_row(j, &r, bits, &ls)))
			break;
		core_progress_tick(&j->prog, j->src->rows_read);
	}
	core_progress_end(&j->prog);
	return rc;
}

static int cmp_term(const void *a, const void *b)
{
	const struct imp_mc_term *x = a, *y = b;
	int c;

	if (x->rows != y->rows)
		return x->rows > y->rows ? -1 : 1;
	if ((c = strcmp(x->vocabulary, y->vocabulary)))
		return c;
	return strcmp(x->term, y->term);
}

static void fill_stats(struct job *j)
{
	struct imp_medi_cal_stats *st = j->stats;
	size_t i;

	if (!st)
		return;
	for (i = 0; i < j->xw.ncats; i++) {
		if (!j->per_cat[i])
			continue;
		st->cats =
		    xrealloc(st->cats, (st->ncats + 1) * sizeof(*st->cats));
		st->cats[st->ncats].category = xstrdup(j->xw.cats[i]);
		st->cats[st->ncats].assets = j->per_cat[i];
		st->ncats++;
	}
	for (i = 0; i < j->nseen; i++) {
		const struct seen *s = &j->seen[i];
		struct imp_mc_term *t;
		st->unknown = xrealloc(st->unknown, (st->nunknown + 1) *
							sizeof(*st->unknown));
		t = &st->unknown[st->nunknown++];
		t->vocabulary = xstrdup(s->voc >= 0    ? voc_names[s->voc]
					: s->voc == -1 ? "language"
						       : s->vocname);
		t->term = xstrdup(s->term);
		t->rows = s->rows;
	}
	if (st->nunknown)
		qsort(st->unknown, st->nunknown, sizeof(*st->unknown),
		      cmp_term);
}

static void build_options(struct job *j)
{
	struct core_buf b = CORE_BUF_INIT;

	if (j->o->skip_bad)
		core_buf_adds(&b, "--skip-bad");
	if (!j->o->merge)
		core_buf_addf(&b, "%s--no-merge", b.len ? " " : "");
	if (j->gc.n.worst != GEO_GC_ZIP)
		imp_opt_add(&b, "geocode-worst",
			    geo_gc_level_name(j->gc.n.worst));
	free(j->src->options);
	j->src->options = b.len ? core_buf_detach(&b) : NULL;
	core_buf_release(&b);
}

static void job_release(struct job *j)
{
	size_t i;

	imp_gc_release(&j->gc);
	imp_asset_writer_free(j->w);
	core_csv_free(j->csv);
	rec_release(&j->rec);
	map_release(&j->map);
	xwalk_release(&j->xw);
	core_strmap_release(&j->sites);
	core_strmap_release(&j->seen_map);
	free(j->site);
	free(j->sitebits);
	for (i = 0; i < j->nseen; i++) {
		free(j->seen[i].term);
		free(j->seen[i].vocname);
	}
	free(j->seen);
	free(j->per_cat);
	free(j->catv);
	free(j->progv);
	free(j->rowbits);
	core_buf_release(&j->key);
	core_buf_release(&j->attrs);
	core_buf_release(&j->acc);
	core_buf_release(&j->langs);
	core_buf_release(&j->addr);
	core_buf_release(&j->desc);
	core_buf_release(&j->skey);
	core_buf_release(&j->srckey);
	core_buf_release(&j->geoid);
	free(j->label);
}

void imp_medi_cal_opts_init(struct imp_medi_cal_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->merge = 1;
}

void imp_medi_cal_stats_release(struct imp_medi_cal_stats *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->ncats; i++)
		free(st->cats[i].category);
	free(st->cats);
	for (i = 0; i < st->nunknown; i++) {
		free(st->unknown[i].vocabulary);
		free(st->unknown[i].term);
	}
	free(st->unknown);
	memset(st, 0, sizeof(*st));
}

int imp_medi_cal_import(struct core_ws *ws, const struct imp_medi_cal_opts *o,
			struct imp_source *src,
			struct imp_medi_cal_stats *stats, struct core_err *err)
{
	struct job j;
	const char *open_path = NULL;
	struct imp_bulk bulk = {0};
	size_t size;
	int rc, write, fd, worst = 0;

	memset(&j, 0, sizeof(j));
	imp_gc_init(&j.gc, ws, 0);
	j.ws = ws;
	j.o = o;
	j.src = src;
	j.stats = stats;
	j.err = err;
	if (stats)
		memset(stats, 0, sizeof(*stats));
	src->skip_bad = o->skip_bad;
	src->csv_lines = 1;
	if (!o->path) {
		rc = core_err_set(err, CORE_EUSAGE, "no file to import");
		goto cleanup;
	}
	/* UTF-8 (a byte-order mark is skipped by the reader), or a UTF-8
	 * copy of a Windows-1252 file with src->warning set. */
	if ((rc =
		 imp_source_text(src, o->path, IMP_TEXT_CSV | IMP_TEXT_KEEP_BOM,
				 &open_path, err)))
		goto cleanup;
	if ((fd = open(open_path, O_RDONLY | O_CLOEXEC)) < 0) {
		rc = core_err_set(err, CORE_EIO, "cannot open %s: %s", o->path,
				  strerror(errno));
		goto cleanup;
	}
	if (!(j.csv = core_csv_open_fd(fd, src->name, ',', CSV_FLAGS, err))) {
		rc = CORE_EIO;
		goto cleanup;
	}
	core_csv_bytes(j.csv, &size);
	j.size = (int64_t)size;
	if (core_csv_read_header(j.csv, err) == 1)
		rec_take(&j.rec, j.csv);
	else {
		rc = core_err_set(err, CORE_EFORMAT,
				  "%s is empty; nothing to import", src->name);
		goto cleanup;
	}
	if ((rc = recognise(src->name, &j.rec, &j.map, err)))
		goto cleanup;
	if (stats) {
		stats->listing = j.map.listing;
		stats->ncolumns = j.map.ncols;
	}
	free(src->format);
	src->format = xstrdup(imp_mc_listing_format(j.map.listing));
	if ((rc = imp_gc_worst_opt(o->geocode_worst, &worst, err)))
		goto cleanup;
	imp_gc_init(&j.gc, ws, worst);
	j.gc.counting = 0; /* pass 1; pass 2 counts */
	build_options(&j);
	if ((rc = xwalk_load(ws, &j.xw, err)))
		goto cleanup;
	j.rowbits = xcalloc(j.xw.nw, sizeof(*j.rowbits));
	j.per_cat = xcalloc(j.xw.ncats + 1, sizeof(*j.per_cat));
	j.catv = xcalloc(j.xw.ncats + 1, sizeof(*j.catv));
	j.progv = xcalloc(j.xw.nprogs + 1, sizeof(*j.progv));

	if ((rc = pass1(&j)))
		goto cleanup;
	if (j.p1_accepted + j.p1_rejected == 0) {
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "%s has a header but no data rows; nothing to import",
		    src->name);
		goto cleanup;
	}
	write = j.p1_accepted > 0 && (j.p1_rejected == 0 || o->skip_bad);
	if (!write) {
		/* Nothing will be written: collect the rejects for the
		 * message and leave the workspace alone. */
		if ((rc = pass2(&j, 0)))
			goto cleanup;
		rc = imp_source_close(ws, src, err);
		if (rc == CORE_OK)
			rc =
			    core_err_set(err, CORE_EFAIL,
					 "%s: nothing was imported", src->name);
		goto cleanup;
	}

	imp_source_publisher(src, "California DHCS",
			     "Medi-Cal fee-for-service providers", NULL);
	if ((rc = imp_asset_write_begin(ws, &bulk, src, o->merge, &j.w, err)))
		goto cleanup;
	if ((rc = pass2(&j, 1)) || (rc = imp_asset_writer_finish(j.w, err)) ||
	    (rc = imp_xwalk_save(j.xw.x, ws, src->id, err)) ||
	    (rc = imp_source_close(ws, src, err)))
		goto cleanup;
	imp_asset_writer_free(j.w);
	j.w = NULL;
	if ((rc = core_ws_commit(ws, err)))
		goto cleanup;
	fill_stats(&j);
cleanup:
	if (rc) {
		core_ws_rollback(ws);
		if (stats) {
			enum imp_mc_listing l = stats->listing;
			int nc = stats->ncolumns;
			int64_t noc = stats->no_coordinates;
			imp_medi_cal_stats_release(stats);
			stats->listing = l;
			stats->ncolumns = nc;
			stats->no_coordinates = noc;
		}
	}
	if (stats)
		stats->geocoded = j.gc.n;
	imp_bulk_end(ws, &bulk);
	core_progress_end(&j.prog);
	imp_source_end_rejects(src);
	job_release(&j);
	return rc;
}

/* ---------------------------------------------------------------------
 * Without a workspace
 * ------------------------------------------------------------------ */

int imp_medi_cal_scan_buffer(const char *buf, size_t len,
			     struct imp_mc_scan *out, struct core_err *err)
{
	struct core_csv *rd;
	struct rec c;
	struct map m;
	struct core_strmap sites;
	struct core_buf key = CORE_BUF_INIT;
	struct row r;
	struct problem p;
	struct imp_gc gc;
	int rc = CORE_OK;

	imp_gc_init(&gc, NULL, 0); /* no workspace: nothing is placed */
	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	memset(&m, 0, sizeof(m));
	memset(&sites, 0, sizeof(sites));
	rd = core_csv_open_mem_flags(buf, len, "(buffer)", ',', CSV_FLAGS, err);
	if (rd && core_csv_read_header(rd, err) == 1)
		rec_take(&c, rd);
	else {
		rc = core_err_set(err, CORE_EFORMAT, "the buffer is empty");
		goto cleanup;
	}
	if ((rc = recognise("(buffer)", &c, &m, err)))
		goto cleanup;
	out->listing = m.listing;
	while (rec_next(rd, &c)) {
		struct langset ls;
		const char *t[V_COUNT];
		if (rec_blank(&c))
			continue;
		out->rows++;
		if (!row_check(&m, &c, &r, &p, &gc, err)) {
			out->rejected++;
			if (!out->first_reject)
				out->first_reject = r.line;
			continue;
		}
		out->accepted++;
		memset(&ls, 0, sizeof(ls));
		langs_parse(r.v[F_THRESHOLD_LANGUAGES], &ls, NULL, NULL);
		langs_parse(r.v[F_OTHER_LANGUAGES], &ls, NULL, NULL);
		langs_parse(r.v[F_LANGUAGES], &ls, NULL, NULL);
		row_terms(&m, &r, t);
		{
			int v;
			for (v = 0; v < V_COUNT; v++)
				if (t[v])
					term_text((enum voc)v, t[v], &key);
		}
		if (site_key(&r, &key) &&
		    core_strmap_put(&sites, key.s, key.len,
				    (int32_t)out->accepted) !=
			(int32_t)out->accepted)
			out->duplicates++;
	}
cleanup:
	core_strmap_release(&sites);
	core_buf_release(&key);
	map_release(&m);
	rec_release(&c);
	core_csv_free(rd);
	return rc;
}
