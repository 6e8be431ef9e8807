/*
 * core_mem.h - allocation that aborts on failure, and a growable string.
 *
 * assetmap is a tool, not a library inside someone's server: running out
 * of memory prints a message and aborts.
 */
#ifndef CORE_MEM_H
#define CORE_MEM_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* xstrdup of NULL is NULL. */
char *xstrdup_or_null(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *p (holding *cap elements of size sz) to hold at least need. */
void xgrow(void **p, size_t *cap, size_t need, size_t sz);

/*
 * struct core_buf: a NUL-terminated growable string.  Initialise with
 * CORE_BUF_INIT; core_buf_release frees the contents; core_buf_detach
 * hands the string to the caller (free with free()).
 */
struct core_buf {
	char *s;
	size_t len;
	size_t cap;
};

#define CORE_BUF_INIT                                                          \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

void core_buf_add(struct core_buf *b, const char *s, size_t n);
void core_buf_adds(struct core_buf *b, const char *s);
void core_buf_addc(struct core_buf *b, char c);
void core_buf_addf(struct core_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void core_buf_vaddf(struct core_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void core_buf_reset(struct core_buf *b);
/* Always a valid string, "" when empty. */
const char *core_buf_str(const struct core_buf *b);
char *core_buf_detach(struct core_buf *b);
void core_buf_release(struct core_buf *b);

#endif
