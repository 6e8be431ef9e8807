/*
 * core_privacy.c - small-cell suppression and identifier hashing.
 * See core_privacy.h for the rules.
 */
#include "core/core_privacy.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"

/* x86-64's SHA extensions, when the CPU has them (checked at run time). */
#if defined(__x86_64__) && defined(__GNUC__)
#define SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

/* ---------------------------------------------------------------------
 * Small cells
 * ------------------------------------------------------------------ */

int core_privacy_is_small(int64_t n)
{
	return n >= 1 && n < CORE_PRIVACY_MIN_CELL;
}

const char *core_privacy_count(int64_t n, char *buf, size_t sz)
{
	if (core_privacy_is_small(n))
		snprintf(buf, sz, "%s", CORE_PRIVACY_SMALL_TEXT);
	else
		snprintf(buf, sz, "%" PRId64, n);
	return buf;
}

const char *core_privacy_count_grouped(int64_t n, char *buf, size_t sz)
{
	char digits[24], out[32];
	size_t len, i, o = 0;
	const char *d = digits;

	if (core_privacy_is_small(n)) {
		snprintf(buf, sz, "%s", CORE_PRIVACY_SMALL_TEXT);
		return buf;
	}
	snprintf(digits, sizeof(digits), "%" PRId64, n);
	if (*d == '-')
		out[o++] = *d++;
	len = strlen(d);
	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = d[i];
	}
	out[o] = '\0';
	snprintf(buf, sz, "%s", out);
	return buf;
}

/*
 * Can a hidden small cell be pinned to one value?  k small cells (each 1
 * to 10) and m complementary ones (each at least 11) add up to s.  One
 * small cell is at most s - (k - 1) - 11m and, with no complementary
 * cell to absorb the rest, at least s - 10(k - 1).
 */
static int pinned(int64_t k, int64_t m, int64_t s)
{
	int64_t hi = s - (k - 1) - (CORE_PRIVACY_MIN_CELL * m);
	int64_t lo = 1;

	if (hi > CORE_PRIVACY_MIN_CELL - 1)
		hi = CORE_PRIVACY_MIN_CELL - 1;
	if (m == 0 && s - (CORE_PRIVACY_MIN_CELL - 1) * (k - 1) > lo)
		lo = s - (CORE_PRIVACY_MIN_CELL - 1) * (k - 1);
	return lo >= hi;
}

int core_privacy_row(const int64_t *cells, size_t n, int total_shown,
		     enum core_privacy_mark *marks)
{
	int64_t total = 0, k = 0, m = 0, s = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		total += cells[i] > 0 ? cells[i] : 0;
		marks[i] = core_privacy_is_small(cells[i]) ? CORE_PRIVACY_SMALL
							   : CORE_PRIVACY_SHOW;
		if (marks[i] == CORE_PRIVACY_SMALL) {
			k++;
			s += cells[i];
		}
	}
	/* Without a total to subtract from, "<11" gives nothing away. */
	if (!total_shown || core_privacy_is_small(total) || k == 0)
		return 0;
	while (pinned(k, m, s)) {
		size_t best = n;
		for (i = 0; i < n; i++)
			if (marks[i] == CORE_PRIVACY_SHOW && cells[i] > 0 &&
			    (best == n || cells[i] < cells[best]))
				best = i;
		if (best == n)
			return 1;
		marks[best] = CORE_PRIVACY_COMPLEMENT;
		m++;
		s += cells[best];
	}
	return 0;
}

const char *core_privacy_cell(int64_t n, enum core_privacy_mark mark,
			      int grouped, char *buf, size_t sz)
{
	if (mark == CORE_PRIVACY_COMPLEMENT) {
		snprintf(buf, sz, "%s", CORE_PRIVACY_HIDDEN_TEXT);
		return buf;
	}
	if (mark == CORE_PRIVACY_SMALL || core_privacy_is_small(n)) {
		snprintf(buf, sz, "%s", CORE_PRIVACY_SMALL_TEXT);
		return buf;
	}
	return grouped ? core_privacy_count_grouped(n, buf, sz)
		       : core_privacy_count(n, buf, sz);
}

