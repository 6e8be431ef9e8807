/*
 * test_cohort.c - small-cell suppression, identifier hashing, and the
 * cohort importer.
 *
 * Privacy is tested the blunt way: a file with names, record numbers and
 * dates of birth is imported and the workspace file's bytes are searched
 * for them.  Tract assignment is checked against SpatiaLite's own
 * ST_Contains (GEOS), the hashes against Python's hmac module and the
 * published FIPS 180 / RFC 4231 vectors.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <spatialite/gaiaaux.h>

#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_ws.h"
#include "importers/imp_cohort.h"
#include "importers/imp_ogr.h"
#include "testlib.h"

#define DEMO_DIR TEST_SRCDIR "/data/demo"

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

/* Does the workspace file, or its WAL beside it, hold these bytes
 * anywhere? -1 when the file cannot be read. */
static int file_has(const char *path, const char *needle)
{
	char *wal = xasprintf("%s-wal", path);
	size_t n;
	char *s = test_slurp(path, &n);
	int r;

	if (!s) {
		free(wal);
		return -1;
	}
	r = memmem(s, n, needle, strlen(needle)) != NULL;
	free(s);
	if (!r && (s = test_slurp(wal, &n))) {
		r = memmem(s, n, needle, strlen(needle)) != NULL;
		free(s);
	}
	free(wal);
	return r;
}

static unsigned file_mode(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (unsigned)(sb.st_mode & 07777) : 0;
}

struct run {
	struct imp_cohort_opts o;
	struct imp_source src;
	struct imp_cohort_stats st;
	struct core_err err;
	int rc;
};

static void run_init(struct run *r, const char *name, const char *path)
{
	memset(r, 0, sizeof(*r));
	imp_cohort_opts_init(&r->o);
	r->o.name = name;
	r->o.path = path;
}

/* Run the import; quietly, for one that is meant to fail. */
static int run_quiet(struct core_ws *ws, struct run *r)
{
	imp_source_init(&r->src, "cohort");
	core_err_clear(&r->err);
	r->rc = imp_cohort_import(ws, &r->o, &r->src, &r->st, &r->err);
	return r->rc;
}

/* Run the import, printing its message when it fails. */
static int run_go(struct core_ws *ws, struct run *r)
{
	return test_import_said(run_quiet(ws, r), &r->err);
}

static void run_release(struct run *r)
{
	imp_source_release(&r->src);
}

/* An import that must be refused (see test_refusals): the cohort's name
 * (NULL: "x") and its options. */
struct refusal {
	struct test_refusal t;
	const char *name;
	const char *id, *keep, *counts, *geoid, *level, *lat, *lon;
	const char *zip, *centroids, *centroid_cols;
	int skip_bad;
};

static int refuse(struct core_ws *ws, const void *row, const char *path,
		  struct test_said *said)
{
	const struct refusal *f = row;
	struct run r;

	run_init(&r, f->name ? f->name : "x", path);
	r.o.id = f->id;
	r.o.keep = f->keep;
	r.o.counts = f->counts;
	r.o.geoid = f->geoid;
	r.o.level = f->level;
	r.o.lat = f->lat;
	r.o.lon = f->lon;
	r.o.zip = f->zip;
	r.o.centroids = f->centroids;
	r.o.centroid_cols = f->centroid_cols;
	r.o.skip_bad = f->skip_bad;
	test_said_take(said, run_quiet(ws, &r), &r.err, &r.src);
	run_release(&r);
	return r.rc;
}

/* Import the demo county's tracts. */
static void load_demo_tracts(struct core_ws *ws)
{
	struct imp_ogr_opts o;
	struct imp_source src;
	struct core_err err = CORE_ERR_INIT;

	imp_ogr_opts_init(&o);
	o.kind = IMP_AREAS;
	o.path = DEMO_DIR "/tracts.geojson";
	o.level = "tract";
	imp_source_init(&src, "areas");
	if (imp_ogr_import(ws, &o, &src, NULL, &err))
		test_fail(__FILE__, __LINE__, "tracts: %s", err.msg);
	imp_source_release(&src);
}

/* The HMAC the workspace gives id (hex, caller frees). */
static char *ws_hash(struct core_ws *ws, const char *id)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_privacy_hasher h;
	unsigned char key[CORE_PRIVACY_KEY_LEN], out[32];
	char hex[65];

	if (core_privacy_ws_key(ws, key, NULL, &err)) {
		test_fail(__FILE__, __LINE__, "key: %s", err.msg);
		return xstrdup("");
	}
	core_privacy_hasher_init(&h, key, sizeof(key));
	core_privacy_hasher_run(&h, id, strlen(id), out);
	core_privacy_hasher_release(&h);
	core_privacy_hex(out, 32, hex);
	return xstrdup(hex);
}

static int unhex_byte(const char *s)
{
	unsigned v = 0;

	sscanf(s, "%2x", &v);
	return (int)v;
}

/* The spatial index agrees with the table, and the triggers are there. */
static void check_index(struct core_ws *ws, const char *file, int line)
{
	int64_t trig =
	    test_q_int(ws, "SELECT count(*) FROM sqlite_master WHERE type = "
			   "'trigger' AND tbl_name = 'cohort_members'");

	test_check_rtree(ws, "cohort_members", file, line);
	if (trig != 8)
		test_fail(file, line,
			  "%lld triggers on cohort_members, expected 8",
			  (long long)trig);
	/* foreign keys are off during an import: nothing may dangle */
	if (test_q_int(ws, "SELECT count(*) FROM pragma_foreign_key_check") !=
	    0)
		test_fail(file, line, "foreign_key_check finds dangling rows");
	if (test_q_int(ws, "PRAGMA foreign_keys") != 1)
		test_fail(file, line, "foreign keys were left off");
}

#define CHECK_INDEX(ws) check_index(ws, __FILE__, __LINE__)

/* ---------------------------------------------------------------------
 * Small cells
 * ------------------------------------------------------------------ */

static void test_privacy_count(void)
{
	char b[32];

	CHECK_STR(core_privacy_count(0, b, sizeof(b)), "0");
	CHECK_STR(core_privacy_count(1, b, sizeof(b)), "<11");
	CHECK_STR(core_privacy_count(10, b, sizeof(b)), "<11");
	CHECK_STR(core_privacy_count(11, b, sizeof(b)), "11");
	CHECK_STR(core_privacy_count(4873, b, sizeof(b)), "4873");
	CHECK_STR(core_privacy_count(-3, b, sizeof(b)), "-3");
	CHECK_STR(core_privacy_count_grouped(4873, b, sizeof(b)), "4,873");
	CHECK_STR(core_privacy_count_grouped(1000000, b, sizeof(b)),
		  "1,000,000");
	CHECK_STR(core_privacy_count_grouped(999, b, sizeof(b)), "999");
	CHECK_STR(core_privacy_count_grouped(100000, b, sizeof(b)), "100,000");
	CHECK_STR(core_privacy_count_grouped(7, b, sizeof(b)), "<11");
	CHECK_STR(core_privacy_count_grouped(0, b, sizeof(b)), "0");
	CHECK_STR(core_privacy_count_grouped(-12345, b, sizeof(b)), "-12,345");
	CHECK_INT(core_privacy_is_small(0), 0);
	CHECK_INT(core_privacy_is_small(5), 1);
	CHECK_INT(core_privacy_is_small(11), 0);
	/* short buffers are cut, not overrun */
	CHECK_STR(core_privacy_count_grouped(1234567, b, 4), "1,2");
}

/* marks as a string: S shown, s small, C complement; then "|T" when the
 * total must be hidden. */
static char *row(const int64_t *cells, size_t n, int total_shown)
{
	enum core_privacy_mark m[16];
	char *s = xmalloc(n + 3);
	size_t i;
	int hide = core_privacy_row(cells, n, total_shown, m);

	for (i = 0; i < n; i++)
		s[i] = m[i] == CORE_PRIVACY_SHOW    ? 'S'
		       : m[i] == CORE_PRIVACY_SMALL ? 's'
						    : 'C';
	s[n] = '\0';
	if (hide)
		strcat(s, "|T");
	return s;
}

#define CHECK_ROW(want, shown, ...)                                            \
	do {                                                                   \
		int64_t c_[] = {__VA_ARGS__};                                  \
		char *r_ = row(c_, sizeof(c_) / sizeof(c_[0]), shown);         \
		CHECK_STR(r_, want);                                           \
		free(r_);                                                      \
	} while (0)

static void test_privacy_row(void)
{
	char b[32];

	/* nothing small: nothing hidden */
	CHECK_ROW("SSS", 1, 120, 45, 11);
	/* one small cell with the total shown: the next-smallest goes too
	 * (5 + 100 = 105 hidden; 5 could be 1..10) */
	CHECK_ROW("sCS", 1, 5, 100, 200);
	/* the same without the total: "<11" alone gives nothing away */
	CHECK_ROW("sSS", 0, 5, 100, 200);
	/* the complement is the smallest non-zero cell, not a 0 */
	CHECK_ROW("SsC", 1, 0, 5, 20);
	/* ties: the earlier cell */
	CHECK_ROW("sCS", 1, 3, 40, 40);
	/* 1 and 11 hidden, total 62: 1 + 11 = 12 and the 11 is at least
	 * 11, so the 1 would be pinned; the 50 goes too */
	CHECK_ROW("sCC", 1, 1, 11, 50);
	/* nothing left to hide: the total must go */
	CHECK_ROW("sC|T", 1, 1, 11);
	/* two small cells: 3 + 4 = 7, each 1..6: not pinned */
	CHECK_ROW("ssS", 1, 3, 4, 100);
	/* two cells of 10: 20 = 10 + 10 pins both */
	CHECK_ROW("ssC", 1, 10, 10, 100);
	/* two cells of 1: 2 = 1 + 1 pins both */
	CHECK_ROW("ssC", 1, 1, 1, 50);
	/* a small total: every non-zero cell is small already */
	CHECK_ROW("Ss", 1, 0, 7);
	/* the brief's example row: 4,861 at points and 12 at ZIPs shows both;
	 * 4,868 and 5 hides the points too */
	CHECK_ROW("SS", 1, 4861, 12);
	CHECK_ROW("Cs", 1, 4868, 5);
	/* texts */
	CHECK_STR(
	    core_privacy_cell(4868, CORE_PRIVACY_COMPLEMENT, 1, b, sizeof(b)),
	    "suppressed");
	CHECK_STR(core_privacy_cell(5, CORE_PRIVACY_SMALL, 1, b, sizeof(b)),
		  "<11");
	CHECK_STR(core_privacy_cell(4861, CORE_PRIVACY_SHOW, 1, b, sizeof(b)),
		  "4,861");
	CHECK_STR(core_privacy_cell(4861, CORE_PRIVACY_SHOW, 0, b, sizeof(b)),
		  "4861");
	/* a small count is never printed, whatever mark it is given */
	CHECK_STR(core_privacy_cell(4, CORE_PRIVACY_SHOW, 0, b, sizeof(b)),
		  "<11");
}

/* ---------------------------------------------------------------------
 * Hashing
 * ------------------------------------------------------------------ */

static void hex_of(const unsigned char *d, char *out)
{
	core_privacy_hex(d, 32, out);
}

