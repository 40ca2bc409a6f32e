/*
 * panic() and minios_exit(): the two ways out of a running kernel.
 * A panic inside a panic goes straight to the crash shutdown, so a broken
 * console or a fault in the backtrace cannot loop.
 */
#include <kernel/arch.h>
#include <kernel/boot_profile.h>
#include <kernel/console.h>
#include <kernel/events.h>
#include <kernel/sched.h>
#include <kernel/shutdown.h>
#include <kernel/switches.h>
#include <minios/console.h>
#include <minios/kernel.h>
#include <minios/time.h>

static int panicking;

void panic(const char *fmt, ...)
{
    va_list ap;

    if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST))
        shutdown_crash();

    console_break_lock();
    console_start_line();
    printk("minios: PANIC: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    arch_print_backtrace();
    crash_report_end();
}

void crash_report_end(void)
{
    static int listed;

    /* Once: a fault while listing ends here again, and then goes straight out. */
    if (!__atomic_exchange_n(&listed, 1, __ATOMIC_SEQ_CST))
        thread_dump_at_crash();
    printk("minios: crashed\n");
    shutdown_crash();
}

void minios_exit(int status)
{
    uint64_t now = monotonic_ns(); /* the end of the span the profile reports */

    shutdown_claim();
    console_start_line();
    boot_profile_exit_report(now);
    switches_exit_report();
    events_exit_report();
    printk("minios: exit status %d\n", status);
    shutdown_with_status(status);
}
