/*
 * hello with the kernel's API alone (<minios/console.h>), no C library
 * call of its own: make bench sets its image size beside hello's (printf)
 * and the floor's.  The C runtime's start and exit still link in what of
 * newlib they use (docs/performance.md).
 */
#include <minios/console.h>

int main(int argc, char **argv)
{
    printk("Hello from minios!\n");
    for (int i = 0; i < argc; i++)
        printk("  argv[%d] = \"%s\"\n", i, argv[i]);
    return 0;
}
