/* partition: being written. */
#include "config-build.h"
typedef int testr_partition_placeholder_;
