#include "core/core_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int core_err_set(struct core_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int core_err_prefix(struct core_err *err, const char *fmt, ...)
{
	char old[CORE_ERR_MSG_MAX];
	size_t n;
	va_list ap;

	if (!err)
		return CORE_EFAIL;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	snprintf(err->msg + n, sizeof(err->msg) - n, "%s", old);
	return err->code ? err->code : CORE_EFAIL;
}

void core_err_clear(struct core_err *err)
{
	if (!err)
		return;
	err->code = CORE_OK;
	err->msg[0] = '\0';
}
