#include "testlib.h"

#include <gdal.h>
#include <proj.h>
#include <sqlite3.h>
#include <spatialite/gaiaaux.h>

#include "core/core_mem.h"
#include "core/core_taxonomy.h"
#include "core/core_ws.h"
#include "importers/imp_common.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int cur_failed, cur_skipped;
static char tmpdir[256];
static char shared[1024];

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	cur_failed++;
}

void test_skip(const char *why)
{
	printf("    skipped: %s\n", why);
	cur_skipped = 1;
}

const char *test_tmpdir(void)
{
	if (!tmpdir[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(tmpdir, sizeof(tmpdir), "%s/assetmap-test-XXXXXX",
			 base && *base ? base : "/tmp");
		if (!mkdtemp(tmpdir)) {
			perror("mkdtemp");
			exit(2);
		}
	}
	return tmpdir;
}

const char *test_shared_data(void)
{
	const char *e = getenv("ASSETMAP_SHARED_DATA");
	struct stat sb;

	snprintf(shared, sizeof(shared), "%s",
		 e && *e ? e : TEST_SRCDIR "/../shared/data");
	if (stat(shared, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return NULL;
	return shared;
}

const char *test_need_shared_data(void)
{
	const char *d = test_shared_data();

	if (!d)
		test_skip("no shared data (../shared/data)");
	return d;
}

const char *test_write(const char *name, const char *content)
{
	static char paths[8][512];
	static int k;
	char *p = paths[k++ & 7];
	FILE *fp;

	snprintf(p, 512, "%s/%s", test_tmpdir(), name);
	fp = fopen(p, "wb");
	if (!fp) {
		perror(p);
		exit(2);
	}
	fputs(content, fp);
	fclose(fp);
	return p;
}

static void rm_tree(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

int test_main(const char *suite, const struct test *tests)
{
	int passed = 0, failed = 0, skipped = 0;
	const struct test *t;

	/* Key files for hashing ids (core_privacy_key_path) go under this
	 * run's directory, never into the user's own config. */
	{
		char cfg[300];
		snprintf(cfg, sizeof(cfg), "%s/config", test_tmpdir());
		setenv("XDG_CONFIG_HOME", cfg, 1);
		unsetenv("ASSETMAP_KEY_FILE");
	}
	printf("%s:\n", suite);
	for (t = tests; t->name; t++) {
		cur_failed = cur_skipped = 0;
		t->fn();
		if (cur_failed) {
			printf("  FAIL %s\n", t->name);
			failed++;
		} else if (cur_skipped) {
			printf("  skip %s\n", t->name);
			skipped++;
		} else {
			printf("  ok   %s\n", t->name);
			passed++;
		}
		fflush(stdout);
	}
	if (tmpdir[0] && !getenv("ASSETMAP_KEEP_TMP"))
		rm_tree(tmpdir);
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}

double test_rand(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (double)(*state >> 11) / 9007199254740992.0;
}

char *test_md5_file(const char *path)
{
	unsigned char buf[8192];
	void *md5 = gaiaCreateMD5Checksum();
	FILE *fp = fopen(path, "rb");
	size_t n;
	char *hex, *r;

	if (!fp) {
		gaiaFreeMD5Checksum(md5);
		return xstrdup("(cannot open)");
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		gaiaUpdateMD5Checksum(md5, buf, (int)n);
	fclose(fp);
	hex = gaiaFinalizeMD5Checksum(md5);
	gaiaFreeMD5Checksum(md5);
	r = xstrdup(hex ? hex : "");
	free(hex);
	return r;
}

/* Row counts of every table and the file's MD5: what "unchanged" means. */
char *test_ws_snapshot(struct core_ws *ws)
{
	struct core_buf b = CORE_BUF_INIT;
	sqlite3_stmt *st;
	struct stat sb;
	char *md5;

	if (sqlite3_prepare_v2(
		ws->db,
		"SELECT name FROM sqlite_master WHERE type = 'table'"
		" ORDER BY name",
		-1, &st, NULL) != SQLITE_OK)
		return xstrdup("(error)");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		char *sql = xasprintf("SELECT count(*) FROM \"%s\"", t);
		sqlite3_stmt *c;
		if (sqlite3_prepare_v2(ws->db, sql, -1, &c, NULL) ==
			SQLITE_OK &&
		    sqlite3_step(c) == SQLITE_ROW)
			core_buf_addf(&b, "%s=%lld;", t,
				      (long long)sqlite3_column_int64(c, 0));
		sqlite3_finalize(c);
		free(sql);
	}
	sqlite3_finalize(st);
	/* WAL: what is committed, folded into the file, is what counts */
	sqlite3_wal_checkpoint_v2(ws->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
				  NULL, NULL);
	md5 = test_md5_file(ws->path);
	core_buf_addf(&b, "md5=%s", md5);
	free(md5);
	if (stat(ws->path, &sb) == 0)
		core_buf_addf(&b, ";mode=%o", (unsigned)(sb.st_mode & 07777));
	return core_buf_detach(&b);
}

const char *test_failed_unchanged(struct core_ws *ws, char *before, int rc,
				  int want, const char *msg, const char *file,
				  int line)
{
	static char copy[CORE_ERR_MSG_MAX];
	char *after;

	if (rc != want)
		test_fail(file, line, "import returned %d, expected %d (%s)",
			  rc, want, msg);
	after = test_ws_snapshot(ws);
	if (strcmp(before, after) != 0)
		test_fail(
		    file, line,
		    "workspace changed:\n      before %s\n      after  %s",
		    before, after);
	if (ws->in_tx)
		test_fail(file, line, "transaction left open");
	snprintf(copy, sizeof(copy), "%s", msg);
	free(before);
	free(after);
	return copy;
}

const char *test_path(const char *name)
{
	static char p[8][512];
	static int k;
	char *s = p[k++ & 7];

	snprintf(s, 512, "%s/%s", test_tmpdir(), name);
	return s;
}

char *test_slurp(const char *path, size_t *len)
{
	struct core_buf b = CORE_BUF_INIT;
	FILE *fp = fopen(path, "rb");
	char buf[65536];
	size_t n;

	if (len)
		*len = 0;
	if (!fp)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		core_buf_add(&b, buf, n);
	fclose(fp);
	if (len)
		*len = b.len;
	return core_buf_detach(&b);
}

char *test_popen(const char *cmd)
{
	FILE *fp = popen(cmd, "r");
	struct core_buf b = CORE_BUF_INIT;
	char chunk[4096];
	size_t k;

	if (!fp)
		return NULL;
	while ((k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		core_buf_add(&b, chunk, k);
	if (pclose(fp) != 0) {
		core_buf_release(&b);
		return NULL;
	}
	return core_buf_detach(&b);
}

int test_sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	rc = rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
	if (rc)
		test_fail(__FILE__, __LINE__, "command failed (%d): %s", rc,
			  cmd);
	return rc;
}

char *test_sh_out(const char *fmt, ...)
{
	char cmd[4096], buf[4096];
	struct core_buf b = CORE_BUF_INIT;
	va_list ap;
	size_t n;
	FILE *fp;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fp = popen(cmd, "r");
	if (!fp)
		return xstrdup("");
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		core_buf_add(&b, buf, n);
	pclose(fp);
	return core_buf_detach(&b);
}

double test_area_value(const char *ws_path, const char *geoid, const char *name)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	sqlite3_stmt *st = NULL;
	double v = NAN;

	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err))
		return NAN;
	if (core_ws_prepare(ws, &err, &st,
			    "SELECT value FROM results_area WHERE run_id = "
			    "(SELECT max(id) FROM runs) AND geoid = ?1 AND "
			    "name = ?2") == 0) {
		sqlite3_bind_text(st, 1, geoid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) != SQLITE_NULL)
			v = sqlite3_column_double(st, 0);
	}
	sqlite3_finalize(st);
	core_ws_close(ws);
	return v;
}

int test_same_file(const char *a, const char *b)
{
	size_t na, nb;
	char *x = test_slurp(a, &na), *y = test_slurp(b, &nb);
	int same = x && y && na == nb && memcmp(x, y, na) == 0;

	free(x);
	free(y);
	return same;
}

uint32_t test_pixel(cairo_surface_t *s, double x, double y)
{
	const unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	int ix = (int)floor(x), iy = (int)floor(y);

	if (ix < 0 || iy < 0 || ix >= cairo_image_surface_get_width(s) ||
	    iy >= cairo_image_surface_get_height(s))
		return 0xff000000u;
	return *(const uint32_t *)(d + (size_t)iy * (size_t)stride +
				   (size_t)ix * 4) &
	       0xffffff;
}

int test_luma(uint32_t c)
{
	return (int)(0.299 * ((c >> 16) & 0xff) + 0.587 * ((c >> 8) & 0xff) +
		     0.114 * (c & 0xff));
}

int test_run_cli(const char *args, char **out, char **err)
{
	const char *am = getenv("ASSETMAP");
	char *cmd;
	int st;

	if (out)
		*out = NULL;
	*err = NULL;
	if (!am)
		return -1;
	cmd = xasprintf("cd '%s' && '%s' %s >cli.out 2>cli.err", test_tmpdir(),
			am, args);
	st = system(cmd);
	free(cmd);
	if (out && !(*out = test_slurp(test_path("cli.out"), NULL)))
		*out = xstrdup("");
	if (!(*err = test_slurp(test_path("cli.err"), NULL)))
		*err = xstrdup("");
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

struct core_ws *test_new_ws(const char *name)
{
	return test_new_ws_crs(name, NULL);
}

struct core_ws *test_new_ws_crs(const char *name, const char *crs)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	const char *path = test_path(name);

	unlink(path);
	if (core_ws_create(path, crs, core_taxonomy_seed, &ws, &err))
		test_fail(__FILE__, __LINE__, "core_ws_create %s: %s", path,
			  err.msg);
	return ws;
}

int64_t test_q_int(struct core_ws *ws, const char *sql)
{
	struct core_err err = CORE_ERR_INIT;
	int64_t v = -1;

	if (core_ws_int(ws, &err, sql, &v))
		test_fail(__FILE__, __LINE__, "%s: %s", sql, err.msg);
	return v;
}

void test_exec(struct core_ws *ws, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(ws->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "%s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
	}
}

void test_add_asset(struct core_ws *ws, int id, double lon, double lat,
		    const char *cat)
{
	char *sql = xasprintf("INSERT INTO assets(id, name, geom) VALUES(%d,"
			      " 'A%d', MakePoint(%.9f, %.9f, 4326));"
			      " INSERT INTO asset_categories VALUES(%d, '%s')",
			      id, id, lon, lat, id, cat);
	test_exec(ws, sql);
	free(sql);
}

double test_q_double(struct core_ws *ws, const char *sql)
{
	sqlite3_stmt *st;
	double v = -99999;

	if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "%s: %s", sql,
			  sqlite3_errmsg(ws->db));
		return v;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

char *test_q_text(struct core_ws *ws, const char *sql)
{
	sqlite3_stmt *st;
	char *v;

	if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "%s: %s", sql,
			  sqlite3_errmsg(ws->db));
		return xstrdup("(error)");
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = xstrdup(sqlite3_column_text(st, 0)
				? (const char *)sqlite3_column_text(st, 0)
				: "(null)");
	else
		v = xstrdup("(none)");
	sqlite3_finalize(st);
	return v;
}

