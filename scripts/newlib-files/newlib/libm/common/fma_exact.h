/*
 * minios: fused multiply-add in integer arithmetic, rounded once.
 *
 * newlib's fma() is x * y + z (rounded twice; its own manual says "DO NOT
 * USE") and fmaf() rounds through double (twice again).  This computes the
 * exact x * y + z in a 128-bit window and rounds it once, in the current
 * rounding mode, for any binary format of up to 53 significand bits.  Only
 * the finite, non-zero cases come here; the callers hand NaNs, infinities
 * and zero factors to ordinary arithmetic, which is exact for them.
 * Floating-point exception flags other than those of that arithmetic are
 * not raised (no inexact, underflow or overflow flag from this path).
 *
 * Shared by s_fma.c and sf_fma.c, and compiled on the host by
 * tests/unit/test_fma.c against the host's fma.
 */
#ifndef MINIOS_FMA_EXACT_H
#define MINIOS_FMA_EXACT_H

#include <fenv.h>
#include <stdint.h>

/* A binary format: significand bits (with the hidden one), exponent bias. */
struct fma_format {
    int prec;     /* 53 for double, 24 for float */
    int bias;     /* 1023, 127 */
    int exp_bits; /* 11, 8 */
};

typedef unsigned __int128 fma_u128;

static int fma_bitlen(fma_u128 m)
{
    uint64_t hi = (uint64_t)(m >> 64);

    if (hi)
        return 128 - __builtin_clzll(hi);
    return (uint64_t)m ? 64 - __builtin_clzll((uint64_t)m) : 0;
}

/* Bits of a finite non-zero number as significand * 2^exp. */
static void fma_unpack(const struct fma_format *f, uint64_t bits, uint64_t *mant, int *exp)
{
    uint64_t frac_mask = ((uint64_t)1 << (f->prec - 1)) - 1;
    int e = (int)(bits >> (f->prec - 1)) & ((1 << f->exp_bits) - 1);

    *mant = bits & frac_mask;
    if (e)
        *mant |= frac_mask + 1;
    else
        e = 1; /* subnormal: same scale as the smallest normal */
    *exp = e - f->bias - (f->prec - 1);
}

/*
 * The bits (sign included) of x * y + z rounded once, for finite x, y, z
 * with x * y != 0, given as sign, significand and exponent each.
 */
static uint64_t fma_round_exact(const struct fma_format *f, int sx, uint64_t mx, int ex, int sy,
                                uint64_t my, int ey, int sz, uint64_t mz, int ez)
{
    /* Both terms with their top bit at 124: exact, two bits of headroom. */
    int sp = sx ^ sy;
    fma_u128 p = (fma_u128)mx * my;
    int ep = ex + ey;
    int lp = fma_bitlen(p);
    p <<= 125 - lp;
    ep -= 125 - lp;

    fma_u128 m = p;
    int e = ep, sign = sp;
    if (mz) {
        int lz = fma_bitlen(mz);
        fma_u128 q = (fma_u128)mz << (125 - lz);
        int eq = ez - (125 - lz);
        fma_u128 big = p, small = q;
        int ebig = ep, esmall = eq, sbig = sp, ssmall = sz;
        if (eq > ep || (eq == ep && q > p)) {
            big = q, small = p, ebig = eq, esmall = ep, sbig = sz, ssmall = sp;
        }
        /* Align the smaller; what falls off is jammed into bit 0.  Both
         * terms have bit 0 clear (at most 106 significant bits from bit
         * 124 down), so the sum's bit 0 is set exactly when it is inexact:
         * the rounding below, 70 bits up at least, never mistakes it for
         * a tie and sees the true side of half. */
        int d = ebig - esmall;
        if (d >= 126)
            small = small != 0;
        else if (d > 0)
            small = (small >> d) | ((small & (((fma_u128)1 << d) - 1)) != 0);
        m = sbig == ssmall ? big + small : big - small;
        e = ebig;
        sign = sbig;
        if (m == 0) /* exact cancellation: +0, or -0 rounding downwards */
            return fegetround() == FE_DOWNWARD ? (uint64_t)1 << (f->prec + f->exp_bits - 1) : 0;
    }

    /* Round m * 2^e to prec bits, or fewer where the result is subnormal. */
    int emin_lsb = 1 - f->bias - (f->prec - 1);
    int emax_lsb = f->bias - (f->prec - 1);
    uint64_t sign_bit = (uint64_t)sign << (f->prec + f->exp_bits - 1);
    int l = fma_bitlen(m);
    int re = e + l - f->prec;
    if (re < emin_lsb)
        re = emin_lsb;
    int shift = re - e;
    uint64_t mant;
    int inexact = 0, above_half = 0, at_half = 0;
    if (shift <= 0) {
        mant = (uint64_t)(m << -shift); /* exact, after a cancellation */
    } else if (shift >= 128) {
        mant = 0; /* all of it is below half the last place */
        inexact = 1;
    } else {
        fma_u128 rem = m & (((fma_u128)1 << shift) - 1), half = (fma_u128)1 << (shift - 1);
        mant = (uint64_t)(m >> shift);
        inexact = rem != 0;
        above_half = rem > half;
        at_half = rem == half;
    }
    if (inexact) {
        int up;
        switch (fegetround()) {
        case FE_TOWARDZERO:
            up = 0;
            break;
        case FE_UPWARD:
            up = !sign;
            break;
        case FE_DOWNWARD:
            up = sign;
            break;
        default:
            up = above_half || (at_half && (mant & 1));
            break;
        }
        mant += up;
    }
    if (mant >> f->prec) { /* rounded up to the next power of two */
        mant >>= 1;
        re++;
    }
    if (re > emax_lsb) { /* overflow: infinity or the largest finite */
        int mode = fegetround();
        int to_inf =
            mode == FE_TONEAREST || (mode == FE_UPWARD && !sign) || (mode == FE_DOWNWARD && sign);
        uint64_t inf = (uint64_t)((1 << f->exp_bits) - 1) << (f->prec - 1);
        return sign_bit | (to_inf ? inf : inf - 1);
    }
    /* The hidden bit, when present, carries into the exponent field. */
    return sign_bit | (((uint64_t)(re - emin_lsb) << (f->prec - 1)) + mant);
}

#endif
