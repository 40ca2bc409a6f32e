/*
 * The POSIX headers newlib lacks and minios provides (<sys/mman.h>,
 * <sys/utsname.h>) and the compiler's <stdatomic.h>, each at work.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#include <minios/probe.h>
#include <minios/test.h>

TEST_DEFINE(test_uname, "uname: minios, a nodename, the version, Xen's version, x86_64")
{
    struct utsname u;

    memset(&u, 0x55, sizeof(u));
    CHECK(uname(&u) == 0, "uname failed: errno %d", errno);
    CHECK(strcmp(u.sysname, "minios") == 0, "sysname \"%.65s\"", u.sysname);
    CHECK(u.nodename[0] && memchr(u.nodename, 0, sizeof(u.nodename)), "nodename empty or unended");
    CHECK(u.release[0] >= '0' && u.release[0] <= '9', "release \"%.65s\"", u.release);
    CHECK(strncmp(u.version, "Xen 4.", 6) == 0, "version \"%.65s\"", u.version);
    CHECK(strcmp(u.machine, "x86_64") == 0, "machine \"%.65s\"", u.machine);
}

static atomic_long hits;
static atomic_flag flag = ATOMIC_FLAG_INIT;

static void *add_atomically(void *arg)
{
    (void)arg;
    for (int i = 0; i < 50000; i++)
        atomic_fetch_add_explicit(&hits, 1, memory_order_relaxed);
    return NULL;
}

TEST_DEFINE(test_stdatomic, "<stdatomic.h> (the compiler's): 4 threads x 50,000 atomic adds")
{
    pthread_t t[4];
    _Atomic(uint64_t) wide = 0;
    uint64_t expected = 0;

    atomic_init(&hits, 0);
    for (int i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, add_atomically, NULL) == 0, "pthread_create");
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    CHECK(atomic_load(&hits) == 200000, "hits %ld, want 200000", atomic_load(&hits));
    CHECK(!atomic_flag_test_and_set(&flag) && atomic_flag_test_and_set(&flag), "atomic_flag");
    CHECK(atomic_compare_exchange_strong(&wide, &expected, 7) && atomic_load(&wide) == 7, "cas");
    CHECK(ATOMIC_LONG_LOCK_FREE == 2, "long is not lock-free (%d)", ATOMIC_LONG_LOCK_FREE);
}

TEST_DEFINE(test_mmap, "anonymous mmap: zeroed, writable, munmap'd pages fault, mprotect read-only")
{
    long page = 4096;
    size_t len = 5 * (size_t)page + 100;
    uint64_t v;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    CHECK(p != MAP_FAILED, "mmap of %zu bytes failed: errno %d", len, errno);
    if (p == MAP_FAILED)
        return;
    CHECK((uintptr_t)p % (uintptr_t)page == 0, "mmap returned %p, not page-aligned", (void *)p);
    int nonzero = 0;
    for (size_t i = 0; i < 6 * (size_t)page; i++)
        nonzero += p[i] != 0;
    CHECK(nonzero == 0, "%d bytes of a fresh mapping are not zero", nonzero);
    memset(p, 0xa5, 6 * (size_t)page); /* the whole last page is ours too */

    /* Read-only: a write faults, a read works; writable again. */
    CHECK(mprotect(p + page, (size_t)page, PROT_READ) == 0, "mprotect(PROT_READ): errno %d", errno);
    CHECK(probe_write_u64(p + page, 1).faulted, "a write to a read-only page worked");
    CHECK(p[page] == 0xa5, "a read-only page lost its contents");
    CHECK(mprotect(p + page, (size_t)page, PROT_READ | PROT_WRITE) == 0, "mprotect back: %d",
          errno);
    CHECK(!probe_write_u64(p + page, 1).faulted, "a page made writable again is not");

    /* A hole in the middle, then the rest: unmapped pages fault. */
    CHECK(munmap(p + 2 * page, (size_t)page) == 0, "munmap of the middle page: errno %d", errno);
    CHECK(probe_read_u64(p + 2 * page, &v).faulted, "an unmapped page can still be read");
    CHECK(p[3 * page] == 0xa5 && p[page - 1] == 0xa5, "munmap of one page took its neighbours");
    errno = 0;
    CHECK(mprotect(p, 3 * (size_t)page, PROT_READ) == -1 && errno == ENOMEM,
          "mprotect over a hole: errno %d, want ENOMEM", errno);
    CHECK(munmap(p, len) == 0, "munmap of the rest: errno %d", errno);
    CHECK(probe_read_u64(p, &v).faulted && probe_read_u64(p + 5 * page, &v).faulted,
          "pages still mapped after munmap");
    CHECK(munmap(p, len) == 0, "munmap of unmapped pages is not an error (errno %d)", errno);

    /* What is not provided fails with an errno, never silently. */
    struct {
        size_t len;
        int prot, flags, fd, err;
    } bad[] = {
        {0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, EINVAL},
        {4096, PROT_READ, MAP_PRIVATE, 0, ENODEV},
        {4096, PROT_READ, MAP_PRIVATE, 7, EBADF},
        {4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, ENOTSUP},
        {4096, PROT_READ, MAP_ANONYMOUS, -1, EINVAL},
        {4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, ENOTSUP},
        {4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, ENOTSUP},
        {4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, ENOTSUP},
        {(size_t)1 << 40, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, ENOMEM},
    };
    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        errno = 0;
        void *q = mmap(NULL, bad[i].len, bad[i].prot, bad[i].flags, bad[i].fd, 0);
        CHECK(q == MAP_FAILED && errno == bad[i].err, "case %u: mmap gave %p, errno %d, want %d", i,
              q, errno, bad[i].err);
    }
    errno = 0;
    CHECK(munmap(p + 1, 10) == -1 && errno == EINVAL, "munmap of an unaligned address: %d", errno);
    errno = 0;
    CHECK(munmap((void *)(UINTPTR_MAX - 4095), 4097) == -1 && errno == EINVAL,
          "munmap of a range that wraps: errno %d", errno);
}

