/*
 * Bringing TCP/IP up (<minios/net.h>): lwIP's thread, every interface and
 * its address (static, from xenstore, or DHCP), and what applications may
 * ask about the interfaces afterwards.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lwip/opt.h>
#include <lwip/dhcp.h>
#include <lwip/dns.h>
#include <lwip/init.h>
#include <lwip/ip4_addr.h>
#include <lwip/prot/dhcp.h>
#include <lwip/tcpip.h>
#include <minios/console.h>
#include <minios/mm.h>
#include <minios/net.h>
#include <minios/netdev.h>
#include <minios/sync.h>
#include <minios/thread.h>
#include <minios/time.h>
#include "net_internal.h"

/* How long net_start() waits for DHCP leases (lwIP retries after 2, 4, 8 s...). */
#define DHCP_WAIT_NS (30 * NSEC_PER_SEC)

static struct mutex start_lock = MUTEX_INIT(start_lock);
static bool started;
/* ethN's interface at [N] (a gone one until its name comes back), under lwIP's core lock. */
static struct net_if *ifs[NETDEV_MAX];

/* Interfaces going down: a count and the threads waiting for it to move. */
static unsigned long changes;
static struct waitq change_wait = WAITQ_INIT(change_wait);

bool net_running(void)
{
    return __atomic_load_n(&started, __ATOMIC_ACQUIRE);
}

uint32_t net_random_u32(void)
{
    return arc4random();
}

static void tcpip_ready(void *arg)
{
    semaphore_up(arg);
}

/*
 * "10.0.0.2/24" (or "10.0.0.2", taken as /24) into an address and a mask;
 * false if it is not one.  @s may end at a blank (xenstore's `ip` may list
 * several addresses: the first counts).
 */
static bool parse_cidr(const char *s, ip4_addr_t *addr, ip4_addr_t *mask)
{
    char buf[20];
    size_t n = strcspn(s, " \t");
    const char *slash = memchr(s, '/', n);
    size_t alen = slash ? (size_t)(slash - s) : n;
    unsigned long bits = 24;

    if (alen == 0 || alen >= sizeof(buf))
        return false;
    memcpy(buf, s, alen);
    buf[alen] = '\0';
    if (!ip4addr_aton(buf, addr))
        return false;
    if (slash) {
        const char *p = slash + 1;

        if (p == s + n || s + n - p > 2)
            return false;
        bits = 0;
        for (; p < s + n; p++) {
            if (*p < '0' || *p > '9')
                return false;
            bits = bits * 10 + (unsigned long)(*p - '0');
        }
        if (bits > 32)
            return false;
    }
    ip4_addr_set_u32(mask, bits ? lwip_htonl((u32_t)(0xffffffffULL << (32 - bits))) : 0);
    return true;
}

static unsigned int prefix_len(const ip4_addr_t *mask)
{
    return (unsigned int)__builtin_popcount(ip4_addr_get_u32(mask));
}

/* Where one interface's address comes from. */
struct if_source {
    const char *address, *gateway; /* as configured, NULL if not (kept: hotplug reads them) */
    const char *from;              /* "static", "xenstore", "dhcp" */
    char xs_ip[64];                /* xenstore's `ip`, read once */
};

/* What net_start() was told, for every ethN, also one that comes later (hotplug). */
static struct if_source sources[NETDEV_MAX];
static const char *dns;

