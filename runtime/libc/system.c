/*
 * system(): there is no command processor in a unikernel.  newlib's own
 * answers system(NULL) with 1 on targets without fork, which tells a
 * program that asks first that a shell exists; ours says none does, and a
 * command fails the way POSIX describes a failed fork: -1 with errno.
 * _system_r, which <stdlib.h> declares too, is ours as well: otherwise a
 * program naming it would link newlib's system.o, and two system()s.
 */
#include <errno.h>
#include <reent.h>
#include <stdlib.h>

int system(const char *command)
{
    if (!command)
        return 0;
    errno = ENOSYS;
    return -1;
}

int _system_r(struct _reent *r, const char *command)
{
    if (!command)
        return 0;
    _REENT_ERRNO(r) = ENOSYS;
    return -1;
}
