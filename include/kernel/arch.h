/*
 * What generic kernel code asks of the architecture (arch/x86_64/): every
 * hook, named arch_*, documented here and nowhere else, grouped by the
 * subsystem that calls it.  This list is the whole of what another boot
 * mode or another architecture must provide.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include <minios/compiler.h>
#include <minios/xen.h>

struct cpu;
struct fpu_state;
struct thread;

/* --- start of day (kernel/start.c) --- */

/* Reads the m2p's bounds; needed before any mfn_to_pfn(). */
void arch_p2m_init(void);

/* "PV" or "PVH": how Xen started us (the entry it jumped to). */
const char *arch_boot_mode(void);

/*
 * Calls @reserve for every run of frames below start_info.nr_pages that is
 * not RAM (PVH: the holes of hvm_start_info's memory map; PV: none).
 */
void arch_boot_reserved(void (*reserve)(unsigned long start, unsigned long end, const char *what));

/* Maps start_info.shared_info and sets HYPERVISOR_shared_info. */
void arch_map_shared_info(void);

/*
 * Ends the whole machine through QEMU's isa-debug-exit device (dom0 under
 * the test harness): QEMU exits with status (code << 1) | 1.  Returns only
 * if the I/O privilege needed for the port write could not be obtained.
 */
void arch_debug_exit(uint8_t code);

/* A free-running cycle counter (the TSC), usable from the first instruction. */
uint64_t arch_cycles(void);

/* Converts a cycle-count difference to nanoseconds with Xen's current scale. */
uint64_t arch_cycles_to_ns(uint64_t cycles);

/* Installs the trap table and the event and failsafe callbacks. */
void arch_traps_init(void);

/*
 * With events disabled: enables them and blocks the vCPU until one is
 * pending, in one step (an event already pending returns at once).
 * Returns with events enabled and delivered: 0, or a negative Xen error.
 * PV: SCHEDOP_block.  PVH: sti; hlt.
 */
int arch_block(void);

/*
 * Makes Xen deliver this vCPU's pending events now: Xen checks for a
 * pending upcall whenever it returns to the guest (local_irq_enable()).
 */
void arch_force_upcall(void);

/* Prints a symbolized backtrace starting at @rip with frame pointer @rbp. */
void arch_backtrace(unsigned long rip, unsigned long rbp);

/* Prints the backtrace of the caller of this function. */
void arch_print_backtrace(void);

/* A fault's backtrace: also the likely caller of a function without a frame. */
void arch_fault_backtrace(unsigned long rip, unsigned long rsp, unsigned long rbp);

/* Prints the backtrace of a switched-out thread from its saved stack pointer. */
void arch_thread_backtrace(unsigned long saved_rsp);

/* --- per-vCPU state (kernel/start.c, smp/) --- */

/*
 * Makes @cpu the calling vCPU's per-CPU area (kernel GS base) and enters it
 * in cpu_table.  Issues the hypercall uncounted: until it returns there is
 * no per-CPU area to count in.
 */
void arch_percpu_init(struct cpu *cpu, unsigned int id);

/* --- memory (mm/) --- */

/* True if the CPU (as Xen shows it) can mark pages non-executable. */
bool arch_has_nx(void);

/* Frames [0, n) that Xen's bootstrap tables already map, as a count. */
unsigned long arch_bootstrap_mapped_pages(void);

/* The frames [first, first + count) that new tables of the 1:1 map come from. */
void arch_set_table_frames(unsigned long first, unsigned long count);

/*
 * Maps the region of pfns starting at @first (a multiple of 512) up to
 * @end or the region's end, at their 1:1 addresses: read-only for frames in
 * [ro_start, ro_end), read-write and non-executable for the others.
 */
void arch_map_ram_region(unsigned long first, unsigned long end, unsigned long ro_start,
                         unsigned long ro_end);

/* Sets the protection of 1:1-mapped pfns [start, end) (PROT_NONE unmaps). */
void arch_protect(unsigned long start, unsigned long end, unsigned int prot);

/* Issues the protection changes queued by arch_protect() and flushes the TLB. */
void arch_protect_commit(void);

/*
 * Maps @n frames at @va (page-aligned, outside the 1:1 map), creating page
 * tables from the page allocator as needed.  @dom owns the frames.
 * Returns 0 or a negative Xen error.
 */
int arch_map_frames(unsigned long va, const unsigned long *mfns, unsigned int n, unsigned int prot,
                    domid_t dom);

/*
 * Makes sure the page tables down to L1 exist for @n pages at @va (outside
 * the 1:1 map), without mapping anything there: for mappings that Xen
 * writes itself, such as a grant map, which names a virtual address and
 * fails if no L1 table covers it.  Returns 0 or a negative Xen error.
 */
