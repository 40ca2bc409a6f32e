/*
 * The POSIX calls newlib declares that the runtime now provides (issue 12:
 * "nothing may be declared that does not link"): the one user and process,
 * signal sets, masks and sigaction on newlib's handler table, umask and
 * the attribute calls on the RAM file system, realpath and the *at() calls,
 * the host name, newlib's regex and random state, and ENOSYS (never a
 * silent success) for what a domain has no meaning for.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <regex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <minios/test.h>

TEST_DEFINE(test_identity, "one user (0) and one process (1): getters and setters agree")
{
    gid_t groups[4];
    char *login = getlogin();

    CHECK(getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0, "ids %d %d %d %d",
          (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid());
    CHECK(setuid(0) == 0 && seteuid(0) == 0 && setgid(0) == 0 && setreuid(-1, 0) == 0,
          "setting the ids we have");
    errno = 0;
    CHECK(setuid(1000) == -1 && errno == EPERM, "setuid(1000): errno %d", errno);
    errno = 0;
    CHECK(setregid(0, 5) == -1 && errno == EPERM, "setregid(0, 5): errno %d", errno);
    CHECK(getgroups(4, groups) == 0, "no supplementary groups");
    CHECK(setgroups(0, NULL) == 0 && setgroups(1, groups) == -1 && errno == EPERM, "setgroups");
    CHECK(getpgrp() == getpid() && getpgid(0) == getpid() && getsid(0) == getpid() &&
              getppid() == 0,
          "pgrp %d, pgid %d, sid %d, ppid %d", (int)getpgrp(), (int)getpgid(0), (int)getsid(0),
          (int)getppid());
    errno = 0;
    CHECK(getpgid(2) == -1 && errno == ESRCH, "getpgid(2): errno %d", errno);
    CHECK(setpgid(0, 0) == 0, "setpgid(0, 0): already the group's leader");
    errno = 0;
    CHECK(setsid() == -1 && errno == EPERM, "setsid() of a group leader: errno %d", errno);
    CHECK(login && strcmp(login, "root") == 0 && issetugid() == 0, "getlogin \"%s\"",
          login ? login : "(null)");
    CHECK(sched_getscheduler(0) == SCHED_OTHER && nice(0) == 0, "SCHED_OTHER, nice 0");
    struct sched_param p = {.sched_priority = 0};
    errno = 0;
    CHECK(sched_setscheduler(0, SCHED_FIFO, &p) == -1 && errno == EINVAL,
          "sched_setscheduler(SCHED_FIFO): errno %d", errno);
}

TEST_DEFINE(test_sigset, "signal sets: the five operations, EINVAL for bad numbers; the mask")
{
    sigset_t s, old, now;

    CHECK(sigemptyset(&s) == 0 && sigismember(&s, SIGINT) == 0, "empty set");
    CHECK(sigaddset(&s, SIGINT) == 0 && sigismember(&s, SIGINT) == 1 &&
              sigismember(&s, SIGTERM) == 0,
          "SIGINT added");
    CHECK(sigdelset(&s, SIGINT) == 0 && sigismember(&s, SIGINT) == 0, "SIGINT deleted");
    CHECK(sigfillset(&s) == 0 && sigismember(&s, SIGUSR2) == 1 && sigismember(&s, NSIG - 1) == 1,
          "full set");
    errno = 0;
    CHECK(sigaddset(&s, 0) == -1 && errno == EINVAL, "sigaddset(0): errno %d", errno);
    errno = 0;
    CHECK(sigismember(&s, NSIG) == -1 && errno == EINVAL, "sigismember(NSIG): errno %d", errno);
    errno = 0;
    CHECK(sigdelset(&s, -1) == -1 && errno == EINVAL, "sigdelset(-1): errno %d", errno);

    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGKILL);
    CHECK(sigprocmask(SIG_BLOCK, &s, &old) == 0, "SIG_BLOCK");
    CHECK(sigprocmask(SIG_SETMASK, NULL, &now) == 0 && sigismember(&now, SIGUSR1) == 1 &&
              sigismember(&now, SIGKILL) == 0,
          "SIGUSR1 blocked, SIGKILL cannot be");
    CHECK(pthread_sigmask(SIG_UNBLOCK, &s, NULL) == 0, "pthread_sigmask SIG_UNBLOCK");
    CHECK(sigprocmask(SIG_BLOCK, NULL, &now) == 0 && sigismember(&now, SIGUSR1) == 0,
          "SIGUSR1 unblocked");
    errno = 0;
    CHECK(sigprocmask(99, &s, NULL) == -1 && errno == EINVAL, "bad how: errno %d", errno);
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0, "mask restored");
    CHECK(sigpending(&now) == 0 && sigismember(&now, SIGUSR1) == 0, "nothing pending");
}

static volatile int usr1_count;

static void count_usr1(int sig)
{
    if (sig == SIGUSR1)
        usr1_count++;
}

TEST_DEFINE(test_sigaction,
            "sigaction: old handler returned, handler stays set, raise and kill run it")
{
    struct sigaction sa, old;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = count_usr1;
    sigemptyset(&sa.sa_mask);
    usr1_count = 0;
    CHECK(sigaction(SIGUSR1, &sa, &old) == 0 && old.sa_handler == SIG_DFL,
          "first sigaction: old handler SIG_DFL");
    CHECK(raise(SIGUSR1) == 0 && raise(SIGUSR1) == 0 && usr1_count == 2,
          "two raises ran the handler %d times (it must stay set)", usr1_count);
    CHECK(kill(getpid(), SIGUSR1) == 0 && usr1_count == 3, "kill(getpid()) ran it: %d", usr1_count);
    CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == count_usr1,
          "querying returns the handler");
    sa.sa_handler = SIG_IGN;
    CHECK(sigaction(SIGUSR1, &sa, &old) == 0 && old.sa_handler == count_usr1 &&
              raise(SIGUSR1) == 0 && usr1_count == 3,
          "SIG_IGN: old handler returned, raise ignored");
    sa.sa_handler = count_usr1;
    errno = 0;
    CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL, "SIGKILL: errno %d", errno);
    errno = 0;
    CHECK(sigaction(NSIG, &sa, NULL) == -1 && errno == EINVAL, "NSIG: errno %d", errno);
    sa.sa_handler = SIG_DFL;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "SIG_DFL again");
}

TEST_DEFINE(test_umask_attrs,
            "umask round trip and creation; chmod, chown, utimes on the RAM file system")
{
    const char *path = "/tmp/unix-attrs";
    struct stat st;
    mode_t first = umask(077);
    int fd;

    CHECK(umask(first) == 077, "umask returns the mask set before");
    umask(027);
    fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0666);
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640,
          "0666 under umask 027: mode %o", (unsigned)(st.st_mode & 0777));
    umask(first);
    CHECK(chmod(path, 0604) == 0 && stat(path, &st) == 0 && (st.st_mode & 07777) == 0604,
          "chmod 0604: %o", (unsigned)(st.st_mode & 07777));
    CHECK(fchmod(fd, 0600) == 0 && stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
          "fchmod 0600: %o", (unsigned)(st.st_mode & 07777));
    CHECK(chown(path, 0, 0) == 0 && fchown(fd, -1, 0) == 0, "chown to the one user");
    errno = 0;
    CHECK(chown(path, 1000, 0) == -1 && errno == EINVAL, "chown to uid 1000: errno %d", errno);
    struct timeval tv[2] = {{1000000000, 0}, {1234567890, 500000}};
    CHECK(utimes(path, tv) == 0 && stat(path, &st) == 0 && st.st_mtim.tv_sec == 1234567890 &&
              st.st_mtim.tv_nsec == 500000000,
          "utimes: mtime %lld.%09ld", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    errno = 0;
    CHECK(fchmod(1, 0600) == -1 && errno == EINVAL, "fchmod of the console: errno %d", errno);
    close(fd);
    unlink(path);
}

TEST_DEFINE(test_realpath_at,
            "realpath, readlink/symlink without links, the *at() calls from a directory fd")
{
    char buf[PATH_MAX], *p;
    struct stat st;
    int dirfd, fd;

    mkdir("/tmp/rp", 0755);
    mkdir("/tmp/rp/sub", 0755);
    fd = open("/tmp/rp/sub/file", O_CREAT | O_WRONLY, 0644);
    close(fd);
    p = realpath("/tmp/rp/./sub/../sub//file", buf);
    CHECK(p == buf && strcmp(buf, "/tmp/rp/sub/file") == 0, "realpath of a file: \"%s\"",
          p ? buf : "(null)");
    p = realpath("/tmp/rp/sub/..", NULL);
    CHECK(p && strcmp(p, "/tmp/rp") == 0, "realpath of a directory: \"%s\"", p ? p : "(null)");
    free(p);
    errno = 0;
    CHECK(!realpath("/tmp/rp/none", buf) && errno == ENOENT, "missing: errno %d", errno);
    errno = 0;
    CHECK(readlink("/tmp/rp/sub/file", buf, sizeof(buf)) == -1 && errno == EINVAL,
          "readlink of a file: errno %d", errno);
    errno = 0;
    CHECK(symlink("file", "/tmp/rp/link") == -1 && errno == EPERM, "symlink: errno %d", errno);

    dirfd = open("/tmp/rp", O_RDONLY | O_DIRECTORY);
    CHECK(dirfd >= 0, "open the directory: errno %d", errno);
    CHECK(fstatat(dirfd, "sub/file", &st, 0) == 0 && S_ISREG(st.st_mode), "fstatat from dirfd");
    fd = openat(dirfd, "new", O_CREAT | O_WRONLY, 0600);
    CHECK(fd >= 0 && stat("/tmp/rp/new", &st) == 0, "openat created /tmp/rp/new");
    close(fd);
    CHECK(renameat(dirfd, "new", AT_FDCWD, "/tmp/rp/sub/moved") == 0 &&
              stat("/tmp/rp/sub/moved", &st) == 0,
          "renameat from dirfd to an absolute path");
    CHECK(mkdirat(dirfd, "made", 0700) == 0 && faccessat(dirfd, "made", R_OK, 0) == 0,
          "mkdirat, faccessat");
    CHECK(unlinkat(dirfd, "made", AT_REMOVEDIR) == 0 && unlinkat(dirfd, "sub/moved", 0) == 0,
          "unlinkat (AT_REMOVEDIR and a file)");
    errno = 0;
    CHECK(fstatat(dirfd, "made", &st, 0) == -1 && errno == ENOENT, "gone: errno %d", errno);
    errno = 0;
    CHECK(unlinkat(dirfd, "x", 0x100) == -1 && errno == EINVAL, "unknown flag: errno %d", errno);
    errno = 0;
    CHECK(openat(1, "x", O_RDONLY) == -1 && errno == ENOTDIR, "console as dirfd: errno %d", errno);
    close(dirfd);
    CHECK(pathconf("/tmp/rp", _PC_NAME_MAX) == 255 && fpathconf(0, _PC_NO_TRUNC) == 1,
          "pathconf NAME_MAX %ld", pathconf("/tmp/rp", _PC_NAME_MAX));
    unlink("/tmp/rp/sub/file");
    rmdir("/tmp/rp/sub");
    rmdir("/tmp/rp");
}

TEST_DEFINE(test_hostname, "gethostname/sethostname: uname agrees, ENAMETOOLONG, EINVAL")
{
    char name[65], small[3], saved[65];
    struct utsname u;

    CHECK(gethostname(saved, sizeof(saved)) == 0 && uname(&u) == 0 &&
              strcmp(saved, u.nodename) == 0,
          "gethostname \"%s\" = uname's \"%s\"", saved, u.nodename);
    CHECK(sethostname("unix-test", 9) == 0 && gethostname(name, sizeof(name)) == 0 &&
              strcmp(name, "unix-test") == 0 && uname(&u) == 0 &&
              strcmp(u.nodename, "unix-test") == 0,
          "sethostname: \"%s\", uname \"%s\"", name, u.nodename);
    errno = 0;
    CHECK(gethostname(small, sizeof(small)) == -1 && errno == ENAMETOOLONG &&
              strcmp(small, "un") == 0,
          "3-byte buffer: errno %d", errno);
    errno = 0;
    CHECK(sethostname(name, 65) == -1 && errno == EINVAL, "65 bytes: errno %d", errno);
    CHECK(sethostname(saved, strlen(saved)) == 0, "restored");
    CHECK(getdomainname(name, sizeof(name)) == 0 && name[0] == '\0', "no NIS domain");
    char *tty = ttyname(1);
    CHECK(tty && strcmp(tty, "/dev/console") == 0 && ttyname_r(1, small, sizeof(small)) == ERANGE,
          "ttyname(1) \"%s\"", tty ? tty : "(null)");
    CHECK(tcgetpgrp(0) == getpgrp(), "the console's foreground group is ours");
}

TEST_DEFINE(test_regex, "newlib's regcomp/regexec/regfree: matches, submatches, no match, errors")
{
    regex_t re;
    regmatch_t m[3];

    CHECK(regcomp(&re, "^([a-z]+)-([0-9]+)$", REG_EXTENDED) == 0, "regcomp");
    CHECK(regexec(&re, "minios-12", 3, m, 0) == 0 && m[1].rm_so == 0 && m[1].rm_eo == 6 &&
              m[2].rm_so == 7 && m[2].rm_eo == 9,
          "match with submatches %d-%d %d-%d", (int)m[1].rm_so, (int)m[1].rm_eo, (int)m[2].rm_so,
          (int)m[2].rm_eo);
    CHECK(regexec(&re, "minios-x", 0, NULL, 0) == REG_NOMATCH, "no match");
    regfree(&re);
    CHECK(regcomp(&re, "a[", REG_EXTENDED) == REG_EBRACK, "unbalanced [ is REG_EBRACK");
    CHECK(regcomp(&re, "hello", REG_ICASE | REG_NOSUB) == 0 &&
              regexec(&re, "say HeLLo", 0, NULL, 0) == 0,
          "REG_ICASE");
    regfree(&re);
}

TEST_DEFINE(test_random_state, "initstate/setstate: a seed repeats its sequence, a state resumes")
{
    static char a[16], b[16];
    long first[3], again[3];

    initstate(42, a, sizeof(a));
    for (int i = 0; i < 3; i++)
        first[i] = random();
    char *prev = initstate(42, b, sizeof(b));
    CHECK(prev == a, "initstate returns the state in use");
    for (int i = 0; i < 3; i++)
        again[i] = random();
    CHECK(memcmp(first, again, sizeof(first)) == 0, "seed 42 repeats its sequence");
    long fourth = random(); /* b's fourth number of seed 42 */
    CHECK(setstate(a) == b, "setstate returns the state in use");
    long resumed = random(); /* a stopped after its third */
    CHECK(resumed == fourth, "state a resumed after its third number: %ld, want %ld", resumed,
          fourth);
    errno = 0;
    CHECK(initstate(1, a, 4) == NULL && errno == EINVAL, "4 bytes of state: errno %d", errno);
}

