/*
 * console_io: writing to and reading from Xen's own console (public/xen.h).
 * Only the hardware domain may use it in a release build of Xen.
 */
#include <string.h>
#include "regress.h"

XEN_TEST(console_write, TEST_FUNCTIONAL, "CONSOLEIO_write of a line returns 0",
         "public/xen.h (CONSOLEIO_write)", .needs = TEST_NEEDS_DOM0)
{
    static const char line[] = "regress: a line through CONSOLEIO_write\n";

    EXPECT_RC(HYPERVISOR_console_io(CONSOLEIO_write, sizeof(line) - 1, line), 0);
}

XEN_TEST(console_read, TEST_FUNCTIONAL, "CONSOLEIO_read with nothing typed returns 0 characters",
         "public/xen.h (CONSOLEIO_read)", .needs = TEST_NEEDS_DOM0)
{
    char buf[16];

    /* Nobody types at the harness's serial port during the run. */
    EXPECT_RC(HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf), 0);
}

XEN_TEST(console_write_bad_pointer, TEST_NEGATIVE,
         "CONSOLEIO_write from an unmapped buffer is -EFAULT", "public/xen.h (CONSOLEIO_write)",
         .needs = TEST_NEEDS_DOM0)
{
    EXPECT_RC(HYPERVISOR_console_io(CONSOLEIO_write, 16, (const char *)UNMAPPED), -XEN_EFAULT);
}

XEN_TEST(console_unknown_cmd, TEST_NEGATIVE, "an unknown console_io command is -ENOSYS",
         "public/xen.h", .needs = TEST_NEEDS_DOM0)
{
    char buf[4];

    EXPECT_RC(HYPERVISOR_console_io(99, sizeof(buf), buf), -XEN_ENOSYS);
}

XEN_TEST(console_domu_refused, TEST_NEGATIVE,
         "console_io from a domU is refused with -EPERM (release build)",
         "public/xen.h, xsm/dummy.h (xsm_console_io)", .needs = TEST_NEEDS_DOMU)
{
    static const char line[] = "x\n";

    EXPECT_RC(HYPERVISOR_console_io(CONSOLEIO_write, 2, line), -XEN_EPERM);
}
