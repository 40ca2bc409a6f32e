/*
 * Virtual areas outside the 1:1 map: thread stacks with guard pages,
 * mappings of arbitrary machine frames (our own at a second address, or
 * another domain's), and bare reservations that Xen fills itself (grant
 * maps).  They live in one region of VMAP_PAGES pages far above RAM, handed
 * out first-fit from a bitmap: allocation is rare (a thread, a ring) and a
 * bitmap cannot be corrupted into a loop.
 */
#include <kernel/arch.h>
#include <kernel/mm.h>
#include <kernel/string.h>
#include <minios/console.h>
#include <minios/irqflags.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/spinlock.h>

#define VMAP_START 0x0000100000000000UL /* 16 TiB */
#define VMAP_PAGES (1UL << 18)          /* 1 GiB of address space */
#define MAP_CHUNK  32                   /* frames mapped per call */

static unsigned long used[VMAP_PAGES / 64];
static unsigned long rover;
static spinlock_t lock = SPINLOCK_INIT;

static bool page_used(unsigned long i)
{
    return used[i / 64] & (1UL << (i % 64));
}

static void mark(unsigned long first, unsigned long n, bool on)
{
    for (unsigned long i = first; i < first + n; i++) {
        if (on)
            used[i / 64] |= 1UL << (i % 64);
        else
            used[i / 64] &= ~(1UL << (i % 64));
    }
}

/* Reserves @n consecutive pages of the region; returns the address or 0. */
static unsigned long va_reserve(unsigned long n)
{
    unsigned long flags = local_irq_save();
    unsigned long found = 0;

    spin_lock(&lock);
    for (unsigned long tries = 0, i = rover; tries < 2 && n <= VMAP_PAGES;) {
        if (i + n > VMAP_PAGES) {
            i = 0;
            tries++;
            continue;
        }
        unsigned long j = 0;

        while (j < n && !page_used(i + j))
            j++;
        if (j == n) {
            mark(i, n, true);
            rover = i + n;
            found = VMAP_START + i * PAGE_SIZE;
            break;
        }
        i += j + 1;
    }
    spin_unlock(&lock);
    local_irq_restore(flags);
    if (!found)
        printk("vmap: no room for %lu pages of address space\n", n);
    return found;
}

static void va_release(unsigned long va, unsigned long n)
{
    unsigned long first = (va - VMAP_START) / PAGE_SIZE;
    unsigned long flags;

    if (va < VMAP_START || first + n > VMAP_PAGES)
        panic("vmap: releasing %#lx (+%lu pages), outside the region", va, n);
    flags = local_irq_save();
    spin_lock(&lock);
    for (unsigned long i = first; i < first + n; i++) {
        if (!page_used(i))
            panic("vmap: releasing %#lx twice", VMAP_START + i * PAGE_SIZE);
    }
    mark(first, n, false);
    spin_unlock(&lock);
    local_irq_restore(flags);
}

void *map_frames(const unsigned long *mfns, unsigned int n, unsigned int prot, domid_t dom)
{
    unsigned long va = va_reserve(n);
    unsigned int kprot = PROT_READ;
    int rc;

    if (!va)
        return NULL;
    if (prot & MAP_WRITABLE)
        kprot |= PROT_WRITE;
    if (prot & MAP_EXEC)
        kprot |= PROT_EXEC;
    rc = arch_map_frames(va, mfns, n, kprot, dom);
    if (rc) {
        printk("map_frames: mapping %u frames of domain %d failed: %d (%s)\n", n,
               dom == DOMID_SELF ? -1 : (int)dom, rc, xen_strerror(rc));
        arch_unmap_frames(va, n);
        va_release(va, n);
        return NULL;
    }
    return (void *)va;
}

void unmap_frames(void *va, unsigned int n)
{
    arch_unmap_frames((unsigned long)va, n);
    va_release((unsigned long)va, n);
}

void *vmap_reserve(unsigned int n)
{
    unsigned long va = va_reserve(n);
    int rc;

    if (!va)
        return NULL;
    rc = arch_prepare_tables(va, n);
    if (rc) {
        printk("vmap: page tables for %u pages at %#lx: %d (%s)\n", n, va, rc, xen_strerror(rc));
        va_release(va, n);
        return NULL;
    }
    return (void *)va;
}

void vmap_release(void *va, unsigned int n)
{
    unsigned long addr = (unsigned long)va;

    /* A mapping left behind would outlive its owner and be handed out again. */
    for (unsigned int i = 0; i < n; i++) {
        if (arch_lookup_mfn(addr + i * PAGE_SIZE) != INVALID_MFN)
            panic("vmap_release: %#lx is still mapped", addr + i * PAGE_SIZE);
    }
    va_release(addr, n);
}

int vmap_map_fresh(unsigned long va, unsigned long n, bool zero)
{
    unsigned long mfns[MAP_CHUNK];

    for (unsigned long done = 0; done < n;) {
        unsigned int k = 0;

        while (k < MAP_CHUNK && done + k < n) {
            void *page = alloc_page();

            if (!page) {
                /* Give back this chunk's frames, then what earlier chunks mapped. */
                while (k--)
                    free_page(pfn_to_virt(mfn_to_pfn(mfns[k])));
                vmap_unmap_free(va, done);
                return -XEN_ENOMEM;
            }
            if (zero)
                memset(page, 0, PAGE_SIZE);
            mfns[k++] = virt_to_mfn(page);
        }
        int rc =
            arch_map_frames(va + done * PAGE_SIZE, mfns, k, PROT_READ | PROT_WRITE, DOMID_SELF);

        if (rc)
            panic("vmap: mapping %u fresh frames at %#lx failed: %d (%s)", k, va + done * PAGE_SIZE,
                  rc, xen_strerror(rc));
        done += k;
    }
    return 0;
}

void vmap_unmap_free(unsigned long va, unsigned long n)
{
    unsigned long mfns[MAP_CHUNK];

    for (unsigned long done = 0; done < n;) {
        unsigned int k = n - done < MAP_CHUNK ? (unsigned int)(n - done) : MAP_CHUNK;

        for (unsigned int i = 0; i < k; i++)
            mfns[i] = arch_lookup_mfn(va + (done + i) * PAGE_SIZE);
        arch_unmap_frames(va + done * PAGE_SIZE, k);
        for (unsigned int i = 0; i < k; i++) {
            if (mfns[i] != INVALID_MFN)
                free_page(pfn_to_virt(mfn_to_pfn(mfns[i])));
        }
        done += k;
    }
}

int vmap_protect(unsigned long va, unsigned long n, unsigned int prot)
{
    for (unsigned long done = 0; done < n;) {
        unsigned int k = n - done < MAP_CHUNK ? (unsigned int)(n - done) : MAP_CHUNK;
        int rc = arch_protect_frames(va + done * PAGE_SIZE, k, prot);

        if (rc)
            return rc;
        done += k;
    }
    return 0;
}

void *stack_alloc(size_t size)
{
    unsigned long pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
    unsigned long va;

    if (pages == 0)
        return NULL;
    va = va_reserve(pages + 1); /* + the guard, left unmapped */
    if (!va)
        return NULL;
    if (vmap_map_fresh(va + PAGE_SIZE, pages, false)) {
        va_release(va, pages + 1);
        return NULL;
    }
    return (void *)(va + PAGE_SIZE);
}

void stack_free(void *stack, size_t size)
{
    unsigned long pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;

    vmap_unmap_free((unsigned long)stack, pages);
    va_release((unsigned long)stack - PAGE_SIZE, pages + 1);
}
