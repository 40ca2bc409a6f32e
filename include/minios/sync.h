/*
 * Synchronisation between threads: wait queues, mutexes, semaphores and
 * condition variables.  All of them sleep (the waiting thread blocks and
 * its vCPU runs something else); none may be used to wait from an event
 * handler, but an event handler may wake a wait queue or post a semaphore.
 *
 * Deadlines are absolute monotonic_ns() times; UINT64_MAX waits forever.
 */
#ifndef MINIOS_SYNC_H
#define MINIOS_SYNC_H

#include <stdbool.h>
#include <stdint.h>
#include <minios/list.h>
#include <minios/spinlock.h>

#pragma GCC visibility push(default)

#define NO_DEADLINE UINT64_MAX

/* --- wait queues: the primitive the others are built on --- */

struct waitq {
    spinlock_t lock;
    struct list_node waiters;
};

/* clang-format off */
#define WAITQ_INIT(name) { SPINLOCK_INIT, LIST_HEAD_INIT((name).waiters) }
/* clang-format on */

/* All-zero is also a valid empty queue (and an unlocked mutex, a condvar at rest). */
/* clang-format off */
#define WAITQ_ZERO { SPINLOCK_INIT, { 0, 0 } }
/* clang-format on */

void waitq_init(struct waitq *wq);

/*
 * Blocks until @cond(@arg) is true (checked under the queue's lock, so a
 * waker that makes it true and then calls waitq_wake_*() is never missed)
 * or @deadline passes.  Returns true if the condition held.
 */
bool waitq_wait(struct waitq *wq, bool (*cond)(void *arg), void *arg, uint64_t deadline);

/* Wakes one waiter / every waiter.  Safe from event handlers. */
void waitq_wake_one(struct waitq *wq);
void waitq_wake_all(struct waitq *wq);

/* --- mutexes --- */

struct thread;

struct mutex {
    struct thread *owner;   /* owner and recursion live under waiters.lock */
    unsigned int recursion; /* extra acquisitions by the owner */
    bool recursive;
    struct waitq waiters;
};

/* clang-format off */
#define MUTEX_INIT(name) { NULL, 0, false, WAITQ_INIT((name).waiters) }
/* clang-format on */

void mutex_init(struct mutex *m, bool recursive);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
/* Returns false if @deadline passed first. */
bool mutex_lock_until(struct mutex *m, uint64_t deadline);
void mutex_unlock(struct mutex *m);
bool mutex_owned_by_me(const struct mutex *m);
/* Nobody holds it and nobody waits for it. */
bool mutex_is_free(struct mutex *m);

/* --- counting semaphores --- */

struct semaphore {
    long count; /* under waiters.lock */
    struct waitq waiters;
};

void semaphore_init(struct semaphore *s, long count);
void semaphore_down(struct semaphore *s);
bool semaphore_down_until(struct semaphore *s, uint64_t deadline);
bool semaphore_trydown(struct semaphore *s);
void semaphore_up(struct semaphore *s); /* safe from event handlers */

/* --- condition variables (used with a mutex) --- */

struct condvar {
    unsigned long generation; /* bumped by every signal/broadcast, under waiters.lock */
    struct waitq waiters;
};

void condvar_init(struct condvar *c);

/*
 * Releases @m, sleeps until signalled or @deadline, re-acquires @m.
 * Returns false on timeout.  As with POSIX, wake-ups may be spurious:
 * re-check the predicate.
 */
bool condvar_wait_until(struct condvar *c, struct mutex *m, uint64_t deadline);
void condvar_wait(struct condvar *c, struct mutex *m);
void condvar_signal(struct condvar *c);
void condvar_broadcast(struct condvar *c);

#pragma GCC visibility pop

#endif /* MINIOS_SYNC_H */
