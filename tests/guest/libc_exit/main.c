/*
 * How a C program ends on minios, one way per argument; tests/guest.sh
 * checks the output and the exit status of each:
 *   return N        main returns N: atexit handlers in reverse order, then a
 *                   partial (unterminated) line still reaches the console
 *   thread-exit N   a second thread calls exit(N) while main waits in join;
 *                   that thread's own unterminated line is not lost
 *   pthread-exit    main calls pthread_exit(); the program goes on until the
 *                   last thread ends, then exits 0
 *   partial         no handlers; an unterminated last line still arrives,
 *                   and the kernel's exit line starts on a line of its own
 *   fgets-exit N    main waits in fgets(stdin), holding stdin's lock, with
 *                   no input coming; another thread holds the lock of a
 *                   stream of its own on fd 1 with an unterminated line in
 *                   the buffer and waits for a mutex main holds; a third
 *                   thread calls exit(N).
 *                   The program still ends with N, after the handlers, and
 *                   the kernel says how many buffered bytes it dropped
 *   abort           abort(): a crash report naming SIGABRT
 *   no-entropy      getentropy(), then arc4random(), on a CPU without
 *                   RDRAND/RDSEED: ENOSYS, then a crash that says why
 *   double-free     free(p) twice: a crash report naming the caller, before
 *                   the next two malloc(64) can return the same block
 *   bad-free        free() of a pointer malloc never returned (a stack
 *                   address, then one inside a block: argv[2] says which)
 *   overrun         a write past a block's end over the next chunk's
 *                   header, found when the block is freed
 *   oom-printf      malloc takes every byte it can before the first stdio
 *                   call; printf, fopen of a memory stream and
 *                   pthread_create must then work or fail with an errno,
 *                   and after freeing it all, malloc works again (exit 0)
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void handler_1(void)
{
    printf("atexit handler 1\n");
}
static void handler_2(void)
{
    printf("atexit handler 2\n");
}
static void handler_3(void)
{
    printf("atexit handler 3\n");
}

static void *exit_from_thread(void *arg)
{
    printf("thread: calling exit(%d) with this line unterminated", (int)(long)arg);
    exit((int)(long)arg);
}

/* What the holder leaves in its stream's buffer, under the stream's lock.
   (Its own stream on the console: stdout is shared by all threads, and
   holding its lock would stop every other thread's printf too.) */
#define HELD_LINE "holder: this line stays in a buffer whose lock I hold"

static pthread_mutex_t never_unlocked = PTHREAD_MUTEX_INITIALIZER;

static void *hold_stdout(void *arg)
{
    (void)arg;
    FILE *own = fdopen(1, "w");

    printf("holder: started\n");
    if (!own) {
        printf("holder: fdopen failed\n");
        return NULL;
    }
    flockfile(own);
    fprintf(own, "%s", HELD_LINE);
    pthread_mutex_lock(&never_unlocked);
    printf("holder: got the mutex main holds\n");
    return NULL;
}

static void *exit_while_main_reads(void *arg)
{
    /* Main blocks in read(0) the moment it runs; 100 ms is ample. */
    usleep(100000);
    printf("thread: calling exit(%d) while main waits in fgets (holder left %zu bytes)\n",
           (int)(long)arg, strlen(HELD_LINE));
    exit((int)(long)arg);
}

static void *outlive_main(void *arg)
{
    (void)arg;
    usleep(20000);
    printf("worker: still running after main's pthread_exit\n");
    return NULL;
}

/* The bugs, in functions of their own so the report can name them.  The
   compiler must not see through them (it warns about each). */
static void *hide(void *p)
{
    __asm__("" : "+r"(p));
    return p;
}

static __attribute__((noinline)) void free_twice(void)
{
    char *p = malloc(64), *keep = malloc(64);

    free(p);
    free(hide(p));
    char *a = malloc(64), *b = malloc(64);
    printf("main: double free not caught: malloc gave %p and %p\n", (void *)a, (void *)b);
    free(keep);
}

static __attribute__((noinline)) void free_bad(const char *which)
{
    char on_stack[32];
    char *p = malloc(200);

    memset(p, 0x55, 200);
    free(hide(strcmp(which, "inside") == 0 ? p + 64 : on_stack));
    printf("main: bad free not caught\n");
}

