/*
 * Writes LINES numbered lines of known content (well over 64 KiB in all) so
 * the test can check that every line arrives, whole and in order.
 */
#include <minios/console.h>

#define LINES 2000

int main(void)
{
    for (int i = 0; i < LINES; i++)
        printk("big %05d abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\n", i);
    printk("big done %d\n", LINES);
    return 0;
}
