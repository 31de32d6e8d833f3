/* ini: being written. */
#include "config-build.h"
typedef int testr_ini_placeholder_;
