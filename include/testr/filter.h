/* libtestr: filter (being written). */
#ifndef TESTR_FILTER_H
#define TESTR_FILTER_H

#include <testr/common.h>

#endif
