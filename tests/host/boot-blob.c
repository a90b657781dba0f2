/*
 * boot-blob.c - build the synthetic multiboot1/multiboot2 blobs.
 */
#define BOOT_BLOB_BUILDER
#include "boot-blob.h"

const void *phys_map(void *ctx, uint64_t paddr, uint64_t len)
{
    struct phys *p = ctx;

    if ( paddr > p->size || len > p->size - paddr )
        return NULL;
    return p->mem + paddr;
}

void mb1_mmap_entry(struct phys *p, uint64_t at, uint32_t size,
                    uint64_t addr, uint64_t len, uint32_t type)
{
    put32(p, at, size);
    put64(p, at + 4, addr);
    put64(p, at + 12, len);
    put32(p, at + 20, type);
}

struct phys mb1_blob(void)
{
    struct phys p = { test_alloc(0x10000), 0x10000 };
    struct mb1_info mbi = {
        .flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS |
                 MB1_INFO_MEM_MAP | MB1_INFO_LOADER_NAME,
        .mem_lower = 639, .mem_upper = 2096128,
        .cmdline = 0x2000, .boot_loader_name = 0x2100,
        .mods_count = 2, .mods_addr = MB1_MODS,
        .mmap_length = 4 * 24, .mmap_addr = MB1_MMAP,
    };
    struct mb1_module mods[2] = {
        { 0x100000, 0x180000, 0x2200, 0 },
        { 0x180000, 0x190000, 0, 0 },               /* no string */
    };

    memcpy(p.mem + MB1_INFO, &mbi, sizeof(mbi));
    memcpy(p.mem + MB1_MODS, mods, sizeof(mods));
    putstr(&p, 0x2000, "/xen-like console=com1 noreboot");
    putstr(&p, 0x2100, "qemu");
    putstr(&p, 0x2200, "/guest-kernel hello");
    /* Unsorted, as firmware may give it. */
    mb1_mmap_entry(&p, MB1_MMAP + 0, 20, 0x100000, 0x7ff00000, E820_RAM);
    mb1_mmap_entry(&p, MB1_MMAP + 24, 20, 0, 0x9fc00, E820_RAM);
    mb1_mmap_entry(&p, MB1_MMAP + 48, 20, 0x9fc00, 0x400, E820_RESERVED);
    mb1_mmap_entry(&p, MB1_MMAP + 72, 20, 0xf0000, 0x10000, E820_RESERVED);
    return p;
}

/* Append a tag at *off (8-aligned) and move *off past it. */
void mb2_tag(struct phys *p, uint64_t *off, uint32_t type,
             const void *body, uint32_t len)
{
    put32(p, *off, type);
    put32(p, *off + 4, 8 + len);
    memcpy(p->mem + *off + 8, body, len);
    *off += (8 + len + 7) & ~7u;
}

static void mb2_finish(struct phys *p, uint64_t *off)
{
    mb2_tag(p, off, MB2_TAG_END, NULL, 0);
    put32(p, MB2_INFO, (uint32_t)(*off - MB2_INFO));
}

struct phys mb2_blob(uint64_t *end)
{
    struct phys p = { test_alloc(0x10000), 0x10000 };
    uint64_t off = MB2_INFO + 8;
    uint8_t mod[8 + 20], mmap[8 + 3 * 24], meminfo[8];
    uint32_t words[2] = { 0x100000, 0x180000 };

    mb2_tag(&p, &off, MB2_TAG_CMDLINE, "console=com1", 13);  /* size 21: padded */
    mb2_tag(&p, &off, MB2_TAG_LOADER_NAME, "GRUB 2.06", 10);
    memcpy(mod, words, 8);
    memcpy(mod + 8, "/guest-kernel hi", 17);
    mb2_tag(&p, &off, MB2_TAG_MODULE, mod, 8 + 17);
    mb2_tag(&p, &off, 21, "unknown tag", 12);            /* skipped */
    words[0] = 639;
    words[1] = 130048;
    memcpy(meminfo, words, 8);
    mb2_tag(&p, &off, MB2_TAG_BASIC_MEMINFO, meminfo, 8);
    memcpy(mmap, &(uint32_t){ 24 }, 4);
    memcpy(mmap + 4, &(uint32_t){ 0 }, 4);
    memcpy(mmap + 8, &(struct { uint64_t a, l; uint32_t t, r; }){ 0x100000, 0x7ee0000, 1, 0 }, 24);
    memcpy(mmap + 32, &(struct { uint64_t a, l; uint32_t t, r; }){ 0, 0x9fc00, 1, 0 }, 24);
    memcpy(mmap + 56, &(struct { uint64_t a, l; uint32_t t, r; }){ 0xfeffc000, 0x4000, 2, 0 }, 24);
    mb2_tag(&p, &off, MB2_TAG_MMAP, mmap, sizeof(mmap));
    *end = off;
    mb2_finish(&p, &off);
    return p;
}
