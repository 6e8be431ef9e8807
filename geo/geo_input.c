/*
 * geo_input.c - supply, cohort members, demand and area points for the
 * analyses, read in bulk.  See geo_input.h.
 *
 * Point blobs are decoded in C (geo_blob.h: the 60-byte POINT XY read at
 * fixed offsets, anything else through gaia), and members without a
 * stored tract are placed by geo_locate.h's locator.  A million members
 * then cost one rowid-range scan and a projection split over the cores,
 * one PROJ context per thread.
 */
#include "geo/geo_input.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spatialite/gaiageo.h>

#include "core/core_area.h"
#include "core/core_mem.h"
#include "core/core_taxonomy.h"
#include "geo/geo_blob.h"
#include "geo/geo_locate.h"
#include "geo/geo_par.h"

/* ---------------------------------------------------------------------
 * Filters
 * ------------------------------------------------------------------ */

void geo_filter_init(struct geo_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->min_capacity = NAN;
	f->formal = -1;
}

const char *geo_partners_code(enum geo_partners p)
{
	switch (p) {
	case GEO_PARTNERS_CURRENT:
		return "current";
	case GEO_PARTNERS_PROSPECTIVE:
		return "prospective";
	case GEO_PARTNERS_ANY:
		return "any";
	case GEO_PARTNERS_ALL:
		break;
	}
	return NULL;
}

char *geo_filter_describe(const struct geo_filter *f, char *buf, size_t size)
{
	struct core_buf b = CORE_BUF_INIT;

	if (f->language)
		core_buf_addf(&b, "%slanguage %s", b.len ? ", " : "",
			      f->language);
	if (f->medi_cal)
		core_buf_addf(&b, "%saccepts Medi-Cal", b.len ? ", " : "");
	if (f->program)
		core_buf_addf(&b, "%soffers %s", b.len ? ", " : "", f->program);
	if (f->weekday)
		core_buf_addf(&b, "%sopen weekdays", b.len ? ", " : "");
	if (f->evening)
		core_buf_addf(&b, "%sopen evenings", b.len ? ", " : "");
	if (!isnan(f->min_capacity))
		core_buf_addf(&b, "%scapacity at least %g", b.len ? ", " : "",
			      f->min_capacity);
	if (f->formal == 1)
		core_buf_addf(&b, "%sformal only", b.len ? ", " : "");
	else if (f->formal == 0)
		core_buf_addf(&b, "%sinformal only", b.len ? ", " : "");
	if (f->partners == GEO_PARTNERS_CURRENT)
		core_buf_addf(&b, "%scurrent partners only", b.len ? ", " : "");
	else if (f->partners == GEO_PARTNERS_PROSPECTIVE)
		core_buf_addf(&b, "%sprospective partners only",
			      b.len ? ", " : "");
	else if (f->partners == GEO_PARTNERS_ANY)
		core_buf_addf(&b, "%scurrent or prospective partners only",
			      b.len ? ", " : "");
	if (size) {
		snprintf(buf, size, "%s", core_buf_str(&b));
	}
	core_buf_release(&b);
	return buf;
}

/* ---------------------------------------------------------------------
 * Hours
 *
 * A small scanner over the text, lower-cased: day names (Mo, Mon,
 * Monday, Mondays, lunes...), day ranges (Mo-Fr, Monday through Friday),
 * times (09:00, 9am, 9:00 PM, noon), time ranges (09:00-17:00,
 * 9am to 5pm, 9-5), "closed", "24/7", "daily", "weekdays".  Days seen
 * after a time start a new group; a time range applies to the group's
 * days (every day when none were named).
 * ------------------------------------------------------------------ */

enum htok {
	HT_END,
	HT_DAY,	   /* v = 0 (Monday) .. 6 */
	HT_DAYSET, /* v = bit mask */
	HT_TIME,   /* v = minutes since midnight; ampm: 0 none, 1 am, 2 pm */
	HT_DASH,   /* -, to, through, thru, until (between times) */
	HT_UNTIL,  /* "until" before a time */
	HT_PLUS,   /* "+" after a time: open from then */
	HT_LIST,   /* , & and */
	HT_SEP,	   /* ; | newline */
	HT_CLOSED,
	HT_ALLDAY, /* 24/7, 24 hours */
	HT_OTHER
};

struct hscan {
	const char *p;
	enum htok t;
	int v, ampm, bare; /* bare: a plain hour without ':' or am/pm */
};

static const struct {
	const char *name;
	int day;
} day_names[] = {
    {"mo", 0},	      {"mon", 0},      {"monday", 0},	 {"mondays", 0},
    {"lunes", 0},     {"tu", 1},       {"tue", 1},	 {"tues", 1},
    {"tuesday", 1},   {"tuesdays", 1}, {"martes", 1},	 {"we", 2},
    {"wed", 2},	      {"weds", 2},     {"wednesday", 2}, {"wednesdays", 2},
    {"miercoles", 2}, {"th", 3},       {"thu", 3},	 {"thur", 3},
    {"thurs", 3},     {"thursday", 3}, {"thursdays", 3}, {"jueves", 3},
    {"fr", 4},	      {"fri", 4},      {"friday", 4},	 {"fridays", 4},
    {"viernes", 4},   {"sa", 5},       {"sat", 5},	 {"saturday", 5},
    {"saturdays", 5}, {"sabado", 5},   {"sabados", 5},	 {"su", 6},
    {"sun", 6},	      {"sunday", 6},   {"sundays", 6},	 {"domingo", 6},
    {"domingos", 6},
};

#define ALL_DAYS 0x7f
#define WEEKDAYS 0x1f

static int word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && strncmp(w, s, n) == 0;
}

/* A time at p (digits, optional :MM[:SS], optional am/pm); sets s. */
static int scan_time(struct hscan *s, const char *p)
{
	int h = 0, m = 0, nd = 0, colon = 0;
	const char *q = p;

	while (isdigit((unsigned char)*q) && nd < 4) {
		h = h * 10 + (*q - '0');
		q++;
		nd++;
	}
	if (isdigit((unsigned char)*q))
		return 0;
	if (nd >= 3) {
		/* "0900", "930" */
		m = h % 100;
		h /= 100;
		colon = 1;
	} else if ((*q == ':' || *q == '.') && isdigit((unsigned char)q[1]) &&
		   isdigit((unsigned char)q[2])) {
		m = (q[1] - '0') * 10 + (q[2] - '0');
		q += 3;
		colon = 1;
		if (*q == ':' && isdigit((unsigned char)q[1]) &&
		    isdigit((unsigned char)q[2]))
			q += 3;
	}
	s->ampm = 0;
	{
		const char *r = q;
		while (*r == ' ')
			r++;
		if ((r[0] == 'a' || r[0] == 'p') &&
		    (r[1] == 'm' || (r[1] == '.' && r[2] == 'm'))) {
			s->ampm = r[0] == 'a' ? 1 : 2;
			r += r[1] == 'm' ? 2 : 3;
			if (*r == '.')
				r++;
			q = r;
		} else if ((r[0] == 'a' || r[0] == 'p') &&
			   !isalpha((unsigned char)r[1]) && r == q) {
			/* "9a-5p" */
			s->ampm = r[0] == 'a' ? 1 : 2;
			q = r + 1;
		}
	}
	if (isalpha((unsigned char)*q))
		return 0; /* "3rd", "2nd" */
	if (h > 24 || m > 59 || (h == 24 && m))
		return 0;
	if (s->ampm) {
		if (h < 1 || h > 12)
			return 0;
		if (h == 12)
			h = 0;
		if (s->ampm == 2)
			h += 12;
	}
	s->t = HT_TIME;
	s->v = h * 60 + m;
	s->bare = !colon && !s->ampm;
	s->p = q;
	return 1;
}

