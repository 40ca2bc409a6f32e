/*
 * The printf engine: parses one conversion specification at a time into a
 * struct spec, then renders it as   [spaces][prefix][zeros][body][spaces]
 * where the prefix is a sign or "0x" and the zeros come from the precision or
 * the '0' flag.  Output goes to a sink in runs, never one call per byte.
 */
#include <kernel/format.h>
#include <kernel/string.h>
#include <stdbool.h>
#include <stdint.h>

enum length {
    LEN_INT,
    LEN_CHAR,
    LEN_SHORT,
    LEN_LONG,
    LEN_LLONG,
    LEN_SIZE,
    LEN_PTRDIFF,
    LEN_INTMAX
};

struct spec {
    bool left;     /* '-' */
    bool plus;     /* '+' */
    bool space;    /* ' ' */
    bool alt;      /* '#' */
    bool zero;     /* '0' */
    int width;     /* 0 when absent */
    int precision; /* -1 when absent */
    enum length length;
};

struct out {
    struct format_sink *sink;
    size_t count;
};

static void put(struct out *o, const char *s, size_t len)
{
    if (len) {
        o->sink->write(o->sink, s, len);
        o->count += len;
    }
}

static void put_repeat(struct out *o, char c, int n)
{
    static const char spaces[16] = "                ";
    static const char zeros[16] = "0000000000000000";
    const char *run = c == '0' ? zeros : spaces;

    while (n > 0) {
        int chunk = n < 16 ? n : 16;

        put(o, run, (size_t)chunk);
        n -= chunk;
    }
}

/* Renders a body of known length with the width and prefix rules. */
static void put_field(struct out *o, const struct spec *sp, const char *prefix, size_t prefix_len,
                      int zeros, const char *body, size_t body_len)
{
    int used = (int)(prefix_len + body_len) + zeros;
    int pad = sp->width > used ? sp->width - used : 0;

    if (!sp->left)
        put_repeat(o, ' ', pad);
    put(o, prefix, prefix_len);
    put_repeat(o, '0', zeros);
    put(o, body, body_len);
    if (sp->left)
        put_repeat(o, ' ', pad);
}

/* An integer to render: its magnitude and how to write it. */
struct number {
    uintmax_t value;
    unsigned int base; /* 8, 10 or 16 */
    bool is_signed;    /* %d: a sign (or '+', ' ') may precede it */
    bool negative;
    bool upper;      /* %X */
    bool hex_prefix; /* "0x" even without '#' (%p) */
};

static void put_integer(struct out *o, const struct spec *sp, struct number n)
{
    const char *digit_set = n.upper ? "0123456789ABCDEF" : "0123456789abcdef";
    uintmax_t value = n.value;
    unsigned int base = n.base;
    char digits[sizeof(uintmax_t) * 3];
    char prefix[2];
    size_t ndigits = 0, prefix_len = 0;
    int zeros = 0;

    /* Digits, least significant first, then reversed in place. */
    if (!(value == 0 && sp->precision == 0)) {
        do {
            digits[ndigits++] = digit_set[value % base];
            value /= base;
        } while (value);
        for (size_t i = 0; i < ndigits / 2; i++) {
            char t = digits[i];

            digits[i] = digits[ndigits - 1 - i];
            digits[ndigits - 1 - i] = t;
        }
    }

    if (n.is_signed) {
        if (n.negative)
            prefix[prefix_len++] = '-';
        else if (sp->plus)
            prefix[prefix_len++] = '+';
        else if (sp->space)
            prefix[prefix_len++] = ' ';
    }
    if (base == 16 && (n.hex_prefix || (sp->alt && ndigits && digits[0] != '0'))) {
        prefix[prefix_len++] = '0';
        prefix[prefix_len++] = n.upper ? 'X' : 'x';
    }

    if (sp->precision >= 0) {
        if ((size_t)sp->precision > ndigits)
            zeros = sp->precision - (int)ndigits;
    } else if (sp->zero && !sp->left && sp->width > (int)(prefix_len + ndigits)) {
        zeros = sp->width - (int)(prefix_len + ndigits);
    }
    /* '#' with octal: the first digit printed must be a zero. */
    if (base == 8 && sp->alt && zeros == 0 && (ndigits == 0 || digits[0] != '0'))
        zeros = 1;

    put_field(o, sp, prefix, prefix_len, zeros, digits, ndigits);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
    size_t len = sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s);

    put_field(o, sp, NULL, 0, 0, s, len);
}

static intmax_t fetch_signed(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR:
        return (signed char)va_arg(*ap, int);
    case LEN_SHORT:
        return (short)va_arg(*ap, int);
    case LEN_LONG:
        return va_arg(*ap, long);
    case LEN_LLONG:
        return va_arg(*ap, long long);
    case LEN_SIZE:
        return va_arg(*ap, long); /* ssize_t */
    case LEN_PTRDIFF:
        return va_arg(*ap, ptrdiff_t);
    case LEN_INTMAX:
        return va_arg(*ap, intmax_t);
    default:
        return va_arg(*ap, int);
    }
}

