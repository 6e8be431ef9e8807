#include "testlib.h"

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
