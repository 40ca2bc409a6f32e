/*
 * POSIX threads on minios, one test per function family, each checking
 * what the function does and the errors POSIX says it returns.  Run with
 * 1 and 4 vCPUs by tests/libc.sh.
 */
#include "pthread_tests.h"

static const struct test tests[] = {
    TEST(test_create_join, "create/join/exit/self/equal; joining oneself is EDEADLK"),
    TEST(test_detach, "detached threads run and free themselves; join/detach then EINVAL"),
    TEST(test_stack_size, "stack size attribute is honoured; too small is EINVAL"),
    TEST(test_pin, "pthread_attr_setcpu_np/pthread_setcpu_np pin to a vCPU; bad vCPU EINVAL"),
    TEST(test_mutex_exclusion, "8 threads x 20,000 increments under one mutex"),
    TEST(test_mutex_types, "normal/recursive/errorcheck: EDEADLK, EPERM, EBUSY, ETIMEDOUT"),
    TEST(test_mutex_timedlock_waits, "timedlock waits for a release; bad time EINVAL"),
    TEST(test_cond_producer_consumer, "condvars: 2 producers, 3 consumers, bounded queue"),
    TEST(test_cond_timedwait, "cond_timedwait on both clocks times out, never early; EPERM, EINVAL"),
    TEST(test_cond_timedwait_woken, "a signal ends cond_timedwait before its deadline"),
    TEST(test_once, "pthread_once runs once; no caller returns before it finished"),
    TEST(test_keys, "keys: per-thread values, destructors (re-run), delete, EINVAL, EAGAIN"),
    TEST(test_sched_yield, "sched_yield lets another thread on the same vCPU run"),
};

int main(int argc, char **argv)
{
    return test_main(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
