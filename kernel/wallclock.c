/*
 * Wall-clock time: shared_info holds the wall-clock time at which Xen
 * system time was zero (wc_sec, wc_nsec, plus wc_sec_hi on 64-bit), under
 * the same odd/even version protocol as vcpu_time_info.  Now = that base +
 * monotonic_ns().
 */
#include <minios/hypervisor.h>
#include <minios/time.h>
#include <minios/compiler.h>

uint64_t wallclock_ns(void)
{
    const volatile shared_info_t *s = HYPERVISOR_shared_info;
    uint32_t version;
    uint64_t sec, nsec;

    do {
        version = s->wc_version;
        rmb();
        sec = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
        nsec = s->wc_nsec;
        rmb();
    } while ((version & 1) || version != s->wc_version);

    return sec * NSEC_PER_SEC + nsec + monotonic_ns();
}
