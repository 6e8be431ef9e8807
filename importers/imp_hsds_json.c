/*
 * imp_hsds_json.c - HSDS 3.x JSON and NDJSON into the model.
 *
 * A file is NDJSON when it holds more than one JSON value (one per line),
 * else one JSON document: an organization object, or an array of them.
 * Each organization (an array element, an NDJSON line) is a record: its
 * ids are its own, and problems name the line where it starts and the
 * path of the field inside it ("locations[0].latitude").
 *
 * Records need not be bare organizations: an object without a name that
 * holds one (as {"source": ..., "hsds_organization": {...}} does) is
 * unwrapped, arrays beside the organization (locations, services, ...)
 * are taken as its own, and {"organizations": [...], "services": [...]}
 * gives several organizations.  Key names HSDS writers are known to get
 * wrong are read with a warning (see the alias tables below); keys we do
 * not use are ignored.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/core_mem.h"
#include "importers/imp_hsds_int.h"

/* Nesting deeper than this is not an HSDS directory. */
#define JSON_DEPTH 64

struct jctx {
	struct imp_hsds_model *m;
	const char *file;
	long line;
	int rec;
	int nsynth;
	struct core_buf path;
};

/* ---------------------------------------------------------------------
 * Keys and values
 * ------------------------------------------------------------------ */

/* An accepted spelling of a key; warn: it is a mistake, say so. */
struct alias {
	const char *key;
	int warn;
};

#define ALIASES(...) ((const struct alias[]){__VA_ARGS__, {NULL, 0}})

static size_t path_push_key(struct jctx *j, const char *key)
{
	size_t len = j->path.len;

	if (len)
		core_buf_addc(&j->path, '.');
	core_buf_adds(&j->path, key);
	return len;
}

static size_t path_push_index(struct jctx *j, size_t i)
{
	size_t len = j->path.len;

	core_buf_addf(&j->path, "[%zu]", i);
	return len;
}

static void path_pop(struct jctx *j, size_t len)
{
	j->path.len = len;
	if (j->path.s)
		j->path.s[len] = '\0';
}

/* The path of key under the current path, in a new string. */
static char *path_of(struct jctx *j, const char *key)
{
	if (!j->path.len)
		return xstrdup(key);
	return xasprintf("%s.%s", core_buf_str(&j->path), key);
}

/*
 * The value of key in o, else of the first alias present; an alias
 * marked warn is counted as a warning.  *used (may be NULL) gets the
 * key found.  NULL when absent or JSON null.
 */
static json_object *get(struct jctx *j, json_object *o, const char *key,
			const struct alias *aliases, const char **used)
{
	json_object *v = NULL;
	size_t i;

	if (used)
		*used = key;
	if (!o || !json_object_is_type(o, json_type_object))
		return NULL;
	if (json_object_object_get_ex(o, key, &v) && v)
		return v;
	for (i = 0; aliases && aliases[i].key; i++) {
		if (json_object_object_get_ex(o, aliases[i].key, &v) && v) {
			if (aliases[i].warn) {
				char *w = xasprintf("key '%s' read as '%s'",
						    aliases[i].key, key);
				hsds_warn(j->m, j->file, j->line, w);
				free(w);
			}
			if (used)
				*used = aliases[i].key;
			return v;
		}
	}
	return NULL;
}

/* A scalar as a trimmed string (numbers as written), NULL otherwise. */
static char *scalar(json_object *v)
{
	if (!v)
		return NULL;
	switch (json_object_get_type(v)) {
	case json_type_string:
	case json_type_int:
	case json_type_double:
	case json_type_boolean:
		return hsds_str(json_object_get_string(v));
	default:
		return NULL;
	}
}

static char *gets(struct jctx *j, json_object *o, const char *key,
		  const struct alias *aliases)
{
	return scalar(get(j, o, key, aliases, NULL));
}

/* A number (or a string holding one); NaN otherwise. */
static double getnum(struct jctx *j, json_object *o, const char *key,
		     const struct alias *aliases)
{
	json_object *v = get(j, o, key, aliases, NULL);
	double d;
	char *s;

	if (!v)
		return NAN;
	if (json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		return isfinite(d) ? d : NAN;
	}
	s = scalar(v);
	if (!s || !imp_parse_number(s, &d))
		d = NAN;
	free(s);
	return d;
}

/* Items of an array, or the value itself when it is one object:
 * writers put a single address where a list belongs. */
static size_t items(json_object *v, json_object ***out)
{
	size_t n, i;

	*out = NULL;
	if (!v)
		return 0;
	if (json_object_is_type(v, json_type_object)) {
		*out = xmalloc(sizeof(**out));
		(*out)[0] = v;
		return 1;
	}
	if (!json_object_is_type(v, json_type_array))
		return 0;
	n = json_object_array_length(v);
	*out = xcalloc(n + 1, sizeof(**out));
	for (i = 0; i < n; i++)
		(*out)[i] = json_object_array_get_idx(v, i);
	return n;
}

/* A list of strings: an array of scalars joined with ',', or a string. */
static char *joined(json_object *v)
{
	struct core_buf b = CORE_BUF_INIT;
	size_t i, n;

	if (!v)
		return NULL;
	if (!json_object_is_type(v, json_type_array))
		return scalar(v);
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		char *s = scalar(json_object_array_get_idx(v, i));
		if (s) {
			if (b.len)
				core_buf_addc(&b, ',');
			core_buf_adds(&b, s);
		}
		free(s);
	}
	if (!b.len) {
		core_buf_release(&b);
		return NULL;
	}
	return core_buf_detach(&b);
}

static char *synth_id(struct jctx *j, const char *kind)
{
	return xasprintf("#auto-%s-%d", kind, ++j->nsynth);
}

/* An id as written (strings or numbers), else NULL. */
static char *get_id(struct jctx *j, json_object *o, const struct alias *al)
{
	return gets(j, o, "id", al);
}

/*
 * o's id (al: its other keys) or, without one, a made-up one for kind;
 * the caller owns it.  *prev: where ids has it in this record, -1 when
 * it is new.
 */
