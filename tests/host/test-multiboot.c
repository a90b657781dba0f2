/*
 * test-multiboot.c - xen-like/common/multiboot.c on multiboot1 blobs, good
 * and broken, and random mutations of both protocols' blobs.
 */
#include "boot-blob.h"

static void mb1_set(struct phys *p, size_t field, uint32_t v)
{
    put32(p, MB1_INFO + field, v);
}

static const char *t_mb1_full(void)
{
    struct phys p = mb1_blob();
    const char *why;

    CHECK_I(parse(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, &why), 0);
    CHECK_U(bi.protocol, 1);
    CHECK_STR(bi.cmdline, "/xen-like console=com1 noreboot");
    CHECK_STR(bi.loader, "qemu");
    CHECK(bi.has_meminfo);
    CHECK_U(bi.mem_lower_kb, 639);
    CHECK_U(bi.nr_modules, 2);
    CHECK_U(bi.modules[0].start, 0x100000);
    CHECK_U(bi.modules[0].end, 0x180000);
    CHECK_STR(bi.modules[0].string, "/guest-kernel hello");
    CHECK_STR(bi.modules[1].string, "");
    CHECK_U(bi.nr_memmap, 4);
    MEMMAP_IS(0, 0, 0x9fc00, E820_RAM);
    MEMMAP_IS(1, 0x9fc00, 0x400, E820_RESERVED);
    MEMMAP_IS(2, 0xf0000, 0x10000, E820_RESERVED);
    MEMMAP_IS(3, 0x100000, 0x7ff00000, E820_RAM);
    CHECK_STR(warnings, "");
    return NULL;
}

static const char *t_mb1_meminfo_fallback(void)
{
    struct phys p = mb1_blob();
    const char *why;

    mb1_set(&p, offsetof(struct mb1_info, flags), MB1_INFO_MEMORY | MB1_INFO_CMDLINE);
    CHECK_I(parse(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, &why), 0);
    CHECK(test_contains(warnings, "no memory map"));
    CHECK_U(bi.nr_memmap, 2);
    MEMMAP_IS(0, 0, 639 << 10, E820_RAM);
    MEMMAP_IS(1, 1 << 20, 2096128ULL << 10, E820_RAM);
    CHECK_U(bi.nr_modules, 0);
    CHECK_STR(bi.loader, "");

    mb1_set(&p, offsetof(struct mb1_info, flags), MB1_INFO_CMDLINE);
    FAILS(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, "neither a memory map");
    return NULL;
}

static const char *t_mb1_modules(void)
{
    struct phys p = mb1_blob();
    const char *why;

    put32(&p, MB1_MODS + 4, 0x0fffff);              /* end < start */
    FAILS(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, "ends before it starts");

    p = mb1_blob();
    mb1_set(&p, offsetof(struct mb1_info, mods_addr), 0xfff0);
    FAILS(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, "module list");

    p = mb1_blob();
    put32(&p, MB1_MODS + 8, 0x20000);               /* string outside memory */
    FAILS(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, "module string");

    p = mb1_blob();
    mb1_set(&p, offsetof(struct mb1_info, mods_count), 20);
    for ( unsigned int i = 0; i < 20; i++ )
    {
        put32(&p, MB1_MODS + 16 * i, 0x100000 * (i + 1));
        put32(&p, MB1_MODS + 16 * i + 4, 0x100000 * (i + 1) + 0x1000);
        put32(&p, MB1_MODS + 16 * i + 8, 0);
    }
    CHECK_I(parse(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, &why), 0);
    CHECK_U(bi.nr_modules, BOOT_MAX_MODULES);
    CHECK_U(bi.modules[15].start, 0x1000000);
    CHECK(test_contains(warnings, "4 boot modules beyond the first 16 ignored"));
    return NULL;
}

