/*
 * Console backend for dom0: Xen's own console.
 *
 * Output: HYPERVISOR_console_io(CONSOLEIO_write) hands the bytes to Xen,
 * which writes them to its serial line as they are, before returning.  Xen
 * only accepts this from the hardware domain (or from anyone on a debug
 * build).
 *
 * Input: once Xen has switched its serial input to dom0 ("*** Serial input
 * to DOM0", at the end of its boot; CTRL-a three times switches it between
 * Xen and dom0), each byte received goes into a 128-byte buffer in Xen,
 * dropped when that is full, and raises VIRQ_CONSOLE; CONSOLEIO_read takes
 * bytes out.  So the handler empties Xen's buffer into ours at once, and
 * when ours is full it still empties Xen's and counts what it threw away:
 * input is lost either way, but this way it is counted.
 */
#include <kernel/console.h>
#include <kernel/format.h>
#include "ldisc.h"
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>

/*
 * Failures are counted where they happen (printing would recurse here) and
 * told by the next write that gets through: the bytes lost, as the ring
 * backend counts them, and how many writes failed.
 */
static unsigned long write_errors, write_errors_told, bytes_lost;
static int last_write_error;

/* Returns false if Xen refused it; what was not written counts as lost. */
static bool put(const char *buf, size_t len)
{
    while (len) {
        int chunk = len > 4096 ? 4096 : (int)len;
        int rc = HYPERVISOR_console_io(CONSOLEIO_write, chunk, buf);

        if (rc < 0) {
            write_errors++;
            bytes_lost += len;
            last_write_error = rc;
            return false;
        }
        buf += chunk;
        len -= (size_t)chunk;
    }
    return true;
}

static void xen_console_write(const char *buf, size_t len)
{
    if (!put(buf, len) || write_errors == write_errors_told)
        return;

    char note[128];
    int n = ksnprintf(note, sizeof(note),
                      "console: %lu bytes of output dropped: CONSOLEIO_write failed %lu times, "
                      "last: %d (%s)\n",
                      bytes_lost, write_errors - write_errors_told, last_write_error,
                      xen_strerror(last_write_error));

    write_errors_told = write_errors;
    bytes_lost = 0;
    put(note, n < (int)sizeof(note) ? (size_t)n : sizeof(note) - 1);
}

static long xen_pull(struct ldisc *queue, unsigned long *dropped)
{
    char chunk[64];
    long total = 0;

    /* Xen holds at most 128 bytes, but more may arrive as we read: bound the passes. */
    for (int pass = 0; pass < 64; pass++) {
        size_t space = ldisc_space(queue);
        size_t want = space && space < sizeof(chunk) ? space : sizeof(chunk);
        int rc = HYPERVISOR_console_io(CONSOLEIO_read, (int)want, chunk);

        if (rc < 0)
            return rc;
        if (rc == 0)
            break;
        if ((size_t)rc > want)
            return -XEN_EIO; /* more than asked for: do not trust the rest */
        if (space)
            ldisc_put(queue, chunk, (size_t)rc);
        else
            *dropped += (unsigned long)rc;
        total += rc;
    }
    return total;
}

static const struct console_input_source xen_source = {
    .name = "CONSOLEIO_read",
    .pull = xen_pull,
};

static void xen_console_input_init(void)
{
    evtchn_port_t port;

    /* A domU without a ring: Xen's console takes neither its input nor its output. */
    if (!xen_is_initial_domain())
        return;

    /* A global VIRQ: bound on vCPU 0. */
    int rc = evtchn_bind_virq(VIRQ_CONSOLE, 0, console_input_event, NULL, &port);

    if (rc) {
        printk("console: binding VIRQ_CONSOLE failed: %d (%s); no console input\n", rc,
               xen_strerror(rc));
        return;
    }
    console_input_start(&xen_source);
}

const struct console_backend console_xen = {
    .name = "xen",
    .write = xen_console_write,
    .input_init = xen_console_input_init,
};
