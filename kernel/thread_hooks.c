/* Default per-thread hooks: nothing (see include/kernel/thread_hooks.h). */
#include <kernel/thread_hooks.h>
#include <minios/compiler.h>

__weak void thread_hooks_exit(struct thread *t)
{
    (void)t;
}

__weak void thread_hooks_free(struct thread *t)
{
    (void)t;
}
