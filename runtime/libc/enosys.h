/*
 * The calls with nothing behind them in minios: each sets errno to ENOSYS
 * and returns -1 (or the type's -1, or NULL), never a silent success.
 * Parameters are named (they are declared) and marked unused.
 */
#ifndef RUNTIME_LIBC_ENOSYS_H
#define RUNTIME_LIBC_ENOSYS_H

#include <errno.h>

#define UNUSED __attribute__((unused))

/* ret name params { errno = ENOSYS; return (ret)-1; } */
#define ENOSYS_CALL(ret, name, params)                                                             \
    ret name params                                                                                \
    {                                                                                              \
        errno = ENOSYS;                                                                            \
        return (ret)-1;                                                                            \
    }

/* The same for a call that returns a pointer: NULL. */
#define ENOSYS_NULL(ret, name, params)                                                             \
    ret name params                                                                                \
    {                                                                                              \
        errno = ENOSYS;                                                                            \
        return NULL;                                                                               \
    }

#endif /* RUNTIME_LIBC_ENOSYS_H */
