/*
 * xenstore: the hierarchical key-value store every Xen domain shares with
 * the toolstack (docs/domu.md, "xenstore", tells the whole story).
 *
 * Paths are absolute ("/local/domain/5/name") or relative to the domain's
 * home, /local/domain/<our id> ("name", "data/x").  Node names use
 * [A-Za-z0-9-_@]; a path is at most 3072 bytes absolute, 2048 relative.
 * A value is at most 4096 bytes (xenstored may allow less: its default
 * per-node quota is 2048).
 *
 * Any thread may call any of these functions, from any vCPU, concurrently;
 * each call sleeps until xenstored answers.  Nothing here may be called from
 * an event handler.
 *
 * Errors are negative Xen errnos, the numbers of <xen/errno.h> (XEN_ENOENT,
 * XEN_EACCES, ...; xen_strerror() names them).  They are not the C
 * library's errno values: compare with the XEN_ names.  What xenstored
 * reports comes back as the errno it names ("ENOENT" -> -XEN_ENOENT);
 * besides those:
 *   -XEN_ENODEV     there is no xenstore: we are a dom0 without one
 *   -XEN_ETIMEDOUT  no answer within XS_TIMEOUT_NS (one line is logged)
 *   -XEN_EIO        the connection is lost: xenstored broke the protocol or
 *                   stopped reading mid-request (one line said why); every
 *                   later call fails the same way
 *   -XEN_EBADMSG    the reply was not what the request asks for (logged)
 *   -XEN_EINVAL     a malformed path, before anything is sent
 */
#ifndef MINIOS_XENSTORE_H
#define MINIOS_XENSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <minios/compiler.h>
#include <minios/list.h>
#include <minios/sync.h>

#pragma GCC visibility push(default)

/* The largest value (XENSTORE_PAYLOAD_MAX): xs_read() into XS_VALUE_MAX + 1 bytes always fits. */
#define XS_VALUE_MAX 4096

/* How long one request may take, from the call to the reply. */
#define XS_TIMEOUT_NS (10ULL * 1000000000ULL)

/* True once the store is connected (a domU); false for a dom0 without one. */
bool xs_available(void);

/* ---- Transactions -------------------------------------------------------- */

/*
 * Every operation takes a transaction id: XS_TX_NONE for a stand-alone
 * operation, or one from xs_transaction_start().  Inside a transaction,
 * reads see the transaction's own writes and nothing written by others
 * since it started; the writes become visible together at the end, or not
 * at all if someone else changed what it touched meanwhile (-XEN_EAGAIN).
 */
typedef uint32_t xs_tx_t;
#define XS_TX_NONE 0

int xs_transaction_start(xs_tx_t *tx);

/* Commits (@commit true) or aborts.  -XEN_EAGAIN: a conflict, nothing was written. */
int xs_transaction_end(xs_tx_t tx, bool commit);

/*
 * Runs @body in a transaction and commits it, starting over (a new
 * transaction, @body called again) while the commit reports a conflict,
 * at most XS_TX_ATTEMPTS times.  @body must therefore only read and write
 * through @tx and keep no other side effects from an earlier attempt.
 * If @body returns a negative value the transaction is aborted and that
 * value returned (-XEN_EAGAIN from @body also starts over).  Otherwise
 * returns @body's value once the commit succeeded, or the error.
 */
#define XS_TX_ATTEMPTS 32
int xs_transaction(int (*body)(xs_tx_t tx, void *arg), void *arg);

/* ---- Nodes ---------------------------------------------------------------- */

/*
 * Reads @path's value into @buf, NUL-terminated (a value may itself hold
 * NULs: the length says where it ends).  Returns the value's length, or
 * -XEN_ERANGE if @buf is too small for it and its NUL (nothing stored);
 * XS_VALUE_MAX + 1 bytes always suffice.
 */
long xs_read(xs_tx_t tx, const char *path, char *buf, size_t size);

/* Reads a decimal value ("5") into *@out; -XEN_EINVAL if it is not one. */
int xs_read_u32(xs_tx_t tx, const char *path, uint32_t *out);

/* Writes @value (a string, without its NUL), creating @path and missing parents. */
int xs_write(xs_tx_t tx, const char *path, const char *value);