int arch_prepare_tables(unsigned long va, unsigned int n);

/* Clears @n mappings at @va and flushes them from every vCPU's TLB. */
void arch_unmap_frames(unsigned long va, unsigned int n);

/*
 * Sets the protection of @n pages mapped at @va (outside the 1:1 map) and
 * flushes them from every vCPU's TLB.  PROT_NONE keeps the frame in an
 * entry that is not present: a touch faults, a later call maps it again,
 * and arch_lookup_mfn() still finds it.  Returns 0, or -XEN_EINVAL (nothing
 * changed) if a page has no frame.
 */
int arch_protect_frames(unsigned long va, unsigned int n, unsigned int prot);

/* The PTE mapping @va, or 0 if none (for tests and fault reports). */
uint64_t arch_lookup_pte(unsigned long va);

/* The machine frame mapped at @va (also one held away by PROT_NONE), or INVALID_MFN. */
unsigned long arch_lookup_mfn(unsigned long va);

/* Prints the 4-level walk of @va: each level's entry, frame and flags (MINIOS_WALK). */
void arch_print_walk(unsigned long va);

/* Hypercalls spent on page tables since boot, for the boot profile. */
unsigned long arch_pagetable_hypercalls(void);

/* --- threads (kernel/sched.c, kernel/thread.c) --- */

/* Switches stacks; returns, in the next thread, the thread it came from. */
struct thread *arch_switch(unsigned long *prev_rsp, unsigned long next_rsp, struct thread *prev);

/* The initial stack of a new thread: it starts in sched_enter_new_thread(prev). */
unsigned long arch_thread_stack_init(void *stack_top);

void arch_fpu_init(void);                        /* once, at boot */
void arch_fpu_init_state(struct fpu_state *fpu); /* a new thread's */
void arch_fpu_save(struct fpu_state *fpu);
void arch_fpu_restore(const struct fpu_state *fpu);

/*
 * Thread-local storage (arch/x86_64/tls.c): each thread gets its own copy
 * of the image's TLS template, and the register that finds it (%fs base on
 * x86-64) is set when a thread with another copy is switched in.
 */

/* True if the image has thread-local variables. */
bool arch_tls_present(void);

/* Bytes a thread's stack mapping needs above its stack for TLS (0: none). */
unsigned long arch_tls_reserve(void);

/*
 * Builds a thread's TLS in the arch_tls_reserve() bytes below @area_top (a
 * page boundary):
 * stores the thread pointer in *@fs_base (0 if the image has no TLS) and
 * returns the new top of the stack, below the TLS.
 */
void *arch_tls_setup(void *area_top, unsigned long *fs_base);

/* Chooses how the thread pointer is set (vCPU 0, boot); then per vCPU. */
void arch_tls_init(void);
void arch_tls_init_cpu(void);

/* The means chosen: "wrfsbase", "set_segment_base", or "none" (no TLS). */
const char *arch_tls_method(void);

/* Sets this vCPU's thread pointer by that means. */
void arch_set_fs_base(unsigned long base);

/* --- vCPUs (smp/) --- */

/* Registers @cpu's vcpu_info area with Xen; called on that vCPU. */
void arch_register_vcpu_info(struct cpu *cpu);

/*
 * Counts the vCPUs Xen gave the domain (VCPUOP_is_up until -ENOENT) and, in
 * @up if not NULL, how many of them are running now.
 */
unsigned int arch_vcpu_census(unsigned int *up);

/*
 * Initialises vCPU cpu->id to enter smp_secondary_start on @stack_top, and
 * starts it.  @ctxt is the caller's memory for the register context (Xen
 * copies it).  0 or the Xen error of VCPUOP_initialise or VCPUOP_up.
 */
int arch_vcpu_start(struct cpu *cpu, void *stack_top, struct vcpu_guest_context *ctxt);

/* --- grant table (drivers/gnttab.c) --- */

/*
 * After GNTTABOP_setup_table: makes grant-table frames [first, first + n)
 * mappable and stores their frame numbers in @frames[first ..].  PV: Xen
 * gave machine frames already (nothing to do).  PVH: each frame is placed
 * with XENMEM_add_to_physmap over a page of ours.  0 or a negative Xen error.
 */
int arch_gnttab_place(xen_pfn_t *frames, unsigned int first, unsigned int n);

/*
 * Once the table's first frame is mapped at @entries: makes the
 * toolstack's reserved entries (0: console, 1: xenstore) name the frames
 * the rings are at now.  PV: they never move (nothing to do).  PVH: the
 * boot moved both rings into our RAM, so entries naming the old frames
 * are rewritten to the new ones.
 */
