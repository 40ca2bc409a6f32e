/*
 * The toolstack's requests to a running domain, as `xl shutdown`, `xl
 * reboot` and `xl sysrq` write them into our xenstore home:
 *
 *   control/shutdown "poweroff", "halt"  the application's hook runs
 *                                        (minios_on_shutdown()), then the
 *                                        program exits with status 0
 *                    "reboot"            the hook, then SHUTDOWN_reboot
 *                    "suspend", other    logged and left alone
 *   control/sysrq    a key               logged as not supported, cleared
 *
 * A poweroff or a reboot is carried out by kernel/shutdown_request.c,
 * within a bound and in threads of its own: the watch callback only starts
 * it, and returns.
 *
 * A request is acknowledged by clearing the key (writing ""), in one
 * transaction with the read, so a request written between our read and
 * our clear cannot be lost.  Only what we carry out is acknowledged: libxl
 * takes a cleared "suspend" to mean the guest agreed and then waits a
 * minute for a suspend that never comes, while an unanswered one is
 * cancelled by libxl itself with "guest didn't acknowledge suspend".
 * control/feature-poweroff and feature-reboot say what we do; there is no
 * feature-suspend or feature-sysrq, because we do neither.
 */
#include <kernel/shutdown.h>
#include <kernel/string.h>
#include <kernel/xenstore.h>
#include <kernel/xs_text.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>

#define SHUTDOWN_KEY "control/shutdown"
#define SYSRQ_KEY    "control/sysrq"

enum request { REQ_NONE, REQ_POWEROFF, REQ_REBOOT, REQ_SUSPEND, REQ_OTHER };

struct shutdown_request {
    char value[32];
    long len;
    enum request what;
};

static enum request classify(const char *value, long len)
{
    static const struct {
        const char *name;
        enum request what;
    } known[] = {
        {"poweroff", REQ_POWEROFF},
        {"halt", REQ_POWEROFF},
        {"reboot", REQ_REBOOT},
        {"suspend", REQ_SUSPEND},
    };

    for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
        if ((size_t)len == strlen(known[i].name) && memcmp(value, known[i].name, len) == 0)
            return known[i].what;
    }
    return REQ_OTHER;
}

/* Reads a key's value; an absent, empty or overlong one counts as its own case. */
static long read_key(xs_tx_t tx, const char *key, char *buf, size_t size)
{
    long n = xs_read(tx, key, buf, size);

    if (n == -XEN_ENOENT)
        return 0;
    if (n == -XEN_ERANGE) {
        strlcpy(buf, "(too long)", size);
        return (long)strlen(buf);
    }
    return n;
}

/* The transaction's body: read the request, clear it if we will carry it out. */
static int take_shutdown(xs_tx_t tx, void *arg)
{
    struct shutdown_request *r = arg;

    r->len = read_key(tx, SHUTDOWN_KEY, r->value, sizeof(r->value));
    if (r->len <= 0) {
        r->what = REQ_NONE;
        return (int)r->len;
    }
    r->what = classify(r->value, r->len);
    if (r->what == REQ_POWEROFF || r->what == REQ_REBOOT)
        return xs_write(tx, SHUTDOWN_KEY, "");
    return 0;
}

static void on_shutdown_key(struct xs_watch *w, const char *path, void *arg)
{
    struct shutdown_request r;
    char shown[sizeof(r.value)];
    int rc;

    (void)w;
    (void)path;
    (void)arg;
    /* Most events are our own clear and the first firing: no transaction for those. */
    if (read_key(XS_TX_NONE, SHUTDOWN_KEY, r.value, sizeof(r.value)) <= 0)
        return;
    rc = xs_transaction(take_shutdown, &r);
    if (rc < 0) {
        printk("minios: reading " SHUTDOWN_KEY " failed: %d (%s)\n", rc, xen_strerror(rc));
        return;
    }
    xs_printable(shown, sizeof(shown), r.value, r.len > 0 ? (size_t)r.len : 0);
    switch (r.what) {
    case REQ_NONE:
        return;
    case REQ_POWEROFF:
        printk("minios: the toolstack asks for %s\n", shown);
        shutdown_request(false, shown);
        return;
    case REQ_REBOOT:
        printk("minios: the toolstack asks for a reboot\n");
        shutdown_request(true, "reboot");
        return;
    case REQ_SUSPEND:
        printk("minios: suspend not supported; the request is left unanswered\n");
        return;
    case REQ_OTHER:
        printk("minios: shutdown request \"%s\" not understood; left unanswered\n", shown);
        return;
    }
}

static int take_sysrq(xs_tx_t tx, void *arg)
{
    char *key = arg;
    char value[16];
    long n = read_key(tx, SYSRQ_KEY, value, sizeof(value));

    *key = '\0';
    if (n <= 0)
        return (int)n;
    *key = value[0];
    return xs_write(tx, SYSRQ_KEY, "");
}

static void on_sysrq_key(struct xs_watch *w, const char *path, void *arg)
{
    char key, shown[2];
    int rc;

    (void)w;
    (void)path;
    (void)arg;
    rc = xs_transaction(take_sysrq, &key);
    if (rc < 0) {
        printk("minios: reading " SYSRQ_KEY " failed: %d (%s)\n", rc, xen_strerror(rc));
        return;
    }
    if (key == '\0')
        return;
    xs_printable(shown, sizeof(shown), &key, 1);
    printk("minios: sysrq %s not supported\n", shown);
}

static struct xs_watch shutdown_watch, sysrq_watch;

static void feature(const char *key)
{
    int rc = xs_write(XS_TX_NONE, key, "1");

    if (rc)
        printk("xenstore: writing %s failed: %d (%s)\n", key, rc, xen_strerror(rc));
}

void xs_control_init(void)
{
    int rc;

    feature("control/feature-poweroff");
    feature("control/feature-reboot");
    rc = xs_watch_start(&shutdown_watch, SHUTDOWN_KEY, on_shutdown_key, NULL);
    if (rc)
        printk("xenstore: watching " SHUTDOWN_KEY " failed: %d (%s): xl shutdown will not work\n",
               rc, xen_strerror(rc));
    rc = xs_watch_start(&sysrq_watch, SYSRQ_KEY, on_sysrq_key, NULL);
    if (rc)
        printk("xenstore: watching " SYSRQ_KEY " failed: %d (%s)\n", rc, xen_strerror(rc));
}
