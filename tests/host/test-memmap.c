/*
 * test-memmap.c - xen-like/lib/memmap.c: sorting, merging, and the
 * conservative resolution of overlapping memory-map entries.
 */
#include "lib.h"
#include "runner.h"
#include "bootinfo.h"

static struct boot_info bi;
static char warnings[1024];

static void collect(const char *msg)
{
    size_t len = strlen(warnings);

    snprintf(warnings + len, sizeof(warnings) - len, "%s\n", msg);
}

#define MEMMAP_IS(i, a, l, t)                                              \
    do {                                                                   \
        CHECK_U(bi.memmap[i].addr, (a));                                   \
        CHECK_U(bi.memmap[i].len, (l));                                    \
        CHECK_U(bi.memmap[i].type, (t));                                   \
    } while ( 0 )

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

static const struct test tests[] = {
    { t_memmap_overlap, "reserved inside RAM splits it" },
    { t_memmap_merge, "sort, merge, drop empty" },
    { t_memmap_ranks, "the more restrictive type wins" },
    { t_memmap_fragmented, "too many pieces truncated" },
};
DEFINE_SUITE(memmap_suite, "memmap", tests);
