/*
 * Thread lifetimes: creation (a guarded stack, a clean FPU state, a first
 * frame that enters sched_enter_new_thread()), exit, join/detach and reaping, sleep,
 * affinity.  Scheduling itself is kernel/sched.c.
 *
 * An exiting thread cannot free its own stack while running on it: the
 * thread that runs next on that vCPU "reaps" it in finish_switch(), which
 * either frees it (detached) or wakes whoever joins it.  `reaped` and
 * `detached` are decided under threads_lock, so exactly one side frees.
 */
#include <kernel/app.h>
#include <kernel/arch.h>
#include <kernel/format.h>
#include <kernel/libc_glue.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/thread_hooks.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/time.h>
#include <minios/timer.h>

static spinlock_t threads_lock = SPINLOCK_INIT;
static struct list_node all_threads; /* set up by the first thread_create() */
static unsigned long last_id;
static unsigned int live_threads; /* created and not yet exited */

static struct thread *create(void *(*fn)(void *), void *arg, const struct thread_attr *attr,
                             bool daemon)
{
    struct thread_attr a = attr ? *attr : THREAD_ATTR_DEFAULT;
    struct thread *t;

    if (a.cpu != THREAD_ANY_CPU && (a.cpu < 0 || !smp_cpu_online((unsigned int)a.cpu))) {
        printk("thread_create: vCPU %d is not online\n", a.cpu);
        return NULL;
    }
    t = kcalloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->stack_size = a.stack_size ? ALIGN_UP(a.stack_size, PAGE_SIZE) : THREAD_STACK_DEFAULT;
    /* The thread's TLS above its stack: the stack keeps the size asked for. */
    t->stack_size += ALIGN_UP(arch_tls_reserve(), PAGE_SIZE);
    t->stack = stack_alloc(t->stack_size);
    if (!t->stack) {
        kfree(t);
        return NULL;
    }
    t->rsp = arch_thread_stack_init(arch_tls_setup((char *)t->stack + t->stack_size, &t->fs_base));
    arch_fpu_init_state(&t->fpu);
    t->fn = fn;
    t->arg = arg;
    t->affinity = a.cpu;
    t->detached = a.detached;
    t->daemon = daemon;
    list_init(&t->run_node);
    waitq_init(&t->join_wait);
    strlcpy(t->name, a.name ? a.name : "thread", sizeof(t->name));

    unsigned long flags = spin_lock_irqsave(&threads_lock);

    if (!all_threads.next)
        list_init(&all_threads);
    t->id = ++last_id;
    list_add_tail(&all_threads, &t->all_node);
    if (!daemon)
        live_threads++;
    spin_unlock_irqrestore(&threads_lock, flags);

    sched_start_thread(t);
    return t;
}

struct thread *thread_create(void *(*fn)(void *), void *arg, const struct thread_attr *attr)
{
    return create(fn, arg, attr, false);
}

struct thread *kthread_create(void *(*fn)(void *), void *arg, const char *name)
{
    struct thread_attr attr = THREAD_ATTR_DEFAULT;

    attr.name = name;
    attr.detached = true;
    return create(fn, arg, &attr, true);
}

static void free_thread(struct thread *t)
{
    unsigned long flags = spin_lock_irqsave(&threads_lock);

    list_del(&t->all_node);
    spin_unlock_irqrestore(&threads_lock, flags);
    thread_hooks_free(t);
    stack_free(t->stack, t->stack_size);
    kfree(t);
}

void thread_exit(void *result)
{
    struct thread *self = current_thread();
    unsigned long flags;
    bool last;

    if (self->idle)
        panic("thread_exit called by %s", self->name);
    self->result = result;
    thread_hooks_exit(self); /* e.g. flush the C library's buffers */

    flags = spin_lock_irqsave(&threads_lock);
    last = !self->daemon && --live_threads == 0;
    spin_unlock_irqrestore(&threads_lock, flags);
    if (last)
        app_exit(0); /* the last thread ends the program */

    local_irq_disable();
    sched_mark_exited();
    schedule();
    panic("thread %s ran again after exiting", self->name);
}

