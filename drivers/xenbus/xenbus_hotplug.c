/*
 * Hotplug (include/kernel/xenbus.h): a watch on device/<type>, and a look
 * at the directory each time it fires.  No callback: the thread that asks
 * for the next device sleeps on the watch itself (xs_watch_wait() counts
 * events together, so a burst of changes costs one look), and the
 * handshake that follows runs in that thread too, never in the xenstore
 * watch thread, whose callbacks (a backend closing) must not wait behind
 * a 20 s timeout.
 */
#include <kernel/format.h>
#include <kernel/string.h>
#include <kernel/xenbus.h>
#include <kernel/xenbus_parse.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <xen/io/xenbus.h>

int xenbus_hotplug_start(struct xenbus_hotplug *hp, const char *type)
{
    int rc;

    if (strlcpy(hp->type, type, sizeof(hp->type)) >= sizeof(hp->type) ||
        ksnprintf(hp->dir, sizeof(hp->dir), "device/%s", type) >= (int)sizeof(hp->dir))
        return -XEN_ENAMETOOLONG;
    mutex_init(&hp->lock, false);
    hp->nr_offered = 0;
    /* xenstored fires a new watch once at once: the first look needs no event of its own. */
    rc = xs_watch_start(&hp->watch, hp->dir, NULL, NULL);
    if (rc < 0) {
        printk("xenbus: cannot watch %s for new devices: %s\n", hp->dir, xen_strerror(rc));
        return rc;
    }
    hp->watching = true;
    return 0;
}

/* Is device @id's own state Initialising?  Anything unreadable or odd: no. */
static bool is_fresh(struct xenbus_hotplug *hp, unsigned int id)
{
    char path[64], val[16];
    unsigned int state;
    long len;

    ksnprintf(path, sizeof(path), "%s/%u/state", hp->dir, id);
    len = xs_read(XS_TX_NONE, path, val, sizeof(val));
    return len >= 0 && xenbus_parse_state(val, (size_t)len, &state) == 0 &&
           state == XenbusStateInitialising;
}

/* One look at the directory: 0 with *@id (-1: nothing new), or xenstore's error. */
static long look(struct xenbus_hotplug *hp, long *id)
{
    unsigned int ids[XENBUS_HOTPLUG_MAX];
    bool fresh[XENBUS_HOTPLUG_MAX];
    unsigned int ignored;
    long n = xenbus_list_quiet(hp->type, ids, XENBUS_HOTPLUG_MAX, &ignored);

    if (n < 0)
        return n;
    /* News only: a hostile toolstack's junk costs a line when it grows, not at every look. */
    if (ignored > hp->ignored)
        printk("xenbus: %s: %u name%s that %s no device number, ignored\n", hp->dir, ignored,
               ignored == 1 ? "" : "s", ignored == 1 ? "is" : "are");
    hp->ignored = ignored;
    for (long i = 0; i < n; i++)
        fresh[i] = is_fresh(hp, ids[i]);
    *id =
        xenbus_fresh_pick(ids, fresh, (size_t)n, hp->offered, &hp->nr_offered, XENBUS_HOTPLUG_MAX);
    return 0;
}

int xenbus_hotplug_next(struct xenbus_hotplug *hp, uint64_t deadline, unsigned int *id)
{
    long rc, fired, found;

    if (!hp->watching)
        return -XEN_EINVAL;
    mutex_lock(&hp->lock);
    for (;;) {
        /* Look, then sleep: events during the look are counted, so none is slept through. */
        rc = look(hp, &found);
        if (rc < 0) {
            printk("xenbus: cannot list %s: %s\n", hp->dir, xen_strerror(rc));
            break;
        }
        if (found >= 0) {
            *id = (unsigned int)found;
            break;
        }
        fired = xs_watch_wait(&hp->watch, deadline);
        if (fired <= 0) {
            rc = fired == 0 ? -XEN_ETIMEDOUT : fired;
            break;
        }
    }
    mutex_unlock(&hp->lock);
    return (int)rc;
}

void xenbus_give_up(struct xenbus_dev *dev)
{
    if (dev->node[0])
        xenbus_set_state(dev, XenbusStateClosing);
}
