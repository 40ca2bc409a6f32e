/*
 * Every thread in the state dump (VIRQ_DEBUG, which the harness asks Xen
 * for when a run hangs): its state, what it waits for (noted by the
 * primitive it sleeps in, kernel/sync.c and friends), the owner of a mutex
 * it waits for, and a backtrace of each thread that is switched out.  A
 * chain of "waits for a mutex held by" that comes back to where it started
 * is printed as a deadlock.  The dump runs in an event handler while the
 * threads it describes may run on other vCPUs: it reads their notes
 * racily and reads memory through the fault-fixup probes where a stale
 * pointer could lead.
 */
#include <kernel/arch.h>
#include <kernel/sched.h>
#include <minios/console.h>
#include <minios/probe.h>
#include <minios/time.h>

#define MAX_CHAIN 16

bool thread_wait_begin(enum wait_kind kind, const void *obj, uint64_t deadline)
{
    struct thread *self = current_thread();

    if (!self || self->wait_kind != WAIT_NONE)
        return false;
    self->wait_obj = obj;
    self->wait_deadline = deadline;
    __atomic_store_n(&self->wait_kind, kind, __ATOMIC_RELEASE);
    return true;
}

void thread_wait_end(bool noted)
{
    if (noted)
        __atomic_store_n(&current_thread()->wait_kind, WAIT_NONE, __ATOMIC_RELEASE);
}

static const char *state_name(const struct thread *t)
{
    switch (t->state) {
    case THREAD_RUNNABLE:
        return "runnable";
    case THREAD_RUNNING:
        return "running";
    case THREAD_BLOCKED:
        return "blocked";
    case THREAD_EXITED:
        return "exited";
    }
    return "?";
}

static const char *wait_name(enum wait_kind kind)
{
    switch (kind) {
    case WAIT_NONE:
        return "a wait queue";
    case WAIT_MUTEX:
        return "mutex";
    case WAIT_CONDVAR:
        return "condition variable";
    case WAIT_SEMAPHORE:
        return "semaphore";
    case WAIT_SLEEP:
        return "sleep";
    case WAIT_JOIN:
        return "join of thread";
    case WAIT_CONSOLE_INPUT:
        return "console input";
    case WAIT_XENSTORE_REPLY:
        return "xenstore reply";
    }
    return "?";
}

/* The owner of the mutex @t waits for, or NULL (read through probes). */
static const struct thread *mutex_owner_of(const struct thread *t)
{
    uint64_t owner;

    if (__atomic_load_n(&t->wait_kind, __ATOMIC_ACQUIRE) != WAIT_MUTEX ||
        probe_read_u64(&((const struct mutex *)t->wait_obj)->owner, &owner).faulted)
        return NULL;
    return (const struct thread *)owner;
}

static bool readable_thread(const struct thread *t)
{
    uint64_t v;

    return t && !probe_read_u64(&t->wait_obj, &v).faulted;
}

static void print_wait(const struct thread *t)
{
    enum wait_kind kind = __atomic_load_n(&t->wait_kind, __ATOMIC_ACQUIRE);

    printk(": waits for %s", wait_name(kind));
    if (kind == WAIT_MUTEX) {
        const struct thread *owner = mutex_owner_of(t);

        printk(" %p", t->wait_obj);
        if (readable_thread(owner))
            printk(", held by thread %lu \"%s\"", owner->id, owner->name);
        else
            printk(", now free");
    } else if (kind == WAIT_JOIN) {
        const struct thread *j = t->wait_obj;

        if (readable_thread(j))
            printk(" %lu \"%s\"", j->id, j->name);
    } else if (kind != WAIT_SLEEP && kind != WAIT_CONSOLE_INPUT && kind != WAIT_NONE) {
        printk(" %p", t->wait_obj);
    }
    /* A plain wait queue's wait records no deadline: the field is an old wait's. */
    if (kind != WAIT_NONE && t->wait_deadline != NO_DEADLINE) {
        uint64_t now = monotonic_ns();

        printk(" (%s %llu ms)", t->wait_deadline > now ? "deadline in" : "deadline passed",
               (unsigned long long)((t->wait_deadline > now ? t->wait_deadline - now
                                                            : now - t->wait_deadline) /
                                    1000000));
    }
}

/*
 * Follows "waits for a mutex held by" from @t; if the chain comes back to
 * @t, prints it.  Each cycle is printed once, from its lowest thread id.
 */
static void print_cycle_from(const struct thread *t)
{
    const struct thread *chain[MAX_CHAIN];
    const struct thread *cur = t;
    int n = 0;

    while (n < MAX_CHAIN && readable_thread(cur)) {
        chain[n++] = cur;
        cur = mutex_owner_of(cur);
        if (cur == t)
            break;
        if (!cur)
            return;
    }
    if (cur != t)
        return;
    for (int i = 1; i < n; i++)
        if (chain[i]->id < t->id)
            return;
    printk("  DEADLOCK: ");
    for (int i = 0; i < n; i++)
        printk("thread %lu \"%s\" waits for mutex %p held by ", chain[i]->id, chain[i]->name,
               chain[i]->wait_obj);
    printk("thread %lu \"%s\"\n", t->id, t->name);
}

static void dump_one(const struct thread *t, void *arg)
{
    unsigned int *count = arg;

    (*count)++;
    printk("  thread %lu \"%s\" %s (vCPU %u)", t->id, t->name, state_name(t), t->cpu);
    if (t->state == THREAD_BLOCKED)
        print_wait(t);
    printk("\n");
    /* A thread on a vCPU has no saved frame; Xen's '0' dump shows where those are. */
    if (t->state != THREAD_RUNNING && !t->on_cpu && t->state != THREAD_EXITED)
        arch_thread_backtrace(t->rsp);
}

static void cycles_from(const struct thread *t, void *arg)
{
    (void)arg;
    if (t->state == THREAD_BLOCKED)
        print_cycle_from(t);
}

/* Every thread, so a crash read in a log shows what the others were doing. */
void thread_dump_at_crash(void)
{
    unsigned int count = 0;
    bool locked;

    printk("minios threads at the crash:\n");
    locked = thread_for_each_at_crash(dump_one, &count, 1024);
    printk("minios threads: %u listed%s\n", count,
           locked ? "" : " (read without the threads' lock, which stayed taken)");
}

void thread_dump_all(void)
{
    unsigned int count = 0;

    printk("minios threads:\n");
    thread_for_each(dump_one, &count);
    thread_for_each(cycles_from, NULL);
    printk("minios threads: %u listed\n", count);
}
