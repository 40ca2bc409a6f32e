/*
 * smp_call_function(): running a function on other vCPUs.
 *
 * Each vCPU has its own queue of requests; a caller queues one request per
 * target and sends it an IPI_CALL.  There is no global lock, and a caller
 * that waits with events masked keeps running its own queue while it
 * waits: two vCPUs that call each other at the same moment both make
 * progress.  (The classic design, one global call lock and a busy wait for
 * acknowledgements, deadlocks exactly there.)
 */
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <minios/events.h>
#include <minios/mm.h>
#include <minios/smp.h>

struct call_request {
    struct list_node node;
    void (*fn)(void *arg);
    void *arg;
    unsigned long *pending; /* the waiting caller's counter, or NULL */
};

void smp_call_queue_init(struct cpu *cpu)
{
    cpu->calls.lock = (spinlock_t)SPINLOCK_INIT;
    list_init(&cpu->calls.requests);
}

void smp_call_process_queue(void)
{
    struct call_queue *q = &this_cpu()->calls;
    unsigned long flags;
    struct list_node taken;

    list_init(&taken);
    flags = spin_lock_irqsave(&q->lock);
    if (!list_empty(&q->requests)) {
        /* Move the whole queue out, so requests run without the lock. */
        taken = q->requests;
        taken.next->prev = &taken;
        taken.prev->next = &taken;
        list_init(&q->requests);
    }
    spin_unlock_irqrestore(&q->lock, flags);

    while (!list_empty(&taken)) {
        struct call_request *r = list_first_entry(&taken, struct call_request, node);
        unsigned long irq = local_irq_save(); /* event context, even when polled */

        list_del(&r->node);
        r->fn(r->arg);
        if (r->pending)
            __atomic_fetch_sub(r->pending, 1, __ATOMIC_RELEASE);
        local_irq_restore(irq);
        kfree(r);
    }
}

int smp_call_function(cpumask_t mask, void (*fn)(void *arg), void *arg, bool wait)
{
    unsigned long flags = local_irq_save();
    unsigned int self = this_cpu()->id;
    unsigned long pending = 0;
    int rc = 0, reached = 0;

    mask &= smp_online_mask();
    for (unsigned int cpu = 0; cpu < MAX_VCPUS; cpu++) {
        if (!(mask & CPUMASK_ONE(cpu)) || cpu == self)
            continue;
        struct call_request *r = kmalloc(sizeof(*r));

        if (!r) {
            rc = -1;
            continue;
        }
        r->fn = fn;
        r->arg = arg;
        r->pending = wait ? &pending : NULL;
        if (wait)
            __atomic_fetch_add(&pending, 1, __ATOMIC_RELAXED);

        struct call_queue *q = &cpu_table[cpu]->calls;
        bool queued = false;

        /* A vCPU going down marks itself offline under this lock, then drains. */
        spin_lock(&q->lock);
        if (__atomic_load_n(&cpu_table[cpu]->online, __ATOMIC_ACQUIRE)) {
            list_add_tail(&q->requests, &r->node);
            queued = true;
        }
        spin_unlock(&q->lock);
        if (!queued) {
            if (wait)
                __atomic_fetch_sub(&pending, 1, __ATOMIC_RELAXED);
            kfree(r);
            continue;
        }
        reached++;
        ipi_send(cpu, IPI_CALL);
    }
    if (mask & CPUMASK_ONE(self)) {
        fn(arg);
        reached++;
    }
    while (wait && __atomic_load_n(&pending, __ATOMIC_ACQUIRE)) {
        smp_call_process_queue();
        cpu_relax();
    }
    local_irq_restore(flags);
    return rc < 0 ? rc : reached;
}

int smp_call_function_single(unsigned int cpu, void (*fn)(void *arg), void *arg, bool wait)
{
    if (cpu >= MAX_VCPUS || !(smp_online_mask() & CPUMASK_ONE(cpu)))
        return -1;
    return smp_call_function(CPUMASK_ONE(cpu), fn, arg, wait) == 1 ? 0 : -1;
}
