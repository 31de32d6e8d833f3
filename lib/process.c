/* process: being written. */
#include "config-build.h"
typedef int testr_process_placeholder_;
