/*
 * cli_opt.c - options declared in a table: parsing, help and usage
 * errors.  See cli_opt.h.
 */
#include "cli/cli_opt.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_mem.h"
#include "core/core_units.h"

#define DEFAULT_COLUMN 23

void cli_strv_release(struct cli_strv *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* A record found for an argument, with the base its offset applies to. */
struct hit {
	const struct cli_opt *o;
	char *base;
};

static int takes_value(const struct cli_opt *o)
{
	if (o->kind == CLI_OPT_KIND_FLAG)
		return 0;
	if (o->kind == CLI_OPT_KIND_CALLBACK && (o->flags & CLI_OPT_NOARG))
		return 0;
	return 1;
}

/*
 * Walk opts (and the groups it includes) for the long name name[0..n):
 * an exact match goes to *exact; every record the name is a prefix of is
 * counted in *nprefix, the first going to *prefix.
 */
static void find_long(const struct cli_opt *opts, char *base, const char *name,
		      size_t n, struct hit *exact, struct hit *prefix,
		      int *nprefix)
{
	const struct cli_opt *o;

	for (o = opts; o->kind != CLI_OPT_KIND_END; o++) {
		if (o->kind == CLI_OPT_KIND_INCLUDE) {
			find_long(o->group, base ? base + o->off : NULL, name,
				  n, exact, prefix, nprefix);
			continue;
		}
		if (!o->name || strncmp(o->name, name, n) != 0)
			continue;
		if (o->name[n] == '\0' && !exact->o) {
			exact->o = o;
			exact->base = base ? base + o->off : NULL;
		}
		if (*nprefix == 0) {
			prefix->o = o;
			prefix->base = base ? base + o->off : NULL;
		} else if (strcmp(prefix->o->name, o->name) == 0) {
			continue; /* a group's record the command replaced */
		}
		(*nprefix)++;
	}
}

static int find_short(const struct cli_opt *opts, char *base, char c,
		      struct hit *h)
{
	const struct cli_opt *o;

	for (o = opts; o->kind != CLI_OPT_KIND_END; o++) {
		if (o->kind == CLI_OPT_KIND_INCLUDE) {
			if (find_short(o->group, base + o->off, c, h))
				return 1;
			continue;
		}
		if (o->kind >= CLI_OPT_KIND_FLAG && o->short_name == c) {
			h->o = o;
			h->base = base + o->off;
			return 1;
		}
	}
	return 0;
}

const struct cli_opt *cli_opt_find(const struct cli_opt *opts, const char *name)
{
	struct hit exact = {NULL, NULL}, prefix = {NULL, NULL};
	int np = 0;

	find_long(opts, NULL, name, strlen(name), &exact, &prefix, &np);
	return exact.o;
}

/* "--NAME ..." or "--NAME=...", naming an option of opts exactly. */
static int is_option(const struct cli_opt *opts, const char *arg)
{
	struct hit exact = {NULL, NULL}, prefix = {NULL, NULL};
	int np = 0;

	if (arg[0] != '-' || arg[1] != '-')
		return 0;
	find_long(opts, NULL, arg + 2, strcspn(arg + 2, "="), &exact, &prefix,
		  &np);
	return exact.o != NULL;
}

/* Edit distance of a[0..na) and b, for "did you mean": Levenshtein's,
 * with two neighbouring letters swapped counting as one edit (optimal
 * string alignment), so that "mpa" is one edit from "map". */
static size_t edit_distance(const char *a, size_t na, const char *b)
{
	size_t nb = strlen(b), i, j, d, w = nb + 1;
	size_t *m = xmalloc((na + 1) * w * sizeof(*m));

	for (j = 0; j <= nb; j++)
		m[j] = j;
	for (i = 1; i <= na; i++) {
		m[i * w] = i;
		for (j = 1; j <= nb; j++) {
			d = m[(i - 1) * w + j - 1] + (a[i - 1] != b[j - 1]);
			if (m[(i - 1) * w + j] + 1 < d)
				d = m[(i - 1) * w + j] + 1;
			if (m[i * w + j - 1] + 1 < d)
				d = m[i * w + j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] &&
			    m[(i - 2) * w + j - 2] + 1 < d)
				d = m[(i - 2) * w + j - 2] + 1;
			m[i * w + j] = d;
		}
	}
	d = m[na * w + nb];
	free(m);
	return d;
}

