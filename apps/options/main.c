/*
 * Reading arguments and environment-style options.  Words at the start of
 * the command line that look like NAME=VALUE are the environment (as in a
 * shell), the rest are arguments:
 *   make run APP=apps/options ARGS="GREETING=Hello NAME=Xen --count=2 --shout extra words"
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"count", required_argument, NULL, 'c'},
        {"shout", no_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    int count = 1, shout = 0, opt;
    const char *greeting = getenv("GREETING"), *name = getenv("NAME");

    while ((opt = getopt_long(argc, argv, "c:s", long_options, NULL)) != -1) {
        switch (opt) {
        case 'c':
            count = atoi(optarg);
            break;
        case 's':
            shout = 1;
            break;
        default:
            fprintf(stderr, "usage: %s [--count=N] [--shout] [words...]\n", argv[0]);
            return 2;
        }
    }

    printf("environment:\n");
    for (char **e = environ; e && *e; e++)
        printf("  %s\n", *e);
    for (int i = 0; i < count; i++)
        printf("%s, %s%s\n", greeting ? greeting : "Hello", name ? name : "world",
               shout ? "!" : ".");
    for (int i = optind; i < argc; i++)
        printf("argument: %s\n", argv[i]);
    return 0;
}
