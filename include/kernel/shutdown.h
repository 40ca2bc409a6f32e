/*
 * Ending the domain (kernel/shutdown.c).  The status -> exit mapping is
 * documented in docs/exit-status.md; this is the only code that implements it.
 */
#ifndef KERNEL_SHUTDOWN_H
#define KERNEL_SHUTDOWN_H

#include <minios/compiler.h>

/* Exit with an application status: poweroff for 0, crash otherwise. */
void __noreturn shutdown_with_status(int status);

/* Reboot, at the toolstack's request (a domU only). */
void __noreturn shutdown_reboot(void);

/* Exit as crashed (panic, fatal fault). */
void __noreturn shutdown_crash(void);

#endif /* KERNEL_SHUTDOWN_H */
