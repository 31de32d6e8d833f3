/* libtestr: config (being written). */
#ifndef TESTR_CONFIG_H
#define TESTR_CONFIG_H

#include <testr/common.h>

#endif
