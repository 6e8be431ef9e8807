/*
 * core_privacy.c - small-cell suppression and identifier hashing.
 * See core_privacy.h for the rules.
 */
#include "core/core_privacy.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "core/core_mem.h"

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
 * SHA-256 and HMAC: OpenSSL's libcrypto
 * ------------------------------------------------------------------ */

/* libcrypto has no reason to fail on these calls but a broken install;
 * like running out of memory, that ends the program. */
static void crypto_failed(const char *what)
{
	fprintf(stderr, "assetmap: OpenSSL's libcrypto failed to compute %s\n",
		what);
	abort();
}

void core_privacy_sha256(const void *data, size_t n, unsigned char out[32])
{
	unsigned int len = 0;

	if (EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) != 1 ||
	    len != 32)
		crypto_failed("SHA-256");
}

void core_privacy_hasher_init(struct core_privacy_hasher *h, const void *key,
			      size_t keylen)
{
	static const unsigned char none[1];
	char digest[] = "SHA256";
	OSSL_PARAM params[2];
	EVP_MAC *mac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;

	EVP_MAC_free(mac); /* the context holds its own reference */
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* A NULL key would mean "the key set before": an empty key is
	 * given as a pointer to nothing. */
	if (!ctx || EVP_MAC_init(ctx, keylen ? key : none, keylen, params) != 1)
		crypto_failed("HMAC-SHA-256");
	h->mac = ctx;
}

void core_privacy_hasher_run(struct core_privacy_hasher *h, const void *msg,
			     size_t n, unsigned char out[32])
{
	size_t len = 0;

	/* Init without a key starts again from the key's inner digest
	 * state, kept by OpenSSL: nothing is allocated per message. */
	if (EVP_MAC_init(h->mac, NULL, 0, NULL) != 1 ||
	    EVP_MAC_update(h->mac, msg, n) != 1 ||
	    EVP_MAC_final(h->mac, out, &len, 32) != 1 || len != 32)
		crypto_failed("HMAC-SHA-256");
}

void core_privacy_hasher_release(struct core_privacy_hasher *h)
{
	EVP_MAC_CTX_free(h->mac); /* its key is cleansed */
	h->mac = NULL;
}

