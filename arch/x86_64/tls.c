/*
 * Thread-local storage, the x86-64 ELF ABI's variant II: a thread's %fs
 * base points at its thread control block (TCB), whose first word points at
 * itself (%fs:0, which compilers read to take a TLS variable's address), and
 * the static TLS block lies just below it.  The linker resolves every
 * variable to a fixed negative offset from %fs: -(the segment's size rounded
 * up to its alignment) + its offset in the segment; so %fs must be aligned
 * to the segment's alignment and the block copied from the image's
 * template (.tdata, then .tbss zeroed) at exactly that distance below it.
 *
 * The block and the TCB sit at the top of the thread's stack mapping, above
 * the stack itself: one allocation, freed with the stack, out of the way of
 * an overflow (which runs into the guard page below).
 *
 * Setting %fs base: a 64-bit PV guest runs in ring 3, where writing
 * MSR_FS_BASE is not allowed, so it asks Xen
 * (HYPERVISOR_set_segment_base(SEGBASE_FS), one hypercall) -- unless the
 * CPU has FSGSBASE and Xen lets the guest turn on CR4.FSGSBASE: Xen 4.17
 * and later (since XSA-293) load the guest kernel's own choice of that bit
 * while it runs, accept it only when the domain's CPUID policy shows
 * FSGSBASE, and save the %fs base from the hardware when they deschedule
 * the vCPU, so `wrfsbase` is then a plain instruction.  Boot finds out which
 * (docs/smp.md, "The %fs base").  %gs is the kernel's per-CPU pointer
 * (kernel GS base) and is never touched here.
 */
#include <kernel/arch.h>
#include <kernel/percpu.h>
#include <kernel/string.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/page.h>
#include <arch/cpuid.h>
#include <arch/extable.h>
#include <arch/pvh.h>

#define X86_CR4_FSGSBASE (1UL << 16)

/* The template: linker script symbols (minios.lds). */
extern char __tls_start[], __tdata_end[], __tls_end[], __tls_align[];

/*
 * What %fs:0 points at.  Only `self` is the ABI's; the rest keeps common
 * TCB reads (glibc's stack-protector canary at %fs:0x28) inside our memory.
 */
struct tcb {
    struct tcb *self;
    unsigned long reserved[7];
};

enum tls_method { TLS_NONE, TLS_HYPERCALL, TLS_WRFSBASE, TLS_MSR };

static enum tls_method method; /* decided once, on vCPU 0, before any thread */

static unsigned long tls_align(void)
{
    unsigned long align = (unsigned long)__tls_align;

    return align < 16 ? 16 : align; /* the TCB's and the stack's own alignment */
}

/* The segment's first byte: .tdata may be empty and so not aligned yet. */
static char *tls_image(void)
{
    return (char *)ALIGN_UP((unsigned long)__tls_start, (unsigned long)__tls_align);
}

static unsigned long tls_memsz(void)
{
    char *start = tls_image();

    return (unsigned long)__tls_end > (unsigned long)start ? (unsigned long)(__tls_end - start) : 0;
}

static unsigned long tls_filesz(void)
{
    char *start = tls_image();

    return (unsigned long)__tdata_end > (unsigned long)start ? (unsigned long)(__tdata_end - start)
                                                             : 0;
}

bool arch_tls_present(void)
{
    return tls_memsz() != 0;
}

/*
 * The block rounded to its alignment, the TCB in a slot of that alignment,
 * and, for an alignment beyond the page the area's top is aligned to, the
 * slack to align the thread pointer.
 */
unsigned long arch_tls_reserve(void)
{
    unsigned long align = tls_align();

    if (!arch_tls_present())
        return 0;
    return ALIGN_UP(tls_memsz(), (unsigned long)__tls_align) + ALIGN_UP(sizeof(struct tcb), align) +
           (align > PAGE_SIZE ? align - PAGE_SIZE : 0);
}

void *arch_tls_setup(void *area_top, unsigned long *fs_base)
{
    unsigned long align = tls_align(), size;
    struct tcb *tcb;
    char *block;

    *fs_base = 0;
    if (!arch_tls_present())
        return area_top;
    BUG_ON((unsigned long)area_top % PAGE_SIZE); /* what arch_tls_reserve() counts on */
    size = ALIGN_UP(tls_memsz(), (unsigned long)__tls_align);
    tcb = (struct tcb *)ALIGN_DOWN((unsigned long)area_top - sizeof(struct tcb), align);
    block = (char *)tcb - size;
    memcpy(block, tls_image(), tls_filesz());
    memset(block + tls_filesz(), 0, size - tls_filesz());
    memset(tcb, 0, sizeof(*tcb));
    tcb->self = tcb;
    *fs_base = (unsigned long)tcb;
    return block;
}

