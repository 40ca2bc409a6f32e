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
#include <kernel/format.h>
#include <kernel/string.h>
#include <kernel/xenbus.h>
#include <kernel/xenbus_parse.h>
#include "blkfront_ring.h"
#include <minios/blkdev.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/gnttab.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/sync.h>
#include <minios/thread.h>
#include <minios/time.h>
#include <xen/io/xenbus.h>

#define SEGS         BLKIF_MAX_SEGMENTS_PER_REQUEST /* 11 in a request itself */
#define SECTOR_SHIFT 9                              /* blkif counts in 512-byte sectors */
/*
 * With indirect descriptors a request names up to this many pages (64 KiB)
 * through one more granted page of segment entries.  Linux's blkback keeps
 * up to 1056 grants persistent per ring: 32 slots of 16 data pages and an
 * indirect page (544) stay well inside.  At 32 pages a slot (1056 grants,
 * exactly the limit) blkback stopped answering after 192 requests of
 * 128 KiB (seen with Debian 12's 6.1 dom0 kernel; cause not found): docs/storage.md.
 */
#define SEGS_MAX 16U

/* The first nudge of a quiet spell, and the longest interval between two. */
#define NUDGE_FIRST_NS (100 * NSEC_PER_MSEC)
#define NUDGE_MAX_NS   NSEC_PER_SEC
#define NUDGE_LOGGED   3 /* a spell that needed this many is logged, once per disk */

struct blkdev {
    struct xenbus_dev xb;
    char name[16];
    unsigned int index; /* in devices[] */
    blkif_vdev_t handle;
    struct blkdev_info info;
    evtchn_port_t port;
    bool port_bound;
    bool dead;                     /* closed, timed out or broken: every call fails */
    bool stopping;                 /* the completion thread is to end */
    bool kick;                     /* the completion thread is to look at the deadlines again */
    bool closing_seen;             /* the backend is closing (xl block-detach): end once idle */
    bool detached;                 /* it closed under us: the handshake is done, the disk gone */
    struct xs_watch backend_watch; /* its state, for the application's lifetime */
    bool backend_watched;
    int close_rc;              /* of the handshake finish_detach() made */
    uint64_t watching_until;   /* the deadline the completion thread sleeps to */
    uint64_t quiet_since;      /* the last response, or the first request after idling */
    uint64_t nudge_at;         /* when to notify the backend again, if nothing answers */
    uint64_t nudge_slice;      /* the interval after that */
    unsigned int spell_nudges; /* nudges since the last response */
    bool nudge_logged;
    struct waitq events; /* the completion thread sleeps here: woken by the event channel */
    struct waitq done;   /* requests completing, slots freeing */
    struct thread *completer;
    unsigned long nevents;

    struct mutex lock; /* the ring, slots, req[] */
    blkif_sring_t *ring;
    grant_ref_t ring_ref;
    struct bf_ring br;
    struct blkdev_req *req[BF_RING_SIZE];
    unsigned int segs; /* pages per request: SEGS, or more with indirect descriptors */
    void *page[BF_RING_SIZE][SEGS_MAX];
    grant_ref_t gref[BF_RING_SIZE][SEGS_MAX];
    void *ind[BF_RING_SIZE]; /* the slot's page of segment entries (indirect only) */
    grant_ref_t ind_gref[BF_RING_SIZE];
    struct blkdev_stats stats;
};

static struct mutex devices_lock = MUTEX_INIT(devices_lock);
static struct blkdev *devices[BLKDEV_MAX];

static void blkfront_event(evtchn_port_t port, void *arg)
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

static bool idle_locked(const struct blkdev *dev)
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
    bool idle = idle_locked(dev);

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

static void *completer_main(void *arg)
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

    if (idle_locked(dev))
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

/* ---- Connecting ------------------------------------------------------------ */

/*
 * The backend's state while we are connected (the xenstore watch thread):
 * Closing, Closed or gone means the toolstack is taking the disk away
 * (xl block-detach).  Only a flag here; the completion thread does the
 * rest (finish_detach), as it knows what is in flight.
 */
