/*
 * The locks a test holds, so that a test ended early does not leave them
 * held for the next one (see <kernel/arch.h>, "Locks a test leaves held").
 *
 * From arming to disarming, every spinlock the point's owner takes, on any
 * vCPU, and every mutex it acquires, goes into a free slot of the point;
 * a release, by any thread, empties its slot.  Slots are claimed and
 * emptied with compare-and-swap, so an upcall nested in the owner, or
 * another vCPU releasing a lock the owner passed on (the run-queue lock
 * across a switch), needs no lock here.  A spinlock's operation and its
 * record happen with events masked, so the watchdog's upcall cannot end
 * the test between them; after an early end the runner empties each slot
 * before unlocking what it held (an exchange: whoever empties a slot
 * releases it, never both).
 */
#include <arch/recovery.h>
#include <kernel/arch.h>
#include <kernel/percpu.h>
#include <minios/irqflags.h>
#include <minios/spinlock.h>

bool spinlock_recording;

static struct recovery_point *recording;

void recovery_record_locks(struct recovery_point *rp)
{
    __atomic_store_n(&recording, rp, __ATOMIC_RELEASE);
    __atomic_store_n(&spinlock_recording, rp != NULL, __ATOMIC_RELEASE);
}

/* The recording point, if the running thread is its owner. */
static struct recovery_point *owner_running(void)
{
    struct recovery_point *rp = __atomic_load_n(&recording, __ATOMIC_ACQUIRE);
    struct cpu *cpu = this_cpu();

    if (!rp || rp->owner != cpu->current || cpu->fatal_depth)
        return NULL;
    return rp;
}

static void remember(struct recovery_point *rp, void **slots, void *lock)
{
    for (unsigned int i = 0; i < RECOVERY_LOCK_SLOTS; i++) {
        void *expected = NULL;

        if (__atomic_compare_exchange_n(&slots[i], &expected, lock, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED))
            return;
    }
    __atomic_fetch_add(&rp->unrecorded, 1, __ATOMIC_RELAXED);
}

static void forget(void **slots, void *lock)
{
    for (unsigned int i = 0; i < RECOVERY_LOCK_SLOTS; i++) {
        void *expected = lock;

        if (__atomic_compare_exchange_n(&slots[i], &expected, NULL, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED))
            return;
    }
}

bool spin_trylock_recorded(spinlock_t *lock)
{
    unsigned long flags = local_irq_save();
    bool ok = __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
    struct recovery_point *rp = ok ? owner_running() : NULL;

    if (rp)
        remember(rp, rp->spinlocks, lock);
    local_irq_restore(flags);
    return ok;
}

void spin_unlock_recorded(spinlock_t *lock)
{
    unsigned long flags = local_irq_save();
    struct recovery_point *rp = __atomic_load_n(&recording, __ATOMIC_ACQUIRE);

    if (rp)
        forget(rp->spinlocks, lock);
    __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
    local_irq_restore(flags);
}

void arch_recovery_note_mutex(void *m, bool held)
{
    struct recovery_point *rp;

    if (held) {
        rp = owner_running();
        if (rp)
            remember(rp, rp->mutexes, m);
    } else {
        rp = __atomic_load_n(&recording, __ATOMIC_ACQUIRE);
        if (rp)
            forget(rp->mutexes, m);
    }
}

unsigned int arch_recovery_release_spinlocks(struct recovery_point *rp)
{
    unsigned int released = 0;

    for (unsigned int i = 0; i < RECOVERY_LOCK_SLOTS; i++) {
        spinlock_t *lock =
            __atomic_exchange_n((spinlock_t **)&rp->spinlocks[i], NULL, __ATOMIC_ACQ_REL);

        if (lock) {
            __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
            released++;
        }
    }
    return released;
}

void *arch_recovery_next_mutex(struct recovery_point *rp)
{
    for (unsigned int i = 0; i < RECOVERY_LOCK_SLOTS; i++) {
        void *m = __atomic_exchange_n(&rp->mutexes[i], NULL, __ATOMIC_ACQ_REL);

        if (m)
            return m;
    }
    return NULL;
}