/*
 * CR4 as Xen shows it to us: `mov` to or from a control register traps to
 * Xen, which emulates it.  A fault (a Xen that injects #GP instead) reads
 * as "no FSGSBASE".
 */
static bool read_cr4(unsigned long *cr4)
{
    unsigned long exinfo = 0, addr = 0, v = 0;

    __asm__ __volatile__("1: mov %%cr4, %[v]\n\t"
                         "2:\n\t" EXTABLE_ENTRY("1b", "2b", EXTABLE_AT_INSN)
                         : "+a"(exinfo), "+d"(addr), [v] "+r"(v));
    *cr4 = v;
    return exinfo == 0;
}

static bool write_cr4(unsigned long cr4)
{
    unsigned long exinfo = 0, addr = 0;

    __asm__ __volatile__("1: mov %[v], %%cr4\n\t"
                         "2:\n\t" EXTABLE_ENTRY("1b", "2b", EXTABLE_AT_INSN)
                         : "+a"(exinfo), "+d"(addr)
                         : [v] "r"(cr4)
                         : "memory");
    return exinfo == 0;
}

/* Xen keeps only the CR4 bits it allows, silently: read back to know. */
static bool set_cr4_fsgsbase(void)
{
    unsigned long cr4;

    if (!read_cr4(&cr4))
        return false;
    if (!(cr4 & X86_CR4_FSGSBASE) && !write_cr4(cr4 | X86_CR4_FSGSBASE))
        return false;
    return read_cr4(&cr4) && (cr4 & X86_CR4_FSGSBASE);
}

/* wrfsbase, with a fault (#UD when not enabled) reported, not fatal. */
static bool try_wrfsbase(unsigned long base)
{
    unsigned long exinfo = 0, addr = 0;

    __asm__ __volatile__("1: wrfsbase %[base]\n\t"
                         "2:\n\t" EXTABLE_ENTRY("1b", "2b", EXTABLE_AT_INSN)
                         : "+a"(exinfo), "+d"(addr)
                         : [base] "r"(base)
                         : "memory");
    return exinfo == 0;
}

static unsigned long rdfsbase(void)
{
    unsigned long base;

    __asm__ __volatile__("rdfsbase %0" : "=r"(base));
    return base;
}

/* What %fs:0 holds: the TCB's self pointer, read the way compilers do. */
static struct tcb *this_tcb_self(void)
{
    struct tcb *self;

    __asm__ __volatile__("mov %%fs:0, %0" : "=r"(self));
    return self;
}

static bool cpu_has_fsgsbase(void)
{
    struct cpuid_regs r;

    xen_cpuid(0, 0, &r);
    if (r.eax < CPUID_LEAF7)
        return false;
    xen_cpuid(CPUID_LEAF7, 0, &r);
    return r.ebx & CPUID_7_0_EBX_FSGSBASE;
}

/* Turns wrfsbase on for this vCPU and checks that it works; %fs base ends 0. */
static bool enable_wrfsbase(void)
{
    static struct tcb probe = {.self = &probe};

    if (!set_cr4_fsgsbase() || !try_wrfsbase((unsigned long)&probe))
        return false;
    bool ok = rdfsbase() == (unsigned long)&probe && this_tcb_self() == &probe;

    try_wrfsbase(0);
    return ok;
}

void arch_tls_init(void)
{
    if (!arch_tls_present()) {
        method = TLS_NONE;
        return;
    }
    method = cpu_has_fsgsbase() && enable_wrfsbase() ? TLS_WRFSBASE
             : x86_is_pvh()                          ? TLS_MSR /* ring 0: wrmsr */
                                                     : TLS_HYPERCALL;
}

void arch_tls_init_cpu(void)
{
    /* CR4 is per vCPU: every vCPU must allow what vCPU 0 chose. */
    if (method == TLS_WRFSBASE && !enable_wrfsbase())
        panic("vCPU %u cannot use wrfsbase, which vCPU 0 could", this_cpu()->id);
}

const char *arch_tls_method(void)
{
    switch (method) {
    case TLS_WRFSBASE:
        return "wrfsbase";
    case TLS_HYPERCALL:
        return "set_segment_base";
    case TLS_MSR:
        return "wrmsr";
    default:
        return "none";
    }
}

void arch_set_fs_base(unsigned long base)
{
    if (method == TLS_WRFSBASE) {
        __asm__ __volatile__("wrfsbase %0" : : "r"(base) : "memory");
        return;
    }
    if (method == TLS_MSR) {
        pvh_set_fs_base(base);
        return;
    }
    int rc = HYPERVISOR_set_segment_base(SEGBASE_FS, base);

    if (rc)
        panic("set_segment_base(SEGBASE_FS, %#lx) failed: %d (%s)", base, rc, xen_strerror(rc));
}
