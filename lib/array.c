/* Room in a plain array that grows by doubling. */
#include "config-build.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <testr/common.h>

#include "array.h"

int
array_reserve(void *arrayp, size_t *cap, size_t need, size_t size,
	      size_t first)
{
	size_t n = *cap ? *cap : (first ? first : 1);
	void *old, *v;

	if (need <= *cap)
		return TESTR_OK;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return TESTR_ENOMEM;
		n *= 2;
	}
	if (n > SIZE_MAX / size)
		return TESTR_ENOMEM;
	/* arrayp holds a T *: copied, not cast, so any T works. */
	memcpy(&old, arrayp, sizeof(old));
	if (!(v = realloc(old, n * size)))
		return TESTR_ENOMEM;
	memcpy(arrayp, &v, sizeof(v));
	*cap = n;
	return TESTR_OK;
}
