#include "core/core_utf8.h"

#include <string.h>

/* The length of the valid sequence at s[0..n), or 0 when it is not one
 * (then *bad is how many bytes one U+FFFD replaces: the lead byte and
 * the continuation bytes that were still valid). */
static size_t seq_len(const unsigned char *s, size_t n, size_t *bad)
{
	unsigned char b = s[0], lo = 0x80, hi = 0xBF;
	size_t need, k;

	*bad = 1;
	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF)
		need = 1;
	else if (b >= 0xE0 && b <= 0xEF) {
		need = 2;
		if (b == 0xE0)
			lo = 0xA0;
		else if (b == 0xED)
			hi = 0x9F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3;
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	for (k = 1; k <= need; k++) {
		if (k >= n || s[k] < lo || s[k] > hi) {
			*bad = k;
			return 0;
		}
		lo = 0x80;
		hi = 0xBF;
	}
	return need + 1;
}

size_t core_utf8_check(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len, bad;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (!(len = seq_len(p + i, n - i, &bad)))
			return i;
		i += len;
	}
	return n;
}

int core_utf8_valid(const char *s)
{
	size_t n;

	if (!s)
		return 1;
	n = strlen(s);
	return core_utf8_check(s, n) == n;
}

size_t core_utf8_fix(struct core_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0, len, bad, fixed = 0;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((len = seq_len(p + i, n - i, &bad))) {
			i += len;
			continue;
		}
		core_buf_add(b, s + start, i - start);
		core_buf_adds(b, "\xEF\xBF\xBD");
		fixed++;
		i += bad;
		start = i;
	}
	core_buf_add(b, s + start, n - start);
	return fixed;
}
