/*
 * boot-blob.h - synthetic boot-loader blobs for the multiboot tests.
 *
 * "Physical memory" is one exactly-sized heap buffer; phys_map refuses
 * anything outside it, and ASan catches any read the parser makes without
 * asking the map callback first.  mb1_blob and mb2_blob build a complete,
 * valid info structure that each test then breaks in its own way.
 *
 * The parse() helper and the warnings/bi it fills are per test file
 * (static), which is why they are defined in this header.
 */
#ifndef TESTS_HOST_BOOT_BLOB_H
#define TESTS_HOST_BOOT_BLOB_H

#include "xen-abi.h"
#include "lib.h"
#include "runner.h"
#include "bootinfo.h"

struct phys {
    uint8_t *mem;
    uint64_t size;
};

const void *phys_map(void *ctx, uint64_t paddr, uint64_t len);

static inline void put32(struct phys *p, uint64_t at, uint32_t v)
{
    memcpy(p->mem + at, &v, 4);
}

static inline void put64(struct phys *p, uint64_t at, uint64_t v)
{
    memcpy(p->mem + at, &v, 8);
}

static inline void putstr(struct phys *p, uint64_t at, const char *s)
{
    memcpy(p->mem + at, s, strlen(s) + 1);
}

/* Multiboot1 blob: info at MB1_INFO, modules at MB1_MODS, mmap at MB1_MMAP. */
#define MB1_INFO 0x1000
#define MB1_MODS 0x3000
#define MB1_MMAP 0x4000
struct phys mb1_blob(void);
void mb1_mmap_entry(struct phys *p, uint64_t at, uint32_t size,
                    uint64_t addr, uint64_t len, uint32_t type);

/* Multiboot2 blob at MB2_INFO; *end is where its end tag starts. */
#define MB2_INFO 0x1000
struct phys mb2_blob(uint64_t *end);
void mb2_tag(struct phys *p, uint64_t *off, uint32_t type,
             const void *body, uint32_t len);

#ifndef BOOT_BLOB_BUILDER        /* boot-blob.c itself needs none of this */
static char warnings[2048];
static struct boot_info bi;

static void collect(const char *msg)
{
    size_t len = strlen(warnings);

    snprintf(warnings + len, sizeof(warnings) - len, "%s\n", msg);
}

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
        const char *fw_;                                                   \
        CHECK_I(parse((magic), (p), (info), &fw_), -XEN_EINVAL);           \
        CHECK_WHY(fw_, words);                                             \
    } while ( 0 )
#endif /* BOOT_BLOB_BUILDER */

#endif /* TESTS_HOST_BOOT_BLOB_H */
