/*
 * The xenstore connection: one shared page of two byte rings (requests we
 * produce, replies and watch events xenstored produces; struct
 * xenstore_domain_interface) and an event channel, both set up by the
 * toolstack before we run.  The page is in our own memory (start_info's
 * store_mfn); a dom0 booted by Xen has none.
 *
 * Who does what:
 *  - a caller builds its request, writes it whole onto the request ring
 *    under write_lock (a request can be four times the ring, so it may wait
 *    for space), then sleeps on its own semaphore until the reply arrives;
 *  - the event handler only wakes threads (it never reads the ring);
 *  - the reader thread cuts the reply ring into messages (drivers/xenstore/xs_wire.c),
 *    hands each reply to the request with the same req_id, and passes watch
 *    events to the watch thread (drivers/xenstore/xenstore_watch.c).
 *
 * xenstored is another domain and is not trusted: the ring code bounds
 * every index, the parser every length.  A reply that answers no request,
 * or the wrong type, is dropped or refused with one log line; a framing
 * error or a lying index loses the connection for good (the stream cannot
 * be resynchronised), which fails every pending and later call with -EIO.
 * Every wait has a deadline (XS_TIMEOUT_NS).
 *
 * A wait that lasts is punctuated by nudges: a fresh notification to
 * xenstored and a wake-up of our reader, after 20 ms, then at doubling
 * intervals up to 1 s.  Notifications are idempotent (xenstored rescans its
 * rings on any), so a nudge costs one hypercall and only when xenstored is
 * already slow.  It is there because a notification can go unnoticed:
 * under QEMU/TCG with two or more CPUs for Xen, replies were measured to
 * stall for seconds until the next notification came (docs/domu.md).
 */
#include <kernel/events.h>
#include <kernel/ring.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/xenstore.h>
#include <kernel/xs_text.h>
#include "xs_wire.h"
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/mm.h>
#include <minios/time.h>

/* The reader gives up its vCPU after this many messages in a row. */
#define READER_BATCH 32

/* The first nudge of a wait, and the longest interval between two. */
#define NUDGE_FIRST_NS (20 * NSEC_PER_MSEC)
#define NUDGE_MAX_NS   NSEC_PER_SEC
#define NUDGE_LOGGED   3 /* after 20 + 40 + 80 ms */

/* A request waiting for its reply; on the caller's stack. */
struct pending {
    struct list_node node; /* in xs.pending until the reader or a timeout takes it */
    uint32_t id;
    uint32_t type;
    struct semaphore done; /* posted once error and reply are set */
    int error;
    struct xs_reply reply;
};

static struct {
    struct xenstore_domain_interface *intf;
    evtchn_port_t port;
    spinlock_t lock; /* status, pending, next_id */
    int status;      /* 0 connected, else what every call returns */
    struct list_node pending;
    uint32_t next_id;
    struct waitq ring_wait;  /* the reader, and a writer waiting for space */
    struct mutex write_lock; /* one request on the ring at a time */
} xs = {
    .lock = SPINLOCK_INIT,
    .status = -XEN_ENODEV,
};
/* Outside xs, whose initializer puts it in .data: here 8 KiB of zeros take no room in the image. */
static char req_buf[XS_MSG_MAX]; /* under xs.write_lock */
static struct xs_parser parser;  /* the reader thread's */

int xs_status(void)
{
    return __atomic_load_n(&xs.status, __ATOMIC_ACQUIRE);
}

bool xs_available(void)
{
    return xs_status() == 0;
}

/*
 * The end of the connection: records why, fails every pending request and
 * wakes every waiter.  Only the first reason is logged.
 */
static void connection_lost(const char *why)
{
    struct list_node failed, *n, *tmp;
    unsigned long flags = spin_lock_irqsave(&xs.lock);
    bool first = xs.status == 0;

    if (first)
        __atomic_store_n(&xs.status, -XEN_EIO, __ATOMIC_RELEASE);
    list_init(&failed);
    list_for_each_safe (n, tmp, &xs.pending) {
        list_del(n);
        list_add_tail(&failed, n);
    }
    spin_unlock_irqrestore(&xs.lock, flags);

    if (first)
        printk("xenstore: connection lost: %s; every call now fails with EIO\n", why);
    list_for_each_safe (n, tmp, &failed) {
        struct pending *p = list_entry(n, struct pending, node);

        list_del(n);
        p->error = -XEN_EIO;
        semaphore_up(&p->done);
    }
    waitq_wake_all(&xs.ring_wait);
}

static void notify_xenstored(void)
{
    int rc = evtchn_send(xs.port);

    if (rc)
        printk("xenstore: EVTCHNOP_send(%u) failed: %d (%s)\n", xs.port, rc, xen_strerror(rc));
}

