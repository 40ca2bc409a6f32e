/*
 * drivers/xenstore/xs_text.c: permission strings both ways (every access letter with
 * domids across the whole range, then what a lying daemon might send:
 * signs, blanks, overflow, empty, junk after the digits), type names for
 * every type, and printable copies of hostile bytes.  Inputs are malloc'ed
 * at their exact size so AddressSanitizer catches a read past the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/io/xs_wire.h>
#include <kernel/xs_text.h>
#include "unit.h"

/* @s with its NUL in a buffer of exactly that size. */
static char *exact_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);

    memcpy(p, s, n);
    return p;
}

static void test_perm_round_trip(void)
{
    static const char letters[] = "nrwb";
    unsigned long long seed = 7;

    for (int l = 0; l < 4; l++) {
        for (int i = 0; i < 3000; i++) {
            /* The edges, then random domids. */
            uint32_t domid = i < 6 ? (uint32_t[]){0, 1, 9, 10, 65534, 65535}[i]
                                   : (uint32_t)(unit_rand(&seed) % 65536);
            char buf[XS_PERM_STR_MAX], want[16];
            int len = xs_perm_format(letters[l], domid, buf, sizeof(buf));

            snprintf(want, sizeof(want), "%c%u", letters[l], domid);
            CHECK(len == (int)strlen(want) && strcmp(buf, want) == 0,
                  "format %c %u: %d \"%s\", expected \"%s\"", letters[l], domid, len,
                  len >= 0 ? buf : "", want);

            char *s = exact_str(want), access = 0;
            uint32_t got = 0;

            CHECK(xs_perm_parse(s, &access, &got) == 0 && access == letters[l] && got == domid,
                  "parse \"%s\": %c %u", want, access, got);
            free(s);
        }
    }
}

static void test_perm_refused(void)
{
    static const char *const bad[] = {
        "",    "n",   "x5",     "N5",     "r-1",         "r+1",
        "r 1", "r1 ", "r65536", "r99999", "r4294967296", "r18446744073709551621",
        "r1x", "rr1", "5",      "b0x10",  "w1\n",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *s = exact_str(bad[i]), access = '?';
        uint32_t domid = 12345;

        CHECK(xs_perm_parse(s, &access, &domid) == -XEN_EINVAL, "\"%s\" was accepted", bad[i]);
        CHECK(access == '?' && domid == 12345, "\"%s\": outputs written on failure", bad[i]);
        free(s);
    }
    /* Leading zeros are digits like any other. */
    char *s = exact_str("r007"), access;
    uint32_t domid;

    CHECK(xs_perm_parse(s, &access, &domid) == 0 && domid == 7, "r007");
    free(s);

    char buf[XS_PERM_STR_MAX];

    CHECK(xs_perm_format('x', 1, buf, sizeof(buf)) == -XEN_EINVAL, "access x formatted");
    CHECK(xs_perm_format('r', 65536, buf, sizeof(buf)) == -XEN_EINVAL, "domid 65536 formatted");
    CHECK(xs_perm_format('r', 1, buf, XS_PERM_STR_MAX - 1) == -XEN_EINVAL, "short buffer used");
}

static void test_type_names(void)
{
    CHECK(strcmp(xs_type_name(XS_READ), "READ") == 0, "XS_READ");
    CHECK(strcmp(xs_type_name(XS_WATCH_EVENT), "WATCH_EVENT") == 0, "XS_WATCH_EVENT");
    CHECK(strcmp(xs_type_name(XS_DIRECTORY_PART), "DIRECTORY_PART") == 0, "XS_DIRECTORY_PART");
    CHECK(strcmp(xs_type_name(XS_SET_TARGET + 1), "unknown") == 0, "the removed XS_RESTRICT");
    CHECK(strcmp(xs_type_name(XS_TYPE_COUNT), "unknown") == 0, "XS_TYPE_COUNT");
    CHECK(strcmp(xs_type_name(UINT32_MAX), "unknown") == 0, "UINT32_MAX");
    for (uint32_t t = 0; t < XS_TYPE_COUNT; t++)
        CHECK(xs_type_name(t) != NULL && xs_type_name(t)[0] != '\0', "type %u", t);
}

static void test_printable(void)
{
    char dst[8];
    char *src = malloc(5);

    memcpy(src, "ab\x01\"\\", 5);
    CHECK(xs_printable(dst, sizeof(dst), src, 5) && strcmp(dst, "ab???") == 0, "\"%s\"", dst);
    /* Truncated at size - 1, terminated, and says so. */
    char *big = malloc(20);

    memset(big, 'x', 20);
    CHECK(!xs_printable(dst, sizeof(dst), big, 20) && strlen(dst) == 7, "truncation");
    CHECK(xs_printable(dst, sizeof(dst), big, 0) && dst[0] == '\0', "empty");
    CHECK(!xs_printable(dst, 0, big, 1), "size 0 with bytes");
    /* Every byte value: only printable ASCII survives. */
    char all[256], out[257];

    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    CHECK(xs_printable(out, sizeof(out), all, 256), "256 bytes fit");
    for (int i = 0; i < 256; i++) {
        int keep = i >= 0x20 && i < 0x7f && i != '"' && i != '\\';

        CHECK(out[i] == (keep ? (char)i : '?'), "byte %#x became %#x", i, (unsigned char)out[i]);
    }
    free(src);
    free(big);
}

/* Watch tokens: every id round-trips, and only what we could write parses. */
static void test_watch_tokens(void)
{
    static const uint32_t ids[] = {1, 7, 9, 10, 99, 100, 65535, 1000000000u, UINT32_MAX};
    static const char *const bad[] = {
        "minios-00000000001xyz",
        "minios-1xyz",
        "minios-01",
        "minios-0",
        "minios-",
        "minios",
        "",
        "minios-4294967296",
        "minios-99999999999",
        "minios-+1",
        "minios- 1",
        "minios--1",
        "Minios-1",
        "minios-1 ",
        "minios-1\n",
        "tok-7",
        "minios-12345678901",
        "xminios-1",
    };
    char buf[XS_WATCH_TOKEN_MAX];
    unsigned long long seed = 11;

    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        size_t n = xs_watch_token(ids[i], buf);

        CHECK(n == strlen(buf) && n < sizeof(buf), "token length for %u", ids[i]);
        CHECK(xs_watch_token_id(buf) == ids[i], "token %s parsed back as %u", buf,
              xs_watch_token_id(buf));
    }
    for (int i = 0; i < 100000; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        uint32_t id = (uint32_t)(seed >> 33) >> (seed % 32);
        char want[32];

        if (id == 0)
            continue;
        xs_watch_token(id, buf);
        snprintf(want, sizeof(want), "minios-%u", id);
        CHECK(strcmp(buf, want) == 0, "token for %u is %s, not %s", id, buf, want);
        CHECK(xs_watch_token_id(buf) == id, "token %s did not round-trip", buf);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK(xs_watch_token_id(bad[i]) == 0, "token \"%s\" was taken as watch %u", bad[i],
              xs_watch_token_id(bad[i]));
}

int main(void)
{
    test_perm_round_trip();
    test_watch_tokens();
    test_perm_refused();
    test_type_names();
    test_printable();
    return unit_result("xs_text");
}
