/*
 * xenstore watches against the real xenstored (run as a domU by
 * tests/domu.sh): events, a flood beyond the queue's bound, and a lying
 * peer played by writing into our own reply ring.
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

/* ---- Watches --------------------------------------------------------------- */

#define EVENTS_KEPT 8

struct watch_log {
    unsigned int events;
    char paths[EVENTS_KEPT][64];
    long read_rc;   /* a request made from inside the callback */
    bool stop_self; /* the callback stops its own watch */
    int stop_rc;
};

static void record(struct xs_watch *w, const char *path, void *arg)
{
    struct watch_log *log = arg;
    unsigned int i = log->events;
    char buf[8];

    if (i < EVENTS_KEPT)
        strlcpy(log->paths[i], path, sizeof(log->paths[i]));
    log->read_rc = xs_read(XS_TX_NONE, "domid", buf, sizeof(buf));
    if (log->stop_self)
        log->stop_rc = xs_watch_stop(w);
    __atomic_store_n(&log->events, i + 1, __ATOMIC_RELEASE);
}

/* Waits up to 5 s (a loaded TCG host is slow) for @log to reach @n events. */
static bool wait_events(struct watch_log *log, unsigned int n)
{
    uint64_t deadline = monotonic_ns() + 5 * NSEC_PER_SEC;

    while (__atomic_load_n(&log->events, __ATOMIC_ACQUIRE) < n && monotonic_ns() < deadline)
        thread_sleep_ns(NSEC_PER_MSEC);
    return __atomic_load_n(&log->events, __ATOMIC_ACQUIRE) >= n;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);

    return a >= b && strcmp(s + a - b, tail) == 0;
}

TEST_DEFINE(test_xs_watch, "watches fire first at once, then on changes; callbacks and waits",
            .not_here = without_store)
{
    static struct watch_log log, self_log;
    static struct xs_watch w, counted, self_stopping;
    long n;

    memset(&log, 0, sizeof(log));
    xs_expect_rc("mkdir", xs_mkdir(XS_TX_NONE, ROOT "/w"), 0);
    xs_expect_rc("watch", xs_watch_start(&w, ROOT "/w", record, &log), 0);
    /* xenstored fires a new watch once, with the watched path. */
    CHECK(wait_events(&log, 1), "no first event within 5 s");
    CHECK(ends_with(log.paths[0], ROOT "/w"), "first event for \"%s\"", log.paths[0]);

    uint64_t start = monotonic_ns();

    xs_expect_rc("write", xs_write(XS_TX_NONE, ROOT "/w/a", "1"), 0);
    CHECK(wait_events(&log, 2), "no event for a write within 5 s");
    test_note("write to callback: %lu us", (unsigned long)((monotonic_ns() - start) / 1000));
    CHECK(ends_with(log.paths[1], ROOT "/w/a"), "event for \"%s\"", log.paths[1]);
    xs_expect_rc("a request from inside the callback", log.read_rc, 1);

    /* A watch without a callback, consumed with xs_watch_wait(). */
    xs_expect_rc("watch", xs_watch_start(&counted, ROOT "/w/a", NULL, NULL), 0);
    n = xs_watch_wait(&counted, monotonic_ns() + 5 * NSEC_PER_SEC);
    CHECK(n >= 1, "xs_watch_wait: %ld for the first firing", n);
    start = monotonic_ns();
    n = xs_watch_wait(&counted, start + 50 * NSEC_PER_MSEC);
    CHECK(n == 0 && monotonic_ns() - start >= 50 * NSEC_PER_MSEC, "nothing changed, yet %ld", n);
    xs_expect_rc("rm", xs_rm(XS_TX_NONE, ROOT "/w/a"), 0);
    n = xs_watch_wait(&counted, monotonic_ns() + 5 * NSEC_PER_SEC);
    CHECK(n >= 1, "xs_watch_wait: %ld after a removal", n);
    xs_expect_rc("stop", xs_watch_stop(&counted), 0);

    /* Once stopped, a watch reports nothing. */
    xs_expect_rc("stop", xs_watch_stop(&w), 0);
    unsigned int before = __atomic_load_n(&log.events, __ATOMIC_ACQUIRE);

    xs_expect_rc("write", xs_write(XS_TX_NONE, ROOT "/w/b", "1"), 0);
    thread_sleep_ns(200 * NSEC_PER_MSEC);
    CHECK(log.events == before, "%u events after the watch stopped", log.events - before);
    xs_expect_rc("stopping twice", xs_watch_stop(&w), -XEN_EINVAL);

    /* A callback may stop its own watch. */
    memset(&self_log, 0, sizeof(self_log));
    self_log.stop_self = true;
    xs_expect_rc("watch", xs_watch_start(&self_stopping, ROOT "/w", record, &self_log), 0);
    CHECK(wait_events(&self_log, 1), "no first event within 5 s");
    xs_expect_rc("stop from inside the callback", self_log.stop_rc, 0);
    xs_expect_rc("write", xs_write(XS_TX_NONE, ROOT "/w/c", "1"), 0);
    thread_sleep_ns(200 * NSEC_PER_MSEC);
    CHECK(self_log.events == 1, "%u events", self_log.events);

    xs_expect_rc("a watch on a bad path", xs_watch_start(&w, ROOT "//w", record, &log),
                 -XEN_EINVAL);
    xs_test_cleanup();
}

