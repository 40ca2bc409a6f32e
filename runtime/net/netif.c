/*
 * lwIP's network interface on a netfront device (<minios/netdev.h>).
 *
 * Sending: lwIP calls linkoutput under its core lock, so one frame at a
 * time per interface; the pbuf chain is flattened into the interface's
 * buffer and netdev_send() copies it into a granted TX page.
 * Receiving: one thread per interface sleeps in netdev_recv() (on the
 * event channel) and feeds each frame to lwIP itself, taking the core
 * lock (LWIP_TCPIP_CORE_LOCKING_INPUT): no hop through lwIP's thread.
 */
#include <lwip/opt.h>
#include <lwip/etharp.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <lwip/tcpip.h>
#include <netif/ethernet.h>
#include <minios/console.h>
#include <minios/netdev.h>
#include <minios/sync.h>
#include <minios/thread.h>
#include <minios/time.h>
#include "net_internal.h"

/* How long a frame may wait for TX ring space before it is dropped. */
#define TX_WAIT_NS (1 * NSEC_PER_SEC)

static err_t link_output(struct netif *nif, struct pbuf *p)
{
    struct net_if *nf = nif->state;
    int rc;

    if (p->tot_len > sizeof(nf->tx_frame))
        return ERR_BUF;
    if (pbuf_copy_partial(p, nf->tx_frame, p->tot_len, 0) != p->tot_len)
        return ERR_BUF;
    rc = netdev_send(nf->dev, nf->tx_frame, p->tot_len, monotonic_ns() + TX_WAIT_NS);
    if (rc < 0) {
        nf->tx_dropped++;
        return rc == -XEN_EINVAL ? ERR_VAL : ERR_IF;
    }
    return ERR_OK;
}

static err_t net_if_init(struct netif *nif)
{
    struct net_if *nf = nif->state;

    nif->name[0] = 'e';
    nif->name[1] = 'n';
    nif->hwaddr_len = ETH_HWADDR_LEN;
    netdev_mac(nf->dev, nif->hwaddr);
    nif->mtu = NETDEV_FRAME_MAX - SIZEOF_ETH_HDR;
    nif->flags =
        NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    nif->output = etharp_output;
    nif->linkoutput = link_output;
    return ERR_OK;
}

static void *rx_thread(void *arg)
{
    struct net_if *nf = arg;

    for (;;) {
        long len = netdev_recv(nf->dev, nf->rx_frame, sizeof(nf->rx_frame), NO_DEADLINE);
        struct pbuf *p;

        if (len < 0) {
            printk("net: %s: the interface is gone (%s): no more frames\n", netdev_name(nf->dev),
                   xen_strerror(len));
            return NULL;
        }
        if (len == 0)
            continue;
        p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
        if (!p) {
            nf->rx_dropped++;
            continue;
        }
        pbuf_take(p, nf->rx_frame, (u16_t)len);
        if (nf->netif.input(p, &nf->netif) != ERR_OK) {
            nf->rx_dropped++;
            pbuf_free(p);
        }
    }
}

int net_if_add(struct net_if *nf, const ip4_addr_t *addr, const ip4_addr_t *mask,
               const ip4_addr_t *gw)
{
    struct thread_attr attr = THREAD_ATTR_DEFAULT;

    LOCK_TCPIP_CORE();
    if (!netif_add(&nf->netif, addr, mask, gw, nf, net_if_init, tcpip_input)) {
        UNLOCK_TCPIP_CORE();
        printk("net: lwIP refused interface %s\n", netdev_name(nf->dev));
        return -XEN_EINVAL;
    }
    netif_set_default(&nf->netif);
    netif_set_up(&nf->netif);
    UNLOCK_TCPIP_CORE();
    attr.name = "net-rx";
    attr.detached = true;
    return thread_create(rx_thread, nf, &attr) ? 0 : -XEN_ENOMEM;
}
