/*
 * lib/string.c against the host C library: random buffers at every
 * alignment and length up to 80 bytes, overlapping moves both ways, and the
 * edge cases (empty strings, n == 0, the terminating NUL as a search target).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "unit.h"

void *k_memcpy(void *restrict, const void *restrict, size_t);
void *k_memmove(void *, const void *, size_t);
void *k_memset(void *, int, size_t);
int k_memcmp(const void *, const void *, size_t);
void *k_memchr(const void *, int, size_t);
size_t k_strlen(const char *);
size_t k_strnlen(const char *, size_t);
int k_strcmp(const char *, const char *);
int k_strncmp(const char *, const char *, size_t);
char *k_strchr(const char *, int);
char *k_strrchr(const char *, int);
char *k_strstr(const char *, const char *);
size_t k_strlcpy(char *, const char *, size_t);

static unsigned long long seed = 42;

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static void fill(unsigned char *p, size_t n, int alphabet)
{
    for (size_t i = 0; i < n; i++)
        p[i] = alphabet ? (unsigned char)('a' + unit_rand(&seed) % alphabet)
                        : (unsigned char)unit_rand(&seed);
}

static void memory_functions(void)
{
    unsigned char a[128], b[128], c[128];

    for (int round = 0; round < 20000; round++) {
        size_t n = unit_rand(&seed) % 81;
        size_t da = unit_rand(&seed) % 9, sa = unit_rand(&seed) % 9;

        fill(a, sizeof(a), 0);
        memcpy(b, a, sizeof(a));
        fill(c, sizeof(c), 0);
        k_memcpy(a + da, c + sa, n);
        memcpy(b + da, c + sa, n);
        CHECK(memcmp(a, b, sizeof(a)) == 0, "memcpy n=%zu da=%zu sa=%zu", n, da, sa);

        /* Overlapping memmove, in both directions. */
        size_t off = unit_rand(&seed) % 40;
        memcpy(b, a, sizeof(a));
        k_memmove(a + off, a + sa, n);
        memmove(b + off, b + sa, n);
        CHECK(memcmp(a, b, sizeof(a)) == 0, "memmove n=%zu dst=%zu src=%zu", n, off, sa);

        int v = (int)(unit_rand(&seed) % 256);
        k_memset(a + da, v, n);
        memset(b + da, v, n);
        CHECK(memcmp(a, b, sizeof(a)) == 0, "memset n=%zu da=%zu", n, da);

        fill(a, n, 3);
        fill(b, n, 3);
        CHECK(sign(k_memcmp(a, b, n)) == sign(memcmp(a, b, n)), "memcmp n=%zu", n);
        CHECK(k_memchr(a, 'b', n) == memchr(a, 'b', n), "memchr n=%zu", n);
    }
    CHECK(k_memcmp("\x80", "\x01", 1) > 0, "memcmp must compare unsigned bytes");
    CHECK(k_memmove(a, a, 10) == a, "memmove onto itself");
    CHECK(k_memcpy(a, b, 0) == a && k_memset(a, 0, 0) == a, "zero-length calls");
}

static void string_functions(void)
{
    char s[96], t[96], d[96];

    for (int round = 0; round < 20000; round++) {
        size_t n = unit_rand(&seed) % 80, m = unit_rand(&seed) % 80;

        fill((unsigned char *)s, n, 4);
        s[n] = '\0';
        fill((unsigned char *)t, m, 4);
        t[m] = '\0';
        size_t lim = unit_rand(&seed) % 90;

        CHECK(k_strlen(s) == n, "strlen %zu", n);
        CHECK(k_strnlen(s, lim) == strnlen(s, lim), "strnlen %zu/%zu", n, lim);
        CHECK(sign(k_strcmp(s, t)) == sign(strcmp(s, t)), "strcmp \"%s\" \"%s\"", s, t);
        CHECK(sign(k_strncmp(s, t, lim)) == sign(strncmp(s, t, lim)), "strncmp %zu", lim);
        CHECK(k_strchr(s, 'c') == strchr(s, 'c'), "strchr \"%s\"", s);
        CHECK(k_strrchr(s, 'c') == strrchr(s, 'c'), "strrchr \"%s\"", s);
        t[m < 3 ? m : 3] = '\0';
        CHECK(k_strstr(s, t) == strstr(s, t), "strstr \"%s\" \"%s\"", s, t);

        memset(d, 'Z', sizeof(d));
        size_t r = k_strlcpy(d, s, lim);
        CHECK(r == n, "strlcpy returned %zu for %zu", r, n);
        if (lim) {
            size_t keep = n < lim - 1 ? n : lim - 1;

            CHECK(memcmp(d, s, keep) == 0 && d[keep] == '\0', "strlcpy %zu into %zu", n, lim);
            CHECK(d[keep + 1] == 'Z' || keep + 1 >= sizeof(d), "strlcpy wrote too far");
        } else {
            CHECK(d[0] == 'Z', "strlcpy with size 0 wrote");
        }
    }
    const char *abc = "abc";
    CHECK(k_strchr(abc, '\0') == abc + 3, "strchr finds the NUL");
    CHECK(k_strrchr(abc, '\0') == abc + 3, "strrchr finds the NUL");
    CHECK(k_strstr(abc, "") == abc, "strstr of empty needle");
    CHECK(k_strstr("", "") != NULL, "strstr empty in empty");
    CHECK(k_strncmp("abc", "abd", 0) == 0, "strncmp n=0");
    CHECK(k_strcmp("\x80", "\x01") > 0, "strcmp must compare unsigned chars");
}

int main(void)
{
    memory_functions();
    string_functions();
    return unit_result("string");
}
