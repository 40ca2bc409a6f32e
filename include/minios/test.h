/*
 * In-guest tests with XTF's result contract.
 *
 * A test is declared once, where it is written, and registers itself (a
 * linker section, .minios_tests); test_main_all() runs every registered test
 * of the image.  Each test prints one line "test NAME: PASS", or
 * "test NAME: FAIL|ERROR|SKIP: reason" with its first reason, and the run
 * ends with exactly one line "Test result: SUCCESS|SKIP|ERROR|FAILURE", the
 * words XTF and Xen's own CI look for, by XTF's precedence: SUCCESS < SKIP
 * < ERROR < FAILURE.  FAILURE means a test found a bug; ERROR means a test
 * could not do its job (a set-up hypercall failed); SKIP means it does not
 * apply here.
 *
 *     TEST_DEFINE(test_thing, "what it checks")
 *     {
 *         CHECK(1 + 1 == 2, "arithmetic is broken");
 *     }
 *     TEST_DEFINE(test_pair, "what two vCPUs do", .min_cpus = 2)
 *     { ... }
 *     int main(int argc, char **argv) { return test_main_all(argc, argv); }
 *
 * A test of Xen's behaviour (the regression catalogue, regress/) says more:
 *
 *     XEN_TEST(evtchn_close_twice, TEST_NEGATIVE,
 *              "closing a closed port fails with -EINVAL",
 *              "public/event_channel.h", .needs = TEST_NEEDS_DOMU)
 *
 * Its doc is the one-line statement of Xen's behaviour, its source where
 * Xen documents it; a test that cannot run here (too few vCPUs, dom0 only)
 * gets a SKIP line saying why, not silence.
 *
 * Every test runs under a recovery point: a fault no fixup claims becomes
 * the test's FAIL line with the vector, error code and address, and a test
 * still running after its timeout (.timeout_ms; 20 s for XEN_TEST) while
 * interrupted by an event is ended with a FAIL "timeout" line; the run goes
 * on with the next test.
 *
 * Tests run in the link order of their files (name order), each file's top
 * to bottom; TEST_DEFINE_LAST puts a test after all others (one that ends a
 * connection on purpose).  test_main() runs an explicit array instead.
 */
#ifndef MINIOS_TEST_H
#define MINIOS_TEST_H

#include <stddef.h>
#include <minios/compiler.h>

#pragma GCC visibility push(default)

/* What a test of Xen's behaviour is about (XTF's categories). */
enum test_category {
    TEST_UNCATEGORISED, /* a test of minios itself */
    TEST_FUNCTIONAL,    /* a hypercall doing what it documents */
    TEST_SMP,           /* behaviour across vCPUs */
    TEST_NEGATIVE,      /* bad input refused with the documented error, the domain living on */
    TEST_XSA,           /* a security advisory's proof of concept */
};

/* Where a test can run. */
#define TEST_NEEDS_DOM0 (1U << 0) /* the initial domain (privileged operations) */
#define TEST_NEEDS_DOMU (1U << 1) /* a domU (xenstore, a toolstack) */

struct test {
    const char *name;
    void (*fn)(void);
    const char *doc;       /* one line: what it checks */
    unsigned int min_cpus; /* not run (no line printed) with fewer vCPUs online; 0 = 1 */
    /*
     * If set: returns why the test does not apply to this configuration
     * (e.g. "no xenstore" as dom0), or NULL.  Like min_cpus, a test that
     * does not apply is not run and gets no result line, only a remark:
     * it is run where it applies, not skipped where it cannot.
     */
    const char *(*not_here)(void);
    const char *file; /* where TEST_DEFINE put it: the order to run in */
    unsigned int line;
    enum test_category category;
    const char *source;      /* where Xen documents the behaviour (XEN_TEST) */
    unsigned int needs;      /* TEST_NEEDS_* */
    unsigned int timeout_ms; /* the watchdog; 0: none (20 s for XEN_TEST) */
};

/* Array entries for test_main() (clang-format would split their braces). */
/* clang-format off */
#define TEST(fn, doc) { #fn, fn, doc, 1, NULL, NULL, 0, TEST_UNCATEGORISED, NULL, 0, 0 }
#define TEST_SMP(fn, doc, cpus) { #fn, fn, doc, cpus, NULL, NULL, 0, TEST_UNCATEGORISED, NULL, 0, 0 }
#define TEST_WHERE(fn, doc, not_here) { #fn, fn, doc, 1, not_here, NULL, 0, TEST_UNCATEGORISED, NULL, 0, 0 }
/* clang-format on */

/*
 * Declares test @fn_ with its one-line @doc_ and registers it; the function
 * body follows.  Optional fields: .min_cpus = N, .not_here = fn.
 */
#define TEST_DEFINE(fn_, doc_, ...)      TEST_DEFINE_IN_(".minios_tests.5", fn_, doc_, __VA_ARGS__)
#define TEST_DEFINE_LAST(fn_, doc_, ...) TEST_DEFINE_IN_(".minios_tests.9", fn_, doc_, __VA_ARGS__)

/*
 * A test of Xen's behaviour: @cat_ a TEST_* category, @statement_ one line
 * saying what Xen does, @source_ where Xen says so.  Optional fields as
 * for TEST_DEFINE, and .needs = TEST_NEEDS_*.
 */
#define XEN_TEST(fn_, cat_, statement_, source_, ...)                                              \
    TEST_DEFINE(fn_, statement_, .category = (cat_), .source = (source_), __VA_ARGS__)
#define XEN_TEST_TIMEOUT_MS 20000 /* the watchdog of a XEN_TEST with no .timeout_ms */

#define TEST_DEFINE_IN_(section_, fn_, doc_, ...)                                                  \
    static void fn_(void);                                                                         \
    static const struct test test_entry_##fn_ __attribute__((used, section(section_),              \
                                                             aligned(8))) = {                      \
        .name = #fn_, .fn = fn_, .doc = doc_, .file = __FILE__, .line = __LINE__, __VA_ARGS__};    \
    static void fn_(void)

/* Marks the running test failed (it goes on) and prints why. */
void test_fail(const char *fmt, ...) __printf(1, 2);
/* The test cannot run here (missing feature); prints why. */
void test_skip(const char *fmt, ...) __printf(1, 2);
/* The test's own set-up failed: it could not check anything. */
void test_error(const char *fmt, ...) __printf(1, 2);
/* An informational line under the test (figures, for the log). */
void test_note(const char *fmt, ...) __printf(1, 2);
/*
 * What the test measured of Xen, where it may differ between Xen versions
 * and still be right ("EBUSY"): a "value:" line that the regression runner
 * keeps and make regress-compare compares.  Not for timings.
 */
void test_value(const char *fmt, ...) __printf(1, 2);

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            test_fail(__VA_ARGS__);                                                                \
    } while (0)

/*
 * Runs @tests (all of them, or those argv[1..] name: a name, or a pattern
 * with * for any characters), prints the result line, and returns the exit
 * status: 0 for SUCCESS or SKIP, 1 otherwise.  "--list" as argv[1] prints
 * the catalogue instead, one line per test (name, category, needs,
 * statement, source, separated by " | "), and runs nothing.
 */
int test_main(const struct test *tests, size_t count, int argc, char **argv);

/* The same for every test the image registered with TEST_DEFINE. */
int test_main_all(int argc, char **argv);

#pragma GCC visibility pop

#endif /* MINIOS_TEST_H */
