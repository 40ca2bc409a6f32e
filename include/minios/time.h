/* Time as Xen provides it: nanoseconds since the domain was created. */
#ifndef MINIOS_TIME_H
#define MINIOS_TIME_H

#include <stdint.h>

#pragma GCC visibility push(default)

#define NSEC_PER_USEC 1000UL
#define NSEC_PER_MSEC 1000000UL
#define NSEC_PER_SEC  1000000000UL

/*
 * Xen system time in ns (vcpu_time_info scaled from the TSC): never goes
 * backwards on one vCPU; two vCPUs may differ by Xen's calibration error.
 */
uint64_t monotonic_ns(void);

/* Nanoseconds since 1970-01-01 UTC, as Xen's wall clock has it. */
uint64_t wallclock_ns(void);

/*
 * Blocks the calling vCPU until monotonic_ns() >= @deadline, handling
 * events meanwhile (their handlers run; this returns only at the deadline).
 */
void block_until(uint64_t deadline);

#pragma GCC visibility pop

#endif /* MINIOS_TIME_H */
