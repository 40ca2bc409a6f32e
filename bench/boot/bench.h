/* The figures bench/boot prints, one function per source file. */
#ifndef BENCH_BOOT_H
#define BENCH_BOOT_H

void bench_heap(void); /* heap.c */

#endif /* BENCH_BOOT_H */
