/*
 * Traps: every exception class the kernel can provoke on purpose, caught by
 * the exception-fixup table, must come back with the right vector (and, for
 * a page fault, the right error code and address).  An unrecovered fault
 * here would end the run with a crash report instead of a test line.
 */
#include <minios/hypervisor.h>
#include <minios/probe.h>
#include <minios/test.h>
#include "suite.h"

/* Far above anything minios maps, and canonical. */
#define UNMAPPED_ADDRESS 0x0000400000000000UL

static void expect(const char *what, struct probe_result r, unsigned int vector)
{
    if (!r.faulted)
        test_fail("%s: no fault, expected %s", what, exception_name(vector));
    else if (r.vector != vector)
        test_fail("%s: got %s, expected %s", what, exception_name(r.vector),
                  exception_name(vector));
    else
        test_note("%s: %s, error code %#x", what, exception_name(r.vector), r.error_code);
}

TEST_DEFINE(test_trap_fixups,
            "each exception class is recovered by the fixup table with its vector")
{
    uint64_t value;
    struct probe_result r;

    expect("divide by zero", probe_divide_by_zero(), X86_EXC_DE);
    expect("ud2", probe_ud2(), X86_EXC_UD);
    expect("int3", probe_int3(), X86_EXC_BP);
    expect("non-canonical read", probe_noncanonical_read(), X86_EXC_GP);
    expect("rdmsr of a bogus MSR", probe_rdmsr(0xdeadbeef, &value), X86_EXC_GP);
    expect("read of an unmapped page", probe_read_u64((void *)UNMAPPED_ADDRESS, &value),
           X86_EXC_PF);

    /* A probe that does not fault must say so and do its job. */
    uint64_t word = 0x1122334455667788ULL;
    r = probe_read_u64(&word, &value);
    CHECK(!r.faulted && value == word, "a plain read through the probe failed");
    r = probe_write_u64(&word, 42);
    CHECK(!r.faulted && word == 42, "a plain write through the probe failed");

    /*
     * #AC needs CR0.AM, which is Xen's to set; the probe sets RFLAGS.AC.
     * If the access does not fault, alignment checking is off here.
     */
    r = probe_misaligned_with_ac();
    if (!r.faulted)
        test_note("misaligned access with RFLAGS.AC: no #AC (CR0.AM is clear under this Xen)");
    else
        expect("misaligned access with RFLAGS.AC", r, X86_EXC_AC);
}

TEST_DEFINE(test_page_fault_kinds, "#PF read/write/exec report the right error code and address")
{
    uint64_t value;
    struct probe_result r;
    uint32_t codes[3];

    r = probe_read_u64((void *)UNMAPPED_ADDRESS, &value);
    codes[0] = r.error_code;
    CHECK(r.faulted && r.vector == X86_EXC_PF, "read: no #PF");
    CHECK(r.address == UNMAPPED_ADDRESS, "read: cr2 %#lx, expected %#lx", r.address,
          UNMAPPED_ADDRESS);
    CHECK(!(r.error_code & (X86_PFEC_PRESENT | X86_PFEC_WRITE | X86_PFEC_INSN)),
          "read: error code %#x should say not-present read", r.error_code);

    /* Xen maps every page-table page read-only: writing one must fault. */
    volatile uint64_t *pagetable = (volatile uint64_t *)start_info.pt_base;
    r = probe_write_u64(pagetable + 511, 0);
    codes[1] = r.error_code;
    CHECK(r.faulted && r.vector == X86_EXC_PF, "write to a page table: no #PF");
    CHECK(r.address == (uint64_t)(pagetable + 511), "write: cr2 %#lx", r.address);
    CHECK((r.error_code & (X86_PFEC_PRESENT | X86_PFEC_WRITE)) ==
              (X86_PFEC_PRESENT | X86_PFEC_WRITE),
          "write: error code %#x should say protection + write", r.error_code);

    r = probe_call((void (*)(void))UNMAPPED_ADDRESS);
    codes[2] = r.error_code;
    CHECK(r.faulted && r.vector == X86_EXC_PF, "call to an unmapped page: no #PF");
    CHECK(r.address == UNMAPPED_ADDRESS, "exec: cr2 %#lx", r.address);
    CHECK(r.error_code & X86_PFEC_INSN, "exec: error code %#x lacks the fetch bit", r.error_code);
    test_note("error codes: read %#x, write %#x, fetch %#x", codes[0], codes[1], codes[2]);
}
