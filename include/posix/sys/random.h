/*
 * <sys/random.h>: getrandom() and getentropy(), as on Linux and the BSDs
 * (newlib 3.3 has no such header).  Both read the CPU's random-number
 * generator (runtime/libc/getentropy.c; docs/applications.md says what
 * happens on a CPU without one).
 */
#ifndef _SYS_RANDOM_H
#define _SYS_RANDOM_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Accepted and ignored: the source never blocks and has one pool. */
#define GRND_NONBLOCK 0x0001
#define GRND_RANDOM   0x0002

/* Fills @buf with up to @len random bytes; returns how many, or -1 + errno. */
ssize_t getrandom(void *buf, size_t len, unsigned int flags);

/* Fills @buf with @len (at most 256) random bytes: 0, or -1 + errno. */
int getentropy(void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* _SYS_RANDOM_H */
