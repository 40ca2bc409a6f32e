/*
 * netfront's handshake: the interfaces under device/vif, connecting one
 * (two rings, an event channel, a granted page per slot, the features we
 * ask for), opening by name or as the next new device (hotplug), the
 * backend leaving under us (xl network-detach) and our close.  The frame
 * path is netfront.c.
 */
#include "netfront.h"

static struct mutex devices_lock = MUTEX_INIT(devices_lock);
static struct netdev *devices[NETDEV_MAX];

/*
 * The backend's state changed while we are connected (a watch callback, in
 * the xenstore thread): Closing, Closed or gone means the toolstack takes
 * the device away (`xl network-detach`).  Every call then fails with
 * -XEN_ENODEV, which tells the user to netdev_close() us in order.
 */
static void backend_changed(struct xs_watch *w, const char *path, void *arg)
{
    struct netdev *dev = arg;
    const char *why;

    (void)w;
    (void)path;
    if (!xenbus_backend_leaving(&dev->xb, &why))
        return;
    if (__atomic_exchange_n(&dev->leaving, true, __ATOMIC_ACQ_REL))
        return;
    printk("netfront: %s: the backend is %s: the interface goes\n", dev->name, why);
    dev->dead = true;
    waitq_wake_all(&dev->wait);
}

/* ---- Connecting ---------------------------------------------------------- */

/* Frees what setup allocated; grants still held by the backend are kept (and leak). */
static void teardown(struct netdev *dev)
{
    if (dev->port_bound)
        evtchn_close(dev->port);
    for (unsigned int i = 0; i < NF_RING_SIZE; i++) {
        if (dev->rx_buf[i] && gnttab_end_access(dev->rx_gref[i]) == 0)
            free_page(dev->rx_buf[i]);
        if (dev->tx_buf[i] && gnttab_end_access(dev->tx_gref[i]) == 0)
            free_page(dev->tx_buf[i]);
    }
    if (dev->rx_ring && gnttab_end_access(dev->rx_ring_ref) == 0)
        free_page(dev->rx_ring);
    if (dev->tx_ring && gnttab_end_access(dev->tx_ring_ref) == 0)
        free_page(dev->tx_ring);
    xenbus_release(&dev->xb);
    kfree(dev);
}

static int write_keys(xs_tx_t tx, void *arg)
{
    struct netdev *dev = arg;
    int rc;

    if ((rc = xenbus_printf(tx, &dev->xb, "tx-ring-ref", "%u", dev->tx_ring_ref)) < 0 ||
        (rc = xenbus_printf(tx, &dev->xb, "rx-ring-ref", "%u", dev->rx_ring_ref)) < 0 ||
        (rc = xenbus_printf(tx, &dev->xb, "event-channel", "%u", dev->port)) < 0 ||
        (rc = xenbus_printf(tx, &dev->xb, "request-rx-copy", "1")) < 0 ||
        (rc = xenbus_printf(tx, &dev->xb, "feature-rx-notify", "1")) < 0 ||
        /* Frames from dom0's own stack may come with blank checksums (netif.c copes). */
        (rc = xenbus_printf(tx, &dev->xb, "feature-no-csum-offload", "0")) < 0 ||
        (rc = xenbus_printf(tx, &dev->xb, "feature-sg", "1")) < 0 ||
        (rc = xenbus_printf(tx, &dev->xb, "feature-gso-tcpv4", "0")) < 0)
        return rc;
    return xenbus_printf(tx, &dev->xb, "state", "%u", XenbusStateConnected);
}

/* The toolstack's MTU (the frontend's `mtu` key), where scatter-gather lets frames be that big. */
static unsigned int read_mtu(struct netdev *dev)
{
    char buf[16];
    unsigned long mtu;
    long len = xenbus_read_front(&dev->xb, "mtu", buf, sizeof(buf));

    if (len < 0)
        return 1500;
    if (xenbus_parse_ulong(buf, (size_t)len, NETDEV_MTU_MAX, &mtu) < 0 || mtu < 576) {
        printk("netfront: %s: %s/mtu is not 576..%u: 1500\n", dev->name, dev->xb.node,
               NETDEV_MTU_MAX);
        return 1500;
    }
    if (mtu > 1500 && !dev->sg) {
        printk("netfront: %s: MTU %lu needs the backend's feature-sg: 1500\n", dev->name, mtu);
        return 1500;
    }
    return (unsigned int)mtu;
}

