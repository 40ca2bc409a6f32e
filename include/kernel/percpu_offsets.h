/*
 * Offsets into struct cpu (include/kernel/percpu.h) for assembly code;
 * percpu.h checks each one with a static assertion.
 */
#ifndef KERNEL_PERCPU_OFFSETS_H
#define KERNEL_PERCPU_OFFSETS_H

/* The vcpu_info Xen writes for this vCPU (64 bytes). */
#define CPU_OFFSET_VCPU_INFO 64

/* struct hypercall_stats, whose first member is calls[]. */
#define CPU_OFFSET_HYPERCALLS 128

#endif /* KERNEL_PERCPU_OFFSETS_H */