static char *new_id(struct jctx *j, json_object *o, const struct alias *al,
		    const char *kind, const struct hsds_ids *ids, long *prev)
{
	char *id = get_id(j, o, al);

	if (!id)
		id = synth_id(j, kind);
	*prev = hsds_id_find(ids, j->rec, id);
	return id;
}

/* Report id (which this frees) as the record's second of what; the
 * earlier one's path is quoted when not NULL. */
static void repeated_id(struct jctx *j, char *id, const char *what,
			const char *prev_path)
{
	char *f = path_of(j, "id");

	if (prev_path)
		hsds_problem(
		    j->m, j->file, j->line, f, id,
		    "is the id of two %s (%s and this one); ids must be unique",
		    what, prev_path);
	else
		hsds_problem(j->m, j->file, j->line, f, id,
			     "is the id of two %s; ids must be unique", what);
	free(f);
	free(id);
}

static void set_at(struct jctx *j, struct hsds_at *at)
{
	at->file = j->file;
	at->line = j->line;
	at->rec = j->rec;
}

static void link_copy(struct hsds_link *dst, const struct hsds_link *src)
{
	dst->org = xstrdup_or_null(src->org);
	dst->service = xstrdup_or_null(src->service);
	dst->location = xstrdup_or_null(src->location);
	dst->sal = xstrdup_or_null(src->sal);
	dst->phone = xstrdup_or_null(src->phone);
}

/* A child object read here, attached to the parents in to (copied). */
static void child_at(struct jctx *j, struct hsds_child *c,
		     const struct hsds_link *to)
{
	set_at(j, &c->at);
	link_copy(&c->to, to);
}

/* ---------------------------------------------------------------------
 * Child objects: each takes the links of its parent.
 * ------------------------------------------------------------------ */

static void read_langs(struct jctx *j, json_object *v,
		       const struct hsds_link *to);

static void read_phones(struct jctx *j, json_object *v,
			const struct hsds_link *to)
{
	json_object **it;
	size_t n = items(v, &it), i;

	for (i = 0; i < n; i++) {
		struct hsds_phone *p;
		char *num = gets(j, it[i], "number",
				 ALIASES({"phone", 1}, {"phone_number", 1}));
		if (!num)
			continue;
		p = HSDS_PUSH(j->m->phones);
		child_at(j, &p->c, to);
		p->number = num;
		p->ext = gets(j, it[i], "extension", ALIASES({"ext", 1}));
		p->type = gets(j, it[i], "type", NULL);
		p->id = get_id(j, it[i], NULL);
		if (p->id)
			hsds_id_add(&j->m->phone_ids, j->rec, p->id,
				    j->m->phones.n - 1);
		/* languages spoken on this line: the phone's parents' */
		{
			struct hsds_link pl = *to;
			pl.phone = p->id ? p->id : (char *)"#auto-phone";
			read_langs(j, get(j, it[i], "languages", NULL, NULL),
				   &pl);
		}
	}
	free(it);
}

static void read_sched_links(struct jctx *j, json_object *o,
			     struct hsds_sched *sc)
{
	char *s = gets(j, o, "service_id", NULL);
	char *l = gets(j, o, "location_id", NULL);
	char *a = gets(j, o, "service_at_location_id", NULL);

	if (s) {
		free(sc->c.to.service);
		sc->c.to.service = s;
	}
	if (l) {
		free(sc->c.to.location);
		sc->c.to.location = l;
	}
	if (a) {
		free(sc->c.to.sal);
		sc->c.to.sal = a;
	}
}

/*
 * Add a schedule row to j->m for each object in v (a list, or one
 * object), linked to the parents in to unless the object names its own
 * service_id, location_id or service_at_location_id.  With explicit_only,
 * objects naming neither a service nor a location are skipped.  Reads
 * frequency, interval, days (byday and its misspellings), days of the
 * month, opening and closing times and a description; days that are not
 * understood are warned about.
 */
static void read_scheds(struct jctx *j, json_object *v,
			const struct hsds_link *to, int explicit_only)
{
	json_object **it;
	size_t n = items(v, &it), i;

	for (i = 0; i < n; i++) {
		json_object *o = it[i];
		struct hsds_sched *sc;
		char *days, *t;
		double iv;

		if (!json_object_is_type(o, json_type_object))
			continue;
		if (explicit_only && !get(j, o, "service_id", NULL, NULL) &&
		    !get(j, o, "location_id", NULL, NULL))
			continue;
		sc = HSDS_PUSH(j->m->scheds);
		child_at(j, &sc->c, to);
		read_sched_links(j, o, sc);
		t = gets(j, o, "freq", ALIASES({"frequency", 1}));
		sc->freq = hsds_freq_parse(t);
		free(t);
		iv = getnum(j, o, "interval", NULL);
		sc->interval = isnan(iv) || iv < 1 || iv > 52 ? 0 : (int)iv;
		days = joined(get(j, o, "byday",
				  ALIASES({"days", 1}, {"day_of_week", 1},
					  {"days_of_week", 1}, {"weekday", 1},
					  {"weekdays", 1}),
				  NULL));
		if (days && !hsds_sched_byday(sc, days))
			hsds_warn(
			    j->m, j->file, j->line,
			    "schedule days not understood; read what could be");
		free(days);
		sc->monthdays = joined(get(
		    j, o, "bymonthday", ALIASES({"days_of_month", 1}), NULL));
		t = gets(j, o, "opens_at",
			 ALIASES({"open_time", 1}, {"opens", 1},
				 {"start_time", 1}, {"time_start", 1},
				 {"time_open", 1}));
		sc->opens = hsds_time(t);
		free(t);
		t = gets(j, o, "closes_at",
			 ALIASES({"close_time", 1}, {"closes", 1},
				 {"end_time", 1}, {"time_end", 1},
				 {"time_close", 1}));
		sc->closes = hsds_time(t);
		free(t);
		sc->desc = gets(j, o, "description", ALIASES({"notes", 0}));
	}
	free(it);
}

