/*
 * POSIX threads on minios, one test per function family, each checking
 * what the function does and the errors POSIX says it returns.  Run with
 * 1 and 4 vCPUs by tests/libc.sh.
 */
#include "pthread_tests.h"

int main(int argc, char **argv)
{
    return test_main_all(argc, argv);
}
