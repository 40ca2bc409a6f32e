/*
 * newlib's retargetable locks (--enable-newlib-retargetable-locking) on
 * kernel mutexes.  They must sleep, not spin: stdio holds a FILE's lock
 * across write(), which may wait for the console.  newlib uses eight static
 * locks by address without initialising them, which is why a zeroed
 * struct mutex is a valid unlocked one (kernel/sync.c).
 */
#include <sys/lock.h>

#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/sync.h>

struct __lock {
    struct mutex m;
};

#define STATIC_LOCK(name, is_recursive) struct __lock name = {.m = {.recursive = is_recursive}}

STATIC_LOCK(__lock___sfp_recursive_mutex, true);
STATIC_LOCK(__lock___malloc_recursive_mutex, true);
STATIC_LOCK(__lock___atexit_recursive_mutex, true);
STATIC_LOCK(__lock___env_recursive_mutex, true);
STATIC_LOCK(__lock___at_quick_exit_mutex, false);
STATIC_LOCK(__lock___tz_mutex, false);
STATIC_LOCK(__lock___dd_hash_mutex, false);
STATIC_LOCK(__lock___arc4random_mutex, false);

/*
 * newlib has no way to report a lock it could not create (the init
 * functions return nothing), and a FILE without its lock would race.  The
 * kernel's reserve (runtime/libc/sbrk.c) makes this rare; if even it is gone,
 * such locks share one recursive lock: coarser, but correct, and no C
 * library call brings the kernel down.
 */
static struct __lock shared_fallback = {.m = {.recursive = true}};

static void make(_LOCK_T *lock, bool recursive)
{
    struct __lock *l = kmalloc(sizeof(*l));

    if (!l) {
        *lock = &shared_fallback;
        return;
    }
    mutex_init(&l->m, recursive);
    *lock = l;
}

static void destroy(_LOCK_T lock)
{
    if (lock != &shared_fallback)
        kfree(lock);
}

void __retarget_lock_init(_LOCK_T *lock)
{
    make(lock, false);
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
    make(lock, true);
}

void __retarget_lock_close(_LOCK_T lock)
{
    destroy(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
    destroy(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
    mutex_lock(&lock->m);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
    mutex_lock(&lock->m);
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
    return mutex_trylock(&lock->m);
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
    return mutex_trylock(&lock->m);
}

void __retarget_lock_release(_LOCK_T lock)
{
    mutex_unlock(&lock->m);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
    mutex_unlock(&lock->m);
}
