/*
 * event_channel_op: ports and their states (public/event_channel.h).  The
 * ports made here are raw (no handler of the kernel's), and masked, so
 * sending on one only sets its pending bit, which the test reads in the
 * shared info page.
 */
#include <minios/events.h>
#include <minios/hypervisor.h>
#include <minios/smp.h>
#include <minios/thread.h>
#include <minios/xen.h>
#include <xen/event_channel.h>
#include "regress.h"

#define EVTCHN_OP(cmd, arg) HYPERVISOR_event_channel_op((cmd), (arg))

static bool pending(evtchn_port_t port)
{
    return __atomic_load_n(&HYPERVISOR_shared_info->evtchn_pending[port / 64], __ATOMIC_ACQUIRE) &
           (1UL << (port % 64));
}

/* Closes a raw port, leaving it unmasked and not pending for its next user. */
static void raw_close(evtchn_port_t port)
{
    struct evtchn_close c = {.port = port};

    if (EVTCHN_OP(EVTCHNOP_close, &c))
        test_error("EVTCHNOP_close(%u) failed", port);
    __atomic_and_fetch(&HYPERVISOR_shared_info->evtchn_pending[port / 64], ~(1UL << (port % 64)),
                       __ATOMIC_SEQ_CST);
    __atomic_and_fetch(&HYPERVISOR_shared_info->evtchn_mask[port / 64], ~(1UL << (port % 64)),
                       __ATOMIC_SEQ_CST);
}

/* A masked unbound port a domain DOMID_SELF may bind to; 0 on failure (ERROR). */
static evtchn_port_t raw_unbound(void)
{
    struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};

    if (!SETUP(EVTCHN_OP(EVTCHNOP_alloc_unbound, &a)))
        return 0;
    evtchn_mask(a.port);
    return a.port;
}

/* A loopback pair: @a unbound, then @b bound to it. */
static bool raw_pair(evtchn_port_t *a, evtchn_port_t *b)
{
    *a = raw_unbound();
    if (!*a)
        return false;
    struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF, .remote_port = *a};

    if (!SETUP(EVTCHN_OP(EVTCHNOP_bind_interdomain, &bi))) {
        raw_close(*a);
        return false;
    }
    *b = bi.local_port;
    evtchn_mask(*b);
    return true;
}

XEN_TEST(evtchn_alloc_unbound_status, TEST_FUNCTIONAL,
         "EVTCHNOP_alloc_unbound gives a port whose status is unbound, for the remote asked",
         "public/event_channel.h (EVTCHNOP_alloc_unbound, EVTCHNOP_status)")
{
    evtchn_port_t p = raw_unbound();

    if (!p)
        return;
    struct evtchn_status st = {.dom = DOMID_SELF, .port = p};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_status, &st), 0);
    CHECK(st.status == EVTCHNSTAT_unbound, "status %u, expected unbound (1)", st.status);
    CHECK(st.u.unbound.dom == xen_self_domid(), "remote %u, expected our id %u", st.u.unbound.dom,
          xen_self_domid());
    raw_close(p);
}

XEN_TEST(evtchn_loopback, TEST_FUNCTIONAL,
         "EVTCHNOP_bind_interdomain to our own unbound port connects the two: a send on one sets "
         "the other pending",
         "public/event_channel.h (EVTCHNOP_bind_interdomain, EVTCHNOP_send)")
{
    evtchn_port_t a, b;

    if (!raw_pair(&a, &b))
        return;
    struct evtchn_status st = {.dom = DOMID_SELF, .port = b};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_status, &st), 0);
    CHECK(st.status == EVTCHNSTAT_interdomain && st.u.interdomain.port == a,
          "status %u remote port %u, expected interdomain to %u", st.status, st.u.interdomain.port,
          a);
    struct evtchn_send s = {.port = b};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_send, &s), 0);
    CHECK(pending(a), "port %u not pending after a send on %u", a, b);
    raw_close(b);
    st.port = a;
    EXPECT_RC(EVTCHN_OP(EVTCHNOP_status, &st), 0);
    CHECK(st.status == EVTCHNSTAT_unbound, "after closing its peer, port %u is %u, not unbound", a,
          st.status);
    raw_close(a);
}

