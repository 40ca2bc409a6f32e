/*
 * Echoes its arguments in a form a script can compare exactly: the count,
 * then each argument's length and bytes between markers.
 */
#include <minios/console.h>

int main(int argc, char **argv)
{
    printk("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) {
        int len = 0;

        while (argv[i][len])
            len++;
        printk("arg[%d] len=%d <%s>\n", i, len, argv[i]);
    }
    return argv[argc] == 0 ? 0 : 1; /* argv must end with NULL */
}
