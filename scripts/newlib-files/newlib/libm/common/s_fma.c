/*
 * minios: fma() rounded once (replaces newlib's x * y + z; fma_exact.h).
 *
 * With the CPU's FMA instruction when it can run: CPUID says FMA, and the
 * VEX encoding needs AVX state enabled by the OS in XCR0 (a PV guest's
 * XCR0 has only x87 and SSE unless the kernel asks Xen for more, and then
 * the instruction would fault).  Otherwise the exact integer computation.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fma_exact.h"
#include "fma_hw.h"

static const struct fma_format fma_double = {53, 1023, 11};

double fma(double x, double y, double z)
{
    if (fma_hw_usable()) {
        __asm__("vfmadd231sd %2, %1, %0" : "+x"(z) : "x"(x), "x"(y));
        return z;
    }
    /* NaNs, infinities and zero factors: plain arithmetic is exact there.
     * A finite product with an infinite z is z, even where x * y would
     * overflow to the opposite infinity. */
    if (!isfinite(x) || !isfinite(y) || x == 0 || y == 0)
        return x * y + z;
    if (isinf(z))
        return z;
    if (isnan(z))
        return z + z;

    uint64_t bx, by, bz, mx, my, mz = 0;
    int ex, ey, ez = 0;
    memcpy(&bx, &x, 8);
    memcpy(&by, &y, 8);
    memcpy(&bz, &z, 8);
    fma_unpack(&fma_double, bx, &mx, &ex);
    fma_unpack(&fma_double, by, &my, &ey);
    if (z != 0)
        fma_unpack(&fma_double, bz, &mz, &ez);
    uint64_t r = fma_round_exact(&fma_double, (int)(bx >> 63), mx, ex, (int)(by >> 63), my, ey,
                                 (int)(bz >> 63), mz, ez);
    double d;
    memcpy(&d, &r, 8);
    return d;
}
