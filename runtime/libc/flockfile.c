/*
 * flockfile() and friends: <stdio.h> declares them, but newlib (3.3, and still 4.5) does
 * not build them.  A FILE's lock is the recursive retargetable lock stdio
 * itself takes around each call (runtime/libc/locks.c), so a caller holding it
 * keeps its several printf()s together.  String streams have no lock.
 */
#include <stdio.h>
#include <sys/lock.h>

void flockfile(FILE *fp)
{
    if (!(fp->_flags & __SSTR))
        __lock_acquire_recursive(fp->_lock);
}

int ftrylockfile(FILE *fp)
{
    if (fp->_flags & __SSTR)
        return 0;
    /* POSIX: zero on success, non-zero if another thread holds it. */
    return __lock_try_acquire_recursive(fp->_lock) ? 0 : 1;
}

void funlockfile(FILE *fp)
{
    if (!(fp->_flags & __SSTR))
        __lock_release_recursive(fp->_lock);
}
