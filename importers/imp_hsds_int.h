/*
 * imp_hsds_int.h - the in-memory model the HSDS readers fill and the
 * assembly that turns it into sites (one would-be asset each).  Private
 * to imp_hsds.c, imp_hsds_json.c and imp_hsds_csv.c.
 *
 * Both readers flatten what they read into the same tables, the shape of
 * HSDS's own tabular form: organizations, services, locations and
 * service-at-location links with ids, and child rows (addresses, phones,
 * schedules, languages, accessibility, taxonomy terms, eligibility,
 * capacity) that point at their parents by id.  JSON readers give nested
 * objects the ids of their parents (inventing ids where the file has
 * none), so one assembly serves every form.
 *
 * Ids are scoped by record: every organization object of a JSON or NDJSON
 * file is its own record (LLM-written files reuse "loc_1" in every line),
 * while a CSV package is one record (rec 0).
 *
 * Ownership: the model owns every string in it (the readers store copies
 * made with hsds_str or xstrdup); row structs are held by value in
 * growable arrays, so pointers to rows are valid only until the next row
 * of that table is added.
 */
#ifndef IMP_HSDS_INT_H
#define IMP_HSDS_INT_H

#include <stddef.h>

#include "core/core_err.h"
#include "core/core_mem.h"
#include "importers/imp_geocode.h"
#include "importers/imp_hsds.h"

/* Where a row came from. file is interned in the model (never freed
 * separately); line is the physical line (CSV) or the line where the
 * JSON record starts; rec is the record the row's ids are scoped by
 * (see above). */
struct hsds_at {
	const char *file;
	long line;
	int rec;
};

/* A child row's parents (any may be NULL). */
struct hsds_link {
	char *org, *service, *location, *sal, *phone;
};

/* The first member of every child row. */
struct hsds_child {
	struct hsds_at at;
	struct hsds_link to;
};

struct hsds_org {
	struct hsds_at at;
	char *id, *name, *website, *email, *description;
};

struct hsds_service {
	struct hsds_at at;
	char *id, *org_id, *name, *description, *url, *email, *status;
	char *interpretation, *fees, *areas;
	char *path; /* JSON path, NULL for CSV */
	int nlinks; /* service-at-location rows naming it */
};

struct hsds_location {
	struct hsds_at at;
	char *id, *org_id, *name, *description, *url, *type;
	char *lat_s, *lon_s;	     /* as written; NULL when absent */
	char *lat_field, *lon_field; /* as named in messages */
	char *path;
	int bad; /* rejected */
	int has_point;
	double lat, lon;
	const char *quality; /* placed by its address: the level's name
			      * (static); NULL: its own coordinates */
	int nlinks;	     /* service-at-location rows naming it */
	int nsites;	     /* sites built here */
};

struct hsds_sal {
	struct hsds_at at;
	char *id, *service_id, *location_id, *description;
	char *loc_field; /* the field naming the location */
	int implicit;	 /* made up: the organization's only location */
	int bad;
	size_t svc, loc; /* resolved indexes */
};

struct hsds_address {
	struct hsds_child c;
	char *line1, *line2, *city, *state, *zip, *type, *region;
};

struct hsds_phone {
	struct hsds_child c;
	char *id, *number, *ext, *type;
};

enum hsds_freq {
	HSDS_FREQ_NONE,
	HSDS_FREQ_WEEKLY,
	HSDS_FREQ_MONTHLY,
	HSDS_FREQ_OTHER
};

struct hsds_sched {
	struct hsds_child c;
	enum hsds_freq freq;
	unsigned days;	      /* bit 0 Monday .. bit 6 Sunday */
	char *nth;	      /* monthly by day, rendered: "Tu[2,4]" */
	char *monthdays;      /* "14,28" */
	char *opens, *closes; /* "HH:MM", or the text as written */
	char *desc;
	int interval; /* 0 or 1: every period */
};

struct hsds_lang {
	struct hsds_child c;
	char *name, *code;
};

struct hsds_text { /* accessibility, eligibility text ... */
	struct hsds_child c;
	char *text;
	double min, max; /* eligibility ages, NaN when unknown */
};

struct hsds_term {
	struct hsds_child c;
	char *vocab; /* "hsds" or "open_eligibility" */
	char *term, *code;
};

struct hsds_cap {
	struct hsds_child c;
	double value;
	char *unit;
};

#define HSDS_VEC(T)                                                            \
	struct {                                                               \
		T *v;                                                          \
		size_t n, cap;                                                 \
	}

/* A problem with one row: replayed through imp_reject once the
 * workspace transaction is open. */
struct hsds_problem {
	const char *file;
	long line;
	char *field, *value, *reason;
};

/* One kind of thing a user may want to know, counted. */
struct hsds_warn {
	char *what;
	long count;
	const char *file;
	long line;  /* the first */
	long order; /* 1, 2, ... as first seen */
};

struct hsds_ids;

