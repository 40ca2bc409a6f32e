/*
 * The kernel console: where printk() and the C library's stdout go.
 *
 * As dom0 the console is Xen's own (HYPERVISOR_console_io); as a domU it is
 * the shared ring the toolstack set up (console.domU in start_info).  Output
 * produced before the console is chosen is kept and written out first.
 */
#ifndef MINIOS_CONSOLE_H
#define MINIOS_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <minios/compiler.h>

#pragma GCC visibility push(default)

/* Writes @len bytes as one unit: no other vCPU's output lands inside it. */
void console_write(const char *buf, size_t len);

/*
 * Reads console input (what read(0, ...) gets): blocks the calling thread
 * until there is input, then returns what is there, up to @len bytes,
 * without waiting for a whole line.  CR arrives as LF (CR LF as one LF);
 * ^D ends a read, and a read that starts at one returns 0, end of file.
 * No echo, no line editing.  Returns 0 when this console has no input.
 * docs/domu.md#the-console has the details.
 */
size_t console_read(void *buf, size_t len);

/* printf-like output to the console; see include/kernel/format.h for %. */
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#pragma GCC visibility pop

#endif /* MINIOS_CONSOLE_H */