/* Chooses @nf's address: @src->address, else xenstore's, else DHCP. */
static int choose_address(struct net_if *nf, struct if_source *src, ip4_addr_t *addr,
                          ip4_addr_t *mask, ip4_addr_t *gw)
{
    const char *a = src->address;
    long len;

    ip4_addr_set_zero(addr);
    ip4_addr_set_zero(mask);
    ip4_addr_set_zero(gw);
    src->from = "static";
    if (!a) {
        len = netdev_config_ip(nf->dev, src->xs_ip, sizeof(src->xs_ip));
        if (len > 0) {
            a = src->xs_ip;
            src->from = "xenstore";
        } else if (len < 0 && len != -XEN_ENOENT) {
            printk("net: eth%u: xenstore's ip key is unreadable (%s): DHCP instead\n", nf->index,
                   xen_strerror(len));
        }
    }
    if (!a || strcmp(a, "dhcp") == 0) {
        nf->dhcp = true;
        src->from = "dhcp";
        return 0;
    }
    if (!parse_cidr(a, addr, mask)) {
        printk("net: eth%u: the address \"%.40s\" (%s) is not A.B.C.D/N\n", nf->index, a,
               src->from);
        return -XEN_EINVAL;
    }
    if (src->gateway && !ip4addr_aton(src->gateway, gw)) {
        printk("net: eth%u: the gateway \"%.40s\" is not an address\n", nf->index, src->gateway);
        return -XEN_EINVAL;
    }
    return 0;
}

/* The interface's line: MAC, address, gateway, DNS, where it came from. */
static void print_if(struct net_if *nf, const char *from)
{
    char line[160], a[16], m[16];
    const uint8_t *mac = nf->netif.hwaddr;
    int at;

    LOCK_TCPIP_CORE();
    ip4addr_ntoa_r(netif_ip4_addr(&nf->netif), a, sizeof(a));
    at = snprintf(line, sizeof(line), "net: eth%u %02x:%02x:%02x:%02x:%02x:%02x %s/%u", nf->index,
                  mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], a,
                  prefix_len(netif_ip4_netmask(&nf->netif)));
    if (!ip4_addr_isany_val(*netif_ip4_gw(&nf->netif))) {
        ip4addr_ntoa_r(netif_ip4_gw(&nf->netif), m, sizeof(m));
        at += snprintf(line + at, sizeof(line) - (size_t)at, " gw %s", m);
    }
    if (nf->index == 0 && !ip_addr_isany(dns_getserver(0))) {
        ip4addr_ntoa_r(ip_2_ip4(dns_getserver(0)), m, sizeof(m));
        at += snprintf(line + at, sizeof(line) - (size_t)at, " dns %s", m);
    }
    if (nf->dhcp && netif_dhcp_data(&nf->netif)) {
        ip4addr_ntoa_r(ip_2_ip4(&netif_dhcp_data(&nf->netif)->server_ip_addr), m, sizeof(m));
        snprintf(line + at, sizeof(line) - (size_t)at, " (dhcp from %s)", m);
    } else {
        snprintf(line + at, sizeof(line) - (size_t)at, " (%s)", from);
    }
    UNLOCK_TCPIP_CORE();
    printk("%s\n", line);
}

/* Gives the connected device @dev (ethN) to lwIP; NULL (after a line) if it cannot be. */
static struct net_if *bring_up(struct netdev *dev, int *err)
{
    unsigned int index = (unsigned int)(netdev_name(dev)[3] - '0'); /* "ethN", N < NETDEV_MAX */
    ip4_addr_t addr, mask, gw;
    struct net_if *nf = kcalloc(1, sizeof(*nf));

    if (nf) {
        nf->index = index;
        nf->dev = dev;
        *err = choose_address(nf, &sources[index], &addr, &mask, &gw);
        if (*err == 0)
            *err = net_if_add(nf, &addr, &mask, &gw, index == 0);
    } else {
        *err = -XEN_ENOMEM;
    }
    if (*err != 0) {
        /* Not in lwIP (or lwIP refused it before any frame): the device can go. */
        netdev_close(dev);
        kfree(nf);
        return NULL;
    }
    return nf;
}

/* Connects boot-time interface ethN and gives it to lwIP. */
static struct net_if *bring_up_boot(unsigned int index, int *err)
{
    char name[8];
    struct netdev *dev;

    snprintf(name, sizeof(name), "eth%u", index);
    dev = netdev_open(name, err);
    return dev ? bring_up(dev, err) : NULL;
}

