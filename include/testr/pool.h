/* libtestr: pool (being written). */
#ifndef TESTR_POOL_H
#define TESTR_POOL_H

#include <testr/common.h>

#endif
