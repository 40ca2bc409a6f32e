/*
 * mmap/munmap/mprotect (<sys/mman.h>) for anonymous private memory: each
 * mapping is fresh zeroed frames at a new place in the kernel's vmap area
 * (mm/vmap.c), so a stray access past its end faults instead of landing in
 * the heap.  The mappings are recorded here, and munmap/mprotect touch only
 * pages of recorded mappings: the vmap area also holds thread stacks and
 * grant maps, which an application must not be able to unmap.
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/mman.h>

#include <kernel/mm.h>
#include <minios/mm.h>
#include <minios/page.h>
#include <minios/sync.h>

#include "fd.h"

/* The vmap area is 1 GiB for everything; no single mapping takes more. */
#define MMAP_MAX_PAGES (1UL << 18)

struct mapping {
    unsigned long start, pages;
    struct mapping *next;
};

static struct mapping *mappings;
static struct mutex mappings_lock = MUTEX_INIT(mappings_lock);

static void *fail(int err)
{
    errno = err;
    return MAP_FAILED;
}

/* Read-only or read-write, page by page (each a Xen PTE update and TLB shootdown). */
static int set_writable(unsigned long va, unsigned long pages, bool writable)
{
    for (unsigned long i = 0; i < pages; i++) {
        int rc = page_set_writable((void *)(va + i * PAGE_SIZE), writable);

        if (rc)
            return rc;
    }
    return 0;
}

/* Only what we can give honestly: readable, maybe writable, never executable. */
static bool prot_supported(int prot)
{
    return prot == (int)PROT_READ || prot == (int)(PROT_READ | PROT_WRITE);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    unsigned long pages = len / PAGE_SIZE + (len % PAGE_SIZE != 0);
    struct mapping *m;
    void *va;

    (void)addr; /* a hint: without MAP_FIXED the place is ours to choose */
    if (len == 0 || off < 0 || off % PAGE_SIZE)
        return fail(EINVAL);
    if (flags & ~(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS))
        return fail(EINVAL);
    if (!(flags & MAP_ANONYMOUS))
        return fail(fd_is_open(fd) ? ENODEV : EBADF); /* files are not mapped */
    if ((flags & (MAP_SHARED | MAP_PRIVATE)) != MAP_PRIVATE)
        return fail((flags & MAP_SHARED) && !(flags & MAP_PRIVATE) ? ENOTSUP : EINVAL);
    if (flags & MAP_FIXED)
        return fail(ENOTSUP);
    if (prot & ~(int)(PROT_READ | PROT_WRITE | PROT_EXEC))
        return fail(EINVAL);
    if (!prot_supported(prot))
        return fail(ENOTSUP);
    if (pages > MMAP_MAX_PAGES)
        return fail(ENOMEM);

    m = kmalloc(sizeof(*m));
    if (!m)
        return fail(ENOMEM);
    va = vmap_reserve((unsigned int)pages);
    if (!va) {
        kfree(m);
        return fail(ENOMEM);
    }
    if (vmap_map_fresh((unsigned long)va, pages, true)) {
        vmap_release(va, (unsigned int)pages);
        kfree(m);
        return fail(ENOMEM);
    }
    if (!(prot & PROT_WRITE) && set_writable((unsigned long)va, pages, false)) {
        vmap_unmap_free((unsigned long)va, pages);
        vmap_release(va, (unsigned int)pages);
        kfree(m);
        return fail(ENOMEM);
    }
    m->start = (unsigned long)va;
    m->pages = pages;
    mutex_lock(&mappings_lock);
    m->next = mappings;
    mappings = m;
    mutex_unlock(&mappings_lock);
    return va;
}

/* [start, end) rounded out to pages; false if it is not page-aligned or wraps. */
static bool page_range(void *addr, size_t len, unsigned long *start, unsigned long *end)
{
    *start = (unsigned long)addr;
    if (*start % PAGE_SIZE || len == 0 || __builtin_add_overflow(*start, len, end))
        return false;
    return !__builtin_add_overflow(*end, (PAGE_SIZE - *end % PAGE_SIZE) % PAGE_SIZE, end);
}

int munmap(void *addr, size_t len)
{
    unsigned long start, end;
    struct mapping **link, *m, *spare;

    if (!page_range(addr, len, &start, &end)) {
        errno = EINVAL;
        return -1;
    }
    spare = kmalloc(sizeof(*spare)); /* for a hole punched in the middle of one */
    mutex_lock(&mappings_lock);
    for (m = mappings; m && !spare; m = m->next) {
        if (start > m->start && end < m->start + m->pages * PAGE_SIZE) {
            mutex_unlock(&mappings_lock);
            errno = ENOMEM; /* nothing unmapped yet */
            return -1;
        }
    }
    for (link = &mappings; (m = *link);) {
        unsigned long m_end = m->start + m->pages * PAGE_SIZE;
        unsigned long lo = start > m->start ? start : m->start;
        unsigned long hi = end < m_end ? end : m_end;

        if (lo >= hi) {
            link = &m->next;
            continue;
        }
        vmap_unmap_free(lo, (hi - lo) / PAGE_SIZE);
        vmap_release((void *)lo, (unsigned int)((hi - lo) / PAGE_SIZE));
        if (lo > m->start && hi < m_end) {
            /* A hole in the middle: the record keeps the left part, a new one the right. */
            struct mapping *right = spare;

            spare = NULL;
            right->start = hi;
            right->pages = (m_end - hi) / PAGE_SIZE;
            right->next = m->next;
            m->next = right;
            m->pages = (lo - m->start) / PAGE_SIZE;
            link = &right->next;
        } else if (lo > m->start) {
            m->pages = (lo - m->start) / PAGE_SIZE;
            link = &m->next;
        } else if (hi < m_end) {
            m->pages = (m_end - hi) / PAGE_SIZE;
            m->start = hi;
            link = &m->next;
        } else {
            *link = m->next;
            kfree(m);
        }
    }
    mutex_unlock(&mappings_lock);
    kfree(spare);
    return 0; /* POSIX: pages that were not mapped are no error */
}

/* Pages of [start, end) that recorded mappings cover. */
static unsigned long covered_pages(unsigned long start, unsigned long end)
{
    unsigned long n = 0;

    for (struct mapping *m = mappings; m; m = m->next) {
        unsigned long m_end = m->start + m->pages * PAGE_SIZE;
        unsigned long lo = start > m->start ? start : m->start;
        unsigned long hi = end < m_end ? end : m_end;

        if (lo < hi)
            n += (hi - lo) / PAGE_SIZE;
    }
    return n;
}

int mprotect(void *addr, size_t len, int prot)
{
    unsigned long start, end;
    int err = 0;

    if (!page_range(addr, len, &start, &end) || (prot & ~(int)(PROT_READ | PROT_WRITE | PROT_EXEC)))
        err = EINVAL;
    else if (!prot_supported(prot))
        err = ENOTSUP;
    if (err) {
        errno = err;
        return -1;
    }
    mutex_lock(&mappings_lock);
    if (covered_pages(start, end) != (end - start) / PAGE_SIZE)
        err = ENOMEM; /* POSIX: part of the range is not mapped */
    else if (set_writable(start, (end - start) / PAGE_SIZE, prot & PROT_WRITE))
        err = ENOMEM;
    mutex_unlock(&mappings_lock);
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}
