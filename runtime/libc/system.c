/*
 * system(): there is no command processor in a unikernel.  newlib's own
 * answers system(NULL) with 1 on targets without fork, which tells a
 * program that asks first that a shell exists; ours says none does, and a
 * command fails the way POSIX describes a failed fork: -1 with errno.
 */
#include <errno.h>
#include <stdlib.h>

int system(const char *command)
{
    if (!command)
        return 0;
    errno = ENOSYS;
    return -1;
}
