/*
 * Console output into a domU's shared ring (the `out` half of struct
 * xencons_interface), with flow control, for a peer we do not trust
 * (console/cons_out.c).
 *
 * Bytes go in through lib/ring.c, LF as CR LF.  When the ring is full we
 * signal the peer and wait for it to make room; a peer that frees less than
 * CONS_OUT_PROGRESS bytes in stall_ns is *stuck*: the rest of that write is
 * dropped, and so are later writes, without waiting, until the ring has
 * room again (each of them signals the peer, in case it missed a signal:
 * Xen drops one sent before the peer bound its end).  A peer
 * whose indices are impossible (more unread than the ring holds) *lied*:
 * it is treated the same way, and never trusted further than the indices
 * it shows at each write.  Dropped bytes are counted, and when the peer
 * recovers a note saying how many and why goes out before anything else.
 *
 * Waiting, the clock and signalling are the caller's, through a small
 * table of functions, so this is pure logic: the kernel gives it
 * SCHEDOP_poll and EVTCHNOP_send (console/console_ring.c), the host tests a
 * scripted peer.  The caller serialises calls.
 */
#ifndef KERNEL_CONS_OUT_H
#define KERNEL_CONS_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/console.h>

/* Room a waiting writer must see freed per stall_ns: a quarter of `out`. */
#define CONS_OUT_PROGRESS 512

struct cons_out_env {
    uint64_t (*now)(void *ctx); /* ns, never going backwards */
    void (*notify)(void *ctx);  /* signal the peer */
    /*
     * Forget signals seen so far: wait() after arm() returns at once if the
     * peer signalled since arm().  Called before the last look at the ring.
     */
    void (*arm)(void *ctx);
    /* Sleep until the peer signals (since arm()) or @deadline passes. */
    void (*wait)(void *ctx, uint64_t deadline);
    void *ctx;
};

enum cons_out_state {
    CONS_OUT_FLOWING,
    CONS_OUT_STUCK, /* no room for stall_ns */
    CONS_OUT_LIED,  /* impossible indices */
};

struct cons_out {
    struct xencons_interface *intf;
    const struct cons_out_env *env;
    uint64_t stall_ns;
    enum cons_out_state state;
    unsigned long dropped; /* bytes dropped since the last note */
    unsigned long dropped_total;
    unsigned long stalls, lies;  /* times the peer got stuck / lied */
    uint32_t lie_prod, lie_cons; /* what the last lie looked like */
    bool unsignalled;            /* bytes written since the last notify */
};

void cons_out_init(struct cons_out *o, struct xencons_interface *intf,
                   const struct cons_out_env *env, uint64_t stall_ns);

/*
 * Writes @len bytes of @buf.  Returns how many of them went into the ring;
 * the others were dropped and counted.  Waits only while the peer makes
 * progress: at most stall_ns per CONS_OUT_PROGRESS bytes written after the
 * ring first filled, plus one stall_ns.
 */
size_t cons_out_write(struct cons_out *o, const char *buf, size_t len);

/*
 * Waits until the peer has read everything in the ring, for at most
 * stall_ns in all (at once if the peer is stuck or lied), first writing the
 * note about dropped bytes if one is owed and the peer has recovered.
 * Returns true if the ring is empty.
 */
bool cons_out_drain(struct cons_out *o);

/*
 * Expands LF to CR LF from @src into @dst (@cap >= 2 bytes), as far as it
 * fits.  Returns the bytes produced; *@used says how many of @src they
 * cover.  A CR LF pair is never split.
 */
size_t cons_out_expand(const char *src, size_t len, char *dst, size_t cap, size_t *used);

#endif /* KERNEL_CONS_OUT_H */
