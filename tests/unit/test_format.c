/*
 * lib/format.c against the host C library's snprintf: every generated
 * format whose meaning C99 defines must produce the same text and the same
 * return value, at every buffer size we try.  Then the cases where we
 * choose the behaviour ourselves (%n, unknown conversions, NULL strings).
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <kernel/format.h>
#include "unit.h"

#define CASES 200000

static unsigned long long seed = 0x6d696e696f73ULL;

/* Compares one format (already expanded with its argument) both ways. */
static void compare(const char *fmt, const char *expect, int expect_len, const char *got,
                    int got_len)
{
    CHECK(expect_len == got_len && strcmp(expect, got) == 0,
          "format \"%s\": libc gave %d \"%s\", we gave %d \"%s\"", fmt, expect_len, expect, got_len,
          got);
}

/* Random "interesting" 64-bit values: edges, small numbers, random bits. */
static unsigned long long pick_value(void)
{
    static const unsigned long long edges[] = {
        0,
        1,
        7,
        8,
        9,
        10,
        15,
        16,
        99,
        100,
        255,
        256,
        0x7f,
        0x80,
        0x7fff,
        0x8000,
        0xffff,
        0x7fffffff,
        0x80000000,
        0xffffffff,
        0x100000000ULL,
        0x7fffffffffffffffULL,
        0x8000000000000000ULL,
        0xffffffffffffffffULL,
    };
    unsigned long long r = unit_rand(&seed);

    switch (r % 4) {
    case 0:
        return edges[(r >> 8) % (sizeof(edges) / sizeof(edges[0]))];
    case 1:
        return -(long long)((r >> 8) % 1000);
    case 2:
        return (r >> 8) % 100000;
    default:
        return unit_rand(&seed);
    }
}

static const char *const lengths[] = {"", "hh", "h", "l", "ll", "z", "t", "j"};

/* Builds a random, well-defined conversion into @fmt; returns its letter. */
static char make_format(char *fmt, size_t size, int *len_index, int *star_w, int *star_p)
{
    static const char convs[] = "diuxXocsp%";
    unsigned long long r = unit_rand(&seed);
    char conv = convs[r % (sizeof(convs) - 1)];
    char flags[8] = "", width[16] = "", prec[16] = "";
    const char *allowed = "";
    size_t nf = 0;

    *len_index = 0;
    *star_w = *star_p = INT_MIN;
    switch (conv) {
    case 'd':
    case 'i':
        allowed = "-+ 0";
        break;
    case 'u':
        allowed = "-+ 0";
        break;
    case 'o':
    case 'x':
    case 'X':
        allowed = "-+ #0";
        break;
    case 'c':
    case 's':
    case 'p':
        allowed = "-";
        break;
    case '%':
        allowed = "";
        break;
    }
    for (const char *f = allowed; *f; f++) {
        if (unit_rand(&seed) % 3 == 0)
            flags[nf++] = *f;
    }
    flags[nf] = '\0';

    if (conv != '%') {
        switch (unit_rand(&seed) % 4) {
        case 0:
            break;
        case 1:
            snprintf(width, sizeof(width), "%d", (int)(unit_rand(&seed) % 30));
            break;
        case 2:
            snprintf(width, sizeof(width), "%d", (int)(unit_rand(&seed) % 3) + 1);
            break;
        case 3:
            strcpy(width, "*");
            *star_w = (int)(unit_rand(&seed) % 41) - 20;
            break;
        }
    }
    if (conv != '%' && conv != 'c' && conv != 'p') {
        switch (unit_rand(&seed) % 4) {
        case 0:
        case 1:
            break;
        case 2:
            snprintf(prec, sizeof(prec), ".%d", (int)(unit_rand(&seed) % 25));
            break;
        case 3:
            strcpy(prec, ".*");
            *star_p = (int)(unit_rand(&seed) % 31) - 5;
            break;
        }
    }
    if (strchr("diuxXo", conv))
        *len_index = (int)(unit_rand(&seed) % 8);

    snprintf(fmt, size, "<%%%s%s%s%s%c>", flags, width, prec, lengths[*len_index], conv);
    return conv;
}

