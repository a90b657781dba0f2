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