static void sha256_vectors(void)
{
	unsigned char d[32];
	char hex[65], *a;
	size_t n;

	core_privacy_sha256("", 0, d);
	hex_of(d, hex);
	CHECK_STR(
	    hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	core_privacy_sha256("abc", 3, d);
	hex_of(d, hex);
	CHECK_STR(
	    hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	core_privacy_sha256(
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	hex_of(d, hex);
	CHECK_STR(
	    hex,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* one million 'a' (FIPS 180-2 appendix) */
	n = 1000000;
	a = xmalloc(n);
	memset(a, 'a', n);
	core_privacy_sha256(a, n, d);
	hex_of(d, hex);
	CHECK_STR(
	    hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* the padding boundaries (Python's hashlib) */
	core_privacy_sha256(a, 55, d);
	hex_of(d, hex);
	CHECK_STR(
	    hex,
	    "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	core_privacy_sha256(a, 56, d);
	hex_of(d, hex);
	CHECK_STR(
	    hex,
	    "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	core_privacy_sha256(a, 64, d);
	hex_of(d, hex);
	CHECK_STR(
	    hex,
	    "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
	free(a);
}

static void hmac_vectors(void)
{
	static const struct {
		size_t n;
		const char *want;
	} lens[] = {
	    /* key 00 01 ... 1f, message n times 'a' (Python's hmac) */
	    {0, "d38b42096d80f45f826b44a9d5607de72496a415d3f4a1a8c88e3bb9da8dc1"
		"cb"},
	    {55, "d5cc4f7313596a8544d290502640f09d005ad3ac7b06cd821d5eff03301d6"
		 "609"},
	    {56, "59892c1be1ad9fc2b7fd864c0b951cb43deab58a71d64edca83fbf7e10e12"
		 "ae1"},
	    {63, "0f7dae2c7a2f735486e4b9740884ec60c296f363c2c8b1462920444d3c518"
		 "b01"},
	    {64, "0b28b35a2636ba2e13226c4f5da305efe29561a71cf2b095c23ff285c0f99"
		 "4ca"},
	    {119, "ebfd1dfe53ef6458416b60e39a5c67a211067bf67263f478717b228fe66c"
		  "b978"},
	    {120, "341eb481d56f3e4277b53c830734badb875d7b04f6f6b001f2561b5b3770"
		  "781d"},
	    {200, "70034faebea699a3b6a78ec372b97a83906134874545455329c0dea5eccd"
		  "e6ee"},
	};
	unsigned char key[131], d[32];
	char hex[65], msg[200];
	struct core_privacy_hasher h;
	size_t i;

	/* RFC 4231 test cases 1, 2, 6 and 7 */
	memset(key, 0x0b, 20);
	core_privacy_hmac(key, 20, "Hi There", 8, d);
	hex_of(d, hex);
	CHECK_STR(
	    hex,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	core_privacy_hmac("Jefe", 4, "what do ya want for nothing?", 28, d);
	hex_of(d, hex);
	CHECK_STR(
	    hex,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(key, 0xaa, 131);
	core_privacy_hmac(
	    key, 131, "Test Using Larger Than Block-Size Key - Hash Key First",
	    54, d);
	hex_of(d, hex);
	CHECK_STR(
	    hex,
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	{
		const char *m7 =
		    "This is a test using a larger than block-size key and a "
		    "larger than block-size data. The key needs to be hashed "
		    "before being used by the HMAC algorithm.";
		core_privacy_hmac(key, 131, m7, strlen(m7), d);
		hex_of(d, hex);
		CHECK_STR(hex, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f07139"
			       "38a7f51535c3a35e2");
	}
	for (i = 0; i < 32; i++)
		key[i] = (unsigned char)i;
	memset(msg, 'a', sizeof(msg));
	core_privacy_hasher_init(&h, key, 32);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		core_privacy_hasher_run(&h, msg, lens[i].n, d);
		hex_of(d, hex);
		CHECK_STR(hex, lens[i].want);
	}
	core_privacy_hasher_run(&h, "P000001", 7, d);
	hex_of(d, hex);
	CHECK_STR(
	    hex,
	    "e3ccc1c731f195ccd97960fca272d19561d63a988a251073f307a180270386b3");
	core_privacy_hasher_release(&h);
	/* the keyed hasher agrees with OpenSSL's EVP_MAC, keys of every size
	 * around the block, messages around the padding */
	{
		static const size_t klens[] = {0, 1, 32, 63, 64, 65, 131};
		static const size_t mlens[] = {0, 1, 8, 55, 56, 64, 119, 200};
		unsigned char e[32];
		size_t a, b;

		for (i = 0; i < sizeof(key); i++)
			key[i] = (unsigned char)(i * 7 + 3);
		for (a = 0; a < sizeof(klens) / sizeof(klens[0]); a++) {
			core_privacy_hasher_init(&h, key, klens[a]);
			for (b = 0; b < sizeof(mlens) / sizeof(mlens[0]); b++) {
				core_privacy_hasher_run(&h, msg, mlens[b], d);
				core_privacy_hmac(key, klens[a], msg, mlens[b],
						  e);
				if (memcmp(d, e, 32) != 0)
					test_fail(
					    __FILE__, __LINE__,
					    "key %zu bytes, message %zu: the "
					    "hasher and EVP_MAC differ",
					    klens[a], mlens[b]);
			}
			core_privacy_hasher_release(&h);
		}
	}
}

/* SHA-256 and HMAC-SHA-256 from libcrypto, against the published
 * vectors. */
static void test_sha256(void)
{
	sha256_vectors();
	hmac_vectors();
}

/* The key file's path under the config directory. */
static const char *key_path(void)
{
	return test_path("config/assetmap/key");
}

static void write_key(const char *path, const char *text, unsigned mode)
{
	FILE *fp = fopen(path, "wb");

	if (!fp) {
		test_fail(__FILE__, __LINE__, "cannot write %s", path);
		return;
	}
	fputs(text, fp);
	fclose(fp);
	chmod(path, mode);
}

static void test_key_file(void)
{
	struct core_err err = CORE_ERR_INIT;
	unsigned char a[CORE_PRIVACY_KEY_LEN], b[CORE_PRIVACY_KEY_LEN];
	char fp[CORE_PRIVACY_FP_SIZE], *path, *s;
	const char *k = test_path("k1");
	int created = -1;

	/* where: $ASSETMAP_KEY_FILE, else $XDG_CONFIG_HOME/assetmap/key */
	path = core_privacy_key_path(&err);
	CHECK_STR(path, key_path());
	free(path);
	setenv("ASSETMAP_KEY_FILE", k, 1);
	path = core_privacy_key_path(&err);
	CHECK_STR(path, k);
	free(path);
	unsetenv("ASSETMAP_KEY_FILE");

	/* made when missing, O_EXCL, mode 0600 whatever the umask */
	umask(0);
	CHECK_INT(core_privacy_key_read(k, 0, a, &created, &err),
		  CORE_ENOTFOUND);
	CHECK_INT(core_privacy_key_read(k, 1, a, &created, &err), CORE_OK);
	umask(022);
	CHECK_INT(created, 1);
	CHECK_INT(file_mode(k), 0600);
	s = test_slurp(k, NULL);
	CHECK(s && strlen(s) == 65 && s[64] == '\n');
	free(s);
	CHECK_INT(core_privacy_key_read(k, 1, b, &created, &err), CORE_OK);
	CHECK_INT(created, 0);
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	memset(b, 0, sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	/* the fingerprint: labelled, the first 16 hex digits of its SHA-256 */
	core_privacy_key_fingerprint(a, fp);
	CHECK(strncmp(fp, "SHA-256:", 8) == 0 && strlen(fp) == 24);
	memset(a, 0, sizeof(a));
	core_privacy_key_fingerprint(a, fp);
	/* sha256 of 32 zero bytes: 66687aadf862bd77... */
	CHECK_STR(fp, "SHA-256:66687aadf862bd77");

	/* readable by others: refused, with the fix */
	chmod(k, 0644);
	CHECK_INT(core_privacy_key_read(k, 1, a, NULL, &err), CORE_EFORMAT);
	CHECK_CONTAINS(err.msg, "can be read or changed by others (mode 644)");
	CHECK_CONTAINS(err.msg, "chmod 600");
	/* not a key */
	write_key(k, "not a key\n", 0600);
	CHECK_INT(core_privacy_key_read(k, 1, a, NULL, &err), CORE_EFORMAT);
	CHECK_CONTAINS(err.msg, "is not an assetmap key (64 hex digits)");
	/* upper case and white space are fine */
	write_key(k,
		  "  "
		  "ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef012345"
		  "6789\r\n",
		  0400);
	CHECK_INT(core_privacy_key_read(k, 0, a, NULL, &err), CORE_OK);
	CHECK_INT(a[0], 0xab);
	CHECK_INT(a[31], 0x89);
}

static void test_ws_key(void)
{
	struct core_ws *ws = test_new_ws("key.db"), *ws2;
	struct core_err err = CORE_ERR_INIT;
	unsigned char a[CORE_PRIVACY_KEY_LEN], b[CORE_PRIVACY_KEY_LEN];
	char fp[CORE_PRIVACY_FP_SIZE], hex[65], *note = NULL, *before;
	const char *other = test_path("other-key");
	struct stat sb;

	unlink(key_path());
	CHECK_Q(ws, "SELECT count(*) FROM meta WHERE key LIKE 'cohort_%'", "0");
	/* the first use makes the user's key and records its fingerprint */
	CHECK_INT(core_privacy_ws_key(ws, a, &note, &err), CORE_OK);
	CHECK_CONTAINS(note, "made a secret key for hashing identifiers in");
	CHECK_CONTAINS(note, key_path());
	free(note);
	CHECK_INT(file_mode(key_path()), 0600);
	CHECK(stat(test_path("config/assetmap"), &sb) == 0 &&
	      (sb.st_mode & 0777) == 0700);
	core_privacy_key_fingerprint(a, fp);
	CHECK_Q(ws, "SELECT value FROM meta WHERE key = 'cohort_key'", fp);
	CHECK_Q(ws, "SELECT count(*) FROM meta WHERE key = 'cohort_salt'", "0");
	/* the key itself is nowhere in the workspace */
	core_privacy_hex(a, sizeof(a), hex);
	CHECK_INT(file_has(ws->path, hex), 0);
	/* again: the same key, no note */
	CHECK_INT(core_privacy_ws_key(ws, b, &note, &err), CORE_OK);
	CHECK(note == NULL);
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	/* another workspace of the same user takes the same key */
	ws2 = test_new_ws("key2.db");
	CHECK_INT(core_privacy_ws_key(ws2, b, NULL, &err), CORE_OK);
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	core_ws_close(ws2);

	/* another key: refused, saying so, the workspace unchanged */
	rename(key_path(), other);
	CHECK_INT(core_privacy_key_read(key_path(), 1, b, NULL, &err), CORE_OK);
	before = test_ws_snapshot(ws);
	CHECK_INT(core_privacy_ws_key(ws, b, NULL, &err), CORE_EFAIL);
	CHECK_CONTAINS(err.msg, "its ids were hashed with the key SHA-256:");
	CHECK_CONTAINS(err.msg, "holds another key");
	CHECK_CONTAINS(err.msg,
		       "re-linking needs the same key: set ASSETMAP_KEY_FILE");
	test_failed_unchanged(ws, before, CORE_EFAIL, CORE_EFAIL, err.msg,
			      __FILE__, __LINE__);
	/* ASSETMAP_KEY_FILE names the right one */
	setenv("ASSETMAP_KEY_FILE", other, 1);
	CHECK_INT(core_privacy_ws_key(ws, b, NULL, &err), CORE_OK);
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	/* no key file at all */
	setenv("ASSETMAP_KEY_FILE", test_path("nowhere"), 1);
	CHECK_INT(core_privacy_ws_key(ws, b, NULL, &err), CORE_EFAIL);
	CHECK_CONTAINS(err.msg, "and there is no key file");
	CHECK(access(test_path("nowhere"), F_OK) != 0);
	unsetenv("ASSETMAP_KEY_FILE");
	/* a damaged record */
	test_exec(ws, "UPDATE meta SET value = 'zz' WHERE key = 'cohort_key'");
	CHECK_INT(core_privacy_ws_key(ws, b, NULL, &err), CORE_EFORMAT);
	CHECK_CONTAINS(err.msg, "meta 'cohort_key' is not a key's fingerprint");
	core_ws_close(ws);
	unlink(key_path());
	rename(other, key_path());
}

/* A workspace of an earlier version: its salt in meta 'cohort_salt',
 * the ids hashed with it. */
static struct core_ws *old_ws(const char *name, const char *salt_hex)
{
	struct core_ws *ws = test_new_ws(name);
	char *sql =
	    xasprintf("INSERT INTO meta VALUES('cohort_salt', '%s')", salt_hex);

	test_exec(ws, sql);
	free(sql);
	return ws;
}

static void test_salt_move(void)
{
	static const char s1[] =
	    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	static const char s2[] =
	    "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e0f";
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws;
	unsigned char key[CORE_PRIVACY_KEY_LEN], want[32];
	char fp[CORE_PRIVACY_FP_SIZE], hex[65], *note = NULL, *alt, *s;
	struct run r;
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)i;
	core_privacy_key_fingerprint(key, fp);
	unlink(key_path());

	/* no key file yet: the salt becomes it */
	ws = old_ws("old1.db", s1);
	CHECK_INT(core_privacy_salt_move(ws, &note, &err), CORE_OK);
	CHECK_CONTAINS(note, "moved the secret key of workspace");
	CHECK_CONTAINS(note, key_path());
	free(note);
	s = test_slurp(key_path(), NULL);
	CHECK(s && strncmp(s, s1, 64) == 0);
	free(s);
	CHECK_INT(file_mode(key_path()), 0600);
	CHECK_Q(ws, "SELECT count(*) FROM meta WHERE key = 'cohort_salt'", "0");
	CHECK_Q(ws, "SELECT value FROM meta WHERE key = 'cohort_key'", fp);
	/* overwritten in the file, not only unlinked from the table */
	CHECK_INT(file_has(ws->path, s1), 0);
	/* nothing more to do the second time */
	CHECK_INT(core_privacy_salt_move(ws, &note, &err), CORE_OK);
	CHECK(note == NULL);
	/* the ids hash as before: HMAC under the old salt */
	load_demo_tracts(ws);
	run_init(&r, "kids", DEMO_DIR "/cohort.csv");
	r.o.id = "person_id";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_STR(r.st.key_note, "");
	run_release(&r);
	core_privacy_hmac(key, sizeof(key), "P000001", 7, want);
	core_privacy_hex(want, 32, hex);
	s = xasprintf(
	    "SELECT count(*) FROM cohort_members WHERE key_hash = '%s'", hex);
	CHECK_INT(test_q_int(ws, s), 1);
	free(s);
	core_ws_close(ws);

	/* a kill after the key file was written, before the commit: the
	 * salt is in both; the next run finishes the move */
	ws = old_ws("old1b.db", s1);
	CHECK_INT(core_privacy_salt_move(ws, &note, &err), CORE_OK);
	CHECK_CONTAINS(note, key_path());
	free(note);
	core_ws_close(ws);

	/* the key file holds another key: the salt goes beside it, and the
	 * workspace finds it there */
	ws = old_ws("old2.db", s2);
	load_demo_tracts(ws);
	run_init(&r, "kids", DEMO_DIR "/cohort.csv");
	r.o.id = "person_id";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_CONTAINS(r.st.key_note, "moved the secret key of workspace");
	run_release(&r);
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(unhex_byte(s2 + 2 * i));
	core_privacy_key_fingerprint(key, fp);
	alt = xasprintf("%s-%s", key_path(), fp + 8);
	s = test_slurp(alt, NULL);
	CHECK(s && strncmp(s, s2, 64) == 0);
	free(s);
	CHECK_INT(file_mode(alt), 0600);
	CHECK_Q(ws, "SELECT count(*) FROM meta WHERE key = 'cohort_salt'", "0");
	CHECK_Q(ws, "SELECT value FROM meta WHERE key = 'cohort_key'", fp);
	core_privacy_hmac(key, sizeof(key), "P000001", 7, want);
	core_privacy_hex(want, 32, hex);
	s = xasprintf(
	    "SELECT count(*) FROM cohort_members WHERE key_hash = '%s'", hex);
	CHECK_INT(test_q_int(ws, s), 1);
	free(s);
	CHECK_INT(file_has(ws->path, s2), 0);
	free(alt);

	/* a damaged salt is refused, never replaced */
	core_ws_close(ws);
	ws = old_ws("old3.db", "zz");
	CHECK_INT(core_privacy_salt_move(ws, &note, &err), CORE_EFORMAT);
	CHECK_CONTAINS(err.msg, "meta 'cohort_salt' is not 64 hex digits");
	CHECK_Q(ws, "SELECT value FROM meta WHERE key = 'cohort_salt'", "zz");
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Columns --keep refuses: the rules' table, by name and by value
 * ------------------------------------------------------------------ */

static void test_keep_rules(void)
{
	static const struct {
		const char *name;
		int as_year;
		enum core_privacy_ident want;
	} names[] = {
	    {"patient_name", 0, CORE_PRIVACY_IDENT_NAME},
	    {"PatientName", 0, CORE_PRIVACY_IDENT_NAME},
	    {"patientname", 0, CORE_PRIVACY_IDENT_NAME},
	    {"First Name", 0, CORE_PRIVACY_IDENT_NAME},
	    {"LNAME", 0, CORE_PRIVACY_IDENT_NAME},
	    {"surname", 0, CORE_PRIVACY_IDENT_NAME},
	    {"mrn", 0, CORE_PRIVACY_IDENT_NUMBER},
	    {"MRN", 0, CORE_PRIVACY_IDENT_NUMBER},
	    {"MRNNumber", 0, CORE_PRIVACY_IDENT_NUMBER},
	    {"medical_record_number", 0, CORE_PRIVACY_IDENT_NUMBER},
	    {"member_no", 0, CORE_PRIVACY_IDENT_NUMBER},
	    {"Account Number", 0, CORE_PRIVACY_IDENT_NUMBER},
	    {"CIN", 0, CORE_PRIVACY_IDENT_NUMBER},
	    {"subscriber", 0, CORE_PRIVACY_IDENT_NUMBER},
	    {"dob", 0, CORE_PRIVACY_IDENT_DATE},
	    {"DOB", 0, CORE_PRIVACY_IDENT_DATE},
	    {"date_of_birth", 0, CORE_PRIVACY_IDENT_DATE},
	    {"DateOfBirth", 0, CORE_PRIVACY_IDENT_DATE},
	    {"birthdate", 0, CORE_PRIVACY_IDENT_DATE},
	    {"admit_date", 0, CORE_PRIVACY_IDENT_DATE},
	    {"visit_dt", 0, CORE_PRIVACY_IDENT_DATE},
	    {"address", 0, CORE_PRIVACY_IDENT_ADDRESS},
	    {"Street Address", 0, CORE_PRIVACY_IDENT_ADDRESS},
	    {"city", 0, CORE_PRIVACY_IDENT_ADDRESS},
	    {"zip", 0, CORE_PRIVACY_IDENT_ADDRESS},
	    {"ZipCode", 0, CORE_PRIVACY_IDENT_ADDRESS},
	    {"zip5", 0, CORE_PRIVACY_IDENT_ADDRESS},
	    {"latitude", 0, CORE_PRIVACY_IDENT_ADDRESS},
	    {"phone", 0, CORE_PRIVACY_IDENT_PHONE},
	    {"phone_number", 0, CORE_PRIVACY_IDENT_PHONE},
	    {"HomePhone", 0, CORE_PRIVACY_IDENT_PHONE},
	    {"fax", 0, CORE_PRIVACY_IDENT_PHONE},
	    {"email", 0, CORE_PRIVACY_IDENT_EMAIL},
	    {"E-mail", 0, CORE_PRIVACY_IDENT_EMAIL},
	    {"email_address", 0, CORE_PRIVACY_IDENT_EMAIL},
	    {"ssn", 0, CORE_PRIVACY_IDENT_SSN},
	    {"social_security_number", 0, CORE_PRIVACY_IDENT_SSN},
	    {"person_id", 0, CORE_PRIVACY_IDENT_ID},
	    {"memberID", 0, CORE_PRIVACY_IDENT_ID},
	    {"patientid", 0, CORE_PRIVACY_IDENT_ID},
	    {"insurance_id", 0, CORE_PRIVACY_IDENT_ID},
	    /* a date kept as its year, and years */
	    {"dob", 1, CORE_PRIVACY_IDENT_NONE},
	    {"admit_date", 1, CORE_PRIVACY_IDENT_NONE},
	    {"birth_year", 0, CORE_PRIVACY_IDENT_NONE},
	    {"patient_name", 1, CORE_PRIVACY_IDENT_NAME},
	    /* allowed */
	    {"age", 0, CORE_PRIVACY_IDENT_NONE},
	    {"age_group", 0, CORE_PRIVACY_IDENT_NONE},
	    {"AgeGroup", 0, CORE_PRIVACY_IDENT_NONE},
	    {"sex", 0, CORE_PRIVACY_IDENT_NONE},
	    {"gender", 0, CORE_PRIVACY_IDENT_NONE},
	    {"zip3", 0, CORE_PRIVACY_IDENT_NONE},
	    {"ZIP3", 0, CORE_PRIVACY_IDENT_NONE},
	    {"zip_3", 0, CORE_PRIVACY_IDENT_NONE},
	    {"language", 0, CORE_PRIVACY_IDENT_NONE},
	    {"insurance", 0, CORE_PRIVACY_IDENT_NONE},
	    {"asthma", 0, CORE_PRIVACY_IDENT_NONE},
	    {"race_ethnicity", 0, CORE_PRIVACY_IDENT_NONE},
	    {"number_of_visits", 0, CORE_PRIVACY_IDENT_NONE},
	    {"covid", 0, CORE_PRIVACY_IDENT_NONE},
	    {"paid", 0, CORE_PRIVACY_IDENT_NONE},
	    {"birth_weight", 0, CORE_PRIVACY_IDENT_NONE},
	    {"travel_time", 0, CORE_PRIVACY_IDENT_NONE},
	    {"i", 0, CORE_PRIVACY_IDENT_NONE},
	    {"note", 0, CORE_PRIVACY_IDENT_NONE},
	};
	static const struct {
		const char *value;
		enum core_privacy_ident want;
	} values[] = {
	    {"2009-05-19", CORE_PRIVACY_IDENT_DATE},
	    {"2009-05-19T08:30:00Z", CORE_PRIVACY_IDENT_DATE},
	    {"5/19/2009", CORE_PRIVACY_IDENT_DATE},
	    {"05/19/09", CORE_PRIVACY_IDENT_DATE},
	    {"19.05.2009", CORE_PRIVACY_IDENT_DATE},
	    {"20090519", CORE_PRIVACY_IDENT_DATE},
	    {"May 19, 2009", CORE_PRIVACY_IDENT_DATE},
	    {"19 May 2009", CORE_PRIVACY_IDENT_DATE},
	    {"05/2009", CORE_PRIVACY_IDENT_DATE},
	    {"seen on 2020-01-02 at the clinic", CORE_PRIVACY_IDENT_DATE},
	    {"maria.garcia@example.org", CORE_PRIVACY_IDENT_EMAIL},
	    {"write to maria@example.org.", CORE_PRIVACY_IDENT_EMAIL},
	    {"(555) 010-1234", CORE_PRIVACY_IDENT_PHONE},
	    {"555-010-1234", CORE_PRIVACY_IDENT_PHONE},
	    {"555.010.1234", CORE_PRIVACY_IDENT_PHONE},
	    {"+1 555 010 1234", CORE_PRIVACY_IDENT_PHONE},
	    {"010-1234", CORE_PRIVACY_IDENT_PHONE},
	    {"call (555) 010-1234 after 5", CORE_PRIVACY_IDENT_PHONE},
	    {"123-45-6789", CORE_PRIVACY_IDENT_SSN},
	    {"123 45 6789", CORE_PRIVACY_IDENT_SSN},
	    {"MRN58321991", CORE_PRIVACY_IDENT_NUMBER},
	    {"P0000001", CORE_PRIVACY_IDENT_NUMBER},
	    {"123456789", CORE_PRIVACY_IDENT_NUMBER},
	    {"91234567A", CORE_PRIVACY_IDENT_NUMBER},
	    {"300 Mission St", CORE_PRIVACY_IDENT_ADDRESS},
	    {"1234 N. Alder Avenue Apt 5", CORE_PRIVACY_IDENT_ADDRESS},
	    {"lives at 12B Oak Lane", CORE_PRIVACY_IDENT_ADDRESS},
	    {"PO Box 123", CORE_PRIVACY_IDENT_ADDRESS},
	    {"P.O. Box 77", CORE_PRIVACY_IDENT_ADDRESS},
	    /* allowed */
	    {"", CORE_PRIVACY_IDENT_NONE},
	    {"8", CORE_PRIVACY_IDENT_NONE},
	    {"2009", CORE_PRIVACY_IDENT_NONE},
	    {"10-17", CORE_PRIVACY_IDENT_NONE},
	    {"18-64", CORE_PRIVACY_IDENT_NONE},
	    {"2010-2015", CORE_PRIVACY_IDENT_NONE},
	    {"65+", CORE_PRIVACY_IDENT_NONE},
	    {"F", CORE_PRIVACY_IDENT_NONE},
	    {"es", CORE_PRIVACY_IDENT_NONE},
	    {"959", CORE_PRIVACY_IDENT_NONE},
	    {"95993", CORE_PRIVACY_IDENT_NONE},
	    {"Medi-Cal", CORE_PRIVACY_IDENT_NONE},
	    {"Y", CORE_PRIVACY_IDENT_NONE},
	    {"J45.909", CORE_PRIVACY_IDENT_NONE},
	    {"37.093368", CORE_PRIVACY_IDENT_NONE},
	    {"-120.6078721", CORE_PRIVACY_IDENT_NONE},
	    {"0.1234567", CORE_PRIVACY_IDENT_NONE},
	    {"12.5", CORE_PRIVACY_IDENT_NONE},
	    {"1.5.3", CORE_PRIVACY_IDENT_NONE},
	    {"May", CORE_PRIVACY_IDENT_NONE},
	    {"Marcus 12, 2009", CORE_PRIVACY_IDENT_NONE},
	    {"3 visits in the last 12 months", CORE_PRIVACY_IDENT_NONE},
	    {"moderate persistent asthma", CORE_PRIVACY_IDENT_NONE},
	    {"2 inhalers", CORE_PRIVACY_IDENT_NONE},
	};
	static const struct {
		const char *value;
		int year;
	} years[] = {
	    {"2009-05-19", 2009},   {"5/19/2009", 2009},
	    {"19.05.2009", 2009},   {"20090519", 2009},
	    {"May 19, 2009", 2009}, {"2009-05-19T08:30", 2009},
	    {"05/19/09", -1},	    {"2009", -1},
	    {"soon", -1},
	};
	size_t i;
	int y;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		enum core_privacy_ident got =
		    core_privacy_ident_name(names[i].name, names[i].as_year);
		if (got != names[i].want)
			test_fail(__FILE__, __LINE__,
				  "name '%s'%s: %s, expected %s", names[i].name,
				  names[i].as_year ? ":year" : "",
				  core_privacy_ident_what(got),
				  core_privacy_ident_what(names[i].want));
	}
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		enum core_privacy_ident got = core_privacy_ident_value(
		    values[i].value, strlen(values[i].value));
		if (got != values[i].want)
			test_fail(__FILE__, __LINE__,
				  "value '%s': %s, expected %s",
				  values[i].value, core_privacy_ident_what(got),
				  core_privacy_ident_what(values[i].want));
	}
	for (i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
		y = -1;
		if (!core_privacy_date_year(years[i].value,
					    strlen(years[i].value), &y))
			y = -1;
		CHECK_INT(y, years[i].year);
	}
}

/* import cohort --keep: identifiers refused by name and by value, with
 * the reason; a date kept as its year only. */
static void test_keep_refused(void)
{
	struct core_ws *ws = test_new_ws("keep.db");
	const char *csv = test_write(
	    "phi.csv",
	    "person_id,mrn,patient_name,dob,lat,lon,age_group,sex,zip3,"
	    "language,insurance,note\n"
	    "P1,MRN58321991,Maria "
	    "Garcia,2009-05-19,37.10,-120.50,5-9,F,959,es,Medi-Cal,ok\n"
	    "P2,MRN58321992,Jose "
	    "Lopez,2015-10-17,37.11,-120.51,0-4,M,959,en,Medi-Cal,call (555) "
	    "010-1234\n");
	const struct refusal refused[] = {
	    {{csv, NULL, NULL, CORE_EUSAGE,
	      .has = {"--keep: column 'patient_name' is named like a person's "
		      "name; direct identifiers (HIPAA Safe Harbor) are never "
		      "kept beside a person"}},
	     .name = "kids",
	     .keep = "patient_name"},
	    {{csv, NULL, NULL, CORE_EUSAGE,
	      .has = {"--keep: column 'mrn' is named like a record, member or "
		      "account number"}},
	     .name = "kids",
	     .keep = "mrn"},
	    {{csv, NULL, NULL, CORE_EUSAGE,
	      .has = {"--keep: column 'dob' is named like a date other than "
		      "the year; direct identifiers (HIPAA Safe Harbor) are "
		      "never kept beside a person; keep only its year with "
		      "--keep dob:year"}},
	     .name = "kids",
	     .keep = "dob"},
	    {{csv, NULL, NULL, CORE_EUSAGE,
	      .has = {"--keep: column 'person_id' is named like an "
		      "identifier"}},
	     .name = "kids",
	     .keep = "language,person_id"},
	    {{csv, NULL, NULL, CORE_EUSAGE,
	      .has = {"--keep: column 'note' holds a phone or fax number at "
		      "line 3 (the value is not shown)"}},
	     .name = "kids",
	     .keep = "note"},
	    /* the id column, even without --id */
	    {{csv, NULL, NULL, CORE_EUSAGE,
	      .has = {"'mrn' is the --id column"}},
	     .name = "kids",
	     .id = "mrn",
	     .keep = "mrn"},
	};
	struct run r;
	char *attrs;

	TEST_REFUSALS(ws, refused, refuse);

	run_init(&r, "kids", csv);
	r.o.id = "person_id";
	r.o.keep = "dob:year,age_group,sex,zip3,language,insurance";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_CONTAINS(r.src.options,
		       "--keep dob:year,age_group,sex,zip3,language,insurance");
	run_release(&r);
	attrs = test_q_text(ws, "SELECT group_concat(attrs, ' ') FROM (SELECT "
				"attrs FROM cohort_members ORDER BY attrs)");
	CHECK_STR(
	    attrs,
	    "{\"dob_year\":2009,\"age_group\":\"5-9\",\"sex\":\"F\",\"zip3\":"
	    "959,\"language\":\"es\",\"insurance\":\"Medi-Cal\"} "
	    "{\"dob_year\":2015,\"age_group\":\"0-4\",\"sex\":\"M\",\"zip3\":"
	    "959,\"language\":\"en\",\"insurance\":\"Medi-Cal\"}");
	free(attrs);
	CHECK_INT(file_has(ws->path, "2009-05-19"), 0);
	CHECK_INT(file_has(ws->path, "05-19"), 0);
	CHECK_INT(file_has(ws->path, "Garcia"), 0);
	CHECK_INT(file_has(ws->path, "MRN5832"), 0);
	CHECK_INT(file_has(ws->path, "010-1234"), 0);
	/* COL:year of a value that is not a date: the row is rejected,
	 * the value not quoted */
	TEST_REFUSAL(ws, refuse,
		     (struct refusal){
			 {"phi2.csv",
			  "lat,lon,dob\n37.1,-120.5,2009-05-19\n37.1,-120.5,"
			  "soon\n",
			  NULL, CORE_EFORMAT,
			  .has = {"line 3, field dob: is not a date with a "
				  "4-digit year (the value is not shown)"}},
			 .name = "kids2",
			 .keep = "dob:year"});
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * The demo cohort
 * ------------------------------------------------------------------ */

static void test_demo_cohort(void)
{
	struct core_ws *ws = test_new_ws("demo.db");
	struct run r;
	char *h, *sql;

	load_demo_tracts(ws);
	chmod(ws->path, 0644);
	run_init(&r, "asthma-kids", DEMO_DIR "/cohort.csv");
	r.o.id = "person_id";
	r.o.keep = "age,language";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_read, 5000);
	CHECK_INT(r.src.rows_accepted, 5000);
	CHECK_INT(r.st.people, 5000);
	CHECK_INT(r.st.at_point, 5000);
	CHECK_INT(r.st.at_zip, 0);
	CHECK_INT(r.st.have_tracts, 1);
	CHECK_INT(r.st.in_tract, 5000);
	CHECK_STR(r.src.options,
		  "--lon lon --lat lat --id person_id --keep age,language");
	run_release(&r);

	CHECK_Q(ws,
		"SELECT name || '|' || kind || '|' || coalesce(level, '-') "
		"FROM cohorts",
		"asthma-kids|points|-");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM cohort_members"), 5000);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM cohort_members WHERE "
				 "precision = 'point'"),
		  5000);
	CHECK_INT(test_q_int(ws, "SELECT count(DISTINCT key_hash) FROM "
				 "cohort_members WHERE length(key_hash) = 64"),
		  5000);
	CHECK_INT(
	    test_q_int(
		ws,
		"SELECT count(*) FROM cohort_members WHERE json_valid(attrs)"),
	    5000);
	CHECK_Q(ws,
		"SELECT kind || '|' || rows_read || '|' || rows_accepted FROM "
		"sources WHERE kind = 'cohort'",
		"cohort|5000|5000");
	{
		char *md5 = test_md5_file(DEMO_DIR "/cohort.csv");
		CHECK_Q(ws,
			"SELECT checksum FROM sources WHERE kind = 'cohort'",
			md5);
		/* the file's name and path are not stored: the cohort's label
		 */
		CHECK_Q(
		    ws,
		    "SELECT name || '|' || path || '|' || encoding FROM "
		    "sources WHERE kind = 'cohort'",
		    "cohort 'asthma-kids' (patient records, not shown)|cohort "
		    "'asthma-kids' (patient records, not shown)|utf-8");
		CHECK_INT(file_has(ws->path, "cohort.csv"), 0);
		CHECK_INT(file_has(ws->path, DEMO_DIR "/cohort"), 0);
		free(md5);
	}
	/* P000001,-120.560879,37.113287,8,es: found by its hash */
	h = ws_hash(ws, "P000001");
	sql = xasprintf("SELECT printf('%%.6f %%.6f', X(geom), Y(geom)) || '|' "
			"|| attrs FROM cohort_members WHERE key_hash = '%s'",
			h);
	CHECK_Q(ws, sql,
		"-120.560879 37.113287|{\"age\":8,\"language\":\"es\"}");
	free(sql);
	free(h);
	/* every tract assignment agrees with GEOS (ST_Contains); the demo
	 * says every point is inside the county */
	CHECK_INT(
	    test_q_int(
		ws, "SELECT count(*) FROM cohort_members m WHERE m.area_geoid ="
		    " (SELECT a.geoid FROM areas a WHERE a.level = 'tract' AND "
		    "ST_Contains(a.geom, m.geom)"
		    "  AND a.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE "
		    "f_table_name = 'areas' AND search_frame = m.geom))"),
	    5000);
	/* nothing of person_id is in the workspace in clear */
	CHECK_INT(file_has(ws->path, "P000001"), 0);
	CHECK_INT(file_has(ws->path, "P004999"), 0);
	CHECK_INT(file_has(ws->path, "person_id"),
		  1); /* the column's name, in sources.options */
	/* private */
	CHECK_INT(file_mode(ws->path), 0600);
	CHECK_INDEX(ws);
	/* stored in spatial order, not the file's: the first member is not
	 * P000001 (which is line 2) */
	h = ws_hash(ws, "P000001");
	sql = xasprintf(
	    "SELECT key_hash <> '%s' FROM cohort_members ORDER BY id LIMIT 1",
	    h);
	CHECK_Q(ws, sql, "1");
	free(sql);
	free(h);
	/* the spatial index finds what a full scan finds */
	CHECK_INT(
	    test_q_int(
		ws, "SELECT count(*) FROM cohort_members WHERE ROWID IN "
		    "(SELECT ROWID FROM SpatialIndex"
		    " WHERE f_table_name = 'cohort_members' AND search_frame = "
		    "BuildMbr(-120.6, 37.0, -120.5, 37.1, 4326))"
		    " AND X(geom) BETWEEN -120.6 AND -120.5 AND Y(geom) "
		    "BETWEEN 37.0 AND 37.1"),
	    test_q_int(
		ws, "SELECT count(*) FROM cohort_members WHERE X(geom) BETWEEN "
		    "-120.6 AND -120.5 AND Y(geom) BETWEEN 37.0 AND 37.1"));
	CHECK(test_q_int(
		  ws,
		  "SELECT count(*) FROM cohort_members WHERE X(geom) BETWEEN "
		  "-120.6 AND -120.5 AND Y(geom) BETWEEN 37.0 AND 37.1") > 100);

	/* again from the same file: replaced, same hashes (same salt) */
	run_init(&r, "asthma-kids", DEMO_DIR "/cohort.csv");
	r.o.id = "person_id";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.replaced, 1);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM cohort_members"), 5000);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM cohorts"), 1);
	CHECK_INT(test_q_int(
		      ws, "SELECT count(*) FROM sources WHERE kind = 'cohort'"),
		  1);
	CHECK_INT(
	    test_q_int(
		ws, "SELECT count(*) FROM cohort_members WHERE attrs IS NULL"),
	    5000);
	h = ws_hash(ws, "P000001");
	sql = xasprintf(
	    "SELECT count(*) FROM cohort_members WHERE key_hash = '%s'", h);
	CHECK_INT(test_q_int(ws, sql), 1);
	free(sql);
	free(h);
	CHECK_INDEX(ws);
	core_ws_close(ws);
}

/* Coordinates read back are strtod's, bit for bit, however they are
 * written (the importer has a fast path for plain decimals). */
static void coord_text(char *b, size_t n, int form, double v)
{
	switch (form) {
	case 0:
		snprintf(b, n, "%.6f", v);
		break;
	case 1:
		snprintf(b, n, "%.1f", v);
		break;
	case 2:
		snprintf(b, n, "%.15f", v);
		break;
	case 3:
		snprintf(b, n, "%.17g", v);
		break;
	case 4:
		snprintf(b, n, "%.3e", v);
		break;
	case 5:
		snprintf(b, n, "%+.4f", v);
		break;
	case 6:
		snprintf(b, n, "%.0f", v);
		break;
	default:
		snprintf(b, n, "%.18f", v);
		break;
	}
}

static void test_coordinates_exact(void)
{
	struct core_ws *ws = test_new_ws("exact.db");
	struct core_buf csv = CORE_BUF_INIT;
	char lon[64], lat[64], *sql;
	unsigned long long seed = 42;
	double want_x[800], want_y[800];
	struct run r;
	int i, bad = 0;

	core_buf_adds(&csv, "i,lon,lat\n");
	for (i = 0; i < 800; i++) {
		double x, y;
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		x = -180 + (double)(seed >> 11) / 9007199254740992.0 * 360;
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		y = -89 + (double)(seed >> 11) / 9007199254740992.0 * 178;
		coord_text(lon, sizeof(lon), i % 8, x);
		coord_text(lat, sizeof(lat), (i / 8) % 8, y);
		want_x[i] = strtod(lon, NULL);
		want_y[i] = strtod(lat, NULL);
		if (want_x[i] == 0 && want_y[i] == 0)
			want_y[i] = 1, snprintf(lat, sizeof(lat), "1");
		core_buf_addf(&csv, "%d,%s,%s\n", i, lon, lat);
	}
	run_init(&r, "exact", test_write("exact.csv", core_buf_str(&csv)));
	r.o.keep = "i";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);
	for (i = 0; i < 800; i++) {
		sqlite3_stmt *st;
		sql = xasprintf("SELECT X(geom), Y(geom) FROM cohort_members "
				"WHERE json_extract(attrs, '$.i') = %d",
				i);
		if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) ==
			SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW) {
			if (sqlite3_column_double(st, 0) != want_x[i] ||
			    sqlite3_column_double(st, 1) != want_y[i])
				bad++;
		} else {
			bad++;
		}
		sqlite3_finalize(st);
		free(sql);
	}
	CHECK_INT(bad, 0);
	core_buf_release(&csv);
	core_ws_close(ws);
}

static void test_no_tracts(void)
{
	struct core_ws *ws = test_new_ws("notracts.db");
	const char *p = test_write(
	    "two.csv", "latitude;longitude\n37.1;-120.5\n37.2;-120.6\n");
	struct run r;

	run_init(&r, "two", p);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.have_tracts, 0);
	CHECK_STR(r.src.options, "--lon longitude --lat latitude");
	run_release(&r);
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT count(*) FROM cohort_members WHERE area_geoid "
		       "IS NULL AND key_hash IS NULL AND attrs IS NULL"),
	    2);
	CHECK_Q(ws,
		"SELECT group_concat(AsText(geom), ' ') FROM (SELECT geom FROM "
		"cohort_members ORDER BY Y(geom))",
		"POINT(-120.5 37.1) POINT(-120.6 37.2)");
	CHECK_INDEX(ws);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Protected columns never reach the workspace
 * ------------------------------------------------------------------ */

