/*
 * assert()'s failure: the message on the console, then abort(), which
 * crashes the domain saying why (syscalls.c: kill).  newlib's own prints
 * with fiprintf() to stderr, which links a second printf (and stdio under
 * it) into every program that asserts, and into any that uses newlib code
 * that does (its dtoa, behind printf's %f).
 */
#include <assert.h>
#include <stddef.h>
#include <stdlib.h>

#include <kernel/console.h>
#include <minios/console.h>

void __assert_func(const char *file, int line, const char *func, const char *expr)
{
    console_start_line();
    printk("assertion \"%s\" failed: file \"%s\", line %d%s%s\n", expr, file, line,
           func ? ", function: " : "", func ? func : "");
    abort();
}

void __assert(const char *file, int line, const char *expr)
{
    __assert_func(file, line, NULL, expr);
}
