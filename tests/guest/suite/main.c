/*
 * The in-guest test suite: everything that can be checked from inside one
 * running kernel, under the real Xen.  Each file next to this one holds the
 * tests of one subsystem, each declared where it is written (TEST_DEFINE);
 * this runs them all, in file order.  Pass test names as arguments to run
 * only those.
 */
#include <minios/test.h>

int main(int argc, char **argv)
{
    return test_main_all(argc, argv);
}