const char *cli_opt_nearest_word(const char *value, const char *const *words)
{
	size_t n = strlen(value), best = (size_t)-1, d, i;
	const char *found = NULL;
	char *low, *w;

	if (n == 0)
		return NULL;
	low = xstrdup(value);
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)low[i]);
	for (; *words; words++) {
		if (n >= 2 && strlen(*words) > n &&
		    strncasecmp(*words, value, n) == 0) {
			found = *words;
			break;
		}
		w = xstrdup(*words);
		for (i = 0; w[i]; i++)
			w[i] = (char)tolower((unsigned char)w[i]);
		d = edit_distance(low, n, w);
		free(w);
		if (d > 0 && 3 * d <= n && d < best) {
			best = d;
			found = *words;
		}
	}
	free(low);
	return found;
}

/* The long name of opts nearest name[0..n), or NULL when none is near
 * (at most a third of the name's letters wrong). */
static const char *nearest_name(const struct cli_opt *opts, const char *name,
				size_t n, size_t *best)
{
	const struct cli_opt *o;
	const char *found = NULL, *g;
	size_t d;

	for (o = opts; o->kind != CLI_OPT_KIND_END; o++) {
		if (o->kind == CLI_OPT_KIND_INCLUDE) {
			g = nearest_name(o->group, name, n, best);
			if (g)
				found = g;
			continue;
		}
		/* hidden options parse too (a group's, worded by the
		 * command's help; the second of a pair) */
		if (!o->name)
			continue;
		d = edit_distance(name, n, o->name);
		if (d > 0 && 3 * d <= n && d < *best) {
			*best = d;
			found = o->name;
		}
	}
	return found;
}

/* Whether opts (its own records, not its groups') holds CLI_OPT_GETOPT. */
static int getopt_words(const struct cli_opt *opts)
{
	const struct cli_opt *o;

	for (o = opts; o->kind != CLI_OPT_KIND_END; o++)
		if (o->kind == CLI_OPT_KIND_GETOPT)
			return 1;
	return 0;
}

static int unknown(struct cli_ctx *ctx, const char *cmd,
		   const struct cli_opt *opts, const char *arg)
{
	size_t best = (size_t)-1;
	const char *near = NULL;

	if (arg[0] == '-' && arg[1] == '-')
		near =
		    nearest_name(opts, arg + 2, strcspn(arg + 2, "="), &best);
	if (near)
		return cli_usage(ctx, cmd,
				 "unknown option '%s'; did you mean '--%s'?",
				 arg, near);
	return cli_usage(ctx, cmd, "unknown option '%s'", arg);
}

/* The option as messages name it: "--within", or "-o" without a long
 * name. */
static void opt_name(const struct cli_opt *o, char *buf, size_t size)
{
	if (o->name)
		snprintf(buf, size, "--%s", o->name);
	else
		snprintf(buf, size, "-%c", o->short_name);
}

/* A bad value: "--NAME: " and the record's message with value for "%s",
 * or the kind's message dflt (already holding the value). */
static int bad_value(struct cli_ctx *ctx, const char *cmd,
		     const struct cli_opt *o, const char *value,
		     const char *dflt)
{
	char name[128], msg[CORE_ERR_MSG_MAX];
	const char *p;
	size_t n = 0, k;

	opt_name(o, name, sizeof(name));
	if (!o->bad)
		return cli_usage(ctx, cmd, "%s: %s", name, dflt);
	for (p = o->bad; *p && n + 1 < sizeof(msg); p++) {
		if (p[0] == '%' && p[1] == 's') {
			k = strlen(value);
			if (k > sizeof(msg) - 1 - n)
				k = sizeof(msg) - 1 - n;
			memcpy(msg + n, value, k);
			n += k;
			p++;
		} else {
			msg[n++] = *p;
		}
	}
	msg[n] = '\0';
	return cli_usage(ctx, cmd, "%s: %s", name, msg);
}

/* Append the comma-separated items of value to s (trimmed, duplicates
 * dropped); an empty item is a bad value. */
static int store_list(struct cli_ctx *ctx, const char *cmd,
		      const struct cli_opt *o, const char *value,
		      struct cli_strv *s)
{
	const char *p = value;
	char dflt[CORE_ERR_MSG_MAX];

