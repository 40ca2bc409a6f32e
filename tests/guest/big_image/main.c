/*
 * A large image: BIG_IMAGE_MB MiB of initialised constant data (app.mk sets
 * the size per build).  Xen loads it with the rest of the image, so the p2m
 * list, start_info and the bootstrap page tables land past it, and the
 * kernel's memory set-up has to cope wherever they are.  Reading the first
 * and last bytes (and a byte in every page) proves the data arrived intact.
 */
#include <stdio.h>

#define BIG_BYTES ((unsigned long)BIG_IMAGE_MB << 20)

/* Two non-zero bytes at the ends: the whole array is file-backed rodata. */
static const unsigned char big[BIG_BYTES] = {[0] = 0x5a, [BIG_BYTES - 1] = 0xa5};

int main(void)
{
    const volatile unsigned char *p = big;
    unsigned long sum = 0;

    for (unsigned long i = 0; i < BIG_BYTES; i += 4096)
        sum += p[i];
    sum += p[BIG_BYTES - 1];
    printf("big image: %d MiB of rodata at %p, sum %lu\n", BIG_IMAGE_MB, (const void *)big, sum);
    return sum == 0x5a + 0xa5 ? 0 : 1;
}
