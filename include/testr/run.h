/* libtestr: run (being written). */
#ifndef TESTR_RUN_H
#define TESTR_RUN_H

#include <testr/common.h>

#endif