/* snprintf through both engines with the same arguments, at several sizes. */
#define BOTH(fmt, ...)                                                                             \
    do {                                                                                           \
        char want[512], got[512];                                                                  \
        int wn = snprintf(want, sizeof(want), fmt, __VA_ARGS__);                                   \
        int gn = ksnprintf(got, sizeof(got), fmt, __VA_ARGS__);                                    \
        compare(fmt, want, wn, got, gn);                                                           \
        size_t small = unit_rand(&seed) % 12;                                                      \
        memset(got, 'Z', sizeof(got));                                                             \
        gn = ksnprintf(got, small, fmt, __VA_ARGS__);                                              \
        CHECK(gn == wn, "format \"%s\" size %zu: returned %d, want %d", fmt, small, gn, wn);       \
        if (small) {                                                                               \
            size_t keep = (size_t)wn < small - 1 ? (size_t)wn : small - 1;                         \
            CHECK(memcmp(got, want, keep) == 0 && got[keep] == '\0',                               \
                  "format \"%s\" size %zu: truncated wrong", fmt, small);                          \
        }                                                                                          \
        CHECK(got[small] == 'Z', "format \"%s\" size %zu: wrote past the end", fmt, small);        \
    } while (0)

/* Calls BOTH with a value of the right type for the length modifier. */
static void run_integer(const char *fmt, char conv, int len, unsigned long long v, int sw, int sp)
{
    int is_signed = conv == 'd' || conv == 'i';

#define STARS_AND(type, val)                                                                       \
    do {                                                                                           \
        if (sw != INT_MIN && sp != INT_MIN)                                                        \
            BOTH(fmt, sw, sp, (type)(val));                                                        \
        else if (sw != INT_MIN)                                                                    \
            BOTH(fmt, sw, (type)(val));                                                            \
        else if (sp != INT_MIN)                                                                    \
            BOTH(fmt, sp, (type)(val));                                                            \
        else                                                                                       \
            BOTH(fmt, (type)(val));                                                                \
    } while (0)

    switch (len) {
    case 0:
        if (is_signed)
            STARS_AND(int, v);
        else
            STARS_AND(unsigned int, v);
        break;
    case 1:
        if (is_signed)
            STARS_AND(int, (signed char)v);
        else
            STARS_AND(unsigned int, (unsigned char)v);
        break;
    case 2:
        if (is_signed)
            STARS_AND(int, (short)v);
        else
            STARS_AND(unsigned int, (unsigned short)v);
        break;
    case 3:
        if (is_signed)
            STARS_AND(long, v);
        else
            STARS_AND(unsigned long, v);
        break;
    case 4:
        if (is_signed)
            STARS_AND(long long, v);
        else
            STARS_AND(unsigned long long, v);
        break;
    case 5:
        if (is_signed)
            STARS_AND(ssize_t, v);
        else
            STARS_AND(size_t, v);
        break;
    case 6:
        if (is_signed)
            STARS_AND(ptrdiff_t, v);
        else
            STARS_AND(size_t, v);
        break;
    case 7:
        if (is_signed)
            STARS_AND(intmax_t, v);
        else
            STARS_AND(uintmax_t, v);
        break;
    }
}

static void generated_cases(void)
{
    static const char *const strings[] = {"", "a", "hello", "minios on Xen",
                                          "0123456789abcdefghijklmnopqrstuvwxyz"};

    for (int i = 0; i < CASES; i++) {
        char fmt[64];
        int len, sw, sp;
        char conv = make_format(fmt, sizeof(fmt), &len, &sw, &sp);
        unsigned long long v = pick_value();

        switch (conv) {
        case 'c': {
            int c = 32 + (int)(v % 95);

            if (sw != INT_MIN)
                BOTH(fmt, sw, c);
            else
                BOTH(fmt, c);
            break;
        }
        case 's': {
            const char *s = strings[v % 5];

            if (sw != INT_MIN && sp != INT_MIN)
                BOTH(fmt, sw, sp, s);
            else if (sw != INT_MIN)
                BOTH(fmt, sw, s);
            else if (sp != INT_MIN)
                BOTH(fmt, sp, s);
            else
                BOTH(fmt, s);
            break;
        }
        case 'p': {
            void *p = (void *)(uintptr_t)(v | 1);

            if (sw != INT_MIN)
                BOTH(fmt, sw, p);
            else
                BOTH(fmt, p);
            break;
        }
        case '%': {
            char want[16], got[16];
            int wn = snprintf(want, sizeof(want), "%s", "<%>");
            int gn = ksnprintf(got, sizeof(got), fmt, 0);

            compare(fmt, want, wn, got, gn);
            break;
        }
        default:
            run_integer(fmt, conv, len, v, sw, sp);
        }
    }
}

