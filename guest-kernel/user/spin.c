/* spin.c - takes turns with its siblings: yield, then sleep. */
#include "ulib.h"

int main(void)
{
    int i;

    for (i = 0; i < 4; i++) {
        printf("# [spin pid %ld] round %d\n", getpid(), i);
        if (i & 1)
            sleep(2);
        else
            yield();
    }
    return i;
}