/*
 * Read the next token of the hours text at s->p into s->t (and s->v,
 * s->ampm, s->bare for days, day sets and times, as enum htok says) and
 * move s->p past it.  Bracketed and parenthesised text is skipped; a word
 * or number it does not know is HT_OTHER; the end of the text is HT_END.
 */
static void hscan_next(struct hscan *s)
{
	const char *p = s->p;

	for (;;) {
		unsigned char c = (unsigned char)*p;

		if (!c) {
			s->t = HT_END;
			s->p = p;
			return;
		}
		if (c == ';' || c == '|' || c == '\n' || c == '\r') {
			s->t = HT_SEP;
			s->p = p + 1;
			return;
		}
		if (c == ',' || c == '&' || c == '/') {
			s->t = HT_LIST;
			s->p = p + 1;
			return;
		}
		if (c == '-' || c == '~') {
			s->t = HT_DASH;
			s->p = p + 1;
			return;
		}
		/* en dash, em dash */
		if (c == 0xe2 && (unsigned char)p[1] == 0x80 &&
		    ((unsigned char)p[2] == 0x93 ||
		     (unsigned char)p[2] == 0x94)) {
			s->t = HT_DASH;
			s->p = p + 3;
			return;
		}
		if (c == '+') {
			s->t = HT_PLUS;
			s->p = p + 1;
			return;
		}
		if (c == '[' || c == '(') {
			/* "Tu[2,4]", "(monthly)": what is inside says which
			 * weeks, not which days */
			const char *e = strchr(p, c == '[' ? ']' : ')');
			p = e ? e + 1 : p + strlen(p);
			continue;
		}
		if (isdigit(c)) {
			/* 24/7 and "24 hours" */
			if (strncmp(p, "24/7", 4) == 0 ||
			    strncmp(p, "24x7", 4) == 0) {
				s->t = HT_ALLDAY;
				s->p = p + 4;
				return;
			}
			if (c == '2' && p[1] == '4') {
				const char *q = p + 2;
				while (*q == ' ' || *q == '-')
					q++;
				if (strncmp(q, "hour", 4) == 0 ||
				    strncmp(q, "hr", 2) == 0) {
					while (isalpha((unsigned char)*q))
						q++;
					s->t = HT_ALLDAY;
					s->p = q;
					return;
				}
			}
			if (scan_time(s, p))
				return;
			while (isalnum((unsigned char)*p))
				p++;
			s->t = HT_OTHER;
			s->p = p;
			return;
		}
		if (isalpha(c)) {
			const char *w = p;
			size_t n, i;

			while (isalpha((unsigned char)*p) || *p == '.')
				p++;
			n = (size_t)(p - w);
			while (n && w[n - 1] == '.')
				n--;
			s->p = p;
			for (i = 0;
			     i < sizeof(day_names) / sizeof(day_names[0]); i++)
				if (word_is(w, n, day_names[i].name)) {
					s->t = HT_DAY;
					s->v = day_names[i].day;
					return;
				}
			if (word_is(w, n, "to") || word_is(w, n, "through") ||
			    word_is(w, n, "thru") || word_is(w, n, "till") ||
			    word_is(w, n, "a")) {
				s->t = HT_DASH;
				return;
			}
			if (word_is(w, n, "until")) {
				s->t = HT_UNTIL;
				return;
			}
			if (word_is(w, n, "and") || word_is(w, n, "y")) {
				s->t = HT_LIST;
				return;
			}
			if (word_is(w, n, "closed") || word_is(w, n, "off") ||
			    word_is(w, n, "cerrado")) {
				s->t = HT_CLOSED;
				return;
			}
			if (word_is(w, n, "noon") || word_is(w, n, "midday")) {
				s->t = HT_TIME;
				s->v = 12 * 60;
				s->ampm = 2;
				s->bare = 0;
				return;
			}
			if (word_is(w, n, "midnight")) {
				s->t = HT_TIME;
				s->v = 24 * 60;
				s->ampm = 1;
				s->bare = 0;
				return;
			}
			if (word_is(w, n, "daily") ||
			    word_is(w, n, "everyday") ||
			    word_is(w, n, "diario")) {
				s->t = HT_DAYSET;
				s->v = ALL_DAYS;
				return;
			}
			if (word_is(w, n, "weekdays") ||
			    word_is(w, n, "weekday")) {
				s->t = HT_DAYSET;
				s->v = WEEKDAYS;
				return;
			}
			if (word_is(w, n, "weekends") ||
			    word_is(w, n, "weekend")) {
				s->t = HT_DAYSET;
				s->v = 0x60;
				return;
			}
			if (word_is(w, n, "always")) {
				s->t = HT_ALLDAY;
				return;
			}
			s->t = HT_OTHER;
			return;
		}
		p++; /* spaces, ':' after a day, other punctuation */
	}
	s->t = HT_OTHER;
	s->p = p;
}

struct hstate {
	int days;	 /* days of the current group */
	int has_time;	 /* the group has had times (or "closed") */
	int got;	 /* anything read at all */
	int closed_next; /* "closed" came before its days ("Closed Mondays") */
	int weekday, evening;
};

static void group_end(struct hstate *h)
{
	/* Days named with no time: open those days, hours unknown. */
	if (h->days && !h->has_time && (h->days & WEEKDAYS))
		h->weekday = 1;
	h->days = 0;
	h->has_time = 0;
}

/* A time range open..close (minutes; close < 0 unknown) for the group. */
static void apply_range(struct hstate *h, int open, int close)
{
	int days = h->days ? h->days : ALL_DAYS;

	h->got = 1;
	h->has_time = 1;
	if (days & WEEKDAYS)
		h->weekday = 1;
	if (close < 0) {
		if (open >= 17 * 60)
			h->evening = 1;
		return;
	}
	/* closing after 17:00, or past midnight */
	if (close > 17 * 60 || (close < open && close > 0) ||
	    (open >= 17 * 60 && open < 24 * 60))
		h->evening = 1;
}

/* Fix up am/pm of a range written "9-5", "9-5pm", "1-5pm", "9am-5". */
static void fix_ampm(int *open, int oampm, int obare, int *close, int campm,
		     int cbare)
{
	(void)obare;
	(void)cbare;
	if (!oampm && campm == 2 && *open < 12 * 60 &&
	    *open + 12 * 60 <= *close)
		*open += 12 * 60;
	if (*close == 0 && *open > 0)
		*close = 24 * 60; /* "18:00-00:00" */
	else if (campm != 1 && *close <= *open && *close < 12 * 60 &&
		 *open < 12 * 60 && (campm == 0 || oampm == 0))
		*close += 12 * 60; /* "9-5", "9:00-5:00", "9am-5" */
}