static const char phi_csv[] =
    "NAME,MRN,DOB,lat,lon,language,note\n"
    "Zyxwvu Quellmark,MRN99887766,1987-03-14,37.1133,-120.5609,es,\"said "
    "\"\"hi\"\", then left\"\n"
    "Ottoline Brackwater,MRN55443322,1990-11-02,37.2,-120.6,en,\"two\nlines\"\n"
    "Primrose Ashgrove,MRN11223344,2001-07-30,37.15,-120.55,vi,\n";

static void test_phi_never_stored(void)
{
	struct core_ws *ws = test_new_ws("phi.db");
	const char *p = test_write("patients.csv", phi_csv);
	const char *bad = test_write(
	    "patients_bad.csv",
	    "NAME,MRN,DOB,lat,lon,language\n"
	    "Zyxwvu Quellmark,MRN99887766,1987-03-14,37.1133,-120.5609,es\n"
	    "Ottoline Brackwater,MRN55443322,1990-11-02,91.25,-120.6,en\n"
	    "Primrose Ashgrove,MRN99887766,2001-07-30,37.15,-120.55,vi\n");
	static const char *const secrets[] = {
	    "Zyxwvu",	  "Quellmark",	"Ottoline",   "Brackwater",
	    "Ashgrove",	  "99887766",	"55443322",   "11223344",
	    "1987-03-14", "1990-11-02", "2001-07-30", NULL};
	static const char *const shown[] = {
	    "patients_bad.csv line 3, field lat: '91.25' is out of range; "
	    "latitude must be between -90 and 90",
	    "patients_bad.csv line 4, field MRN: is the same id as line 2 (the "
	    "id is not shown); each person must appear once",
	};
	const char *const *s;
	struct run r;

	load_demo_tracts(ws);
	run_init(&r, "phi", p);
	r.o.id = "MRN";
	r.o.keep = "language,note";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM cohort_members"), 3);
	CHECK_Q(
	    ws,
	    "SELECT attrs FROM cohort_members WHERE json_extract(attrs, "
	    "'$.language') = 'es'",
	    "{\"language\":\"es\",\"note\":\"said \\\"hi\\\", then left\"}");
	CHECK_Q(ws,
		"SELECT attrs FROM cohort_members WHERE json_extract(attrs, "
		"'$.language') = 'en'",
		"{\"language\":\"en\",\"note\":\"two\\nlines\"}");
	CHECK_Q(ws,
		"SELECT attrs FROM cohort_members WHERE json_extract(attrs, "
		"'$.language') = 'vi'",
		"{\"language\":\"vi\",\"note\":null}");
	for (s = secrets; *s; s++)
		if (file_has(ws->path, *s) != 0)
			test_fail(__FILE__, __LINE__,
				  "the workspace holds '%s'", *s);

	/* with --skip-bad the rejects are stored, and still hold nothing
	 * protected: the bad latitude is quoted, the repeated MRN is not */
	run_init(&r, "phi-bad", bad);
	r.o.id = "MRN";
	r.o.skip_bad = 1;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_rejected, 2);
	CHECK_SHOWN(&r.src, shown);
	run_release(&r);
	CHECK_Q(ws,
		"SELECT group_concat(line || ':' || field || ':' || "
		"coalesce(value, '-'), ' ') FROM source_rejects",
		"3:lat:91.25 4:MRN:-");
	/* again: the old rejects go with the old import */
	run_init(&r, "phi-bad", bad);
	r.o.id = "MRN";
	r.o.skip_bad = 1;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM source_rejects"), 2);
	CHECK_INDEX(ws);
	for (s = secrets; *s; s++)
		if (file_has(ws->path, *s) != 0)
			test_fail(__FILE__, __LINE__,
				  "the workspace holds '%s'", *s);
	/* and a --keep column may not be the id */
	TEST_REFUSAL(
	    ws, refuse,
	    (struct refusal){{p, NULL, NULL, CORE_EUSAGE,
			      .has = {"--keep: 'mrn' is the --id column; "
				      "identifiers are hashed, never kept in "
				      "clear"}},
			     .name = "phi2",
			     .id = "MRN",
			     .keep = "language,mrn"});
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * ZIP centroids
 * ------------------------------------------------------------------ */

