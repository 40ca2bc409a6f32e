/*
 * Event-channel operations: binding ports to handlers and vCPUs, sending,
 * masking, unmasking, closing.
 *
 * Which vCPU a port belongs to is recorded twice: in ports[] (for us) and
 * as a bit in that vCPU's evtchn_owned bitmap, which the upcall on that
 * vCPU uses to pick its own ports out of the shared pending bitmap.
 */
#include <kernel/events.h>
#include <kernel/percpu.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>
#include <minios/spinlock.h>

struct port_state {
    evtchn_handler_t fn;
    void *arg;
    unsigned int vcpu;
    bool movable; /* interdomain/unbound: may be rebound to another vCPU */
};

static struct port_state ports[EVTCHN_2L_NR_CHANNELS];
static spinlock_t ports_lock = SPINLOCK_INIT; /* binding and closing */

#define WORD(port) ((port) / 64)
#define BIT(port)  (1UL << ((port) % 64))

static void set_owner(evtchn_port_t port, unsigned int vcpu)
{
    unsigned int old = ports[port].vcpu;

    if (cpu_table[old])
        __atomic_fetch_and(&cpu_table[old]->evtchn_owned[WORD(port)], ~BIT(port), __ATOMIC_SEQ_CST);
    ports[port].vcpu = vcpu;
    if (cpu_table[vcpu])
        __atomic_fetch_or(&cpu_table[vcpu]->evtchn_owned[WORD(port)], BIT(port), __ATOMIC_SEQ_CST);
}

/* Records a freshly bound port, then lets its events through. */
static int install(int rc, evtchn_port_t port, unsigned int vcpu, bool movable, evtchn_handler_t fn,
                   void *arg, evtchn_port_t *out)
{
    if (rc)
        return rc;
    if (port >= EVTCHN_2L_NR_CHANNELS) {
        /* Only possible if Xen used an ABI we did not ask for. */
        printk("events: Xen gave port %u, beyond the 2-level limit\n", port);
        return -XEN_ERANGE;
    }
    unsigned long flags = local_irq_save();

    spin_lock(&ports_lock);
    ports[port].fn = fn;
    ports[port].arg = arg;
    ports[port].movable = movable;
    set_owner(port, vcpu);
    spin_unlock(&ports_lock);
    local_irq_restore(flags);
    if (out)
        *out = port;
    evtchn_unmask(port);
    return 0;
}

int evtchn_bind_virq(uint32_t virq, unsigned int vcpu, evtchn_handler_t fn, void *arg,
                     evtchn_port_t *port)
{
    struct evtchn_bind_virq op = {.virq = virq, .vcpu = vcpu};
    int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

    return install(rc, op.port, vcpu, false, fn, arg, port);
}

int evtchn_bind_ipi(unsigned int vcpu, evtchn_handler_t fn, void *arg, evtchn_port_t *port)
{
    struct evtchn_bind_ipi op = {.vcpu = vcpu};
    int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

    return install(rc, op.port, vcpu, false, fn, arg, port);
}

/* Unbound and interdomain ports start out delivered to vCPU 0. */
int evtchn_alloc_unbound(domid_t remote, evtchn_handler_t fn, void *arg, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = {.dom = DOMID_SELF, .remote_dom = remote};
    int rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    return install(rc, op.port, 0, true, fn, arg, port);
}

int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_handler_t fn,
                            void *arg, evtchn_port_t *port)
{
    struct evtchn_bind_interdomain op = {.remote_dom = remote, .remote_port = remote_port};
    int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    return install(rc, op.local_port, 0, true, fn, arg, port);
}

/*
 * A port someone else bound for us: the toolstack connects a domU's
 * xenstore (and console) port before we run.  Xen delivers such a port to
 * vCPU 0 (alloc_unbound's default) until EVTCHNOP_bind_vcpu moves it.
 */
int evtchn_attach(evtchn_port_t port, evtchn_handler_t fn, void *arg)
{
    if (port == 0)
        return -XEN_EINVAL;
    return install(0, port, 0, true, fn, arg, NULL);
}

int evtchn_bind_vcpu(evtchn_port_t port, unsigned int vcpu)
{
    struct evtchn_bind_vcpu op = {.port = port, .vcpu = vcpu};
    int rc;

    if (port >= EVTCHN_2L_NR_CHANNELS || vcpu >= MAX_VCPUS)
        return -XEN_EINVAL;
    /* Masked while it moves, so neither vCPU runs it half-way through. */
    evtchn_mask(port);
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);
    if (rc == 0) {
        unsigned long flags = local_irq_save();

        spin_lock(&ports_lock);
        set_owner(port, vcpu);
        spin_unlock(&ports_lock);
        local_irq_restore(flags);
    }
    evtchn_unmask(port);
    return rc;
}

int evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = {.port = port};
    int rc;

    if (port >= EVTCHN_2L_NR_CHANNELS)
        return -XEN_EINVAL;
    evtchn_mask(port);
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
    if (rc == 0) {
        unsigned long flags = local_irq_save();

        spin_lock(&ports_lock);
        if (cpu_table[ports[port].vcpu])
            __atomic_fetch_and(&cpu_table[ports[port].vcpu]->evtchn_owned[WORD(port)], ~BIT(port),
                               __ATOMIC_SEQ_CST);
        ports[port].fn = NULL;
        ports[port].arg = NULL;
        spin_unlock(&ports_lock);
        local_irq_restore(flags);
        __atomic_fetch_and(&HYPERVISOR_shared_info->evtchn_pending[WORD(port)], ~BIT(port),
                           __ATOMIC_SEQ_CST);
    }
    return rc;
}

int evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = {.port = port};

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

void evtchn_mask(evtchn_port_t port)
{
    if (port < EVTCHN_2L_NR_CHANNELS)
        __atomic_fetch_or(&HYPERVISOR_shared_info->evtchn_mask[WORD(port)], BIT(port),
                          __ATOMIC_SEQ_CST);
}

bool evtchn_is_pending(evtchn_port_t port)
{
    return port < EVTCHN_2L_NR_CHANNELS &&
           (READ_ONCE(HYPERVISOR_shared_info->evtchn_pending[WORD(port)]) & BIT(port));
}

/*
 * Unmasking must not lose a signal that arrived while the port was masked:
 * Xen set its pending bit but, seeing the mask, did not flag any vCPU.  For
 * a port of this vCPU we clear the mask and, if the port is pending, flag
 * ourselves as Xen would have (selector bit, then upcall_pending) and get
 * the upcall delivered.  For another vCPU's port, EVTCHNOP_unmask has Xen do
 * the same on the right vCPU.
 */
void evtchn_unmask(evtchn_port_t port)
{
    shared_info_t *s = HYPERVISOR_shared_info;

    if (port >= EVTCHN_2L_NR_CHANNELS)
        return;
    unsigned long flags = local_irq_save();
    struct cpu *cpu = this_cpu();

    if (ports[port].vcpu != cpu->id) {
        struct evtchn_unmask op = {.port = port};
        int rc = HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);

        if (rc)
            printk("events: EVTCHNOP_unmask(%u) failed: %d (%s)\n", port, rc, xen_strerror(rc));
        local_irq_restore(flags);
        return;
    }
    __atomic_fetch_and(&s->evtchn_mask[WORD(port)], ~BIT(port), __ATOMIC_SEQ_CST);
    if (READ_ONCE(s->evtchn_pending[WORD(port)]) & BIT(port)) {
        vcpu_info_t *vi = cpu->vcpu_info;

        __atomic_fetch_or(&vi->evtchn_pending_sel, 1UL << WORD(port), __ATOMIC_SEQ_CST);
        WRITE_ONCE(vi->evtchn_upcall_pending, 1);
    }
    /* Restoring the event mask delivers what is pending, if enabled. */
    local_irq_restore(flags);
}

/* Called by the upcall for each pending port of this vCPU, bit already cleared. */
void events_dispatch(evtchn_port_t port)
{
    struct port_state *p = &ports[port];
    evtchn_handler_t fn = READ_ONCE(p->fn);

    if (!fn) {
        /* Nobody listens: mask it, or it would keep coming back. */
        evtchn_mask(port);
        printk("events: port %u signalled with no handler; masked\n", port);
        return;
    }
    this_cpu()->events_handled++;
    fn(port, READ_ONCE(p->arg));
}

/* The handler installed on @port, or NULL (for the debug dump). */
evtchn_handler_t events_handler(evtchn_port_t port)
{
    return port < EVTCHN_2L_NR_CHANNELS ? ports[port].fn : NULL;
}

void events_move_ports(unsigned int from, unsigned int to)
{
    for (evtchn_port_t port = 0; port < EVTCHN_2L_NR_CHANNELS; port++) {
        if (ports[port].fn && ports[port].movable && ports[port].vcpu == from) {
            int rc = evtchn_bind_vcpu(port, to);

            if (rc)
                printk("events: moving port %u from vCPU %u to %u failed: %d (%s)\n", port, from,
                       to, rc, xen_strerror(rc));
        }
    }
}

void events_init(void)
{
    shared_info_t *s = HYPERVISOR_shared_info;

    /* Nothing is bound yet: mask every port until something is. */
    for (unsigned int w = 0; w < EVTCHN_WORDS; w++)
        WRITE_ONCE(s->evtchn_mask[w], ~0UL);
}
