/*
 * blkfront's handshake: the disks under device/vbd, connecting one (ring,
 * event channel, persistent grants, the backend's properties), opening by
 * name, the backend closing under us (xl block-detach) and our close.  The
 * I/O path is blkfront.c.
 */
#include <kernel/format.h>
#include <kernel/string.h>
#include <kernel/xenbus_parse.h>
#include "blkfront.h"
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/mm.h>
#include <minios/time.h>
#include <xen/io/xenbus.h>

static struct mutex devices_lock = MUTEX_INIT(devices_lock);
static struct blkdev *devices[BLKDEV_MAX];

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
    const char *why;

    (void)w;
    (void)path;
    if (!xenbus_backend_leaving(&dev->xb, &why))
        return;
    mutex_lock(&dev->lock);
    bool first = !dev->closing_seen && !dev->dead;

    if (first)
        dev->closing_seen = dev->kick = true;
    mutex_unlock(&dev->lock);
    if (!first)
        return;
    printk("blkfront: %s: the backend is %s: closing once idle\n", dev->name, why);
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
        dev->completer = thread_create(blkfront_completer, dev, &attr);
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
    if (!blkfront_idle_locked(dev)) {
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