XEN_TEST(evtchn_bind_virq_twice_refused, TEST_NEGATIVE,
         "binding VIRQ_TIMER again on a vCPU where it is bound is -EEXIST",
         "public/event_channel.h (EVTCHNOP_bind_virq)")
{
    struct evtchn_bind_virq v = {.virq = VIRQ_TIMER, .vcpu = thread_cpu()};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_bind_virq, &v), -XEN_EEXIST);
}

XEN_TEST(evtchn_bind_virq_bad, TEST_NEGATIVE, "binding a VIRQ number past NR_VIRQS is -EINVAL",
         "public/event_channel.h (EVTCHNOP_bind_virq), public/xen.h (NR_VIRQS)")
{
    struct evtchn_bind_virq v = {.virq = NR_VIRQS + 5, .vcpu = 0};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_bind_virq, &v), -XEN_EINVAL);
}

XEN_TEST(evtchn_ipi_port, TEST_FUNCTIONAL,
         "EVTCHNOP_bind_ipi gives a port bound to that vCPU; a send sets it pending",
         "public/event_channel.h (EVTCHNOP_bind_ipi)")
{
    struct evtchn_bind_ipi b = {.vcpu = 0};

    if (!SETUP(EVTCHN_OP(EVTCHNOP_bind_ipi, &b)))
        return;
    evtchn_mask(b.port);
    struct evtchn_status st = {.dom = DOMID_SELF, .port = b.port};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_status, &st), 0);
    CHECK(st.status == EVTCHNSTAT_ipi && st.vcpu == 0, "status %u on vCPU %u, expected ipi on 0",
          st.status, st.vcpu);
    struct evtchn_send s = {.port = b.port};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_send, &s), 0);
    CHECK(pending(b.port), "the IPI port is not pending after a send");
    raw_close(b.port);
}

XEN_TEST(evtchn_close_twice_refused, TEST_NEGATIVE, "closing a closed port is -EINVAL",
         "public/event_channel.h (EVTCHNOP_close)")
{
    evtchn_port_t p = raw_unbound();

    if (!p)
        return;
    raw_close(p);
    struct evtchn_close c = {.port = p};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_close, &c), -XEN_EINVAL);
}

XEN_TEST(evtchn_send_closed_refused, TEST_NEGATIVE, "sending on a closed port is -EINVAL",
         "public/event_channel.h (EVTCHNOP_send)")
{
    evtchn_port_t p = raw_unbound();

    if (!p)
        return;
    raw_close(p);
    struct evtchn_send s = {.port = p};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_send, &s), -XEN_EINVAL);
}

XEN_TEST(evtchn_send_unbound_dropped, TEST_FUNCTIONAL,
         "sending on an unbound port succeeds and sets nothing pending",
         "xen/common/event_channel.c (evtchn_send: ECS_UNBOUND)")
{
    evtchn_port_t p = raw_unbound();

    if (!p)
        return;
    struct evtchn_send s = {.port = p};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_send, &s), 0);
    CHECK(!pending(p), "the unbound port became pending");
    raw_close(p);
}

XEN_TEST(evtchn_port_out_of_range, TEST_NEGATIVE,
         "status, send, unmask and close of a port past the domain's limit are -EINVAL",
         "public/event_channel.h")
{
    evtchn_port_t far = 100000;
    struct evtchn_status st = {.dom = DOMID_SELF, .port = far};
    struct evtchn_send s = {.port = far};
    struct evtchn_unmask u = {.port = far};
    struct evtchn_close c = {.port = far};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_status, &st), -XEN_EINVAL);
    EXPECT_RC(EVTCHN_OP(EVTCHNOP_send, &s), -XEN_EINVAL);
    EXPECT_RC(EVTCHN_OP(EVTCHNOP_unmask, &u), -XEN_EINVAL);
    EXPECT_RC(EVTCHN_OP(EVTCHNOP_close, &c), -XEN_EINVAL);
}

