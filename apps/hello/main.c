/* The demo unikernel: greets through the C library, shows its arguments, exits cleanly. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("Hello from minios!\n");
    for (int i = 0; i < argc; i++)
        printf("  argv[%d] = \"%s\"\n", i, argv[i]);
    return 0;
}
