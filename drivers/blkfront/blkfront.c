/*
 * blkfront: Xen PV disks (<minios/blkdev.h>, <xen/io/blkif.h>).
 *
 * One disk: one ring page (32 slots), one event channel, and for each slot
 * 11 bounce pages granted to the backend once at connect (persistent
 * grants: blkback maps them once).  Data is copied between the caller's
 * buffer and the slot's pages, so the caller's memory is never lent, any
 * alignment works, and a request can be failed early (a timeout, a broken
 * ring) without the backend writing into memory the caller got back.
 *
 * A request takes a free slot (its id), fills the slot's pages (writes),
 * and is posted.  The disk's completion thread, woken by the event
 * channel, takes responses off the ring (blkfront_ring.c judges them),
 * copies read data out, and completes the requests: a callback, then the
 * `complete` flag that blkdev_wait() sleeps on.  It also keeps time: a
 * request unanswered for BLKDEV_TIMEOUT_NS fails every request in flight
 * with -XEN_ETIMEDOUT and kills the disk.
 *
 * While requests wait, a quiet backend is nudged: notified again after
 * NUDGE_FIRST_NS without a response, then at doubling intervals up to
 * NUDGE_MAX_NS, as the xenstore client does.  Under QEMU/TCG with two CPUs
 * for Xen, make check saw blkback stop for 30 s with our notification
 * sent (ring indices: requests past req_event, or all taken and
 * unanswered) until the next event reached dom0 (docs/storage.md).
 * blkback rescans its ring on any notification, so a nudge costs one
 * hypercall, and only while the backend is already slow.
 */
#include <kernel/string.h>
#include "blkfront.h"
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/time.h>

/* The first nudge of a quiet spell, and the longest interval between two. */
#define NUDGE_FIRST_NS (100 * NSEC_PER_MSEC)
#define NUDGE_MAX_NS   NSEC_PER_SEC
#define NUDGE_LOGGED   3 /* a spell that needed this many is logged, once per disk */

void blkfront_event(evtchn_port_t port, void *arg)
{
    struct blkdev *dev = arg;

    (void)port;
    __atomic_fetch_add(&dev->nevents, 1, __ATOMIC_RELAXED);
    waitq_wake_all(&dev->events);
}

static void notify(struct blkdev *dev)
{
    int rc = evtchn_send(dev->port);

    if (rc < 0)
        printk("blkfront: %s: evtchn_send(%u): %s\n", dev->name, dev->port, xen_strerror(rc));
}

/* ---- Completing ------------------------------------------------------------ */

static void finish(struct blkdev_req *req, int status)
{
    req->status = status;
    if (req->done)
        req->done(req);
    /* After this store the request is its owner's again: not touched below. */
    __atomic_store_n(&req->complete, true, __ATOMIC_RELEASE);
}

/*
 * Fails every request in flight with @status and kills the disk.  Their
 * slots stay taken and their pages lent: the backend may still use them.
 * Called with dev->lock held; the requests go into @out (returns how many).
 */
static unsigned int kill_locked(struct blkdev *dev, struct blkdev_req **out, int *status, int why)
{
    unsigned int n = 0;

    dev->dead = true;
    for (unsigned int i = 0; i < BF_RING_SIZE; i++) {
        if (dev->req[i]) {
            out[n] = dev->req[i];
            status[n++] = why;
            dev->req[i] = NULL;
            dev->stats.errors++;
        }
    }
    return n;
}

/* The backend answered (or was idle and gets a request) at @now: its quiet spell starts. */
static void quiet_from_locked(struct blkdev *dev, uint64_t now)
{
    dev->quiet_since = now;
    dev->nudge_slice = NUDGE_FIRST_NS;
    dev->nudge_at = now + NUDGE_FIRST_NS;
    dev->spell_nudges = 0;
}

/* Requests wait: notifies the backend again when its quiet spell reaches the next nudge. */
static void nudge_if_quiet_locked(struct blkdev *dev, uint64_t now)
{
    if (now < dev->nudge_at)
        return;
    notify(dev);
    dev->stats.nudges++;
    if (++dev->spell_nudges == NUDGE_LOGGED && !dev->nudge_logged) {
        dev->nudge_logged = true;
        printk("blkfront: %s: no response for %llu ms with requests in flight; nudging the "
               "backend (logged once)\n",
               dev->name, (unsigned long long)((now - dev->quiet_since) / 1000000));
    }
    dev->nudge_at = now + dev->nudge_slice;
    dev->nudge_slice = dev->nudge_slice * 2 < NUDGE_MAX_NS ? dev->nudge_slice * 2 : NUDGE_MAX_NS;
}

