/*
 * imp_asset.c - the asset writer: one INSERT (or one merge) per row, with
 * its categories, programs and asset_sources link.  See imp_asset.h.
 *
 * One site, one asset: the merge rule
 * -----------------------------------
 * With merging on (the default of every importer; 'assetmap import ...
 * --no-merge' and 'assetmap add asset' turn it off), a row is merged into
 * an asset that came from ANOTHER source when
 *
 *   1. their normalized names are equal, and
 *   2. either  (a) their normalized street addresses are equal and so are
 *                  their ZIP codes (when one side has no ZIP, the points
 *                  must also be within 2 km of each other),
 *              "merged: same name and address"
 *          or  (b) their points are within 100 m of each other,
 *              "merged: same name within 100 m".
 *
 * Normalized name: accents folded (imp_fold: 'Acción' = 'accion'), lower
 * case, '&' read as 'and', a possessive "'s" dropped, every other
 * character that is not a letter or digit a word break; then the words
 * 'the', 'inc', 'incorporated', 'llc', 'llp', 'pllc', 'ltd', 'corp',
 * 'corporation', 'co', 'pc', 'lp' are dropped and a few abbreviations
 * spelt out: st -> saint, mt -> mount, ft -> fort, ctr/cntr/centre ->
 * center, svc(s) -> service(s), assn/assoc -> association, dept ->
 * department, intl -> international, natl -> national.  So 'St. Anthony
 * Foundation' and 'Saint Anthony Foundation, Inc.' are both 'saint
 * anthony foundation'.
 *
 * Normalized street address: the address up to its first comma, folded
 * and split into words like a name; street types and directions
 * abbreviated the USPS way (street -> st, avenue/av -> ave, boulevard ->
 * blvd, road -> rd, drive -> dr, north -> n, ...; first..tenth -> 1st..
 * 10th); a unit ('suite 200', 'ste 2', 'apt 4', 'unit b', 'room 12',
 * '#5', 'bldg c', '2nd floor') dropped.  The ZIP is the first five digits
 * of the zip field, else a five-digit number after the address's first
 * comma.
 *
 * Never merged: two rows of the same source (a source may well list two
 * sites of one organisation with the same name), a row into an asset
 * added by hand (no source), rows whose name has no letter or digit.
 * Among several matches, a same-address match wins over a distance one,
 * then the nearer, then the older asset.
 *
 * What a merge does: the row is not inserted.  The asset gains the source
 * in asset_sources (how = 'merged: ...'), the union of both rows'
 * categories and programs, every fact it lacked (NULL) that the row has;
 * its point moves to the row's when the row's location is better
 * (coordinates or manual over address over zip).  src->rows_merged
 * counts the row.  When the source that created a merged asset is deleted
 * or imported again, the trigger sources_keep_merged hands the asset to
 * one of its other sources, so it survives; a re-import merges again.
 *
 * The candidates are loaded once, when the writer is made, with one
 * query, into a hash table keyed by the normalized name (64-bit hashes of
 * name and address, the point, the sources): no SQL per row.  Rows this
 * writer inserts are not added: they all belong to this writer's source,
 * which never merges with itself.
 */
#include "importers/imp_asset.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <spatialite/gaiageo.h>

#include "core/core_hash.h"
#include "core/core_mem.h"
#include "importers/imp_rtree.h"

#define MERGE_NEAR_M	   100.0  /* rule (b) */
#define MERGE_ADDR_NOZIP_M 2000.0 /* rule (a) when a ZIP is missing */

/* ---------------------------------------------------------------------
 * Normalization
 * ------------------------------------------------------------------ */

struct word_map {
	const char *from, *to; /* to NULL: drop the word */
};

static const struct word_map name_words[] = {{"the", NULL},
					     {"inc", NULL},
					     {"incorporated", NULL},
					     {"llc", NULL},
					     {"llp", NULL},
					     {"pllc", NULL},
					     {"ltd", NULL},
					     {"corp", NULL},
					     {"corporation", NULL},
					     {"co", NULL},
					     {"pc", NULL},
					     {"lp", NULL},
					     {"st", "saint"},
					     {"mt", "mount"},
					     {"ft", "fort"},
					     {"ctr", "center"},
					     {"cntr", "center"},
					     {"centre", "center"},
					     {"svc", "service"},
					     {"svcs", "services"},
					     {"assn", "association"},
					     {"assoc", "association"},
					     {"dept", "department"},
					     {"intl", "international"},
					     {"natl", "national"},
					     {NULL, NULL}};

