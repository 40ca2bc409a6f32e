/*
 * lwIP's network interface on a netfront device (<minios/netdev.h>).
 *
 * Sending: lwIP calls linkoutput under its core lock, so one frame at a
 * time per interface; the pbuf chain is flattened into the interface's
 * buffer and netdev_send() copies it into granted TX pages (several for a
 * frame over a page).  Where the backend takes it, TCP's checksum is left
 * to it: lwIP does not generate it (NETIF_CHECKSUM_GEN_TCP off), we write
 * the pseudo-header's sum and the frame goes NETDEV_TX_CSUM_BLANK.
 * Receiving: one thread per interface sleeps in netdev_recv_flags() (on
 * the event channel) and feeds each frame to lwIP itself, taking the core
 * lock (as LWIP_TCPIP_CORE_LOCKING_INPUT does): no hop through lwIP's
 * thread.  A whole IPv4 datagram the backend vouched for (checked, or a
 * blank checksum from dom0's own stack) goes in with lwIP's TCP and UDP
 * checks off for that frame: validation is per frame, the core lock makes
 * the switch of the interface's flags safe.
 * When the backend takes the device away (xl network-detach), that thread
 * brings the interface down in lwIP (its sockets see it: ENETUNREACH,
 * resets), closes the device in order and ends.
 */
#include <lwip/opt.h>
#include <lwip/dhcp.h>
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
#include "frame_csum.h"
#include "net_internal.h"

/* How long a frame may wait for TX ring space before it is dropped. */
#define TX_WAIT_NS (1 * NSEC_PER_SEC)

static err_t link_output(struct netif *nif, struct pbuf *p)
{
    struct net_if *nf = nif->state;
    int rc;

    if (nf->gone)
        return ERR_IF;
    if (p->tot_len > sizeof(nf->tx_frame))
        return ERR_BUF;
    if (pbuf_copy_partial(p, nf->tx_frame, p->tot_len, 0) != p->tot_len)
        return ERR_BUF;
    /* lwIP left TCP's checksum out (GEN_TCP off): the backend finishes what we start. */
    unsigned int flags = !(nf->csum_flags & NETIF_CHECKSUM_GEN_TCP) &&
                                 frame_tcp_csum_partial(nf->tx_frame, p->tot_len) == 0
                             ? NETDEV_TX_CSUM_BLANK
                             : 0;

    rc = netdev_send_flags(nf->dev, nf->tx_frame, p->tot_len, flags, monotonic_ns() + TX_WAIT_NS);
    if (rc < 0) {
        nf->tx_dropped++;
        return rc == -XEN_EINVAL ? ERR_VAL : ERR_IF;
    }
    return ERR_OK;
}

/* lwIP's status callback (under the core lock): the first address wakes net_start(). */
static void status_changed(struct netif *nif)
{
    struct net_if *nf = nif->state;

    if (!nf->addr_told && !ip4_addr_isany_val(*netif_ip4_addr(nif))) {
        nf->addr_told = true;
        semaphore_up(&nf->got_addr);
    }
}

static err_t net_if_init(struct netif *nif)
{
    struct net_if *nf = nif->state;

    nif->name[0] = 'e';
    nif->name[1] = 'n';
    nif->hwaddr_len = ETH_HWADDR_LEN;
    netdev_mac(nf->dev, nif->hwaddr);
    nif->mtu = (u16_t)netdev_mtu(nf->dev);
    nf->csum_flags = NETIF_CHECKSUM_ENABLE_ALL;
    if (netdev_tx_csum_offload(nf->dev))
        nf->csum_flags &= (u16_t)~NETIF_CHECKSUM_GEN_TCP;
    NETIF_SET_CHECKSUM_CTRL(nif, nf->csum_flags);
    nif->flags =
        NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    nif->output = etharp_output;
    nif->linkoutput = link_output;
    netif_set_status_callback(nif, status_changed);
    return ERR_OK;
}

/* The backend took the device away: down in lwIP, then the ordered close. */
static void net_if_gone(struct net_if *nf)
{
    int rc;

    LOCK_TCPIP_CORE();
    nf->gone = true;
    if (nf->dhcp) {
        dhcp_release_and_stop(&nf->netif);
        dhcp_cleanup(&nf->netif);
    }
    netif_set_link_down(&nf->netif);
    netif_set_down(&nf->netif);
    /* Out of lwIP's list: its name may come back with another device (hotplug). */
    netif_remove(&nf->netif);
    UNLOCK_TCPIP_CORE();
    rc = netdev_close(nf->dev);
    printk("net: eth%u is gone: down in lwIP, device %s\n", nf->index,
           rc == 0 ? "closed in order" : "not closed (its pages are kept)");
    net_if_changed();
}

