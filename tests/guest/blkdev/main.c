/*
 * blkfront against Linux's blkback (tests/block.sh, test_block): three disks
 * the host attached (run-domu.sh --disk): xvda read-write (64 MiB), xvdb
 * read-only (1 MiB, filled by the host with pattern R), xvdc read-write
 * (4 MiB, the one dom0 detaches).  One boot:
 *
 *   1. the disks found and connected; sizes, sector size, read-only flag
 *   2. <minios/blkdev.h>: 48 MiB of pattern P written in 4 MiB calls (each
 *      split, 32 requests in flight), flushed, read back byte for byte
 *   3. 32 asynchronous requests in flight at once, with callbacks
 *   4. 8 threads on every vCPU, 10,000 random reads and writes of mixed
 *      sizes on their own regions of xvda and xvdc (two disks busy at
 *      once), every byte checked against a model
 *   5. refusals: unaligned, empty, too long, past the end, writes and
 *      flushes of the read-only disk
 *   6. the read-only disk's bytes are the host's; the counters are clean;
 *      the ordered close of xvda and xvdb
 *   6b. xvdc idle: dom0's hook (dom0-hook.sh) runs `xl block-detach`; we
 *      see it go (blkdev_wait_detached), it refuses requests (ENODEV),
 *      closes, and leaves the toolstack's list
 *   7. newlib: open("/dev/xvda"), unaligned write, pwrite, pread, lseek,
 *      fstat, fsync, writes and reads at the end, close; /dev/xvdb refuses
 *      O_RDWR with EROFS
 *   8. a write, fsync, and a crash (exit status 3) with the disk open
 *
 * The host then checks xvda's bytes (pattern P, the newlib writes, the write
 * made before the crash) and
 * that xvdb is unchanged.  Each step prints one line; the first failure
 * ends the run with status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <minios/blkdev.h>
#include <minios/smp.h>
#include <minios/sync.h>
#include <minios/thread.h>
#include <minios/time.h>
#include <minios/hypercall.h>

#define MIB        (1024 * 1024)
#define DISK_SIZE  (64 * MIB)
#define RO_SIZE    (1 * MIB)
#define P_SIZE     (48 * MIB) /* [0, 48 MiB): pattern P */
#define P_CHUNK    (4 * MIB)
#define T_BASE     (48 * MIB) /* [48, 52 MiB): the threads' regions */
#define T_COUNT    8
#define T_REGION   (512 * 1024)
#define T_OPS      1250       /* x 8 threads: 10,000 */
#define C_SIZE     (4 * MIB)  /* xvdc: the threads' second regions */
#define A_BASE     (52 * MIB) /* [52 MiB, ...): the asynchronous requests */
#define POSIX_BASE (56 * MIB) /* the newlib part (the host checks it) */
#define CRASH_AT   (60 * MIB) /* the last write, flushed before the crash */
#define CRASH_MARK "flushed before the crash"
#define HELLO      "hello, disk"
#define Q_LEN      10000

static struct blkdev *rw, *ro, *third;

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *what, ...)
{
    va_list ap;

    printf("blk: FAILED: ");
    va_start(ap, what);
    vprintf(what, ap);
    va_end(ap);
    printf("\n");
    return 1;
}

/* Pattern P: each 8-byte word a hash of its offset (the host computes the same). */
static void fill_p(uint8_t *buf, uint64_t offset, size_t len)
{
    for (size_t i = 0; i < len; i += 8) {
        uint64_t x = ((offset + i) / 8) * 0x9E3779B97F4A7C15ULL + 0x1234567ULL;

        x ^= x >> 29;
        memcpy(buf + i, &x, 8);
    }
}

/* Pattern R of the read-only disk: byte o is (o * 7 + o / 4096) & 0xff. */
static uint8_t r_byte(uint64_t o)
{
    return (uint8_t)((o * 7 + o / 4096) & 0xff);
}

static uint8_t q_byte(size_t i)
{
    return (uint8_t)(i * 13 + 5);
}

