/*
 * The in-guest test runner (see <minios/test.h>).  Tests run one after the
 * other on the calling thread; the worst outcome of each decides its line,
 * and the worst line decides the final result: FAILURE > ERROR > SUCCESS >
 * SKIP (a run where everything was skipped is SKIP).
 */
#include <stdbool.h>
#include <kernel/string.h>
#include <minios/console.h>
#include <minios/mm.h>
#include <minios/smp.h>
#include <minios/test.h>

enum outcome { OUTCOME_SKIP, OUTCOME_PASS, OUTCOME_ERROR, OUTCOME_FAIL };

static enum outcome current;

static void record(enum outcome o, const char *label, const char *fmt, va_list ap)
{
    if (o > current)
        current = o;
    printk("    %s: ", label);
    vprintk(fmt, ap);
    printk("\n");
}

void test_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    record(OUTCOME_FAIL, "fail", fmt, ap);
    va_end(ap);
}

void test_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    record(OUTCOME_ERROR, "error", fmt, ap);
    va_end(ap);
}

void test_skip(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printk("    skip: ");
    vprintk(fmt, ap);
    printk("\n");
    va_end(ap);
    if (current == OUTCOME_PASS)
        current = OUTCOME_SKIP;
}

void test_note(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printk("    ");
    vprintk(fmt, ap);
    printk("\n");
    va_end(ap);
}

static bool selected(const char *name, int argc, char **argv)
{
    if (argc <= 1)
        return true;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], name) == 0)
            return true;
    }
    return false;
}

/* The registered tests (minios.lds collects .minios_tests.* here, in order). */
extern const struct test __minios_tests_start[], __minios_tests_end[];

static bool same_file(const struct test *a, const struct test *b)
{
    return a->file && b->file && strcmp(a->file, b->file) == 0;
}

/*
 * Each object file's tests are one run of the section, but the compiler
 * may emit them in any order: put each run back in source-line order.
 */
int test_main_all(int argc, char **argv)
{
    size_t count = (size_t)(__minios_tests_end - __minios_tests_start);
    struct test *tests = kcalloc(count ? count : 1, sizeof(*tests));

    if (!tests) {
        printk("test_main_all: no memory for %zu tests\nTest result: ERROR\n", count);
        return 1;
    }
    memcpy(tests, __minios_tests_start, count * sizeof(*tests));
    for (size_t i = 1; i < count; i++) {
        struct test t = tests[i];
        size_t j = i;

        while (j > 0 && same_file(&tests[j - 1], &t) && tests[j - 1].line > t.line) {
            tests[j] = tests[j - 1];
            j--;
        }
        tests[j] = t;
    }
    int status = test_main(tests, count, argc, argv);

    kfree(tests);
    return status;
}

int test_main(const struct test *tests, size_t count, int argc, char **argv)
{
    static const char *const words[] = {"SKIP", "PASS", "ERROR", "FAIL"};
    unsigned int totals[4] = {0};
    enum outcome worst = OUTCOME_SKIP;

    unsigned int online = (unsigned int)__builtin_popcountll(smp_online_mask());

    for (size_t i = 0; i < count; i++) {
        if (!selected(tests[i].name, argc, argv))
            continue;
        unsigned int min_cpus = tests[i].min_cpus ? tests[i].min_cpus : 1;

        if (online < min_cpus) {
            printk("(%s needs %u vCPUs; %u online: not run in this configuration)\n", tests[i].name,
                   min_cpus, online);
            continue;
        }
        const char *why = tests[i].not_here ? tests[i].not_here() : NULL;
        if (why) {
            printk("(%s: %s: not run in this configuration)\n", tests[i].name, why);
            continue;
        }
        printk("test %s: %s\n", tests[i].name, tests[i].doc);
        current = OUTCOME_PASS;
        tests[i].fn();
        printk("test %s: %s\n", tests[i].name, words[current]);
        totals[current]++;
        if (current > worst)
            worst = current;
    }
    printk("tests: %u passed, %u failed, %u errors, %u skipped\n", totals[OUTCOME_PASS],
           totals[OUTCOME_FAIL], totals[OUTCOME_ERROR], totals[OUTCOME_SKIP]);

    static const char *const results[] = {"SKIP", "SUCCESS", "ERROR", "FAILURE"};

    printk("Test result: %s\n", results[worst]);
    return worst == OUTCOME_FAIL || worst == OUTCOME_ERROR ? 1 : 0;
}
