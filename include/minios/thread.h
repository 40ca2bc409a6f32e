/*
 * Threads.
 *
 * minios threads are scheduled cooperatively: a thread runs until it
 * blocks (on a lock, a wait queue, a sleep), yields, or exits.  All vCPUs
 * take threads from one shared run queue, so a thread may resume on a
 * different vCPU from the one it blocked on, unless it is pinned.  Each
 * thread has its own stack, with an unmapped guard page below it, and its
 * own FPU/SSE state.
 *
 * Event handlers are not threads: they may wake threads but never block.
 */
#ifndef MINIOS_THREAD_H
#define MINIOS_THREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <minios/compiler.h>

#pragma GCC visibility push(default)

struct thread;

#define THREAD_STACK_DEFAULT (64 * 1024)
#define THREAD_ANY_CPU       (-1)

struct thread_attr {
    const char *name;  /* copied; NULL: "thread" */
    size_t stack_size; /* 0: THREAD_STACK_DEFAULT */
    int cpu;           /* pin to this vCPU, or THREAD_ANY_CPU */
    bool detached;     /* resources freed at exit; cannot be joined */
};

#define THREAD_ATTR_DEFAULT ((struct thread_attr){NULL, 0, THREAD_ANY_CPU, false})

/*
 * Creates a runnable thread running fn(arg); NULL if memory is short or
 * @attr asks for a vCPU that does not exist.
 */
struct thread *thread_create(void *(*fn)(void *), void *arg, const struct thread_attr *attr);

/* Ends the calling thread; @result goes to thread_join(). */
void __noreturn thread_exit(void *result);

/*
 * Waits for @t to exit, stores its result in *@result (if not NULL) and
 * frees it.  Returns 0, or -1 if @t is detached or is the caller.
 */
int thread_join(struct thread *t, void **result);

/* @t's resources are freed when it exits; it can no longer be joined. */
void thread_detach(struct thread *t);

/* Lets every other runnable thread go first. */
void thread_yield(void);

/* Blocks the calling thread until monotonic_ns() >= @deadline. */
void thread_sleep_until(uint64_t deadline);
void thread_sleep_ns(uint64_t ns);

struct thread *thread_self(void);
const char *thread_name(const struct thread *t);
unsigned long thread_id(const struct thread *t);

/* The vCPU the calling thread is running on right now. */
unsigned int thread_cpu(void);

/*
 * Pins @t to @cpu (or THREAD_ANY_CPU to unpin).  Takes effect the next
 * time @t is scheduled; pinning the calling thread moves it at once.
 * Returns 0, or -1 for a vCPU that is not online.
 */
int thread_set_affinity(struct thread *t, int cpu);

/* Threads that exist (running, runnable, blocked), idle and kernel service threads excluded. */
unsigned int thread_count(void);

/* Threads waiting on the run queue for a vCPU. */
unsigned int sched_runnable_count(void);

/* Context switches done so far on all vCPUs. */
unsigned long sched_switch_count(void);

/*
 * Thread-local storage (_Thread_local, __thread): every thread has its own
 * copy, set up when it is created.  How a switch points the CPU at the next
 * thread's copy (its %fs base): "wrfsbase" (an instruction, when Xen and
 * the CPU allow it), "set_segment_base" (one hypercall), or "none" when the
 * image has no thread-local variables.
 */
const char *thread_tls_method(void);

/* Switches on vCPU @cpu that had to load another thread's TLS pointer. */
unsigned long thread_tls_loads_cpu(unsigned int cpu);

#pragma GCC visibility pop

#endif /* MINIOS_THREAD_H */
