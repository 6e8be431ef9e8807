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
#include <stdint.h>

#include <cairo.h>

#include "core/core_err.h"

struct test {
	const char *name;
	void (*fn)(void);
};

#define TEST(f)                                                                \
	{                                                                      \
#f, f                                                          \
	}

int test_main(const char *suite, const struct test *tests);
/* At the end of main in a test binary that used GDAL and PROJ: tear
 * down GDAL, PROJ and the workspace layer (core_ws_shutdown), so that
 * leak checkers see a clean finish. */
void test_libs_shutdown(void);

void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Mark the running test skipped, with a reason printed after "skipped:". */
void test_skip(const char *why);
/* A fresh empty directory for this test run; removed at the end. */
const char *test_tmpdir(void);
/* Path of the shared data directory (../shared/data from the repo root,
 * or $ASSETMAP_SHARED_DATA), or NULL when it is absent. */
const char *test_shared_data(void);
/* The same for a test that needs it: NULL after marking the running test
 * skipped ("no shared data (../shared/data)"). */
const char *test_need_shared_data(void);
/* Write a file under test_tmpdir(); returns its path (static buffer
 * rotation of 8). */
const char *test_write(const char *name, const char *content);

/* A uniform double in [0, 1) from the xorshift64 generator *state
 * (non-zero): the same sequence on every machine. */
double test_rand(uint64_t *state);

struct core_ws;
/* MD5 hex of a file's bytes (caller frees; "(cannot open)" if unreadable). */
char *test_md5_file(const char *path);
/* Row counts of every table, the file's MD5 and mode: what "the
 * workspace is unchanged" means in the importer tests (caller frees). */
char *test_ws_snapshot(struct core_ws *ws);
/*
 * After an operation that had to fail with want and leave ws as it was:
 * check its rc, compare ws with the snapshot taken before it (freed
 * here), check that no transaction is left open, reporting failures at
 * file:line.  Returns a copy of msg (static until the next call).
 */
const char *test_failed_unchanged(struct core_ws *ws, char *before, int rc,
				  int want, const char *msg, const char *file,
				  int line);

/* A path under test_tmpdir() (static buffer rotation of 8). */
const char *test_path(const char *name);
/* A file's bytes, NUL-terminated, and their number in *len when len is
 * not NULL; NULL when it cannot be read (caller frees). */
char *test_slurp(const char *path, size_t *len);
/*
 * Run $ASSETMAP with args (a shell fragment) in test_tmpdir(): its
 * stdout into *out when out is not NULL, stderr into *err (caller frees
 * both).  Returns the exit code, -1 without $ASSETMAP.
 */
int test_run_cli(const char *args, char **out, char **err);
/* The stdout of a shell command, or NULL when it cannot run or exits
 * non-zero (caller frees). */
char *test_popen(const char *cmd);
/* Run a shell command made from fmt; a non-zero exit fails the test
 * (naming the command).  Returns the exit code (-1: it did not exit). */
int test_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The stdout of a shell command made from fmt, whatever its exit code
 * ("" when it cannot run; caller frees). */
char *test_sh_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Per-area value NAME of area GEOID in the newest run of the workspace
 * at ws_path (results_area); NaN when absent or NULL. */
double test_area_value(const char *ws_path, const char *geoid,
		       const char *name);
/* Whether two files hold the same bytes (0 when either is unreadable). */
int test_same_file(const char *a, const char *b);

/* The RGB (0xRRGGBB) of an image surface's pixel at (x, y), or
 * 0xff000000 off the image. */
uint32_t test_pixel(cairo_surface_t *s, double x, double y);
/* The luma (0..255, Rec. 601) of a 0xRRGGBB colour. */
int test_luma(uint32_t c);

/* A new empty workspace test_tmpdir()/name (NULL after a reported
 * failure); close it with core_ws_close. */
struct core_ws *test_new_ws(const char *name);
/* The same with crs as the workspace's projected CRS (an authority code
 * such as "EPSG:3310"; NULL: core_ws_create's default). */
