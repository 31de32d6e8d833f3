/* libtestr: the umbrella header.  Programs include only this. */
#ifndef TESTR_TESTR_H
#define TESTR_TESTR_H

#include <testr/common.h>
#include <testr/config.h>
#include <testr/template.h>
#include <testr/filter.h>
#include <testr/partition.h>
#include <testr/shard.h>
#include <testr/sched.h>
#include <testr/progress.h>
#include <testr/pool.h>
#include <testr/subunit.h>
#include <testr/repo.h>
#include <testr/durations.h>
#include <testr/run.h>
#include <testr/ingest.h>
#include <testr/report.h>
#include <testr/select.h>
#include <testr/history.h>
#include <testr/isolation.h>

#endif
