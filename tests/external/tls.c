/*
 * Thread-local storage as any portable program uses it: _Thread_local and
 * __thread, initialised and zeroed, in main and in POSIX threads.  Built
 * outside the tree against the installed kit, unmodified, and booted by
 * tests/sdk.sh (external-tls); it prints one line per thread and exits 0
 * only if every thread saw its own, fresh copy.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#define THREADS 4

static _Thread_local int counter = 5;
static __thread char name[16];

static void *count(void *arg)
{
    int id = (int)(long)arg, fresh = counter == 5 && name[0] == '\0';

    snprintf(name, sizeof(name), "thread %d", id);
    for (int i = 0; i < id * 1000; i++)
        counter++;
    sched_yield();
    printf("external-tls: %s counted to %d from a %s copy\n", name, counter,
           fresh ? "fresh" : "STALE");
    return (void *)(long)(fresh && counter == 5 + id * 1000);
}

int main(void)
{
    pthread_t t[THREADS];
    int good = 0;
    void *ok;

    counter = 1;
    snprintf(name, sizeof(name), "main");
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, count, (void *)(i + 1));
    for (int i = 0; i < THREADS; i++)
        good += pthread_join(t[i], &ok) == 0 && ok;
    printf("external-tls: %d of %d threads had their own copy; main still has %s, %d\n", good,
           THREADS, name, counter);
    return good == THREADS && counter == 1 ? 0 : 1;
}
