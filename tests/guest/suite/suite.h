/* The tests of the in-guest suite, one group per file. */
#ifndef SUITE_H
#define SUITE_H

#include <minios/compiler.h>

struct thread;

/* console.c */
void test_console_write_failure(void);

/* traps.c */
void test_trap_fixups(void);
void test_page_fault_kinds(void);

/* memory.c */
void test_mm_every_frame(void);
void test_mm_buddy(void);
void test_heap_stress(void);
void test_mm_protections(void);
void test_map_frames(void);
void test_stack_guard(void);
void test_p2m(void);

/* Shared by the files of the suite. */
#define DEADLINE(s) (monotonic_ns() + (s) * NSEC_PER_SEC)   /* s seconds from now */
void join_all(struct thread **t, int n);                    /* joins each, failing on error */

/* threads.c */
void test_mutex_counter(void);
void test_producer_consumer(void);
void test_semaphores(void);
void test_thread_sleep(void);
void test_fpu_per_thread(void);
void test_switch_hypercalls(void);

/* smp.c */
void test_smp_all_online(void);
void test_ipi_pingpong(void);
void test_call_function(void);
void test_tlb_shootdown(void);
void test_pagetable_unpin(void);
void test_cpu_hotplug(void);

/* events.c */
void test_event_loopback(void);
void test_event_storm(void);
void test_irq_flags(void);
void test_virq_debug(void);

/* time.c */
void test_clock(void);
void test_timer_oneshot(void);
void test_timer_rearm(void);
void test_timer_order(void);
void test_block_until(void);

/* gnttab.c */
void test_gnttab_self_map(void);
void test_gnttab_readonly(void);
void test_gnttab_copy(void);
void test_gnttab_grow_failure(void);
void test_gnttab_exhaustion(void);
void test_gnttab_reserved(void);

/* xenstore.c; the first two say where its tests apply (struct test's not_here) */
#define XS_TEST_ROOT "data/minios-test"     /* everything the tests write is below */
void xs_expect_rc(const char *what, long got, long want);
void xs_test_cleanup(void);             /* removes XS_TEST_ROOT */
const char *without_store(void);
const char *with_store(void);
void test_xs_absent(void);
void test_xs_identity(void);
void test_xs_read_write(void);
void test_xs_directory_rm(void);
void test_xs_permissions(void);
void test_xs_transaction(void);
void test_xs_concurrent(void);
void test_xs_watch(void);
void test_xs_watch_flood(void);
void test_xs_lying_peer(void);

/* hypercalls.c */
void test_multicall_error(void);
void test_hypercall_counters(void);

#endif /* SUITE_H */
