/*
 * Provokes one fatal fault, named by argv[1], so the test can check the
 * kernel's crash report: exception, address, instruction, registers,
 * backtrace, and a crash exit rather than a hang.
 */
#include <minios/console.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>

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

int main(int argc, char **argv)
{
    const char *kind = argc > 1 ? argv[1] : "";

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
    else
        panic("fault: unknown kind '%s'", kind);
    printk("fault: '%s' did not fault\n", kind);
    return 1;
}
