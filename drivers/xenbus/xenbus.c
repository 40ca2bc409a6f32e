/*
 * The xenbus device layer (include/kernel/xenbus.h): finding a device,
 * following its backend's state on a watch, and closing in order.
 */
#include <stdarg.h>
#include <kernel/format.h>
#include <kernel/string.h>
#include <kernel/xenbus.h>
#include <kernel/xenbus_parse.h>
#include <minios/console.h>
#include <minios/gnttab.h>
#include <minios/hypercall.h>
#include <minios/mm.h>
#include <minios/time.h>
#include <xen/io/xenbus.h>

/* "<dir>/<key>" into @buf; -XEN_ENAMETOOLONG if it does not fit. */
static int join(char *buf, size_t size, const char *dir, const char *key)
{
    int n = ksnprintf(buf, size, "%s/%s", dir, key);

    return n < 0 || (size_t)n >= size ? -XEN_ENAMETOOLONG : 0;
}

static long list_ids(const char *type, unsigned int *ids, size_t max, unsigned int *ignored)
{
    char dir[32], **names;
    long n, kept = 0;

    if (ksnprintf(dir, sizeof(dir), "device/%s", type) >= (int)sizeof(dir))
        return -XEN_ENAMETOOLONG;
    n = xs_directory(XS_TX_NONE, dir, &names);
    if (n == -XEN_ENOENT)
        return 0; /* no device of this type at all */
    if (n < 0)
        return n;
    for (long i = 0; i < n; i++) {
        unsigned long id;

        /* The toolstack names devices by number; anything else is not ours to open. */
        if (xenbus_parse_ulong(names[i], strlen(names[i]), 65535, &id) < 0) {
            if (ignored)
                (*ignored)++;
            else
                printk("xenbus: ignoring %s/%s: not a device number\n", dir, names[i]);
            continue;
        }
        if ((size_t)kept == max)
            break;
        /* Insertion sort: a handful of devices. */
        long j = kept++;

        while (j > 0 && ids[j - 1] > id) {
            ids[j] = ids[j - 1];
            j--;
        }
        ids[j] = (unsigned int)id;
    }
    kfree(names);
    return kept;
}

long xenbus_list(const char *type, unsigned int *ids, size_t max)
{
    return list_ids(type, ids, max, NULL);
}

long xenbus_list_quiet(const char *type, unsigned int *ids, size_t max, unsigned int *ignored)
{
    *ignored = 0;
    return list_ids(type, ids, max, ignored);
}

int xenbus_open(struct xenbus_dev *dev, const char *type, unsigned int id)
{
    char path[96], val[XENBUS_PATH_MAX + 1];
    unsigned long backend_id;
    long len;
    int rc;

    memset(dev, 0, sizeof(*dev));
    if (strlcpy(dev->type, type, sizeof(dev->type)) >= sizeof(dev->type))
        return -XEN_ENAMETOOLONG;
    dev->id = id;
    ksnprintf(dev->node, sizeof(dev->node), "device/%s/%u", type, id);

    if ((rc = join(path, sizeof(path), dev->node, "backend")) < 0)
        return rc;
    len = xs_read(XS_TX_NONE, path, val, sizeof(val));
    if (len == -XEN_ERANGE || (len >= 0 && xenbus_check_path(val, (size_t)len) < 0)) {
        printk("xenbus: %s: the backend path is not a path\n", dev->node);
        return -XEN_EINVAL;
    }
    if (len < 0) {
        printk("xenbus: %s: no backend: %s\n", dev->node, xen_strerror(len));
        return (int)len;
    }
    memcpy(dev->backend, val, (size_t)len + 1);

    join(path, sizeof(path), dev->node, "backend-id");
    len = xs_read(XS_TX_NONE, path, val, sizeof(val));
    if (len < 0) {
        printk("xenbus: %s: no backend-id: %s\n", dev->node, xen_strerror(len));
        return (int)len;
    }
    if (xenbus_parse_ulong(val, (size_t)len, DOMID_FIRST_RESERVED - 1, &backend_id) < 0) {
        printk("xenbus: %s: backend-id is not a domain id\n", dev->node);
        return -XEN_EINVAL;
    }
    dev->backend_id = (domid_t)backend_id;

    join(path, sizeof(path), dev->backend, "state");
    rc = xs_watch_start(&dev->watch, path, NULL, NULL);
    if (rc < 0) {
        printk("xenbus: %s: cannot watch %s: %s\n", dev->node, path, xen_strerror(rc));
        return rc;
    }
    dev->watching = true;
    return 0;
}