static void test_zip_fixture(void)
{
	struct core_ws *ws = test_new_ws("zip.db");
	/* a Census gazetteer's shape: tab-separated, GEOID/INTPTLAT/INTPTLONG
	 */
	const char *cent =
	    test_write("gaz.txt", "GEOID\tALAND\tINTPTLAT\tINTPTLONG\n"
				  "95990\t1000\t37.100000\t-120.500000\n"
				  "95991\t1000\t37.200000\t-120.700000\n"
				  "02134\t1000\t42.355\t-71.131\n");
	const char *p = test_write("byzip.csv", "id,zip,lat,lon\n"
						"a,95990,,\n"
						"b,95991-1234,,\n"
						"c,95990,37.15,-120.55\n"
						"d,2134,,\n");
	const char *unknown = test_write("unknownzip.csv", "id,zip,lat,lon\n"
							   "a,95990,,\n"
							   "b,95999,,\n"
							   "c,9599,,\n"
							   "d,,,\n"
							   "e,95990,37.1,\n");
	struct run r;

	load_demo_tracts(ws);
	run_init(&r, "byzip", p);
	r.o.centroids = cent;
	r.o.id = "id";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.people, 4);
	CHECK_INT(r.st.at_zip, 3);
	CHECK_INT(r.st.at_point, 1);
	{
		char *want = xasprintf(
		    "--lon lon --lat lat --zip zip --centroids %s --id id",
		    cent);
		CHECK_STR(r.src.options, want);
		free(want);
	}
	run_release(&r);
	CHECK_Q(ws,
		"SELECT group_concat(precision || ':' || coalesce(area_geoid, "
		"'-') || ':' || AsText(geom), ' ')"
		" FROM (SELECT * FROM cohort_members ORDER BY precision, "
		"area_geoid)",
		"point:06999003801:POINT(-120.55 37.15) "
		"zip:02134:POINT(-71.131 42.355) zip:95990:POINT(-120.5 37.1) "
		"zip:95991:POINT(-120.7 37.2)");
	CHECK_Q(ws,
		"SELECT geoid FROM areas WHERE level = 'tract' AND "
		"ST_Contains(geom, MakePoint(-120.55, 37.15, 4326))",
		"06999003801");

	{
		const char *badgaz = test_write(
		    "badgaz.csv",
		    "zip,lat,lon\n95990,37.1,-120.5\n95991,north,-120.7\n");
		const struct refusal bad[] = {
		    {{unknown, NULL, NULL, CORE_EFORMAT,
		      .msg = "unknownzip.csv: 4 rows rejected (the first at "
			     "line 3), nothing was imported; fix them, or give "
			     "--skip-bad to import the 1 good row"},
		     .name = "unknown",
		     .centroids = cent,
		     .zip = "zip"},
		    {{unknown, NULL, NULL, CORE_EFORMAT,
		      .shown = {"unknownzip.csv line 3, field zip: '95999' is "
				"not in the centroid file gaz.txt; give a "
				"centroid file that covers it, or the "
				"person's coordinates",
				"unknownzip.csv line 4, field zip: '9599' is "
				"not in the centroid file gaz.txt; give a "
				"centroid file that covers it, or the "
				"person's coordinates",
				"unknownzip.csv line 5, field zip: has no "
				"value, and neither have the coordinates; "
				"every person needs a location",
				"unknownzip.csv line 6, field lon: has no "
				"value; every person needs a longitude "
				"(decimal degrees, e.g. -120.5609), or both "
				"coordinates empty to be placed by ZIP"},
		      .nshown = 4},
		     .name = "unknown",
		     .centroids = cent},
		    /* --zip without --centroids; centroid columns named */
		    {{p, NULL, NULL, CORE_EUSAGE,
		      .has = {"--zip needs --centroids FILE"}},
		     .name = "z",
		     .zip = "zip"},
		    {{p, NULL, NULL, CORE_EUSAGE,
		      .has = {"--centroid-columns: 'GEOID,INTPTLAT' is not "
			      "three column names"}},
		     .name = "z",
		     .centroids = cent,
		     .centroid_cols = "GEOID,INTPTLAT"},
		    {{p, NULL, NULL, CORE_EFORMAT,
		      .msg = "--centroids gaz.txt: no column 'LON' (given "
			     "with --centroid-columns); the columns are: "
			     "GEOID, ALAND, INTPTLAT, INTPTLONG"},
		     .name = "z",
		     .centroids = cent,
		     .centroid_cols = "GEOID,INTPTLAT,LON"},
		    {{p, NULL, NULL, CORE_EFORMAT,
		      .msg = "--centroids badgaz.csv line 3, field lat: "
			     "'north' is not a latitude in decimal degrees "
			     "between -90 and 90"},
		     .name = "z",
		     .centroids = badgaz},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}
	core_ws_close(ws);
}

