/*
 * elf-build.h - build small PV-kernel ELF images in memory for the libelf
 * tests (and seed images for the fuzzer).
 *
 * An image is described by a struct elf_spec: entry point, up to four
 * PT_LOAD segments (filled with a recognisable byte pattern), notes for a
 * PT_NOTE segment and notes for an SHT_NOTE section.  Tests then patch the
 * built bytes to produce every kind of broken image.
 */
#ifndef TESTS_HOST_ELF_BUILD_H
#define TESTS_HOST_ELF_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib.h"
#include "libelf.h"
#include "runner.h"

struct test_note {
    const char *name;               /* "Xen" for Xen notes */
    uint32_t type;
    const void *desc;
    uint32_t descsz;
};

struct test_seg {
    uint64_t paddr, filesz, memsz;
};

#define SPEC_MAX_NOTES 24

struct elf_spec {
    uint64_t entry;
    unsigned int nr_segs;
    struct test_seg segs[4];
    unsigned int nr_notes;          /* these go into a PT_NOTE segment */
    struct test_note notes[SPEC_MAX_NOTES];
    unsigned int nr_sec_notes;      /* these go into an SHT_NOTE section */
    struct test_note sec_notes[SPEC_MAX_NOTES];
};

/* Where things ended up in the built image. */
struct elf_layout {
    size_t size;
    uint64_t phoff, shoff;
    unsigned int phnum, note_phdr, load_phdr0;  /* phdr indexes */
    uint64_t note_off, sec_note_off;
    uint64_t seg_off[4];
};

#define NOTE_STR(t, s)  ((struct test_note){ "Xen", (t), (s), sizeof(s) })
#define NOTE_U64(t, v)  ((struct test_note){ "Xen", (t), &(const uint64_t){ (v) }, 8 })
#define NOTE_U32(t, v)  ((struct test_note){ "Xen", (t), &(const uint32_t){ (v) }, 4 })

/* Byte j of segment i's file contents. */
static inline uint8_t seg_byte(unsigned int i, uint64_t j)
{
    return (uint8_t)(0xa0 + i * 16 + j * 7);
}

/* Build into a test_alloc'ed buffer; returns it, layout in *lay. */
uint8_t *elf_build(const struct elf_spec *spec, struct elf_layout *lay);

/*
 * A Linux-like kernel: VIRT_BASE 0xffffffff80000000, one PT_LOAD at
 * p_paddr 0x200000 (0x3000 bytes in the file, 0x5000 in memory), ENTRY and
 * HYPERCALL_PAGE inside it, LOADER "generic", XEN_VERSION "xen-3.0".
 */
void spec_linux_like(struct elf_spec *spec);

/* Replace the PT_NOTE note of this type, or append it. */
void spec_set_note(struct elf_spec *spec, struct test_note note);
/* Remove the PT_NOTE note of this type, if present. */
void spec_drop_note(struct elf_spec *spec, uint32_t type);

#define LINUX_VIRT_BASE 0xffffffff80000000ULL
#define LINUX_PADDR     0x200000ULL

/* The kernel range of spec_linux_like's image. */
#define KSTART (LINUX_VIRT_BASE + LINUX_PADDR)
#define KEND   (KSTART + 0x5000)

/* Copy headers of a built image out and back, for patching. */
static inline void get_eh(const uint8_t *img, struct elf64_ehdr *eh)
{
    memcpy(eh, img, sizeof(*eh));
}

static inline void put_eh(uint8_t *img, const struct elf64_ehdr *eh)
{
    memcpy(img, eh, sizeof(*eh));
}

static inline void get_ph(const uint8_t *img, unsigned int i, struct elf64_phdr *ph)
{
    memcpy(ph, img + sizeof(struct elf64_ehdr) + i * sizeof(*ph), sizeof(*ph));
}

static inline void put_ph(uint8_t *img, unsigned int i, const struct elf64_phdr *ph)
{
    memcpy(img + sizeof(struct elf64_ehdr) + i * sizeof(*ph), ph, sizeof(*ph));
}

/* The image must be refused with -XEN_EINVAL and a why naming the rule. */
#define REJECTS_IMG(img, size, words)                                      \
    do {                                                                   \
        struct elf_dom_parms p_;                                           \
        const char *w_ = NULL;                                             \
        CHECK_I(elf_xen_parse((img), (size), &p_, &w_), -XEN_EINVAL);      \
        CHECK_WHY(w_, words);                                              \
    } while ( 0 )

#define REJECTS(spec, words)                                               \
    do {                                                                   \
        struct elf_layout l_;                                              \
        uint8_t *i_ = elf_build((spec), &l_);                              \
        REJECTS_IMG(i_, l_.size, words);                                   \
    } while ( 0 )

#define ACCEPTS(spec, parms)                                               \
    do {                                                                   \
        struct elf_layout l_;                                              \
        const char *w_ = NULL;                                             \
        uint8_t *i_ = elf_build((spec), &l_);                              \
        int rc_ = elf_xen_parse(i_, l_.size, (parms), &w_);                \
        if ( rc_ )                                                         \
            return test_failf("%s:%d: rejected (%d): %s", __FILE__,        \
                              __LINE__, rc_, w_ ? w_ : "?");               \
    } while ( 0 )

#endif /* TESTS_HOST_ELF_BUILD_H */
