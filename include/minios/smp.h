/*
 * Several vCPUs.
 *
 * minios starts every vCPU Xen gives the domain; threads run on all of them
 * (<minios/thread.h>).  This is the API for the rest: which vCPUs are
 * online, running a function on other vCPUs, and taking vCPUs down and up.
 */
#ifndef MINIOS_SMP_H
#define MINIOS_SMP_H

#include <stdbool.h>
#include <stdint.h>
#include <minios/mm.h> /* tlb_flush_all_cpus() */

#pragma GCC visibility push(default)

typedef uint64_t cpumask_t; /* bit n = vCPU n */

#define CPUMASK_ONE(cpu) ((cpumask_t)1 << (cpu))

/* vCPUs the domain has (online or not), and those online now. */
unsigned int smp_cpu_count(void);
cpumask_t smp_online_mask(void);

/*
 * Runs fn(arg) on every online vCPU in @mask (the caller's too, if in it),
 * in event context: events masked, must not block.  With @wait, returns
 * after all have run it.  Safe to call with events masked: while waiting,
 * the caller runs requests other vCPUs send it, so two vCPUs calling each
 * other cannot deadlock.  A vCPU that goes offline meanwhile is skipped.
 * Returns how many vCPUs it was run on (or sent to, without @wait), or -1
 * if memory for the requests ran out (the vCPUs that got one still run it).
 */
int smp_call_function(cpumask_t mask, void (*fn)(void *arg), void *arg, bool wait);

/* The same for one vCPU; 0 if it ran (or was sent), -1 if that vCPU is offline. */
int smp_call_function_single(unsigned int cpu, void (*fn)(void *arg), void *arg, bool wait);

/*
 * Takes vCPU @cpu down (VCPUOP_down) once its current thread has blocked
 * or yielded: its threads run elsewhere (pinned ones are unpinned, with a
 * note on the console), its timers move to vCPU 0, its interdomain ports
 * to vCPU 0.  vCPU 0 cannot be taken down.  Returns 0 or -1.
 */
int cpu_down(unsigned int cpu);

/* Brings a vCPU taken down by cpu_down() back.  Returns 0 or -1. */
int cpu_up(unsigned int cpu);

/* tlb_flush_all_cpus() is in <minios/mm.h>, with the mappings it is about. */

#pragma GCC visibility pop

#endif /* MINIOS_SMP_H */
