/*
 * Network devices: Xen PV network interfaces (netfront, drivers/netfront/)
 * as a frame-level API.  A TCP/IP stack (or a test) sits on top:
 * docs/networking.md.
 *
 * Interfaces present at boot are named eth0, eth1, ... in the order of
 * their xenstore ids (device/vif/<id>); one the toolstack adds later (xl
 * network-attach, netdev_open_next()) takes the lowest free name, which a
 * closed interface gives back.  netdev_open() connects to the backend and returns
 * once it is Connected; frames are whole Ethernet frames without the FCS,
 * at most NETDEV_FRAME_MAX bytes (a 1500-byte MTU), or NETDEV_FRAME_BIG
 * (a 9000-byte MTU) where the backend offers scatter-gather (feature-sg):
 * then a frame over a page takes several ring slots both ways.
 *
 * Any thread may send and receive, on any vCPU, concurrently: senders take
 * turns on the TX ring, receivers on the RX ring.  Waiting is on the
 * device's event channel (an idle device costs no CPU), with a deadline.
 *
 * Errors are negative Xen errnos (XEN_ENODEV, XEN_ETIMEDOUT, ...;
 * xen_strerror() names them).  Anything the backend does wrong (a lying
 * response, a stuck ring) costs dropped, counted frames and a console line,
 * never memory safety.
 */
#ifndef MINIOS_NETDEV_H
#define MINIOS_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <minios/compiler.h>

#pragma GCC visibility push(default)

#define NETDEV_FRAME_MAX 1514
#define NETDEV_FRAME_BIG 9014 /* the largest frame with scatter-gather */
#define NETDEV_MTU_MAX   (NETDEV_FRAME_BIG - 14)
#define NETDEV_MAX       4 /* interfaces at once */

struct netdev;

/* The number of network interfaces the toolstack gave us (0 as dom0), or an error. */
int netdev_count(void);

/*
 * Connects interface @name ("eth0").  Returns the device, or NULL with
 * *@err set: -XEN_ENODEV (no such interface, or the backend closed),
 * -XEN_ETIMEDOUT (the backend never connected: the console says in which
 * state it stayed), -XEN_EBUSY (already open), -XEN_ENOMEM.
 */
struct netdev *netdev_open(const char *name, int *err);

/*
 * Hotplug: sleeps until the toolstack adds an interface while we run (xl
 * network-attach: a device/vif/<id> whose own state is Initialising),
 * connects it under the lowest free name ethN and returns it; an interface
 * already there that nobody opened counts at once.  A device that cannot
 * be connected (missing or nonsense keys, a backend that never gets
 * there) is reported on the console and skipped, never offered again.
 * NULL with *@err: -XEN_ETIMEDOUT at @deadline (monotonic_ns();
 * NO_DEADLINE), -XEN_ENODEV without xenstore, or xenstore's error.  The
 * first call starts a watch on device/vif; one thread at a time.
 */
struct netdev *netdev_open_next(uint64_t deadline, int *err);

/* The interface's name and MAC address (from xenstore). */
const char *netdev_name(const struct netdev *dev);
void netdev_mac(const struct netdev *dev, uint8_t mac[6]);

/*
 * The address the toolstack configured for the interface (xl's vif option
 * `ip=`, its backend's `ip` key) into @buf, NUL-terminated: its length,
 * -XEN_ENOENT if there is none, -XEN_ERANGE if it does not fit.  Untrusted
 * text: the caller parses it.
 */
long netdev_config_ip(struct netdev *dev, char *buf, size_t size);

/*
 * The interface's MTU: the toolstack's (xl's vif option `mtu=`, the
 * frontend's `mtu` key) where the backend offers scatter-gather and it is
 * 576..NETDEV_MTU_MAX, else 1500.  The frames it allows both ways are
 * netdev_frame_max() bytes: NETDEV_FRAME_BIG with scatter-gather, else
 * NETDEV_FRAME_MAX (dom0 decides what it really passes: its vif's MTU).
 */
