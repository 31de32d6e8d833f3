/* The test program: every suite in one runner. */
#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	int number_failed;
	SRunner *sr;

	sr = srunner_create(kv_suite());
	srunner_add_suite(sr, str_suite());
	srunner_run_all(sr, CK_NORMAL);
	number_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return number_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
