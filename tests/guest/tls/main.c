/*
 * Thread-local storage (_Thread_local, __thread) in an application:
 * initial values in every thread, 64 threads over every vCPU through
 * thousands of switches and migrations, large alignment, threads started
 * by threads, destructors at exit, and what a switch costs.  Booted by
 * tests/libc.sh as dom0 at 1 and 4 vCPUs (with and without the wrfsbase
 * instruction) and by tests/domu.sh as a domU.
 */
#include <minios/test.h>

int main(int argc, char **argv)
{
    return test_main_all(argc, argv);
}