static void test_zip_shared(void)
{
	const char *d = test_need_shared_data();
	struct core_ws *ws;
	char *cent;
	const char *p;
	struct run r;

	if (!d)
		return;
	cent =
	    xasprintf("%s/zip-geocode-ca/ca_zip_centroids_zipcodes_npm.csv", d);
	p = test_write("sfzip.csv", "member,Zip Code,Latitude,Longitude,age\n"
				    "M1,94103,,,7\n"
				    "M2,94110,,,12\n"
				    "M3,94103,37.7793,-122.4193,3\n"
				    "M4,90001,,,15\n");
	ws = test_new_ws("sfzip.db");
	run_init(&r, "sf", p);
	r.o.centroids = cent;
	r.o.id = "member";
	r.o.keep = "age";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.at_zip, 3);
	CHECK_INT(r.st.at_point, 1);
	run_release(&r);
	/* 94103,37.7725,-122.4147 and 94110,37.7509,-122.4153 and
	 * 90001,33.9731,-118.2479 in the file */
	CHECK_Q(ws,
		"SELECT group_concat(area_geoid || ' ' || AsText(geom) || ' ' "
		"|| attrs, '; ') FROM"
		" (SELECT * FROM cohort_members WHERE precision = 'zip' ORDER "
		"BY area_geoid)",
		"90001 POINT(-118.2479 33.9731) {\"age\":15}; 94103 "
		"POINT(-122.4147 37.7725) {\"age\":7};"
		" 94110 POINT(-122.4153 37.7509) {\"age\":12}");
	CHECK_Q(ws,
		"SELECT AsText(geom) || ' ' || precision FROM cohort_members "
		"WHERE precision = 'point'",
		"POINT(-122.4193 37.7793) point");
	CHECK_INT(file_has(ws->path, "M1"), 0);
	CHECK_INDEX(ws);
	core_ws_close(ws);
	free(cent);
}

