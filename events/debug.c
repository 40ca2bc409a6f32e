/*
 * The state dump VIRQ_DEBUG asks for (Xen's 'q' debug key sends it to every
 * vCPU of every domain): per vCPU its event flags and timers, the ports
 * that are bound, pending or masked, the grant table, the hypercall
 * counters, and every thread with what it waits for (kernel/thread_dump.c).
 */
#include <kernel/events.h>
#include <kernel/gnttab.h>
#include <kernel/hypercall_stats.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <minios/console.h>
#include <minios/debug.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/time.h>

static void dump_cpu(const struct cpu *c)
{
    const vcpu_info_t *vi = c->vcpu_info;
    unsigned int owned = 0;

    for (unsigned int w = 0; w < EVTCHN_WORDS; w++)
        owned += (unsigned int)__builtin_popcountl(c->evtchn_owned[w]);
    printk("  vCPU %u: upcall_mask %u upcall_pending %u pending_sel %#lx; "
           "%u ports, %lu events handled, %lu vectors ignored, %lu on hlt; timers fired %lu, next "
           "%s%lu ns\n",
           c->id, vi->evtchn_upcall_mask, vi->evtchn_upcall_pending, vi->evtchn_pending_sel, owned,
           c->events_handled, c->events_ignored, c->hlt_skipped, c->timers.fired,
           c->timers.programmed ? "at " : "none ",
           c->timers.programmed ? c->timers.programmed - monotonic_ns() : 0);
}

static unsigned long dumps;

void debug_dump_state(void)
{
    events_dump();
}

unsigned long debug_dump_count(void)
{
    return __atomic_load_n(&dumps, __ATOMIC_RELAXED);
}

void debug_print_hypercalls(void)
{
    hypercall_stats_print();
}

void events_dump(void)
{
    const shared_info_t *s = HYPERVISOR_shared_info;

    __atomic_fetch_add(&dumps, 1, __ATOMIC_RELAXED);
    printk("minios state dump at %lu ns\n", monotonic_ns());
    for (unsigned int i = 0; i < MAX_VCPUS; i++) {
        if (cpu_table[i])
            dump_cpu(cpu_table[i]);
    }
    printk("  ports (P = pending, M = masked, h = has a handler):");
    unsigned int shown = 0;

    for (unsigned int port = 0; port < EVTCHN_2L_NR_CHANNELS; port++) {
        bool pending = s->evtchn_pending[port / 64] & (1UL << (port % 64));
        bool masked = s->evtchn_mask[port / 64] & (1UL << (port % 64));
        bool handled = events_handler(port) != NULL;

        if (!pending && !handled)
            continue;
        printk("%s %u:%s%s%s", shown++ % 8 ? "" : "\n   ", port, pending ? "P" : "",
               masked ? "M" : "", handled ? "h" : "");
    }
    printk("\n");
    gnttab_dump();
    hypercall_stats_print();
    thread_dump_all();
}

static void debug_virq(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    events_dump();
}

void events_debug_init_cpu(void)
{
    struct cpu *cpu = this_cpu();
    int rc;

    /* One dump covers every vCPU: listen for VIRQ_DEBUG on vCPU 0 only. */
    if (cpu->id != 0)
        return;
    rc = evtchn_bind_virq(VIRQ_DEBUG, cpu->id, debug_virq, NULL, &cpu->debug_port);
    if (rc)
        printk("events: binding VIRQ_DEBUG on vCPU %u failed: %d (%s)\n", cpu->id, rc,
               xen_strerror(rc));
}

void events_exit_report(void)
{
    unsigned long ignored = 0, on_hlt = 0;

    for (unsigned int i = 0; i < MAX_VCPUS; i++) {
        if (cpu_table[i]) {
            ignored += cpu_table[i]->events_ignored;
            on_hlt += cpu_table[i]->hlt_skipped;
        }
    }
    if (ignored)
        printk("events: %lu event vector(s) arrived with IF clear and were ignored\n", ignored);
    if (on_hlt)
        printk("events: %lu event vector(s) arrived on idle's hlt, inside sti's shadow; "
               "the hlt was skipped\n",
               on_hlt);
}
