/*
 * Where newlib used to be wrong (issue 12, docs/newlib-glue.md's table):
 * fma rounding twice, sscanf refusing hexadecimal floats and dropping the
 * sign of -0.0, setlocale refusing "C.UTF-8".  Each check here failed on
 * newlib as Debian ships it.
 */
#include <cpuid.h>
#include <errno.h>
#include <fenv.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minios/test.h>

/* Through a volatile, so the compiler cannot fold (or fuse) the operations. */
static double opaque(double x)
{
    volatile double v = x;
    return v;
}

static float opaquef(float x)
{
    volatile float v = x;
    return v;
}

static uint64_t bits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof(b));
    return b;
}

/* The kernel's printf has no floating point: %a through newlib's. */
static const char *hex(double x)
{
    static char buf[8][32];
    static unsigned int next;
    char *b = buf[next++ % 8];

    snprintf(b, sizeof(buf[0]), "%a", x);
    return b;
}

#define EXPECT_FMA(want, x, y, z)                                                                  \
    CHECK(bits(fma(opaque(x), opaque(y), opaque(z))) == bits(want),                                \
          "fma(%s, %s, %s) = %s, want %s", hex(x), hex(y), hex(z),                                 \
          hex(fma(opaque(x), opaque(y), opaque(z))), hex(want))

TEST_DEFINE(test_fma_fused, "fma/fmaf round once: the product's low bits, ties, subnormals, modes")
{
    unsigned int a = 0, b = 0, c = 0, d = 0;
    int hw = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_FMA);

    /* (1 + 2^-30)^2 = 1 + 2^-29 + 2^-60: unfused, the 2^-60 is lost first. */
    double s = 1 + 0x1p-30;
    EXPECT_FMA(0x1p-60, s, s, -(1 + 0x1p-29));
    EXPECT_FMA(-0x1p-60, -s, s, 1 + 0x1p-29);
    /* (1 + 2^-26)(1 - 2^-26 + 2^-52) = 1 + 2^-78: plus 2^-53 just above a
     * tie, which unfused (the product rounded to 1) goes down to even. */
    EXPECT_FMA(1 + 0x1p-52, 1 + 0x1p-26, 1 - 0x1p-26 + 0x1p-52, 0x1p-53);
    /* Subnormal results: exact, and 0.75 of the smallest rounded up, sign kept. */
    EXPECT_FMA(0x1p-1074, 0x1p-537, 0x1p-537, 0.0);
    EXPECT_FMA(-0x1p-1074, 0x1p-600, -0x1.8p-475, 0.0);
    /* A product that overflows unfused, brought back by z. */
    EXPECT_FMA(0x1.fffffffffffffp1023, 0x1.fffffffffffffp1023, 2.0, -0x1.fffffffffffffp1023);
    /* Exact zeros and the special values. */
    EXPECT_FMA(0.0, 2.0, 3.0, -6.0);
    EXPECT_FMA(-0.0, -0.0, 1.0, -0.0);
    EXPECT_FMA((double)INFINITY, 0x1p1000, 0x1p1000, 1.0);
    EXPECT_FMA(-(double)INFINITY, 0x1p1000, 0x1p1000, -(double)INFINITY);
    CHECK(isnan(fma(opaque(INFINITY), opaque(0.0), opaque(1.0))), "fma(inf, 0, 1) is NaN");
    /* Directed rounding: the exact result 1 + 2^-60 between two doubles. */
    fesetround(FE_UPWARD);
    double up = fma(opaque(s), opaque(s), opaque(-0x1p-29));
    fesetround(FE_DOWNWARD);
    double down = fma(opaque(s), opaque(s), opaque(-0x1p-29));
    fesetround(FE_TONEAREST);
    CHECK(up == 1 + 0x1p-52 && down == 1.0, "rounding up %s, down %s", hex(up), hex(down));

    /* fmaf: the exact 1 + 2^-13 + 2^-26 - (1 + 2^-13) = 2^-26. */
    float sf = 1 + 0x1p-13f;
    float rf = fmaf(opaquef(sf), opaquef(sf), opaquef(-(1 + 0x1p-12f)));
    CHECK(rf == 0x1p-26f, "fmaf gave %s, want 0x1p-26", hex(rf));
    /* 1 + 2^-11 + 2^-24 + 2^-70: rounded to double first, a tie that goes down. */
    rf = fmaf(opaquef(1 + 0x1p-12f), opaquef(1 + 0x1p-12f), opaquef(0x1p-70f));
    CHECK(rf == 1 + 0x1p-11f + 0x1p-23f, "fmaf gave %s, want 0x1.002002p0", hex(rf));
    /* VEX instructions run only where the OS enabled AVX state in XCR0. */
    unsigned int lo = 0, hi = 0;
    if (c & bit_OSXSAVE)
        __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    test_note("the CPU %s FMA (CPUID.1:ECX); XCR0 %#x: fma() ran %s", hw ? "has" : "has no", lo,
              hw && (lo & 6) == 6 ? "the FMA instruction" : "the exact integer computation");
}

TEST_DEFINE(test_sscanf_floats, "sscanf/strtod: hexadecimal floats, the sign of -0.0, inf and nan")
{
    double d = 0;
    float f = 0;
    int n = -1;

    CHECK(sscanf("0x1.8p1", "%lf%n", &d, &n) == 1 && d == 3.0 && n == 7, "0x1.8p1: %s, %d chars",
          hex(d), n);
    CHECK(sscanf("-0X1P-1074", "%lf", &d) == 1 && d == -0x1p-1074, "-0X1P-1074: %s", hex(d));
    CHECK(sscanf("0x.8", "%f", &f) == 1 && f == 0.5f, "0x.8 into a float: %s", hex(f));
    d = 1;
    CHECK(sscanf("-0.0", "%lf", &d) == 1 && d == 0 && signbit(d), "-0.0 gave %s", hex(d));
    d = 1;
    CHECK(sscanf("-0", "%lf", &d) == 1 && d == 0 && signbit(d), "-0 gave %s", hex(d));
    f = 1;
    CHECK(sscanf("-0e5", "%f", &f) == 1 && f == 0 && signbit(f), "-0e5 into a float gave %s",
          hex(f));
    CHECK(sscanf("-inf nan", "%lf %f", &d, &f) == 2 && isinf(d) && d < 0 && isnan(f),
          "-inf nan gave %s %s", hex(d), hex(f));
    char *end;
    d = strtod("0x1.fffffffffffffp1023", &end);
    CHECK(d == 0x1.fffffffffffffp1023 && *end == 0, "strtod of the largest double: %s", hex(d));
}

TEST_DEFINE(test_setlocale,
            "setlocale: \"C\", \"POSIX\", \"C.UTF-8\" and \"\" accepted; others NULL")
{
    const char *names[] = {"C", "POSIX", "C.UTF-8", "C.utf8", ""};

    for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *r = setlocale(LC_ALL, names[i]);
        CHECK(r != NULL, "setlocale(LC_ALL, \"%s\") refused", names[i]);
    }
    const char *r = setlocale(LC_CTYPE, "C.UTF-8");
    CHECK(r && strstr(r, "UTF-8"), "setlocale(LC_CTYPE, \"C.UTF-8\") gave %s", r ? r : "NULL");
    CHECK(setlocale(LC_ALL, "xx_YY.nonsense") == NULL, "a made-up locale accepted");
    CHECK(setlocale(LC_ALL, "C") && strcmp(setlocale(LC_ALL, NULL), "C") == 0, "back to \"C\": %s",
          setlocale(LC_ALL, NULL));
}
