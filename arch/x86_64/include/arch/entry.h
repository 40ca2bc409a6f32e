/*
 * The assembly entry points (head.S, entry.S, switch.S), the C functions
 * they call, and the trap table they are installed from: what the arch
 * files share with each other about how control enters the kernel.  These
 * are x86_*: arch_* names are the hooks generic code calls
 * (include/kernel/arch.h).
 */
#ifndef ARCH_ENTRY_H
#define ARCH_ENTRY_H

#include <minios/compiler.h>
#include <minios/xen.h>
#include <arch/regs.h>

/* Xen's hypercall stubs, one per 32 bytes (the HYPERCALL_PAGE note). */
extern char hypercall_page[];

/* Where a secondary vCPU starts (VCPUOP_initialise's %rip). */
void secondary_entry(void);

/* The event upcall and the failsafe callback (CALLBACKOP_register). */
void entry_event(void);
void entry_failsafe(void);

/* Where a new thread's first switch returns to (arch_thread_stack_init). */
void thread_entry(void);

/* The trap table: every vector we handle, ended by an entry with address 0. */
const trap_info_t *x86_trap_table(void);

/* The C side of every trap stub in entry.S. */
void x86_trap_entry(struct cpu_regs *regs);

/* The C side of the failsafe callback: a segment reload Xen could not do. */
void __noreturn x86_failsafe(const unsigned long *frame);

#endif /* ARCH_ENTRY_H */