static int step_open(void)
{
    struct blkdev_info a, b;
    char n0[16], n1[16], n2[16];
    int err;

    if (blkdev_count() != 3)
        return fail("blkdev_count() is %d, not 3", blkdev_count());
    if (blkdev_name_of(0, n0, sizeof(n0)) || blkdev_name_of(1, n1, sizeof(n1)) ||
        blkdev_name_of(2, n2, sizeof(n2)))
        return fail("blkdev_name_of");
    printf("blk: disks: %s %s %s\n", n0, n1, n2);
    if (!(rw = blkdev_open("xvda", &err)))
        return fail("open xvda: %s", xen_strerror(err));
    if (!(ro = blkdev_open("xvdb", &err)))
        return fail("open xvdb: %s", xen_strerror(err));
    if (!(third = blkdev_open("xvdc", &err)))
        return fail("open xvdc: %s", xen_strerror(err));
    if (blkdev_size(third) != C_SIZE || blkdev_readonly(third))
        return fail("xvdc: %" PRIu64 " bytes, ro %d", blkdev_size(third), blkdev_readonly(third));
    if (blkdev_open("xvda", &err) || err != -XEN_EBUSY)
        return fail("a second open of xvda gave %d, not EBUSY", err);
    if (blkdev_open("xvdz", &err) || err != -XEN_ENODEV)
        return fail("xvdz gave %d, not ENODEV", err);
    blkdev_get_info(rw, &a);
    blkdev_get_info(ro, &b);
    if (a.size != DISK_SIZE || a.sector_size != 512 || a.readonly)
        return fail("xvda: %" PRIu64 " bytes, %u-byte sectors, ro %d", a.size, a.sector_size,
                    a.readonly);
    if (b.size != RO_SIZE || b.sector_size != 512 || !b.readonly)
        return fail("xvdb: %" PRIu64 " bytes, %u-byte sectors, ro %d", b.size, b.sector_size,
                    b.readonly);
    /* Linux's blkback offers indirect descriptors: 64 KiB (our limit) in one request. */
    if (a.max_request != 64 * 1024 || b.max_request != 64 * 1024)
        return fail("max_request %u and %u, not 64 KiB", a.max_request, b.max_request);
    printf("blk: xvda %" PRIu64 " bytes rw, xvdb %" PRIu64 " bytes ro, 512-byte sectors, "
           "flush %d barrier %d, %u KiB per request\n",
           a.size, b.size, a.flush, a.barrier, a.max_request / 1024);
    return 0;
}

static int step_pattern(void)
{
    uint8_t *buf = malloc(P_CHUNK), *back = malloc(P_CHUNK);
    uint64_t t0, t1, t2, fill_w = 0, fill_r = 0, f0;
    int rc;

    if (!buf || !back)
        return fail("malloc");
    t0 = monotonic_ns();
    for (uint64_t off = 0; off < P_SIZE; off += P_CHUNK) {
        f0 = monotonic_ns();
        fill_p(buf, off, P_CHUNK);
        fill_w += monotonic_ns() - f0;
        if ((rc = blkdev_write(rw, off, buf, P_CHUNK)) < 0)
            return fail("write at %" PRIu64 ": %s", off, xen_strerror(rc));
    }
    if ((rc = blkdev_flush(rw)) < 0)
        return fail("flush: %s", xen_strerror(rc));
    t1 = monotonic_ns();
    for (uint64_t off = 0; off < P_SIZE; off += P_CHUNK) {
        memset(back, 0xee, P_CHUNK);
        if ((rc = blkdev_read(rw, off, back, P_CHUNK)) < 0)
            return fail("read at %" PRIu64 ": %s", off, xen_strerror(rc));
        f0 = monotonic_ns();
        fill_p(buf, off, P_CHUNK);
        if (memcmp(buf, back, P_CHUNK) != 0)
            return fail("the 4 MiB at %" PRIu64 " read back differ from what was written", off);
        fill_r += monotonic_ns() - f0;
    }
    t2 = monotonic_ns();
    /* Without the time spent making and comparing the pattern. */
    printf("blk: 48 MiB written+flushed in %" PRIu64 " ms, read back in %" PRIu64
           " ms (pattern time excluded), identical\n",
           (t1 - t0 - fill_w) / 1000000, (t2 - t1 - fill_r) / 1000000);
    free(buf);
    free(back);
    return 0;
}

