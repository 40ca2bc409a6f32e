/*
 * The fd layer (runtime/libc/fd.h) on the console: dup, dup2, fcntl, the
 * console surviving close(), bad fds, and many threads on several vCPUs
 * taking and giving back fds at once without losing or sharing one.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <minios/test.h>

TEST_DEFINE(test_fd_console, "fds 0-2: the console (a tty, no offset), surviving close")
{
    struct stat st;

    CHECK(fstat(1, &st) == 0 && S_ISCHR(st.st_mode), "fstat(1): mode %#o", (unsigned)st.st_mode);
    errno = 0;
    CHECK(lseek(0, 0, SEEK_CUR) == -1 && errno == ESPIPE, "lseek(0): errno %d", errno);
    errno = 0;
    CHECK(pwrite(1, "x", 1, 0) == -1 && errno == ESPIPE, "pwrite(1): errno %d", errno);
    /* newlib's stdio closes 0-2 whenever a thread ends: they must stay. */
    CHECK(close(2) == 0, "close(2) failed: errno %d", errno);
    CHECK(write(2, "(fd 2 after close)\n", 19) == 19, "fd 2 gone after close: errno %d", errno);
    CHECK(fcntl(1, F_GETFL) == O_RDWR, "F_GETFL of the console: %#x", fcntl(1, F_GETFL));
}

TEST_DEFINE(test_fd_dup, "dup, dup2, F_DUPFD, F_GETFD/F_SETFD; EBADF and EINVAL")
{
    int a = dup(1), b, c;

    CHECK(a >= 3, "dup(1) = %d (errno %d)", a, errno);
    CHECK(write(a, "(a dup of fd 1)\n", 16) == 16, "write to the dup: errno %d", errno);
    CHECK(isatty(a) == 1, "the dup is not a tty");
    b = dup2(a, 100);
    CHECK(b == 100, "dup2(a, 100) = %d (errno %d)", b, errno);
    CHECK(dup2(b, b) == b, "dup2(b, b)");
    c = fcntl(a, F_DUPFD, 50);
    CHECK(c == 50, "F_DUPFD 50 = %d", c);
    CHECK(fcntl(c, F_GETFD) == 0, "F_GETFD %d", fcntl(c, F_GETFD));
    CHECK(fcntl(c, F_SETFD, FD_CLOEXEC) == 0 && fcntl(c, F_GETFD) == FD_CLOEXEC, "F_SETFD");
    CHECK(close(a) == 0 && close(b) == 0 && close(c) == 0, "close of the dups");
    errno = 0;
    CHECK(close(a) == -1 && errno == EBADF, "close twice: errno %d", errno);
    errno = 0;
    CHECK(write(b, "x", 1) == -1 && errno == EBADF, "write to a closed fd: errno %d", errno);
    errno = 0;
    CHECK(dup(-1) == -1 && errno == EBADF, "dup(-1): errno %d", errno);
    errno = 0;
    CHECK(dup2(1, 256) == -1 && errno == EBADF, "dup2(1, 256): errno %d", errno);
    errno = 0;
    CHECK(fcntl(1, F_DUPFD, 256) == -1 && errno == EINVAL, "F_DUPFD 256: errno %d", errno);
    errno = 0;
    CHECK(read(1000000, &a, 1) == -1 && errno == EBADF, "read of fd 10^6: errno %d", errno);
    errno = 0;
    CHECK(fcntl(9, F_GETFL) == -1 && errno == EBADF, "fcntl of a free fd: errno %d", errno);
}

TEST_DEFINE(test_fd_table_full, "the 256th fd is the last; then EMFILE")
{
    int fds[256], n = 0, fd;

    while ((fd = dup(1)) >= 0 && n < 256)
        fds[n++] = fd;
    CHECK(fd == -1 && errno == EMFILE, "dup when full: %d, errno %d", fd, errno);
    CHECK(n == 253, "%d fds besides 0-2", n);
    CHECK(n > 0 && fds[n - 1] == 255, "the last fd is %d", n > 0 ? fds[n - 1] : -1);
    while (n)
        close(fds[--n]);
    fd = dup(1);
    CHECK(fd == 3, "the lowest free fd after closing: %d", fd);
    close(fd);
}

#define FD_THREADS 6
#define FD_ROUNDS  2000

static void *churn(void *arg)
{
    long bad = 0;

    (void)arg;
    for (int i = 0; i < FD_ROUNDS; i++) {
        int a = dup(1), b = dup(1);

        /* Two live fds are never one; each names the console. */
        if (a < 3 || b < 3 || a == b || !isatty(a) || !isatty(b))
            bad++;
        if (close(a) != 0 || close(b) != 0)
            bad++;
        if ((i & 63) == 0)
            sched_yield();
    }
    return (void *)bad;
}

TEST_DEFINE(test_fd_threads,
            "6 threads x 2000 rounds of dup/close on every vCPU: no fd shared or lost",
            .min_cpus = 2)
{
    pthread_t t[FD_THREADS];
    long bad = 0;
    void *r;
    int fd;

    for (int i = 0; i < FD_THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, churn, NULL) == 0, "pthread_create");
    for (int i = 0; i < FD_THREADS; i++) {
        pthread_join(t[i], &r);
        bad += (long)r;
    }
    CHECK(bad == 0, "%ld bad rounds", bad);
    fd = dup(1);
    CHECK(fd == 3, "fds leaked: the next one is %d", fd);
    close(fd);
}