static const struct word_map addr_words[] = {
    {"street", "st"},	 {"str", "st"},		 {"avenue", "ave"},
    {"av", "ave"},	 {"boulevard", "blvd"},	 {"road", "rd"},
    {"drive", "dr"},	 {"lane", "ln"},	 {"court", "ct"},
    {"place", "pl"},	 {"terrace", "ter"},	 {"highway", "hwy"},
    {"parkway", "pkwy"}, {"expressway", "expy"}, {"freeway", "fwy"},
    {"square", "sq"},	 {"circle", "cir"},	 {"plaza", "plz"},
    {"alley", "aly"},	 {"center", "ctr"},	 {"north", "n"},
    {"south", "s"},	 {"east", "e"},		 {"west", "w"},
    {"northeast", "ne"}, {"northwest", "nw"},	 {"southeast", "se"},
    {"southwest", "sw"}, {"first", "1st"},	 {"second", "2nd"},
    {"third", "3rd"},	 {"fourth", "4th"},	 {"fifth", "5th"},
    {"sixth", "6th"},	 {"seventh", "7th"},	 {"eighth", "8th"},
    {"ninth", "9th"},	 {"tenth", "10th"},	 {NULL, NULL}};

/* A unit designator: it and the word after it are dropped. */
static const char *const unit_words[] = {
    "suite", "ste",	 "unit",  "apt", "apartment", "room", "rm",
    "bldg",  "building", "space", "spc", "#",	      NULL};

struct words {
	struct core_buf fold, tmp;
	char **w;
	size_t n, cap;
};

/* Split folded text into words in place.  '&' is the word "and", '#'
 * the word "#"; a possessive 's is dropped; other punctuation breaks.
 * Bytes >= 0x80 (letters we do not fold) belong to words. */
static void split_words(struct words *ws, const char *s, size_t len)
{
	char *p, *end, *out;

	core_buf_reset(&ws->fold);
	if (s[len]) {
		core_buf_reset(&ws->tmp);
		core_buf_add(&ws->tmp, s, len);
		s = core_buf_str(&ws->tmp);
	}
	imp_fold_buf(&ws->fold, s);
	ws->n = 0;
	if (!ws->fold.len)
		return;
	p = ws->fold.s;
	end = p + ws->fold.len;
	while (p < end) {
		unsigned char c = (unsigned char)*p;

		if (c == '&' || c == '#') {
			xgrow((void **)&ws->w, &ws->cap, ws->n + 1,
			      sizeof(*ws->w));
			ws->w[ws->n++] = c == '&' ? (char *)"and" : (char *)"#";
			*p++ = '\0';
			continue;
		}
		if (!isalnum(c) && c < 0x80) {
			*p++ = '\0';
			continue;
		}
		/* A word: letters and digits, apostrophes inside removed. */
		xgrow((void **)&ws->w, &ws->cap, ws->n + 1, sizeof(*ws->w));
		ws->w[ws->n++] = out = p;
		while (p < end) {
			c = (unsigned char)*p;
			if (isalnum(c) || c >= 0x80) {
				*out++ = *p++;
			} else if (c == '\'' && p + 1 < end &&
				   isalnum((unsigned char)p[1])) {
				/* "anthony's" -> "anthony", "o'farrell" ->
				 * "ofarrell" */
				if ((p[1] == 's') &&
				    (p + 2 >= end ||
				     !isalnum((unsigned char)p[2])))
					p += 2;
				else
					p++;
			} else {
				break;
			}
		}
		if (out < p)
			*out = '\0';
		if (p < end)
			*p++ = '\0';
	}
}

static const char *map_word(const struct word_map *m, const char *w, int *drop)
{
	*drop = 0;
	for (; m->from; m++)
		if (strcmp(m->from, w) == 0) {
			if (!m->to)
				*drop = 1;
			return m->to;
		}
	return w;
}

static int is_unit_word(const char *w)
{
	const char *const *u;

	for (u = unit_words; *u; u++)
		if (strcmp(*u, w) == 0)
			return 1;
	return 0;
}

static int is_ordinal(const char *w)
{
	size_t n = strlen(w);

	return n >= 3 && isdigit((unsigned char)w[0]) &&
	       (strcmp(w + n - 2, "st") == 0 || strcmp(w + n - 2, "nd") == 0 ||
		strcmp(w + n - 2, "rd") == 0 || strcmp(w + n - 2, "th") == 0);
}

