/*
 * minios: whether the FMA instructions can run here.  CPUID.1:ECX says
 * FMA, AVX and OSXSAVE, and XCR0 has the SSE and AVX state enabled (VEX
 * instructions fault otherwise).  Asked once; a race only asks twice.
 * MINIOS_FMA_SOFTWARE_ONLY (the host unit test) says no.
 */
#ifndef MINIOS_FMA_HW_H
#define MINIOS_FMA_HW_H

#include <cpuid.h>

static int fma_hw_usable(void)
{
    static int known, usable;

#ifdef MINIOS_FMA_SOFTWARE_ONLY
    return 0;
#endif
    if (!__atomic_load_n(&known, __ATOMIC_ACQUIRE)) {
        unsigned int a, b, c, d, lo, hi;
        int ok =
            __get_cpuid(1, &a, &b, &c, &d) && (c & bit_FMA) && (c & bit_AVX) && (c & bit_OSXSAVE);
        if (ok) {
            __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            ok = (lo & 6) == 6;
        }
        usable = ok;
        __atomic_store_n(&known, 1, __ATOMIC_RELEASE);
    }
    return usable;
}

#endif
