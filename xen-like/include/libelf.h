/*
 * libelf.h - read a 64-bit PV kernel image: check it, collect its Xen ELF
 * notes into struct elf_dom_parms, and load its segments.
 *
 * The rules are those of Xen's libelf-dominfo.c (shared by Xen's dom0
 * builder and the toolstack), summarised in docs and in the comments of
 * xen-like/common/libelf.c.  The image is treated as hostile input: it
 * comes from a boot module, and a boot module is just bytes.
 *
 * Every function returns 0 or a negative XEN_Exxx and, on failure, points
 * *why at a constant, human-readable sentence naming the broken rule (why
 * may be NULL if the caller does not want it).
 */
#ifndef XEN_LIKE_LIBELF_H
#define XEN_LIKE_LIBELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xen-abi.h"

/*
 * The ELF64 structures we read (System V gABI).  A freestanding build has
 * no <elf.h>, and we need only these four; the names follow the gABI field
 * names so that they can be looked up in any ELF reference.
 */
#define EI_NIDENT     16
#define EI_CLASS      4
#define EI_DATA       5
#define EI_VERSION    6
#define ELFCLASS64    2
#define ELFDATA2LSB   1
#define EV_CURRENT    1
#define ET_EXEC       2
#define EM_X86_64     62
#define PT_LOAD       1
#define PT_NOTE       4
#define SHT_NOTE      7

struct elf64_ehdr {                 /* file header, at offset 0 */
    uint8_t  e_ident[EI_NIDENT];    /* "\x7f" "ELF", class, data, version */
    uint16_t e_type;                /* ET_EXEC for a PV kernel */
    uint16_t e_machine;             /* EM_X86_64 */
    uint32_t e_version;
    uint64_t e_entry;               /* default entry point (VA) */
    uint64_t e_phoff;               /* program header table offset */
    uint64_t e_shoff;               /* section header table offset, or 0 */
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;           /* must be sizeof(struct elf64_phdr) */
    uint16_t e_phnum;
    uint16_t e_shentsize;           /* must be sizeof(struct elf64_shdr) */
    uint16_t e_shnum;
    uint16_t e_shstrndx;
};

struct elf64_phdr {                 /* one segment */
    uint32_t p_type;                /* PT_LOAD, PT_NOTE, ... */
    uint32_t p_flags;
    uint64_t p_offset;              /* where its bytes are in the file */
    uint64_t p_vaddr;
    uint64_t p_paddr;               /* what Xen places the segment by */
    uint64_t p_filesz;              /* bytes present in the file */
    uint64_t p_memsz;               /* bytes in memory; the rest is zeroed */
    uint64_t p_align;
};

struct elf64_shdr {                 /* one section (only notes matter here) */
    uint32_t sh_name;
    uint32_t sh_type;               /* SHT_NOTE */
    uint64_t sh_flags;
    uint64_t sh_addr;
    uint64_t sh_offset;
    uint64_t sh_size;
    uint32_t sh_link;
    uint32_t sh_info;
    uint64_t sh_addralign;
    uint64_t sh_entsize;
};

struct elf64_nhdr {                 /* note header; name and desc follow, */
    uint32_t n_namesz;              /* each padded to 4 bytes */
    uint32_t n_descsz;
    uint32_t n_type;                /* XEN_ELFNOTE_* when the name is "Xen" */
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 file header");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header");
_Static_assert(sizeof(struct elf64_shdr) == 64, "ELF64 section header");
_Static_assert(sizeof(struct elf64_nhdr) == 12, "ELF note header");

/* Upper bound on e_phnum: real PV kernels have fewer than a dozen. */
#define ELF_MAX_PHNUM 128
/* String notes are copied (NUL-terminated, truncated) into fields this big. */
#define ELF_NOTE_STR_LEN 64

