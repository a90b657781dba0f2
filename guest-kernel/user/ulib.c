/* ulib.c - system calls (`syscall`, bounced by Xen to the kernel) and printf. */
#include "ulib.h"

long sys3(long nr, long a1, long a2, long a3)
{
    register long rdi __asm__("rdi") = a1;
    register long rsi __asm__("rsi") = a2;
    register long rdx __asm__("rdx") = a3;
    long rax = nr;

    __asm__ volatile ("syscall" : "+a" (rax), "+r" (rdi), "+r" (rsi), "+r" (rdx)
                      : : "rcx", "r11", "r8", "r9", "r10", "memory");
    return rax;
}

long wait(long *status)
{
    register long rdx __asm__("rdx") = 0;
    long rax = SYS_wait;

    __asm__ volatile ("syscall" : "+a" (rax), "+r" (rdx)
                      : : "rcx", "r11", "rdi", "rsi", "r8", "r9", "r10", "memory");
    if (status)
        *status = rdx;
    return rax;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

/* %d %ld %u %lu %x %lx %s %c, no widths. */
int printf(const char *fmt, ...)
{
    char buf[256], tmp[24];
    size_t n = 0;
    va_list ap;

    va_start(ap, fmt);
    for (; *fmt && n < sizeof(buf) - 24; fmt++) {
        int lng = 0, base = 10, neg = 0;
        unsigned long v;
        size_t k = 0;

        if (*fmt != '%') {
            buf[n++] = *fmt;
            continue;
        }
        if (*++fmt == 'l') {
            lng = 1;
            fmt++;
        }
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            while (*s && n < sizeof(buf) - 24)
                buf[n++] = *s++;
            continue;
        }
        case 'c': buf[n++] = (char)va_arg(ap, int); continue;
        case 'x': base = 16; /* fall through */
        case 'u': v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int); break;
        case 'd': {
            long s = lng ? va_arg(ap, long) : va_arg(ap, int);
            neg = s < 0;
            v = neg ? -(unsigned long)s : (unsigned long)s;
            break;
        }
        default: buf[n++] = *fmt; continue;
        }
        do {
            tmp[k++] = "0123456789abcdef"[v % base];
            v /= base;
        } while (v);
        if (neg)
            buf[n++] = '-';
        while (k)
            buf[n++] = tmp[--k];
    }
    va_end(ap);
    write(buf, n);
    return (int)n;
}
