/*
 * Probing operations that may fault, and getting control back.
 *
 * Each probe runs one operation; if it faults, the kernel's exception
 * fixup table resumes execution after it instead of reporting a crash, and
 * the probe says which exception it was.  For testing the kernel and the
 * hypervisor: "does this address fault, and how?".
 */
#ifndef MINIOS_PROBE_H
#define MINIOS_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#pragma GCC visibility push(default)

/* x86 exception vectors, by mnemonic. */
#define X86_EXC_DE  0 /* divide error */
#define X86_EXC_DB  1 /* debug */
#define X86_EXC_NMI 2
#define X86_EXC_BP  3  /* breakpoint (int3) */
#define X86_EXC_OF  4  /* overflow (into) */
#define X86_EXC_BR  5  /* bound range */
#define X86_EXC_UD  6  /* invalid opcode */
#define X86_EXC_NM  7  /* device not available */
#define X86_EXC_DF  8  /* double fault */
#define X86_EXC_TS  10 /* invalid TSS */
#define X86_EXC_NP  11 /* segment not present */
#define X86_EXC_SS  12 /* stack-segment fault */
#define X86_EXC_GP  13 /* general protection */
#define X86_EXC_PF  14 /* page fault */
#define X86_EXC_MF  16 /* x87 floating point */
#define X86_EXC_AC  17 /* alignment check */
#define X86_EXC_MC  18 /* machine check */
#define X86_EXC_XM  19 /* SIMD floating point */

/* Page-fault error code bits. */
#define X86_PFEC_PRESENT (1U << 0) /* 0: not present, 1: protection */
#define X86_PFEC_WRITE   (1U << 1)
#define X86_PFEC_USER    (1U << 2)
#define X86_PFEC_RSVD    (1U << 3)
#define X86_PFEC_INSN    (1U << 4) /* instruction fetch */

/* Exception info as the fixup path reports it: valid bit, vector, error code. */
#define EXINFO_VALID    (1ULL << 63)
#define EXINFO(vec, ec) (EXINFO_VALID | ((uint64_t)(ec) << 8) | ((vec)&0xff))

struct probe_result {
    bool faulted;
    uint8_t vector; /* X86_EXC_*, when faulted */
    uint32_t error_code;
    uint64_t address; /* the faulting address, for #PF */
};

struct probe_result probe_read_u64(const volatile void *addr, uint64_t *value);
struct probe_result probe_write_u64(volatile void *addr, uint64_t value);

/* Calls @fn(); a fault fetching its first instruction is recovered too. */
struct probe_result probe_call(void (*fn)(void));

struct probe_result probe_divide_by_zero(void); /* div by 0: #DE */
struct probe_result probe_ud2(void);            /* ud2: #UD */
struct probe_result probe_int3(void);           /* int3: #BP */
struct probe_result probe_rdmsr(uint32_t msr, uint64_t *value);
struct probe_result probe_noncanonical_read(void);  /* #GP */
struct probe_result probe_misaligned_with_ac(void); /* #AC if CR0.AM is set */
struct probe_result probe_x87(void);                /* fnop: #NM while CR0.TS is set */

/* The name of a vector ("#PF page fault"), for messages. */
const char *exception_name(unsigned int vector);

#pragma GCC visibility pop

#endif /* MINIOS_PROBE_H */
