/* hello.c - a program init's children exec: touch the heap, say hello. */
#include "ulib.h"

int main(void)
{
    char *p = sbrk(2 * 4096);

    p[0] = 'h';
    p[4096] = 'w';
    printf("# [hello pid %ld] hello, world (exec'd; heap at %lx)\n",
           getpid(), (long)p);
    return 42;
}