static unsigned int async_done;

static void on_done(struct blkdev_req *req)
{
    (void)req;
    __atomic_fetch_add(&async_done, 1, __ATOMIC_RELAXED);
}

static int step_async(void)
{
    static struct blkdev_req reqs[32];
    uint8_t *buf = malloc(32 * 8192), *back = malloc(32 * 8192);
    int rc;

    if (!buf || !back)
        return fail("malloc");
    for (int i = 0; i < 32 * 8192; i++)
        buf[i] = (uint8_t)(i * 31 + i / 8192);
    for (int i = 0; i < 32; i++) {
        reqs[i] = (struct blkdev_req){.op = BLKDEV_WRITE,
                                      .offset = A_BASE + i * 8192,
                                      .buf = buf + i * 8192,
                                      .len = 8192,
                                      .done = on_done};
        if ((rc = blkdev_submit(rw, &reqs[i])) < 0)
            return fail("submit write %d: %s", i, xen_strerror(rc));
    }
    for (int i = 0; i < 32; i++) {
        if ((rc = blkdev_wait(rw, &reqs[i])) < 0)
            return fail("async write %d: %s", i, xen_strerror(rc));
    }
    if (async_done != 32)
        return fail("%u callbacks for 32 writes", async_done);
    for (int i = 0; i < 32; i++) {
        reqs[i] = (struct blkdev_req){
            .op = BLKDEV_READ, .offset = A_BASE + i * 8192, .buf = back + i * 8192, .len = 8192};
        if ((rc = blkdev_submit(rw, &reqs[i])) < 0)
            return fail("submit read %d: %s", i, xen_strerror(rc));
    }
    for (int i = 0; i < 32; i++) {
        if ((rc = blkdev_wait(rw, &reqs[i])) < 0)
            return fail("async read %d: %s", i, xen_strerror(rc));
    }
    if (memcmp(buf, back, 32 * 8192) != 0)
        return fail("the asynchronous reads differ from the writes");
    printf("blk: async: 32 writes in flight, 32 callbacks, 32 reads identical\n");
    free(buf);
    free(back);
    return 0;
}

struct worker {
    unsigned int index;
    uint64_t seed;
    uint8_t *model[2]; /* its region on xvda, on xvdc */
    unsigned int reads, writes, cpus_seen, on_c;
    int error;
};

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    uint64_t base[2] = {T_BASE + (uint64_t)w->index * T_REGION, (uint64_t)w->index * T_REGION};
    struct blkdev *disk[2] = {rw, third};
    uint8_t *buf = malloc(BLKDEV_REQ_MAX * 3);
    int rc;

    if (!buf || !(w->model[0] = calloc(1, T_REGION)) || !(w->model[1] = calloc(1, T_REGION))) {
        w->error = -XEN_ENOMEM;
        return NULL;
    }
    /* The regions start as zeroes on disk too. */
    for (int d = 0; d < 2; d++) {
        if ((rc = blkdev_write(disk[d], base[d], w->model[d], T_REGION)) < 0) {
            w->error = rc;
            return NULL;
        }
    }
    for (int k = 0; k < T_OPS && !w->error; k++) {
        size_t sectors = 1 + next_rand(&w->seed) % (next_rand(&w->seed) % 4 ? 16 : 256);
        size_t len = sectors * 512;
        uint64_t off = (next_rand(&w->seed) % (T_REGION / 512 - sectors + 1)) * 512;
        unsigned int d = next_rand(&w->seed) % 4 == 0; /* a quarter on xvdc */
        uint8_t *model = w->model[d];

        w->cpus_seen |= 1U << thread_cpu();
        w->on_c += d;
        if (next_rand(&w->seed) % 2) {
            for (size_t i = 0; i < len; i += 8) {
                uint64_t x = next_rand(&w->seed);

                memcpy(buf + i, &x, 8);
            }
            if ((rc = blkdev_write(disk[d], base[d] + off, buf, len)) < 0)
                w->error = rc;
            memcpy(model + off, buf, len);
            w->writes++;
        } else {
            if ((rc = blkdev_read(disk[d], base[d] + off, buf, len)) < 0)
                w->error = rc;
            else if (memcmp(buf, model + off, len) != 0)
                w->error = -XEN_EILSEQ;
            w->reads++;
        }
        if (k % 16 == 0)
            thread_yield();
    }
    free(buf);
    return NULL;
}

