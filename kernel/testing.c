/*
 * The in-guest test runner (see <minios/test.h>).  Tests run one after the
 * other on the calling thread, each under a recovery point (a fault or a
 * watchdog ends it, not the run: <kernel/arch.h>); the worst outcome of
 * each decides its line, the worst line the final result, by XTF's
 * precedence: SUCCESS < SKIP < ERROR < FAILURE.
 */
#include <stdbool.h>
#include <kernel/arch.h>
#include <kernel/format.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/symbols.h>
#include <minios/console.h>
#include <minios/hypervisor.h>
#include <minios/irqflags.h>
#include <minios/mm.h>
#include <minios/probe.h>
#include <minios/smp.h>
#include <minios/test.h>
#include <minios/thread.h>
#include <minios/time.h>
#include <minios/timer.h>

enum outcome { OUTCOME_PASS, OUTCOME_SKIP, OUTCOME_ERROR, OUTCOME_FAIL };

static const char *const words[] = {"PASS", "SKIP", "ERROR", "FAIL"};

static enum outcome current;
static char reason[160]; /* the first message of the worst kind so far */

static void note_reason(enum outcome o, const char *fmt, va_list ap)
{
    if (o > current) {
        current = o;
        kvsnprintf(reason, sizeof(reason), fmt, ap);
    }
}

