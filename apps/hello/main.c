/* The demo unikernel: greets, shows its arguments and exits cleanly. */
#include <minios/console.h>

int main(int argc, char **argv)
{
    printk("Hello from minios!\n");
    for (int i = 0; i < argc; i++)
        printk("  argv[%d] = \"%s\"\n", i, argv[i]);
    return 0;
}
