/*
 * Multi-vCPU internals (smp/): bring-up, the IPI layer.  The public API is
 * <minios/smp.h>.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <stdbool.h>
#include <stdint.h>

struct cpu;

/* IPI kinds; each is a bit in the target's pending mask, sent on one port. */
#define IPI_RESCHEDULE 0 /* wake an idle vCPU: there is work */
#define IPI_CALL       1 /* run the requests on its call queue */
#define NR_IPIS        2

/* Binds this vCPU's IPI port (smp_init_this_cpu() calls it). */
void ipi_init_cpu(void);

/* Raises IPI @kind on vCPU @cpu. */
void ipi_send(unsigned int cpu, unsigned int kind);

/* Runs this vCPU's queued smp_call_function() requests (smp/call.c). */
void smp_call_process_queue(void);

/*
 * What every vCPU sets up on itself, the boot vCPU included, before it
 * takes events: its own vcpu_info, its event channels (events_init_cpu()),
 * its IPI port.
 */
void smp_init_this_cpu(void);

/* Prepares @cpu's queue of smp_call_function() requests (smp/call.c). */
void smp_call_queue_init(struct cpu *cpu);

/*
 * Starts every vCPU Xen gave us (after the scheduler exists), without
 * waiting for them: smp_wait_online() does, before main() (kernel/start.c).
 * Until then a vCPU may still be setting itself up; smp_online_mask() says
 * which are done (a TLB shootdown covers every vCPU that exists).
 */
void smp_init(void);
void smp_wait_online(void);

/* The boot vCPU plus each vCPU Xen started for us (VCPUOP_up succeeded). */
unsigned int smp_cpus_started(void);

/* Called on a secondary vCPU from its entry stub. */
void __attribute__((noreturn)) smp_secondary_start(void);

/* In the idle loop of a vCPU asked to go down: leave, and return when back up. */
void smp_cpu_down_self(void);

/* Whether @cpu is online (scheduling threads). */
bool smp_cpu_online(unsigned int cpu);

#endif /* KERNEL_SMP_H */
