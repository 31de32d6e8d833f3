/* The context: last error message and the log callback. */
#include "config-build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"

/* Long enough for a file name, a line number and a quoted value. */
#define ERROR_MAX 1024

struct testr_context {
	testr_log_fn log_fn;
	void *log_userdata;
	enum testr_log_level log_level;
	char error[ERROR_MAX];
};

TESTR_API int
testr_context_new(struct testr_context **out)
{
	struct testr_context *ctx = calloc(1, sizeof(*ctx));

	*out = ctx;
	return ctx ? TESTR_OK : TESTR_ENOMEM;
}

TESTR_API void
testr_context_free(struct testr_context *ctx)
{
	free(ctx);
}

TESTR_API void
testr_context_set_log(struct testr_context *ctx, testr_log_fn fn,
		      void *userdata, enum testr_log_level max_level)
{
	ctx->log_fn = fn;
	ctx->log_userdata = userdata;
	ctx->log_level = max_level;
}

TESTR_API const char *
testr_context_error(const struct testr_context *ctx)
{
	return ctx ? ctx->error : "";
}

TESTR_API void
testr_context_clear_error(struct testr_context *ctx)
{
	if (ctx)
		ctx->error[0] = '\0';
}

void
testr_logv(struct testr_context *ctx, enum testr_log_level level,
	   const char *fmt, va_list ap)
{
	char msg[ERROR_MAX];

	if (!ctx || !ctx->log_fn || level > ctx->log_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	ctx->log_fn(ctx->log_userdata, level, msg);
}

void
testr_log(struct testr_context *ctx, enum testr_log_level level,
	  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	testr_logv(ctx, level, fmt, ap);
	va_end(ap);
}

int
testr_fail(struct testr_context *ctx, int code, const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return code;
	va_start(ap, fmt);
	vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
	va_end(ap);
	testr_log(ctx, TESTR_LOG_DEBUG, "error: %s", ctx->error);
	return code;
}

/* The escaped form of byte @c, or NULL when it stands for itself. */
static const char *
quote_escape(unsigned char c, char tmp[5])
{
	switch (c) {
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	case '\'': return "\\'";
	case '\\': return "\\\\";
	default: break;
	}
	if (c >= 0x20 && c != 0x7f)
		return NULL;
	snprintf(tmp, 5, "\\x%02x", c);
	return tmp;
}

const char *
testr_quote(char *buf, size_t size, const char *s, size_t len)
{
	size_t o = 0, room = size - 5;	/* closing quote, "...", NUL */
	char tmp[5], one[2] = { 0, 0 };

	buf[o++] = '\'';
	for (size_t i = 0; i < len; i++) {
		const char *e = quote_escape((unsigned char)s[i], tmp);
		size_t n;

		one[0] = s[i];
		e = e ? e : one;
		n = strlen(e);
		if (o + n > room) {
			/* Never end on half a UTF-8 sequence. */
			while (o > 1 && ((unsigned char)buf[o - 1] & 0xc0) == 0x80)
				o--;
			if (o > 1 && ((unsigned char)buf[o - 1] & 0xc0) == 0xc0)
				o--;
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(buf + o, e, n);
		o += n;
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	return buf;
}

char *
testr_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

TESTR_API const char *
testr_strerror(int code)
{
	switch (code) {
	case TESTR_OK: return "success";
	case TESTR_ERROR: return "error";
	case TESTR_ENOMEM: return "out of memory";
	case TESTR_EINVAL: return "invalid argument";
	case TESTR_ENOTFOUND: return "not found";
	case TESTR_EIO: return "input/output error";
	case TESTR_EPARSE: return "parse error";
	case TESTR_ECORRUPT: return "corrupt data";
	case TESTR_EEXISTS: return "already exists";
	case TESTR_ELOCKED: return "locked";
	case TESTR_ECHILD: return "child command failed";
	case TESTR_EINTR: return "interrupted";
	case TESTR_EUNSUPPORTED: return "unsupported";
	case TESTR_EABORT: return "aborted by callback";
	default: return "unknown error";
	}
}

TESTR_API const char *
testr_version(void)
{
	return TESTR_VERSION;
}
