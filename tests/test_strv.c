/* Unit tests for lib/strv.c: the id vector. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "harness.h"

const char harness_module[] = "strv";

START_TEST(strv_push_copies_the_string)
{
	struct testr_strv sv = TESTR_STRV_INIT;
	char buf[] = "abc";

	ck_assert_int_eq(testr_strv_push(&sv, buf), 0);
	buf[0] = 'x';
	ck_assert_str_eq(sv.v[0], "abc");
	ck_assert_uint_eq(sv.n, 1);
	testr_strv_dispose(&sv);
	ck_assert_uint_eq(sv.n, 0);
	ck_assert_ptr_null(sv.v);
}
END_TEST

START_TEST(strv_pushn_stops_at_length_and_keeps_embedded_bytes)
{
	struct testr_strv sv = TESTR_STRV_INIT;

	ck_assert_int_eq(testr_strv_pushn(&sv, "hello world", 5), 0);
	ck_assert_str_eq(sv.v[0], "hello");
	testr_strv_dispose(&sv);
}
END_TEST

START_TEST(strv_grows_past_initial_capacity)
{
	struct testr_strv sv = TESTR_STRV_INIT;
	char id[32];

	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof(id), "test.%d", i);
		ck_assert_int_eq(testr_strv_push(&sv, id), 0);
	}
	ck_assert_uint_eq(sv.n, 1000);
	ck_assert_str_eq(sv.v[999], "test.999");
	ck_assert_int_eq(testr_strv_find(&sv, "test.500"), 500);
	ck_assert_int_eq(testr_strv_find(&sv, "test.1000"), -1);
	testr_strv_dispose(&sv);
}
END_TEST

START_TEST(strv_sort_unique_sorts_and_drops_duplicates)
{
	struct testr_strv sv = TESTR_STRV_INIT;
	const char *in[] = { "b", "a", "c", "a", "b" };

	for (size_t i = 0; i < 5; i++)
		testr_strv_push(&sv, in[i]);
	testr_strv_sort_unique(&sv);
	ck_assert_uint_eq(sv.n, 3);
	ck_assert_str_eq(sv.v[0], "a");
	ck_assert_str_eq(sv.v[1], "b");
	ck_assert_str_eq(sv.v[2], "c");
	testr_strv_dispose(&sv);
}
END_TEST

/* What a function that reads a list sees: the strv's own strings, in order,
 * through a pointer that is passed on without a cast. */
static size_t
total_length(const char *const *items, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += strlen(items[i]);
	return len;
}

START_TEST(strv_items_is_the_vector_read_only)
{
	struct testr_strv sv = TESTR_STRV_INIT;

	ck_assert_ptr_null(testr_strv_items(&sv));
	ck_assert_int_eq(testr_strv_push(&sv, "ab"), 0);
	ck_assert_int_eq(testr_strv_push(&sv, "cde"), 0);
	ck_assert_ptr_eq(testr_strv_items(&sv)[0], sv.v[0]);
	ck_assert_ptr_eq(testr_strv_items(&sv)[1], sv.v[1]);
	ck_assert_uint_eq(total_length(testr_strv_items(&sv), sv.n), 5);
	testr_strv_dispose(&sv);
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, strv_push_copies_the_string);
	HARNESS_ADD(h, strv_pushn_stops_at_length_and_keeps_embedded_bytes);
	HARNESS_ADD(h, strv_grows_past_initial_capacity);
	HARNESS_ADD(h, strv_sort_unique_sorts_and_drops_duplicates);
	HARNESS_ADD(h, strv_items_is_the_vector_read_only);
}
