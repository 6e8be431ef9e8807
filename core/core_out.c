/*
 * core_out.c - output checks and temporaries that cannot be hijacked,
 * removed on failure, on a signal, or by the next run after a kill.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_out.h"

/* What every temporary's name holds after ".NAME": the pattern the
 * stale-temporary cleaner recognises. */
#define TAG	 ".assetmap-"
#define RAND_LEN 6
/* The part of NAME kept in a temporary's name, so that it fits NAME_MAX. */
#define NAME_KEEP 200

static const char *const side_files[] = {"-journal", "-wal", "-shm"};

/* ---------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------ */

const char *core_out_strerror(int errnum, char *buf, size_t n)
{
	struct rlimit rl;

	if (errnum == ENOSPC) {
		snprintf(buf, n, "the disk is full (no space left on device)");
	} else if (errnum == EDQUOT) {
		snprintf(buf, n, "the disk quota is exceeded");
	} else if (errnum == EFBIG) {
		if (getrlimit(RLIMIT_FSIZE, &rl) == 0 &&
		    rl.rlim_cur != RLIM_INFINITY)
			snprintf(buf, n,
				 "file too large: the file-size limit (ulimit "
				 "-f) is %llu bytes",
				 (unsigned long long)rl.rlim_cur);
		else
			snprintf(buf, n, "file too large");
	} else {
		snprintf(buf, n, "%s", strerror(errnum));
		/* "Permission denied" -> "permission denied"; "I/O error"
		 * stays as it is. */
		if (buf[0] >= 'A' && buf[0] <= 'Z' &&
		    (buf[1] < 'A' || buf[1] > 'Z'))
			buf[0] = (char)(buf[0] - 'A' + 'a');
	}
	return buf;
}

static int io_err(struct core_err *err, const char *path, int errnum)
{
	char b[256];

	return core_err_set(
	    err, CORE_EIO, "cannot write %s: %s", path,
	    core_out_strerror(errnum ? errnum : EIO, b, sizeof(b)));
}

/* ---------------------------------------------------------------------
 * Paths
 * ------------------------------------------------------------------ */

/* path's directory ("." when it has none) and last component. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The absolute path path would be written at: its directory resolved,
 * its own name kept (a link there is replaced, not followed, when the
 * file is renamed into place).  NULL when the directory is not there. */
