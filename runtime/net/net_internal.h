/* What runtime/net/'s files share: one lwIP interface on one netfront device. */
#ifndef NET_INTERNAL_H
#define NET_INTERNAL_H

#include <lwip/ip4_addr.h>
#include <lwip/netif.h>
#include <minios/hypercall.h>
#include <xen/errno.h>
#include <minios/netdev.h>

struct net_if {
    struct netif netif;
    struct netdev *dev;
    unsigned long rx_dropped, tx_dropped;
    uint8_t tx_frame[NETDEV_FRAME_MAX]; /* under lwIP's core lock */
    uint8_t rx_frame[NETDEV_FRAME_MAX]; /* the receive thread's */
};

/* True once net_start() brought lwIP up. */
bool net_running(void);

/* Adds @nf (its dev set) to lwIP with the address, as the default, and starts its receiver. */
int net_if_add(struct net_if *nf, const ip4_addr_t *addr, const ip4_addr_t *mask,
               const ip4_addr_t *gw);

#endif /* NET_INTERNAL_H */
