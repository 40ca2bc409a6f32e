/*
 * Taking a vCPU down and bringing it back.
 *
 * VCPUOP_down is synchronous only when a vCPU downs itself, so cpu_down()
 * asks: it marks the vCPU `going_down`, after which the scheduler gives it
 * nothing to run; once its current thread blocks or yields, its idle loop
 * calls smp_cpu_down_self().  That moves everything that would otherwise
 * be stranded -- its armed timers, its interdomain ports -- to vCPU 0,
 * unpins the threads pinned to it, goes offline and calls VCPUOP_down on
 * itself.  cpu_up() issues VCPUOP_up; the vCPU resumes right after its
 * VCPUOP_down call and is back in its idle loop.
 */
#include <kernel/events.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/timer_queue.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/smp.h>
#include <minios/time.h>

#define HOTPLUG_TIMEOUT_NS (10 * NSEC_PER_SEC)

static void unpin(const struct thread *t, void *arg)
{
    unsigned int cpu = *(unsigned int *)arg;

    if (!t->idle && t->affinity == (int)cpu) {
        printk("smp: vCPU %u going down: unpinning thread %s\n", cpu, t->name);
        __atomic_store_n(&((struct thread *)t)->affinity, THREAD_ANY_CPU, __ATOMIC_RELEASE);
    }
}

void smp_cpu_down_self(void)
{
    struct cpu *cpu = this_cpu();
    int rc;

    /* Hand over what must keep running while we are away. */
    timer_queue_migrate(0);
    smp_call_function_single(0, timer_queue_reprogram, NULL, true);
    events_move_ports(cpu->id, 0);

    /*
     * Offline under our call queue's lock: from then on nobody queues a
     * request for us (smp/call.c checks), and we run what was queued before.
     */
    spin_lock(&cpu->calls.lock);
    __atomic_store_n(&cpu->online, false, __ATOMIC_RELEASE);
    spin_unlock(&cpu->calls.lock);
    smp_call_process_queue();

    rc = HYPERVISOR_vcpu_op(VCPUOP_down, cpu->id, NULL);
    if (rc)
        panic("VCPUOP_down(%u) on itself failed: %d (%s)", cpu->id, rc, xen_strerror(rc));

    /* Back: cpu_up() brought us up again. */
    cpu->going_down = false;
    __atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
}

static bool wait_for(const bool *flag, bool want)
{
    uint64_t give_up = monotonic_ns() + HOTPLUG_TIMEOUT_NS;

    while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != want) {
        if (monotonic_ns() >= give_up)
            return false;
        thread_sleep_ns(NSEC_PER_MSEC);
    }
    return true;
}

int cpu_down(unsigned int id)
{
    struct cpu *cpu = id < MAX_VCPUS ? cpu_table[id] : NULL;

    if (id == 0 || !cpu || !cpu->online) {
        printk("cpu_down(%u): %s\n", id, id == 0 ? "vCPU 0 stays up" : "not online");
        return -1;
    }
    thread_for_each(unpin, &id);
    __atomic_store_n(&cpu->going_down, true, __ATOMIC_RELEASE);
    ipi_send(id, IPI_RESCHEDULE); /* if it is idle, it notices now */
    if (!wait_for(&cpu->online, false)) {
        printk("cpu_down(%u): still online after %lu s (its thread never yielded?)\n", id,
               HOTPLUG_TIMEOUT_NS / NSEC_PER_SEC);
        return -1;
    }
    /* It marked itself offline just before VCPUOP_down: wait for Xen to agree. */
    uint64_t give_up = monotonic_ns() + HOTPLUG_TIMEOUT_NS;
    int rc;

    while ((rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL)) > 0 && monotonic_ns() < give_up)
        thread_sleep_ns(NSEC_PER_MSEC);
    if (rc != 0) {
        printk("cpu_down(%u): Xen still reports it up (%d)\n", id, rc);
        return -1;
    }
    return 0;
}

int cpu_up(unsigned int id)
{
    struct cpu *cpu = id < MAX_VCPUS ? cpu_table[id] : NULL;
    int rc;

    if (!cpu || cpu->online) {
        printk("cpu_up(%u): %s\n", id, cpu ? "already online" : "no such vCPU");
        return -1;
    }
    rc = HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL);
    if (rc) {
        printk("cpu_up(%u): VCPUOP_up failed: %d (%s)\n", id, rc, xen_strerror(rc));
        return -1;
    }
    if (!wait_for(&cpu->online, true)) {
        printk("cpu_up(%u): not online after %lu s\n", id, HOTPLUG_TIMEOUT_NS / NSEC_PER_SEC);
        return -1;
    }
    return 0;
}