/* Takes every response waiting, then fails all if a request is overdue. */
static void reap(struct blkdev *dev)
{
    struct blkdev_req *out[BF_RING_SIZE];
    int status[BF_RING_SIZE];
    unsigned int n = 0;
    struct bf_result r;
    uint64_t now = monotonic_ns(), first = NO_DEADLINE;

    mutex_lock(&dev->lock);
    while (!dev->dead) {
        enum bf_verdict v = bf_next(dev->ring, &dev->br, &r);

        if (v == BF_EMPTY) {
            /* Ask for an event at the next response, then look once more before sleeping. */
            WRITE_ONCE(dev->ring->rsp_event, dev->br.rsp_cons + 1);
            mb();
            if (bf_pending(READ_ONCE(dev->ring->rsp_prod), dev->br.rsp_cons, dev->br.req_prod))
                continue;
            break;
        }
        if (v == BF_BROKEN) {
            printk("blkfront: %s: the backend's producer index is impossible: the disk is dead\n",
                   dev->name);
            n += kill_locked(dev, out + n, status + n, -XEN_EIO);
            break;
        }
        if (v == BF_LIE) {
            dev->stats.lies++;
            printk("blkfront: %s: a response for a request not in flight: ignored\n", dev->name);
            continue;
        }
        struct blkdev_req *req = dev->req[r.id];

        dev->req[r.id] = NULL;
        quiet_from_locked(dev, now);
        if (r.lied) {
            dev->stats.lies++;
            printk("blkfront: %s: response %u makes no sense (status %d): failed with EIO\n",
                   dev->name, r.id, r.said);
        }
        if (!req) /* in flight in the ring's view but not ours: a bug of ours */
            panic("blkfront: %s: slot %u completed without a request", dev->name, r.id);
        if (r.status == 0 && req->op == BLKDEV_READ) {
            for (size_t off = 0; off < req->len; off += PAGE_SIZE) {
                size_t chunk = req->len - off < PAGE_SIZE ? req->len - off : PAGE_SIZE;

                memcpy((char *)req->buf + off, dev->page[r.id][off / PAGE_SIZE], chunk);
            }
        }
        if (r.status) {
            dev->stats.errors++;
        } else if (req->op == BLKDEV_READ) {
            dev->stats.reads++;
            dev->stats.read_bytes += req->len;
        } else if (req->op == BLKDEV_WRITE) {
            dev->stats.writes++;
            dev->stats.write_bytes += req->len;
        } else {
            dev->stats.flushes++;
        }
        out[n] = req;
        status[n++] = r.status;
    }
    for (unsigned int i = 0; i < BF_RING_SIZE && !dev->dead; i++) {
        if (dev->req[i] && dev->req[i]->deadline < first)
            first = dev->req[i]->deadline;
    }
    if (!dev->dead && first <= now) {
        printk("blkfront: %s: the backend did not answer within %llu s: the disk is dead "
               "(requests %u, req_event %u, responses %u taken %u, rsp_event %u, %lu events)\n",
               dev->name, (unsigned long long)(BLKDEV_TIMEOUT_NS / 1000000000ULL), dev->br.req_prod,
               READ_ONCE(dev->ring->req_event), READ_ONCE(dev->ring->rsp_prod), dev->br.rsp_cons,
               READ_ONCE(dev->ring->rsp_event), __atomic_load_n(&dev->nevents, __ATOMIC_RELAXED));
        n += kill_locked(dev, out + n, status + n, -XEN_ETIMEDOUT);
    }
    if (!dev->dead && first != NO_DEADLINE) {
        nudge_if_quiet_locked(dev, now);
        if (dev->nudge_at < first)
            first = dev->nudge_at;
    }
    dev->watching_until = dev->dead ? NO_DEADLINE : first;
    dev->kick = false;
    mutex_unlock(&dev->lock);

    for (unsigned int i = 0; i < n; i++)
        finish(out[i], status[i]);
    if (n || dev->dead)
        waitq_wake_all(&dev->done);
}

static bool completer_has_work(void *arg)
{
    struct blkdev *dev = arg;

    /* kick: also the backend closing (finish_detach then waits for responses, not spins). */
    if (READ_ONCE(dev->stopping) || READ_ONCE(dev->kick))
        return true;
    /* A dead disk's ring is not read again (a broken index would keep this true). */
    return !READ_ONCE(dev->dead) && READ_ONCE(dev->ring->rsp_prod) != READ_ONCE(dev->br.rsp_cons);
}

bool blkfront_idle_locked(const struct blkdev *dev)
{
    for (unsigned int i = 0; i < BF_RING_SIZE; i++) {
        if (dev->req[i])
            return false;
    }
    return true;
}

