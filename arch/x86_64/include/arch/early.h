/* Giving up before the console and the per-CPU area exist (setup.c). */
#ifndef ARCH_EARLY_H
#define ARCH_EARLY_H

#include <minios/compiler.h>

/* Says "minios: early boot failed: @what: @rc" through console_io, then crashes. */
void __noreturn early_crash(const char *what, long rc);

#endif /* ARCH_EARLY_H */
