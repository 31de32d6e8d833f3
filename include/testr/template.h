/* libtestr: template (being written). */
#ifndef TESTR_TEMPLATE_H
#define TESTR_TEMPLATE_H

#include <testr/common.h>

#endif