static int connect(struct netdev *dev, unsigned int id)
{
    char mac[32];
    long len;
    int rc;

    if ((rc = xenbus_open(&dev->xb, "vif", id)) < 0)
        return rc;
    len = xenbus_read_front(&dev->xb, "mac", mac, sizeof(mac));
    if (len < 0 || xenbus_parse_mac(mac, (size_t)len, dev->mac) < 0) {
        printk("netfront: %s: %s/mac is missing or not a MAC address\n", dev->name, dev->xb.node);
        return -XEN_EINVAL;
    }
    /* The backend publishes its features, then waits for us in InitWait. */
    rc = xenbus_wait_backend(&dev->xb, XENBUS_MASK(XenbusStateInitWait), XENBUS_TIMEOUT_NS, NULL);
    if (rc < 0)
        return rc;
    if (!xenbus_backend_feature(&dev->xb, "feature-rx-copy")) {
        printk("netfront: %s: backend %s offers no feature-rx-copy, the only mode we speak\n",
               dev->name, dev->xb.backend);
        return -XEN_EOPNOTSUPP;
    }

    dev->sg = xenbus_backend_feature(&dev->xb, "feature-sg");
    dev->tx_csum = !xenbus_backend_feature(&dev->xb, "feature-no-csum-offload");
    dev->mtu = read_mtu(dev);

    if ((rc = xenbus_grant_page(&dev->xb, false, (void **)&dev->tx_ring, &dev->tx_ring_ref)) < 0 ||
        (rc = xenbus_grant_page(&dev->xb, false, (void **)&dev->rx_ring, &dev->rx_ring_ref)) < 0)
        return rc;
    for (unsigned int i = 0; i < NF_RING_SIZE; i++) {
        if ((rc = xenbus_grant_page(&dev->xb, false, &dev->rx_buf[i], &dev->rx_gref[i])) < 0 ||
            (rc = xenbus_grant_page(&dev->xb, true, &dev->tx_buf[i], &dev->tx_gref[i])) < 0)
            return rc;
    }
    /* SHARED_RING_INIT: every index 0 but the event thresholds, 1. */
    dev->tx_ring->req_event = dev->tx_ring->rsp_event = 1;
    dev->rx_ring->req_event = dev->rx_ring->rsp_event = 1;

    rc = evtchn_alloc_unbound(dev->xb.backend_id, netfront_event, dev, &dev->port);
    if (rc < 0) {
        printk("netfront: %s: evtchn_alloc_unbound: %s\n", dev->name, xen_strerror(rc));
        return rc;
    }
    dev->port_bound = true;

    /* Every RX slot posted before the backend connects. */
    for (unsigned int i = 0; i < NF_RING_SIZE; i++) {
        netif_rx_request_t *req = &dev->rx_ring->ring[i].req;

        req->id = (uint16_t)i;
        req->gref = dev->rx_gref[i];
    }
    dev->rx.req_prod = NF_RING_SIZE;
    wmb();
    dev->rx_ring->req_prod = NF_RING_SIZE;

    rc = xs_transaction(write_keys, dev);
    if (rc < 0) {
        printk("netfront: %s: cannot write our keys: %s\n", dev->name, xen_strerror(rc));
        return rc;
    }
    xenbus_state_written(&dev->xb, XenbusStateConnected);
    return xenbus_wait_backend(&dev->xb, XENBUS_MASK(XenbusStateConnected), XENBUS_TIMEOUT_NS,
                               NULL);
}

int netdev_count(void)
{
    unsigned int ids[NETDEV_MAX];

    return xs_available() ? (int)xenbus_list("vif", ids, NETDEV_MAX) : 0;
}

