/*
 * Test helpers shared by test_config.c and test_template.c: write files, and
 * ask Python (configparser, testrepository) what it makes of a config by
 * running tests/data/config/reference.py with /usr/bin/python3.
 */
#ifndef TESTR_TESTS_CONFIG_REFERENCE_H
#define TESTR_TESTS_CONFIG_REFERENCE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "harness.h"

#define REF_MAX 4096

/* What reference.py printed: "name<TAB>hex" lines, decoded. */
struct reference {
	char **name;
	char **value;
	size_t n;
};

static inline void
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "cannot create %s", path);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static inline char *
hex_decode(const char *hex)
{
	size_t n = strlen(hex) / 2;
	char *s = malloc(n + 1);

	for (size_t i = 0; i < n; i++) {
		unsigned int b;

		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &b), 1);
		s[i] = (char)b;
	}
	s[n] = '\0';
	return s;
}

static inline void
reference_add_line(struct reference *r, char *line)
{
	char *tab = strchr(line, '\t');

	line[strcspn(line, "\n")] = '\0';
	ck_assert_msg(tab != NULL, "reference.py printed '%s'", line);
	ck_assert_uint_lt(r->n, REF_MAX);
	*tab = '\0';
	r->name[r->n] = strdup(line);
	r->value[r->n] = hex_decode(tab + 1);
	r->n++;
}

static inline void
command_add_word(char **cmd, const char *word)
{
	char *q = NULL, *joined;
	size_t n;

	ck_assert_int_eq(testr_shell_quote(&q, word), 0);
	n = strlen(*cmd) + strlen(q) + 2;
	joined = malloc(n);
	snprintf(joined, n, "%s %s", *cmd, q);
	free(q);
	free(*cmd);
	*cmd = joined;
}

/* Run reference.py with @argv (NULL-terminated) and collect its output. */
static inline void
reference_run(struct reference *r, const char *const *argv)
{
	char *cmd = strdup("/usr/bin/python3"), *line = NULL;
	char script[4096];
	size_t cap = 0;
	FILE *p;

	r->n = 0;
	r->name = calloc(REF_MAX, sizeof(char *));
	r->value = calloc(REF_MAX, sizeof(char *));
	ck_assert_ptr_nonnull(harness_source_dir());
	snprintf(script, sizeof(script), "%s/tests/data/config/reference.py",
		 harness_source_dir());
	command_add_word(&cmd, script);
	for (size_t i = 0; argv[i]; i++)
		command_add_word(&cmd, argv[i]);
	p = popen(cmd, "r");
	ck_assert_msg(p != NULL, "cannot run %s", cmd);
	while (getline(&line, &cap, p) > 0)
		reference_add_line(r, line);
	ck_assert_msg(pclose(p) == 0, "%.200s... failed", cmd);
	free(line);
	free(cmd);
}

/* The first value reference.py printed under @name, or NULL. */
static inline const char *
reference_get(const struct reference *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->name[i], name) == 0)
			return r->value[i];
	return NULL;
}

/*
 * The group of lines that starts at *from with a @marker line whose value
 * is @key: checks that line, moves *from past it and returns the group's end
 * (the next @marker line, or the end of the output).
 */
static inline size_t
reference_group(const struct reference *r, size_t *from, const char *marker,
		const char *key)
{
	size_t k;

	ck_assert(*from < r->n && strcmp(r->name[*from], marker) == 0);
	ck_assert_str_eq(r->value[*from], key);
	for (k = ++*from; k < r->n && strcmp(r->name[k], marker) != 0; k++)
		;
	return k;
}

static inline void
reference_dispose(struct reference *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->name[i]);
		free(r->value[i]);
	}
	free(r->name);
	free(r->value);
	r->n = 0;
}

#endif
