/*
 * The report for newlib's heap checks (scripts/newlib-patches/
 * mallocr-checks.patch): free() or realloc() was handed a block that is
 * already free, that malloc never returned, or whose chunk header an
 * overrun has overwritten.  Carrying on would corrupt the heap silently
 * (the next two mallocs returning the same block), so the run ends as a
 * crash, like a CPU fault: what was wrong, the function that called the
 * allocator, and a backtrace.
 */
#include <stdbool.h>
#include <string.h>

#include <kernel/symbols.h>
#include <minios/kernel.h>

void __malloc_corrupt(const char *what, const void *mem) __attribute__((noreturn));

/* newlib's own entry points between the application and the check. */
static bool in_allocator(const char *name)
{
    static const char *const names[] = {
        "free",     "_free_r",     "cfree",        "realloc",          "_realloc_r",
        "reallocf", "_reallocf_r", "reallocarray", "__malloc_corrupt",
    };

    for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

/*
 * The first return address on the frame-pointer chain that is outside the
 * allocator: who called free().  The chain is our own thread's stack,
 * built by code compiled with frame pointers, and the walk is bounded.
 */
static unsigned long allocator_caller(void)
{
    const unsigned long *frame = __builtin_frame_address(0);

    for (int depth = 0; frame && depth < 16; depth++) {
        unsigned long ret = frame[1], offset;
        const char *name = symbol_lookup(ret, &offset);

        if (!name)
            return 0;
        if (!in_allocator(name))
            return ret;
        if ((const unsigned long *)frame[0] <= frame)
            return 0;
        frame = (const unsigned long *)frame[0];
    }
    return 0;
}

void __malloc_corrupt(const char *what, const void *mem)
{
    unsigned long caller = allocator_caller(), offset = 0;
    const char *name = caller ? symbol_lookup(caller, &offset) : NULL;

    if (name)
        panic("heap: %s: free(%p) called from %s+%#lx", what, mem, name, offset);
    panic("heap: %s: free(%p)", what, mem);
}
