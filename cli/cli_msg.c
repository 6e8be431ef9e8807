/*
 * cli_msg.c - what a command says besides its results: usage errors,
 * notes and warnings on stderr.  See cli.h.
 */
#include <stdarg.h>
#include <stdio.h>

#include "cli/cli.h"

int cli_usage(struct cli_ctx *ctx, const char *cmd, const char *fmt, ...)
{
	char msg[CORE_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return core_err_set(&ctx->err, CORE_EUSAGE,
			    "%s: %s\n(see 'assetmap help %s')", cmd, msg, cmd);
}

void cli_note(struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("assetmap: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
