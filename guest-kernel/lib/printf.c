/*
 * printf.c - a small vsnprintf for kernel messages.
 *
 * Supported: %d %i %u %x %X %p %s %c %%; length modifiers l, ll, z;
 * a decimal field width; flags '0' (pad numbers with zeros), '-' (pad
 * on the right) and '#' (0x before %x); a precision for %s (%.32s).
 * %p prints 0x and 16 hex digits.  Anything else is copied through.
 */
#include <stdbool.h>
#include <stdint.h>
#include "lib.h"

struct out {
    char *buf;
    size_t size;
    size_t len;                 /* characters produced so far */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

/* Put `s` (len chars) in a field of `width`, padded with `fill`. */
static void field(struct out *o, const char *s, int len, int width,
                  bool left, char fill)
{
    if (!left)
        pad(o, fill, width - len);
    for (int i = 0; i < len; i++)
        put(o, s[i]);
    if (left)
        pad(o, ' ', width - len);
}

static void number(struct out *o, unsigned long long v, bool negative,
                   unsigned int base, bool upper, int width, bool left,
                   bool zero)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);

    if (negative) {
        if (zero && !left) {
            /* "-0042": the sign goes before the zeros. */
            put(o, '-');
            width--;
        } else {
            tmp[n++] = '-';
        }
    }

    char out[24];
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    field(o, out, n, width, left, zero && !left ? '0' : ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }

        const char *start = fmt++;
        bool left = false, zero = false, alt = false;
        int width = 0, longs = 0, prec = -1;

        for (;; fmt++) {
            if (*fmt == '-')
                left = true;
            else if (*fmt == '0')
                zero = true;
            else if (*fmt == '#')
                alt = true;
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        if (*fmt == '.') {           /* precision: only used by %s */
            prec = 0;
            for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
                prec = prec * 10 + (*fmt - '0');
        }
        for (;; fmt++) {
            if (*fmt == 'l')
                longs++;
            else if (*fmt == 'z')
                longs = 1;
            else
                break;
        }

        switch (*fmt) {
        case 'd':
        case 'i': {
            /* long long and long are both 64-bit on x86_64. */
            long long v = longs ? va_arg(ap, long) : va_arg(ap, int);
            number(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v,
                   v < 0, 10, false, width, left, zero);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long long v = longs ? va_arg(ap, unsigned long)
                                         : va_arg(ap, unsigned int);
            if (alt && *fmt != 'u') {
                put(&o, '0');
                put(&o, 'x');
                width -= 2;
            }
            number(&o, v, false, *fmt == 'u' ? 10 : 16, *fmt == 'X', width,
                   left, zero);
            break;
        }
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, 16,
                   false, true);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            field(&o, s, prec < 0 ? (int)strlen(s) : (int)strnlen(s, (size_t)prec),
                  width, left, ' ');
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            field(&o, &c, 1, width, left, ' ');
            break;
        }
        case '%':
            put(&o, '%');
            break;
        default:                /* unknown: copy the conversion as is */
            while (start <= fmt && *start)
                put(&o, *start++);
            if (!*fmt)
                fmt--;
            break;
        }
    }

    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
