/*
 * Provokes one fatal fault, named by argv[1], so the test can check the
 * kernel's crash report: exception, address, instruction, registers,
 * backtrace, and a crash exit rather than a hang.
 */
#include <string.h>

#include <minios/console.h>
#include <minios/hypervisor.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/sync.h>
#include <minios/thread.h>
#include <sys/mman.h>

extern char _text[];

#define UNMAPPED_ADDRESS 0x0000400000000000UL

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static __attribute__((noinline)) void fault_ud2(void)
{
    __asm__ volatile("ud2");
}

static __attribute__((noinline)) unsigned long fault_unmapped_read(void)
{
    return *(volatile unsigned long *)UNMAPPED_ADDRESS;
}

static __attribute__((noinline)) void fault_pagetable_write(void)
{
    /* Xen maps page-table pages read-only. */
    *(volatile unsigned long *)start_info.pt_base = 0;
}

static __attribute__((noinline)) void fault_exec_unmapped(void)
{
    ((void (*)(void))UNMAPPED_ADDRESS)();
}

static __attribute__((noinline)) void fault_general_protection(void)
{
    __asm__ volatile("movq (%0), %%rax" : : "r"(0x8000000000000000UL) : "rax", "memory");
}

static __attribute__((noinline)) unsigned long fault_null(void)
{
    volatile unsigned long *volatile pointer = 0;

    return pointer[2];
}

static __attribute__((noinline)) void fault_write_text(void)
{
    *(volatile unsigned char *)(_text + 0x100) = 0xcc;
}

/* Recurses with a big frame until the boot stack's guard page stops it. */
static __attribute__((noinline)) unsigned long fault_stack_overflow(unsigned long depth)
{
    volatile char frame[512];

    frame[0] = (char)depth;
    if (depth > (1UL << 40)) /* never: the guard page comes first */
        return 0;
    return fault_stack_overflow(depth + 1) + frame[0];
}

static void fault_double_free_page(void)
{
    void *p = alloc_page();

    free_page(p);
    free_page(p);
}

static void fault_double_kfree(void)
{
    void *p = kmalloc(40);

    kfree(p);
    kfree(p);
}

static void fault_write_after_free(void)
{
    page_alloc_set_debug(true);
    unsigned long *p = alloc_pages(1);

    free_pages(p, 1);
    p[100] = 1;     /* the bug */
    alloc_pages(1); /* the same block comes back: the poison is checked */
    alloc_pages(1);
}

static struct semaphore never;

/* A thread asleep elsewhere: the crash report must list it with its backtrace. */
static __attribute__((noinline)) void *bystander_waits(void *arg)
{
    (void)arg;
    semaphore_down(&never);
    return NULL;
}

/*
 * The failsafe callback: Xen enters it when it cannot reload a segment
 * register it is handing back.  %fs gets a selector of a one-entry LDT (a
 * flat data descriptor), then the LDT is taken away: the selector stays
 * loaded in the CPU.  Xen reloads selectors only in a full context switch,
 * never when a vCPU alone on its pCPU blocks and resumes (that switch is
 * lazy), so this vCPU is moved to each pCPU in turn (SCHEDOP_pin_override,
 * dom0's; needs --vcpus 2): on a pCPU another vCPU ran on last, reloading
 * %fs faults.
 */
#define LDT_SELECTOR   0x7                   /* index 0, TI = LDT, RPL 3 */
#define FLAT_DATA_DPL3 0x00cff2000000ffffULL /* base 0, 4 GiB, RW data, DPL 3 */

static int set_ldt(unsigned long va, unsigned int entries)
{
    struct mmuext_op op = {.cmd = MMUEXT_SET_LDT};

    op.arg1.linear_addr = va;
    op.arg2.nr_ents = entries;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static __attribute__((noinline)) void fault_failsafe(void)
{
    uint64_t *ldt = alloc_page();
    int rc;

    if (!ldt)
        panic("fault: no page for an LDT");
    memset(ldt, 0, PAGE_SIZE);
    ldt[0] = FLAT_DATA_DPL3;
    /* Xen takes a page as an LDT only if no mapping of it is writable. */
    rc = page_set_writable(ldt, false);
    if (!rc)
        rc = set_ldt((unsigned long)ldt, 1);
    if (rc)
        panic("fault: setting up an LDT failed: %d (%s)", rc, xen_strerror(rc));
    __asm__ volatile("mov %0, %%fs" : : "r"(LDT_SELECTOR));
    rc = set_ldt(0, 0);
    if (rc)
        panic("fault: MMUEXT_SET_LDT(0, 0) failed: %d (%s)", rc, xen_strerror(rc));
    /* Pinned to pCPU 0, 1, 0, 1, each pin undone (-1) before the next. */
    for (int round = 0; round < 8; round++) {
        struct sched_pin_override pin = {.pcpu = round % 2 ? -1 : round / 2 % 2};

        rc = HYPERVISOR_sched_op(SCHEDOP_pin_override, &pin);
        if (rc)
            panic("fault: SCHEDOP_pin_override(%d) failed: %d (%s)", pin.pcpu, rc,
                  xen_strerror(rc));
    }
}

/* A page of an anonymous mapping made PROT_NONE with mprotect, then read. */
static __attribute__((noinline)) unsigned long fault_prot_none(void)
{
    volatile unsigned long *p =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        panic("fault: mmap failed");
    p[1] = 7;
    if (mprotect((void *)p, 4096, PROT_NONE) != 0)
        panic("fault: mprotect(PROT_NONE) failed");
    printk("fault: PROT_NONE page at %p\n", (void *)p);
    return p[1];
}

int main(int argc, char **argv)
{
    const char *kind = argc > 1 ? argv[1] : "";
    struct thread_attr attr = THREAD_ATTR_DEFAULT;

    semaphore_init(&never, 0);
    attr.name = "bystander";
    if (!thread_create(bystander_waits, NULL, &attr))
        panic("fault: cannot create the bystander thread");
    thread_yield(); /* let it reach its wait */

    printk("fault: provoking '%s'\n", kind);
    if (streq(kind, "ud2"))
        fault_ud2();
    else if (streq(kind, "unmapped-read"))
        fault_unmapped_read();
    else if (streq(kind, "pagetable-write"))
        fault_pagetable_write();
    else if (streq(kind, "exec-unmapped"))
        fault_exec_unmapped();
    else if (streq(kind, "gp"))
        fault_general_protection();
    else if (streq(kind, "null"))
        fault_null();
    else if (streq(kind, "write-text"))
        fault_write_text();
    else if (streq(kind, "prot-none"))
        fault_prot_none();
    else if (streq(kind, "stack-overflow"))
        fault_stack_overflow(0);
    else if (streq(kind, "double-free-page"))
        fault_double_free_page();
    else if (streq(kind, "double-kfree"))
        fault_double_kfree();
    else if (streq(kind, "write-after-free"))
        fault_write_after_free();
    else if (streq(kind, "failsafe"))
        fault_failsafe();
    else
        panic("fault: unknown kind '%s'", kind);
    printk("fault: '%s' did not fault\n", kind);
    return 1;
}