int test_failures(void)
{
	return cur_failed;
}

void test_row_end(int before, size_t i, const char *what, const char *file,
		  int line)
{
	if (cur_failed > before)
		printf("    ^ in row %zu (%s) of the table at %s:%d\n", i,
		       what ? what : "", file, line);
}

int test_have_cli(void)
{
	if (getenv("ASSETMAP"))
		return 1;
	test_skip("ASSETMAP is not set (run through make test)");
	return 0;
}

int test_fixture_once(int *done, int ok)
{
	if (!test_have_cli())
		return 0;
	if (*done) {
		if (!ok)
			test_fail(__FILE__, __LINE__,
				  "no workspace (see above)");
		return ok;
	}
	*done = 1;
	return -1;
}

int test_have_commands(const char *names)
{
	char *cmd = xasprintf("for c in %s; do command -v \"$c\" || exit 1; "
			      "done >/dev/null 2>&1",
			      names);
	int ok = system(cmd) == 0;

	free(cmd);
	return ok;
}

void test_cli_cases(const struct test_cli_case *cases, size_t n,
		    const char *file, int line)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct test_cli_case *c = &cases[i];
		int before = test_failures();
		char *err = NULL;
		int rc = test_run_cli(c->args, NULL, &err);

		if (rc != c->rc)
			test_fail(file, line, "exit code %d, expected %d", rc,
				  c->rc);
		if (c->err && strcmp(err, c->err) != 0)
			test_fail(file, line, "stderr \"%s\", expected \"%s\"",
				  err, c->err);
		if (c->err_starts &&
		    strncmp(err, c->err_starts, strlen(c->err_starts)) != 0)
			test_fail(file, line,
				  "stderr \"%s\" does not begin with \"%s\"",
				  err, c->err_starts);
		for (k = 0; k < 2; k++)
			if (c->err_has[k] && !strstr(err, c->err_has[k]))
				test_fail(file, line,
					  "stderr \"%s\" does not contain "
					  "\"%s\"",
					  err, c->err_has[k]);
		if (c->err_lacks && strstr(err, c->err_lacks))
			test_fail(file, line, "stderr \"%s\" contains \"%s\"",
				  err, c->err_lacks);
		test_row_end(before, i, c->args, file, line);
		free(err);
	}
}

