/*
 * Console input, whichever backend supplies it: a queue of our own
 * (console/ldisc.c, which also holds the rules: CR as LF, ^D as end of file)
 * filled from the backend's source, and console_read(), which blocks the
 * calling thread, not its vCPU, until there is something to return.
 *
 * The backend's event handler pulls what arrived into the queue and wakes
 * the reader.  The reader pulls too before it sleeps: the domU backend's
 * output path polls the same event channel and may have taken the event
 * (it then calls console_input_poke()), but whatever arrived is still in
 * the source.  The queue's lock masks events, since the handler takes it,
 * and nothing is printed while it is held: what went wrong is noted and
 * printed by the reader afterwards.
 */
#include <kernel/console.h>
#include <kernel/sched.h>
#include "ldisc.h"
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/spinlock.h>
#include <minios/sync.h>

STATIC_ASSERT(CONSOLE_IN_CRNL == LDISC_CRNL && CONSOLE_IN_EOF == LDISC_EOF,
              "console input modes are the line discipline's");

static const struct console_input_source *source;
static struct ldisc queue;
static unsigned int mode = CONSOLE_IN_CRNL | CONSOLE_IN_EOF; /* under queue_lock */
static spinlock_t queue_lock = SPINLOCK_INIT;

static struct mutex readers = MUTEX_INIT(readers); /* one read at a time, in order */
static struct waitq wake_reader = WAITQ_INIT(wake_reader);
static bool kicked;    /* input may have arrived since the reader last pulled */
static bool poke_owed; /* an event was taken by someone else: wake the reader */

/* Under queue_lock: what to tell the reader once the lock is released. */
static long broken_rc; /* the source failed with this; 0 while it works */
static bool broken_told;
static unsigned long dropped, dropped_told;

static void pull_locked(void)
{
    if (!source || queue.closed)
        return;

    long rc = source->pull(&queue, &dropped);

    if (rc < 0) {
        broken_rc = rc;
        ldisc_close(&queue);
    }
}

static void kick(void)
{
    __atomic_store_n(&kicked, true, __ATOMIC_SEQ_CST);
    waitq_wake_all(&wake_reader);
}

void console_input_start(const struct console_input_source *src)
{
    unsigned long flags = spin_lock_irqsave(&queue_lock);

    ldisc_init(&queue);
    ldisc_set_mode(&queue, mode);
    source = src;
    spin_unlock_irqrestore(&queue_lock, flags);
}

void console_input_event(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    unsigned long flags = spin_lock_irqsave(&queue_lock);

    pull_locked();
    spin_unlock_irqrestore(&queue_lock, flags);
    kick();
}

void console_input_poke(void)
{
    __atomic_store_n(&poke_owed, true, __ATOMIC_SEQ_CST);
}

void console_input_deliver_poke(void)
{
    if (__atomic_load_n(&poke_owed, __ATOMIC_RELAXED) &&
        __atomic_exchange_n(&poke_owed, false, __ATOMIC_SEQ_CST))
        kick();
}

unsigned int console_input_mode(void)
{
    return __atomic_load_n(&mode, __ATOMIC_RELAXED);
}

void console_set_input_mode(unsigned int new_mode, bool flush)
{
    unsigned long flags = spin_lock_irqsave(&queue_lock);

    mode = new_mode & (CONSOLE_IN_CRNL | CONSOLE_IN_EOF);
    ldisc_set_mode(&queue, mode);
    if (flush) {
        pull_locked(); /* what the source holds is "received" too */
        ldisc_flush(&queue);
    }
    spin_unlock_irqrestore(&queue_lock, flags);
}

static bool reader_kicked(void *unused)
{
    (void)unused;
    return __atomic_load_n(&kicked, __ATOMIC_SEQ_CST);
}

size_t console_read(void *buf, size_t len)
{
    long n;

    if (len == 0 || !__atomic_load_n(&source, __ATOMIC_ACQUIRE))
        return 0;
    mutex_lock(&readers);
    for (;;) {
        unsigned long flags = spin_lock_irqsave(&queue_lock);

        __atomic_store_n(&kicked, false, __ATOMIC_SEQ_CST);
        pull_locked();
        n = ldisc_get(&queue, buf, len);

        long rc = broken_told ? 0 : broken_rc;
        unsigned long lost = dropped - dropped_told;

        broken_told |= rc != 0;
        dropped_told = dropped;
        spin_unlock_irqrestore(&queue_lock, flags);

        if (lost)
            printk("console: %lu bytes of input dropped: nobody read them in time\n", lost);
        if (rc)
            printk("console: no more input: %s failed: %ld (%s)\n", source->name, rc,
                   xen_strerror(rc));
        if (n != LDISC_EMPTY)
            break;
        bool noted = thread_wait_begin(WAIT_CONSOLE_INPUT, NULL, NO_DEADLINE);

        waitq_wait(&wake_reader, reader_kicked, NULL, NO_DEADLINE);
        thread_wait_end(noted);
    }
    mutex_unlock(&readers);
    return (size_t)n;
}
