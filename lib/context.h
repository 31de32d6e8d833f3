/* Private: error and log helpers every module uses. */
#ifndef TESTR_LIB_CONTEXT_H
#define TESTR_LIB_CONTEXT_H

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

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
 * The one way a public function takes an options struct, whose first
 * member is `unsigned version`.  A caller built against an older header
 * passes a smaller struct, so the struct is never read whole: @dst (the
 * library's own struct of @size bytes, already holding the defaults, as
 * from its _INIT macro) gets the first @sizes[version - 1] bytes of @src
 * and keeps its defaults for the fields that version lacks.  @src NULL
 * leaves the defaults (a function that needs options says so itself).  A
 * version outside 1..@known is TESTR_EINVAL, with a message naming the
 * struct (@name, as "struct testr_run_options"), and @dst untouched.
 */
int options_copy(struct testr_context *ctx, void *dst, size_t size,
		 const void *src, const char *name, const size_t *sizes,
		 unsigned known);

/* The bytes of a version of struct @type whose last field is @last. */
#define OPTIONS_END(type, last)						\
	(offsetof(struct type, last) + sizeof(((struct type *)0)->last))

/*
 * options_copy() of @src (a const struct @type *, or NULL) into @dst (a
 * struct @type *).  @sizes is the struct's table of OPTIONS_END() per
 * version, oldest first: appending a field means appending a version to
 * it, and a version missing from it is refused, never guessed.
 */
#define OPTIONS_COPY(ctx, dst, src, type, sizes)			\
	options_copy((ctx), (struct type *){ (dst) }, sizeof(struct type), \
		     (const struct type *){ (src) }, "struct " #type,	\
		     (sizes), (unsigned)(sizeof(sizes) / sizeof((sizes)[0])))

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