static int step_threads(void)
{
    struct worker w[T_COUNT];
    struct thread *t[T_COUNT];
    unsigned int cpus = smp_cpu_count(), reads = 0, writes = 0, seen = 0, on_c = 0;
    uint64_t start = monotonic_ns();
    uint8_t *back = malloc(T_REGION);

    for (unsigned int i = 0; i < T_COUNT; i++) {
        struct thread_attr attr = THREAD_ATTR_DEFAULT;

        w[i] = (struct worker){.index = i, .seed = 0x9E3779B97F4A7C15ULL * (i + 1)};
        attr.cpu = (int)(i % cpus);
        if (!(t[i] = thread_create(worker_main, &w[i], &attr)))
            return fail("thread_create");
    }
    for (unsigned int i = 0; i < T_COUNT; i++)
        thread_join(t[i], NULL);
    for (unsigned int i = 0; i < T_COUNT; i++) {
        if (w[i].error)
            return fail("thread %u: %s", i, xen_strerror(w[i].error));
        /* The whole regions once more, after everyone is done. */
        if (blkdev_read(rw, T_BASE + (uint64_t)i * T_REGION, back, T_REGION) < 0 ||
            memcmp(back, w[i].model[0], T_REGION) != 0)
            return fail("thread %u's region of xvda differs from its model at the end", i);
        if (blkdev_read(third, (uint64_t)i * T_REGION, back, T_REGION) < 0 ||
            memcmp(back, w[i].model[1], T_REGION) != 0)
            return fail("thread %u's region of xvdc differs from its model at the end", i);
        reads += w[i].reads;
        writes += w[i].writes;
        on_c += w[i].on_c;
        seen |= w[i].cpus_seen;
        free(w[i].model[0]);
        free(w[i].model[1]);
    }
    free(back);
    printf("blk: %u threads on %u vCPUs (seen on mask %#x): %u reads and %u writes (%u on xvdc) "
           "in %llu ms, every byte as the model says\n",
           T_COUNT, cpus, seen, reads, writes, on_c,
           (unsigned long long)((monotonic_ns() - start) / 1000000));
    return 0;
}

static int expect_err(const char *what, int got, int want)
{
    if (got == want)
        return 0;
    return fail("%s gave %d (%s), not %d", what, got, xen_strerror(got), want);
}

static int step_refusals(void)
{
    struct blkdev_info info;

    blkdev_get_info(rw, &info);
    uint8_t *buf = malloc(info.max_request + 4096);
    struct blkdev_req req = {
        .op = BLKDEV_READ, .offset = 0, .buf = buf, .len = info.max_request + 512};

    if (!buf)
        return fail("malloc");
    if (expect_err("read at offset 100", blkdev_read(rw, 100, buf, 512), -XEN_EINVAL) ||
        expect_err("read of 100 bytes", blkdev_read(rw, 0, buf, 100), -XEN_EINVAL) ||
        expect_err("read of 0 bytes", blkdev_read(rw, 0, buf, 0), -XEN_EINVAL) ||
        expect_err("read past the end", blkdev_read(rw, DISK_SIZE - 512, buf, 1024), -XEN_ENOSPC) ||
        expect_err("read at 2^64 - 512", blkdev_read(rw, UINT64_MAX - 511, buf, 1024),
                   -XEN_ENOSPC) ||
        expect_err("write past the end", blkdev_write(rw, DISK_SIZE, buf, 512), -XEN_ENOSPC) ||
        expect_err("a request above max_request", blkdev_submit(rw, &req), -XEN_EINVAL) ||
        expect_err("write to xvdb", blkdev_write(ro, 0, buf, 512), -XEN_EROFS) ||
        expect_err("flush of xvdb", blkdev_flush(ro), -XEN_EROFS))
        return 1;
    free(buf);
    printf("blk: refused: unaligned, empty, too long, past the end (EINVAL, ENOSPC), "
           "writes to the read-only disk (EROFS)\n");
    return 0;
}

