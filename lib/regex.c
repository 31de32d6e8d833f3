/* regex: being written. */
#include "config-build.h"
typedef int testr_regex_placeholder_;
