/*
 * lib.h - the few C library functions a freestanding kernel needs.
 */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H

#include <stddef.h>
#include <stdarg.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/*
 * Formatted output into buf (always NUL-terminated when size > 0).
XX * l, ll, z, a field width and the flags '0' and '-'.
 * Returns the length the full output would have had.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Does the space-separated word list `line` contain `word`? */
int has_word(const char *line, const char *word);
/* The rest of the first word of `line` starting with `key` ("" if none). */
void word_value(const char *line, const char *key, char *out, size_t size);
/* xen-like/lib/string.c: a number in base 10, 16 (0x) or 8 (0) for base 0. */
unsigned long simple_strtoul(const char *s, const char **endp, unsigned int base);

#endif
