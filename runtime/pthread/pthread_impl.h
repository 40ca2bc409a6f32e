/*
 * The kernel objects inside the POSIX types.  <sys/_pthreadtypes.h> may not
 * include kernel headers (every C program includes it), so it holds them as
 * opaque storage; the checks here keep that storage as large and as aligned
 * as the structures of <minios/sync.h> and <minios/thread.h> (<semaphore.h>
 * holds a struct semaphore the same way).
 */
#ifndef RUNTIME_PTHREAD_IMPL_H
#define RUNTIME_PTHREAD_IMPL_H

#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <time.h>

#include <minios/compiler.h>
#include <minios/sync.h>
#include <minios/thread.h>

#define PTHREAD_STORAGE_FITS(type, field, kstruct)                                                 \
    STATIC_ASSERT(sizeof(((type *)0)->field) == sizeof(kstruct) &&                                 \
                      _Alignof(kstruct) <= _Alignof(unsigned long),                                \
                  #type "." #field " does not hold a " #kstruct)

PTHREAD_STORAGE_FITS(pthread_mutex_t, __minios_mutex, struct mutex);
PTHREAD_STORAGE_FITS(pthread_cond_t, __minios_condvar, struct condvar);
PTHREAD_STORAGE_FITS(pthread_rwlock_t, __minios_mutex, struct mutex);
PTHREAD_STORAGE_FITS(pthread_rwlock_t, __minios_condvar, struct condvar);
PTHREAD_STORAGE_FITS(pthread_barrier_t, __minios_mutex, struct mutex);
PTHREAD_STORAGE_FITS(pthread_barrier_t, __minios_condvar, struct condvar);
PTHREAD_STORAGE_FITS(sem_t, __minios_semaphore, struct semaphore);

/* The pthread_t of a kernel thread, and back: the same object. */
static inline pthread_t pthread_of(struct thread *t)
{
    return (pthread_t)t;
}

static inline struct thread *thread_of(pthread_t t)
{
    return (struct thread *)t;
}

#pragma GCC visibility push(hidden)

/*
 * The kernel's monotonic deadline for an absolute time on @clock
 * (CLOCK_REALTIME or CLOCK_MONOTONIC).  EINVAL for a malformed time.
 */
int pthread_deadline_of(const struct timespec *abstime, clockid_t clock, uint64_t *deadline);

#pragma GCC visibility pop

/* The storage's fields are unsigned long arrays: (void *) keeps the casts quiet. */
#define KMUTEX(obj)     ((struct mutex *)(void *)(obj)->__minios_mutex)
#define KCONDVAR(obj)   ((struct condvar *)(void *)(obj)->__minios_condvar)
#define KSEMAPHORE(obj) ((struct semaphore *)(void *)(obj)->__minios_semaphore)

#endif /* RUNTIME_PTHREAD_IMPL_H */
