/*
 * libtestr: loading .testr.conf.
 *
 * A .testr.conf is read in one of two syntaxes, detected per file:
 *
 *   - classic INI, read exactly as Python 3's configparser.ConfigParser reads
 *     it (strict mode, BasicInterpolation): a [DEFAULT] section, `key=value`
 *     or `key: value`, case-insensitive keys, indented continuation lines,
 *     `#`/`;` comment lines, `%(name)s` interpolation and `%%`.  As in
 *     testrepository only [DEFAULT] counts; other sections must parse but
 *     their options are ignored.  A file whose first line that is neither
 *     blank nor a comment (#, ; or //) is a `[section]` header is INI; an
 *     empty file is INI too.
 *   - libconfuse's own syntax (`test_command = "python -m subunit.run"`,
 *     `filter_tags = {a, b}`), parsed by libconfuse: top-level options play
 *     the role of [DEFAULT].  Note libconfuse expands ${VAR} from the
 *     environment inside double-quoted and bare strings; write the value in
 *     single quotes to keep ${VAR} for the shell.
 *
 * Both fill one option table that validates the values; group_regex is
 * compiled when the file is loaded.  Known options: test_command,
 * test_id_option, test_list_option, test_id_list_default,
 * test_run_concurrency, filter_tags, group_regex, instance_provision,
 * instance_execute, instance_dispose, and test_format (libtestr's own:
 * "subunit" or "tap", checked when loaded).  Other options are kept (and
 * logged as a warning).
 *
 * Known divergences from Python: a UTF-8 byte-order mark is skipped; keys are
 * lower-cased in ASCII only; a file that is not UTF-8 or holds NUL bytes is an
 * error naming the line.
 */
#ifndef TESTR_CONFIG_H
#define TESTR_CONFIG_H

#include <testr/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A loaded configuration: immutable once loaded, except that
 * testr_config_group_key() uses scratch space inside it, so one config must
 * not be used from two threads at once.
 */
struct testr_config;

/** Which syntax the file was written in. */
enum testr_config_syntax {
	TESTR_CONFIG_INI = 0,		/* Python ConfigParser INI */
	TESTR_CONFIG_CONFUSE = 1,	/* libconfuse syntax */
};

/**
 * Load the config file at @path.  On success *out owns the config (free it
 * with testr_config_free()); on failure *out is NULL and the error on @ctx
 * names the file, the line and the option, for example
 * ".testr.conf:4: group_regex: bad regex '(': missing closing parenthesis at
 * offset 1".  Returns 0; TESTR_ENOTFOUND when @path does not exist (message
 * "No .testr.conf config file", testrepository's wording); TESTR_EIO when it
 * cannot be read or is a directory; TESTR_EPARSE for a malformed file or a
 * value the option table rejects; TESTR_ENOMEM.
 */
TESTR_API int testr_config_load(struct testr_config **out,
				struct testr_context *ctx, const char *path);

/**
 * Load @dir/.testr.conf (@dir NULL means the current directory).  Same
 * returns as testr_config_load().
 */
TESTR_API int testr_config_load_dir(struct testr_config **out,
				    struct testr_context *ctx,
				    const char *dir);

/** Free @cfg; NULL is a no-op. */
TESTR_API void testr_config_free(struct testr_config *cfg);

/** The path the config was loaded from (owned by @cfg). */
TESTR_API const char *testr_config_path(const struct testr_config *cfg);

/** The syntax the file was detected as. */
TESTR_API enum testr_config_syntax
testr_config_syntax(const struct testr_config *cfg);

/**
 * The value of option @name (case-insensitive) as testrepository's
 * parser.get('DEFAULT', name) returns it (interpolated), or NULL when the
 * option is not set.  For a libconfuse list the elements are joined with
 * single spaces.  Owned by @cfg.
 */
TESTR_API const char *testr_config_get(const struct testr_config *cfg,
				       const char *name);

/**
 * The line where option @name was set, or 0 when it is not set or the line
 * is not known (libconfuse does not report it for every option).
 */
TESTR_API unsigned int testr_config_line(const struct testr_config *cfg,
					 const char *name);

/**
 * Enumerate every option set, known or not (in file order for INI; known
 * options first for libconfuse syntax): stores the
 * @index'th option's lower-case name and value in *out_name and *out_value
 * (owned by @cfg).  Returns 0, or TESTR_ENOTFOUND past the last option.
 */
TESTR_API int testr_config_option(const char **out_name,
				  const char **out_value,
				  const struct testr_config *cfg, size_t index);

/**
 * Append the filter_tags (the value split on whitespace, as
 * testrepository's get_filter_tags) to @out, sorted and without duplicates.
 * Appends nothing when the option is not set.  Returns 0 or TESTR_ENOMEM.
 */
TESTR_API int testr_config_filter_tags(struct testr_strv *out,
				       const struct testr_config *cfg);

/**
 * The group key of test @id under group_regex: when the regex matches at the
 * start of @id (Python re.match) with a non-empty match, sets *@out_key to
 * @id and *@out_len to the match length (the key is the first *@out_len
 * bytes of @id) and returns 1.  Otherwise (no group_regex, no match, empty
 * match, @cfg NULL) sets @id and strlen(@id) and returns 0: the id is its
 * own group, as in testrepository.  It is a testr_group_key_fn: pass it as
 * `.group_key = testr_config_group_key, .group_config = cfg`.
 */
TESTR_API int testr_config_group_key(const char **out_key, size_t *out_len,
				     const struct testr_config *cfg,
				     const char *id);

/* Defaults of the hook timeouts (seconds), used when the option is unset. */
#define TESTR_LIST_TIMEOUT_DEFAULT 600.0		/* test_list_timeout */
#define TESTR_CONCURRENCY_TIMEOUT_DEFAULT 60.0	/* test_run_concurrency_timeout */
#define TESTR_PROVISION_TIMEOUT_DEFAULT 900.0	/* instance_provision_timeout */
#define TESTR_DISPOSE_TIMEOUT_DEFAULT 300.0	/* instance_dispose_timeout */

/**
 * The number of seconds option @name (a timeout such as test_list_timeout,
 * checked at load to be a non-negative number) holds, or @fallback when it
 * is not set or is not a number.  0 means no limit; "auto" reads as -1.
 */
TESTR_API double testr_config_seconds(const struct testr_config *cfg,
				      const char *name, double fallback);

#ifdef __cplusplus
}
#endif

#endif /* TESTR_CONFIG_H */
