/*
 * The POSIX thread types, for minios (runtime/pthread/).  This file takes the
 * place of newlib's <sys/_pthreadtypes.h>, which <sys/types.h> includes:
 * newlib's types are handles for another system's implementation, ours hold
 * the minios objects themselves.  The functions are in <pthread.h>.
 *
 * Every C program includes this file (through <stdio.h>), so it declares
 * nothing but the POSIX types and names reserved to the implementation
 * (__minios_*): the kernel objects are opaque storage here, as large and as
 * aligned as <minios/sync.h>'s structures, which runtime/pthread/pthread_impl.h
 * checks when the runtime is compiled.
 */
#ifndef _SYS__PTHREADTYPES_H_
#define _SYS__PTHREADTYPES_H_

#include <stddef.h>
#include <sys/_types.h>

/* A struct thread of <minios/thread.h>, for the runtime. */
typedef struct __minios_thread *pthread_t;

typedef struct {
    size_t stacksize;
    int detachstate;
    int cpu; /* PTHREAD_ANY_CPU_NP or a vCPU */
    int initialised;
} pthread_attr_t;

/* A struct mutex (all-zero: an unlocked normal mutex), then the POSIX type. */
typedef struct {
    unsigned long __minios_mutex[5];
    int __minios_type;
} pthread_mutex_t;

typedef struct {
    int __minios_type;
} pthread_mutexattr_t;

/* A struct condvar (all-zero: at rest), then the clock of timed waits. */
typedef struct {
    unsigned long __minios_condvar[4];
    __clockid_t __minios_clock;
} pthread_cond_t;

typedef struct {
    __clockid_t __minios_clock;
} pthread_condattr_t;

typedef struct {
    int __minios_state; /* 0 not run, 1 running, 2 done */
} pthread_once_t;

typedef unsigned int pthread_key_t;

/*
 * Reader-writer locks: a struct mutex guarding the state, a struct condvar
 * the blocked wait on, the writer holding it and the count of readers.
 */
typedef struct {
    unsigned long __minios_mutex[5];
    unsigned long __minios_condvar[4];
    pthread_t __minios_writer;
    unsigned int __minios_readers;
} pthread_rwlock_t;

typedef struct {
    int __minios_pshared;
} pthread_rwlockattr_t;

/*
 * Barriers: a struct mutex, a struct condvar, how many threads it waits for,
 * how many have arrived in this cycle, the cycle, and how many threads of
 * finished cycles have yet to leave the wait (destroy waits for them).
 */
typedef struct {
    unsigned long __minios_mutex[5];
    unsigned long __minios_condvar[4];
    unsigned int __minios_count;
    unsigned int __minios_arrived;
    unsigned int __minios_cycle;
    unsigned int __minios_leaving;
} pthread_barrier_t;

typedef struct {
    int __minios_pshared;
} pthread_barrierattr_t;

/* Spin locks: the holding thread's pthread_t, or 0. */
typedef unsigned long pthread_spinlock_t;

#endif /* _SYS__PTHREADTYPES_H_ */
