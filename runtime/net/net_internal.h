/* What runtime/net/'s files share: lwIP interfaces on netfront devices. */
#ifndef NET_INTERNAL_H
#define NET_INTERNAL_H

#include <lwip/ip4_addr.h>
#include <lwip/netif.h>
#include <minios/hypercall.h>
#include <minios/net.h>
#include <minios/netdev.h>
#include <minios/sync.h>
#include <minios/thread.h>
#include <xen/errno.h>

struct net_if {
    struct netif netif;
    struct netdev *dev;
    unsigned int index;        /* N of ethN */
    bool dhcp;                 /* the address comes from lwIP's DHCP client */
    bool gone;                 /* the backend took the device away: netif down, dev closed */
    struct thread *rx;         /* its receive thread: joinable, it ends when the device goes */
    struct semaphore got_addr; /* up once the interface has an address */
    bool addr_told;
    unsigned long rx_dropped, tx_dropped;
    unsigned long rx_csum_trusted;      /* frames input with TCP/UDP checks off */
    u16_t csum_flags;                   /* lwIP's NETIF_CHECKSUM_* for the interface */
    uint8_t tx_frame[NETDEV_FRAME_BIG]; /* under lwIP's core lock */
    uint8_t rx_frame[NETDEV_FRAME_BIG]; /* the receive thread's */
};

/* True once net_start() brought lwIP up. */
bool net_running(void);

/*
 * Adds @nf (its dev and index set) to lwIP with the address (all zero and
 * @nf->dhcp: DHCP starts), as the default interface if @is_default, and
 * starts its receiver.
 */
int net_if_add(struct net_if *nf, const ip4_addr_t *addr, const ip4_addr_t *mask,
               const ip4_addr_t *gw, bool is_default);

/* Interfaces went down or up: wakes net_if_wait_change() (net.c). */
void net_if_changed(void);

#endif /* NET_INTERNAL_H */
