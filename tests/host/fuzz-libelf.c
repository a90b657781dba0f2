/*
 * fuzz-libelf.c - libFuzzer entry point for xen-like/common/libelf.c.
 *
 * Build (make fuzz-libelf) with clang -fsanitize=fuzzer,address,undefined
 * together with libelf.c and lib/string.c, all with -DHOST_TEST.  Each
 * input is copied into an exactly-sized buffer, parsed, and, if accepted,
 * loaded through a callback that reads every byte it is given, so any
 * read outside the image is caught by AddressSanitizer.
 */
#include <stdlib.h>

#include "lib.h"
#include "libelf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch_segment(void *ctx, uint64_t va, const void *src,
                         uint64_t filesz, uint64_t memsz)
{
    const volatile uint8_t *b = src;
    const struct elf_dom_parms *p = ctx;
    uint8_t sum = 0;

    /* The contract elf_load promises its callback. */
    if ( filesz > memsz || va < p->virt_kstart || memsz > p->virt_kend - va )
        abort();
    for ( uint64_t i = 0; i < filesz; i++ )
        sum += b[i];
    return sum == 1 ? -XEN_ENOMEM : 0;      /* exercise the error path too */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_dom_parms parms;
    const char *why = NULL;
    uint8_t *copy = malloc(size ? size : 1);

    if ( !copy )
        return 0;
    memcpy(copy, data, size);
    if ( elf_xen_parse(copy, size, &parms, &why) == 0 )
        elf_load(copy, size, &parms, touch_segment, &parms, &why);
    else if ( !why )
        abort();                            /* every refusal must say why */
    free(copy);
    return 0;
}