static const char *t_mb1_strings(void)
{
    struct phys p = mb1_blob();
    const char *why;

    mb1_set(&p, offsetof(struct mb1_info, cmdline), 0x10000);   /* just outside */
    FAILS(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, "command line");

    p = mb1_blob();                                 /* runs off the end */
    memset(p.mem + 0xff00, 'a', 0x100);
    mb1_set(&p, offsetof(struct mb1_info, cmdline), 0xff00);
    FAILS(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, "command line");

    p = mb1_blob();
    mb1_set(&p, offsetof(struct mb1_info, boot_loader_name), 0x7fffffff);
    FAILS(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, "boot loader name");

    p = mb1_blob();                                 /* too long: truncated */
    memset(p.mem + 0x8000, 'c', 2000);
    p.mem[0x8000 + 2000] = 0;
    mb1_set(&p, offsetof(struct mb1_info, cmdline), 0x8000);
    CHECK_I(parse(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, &why), 0);
    CHECK_U(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
    CHECK(test_contains(warnings, "truncated to 1023"));
    return NULL;
}

static const char *t_mb1_mmap(void)
{
    struct phys p = mb1_blob();
    const char *why;

    put32(&p, MB1_MMAP + 24, 12);                   /* entry too small */
    FAILS(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, "smaller than 20 bytes");

    p = mb1_blob();
    mb1_set(&p, offsetof(struct mb1_info, mmap_length), 0xffffffff);
    FAILS(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, "memory map is not in accessible");

    p = mb1_blob();                                 /* last entry cut short */
    mb1_set(&p, offsetof(struct mb1_info, mmap_length), 3 * 24 + 10);
    CHECK_I(parse(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, &why), 0);
    CHECK(test_contains(warnings, "cut short"));
    CHECK_U(bi.nr_memmap, 3);

    p = mb1_blob();                                 /* bigger entries: size 28 */
    mb1_set(&p, offsetof(struct mb1_info, mmap_length), 2 * 32);
    mb1_mmap_entry(&p, MB1_MMAP, 28, 0, 0x9f000, E820_RAM);
    mb1_mmap_entry(&p, MB1_MMAP + 32, 28, 0x100000, 0x100000, E820_RAM);
    CHECK_I(parse(MB1_BOOTLOADER_MAGIC, &p, MB1_INFO, &why), 0);
    CHECK_U(bi.nr_memmap, 2);
    MEMMAP_IS(1, 0x100000, 0x100000, E820_RAM);
    return NULL;
}

static const char *t_mb1_bad_pointers(void)
{
    struct phys p = mb1_blob();

    FAILS(MB1_BOOTLOADER_MAGIC, &p, 0xfff0, "info structure");
    FAILS(MB1_BOOTLOADER_MAGIC, &p, UINT64_MAX - 4, "info structure");
    FAILS(0x12345678, &p, MB1_INFO, "unknown boot loader magic");
    return NULL;
}

static const char *t_mutations(void)
{
    uint64_t seed = 0xb007, end;
    struct phys mb1 = mb1_blob(), mb2 = mb2_blob(&end);
    struct phys w = { test_alloc(0x10000), 0x10000 };
    const char *why;

    for ( unsigned int iter = 0; iter < 6000; iter++ )
    {
        bool one = iter & 1;
        uint64_t base = one ? MB1_INFO : MB2_INFO;

        memcpy(w.mem, one ? mb1.mem : mb2.mem, w.size);
        for ( unsigned int f = 0; f <= iter % 6; f++ )
        {
            uint64_t r = test_rand(&seed);

            w.mem[base + r % 0x3100] = (uint8_t)(r >> 32);
        }
        parse(one ? MB1_BOOTLOADER_MAGIC : MB2_BOOTLOADER_MAGIC, &w, base, &why);
    }
    return NULL;
}

static const struct test tests[] = {
    { t_mb1_full, "multiboot1: cmdline, loader, modules, sorted mmap" },
    { t_mb1_meminfo_fallback, "multiboot1: map from mem_lower/upper, or error" },
    { t_mb1_modules, "multiboot1: module end < start, bad pointers, > 16" },
    { t_mb1_strings, "multiboot1: unmappable and overlong strings" },
    { t_mb1_mmap, "multiboot1: mmap entry sizes and lengths" },
    { t_mb1_bad_pointers, "multiboot1: bad info pointer, bad magic" },
    { t_mutations, "random mutations of mb1/mb2 blobs are safe" },
};
DEFINE_SUITE(multiboot_suite, "multiboot", tests);
