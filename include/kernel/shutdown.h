/*
 * Ending the domain (kernel/shutdown.c).  The status -> exit mapping is
 * documented in docs/exit-status.md; this is the only code that implements it.
 */
#ifndef KERNEL_SHUTDOWN_H
#define KERNEL_SHUTDOWN_H

#include <stdbool.h>
#include <minios/compiler.h>

/*
 * Claims the end of the domain for the calling thread: returns to the first
 * caller only.  A later caller (another thread ending the program at the
 * same time) blocks for good, since the first is ending the domain.  Called
 * before the exit line is printed, so there is only ever one.
 */
void shutdown_claim(void);

/* Exit with an application status: poweroff for 0, crash otherwise. */
void __noreturn shutdown_with_status(int status);

/* Reboot, at the toolstack's request (a domU only). */
void __noreturn shutdown_reboot(void);

/*
 * Ends a crash report (panic, fatal trap, failsafe): every thread with its
 * state and backtrace, the "minios: crashed" line, then the crash shutdown.
 */
void __noreturn crash_report_end(void);

/* Exit as crashed (panic, fatal fault). */
void __noreturn shutdown_crash(void);

/*
 * Carries out a poweroff (@reboot false; @reason "poweroff" or "halt") or a
 * reboot the toolstack asked for, within MINIOS_SHUTDOWN_GRACE_S whatever
 * the application's threads are doing (kernel/shutdown_request.c).  Returns
 * at once: the work is done by kernel threads.
 */
void shutdown_request(bool reboot, const char *reason);

#endif /* KERNEL_SHUTDOWN_H */
