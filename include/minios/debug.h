/* Looking inside the running kernel. */
#ifndef MINIOS_DEBUG_H
#define MINIOS_DEBUG_H

#include <stdint.h>

#pragma GCC visibility push(default)

/*
 * Prints the state dump that VIRQ_DEBUG (Xen's 'q' debug key) also
 * triggers: per-vCPU event state and timers, bound and pending ports, and
 * the hypercall counters.
 */
void debug_dump_state(void);

/* How many state dumps have been printed since boot. */
unsigned long debug_dump_count(void);

/* Time and hypercalls from kernel entry to main(). */
uint64_t debug_boot_ns(void);
unsigned long debug_boot_hypercalls(void);

/* Time spent in one named start-of-day phase (see kernel/start.c), or 0. */
uint64_t debug_boot_phase_ns(const char *name);

/* Prints the time and hypercalls of each start-of-day phase. */
void debug_print_boot_profile(void);

/* Prints the boot memory map: what was kept at boot, and why. */
void debug_print_memory_map(void);

/* The guard page below the boot stack: unmapped, so touching it faults. */
const void *debug_boot_stack_guard(void);

/* Prints the hypercall counters alone. */
void debug_print_hypercalls(void);

#pragma GCC visibility pop

#endif /* MINIOS_DEBUG_H */
