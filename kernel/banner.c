/*
 * The banner: minios and Xen versions, what kind of domain we are, how much
 * memory and how many vCPUs Xen gave us, who the toolstack says we are
 * (from xenstore), and the command line.  Each fact is asked of Xen or
 * xenstore here, and a failed question is printed as such, not guessed.
 */
#include <kernel/arch.h>
#include <kernel/banner.h>
#include <kernel/format.h>
#include <kernel/gnttab.h>
#include <kernel/mm.h>
#include <kernel/smp.h>
#include <kernel/xs_text.h>
#include <minios/console.h>
#include <minios/gnttab.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/page.h>
#include <minios/smp.h>
#include <minios/version.h>
#include <minios/xenstore.h>

/*
 * The banner is gathered here and written with one console write: under
 * Xen that is one CONSOLEIO_write instead of one per line.
 */
static char text[4096];
static size_t used;

static void __printf(1, 2) add(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = kvsnprintf(text + used, sizeof(text) - used, fmt, ap);
    va_end(ap);
    /* A line cut short (a long command line) still ends the banner cleanly. */
    used = n < 0 ? used : MIN(used + (size_t)n, sizeof(text) - 1);
}

/* VCPUOP_is_up answers -ENOENT past the last vCPU the domain has. */
/* A xenstore value of ours, made printable (and quoted), or why it is missing. */
static void identity_value(const char *key, bool quote, char *out, size_t size)
{
    char value[128], shown[64];
    long n = xs_read(XS_TX_NONE, key, value, sizeof(value));

    if (n >= 0) {
        xs_printable(shown, sizeof(shown), value, (size_t)n);
        ksnprintf(out, size, quote ? "\"%s\"" : "%s", shown);
    } else {
        ksnprintf(out, size, "(no %s: %s)", key, xen_strerror(n));
    }
}

/* domU 5 "name", vm /vm/<uuid>: what the toolstack calls us (docs/domu.md). */
static void print_identity(void)
{
    char name[80], vm[80];

    if (!xs_available()) {
        add("  %s\n", xen_is_initial_domain() ? "no xenstore (dom0 without a store)"
                                              : "no xenstore: the connection failed");
        return;
    }
    identity_value("name", true, name, sizeof(name));
    identity_value("vm", false, vm, sizeof(vm));
    add("  %s %u %s, vm %s\n", xen_is_initial_domain() ? "dom0" : "domU", xen_self_domid(), name,
        vm);
}

void print_banner(const char *cmdline)
{
    xen_extraversion_t extra = {0};
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);
    long rc = HYPERVISOR_xen_version(XENVER_extraversion, extra);
    unsigned int vcpus, vcpus_up;
    struct gnttab_stats grants;

    if (rc < 0)
        extra[0] = '\0';
    extra[sizeof(extra) - 1] = '\0';
    /* Counted at smp_init(), not asked of Xen again: up = started by VCPUOP_up. */
    vcpus = smp_cpu_count();
    vcpus_up = smp_cpus_started();

    add("minios " MINIOS_VERSION " (x86_64 %s) on Xen %ld.%ld%s\n", arch_boot_mode(), version >> 16,
        version & 0xffff, extra);
    add("  %s, %lu pages (%lu MiB), %u vCPUs (%u up)\n", xen_is_initial_domain() ? "dom0" : "domU",
        start_info.nr_pages, start_info.nr_pages >> (20 - PAGE_SHIFT), vcpus, vcpus_up);
    print_identity();
    add("  memory: %lu frames free after boot (%lu page-table frames added), NX %s\n",
        mm_boot_info.free_after_boot, mm_boot_info.table_frames,
        arch_has_nx() ? "on" : "unavailable: data is executable");
    gnttab_peek_stats(&grants);
    if (grants.frames)
        add("  grants: table v%u, %u of %u frames (%lu refs, %u reserved)\n", grants.version,
            grants.frames, grants.max_frames, grants.refs, GNTTAB_NR_RESERVED_ENTRIES);
    else
        add("  grants: the table is set up at its first use\n");
    if (arch_tls_present())
        add("  tls: %lu bytes above each thread's stack, thread pointer set by %s\n",
            ALIGN_UP(arch_tls_reserve(), PAGE_SIZE), arch_tls_method());
    add("  cmdline: \"%s\"\n", cmdline);
    if (used == sizeof(text) - 1)
        text[used - 1] = '\n';
    console_write(text, used);
    used = 0;
}