static __attribute__((noinline)) void overrun_and_free(void)
{
    char *p = malloc(40), *q = malloc(40);

    memset(hide(p), 'A', 40 + 16); /* 16 bytes too many: q's chunk header */
    free(p);
    printf("main: overrun not caught\n");
    free(q);
}

static void *thread_says_hello(void *arg)
{
    printf("thread: running after the heap took everything\n");
    return arg;
}

/* A singly linked list of every block malloc would give, largest first. */
static __attribute__((noinline)) int exhaust_then_print(void)
{
    void **list = NULL;
    unsigned long total = 0;
    char line[32];
    pthread_t t;

    for (size_t size = 1 << 20; size >= sizeof(void *); size /= 2) {
        void **p;

        while ((p = malloc(size)) != NULL) {
            *p = list;
            list = p;
            total += size;
        }
    }
    int err = errno;
    /* The first stdio call of the program: it needs a lock and a buffer. */
    printf("main: malloc took %lu KiB, then failed with errno %d (%s)\n", total / 1024, err,
           err == ENOMEM ? "ENOMEM" : "?");
    FILE *f = fmemopen(line, sizeof(line), "w");
    printf("main: fmemopen %s (errno %d)\n", f ? "worked" : "failed", f ? 0 : errno);
    if (f)
        fclose(f);
    int rc = pthread_create(&t, NULL, thread_says_hello, NULL);
    printf("main: pthread_create returned %d\n", rc);
    if (rc == 0)
        pthread_join(t, NULL);
    while (list) {
        void **next = *list;

        free(list);
        list = next;
    }
    void *again = malloc(1 << 20);
    printf("main: after freeing it all, malloc(1 MiB) %s\n", again ? "works" : "fails");
    free(again);
    return err == ENOMEM && again ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "return";
    int status = argc > 2 ? atoi(argv[2]) : 0;
    pthread_t t;

    if (strcmp(how, "oom-printf") == 0)
        return exhaust_then_print();
    if (strcmp(how, "double-free") == 0)
        free_twice();
    if (strcmp(how, "bad-free") == 0)
        free_bad(argc > 2 ? argv[2] : "stack");
    if (strcmp(how, "overrun") == 0)
        overrun_and_free();
    if (strcmp(how, "partial") == 0) {
        printf("main: the last words, unterminated");
        return 0;
    }
    atexit(handler_1);
    atexit(handler_2);
    atexit(handler_3);

    if (strcmp(how, "return") == 0) {
        printf("main: returning %d with this line unterminated", status);
        return status;
    }
    if (strcmp(how, "thread-exit") == 0) {
        pthread_create(&t, NULL, exit_from_thread, (void *)(long)status);
        pthread_join(t, NULL);
        printf("main: the join returned: exit() did not end the program\n");
        return 99;
    }
    if (strcmp(how, "fgets-exit") == 0) {
        char line[64];

        pthread_mutex_lock(&never_unlocked);
        pthread_create(&t, NULL, hold_stdout, NULL);
        pthread_create(&t, NULL, exit_while_main_reads, (void *)(long)status);
        printf("main: waiting in fgets(stdin)\n");
        if (fgets(line, sizeof(line), stdin))
            printf("main: fgets returned a line: exit() did not end the program\n");
        else
            printf("main: fgets returned end of file: exit() did not end the program\n");
        return 99;
    }
    if (strcmp(how, "pthread-exit") == 0) {
        pthread_create(&t, NULL, outlive_main, NULL);
        printf("main: calling pthread_exit\n");
        pthread_exit(NULL);
    }
    if (strcmp(how, "abort") == 0) {
        printf("main: calling abort\n");
        abort();
    }
    if (strcmp(how, "no-entropy") == 0) {
        char buf[16];
        int rc = getentropy(buf, sizeof(buf));

        printf("main: getentropy returned %d, errno %d%s\n", rc, errno,
               errno == ENOSYS ? " (ENOSYS)" : "");
        printf("main: arc4random returned %u: it should have ended the program\n",
               (unsigned)arc4random());
        return 99;
    }
    printf("usage: return N | thread-exit N | fgets-exit N | pthread-exit | partial | abort\n"
           "       | double-free | bad-free [stack|inside] | overrun | oom-printf | no-entropy\n");
    return 64;
}
