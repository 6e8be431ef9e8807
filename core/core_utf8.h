/*
 * core_utf8.h - UTF-8 validity: what every importer checks on the way in
 * and every writer on the way out, so that no output of the tool holds
 * bytes a JSON or CSV reader would refuse.
 *
 * Valid means well-formed UTF-8 as RFC 3629 has it: no overlong forms,
 * no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
 */
#ifndef CORE_UTF8_H
#define CORE_UTF8_H

#include <stddef.h>

#include "core/core_mem.h"

/* The offset of the first byte of s[0..n) that does not belong to a
 * valid UTF-8 sequence (a truncated sequence at the end counts), or n
 * when all of it is valid. */
size_t core_utf8_check(const char *s, size_t n);

/* 1 when the NUL-terminated s (NULL counts) is valid UTF-8. */
int core_utf8_valid(const char *s);

/*
 * Append s[0..n) to b with each invalid sequence (each byte that starts
 * none, or the bytes of a broken one up to where it breaks) replaced by
 * U+FFFD, as the WHATWG decoder does.  Returns how many were replaced.
 */
size_t core_utf8_fix(struct core_buf *b, const char *s, size_t n);

#endif
