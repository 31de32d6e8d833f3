/* template: being written. */
#include "config-build.h"
typedef int testr_template_placeholder_;
