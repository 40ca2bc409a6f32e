/*
 * printf-style formatting into any sink (lib/format.c).
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, with the flags "-+ #0", a field
 * width and a precision (either may be '*'), and the length modifiers
 * hh h l ll z t j.  The output matches C99 printf for every combination the
 * standard defines (tests/unit/test_format.c checks it against the host's
 * libc).  %p prints "0x" and lower-case hex, or "(nil)" for NULL; %s of NULL
 * prints "(null)".  %n is refused: it turns a format string into a write
 * primitive.  An unknown conversion is copied to the output as written.
 * Widths and precisions above FORMAT_MAX_FIELD are clamped to it, so no
 * argument can make one conversion produce gigabytes.
 */
#ifndef KERNEL_FORMAT_H
#define KERNEL_FORMAT_H

#include <stdarg.h>
#include <stddef.h>
#include <minios/compiler.h>

#define FORMAT_MAX_FIELD 4096

struct format_sink {
    /* Receives each run of output; @len is never 0. */
    void (*write)(struct format_sink *sink, const char *s, size_t len);
};

/* Formats into @sink; returns the number of characters produced. */
int format_to_sink(struct format_sink *sink, const char *fmt, va_list ap);

/*
 * Formats into @buf (at most @size - 1 characters, then a NUL when @size is
 * not 0) and returns the length the full output would have had.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* KERNEL_FORMAT_H */
