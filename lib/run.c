/* run: being written. */
#include "config-build.h"
typedef int testr_run_placeholder_;
