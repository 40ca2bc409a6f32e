/*
 * The C library (newlib) on minios, checked from inside the guest: number
 * formatting and parsing, sorting, malloc, time, sleeps, per-thread errno,
 * and the system calls that must fail honestly.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <minios/test.h>

static void expect_fmt(const char *want, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void expect_fmt(const char *want, const char *fmt, ...)
{
    char buf[128];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    CHECK(strcmp(buf, want) == 0 && n == (int)strlen(want), "\"%s\" gave \"%s\", want \"%s\"", fmt,
          buf, want);
}

TEST_DEFINE(test_printf_formats, "printf/snprintf: %f %e %g %lld %zu and friends")
{
    expect_fmt("3.141593", "%f", 3.14159265358979);
    expect_fmt("  3.14", "%6.2f", 3.14159);
    expect_fmt("-0.500", "%.3f", -0.5);
    expect_fmt("1.234500e+04", "%e", 12345.0);
    expect_fmt("1.2E-05", "%.1E", 0.000012);
    expect_fmt("100000", "%g", 100000.0);
    expect_fmt("1e+06", "%g", 1000000.0);
    expect_fmt("0.0001", "%g", 0.0001);
    expect_fmt("inf nan", "%g %g", (double)INFINITY, (double)NAN);
    expect_fmt("-9223372036854775808", "%lld", (long long)INT64_MIN);
    expect_fmt("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    expect_fmt("123456789", "%zu", (size_t)123456789);
    expect_fmt("-42", "%zd", (ssize_t)-42);
    expect_fmt("0x7f|  0177|-7", "%#x|%#6o|%d", 127, 127, -7);
    expect_fmt("[hello     ]", "[%-10s]", "hello");
    char big[64];
    int n = snprintf(big, 8, "%s", "truncated output");
    CHECK(n == 16 && strcmp(big, "truncat") == 0, "truncation: %d \"%s\"", n, big);
}

TEST_DEFINE(test_strtod, "strtod/strtol/strtoull, with overflow and garbage")
{
    char *end;
    double v;

    v = strtod("0.1", &end);
    CHECK(v == 0.1 && *end == '\0', "strtod(0.1) = %.17g", v);
    v = strtod("  -1.5e3xyz", &end);
    CHECK(v == -1500.0 && strcmp(end, "xyz") == 0, "strtod(-1.5e3xyz) = %g, rest \"%s\"", v, end);
    v = strtod("2.2250738585072014e-308", &end);
    CHECK(v == DBL_MIN, "strtod(DBL_MIN) = %.17g", v);
    errno = 0;
    v = strtod("1e999", &end);
    CHECK(v == HUGE_VAL && errno == ERANGE, "overflow gave %g, errno %d", v, errno);
    v = strtod("not a number", &end);
    CHECK(v == 0.0 && strcmp(end, "not a number") == 0, "garbage parsed as %g", v);
    CHECK(strtol("-0x1f", NULL, 16) == -31, "strtol(-0x1f, 16) = %ld", strtol("-0x1f", NULL, 16));
    CHECK(strtoull("18446744073709551615", NULL, 10) == UINT64_MAX, "strtoull max");
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

TEST_DEFINE(test_qsort, "qsort and bsearch of 10,000 integers")
{
    enum { N = 10000 };
    int *v = malloc(N * sizeof(int));
    long sum_before = 0, sum_after = 0;

    if (!v) {
        test_error("malloc failed");
        return;
    }
    srand(12345);
    for (int i = 0; i < N; i++) {
        v[i] = rand() % 100000 - 50000;
        sum_before += v[i];
    }
    qsort(v, N, sizeof(int), compare_ints);
    int unsorted = 0;
    for (int i = 0; i < N; i++) {
        sum_after += v[i];
        if (i && v[i - 1] > v[i])
            unsorted++;
    }
    CHECK(unsorted == 0, "%d pairs out of order", unsorted);
    CHECK(sum_before == sum_after, "qsort lost or changed elements");
    int key = v[N / 2];
    CHECK(bsearch(&key, v, N, sizeof(int), compare_ints) != NULL, "bsearch missed a key");
    free(v);
}

TEST_DEFINE(test_malloc, "malloc/realloc/calloc/free of many sizes; huge fails with ENOMEM")
{
    enum { N = 400 };
    static unsigned char *p[N];
    static size_t size[N];
    unsigned long bad = 0;

    for (int i = 0; i < N; i++) {
        size[i] = (size_t)1 << (i % 20); /* 1 byte .. 512 KiB */
        size[i] += (size_t)i;
        p[i] = malloc(size[i]);
        if (!p[i]) {
            test_fail("malloc(%zu) failed", size[i]);
            return;
        }
        CHECK(((uintptr_t)p[i] & 15) == 0, "malloc(%zu) is not 16-byte aligned", size[i]);
        memset(p[i], (unsigned char)i, size[i]);
    }
    for (int i = 0; i < N; i += 2) {
        unsigned char *q = realloc(p[i], size[i] * 2);

        if (!q) {
            test_fail("realloc failed");
            return;
        }
        for (size_t j = 0; j < size[i]; j++)
            bad += q[j] != (unsigned char)i;
        p[i] = q;
    }
    for (int i = 1; i < N; i += 2) {
        for (size_t j = 0; j < size[i]; j++)
            bad += p[i][j] != (unsigned char)i;
    }
    for (int i = 0; i < N; i++)
        free(p[i]);
    CHECK(bad == 0, "%lu bytes were corrupted", bad);

    unsigned char *z = calloc(1000, 1000);
    CHECK(z != NULL, "calloc of 1 MB failed");
    for (int j = 0; z && j < 1000000; j += 997)
        bad += z[j];
    CHECK(bad == 0, "calloc memory was not zero");
    free(z);

    errno = 0;
    void *huge = malloc((size_t)1 << 46);
    CHECK(huge == NULL && errno == ENOMEM, "a 64 TiB malloc gave %p, errno %d", huge, errno);
}

