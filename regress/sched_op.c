/*
 * sched_op: yielding, blocking, polling, shutdown codes and watchdogs
 * (public/sched.h).
 */
#include <minios/events.h>
#include <minios/irqflags.h>
#include <minios/thread.h>
#include <minios/time.h>
#include <minios/xen.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include "regress.h"

XEN_TEST(sched_yield, TEST_FUNCTIONAL, "SCHEDOP_yield returns 0", "public/sched.h (SCHEDOP_yield)")
{
    EXPECT_RC(HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0);
}

static volatile unsigned int ipi_seen;

static void count_ipi(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    ipi_seen++;
}

XEN_TEST(sched_block_pending, TEST_FUNCTIONAL,
         "SCHEDOP_block with an event already pending returns at once, events enabled",
         "public/sched.h (SCHEDOP_block)")
{
    if (pv_only(
            "SCHEDOP_block clears PV's event mask; a PVH guest blocks with sti; hlt (docs/pvh.md)"))
        return;
    evtchn_port_t port;
    unsigned long flags = local_irq_save();

    ipi_seen = 0;
    if (!SETUP(evtchn_bind_ipi(thread_cpu(), count_ipi, NULL, &port))) {
        local_irq_restore(flags);
        return;
    }
    evtchn_send(port);
    uint64_t t0 = monotonic_ns();

    EXPECT_RC(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0);
    uint64_t waited = monotonic_ns() - t0;

    local_irq_restore(flags);
    CHECK(waited < 100000000ULL, "SCHEDOP_block waited %llu us with an event pending",
          (unsigned long long)(waited / 1000));
    CHECK(ipi_seen == 1, "the pending event was delivered %u times, expected once", ipi_seen);
    evtchn_close(port);
}

/* A masked unbound port: never pending. */
static evtchn_port_t quiet_port(void)
{
    struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};

    if (!SETUP(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a)))
        return 0;
    evtchn_mask(a.port);
    return a.port;
}

static void quiet_close(evtchn_port_t port)
{
    struct evtchn_close c = {.port = port};

    HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
    evtchn_unmask(port);
}

XEN_TEST(sched_poll_timeout, TEST_FUNCTIONAL,
         "SCHEDOP_poll on a quiet port returns 0, and not before its timeout unless another event "
         "for the vCPU wakes it",
         "public/sched.h (SCHEDOP_poll); any event for the vCPU wakes a poll early (vcpu_kick)")
{
    evtchn_port_t port = quiet_port();

    if (!port)
        return;
    struct sched_poll poll = {.nr_ports = 1};
    /* Masked, so that no upcall runs inside the measurement. */
    unsigned long flags = local_irq_save();
    uint64_t t0 = monotonic_ns(), now = t0;
    unsigned int polls = 0;

    set_xen_guest_handle(poll.ports, &port);
    poll.timeout = t0 + 20000000ULL;
    /*
     * An event for this vCPU from elsewhere (a timer VIRQ, another vCPU's
     * IPI: masked delivery still kicks the vCPU) ends a poll early; poll
     * again with the same deadline. Only a poll that ends before the
     * deadline with nothing else pending would be a timeout ignored.
     */
    while (now < poll.timeout && polls < 64) {
        long rc = HYPERVISOR_sched_op(SCHEDOP_poll, &poll);

        polls++;
        now = monotonic_ns();
        if (rc != 0) {
            test_fail("poll %u returned %ld, expected 0", polls, rc);
            break;
        }
    }
    uint64_t waited = now - t0;

    local_irq_restore(flags);
    CHECK(waited >= 20000000ULL && waited < 2000000000ULL,
          "%u polls took %llu us for a 20 ms timeout", polls, (unsigned long long)(waited / 1000));
    test_note("20 ms poll took %llu us in %u poll(s)", (unsigned long long)(waited / 1000), polls);
    quiet_close(port);
}

XEN_TEST(sched_poll_bad_port, TEST_NEGATIVE, "SCHEDOP_poll naming a port past the limit is -EINVAL",
         "public/sched.h (SCHEDOP_poll)")
{
    evtchn_port_t port = 100000;
    struct sched_poll poll = {.nr_ports = 1, .timeout = monotonic_ns() + 1000000};
    unsigned int woken = 0;
    long rc;

    set_xen_guest_handle(poll.ports, &port);
    /*
     * do_poll marks the vCPU blocked before it reads the ports, and returns
     * 0 if an event for the vCPU (masked or not) woke it in between: a
     * domU's timer or xenstore event did so once in make check.  That is a
     * wake-up, not an answer: ask again.
     */
    do {
        rc = HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    } while (rc == 0 && ++woken < 8);
    EXPECT_RC(rc, -XEN_EINVAL);
    if (woken)
        test_note("woken %u time(s) before the ports were read", woken);
}

XEN_TEST(sched_poll_too_many, TEST_NEGATIVE, "SCHEDOP_poll of more than 128 ports is -EINVAL",
         "xen/common/sched/core.c (do_poll)")
{
    static evtchn_port_t ports[200];
    struct sched_poll poll = {.nr_ports = 200, .timeout = monotonic_ns() + 1000000};

    set_xen_guest_handle(poll.ports, ports);
    EXPECT_RC(HYPERVISOR_sched_op(SCHEDOP_poll, &poll), -XEN_EINVAL);
}

XEN_TEST(sched_shutdown_code, TEST_FUNCTIONAL,
         "SCHEDOP_shutdown_code records a reason and returns 0 (the domain runs on)",
         "public/sched.h (SCHEDOP_shutdown_code)")
{
    struct sched_shutdown s = {.reason = SHUTDOWN_poweroff};

    EXPECT_RC(HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &s), 0);
}

XEN_TEST(sched_remote_shutdown_no_domain, TEST_NEGATIVE,
         "SCHEDOP_remote_shutdown of a domain that does not exist is -ESRCH",
         "public/sched.h (SCHEDOP_remote_shutdown)")
{
    struct sched_remote_shutdown r = {.domain_id = 0x7000, .reason = SHUTDOWN_poweroff};

    EXPECT_RC(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &r), -XEN_ESRCH);
}

XEN_TEST(sched_watchdog, TEST_FUNCTIONAL,
         "SCHEDOP_watchdog creates a watchdog (id > 0) and destroys it by id",
         "public/sched.h (SCHEDOP_watchdog)")
{
    struct sched_watchdog w = {.id = 0, .timeout = 600};
    int id = HYPERVISOR_sched_op(SCHEDOP_watchdog, &w);

    CHECK(id > 0, "creating a watchdog returned %d (%s)", id, xen_strerror(id));
    if (id > 0) {
        w.id = (uint32_t)id;
        w.timeout = 0;
        EXPECT_RC(HYPERVISOR_sched_op(SCHEDOP_watchdog, &w), 0);
    }
}

XEN_TEST(sched_unknown_cmd, TEST_NEGATIVE, "an unknown sched_op command is -ENOSYS",
         "public/sched.h")
{
    EXPECT_RC(HYPERVISOR_sched_op(99, NULL), -XEN_ENOSYS);
}
