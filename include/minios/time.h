/* Time as Xen provides it: nanoseconds since the domain was created. */
#ifndef MINIOS_TIME_H
#define MINIOS_TIME_H

#include <stdint.h>

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC  1000000000ULL

/* Xen system time in ns (vcpu_time_info scaled from the TSC). */
uint64_t monotonic_ns(void);

#endif /* MINIOS_TIME_H */
