/*
 * Per-thread hooks of the application's runtime (runtime/libc/reent.c, which
 * defines them): it keeps its per-thread state in the thread's libc slot.
 * The kernel calls up into the runtime only here and through
 * <kernel/app.h> (docs/layout.md).
 */
#ifndef KERNEL_THREAD_HOOKS_H
#define KERNEL_THREAD_HOOKS_H

struct thread;

/* The runtime defines these for the kernel alone: never an application's. */
#pragma GCC visibility push(hidden)

/* The thread is about to exit (still running, on its own stack). */
void thread_hooks_exit(struct thread *t);

/* The thread's memory is about to be freed (called on another thread). */
void thread_hooks_free(struct thread *t);

#pragma GCC visibility pop

#endif /* KERNEL_THREAD_HOOKS_H */
