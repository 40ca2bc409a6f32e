/*
 * The hypervisor regression catalogue: tests of Xen's ABI as a PV guest
 * relies on it, each declared with XEN_TEST where it is written (a
 * category, the behaviour in one line, where Xen documents it).  Run by
 * `make regress` (scripts/regress.sh; docs/regress.md).  Arguments: test
 * names or patterns (xenver_*) to run only those; --list for the catalogue.
 */
#include <minios/test.h>

int main(int argc, char **argv)
{
    return test_main_all(argc, argv);
}