/* ---- A flood of watch events ------------------------------------------------ */

#define FLOOD_WRITES 300
#define QUEUE_MAX    256 /* drivers/xenstore/xenstore_watch.c's bound on waiting events */

/*
 * How long the first callback holds at most: only a broken test waits that
 * long.  The writes must end well within it: 300 writes took about 30 s
 * as a PVH domU under TCG (a round trip to xenstored each), and a hold
 * that ran out during them let the watch thread take more events.
 */
#define FLOOD_HOLD_S 120

struct flood {
    struct semaphore go; /* the first callback waits for it */
    unsigned int calls;
    bool hold_expired; /* the first callback stopped waiting before go */
};

static void held_callback(struct xs_watch *w, const char *path, void *arg)
{
    struct flood *f = arg;

    (void)w;
    (void)path;
    if (__atomic_fetch_add(&f->calls, 1, __ATOMIC_RELEASE) == 0 &&
        !semaphore_down_until(&f->go, monotonic_ns() + FLOOD_HOLD_S * NSEC_PER_SEC))
        __atomic_store_n(&f->hold_expired, true, __ATOMIC_RELEASE);
}

/* Waits until @f->calls stays put for 200 ms. */
static unsigned int settled_calls(struct flood *f)
{
    unsigned int last;

    do {
        last = __atomic_load_n(&f->calls, __ATOMIC_ACQUIRE);
        thread_sleep_ns(200 * NSEC_PER_MSEC);
    } while (__atomic_load_n(&f->calls, __ATOMIC_ACQUIRE) != last);
    return last;
}

