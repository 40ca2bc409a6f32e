/* Ending the program, and assertions that end it when they fail. */
#ifndef MINIOS_KERNEL_H
#define MINIOS_KERNEL_H

#include <minios/compiler.h>

#pragma GCC visibility push(default)

/*
 * Prints "minios: exit status N" and shuts the domain down: poweroff for 0,
 * crash otherwise (see docs/exit-status.md for what the harness reports).
 */
void __noreturn minios_exit(int status);

/*
 * The application's hook for a shutdown the toolstack asks for (`xl
 * shutdown`, `xl reboot`): define it to be told.  @reason is "poweroff",
 * "halt" or "reboot".  It runs in a kernel thread of its own while the rest
 * of the program keeps running, and may sleep and use xenstore.  Then a
 * poweroff or halt ends the program as exit(0) does (atexit handlers, stdio
 * flushed, "minios: exit status 0"), and a reboot flushes stdio and reboots
 * the domain.  The hook and that exit get MINIOS_SHUTDOWN_GRACE_S seconds
 * together from the request; if the domain is still there then, the kernel
 * ends it without them: it writes out the buffered output whose stream no
 * other thread holds locked, says what it dropped, and powers off (status
 * 0) or reboots.  The default does nothing.
 */
#define MINIOS_SHUTDOWN_GRACE_S 5

void minios_on_shutdown(const char *reason);

/*
 * Prints "minios: PANIC: <message>" and a backtrace, then shuts the domain
 * down as crashed at once.
 */
void __noreturn panic(const char *fmt, ...) __printf(1, 2);

#define BUG_ON(cond)                                                                               \
    do {                                                                                           \
        if (unlikely(cond))                                                                        \
            panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__);                               \
    } while (0)

#pragma GCC visibility pop

#endif /* MINIOS_KERNEL_H */