static void read_langs(struct jctx *j, json_object *v,
		       const struct hsds_link *to)
{
	json_object **it;
	size_t n = items(v, &it), i;

	for (i = 0; i < n; i++) {
		struct hsds_lang *lg;
		char *name, *code;
		if (json_object_is_type(it[i], json_type_object)) {
			name = gets(j, it[i], "name", ALIASES({"language", 0}));
			code = gets(j, it[i], "code", NULL);
		} else {
			name = scalar(it[i]); /* ["English", "Spanish"] */
			code = NULL;
		}
		if (!name && !code)
			continue;
		lg = HSDS_PUSH(j->m->langs);
		child_at(j, &lg->c, to);
		lg->name = name;
		lg->code = code;
	}
	free(it);
}

static void read_access(struct jctx *j, json_object *v,
			const struct hsds_link *to)
{
	json_object **it;
	size_t n = items(v, &it), i;

	for (i = 0; i < n; i++) {
		char *d = gets(j, it[i], "description",
			       ALIASES({"accessibility", 0}));
		char *det = gets(j, it[i], "details", NULL);
		struct hsds_text *t;
		if (!d && !det)
			continue;
		t = HSDS_PUSH(j->m->access);
		child_at(j, &t->c, to);
		t->min = t->max = NAN;
		t->text = hsds_access_text(d, det);
	}
	free(it);
}

static void read_terms(struct jctx *j, json_object *v,
		       const struct hsds_link *to)
{
	json_object **it;
	size_t n = items(v, &it), i;

	for (i = 0; i < n; i++) {
		json_object *tt = get(j, it[i], "taxonomy_term", NULL, NULL);
		json_object *tax;
		struct hsds_term *t;
		char *name, *code, *taxname;

		if (!tt || !json_object_is_type(tt, json_type_object))
			continue;
		name = gets(j, tt, "name", ALIASES({"term", 0}));
		code = gets(j, tt, "code", NULL);
		if (!name && !code)
			continue;
		tax = get(j, tt, "taxonomy", NULL, NULL);
		if (tax && json_object_is_type(tax, json_type_object))
			taxname = gets(j, tax, "name", NULL);
		else
			taxname = scalar(tax);
		if (!taxname)
			taxname = gets(j, tt, "taxonomy_id",
				       ALIASES({"term_uri", 0}));
		t = HSDS_PUSH(j->m->terms);
		child_at(j, &t->c, to);
		t->vocab = xstrdup(hsds_vocab(taxname));
		t->term = name;
		t->code = code;
		free(taxname);
	}
	free(it);
}

static void read_caps(struct jctx *j, json_object *v,
		      const struct hsds_link *to)
{
	json_object **it;
	size_t n = items(v, &it), i;

	for (i = 0; i < n; i++) {
		double mx = getnum(j, it[i], "maximum", NULL);
		double av = getnum(j, it[i], "available", NULL);
		json_object *u = get(j, it[i], "unit", NULL, NULL);
		struct hsds_cap *c;

		if (isnan(mx) && isnan(av))
			continue;
		c = HSDS_PUSH(j->m->caps);
		child_at(j, &c->c, to);
		c->value = !isnan(mx) ? mx : av;
		if (u && json_object_is_type(u, json_type_object))
			c->unit = gets(j, u, "name", NULL);
		else
			c->unit = scalar(u);
	}
	free(it);
}

/* What a location and a service both have: phones, schedules and
 * languages. */
static void read_contact(struct jctx *j, json_object *o,
			 const struct hsds_link *to)
{
	read_phones(j, get(j, o, "phones", NULL, NULL), to);
	read_scheds(j,
		    get(j, o, "schedules",
			ALIASES({"schedule", 1}, {"regular_schedules", 0}),
			NULL),
		    to, 0);
	read_langs(j, get(j, o, "languages", ALIASES({"language", 1}), NULL),
		   to);
}

/* ---------------------------------------------------------------------
 * Locations
 * ------------------------------------------------------------------ */

static const struct alias *const address_aliases = ALIASES(
    {"addresss", 1}, {"address", 1}, {"physical_addresses", 0},
    {"physical_address", 0}, {"postal_addresses", 0}, {"postal_address", 0});

/*
 * Add the address object o to j->m, linked to the parents in to: the
 * street lines (or address_lines joined), city, state, postal code,
 * region and type, each under its HSDS key or a known misspelling
 * (warned about).  on_location: o is the location itself, read for
 * address fields written on it; then nothing is added unless it has a
 * street line, a city or a postal code, and a warning says so when it
 * has.
 */
static void read_address(struct jctx *j, json_object *o,
			 const struct hsds_link *to, int on_location)
{
	struct hsds_address *a;
	char *l1, *l2;
	json_object *lines;

	l1 =
	    gets(j, o, "address_1",
		 ALIASES({"street", 1}, {"street1", 1}, {"street_address", 1},
			 {"address1", 1}, {"address_line_1", 1}, {"line1", 1}));
	l2 = gets(j, o, "address_2",
		  ALIASES({"street2", 1}, {"address2", 1},
			  {"address_line_2", 1}, {"line2", 1}));
	if (!l1 && (lines = get(j, o, "address_lines", NULL, NULL))) {
		struct core_buf b = CORE_BUF_INIT;
		json_object **it;
		size_t n = items(lines, &it), i;
		hsds_warn(j->m, j->file, j->line,
			  "key 'address_lines' read as 'address_1'");
		for (i = 0; i < n; i++) {
			char *s = scalar(it[i]);
			if (s)
				core_buf_addf(&b, "%s%s", b.len ? ", " : "", s);
			free(s);
		}
		free(it);
		if (b.len)
			l1 = core_buf_detach(&b);
		core_buf_release(&b);
	}
	if (on_location && !l1 && !get(j, o, "city", NULL, NULL) &&
	    !get(j, o, "postal_code", NULL, NULL)) {
		free(l2);
		return;
	}
	if (on_location)
		hsds_warn(j->m, j->file, j->line,
			  "address fields written on the location itself read "
			  "as its address");
	a = HSDS_PUSH(j->m->addresses);
	child_at(j, &a->c, to);
	a->line1 = l1;
	a->line2 = l2;
	a->city = gets(j, o, "city", ALIASES({"locality", 1}));
	a->state = gets(j, o, "state_province",
			ALIASES({"state", 1}, {"region_code", 1}));
	a->zip = gets(j, o, "postal_code",
		      ALIASES({"zip", 1}, {"zip_code", 1}, {"postcode", 1}));
	a->region = gets(j, o, "region", NULL);
	a->type = on_location ? NULL : gets(j, o, "address_type", NULL);
}

