/*
 * posix_memalign(): declared by newlib 3.3's <stdlib.h> and called by its
 * aligned_alloc(), but not built by it (aligned_alloc did not link).  On
 * newlib's memalign, which refuses sizes and alignments that would wrap
 * with ENOMEM (scripts/newlib-patches/mallocr-checks.patch).
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>

int posix_memalign(void **memptr, size_t alignment, size_t size)
{
    /* A power of two and a multiple of sizeof(void *), as POSIX requires. */
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)))
        return EINVAL;
    void *p = memalign(alignment, size);

    if (!p)
        return ENOMEM; /* memalign has set errno to ENOMEM too */
    *memptr = p;
    return 0;
}
