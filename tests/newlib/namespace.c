/*
 * The headers an application gets from the C library define only what C and
 * POSIX define: after including every one of them, a program may use for
 * itself each name the kernel's own headers define (<minios/compiler.h>,
 * <minios/list.h>, <minios/spinlock.h>, <minios/sync.h>...), which once
 * leaked in through <sys/types.h> and <pthread.h>.  Compiled, never run,
 * with the application flags under several -std (C89 too: a C89 program may
 * have its own bool); `make header-check`, the newlib-namespace test.
 */
#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <semaphore.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

/* Macros: a different definition of one already defined is an error under -Werror. */
#define MIN                1
#define MAX                2
#define ALIGN_DOWN         3
#define ALIGN_UP           4
#define IS_ALIGNED         5
#define ARRAY_SIZE         6
#define STATIC_ASSERT      7
#define READ_ONCE          8
#define WRITE_ONCE         9
#define barrier            10
#define mb                 11
#define rmb                12
#define wmb                13
#define cpu_relax          14
#define likely             15
#define unlikely           16
#define container_of       17
#define LIST_HEAD_INIT     18
#define list_entry         19
#define list_first_entry   20
#define list_for_each      21
#define list_for_each_safe 22
#define SPINLOCK_INIT      23
#define WAITQ_INIT         24
#define WAITQ_ZERO         25
#define MUTEX_INIT         26
#define NO_DEADLINE        27

/* Types and tags: a C89 program's own bool, the kernel's structures. */
typedef int bool;
enum { false, true };
typedef long spinlock_t;
struct list_node {
    char c;
};
struct waitq {
    char c;
};
struct mutex {
    char c;
};
struct semaphore {
    char c;
};
struct condvar {
    char c;
};

/* Functions: the kernel's, with other types. */
int list_init(int x)
{
    return x;
}
int list_empty(int x)
{
    return x;
}
int list_insert_between(int x)
{
    return x;
}
int list_add_head(int x)
{
    return x;
}
int list_add_tail(int x)
{
    return x;
}
int list_add_before(int x)
{
    return x;
}
int list_del(int x)
{
    return x;
}
int local_irq_save(int x)
{
    return x;
}
int local_irq_restore(int x)
{
    return x;
}
int local_irq_disable(int x)
{
    return x;
}
int local_irq_enable(int x)
{
    return x;
}
int spin_trylock(int x)
{
    return x;
}
int spin_lock(int x)
{
    return x;
}
int spin_unlock(int x)
{
    return x;
}
int spin_lock_irqsave(int x)
{
    return x;
}
int spin_unlock_irqrestore(int x)
{
    return x;
}
int spin_is_locked(int x)
{
    return x;
}
int waitq_init(int x)
{
    return x;
}
int waitq_wait(int x)
{
    return x;
}
int waitq_wake_one(int x)
{
    return x;
}
int waitq_wake_all(int x)
{
    return x;
}
int mutex_init(int x)
{
    return x;
}
int mutex_lock(int x)
{
    return x;
}
int mutex_trylock(int x)
{
    return x;
}
int mutex_lock_until(int x)
{
    return x;
}
int mutex_unlock(int x)
{
    return x;
}
int mutex_owned_by_me(int x)
{
    return x;
}
int mutex_is_free(int x)
{
    return x;
}
int semaphore_init(int x)
{
    return x;
}
int semaphore_down(int x)
{
    return x;
}
int semaphore_down_until(int x)
{
    return x;
}
int semaphore_trydown(int x)
{
    return x;
}
int semaphore_up(int x)
{
    return x;
}
int condvar_init(int x)
{
    return x;
}
int condvar_wait_until(int x)
{
    return x;
}
int condvar_wait(int x)
{
    return x;
}
int condvar_signal(int x)
{
    return x;
}
int condvar_broadcast(int x)
{
    return x;
}

int main(void)
{
    bool b = true;
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;

    (void)m;
    (void)c;
    printf("%d %d\n", MIN + MAX, (int)b);
    return false;
}