/*
 * Takes name ethN for device/vif/@id (@index < 0: the lowest free N):
 * -XEN_EBUSY if that name, or that device, is in use, -XEN_ENOSPC if every
 * name is.
 */
static int claim(struct netdev *dev, int index, unsigned int id)
{
    int rc = 0;

    mutex_lock(&devices_lock);
    for (unsigned int k = 0; k < NETDEV_MAX; k++) {
        if (devices[k] && devices[k]->xb.id == id)
            rc = -XEN_EBUSY;
        if (index < 0 && !devices[k] && rc == 0)
            index = (int)k;
    }
    if (rc == 0 && index < 0)
        rc = -XEN_ENOSPC;
    else if (rc == 0 && devices[index])
        rc = -XEN_EBUSY;
    if (rc == 0) {
        devices[index] = dev;
        dev->xb.id = id; /* for the check above until connect() fills dev->xb */
        ksnprintf(dev->name, sizeof(dev->name), "eth%d", index);
    }
    mutex_unlock(&devices_lock);
    return rc;
}

static void unclaim(struct netdev *dev)
{
    mutex_lock(&devices_lock);
    devices[dev->name[3] - '0'] = NULL;
    mutex_unlock(&devices_lock);
}

/* Connects device/vif/@id as ethN (@index < 0: the lowest free N). */
static struct netdev *open_id(int index, unsigned int id, int *err)
{
    struct netdev *dev = kcalloc(1, sizeof(*dev));
    int rc;

    if (!dev) {
        *err = -XEN_ENOMEM;
        return NULL;
    }
    if ((rc = claim(dev, index, id)) < 0) {
        kfree(dev);
        *err = rc;
        return NULL;
    }
    waitq_init(&dev->wait);
    mutex_init(&dev->tx_lock, false);
    mutex_init(&dev->rx_lock, false);
    rc = connect(dev, id);
    if (rc < 0) {
        printk("netfront: %s: device/vif/%u not connected: %s\n", dev->name, id, xen_strerror(rc));
        unclaim(dev);
        /* Tell the backend we are gone before taking the pages back. */
        if (!dev->tx_ring && !dev->rx_ring) {
            /* Nothing shared yet (the toolstack's keys were wrong): no ordered close to wait for.
             */
            xenbus_give_up(&dev->xb);
            teardown(dev);
        } else if (xenbus_close(&dev->xb, XENBUS_TIMEOUT_NS) < 0) {
            printk("netfront: %s: the backend did not close: its pages are kept\n", dev->name);
        } else {
            teardown(dev);
        }
        *err = rc;
        return NULL;
    }
    char path[sizeof(dev->xb.backend) + 8];

    ksnprintf(path, sizeof(path), "%s/state", dev->xb.backend);
    rc = xs_watch_start(&dev->state_watch, path, backend_changed, dev);
    if (rc < 0)
        printk("netfront: %s: cannot watch %s (%s): a detach is seen only at the next call\n",
               dev->name, path, xen_strerror(rc));
    dev->state_watching = rc == 0;
    printk("netfront: %s: connected to %s (domain %u), MAC %02x:%02x:%02x:%02x:%02x:%02x\n",
           dev->name, dev->xb.backend, dev->xb.backend_id, dev->mac[0], dev->mac[1], dev->mac[2],
           dev->mac[3], dev->mac[4], dev->mac[5]);
    *err = 0;
    return dev;
}

struct netdev *netdev_open(const char *name, int *err)
{
    unsigned int ids[NETDEV_MAX];
    unsigned long n;
    long count;

    if (strncmp(name, "eth", 3) != 0 ||
        xenbus_parse_ulong(name + 3, strlen(name + 3), NETDEV_MAX - 1, &n) < 0) {
        *err = -XEN_ENODEV;
        return NULL;
    }
    count = xs_available() ? xenbus_list("vif", ids, NETDEV_MAX) : 0;
    if (count < 0 || n >= (unsigned long)count) {
        *err = count < 0 ? (int)count : -XEN_ENODEV;
        return NULL;
    }
    return open_id((int)n, ids[n], err);
}

