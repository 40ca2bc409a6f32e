/*
 * Socket descriptors for the C library's read(), write(), close(), fcntl()
 * (runtime/libc/syscalls.c): sockets are numbered from NET_SOCKET_FD_BASE
 * (<sys/socket.h>) and these pass them to lwIP (runtime/net/sockets.c).
 * Each sets errno as the system call would.
 */
#ifndef KERNEL_NET_FD_H
#define KERNEL_NET_FD_H

#include <stdbool.h>
#include <stddef.h>

bool net_fd_is_socket(int fd);
long net_fd_read(int fd, void *buf, size_t n);
long net_fd_write(int fd, const void *buf, size_t n);
int net_fd_close(int fd);
/* F_GETFL and F_SETFL (O_NONBLOCK); other commands fail with ENOSYS. */
int net_fd_fcntl(int fd, int cmd, int val);

#endif /* KERNEL_NET_FD_H */
