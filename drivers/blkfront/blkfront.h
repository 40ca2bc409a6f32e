/*
 * blkfront's private half: the disk's state, shared by the I/O path
 * (blkfront.c: requests, completion, nudges) and the handshake
 * (blkfront_connect.c: finding, connecting, opening and closing disks).
 */
#ifndef DRIVERS_BLKFRONT_BLKFRONT_H
#define DRIVERS_BLKFRONT_BLKFRONT_H

#include <kernel/xenbus.h>
#include "blkfront_ring.h"
#include <minios/blkdev.h>
#include <minios/events.h>
#include <minios/gnttab.h>
#include <minios/sync.h>
#include <minios/thread.h>

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

/* blkfront.c, for the handshake: */
void blkfront_event(evtchn_port_t port, void *arg);  /* the event channel's handler */
void *blkfront_completer(void *arg);                 /* the disk's completion thread */
bool blkfront_idle_locked(const struct blkdev *dev); /* nothing in flight (dev->lock held) */

#endif