struct core_ws *test_new_ws_crs(const char *name, const char *crs);
/* The first column of the first row of sql: an integer (-1 on an error,
 * reported), a double (-99999 on an error), or text the caller frees
 * ("(null)" for NULL, "(none)" for no row, "(error)"). */
int64_t test_q_int(struct core_ws *ws, const char *sql);
/* Run sql (any number of statements), reporting a failure. */
void test_exec(struct core_ws *ws, const char *sql);
/* Insert asset id, named "A<id>", at lon, lat (EPSG:4326) in the one
 * category cat, reporting a failure. */
void test_add_asset(struct core_ws *ws, int id, double lon, double lat,
		    const char *cat);
double test_q_double(struct core_ws *ws, const char *sql);
char *test_q_text(struct core_ws *ws, const char *sql);

/* The number of failures the running test has recorded so far. */
int test_failures(void);
/*
 * Close one row of a table-driven test: when the test recorded more
 * failures than `before` (test_failures() taken as the row began), print
 * which row of the table at file:line they belong to ("row i: what").
 */
void test_row_end(int before, size_t i, const char *what, const char *file,
		  int line);

/*
 * Whether the binary under test can be run: 1 when $ASSETMAP is set,
 * else 0 after marking the running test skipped.
 */
int test_have_cli(void);
/*
 * The guard of a fixture that a binary's tests share and make once
 * through the CLI, kept in the caller's static *done and ok (whether
 * it was made): -1 when the caller must make it now (the first call;
 * *done is set), else what the caller returns: 0 after marking the test
 * skipped without $ASSETMAP, or ok once made, a failure reported when
 * it was not.
 */
int test_fixture_once(int *done, int ok);
/* Whether every command in names (separated by spaces) is on $PATH. */
int test_have_commands(const char *names);

/*
 * The spatial index idx_<table>_geom agrees with the table's geom
 * column: as many entries as non-NULL geometries, and SQLite's
 * rtreecheck and SpatiaLite's CheckSpatialIndex pass.  A failure is
 * reported at file:line.
 */
void test_check_rtree(struct core_ws *ws, const char *table, const char *file,
		      int line);

/* One run of the binary under test and what it must do. */
struct test_cli_case {
	const char *args;	/* shell fragment after the binary */
	int rc;			/* the exit code */
	const char *err;	/* stderr to the byte, or NULL: not checked */
	const char *err_starts; /* how stderr begins, or NULL */
	const char *err_has[2]; /* pieces stderr holds, or NULL */
	const char *err_lacks;	/* a piece stderr must not hold, or NULL */
};
/*
 * Run the n cases in order through test_run_cli (in test_tmpdir(), so
 * the files they read are written there first) and check each one's
 * exit code and stderr; a failure names the case's row and args and
 * the table's file:line.  Call it after test_have_cli().
 */
void test_cli_cases(const struct test_cli_case *cases, size_t n,
		    const char *file, int line);
#define TEST_CLI_CASES(cases)                                                  \
	test_cli_cases(cases, sizeof(cases) / sizeof((cases)[0]), __FILE__,    \
		       __LINE__)

struct imp_source;
/*
 * An import's status rc, passed through; when it is not CORE_OK, err's
 * message is printed first ("    (import said: ...)"), so that the
 * check that fails on it shows why.
 */
int test_import_said(int rc, const struct core_err *err);

#define TEST_SHOWN_MAX 12
/* What an import said: its status and message, and its first rejects. */
struct test_said {
	int rc;
	char msg[CORE_ERR_MSG_MAX];
	char shown[TEST_SHOWN_MAX]
		  [1024]; /* the first rejected rows' messages */
	size_t nshown;
	int64_t rejected; /* rows rejected in all */
};
/* Copy rc, err's message and src's rejects into *said (all of it is
 * copied: err and src may be released afterwards). */
void test_said_take(struct test_said *said, int rc, const struct core_err *err,
		    const struct imp_source *src);

/*
 * The rejects src shows are want[0..n), in order, and no more; a
 * failure is reported at file:line.
 */
