/*
 * What the catalogue's tests share: checking a hypercall's return against
 * the documented one, and this domain's page tables as Xen sees them.
 */
#ifndef REGRESS_H
#define REGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/test.h>

/* The call must return @want (0, or a -XEN_E* error); else the test fails. */
#define EXPECT_RC(expr, want)                                                                      \
    do {                                                                                           \
        long rc_ = (long)(expr), want_ = (long)(want);                                             \
        if (rc_ != want_)                                                                          \
            test_fail("%s returned %ld (%s), expected %ld (%s)", #expr, rc_, xen_strerror(rc_),    \
                      want_, xen_strerror(want_));                                                 \
    } while (0)

/* A set-up call that must succeed: else the test cannot go on (ERROR). */
#define SETUP(expr)                                                                                \
    ({                                                                                             \
        long rc_ = (long)(expr);                                                                   \
        if (rc_ < 0)                                                                               \
            test_error("set-up: %s returned %ld (%s)", #expr, rc_, xen_strerror(rc_));             \
        rc_ >= 0;                                                                                  \
    })

/* An address no page of ours is mapped at (far above RAM, below Xen's area). */
#define UNMAPPED ((void *)0x00007f0000000000UL)

/* The machine address of the current L4 (CR3, which Xen emulates for a PV kernel). */
uint64_t pt_root_maddr(void);

/*
 * The entry of @level (1 = L1 ... 4 = L4) that maps @va, read through the
 * 1:1 map, and its machine address (what mmu_update's ptr names).  NULL if
 * a level above is not present or is a superpage.
 */
const uint64_t *pt_entry(const void *va, int level, uint64_t *maddr);

/* A page-aligned scratch page of our own, and its frame's pte bits. */
#define PTE_P   (1ULL << 0)
#define PTE_RW  (1ULL << 1)
#define PTE_US  (1ULL << 2)
#define PTE_A   (1ULL << 5)
#define PTE_D   (1ULL << 6)
#define PTE_PSE (1ULL << 7) /* in an L2 or L3 entry: a superpage */
#define PTE_NX  (1ULL << 63)
#define PTE_MFN (0x000ffffffffff000ULL)

/* A mapping of @mfn at a page's protections (present, writable, NX). */
static inline uint64_t pte_for(unsigned long mfn, bool writable)
{
    return ((uint64_t)mfn << 12) | PTE_P | PTE_A | PTE_D | PTE_NX | (writable ? PTE_RW : 0);
}

/* Whether this domain runs as dom0. */
bool regress_is_dom0(void);

/*
 * At the top of a test of what only a PV guest has (its page tables
 * validated by Xen, its trap table, its upcall): booted PVH, says SKIP
 * with @why and returns true, and the test returns.  The catalogue runs as
 * PVH too (make regress MODE=pvh); a SKIP there names what PVH lacks.
 */
static inline bool pv_only(const char *why)
{
    if (!xen_boot_is_pvh())
        return false;
    test_skip("PV only: %s", why);
    return true;
}

#endif /* REGRESS_H */
