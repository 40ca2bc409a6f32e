/*
 * lwIP's OS layer on minios threads (lwIP's doc/sys_arch.txt names the
 * contract; the code is ours).  Time is monotonic milliseconds; timeouts
 * are in milliseconds with 0 meaning "forever"; the wait functions return
 * the milliseconds they waited, or SYS_ARCH_TIMEOUT.
 */
#include <lwip/opt.h>
#include <lwip/err.h>
#include <lwip/sys.h>
#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/spinlock.h>
#include <minios/sync.h>
#include <minios/thread.h>
#include <minios/time.h>

struct sys_mbox {
    spinlock_t lock;
    unsigned int size, head, count;
    struct waitq not_empty, not_full;
    void *msgs[];
};

/* SYS_ARCH_PROTECT: short sections of lwIP's own bookkeeping; nestable. */
static struct mutex protect_lock = {NULL, 0, true, WAITQ_INIT(protect_lock.waiters)};

void sys_init(void)
{
}

u32_t sys_now(void)
{
    return (u32_t)(monotonic_ns() / NSEC_PER_MSEC);
}

sys_prot_t sys_arch_protect(void)
{
    mutex_lock(&protect_lock);
    return 0;
}

void sys_arch_unprotect(sys_prot_t level)
{
    (void)level;
    mutex_unlock(&protect_lock);
}

/* A deadline @ms from now (0: none), and the milliseconds since @start. */
static uint64_t deadline_ms(u32_t ms)
{
    return ms ? monotonic_ns() + (uint64_t)ms * NSEC_PER_MSEC : NO_DEADLINE;
}

static u32_t waited_ms(uint64_t start)
{
    return (u32_t)((monotonic_ns() - start) / NSEC_PER_MSEC);
}

/* ---- Semaphores and mutexes ------------------------------------------------ */

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
    semaphore_init(&sem->sem, count);
    sem->valid = true;
    return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
    sem->valid = false;
}

void sys_sem_signal(sys_sem_t *sem)
{
    semaphore_up(&sem->sem);
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
    uint64_t start = monotonic_ns();

    if (!semaphore_down_until(&sem->sem, deadline_ms(timeout)))
        return SYS_ARCH_TIMEOUT;
    return waited_ms(start);
}

err_t sys_mutex_new(sys_mutex_t *m)
{
    mutex_init(&m->mutex, false);
    m->valid = true;
    return ERR_OK;
}

void sys_mutex_free(sys_mutex_t *m)
{
    m->valid = false;
}

void sys_mutex_lock(sys_mutex_t *m)
{
    mutex_lock(&m->mutex);
}

void sys_mutex_unlock(sys_mutex_t *m)
{
    mutex_unlock(&m->mutex);
}

/* ---- Mailboxes ------------------------------------------------------------- */

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
    struct sys_mbox *b;

    if (size <= 0)
        size = 32;
    b = kcalloc(1, sizeof(*b) + (size_t)size * sizeof(void *));
    if (!b)
        return ERR_MEM;
    b->size = (unsigned int)size;
    waitq_init(&b->not_empty);
    waitq_init(&b->not_full);
    *mbox = b;
    return ERR_OK;
}

void sys_mbox_free(sys_mbox_t *mbox)
{
    kfree(*mbox);
    *mbox = NULL;
}

static bool has_room(void *arg)
{
    struct sys_mbox *b = arg;

    return __atomic_load_n(&b->count, __ATOMIC_ACQUIRE) < b->size;
}

static bool has_msg(void *arg)
{
    struct sys_mbox *b = arg;

    return __atomic_load_n(&b->count, __ATOMIC_ACQUIRE) > 0;
}

/* Puts @msg in if there is room: true if it did. */
static bool put(struct sys_mbox *b, void *msg)
{
    unsigned long flags = spin_lock_irqsave(&b->lock);
    bool ok = b->count < b->size;

    if (ok) {
        b->msgs[(b->head + b->count) % b->size] = msg;
        __atomic_store_n(&b->count, b->count + 1, __ATOMIC_RELEASE);
    }
    spin_unlock_irqrestore(&b->lock, flags);
    if (ok)
        waitq_wake_one(&b->not_empty);
    return ok;
}

static bool take(struct sys_mbox *b, void **msg)
{
    unsigned long flags = spin_lock_irqsave(&b->lock);
    bool ok = b->count > 0;

    if (ok) {
        void *m = b->msgs[b->head];

        if (msg)
            *msg = m;
        b->head = (b->head + 1) % b->size;
        __atomic_store_n(&b->count, b->count - 1, __ATOMIC_RELEASE);
    }
    spin_unlock_irqrestore(&b->lock, flags);
    if (ok)
        waitq_wake_one(&b->not_full);
    return ok;
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
    while (!put(*mbox, msg))
        waitq_wait(&(*mbox)->not_full, has_room, *mbox, NO_DEADLINE);
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
    return put(*mbox, msg) ? ERR_OK : ERR_MEM;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
    return sys_mbox_trypost(mbox, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout)
{
    uint64_t start = monotonic_ns(), deadline = deadline_ms(timeout);

    while (!take(*mbox, msg)) {
        if (!waitq_wait(&(*mbox)->not_empty, has_msg, *mbox, deadline) && deadline != NO_DEADLINE &&
            monotonic_ns() >= deadline)
            return SYS_ARCH_TIMEOUT;
    }
    return waited_ms(start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
    return take(*mbox, msg) ? 0 : SYS_MBOX_EMPTY;
}

/* ---- Threads ------------------------------------------------------------- */

struct start {
    lwip_thread_fn fn;
    void *arg;
};

static void *thread_main(void *arg)
{
    struct start s = *(struct start *)arg;

    kfree(arg);
    s.fn(s.arg);
    return NULL;
}

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg, int stacksize, int prio)
{
    struct thread_attr attr = THREAD_ATTR_DEFAULT;
    struct start *s = kmalloc(sizeof(*s));
    struct thread *t;

    (void)prio; /* one priority: the scheduler is cooperative and fair */
    if (!s)
        panic("lwIP: no memory for thread %s", name);
    s->fn = fn;
    s->arg = arg;
    attr.name = name;
    attr.stack_size = stacksize > 0 ? (size_t)stacksize : 0;
    attr.detached = true;
    t = thread_create(thread_main, s, &attr);
    if (!t)
        panic("lwIP: cannot create thread %s", name);
    return t;
}
