/* The autoconf-style project's program (tests/sdk.sh, autoconf-host). */
#include "config.h"

void greet(const char *who);

int main(void)
{
    greet("autoconf-host");
    return 0;
}
