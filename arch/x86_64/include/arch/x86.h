/* x86-64 instructions and page-table bits the arch code needs. */
#ifndef ARCH_X86_H
#define ARCH_X86_H

#include <stdint.h>

/* Page-table entry flags (Intel SDM vol. 3, 4.5). */
#define _PAGE_PRESENT  (1ULL << 0)
#define _PAGE_RW       (1ULL << 1)
#define _PAGE_USER     (1ULL << 2)
#define _PAGE_PWT      (1ULL << 3)
#define _PAGE_PCD      (1ULL << 4)
#define _PAGE_ACCESSED (1ULL << 5)
#define _PAGE_DIRTY    (1ULL << 6)
#define _PAGE_PSE      (1ULL << 7)
#define _PAGE_GLOBAL   (1ULL << 8)
#define _PAGE_NX       (1ULL << 63)

/* Bits 12..51 of an entry hold the machine frame address. */
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* Needs I/O privilege: PHYSDEVOP_set_iopl first, or it faults. */
static inline void outb(uint16_t port, uint8_t value)
{
    __asm__ __volatile__("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline unsigned long read_rbp(void)
{
    unsigned long rbp;

    __asm__ __volatile__("mov %%rbp, %0" : "=r"(rbp));
    return rbp;
}

#endif /* ARCH_X86_H */