/* Runs in event context: wake whoever waits on the rings, nothing more. */
static void xs_event(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    waitq_wake_all(&xs.ring_wait);
}

/*
 * Tells xenstored again, and has our reader look again (see the top of this
 * file).  @n counts the nudges of this wait: a busy dom0 often needs one,
 * so only a wait that needed NUDGE_LOGGED is reported, once.
 */
static void nudge(unsigned int n, uint64_t since)
{
    static bool logged;

    if (n == NUDGE_LOGGED && !__atomic_exchange_n(&logged, true, __ATOMIC_RELAXED))
        printk("xenstore: no answer from xenstored for %lu ms; nudging it (logged once)\n",
               (unsigned long)((monotonic_ns() - since) / NSEC_PER_MSEC));
    notify_xenstored();
    waitq_wake_all(&xs.ring_wait);
}

/* The end of the next slice of a wait that ends at @deadline; doubles *@slice. */
static uint64_t slice_end(uint64_t *slice, uint64_t deadline)
{
    uint64_t now = monotonic_ns(), end = now + *slice;

    *slice = *slice * 2 < NUDGE_MAX_NS ? *slice * 2 : NUDGE_MAX_NS;
    return end < deadline ? end : deadline;
}

/* ---- Sending ---------------------------------------------------------------- */

/* A waitq condition: room on the request ring, or a reason to stop waiting. */
static bool request_space(void *arg)
{
    (void)arg;
    long used = ring_used(sizeof(xs.intf->req), &xs.intf->req_cons, &xs.intf->req_prod);

    return used < 0 || (size_t)used < sizeof(xs.intf->req) || xs_status() != 0;
}

/*
 * Puts @len bytes on the request ring, waiting for room until @deadline.
 * A request abandoned half-way would leave xenstored reading our next
 * request as the rest of this one, so that loses the connection.
 */
static int put_request(const char *buf, size_t len, uint64_t deadline)
{
    size_t done = 0;
    uint64_t slice = NUDGE_FIRST_NS;
    unsigned int nudges = 0;

    while (done < len) {
        long n = xenstore_write_req(xs.intf, buf + done, len - done);

        if (n < 0) {
            connection_lost("the request ring's indices are impossible");
            return -XEN_EIO;
        }
        if (n > 0) {
            done += (size_t)n;
            notify_xenstored();
            continue;
        }
        if (xs_status() != 0)
            return xs_status();
        if (waitq_wait(&xs.ring_wait, request_space, NULL, slice_end(&slice, deadline)))
            continue;
        if (monotonic_ns() < deadline) {
            nudge(++nudges, deadline - XS_TIMEOUT_NS);
            continue;
        }
        if (done == 0) {
            printk("xenstore: the request ring stayed full for %llu s\n",
                   XS_TIMEOUT_NS / NSEC_PER_SEC);
            return -XEN_ETIMEDOUT;
        }
        connection_lost("xenstored stopped reading in the middle of a request");
        return -XEN_EIO;
    }
    return 0;
}

/*
 * Takes @p off the pending list (a timeout, a failed send).  Returns false
 * if the reader (or a lost connection) took it first: then it is about to
 * post @p, which lives on our stack, so we wait for that before leaving.
 * xenstored may even answer a request we never finished sending: it can
 * guess ids.
 */
static bool withdraw(struct pending *p)
{
    unsigned long flags = spin_lock_irqsave(&xs.lock);
    bool was_pending = !list_empty(&p->node);

    if (was_pending)
        list_del(&p->node);
    spin_unlock_irqrestore(&xs.lock, flags);
    if (!was_pending) {
        bool noted = thread_wait_begin(WAIT_XENSTORE_REPLY, p, NO_DEADLINE);

        semaphore_down(&p->done);
        thread_wait_end(noted);
    }
    return was_pending;
}

/* Builds the request for @p in req_buf (write_lock held); returns its length or an error. */
static long build_request(struct pending *p, xs_tx_t tx, const struct xs_part *parts, size_t nparts)
{
    struct xs_request r;

    xs_req_start(&r, req_buf, sizeof(req_buf), p->type, p->id, tx);
    for (size_t i = 0; i < nparts; i++) {
        switch (parts[i].kind) {
        case XS_PART_PATH:
            xs_req_add_path(&r, parts[i].data);
            break;
        case XS_PART_STRING:
            xs_req_add_string(&r, parts[i].data);
            break;
        case XS_PART_BYTES:
            xs_req_add_bytes(&r, parts[i].data, parts[i].len);
            break;
        }
    }
    return xs_req_finish(&r);
}

