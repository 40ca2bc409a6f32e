/*
 * drivers/xenbus/xenbus_parse.c: what a backend or the toolstack may write
 * into xenstore, well-formed and not.  States, bounded numbers (every
 * boundary, overflow near ULONG_MAX, random values against strtoul), MAC
 * addresses (round trips and every single-character corruption), backend
 * paths and feature flags.  Inputs are malloc'ed at their exact length (no
 * NUL) so AddressSanitizer catches a read past the end.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <kernel/xenbus_parse.h>
#include "unit.h"

static int parse_state(const char *s, unsigned int *st)
{
    char *p = unit_exact(s, strlen(s));
    int rc = xenbus_parse_state(p, strlen(s), st);

    free(p);
    return rc;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
    char *p = unit_exact(s, strlen(s));
    int rc = xenbus_parse_ulong(p, strlen(s), max, v);

    free(p);
    return rc;
}

static void test_states(void)
{
    static const char *const names[] = {"Unknown",     "Initialising",  "InitWait",
                                        "Initialised", "Connected",     "Closing",
                                        "Closed",      "Reconfiguring", "Reconfigured"};
    static const char *const bad[] = {"",   "9",   "10",  "-1", "+4", " 4",
                                      "4 ", "4\n", "0x4", "4a", "a",  "99999999999999999999999",
                                      "\0"};

    for (unsigned int s = 0; s <= XENBUS_STATE_MAX; s++) {
        char buf[4];
        unsigned int got = 99;

        snprintf(buf, sizeof(buf), "%u", s);
        CHECK(parse_state(buf, &got) == 0 && got == s, "state \"%s\": %u", buf, got);
        CHECK(strcmp(xenbus_state_name(s), names[s]) == 0, "name of %u: %s", s,
              xenbus_state_name(s));
    }
    CHECK(strcmp(xenbus_state_name(9), "?") == 0, "name of 9");
    CHECK(strcmp(xenbus_state_name(UINT_MAX), "?") == 0, "name of UINT_MAX");
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        unsigned int got = 77;

        CHECK(parse_state(bad[i], &got) == -XEN_EINVAL && got == 77, "bad state \"%s\"", bad[i]);
    }
    /* A value holding a NUL: "4\0" is two bytes, not "4". */
    unsigned int got = 77;
    char *p = unit_exact("4\0", 2);

    CHECK(xenbus_parse_state(p, 2, &got) == -XEN_EINVAL && got == 77, "\"4\\0\"");
    free(p);
}

static void test_ulong(void)
{
    unsigned long v;
    char buf[32];

    CHECK(parse_ulong("0", 0, &v) == 0 && v == 0, "0 of 0");
    CHECK(parse_ulong("1", 0, &v) == -XEN_ERANGE, "1 of 0");
    CHECK(parse_ulong("65535", 65535, &v) == 0 && v == 65535, "65535");
    CHECK(parse_ulong("65536", 65535, &v) == -XEN_ERANGE, "65536");
    CHECK(parse_ulong("007", 10, &v) == 0 && v == 7, "007");
    snprintf(buf, sizeof(buf), "%lu", ULONG_MAX);
    CHECK(parse_ulong(buf, ULONG_MAX, &v) == 0 && v == ULONG_MAX, "ULONG_MAX");
    CHECK(parse_ulong("18446744073709551616", ULONG_MAX, &v) == -XEN_ERANGE, "ULONG_MAX + 1");
    CHECK(parse_ulong("99999999999999999999999", ULONG_MAX, &v) == -XEN_ERANGE, "way over");
    static const char *const bad[] = {"", "-0", "+1", " 1", "1 ", "0x10", "1e3", "١"};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        v = 12345;
        CHECK(parse_ulong(bad[i], ULONG_MAX, &v) == -XEN_EINVAL && v == 12345, "bad \"%s\"",
              bad[i]);
    }
    /* Random values and bounds against strtoul. */
    unsigned long long seed = 11;

    for (int i = 0; i < 100000; i++) {
        unsigned long x = (unsigned long)unit_rand(&seed) >> (unit_rand(&seed) % 64);
        unsigned long max = (unsigned long)unit_rand(&seed) >> (unit_rand(&seed) % 64);
        int rc;

        snprintf(buf, sizeof(buf), "%lu", x);
        rc = parse_ulong(buf, max, &v);
        if (x <= max)
            CHECK(rc == 0 && v == strtoul(buf, NULL, 10), "%s of %lu: %d %lu", buf, max, rc, v);
        else
            CHECK(rc == -XEN_ERANGE, "%s over %lu: %d", buf, max, rc);
    }
}