static void norm_name(struct words *ws, const char *s, struct core_buf *out)
{
	size_t i;

	core_buf_reset(out);
	split_words(ws, s, strlen(s));
	for (i = 0; i < ws->n; i++) {
		int drop;
		const char *w = map_word(name_words, ws->w[i], &drop);
		if (drop || !*w || strcmp(w, "#") == 0)
			continue;
		if (out->len)
			core_buf_addc(out, ' ');
		core_buf_adds(out, w);
	}
}

static void norm_address(struct words *ws, const char *s, struct core_buf *out)
{
	size_t i, len = strcspn(s, ",");
	char **kept;
	size_t nk = 0;

	core_buf_reset(out);
	split_words(ws, s, len);
	kept = xcalloc(ws->n + 1, sizeof(*kept));
	for (i = 0; i < ws->n; i++) {
		const char *w = ws->w[i];
		int drop;
		if (!*w)
			continue;
		if (is_unit_word(w)) {
			i++; /* and its number or letter */
			continue;
		}
		if (strcmp(w, "floor") == 0 || strcmp(w, "fl") == 0 ||
		    strcmp(w, "flr") == 0) {
			if (nk && is_ordinal(kept[nk - 1]))
				nk--; /* "2nd floor" */
			else if (i + 1 < ws->n)
				i++; /* "floor 2" */
			continue;
		}
		w = map_word(addr_words, w, &drop);
		kept[nk++] = (char *)w;
	}
	for (i = 0; i < nk; i++) {
		if (out->len)
			core_buf_addc(out, ' ');
		core_buf_adds(out, kept[i]);
	}
	free(kept);
}

/* The five-digit ZIP as a number, 0 when there is none. */
static int zip5(const char *zip, const char *address)
{
	const char *p;
	int i, v = 0, found = 0;

	if (zip) {
		while (isspace((unsigned char)*zip))
			zip++;
		for (i = 0; i < 5 && isdigit((unsigned char)zip[i]); i++)
			v = v * 10 + (zip[i] - '0');
		if (i == 5 && !isdigit((unsigned char)zip[5]))
			return v;
		return 0;
	}
	if (!address || !(p = strchr(address, ',')))
		return 0;
	/* The last five-digit number after the first comma. */
	for (; *p; p++) {
		if (isdigit((unsigned char)*p) &&
		    !isdigit((unsigned char)p[-1])) {
			int n = 0, w = 0;
			while (isdigit((unsigned char)p[n])) {
				w = w * 10 + (p[n] - '0');
				n++;
			}
			if (n == 5) {
				v = w;
				found = 1;
			}
			p += n - 1;
		}
	}
	return found ? v : 0;
}

/* 0 for an empty string: nothing to match on. */
static uint64_t hash_str(const char *s, size_t n)
{
	return n ? core_hash_bytes(s, n) : 0;
}

static void words_release(struct words *ws)
{
	core_buf_release(&ws->fold);
	core_buf_release(&ws->tmp);
	free(ws->w);
}

/* s (NULL: "") normalised by norm, as a new string. */
static char *normalised(void (*norm)(struct words *, const char *,
				     struct core_buf *),
			const char *s)
{
	struct words ws = {CORE_BUF_INIT, CORE_BUF_INIT, NULL, 0, 0};
	struct core_buf out = CORE_BUF_INIT;

	norm(&ws, s ? s : "", &out);
	words_release(&ws);
	return core_buf_detach(&out);
}

char *imp_asset_norm_name(const char *name)
{
	return normalised(norm_name, name);
}

char *imp_asset_norm_address(const char *address)
{
	return normalised(norm_address, address);
}

int imp_asset_zip5(const char *zip, const char *address)
{
	return zip5(zip, address);
}

