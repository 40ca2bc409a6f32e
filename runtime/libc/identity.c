/*
 * Who is running: one user (uid and gid 0, no supplementary groups) and one
 * process, pid 1 (getpid(), syscalls.c), which is its own parent's child of
 * nobody (getppid() 0), process group 1 and session 1.  The calls that read
 * these give those answers; the calls that set them succeed when asked for
 * what already holds and fail otherwise (EPERM: there is no other id to
 * become, and no other process to move).
 */
#include <errno.h>
#include <stdbool.h>
#include <unistd.h>

#define ONLY_ID  0 /* uid and gid */
#define ONLY_PID 1 /* getpid() */

static int ids_are_ours(bool ok)
{
    if (ok)
        return 0;
    errno = EPERM;
    return -1;
}

/* (uid_t)-1 and (gid_t)-1 mean "leave it" in the two-id setters (newlib's ids are 16 bits). */
static bool uid_same_or_kept(uid_t id)
{
    return id == ONLY_ID || id == (uid_t)-1;
}

static bool gid_same_or_kept(gid_t id)
{
    return id == ONLY_ID || id == (gid_t)-1;
}

uid_t getuid(void)
{
    return ONLY_ID;
}

uid_t geteuid(void)
{
    return ONLY_ID;
}

gid_t getgid(void)
{
    return ONLY_ID;
}

gid_t getegid(void)
{
    return ONLY_ID;
}

int setuid(uid_t uid)
{
    return ids_are_ours(uid == ONLY_ID);
}

int seteuid(uid_t uid)
{
    return ids_are_ours(uid == ONLY_ID);
}

int setgid(gid_t gid)
{
    return ids_are_ours(gid == ONLY_ID);
}

int setegid(gid_t gid)
{
    return ids_are_ours(gid == ONLY_ID);
}

int setreuid(uid_t ruid, uid_t euid)
{
    return ids_are_ours(uid_same_or_kept(ruid) && uid_same_or_kept(euid));
}

int setregid(gid_t rgid, gid_t egid)
{
    return ids_are_ours(gid_same_or_kept(rgid) && gid_same_or_kept(egid));
}

/* No supplementary groups: the list is empty, whatever its room. */
int getgroups(int size, gid_t list[])
{
    (void)list;
    if (size < 0) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

/* Only the empty list is what holds already. */
int setgroups(int size, const gid_t *list)
{
    (void)list;
    return ids_are_ours(size == 0);
}

/* The ids were never changed by running a set-user-id program. */
int issetugid(void)
{
    return 0;
}

/* The user's name: uid 0 is root by convention. */
char *getlogin(void)
{
    static char name[] = "root";

    return name;
}

/* Nobody started us: as for a process whose parent is gone, and pid 0 is no process. */
pid_t getppid(void)
{
    return 0;
}

static pid_t our_group(pid_t pid)
{
    if (pid != 0 && pid != ONLY_PID) {
        errno = ESRCH;
        return -1;
    }
    return ONLY_PID;
}

pid_t getpgrp(void)
{
    return ONLY_PID;
}

pid_t getpgid(pid_t pid)
{
    return our_group(pid);
}

pid_t getsid(pid_t pid)
{
    return our_group(pid);
}

/* Already a process group leader: setpgid() to its own group is a success. */
int setpgid(pid_t pid, pid_t pgid)
{
    if (our_group(pid) < 0)
        return -1;
    if (pgid < 0) {
        errno = EINVAL;
        return -1;
    }
    return ids_are_ours(pgid == 0 || pgid == ONLY_PID);
}

/* POSIX: a process group leader cannot start a session (EPERM), and pid 1 leads its group. */
pid_t setsid(void)
{
    errno = EPERM;
    return -1;
}

/* newlib's declaration is System V's, setpgid(0, 0). */
int setpgrp(void)
{
    return setpgid(0, 0);
}