void test_libs_shutdown(void)
{
	GDALDestroy();
	proj_cleanup();
	core_ws_shutdown();
}

int test_import_said(int rc, const struct core_err *err)
{
	if (rc != CORE_OK)
		printf("    (import said: %s)\n", err->msg);
	return rc;
}

void test_said_take(struct test_said *said, int rc, const struct core_err *err,
		    const struct imp_source *src)
{
	size_t i;

	memset(said, 0, sizeof(*said));
	said->rc = rc;
	snprintf(said->msg, sizeof(said->msg), "%s", err->msg);
	said->nshown = src->nshown;
	for (i = 0; i < src->nshown && i < TEST_SHOWN_MAX; i++)
		snprintf(said->shown[i], sizeof(said->shown[i]), "%s",
			 src->shown[i].msg ? src->shown[i].msg : "(null)");
	said->rejected = src->rows_rejected;
}

void test_refusals(struct core_ws *ws, const void *rows, size_t n,
		   size_t stride, test_import_fn go, const char *file, int line)
{
	static struct test_said said;
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct test_refusal *r =
		    (const struct test_refusal *)((const char *)rows +
						  i * stride);
		int before = test_failures();
		const char *path =
		    r->file[0] == '/' ? r->file : test_path(r->file);
		const char *msg;
		char *snap;

		if (r->head && r->file[0] != '/') {
			char *bytes =
			    xasprintf("%s%s", r->head, r->tail ? r->tail : "");
			test_write(r->file, bytes);
			free(bytes);
		}
		snap = test_ws_snapshot(ws);
		go(ws, r, path, &said);
		msg = test_failed_unchanged(ws, snap, said.rc, r->code,
					    said.msg, file, line);
		if (r->msg && strcmp(msg, r->msg) != 0)
			test_fail(file, line, "said \"%s\", expected \"%s\"",
				  msg, r->msg);
		for (k = 0; k < 4; k++)
			if (r->has[k] && !strstr(msg, r->has[k]))
				test_fail(file, line,
					  "said \"%s\", which does not contain "
					  "\"%s\"",
					  msg, r->has[k]);
		for (k = 0; k < TEST_SHOWN_MAX && r->shown[k]; k++)
			if (k >= said.nshown ||
			    strcmp(said.shown[k], r->shown[k]) != 0)
				test_fail(file, line,
					  "reject %zu is \"%s\", expected "
					  "\"%s\"",
					  k,
					  k < said.nshown ? said.shown[k]
							  : "(none)",
					  r->shown[k]);
		if (r->nshown && said.nshown != r->nshown)
			test_fail(file, line, "%zu rejects shown, expected %zu",
				  said.nshown, r->nshown);
		if (r->rejected && said.rejected != r->rejected)
			test_fail(
			    file, line, "%lld rows rejected, expected %lld",
			    (long long)said.rejected, (long long)r->rejected);
		test_row_end(before, i, r->file, file, line);
	}
}

