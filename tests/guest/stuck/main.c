/*
 * A program stuck in a way that must not keep the toolstack from ending
 * it (tests/domu.sh; dom0-hook.sh next to this file is dom0's half).
 *
 *   stuck MODE COMMAND      COMMAND: "shutdown" or "reboot", what dom0 is
 *                           to send with xl once we say we are stuck
 *
 *   fgets      main waits in fgets(stdin), holding stdin's lock; no input
 *              ever comes
 *   deadlock   two threads deadlocked on mutexes a and b; a third holds its
 *              own stdout's lock with an unterminated line in the buffer and
 *              waits for a; a fourth left an unterminated line unlocked and
 *              waits for b; and the shutdown hook waits for a too, so it
 *              never returns
 *   spin       a thread pinned to vCPU 0 spins without ever yielding; main
 *              waits to join it
 *
 * The last line before the program is stuck is
 *
 *   stuck: MODE: ready for xl COMMAND
 *
 * which dom0's hook waits for in our console log.  The shutdown hook and an
 * atexit handler each print a line, so the test can tell which parts of the
 * ending ran, and on which vCPU.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <minios/kernel.h>
#include <minios/thread.h>

/* What the holder leaves in its stdout's buffer, under the buffer's lock. */
#define HELD_LINE "stuck: holder: this line stays in a buffer whose lock I hold"
/* What the loose thread leaves in its buffer, unlocked: it must come out. */
#define LOOSE_LINE "stuck: loose: this unterminated line must still come out"

static const char *mode = "";
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

/* Counts threads that are about to block for good; main waits for all. */
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t count_moved = PTHREAD_COND_INITIALIZER;
static int count;

static void count_up(void)
{
    pthread_mutex_lock(&count_lock);
    count++;
    pthread_cond_broadcast(&count_moved);
    pthread_mutex_unlock(&count_lock);
}

static void wait_count(int n)
{
    pthread_mutex_lock(&count_lock);
    while (count < n)
        pthread_cond_wait(&count_moved, &count_lock);
    pthread_mutex_unlock(&count_lock);
}

void minios_on_shutdown(const char *reason)
{
    printf("stuck: shutdown hook: %s, on vCPU %u\n", reason, thread_cpu());
    if (strcmp(mode, "deadlock") == 0) {
        printf("stuck: shutdown hook: waiting for mutex a, which a deadlocked thread holds\n");
        pthread_mutex_lock(&a);
        printf("stuck: shutdown hook: got mutex a\n");
    }
}

static void at_exit(void)
{
    printf("stuck: atexit handler ran\n");
}

/* --- deadlock --- */

static void *take_a_then_b(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&a);
    count_up();
    wait_count(2);
    pthread_mutex_lock(&b);
    printf("stuck: deadlock: got b after a\n");
    return NULL;
}

static void *take_b_then_a(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&b);
    count_up();
    wait_count(2);
    pthread_mutex_lock(&a);
    printf("stuck: deadlock: got a after b\n");
    return NULL;
}

static void *hold_stdout(void *arg)
{
    (void)arg;
    /* A stream of its own on the console: stdout is shared by all threads,
       and holding its lock would stop every other thread's printf. */
    FILE *own = fdopen(1, "w");

    printf("stuck: holder: started\n");
    if (!own)
        return NULL;
    flockfile(own);
    fprintf(own, "%s", HELD_LINE);
    count_up();
    pthread_mutex_lock(&a);
    printf("stuck: holder: got a\n");
    return NULL;
}

static void *leave_a_line(void *arg)
{
    (void)arg;
    FILE *own = fdopen(1, "w"); /* buffered apart from stdout, lock free */

    fprintf(own ? own : stdout, "%s", LOOSE_LINE);
    count_up();
    pthread_mutex_lock(&b);
    printf("stuck: loose: got b\n");
    return NULL;
}

static int deadlock(const char *command)
{
    void *(*fns[])(void *) = {take_a_then_b, take_b_then_a, hold_stdout, leave_a_line};
    pthread_t t[4];

    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, fns[i], NULL);
    wait_count(4);
    usleep(100000); /* each is now asleep on its mutex */
    printf("stuck: deadlock: the holder left %zu bytes under its lock\n", strlen(HELD_LINE));
    printf("stuck: deadlock: ready for xl %s\n", command);
    pthread_join(t[0], NULL);
    printf("stuck: deadlock: the join returned\n");
    return 3;
}

/* --- spin --- */

static volatile unsigned long spins;

static void *spin(void *arg)
{
    printf("stuck: spin: spinning on vCPU %u, never yielding\n", thread_cpu());
    printf("stuck: spin: ready for xl %s\n", (const char *)arg);
    for (;;)
        spins++;
    return NULL;
}

static int spin_on_cpu0(const char *command)
{
    pthread_attr_t attr;
    pthread_t t;

    pthread_attr_init(&attr);
    pthread_attr_setcpu_np(&attr, 0);
    if (pthread_create(&t, &attr, spin, (void *)command)) {
        printf("stuck: spin: pthread_create failed\n");
        return 1;
    }
    pthread_join(t, NULL);
    printf("stuck: spin: the join returned\n");
    return 3;
}

int main(int argc, char **argv)
{
    const char *command = argc > 2 ? argv[2] : "shutdown";
    char line[64];

    mode = argc > 1 ? argv[1] : "";
    atexit(at_exit);
    if (strcmp(mode, "fgets") == 0) {
        printf("stuck: fgets: ready for xl %s\n", command);
        if (fgets(line, sizeof(line), stdin))
            printf("stuck: fgets: got a line\n");
        else
            printf("stuck: fgets: end of input\n");
        return 3;
    }
    if (strcmp(mode, "deadlock") == 0)
        return deadlock(command);
    if (strcmp(mode, "spin") == 0)
        return spin_on_cpu0(command);
    printf("usage: stuck fgets|deadlock|spin shutdown|reboot\n");
    return 64;
}
