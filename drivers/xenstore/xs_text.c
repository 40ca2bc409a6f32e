/*
 * Text conversions of the xenstore client (kernel/xs_text.h): names for log
 * lines, permission strings both ways, watch tokens both ways, printable
 * copies of a peer's bytes.
 * Pure logic, compiled into the kernel and into the host unit tests.
 */
#include <stdbool.h>
#include <stdint.h>
#include <xen/errno.h>
#include <xen/io/xs_wire.h>

#include <kernel/xs_text.h>

static const char *const type_names[XS_TYPE_COUNT] = {
    [XS_CONTROL] = "CONTROL",
    [XS_DIRECTORY] = "DIRECTORY",
    [XS_READ] = "READ",
    [XS_GET_PERMS] = "GET_PERMS",
    [XS_WATCH] = "WATCH",
    [XS_UNWATCH] = "UNWATCH",
    [XS_TRANSACTION_START] = "TRANSACTION_START",
    [XS_TRANSACTION_END] = "TRANSACTION_END",
    [XS_INTRODUCE] = "INTRODUCE",
    [XS_RELEASE] = "RELEASE",
    [XS_GET_DOMAIN_PATH] = "GET_DOMAIN_PATH",
    [XS_WRITE] = "WRITE",
    [XS_MKDIR] = "MKDIR",
    [XS_RM] = "RM",
    [XS_SET_PERMS] = "SET_PERMS",
    [XS_WATCH_EVENT] = "WATCH_EVENT",
    [XS_ERROR] = "ERROR",
    [XS_IS_DOMAIN_INTRODUCED] = "IS_DOMAIN_INTRODUCED",
    [XS_RESUME] = "RESUME",
    [XS_SET_TARGET] = "SET_TARGET",
    [XS_RESET_WATCHES] = "RESET_WATCHES",
    [XS_DIRECTORY_PART] = "DIRECTORY_PART",
};

const char *xs_type_name(uint32_t type)
{
    /* The removed XS_RESTRICT's slot is empty. */
    if (type < XS_TYPE_COUNT && type_names[type])
        return type_names[type];
    return "unknown";
}

static bool access_ok(char c)
{
    return c == 'n' || c == 'r' || c == 'w' || c == 'b';
}

int xs_perm_parse(const char *s, char *access, uint32_t *domid)
{
    uint32_t v = 0;
    const char *p = s + 1;

    if (!access_ok(s[0]) || *p == '\0')
        return -XEN_EINVAL;
    /* Each digit is checked before the next byte is looked at: the NUL ends it. */
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return -XEN_EINVAL;
        v = v * 10 + (uint32_t)(*p - '0');
        if (v > XS_PERM_DOMID_MAX)
            return -XEN_EINVAL;
    }
    *access = s[0];
    *domid = v;
    return 0;
}

int xs_perm_format(char access, uint32_t domid, char *buf, size_t size)
{
    char digits[5];
    int n = 0, len = 0;

    if (!access_ok(access) || domid > XS_PERM_DOMID_MAX || size < XS_PERM_STR_MAX)
        return -XEN_EINVAL;
    do {
        digits[n++] = (char)('0' + domid % 10);
        domid /= 10;
    } while (domid);
    buf[len++] = access;
    while (n)
        buf[len++] = digits[--n];
    buf[len] = '\0';
    return len;
}

bool xs_printable(char *dst, size_t size, const char *src, size_t len)
{
    size_t n = 0;

    if (size == 0)
        return len == 0;
    for (; n < len && n < size - 1; n++) {
        char c = src[n];

        dst[n] = (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? c : '?';
    }
    dst[n] = '\0';
    return n == len;
}

size_t xs_watch_token(uint32_t id, char buf[XS_WATCH_TOKEN_MAX])
{
    size_t prefix = sizeof(XS_WATCH_TOKEN_PREFIX) - 1, n = 0;
    char digits[10];

    for (size_t i = 0; i < prefix; i++)
        buf[i] = XS_WATCH_TOKEN_PREFIX[i];
    do {
        digits[n++] = (char)('0' + id % 10);
        id /= 10;
    } while (id);
    for (size_t i = 0; i < n; i++)
        buf[prefix + i] = digits[n - 1 - i];
    buf[prefix + n] = '\0';
    return prefix + n;
}

uint32_t xs_watch_token_id(const char *token)
{
    size_t prefix = sizeof(XS_WATCH_TOKEN_PREFIX) - 1, i;
    uint64_t id = 0;

    for (i = 0; i < prefix; i++) {
        if (token[i] != XS_WATCH_TOKEN_PREFIX[i])
            return 0;
    }
    /* At most 10 digits, the first not 0, then the end: nothing else is ours. */
    if (token[prefix] < '1' || token[prefix] > '9')
        return 0;
    for (i = prefix; i < prefix + 10 && token[i] >= '0' && token[i] <= '9'; i++)
        id = id * 10 + (uint64_t)(token[i] - '0');
    if (token[i] != '\0' || id > UINT32_MAX)
        return 0;
    return (uint32_t)id;
}
