/*
 * testlib.h - the in-house unit test runner.
 *
 * A test file defines `static void test_x(void)` functions and a table:
 *
 *   static const struct test tests[] = { TEST(test_x), ... , { 0 } };
 *   int main(void) { return test_main("core", tests); }
 *
 * CHECK* record a failure and go on; each test prints "ok" or "FAIL" with
 * the failing file:line, and test_main ends with "N passed, N failed".
 * A test that cannot run here (shared data absent) calls test_skip().
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <stddef.h>

struct test {
	const char *name;
	void (*fn)(void);
};

#define TEST(f) { #f, f }

int test_main(const char *suite, const struct test *tests);

void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Mark the running test skipped, with a reason printed after "skipped:". */
void test_skip(const char *why);
/* A fresh empty directory for this test run; removed at the end. */
const char *test_tmpdir(void);
/* Path of the shared data directory (../shared/data from the repo root,
 * or $ASSETMAP_SHARED_DATA), or NULL when it is absent. */
const char *test_shared_data(void);
/* Write a file under test_tmpdir(); returns its path (static buffer
 * rotation of 8). */
const char *test_write(const char *name, const char *content);

struct core_ws;
/* MD5 hex of a file's bytes (caller frees; "(cannot open)" if unreadable). */
char *test_md5_file(const char *path);
/* Row counts of every table and the file's MD5: what "the workspace is
 * unchanged" means in the importer tests (caller frees). */
char *test_ws_snapshot(struct core_ws *ws);

#define CHECK(c) \
	do { if (!(c)) test_fail(__FILE__, __LINE__, "%s", #c); } while (0)
#define CHECK_INT(a, b) \
	do { long long a_ = (long long)(a), b_ = (long long)(b); \
	     if (a_ != b_) test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, a_, b_); } while (0)
#define CHECK_STR(a, b) \
	do { const char *a_ = (a), *b_ = (b); \
	     if (!a_ || !b_ || strcmp(a_, b_) != 0) test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)
#define CHECK_CONTAINS(hay, needle) \
	do { const char *h_ = (hay), *n_ = (needle); \
	     if (!h_ || !strstr(h_, n_)) test_fail(__FILE__, __LINE__, "%s == \"%s\" does not contain \"%s\"", #hay, h_ ? h_ : "(null)", n_); } while (0)
#define CHECK_NEAR(a, b, eps) \
	do { double a_ = (a), b_ = (b); \
	     if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps))) test_fail(__FILE__, __LINE__, "%s == %.9g, expected %.9g +- %g", #a, a_, b_, (double)(eps)); } while (0)

#endif
