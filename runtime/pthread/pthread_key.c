/*
 * Thread-specific data.  Keys are slots in a global table; each thread's
 * values live in its libc_thread, tagged with the slot's generation so that
 * a key created in a deleted key's slot starts out NULL in every thread.  At thread exit the
 * destructors of non-NULL values run, repeatedly (up to PTHREAD_DESTRUCTOR_ITERATIONS) while
 * destructors keep setting new values, as POSIX describes.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>

#include <minios/spinlock.h>
#include <minios/thread.h>

#include "../libc/libc_thread.h"

_Static_assert(PTHREAD_KEYS_MAX == LIBC_KEYS_MAX, "one key table size");

static struct {
    bool in_use;
    unsigned long generation; /* bumped by each create in this slot */
    void (*destructor)(void *);
} keys[PTHREAD_KEYS_MAX];
static spinlock_t keys_lock;

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
    unsigned long flags = spin_lock_irqsave(&keys_lock);

    for (unsigned int k = 0; k < PTHREAD_KEYS_MAX; k++) {
        if (!keys[k].in_use) {
            keys[k].in_use = true;
            keys[k].generation++;
            keys[k].destructor = destructor;
            spin_unlock_irqrestore(&keys_lock, flags);
            *key = k;
            return 0;
        }
    }
    spin_unlock_irqrestore(&keys_lock, flags);
    return EAGAIN;
}

/* Values other threads hold for the key are simply forgotten (POSIX). */
int pthread_key_delete(pthread_key_t key)
{
    unsigned long flags = spin_lock_irqsave(&keys_lock);
    int rc = key < PTHREAD_KEYS_MAX && keys[key].in_use ? 0 : EINVAL;

    if (rc == 0)
        keys[key].in_use = false;
    spin_unlock_irqrestore(&keys_lock, flags);
    return rc;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
    struct libc_thread *lt;

    if (key >= PTHREAD_KEYS_MAX || !keys[key].in_use)
        return EINVAL;
    lt = libc_thread_of(thread_self(), true);
    if (!lt)
        return ENOMEM;
    lt->key_values[key] = (void *)value;
    lt->key_generations[key] = keys[key].generation;
    return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
    struct libc_thread *lt;

    if (key >= PTHREAD_KEYS_MAX || !keys[key].in_use)
        return NULL;
    lt = libc_thread_of(thread_self(), false);
    if (!lt || lt->key_generations[key] != keys[key].generation)
        return NULL;
    return lt->key_values[key];
}

void pthread_run_key_destructors(struct libc_thread *lt)
{
    for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
        bool ran = false;

        for (unsigned int k = 0; k < PTHREAD_KEYS_MAX; k++) {
            void *value = lt->key_values[k];
            void (*destructor)(void *) = keys[k].destructor;

            if (!value || !keys[k].in_use || !destructor ||
                lt->key_generations[k] != keys[k].generation)
                continue;
            lt->key_values[k] = NULL;
            destructor(value);
            ran = true;
        }
        if (!ran)
            return;
    }
}
