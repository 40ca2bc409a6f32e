/*
 * A shutdown the toolstack asked for (`xl shutdown`, `xl reboot`, read from
 * xenstore by drivers/xenstore/xenstore_control.c), carried out within a bound
 * whatever the application's threads are doing: asleep in fgets() with
 * stdin's lock held, deadlocked, or spinning.
 *
 * Two kernel threads.  "shutdown" runs the application's hook,
 * minios_on_shutdown(), and then ends the program: for a poweroff as exit(0)
 * does (atexit handlers, stdio flushed, the exit line), for a reboot by
 * flushing stdio and rebooting.  "shutdown-timer" gives it
 * MINIOS_SHUTDOWN_GRACE_S from the request; if the domain is still there
 * then (a hook that blocks, an atexit handler waiting for a lock a stuck
 * thread holds), it ends the domain itself, the same way minus the hook and
 * the atexit handlers.  Neither waits for a lock another thread may hold:
 * stdio is flushed stream by stream where the stream's lock is free, and a
 * locked stream's bytes are reported as dropped (app_flush_output()).
 * Whichever thread gets to the end first ends the domain
 * (shutdown_claim()).
 *
 * Both threads need a vCPU.  Threads are cooperative: one that spins
 * without ever blocking or yielding keeps its vCPU from them, so a domain
 * whose every vCPU is held that way cannot end itself (docs/domu.md).
 */
#include <kernel/app.h>
#include <kernel/console.h>
#include <kernel/sched.h>
#include <kernel/shutdown.h>
#include <kernel/string.h>
#include <minios/console.h>
#include <minios/kernel.h>
#include <minios/time.h>

/* The application's hook; the default lets the shutdown go ahead at once. */
__weak void minios_on_shutdown(const char *reason)
{
    (void)reason;
}

enum stage { STAGE_HOOK, STAGE_END };

static struct {
    int taken; /* a request is being carried out */
    bool reboot;
    char reason[16];
    uint64_t deadline; /* monotonic_ns() when the timer ends it */
    int stage;         /* where the "shutdown" thread is (enum stage) */
} req;

/* The end itself: nothing here waits for another thread. */
static void __noreturn end_now(void)
{
    app_flush_output();
    if (!req.reboot)
        minios_exit(0);
    shutdown_claim();
    console_start_line();
    printk("minios: rebooting\n");
    shutdown_reboot();
}

static void *carry_out(void *unused)
{
    (void)unused;
    minios_on_shutdown(req.reason);
    __atomic_store_n(&req.stage, STAGE_END, __ATOMIC_RELEASE);
    if (!req.reboot)
        app_exit(0); /* as exit(0): atexit handlers, then the flush and the end */
    end_now();
}

static void *time_limit(void *unused)
{
    (void)unused;
    thread_sleep_until(req.deadline);
    console_start_line();
    if (__atomic_load_n(&req.stage, __ATOMIC_ACQUIRE) == STAGE_HOOK)
        printk("minios: minios_on_shutdown() has not returned after %d s: ending without it\n",
               MINIOS_SHUTDOWN_GRACE_S);
    else
        printk("minios: the %s has not finished after %d s: ending without it\n",
               req.reboot ? "reboot" : "exit", MINIOS_SHUTDOWN_GRACE_S);
    end_now();
}

void shutdown_request(bool reboot, const char *reason)
{
    if (__atomic_exchange_n(&req.taken, 1, __ATOMIC_SEQ_CST)) {
        printk("minios: already shutting down: \"%s\" changes nothing\n", reason);
        return;
    }
    req.reboot = reboot;
    strlcpy(req.reason, reason, sizeof(req.reason));
    req.deadline = monotonic_ns() + (uint64_t)MINIOS_SHUTDOWN_GRACE_S * NSEC_PER_SEC;
    req.stage = STAGE_HOOK;
    /* Creating a thread publishes what it reads (the run queue's lock). */
    if (!kthread_create(time_limit, NULL, "shutdown-timer") ||
        !kthread_create(carry_out, NULL, "shutdown")) {
        printk("minios: no memory for the shutdown's threads: ending without the hook\n");
        end_now();
    }
}