static void backend_changed(struct xs_watch *w, const char *path, void *arg)
{
    struct blkdev *dev = arg;
    unsigned int state;
    int rc = xenbus_backend_state(&dev->xb, &state);

    (void)w;
    (void)path;
    if (rc == 0 && state != XenbusStateClosing && state != XenbusStateClosed)
        return;
    if (rc < 0 && rc != -XEN_ENOENT)
        return; /* a state that is no state: the next event says more */
    mutex_lock(&dev->lock);
    bool first = !dev->closing_seen && !dev->dead;

    if (first)
        dev->closing_seen = dev->kick = true;
    mutex_unlock(&dev->lock);
    if (!first)
        return;
    if (rc == 0)
        printk("blkfront: %s: the backend is %s (%u): closing once idle\n", dev->name,
               xenbus_state_name(state), state);
    else
        printk("blkfront: %s: the backend is gone: closing once idle\n", dev->name);
    waitq_wake_all(&dev->events);
    waitq_wake_all(&dev->done); /* threads waiting for a slot: refused now */
}

/* Frees what setup allocated; grants the backend still holds are kept (and leak). */
static void teardown(struct blkdev *dev)
{
    if (dev->port_bound)
        evtchn_close(dev->port);
    for (unsigned int i = 0; i < BF_RING_SIZE; i++) {
        for (unsigned int s = 0; s < SEGS_MAX; s++) {
            if (dev->page[i][s] && gnttab_end_access(dev->gref[i][s]) == 0)
                free_page(dev->page[i][s]);
        }
        if (dev->ind[i] && gnttab_end_access(dev->ind_gref[i]) == 0)
            free_page(dev->ind[i]);
    }
    if (dev->ring && gnttab_end_access(dev->ring_ref) == 0)
        free_page(dev->ring);
    xenbus_release(&dev->xb);
    kfree(dev);
}

static int write_keys(xs_tx_t tx, void *arg)
{
    struct blkdev *dev = arg;
    int rc;

    if ((rc = xenbus_printf(tx, &dev->xb, "ring-ref", "%u", dev->ring_ref)) < 0 ||
        (rc = xenbus_printf(tx, &dev->xb, "event-channel", "%u", dev->port)) < 0 ||
        (rc = xenbus_printf(tx, &dev->xb, "protocol", "x86_64-abi")) < 0 ||
        /* Our bounce pages stay granted: the backend may keep them mapped. */
        (rc = xenbus_printf(tx, &dev->xb, "feature-persistent", "1")) < 0)
        return rc;
    return xenbus_printf(tx, &dev->xb, "state", "%u", XenbusStateInitialised);
}

/* Reads the backend's unsigned number @key (at most @max) into *@out: 0 or -XEN_EINVAL. */
static int backend_number(struct blkdev *dev, const char *key, unsigned long max,
                          unsigned long *out)
{
    char buf[32];
    long len = xenbus_read_backend(&dev->xb, key, buf, sizeof(buf));

    if (len < 0 || xenbus_parse_ulong(buf, (size_t)len, max, out) < 0) {
        printk("blkfront: %s: %s/%s is missing or not a number\n", dev->name, dev->xb.backend, key);
        return -XEN_EINVAL;
    }
    return 0;
}

