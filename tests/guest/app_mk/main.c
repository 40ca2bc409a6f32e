/*
 * An application whose app.mk adds a define, a source file in a
 * subdirectory and a library to link (tests/libc.sh checks the output).
 */
#include <stdio.h>

#include "parts/part.h"

int main(void)
{
    printf("app.mk: define %s, part says %d, library says %d\n", APP_MK_DEFINE, part_answer(),
           library_answer());
    return 0;
}
