/*
 * Counting hypercalls, per vCPU and lock-free (each vCPU writes only its
 * own counters), and printing them by name: the cost of the PV machinery,
 * measured rather than guessed.
 */
#include <kernel/hypercall_stats.h>
#include <kernel/percpu.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/multicall.h>

static const char *const hypercall_names[HC_NR] = {
    [__HYPERVISOR_set_trap_table] = "set_trap_table",
    [__HYPERVISOR_mmu_update] = "mmu_update",
    [__HYPERVISOR_stack_switch] = "stack_switch",
    [__HYPERVISOR_fpu_taskswitch] = "fpu_taskswitch",
    [__HYPERVISOR_update_descriptor] = "update_descriptor",
    [__HYPERVISOR_memory_op] = "memory_op",
    [__HYPERVISOR_multicall] = "multicall",
    [__HYPERVISOR_update_va_mapping] = "update_va_mapping",
    [__HYPERVISOR_set_timer_op] = "set_timer_op",
    [__HYPERVISOR_xen_version] = "xen_version",
    [__HYPERVISOR_console_io] = "console_io",
    [__HYPERVISOR_grant_table_op] = "grant_table_op",
    [__HYPERVISOR_vm_assist] = "vm_assist",
    [__HYPERVISOR_iret] = "iret",
    [__HYPERVISOR_vcpu_op] = "vcpu_op",
    [__HYPERVISOR_set_segment_base] = "set_segment_base",
    [__HYPERVISOR_mmuext_op] = "mmuext_op",
    [__HYPERVISOR_nmi_op] = "nmi_op",
    [__HYPERVISOR_sched_op] = "sched_op",
    [__HYPERVISOR_callback_op] = "callback_op",
    [__HYPERVISOR_event_channel_op] = "event_channel_op",
    [__HYPERVISOR_physdev_op] = "physdev_op",
    [__HYPERVISOR_sysctl] = "sysctl",
    [__HYPERVISOR_domctl] = "domctl",
    [__HYPERVISOR_hvm_op] = "hvm_op",
};

/*
 * Hypercalls whose first argument selects an operation, and their names:
 * each array as long as its highest named operation, not HC_NR_SUBOP.
 */
#define SUBOPS(...)                                                                                \
    (const char *const[]){__VA_ARGS__},                                                            \
        sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)
static const struct {
    unsigned int nr;
    const char *const *names;
    unsigned int count;
} muxed[HC_NR_MUX] = {
    {__HYPERVISOR_sched_op, SUBOPS([SCHEDOP_yield] = "yield", [SCHEDOP_block] = "block",
                                   [SCHEDOP_shutdown] = "shutdown", [SCHEDOP_poll] = "poll")},
    {__HYPERVISOR_event_channel_op,
     SUBOPS([EVTCHNOP_bind_interdomain] = "bind_interdomain", [EVTCHNOP_bind_virq] = "bind_virq",
            [EVTCHNOP_close] = "close", [EVTCHNOP_send] = "send", [EVTCHNOP_status] = "status",
            [EVTCHNOP_alloc_unbound] = "alloc_unbound", [EVTCHNOP_bind_ipi] = "bind_ipi",
            [EVTCHNOP_bind_vcpu] = "bind_vcpu", [EVTCHNOP_unmask] = "unmask")},
    {__HYPERVISOR_vcpu_op,
     SUBOPS([VCPUOP_initialise] = "initialise", [VCPUOP_up] = "up", [VCPUOP_down] = "down",
            [VCPUOP_is_up] = "is_up", [VCPUOP_stop_periodic_timer] = "stop_periodic_timer",
            [VCPUOP_set_singleshot_timer] = "set_singleshot_timer",
            [VCPUOP_stop_singleshot_timer] = "stop_singleshot_timer",
            [VCPUOP_register_vcpu_info] = "register_vcpu_info")},
    {__HYPERVISOR_memory_op,
     SUBOPS([XENMEM_increase_reservation] = "increase_reservation",
            [XENMEM_decrease_reservation] = "decrease_reservation",
            [XENMEM_populate_physmap] = "populate_physmap",
            [XENMEM_add_to_physmap] = "add_to_physmap",
            [XENMEM_machphys_mapping] = "machphys_mapping", [XENMEM_memory_map] = "memory_map")},
    {__HYPERVISOR_xen_version,
     SUBOPS([XENVER_version] = "version", [XENVER_extraversion] = "extraversion",
            [XENVER_get_features] = "get_features")},
    {__HYPERVISOR_console_io, SUBOPS([CONSOLEIO_write] = "write", [CONSOLEIO_read] = "read")},
    {__HYPERVISOR_physdev_op, SUBOPS([PHYSDEVOP_set_iopl] = "set_iopl")},
    {__HYPERVISOR_callback_op,
     SUBOPS([CALLBACKOP_register] = "register", [CALLBACKOP_unregister] = "unregister")},
    {__HYPERVISOR_grant_table_op,
     SUBOPS([GNTTABOP_map_grant_ref] = "map_grant_ref",
            [GNTTABOP_unmap_grant_ref] = "unmap_grant_ref", [GNTTABOP_setup_table] = "setup_table",
            [GNTTABOP_copy] = "copy", [GNTTABOP_query_size] = "query_size",
            [GNTTABOP_get_version] = "get_version")},
    {__HYPERVISOR_nmi_op, SUBOPS([0] = "register_callback")},
};