/* The disk's properties, once the backend is Connected. */
static int read_properties(struct blkdev *dev)
{
    unsigned long sectors, sector_size, info;
    char mode[8];
    long len;
    int rc;

    if ((rc = backend_number(dev, "sector-size", PAGE_SIZE, &sector_size)) < 0 ||
        (rc = backend_number(dev, "sectors", UINT64_MAX, &sectors)) < 0 ||
        (rc = backend_number(dev, "info", UINT32_MAX, &info)) < 0)
        return rc;
    /* Powers of two from 512 to a page: a segment (a page) is then whole sectors. */
    if (sector_size < 512 || (sector_size & (sector_size - 1))) {
        printk("blkfront: %s: sector-size %lu is not a power of two in 512..%u\n", dev->name,
               sector_size, (unsigned int)PAGE_SIZE);
        return -XEN_EINVAL;
    }
    if (sectors > UINT64_MAX / sector_size) {
        printk("blkfront: %s: %lu sectors of %lu bytes overflow\n", dev->name, sectors,
               sector_size);
        return -XEN_EINVAL;
    }
    dev->info.sector_size = (uint32_t)sector_size;
    dev->info.size = (uint64_t)sectors * sector_size;
    dev->info.cdrom = info & VDISK_CDROM;
    dev->info.removable = info & VDISK_REMOVABLE;
    dev->info.readonly = info & VDISK_READONLY;
    len = xenbus_read_backend(&dev->xb, "mode", mode, sizeof(mode));
    if (len == 1 && mode[0] == 'r')
        dev->info.readonly = true;
    dev->info.flush = xenbus_backend_feature(&dev->xb, "feature-flush-cache");
    dev->info.barrier = xenbus_backend_feature(&dev->xb, "feature-barrier");
    return 0;
}

/*
 * Indirect descriptors, when the backend offers them: each slot gets
 * SEGS_MAX data pages (or as many as offered) and a page for their segment
 * entries, all granted for the disk's life as the first 11.  A backend
 * offering none, or too few to matter, keeps requests at 11 pages.
 */
static int setup_indirect(struct blkdev *dev)
{
    char buf[16];
    unsigned long offered = 0;
    long len = xenbus_read_backend(&dev->xb, "feature-max-indirect-segments", buf, sizeof(buf));
    int rc;

    dev->segs = SEGS;
    if (len < 0 || xenbus_parse_ulong(buf, (size_t)len, UINT32_MAX, &offered) < 0 ||
        offered <= SEGS)
        return 0;
    unsigned int segs = offered < SEGS_MAX ? (unsigned int)offered : SEGS_MAX;

    for (unsigned int i = 0; i < BF_RING_SIZE; i++) {
        if ((rc = xenbus_grant_page(&dev->xb, false, &dev->ind[i], &dev->ind_gref[i])) < 0)
            return rc;
        for (unsigned int s = SEGS; s < segs; s++) {
            if ((rc = xenbus_grant_page(&dev->xb, false, &dev->page[i][s], &dev->gref[i][s])) < 0)
                return rc;
        }
    }
    dev->segs = segs;
    return 0;
}

/*
 * The backend publishes its features, then waits for us in InitWait.  One
 * we closed before stays Closed until we say Initialising again (Linux's
 * blkback then "prepares for reconnect"): a disk can be opened again.
 */
static int wait_initwait(struct blkdev *dev)
{
    uint64_t deadline = monotonic_ns() + XENBUS_TIMEOUT_NS, now;
    unsigned int state;
    int rc;

    if ((rc = xenbus_set_state(&dev->xb, XenbusStateInitialising)) < 0)
        return rc;
    while (xenbus_backend_state(&dev->xb, &state) == 0 && state == XenbusStateClosed) {
        if (xs_watch_wait(&dev->xb.watch, deadline) <= 0)
            break; /* the wait below reports the state it stayed in */
    }
    now = monotonic_ns();
    return xenbus_wait_backend(&dev->xb, XENBUS_MASK(XenbusStateInitWait),
                               deadline > now ? deadline - now : 0, NULL);
}

