/*
 * POSIX threads on minios threads (runtime/pthread/).
 *
 * The subset minios implements: threads (create, join, detach, exit, self,
 * equal, with stack size and detach state attributes), mutexes (normal,
 * recursive, error-checking; timed), condition variables (CLOCK_REALTIME
 * by default, CLOCK_MONOTONIC through pthread_condattr_setclock), once,
 * thread-specific data with destructors, reader-writer locks, barriers, spin
 * locks, and sched_yield() (<sched.h>).
 * Errors are returned as POSIX says, never signalled.  Threads are
 * scheduled cooperatively across every vCPU (<minios/thread.h>);
 * pthread_setcpu_np() pins one to a vCPU.
 *
 * Like every header an application gets from the C library, this one defines
 * only POSIX names and names reserved to the implementation: none of the
 * kernel's (<minios/...> is there for a program that includes it).
 */
#ifndef MINIOS_POSIX_PTHREAD_H
#define MINIOS_POSIX_PTHREAD_H

#include <sched.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

#define PTHREAD_CREATE_JOINABLE       0
#define PTHREAD_CREATE_DETACHED       1
#define PTHREAD_STACK_MIN             16384
#define PTHREAD_KEYS_MAX              64
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#define PTHREAD_ANY_CPU_NP            (-1)

int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state);
/* minios: start the thread pinned to @cpu (PTHREAD_ANY_CPU_NP: not pinned). */
int pthread_attr_setcpu_np(pthread_attr_t *attr, int cpu);

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);
int pthread_join(pthread_t thread, void **result);
int pthread_detach(pthread_t thread);
void pthread_exit(void *result) __attribute__((__noreturn__));
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);
/* minios: pin @thread to vCPU @cpu (PTHREAD_ANY_CPU_NP to unpin). */
int pthread_setcpu_np(pthread_t thread, int cpu);

/* --- mutexes --- */

#define PTHREAD_MUTEX_NORMAL     0
#define PTHREAD_MUTEX_RECURSIVE  1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT    PTHREAD_MUTEX_NORMAL

/* All-zero: an unlocked normal mutex (see kernel/sync.c). */
/* clang-format off */
#define PTHREAD_MUTEX_INITIALIZER { { 0 }, PTHREAD_MUTEX_NORMAL }
/* clang-format on */

int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type);
int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime);
int pthread_mutex_unlock(pthread_mutex_t *m);

/* --- condition variables --- */

/* clang-format off */
#define PTHREAD_COND_INITIALIZER { { 0 }, CLOCK_REALTIME }
/* clang-format on */

int pthread_condattr_init(pthread_condattr_t *attr);
int pthread_condattr_destroy(pthread_condattr_t *attr);
int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock);
int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock);
int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);

/* --- once and thread-specific data --- */

/* clang-format off */
#define PTHREAD_ONCE_INIT { 0 }
/* clang-format on */

int pthread_once(pthread_once_t *once, void (*fn)(void));

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);
void *pthread_getspecific(pthread_key_t key);

/* --- reader-writer locks, barriers, spin locks --- */

/* One address space: process-shared and private are the same thing. */
#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED  1

/*
 * Readers are preferred, as in glibc: a reader gets the lock whenever no
 * writer holds it, so a thread may take a read lock it already holds.
 */
/* clang-format off */
#define PTHREAD_RWLOCK_INITIALIZER { { 0 }, { 0 }, 0, 0 }
/* clang-format on */

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr);
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr);
int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *attr, int pshared);
int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *attr, int *pshared);
int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr);
int pthread_rwlock_destroy(pthread_rwlock_t *rw);
int pthread_rwlock_rdlock(pthread_rwlock_t *rw);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw);
int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abstime);
int pthread_rwlock_wrlock(pthread_rwlock_t *rw);
int pthread_rwlock_trywrlock(pthread_rwlock_t *rw);
int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abstime);
int pthread_rwlock_unlock(pthread_rwlock_t *rw);

#define PTHREAD_BARRIER_SERIAL_THREAD (-1)

int pthread_barrierattr_init(pthread_barrierattr_t *attr);
int pthread_barrierattr_destroy(pthread_barrierattr_t *attr);
int pthread_barrierattr_setpshared(pthread_barrierattr_t *attr, int pshared);
int pthread_barrierattr_getpshared(const pthread_barrierattr_t *attr, int *pshared);
int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr,
                         unsigned int count);
int pthread_barrier_destroy(pthread_barrier_t *b);
int pthread_barrier_wait(pthread_barrier_t *b);

/*
 * Spin locks spin, but threads are scheduled cooperatively: a waiter yields
 * its vCPU between rounds, so the holder runs even on one vCPU.
 */
int pthread_spin_init(pthread_spinlock_t *s, int pshared);
int pthread_spin_destroy(pthread_spinlock_t *s);
int pthread_spin_lock(pthread_spinlock_t *s);
int pthread_spin_trylock(pthread_spinlock_t *s);
int pthread_spin_unlock(pthread_spinlock_t *s);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* MINIOS_POSIX_PTHREAD_H */
