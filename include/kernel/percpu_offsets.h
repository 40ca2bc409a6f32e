/*
 * Offsets into struct cpu (include/kernel/percpu.h) for assembly code;
 * percpu.h checks each one with a static assertion.
 */
#ifndef KERNEL_PERCPU_OFFSETS_H
#define KERNEL_PERCPU_OFFSETS_H

/* struct hypercall_stats, whose first member is calls[]. */
#define CPU_OFFSET_HYPERCALLS 8

#endif /* KERNEL_PERCPU_OFFSETS_H */