static int connect(struct blkdev *dev, unsigned int id)
{
    int rc;

    if ((rc = xenbus_open(&dev->xb, "vbd", id)) < 0 || (rc = wait_initwait(dev)) < 0)
        return rc;
    if ((rc = xenbus_grant_page(&dev->xb, false, (void **)&dev->ring, &dev->ring_ref)) < 0)
        return rc;
    for (unsigned int i = 0; i < BF_RING_SIZE; i++) {
        for (unsigned int s = 0; s < SEGS; s++) {
            if ((rc = xenbus_grant_page(&dev->xb, false, &dev->page[i][s], &dev->gref[i][s])) < 0)
                return rc;
        }
    }
    /* SHARED_RING_INIT: every index 0 but the event thresholds, 1. */
    dev->ring->req_event = dev->ring->rsp_event = 1;

    rc = evtchn_alloc_unbound(dev->xb.backend_id, blkfront_event, dev, &dev->port);
    if (rc < 0) {
        printk("blkfront: %s: evtchn_alloc_unbound: %s\n", dev->name, xen_strerror(rc));
        return rc;
    }
    dev->port_bound = true;
    rc = xs_transaction(write_keys, dev);
    if (rc < 0) {
        printk("blkfront: %s: cannot write our keys: %s\n", dev->name, xen_strerror(rc));
        return rc;
    }
    xenbus_state_written(&dev->xb, XenbusStateInitialised);
    rc = xenbus_wait_backend(&dev->xb, XENBUS_MASK(XenbusStateConnected), XENBUS_TIMEOUT_NS, NULL);
    if (rc < 0 || (rc = read_properties(dev)) < 0 || (rc = setup_indirect(dev)) < 0)
        return rc;
    dev->info.max_request = dev->segs * PAGE_SIZE;
    return xenbus_set_state(&dev->xb, XenbusStateConnected);
}

static long list_disks(unsigned int *ids)
{
    return xs_available() ? xenbus_list("vbd", ids, BLKDEV_MAX) : 0;
}

int blkdev_count(void)
{
    unsigned int ids[BLKDEV_MAX];

    return (int)list_disks(ids);
}

int blkdev_name_of(unsigned int index, char *buf, size_t size)
{
    unsigned int ids[BLKDEV_MAX];
    long count = list_disks(ids);

    if (count < 0)
        return (int)count;
    if (index >= (unsigned long)count)
        return -XEN_ENODEV;
    return bf_vdev_name(ids[index], buf, size) < 0 ? -XEN_ERANGE : 0;
}

struct blkdev *blkdev_open(const char *name, int *err)
{
    unsigned int ids[BLKDEV_MAX], index = BLKDEV_MAX;
    char each[16];
    struct blkdev *dev;
    long count = list_disks(ids);
    int rc;

    if (count < 0) {
        *err = (int)count;
        return NULL;
    }
    for (unsigned int i = 0; i < (unsigned long)count; i++) {
        if (bf_vdev_name(ids[i], each, sizeof(each)) > 0 && strcmp(each, name) == 0)
            index = i;
    }
    if (index == BLKDEV_MAX) {
        *err = -XEN_ENODEV;
        return NULL;
    }
    dev = kcalloc(1, sizeof(*dev));
    if (!dev) {
        *err = -XEN_ENOMEM;
        return NULL;
    }
    mutex_lock(&devices_lock);
    if (devices[index]) {
        mutex_unlock(&devices_lock);
        kfree(dev);
        *err = -XEN_EBUSY;
        return NULL;
    }
    devices[index] = dev;
    mutex_unlock(&devices_lock);

