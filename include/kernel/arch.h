/*
 * What generic kernel code asks of the architecture (arch/x86_64/).  Each
 * hook is named arch_* and documented here, not in the arch file.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include <minios/compiler.h>

/* Maps start_info.shared_info and sets HYPERVISOR_shared_info. */
void arch_map_shared_info(void);

/*
 * Ends the whole machine through QEMU's isa-debug-exit device (dom0 under
 * the test harness): QEMU exits with status (code << 1) | 1.  Returns only
 * if the I/O privilege needed for the port write could not be obtained.
 */
void arch_debug_exit(uint8_t code);

/* A free-running cycle counter (the TSC), usable from the first instruction. */
uint64_t arch_cycles(void);

/* Converts a cycle-count difference to nanoseconds with Xen's current scale. */
uint64_t arch_cycles_to_ns(uint64_t cycles);

/* Installs the trap table and the event and failsafe callbacks. */
void arch_traps_init(void);

/* Prints a symbolized backtrace starting at @rip with frame pointer @rbp. */
void arch_backtrace(unsigned long rip, unsigned long rbp);

/* Prints the backtrace of the caller of this function. */
void arch_print_backtrace(void);

/* A fault's backtrace: also the likely caller of a function without a frame. */
void arch_fault_backtrace(unsigned long rip, unsigned long rsp, unsigned long rbp);

/* Prints the backtrace of a switched-out thread from its saved stack pointer. */
void arch_thread_backtrace(unsigned long saved_rsp);

#endif /* KERNEL_ARCH_H */