/* ---------------------------------------------------------------------
 * Counts per area
 * ------------------------------------------------------------------ */

static void test_counts(void)
{
	struct core_ws *ws = test_new_ws("counts.db");
	const char *tracts =
	    test_write("tractcounts.csv", "GEOID,patients,note\n"
					  "06075010100,12,x\n"
					  "06075010200,0,y\n"
					  "6075010300,5,z\n");
	const char *zips = test_write(
	    "zipcounts.csv", "zip,visits\n94103,20\n94110-1234,3\n2134,4.0\n");
	const char *county =
	    test_write("countycounts.csv", "fips,n\n06075,40\n06081,2\n");
	struct run r;

	run_init(&r, "tract-counts", tracts);
	r.o.counts = "patients";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.counts, 1);
	CHECK_INT(r.st.people, 17);
	CHECK_INT(r.st.areas, 3);
	CHECK_STR(r.st.level, "tract");
	CHECK_STR(r.src.options, "--counts patients --geoid GEOID");
	run_release(&r);
	CHECK_Q(ws,
		"SELECT kind || '|' || level FROM cohorts WHERE name = "
		"'tract-counts'",
		"counts|tract");
	CHECK_Q(ws,
		"SELECT group_concat(geoid || '=' || count, ' ') FROM (SELECT "
		"* FROM cohort_counts ORDER BY geoid)",
		"06075010100=12 06075010200=0 06075010300=5");

	run_init(&r, "zip-counts", zips);
	r.o.counts = "visits";
	r.o.zip = "zip";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_STR(r.st.level, "zcta");
	CHECK_INT(r.st.people, 27);
	run_release(&r);
	CHECK_Q(ws,
		"SELECT group_concat(geoid || '=' || count, ' ') FROM (SELECT "
		"k.* FROM cohort_counts k JOIN cohorts c ON c.id = k.cohort_id"
		" WHERE c.name = 'zip-counts' ORDER BY geoid)",
		"02134=4 94103=20 94110=3");

	/* 5 digits: county or ZCTA? */
	TEST_REFUSAL(ws, refuse,
		     (struct refusal){
			 {county, NULL, NULL, CORE_EUSAGE,
			  .msg = "countycounts.csv line 2, field fips: '06075' "
				 "is 5 digits, a county or a ZCTA; say which "
				 "with --level county or --level zcta"},
			 .name = "county-counts",
			 .counts = "n"});
	run_init(&r, "county-counts", county);
	r.o.counts = "n";
	r.o.level = "county";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);
	CHECK_Q(ws, "SELECT level FROM cohorts WHERE name = 'county-counts'",
		"county");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM cohort_members"), 0);
	core_ws_close(ws);
}

static void test_counts_bad(void)
{
	struct core_ws *ws = test_new_ws("countsbad.db");
	const char *p = test_write("badcounts.csv", "GEOID,patients\n"
						    "06075010100,12\n"
						    "06075010200,many\n"
						    "06075010300,-3\n"
						    "06075010400,2.5\n"
						    "06075010100,7\n"
						    "0607501050A,1\n"
						    "060750105,1\n"
						    "06075010600,\n"
						    "06075010700,<11\n");
	const char *weird =
	    test_write("weirdgeoid.csv", "GEOID,n\n607501010,3\n");
	static const char *const want[] = {
	    "badcounts.csv line 3, field patients: 'many' is not a number; "
	    "give the number of people, a whole number of 0 or more (not a "
	    "suppressed '<11': import the counts before suppression)",
	    "badcounts.csv line 4, field patients: '-3' is negative; a count "
	    "of people is 0 or more",
	    "badcounts.csv line 5, field patients: '2.5' is not a whole "
	    "number; a count of people is a whole number of 0 or more",
	    "badcounts.csv line 6, field GEOID: '06075010100' appears more "
	    "than once (first on line 2); each area must have one row",
	    "badcounts.csv line 7, field GEOID: '0607501050A' is not a GEOID; "
	    "a GEOID is 2 to 12 digits, e.g. 06075010100 for a tract",
	    "badcounts.csv line 8, field GEOID: '060750105' is not a tract "
	    "GEOID; a tract GEOID is 11 digits",
	    "badcounts.csv line 9, field patients: has no value; give the "
	    "number of people (0 or more)",
	    "badcounts.csv line 10, field patients: '<11' is not a number; "
	    "give the number of people, a whole number of 0 or more (not a "
	    "suppressed '<11': import the counts before suppression)",
	};
	struct run r;

	TEST_REFUSAL(ws, refuse,
		     (struct refusal){
			 {p, NULL, NULL, CORE_EFORMAT,
			  .msg = "badcounts.csv: 8 rows rejected (the first at "
				 "line 3), nothing was imported; fix them, or "
				 "give --skip-bad to import the 1 good row"},
			 .name = "bad",
			 .counts = "patients"});
	run_init(&r, "bad", p);
	r.o.counts = "patients";
	r.o.skip_bad = 1;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_SHOWN(&r.src, want);
	CHECK_INT(r.st.people, 12);
	run_release(&r);
	{
		const struct refusal bad[] = {
		    {{weird, NULL, NULL, CORE_EUSAGE,
		      .has = {"weirdgeoid.csv line 2, field GEOID: '607501010' "
			      "is 9 digits; a GEOID is 2 (state), 5 (county or "
			      "ZCTA), 11 (tract) or 12 (block group) digits"}},
		     .name = "weird",
		     .counts = "n"},
		    /* options that do not go together */
		    {{p, NULL, NULL, CORE_EUSAGE,
		      .has = {"--id does not apply to a cohort of counts"}},
		     .counts = "patients",
		     .id = "GEOID"},
		    {{p, NULL, NULL, CORE_EUSAGE,
		      .has = {"--geoid applies to a cohort of counts only"}},
		     .geoid = "GEOID"},
		    {{p, NULL, NULL, CORE_EUSAGE,
		      .has = {"--level: 'parish' is not a census level"}},
		     .counts = "patients",
		     .level = "parish"},
		    {{p, NULL, NULL, CORE_EFORMAT,
		      .msg = "badcounts.csv: no column 'visits' (given with "
			     "--counts); the columns are: GEOID, patients"},
		     .counts = "visits"},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Malformed files and rows
 * ------------------------------------------------------------------ */

static void test_malformed(void)
{
	struct core_ws *ws = test_new_ws("bad.db");
	static const struct refusal bad[] = {
	    /* cut short in the last row, and inside a quoted field */
	    {{"cut.csv",
	      "id,lat,lon,name\n1,37.1,-120.5,Ann\n2,37.2,-120.6,Bob\n3,37.3",
	      NULL, CORE_EFORMAT,
	      .msg = "cut.csv line 4: has 2 fields where the header has 4; a "
		     "value holding the separator ',' must be in double "
		     "quotes (is the file cut short?)\n"
		     "nothing was imported; fix that row, or give --skip-bad "
		     "to import the other 2 rows"},
	     .name = "c"},
	    {{"cutq.csv",
	      "id,lat,lon,name\n1,37.1,-120.5,Ann\n2,37.2,-120.6,\"Bo", NULL,
	      CORE_EFORMAT,
	      .msg = "cutq.csv line 3: a quoted field is not closed before "
		     "the end of the file (is the file cut short?)"},
	     .name = "c"},
	    /* the wrong separator in the rows, and one nobody detects */
	    {{"semi.csv", "id,lat,lon\n1;37.1;-120.5\n2;37.2;-120.6\n", NULL,
	      CORE_EFORMAT,
	      .msg = "semi.csv: all 2 rows were rejected (the first at line "
		     "2); nothing was imported",
	      .shown = {"semi.csv line 2: has 1 field where the header has 3; "
			"a value holding the separator ',' must be in double "
			"quotes"}},
	     .name = "s"},
	    {{"pipe.csv", "id|lat|lon\n1|37.1|-120.5\n", NULL, CORE_EFORMAT,
	      .msg = "pipe.csv has no coordinate columns (looked for lat, "
		     "latitude, y and lon, lng, longitude, x); give them with "
		     "--lat COL --lon COL, place people by their address with "
		     "--address COL, or by ZIP with --zip COL --centroids "
		     "FILE; the columns are: id|lat|lon (one "
		     "column: is the file separated by something other than "
		     "',', ';' or tab?)"},
	     .name = "s"},
	    /* a quoted field over two lines: later lines are still counted
	     * as the file has them */
	    {{"nl.csv",
	      "id,lat,lon,note\n1,37.1,-120.5,\"a\nb\"\n2,99,-120.5,x\n"
	      "3,37.2,-120.6,\"\"\"q\"\"\"\n",
	      NULL, CORE_EFORMAT,
	      .msg = "nl.csv line 4, field lat: '99' is out of range; "
		     "latitude must be between -90 and 90\n"
		     "nothing was imported; fix that row, or give --skip-bad "
		     "to import the other 2 rows"},
	     .name = "nl"},
	    /* a column given that is not there; half a coordinate pair */
	    {{"cols.csv", "Name,MRN,latitude,longitude\nA,1,37.1,-120.5\n",
	      NULL, CORE_EFORMAT,
	      .msg = "cols.csv: no column 'member_id' (given with --id); the "
		     "columns are: Name, MRN, latitude, longitude"},
	     .name = "m",
	     .id = "member_id"},
	    {{"half.csv", "id,latitude,where\n1,37.1,x\n", NULL, CORE_EFORMAT,
	      .msg = "half.csv has a latitude column but no longitude column; "
		     "give the coordinate columns with --lat COL --lon COL; "
		     "the columns are: id, latitude, where"},
	     .name = "m"},
	    /* empty, header only, blank rows only */
	    {{"empty.csv", "", NULL, CORE_EFORMAT,
	      .msg = "empty.csv is empty (0 bytes); nothing to import"},
	     .name = "e"},
	    {{"header.csv", "id,lat,lon\n\n,,\n", NULL, CORE_EFORMAT,
	      .msg = "header.csv has a header but no data rows; nothing to "
		     "import"},
	     .name = "e"},
	    /* a missing file */
	    {{"/nonexistent/cohort.csv", NULL, NULL, CORE_EIO,
	      .has = {"cannot open /nonexistent/cohort.csv"}},
	     .name = "e"},
	};

	TEST_REFUSALS(ws, bad, refuse);
	core_ws_close(ws);
}

static void test_bad_rows(void)
{
	struct core_ws *ws = test_new_ws("badrows.db");
	const char *p = test_write("rows.csv", "person,lat,lon,first_name\n"
					       "p1,37.1,-120.5,Ann\n"
					       "p2,-120.5,37.1,Bob\n"
					       "p3,91,-120.5,Cy\n"
					       "p4,37.1,-190,Di\n"
					       "p5,north,-120.5,Ed\n"
					       "p6,0,0,Flo\n"
					       "p7,,,Gus\n"
					       "p8,37.1,,Hal\n"
					       ",37.1,-120.5,Ida\n"
					       "p1,37.2,-120.6,Jo\n"
					       "p11,37.1,-120.5\n"
					       "p12,37.15,-120.55,Kim\n");
	static const char *const want[] = {
	    "rows.csv line 3, field lat: '-120.5' is out of range; latitude "
	    "must be between -90 and 90 (are the longitude and latitude "
	    "columns swapped?)",
	    "rows.csv line 4, field lat: '91' is out of range; latitude must "
	    "be between -90 and 90",
	    "rows.csv line 5, field lon: '-190' is out of range; longitude "
	    "must be between -180 and 180",
	    "rows.csv line 6, field lat: 'north' is not a number; latitude "
	    "must be decimal degrees between -90 and 90, e.g. 37.1133",
	    "rows.csv line 7, field lat: '0' with a longitude of 0 is the "
	    "point 0,0, which marks an address that was not geocoded; fix the "
	    "row",
	    "rows.csv line 8: has no location: lat and lon are empty; every "
	    "person needs coordinates (decimal degrees, e.g. 37.1133, "
	    "-120.5609), or a ZIP with --zip COL --centroids FILE",
	    "rows.csv line 9, field lon: has no value; every person needs a "
	    "longitude (decimal degrees, e.g. -120.5609)",
	    "rows.csv line 10, field person: has no value; with --id every row "
	    "needs an id",
	    "rows.csv line 11, field person: is the same id as line 2 (the id "
	    "is not shown); each person must appear once",
	    "rows.csv line 12: has 3 fields where the header has 4; a value "
	    "holding the separator ',' must be in double quotes",
	};
	struct run r;
	size_t i;

	TEST_REFUSAL(ws, refuse,
		     (struct refusal){
			 {p, NULL, NULL, CORE_EFORMAT,
			  .msg = "rows.csv: 10 rows rejected (the first at "
				 "line 3), nothing was imported; fix them, or "
				 "give --skip-bad to import the 2 good rows"},
			 .name = "rows",
			 .id = "person"});
	run_init(&r, "rows", p);
	r.o.id = "person";
	r.o.skip_bad = 1;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_SHOWN(&r.src, want);
	for (i = 0; i < r.src.nshown; i++) {
		/* no other column of the row is ever quoted */
		if (strstr(r.src.shown[i].msg, "p1") ||
		    strstr(r.src.shown[i].msg, "Bob") ||
		    strstr(r.src.shown[i].msg, "Ida"))
			test_fail(__FILE__, __LINE__,
				  "reject %zu quotes another column", i);
	}
	CHECK_INT(r.st.people, 2);
	run_release(&r);
	CHECK_Q(ws,
		"SELECT rows_read || '|' || rows_accepted || '|' || "
		"rows_rejected FROM sources",
		"12|2|10");
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Re-import, names and files, the spatial index's two paths
 * ------------------------------------------------------------------ */

static void test_reimport(void)
{
	struct core_ws *ws = test_new_ws("re.db");
	const char *a = test_write(
	    "a.csv", "lat,lon\n37.1,-120.5\n37.2,-120.6\n37.15,-120.55\n");
	const char *b = test_write("b.csv", "lat,lon\n37.12,-120.52\n");
	char *before;
	struct run r;

	/* a big cohort and a small one */
	run_init(&r, "big", DEMO_DIR "/cohort.csv");
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);
	run_init(&r, "small", a);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.replaced, 0);
	run_release(&r);
	CHECK_INDEX(ws);
	/* small again: its 3 index entries go one by one */
	run_init(&r, "small", a);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.replaced, 1);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM cohort_members"), 5003);
	CHECK_INDEX(ws);
	/* big again: the index is rebuilt */
	run_init(&r, "big", DEMO_DIR "/cohort.csv");
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM cohort_members"), 5003);
	CHECK_INDEX(ws);

	/* the same name from another file: refused without --replace */
	TEST_REFUSAL(ws, refuse,
		     (struct refusal){
			 {b, NULL, NULL, CORE_EFAIL,
			  .msg = "cohort 'small' was imported from another "
				 "file, or from this one before it changed; "
				 "give --replace to replace it with the people "
				 "in b.csv, or choose another name"},
			 .name = "small"});
	/* the same bytes under another file name are the same file */
	{
		char *bytes = test_slurp(a, NULL);
		const char *a2 = test_write("a-copy.csv", bytes);
		free(bytes);
		run_init(&r, "small", a2);
		CHECK_INT(run_go(ws, &r), CORE_OK);
		CHECK_INT(r.st.replaced, 1);
		run_release(&r);
		TEST_REFUSAL(ws, refuse,
			     (struct refusal){
				 {a2, NULL, NULL, CORE_EFAIL,
				  .msg = "a-copy.csv is already imported as "
					 "cohort 'small'; import it as 'small' "
					 "to replace that, or give --replace "
					 "to replace cohort 'small' with "
					 "'other'"},
				 .name = "other"});
	}
	/* the same file as another name: refused without --replace */
	TEST_REFUSAL(
	    ws, refuse,
	    (struct refusal){
		{a, NULL, NULL, CORE_EFAIL,
		 .msg = "a.csv is already imported as cohort 'small'; "
			"import it as 'small' to replace that, or give "
			"--replace to replace cohort 'small' with "
			"'other'"},
		.name = "other"});
	run_init(&r, "small", b);
	r.o.replace = 1;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM cohort_members"), 5001);
	CHECK_INT(test_q_int(
		      ws, "SELECT count(*) FROM sources WHERE kind = 'cohort'"),
		  2);
	CHECK_Q(ws,
		"SELECT s.name FROM cohorts c JOIN sources s ON s.id = "
		"c.source_id WHERE c.name = 'small'",
		"cohort 'small' (patient records, not shown)");
	{
		char *md5 = test_md5_file(b);
		CHECK_Q(ws,
			"SELECT s.checksum FROM cohorts c JOIN sources s ON "
			"s.id = c.source_id WHERE c.name = 'small'",
			md5);
		free(md5);
	}
	CHECK_INDEX(ws);
	run_init(&r, "renamed", b);
	r.o.replace = 1;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);
	CHECK_Q(ws,
		"SELECT group_concat(name, ',') FROM (SELECT name FROM cohorts "
		"ORDER BY name)",
		"big,renamed");
	CHECK_INDEX(ws);
	/* a cohort of counts in place of one of people: its members go */
	{
		const char *cnt =
		    test_write("asc.csv", "GEOID,n\n06999000100,4\n");
		run_init(&r, "renamed", cnt);
		r.o.counts = "n";
		r.o.replace = 1;
		CHECK_INT(run_go(ws, &r), CORE_OK);
		run_release(&r);
		CHECK_INT(test_q_int(ws, "SELECT count(*) FROM cohort_members"),
			  5000);
		CHECK_Q(ws, "SELECT kind FROM cohorts WHERE name = 'renamed'",
			"counts");
		CHECK_INDEX(ws);
	}
	/* a failing import changes nothing, not even the mode */
	before = test_ws_snapshot(ws);
	CHECK_CONTAINS(before, "mode=600");
	free(before);
	core_ws_close(ws);
}