static int step_readonly(void)
{
    uint8_t *buf = malloc(RO_SIZE);
    int rc;

    if (!buf)
        return fail("malloc");
    if ((rc = blkdev_read(ro, 0, buf, RO_SIZE)) < 0)
        return fail("read xvdb: %s", xen_strerror(rc));
    for (size_t o = 0; o < RO_SIZE; o++) {
        if (buf[o] != r_byte(o))
            return fail("xvdb byte %zu is %#x, the host wrote %#x", o, buf[o], r_byte(o));
    }
    free(buf);
    printf("blk: xvdb: 1 MiB as the host wrote it\n");
    return 0;
}

static int step_close(void)
{
    struct blkdev_stats a, b;
    int rc;

    blkdev_get_stats(rw, &a);
    blkdev_get_stats(ro, &b);
    printf("blk: stats xvda: %lu reads %lu writes %lu flushes, %lu+%lu bytes, errors %lu lies "
           "%lu, %lu events, %lu nudges; xvdb: %lu reads, errors %lu lies %lu\n",
           a.reads, a.writes, a.flushes, a.read_bytes, a.write_bytes, a.errors, a.lies, a.events,
           a.nudges, b.reads, b.errors, b.lies);
    if (a.errors || a.lies || b.errors || b.lies || !a.events || !a.flushes)
        return fail("unclean counters");
    if ((rc = blkdev_close(rw)) < 0 || (rc = blkdev_close(ro)) < 0)
        return fail("close: %s", xen_strerror(rc));
    printf("blk: closed: in order\n");
    return 0;
}

/*
 * xvdc, idle, is taken away by dom0 (dom0-hook.sh waits for our line, then
 * runs `xl block-detach`): we must see it go, refuse requests, close it,
 * and find it gone from the toolstack's list.
 */
static int step_detach(void)
{
    uint8_t buf[512];
    uint64_t start = monotonic_ns();
    int rc;

    printf("blk: xvdc: idle, waiting for dom0's xl block-detach\n");
    fflush(stdout);
    if ((rc = blkdev_wait_detached(third, start + 120 * 1000000000ULL)) < 0)
        return fail("xvdc not detached within 120 s: %s", xen_strerror(rc));
    unsigned long long ms = (monotonic_ns() - start) / 1000000;

    if ((rc = blkdev_read(third, 0, buf, sizeof(buf))) != -XEN_ENODEV)
        return fail("a read of the detached xvdc gave %d, not ENODEV", rc);
    if ((rc = blkdev_close(third)) < 0)
        return fail("close of the detached xvdc: %s", xen_strerror(rc));
    /* The toolstack removes device/vbd/51744 once the backend is Closed. */
    while (blkdev_count() != 2 && monotonic_ns() - start < 150 * 1000000000ULL)
        thread_sleep_ns(100 * 1000000ULL);
    if (blkdev_count() != 2)
        return fail("blkdev_count() is %d after the detach, not 2", blkdev_count());
    printf("blk: xvdc: detached by dom0 after %llu ms; reads refused (ENODEV), closed, "
           "2 disks left\n",
           ms);
    return 0;
}