void core_privacy_hmac(const void *key, size_t keylen, const void *msg,
		       size_t n, unsigned char out[32])
{
	struct core_privacy_hasher h;

	core_privacy_hasher_init(&h, key, keylen);
	core_privacy_hasher_run(&h, msg, n, out);
	core_privacy_hasher_release(&h);
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
 * The key file
 * ------------------------------------------------------------------ */

#define FP_LABEL "SHA-256:"
#define FP_HEX 16

static int unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 64 hex digits into key, white space around them allowed: 1, else 0. */
static int key_parse(const char *s, size_t n, unsigned char *key)
{
	size_t i = 0, k;

	while (i < n && strchr(" \t\r\n", s[i]))
		i++;
	for (k = 0; k < CORE_PRIVACY_KEY_LEN; k++, i += 2) {
		int hi = i + 1 < n ? unhex(s[i]) : -1;
		int lo = i + 1 < n ? unhex(s[i + 1]) : -1;
		if (hi < 0 || lo < 0)
			return 0;
		key[k] = (unsigned char)(hi << 4 | lo);
	}
	while (i < n && strchr(" \t\r\n", s[i]))
		i++;
	return i == n;
}

void core_privacy_key_fingerprint(const unsigned char key[CORE_PRIVACY_KEY_LEN],
				  char fp[CORE_PRIVACY_FP_SIZE])
{
	unsigned char d[32];
	char hex[65];

	core_privacy_sha256(key, CORE_PRIVACY_KEY_LEN, d);
	core_privacy_hex(d, 32, hex);
	snprintf(fp, CORE_PRIVACY_FP_SIZE, "%s%.*s", FP_LABEL, FP_HEX, hex);
}

/* Is s a fingerprint as core_privacy_key_fingerprint writes them? */
static int fp_valid(const char *s)
{
	size_t i, n = strlen(FP_LABEL);

	if (strncmp(s, FP_LABEL, n) != 0 || strlen(s) != n + FP_HEX)
		return 0;
	for (i = n; s[i]; i++)
		if (unhex(s[i]) < 0)
			return 0;
	return 1;
}

char *core_privacy_key_path(struct core_err *err)
{
	const char *env = getenv("ASSETMAP_KEY_FILE");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (env && *env)
		return xstrdup(env);
	/* The XDG rule: a relative XDG_CONFIG_HOME is ignored. */
	if (xdg && *xdg == '/')
		return xasprintf("%s/assetmap/key", xdg);
	if (home && *home)
		return xasprintf("%s/.config/assetmap/key", home);
	core_err_set(err, CORE_EIO,
		     "no place for the key that hashes identifiers: HOME is not set; set ASSETMAP_KEY_FILE to the key file's path (it is made when missing)");
	return NULL;
}

/* The directory of path and its parent, made (mode 0700) when missing. */
static void make_dirs(const char *path)
{
	char *d = xstrdup(path), *slash = strrchr(d, '/');

	if (slash && slash != d) {
		*slash = '\0';
		slash = strrchr(d, '/');
		if (slash && slash != d) {
			*slash = '\0';
			mkdir(d, 0700);
			*slash = '/';
		}
		mkdir(d, 0700);
	}
	free(d);
}

/* Make path holding key (O_EXCL, mode 0600).  CORE_OK; -1 (not an
 * error code) when the file exists already; else CORE_EIO. */
static int key_write_new(const char *path, const unsigned char *key,
			 struct core_err *err)
{
	char text[2 * CORE_PRIVACY_KEY_LEN + 2];
	int fd, e;
	size_t n;

	make_dirs(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  S_IRUSR | S_IWUSR);
	if (fd < 0 && errno == EEXIST)
		return -1;
	if (fd < 0)
		return core_err_set(err, CORE_EIO,
				    "cannot make the key file %s: %s; set ASSETMAP_KEY_FILE to a file's path where it can be made",
				    path, strerror(errno));
	core_privacy_hex(key, CORE_PRIVACY_KEY_LEN, text);
	n = strlen(text);
	text[n++] = '\n';
	/* the mode asked for, whatever the umask */
	if (fchmod(fd, S_IRUSR | S_IWUSR) != 0 ||
	    write(fd, text, n) != (ssize_t)n || fsync(fd) != 0) {
		e = errno;
		close(fd);
		unlink(path);
		memset(text, 0, sizeof(text));
		return core_err_set(err, CORE_EIO, "cannot write the key file %s: %s",
				    path, strerror(e));
	}
	memset(text, 0, sizeof(text));
	if (close(fd) != 0) {
		e = errno;
		unlink(path);
		return core_err_set(err, CORE_EIO, "cannot write the key file %s: %s",
				    path, strerror(e));
	}
	return CORE_OK;
}

/* Read the key in path: CORE_OK, CORE_ENOTFOUND, CORE_EFORMAT, CORE_EIO. */
static int key_load(const char *path, unsigned char *key, struct core_err *err)
{
	char buf[256];
	struct stat sb;
	ssize_t n;
	int fd, rc = CORE_OK;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return core_err_set(err, errno == ENOENT ? CORE_ENOTFOUND : CORE_EIO,
				    "cannot read the key file %s: %s", path,
				    strerror(errno));
	if (fstat(fd, &sb) != 0) {
		rc = core_err_set(err, CORE_EIO, "cannot read the key file %s: %s",
				  path, strerror(errno));
		goto cleanup;
	}
	if (!S_ISREG(sb.st_mode)) {
		rc = core_err_set(err, CORE_EFORMAT,
				  "the key file %s is not a regular file", path);
		goto cleanup;
	}
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		rc = core_err_set(err, CORE_EFORMAT,
				  "the key file %s can be read or changed by others (mode %03o); make it private with 'chmod 600 %s'",
				  path, (unsigned)(sb.st_mode & 0777), path);
		goto cleanup;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < 0) {
		rc = core_err_set(err, CORE_EIO, "cannot read the key file %s: %s",
				  path, strerror(errno));
		goto cleanup;
	}
	if (!key_parse(buf, (size_t)n, key))
		rc = core_err_set(err, CORE_EFORMAT,
				  "the key file %s is not an assetmap key (64 hex digits); it may have been damaged",
				  path);
cleanup:
	memset(buf, 0, sizeof(buf));
	close(fd);
	return rc;
}

