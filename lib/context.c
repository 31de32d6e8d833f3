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
	const volatile sig_atomic_t *interrupt;
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

/*
 * How many bytes at @s (@n left) stand for themselves in a message: a
 * printable ASCII byte, or a whole valid UTF-8 sequence that is not a C1
 * control (which a terminal may act on).  0: escape the byte at @s.
 */
static size_t
printable_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned int cp;

	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong, surrogate, beyond Unicode, or C1. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || cp < 0xa0)
		return 0;
	return len;
}

/* The escape for a byte that cannot stand for itself; @quoting adds the
 * quote and the backslash, so that testr_quote()'s output reads back. */
static const char *
escape_byte(unsigned char c, bool quoting, char tmp[5])
{
	switch (c) {
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	case '\'': return quoting ? "\\'" : NULL;
	case '\\': return quoting ? "\\\\" : NULL;
	default: break;
	}
	snprintf(tmp, 5, "\\x%02x", c);
	return tmp;
}

/*
 * Escape @s (@len bytes) into @buf of @size: control bytes, invalid UTF-8
 * and C1 controls as \n, \t, \xNN, so a message is one safe line.  Cut with
 * "..." (never inside a UTF-8 sequence) when it does not fit.  Returns the
 * length written; @buf is NUL-terminated.
 */
static size_t
escape_into(char *buf, size_t size, const char *s, size_t len, bool quoting)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, room = size - 5;	/* a closing quote, "...", NUL */
	char tmp[5];

	for (size_t i = 0; i < len;) {
		size_t n = printable_len(u + i, len - i);
		const char *e = n && !(quoting && (s[i] == '\'' || s[i] == '\\'))
			? NULL : escape_byte(u[i], quoting, tmp);

		if (e)
			n = strlen(e);
		if (o + n > room) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(buf + o, e ? e : s + i, n);
		o += n;
		i += e ? 1 : n;
	}
	buf[o] = '\0';
	return o;
}

bool
log_wants(const struct testr_context *ctx, enum testr_log_level level)
{
	return ctx && ctx->log_fn && level <= ctx->log_level;
}

void
context_logv(struct testr_context *ctx, enum testr_log_level level,
	   const char *fmt, va_list ap)
{
	char raw[ERROR_MAX], msg[ERROR_MAX];

	if (!ctx || !ctx->log_fn || level > ctx->log_level)
		return;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	escape_into(msg, sizeof(msg), raw, strlen(raw), false);
	ctx->log_fn(ctx->log_userdata, level, msg);
}

void
context_log(struct testr_context *ctx, enum testr_log_level level,
	  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	context_logv(ctx, level, fmt, ap);
	va_end(ap);
}

int
context_fail(struct testr_context *ctx, int code, const char *fmt, ...)
{
	char raw[ERROR_MAX];
	va_list ap;

	if (!ctx)
		return code;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* Whatever the values held, the message is one printable line. */
	escape_into(ctx->error, sizeof(ctx->error), raw, strlen(raw), false);
	context_log(ctx, TESTR_LOG_DEBUG, "error: %s", ctx->error);
	return code;
}

int
options_copy(struct testr_context *ctx, void *dst, size_t size,
	     const void *src, const char *name, const size_t *sizes,
	     unsigned known)
{
	unsigned version;

	if (!src)
		return TESTR_OK;
	memcpy(&version, src, sizeof(version));
	/* A newer caller's struct may be larger than ours: never guess. */
	if (version < 1 || version > known)
		return context_fail(ctx, TESTR_EINVAL, "%s: version %u is not "
				  "one this libtestr knows (1 to %u); "
				  "initialise it with its _OPTIONS_INIT macro",
				  name, version, known);
	memcpy(dst, src, sizes[version - 1] < size ? sizes[version - 1] : size);
	return TESTR_OK;
}

TESTR_API const char *
testr_quote(char *buf, size_t size, const char *s, size_t len)
{
	size_t o;

	buf[0] = '\'';
	o = 1 + escape_into(buf + 1, size - 1, s, len, true);
	buf[o++] = '\'';
	buf[o] = '\0';
	return buf;
}

char *
str_printf(const char *fmt, ...)
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
	case TESTR_ETIMEDOUT: return "timed out";
	default: return "unknown error";
	}
}

TESTR_API const char *
testr_version(void)
{
	return TESTR_VERSION;
}

TESTR_API void
testr_context_set_interrupt(struct testr_context *ctx,
			    const volatile sig_atomic_t *flag)
{
	if (ctx)
		ctx->interrupt = flag;
}

const volatile sig_atomic_t *
context_interrupt_flag(const struct testr_context *ctx)
{
	return ctx ? ctx->interrupt : NULL;
}

bool
context_interrupted(const struct testr_context *ctx)
{
	return ctx && ctx->interrupt && *ctx->interrupt;
}