static int step_posix(void)
{
    uint8_t q[Q_LEN], back[Q_LEN];
    struct stat st;
    char hello[sizeof(HELLO)];
    int fd;

    for (size_t i = 0; i < Q_LEN; i++)
        q[i] = q_byte(i);
    if ((fd = open("/dev/xvdb", O_RDWR)) >= 0 || errno != EROFS)
        return fail("open(/dev/xvdb, O_RDWR) gave %d errno %d, not EROFS", fd, errno);
    if ((fd = open("/dev/xvdb", O_RDONLY)) < 0)
        return fail("open(/dev/xvdb, O_RDONLY): %s", strerror(errno));
    if (pread(fd, back, 100, 4000) != 100 || back[0] != r_byte(4000) || back[99] != r_byte(4099))
        return fail("pread of xvdb at 4000");
    if (write(fd, q, 1) != -1 || errno != EBADF)
        return fail("write to a read-only fd: errno %d, not EBADF", errno);
    close(fd);

    if ((fd = open("/dev/xvda", O_RDWR)) < 0)
        return fail("open(/dev/xvda, O_RDWR): %s", strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISBLK(st.st_mode) || st.st_size != DISK_SIZE)
        return fail("fstat: mode %o size %ld", (unsigned int)st.st_mode, (long)st.st_size);
    if (lseek(fd, POSIX_BASE + 3, SEEK_SET) != POSIX_BASE + 3 ||
        write(fd, HELLO, strlen(HELLO)) != (ssize_t)strlen(HELLO))
        return fail("unaligned write: %s", strerror(errno));
    if (lseek(fd, 0, SEEK_CUR) != POSIX_BASE + 3 + (off_t)strlen(HELLO))
        return fail("the offset after the write");
    if (pwrite(fd, q, Q_LEN, POSIX_BASE + 1000) != Q_LEN)
        return fail("pwrite: %s", strerror(errno));
    if (fsync(fd) != 0)
        return fail("fsync: %s", strerror(errno));
    if (pread(fd, back, Q_LEN, POSIX_BASE + 1000) != Q_LEN || memcmp(back, q, Q_LEN) != 0)
        return fail("pread of what pwrite wrote");
    if (lseek(fd, POSIX_BASE + 3, SEEK_SET) < 0 ||
        read(fd, hello, strlen(HELLO)) != (ssize_t)strlen(HELLO) ||
        memcmp(hello, HELLO, strlen(HELLO)) != 0)
        return fail("read of the unaligned write");
    if (lseek(fd, 0, SEEK_END) != DISK_SIZE)
        return fail("lseek SEEK_END");
    if (read(fd, back, 10) != 0)
        return fail("read at the end is not 0");
    if (write(fd, q, 10) != -1 || errno != ENOSPC)
        return fail("write at the end: errno %d, not ENOSPC", errno);
    if (pwrite(fd, q, 1024, DISK_SIZE - 512) != 512)
        return fail("a write across the end is not cut at it");
    if (pread(fd, back, 1024, DISK_SIZE - 512) != 512 || memcmp(back, q, 512) != 0)
        return fail("a read across the end");
    if (pread(fd, back, 10, -512) != -1 || errno != EINVAL)
        return fail("pread at offset -512: errno %d, not EINVAL", errno);
    if (pwrite(fd, q, 10, -1) != -1 || errno != EINVAL)
        return fail("pwrite at offset -1: errno %d, not EINVAL", errno);
    if (lseek(fd, -1, SEEK_SET) != -1 || errno != EINVAL)
        return fail("lseek to -1: errno %d, not EINVAL", errno);
    if (pread(fd, back, 10, DISK_SIZE + 4096) != 0)
        return fail("a read past the end is not 0");
    if (pwrite(fd, q, 10, DISK_SIZE + 4096) != -1 || errno != ENOSPC)
        return fail("a write past the end: errno %d, not ENOSPC", errno);
    if (open("/dev/xvdq", O_RDONLY) != -1 || errno != ENOENT)
        return fail("/dev/xvdq: errno %d, not ENOENT", errno);
    if (close(fd) != 0)
        return fail("close");
    printf("blk: newlib: open, unaligned write, pwrite, fsync, pread, read, lseek, fstat "
           "(S_IFBLK, %ld bytes), ENOSPC at and past the end, EINVAL below 0, EROFS for xvdb, "
           "close\n",
           (long)st.st_size);
    return 0;
}

/*
 * The end: a write made durable by fsync, then a crash with the disk still
 * open (exit status 3 crashes a domU): the host must find it on the file.
 */
static int step_crash(void)
{
    int fd = open("/dev/xvda", O_WRONLY);

    if (fd < 0 ||
        pwrite(fd, CRASH_MARK, strlen(CRASH_MARK), CRASH_AT) != (ssize_t)strlen(CRASH_MARK) ||
        fsync(fd) != 0)
        return fail("the write before the crash: %s", strerror(errno));
    printf("blk: all steps passed; written, flushed, and now crashing with xvda open\n");
    exit(3);
}

int main(void)
{
    if (step_open() || step_pattern() || step_async() || step_threads() || step_refusals() ||
        step_readonly() || step_close() || step_detach() || step_posix() || step_crash())
        return 1;
    return 1;
}
