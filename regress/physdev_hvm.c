/*
 * physdev_op's I/O privilege, and what a PV guest gets from hvm_op
 * (public/physdev.h, public/hvm/hvm_op.h).
 */
#include <minios/xen.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/physdev.h>
#include "regress.h"

XEN_TEST(physdev_set_iopl, TEST_FUNCTIONAL, "PHYSDEVOP_set_iopl with iopl 1 succeeds (and 0 again)",
         "public/physdev.h (PHYSDEVOP_set_iopl)")
{
    if (pv_only("I/O privilege levels are PV's: Xen gives a PVH guest -ENOSYS (it runs in ring 0)"))
        return;
    struct physdev_set_iopl iopl = {.iopl = 1};

    EXPECT_RC(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl), 0);
    iopl.iopl = 0;
    EXPECT_RC(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl), 0);
}

XEN_TEST(physdev_set_iopl_bad, TEST_NEGATIVE, "PHYSDEVOP_set_iopl with iopl 4 is -EINVAL",
         "public/physdev.h (PHYSDEVOP_set_iopl)")
{
    if (pv_only("I/O privilege levels are PV's: Xen gives a PVH guest -ENOSYS (it runs in ring 0)"))
        return;
    struct physdev_set_iopl iopl = {.iopl = 4};

    EXPECT_RC(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl), -XEN_EINVAL);
}

XEN_TEST(physdev_unknown_cmd, TEST_NEGATIVE, "an unknown physdev_op command is -ENOSYS",
         "public/physdev.h")
{
    struct physdev_set_iopl iopl = {.iopl = 0};

    EXPECT_RC(HYPERVISOR_physdev_op(999, &iopl), -XEN_ENOSYS);
}

static long hvm_op(unsigned long cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_hvm_op, cmd, (unsigned long)arg, 0, 0, 0);
}

XEN_TEST(hvm_get_param_pv, TEST_NEGATIVE,
         "HVMOP_get_param from a PV guest about itself is refused (-EINVAL)",
         "public/hvm/hvm_op.h (HVMOP_get_param)")
{
    if (pv_only("checks that a PV guest is refused HVM_PARAMs; a PVH guest has them"))
        return;
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = HVM_PARAM_STORE_PFN};

    EXPECT_RC(hvm_op(HVMOP_get_param, &p), -XEN_EINVAL);
}

XEN_TEST(hvm_unknown_cmd, TEST_NEGATIVE, "an unknown hvm_op command is -ENOSYS",
         "public/hvm/hvm_op.h")
{
    EXPECT_RC(hvm_op(999, NULL), -XEN_ENOSYS);
}
