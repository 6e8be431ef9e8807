#include "testlib.h"

#include <sqlite3.h>
#include <spatialite/gaiaaux.h>

#include "core/core_mem.h"
#include "core/core_ws.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	char *md5;

	if (sqlite3_prepare_v2(ws->db,
			       "SELECT name FROM sqlite_master WHERE type = 'table'"
			       " ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return xstrdup("(error)");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		char *sql = xasprintf("SELECT count(*) FROM \"%s\"", t);
		sqlite3_stmt *c;
		if (sqlite3_prepare_v2(ws->db, sql, -1, &c, NULL) == SQLITE_OK &&
		    sqlite3_step(c) == SQLITE_ROW)
			core_buf_addf(&b, "%s=%lld;", t,
				      (long long)sqlite3_column_int64(c, 0));
		sqlite3_finalize(c);
		free(sql);
	}
	sqlite3_finalize(st);
	md5 = test_md5_file(ws->path);
	core_buf_addf(&b, "md5=%s", md5);
	free(md5);
	return core_buf_detach(&b);
}

