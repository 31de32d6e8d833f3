/* kv: a tiny string-to-integer map and a few string helpers, the library
 * under test of this check project. */
#ifndef KV_H
#define KV_H

#include <stddef.h>

struct kv;

struct kv *kv_new(void);
void kv_free(struct kv *kv);
int kv_set(struct kv *kv, const char *key, long value);
int kv_get(const struct kv *kv, const char *key, long *value);
int kv_del(struct kv *kv, const char *key);
size_t kv_count(const struct kv *kv);
int kv_save(const struct kv *kv, const char *path);
int kv_load(struct kv *kv, const char *path);

size_t str_trim(char *s);
int str_split(char **out, size_t max, char *s, char sep);
int str_to_long(const char *s, long *out);
void str_reverse(char *s);
int str_is_palindrome(const char *s);

#endif
