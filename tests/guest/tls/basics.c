/*
 * Each thread's copy: the template's values in the main thread and in a
 * thread started by a thread, the ABI's thread pointer, alignment, and
 * independence from the copies of the threads around it.
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include <minios/thread.h>

#include "tls_tests.h"

TEST_DEFINE(test_tls_main_thread, "main's thread has the template's values, %fs:0 points at itself")
{
    const char *wrong = tls_check_fresh();
    void *tp = tls_thread_pointer();

    CHECK(!wrong, "main thread: %s", wrong);
    CHECK(tp && *(void **)tp == tp, "%%fs:0 is %p, which does not point at itself", tp);
    CHECK((uintptr_t)tp % TLS_BIG_ALIGN == 0, "thread pointer %p not aligned to %d", tp,
          TLS_BIG_ALIGN);
    CHECK(strcmp(thread_tls_method(), "none") != 0, "the kernel says the image has no TLS");
    tls_fill(1);
    CHECK(tls_holds(1), "main thread's values did not stick");
    test_note("%%fs base set by %s", thread_tls_method());
}

struct lineage {
    const char *wrong; /* the first thing found wrong, or NULL */
    void *tp[3];       /* thread pointers of main, child, grandchild */
    bool child_kept;   /* the child's values survived the grandchild */
};

static void *grandchild(void *arg)
{
    struct lineage *l = arg;
    const char *wrong = tls_check_fresh();

    if (wrong)
        l->wrong = wrong;
    l->tp[2] = tls_thread_pointer();
    tls_fill(300);
    for (int i = 0; i < 100; i++)
        sched_yield();
    return (void *)(uintptr_t)tls_holds(300);
}

static void *child(void *arg)
{
    struct lineage *l = arg;
    const char *wrong = tls_check_fresh();
    pthread_t t;
    void *kept = NULL;

    if (wrong)
        l->wrong = wrong;
    l->tp[1] = tls_thread_pointer();
    tls_fill(200);
    if (pthread_create(&t, NULL, grandchild, l) || pthread_join(t, &kept)) {
        l->wrong = "the child could not start the grandchild";
        return NULL;
    }
    if (!kept)
        l->wrong = "the grandchild's values changed";
    l->child_kept = tls_holds(200);
    return NULL;
}

TEST_DEFINE(test_tls_thread_from_thread,
            "a thread started by a thread gets fresh values; nobody sees another's")
{
    struct lineage l = {0};
    pthread_t t;

    tls_fill(100);
    l.tp[0] = tls_thread_pointer();
    if (pthread_create(&t, NULL, child, &l) || pthread_join(t, NULL)) {
        test_error("pthread_create or pthread_join failed");
        return;
    }
    CHECK(!l.wrong, "%s", l.wrong);
    CHECK(l.child_kept, "the child's values changed while its own thread ran");
    CHECK(tls_holds(100), "main's values changed while the others ran");
    CHECK(l.tp[0] != l.tp[1] && l.tp[1] != l.tp[2] && l.tp[0] != l.tp[2],
          "two threads share a thread pointer: %p %p %p", l.tp[0], l.tp[1], l.tp[2]);
}

static void *check_fresh(void *arg)
{
    (void)arg;
    return (void *)tls_check_fresh();
}

TEST_DEFINE(test_tls_large_alignment,
            "a 4096-aligned TLS variable is aligned in threads of any stack size")
{
    static const size_t sizes[] = {16384, 20000, 65536, 1 << 20};

    for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        pthread_attr_t attr;
        pthread_t t;
        void *wrong = NULL;

        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, sizes[i]);
        if (pthread_create(&t, &attr, check_fresh, NULL) || pthread_join(t, &wrong)) {
            test_error("a thread with a %zu-byte stack did not start", sizes[i]);
            return;
        }
        CHECK(!wrong, "stack of %zu bytes: %s", sizes[i], (const char *)wrong);
    }
}