void xenbus_release(struct xenbus_dev *dev)
{
    if (dev->watching)
        xs_watch_stop(&dev->watch);
    dev->watching = false;
}

static bool trace_states;

void xenbus_trace_states(bool on)
{
    trace_states = on;
}

/* One side's move, when MINIOS_XENBUS=1 asked for them (docs/split-drivers.md). */
static void trace(const struct xenbus_dev *dev, const char *side, unsigned int *seen,
                  unsigned int now)
{
    if (now == *seen)
        return;
    if (trace_states)
        printk("xenbus: %s: %s %s -> %s\n", dev->node, side, xenbus_state_name(*seen),
               xenbus_state_name(now));
    *seen = now;
}

void xenbus_state_written(struct xenbus_dev *dev, unsigned int state)
{
    trace(dev, "frontend", &dev->seen_frontend, state);
}

int xenbus_backend_state(struct xenbus_dev *dev, unsigned int *state)
{
    char val[16];
    long len = xenbus_read_backend(dev, "state", val, sizeof(val));
    int rc;

    if (len == -XEN_ERANGE)
        return -XEN_EINVAL;
    if (len < 0)
        return (int)len;
    rc = xenbus_parse_state(val, (size_t)len, state);
    if (rc == 0)
        trace(dev, "backend", &dev->seen_backend, *state);
    return rc;
}

bool xenbus_backend_leaving(struct xenbus_dev *dev, const char **why)
{
    unsigned int state;
    int rc = xenbus_backend_state(dev, &state);

    if (rc == -XEN_ENOENT) {
        *why = "gone";
        return true;
    }
    if (rc < 0 || (state != XenbusStateClosing && state != XenbusStateClosed))
        return false;
    *why = xenbus_state_name(state);
    return true;
}

int xenbus_set_state(struct xenbus_dev *dev, unsigned int state)
{
    int rc = xenbus_printf(XS_TX_NONE, dev, "state", "%u", state);

    if (rc < 0)
        printk("xenbus: %s: cannot switch to %s: %s\n", dev->node, xenbus_state_name(state),
               xen_strerror(rc));
    else
        xenbus_state_written(dev, state);
    return rc;
}

/* "Connected (4)" or "Closing (5) or Closed (6)": the states of @mask. */
static void mask_names(unsigned int mask, char *buf, size_t size)
{
    size_t at = 0;

    buf[0] = '\0';
    for (unsigned int s = 0; s <= XENBUS_STATE_MAX && at < size; s++) {
        if (mask & XENBUS_MASK(s))
            at += (size_t)ksnprintf(buf + at, size - at, "%s%s (%u)", at ? " or " : "",
                                    xenbus_state_name(s), s);
    }
}

