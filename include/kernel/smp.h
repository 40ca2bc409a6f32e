/*
 * Multi-vCPU internals (smp/): bring-up, the IPI layer.  The public API is
 * <minios/smp.h>.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <stdbool.h>
#include <stdint.h>

/* IPI kinds; each is a bit in the target's pending mask, sent on one port. */
#define IPI_RESCHEDULE  0       /* wake an idle vCPU: there is work */
#define IPI_CALL        1       /* run the requests on its call queue */
#define NR_IPIS         2

/* Binds this vCPU's IPI port (events_init_cpu() calls it). */
void ipi_init_cpu(void);

/* Raises IPI @kind on vCPU @cpu. */
void ipi_send(unsigned int cpu, unsigned int kind);

/* Runs this vCPU's queued smp_call_function() requests (smp/call.c). */
void smp_call_process_queue(void);

/* Brings up every vCPU Xen gave us (after the scheduler exists). */
void smp_init(void);

/* Called on a secondary vCPU from its entry stub. */
void __attribute__((noreturn)) smp_secondary_start(void);

/* In the idle loop of a vCPU asked to go down: leave, and return when back up. */
void smp_cpu_down_self(void);

/* --- arch hooks (arch/x86_64/smpboot.c) --- */
struct cpu;

/* Registers @cpu's vcpu_info area with Xen; called on that vCPU. */
void arch_register_vcpu_info(struct cpu *cpu);

/* Initialises vCPU cpu->id to enter smp_secondary_start on @stack_top, and starts it. */
int arch_vcpu_start(struct cpu *cpu, void *stack_top);

/* Whether @cpu is online (scheduling threads). */
bool smp_cpu_online(unsigned int cpu);

#endif /* KERNEL_SMP_H */