int geo_hours_parse(const char *hours, int *weekday, int *evening)
{
	struct hstate h = {0, 0, 0, 0, 0, 0};
	struct hscan s;
	char *low;
	size_t i, n;
	int prev_day = -1, pending_range = 0;

	*weekday = *evening = 0;
	if (!hours)
		return -1;
	n = strlen(hours);
	low = xmalloc(n + 1);
	for (i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)hours[i]);
	/* "sábado", "miércoles": fold the two accented letters we need */
	for (i = 0; i + 1 < n; i++)
		if ((unsigned char)low[i] == 0xc3 &&
		    ((unsigned char)low[i + 1] == 0xa1 ||
		     (unsigned char)low[i + 1] == 0x81 ||
		     (unsigned char)low[i + 1] == 0xa9 ||
		     (unsigned char)low[i + 1] == 0x89)) {
			char r =
			    ((unsigned char)low[i + 1] & 0x0f) == 1 ? 'a' : 'e';
			low[i] = r;
			memmove(low + i + 1, low + i + 2, n - i - 1);
			n--;
		}
	s.p = low;
	hscan_next(&s);
	while (s.t != HT_END) {
		switch (s.t) {
		case HT_DAY:
			if (pending_range && prev_day >= 0) {
				int d = prev_day;
				for (;;) {
					h.days |= 1 << d;
					if (d == s.v)
						break;
					d = (d + 1) % 7;
				}
				pending_range = 0;
			} else {
				if (h.has_time)
					group_end(&h);
				h.days |= 1 << s.v;
			}
			if (h.closed_next)
				h.has_time = 1;
			h.got = 1;
			prev_day = s.v;
			hscan_next(&s);
			if (s.t == HT_DASH) {
				pending_range = 1;
				hscan_next(&s);
			}
			continue;
		case HT_DAYSET:
			if (h.has_time)
				group_end(&h);
			h.days |= s.v;
			h.got = 1;
			prev_day = -1;
			break;
		case HT_ALLDAY:
			if (h.has_time)
				group_end(&h);
			apply_range(&h, 0, 24 * 60);
			break;
		case HT_CLOSED:
			/* the group's days are closed: they count for nothing;
			 * with no days yet, the days that follow are */
			if (!h.days)
				h.closed_next = 1;
			h.got = 1;
			h.has_time = 1;
			break;
		case HT_SEP:
			group_end(&h);
			h.closed_next = 0;
			break;
		case HT_UNTIL: {
			hscan_next(&s);
			if (s.t == HT_TIME) {
				int close = s.v;
				if (s.ampm == 0 && s.bare && close < 12 * 60)
					close += 12 * 60;
				apply_range(&h, 0, close);
				break;
			}
			continue;
		}
		case HT_TIME: {
			int open = s.v, oampm = s.ampm, obare = s.bare;
			h.closed_next = 0;
			hscan_next(&s);
			if (s.t == HT_DASH) {
				hscan_next(&s);
				if (s.t == HT_TIME) {
					int close = s.v;
					fix_ampm(&open, oampm, obare, &close,
						 s.ampm, s.bare);
					if (!(obare && s.bare && open == close))
						apply_range(&h, open, close);
					break;
				}
				continue;
			}
			if (s.t == HT_PLUS) {
				apply_range(&h, open, -1);
				break;
			}
			/* a lone time says nothing about opening */
			continue;
		}
		default:
			break;
		}
		pending_range = 0;
		hscan_next(&s);
	}
	group_end(&h);
	free(low);
	if (!h.got)
		return -1;
	*weekday = h.weekday;
	*evening = h.evening;
	return 0;
}

/* ---------------------------------------------------------------------
 * Supply
 * ------------------------------------------------------------------ */

/* Does the comma- (or semicolon-) separated list have code? */
static int list_has(const char *list, const char *code)
{
	size_t n = strlen(code);
	const char *p = list;

	while (p && *p) {
		size_t k = strcspn(p, ",;");
		size_t b = 0, e = k;
		while (b < e && isspace((unsigned char)p[b]))
			b++;
		while (e > b && isspace((unsigned char)p[e - 1]))
			e--;
		if (e - b == n && strncasecmp(p + b, code, n) == 0)
			return 1;
		/* "es-MX" */
		if (e - b > n && strncasecmp(p + b, code, n) == 0 &&
		    (p[b + n] == '-' || p[b + n] == '_'))
			return 1;
		p += k;
		if (*p)
			p++;
	}
	return 0;
}

static void supply_push(struct geo_supply *s, size_t *cap, int64_t id, double x,
			double y, double capacity)
{
	if (s->n + 1 > *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		s->id = xrealloc(s->id, c * sizeof(int64_t));
		s->x = xrealloc(s->x, c * sizeof(double));
		s->y = xrealloc(s->y, c * sizeof(double));
		s->capacity = xrealloc(s->capacity, c * sizeof(double));
		*cap = c;
	}
	s->id[s->n] = id;
	s->x[s->n] = x;
	s->y[s->n] = y;
	s->capacity[s->n] = capacity;
	s->n++;
}

/*
 * The SQL conditions of f on "assets a" (each " AND ..."), the program
 * bound as ?bind when f has one; the language and hours are tested per
 * row by filter_row.  The one place the supply filters are written, for
 * geo_supply_load and geo_filter_keep.
 */
static void filter_sql(const struct geo_filter *f, struct core_buf *sql,
		       int bind)
{
	if (!f)
		return;
	if (f->medi_cal)
		core_buf_adds(sql, " AND a.accepts_medi_cal = 1");
	if (f->formal >= 0)
		core_buf_addf(sql, " AND a.formal = %d", f->formal ? 1 : 0);
	if (!isnan(f->min_capacity))
		core_buf_addf(sql, " AND a.capacity >= %.17g", f->min_capacity);
	if (f->program)
		core_buf_addf(sql,
			      " AND EXISTS (SELECT 1 FROM asset_programs p"
			      " WHERE p.asset_id = a.id AND p.program = ?%d)",
			      bind);
	/* partners.asset_id is the register's key: one row per asset */
	if (f->partners == GEO_PARTNERS_CURRENT)
		core_buf_adds(sql, " AND a.id IN (SELECT asset_id FROM partners"
				   " WHERE status = 'current')");
	else if (f->partners == GEO_PARTNERS_PROSPECTIVE)
		core_buf_adds(sql, " AND a.id IN (SELECT asset_id FROM partners"
				   " WHERE status = 'prospective')");
	else if (f->partners == GEO_PARTNERS_ANY)
		core_buf_adds(sql,
			      " AND a.id IN (SELECT asset_id FROM partners"
			      " WHERE status IN ('current', 'prospective'))");
}

/* Whether an asset with these languages and hours (as stored) passes
 * f's language and hours conditions. */
static int filter_row(const struct geo_filter *f, const char *languages,
		      const char *hours)
{
	int wd, ev;

	if (f->language && !list_has(languages, f->language))
		return 0;
	if ((f->weekday || f->evening) &&
	    (geo_hours_parse(hours, &wd, &ev) || (f->weekday && !wd) ||
	     (f->evening && !ev)))
		return 0;
	return 1;
}

int geo_filter_is_set(const struct geo_filter *f)
{
	return f && (f->language || f->medi_cal || f->program || f->weekday ||
		     f->evening || !isnan(f->min_capacity) || f->formal >= 0 ||
		     f->partners != GEO_PARTNERS_ALL);
}

/* An asset id and where it stands in the caller's array. */
struct id_at {
	int64_t id;
	size_t at;
};

static int cmp_id_at(const void *a, const void *b)
{
	int64_t x = ((const struct id_at *)a)->id,
		y = ((const struct id_at *)b)->id;

	return (x > y) - (x < y);
}

int geo_filter_keep(struct core_ws *ws, const struct geo_filter *f,
		    const int64_t *id, size_t n, unsigned char *keep,
		    struct core_err *err)
{
	struct core_buf sql = CORE_BUF_INIT;
	sqlite3_stmt *st = NULL;
	struct id_at *sorted = NULL;
	size_t i;
	int rc = CORE_OK, step;

