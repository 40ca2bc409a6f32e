/*
 * Event channels: a loopback channel (an unbound port bound back to
 * ourselves as an interdomain channel) gives a port pair we can signal at
 * will, to check delivery, masking, unmasking and coalescing exactly.
 */
#include <minios/debug.h>
#include <minios/events.h>
#include <minios/hypervisor.h>
#include <minios/hypercall.h>
#include <minios/test.h>
#include <minios/thread.h>
#include "suite.h"

static volatile unsigned long deliveries;

/*
 * Loopback ports are delivered to vCPU 0.  Delivery is synchronous only on
 * the vCPU that owns the port (the upcall runs before the hypercall
 * returns), so these tests run there.
 */
static void run_on_vcpu0(void)
{
    thread_set_affinity(thread_self(), 0);
}

static void run_anywhere(void)
{
    thread_set_affinity(thread_self(), THREAD_ANY_CPU);
}

static void count_delivery(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    deliveries++;
}

/* Sets up the pair: @rx receives what is sent on @tx. */
static bool make_loopback(evtchn_port_t *rx, evtchn_port_t *tx)
{
    int rc = evtchn_alloc_unbound(DOMID_SELF, count_delivery, NULL, rx);

    if (rc) {
        test_error("EVTCHNOP_alloc_unbound failed: %d (%s)", rc, xen_strerror(rc));
        return false;
    }
    rc = evtchn_bind_interdomain(DOMID_SELF, *rx, count_delivery, NULL, tx);
    if (rc) {
        test_error("EVTCHNOP_bind_interdomain failed: %d (%s)", rc, xen_strerror(rc));
        evtchn_close(*rx);
        return false;
    }
    return true;
}

static void close_loopback(evtchn_port_t rx, evtchn_port_t tx)
{
    int rc = evtchn_close(tx);

    CHECK(rc == 0, "closing port %u: %d (%s)", tx, rc, xen_strerror(rc));
    rc = evtchn_close(rx);
    CHECK(rc == 0, "closing port %u: %d (%s)", rx, rc, xen_strerror(rc));
}

TEST_DEFINE(test_event_loopback,
            "an interdomain loopback delivers once per send, holds while masked")
{
    evtchn_port_t rx, tx;

    run_on_vcpu0();
    if (!make_loopback(&rx, &tx)) {
        run_anywhere();
        return;
    }
    test_note("loopback ports %u -> %u", tx, rx);

    /* Events are enabled: the upcall runs before the send returns. */
    deliveries = 0;
    int rc = evtchn_send(tx);
    CHECK(rc == 0, "send: %d (%s)", rc, xen_strerror(rc));
    CHECK(deliveries == 1, "one send gave %lu deliveries", deliveries);

    evtchn_mask(rx);
    for (int i = 0; i < 3; i++)
        evtchn_send(tx);
    CHECK(deliveries == 1, "sends to a masked port were delivered (%lu)", deliveries);
    CHECK(evtchn_is_pending(rx), "a send to a masked port left it not pending");
    evtchn_unmask(rx);
    CHECK(deliveries == 2, "unmasking gave %lu deliveries, expected exactly 1 more",
          deliveries - 1);
    CHECK(!evtchn_is_pending(rx), "still pending after delivery");

    /* The reverse direction works too (rx's peer is tx). */
    evtchn_send(rx);
    CHECK(deliveries == 3, "send on the other end: %lu deliveries", deliveries);

    close_loopback(rx, tx);
    rc = evtchn_send(tx);
    CHECK(rc < 0, "send on a closed port succeeded");
    run_anywhere();
}

TEST_DEFINE(test_event_storm, "10,000 sends are 10,000 deliveries; masked sends coalesce into one")
{
    evtchn_port_t rx, tx;
    const unsigned long sends = 10000;

    run_on_vcpu0();
    if (!make_loopback(&rx, &tx)) {
        run_anywhere();
        return;
    }
    deliveries = 0;
    for (unsigned long i = 0; i < sends; i++) {
        int rc = evtchn_send(tx);

        if (rc) {
            test_fail("send %lu failed: %d (%s)", i, rc, xen_strerror(rc));
            break;
        }
    }
    CHECK(deliveries == sends, "%lu sends, %lu deliveries", sends, deliveries);

    /* With events disabled, sends coalesce in the pending bit: one delivery. */
    deliveries = 0;
    local_irq_disable();
    for (int i = 0; i < 100; i++)
        evtchn_send(tx);
    CHECK(deliveries == 0, "delivered while events were disabled");
    local_irq_enable();
    CHECK(deliveries == 1, "100 sends while disabled gave %lu deliveries, expected 1", deliveries);
    close_loopback(rx, tx);
    run_anywhere();
}

TEST_DEFINE(test_irq_flags, "save/restore of the event mask nests and delivers what waited")
{
    evtchn_port_t rx, tx;

    CHECK(local_irq_is_enabled(), "events disabled at the start of a test");
    unsigned long outer = local_irq_save();
    CHECK(!local_irq_is_enabled(), "save did not disable");
    unsigned long inner = local_irq_save();
    local_irq_restore(inner);
    CHECK(!local_irq_is_enabled(), "inner restore re-enabled events");
    local_irq_restore(outer);
    CHECK(local_irq_is_enabled(), "outer restore did not re-enable events");

    run_on_vcpu0();
    if (!make_loopback(&rx, &tx)) {
        run_anywhere();
        return;
    }
    deliveries = 0;
    outer = local_irq_save();
    evtchn_send(tx);
    CHECK(deliveries == 0, "delivered inside a save/restore section");
    local_irq_restore(outer);
    CHECK(deliveries == 1, "restore delivered %lu events, expected 1", deliveries);
    close_loopback(rx, tx);
    run_anywhere();
}
