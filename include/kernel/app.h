/*
 * What the kernel knows of the application linked with it, and the hooks
 * through which it starts and ends it.  The build generates
 * minios_app_name (build/<app>/app_info.c) from the app's directory.  The C
 * library glue (lib/libc/) overrides the hooks: starting then runs the
 * constructors and calls exit(main()), ending calls exit(), so atexit
 * handlers run and stdio is flushed.  The defaults need no C library.
 */
#ifndef KERNEL_APP_H
#define KERNEL_APP_H

#include <minios/compiler.h>

extern const char minios_app_name[];

int main(int argc, char **argv);

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

#endif /* KERNEL_APP_H */