struct netdev *netdev_open_next(uint64_t deadline, int *err)
{
    static struct mutex start_lock = MUTEX_INIT(start_lock);
    static struct xenbus_hotplug hotplug;
    unsigned int id;
    int rc = 0;

    if (!xs_available()) {
        *err = -XEN_ENODEV;
        return NULL;
    }
    mutex_lock(&start_lock);
    if (!hotplug.watching)
        rc = xenbus_hotplug_start(&hotplug, "vif");
    mutex_unlock(&start_lock);
    while (rc == 0 && (rc = xenbus_hotplug_next(&hotplug, deadline, &id)) == 0) {
        struct netdev *dev;

        printk("netfront: device/vif/%u appeared\n", id);
        dev = open_id(-1, id, &rc);
        if (dev)
            return dev;
        if (rc == -XEN_ENOSPC) {
            printk("netfront: device/vif/%u skipped: %d interfaces at once already\n", id,
                   NETDEV_MAX);
            /* Refused before xenbus_open(): say so in its state, as for bad keys. */
            struct xenbus_dev xb = {0};

            ksnprintf(xb.node, sizeof(xb.node), "device/vif/%u", id);
            xenbus_give_up(&xb);
        } else if (rc == -XEN_EBUSY) {
            printk("netfront: device/vif/%u is already open: its state went back to Initialising\n",
                   id);
        } else {
            printk("netfront: device/vif/%u skipped\n", id);
        }
        rc = 0;
    }
    *err = rc;
    return NULL;
}

const char *netdev_name(const struct netdev *dev)
{
    return dev->name;
}

void netdev_mac(const struct netdev *dev, uint8_t mac[6])
{
    memcpy(mac, dev->mac, 6);
}

int netdev_close(struct netdev *dev)
{
    int rc;

    if (dev->state_watching)
        xs_watch_stop(&dev->state_watch);
    dev->state_watching = false;
    mutex_lock(&dev->tx_lock);
    mutex_lock(&dev->rx_lock);
    dev->dead = true;
    waitq_wake_all(&dev->wait);
    rc = xenbus_close(&dev->xb, XENBUS_TIMEOUT_NS);
    mutex_unlock(&dev->rx_lock);
    mutex_unlock(&dev->tx_lock);
    if (rc < 0) {
        printk("netfront: %s: the backend did not close (%s): its pages are kept\n", dev->name,
               xen_strerror(rc));
        return rc;
    }
    unclaim(dev);
    teardown(dev);
    return 0;
}

unsigned int netdev_mtu(const struct netdev *dev)
{
    return dev->mtu;
}

size_t netdev_frame_max(const struct netdev *dev)
{
    return dev->sg ? NETDEV_FRAME_BIG : NETDEV_FRAME_MAX;
}

bool netdev_tx_csum_offload(const struct netdev *dev)
{
    return dev->tx_csum;
}

long netdev_config_ip(struct netdev *dev, char *buf, size_t size)
{
    return xenbus_read_backend(&dev->xb, "ip", buf, size);
}

void netdev_get_stats(const struct netdev *dev, struct netdev_stats *s)
{
    s->rx_frames = dev->rx.frames;
    s->rx_bytes = dev->rx_bytes;
    s->tx_frames = dev->tx_frames;
    s->tx_bytes = dev->tx_bytes;
    s->rx_errors = dev->rx.errors;
    s->rx_dropped = dev->rx.dropped + dev->rx_cut;
    s->rx_lies = dev->rx.lies;
    s->tx_errors = dev->tx.errors;
    s->tx_lies = dev->tx.lies;
    s->events = __atomic_load_n(&dev->events, __ATOMIC_RELAXED);
    s->rx_multi = dev->rx.multi;
    s->tx_multi = dev->tx_multi;
    s->rx_csum_valid = dev->rx_csum_valid;
    s->rx_csum_blank = dev->rx_csum_blank;
    s->tx_csum_blank = dev->tx_csum_blank;
    s->rx_extras = dev->rx.extras;
}
