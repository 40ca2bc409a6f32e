/*
 * The pure part of the xenbus device layer: parsing what a backend (or the
 * toolstack) wrote into xenstore.  Every value is another domain's text:
 * each parser takes the value and its length (it need not be
 * NUL-terminated, it may hold NULs), accepts exactly one well-formed form
 * and refuses everything else with -XEN_EINVAL (-XEN_ERANGE for a number
 * out of the caller's bounds), storing nothing then.  No allocation, no
 * xenstore: host-unit-tested (tests/unit/test_xenbus_parse.c) and fuzzed
 * (tests/fuzz/fuzz_xenbus.c).
 */
#ifndef XENBUS_PARSE_H
#define XENBUS_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* The states of <xen/io/xenbus.h>, by number; anything else is refused. */
#define XENBUS_STATE_MAX 8

/* "4" -> 4: one decimal state 0..XENBUS_STATE_MAX. */
int xenbus_parse_state(const char *s, size_t len, unsigned int *state);

/* "Connected" for 4; "?" for a number outside 0..XENBUS_STATE_MAX. */
const char *xenbus_state_name(unsigned int state);

/*
 * A decimal number 0..@max: digits only (no sign, blank, "0x" or empty
 * value), no overflow.  Leading zeros are taken ("007" is 7).
 */
int xenbus_parse_ulong(const char *s, size_t len, unsigned long max, unsigned long *out);

/* "00:16:3e:0a:0b:0c" (either case), exactly 17 characters, into @mac. */
int xenbus_parse_mac(const char *s, size_t len, uint8_t mac[6]);

/* The longest backend path we keep (a real one: /local/domain/0/backend/vif/12/0). */
#define XENBUS_PATH_MAX 128

/*
 * A backend path as the toolstack writes it: absolute, at most
 * XENBUS_PATH_MAX - 1 bytes, components of xenstore's characters
 * [A-Za-z0-9_@-] (and dots), no empty component, no "." or "..", no
 * trailing '/'.  0 if @s is one.
 */
int xenbus_check_path(const char *s, size_t len);

/*
 * A feature flag: "1" is on; "0", an absent key (@len < 0) and anything
 * else are off.  Returns 1 or 0.
 */
int xenbus_parse_feature(const char *s, long len);

#endif /* XENBUS_PARSE_H */
