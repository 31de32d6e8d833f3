/* fileio: being written. */
#include "config-build.h"
typedef int testr_fileio_placeholder_;