static void test_file_mode(void)
{
	struct core_ws *ws = test_new_ws("mode.db");
	const char *bad =
	    test_write("m_bad.csv", "lat,lon\n37.1,-120.5\n95,-120.5\n");
	const char *good = test_write("m_good.csv", "lat,lon\n37.1,-120.5\n");
	char *journal = xasprintf("%s-journal", ws->path);
	struct run r;

	chmod(ws->path, 0644);
	TEST_REFUSAL(ws, refuse,
		     (struct refusal){{bad, NULL, NULL, .code = CORE_EFORMAT},
				      .name = "m"});
	CHECK_INT(file_mode(ws->path), 0644);
	run_init(&r, "m", good);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);
	CHECK_INT(file_mode(ws->path), 0600);
	CHECK(access(journal, F_OK) != 0);
	/* a persistent journal is made private too */
	core_ws_exec(ws, NULL, "PRAGMA journal_mode = PERSIST");
	run_init(&r, "m", good);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);
	CHECK(access(journal, F_OK) == 0);
	CHECK_INT(file_mode(journal), 0600);
	core_ws_exec(ws, NULL, "PRAGMA journal_mode = DELETE");
	/* a later failure keeps it private: a cohort is in it */
	TEST_REFUSAL(ws, refuse,
		     (struct refusal){{bad, NULL, NULL, .code = CORE_EFORMAT},
				      .name = "m2"});
	CHECK_INT(file_mode(ws->path), 0600);
	free(journal);
	core_ws_close(ws);
}

