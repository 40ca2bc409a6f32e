/*
 * getaddrinfo() (POSIX <netdb.h>) on lwIP's resolver: numeric IPv4
 * addresses, and names through DNS (the server DHCP or NET_DNS gave;
 * docs/networking.md).  IPv4 only; the service is a port number.  The
 * layout and the EAI_ values are lwIP's (tests/net/socket_abi.c checks).
 */
#ifndef _NETDB_H
#define _NETDB_H

#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

struct addrinfo {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    socklen_t ai_addrlen;
    struct sockaddr *ai_addr;
    char *ai_canonname;
    struct addrinfo *ai_next;
};

#define AI_PASSIVE     0x01
#define AI_CANONNAME   0x02
#define AI_NUMERICHOST 0x04
#define AI_NUMERICSERV 0x08
#define AI_V4MAPPED    0x10
#define AI_ALL         0x20
#define AI_ADDRCONFIG  0x40

/* lwIP's five, then ours (returned by our own checks before lwIP's). */
#define EAI_NONAME   200
#define EAI_SERVICE  201
#define EAI_FAIL     202
#define EAI_MEMORY   203
#define EAI_FAMILY   204
#define EAI_AGAIN    205 /* net_start() has not run */
#define EAI_BADFLAGS 206
#define EAI_SOCKTYPE 207
#define EAI_SYSTEM   208
#define EAI_OVERFLOW 209

/* 0 and a list in *res for freeaddrinfo(), or an EAI_ value. */
int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res);
void freeaddrinfo(struct addrinfo *ai);
const char *gai_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif /* _NETDB_H */
