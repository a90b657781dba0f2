/*
 * vsnprintf.c - bounded formatted output, the engine under printk.
 *
 * The contract (see lib.h) is the ISO C one, restricted to what a
 * hypervisor prints: integers, pointers, strings and characters.  There is
 * no floating point at all, because the hypervisor is built with
 * -mgeneral-regs-only and must never touch the guest's FPU state.
 *
 * Every character goes through one function, emit(), which counts it and
 * stores it only while there is room for it *and* for the terminating NUL.
 * Keeping the bound check in one place is what makes "never writes past
 * size" easy to trust, whatever the format string asks for.
 */
#include <stdint.h>

#include "lib.h"

/* Where output goes: buf[0..size), with pos counting every emitted char. */
struct out {
    char *buf;
    size_t size;
    size_t pos;
};

static void emit(struct out *o, char c)
{
    if ( o->size && o->pos < o->size - 1 )
        o->buf[o->pos] = c;
    o->pos++;
}

static void emit_repeat(struct out *o, char c, int n)
{
    while ( n-- > 0 )
        emit(o, c);
}

/* Conversion flags collected from the format string. */
#define F_LEFT   (1u << 0)   /* '-': pad on the right */
#define F_ZERO   (1u << 1)   /* '0': pad numbers with zeros */
#define F_PLUS   (1u << 2)   /* '+': always print a sign */
#define F_SPACE  (1u << 3)   /* ' ': space where a '+' would go */
#define F_ALT    (1u << 4)   /* '#': 0x / leading 0 */
#define F_UPPER  (1u << 5)   /* %X */

struct spec {
    unsigned int flags;
    int width;               /* minimum field width, 0 if none */
    int prec;                /* precision, -1 if none */
};

/* Print a string of len bytes inside the field described by sp. */
static void put_field(struct out *o, const char *s, size_t len,
                      const struct spec *sp)
{
    int pad = sp->width > 0 && (size_t)sp->width > len
              ? sp->width - (int)len : 0;

    if ( !(sp->flags & F_LEFT) )
        emit_repeat(o, ' ', pad);
    while ( len-- )
        emit(o, *s++);
    if ( sp->flags & F_LEFT )
        emit_repeat(o, ' ', pad);
}

/*
 * Print one integer.  The layout is: left padding, sign or prefix, zeros
 * (from precision, or from the '0' flag filling the width), digits, right
 * padding.  ISO C says the '0' flag is ignored with '-' or with an explicit
 * precision, and that precision 0 prints nothing at all for the value 0.
 */
