/*
 * start_kernel(): the C half of boot, called from _start (arch/x86_64/head.S)
 * on our boot stack with events masked.  It reads what Xen handed over, sets
 * up the per-vCPU area, the console, traps, memory, events, the grant table,
 * the other vCPUs and xenstore, then starts the first thread, which says
 * who we are (xenstore requests need threads) and runs the application's
 * main().  docs/boot.md walks through this path.
 */
#include <kernel/app.h>
#include <kernel/arch.h>
#include <kernel/banner.h>
#include <kernel/boot_profile.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/events.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/switches.h>
#include <kernel/xenstore.h>
#include <minios/console.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>
#include <minios/page.h>
#include <minios/thread.h>

start_info_t start_info;
/* Page-aligned: its vcpu_info area must not straddle a page (Xen's rule). */
static struct cpu boot_cpu __aligned(PAGE_SIZE);

/* A line of n bytes splits into at most n / 2 + 1 words; + argv[0] + NULL. */
static char cmdline[MAX_GUEST_CMDLINE];
static char *argv[MAX_GUEST_CMDLINE / 2 + 3];

static char **envp;

/*
 * argv[0] is the app's name; the guest command line supplies the rest.
 * Leading NAME=VALUE words become the environment, as in a shell.
 */
static int build_argv(void)
{
    static char *env[MAX_GUEST_CMDLINE / 2 + 2];
    char open = cmdline_open_quote(cmdline);

    /* Not fatal (the words are still there), but never silent. */
    if (open)
        printk("cmdline: warning: a %c quote is never closed: the rest of the line is part "
               "of one argument\n",
               open);

    int words = cmdline_split(cmdline, argv + 1, (int)ARRAY_SIZE(argv) - 2);
    int skip, nenv = cmdline_env_words(argv + 1, words, &skip);

    /* argv[1 .. nenv] are the environment: move them out, NULL-terminated. */
    for (int i = 0; i < nenv; i++)
        env[i] = argv[1 + i];
    env[nenv] = NULL;
    envp = env;
    memmove(argv + 1, argv + 1 + skip, (size_t)(words - skip) * sizeof(argv[0]));
    argv[0] = (char *)minios_app_name;
    argv[1 + words - skip] = NULL;
    return 1 + words - skip;
}

#define MAIN_STACK_SIZE (256 * 1024)

static int argc;

/*
 * The first thread: the rest of boot, then main().  It starts pinned to
 * vCPU 0, whose hypercall counters the boot profile reads, and is let go
 * before main() runs in it like any other thread; its return ends the
 * program.
 */
static void *main_thread(void *unused)
{
    (void)unused;
    xenstore_start();
    boot_phase("xenstore");
    print_banner(cmdline);
    boot_phase("banner");
    /* No main() before every vCPU it may use is up (they came up meanwhile). */
    smp_wait_online();
    boot_phase("online");

    printk("  boot: %lu us and %lu hypercalls from entry to main()\n",
           (unsigned long)(boot_profile_ns() / 1000), boot_profile_hypercalls());
    boot_profile_done();

    argc = build_argv();
    switches_parse(envp);
    thread_set_affinity(thread_self(), THREAD_ANY_CPU);
    app_start(argc, argv, envp);
}

void __noreturn start_kernel(start_info_t *si);

void start_kernel(start_info_t *si)
{
    /* First: everything after this (even hypercall counting) is per-vCPU. */
    arch_percpu_init(&boot_cpu, 0);
    boot_phase("entry");

    /* The page Xen passed may be reclaimed later: keep a copy. */
    memcpy(&start_info, si, sizeof(start_info));
    /* cmd_line comes from outside: bound it and force termination. */
    memcpy(cmdline, start_info.cmd_line, sizeof(cmdline) - 1);
    cmdline[sizeof(cmdline) - 1] = '\0';

    arch_map_shared_info();
    boot_cpu.vcpu_info = &HYPERVISOR_shared_info->vcpu_info[0];
    smp_call_queue_init(&boot_cpu);
    arch_p2m_init();
    console_init();
    boot_phase("console");
    arch_traps_init();
    boot_phase("traps");
    mm_init();
    boot_phase("memory");
    sched_init();
    events_init();
    smp_init_this_cpu();
    console_init_input();
    boot_phase("events");
    smp_init();
    boot_phase("smp");
    xenstore_init();

    struct thread_attr attr = THREAD_ATTR_DEFAULT;

    attr.name = "main";
    attr.stack_size = MAIN_STACK_SIZE;
    attr.cpu = 0;
    if (!thread_create(main_thread, NULL, &attr))
        panic("cannot create the main thread");

    /* From here on events are delivered, and this is vCPU 0's idle thread. */
    local_irq_enable();
    sched_idle_loop();
}
