/*
 * The xenstore client against the real xenstored of a Linux dom0 (run as a
 * domU by tests/domu.sh).  Everything is written under our own
 * data/minios-test, which the toolstack lets a domain write, and removed
 * again.  As dom0 there is no xenstore: test_xs_absent checks that every
 * call says so at once with -XEN_ENODEV, and the others do not apply.
 */
#include <stdio.h>
#include <string.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/mm.h>
#include <minios/smp.h>
#include <minios/sync.h>
#include <minios/test.h>
#include <minios/thread.h>
#include <minios/time.h>
#include <minios/xenstore.h>
#include <xen/io/xs_wire.h>
#include "suite.h"

#define ROOT XS_TEST_ROOT

const char *without_store(void)
{
    return xs_available() ? NULL : "no xenstore (dom0 without a store)";
}

const char *with_store(void)
{
    return xs_available() ? "a xenstore is connected (this checks a dom0 without one)" : NULL;
}

void xs_expect_rc(const char *what, long got, long want)
{
    CHECK(got == want, "%s: %ld (%s), expected %ld (%s)", what, got, xen_strerror(got), want,
          xen_strerror(want));
}

/* Reads @path and compares with @want (a string). */
static void expect_value(const char *path, const char *want)
{
    char buf[XS_VALUE_MAX + 1];
    long n = xs_read(XS_TX_NONE, path, buf, sizeof(buf));

    if (n < 0)
        test_fail("reading %s: %ld (%s), expected \"%s\"", path, n, xen_strerror(n), want);
    else
        CHECK((size_t)n == strlen(want) && memcmp(buf, want, (size_t)n) == 0,
              "%s holds \"%s\" (%ld bytes), expected \"%s\"", path, buf, n, want);
}

void xs_test_cleanup(void)
{
    long rc = xs_rm(XS_TX_NONE, ROOT);

    CHECK(rc == 0 || rc == -XEN_ENOENT, "removing " ROOT ": %ld (%s)", rc, xen_strerror(rc));
}

TEST_DEFINE(test_xs_absent, "as a dom0 without a store, every xenstore call says -ENODEV",
            .not_here = with_store)
{
    struct xs_watch w;
    xs_tx_t tx;
    char buf[8], **names;
    uint64_t start = monotonic_ns();

    xs_expect_rc("xs_read", xs_read(XS_TX_NONE, "name", buf, sizeof(buf)), -XEN_ENODEV);
    xs_expect_rc("xs_write", xs_write(XS_TX_NONE, "data/x", "1"), -XEN_ENODEV);
    xs_expect_rc("xs_directory", xs_directory(XS_TX_NONE, "data", &names), -XEN_ENODEV);
    xs_expect_rc("xs_transaction_start", xs_transaction_start(&tx), -XEN_ENODEV);
    xs_expect_rc("xs_watch_start", xs_watch_start(&w, "data", NULL, NULL), -XEN_ENODEV);
    /* At once, not after a request's timeout: a bound far from both host jitter and it. */
    CHECK(monotonic_ns() - start < NSEC_PER_SEC / 2, "refusing took %lu us, as if it waited",
          (unsigned long)((monotonic_ns() - start) / 1000));
}

TEST_DEFINE(test_xs_identity, "our domid, name and vm path; a relative path is under our home",
            .not_here = without_store)
{
    char name[64], vm[128], abs_path[64], abs_name[64];
    uint32_t domid;
    long n;

    xs_expect_rc("reading domid", xs_read_u32(XS_TX_NONE, "domid", &domid), 0);
    CHECK(domid == xen_self_domid(), "xenstore says domid %u, Xen says %u", domid,
          xen_self_domid());
    n = xs_read(XS_TX_NONE, "name", name, sizeof(name));
    CHECK(n > 0, "reading name: %ld (%s)", n, xen_strerror(n));
    n = xs_read(XS_TX_NONE, "vm", vm, sizeof(vm));
    CHECK(n > 4 && memcmp(vm, "/vm/", 4) == 0, "vm is \"%s\" (%ld)", n > 0 ? vm : "", n);

    /* A relative path is relative to /local/domain/<id>. */
    snprintf(abs_path, sizeof(abs_path), "/local/domain/%u/name", xen_self_domid());
    n = xs_read(XS_TX_NONE, abs_path, abs_name, sizeof(abs_name));
    CHECK(n >= 0 && strcmp(abs_name, name) == 0, "%s: %ld, \"%s\" vs \"%s\"", abs_path, n,
          n >= 0 ? abs_name : "", name);
    test_note("domid %u, name \"%s\", vm %s", domid, name, vm);
}

