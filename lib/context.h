/* Private: error and log helpers every module uses. */
#ifndef TESTR_LIB_CONTEXT_H
#define TESTR_LIB_CONTEXT_H

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>

#include <testr/common.h>

/*
 * Record a failure on @ctx and return @code, so callers can write
 * `return context_fail(ctx, TESTR_EPARSE, "%s:%u: ...", file, line);`.
 * @ctx may be NULL (the message is then dropped).  The message is also sent
 * to the log callback at TESTR_LOG_DEBUG.
 */
int context_fail(struct testr_context *ctx, int code, const char *fmt, ...)
	TESTR_PRINTF(3, 4);

/*
 * The one check of an options struct, whose first member is `unsigned
 * version`: @version points at it, or is NULL when the caller passed no
 * struct (its defaults; a function that needs one says so itself).  A
 * version outside 1..@known is TESTR_EINVAL, with a message naming the
 * struct (@name, as "testr_run_options").  Every public function that
 * takes options calls it before reading any other field.
 */
int options_check_version(struct testr_context *ctx, const unsigned *version,
			  const char *name, unsigned known);

/* options_check_version() of @opts (a pointer to a struct @type, or NULL). */
#define OPTIONS_CHECK(ctx, opts, type, known)				\
	options_check_version((ctx), (opts) ? &(opts)->version : NULL,	\
			      "struct " #type, (known))

/* Send one diagnostic to the log callback, if any wants @level. */
void context_log(struct testr_context *ctx, enum testr_log_level level,
	       const char *fmt, ...) TESTR_PRINTF(3, 4);

/* Does the log callback of @ctx want lines of @level (worth formatting)? */
bool log_wants(const struct testr_context *ctx, enum testr_log_level level);

void context_logv(struct testr_context *ctx, enum testr_log_level level,
		const char *fmt, va_list ap) TESTR_PRINTF(3, 0);

/* The flag testr_context_set_interrupt() installed, or NULL. */
const volatile sig_atomic_t *
context_interrupt_flag(const struct testr_context *ctx);

/* Has the interrupt flag of @ctx been raised? */
bool context_interrupted(const struct testr_context *ctx);

/* malloc'd printf; NULL on failure. */
char *str_printf(const char *fmt, ...) TESTR_PRINTF(1, 2);

#endif
