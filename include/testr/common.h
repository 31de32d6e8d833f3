/* libtestr: shared types, error codes, the context and the log callback. */
#ifndef TESTR_COMMON_H
#define TESTR_COMMON_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(TESTR_STATIC)
#define TESTR_API __attribute__((visibility("default")))
#else
#define TESTR_API
#endif

#if defined(__GNUC__)
#define TESTR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TESTR_PRINTF(f, a)
#endif

/*
 * Every call that can fail returns an int: 0 (TESTR_OK) on success or one of
 * these negative codes.  The human-readable message for the most recent
 * failure is kept on the context (testr_context_error()).
 */
enum testr_error {
	TESTR_OK = 0,
	TESTR_ERROR = -1,	/* generic failure */
	TESTR_ENOMEM = -2,	/* out of memory */
	TESTR_EINVAL = -3,	/* bad argument or bad input value */
	TESTR_ENOTFOUND = -4,	/* file, option, run or id not present */
	TESTR_EIO = -5,		/* read/write/system call failed */
	TESTR_EPARSE = -6,	/* malformed config, template, regex or list */
	TESTR_ECORRUPT = -7,	/* malformed subunit stream or repository file */
	TESTR_EEXISTS = -8,	/* already exists (for example testr init twice) */
	TESTR_ELOCKED = -9,	/* lock could not be taken */
	TESTR_ECHILD = -10,	/* a child command failed */
	TESTR_EINTR = -11,	/* interrupted by a signal (Ctrl-C) */
	TESTR_EUNSUPPORTED = -12, /* format or feature we do not handle */
	TESTR_EABORT = -13,	/* a caller's callback asked to stop */
	TESTR_ETIMEDOUT = -14,	/* a command ran out of time (and was stopped) */
};

/** Static English name of an error code; never NULL. */
TESTR_API const char *testr_strerror(int code);

/** How serious a log line is; testr_context_set_log() picks the most verbose. */
enum testr_log_level {
	TESTR_LOG_ERROR = 0,
	TESTR_LOG_WARNING = 1,
	TESTR_LOG_INFO = 2,
	TESTR_LOG_DEBUG = 3,
};

/**
 * Receives one diagnostic line (no trailing newline).  @msg is only valid for
 * the duration of the call.
 */
typedef void (*testr_log_fn)(void *userdata, enum testr_log_level level,
			     const char *msg);

/**
 * The context carries the log callback and the last error message.  Every
 * object is created against one context; use one context per thread.
 */
struct testr_context;

/**
 * Create a context.  Logging goes nowhere until testr_context_set_log() is
 * called.  Returns 0 or TESTR_ENOMEM; the caller frees *out with
 * testr_context_free().
 */
TESTR_API int testr_context_new(struct testr_context **out);

/** Free a context.  NULL is a no-op.  Objects made with it must be freed first. */
TESTR_API void testr_context_free(struct testr_context *ctx);

/**
 * Have every wait of the library (child commands, the repository lock)
 * give up with TESTR_EINTR soon after *@flag becomes non-zero, as a
 * SIGINT/SIGTERM handler sets it; NULL: never.  @flag must outlive @ctx.
 */
TESTR_API void testr_context_set_interrupt(struct testr_context *ctx,
					   const volatile sig_atomic_t *flag);

/**
 * Install the log callback and the most verbose level it wants.  Passing NULL
 * for @fn silences logging.
 */
TESTR_API void testr_context_set_log(struct testr_context *ctx, testr_log_fn fn,
				     void *userdata,
				     enum testr_log_level max_level);

/**
 * The message of the most recent failure reported on @ctx, for example
 * ".testr.conf:3: group_regex: missing ) at offset 4".  Owned by the context,
 * valid until the next failing call; "" when there has been none.
 */
TESTR_API const char *testr_context_error(const struct testr_context *ctx);

/** Forget the last error message. */
TESTR_API void testr_context_clear_error(struct testr_context *ctx);

/**
 * A growable vector of NUL-terminated strings, owned by the vector.
 * Initialise with TESTR_STRV_INIT or testr_strv_init(), release with
 * testr_strv_dispose().
 */
struct testr_strv {
	char **v;
	size_t n;
	size_t cap;
};

#define TESTR_STRV_INIT { NULL, 0, 0 }

/** Make @sv empty without freeing anything (storage owned by the caller). */
TESTR_API void testr_strv_init(struct testr_strv *sv);

/** Free every string and the array; leaves @sv empty and reusable. */
TESTR_API void testr_strv_dispose(struct testr_strv *sv);

/** Append a copy of @s.  Returns 0 or TESTR_ENOMEM. */
TESTR_API int testr_strv_push(struct testr_strv *sv, const char *s);

/** Append a copy of the @len bytes at @s plus a NUL.  0 or TESTR_ENOMEM. */
TESTR_API int testr_strv_pushn(struct testr_strv *sv, const char *s, size_t len);

/**
 * The strings of @sv as a function that only reads a list takes them,
 * `const char *const *` with @sv->n as its count: pass
 * `testr_strv_items(&ids), ids.n` where C would otherwise need a cast (it
 * converts `char **` to `const char *const *` only by one).  Borrowed from
 * @sv: valid until @sv next changes; NULL while @sv has never held a string.
 */
TESTR_API const char *const *testr_strv_items(const struct testr_strv *sv);

/** Index of the first element equal to @s, or -1. Linear; for small vectors. */
TESTR_API long testr_strv_find(const struct testr_strv *sv, const char *s);

/** Sort ascending by strcmp() and drop duplicates. */
TESTR_API void testr_strv_sort_unique(struct testr_strv *sv);

/**
 * Render the @len bytes at @s (a test id, a path, any untrusted text) as one
 * safe line, as every libtestr error message does: in single quotes, with
 * newlines, tabs, control bytes, invalid UTF-8, quotes and backslashes
 * escaped (\n, \t, \xNN, \', \\), cut with "..." when it does not fit in
 * @size bytes.  Returns @buf, always NUL-terminated; @size must be >= 8.
 */
TESTR_API const char *testr_quote(char *buf, size_t size, const char *s,
				  size_t len);

/** Library version string, for example "0.1.0". */
TESTR_API const char *testr_version(void);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_COMMON_H */
