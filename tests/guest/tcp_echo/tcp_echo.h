/* What main.c and more.c of the net-tcp test guest share. */
#ifndef TCP_ECHO_H
#define TCP_ECHO_H

#include <netinet/in.h>

/* Prints "tcp: FAILED: @what (errno ...)" and returns 1. */
int fail(const char *what);

/* A socket connected to @a, retrying while dom0's listener is not there yet (10 s); -1 if not. */
int connect_retry(const struct sockaddr_in *a, const char *what);

/* Starts two threads that connect to an address that never answers (more.c); 0 or 1. */
int connect_timeout_start(void);

/* select, UDP, errnos, getaddrinfo, eth1 and its detach (more.c); 0 or 1. */
int more_tests(void);

/* dom0's address at @port. */
struct sockaddr_in dom0_at(int port);

/*
 * Says "still here" to dom0 at @port (over eth0) and waits for its "bye",
 * which it sends once `xl network-detach` has returned; 0 or 1.
 */
int wait_detach_done(int port);

/* A vif attached while we run (hotplug.c), used, then detached; 0 or 1. */
int hotplug(void);

#endif /* TCP_ECHO_H */
