/*
 * The soak: everything at once, for minutes (make soak; not part of check).
 * Counting threads under a mutex, a producer/consumer pipeline, sleepers,
 * smp_call_function storms, heap and mapping churn, and -- with several
 * vCPUs -- the last vCPU going down and up again and again.  At the end
 * every counter must add up.  argv[1] = seconds to run (default 60).
 */
#include <minios/console.h>
#include <minios/mm.h>
#include <minios/smp.h>
#include <minios/sync.h>
#include <minios/test.h>
#include <minios/thread.h>
#include <minios/time.h>

static volatile bool stop;
static struct mutex lock = MUTEX_INIT(lock);
static unsigned long counter, increments[8];
static unsigned long produced_sum, consumed_sum, calls, sleeps_early, calls_lost, alias_bad, cycles;

static void *counting(void *arg)
{
    unsigned long *mine = arg;

    while (!stop) {
        mutex_lock(&lock);
        counter++;
        mutex_unlock(&lock);
        (*mine)++;
        if (*mine % 64 == 0)
            thread_yield();
    }
    return NULL;
}

static struct semaphore slots, items;
static unsigned long ring[16];
static unsigned int head, tail;
static struct mutex ring_lock = MUTEX_INIT(ring_lock);

static void *producer(void *arg)
{
    (void)arg;
    for (unsigned long v = 1; !stop; v++) {
        if (!semaphore_down_until(&slots, monotonic_ns() + NSEC_PER_SEC))
            continue;
        mutex_lock(&ring_lock);
        ring[head++ % 16] = v;
        produced_sum += v;
        mutex_unlock(&ring_lock);
        semaphore_up(&items);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (;;) {
        if (!semaphore_down_until(&items, monotonic_ns() + 50 * NSEC_PER_MSEC)) {
            if (stop)
                return NULL;
            continue;
        }
        mutex_lock(&ring_lock);
        consumed_sum += ring[tail++ % 16];
        mutex_unlock(&ring_lock);
        semaphore_up(&slots);
    }
}

static void *sleeper(void *arg)
{
    (void)arg;
    while (!stop) {
        uint64_t want = (monotonic_ns() % 7 + 1) * NSEC_PER_MSEC, t0 = monotonic_ns();

        thread_sleep_ns(want);
        if (monotonic_ns() - t0 < want)
            __atomic_fetch_add(&sleeps_early, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

static void count_call(void *arg)
{
    __atomic_fetch_add((unsigned long *)arg, 1, __ATOMIC_RELAXED);
}

static void *churn(void *arg)
{
    (void)arg;
    while (!stop) {
        unsigned long ran = 0;
        int reached = smp_call_function(smp_online_mask(), count_call, &ran, true);

        if (reached < 1 || ran != (unsigned long)reached)
            calls_lost++; /* with wait, every vCPU reached has run it */
        calls += ran;
        char *p = kmalloc(1 + monotonic_ns() % 5000);
        if (p) {
            p[0] = 42;
            kfree(p);
        }
        void *page = alloc_page();
        if (page) {
            unsigned long mfn = virt_to_mfn(page);
            volatile char *alias = map_frames(&mfn, 1, MAP_WRITABLE, DOMID_SELF);

            if (alias) {
                alias[1] = 7;
                alias_bad += ((volatile char *)page)[1] != 7;
                unmap_frames((void *)alias, 1);
            }
            free_page(page);
        }
        thread_yield();
    }
    return NULL;
}

int main(int argc, char **argv)
{
    unsigned long seconds = 60;
    struct thread *t[32];
    int n = 0;

    if (argc > 1) {
        seconds = 0;
        for (const char *p = argv[1]; *p >= '0' && *p <= '9'; p++)
            seconds = seconds * 10 + (unsigned long)(*p - '0');
    }
    printk("soak: %lu s on %u vCPUs\n", seconds, smp_cpu_count());
    semaphore_init(&slots, 16);
    semaphore_init(&items, 0);
    for (int i = 0; i < 8; i++)
        t[n++] = thread_create(counting, &increments[i], NULL);
    for (int i = 0; i < 2; i++) {
        t[n++] = thread_create(producer, NULL, NULL);
        t[n++] = thread_create(consumer, NULL, NULL);
    }
    for (int i = 0; i < 4; i++)
        t[n++] = thread_create(sleeper, NULL, NULL);
    t[n++] = thread_create(churn, NULL, NULL);

    uint64_t end = monotonic_ns() + seconds * NSEC_PER_SEC, next_report = 0;
    unsigned int last = smp_cpu_count() - 1;

    while (monotonic_ns() < end) {
        if (last > 0) {
            if (cpu_down(last) != 0 || cpu_up(last) != 0)
                printk("soak: hotplug cycle of vCPU %u failed\n", last);
            else
                cycles++;
        }
        thread_sleep_ns(200 * NSEC_PER_MSEC);
        if (monotonic_ns() >= next_report) {
            printk("soak: %lu s left: counter %lu, calls %lu, hotplug cycles %lu\n",
                   (end - monotonic_ns()) / NSEC_PER_SEC, counter, calls, cycles);
            next_report = monotonic_ns() + 10 * NSEC_PER_SEC;
        }
    }
    stop = true;
    for (int i = 0; i < n; i++)
        thread_join(t[i], NULL);

    unsigned long sum = 0;
    for (int i = 0; i < 8; i++)
        sum += increments[i];
    bool ok = sum == counter && produced_sum == consumed_sum && sleeps_early == 0 &&
              calls_lost == 0 && alias_bad == 0;

    printk("soak: counter %lu (threads did %lu), produced %lu consumed %lu, early sleeps %lu, "
           "lost calls %lu, bad aliases %lu, hotplug cycles %lu\n",
           counter, sum, produced_sum, consumed_sum, sleeps_early, calls_lost, alias_bad, cycles);
    printk("Test result: %s\n", ok ? "SUCCESS" : "FAILURE");
    return ok ? 0 : 1;
}
