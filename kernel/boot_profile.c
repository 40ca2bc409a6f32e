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

#define MAX_PHASES 16

static struct {
    const char *name;
    uint64_t cycles;
    unsigned long hypercalls;
} phases[MAX_PHASES];
static unsigned int count;

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
