/*
 * Behaviour across vCPUs, at 2 and 4: IPIs, timers, moving a port's
 * delivery, and a vCPU taken down with a port bound to it.  Each test
 * needs at least 2 vCPUs and uses every vCPU online.
 */
#include <minios/events.h>
#include <minios/hypervisor.h>
#include <minios/smp.h>
#include <minios/thread.h>
#include <minios/time.h>
#include <minios/timer.h>
#include <minios/xen.h>
#include <xen/event_channel.h>
#include "regress.h"

#define MAX_CPUS 64

static unsigned int online_count(void)
{
    return (unsigned int)__builtin_popcountll(smp_online_mask());
}

struct ipi_counter {
    volatile unsigned int count;
    volatile unsigned int wrong_cpu;
    unsigned int cpu;
};

static void ipi_handler(evtchn_port_t port, void *arg)
{
    struct ipi_counter *c = arg;

    (void)port;
    if (thread_cpu() != c->cpu)
        c->wrong_cpu++;
    __atomic_add_fetch(&c->count, 1, __ATOMIC_RELEASE);
}

XEN_TEST(smp_ipi_once_each, TEST_SMP,
         "200 IPIs to each other vCPU, each sent after the last was handled, arrive exactly once "
         "each, on that vCPU",
         "public/event_channel.h (EVTCHNOP_bind_ipi, EVTCHNOP_send)", .min_cpus = 2)
{
    static struct ipi_counter counters[MAX_CPUS];
    static evtchn_port_t ports[MAX_CPUS];
    unsigned int n = online_count(), self = thread_cpu();
    const unsigned int rounds = 200;

    for (unsigned int cpu = 0; cpu < n; cpu++) {
        counters[cpu] = (struct ipi_counter){.cpu = cpu};
        if (cpu != self && !SETUP(evtchn_bind_ipi(cpu, ipi_handler, &counters[cpu], &ports[cpu])))
            return;
    }
    for (unsigned int r = 0; r < rounds; r++) {
        for (unsigned int cpu = 0; cpu < n; cpu++) {
            if (cpu == self)
                continue;
            evtchn_send(ports[cpu]);
            uint64_t deadline = monotonic_ns() + 2000000000ULL;

            while (__atomic_load_n(&counters[cpu].count, __ATOMIC_ACQUIRE) < r + 1 &&
                   monotonic_ns() < deadline)
                ;
        }
    }
    for (unsigned int cpu = 0; cpu < n; cpu++) {
        if (cpu == self)
            continue;
        CHECK(counters[cpu].count == rounds, "vCPU %u handled %u of %u IPIs", cpu,
              counters[cpu].count, rounds);
        CHECK(counters[cpu].wrong_cpu == 0, "vCPU %u's IPI ran %u times elsewhere", cpu,
              counters[cpu].wrong_cpu);
        evtchn_close(ports[cpu]);
    }
}

struct timer_probe {
    struct timer timer;
    volatile int fired_on;
    unsigned int armed_on;
};

static void timer_fired(struct timer *t, void *arg)
{
    struct timer_probe *p = arg;

    (void)t;
    __atomic_store_n(&p->fired_on, (int)thread_cpu(), __ATOMIC_RELEASE);
}

static void *arm_here(void *arg)
{
    struct timer_probe *p = arg;

    p->armed_on = thread_cpu();
    timer_init(&p->timer, timer_fired, p);
    timer_arm(&p->timer, monotonic_ns() + 5000000ULL);
    return NULL;
}