TEST_DEFINE(test_no_meaning,
            "ENOSYS/EPERM for processes, pipes, timers, the clock; never a silent success")
{
    struct timeval tv = {0, 0};
    struct itimerval it;

    errno = 0;
    CHECK(execl("/bin/sh", "sh", (char *)NULL) == -1 && errno == ENOSYS, "execl: errno %d", errno);
    errno = 0;
    CHECK(vfork() == -1 && errno == ENOSYS, "vfork: errno %d", errno);
    errno = 0;
    CHECK(popen("ls", "r") == NULL && errno == ENOSYS, "popen: errno %d", errno);
    errno = 0;
    CHECK(alarm(5) == (unsigned)-1 && errno == ENOSYS, "alarm: errno %d", errno);
    CHECK(alarm(0) == 0 && getitimer(ITIMER_REAL, &it) == 0 && it.it_value.tv_sec == 0,
          "no alarm is pending");
    errno = 0;
    CHECK(sigsuspend(&(sigset_t){0}) == -1 && errno == ENOSYS, "sigsuspend: errno %d", errno);
    errno = 0;
    CHECK(settimeofday(&tv, NULL) == -1 && errno == EPERM, "settimeofday: errno %d", errno);
    errno = 0;
    CHECK(clock_settime(CLOCK_REALTIME, &(struct timespec){0, 0}) == -1 && errno == EPERM,
          "clock_settime: errno %d", errno);
    errno = 0;
    CHECK(flock(0, LOCK_EX) == -1 && errno == ENOLCK, "flock: errno %d", errno);
    CHECK(getdtablesize() == sysconf(_SC_OPEN_MAX), "getdtablesize %d", getdtablesize());
}

