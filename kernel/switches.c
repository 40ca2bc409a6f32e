/*
 * The teaching switches: leading MINIOS_*=... words of the guest's command
 * line that make a mechanism print what it does (docs/README.md lists them
 * with the chapter each one illustrates).  Each reuses the code that does
 * the work (the page-table walker, the event-channel and thread tables,
 * the xenbus layer); this file only decides what to show and when: at
 * main() for the walk and the clock, as it happens for xenbus, at exit
 * for the tables.
 */
#include <kernel/arch.h>
#include <kernel/boot_profile.h>
#include <kernel/events.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/switches.h>
#include <kernel/symbols.h>
#include <kernel/xenbus.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/time.h>
#include <minios/timer.h>

static bool show_events, show_runq, show_dump;

/* "0x1f000" or "1f000" into *@out; false if it is not all hex digits. */
static bool parse_hex(const char *s, unsigned long *out)
{
    unsigned long v = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    if (!*s)
        return false;
    for (; *s; s++) {
        unsigned int d;

        if (*s >= '0' && *s <= '9')
            d = (unsigned int)(*s - '0');
        else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
            d = (unsigned int)((*s | 0x20) - 'a' + 10);
        else
            return false;
        if (v >> 60)
            return false; /* more than 64 bits */
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

static void fired(struct timer *t, void *arg)
{
    (void)t;
    __atomic_store_n((uint64_t *)arg, monotonic_ns(), __ATOMIC_RELEASE);
}

/* Xen's clock as this vCPU reads it (docs/time.md), then one timer's round trip. */
static void print_time(void)
{
    const volatile struct vcpu_time_info *t = &this_cpu()->vcpu_info->time;
    const volatile shared_info_t *s = HYPERVISOR_shared_info;
    struct vcpu_time_info copy;
    uint32_t v;

    do {
        v = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        copy = *(const struct vcpu_time_info *)t;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((v & 1) || v != t->version);
    printk("time: vCPU %u pvclock: version %u tsc_timestamp %lu system_time %lu ns "
           "tsc_to_system_mul %#x tsc_shift %d\n",
           this_cpu()->id, v, (unsigned long)copy.tsc_timestamp, (unsigned long)copy.system_time,
           copy.tsc_to_system_mul, copy.tsc_shift);
    printk("time: system time now %lu ns (the stamp plus the TSC ticks since, scaled)\n",
           monotonic_ns());
    printk("time: wallclock base wc_sec %u wc_nsec %u (version %u): now %lu s since 1970\n",
           s->wc_sec, s->wc_nsec, s->wc_version, wallclock_ns() / NSEC_PER_SEC);

    struct timer timer;
    uint64_t at = 0, deadline = monotonic_ns() + 10 * NSEC_PER_MSEC;

    timer_init(&timer, fired, &at);
    timer_arm(&timer, deadline);
    while (!__atomic_load_n(&at, __ATOMIC_ACQUIRE))
        block_until(deadline);
    printk("time: timer set for %lu ns, fired at %lu ns: %lu ns late\n", deadline, at,
           at - deadline);
}

void switches_parse(char **envp)
{
    for (char **e = envp; *e; e++) {
        const char *w = *e;
        unsigned long va;

        if (strcmp(w, "MINIOS_PROFILE=1") == 0)
            boot_profile_report_at_exit();
        else if (strcmp(w, "MINIOS_EVENTS=1") == 0)
            show_events = true;
        else if (strcmp(w, "MINIOS_RUNQ=1") == 0)
            show_runq = true;
        else if (strcmp(w, "MINIOS_DUMP=1") == 0)
            show_dump = true;
        else if (strcmp(w, "MINIOS_XENBUS=1") == 0)
            xenbus_trace_states(true);
        else if (strcmp(w, "MINIOS_TIME=1") == 0)
            print_time();
        else if (strncmp(w, "MINIOS_WALK=", 12) == 0) {
            if (parse_hex(w + 12, &va))
                arch_print_walk(va);
            else
                printk("walk: %s is not a hex address\n", w + 12);
        }
    }
}

static const char *virq_name(uint32_t virq)
{
    static const char *const names[] = {
        [VIRQ_TIMER] = "TIMER", [VIRQ_DEBUG] = "DEBUG", [VIRQ_CONSOLE] = "CONSOLE"};

    return virq < ARRAY_SIZE(names) && names[virq] ? names[virq] : "?";
}

/* Every port with a handler: what Xen says it is (EVTCHNOP_status), and ours. */
static void print_events(void)
{
    const shared_info_t *s = HYPERVISOR_shared_info;

    printk("Event channels (port: kind, vCPU, pending/masked, handler):\n");
    for (evtchn_port_t port = 0; port < EVTCHN_2L_NR_CHANNELS; port++) {
        evtchn_handler_t fn = events_handler(port);
        struct evtchn_status st = {.dom = DOMID_SELF, .port = port};
        unsigned long off;
        const char *name;
        int rc;

        if (!fn)
            continue;
        rc = HYPERVISOR_event_channel_op(EVTCHNOP_status, &st);
        printk("  port %3u: ", port);
        if (rc) {
            printk("EVTCHNOP_status failed: %d (%s)\n", rc, xen_strerror(rc));
            continue;
        }
        switch (st.status) {
        case EVTCHNSTAT_virq:
            printk("virq %-7s", virq_name(st.u.virq));
            break;
        case EVTCHNSTAT_ipi:
            printk("%-12s", "ipi");
            break;
        case EVTCHNSTAT_interdomain:
            printk("interdomain to dom %u port %u", st.u.interdomain.dom, st.u.interdomain.port);
            break;
        case EVTCHNSTAT_unbound:
            printk("unbound, for dom %u", st.u.unbound.dom);
            break;
        default:
            printk("status %u", st.status);
        }
        name = symbol_lookup((unsigned long)fn, &off);
        printk(", vCPU %u, %s/%s, %s\n", st.vcpu,
               s->evtchn_pending[port / 64] & (1UL << (port % 64)) ? "pending" : "-",
               s->evtchn_mask[port / 64] & (1UL << (port % 64)) ? "masked" : "-",
               name ? name : "?");
    }
}

static void print_runq(void)
{
    printk(
        "Run queues (per vCPU: thread switches, idle blocks in SCHEDOP_block, IPIs received):\n");
    for (unsigned int i = 0; i < MAX_VCPUS; i++) {
        const struct cpu *c = cpu_table[i];

        if (c)
            printk("  vCPU %u: %lu switches, %lu idle blocks, %lu IPIs\n", c->id, c->switches,
                   c->idle_blocks, c->ipis_received);
    }
}

void switches_exit_report(void)
{
    if (show_events)
        print_events();
    if (show_runq)
        print_runq();
    if (show_dump)
        thread_dump_all();
}