TEST_DEFINE(test_xs_read_write, "values round-trip byte for byte; errors map to their errnos",
            .not_here = without_store)
{
    static char big[2001], back[XS_VALUE_MAX + 1];
    char small[4];
    uint32_t u;
    long n;

    xs_expect_rc("write", xs_write(XS_TX_NONE, ROOT "/a", "hello"), 0);
    expect_value(ROOT "/a", "hello");
    xs_expect_rc("overwrite", xs_write(XS_TX_NONE, ROOT "/a", "bye"), 0);
    expect_value(ROOT "/a", "bye");
    xs_expect_rc("empty value", xs_write(XS_TX_NONE, ROOT "/empty", ""), 0);
    expect_value(ROOT "/empty", "");
    xs_expect_rc("a buffer too small", xs_read(XS_TX_NONE, ROOT "/a", small, 3), -XEN_ERANGE);
    xs_expect_rc("a buffer just large enough", xs_read(XS_TX_NONE, ROOT "/a", small, 4), 3);

    /* Values are bytes: NULs and every other byte survive. */
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)(i * 7 + 3);
    xs_expect_rc("2001 raw bytes", xs_write_bytes(XS_TX_NONE, ROOT "/big", big, sizeof(big)), 0);
    n = xs_read(XS_TX_NONE, ROOT "/big", back, sizeof(back));
    CHECK(n == sizeof(big) && memcmp(back, big, sizeof(big)) == 0 && back[n] == '\0',
          "2001 raw bytes came back as %ld bytes, %s", n,
          n == sizeof(big) ? "different" : "the wrong size");

    xs_expect_rc("xs_printf", xs_printf(XS_TX_NONE, ROOT "/n", "%u", 4000000000u), 0);
    xs_expect_rc("xs_read_u32", xs_read_u32(XS_TX_NONE, ROOT "/n", &u), 0);
    CHECK(u == 4000000000u, "read back %u", u);
    xs_expect_rc("xs_read_u32 of a word", xs_read_u32(XS_TX_NONE, ROOT "/a", &u), -XEN_EINVAL);

    /* Errors: from xenstored, and ours before anything is sent. */
    xs_expect_rc("reading a missing key", xs_read(XS_TX_NONE, ROOT "/missing", back, sizeof(back)),
                 -XEN_ENOENT);
    xs_expect_rc("a path with //", xs_write(XS_TX_NONE, ROOT "//x", "1"), -XEN_EINVAL);
    xs_expect_rc("a trailing /", xs_write(XS_TX_NONE, ROOT "/x/", "1"), -XEN_EINVAL);
    xs_expect_rc("a bad character", xs_write(XS_TX_NONE, ROOT "/x y", "1"), -XEN_EINVAL);
    xs_expect_rc("a value over the payload limit",
                 xs_write_bytes(XS_TX_NONE, ROOT "/x", back, XS_VALUE_MAX), -XEN_E2BIG);
    n = xs_write_bytes(XS_TX_NONE, ROOT "/x", back, 3000);
    CHECK(n < 0, "a 3000-byte value was accepted: xenstored's quota is 2048");
    test_note("a 3000-byte value: %ld (%s)", n, xen_strerror(n));
    xs_expect_rc("creating a node in our home, which is dom0's",
                 xs_mkdir(XS_TX_NONE, "minios-forbidden"), -XEN_EACCES);
    xs_test_cleanup();
}

static bool holds(char **names, long n, const char *name)
{
    for (long i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0)
            return true;
    }
    return false;
}