TEST_DEFINE(test_xs_watch_flood, "events beyond the queue's bound are dropped, yet all counted",
            .not_here = without_store)
{
    static struct xs_watch w;
    static struct flood f;
    char path[64];
    unsigned int failed = 0;

    f.calls = 0;
    f.hold_expired = false;
    semaphore_init(&f.go, 0);
    xs_expect_rc("mkdir", xs_mkdir(XS_TX_NONE, ROOT "/f"), 0);
    xs_expect_rc("watch", xs_watch_start(&w, ROOT "/f", held_callback, &f), 0);
    /* The first firing's callback now sits on the semaphore: events queue up. */
    uint64_t start = monotonic_ns();
    for (int i = 0; i < FLOOD_WRITES; i++) {
        snprintf(path, sizeof(path), ROOT "/f/k%d", i);
        failed += xs_write(XS_TX_NONE, path, "x") != 0;
    }
    uint64_t writes_ms = (monotonic_ns() - start) / NSEC_PER_MSEC;
    CHECK(failed == 0, "%u writes failed", failed);
    semaphore_up(&f.go);

    unsigned int calls = settled_calls(&f);
    long counted = xs_watch_wait(&w, monotonic_ns());

    CHECK(!__atomic_load_n(&f.hold_expired, __ATOMIC_ACQUIRE),
          "the first callback stopped waiting after %d s, during the writes (%lu ms)", FLOOD_HOLD_S,
          (unsigned long)writes_ms);
    /* xenstored sends each event before the reply to the write that caused it. */
    CHECK(calls == 1 + QUEUE_MAX, "%u callbacks, expected the first and %u queued", calls,
          QUEUE_MAX);
    CHECK(counted == 1 + FLOOD_WRITES, "xs_watch_wait counted %ld events, expected %d", counted,
          1 + FLOOD_WRITES);
    test_note("%d events while the callback was held: %u callbacks, %ld counted; the writes took "
              "%lu ms",
              1 + FLOOD_WRITES, calls, counted, (unsigned long)writes_ms);
    xs_expect_rc("stop", xs_watch_stop(&w), 0);
    xs_test_cleanup();
}

/* ---- A lying peer ------------------------------------------------------------
 * We play xenstored's part by writing messages into our own reply ring (the
 * page is ours) and advancing its producer index.  Nothing reads them until
 * the reader is woken, which the next real request's reply does: so every
 * injected message is handled, in order, before that reply.  We only write
 * while xenstored has nothing left to send us, or our bytes and its would
 * mix.  The console lines each refusal logs are checked by tests/domu.sh.
 */

static struct xenstore_domain_interface *store_page(void)
{
    return pfn_to_virt(mfn_to_pfn(start_info.store_mfn));
}

/* A message whose header says @len; only the header if @payload is NULL. */
static void inject(uint32_t type, uint32_t req_id, const void *payload, uint32_t len)
{
    struct xenstore_domain_interface *intf = store_page();
    struct xsd_sockmsg hdr = {.type = type, .req_id = req_id, .tx_id = 0, .len = len};
    uint32_t prod = __atomic_load_n(&intf->rsp_prod, __ATOMIC_ACQUIRE);
    const char *parts[2] = {(const char *)&hdr, payload};
    size_t sizes[2] = {sizeof(hdr), payload ? len : 0};

    for (int p = 0; p < 2; p++) {
        for (size_t i = 0; i < sizes[p]; i++)
            intf->rsp[MASK_XENSTORE_IDX(prod++)] = parts[p][i];
    }
    __atomic_store_n(&intf->rsp_prod, prod, __ATOMIC_RELEASE);
}

/*
 * Before a reply meant for the next request is injected: xenstored may
 * notify us once more after its last reply (for the request it consumed),
 * and a notification arriving after the injection would wake the reader
 * before the request waits, dropping the reply as a stray one (seen once
 * as a PVH domU: "dropped a WRITE reply").  Let any such event land first.
 */
static void settle(void)
{
    thread_sleep_ns(100 * NSEC_PER_MSEC);
}

/* The req_id of the last request we put on the ring, read back from the ring itself. */
static uint32_t last_req_id(size_t request_len)
{
    struct xenstore_domain_interface *intf = store_page();
    uint32_t start = intf->req_prod - (uint32_t)request_len;
    struct xsd_sockmsg hdr;

    for (size_t i = 0; i < sizeof(hdr); i++)
        ((char *)&hdr)[i] = intf->req[MASK_XENSTORE_IDX(start + (uint32_t)i)];
    return hdr.req_id;
}

static long read_domid(void)
{
    char buf[8];

    return xs_read(XS_TX_NONE, "domid", buf, sizeof(buf));
}

