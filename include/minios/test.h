/*
 * In-guest tests with XTF's result contract.
 *
 * An application lists its tests and calls test_main(); each test prints one
 * line ("test NAME: PASS", or FAIL/SKIP/ERROR with the reason), and the run
 * ends with exactly one line "Test result: SUCCESS|SKIP|ERROR|FAILURE", the
 * words XTF and Xen's own CI look for.  FAILURE means a test found a bug;
 * ERROR means a test could not do its job (a set-up hypercall failed);
 * SKIP means nothing applicable ran.
 *
 *     static void test_thing(void)
 *     {
 *         CHECK(1 + 1 == 2, "arithmetic is broken");
 *     }
 *     static const struct test tests[] = { TEST(test_thing, "what it checks") };
 *     int main(int argc, char **argv) { return test_main(tests, ARRAY_SIZE(tests), argc, argv); }
 */
#ifndef MINIOS_TEST_H
#define MINIOS_TEST_H

#include <stddef.h>
#include <minios/compiler.h>

#pragma GCC visibility push(default)

struct test {
    const char *name;
    void (*fn)(void);
    const char *doc;        /* one line: what it checks */
    unsigned int min_cpus;  /* not run (no line printed) with fewer vCPUs online */
    /*
     * If set: returns why the test does not apply to this configuration
     * (e.g. "no xenstore" as dom0), or NULL.  Like min_cpus, a test that
     * does not apply is not run and gets no result line, only a remark:
     * it is run where it applies, not skipped where it cannot.
     */
    const char *(*not_here)(void);
};

#define TEST(fn, doc) { #fn, fn, doc, 1, NULL }
#define TEST_SMP(fn, doc, cpus) { #fn, fn, doc, cpus, NULL }
#define TEST_WHERE(fn, doc, not_here) { #fn, fn, doc, 1, not_here }

/* Marks the running test failed (it goes on) and prints why. */
void test_fail(const char *fmt, ...) __printf(1, 2);
/* The test cannot run here (missing feature); prints why. */
void test_skip(const char *fmt, ...) __printf(1, 2);
/* The test's own set-up failed: it could not check anything. */
void test_error(const char *fmt, ...) __printf(1, 2);
/* An informational line under the test (figures, for the log). */
void test_note(const char *fmt, ...) __printf(1, 2);

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond))                                                       \
            test_fail(__VA_ARGS__);                                        \
    } while (0)

/*
 * Runs @tests (all of them, or those named in argv[1..]), prints the result
 * line, and returns the exit status: 0 for SUCCESS or SKIP, 1 otherwise.
 */
int test_main(const struct test *tests, size_t count, int argc, char **argv);

#pragma GCC visibility pop

#endif /* MINIOS_TEST_H */