unsigned int netdev_mtu(const struct netdev *dev);
size_t netdev_frame_max(const struct netdev *dev);

/*
 * Whether the backend takes frames with a blank TCP/UDP checksum
 * (NETDEV_TX_CSUM_BLANK: it did not say feature-no-csum-offload).
 */
bool netdev_tx_csum_offload(const struct netdev *dev);

/*
 * Queues one frame of @len bytes (14 .. netdev_frame_max())
 * for sending; the bytes are copied, so @frame may be reused at once.
 * Waits for ring space until @deadline (monotonic_ns(); NO_DEADLINE).
 * 0, -XEN_EINVAL (length), -XEN_ETIMEDOUT (no space: the backend does not
 * take frames), -XEN_ENODEV (closed or broken).
 */
int netdev_send(struct netdev *dev, const void *frame, size_t len, uint64_t deadline);

/*
 * netdev_send() with @flags: NETDEV_TX_CSUM_BLANK says the frame's TCP or
 * UDP checksum field holds only the pseudo-header's sum (as Linux's
 * CHECKSUM_PARTIAL): the backend completes it (NETTXF_csum_blank).  Only
 * where netdev_tx_csum_offload() (-XEN_EINVAL otherwise).
 */
#define NETDEV_TX_CSUM_BLANK 1U
int netdev_send_flags(struct netdev *dev, const void *frame, size_t len, unsigned int flags,
                      uint64_t deadline);

/*
 * Receives one frame into @buf (@size >= NETDEV_FRAME_MAX never truncates;
 * a longer frame is cut at @size and counted), waiting until @deadline.
 * Returns the bytes stored, 0 at the deadline, or -XEN_ENODEV: the device
 * is broken or the backend is closing it (xl network-detach; the console
 * says which): netdev_close() it.
 */
long netdev_recv(struct netdev *dev, void *buf, size_t size, uint64_t deadline);

/*
 * netdev_recv() that also says what the backend told of the frame's
 * checksum in *@flags: NETDEV_RX_CSUM_VALID (NETRXF_data_validated: its
 * TCP/UDP checksum was checked, or it never left dom0's memory),
 * NETDEV_RX_CSUM_BLANK (NETRXF_csum_blank: the checksum field holds only
 * the pseudo-header's sum, from a sender in dom0 that left it to the
 * "hardware").  A stack may skip checking either kind; the backend could
 * forge any frame anyway, checksum included.
 */
#define NETDEV_RX_CSUM_VALID 1U
#define NETDEV_RX_CSUM_BLANK 2U
long netdev_recv_flags(struct netdev *dev, void *buf, size_t size, uint64_t deadline,
                       unsigned int *flags);

/*
 * Disconnects in order (xenbus: Closing, Closed) and frees everything.
 * 0, or the error of the step that failed: then the shared pages stay
 * allocated (the backend may still use them) and the device is dead.
 */
int netdev_close(struct netdev *dev);

struct netdev_stats {
    unsigned long rx_frames, rx_bytes, tx_frames, tx_bytes;
    unsigned long rx_errors;  /* the backend reported an error for a slot */
    unsigned long rx_dropped; /* frames given up mid-chain, or cut by a small @size */
    unsigned long rx_lies;    /* responses that made no sense */
    unsigned long tx_errors;  /* frames the backend refused or dropped */
    unsigned long tx_lies;
    unsigned long events;        /* event channel notifications received */
    unsigned long rx_multi;      /* frames received over several slots (feature-sg) */
    unsigned long tx_multi;      /* frames sent over several slots */
    unsigned long rx_csum_valid; /* frames received NETRXF_data_validated */
    unsigned long rx_csum_blank; /* frames received NETRXF_csum_blank */
    unsigned long tx_csum_blank; /* frames sent NETTXF_csum_blank */
    unsigned long rx_extras;     /* extra-info slots skipped */
};

void netdev_get_stats(const struct netdev *dev, struct netdev_stats *stats);

#pragma GCC visibility pop

#endif /* MINIOS_NETDEV_H */