/* The configured DNS server again: a DHCP lease named its own, and ours wins. */
static void dns_again(void)
{
    ip_addr_t d;

    if (!dns)
        return;
    ipaddr_aton(dns, &d);
    LOCK_TCPIP_CORE();
    dns_setserver(0, &d);
    UNLOCK_TCPIP_CORE();
}

/* Puts @nf in ethN's place; the interface that had the name before (gone) is freed. */
static void install(struct net_if *nf)
{
    struct net_if *old;

    LOCK_TCPIP_CORE();
    old = ifs[nf->index];
    ifs[nf->index] = nf;
    UNLOCK_TCPIP_CORE();
    if (old) {
        /* Its receive thread closed the device (that freed the name) and ends: wait for it. */
        thread_join(old->rx, NULL);
        kfree(old);
    }
}

/*
 * Hotplug (xl network-attach): each interface the toolstack adds while we
 * run is connected (netdev_open_next()), configured as a boot-time one
 * would be under its name, and told: its line, and net_if_wait_change()
 * wakes when it comes and when it has its address.  One at a time: a
 * second waits while the first waits for its lease.
 */
static void *hotplug_thread(void *arg)
{
    (void)arg;
    for (;;) {
        int err;
        struct netdev *dev = netdev_open_next(NO_DEADLINE, &err);
        struct net_if *nf;

        if (!dev) {
            printk("net: no more interfaces can come: %s\n", xen_strerror(err));
            return NULL;
        }
        nf = bring_up(dev, &err);
        if (!nf) {
            printk("net: %s left out: %s\n", netdev_name(dev), xen_strerror(err));
            continue;
        }
        install(nf);
        net_if_changed();
        if (!semaphore_down_until(&nf->got_addr, monotonic_ns() + DHCP_WAIT_NS)) {
            printk("net: eth%u: no DHCP lease within %llu s: no address yet\n", nf->index,
                   (unsigned long long)(DHCP_WAIT_NS / NSEC_PER_SEC));
            continue;
        }
        if (nf->dhcp)
            dns_again();
        print_if(nf, sources[nf->index].from);
        net_if_changed();
    }
}

/* @s copied for later (hotplug), or NULL. */
static const char *keep(const char *s)
{
    return s ? strdup(s) : NULL;
}

int net_start(const struct net_config *config)
{
    struct thread_attr attr = THREAD_ATTR_DEFAULT;
    struct semaphore ready;
    struct net_config from_env;
    uint64_t deadline;
    int count, err, rc = 0;

    if (!config) {
        from_env.address = getenv("NET_IP");
        from_env.gateway = getenv("NET_GW");
        from_env.dns = getenv("NET_DNS");
        config = &from_env;
    }
    if (config->dns) {
        ip4_addr_t d;

        if (!ip4addr_aton(config->dns, &d)) {
            printk("net: the DNS server \"%.40s\" is not an address\n", config->dns);
            return -XEN_EINVAL;
        }
    }

    mutex_lock(&start_lock);
    if (started) {
        mutex_unlock(&start_lock);
        return -XEN_EBUSY;
    }
    sources[0].address = keep(config->address);
    sources[0].gateway = keep(config->gateway);
    for (unsigned int i = 1; i < NETDEV_MAX; i++) {
        char var[16];

        snprintf(var, sizeof(var), "NET_IP%u", i);
        sources[i].address = keep(getenv(var));
    }
    dns = keep(config->dns);
    count = netdev_count();
    if (count <= 0) {
        mutex_unlock(&start_lock);
        printk("net: no network interface (%s)\n", count < 0 ? xen_strerror(count) : "none given");
        return count < 0 ? count : -XEN_ENODEV;
    }
    semaphore_init(&ready, 0);
    tcpip_init(tcpip_ready, &ready);
    semaphore_down(&ready);
    dns_again();
    /* lwIP's list is kept in ethN order (netif.c), so eth0 carries what we start. */
    for (int i = 0; i < (count < NETDEV_MAX ? count : NETDEV_MAX); i++) {
        struct net_if *nf = bring_up_boot((unsigned int)i, &err);

        if (!nf) {
            printk("net: eth%d left out: %s\n", i, xen_strerror(err));
            if (i == 0)
                rc = err;
            continue;
        }
        install(nf);
    }
    /* lwIP runs from here on, whatever happens next: sockets may be made. */
    __atomic_store_n(&started, true, __ATOMIC_RELEASE);
    deadline = monotonic_ns() + DHCP_WAIT_NS;
    for (unsigned int k = 0; rc == 0 && k < NETDEV_MAX; k++) {
        struct net_if *nf = ifs[k]; /* eth0 first */

        if (!nf)
            continue;
        if (!semaphore_down_until(&nf->got_addr, deadline)) {
            printk("net: eth%u: no DHCP lease within %llu s: no address\n", nf->index,
                   (unsigned long long)(DHCP_WAIT_NS / NSEC_PER_SEC));
            if (nf->index == 0)
                rc = -XEN_ETIMEDOUT;
            continue;
        }
        if (nf->dhcp)
            dns_again(); /* the lease named its own DNS server: the configured one wins */
        print_if(nf, sources[nf->index].from);
    }
    /* Interfaces added from now on (xl network-attach) come through the hotplug thread. */
    attr.name = "net-hotplug";
    attr.detached = true;
    if (!thread_create(hotplug_thread, NULL, &attr))
        printk("net: no hotplug thread: interfaces added later are not seen\n");
    mutex_unlock(&start_lock);
    return rc;
}