/* Queues @p (write_lock held) unless the connection is gone. */
static int enqueue(struct pending *p)
{
    unsigned long flags = spin_lock_irqsave(&xs.lock);
    int status = xs.status;

    if (status == 0) {
        /* 0 is never used: it is what a watch event carries. */
        if (++xs.next_id == 0)
            ++xs.next_id;
        p->id = xs.next_id;
        list_add_tail(&xs.pending, &p->node);
    }
    spin_unlock_irqrestore(&xs.lock, flags);
    return status;
}

int xs_call(uint32_t type, xs_tx_t tx, const struct xs_part *parts, size_t nparts,
            struct xs_reply *reply)
{
    struct pending p = {.type = type};
    uint64_t deadline = monotonic_ns() + XS_TIMEOUT_NS;
    long len;
    int rc = xs_status();

    reply->data = NULL;
    reply->len = 0;
    if (rc)
        return rc;
    list_init(&p.node);
    semaphore_init(&p.done, 0);

    if (!mutex_lock_until(&xs.write_lock, deadline)) {
        printk("xenstore: %s: another request held the ring for %llu s\n", xs_type_name(type),
               XS_TIMEOUT_NS / NSEC_PER_SEC);
        return -XEN_ETIMEDOUT;
    }
    /* Registered before the first byte goes out: the reply may beat us back. */
    rc = enqueue(&p);
    if (rc) {
        mutex_unlock(&xs.write_lock);
        return rc;
    }
    len = build_request(&p, tx, parts, nparts);
    rc = len < 0 ? (int)len : put_request(req_buf, (size_t)len, deadline);
    mutex_unlock(&xs.write_lock);
    if (rc) {
        if (!withdraw(&p))
            kfree(p.reply.data);
        return rc;
    }

    uint64_t slice = NUDGE_FIRST_NS;
    unsigned int nudges = 0;
    bool answered;

    bool noted = thread_wait_begin(WAIT_XENSTORE_REPLY, &p, deadline);

    while (!(answered = semaphore_down_until(&p.done, slice_end(&slice, deadline))) &&
           monotonic_ns() < deadline)
        nudge(++nudges, deadline - XS_TIMEOUT_NS);
    thread_wait_end(noted);
    /* If the reader took it just now, withdraw() waited for its post: use it. */
    if (!answered && withdraw(&p)) {
        printk("xenstore: %s (req %u): no reply within %llu s\n", xs_type_name(type), p.id,
               XS_TIMEOUT_NS / NSEC_PER_SEC);
        return -XEN_ETIMEDOUT;
    }
    if (p.error) {
        kfree(p.reply.data);
        return p.error;
    }
    *reply = p.reply;
    return 0;
}

int xs_call_ok(uint32_t type, xs_tx_t tx, const struct xs_part *parts, size_t nparts)
{
    struct xs_reply r;
    int rc = xs_call(type, tx, parts, nparts, &r);

    if (rc)
        return rc;
    /* xenstored sends "OK" with its NUL; accept it without, refuse anything else. */
    if (!((r.len == 3 && memcmp(r.data, "OK", 3) == 0) ||
          (r.len == 2 && memcmp(r.data, "OK", 2) == 0))) {
        char shown[32];

        xs_printable(shown, sizeof(shown), r.data, r.len);
        printk("xenstore: %s: reply \"%s\" instead of OK: rejected\n", xs_type_name(type), shown);
        rc = -XEN_EBADMSG;
    }
    kfree(r.data);
    return rc;
}

/* ---- Receiving ----------------------------------------------------------- */

/* Takes the pending request with @id off the list, or NULL. */
static struct pending *claim(uint32_t id)
{
    struct list_node *n;
    struct pending *found = NULL;
    unsigned long flags = spin_lock_irqsave(&xs.lock);

    list_for_each (n, &xs.pending) {
        struct pending *p = list_entry(n, struct pending, node);

        if (p->id == id) {
            list_del(n);
            found = p;
            break;
        }
    }
    spin_unlock_irqrestore(&xs.lock, flags);
    return found;
}

