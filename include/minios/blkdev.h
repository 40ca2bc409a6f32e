/*
 * Block devices: Xen PV disks (blkfront, drivers/blkfront/) for
 * applications.  docs/storage.md tells the design and the limits.
 *
 * Disks are named as Linux names them (xvda, xvdb, ...: from the xenstore
 * id device/vbd/<id>).  blkdev_open() connects to the backend and returns
 * once it is Connected; the size, the sector size and whether the disk is
 * read-only are the backend's (its `sectors`, `sector-size`, `info` and
 * `mode` keys).  Offsets and lengths are in bytes and must be multiples of
 * the sector size.
 *
 * Any thread may issue requests, on any vCPU, concurrently: up to 32 are
 * in flight at once (the ring's slots), each up to blkdev_info.max_request
 * bytes (at least BLKDEV_REQ_MAX).
 * Synchronous calls take any length and split it.  Asynchronous requests
 * (blkdev_submit) complete through a callback, run in the disk's own
 * completion thread (it may sleep, but long work there delays the disk's
 * other completions), or through blkdev_wait().
 *
 * A backend that does not answer a request within BLKDEV_TIMEOUT_NS fails
 * it, and every other request in flight, with -XEN_ETIMEDOUT; the disk is
 * then dead (-XEN_ENODEV), and the pages it was lent stay lent.
 *
 * Errors are negative Xen errnos (xen_strerror() names them): XEN_EINVAL
 * (unaligned, or a length of 0 or above the limit), XEN_ENOSPC (past the
 * end of the disk), XEN_EROFS (a write to a read-only disk), XEN_EIO (the
 * backend failed the request), XEN_EOPNOTSUPP, XEN_ETIMEDOUT, XEN_ENODEV.
 */
#ifndef MINIOS_BLKDEV_H
#define MINIOS_BLKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <minios/compiler.h>
#include <xen/errno.h>

#pragma GCC visibility push(default)

#define BLKDEV_MAX 4 /* disks open at once */
/*
 * Bytes in one request on any disk: 11 pages.  A backend offering indirect
 * descriptors allows more (blkdev_info.max_request: 64 KiB with Linux's).
 */
#define BLKDEV_REQ_MAX    (11 * 4096)
#define BLKDEV_TIMEOUT_NS (30 * 1000000000ULL)

struct blkdev;

/* The number of disks the toolstack gave us (0 as dom0), or an error. */
int blkdev_count(void);

/* The name of disk @index (0 .. blkdev_count() - 1) into @buf: 0 or an error. */
int blkdev_name_of(unsigned int index, char *buf, size_t size);

/*
 * Connects disk @name ("xvda").  Returns the disk, or NULL with *@err set:
 * -XEN_ENODEV (no such disk, or the backend closed), -XEN_ETIMEDOUT (the
 * backend never connected: the console says in which state it stayed),
 * -XEN_EBUSY (already open), -XEN_EINVAL (the backend's keys make no
 * sense), -XEN_ENOMEM.
 */
struct blkdev *blkdev_open(const char *name, int *err);

struct blkdev_info {
    uint64_t size;        /* bytes */
    uint32_t sector_size; /* bytes, a power of two >= 512 */
    bool readonly;        /* writes fail with -XEN_EROFS */
    bool removable, cdrom;
    bool flush;   /* the backend offers feature-flush-cache */
    bool barrier; /* or feature-barrier (used for blkdev_flush() when flush is not offered) */
    uint32_t max_request; /* bytes in one request: BLKDEV_REQ_MAX, more with indirect ones */
};

const char *blkdev_name(const struct blkdev *dev);
void blkdev_get_info(const struct blkdev *dev, struct blkdev_info *info);
uint64_t blkdev_size(const struct blkdev *dev);
uint32_t blkdev_sector_size(const struct blkdev *dev);
bool blkdev_readonly(const struct blkdev *dev);

/* Synchronous: 0 once every byte is read or written (on the backend), or an error. */
int blkdev_read(struct blkdev *dev, uint64_t offset, void *buf, size_t len);
int blkdev_write(struct blkdev *dev, uint64_t offset, const void *buf, size_t len);

/*
 * Makes every write completed before the call durable (the backend's
 * flush, or a barrier): 0 or an error.  A backend that offers neither has
 * no volatile cache to flush: 0.
 */
int blkdev_flush(struct blkdev *dev);

enum blkdev_op { BLKDEV_READ, BLKDEV_WRITE, BLKDEV_FLUSH };

/* An asynchronous request: the caller owns it and keeps it alive until it completes. */
struct blkdev_req {
    enum blkdev_op op;
    uint64_t offset;                      /* bytes (not for BLKDEV_FLUSH) */
    void *buf;                            /* len bytes (not for BLKDEV_FLUSH) */
    size_t len;                           /* 1 .. BLKDEV_REQ_MAX, a multiple of the sector size */
    void (*done)(struct blkdev_req *req); /* NULL: the caller uses blkdev_wait() */
    void *arg;                            /* the caller's */
    int status;                           /* when complete: 0 or an error */
    /* The driver's: */
    bool complete;
    uint64_t deadline;
};

/*
 * Queues @req (waiting for a free slot if all 32 are in flight).  0: @req
 * will complete (its callback runs once, then blkdev_wait() returns); or an
 * error at once, and then it will not (nothing is called).
 */
int blkdev_submit(struct blkdev *dev, struct blkdev_req *req);

/* Waits until @req (submitted) completed; returns its status. */
int blkdev_wait(struct blkdev *dev, struct blkdev_req *req);

/*
 * Disconnects in order (xenbus: Closing, Closed) and frees everything;
 * requests must no longer be in flight.  0, or the error of the step that
 * failed: then the shared pages stay lent and the disk is dead.
 */
int blkdev_close(struct blkdev *dev);

/*
 * The toolstack may take a disk away (xl block-detach): blkfront sees its
 * backend closing, refuses new requests (-XEN_ENODEV), lets those in
 * flight finish, and closes its side.  blkdev_detached() is then true;
 * blkdev_wait_detached() sleeps until it is (0) or @deadline passes
 * (monotonic_ns(); -XEN_ETIMEDOUT).  The disk still needs blkdev_close().
 */
bool blkdev_detached(const struct blkdev *dev);
int blkdev_wait_detached(struct blkdev *dev, uint64_t deadline);

struct blkdev_stats {
    unsigned long reads, writes, flushes; /* requests completed */
    unsigned long read_bytes, write_bytes;
    unsigned long errors; /* requests the backend failed (or lied about) */
    unsigned long lies;   /* responses that made no sense */
    unsigned long events; /* event channel notifications received */
    unsigned long nudges; /* notifications sent again to a backend slow to answer */
};

void blkdev_get_stats(const struct blkdev *dev, struct blkdev_stats *stats);

#pragma GCC visibility pop

#endif /* MINIOS_BLKDEV_H */
