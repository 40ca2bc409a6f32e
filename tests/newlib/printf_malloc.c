/*
 * The smallest useful newlib program: one printf("%d\n") and one malloc.
 * Linked with --gc-sections to measure what a "hello" pulls in from libc.a.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int *p = malloc(sizeof(*p));

    (void)argv;
    if (p == NULL)
        return 1;
    *p = argc;
    printf("%d\n", *p);
    free(p);
    return 0;
}
