/*
 * Bringing up every vCPU (docs/smp.md walks through it).
 *
 * Xen starts only vCPU 0.  For each other vCPU the domain has (found with
 * VCPUOP_is_up, which answers -ENOENT past the last), vCPU 0 prepares a
 * page-aligned struct cpu and an idle stack, has the arch code build the
 * vCPU's initial register context (VCPUOP_initialise) and start it
 * (VCPUOP_up), and goes on with its own boot: the new vCPUs set themselves
 * up on their own (vcpu_info, timer, IPI port) meanwhile, and enter the
 * idle loop, from which they pick threads off the shared run queue.  The
 * boot vCPU waits for them to say they are online (smp_wait_online())
 * only just before main(), so main() never runs with a vCPU half up.
 */
#include <kernel/arch.h>
#include <kernel/events.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/smp.h>
#include <minios/time.h>

#define IDLE_STACK_SIZE   (16 * 1024)
#define ONLINE_TIMEOUT_NS (10 * NSEC_PER_SEC)

static unsigned int possible_cpus; /* 0 until smp_init(): then at least 1 */

unsigned int smp_cpu_count(void)
{
    return possible_cpus ? possible_cpus : 1;
}

cpumask_t smp_online_mask(void)
{
    cpumask_t mask = 0;

    for (unsigned int i = 0; i < smp_cpu_count(); i++) {
        if (cpu_table[i] && __atomic_load_n(&cpu_table[i]->online, __ATOMIC_ACQUIRE))
            mask |= CPUMASK_ONE(i);
    }
    return mask;
}

bool smp_cpu_online(unsigned int cpu)
{
    return cpu < MAX_VCPUS && (smp_online_mask() & CPUMASK_ONE(cpu));
}

static struct cpu *new_cpu(unsigned int id)
{
    unsigned int order = 0;

    while ((PAGE_SIZE << order) < sizeof(struct cpu))
        order++;
    struct cpu *cpu = alloc_pages(order);

    if (!cpu)
        return NULL;
    memset(cpu, 0, PAGE_SIZE << order);
    cpu->self = cpu;
    cpu->id = id;
    smp_call_queue_init(cpu);
    return cpu;
}

void smp_init_this_cpu(void)
{
    arch_register_vcpu_info(this_cpu());
    events_init_cpu();
    ipi_init_cpu();
}

void smp_secondary_start(void)
{
    struct cpu *cpu = this_cpu();

    smp_init_this_cpu(); /* first: until then there is no vcpu_info */
    sched_init_cpu();
    __atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
    local_irq_enable();
    sched_idle_loop();
}

/* Started by smp_init() and not yet seen online by smp_wait_online(). */
static cpumask_t starting;
static unsigned int started = 1; /* the boot vCPU, and each VCPUOP_up that worked */
static uint64_t online_deadline;

void smp_init(void)
{
    struct vcpu_guest_context *ctxt = kcalloc(1, sizeof(*ctxt));

    possible_cpus = MIN(arch_vcpu_census(NULL), MAX_VCPUS);
    if (possible_cpus > 1 && !ctxt)
        panic("no memory for a vCPU context");
    __atomic_store_n(&this_cpu()->online, true, __ATOMIC_RELEASE);

    /* Each vCPU sets itself up while the boot vCPU goes on (smp_wait_online()). */
    online_deadline = monotonic_ns() + ONLINE_TIMEOUT_NS;
    for (unsigned int id = 1; id < possible_cpus; id++) {
        struct cpu *cpu = new_cpu(id);
        void *stack = stack_alloc(IDLE_STACK_SIZE);
        int rc;

        if (!cpu || !stack)
            panic("no memory to bring up vCPU %u", id);
        cpu_table[id] = cpu;
        rc = arch_vcpu_start(cpu, (char *)stack + IDLE_STACK_SIZE, ctxt);
        if (rc) {
            printk("smp: starting vCPU %u failed: %d (%s); continuing without it\n", id, rc,
                   xen_strerror(rc));
            continue;
        }
        starting |= CPUMASK_ONE(id);
        started++;
    }
    kfree(ctxt);
}

unsigned int smp_cpus_started(void)
{
    return started;
}

void smp_wait_online(void)
{
    for (unsigned int id = 1; id < possible_cpus; id++) {
        struct cpu *cpu = cpu_table[id];

        if (!(starting & CPUMASK_ONE(id)))
            continue;
        while (!__atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE) && monotonic_ns() < online_deadline)
            cpu_relax();
        if (!__atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE)) {
            printk("smp: vCPU %u did not come online within %lu s; continuing without it\n", id,
                   ONLINE_TIMEOUT_NS / NSEC_PER_SEC);
        }
    }
    starting = 0;
}
