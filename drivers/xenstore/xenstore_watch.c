/*
 * Watches (<minios/xenstore.h>).  Each watch gets a number, and its token
 * on the wire is "minios-<number>" (drivers/xenstore/xs_text.c): an event's token is
 * parsed back into a number, exactly (a token we could not have written is
 * refused), and looked up among our watches, so nothing xenstored sends is
 * ever used as a pointer, and an event for a watch already stopped finds
 * nothing and is dropped.
 *
 * The reader thread (drivers/xenstore/xenstore.c) must never run a callback: a
 * callback that makes a request would then wait for a reply only the
 * reader can deliver.  So the reader counts the event (for xs_watch_wait())
 * and queues it, and the watch thread runs the callbacks, one at a time.
 * The queue is bounded (QUEUE_MAX events, QUEUE_MAX_BYTES of paths):
 * xenstored can fire watches faster than callbacks run, and every queued
 * event is our memory.  Events beyond the bound are dropped and counted,
 * and the count is logged; the xs_watch_wait() counts are never lost.
 */
#include <kernel/format.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/xenstore.h>
#include <kernel/xs_text.h>
#include "xs_wire.h"
#include <minios/console.h>
#include <minios/mm.h>

#define QUEUE_MAX       256
#define QUEUE_MAX_BYTES (64 * 1024)

struct event {
    struct list_node node;
    uint32_t id;
    char path[]; /* our copy, terminated */
};

static struct {
    spinlock_t lock;          /* everything below */
    struct list_node watches; /* started, not stopped */
    struct list_node queue;   /* events for callbacks */
    unsigned int queued;
    size_t queued_bytes;   /* of their paths */
    unsigned long dropped; /* since last logged */
    uint32_t next_id;
    uint32_t running; /* the watch whose callback runs now, or 0 */
    struct thread *thread;
    struct waitq events; /* the watch thread waits for the queue */
    struct waitq idle;   /* xs_watch_stop() waits for a callback to end */
} ws = {.lock = SPINLOCK_INIT};

/* Under ws.lock. */
static struct xs_watch *find(uint32_t id)
{
    struct list_node *n;

    list_for_each (n, &ws.watches) {
        struct xs_watch *w = list_entry(n, struct xs_watch, node);

        if (w->id == id)
            return w;
    }
    return NULL;
}

void xs_watch_event(const char *payload, size_t len)
{
    const char *path, *token;

    if (xs_parse_watch_event(payload, len, &path, &token) != 0) {
        printk("xenstore: a watch event is not \"path NUL token NUL\": dropped\n");
        return;
    }
    uint32_t id = xs_watch_token_id(token);

    if (id == 0) {
        char shown[32];

        xs_printable(shown, sizeof(shown), token, strlen(token));
        printk("xenstore: a watch event has a token we never gave (\"%s\"): dropped\n", shown);
        return;
    }

    /* Allocated before the lock is taken; freed if nobody wants it. */
    size_t path_len = strlen(path); /* terminated inside the payload: checked above */
    struct event *e = kmalloc(sizeof(*e) + path_len + 1);
    unsigned long flags = spin_lock_irqsave(&ws.lock);
    struct xs_watch *w = find(id);

    if (w) {
        __atomic_fetch_add(&w->fired, 1, __ATOMIC_RELEASE);
        waitq_wake_all(&w->wait);
        if (w->fn && e && ws.queued < QUEUE_MAX &&
            ws.queued_bytes + path_len + 1 <= QUEUE_MAX_BYTES) {
            e->id = id;
            memcpy(e->path, path, path_len + 1);
            list_add_tail(&ws.queue, &e->node);
            ws.queued++;
            ws.queued_bytes += path_len + 1;
            e = NULL;
            waitq_wake_one(&ws.events);
        } else if (w->fn) {
            ws.dropped++;
        }
    }
    spin_unlock_irqrestore(&ws.lock, flags);
    kfree(e);
}

static bool queue_nonempty(void *arg)
{
    (void)arg;
    return __atomic_load_n(&ws.queued, __ATOMIC_ACQUIRE) != 0;
}

