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

#include "libelf.h"

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

#endif /* TESTS_HOST_ELF_BUILD_H */
