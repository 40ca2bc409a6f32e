/* The CMake project's library. */
#include <stdio.h>

void greet(const char *what, int found)
{
    printf("cmake-toolchain: %s %s\n", what, found ? "yes" : "no");
}