XEN_TEST(smp_timer_fires_where_armed, TEST_SMP,
         "a singleshot timer armed on each vCPU fires on that vCPU (VIRQ_TIMER is per vCPU)",
         "public/vcpu.h (VCPUOP_set_singleshot_timer), public/xen.h (VIRQ_TIMER)", .min_cpus = 2)
{
    static struct timer_probe probes[MAX_CPUS];
    static struct thread *threads[MAX_CPUS];
    unsigned int n = online_count();

    for (unsigned int cpu = 0; cpu < n; cpu++) {
        struct thread_attr attr = THREAD_ATTR_DEFAULT;

        probes[cpu].fired_on = -1;
        attr.cpu = (int)cpu;
        threads[cpu] = thread_create(arm_here, &probes[cpu], &attr);
        if (!threads[cpu]) {
            test_error("no thread for vCPU %u", cpu);
            return;
        }
    }
    for (unsigned int cpu = 0; cpu < n; cpu++)
        thread_join(threads[cpu], NULL);
    thread_sleep_ns(50000000ULL);
    for (unsigned int cpu = 0; cpu < n; cpu++) {
        CHECK(probes[cpu].armed_on == cpu, "the thread for vCPU %u ran on %u", cpu,
              probes[cpu].armed_on);
        CHECK(probes[cpu].fired_on == (int)cpu, "the timer armed on vCPU %u fired on %d", cpu,
              probes[cpu].fired_on);
        timer_cancel(&probes[cpu].timer);
    }
}

static void pair_handler(evtchn_port_t port, void *arg)
{
    struct ipi_counter *c = arg;

    (void)port;
    if (thread_cpu() != c->cpu)
        c->wrong_cpu++;
    __atomic_add_fetch(&c->count, 1, __ATOMIC_RELEASE);
}

XEN_TEST(smp_bind_vcpu_moves_delivery, TEST_SMP,
         "EVTCHNOP_bind_vcpu moves a loopback port's delivery around every vCPU: each send is "
         "handled on the vCPU it is bound to",
         "public/event_channel.h (EVTCHNOP_bind_vcpu)", .min_cpus = 2)
{
    static struct ipi_counter c;
    evtchn_port_t a, b;
    unsigned int n = online_count();
    const unsigned int rounds = 100;

    c = (struct ipi_counter){.cpu = 0};
    if (!SETUP(evtchn_alloc_unbound(DOMID_SELF, pair_handler, &c, &a)))
        return;
    if (!SETUP(evtchn_bind_interdomain(DOMID_SELF, a, NULL, NULL, &b))) {
        evtchn_close(a);
        return;
    }
    for (unsigned int r = 0; r < rounds; r++) {
        unsigned int cpu = r % n;

        if (evtchn_bind_vcpu(a, cpu) != 0) {
            test_fail("bind_vcpu(%u, %u) failed in round %u", a, cpu, r);
            break;
        }
        c.cpu = cpu;
        evtchn_send(b);
        uint64_t deadline = monotonic_ns() + 2000000000ULL;

        while (__atomic_load_n(&c.count, __ATOMIC_ACQUIRE) < r + 1 && monotonic_ns() < deadline)
            ;
    }
    CHECK(c.count == rounds, "%u of %u events handled", c.count, rounds);
    CHECK(c.wrong_cpu == 0, "%u events handled on a vCPU the port was not bound to", c.wrong_cpu);
    evtchn_close(b);
    evtchn_close(a);
}

XEN_TEST(smp_down_with_bound_port, TEST_SMP,
         "a port bound to a vCPU taken down with VCPUOP_down stays bound to it; a send still marks "
         "it pending",
         "public/vcpu.h (VCPUOP_down), public/event_channel.h", .min_cpus = 2)
{
    struct evtchn_alloc_unbound al = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};

    thread_set_affinity(thread_self(), 0);
    if (!SETUP(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &al)))
        return;
    evtchn_mask(al.port);
    struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF, .remote_port = al.port};

    if (!SETUP(HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi)))
        return;
    evtchn_mask(bi.local_port);
    struct evtchn_bind_vcpu bv = {.port = al.port, .vcpu = 1};

    EXPECT_RC(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv), 0);
    if (cpu_down(1) != 0) {
        test_error("cpu_down(1) failed");
    } else {
        struct evtchn_send s = {.port = bi.local_port};
        struct evtchn_status st = {.dom = DOMID_SELF, .port = al.port};

        EXPECT_RC(HYPERVISOR_event_channel_op(EVTCHNOP_send, &s), 0);
        EXPECT_RC(HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), 0);
        CHECK(st.vcpu == 1, "the port moved to vCPU %u", st.vcpu);
        CHECK(HYPERVISOR_shared_info->evtchn_pending[al.port / 64] & (1UL << (al.port % 64)),
              "not pending after the send");
        CHECK(cpu_up(1) == 0, "cpu_up(1) failed");
    }
    struct evtchn_close c1 = {.port = bi.local_port}, c2 = {.port = al.port};

    HYPERVISOR_event_channel_op(EVTCHNOP_close, &c1);
    HYPERVISOR_event_channel_op(EVTCHNOP_close, &c2);
    __atomic_and_fetch(&HYPERVISOR_shared_info->evtchn_pending[al.port / 64],
                       ~(1UL << (al.port % 64)), __ATOMIC_SEQ_CST);
    evtchn_unmask(al.port);
    evtchn_unmask(bi.local_port);
    thread_set_affinity(thread_self(), THREAD_ANY_CPU);
}

