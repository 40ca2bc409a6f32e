/*
 * The scheduler: one run queue shared by every vCPU.
 *
 * Invariants (the run-queue lock, `rq_lock`, protects all of them):
 *  - A thread is on the run queue iff it is RUNNABLE and not on a vCPU.
 *  - A thread's `state` changes only under rq_lock.
 *  - `on_cpu` is set while any vCPU is still executing on the thread's
 *    stack.  A switch holds rq_lock from before it picks the next thread
 *    until after it is off the old stack: the *next* thread releases it, in
 *    finish_switch().  So no other vCPU can pick a thread whose stack is
 *    still in use, and a wake-up that comes while the thread is still on
 *    its vCPU only marks it RUNNABLE; its own schedule() requeues it.
 *  - Events are masked on the vCPU while it holds rq_lock (handlers wake
 *    threads, so they take it too).
 *
 * Idle vCPUs block in SCHEDOP_block and are listed in idle_mask; making a
 * thread runnable sends a reschedule IPI to one idle vCPU that may run it,
 * and only then: a busy vCPU will find the thread when it next schedules.
 */
#include <kernel/arch.h>
#include <kernel/format.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/mm.h>

static spinlock_t rq_lock = SPINLOCK_INIT;
static struct list_node runq; /* list_init() in sched_init(): keeps .data empty */
static uint64_t idle_mask;    /* under rq_lock */
static unsigned long nr_switches;
static unsigned int nr_runnable;

struct thread *current_thread(void)
{
    return this_cpu()->current;
}

struct thread *thread_self(void)
{
    return current_thread();
}

unsigned int thread_cpu(void)
{
    return this_cpu()->id;
}

unsigned long sched_switch_count(void)
{
    return __atomic_load_n(&nr_switches, __ATOMIC_RELAXED);
}

const char *thread_tls_method(void)
{
    return arch_tls_method();
}

unsigned long thread_tls_loads_cpu(unsigned int cpu)
{
    if (cpu >= MAX_VCPUS || !cpu_table[cpu])
        return 0;
    return __atomic_load_n(&cpu_table[cpu]->fs_loads, __ATOMIC_RELAXED);
}

uint64_t sched_idle_mask(void)
{
    return __atomic_load_n(&idle_mask, __ATOMIC_RELAXED);
}

unsigned int sched_runnable_count(void)
{
    return __atomic_load_n(&nr_runnable, __ATOMIC_RELAXED);
}

static bool may_run_on(const struct thread *t, unsigned int cpu)
{
    return t->affinity == THREAD_ANY_CPU || (unsigned int)t->affinity == cpu;
}

static void enqueue(struct thread *t)
{
    list_add_tail(&runq, &t->run_node);
    nr_runnable++;
}

static void dequeue(struct thread *t)
{
    list_del(&t->run_node);
    nr_runnable--;
}

/* The first queued thread this vCPU may run, or NULL.  rq_lock held. */
static struct thread *pick(const struct cpu *cpu)
{
    struct list_node *n;

    if (cpu->going_down)
        return NULL;
    list_for_each (n, &runq) {
        struct thread *t = list_entry(n, struct thread, run_node);

        if (may_run_on(t, cpu->id))
            return t;
    }
    return NULL;
}

/* Wakes one idle vCPU that may run @t, other than this one.  rq_lock held. */
static void kick_idle_cpu(const struct thread *t)
{
    uint64_t candidates = idle_mask & ~(1ULL << this_cpu()->id);

    if (t->affinity != THREAD_ANY_CPU)
        candidates &= 1ULL << t->affinity;
    if (!candidates)
        return;
    unsigned int cpu = (unsigned int)__builtin_ctzll(candidates);

    /* It will set its bit again if it finds nothing; others try elsewhere. */
    idle_mask &= ~(1ULL << cpu);
    ipi_send(cpu, IPI_RESCHEDULE);
}

void thread_wake(struct thread *t)
{
    unsigned long flags = spin_lock_irqsave(&rq_lock);

    if (t->state == THREAD_BLOCKED) {
        t->state = THREAD_RUNNABLE;
        if (!t->on_cpu) {
            enqueue(t);
            kick_idle_cpu(t);
        }
    }
    spin_unlock_irqrestore(&rq_lock, flags);
}

void sched_start_thread(struct thread *t)
{
    unsigned long flags = spin_lock_irqsave(&rq_lock);

    t->state = THREAD_RUNNABLE;
    enqueue(t);
    kick_idle_cpu(t);
    spin_unlock_irqrestore(&rq_lock, flags);
}

void sched_mark_exited(void)
{
    unsigned long flags = spin_lock_irqsave(&rq_lock);

    current_thread()->state = THREAD_EXITED;
    spin_unlock_irqrestore(&rq_lock, flags);
}

void sched_prepare_block(void)
{
    unsigned long flags = spin_lock_irqsave(&rq_lock);

    current_thread()->state = THREAD_BLOCKED;
    spin_unlock_irqrestore(&rq_lock, flags);
}