int core_privacy_key_read(const char *path, int create,
			  unsigned char key[CORE_PRIVACY_KEY_LEN],
			  int *created, struct core_err *err)
{
	int rc;

	if (created)
		*created = 0;
	rc = key_load(path, key, err);
	if (rc != CORE_ENOTFOUND || !create)
		return rc;
	core_err_clear(err);
	if (RAND_priv_bytes(key, CORE_PRIVACY_KEY_LEN) != 1)
		return core_err_set(err, CORE_EIO,
				    "cannot make a random key for hashing identifiers (OpenSSL's random generator failed)");
	rc = key_write_new(path, key, err);
	if (rc == -1) /* made by another process meanwhile */
		return key_load(path, key, err);
	if (rc == CORE_OK && created)
		*created = 1;
	return rc;
}

/* The workspace's fingerprint record: NULL when there is none, else a
 * copy (caller frees); CORE_EFORMAT in *rc when it is damaged. */
static char *ws_fingerprint(struct core_ws *ws, int *rc, struct core_err *err)
{
	char *rec = core_ws_meta_get(ws, "cohort_key");

	*rc = CORE_OK;
	if (rec && !fp_valid(rec)) {
		*rc = core_err_set(err, CORE_EFORMAT,
				   "workspace %s: meta 'cohort_key' is not a key's fingerprint ('%s'); it has been damaged",
				   ws->path, rec);
		free(rec);
		return NULL;
	}
	return rec;
}

int core_privacy_ws_key(struct core_ws *ws,
			unsigned char key[CORE_PRIVACY_KEY_LEN], char **note,
			struct core_err *err)
{
	char fp[CORE_PRIVACY_FP_SIZE], fp2[CORE_PRIVACY_FP_SIZE];
	char *path = NULL, *alt = NULL, *rec;
	int rc, created = 0, first;

	if (note)
		*note = NULL;
	rec = ws_fingerprint(ws, &rc, err);
	if (rc)
		return rc;
	if (!(path = core_privacy_key_path(err))) {
		rc = CORE_EIO;
		goto cleanup;
	}
	if (!rec) {
		if ((rc = core_privacy_key_read(path, 1, key, &created, err)))
			goto cleanup;
		core_privacy_key_fingerprint(key, fp);
		if ((rc = core_ws_meta_set(ws, err, "cohort_key", fp)))
			goto cleanup;
		if (created && note)
			*note = xasprintf("made a secret key for hashing identifiers in %s (%s); keep it: re-linking these ids later needs it",
					  path, fp);
		goto cleanup;
	}
	first = key_load(path, key, err);
	if (first == CORE_OK) {
		core_privacy_key_fingerprint(key, fp);
		if (strcmp(fp, rec) == 0)
			goto cleanup;
	} else if (first != CORE_ENOTFOUND) {
		rc = first;
		goto cleanup;
	}
	/* The workspace's own key, moved out beside the user's. */
	alt = xasprintf("%s-%s", path, rec + strlen(FP_LABEL));
	rc = key_load(alt, key, err);
	if (rc == CORE_OK) {
		core_privacy_key_fingerprint(key, fp2);
		if (strcmp(fp2, rec) == 0)
			goto cleanup;
	} else if (rc != CORE_ENOTFOUND) {
		goto cleanup;
	}
	if (first == CORE_OK)
		rc = core_err_set(err, CORE_EFAIL,
				  "workspace %s: its ids were hashed with the key %s, but the key file %s holds another key (%s); re-linking needs the same key: set ASSETMAP_KEY_FILE to the file that holds %s",
				  ws->path, rec, path, fp, rec);
	else
		rc = core_err_set(err, CORE_EFAIL,
				  "workspace %s: its ids were hashed with the key %s, and there is no key file %s; re-linking needs the same key: set ASSETMAP_KEY_FILE to the file that holds %s",
				  ws->path, rec, path, rec);
cleanup:
	if (rc)
		memset(key, 0, CORE_PRIVACY_KEY_LEN);
	free(rec);
	free(path);
	free(alt);
	return rc;
}

