/*
 * POSIX unnamed semaphores on minios's counting semaphores
 * (runtime/pthread/sem.c).  Named semaphores (sem_open) are not provided:
 * there is no file system to name them in.  Errors set errno and return -1.
 * Like every header an application gets from the C library, this one
 * defines only POSIX names and names reserved to the implementation.
 */
#ifndef MINIOS_POSIX_SEMAPHORE_H
#define MINIOS_POSIX_SEMAPHORE_H

#include <limits.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

#ifndef SEM_VALUE_MAX
#define SEM_VALUE_MAX INT_MAX
#endif

/* A struct semaphore of <minios/sync.h> (runtime/pthread/pthread_impl.h checks the size). */
typedef struct {
    unsigned long __minios_semaphore[4];
} sem_t;

int sem_init(sem_t *sem, int pshared, unsigned int value);
int sem_destroy(sem_t *sem);
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem);
int sem_timedwait(sem_t *sem, const struct timespec *abstime);
int sem_post(sem_t *sem);
int sem_getvalue(sem_t *sem, int *value);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* MINIOS_POSIX_SEMAPHORE_H */
