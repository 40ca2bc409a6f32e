/*
 * The event upcall: Xen's "interrupt" into us.
 *
 * Xen marks a signalled, unmasked port in three places, top-down: its bit
 * in shared_info->evtchn_pending, the bit for that bitmap word in the
 * vCPU's evtchn_pending_sel, and the vCPU's evtchn_upcall_pending byte; then
 * it calls our upcall (arch/x86_64/entry.S) with events masked.  We undo it
 * bottom-up: clear upcall_pending, take the selector with an atomic
 * exchange, and for each selected word handle every pending, unmasked port
 * that belongs to this vCPU, clearing its bit *before* running its handler.
 * A signal during the handler therefore sets the bits again, and the outer
 * loop sees upcall_pending and goes round once more: nothing is lost, and
 * nothing is run twice for one signal.
 */
#include <kernel/events.h>
#include <kernel/percpu.h>
#include <minios/hypervisor.h>

void events_upcall(void)
{
    struct cpu *cpu = this_cpu();
    vcpu_info_t *vi = cpu->vcpu_info;
    shared_info_t *s = HYPERVISOR_shared_info;

    do {
        WRITE_ONCE(vi->evtchn_upcall_pending, 0);
        unsigned long sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);

        while (sel) {
            unsigned int word = (unsigned int)__builtin_ctzl(sel);
            unsigned long ready;

            sel &= sel - 1;
            while ((ready = READ_ONCE(s->evtchn_pending[word]) & ~READ_ONCE(s->evtchn_mask[word]) &
                            READ_ONCE(cpu->evtchn_owned[word]))) {
                unsigned int bit = (unsigned int)__builtin_ctzl(ready);

                __atomic_fetch_and(&s->evtchn_pending[word], ~(1UL << bit), __ATOMIC_SEQ_CST);
                events_dispatch(word * 64 + bit);
            }
        }
    } while (READ_ONCE(vi->evtchn_upcall_pending));
}