/* ---------------------------------------------------------------------
 * SHA-256 (FIPS 180-4)
 * ------------------------------------------------------------------ */

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static const uint32_t sha_init[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_compress_c(uint32_t st[8], const unsigned char blk[64])
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)blk[4 * i] << 24 |
		       (uint32_t)blk[4 * i + 1] << 16 |
		       (uint32_t)blk[4 * i + 2] << 8 | (uint32_t)blk[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^
			      (w[i - 15] >> 3);
		uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^
			      (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = st[0], b = st[1], c = st[2], d = st[3];
	e = st[4], f = st[5], g = st[6], h = st[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) +
		     ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
		t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) +
		     ((a & b) ^ (a & c) ^ (b & c));
		h = g, g = f, f = e, e = d + t1;
		d = c, c = b, b = a, a = t1 + t2;
	}
	st[0] += a, st[1] += b, st[2] += c, st[3] += d;
	st[4] += e, st[5] += f, st[6] += g, st[7] += h;
}

#ifdef SHA_NI
/* The same with the SHA-NI instructions: four rounds per two
 * sha256rnds2, the schedule by sha256msg1/msg2 (Intel's "SHA
 * Extensions" paper).  The state is kept as ABEF and CDGH. */
__attribute__((target("sha,sse4.1,ssse3")))
static void sha_compress_ni(uint32_t st[8], const unsigned char blk[64])
{
	const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
					    0x0405060700010203ULL);
	__m128i s0, s1, t, abef, cdgh, w[4], m;
	int g;

	t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&st[0]), 0xB1);
	s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&st[4]), 0x1B);
	s0 = _mm_alignr_epi8(t, s1, 8);     /* ABEF */
	s1 = _mm_blend_epi16(s1, t, 0xF0);  /* CDGH */
	abef = s0;
	cdgh = s1;
	for (g = 0; g < 16; g++) {
		if (g < 4) {
			w[g] = _mm_shuffle_epi8(
				_mm_loadu_si128((const __m128i *)(blk + 16 * g)),
				mask);
		} else {
			m = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
			m = _mm_add_epi32(m, _mm_alignr_epi8(w[(g + 3) & 3],
							     w[(g + 2) & 3], 4));
			w[g & 3] = _mm_sha256msg2_epu32(m, w[(g + 3) & 3]);
		}
		m = _mm_add_epi32(w[g & 3],
				  _mm_loadu_si128((const __m128i *)&sha_k[4 * g]));
		s1 = _mm_sha256rnds2_epu32(s1, s0, m);
		s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(m, 0x0E));
	}
	s0 = _mm_add_epi32(s0, abef);
	s1 = _mm_add_epi32(s1, cdgh);
	t = _mm_shuffle_epi32(s0, 0x1B);    /* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xB1);   /* DCHG */
	s0 = _mm_blend_epi16(t, s1, 0xF0);  /* DCBA */
	s1 = _mm_alignr_epi8(s1, t, 8);     /* HGFE */
	_mm_storeu_si128((__m128i *)&st[0], s0);
	_mm_storeu_si128((__m128i *)&st[4], s1);
}

static int cpu_has_sha(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) ||
	    !(c & bit_SSSE3))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b >> 29) & 1;
}
#endif

/* -1: not decided yet; 0: portable C; 1: SHA-NI. */
static int sha_mode = -1;

int core_privacy_sha_accel(int allow)
{
#ifdef SHA_NI
	sha_mode = allow && cpu_has_sha();
#else
	(void)allow;
	sha_mode = 0;
#endif
	return sha_mode;
}

static void sha_compress(uint32_t st[8], const unsigned char blk[64])
{
	if (sha_mode < 0)
		core_privacy_sha_accel(1);
#ifdef SHA_NI
	if (sha_mode) {
		sha_compress_ni(st, blk);
		return;
	}
#endif
	sha_compress_c(st, blk);
}

/* Hash n more bytes into st, which has already taken `done` bytes (a
 * multiple of 64), pad, and write the digest. */
static void sha_finish(uint32_t st[8], uint64_t done, const void *data,
		       size_t n, unsigned char out[32])
{
	const unsigned char *p = data;
	unsigned char blk[128];
	uint64_t bits = (done + n) * 8;
	size_t rest, pad, i;

	while (n >= 64) {
		sha_compress(st, p);
		p += 64;
		n -= 64;
	}
	rest = n;
	memcpy(blk, p, rest);
	blk[rest] = 0x80;
	pad = rest < 56 ? 64 : 128;
	memset(blk + rest + 1, 0, pad - rest - 1);
	for (i = 0; i < 8; i++)
		blk[pad - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha_compress(st, blk);
	if (pad == 128)
		sha_compress(st, blk + 64);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(st[i] >> 24);
		out[4 * i + 1] = (unsigned char)(st[i] >> 16);
		out[4 * i + 2] = (unsigned char)(st[i] >> 8);
		out[4 * i + 3] = (unsigned char)st[i];
	}
}

