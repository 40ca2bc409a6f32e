/*
 * A ustar reader (ustar.h).  A header block holds the name (100 bytes),
 * mode, size (octal text), checksum, type, the "ustar" magic and a name
 * prefix (155 bytes); the file's bytes follow, padded to whole blocks.
 */
#include <stdbool.h>
#include <string.h>

#include "ustar.h"

/* Header field offsets and sizes (POSIX.1-1988). */
#define F_NAME     0
#define F_MODE     100
#define F_SIZE     124
#define F_CHKSUM   148
#define F_TYPE     156
#define F_MAGIC    257
#define F_PREFIX   345
#define NAME_LEN   100
#define PREFIX_LEN 155

/* An octal field of @n bytes: digits, then NUL or space padding.  -1 if malformed. */
static long long octal(const unsigned char *p, size_t n)
{
    long long v = 0;
    size_t i = 0;

    while (i < n && p[i] == ' ')
        i++;
    if (i == n || p[i] < '0' || p[i] > '7')
        return -1;
    for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
        if (v > (1LL << 40))
            return -1; /* far beyond anything an image holds */
        v = v * 8 + (p[i] - '0');
    }
    for (; i < n; i++) {
        if (p[i] != ' ' && p[i] != '\0')
            return -1;
    }
    return v;
}

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i])
            return false;
    }
    return true;
}

static bool checksum_ok(const unsigned char *h)
{
    long long want = octal(h + F_CHKSUM, 8);
    long long sum = 0;

    for (size_t i = 0; i < USTAR_BLOCK; i++)
        sum += (i >= F_CHKSUM && i < F_CHKSUM + 8) ? ' ' : h[i];
    return want >= 0 && sum == want;
}

/* Copies a field that may fill all @n bytes without a NUL. */
static size_t field(char *out, const unsigned char *p, size_t n)
{
    size_t len = strnlen((const char *)p, n);

    memcpy(out, p, len);
    return len;
}

/* prefix/name, without leading "./" or "/"-runs; false for "..", an absolute name. */
static bool make_path(const unsigned char *h, char *path, const char **why)
{
    char raw[USTAR_PATH_MAX];
    size_t len = field(raw, h + F_PREFIX, PREFIX_LEN), start = 0, out = 0;

    if (len)
        raw[len++] = '/';
    len += field(raw + len, h + F_NAME, NAME_LEN);
    raw[len] = '\0';
    if (raw[0] == '/') {
        *why = "an absolute name";
        return false;
    }
    /* Component by component: drop "." and empty ones, refuse "..". */
    while (start < len) {
        size_t end = start;

        while (end < len && raw[end] != '/')
            end++;
        if (end - start == 2 && raw[start] == '.' && raw[start + 1] == '.') {
            *why = "a name with ..";
            return false;
        }
        if (end > start && !(end - start == 1 && raw[start] == '.')) {
            if (out)
                path[out++] = '/';
            memcpy(path + out, raw + start, end - start);
            out += end - start;
        }
        start = end + 1;
    }
    path[out] = '\0';
    return true;
}

int ustar_next(const unsigned char *ar, size_t len, size_t *offset, struct ustar_entry *e,
               const char **why)
{
    const unsigned char *h;
    long long size, mode;
    size_t blocks;

    if (*offset > len || len - *offset < USTAR_BLOCK)
        return 0;
    h = ar + *offset;
    if (all_zero(h, USTAR_BLOCK))
        return 0;
    if (memcmp(h + F_MAGIC, "ustar", 5) != 0) {
        *why = "not a ustar header";
        return -1;
    }
    if (!checksum_ok(h)) {
        *why = "a bad header checksum";
        return -1;
    }
    size = octal(h + F_SIZE, 12);
    mode = octal(h + F_MODE, 8);
    if (size < 0 || mode < 0) {
        *why = "a malformed size or mode";
        return -1;
    }
    blocks = ((size_t)size + USTAR_BLOCK - 1) / USTAR_BLOCK;
    if ((size_t)size > len - *offset - USTAR_BLOCK ||
        blocks * USTAR_BLOCK > len - *offset - USTAR_BLOCK) {
        *why = "a size past the end of the archive";
        return -1;
    }
    e->type = h[F_TYPE] == '\0' ? '0' : (char)h[F_TYPE];
    if (e->type != '0' && e->type != '5') {
        *why = "neither a file nor a directory (a link, a device?)";
        return -1;
    }
    if (!make_path(h, e->path, why))
        return -1;
    if (e->type == '0' && e->path[0] == '\0') {
        *why = "a file without a name";
        return -1;
    }
    e->mode = (unsigned int)mode & 07777;
    e->data = h + USTAR_BLOCK;
    e->size = e->type == '0' ? (size_t)size : 0;
    *offset += USTAR_BLOCK + blocks * USTAR_BLOCK;
    return 1;
}
