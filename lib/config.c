/* config: being written. */
#include "config-build.h"
typedef int testr_config_placeholder_;
