/* A library of the autoconf-style project: what configure found. */
#include <stdio.h>

#include "config.h"

void greet(const char *who)
{
    printf("%s: built with %s; found%s\n", who, CONFIG_CC, CONFIG_FOUND);
#ifdef HAVE_VSNPRINTF
    char buf[4];
    printf("%s: vsnprintf in use: %d\n", who, snprintf(buf, sizeof(buf), "%s", who));
#endif
}
