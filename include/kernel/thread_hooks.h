/*
 * Per-thread hooks for the C library glue (runtime/libc/): it keeps its
 * per-thread state in thread->libc_data.  Weak defaults do nothing, so the
 * kernel links without the C library.
 */
#ifndef KERNEL_THREAD_HOOKS_H
#define KERNEL_THREAD_HOOKS_H

struct thread;

/* The thread is about to exit (still running, on its own stack). */
void thread_hooks_exit(struct thread *t);

/* The thread's memory is about to be freed (called on another thread). */
void thread_hooks_free(struct thread *t);

#endif /* KERNEL_THREAD_HOOKS_H */
