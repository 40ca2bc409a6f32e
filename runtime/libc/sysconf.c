/*
 * sysconf() and getpagesize(): declared by newlib's <unistd.h> but built by
 * neither newlib (it leaves them to the system) nor us until now, so a
 * program asking how many CPUs it has did not link.  The answers are this
 * domain's: its vCPUs, the page size, the clock() tick of times() (1 ms),
 * the fd table's size.  A limit we do not have is -1 with errno left
 * alone, as POSIX says; a name we do not know is -1 with EINVAL.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include <minios/mm.h>
#include <minios/page.h>
#include <minios/smp.h>

#include "fd.h"

int getpagesize(void)
{
    return (int)PAGE_SIZE;
}

static long page_count(int free_only)
{
    struct page_stats st;

    page_alloc_stats(&st);
    return (long)(free_only ? st.free : st.total);
}

long sysconf(int name)
{
    switch (name) {
    case _SC_NPROCESSORS_CONF:
        return (long)smp_cpu_count();
    case _SC_NPROCESSORS_ONLN:
        return (long)__builtin_popcountll((unsigned long long)smp_online_mask());
    case _SC_PAGESIZE: /* _SC_PAGE_SIZE is the same number */
        return (long)PAGE_SIZE;
    case _SC_CLK_TCK:
        return CLOCKS_PER_SEC; /* times() counts milliseconds */
    case _SC_OPEN_MAX:
        return FD_MAX;
    case _SC_PHYS_PAGES:
        return page_count(0);
    case _SC_AVPHYS_PAGES:
        return page_count(1);
    case _SC_THREAD_KEYS_MAX:
        return PTHREAD_KEYS_MAX;
    case _SC_THREAD_STACK_MIN:
        return PTHREAD_STACK_MIN;
    case _SC_THREAD_DESTRUCTOR_ITERATIONS:
        return PTHREAD_DESTRUCTOR_ITERATIONS;
    case _SC_LINE_MAX:
        return LINE_MAX;
    case _SC_CHILD_MAX:  /* no processes: fork() fails with ENOSYS */
    case _SC_ARG_MAX:    /* bounded by Xen's command line, not by us */
    case _SC_ATEXIT_MAX: /* newlib allocates more as needed */
    case _SC_THREAD_THREADS_MAX:
        return -1; /* no fixed limit: errno unchanged */
    default:
        errno = EINVAL;
        return -1;
    }
}

/*
 * confstr(): _CS_PATH is where the standard utilities are, and a domain
 * has none: an empty value.  The compilation environments' flags are the
 * kit's (minios-cc), not something a running program can use: no value
 * (0, errno unchanged).  An unknown name is EINVAL.  newlib's <unistd.h>
 * defines the _CS_ names for Cygwin and RTEMS only; these are its numbers.
 */
#ifndef _CS_PATH
#define _CS_PATH          0
#define _CS_LFS_LINTFLAGS 24 /* the last */
#endif
size_t confstr(int name, char *buf, size_t size)
{
    if (name < _CS_PATH || name > _CS_LFS_LINTFLAGS) {
        errno = EINVAL;
        return 0;
    }
    if (name != _CS_PATH)
        return 0;
    if (buf && size)
        buf[0] = '\0';
    return 1; /* the empty string and its NUL */
}