/* One frame into lwIP, under the core lock; TCP and UDP checksums unchecked if @trusted. */
static err_t input(struct net_if *nf, struct pbuf *p, bool trusted)
{
    err_t err;

    LOCK_TCPIP_CORE();
    if (trusted)
        NETIF_SET_CHECKSUM_CTRL(&nf->netif, nf->csum_flags & (u16_t) ~(NETIF_CHECKSUM_CHECK_TCP |
                                                                       NETIF_CHECKSUM_CHECK_UDP));
    err = ethernet_input(p, &nf->netif);
    if (trusted)
        NETIF_SET_CHECKSUM_CTRL(&nf->netif, nf->csum_flags);
    UNLOCK_TCPIP_CORE();
    return err;
}

static void *rx_thread(void *arg)
{
    struct net_if *nf = arg;

    for (;;) {
        unsigned int flags;
        long len =
            netdev_recv_flags(nf->dev, nf->rx_frame, sizeof(nf->rx_frame), NO_DEADLINE, &flags);
        struct pbuf *p;

        if (len < 0) {
            printk("net: %s: no more frames (%s)\n", netdev_name(nf->dev), xen_strerror(len));
            net_if_gone(nf);
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
        bool trusted = (flags & (NETDEV_RX_CSUM_VALID | NETDEV_RX_CSUM_BLANK)) &&
                       frame_ipv4_whole(nf->rx_frame, (size_t)len);

        nf->rx_csum_trusted += trusted;
        if (input(nf, p, trusted) != ERR_OK) {
            nf->rx_dropped++;
            pbuf_free(p);
        }
    }
}

/*
 * lwIP puts a new interface at the head of its list and routes through the
 * first whose subnet matches: keep the list in ethN order, so that with
 * several interfaces on one subnet eth0 carries what we start, whichever
 * came last (hotplug).  Under the core lock; every interface is ours.
 */
static void in_index_order(struct netif *nif)
{
    unsigned int index = ((struct net_if *)nif->state)->index;
    struct netif **at = &netif_list;

    *at = nif->next; /* netif_add() put it first */
    while (*at && ((struct net_if *)(*at)->state)->index < index)
        at = &(*at)->next;
    nif->next = *at;
    *at = nif;
}

int net_if_add(struct net_if *nf, const ip4_addr_t *addr, const ip4_addr_t *mask,
               const ip4_addr_t *gw, bool is_default)
{
    struct thread_attr attr = THREAD_ATTR_DEFAULT;
    err_t err = ERR_OK;

    semaphore_init(&nf->got_addr, 0);
    LOCK_TCPIP_CORE();
    if (!netif_add(&nf->netif, addr, mask, gw, nf, net_if_init, tcpip_input)) {
        UNLOCK_TCPIP_CORE();
        printk("net: lwIP refused interface %s\n", netdev_name(nf->dev));
        return -XEN_EINVAL;
    }
    in_index_order(&nf->netif);
    if (is_default)
        netif_set_default(&nf->netif);
    netif_set_up(&nf->netif);
    if (nf->dhcp)
        err = dhcp_start(&nf->netif);
    if (err != ERR_OK)
        netif_remove(&nf->netif);
    UNLOCK_TCPIP_CORE();
    if (err != ERR_OK) {
        printk("net: %s: lwIP's DHCP client did not start (%d)\n", netdev_name(nf->dev), err);
        return -XEN_ENOMEM;
    }
    attr.name = "net-rx";
    /* Joined before @nf is freed, when a new interface takes its name (net.c). */
    nf->rx = thread_create(rx_thread, nf, &attr);
    if (nf->rx)
        return 0;
    /* No receiver: out of lwIP again, so the caller may free @nf. */
    LOCK_TCPIP_CORE();
    if (nf->dhcp)
        dhcp_stop(&nf->netif);
    netif_remove(&nf->netif);
    UNLOCK_TCPIP_CORE();
    return -XEN_ENOMEM;
}
