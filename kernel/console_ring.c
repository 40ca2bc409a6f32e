/*
 * Console backend for a domU: the ring page the toolstack shares with
 * xenconsoled in dom0 (struct xencons_interface, <xen/io/console.h>).
 *
 * We produce into `out` and advance out_prod; the peer consumes and advances
 * out_cons.  The peer is another domain, so its index is read once per step
 * and checked: a consumer index that claims more than a ring's worth of
 * unread bytes is a lie, and a consumer that stops reading must not hang us.
 * When the ring is full we wait in SCHEDOP_poll on the ring's event channel,
 * which works even before event delivery is set up; after STALL_NS without
 * progress the rest of the output is dropped, counted, and reported once the
 * ring moves again.
 */
#include <kernel/console.h>
#include <kernel/format.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/mm.h>
#include <minios/time.h>
#include <arch/x86.h>
#include <xen/io/console.h>

#define STALL_NS (5 * NSEC_PER_SEC)

static struct xencons_interface *ring;
static evtchn_port_t port;
static bool stalled;                /* peer stopped reading: drop, don't wait */
static unsigned long dropped;       /* bytes dropped while stalled */

bool console_ring_init(void)
{
    if (start_info.console.domU.mfn == 0)
        return false;
    unsigned long pfn = mfn_to_pfn(start_info.console.domU.mfn);

    /* Xen's builder puts the ring in our memory, mapped at boot. */
    if (pfn == INVALID_PFN)
        return false;
    ring = pfn_to_virt(pfn);
    port = start_info.console.domU.evtchn;
    return true;
}

static void notify_peer(void)
{
    struct evtchn_send send = { .port = port };

    HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);
}

/* Blocks until the peer signals the port or @deadline passes. */
static void wait_for_peer(uint64_t deadline)
{
    xen_ulong_t *pending = &HYPERVISOR_shared_info->evtchn_pending[port / 64];
    struct sched_poll poll = { .nr_ports = 1, .timeout = deadline };

    __atomic_fetch_and(pending, ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
    set_xen_guest_handle(poll.ports, &port);
    HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
}

/* Copies what fits; returns the bytes taken from @buf (0 if the ring is full). */
static size_t put_some(const char *buf, size_t len)
{
    XENCONS_RING_IDX cons = READ_ONCE(ring->out_cons);
    XENCONS_RING_IDX prod = ring->out_prod;     /* ours: only we write it */
    XENCONS_RING_IDX used = prod - cons;
    size_t n = 0;

    rmb();
    if (used > sizeof(ring->out)) {
        /* The peer claims to have read bytes we never wrote. */
        stalled = true;
        return 0;
    }
    while (n < len && used < sizeof(ring->out)) {
        ring->out[MASK_XENCONS_IDX(prod, ring->out)] = buf[n++];
        prod++;
        used++;
    }
    wmb();
    ring->out_prod = prod;
    return n;
}

static void ring_write_raw(const char *buf, size_t len)
{
    uint64_t deadline = 0;

    while (len) {
        size_t n = put_some(buf, len);

        if (n) {
            buf += n;
            len -= n;
            deadline = 0;
            notify_peer();
            continue;
        }
        if (stalled) {
            dropped += len;
            return;
        }
        if (deadline == 0)
            deadline = monotonic_ns() + STALL_NS;
        else if (monotonic_ns() >= deadline) {
            stalled = true;
            continue;
        }
        notify_peer();
        wait_for_peer(deadline);
    }
}

/* Terminals want CR LF; the ring carries exactly what we put in it. */
static void ring_write(const char *buf, size_t len)
{
    if (stalled) {
        /* Retry once per write: the peer may have caught up. */
        XENCONS_RING_IDX used = ring->out_prod - READ_ONCE(ring->out_cons);

        if (used >= sizeof(ring->out)) {
            dropped += len;
            return;
        }
        stalled = false;
        char note[80];
        int n = ksnprintf(note, sizeof(note),
                          "\r\nconsole: %lu bytes dropped: the console reader stalled\r\n",
                          dropped);
        dropped = 0;
        ring_write_raw(note, (size_t)n);
    }

    size_t start = 0;

    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\n')
            continue;
        ring_write_raw(buf + start, i - start);
        ring_write_raw("\r\n", 2);
        start = i + 1;
    }
    ring_write_raw(buf + start, len - start);
}

const struct console_backend console_ring = {
    .name = "ring",
    .write = ring_write,
};
