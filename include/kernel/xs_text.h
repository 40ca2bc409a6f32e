/*
 * Small text conversions of the xenstore client (drivers/xenstore/xs_text.c):
 * message type names for log lines, permission strings, watch tokens, and
 * making a peer's bytes safe to print.  Pure logic, tested on the host
 * (tests/unit/test_xs_text.c);
 * every input is bounded by a length or a NUL we checked, as in xs_wire.h.
 * Errors are negative Xen errnos.
 */
#ifndef KERNEL_XS_TEXT_H
#define KERNEL_XS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "READ", "WATCH_EVENT", ...; "unknown" for a type that does not exist. */
const char *xs_type_name(uint32_t type);

/* The largest domid a permission can name (domid_t is 16 bits). */
#define XS_PERM_DOMID_MAX 0xffffu

/* The longest permission string with its NUL: a letter and five digits. */
#define XS_PERM_STR_MAX 7

/*
 * A permission as xenstored writes it: one of 'n' 'r' 'w' 'b', then the
 * domid in decimal (digits only, at most XS_PERM_DOMID_MAX), then the
 * string's end.  @s is NUL-terminated (the caller found the NUL within its
 * payload).  Returns 0, or -XEN_EINVAL for anything else.
 */
int xs_perm_parse(const char *s, char *access, uint32_t *domid);

/*
 * Writes the permission string for @access and @domid into @buf (at least
 * XS_PERM_STR_MAX bytes).  Returns its length, or -XEN_EINVAL for an
 * unknown @access or a @domid above XS_PERM_DOMID_MAX.
 */
int xs_perm_format(char access, uint32_t domid, char *buf, size_t size);

/*
 * Copies @len bytes of @src (a peer's, not terminated) into @dst of @size
 * bytes for a log line: printable ASCII is kept except '"' and '\\', every
 * other byte becomes '?', the copy stops at @size - 1 bytes and is
 * terminated.  Returns true if all of @src fitted.
 */
bool xs_printable(char *dst, size_t size, const char *src, size_t len);

/*
 * Watch tokens: ours are "minios-<id>", the id in decimal as "%u" writes it
 * (1 to UINT32_MAX, no leading zero), so xenstored's events name a watch by
 * number and never by pointer.  The longest, with its NUL, is
 * XS_WATCH_TOKEN_MAX bytes.
 */
#define XS_WATCH_TOKEN_PREFIX "minios-"
#define XS_WATCH_TOKEN_MAX    (sizeof(XS_WATCH_TOKEN_PREFIX) + 10)

/* Writes @id's token into @buf (XS_WATCH_TOKEN_MAX bytes); returns its length. */
size_t xs_watch_token(uint32_t id, char buf[XS_WATCH_TOKEN_MAX]);

/*
 * The id in @token (a peer's, NUL-terminated), or 0 if it is not exactly a
 * token xs_watch_token() could have written: a missing or different prefix,
 * no digits, a leading zero, a value past UINT32_MAX, or anything after the
 * digits are all refused.  Reads at most XS_WATCH_TOKEN_MAX bytes.
 */
uint32_t xs_watch_token_id(const char *token);

#endif /* KERNEL_XS_TEXT_H */
