/*
 * The floor: what booting costs when the kernel does nothing (bench/run.sh
 * sets every boot figure beside it).  No kernel, no C library: map
 * shared_info (for Xen's clock), print the span line the kernel's profile
 * switch prints too, and end as minios does (QEMU's exit device as dom0,
 * SCHEDOP_shutdown otherwise).  Three hypercalls as dom0.
 */
#include <stdint.h>

#include <minios/xen_interface.h>
#include <xen/physdev.h>
#include <xen/sched.h>
#include <xen/xen.h>

#define PAGE_SIZE       4096
#define PTE_PRESENT_RW  0x3UL
#define DEBUG_EXIT_PORT 0xf4
#define EXIT_OK         1 /* QEMU exits (1 << 1) | 1 = 3: status 0 */

extern char hypercall_page[];
void floor_main(const start_info_t *si, uint64_t entry_tsc);

/* A whole page: the mapping replaces it. */
static char shared_info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static long hypercall3(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3)
{
    register unsigned long rdi asm("rdi") = a1, rsi asm("rsi") = a2, rdx asm("rdx") = a3;
    long rax;

    asm volatile("call *%[stub]"
                 : "=a"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx)
                 : [stub] "r"(hypercall_page + nr * 32)
                 : "rcx", "r11", "r8", "r9", "r10", "memory");
    return rax;
}

static uint64_t scale(uint64_t delta, const struct vcpu_time_info *t)
{
    delta = t->tsc_shift < 0 ? delta >> -t->tsc_shift : delta << t->tsc_shift;
    return (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static char *put_u64(char *p, uint64_t v)
{
    char digits[20];
    int n = 0;

    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = digits[--n];
    return p;
}

static char *put_str(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

/* The time stamp counter at @tsc on Xen's clock (ns since Xen booted). */
static uint64_t xen_time(uint64_t tsc, const volatile struct vcpu_time_info *t)
{
    struct vcpu_time_info copy;
    uint32_t version;

    do {
        version = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        copy = *(const struct vcpu_time_info *)t;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || version != t->version);
    if (tsc >= copy.tsc_timestamp)
        return copy.system_time + scale(tsc - copy.tsc_timestamp, &copy);
    return copy.system_time - scale(copy.tsc_timestamp - tsc, &copy);
}

void floor_main(const start_info_t *si, uint64_t entry_tsc)
{
    char line[128], *p = line;
    long rc;

    rc = hypercall3(__HYPERVISOR_update_va_mapping, (unsigned long)shared_info_page,
                    si->shared_info | PTE_PRESENT_RW, UVMF_INVLPG);
    if (rc == 0 && (si->flags & SIF_INITDOMAIN)) {
        const volatile struct vcpu_time_info *t =
            &((shared_info_t *)shared_info_page)->vcpu_info[0].time;
        uint64_t exit_ns = xen_time(rdtsc(), t);

        p = put_str(p, "minios: span: entry at ");
        p = put_u64(p, xen_time(entry_tsc, t));
        p = put_str(p, " ns, exit at ");
        p = put_u64(p, exit_ns);
        p = put_str(p, " ns of Xen's clock\nminios: exit status 0\n");
        struct physdev_set_iopl iopl = {.iopl = 1};

        rc = hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, (unsigned long)(p - line),
                        (unsigned long)line);
        if (rc == 0)
            rc = hypercall3(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, (unsigned long)&iopl, 0);
        if (rc == 0)
            asm volatile("outb %b0, %w1" : : "a"(EXIT_OK), "Nd"(DEBUG_EXIT_PORT));
    }
    /*
     * A domU (no console of ours), or a step failed (no console to say
     * which: the harness sees a crash with no exit line).
     */
    struct sched_shutdown shutdown = {.reason = rc == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash};

    for (;;)
        hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)&shutdown, 0);
}
