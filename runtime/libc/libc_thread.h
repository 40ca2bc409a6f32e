/* Per-thread state of the C library glue and the POSIX threads layer. */
#ifndef LIBC_THREAD_H
#define LIBC_THREAD_H

#include <reent.h>
#include <signal.h>
#include <stdbool.h>

/* Shared by the glue's files only: not for applications. */
#pragma GCC visibility push(hidden)

#define LIBC_KEYS_MAX 64

struct thread;

struct libc_thread {
    struct _reent *reent; /* NULL for the main thread (it uses _impure_ptr) */
    void *key_values[LIBC_KEYS_MAX];
    unsigned long key_generations[LIBC_KEYS_MAX]; /* of the key each value was set for */
    bool detached;                                /* pthread_detach() was called */
    sigset_t sigmask;                             /* pthread_sigmask(): kept, see signals.c */
    struct sigaction actions[NSIG];               /* what sigaction() set, see signals.c */
};

/* @t's state; created on first use if @create.  NULL if there is none (or no memory). */
struct libc_thread *libc_thread_of(struct thread *t, bool create);

/* Runs the thread-specific-data destructors (runtime/pthread/pthread_key.c). */
void pthread_run_key_destructors(struct libc_thread *lt);

/*
 * newlib's _reclaim_reent(), which frees what a thread's struct _reent holds
 * from malloc: set by sbrk() (sbrk.c) when the heap first grows, so that
 * only a program that links malloc links it (and the heap behind it).
 * NULL: nothing was ever allocated, there is nothing to free.
 */
extern void (*libc_reclaim_reent)(struct _reent *r);

/* The thread main() runs in: it uses newlib's global struct _reent. */
void libc_set_main_thread(struct thread *t);

#pragma GCC visibility pop

#endif /* LIBC_THREAD_H */
