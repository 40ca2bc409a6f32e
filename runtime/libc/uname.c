/*
 * uname(): "minios", the domain's name, minios's version, the hypervisor's
 * version, "x86_64".  The name comes from xenstore, which the toolstack
 * writes: it is read once, bounded and made printable.  A dom0 without a
 * store is "minios".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <minios/hypercall.h>
#include <minios/version.h>
#include <minios/xenstore.h>

static void domain_name(char *out, size_t size)
{
    char value[128];
    long n = xs_available() ? xs_read(XS_TX_NONE, "name", value, sizeof(value)) : -1;
    size_t len = 0;

    if (n > 0) {
        if ((size_t)n > sizeof(value))
            n = sizeof(value);
        for (long i = 0; i < n && len + 1 < size; i++)
            out[len++] = value[i] > ' ' && value[i] < 0x7f ? value[i] : '?';
    }
    if (len == 0)
        len = (size_t)snprintf(out, size, "minios");
    out[len] = '\0';
}

int uname(struct utsname *name)
{
    xen_extraversion_t extra = {0};
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);
    long rc = HYPERVISOR_xen_version(XENVER_extraversion, extra);

    if (!name) {
        errno = EFAULT;
        return -1;
    }
    memset(name, 0, sizeof(*name));
    snprintf(name->sysname, sizeof(name->sysname), "minios");
    domain_name(name->nodename, sizeof(name->nodename));
    snprintf(name->release, sizeof(name->release), "%s", MINIOS_VERSION);
    extra[sizeof(extra) - 1] = '\0';
    if (version < 0)
        snprintf(name->version, sizeof(name->version), "Xen (xen_version: %s)",
                 xen_strerror(version));
    else
        snprintf(name->version, sizeof(name->version), "Xen %ld.%ld%s", version >> 16,
                 version & 0xffff, rc < 0 ? "" : extra);
    snprintf(name->machine, sizeof(name->machine), "x86_64");
    return 0;
}
