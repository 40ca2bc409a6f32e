/* Never returns: the harness must call this a hang, not wait forever. */
#include <minios/console.h>

int main(void)
{
    printk("hang: spinning forever\n");
    for (;;)
        __asm__ volatile("pause");
}