static void handle_reply(const struct xsd_sockmsg *hdr, const char *payload)
{
    struct pending *p = claim(hdr->req_id);

    if (!p) {
        /* A reply after its caller timed out, or one nobody asked for. */
        printk("xenstore: dropped a %s reply (req %u): no request is waiting for it\n",
               xs_type_name(hdr->type), hdr->req_id);
        return;
    }
    if (xs_reply_matches(hdr, p->id, p->type) != 0) {
        printk("xenstore: the reply to %s (req %u) is a %s: rejected\n", xs_type_name(p->type),
               p->id, xs_type_name(hdr->type));
        p->error = -XEN_EBADMSG;
    } else if (hdr->type == XS_ERROR) {
        p->error = xs_reply_errno(hdr, payload);
        if (p->error == -XEN_EIO) {
            char shown[32];

            /* Up to its NUL, if any: the parser put one after the payload. */
            xs_printable(shown, sizeof(shown), payload, strlen(payload));
            printk("xenstore: %s (req %u) failed with \"%s\"\n", xs_type_name(p->type), p->id,
                   shown);
        }
    } else {
        p->reply.data = kmalloc(hdr->len + 1);
        if (p->reply.data) {
            memcpy(p->reply.data, payload, hdr->len + 1);
            p->reply.len = hdr->len;
        } else {
            p->error = -XEN_ENOMEM;
        }
    }
    /* The last touch of @p: its owner may return as soon as this posts. */
    semaphore_up(&p->done);
}

static bool replies_waiting(void *arg)
{
    (void)arg;
    return ring_used(sizeof(xs.intf->rsp), &xs.intf->rsp_cons, &xs.intf->rsp_prod) != 0 ||
           xs_status() != 0;
}

static const char *framing_error(int rc)
{
    switch (rc) {
    case -XEN_EMSGSIZE:
        return "a reply header claims more than 4096 bytes";
    case -XEN_EBADMSG:
        return "a reply header has a type that does not exist";
    case RING_ERR_INDEX:
        return "the reply ring's indices are impossible";
    default:
        return "the reply stream broke";
    }
}

/*
 * Reads every complete message on the ring.  Returns false when the
 * connection is lost.
 */
static bool drain(void)
{
    uint32_t cons_before = READ_ONCE(xs.intf->rsp_cons);
    unsigned int handled = 0;

    for (;;) {
        int rc = xs_parser_pull(&parser, xs.intf->rsp, sizeof(xs.intf->rsp), &xs.intf->rsp_cons,
                                &xs.intf->rsp_prod);

        if (rc < 0) {
            connection_lost(framing_error(rc));
            return false;
        }
        if (rc == XS_PARSE_MORE)
            break;

        const char *payload;
        const struct xsd_sockmsg *hdr = xs_parser_msg(&parser, &payload);

        if (hdr->type == XS_WATCH_EVENT)
            xs_watch_event(payload, hdr->len);
        else
            handle_reply(hdr, payload);
        xs_parser_next(&parser);

        if (++handled % READER_BATCH == 0) {
            /* A peer that keeps the ring full must not keep this vCPU. */
            notify_xenstored();
            thread_yield();
        }
    }
    /* xenstored may be waiting for room to write more. */
    if (READ_ONCE(xs.intf->rsp_cons) != cons_before)
        notify_xenstored();
    return true;
}

static void *reader_thread(void *arg)
{
    (void)arg;
    do {
        waitq_wait(&xs.ring_wait, replies_waiting, NULL, NO_DEADLINE);
    } while (xs_status() == 0 && drain());
    return NULL;
}

/* ---- Setting up ------------------------------------------------------------ */

void xenstore_init(void)
{
    unsigned long pfn;
    int rc;

    if (start_info.store_mfn == 0)
        return; /* a dom0 built by Xen itself: status stays -ENODEV */
    pfn = mfn_to_pfn(start_info.store_mfn);
    if (pfn == INVALID_PFN) {
        printk("xenstore: store_mfn %#lx is not one of our frames: no xenstore\n",
               (unsigned long)start_info.store_mfn);
        return;
    }
    xs.intf = pfn_to_virt(pfn);
    xs.port = start_info.store_evtchn;
    list_init(&xs.pending);
    waitq_init(&xs.ring_wait);
    mutex_init(&xs.write_lock, false);
    xs_parser_init(&parser);

    if (xs_watch_init() != 0 || !kthread_create(reader_thread, NULL, "xenstore")) {
        printk("xenstore: cannot start its threads: no xenstore\n");
        return;
    }
    /* Connected from here: requests may queue before the first event. */
    __atomic_store_n(&xs.status, 0, __ATOMIC_RELEASE);
    rc = evtchn_attach(xs.port, xs_event, NULL);
    if (rc) {
        printk("xenstore: attaching event channel %u failed: %d (%s)\n", xs.port, rc,
               xen_strerror(rc));
        connection_lost("no event channel");
    }
}

static void *control_thread(void *arg)
{
    (void)arg;
    xs_control_init();
    return NULL;
}

/*
 * The control/ keys are set up by a thread of their own, so that boot does
 * not wait for those round trips: a request the toolstack makes meanwhile
 * is not lost, since a new watch fires at once with what is there.
 */
void xenstore_start(void)
{
    if (xs_available() && !kthread_create(control_thread, NULL, "xs-control"))
        xs_control_init();
}
