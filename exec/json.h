/*
 * A minimal JSON reader for testr-exec: the whole document into a tree.
 * Test lists from meson and ctest are small (a few MB at most), so a tree
 * is simpler than streaming.  Strings are UTF-8 with escapes decoded
 * (a \u0000 ends the string early: ids and commands cannot hold NUL).
 */
#ifndef TESTR_EXEC_JSON_H
#define TESTR_EXEC_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY,
		 JSON_OBJECT };

struct json {
	enum json_type type;
	bool boolean;
	double number;
	char *string;		/* JSON_STRING */
	char **keys;		/* JSON_OBJECT: keys[i] names items[i] */
	struct json **items;	/* JSON_ARRAY and JSON_OBJECT */
	size_t n;
};

/*
 * Parse @len bytes.  Returns the tree (free with json_free()) or NULL with
 * a message in @err: "line L: what".
 */
struct json *json_parse(const char *s, size_t len, char *err, size_t errlen);

void json_free(struct json *j);

/* The member @key of an object, or NULL (also when @j is not an object). */
const struct json *json_get(const struct json *j, const char *key);

/* The string, or NULL when @j is not a string. */
const char *json_str(const struct json *j);

#endif