static void put_number(struct out *o, unsigned long long val, int negative,
                       unsigned int base, const struct spec *sp)
{
    static const char lower[] = "0123456789abcdef";
    static const char upper[] = "0123456789ABCDEF";
    const char *digits = (sp->flags & F_UPPER) ? upper : lower;
    char tmp[24];            /* 22 octal digits cover 64 bits */
    char prefix[2];
    int ndigits = 0, nprefix = 0, zeros, pad;

    while ( val )
    {
        tmp[ndigits++] = digits[val % base];
        val /= base;
    }
    if ( ndigits == 0 && sp->prec != 0 )
        tmp[ndigits++] = '0';

    if ( negative )
        prefix[nprefix++] = '-';
    else if ( sp->flags & F_PLUS )
        prefix[nprefix++] = '+';
    else if ( sp->flags & F_SPACE )
        prefix[nprefix++] = ' ';

    /* '#' adds 0x only to a non-zero value (C rule); '#o' forces a 0. */
    if ( (sp->flags & F_ALT) && base == 16 && ndigits && tmp[ndigits - 1] != '0' )
    {
        prefix[nprefix++] = '0';
        prefix[nprefix++] = (sp->flags & F_UPPER) ? 'X' : 'x';
    }
    zeros = sp->prec > ndigits ? sp->prec - ndigits : 0;
    if ( (sp->flags & F_ALT) && base == 8 && zeros == 0 &&
         (ndigits == 0 || tmp[ndigits - 1] != '0') )
        zeros = 1;

    pad = sp->width - nprefix - zeros - ndigits;
    if ( (sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0 && pad > 0 )
    {
        zeros += pad;
        pad = 0;
    }

    if ( !(sp->flags & F_LEFT) )
        emit_repeat(o, ' ', pad);
    for ( int i = 0; i < nprefix; i++ )
        emit(o, prefix[i]);
    emit_repeat(o, '0', zeros);
    while ( ndigits )
        emit(o, tmp[--ndigits]);
    if ( sp->flags & F_LEFT )
        emit_repeat(o, ' ', pad);
}

/* Length modifiers, widest first so that "ll" can be told from "l". */
enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

/* Parse a decimal field (width/precision), clamped so it cannot overflow. */
static int parse_decimal(const char **fmt)
{
    int v = 0;

    while ( **fmt >= '0' && **fmt <= '9' )
    {
        if ( v < __INT_MAX__ / 10 )
            v = v * 10 + (**fmt - '0');
        (*fmt)++;
    }
    return v;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    struct out o = { .buf = buf, .size = size, .pos = 0 };
    va_list ap;

    /* Copy so that every va_arg below works on a local object. */
    va_copy(ap, args);

    while ( *fmt )
    {
        struct spec sp = { .flags = 0, .width = 0, .prec = -1 };
        enum length len = LEN_INT;
        const char *start = fmt;
        unsigned long long uval;
        long long sval;
        unsigned int base = 10;

        if ( *fmt != '%' )
        {
            emit(&o, *fmt++);
            continue;
        }
        fmt++;

        for ( ; ; fmt++ )
        {
            if ( *fmt == '-' )      sp.flags |= F_LEFT;
            else if ( *fmt == '0' ) sp.flags |= F_ZERO;
            else if ( *fmt == '+' ) sp.flags |= F_PLUS;
            else if ( *fmt == ' ' ) sp.flags |= F_SPACE;
            else if ( *fmt == '#' ) sp.flags |= F_ALT;
            else break;
        }

        if ( *fmt == '*' )
        {
            /* A negative '*' width means left-justify, as in ISO C. */
            sp.width = va_arg(ap, int);
            if ( sp.width < 0 )
            {
                sp.flags |= F_LEFT;
                sp.width = sp.width == (-__INT_MAX__ - 1) ? __INT_MAX__ : -sp.width;
            }
            fmt++;
        }
        else
            sp.width = parse_decimal(&fmt);

        if ( *fmt == '.' )
        {
            fmt++;
            if ( *fmt == '*' )
            {
                sp.prec = va_arg(ap, int);   /* negative: as if omitted */
                if ( sp.prec < 0 )
                    sp.prec = -1;
                fmt++;
            }
            else
                sp.prec = parse_decimal(&fmt);
        }

        if ( *fmt == 'h' )
        {
            fmt++;
            len = LEN_SHORT;
            if ( *fmt == 'h' )
            {
                fmt++;
                len = LEN_CHAR;
            }
        }
        else if ( *fmt == 'l' )
        {
            fmt++;
            len = LEN_LONG;
            if ( *fmt == 'l' )
            {
                fmt++;
                len = LEN_LLONG;
            }
        }
        else if ( *fmt == 'z' || *fmt == 't' )
        {
            /* size_t and ptrdiff_t are both 64-bit on x86_64. */
            fmt++;
            len = LEN_SIZE;
        }

        switch ( *fmt )
        {
        case 'd':
        case 'i':
            switch ( len )
            {
            case LEN_CHAR:  sval = (signed char)va_arg(ap, int); break;
            case LEN_SHORT: sval = (short)va_arg(ap, int); break;
            case LEN_LONG:  sval = va_arg(ap, long); break;
            case LEN_LLONG: sval = va_arg(ap, long long); break;
            case LEN_SIZE:  sval = (long long)va_arg(ap, ptrdiff_t); break;
            default:        sval = va_arg(ap, int); break;
            }
            /* Negate in unsigned arithmetic so LLONG_MIN does not overflow. */
            uval = sval < 0 ? 0ULL - (unsigned long long)sval
                            : (unsigned long long)sval;
            put_number(&o, uval, sval < 0, 10, &sp);
            break;

        case 'X':
            sp.flags |= F_UPPER;
            /* fall through */
        case 'x':
        case 'u':
        case 'o':
            base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
            switch ( len )
            {
            case LEN_CHAR:  uval = (unsigned char)va_arg(ap, unsigned int); break;
            case LEN_SHORT: uval = (unsigned short)va_arg(ap, unsigned int); break;
            case LEN_LONG:  uval = va_arg(ap, unsigned long); break;
            case LEN_LLONG: uval = va_arg(ap, unsigned long long); break;
            case LEN_SIZE:  uval = va_arg(ap, size_t); break;
            default:        uval = va_arg(ap, unsigned int); break;
            }
            /* Signed conversions' sign flags do not apply to unsigned ones. */
            sp.flags &= ~(F_PLUS | F_SPACE);
            put_number(&o, uval, 0, base, &sp);
            break;

        case 'p':
            /* Xen's default: the full 16 hex digits, zero padded, no 0x. */
            uval = (uintptr_t)va_arg(ap, void *);
            if ( sp.width == 0 )
            {
                sp.width = 2 * (int)sizeof(void *);
                sp.flags |= F_ZERO;
            }
            sp.flags &= ~(F_PLUS | F_SPACE);
            put_number(&o, uval, 0, 16, &sp);
            break;

        case 's':
        {
            const char *s = va_arg(ap, const char *);

            if ( !s )
                s = "(null)";
            /* strnlen: with a precision, s need not be NUL-terminated. */
            put_field(&o, s, sp.prec >= 0 ? strnlen(s, (size_t)sp.prec)
                                          : strlen(s), &sp);
            break;
        }

        case 'c':
        {
            char c = (char)va_arg(ap, int);

            put_field(&o, &c, 1, &sp);
            break;
        }

        case '%':
            emit(&o, '%');
            break;

        default:
            /*
             * Unknown conversion, or the format ended inside one: print the
             * directive as written so the mistake is visible in the log.
             */
            while ( start < fmt )
                emit(&o, *start++);
            if ( !*fmt )
                continue;
            emit(&o, *fmt);
            break;
        }
        fmt++;
    }

    va_end(ap);

    if ( size )
        buf[o.pos < size ? o.pos : size - 1] = '\0';
    return o.pos > __INT_MAX__ ? __INT_MAX__ : (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = vsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}
