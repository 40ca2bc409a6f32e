/*
 * Anonymous memory mappings (runtime/libc/mman.c) on minios's vmap area:
 * fresh zeroed pages at new addresses.  Only MAP_PRIVATE | MAP_ANONYMOUS is
 * provided (there are no files, and no other process to share with), with
 * PROT_READ or PROT_READ | PROT_WRITE; mprotect() switches between those
 * two.  Anything else fails with an errno, never silently.  newlib has no
 * <sys/mman.h>; this one defines only POSIX names (and MAP_ANONYMOUS).
 */
#ifndef MINIOS_POSIX_SYS_MMAN_H
#define MINIOS_POSIX_SYS_MMAN_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/* The same tokens as the kernel's <kernel/mm.h>, which runtime/libc/mman.c includes too. */
#define PROT_NONE  0U
#define PROT_READ  (1U << 0)
#define PROT_WRITE (1U << 1)
#define PROT_EXEC  (1U << 2)

#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON      MAP_ANONYMOUS

#define MAP_FAILED ((void *)-1)

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* MINIOS_POSIX_SYS_MMAN_H */
