/*
 * Private: what the run needs of a plan (struct testr_sched, lib/sched.c)
 * beyond the public accessors of <testr/sched.h>.  Not lib/sched.h: lib/
 * is on the include path, and that name would hide the system <sched.h>.
 */
#ifndef TESTR_LIB_SCHEDULE_H
#define TESTR_LIB_SCHEDULE_H

#include <stdbool.h>

#include <testr/sched.h>

/*
 * Was @s planned with no duration known at all?  Its batch seconds are
 * then a guess per test, not a measure.
 */
bool sched_blind(const struct testr_sched *s);

#endif
