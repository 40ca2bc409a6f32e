/*
 * uname() (runtime/libc/uname.c): the system's name and version.  newlib
 * has no <sys/utsname.h>; this one defines only POSIX names.
 */
#ifndef MINIOS_POSIX_SYS_UTSNAME_H
#define MINIOS_POSIX_SYS_UTSNAME_H

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

struct utsname {
    char sysname[65];  /* "minios" */
    char nodename[65]; /* the domain's name in xenstore, or "minios" without one */
    char release[65];  /* minios's version */
    char version[65];  /* the hypervisor's: "Xen 4.17.7" */
    char machine[65];  /* "x86_64" */
};

int uname(struct utsname *name);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* MINIOS_POSIX_SYS_UTSNAME_H */
