/*
 * The PV CPU's state: the trap table, callbacks, segment bases and the
 * lazy FPU switch (public/xen.h, public/callback.h,
 * public/arch-x86/xen-x86_64.h).
 */
#include <minios/probe.h>
#include <minios/xen.h>
#include <xen/callback.h>
#include "regress.h"

XEN_TEST(trap_table_bad_pointer, TEST_NEGATIVE, "set_trap_table from an unmapped table is -EFAULT",
         "public/xen.h (set_trap_table)")
{
    if (pv_only("a PV hypercall: Xen gives a PVH guest -ENOSYS (it has its own IDT, MSRs and CR0)"))
        return;
    EXPECT_RC(HYPERVISOR_set_trap_table(UNMAPPED), -XEN_EFAULT);
    /* Our own table must still be in place. */
    struct probe_result r = probe_ud2();
    CHECK(r.faulted && r.vector == X86_EXC_UD, "ud2 no longer reaches our #UD handler");
}

XEN_TEST(trap_bp_delivered, TEST_FUNCTIONAL,
         "int3 reaches the guest's #BP handler (vector 3, a DPL-3 trap-table entry)",
         "public/arch-x86/xen.h (trap_info)")
{
    struct probe_result r = probe_int3();

    CHECK(r.faulted && r.vector == X86_EXC_BP, "int3: faulted %d, vector %u", r.faulted, r.vector);
}

XEN_TEST(trap_gp_delivered, TEST_FUNCTIONAL,
         "a non-canonical read is delivered as #GP with error code 0",
         "public/arch-x86/xen.h (trap_info)")
{
    struct probe_result r = probe_noncanonical_read();

    CHECK(r.faulted && r.vector == X86_EXC_GP && r.error_code == 0, "faulted %d, vector %u, ec %#x",
          r.faulted, r.vector, r.error_code);
}

XEN_TEST(callback_bad_type, TEST_NEGATIVE,
         "CALLBACKOP_register of an unknown type is -ENOSYS (4.17)",
         "public/callback.h, xen/arch/x86/x86_64/traps.c (register_guest_callback)")
{
    struct callback_register cb = {.type = 99, .address = (unsigned long)trap_bp_delivered};

    EXPECT_RC(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), -XEN_ENOSYS);
}

XEN_TEST(callback_unregister_event_refused, TEST_NEGATIVE,
         "the event callback cannot be unregistered (-EINVAL)",
         "public/callback.h (CALLBACKOP_unregister)")
{
    if (pv_only("a PV hypercall: Xen gives a PVH guest -ENOSYS (it has its own IDT, MSRs and CR0)"))
        return;
    struct callback_unregister cb = {.type = CALLBACKTYPE_event};

    EXPECT_RC(HYPERVISOR_callback_op(CALLBACKOP_unregister, &cb), -XEN_EINVAL);
}

XEN_TEST(callback_unregister_nmi, TEST_FUNCTIONAL,
         "the NMI callback may be unregistered (none was registered)",
         "public/callback.h (CALLBACKTYPE_nmi)")
{
    if (pv_only("a PV hypercall: Xen gives a PVH guest -ENOSYS (it has its own IDT, MSRs and CR0)"))
        return;
    struct callback_unregister cb = {.type = CALLBACKTYPE_nmi};

    EXPECT_RC(HYPERVISOR_callback_op(CALLBACKOP_unregister, &cb), 0);
}

XEN_TEST(callback_unknown_cmd, TEST_NEGATIVE, "an unknown callback_op command is -ENOSYS",
         "public/callback.h")
{
    struct callback_register cb = {.type = CALLBACKTYPE_event};

    EXPECT_RC(HYPERVISOR_callback_op(99, &cb), -XEN_ENOSYS);
}

