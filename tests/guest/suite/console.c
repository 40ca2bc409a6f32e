/*
 * The dom0 console's failures.  Xen copies a CONSOLEIO_write's bytes from
 * our memory and refuses the whole call (-EFAULT) if it cannot; the bytes
 * are then lost, and the next write that gets through says how many.  The
 * note itself is on the console, so tests/guest.sh checks its words.
 */
#include <minios/console.h>
#include <minios/hypervisor.h>
#include <minios/mm.h>
#include <minios/test.h>
#include "suite.h"

#define LOST 500 /* bytes written from an unmapped page on: all lost */

TEST_DEFINE(test_console_write_failure,
            "a write Xen cannot read is counted in bytes (guest.sh checks)")
{
    char *stack;

    if (!xen_is_initial_domain()) {
        test_skip("a domU's console is the ring, which counts bytes itself");
        return;
    }
    stack = stack_alloc(PAGE_SIZE);
    if (!stack) {
        test_error("stack_alloc failed");
        return;
    }
    /* The buffer starts in the guard page below the stack and ends inside it. */
    char *buf = stack - (LOST - 200);

    for (int i = 0; i < 200; i++)
        stack[i] = i == 199 ? '\n' : 'x';
    console_write(buf, LOST);
    printk("    after a write of %d bytes Xen could not read:\n", LOST);
    stack_free(stack, PAGE_SIZE);
}
