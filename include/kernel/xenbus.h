/*
 * The xenbus device layer (drivers/xenbus/): what every split-driver
 * frontend (netfront, blkfront) shares.  docs/networking.md tells the
 * handshake for learners; in short:
 *
 *   toolstack: creates device/<type>/<id> (our side) and the backend's
 *              directory, naming each other (`backend`, `backend-id`)
 *   backend:   publishes its features, goes to InitWait (2)
 *   frontend:  reads them, shares its rings, writes its keys, goes to
 *              Initialised (3) or Connected (4)
 *   backend:   maps the rings, goes to Connected (4)
 *   closing:   frontend Closing (5), backend Closing/Closed, frontend
 *              Closed (6), backend Closed; only then are the shared pages
 *              ours again
 *
 * Waiting is on a xenstore watch of the backend's state key, never by
 * polling, and always with a deadline: a backend that never gets there
 * costs a console line naming the device, the state it reached and the
 * state we waited for, and -XEN_ETIMEDOUT.  A backend that closes, goes
 * away or writes a state that is no state gives -XEN_ENODEV or -XEN_EINVAL,
 * again with a line.  Everything the backend writes is parsed by
 * drivers/xenbus/xenbus_parse.c (bounded, unit-tested, fuzzed).
 *
 * Errors are negative Xen errnos.  Functions sleep (they call xenstore):
 * threads only, never from an event handler.
 */
#ifndef KERNEL_XENBUS_H
#define KERNEL_XENBUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <minios/compiler.h>
#include <minios/xen.h>
#include <xen/grant_table.h>
#include <minios/sync.h>
#include <minios/xenstore.h>

/* <xen/io/xenbus.h>'s states, for masks: XENBUS_MASK(XenbusStateConnected). */
#define XENBUS_MASK(state) (1U << (state))

/* How long a frontend waits for each step of a backend by default. */
#define XENBUS_TIMEOUT_NS (20ULL * 1000000000ULL)

struct xenbus_dev {
    char type[16];         /* "vif", "vbd" */
    unsigned int id;       /* the <id> of device/<type>/<id> */
    char node[48];         /* "device/vif/0", relative to our home */
    char backend[128];     /* the backend's directory, absolute (checked) */
    domid_t backend_id;    /* the domain serving it */
    struct xs_watch watch; /* on <backend>/state */
    bool watching;
    unsigned int seen_backend;  /* last state read, for xenbus_trace_states() */
    unsigned int seen_frontend; /* last state written */
};

/* The ids under device/<type>, ascending, at most @max: their number, or an error. */
long xenbus_list(const char *type, unsigned int *ids, size_t max);

/*
 * The same without a line for each name that is not a number, counted in
 * *@ignored instead (hotplug looks at every change: it tells only news).
 */
long xenbus_list_quiet(const char *type, unsigned int *ids, size_t max, unsigned int *ignored);

/*
 * Finds device/<type>/<id>: reads and checks `backend` and `backend-id`,
 * and starts watching the backend's state.  xenbus_release() undoes it.
 */
int xenbus_open(struct xenbus_dev *dev, const char *type, unsigned int id);
void xenbus_release(struct xenbus_dev *dev);

/* The backend's state now: 0 with *@state, -XEN_ENOENT if its key is gone, -XEN_EINVAL if nonsense.
 */
int xenbus_backend_state(struct xenbus_dev *dev, unsigned int *state);

/*
 * For a watch on the backend's state: true if the backend is leaving (its
 * state reads Closing or Closed, or its key is gone), with *@why its state's
 * name or "gone" for the log.  A state that is no state is not leaving:
 * the next change says more.
 */
bool xenbus_backend_leaving(struct xenbus_dev *dev, const char **why);

/* Print every device's state changes, both sides, by name (MINIOS_XENBUS=1). */
void xenbus_trace_states(bool on);

/* Records our state written in a transaction of the driver's own (for the trace). */
void xenbus_state_written(struct xenbus_dev *dev, unsigned int state);

