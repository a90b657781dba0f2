/*
 * fuzz-boot.c - libFuzzer over the hypervisor's boot-input parsers: the
 * multiboot1 and multiboot2 info walkers (common/multiboot.c), the
 * command-line options (common/cmdline.c) and the module-string cooking,
 * everything a boot loader (or whoever edits its config) hands us.
 *
 * Input byte 0 picks the target:
 *   0, 1  a valid multiboot1 / multiboot2 blob (tests/host/boot-blob.c),
 *         then patched: each following 3 bytes are (offset lo, offset hi,
 *         value), so mutations land inside a structure that otherwise
 *         parses, which is where the interesting checks are;
 *   2, 3  the rest of the input is the raw info structure at the info
 *         address of the mb1 / mb2 layout, in a buffer exactly its size;
 *   4     the rest is a hypervisor command line.
 * Whatever parses is then used as the hypervisor uses it: every module
 * string and the command line are cooked and the options parsed.  "Physical
 * memory" is an exactly-sized heap buffer, so ASan catches any read the
 * parsers make without asking phys_map first.
 *
 *   make fuzz-boot [FUZZ_SECONDS=N]
 */
#define BOOT_BLOB_BUILDER
#include <stdlib.h>
#include <stdio.h>
#include "boot-blob.h"
#include "cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct phys valid[2];
static struct boot_info bi;

static void quiet(const char *msg)
{
    (void)msg;
}

static void use_cmdline(const char *s)
{
    cmdline_reset_defaults();
    cmdline_parse(s, quiet);
}

static void use(const struct boot_info *b)
{
    use_cmdline(cmdline_cook(b->cmdline, b->loader, b->protocol));
    for (unsigned int i = 0; i < b->nr_modules && i < BOOT_MAX_MODULES; i++)
        (void)cmdline_cook(b->modules[i].string, b->loader, b->protocol);
    (void)loader_is_grub2(b->loader);
}

static void parse_in(uint32_t magic, uint8_t *mem, uint64_t len, uint64_t info)
{
    struct phys p = { mem, len };
    const char *why = NULL;

    memset(&bi, 0, sizeof(bi));
    if ( multiboot_parse(magic, info, phys_map, &p, &bi, quiet, &why) == 0 )
        use(&bi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *mem;
    char *line;
    unsigned int which;

    if ( !valid[0].mem )
    {
        uint64_t end;

        valid[0] = mb1_blob();
        valid[1] = mb2_blob(&end);
    }
    if ( size < 1 )
        return 0;
    which = data[0] % 5;
    data++, size--;

    switch ( which )
    {
    case 0:
    case 1:
    {
        const struct phys *v = &valid[which];

        mem = malloc(v->size);
        memcpy(mem, v->mem, v->size);
        for ( size_t i = 0; i + 3 <= size; i += 3 )
            mem[(data[i] | (size_t)data[i + 1] << 8) % v->size] = data[i + 2];
        parse_in(which ? MB2_BOOTLOADER_MAGIC : MB1_BOOTLOADER_MAGIC, mem, v->size,
                 which ? MB2_INFO : MB1_INFO);
        free(mem);
        break;
    }
    case 2:
    case 3:
    {
        uint64_t info = which == 2 ? MB1_INFO : MB2_INFO;

        mem = malloc(info + size);
        memset(mem, 0, info);
        memcpy(mem + info, data, size);
        parse_in(which == 3 ? MB2_BOOTLOADER_MAGIC : MB1_BOOTLOADER_MAGIC, mem,
                 info + size, info);
        free(mem);
        break;
    }
    default:
        line = malloc(size + 1);
        memcpy(line, data, size);
        line[size] = '\0';
        use_cmdline(line);
        free(line);
        break;
    }
    return 0;
}