const char *hypercall_name(unsigned int nr)
{
    return nr < HC_NR && hypercall_names[nr] ? hypercall_names[nr] : "unknown hypercall";
}

static int mux_index(unsigned int nr)
{
    for (int i = 0; i < HC_NR_MUX; i++) {
        if (muxed[i].nr == nr)
            return i;
    }
    return -1;
}

void hypercall_stats_record(unsigned int nr, unsigned long a1, bool batched)
{
    struct hypercall_stats *s = &this_cpu()->hypercalls;
    int mux;

    if (nr >= HC_NR)
        return;
    if (batched)
        s->batched[nr]++;
    else
        s->calls[nr]++;
    mux = mux_index(nr);
    if (mux >= 0 && a1 < HC_NR_SUBOP)
        s->subops[mux][a1]++;
}

uint64_t hypercall_stats_this_cpu(unsigned int nr)
{
    return nr < HC_NR ? this_cpu()->hypercalls.calls[nr] : 0;
}

unsigned long hypercall_count(unsigned int nr)
{
    unsigned long total = 0;

    if (nr >= HC_NR)
        return 0;
    for (unsigned int c = 0; c < MAX_VCPUS; c++) {
        if (cpu_table[c])
            total += __atomic_load_n(&cpu_table[c]->hypercalls.calls[nr], __ATOMIC_RELAXED);
    }
    return total;
}

unsigned long hypercall_count_cpu(unsigned int cpu)
{
    unsigned long total = 0;

    if (cpu >= MAX_VCPUS || !cpu_table[cpu])
        return 0;
    for (unsigned int nr = 0; nr < HC_NR; nr++)
        total += __atomic_load_n(&cpu_table[cpu]->hypercalls.calls[nr], __ATOMIC_RELAXED);
    return total;
}

unsigned long hypercall_count_nr_cpu(unsigned int nr, unsigned int cpu)
{
    if (nr >= HC_NR || cpu >= MAX_VCPUS || !cpu_table[cpu])
        return 0;
    return __atomic_load_n(&cpu_table[cpu]->hypercalls.calls[nr], __ATOMIC_RELAXED);
}

void hypercall_stats_print(void)
{
    printk("Hypercalls since boot, all vCPUs (+ batched: inside a multicall; "
           "sub-operations count both):\n");
    for (unsigned int nr = 0; nr < HC_NR; nr++) {
        uint64_t calls = 0, batched = 0;

        for (unsigned int c = 0; c < MAX_VCPUS; c++) {
            if (cpu_table[c]) {
                calls += cpu_table[c]->hypercalls.calls[nr];
                batched += cpu_table[c]->hypercalls.batched[nr];
            }
        }
        if (!calls && !batched)
            continue;
        printk("  %-20s %10lu", hypercall_names[nr] ? hypercall_names[nr] : "?", calls);
        if (batched)
            printk("  (+%lu batched)", batched);
        printk("\n");

        int mux = mux_index(nr);

        for (unsigned int op = 0; mux >= 0 && op < HC_NR_SUBOP; op++) {
            uint64_t n = 0;

            for (unsigned int c = 0; c < MAX_VCPUS; c++) {
                if (cpu_table[c])
                    n += cpu_table[c]->hypercalls.subops[mux][op];
            }
            if (n) {
                const char *name = op < muxed[mux].count ? muxed[mux].names[op] : NULL;

                if (name)
                    printk("      %-26s %10lu\n", name, n);
                else
                    printk("      op %-23u %10lu\n", op, n);
            }
        }
    }
}
