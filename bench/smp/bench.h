/* What bench/smp's files share. */
#ifndef BENCH_SMP_H
#define BENCH_SMP_H

void bench_alloc(void); /* alloc.c: the allocators, one thread per vCPU */

#endif /* BENCH_SMP_H */
