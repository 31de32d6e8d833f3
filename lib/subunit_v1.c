/* subunit_v1: being written. */
#include "config-build.h"
typedef int testr_subunit_v1_placeholder_;
