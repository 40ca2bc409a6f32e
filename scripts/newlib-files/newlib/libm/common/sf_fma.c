/*
 * minios: fmaf() rounded once (replaces newlib's, which rounded the exact
 * double product plus z to double, then to float: twice).  As s_fma.c.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fma_exact.h"
#include "fma_hw.h"

static const struct fma_format fma_float = {24, 127, 8};

float fmaf(float x, float y, float z)
{
    if (fma_hw_usable()) {
        __asm__("vfmadd231ss %2, %1, %0" : "+x"(z) : "x"(x), "x"(y));
        return z;
    }
    if (!isfinite(x) || !isfinite(y) || x == 0 || y == 0)
        return x * y + z;
    if (isinf(z))
        return z;
    if (isnan(z))
        return z + z;

    uint32_t bx, by, bz;
    uint64_t mx, my, mz = 0;
    int ex, ey, ez = 0;
    memcpy(&bx, &x, 4);
    memcpy(&by, &y, 4);
    memcpy(&bz, &z, 4);
    fma_unpack(&fma_float, bx, &mx, &ex);
    fma_unpack(&fma_float, by, &my, &ey);
    if (z != 0)
        fma_unpack(&fma_float, bz, &mz, &ez);
    uint32_t r = (uint32_t)fma_round_exact(&fma_float, (int)(bx >> 31), mx, ex, (int)(by >> 31), my,
                                           ey, (int)(bz >> 31), mz, ez);
    float f;
    memcpy(&f, &r, 4);
    return f;
}