static void *watch_thread(void *arg)
{
    (void)arg;
    for (;;) {
        waitq_wait(&ws.events, queue_nonempty, NULL, NO_DEADLINE);

        unsigned long flags = spin_lock_irqsave(&ws.lock);
        struct event *e = list_first_entry(&ws.queue, struct event, node);
        struct xs_watch *w;
        xs_watch_fn fn = NULL;
        void *fn_arg = NULL;
        unsigned long dropped = 0;

        list_del(&e->node);
        ws.queued--;
        ws.queued_bytes -= strlen(e->path) + 1;
        w = find(e->id);
        if (w) {
            fn = w->fn;
            fn_arg = w->arg;
            ws.running = e->id;
        }
        if (ws.queued == 0) {
            dropped = ws.dropped;
            ws.dropped = 0;
        }
        spin_unlock_irqrestore(&ws.lock, flags);

        if (dropped)
            printk("xenstore: %lu watch events dropped: the queue was full (%u events or %u "
                   "bytes)\n",
                   dropped, QUEUE_MAX, QUEUE_MAX_BYTES);
        /* @w stays valid while running names it: xs_watch_stop() waits. */
        if (fn)
            fn(w, e->path, fn_arg);
        kfree(e);

        flags = spin_lock_irqsave(&ws.lock);
        ws.running = 0;
        spin_unlock_irqrestore(&ws.lock, flags);
        waitq_wake_all(&ws.idle);
    }
    return NULL;
}

int xs_watch_init(void)
{
    list_init(&ws.watches);
    list_init(&ws.queue);
    waitq_init(&ws.events);
    waitq_init(&ws.idle);
    ws.thread = kthread_create(watch_thread, NULL, "xs-watch");
    return ws.thread ? 0 : -XEN_ENOMEM;
}

struct not_running {
    uint32_t id;
};

static bool not_running(void *arg)
{
    return __atomic_load_n(&ws.running, __ATOMIC_ACQUIRE) != ((struct not_running *)arg)->id;
}

/* Takes @w out of the list and waits until its callback is not running. */
static void detach(struct xs_watch *w)
{
    unsigned long flags = spin_lock_irqsave(&ws.lock);
    struct not_running arg = {w->id};

    if (!list_empty(&w->node))
        list_del(&w->node);
    spin_unlock_irqrestore(&ws.lock, flags);
    /* A callback stopping its own watch is the running one: do not wait for ourselves. */
    if (current_thread() != ws.thread)
        waitq_wait(&ws.idle, not_running, &arg, NO_DEADLINE);
}

int xs_watch_start(struct xs_watch *w, const char *path, xs_watch_fn fn, void *arg)
{
    char token[XS_WATCH_TOKEN_MAX];
    int rc = xs_status();

    if (rc)
        return rc;
    rc = xs_path_check(path);
    if (rc)
        return rc;
    size_t len = strlen(path);

    w->path = kmalloc(len + 1);
    if (!w->path)
        return -XEN_ENOMEM;
    memcpy(w->path, path, len + 1);
    w->fn = fn;
    w->arg = arg;
    w->fired = w->seen = 0;
    waitq_init(&w->wait);
    list_init(&w->node);

    /* Listed before the request: the first event may come right after the reply. */
    unsigned long flags = spin_lock_irqsave(&ws.lock);

    if (++ws.next_id == 0)
        ++ws.next_id;
    w->id = ws.next_id;
    list_add_tail(&ws.watches, &w->node);
    spin_unlock_irqrestore(&ws.lock, flags);

    xs_watch_token(w->id, token);
    struct xs_part parts[] = {
        {XS_PART_PATH, w->path, 0},
        {XS_PART_STRING, token, 0},
    };

    rc = xs_call_ok(XS_WATCH, XS_TX_NONE, parts, ARRAY_SIZE(parts));
    if (rc) {
        detach(w);
        kfree(w->path);
        w->path = NULL;
    }
    return rc;
}

int xs_watch_stop(struct xs_watch *w)
{
    char token[XS_WATCH_TOKEN_MAX];

    if (!w->path)
        return -XEN_EINVAL;
    detach(w);
    xs_watch_token(w->id, token);
    struct xs_part parts[] = {
        {XS_PART_PATH, w->path, 0},
        {XS_PART_STRING, token, 0},
    };
    int rc = xs_call_ok(XS_UNWATCH, XS_TX_NONE, parts, ARRAY_SIZE(parts));

    kfree(w->path);
    w->path = NULL;
    return rc;
}

static bool has_fired(void *arg)
{
    struct xs_watch *w = arg;

    return __atomic_load_n(&w->fired, __ATOMIC_ACQUIRE) != w->seen;
}

long xs_watch_wait(struct xs_watch *w, uint64_t deadline)
{
    if (!w->path)
        return -XEN_EINVAL;
    if (!waitq_wait(&w->wait, has_fired, w, deadline))
        return 0;

    unsigned long fired = __atomic_load_n(&w->fired, __ATOMIC_ACQUIRE);
    long n = (long)(fired - w->seen);

    w->seen = fired;
    return n;
}