/*
 * The backend is closing (the toolstack detaches the disk): new requests
 * are refused already; once the last one in flight is answered, we say
 * Closing and Closed, the backend lets go of our pages and goes Closed,
 * and the toolstack removes the device.  The disk is then gone: every call
 * but blkdev_close() fails with -XEN_ENODEV, and blkdev_detached() says so.
 */
static void finish_detach(struct blkdev *dev)
{
    int rc;

    mutex_lock(&dev->lock);
    bool idle = blkfront_idle_locked(dev);

    if (idle)
        dev->dead = true;
    mutex_unlock(&dev->lock);
    if (!idle)
        return; /* again after the next responses (or the timeout that fails them) */
    rc = xenbus_close(&dev->xb, XENBUS_TIMEOUT_NS);
    if (rc < 0)
        printk("blkfront: %s: the backend closing, our close failed (%s): its pages are kept\n",
               dev->name, xen_strerror(rc));
    else
        printk("blkfront: %s: detached by the backend's domain: closed\n", dev->name);
    dev->close_rc = rc;
    __atomic_store_n(&dev->detached, true, __ATOMIC_RELEASE);
    waitq_wake_all(&dev->done);
}

void *blkfront_completer(void *arg)
{
    struct blkdev *dev = arg;

    while (!READ_ONCE(dev->stopping)) {
        reap(dev);
        if (READ_ONCE(dev->closing_seen) && !READ_ONCE(dev->detached))
            finish_detach(dev);
        waitq_wait(&dev->events, completer_has_work, dev, READ_ONCE(dev->watching_until));
    }
    return NULL;
}

/* ---- Requests ----------------------------------------------------------------- */

/* Checks a read or write of @len bytes at @offset: 0 or the error. */
static int check_range(const struct blkdev *dev, enum blkdev_op op, uint64_t offset, uint64_t len)
{
    uint64_t end;

    if (op == BLKDEV_WRITE && dev->info.readonly)
        return -XEN_EROFS;
    if (len == 0 || (offset | len) & (dev->info.sector_size - 1))
        return -XEN_EINVAL;
    if (__builtin_add_overflow(offset, len, &end) || end > dev->info.size)
        return -XEN_ENOSPC;
    return 0;
}

static bool slot_free(void *arg)
{
    struct blkdev *dev = arg;

    if (READ_ONCE(dev->dead) || READ_ONCE(dev->closing_seen))
        return true;
    for (unsigned int i = 0; i < BF_RING_SIZE; i++) {
        if (!READ_ONCE(dev->br.in_flight[i]))
            return true;
    }
    return false;
}

int blkdev_submit(struct blkdev *dev, struct blkdev_req *req)
{
    static const uint8_t ops[] = {[BLKDEV_READ] = BLKIF_OP_READ,
                                  [BLKDEV_WRITE] = BLKIF_OP_WRITE,
                                  [BLKDEV_FLUSH] = BLKIF_OP_FLUSH_DISKCACHE};
    uint8_t op;
    int id, rc;

    req->complete = false;
    if (req->op == BLKDEV_FLUSH) {
        if (dev->info.readonly)
            return -XEN_EROFS;
        if (!dev->info.flush && !dev->info.barrier) {
            /* No volatile cache on the other side: nothing to wait for. */
            finish(req, 0);
            return 0;
        }
        op = dev->info.flush ? BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_WRITE_BARRIER;
    } else if (req->op == BLKDEV_READ || req->op == BLKDEV_WRITE) {
        if (req->len > dev->info.max_request)
            return -XEN_EINVAL;
        if ((rc = check_range(dev, req->op, req->offset, req->len)) < 0)
            return rc;
        op = ops[req->op];
    } else {
        return -XEN_EINVAL;
    }

    /* More pages than a request holds: the segments go on the slot's indirect page. */
    unsigned int segs =
        req->op == BLKDEV_FLUSH ? 0 : (unsigned int)((req->len + PAGE_SIZE - 1) / PAGE_SIZE);
    bool indirect = segs > SEGS;

    mutex_lock(&dev->lock);
    while (!dev->dead && !dev->closing_seen &&
           (id = indirect ? bf_slot_take_indirect(&dev->br, op) : bf_slot_take(&dev->br, op)) < 0) {
        mutex_unlock(&dev->lock);
        /* Slots free as responses come; the completion thread fails them all at the timeout. */
        waitq_wait(&dev->done, slot_free, dev, NO_DEADLINE);
        mutex_lock(&dev->lock);
    }
    if (dev->dead || dev->closing_seen) {
        mutex_unlock(&dev->lock);
        return -XEN_ENODEV;
    }

    RING_IDX i = dev->br.req_prod;
    blkif_request_t *r = &dev->ring->ring[i & (BF_RING_SIZE - 1)].req;
    struct blkif_request_segment *seg = indirect ? dev->ind[id] : r->seg;

    for (unsigned int s = 0; s < segs; s++) {
        size_t off = (size_t)s * PAGE_SIZE;
        size_t chunk = req->len - off < PAGE_SIZE ? req->len - off : PAGE_SIZE;

        if (req->op == BLKDEV_WRITE)
            memcpy(dev->page[id][s], (const char *)req->buf + off, chunk);
        seg[s] =
            (struct blkif_request_segment){.gref = dev->gref[id][s],
                                           .first_sect = 0,
                                           .last_sect = (uint8_t)((chunk >> SECTOR_SHIFT) - 1)};
    }
    if (indirect) {
        blkif_request_indirect_t *ri = (blkif_request_indirect_t *)r;

        ri->operation = BLKIF_OP_INDIRECT;
        ri->indirect_op = op;
        ri->nr_segments = (uint16_t)segs;
        ri->id = (uint64_t)id;
        ri->sector_number = req->offset >> SECTOR_SHIFT;
        ri->handle = dev->handle;
        ri->indirect_grefs[0] = dev->ind_gref[id]; /* SEGS_MAX entries fit in one page */
    } else {
        r->operation = op;
        r->nr_segments = (uint8_t)segs;
        r->handle = dev->handle;
        r->id = (uint64_t)id;
        r->sector_number = req->op == BLKDEV_FLUSH ? 0 : req->offset >> SECTOR_SHIFT;
    }
    uint64_t now = monotonic_ns();

    if (blkfront_idle_locked(dev))
        quiet_from_locked(dev, now);
    req->deadline = now + BLKDEV_TIMEOUT_NS;
    dev->req[id] = req;
    dev->br.req_prod = i + 1;

    wmb(); /* the request before the index that publishes it */
    dev->ring->req_prod = i + 1;
    mb(); /* the index before reading what the backend wants */
    if ((RING_IDX)(i + 1 - READ_ONCE(dev->ring->req_event)) < 1)
        notify(dev);
    /* The completion thread sleeps to no deadline or a later one: it must see this one. */
    bool kick = dev->watching_until > req->deadline;

    if (kick)
        dev->kick = true;
    mutex_unlock(&dev->lock);
    if (kick)
        waitq_wake_all(&dev->events);
    return 0;
}