	if (!geo_filter_is_set(f)) {
		memset(keep, 1, n);
		return CORE_OK;
	}
	memset(keep, 0, n);
	if (n == 0)
		return CORE_OK;
	sorted = xmalloc(n * sizeof(*sorted));
	for (i = 0; i < n; i++) {
		sorted[i].id = id[i];
		sorted[i].at = i;
	}
	qsort(sorted, n, sizeof(*sorted), cmp_id_at);
	core_buf_adds(&sql, "SELECT a.id, a.languages, a.hours FROM assets a"
			    " WHERE 1");
	filter_sql(f, &sql, 1);
	if ((rc = core_ws_prepare(ws, err, &st, core_buf_str(&sql))))
		goto cleanup;
	if (f->program)
		sqlite3_bind_text(st, 1, f->program, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct id_at key = {sqlite3_column_int64(st, 0), 0};
		const struct id_at *hit =
		    bsearch(&key, sorted, n, sizeof(*sorted), cmp_id_at);

		if (!hit ||
		    !filter_row(f, (const char *)sqlite3_column_text(st, 1),
				(const char *)sqlite3_column_text(st, 2)))
			continue;
		/* the same id may stand at several places */
		while (hit > sorted && hit[-1].id == key.id)
			hit--;
		for (; hit < sorted + n && hit->id == key.id; hit++)
			keep[hit->at] = 1;
	}
	if (step != SQLITE_DONE)
		rc = core_ws_dberr(ws, err, "reading assets");
cleanup:
	sqlite3_finalize(st);
	core_buf_release(&sql);
	free(sorted);
	return rc;
}

int geo_supply_load(struct core_ws *ws, const char *const *cats, size_t ncats,
		    const struct geo_filter *f, struct geo_proj *proj,
		    struct geo_supply **out, struct core_err *err)
{
	struct core_buf sql = CORE_BUF_INIT;
	struct geo_supply *s = NULL;
	size_t *cap = NULL, i;
	sqlite3_stmt *st = NULL;
	int rc = CORE_OK, step, bind = 1;

	*out = NULL;
	for (i = 0; i < ncats; i++)
		if (!core_category_exists(ws, cats[i]))
			return core_err_set(err, CORE_EUSAGE,
					    "'%s' is not a category; 'assetmap "
					    "categories' lists the codes",
					    cats[i]);
	s = xcalloc(ncats ? ncats : 1, sizeof(*s));
	cap = xcalloc(ncats ? ncats : 1, sizeof(size_t));
	for (i = 0; i < ncats; i++)
		s[i].category = xstrdup(cats[i]);
	if (ncats == 0)
		goto done;
	core_buf_adds(
	    &sql, "SELECT ac.category, a.id, a.geom, a.capacity, a.languages,"
		  " a.hours FROM asset_categories ac"
		  " JOIN assets a ON a.id = ac.asset_id"
		  " WHERE ac.category IN (");
	for (i = 0; i < ncats; i++)
		core_buf_addf(&sql, "%s?%d", i ? ", " : "", bind++);
	core_buf_adds(&sql, ")");
	filter_sql(f, &sql, bind);
	core_buf_adds(&sql, " ORDER BY ac.category, ac.asset_id");
	if ((rc = core_ws_prepare(ws, err, &st, core_buf_str(&sql))))
		goto cleanup;
	for (i = 0; i < ncats; i++)
		sqlite3_bind_text(st, (int)i + 1, cats[i], -1, SQLITE_STATIC);
	if (f && f->program)
		sqlite3_bind_text(st, bind, f->program, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cat = (const char *)sqlite3_column_text(st, 0);
		int64_t id = sqlite3_column_int64(st, 1);
		double x = NAN, y = NAN, capacity = 1;
		int pr;

		pr = geo_blob_point_get(sqlite3_column_blob(st, 2),
					sqlite3_column_bytes(st, 2), &x, &y);
		if (pr < 0) {
			rc = core_err_set(err, CORE_EFORMAT,
					  "workspace %s, asset %lld: the "
					  "location is not a SpatiaLite point",
					  ws->path, (long long)id);
			goto cleanup;
		}
		if (pr == 0 || isnan(x) || isnan(y))
			continue; /* no location: nothing to measure */
		if (f &&
		    !filter_row(f, (const char *)sqlite3_column_text(st, 4),
				(const char *)sqlite3_column_text(st, 5)))
			continue;
		if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
			capacity = sqlite3_column_double(st, 3);
		}
		for (i = 0; i < ncats; i++)
			if (cat && strcmp(cats[i], cat) == 0)
				supply_push(&s[i], &cap[i], id, x, y, capacity);
	}
	if (step != SQLITE_DONE) {
		rc = core_ws_dberr(ws, err, "reading assets");
		goto cleanup;
	}
done:
	for (i = 0; i < ncats; i++) {
		if (!s[i].id) {
			s[i].id = xmalloc(sizeof(int64_t));
			s[i].x = xmalloc(sizeof(double));
			s[i].y = xmalloc(sizeof(double));
			s[i].capacity = xmalloc(sizeof(double));
		}
		if ((rc = geo_proj_fwd_par(proj, s[i].x, s[i].y, s[i].n, 1,
					   err))) {
			core_err_prefix(err, "assets of %s: ", cats[i]);
			goto cleanup;
		}
	}
	*out = s;
	s = NULL;
cleanup:
	sqlite3_finalize(st);
	core_buf_release(&sql);
	free(cap);
	geo_supply_free(s, ncats);
	return rc;
}

void geo_supply_free(struct geo_supply *s, size_t ncats)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < ncats; i++) {
		free(s[i].category);
		free(s[i].id);
		free(s[i].x);
		free(s[i].y);
		free(s[i].capacity);
	}
	free(s);
}

