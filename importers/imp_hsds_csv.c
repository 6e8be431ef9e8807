/*
 * imp_hsds_csv.c - HSDS CSV packages (1.1, 2.0 and 3.x tabular) into the
 * model.
 *
 * A package is a directory of CSV files, one per table, maybe with a
 * datapackage.json naming them.  Which HSDS it is shows in the file names
 * (physical_addresses.csv and regular_schedules.csv are 1.x/2.0;
 * addresses.csv, schedules.csv, attributes.csv are 3.x) and in columns
 * (location_type, eligibility_description are 3.x).
 *
 * The files are read with core_csv (RFC 4180, comma-separated, UTF-8,
 * physical line numbers in every message); every file is first scanned
 * for UTF-8 and checksummed.  locations.csv is required; every other file
 * is optional (the ones a package usually has are listed in a warning
 * when absent).  A file separated by ';' or tabs, or missing a column its
 * rows cannot do without, fails the import; extra columns are ignored
 * with a warning.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "core/core_csv.h"
#include "core/core_mem.h"
#include "importers/imp_common.h"
#include "importers/imp_hsds_int.h"

enum table {
	T_ORG,
	T_LOC,
	T_SVC,
	T_SAL,
	T_ADDR,
	T_POSTAL,
	T_PHONE,
	T_SCHED,
	T_LANG,
	T_ACCESS,
	T_TAXONOMY,
	T_TERMS,
	T_ATTR,
	T_SVCTAX,
	T_ELIG,
	T_UNIT,
	T_CAP,
	T_AREA,
	T_COUNT
};

struct tabspec {
	const char *names;    /* file base names tried, space-separated */
	const char *required; /* columns every row needs, space-separated;
			       * "a|b": one of them */
	const char *known;    /* every HSDS column of the table */
};

static const struct tabspec specs[T_COUNT] = {
    [T_ORG] = {"organizations organization", "id name",
	       "id name alternate_name description email url website "
	       "tax_status tax_id year_incorporated legal_status logo uri "
	       "parent_organization_id"},
    [T_LOC] = {"locations location", "id",
	       "id organization_id name alternate_name description "
	       "transportation latitude longitude location_type url "
	       "external_identifier external_identifier_type"},
    [T_SVC] = {"services service", "id",
	       "id organization_id program_id name alternate_name description "
	       "url email status interpretation_services application_process "
	       "wait_time fees fees_description accreditations "
	       "eligibility_description minimum_age maximum_age assured_date "
	       "assurer_email licenses alert last_modified taxonomy_ids"},
    [T_SAL] = {"service_at_location service_at_locations services_at_location "
	       "services_at_locations",
	       "service_id location_id",
	       "id service_id location_id description"},
    [T_ADDR] =
	{"addresses address physical_addresses physical_address", "location_id",
	 "id location_id attention address_1 address_2 address_3 address_4 "
	 "city region state_province postal_code country address_type"},
    [T_POSTAL] =
	{"postal_addresses postal_address", "location_id",
	 "id location_id attention address_1 address_2 address_3 address_4 "
	 "city region state_province postal_code country address_type"},
    [T_PHONE] = {"phones phone", "number",
		 "id location_id service_id organization_id contact_id "
		 "service_at_location_id number extension type language "
		 "languages description department"},
    [T_SCHED] = {"schedules schedule regular_schedules regular_schedule", "",
		 "id service_id location_id service_at_location_id weekday "
		 "opens_at closes_at valid_from valid_to dtstart timezone "
		 "until count wkst freq interval byday byweekno bymonthday "
		 "byyearday description schedule_link attending_type notes"},
    [T_LANG] = {"languages language", "language|name|code",
		"id service_id location_id phone_id language name code note"},
    [T_ACCESS] = {"accessibility accessibility_for_disabilities", "location_id",
		  "id location_id accessibility description details url"},
    [T_TAXONOMY] = {"taxonomies", "id name", "id name description uri version"},
    [T_TERMS] = {"taxonomy_terms taxonomy_term", "id name|term",
		 "id code name term description parent_id parent_name taxonomy "
		 "language taxonomy_id term_uri vocabulary"},
    /* 2.0's other_attributes names the entity in link_type */
    [T_ATTR] =
	{"attributes attribute other_attributes other_attribute",
	 "link_id taxonomy_term_id",
	 "id link_id taxonomy_term_id link_type link_entity value label"},
    [T_SVCTAX] = {"services_taxonomy service_taxonomy service_attributes "
		  "service_attribute",
		  "service_id taxonomy_id|taxonomy_term_id",
		  "id service_id taxonomy_id taxonomy_term_id taxonomy_detail"},
    [T_ELIG] = {"eligibility eligibilities", "service_id",
		"id service_id eligibility minimum_age maximum_age"},
    [T_UNIT] = {"units unit", "id name", "id name scheme identifier uri"},
    [T_CAP] = {"service_capacity service_capacities", "service_id",
	       "id service_id unit_id available maximum description updated"},
    [T_AREA] = {"service_areas service_area", "",
		"id service_id service_at_location_id service_area name "
		"description extent extent_type uri"},
};

/* A taxonomy term as read from the package, by id. */
struct pterm {
	char *vocab, *name, *code;
};

struct pkg {
	struct imp_hsds_model *m;
	struct core_err *err;
	char *dir;
	char **files; /* names in the directory */
	size_t nfiles;
	char *path[T_COUNT]; /* found files */
	int v3;		     /* HSDS 3.x */
	struct imp_md5 md5;
	/* taxonomies and terms by id */
	struct hsds_ids *tax_ids, *term_ids, *unit_ids;
	HSDS_VEC(char *) taxonomies;
	HSDS_VEC(struct pterm) terms;
	HSDS_VEC(char *) units;
	/* services.taxonomy_ids, resolved once the terms are in */
	HSDS_VEC(struct hsds_term) pending;
};

/* ---------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------ */

