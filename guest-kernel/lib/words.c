/*
 * words.c - command-line words.  (The guest's string and formatting
 * routines are the hypervisor's own xen-like/lib/string.c and vsnprintf.c,
 * compiled into the guest too: one implementation, tested on the host.)
 */
#include <stddef.h>

#include "lib.h"

/* Is `word` one of the space-separated words of `line`? */
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

/*
 * The value of the first word of `line` that starts with `key` (e.g.
 * "seed="), up to the next space, copied into out (size bytes, always
 * terminated; "" if there is no such word).
 */
void word_value(const char *line, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key), n = 0;
    const char *p;

    out[0] = '\0';
    for (p = line; *p; p++) {
        if ((p == line || p[-1] == ' ') && !strncmp(p, key, klen)) {
            for (p += klen; *p && *p != ' ' && n + 1 < size; p++)
                out[n++] = *p;
            out[n] = '\0';
            return;
        }
    }
}
