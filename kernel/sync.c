/*
 * Wait queues, and the mutexes, semaphores and condition variables built
 * on them (see <minios/sync.h>).
 *
 * The one rule that prevents lost wake-ups: a waiter checks its condition
 * and enqueues itself, as blocked, under the queue's lock; a waker changes
 * the state the condition reads and then wakes under the same lock.  The
 * waiter may then sleep after dropping the lock: a wake that comes in
 * between only marks it runnable (kernel/sched.c), and schedule() returns.
 * Mutexes and semaphores keep their own state under their wait queue's
 * lock, so "check and take" is one step.
 */
#include <kernel/arch.h>
#include <kernel/sched.h>
#include <minios/kernel.h>
#include <minios/sync.h>
#include <minios/time.h>
#include <minios/timer.h>

struct waiter {
    struct list_node node;
    struct thread *thread;
};

void waitq_init(struct waitq *wq)
{
    wq->lock = (spinlock_t)SPINLOCK_INIT;
    list_init(&wq->waiters);
}

/*
 * An all-zero wait queue is a valid, empty one (so are the mutexes and
 * condition variables built on it): static initialisers such as
 * PTHREAD_MUTEX_INITIALIZER cannot name the object to point its list head
 * at itself.  The lock is held.
 */
static void lazy_init(struct waitq *wq)
{
    if (!wq->waiters.next)
        list_init(&wq->waiters);
}

static void wake_on_timeout(struct timer *timer, void *arg)
{
    (void)timer;
    thread_wake(arg);
}

bool waitq_wait(struct waitq *wq, bool (*cond)(void *arg), void *arg, uint64_t deadline)
{
    struct waiter w = {.thread = current_thread()};
    struct timer timer;
    bool ok;

    list_init(&w.node);
    timer_init(&timer, wake_on_timeout, w.thread);
    for (;;) {
        unsigned long flags = spin_lock_irqsave(&wq->lock);

        lazy_init(wq);
        if (!list_empty(&w.node))
            list_del(&w.node);
        ok = cond(arg);
        if (ok || (deadline != NO_DEADLINE && monotonic_ns() >= deadline)) {
            spin_unlock_irqrestore(&wq->lock, flags);
            break;
        }
        list_add_tail(&wq->waiters, &w.node);
        sched_prepare_block();
        spin_unlock_irqrestore(&wq->lock, flags);
        if (deadline != NO_DEADLINE)
            timer_arm(&timer, deadline);
        schedule();
    }
    timer_cancel(&timer);
    return ok;
}

/* Wakes the first waiter; the caller holds wq->lock. */
static bool wake_one_locked(struct waitq *wq)
{
    lazy_init(wq);
    if (list_empty(&wq->waiters))
        return false;
    struct waiter *w = list_first_entry(&wq->waiters, struct waiter, node);

    list_del(&w->node);
    thread_wake(w->thread);
    return true;
}

void waitq_wake_one(struct waitq *wq)
{
    unsigned long flags = spin_lock_irqsave(&wq->lock);

    wake_one_locked(wq);
    spin_unlock_irqrestore(&wq->lock, flags);
}

void waitq_wake_all(struct waitq *wq)
{
    unsigned long flags = spin_lock_irqsave(&wq->lock);

    while (wake_one_locked(wq))
        ;
    spin_unlock_irqrestore(&wq->lock, flags);
}

/* --- mutexes: owner and recursion live under waiters.lock --- */

void mutex_init(struct mutex *m, bool recursive)
{
    m->owner = NULL;
    m->recursion = 0;
    m->recursive = recursive;
    waitq_init(&m->waiters);
}

/* Runs under m->waiters.lock (as a waitq condition or directly). */
static bool mutex_take(void *arg)
{
    struct mutex *m = arg;
    struct thread *self = current_thread();

    if (!m->owner) {
        m->owner = self;
        arch_recovery_note_mutex(m, true);
        return true;
    }
    if (m->owner == self && m->recursive) {
        m->recursion++;
        arch_recovery_note_mutex(m, true);
        return true;
    }
    if (m->owner == self)
        panic("mutex %p: locked twice by thread %s (not a recursive mutex)", (void *)m, self->name);
    return false;
}

bool mutex_lock_until(struct mutex *m, uint64_t deadline)
{
    bool noted = thread_wait_begin(WAIT_MUTEX, m, deadline);
    bool ok = waitq_wait(&m->waiters, mutex_take, m, deadline);

    thread_wait_end(noted);
    return ok;
}

void mutex_lock(struct mutex *m)
{
    mutex_lock_until(m, NO_DEADLINE);
}

