#include "kv.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kv {
	char **keys;
	long *values;
	size_t n, cap;
};

struct kv *
kv_new(void)
{
	return calloc(1, sizeof(struct kv));
}

void
kv_free(struct kv *kv)
{
	if (!kv)
		return;
	for (size_t i = 0; i < kv->n; i++)
		free(kv->keys[i]);
	free(kv->keys);
	free(kv->values);
	free(kv);
}

static long
kv_find(const struct kv *kv, const char *key)
{
	for (size_t i = 0; i < kv->n; i++)
		if (strcmp(kv->keys[i], key) == 0)
			return (long)i;
	return -1;
}

int
kv_set(struct kv *kv, const char *key, long value)
{
	long i = kv_find(kv, key);

	if (!*key || strchr(key, '='))
		return -1;
	if (i >= 0) {
		kv->values[i] = value;
		return 0;
	}
	if (kv->n == kv->cap) {
		size_t cap = kv->cap ? 2 * kv->cap : 8;
		char **keys = realloc(kv->keys, cap * sizeof(*keys));
		long *values;

		if (!keys)
			return -1;
		kv->keys = keys;
		values = realloc(kv->values, cap * sizeof(*values));
		if (!values)
			return -1;
		kv->values = values;
		kv->cap = cap;
	}
	if (!(kv->keys[kv->n] = strdup(key)))
		return -1;
	kv->values[kv->n++] = value;
	return 0;
}

int
kv_get(const struct kv *kv, const char *key, long *value)
{
	long i = kv_find(kv, key);

	if (i < 0)
		return -1;
	*value = kv->values[i];
	return 0;
}

int
kv_del(struct kv *kv, const char *key)
{
	long i = kv_find(kv, key);

	if (i < 0)
		return -1;
	free(kv->keys[i]);
	kv->n--;
	kv->keys[i] = kv->keys[kv->n];
	kv->values[i] = kv->values[kv->n];
	return 0;
}

size_t
kv_count(const struct kv *kv)
{
	return kv->n;
}

int
kv_save(const struct kv *kv, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (size_t i = 0; i < kv->n; i++)
		fprintf(f, "%s=%ld\n", kv->keys[i], kv->values[i]);
	return fclose(f) == 0 ? 0 : -1;
}

int
kv_load(struct kv *kv, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int rc = 0;

	if (!f)
		return -1;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');
		long v;

		line[strcspn(line, "\n")] = '\0';
		if (!eq) {
			rc = -1;
			break;
		}
		*eq = '\0';
		rc = str_to_long(eq + 1, &v) == 0 ? kv_set(kv, line, v) : -1;
	}
	fclose(f);
	return rc;
}

size_t
str_trim(char *s)
{
	size_t start = 0, len = strlen(s);

	while (start < len && isspace((unsigned char)s[start]))
		start++;
	while (len > start && isspace((unsigned char)s[len - 1]))
		len--;
	memmove(s, s + start, len - start);
	s[len - start] = '\0';
	return len - start;
}

int
str_split(char **out, size_t max, char *s, char sep)
{
	size_t n = 0;

	for (;;) {
		char *end = strchr(s, sep);

		if (n == max)
			return -1;
		out[n++] = s;
		if (!end)
			return (int)n;
		*end = '\0';
		s = end + 1;
	}
}

int
str_to_long(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}

void
str_reverse(char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n / 2; i++) {
		char c = s[i];

		s[i] = s[n - 1 - i];
		s[n - 1 - i] = c;
	}
}

int
str_is_palindrome(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n / 2; i++)
		if (s[i] != s[n - 1 - i])
			return 0;
	return 1;
}
