/*
 * The framework proven able to fail: each test here goes wrong on purpose
 * in one way, and tests/regress.sh asserts exactly the verdict and reason
 * each must get, and that the run goes on after each.  The expected final
 * line is "Test result: FAILURE".
 */
#include <minios/hypercall.h>
#include <minios/test.h>

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