static int has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	const char *p = list;

	while (*p) {
		size_t k = strcspn(p, " ");
		if (k == n && strncasecmp(p, w, n) == 0)
			return 1;
		p += k;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* The directory's file called base + ".csv" (any case), or NULL. */
static const char *dir_file(const struct pkg *p, const char *base)
{
	size_t i, n = strlen(base);

	for (i = 0; i < p->nfiles; i++) {
		const char *f = p->files[i];
		if (strncasecmp(f, base, n) == 0 &&
		    strcasecmp(f + n, ".csv") == 0)
			return f;
	}
	return NULL;
}

static int list_dir(struct pkg *p)
{
	DIR *d = opendir(p->dir);
	struct dirent *e;

	if (!d)
		return core_err_set(p->err, CORE_EIO,
				    "cannot open directory %s: %s", p->dir,
				    strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		p->files =
		    xrealloc(p->files, (p->nfiles + 1) * sizeof(*p->files));
		p->files[p->nfiles++] = xstrdup(e->d_name);
	}
	closedir(d);
	return CORE_OK;
}

/* datapackage.json: resource names to paths.  A file that does not parse
 * is warned about; the CSV files are then found by their names. */
static void read_datapackage(struct pkg *p, json_object **out)
{
	char *path = xasprintf("%s/datapackage.json", p->dir);
	json_object *o;

	*out = NULL;
	if (access(path, R_OK) != 0) {
		free(path);
		return;
	}
	o = json_object_from_file(path);
	free(path);
	if (!o || !json_object_is_type(o, json_type_object)) {
		hsds_warn(p->m, hsds_file(p->m, "datapackage.json"), 1,
			  "datapackage.json is not a JSON object; the CSV "
			  "files were found by their names");
		json_object_put(o);
		return;
	}
	*out = o;
}

/* The path datapackage.json gives the resource called name, or NULL. */
static const char *dp_path(json_object *dp, const char *name)
{
	json_object *res, *r, *v;
	size_t i, n;

	if (!dp || !json_object_object_get_ex(dp, "resources", &res) ||
	    !json_object_is_type(res, json_type_array))
		return NULL;
	n = json_object_array_length(res);
	for (i = 0; i < n; i++) {
		r = json_object_array_get_idx(res, i);
		if (!json_object_is_type(r, json_type_object) ||
		    !json_object_object_get_ex(r, "name", &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    strcasecmp(json_object_get_string(v), name) != 0 ||
		    !json_object_object_get_ex(r, "path", &v))
			continue;
		if (json_object_is_type(v, json_type_array))
			v = json_object_array_get_idx(v, 0);
		if (v && json_object_is_type(v, json_type_string))
			return json_object_get_string(v);
	}
	return NULL;
}

static void find_tables(struct pkg *p, json_object *dp)
{
	int t;

	for (t = 0; t < T_COUNT; t++) {
		const char *s = specs[t].names;
		while (*s && !p->path[t]) {
			char base[64];
			size_t k = strcspn(s, " ");
			const char *f, *rel;
			snprintf(base, sizeof(base), "%.*s", (int)k, s);
			rel = dp_path(dp, base);
			if (rel && !strstr(rel, "..") && rel[0] != '/') {
				char *full = xasprintf("%s/%s", p->dir, rel);
				if (access(full, R_OK) == 0)
					p->path[t] = full;
				else
					free(full);
			}
			if (!p->path[t] && (f = dir_file(p, base)))
				p->path[t] = xasprintf("%s/%s", p->dir, f);
			s += k;
			while (*s == ' ')
				s++;
		}
	}
	/* taxonomy.csv: the terms in 1.1, the taxonomies in 3.x */
	if (dir_file(p, "taxonomy")) {
		char *f = xasprintf("%s/%s", p->dir, dir_file(p, "taxonomy"));
		if (!p->path[T_TERMS] && !p->v3)
			p->path[T_TERMS] = f;
		else if (!p->path[T_TAXONOMY] && p->v3)
			p->path[T_TAXONOMY] = f;
		else
			free(f);
	}
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* The header of a CSV file, without opening it for long. */
static int header_has(const char *path, const char *col)
{
	struct core_err e = CORE_ERR_INIT;
	struct core_csv *c = core_csv_open(path, &e);
	int r = c && core_csv_col(c, col) >= 0;

	core_csv_free(c);
	return r;
}

/*
 * Tell which HSDS the package is from its file names (addresses.csv,
 * schedules.csv, attributes.csv, service_capacity.csv and units.csv
 * are 3.x; physical_addresses.csv, regular_schedules.csv ... are
 * 1.1/2.0; service_attributes.csv and other_attributes.csv are 2.0)
 * and from the columns of locations.csv and services.csv.  Sets p->v3
 * and replaces m->format with "HSDS 3.x CSV", "HSDS 2.0 CSV" or
 * "HSDS 1.1 CSV".
 */
static void detect(struct pkg *p)
{
	int v3 = 0, v12 = 0, v2 = 0;
	const char *name;

	if (dir_file(p, "addresses") || dir_file(p, "address"))
		v3++;
	if (dir_file(p, "schedules") || dir_file(p, "schedule"))
		v3++;
	if (dir_file(p, "attributes") || dir_file(p, "attribute"))
		v3++;
	if (dir_file(p, "service_capacity") || dir_file(p, "units"))
		v3++;
	if (dir_file(p, "physical_addresses") ||
	    dir_file(p, "postal_addresses"))
		v12++;
	if (dir_file(p, "regular_schedules") ||
	    dir_file(p, "holiday_schedules"))
		v12++;
	if (dir_file(p, "services_at_location") ||
	    dir_file(p, "services_taxonomy"))
		v12++;
	if (dir_file(p, "accessibility_for_disabilities") ||
	    dir_file(p, "eligibility"))
		v12++;
	if (dir_file(p, "service_attributes") ||
	    dir_file(p, "other_attributes"))
		v2++;
	if ((name = dir_file(p, "locations")) ||
	    (name = dir_file(p, "location"))) {
		char *f = xasprintf("%s/%s", p->dir, name);
		if (header_has(f, "location_type"))
			v3 += 2;
		free(f);
	}
	if ((name = dir_file(p, "services")) ||
	    (name = dir_file(p, "service"))) {
		char *f = xasprintf("%s/%s", p->dir, name);
		if (header_has(f, "eligibility_description") ||
		    header_has(f, "minimum_age"))
			v3 += 2;
		free(f);
	}
	p->v3 = v3 > v12 + v2;
	free(p->m->format);
	if (p->v3)
		p->m->format = xstrdup("HSDS 3.x CSV");
	else if (v2 || (dir_file(p, "taxonomy_terms") && v12))
		p->m->format = xstrdup("HSDS 2.0 CSV");
	else
		p->m->format = xstrdup("HSDS 1.1 CSV");
}

/* ---------------------------------------------------------------------
 * One table
 * ------------------------------------------------------------------ */

struct tab {
	struct pkg *p;
	struct core_csv *c;
	const char *file; /* interned base name */
	long line;
	int extra_warned;
};

static int utf8_error(struct pkg *p, const char *path, const struct imp_utf8 *u)
{
	struct core_buf b = CORE_BUF_INIT;
	struct core_err e = CORE_ERR_INIT;
	struct core_csv *c;
	unsigned char ch = u->byte;

	core_buf_addf(&b, "%s line %ld", base_name(path), u->line);
	if (u->line == 1)
		core_buf_adds(&b, " (the header)");
	else if (u->field >= 0 && (c = core_csv_open(path, &e)) != NULL) {
		if ((size_t)u->field < core_csv_nheader(c))
			core_buf_addf(&b, ", field %s",
				      core_csv_header(c, (size_t)u->field));
		core_csv_free(c);
	}
	core_buf_addf(&b, ": byte 0x%02x is not UTF-8 text", ch);
	if (ch >= 0xA0) {
		char latin[3] = {(char)(0xC0 | (ch >> 6)),
				 (char)(0x80 | (ch & 0x3F)), 0};
		core_buf_addf(&b, " (in Latin-1 it is '%s')", latin);
	}
	core_buf_adds(
	    &b, "; save the file as UTF-8 (in Excel: Save As, 'CSV UTF-8')"
		" or convert it with 'iconv -f WINDOWS-1252 -t UTF-8'");
	core_err_set(p->err, CORE_EFORMAT, "%s", core_buf_str(&b));
	core_buf_release(&b);
	return CORE_EFORMAT;
}

static int tab_check(struct pkg *p, enum table t, struct tab *tb);
static void tab_close(struct tab *tb);

/* Scan, checksum and open table t, and check its header.  tb->c is NULL
 * (and CORE_OK returned) when the package has no such file, and after
 * an error. */
static int tab_open(struct pkg *p, enum table t, struct tab *tb)
{
	struct imp_source tmp;
	struct imp_utf8 u;
	const char *path = p->path[t];
	int rc;

	memset(tb, 0, sizeof(*tb));
	tb->p = p;
	if (!path)
		return CORE_OK;
	imp_source_init(&tmp, "assets");
	rc = imp_source_scan(&tmp, path, 1, &u, p->err);
	if (rc == CORE_OK && u.bad)
		rc = utf8_error(p, path, &u);
	if (rc == CORE_OK) {
		char *line =
		    xasprintf("%s %s\n", base_name(path), tmp.checksum);
		imp_md5_update(&p->md5, line, strlen(line));
		free(line);
	}
	imp_source_release(&tmp);
	if (rc)
		return rc;
	tb->file = hsds_file(p->m, base_name(path));
	tb->c = core_csv_open(path, p->err);
	if (!tb->c) {
		/* core_csv names the whole path: say the file's name */
		char msg[CORE_ERR_MSG_MAX];
		const char *m = strstr(p->err->msg, path);
		snprintf(msg, sizeof(msg), "%s%s", tb->file,
			 m ? m + strlen(path) : p->err->msg);
		return core_err_set(p->err, CORE_EFORMAT, "%s", msg);
	}
	if ((rc = tab_check(p, t, tb)))
		tab_close(tb);
	return rc;
}

/* The header: separator, required columns, extra columns. */
static int tab_check(struct pkg *p, enum table t, struct tab *tb)
{
	const char *req;
	size_t i, n;
	int rc;

	n = core_csv_nheader(tb->c);
	if (n == 1) {
		const char *h = core_csv_header(tb->c, 0);
		char sep = strchr(h, ';') ? ';' : strchr(h, '\t') ? '\t' : 0;
		if (sep)
			return core_err_set(
			    p->err, CORE_EFORMAT,
			    "%s line 1: the columns are separated by %s, not "
			    "commas ('%.60s'); HSDS CSV files must be "
			    "comma-separated: save it as 'CSV (comma "
			    "delimited)' or replace the separators",
			    tb->file, sep == ';' ? "';'" : "tabs", h);
	}
	/* required columns */
	req = specs[t].required;
	while (*req) {
		char want[96];
		size_t k = strcspn(req, " ");
		int found = 0;
		const char *alt;
		snprintf(want, sizeof(want), "%.*s", (int)k, req);
		for (alt = want; *alt;) {
			size_t a = strcspn(alt, "|");
			char one[48];
			snprintf(one, sizeof(one), "%.*s", (int)a, alt);
			if (core_csv_col(tb->c, one) >= 0)
				found = 1;
			alt += a;
			if (*alt == '|')
				alt++;
		}
		if (!found) {
			struct core_buf b = CORE_BUF_INIT;
			for (i = 0; i < n; i++)
				core_buf_addf(&b, "%s%s", i ? ", " : "",
					      core_csv_header(tb->c, i));
			rc = core_err_set(p->err, CORE_EFORMAT,
					  "%s: no column '%s', which %s needs; "
					  "the columns are: %s",
					  tb->file, want, p->m->format,
					  b.len ? core_buf_str(&b) : "(none)");
			core_buf_release(&b);
			return rc;
		}
		req += k;
		while (*req == ' ')
			req++;
	}
	/* extra columns: said once per file */
	for (i = 0; i < n; i++) {
		const char *h = core_csv_header(tb->c, i);
		if (*h && !has_word(specs[t].known, h)) {
			char *w = xasprintf(
			    "column '%s' of %s is not an HSDS column; ignored",
			    h, tb->file);
			hsds_warn(p->m, tb->file, 1, w);
			free(w);
		}
	}
	return CORE_OK;
}

/* Next row: 1, 0 at the end, or an error code < 0 with p->err set. */
static int tab_next(struct tab *tb)
{
	int r;

	if (!tb->c)
		return 0;
	r = core_csv_next(tb->c, tb->p->err);
	if (r < 0) {
		char msg[CORE_ERR_MSG_MAX];
		const char *path = core_csv_path(tb->c);
		const char *m = strstr(tb->p->err->msg, path);
		snprintf(msg, sizeof(msg), "%s%s", tb->file,
			 m ? m + strlen(path) : tb->p->err->msg);
		core_err_set(tb->p->err, CORE_EFORMAT, "%s", msg);
		return -1;
	}
	if (r == 1) {
		struct core_buf why = CORE_BUF_INIT;
		size_t field = 0;
		tb->line = core_csv_line(tb->c);
		/* A short last row with no line end: the file is cut. */
		if (core_csv_unterminated(tb->c) &&
		    core_csv_check_width(tb->c, &field, &why) ==
			CORE_CSV_SHORT) {
			core_err_set(tb->p->err, CORE_EFORMAT,
				     "%s line %ld, field %s: %s", tb->file,
				     tb->line, core_csv_header(tb->c, field),
				     core_buf_str(&why));
			core_buf_release(&why);
			return -1;
		}
		core_buf_release(&why);
		if (core_csv_nfields(tb->c) > core_csv_nheader(tb->c) &&
		    !tb->extra_warned) {
			char *w =
			    xasprintf("%s has rows with more fields than its "
				      "header; the extra fields were ignored",
				      tb->file);
			hsds_warn(tb->p->m, tb->file, tb->line, w);
			free(w);
			tb->extra_warned = 1;
		}
	}
	return r;
}

static void tab_close(struct tab *tb)
{
	core_csv_free(tb->c);
	tb->c = NULL;
}

static int col(const struct tab *tb, const char *name)
{
	return tb->c ? core_csv_col(tb->c, name) : -1;
}

/* The trimmed value of column i of the current row, NULL when empty. */
static char *val(const struct tab *tb, int i)
{
	return i < 0 ? NULL : hsds_str(core_csv_get(tb->c, (size_t)i));
}

static double num(const struct tab *tb, int i)
{
	char *s = val(tb, i);
	double d = NAN;

	if (s && !imp_parse_number(s, &d))
		d = NAN;
	free(s);
	return d;
}

struct links {
	int org, service, location, sal, phone;
};

static void links_cols(const struct tab *tb, struct links *l)
{
	l->org = col(tb, "organization_id");
	l->service = col(tb, "service_id");
	l->location = col(tb, "location_id");
	l->sal = col(tb, "service_at_location_id");
	l->phone = col(tb, "phone_id");
}

static void links_read(const struct tab *tb, const struct links *l,
		       struct hsds_child *c)
{
	c->at.file = tb->file;
	c->at.line = tb->line;
	c->at.rec = 0;
	c->to.org = val(tb, l->org);
	c->to.service = val(tb, l->service);
	c->to.location = val(tb, l->location);
	c->to.sal = val(tb, l->sal);
	c->to.phone = val(tb, l->phone);
}

/* An entity id: a problem when absent or repeated.  Returns the id to
 * keep (the caller's), or NULL after a problem. */
static char *entity_id(struct tab *tb, int idcol, struct hsds_ids **ids,
		       const char *what, size_t next_index,
		       long (*line_of)(const struct imp_hsds_model *, size_t))
{
	struct imp_hsds_model *m = tb->p->m;
	char *id = val(tb, idcol);
	long prev;

	if (!id) {
		hsds_problem(m, tb->file, tb->line, "id", NULL,
			     "has no value; every %s needs an id, which other "
			     "files use to refer to it",
			     what);
		return NULL;
	}
	prev = hsds_id_add(ids, 0, id, next_index);
	if (prev >= 0) {
		hsds_problem(
		    m, tb->file, tb->line, "id", id,
		    "is also the id of line %ld; each %s needs its own id",
		    line_of(m, (size_t)prev), what);
		free(id);
		return NULL;
	}
	return id;
}

static long org_line(const struct imp_hsds_model *m, size_t i)
{
	return m->orgs.v[i].at.line;
}

static long loc_line(const struct imp_hsds_model *m, size_t i)
{
	return m->locations.v[i].at.line;
}

static long svc_line(const struct imp_hsds_model *m, size_t i)
{
	return m->services.v[i].at.line;
}

static long sal_line(const struct imp_hsds_model *m, size_t i)
{
	return m->sals.v[i].at.line;
}

/* ---------------------------------------------------------------------
 * The tables
 * ------------------------------------------------------------------ */

static int read_orgs(struct pkg *p)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	int rc, r, cid, cname, cdesc, cmail, curl, cweb;

	if ((rc = tab_open(p, T_ORG, &tb)) || !tb.c)
		return rc;
	cid = col(&tb, "id"), cname = col(&tb, "name");
	cdesc = col(&tb, "description"), cmail = col(&tb, "email");
	curl = col(&tb, "url"), cweb = col(&tb, "website");
	while ((r = tab_next(&tb)) == 1) {
		char *id = entity_id(&tb, cid, &m->org_ids, "organization",
				     m->orgs.n, org_line);
		struct hsds_org *o;
		if (!id)
			continue;
		o = HSDS_PUSH(m->orgs);
		o->at.file = tb.file;
		o->at.line = tb.line;
		o->id = id;
		o->name = val(&tb, cname);
		o->description = val(&tb, cdesc);
		o->email = val(&tb, cmail);
		o->website = val(&tb, cweb);
		if (!o->website)
			o->website = val(&tb, curl);
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

/*
 * Read locations.csv into m->locations, keeping the coordinates as
 * written (check_location in imp_hsds.c judges them).  A row without an
 * id, or with one an earlier row has, is a problem and is left out.
 * Returns CORE_OK, or CORE_EFORMAT with p->err set when the package has
 * no locations file or it lacks a latitude or longitude column, or the
 * error tab_open or tab_next set.
 */
static int read_locs(struct pkg *p)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	int rc, r, cid, corg, cname, cdesc, ctype, curl, clat, clon;

	if ((rc = tab_open(p, T_LOC, &tb)))
		return rc;
	if (!tb.c)
		return core_err_set(p->err, CORE_EFORMAT,
				    "%s has no locations.csv; an HSDS package "
				    "needs one (it holds the places to map)",
				    p->dir);
	cid = col(&tb, "id"), corg = col(&tb, "organization_id");
	cname = col(&tb, "name"), cdesc = col(&tb, "description");
	ctype = col(&tb, "location_type"), curl = col(&tb, "url");
	clat = col(&tb, "latitude"), clon = col(&tb, "longitude");
	if (clat < 0 || clon < 0) {
		rc = core_err_set(
		    p->err, CORE_EFORMAT,
		    "%s: no column '%s'; import hsds places assets by the "
		    "locations' latitude and longitude (decimal degrees), so "
		    "locations.csv needs both columns",
		    tb.file, clat < 0 ? "latitude" : "longitude");
		tab_close(&tb);
		return rc;
	}
	while ((r = tab_next(&tb)) == 1) {
		char *id = entity_id(&tb, cid, &m->loc_ids, "location",
				     m->locations.n, loc_line);
		struct hsds_location *l;
		if (!id)
			continue;
		l = HSDS_PUSH(m->locations);
		l->at.file = tb.file;
		l->at.line = tb.line;
		l->id = id;
		l->org_id = val(&tb, corg);
		l->name = val(&tb, cname);
		l->description = val(&tb, cdesc);
		l->type = val(&tb, ctype);
		l->url = val(&tb, curl);
		l->lat_s = val(&tb, clat);
		l->lon_s = val(&tb, clon);
		l->lat_field = xstrdup("latitude");
		l->lon_field = xstrdup("longitude");
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

/*
 * Read services.csv into m->services.  A row without an id, or with one
 * an earlier row has, is a problem and is left out.  A service's
 * eligibility description and age range (3.x columns) become an
 * eligibility row; its taxonomy_ids (1.x) are kept in p->pending until
 * the terms are read (read_svctax).  Returns CORE_OK (also when the package has
 * no such file), or the error tab_open or tab_next set in p->err.
 */
static int read_svcs(struct pkg *p)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	int rc, r, cid, corg, cname, cdesc, curl, cmail, cstat, cint, cfee,
	    cfee2, celig, cmin, cmax, ctax;

	if ((rc = tab_open(p, T_SVC, &tb)) || !tb.c)
		return rc;
	cid = col(&tb, "id"), corg = col(&tb, "organization_id");
	cname = col(&tb, "name"), cdesc = col(&tb, "description");
	curl = col(&tb, "url"), cmail = col(&tb, "email");
	cstat = col(&tb, "status"), cint = col(&tb, "interpretation_services");
	cfee = col(&tb, "fees_description"), cfee2 = col(&tb, "fees");
	celig = col(&tb, "eligibility_description");
	cmin = col(&tb, "minimum_age"), cmax = col(&tb, "maximum_age");
	ctax = col(&tb, "taxonomy_ids");
	while ((r = tab_next(&tb)) == 1) {
		char *id = entity_id(&tb, cid, &m->svc_ids, "service",
				     m->services.n, svc_line);
		struct hsds_service *s;
		char *el, *tax;
		double mn, mx;
		if (!id)
			continue;
		s = HSDS_PUSH(m->services);
		s->at.file = tb.file;
		s->at.line = tb.line;
		s->id = id;
		s->org_id = val(&tb, corg);
		s->name = val(&tb, cname);
		s->description = val(&tb, cdesc);
		s->url = val(&tb, curl);
		s->email = val(&tb, cmail);
		s->status = val(&tb, cstat);
		s->interpretation = val(&tb, cint);
		s->fees = val(&tb, cfee);
		if (!s->fees)
			s->fees = val(&tb, cfee2);
		el = val(&tb, celig);
		mn = num(&tb, cmin);
		mx = num(&tb, cmax);
		if (el || !isnan(mn) || !isnan(mx)) {
			struct hsds_text *t = HSDS_PUSH(m->eligs);
			t->c.at = m->services.v[m->services.n - 1].at;
			t->c.to.service = xstrdup(id);
			t->text = el;
			t->min = mn;
			t->max = mx;
		}
		/* taxonomy_ids: 1.x writers list term ids here */
		if ((tax = val(&tb, ctax)) != NULL) {
			const char *q = tax;
			while (*q) {
				size_t k = strcspn(q, ",;");
				char *one = xmalloc(k + 1), *t;
				memcpy(one, q, k);
				one[k] = '\0';
				t = hsds_str(one);
				free(one);
				if (t) {
					struct hsds_term *pt =
					    HSDS_PUSH(p->pending);
					pt->c.at =
					    m->services.v[m->services.n - 1].at;
					pt->c.to.service = xstrdup(id);
					pt->code = t;
				}
				q += k;
				if (*q)
					q++;
			}
			free(tax);
		}
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

static int read_sals(struct pkg *p)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	int rc, r, cid, csvc, cloc, cdesc;

	if ((rc = tab_open(p, T_SAL, &tb)) || !tb.c)
		return rc;
	cid = col(&tb, "id"), csvc = col(&tb, "service_id");
	cloc = col(&tb, "location_id"), cdesc = col(&tb, "description");
	while ((r = tab_next(&tb)) == 1) {
		char *id = val(&tb, cid);
		struct hsds_sal *a;
		if (id) {
			long prev = hsds_id_add(&m->sal_ids, 0, id, m->sals.n);
			if (prev >= 0) {
				hsds_problem(
				    m, tb.file, tb.line, "id", id,
				    "is also the id of line %ld; each "
				    "service_at_location needs its own id",
				    sal_line(m, (size_t)prev));
				free(id);
				continue;
			}
		}
		a = HSDS_PUSH(m->sals);
		a->at.file = tb.file;
		a->at.line = tb.line;
		a->id = id;
		a->service_id = val(&tb, csvc);
		a->location_id = val(&tb, cloc);
		a->description = val(&tb, cdesc);
		a->loc_field = xstrdup("location_id");
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

static int read_addrs(struct pkg *p, enum table t)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	struct links lk;
	int rc, r, c1, c2, c3, c4, ccity, cst, czip, creg, ctype;

	if ((rc = tab_open(p, t, &tb)) || !tb.c)
		return rc;
	links_cols(&tb, &lk);
	c1 = col(&tb, "address_1"), c2 = col(&tb, "address_2");
	c3 = col(&tb, "address_3"), c4 = col(&tb, "address_4");
	ccity = col(&tb, "city"), cst = col(&tb, "state_province");
	czip = col(&tb, "postal_code"), creg = col(&tb, "region");
	ctype = col(&tb, "address_type");
	while ((r = tab_next(&tb)) == 1) {
		struct hsds_address *a = HSDS_PUSH(m->addresses);
		struct core_buf b = CORE_BUF_INIT;
		int k, cs[3] = {c2, c3, c4};
		links_read(&tb, &lk, &a->c);
		a->line1 = val(&tb, c1);
		for (k = 0; k < 3; k++) {
			char *v = val(&tb, cs[k]);
			if (v)
				core_buf_addf(&b, "%s%s", b.len ? ", " : "", v);
			free(v);
		}
		a->line2 = b.len ? core_buf_detach(&b) : NULL;
		core_buf_release(&b);
		a->city = val(&tb, ccity);
		a->state = val(&tb, cst);
		a->zip = val(&tb, czip);
		a->region = val(&tb, creg);
		a->type = val(&tb, ctype);
		if (!a->type && t == T_POSTAL)
			a->type = xstrdup("postal");
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

static void add_lang_row(struct imp_hsds_model *m,
			 const struct hsds_child *from, const char *name,
			 const char *code)
{
	struct hsds_lang *lg = HSDS_PUSH(m->langs);

	lg->c.at = from->at;
	lg->c.to.org = xstrdup_or_null(from->to.org);
	lg->c.to.service = xstrdup_or_null(from->to.service);
	lg->c.to.location = xstrdup_or_null(from->to.location);
	lg->c.to.sal = xstrdup_or_null(from->to.sal);
	lg->c.to.phone = xstrdup_or_null(from->to.phone);
	lg->name = xstrdup_or_null(name);
	lg->code = xstrdup_or_null(code);
}

/*
 * Read phones.csv into m->phones (rows without a number are skipped),
 * registering phone ids so languages can name their phone.  The
 * languages a 1.1 or 2.0 phone row lists (names or codes, separated by
 * ',', ';' or '/') become language rows linked like the phone.
 * eturns CORE_OK (also when the package has no
 * such file), or the error tab_open or tab_next set in p->err.
 */
static int read_phones(struct pkg *p)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	struct links lk;
	int rc, r, cid, cnum, cext, ctype, clang;

	if ((rc = tab_open(p, T_PHONE, &tb)) || !tb.c)
		return rc;
	links_cols(&tb, &lk);
	cid = col(&tb, "id"), cnum = col(&tb, "number");
	cext = col(&tb, "extension"), ctype = col(&tb, "type");
	clang = col(&tb, "language");
	if (clang < 0)
		clang = col(&tb, "languages");
	while ((r = tab_next(&tb)) == 1) {
		struct hsds_phone *ph;
		char *number = val(&tb, cnum), *langs;
		if (!number)
			continue;
		ph = HSDS_PUSH(m->phones);
		links_read(&tb, &lk, &ph->c);
		ph->number = number;
		ph->id = val(&tb, cid);
		ph->ext = val(&tb, cext);
		ph->type = val(&tb, ctype);
		if (ph->id)
			hsds_id_add(&m->phone_ids, 0, ph->id, m->phones.n - 1);
		/* 1.1: languages spoken on this line, as text */
		if ((langs = val(&tb, clang)) != NULL) {
			struct hsds_child from = m->phones.v[m->phones.n - 1].c;
			const char *q = langs;
			while (*q) {
				size_t k = strcspn(q, ",;/");
				char *one = xmalloc(k + 1), *t;
				memcpy(one, q, k);
				one[k] = '\0';
				t = hsds_str(one);
				free(one);
				/* 2.0 says codes, 1.1 writers put names */
				if (t)
					add_lang_row(m, &from, t, t);
				free(t);
				q += k;
				if (*q)
					q++;
			}
			free(langs);
		}
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

/*
 * Read schedules.csv (regular_schedules.csv in 1.1/2.0) into m->scheds:
 * frequency, interval, weekday or byday days, days of the month, opening
 * and closing times, and a description (or notes).  Weekdays or byday
 * values that are not understood are warned about, and the row is kept
 * with the days that were.  Returns CORE_OK (also when the package has no
 * such file), or the error tab_open or tab_next set in p->err.
 */
static int read_scheds(struct pkg *p)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	struct links lk;
	int rc, r, cwd, copen, cclose, cfreq, civ, cby, cbmd, cdesc, cnotes;

	if ((rc = tab_open(p, T_SCHED, &tb)) || !tb.c)
		return rc;
	links_cols(&tb, &lk);
	cwd = col(&tb, "weekday"), copen = col(&tb, "opens_at");
	cclose = col(&tb, "closes_at"), cfreq = col(&tb, "freq");
	civ = col(&tb, "interval"), cby = col(&tb, "byday");
	cbmd = col(&tb, "bymonthday"), cdesc = col(&tb, "description");
	cnotes = col(&tb, "notes");
	while ((r = tab_next(&tb)) == 1) {
		struct hsds_sched *sc = HSDS_PUSH(m->scheds);
		char *s;
		double iv;
		links_read(&tb, &lk, &sc->c);
		s = val(&tb, cfreq);
		sc->freq = hsds_freq_parse(s);
		free(s);
		iv = num(&tb, civ);
		sc->interval = isnan(iv) || iv < 1 || iv > 52 ? 0 : (int)iv;
		if ((s = val(&tb, cwd)) != NULL) {
			int d = hsds_weekday(s);
			if (d >= 0) {
				sc->days |= 1u << d;
			} else {
				char *w =
				    xasprintf("%s: weekdays not understood "
					      "(give Monday..Sunday, MO..SU or "
					      "1..7 for Monday..Sunday); those "
					      "rows left out of the hours",
					      tb.file);
				hsds_warn(m, tb.file, tb.line, w);
				free(w);
			}
			free(s);
		}
		if ((s = val(&tb, cby)) != NULL) {
			if (!hsds_sched_byday(sc, s)) {
				char *w =
				    xasprintf("%s: byday values not "
					      "understood; read what could be",
					      tb.file);
				hsds_warn(m, tb.file, tb.line, w);
				free(w);
			}
			free(s);
		}
		sc->monthdays = val(&tb, cbmd);
		s = val(&tb, copen);
		sc->opens = hsds_time(s);
		free(s);
		s = val(&tb, cclose);
		sc->closes = hsds_time(s);
		free(s);
		sc->desc = val(&tb, cdesc);
		if (!sc->desc)
			sc->desc = val(&tb, cnotes);
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

static int read_langs(struct pkg *p)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	struct links lk;
	int rc, r, cname, ccode;

	if ((rc = tab_open(p, T_LANG, &tb)) || !tb.c)
		return rc;
	links_cols(&tb, &lk);
	cname = col(&tb, "name");
	if (cname < 0)
		cname = col(&tb, "language");
	ccode = col(&tb, "code");
	while ((r = tab_next(&tb)) == 1) {
		struct hsds_lang *lg;
		char *name = val(&tb, cname), *code = val(&tb, ccode);
		if (!name && !code)
			continue;
		lg = HSDS_PUSH(m->langs);
		links_read(&tb, &lk, &lg->c);
		lg->name = name;
		lg->code = code;
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

static int read_access(struct pkg *p)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	struct links lk;
	int rc, r, cd, cd2, cdet;

	if ((rc = tab_open(p, T_ACCESS, &tb)) || !tb.c)
		return rc;
	links_cols(&tb, &lk);
	cd = col(&tb, "description"), cd2 = col(&tb, "accessibility");
	cdet = col(&tb, "details");
	while ((r = tab_next(&tb)) == 1) {
		char *d = val(&tb, cd), *det = val(&tb, cdet);
		struct hsds_text *t;
		if (!d)
			d = val(&tb, cd2);
		if (!d && !det)
			continue;
		t = HSDS_PUSH(m->access);
		links_read(&tb, &lk, &t->c);
		t->min = t->max = NAN;
		t->text = hsds_access_text(d, det);
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

static int read_taxonomies(struct pkg *p)
{
	struct tab tb;
	int rc, r, cid, cname;

	if ((rc = tab_open(p, T_TAXONOMY, &tb)) || !tb.c)
		return rc;
	cid = col(&tb, "id"), cname = col(&tb, "name");
	while ((r = tab_next(&tb)) == 1) {
		char *id = val(&tb, cid);
		if (id &&
		    hsds_id_add(&p->tax_ids, 0, id, p->taxonomies.n) < 0) {
			char **slot = HSDS_PUSH(p->taxonomies);
			*slot = val(&tb, cname);
		}
		free(id);
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

/*
 * Read the taxonomy terms (taxonomy_terms.csv, or taxonomy.csv in 1.1)
 * into p->terms by id: name (or term), code, and vocabulary from the
 * term's taxonomy, vocabulary or taxonomy_id (named through
 * taxonomies.csv when read_taxonomies has run).  Rows without an id or
 * repeating an earlier id are skipped.  Returns CORE_OK (also when the package
 * has no such file), or the error tab_open or tab_next set in p->err.
 */
static int read_terms(struct pkg *p)
{
	struct tab tb;
	int rc, r, cid, cname, cterm, ccode, ctax, ctaxid, cvocab;

	if ((rc = tab_open(p, T_TERMS, &tb)) || !tb.c)
		return rc;
	cid = col(&tb, "id"), cname = col(&tb, "name");
	cterm = col(&tb, "term"), ccode = col(&tb, "code");
	ctax = col(&tb, "taxonomy"), ctaxid = col(&tb, "taxonomy_id");
	cvocab = col(&tb, "vocabulary");
	while ((r = tab_next(&tb)) == 1) {
		char *id = val(&tb, cid), *tax, *taxid;
		struct pterm *t;
		if (!id)
			continue;
		if (hsds_id_add(&p->term_ids, 0, id, p->terms.n) >= 0) {
			free(id);
			continue;
		}
		free(id);
		t = HSDS_PUSH(p->terms);
		t->name = val(&tb, cname);
		if (!t->name)
			t->name = val(&tb, cterm);
		t->code = val(&tb, ccode);
		tax = val(&tb, ctax);
		if (!tax)
			tax = val(&tb, cvocab);
		taxid = val(&tb, ctaxid);
		if (!tax && taxid) {
			long k = hsds_id_find(p->tax_ids, 0, taxid);
			if (k >= 0)
				tax = xstrdup_or_null(p->taxonomies.v[k]);
			if (!tax)
				tax = xstrdup(taxid);
		}
		t->vocab = xstrdup(hsds_vocab(tax));
		free(tax);
		free(taxid);
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

/* A term row for the term with id tid, linked as in c. */
static void add_term(struct pkg *p, const struct hsds_child *c, const char *tid)
{
	struct imp_hsds_model *m = p->m;
	long k = hsds_id_find(p->term_ids, 0, tid);
	struct hsds_term *t;

	if (k < 0 && p->terms.n) {
		char *w =
		    xasprintf("%s rows naming a taxonomy term that is not in "
			      "the package; the id was used as the term",
			      c->at.file);
		hsds_warn(m, c->at.file, c->at.line, w);
		free(w);
	}
	t = HSDS_PUSH(m->terms);
	t->c.at = c->at;
	t->c.to.org = xstrdup_or_null(c->to.org);
	t->c.to.service = xstrdup_or_null(c->to.service);
	t->c.to.location = xstrdup_or_null(c->to.location);
	t->c.to.sal = xstrdup_or_null(c->to.sal);
	if (k >= 0) {
		t->vocab = xstrdup(p->terms.v[k].vocab);
		t->term = xstrdup_or_null(p->terms.v[k].name);
		t->code = xstrdup_or_null(p->terms.v[k].code);
	} else {
		t->vocab = xstrdup("hsds");
		t->term = xstrdup(tid);
	}
}

/*
 * Read attributes.csv (other_attributes.csv in 2.0) into term rows of
 * the model: each row links a taxonomy term to the entity link_id names,
 * whose kind is given by link_entity (link_type in other_attributes),
 * else found by looking link_id up among the services, locations,
 * organizations and service_at_location links already read.  Rows whose
 * entity cannot be told are skipped.  Returns CORE_OK (also when the package
 * has no such file), or the error tab_open or tab_next set in p->err.
 */
static int read_attrs(struct pkg *p)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	int rc, r, clink, cent, cterm;

	if ((rc = tab_open(p, T_ATTR, &tb)) || !tb.c)
		return rc;
	clink = col(&tb, "link_id"), cent = col(&tb, "link_entity");
	cterm = col(&tb, "taxonomy_term_id");
	if (cent < 0 && strncasecmp(tb.file, "other_attribute", 15) == 0)
		cent = col(&tb, "link_type");
	while ((r = tab_next(&tb)) == 1) {
		char *link = val(&tb, clink), *ent = val(&tb, cent);
		char *tid = val(&tb, cterm);
		struct hsds_child c;
		char kind = 0;

		memset(&c, 0, sizeof(c));
		c.at.file = tb.file;
		c.at.line = tb.line;
		if (link && tid) {
			if (ent) {
				if (strncasecmp(ent, "service_at", 10) == 0)
					kind = 'a';
				else if (strncasecmp(ent, "service", 7) == 0)
					kind = 's';
				else if (strncasecmp(ent, "location", 8) == 0)
					kind = 'l';
				else if (strncasecmp(ent, "organization", 12) ==
					 0)
					kind = 'o';
			} else if (hsds_id_find(m->svc_ids, 0, link) >= 0) {
				kind = 's';
			} else if (hsds_id_find(m->loc_ids, 0, link) >= 0) {
				kind = 'l';
			} else if (hsds_id_find(m->org_ids, 0, link) >= 0) {
				kind = 'o';
			} else if (hsds_id_find(m->sal_ids, 0, link) >= 0) {
				kind = 'a';
			}
			c.to.service = kind == 's' ? link : NULL;
			c.to.location = kind == 'l' ? link : NULL;
			c.to.org = kind == 'o' ? link : NULL;
			c.to.sal = kind == 'a' ? link : NULL;
			if (kind)
				add_term(p, &c, tid);
		}
		free(link);
		free(ent);
		free(tid);
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

static int read_svctax(struct pkg *p)
{
	struct tab tb;
	int rc, r, csvc, ctax;
	size_t i;

	if ((rc = tab_open(p, T_SVCTAX, &tb)))
		return rc;
	if (tb.c) {
		csvc = col(&tb, "service_id");
		ctax = col(&tb, "taxonomy_id");
		if (ctax < 0)
			ctax = col(&tb, "taxonomy_term_id");
		while ((r = tab_next(&tb)) == 1) {
			struct hsds_child c;
			char *tid = val(&tb, ctax);
			memset(&c, 0, sizeof(c));
			c.at.file = tb.file;
			c.at.line = tb.line;
			c.to.service = val(&tb, csvc);
			if (c.to.service && tid)
				add_term(p, &c, tid);
			free(c.to.service);
			free(tid);
		}
		tab_close(&tb);
		if (r < 0)
			return CORE_EFORMAT;
	}
	for (i = 0; i < p->pending.n; i++)
		add_term(p, &p->pending.v[i].c, p->pending.v[i].code);
	return CORE_OK;
}

static int read_eligs(struct pkg *p)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	struct links lk;
	int rc, r, ctext, cmin, cmax;

	if ((rc = tab_open(p, T_ELIG, &tb)) || !tb.c)
		return rc;
	links_cols(&tb, &lk);
	ctext = col(&tb, "eligibility"), cmin = col(&tb, "minimum_age");
	cmax = col(&tb, "maximum_age");
	while ((r = tab_next(&tb)) == 1) {
		char *text = val(&tb, ctext);
		double mn = num(&tb, cmin), mx = num(&tb, cmax);
		struct hsds_text *t;
		if (!text && isnan(mn) && isnan(mx))
			continue;
		t = HSDS_PUSH(m->eligs);
		links_read(&tb, &lk, &t->c);
		t->text = text;
		t->min = mn;
		t->max = mx;
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

static int read_units(struct pkg *p)
{
	struct tab tb;
	int rc, r, cid, cname;

	if ((rc = tab_open(p, T_UNIT, &tb)) || !tb.c)
		return rc;
	cid = col(&tb, "id"), cname = col(&tb, "name");
	while ((r = tab_next(&tb)) == 1) {
		char *id = val(&tb, cid);
		if (id && hsds_id_add(&p->unit_ids, 0, id, p->units.n) < 0) {
			char **slot = HSDS_PUSH(p->units);
			*slot = val(&tb, cname);
		}
		free(id);
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

static int read_caps(struct pkg *p)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	struct links lk;
	int rc, r, cunit, cav, cmax;

	if ((rc = tab_open(p, T_CAP, &tb)) || !tb.c)
		return rc;
	links_cols(&tb, &lk);
	cunit = col(&tb, "unit_id"), cav = col(&tb, "available");
	cmax = col(&tb, "maximum");
	while ((r = tab_next(&tb)) == 1) {
		double av = num(&tb, cav), mx = num(&tb, cmax);
		struct hsds_cap *c;
		char *unit;
		if (isnan(av) && isnan(mx))
			continue;
		c = HSDS_PUSH(m->caps);
		links_read(&tb, &lk, &c->c);
		c->value = !isnan(mx) ? mx : av;
		if ((unit = val(&tb, cunit)) != NULL) {
			long k = hsds_id_find(p->unit_ids, 0, unit);
			c->unit =
			    k >= 0 ? xstrdup_or_null(p->units.v[k]) : NULL;
			if (!c->unit)
				c->unit = xstrdup(unit);
			free(unit);
		}
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

static int read_areas(struct pkg *p)
{
	struct imp_hsds_model *m = p->m;
	struct tab tb;
	int rc, r, csvc, cname, cname2;

	if ((rc = tab_open(p, T_AREA, &tb)) || !tb.c)
		return rc;
	csvc = col(&tb, "service_id");
	cname = col(&tb, "name"), cname2 = col(&tb, "service_area");
	while ((r = tab_next(&tb)) == 1) {
		char *sid = val(&tb, csvc), *name = val(&tb, cname);
		long s;
		if (!name)
			name = val(&tb, cname2);
		s = hsds_id_find(m->svc_ids, 0, sid);
		if (s >= 0 && name) {
			struct hsds_service *sv = &m->services.v[s];
			char *a = sv->areas
				      ? xasprintf("%s; %s", sv->areas, name)
				      : xstrdup(name);
			free(sv->areas);
			sv->areas = a;
		}
		free(sid);
		free(name);
	}
	tab_close(&tb);
	return r < 0 ? CORE_EFORMAT : CORE_OK;
}

/* Files a package usually has, said when absent. */
static void warn_missing(struct pkg *p)
{
	static const enum table v12[] = {T_ORG,	 T_SVC,	  T_SAL,
					 T_ADDR, T_PHONE, T_SCHED,
					 T_LANG, T_ELIG,  T_SVCTAX};
	static const enum table v3[] = {T_ORG,	 T_SVC,	  T_SAL,  T_ADDR,
					T_PHONE, T_SCHED, T_LANG, T_ATTR,
					T_TERMS, T_CAP};
	static const char *const v12n[] = {"organizations.csv",
					   "services.csv",
					   "services_at_location.csv",
					   "physical_addresses.csv",
					   "phones.csv",
					   "regular_schedules.csv",
					   "languages.csv",
					   "eligibility.csv",
					   "services_taxonomy.csv"};
	static const char *const v3n[] = {
	    "organizations.csv",   "services.csv",   "service_at_location.csv",
	    "addresses.csv",	   "phones.csv",     "schedules.csv",
	    "languages.csv",	   "attributes.csv", "taxonomy_terms.csv",
	    "service_capacity.csv"};
	const enum table *ts = p->v3 ? v3 : v12;
	const char *const *names = p->v3 ? v3n : v12n;
	size_t n =
	    p->v3 ? sizeof(v3) / sizeof(v3[0]) : sizeof(v12) / sizeof(v12[0]);
	size_t i;

	for (i = 0; i < n; i++)
		if (!p->path[ts[i]]) {
			char *w = xasprintf(
			    "%s is not in the package; read without it",
			    names[i]);
			hsds_warn(p->m, NULL, 0, w);
			free(w);
		}
}

int hsds_read_package(struct imp_hsds_model *m, const char *dir,
		      struct core_err *err)
{
	struct pkg p;
	json_object *dp = NULL;
	char *hex = NULL;
	size_t i;
	int t, rc;

	memset(&p, 0, sizeof(p));
	p.m = m;
	p.err = err;
	p.dir = xstrdup(dir);
	imp_md5_init(&p.md5);
	if ((rc = list_dir(&p)))
		goto cleanup;
	detect(&p);
	read_datapackage(&p, &dp);
	find_tables(&p, dp);
	warn_missing(&p);
	if ((rc = read_orgs(&p)) || (rc = read_locs(&p)) ||
	    (rc = read_svcs(&p)) || (rc = read_sals(&p)) ||
	    (rc = read_addrs(&p, T_ADDR)) || (rc = read_addrs(&p, T_POSTAL)) ||
	    (rc = read_phones(&p)) || (rc = read_scheds(&p)) ||
	    (rc = read_langs(&p)) || (rc = read_access(&p)) ||
	    (rc = read_taxonomies(&p)) || (rc = read_terms(&p)) ||
	    (rc = read_attrs(&p)) || (rc = read_svctax(&p)) ||
	    (rc = read_eligs(&p)) || (rc = read_units(&p)) ||
	    (rc = read_caps(&p)) || (rc = read_areas(&p)))
		goto cleanup;
	hex = imp_md5_finish(&p.md5);
	free(m->checksum);
	m->checksum = xstrdup(hex ? hex : "");
cleanup:
	free(hex);
	free(imp_md5_finish(&p.md5));
	json_object_put(dp);
	for (t = 0; t < T_COUNT; t++)
		free(p.path[t]);
	for (i = 0; i < p.nfiles; i++)
		free(p.files[i]);
	free(p.files);
	for (i = 0; i < p.taxonomies.n; i++)
		free(p.taxonomies.v[i]);
	free(p.taxonomies.v);
	for (i = 0; i < p.units.n; i++)
		free(p.units.v[i]);
	free(p.units.v);
	for (i = 0; i < p.terms.n; i++) {
		free(p.terms.v[i].vocab);
		free(p.terms.v[i].name);
		free(p.terms.v[i].code);
	}
	free(p.terms.v);
	for (i = 0; i < p.pending.n; i++) {
		free(p.pending.v[i].c.to.service);
		free(p.pending.v[i].code);
	}
	free(p.pending.v);
	/* the package's own id tables */
	hsds_ids_free(p.tax_ids);
	hsds_ids_free(p.term_ids);
	hsds_ids_free(p.unit_ids);
	free(p.dir);
	return rc;
}
