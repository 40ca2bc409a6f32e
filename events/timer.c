/*
 * Timers (see <minios/timer.h>) on each vCPU's single-shot Xen timer.
 *
 * Xen gives each vCPU one one-shot timer (VCPUOP_set_singleshot_timer, an
 * absolute Xen system time) whose expiry raises that vCPU's VIRQ_TIMER.  We
 * keep the armed timers of a vCPU in a list sorted by deadline and program
 * Xen's timer only when the earliest deadline changes, so arming a timer
 * behind others costs no hypercall.  The default 100 Hz periodic timer Xen
 * starts every vCPU with is switched off: nothing here needs ticks.
 */
#include <kernel/events.h>
#include <kernel/percpu.h>
#include <kernel/timer_queue.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/time.h>
#include <minios/timer.h>

void timer_queue_init(struct timer_queue *q)
{
    q->lock = (spinlock_t)SPINLOCK_INIT;
    list_init(&q->armed);
    q->programmed = 0;
    q->fired = 0;
}

/* Tells Xen about the earliest deadline; queue lock held, events masked. */
static void program(struct timer_queue *q)
{
    struct cpu *cpu = this_cpu();
    int rc;

    if (list_empty(&q->armed)) {
        if (q->programmed) {
            rc = HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, cpu->id, NULL);
            if (rc)
                panic("VCPUOP_stop_singleshot_timer failed: %d (%s)", rc, xen_strerror(rc));
            q->programmed = 0;
        }
        return;
    }
    uint64_t next = list_first_entry(&q->armed, struct timer, node)->deadline;

    if (next == q->programmed)
        return;
    /* No VCPU_SSHOTTMR_future flag: a deadline already past fires at once. */
    struct vcpu_set_singleshot_timer sst = {.timeout_abs_ns = next, .flags = 0};

    rc = HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, cpu->id, &sst);
    if (rc)
        panic("VCPUOP_set_singleshot_timer(%lu) failed: %d (%s)", next, rc, xen_strerror(rc));
    q->programmed = next;
}

void timer_init(struct timer *t, timer_fn_t fn, void *arg)
{
    list_init(&t->node);
    t->deadline = 0;
    t->fn = fn;
    t->arg = arg;
    t->cpu = -1;
    t->running = false;
}

/* Takes @t off whatever queue it is on; returns true if it was armed. */
static bool detach(struct timer *t)
{
    for (;;) {
        int c = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);

        if (c < 0)
            return false;
        struct timer_queue *q = &cpu_table[c]->timers;

        spin_lock(&q->lock);
        if (t->cpu == c) {
            list_del(&t->node);
            __atomic_store_n(&t->cpu, -1, __ATOMIC_RELEASE);
            /* Leaving Xen's timer programmed early is harmless: it re-arms. */
            spin_unlock(&q->lock);
            return true;
        }
        /* It fired or moved meanwhile: look again. */
        spin_unlock(&q->lock);
    }
}

void timer_arm(struct timer *t, uint64_t deadline)
{
    unsigned long flags = local_irq_save();
    struct cpu *cpu = this_cpu();
    struct timer_queue *q = &cpu->timers;
    struct list_node *pos;

    detach(t);
    spin_lock(&q->lock);
    t->deadline = deadline;
    /* Keep the queue sorted; equal deadlines fire in arming order. */
    list_for_each (pos, &q->armed) {
        if (list_entry(pos, struct timer, node)->deadline > deadline)
            break;
    }
    list_add_before(pos, &t->node);
    __atomic_store_n(&t->cpu, (int)cpu->id, __ATOMIC_RELEASE);
    program(q);
    spin_unlock(&q->lock);
    local_irq_restore(flags);
}

bool timer_cancel(struct timer *t)
{
    unsigned long flags = local_irq_save();
    bool was_armed = detach(t);

    local_irq_restore(flags);
    /* A callback running elsewhere still uses @t: wait it out (it is short). */
    while (__atomic_load_n(&t->running, __ATOMIC_ACQUIRE))
        cpu_relax();
    return was_armed;
}

uint64_t timer_queue_next(void)
{
    struct timer_queue *q = &this_cpu()->timers;
    unsigned long flags = local_irq_save();
    uint64_t next = UINT64_MAX;

    spin_lock(&q->lock);
    if (!list_empty(&q->armed))
        next = list_first_entry(&q->armed, struct timer, node)->deadline;
    spin_unlock(&q->lock);
    local_irq_restore(flags);
    return next;
}

void timer_queue_run(void)
{
    struct timer_queue *q = &this_cpu()->timers;
    unsigned long flags = local_irq_save();

    spin_lock(&q->lock);
    q->programmed = 0; /* it has fired */
    while (!list_empty(&q->armed)) {
        struct timer *t = list_first_entry(&q->armed, struct timer, node);

        if (t->deadline > monotonic_ns())
            break;
        list_del(&t->node);
        __atomic_store_n(&t->running, true, __ATOMIC_RELAXED);
        __atomic_store_n(&t->cpu, -1, __ATOMIC_RELEASE);
        q->fired++;
        /* Unlocked: the callback may re-arm this or any timer. */
        spin_unlock(&q->lock);
        t->fn(t, t->arg);
        __atomic_store_n(&t->running, false, __ATOMIC_RELEASE);
        spin_lock(&q->lock);
    }
    program(q);
    spin_unlock(&q->lock);
    local_irq_restore(flags);
}

void timer_queue_reprogram(void *arg)
{
    struct timer_queue *q = &this_cpu()->timers;
    unsigned long flags = spin_lock_irqsave(&q->lock);

    (void)arg;
    q->programmed = 0;
    program(q);
    spin_unlock_irqrestore(&q->lock, flags);
}

void timer_queue_migrate(unsigned int to)
{
    struct cpu *self = this_cpu();
    struct timer_queue *from_q = &self->timers, *to_q = &cpu_table[to]->timers;
    unsigned long flags = local_irq_save();

    /* Lock order: lower vCPU id first. */
    spin_lock(self->id < to ? &from_q->lock : &to_q->lock);
    spin_lock(self->id < to ? &to_q->lock : &from_q->lock);
    while (!list_empty(&from_q->armed)) {
        struct timer *t = list_first_entry(&from_q->armed, struct timer, node);
        struct list_node *pos;

        list_del(&t->node);
        list_for_each (pos, &to_q->armed) {
            if (list_entry(pos, struct timer, node)->deadline > t->deadline)
                break;
        }
        list_add_before(pos, &t->node);
        __atomic_store_n(&t->cpu, (int)to, __ATOMIC_RELEASE);
    }
    program(from_q); /* now empty: stops our Xen timer */
    spin_unlock(&to_q->lock);
    spin_unlock(&from_q->lock);
    local_irq_restore(flags);
}

static void timer_virq(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    timer_queue_run();
}

/* Per vCPU: no periodic ticks; VIRQ_TIMER drives the queue. */
void timer_init_cpu(void)
{
    struct cpu *cpu = this_cpu();
    int rc;

    timer_queue_init(&cpu->timers);
    rc = HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, cpu->id, NULL);
    if (rc)
        panic("VCPUOP_stop_periodic_timer(%u) failed: %d (%s)", cpu->id, rc, xen_strerror(rc));
    rc = evtchn_bind_virq(VIRQ_TIMER, cpu->id, timer_virq, NULL, &cpu->timer_port);
    if (rc)
        panic("binding VIRQ_TIMER on vCPU %u failed: %d (%s)", cpu->id, rc, xen_strerror(rc));
}