	for (;;) {
		size_t k = strcspn(p, ","), b = 0, e = k, i;
		char *item;

		while (b < e && isspace((unsigned char)p[b]))
			b++;
		while (e > b && isspace((unsigned char)p[e - 1]))
			e--;
		if (e == b) {
			snprintf(dflt, sizeof(dflt),
				 "'%s' has an empty item; give items "
				 "separated by commas",
				 value);
			return bad_value(ctx, cmd, o, value, dflt);
		}
		item = xmalloc(e - b + 1);
		memcpy(item, p + b, e - b);
		item[e - b] = '\0';
		for (i = 0; i < s->n; i++)
			if (strcmp(s->v[i], item) == 0)
				break;
		if (i < s->n) {
			free(item);
		} else {
			s->v = xrealloc(s->v, (s->n + 1) * sizeof(char *));
			s->v[s->n++] = item;
		}
		if (!p[k])
			break;
		p += k + 1;
	}
	return CORE_OK;
}

static int store_choice(struct cli_ctx *ctx, const char *cmd,
			const struct cli_opt *o, const char *value, void *t)
{
	const struct cli_opt_choice *c;
	char dflt[CORE_ERR_MSG_MAX];
	size_t n = 0;

	for (c = o->choices; c->name; c++) {
		if (strcmp(c->name, value) != 0)
			continue;
		if (o->flags & CLI_OPT_STORE_NAME)
			*(const char **)t = c->name;
		else
			*(int *)t = c->value;
		return CORE_OK;
	}
	n = (size_t)snprintf(dflt, sizeof(dflt), "'%s' is not one of ", value);
	for (c = o->choices; c->name && n < sizeof(dflt); c++)
		n += (size_t)snprintf(dflt + n, sizeof(dflt) - n, "%s%s",
				      c == o->choices ? ""
				      : c[1].name     ? ", "
						      : " or ",
				      c->name);
	return bad_value(ctx, cmd, o, value, dflt);
}

/* Store value (NULL for an option without one) into t by o's kind. */
static int store(struct cli_ctx *ctx, const char *cmd, const struct cli_opt *o,
		 const char *value, void *t)
{
	struct core_err e = CORE_ERR_INIT;
	char name[128], dflt[CORE_ERR_MSG_MAX];
	char *end;
	long l;
	double v;

	opt_name(o, name, sizeof(name));
	switch (o->kind) {
	case CLI_OPT_KIND_FLAG:
		*(int *)t = (int)o->ival;
		return CORE_OK;
	case CLI_OPT_KIND_STRING:
		if ((o->flags & CLI_OPT_NONEMPTY) && !*value)
			return cli_usage(ctx, cmd, "%s %s", name,
					 o->bad ? o->bad : "needs a value");
		*(const char **)t = value;
		return CORE_OK;
	case CLI_OPT_KIND_INT: {
		/* the range, held as doubles, clamped to long's */
		long lo = o->min <= (double)LONG_MIN ? LONG_MIN : (long)o->min;
		long hi = o->max >= (double)LONG_MAX ? LONG_MAX : (long)o->max;

		l = strtol(value, &end, 10);
		if (end == value || *end || l < lo || l > hi) {
			snprintf(dflt, sizeof(dflt),
				 "'%s' is not a whole number from %ld to %ld",
				 value, lo, hi);
			return bad_value(ctx, cmd, o, value, dflt);
		}
		*(long *)t = l;
		return CORE_OK;
	}
	case CLI_OPT_KIND_NUMBER:
		v = strtod(value, &end);
		if (end == value || *end || !isfinite(v) || v < o->min ||
		    v > o->max) {
			if (isinf(o->max))
				snprintf(dflt, sizeof(dflt),
					 "'%s' is not a number of %g or more",
					 value, o->min);
			else
				snprintf(dflt, sizeof(dflt),
					 "'%s' is not a number from %g to %g",
					 value, o->min, o->max);
			return bad_value(ctx, cmd, o, value, dflt);
		}
		*(double *)t = v;
		return CORE_OK;
	case CLI_OPT_KIND_DISTANCE:
	case CLI_OPT_KIND_TIME:
		if ((o->kind == CLI_OPT_KIND_DISTANCE
			 ? core_units_parse_distance(value, name, &v, &e)
			 : core_units_parse_time(value, name, &v, &e)))
			return o->bad ? bad_value(ctx, cmd, o, value, e.msg)
				      : cli_usage(ctx, cmd, "%s", e.msg);
		if (o->flags & CLI_OPT_WITH_TEXT) {
			((struct cli_quantity *)t)->value = v;
			((struct cli_quantity *)t)->text = value;
		} else {
			*(double *)t = v;
		}
		return CORE_OK;
	case CLI_OPT_KIND_UNIT:
		if (core_units_parse(value, (enum core_unit *)t, &e))
			return o->bad ? bad_value(ctx, cmd, o, value, e.msg)
				      : cli_usage(ctx, cmd, "%s", e.msg);
		return CORE_OK;
	case CLI_OPT_KIND_CHOICE:
		return store_choice(ctx, cmd, o, value, t);
	case CLI_OPT_KIND_LIST:
		return store_list(ctx, cmd, o, value, (struct cli_strv *)t);
	case CLI_OPT_KIND_CALLBACK:
		return o->cb(ctx, cmd, o, value, t);
	default:
		return cli_usage(ctx, cmd, "%s: not an option", name);
	}
}