int net_if_info(unsigned int index, struct net_if_info *info)
{
    struct netdev_stats st;
    struct net_if *nf = NULL;

    if (!net_running() || index >= NETDEV_MAX)
        return -XEN_ENODEV;
    memset(info, 0, sizeof(*info));
    snprintf(info->name, sizeof(info->name), "eth%u", index);
    LOCK_TCPIP_CORE();
    nf = ifs[index];
    if (!nf) {
        UNLOCK_TCPIP_CORE();
        return -XEN_ENODEV;
    }
    memcpy(info->mac, nf->netif.hwaddr, sizeof(info->mac));
    info->up = !nf->gone && netif_is_up(&nf->netif);
    info->dhcp = nf->dhcp;
    info->addr = ip4_addr_get_u32(netif_ip4_addr(&nf->netif));
    info->mask = ip4_addr_get_u32(netif_ip4_netmask(&nf->netif));
    info->gw = ip4_addr_get_u32(netif_ip4_gw(&nf->netif));
    info->rx_dropped = nf->rx_dropped;
    info->tx_dropped = nf->tx_dropped;
    info->mtu = nf->netif.mtu;
    info->rx_csum_trusted = nf->rx_csum_trusted;
    if (!nf->gone) {
        netdev_get_stats(nf->dev, &st);
        info->rx_frames = st.rx_frames;
        info->tx_frames = st.tx_frames;
        info->rx_bytes = st.rx_bytes;
        info->tx_bytes = st.tx_bytes;
        info->rx_multi = st.rx_multi;
        info->tx_multi = st.tx_multi;
        info->tx_csum_blank = st.tx_csum_blank;
    }
    UNLOCK_TCPIP_CORE();
    return 0;
}

static bool changed_since(void *arg)
{
    return __atomic_load_n(&changes, __ATOMIC_ACQUIRE) != *(unsigned long *)arg;
}

void net_if_changed(void)
{
    __atomic_add_fetch(&changes, 1, __ATOMIC_ACQ_REL);
    waitq_wake_all(&change_wait);
}

unsigned long net_if_wait_change(unsigned long seen, uint64_t deadline)
{
    waitq_wait(&change_wait, changed_since, &seen, deadline);
    return __atomic_load_n(&changes, __ATOMIC_ACQUIRE);
}
