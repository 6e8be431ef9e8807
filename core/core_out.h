/*
 * core_out.h - writing an output file safely: never over the workspace
 * or an input, never through a planted link, never half-written.
 *
 * Every command that writes a file (map, --save-style, atlas, rainbow,
 * export, init) does two things through this module:
 *
 *   1. core_out_check: refuse an output that is the workspace (the same
 *      file, by device and inode, or the same path once links are
 *      resolved, its -wal, -shm and -journal files included) or one of
 *      the command's input files.
 *   2. core_out_open ... core_out_commit (or core_out_abort): write into a
 *      temporary beside the target, named .NAME.assetmap-PID-XXXXXX with
 *      six random characters, created with O_CREAT|O_EXCL|O_NOFOLLOW, and
 *      renamed over the target only when everything was written.
 *
 *   struct core_out *o;
 *   if (core_out_open(path, CORE_OUT_MODE, 0, &o, err)) return ...;
 *   fwrite(..., core_out_stream(o));
 *   rc = ok ? core_out_commit(o, err) : (core_out_abort(o), rc);
 *
 * Writers that only take a path (GDAL, SQLite) open with CORE_OUT_DIR:
 * the temporary is then a private (0700) directory of that name holding
 * NAME itself, so the file keeps its extension and its side files
 * (journals) stay inside; core_out_tmp_path is the path to give them.
 *
 * Live temporaries are removed when the process gets SIGINT, SIGTERM or
 * SIGHUP (the handler, installed by the first core_out_open, then lets
 * the signal do what it did before).  A kill -9 cannot be caught: the
 * next core_out_open in that directory removes temporaries of this
 * pattern whose process no longer exists and that belong to this user.
 *
 * The module keeps a small registry of live temporaries; it is meant to
 * be used from one thread.  Errors name the target, never the temporary.
 */
#ifndef CORE_OUT_H
#define CORE_OUT_H

#include <stdio.h>
#include <sys/types.h>

#include "core/core_err.h"

/* The usual mode of a new file, before the umask. */
#define CORE_OUT_MODE 0666

/* core_out_open flags. */
#define CORE_OUT_DIR	   1 /* a private directory holding the file */
#define CORE_OUT_NOREPLACE 2 /* commit fails if the target exists */

/* An input of a command: the option that named it and its path. */
struct core_out_input {
	const char *opt; /* "--style" */
	const char *path;
};

/*
 * Refuse to write path (given with option opt, e.g. "-o") when it is the
 * workspace ws_path (NULL: none) or its journal files, or one of the
 * ninputs inputs (the same file, or the same path once the directories'
 * links are resolved, so that two outputs not yet written are caught as
 * well).  Returns CORE_OK, or CORE_EUSAGE with err saying which file it
 * is ("-o ws.png is the workspace: ...").
 */
int core_out_check(const char *opt, const char *path, const char *ws_path,
		   const struct core_out_input *inputs, size_t ninputs,
		   struct core_err *err);

struct core_out;

/*
 * Start writing path.  mode is the most the file may get (CORE_OUT_MODE,
 * or 0600 for a private file); the umask applies as well.  First removes
 * stale temporaries of dead processes in path's directory.  On success
 * *out is the caller's until core_out_commit or core_out_abort.
 */
int core_out_open(const char *path, mode_t mode, int flags,
		  struct core_out **out, struct core_err *err);

/* The temporary's stream (not with CORE_OUT_DIR): o keeps it and closes
 * it in commit or abort. */
FILE *core_out_stream(struct core_out *o);

/* Where the writer writes: the temporary file (inside the temporary
 * directory with CORE_OUT_DIR).  Borrowed from o. */
const char *core_out_tmp_path(const struct core_out *o);

/* The target path.  Borrowed from o. */
const char *core_out_path(const struct core_out *o);

/*
 * Close the stream, give the file its mode, and rename the temporary
 * over the target.  On any failure the temporary is removed and err
 * names the target.  Frees o in every case.
 */
int core_out_commit(struct core_out *o, struct core_err *err);

/* Remove the temporary and free o (NULL is fine). */
void core_out_abort(struct core_out *o);

/*
 * Remove the temporaries in directory dir ("." for "") whose names have
 * this module's pattern, whose process is gone and that this user owns.
 * Returns how many were removed.
 */
int core_out_clean_stale(const char *dir);

/*
 * A lower-case text for a write error errnum, naming the real cause:
 * "the disk is full (no space left on device)", "file too large: the
 * file-size limit (ulimit -f) is N bytes", else strerror in lower case.
 * Written into buf (size n), which is returned.
 */
const char *core_out_strerror(int errnum, char *buf, size_t n);

#endif
