/*
 * string.c - memory and string routines for a freestanding hypervisor.
 *
 * These are deliberately the plain byte-at-a-time versions: the hypervisor
 * copies little data outside of page copies, and a reader should be able to
 * check each loop against the ISO C contract at a glance.  GCC is allowed to
 * emit calls to memcpy/memmove/memset/memcmp even with -ffreestanding, so
 * these four must exist; with -ffreestanding it does not turn the loops
 * below back into calls to themselves.
 *
 * Under HOST_TEST every name here is renamed to xl_<name> by lib.h, so the
 * unit tests run this code instead of glibc's (see lib.h for why).
 */
#include <stdint.h>

#include "lib.h"

/*
 * Words may alias anything: memcpy and memset move 8 bytes at a time when
 * both ends are aligned, which matters under emulation (a page-sized
 * memset is 512 stores instead of 4096).
 */
typedef uint64_t __attribute__((may_alias)) word_t;

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ( (((uintptr_t)d | (uintptr_t)s) & 7) == 0 )
        for ( ; n >= 8; n -= 8, d += 8, s += 8 )
            *(word_t *)d = *(const word_t *)s;
    while ( n-- )
        *d++ = *s++;
    return dst;
}

/*
 * The regions may overlap, so copy backwards when the destination starts
 * inside the source; otherwise a forward copy would overwrite bytes it has
 * not read yet.
 */
void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ( (uintptr_t)d - (uintptr_t)s >= n )
    {
        /* No harmful overlap: d is before s, or at/after its end. */
        while ( n-- )
            *d++ = *s++;
    }
    else
    {
        d += n;
        s += n;
        while ( n-- )
            *--d = *--s;
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    word_t w = 0x0101010101010101ULL * (unsigned char)c;

    for ( ; n && ((uintptr_t)d & 7); n-- )
        *d++ = (unsigned char)c;
    for ( ; n >= 8; n -= 8, d += 8 )
        *(word_t *)d = w;
    while ( n-- )
        *d++ = (unsigned char)c;
    return dst;
}

/* Bytes compare as unsigned char, as ISO C requires. */
int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;

    for ( ; n; n--, p++, q++ )
        if ( *p != *q )
            return *p < *q ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;

    while ( *p )
        p++;
    return (size_t)(p - s);
}

/*
 * Bounded length: used whenever the string comes from somewhere untrusted
 * (an ELF note, a bootloader) and may lack its terminator.
 */
size_t strnlen(const char *s, size_t maxlen)
{
    size_t n = 0;

    while ( n < maxlen && s[n] )
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, SIZE_MAX);
}

int strncmp(const char *a, const char *b, size_t n)
{
    for ( ; n; n--, a++, b++ )
    {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

        if ( x != y )
            return x < y ? -1 : 1;
        if ( !x )
            break;
    }
    return 0;
}

/* As in ISO C, searching for '\0' finds the terminator. */
char *strchr(const char *s, int c)
{
    for ( ; ; s++ )
    {
        if ( *s == (char)c )
            return (char *)s;
        if ( !*s )
            return NULL;
    }
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if ( size )
    {
        size_t n = len < size - 1 ? len : size - 1;

        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

/* Value of c as a digit in any base up to 36, or 99 if it is not one. */
static unsigned int digit_value(char c)
{
    if ( c >= '0' && c <= '9' )
        return (unsigned int)(c - '0');
    if ( c >= 'a' && c <= 'z' )
        return (unsigned int)(c - 'a') + 10;
    if ( c >= 'A' && c <= 'Z' )
        return (unsigned int)(c - 'A') + 10;
    return 99;
}

unsigned long long simple_strtoull(const char *s, const char **endp,
                                   unsigned int base)
{
    const char *p = s;
    unsigned long long val = 0;
    int any = 0;

    /*
     * A "0x" prefix only counts when a hex digit follows it; otherwise
     * "0xyz" is the number 0 followed by "xyz", as in ISO C's strtoul.
     */
    if ( (base == 0 || base == 16) && p[0] == '0' &&
         (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16 )
    {
        p += 2;
        base = 16;
    }
    else if ( base == 0 )
        base = p[0] == '0' ? 8 : 10;

    if ( base < 2 || base > 36 )
    {
        if ( endp )
            *endp = s;
        return 0;
    }

    for ( ; digit_value(*p) < base; p++ )
    {
        unsigned int d = digit_value(*p);

        any = 1;
        if ( val > (UINT64_MAX - d) / base )
            val = UINT64_MAX;              /* saturate, keep consuming */
        else
            val = val * base + d;
    }

    if ( endp )
        *endp = any ? p : s;
    return val;
}

/* On x86_64 (LP64) long and long long are both 64 bits wide. */
_Static_assert(sizeof(unsigned long) == sizeof(unsigned long long),
               "simple_strtoul relies on LP64");

unsigned long simple_strtoul(const char *s, const char **endp, unsigned int base)
{
    return (unsigned long)simple_strtoull(s, endp, base);
}
