/*
 * string.c - memory and string helpers.  The compiler may also emit calls
 * to memset/memcpy/memcmp by itself (struct copies, initialisers), so
 * these must exist in any freestanding program.
 */
#include "lib.h"

void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;

    while (n--)
        *p++ = (unsigned char)c;
    return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    while (n--)
        *d++ = *s++;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            break;
    }
    return 0;
}

int has_word(const char *line, const char *word)
{
    size_t len = strlen(word);

    while (*line) {
        while (*line == ' ')
            line++;
        if (strncmp(line, word, len) == 0 && (line[len] == ' ' || !line[len]))
            return 1;
        while (*line && *line != ' ')
            line++;
    }
    return 0;
}
