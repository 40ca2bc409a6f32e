/*
 * Inter-processor interrupts on event channels.  Each vCPU binds one IPI
 * port (EVTCHNOP_bind_ipi); the kinds of IPI waiting for it are bits in its
 * `ipi_pending` word, set before the port is signalled and taken all at
 * once by the handler, so one event can carry several kinds and a kind
 * sent twice before it is handled is handled once.
 */
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>

static void ipi_handler(evtchn_port_t port, void *arg)
{
    struct cpu *cpu = this_cpu();
    unsigned long pending = __atomic_exchange_n(&cpu->ipi_pending, 0, __ATOMIC_ACQUIRE);

    (void)port;
    (void)arg;
    cpu->ipis_received++;
    /* IPI_RESCHEDULE needs no action: the event itself ended SCHEDOP_block. */
    if (pending & (1UL << IPI_CALL))
        smp_call_process_queue();
}

void ipi_init_cpu(void)
{
    struct cpu *cpu = this_cpu();
    int rc = evtchn_bind_ipi(cpu->id, ipi_handler, NULL, &cpu->ipi_port);

    if (rc)
        panic("EVTCHNOP_bind_ipi(vCPU %u) failed: %d (%s)", cpu->id, rc, xen_strerror(rc));
}

void ipi_send(unsigned int target, unsigned int kind)
{
    struct cpu *cpu = target < MAX_VCPUS ? cpu_table[target] : NULL;
    int rc;

    if (!cpu)
        panic("IPI %u to vCPU %u, which does not exist", kind, target);
    __atomic_fetch_or(&cpu->ipi_pending, 1UL << kind, __ATOMIC_RELEASE);
    rc = evtchn_send(cpu->ipi_port);
    if (rc)
        panic("EVTCHNOP_send for an IPI to vCPU %u failed: %d (%s)", target, rc, xen_strerror(rc));
}