/* Each call must fail with NULL + ENOMEM, not return a small block. */
#define EXPECT_ENOMEM(call)                                                                        \
    do {                                                                                           \
        errno = 0;                                                                                 \
        void *r_ = (call);                                                                         \
        CHECK(r_ == NULL && errno == ENOMEM, "%s gave %p, errno %d", #call, r_, errno);            \
        free(r_);                                                                                  \
    } while (0)

/* Hides a size from the compiler, which rejects the constant ones outright. */
static size_t O(size_t v)
{
    __asm__("" : "+r"(v));
    return v;
}

static void *second_thread_malloc(void *arg)
{
    void *p = malloc(64);

    free(p);
    return arg;
}

TEST_DEFINE(test_malloc_overflow,
            "calloc/reallocarray/malloc/memalign/posix_memalign/realloc sizes that wrap: ENOMEM")
{
    void *p = malloc(100);

    EXPECT_ENOMEM(calloc(O(((size_t)1 << 62) + 1), O(4)));
    EXPECT_ENOMEM(calloc(O((size_t)1 << 33), O((size_t)1 << 33)));
    EXPECT_ENOMEM(calloc(O(SIZE_MAX), O(SIZE_MAX)));
    EXPECT_ENOMEM(calloc(O(2), O(SIZE_MAX / 2 + 1)));
    EXPECT_ENOMEM(reallocarray(NULL, O((size_t)1 << 33), O((size_t)1 << 33)));
    EXPECT_ENOMEM(malloc(O(SIZE_MAX)));
    EXPECT_ENOMEM(malloc(O(SIZE_MAX - 8)));
    EXPECT_ENOMEM(malloc(O(SIZE_MAX - 32)));
    EXPECT_ENOMEM(memalign(O(64), O(SIZE_MAX - 100)));
    EXPECT_ENOMEM(memalign(O(SIZE_MAX - 10), O(16)));
    EXPECT_ENOMEM(memalign(O((size_t)1 << 63), O(16)));
    EXPECT_ENOMEM(aligned_alloc(O(4096), O(SIZE_MAX - 4000)));
    EXPECT_ENOMEM(valloc(O(SIZE_MAX - 100)));
    EXPECT_ENOMEM(pvalloc(O(SIZE_MAX - 100)));
    void *q = NULL;
    CHECK(posix_memalign(&q, O(64), O(SIZE_MAX - 100)) == ENOMEM && q == NULL,
          "posix_memalign of a size that wraps");
    CHECK(posix_memalign(&q, O(24), O(16)) == EINVAL && q == NULL,
          "posix_memalign with an alignment that is not a power of two");
    CHECK(posix_memalign(&q, O(4096), O(100)) == 0 && q && ((uintptr_t)q & 4095) == 0,
          "posix_memalign(4096, 100) gave %p", q);
    free(q);
    q = aligned_alloc(O(256), O(512));
    CHECK(q && ((uintptr_t)q & 255) == 0, "aligned_alloc(256, 512) gave %p", q);
    free(q);
    /* realloc's overflow path used to return with the malloc lock held. */
    EXPECT_ENOMEM(realloc(p, O(SIZE_MAX)));
    EXPECT_ENOMEM(realloc(p, O(SIZE_MAX - 16)));

    pthread_t t;
    void *ret = NULL;
    CHECK(pthread_create(&t, NULL, second_thread_malloc, &t) == 0 && pthread_join(t, &ret) == 0 &&
              ret == &t,
          "another thread's malloc after the failed realloc");
    free(p);
}

TEST_DEFINE(test_time, "time, gettimeofday, clock_gettime agree; monotonic never goes back")
{
    struct timespec mono0, mono1, real;
    struct timeval tv;
    time_t now = time(NULL);

    CHECK(now > 1577836800, "time() = %ld, before 2020", (long)now);
    CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec - now <= 1, "gettimeofday disagrees with time");
    CHECK(clock_gettime(CLOCK_REALTIME, &real) == 0 && real.tv_sec - now <= 1,
          "CLOCK_REALTIME disagrees with time()");
    clock_gettime(CLOCK_MONOTONIC, &mono0);
    for (int i = 0; i < 100000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &mono1);
        if (mono1.tv_sec < mono0.tv_sec ||
            (mono1.tv_sec == mono0.tv_sec && mono1.tv_nsec < mono0.tv_nsec)) {
            test_fail("CLOCK_MONOTONIC went backwards");
            break;
        }
        mono0 = mono1;
    }
    errno = 0;
    CHECK(clock_gettime(12345, &mono0) == -1 && errno == EINVAL, "a bogus clock id was accepted");
    CHECK(clock() != (clock_t)-1, "clock() failed");
}