/* The same with @len raw bytes. */
int xs_write_bytes(xs_tx_t tx, const char *path, const void *value, size_t len);

/* The same with a formatted value (at most 256 bytes; -XEN_E2BIG beyond). */
int xs_printf(xs_tx_t tx, const char *path, const char *fmt, ...) __printf(3, 4);

/* Creates @path with an empty value if it does not exist (not an error if it does). */
int xs_mkdir(xs_tx_t tx, const char *path);

/*
 * Removes @path and everything below it.  Removing a node that does not
 * exist succeeds if its parent exists (-XEN_ENOENT otherwise).
 */
int xs_rm(xs_tx_t tx, const char *path);

/*
 * The names of @path's children.  Returns their number and sets *@names to
 * one kmalloc()ed block: a NULL-terminated array of pointers to the names,
 * which live in the same block.  Free it with kfree(names), once.
 */
long xs_directory(xs_tx_t tx, const char *path, char ***names);

/* ---- Permissions ---------------------------------------------------------- */

/*
 * A node's permissions are a list.  The first entry names the owner (who
 * may always read, write and change the permissions) and, in its access,
 * what every domain not listed may do; each further entry grants one
 * domain an access.  Privileged domains (dom0) may do anything.
 */
enum xs_access {
    XS_ACCESS_NONE = 'n',
    XS_ACCESS_READ = 'r',
    XS_ACCESS_WRITE = 'w',
    XS_ACCESS_BOTH = 'b',
};

struct xs_perm {
    uint16_t domid;
    enum xs_access access;
};

/* Stores up to @max entries; returns how many there are (possibly more than @max). */
long xs_get_perms(xs_tx_t tx, const char *path, struct xs_perm *perms, size_t max);

/* Replaces the list (@n >= 1).  Only the owner (or dom0) may. */
int xs_set_perms(xs_tx_t tx, const char *path, const struct xs_perm *perms, size_t n);

/* ---- Watches -------------------------------------------------------------- */

/*
 * A watch reports changes to a node and everything below it: a write, a
 * removal, a permission change, also when done by ourselves.  xenstored
 * fires every new watch once at once (with the watched path itself), so a
 * handler can read the current state without a separate first read.
 * Several changes may be reported as several events or, through
 * xs_watch_wait(), counted together: treat an event as "look again", not
 * as a record of one change.
 *
 * Two ways to consume events, usable together:
 *  - a callback, @fn(@w, changed path, @arg), run in the xenstore watch
 *    thread, one callback at a time, in arrival order.  It runs as a
 *    thread: it may sleep and call any xenstore function, including
 *    xs_watch_stop() of its own watch;
 *  - xs_watch_wait(), from any thread, for a watch with or without a
 *    callback.
 *
 * struct xs_watch belongs to the caller and must stay in place from
 * xs_watch_start() until xs_watch_stop() returns.  Its fields are private.
 */
struct xs_watch;
typedef void (*xs_watch_fn)(struct xs_watch *w, const char *path, void *arg);

struct xs_watch {
    struct list_node node; /* in the list of watches */
    uint32_t id;           /* our token: "minios-<id>" */
    char *path;            /* our copy */
    xs_watch_fn fn;
    void *arg;
    unsigned long fired; /* events counted */
    unsigned long seen;  /* fired, as of the last xs_watch_wait() */
    struct waitq wait;
};

/* Registers @w (not already started) on @path; @fn may be NULL (xs_watch_wait() only). */
int xs_watch_start(struct xs_watch *w, const char *path, xs_watch_fn fn, void *arg);

/*
 * Unregisters @w.  When this returns, @fn is not running (unless called by
 * @fn itself) and will not be called again, and @w may be reused.
 */
int xs_watch_stop(struct xs_watch *w);

/*
 * Blocks until @w has fired since the last call (or since it started), or
 * until @deadline (monotonic_ns(); NO_DEADLINE).  Returns the number of
 * events since then (> 0), 0 at the deadline, -XEN_EINVAL if @w is not
 * started.  One thread at a time may wait on a watch.
 */
long xs_watch_wait(struct xs_watch *w, uint64_t deadline);

#pragma GCC visibility pop

#endif /* MINIOS_XENSTORE_H */
