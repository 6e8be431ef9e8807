/*
 * core_err.h - the error that travels with the work.
 *
 * Every fallible function returns an int status, CORE_OK (0) on success,
 * and fills a caller-supplied struct core_err with a code and a message.
 * Messages are lower case, name the file, line and field, quote the bad
 * value and say what would be valid.  Only cli/ prints them.
 */
#ifndef CORE_ERR_H
#define CORE_ERR_H

enum core_code {
	CORE_OK = 0,
	CORE_EFAIL = 1,	    /* generic failure */
	CORE_EUSAGE = 2,    /* bad command line: exit code 2 */
	CORE_EIO = 3,	    /* cannot read or write a file */
	CORE_EFORMAT = 4,   /* input is not what it should be */
	CORE_EDB = 5,	    /* SQLite / SpatiaLite failed */
	CORE_ENOTWS = 6,    /* file is not an assetmap workspace */
	CORE_ESCHEMA = 7,   /* workspace schema is newer than this program */
	CORE_ENOTFOUND = 8, /* named thing does not exist */
	CORE_ELIB = 9	    /* GDAL / GEOS / PROJ / Cairo reported an error */
};

#define CORE_ERR_MSG_MAX 2048

struct core_err {
	int code;
	char msg[CORE_ERR_MSG_MAX];
};

#define CORE_ERR_INIT                                                          \
	{                                                                      \
		CORE_OK,                                                       \
		{                                                              \
			0                                                      \
		}                                                              \
	}

/* Set code and message (printf-style); returns code so callers can write
 * `return core_err_set(err, CORE_EFORMAT, "...")`.  err may be NULL. */
int core_err_set(struct core_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix the existing message with more context ("file x: " + old). */
int core_err_prefix(struct core_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void core_err_clear(struct core_err *err);

#endif