/* ---------------------------------------------------------------------
 * Moving a stored salt out
 * ------------------------------------------------------------------ */

/* Put key in path unless it holds it already: CORE_OK (*same set when
 * it did), -1 when path holds another key, else an error. */
static int key_put(const char *path, const unsigned char *key, int *same,
		   struct core_err *err)
{
	unsigned char have[CORE_PRIVACY_KEY_LEN];
	int rc;

	*same = 0;
	rc = key_write_new(path, key, err);
	if (rc != -1)
		return rc;
	if ((rc = key_load(path, have, err)))
		return rc;
	*same = memcmp(have, key, CORE_PRIVACY_KEY_LEN) == 0;
	memset(have, 0, sizeof(have));
	return *same ? CORE_OK : -1;
}

int core_privacy_salt_move(struct core_ws *ws, char **note,
			   struct core_err *err)
{
	unsigned char salt[CORE_PRIVACY_KEY_LEN];
	char fp[CORE_PRIVACY_FP_SIZE];
	char *stored = core_ws_meta_get(ws, "cohort_salt"), *rec = NULL;
	char *path = NULL, *dest = NULL;
	int64_t secure = 0;
	int rc = CORE_OK, same = 0, i, secure_set = 0;

	*note = NULL;
	if (!stored)
		return CORE_OK;
	if (strlen(stored) != 2 * CORE_PRIVACY_KEY_LEN ||
	    !key_parse(stored, strlen(stored), salt)) {
		rc = core_err_set(err, CORE_EFORMAT,
				  "workspace %s: meta 'cohort_salt' is not %d hex digits; it has been damaged, and hashed ids can no longer be matched",
				  ws->path, 2 * CORE_PRIVACY_KEY_LEN);
		goto cleanup;
	}
	core_privacy_key_fingerprint(salt, fp);
	if ((rec = ws_fingerprint(ws, &rc, err)), rc)
		goto cleanup;
	if (rec && strcmp(rec, fp) != 0) {
		rc = core_err_set(err, CORE_EFORMAT,
				  "workspace %s holds a salt (key %s) and a fingerprint of another key (%s); it has been damaged",
				  ws->path, fp, rec);
		goto cleanup;
	}
	if (!(path = core_privacy_key_path(err))) {
		rc = CORE_EIO;
		goto cleanup;
	}
	/* The file first: a kill before the commit below leaves the salt in
	 * both places, and the next run finds the file holding it. */
	dest = xstrdup(path);
	rc = key_put(dest, salt, &same, err);
	if (rc == -1) {
		free(dest);
		dest = xasprintf("%s-%s", path, fp + strlen(FP_LABEL));
		rc = key_put(dest, salt, &same, err);
		if (rc == -1)
			rc = core_err_set(err, CORE_EFAIL,
					  "workspace %s holds its secret key; it cannot be moved out to %s, which holds another key",
					  ws->path, dest);
	}
	if (rc)
		goto cleanup;
	if ((rc = core_ws_int(ws, err, "PRAGMA secure_delete", &secure)) ||
	    (rc = core_ws_exec(ws, err, "PRAGMA secure_delete = ON")))
		goto cleanup;
	secure_set = 1;
	if ((rc = core_ws_begin(ws, err)))
		goto cleanup;
	if ((rc = core_ws_exec(ws, err,
			       "DELETE FROM meta WHERE key = 'cohort_salt'")) ||
	    (rc = core_ws_meta_set(ws, err, "cohort_key", fp)) ||
	    (rc = core_ws_commit(ws, err))) {
		core_ws_rollback(ws);
		goto cleanup;
	}
	*note = xasprintf("moved the secret key of workspace %s's hashed ids out of the workspace, to %s (%s); keep that file: re-linking these ids needs it, and the workspace alone can no longer re-link them",
			  ws->path, dest, fp);
cleanup:
	if (secure_set) {
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA secure_delete = %lld",
			 (long long)secure);
		sqlite3_exec(ws->db, sql, NULL, NULL, NULL);
	}
	for (i = 0; stored && stored[i]; i++)
		stored[i] = '\0';
	memset(salt, 0, sizeof(salt));
	free(stored);
	free(rec);
	free(path);
	free(dest);
	return rc;
}
