/* Address conversion (POSIX <arpa/inet.h>): IPv4 only (AF_INET). */
#ifndef _ARPA_INET_H
#define _ARPA_INET_H

#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 and *@dst set, 0 for text that is not an address, -1 with EAFNOSUPPORT. */
int inet_pton(int af, const char *src, void *dst);
/* @dst, or NULL with errno ENOSPC (@size too small) or EAFNOSUPPORT. */
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
/* The address in network order, or INADDR_NONE. */
in_addr_t inet_addr(const char *cp);

#ifdef __cplusplus
}
#endif

#endif /* _ARPA_INET_H */
