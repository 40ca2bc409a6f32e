/*
 * The socket ABI, twice: compiled once against lwIP's own definitions
 * (-DLWIP_SIDE, as runtime/net/sockets.c sees them) and once against our
 * public POSIX headers (as an application sees them).  The two objects'
 * tables must be byte for byte the same (`make socket-abi`, tests/net.sh):
 * a layout or a constant that differs would hand lwIP a wrong struct.
 */
#include <stddef.h>
#ifdef LWIP_SIDE
#include <fcntl.h>
#include <lwip/opt.h>
#include <lwip/inet.h>
#include <lwip/sockets.h>
#include <lwip/netdb.h>
#else
#include <netdb.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#endif

const long socket_abi[] = {
    sizeof(struct sockaddr),
    offsetof(struct sockaddr, sa_family),
    offsetof(struct sockaddr, sa_data),
    sizeof(struct sockaddr_in),
    offsetof(struct sockaddr_in, sin_family),
    offsetof(struct sockaddr_in, sin_port),
    offsetof(struct sockaddr_in, sin_addr),
    sizeof(struct sockaddr_storage),
    sizeof(struct in_addr),
    sizeof(socklen_t),
    sizeof(sa_family_t),
    sizeof(in_port_t),
    sizeof(struct linger),
    sizeof(struct pollfd),
    offsetof(struct pollfd, revents),
    sizeof(nfds_t),
    SOCK_STREAM,
    SOCK_DGRAM,
    SOCK_RAW,
    SOL_SOCKET,
    SO_REUSEADDR,
    SO_KEEPALIVE,
    SO_BROADCAST,
    SO_LINGER,
    SO_RCVBUF,
    SO_SNDBUF,
    SO_RCVTIMEO,
    SO_SNDTIMEO,
    SO_ERROR,
    SO_TYPE,
    AF_UNSPEC,
    AF_INET,
    PF_INET,
    IPPROTO_IP,
    IPPROTO_TCP,
    IPPROTO_UDP,
    IPPROTO_ICMP,
    IP_TOS,
    IP_TTL,
    TCP_NODELAY,
    TCP_KEEPALIVE,
    TCP_KEEPIDLE,
    TCP_KEEPINTVL,
    TCP_KEEPCNT,
    MSG_PEEK,
    MSG_WAITALL,
    MSG_DONTWAIT,
    MSG_MORE,
    MSG_NOSIGNAL,
    SHUT_RD,
    SHUT_WR,
    SHUT_RDWR,
    POLLIN,
    POLLOUT,
    POLLERR,
    POLLNVAL,
    POLLHUP,
    O_NONBLOCK,
    F_GETFL,
    F_SETFL,
    INADDR_ANY,
    INADDR_NONE,
    INET_ADDRSTRLEN,
    sizeof(struct addrinfo),
    offsetof(struct addrinfo, ai_family),
    offsetof(struct addrinfo, ai_addrlen),
    offsetof(struct addrinfo, ai_addr),
    offsetof(struct addrinfo, ai_canonname),
    offsetof(struct addrinfo, ai_next),
    AI_PASSIVE,
    AI_CANONNAME,
    AI_NUMERICHOST,
    AI_NUMERICSERV,
    AI_V4MAPPED,
    AI_ALL,
    AI_ADDRCONFIG,
    EAI_NONAME,
    EAI_SERVICE,
    EAI_FAIL,
    EAI_MEMORY,
    EAI_FAMILY,
};
