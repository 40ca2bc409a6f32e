/*
 * POSIX functions newlib declares and the runtime provides (issue 12):
 * sysconf and getpagesize, getline and getdelim, getentropy/getrandom and
 * arc4random on the CPU's random numbers, setjmp/longjmp's return value.
 * Each of these used to fail to link, kill the domain, or loop.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <minios/smp.h>
#include <minios/test.h>

TEST_DEFINE(test_sysconf, "sysconf: vCPUs, page size, clock tick, fds; EINVAL for unknown names")
{
    long onln = sysconf(_SC_NPROCESSORS_ONLN), conf = sysconf(_SC_NPROCESSORS_CONF);

    CHECK(conf == (long)smp_cpu_count(), "_SC_NPROCESSORS_CONF = %ld, vCPUs %u", conf,
          smp_cpu_count());
    CHECK(onln >= 1 && onln <= conf, "_SC_NPROCESSORS_ONLN = %ld of %ld", onln, conf);
    CHECK(sysconf(_SC_PAGESIZE) == 4096 && sysconf(_SC_PAGE_SIZE) == 4096 && getpagesize() == 4096,
          "page size %ld/%ld/%d", sysconf(_SC_PAGESIZE), sysconf(_SC_PAGE_SIZE), getpagesize());
    CHECK(sysconf(_SC_CLK_TCK) == CLOCKS_PER_SEC, "_SC_CLK_TCK = %ld", sysconf(_SC_CLK_TCK));
    CHECK(sysconf(_SC_OPEN_MAX) == 256, "_SC_OPEN_MAX = %ld", sysconf(_SC_OPEN_MAX));
    long phys = sysconf(_SC_PHYS_PAGES), avail = sysconf(_SC_AVPHYS_PAGES);
    CHECK(phys > 1000 && avail > 0 && avail <= phys, "_SC_PHYS_PAGES %ld, _SC_AVPHYS_PAGES %ld",
          phys, avail);
    errno = 0;
    CHECK(sysconf(_SC_CHILD_MAX) == -1 && errno == 0, "_SC_CHILD_MAX: no limit, errno untouched");
    errno = 0;
    CHECK(sysconf(-1) == -1 && errno == EINVAL, "sysconf(-1): errno %d", errno);
    errno = 0;
    CHECK(sysconf(_SC_TRACE) == -1 && errno == EINVAL, "sysconf(_SC_TRACE): errno %d", errno);
    test_note("%ld of %ld vCPUs online, %ld pages", onln, conf, phys);
}

TEST_DEFINE(test_getline, "getline/getdelim: lines of any length, the delimiter kept, EOF is -1")
{
    static char text[] = "first\n\na line longer than the 128 bytes getdelim starts with: "
                         "................................................................"
                         "................................................................\n"
                         "a;b;last without newline";
    FILE *f = fmemopen(text, strlen(text), "r");
    char *line = NULL;
    size_t cap = 0;

    if (!f) {
        test_error("fmemopen failed: errno %d", errno);
        return;
    }
    CHECK(getline(&line, &cap, f) == 6 && strcmp(line, "first\n") == 0, "first line \"%s\"",
          line ? line : "(null)");
    CHECK(getline(&line, &cap, f) == 1 && strcmp(line, "\n") == 0, "the empty line");
    ssize_t n = getline(&line, &cap, f);
    CHECK(n == 184 && cap > 184 && line[183] == '\n', "the long line: %zd bytes, buffer %zu", n,
          cap);
    CHECK(getdelim(&line, &cap, ';', f) == 2 && strcmp(line, "a;") == 0, "getdelim ';'");
    CHECK(getdelim(&line, &cap, ';', f) == 2 && strcmp(line, "b;") == 0, "getdelim ';' again");
    CHECK(getline(&line, &cap, f) == 20 && strcmp(line, "last without newline") == 0,
          "the unterminated last line \"%s\"", line);
    errno = 0;
    CHECK(getline(&line, &cap, f) == -1, "getline at end of file");
    free(line);
    fclose(f);
}

static int all_same(const unsigned char *b, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (b[i] != b[0])
            return 0;
    }
    return 1;
}

TEST_DEFINE(test_entropy, "getentropy/getrandom fill buffers from RDRAND/RDSEED; 257 bytes: EIO")
{
    unsigned char a[256], b[256], odd[13];

    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    if (getentropy(a, sizeof(a)) != 0) {
        /* The harness's CPUs have RDRAND: no source here is a failure. */
        test_fail("getentropy(256) failed: errno %d", errno);
        return;
    }
    CHECK(getentropy(b, sizeof(b)) == 0, "second getentropy: errno %d", errno);
    CHECK(!all_same(a, sizeof(a)) && memcmp(a, b, sizeof(a)) != 0,
          "getentropy gave constant or repeated bytes");
    memset(odd, 0xa5, sizeof(odd));
    CHECK(getentropy(odd, 11) == 0 && odd[11] == 0xa5 && odd[12] == 0xa5,
          "getentropy(11) wrote past 11 bytes");
    errno = 0;
    CHECK(getentropy(a, 257) == -1 && errno == EIO, "getentropy(257): errno %d", errno);
    CHECK(getentropy(a, 0) == 0, "getentropy(0)");
    static unsigned char big[5000];
    CHECK(getrandom(big, sizeof(big), 0) == (ssize_t)sizeof(big) && !all_same(big, sizeof(big)),
          "getrandom(5000)");
    CHECK(getrandom(big, 8, GRND_NONBLOCK) == 8, "getrandom with GRND_NONBLOCK");
    errno = 0;
    CHECK(getrandom(big, 8, 0x100) == -1 && errno == EINVAL, "getrandom with a bad flag");
}

TEST_DEFINE(test_arc4random, "arc4random seeds itself and varies; arc4random_uniform in range")
{
    uint32_t v[64];
    int distinct = 0, out = 0;

    for (int i = 0; i < 64; i++)
        v[i] = arc4random();
    for (int i = 1; i < 64; i++)
        distinct += v[i] != v[0];
    for (int i = 0; i < 1000; i++)
        out += arc4random_uniform(7) >= 7;
    CHECK(distinct > 60, "arc4random gave %d values unlike the first of 64", distinct);
    CHECK(out == 0, "arc4random_uniform(7) out of range %d times", out);
    unsigned char buf[100];
    memset(buf, 0, sizeof(buf));
    arc4random_buf(buf, sizeof(buf));
    CHECK(!all_same(buf, sizeof(buf)), "arc4random_buf left the buffer constant");
}

static jmp_buf env;

static void __attribute__((noinline)) jump(int val)
{
    longjmp(env, val);
}

TEST_DEFINE(test_setjmp, "longjmp(env, 0) makes setjmp return 1; other values come back")
{
    volatile int rounds = 0;
    int r = setjmp(env);

    if (rounds++ == 0)
        jump(0);
    CHECK(r == 1, "after longjmp(env, 0) setjmp returned %d", r);
    if (r != 1)
        return;
    r = setjmp(env);
    if (rounds++ == 2)
        jump(-5);
    CHECK(r == -5, "after longjmp(env, -5) setjmp returned %d", r);
}

TEST_DEFINE(test_system, "system(NULL) says there is no shell; a command fails with ENOSYS")
{
    CHECK(system(NULL) == 0, "system(NULL) claims a command processor");
    errno = 0;
    CHECK(system("echo hello") == -1 && errno == ENOSYS, "system(\"echo hello\") gave errno %d",
          errno);
}
