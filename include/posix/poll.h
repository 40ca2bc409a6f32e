/* poll() (POSIX <poll.h>) on any descriptors, sockets waited on by lwIP: runtime/net/sockets.c. */
#ifndef _POLL_H
#define _POLL_H

#ifdef __cplusplus
extern "C" {
#endif

#define POLLIN     0x1
#define POLLOUT    0x2
#define POLLERR    0x4
#define POLLNVAL   0x8
#define POLLRDNORM 0x10
#define POLLRDBAND 0x20
#define POLLPRI    0x40
#define POLLWRNORM 0x80
#define POLLWRBAND 0x100
#define POLLHUP    0x200

typedef unsigned int nfds_t;

struct pollfd {
    int fd;
    short events;
    short revents;
};

/* Other files are always ready; a closed fd reports POLLNVAL.  @timeout in ms, -1 forever. */
int poll(struct pollfd *fds, nfds_t nfds, int timeout);

#ifdef __cplusplus
}
#endif

#endif /* _POLL_H */
