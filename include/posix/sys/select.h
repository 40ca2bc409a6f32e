/*
 * select() (POSIX <sys/select.h>): newlib's declarations and macros, with
 * an fd_set as large as minios's descriptor table (runtime/libc/fd.h's
 * FD_MAX, 256), so every descriptor, sockets included, fits.  newlib's own
 * default of 64 would leave sockets above 63 out.  A program may still
 * define a smaller FD_SETSIZE first; select() reads only the first @nfds
 * bits, so that works too.  Implemented over poll() (runtime/net/select.c).
 */
#ifndef MINIOS_SYS_SELECT_H
#define MINIOS_SYS_SELECT_H

#ifndef FD_SETSIZE
#define FD_SETSIZE 256
#endif
#include_next <sys/select.h>

#endif /* MINIOS_SYS_SELECT_H */