double imp_asset_distance_m(double lon1, double lat1, double lon2, double lat2)
{
	const double r = 6371008.8, rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a =
	    sin(dlat / 2) * sin(dlat / 2) +
	    cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

/* ---------------------------------------------------------------------
 * The writer
 * ------------------------------------------------------------------ */

/* An asset a row may merge into. */
struct cand {
	uint64_t name_h, addr_h; /* addr_h 0: no address */
	double lon, lat;
	int64_t id;
	int64_t src0;  /* its first source */
	int32_t more;  /* further sources: index in srcs, -1 */
	int32_t next;  /* hash chain, -1 */
	int32_t zip;   /* 0: none */
	int32_t qrank; /* location quality, see qrank() */
};

struct src_link {
	int64_t src;
	int32_t next;
};

enum { ST_INS, ST_CAT, ST_PROG, ST_LINK, ST_FILL, ST_MOVE, ST_COUNT };

struct imp_asset_writer {
	struct core_ws *ws;
	struct imp_source *src;
	int merge;
	sqlite3_stmt *st[ST_COUNT];
	struct cand *c;
	size_t nc;
	int32_t *bucket;
	size_t nbucket; /* a power of two, 0 when merge is off */
	struct src_link *links;
	size_t nlinks, caplinks;
	struct words words;
	struct core_buf nbuf, abuf;
	/* bulk mode: the triggers set aside, the rows' boxes */
	int bulk; /* 1 set aside, 2 finished */
	struct imp_triggers trig;
	struct imp_rtree_box *box;
	size_t nbox, capbox;
};

void imp_asset_init(struct imp_asset *a)
{
	memset(a, 0, sizeof(*a));
	a->capacity = NAN;
	a->age_min = NAN;
	a->age_max = NAN;
	a->accepts_medi_cal = -1;
	a->ecm_provider = -1;
	a->telehealth = -1;
	a->formal = 1;
	a->location_quality = "coordinates";
	a->lon = NAN;
	a->lat = NAN;
}

/* Parameter numbers shared by the INSERT and the UPDATE that fills
 * facts a merged asset lacked (?1 is the asset id there). */
enum {
	P_SOURCE = 1,
	P_KEY,
	P_LINE,
	P_NAME,
	P_ORG,
	P_ADDRESS,
	P_CITY,
	P_STATE,
	P_ZIP,
	P_PHONE,
	P_WEBSITE,
	P_EMAIL,
	P_HOURS,
	P_LANGUAGES,
	P_ELIGIBILITY,
	P_DESCRIPTION,
	P_CAPACITY,
	P_MEDI_CAL,
	P_ECM,
	P_NPI,
	P_FORMAL,
	P_QUALITY,
	P_AGE_MIN,
	P_AGE_MAX,
	P_ACCESSIBILITY,
	P_TELEHEALTH,
	P_ATTRS,
	P_GEOM
};

static const char ins_sql[] =
    "INSERT INTO assets(source_id, source_key, source_line, name,"
    " organization, address, city, state, zip, phone, website, email,"
    " hours, languages, eligibility, description, capacity,"
    " accepts_medi_cal, ecm_provider, npi, formal, location_quality,"
    " age_min, age_max, accessibility, telehealth, attrs, geom)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
    " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27,"
    " ?28)";

static const char fill_sql[] =
    "UPDATE assets SET organization = coalesce(organization, ?5),"
    " address = coalesce(address, ?6), city = coalesce(city, ?7),"
    " state = coalesce(state, ?8), zip = coalesce(zip, ?9),"
    " phone = coalesce(phone, ?10), website = coalesce(website, ?11),"
    " email = coalesce(email, ?12), hours = coalesce(hours, ?13),"
    " languages = coalesce(languages, ?14),"
    " eligibility = coalesce(eligibility, ?15),"
    " description = coalesce(description, ?16),"
    " capacity = coalesce(capacity, ?17),"
    " accepts_medi_cal = coalesce(accepts_medi_cal, ?18),"
    " ecm_provider = coalesce(ecm_provider, ?19),"
    " npi = coalesce(npi, ?20), age_min = coalesce(age_min, ?23),"
    " age_max = coalesce(age_max, ?24),"
    " accessibility = coalesce(accessibility, ?25),"
    " telehealth = coalesce(telehealth, ?26),"
    " attrs = coalesce(attrs, ?27) WHERE id = ?1";

/* coordinates and manual 3, address 2, zip 1, anything else 0. */
/* How good a location is, for a merge: the point of the better one is
 * kept.  Coordinates (or placed by hand) over the geocoder's levels
 * (geo_geocode.h), best first; "address" is a geocoded address of no
 * known level. */
static int qrank(const char *q)
{
	static const struct {
		const char *name;
		int rank;
	} ranks[] = {{"coordinates", 7},   {"manual", 7},
		     {"address_point", 6}, {"interpolated", 5},
		     {"street_range", 4},  {"address", 4},
		     {"street", 3},	   {"zip", 1}};
	size_t i;

	for (i = 0; q && i < sizeof(ranks) / sizeof(ranks[0]); i++)
		if (strcmp(q, ranks[i].name) == 0)
			return ranks[i].rank;
	return 0;
}

static int has_source(const struct imp_asset_writer *w, const struct cand *c,
		      int64_t src)
{
	int32_t k;

	if (c->src0 == src)
		return 1;
	for (k = c->more; k >= 0; k = w->links[k].next)
		if (w->links[k].src == src)
			return 1;
	return 0;
}

static void add_source(struct imp_asset_writer *w, struct cand *c, int64_t src)
{
	if (has_source(w, c, src))
		return;
	xgrow((void **)&w->links, &w->caplinks, w->nlinks + 1,
	      sizeof(*w->links));
	w->links[w->nlinks].src = src;
	w->links[w->nlinks].next = c->more;
	c->more = (int32_t)w->nlinks++;
}

static void keys_of(struct imp_asset_writer *w, const char *name,
		    const char *address, uint64_t *nh, uint64_t *ah)
{
	norm_name(&w->words, name ? name : "", &w->nbuf);
	*nh = hash_str(w->nbuf.s, w->nbuf.len);
	if (address) {
		norm_address(&w->words, address, &w->abuf);
		*ah = hash_str(w->abuf.s, w->abuf.len);
	} else {
		*ah = 0;
	}
}

/* The candidates: every asset that came from a source, one query. */
static int load_index(struct imp_asset_writer *w, struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0, i;
	int rc;

	if ((rc = core_ws_prepare(
		 w->ws, err, &st,
		 "SELECT a.id, a.name, a.address, a.zip, X(a.geom),"
		 " Y(a.geom), a.location_quality, a.source_id,"
		 " (SELECT group_concat(s.source_id) FROM asset_sources s"
		 "  WHERE s.asset_id = a.id)"
		 " FROM assets a WHERE a.source_id IS NOT NULL"
		 " AND a.geom IS NOT NULL ORDER BY a.id")))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *addr = (const char *)sqlite3_column_text(st, 2);
		const char *zip = (const char *)sqlite3_column_text(st, 3);
		const char *more = (const char *)sqlite3_column_text(st, 8);
		struct cand *c;

		xgrow((void **)&w->c, &cap, w->nc + 1, sizeof(*w->c));
		c = &w->c[w->nc];
		keys_of(w, name, addr, &c->name_h, &c->addr_h);
		if (!c->name_h)
			continue;
		c->id = sqlite3_column_int64(st, 0);
		c->zip = zip5(zip, addr);
		c->lon = sqlite3_column_double(st, 4);
		c->lat = sqlite3_column_double(st, 5);
		c->qrank = qrank((const char *)sqlite3_column_text(st, 6));
		c->src0 = sqlite3_column_int64(st, 7);
		c->more = -1;
		c->next = -1;
		while (more && *more) {
			add_source(w, c, strtoll(more, NULL, 10));
			more = strchr(more, ',');
			if (more)
				more++;
		}
		w->nc++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return core_ws_dberr(w->ws, err,
				     "reading assets to merge with");
	w->nbucket = 64;
	while (w->nbucket < 2 * w->nc)
		w->nbucket *= 2;
	w->bucket = xmalloc(w->nbucket * sizeof(*w->bucket));
	for (i = 0; i < w->nbucket; i++)
		w->bucket[i] = -1;
	/* Chains end up in id order: the older asset first. */
	for (i = w->nc; i-- > 0;) {
		size_t b = w->c[i].name_h & (w->nbucket - 1);
		w->c[i].next = w->bucket[b];
		w->bucket[b] = (int32_t)i;
	}
	return CORE_OK;
}

int imp_asset_writer_new(struct core_ws *ws, struct imp_source *src, int merge,
			 struct imp_asset_writer **out, struct core_err *err)
{
	static const char *const sql[ST_COUNT] = {
	    [ST_INS] = ins_sql,
	    [ST_CAT] = "INSERT OR IGNORE INTO asset_categories(asset_id, "
		       "category) VALUES(?, ?)",
	    [ST_PROG] = "INSERT OR IGNORE INTO asset_programs(asset_id, "
			"program) VALUES(?, ?)",
	    [ST_LINK] = "INSERT INTO asset_sources(asset_id, source_id, "
			"source_key, source_line, how)"
			" VALUES(?, ?, ?, ?, ?)",
	    [ST_FILL] = fill_sql,
	    [ST_MOVE] = "UPDATE assets SET geom = ?1, location_quality = ?2 "
			"WHERE id = ?3",
	};
	struct imp_asset_writer *w = xcalloc(1, sizeof(*w));
	int s, rc = CORE_OK;

	*out = NULL;
	w->ws = ws;
	w->src = src;
	w->merge = merge && src;
	for (s = 0; s < ST_COUNT && !rc; s++) {
		if (!w->merge && (s == ST_FILL || s == ST_MOVE))
			continue;
		if (!src && s == ST_LINK)
			continue;
		rc = core_ws_prepare(ws, err, &w->st[s], sql[s]);
	}
	if (!rc && w->merge)
		rc = load_index(w, err);
	if (rc) {
		imp_asset_writer_free(w);
		return rc;
	}
	*out = w;
	return CORE_OK;
}

void imp_asset_writer_free(struct imp_asset_writer *w)
{
	int s;

	if (!w)
		return;
	for (s = 0; s < ST_COUNT; s++)
		sqlite3_finalize(w->st[s]);
	free(w->c);
	free(w->bucket);
	free(w->links);
	imp_triggers_release(&w->trig);
	free(w->box);
	words_release(&w->words);
	core_buf_release(&w->nbuf);
	core_buf_release(&w->abuf);
	free(w);
}

/* ---------------------------------------------------------------------
 * Bulk mode: SpatiaLite's per-row triggers on INSERT set aside, the
 * index filled once.
 *
 * Of SpatiaLite's triggers on assets, three fire on every INSERT:
 * gii_assets_geom (RTreeAlign: prepares an INSERT into the R*Tree and
 * walks the tree, per row), tmi_assets_geom (stamps
 * geometry_columns_time, per row) and ggi_assets_geom (checks the
 * geometry's type and SRID: the writer only ever makes 4326 points).
 * Together they were two thirds of a statewide Medi-Cal import.  In bulk
 * mode they are dropped inside the importer's transaction and their SQL
 * kept; imp_asset_writer_finish fills idx_assets_geom with this writer's
 * rows (packed in one pass when they are many, imp_rtree.h), stamps
 * geometry_columns_time once and makes the triggers again.  A rollback
 * at any point undoes all of it with the rest of the import.
 *
 * UPDATE and DELETE triggers stay: a merge that moves an older asset's
 * point (ST_MOVE) updates its index entry as usual.  Merging itself never
 * reads the R*Tree (the candidates are in the writer's hash table).
 * ------------------------------------------------------------------ */

/* Below this many new rows, or when they are under an eighth of the
 * index, they go in one by one rather than rebuilding the index. */
#define BULK_MIN_ROWS 1000

int imp_asset_write_begin(struct core_ws *ws, struct imp_bulk *bulk,
			  struct imp_source *src, int merge,
			  struct imp_asset_writer **w, struct core_err *err)
{
	int rc;

	if ((rc = imp_bulk_begin(ws, bulk, err)) ||
	    (rc = core_ws_begin(ws, err)) ||
	    (rc = imp_source_open(ws, src, err)) ||
	    (rc = imp_asset_writer_new(ws, src, merge, w, err)) ||
	    (rc = imp_asset_writer_bulk(*w, err)))
		return rc;
	return CORE_OK;
}

int imp_asset_writer_bulk(struct imp_asset_writer *w, struct core_err *err)
{
	static const char *const names[] = {
	    "ggi_assets_geom", "gii_assets_geom", "tmi_assets_geom", NULL};
	int rc;

	if (w->bulk)
		return CORE_OK;
	rc = imp_triggers_drop(w->ws, "assets", names, &w->trig,
			       "reading the triggers on assets", err);
	if (!rc)
		w->bulk = 1;
	return rc;
}

int imp_asset_writer_finish(struct imp_asset_writer *w, struct core_err *err)
{
	int64_t have = 0;
	int rc = CORE_OK, had_tmi = 0;

	if (!w || w->bulk != 1)
		return CORE_OK;
	had_tmi = imp_triggers_has(&w->trig, "tmi_assets_geom");
	if (w->nbox) {
		if ((rc =
			 imp_rtree_count(w->ws, "idx_assets_geom", &have, err)))
			return rc;
		if (have < 0)
			rc = CORE_OK; /* no spatial index to fill */
		else if (w->nbox >= BULK_MIN_ROWS &&
			 8 * (int64_t)w->nbox >= have)
			rc = imp_rtree_rebuild(w->ws, "idx_assets_geom", w->box,
					       w->nbox, err);
		else
			rc = imp_rtree_insert(w->ws, "idx_assets_geom", w->box,
					      w->nbox, err);
		if (!rc && had_tmi)
			rc = core_ws_exec(
			    w->ws, err,
			    "UPDATE geometry_columns_time SET last_insert ="
			    " strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
			    " WHERE Lower(f_table_name) = 'assets'"
			    " AND Lower(f_geometry_column) = 'geom'");
		if (rc)
			return core_err_prefix(err,
					       "filling the spatial index: ");
	}
	if (!rc)
		rc = imp_triggers_restore(w->ws, &w->trig, err);
	if (!rc)
		w->bulk = 2;
	return rc;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_num(sqlite3_stmt *st, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static void bind_flag(sqlite3_stmt *st, int i, int v)
{
	if (v >= 0)
		sqlite3_bind_int(st, i, v ? 1 : 0);
	else
		sqlite3_bind_null(st, i);
}

/* The facts both statements take, ?5 .. ?27. */
static void bind_facts(sqlite3_stmt *st, const struct imp_asset *a)
{
	bind_text(st, P_ORG, a->organization);
	bind_text(st, P_ADDRESS, a->address);
	bind_text(st, P_CITY, a->city);
	bind_text(st, P_STATE, a->state);
	bind_text(st, P_ZIP, a->zip);
	bind_text(st, P_PHONE, a->phone);
	bind_text(st, P_WEBSITE, a->website);
	bind_text(st, P_EMAIL, a->email);
	bind_text(st, P_HOURS, a->hours);
	bind_text(st, P_LANGUAGES, a->languages);
	bind_text(st, P_ELIGIBILITY, a->eligibility);
	bind_text(st, P_DESCRIPTION, a->description);
	bind_num(st, P_CAPACITY, a->capacity);
	bind_flag(st, P_MEDI_CAL, a->accepts_medi_cal);
	bind_flag(st, P_ECM, a->ecm_provider);
	bind_text(st, P_NPI, a->npi);
	bind_num(st, P_AGE_MIN, a->age_min);
	bind_num(st, P_AGE_MAX, a->age_max);
	bind_text(st, P_ACCESSIBILITY, a->accessibility);
	bind_flag(st, P_TELEHEALTH, a->telehealth);
	bind_text(st, P_ATTRS, a->attrs);
}

/* The asset this row is the same site as, or NULL; *how says why. */
static struct cand *find_match(struct imp_asset_writer *w,
			       const struct imp_asset *a, const char **how)
{
	struct cand *best = NULL;
	double best_d = MERGE_NEAR_M;
	uint64_t nh, ah;
	int32_t k;
	int zip;

	if (!w->nc)
		return NULL; /* nothing to merge with: no keys to compute */
	norm_name(&w->words, a->name ? a->name : "", &w->nbuf);
	nh = hash_str(w->nbuf.s, w->nbuf.len);
	if (!nh)
		return NULL;
	for (k = w->bucket[nh & (w->nbucket - 1)]; k >= 0; k = w->c[k].next)
		if (w->c[k].name_h == nh)
			break;
	if (k < 0)
		return NULL; /* no asset of that name */
	ah = 0;
	if (a->address) {
		norm_address(&w->words, a->address, &w->abuf);
		ah = hash_str(w->abuf.s, w->abuf.len);
	}
	zip = zip5(a->zip, a->address);
	for (; k >= 0; k = w->c[k].next) {
		struct cand *c = &w->c[k];
		double d;

		if (c->name_h != nh || has_source(w, c, w->src->id))
			continue;
		d = imp_asset_distance_m(a->lon, a->lat, c->lon, c->lat);
		if (ah && c->addr_h == ah &&
		    ((zip && c->zip && zip == c->zip) ||
		     ((!zip || !c->zip) && d <= MERGE_ADDR_NOZIP_M))) {
			*how = "merged: same name and address";
			return c; /* the oldest such asset */
		}
		if (d <= best_d) {
			if (best && d == best_d)
				continue;
			best = c;
			best_d = d;
		}
	}
	if (best)
		*how = "merged: same name within 100 m";
	return best;
}

static int link_source(struct imp_asset_writer *w, int64_t id,
		       const struct imp_asset *a, const char *how,
		       struct core_err *err)
{
	sqlite3_stmt *st = w->st[ST_LINK];
	int rc;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, w->src->id);
	bind_text(st, 3, a->source_key);
	if (a->source_line > 0)
		sqlite3_bind_int64(st, 4, a->source_line);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_text(st, 5, how, -1, SQLITE_STATIC);
	rc = core_ws_step(w->ws, err, st);
	sqlite3_clear_bindings(st);
	return rc;
}

static int write_codes(struct imp_asset_writer *w, int64_t id,
		       const struct imp_asset *a, struct core_err *err)
{
	size_t i;
	int rc = CORE_OK;

	for (i = 0; i < a->ncategories && !rc; i++) {
		sqlite3_bind_int64(w->st[ST_CAT], 1, id);
		sqlite3_bind_text(w->st[ST_CAT], 2, a->categories[i], -1,
				  SQLITE_STATIC);
		if ((rc = core_ws_step(w->ws, err, w->st[ST_CAT])))
			core_err_prefix(err,
					"category '%s': ", a->categories[i]);
	}
	for (i = 0; i < a->nprograms && !rc; i++) {
		sqlite3_bind_int64(w->st[ST_PROG], 1, id);
		sqlite3_bind_text(w->st[ST_PROG], 2, a->programs[i], -1,
				  SQLITE_STATIC);
		if ((rc = core_ws_step(w->ws, err, w->st[ST_PROG])))
			core_err_prefix(err, "program '%s': ", a->programs[i]);
	}
	sqlite3_clear_bindings(w->st[ST_CAT]);
	sqlite3_clear_bindings(w->st[ST_PROG]);
	return rc;
}

static int merge_into(struct imp_asset_writer *w, struct cand *c,
		      const struct imp_asset *a, const char *how,
		      struct core_err *err)
{
	sqlite3_stmt *st = w->st[ST_FILL];
	int rc, q = qrank(a->location_quality);

	sqlite3_bind_int64(st, 1, c->id);
	bind_facts(st, a);
	rc = core_ws_step(w->ws, err, st);
	sqlite3_clear_bindings(st);
	if (!rc && q > c->qrank) {
		unsigned char *blob = NULL;
		int size = 0;
		st = w->st[ST_MOVE];
		gaiaMakePoint(a->lon, a->lat, 4326, &blob, &size);
		sqlite3_bind_blob(st, 1, blob, size, free);
		sqlite3_bind_text(st, 2, a->location_quality, -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, c->id);
		rc = core_ws_step(w->ws, err, st);
		sqlite3_clear_bindings(st);
		if (!rc) {
			c->lon = a->lon;
			c->lat = a->lat;
			c->qrank = q;
		}
	}
	if (!rc)
		rc = write_codes(w, c->id, a, err);
	if (!rc)
		rc = link_source(w, c->id, a, how, err);
	if (!rc) {
		add_source(w, c, w->src->id);
		w->src->rows_merged++;
	}
	return rc;
}

int imp_asset_write(struct imp_asset_writer *w, const struct imp_asset *a,
		    int64_t *id, struct core_err *err)
{
	sqlite3_stmt *st = w->st[ST_INS];
	unsigned char *blob = NULL;
	const char *how = NULL;
	struct cand *c;
	int size = 0, rc;
	int64_t new_id;

	if (!a->name || !*a->name)
		return core_err_set(err, CORE_EUSAGE, "an asset needs a name");
	if (!isfinite(a->lon) || !isfinite(a->lat) || a->lon < -180 ||
	    a->lon > 180 || a->lat < -90 || a->lat > 90)
		return core_err_set(err, CORE_EUSAGE,
				    "asset '%s': the point (%g, %g) is not a "
				    "WGS84 longitude and latitude",
				    a->name, a->lon, a->lat);
	if (w->merge && (c = find_match(w, a, &how))) {
		if (id)
			*id = c->id;
		return merge_into(w, c, a, how, err);
	}

	if (w->src)
		sqlite3_bind_int64(st, P_SOURCE, w->src->id);
	else
		sqlite3_bind_null(st, P_SOURCE);
	bind_text(st, P_KEY, a->source_key);
	if (a->source_line > 0)
		sqlite3_bind_int64(st, P_LINE, a->source_line);
	else
		sqlite3_bind_null(st, P_LINE);
	sqlite3_bind_text(st, P_NAME, a->name, -1, SQLITE_STATIC);
	bind_facts(st, a);
	sqlite3_bind_int(st, P_FORMAL, a->formal ? 1 : 0);
	sqlite3_bind_text(st, P_QUALITY,
			  a->location_quality ? a->location_quality
					      : "coordinates",
			  -1, SQLITE_STATIC);
	gaiaMakePoint(a->lon, a->lat, 4326, &blob, &size);
	sqlite3_bind_blob(st, P_GEOM, blob, size, free);
	rc = core_ws_step(w->ws, err, st);
	sqlite3_clear_bindings(st);
	if (rc)
		return rc;
	new_id = sqlite3_last_insert_rowid(w->ws->db);
	if (id)
		*id = new_id;
	if (w->bulk == 1) {
		struct imp_rtree_box *b;
		xgrow((void **)&w->box, &w->capbox, w->nbox + 1,
		      sizeof(*w->box));
		b = &w->box[w->nbox++];
		b->id = new_id;
		b->xmin = b->xmax = a->lon;
		b->ymin = b->ymax = a->lat;
	}
	if ((rc = write_codes(w, new_id, a, err)))
		return rc;
	if (w->src)
		rc = link_source(w, new_id, a, "imported", err);
	return rc;
}