int cli_opt_apply(struct cli_ctx *ctx, const char *cmd,
		  const struct cli_opt *opts, void *base, const char *name,
		  const char *value)
{
	struct hit exact = {NULL, NULL}, prefix = {NULL, NULL};
	int np = 0;

	find_long(opts, base, name, strlen(name), &exact, &prefix, &np);
	if (!exact.o)
		return cli_usage(ctx, cmd, "unknown option '--%s'", name);
	return store(ctx, cmd, exact.o, value, exact.base);
}

/* "3", "-3", "+3": what an optional number (CLI_OPT_OPTNUM) takes from
 * the next argument. */
static int whole_number(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* argv[*i], a long option ("--..."); *i moves past a separate value. */
static int parse_long(struct cli_ctx *ctx, const char *cmd,
		      const struct cli_opt *opts, char *base, int argc,
		      char **argv, int *i)
{
	const char *arg = argv[*i], *name = arg + 2, *eq, *value = NULL;
	struct hit exact = {NULL, NULL}, prefix = {NULL, NULL}, h;
	int np = 0;
	size_t n;

	eq = strchr(name, '=');
	n = eq ? (size_t)(eq - name) : strlen(name);
	find_long(opts, base, name, n, &exact, &prefix, &np);
	if (exact.o)
		h = exact;
	else if (np == 1)
		h = prefix;
	else
		return unknown(ctx, cmd, opts, arg);
	if (h.o->flags & (CLI_OPT_OPTNUM | CLI_OPT_OPTWORD)) {
		if (eq)
			value = eq + 1;
		else if (*i + 1 < argc && (h.o->flags & CLI_OPT_OPTNUM) &&
			 whole_number(argv[*i + 1]))
			value = argv[++*i];
		else if (*i + 1 < argc && (h.o->flags & CLI_OPT_OPTWORD) &&
			 argv[*i + 1][0] != '-')
			value = argv[++*i];
		return store(ctx, cmd, h.o, value, h.base);
	}
	if (!takes_value(h.o)) {
		if (eq)
			return exact.o
				   ? cli_usage(ctx, cmd, "--%s takes no value",
					       h.o->name)
				   : unknown(ctx, cmd, opts, arg);
		return store(ctx, cmd, h.o, NULL, h.base);
	}
	if (eq) {
		value = eq + 1;
		if (getopt_words(opts) && is_option(opts, value))
			return cli_usage(ctx, cmd,
					 "--%s needs a value (got the option "
					 "'%s')",
					 h.o->name, value);
	} else {
		if (*i + 1 >= argc)
			return cli_usage(ctx, cmd, "%s needs a value", arg);
		value = argv[++*i];
		/* "--within --category food": the next option was taken as
		 * the value; that is a missing value, not a bad one. */
		if (is_option(opts, value))
			return cli_usage(ctx, cmd,
					 "--%s needs a value (got the option "
					 "'%s')",
					 h.o->name, value);
	}
	return store(ctx, cmd, h.o, value, h.base);
}

/* argv[*i], short options ("-o FILE", "-oFILE", "-ab"); prev is what a
 * CLI_OPT_GETOPT table names for an unknown letter not last in its
 * group. */
static int parse_short(struct cli_ctx *ctx, const char *cmd,
		       const struct cli_opt *opts, char *base, int argc,
		       char **argv, int *i, const char *prev)
{
	const char *arg = argv[*i], *p;
	struct hit h;
	int rc;

	for (p = arg + 1; *p; p++) {
		if (!find_short(opts, base, *p, &h))
			return unknown(ctx, cmd, opts,
				       p[1] && getopt_words(opts) ? prev : arg);
		if (!takes_value(h.o)) {
			if ((rc = store(ctx, cmd, h.o, NULL, h.base)))
				return rc;
			continue;
		}
		if (p[1])
			return store(ctx, cmd, h.o, p + 1, h.base);
		if (*i + 1 >= argc)
			return cli_usage(ctx, cmd, "%s needs a value", arg);
		return store(ctx, cmd, h.o, argv[++*i], h.base);
	}
	return CORE_OK;
}

int cli_opt_parse(struct cli_ctx *ctx, const char *cmd,
		  const struct cli_opt *opts, void *base, int argc, char **argv,
		  int *nargs)
{
	char **args = xmalloc((size_t)(argc > 0 ? argc : 1) * sizeof(char *));
	int i, na = 0, only_args = 0, rc = CORE_OK;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (only_args || a[0] != '-' || a[1] == '\0') {
			args[na++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (a[1] == '-')
			rc = parse_long(ctx, cmd, opts, base, argc, argv, &i);
		else
			rc = parse_short(ctx, cmd, opts, base, argc, argv, &i,
					 na ? args[na - 1] : argv[i - 1]);
		if (rc)
			goto cleanup;
	}
	if (!nargs && na > 0) {
		rc = cli_usage(ctx, cmd, "unexpected argument '%s'", args[0]);
		goto cleanup;
	}
	for (i = 0; i < na; i++)
		argv[1 + i] = args[i];
	if (nargs)
		*nargs = na;
cleanup:
	free(args);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Help */

static void put_spaces(FILE *out, int n)
{
	while (n-- > 0)
		fputc(' ', out);
}

/* One option's label and help, its help starting at column col. */
static void help_option(const struct cli_opt *o, int col, FILE *out)
{
	char label[256];
	const char *p;
	int n;

	if (o->label)
		n = snprintf(label, sizeof(label), "  %s", o->label);
	else if (o->name && o->short_name)
		n = snprintf(label, sizeof(label), "  -%c, --%s%s%s",
			     o->short_name, o->name, o->argh ? " " : "",
			     o->argh ? o->argh : "");
	else if (o->name)
		n = snprintf(label, sizeof(label), "  --%s%s%s", o->name,
			     o->argh ? " " : "", o->argh ? o->argh : "");
	else
		n = snprintf(label, sizeof(label), "  -%c%s%s", o->short_name,
			     o->argh ? " " : "", o->argh ? o->argh : "");
	fputs(label, out);
	if (!o->help || !*o->help) {
		fputc('\n', out);
		return;
	}
	if (n < col) {
		put_spaces(out, col - n);
	} else if (o->flags & CLI_OPT_SAMELINE) {
		put_spaces(out, 2);
	} else if (o->flags & CLI_OPT_ONESPACE) {
		put_spaces(out, 1);
	} else {
		fputc('\n', out);
		put_spaces(out, col);
	}
	for (p = o->help; *p; p++) {
		fputc(*p, out);
		/* a new line of help is indented, unless it is empty */
		if (*p == '\n' && p[1] && p[1] != '\n')
			put_spaces(out, col);
	}
	if (p[-1] != '\n')
		fputc('\n', out);
}

void cli_opt_help(const struct cli_opt *opts, FILE *out)
{
	const struct cli_opt *o;
	int col = DEFAULT_COLUMN;

	for (o = opts; o->kind != CLI_OPT_KIND_END; o++) {
		switch (o->kind) {
		case CLI_OPT_KIND_TEXT:
			fputs(o->help, out);
			break;
		case CLI_OPT_KIND_COLUMN:
			col = (int)o->ival;
			break;
		case CLI_OPT_KIND_INCLUDE:
			if (!(o->flags & CLI_OPT_HIDDEN))
				cli_opt_help(o->group, out);
			break;
		default:
			if (!(o->flags & CLI_OPT_HIDDEN))
				help_option(o, col, out);
			break;
		}
	}
}

char *cli_opt_help_dup(const struct cli_opt *opts)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		abort();
	cli_opt_help(opts, f);
	fclose(f);
	return buf;
}
