/* repo: being written. */
#include "config-build.h"
typedef int testr_repo_placeholder_;
