/*
 * The banner: minios and Xen versions, what kind of domain we are, how much
 * memory and how many vCPUs Xen gave us, and the command line.  Each fact is
 * asked of Xen here, and a failed question is printed as such, not guessed.
 */
#include <kernel/banner.h>
#include <kernel/mm.h>
#include <minios/console.h>
#include <minios/gnttab.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/page.h>
#include <minios/version.h>

/* VCPUOP_is_up answers -ENOENT past the last vCPU the domain has. */
static void count_vcpus(unsigned int *exist, unsigned int *up)
{
    *exist = *up = 0;
    for (unsigned int id = 0; id < 4096; id++) {
        int rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL);

        if (rc < 0) {
            if (rc != -XEN_ENOENT)
                printk("banner: VCPUOP_is_up(%u) failed: %d (%s)\n", id, rc,
                       xen_strerror(rc));
            break;
        }
        (*exist)++;
        *up += rc > 0;
    }
}

void print_banner(const char *cmdline)
{
    xen_extraversion_t extra = { 0 };
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);
    long rc = HYPERVISOR_xen_version(XENVER_extraversion, extra);
    unsigned int vcpus, vcpus_up;
    struct gnttab_stats grants;

    if (rc < 0)
        extra[0] = '\0';
    extra[sizeof(extra) - 1] = '\0';
    count_vcpus(&vcpus, &vcpus_up);

    printk("minios " MINIOS_VERSION " (x86_64 PV) on Xen %ld.%ld%s\n",
           version >> 16, version & 0xffff, extra);
    printk("  %s, %lu pages (%lu MiB), %u vCPUs (%u up)\n",
           xen_is_initial_domain() ? "dom0" : "domU", start_info.nr_pages,
           start_info.nr_pages >> (20 - PAGE_SHIFT), vcpus, vcpus_up);
    printk("  memory: %lu frames free after boot (%lu page-table frames added), NX %s\n",
           mm_boot_info.free_after_boot, mm_boot_info.table_frames,
           arch_has_nx() ? "on" : "unavailable: data is executable");
    gnttab_get_stats(&grants);
    printk("  grants: table v%u, %u of %u frames (%lu refs, %u reserved)\n", grants.version,
           grants.frames, grants.max_frames, grants.refs, GNTTAB_NR_RESERVED_ENTRIES);
    printk("  cmdline: \"%s\"\n", cmdline);
}
