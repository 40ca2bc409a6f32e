/*
 * lwIP's configuration for minios (docs/networking.md).  lwIP reads this
 * file when it is built (scripts/build-lwip.sh) and so does our port
 * (runtime/net/); applications never see it.
 *
 * The shape: an OS with threads (NO_SYS 0), and the core lock instead of a
 * single "tcpip thread does everything" rule: a thread calling the socket
 * API, or a receive thread feeding a frame in, takes the core lock and
 * runs lwIP itself, on whichever vCPU it is.  IPv4 only, TCP, UDP, ICMP,
 * ARP, DHCP and DNS clients; memory from the kernel heap (kmalloc), not
 * lwIP's static pools.
 */
#ifndef MINIOS_LWIPOPTS_H
#define MINIOS_LWIPOPTS_H

#define NO_SYS                        0
#define SYS_LIGHTWEIGHT_PROT          1
#define LWIP_TCPIP_CORE_LOCKING       1
#define LWIP_TCPIP_CORE_LOCKING_INPUT 1

/* Memory: the kernel heap for everything, so no pool can run dry by itself. */
#define MEM_LIBC_MALLOC           1
#define MEMP_MEM_MALLOC           1
#define MEM_ALIGNMENT             8
#define mem_clib_malloc           kmalloc
#define mem_clib_free             kfree
#define mem_clib_calloc           kcalloc
#define LWIP_NETIF_TX_SINGLE_PBUF 1

/* Protocols. */
#define LWIP_IPV4     1
#define LWIP_IPV6     0
#define LWIP_ARP      1
#define LWIP_ETHERNET 1
#define LWIP_ICMP     1
#define LWIP_RAW      0
#define LWIP_UDP      1
#define LWIP_TCP      1
#define LWIP_DHCP     1
#define LWIP_AUTOIP   0
#define LWIP_IGMP     0
#define LWIP_DNS      1
#define ARP_QUEUEING  1

/* TCP: a window of 16 full segments each way. */
#define TCP_MSS            1460
#define TCP_WND            (16 * TCP_MSS)
#define TCP_SND_BUF        (16 * TCP_MSS)
#define TCP_SND_QUEUELEN   (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_QUEUE_OOSEQ    1
#define LWIP_TCP_KEEPALIVE 1
/*
 * A connect() to a host that never answers: lwIP resends the SYN every 3 s
 * (it does not back off in SYN_SENT) and gives up after this many resends,
 * 4 x 3 s + one 500 ms tick = 12.5 s on an idle stack; connect() then says
 * ETIMEDOUT (runtime/net/sockets.c).  lwIP counts the time in ticks of its
 * TCP timer, each re-armed from when the last one ran, so a busy stack
 * stretches it: lwIP's default of 6 took 30.6 s (not 18.5) next to a 10 MiB
 * echo under TCG.  4 keeps it well under 30 s there (docs/networking.md).
 */
#define TCP_SYNMAXRTX    4
#define MEMP_NUM_TCP_PCB 64
#define MEMP_NUM_UDP_PCB 16
#define MEMP_NUM_NETCONN 64

/* The sequential APIs: netconn and BSD-style sockets (lwip_* names; runtime/net/sockets.c). */
#define LWIP_NETCONN                1
#define LWIP_SOCKET                 1
#define LWIP_COMPAT_SOCKETS         0
#define LWIP_POSIX_SOCKETS_IO_NAMES 0
#define LWIP_SOCKET_OFFSET          64 /* lwIP's own numbers, kept inside the fd table's socket files */
#define LWIP_SO_RCVTIMEO            1
#define LWIP_SO_SNDTIMEO            1
#define SO_REUSE                    1
#define LWIP_SO_RCVBUF              1
#define LWIP_SOCKET_SELECT          0 /* newlib's fd_set stops at 64 */
#define LWIP_SOCKET_POLL            1
#define LWIP_TIMEVAL_PRIVATE        0
#define LWIP_NETIF_API              0
#define LWIP_NETCONN_SEM_PER_THREAD 0

/* Threads and their mailboxes (runtime/net/sys_arch.c). */
#define TCPIP_THREAD_NAME         "lwip-tcpip"
#define TCPIP_THREAD_STACKSIZE    (64 * 1024)
#define TCPIP_MBOX_SIZE           256
#define DEFAULT_THREAD_STACKSIZE  (64 * 1024)
#define DEFAULT_TCP_RECVMBOX_SIZE 128
#define DEFAULT_UDP_RECVMBOX_SIZE 128
#define DEFAULT_ACCEPTMBOX_SIZE   128 /* a burst of connections waits, not reset */

/*
 * Checksums in software, but per interface (netif.c): TCP's left to the
 * backend where it takes NETTXF_csum_blank, and per received frame, TCP's
 * and UDP's not checked where the backend vouched for them.
 */
#define LWIP_CHECKSUM_ON_COPY        1
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1

#define LWIP_STATS                 0
#define LWIP_NETIF_STATUS_CALLBACK 1 /* net_start() waits for an address */

#endif /* MINIOS_LWIPOPTS_H */