static uintmax_t fetch_unsigned(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR:
        return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_SHORT:
        return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_LONG:
        return va_arg(*ap, unsigned long);
    case LEN_LLONG:
        return va_arg(*ap, unsigned long long);
    case LEN_SIZE:
        return va_arg(*ap, size_t);
    case LEN_PTRDIFF:
        return (uintmax_t)va_arg(*ap, ptrdiff_t);
    case LEN_INTMAX:
        return va_arg(*ap, uintmax_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

/* Reads a decimal field, clamped to FORMAT_MAX_FIELD. */
static int parse_number(const char **pp)
{
    const char *p = *pp;
    int n = 0;

    while (*p >= '0' && *p <= '9') {
        n = n * 10 + (*p - '0');
        if (n > FORMAT_MAX_FIELD)
            n = FORMAT_MAX_FIELD;
        p++;
    }
    *pp = p;
    return n;
}

/* Parses flags, width, precision and length; leaves *pp at the conversion. */
static void parse_spec(const char **pp, struct spec *sp, va_list *ap)
{
    const char *p = *pp;

    *sp = (struct spec){.precision = -1};
    for (;; p++) {
        if (*p == '-')
            sp->left = true;
        else if (*p == '+')
            sp->plus = true;
        else if (*p == ' ')
            sp->space = true;
        else if (*p == '#')
            sp->alt = true;
        else if (*p == '0')
            sp->zero = true;
        else
            break;
    }

    if (*p == '*') {
        int w = va_arg(*ap, int);

        if (w < 0) {
            sp->left = true;
            w = w < -FORMAT_MAX_FIELD ? FORMAT_MAX_FIELD : -w;
        }
        sp->width = w > FORMAT_MAX_FIELD ? FORMAT_MAX_FIELD : w;
        p++;
    } else {
        sp->width = parse_number(&p);
    }

    if (*p == '.') {
        p++;
        if (*p == '*') {
            int prec = va_arg(*ap, int);

            sp->precision = prec < 0 ? -1 : prec > FORMAT_MAX_FIELD ? FORMAT_MAX_FIELD : prec;
            p++;
        } else {
            sp->precision = parse_number(&p);
        }
    }

    switch (*p) {
    case 'h':
        p++;
        sp->length = LEN_SHORT;
        if (*p == 'h') {
            p++;
            sp->length = LEN_CHAR;
        }
        break;
    case 'l':
        p++;
        sp->length = LEN_LONG;
        if (*p == 'l') {
            p++;
            sp->length = LEN_LLONG;
        }
        break;
    case 'z':
        p++;
        sp->length = LEN_SIZE;
        break;
    case 't':
        p++;
        sp->length = LEN_PTRDIFF;
        break;
    case 'j':
        p++;
        sp->length = LEN_INTMAX;
        break;
    }
    *pp = p;
}

/* Renders conversion @conv, parsed into @sp; false if it is not one we know. */
static bool put_conversion(struct out *o, struct spec *sp, char conv, va_list *ap)
{
    switch (conv) {
    case 'd':
    case 'i': {
        intmax_t v = fetch_signed(ap, sp->length);

        put_integer(o, sp,
                    (struct number){.value = v < 0 ? -(uintmax_t)v : (uintmax_t)v,
                                    .base = 10,
                                    .is_signed = true,
                                    .negative = v < 0});
        return true;
    }
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        put_integer(o, sp,
                    (struct number){.value = fetch_unsigned(ap, sp->length),
                                    .base = conv == 'o'   ? 8
                                            : conv == 'u' ? 10
                                                          : 16,
                                    .upper = conv == 'X'});
        return true;
    case 'p': {
        void *ptr = va_arg(*ap, void *);

        sp->zero = false;
        if (ptr == NULL) {
            sp->precision = -1;
            put_string(o, sp, "(nil)");
        } else {
            sp->plus = sp->space = false;
            put_integer(o, sp,
                        (struct number){.value = (uintptr_t)ptr, .base = 16, .hex_prefix = true});
        }
        return true;
    }
    case 'c': {
        char c = (char)va_arg(*ap, int);

        put_field(o, sp, NULL, 0, 0, &c, 1);
        return true;
    }
    case 's': {
        const char *str = va_arg(*ap, const char *);

        put_string(o, sp, str ? str : "(null)");
        return true;
    }
    case '%':
        put(o, "%", 1);
        return true;
    default:
        return false; /* unknown, or refused like %n */
    }
}

int format_to_sink(struct format_sink *sink, const char *fmt, va_list ap_in)
{
    struct out o = {.sink = sink, .count = 0};
    const char *p = fmt;
    va_list ap;

    va_copy(ap, ap_in);
    while (*p) {
        const char *start = p;
        struct spec sp;

        /* Literal text up to the next '%' goes out as one run. */
        while (*p && *p != '%')
            p++;
        put(&o, start, (size_t)(p - start));
        if (!*p)
            break;

        start = p++;
        parse_spec(&p, &sp, &ap);
        if (!*p) {
            /* A lone '%' at the end: print what was there. */
            put(&o, start, (size_t)(p - start));
            break;
        }
        /* What we do not know is copied as it was written. */
        if (!put_conversion(&o, &sp, *p, &ap))
            put(&o, start, (size_t)(p - start + 1));
        p++;
    }
    va_end(ap);
    return o.count > INT32_MAX ? INT32_MAX : (int)o.count;
}

struct buffer_sink {
    struct format_sink sink;
    char *buf;
    size_t size; /* capacity, including the NUL */
    size_t used; /* characters stored so far */
};

static void buffer_write(struct format_sink *sink, const char *s, size_t len)
{
    struct buffer_sink *b = container_of(sink, struct buffer_sink, sink);

    if (b->size == 0 || b->used >= b->size - 1)
        return;
    if (len > b->size - 1 - b->used)
        len = b->size - 1 - b->used;
    memcpy(b->buf + b->used, s, len);
    b->used += len;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer_sink b = {.sink.write = buffer_write, .buf = buf, .size = size};
    int n = format_to_sink(&b.sink, fmt, ap);

    if (size)
        buf[b.used] = '\0';
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