static void read_coords(struct jctx *j, json_object *o, struct hsds_location *l)
{
	json_object *v, *c;
	const char *used, *latk = NULL, *lonk = NULL;

	v = get(j, o, "latitude", ALIASES({"lat", 1}), &used);
	if (v) {
		l->lat_s = scalar(v);
		latk = used;
	}
	v = get(j, o, "longitude", ALIASES({"lng", 1}, {"lon", 1}, {"long", 1}),
		&used);
	if (v) {
		l->lon_s = scalar(v);
		lonk = used;
	}
	if (!l->lat_s && !l->lon_s &&
	    (c = get(j, o, "coordinates", ALIASES({"geo", 1}), &used)) &&
	    json_object_is_type(c, json_type_object)) {
		int geo = strcmp(used, "geo") == 0;
		hsds_warn(j->m, j->file, j->line,
			  "key 'coordinates' read as latitude and longitude");
		l->lat_s = gets(j, c, "latitude", ALIASES({"lat", 1}));
		l->lon_s =
		    gets(j, c, "longitude", ALIASES({"lng", 1}, {"lon", 1}));
		latk = geo ? "geo.latitude" : "coordinates.latitude";
		lonk = geo ? "geo.longitude" : "coordinates.longitude";
	}
	l->lat_field = path_of(j, latk ? latk : "latitude");
	l->lon_field = path_of(j, lonk ? lonk : "longitude");
}

/* Read one location of organization org; returns its id (borrowed from
 * the model until the next location), or NULL when it was dropped. */
static const char *read_location(struct jctx *j, json_object *o,
				 const char *org)
{
	struct imp_hsds_model *m = j->m;
	struct hsds_location *l;
	struct hsds_link to = {0};
	json_object *v, **it;
	size_t n, i;
	long prev;
	char *id;

	if (!json_object_is_type(o, json_type_object))
		return NULL;
	id = new_id(j, o, ALIASES({"location_id", 1}), "location", m->loc_ids,
		    &prev);
	if (prev >= 0) {
		repeated_id(j, id, "locations of this organization",
			    m->locations.v[prev].path);
		return NULL;
	}
	l = HSDS_PUSH(m->locations);
	set_at(j, &l->at);
	l->id = id;
	hsds_id_add(&m->loc_ids, j->rec, id, m->locations.n - 1);
	l->path = xstrdup(core_buf_str(&j->path));
	l->org_id = xstrdup_or_null(org);
	l->name = gets(j, o, "name", NULL);
	l->description = gets(j, o, "description", NULL);
	l->url = gets(j, o, "url", NULL);
	l->type = gets(j, o, "location_type", NULL);
	read_coords(j, o, l);

	to.org = (char *)org;
	to.location = id;
	v = get(j, o, "addresses", address_aliases, NULL);
	n = items(v, &it);
	for (i = 0; i < n; i++)
		if (json_object_is_type(it[i], json_type_object))
			read_address(j, it[i], &to, 0);
	free(it);
	if (!n)
		read_address(j, o, &to, 1);
	read_contact(j, o, &to);
	read_access(j,
		    get(j, o, "accessibility",
			ALIASES({"accessibilitys", 1},
				{"accessibility_for_disabilities", 0}),
			NULL),
		    &to);
	read_terms(j, get(j, o, "attributes", ALIASES({"attribute", 1}), NULL),
		   &to);
	return m->locations.v[m->locations.n - 1].id;
}

/* ---------------------------------------------------------------------
 * Services
 * ------------------------------------------------------------------ */

static void add_sal(struct jctx *j, const char *sal_id, const char *svc,
		    char *loc, const char *loc_field)
{
	struct hsds_sal *a = HSDS_PUSH(j->m->sals);

	set_at(j, &a->at);
	a->id = xstrdup_or_null(sal_id);
	a->service_id = xstrdup(svc);
	a->location_id = loc;
	a->loc_field = path_of(j, loc_field);
}