/* Writes our own state key. */
int xenbus_set_state(struct xenbus_dev *dev, unsigned int state);

/*
 * Sleeps until the backend's state is one of @want (a mask of
 * XENBUS_MASK()s) or @timeout_ns passed.  0 with the state in *@reached
 * (may be NULL); otherwise a line is printed and: -XEN_ETIMEDOUT (*@reached
 * is the last state seen), -XEN_ENODEV (the backend closed or went away
 * unless @want includes that), -XEN_EINVAL (a state that is no state).
 */
int xenbus_wait_backend(struct xenbus_dev *dev, unsigned int want, uint64_t timeout_ns,
                        unsigned int *reached);

/* Reads <backend>/<key> (like xs_read()). */
long xenbus_read_backend(struct xenbus_dev *dev, const char *key, char *buf, size_t size);

/* A backend feature flag: true only for "1" (absent or anything else: false). */
bool xenbus_backend_feature(struct xenbus_dev *dev, const char *key);

/* Reads <node>/<key>, our own directory (which the toolstack filled, e.g. `mac`). */
long xenbus_read_front(struct xenbus_dev *dev, const char *key, char *buf, size_t size);

/* Writes <node>/<key> = the formatted value, in transaction @tx. */
int xenbus_printf(xs_tx_t tx, struct xenbus_dev *dev, const char *key, const char *fmt, ...)
    __printf(4, 5);

/*
 * The ordered close: Closing, wait for the backend to close (or go), then
 * Closed, and wait for its Closed.  Returns 0 when the backend let go of
 * everything we shared with it, or the error of the step that failed (the
 * caller must then keep the shared pages: the backend may still use them).
 */
int xenbus_close(struct xenbus_dev *dev, uint64_t timeout_ns);

/*
 * A zeroed page of ours granted to @dev's backend (read-only if @readonly):
 * 0 with *@page and *@ref set, or an error with nothing kept.
 */
int xenbus_grant_page(struct xenbus_dev *dev, bool readonly, void **page, grant_ref_t *ref);

/* ---- Hotplug: devices the toolstack adds while we run (xl network-attach) ---- */

/*
 * A watch on device/<type> (drivers/xenbus/xenbus_hotplug.c).  A device is
 * new when its own `state` key says Initialising (1): the toolstack made it
 * and no frontend has touched it (ours write Connected, then Closing and
 * Closed; Linux's frontends follow the same rule).  So devices present at
 * boot that a driver opened are not new, nor one a driver gave up on
 * (xenbus_give_up()), while a device made again under an old id is.
 */
#define XENBUS_HOTPLUG_MAX 16 /* devices of a type looked at; more are ignored */

struct xenbus_hotplug {
    char type[16];
    char dir[32]; /* "device/vif" */
    struct xs_watch watch;
    bool watching;
    unsigned int ignored; /* names that are no number, at the last look */
    struct mutex lock;
    unsigned int offered[XENBUS_HOTPLUG_MAX];
    size_t nr_offered;
};

/* Starts watching device/@type (zero @hp first).  0, or xenstore's error. */
int xenbus_hotplug_start(struct xenbus_hotplug *hp, const char *type);

/*
 * Sleeps until a new device of the type is there (one already there counts
 * at once): 0 with its id in *@id, offered once; -XEN_ETIMEDOUT at
 * @deadline (monotonic_ns(); NO_DEADLINE), or xenstore's error.  Each wake
 * of the watch is a fresh look at the directory: the watch firing
 * spuriously or many times costs only that look.
 */
int xenbus_hotplug_next(struct xenbus_hotplug *hp, uint64_t deadline, unsigned int *id);

/*
 * A driver could not use device @dev (its keys are missing or nonsense,
 * before any handshake): our state goes to Closing, as Linux's frontends
 * do on a fatal error, so the toolstack sees it and hotplug never offers it
 * again.
 */
void xenbus_give_up(struct xenbus_dev *dev);

#endif /* KERNEL_XENBUS_H */
