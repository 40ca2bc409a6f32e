/*
 * Boot profile: where start-of-day time and hypercalls go (see
 * include/kernel/boot_profile.h).
 */
#include <kernel/arch.h>
#include <kernel/boot_profile.h>
#include <kernel/percpu.h>
#include <kernel/string.h>
#include <minios/console.h>
#include <minios/debug.h>
#include <minios/multicall.h>
#include <minios/time.h>

#define MAX_PHASES 16

static struct {
    const char *name;
    uint64_t cycles;
    unsigned long hypercalls;
} phases[MAX_PHASES];
static unsigned int count;

/* At main(): the boot vCPU's counters by hypercall, and entry on Xen's clock. */
static uint64_t calls_before_main[HC_NR];
static uint64_t entry_xen_ns;
static bool report_at_exit;

static unsigned long hypercalls_so_far(void)
{
    const struct hypercall_stats *s = &this_cpu()->hypercalls;
    unsigned long n = 0;

    for (unsigned int i = 0; i < HC_NR; i++)
        n += s->calls[i];
    return n;
}

void boot_phase(const char *name)
{
    if (count < MAX_PHASES) {
        phases[count].name = name;
        phases[count].cycles = arch_cycles();
        phases[count].hypercalls = hypercalls_so_far();
        count++;
    }
}

uint64_t boot_profile_ns(void)
{
    return count < 2 ? 0 : arch_cycles_to_ns(phases[count - 1].cycles - phases[0].cycles);
}

unsigned long boot_profile_hypercalls(void)
{
    return count < 2 ? 0 : phases[count - 1].hypercalls - phases[0].hypercalls;
}

void debug_print_boot_profile(void)
{
    printk("Boot profile (phase: time, hypercalls spent in it):\n");
    for (unsigned int i = 1; i < count; i++) {
        printk("  %-10s %8lu us %6lu\n", phases[i].name,
               arch_cycles_to_ns(phases[i].cycles - phases[i - 1].cycles) / 1000,
               phases[i].hypercalls - phases[i - 1].hypercalls);
    }
    printk("  %-10s %8lu us %6lu\n", "total", boot_profile_ns() / 1000, boot_profile_hypercalls());
}

uint64_t debug_boot_ns(void)
{
    return boot_profile_ns();
}

unsigned long debug_boot_hypercalls(void)
{
    return boot_profile_hypercalls();
}

uint64_t debug_boot_phase_ns(const char *name)
{
    for (unsigned int i = 1; i < count; i++) {
        if (strcmp(phases[i].name, name) == 0)
            return arch_cycles_to_ns(phases[i].cycles - phases[i - 1].cycles);
    }
    return 0;
}

void boot_profile_done(void)
{
    /* The TSC at entry, placed on Xen's clock now that we can read it. */
    uint64_t now = monotonic_ns();

    entry_xen_ns = now - arch_cycles_to_ns(arch_cycles() - phases[0].cycles);
    memcpy(calls_before_main, this_cpu()->hypercalls.calls, sizeof(calls_before_main));
}

void boot_profile_report_at_exit(void)
{
    report_at_exit = true;
}

/*
 * The boot profile and the span from entry to exit, on Xen's clock (the
 * clock of Xen's console timestamps, which bench/run.sh reads the
 * hand-over from; bench/floor prints the same span line).
 */
void boot_profile_exit_report(uint64_t exit_ns)
{
    if (!report_at_exit)
        return;
    debug_print_boot_profile();
    printk("Hypercalls before main() on vCPU 0, by type:");
    for (unsigned int nr = 0; nr < HC_NR; nr++) {
        if (calls_before_main[nr])
            printk(" %s %lu", hypercall_name(nr), (unsigned long)calls_before_main[nr]);
    }
    printk("\n");
    hypercall_stats_print();
    printk("minios: span: entry at %lu ns, exit at %lu ns of Xen's clock\n",
           (unsigned long)entry_xen_ns, (unsigned long)exit_ns);
}
