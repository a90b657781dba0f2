/*
 * test-multiboot.c - xen-like/common/multiboot.c and xen-like/lib/memmap.c
 * on synthetic boot-loader blobs, good and broken.
 *
 * "Physical memory" is one exactly-sized heap buffer; the map callback
 * refuses anything outside it, and ASan catches any read the parser makes
 * without asking the callback first.
 */
#include "xen-abi.h"
#include "lib.h"
#include "runner.h"
#include "bootinfo.h"

struct phys {
    uint8_t *mem;
    uint64_t size;
};

static const void *phys_map(void *ctx, uint64_t paddr, uint64_t len)
{
    struct phys *p = ctx;

    if ( paddr > p->size || len > p->size - paddr )
        return NULL;
    return p->mem + paddr;
}

static void put32(struct phys *p, uint64_t at, uint32_t v) { memcpy(p->mem + at, &v, 4); }
static void put64(struct phys *p, uint64_t at, uint64_t v) { memcpy(p->mem + at, &v, 8); }
static void putstr(struct phys *p, uint64_t at, const char *s) { memcpy(p->mem + at, s, strlen(s) + 1); }

static char warnings[2048];

static void collect(const char *msg)
{
    size_t len = strlen(warnings);

    snprintf(warnings + len, sizeof(warnings) - len, "%s\n", msg);
}

static struct boot_info bi;

static int parse(uint32_t magic, struct phys *p, uint64_t info, const char **why)
{
    warnings[0] = '\0';
    *why = NULL;
    return multiboot_parse(magic, info, phys_map, p, &bi, collect, why);
}

#define MEMMAP_IS(i, a, l, t)                                              \
    do {                                                                   \
        CHECK_U(bi.memmap[i].addr, (a));                                   \
        CHECK_U(bi.memmap[i].len, (l));                                    \
        CHECK_U(bi.memmap[i].type, (t));                                   \
    } while ( 0 )

#define FAILS(magic, p, info, words)                                       \
    do {                                                                   \
        const char *w_;                                                    \
        CHECK_I(parse((magic), (p), (info), &w_), -XEN_EINVAL);            \
        CHECK_WHY(w_, words);                                              \
    } while ( 0 )

/* ---------------------------------------------------------------- mb1 */

#define MB1_INFO 0x1000
#define MB1_MODS 0x3000
#define MB1_MMAP 0x4000

static void mb1_mmap_entry(struct phys *p, uint64_t at, uint32_t size,
                           uint64_t addr, uint64_t len, uint32_t type)
{
    put32(p, at, size);
    put64(p, at + 4, addr);
    put64(p, at + 12, len);
    put32(p, at + 20, type);
}

static struct phys mb1_blob(void)
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

/* ---------------------------------------------------------------- mb2 */

#define MB2_INFO 0x1000

