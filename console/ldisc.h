/*
 * The console's line discipline (console/ldisc.c): a byte queue of our own
 * between where console input comes from (a domU's shared ring, or Xen's
 * serial line for dom0) and console_read(), and the few rules that turn
 * what a terminal sends into what a program reading stdin expects:
 *
 *  - CR becomes LF, and an LF right after a CR is dropped, so Enter on a
 *    terminal (CR), a Unix file (LF) and a DOS file (CR LF) all give one LF;
 *  - ^D (EOT, 0x04) ends a read: a read returns what came before it, and a
 *    read that meets it first returns 0 (end of file); ^D is never returned;
 *  - every other byte passes unchanged: no echo, no line editing, and a
 *    read returns what is there without waiting for a whole line.
 *
 * The first two are the modes LDISC_CRNL and LDISC_EOF, both on unless a
 * program turns them off (<termios.h>'s ICRNL and ICANON); with neither,
 * every byte arrives as sent.
 *
 * Pure logic (no locks, no waiting), like lib/ring.c: the kernel and the
 * host tests and fuzzers compile the same file.  The caller serialises.
 */
#ifndef KERNEL_LDISC_H
#define KERNEL_LDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/errno.h>
#include <xen/io/console.h>

#define LDISC_SIZE     4096 /* bytes the queue holds; a power of two */
#define LDISC_EOF_CHAR 0x04 /* ^D */

/* Modes (ldisc_set_mode()). */
#define LDISC_CRNL 0x1u /* CR becomes LF; an LF right after a CR is dropped */
#define LDISC_EOF  0x2u /* ^D ends a read; first in a read, it is end of file */

/* ldisc_get() found nothing to return yet: not end of file, just empty. */
#define LDISC_EMPTY (-XEN_EAGAIN)

struct ldisc {
    uint32_t head, tail; /* bytes ever taken out / put in */
    bool after_cr;       /* the last byte put in was a CR */
    bool closed;         /* no more input will come */
    unsigned int mode;   /* LDISC_CRNL | LDISC_EOF */
    char buf[LDISC_SIZE];
};

/* An empty queue in both modes. */
void ldisc_init(struct ldisc *l);

/* From now on: bytes put in later follow @mode's first rule, reads its second. */
void ldisc_set_mode(struct ldisc *l, unsigned int mode);

/* Discards what is queued (a ^D included); end of file stays. */
void ldisc_flush(struct ldisc *l);

/* Raw bytes ldisc_put() is sure to take (the free space). */
size_t ldisc_space(const struct ldisc *l);

/*
 * Applies the rules to up to @len raw bytes of @src and queues the result.
 * Returns the raw bytes taken: all of them when @len <= ldisc_space().
 */
size_t ldisc_put(struct ldisc *l, const void *src, size_t len);

/*
 * Takes up to @max bytes for a read: returns how many (> 0), 0 for end of
 * file (a ^D, taken now; or the queue is closed and empty), or LDISC_EMPTY.
 * @max == 0 returns 0 and takes nothing.
 */
long ldisc_get(struct ldisc *l, void *dst, size_t max);

/* A read now would not return LDISC_EMPTY. */
bool ldisc_readable(const struct ldisc *l);

/* No more input: once the queue is empty, reads return 0. */
void ldisc_close(struct ldisc *l);

/*
 * Console input from a domU's shared ring: moves what the peer has put in
 * @intf->in, at most ldisc_space() bytes, into the queue and advances
 * in_cons (lib/ring.c: indices read once and checked).  Returns the bytes
 * taken, or RING_ERR_INDEX if the indices are impossible (what was taken
 * before that stays queued).  Notifying the peer is the caller's.
 */
long ldisc_pull_ring(struct ldisc *l, struct xencons_interface *intf);

#endif /* KERNEL_LDISC_H */
