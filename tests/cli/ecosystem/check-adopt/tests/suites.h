#ifndef SUITES_H
#define SUITES_H

#include <check.h>

Suite *kv_suite(void);
Suite *str_suite(void);

#endif