void core_privacy_sha256(const void *data, size_t n, unsigned char out[32])
{
	uint32_t st[8];

	memcpy(st, sha_init, sizeof(st));
	sha_finish(st, 0, data, n, out);
}

/* ---------------------------------------------------------------------
 * HMAC (RFC 2104)
 * ------------------------------------------------------------------ */

void core_privacy_hasher_init(struct core_privacy_hasher *h, const void *key,
			      size_t keylen)
{
	unsigned char k[64], pad[64];
	size_t i;

	memset(k, 0, sizeof(k));
	if (keylen > 64)
		core_privacy_sha256(key, keylen, k);
	else if (keylen)
		memcpy(k, key, keylen);
	memcpy(h->inner, sha_init, sizeof(h->inner));
	memcpy(h->outer, sha_init, sizeof(h->outer));
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	sha_compress(h->inner, pad);
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	sha_compress(h->outer, pad);
}

void core_privacy_hasher_run(const struct core_privacy_hasher *h,
			     const void *msg, size_t n, unsigned char out[32])
{
	uint32_t st[8];
	unsigned char inner[32];

	memcpy(st, h->inner, sizeof(st));
	sha_finish(st, 64, msg, n, inner);
	memcpy(st, h->outer, sizeof(st));
	sha_finish(st, 64, inner, sizeof(inner), out);
}

void core_privacy_hmac(const void *key, size_t keylen, const void *msg,
		       size_t n, unsigned char out[32])
{
	struct core_privacy_hasher h;

	core_privacy_hasher_init(&h, key, keylen);
	core_privacy_hasher_run(&h, msg, n, out);
}

void core_privacy_hex(const unsigned char *b, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[b[i] >> 4];
		out[2 * i + 1] = hx[b[i] & 15];
	}
	out[2 * n] = '\0';
}

/* ---------------------------------------------------------------------
 * The workspace's salt
 * ------------------------------------------------------------------ */

static int unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int core_privacy_salt(struct core_ws *ws,
		      unsigned char salt[CORE_PRIVACY_SALT_LEN],
		      struct core_err *err)
{
	char hex[2 * CORE_PRIVACY_SALT_LEN + 1];
	char *stored = core_ws_meta_get(ws, "cohort_salt");
	FILE *fp = NULL;
	size_t i;
	int rc = CORE_OK;

	if (stored) {
		if (strlen(stored) != 2 * CORE_PRIVACY_SALT_LEN)
			goto damaged;
		for (i = 0; i < CORE_PRIVACY_SALT_LEN; i++) {
			int hi = unhex(stored[2 * i]), lo = unhex(stored[2 * i + 1]);
			if (hi < 0 || lo < 0)
				goto damaged;
			salt[i] = (unsigned char)(hi << 4 | lo);
		}
		goto cleanup;
	}
	fp = fopen("/dev/urandom", "rb");
	if (!fp || fread(salt, 1, CORE_PRIVACY_SALT_LEN, fp) !=
			   CORE_PRIVACY_SALT_LEN) {
		rc = core_err_set(err, CORE_EIO,
				  "cannot read /dev/urandom to make the workspace's secret salt: %s",
				  fp ? "short read" : strerror(errno));
		goto cleanup;
	}
	core_privacy_hex(salt, CORE_PRIVACY_SALT_LEN, hex);
	rc = core_ws_meta_set(ws, err, "cohort_salt", hex);
	memset(hex, 0, sizeof(hex));
	goto cleanup;
damaged:
	rc = core_err_set(err, CORE_EFORMAT,
			  "workspace %s: meta 'cohort_salt' is not %d hex digits; it has been damaged, and hashed ids can no longer be matched",
			  ws->path, 2 * CORE_PRIVACY_SALT_LEN);
cleanup:
	if (fp)
		fclose(fp);
	free(stored);
	return rc;
}