/* service_at_locations, and the ways writers get them wrong. */
static void read_links(struct jctx *j, json_object *o, const char *svc,
		       const char *org, struct hsds_link *to)
{
	struct imp_hsds_model *m = j->m;
	json_object *v, **it;
	const char *used;
	size_t n, i, len;

	v = get(j, o, "service_at_locations",
		ALIASES({"service_at_location", 0}, {"services_at_location", 0},
			{"services_at_locations", 0}),
		&used);
	if (v) {
		size_t base = path_push_key(j, used);
		n = items(v, &it);
		for (i = 0; i < n; i++) {
			json_object *a = it[i], *loc;
			char *sal_id, *loc_id;
			struct hsds_link sl;

			if (!json_object_is_type(a, json_type_object))
				continue;
			len = path_push_index(j, i);
			sal_id = get_id(j, a, NULL);
			loc_id = gets(j, a, "location_id", NULL);
			loc = get(j, a, "location", NULL, NULL);
			if (loc && json_object_is_type(loc, json_type_object)) {
				char *lid = get_id(j, loc, NULL);
				if (!loc_id && lid &&
				    hsds_id_find(m->loc_ids, j->rec, lid) >=
					0) {
					loc_id = lid;
					lid = NULL;
				} else if (!loc_id) {
					size_t l2 =
					    path_push_key(j, "location");
					const char *got =
					    read_location(j, loc, org);
					path_pop(j, l2);
					loc_id = xstrdup_or_null(got);
				}
				free(lid);
			}
			add_sal(j, sal_id, svc, loc_id, "location_id");
			sl = *to;
			sl.sal = sal_id;
			if (sal_id) {
				read_phones(j, get(j, a, "phones", NULL, NULL),
					    &sl);
				read_scheds(j,
					    get(j, a, "schedules",
						ALIASES({"schedule", 1}), NULL),
					    &sl, 0);
				read_terms(j,
					   get(j, a, "attributes", NULL, NULL),
					   &sl);
			}
			m->sals.v[m->sals.n - 1].description =
			    gets(j, a, "description", NULL);
			free(sal_id);
			path_pop(j, len);
		}
		free(it);
		path_pop(j, base);
		return;
	}
	/* "locations": ["loc_1"] or [{"location_id": "loc_1"}] */
	v = get(j, o, "location_ids",
		ALIASES({"locations", 0}, {"location_id", 0}), &used);
	if (!v)
		return;
	{
		char *w = xasprintf(
		    "key '%s' of a service read as its 'service_at_locations'",
		    used);
		hsds_warn(j->m, j->file, j->line, w);
		free(w);
	}
	if (!json_object_is_type(v, json_type_array)) {
		add_sal(j, NULL, svc, scalar(v), used);
		return;
	}
	n = items(v, &it);
	for (i = 0; i < n; i++) {
		char *loc_id, *f;
		len = path_push_key(j, used);
		path_push_index(j, i);
		if (json_object_is_type(it[i], json_type_object)) {
			loc_id = gets(j, it[i], "location_id", NULL);
			if (!loc_id)
				loc_id = get_id(j, it[i], NULL);
			f = xstrdup("location_id");
		} else {
			loc_id = scalar(it[i]);
			f = NULL;
		}
		path_pop(j, len);
		{
			char *p = f ? xasprintf("%s[%zu].%s", used, i, f)
				    : xasprintf("%s[%zu]", used, i);
			add_sal(j, NULL, svc, loc_id, p);
			free(p);
		}
		free(f);
	}
	free(it);
}

/*
 * Add eligibility rows for the service object o (id svc) to j->m: one
 * from its eligibility_description and minimum/maximum ages, and one
 * per entry of its "eligibility" (text, an object, or a list of them).
 * Entries with neither text nor an age are skipped.
 */
static void read_elig(struct jctx *j, json_object *o, const char *svc)
{
	struct imp_hsds_model *m = j->m;
	struct hsds_link to = {0};
	struct hsds_text *t;
	json_object *e, **it;
	char *text;
	double mn, mx;
	size_t n, i;

	to.service = (char *)svc;
	text = gets(j, o, "eligibility_description", NULL);
	mn = getnum(j, o, "minimum_age",
		    ALIASES({"min_age", 1}, {"age_min", 1}));
	mx = getnum(j, o, "maximum_age",
		    ALIASES({"max_age", 1}, {"age_max", 1}));
	if (text || !isnan(mn) || !isnan(mx)) {
		t = HSDS_PUSH(m->eligs);
		child_at(j, &t->c, &to);
		t->text = text;
		t->min = mn;
		t->max = mx;
	}
	/* 2.x JSON and writers since: "eligibility" as text, an object or
	 * a list of them */
	e = get(j, o, "eligibility", ALIASES({"eligibilities", 1}), NULL);
	if (!e)
		return;
	if (json_object_is_type(e, json_type_string)) {
		t = HSDS_PUSH(m->eligs);
		child_at(j, &t->c, &to);
		t->text = scalar(e);
		t->min = t->max = NAN;
		return;
	}
	n = items(e, &it);
	for (i = 0; i < n; i++) {
		char *s = gets(j, it[i], "eligibility",
			       ALIASES({"description", 0},
				       {"eligibility_description", 0}));
		mn = getnum(j, it[i], "minimum_age", NULL);
		mx = getnum(j, it[i], "maximum_age", NULL);
		if (!s && isnan(mn) && isnan(mx))
			continue;
		t = HSDS_PUSH(m->eligs);
		child_at(j, &t->c, &to);
		t->text = s;
		t->min = mn;
		t->max = mx;
	}
	free(it);
}

static char *read_areas(struct jctx *j, json_object *v)
{
	struct core_buf b = CORE_BUF_INIT;
	json_object **it;
	size_t n = items(v, &it), i;

	for (i = 0; i < n; i++) {
		char *s =
		    json_object_is_type(it[i], json_type_object)
			? gets(j, it[i], "name",
			       ALIASES({"service_area", 0}, {"description", 0}))
			: scalar(it[i]);
		if (s)
			core_buf_addf(&b, "%s%s", b.len ? "; " : "", s);
		free(s);
	}
	free(it);
	if (!b.len && v && json_object_is_type(v, json_type_string)) {
		char *s = scalar(v);
		if (s)
			core_buf_adds(&b, s);
		free(s);
	}
	if (!b.len) {
		core_buf_release(&b);
		return NULL;
	}
	return core_buf_detach(&b);
}

/*
 * Add the service object o of organization org (an id, may be NULL) to
 * j->m with all that hangs below it: eligibility, phones, schedules,
 * languages, taxonomy terms, capacities, and its service_at_locations
 * (reading locations nested in them).  Without an id it gets a made-up
 * one; an id another service of this record has is a problem, and the
 * service is left out.  Anything but an object is ignored.
 */