struct mover_state {
    evtchn_port_t send_port;
    volatile bool stop;
    volatile unsigned long sent;
};

static void *keep_sending(void *arg)
{
    struct mover_state *m = arg;

    while (!m->stop) {
        evtchn_send(m->send_port);
        m->sent++;
        for (volatile int i = 0; i < 200; i++)
            ;
    }
    return NULL;
}

static volatile unsigned long handled_on[MAX_CPUS];

static void count_where(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    __atomic_add_fetch(&handled_on[thread_cpu()], 1, __ATOMIC_RELEASE);
}

static unsigned long handled_total(unsigned int n)
{
    unsigned long sum = 0;

    for (unsigned int cpu = 0; cpu < n; cpu++)
        sum += __atomic_load_n(&handled_on[cpu], __ATOMIC_ACQUIRE);
    return sum;
}

XEN_TEST(smp_bind_vcpu_while_sending, TEST_SMP,
         "a port moved among all vCPUs with EVTCHNOP_bind_vcpu while another vCPU sends to it: "
         "deliveries follow it and none is stuck",
         "public/event_channel.h (EVTCHNOP_bind_vcpu, EVTCHNOP_send)", .min_cpus = 2)
{
    static struct mover_state m;
    unsigned int n = online_count();
    evtchn_port_t a, b;
    struct thread_attr attr = THREAD_ATTR_DEFAULT;

    for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++)
        handled_on[cpu] = 0;
    thread_set_affinity(thread_self(), 0);
    if (!SETUP(evtchn_alloc_unbound(DOMID_SELF, count_where, NULL, &a)))
        goto out;
    if (!SETUP(evtchn_bind_interdomain(DOMID_SELF, a, NULL, NULL, &b))) {
        evtchn_close(a);
        goto out;
    }
    m = (struct mover_state){.send_port = b};
    attr.cpu = (int)n - 1;
    struct thread *sender = thread_create(keep_sending, &m, &attr);

    if (!sender) {
        test_error("no sender thread");
    } else {
        unsigned int moves = 0;

        for (uint64_t end = monotonic_ns() + 300000000ULL; monotonic_ns() < end; moves++) {
            if (evtchn_bind_vcpu(a, moves % n) != 0) {
                test_fail("bind_vcpu(%u, %u) failed", a, moves % n);
                break;
            }
        }
        m.stop = true;
        thread_join(sender, NULL);
        /* Settle on vCPU 0; one last send must be handled there. */
        evtchn_bind_vcpu(a, 0);
        thread_sleep_ns(10000000ULL);
        unsigned long before = handled_total(n), on0 = handled_on[0];

        evtchn_send(b);
        uint64_t deadline = monotonic_ns() + 2000000000ULL;

        while (handled_total(n) == before && monotonic_ns() < deadline)
            thread_yield();
        CHECK(handled_total(n) > before,
              "the last send after %u moves was never handled (port stuck)", moves);
        CHECK(handled_on[0] > on0,
              "the last send was not handled on vCPU 0, where the port is bound");
        unsigned int cpus_used = 0;

        for (unsigned int cpu = 0; cpu < n; cpu++)
            cpus_used += handled_on[cpu] > 0;
        CHECK(cpus_used >= 2, "deliveries happened on only %u vCPU(s) over %u moves", cpus_used,
              moves);
        test_note("%u moves, %lu sends, %lu handled on %u vCPUs", moves, m.sent, handled_total(n),
                  cpus_used);
    }
    evtchn_close(b);
    evtchn_close(a);
out:
    thread_set_affinity(thread_self(), THREAD_ANY_CPU);
}