/* What the Xen notes and the program headers say about a PV kernel. */
struct elf_dom_parms {
    /* Placement (all virtual addresses, after the rules are applied). */
    uint64_t virt_base;             /* VIRT_BASE, 0 when unset */
    uint64_t elf_paddr_offset;      /* PADDR_OFFSET, 0 when unset */
    uint64_t virt_offset;           /* virt_base - elf_paddr_offset */
    uint64_t virt_entry;            /* ENTRY, else e_entry */
    uint64_t virt_hypercall;        /* HYPERCALL_PAGE, if has_hypercall */
    uint64_t virt_kstart;           /* lowest p_paddr of PT_LOAD + virt_offset */
    uint64_t virt_kend;             /* highest p_paddr+p_memsz + virt_offset */
    uint64_t p2m_base;              /* INIT_P2M, if has_p2m_base */
    uint64_t mod_start_pfn;         /* MOD_START_PFN value */
    uint64_t suspend_cancel;        /* SUSPEND_CANCEL value */
    uint64_t pstart, pend;          /* [pstart, pend): the p_paddr range */

    /* Strings, NUL-terminated ("" when absent). */
    char xen_version[ELF_NOTE_STR_LEN];
    char guest_os[ELF_NOTE_STR_LEN];
    char guest_version[ELF_NOTE_STR_LEN];
    char loader[ELF_NOTE_STR_LEN];
    char pae_mode[ELF_NOTE_STR_LEN];

    /* Feature bitmaps, indexed by XENFEAT_* bit number. */
    uint32_t f_supported[XENFEAT_NR_SUBMAPS];
    uint32_t f_required[XENFEAT_NR_SUBMAPS];

    /* Which optional notes were present. */
    bool has_virt_base, has_paddr_offset, has_entry, has_hypercall;
    bool has_p2m_base, has_mod_start_pfn, has_features;
    bool has_supported_features, has_bsd_symtab, has_l1_mfn_valid;
    bool has_suspend_cancel;
    bool notes_from_sections;       /* notes came from SHT_NOTE, not PT_NOTE */
    unsigned int nr_notes;          /* "Xen" notes seen */
};

/*
 * Generic ELF64 steps (xen-like/lib/elf64.c).
 *
 * elf_check_header: ELF magic, ELFCLASS64, little endian, EV_CURRENT,
 *   EM_X86_64, ET_EXEC, sane e_phentsize/e_phnum, and program and section
 *   header tables that lie wholly inside the image.
 * elf_in_image: is [off, off + len) inside an image of size bytes?  Cannot
 *   overflow, whatever the values.
 * elf_read_phdr/elf_read_shdr: copy header i out (any alignment); only
 *   valid once elf_check_header accepted the image and i < e_phnum/e_shnum.
 */
int elf_check_header(const void *image, size_t size, const char **why);
bool elf_in_image(size_t size, uint64_t off, uint64_t len);
void elf_read_phdr(const void *image, const struct elf64_ehdr *eh,
                   unsigned int i, struct elf64_phdr *ph);
void elf_read_shdr(const void *image, const struct elf64_ehdr *eh,
                   unsigned int i, struct elf64_shdr *sh);

/*
 * Check the header, find the "Xen" notes (PT_NOTE segments first, SHT_NOTE
 * sections only if the segments held none), parse them into *parms and
 * apply Xen's acceptance and placement rules.
 */
int elf_xen_parse(const void *image, size_t size, struct elf_dom_parms *parms,
                  const char **why);

/*
 * Load callback, called once per PT_LOAD segment with its destination
 * virtual address va = p_paddr + virt_offset: copy filesz bytes from src
 * to va, then zero memsz - filesz bytes after them.  src and both sizes have
 * been checked against the image and [virt_kstart, virt_kend).  Return 0 or
 * a negative XEN_Exxx, which elf_load passes back to its caller.
 */
typedef int (*elf_load_fn)(void *ctx, uint64_t va, const void *src,
                           uint64_t filesz, uint64_t memsz);

/* Load every PT_LOAD segment of an image elf_xen_parse accepted. */
int elf_load(const void *image, size_t size, const struct elf_dom_parms *parms,
             elf_load_fn load, void *ctx, const char **why);

/* The XENFEAT_* name libelf knows for bit nr, or NULL. */
const char *elf_xen_feature_name(unsigned int nr);

#endif /* XEN_LIKE_LIBELF_H */
