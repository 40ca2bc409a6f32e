/*
 * Per-vCPU state: one struct cpu per vCPU, found through the kernel GS base
 * (%gs:0 holds the struct's own address), so this_cpu() is one instruction
 * and stays right however threads move between vCPUs.
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include <stdbool.h>
#include <stdint.h>
#include <minios/compiler.h>
#include <minios/list.h>
#include <minios/spinlock.h>
#include <minios/xen.h>
#include <kernel/hypercall_stats.h>
#include <kernel/percpu_offsets.h>
#include <kernel/timer_queue.h>

#define MAX_VCPUS 64

/* Words of the 2-level event bitmaps: 4096 ports / 64 bits. */
#define EVTCHN_WORDS (EVTCHN_2L_NR_CHANNELS / 64)

/* A vCPU's multicall batch (kernel/multicall.c). */
struct multicall_buffer {
    multicall_entry_t entries[32];
    unsigned int used;    /* entries in the buffer now */
    unsigned int flushed; /* entries already issued in this batch */
    bool active;
    unsigned long irq_flags; /* event state to restore at the end */
    struct {
        bool failed;
        unsigned int index, op;
        long rc;
    } first_error;
};

struct thread;

/* A request queued for smp_call_function() on one vCPU (smp/call.c). */
struct call_queue {
    spinlock_t lock;
    struct list_node requests;
};

struct cpu {
    struct cpu *self; /* %gs:0; must stay first */
    uint8_t pad[CPU_OFFSET_VCPU_INFO - 8];
    vcpu_info_t vcpu_info_area;        /* registered with Xen (VCPUOP_register_vcpu_info) */
    struct hypercall_stats hypercalls; /* at CPU_OFFSET_HYPERCALLS */
    unsigned int id;                   /* Xen's vCPU id */
    vcpu_info_t *vcpu_info;            /* this vCPU's event and time state */
    struct thread *current;            /* the thread running here */
    struct thread *idle_thread;
    bool online;     /* taking part in scheduling */
    bool going_down; /* asked to leave (smp/hotplug.c) */
    evtchn_port_t ipi_port;
    unsigned long ipi_pending; /* IPI_* bits not yet handled */
    unsigned long ipis_received;
    struct call_queue calls;
    uint64_t last_time;        /* monotonic_ns() never returns less */
    unsigned int fatal_depth;  /* >0 while reporting a fatal trap */
    struct timer_queue timers; /* this vCPU's pending timers */
    evtchn_port_t timer_port;  /* VIRQ_TIMER */
    /* Ports bound to this vCPU: the upcall handles only these. */
    unsigned long evtchn_owned[EVTCHN_WORDS];
    unsigned long events_handled; /* handler calls, for the debug dump */
    unsigned long events_ignored; /* PVH vectors that arrived with IF clear (pvh/traps.c) */
    unsigned long hlt_skipped;    /* PVH vectors that arrived on idle's hlt (pvh/traps.c) */
    evtchn_port_t debug_port;     /* VIRQ_DEBUG */
    struct multicall_buffer multicall;
    unsigned long fs_base;     /* the thread pointer loaded now (kernel/sched.c) */
    unsigned long fs_loads;    /* times a switch had to change it */
    unsigned long switches;    /* thread switches here (MINIOS_RUNQ) */
    unsigned long idle_blocks; /* times idle blocked in SCHEDOP_block */
};

/* cpu_table[id] for every vCPU that has been brought up, else NULL. */
extern struct cpu *cpu_table[MAX_VCPUS];

STATIC_ASSERT(__builtin_offsetof(struct cpu, vcpu_info_area) == CPU_OFFSET_VCPU_INFO,
              "vcpu_info must not straddle a page: struct cpu is page-aligned");
STATIC_ASSERT(__builtin_offsetof(struct cpu, hypercalls) == CPU_OFFSET_HYPERCALLS,
              "entry.S counts iret hypercalls at this offset");
STATIC_ASSERT(__builtin_offsetof(struct hypercall_stats, calls) == 0, "calls[] comes first");

static inline struct cpu *this_cpu(void)
{
    struct cpu *c;

    __asm__ __volatile__("mov %%gs:0, %0" : "=r"(c));
    return c;
}

static inline unsigned int smp_processor_id(void)
{
    return this_cpu()->id;
}

#endif /* KERNEL_PERCPU_H */
