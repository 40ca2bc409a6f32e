/*
 * Disk figures for make bench (bench/run.sh boots this as a domU with one
 * 64 MiB disk, xvda, through Linux's blkback): sequential write and read
 * with 1 and with 32 requests in flight, of 44 KiB (11 pages: one request
 * without indirect descriptors) and of the disk's largest request (_big:
 * 64 KiB through an indirect page with Linux's blkback), sequential 4 KiB
 * reads one at a time (the Linux domU's dd figure), and random 4 KiB reads
 * with 1 and with 32 in flight.  Prints "bench NAME VALUE UNIT" lines.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minios/blkdev.h>
#include <minios/hypercall.h>
#include <minios/time.h>

#define SEQ_BYTES    (32ULL << 20)
#define RANDOM_READS 2000
#define QD_MAX       32

static struct blkdev *dev;
static uint8_t *buf;
static size_t big; /* the disk's largest request: 64 KiB with indirect descriptors */
static uint64_t state = 88172645463325252ULL;

static uint64_t next_rand(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

/* @count requests of @len bytes, @qd in flight at once; offsets sequential or random. */
static int run(enum blkdev_op op, size_t len, unsigned int count, unsigned int qd, bool random,
               uint64_t *ns)
{
    static struct blkdev_req reqs[QD_MAX];
    bool used[QD_MAX] = {false};
    uint64_t size = blkdev_size(dev), t0 = monotonic_ns();
    int rc;

    for (unsigned int i = 0; i < count; i++) {
        unsigned int k = i % qd;

        if (used[k] && (rc = blkdev_wait(dev, &reqs[k])) < 0)
            return rc;
        uint64_t off = random ? (next_rand() % (size / len)) * len : (uint64_t)i * len % size;

        reqs[k] =
            (struct blkdev_req){.op = op, .offset = off, .buf = buf + (size_t)k * big, .len = len};
        if ((rc = blkdev_submit(dev, &reqs[k])) < 0)
            return rc;
        used[k] = true;
    }
    for (unsigned int k = 0; k < qd; k++) {
        if (used[k] && (rc = blkdev_wait(dev, &reqs[k])) < 0)
            return rc;
    }
    if (op == BLKDEV_WRITE && (rc = blkdev_flush(dev)) < 0)
        return rc;
    *ns = monotonic_ns() - t0;
    return 0;
}

int main(void)
{
    static const unsigned int qds[] = {1, 32};
    struct blkdev_info info;
    uint64_t ns;
    int err;

    if (!(dev = blkdev_open("xvda", &err))) {
        printf("disk bench: xvda: %s\n", xen_strerror(err));
        return 1;
    }
    blkdev_get_info(dev, &info);
    big = info.max_request;
    printf("bench disk_max_request %u bytes\n", info.max_request);
    if (!(buf = malloc(QD_MAX * big)))
        return 1;
    memset(buf, 0x5a, QD_MAX * big);
    for (unsigned int q = 0; q < 2; q++) {
        unsigned int qd = qds[q];
        /* 44 KiB (11 pages, what one request held before indirect descriptors), then big. */
        static const char *const tag[] = {"", "_big"};
        size_t sizes[] = {BLKDEV_REQ_MAX, big};

        for (unsigned int z = 0; z < 2; z++) {
            unsigned int seq_count = (unsigned int)(SEQ_BYTES / sizes[z]);
            uint64_t bytes = (uint64_t)seq_count * sizes[z];

            if ((err = run(BLKDEV_WRITE, sizes[z], seq_count, qd, false, &ns)) < 0)
                goto failed;
            printf("bench disk_seq_write%s_qd%u %" PRIu64 " KB/s\n", tag[z], qd,
                   bytes * 1000000 / 1024 / (ns / 1000));
            if ((err = run(BLKDEV_READ, sizes[z], seq_count, qd, false, &ns)) < 0)
                goto failed;
            printf("bench disk_seq_read%s_qd%u %" PRIu64 " KB/s\n", tag[z], qd,
                   bytes * 1000000 / 1024 / (ns / 1000));
        }
        if (qd == 1) {
            /* One 4 KiB read at a time at sequential offsets: what busybox dd can do on Linux. */
            if ((err = run(BLKDEV_READ, 4096, RANDOM_READS, 1, false, &ns)) < 0)
                goto failed;
            printf("bench disk_seq4k_read_qd1 %" PRIu64 " reads/s\n",
                   (uint64_t)(RANDOM_READS * (uint64_t)1000000000 / ns));
        }
        if ((err = run(BLKDEV_READ, 4096, RANDOM_READS, qd, true, &ns)) < 0)
            goto failed;
        printf("bench disk_rand4k_read_qd%u %" PRIu64 " reads/s\n", qd,
               (uint64_t)(RANDOM_READS * (uint64_t)1000000000 / ns));
    }
    blkdev_close(dev);
    return 0;
failed:
    printf("disk bench: %s\n", xen_strerror(err));
    return 1;
}
