/*
 * lwIP's OS layer types for minios (runtime/net/sys_arch.c): semaphores
 * and mutexes are the kernel's, a mailbox is a bounded queue of pointers
 * with a lock and two wait queues, a thread is a kernel thread.
 */
#ifndef MINIOS_LWIP_ARCH_SYS_ARCH_H
#define MINIOS_LWIP_ARCH_SYS_ARCH_H

#include <stdbool.h>
#include <minios/sync.h>
#include <minios/thread.h>

typedef struct {
    struct semaphore sem;
    bool valid;
} sys_sem_t;

typedef struct {
    struct mutex mutex;
    bool valid;
} sys_mutex_t;

struct sys_mbox;
typedef struct sys_mbox *sys_mbox_t; /* NULL: not valid */

typedef struct thread *sys_thread_t;

/* SYS_ARCH_PROTECT's level: nothing to restore (the lock is recursive). */
typedef int sys_prot_t;

#define sys_sem_valid(s)         ((s)->valid)
#define sys_sem_set_invalid(s)   ((s)->valid = false)
#define sys_mutex_valid(m)       ((m)->valid)
#define sys_mutex_set_invalid(m) ((m)->valid = false)
#define sys_mbox_valid(b)        (*(b) != NULL)
#define sys_mbox_set_invalid(b)  (*(b) = NULL)

#endif /* MINIOS_LWIP_ARCH_SYS_ARCH_H */