TEST_DEFINE(test_dirent, "<dirent.h>: / lists . .. tmp; other paths ENOENT; no fd 0 directory")
{
    DIR *d = opendir("/");
    struct dirent **list = NULL, *e;
    char names[64] = "";
    int n;

    CHECK(d != NULL, "opendir(\"/\") failed: errno %d", errno);
    if (d) {
        errno = 0;
        while ((e = readdir(d)) && strlen(names) + strlen(e->d_name) + 2 < sizeof(names)) {
            strcat(names, e->d_name);
            strcat(names, " ");
        }
        CHECK(errno == 0, "readdir: errno %d", errno);
        CHECK(strstr(names, ". .. ") == names && strstr(names, " tmp "), "/ lists \"%s\"", names);
        rewinddir(d);
        CHECK(telldir(d) == 0, "telldir");
        CHECK(closedir(d) == 0, "closedir");
    }
    d = opendir("./");
    CHECK(d != NULL, "opendir(\"./\") failed");
    if (d)
        closedir(d);
    errno = 0;
    CHECK(opendir("/none") == NULL && errno == ENOENT, "opendir(\"/none\"): errno %d", errno);
    errno = 0;
    CHECK(opendir("") == NULL && errno == ENOENT, "opendir(\"\"): errno %d", errno);
    errno = 0;
    CHECK(opendir("/..x") == NULL && errno == ENOENT, "opendir(\"/..x\"): errno %d", errno);
    n = scandir("/", &list, NULL, alphasort);
    CHECK(n >= 3 && strcmp(list[0]->d_name, ".") == 0 && strcmp(list[1]->d_name, "..") == 0,
          "scandir(\"/\"): %d", n);
    while (n > 0)
        free(list[--n]);
    free(list);
    errno = 0;
    CHECK(fdopendir(0) == NULL && errno == ENOTDIR, "fdopendir(0): errno %d", errno);
    errno = 0;
    CHECK(fdopendir(77) == NULL && errno == EBADF, "fdopendir(77): errno %d", errno);
}
