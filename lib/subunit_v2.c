/* subunit_v2: being written. */
#include "config-build.h"
typedef int testr_subunit_v2_placeholder_;