bool mutex_trylock(struct mutex *m)
{
    unsigned long flags = spin_lock_irqsave(&m->waiters.lock);
    bool ok = !m->owner || (m->owner == current_thread() && m->recursive);

    if (ok)
        mutex_take(m);
    spin_unlock_irqrestore(&m->waiters.lock, flags);
    return ok;
}

void mutex_unlock(struct mutex *m)
{
    unsigned long flags = spin_lock_irqsave(&m->waiters.lock);

    if (m->owner != current_thread())
        panic("mutex %p: unlocked by thread %s, which does not own it", (void *)m,
              current_thread()->name);
    arch_recovery_note_mutex(m, false);
    if (m->recursion) {
        m->recursion--;
    } else {
        m->owner = NULL;
        wake_one_locked(&m->waiters);
    }
    spin_unlock_irqrestore(&m->waiters.lock, flags);
}

bool mutex_release_abandoned(struct mutex *m, const struct thread *holder)
{
    unsigned long flags = spin_lock_irqsave(&m->waiters.lock);
    bool owned = m->owner == holder;

    if (owned && m->recursion) {
        m->recursion--;
    } else if (owned) {
        m->owner = NULL;
        wake_one_locked(&m->waiters);
    }
    spin_unlock_irqrestore(&m->waiters.lock, flags);
    return owned;
}

bool mutex_is_free(struct mutex *m)
{
    unsigned long flags = spin_lock_irqsave(&m->waiters.lock);
    bool free;

    lazy_init(&m->waiters);
    free = !m->owner && list_empty(&m->waiters.waiters);
    spin_unlock_irqrestore(&m->waiters.lock, flags);
    return free;
}

bool mutex_owned_by_me(const struct mutex *m)
{
    return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == current_thread();
}

/* --- semaphores: count lives under waiters.lock --- */

void semaphore_init(struct semaphore *s, long count)
{
    s->count = count;
    waitq_init(&s->waiters);
}

static bool semaphore_take(void *arg)
{
    struct semaphore *s = arg;

    if (s->count > 0) {
        s->count--;
        return true;
    }
    return false;
}

bool semaphore_down_until(struct semaphore *s, uint64_t deadline)
{
    bool noted = thread_wait_begin(WAIT_SEMAPHORE, s, deadline);
    bool ok = waitq_wait(&s->waiters, semaphore_take, s, deadline);

    thread_wait_end(noted);
    return ok;
}

void semaphore_down(struct semaphore *s)
{
    semaphore_down_until(s, NO_DEADLINE);
}

bool semaphore_trydown(struct semaphore *s)
{
    unsigned long flags = spin_lock_irqsave(&s->waiters.lock);
    bool ok = semaphore_take(s);

    spin_unlock_irqrestore(&s->waiters.lock, flags);
    return ok;
}

void semaphore_up(struct semaphore *s)
{
    unsigned long flags = spin_lock_irqsave(&s->waiters.lock);

    s->count++;
    wake_one_locked(&s->waiters);
    spin_unlock_irqrestore(&s->waiters.lock, flags);
}

/* --- condition variables: a generation count, bumped by each signal --- */

void condvar_init(struct condvar *c)
{
    c->generation = 0;
    waitq_init(&c->waiters);
}

struct generation_wait {
    struct condvar *c;
    unsigned long seen;
};

static bool generation_moved(void *arg)
{
    struct generation_wait *g = arg;

    return g->c->generation != g->seen;
}

bool condvar_wait_until(struct condvar *c, struct mutex *m, uint64_t deadline)
{
    unsigned long flags = spin_lock_irqsave(&c->waiters.lock);
    struct generation_wait g = {c, c->generation};
    bool signalled;

    spin_unlock_irqrestore(&c->waiters.lock, flags);
    /* A signal between here and the wait moves the generation: not lost. */
    mutex_unlock(m);
    bool noted = thread_wait_begin(WAIT_CONDVAR, c, deadline);
    signalled = waitq_wait(&c->waiters, generation_moved, &g, deadline);
    thread_wait_end(noted);
    mutex_lock(m);
    return signalled;
}

void condvar_wait(struct condvar *c, struct mutex *m)
{
    condvar_wait_until(c, m, NO_DEADLINE);
}

void condvar_signal(struct condvar *c)
{
    unsigned long flags = spin_lock_irqsave(&c->waiters.lock);

    c->generation++;
    wake_one_locked(&c->waiters);
    spin_unlock_irqrestore(&c->waiters.lock, flags);
}

void condvar_broadcast(struct condvar *c)
{
    unsigned long flags = spin_lock_irqsave(&c->waiters.lock);

    c->generation++;
    while (wake_one_locked(&c->waiters))
        ;
    spin_unlock_irqrestore(&c->waiters.lock, flags);
}
