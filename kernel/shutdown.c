/*
 * The last thing the kernel does.
 *
 * As dom0 under the test harness, the machine itself has to stop: a write
 * to QEMU's isa-debug-exit port ends QEMU with a status that carries ours
 * (see debug_exit_code()), and SHUTDOWN_reboot is the fallback when that
 * device is absent (Xen then restarts the machine, which QEMU's -no-reboot
 * turns into an exit).  As a domU, the toolstack sees SCHEDOP_shutdown:
 * poweroff for status 0, crash for anything else, and reboot when it asked
 * for one (kernel/shutdown_request.c).
 *
 * Several threads may try to end the program at once (exit() in one while
 * the toolstack's shutdown runs out of time in another): shutdown_claim()
 * lets the first through and parks the others, so the domain ends once,
 * with one exit line.
 */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/sched.h>
#include <kernel/shutdown.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>

#define DEBUG_EXIT_CRASH      127 /* QEMU exit status 255 */
#define DEBUG_EXIT_MAX_STATUS 125 /* statuses above come out as 125 */

/* Status s in 0..125 becomes code s + 1: QEMU exits with 2s + 3. */
static uint8_t debug_exit_code(int status)
{
    if (status < 0 || status > DEBUG_EXIT_MAX_STATUS)
        status = DEBUG_EXIT_MAX_STATUS;
    return (uint8_t)(status + 1);
}

static int claimed;

void shutdown_claim(void)
{
    if (!__atomic_exchange_n(&claimed, 1, __ATOMIC_SEQ_CST))
        return;
    /* Nobody wakes us: the first caller is ending the domain. */
    for (;;) {
        sched_prepare_block();
        schedule();
    }
}

static void __noreturn shutdown_domain(unsigned int reason, uint8_t debug_code)
{
    struct sched_shutdown shutdown = {.reason = reason};
    int rc;

    console_flush();
    if (xen_is_initial_domain()) {
        arch_debug_exit(debug_code);
        shutdown.reason = SHUTDOWN_reboot;
    }

    rc = HYPERVISOR_sched_op(SCHEDOP_shutdown, &shutdown);
    printk("minios: SCHEDOP_shutdown(%u) failed: %d (%s); blocking forever\n", shutdown.reason, rc,
           xen_strerror(rc));
    for (;;)
        arch_block();
}

void shutdown_with_status(int status)
{
    shutdown_domain(status == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash, debug_exit_code(status));
}

/* Only a domU gets here (the toolstack asked through xenstore): Xen reports "reboot". */
void shutdown_reboot(void)
{
    shutdown_domain(SHUTDOWN_reboot, debug_exit_code(0));
}

void shutdown_crash(void)
{
    shutdown_domain(SHUTDOWN_crash, DEBUG_EXIT_CRASH);
}
