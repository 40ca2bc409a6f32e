/*
 * The one place a hypercall is made.
 *
 * Xen fills our hypercall page (named by the HYPERCALL_PAGE ELF note) with one
 * 32-byte stub per hypercall number; on x86-64 PV each stub loads %eax and
 * executes `syscall`.  Arguments travel in %rdi %rsi %rdx %r10 %r8, the result
 * comes back in %rax, and %rcx/%r11 are destroyed by `syscall`.  Debug builds
 * of Xen also scribble over argument registers, hence the in/out constraints.
 */
#include <kernel/hypercall_stats.h>
#include <minios/hypercall.h>
#include <minios/compiler.h>
#include <arch/entry.h>
#include <arch/recovery.h>

long xen_hypercall_uncounted(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
                             unsigned long a4, unsigned long a5)
{
    register unsigned long r10 __asm__("r10") = a4;
    register unsigned long r8 __asm__("r8") = a5;
    long ret;

    __asm__ __volatile__("call *%[stub]"
                         : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                         : [stub] "r"(hypercall_page + nr * 32)
                         : "rcx", "r11", "memory");
    return ret;
}

long xen_hypercall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
                   unsigned long a4, unsigned long a5)
{
    hypercall_stats_record(nr, a1, false);
    /* A test under a watchdog may block here with events masked (recovery.c). */
    if (nr == __HYPERVISOR_sched_op && (a1 == SCHEDOP_block || a1 == SCHEDOP_poll))
        return recovery_blocking_sched_op((unsigned int)a1, a2,
                                          (unsigned long)__builtin_return_address(0));
    return xen_hypercall_uncounted(nr, a1, a2, a3, a4, a5);
}

/* Xen's error names, from the X-macro list in <xen/errno.h> (aliases included). */
static const struct {
    long value;
    const char *name;
} xen_errors[] = {
/* clang-format off */
#define XEN_ERRNO(name, value) { value, #name },
/* clang-format on */
#include <xen/errno.h>
};

const char *xen_strerror(long rc)
{
    if (rc == 0)
        return "OK";
    for (unsigned int i = 0; i < sizeof(xen_errors) / sizeof(xen_errors[0]); i++) {
        if (xen_errors[i].value == -rc)
            return xen_errors[i].name;
    }
    return "E?";
}
