/*
 * bootinfo.h - what the boot loader told us, in one neutral structure.
 *
 * xen-like is started either by a multiboot1 loader (QEMU's -kernel, GRUB
 * legacy) or by a multiboot2 one (GRUB 2 from our ISO).  The two protocols
 * describe the same few things -- a command line, the loader's name, a
 * memory map and the boot modules (our guest kernel) -- in different
 * layouts, so multiboot.c translates both into struct boot_info and nothing
 * after it needs to know which protocol was used.
 *
 * The loader's structures are read through a caller-supplied mapping
 * function, because they live at physical addresses: the hypervisor maps low
 * memory, while the host unit tests hand out pieces of synthetic blobs.
 * Everything read is checked; a broken loader yields an error message, and
 * oversized lists are truncated with a warning.  All strings are copied
 * into struct boot_info, so it stays valid once loader memory is reused.
 */
#ifndef XEN_LIKE_BOOTINFO_H
#define XEN_LIKE_BOOTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Values the loader leaves in %eax for the kernel (multiboot specs). */
#define MB1_BOOTLOADER_MAGIC 0x2BADB002u
#define MB2_BOOTLOADER_MAGIC 0x36d76289u

/* Multiboot1 info structure: the prefix we read, flags say what is valid. */
#define MB1_INFO_MEMORY      (1u << 0)   /* mem_lower, mem_upper */
#define MB1_INFO_CMDLINE     (1u << 2)   /* cmdline */
#define MB1_INFO_MODS        (1u << 3)   /* mods_count, mods_addr */
#define MB1_INFO_MEM_MAP     (1u << 6)   /* mmap_length, mmap_addr */
#define MB1_INFO_LOADER_NAME (1u << 9)   /* boot_loader_name */

struct mb1_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;       /* KiB below 1 MiB / above 1 MiB */
    uint32_t boot_device;
    uint32_t cmdline;                    /* physical address of a C string */
    uint32_t mods_count, mods_addr;      /* array of struct mb1_module */
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;     /* bytes of mmap entries */
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;           /* physical address of a C string */
};

struct mb1_module {
    uint32_t mod_start, mod_end;         /* [start, end) physical */
    uint32_t string;                     /* physical address of a C string */
    uint32_t reserved;
};

/*
 * A multiboot1 mmap entry is {u32 size; u64 addr; u64 len; u32 type}, packed,
 * and the next one starts size + 4 bytes later (size excludes itself).
 */
#define MB1_MMAP_ENTRY_MIN 20

/* Multiboot2: an 8-byte header, then tags, each 8-byte aligned. */
struct mb2_fixed {
    uint32_t total_size;                 /* including this header */
    uint32_t reserved;
};

struct mb2_tag {
    uint32_t type;                       /* MB2_TAG_* */
    uint32_t size;                       /* including this header */
};

#define MB2_TAG_END          0
#define MB2_TAG_CMDLINE      1           /* string follows the header */
#define MB2_TAG_LOADER_NAME  2           /* string follows the header */
#define MB2_TAG_MODULE       3           /* u32 start, u32 end, string */
#define MB2_TAG_BASIC_MEMINFO 4          /* u32 mem_lower, u32 mem_upper */
#define MB2_TAG_MMAP         6           /* u32 entry_size, u32 version, entries */

/* A multiboot2 mmap entry: {u64 addr; u64 len; u32 type; u32 reserved}. */
#define MB2_MMAP_ENTRY_MIN   24
/* We refuse info blocks larger than this; real ones are a few KiB. */
#define MB2_MAX_TOTAL_SIZE   (1u << 20)

/* Memory types, as in the BIOS E820 map both protocols pass on. */
#define E820_RAM       1
#define E820_RESERVED  2
#define E820_ACPI      3
#define E820_NVS       4
#define E820_UNUSABLE  5

#define BOOT_MAX_MEMMAP   128
#define BOOT_MAX_MODULES  16
#define BOOT_CMDLINE_MAX  1024           /* Xen's command-line limit too */
#define BOOT_MODSTR_MAX   256
#define BOOT_LOADER_MAX   64

struct boot_memmap_entry {
    uint64_t addr, len;
    uint32_t type;                       /* E820_* (others kept verbatim) */
};

struct boot_module {
    uint64_t start, end;                 /* [start, end) physical */
    char string[BOOT_MODSTR_MAX];        /* as the loader gave it */
};

struct boot_info {
    unsigned int protocol;               /* 1 or 2 */
    char cmdline[BOOT_CMDLINE_MAX];      /* as the loader gave it */
    char loader[BOOT_LOADER_MAX];        /* "" when not given */
    bool has_meminfo;
    uint32_t mem_lower_kb, mem_upper_kb;
    unsigned int nr_memmap;              /* sorted, non-overlapping */
    struct boot_memmap_entry memmap[BOOT_MAX_MEMMAP];
    unsigned int memmap_dropped;         /* entries beyond BOOT_MAX_MEMMAP */
    unsigned int nr_modules;
    struct boot_module modules[BOOT_MAX_MODULES];
};

/*
 * Map len bytes of physical memory at paddr for reading.  Return NULL if
 * the range is not accessible; the parser turns that into an error.
 */
typedef const void *(*boot_map_fn)(void *ctx, uint64_t paddr, uint64_t len);

/* Receives one complete, human-readable message per warning. */
typedef void (*boot_warn_fn)(const char *msg);

/*
 * Fill *bi from the loader's magic and info pointer (%eax and %ebx at
 * entry).  Returns 0, or a negative XEN_Exxx with *why saying what was
 * wrong.  Recoverable oddities (truncated lists, overlapping memory map
 * entries) go to warn, which may be NULL.  If the loader gave no memory map,
 * one is made from mem_lower/mem_upper, as Xen does.
 */
int multiboot_parse(uint32_t magic, uint64_t info_paddr, boot_map_fn map,
                    void *ctx, struct boot_info *bi, boot_warn_fn warn,
                    const char **why);

/*
 * The memory map's two operations (xen-like/lib/memmap.c).
 * boot_memmap_add appends an entry; zero-length entries are skipped, and
 * once the map is full further entries are only counted in memmap_dropped.
 * boot_memmap_sanitize sorts the map by address, merges adjacent entries of
 * one type and, where entries overlap, keeps the more restrictive type
 * (anything beats RAM), so overlap can never turn reserved memory into RAM.
 */
void boot_memmap_add(struct boot_info *bi, uint64_t addr, uint64_t len,
                     uint32_t type);
void boot_memmap_sanitize(struct boot_info *bi, boot_warn_fn warn);

#endif /* XEN_LIKE_BOOTINFO_H */
