/*
 * Probes (see <minios/probe.h>): each one wraps one instruction in an
 * exception-table entry.  The fixup path leaves %rax = exinfo (0 when
 * nothing faulted) and %rdx = the faulting address.
 */
#include <arch/extable.h>
#include <minios/probe.h>

static struct probe_result result(uint64_t exinfo, uint64_t address)
{
    struct probe_result r = {0};

    if (exinfo & EXINFO_VALID) {
        r.faulted = true;
        r.vector = exinfo & 0xff;
        r.error_code = (uint32_t)(exinfo >> 8);
        r.address = address;
    }
    return r;
}

struct probe_result probe_read_u64(const volatile void *addr, uint64_t *value)
{
    uint64_t exinfo = 0, fault_addr = 0, v = 0;

    __asm__ __volatile__("1: movq (%[addr]), %[v]\n\t"
                         "2:\n\t" EXTABLE_ENTRY("1b", "2b", EXTABLE_AT_INSN)
                         : "+a"(exinfo), "+d"(fault_addr), [v] "+r"(v)
                         : [addr] "r"(addr)
                         : "memory");
    *value = v;
    return result(exinfo, fault_addr);
}

struct probe_result probe_write_u64(volatile void *addr, uint64_t value)
{
    uint64_t exinfo = 0, fault_addr = 0;

    __asm__ __volatile__("1: movq %[v], (%[addr])\n\t"
                         "2:\n\t" EXTABLE_ENTRY("1b", "2b", EXTABLE_AT_INSN)
                         : "+a"(exinfo), "+d"(fault_addr)
                         : [addr] "r"(addr), [v] "r"(value)
                         : "memory");
    return result(exinfo, fault_addr);
}

struct probe_result probe_call(void (*fn)(void))
{
    uint64_t exinfo = 0, fault_addr = 0;

    /*
     * The callee may clobber every caller-saved register, so %rax/%rdx are
     * zeroed after a normal return; the fixup lands after the zeroing.
     */
    __asm__ __volatile__("call *%[fn]\n\t"
                         "2: xorl %%eax, %%eax\n\t"
                         "xorl %%edx, %%edx\n\t"
                         "1:\n\t" EXTABLE_ENTRY("2b", "1b", EXTABLE_AT_CALL)
                         : "+a"(exinfo), "+d"(fault_addr), [fn] "+r"(fn)
                         :
                         : "rcx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
    return result(exinfo, fault_addr);
}

struct probe_result probe_divide_by_zero(void)
{
    uint64_t exinfo = 0, rdx = 0;
    uint32_t divisor = 0;

    /* rax:rdx hold 0 as the dividend, which the fixup then overwrites. */
    __asm__ __volatile__("1: divl %[d]\n\t"
                         "2:\n\t" EXTABLE_ENTRY("1b", "2b", EXTABLE_AT_INSN)
                         : "+a"(exinfo), "+d"(rdx)
                         : [d] "r"(divisor));
    return result(exinfo, 0);
}

struct probe_result probe_ud2(void)
{
    uint64_t exinfo = 0, fault_addr = 0;

    __asm__ __volatile__("1: ud2\n\t"
                         "2:\n\t" EXTABLE_ENTRY("1b", "2b", EXTABLE_AT_INSN)
                         : "+a"(exinfo), "+d"(fault_addr));
    return result(exinfo, 0);
}

struct probe_result probe_int3(void)
{
    uint64_t exinfo = 0, fault_addr = 0;

    /* #BP is a trap: the saved %rip is the instruction after int3. */
    __asm__ __volatile__("int3\n\t"
                         "1:\n\t" EXTABLE_ENTRY("1b", "1b", EXTABLE_AT_INSN)
                         : "+a"(exinfo), "+d"(fault_addr));
    return result(exinfo, 0);
}

struct probe_result probe_rdmsr(uint32_t msr, uint64_t *value)
{
    uint64_t exinfo = 0, hi = 0;

    __asm__ __volatile__("1: rdmsr\n\t"
                         "2:\n\t" EXTABLE_ENTRY("1b", "2b", EXTABLE_AT_INSN)
                         : "+a"(exinfo), "+d"(hi)
                         : "c"(msr));
    struct probe_result r = result(exinfo, 0);

    if (!r.faulted)
        *value = (hi << 32) | (exinfo & 0xffffffff);
    return r;
}

struct probe_result probe_noncanonical_read(void)
{
    uint64_t exinfo = 0, fault_addr = 0, v;

    __asm__ __volatile__("1: movq (%[addr]), %[v]\n\t"
                         "2:\n\t" EXTABLE_ENTRY("1b", "2b", EXTABLE_AT_INSN)
                         : "+a"(exinfo), "+d"(fault_addr), [v] "=r"(v)
                         : [addr] "r"(0x8000000000000000UL)
                         : "memory");
    (void)v;
    return result(exinfo, 0);
}

struct probe_result probe_misaligned_with_ac(void)
{
    static uint64_t buffer[2];
    uint64_t exinfo = 0, fault_addr = 0, v;

    /*
     * Set RFLAGS.AC (allowed at any privilege), read across an 8-byte
     * boundary, clear AC again.  The fixup lands on the clearing popf.
     */
    __asm__ __volatile__("pushfq\n\t"
                         "pushfq\n\t"
                         "orl $0x40000, (%%rsp)\n\t"
                         "popfq\n\t"
                         "1: movq (%[addr]), %[v]\n\t"
                         "2: popfq\n\t" EXTABLE_ENTRY("1b", "2b", EXTABLE_AT_INSN)
                         : "+a"(exinfo), "+d"(fault_addr), [v] "=r"(v)
                         : [addr] "r"((char *)buffer + 3)
                         : "memory", "cc");
    (void)v;
    return result(exinfo, fault_addr);
}

struct probe_result probe_x87(void)
{
    uint64_t exinfo = 0, fault_addr = 0;

    /* Any x87 instruction raises #NM while CR0.TS is set (fpu_taskswitch). */
    __asm__ __volatile__("1: fnop\n\t"
                         "2:\n\t" EXTABLE_ENTRY("1b", "2b", EXTABLE_AT_INSN)
                         : "+a"(exinfo), "+d"(fault_addr));
    return result(exinfo, 0);
}

const char *exception_name(unsigned int vector)
{
    static const char *const names[] = {
        [X86_EXC_DE] = "#DE divide error",
        [X86_EXC_DB] = "#DB debug",
        [X86_EXC_NMI] = "NMI",
        [X86_EXC_BP] = "#BP breakpoint",
        [X86_EXC_OF] = "#OF overflow",
        [X86_EXC_BR] = "#BR bound range",
        [X86_EXC_UD] = "#UD invalid opcode",
        [X86_EXC_NM] = "#NM device not available",
        [X86_EXC_DF] = "#DF double fault",
        [9] = "coprocessor segment overrun",
        [X86_EXC_TS] = "#TS invalid TSS",
        [X86_EXC_NP] = "#NP segment not present",
        [X86_EXC_SS] = "#SS stack-segment fault",
        [X86_EXC_GP] = "#GP general protection",
        [X86_EXC_PF] = "#PF page fault",
        [15] = "reserved vector 15",
        [X86_EXC_MF] = "#MF x87 floating point",
        [X86_EXC_AC] = "#AC alignment check",
        [X86_EXC_MC] = "#MC machine check",
        [X86_EXC_XM] = "#XM SIMD floating point",
    };

    return vector < sizeof(names) / sizeof(names[0]) && names[vector] ? names[vector]
                                                                      : "unknown vector";
}