static void read_service(struct jctx *j, json_object *o, const char *org)
{
	struct imp_hsds_model *m = j->m;
	struct hsds_service *s;
	struct hsds_link to = {0};
	long prev;
	char *id;

	if (!json_object_is_type(o, json_type_object))
		return;
	id = new_id(j, o, ALIASES({"service_id", 1}), "service", m->svc_ids,
		    &prev);
	if (prev >= 0) {
		repeated_id(j, id, "services of this organization",
			    m->services.v[prev].path);
		return;
	}
	s = HSDS_PUSH(m->services);
	set_at(j, &s->at);
	s->id = id;
	hsds_id_add(&m->svc_ids, j->rec, id, m->services.n - 1);
	s->path = xstrdup(core_buf_str(&j->path));
	s->org_id = xstrdup_or_null(org);
	s->name = gets(j, o, "name", NULL);
	s->description = gets(j, o, "description", NULL);
	s->url = gets(j, o, "url", ALIASES({"website", 1}));
	s->email = gets(j, o, "email", NULL);
	s->status = gets(j, o, "status", NULL);
	s->interpretation = gets(j, o, "interpretation_services", NULL);
	s->fees = gets(j, o, "fees_description", ALIASES({"fees", 0}));
	s->areas = read_areas(
	    j, get(j, o, "service_areas", ALIASES({"service_area", 0}), NULL));

	to.org = (char *)org;
	to.service = id;
	read_elig(j, o, id);
	read_contact(j, o, &to);
	read_terms(j, get(j, o, "attributes", ALIASES({"attribute", 1}), NULL),
		   &to);
	read_caps(
	    j,
	    get(j, o, "capacities",
		ALIASES({"service_capacity", 1}, {"service_capacities", 1}),
		NULL),
	    &to);
	/* read_links gets a copy of the id the service row owns */
	{
		char *sid = xstrdup(id);
		read_links(j, o, sid, org, &to);
		free(sid);
	}
}

/* ---------------------------------------------------------------------
 * Organizations and records
 * ------------------------------------------------------------------ */

/* The items of v, found under key ("locations" or "services"), as the
 * locations or services of the organization org. */
static void read_each(struct jctx *j, json_object *v, const char *key,
		      const char *org)
{
	json_object **it;
	size_t n = items(v, &it), i;
	int services = strcmp(key, "services") == 0;

	for (i = 0; i < n; i++) {
		size_t base = path_push_key(j, key);
		size_t len = path_push_index(j, i);
		if (services)
			read_service(j, it[i], org);
		else
			read_location(j, it[i], org);
		path_pop(j, len);
		path_pop(j, base);
	}
	free(it);
}

/* Arrays of an organization: its own, else beside it in the wrapper. */
static json_object *org_get(struct jctx *j, json_object *o, json_object *outer,
			    const char *key, const struct alias *al)
{
	json_object *v = get(j, o, key, al, NULL);

	if (!v && outer)
		v = get(j, outer, key, al, NULL);
	return v;
}

/*
 * Add the organization object o to j->m with its phones, taxonomy
 * terms, locations, services, and schedules written beside its services.
 * outer, when not NULL, is the wrapper o was found in: arrays missing
 * from o (phones, locations, services, schedules) are taken from it.
 * Without an id it gets a made-up one; an id another organization of
 * this record has is a problem, and the organization is left out.
 */
static void read_org(struct jctx *j, json_object *o, json_object *outer)
{
	struct imp_hsds_model *m = j->m;
	struct hsds_org *org;
	struct hsds_link to = {0};
	json_object *v;
	char *id, *org_id;
	long prev;

	id = new_id(j, o, ALIASES({"organization_id", 1}), "organization",
		    m->org_ids, &prev);
	if (prev >= 0) {
		repeated_id(j, id, "organizations in this record", NULL);
		return;
	}
	org = HSDS_PUSH(m->orgs);
	set_at(j, &org->at);
	org->id = id;
	hsds_id_add(&m->org_ids, j->rec, id, m->orgs.n - 1);
	org->name = gets(j, o, "name", NULL);
	org->description = gets(j, o, "description", NULL);
	org->website = gets(j, o, "website", ALIASES({"url", 0}));
	org->email = gets(j, o, "email", NULL);
	org_id = xstrdup(id); /* org moves when the next one is pushed */
	to.org = org_id;

	read_phones(j, org_get(j, o, outer, "phones", NULL), &to);
	read_terms(j, get(j, o, "attributes", ALIASES({"attribute", 1}), NULL),
		   &to);
	read_each(j, org_get(j, o, outer, "locations", NULL), "locations",
		  org_id);
	read_each(j, org_get(j, o, outer, "services", NULL), "services",
		  org_id);
	/* schedules beside the services, naming their service and
	 * location (not HSDS, but written) */
	v = org_get(j, o, outer, "schedules", NULL);
	if (v) {
		size_t base = path_push_key(j, "schedules");
		read_scheds(j, v, &to, 1);
		path_pop(j, base);
	}
	free(org_id);
}

/* Does o look like an organization? */
static int org_like(json_object *o)
{
	json_object *v;

	if (!o || !json_object_is_type(o, json_type_object))
		return 0;
	return json_object_object_get_ex(o, "name", &v) ||
	       json_object_object_get_ex(o, "locations", &v) ||
	       json_object_object_get_ex(o, "services", &v);
}

/* Does o hold an organization: is it one, a list of them in
 * "organizations", or a wrapper of either (a few levels deep)? */
static int holds_org(json_object *o, int depth)
{
	struct json_object_iter it;
	json_object *v;

	if (org_like(o))
		return 1;
	if (!o || !json_object_is_type(o, json_type_object) || depth >= 3)
		return 0;
	if (json_object_object_get_ex(o, "organizations", &v) &&
	    json_object_is_type(v, json_type_array))
		return 1;
	json_object_object_foreachC(o, it)
	{
		if (holds_org(it.val, depth + 1))
			return 1;
	}
	return 0;
}

static void list_keys(json_object *o, struct core_buf *b)
{
	struct json_object_iter it;
	int k = 0;

	json_object_object_foreachC(o, it)
	{
		if (k++ == 12) {
			core_buf_adds(b, ", ...");
			break;
		}
		core_buf_addf(b, "%s%s", k > 1 ? ", " : "", it.key);
	}
	if (!k)
		core_buf_adds(b, "none");
}

