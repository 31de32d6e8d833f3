/* libtestr: partition (being written). */
#ifndef TESTR_PARTITION_H
#define TESTR_PARTITION_H

#include <testr/common.h>

#endif
