/* filter: being written. */
#include "config-build.h"
typedef int testr_filter_placeholder_;
