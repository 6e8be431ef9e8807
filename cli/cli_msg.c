/*
 * cli_msg.c - what a command says besides its results: usage errors,
 * notes and warnings on stderr.  See cli.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The kinds seen since the last flush: the kind's words, whether its
 * messages are warnings, and how many were not printed. */
#define KINDS_MAX 32
static struct {
	char *kind;
	int warn;
	size_t hidden;
} kinds[KINDS_MAX];
static size_t nkinds;

/* Print the message (fmt, ap) of kind, or count it; see cli.h. */
static void kind_msg(struct cli_ctx *ctx, int warn, const char *kind,
		     const char *fmt, va_list ap)
{
	size_t i;

	for (i = 0; i < nkinds; i++)
		if (kinds[i].warn == warn && strcmp(kinds[i].kind, kind) == 0)
			break;
	if (i < nkinds && !ctx->verbose) {
		kinds[i].hidden++;
		return;
	}
	if (i == nkinds && nkinds < KINDS_MAX) {
		size_t n = strlen(kind) + 1;

		kinds[nkinds].kind = malloc(n);
		if (kinds[nkinds].kind) {
			memcpy(kinds[nkinds].kind, kind, n);
			kinds[nkinds].warn = warn;
			kinds[nkinds].hidden = 0;
			nkinds++;
		}
	}
	if (warn) {
		fputs("assetmap: warning: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else if (!ctx->quiet) {
		vfprintf(stderr, fmt, ap);
	}
}

void cli_note_kind(struct cli_ctx *ctx, const char *kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kind_msg(ctx, 0, kind, fmt, ap);
	va_end(ap);
}

void cli_warn_kind(struct cli_ctx *ctx, const char *kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kind_msg(ctx, 1, kind, fmt, ap);
	va_end(ap);
}

void cli_kind_flush(struct cli_ctx *ctx)
{
	size_t i;

	for (i = 0; i < nkinds; i++) {
		if (kinds[i].hidden && kinds[i].warn)
			cli_warn("and %zu more %s (--verbose lists them)",
				 kinds[i].hidden, kinds[i].kind);
		else if (kinds[i].hidden)
			cli_note(ctx,
				 "and %zu more %s (--verbose lists them)\n",
				 kinds[i].hidden, kinds[i].kind);
		free(kinds[i].kind);
	}
	nkinds = 0;
}
