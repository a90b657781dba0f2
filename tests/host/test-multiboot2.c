/*
 * test-multiboot2.c - xen-like/common/multiboot.c on multiboot2 blobs,
 * good and broken.
 */
#include "boot-blob.h"

static const char *t_mb2_full(void)
{
    uint64_t end;
    struct phys p = mb2_blob(&end);
    const char *why;

    CHECK_I(parse(MB2_BOOTLOADER_MAGIC, &p, MB2_INFO, &why), 0);
    CHECK_U(bi.protocol, 2);
    CHECK_STR(bi.cmdline, "console=com1");
    CHECK_STR(bi.loader, "GRUB 2.06");
    CHECK_U(bi.nr_modules, 1);
    CHECK_U(bi.modules[0].start, 0x100000);
    CHECK_U(bi.modules[0].end, 0x180000);
    CHECK_STR(bi.modules[0].string, "/guest-kernel hi");
    CHECK(bi.has_meminfo);
    CHECK_U(bi.mem_upper_kb, 130048);
    CHECK_U(bi.nr_memmap, 3);
    MEMMAP_IS(0, 0, 0x9fc00, E820_RAM);
    MEMMAP_IS(1, 0x100000, 0x7ee0000, E820_RAM);
    MEMMAP_IS(2, 0xfeffc000, 0x4000, E820_RESERVED);
    CHECK_STR(warnings, "");
    return NULL;
}

static const char *t_mb2_total_size(void)
{
    uint64_t end;
    struct phys p = mb2_blob(&end);

    put32(&p, MB2_INFO, 8);
    FAILS(MB2_BOOTLOADER_MAGIC, &p, MB2_INFO, "too small");
    put32(&p, MB2_INFO, 2u << 20);
    FAILS(MB2_BOOTLOADER_MAGIC, &p, MB2_INFO, "implausibly large");
    put32(&p, MB2_INFO, 0x10000);                   /* past the end of memory */
    FAILS(MB2_BOOTLOADER_MAGIC, &p, MB2_INFO, "not in accessible memory");
    FAILS(MB2_BOOTLOADER_MAGIC, &p, 0xfffc, "not in accessible memory");
    return NULL;
}

static const char *t_mb2_tags(void)
{
    uint64_t end;
    struct phys p = mb2_blob(&end);

    put32(&p, MB2_INFO + 8 + 4, 4);                 /* first tag: size 4 */
    FAILS(MB2_BOOTLOADER_MAGIC, &p, MB2_INFO, "smaller than its own header");

    p = mb2_blob(&end);
    put32(&p, MB2_INFO + 8 + 4, 0x8000);            /* runs past total_size */
    FAILS(MB2_BOOTLOADER_MAGIC, &p, MB2_INFO, "runs past total_size");

    p = mb2_blob(&end);
    put32(&p, MB2_INFO, (uint32_t)(end - MB2_INFO)); /* cut before the end tag */
    FAILS(MB2_BOOTLOADER_MAGIC, &p, MB2_INFO, "no end tag");
    return NULL;
}

static const char *t_mb2_module_errors(void)
{
    struct phys p = { test_alloc(0x1000), 0x1000 };
    uint64_t off = 8;
    uint32_t bad[2] = { 0x200000, 0x100000 };

    mb2_tag(&p, &off, MB2_TAG_MODULE, bad, 8);
    mb2_tag(&p, &off, MB2_TAG_END, NULL, 0);
    put32(&p, 0, (uint32_t)off);
    FAILS(MB2_BOOTLOADER_MAGIC, &p, 0, "ends before it starts");

    off = 8;
    mb2_tag(&p, &off, MB2_TAG_MODULE, bad, 4);      /* too small */
    mb2_tag(&p, &off, MB2_TAG_END, NULL, 0);
    put32(&p, 0, (uint32_t)off);
    FAILS(MB2_BOOTLOADER_MAGIC, &p, 0, "module tag is too small");
    return NULL;
}

static const char *t_mb2_mmap(void)
{
    struct phys p = { test_alloc(0x4000), 0x4000 };
    uint8_t body[8 + 200 * 24];
    uint64_t off = 8;
    const char *why;

    memcpy(body, &(uint32_t){ 16 }, 4);             /* entry_size too small */
    memcpy(body + 4, &(uint32_t){ 0 }, 4);
    mb2_tag(&p, &off, MB2_TAG_MMAP, body, 8 + 32);
    mb2_tag(&p, &off, MB2_TAG_END, NULL, 0);
    put32(&p, 0, (uint32_t)off);
    FAILS(MB2_BOOTLOADER_MAGIC, &p, 0, "smaller than 24 bytes");

    /* 200 disjoint entries: the first 128 kept, the rest counted. */
    off = 8;
    memcpy(body, &(uint32_t){ 24 }, 4);
    for ( unsigned int i = 0; i < 200; i++ )
    {
        uint64_t e[3] = { 0x200000ULL * i, 0x1000, E820_RAM };

        memcpy(body + 8 + 24 * i, e, 24);
    }
    mb2_tag(&p, &off, MB2_TAG_MMAP, body, sizeof(body));
    mb2_tag(&p, &off, MB2_TAG_END, NULL, 0);
    put32(&p, 0, (uint32_t)off);
    CHECK_I(parse(MB2_BOOTLOADER_MAGIC, &p, 0, &why), 0);
    CHECK_U(bi.nr_memmap, BOOT_MAX_MEMMAP);
    CHECK_U(bi.memmap_dropped, 72);
    CHECK(test_contains(warnings, "72 memory map entries beyond the first 128 ignored"));
    return NULL;
}

static const char *t_mb2_unterminated_strings(void)
{
    struct phys p = { test_alloc(0x1000), 0x1000 };
    uint64_t off = 8;
    uint32_t mi[2] = { 640, 1024 };
    const char *why;

    mb2_tag(&p, &off, MB2_TAG_CMDLINE, "abcdefgh", 8);   /* no NUL, 8-aligned */
    mb2_tag(&p, &off, MB2_TAG_BASIC_MEMINFO, mi, 8);
    mb2_tag(&p, &off, MB2_TAG_END, NULL, 0);
    put32(&p, 0, (uint32_t)off);
    CHECK_I(parse(MB2_BOOTLOADER_MAGIC, &p, 0, &why), 0);
    CHECK_STR(bi.cmdline, "abcdefgh");
    CHECK_U(bi.nr_memmap, 2);                       /* from basic meminfo */
    return NULL;
}

static const struct test tests[] = {
    { t_mb2_full, "multiboot2: all tags, alignment, unknown tag" },
    { t_mb2_total_size, "multiboot2: total_size bounds" },
    { t_mb2_tags, "multiboot2: tag sizes and the end tag" },
    { t_mb2_module_errors, "multiboot2: broken module tags" },
    { t_mb2_mmap, "multiboot2: mmap entry_size, too many entries" },
    { t_mb2_unterminated_strings, "multiboot2: strings bounded by their tag" },
};
DEFINE_SUITE(multiboot2_suite, "multiboot2", tests);
