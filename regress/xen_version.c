/*
 * xen_version: what Xen says about itself (public/version.h).
 */
#include <string.h>
#include <minios/xen.h>
#include <xen/features.h>
#include <xen/version.h>
#include "regress.h"

XEN_TEST(xenver_version, TEST_FUNCTIONAL,
         "XENVER_version returns major << 16 | minor, at least 4.17",
         "public/version.h (XENVER_version)")
{
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);

    CHECK(v >= 0x40011 && (v >> 16) < 100, "XENVER_version returned %#lx", v);
    test_note("Xen %ld.%ld", v >> 16, v & 0xffff);
}

XEN_TEST(xenver_extraversion, TEST_FUNCTIONAL,
         "XENVER_extraversion fills a NUL-terminated string starting with '.'",
         "public/version.h (XENVER_extraversion)")
{
    xen_extraversion_t extra;

    memset(extra, 0x55, sizeof(extra));
    EXPECT_RC(HYPERVISOR_xen_version(XENVER_extraversion, extra), 0);
    CHECK(memchr(extra, '\0', sizeof(extra)) != NULL, "no NUL in the %zu bytes", sizeof(extra));
    CHECK(extra[0] == '.', "extraversion '%.16s' does not start with '.'", extra);
}

XEN_TEST(xenver_compile_info, TEST_FUNCTIONAL,
         "XENVER_compile_info names a compiler and a compile date",
         "public/version.h (XENVER_compile_info)")
{
    xen_compile_info_t info;

    memset(&info, 0, sizeof(info));
    EXPECT_RC(HYPERVISOR_xen_version(XENVER_compile_info, &info), 0);
    CHECK(info.compiler[0] != '\0' && info.compile_date[0] != '\0', "empty compiler or date");
}

XEN_TEST(xenver_capabilities, TEST_FUNCTIONAL,
         "XENVER_capabilities lists xen-3.0-x86_64, the ABI this guest uses",
         "public/version.h (XENVER_capabilities)")
{
    xen_capabilities_info_t caps;

    memset(caps, 0, sizeof(caps));
    EXPECT_RC(HYPERVISOR_xen_version(XENVER_capabilities, caps), 0);
    caps[sizeof(caps) - 1] = '\0';
    CHECK(strstr(caps, "xen-3.0-x86_64") != NULL, "capabilities '%s'", caps);
}

XEN_TEST(xenver_platform_parameters, TEST_FUNCTIONAL,
         "XENVER_platform_parameters: Xen's area starts at HYPERVISOR_VIRT_START",
         "public/version.h, public/arch-x86/xen-x86_64.h")
{
    xen_platform_parameters_t p = {0};

    EXPECT_RC(HYPERVISOR_xen_version(XENVER_platform_parameters, &p), 0);
    CHECK(p.virt_start == HYPERVISOR_VIRT_START, "virt_start %#lx, header says %#lx",
          (unsigned long)p.virt_start, (unsigned long)HYPERVISOR_VIRT_START);
}

XEN_TEST(xenver_get_features, TEST_FUNCTIONAL,
         "XENVER_get_features: a PV guest is not auto-translated nor a supervisor-mode kernel",
         "public/features.h")
{
    if (pv_only("checks a PV guest's feature bits; a PVH guest is auto-translated"))
        return;
    xen_feature_info_t fi = {.submap_idx = 0};

    EXPECT_RC(HYPERVISOR_xen_version(XENVER_get_features, &fi), 0);
    CHECK(!(fi.submap & (1U << XENFEAT_auto_translated_physmap)), "auto-translated: %#x",
          fi.submap);
    CHECK(!(fi.submap & (1U << XENFEAT_supervisor_mode_kernel)), "supervisor mode: %#x", fi.submap);
    CHECK(fi.submap & (1U << XENFEAT_mmu_pt_update_preserve_ad),
          "no MMU_PT_UPDATE_PRESERVE_AD: %#x", fi.submap);
    test_value("submap 0 = %#x", fi.submap);
}

XEN_TEST(xenver_features_beyond, TEST_NEGATIVE,
         "XENVER_get_features of a submap past the last is -EINVAL", "public/version.h")
{
    xen_feature_info_t fi = {.submap_idx = 1000};

    EXPECT_RC(HYPERVISOR_xen_version(XENVER_get_features, &fi), -XEN_EINVAL);
}

XEN_TEST(xenver_pagesize, TEST_FUNCTIONAL, "XENVER_pagesize is 4096",
         "public/version.h (XENVER_pagesize)")
{
    EXPECT_RC(HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
}

XEN_TEST(xenver_changeset, TEST_FUNCTIONAL, "XENVER_changeset fills a string",
         "public/version.h (XENVER_changeset)")
{
    xen_changeset_info_t cs;

    memset(cs, 0x55, sizeof(cs));
    EXPECT_RC(HYPERVISOR_xen_version(XENVER_changeset, cs), 0);
    CHECK(memchr(cs, '\0', sizeof(cs)) != NULL, "no NUL");
}

XEN_TEST(xenver_commandline, TEST_FUNCTIONAL,
         "XENVER_commandline gives dom0 Xen's command line (com1 is on it)",
         "public/version.h (XENVER_commandline)", .needs = TEST_NEEDS_DOM0)
{
    xen_commandline_t line;

    memset(line, 0, sizeof(line));
    EXPECT_RC(HYPERVISOR_xen_version(XENVER_commandline, line), 0);
    line[sizeof(line) - 1] = '\0';
    CHECK(strstr(line, "console=") != NULL, "command line '%s'", line);
}

XEN_TEST(
    xenver_commandline_domu, TEST_FUNCTIONAL,
    "XENVER_commandline answers a domU too (0 in 4.17.7); the value says whether the line is Xen's",
    "public/version.h (XENVER_commandline), xsm/dummy.h (xsm_xen_version)",
    .needs = TEST_NEEDS_DOMU)
{
    xen_commandline_t line;

    memset(line, 0, sizeof(line));
    EXPECT_RC(HYPERVISOR_xen_version(XENVER_commandline, line), 0);
    line[sizeof(line) - 1] = '\0';
    test_value("the line %s", strstr(line, "console=") ? "is Xen's" : "is withheld");
}

XEN_TEST(xenver_bad_pointer, TEST_NEGATIVE,
         "XENVER_extraversion into an unmapped buffer is -EFAULT", "public/version.h")
{
    EXPECT_RC(HYPERVISOR_xen_version(XENVER_extraversion, UNMAPPED), -XEN_EFAULT);
}

XEN_TEST(xenver_unknown, TEST_NEGATIVE, "an unknown xen_version sub-op is -ENOSYS",
         "public/version.h")
{
    EXPECT_RC(HYPERVISOR_xen_version(0x7fff, NULL), -XEN_ENOSYS);
}
