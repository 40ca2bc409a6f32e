/*
 * netfront: Xen PV network interfaces (<minios/netdev.h>, <xen/io/netif.h>).
 *
 * One device: a TX ring and an RX ring (one page each, 256 slots), one
 * event channel, and one buffer page per slot, granted to the backend once
 * at connect (RX writable: netback copies frames into them, rx-copy mode;
 * TX read-only: netback copies frames out).  Frames are copied in and out
 * of those pages, so no grant changes hands while the device runs.
 *
 * RX: every slot holds a posted request; a receiver takes responses
 * (netfront_ring.c judges each), copies each piece of the frame out (a
 * frame over a page spans several slots: feature-sg) and posts the slots
 * again.  TX: a sender takes one free slot per page of the frame, copies
 * the frame in and posts the requests together (NETTXF_more_data on all
 * but the last); slots come back with the backend's TX responses.  The event handler only
 * wakes whoever waits: the work runs in the caller's thread.
 */
#include "netfront.h"

/* How long the rest of a frame spread over slots may take to come, whatever the caller's deadline.
 */
#define CHAIN_WAIT_NS (1 * NSEC_PER_SEC)

_Static_assert(NF_FRAME_MAX == NETDEV_FRAME_BIG, "netfront_ring.h and <minios/netdev.h> agree");

void netfront_event(evtchn_port_t port, void *arg)
{
    struct netdev *dev = arg;

    (void)port;
    __atomic_fetch_add(&dev->events, 1, __ATOMIC_RELAXED);
    waitq_wake_all(&dev->wait);
}

void netfront_notify(struct netdev *dev)
{
    int rc = evtchn_send(dev->port);

    if (rc < 0)
        printk("netfront: %s: evtchn_send(%u): %s\n", dev->name, dev->port, xen_strerror(rc));
}

/* Publishes requests up to @new (from @old) and notifies if the backend asked to be. */
static void push_requests(struct netdev *dev, volatile RING_IDX *req_prod,
                          const RING_IDX *req_event, RING_IDX old, RING_IDX new)
{
    wmb(); /* the requests before the index that publishes them */
    *req_prod = new;
    mb(); /* the index before reading what the backend wants */
    if ((RING_IDX)(new - READ_ONCE(*req_event)) < (RING_IDX)(new - old))
        netfront_notify(dev);
}

/* ---- RX ----------------------------------------------------------------- */

static void rx_post(struct netdev *dev, unsigned int slot)
{
    RING_IDX i = dev->rx.req_prod;
    netif_rx_request_t *req = &dev->rx_ring->ring[i & (NF_RING_SIZE - 1)].req;

    req->id = (uint16_t)slot;
    req->gref = dev->rx_gref[slot];
    dev->rx.req_prod = i + 1;
    push_requests(dev, &dev->rx_ring->req_prod, &dev->rx_ring->req_event, i, i + 1);
}

static bool rx_ready(void *arg)
{
    struct netdev *dev = arg;

    return dev->dead || READ_ONCE(dev->rx_ring->rsp_prod) != dev->rx.rsp_cons;
}

static void broken(struct netdev *dev, const char *ring)
{
    if (!dev->dead)
        printk("netfront: %s: the backend's %s producer index is impossible: the device is dead\n",
               dev->name, ring);
    dev->dead = true;
    waitq_wake_all(&dev->wait);
}

long netdev_recv_flags(struct netdev *dev, void *buf, size_t size, uint64_t deadline,
                       unsigned int *flags)
{
    struct nf_result r;
    uint64_t chain_deadline = 0;
    size_t at = 0; /* bytes of the frame being put together, stored in @buf */
    long got = -1;

    *flags = 0;
    mutex_lock(&dev->rx_lock);
    while (!dev->dead) {
        enum nf_verdict v = nf_rx_next(dev->rx_ring, &dev->rx, &r);

        if (v == NF_BROKEN) {
            broken(dev, "RX");
            break;
        }
        if (v == NF_EMPTY) {
            /* Mid-frame, its rest is waited for even past the caller's deadline, but not forever.
             */
            uint64_t until =
                nf_rx_in_frame(&dev->rx) && chain_deadline > deadline ? chain_deadline : deadline;

            /* Ask for an event at the next response, then look once more before sleeping. */
            WRITE_ONCE(dev->rx_ring->rsp_event, dev->rx.rsp_cons + 1);
            mb();
            if (rx_ready(dev))
                continue;
            if (!waitq_wait(&dev->wait, rx_ready, dev, until)) {
                if (nf_rx_in_frame(&dev->rx)) {
                    printk("netfront: %s: a frame's rest never came: dropped\n", dev->name);
                    nf_rx_abandon(&dev->rx);
                }
                break;
            }
            continue;
        }
        if (v == NF_LIE)
            printk("netfront: %s: RX response %u lies (status %d, %s): frame dropped\n", dev->name,
                   r.id, r.status, r.first ? "first slot" : "in a chain");
        if (v == NF_PART || v == NF_FRAME) {
            if (r.first) {
                at = 0;
                chain_deadline = monotonic_ns() + CHAIN_WAIT_NS;
            }
            /* Pieces past @size are counted as a cut frame, never stored. */
            size_t n = at >= size ? 0 : r.len <= size - at ? r.len : size - at;

            memcpy((char *)buf + at, (char *)dev->rx_buf[r.id] + r.offset, n);
            at += n;
        }
        rx_post(dev, r.id);
        if (v == NF_FRAME) {
            if (r.total > size)
                dev->rx_cut++;
            dev->rx_bytes += r.total;
            if (r.csum & NETRXF_data_validated) {
                dev->rx_csum_valid++;
                *flags |= NETDEV_RX_CSUM_VALID;
            }
            if (r.csum & NETRXF_csum_blank) {
                dev->rx_csum_blank++;
                *flags |= NETDEV_RX_CSUM_BLANK;
            }
            got = (long)at;
            break;
        }
    }
    mutex_unlock(&dev->rx_lock);
    return got >= 0 ? got : dev->dead ? -XEN_ENODEV : 0;
}

