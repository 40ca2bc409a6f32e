/* Console internals shared by console/console*.c, console/printk.c and the shutdown path. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>
#include <stdbool.h>
#include <minios/xen.h>

struct ldisc;

/* A place the console's bytes go, and where its input comes from. */
struct console_backend {
    const char *name;
    /* Writes all of @buf unless the peer is stuck; called with the console lock held. */
    void (*write)(const char *buf, size_t len);
    /*
     * Waits, for a bounded time, until what was written has left the guest
     * (the peer has read the ring); NULL if writes are synchronous.  Called
     * with the console lock held.
     */
    void (*drain)(void);
    /* Starts input (console_input_start()) once events work; NULL: no input. */
    void (*input_init)(void);
};

extern const struct console_backend console_xen;  /* dom0: HYPERVISOR_console_io */
extern const struct console_backend console_ring; /* domU: the shared ring */

/* Picks the backend for this domain and writes out what was buffered. */
void console_init(void);

/* Starts console input; needs event channels (after events_init_cpu()). */
void console_init_input(void);

/*
 * Before the domain ends: writes out early output if no backend was chosen
 * yet, and waits (bounded) for the backend to take everything written, so
 * the last lines, such as "minios: exit status N", are not lost.
 */
void console_flush(void);

/* The lock behind console_write(); it masks events while held. */
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

/* --- input (console/console_input.c) --- */

struct console_input_source {
    const char *name; /* for messages: "the console ring" */
    /*
     * Moves what it can from the source into @queue (events masked, input
     * lock held: no printing).  Input that must be thrown away is counted
     * in *@dropped.  Returns the bytes moved, or a negative Xen errno when
     * the source is broken for good: reads then end with end of file.
     */
    long (*pull)(struct ldisc *queue, unsigned long *dropped);
};

/* Input comes from @src from now on (called once, by the backend's input_init). */
void console_input_start(const struct console_input_source *src);

/* The backend's event handler (an evtchn_handler_t): input may have arrived. */
void console_input_event(evtchn_port_t port, void *arg);

/*
 * The backend consumed the input event itself (it polls the same port):
 * the reader is woken when the console lock is released.
 */
void console_input_poke(void);
void console_input_deliver_poke(void);

/*
 * Console input's modes (console/ldisc.h), what <termios.h>'s ICRNL and
 * ICANON set: CR as LF (CR LF as one LF), and ^D as end of file.  Both are
 * on at boot.  A new mode applies to bytes that arrive later; @flush
 * discards what arrived and nobody has read yet.
 */
#define CONSOLE_IN_CRNL 0x1u
#define CONSOLE_IN_EOF  0x2u
unsigned int console_input_mode(void);
void console_set_input_mode(unsigned int mode, bool flush);

#endif /* KERNEL_CONSOLE_H */
