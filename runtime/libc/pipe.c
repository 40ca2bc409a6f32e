/*
 * pipe(): not yet.  Threads of one domain share memory, and no other
 * process exists to read the other end, so ENOSYS until the fd layer gets
 * a pipe kind (fd.h).
 */
#include <unistd.h>

#include "enosys.h"

ENOSYS_CALL(int, pipe, (int fds[2] UNUSED))