static bool req_complete(void *arg)
{
    struct blkdev_req *req = arg;

    return __atomic_load_n(&req->complete, __ATOMIC_ACQUIRE);
}

int blkdev_wait(struct blkdev *dev, struct blkdev_req *req)
{
    /* Bounded: the completion thread fails the request at its deadline. */
    waitq_wait(&dev->done, req_complete, req, NO_DEADLINE);
    return req->status;
}

/* A read or write of any length: up to 32 requests in flight. */
static int transfer(struct blkdev *dev, enum blkdev_op op, uint64_t offset, void *buf, size_t len)
{
    struct blkdev_req *win;
    bool used[BF_RING_SIZE] = {false};
    int rc = check_range(dev, op, offset, len), first_err = 0;
    size_t done = 0;
    unsigned int k = 0;

    if (rc < 0)
        return rc;
    win = kcalloc(BF_RING_SIZE, sizeof(*win));
    if (!win)
        return -XEN_ENOMEM;
    while (done < len && !first_err) {
        struct blkdev_req *req = &win[k];
        size_t chunk = len - done < dev->info.max_request ? len - done : dev->info.max_request;

        if (used[k] && (rc = blkdev_wait(dev, req)) < 0 && !first_err)
            first_err = rc;
        used[k] = false;
        if (first_err)
            break;
        *req = (struct blkdev_req){
            .op = op, .offset = offset + done, .buf = (char *)buf + done, .len = chunk};
        if ((rc = blkdev_submit(dev, req)) < 0) {
            first_err = rc;
            break;
        }
        used[k] = true;
        done += chunk;
        k = (k + 1) % BF_RING_SIZE;
    }
    for (unsigned int i = 0; i < BF_RING_SIZE; i++) {
        if (used[i] && (rc = blkdev_wait(dev, &win[i])) < 0 && !first_err)
            first_err = rc;
    }
    kfree(win);
    return first_err;
}

int blkdev_read(struct blkdev *dev, uint64_t offset, void *buf, size_t len)
{
    return transfer(dev, BLKDEV_READ, offset, buf, len);
}

int blkdev_write(struct blkdev *dev, uint64_t offset, const void *buf, size_t len)
{
    return transfer(dev, BLKDEV_WRITE, offset, (void *)buf, len);
}

int blkdev_flush(struct blkdev *dev)
{
    struct blkdev_req req = {.op = BLKDEV_FLUSH};
    int rc = blkdev_submit(dev, &req);

    return rc < 0 ? rc : blkdev_wait(dev, &req);
}