static void *pipe_writer(void *arg)
{
    int fd = *(int *)arg;
    unsigned char chunk[700];

    for (int i = 0; i < 30; i++) {
        for (size_t j = 0; j < sizeof(chunk); j++)
            chunk[j] = (unsigned char)(i * 7 + j);
        if (write(fd, chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk))
            return (void *)1;
    }
    close(fd);
    return NULL;
}

TEST_DEFINE(test_pipe, "pipe between threads: 21000 bytes in order, EOF, EAGAIN, EPIPE")
{
    int fds[2], err = 0;
    unsigned char buf[1000];
    size_t total = 0, bad = 0;
    pthread_t t;
    void *result;
    ssize_t n;

    if (pipe(fds) != 0) {
        test_fail("pipe: errno %d", errno);
        return;
    }
    CHECK(fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0 && read(fds[0], buf, 1) == -1 && errno == EAGAIN,
          "an empty pipe, O_NONBLOCK: errno %d", errno);
    fcntl(fds[0], F_SETFL, 0);
    pthread_create(&t, NULL, pipe_writer, &fds[1]);
    while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
        for (ssize_t j = 0; j < n; j++, total++) {
            size_t i = total / 700, k = total % 700;

            bad += buf[j] != (unsigned char)(i * 7 + k);
        }
    }
    err = errno;
    pthread_join(t, &result);
    CHECK(n == 0 && total == 21000 && bad == 0 && result == NULL,
          "read %zu bytes, %zu wrong, last read %zd (errno %d)", total, bad, n, err);
    close(fds[0]);
    CHECK(pipe(fds) == 0 && close(fds[0]) == 0, "a second pipe, read end closed");
    errno = 0;
    CHECK(write(fds[1], "x", 1) == -1 && errno == EPIPE, "write with no reader: errno %d", errno);
    close(fds[1]);
}
