/*
 * netfront's private half: the device's state, shared by the frame path
 * (netfront.c: RX, TX) and the handshake (netfront_connect.c: finding,
 * connecting, opening and closing interfaces).
 */
#ifndef DRIVERS_NETFRONT_NETFRONT_H
#define DRIVERS_NETFRONT_NETFRONT_H

#include <kernel/format.h>
#include <kernel/string.h>
#include <kernel/xenbus.h>
#include "netfront_ring.h"
#include <kernel/xenbus_parse.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/gnttab.h>
#include <minios/hypercall.h>
#include <minios/mm.h>
#include <minios/netdev.h>
#include <minios/sync.h>
#include <minios/time.h>
#include <xen/io/xenbus.h>

struct netdev {
    struct xenbus_dev xb;
    char name[8];
    uint8_t mac[6];
    evtchn_port_t port;
    bool port_bound;
    bool dead;    /* closed, or the backend broke a ring: every call fails */
    bool leaving; /* the backend is closing (xl network-detach): close us */
    bool sg;      /* the backend offers feature-sg: frames over several slots */
    bool tx_csum; /* the backend takes NETTXF_csum_blank */
    unsigned int mtu;
    struct xs_watch state_watch; /* on the backend's state, while connected */
    bool state_watching;
    struct waitq wait; /* woken by the event channel */
    unsigned long events;

    struct mutex tx_lock;
    netif_tx_sring_t *tx_ring;
    grant_ref_t tx_ring_ref;
    struct nf_tx tx;
    void *tx_buf[NF_RING_SIZE];
    grant_ref_t tx_gref[NF_RING_SIZE];
    unsigned long tx_frames, tx_bytes, tx_multi, tx_csum_blank;

    struct mutex rx_lock;
    netif_rx_sring_t *rx_ring;
    grant_ref_t rx_ring_ref;
    struct nf_rx rx;
    void *rx_buf[NF_RING_SIZE];
    grant_ref_t rx_gref[NF_RING_SIZE];
    unsigned long rx_bytes, rx_cut, rx_csum_valid, rx_csum_blank;
};

/* netfront.c, for the handshake: */
void netfront_event(evtchn_port_t port, void *arg); /* the event channel's handler */
void netfront_notify(struct netdev *dev);           /* an event to the backend */

#endif
