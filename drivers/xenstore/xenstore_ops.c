/*
 * The operations of <minios/xenstore.h>: each builds its request from
 * parts, sends it with xs_call() (drivers/xenstore/xenstore.c) and takes the reply
 * apart with the checked helpers of drivers/xenstore/xs_wire.c and drivers/xenstore/xs_text.c.  A
 * reply that does not have the shape its request asks for is refused with
 * -XEN_EBADMSG and one log line; nothing from xenstored is trusted to be
 * terminated or in range.
 */
#include <kernel/format.h>
#include <kernel/string.h>
#include <kernel/xenstore.h>
#include <kernel/xs_text.h>
#include "xs_wire.h"
#include <minios/console.h>
#include <minios/mm.h>
#include <minios/thread.h>

#define PRINTF_MAX 256

_Static_assert(XS_VALUE_MAX == XENSTORE_PAYLOAD_MAX, "<minios/xenstore.h> disagrees with Xen");

static int malformed(uint32_t type, const char *what)
{
    printk("xenstore: %s reply %s: rejected\n", xs_type_name(type), what);
    return -XEN_EBADMSG;
}

static int call_path(uint32_t type, xs_tx_t tx, const char *path, struct xs_reply *r)
{
    struct xs_part part = {XS_PART_PATH, path, 0};

    return xs_call(type, tx, &part, 1, r);
}

static int call_path_ok(uint32_t type, xs_tx_t tx, const char *path)
{
    struct xs_part part = {XS_PART_PATH, path, 0};

    return xs_call_ok(type, tx, &part, 1);
}

long xs_read(xs_tx_t tx, const char *path, char *buf, size_t size)
{
    struct xs_reply r;
    long rc = call_path(XS_READ, tx, path, &r);

    if (rc)
        return rc;
    if (r.len >= size) {
        rc = -XEN_ERANGE;
    } else {
        memcpy(buf, r.data, r.len + 1); /* with the NUL xs_call() added */
        rc = r.len;
    }
    kfree(r.data);
    return rc;
}

int xs_read_u32(xs_tx_t tx, const char *path, uint32_t *out)
{
    struct xs_reply r;
    int rc = call_path(XS_READ, tx, path, &r);

    if (rc)
        return rc;
    rc = xs_parse_u32(r.data, r.len, out);
    kfree(r.data);
    /* Not a number is the value's problem, not the protocol's. */
    return rc == -XEN_EBADMSG ? -XEN_EINVAL : rc;
}

int xs_write_bytes(xs_tx_t tx, const char *path, const void *value, size_t len)
{
    struct xs_part parts[] = {
        {XS_PART_PATH, path, 0},
        {XS_PART_BYTES, value, len},
    };

    return xs_call_ok(XS_WRITE, tx, parts, ARRAY_SIZE(parts));
}

int xs_write(xs_tx_t tx, const char *path, const char *value)
{
    return xs_write_bytes(tx, path, value, strlen(value));
}

int xs_printf(xs_tx_t tx, const char *path, const char *fmt, ...)
{
    char buf[PRINTF_MAX + 1];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = kvsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0 || n > PRINTF_MAX)
        return -XEN_E2BIG;
    return xs_write_bytes(tx, path, buf, (size_t)n);
}

int xs_mkdir(xs_tx_t tx, const char *path)
{
    return call_path_ok(XS_MKDIR, tx, path);
}

int xs_rm(xs_tx_t tx, const char *path)
{
    return call_path_ok(XS_RM, tx, path);
}

long xs_directory(xs_tx_t tx, const char *path, char ***names)
{
    struct xs_reply r;
    long count;
    int rc = call_path(XS_DIRECTORY, tx, path, &r);

    *names = NULL;
    if (rc)
        return rc;
    /* Every name is checked (terminated, a node name) before any is used. */
    count = xs_parse_directory(r.data, r.len, NULL, 0);
    if (count < 0) {
        kfree(r.data);
        return malformed(XS_DIRECTORY, "is not a list of node names");
    }

    /* One block: the pointers, then a copy of the names they point into. */
    size_t ptrs = ((size_t)count + 1) * sizeof(char *);
    char **block = kmalloc(ptrs + r.len + 1);

    if (!block) {
        kfree(r.data);
        return -XEN_ENOMEM;
    }
    char *names_copy = (char *)block + ptrs;
    size_t pos = 0;
    long i = 0;
    const char *s;

    memcpy(names_copy, r.data, r.len + 1);
    while (i < count && xs_next_string(names_copy, r.len, &pos, &s) == 1)
        block[i++] = (char *)s;
    block[i] = NULL;
    kfree(r.data);
    *names = block;
    return count;
}

