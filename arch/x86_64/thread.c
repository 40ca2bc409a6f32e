/*
 * The x86-64 half of threads: a new thread's first stack frame, and its
 * FPU/SSE state.  FXSAVE covers x87 and SSE; a PV guest's XCR0 enables no
 * more unless the guest asks Xen for it, so there is no AVX state to keep.
 * Saving and restoring eagerly on every switch costs no hypercall (lazy
 * switching would need HYPERVISOR_fpu_taskswitch).
 */
#include <kernel/arch.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <arch/entry.h>

/*
 * What arch_switch pops: r15 r14 r13 r12 rbx rbp, then the return address.
 * Placed so that after the `ret`, %rsp is 16-byte aligned: thread_entry's
 * `call` then gives sched_enter_new_thread the alignment the ABI promises (newlib and
 * gcc use aligned SSE stores on the stack).
 */
struct initial_frame {
    unsigned long r15, r14, r13, r12, rbx, rbp;
    unsigned long ret;
};

unsigned long arch_thread_stack_init(void *stack_top)
{
    unsigned long top = (unsigned long)stack_top & ~15UL;
    struct initial_frame *f = (struct initial_frame *)(top - sizeof(struct initial_frame));

    memset(f, 0, sizeof(*f));
    f->ret = (unsigned long)thread_entry;
    return (unsigned long)f;
}

static struct fpu_state clean;

/* Once, at boot, before any thread has FPU state worth keeping. */
void arch_fpu_init(void)
{
    /* The default x87 state, and MXCSR with all exceptions masked, round to nearest. */
    uint32_t mxcsr = 0x1f80;

    __asm__ __volatile__("fninit; ldmxcsr %1; fxsave64 %0" : "=m"(clean) : "m"(mxcsr));
}

void arch_fpu_init_state(struct fpu_state *fpu)
{
    memcpy(fpu, &clean, sizeof(clean));
}

void arch_fpu_save(struct fpu_state *fpu)
{
    __asm__ __volatile__("fxsave64 %0" : "=m"(*fpu));
}

void arch_fpu_restore(const struct fpu_state *fpu)
{
    __asm__ __volatile__("fxrstor64 %0" : : "m"(*fpu));
}
