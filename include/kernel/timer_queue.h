/* A vCPU's queue of armed timers (events/timer.c); embedded in struct cpu. */
#ifndef KERNEL_TIMER_QUEUE_H
#define KERNEL_TIMER_QUEUE_H

#include <stdint.h>
#include <minios/list.h>
#include <minios/spinlock.h>

struct timer_queue {
    spinlock_t lock;        /* taken with events masked */
    struct list_node armed; /* sorted by deadline, earliest first */
    uint64_t programmed;    /* deadline given to Xen, 0 = none */
    unsigned long fired;    /* callbacks run, for the debug dump */
};

void timer_queue_init(struct timer_queue *q);

/* Runs the expired timers of this vCPU and reprograms Xen's timer. */
void timer_queue_run(void);

/*
 * Moves every armed timer of this vCPU to vCPU @to's queue (both queues
 * locked, so a concurrent cancel always finds its timer).  For a vCPU
 * about to go down; vCPU @to must then run timer_queue_reprogram().
 */
void timer_queue_migrate(unsigned int to);

/* Gives Xen this vCPU's earliest deadline again (an smp_call_function() callback). */
void timer_queue_reprogram(void *unused);

/* Earliest armed deadline on this vCPU, or UINT64_MAX. */
uint64_t timer_queue_next(void);

#endif /* KERNEL_TIMER_QUEUE_H */
