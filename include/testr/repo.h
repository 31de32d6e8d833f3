/* libtestr: repo (being written). */
#ifndef TESTR_REPO_H
#define TESTR_REPO_H

#include <testr/common.h>

#endif
