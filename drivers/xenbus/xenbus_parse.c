/*
 * Parsing backend-written xenstore values (xenbus_parse.h).  Freestanding:
 * the host unit tests and the fuzzer compile this file as it is.
 */
#include <stdbool.h>
#include <xen/errno.h>
#include <kernel/xenbus_parse.h>

static const char *const state_names[XENBUS_STATE_MAX + 1] = {
    "Unknown", "Initialising", "InitWait",      "Initialised",  "Connected",
    "Closing", "Closed",       "Reconfiguring", "Reconfigured",
};

const char *xenbus_state_name(unsigned int state)
{
    return state <= XENBUS_STATE_MAX ? state_names[state] : "?";
}

int xenbus_parse_ulong(const char *s, size_t len, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;

    if (len == 0)
        return -XEN_EINVAL;
    /* Nonsense is nonsense however large its digits: look at every byte first. */
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -XEN_EINVAL;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned int d = (unsigned char)s[i] - '0';

        /* v * 10 + d > max, asked without overflowing. */
        if (v > max / 10 || (v == max / 10 && d > max % 10))
            return -XEN_ERANGE;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int xenbus_parse_state(const char *s, size_t len, unsigned int *state)
{
    unsigned long v;
    int rc = xenbus_parse_ulong(s, len, XENBUS_STATE_MAX, &v);

    if (rc == -XEN_ERANGE)
        rc = -XEN_EINVAL; /* "9" is no state: nonsense, not a large one */
    if (rc == 0)
        *state = (unsigned int)v;
    return rc;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int xenbus_parse_mac(const char *s, size_t len, uint8_t mac[6])
{
    uint8_t m[6];

    if (len != 17)
        return -XEN_EINVAL;
    for (int i = 0; i < 6; i++) {
        int hi = hex_digit(s[3 * i]), lo = hex_digit(s[3 * i + 1]);

        if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
            return -XEN_EINVAL;
        m[i] = (uint8_t)(hi << 4 | lo);
    }
    for (int i = 0; i < 6; i++)
        mac[i] = m[i];
    return 0;
}

static bool path_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '@' || c == '.';
}

int xenbus_check_path(const char *s, size_t len)
{
    size_t start;

    if (len < 2 || len >= XENBUS_PATH_MAX || s[0] != '/' || s[len - 1] == '/')
        return -XEN_EINVAL;
    start = 1;
    for (size_t i = 1; i <= len; i++) {
        if (i < len && s[i] != '/') {
            if (!path_char(s[i]))
                return -XEN_EINVAL;
            continue;
        }
        /* A component s[start..i): not empty, not "." or "..". */
        size_t n = i - start;

        if (n == 0 || (n == 1 && s[start] == '.') ||
            (n == 2 && s[start] == '.' && s[start + 1] == '.'))
            return -XEN_EINVAL;
        start = i + 1;
    }
    return 0;
}

int xenbus_parse_feature(const char *s, long len)
{
    return len == 1 && s[0] == '1';
}