long xs_get_perms(xs_tx_t tx, const char *path, struct xs_perm *perms, size_t max)
{
    struct xs_reply r;
    long count;
    int rc = call_path(XS_GET_PERMS, tx, path, &r);

    if (rc)
        return rc;
    count = xs_split_strings(r.data, r.len, NULL, 0);
    /* Every node has an owner: an empty list is as wrong as a broken one. */
    if (count <= 0) {
        kfree(r.data);
        return malformed(XS_GET_PERMS, "is not a list of permissions");
    }

    size_t pos = 0;
    const char *s;

    for (long i = 0; xs_next_string(r.data, r.len, &pos, &s) == 1; i++) {
        char access;
        uint32_t domid;

        if (xs_perm_parse(s, &access, &domid) != 0) {
            kfree(r.data);
            return malformed(XS_GET_PERMS, "holds a malformed permission");
        }
        if ((size_t)i < max) {
            perms[i].domid = (uint16_t)domid;
            perms[i].access = (enum xs_access)access;
        }
    }
    kfree(r.data);
    return count;
}

int xs_set_perms(xs_tx_t tx, const char *path, const struct xs_perm *perms, size_t n)
{
    /* The payload limit allows fewer than this many: let xs_req_finish() say so. */
    if (n == 0 || n > XENSTORE_PAYLOAD_MAX / 2)
        return -XEN_EINVAL;

    struct xs_part *parts = kcalloc(n + 1, sizeof(*parts));
    char *strs = kmalloc(n * XS_PERM_STR_MAX);
    int rc = 0;

    if (!parts || !strs) {
        rc = -XEN_ENOMEM;
        goto out;
    }
    parts[0] = (struct xs_part){XS_PART_PATH, path, 0};
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *s = strs + i * XS_PERM_STR_MAX;
        int len = xs_perm_format((char)perms[i].access, perms[i].domid, s, XS_PERM_STR_MAX);

        if (len < 0)
            rc = len;
        parts[i + 1] = (struct xs_part){XS_PART_STRING, s, 0};
    }
    if (rc == 0)
        rc = xs_call_ok(XS_SET_PERMS, tx, parts, n + 1);
out:
    kfree(parts);
    kfree(strs);
    return rc;
}

/* ---- Transactions -------------------------------------------------------- */

int xs_transaction_start(xs_tx_t *tx)
{
    /* The request's payload is one empty string. */
    struct xs_part part = {XS_PART_STRING, "", 0};
    struct xs_reply r;
    uint32_t id;
    int rc = xs_call(XS_TRANSACTION_START, XS_TX_NONE, &part, 1, &r);

    if (rc)
        return rc;
    rc = xs_parse_u32(r.data, r.len, &id);
    kfree(r.data);
    if (rc || id == XS_TX_NONE)
        return malformed(XS_TRANSACTION_START, "is not a transaction id");
    *tx = id;
    return 0;
}

int xs_transaction_end(xs_tx_t tx, bool commit)
{
    struct xs_part part = {XS_PART_STRING, commit ? "T" : "F", 0};

    if (tx == XS_TX_NONE)
        return -XEN_EINVAL;
    return xs_call_ok(XS_TRANSACTION_END, tx, &part, 1);
}

int xs_transaction(int (*body)(xs_tx_t tx, void *arg), void *arg)
{
    for (int attempt = 1; attempt <= XS_TX_ATTEMPTS; attempt++) {
        xs_tx_t tx;
        int rc = xs_transaction_start(&tx);

        if (rc)
            return rc;
        int result = body(tx, arg);

        if (result < 0) {
            /* An abort that fails changes nothing: the transaction wrote nothing. */
            xs_transaction_end(tx, false);
            if (result != -XEN_EAGAIN)
                return result;
        } else {
            rc = xs_transaction_end(tx, true);
            if (rc != -XEN_EAGAIN)
                return rc ? rc : result;
        }
        /* Someone else committed first: let them get on before trying again. */
        thread_yield();
    }
    printk("xenstore: a transaction conflicted %d times in a row: giving up\n", XS_TX_ATTEMPTS);
    return -XEN_EAGAIN;
}
