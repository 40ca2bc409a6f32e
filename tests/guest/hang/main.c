/*
 * Never returns: the harness must call this a hang, not wait forever.
 *   (no argument)  spins forever with events on
 *   deadlock       two threads each hold one mutex and wait for the other's,
 *                  a third sleeps, a fourth waits on a condition variable,
 *                  and main waits to join the first: the hang report must
 *                  list each with what it waits for, and the cycle
 *   spinlock       takes a spinlock (events off) and then takes it again:
 *                  spin_lock() must call that a deadlock after its limit
 *                  and crash with a backtrace, not spin for ever
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <minios/console.h>
#include <minios/spinlock.h>

static pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cond_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static __attribute__((noinline)) void *take_first_then_second(void *arg)
{
    pthread_mutex_lock(&first);
    usleep(50000); /* the other thread takes its first meanwhile */
    pthread_mutex_lock(&second);
    return arg;
}

static __attribute__((noinline)) void *take_second_then_first(void *arg)
{
    pthread_mutex_lock(&second);
    usleep(50000); /* the other thread takes its first meanwhile */
    pthread_mutex_lock(&first);
    return arg;
}

static __attribute__((noinline)) void *sleep_long(void *arg)
{
    sleep(1000);
    return arg;
}

static __attribute__((noinline)) void *wait_for_nothing(void *arg)
{
    pthread_mutex_lock(&cond_lock);
    pthread_cond_wait(&never, &cond_lock);
    return arg;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "deadlock") == 0) {
        pthread_t t[4];

        pthread_create(&t[0], NULL, take_first_then_second, NULL);
        pthread_create(&t[1], NULL, take_second_then_first, NULL);
        pthread_create(&t[2], NULL, sleep_long, NULL);
        pthread_create(&t[3], NULL, wait_for_nothing, NULL);
        printk("hang: two threads deadlocked on two mutexes; main joins the first\n");
        pthread_join(t[0], NULL);
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "spinlock") == 0) {
        static spinlock_t lock = SPINLOCK_INIT;

        spin_lock_set_limit(3); /* 30 s by default; make check need not wait that long */
        spin_lock_irqsave(&lock);
        printk("hang: taking a spinlock this vCPU holds, events off\n");
        spin_lock(&lock);
        return 1;
    }
    printk("hang: spinning forever\n");
    for (;;)
        __asm__ volatile("pause");
}
