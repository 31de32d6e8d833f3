/* With `pkg-config --cflags testr-check`, a test file's #include <check.h>
 * lands here: check's own header, then testr-check's recording macros, so
 * that every file building suites is seen without editing it. */
#ifndef TESTR_CHECK_SHIM_CHECK_H
#define TESTR_CHECK_SHIM_CHECK_H
/* #include_next is a GCC extension; -pedantic need not say so here. */
#pragma GCC system_header
#include_next <check.h>
#include <testr-check.h>
#endif
