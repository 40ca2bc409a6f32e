/*
 * The boot profile (kernel/boot_profile.c): start_kernel() marks the end of
 * each phase; each mark records the time (from the TSC, so even the first
 * one, before shared_info is mapped, is exact) and the hypercalls issued so
 * far.  The summary line before main() and debug_print_boot_profile()
 * come from it.
 */
#ifndef KERNEL_BOOT_PROFILE_H
#define KERNEL_BOOT_PROFILE_H

#include <stdint.h>

void boot_phase(const char *name);

/* Called at main(): keeps what the exit report prints about boot. */
void boot_profile_done(void);

/*
 * MINIOS_PROFILE=1 on the command line (`make run ARGS="MINIOS_PROFILE=1"`)
 * asks for boot_profile_exit_report() when the program exits: the profile,
 * hypercalls before main() by type, all hypercalls, and the span line.
 */
void boot_profile_report_at_exit(void);
void boot_profile_exit_report(uint64_t exit_ns);

/* Nanoseconds and hypercalls from the first mark to the last. */
uint64_t boot_profile_ns(void);
unsigned long boot_profile_hypercalls(void);

#endif /* KERNEL_BOOT_PROFILE_H */