XEN_TEST(evtchn_unmask_op, TEST_FUNCTIONAL, "EVTCHNOP_unmask clears a port's mask bit",
         "public/event_channel.h (EVTCHNOP_unmask)")
{
    evtchn_port_t p = raw_unbound();

    if (!p)
        return;
    struct evtchn_unmask u = {.port = p};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_unmask, &u), 0);
    CHECK(!(HYPERVISOR_shared_info->evtchn_mask[p / 64] & (1UL << (p % 64))),
          "port %u still masked", p);
    raw_close(p);
}

XEN_TEST(evtchn_bind_vcpu_moves, TEST_SMP,
         "EVTCHNOP_bind_vcpu moves an interdomain port to vCPU 1; status says so",
         "public/event_channel.h (EVTCHNOP_bind_vcpu)", .min_cpus = 2)
{
    evtchn_port_t a, b;

    if (!raw_pair(&a, &b))
        return;
    struct evtchn_bind_vcpu bv = {.port = a, .vcpu = 1};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_bind_vcpu, &bv), 0);
    struct evtchn_status st = {.dom = DOMID_SELF, .port = a};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_status, &st), 0);
    CHECK(st.vcpu == 1, "status says vCPU %u", st.vcpu);
    raw_close(b);
    raw_close(a);
}

XEN_TEST(evtchn_bind_vcpu_ipi_refused, TEST_NEGATIVE,
         "EVTCHNOP_bind_vcpu of an IPI port is refused (-EINVAL)",
         "public/event_channel.h (EVTCHNOP_bind_vcpu)")
{
    struct evtchn_bind_ipi b = {.vcpu = 0};

    if (!SETUP(EVTCHN_OP(EVTCHNOP_bind_ipi, &b)))
        return;
    evtchn_mask(b.port);
    struct evtchn_bind_vcpu bv = {.port = b.port, .vcpu = 0};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_bind_vcpu, &bv), -XEN_EINVAL);
    raw_close(b.port);
}

XEN_TEST(evtchn_bind_vcpu_bad_vcpu, TEST_NEGATIVE,
         "EVTCHNOP_bind_vcpu to a vCPU that does not exist is -ENOENT",
         "public/event_channel.h (EVTCHNOP_bind_vcpu)")
{
    evtchn_port_t p = raw_unbound();

    if (!p)
        return;
    struct evtchn_bind_vcpu bv = {.port = p, .vcpu = 4000};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_bind_vcpu, &bv), -XEN_ENOENT);
    raw_close(p);
}

XEN_TEST(evtchn_reset_no_domain, TEST_NEGATIVE,
         "EVTCHNOP_reset of a domain that does not exist is -ESRCH",
         "public/event_channel.h (EVTCHNOP_reset)")
{
    struct evtchn_reset r = {.dom = 0x7000};

    EXPECT_RC(EVTCHN_OP(EVTCHNOP_reset, &r), -XEN_ESRCH);
}

XEN_TEST(evtchn_unknown_cmd, TEST_NEGATIVE, "an unknown event_channel_op command is -ENOSYS",
         "public/event_channel.h")
{
    struct evtchn_status st = {0};

    EXPECT_RC(EVTCHN_OP(99, &st), -XEN_ENOSYS);
}

XEN_TEST(evtchn_bad_pointer, TEST_NEGATIVE, "EVTCHNOP_status with an unmapped argument is -EFAULT",
         "public/event_channel.h")
{
    EXPECT_RC(EVTCHN_OP(EVTCHNOP_status, UNMAPPED), -XEN_EFAULT);
}
