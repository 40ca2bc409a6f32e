/* The host name that gethostname() and uname() report (hostname.c); the glue's own. */
#ifndef RUNTIME_LIBC_HOSTNAME_H
#define RUNTIME_LIBC_HOSTNAME_H

#include <stddef.h>

#pragma GCC visibility push(hidden)

/* Bytes in a host name, without the NUL: what struct utsname's nodename holds. */
#define HOSTNAME_MAX 64

/* Copies the host name, truncated and NUL-terminated, into @out (@size > 0); its length. */
size_t hostname_copy(char *out, size_t size);

#pragma GCC visibility pop

#endif /* RUNTIME_LIBC_HOSTNAME_H */