/*
 * The second half of every switch, run by the thread switched *to*, on its
 * own stack: the previous thread's stack is free now.
 */
static void finish_switch(struct thread *prev)
{
    bool exited = prev->state == THREAD_EXITED;

    prev->on_cpu = false;
    /* A thread that yielded is queued; an idle vCPU may take it now. */
    if (prev->state == THREAD_RUNNABLE && !prev->idle)
        kick_idle_cpu(prev);
    spin_unlock(&rq_lock);
    if (exited)
        thread_reap(prev);
}

/*
 * Loads @next's thread pointer if this vCPU holds another one.  A thread
 * without TLS (an idle thread, or every thread of an image without TLS)
 * leaves it as it is, so switching to idle and back costs nothing, and an
 * image without TLS never sets it at all.  Only application code reads it.
 */
static void switch_tls(struct cpu *cpu, const struct thread *next)
{
    if (!next->fs_base || next->fs_base == cpu->fs_base)
        return;
    arch_set_fs_base(next->fs_base);
    cpu->fs_base = next->fs_base;
    cpu->fs_loads++;
}

void schedule(void)
{
    unsigned long flags = local_irq_save();
    struct cpu *cpu = this_cpu();
    struct thread *prev = cpu->current, *next;

    spin_lock(&rq_lock);
    if (prev->state == THREAD_RUNNING)
        prev->state = THREAD_RUNNABLE; /* a yield */
    if (prev->state == THREAD_RUNNABLE && !prev->idle)
        enqueue(prev);

    next = pick(cpu);
    if (!next)
        next = cpu->idle_thread;
    if (!next->idle)
        dequeue(next);
    if (next == prev) {
        prev->state = THREAD_RUNNING;
        spin_unlock(&rq_lock);
        local_irq_restore(flags);
        return;
    }
    next->state = THREAD_RUNNING;
    next->on_cpu = true;
    next->cpu = cpu->id;
    cpu->current = next;
    nr_switches++;
    cpu->switches++;

    switch_tls(cpu, next);
    if (!prev->idle)
        arch_fpu_save(&prev->fpu);
    if (!next->idle)
        arch_fpu_restore(&next->fpu);
    prev = arch_switch(&prev->rsp, next->rsp, prev);

    /* Back on our own stack, perhaps on another vCPU, perhaps much later. */
    finish_switch(prev);
    local_irq_restore(flags);
}

void thread_yield(void)
{
    schedule();
}

/* A new thread's first moments (arch code jumps here from its first switch). */
void sched_enter_new_thread(struct thread *prev)
{
    struct thread *self;

    finish_switch(prev);
    local_irq_enable();
    self = current_thread();
    thread_exit(self->fn(self->arg));
}

/* --- idle --- */

static bool has_work(const struct cpu *cpu)
{
    return pick(cpu) != NULL;
}

void sched_idle_loop(void)
{
    struct cpu *cpu = this_cpu();

    for (;;) {
        local_irq_disable();
        spin_lock(&rq_lock);
        if (cpu->going_down) {
            spin_unlock(&rq_lock);
            smp_cpu_down_self(); /* returns when brought back up */
            continue;
        }
        if (has_work(cpu)) {
            spin_unlock(&rq_lock);
            local_irq_enable();
            schedule();
            continue;
        }
        idle_mask |= 1ULL << cpu->id;
        spin_unlock(&rq_lock);

        /*
         * Unmasks events and blocks in one step: if a reschedule IPI (or
         * any event) arrived since we looked, it returns at once.
         */
        cpu->idle_blocks++;
        int rc = arch_block();

        if (rc)
            panic("SCHEDOP_block failed: %d (%s)", rc, xen_strerror(rc));
        local_irq_disable();
        spin_lock(&rq_lock);
        idle_mask &= ~(1ULL << cpu->id);
        spin_unlock(&rq_lock);
        local_irq_enable(); /* delivers what woke us */
    }
}

/* The calling context becomes this vCPU's idle thread. */
static void adopt_as_idle(struct thread *t)
{
    struct cpu *cpu = this_cpu();

    memset(t, 0, sizeof(*t));
    t->idle = true;
    t->state = THREAD_RUNNING;
    t->on_cpu = true;
    t->cpu = cpu->id;
    t->affinity = (int)cpu->id;
    list_init(&t->run_node);
    list_init(&t->all_node);
    waitq_init(&t->join_wait);
    ksnprintf(t->name, sizeof(t->name), "idle%u", cpu->id);
    cpu->idle_thread = t;
    cpu->current = t;
}

void sched_init(void)
{
    static struct thread boot_idle;

    list_init(&runq);
    arch_fpu_init();
    arch_tls_init();
    adopt_as_idle(&boot_idle);
}

void sched_init_cpu(void)
{
    struct thread *idle = kcalloc(1, sizeof(*idle));

    if (!idle)
        panic("no memory for vCPU %u's idle thread", this_cpu()->id);
    arch_tls_init_cpu();
    adopt_as_idle(idle);
}