TEST_DEFINE(test_xs_directory_rm, "mkdir, directory lists the children, rm removes the subtree",
            .not_here = without_store)
{
    char **names, buf[8];
    long n;

    xs_expect_rc("mkdir", xs_mkdir(XS_TX_NONE, ROOT "/d"), 0);
    xs_expect_rc("mkdir again", xs_mkdir(XS_TX_NONE, ROOT "/d"), 0);
    n = xs_directory(XS_TX_NONE, ROOT "/d", &names);
    CHECK(n == 0 && names && names[0] == NULL, "an empty directory lists %ld names", n);
    kfree(names);
    for (int i = 0; i < 3; i++) {
        char path[64];

        snprintf(path, sizeof(path), ROOT "/d/child-%d", i);
        xs_expect_rc(path, xs_write(XS_TX_NONE, path, "x"), 0);
    }
    n = xs_directory(XS_TX_NONE, ROOT "/d", &names);
    if (n < 0) {
        test_fail("directory: %ld (%s)", n, xen_strerror(n));
    } else {
        CHECK(n == 3 && names[3] == NULL, "%ld names", n);
        CHECK(holds(names, n, "child-0") && holds(names, n, "child-1") &&
                  holds(names, n, "child-2"),
              "the names are not child-0..2");
        kfree(names);
    }
    xs_expect_rc("directory of a missing node", xs_directory(XS_TX_NONE, ROOT "/nope", &names),
                 -XEN_ENOENT);
    CHECK(names == NULL, "names set on failure");
    xs_expect_rc("rm of a subtree", xs_rm(XS_TX_NONE, ROOT "/d"), 0);
    xs_expect_rc("a removed child", xs_read(XS_TX_NONE, ROOT "/d/child-1", buf, sizeof(buf)),
                 -XEN_ENOENT);
    /* xenstored: removing what is not there is fine while its parent is. */
    xs_expect_rc("rm again", xs_rm(XS_TX_NONE, ROOT "/d"), 0);
    xs_expect_rc("rm without a parent", xs_rm(XS_TX_NONE, ROOT "/d/e"), -XEN_ENOENT);
    xs_test_cleanup();
}

TEST_DEFINE(test_xs_permissions, "permissions round-trip; changing dom0's node is refused",
            .not_here = without_store)
{
    struct xs_perm p[4];
    domid_t self = xen_self_domid();
    long n;

    xs_expect_rc("write", xs_write(XS_TX_NONE, ROOT "/p", "x"), 0);
    n = xs_get_perms(XS_TX_NONE, ROOT "/p", p, ARRAY_SIZE(p));
    CHECK(n >= 1 && p[0].domid == self, "a node we created: %ld entries, owner %d", n,
          n >= 1 ? p[0].domid : -1);

    struct xs_perm set[] = {{self, XS_ACCESS_NONE}, {0, XS_ACCESS_READ}};

    xs_expect_rc("set_perms", xs_set_perms(XS_TX_NONE, ROOT "/p", set, 2), 0);
    n = xs_get_perms(XS_TX_NONE, ROOT "/p", p, ARRAY_SIZE(p));
    CHECK(n == 2 && p[0].domid == self && p[0].access == XS_ACCESS_NONE && p[1].domid == 0 &&
              p[1].access == XS_ACCESS_READ,
          "read back %ld entries: %d%c %d%c", n, p[0].domid, (char)p[0].access, p[1].domid,
          n >= 2 ? (char)p[1].access : '-');

    struct xs_perm both[] = {{self, XS_ACCESS_BOTH}};

    xs_expect_rc("set_perms again", xs_set_perms(XS_TX_NONE, ROOT "/p", both, 1), 0);
    n = xs_get_perms(XS_TX_NONE, ROOT "/p", p, 1);
    CHECK(n == 1 && p[0].access == XS_ACCESS_BOTH, "read back %ld entries, access %c", n,
          (char)p[0].access);
    xs_expect_rc("an empty list", xs_set_perms(XS_TX_NONE, ROOT "/p", both, 0), -XEN_EINVAL);
    struct xs_perm bad[] = {{self, (enum xs_access)'x'}};

    xs_expect_rc("an unknown access", xs_set_perms(XS_TX_NONE, ROOT "/p", bad, 1), -XEN_EINVAL);
    /* Our home belongs to dom0: we may read it, not change who may. */
    struct xs_perm mine[] = {{self, XS_ACCESS_BOTH}};

    xs_expect_rc("set_perms on our name (dom0's)", xs_set_perms(XS_TX_NONE, "name", mine, 1),
                 -XEN_EACCES);
    xs_test_cleanup();
}

