/*
 * lwIP's compiler and platform definitions for minios: types and byte
 * order come from the compiler, errno and struct timeval from newlib (so
 * the socket functions set the calling thread's errno), diagnostics go to
 * the kernel console and a failed assertion is a panic.
 */
#ifndef MINIOS_LWIP_ARCH_CC_H
#define MINIOS_LWIP_ARCH_CC_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
/* lwIP wants an fd_set that could hold every socket (sockets start at 64). */
#define FD_SETSIZE 128
#include <sys/time.h>
#include <minios/console.h>
#include <minios/kernel.h>
#include <minios/mm.h>

/* newlib's <sys/types.h> has ssize_t; lwIP defines its own without this. */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif
#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_RAND()           net_random_u32()
#define LWIP_PLATFORM_DIAG(x)                                                                      \
    do {                                                                                           \
        printk x;                                                                                  \
    } while (0)
#define LWIP_PLATFORM_ASSERT(x)                                                                    \
    panic("lwIP: assertion \"%s\" failed at %s:%d", x, __FILE__, __LINE__)

uint32_t net_random_u32(void);

/*
 * Debian's patches make sockets.c ask the port how a sockaddr's length
 * byte is set and read (Hurd's has none); ours is BSD's, as upstream's.
 */
#define IP4ADDR_SOCKADDR_SET_LEN(sin) ((sin)->sin_len = sizeof(struct sockaddr_in))
#define IPADDR_SOCKADDR_GET_LEN(addr) ((socklen_t)(addr)->sa.sa_len)

#endif /* MINIOS_LWIP_ARCH_CC_H */