int geo_categories_present(struct core_ws *ws, char ***codes, size_t *n,
			   struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	char **v = NULL;
	size_t k = 0;
	int rc, step;

	*codes = NULL;
	*n = 0;
	if ((rc = core_ws_prepare(ws, err, &st,
				  "SELECT c.code FROM categories c WHERE EXISTS"
				  " (SELECT 1 FROM asset_categories ac"
				  "  WHERE ac.category = c.code)"
				  " ORDER BY c.sort, c.code")))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		v = xrealloc(v, (k + 1) * sizeof(char *));
		v[k++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	if (step != SQLITE_DONE) {
		rc = core_ws_dberr(ws, err, "reading categories");
		while (k)
			free(v[--k]);
		free(v);
		v = NULL;
	}
	sqlite3_finalize(st);
	*codes = v;
	*n = k;
	return rc;
}

/* ---------------------------------------------------------------------
 * Areas: lookup by GEOID and point in polygon
 * ------------------------------------------------------------------ */

/* The number of leading GEOID digits an area of level has; 0 when a
 * member's tract GEOID does not say (block groups, ZCTAs). */
static size_t level_prefix(const char *level)
{
	if (strcmp(level, "tract") == 0)
		return 11;
	if (strcmp(level, "county") == 0)
		return 5;
	if (strcmp(level, "state") == 0)
		return 2;
	return 0;
}

/* The level of areas (a static string; "" when unknown): the level of
 * their first GEOID in the workspace; a five-digit GEOID may be a county
 * or a ZCTA, told apart by how many areas each level has. */
static const char *areas_level(struct core_ws *ws, const struct geo_areas *a)
{
	static const char *const levels[] = {
	    "state", "county", "tract", "blockgroup", "zcta", "neighborhood"};
	sqlite3_stmt *st = NULL;
	const char *r = "";
	int nfound = 0;
	size_t i;

	if (!a || a->n == 0)
		return "";
	if (sqlite3_prepare_v2(ws->db,
			       "SELECT level, (SELECT count(*) FROM areas b"
			       " WHERE b.level = a.level) FROM areas a"
			       " WHERE geoid = ? ORDER BY level",
			       -1, &st, NULL) != SQLITE_OK)
		return "";
	sqlite3_bind_text(st, 1, a->geoid[0], -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *lv = (const char *)sqlite3_column_text(st, 0);
		int64_t cnt = sqlite3_column_int64(st, 1);
		for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
			if (lv && strcmp(lv, levels[i]) == 0 &&
			    (!nfound || cnt == (int64_t)a->n)) {
				r = levels[i];
				nfound++;
			}
	}
	sqlite3_finalize(st);
	return r;
}

/* Index of the area whose GEOID is the first len characters of key. */
static int32_t find_geoid(const struct geo_areas *a, const char *key,
			  size_t len)
{
	size_t lo = 0, hi = a->n;

	if (strlen(key) < len)
		return -1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(a->geoid[mid], key, len);
		if (c == 0 && a->geoid[mid][len])
			c = 1;
		if (c == 0)
			return (int32_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

struct pip_job {
	const struct geo_locator *loc;
	const double *x, *y;
	int32_t *area;
};

static void pip_run(void *vctx, size_t b, size_t e, int w)
{
	struct pip_job *j = vctx;
	size_t i;

	(void)w;
	for (i = b; i < e; i++)
		if (j->area[i] == -2)
			j->area[i] = geo_locator_find(j->loc, j->x[i], j->y[i]);
}

/* ---------------------------------------------------------------------
 * Cohort members
 * ------------------------------------------------------------------ */

/* The cohort's id and kind; CORE_ENOTFOUND listing the cohorts there
 * are. */
static int find_cohort(struct core_ws *ws, const char *name, int64_t *id,
		       int *counts, char **level, struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	if ((rc = core_ws_prepare(
		 ws, err, &st,
		 "SELECT id, kind, level FROM cohorts WHERE name = ?")))
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*counts = strcmp((const char *)sqlite3_column_text(st, 1),
				 "counts") == 0;
		if (level)
			*level = xstrdup_or_null(
			    (const char *)sqlite3_column_text(st, 2));
		sqlite3_finalize(st);
		return CORE_OK;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return core_ws_dberr(ws, err, "reading cohorts");
	{
		struct core_buf b = CORE_BUF_INIT;
		if (core_ws_prepare(ws, err, &st,
				    "SELECT name FROM cohorts ORDER BY name"))
			return CORE_EDB;
		while (sqlite3_step(st) == SQLITE_ROW)
			core_buf_addf(&b, "%s%s", b.len ? ", " : "",
				      (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		if (b.len)
			rc = core_err_set(
			    err, CORE_ENOTFOUND,
			    "no cohort named '%s' in workspace %s; it has: %s",
			    name, ws->path, core_buf_str(&b));
		else
			rc = core_err_set(
			    err, CORE_ENOTFOUND,
			    "no cohort named '%s': workspace %s has no "
			    "cohorts; import one with 'assetmap import cohort'",
			    name, ws->path);
		core_buf_release(&b);
	}
	return rc;
}

/* attr "KEY=VALUE" into the JSON path '$."KEY"' and the value. */
static int split_attr(const char *attr, char **path, char **value,
		      struct core_err *err)
{
	const char *eq = attr ? strchr(attr, '=') : NULL;
	size_t k;

	if (!eq || eq == attr)
		return core_err_set(
		    err, CORE_EUSAGE,
		    "--where: '%s' is not KEY=VALUE (e.g. language=es)",
		    attr ? attr : "");
	k = (size_t)(eq - attr);
	if (memchr(attr, '"', k) || memchr(attr, '\\', k))
		return core_err_set(err, CORE_EUSAGE,
				    "--where: the attribute name in '%s' may "
				    "not hold quotes or backslashes",
				    attr);
	*path = xmalloc(k + 5);
	snprintf(*path, k + 5, "$.\"%.*s\"", (int)k, attr);
	*value = xstrdup(eq + 1);
	return CORE_OK;
}

/* When a --where matched nobody: is the key kept at all?  CORE_EUSAGE
 * naming the keys kept when it is not. */
static int check_attr_key(struct core_ws *ws, int64_t cohort_id,
			  const char *cohort, const char *attr,
			  struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	struct core_buf keys = CORE_BUF_INIT;
	size_t k = strcspn(attr, "=");
	int found = 0, rc = CORE_OK;

	if (core_ws_prepare(
		ws, err, &st,
		"SELECT j.key FROM (SELECT attrs FROM cohort_members"
		" WHERE cohort_id = ? AND attrs IS NOT NULL LIMIT 1) m,"
		" json_each(m.attrs) j"))
		return CORE_EDB;
	sqlite3_bind_int64(st, 1, cohort_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		if (key && strlen(key) == k && strncmp(key, attr, k) == 0)
			found = 1;
		core_buf_addf(&keys, "%s%s", keys.len ? ", " : "",
			      key ? key : "");
	}
	sqlite3_finalize(st);
	if (!found)
		rc = core_err_set(
		    err, CORE_EUSAGE,
		    "--where: cohort '%s' keeps no attribute '%.*s'; %s%s",
		    cohort, (int)k, attr,
		    keys.len
			? "it keeps: "
			: "it keeps none (import it with --keep to keep some)",
		    core_buf_str(&keys));
	core_buf_release(&keys);
	return rc;
}

struct mbuild {
	struct geo_members *m;
	size_t cap;
};

static void member_push(struct mbuild *b, int64_t id, double x, double y,
			int32_t area, unsigned char zip)
{
	struct geo_members *m = b->m;

	if (m->n + 1 > b->cap) {
		size_t c = b->cap ? b->cap * 2 : 1024;
		m->id = xrealloc(m->id, c * sizeof(int64_t));
		m->x = xrealloc(m->x, c * sizeof(double));
		m->y = xrealloc(m->y, c * sizeof(double));
		m->area = xrealloc(m->area, c * sizeof(int32_t));
		m->zip_precision = xrealloc(m->zip_precision, c);
		b->cap = c;
	}
	m->id[m->n] = id;
	m->x[m->n] = x;
	m->y[m->n] = y;
	m->area[m->n] = area;
	m->zip_precision[m->n] = zip;
	m->n++;
}

/* What the per-row function needs. */
struct mscan {
	struct mbuild *b;
	const struct geo_areas *areas;
	size_t plen;
	int is_zcta;
	char *last_geoid;
	int32_t last_area;
	int need_pip;
	int bad;
	int64_t bad_id;
};

/* assetmap_member_row(id, geom, precision, area_geoid): one member into
 * the arrays.  Returns NULL; an error (stopping the scan) for a blob
 * that is not a point. */
static void member_row(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct mscan *s = sqlite3_user_data(ctx);
	int64_t id = sqlite3_value_int64(argv[0]);
	const unsigned char *prec = sqlite3_value_text(argv[2]);
	unsigned char zip = prec && prec[0] == 'z';
	double x = NAN, y = NAN;
	int32_t area = -1;
	int pr;

	(void)argc;
	pr = geo_blob_point_get(sqlite3_value_blob(argv[1]),
				sqlite3_value_bytes(argv[1]), &x, &y);
	if (pr < 0) {
		s->bad = 1;
		s->bad_id = id;
		sqlite3_result_error(ctx, "not a point", -1);
		return;
	}
	if (s->areas) {
		const char *g = (const char *)sqlite3_value_text(argv[3]);
		size_t plen = s->plen;
		/* A ZIP-placed person's area_geoid is the ZIP: it places
		 * them in a ZCTA only; for a county or state the ZIP
		 * centroid's polygon will do; never a tract. */
		if (s->is_zcta) {
			area = zip && g ? find_geoid(s->areas, g, 5) : -2;
		} else if (zip) {
			area = plen == 11 || plen == 0 ? -1 : -2;
		} else if (g && plen) {
			if (s->last_geoid &&
			    strncmp(g, s->last_geoid, plen) == 0 &&
			    strlen(g) >= plen) {
				area = s->last_area;
			} else {
				area = find_geoid(s->areas, g, plen);
				free(s->last_geoid);
				s->last_geoid = xstrdup(g);
				s->last_area = area;
			}
		} else {
			area = -2;
		}
		if (pr == 0 && area == -2)
			area = -1;
		if (area == -2)
			s->need_pip = 1;
	}
	member_push(s->b, id, x, y, area, zip);
	sqlite3_result_null(ctx);
}

struct mrow {
	int64_t id;
	double x, y;
	int32_t area;
	unsigned char zip;
};

static int cmp_mrow(const void *a, const void *b)
{
	int64_t x = ((const struct mrow *)a)->id,
		y = ((const struct mrow *)b)->id;

	return x < y ? -1 : x > y;
}

static void sort_members(struct geo_members *m)
{
	struct mrow *r = xmalloc(m->n * sizeof(*r));
	size_t i;

	for (i = 0; i < m->n; i++) {
		r[i].id = m->id[i];
		r[i].x = m->x[i];
		r[i].y = m->y[i];
		r[i].area = m->area[i];
		r[i].zip = m->zip_precision[i];
	}
	qsort(r, m->n, sizeof(*r), cmp_mrow);
	for (i = 0; i < m->n; i++) {
		m->id[i] = r[i].id;
		m->x[i] = r[i].x;
		m->y[i] = r[i].y;
		m->area[i] = r[i].area;
		m->zip_precision[i] = r[i].zip;
	}
	free(r);
}

/* One id range of a cohort read by the statement of job. */
struct mpart {
	int64_t lo, hi;
	struct mbuild b;
	struct mscan sc;
	int step; /* SQLITE_ROW when it went well */
	char msg[256];
};

struct mjob {
	const char *dbpath, *sql, *path, *value;
	int64_t cid;
	struct mpart *parts;
};

static void scan_part(sqlite3 *db, const struct mjob *j, struct mpart *p)
{
	sqlite3_stmt *st = NULL;

	p->step = SQLITE_ERROR;
	if (sqlite3_create_function(db, "assetmap_member_row", 4, SQLITE_UTF8,
				    &p->sc, member_row, NULL,
				    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, j->sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(p->msg, sizeof(p->msg), "%s", sqlite3_errmsg(db));
		goto done;
	}
	sqlite3_bind_int64(st, 1, p->lo);
	sqlite3_bind_int64(st, 2, p->hi);
	sqlite3_bind_int64(st, 3, j->cid);
	if (j->path) {
		sqlite3_bind_text(st, 4, j->path, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, j->value, -1, SQLITE_STATIC);
	}
	p->step = sqlite3_step(st);
	if (p->step != SQLITE_ROW)
		snprintf(p->msg, sizeof(p->msg), "%s", sqlite3_errmsg(db));
done:
	sqlite3_finalize(st);
	sqlite3_create_function(db, "assetmap_member_row", 4, SQLITE_UTF8, NULL,
				NULL, NULL, NULL);
}

static void scan_parts(void *ctx, size_t begin, size_t end, int w)
{
	struct mjob *j = ctx;
	size_t k;

	(void)w;
	for (k = begin; k < end; k++) {
		sqlite3 *db = NULL;
		struct mpart *p = &j->parts[k];

		if (sqlite3_open_v2(j->dbpath, &db,
				    SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
				    NULL) != SQLITE_OK) {
			p->step = SQLITE_ERROR;
			snprintf(p->msg, sizeof(p->msg), "%s",
				 db ? sqlite3_errmsg(db) : "out of memory");
		} else {
			sqlite3_busy_timeout(db, 5000);
			/* read the pages in place rather than copied out by
			 * read(2): a tenth of the scan's time at a million */
			sqlite3_exec(db, "PRAGMA mmap_size = 4294967296", NULL,
				     NULL, NULL);
			scan_part(db, j, p);
		}
		sqlite3_close(db);
	}
}

int geo_members_load(struct core_ws *ws, const char *cohort, const char *attr,
		     struct geo_proj *proj, const struct geo_areas *areas,
		     struct geo_members **out, struct core_err *err)
{
	struct mbuild b = {NULL, 0};
	struct core_buf sql = CORE_BUF_INIT;
	struct mjob job;
	struct mpart *parts = NULL;
	char *path = NULL, *value = NULL;
	int64_t cid = 0, lo = 0, hi = -1;
	const char *level = areas_level(ws, areas);
	size_t plen = level_prefix(level), i, k, nparts = 1;
	int is_zcta = strcmp(level, "zcta") == 0;
	int counts = 0, rc, need_pip = 0;

	*out = NULL;
	if ((rc = find_cohort(ws, cohort, &cid, &counts, NULL, err)))
		return rc;
	if (counts)
		return core_err_set(
		    err, CORE_EUSAGE,
		    "cohort '%s' holds counts per area, not people: it has no "
		    "members to measure from; use it as demand, or import the "
		    "people's locations",
		    cohort);
	if (attr && (rc = split_attr(attr, &path, &value, err)))
		return rc;
	/* Members of one import are stored together: a rowid range scan
	 * between the cohort's first and last id reads them in order
	 * without going through the cohort index row by row. */
	{
		sqlite3_stmt *q = NULL;
		if ((rc = core_ws_prepare(
			 ws, err, &q,
			 "SELECT min(id), max(id) FROM cohort_members"
			 " WHERE cohort_id = ?")))
			goto cleanup;
		sqlite3_bind_int64(q, 1, cid);
		if (sqlite3_step(q) == SQLITE_ROW &&
		    sqlite3_column_type(q, 0) != SQLITE_NULL) {
			lo = sqlite3_column_int64(q, 0);
			hi = sqlite3_column_int64(q, 1);
		}
		sqlite3_finalize(q);
	}
	/* The rows go straight into the arrays through a function called
	 * by SQLite for each row: a million sqlite3_column_* calls, each
	 * taking the connection's mutex, cost more than the scan itself.
	 * A large cohort is read in id ranges on every core, each on its
	 * own read-only connection (only outside a transaction, which
	 * other connections would not see into). */
	core_buf_adds(&sql, "SELECT count(assetmap_member_row(id, geom,"
			    " precision, ");
	core_buf_adds(&sql, areas ? "area_geoid" : "NULL");
	core_buf_adds(&sql, ")) FROM cohort_members WHERE id BETWEEN ?1 AND ?2"
			    " AND +cohort_id = ?3");
	if (path)
		core_buf_adds(&sql, " AND lower(CAST(json_extract(attrs, ?4)"
				    " AS TEXT)) = lower(?5)");
	if (hi >= lo && hi - lo >= 200000 && !ws->in_tx &&
	    strcmp(ws->path, ":memory:") != 0 && ws->path[0]) {
		nparts = (size_t)geo_par_threads();
		if (nparts > 4)
			nparts = 4;
	}
	job.dbpath = ws->path;
	job.sql = core_buf_str(&sql);
	job.cid = cid;
	job.path = path;
	job.value = value;
	job.parts = parts = xcalloc(nparts, sizeof(*parts));
	for (k = 0; k < nparts; k++) {
		struct mpart *pt = &parts[k];
		int64_t span = hi >= lo ? hi - lo + 1 : 0;
		pt->lo = lo + span * (int64_t)k / (int64_t)nparts;
		pt->hi = lo + span * (int64_t)(k + 1) / (int64_t)nparts - 1;
		pt->b.m = xcalloc(1, sizeof(*pt->b.m));
		/* room for every id of the range up front: the members of
		 * one import are contiguous, so this is their number */
		if (pt->hi >= pt->lo && pt->hi - pt->lo < 200000000) {
			size_t c = (size_t)(pt->hi - pt->lo + 1);
			pt->b.m->id = xmalloc(c * sizeof(int64_t));
			pt->b.m->x = xmalloc(c * sizeof(double));
			pt->b.m->y = xmalloc(c * sizeof(double));
			pt->b.m->area = xmalloc(c * sizeof(int32_t));
			pt->b.m->zip_precision = xmalloc(c);
			pt->b.cap = c;
		}
		pt->sc.b = &pt->b;
		pt->sc.areas = areas;
		pt->sc.plen = plen;
		pt->sc.is_zcta = is_zcta;
		pt->sc.last_area = -1;
	}
	if (nparts == 1)
		scan_part(ws->db, &job, &parts[0]);
	else
		geo_par_for(nparts, 1, scan_parts, &job);
	for (k = 0; k < nparts; k++) {
		if (parts[k].sc.bad) {
			rc = core_err_set(
			    err, CORE_EFORMAT,
			    "workspace %s, cohort %s member %lld: the location "
			    "is not a SpatiaLite point",
			    ws->path, cohort, (long long)parts[k].sc.bad_id);
			goto cleanup;
		}
		if (parts[k].step != SQLITE_ROW) {
			rc = core_err_set(
			    err, CORE_EDB,
			    "workspace %s: reading cohort members: %s",
			    ws->path, parts[k].msg);
			goto cleanup;
		}
		need_pip |= parts[k].sc.need_pip;
	}
	/* one array from the parts, in id order */
	if (nparts == 1) {
		b.m = parts[0].b.m;
		parts[0].b.m = NULL;
	} else {
		size_t total = 0, at = 0;
		for (k = 0; k < nparts; k++)
			total += parts[k].b.m->n;
		b.m = xcalloc(1, sizeof(*b.m));
		b.m->id = xmalloc((total ? total : 1) * sizeof(int64_t));
		b.m->x = xmalloc((total ? total : 1) * sizeof(double));
		b.m->y = xmalloc((total ? total : 1) * sizeof(double));
		b.m->area = xmalloc((total ? total : 1) * sizeof(int32_t));
		b.m->zip_precision = xmalloc(total ? total : 1);
		for (k = 0; k < nparts; k++) {
			const struct geo_members *pm = parts[k].b.m;
			if (!pm->n)
				continue;
			memcpy(b.m->id + at, pm->id, pm->n * sizeof(int64_t));
			memcpy(b.m->x + at, pm->x, pm->n * sizeof(double));
			memcpy(b.m->y + at, pm->y, pm->n * sizeof(double));
			memcpy(b.m->area + at, pm->area,
			       pm->n * sizeof(int32_t));
			memcpy(b.m->zip_precision + at, pm->zip_precision,
			       pm->n);
			at += pm->n;
		}
		b.m->n = total;
	}
	/* a rowid range scan gives ascending ids; make sure */
	for (i = 1; i < b.m->n; i++)
		if (b.m->id[i - 1] >= b.m->id[i])
			break;
	if (i < b.m->n)
		sort_members(b.m);
	if (b.m->n == 0 && attr &&
	    (rc = check_attr_key(ws, cid, cohort, attr, err)))
		goto cleanup;
	if (!b.m->id) {
		b.m->id = xmalloc(sizeof(int64_t));
		b.m->x = xmalloc(sizeof(double));
		b.m->y = xmalloc(sizeof(double));
		b.m->area = xmalloc(sizeof(int32_t));
		b.m->zip_precision = xmalloc(1);
	}
	if ((rc = geo_proj_fwd_par(proj, b.m->x, b.m->y, b.m->n, 1, err))) {
		core_err_prefix(err, "cohort %s: ", cohort);
		goto cleanup;
	}
	if (need_pip) {
		struct pip_job j;
		struct geo_locator *loc = geo_locator_new(areas);
		j.loc = loc;
		j.x = b.m->x;
		j.y = b.m->y;
		j.area = b.m->area;
		geo_par_for(b.m->n, 0, pip_run, &j);
		geo_locator_free(loc);
	}
	*out = b.m;
	b.m = NULL;
cleanup:
	core_buf_release(&sql);
	free(path);
	free(value);
	if (parts)
		for (k = 0; k < nparts; k++) {
			free(parts[k].sc.last_geoid);
			geo_members_free(parts[k].b.m);
		}
	free(parts);
	geo_members_free(b.m);
	return rc;
}

void geo_members_free(struct geo_members *m)
{
	if (!m)
		return;
	free(m->id);
	free(m->x);
	free(m->y);
	free(m->area);
	free(m->zip_precision);
	free(m);
}

/* ---------------------------------------------------------------------
 * Demand
 * ------------------------------------------------------------------ */

/* Fineness of a level: a count at level a can be summed into level b
 * when rank(a) >= rank(b) and a's GEOID starts with b's. */
static int level_rank(const char *level)
{
	if (!level)
		return -1;
	if (strcmp(level, "state") == 0)
		return 0;
	if (strcmp(level, "county") == 0)
		return 1;
	if (strcmp(level, "tract") == 0)
		return 2;
	if (strcmp(level, "blockgroup") == 0)
		return 3;
	return -1;
}

/*
 * Add counts cohort cid's counts (kept per clevel area) into
 * demand[areas->n], summing each GEOID into the area whose GEOID it
 * starts with; counts in no area are dropped.  demand is added to, not
 * cleared.  cohort is the name for messages.  Returns CORE_OK, CORE_EUSAGE
 * when clevel is not the areas' level or a finer one, or CORE_EDB.
 */
static int demand_counts(struct core_ws *ws, const struct geo_areas *areas,
			 const char *cohort, int64_t cid, const char *clevel,
			 double *demand, struct core_err *err)
{
	const char *alevel = areas_level(ws, areas);
	sqlite3_stmt *st = NULL;
	size_t plen = 0;
	int rc, step;

	if (clevel && strcmp(clevel, alevel) == 0) {
		plen = 0; /* whole GEOID */
	} else if (level_rank(clevel) >= 0 && level_rank(alevel) >= 0 &&
		   level_rank(clevel) > level_rank(alevel)) {
		plen = level_prefix(alevel);
	} else {
		return core_err_set(
		    err, CORE_EUSAGE,
		    "cohort '%s' counts people per %s, which cannot be added "
		    "up into %s areas; use --areas %s%s",
		    cohort, clevel ? clevel : "area", alevel,
		    clevel ? clevel : "LEVEL",
		    level_rank(clevel) > 0 ? " or a coarser level" : "");
	}
	if ((rc = core_ws_prepare(ws, err, &st,
				  "SELECT geoid, count FROM cohort_counts"
				  " WHERE cohort_id = ?")))
		return rc;
	sqlite3_bind_int64(st, 1, cid);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *g = (const char *)sqlite3_column_text(st, 0);
		int32_t i;
		if (!g)
			continue;
		i = find_geoid(areas, g, plen ? plen : strlen(g));
		if (i >= 0)
			demand[i] += (double)sqlite3_column_int64(st, 1);
	}
	if (step != SQLITE_DONE)
		rc = core_ws_dberr(ws, err, "reading cohort counts");
	sqlite3_finalize(st);
	return rc;
}

int geo_demand_load(struct core_ws *ws, const struct geo_areas *areas,
		    const char *cohort, const char *attr, double *demand,
		    struct core_err *err)
{
	struct geo_members *m = NULL;
	struct geo_proj *proj = NULL;
	char *clevel = NULL;
	int64_t cid = 0;
	size_t i;
	int counts = 0, rc;

	if (!cohort) {
		for (i = 0; i < areas->n; i++)
			demand[i] = areas->population[i];
		return CORE_OK;
	}
	for (i = 0; i < areas->n; i++)
		demand[i] = 0;
	if ((rc = find_cohort(ws, cohort, &cid, &counts, &clevel, err)))
		return rc;
	if (counts) {
		if (attr)
			rc = core_err_set(
			    err, CORE_EUSAGE,
			    "--where: cohort '%s' holds counts per area, with "
			    "no attributes to select people by",
			    cohort);
		else
			rc = demand_counts(ws, areas, cohort, cid, clevel,
					   demand, err);
		free(clevel);
		return rc;
	}
	free(clevel);
	/* Members are placed as geo_members_load places them; point in
	 * polygon needs the areas' projection: the workspace's. */
	if ((rc = geo_proj_for_ws(ws, &proj, err)))
		return rc;
	rc = geo_members_load(ws, cohort, attr, proj, areas, &m, err);
	if (rc == CORE_OK)
		for (i = 0; i < m->n; i++)
			if (m->area[i] >= 0)
				demand[m->area[i]] += 1;
	geo_members_free(m);
	geo_proj_free(proj);
	return rc;
}

/* ---------------------------------------------------------------------
 * Area points
 * ------------------------------------------------------------------ */

/* Signed area and area-weighted centroid sums of ring k, relative to
 * (ox, oy). */
static void ring_moments(const struct geo_areas *a, size_t k, double ox,
			 double oy, double *area2, double *cx6, double *cy6)
{
	size_t s = a->pt_start[k], e = a->pt_start[k + 1], v;

	*area2 = *cx6 = *cy6 = 0;
	for (v = s + 1; v < e; v++) {
		double x1 = a->x[v - 1] - ox, y1 = a->y[v - 1] - oy;
		double x2 = a->x[v] - ox, y2 = a->y[v] - oy;
		double c = x1 * y2 - x2 * y1;
		*area2 += c;
		*cx6 += (x1 + x2) * c;
		*cy6 += (y1 + y2) * c;
	}
}

/* Area (>= 0) and centroid of polygon j: exterior minus holes. */
static double polygon_centroid(const struct geo_areas *a, size_t j, double ox,
			       double oy, double *cx, double *cy)
{
	size_t k;
	double A = 0, X = 0, Y = 0;

	for (k = a->ring_start[j]; k < a->ring_start[j + 1]; k++) {
		double a2, x6, y6, sign;
		ring_moments(a, k, ox, oy, &a2, &x6, &y6);
		/* exterior counts positive, holes negative, whatever
		 * their winding */
		sign = (k == a->ring_start[j]) ? 1 : -1;
		if (a2 < 0) {
			a2 = -a2;
			x6 = -x6;
			y6 = -y6;
		}
		A += sign * a2;
		X += sign * x6;
		Y += sign * y6;
	}
	if (A > 0) {
		*cx = X / (3 * A) + ox;
		*cy = Y / (3 * A) + oy;
	} else {
		*cx = *cy = NAN;
	}
	return A / 2;
}

/* A point inside polygon j: the middle of the widest stretch of the
 * horizontal line through y that lies inside it. */
static int polygon_inside_point(const struct geo_areas *a, size_t j, double y,
				double *px)
{
	double xs[256];
	size_t nx = 0, k, i;
	double best = -1;

	for (k = a->ring_start[j]; k < a->ring_start[j + 1]; k++) {
		size_t v;
		for (v = a->pt_start[k] + 1; v < a->pt_start[k + 1]; v++) {
			double x1 = a->x[v - 1], y1 = a->y[v - 1];
			double x2 = a->x[v], y2 = a->y[v];
			if ((y1 > y) != (y2 > y) && nx < 256)
				xs[nx++] =
				    (x2 - x1) * (y - y1) / (y2 - y1) + x1;
		}
	}
	if (nx < 2)
		return 0;
	/* insertion sort: few crossings */
	for (i = 1; i < nx; i++) {
		double t = xs[i];
		size_t m = i;
		while (m > 0 && xs[m - 1] > t) {
			xs[m] = xs[m - 1];
			m--;
		}
		xs[m] = t;
	}
	for (i = 0; i + 1 < nx; i += 2)
		if (xs[i + 1] - xs[i] > best) {
			best = xs[i + 1] - xs[i];
			*px = (xs[i] + xs[i + 1]) / 2;
		}
	return best > 0;
}

/*
 * One point for area i of a, into *x, *y: the area-weighted centroid of
 * its polygons; when that falls outside the area, the centroid of its
 * largest polygon, or when that too falls outside, a point inside that
 * polygon on the centroid's horizontal line.  NaN when none of its
 * polygons has an area.
 */
static void geometric_point(const struct geo_areas *a, size_t i, double *x,
			    double *y)
{
	size_t p0 = a->part_start[i], p1 = a->part_start[i + 1], j, big = p0;
	double A = 0, X = 0, Y = 0, bigA = -1, ox, oy;

	*x = *y = NAN;
	if (p0 == p1)
		return;
	ox = a->x[a->pt_start[a->ring_start[p0]]];
	oy = a->y[a->pt_start[a->ring_start[p0]]];
	for (j = p0; j < p1; j++) {
		double cx, cy, pa = polygon_centroid(a, j, ox, oy, &cx, &cy);
		if (pa > 0) {
			A += pa;
			X += pa * cx;
			Y += pa * cy;
		}
		if (pa > bigA) {
			bigA = pa;
			big = j;
		}
	}
	if (A > 0) {
		*x = X / A;
		*y = Y / A;
		if (geo_area_contains(a, i, *x, *y))
			return;
	}
	/* the centroid falls outside: the largest polygon's, else a point
	 * on its surface */
	{
		double cx, cy, px;
		if (polygon_centroid(a, big, ox, oy, &cx, &cy) > 0) {
			*x = cx;
			*y = cy;
			if (geo_area_contains(a, i, cx, cy))
				return;
			if (polygon_inside_point(a, big, cy, &px)) {
				*x = px;
				return;
			}
		}
	}
}

int geo_area_points(struct core_ws *ws, const struct geo_areas *areas,
		    struct geo_proj *proj, double *x, double *y, int *weighted,
		    struct core_err *err)
{
	struct geo_areas *bg = NULL;
	const char *level = areas_level(ws, areas);
	size_t plen = level_prefix(level), i, nw = 0, nunweighted = 0;
	double *sx = NULL, *sy = NULL, *sw = NULL;
	int rc = CORE_OK;

	*weighted = 0;
	for (i = 0; i < areas->n; i++)
		geometric_point(areas, i, &x[i], &y[i]);
	if (areas->n == 0 || plen == 0)
		return CORE_OK;
	/* Block groups with population inside tracts, counties, states. */
	if ((rc = geo_areas_load(ws, "blockgroup", NULL, proj, &bg, err)))
		return rc;
	if (bg->n == 0)
		goto cleanup;
	sx = xcalloc(areas->n, sizeof(double));
	sy = xcalloc(areas->n, sizeof(double));
	sw = xcalloc(areas->n, sizeof(double));
	for (i = 0; i < bg->n; i++) {
		double bx, by, pop = bg->population[i];
		int32_t k;
		if (!(pop > 0))
			continue;
		k = find_geoid(areas, bg->geoid[i], plen);
		if (k < 0)
			continue;
		geometric_point(bg, i, &bx, &by);
		if (isnan(bx))
			continue;
		sx[k] += pop * bx;
		sy[k] += pop * by;
		sw[k] += pop;
	}
	for (i = 0; i < areas->n; i++) {
		if (sw[i] > 0) {
			x[i] = sx[i] / sw[i];
			y[i] = sy[i] / sw[i];
			nw++;
		} else if (!areas->flags[i] && !(areas->population[i] == 0)) {
			nunweighted++;
		}
	}
	*weighted = nw > 0 && nunweighted == 0;
cleanup:
	free(sx);
	free(sy);
	free(sw);
	geo_areas_free(bg);
	return rc;
}
