/*
 * The framework proven able to fail: each test here goes wrong on purpose
 * in one way, and tests/regress.sh asserts exactly the verdict and reason
 * each must get, and that the run goes on after each.  The expected final
 * line is "Test result: FAILURE".
 */
#include <minios/hypercall.h>
#include <minios/irqflags.h>
#include <minios/spinlock.h>
#include <minios/sync.h>
#include <minios/test.h>
#include <minios/thread.h>
#include <minios/time.h>

XEN_TEST(selftest_pass, TEST_FUNCTIONAL, "XENVER_version answers (a test that passes)",
         "public/version.h")
{
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);

    CHECK(v > 0, "XENVER_version returned %ld", v);
}

XEN_TEST(selftest_wrong_expectation, TEST_FUNCTIONAL,
         "expects XENVER_version to be 0 (deliberately wrong)", "public/version.h")
{
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);

    CHECK(v == 0, "XENVER_version is %#lx, the test wanted 0", v);
}

XEN_TEST(selftest_error, TEST_FUNCTIONAL, "reports a set-up failure as ERROR", "-")
{
    test_error("set-up deliberately failed");
}

XEN_TEST(selftest_fault, TEST_FUNCTIONAL, "writes through an unmapped pointer (deliberate #PF)",
         "-")
{
    volatile unsigned long *bad = (volatile unsigned long *)0xdead000;

    *bad = 1;
    test_fail("the write to %p did not fault", (void *)bad);
}

XEN_TEST(selftest_hang, TEST_FUNCTIONAL, "spins forever (deliberate hang, 1 s watchdog)", "-",
         .timeout_ms = 1000)
{
    for (volatile unsigned long i = 0;; i++)
        ;
}

/*
 * SCHEDOP_block enables event delivery before it blocks (Xen's
 * vcpu_block_enable_events): the watchdog's timer event wakes it and its
 * upcall ends the test, masked or not.
 */
XEN_TEST(selftest_block_masked, TEST_FUNCTIONAL,
         "blocks forever in SCHEDOP_block with events masked (deliberate hang, 1 s watchdog)", "-",
         .timeout_ms = 1000)
{
    for (;;) {
        local_irq_disable();
        long rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);

        if (rc != 0) {
            test_error("SCHEDOP_block returned %ld (%s)", rc, xen_strerror(rc));
            break;
        }
    }
    local_irq_enable();
}

/*
 * SCHEDOP_poll leaves events masked: no upcall can end it, and once an
 * event is pending (masked) nothing else wakes a poll of another port.
 */
XEN_TEST(selftest_poll_masked, TEST_FUNCTIONAL,
         "polls a port nobody sends to, without timeout, events masked (deliberate hang, 1 s "
         "watchdog)",
         "-", .timeout_ms = 1000)
{
    struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);

    if (rc != 0) {
        test_error("EVTCHNOP_alloc_unbound returned %ld (%s)", rc, xen_strerror(rc));
        return;
    }
    evtchn_port_t port = a.port;
    struct sched_poll poll = {.nr_ports = 1, .timeout = 0};

    set_xen_guest_handle(poll.ports, &port);
    local_irq_disable();
    for (;;) {
        rc = HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
        if (rc != 0) {
            test_error("SCHEDOP_poll returned %ld (%s)", rc, xen_strerror(rc));
            break;
        }
    }
    local_irq_enable();
}

/* Locks the next two tests leave held when they are ended early. */
static spinlock_t fault_spin = SPINLOCK_INIT, hang_spin = SPINLOCK_INIT;
static struct mutex fault_mutex = MUTEX_INIT(fault_mutex), hang_mutex = MUTEX_INIT(hang_mutex);

XEN_TEST(selftest_fault_holding_locks, TEST_FUNCTIONAL,
         "faults holding a spinlock and a mutex (deliberate #PF; the runner releases both)", "-")
{
    volatile unsigned long *bad = (volatile unsigned long *)0xdead000;

    mutex_lock(&fault_mutex);
    spin_lock(&fault_spin);
    *bad = 1;
    test_fail("the write to %p did not fault", (void *)bad);
}

XEN_TEST(selftest_hang_holding_locks, TEST_FUNCTIONAL,
         "spins forever holding a mutex and a spinlock (deliberate hang, 1 s watchdog)", "-",
         .timeout_ms = 1000)
{
    mutex_lock(&hang_mutex);
    spin_lock(&hang_spin);
    for (volatile unsigned long i = 0;; i++)
        ;
}

static void *lock_hang_mutex(void *arg)
{
    bool *got = arg;

    *got = mutex_lock_until(&hang_mutex, monotonic_ns() + 200000000ULL);
    if (*got)
        mutex_unlock(&hang_mutex);
    return NULL;
}

XEN_TEST(selftest_locks_released, TEST_FUNCTIONAL,
         "the locks the two tests before left held are free: this thread and another take them",
         "-")
{
    bool got = false;

    CHECK(spin_trylock(&fault_spin), "the spinlock held at the fault is still held");
    spin_unlock(&fault_spin);
    CHECK(spin_trylock(&hang_spin), "the spinlock held at the timeout is still held");
    spin_unlock(&hang_spin);
    if (mutex_trylock(&fault_mutex))
        mutex_unlock(&fault_mutex);
    else
        test_fail("the mutex held at the fault is still held");

    struct thread *t = thread_create(lock_hang_mutex, &got, NULL);

    if (!t) {
        test_error("thread_create failed");
        return;
    }
    thread_join(t, NULL);
    CHECK(got, "another thread waited 200 ms for the mutex held at the timeout");
}

XEN_TEST(selftest_needs_vcpus, TEST_SMP, "needs more vCPUs than any run has", "-", .min_cpus = 64)
{
    test_fail("ran with fewer than 64 vCPUs");
}

XEN_TEST(selftest_after, TEST_FUNCTIONAL, "runs after the others (the run went on)", "-")
{
    CHECK(HYPERVISOR_xen_version(XENVER_version, NULL) > 0, "XENVER_version failed");
}

int main(int argc, char **argv)
{
    return test_main_all(argc, argv);
}
