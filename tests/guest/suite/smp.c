/*
 * The vCPUs: every one runs threads, IPIs, calls on other vCPUs, TLB
 * shootdowns, the pagetable unpin rule, and hotplug.  Run by make check
 * with 1, 2 and 4 vCPUs; tests that need more than one vCPU are not run on
 * one.  Every wait has a deadline, so a lost wake-up is reported as a
 * failure, not a hang.
 */
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/mm.h>
#include <minios/probe.h>
#include <minios/smp.h>
#include <minios/sync.h>
#include <minios/test.h>
#include <minios/thread.h>
#include <minios/time.h>
#include "suite.h"

static unsigned int online_count(void)
{
    return (unsigned int)__builtin_popcountll(smp_online_mask());
}

void join_all(struct thread **t, int n)
{
    for (int i = 0; i < n; i++) {
        if (t[i] && thread_join(t[i], NULL) != 0)
            test_fail("joining thread %d failed", i);
    }
}

/* --- every vCPU works --- */

static unsigned long ran_on[64];
static struct waitq start_gate = WAITQ_INIT(start_gate);
static bool gate_open;

static bool is_open(void *arg)
{
    (void)arg;
    return gate_open;
}

/* Starts when the gate opens, so all threads compete for the vCPUs at once. */
static void *spin_and_note(void *arg)
{
    (void)arg;
    waitq_wait(&start_gate, is_open, NULL, NO_DEADLINE);
    uint64_t until = monotonic_ns() + 20 * NSEC_PER_MSEC;

    while (monotonic_ns() < until)
        cpu_relax();
    __atomic_fetch_add(&ran_on[thread_cpu()], 1, __ATOMIC_RELAXED);
    return NULL;
}

TEST_DEFINE(test_smp_all_online, "every vCPU is online and runs threads")
{
    unsigned int n = smp_cpu_count();
    struct thread *t[32];

    CHECK(smp_online_mask() == (n >= 64 ? ~0ULL : (1ULL << n) - 1), "online mask %#lx for %u vCPUs",
          (unsigned long)smp_online_mask(), n);
    for (unsigned int i = 0; i < 64; i++)
        ran_on[i] = 0;
    gate_open = false;
    for (int i = 0; i < 32; i++)
        t[i] = thread_create(spin_and_note, NULL, NULL);
    unsigned long flags = spin_lock_irqsave(&start_gate.lock);
    gate_open = true;
    spin_unlock_irqrestore(&start_gate.lock, flags);
    waitq_wake_all(&start_gate);
    join_all(t, 32);
    for (unsigned int c = 0; c < n; c++)
        CHECK(ran_on[c] > 0, "no thread ran on vCPU %u", c);
    test_note("%u vCPUs online; 32 threads ran on them as:", n);
    for (unsigned int c = 0; c < n; c++)
        test_note("  vCPU %u: %lu", c, ran_on[c]);
}

/* --- IPIs and smp_call_function --- */

static void count_call(void *arg)
{
    __atomic_fetch_add((unsigned long *)arg, 1, __ATOMIC_RELAXED);
}

TEST_DEFINE(test_ipi_pingpong, "1,000 IPI round trips between two vCPUs", .min_cpus = 2)
{
    enum { ROUNDS = 1000 };
    unsigned long count = 0;
    uint64_t start;

    unsigned int other = thread_cpu() == 0 ? 1 : 0;

    start = monotonic_ns();
    for (int i = 0; i < ROUNDS; i++) {
        if (smp_call_function_single(other, count_call, &count, true) != 0) {
            test_fail("smp_call_function_single failed at round %d", i);
            break;
        }
    }
    CHECK(count == ROUNDS, "%lu of %d calls ran", count, ROUNDS);
    test_note("IPI round trip to vCPU %u: %lu ns", other, (monotonic_ns() - start) / ROUNDS);
}

static volatile bool keep_busy;

static void *busy(void *arg)
{
    (void)arg;
    while (keep_busy)
        cpu_relax();
    return NULL;
}

struct cross_call {
    unsigned int target;
    unsigned long count;
    unsigned long done;
};

