/*
 * The banner: minios and Xen versions, what kind of domain we are, how much
 * memory and how many vCPUs Xen gave us, who the toolstack says we are
 * (from xenstore), and the command line.  Each fact is asked of Xen or
 * xenstore here, and a failed question is printed as such, not guessed.
 */
#include <kernel/arch.h>
#include <kernel/banner.h>
#include <kernel/format.h>
#include <kernel/mm.h>
#include <kernel/xs_text.h>
#include <minios/console.h>
#include <minios/gnttab.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/page.h>
#include <minios/version.h>
#include <minios/xenstore.h>

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
        printk("  %s\n", xen_is_initial_domain() ? "no xenstore (dom0 without a store)"
                                                 : "no xenstore: the connection failed");
        return;
    }
    identity_value("name", true, name, sizeof(name));
    identity_value("vm", false, vm, sizeof(vm));
    printk("  %s %u %s, vm %s\n", xen_is_initial_domain() ? "dom0" : "domU", xen_self_domid(), name,
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
    vcpus = arch_vcpu_census(&vcpus_up);

    printk("minios " MINIOS_VERSION " (x86_64 %s) on Xen %ld.%ld%s\n", arch_boot_mode(),
           version >> 16, version & 0xffff, extra);
    printk("  %s, %lu pages (%lu MiB), %u vCPUs (%u up)\n",
           xen_is_initial_domain() ? "dom0" : "domU", start_info.nr_pages,
           start_info.nr_pages >> (20 - PAGE_SHIFT), vcpus, vcpus_up);
    print_identity();
    printk("  memory: %lu frames free after boot (%lu page-table frames added), NX %s\n",
           mm_boot_info.free_after_boot, mm_boot_info.table_frames,
           arch_has_nx() ? "on" : "unavailable: data is executable");
    gnttab_get_stats(&grants);
    printk("  grants: table v%u, %u of %u frames (%lu refs, %u reserved)\n", grants.version,
           grants.frames, grants.max_frames, grants.refs, GNTTAB_NR_RESERVED_ENTRIES);
    if (arch_tls_present())
        printk("  tls: %lu bytes above each thread's stack, thread pointer set by %s\n",
               ALIGN_UP(arch_tls_reserve(), PAGE_SIZE), arch_tls_method());
    printk("  cmdline: \"%s\"\n", cmdline);
}
