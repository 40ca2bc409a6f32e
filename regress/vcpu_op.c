/*
 * vcpu_op: vCPUs, their timers and runstate (public/vcpu.h).  Calls that
 * act on "the current vCPU" use the one this thread runs on; tests do not
 * yield between finding it and using it.
 */
#include <string.h>
#include <minios/p2m.h>
#include <minios/smp.h>
#include <minios/thread.h>
#include <minios/time.h>
#include <minios/xen.h>
#include <xen/vcpu.h>
#include "regress.h"

XEN_TEST(vcpu_is_up_self, TEST_FUNCTIONAL, "VCPUOP_is_up of the running vCPU is 1",
         "public/vcpu.h (VCPUOP_is_up)")
{
    EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, thread_cpu(), NULL), 1);
}

XEN_TEST(vcpu_is_up_out_of_range, TEST_NEGATIVE,
         "VCPUOP_is_up of a vCPU id past the domain's is -ENOENT", "public/vcpu.h (VCPUOP_is_up)")
{
    EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, 100000, NULL), -XEN_ENOENT);
}

XEN_TEST(vcpu_initialise_twice_refused, TEST_NEGATIVE,
         "VCPUOP_initialise of a vCPU already initialised is -EEXIST",
         "public/vcpu.h (VCPUOP_initialise)")
{
    static struct vcpu_guest_context ctxt;

    memset(&ctxt, 0, sizeof(ctxt));
    EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_initialise, 0, &ctxt), -XEN_EEXIST);
}

XEN_TEST(vcpu_runstate_info, TEST_FUNCTIONAL,
         "VCPUOP_get_runstate_info of the running vCPU says running, with running time",
         "public/vcpu.h (VCPUOP_get_runstate_info)")
{
    struct vcpu_runstate_info rs;

    memset(&rs, 0xff, sizeof(rs));
    EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, thread_cpu(), &rs), 0);
    CHECK(rs.state == RUNSTATE_running, "state %d, expected running (0)", rs.state);
    CHECK(rs.time[RUNSTATE_running] > 0, "no time spent running");
}

XEN_TEST(vcpu_runstate_area, TEST_FUNCTIONAL,
         "VCPUOP_register_runstate_memory_area fills the area at once; registering NULL stops it",
         "public/vcpu.h (VCPUOP_register_runstate_memory_area)")
{
    static struct vcpu_runstate_info area;
    unsigned int cpu = thread_cpu();
    struct vcpu_register_runstate_memory_area r = {.addr.v = &area};

    memset(&area, 0xff, sizeof(area));
    EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, cpu, &r), 0);
    CHECK(area.state == RUNSTATE_running, "the area says state %d", area.state);
    r.addr.v = NULL;
    EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, cpu, &r), 0);
}

XEN_TEST(vcpu_singleshot_past_future, TEST_FUNCTIONAL,
         "a singleshot timer in the past with VCPU_SSHOTTMR_future is accepted: the flag is "
         "ignored (4.17.7), not -ETIME",
         "public/vcpu.h (VCPU_SSHOTTMR_future: may be ignored by the hypervisor)")
{
    struct vcpu_set_singleshot_timer t = {.timeout_abs_ns = 1, .flags = VCPU_SSHOTTMR_future};

    /* Accepted, it fires at once: the kernel's timer handler re-arms its own. */
    EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, thread_cpu(), &t), 0);
}

XEN_TEST(vcpu_singleshot_other_refused, TEST_NEGATIVE,
         "setting another vCPU's singleshot timer is -EINVAL",
         "public/vcpu.h (VCPUOP_set_singleshot_timer: the current vCPU only)", .min_cpus = 2)
{
    struct vcpu_set_singleshot_timer t = {.timeout_abs_ns = monotonic_ns() + 1000000000ULL};
    unsigned int other = thread_cpu() == 0 ? 1 : 0;

    EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, other, &t), -XEN_EINVAL);
}

XEN_TEST(vcpu_periodic_too_short, TEST_NEGATIVE, "a periodic timer shorter than 1 ms is -EINVAL",
         "public/vcpu.h (VCPUOP_set_periodic_timer)")
{
    struct vcpu_set_periodic_timer p = {.period_ns = 1000};

    EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, thread_cpu(), &p), -XEN_EINVAL);
}

XEN_TEST(vcpu_stop_periodic, TEST_FUNCTIONAL, "VCPUOP_stop_periodic_timer succeeds",
         "public/vcpu.h (VCPUOP_stop_periodic_timer)")
{
    EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, thread_cpu(), NULL), 0);
}

XEN_TEST(vcpu_info_twice_refused, TEST_NEGATIVE,
         "VCPUOP_register_vcpu_info when one is registered is refused: -EINVAL in 4.17, -EBUSY in "
         "4.20 (the value)",
         "public/vcpu.h (VCPUOP_register_vcpu_info), xen/common/domain.c")
{
    static char page[4096] __attribute__((aligned(4096)));
    struct vcpu_register_vcpu_info info = {.mfn = virt_to_mfn(page), .offset = 0};
    int rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, thread_cpu(), &info);

    CHECK(rc == -XEN_EINVAL || rc == -XEN_EBUSY,
          "VCPUOP_register_vcpu_info again returned %d (%s), expected -EINVAL or -EBUSY", rc,
          xen_strerror(rc));
    test_value("%s", xen_strerror(rc));
}

XEN_TEST(vcpu_unknown_cmd, TEST_NEGATIVE, "an unknown vcpu_op command is -ENOSYS", "public/vcpu.h")
{
    EXPECT_RC(HYPERVISOR_vcpu_op(99, 0, NULL), -XEN_ENOSYS);
}

XEN_TEST(vcpu_down_up, TEST_SMP,
         "VCPUOP_down takes vCPU 1 down (is_up 0) and VCPUOP_up brings it back (is_up 1)",
         "public/vcpu.h (VCPUOP_down, VCPUOP_up, VCPUOP_is_up)", .min_cpus = 2)
{
    thread_set_affinity(thread_self(), 0);
    if (cpu_down(1) != 0) {
        test_error("cpu_down(1) failed");
        return;
    }
    EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
    if (cpu_up(1) != 0)
        test_fail("cpu_up(1) failed");
    EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 1);
    thread_set_affinity(thread_self(), THREAD_ANY_CPU);
}