int xenbus_wait_backend(struct xenbus_dev *dev, unsigned int want, uint64_t timeout_ns,
                        unsigned int *reached)
{
    uint64_t start = monotonic_ns(), deadline = start + timeout_ns;
    unsigned int state = XenbusStateUnknown;
    char wanted[96];
    int rc;

    mask_names(want, wanted, sizeof(wanted));
    for (;;) {
        rc = xenbus_backend_state(dev, &state);
        if (rc == -XEN_ENOENT) {
            /* The toolstack removed the backend (xl *-detach, a dying backend domain). */
            if (want & XENBUS_MASK(XenbusStateClosed))
                break;
            printk("xenbus: %s: backend %s went away, waiting for %s\n", dev->node, dev->backend,
                   wanted);
            return -XEN_ENODEV;
        }
        if (rc == -XEN_EINVAL) {
            printk("xenbus: %s: backend %s wrote a state that is no state\n", dev->node,
                   dev->backend);
            return rc;
        }
        if (rc < 0) {
            printk("xenbus: %s: cannot read the backend's state: %s\n", dev->node,
                   xen_strerror(rc));
            return rc;
        }
        if (want & XENBUS_MASK(state))
            break;
        /* Closing on the way to Closed is progress; otherwise closing is the end. */
        if ((state == XenbusStateClosing || state == XenbusStateClosed) &&
            !(want & (XENBUS_MASK(XenbusStateClosing) | XENBUS_MASK(XenbusStateClosed)))) {
            printk("xenbus: %s: backend %s is %s (%u), waiting for %s\n", dev->node, dev->backend,
                   xenbus_state_name(state), state, wanted);
            if (reached)
                *reached = state;
            return -XEN_ENODEV;
        }
        if (xs_watch_wait(&dev->watch, deadline) == 0) {
            /* One last look: the watch's event may be late, the state not. */
            if (xenbus_backend_state(dev, &state) == 0 && (want & XENBUS_MASK(state)))
                break;
            printk("xenbus: %s: backend %s still %s (%u) after %llu ms, waiting for %s\n",
                   dev->node, dev->backend, xenbus_state_name(state), state,
                   (unsigned long long)((monotonic_ns() - start) / 1000000), wanted);
            if (reached)
                *reached = state;
            return -XEN_ETIMEDOUT;
        }
    }
    if (reached)
        *reached = rc == -XEN_ENOENT ? XenbusStateClosed : state;
    return 0;
}

long xenbus_read_backend(struct xenbus_dev *dev, const char *key, char *buf, size_t size)
{
    char path[XENBUS_PATH_MAX + 64];
    int rc = join(path, sizeof(path), dev->backend, key);

    return rc < 0 ? rc : xs_read(XS_TX_NONE, path, buf, size);
}

bool xenbus_backend_feature(struct xenbus_dev *dev, const char *key)
{
    char val[8];
    long len = xenbus_read_backend(dev, key, val, sizeof(val));

    return xenbus_parse_feature(val, len == -XEN_ERANGE ? -1 : len);
}

long xenbus_read_front(struct xenbus_dev *dev, const char *key, char *buf, size_t size)
{
    char path[112];
    int rc = join(path, sizeof(path), dev->node, key);

    return rc < 0 ? rc : xs_read(XS_TX_NONE, path, buf, size);
}

int xenbus_printf(xs_tx_t tx, struct xenbus_dev *dev, const char *key, const char *fmt, ...)
{
    char path[112], val[64];
    va_list ap;
    int n, rc = join(path, sizeof(path), dev->node, key);

    if (rc < 0)
        return rc;
    va_start(ap, fmt);
    n = kvsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(val))
        return -XEN_E2BIG;
    return xs_write(tx, path, val);
}

int xenbus_close(struct xenbus_dev *dev, uint64_t timeout_ns)
{
    const unsigned int gone = XENBUS_MASK(XenbusStateClosing) | XENBUS_MASK(XenbusStateClosed);
    int rc;

    if ((rc = xenbus_set_state(dev, XenbusStateClosing)) < 0)
        return rc;
    if ((rc = xenbus_wait_backend(dev, gone, timeout_ns, NULL)) < 0)
        return rc;
    if ((rc = xenbus_set_state(dev, XenbusStateClosed)) < 0)
        return rc;
    /* Linux's backends go Closed, then (while the device stays) InitWait again. */
    return xenbus_wait_backend(
        dev, XENBUS_MASK(XenbusStateClosed) | XENBUS_MASK(XenbusStateInitWait), timeout_ns, NULL);
}

int xenbus_grant_page(struct xenbus_dev *dev, bool readonly, void **page, grant_ref_t *ref)
{
    void *p = alloc_page();
    int rc;

    if (!p)
        return -XEN_ENOMEM;
    memset(p, 0, PAGE_SIZE);
    rc = gnttab_grant_access(dev->backend_id, virt_to_mfn(p), readonly);
    if (rc < 0) {
        free_page(p);
        return rc;
    }
    *page = p;
    *ref = (grant_ref_t)rc;
    return 0;
}
