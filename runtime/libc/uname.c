/*
 * uname(): "minios", the host name (hostname.c: the domain's name unless
 * sethostname() changed it), minios's version, the hypervisor's version,
 * "x86_64".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <minios/hypercall.h>
#include <minios/version.h>

#include "hostname.h"

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
    hostname_copy(name->nodename, sizeof(name->nodename));
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