static void *call_with_events_masked(void *arg)
{
    struct cross_call *x = arg;

    local_irq_disable();
    for (int i = 0; i < 200; i++)
        smp_call_function_single(x->target, count_call, &x->count, true);
    local_irq_enable();
    __atomic_store_n(&x->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

TEST_DEFINE(test_call_function, "smp_call_function to busy vCPUs, with/without wait, events masked")
{
    unsigned int n = online_count();
    struct thread *t[64];
    unsigned long count = 0;

    /* Every other vCPU busy in a thread that never yields. */
    keep_busy = true;
    for (unsigned int i = 0; i + 1 < n; i++)
        t[i] = thread_create(busy, NULL, NULL);
    thread_sleep_ns(20 * NSEC_PER_MSEC);

    int reached = smp_call_function(smp_online_mask(), count_call, &count, true);
    CHECK(reached == (int)n, "smp_call_function reached %d of %u vCPUs", reached, n);
    CHECK(count == n, "with wait: %lu of %u vCPUs ran it", count, n);

    count = 0;
    smp_call_function(smp_online_mask(), count_call, &count, false);
    uint64_t give_up = DEADLINE(10);
    while (__atomic_load_n(&count, __ATOMIC_ACQUIRE) < n && monotonic_ns() < give_up)
        thread_sleep_ns(NSEC_PER_MSEC);
    CHECK(count == n, "without wait: %lu of %u vCPUs ran it", count, n);

    /* With events masked on the caller, too. */
    count = 0;
    local_irq_disable();
    smp_call_function(smp_online_mask(), count_call, &count, true);
    local_irq_enable();
    CHECK(count == n, "events masked: %lu of %u vCPUs ran it", count, n);
    keep_busy = false;
    join_all(t, (int)n - 1);

    /* Two vCPUs calling each other, both with events masked: no deadlock. */
    if (n >= 2) {
        struct thread_attr a0 = THREAD_ATTR_DEFAULT, a1 = THREAD_ATTR_DEFAULT;
        struct cross_call x0 = {.target = 1}, x1 = {.target = 0};

        a0.cpu = 0;
        a1.cpu = 1;
        struct thread *t0 = thread_create(call_with_events_masked, &x0, &a0);
        struct thread *t1 = thread_create(call_with_events_masked, &x1, &a1);

        give_up = DEADLINE(30);
        while ((!x0.done || !x1.done) && monotonic_ns() < give_up)
            thread_sleep_ns(NSEC_PER_MSEC);
        CHECK(x0.done && x1.done, "two vCPUs calling each other with events masked deadlocked");
        if (x0.done && x1.done) {
            thread_join(t0, NULL);
            thread_join(t1, NULL);
            CHECK(x0.count == 200 && x1.count == 200, "cross calls ran %lu and %lu times", x0.count,
                  x1.count);
        }
    }
}

/* --- TLB shootdown --- */

static struct {
    volatile uint64_t *alias;
    volatile int stage;
    struct probe_result after;
    uint64_t seen;
} shoot;

static void *reader_on_other_cpu(void *arg)
{
    (void)arg;
    shoot.seen = *shoot.alias; /* the translation is now in this vCPU's TLB */
    __atomic_store_n(&shoot.stage, 1, __ATOMIC_RELEASE);
    while (__atomic_load_n(&shoot.stage, __ATOMIC_ACQUIRE) != 2)
        cpu_relax(); /* no yield: stay on this vCPU */
    uint64_t v;
    shoot.after = probe_read_u64((void *)shoot.alias, &v);
    return NULL;
}

TEST_DEFINE(test_tlb_shootdown, "after an unmap on one vCPU, an access on another faults",
            .min_cpus = 2)
{
    uint64_t *page = alloc_page();
    unsigned long mfn = virt_to_mfn(page);
    struct thread_attr attr = THREAD_ATTR_DEFAULT;

    page[0] = 0xfeedfacecafef00dULL;
    shoot.alias = map_frames(&mfn, 1, 0, DOMID_SELF);
    shoot.stage = 0;
    if (!shoot.alias) {
        test_error("map_frames failed");
        return;
    }
    attr.cpu = thread_cpu() == 0 ? 1 : 0;
    struct thread *t = thread_create(reader_on_other_cpu, NULL, &attr);
    uint64_t give_up = DEADLINE(10);

    while (__atomic_load_n(&shoot.stage, __ATOMIC_ACQUIRE) != 1 && monotonic_ns() < give_up)
        thread_sleep_ns(NSEC_PER_MSEC);
    unmap_frames((void *)shoot.alias, 1);
    __atomic_store_n(&shoot.stage, 2, __ATOMIC_RELEASE);
    thread_join(t, NULL);
    CHECK(shoot.seen == 0xfeedfacecafef00dULL, "the alias read %#lx", shoot.seen);
    CHECK(shoot.after.faulted && shoot.after.vector == X86_EXC_PF,
          "after the unmap, vCPU %d still read through its old TLB entry", attr.cpu);
    free_page(page);
}

/* --- the unpin rule --- */

static unsigned long l4_to_load;
static int load_rc;

static void load_l4(void *arg)
{
    struct mmuext_op op = {.cmd = MMUEXT_NEW_BASEPTR};

    (void)arg;
    op.arg1.mfn = l4_to_load;
    load_rc = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static int mmuext(unsigned int cmd, unsigned long mfn)
{
    struct mmuext_op op = {.cmd = cmd};

    op.arg1.mfn = mfn;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* Pinning (MMUEXT_PIN_*) is how Xen validates a PV guest's tables; PVH tables are its own. */
static const char *pvh_no_pinning(void)
{
    return xen_boot_is_pvh() ? "page-table pinning is PV's (MMUEXT_PIN_L4_TABLE)" : NULL;
}

TEST_DEFINE(test_pagetable_unpin, "a table in use on another vCPU is not reused until dropped",
            .min_cpus = 2, .not_here = pvh_no_pinning)
{
    unsigned int other = thread_cpu() == 0 ? 1 : 0;
    unsigned long *l4 = alloc_page();
    const unsigned long *ours = (const unsigned long *)start_info.pt_base;
    unsigned long mfn = virt_to_mfn(l4), our_mfn = virt_to_mfn((void *)ours);
    int rc;

    for (int i = 0; i < 512; i++)
        l4[i] = ours[i];
    rc = page_set_writable(l4, false);
    CHECK(rc == 0, "making the copy read-only: %d (%s)", rc, xen_strerror(rc));
    rc = mmuext(MMUEXT_PIN_L4_TABLE, mfn);
    if (rc) {
        test_error("MMUEXT_PIN_L4_TABLE: %d (%s)", rc, xen_strerror(rc));
        return;
    }
    l4_to_load = mfn;
    smp_call_function_single(other, load_l4, NULL, true);
    CHECK(load_rc == 0, "vCPU %u loading the copy: %d (%s)", other, load_rc, xen_strerror(load_rc));

    /* vCPU `other` still runs on it: the page cannot go back to being data. */
    rc = mmuext(MMUEXT_UNPIN_TABLE, mfn);
    test_note("unpin while vCPU %u uses it: %d (%s)", other, rc, xen_strerror(rc));
    rc = page_set_writable(l4, true);
    CHECK(rc == -XEN_EBUSY, "mapping the in-use table writable gave %d (%s), expected EBUSY", rc,
          xen_strerror(rc));

    /* Make that vCPU drop it (an IPI), then it is ours again. */
    l4_to_load = our_mfn;
    smp_call_function_single(other, load_l4, NULL, true);
    CHECK(load_rc == 0, "vCPU %u going back: %d (%s)", other, load_rc, xen_strerror(load_rc));
    rc = mmuext(MMUEXT_UNPIN_TABLE, mfn);
    CHECK(rc == 0 || rc == -XEN_EINVAL, "unpin after the drop: %d (%s)", rc, xen_strerror(rc));
    rc = page_set_writable(l4, true);
    CHECK(rc == 0, "mapping it writable after the drop: %d (%s)", rc, xen_strerror(rc));
    if (rc == 0)
        free_page(l4);
}

/* --- vCPU down and up under load --- */

static volatile bool hotplug_stop;
static struct mutex hotplug_lock = MUTEX_INIT(hotplug_lock);
static unsigned long hotplug_counter;

static void *hotplug_worker(void *arg)
{
    unsigned long *done = arg;

    while (!hotplug_stop) {
        mutex_lock(&hotplug_lock);
        hotplug_counter++;
        mutex_unlock(&hotplug_lock);
        (*done)++;
        thread_yield();
    }
    return NULL;
}

TEST_DEFINE(test_cpu_hotplug, "a vCPU goes down and up under load; nothing is lost", .min_cpus = 2)
{
    enum { WORKERS = 6 };
    unsigned long done[WORKERS] = {0};
    struct thread *t[WORKERS];

    unsigned int victim = smp_cpu_count() - 1;

    hotplug_counter = 0;
    hotplug_stop = false;
    for (int i = 0; i < WORKERS; i++)
        t[i] = thread_create(hotplug_worker, &done[i], NULL);
    thread_sleep_ns(20 * NSEC_PER_MSEC);

    CHECK(cpu_down(victim) == 0, "cpu_down(%u) failed", victim);
    CHECK(!(smp_online_mask() & CPUMASK_ONE(victim)), "vCPU %u still online", victim);
    unsigned long before = hotplug_counter;
    thread_sleep_ns(30 * NSEC_PER_MSEC);
    CHECK(hotplug_counter > before, "no progress while vCPU %u was down", victim);
    /* Timers still fire with it down (its queue moved to vCPU 0). */
    uint64_t t0 = monotonic_ns();
    thread_sleep_ns(5 * NSEC_PER_MSEC);
    CHECK(monotonic_ns() - t0 >= 5 * NSEC_PER_MSEC, "a sleep ended early");

    CHECK(cpu_up(victim) == 0, "cpu_up(%u) failed", victim);
    CHECK(smp_online_mask() & CPUMASK_ONE(victim), "vCPU %u not back online", victim);
    before = hotplug_counter;
    thread_sleep_ns(30 * NSEC_PER_MSEC);
    CHECK(hotplug_counter > before, "no progress after vCPU %u came back", victim);

    hotplug_stop = true;
    join_all(t, WORKERS);
    unsigned long sum = 0;
    for (int i = 0; i < WORKERS; i++)
        sum += done[i];
    CHECK(sum == hotplug_counter, "workers did %lu increments, the hotplug_counter says %lu", sum,
          hotplug_counter);
    CHECK(cpu_down(0) != 0, "vCPU 0 was taken down");
}
