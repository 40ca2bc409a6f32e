/*
 * Random 4 KiB reads for the Linux domU of make bench (bench/linux/init.sh),
 * the counterpart of bench/disk/main.c's disk_rand4k_read_qd1/qd32: the
 * same xorshift generator, seed and count, so both sides read the same
 * offsets.  Direct I/O (no page cache) through Linux's native AIO, called
 * by raw syscalls (no libaio in the initramfs): one thread keeps QD reads
 * in flight, as minios's bench does, rather than QD threads on one vCPU,
 * whose scheduling would be part of the figure.
 *
 * The disk holds a known pattern (bench/run.sh fills both sides' images
 * with this program's fill mode on the host): every 8-byte word is its
 * own byte offset on the disk.  Every read is checked: 4096 bytes
 * returned, every word as expected; a miss fails the run.
 *
 *   randread fill FILE          write the pattern over FILE (host)
 *   randread DEVICE COUNT QD    COUNT random 4 KiB reads, QD in flight
 *
 * Prints "bench disk_rand4k_read_qdQD N reads/s" and a "verified" line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/aio_abi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BLOCK  4096
#define WORDS  (BLOCK / 8)
#define QD_MAX 32

/* bench/disk/main.c's generator and seed: the same offsets on both sides. */
static uint64_t state = 88172645463325252ULL;

static uint64_t next_rand(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static int fail(const char *what)
{
    fprintf(stderr, "randread: %s: %s\n", what, strerror(errno));
    return 1;
}

static int fill(const char *path)
{
    static uint64_t words[(1 << 20) / 8];
    struct stat st;
    int fd = open(path, O_WRONLY);

    if (fd < 0 || fstat(fd, &st) < 0)
        return fail(path);
    for (uint64_t off = 0; off < (uint64_t)st.st_size; off += sizeof(words)) {
        size_t len = st.st_size - off < sizeof(words) ? st.st_size - off : sizeof(words);

        for (size_t i = 0; i < len / 8; i++)
            words[i] = off + i * 8;
        if (pwrite(fd, words, len, (off_t)off) != (ssize_t)len)
            return fail("pwrite");
    }
    return close(fd) < 0 ? fail("close") : 0;
}

static uint64_t now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The block read at @off holds its own offsets; returns the words that do not. */
static unsigned int check(const uint64_t *w, uint64_t off)
{
    unsigned int bad = 0;

    for (unsigned int i = 0; i < WORDS; i++)
        bad += w[i] != off + i * 8;
    return bad;
}

int main(int argc, char **argv)
{
    static uint64_t bufs[QD_MAX][WORDS] __attribute__((aligned(BLOCK)));
    struct iocb cbs[QD_MAX], *ptrs[QD_MAX];
    struct io_event events[QD_MAX];
    aio_context_t ctx = 0;
    unsigned long count, qd, submitted = 0, done = 0, short_reads = 0, bad_words = 0;

    if (argc == 3 && strcmp(argv[1], "fill") == 0)
        return fill(argv[2]);
    if (argc != 4 || (count = strtoul(argv[2], NULL, 10)) == 0 ||
        (qd = strtoul(argv[3], NULL, 10)) == 0 || qd > QD_MAX) {
        fprintf(stderr, "usage: randread fill FILE | randread DEVICE COUNT QD (QD <= %d)\n",
                QD_MAX);
        return 2;
    }
    int fd = open(argv[1], O_RDONLY | O_DIRECT);
    off_t size;

    if (fd < 0 || (size = lseek(fd, 0, SEEK_END)) < BLOCK)
        return fail(argv[1]);
    if (syscall(SYS_io_setup, qd, &ctx) < 0)
        return fail("io_setup");

    uint64_t t0 = now_ns();
    /* Slot k's request, when it completes, is replaced by the next one in order. */
    for (unsigned long k = 0; k < qd && submitted < count; k++, submitted++) {
        cbs[k] = (struct iocb){.aio_data = k,
                               .aio_lio_opcode = IOCB_CMD_PREAD,
                               .aio_fildes = (uint32_t)fd,
                               .aio_buf = (uintptr_t)bufs[k],
                               .aio_nbytes = BLOCK,
                               .aio_offset = (int64_t)(next_rand() % (size / BLOCK) * BLOCK)};
        ptrs[k] = &cbs[k];
    }
    if (syscall(SYS_io_submit, ctx, (long)submitted, ptrs) != (long)submitted)
        return fail("io_submit");
    while (done < count) {
        long n = syscall(SYS_io_getevents, ctx, 1L, (long)qd, events, NULL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail("io_getevents");
        for (long e = 0; e < n; e++) {
            unsigned long k = events[e].data;

            if (k >= qd)
                return fail("io_getevents: unknown request");
            struct iocb *cb = &cbs[k];
            done++;
            if (events[e].res != BLOCK)
                short_reads++;
            else
                bad_words += check(bufs[k], (uint64_t)cb->aio_offset);
            if (submitted == count)
                continue;
            cb->aio_offset = (int64_t)(next_rand() % (size / BLOCK) * BLOCK);
            submitted++;
            if (syscall(SYS_io_submit, ctx, 1L, &cb) != 1)
                return fail("io_submit");
        }
    }
    uint64_t ns = now_ns() - t0;

    syscall(SYS_io_destroy, ctx);
    close(fd);
    printf("randread: qd%lu: %lu reads of %d bytes, %lu short, %lu words not as written\n", qd,
           done, BLOCK, short_reads, bad_words);
    /* A rate of reads that did not return what the disk holds is no figure. */
    if (short_reads || bad_words)
        return 1;
    printf("bench disk_rand4k_read_qd%lu %" PRIu64 " reads/s\n", qd,
           (uint64_t)count * 1000000000 / (ns ? ns : 1));
    return 0;
}
