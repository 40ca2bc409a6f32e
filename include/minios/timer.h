/*
 * One-shot timers on Xen time.
 *
 * Each vCPU keeps its own queue, ordered by deadline, and programs Xen's
 * single-shot timer (VCPUOP_set_singleshot_timer) for the earliest one; the
 * VIRQ_TIMER event runs the expired callbacks, in deadline order, in event
 * context (events masked): a callback must not block.  A timer fires on the
 * vCPU that armed it.  Firing is never early (deadline <= monotonic_ns() when
 * the callback runs) and is late by at most the event delivery latency.
 */
#ifndef MINIOS_TIMER_H
#define MINIOS_TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include <minios/list.h>

#pragma GCC visibility push(default)

struct timer;
typedef void (*timer_fn_t)(struct timer *timer, void *arg);

struct timer {
    struct list_node node; /* in its vCPU's queue while armed */
    uint64_t deadline;     /* Xen system time, ns */
    timer_fn_t fn;
    void *arg;
    int cpu;      /* queue it is on, -1 when not armed */
    bool running; /* its callback is running right now */
};

void timer_init(struct timer *t, timer_fn_t fn, void *arg);

/* Arms @t for @deadline (ns, monotonic_ns() scale); re-arms if armed. */
void timer_arm(struct timer *t, uint64_t deadline);

/*
 * Disarms @t; returns true if it was armed (so it will not fire).  If its
 * callback is running on another vCPU, waits for it to finish, so @t may
 * be freed (or go out of scope) as soon as this returns.
 */
bool timer_cancel(struct timer *t);

static inline bool timer_armed(const struct timer *t)
{
    return __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE) >= 0;
}

#pragma GCC visibility pop

#endif /* MINIOS_TIMER_H */