void arch_gnttab_reserved(grant_entry_v1_t *entries);

/*
 * GNTTABOP_map_grant_ref of @op (flags, ref and dom filled in) so that the
 * granted page appears at @va (a page from vmap_reserve(), its tables
 * made).  PV: host_addr is @va and Xen writes our PTE.  PVH: host_addr is
 * a guest-physical address: a frame of a window Xen backs with nothing,
 * which we then map at @va.  Returns the hypercall's result; Xen's
 * verdict is in op->status (on failure nothing is left mapped), which is
 * GNTST_no_space, after a console line, when PVH has no window frame free.
 */
int arch_gnttab_map(struct gnttab_map_grant_ref *op, void *va);

/*
 * GNTTABOP_unmap_grant_ref of @op (handle filled in) for the mapping
 * arch_gnttab_map() made at @va; on success @va maps nothing and the TLBs
 * hold no stale entry.  Returns the hypercall's result, the verdict in
 * op->status.
 */
int arch_gnttab_unmap(struct gnttab_unmap_grant_ref *op, void *va);

/* --- tests (kernel/testing.c) --- */

/*
 * A recovery point: where a test's runner gets control back when the test
 * faults or hangs.  arch_recovery_run() calls @fn and returns 0 when it
 * returns, or 1 when it was ended early; then @ended_by says how, with the
 * vector, error code, %rip and (for a page fault) the address.  Only the
 * armed point's @owner thread is ever turned around, once.  The first
 * eight fields are saved registers (recovery_point.S): keep them first.
 */
enum recovery_end { RECOVERY_NONE, RECOVERY_FAULT, RECOVERY_ABORT };

#define RECOVERY_LOCK_SLOTS 16

struct recovery_point {
    unsigned long saved[8]; /* rbx rbp r12-r15 rsp rip */
    const void *owner;      /* the thread to turn around */
    bool abort_requested;
    uint64_t deadline_ns; /* 0, or when a test blocked in Xen is ended (monotonic_ns) */
    enum recovery_end ended_by;
    unsigned long vector, error_code, rip, address;
    /* What the owner holds (recovery_locks.c): NULL slots are free. */
    void *spinlocks[RECOVERY_LOCK_SLOTS];
    void *mutexes[RECOVERY_LOCK_SLOTS]; /* once per acquisition (recursion) */
    unsigned int unrecorded;            /* taken when the slots were full */
};

int arch_recovery_run(struct recovery_point *rp, void (*fn)(void));

/* Makes @rp the one armed point, for thread @owner; disarm after the run. */
void arch_recovery_arm(struct recovery_point *rp, const void *owner);
void arch_recovery_disarm(void);

/*
 * The owner's deadline: a SCHEDOP_block or SCHEDOP_poll it makes after
 * then (or returning after then) ends the test, events masked or not; a
 * poll's timeout is capped at it.  A thread asleep in the scheduler is not
 * running and is not ended.
 */
void arch_recovery_set_deadline(struct recovery_point *rp, uint64_t deadline_ns);

/*
 * Locks a test leaves held when it is ended early: while a point is armed,
 * each spinlock and mutex its owner takes is recorded in it until
 * released, by whichever thread (recovery_locks.c, kernel/sync.c).  After
 * an early end the runner releases them: arch_recovery_release_spinlocks()
 * unlocks each recorded spinlock and returns how many; the mutexes are
 * left in @rp->mutexes for mutex_release_abandoned() (<minios/sync.h>'s
 * kernel half, <kernel/sched.h>).  arch_recovery_note_mutex() is sync.c's half: @m was
 * taken (@held) by the running thread, or released.
 */
unsigned int arch_recovery_release_spinlocks(struct recovery_point *rp);
void arch_recovery_note_mutex(void *m, bool held);
/* Takes one recorded mutex out of @rp (NULL when none is left). */
void *arch_recovery_next_mutex(struct recovery_point *rp);

/*
 * Asks for the owner to be turned around the next time an event upcall
 * interrupts it (a watchdog's timer, an IPI): a test spinning forever with
 * events enabled.
 */
void arch_recovery_request_abort(struct recovery_point *rp);

/* --- randomness (runtime/libc/getentropy.c) --- */

/* The CPU's random-number instruction arch_random_u64() uses, or NULL if none. */
const char *arch_random_source(void);

/*
 * Fills @v from the CPU's random-number generator (RDRAND, else RDSEED, as
 * Xen's CPUID shows them).  False if there is none, or if it gave nothing
 * after the retries Intel recommends (a failing or exhausted generator).
 */
bool arch_random_u64(uint64_t *v);

#endif /* KERNEL_ARCH_H */
