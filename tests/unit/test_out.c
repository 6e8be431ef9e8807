/*
 * test_out.c - outputs: refused over the workspace or an input, written
 * through temporaries that cannot be hijacked and never stay behind.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_out.h"
#include "testlib.h"

/* A fresh directory under test_tmpdir(); returns its path (caller
 * frees). */
static char *fresh_dir(const char *name)
{
	char *d = xasprintf("%s/%s", test_tmpdir(), name);

	mkdir(d, 0755);
	return d;
}

static void put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (!fp) {
		test_fail(__FILE__, __LINE__, "cannot write %s", path);
		return;
	}
	fputs(text, fp);
	fclose(fp);
}

/* Entries of dir whose name contains "assetmap-". */
static int temporaries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strstr(e->d_name, "assetmap-"))
			n++;
	closedir(d);
	return n;
}

/* A pid that no process has: a child that has exited and been reaped. */
static pid_t dead_pid(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	return p;
}

static void test_check_workspace(void)
{
	struct core_err err = CORE_ERR_INIT;
	char *d = fresh_dir("check");
	char *ws = xasprintf("%s/w.db", d), *p;
	struct core_out_input in[] = {{"--style", NULL}};

	put(ws, "workspace bytes");
	/* the same name */
	CHECK_INT(core_out_check("-o", ws, ws, NULL, 0, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "is the workspace");
	/* a symlink to it */
	p = xasprintf("%s/link.png", d);
	CHECK(symlink("w.db", p) == 0);
	CHECK_INT(core_out_check("-o", p, ws, NULL, 0, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "is a link to the workspace");
	free(p);
	/* a hard link */
	p = xasprintf("%s/hard.png", d);
	CHECK(link(ws, p) == 0);
	CHECK_INT(core_out_check("-o", p, ws, NULL, 0, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "under another name");
	free(p);
	/* another spelling of its path */
	p = xasprintf("%s/../check/./w.db", d);
	CHECK_INT(core_out_check("-o", p, ws, NULL, 0, &err), CORE_EUSAGE);
	free(p);
	/* its journal files, which do not exist yet */
	p = xasprintf("%s/w.db-wal", d);
	CHECK_INT(core_out_check("--save-style", p, ws, NULL, 0, &err),
		  CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "wal file");
	free(p);
	p = xasprintf("%s/w.db-journal", d);
	CHECK_INT(core_out_check("--save-style", p, ws, NULL, 0, &err),
		  CORE_EUSAGE);
	free(p);
	/* anything else is fine, existing or not */
	p = xasprintf("%s/w.db.png", d);
	CHECK_INT(core_out_check("-o", p, ws, NULL, 0, &err), CORE_OK);
	put(p, "an old map");
	CHECK_INT(core_out_check("-o", p, ws, NULL, 0, &err), CORE_OK);
	/* an input, existing, and the same name not yet written */
	in[0].path = p;
	CHECK_INT(core_out_check("-o", p, ws, in, 1, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "is the file given to --style");
	free(p);
	p = xasprintf("%s/new.png", d);
	in[0].path = p;
	CHECK_INT(core_out_check("-o", p, NULL, in, 1, &err), CORE_EUSAGE);
	in[0].path = ws;
	CHECK_INT(core_out_check("-o", p, NULL, in, 1, &err), CORE_OK);
	free(p);
	free(ws);
	free(d);
}

static void test_write_commit_abort(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_out *o = NULL;
	char *d = fresh_dir("write");
	char *path = xasprintf("%s/m.png", d);
	char *victim = xasprintf("%s/victim.txt", d), *text;
	struct stat st;

	/* a link at the target is replaced, never written through */
	put(victim, "keep");
	CHECK(symlink("victim.txt", path) == 0);
	CHECK_INT(core_out_open(path, CORE_OUT_MODE, 0, &o, &err), CORE_OK);
	if (!o)
		goto cleanup;
	CHECK_INT(temporaries(d), 1);
	CHECK_CONTAINS(core_out_tmp_path(o), "/.m.png.assetmap-");
	CHECK(lstat(core_out_tmp_path(o), &st) == 0 && S_ISREG(st.st_mode));
	fputs("new map", core_out_stream(o));
	CHECK_INT(core_out_commit(o, &err), CORE_OK);
	CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
	text = test_slurp(path, NULL);
	CHECK_STR(text, "new map");
	free(text);
	text = test_slurp(victim, NULL);
	CHECK_STR(text, "keep");
	free(text);
	CHECK_INT(temporaries(d), 0);

	/* abort: the target keeps its old bytes, no temporary stays */
	CHECK_INT(core_out_open(path, CORE_OUT_MODE, 0, &o, &err), CORE_OK);
	fputs("half", core_out_stream(o));
	core_out_abort(o);
	text = test_slurp(path, NULL);
	CHECK_STR(text, "new map");
	free(text);
	CHECK_INT(temporaries(d), 0);
	core_out_abort(NULL);

	/* a private file: mode 0600 whatever the umask allows */
	CHECK_INT(core_out_open(path, 0600, 0, &o, &err), CORE_OK);
	CHECK_INT(core_out_commit(o, &err), CORE_OK);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	/* the usual mode follows the umask */
	CHECK_INT(core_out_open(path, CORE_OUT_MODE, 0, &o, &err), CORE_OK);
	CHECK_INT(core_out_commit(o, &err), CORE_OK);
	{
		mode_t um = umask(022);

		umask(um);
		CHECK(stat(path, &st) == 0 &&
		      (st.st_mode & 0777) == (0666 & ~um));
	}

	/* a directory that is not there: the error names the target */
	free(path);
	path = xasprintf("%s/nowhere/m.png", d);
	CHECK_INT(core_out_open(path, CORE_OUT_MODE, 0, &o, &err), CORE_EIO);
	CHECK_CONTAINS(err.msg, "cannot write ");
	CHECK_CONTAINS(err.msg, "/nowhere/m.png: no such file or directory");
cleanup:
	free(victim);
	free(path);
	free(d);
}

static void test_dir_temporary(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_out *o = NULL;
	char *d = fresh_dir("dirtmp");
	char *path = xasprintf("%s/r.gpkg", d), *side, *text;
	struct stat st;

	CHECK_INT(core_out_open(path, 0600, CORE_OUT_DIR, &o, &err), CORE_OK);
	if (!o)
		goto cleanup;
	/* the writer's file keeps the name (and extension) inside a
	 * private directory */
	CHECK_CONTAINS(core_out_tmp_path(o), "/.r.gpkg.assetmap-");
	CHECK_CONTAINS(core_out_tmp_path(o), "/r.gpkg");
	text = xstrdup(core_out_tmp_path(o));
	*strrchr(text, '/') = '\0';
	CHECK(stat(text, &st) == 0 && (st.st_mode & 0777) == 0700);
	free(text);
	put(core_out_tmp_path(o), "gpkg");
	side = xasprintf("%s-journal", core_out_tmp_path(o));
	put(side, "journal");
	free(side);
	CHECK_INT(core_out_commit(o, &err), CORE_OK);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_INT(temporaries(d), 0);

	/* abort removes the directory with what the writer left in it */
	CHECK_INT(core_out_open(path, CORE_OUT_MODE, CORE_OUT_DIR, &o, &err),
		  CORE_OK);
	put(core_out_tmp_path(o), "half");
	side = xasprintf("%s-wal", core_out_tmp_path(o));
	put(side, "wal");
	free(side);
	core_out_abort(o);
	CHECK_INT(temporaries(d), 0);
	text = test_slurp(path, NULL);
	CHECK_STR(text, "gpkg");
	free(text);

	/* no replacing: the target stays, the temporary goes */
	CHECK_INT(core_out_open(path, CORE_OUT_MODE,
				CORE_OUT_DIR | CORE_OUT_NOREPLACE, &o, &err),
		  CORE_OK);
	put(core_out_tmp_path(o), "other");
	CHECK_INT(core_out_commit(o, &err), CORE_EIO);
	CHECK_CONTAINS(err.msg, "file exists");
	text = test_slurp(path, NULL);
	CHECK_STR(text, "gpkg");
	free(text);
	CHECK_INT(temporaries(d), 0);
cleanup:
	free(path);
	free(d);
}

static void test_clean_stale(void)
{
	char *d = fresh_dir("stale");
	pid_t dead = dead_pid();
	char *p[6];
	size_t i;
	struct stat st;

	p[0] = xasprintf("%s/.m.png.assetmap-%ld-AbC123", d, (long)dead);
	p[1] = xasprintf("%s/.r.gpkg.assetmap-%ld-xYz789", d, (long)dead);
	p[2] =
	    xasprintf("%s/.live.png.assetmap-%ld-AbC123", d, (long)getppid());
	p[3] = xasprintf("%s/.m.png.tmp-%ld", d, (long)dead);
	p[4] = xasprintf("%s/m.png.assetmap-%ld-AbC123", d, (long)dead);
	p[5] = xasprintf("%s/.m.png.assetmap-%ld-AbC12", d, (long)dead);
	put(p[0], "stale");
	mkdir(p[1], 0700);
	{
		char *in = xasprintf("%s/r.gpkg", p[1]);
		char *j = xasprintf("%s/r.gpkg-journal", p[1]);

		put(in, "stale");
		put(j, "stale");
		free(in);
		free(j);
	}
	for (i = 2; i < 6; i++)
		put(p[i], "keep");
	CHECK_INT(core_out_clean_stale(d), 2);
	CHECK(lstat(p[0], &st) != 0);
	CHECK(lstat(p[1], &st) != 0);
	/* a live process's, another pattern, a near miss: kept */
	for (i = 2; i < 6; i++)
		CHECK(lstat(p[i], &st) == 0);
	for (i = 0; i < 6; i++)
		free(p[i]);
	free(d);
}

/* In a child: open a temporary, then be stopped by sig. */
static void test_signal_removes(void)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
	char *d = fresh_dir("signal");
	char *path = xasprintf("%s/b.pdf", d);
	size_t i;

	for (i = 0; i < 3; i++) {
		int status = 0;
		pid_t c = fork();

		if (c == 0) {
			struct core_err err = CORE_ERR_INIT;
			struct core_out *a, *b;

			if (core_out_open(path, CORE_OUT_MODE, 0, &a, &err) ||
			    core_out_open(path, CORE_OUT_MODE, CORE_OUT_DIR, &b,
					  &err))
				_exit(3);
			put(core_out_tmp_path(b), "half");
			fputs("half", core_out_stream(a));
			fflush(core_out_stream(a));
			if (temporaries(d) != 2)
				_exit(4);
			raise(sigs[i]);
			_exit(5);
		}
		waitpid(c, &status, 0);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sigs[i]);
		CHECK_INT(temporaries(d), 0);
	}
	free(path);
	free(d);
}

static void test_strerror(void)
{
	char b[256];
	struct rlimit old, rl;

	CHECK_STR(core_out_strerror(ENOSPC, b, sizeof(b)),
		  "the disk is full (no space left on device)");
	CHECK_STR(core_out_strerror(EACCES, b, sizeof(b)), "permission denied");
	CHECK_STR(core_out_strerror(EIO, b, sizeof(b)), "input/output error");
	if (getrlimit(RLIMIT_FSIZE, &old) == 0) {
		rl = old;
		rl.rlim_cur = 4096;
		CHECK(setrlimit(RLIMIT_FSIZE, &rl) == 0);
		CHECK_STR(core_out_strerror(EFBIG, b, sizeof(b)),
			  "file too large: the file-size limit (ulimit -f) is "
			  "4096 bytes");
		setrlimit(RLIMIT_FSIZE, &old);
	}
}

static const struct test tests[] = {
    TEST(test_check_workspace),
    TEST(test_write_commit_abort),
    TEST(test_dir_temporary),
    TEST(test_clean_stale),
    TEST(test_signal_removes),
    TEST(test_strerror),
    {0},
};

int main(void)
{
	/* as in a terminal: a run in the background of a script inherits
	 * SIGINT ignored, and a signal ignored stays ignored */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	return test_main("out", tests);
}
