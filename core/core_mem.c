#include "core/core_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die_oom(size_t n)
{
	fprintf(stderr, "assetmap: out of memory (asked for %zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_oom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		die_oom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die_oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);

	memcpy(p, s, n);
	return p;
}

char *xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

char *xasprintf(const char *fmt, ...)
{
	struct core_buf b = CORE_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	core_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (!b.s)
		return xstrdup("");
	return core_buf_detach(&b);
}

void xgrow(void **p, size_t *cap, size_t need, size_t sz)
{
	size_t n;

	if (need <= *cap)
		return;
	n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	*p = xrealloc(*p, n * sz);
	*cap = n;
}

static void buf_reserve(struct core_buf *b, size_t extra)
{
	size_t cap = b->cap;

	xgrow((void **)&b->s, &cap, b->len + extra + 1, 1);
	b->cap = cap;
}

void core_buf_add(struct core_buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void core_buf_adds(struct core_buf *b, const char *s)
{
	core_buf_add(b, s, strlen(s));
}

void core_buf_addc(struct core_buf *b, char c)
{
	core_buf_add(b, &c, 1);
}

void core_buf_vaddf(struct core_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void core_buf_addf(struct core_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	core_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void core_buf_reset(struct core_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

const char *core_buf_str(const struct core_buf *b)
{
	return b->s ? b->s : "";
}

char *core_buf_detach(struct core_buf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void core_buf_release(struct core_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