/*
 * Read one record o (an array element or an NDJSON line) into j->m:
 * an organization object; an object with an "organizations" array (with,
 * for a single organization, services and locations beside it); or a
 * wrapper with one member that holds an organization, unwrapped up to
 * three levels deep (depth counts the levels) with a warning unless the
 * key is a usual one.  Anything else is a problem naming its keys.
 */
static void read_record(struct jctx *j, json_object *o, int depth)
{
	static const char *const wrappers[] = {
	    "hsds_organization", "organization", "data", "record", NULL};
	struct imp_hsds_model *m = j->m;
	json_object *v, *inner = NULL;
	const char *inner_key = NULL;
	struct json_object_iter it;
	size_t len, k;
	int beside = 0, known = 0;

	if (!json_object_is_type(o, json_type_object)) {
		hsds_problem(m, j->file, j->line,
			     j->path.len ? core_buf_str(&j->path) : NULL, NULL,
			     "is not a JSON object; each record must be an "
			     "HSDS organization object");
		return;
	}
	if (json_object_object_get_ex(o, "name", &v)) {
		read_org(j, o, NULL);
		return;
	}
	/* several organizations, maybe with their services beside them */
	if (json_object_object_get_ex(o, "organizations", &v) &&
	    json_object_is_type(v, json_type_array)) {
		json_object **orgs, *x;
		size_t n = items(v, &orgs), i;
		int outer = json_object_object_get_ex(o, "services", &x) ||
			    json_object_object_get_ex(o, "locations", &x);
		for (i = 0; i < n; i++) {
			size_t base = path_push_key(j, "organizations");
			len = path_push_index(j, i);
			read_record(j, orgs[i], depth + 1);
			path_pop(j, len);
			path_pop(j, base);
		}
		if (outer && n == 1 && m->orgs.n &&
		    m->orgs.v[m->orgs.n - 1].at.rec == j->rec) {
			/* their services beside them: the one organization's */
			char *id = xstrdup(m->orgs.v[m->orgs.n - 1].id);
			read_each(j, get(j, o, "services", NULL, NULL),
				  "services", id);
			read_each(j, get(j, o, "locations", NULL, NULL),
				  "locations", id);
			free(id);
		} else if (outer) {
			hsds_warn(m, j->file, j->line,
				  "services or locations beside several "
				  "organizations ignored");
		}
		free(orgs);
		return;
	}
	/* a wrapper: the one member that looks like an organization */
	json_object_object_foreachC(o, it)
	{
		if (holds_org(it.val, depth + 1)) {
			if (inner) {
				inner = NULL;
				break;
			}
			inner = it.val;
			inner_key = it.key;
		}
	}
	if (inner && depth < 3) {
		json_object_object_foreachC(o, it)
		{
			if (it.val != inner && it.val &&
			    (json_object_is_type(it.val, json_type_array) ||
			     json_object_is_type(it.val, json_type_object)))
				beside = 1;
		}
		for (k = 0; wrappers[k]; k++)
			if (strcmp(inner_key, wrappers[k]) == 0)
				known = 1;
		if (!known || beside) {
			char *w =
			    beside
				? xasprintf("organizations in '%s' with their "
					    "locations or services beside them",
					    inner_key)
				: xasprintf("organizations read from key '%s'",
					    inner_key);
			hsds_warn(m, j->file, j->line, w);
			free(w);
		}
		len = path_push_key(j, inner_key);
		if (beside && org_like(inner))
			read_org(j, inner, o);
		else
			read_record(j, inner, depth + 1);
		path_pop(j, len);
		return;
	}
	if (org_like(o)) {
		read_org(j, o, NULL);
		return;
	}
	{
		struct core_buf b = CORE_BUF_INIT;
		list_keys(o, &b);
		hsds_problem(m, j->file, j->line,
			     j->path.len ? core_buf_str(&j->path) : NULL, NULL,
			     "is not an HSDS organization: it has no name, "
			     "locations or services (its keys are: %s)",
			     core_buf_str(&b));
		core_buf_release(&b);
	}
}

/* ---------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------ */

static void line_col(const char *buf, size_t off, long *line, long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static const char *tok_why(enum json_tokener_error e)
{
	switch (e) {
	case json_tokener_continue:
		return "the JSON ends before it is complete (is the file cut "
		       "short?)";
	case json_tokener_error_depth:
		return "the JSON nests deeper than 64 levels";
	case json_tokener_error_parse_utf8_string:
		return "a string is not UTF-8 text";
	default:
		return json_tokener_error_desc(e);
	}
}

static json_tokener *new_tok(void)
{
	json_tokener *t = json_tokener_new_ex(JSON_DEPTH);

	if (!t) {
		fputs("assetmap: out of memory\n", stderr);
		abort();
	}
	json_tokener_set_flags(t, JSON_TOKENER_STRICT |
				      JSON_TOKENER_ALLOW_TRAILING_CHARS |
				      JSON_TOKENER_VALIDATE_UTF8);
	return t;
}

/* Parse buf[0..len) as one value: the value, or NULL with *jerr and
 * *end (where parsing stopped) set. */
static json_object *parse_one(json_tokener *t, const char *buf, size_t len,
			      enum json_tokener_error *jerr, size_t *end)
{
	json_object *o;

	json_tokener_reset(t);
	if (len > (size_t)0x7fffffff)
		len = 0x7fffffff;
	o = json_tokener_parse_ex(t, buf, (int)len);
	*jerr = json_tokener_get_error(t);
	*end = json_tokener_get_parse_end(t);
	if (!o && *jerr == json_tokener_success)
		*jerr = json_tokener_continue;
	if (!o && *jerr == json_tokener_continue)
		*end = len;
	return o;
}

static size_t skip_ws(const char *buf, size_t i, size_t len)
{
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
			   buf[i] == '\r'))
		i++;
	return i;
}

/* Start lines of the elements of the array at buf[i] == '[' (the text
 * parsed already, so it is valid JSON). */
