/*
 * Threads and the scheduler, from the kernel's side (kernel/sched.c,
 * kernel/thread.c).  The public API is <minios/thread.h>.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <minios/list.h>
#include <minios/sync.h>
#include <minios/thread.h>

enum thread_state {
    THREAD_RUNNABLE, /* on the run queue, or about to be */
    THREAD_RUNNING,  /* current on some vCPU */
    THREAD_BLOCKED,  /* waiting to be woken */
    THREAD_EXITED,   /* finished; waiting to be joined or reaped */
};

/*
 * What a blocked thread waits for, noted by the primitive it sleeps in, for
 * the state dump (kernel/thread_dump.c): with the owner of a mutex, a
 * deadlock shows as a cycle.
 */
enum wait_kind {
    WAIT_NONE,      /* not noted (a plain wait queue) */
    WAIT_MUTEX,     /* wait_obj: the struct mutex */
    WAIT_CONDVAR,   /* the struct condvar */
    WAIT_SEMAPHORE, /* the struct semaphore */
    WAIT_SLEEP,     /* until wait_deadline */
    WAIT_JOIN,      /* the struct thread being joined */
    WAIT_CONSOLE_INPUT,
    WAIT_XENSTORE_REPLY, /* the request's struct (drivers/xenstore/xenstore.c) */
};

/* Saved FPU/SSE registers (FXSAVE layout). */
struct fpu_state {
    uint8_t bytes[512];
} __aligned(16);

struct thread {
    unsigned long rsp; /* saved stack pointer while switched out */
    struct fpu_state fpu;
    enum thread_state state; /* under the run-queue lock */
    bool on_cpu;             /* still on a vCPU's stack (until the switch completes) */
    bool idle;               /* a vCPU's idle thread: never queued */
    bool detached;
    bool daemon;      /* a kernel service: not counted in live threads */
    bool reaped;      /* off its stack for good (thread_reap ran) */
    int affinity;     /* THREAD_ANY_CPU or a vCPU */
    unsigned int cpu; /* the vCPU it runs or last ran on */
    unsigned long id;
    char name[24];
    void *stack;           /* lowest address; NULL for the boot stack */
    size_t stack_size;     /* of the mapping: the stack, and TLS above it */
    unsigned long fs_base; /* its TLS (the thread pointer); 0: none, leave %fs be */
    void *(*fn)(void *);
    void *arg;
    void *result;
    struct list_node run_node; /* in the run queue while runnable */
    struct list_node all_node; /* in the list of all threads */
    struct waitq join_wait;
    void *libc_data; /* the C library's per-thread state */
    /* Written by the thread itself around a wait; read racily by the dump. */
    enum wait_kind wait_kind;
    const void *wait_obj;
    uint64_t wait_deadline; /* NO_DEADLINE if none */
};

/*
 * Notes what the calling thread is about to wait for, unless an outer wait
 * is noted already (a xenstore reply is a semaphore inside: the reply is
 * what matters).  Returns whether it noted; pass that to thread_wait_end().
 */
bool thread_wait_begin(enum wait_kind kind, const void *obj, uint64_t deadline);
void thread_wait_end(bool noted);

/*
 * Releases one acquisition of @m by @holder, a test's thread that a fault
 * or its watchdog ended while it held @m (kernel/testing.c): as
 * mutex_unlock() would, waking a waiter.  False if @holder does not own
 * it (released meanwhile).
 */
struct mutex;
bool mutex_release_abandoned(struct mutex *m, const struct thread *holder);

/* Prints every thread: state, what it waits for, mutex owners, deadlock
 * cycles, and a backtrace of each one that is switched out. */
void thread_dump_all(void);

/* The same, as the last part of a crash report (kernel/panic.c). */
void thread_dump_at_crash(void);

/* Sets up the scheduler; the calling context becomes vCPU 0's idle thread. */
void sched_init(void);

/* Makes the calling context @cpu's idle thread (secondary vCPUs). */
void sched_init_cpu(void);

/* Runs threads on this vCPU forever, blocking it when there is nothing to do. */
void __noreturn sched_idle_loop(void);

/* Gives up the vCPU; returns when this thread is chosen again. */
void schedule(void);

/* Marks the calling thread blocked: the next schedule() will not come back until woken. */
void sched_prepare_block(void);

/* Marks the calling thread exited: its next schedule() is its last. */
void sched_mark_exited(void);

/*
 * A kernel service thread (the xenstore reader, ...): detached, and not
 * counted as a live thread, so the program still ends when its last own
 * thread exits (and thread_count() leaves it out).
 */
struct thread *kthread_create(void *(*fn)(void *), void *arg, const char *name);

/* Queues a newly created thread. */
void sched_start_thread(struct thread *t);

/* Called in finish_switch() for a thread that has exited (kernel/thread.c). */
void thread_reap(struct thread *t);

/* Calls @fn for every thread that is not an idle thread. */
/*
 * The same for the crash report: takes the threads' lock only if it comes
 * soon, visits at most @max threads; returns whether it had the lock.
 */
bool thread_for_each_at_crash(void (*fn)(const struct thread *t, void *arg), void *arg,
                              unsigned int max);

/* Calls @fn for every thread that is not an idle thread. */
void thread_for_each(void (*fn)(const struct thread *t, void *arg), void *arg);

/* Makes @t runnable if it is blocked (safe from event handlers). */
void thread_wake(struct thread *t);

struct thread *current_thread(void);

/* vCPUs with nothing to run: the ones worth a reschedule IPI. */
uint64_t sched_idle_mask(void);

/* Runnable threads waiting for a vCPU (debug dump, tests). */
unsigned int sched_runnable_count(void);

/* Where a new thread's life begins (called from arch code). */
void __noreturn sched_enter_new_thread(struct thread *prev);

#endif /* KERNEL_SCHED_H */
