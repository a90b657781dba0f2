/*
 * multiboot.c - translate the boot loader's multiboot1 or multiboot2
 * information into struct boot_info (see bootinfo.h for the why).
 *
 * Multiboot1 hands us one fixed structure whose flags say which fields are
 * valid, with pointers to further arrays and strings.  Multiboot2 hands us
 * one contiguous block: a size, then a list of tagged records, each padded
 * to 8 bytes, ending with a tag of type 0.  Either way, every pointer and
 * size comes from the loader, so each is bounds-checked before it is used:
 * a broken loader gets a sentence naming what was wrong, not a fault.
 *
 * Bytes are always reached through map() and copied out with memcpy, since
 * the loader's structures need not be aligned.  Strings in multiboot1 have
 * no stated length, so they are read one mapped byte at a time up to our
 * buffer's size rather than by mapping a guessed length, which could run
 * off the end of accessible memory.
 */
#include "xen-abi.h"
#include "lib.h"
#include "bootinfo.h"

struct loader {
    boot_map_fn map;
    void *ctx;
    boot_warn_fn warn;
};

static int fail(const char **why, const char *msg)
{
    if ( why )
        *why = msg;
    return -XEN_EINVAL;
}

static void warnf(const struct loader *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void warnf(const struct loader *l, const char *fmt, ...)
{
    char msg[160];
    va_list args;

    if ( !l->warn )
        return;
    va_start(args, fmt);
    vsnprintf(msg, sizeof(msg), fmt, args);
    va_end(args);
    l->warn(msg);
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/*
 * Copy the C string at physical address paddr into dst[size].  Returns 0,
 * 1 if it had to be truncated, or -1 if a byte could not be mapped.
 */
static int copy_phys_string(const struct loader *l, uint64_t paddr,
                            char *dst, size_t size)
{
    size_t i;

    for ( i = 0; i < size - 1; i++ )
    {
        const char *c = l->map(l->ctx, paddr + i, 1);

        if ( !c )
        {
            dst[i] = '\0';
            return -1;
        }
        if ( !*c )
            break;
        dst[i] = *c;
    }
    dst[i] = '\0';
    return i == size - 1 ? 1 : 0;
}

/* Copy a string that must end within src[0..srclen); 1 if truncated. */
static int copy_string(char *dst, size_t size, const uint8_t *src, size_t srclen)
{
    size_t n = strnlen((const char *)src, srclen);
    int truncated = n > size - 1;

    if ( truncated )
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return truncated;
}

/*
 * Record one module (the caller checked start <= end) and return it for
 * its string, or return NULL and count it when the table is full.
 */
static struct boot_module *add_module(struct boot_info *bi, unsigned int *dropped,
                                      uint64_t start, uint64_t end)
{
    struct boot_module *bm;

    if ( bi->nr_modules == BOOT_MAX_MODULES )
    {
        (*dropped)++;
        return NULL;
    }
    bm = &bi->modules[bi->nr_modules++];
    bm->start = start;
    bm->end = end;
    bm->string[0] = '\0';
    return bm;
}

static int parse_mb1(const struct loader *l, uint64_t paddr,
                     struct boot_info *bi, unsigned int *dropped,
                     const char **why)
{
    const uint8_t *p = l->map(l->ctx, paddr, sizeof(struct mb1_info));
    struct mb1_info mbi;

    if ( !p )
        return fail(why, "the multiboot1 info structure is not in accessible memory");
    memcpy(&mbi, p, sizeof(mbi));

    if ( mbi.flags & MB1_INFO_MEMORY )
    {
        bi->has_meminfo = true;
        bi->mem_lower_kb = mbi.mem_lower;
        bi->mem_upper_kb = mbi.mem_upper;
    }

    if ( mbi.flags & MB1_INFO_CMDLINE )
    {
        int rc = copy_phys_string(l, mbi.cmdline, bi->cmdline, sizeof(bi->cmdline));

        if ( rc < 0 )
            return fail(why, "the multiboot1 command line is not in accessible memory");
        if ( rc > 0 )
            warnf(l, "command line truncated to %zu characters", sizeof(bi->cmdline) - 1);
    }

    if ( (mbi.flags & MB1_INFO_LOADER_NAME) &&
         copy_phys_string(l, mbi.boot_loader_name, bi->loader, sizeof(bi->loader)) < 0 )
        return fail(why, "the multiboot1 boot loader name is not in accessible memory");

    if ( mbi.flags & MB1_INFO_MODS )
    {
        uint32_t n = mbi.mods_count;

        if ( n > BOOT_MAX_MODULES )
        {
            *dropped = n - BOOT_MAX_MODULES;
            n = BOOT_MAX_MODULES;
        }
        p = l->map(l->ctx, mbi.mods_addr, (uint64_t)n * sizeof(struct mb1_module));
        if ( n && !p )
            return fail(why, "the multiboot1 module list is not in accessible memory");
        for ( uint32_t i = 0; i < n; i++ )
        {
            struct mb1_module m;
            struct boot_module *bm;

            memcpy(&m, p + i * sizeof(m), sizeof(m));
            if ( m.mod_end < m.mod_start )
                return fail(why, "a multiboot1 module ends before it starts");
            bm = add_module(bi, dropped, m.mod_start, m.mod_end);
            if ( bm && m.string &&
                 copy_phys_string(l, m.string, bm->string, sizeof(bm->string)) < 0 )
                return fail(why, "a multiboot1 module string is not in accessible memory");
        }
    }

    if ( mbi.flags & MB1_INFO_MEM_MAP )
    {
        uint64_t len = mbi.mmap_length, off = 0;

        p = l->map(l->ctx, mbi.mmap_addr, len);
        if ( len && !p )
            return fail(why, "the multiboot1 memory map is not in accessible memory");
        while ( len - off >= 4 )
        {
            uint32_t size = get32(p + off);

            if ( size < MB1_MMAP_ENTRY_MIN )
                return fail(why, "a multiboot1 memory map entry is smaller than 20 bytes");
            if ( size > len - off - 4 )
            {
                warnf(l, "the last multiboot1 memory map entry is cut short; ignored");
                break;
            }
            boot_memmap_add(bi, get64(p + off + 4), get64(p + off + 12),
                            get32(p + off + 20));
            off += 4 + (uint64_t)size;
        }
    }

    return 0;
}

/* Handle one multiboot2 tag whose body is body[0..len). */
static int parse_mb2_tag(const struct loader *l, uint32_t type,
                         const uint8_t *body, uint64_t len,
                         struct boot_info *bi, unsigned int *dropped,
                         const char **why)
{
    switch ( type )
    {
    case MB2_TAG_CMDLINE:
        if ( copy_string(bi->cmdline, sizeof(bi->cmdline), body, len) )
            warnf(l, "command line truncated to %zu characters", sizeof(bi->cmdline) - 1);
        break;

    case MB2_TAG_LOADER_NAME:
        copy_string(bi->loader, sizeof(bi->loader), body, len);
        break;

    case MB2_TAG_MODULE:
    {
        struct boot_module *bm;
        uint32_t start, end;

        if ( len < 8 )
            return fail(why, "a multiboot2 module tag is too small");
        start = get32(body);
        end = get32(body + 4);
        if ( end < start )
            return fail(why, "a multiboot2 module ends before it starts");
        bm = add_module(bi, dropped, start, end);
        if ( bm )
            copy_string(bm->string, sizeof(bm->string), body + 8, len - 8);
        break;
    }

    case MB2_TAG_BASIC_MEMINFO:
        if ( len < 8 )
            return fail(why, "a multiboot2 basic memory info tag is too small");
        bi->has_meminfo = true;
        bi->mem_lower_kb = get32(body);
        bi->mem_upper_kb = get32(body + 4);
        break;

    case MB2_TAG_MMAP:
    {
        uint32_t entry_size;

        if ( len < 8 )
            return fail(why, "a multiboot2 memory map tag is too small");
        entry_size = get32(body);
        if ( entry_size < MB2_MMAP_ENTRY_MIN )
            return fail(why, "multiboot2 memory map entries are smaller than 24 bytes");
        for ( uint64_t off = 8; len - off >= entry_size; off += entry_size )
            boot_memmap_add(bi, get64(body + off), get64(body + off + 8),
                            get32(body + off + 16));
        break;
    }

    default:
        break;                              /* tags we have no use for */
    }
    return 0;
}

static int parse_mb2(const struct loader *l, uint64_t paddr,
                     struct boot_info *bi, unsigned int *dropped,
                     const char **why)
{
    const uint8_t *p = l->map(l->ctx, paddr, sizeof(struct mb2_fixed));
    uint64_t total, off = sizeof(struct mb2_fixed);

    if ( !p )
        return fail(why, "the multiboot2 info block is not in accessible memory");
    total = get32(p);
    if ( total < sizeof(struct mb2_fixed) + sizeof(struct mb2_tag) )
        return fail(why, "multiboot2 total_size is too small to hold even the end tag");
    if ( total > MB2_MAX_TOTAL_SIZE )
        return fail(why, "multiboot2 total_size is implausibly large (over 1 MiB)");
    p = l->map(l->ctx, paddr, total);
    if ( !p )
        return fail(why, "the multiboot2 info block is not in accessible memory");

    while ( total - off >= sizeof(struct mb2_tag) )
    {
        struct mb2_tag tag;
        int rc;

        memcpy(&tag, p + off, sizeof(tag));
        if ( tag.size < sizeof(tag) )
            return fail(why, "a multiboot2 tag is smaller than its own header");
        if ( tag.size > total - off )
            return fail(why, "a multiboot2 tag runs past total_size");
        if ( tag.type == MB2_TAG_END )
            return 0;
        rc = parse_mb2_tag(l, tag.type, p + off + sizeof(tag),
                           tag.size - sizeof(tag), bi, dropped, why);
        if ( rc )
            return rc;
        /* The next tag starts at the next 8-byte boundary. */
        off += ((uint64_t)tag.size + 7) & ~7ULL;
        if ( off > total )
            break;
    }
    return fail(why, "the multiboot2 tag list has no end tag");
}

int multiboot_parse(uint32_t magic, uint64_t info_paddr, boot_map_fn map,
                    void *ctx, struct boot_info *bi, boot_warn_fn warn,
                    const char **why)
{
    const struct loader l = { .map = map, .ctx = ctx, .warn = warn };
    unsigned int dropped = 0;
    int rc;

    memset(bi, 0, sizeof(*bi));
    if ( magic == MB1_BOOTLOADER_MAGIC )
    {
        bi->protocol = 1;
        rc = parse_mb1(&l, info_paddr, bi, &dropped, why);
    }
    else if ( magic == MB2_BOOTLOADER_MAGIC )
    {
        bi->protocol = 2;
        rc = parse_mb2(&l, info_paddr, bi, &dropped, why);
    }
    else
        return fail(why, "unknown boot loader magic: not started by a multiboot loader");
    if ( rc )
        return rc;

    if ( dropped )
        warnf(&l, "%u boot modules beyond the first %u ignored", dropped,
              BOOT_MAX_MODULES);
    if ( bi->memmap_dropped )
        warnf(&l, "%u memory map entries beyond the first %u ignored",
              bi->memmap_dropped, BOOT_MAX_MEMMAP);

    /* No map: build one from the basic figures, as Xen falls back to. */
    if ( bi->nr_memmap == 0 )
    {
        if ( !bi->has_meminfo )
            return fail(why, "the boot loader gave neither a memory map nor mem_lower/mem_upper");
        warnf(&l, "no memory map from the boot loader; using mem_lower/mem_upper");
        boot_memmap_add(bi, 0, (uint64_t)bi->mem_lower_kb << 10, E820_RAM);
        boot_memmap_add(bi, 1ULL << 20, (uint64_t)bi->mem_upper_kb << 10, E820_RAM);
    }
    boot_memmap_sanitize(bi, warn);
    return 0;
}
