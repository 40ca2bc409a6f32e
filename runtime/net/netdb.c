/*
 * getaddrinfo() and friends (<netdb.h>) on lwIP's lwip_getaddrinfo(): a
 * numeric address is parsed, a name asked of the DNS server through lwIP's
 * core (which the caller's thread runs, under the core lock).  Our checks
 * first: lwIP must run, and it speaks IPv4 only.
 *
 * A name that does not resolve is EAI_FAIL, not EAI_NONAME: lwIP's
 * resolver ends a negative answer (NXDOMAIN, or any error code), the
 * server's silence through its retries (DNS_MAX_RETRIES, about 10 s) and a
 * missing server alike, calling back with no address, so no caller can
 * tell "no such name" from "no answer"; EAI_FAIL ("the lookup failed")
 * is true of all three, EAI_NONAME would be false of two.
 */
#include <lwip/opt.h>
#include <lwip/netdb.h>
#include <lwip/sockets.h>
#include "net_internal.h"

#define PUBLIC __attribute__((visibility("default")))

/* Ours, above lwIP's five (the public <netdb.h> has the same values). */
#define EAI_AGAIN    205
#define EAI_BADFLAGS 206
#define EAI_SOCKTYPE 207

#define KNOWN_FLAGS                                                                                \
    (AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_NUMERICSERV | AI_V4MAPPED | AI_ALL |          \
     AI_ADDRCONFIG)

PUBLIC int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                       struct addrinfo **res)
{
    if (!net_running())
        return EAI_AGAIN;
    if (hints) {
        if (hints->ai_flags & ~KNOWN_FLAGS)
            return EAI_BADFLAGS;
        if (hints->ai_family != AF_UNSPEC && hints->ai_family != AF_INET)
            return EAI_FAMILY;
        if (hints->ai_socktype != 0 && hints->ai_socktype != SOCK_STREAM &&
            hints->ai_socktype != SOCK_DGRAM)
            return EAI_SOCKTYPE;
    }
    if (!node && !service)
        return EAI_NONAME;
    return lwip_getaddrinfo(node, service, hints, res);
}

PUBLIC void freeaddrinfo(struct addrinfo *ai)
{
    if (ai)
        lwip_freeaddrinfo(ai);
}

PUBLIC const char *gai_strerror(int code)
{
    switch (code) {
    case 0:
        return "Success";
    case EAI_NONAME:
        return "Name does not resolve";
    case EAI_SERVICE:
        return "Unrecognized service";
    case EAI_FAIL:
        return "Non-recoverable failure in name resolution";
    case EAI_MEMORY:
        return "Memory allocation failure";
    case EAI_FAMILY:
        return "Address family not supported";
    case EAI_AGAIN:
        return "Name resolution not available yet (net_start)";
    case EAI_BADFLAGS:
        return "Invalid flags";
    case EAI_SOCKTYPE:
        return "Socket type not supported";
    default:
        return "Unknown error";
    }
}
