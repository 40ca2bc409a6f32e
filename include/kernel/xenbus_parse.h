/*
 * The pure part of the xenbus device layer: parsing what a backend (or the
 * toolstack) wrote into xenstore, and hotplug's bookkeeping.  Every value is another domain's text:
 * each parser takes the value and its length (it need not be
 * NUL-terminated, it may hold NULs), accepts exactly one well-formed form
 * and refuses everything else with -XEN_EINVAL (-XEN_ERANGE for a number
 * out of the caller's bounds), storing nothing then.  No allocation, no
 * xenstore: host-unit-tested (tests/unit/test_xenbus_parse.c) and fuzzed
 * (tests/fuzz/fuzz_xenbus.c).
 */
#ifndef XENBUS_PARSE_H
#define XENBUS_PARSE_H

#include <stdbool.h>
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

/*
 * Hotplug's choice (drivers/xenbus/xenbus_fresh.c, for xenbus_hotplug_next()):
 * which new device to offer a driver.  @ids[@n] are the devices listed
 * now; @fresh[i] says whether device @ids[i]'s own `state` is Initialising
 * (1), i.e. the toolstack made it and no frontend has touched it yet.
 * @offered[*@nr_offered] are ids offered before; capacity @max >= @n.
 * An offered id is forgotten once it is no longer fresh (a frontend moved
 * it on, or it is gone), so a device made again under the same id is new
 * again; a fresh one is never offered twice (a driver that failed to open
 * it skips it).  Returns the first fresh id not offered yet, now recorded
 * in @offered, or -1 if there is none.
 */
long xenbus_fresh_pick(const unsigned int *ids, const bool *fresh, size_t n, unsigned int *offered,
                       size_t *nr_offered, size_t max);

#endif /* XENBUS_PARSE_H */