static char *resolved(const char *path)
{
	char *dir = dir_of(path), *rd = realpath(dir, NULL), *r = NULL;

	if (rd)
		r = xasprintf("%s%s%s", rd, strcmp(rd, "/") ? "/" : "",
			      base_of(path));
	free(rd);
	free(dir);
	return r;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int core_out_check(const char *opt, const char *path, const char *ws_path,
		   const struct core_out_input *inputs, size_t ninputs,
		   struct core_err *err)
{
	static const char destroy[] =
	    "writing it would destroy the workspace; give another file name";
	struct stat ps, ls, ws;
	int exists = stat(path, &ps) == 0;
	int is_link = lstat(path, &ls) == 0 && S_ISLNK(ls.st_mode);
	char *rp = NULL, *rw = NULL;
	size_t i;
	int rc = CORE_OK;

	if (ws_path && exists && stat(ws_path, &ws) == 0 &&
	    same_file(&ps, &ws)) {
		if (strcmp(path, ws_path) == 0)
			rc = core_err_set(err, CORE_EUSAGE,
					  "%s %s is the workspace: %s", opt,
					  path, destroy);
		else if (is_link)
			rc = core_err_set(
			    err, CORE_EUSAGE,
			    "%s %s is a link to the workspace %s: %s", opt,
			    path, ws_path, destroy);
		else
			rc = core_err_set(
			    err, CORE_EUSAGE,
			    "%s %s is the workspace %s under another name: %s",
			    opt, path, ws_path, destroy);
		goto cleanup;
	}
	if (ws_path && (rp = resolved(path)) &&
	    (rw = realpath(ws_path, NULL))) {
		size_t n = strlen(rw);

		if (strcmp(rp, rw) == 0) {
			rc = core_err_set(err, CORE_EUSAGE,
					  "%s %s is the workspace %s: %s", opt,
					  path, ws_path, destroy);
			goto cleanup;
		}
		for (i = 0; i < sizeof(side_files) / sizeof(*side_files); i++)
			if (strncmp(rp, rw, n) == 0 &&
			    strcmp(rp + n, side_files[i]) == 0) {
				rc = core_err_set(
				    err, CORE_EUSAGE,
				    "%s %s is the workspace's %s file: %s", opt,
				    path, side_files[i] + 1, destroy);
				goto cleanup;
			}
	}
	for (i = 0; i < ninputs; i++) {
		struct stat is;
		char *ri;
		int same;

		if (!inputs[i].path)
			continue;
		same = exists && stat(inputs[i].path, &is) == 0 &&
		       same_file(&ps, &is);
		if (!same && (rp || (rp = resolved(path))) &&
		    (ri = resolved(inputs[i].path))) {
			same = strcmp(rp, ri) == 0;
			free(ri);
		}
		if (same) {
			rc = core_err_set(err, CORE_EUSAGE,
					  "%s %s is the file given to %s (%s): "
					  "give another file name",
					  opt, path, inputs[i].opt,
					  inputs[i].path);
			goto cleanup;
		}
	}
cleanup:
	free(rp);
	free(rw);
	return rc;
}

/* ---------------------------------------------------------------------
 * The registry of live temporaries and the signal handler
 * ------------------------------------------------------------------ */

#define SLOTS	   16
#define SLOT_NAMES 4

struct slot {
	volatile sig_atomic_t live;
	char *names[SLOT_NAMES]; /* unlinked in order */
	char *dir;		 /* then removed, when not NULL */
};

static struct slot slots[SLOTS];

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
#define NCAUGHT (sizeof(caught) / sizeof(*caught))
static struct sigaction before[NCAUGHT];
static int installed;

/* Only async-signal-safe calls: unlink, rmdir, sigaction, raise. */
static void on_signal(int sig)
{
	int saved = errno;
	size_t i, k;

	for (i = 0; i < SLOTS; i++) {
		if (!slots[i].live)
			continue;
		for (k = 0; k < SLOT_NAMES; k++)
			if (slots[i].names[k])
				unlink(slots[i].names[k]);
		if (slots[i].dir)
			rmdir(slots[i].dir);
		slots[i].live = 0;
	}
	for (k = 0; k < NCAUGHT; k++)
		if (caught[k] == sig) {
			/* Do what the signal did before: die, as a rule. */
			sigaction(sig, &before[k], NULL);
			raise(sig);
		}
	errno = saved;
}

static void install(void)
{
	struct sigaction sa;
	size_t k;

	if (installed)
		return;
	installed = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (k = 0; k < NCAUGHT; k++)
		sigaddset(&sa.sa_mask, caught[k]);
	for (k = 0; k < NCAUGHT; k++) {
		if (sigaction(caught[k], NULL, &before[k]) != 0)
			continue;
		/* nohup and friends ignore it: leave that alone */
		if (before[k].sa_handler == SIG_IGN)
			continue;
		sigaction(caught[k], &sa, NULL);
	}
}

/* A slot for a temporary, or -1 when all are taken (then only the next
 * run's cleaning removes it after a signal). */
static int slot_add(char *const *names, size_t n, const char *dir)
{
	int i;
	size_t k;

	for (i = 0; i < SLOTS; i++) {
		if (slots[i].live)
			continue;
		for (k = 0; k < SLOT_NAMES; k++)
			slots[i].names[k] = k < n ? xstrdup(names[k]) : NULL;
		slots[i].dir = xstrdup_or_null(dir);
		/* the names are complete before the handler may see them */
		atomic_signal_fence(memory_order_seq_cst);
		slots[i].live = 1;
		return i;
	}
	return -1;
}

static void slot_drop(int i)
{
	size_t k;

	if (i < 0)
		return;
	slots[i].live = 0;
	atomic_signal_fence(memory_order_seq_cst);
	for (k = 0; k < SLOT_NAMES; k++) {
		free(slots[i].names[k]);
		slots[i].names[k] = NULL;
	}
	free(slots[i].dir);
	slots[i].dir = NULL;
}

/* ---------------------------------------------------------------------
 * Stale temporaries
 * ------------------------------------------------------------------ */

/* The pid in a temporary's name ".NAME.assetmap-PID-XXXXXX", or 0 when
 * name does not have that pattern. */
static pid_t tmp_pid(const char *name)
{
	const char *tag = NULL, *p, *q;
	long pid = 0;
	size_t k;

	if (name[0] != '.')
		return 0;
	for (p = name; (p = strstr(p, TAG)); p++)
		tag = p;
	if (!tag || tag == name)
		return 0;
	p = tag + strlen(TAG);
	for (q = p; *q >= '0' && *q <= '9' && q - p < 10; q++)
		pid = pid * 10 + (*q - '0');
	if (q == p || *q != '-' || pid <= 0)
		return 0;
	q++;
	for (k = 0; k < RAND_LEN; k++) {
		char c = q[k];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return 0;
	}
	return q[RAND_LEN] ? 0 : (pid_t)pid;
}

/* Remove a temporary directory's files, then the directory. */
static int remove_tmp_dir(int dirfd, const char *name)
{
	int fd = openat(dirfd, name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;
	struct dirent *e;

	if (fd < 0)
		return -1;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(fd, e->d_name, 0);
	closedir(d);
	return unlinkat(dirfd, name, AT_REMOVEDIR);
}

int core_out_clean_stale(const char *dir)
{
	DIR *d = opendir(dir && *dir ? dir : ".");
	struct dirent *e;
	struct stat st;
	int removed = 0, dfd;

	if (!d)
		return 0;
	dfd = dirfd(d);
	while ((e = readdir(d))) {
		pid_t pid = tmp_pid(e->d_name);

		if (!pid || pid == getpid())
			continue;
		/* alive, or someone else's (EPERM): not ours to remove */
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    st.st_uid != geteuid())
			continue;
		if (S_ISDIR(st.st_mode) ? remove_tmp_dir(dfd, e->d_name) == 0
					: unlinkat(dfd, e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

/* ---------------------------------------------------------------------
 * Temporaries
 * ------------------------------------------------------------------ */

struct core_out {
	char *path;    /* the target */
	char *tmp;     /* the temporary file */
	char *tmp_dir; /* with CORE_OUT_DIR: the temporary directory */
	FILE *fp;
	mode_t mode;
	int flags;
	int slot;
};

static void random_name(char *s)
{
	static const char set[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[RAND_LEN];
	size_t k;

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		/* no entropy yet: O_EXCL still makes the name ours */
		struct timespec ts;
		unsigned long x;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16);
		for (k = 0; k < RAND_LEN; k++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			r[k] = (unsigned char)(x >> 33);
		}
	}
	for (k = 0; k < RAND_LEN; k++)
		s[k] = set[r[k] % (sizeof(set) - 1)];
	s[RAND_LEN] = '\0';
}

static void out_free(struct core_out *o)
{
	if (!o)
		return;
	slot_drop(o->slot);
	free(o->path);
	free(o->tmp);
	free(o->tmp_dir);
	free(o);
}

/* Remove everything o made.  The stream must be closed. */
static void out_remove(struct core_out *o)
{
	if (o->tmp_dir)
		/* the writer's file and whatever else it made beside it */
		remove_tmp_dir(AT_FDCWD, o->tmp_dir);
	else
		unlink(o->tmp);
}

int core_out_open(const char *path, mode_t mode, int flags,
		  struct core_out **out, struct core_err *err)
{
	struct core_out *o = xcalloc(1, sizeof(*o));
	char *dir = dir_of(path), *name = NULL;
	const char *base = base_of(path);
	char r[RAND_LEN + 1];
	int fd = -1, tries, rc = CORE_OK;

	*out = NULL;
	o->slot = -1;
	o->mode = mode;
	o->flags = flags;
	o->path = xstrdup(path);
	if (!*base) {
		rc = core_err_set(
		    err, CORE_EIO,
		    "cannot write %s: it names a directory, not a file", path);
		goto cleanup;
	}
	core_out_clean_stale(dir);
	install();
	for (tries = 0; tries < 100; tries++) {
		random_name(r);
		free(name);
		name = xasprintf(
		    "%s%s.%.*s" TAG "%ld-%s", strchr(path, '/') ? dir : "",
		    strchr(path, '/') && strcmp(dir, "/") ? "/" : "", NAME_KEEP,
		    base, (long)getpid(), r);
		if (flags & CORE_OUT_DIR) {
			if (mkdir(name, 0700) == 0)
				break;
		} else {
			fd = open(name,
				  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				      O_CLOEXEC,
				  mode);
			if (fd >= 0)
				break;
		}
		if (errno != EEXIST) {
			rc = io_err(err, path, errno);
			goto cleanup;
		}
	}
	if (tries == 100) {
		rc = io_err(err, path, EEXIST);
		goto cleanup;
	}
	if (flags & CORE_OUT_DIR) {
		char *names[SLOT_NAMES];
		size_t k;

		o->tmp_dir = name;
		name = NULL;
		o->tmp = xasprintf("%s/%s", o->tmp_dir, base);
		names[0] = o->tmp;
		for (k = 0; k < 3; k++)
			names[k + 1] = xasprintf("%s%s", o->tmp, side_files[k]);
		o->slot = slot_add(names, SLOT_NAMES, o->tmp_dir);
		for (k = 0; k < 3; k++)
			free(names[k + 1]);
	} else {
		o->tmp = name;
		name = NULL;
		o->slot = slot_add(&o->tmp, 1, NULL);
		if (!(o->fp = fdopen(fd, "wb"))) {
			rc = io_err(err, path, errno);
			close(fd);
			out_remove(o);
			goto cleanup;
		}
	}
	*out = o;
	o = NULL;
cleanup:
	out_free(o);
	free(name);
	free(dir);
	return rc;
}

FILE *core_out_stream(struct core_out *o)
{
	return o->fp;
}

const char *core_out_tmp_path(const struct core_out *o)
{
	return o->tmp;
}

const char *core_out_path(const struct core_out *o)
{
	return o->path;
}

/* Rename without replacing an existing target. */
static int rename_noreplace(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* a file system without it: link fails when the target exists */
	if (link(from, to) != 0)
		return -1;
	unlink(from);
	return 0;
}

int core_out_commit(struct core_out *o, struct core_err *err)
{
	struct stat st;
	int rc = CORE_OK, e;

	if (o->fp) {
		FILE *fp = o->fp;

		o->fp = NULL;
		errno = 0;
		if (fflush(fp) != 0 || ferror(fp)) {
			e = errno;
			fclose(fp);
			rc = io_err(err, o->path, e);
		} else if (fclose(fp) != 0) {
			rc = io_err(err, o->path, errno);
		}
		if (rc)
			goto cleanup;
	}
	/* A file made by another writer inside our directory: at most the
	 * mode asked for. */
	if (o->tmp_dir && (o->mode & 07777) != CORE_OUT_MODE) {
		if (stat(o->tmp, &st) != 0 ||
		    chmod(o->tmp, st.st_mode & o->mode & 07777) != 0) {
			rc = io_err(err, o->path, errno);
			goto cleanup;
		}
	}
	if ((o->flags & CORE_OUT_NOREPLACE) ? rename_noreplace(o->tmp, o->path)
					    : rename(o->tmp, o->path)) {
		rc = io_err(err, o->path, errno);
		goto cleanup;
	}
cleanup:
	if (rc)
		out_remove(o);
	else if (o->tmp_dir)
		out_remove(o); /* the side files and the directory */
	out_free(o);
	return rc;
}

void core_out_abort(struct core_out *o)
{
	if (!o)
		return;
	if (o->fp) {
		fclose(o->fp);
		o->fp = NULL;
	}
	out_remove(o);
	out_free(o);
}