void thread_reap(struct thread *t)
{
    unsigned long flags = spin_lock_irqsave(&threads_lock);
    bool free_now = t->detached;

    t->reaped = true;
    spin_unlock_irqrestore(&threads_lock, flags);
    if (free_now)
        free_thread(t);
    else
        waitq_wake_all(&t->join_wait);
}

static bool is_reaped(void *arg)
{
    return __atomic_load_n(&((struct thread *)arg)->reaped, __ATOMIC_ACQUIRE);
}

int thread_join(struct thread *t, void **result)
{
    if (!t || t == current_thread() || t->detached || t->idle)
        return -1;
    bool noted = thread_wait_begin(WAIT_JOIN, t, NO_DEADLINE);

    waitq_wait(&t->join_wait, is_reaped, t, NO_DEADLINE);
    thread_wait_end(noted);
    if (result)
        *result = t->result;
    free_thread(t);
    return 0;
}

void thread_detach(struct thread *t)
{
    unsigned long flags = spin_lock_irqsave(&threads_lock);
    bool free_now = t->reaped;

    t->detached = true;
    spin_unlock_irqrestore(&threads_lock, flags);
    if (free_now)
        free_thread(t);
}

static void wake_sleeper(struct timer *timer, void *arg)
{
    (void)timer;
    thread_wake(arg);
}

void thread_sleep_until(uint64_t deadline)
{
    struct timer timer;

    bool noted = thread_wait_begin(WAIT_SLEEP, NULL, deadline);

    timer_init(&timer, wake_sleeper, current_thread());
    while (monotonic_ns() < deadline) {
        sched_prepare_block();
        timer_arm(&timer, deadline);
        schedule();
    }
    timer_cancel(&timer);
    thread_wait_end(noted);
}

void thread_sleep_ns(uint64_t ns)
{
    thread_sleep_until(monotonic_ns() + ns);
}

const char *thread_name(const struct thread *t)
{
    return t->name;
}

unsigned long thread_id(const struct thread *t)
{
    return t->id;
}

unsigned int thread_count(void)
{
    return __atomic_load_n(&live_threads, __ATOMIC_RELAXED);
}

int thread_set_affinity(struct thread *t, int cpu)
{
    if (cpu != THREAD_ANY_CPU && (cpu < 0 || !smp_cpu_online((unsigned int)cpu)))
        return -1;
    __atomic_store_n(&t->affinity, cpu, __ATOMIC_RELEASE);
    /* Moving ourselves: give up this vCPU if it is no longer allowed. */
    if (t == current_thread() && cpu != THREAD_ANY_CPU && (unsigned int)cpu != thread_cpu())
        schedule();
    return 0;
}

/* Walks every thread (debug dump); @fn runs under threads_lock. */
void thread_for_each(void (*fn)(const struct thread *t, void *arg), void *arg)
{
    unsigned long flags = spin_lock_irqsave(&threads_lock);
    struct list_node *n;

    if (!all_threads.next)
        list_init(&all_threads);
    list_for_each (n, &all_threads)
        fn(list_entry(n, struct thread, all_node), arg);
    spin_unlock_irqrestore(&threads_lock, flags);
}

/*
 * The crash report's walk.  The crashing thread may hold threads_lock (or
 * another vCPU may, and be stopped for good), so the lock is only tried for
 * a while; without it the list is walked anyway, at most @max entries, and
 * the caller is told so.  Returns whether the lock was held.
 */
bool thread_for_each_at_crash(void (*fn)(const struct thread *t, void *arg), void *arg,
                              unsigned int max)
{
    bool locked = false;
    struct list_node *n;

    for (int tries = 0; tries < 100000 && !locked; tries++) {
        locked = spin_trylock(&threads_lock);
        if (!locked)
            cpu_relax();
    }
    if (all_threads.next) {
        for (n = all_threads.next; n != &all_threads && max; n = n->next, max--)
            fn(list_entry(n, struct thread, all_node), arg);
    }
    if (locked)
        spin_unlock(&threads_lock);
    return locked;
}

void **thread_libc_slot(struct thread *t)
{
    return &t->libc_data;
}