static long *element_lines(const char *buf, size_t len, size_t i, size_t n)
{
	long *lines = xcalloc(n + 1, sizeof(*lines));
	long line = 1;
	size_t k, e = 0;
	int depth = 0, instr = 0, start = 1;

	for (k = 0; k < i; k++)
		if (buf[k] == '\n')
			line++;
	for (k = i + 1; k < len && e < n; k++) {
		char c = buf[k];
		if (c == '\n')
			line++;
		if (instr) {
			if (c == '\\')
				k++;
			else if (c == '"')
				instr = 0;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (start && depth == 0) {
			if (c == ']')
				break;
			lines[e] = line;
			start = 0;
		}
		if (c == '"')
			instr = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
		else if (c == ',' && depth == 0) {
			e++;
			start = 1;
		}
	}
	return lines;
}

/*
 * Read buf[0..len) as NDJSON: each non-blank line is its own record
 * (j->line, j->rec and the made-up ids start afresh), read with
 * read_record.  A line that is not one complete JSON value is a problem
 * naming its line and column, and the other lines are still read.  t is
 * the caller's tokener, reused.
 */
static void read_ndjson(struct jctx *j, json_tokener *t, const char *buf,
			size_t len)
{
	size_t p = 0;
	long line = 0;

	while (p < len) {
		size_t e = p, b;
		json_object *o;
		enum json_tokener_error jerr;
		size_t end;

		while (e < len && buf[e] != '\n')
			e++;
		line++;
		b = skip_ws(buf, p, e);
		if (b < e) {
			j->line = line;
			j->rec = ++j->m->nrecords;
			j->nsynth = 0;
			j->m->counts.records++;
			o = parse_one(t, buf + b, e - b, &jerr, &end);
			if (!o) {
				hsds_problem(
				    j->m, j->file, line, NULL, NULL,
				    "is not valid JSON at column %ld: %s",
				    (long)(b - p + end + 1),
				    jerr == json_tokener_continue
					? "the line ends before the JSON "
					  "object does (is it cut short?)"
					: tok_why(jerr));
			} else if (skip_ws(buf + b, end, e - b) < e - b) {
				hsds_problem(
				    j->m, j->file, line, NULL, NULL,
				    "has more after the JSON object, at column "
				    "%ld; NDJSON holds one object per line",
				    (long)(b - p + end + 1));
			} else {
				read_record(j, o, 0);
			}
			json_object_put(o);
			path_pop(j, 0);
		}
		p = e + 1;
	}
}

int hsds_read_json(struct imp_hsds_model *m, const char *buf, size_t len,
		   const char *name, struct core_err *err)
{
	struct jctx j;
	json_tokener *t = NULL;
	json_object *o = NULL;
	enum json_tokener_error jerr;
	size_t start, end;
	int rc = CORE_OK;

	memset(&j, 0, sizeof(j));
	j.m = m;
	j.file = hsds_file(m, name);
	if (len >= 3 && (unsigned char)buf[0] == 0xEF &&
	    (unsigned char)buf[1] == 0xBB && (unsigned char)buf[2] == 0xBF)
		start = 3;
	else
		start = 0;
	start = skip_ws(buf, start, len);
	if (start >= len) {
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "%s holds no JSON (only white space); nothing to import",
		    name);
		goto cleanup;
	}
	if (buf[start] != '{' && buf[start] != '[') {
		long line, col;
		line_col(buf, start, &line, &col);
		rc = core_err_set(
		    err, CORE_EFORMAT,
		    "%s line %ld, column %ld: this is not JSON (it starts with "
		    "'%c'); HSDS JSON holds an organization object, an array "
		    "of them, or one object per line",
		    name, line, col,
		    isprint((unsigned char)buf[start]) ? buf[start] : '?');
		goto cleanup;
	}
	t = new_tok();
	o = parse_one(t, buf + start, len - start, &jerr, &end);
	end += start;
	if (o && skip_ws(buf, end, len) < len) {
		/* more values follow: NDJSON, one per line */
		json_object_put(o);
		o = NULL;
		free(m->format);
		m->format = xstrdup("HSDS 3.x NDJSON");
		read_ndjson(&j, t, buf, len);
		goto cleanup;
	}
	if (!o) {
		/* a broken first line of NDJSON, or a broken document? */
		size_t nl = start;
		json_object *first;
		size_t e2;
		while (nl < len && buf[nl] != '\n')
			nl++;
		if (nl < len && buf[start] == '{' &&
		    (first =
			 parse_one(t, buf + start, nl - start, &jerr, &e2))) {
			json_object_put(first);
			free(m->format);
			m->format = xstrdup("HSDS 3.x NDJSON");
			read_ndjson(&j, t, buf, len);
			goto cleanup;
		}
		{
			long line, col;
			o = parse_one(t, buf + start, len - start, &jerr, &end);
			end += start;
			if (end > len)
				end = len;
			line_col(buf, end, &line, &col);
			rc = core_err_set(
			    err, CORE_EFORMAT,
			    "%s line %ld, column %ld: not valid JSON: %s", name,
			    line, col,
			    jerr == json_tokener_continue
				? "the file ends before the JSON does (is it "
				  "cut short?)"
				: tok_why(jerr));
			goto cleanup;
		}
	}
	free(m->format);
	m->format = xstrdup("HSDS 3.x JSON");
	if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o), i;
		long *lines = element_lines(buf, len, start, n);
		for (i = 0; i < n; i++) {
			j.line = lines[i];
			j.rec = ++m->nrecords;
			j.nsynth = 0;
			m->counts.records++;
			path_pop(&j, 0);
			path_push_index(&j, i);
			read_record(&j, json_object_array_get_idx(o, i), 0);
		}
		free(lines);
		if (n == 0)
			rc = core_err_set(
			    err, CORE_EFORMAT,
			    "%s is an empty JSON array; nothing to import",
			    name);
	} else {
		long line, col;
		line_col(buf, start, &line, &col);
		j.line = line;
		j.rec = ++m->nrecords;
		m->counts.records++;
		read_record(&j, o, 0);
	}
cleanup:
	json_object_put(o);
	if (t)
		json_tokener_free(t);
	core_buf_release(&j.path);
	return rc;
}