static void test_mac(void)
{
    unsigned long long seed = 5;

    for (int i = 0; i < 20000; i++) {
        uint8_t want[6], got[6];
        char buf[18];

        for (int j = 0; j < 6; j++)
            want[j] = (uint8_t)unit_rand(&seed);
        snprintf(buf, sizeof(buf),
                 i & 1 ? "%02x:%02x:%02x:%02x:%02x:%02x" : "%02X:%02X:%02X:%02X:%02X:%02X", want[0],
                 want[1], want[2], want[3], want[4], want[5]);
        char *p = unit_exact(buf, 17);

        CHECK(xenbus_parse_mac(p, 17, got) == 0 && memcmp(got, want, 6) == 0, "mac %s", buf);
        /* Each position changed to a character that does not belong there. */
        for (int k = 0; k < 17; k++) {
            char keep = p[k];
            uint8_t untouched[6] = {1, 2, 3, 4, 5, 6};

            p[k] = k % 3 == 2 ? '-' : "g: xG\n"[unit_rand(&seed) % 6];
            CHECK(xenbus_parse_mac(p, 17, untouched) == -XEN_EINVAL && untouched[0] == 1,
                  "corrupted at %d: %.17s", k, p);
            p[k] = keep;
        }
        CHECK(xenbus_parse_mac(p, 16, got) == -XEN_EINVAL, "16 characters");
        free(p);
    }
    char *p = unit_exact("00:16:3e:00:01:00:", 18);
    uint8_t got[6];

    CHECK(xenbus_parse_mac(p, 18, got) == -XEN_EINVAL, "18 characters");
    CHECK(xenbus_parse_mac(p, 0, got) == -XEN_EINVAL, "empty");
    free(p);
}

static int check_path(const char *s)
{
    char *p = unit_exact(s, strlen(s));
    int rc = xenbus_check_path(p, strlen(s));

    free(p);
    return rc;
}

static void test_paths(void)
{
    static const char *const good[] = {"/local/domain/0/backend/vif/5/0",
                                       "/local/domain/0/backend/vbd/12/51712", "/a", "/a.b/c_d-@"};
    static const char *const bad[] = {
        "",    "/",    "local/domain/0", "/local//domain", "/a/",  "/a/./b",   "/a/../b",
        "/..", "/a b", "/a\nb",          "/a\\b",          "/a%b", "/\xc3\xa9"};
    char long_path[XENBUS_PATH_MAX + 2];

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        CHECK(check_path(good[i]) == 0, "good path %s", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK(check_path(bad[i]) == -XEN_EINVAL, "bad path \"%s\"", bad[i]);
    memset(long_path, 'a', sizeof(long_path));
    long_path[0] = '/';
    long_path[XENBUS_PATH_MAX - 1] = '\0';
    CHECK(check_path(long_path) == 0, "the longest path");
    long_path[XENBUS_PATH_MAX - 1] = 'a';
    long_path[XENBUS_PATH_MAX] = '\0';
    CHECK(check_path(long_path) == -XEN_EINVAL, "one byte too long");
    /* A NUL inside the value is not a path character. */
    char *p = unit_exact("/a\0b", 4);

    CHECK(xenbus_check_path(p, 4) == -XEN_EINVAL, "NUL inside");
    free(p);
}

static void test_features(void)
{
    CHECK(xenbus_parse_feature("1", 1) == 1, "\"1\"");
    CHECK(xenbus_parse_feature("0", 1) == 0, "\"0\"");
    CHECK(xenbus_parse_feature("1", -XEN_ENOENT) == 0, "absent");
    CHECK(xenbus_parse_feature("11", 2) == 0, "\"11\"");
    CHECK(xenbus_parse_feature("1\n", 2) == 0, "\"1\\n\"");
    CHECK(xenbus_parse_feature("", 0) == 0, "empty");
    CHECK(xenbus_parse_feature("y", 1) == 0, "\"y\"");
}

int main(void)
{
    test_states();
    test_ulong();
    test_mac();
    test_paths();
    test_features();
    return unit_result("xenbus_parse");
}
