/* The target's functions are inline, in include/teprov_support.h; SwiftPM needs one source file. */
#include "teprov_support.h"