void test_check_rtree(struct core_ws *ws, const char *table, const char *file,
		      int line)
{
	char *sql = xasprintf(
	    "SELECT count(*) FROM \"%s\" WHERE geom IS NOT NULL", table);
	int64_t n = test_q_int(ws, sql), idx;
	char *rt;

	free(sql);
	sql = xasprintf("SELECT count(*) FROM \"idx_%s_geom\"", table);
	idx = test_q_int(ws, sql);
	free(sql);
	if (idx != n)
		test_fail(file, line,
			  "idx_%s_geom has %lld entries, %s %lld geometries",
			  table, (long long)idx, table, (long long)n);
	sql = xasprintf("SELECT rtreecheck('idx_%s_geom')", table);
	rt = test_q_text(ws, sql);
	free(sql);
	if (strcmp(rt, "ok") != 0)
		test_fail(file, line, "rtreecheck: %s", rt);
	free(rt);
	sql = xasprintf("SELECT CheckSpatialIndex('%s', 'geom')", table);
	if (test_q_int(ws, sql) != 1)
		test_fail(file, line,
			  "CheckSpatialIndex('%s', 'geom') is not 1", table);
	free(sql);
}

void test_check_shown(const struct imp_source *src, const char *const *want,
		      size_t n, const char *file, int line)
{
	size_t i;

	if (src->nshown != n)
		test_fail(file, line, "%zu rejects shown, expected %zu",
			  src->nshown, n);
	for (i = 0; i < n && i < src->nshown; i++)
		if (!src->shown[i].msg || strcmp(src->shown[i].msg, want[i]))
			test_fail(
			    file, line, "reject %zu is \"%s\", expected \"%s\"",
			    i, src->shown[i].msg ? src->shown[i].msg : "(null)",
			    want[i]);
}