static void test_options(void)
{
	struct core_ws *ws = test_new_ws("opts.db");
	const char *p =
	    test_write("o.csv", "id,lat,lon,age\n1,37.1,-120.5,3\n");
	struct run r;

	static const struct refusal bad[] = {
	    {{"o.csv", NULL, NULL, CORE_EUSAGE,
	      .has = {"give the cohort a name"}},
	     .name = ""},
	    {{"o.csv", NULL, NULL, CORE_EUSAGE,
	      .has = {"the cohort's name holds a control character"}},
	     .name = "bad\nname"},
	    {{"o.csv", NULL, NULL, CORE_EFORMAT,
	      .msg = "o.csv: no column 'weight' (given with --keep); the "
		     "columns are: id, lat, lon, age"},
	     .keep = "age,weight"},
	    {{"o.csv", NULL, NULL, CORE_EUSAGE,
	      .has = {"--id names the column 'lat', which is also the "
		      "latitude column"}},
	     .id = "lat"},
	    {{"o.csv", NULL, NULL, CORE_EUSAGE,
	      .has = {"--lat and --lon name the same column 'lat'"}},
	     .lat = "lat",
	     .lon = "LAT"},
	};

	TEST_REFUSALS(ws, bad, refuse);
	/* keep: numbers become JSON numbers, codes with leading zeros stay text
	 */
	p = test_write(
	    "o2.csv",
	    "lat,lon,a,b,c,d\n37.1,-120.5,007,-3.5e2,1.,\xc3\xa9t\xc3\xa9\n");
	run_init(&r, "x", p);
	r.o.keep = "a,b,c,d, a";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);
	CHECK_Q(ws, "SELECT attrs FROM cohort_members",
		"{\"a\":\"007\",\"b\":-3.5e2,\"c\":\"1.\",\"d\":"
		"\"\xc3\xa9t\xc3\xa9\"}");
	/* Windows-1252 (Excel's 'CSV' on Windows), value by value: the
	 * name in Latin-1 is never read, the kept value and the id are
	 * converted, and the id hashes as its UTF-8 would */
	p = test_write("o3.csv", "name,id,lat,lon,a\nJos\xe9 P\xe9rez,\xe9"
				 "1,37.1,-120.5,caf\xe9 \x80\n");
	run_init(&r, "y", p);
	r.o.keep = "a";
	r.o.id = "id";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_STR(r.src.encoding, "windows-1252");
	CHECK_STR(r.src.warning,
		  "o3.csv: 2 values of the columns read were not UTF-8 and "
		  "were read as Windows-1252 (Excel's 'CSV' on Windows); save "
		  "the file as UTF-8 to be sure");
	run_release(&r);
	CHECK_Q(ws,
		"SELECT attrs FROM cohort_members WHERE cohort_id = (SELECT id "
		"FROM cohorts WHERE name = 'y')",
		"{\"a\":\"caf\xc3\xa9 \xe2\x82\xac\"}");
	{
		char *h = ws_hash(ws, "\xc3\xa9"
				      "1"),
		     *sql;
		sql = xasprintf(
		    "SELECT count(*) FROM cohort_members WHERE key_hash = '%s'",
		    h);
		CHECK_INT(test_q_int(ws, sql), 1);
		free(sql);
		free(h);
	}
	CHECK_Q(ws,
		"SELECT encoding || '|' || warnings FROM sources WHERE name = "
		"'cohort ''y'' (patient records, not shown)'",
		"windows-1252|1");
	TEST_REFUSAL(ws, refuse,
		     (struct refusal){
			 {"o4.csv", "lat,lon,a\n37.1,-120.5,x\x81y\n", NULL,
			  CORE_EFORMAT,
			  .msg = "o4.csv line 2, field a: is neither UTF-8 nor "
				 "Windows-1252 text (byte 0x81); save the file "
				 "as UTF-8 (in Excel: Save As, 'CSV UTF-8')\n"
				 "nothing was imported"},
			 .name = "z",
			 .keep = "a"});
	/* CRLF line ends and a byte-order mark */
	p = test_write(
	    "crlf.csv",
	    "\xef\xbb\xbfid,lat,lon\r\n1,37.1,-120.5\r\n2,37.2,-120.6\r\n");
	run_init(&r, "crlf", p);
	r.o.id = "id";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.people, 2);
	run_release(&r);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * The reader on its own (imp_cohort_scan_buffer, the fuzz target's door)
 * ------------------------------------------------------------------ */

struct seen {
	struct core_buf b;
};

static void seen_person(void *ctx, double x, double y, const char *attrs,
			size_t n)
{
	struct seen *s = ctx;

	core_buf_addf(&s->b, "(%g %g", x, y);
	if (attrs) {
		core_buf_addc(&s->b, ' ');
		core_buf_add(&s->b, attrs, n);
	}
	core_buf_adds(&s->b, ")");
}

static void seen_area(void *ctx, const char *geoid, int64_t count)
{
	struct seen *s = ctx;

	core_buf_addf(&s->b, "(%s=%lld)", geoid, (long long)count);
}

/* Scan text with the options given; "rc|read|accepted|rejected|rows". */
static char *scan(const char *text, const char *id, const char *keep,
		  const char *counts)
{
	struct imp_cohort_opts o;
	struct imp_cohort_scan sc;
	struct core_err err = CORE_ERR_INIT;
	struct seen s = {CORE_BUF_INIT};
	char *r;
	int rc;

	imp_cohort_opts_init(&o);
	o.name = "t";
	o.path = "t.csv";
	o.id = id;
	o.keep = keep;
	o.counts = counts;
	memset(&sc, 0, sizeof(sc));
	sc.person = seen_person;
	sc.area = seen_area;
	sc.ctx = &s;
	rc = imp_cohort_scan_buffer(text, strlen(text), &o, &sc, &err);
	r = xasprintf("%d|%lld|%lld|%lld|%s%s", rc, (long long)sc.read,
		      (long long)sc.accepted, (long long)sc.rejected,
		      core_buf_str(&s.b), rc ? err.msg : "");
	core_buf_release(&s.b);
	return r;
}

#define CHECK_SCAN(want, ...)                                                  \
	do {                                                                   \
		char *s_ = scan(__VA_ARGS__);                                  \
		CHECK_STR(s_, want);                                           \
		free(s_);                                                      \
	} while (0)

static void test_scan_buffer(void)
{
	/* no newline at the end */
	CHECK_SCAN("0|1|1|0|(-120.5 37.1)", "lat,lon\n37.1,-120.5", NULL, NULL,
		   NULL);
	/* a separator at the very end is one more (empty) field */
	CHECK_SCAN("0|2|1|1|(-120.6 37.2)",
		   "lat,lon\n37.1,-120.5,\n37.2,-120.6", NULL, NULL, NULL);
	/* quoted header names, CRLF, a ';' inside quotes */
	CHECK_SCAN("0|1|1|0|(-120.5 37.1 {\"note\":\"a;b\"})",
		   "\"lat\";\"lon\";\"note\"\r\n37.1;-120.5;\"a;b\"\r\n", NULL,
		   "note", NULL);
	/* a quoted empty field, an escaped quote, text after the closing
	 * quote dropped */
	CHECK_SCAN(
	    "0|2|2|0|(-120.5 37.1 {\"n\":null})(-120.6 37.2 {\"n\":\"say "
	    "\\\"hi\\\"\"})",
	    "lat,lon,n\n37.1,-120.5,\"\"\n37.2,-120.6,\"say \"\"hi\"\"\"junk\n",
	    NULL, "n", NULL);
	/* counts, with a dropped leading zero put back */
	CHECK_SCAN("0|2|2|0|(06075010100=3)(06075010200=0)",
		   "GEOID,n\r\n06075010100,3\r\n6075010200,0\r\n", NULL, NULL,
		   "n");
	/* a quoted field left open */
	CHECK_SCAN("4|1|1|0|t.csv line 3: a quoted field is not closed before "
		   "the end of the file (is the file cut short?)",
		   "lat,lon\n37.1,-120.5\n\"37.2,-120.6\n", NULL, NULL, NULL);
	/* a NUL byte: said as such, once, not read as the value's end */
	{
		static const char nul[] =
		    "id,lat,lon\n1,37.1\0,-120.5\n2,37.2,-120.6\n";
		struct imp_cohort_opts o;
		struct imp_cohort_scan sc;
		struct core_err err = CORE_ERR_INIT;

		imp_cohort_opts_init(&o);
		o.name = "t";
		o.path = "t.csv";
		memset(&sc, 0, sizeof(sc));
		CHECK_INT(
		    imp_cohort_scan_buffer(nul, sizeof(nul) - 1, &o, &sc, &err),
		    CORE_EFORMAT);
		CHECK_STR(err.msg,
			  "t.csv line 2, field lat: contains a NUL byte; a CSV "
			  "file is text and never holds one (is it a binary "
			  "file, or saved as UTF-16?)");
	}
	/* an empty buffer, a header only */
	CHECK_SCAN("4|0|0|0|t.csv is empty (0 bytes); nothing to import", "",
		   NULL, NULL, NULL);
	CHECK_SCAN("0|0|0|0|", "lat,lon\n", NULL, NULL, NULL);
	/* duplicates by id */
	CHECK_SCAN("0|3|2|1|(-120.5 37.1)(-120.7 37.3)",
		   "id,lat,lon\nA,37.1,-120.5\nA,37.2,-120.6\nB,37.3,-120.7\n",
		   "id", NULL, NULL);
}

/* ---------------------------------------------------------------------
 * The command line
 * ------------------------------------------------------------------ */

static void test_cli(void)
{
	static const struct test_cli_case cases[] = {
	    {"-q -d cli.db init", .rc = 0},
	    {"-d cli.db import cohort tiny cli_small.csv --zip zip --centroids "
	     "cli_cent.csv",
	     0,
	     .err = "cli_small.csv: using --lon lon --lat lat --zip zip "
		    "--centroids cli_cent.csv\n"
		    "imported 3 people into cohort 'tiny' from cli_small.csv "
		    "(0 rejected); at their coordinates: 2, at ZIP centroids: "
		    "1; the workspace has no tracts to place them in\n"},
	    {"-d cli.db import cohort tiny", 2,
	     .err = "assetmap: import cohort: cohort 'tiny': which "
		    "file?\n(see 'assetmap help import cohort')\n"},
	    {"-d cli.db import cohort --help", .rc = 0},
	};

	if (!test_have_cli())
		return;
	test_write(
	    "cli_small.csv",
	    "lat,lon,zip\n37.1,-120.5,95990\n37.2,-120.6,95990\n,,95991\n");
	test_write(
	    "cli_cent.csv",
	    "zip,latitude,longitude\n95990,37.1,-120.5\n95991,37.2,-120.7\n");
	TEST_CLI_CASES(cases);
}

/* The strings of geocode_csv's addresses: none may reach the
 * workspace file (or its WAL), a message or a stored reject. */
static const char *const geocode_phi[] = {
    "Evergreen",   "EVERGREEN",	  "Spooner", "SPOONER",
    "Springfield", "SPRINGFIELD", "Quahog",  "QUAHOG",
    "742 ",	   "Apt 9",	  NULL};

static const char geocode_csv[] =
    "mrn,home,town,zip,age_group,lat,lon\n"
    "MRN1,742 Evergreen Terrace Apt 9,Springfield,94110,5-9,,\n"
    "MRN2,31 Spooner Street,Quahog,94112,0-4,,\n"
    "MRN3,,,,5-9,,\n"
    "MRN4,1 Other Way,Springfield,94110,5-9,37.76,-122.41\n";

static void check_no_phi(struct core_ws *ws, const struct run *r)
{
	const char *const *p;
	size_t i;

	for (p = geocode_phi; *p; p++) {
		CHECK_INT(file_has(ws->path, *p), 0);
		for (i = 0; i < r->src.nshown; i++)
			CHECK(strstr(r->src.shown[i].msg, *p) == NULL);
		CHECK(strstr(r->err.msg, *p) == NULL);
		CHECK(!r->src.options || strstr(r->src.options, *p) == NULL);
	}
}

/* As refuse, for geocode_csv with --address home --city town --zip
 * zip. */
static int refuse_geocode(struct core_ws *ws, const void *row, const char *path,
			  struct test_said *said)
{
	const struct refusal *f = row;
	struct run r;

	run_init(&r, "kids", path);
	r.o.address = "home";
	r.o.city = "town";
	r.o.zip = "zip";
	r.o.keep = f->keep;
	run_quiet(ws, &r);
	test_said_take(said, r.rc, &r.err, &r.src);
	run_release(&r);
	return r.rc;
}

/*
 * People placed by their home address (--address): geocoded in memory,
 * the address never stored.  Here the workspace has no reference
 * addresses, so every address is not placed: rejected with the reason
 * and the column's name, never the value.  (With reference addresses:
 * tests/cli/geocode_import_sf.)
 */
static void test_geocode_address(void)
{
	struct core_ws *ws = test_new_ws("gc.db");
	const char *path = test_write("gc_people.csv", geocode_csv);
	static const struct refusal refused[] = {
	    /* the address is used, never kept */
	    {{"gc_people.csv", NULL, NULL, CORE_EUSAGE,
	      .msg = "--keep: 'home' is the --address column; an address is "
		     "used only to place the person, never kept"},
	     .keep = "age_group,home"},
	};
	struct run r;
	char *reason;

	/* refused whole: the rejects name the column, not the address */
	run_init(&r, "kids", path);
	r.o.address = "home";
	r.o.city = "town";
	r.o.zip = "zip";
	r.o.id = "mrn";
	r.o.keep = "age_group";
	CHECK_INT(run_quiet(ws, &r), CORE_EFORMAT);
	CHECK_INT(r.src.rows_rejected, 3);
	CHECK_INT(r.src.nshown, 3);
	if (r.src.nshown == 3) {
		CHECK_STR(r.src.shown[0].msg,
			  "gc_people.csv line 2, field home: could not be "
			  "geocoded (the address is not shown), and the row "
			  "has no coordinates: no reference addresses "
			  "imported; run 'assetmap import addresses'");
		CHECK_STR(r.src.shown[2].msg,
			  "gc_people.csv line 4, field home: has no value, and "
			  "neither have the coordinates; every person needs a "
			  "location");
	}
	CHECK_INT(r.st.geocoded.tried, 2);
	CHECK_INT(r.st.geocoded.not_placed, 2);
	check_no_phi(ws, &r);
	run_release(&r);

	/* --skip-bad: the one with coordinates in, the rejects stored
	 * without a value */
	run_init(&r, "kids", path);
	r.o.address = "home";
	r.o.city = "town";
	r.o.zip = "zip";
	r.o.id = "mrn";
	r.o.keep = "age_group";
	r.o.skip_bad = 1;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_accepted, 1);
	CHECK_INT(r.st.at_point, 1);
	CHECK_STR(r.src.options, "--lon lon --lat lat --address home --city "
				 "town --zip zip --id mrn --keep age_group "
				 "--skip-bad");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM source_rejects WHERE "
				 "value IS NOT NULL"),
		  0);
	reason = test_q_text(ws, "SELECT field || '|' || reason FROM "
				 "source_rejects WHERE line = 3");
	CHECK_STR(reason, "home|could not be geocoded (the address is not "
			  "shown), and the row has no coordinates: no "
			  "reference addresses imported; run 'assetmap "
			  "import addresses'");
	free(reason);
	check_no_phi(ws, &r);
	run_release(&r);

	/* the options that go with --address, and --keep of it */
	TEST_REFUSALS(ws, refused, refuse_geocode);
	run_init(&r, "kids", path);
	r.o.city = "town";
	CHECK_INT(run_quiet(ws, &r), CORE_EUSAGE);
	CHECK_STR(r.err.msg, "--city applies with --address COL (people "
			     "placed by their address)");
	run_release(&r);
	run_init(&r, "kids", path);
	r.o.address = "home";
	r.o.geocode_worst = "house";
	CHECK_INT(run_quiet(ws, &r), CORE_EUSAGE);
	CHECK_CONTAINS(r.err.msg, "--geocode-worst: 'house' is not a level");
	run_release(&r);
	core_ws_close(ws);
}

static const struct test tests[] = {TEST(test_geocode_address),
				    TEST(test_privacy_count),
				    TEST(test_privacy_row),
				    TEST(test_sha256),
				    TEST(test_key_file),
				    TEST(test_keep_rules),
				    TEST(test_keep_refused),
				    TEST(test_ws_key),
				    TEST(test_salt_move),
				    TEST(test_demo_cohort),
				    TEST(test_coordinates_exact),
				    TEST(test_no_tracts),
				    TEST(test_phi_never_stored),
				    TEST(test_zip_fixture),
				    TEST(test_zip_shared),
				    TEST(test_counts),
				    TEST(test_counts_bad),
				    TEST(test_malformed),
				    TEST(test_bad_rows),
				    TEST(test_reimport),
				    TEST(test_file_mode),
				    TEST(test_options),
				    TEST(test_scan_buffer),
				    TEST(test_cli),
				    {0}};

int main(void)
{
	int rc = test_main("cohort", tests);

	test_libs_shutdown();
	return rc;
}