/* Append a tag at *off (8-aligned) and move *off past it. */
static void mb2_tag(struct phys *p, uint64_t *off, uint32_t type,
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

static struct phys mb2_blob(uint64_t *end)
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

/* ------------------------------------------------------------- memmap */

static const char *t_memmap_overlap(void)
{
    memset(&bi, 0, sizeof(bi));
    warnings[0] = '\0';
    boot_memmap_add(&bi, 0, 0x100000, E820_RAM);
    boot_memmap_add(&bi, 0x80000, 0x10000, E820_RESERVED);
    boot_memmap_sanitize(&bi, collect);
    CHECK_U(bi.nr_memmap, 3);
    MEMMAP_IS(0, 0, 0x80000, E820_RAM);
    MEMMAP_IS(1, 0x80000, 0x10000, E820_RESERVED);
    MEMMAP_IS(2, 0x90000, 0x70000, E820_RAM);
    CHECK(test_contains(warnings, "overlap"));
    return NULL;
}

static const char *t_memmap_merge(void)
{
    memset(&bi, 0, sizeof(bi));
    warnings[0] = '\0';
    boot_memmap_add(&bi, 0x1000, 0x1000, E820_RAM);
    boot_memmap_add(&bi, 0, 0x1000, E820_RAM);
    boot_memmap_add(&bi, 0, 0x2000, E820_RAM);          /* duplicate cover */
    boot_memmap_add(&bi, 0x5000, 0, E820_RESERVED);     /* empty: dropped */
    boot_memmap_add(&bi, 0x3000, 0x1000, E820_RAM);     /* hole before it */
    boot_memmap_sanitize(&bi, collect);
    CHECK_U(bi.nr_memmap, 2);
    MEMMAP_IS(0, 0, 0x2000, E820_RAM);
    MEMMAP_IS(1, 0x3000, 0x1000, E820_RAM);
    CHECK_STR(warnings, "");
    return NULL;
}

static const char *t_memmap_ranks(void)
{
    memset(&bi, 0, sizeof(bi));
    boot_memmap_add(&bi, 0, 0x2000, E820_ACPI);
    boot_memmap_add(&bi, 0x1000, 0x2000, E820_NVS);     /* NVS beats ACPI */
    boot_memmap_add(&bi, 0x10000, 0x1000, 7);           /* unknown beats RAM */
    boot_memmap_add(&bi, 0x10000, 0x2000, E820_RAM);
    boot_memmap_add(&bi, 0x20000, 0x1000, E820_RESERVED);
    boot_memmap_add(&bi, 0x20000, 0x1000, E820_UNUSABLE);  /* unusable wins */
    boot_memmap_add(&bi, UINT64_MAX - 0xfff, 0x2000, E820_RESERVED); /* clamped */
    boot_memmap_sanitize(&bi, NULL);
    CHECK_U(bi.nr_memmap, 6);
    MEMMAP_IS(0, 0, 0x1000, E820_ACPI);
    MEMMAP_IS(1, 0x1000, 0x2000, E820_NVS);
    MEMMAP_IS(2, 0x10000, 0x1000, 7);
    MEMMAP_IS(3, 0x11000, 0x1000, E820_RAM);
    MEMMAP_IS(4, 0x20000, 0x1000, E820_UNUSABLE);
    MEMMAP_IS(5, UINT64_MAX - 0xfff, 0xfff, E820_RESERVED);
    return NULL;
}

static const char *t_memmap_fragmented(void)
{
    memset(&bi, 0, sizeof(bi));
    warnings[0] = '\0';
    boot_memmap_add(&bi, 0, 1ULL << 40, E820_RAM);
    for ( unsigned int i = 1; i <= 100; i++ )
        boot_memmap_add(&bi, 0x100000ULL * i, 0x1000, E820_RESERVED);
    boot_memmap_sanitize(&bi, collect);
    CHECK_U(bi.nr_memmap, BOOT_MAX_MEMMAP);
    CHECK(test_contains(warnings, "too fragmented"));
    for ( unsigned int i = 1; i < bi.nr_memmap; i++ )
        CHECK(bi.memmap[i].addr >= bi.memmap[i - 1].addr + bi.memmap[i - 1].len);
    return NULL;
}

/* -------------------------------------------------------- robustness */

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
    { t_mb2_full, "multiboot2: all tags, alignment, unknown tag" },
    { t_mb2_total_size, "multiboot2: total_size bounds" },
    { t_mb2_tags, "multiboot2: tag sizes and the end tag" },
    { t_mb2_module_errors, "multiboot2: broken module tags" },
    { t_mb2_mmap, "multiboot2: mmap entry_size, too many entries" },
    { t_mb2_unterminated_strings, "multiboot2: strings bounded by their tag" },
    { t_memmap_overlap, "memmap: reserved inside RAM splits it" },
    { t_memmap_merge, "memmap: sort, merge, drop empty" },
    { t_memmap_ranks, "memmap: the more restrictive type wins" },
    { t_memmap_fragmented, "memmap: too many pieces truncated" },
    { t_mutations, "random mutations of mb1/mb2 blobs are safe" },
};
DEFINE_SUITE(multiboot_suite, "multiboot", tests);
