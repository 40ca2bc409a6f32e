/*
 * The fma()/fmaf() newlib is built with (scripts/newlib-files/, integer
 * arithmetic, rounded once) against the host's correctly rounded ones:
 * random bit patterns over every exponent, near-cancellations, subnormal
 * results, overflow, in all four rounding modes.  Built twice by unit.mk:
 * the software path only, and with the FMA instruction where the host has
 * it.
 */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "unit.h"

double minios_fma(double x, double y, double z);
float minios_fmaf(float x, float y, float z);

static unsigned long long seed = 0x5eed1234abcdULL;

static double d_of(uint64_t b)
{
    double d;
    memcpy(&d, &b, 8);
    return d;
}

static uint64_t b_of(double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

static uint32_t bf_of(float f)
{
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}

static float f_of(uint32_t b)
{
    float f;
    memcpy(&f, &b, 4);
    return f;
}

/* A double with a random sign, significand and an exponent in [lo, hi]. */
static double rand_double(int lo, int hi)
{
    uint64_t r = unit_rand(&seed);
    int e = lo + (int)(unit_rand(&seed) % (uint64_t)(hi - lo + 1));
    return ldexp(d_of(0x3ff0000000000000ULL | (r & 0xfffffffffffffULL)) * ((r >> 63) ? -1 : 1), e);
}

static void check_d(double x, double y, double z, const char *mode)
{
    double want = fma(x, y, z), got = minios_fma(x, y, z);
    CHECK(b_of(want) == b_of(got) || (isnan(want) && isnan(got)),
          "%s: fma(%a, %a, %a) = %a, want %a", mode, x, y, z, got, want);
}

static void check_f(float x, float y, float z, const char *mode)
{
    float want = fmaf(x, y, z), got = minios_fmaf(x, y, z);
    CHECK(bf_of(want) == bf_of(got) || (isnan(want) && isnan(got)),
          "%s: fmaf(%a, %a, %a) = %a, want %a", mode, x, y, z, got, want);
}

int main(void)
{
    static const struct {
        int mode;
        const char *name;
    } modes[] = {{FE_TONEAREST, "nearest"},
                 {FE_UPWARD, "upward"},
                 {FE_DOWNWARD, "downward"},
                 {FE_TOWARDZERO, "toward zero"}};

    for (unsigned int m = 0; m < 4; m++) {
        fesetround(modes[m].mode);
        for (int i = 0; i < 200000; i++) {
            /* Any bit patterns: specials, subnormals, overflow. */
            check_d(d_of(unit_rand(&seed)), d_of(unit_rand(&seed)), d_of(unit_rand(&seed)),
                    modes[m].name);
            check_f(f_of((uint32_t)unit_rand(&seed)), f_of((uint32_t)unit_rand(&seed)),
                    f_of((uint32_t)unit_rand(&seed)), modes[m].name);
            /* Near-cancellation: z is about -x*y, give or take a few last places. */
            double x = rand_double(-60, 60), y = rand_double(-60, 60);
            double z = -(x * y) + (double)((int)(unit_rand(&seed) % 9) - 4) *
                                      ldexp(1, ilogb(x * y) - 52 - (int)(unit_rand(&seed) % 60));
            check_d(x, y, z, modes[m].name);
            float xf = (float)x, yf = (float)y;
            check_f(xf, yf, -(xf * yf) * (1 + ldexpf(1, -(int)(unit_rand(&seed) % 30))),
                    modes[m].name);
            /* z far below or above the product; results near the subnormal range. */
            check_d(rand_double(-600, 600), rand_double(-600, 600), rand_double(-1074, 1023),
                    modes[m].name);
            check_d(rand_double(-1100, -400), rand_double(-700, 0), rand_double(-1074, -1000),
                    modes[m].name);
            check_d(rand_double(500, 1023), rand_double(0, 600), rand_double(900, 1023),
                    modes[m].name);
            check_f((float)rand_double(-100, 0), (float)rand_double(-80, 0),
                    (float)rand_double(-149, -120), modes[m].name);
        }
    }
    fesetround(FE_TONEAREST);
    return unit_result("fma");
}
