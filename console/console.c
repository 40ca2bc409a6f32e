/*
 * The console front end: one lock so that each write (and each printk) lands
 * whole, a buffer for output produced before a backend is chosen, the
 * choice itself (Xen's console for dom0, the shared ring for a domU), and
 * the flush before the domain ends.
 *
 * The lock masks events while held: an event handler that prints (the
 * VIRQ_DEBUG dump, a fault report) must not interrupt the holder on its
 * own vCPU and then spin on the lock forever.  A backend may wait with the
 * lock held (console_ring.c when the ring is full), in SCHEDOP_poll, which
 * works with events masked.
 */
#include <kernel/console.h>
#include <kernel/string.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypervisor.h>
#include <minios/spinlock.h>

#define EARLY_BUFFER_SIZE 4096

static const struct console_backend *backend;
static spinlock_t lock = SPINLOCK_INIT;
static unsigned long lock_flags; /* the holder's event mask, restored at unlock */
static bool lock_broken;

/* Whether the last byte written ended a line (see console_start_line()). */
static bool at_line_start = true;

static char early_buf[EARLY_BUFFER_SIZE];
static size_t early_len;
static size_t early_dropped;

void console_lock(void)
{
    if (__atomic_load_n(&lock_broken, __ATOMIC_RELAXED))
        return;

    unsigned long flags = local_irq_save();

    spin_lock(&lock);
    lock_flags = flags;
}

void console_unlock(void)
{
    if (!__atomic_load_n(&lock_broken, __ATOMIC_RELAXED)) {
        unsigned long flags = lock_flags;

        spin_unlock(&lock);
        local_irq_restore(flags);
    }
    console_input_deliver_poke();
}

void console_break_lock(void)
{
    __atomic_store_n(&lock_broken, true, __ATOMIC_RELAXED);
}

void console_write_locked(const char *buf, size_t len)
{
    if (len)
        at_line_start = buf[len - 1] == '\n';
    if (backend) {
        backend->write(buf, len);
        return;
    }
    size_t room = EARLY_BUFFER_SIZE - early_len;
    size_t n = len < room ? len : room;

    memcpy(early_buf + early_len, buf, n);
    early_len += n;
    early_dropped += len - n;
}

void console_write(const char *buf, size_t len)
{
    console_lock();
    console_write_locked(buf, len);
    console_unlock();
}

void console_start_line(void)
{
    console_lock();
    if (!at_line_start)
        console_write_locked("\n", 1);
    console_unlock();
}

void console_init(void)
{
    const struct console_backend *chosen = &console_xen;

    if (!xen_is_initial_domain() && console_ring_init())
        chosen = &console_ring;

    console_lock();
    backend = chosen;
    if (early_len)
        backend->write(early_buf, early_len);
    console_unlock();

    if (early_dropped)
        printk("console: %zu bytes of early output did not fit the %u-byte buffer\n", early_dropped,
               EARLY_BUFFER_SIZE);
}

void console_init_input(void)
{
    if (backend && backend->input_init)
        backend->input_init();
}

void console_flush(void)
{
    /* Output from before the console was chosen (a panic that early). */
    if (!__atomic_load_n(&backend, __ATOMIC_ACQUIRE))
        console_init();
    console_lock();
    if (backend->drain)
        backend->drain();
    console_unlock();
}