static void edge_cases(void)
{
    BOTH("%d %d", INT_MIN, INT_MAX);
    BOTH("%ld %ld", LONG_MIN, LONG_MAX);
    BOTH("%lld %llu", LLONG_MIN, ULLONG_MAX);
    BOTH("%jd %ju", INTMAX_MIN, UINTMAX_MAX);
    BOTH("[%.0d] [%.0x] [%.0o] [%#.0o] [%#.0x]", 0, 0, 0, 0, 0);
    BOTH("[%#o] [%#x] [%#X] [%#5.3o] [%#08x]", 0, 0, 0, 8, 255);
    BOTH("[%+05d] [% 05d] [%-+5d] [%+ d]", 42, 42, 42, 42);
    BOTH("[%05.2d] [%-05d] [%0-5d]", 7, 7, 7);
    BOTH("[%*d] [%-*d] [%.*d] [%.*d]", -6, 1, 6, 2, -3, 3, 4, 5);
    BOTH("[%hhd] [%hhu] [%hd] [%hu]", 300, 300, 70000, 70000);
    BOTH("[%zu] [%zd] [%td] [%zx]", (size_t)-1, (ssize_t)-1, (ptrdiff_t)-5, (size_t)0xabc);
    BOTH("[%10.3s] [%-10s] [%.0s] [%s]", "abcdef", "ab", "abc", "");
    BOTH("[%c] [%3c] [%-3c]", 'x', 'y', 'z');
    BOTH("[%p] [%20p] [%-20p]", (void *)0x1234, (void *)0xdeadbeef, (void *)1);
    BOTH("%s", "plain text, no conversions");
    BOTH("%% [%%] %d%%", 50);
    BOTH("%.30d|%30.20x", -12345, 0xabcdefU);
}

/* Behaviour we define ourselves (see include/kernel/format.h). */
static void own_cases(void)
{
    char buf[64];
    int n;

    n = ksnprintf(buf, sizeof(buf), "[%p]", (void *)0);
    CHECK(n == 7 && strcmp(buf, "[(nil)]") == 0, "NULL %%p gave \"%s\"", buf);
    n = ksnprintf(buf, sizeof(buf), "[%8p]", (void *)0);
    CHECK(strcmp(buf, "[   (nil)]") == 0, "NULL %%8p gave \"%s\"", buf);
    n = ksnprintf(buf, sizeof(buf), "[%s]", (char *)0);
    CHECK(strcmp(buf, "[(null)]") == 0, "NULL %%s gave \"%s\"", buf);

    int victim = 1234;
    n = ksnprintf(buf, sizeof(buf), "ab%ncd", &victim);
    CHECK(victim == 1234, "%%n wrote %d", victim);
    CHECK(strcmp(buf, "ab%ncd") == 0 && n == 6, "%%n gave \"%s\" (%d)", buf, n);

    n = ksnprintf(buf, sizeof(buf), "[%y] [%5k]");
    CHECK(strcmp(buf, "[%y] [%5k]") == 0, "unknown conversions gave \"%s\"", buf);
    n = ksnprintf(buf, sizeof(buf), "trailing %");
    CHECK(strcmp(buf, "trailing %") == 0 && n == 10, "lone %% gave \"%s\"", buf);
    n = ksnprintf(buf, sizeof(buf), "%-5");
    CHECK(strcmp(buf, "%-5") == 0, "unterminated spec gave \"%s\"", buf);

    n = ksnprintf(NULL, 0, "%d", 123456);
    CHECK(n == 6, "size 0 returned %d", n);
    memset(buf, 'Z', sizeof(buf));
    n = ksnprintf(buf, 1, "%d", 123456);
    CHECK(n == 6 && buf[0] == '\0' && buf[1] == 'Z', "size 1 wrong");

    /* Widths beyond any buffer: the count is right, nothing overflows. */
    n = ksnprintf(buf, sizeof(buf), "%1000d", 1);
    CHECK(n == 1000 && strlen(buf) == sizeof(buf) - 1, "wide field returned %d", n);
    /* Widths and precisions are clamped to FORMAT_MAX_FIELD. */
    n = ksnprintf(buf, sizeof(buf), "%99999999999999d", 1);
    CHECK(n == FORMAT_MAX_FIELD, "absurd width returned %d", n);
    n = ksnprintf(buf, sizeof(buf), "%.*d", 1 << 30, 1);
    CHECK(n == FORMAT_MAX_FIELD, "absurd precision returned %d", n);
}

int main(void)
{
    edge_cases();
    own_cases();
    generated_cases();
    return unit_result("format");
}
