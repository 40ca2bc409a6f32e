/* Console internals shared by kernel/console*.c and kernel/printk.c. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>
#include <stdbool.h>

/* A place the console's bytes can go. */
struct console_backend {
    const char *name;
    /* Writes all of @buf unless the peer is stuck; called with the console lock held. */
    void (*write)(const char *buf, size_t len);
    /* Blocking read of input (see console_read()); NULL if there is no input. */
    size_t (*read)(void *buf, size_t len);
};

extern const struct console_backend console_xen;   /* dom0: HYPERVISOR_console_io */
extern const struct console_backend console_ring;  /* domU: the shared ring */

/* Picks the backend for this domain and writes out what was buffered. */
void console_init(void);

/* The lock behind console_write(), for callers writing several pieces. */
void console_lock(void);
void console_unlock(void);
void console_write_locked(const char *buf, size_t len);

/*
 * Ends a line the application left unterminated, so that the kernel's
 * next message (the exit line, a panic) starts a line of its own.
 */
void console_start_line(void);

/*
 * From now on ignore the console lock: a panic may have interrupted its
 * holder, and the panic report matters more than tidy interleaving.
 */
void console_break_lock(void);

/* Sets up the domU ring from start_info; false if start_info has none. */
bool console_ring_init(void);

#endif /* KERNEL_CONSOLE_H */
