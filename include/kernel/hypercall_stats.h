/*
 * Hypercall accounting (kernel/hypercall_stats.c): per vCPU, how many times
 * each hypercall was issued, and for the multiplexed ones (sched_op,
 * event_channel_op, vcpu_op, ...) how many times each sub-operation.
 * Operations issued inside a multicall are counted as `batched`.
 */
#ifndef KERNEL_HYPERCALL_STATS_H
#define KERNEL_HYPERCALL_STATS_H

#include <stdbool.h>
#include <stdint.h>

#define HC_NR       64 /* hypercall numbers we count */
#define HC_NR_MUX   10 /* multiplexed hypercalls with sub-op counts */
#define HC_NR_SUBOP 32 /* sub-ops counted per multiplexed hypercall */

struct hypercall_stats {
    uint64_t calls[HC_NR];
    uint64_t batched[HC_NR];
    uint32_t subops[HC_NR_MUX][HC_NR_SUBOP];
};

/* Records one hypercall @nr with first argument @a1 (the sub-op, if any). */
void hypercall_stats_record(unsigned int nr, unsigned long a1, bool batched);

/* Prints every non-zero counter, summed over all vCPUs. */
void hypercall_stats_print(void);

/* The calls to @nr so far on this vCPU (for tests and benchmarks). */
uint64_t hypercall_stats_this_cpu(unsigned int nr);

#endif /* KERNEL_HYPERCALL_STATS_H */
