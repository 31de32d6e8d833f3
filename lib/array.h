/*
 * Private: room in a plain array that grows by doubling.  Every list the
 * library builds (ids, runs, records, rows) grows this one way.
 */
#ifndef TESTR_LIB_ARRAY_H
#define TESTR_LIB_ARRAY_H

#include <stddef.h>

/*
 * Make room for at least @need elements of @size bytes in the array whose
 * address is at @arrayp (a `T **`), capacity *@cap.  An empty array starts
 * at @first elements; each growth doubles.  Returns 0, or TESTR_ENOMEM with
 * the array and *@cap as they were.
 */
int array_reserve(void *arrayp, size_t *cap, size_t need, size_t size,
		  size_t first);

#endif