    ksnprintf(dev->name, sizeof(dev->name), "%s", name);
    dev->index = index;
    dev->handle = (blkif_vdev_t)ids[index];
    dev->watching_until = NO_DEADLINE;
    waitq_init(&dev->events);
    waitq_init(&dev->done);
    mutex_init(&dev->lock, false);
    rc = connect(dev, ids[index]);
    if (rc == 0) {
        struct thread_attr attr = THREAD_ATTR_DEFAULT;

        attr.name = "blkfront";
        dev->completer = thread_create(completer_main, dev, &attr);
        if (!dev->completer)
            rc = -XEN_ENOMEM;
    }
    if (rc == 0) {
        /* Without it the disk works, but a detach is not seen until a request fails. */
        char path[XENBUS_PATH_MAX + 8];
        int wrc;

        ksnprintf(path, sizeof(path), "%s/state", dev->xb.backend);
        wrc = xs_watch_start(&dev->backend_watch, path, backend_changed, dev);
        if (wrc < 0)
            printk("blkfront: %s: cannot watch %s: %s\n", dev->name, path, xen_strerror(wrc));
        else
            dev->backend_watched = true;
    }
    if (rc < 0) {
        printk("blkfront: %s: not connected: %s\n", dev->name, xen_strerror(rc));
        /* Tell the backend we are gone before taking the pages back. */
        if (dev->xb.watching && xenbus_close(&dev->xb, XENBUS_TIMEOUT_NS) < 0)
            printk("blkfront: %s: the backend did not close: its pages are kept\n", dev->name);
        else
            teardown(dev);
        mutex_lock(&devices_lock);
        devices[index] = NULL;
        mutex_unlock(&devices_lock);
        *err = rc;
        return NULL;
    }
    printk("blkfront: %s: connected to %s (domain %u): %llu bytes, %u-byte sectors%s%s%s, "
           "%u KiB requests%s\n",
           dev->name, dev->xb.backend, dev->xb.backend_id, (unsigned long long)dev->info.size,
           dev->info.sector_size, dev->info.readonly ? ", read-only" : "",
           dev->info.flush ? ", flush" : "", dev->info.barrier ? ", barrier" : "",
           dev->info.max_request / 1024, dev->segs > SEGS ? " (indirect)" : "");
    *err = 0;
    return dev;
}

const char *blkdev_name(const struct blkdev *dev)
{
    return dev->name;
}

void blkdev_get_info(const struct blkdev *dev, struct blkdev_info *info)
{
    *info = dev->info;
}

uint64_t blkdev_size(const struct blkdev *dev)
{
    return dev->info.size;
}

uint32_t blkdev_sector_size(const struct blkdev *dev)
{
    return dev->info.sector_size;
}

bool blkdev_readonly(const struct blkdev *dev)
{
    return dev->info.readonly;
}

bool blkdev_detached(const struct blkdev *dev)
{
    return __atomic_load_n(&dev->detached, __ATOMIC_ACQUIRE);
}

static bool detach_done(void *arg)
{
    return blkdev_detached(arg);
}

int blkdev_wait_detached(struct blkdev *dev, uint64_t deadline)
{
    waitq_wait(&dev->done, detach_done, dev, deadline);
    return blkdev_detached(dev) ? 0 : -XEN_ETIMEDOUT;
}

int blkdev_close(struct blkdev *dev)
{
    unsigned int index = dev->index;
    int rc;

    mutex_lock(&dev->lock);
    if (!idle_locked(dev)) {
        mutex_unlock(&dev->lock);
        return -XEN_EBUSY;
    }
    mutex_unlock(&dev->lock);
    /* From here on our own Closing is not the backend's doing. */
    if (dev->backend_watched)
        xs_watch_stop(&dev->backend_watch);
    dev->backend_watched = false;
    mutex_lock(&dev->lock);
    dev->dead = true;
    mutex_unlock(&dev->lock);
    WRITE_ONCE(dev->stopping, true);
    waitq_wake_all(&dev->events);
    thread_join(dev->completer, NULL);
    waitq_wake_all(&dev->done);
    /* Detached: the handshake was made then (the device may be gone from xenstore). */
    rc = dev->detached ? dev->close_rc : xenbus_close(&dev->xb, XENBUS_TIMEOUT_NS);
    if (rc < 0) {
        printk("blkfront: %s: the backend did not close (%s): its pages are kept\n", dev->name,
               xen_strerror(rc));
        return rc;
    }
    mutex_lock(&devices_lock);
    devices[index] = NULL;
    mutex_unlock(&devices_lock);
    teardown(dev);
    return 0;
}

void blkdev_get_stats(const struct blkdev *dev, struct blkdev_stats *s)
{
    *s = dev->stats;
    s->lies = dev->stats.lies;
    s->events = __atomic_load_n(&dev->nevents, __ATOMIC_RELAXED);
}
