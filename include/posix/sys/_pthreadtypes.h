/*
 * The POSIX thread types, for minios (runtime/pthread/).  This file takes the
 * place of newlib's <sys/_pthreadtypes.h>, which <sys/types.h> includes:
 * newlib's types are handles for another system's implementation, ours are
 * the minios objects themselves.  The functions are in <pthread.h>.
 */
#ifndef _SYS__PTHREADTYPES_H_
#define _SYS__PTHREADTYPES_H_

#include <stddef.h>
#include <sys/_types.h>
#include <minios/sync.h>

struct thread;

typedef struct thread *pthread_t;

typedef struct {
    size_t stacksize;
    int detachstate;
    int cpu; /* PTHREAD_ANY_CPU_NP or a vCPU */
    int initialised;
} pthread_attr_t;

typedef struct {
    struct mutex m;
    int type;
} pthread_mutex_t;

typedef struct {
    int type;
} pthread_mutexattr_t;

typedef struct {
    struct condvar c;
    __clockid_t clock;
} pthread_cond_t;

typedef struct {
    __clockid_t clock;
} pthread_condattr_t;

typedef struct {
    int state; /* 0 not run, 1 running, 2 done */
} pthread_once_t;

typedef unsigned int pthread_key_t;

#endif /* _SYS__PTHREADTYPES_H_ */