TEST_DEFINE_LAST(test_xs_lying_peer,
                 "lying replies and events are refused; a framing error is final",
                 .not_here = without_store)
{
    static const char token_event[] = "data/x\0somebody-else\0";
    static const char torn_event[] = "data/x\0minios-1";
    static struct watch_log log;
    static struct xs_watch w;
    char event[64];
    long rc;

    if (thread_count() != 1) {
        /* Request ids are guessed from the last one: nobody else may make requests. */
        test_skip("other threads run: request ids cannot be predicted");
        return;
    }
    memset(&log, 0, sizeof(log));
    xs_expect_rc("mkdir", xs_mkdir(XS_TX_NONE, ROOT "/lie"), 0);
    xs_expect_rc("watch", xs_watch_start(&w, ROOT "/lie", record, &log), 0);
    CHECK(wait_events(&log, 1), "no first event within 5 s");

    /* A reply nobody asked for is dropped; the stream goes on. */
    inject(XS_READ, 0x7fffffff, "abc", 3);
    xs_expect_rc("a read after a stray reply", read_domid(), 1);

    /* A reply of the wrong type for a waiting request is refused. */
    size_t read_len = sizeof(struct xsd_sockmsg) + sizeof("domid");
    uint32_t id = last_req_id(read_len);

    settle();
    inject(XS_WRITE, id + 1, "OK", 3);
    xs_expect_rc("a READ answered by a WRITE reply", read_domid(), -XEN_EBADMSG);
    /* Its real reply comes after, and is dropped as a stray one. */
    xs_expect_rc("a read after that", read_domid(), 1);

    /*
     * An error name nobody defined is EIO; a known one maps to its errno.
     * Each time, a real read follows: xenstored's own reply to the request
     * we answered is still on its way, and must be in before we write into
     * the ring again (xenstored answers in order).
     */
    id = last_req_id(read_len);
    settle();
    inject(XS_ERROR, id + 1, "EWHATEVER", sizeof("EWHATEVER"));
    xs_expect_rc("an unknown error name", read_domid(), -XEN_EIO);
    xs_expect_rc("a read after that", read_domid(), 1);
    id = last_req_id(read_len);
    settle();
    inject(XS_ERROR, id + 1, "EACCES", sizeof("EACCES"));
    xs_expect_rc("an injected EACCES", read_domid(), -XEN_EACCES);
    xs_expect_rc("a read after that", read_domid(), 1);

    /* Watch events: a token we never gave, a torn one, and one for our watch. */
    unsigned int before = __atomic_load_n(&log.events, __ATOMIC_ACQUIRE);

    inject(XS_WATCH_EVENT, 0, token_event, sizeof(token_event) - 1);
    inject(XS_WATCH_EVENT, 0, torn_event, sizeof(torn_event) - 1);
    int n = snprintf(event, sizeof(event), "injected/path%cminios-%u", '\0', w.id);

    inject(XS_WATCH_EVENT, 0, event, (uint32_t)n + 1);
    xs_expect_rc("a read after three watch events", read_domid(), 1);
    CHECK(wait_events(&log, before + 1), "the event with our token did not reach the callback");
    thread_sleep_ns(100 * NSEC_PER_MSEC);
    CHECK(log.events == before + 1, "%u callbacks for one good event", log.events - before);
    CHECK(before < EVENTS_KEPT && strcmp(log.paths[before], "injected/path") == 0,
          "the callback saw \"%s\"", before < EVENTS_KEPT ? log.paths[before] : "?");
    xs_expect_rc("stop", xs_watch_stop(&w), 0);
    xs_test_cleanup();

    /* Last: a header claiming more than 4096 bytes breaks the stream for good. */
    inject(XS_READ, 1, NULL, 5000);
    rc = read_domid();
    xs_expect_rc("a read behind a header with len 5000", rc, -XEN_EIO);
    CHECK(!xs_available(), "still available after the stream broke");
    uint64_t start = monotonic_ns();

    xs_expect_rc("a read once the connection is lost", read_domid(), -XEN_EIO);
    /* At once, not after a request's timeout: a bound far from both host jitter and it. */
    CHECK(monotonic_ns() - start < NSEC_PER_SEC / 2, "refusing took %lu us, as if it waited",
          (unsigned long)((monotonic_ns() - start) / 1000));
}
