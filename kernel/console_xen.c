/*
 * Console backend for dom0: HYPERVISOR_console_io(CONSOLEIO_write) hands the
 * bytes to Xen, which writes them to its serial line as they are.  Xen only
 * accepts this from the hardware domain (or from anyone on a debug build).
 */
#include <kernel/console.h>
#include <minios/hypercall.h>

/* Errors are counted, not printed: printing them would recurse here. */
static unsigned long write_errors;

static void xen_console_write(const char *buf, size_t len)
{
    while (len) {
        int chunk = len > 4096 ? 4096 : (int)len;
        int rc = HYPERVISOR_console_io(CONSOLEIO_write, chunk, buf);

        if (rc < 0) {
            write_errors++;
            return;
        }
        buf += chunk;
        len -= (size_t)chunk;
    }
}

const struct console_backend console_xen = {
    .name = "xen",
    .write = xen_console_write,
};
