/*
 * printk: format straight into the console through a small staging buffer,
 * holding the console lock for the whole message so that lines from
 * different vCPUs never interleave.  There is no length limit.
 */
#include <kernel/console.h>
#include <kernel/format.h>
#include <kernel/string.h>
#include <minios/console.h>

struct console_sink {
    struct format_sink sink;
    size_t used;
    char buf[256];
};

static void flush(struct console_sink *cs)
{
    if (cs->used) {
        console_write_locked(cs->buf, cs->used);
        cs->used = 0;
    }
}

static void console_sink_write(struct format_sink *sink, const char *s, size_t len)
{
    struct console_sink *cs = container_of(sink, struct console_sink, sink);

    while (len) {
        size_t n = sizeof(cs->buf) - cs->used;

        if (n > len)
            n = len;
        memcpy(cs->buf + cs->used, s, n);
        cs->used += n;
        s += n;
        len -= n;
        if (cs->used == sizeof(cs->buf))
            flush(cs);
    }
}

int vprintk(const char *fmt, va_list ap)
{
    struct console_sink cs = {.sink.write = console_sink_write, .used = 0};
    int n;

    console_lock();
    n = format_to_sink(&cs.sink, fmt, ap);
    flush(&cs);
    console_unlock();
    return n;
}

int printk(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}
