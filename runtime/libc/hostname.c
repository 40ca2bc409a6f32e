/*
 * The host name and its relatives.  The host name starts as the domain's
 * name, which the toolstack writes in xenstore (read once, bounded, made
 * printable; a dom0 without a store is "minios"), and sethostname() changes
 * it for the rest of the run: gethostname() and uname()'s nodename report
 * the same kept buffer.  The NIS domain name is empty (there is none), and
 * gethostid() is a hash of the host name as it was first read.
 *
 * Lengths: a name is at most HOSTNAME_MAX (64) bytes; sethostname() refuses
 * a longer one with EINVAL, and gethostname()/getdomainname() into too
 * small a buffer copy what fits, NUL-terminated, and fail with
 * ENAMETOOLONG (POSIX lets the name be truncated; a caller can tell).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <minios/sync.h>
#include <minios/xenstore.h>

#include "hostname.h"

static struct mutex name_lock;
static char host_name[HOSTNAME_MAX + 1];
static bool name_read;
static uint32_t first_name_hash;

/* The domain's name from xenstore, or "minios"; name_lock held. */
static void read_domain_name(void)
{
    char value[128];
    long n = xs_available() ? xs_read(XS_TX_NONE, "name", value, sizeof(value)) : -1;
    size_t len = 0;
    uint32_t hash = 2166136261u; /* FNV-1a */

    if (n > 0) {
        if ((size_t)n > sizeof(value))
            n = sizeof(value);
        for (long i = 0; i < n && len < HOSTNAME_MAX; i++)
            host_name[len++] = value[i] > ' ' && value[i] < 0x7f ? value[i] : '?';
    }
    if (len == 0) {
        len = strlen("minios");
        memcpy(host_name, "minios", len);
    }
    host_name[len] = '\0';
    for (size_t i = 0; i < len; i++)
        hash = (hash ^ (unsigned char)host_name[i]) * 16777619u;
    first_name_hash = hash;
    name_read = true;
}

static void lock_name(void)
{
    mutex_lock(&name_lock);
    if (!name_read)
        read_domain_name();
}

size_t hostname_copy(char *out, size_t size)
{
    size_t len;

    lock_name();
    len = strlen(host_name);
    if (len >= size)
        len = size - 1;
    memcpy(out, host_name, len);
    out[len] = '\0';
    mutex_unlock(&name_lock);
    return len;
}

/* Copies @name into @buf of @size bytes: what fits, and ENAMETOOLONG if not all of it. */
static int give_name(char *buf, size_t size, const char *name, size_t len)
{
    if (size == 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (len >= size) {
        memcpy(buf, name, size - 1);
        buf[size - 1] = '\0';
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, name, len + 1);
    return 0;
}

int gethostname(char *buf, size_t size)
{
    char name[HOSTNAME_MAX + 1];
    size_t len = hostname_copy(name, sizeof(name));

    return give_name(buf, size, name, len);
}

int sethostname(const char *name, size_t len)
{
    if (len > HOSTNAME_MAX) {
        errno = EINVAL;
        return -1;
    }
    if (len && !name) {
        errno = EFAULT;
        return -1;
    }
    lock_name();
    memcpy(host_name, name, len);
    host_name[len] = '\0';
    mutex_unlock(&name_lock);
    return 0;
}

int getdomainname(char *buf, size_t size)
{
    return give_name(buf, size, "", 0);
}

long gethostid(void)
{
    uint32_t id;

    lock_name();
    id = first_name_hash;
    mutex_unlock(&name_lock);
    return (long)id;
}
