/*
 * Link probe for newlib: calls a little of everything an application
 * typically uses (stdio, malloc, string to number, sorting, errno), so that
 * partially linking it against libc.a shows which symbols the kernel has to
 * provide.  Compiled with minios's application flags; never run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    double *v = malloc(argc * sizeof(*v));

    if (v == NULL) {
        printf("malloc: %s\n", strerror(errno));
        return 1;
    }
    for (int i = 0; i < argc; i++)
        v[i] = strtod(argv[i], NULL);
    qsort(v, argc, sizeof(*v), cmp_double);
    for (int i = 0; i < argc; i++)
        printf("%d: %g %lld %zu\n", i, v[i], (long long)v[i], sizeof(v[i]));
    free(v);
    return 0;
}