static uint64_t now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

TEST_DEFINE(test_nanosleep, "nanosleep/usleep never end early")
{
    uint64_t worst = 0;

    for (long ms = 1; ms <= 16; ms *= 2) {
        struct timespec req = {0, ms * 1000000L};
        uint64_t t0 = now_ns();

        CHECK(nanosleep(&req, NULL) == 0, "nanosleep failed");
        uint64_t took = now_ns() - t0;

        CHECK(took >= (uint64_t)ms * 1000000ULL, "nanosleep(%ld ms) took %llu ns", ms,
              (unsigned long long)took);
        if (took - (uint64_t)ms * 1000000ULL > worst)
            worst = took - (uint64_t)ms * 1000000ULL;
    }
    uint64_t t0 = now_ns();
    usleep(3000);
    CHECK(now_ns() - t0 >= 3000000ULL, "usleep(3000) ended early");
    struct timespec bad = {0, 2000000000L};
    errno = 0;
    CHECK(nanosleep(&bad, NULL) == -1 && errno == EINVAL, "an invalid timespec was accepted");
    test_note("worst nanosleep lateness: %llu us", (unsigned long long)(worst / 1000));
}

static void *errno_keeper(void *arg)
{
    int mine = (int)(intptr_t)arg;

    for (int i = 0; i < 200; i++) {
        errno = mine;
        sched_yield();
        if (errno != mine)
            return (void *)1;
    }
    return NULL;
}

TEST_DEFINE(test_errno_per_thread, "errno is per thread")
{
    pthread_t t[8];
    void *r;
    int bad = 0;

    for (int i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, errno_keeper, (void *)(intptr_t)(100 + i));
    errno = 7;
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], &r);
        bad += r != NULL;
    }
    CHECK(bad == 0, "%d threads saw another thread's errno", bad);
    CHECK(errno == 7, "the main thread's errno changed to %d", errno);
}

TEST_DEFINE(test_syscalls, "no processes: ENOSYS; ENOENT, ESPIPE, EBADF honestly; console fds work")
{
    errno = 0;
    CHECK(open("/etc/hosts", O_RDONLY) == -1 && errno == ENOENT, "open: errno %d", errno);
    errno = 0;
    CHECK(fork() == -1 && errno == ENOSYS, "fork did not fail with ENOSYS");
    errno = 0;
    CHECK(lseek(1, 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek on the console: errno %d", errno);
    errno = 0;
    CHECK(write(9, "x", 1) == -1 && errno == EBADF, "write to fd 9: errno %d", errno);
    CHECK(isatty(1) == 1 && isatty(2) == 1, "stdout/stderr are not ttys");
    CHECK(write(1, "(a raw write to fd 1)\n", 22) == 22, "write to the console failed");
    CHECK(getpid() > 0, "getpid");
    CHECK(getenv("MINIOS_TEST_ENV") && strcmp(getenv("MINIOS_TEST_ENV"), "yes") == 0,
          "the environment from the command line is missing (MINIOS_TEST_ENV=yes)");
}

int main(int argc, char **argv)
{
    return test_main_all(argc, argv);
}
