/*
 * The process calls minios has no meaning for: a domain is one process
 * (identity.c), so there is nothing to replace with a program (exec*),
 * nothing to copy (vfork) or to talk to through a pipe (popen), and no
 * terminal to detach from (daemon).  Each fails with ENOSYS (enosys.h).
 * kill() and the calls on pid 1 itself are syscalls.c's and identity.c's.
 */
#include <stdio.h>
#include <unistd.h>

#include "enosys.h"

ENOSYS_CALL(pid_t, vfork, (void))
ENOSYS_CALL(int, execl, (const char *path UNUSED, const char *arg UNUSED, ...))
ENOSYS_CALL(int, execle, (const char *path UNUSED, const char *arg UNUSED, ...))
ENOSYS_CALL(int, execlp, (const char *file UNUSED, const char *arg UNUSED, ...))
ENOSYS_CALL(int, execlpe, (const char *file UNUSED, const char *arg UNUSED, ...))
ENOSYS_CALL(int, execv, (const char *path UNUSED, char *const argv[] UNUSED))
ENOSYS_CALL(int, execvp, (const char *file UNUSED, char *const argv[] UNUSED))
ENOSYS_CALL(int, fexecve, (int fd UNUSED, char *const argv[] UNUSED, char *const envp[] UNUSED))
ENOSYS_CALL(int, daemon, (int nochdir UNUSED, int noclose UNUSED))
ENOSYS_NULL(FILE *, popen, (const char *command UNUSED, const char *mode UNUSED))
/* No stream ever comes from popen(). */
ENOSYS_CALL(int, pclose, (FILE * stream UNUSED))

/* fork() never happens, so the handlers would never run: recording nothing is the truth. */
int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
    (void)prepare;
    (void)parent;
    (void)child;
    return 0;
}

/* The rsh family's: no privileged ports to reserve, no remote users to trust. */
ENOSYS_CALL(int, rresvport, (int *port UNUSED))
ENOSYS_CALL(int, ruserok,
            (const char *host UNUSED, int superuser UNUSED, const char *ruser UNUSED,
             const char *luser UNUSED))
ENOSYS_CALL(int, iruserok,
            (unsigned long addr UNUSED, int superuser UNUSED, const char *ruser UNUSED,
             const char *luser UNUSED))

/* No file system root to change: the RAM file system has one tree. */
ENOSYS_CALL(int, chroot, (const char *path UNUSED))
/* Terminal sessions: the console belongs to no one to hang up on. */
ENOSYS_CALL(int, revoke, (char *path UNUSED))
ENOSYS_CALL(int, vhangup, (void))
/* Credentials of a Unix-domain socket's peer: there are no Unix-domain sockets. */
ENOSYS_CALL(int, getpeereid, (int fd UNUSED, uid_t *uid UNUSED, gid_t *gid UNUSED))

/* The shells of /etc/shells: there are none, so the list ends at once. */
char *getusershell(void)
{
    return NULL;
}

void setusershell(void)
{
}

void endusershell(void)
{
}
