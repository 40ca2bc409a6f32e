/* CPUID through Xen's eyes (arch/x86_64/cpuid.c). */
#ifndef ARCH_CPUID_H
#define ARCH_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#define CPUID_EXT_MAX             0x80000000U
#define CPUID_EXT_FEATURES        0x80000001U
#define CPUID_EXT_FEATURES_EDX_NX (1U << 20)
#define CPUID_FEATURES            0x00000001U
#define CPUID_FEATURES_ECX_RDRAND (1U << 30)
#define CPUID_LEAF7               0x00000007U /* subleaf 0 */
#define CPUID_7_0_EBX_FSGSBASE    (1U << 0)
#define CPUID_7_0_EBX_RDSEED      (1U << 18)

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

/* CPUID leaf/subleaf as emulated by Xen with this guest's policy. */
void xen_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r);

/* The no-execute page bit is available (Xen's view). */
bool cpu_has_nx(void);

#endif /* ARCH_CPUID_H */
