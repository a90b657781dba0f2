/*
 * lib.h - the hypervisor's small C library: string and memory helpers, a
 * number parser and vsnprintf.
 *
 * xen-like is freestanding: there is no libc underneath it, so the handful
 * of routines every kernel needs live in xen-like/lib/.  The compiler itself
 * may also emit calls to memcpy, memmove, memset and memcmp (for structure
 * copies and zeroing), which is why those four must exist under exactly
 * their standard names in the hypervisor image.
 *
 * Host unit tests (HOST_TEST defined) compile the very same .c files into a
 * normal Linux program that is linked against glibc and the ASan/UBSan
 * runtimes.  Defining a second global "memcpy" or "vsnprintf" there would
 * clash with glibc and, worse, silently replace the sanitizer's interceptors
 * for the whole test program.  The choice made here is therefore: under
 * HOST_TEST this header renames every routine that libc also provides to an
 * xl_-prefixed symbol (memcpy -> xl_memcpy, ...).  Both the library and any
 * code that includes this header see the same rename, so tests exercise our
 * implementation, while libc keeps its own.  A host translation unit that
 * wants the libc routine simply does not include lib.h.  Names libc does
 * not have (simple_strtoul, ...) are never renamed.
 */
#ifndef XEN_LIKE_LIB_H
#define XEN_LIKE_LIB_H

#include <stdarg.h>
#include <stddef.h>

#ifdef HOST_TEST
#define memcpy    xl_memcpy
#define memmove   xl_memmove
#define memset    xl_memset
#define memcmp    xl_memcmp
#define strlen    xl_strlen
#define strnlen   xl_strnlen
#define strcmp    xl_strcmp
#define strncmp   xl_strncmp
#define strchr    xl_strchr
#define strlcpy   xl_strlcpy
#define vsnprintf xl_vsnprintf
#define snprintf  xl_snprintf
#endif

/* Memory blocks (xen-like/lib/string.c).  Same contracts as ISO C. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* NUL-terminated strings (xen-like/lib/string.c). */
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);      /* never reads past maxlen */
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/*
 * Copy src into dst[size], always NUL-terminating when size > 0, and return
 * strlen(src) so that a result >= size tells the caller it truncated (the
 * BSD strlcpy contract, which Xen uses too).
 */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * Parse an unsigned number the way Xen's simple_strtoul does: base 0 picks
 * 16 for a "0x"/"0X" prefix, 8 for a leading "0" and 10 otherwise; base 16
 * also accepts (and skips) the "0x" prefix.  Leading spaces are not skipped.
 * *endp (if endp is not NULL) is set to the first character not consumed;
 * when no digit was found it is set to s itself, so callers detect garbage
 * with "endp == s".  A value too big for the result saturates at the type's
 * maximum rather than wrapping, so an absurd command-line value can never
 * turn into a small one.
 */
unsigned long simple_strtoul(const char *s, const char **endp, unsigned int base);
unsigned long long simple_strtoull(const char *s, const char **endp,
                                   unsigned int base);

/*
 * Formatted output (xen-like/lib/vsnprintf.c).  Conversions: d i u x X o p
 * s c %; flags - 0 + space #; width and precision (either may be '*');
 * length modifiers hh h l ll z t.  %p prints the pointer as 16 zero-padded
 * hex digits without a prefix, as Xen does.  A NULL %s prints "(null)".
 * The output is always NUL-terminated when size > 0, nothing is written at
 * or past buf[size], and the return value is the length the full output
 * would have had (so a result >= size means it was truncated).
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* XEN_LIKE_LIB_H */
