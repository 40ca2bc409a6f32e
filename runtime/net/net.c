/*
 * Bringing TCP/IP up (<minios/net.h>): lwIP's thread, eth0 and its address.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <lwip/opt.h>
#include <lwip/init.h>
#include <lwip/ip4_addr.h>
#include <lwip/tcpip.h>
#include <minios/console.h>
#include <minios/mm.h>
#include <minios/net.h>
#include <minios/netdev.h>
#include <minios/sync.h>
#include "net_internal.h"

static struct mutex start_lock = MUTEX_INIT(start_lock);
static bool started;
static struct net_if *eth0;

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

/* "10.0.0.2/24" into an address and a mask; false if it is not one. */
static bool parse_cidr(const char *s, ip4_addr_t *addr, ip4_addr_t *mask, unsigned long *prefix)
{
    char buf[20];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    unsigned long bits = 24;
    char *end;

    if (n >= sizeof(buf))
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (!ip4addr_aton(buf, addr))
        return false;
    if (slash) {
        if (slash[1] < '0' || slash[1] > '9')
            return false;
        bits = strtoul(slash + 1, &end, 10);
        if (*end != '\0' || bits > 32)
            return false;
    }
    ip4_addr_set_u32(mask, bits ? lwip_htonl((u32_t)(0xffffffffULL << (32 - bits))) : 0);
    *prefix = bits;
    return true;
}

int net_start(const struct net_config *config)
{
    struct semaphore ready;
    ip4_addr_t addr, mask, gw;
    struct net_if *nf;
    struct net_config from_env;
    unsigned long prefix;
    int err, rc;

    if (!config) {
        from_env.address = getenv("NET_IP");
        from_env.gateway = getenv("NET_GW");
        config = &from_env;
    }
    if (!config || !config->address || !parse_cidr(config->address, &addr, &mask, &prefix)) {
        printk("net: the address \"%s\" is not A.B.C.D/N\n",
               config && config->address ? config->address : "(none)");
        return -XEN_EINVAL;
    }
    ip4_addr_set_zero(&gw);
    if (config->gateway && !ip4addr_aton(config->gateway, &gw)) {
        printk("net: the gateway \"%s\" is not an address\n", config->gateway);
        return -XEN_EINVAL;
    }
    mutex_lock(&start_lock);
    if (started) {
        mutex_unlock(&start_lock);
        return -XEN_EBUSY;
    }
    nf = kcalloc(1, sizeof(*nf));
    if (!nf) {
        mutex_unlock(&start_lock);
        return -XEN_ENOMEM;
    }
    nf->dev = netdev_open("eth0", &err);
    if (!nf->dev) {
        kfree(nf);
        mutex_unlock(&start_lock);
        return err;
    }
    semaphore_init(&ready, 0);
    tcpip_init(tcpip_ready, &ready);
    semaphore_down(&ready);
    rc = net_if_add(nf, &addr, &mask, &gw);
    if (rc == 0) {
        __atomic_store_n(&started, true, __ATOMIC_RELEASE);
        eth0 = nf;
        uint8_t *m = nf->netif.hwaddr;

        printk("net: eth0 %02x:%02x:%02x:%02x:%02x:%02x %s/%lu%s%s\n", m[0], m[1], m[2], m[3], m[4],
               m[5], ip4addr_ntoa(&addr), prefix, config->gateway ? " via " : "",
               config->gateway ? config->gateway : "");
    }
    mutex_unlock(&start_lock);
    return rc;
}
