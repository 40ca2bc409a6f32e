/*
 * The in-guest test suite: everything that can be checked from inside one
 * running kernel, under the real Xen.  Each file next to this one holds the
 * tests of one subsystem; this file lists them.  Pass test names as
 * arguments to run only those.
 */
#include <minios/test.h>
#include "suite.h"

static const struct test tests[] = {
    TEST(test_trap_fixups, "each exception class is recovered by the fixup table with its vector"),
    TEST(test_page_fault_kinds, "#PF read/write/exec report the right error code and address"),
    TEST(test_p2m, "pfn <-> mfn round trips; out-of-range input is refused"),
    TEST(test_mm_protections, "page 0, text, rodata, guard pages fault; data is not executable"),
    TEST(test_mm_buddy, "blocks are aligned, frees coalesce, debug mode poisons free pages"),
    TEST(test_heap_stress, "20,000 mixed kmalloc/krealloc/kfree keep contents and alignment"),
    TEST(test_map_frames, "a frame mapped at a second address shares its bytes; unmap faults"),
    TEST(test_stack_guard, "a stack's guard page faults; a freed stack faults"),
    TEST(test_mm_every_frame, "every free frame can be allocated, written, verified and freed"),
    TEST(test_smp_all_online, "every vCPU is online and runs threads"),
    TEST(test_mutex_counter, "16 threads x 100,000 mutex-protected increments: exact total"),
    TEST(test_producer_consumer, "producers and consumers on condvars: no lost wake-up"),
    TEST(test_semaphores, "a 5,000-round semaphore ping-pong; timed downs time out"),
    TEST(test_thread_sleep, "sleeping threads wake no earlier than asked"),
    TEST(test_fpu_per_thread, "each thread keeps its own FPU/SSE state across switches"),
    TEST(test_switch_hypercalls, "a context switch between threads costs no hypercall"),
    TEST_SMP(test_ipi_pingpong, "1,000 IPI round trips between two vCPUs", 2),
    TEST(test_call_function, "smp_call_function to busy vCPUs, with/without wait, events masked"),
    TEST_SMP(test_tlb_shootdown, "after an unmap on one vCPU, an access on another faults", 2),
    TEST_SMP(test_pagetable_unpin, "a table in use on another vCPU is not reused until dropped", 2),
    TEST_SMP(test_cpu_hotplug, "a vCPU goes down and up under load; nothing is lost", 2),
    TEST(test_event_loopback, "an interdomain loopback delivers once per send, holds while masked"),
    TEST(test_event_storm, "10,000 sends are 10,000 deliveries; masked sends coalesce into one"),
    TEST(test_irq_flags, "save/restore of the event mask nests and delivers what waited"),
    TEST(test_clock, "the clock never goes backwards over 1,000,000 reads; wall clock is sane"),
    TEST(test_timer_oneshot, "a one-shot timer fires once, never early, within the slack"),
    TEST(test_timer_rearm, "1,000 re-arms of one timer, and a self re-arming chain of 1,000"),
    TEST(test_timer_order, "timers armed out of order fire in deadline order"),
    TEST(test_block_until, "blocking the vCPU until a deadline wakes no earlier than asked"),
    TEST(test_gnttab_self_map, "a self-grant maps, shares bytes both ways, ends only unmapped"),
    TEST(test_gnttab_readonly, "a read-only grant maps only read-only; writes through it fault"),
    TEST(test_gnttab_copy, "grant copy both ways; bad refs, read-only and page-crossing ops fail"),
    TEST(test_gnttab_reserved, "entries 0-7 are the toolstack's: a domU's console and xenstore"),
    TEST(test_gnttab_grow_failure, "a table that cannot grow for want of memory says -ENOMEM"),
    TEST(test_gnttab_exhaustion, "refs run out at the table limit with -ENOSPC and all come back"),
    TEST_WHERE(test_xs_absent, "as a dom0 without a store, every xenstore call says -ENODEV",
               with_store),
    TEST_WHERE(test_xs_identity, "our domid, name and vm path; a relative path is under our home",
               without_store),
    TEST_WHERE(test_xs_read_write, "values round-trip byte for byte; errors map to their errnos",
               without_store),
    TEST_WHERE(test_xs_directory_rm, "mkdir, directory lists the children, rm removes the subtree",
               without_store),
    TEST_WHERE(test_xs_permissions, "permissions round-trip; changing dom0's node is refused",
               without_store),
    TEST_WHERE(test_xs_transaction, "transactions isolate, commit, abort, and report a conflict",
               without_store),
    TEST_WHERE(test_xs_concurrent, "8 threads on all vCPUs share the connection; no increment lost",
               without_store),
    TEST_WHERE(test_xs_watch, "watches fire first at once, then on changes; callbacks and waits",
               without_store),
    TEST_WHERE(test_xs_watch_flood, "events beyond the queue's bound are dropped, yet all counted",
               without_store),
    /* Last of the xenstore tests: it ends the connection on purpose. */
    TEST_WHERE(test_xs_lying_peer, "lying replies and events are refused; a framing error is final",
               without_store),
    TEST(test_console_write_failure, "a write Xen cannot read is counted in bytes (guest.sh)"),
    TEST(test_multicall_error, "a multicall with a bad entry names that entry and its error"),
    TEST(test_hypercall_counters, "hypercall counters count exactly the calls made"),
    TEST(test_virq_debug, "Xen's 'q' debug key reaches us as VIRQ_DEBUG and dumps state"),
};

int main(int argc, char **argv)
{
    return test_main(tests, ARRAY_SIZE(tests), argc, argv);
}
