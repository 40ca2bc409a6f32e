/*
 * What the kernel knows of the application linked with it, and the two
 * hooks through which it starts and ends it.  scripts/minios-link generates
 * minios_app_name (the application's name: its argv[0]).  The runtime
 * (runtime/libc/) defines the hooks: starting runs the constructors and
 * calls exit(main()), ending calls exit(), so atexit handlers run and stdio
 * is flushed.
 */
#ifndef KERNEL_APP_H
#define KERNEL_APP_H

#include <minios/compiler.h>

extern const char minios_app_name[];

int main(int argc, char **argv);

/* The runtime defines these for the kernel alone: never an application's. */
#pragma GCC visibility push(hidden)

/* Runs main() in the main thread; never returns. */
void __noreturn app_start(int argc, char **argv, char **envp);

/* Ends the program with @status (the last thread exited, or exit()). */
void __noreturn app_exit(int status);

/*
 * Writes out the output the program has buffered (stdio's), without ever
 * waiting for a lock another thread holds: a stream that is locked is
 * left, with one line saying how many bytes were dropped.  For an end that
 * cannot wait (the toolstack's shutdown once its time is up).  Only the
 * first call does anything.
 */
void app_flush_output(void);

#pragma GCC visibility pop

#endif /* KERNEL_APP_H */