long netdev_recv(struct netdev *dev, void *buf, size_t size, uint64_t deadline)
{
    unsigned int flags;

    return netdev_recv_flags(dev, buf, size, deadline, &flags);
}

/* ---- TX ----------------------------------------------------------------- */

/* Takes the backend's TX responses; fills @slots with up to @want free slots, returns how many. */
static unsigned int tx_reclaim(struct netdev *dev, unsigned int *slots, unsigned int want)
{
    struct nf_result r;
    enum nf_verdict v;
    unsigned int n = 0;

    while ((v = nf_tx_next(dev->tx_ring, &dev->tx, &r)) != NF_EMPTY) {
        if (v == NF_BROKEN) {
            broken(dev, "TX");
            return 0;
        }
        if (v == NF_LIE)
            printk("netfront: %s: TX response for slot %u not in flight: ignored\n", dev->name,
                   r.id);
    }
    for (unsigned int i = 0; i < NF_RING_SIZE && n < want; i++) {
        if (!dev->tx.in_flight[i])
            slots[n++] = i;
    }
    return n;
}

static bool tx_ready(void *arg)
{
    struct netdev *dev = arg;

    return dev->dead || READ_ONCE(dev->tx_ring->rsp_prod) != dev->tx.rsp_cons;
}

int netdev_send_flags(struct netdev *dev, const void *frame, size_t len, unsigned int flags,
                      uint64_t deadline)
{
    unsigned int slots[NF_TX_SLOTS_MAX];
    unsigned int need = (unsigned int)((len + NF_PAGE_SIZE - 1) / NF_PAGE_SIZE);

    if (len < NF_FRAME_MIN || len > netdev_frame_max(dev) || (flags & ~NETDEV_TX_CSUM_BLANK) ||
        ((flags & NETDEV_TX_CSUM_BLANK) && !dev->tx_csum))
        return -XEN_EINVAL;
    mutex_lock(&dev->tx_lock);
    /* A request per free slot (each holds one): a frame's slots are free together, or it waits. */
    while (tx_reclaim(dev, slots, need) < need && !dev->dead) {
        WRITE_ONCE(dev->tx_ring->rsp_event, dev->tx.rsp_cons + 1);
        mb();
        if (tx_ready(dev))
            continue;
        if (!waitq_wait(&dev->wait, tx_ready, dev, deadline)) {
            mutex_unlock(&dev->tx_lock);
            return -XEN_ETIMEDOUT;
        }
    }
    if (dev->dead) {
        mutex_unlock(&dev->tx_lock);
        return -XEN_ENODEV;
    }

    RING_IDX start = dev->tx.req_prod, i = start;

    for (unsigned int k = 0; k < need; k++, i++) {
        size_t at = (size_t)k * NF_PAGE_SIZE,
               piece = len - at < NF_PAGE_SIZE ? len - at : NF_PAGE_SIZE;
        netif_tx_request_t *req = &dev->tx_ring->ring[i & (NF_RING_SIZE - 1)].req;
        uint16_t fl = k + 1 < need ? NETTXF_more_data : 0;

        memcpy(dev->tx_buf[slots[k]], (const char *)frame + at, piece);
        if (k == 0 && (flags & NETDEV_TX_CSUM_BLANK))
            fl |= NETTXF_csum_blank | NETTXF_data_validated;
        req->gref = dev->tx_gref[slots[k]];
        req->offset = 0;
        req->flags = fl;
        req->id = (uint16_t)slots[k];
        /* The first request says the whole frame's size, the others their piece's. */
        req->size = (uint16_t)(k == 0 ? len : piece);
        dev->tx.in_flight[slots[k]] = true;
    }
    dev->tx.req_prod = i;
    dev->tx_frames++;
    dev->tx_bytes += len;
    dev->tx_multi += need > 1;
    dev->tx_csum_blank += (flags & NETDEV_TX_CSUM_BLANK) != 0;
    push_requests(dev, &dev->tx_ring->req_prod, &dev->tx_ring->req_event, start, i);
    mutex_unlock(&dev->tx_lock);
    return 0;
}

int netdev_send(struct netdev *dev, const void *frame, size_t len, uint64_t deadline)
{
    return netdev_send_flags(dev, frame, len, 0, deadline);
}