static int add_one(xs_tx_t tx, void *arg)
{
    unsigned int *attempts = arg;
    uint32_t v;
    int rc = xs_read_u32(tx, ROOT "/counter", &v);

    __atomic_fetch_add(attempts, 1, __ATOMIC_RELAXED);
    if (rc)
        return rc;
    return xs_printf(tx, ROOT "/counter", "%u", v + 1);
}

TEST_DEFINE(test_xs_transaction, "transactions isolate, commit, abort, and report a conflict",
            .not_here = without_store)
{
    char buf[8];
    xs_tx_t tx;
    unsigned int attempts = 0;

    /* Writes in a transaction are seen inside it, and outside only after the commit. */
    xs_expect_rc("start", xs_transaction_start(&tx), 0);
    xs_expect_rc("write in tx", xs_write(tx, ROOT "/tx", "in"), 0);
    xs_expect_rc("read in tx", xs_read(tx, ROOT "/tx", buf, sizeof(buf)), 2);
    xs_expect_rc("read outside", xs_read(XS_TX_NONE, ROOT "/tx", buf, sizeof(buf)), -XEN_ENOENT);
    xs_expect_rc("commit", xs_transaction_end(tx, true), 0);
    expect_value(ROOT "/tx", "in");
    xs_expect_rc("using an ended transaction", xs_read(tx, ROOT "/tx", buf, sizeof(buf)),
                 -XEN_ENOENT);

    xs_expect_rc("start", xs_transaction_start(&tx), 0);
    xs_expect_rc("write in tx", xs_write(tx, ROOT "/aborted", "x"), 0);
    xs_expect_rc("abort", xs_transaction_end(tx, false), 0);
    xs_expect_rc("read after abort", xs_read(XS_TX_NONE, ROOT "/aborted", buf, sizeof(buf)),
                 -XEN_ENOENT);

    /* A conflict: what the transaction read changed before it committed. */
    xs_expect_rc("write", xs_write(XS_TX_NONE, ROOT "/c", "0"), 0);
    xs_expect_rc("start", xs_transaction_start(&tx), 0);
    xs_expect_rc("read in tx", xs_read(tx, ROOT "/c", buf, sizeof(buf)), 1);
    xs_expect_rc("write outside", xs_write(XS_TX_NONE, ROOT "/c", "1"), 0);
    xs_expect_rc("write in tx", xs_write(tx, ROOT "/c", "2"), 0);
    xs_expect_rc("commit after a conflict", xs_transaction_end(tx, true), -XEN_EAGAIN);
    expect_value(ROOT "/c", "1");
    xs_expect_rc("ending XS_TX_NONE", xs_transaction_end(XS_TX_NONE, true), -XEN_EINVAL);

    /* The helper: one increment. */
    xs_expect_rc("write", xs_write(XS_TX_NONE, ROOT "/counter", "41"), 0);
    xs_expect_rc("xs_transaction", xs_transaction(add_one, &attempts), 0);
    expect_value(ROOT "/counter", "42");
    CHECK(attempts == 1, "%u attempts without contention", attempts);
    xs_test_cleanup();
}

/* ---- Several threads on several vCPUs ---------------------------------- */

#define WORKERS         8
#define ROUNDS          40
#define COUNTER_WORKERS 4
#define INCREMENTS      10

struct worker {
    unsigned int index;
    unsigned int errors;
    unsigned int attempts;
    char first_error[96];
};

