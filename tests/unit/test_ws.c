/*
 * test_ws.c - trusting the workspace: a crash mid-import, damage, two
 * processes at once, and files that are not workspaces at all.
 *
 * These run the real binary ($ASSETMAP) as separate processes: kills are
 * real SIGKILLs, the second writer is a second process.  Every wait is
 * bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "testlib.h"

#define DEMO TEST_SRCDIR "/data/demo"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run "$ASSETMAP args" in test_tmpdir(), ended after two minutes if it
 * hangs (exit 124); *out (when not NULL) and *err its outputs (caller
 * frees); *secs how long it took. */
static int run(const char *args, char **out, char **err, double *secs)
{
	double t0 = now_s();
	char *cmd;
	int st;

	cmd = xasprintf(
	    "cd '%s' && timeout -s KILL 120 '%s' %s >cli.out 2>cli.err",
	    test_tmpdir(), getenv("ASSETMAP"), args);
	st = system(cmd);
	free(cmd);
	if (out && !(*out = test_slurp(test_path("cli.out"), NULL)))
		*out = xstrdup("");
	if (!(*err = test_slurp(test_path("cli.err"), NULL)))
		*err = xstrdup("");
	if (secs)
		*secs = now_s() - t0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run and expect rc; the outputs are freed. */
static void run_ok(const char *args)
{
	char *out = NULL, *err = NULL;
	int rc = run(args, &out, &err, NULL);

	if (rc != 0)
		test_fail(__FILE__, __LINE__, "'%s' exited %d: %s", args, rc,
			  err ? err : "");
	free(out);
	free(err);
}

static int have_cli(void)
{
	if (getenv("ASSETMAP"))
		return 1;
	test_skip("$ASSETMAP is not set (make test sets it)");
	return 0;
}

/* A workspace w.db with the demo tracts and assets. */
static void demo_ws(const char *name)
{
	char *a;

	unlink(test_path(name));
	a = xasprintf("-q -d %s init --crs EPSG:3310", name);
	run_ok(a);
	free(a);
	a = xasprintf("-q -d %s import areas " DEMO
		      "/tracts.geojson --level tract --geoid GEOID --name NAME",
		      name);
	run_ok(a);
	free(a);
	a = xasprintf("-q -d %s import assets " DEMO
		      "/assets.csv --lon lon --lat lat --name name --id id "
		      "--category category",
		      name);
	run_ok(a);
	free(a);
}

static off_t file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/* ---------------------------------------------------------------------
 * A kill during an import
 * ------------------------------------------------------------------ */

/* An import killed (SIGKILL) with its transaction's pages already in
 * the WAL: every command then works and shows the state before it. */
static void test_kill_during_import(void)
{
	char *info0 = NULL, *src0 = NULL, *out = NULL, *err = NULL;
	struct core_err e = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	int rc;

	if (!have_cli())
		return;
	demo_ws("k.db");
	run(" -d k.db info", &info0, &err, NULL);
	free(err);
	run(" -d k.db sources", &src0, &err, NULL);
	free(err);

	setenv("ASSETMAP_TEST_KILL_BEFORE_COMMIT", "1", 1);
	rc = run(" -q -d k.db import indicators " DEMO
		 "/indicators.csv --geoid GEOID --population population",
		 NULL, &err, NULL);
	unsetenv("ASSETMAP_TEST_KILL_BEFORE_COMMIT");
	free(err);
	CHECK_INT(rc, 128 + SIGKILL);
	/* the killed transaction really reached the disk */
	CHECK(file_size(test_path("k.db-wal")) > 0);

	/* read-only commands: the state before the import */
	rc = run(" -d k.db info", &out, &err, NULL);
	CHECK_INT(rc, 0);
	CHECK_STR(out, info0);
	CHECK_STR(err, "");
	free(out);
	free(err);
	rc = run(" -d k.db sources", &out, &err, NULL);
	CHECK_INT(rc, 0);
	CHECK_STR(out, src0);
	free(out);
	free(err);
	/* a command that writes: no wait for the dead writer */
	rc = run(" -d k.db nearest --category food --units km", &out, &err,
		 NULL);
	CHECK_INT(rc, 0);
	CHECK_CONTAINS(out, "food");
	CHECK(!strstr(err, "waiting"));
	free(out);
	free(err);
	/* and the import, run again, stands */
	run_ok(" -q -d k.db import indicators " DEMO
	       "/indicators.csv --geoid GEOID --population population");

	if (core_ws_open(test_path("k.db"), CORE_WS_READ, &ws, &e) == CORE_OK) {
		CHECK_Q(ws, "PRAGMA integrity_check", "ok");
		CHECK_Q(ws, "SELECT count(*) FROM sources", "3");
		CHECK_Q(ws, "PRAGMA journal_mode", "wal");
	} else {
		test_fail(__FILE__, __LINE__, "open: %s", e.msg);
	}
	core_ws_close(ws);
	free(info0);
	free(src0);
}

/* A workspace still in rollback-journal mode, its writer killed with
 * half its pages written: read-only commands roll the write back rather
 * than call the workspace foreign. */
static void test_hot_journal_rolled_back(void)
{
	char *info0 = NULL, *out = NULL, *err = NULL;
	sqlite3 *db = NULL;
	pid_t pid;
	int st, rc;

	if (!have_cli())
		return;
	demo_ws("j.db");
	run(" -d j.db info", &info0, &err, NULL);
	free(err);
	if (sqlite3_open(test_path("j.db"), &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL, NULL,
			 NULL) != SQLITE_OK)
		test_fail(__FILE__, __LINE__, "journal_mode: %s",
			  sqlite3_errmsg(db));
	sqlite3_close(db);

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		sqlite3 *c = NULL;
		sqlite3_open(test_path("j.db"), &c);
		sqlite3_exec(c,
			     "BEGIN; DELETE FROM asset_categories;"
			     " UPDATE meta SET value = 'gone';",
			     NULL, NULL, NULL);
		sqlite3_db_cacheflush(c); /* the file half-written */
		raise(SIGKILL);
		_exit(3);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CHECK(file_size(test_path("j.db-journal")) > 0);

	rc = run(" -d j.db info", &out, &err, NULL);
	CHECK_INT(rc, 0);
	CHECK_STR(out, info0);
	CHECK_CONTAINS(err, "rolled back an unfinished write");
	CHECK(!strstr(err, "not an assetmap workspace"));
	CHECK(file_size(test_path("j.db-journal")) <= 0);
	free(out);
	free(err);
	free(info0);
}

/* A workspace in a folder this user may not write (read-only media,
 * another user's folder): no FILE-shm can be made beside it, and it is
 * read all the same.  As root, the reader is the user nobody. */
static void test_read_only_folder(void)
{
	char *cmd, *out, *as = NULL;
	const char *dir = test_path("ro");

	if (!have_cli())
		return;
	mkdir(dir, 0755);
	run_ok(" -q -d ro/r.db init");
	CHECK_INT(chmod(test_path("ro/r.db"), 0644), 0);
	CHECK_INT(chmod(dir, 0555), 0);
	if (getuid() == 0) {
		chmod(test_tmpdir(), 0711);
		as = xstrdup("runuser -u nobody -- ");
	}
	cmd = xasprintf("%s'%s' -d '%s/r.db' info 2>&1", as ? as : "",
			getenv("ASSETMAP"), dir);
	out = test_popen(cmd);
	CHECK_CONTAINS(out, "analysis_crs");
	free(out);
	free(cmd);
	cmd = xasprintf("ls '%s'", dir);
	out = test_popen(cmd);
	CHECK_STR(out, "r.db\n");
	free(out);
	free(cmd);
	chmod(dir, 0755);
	if (as)
		chmod(test_tmpdir(), 0700);
	free(as);
}

/* ---------------------------------------------------------------------
 * Damage, and files that are not workspaces
 * ------------------------------------------------------------------ */

static int rootpage(const char *path, const char *name)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int page = -1;

	sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (sqlite3_prepare_v2(
		db, "SELECT rootpage FROM sqlite_master WHERE name = ?", -1,
		&st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			page = sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return page;
}

/* A bad page where the categories are looked up: the workspace is
 * damaged, said with quick_check's finding; never "'food' is not a
 * category"; the file is left as it was. */
static void test_bad_page_is_damage(void)
{
	const char *p;
	char buf[300], *md5, *md5b, *out = NULL, *err = NULL;
	int page, fd, rc;

	if (!have_cli())
		return;
	demo_ws("bad.db");
	p = test_path("bad.db");
	page = rootpage(p, "sqlite_autoindex_categories_1");
	CHECK(page > 1);
	memset(buf, 0xff, sizeof(buf));
	fd = open(p, O_WRONLY);
	CHECK(fd >= 0 &&
	      pwrite(fd, buf, sizeof(buf), (off_t)(page - 1) * 4096) ==
		  (ssize_t)sizeof(buf));
	close(fd);
	md5 = test_md5_file(p);

	rc = run(" -d bad.db nearest --category food", &out, &err, NULL);
	CHECK_INT(rc, 1);
	CHECK_CONTAINS(err,
		       "workspace bad.db is damaged (pragma quick_check: ");
	CHECK_CONTAINS(err, "Page ");
	CHECK(!strstr(err, "not a category"));
	free(out);
	free(err);
	md5b = test_md5_file(p);
	CHECK_STR(md5b, md5);
	free(md5);
	free(md5b);
}

/* A workspace cut short is damaged, not foreign. */
static void test_truncated_is_damage(void)
{
	char *out = NULL, *err = NULL;
	int rc;

	if (!have_cli())
		return;
	demo_ws("cut.db");
	CHECK_INT(
	    truncate(test_path("cut.db"), file_size(test_path("cut.db")) / 2),
	    0);
	rc = run(" -d cut.db info", &out, &err, NULL);
	CHECK_INT(rc, 1);
	CHECK_CONTAINS(err, "workspace cut.db is damaged");
	CHECK(!strstr(err, "not an assetmap workspace"));
	free(out);
	free(err);
}

static void expect_refused(const char *args, const char *want)
{
	char *out = NULL, *err = NULL;
	double secs = 0;
	int rc = run(args, &out, &err, &secs);

	if (rc != 1)
		test_fail(__FILE__, __LINE__, "'%s' exited %d, expected 1",
			  args, rc);
	if (!strstr(err, want))
		test_fail(__FILE__, __LINE__,
			  "'%s' said \"%s\", expected \"%s\"", args, err, want);
	if (secs > 20)
		test_fail(__FILE__, __LINE__, "'%s' took %.1f s", args, secs);
	free(out);
	free(err);
}

/* Each kind of file that is not a workspace is told apart, at once (a
 * FIFO does not hang: timeout ends the command if it would). */
static void test_not_workspaces(void)
{
	sqlite3 *db = NULL;

	if (!have_cli())
		return;
	unlink(test_path("fifo"));
	CHECK_INT(mkfifo(test_path("fifo"), 0600), 0);
	expect_refused(" -d fifo info",
		       "assetmap: error: workspace fifo is not a regular file "
		       "(it is a named pipe)");
	expect_refused(" -d fifo import assets x.csv --lon x --lat y",
		       "workspace fifo is not a regular file");
	mkdir(test_path("adir"), 0700);
	expect_refused(
	    " -d adir info",
	    "workspace adir is not a regular file (it is a directory)");
	expect_refused(" -d /dev/null info",
		       "workspace /dev/null is not a regular file (it is a "
		       "character device)");
	test_write("empty.db", "");
	expect_refused(" -d empty.db info",
		       "empty.db is empty, not an assetmap workspace");
	test_write("data.csv", "GEOID,value\n06075010100,3\n");
	expect_refused(
	    " -d data.csv info",
	    "data.csv is not an assetmap workspace (not an SQLite database");
	sqlite3_open(test_path("other.db"), &db);
	sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", NULL,
		     NULL, NULL);
	sqlite3_close(db);
	expect_refused(
	    " -d other.db sources",
	    "other.db is an SQLite database but not an assetmap workspace");
}

/* A schema version no assetmap made: a clear error, not a crash. */
static void test_unknown_schema_version(void)
{
	sqlite3 *db = NULL;

	if (!have_cli())
		return;
	unlink(test_path("v.db"));
	run_ok(" -q -d v.db init");
	sqlite3_open(test_path("v.db"), &db);
	sqlite3_exec(db, "PRAGMA user_version = -5", NULL, NULL, NULL);
	sqlite3_close(db);
	expect_refused(" -d v.db info", "workspace v.db: schema version -5 is "
					"not one this assetmap knows (1..");
	expect_refused(" -q -d v.db import assets " DEMO
		       "/assets.csv --lon lon --lat lat --name name",
		       "schema version -5 is not one this assetmap knows");
}

/* ---------------------------------------------------------------------
 * Two processes at once
 * ------------------------------------------------------------------ */

/* Start "$ASSETMAP args..." in test_tmpdir() with stderr into errfile. */
static pid_t spawn(const char *errfile, const char *const argv[])
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int nul = open("/dev/null", O_WRONLY);
		if (chdir(test_tmpdir()) != 0 || fd < 0 || nul < 0)
			_exit(126);
		dup2(nul, 1);
		dup2(fd, 2);
		execv(getenv("ASSETMAP"), (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* waitpid for at most secs; kills the child after that.  The exit
 * code, or -1 when it had to be killed. */
static int reap(pid_t pid, double secs)
{
	double t0 = now_s();
	int st;

	while (now_s() - t0 < secs) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		usleep(20000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* While this process holds the write lock with pages written out,
 * recorded as "import assets big.csv": a reader answers at once; a
 * second writer says whom it waits for and gives up after --wait 1, or
 * at once with --wait 0; one given time finishes when the lock is let
 * go.  A lock-info file left by a dead process names no one. */
static void test_two_writers(void)
{
	struct core_ws_opts o = {5000, "import assets big.csv", NULL, NULL,
				 NULL};
	struct core_err e = CORE_ERR_INIT;
	struct core_ws *ws = NULL, *ws2 = NULL;
	char *out = NULL, *err = NULL, *want, *log;
	const char *const writer[] = {
	    "assetmap", "-d",	  "two.db",	      "--wait", "60",
	    "import",	"assets", DEMO "/assets.csv", "--lon",	"lon",
	    "--lat",	"lat",	  "--name",	      "name",	"--id",
	    "id",	NULL};
	double secs = 0, t0;
	pid_t pid;
	int rc;

	if (!have_cli())
		return;
	unlink(test_path("two.db"));
	run_ok(" -q -d two.db init");
	if (core_ws_open_with(test_path("two.db"), CORE_WS_WRITE, &o, &ws,
			      &e)) {
		test_fail(__FILE__, __LINE__, "open: %s", e.msg);
		return;
	}
	CHECK_INT(core_ws_begin(ws, &e), CORE_OK);
	test_exec(ws, "INSERT INTO meta VALUES('busy', 'yes')");
	sqlite3_db_cacheflush(ws->db);

	/* a reader does not wait */
	rc = run(" --wait 30 -d two.db info", &out, &err, &secs);
	CHECK_INT(rc, 0);
	CHECK_CONTAINS(out, "workspace");
	CHECK(!strstr(err, "waiting"));
	CHECK(secs < 10);
	free(out);
	free(err);

	/* a second writer: the message, then the give-up */
	want = xasprintf("assetmap: waiting for process %ld (assetmap import "
			 "assets big.csv, since ",
			 (long)getpid());
	rc = run(" --wait 1 -d two.db import assets " DEMO
		 "/assets.csv --lon lon --lat lat --name name",
		 &out, &err, &secs);
	CHECK_INT(rc, 1);
	CHECK_CONTAINS(err, want);
	CHECK_CONTAINS(err, ") to finish writing to two.db (up to 1 s)");
	CHECK_CONTAINS(
	    err,
	    "assetmap: error: workspace two.db is being written by process ");
	CHECK_CONTAINS(err, "gave up after waiting 1 s");
	CHECK(!strstr(err, "no such table"));
	CHECK(secs < 10);
	free(out);
	free(err);
	rc = run(" --wait 0 -d two.db add asset --name x --at 37,-120 "
		 "--category food",
		 &out, &err, &secs);
	CHECK_INT(rc, 1);
	CHECK_CONTAINS(err, "not waiting for it (--wait 0)");
	CHECK(!strstr(err, "waiting for process"));
	free(out);
	free(err);
	rc = run(" --wait soon -d two.db info", &out, &err, NULL);
	CHECK_INT(rc, 2);
	CHECK_CONTAINS(err, "--wait: 'soon' is not a number of seconds");
	free(out);
	free(err);

	/* a second writer given time: waits, then imports */
	log = xasprintf("%s/writer.err", test_tmpdir());
	pid = spawn(log, writer);
	t0 = now_s();
	for (;;) {
		char *s = test_slurp(log, NULL);
		int seen = s && strstr(s, want);
		free(s);
		if (seen || now_s() - t0 > 30)
			break;
		usleep(50000);
	}
	CHECK_INT(core_ws_commit(ws, &e), CORE_OK);
	rc = reap(pid, 120);
	CHECK_INT(rc, 0);
	out = test_slurp(log, NULL);
	CHECK_CONTAINS(out, want);
	free(out);
	CHECK_Q(ws, "SELECT count(*) FROM assets", "400");
	CHECK_Q(ws, "SELECT value FROM meta WHERE key = 'busy'", "yes");

	/* a lock-info left by a killed writer names no one */
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	o.command = NULL; /* writes no lock-info of its own */
	if (core_ws_open_with(test_path("two.db"), CORE_WS_WRITE, &o, &ws2,
			      &e) ||
	    core_ws_begin(ws2, &e))
		test_fail(__FILE__, __LINE__, "second open: %s", e.msg);
	out = xasprintf("%ld\n2020-01-01 00:00:00\nimport cohort secret.csv\n",
			(long)pid);
	test_write("two.db.lock-info", out);
	free(out);
	rc = run(" --wait 1 -d two.db add asset --name x --at 37,-120 "
		 "--category food",
		 &out, &err, &secs);
	CHECK_INT(rc, 1);
	CHECK_CONTAINS(err, "assetmap: waiting for another process to finish "
			    "writing to two.db");
	CHECK(!strstr(err, "secret"));
	free(out);
	free(err);
	core_ws_close(ws2);
	core_ws_close(ws);
	/* the next writer clears it */
	run_ok(" -q -d two.db add asset --name x --at 37,-120 --category food");
	CHECK(access(test_path("two.db.lock-info"), F_OK) != 0);
	free(want);
	free(log);
}

/* ---------------------------------------------------------------------
 * Inputs cut short or missing their key
 * ------------------------------------------------------------------ */

/* A boundary zip cut in half: damaged or cut short, not "holds
 * nothing". */
static void test_tiger_zip_cut(void)
{
	char *cmd, *out = NULL, *err = NULL;
	int rc;

	if (!have_cli())
		return;
	cmd = xasprintf(
	    "cd '%s' && cp " DEMO "/tracts.geojson tl_2020_06_tract.geojson"
	    " && python3 -m zipfile -c whole.zip tl_2020_06_tract.geojson"
	    " && head -c 40000 whole.zip > tl_2020_06_tract.zip",
	    test_tmpdir());
	if (system(cmd) != 0) {
		free(cmd);
		test_skip("python3 is not installed");
		return;
	}
	free(cmd);
	unlink(test_path("z.db"));
	run_ok(" -q -d z.db init");
	rc =
	    run(" -d z.db import tiger tl_2020_06_tract.zip", &out, &err, NULL);
	CHECK_INT(rc, 1);
	CHECK_STR(err, "assetmap: error: tl_2020_06_tract.zip: the zip file is "
		       "damaged or cut short (its table of contents, at the "
		       "end of a whole zip, is missing); download it again\n");
	free(out);
	free(err);
}

/* An SVI tract table without its FIPS column: one error naming the
 * column and those there are, not one per row. */
static void test_svi_without_fips(void)
{
	char *out = NULL, *err = NULL;
	int rc;

	if (!have_cli())
		return;
	test_write("SVI2018_nofips.csv",
		   "ST,STATE,ST_ABBR,STCNTY,COUNTY,TRACT_FIPS,LOCATION,E_"
		   "TOTPOP,M_TOTPOP,EP_POV,MP_POV,RPL_THEMES\n"
		   "06,CALIFORNIA,CA,06075,San Francisco,06075010100,\"Census "
		   "Tract 101\",3850,354,17.3,6,0.25\n"
		   "06,CALIFORNIA,CA,06075,San Francisco,06075010200,\"Census "
		   "Tract 102\",4229,330,5.2,2.1,0\n"
		   "06,CALIFORNIA,CA,06075,San Francisco,06075010300,\"Census "
		   "Tract 103\",4000,300,9.9,3,0.75\n"
		   "06,CALIFORNIA,CA,06075,San Francisco,06075010400,\"Census "
		   "Tract 104\",2000,200,30.1,8,1\n");
	unlink(test_path("s.db"));
	run_ok(" -q -d s.db init");
	rc = run(
	    " -q -d s.db import svi SVI2018_nofips.csv --year 2018 --skip-bad",
	    &out, &err, NULL);
	CHECK_INT(rc, 1);
	CHECK_STR(
	    err,
	    "assetmap: error: SVI2018_nofips.csv has no FIPS column (nor "
	    "GEO_ID, or TRACT beside STCNTY), so its rows have only their "
	    "county to key them, and line 3 repeats county '06075': an SVI "
	    "tract table needs its FIPS column; its columns are ST, STATE, "
	    "ST_ABBR, STCNTY, COUNTY, TRACT_FIPS, LOCATION, E_TOTPOP, "
	    "M_TOTPOP, EP_POV, MP_POV, RPL_THEMES; did you mean TRACT_FIPS?\n");
	free(out);
	free(err);
}

static const struct test tests[] = {TEST(test_kill_during_import),
				    TEST(test_hot_journal_rolled_back),
				    TEST(test_read_only_folder),
				    TEST(test_bad_page_is_damage),
				    TEST(test_truncated_is_damage),
				    TEST(test_not_workspaces),
				    TEST(test_unknown_schema_version),
				    TEST(test_two_writers),
				    TEST(test_tiger_zip_cut),
				    TEST(test_svi_without_fips),
				    {0}};

int main(void)
{
	return test_main("ws", tests);
}
