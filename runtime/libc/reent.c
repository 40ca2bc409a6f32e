/*
 * Per-thread C library state (the start and the end: start.c).
 *
 * newlib is built with __DYNAMIC_REENT__: errno, stdin/stdout/stderr and
 * the rest of its per-thread state live in the struct _reent that
 * __getreent() returns.  The main thread uses newlib's global one
 * (_impure_ptr), which exit() flushes; every other thread gets its own on
 * first use, flushed and freed when the thread exits.
 *
 * Exiting (exit() from any thread, main's return, the last thread ending)
 * runs the atexit handlers and then flushes every thread's streams, each
 * one whose lock is free (runtime/libc/exit.c).
 */
#include <reent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/libc_glue.h>
#include <kernel/thread_hooks.h>
#include <minios/mm.h>
#include <minios/thread.h>

#include "libc_thread.h"

static struct thread *main_thread;

struct libc_thread *libc_thread_of(struct thread *t, bool create)
{
    void **slot = thread_libc_slot(t);

    if (!*slot && create) {
        struct libc_thread *lt = kcalloc(1, sizeof(*lt));

        if (!lt)
            return NULL;
        if (t != main_thread) {
            lt->reent = kmalloc(sizeof(*lt->reent));
            if (!lt->reent) {
                kfree(lt);
                return NULL;
            }
            _REENT_INIT_PTR(lt->reent);
        }
        *slot = lt;
    }
    return *slot;
}

struct _reent *__getreent(void)
{
    struct thread *self = thread_self();
    struct libc_thread *lt;

    if (self == main_thread || !main_thread)
        return _impure_ptr;
    lt = libc_thread_of(self, true);
    /* Out of memory for a thread's state: fall back to the shared one. */
    return lt && lt->reent ? lt->reent : _impure_ptr;
}

void thread_hooks_exit(struct thread *t)
{
    struct libc_thread *lt = libc_thread_of(t, false);

    if (!lt)
        return;
    pthread_run_key_destructors(lt);
    if (lt->reent) {
        void (*reclaim)(struct _reent *) = __atomic_load_n(&libc_reclaim_reent, __ATOMIC_ACQUIRE);

        if (reclaim)
            reclaim(lt->reent); /* frees what newlib allocated for this thread */
        kfree(lt->reent);
        lt->reent = NULL;
    }
}

void thread_hooks_free(struct thread *t)
{
    void **slot = thread_libc_slot(t);

    kfree(*slot);
    *slot = NULL;
}

void libc_set_main_thread(struct thread *t)
{
    main_thread = t;
}