struct imp_hsds_model {
	char *format;	/* "HSDS 3.x NDJSON", "HSDS 1.1 CSV", ... */
	char *checksum; /* a package's: MD5 over its files' MD5s */
	char **files;	/* interned file names */
	size_t nfiles;
	HSDS_VEC(struct hsds_org) orgs;
	HSDS_VEC(struct hsds_service) services;
	HSDS_VEC(struct hsds_location) locations;
	HSDS_VEC(struct hsds_sal) sals;
	HSDS_VEC(struct hsds_address) addresses;
	HSDS_VEC(struct hsds_phone) phones;
	HSDS_VEC(struct hsds_sched) scheds;
	HSDS_VEC(struct hsds_lang) langs;
	HSDS_VEC(struct hsds_text) access;
	HSDS_VEC(struct hsds_text) eligs;
	HSDS_VEC(struct hsds_term) terms;
	HSDS_VEC(struct hsds_cap) caps;
	HSDS_VEC(struct hsds_problem) problems;
	HSDS_VEC(struct hsds_warn) warns;
	HSDS_VEC(struct imp_hsds_site) sites;
	struct hsds_ids *org_ids, *svc_ids, *loc_ids, *sal_ids, *phone_ids;
	int nrecords;
	struct imp_hsds_counts counts;
	/* Borrowed, set by the import before hsds_assemble: the geocoder
	 * that places locations without coordinates at their address (NULL:
	 * none, as for a model read without a workspace); gc_rc is the
	 * error of loading it (gc_err set), which stops the import. */
	struct imp_gc *gc;
	int gc_rc;
	struct core_err *gc_err;
};

/* Grow a HSDS_VEC by one zeroed element and return a pointer to it. */
#define HSDS_PUSH(vec)                                                         \
	(xgrow((void **)&(vec).v, &(vec).cap, (vec).n + 1, sizeof(*(vec).v)),  \
	 memset(&(vec).v[(vec).n], 0, sizeof(*(vec).v)), &(vec).v[(vec).n++])

/* A new, empty model (no format, no rows), owned by the caller and
 * freed with imp_hsds_model_free. Never NULL (aborts when out of
 * memory). */
struct imp_hsds_model *imp_hsds_model_new(void);

/* The interned copy of a file name. */
const char *hsds_file(struct imp_hsds_model *m, const char *name);

/* Record a row problem (reason is a printf format). */
void hsds_problem(struct imp_hsds_model *m, const char *file, long line,
		  const char *field, const char *value, const char *reason, ...)
    __attribute__((format(printf, 6, 7)));

/* Count one occurrence of warning `what` (first file and line kept). */
void hsds_warn(struct imp_hsds_model *m, const char *file, long line,
	       const char *what);

/*
 * Register the id of the row just added to a table.  Returns -1 when
 * the id is new, else the index of the earlier row with that id (the
 * caller reports the duplicate and drops the new row).
 */
long hsds_id_add(struct hsds_ids **ids, int rec, const char *id, size_t index);
void hsds_ids_free(struct hsds_ids *ids);
/* Index of the row with id in record rec, or -1. */
long hsds_id_find(const struct hsds_ids *ids, int rec, const char *id);

/* A trimmed copy of s, or NULL when s is NULL or only white space. */
char *hsds_str(const char *s);

/* Schedules: parse "MO", "Monday", "lunes", "1" (ISO, Monday = 1) into a
 * day 0..6, or -1. */
int hsds_weekday(const char *s);
/* Add a byday list ("MO,TU", "2TU,-1FR") to sc (days or nth). Returns
 * 0 when a part is not a day. */
int hsds_sched_byday(struct hsds_sched *sc, const char *byday);
/* "09:00", "9:30 pm", "17:00:00-08:00" -> "HH:MM"; other text is kept
 * trimmed; NULL for empty. */
char *hsds_time(const char *s);
/* An accessibility note from its description d and details det (either
 * may be NULL, not both; takes both): "d (det)", else the one given. */
char *hsds_access_text(char *d, char *det);
enum hsds_freq hsds_freq_parse(const char *s);

/* Language name or code -> ISO 639-1 (or 639-3 when the language has no
 * two-letter code); NULL when not recognised. Static string. */
const char *hsds_lang_code(const char *name_or_code);

/* Vocabulary of a taxonomy named name (or id/uri): "open_eligibility"
 * or "hsds". */
const char *hsds_vocab(const char *taxonomy);

/* Turn the tables into m->sites: check links and coordinates (problems
 * for bad rows), place locations without coordinates at their address
 * through m->gc, link services to locations, fill each site. */
void hsds_assemble(struct imp_hsds_model *m);

/*
 * Readers.  hsds_read_json reads len bytes of JSON or NDJSON (one or
 * more organizations; name is the file name used in messages) and
 * hsds_read_package the CSV package in directory dir, into the tables
 * of m (a new model from imp_hsds_model_new), setting m->format and,
 * for a package, m->checksum.  Row problems and warnings are kept in m.
 * Both return CORE_OK, or CORE_EFORMAT / CORE_EIO with err set for a
 * problem with a whole file; m is then still the caller's to free.
 */
int hsds_read_json(struct imp_hsds_model *m, const char *buf, size_t len,
		   const char *name, struct core_err *err);
/* See hsds_read_json. */
int hsds_read_package(struct imp_hsds_model *m, const char *dir,
		      struct core_err *err);

#endif