void test_check_shown(const struct imp_source *src, const char *const *want,
		      size_t n, const char *file, int line);
#define CHECK_SHOWN(src, want)                                                 \
	test_check_shown(src, want, sizeof(want) / sizeof((want)[0]),          \
			 __FILE__, __LINE__)

/*
 * One import that must be refused, leaving the workspace as it was.  A
 * test's table rows are its own struct whose FIRST member is this one,
 * followed by the importer's options for the row.
 */
struct test_refusal {
	const char *file;   /* the file's name under test_tmpdir(), or an
			       absolute path (never written) */
	const char *head;   /* its bytes, or NULL: not written (the file is
			       missing, or already there) */
	const char *tail;   /* bytes after head, or NULL */
	int code;	    /* the status it fails with */
	const char *msg;    /* its message to the byte, or NULL: not checked */
	const char *has[4]; /* pieces of the message, or NULL */
	const char *shown[TEST_SHOWN_MAX]; /* the first rejects, in order */
	size_t nshown;	  /* how many rejects it shows, or 0: not checked */
	int64_t rejected; /* rows rejected in all, or 0: not checked */
};
/*
 * An importer under test: import path into ws with the options of row
 * (the caller's row type, whose first member is a struct test_refusal),
 * fill *said, release what the import made, and return its status.
 */
typedef int (*test_import_fn)(struct core_ws *ws, const void *row,
			      const char *path, struct test_said *said);
/*
 * Walk n rows of stride bytes each: write the row's file, run the
 * import through go, and check that it fails with the row's code and
 * says what the row says, with the workspace unchanged and no
 * transaction left open (test_failed_unchanged).  A failure names the
 * row's index and file and the table's file:line.
 */
void test_refusals(struct core_ws *ws, const void *rows, size_t n,
		   size_t stride, test_import_fn go, const char *file,
		   int line);
/* One refusal, for a case that stands between other steps: the row is
 * the last argument, a compound literal of the caller's row type. */
#define TEST_REFUSAL(ws, go, ...)                                              \
	test_refusals(ws, &(__VA_ARGS__), 1, sizeof(__VA_ARGS__), go,          \
		      __FILE__, __LINE__)
#define TEST_REFUSALS(ws, rows, go)                                            \
	test_refusals(ws, rows, sizeof(rows) / sizeof((rows)[0]),              \
		      sizeof((rows)[0]), go, __FILE__, __LINE__)

#define CHECK_Q(ws, sql, want)                                                 \
	do {                                                                   \
		char *s_ = test_q_text(ws, sql);                               \
		CHECK_STR(s_, want);                                           \
		free(s_);                                                      \
	} while (0)

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			test_fail(__FILE__, __LINE__, "%s", #c);               \
	} while (0)
#define CHECK_INT(a, b)                                                        \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_)                                                  \
			test_fail(__FILE__, __LINE__,                          \
				  "%s == %lld, expected %lld", #a, a_, b_);    \
	} while (0)
#define CHECK_STR(a, b)                                                        \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                               \
		if (!a_ || !b_ || strcmp(a_, b_) != 0)                         \
			test_fail(__FILE__, __LINE__,                          \
				  "%s == \"%s\", expected \"%s\"", #a,         \
				  a_ ? a_ : "(null)", b_ ? b_ : "(null)");     \
	} while (0)
#define CHECK_CONTAINS(hay, needle)                                            \
	do {                                                                   \
		const char *h_ = (hay), *n_ = (needle);                        \
		if (!h_ || !strstr(h_, n_))                                    \
			test_fail(__FILE__, __LINE__,                          \
				  "%s == \"%s\" does not contain \"%s\"",      \
				  #hay, h_ ? h_ : "(null)", n_);               \
	} while (0)
#define CHECK_NEAR(a, b, eps)                                                  \
	do {                                                                   \
		double a_ = (a), b_ = (b);                                     \
		if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                   \
			test_fail(__FILE__, __LINE__,                          \
				  "%s == %.9g, expected %.9g +- %g", #a, a_,   \
				  b_, (double)(eps));                          \
	} while (0)

#endif
