/* subunit: being written. */
#include "config-build.h"
typedef int testr_subunit_placeholder_;
