/* Panics from a few calls deep, so the report has a backtrace to show. */
#include <minios/kernel.h>

static __attribute__((noinline)) void third(int value)
{
    if (value == 42)
        panic("deliberate panic from the test (value %d)", value);
}

static __attribute__((noinline)) void second(int value)
{
    third(value + 1);
    __asm__ volatile("" ::: "memory"); /* keep these real calls */
}

static __attribute__((noinline)) void first(int value)
{
    second(value + 1);
    __asm__ volatile("" ::: "memory");
}

int main(void)
{
    first(40);
    return 0;
}
