/*
 * Console backend for a domU: the ring page the toolstack shares with
 * xenconsoled in dom0 (struct xencons_interface, <xen/io/console.h>) and
 * the event channel both sides signal after moving bytes.
 *
 * Output is console/cons_out.c: flow control, and a stuck or lying peer costs
 * at most STALL_NS once, then its output is dropped and counted until it
 * recovers.  Waiting is SCHEDOP_poll on the ring's port, which works before
 * event delivery is set up and with events masked (the console lock masks
 * them).  Input is console/ldisc.c's ldisc_pull_ring() behind console_input.c,
 * woken by the same port once console_init_input() has bound it.
 *
 * The port's pending bit is shared by both directions: an output wait
 * clears it, and when it was set the signal may have been about input, so
 * the reader is poked (console_input_poke()).
 */
#include <kernel/console.h>
#include <kernel/events.h>
#include "cons_out.h"
#include <kernel/format.h>
#include "ldisc.h"
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/mm.h>
#include <minios/time.h>

#define STALL_NS (5 * NSEC_PER_SEC)

static struct xencons_interface *ring;
static evtchn_port_t port;
static struct cons_out out;

/* Hypercall failures: counted where they happen, reported on the console itself. */
struct failures {
    unsigned long count, told;
    int last;
};
static struct failures send_failed, poll_failed;

static uint64_t env_now(void *ctx)
{
    (void)ctx;
    return monotonic_ns();
}

static void env_notify(void *ctx)
{
    (void)ctx;
    int rc = evtchn_send(port);

    /* Atomic: input (event context, any vCPU) signals outside the console lock. */
    if (rc) {
        __atomic_store_n(&send_failed.last, rc, __ATOMIC_RELAXED);
        __atomic_fetch_add(&send_failed.count, 1, __ATOMIC_RELAXED);
    }
}

static void env_arm(void *ctx)
{
    xen_ulong_t *word = &HYPERVISOR_shared_info->evtchn_pending[port / 64];
    xen_ulong_t bit = 1UL << (port % 64);

    (void)ctx;
    if (__atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST) & bit)
        console_input_poke();
}

static void env_wait(void *ctx, uint64_t deadline)
{
    struct sched_poll poll = {.nr_ports = 1, .timeout = deadline};
    int rc;

    (void)ctx;
    set_xen_guest_handle(poll.ports, &port);
    rc = HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    if (rc) {
        poll_failed.count++;
        poll_failed.last = rc;
    }
}

static const struct cons_out_env env = {
    .now = env_now,
    .notify = env_notify,
    .arm = env_arm,
    .wait = env_wait,
};

bool console_ring_init(void)
{
    if (start_info.console.domU.mfn == 0)
        return false;
    unsigned long pfn = mfn_to_pfn(start_info.console.domU.mfn);

    /* Xen's builder puts the ring in our memory, mapped at boot. */
    if (pfn == INVALID_PFN || start_info.console.domU.evtchn >= EVTCHN_2L_NR_CHANNELS)
        return false;
    ring = pfn_to_virt(pfn);
    port = start_info.console.domU.evtchn;
    cons_out_init(&out, ring, &env, STALL_NS);
    return true;
}

/* New hypercall failures, told on the console they concern (best effort). */
static void report(struct failures *f, const char *what)
{
    unsigned long count = __atomic_load_n(&f->count, __ATOMIC_RELAXED);
    int last = __atomic_load_n(&f->last, __ATOMIC_RELAXED);

    if (count == f->told)
        return;

    char note[128];
    int n =
        ksnprintf(note, sizeof(note), "console: %s on port %u failed %lu times, last: %d (%s)\n",
                  what, port, count - f->told, last, xen_strerror(last));

    f->told = count;
    cons_out_write(&out, note, n < (int)sizeof(note) ? (size_t)n : sizeof(note) - 1);
}

static void ring_console_write(const char *buf, size_t len)
{
    cons_out_write(&out, buf, len);
    report(&send_failed, "EVTCHNOP_send");
    report(&poll_failed, "SCHEDOP_poll");
}

static void ring_console_drain(void)
{
    cons_out_drain(&out);
}

static long ring_pull(struct ldisc *queue, unsigned long *dropped)
{
    long n = ldisc_pull_ring(queue, ring);

    (void)dropped; /* nothing is dropped: unread input waits in the ring */
    if (n > 0)
        env_notify(NULL); /* room in `in`: xenconsoled may be waiting for it */
    return n;
}

static const struct console_input_source ring_source = {
    .name = "the console ring's input indices",
    .pull = ring_pull,
};

static void ring_input_init(void)
{
    int rc = evtchn_attach(port, console_input_event, NULL);

    if (rc) {
        printk("console: taking over the console's event channel %u failed: %d (%s); "
               "no console input\n",
               port, rc, xen_strerror(rc));
        return;
    }
    console_input_start(&ring_source);
}

const struct console_backend console_ring = {
    .name = "ring",
    .write = ring_console_write,
    .drain = ring_console_drain,
    .input_init = ring_input_init,
};
