/*
 * Multicall batching (see <minios/multicall.h>).  One hypercall carries a
 * whole array of multicall_entry_t; Xen writes each entry's return value
 * into its `result` field, which is how a failure is traced to its entry.
 */
#include <kernel/hypercall_stats.h>
#include <kernel/percpu.h>
#include <minios/irqflags.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/multicall.h>

STATIC_ASSERT(MULTICALL_MAX == ARRAY_SIZE(((struct multicall_buffer *)0)->entries),
              "the buffer holds MULTICALL_MAX entries");

void multicall_begin(void)
{
    unsigned long flags = local_irq_save();
    struct multicall_buffer *mc = &this_cpu()->multicall;

    BUG_ON(mc->active);
    mc->active = true;
    mc->irq_flags = flags;
    mc->used = 0;
    mc->flushed = 0;
    mc->first_error.failed = false;
}

/* Issues what is buffered and notes the first failure. */
static void issue(struct multicall_buffer *mc)
{
    int rc;

    if (mc->used == 0)
        return;
    for (unsigned int i = 0; i < mc->used; i++)
        hypercall_stats_record((unsigned int)mc->entries[i].op, mc->entries[i].args[0], true);
    rc = HYPERVISOR_multicall(mc->entries, mc->used);
    if (rc)
        panic("HYPERVISOR_multicall(%u entries) failed: %d (%s)", mc->used, rc, xen_strerror(rc));
    for (unsigned int i = 0; i < mc->used && !mc->first_error.failed; i++) {
        long result = (long)mc->entries[i].result;

        if (result < 0) {
            mc->first_error.failed = true;
            mc->first_error.index = mc->flushed + i;
            mc->first_error.op = (unsigned int)mc->entries[i].op;
            mc->first_error.rc = result;
        }
    }
    mc->flushed += mc->used;
    mc->used = 0;
}

void multicall_add_args(unsigned int op, const unsigned long args[6])
{
    struct multicall_buffer *mc = &this_cpu()->multicall;

    BUG_ON(!mc->active);
    if (mc->used == MULTICALL_MAX)
        issue(mc);
    multicall_entry_t *e = &mc->entries[mc->used++];

    e->op = op;
    e->result = 0;
    for (int i = 0; i < 6; i++)
        e->args[i] = args[i];
}

long multicall_flush(struct multicall_error *err)
{
    struct multicall_buffer *mc = &this_cpu()->multicall;
    long rc = 0;

    BUG_ON(!mc->active);
    issue(mc);
    if (mc->first_error.failed) {
        rc = mc->first_error.rc;
        if (err) {
            err->index = mc->first_error.index;
            err->op = mc->first_error.op;
            err->rc = rc;
        }
    }
    mc->active = false;
    local_irq_restore(mc->irq_flags);
    return rc;
}
