/* pool: being written. */
#include "config-build.h"
typedef int testr_pool_placeholder_;