static void record(enum outcome o, const char *label, const char *fmt, va_list ap)
{
    va_list again;

    va_copy(again, ap);
    note_reason(o, fmt, again);
    va_end(again);
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
    record(OUTCOME_SKIP, "skip", fmt, ap);
    va_end(ap);
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

void test_value(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printk("    value: ");
    vprintk(fmt, ap);
    printk("\n");
    va_end(ap);
}

static void set_reason(enum outcome o, const char *fmt, ...) __printf(2, 3);
static void set_reason(enum outcome o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    note_reason(o, fmt, ap);
    va_end(ap);
}

/* A name matches a pattern where * stands for any characters. */
static bool matches(const char *pat, const char *name)
{
    if (*pat == '\0')
        return *name == '\0';
    if (*pat == '*')
        return matches(pat + 1, name) || (*name && matches(pat, name + 1));
    return *name == *pat && matches(pat + 1, name + 1);
}

static bool selected(const char *name, int argc, char **argv)
{
    if (argc <= 1)
        return true;
    for (int i = 1; i < argc; i++) {
        if (matches(argv[i], name))
            return true;
    }
    return false;
}

static const char *category_name(enum test_category c)
{
    static const char *const names[] = {
        [TEST_UNCATEGORISED] = "minios",
        [TEST_FUNCTIONAL] = "functional",
        [TEST_SMP] = "smp",
        [TEST_NEGATIVE] = "negative",
        [TEST_XSA] = "xsa",
    };

    return (unsigned int)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

/* Why @t cannot run in this configuration, into @buf; false if it can. */
static bool cannot_run(const struct test *t, unsigned int online, char *buf, size_t size)
{
    unsigned int min_cpus = t->min_cpus ? t->min_cpus : 1;
    const char *why;

    if (online < min_cpus) {
        ksnprintf(buf, size, "needs %u vCPUs; %u online", min_cpus, online);
        return true;
    }
    if ((t->needs & TEST_NEEDS_DOM0) && !xen_is_initial_domain()) {
        ksnprintf(buf, size, "needs dom0 (privileged); this is a domU");
        return true;
    }
    if ((t->needs & TEST_NEEDS_DOMU) && xen_is_initial_domain()) {
        ksnprintf(buf, size, "needs a domU; this is dom0");
        return true;
    }
    why = t->not_here ? t->not_here() : NULL;
    if (why) {
        ksnprintf(buf, size, "%s", why);
        return true;
    }
    return false;
}

static void watchdog_fire(struct timer *timer, void *arg)
{
    unsigned int self = this_cpu()->id;
    cpumask_t online = smp_online_mask();

    (void)timer;
    arch_recovery_request_abort(arg);
    /* The test may be spinning on another vCPU: an IPI interrupts it there. */
    for (unsigned int cpu = 0; cpu < 64; cpu++) {
        if (cpu != self && (online & CPUMASK_ONE(cpu)))
            ipi_send(cpu, IPI_RESCHEDULE);
    }
}

static void describe_early_end(const struct recovery_point *rp, unsigned int timeout_ms)
{
    unsigned long offset;
    const char *fn = symbol_lookup(rp->rip, &offset);

    if (rp->ended_by == RECOVERY_ABORT) {
        set_reason(OUTCOME_FAIL,
                   "timeout: still running after %u ms, stopped at rip %#lx <%s+%#lx>", timeout_ms,
                   rp->rip, fn ? fn : "?", fn ? offset : 0);
    } else if (rp->vector == X86_EXC_PF) {
        set_reason(OUTCOME_FAIL,
                   "fault: %s (vector %lu), error code %#lx, address %#lx, at rip %#lx <%s+%#lx>",
                   exception_name((unsigned int)rp->vector), rp->vector, rp->error_code,
                   rp->address, rp->rip, fn ? fn : "?", fn ? offset : 0);
    } else {
        set_reason(OUTCOME_FAIL, "fault: %s (vector %lu), error code %#lx, at rip %#lx <%s+%#lx>",
                   exception_name((unsigned int)rp->vector), rp->vector, rp->error_code, rp->rip,
                   fn ? fn : "?", fn ? offset : 0);
    }
    printk("    fail: %s\n", reason);
}

/* Runs one test under a recovery point and its watchdog; its outcome is in current. */
static void run_one(const struct test *t)
{
    static struct recovery_point rp;
    unsigned int timeout_ms = t->timeout_ms;
    struct timer watchdog;

    if (!timeout_ms && t->category != TEST_UNCATEGORISED)
        timeout_ms = XEN_TEST_TIMEOUT_MS;
    current = OUTCOME_PASS;
    reason[0] = '\0';
    timer_init(&watchdog, watchdog_fire, &rp);
    arch_recovery_arm(&rp, thread_self());
    if (timeout_ms) {
        uint64_t deadline = monotonic_ns() + (uint64_t)timeout_ms * 1000000;

        /* The timer ends a test an upcall interrupts; the deadline one blocked in Xen. */
        arch_recovery_set_deadline(&rp, deadline);
        timer_arm(&watchdog, deadline);
    }
    int ended_early = arch_recovery_run(&rp, t->fn);
    unsigned int spinlocks = 0, mutexes = 0;

    if (ended_early) {
        /* What it held stays held, for the next test to deadlock on: release it. */
        spinlocks = arch_recovery_release_spinlocks(&rp);
        /* A fault in event context left events masked: the runner needs them. */
        local_irq_enable();
        for (void *m; (m = arch_recovery_next_mutex(&rp));) {
            if (mutex_release_abandoned(m, thread_self()))
                mutexes++;
        }
    }
    arch_recovery_disarm();
    timer_cancel(&watchdog);
    if (ended_early) {
        describe_early_end(&rp, timeout_ms);
        if (spinlocks || mutexes || rp.unrecorded)
            test_note("released what it held: %u spinlock(s), %u mutex acquisition(s)%s", spinlocks,
                      mutexes, rp.unrecorded ? "; more were taken than recorded" : "");
    }
}

static void list_catalogue(const struct test *tests, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const struct test *t = &tests[i];
        unsigned int cpus = t->min_cpus ? t->min_cpus : 1;

        printk("catalogue: %s | %s | %u vCPU%s%s | %s | %s\n", t->name, category_name(t->category),
               cpus, cpus > 1 ? "s" : "",
               t->needs & TEST_NEEDS_DOM0   ? ", dom0"
               : t->needs & TEST_NEEDS_DOMU ? ", domU"
                                            : "",
               t->doc, t->source ? t->source : "-");
    }
    printk("catalogue: %zu tests\n", count);
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
    unsigned int totals[4] = {0};
    enum outcome worst = OUTCOME_PASS;
    unsigned int online = (unsigned int)__builtin_popcountll(smp_online_mask());
    char why[96];

    if (argc > 1 && strcmp(argv[1], "--list") == 0) {
        list_catalogue(tests, count);
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        const struct test *t = &tests[i];

        if (!selected(t->name, argc, argv))
            continue;
        if (cannot_run(t, online, why, sizeof(why))) {
            if (t->category == TEST_UNCATEGORISED) {
                /* minios's own tests run where they apply: a remark, no line. */
                printk("(%s: %s: not run in this configuration)\n", t->name, why);
                continue;
            }
            current = OUTCOME_SKIP;
            ksnprintf(reason, sizeof(reason), "%s", why);
        } else {
            uint64_t t0 = monotonic_ns();

            printk("test %s: %s\n", t->name, t->doc);
            run_one(t);
            if (t->category != TEST_UNCATEGORISED)
                printk("    took %llu us\n", (unsigned long long)((monotonic_ns() - t0) / 1000));
        }
        if (t->category != TEST_UNCATEGORISED)
            printk("    about: %s | %s | %s | %s\n", t->name, category_name(t->category),
                   t->source ? t->source : "-", t->doc);
        if (current == OUTCOME_PASS)
            printk("test %s: PASS\n", t->name);
        else
            printk("test %s: %s: %s\n", t->name, words[current], reason);
        totals[current]++;
        if (current > worst)
            worst = current;
    }
    printk("tests: %u passed, %u failed, %u errors, %u skipped\n", totals[OUTCOME_PASS],
           totals[OUTCOME_FAIL], totals[OUTCOME_ERROR], totals[OUTCOME_SKIP]);

    static const char *const results[] = {"SUCCESS", "SKIP", "ERROR", "FAILURE"};

    /* Nothing ran at all: nothing applied here, which XTF calls SKIP. */
    if (totals[OUTCOME_PASS] + totals[OUTCOME_SKIP] + totals[OUTCOME_ERROR] +
            totals[OUTCOME_FAIL] ==
        0)
        worst = OUTCOME_SKIP;
    printk("Test result: %s\n", results[worst]);
    return worst == OUTCOME_FAIL || worst == OUTCOME_ERROR ? 1 : 0;
}