static void worker_error(struct worker *w, const char *fmt, long a, long b)
{
    if (w->errors++ == 0)
        snprintf(w->first_error, sizeof(w->first_error), fmt, a, b);
}

static void *read_write_worker(void *arg)
{
    struct worker *w = arg;
    char path[64], want[32], got[32];

    snprintf(path, sizeof(path), ROOT "/conc/w%u", w->index);
    for (unsigned int round = 0; round < ROUNDS; round++) {
        int n = snprintf(want, sizeof(want), "%u-%u", w->index, round);
        long rc = xs_write(XS_TX_NONE, path, want);

        if (rc) {
            worker_error(w, "round %ld: write: %ld", round, rc);
            continue;
        }
        rc = xs_read(XS_TX_NONE, path, got, sizeof(got));
        if (rc != n || memcmp(got, want, (size_t)n) != 0)
            worker_error(w, "round %ld: read back %ld bytes", round, rc);
    }
    return NULL;
}

static void *counter_worker(void *arg)
{
    struct worker *w = arg;

    for (unsigned int i = 0; i < INCREMENTS; i++) {
        int rc = xs_transaction(add_one, &w->attempts);

        if (rc)
            worker_error(w, "increment %ld: %ld", i, rc);
    }
    return NULL;
}

/* Runs @count threads of @fn, thread i pinned to vCPU i % (vCPUs online). */
static void run_workers(void *(*fn)(void *), struct worker *w, unsigned int count)
{
    struct thread *t[WORKERS];
    unsigned int cpus = smp_cpu_count();

    for (unsigned int i = 0; i < count; i++) {
        struct thread_attr attr = THREAD_ATTR_DEFAULT;

        w[i] = (struct worker){.index = i};
        attr.name = "xs-worker";
        attr.cpu = (int)(i % cpus);
        t[i] = thread_create(fn, &w[i], &attr);
        if (!t[i])
            test_error("thread_create failed");
    }
    for (unsigned int i = 0; i < count; i++) {
        if (t[i])
            thread_join(t[i], NULL);
    }
    for (unsigned int i = 0; i < count; i++)
        CHECK(w[i].errors == 0, "worker %u: %u errors, first: %s", i, w[i].errors,
              w[i].first_error);
}

TEST_DEFINE(test_xs_concurrent, "8 threads on all vCPUs share the connection; no increment lost",
            .not_here = without_store)
{
    struct worker w[WORKERS];
    char buf[8];
    uint64_t start;

    /* One thread alone first: the round trip of one request. */
    start = monotonic_ns();
    for (int i = 0; i < 100; i++)
        xs_read(XS_TX_NONE, "domid", buf, sizeof(buf));
    uint64_t single = (monotonic_ns() - start) / 100;

    start = monotonic_ns();
    run_workers(read_write_worker, w, WORKERS);
    uint64_t spent = monotonic_ns() - start;

    test_note("round trip alone: %lu us; %u threads on %u vCPUs: %u requests in %lu ms "
              "(%lu us each)",
              (unsigned long)(single / 1000), WORKERS, smp_cpu_count(), WORKERS * ROUNDS * 2,
              (unsigned long)(spent / NSEC_PER_MSEC),
              (unsigned long)(spent / 1000 / (WORKERS * ROUNDS * 2)));

    /* Read-modify-write in transactions: conflicts retry, no increment is lost. */
    xs_expect_rc("write", xs_write(XS_TX_NONE, ROOT "/counter", "0"), 0);
    run_workers(counter_worker, w, COUNTER_WORKERS);

    unsigned int attempts = 0;

    for (unsigned int i = 0; i < COUNTER_WORKERS; i++)
        attempts += w[i].attempts;
    char want[16];

    snprintf(want, sizeof(want), "%u", COUNTER_WORKERS * INCREMENTS);
    expect_value(ROOT "/counter", want);
    test_note("%u increments in transactions took %u attempts", COUNTER_WORKERS * INCREMENTS,
              attempts);
    xs_test_cleanup();
}