XEN_TEST(segbase_fs, TEST_FUNCTIONAL, "SEGBASE_FS sets the %fs base: %fs:0 reads our buffer",
         "public/arch-x86/xen-x86_64.h (set_segment_base)")
{
    if (pv_only("a PV hypercall: Xen gives a PVH guest -ENOSYS (it has its own IDT, MSRs and CR0)"))
        return;
    static volatile uint64_t buffer[2] = {0x1234567890abcdefULL, 0};
    uint64_t seen = 0;

    EXPECT_RC(HYPERVISOR_set_segment_base(SEGBASE_FS, (unsigned long)buffer), 0);
    __asm__ __volatile__("movq %%fs:0, %0" : "=r"(seen));
    EXPECT_RC(HYPERVISOR_set_segment_base(SEGBASE_FS, 0), 0);
    CHECK(seen == buffer[0], "%%fs:0 read %#llx", (unsigned long long)seen);
}

XEN_TEST(segbase_gs_user, TEST_FUNCTIONAL, "SEGBASE_GS_USER (the user %gs base) is accepted",
         "public/arch-x86/xen-x86_64.h (set_segment_base)")
{
    if (pv_only("a PV hypercall: Xen gives a PVH guest -ENOSYS (it has its own IDT, MSRs and CR0)"))
        return;
    EXPECT_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0), 0);
}

XEN_TEST(segbase_noncanonical_refused, TEST_NEGATIVE,
         "a non-canonical %fs base is refused (-EINVAL)",
         "public/arch-x86/xen-x86_64.h (set_segment_base)")
{
    if (pv_only("a PV hypercall: Xen gives a PVH guest -ENOSYS (it has its own IDT, MSRs and CR0)"))
        return;
    EXPECT_RC(HYPERVISOR_set_segment_base(SEGBASE_FS, 0x8000000000000000UL), -XEN_EINVAL);
}

XEN_TEST(segbase_unknown, TEST_NEGATIVE, "an unknown set_segment_base register is -EINVAL",
         "public/arch-x86/xen-x86_64.h (SEGBASE_*)")
{
    if (pv_only("a PV hypercall: Xen gives a PVH guest -ENOSYS (it has its own IDT, MSRs and CR0)"))
        return;
    EXPECT_RC(HYPERVISOR_set_segment_base(99, 0), -XEN_EINVAL);
}

XEN_TEST(fpu_taskswitch_nm, TEST_FUNCTIONAL,
         "fpu_taskswitch(1) makes the next x87 instruction raise #NM once; Xen clears TS as it "
         "delivers it",
         "public/xen.h (fpu_taskswitch)")
{
    if (pv_only("a PV hypercall: Xen gives a PVH guest -ENOSYS (it has its own IDT, MSRs and CR0)"))
        return;
    struct probe_result before = probe_x87();

    EXPECT_RC(HYPERVISOR_fpu_taskswitch(1), 0);
    struct probe_result first = probe_x87(), second = probe_x87();

    HYPERVISOR_fpu_taskswitch(0);
    CHECK(!before.faulted, "fnop faulted before TS was set (vector %u)", before.vector);
    CHECK(first.faulted && first.vector == X86_EXC_NM, "with TS set: faulted %d, vector %u",
          first.faulted, first.vector);
    CHECK(!second.faulted, "a second fnop faulted too (vector %u): TS not cleared", second.vector);
}

XEN_TEST(fpu_taskswitch_clear, TEST_FUNCTIONAL, "fpu_taskswitch(0) after (1) clears TS: no #NM",
         "public/xen.h (fpu_taskswitch)")
{
    if (pv_only("a PV hypercall: Xen gives a PVH guest -ENOSYS (it has its own IDT, MSRs and CR0)"))
        return;
    EXPECT_RC(HYPERVISOR_fpu_taskswitch(1), 0);
    EXPECT_RC(HYPERVISOR_fpu_taskswitch(0), 0);
    struct probe_result r = probe_x87();
    CHECK(!r.faulted, "fnop faulted (vector %u)", r.vector);
}
